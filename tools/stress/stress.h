/*
 * Randomized stress of the whole simulator: the public interface of
 * tools/stress/ (tools/stress/stress.h), what tests/test_stress.c drives.
 * The generator is gen.c, the oracle oracle.c, the runner runner.c and the
 * command line main.c; what they share beyond this is in stress_int.h.
 *
 * Run number R of generator seed S is a config drawn at random from the
 * whole parameter space (stress_generate(S, R): always the same text),
 * written as INI text, loaded by config_load() like any file, run in
 * process by run_simulation() and judged by the end-of-run oracle
 * (stress_check_file()).  A failing run prints its reason and its config,
 * and saves the config (a normal tcpsim config, so `./tcpsim FILE` replays
 * it too) in the failure folder.
 *
 * What counts as a failure:
 *   rejected  config_load() refused a generated config (the generator and
 *             the loader disagree about what is valid);
 *   crash     a signal or a sanitizer report while running it, or more
 *             than 4 GiB of memory (an allocation failure);
 *   hang      more events than max_events plus what the config itself
 *             asks for (probes once per rto_max or keepalive interval for
 *             the whole run, segments of a tiny window), or more than
 *             timeout_s seconds of wall-clock time, or an end past the
 *             duration;
 *   oracle    data not intact where nothing excuses it, an endpoint in a
 *             state that cannot last with nothing left to happen, network
 *             counters that do not add up, records out of time order.
 */
#ifndef TOOLS_STRESS_H
#define TOOLS_STRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <glib.h>
#include "models/tcp.h"

struct stress_opts {
	uint64_t seed;          /* generator seed */
	uint64_t first;         /* first run number */
	uint64_t runs;          /* runs first .. first + runs - 1 */
	unsigned jobs;          /* worker processes; 0 = all in this process */
	unsigned timeout_s;     /* wall-clock limit of one run, seconds */
	uint64_t max_events;    /* more events than this in one run is a hang, on top
	                           of what the config itself asks for (see judge) */
	const char *fail_dir;   /* failing configs are saved here; NULL = not saved */
	FILE *log;              /* progress and failures; NULL = stderr */
	bool quiet;             /* no progress lines */
	int64_t model_error_run; /* tests: this run stops on a g_error() as the model's invariant
	                           check does, instead of running (-1: none; needs jobs > 0) */
};

/* Defaults: seed 1, 300 runs from 0, in this process, 30 s and 5 M events a run,
 * no model error. */
void stress_opts_default(struct stress_opts *o);

struct stress_totals {
	uint64_t runs;          /* runs judged */
	uint64_t failures;      /* of which failed (the kinds below add up to it) */
	uint64_t rejected, crashes, hangs, oracle;
	uint64_t truncated;     /* stopped by their duration with events pending */
	uint64_t exempt;        /* data check excused (4-tuple reuse, crash) */
	uint64_t intact;        /* runs whose data was intact */
	uint64_t stalled;       /* stopped as stalled (repeat = forever with no sleep) */
	uint64_t progress;      /* runs that had to make progress: completed transfers, ok */
	uint64_t streak;        /* of which excused by a loss streak that exhausted a retry count */
	uint64_t outputs;       /* runs whose outputs were parsed back and held against the run */
	uint64_t events;        /* events fired, all runs */
	uint64_t max_events;    /* in one run */
	uint64_t max_events_run; /* which */
	double max_wall;        /* slowest run, seconds */
	uint64_t max_wall_run;
	double wall;            /* the whole stress, seconds */
	/* final state of the newest connection, runs that ended on their own */
	uint64_t final_state[2][TCP_STATE_COUNT];
};

/* Runs the stress; true when no run failed. */
bool stress_run(const struct stress_opts *o, struct stress_totals *t);

/* Writes the totals as a few human lines. */
void stress_print_totals(FILE *out, const struct stress_opts *o, const struct stress_totals *t);

/* The config of run `run` of generator seed `seed`, as INI text (g_free). */
char *stress_generate(uint64_t seed, uint64_t run);

/* One config file through run_simulation() and the oracle; outputs go to
 * out_dir.  NULL when the run passes, else why it failed ("oracle: ...",
 * "rejected: ...", "hang: ..."), to g_free.  Fills what the totals need. */
struct stress_outcome {
	uint64_t events;
	bool truncated, exempt, intact;
	bool stalled;           /* stopped as CONFIG_ERROR_STALLED (expected only of stress_must_stall) */
	bool progress;          /* had to make progress (see tools/stress/oracle.c, progress_excuse) */
	bool streak;            /* ... and did not, excused by a retry count exhausted by losses */
	bool outputs;           /* its pcap / pcapng / event log were parsed back */
	enum tcp_state final_state[2];
};
char *stress_check_file(const char *path, const char *out_dir, uint64_t max_events,
                        struct stress_outcome *out);

/* Whether a loaded config must stall (CONFIG_ERROR_STALLED): a program
 * that repeats forever with only `sleep 0`.  A stall of any other config
 * is a failure, and so is a run of this one that does not stall. */
struct config;
bool stress_must_stall(const struct config *c);

/* The progress check's verdict on a run that had to make progress (see
 * tools/stress/oracle.c, progress_excuse), from plain facts so that tests
 * can state them: NULL when it passes; *streak when it passes only because
 * a loss streak exhausted a retry count. */
struct stress_progress_role {
	int result;               /* the role's errno at the end, 0: ok */
	uint64_t sends;           /* bytes its program sends */
	uint64_t sent;            /* bytes it sent */
	uint64_t peer_read;       /* bytes the peer's program read */
	enum tcp_state final_state; /* of its newest connection */
	const char *last_call;    /* NULL: the calls were not all kept */
	long last_ret;
};
struct stress_progress {
	struct stress_progress_role role[2]; /* enum net_role */
	const char *streak;       /* a loss streak that exhausted a retry count, or NULL */
	const char *reset;        /* a reset that reached an endpoint closed gracefully, or NULL */
	uint32_t best[2];         /* longest unanswered streak of each role */
};
char *stress_judge_progress(const struct stress_progress *p, bool *streak);

/* A capture file (pcap or pcapng) against the packets sent (GBytes, IPv4
 * on, in order) and whether each was corrupted on the wire (bool): the
 * same bytes, valid IPv4 and TCP checksums.  NULL when it holds; fills
 * the number of records read. */
char *stress_check_capture(const char *path, GPtrArray *want, GArray *bad, uint64_t *n_read);

#endif
