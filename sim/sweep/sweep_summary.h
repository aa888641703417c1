/*
 * summary.csv, computed from the rows of runs.csv as they come.
 *
 * A sweep feeds each batch of rows to the summary as soon as it has
 * written it to runs.csv, so the statistics are worked out while the
 * workers run instead of in a serial pass at the end; a resumed sweep
 * feeds the rows it keeps first, and `tcpsim merge` feeds the merged file.
 * The result depends only on the rows, in their order.
 *
 * Its columns: `point`, the parameters, then per number metric M:
 * `M.n,M.mean,M.sd,M.median,M.ci_low,M.ci_high,M.p10,M.p50,M.p90,M.max`
 * (the median and quantiles are observed values: sweep_stats.h); per
 * category metric M:
 * `M.n` then per value V the metric takes anywhere in the sweep (sorted):
 * `M=V.share,M=V.ci_low,M=V.ci_high`.  n counts the runs where the metric
 * is not missing.  The rows of a point are contiguous, so memory holds the
 * values of one point and a few numbers per finished point, never the
 * sweep's values.
 */
#ifndef SIM_SWEEP_SWEEP_SUMMARY_H
#define SIM_SWEEP_SWEEP_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <glib.h>

struct sweep_summary;

/* A summary of rows whose columns are index, point, run, seed, n_params
 * parameters, then metrics (names of sim/sweep/metrics.h).  runs_path names the
 * rows' file in error messages ("runs.csv:LINE: ..."). */
struct sweep_summary *sweep_summary_new(const char *runs_path, uint32_t n_params);
void sweep_summary_free(struct sweep_summary *s);

/* Takes text: the header line first, then rows, each ended by '\n' (a
 * partial line is an error).  The text is split in place, so it is
 * changed.  False with *error (SWEEP_ERROR_USAGE) on a malformed line. */
bool sweep_summary_add(struct sweep_summary *s, char *text, size_t len, GError **error);

/* Takes every line of the open file in, from its current position. */
bool sweep_summary_add_file(struct sweep_summary *s, FILE *in, GError **error);

/* Writes summary.csv's text to out (the point being summed ends here);
 * false with *error if not even the header came. */
bool sweep_summary_print(struct sweep_summary *s, FILE *out, GError **error);

/* One line per number metric with a heavy tail at some point (its max
 * above 10 x its p90, sweep_stats_heavy_tail()): how many points, the first
 * one.  Appended to out; nothing when no tail is heavy.  (The point being
 * summed ends here.) */
void sweep_summary_warnings(struct sweep_summary *s, GString *out);

/* metrics.csv, the plots' names of the summary's metrics: a header
 * `metric,title,unit`, then per metric its key, its readable title with
 * the unit ("connect() time (s)", metrics.h metric_title()) and its unit
 * ("s" or empty); then per parameter (an x axis) its key and readable
 * name (config_param_title()), the unit empty.  No cell holds a comma.
 * False if no header came. */
bool sweep_summary_print_titles(const struct sweep_summary *s, FILE *out);

/* Writes summary_path through "<summary_path>.tmp". */
bool sweep_summary_save(struct sweep_summary *s, const char *summary_path, GError **error);

/* All of it at once: summary_path from the file runs_path. */
bool sweep_summary_write(const char *runs_path, const char *summary_path, uint32_t n_params,
                         GError **error);

#endif
