/*
 * Linux's clock for TCP timers: jiffies and the timer wheel
 * (kernel/time/timer.c).  A kernel timer is armed in whole jiffies
 * (usecs_to_jiffies() and msecs_to_jiffies() round up) and queued in the
 * wheel at a level chosen by how far away it is; each level has a
 * granularity of 8^level jiffies, and the timer fires at the first
 * boundary of its level's granularity strictly after the expiry it asked
 * for (calc_index(): "a timer does not fire early").  So a 40 ms delayed
 * ACK (10 jiffies at HZ=250, level 0) fires 40-44 ms later, a 1 s SYN
 * timeout (250 jiffies, level 1, 8-jiffy buckets) 1.000-1.032 s later, and
 * 60 s of TIME_WAIT (15000 jiffies, level 3, 512-jiffy buckets) 60-62 s
 * later.  Where the boundaries fall depends on the jiffies counter's phase,
 * which a real machine has at no particular value: `uptime` is the
 * kernel's clock at simulated time 0.
 */
#ifndef MODELS_KTIMER_H
#define MODELS_KTIMER_H

#include <stdint.h>
#include "sim/engine/time.h"

/* t / (SIM_SEC / hz): whole jiffies in t, with the jiffy's length in
 * nanoseconds rounded down.  The HZ values Linux offers (100, 250, 300,
 * 1000) are constants here, so that the compiler multiplies where a
 * 64-bit division by a variable costs tens of cycles; it runs for every
 * timer armed and every ACK's clock.  Any other hz divides. */
static inline uint64_t ktimer_div_jiffy(uint32_t hz, uint64_t t)
{
	switch (hz) {
	case 100: return t / (SIM_SEC / 100);
	case 250: return t / (SIM_SEC / 250);
	case 300: return t / (SIM_SEC / 300);
	case 1000: return t / (SIM_SEC / 1000);
	default: return t / (uint64_t)(SIM_SEC / hz);
	}
}

/* Whole jiffies of a duration, rounded up (usecs_to_jiffies()). */
uint64_t ktimer_jiffies(uint32_t hz, sim_time d);

/* The duration of n jiffies (jiffies_to_usecs(), exact in nanoseconds
 * when HZ divides 10^9, else rounded up). */
sim_time ktimer_span(uint32_t hz, uint64_t n);

/* A duration made whole jiffies, rounded up. */
sim_time ktimer_round(uint32_t hz, sim_time d);

/* When a timer armed at simulated time `now` for `d` fires, on a kernel
 * with HZ `hz` whose clock read `uptime` at simulated time 0 (mod_timer()
 * with expires = jiffies + usecs_to_jiffies(d)). */
sim_time ktimer_fire(uint32_t hz, sim_time uptime, sim_time now, sim_time d);

#endif
