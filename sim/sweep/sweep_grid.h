/*
 * The grid of a parameter sweep: what a [sweep] section says.
 *
 *   [sweep]
 *   runs = 200                        # seeded runs per point (default 100)
 *   metrics = client.connect_time, client.result
 *   network.loss = 0:0.3:0.05         # a range START:STOP:STEP, stop included
 *   tcp.time_wait = 0, 100ms, 1s      # or a list
 *
 * Every key but `runs` and `metrics` is a parameter: SECTION.KEY of a config
 * key, with the values it takes.  The grid is the cartesian product of the
 * parameters' values in file order, the first parameter varying slowest:
 * point p has the value (p / (n_2 * ... * n_k)) % n_1 of the first, and so
 * on.  Values are kept as config text ("0.05", "100ms") and applied to the
 * config as `--set SECTION.KEY=VALUE` overrides, so each is checked like
 * any value of that key.
 *
 * Ranges: START, STOP and STEP are decimal numbers sharing one unit suffix
 * ("0ms:100ms:20ms", "0:0.3:0.05", "0%:30%:5%"; a 0 may omit the unit).
 * There are n = round((STOP - START) / STEP) + 1 values START + i * STEP,
 * and STOP must be one of them; each is printed with %.10g, so that 0.06
 * is "0.06", not 0.060000000000000005.  STEP > 0, STOP >= START and at most
 * SWEEP_MAX_VALUES values.  Lists: comma-separated, blanks around items
 * ignored, no empty item (an item cannot contain a comma).  The grid has
 * at most SWEEP_MAX_POINTS points and SWEEP_MAX_TOTAL runs.
 */
#ifndef SIM_SWEEP_SWEEP_GRID_H
#define SIM_SWEEP_SWEEP_GRID_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#define SWEEP_DEFAULT_RUNS 100
#define SWEEP_MAX_RUNS 1000000000u    /* runs per point */
#define SWEEP_MAX_VALUES 100000u      /* values of one parameter */
#define SWEEP_MAX_POINTS 100000u      /* points of the grid: a sweep keeps one config each */
#define SWEEP_MAX_TOTAL 1000000000000ull /* points * runs */

/* One swept parameter. */
struct sweep_param {
	char *name;        /* "network.loss", as written */
	char **values;     /* its values as config text, NULL-terminated */
	uint32_t n_values; /* >= 1 */
};

/* A [sweep] section, checked. */
struct sweep_spec {
	uint64_t runs;              /* seeded runs per point, run index 0..runs-1 */
	char **metrics;             /* metric names, in order, NULL-terminated */
	uint32_t n_metrics;
	struct sweep_param *params; /* in file order: the first varies slowest */
	uint32_t n_params;
	uint64_t n_points;          /* product of the params' n_values (1 without params) */
};

struct sweep_spec *sweep_spec_new(void);
void sweep_spec_free(struct sweep_spec *s);

/* Expands a parameter's value (a list or a range) into out (char *, owned
 * by out: give it g_free as free function).  false with *why (to g_free)
 * saying what was expected. */
bool sweep_values_parse(const char *text, GPtrArray *out, char **why);

/* Appends a parameter (copying the values); false with *why when the
 * grid would exceed SWEEP_MAX_POINTS points. */
bool sweep_spec_add_param(struct sweep_spec *s, const char *name, GPtrArray *values, char **why);

/* The index of each parameter's value at point p (idx[n_params]). */
void sweep_point_index(const struct sweep_spec *s, uint64_t p, uint32_t *idx);

/* The value of parameter i at point p. */
const char *sweep_point_value(const struct sweep_spec *s, uint64_t p, uint32_t i);

/* "SECTION.KEY=VALUE" for every parameter at point p, NULL-terminated; g_strfreev. */
char **sweep_point_overrides(const struct sweep_spec *s, uint64_t p);

#endif
