/*
 * The counter-based payload generator (payload.h).  Byte off of a stream
 * is byte off % 8 (little-endian) of word(key, off / 8), where word() is
 * SplitMix64's output for the state key + (index + 1) * golden gamma
 * (Steele, Lea, Flood: "Fast splittable pseudorandom number generators",
 * OOPSLA 2014): any offset is reached at once, without the bytes before it.
 */
#include <string.h>
#include "sim/world/payload.h"

#define GOLDEN_GAMMA UINT64_C(0x9e3779b97f4a7c15)
#define CHUNK 4096 /* bytes generated at a time to compare */

static uint64_t word(uint64_t key, uint64_t index)
{
	uint64_t z = key + (index + 1) * GOLDEN_GAMMA;
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

uint64_t payload_key(gsl_rng *r)
{
	uint64_t hi = (uint32_t)gsl_rng_get(r);
	uint64_t lo = (uint32_t)gsl_rng_get(r);
	return hi << 32 | lo;
}

static void put_word(uint8_t *dst, uint64_t w, unsigned from, unsigned to)
{
	for (unsigned j = from; j < to; j++)
		*dst++ = (uint8_t)(w >> (8 * j));
}

void payload_fill(uint64_t key, uint64_t off, uint8_t *dst, size_t len)
{
	unsigned lead = (unsigned)(off % 8);
	if (lead && len) { /* the rest of a word begun before off */
		unsigned to = len < 8 - lead ? lead + (unsigned)len : 8;
		put_word(dst, word(key, off / 8), lead, to);
		dst += to - lead;
		off += to - lead;
		len -= to - lead;
	}
	for (; len >= 8; len -= 8, off += 8, dst += 8)
		put_word(dst, word(key, off / 8), 0, 8);
	if (len)
		put_word(dst, word(key, off / 8), 0, (unsigned)len);
}

uint64_t payload_mismatches(uint64_t key, uint64_t off, const uint8_t *data, size_t len)
{
	uint8_t want[CHUNK];
	uint64_t bad = 0;
	while (len > 0) {
		size_t n = len < CHUNK ? len : CHUNK;
		payload_fill(key, off, want, n);
		if (memcmp(data, want, n) != 0) /* count the differing bytes only then */
			for (size_t i = 0; i < n; i++)
				bad += data[i] != want[i];
		data += n;
		off += n;
		len -= n;
	}
	return bad;
}
