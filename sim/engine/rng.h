/*
 * Random number streams.  Every source of randomness in a run (the loss of
 * one link direction, its delay, an endpoint's ISN, an app's data) has its
 * own GSL generator, seeded from (master seed, run index, stream name) by
 * rng_stream_seed().  Changing one parameter therefore never shifts the
 * numbers another source draws (common random numbers across sweep
 * points), and a run is reproducible from its seed alone.
 *
 * rng_stream_seed(seed, run, name) = splitmix64(splitmix64(seed ^ fnv1a64(name)) ^ run)
 * with FNV-1a over the bytes of the name; the generator is gsl_rng_taus2.
 * taus2 keeps only the low 32 bits of its seed (0 becomes 1), so there are
 * 2^32 distinct streams: in a sweep of many thousands of runs a few streams
 * of different runs may coincide, which leaves every run's own streams
 * independent and every statistic unbiased.
 */
#ifndef SIM_ENGINE_RNG_H
#define SIM_ENGINE_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

uint64_t rng_stream_seed(uint64_t master_seed, uint64_t run_index, const char *stream_name);

/* A new generator for the named stream; free with gsl_rng_free(). */
gsl_rng *rng_stream_new(uint64_t master_seed, uint64_t run_index, const char *stream_name);

#endif
