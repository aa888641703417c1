/*
 * The runs of a sweep on a pool of worker threads (see sweep.h): the runs
 * cut into chunks, the ring of tasks, the rows written to runs.csv in
 * index order, the summary fed, the progress bar drawn.  Apart because it
 * is the sweep's only concurrent part: its invariants are kept here.
 *
 * Invariants.  Only the main thread writes runs.csv, and only whole rows,
 * in order.  The runs left are cut into chunks of consecutive runs; chunk
 * c lives in slot c % window of the task ring and is pushed only when
 * c < written + window (written: the chunks whose rows are in the file),
 * so a slot is reused only once its rows are written, and at most
 * `window` chunks of rows wait in memory.  Workers share the point configs
 * read-only and own everything else they touch.
 */
#include "sim/sweep/sweep_int.h"

#include <stdio.h>
#include <string.h>
#include "sim/engine/queue.h"
#include "sim/sweep/sweep_csv.h"
#include "sim/sweep/sweep_summary.h"
#include "sim/plural.h"


/* The runs of one chunk, then the chunk back to the main thread. */
static void run_task(const struct sweep *sw, struct sweep_task *t)
{
	g_string_truncate(t->rows, 0);
	t->stalled = UINT64_MAX;
	for (uint64_t k = t->k; k < t->k + t->n; k++) {
		uint64_t index = shard_index(&sw->meta, k);
		if (!sweep_run_one(sw, index, t->rows, &t->stalled_at)) {
			t->stalled = index;
			break;
		}
	}
	g_async_queue_push(sw->results, t);
}

/* A worker thread: chunks until the stop mark.  The workers are joined,
 * not left to a GThreadPool, so that when the sweep returns no thread of
 * it is still ending (LeakSanitizer saw a thread's memory as leaked while
 * the pool's threads were on their way out). */
static gpointer worker(gpointer user)
{
	const struct sweep *sw = user; /* read-only here, but for the two queues */
	struct sweep_task *t;

	while ((t = g_async_queue_pop(sw->todo)) != &sw->stop)
		run_task(sw, t);
	return NULL;
}

/* Writes the chunks that are ready and follow the written ones, in one
 * write; *written counts the chunks written. */
static bool write_ready(struct sweep *sw, uint64_t *written, uint64_t chunks, GString *batch, GError **error)
{
	g_assert(sw->window > 0);
	const struct sweep_task *stall = NULL;
	g_string_truncate(batch, 0);
	while (*written < chunks) {
		struct sweep_task *t = &sw->tasks[*written % sw->window];
		if (!t->ready || t->chunk != *written)
			break;
		g_string_append_len(batch, t->rows->str, (gssize)t->rows->len);
		t->ready = false;
		if (t->stalled != UINT64_MAX) {
			stall = t; /* the rows before it are kept: a resume starts there */
			break;
		}
		sw->done += t->n;
		(*written)++;
	}
	/* The summary splits the rows in place, so it comes after the write;
	 * it works while the workers run the next chunks. */
	bool ok = batch->len == 0 || (sweep_write_all(sw->fd, batch->str, batch->len, sw->runs_path, error) &&
	                              (!sw->summary || sweep_summary_add(sw->summary, batch->str, batch->len, error)));
	if (ok && stall) {
		uint64_t i = stall->stalled;
		return sweep_set_error(error, SWEEP_ERROR_USAGE,
		                 "%s: run %llu (point %llu, run %llu): simulated time stopped advancing at "
		                 "%.9f s " SIM_STALL_WHY,
		                 sw->base.path, (unsigned long long)i, (unsigned long long)(i / sw->spec->runs),
		                 (unsigned long long)(i % sw->spec->runs), sim_time_to_sec(stall->stalled_at));
	}
	return ok;
}

/* Chunks of runs small enough to spread over the workers and keep the
 * progress moving, large enough that handing them over costs nothing. */
static void choose_chunks(struct sweep *sw)
{
	uint64_t left = sw->count - sw->done;

	sw->chunk_runs = CLAMP(left / (32 * (uint64_t)sw->jobs), 1, 64);
	sw->window = 4 * (uint64_t)sw->jobs + 4;
}

bool sweep_run_all(struct sweep *sw, GError **error)
{
	GString *batch = g_string_new(NULL);
	uint64_t first = sw->done, next = 0, written = 0;
	bool ok = true;

	choose_chunks(sw);
	uint64_t chunks = (sw->count - first + sw->chunk_runs - 1) / sw->chunk_runs;
	sw->tasks = g_new0(struct sweep_task, sw->window);
	for (uint64_t i = 0; i < sw->window; i++)
		sw->tasks[i].rows = g_string_new(NULL);
	sw->results = g_async_queue_new();
	sw->todo = g_async_queue_new();
	unsigned n_workers = (unsigned)MIN((uint64_t)sw->jobs, MAX(chunks, 1));
	GThread **workers = g_new(GThread *, n_workers);
	for (unsigned i = 0; i < n_workers; i++)
		workers[i] = g_thread_new("sweep", worker, sw);
	progress_start(&sw->bar, sw->progress, "run", "runs", sw->resumed);
	while (ok && written < chunks) {
		for (; next < chunks && next < written + sw->window; next++) {
			struct sweep_task *t = &sw->tasks[next % sw->window];
			t->chunk = next;
			t->k = first + next * sw->chunk_runs;
			t->n = MIN(sw->chunk_runs, sw->count - t->k);
			g_async_queue_push(sw->todo, t);
		}
		struct sweep_task *t = g_async_queue_timeout_pop(sw->results, 100000);
		if (t)
			t->ready = true;
		ok = write_ready(sw, &written, chunks, batch, error);
		progress_draw(&sw->bar, sw->done, sw->count, false);
	}
	for (unsigned i = 0; i < n_workers; i++) /* after a failure, the pushed chunks end first */
		g_async_queue_push(sw->todo, &sw->stop);
	for (unsigned i = 0; i < n_workers; i++)
		g_thread_join(workers[i]);
	g_free(workers);
	if (ok)
		progress_draw(&sw->bar, sw->done, sw->count, true);
	g_string_free(batch, TRUE);
	return ok;
}
