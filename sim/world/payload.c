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

/* SplitMix64's finalizer (mix64variant13). */
static inline uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t word(uint64_t key, uint64_t index)
{
	return mix(key + (index + 1) * GOLDEN_GAMMA);
}

/*
 * The hot loop of both directions: n whole words from index i, as bytes.
 * Its words do not depend on each other, so the compiler vectorizes it;
 * where GCC can make clones chosen at load time (ifunc), one for
 * AVX-512's 64-bit multiply (vpmullq) makes it about twice as fast
 * again, and one for AVX2 (the multiply made of 32-bit ones, four words
 * at a time) serves the many machines without AVX-512.  The words are
 * the same whichever runs: integer arithmetic.
 */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
	__GNUC__ >= 12 && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WORDS_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define WORDS_CLONES
#endif

WORDS_CLONES
static void put_words(uint64_t key, uint64_t i, uint8_t *dst, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		uint64_t w = mix(key + (i + k + 1) * GOLDEN_GAMMA);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		memcpy(dst + 8 * k, &w, 8);
#else
		for (unsigned j = 0; j < 8; j++)
			dst[8 * k + j] = (uint8_t)(w >> (8 * j));
#endif
	}
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
	size_t whole = len / 8;
	put_words(key, i, dst, whole);
	i += whole;
	dst += 8 * whole;
	len -= 8 * whole;
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

/* Bytes of n words at a and b that differ. */
static uint64_t words_differing(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint64_t bad = 0;
	for (size_t k = 0; k < n; k++)
		bad += bytes_differing(get_whole(a + 8 * k), get_whole(b + 8 * k));
	return bad;
}

/* Words made at a time by the check: a KiB on the stack. */
#define BLOCK_WORDS 128

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
	while (len >= 8) { /* a block at a time, made then compared */
		uint8_t want[BLOCK_WORDS * 8];
		size_t n = len / 8 < BLOCK_WORDS ? len / 8 : BLOCK_WORDS;
		put_words(key, i, want, n);
		if (memcmp(data, want, 8 * n) != 0)
			bad += words_differing(want, data, n);
		i += n;
		data += 8 * n;
		len -= 8 * n;
	}
	if (len) { /* word i's first bytes, as payload_fill() would write them */
		uint64_t w = word(key, i);
		for (size_t j = 0; j < len; j++)
			bad += data[j] != (uint8_t)(w >> (8 * j));
	}
	return bad;
}
