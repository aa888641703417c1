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

/* A whole word's 8 bytes, little-endian whatever the host's order. */
static inline void put_whole(uint8_t *dst, uint64_t w)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(dst, &w, 8);
#else
	put_word(dst, w, 0, 8);
#endif
}

static inline uint64_t get_whole(const uint8_t *src)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w;
	memcpy(&w, src, 8);
	return w;
#else
	uint64_t w = 0;
	for (unsigned j = 0; j < 8; j++)
		w |= (uint64_t)src[j] << (8 * j);
	return w;
#endif
}

void payload_fill(uint64_t key, uint64_t off, uint8_t *dst, size_t len)
{
	uint64_t i = off / 8;
	unsigned lead = (unsigned)(off % 8);
	if (lead && len) { /* the rest of a word begun before off */
		unsigned to = len < 8 - lead ? lead + (unsigned)len : 8;
		put_word(dst, word(key, i++), lead, to);
		dst += to - lead;
		len -= to - lead;
	}
	for (; len >= 8; len -= 8, dst += 8)
		put_whole(dst, word(key, i++));
	if (len)
		put_word(dst, word(key, i), 0, (unsigned)len);
}

/* Bytes of w and v that differ. */
static unsigned bytes_differing(uint64_t w, uint64_t v)
{
	unsigned n = 0;
	for (uint64_t x = w ^ v; x; x >>= 8)
		n += (x & 0xff) != 0;
	return n;
}

uint64_t payload_mismatches(uint64_t key, uint64_t off, const uint8_t *data, size_t len)
{
	uint64_t bad = 0;
	uint8_t part[8] = {0};
	uint64_t i = off / 8;
	unsigned lead = (unsigned)(off % 8);
	if (lead && len) { /* compared as bytes: the word begun before off */
		unsigned n = len < 8 - lead ? (unsigned)len : 8 - lead;
		payload_fill(key, off, part, n);
		for (unsigned j = 0; j < n; j++)
			bad += data[j] != part[j];
		data += n;
		len -= n;
		i++;
	}
	for (; len >= 8; len -= 8, data += 8) {
		uint64_t w = word(key, i++), v = get_whole(data);
		if (w != v)
			bad += bytes_differing(w, v);
	}
	if (len) {
		payload_fill(key, i * 8, part, len);
		for (size_t j = 0; j < len; j++)
			bad += data[j] != part[j];
	}
	return bad;
}
