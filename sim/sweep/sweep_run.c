/*
 * One run of a sweep: the world of one point's config with one run index,
 * driven to its end, and its row of runs.csv.  Apart because it is the
 * only part of the sweep that drives the engine and the world; the worker
 * threads of sweep_pool.c call it on the shared, read-only point configs.
 */
#include "sim/sweep/sweep_int.h"

#include "sim/config/spec.h"
#include "sim/engine/queue.h"
#include "sim/sweep/metrics.h"

bool run_one(const struct sweep *sw, uint64_t index, GString *rows, sim_time *stalled_at)
{
	uint64_t p = index / sw->spec->runs, r = index % sw->spec->runs;
	const struct config *cfg = &sw->points[p];
	struct sim_queue q;
	struct net_spec spec;
	struct metric_run mr;
	struct metric_value v;

	sim_queue_init(&q);
	config_to_spec(cfg, r, &spec);
	struct net *net = net_new(&spec, &q, NULL);
	net_start(net);
	mr.events = sim_queue_run(&q, cfg->duration);
	if (q.stalled) { /* no row: the run has no end to measure */
		*stalled_at = q.now;
		sim_queue_clear(&q);
		net_free(net);
		return false;
	}
	mr.truncated = sim_queue_peek_time(&q) != SIM_NEVER;
	mr.end_time = mr.truncated ? cfg->duration : q.now;
	net_finish(net);
	mr.net = net;
	g_string_append_printf(rows, "%llu,%llu,%llu,%llu%s", (unsigned long long)index, (unsigned long long)p,
	                       (unsigned long long)r, (unsigned long long)cfg->seed, sw->point_cells[p]);
	for (uint32_t i = 0; i < sw->spec->n_metrics; i++) {
		g_string_append_c(rows, ',');
		metric_eval(sw->metrics[i], &mr, &v);
		metric_format(&v, rows);
	}
	g_string_append_c(rows, '\n');
	sim_queue_clear(&q); /* first: it marks the world's pending events idle */
	net_free(net);
	return true;
}
