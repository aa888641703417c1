/*
 * 32-bit modular sequence arithmetic (RFC 9293 §3.4): sequence numbers wrap,
 * so "a before b" means the signed distance from b to a is negative.  Valid
 * while the two numbers are less than 2^31 apart, which a window guarantees.
 */
#ifndef MODELS_SEQ_H
#define MODELS_SEQ_H

#include <stdbool.h>
#include <stdint.h>

static inline int32_t seq_diff(uint32_t a, uint32_t b) { return (int32_t)(a - b); }
static inline bool seq_lt(uint32_t a, uint32_t b) { return seq_diff(a, b) < 0; }
static inline bool seq_le(uint32_t a, uint32_t b) { return seq_diff(a, b) <= 0; }
static inline bool seq_gt(uint32_t a, uint32_t b) { return seq_diff(a, b) > 0; }
static inline bool seq_ge(uint32_t a, uint32_t b) { return seq_diff(a, b) >= 0; }
static inline uint32_t seq_max(uint32_t a, uint32_t b) { return seq_gt(a, b) ? a : b; }
static inline uint32_t seq_min(uint32_t a, uint32_t b) { return seq_lt(a, b) ? a : b; }
/* lo <= x < hi, modulo 2^32 */
static inline bool seq_in(uint32_t x, uint32_t lo, uint32_t hi)
{
	return seq_le(lo, x) && seq_lt(x, hi);
}

#endif
