/*
 * The sweep's CSV files.
 *
 * CSV as the sweep writes and reads it (RFC 4180): fields separated by
 * commas, a field holding a comma, a double quote, CR or LF written inside
 * double quotes with its quotes doubled, lines ended by a single '\n'.
 * Numbers are written locale-independently.
 *
 * summary.csv is computed from runs.csv alone (its header names the
 * parameters and metrics), reading it twice: once for the values each
 * category metric takes anywhere in the sweep (one column group each,
 * sorted), once for the statistics, one point at a time: the rows of a
 * point are contiguous, so memory holds one point's values, never the
 * sweep's.  Its columns: `point`, the parameters, then per number metric
 * M: `M.n,M.mean,M.sd,M.median,M.ci_low,M.ci_high`; per category metric
 * M: `M.n` then per value V: `M=V.share,M=V.ci_low,M=V.ci_high`.  n counts
 * the runs where the metric is not missing.
 */
#ifndef SIM_SWEEP_CSV_H
#define SIM_SWEEP_CSV_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

/* Errors of the sweep's files: USAGE means exit status 2 (the files are
 * not what the command expects), IO exit status 1. */
#define SWEEP_ERROR (sweep_error_quark())
GQuark sweep_error_quark(void);
enum sweep_error_code { SWEEP_ERROR_USAGE, SWEEP_ERROR_IO };

/* Appends text as one field (no separator). */
void csv_field(GString *row, const char *text);

/* Appends v with %.9g ("0.25", "1.5e-05"); nothing for NaN. */
void csv_number(GString *row, double v);

/* Splits one line (without its '\n') into its fields in place: the commas
 * become NULs, quoted fields are unquoted where they stand, and fields gets
 * pointers into line (nothing to free: a summary splits every row of a
 * large runs.csv twice).  False if a quoted field is not closed properly. */
bool csv_split(char *line, GPtrArray *fields);

/* The first field of a row as a run index; false if it is not one. */
bool csv_row_index(const char *line, uint64_t *index);

/* Writes summary_path (through "<summary_path>.tmp") from runs_path, whose
 * columns are index, point, run, seed, n_params parameters, then metrics
 * (names of sim/metrics.h). */
bool sweep_summary_write(const char *runs_path, const char *summary_path, uint32_t n_params,
                         GError **error);

#endif
