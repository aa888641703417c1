/*
 * What the files of `tcpsim sweep` and `tcpsim merge` share, private to
 * sim/sweep/ (the public API is sweep.h; sweep.meta is sweep_meta.h):
 * struct sweep, the state of one sweep command, and the functions one
 * file of the sweep calls in another.  The files, each with one purpose:
 *
 *   sweep_cli.c     the command `tcpsim sweep`: options, preparation, report
 *   sweep_meta.c    sweep.meta: reading, writing, fingerprint, resume check
 *   sweep_folder.c  the output folder: lock, runs.csv (resumed), summary.csv
 *   sweep_pool.c    the worker pool: chunks, in-order writing, progress
 *   sweep_run.c     one run of one point and its row
 *   merge.c         the command `tcpsim merge`
 *   sweep_error.c   how both commands report a failure
 *
 * All state is in the struct sweep of the call; only sweep_pool.c runs
 * threads, and its workers only read the struct (see there).
 */
#ifndef SIM_SWEEP_SWEEP_INT_H
#define SIM_SWEEP_SWEEP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include "sim/config/config.h"
#include "sim/engine/time.h"
#include "sim/out/progress.h"
#include "sim/sweep/sweep_meta.h"

struct metric_def;
struct outdir;
struct sweep_summary;

/* A chunk of consecutive runs of this shard, from its push to the pool
 * until its rows are written. */
struct sweep_task {
	uint64_t chunk;     /* its number in this session: chunks are written in order */
	uint64_t k, n;      /* its runs: the k-th to the (k + n - 1)-th of this shard */
	bool ready;         /* ran; waits for the chunks before it */
	GString *rows;      /* their runs.csv lines, '\n' included */
	uint64_t stalled;   /* index of a run that stopped simulated time (its
	                       rows end before it), or UINT64_MAX */
	sim_time stalled_at;
};

struct sweep {
	struct config base;              /* the config, with its [sweep] */
	const struct sweep_spec *spec;   /* base.sweep */
	const struct metric_def **metrics; /* spec->n_metrics */
	struct config *points;           /* spec->n_points configs, loaded once */
	char **point_cells;              /* per point: its parameter values as CSV fields */
	struct sweep_meta meta;
	char *dir, *runs_path, *meta_path, *summary_path;
	struct outdir *outdir;           /* dir, locked while the sweep runs */
	uint64_t count;                  /* runs of this shard */
	uint64_t done;                   /* of which runs.csv has the rows */
	uint64_t resumed;                /* rows runs.csv had at the start */
	unsigned jobs;                   /* worker threads */
	bool quiet, progress;
	int fd;                          /* runs.csv, appending; -1 */
	struct sweep_summary *summary;   /* takes the rows as they are written; NULL in a
	                                    shard of several (merge sums them up) */
	GAsyncQueue *todo;               /* tasks for the workers, then one `stop` each */
	GAsyncQueue *results;            /* finished tasks, to the main thread */
	struct sweep_task stop;          /* the mark that ends a worker */
	struct sweep_task *tasks;        /* the ring of `window` tasks: chunk c in slot c % window */
	uint64_t window;
	uint64_t chunk_runs;             /* runs per chunk */
	struct progress bar;             /* on a terminal, unless --quiet (progress) */
};

/* ---- sweep_error.c ---- */

/* Prints a usage error of `tcpsim cmd` and its hint; returns 2. */
int sweep_usage_error(const char *cmd, const char *msg);
/* Prints a failure and frees e; its exit status: 2 for SWEEP_ERROR_USAGE
 * and config errors, 1 for the rest. */
int sweep_report_error(const char *cmd, GError *e);
/* Sets *error (SWEEP_ERROR, code) to the message, escaped; returns false. */
bool sweep_set_error(GError **error, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* ---- sweep_cli.c ---- */


/* ---- sweep_meta.c ---- */

/* The folder's sweep.meta describes this sweep (a resume)? */
bool sweep_check_meta(struct sweep *sw, GError **error);

/* ---- sweep_folder.c ---- */

/* "index,point,run,seed,<params>,<metrics>\n" */
char *sweep_runs_header(char *const *params, char *const *metrics);
/* The output folder, created and locked (sim/out/outfile.h); a folder that
 * cannot be made is a usage error (exit status 2), as a busy one. */
struct outdir *sweep_lock_dir(const char *dir, GError **error);
/* summary.csv through an outfile (sim/out/outfile.h): a temporary file
 * renamed into place, removed by a signal. */
bool sweep_save_summary(struct sweep_summary *summary, const char *path, GError **error);
/* The config must not be one of the files the sweep writes. */
bool sweep_check_collisions(const struct sweep *sw, GError **error);
/* All of data to fd, or an error naming path. */
bool sweep_write_all(int fd, const char *data, size_t len, const char *path, GError **error);
/* Creates and locks the folder, checks or writes sweep.meta, opens runs.csv
 * (sw->fd), resuming it: sw->done = sw->resumed = the rows it keeps. */
bool sweep_open_runs(struct sweep *sw, GError **error);
/* The summary, given the rows runs.csv already holds (a resumed sweep's)
 * or only its header; none in a shard of several. */
bool sweep_start_summary(struct sweep *sw, GError **error);

/* ---- sweep_run.c ---- */

/* One run of one point (global index `index`): the world, driven to its
 * end, then its row appended to rows.  False, with *stalled_at, when
 * simulated time stopped advancing (no row). */
bool sweep_run_one(const struct sweep *sw, uint64_t index, GString *rows, sim_time *stalled_at);

/* ---- sweep_pool.c ---- */

/* Runs this shard's runs sw->done... on sw->jobs workers and appends their
 * rows to runs.csv in index order (and to the summary), with the progress
 * bar. */
bool sweep_run_all(struct sweep *sw, GError **error);

#endif
