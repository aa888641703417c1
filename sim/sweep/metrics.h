/*
 * What a sweep measures in each run: a table of named metrics, each an
 * extractor over the world at the end of the run (sim/world/net.h statistics,
 * the state and call records).  The names follow the JSON summary:
 * `end_time`, `data_intact`, `network.dropped`, `client.result`,
 * `server.retransmissions.fin`, ...; `metric_list` prints them all.
 *
 * A metric is a number (counts, times in seconds) or a category (a string:
 * an errno name, a state name, true/false).  A value may be missing (a
 * connect time when connect() failed): an empty CSV cell, left out of the
 * statistics.  Numbers keep their exact form in runs.csv: counts as whole
 * numbers, times as seconds with up to nine decimals (exact nanoseconds).
 * Extracting never allocates, and the category strings are static, so
 * workers of a sweep call it concurrently on their own worlds.
 */
#ifndef SIM_SWEEP_METRICS_H
#define SIM_SWEEP_METRICS_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "sim/engine/time.h"
#include "sim/world/net.h"

enum metric_kind {
	METRIC_NUMBER,   /* summarised by mean, sd, Student t interval, quantiles */
	METRIC_CATEGORY, /* summarised by the share of each value, Wilson interval */
};

/* A run at its end, as the metrics see it. */
struct metric_run {
	const struct net *net;
	sim_time end_time;   /* simulated time of the last event (or the duration) */
	uint64_t events;     /* events fired */
	bool truncated;      /* stopped by [simulation] duration */
};

enum metric_value_type { METRIC_MISSING, METRIC_COUNT, METRIC_TIME, METRIC_TEXT };

/* One metric of one run. */
struct metric_value {
	enum metric_value_type type;
	uint64_t count;      /* METRIC_COUNT */
	sim_time time;       /* METRIC_TIME, shown in seconds */
	const char *text;    /* METRIC_TEXT: a static string */
};

struct metric_def;

/* The metric of that name, or NULL. */
const struct metric_def *metric_find(const char *name);
const char *metric_name(const struct metric_def *m);
enum metric_kind metric_kind(const struct metric_def *m);
/* "s" for times, "" for counts and categories: for axis labels. */
const char *metric_unit(const struct metric_def *m);
/* What a figure's axis says: "client connect() time (s)", "server FIN
 * retransmissions", "segments lost"; a time's title ends with " (s)". */
const char *metric_title(const struct metric_def *m);

void metric_eval(const struct metric_def *m, const struct metric_run *run, struct metric_value *out);

/* Appends the value as runs.csv writes it: "3", "1.037502424", "ok";
 * nothing when missing.  Never a comma, quote or newline. */
void metric_format(const struct metric_value *v, GString *out);

/* "end_time, events, ..." for error messages. */
char *metric_names(void);

/* One line per metric: name, kind and meaning (for --list-metrics). */
void metric_list(GString *out);

#endif
