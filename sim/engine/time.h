/*
 * Simulated time.  Every instant and every duration in tcpsim is an int64_t
 * count of nanoseconds since the start of the run: exact, totally ordered and
 * identical on every machine (no floating point drift in the clock).
 * 2^63 ns is about 292 years, far beyond any run.
 */
#ifndef SIM_ENGINE_TIME_H
#define SIM_ENGINE_TIME_H

#include <stdint.h>

typedef int64_t sim_time;

#define SIM_NS  ((sim_time)1)
#define SIM_US  ((sim_time)1000)
#define SIM_MS  ((sim_time)1000000)
#define SIM_SEC ((sim_time)1000000000)
#define SIM_MIN (60 * SIM_SEC)

/* A deadline that never comes: an unarmed timer. */
#define SIM_NEVER INT64_MAX

static inline double sim_time_to_sec(sim_time t) { return (double)t / 1e9; }

#endif
