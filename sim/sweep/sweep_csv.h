/*
 * The sweep's CSV files.
 *
 * CSV as the sweep writes and reads it (RFC 4180): fields separated by
 * commas, a field holding a comma, a double quote, CR or LF written inside
 * double quotes with its quotes doubled, lines ended by a single '\n'.
 * Numbers are written locale-independently.
 *
 * The summary computed from these rows is sim/sweep/sweep_summary.h.
 */
#ifndef SIM_SWEEP_SWEEP_CSV_H
#define SIM_SWEEP_SWEEP_CSV_H

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
 * large runs.csv).  False if a quoted field is not closed properly. */
bool csv_split(char *line, GPtrArray *fields);

/* The first field of a row as a run index; false if it is not one. */
bool csv_row_index(const char *line, uint64_t *index);

#endif
