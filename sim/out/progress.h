/*
 * The progress bar of a long command (a sweep, an exploration), on
 * stderr and on a terminal only:
 *
 *     [#########                     ] 1234/20000 runs  5123 runs/s  3 s left
 *
 * Redrawn at most ten times a second; the last call draws it whole and
 * ends its line.  What was done before the command started (a resumed
 * sweep's runs) counts towards the bar, not towards the rate.
 */
#ifndef SIM_OUT_PROGRESS_H
#define SIM_OUT_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

struct progress {
	bool on;                    /* draw at all (stderr is a terminal, not --quiet) */
	const char *one, *many;     /* what is counted: "run", "runs" */
	uint64_t resumed;           /* done before the start */
	gint64 start_us, drawn_us;  /* monotonic clock: start, last drawn */
};

void progress_start(struct progress *p, bool on, const char *one, const char *many, uint64_t resumed);
void progress_draw(struct progress *p, uint64_t done, uint64_t total, bool last);

#endif
