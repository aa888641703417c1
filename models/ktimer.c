/*
 * Linux's jiffies and timer wheel: see ktimer.h.  The wheel's geometry
 * is kernel/time/timer.c's: LVL_CLK_SHIFT 3 (each level 8 times coarser),
 * LVL_BITS 6 (64 buckets a level), LVL_DEPTH 9 above HZ=100, else 8.
 */
#include "models/ktimer.h"

#define LVL_CLK_SHIFT 3
#define LVL_SIZE 64u
#define LVL_SHIFT(n) ((n) * LVL_CLK_SHIFT)
#define LVL_GRAN(n) ((uint64_t)1 << LVL_SHIFT(n))
/* The first delta (in jiffies) that level n takes: 63, 504, 4032, ... */
#define LVL_START(n) ((uint64_t)(LVL_SIZE - 1) << (((n) - 1) * LVL_CLK_SHIFT))

/* A jiffy's exact length when HZ divides a second (100, 250, 1000: every
 * HZ Linux offers but 300), else 0 (and for 0, which the slow sums
 * below handle as they always did).  Then t / jiffy below is the same
 * number as the second-and-rest sums that follow it, for every t (with
 * SIM_SEC = hz * jiffy, s * SIM_SEC + ns split into s * hz + ns / jiffy
 * exactly), and n * jiffy the same as tick_of()'s sum, modulo 2^64 as
 * they are computed: one division instead of several. */
static uint64_t exact_jiffy(uint32_t hz)
{
	switch (hz) { /* the usual ones without dividing: this runs for every timer */
	case 100: return SIM_SEC / 100;
	case 250: return SIM_SEC / 250;
	case 1000: return SIM_SEC / 1000;
	default: return hz != 0 && (uint64_t)SIM_SEC % hz == 0 ? (uint64_t)SIM_SEC / hz : 0;
	}
}

/* The jiffies counter at kernel time t (floor); jiffy is exact_jiffy(hz),
 * found once by each public function. */
static uint64_t jiffies_at(uint32_t hz, uint64_t jiffy, sim_time t)
{
	if (jiffy) /* jiffy = SIM_SEC / hz exactly */
		return ktimer_div_jiffy(hz, (uint64_t)t);
	uint64_t s = (uint64_t)t / SIM_SEC, ns = (uint64_t)t % SIM_SEC;
	return s * hz + ns * hz / SIM_SEC;
}

/* The kernel time of jiffy j's tick. */
static sim_time tick_of(uint32_t hz, uint64_t jiffy, uint64_t j)
{
	if (jiffy)
		return (sim_time)(j * jiffy);
	uint64_t s = j / hz, rest = j % hz;
	return (sim_time)(s * SIM_SEC + (rest * SIM_SEC + hz - 1) / hz);
}

/* ktimer_jiffies() */
static uint64_t whole_jiffies(uint32_t hz, uint64_t jiffy, sim_time d)
{
	if (d <= 0)
		return 0;
	if (jiffy) /* ceil(d / jiffy): d > 0, so d + jiffy - 1 fits */
		return ktimer_div_jiffy(hz, (uint64_t)d + jiffy - 1);
	uint64_t s = (uint64_t)d / SIM_SEC, ns = (uint64_t)d % SIM_SEC;
	return s * hz + (ns * hz + SIM_SEC - 1) / SIM_SEC;
}

uint64_t ktimer_jiffies(uint32_t hz, sim_time d) { return whole_jiffies(hz, exact_jiffy(hz), d); }

sim_time ktimer_span(uint32_t hz, uint64_t n) { return tick_of(hz, exact_jiffy(hz), n); }

sim_time ktimer_round(uint32_t hz, sim_time d)
{
	uint64_t jiffy = exact_jiffy(hz);
	return tick_of(hz, jiffy, whole_jiffies(hz, jiffy, d));
}

/* calc_wheel_index(): the level a timer `delta` jiffies away goes to. */
static unsigned wheel_level(uint64_t delta, unsigned depth)
{
	unsigned lvl = 0;
	while (lvl + 1 < depth && delta >= LVL_START(lvl + 1))
		lvl++;
	return lvl;
}

sim_time ktimer_fire(uint32_t hz, sim_time uptime, sim_time now, sim_time d)
{
	unsigned depth = hz > 100 ? 9 : 8;
	uint64_t jiffy = exact_jiffy(hz);
	uint64_t clk = jiffies_at(hz, jiffy, uptime + now);
	uint64_t delta = whole_jiffies(hz, jiffy, d);
	uint64_t cutoff = LVL_START(depth); /* WHEEL_TIMEOUT_CUTOFF */
	if (delta >= cutoff)
		delta = cutoff - LVL_GRAN(depth - 1); /* WHEEL_TIMEOUT_MAX */
	unsigned lvl = wheel_level(delta, depth);
	/* calc_index(): round up to the level's granularity, strictly after */
	uint64_t bucket = (((clk + delta) >> LVL_SHIFT(lvl)) + 1) << LVL_SHIFT(lvl);
	return tick_of(hz, jiffy, bucket) - uptime;
}
