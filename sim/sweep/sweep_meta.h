/*
 * sweep.meta, the file that says what a sweep's output folder holds (see
 * sim/sweep/sweep.h).  Its reader is exported for the fuzz targets
 * (tests/fuzz/fuzz_meta.c); the rest of the sweep uses it through
 * sweep_main() and merge_main().
 */
#ifndef SIM_SWEEP_SWEEP_META_H
#define SIM_SWEEP_SWEEP_META_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

/* What a sweep's folder holds: sweep.meta. */
struct sweep_meta {
	char *config;       /* the config path as given */
	char *fingerprint;  /* SHA-256 of the config text and the overrides */
	char **overrides;   /* --set (and --seed), in order */
	char **params;      /* parameter names */
	char **metrics;     /* metric names */
	uint64_t points, runs, total;
	uint64_t shard_k, shard_n; /* this folder has the indexes i % n == k - 1 */
};

/* Reads path into *m.  On success every field is set (overrides and
 * params possibly empty lists, at least one metric, runs >= 1,
 * total == points * runs, 1 <= shard_k <= shard_n); on failure a
 * SWEEP_ERROR_USAGE error and *m cleared. */
bool meta_read(struct sweep_meta *m, const char *path, GError **error);
/* Frees what *m holds and clears it. */
void meta_clear(struct sweep_meta *m);

#endif
