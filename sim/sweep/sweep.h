/*
 * Parameter sweeps: `tcpsim sweep CONFIG.ini` and `tcpsim merge`.
 *
 * A sweep runs every point of the [sweep] grid (sim/sweep/sweep_grid.h) `runs`
 * times.  Run r of point p has the global index i = p * runs + r and is the
 * world of the point's config with run index r (struct net_spec .run), so
 * every point uses the same random numbers for the same r (common random
 * numbers) and a run's result depends on nothing but (config, point, r):
 * the files are byte-identical whatever the number of threads or shards.
 *
 * Files, in the output folder (default out/<config name>/; -o DIR):
 *  - runs.csv: `index,point,run,seed,<parameters>,<metrics>`, one row per
 *    run in index order, each appended whole as soon as every lower index
 *    is written, so a killed sweep leaves complete rows and at most one
 *    partial line.  Running the same sweep again resumes: the partial line
 *    is cut, the k complete rows are kept and runs k... are run.
 *  - summary.csv: one row per point (sim/sweep/sweep_stats.h), computed at the
 *    end by reading runs.csv back one point at a time, so memory does not
 *    grow with the number of runs; written under a temporary name.
 *  - sweep.meta: what the sweep is (config, overrides and a SHA-256 of the
 *    config text and overrides, grid size, shard), written first; a resume
 *    or a merge checks it.
 * With --shard K/N only the indexes i with i % N == K - 1 run, and no
 * summary.csv is written; `tcpsim merge --out DIR SHARD_DIR...` checks
 * that the shards belong to one sweep and cover every index once, writes
 * DIR/runs.csv byte for byte as one process would have, then summary.csv.
 *
 * Runs go to a GThreadPool of -j workers (default: the number of cores)
 * in chunks of consecutive runs, in index order, at most a window of chunks
 * ahead of the oldest unwritten one; their rows come back through a
 * GAsyncQueue to the calling thread, which alone writes files and draws the
 * progress bar (stderr, only on a terminal).  All state is in a struct
 * sweep of the call.
 *
 * Exit status: 0 done, 2 a usage or config error (or an output folder that
 * holds another sweep), 1 an internal failure (a file could not be written).
 */
#ifndef SIM_SWEEP_SWEEP_H
#define SIM_SWEEP_SWEEP_H

/* tcpsim sweep CONFIG.ini [-s SECTION.KEY=VALUE]... [--seed N] [-o DIR]
 *              [-j N] [--shard K/N] [-q] [--list-metrics]
 * argv[0] is the command's name (ignored); also takes tcpsim's own argv
 * for `tcpsim CONFIG.ini` of a config with a [sweep].  Returns the exit
 * status. */
int sweep_main(int argc, char **argv);
/* sweep_main with the config's text already read (NULL: read it). */
struct config_source;
int sweep_main_source(int argc, char **argv, const struct config_source *src);

/* tcpsim merge --out DIR [-q] SHARD_DIR...; argv[0] ignored. */
int merge_main(int argc, char **argv);

/* The --help text of tcpsim sweep and tcpsim merge (to g_free), for the manual. */
char *sweep_help(void);
char *merge_help(void);

#endif
