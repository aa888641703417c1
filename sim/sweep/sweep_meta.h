/*
 * sweep.meta, the file that says what a sweep's output folder holds (see
 * sim/sweep/sweep.h), and the shard arithmetic it implies; implemented in
 * sim/sweep/sweep_meta.c.  Its reader is exported for the fuzz targets
 * (tests/fuzz/fuzz_meta.c); the rest is for the files of sim/sweep/ (the
 * program uses it through sweep_main() and merge_main()).
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
/* Writes *m to path, through an outfile (sim/out/outfile.h). */
bool meta_write(const struct sweep_meta *m, const char *path, GError **error);
/* "K/N" with 1 <= K <= N <= the most shards: *k and *n. */
bool sweep_parse_shard(const char *text, uint64_t *k, uint64_t *n);
/* The SHA-256 of the config's text and the overrides: what the rows of a
 * sweep depend on besides the program. */
struct config_source;
char *sweep_fingerprint(const struct config_source *src, const char *const *overrides);

/* The global index of the k-th run of shard K/N. */
static inline uint64_t shard_index(const struct sweep_meta *m, uint64_t k)
{
	return m->shard_k - 1 + k * m->shard_n;
}

/* How many of the total indexes shard K/N has. */
static inline uint64_t shard_count(const struct sweep_meta *m)
{
	return m->total / m->shard_n + (m->shard_k - 1 < m->total % m->shard_n ? 1 : 0);
}

#endif
