/*
 * One run of a sweep: the world of one point's config with one run index,
 * run to its end by world_run() (the same as a single run's), and its row
 * of runs.csv.  The worker threads of sweep_pool.c call it on the shared,
 * read-only point configs.
 */
#include "sim/sweep/sweep_int.h"

#include "sim/config/spec.h"
#include "sim/sweep/metrics.h"
#include "sim/world/world.h"

bool sweep_run_one(const struct sweep *sw, uint64_t index, GString *rows, sim_time *stalled_at)
{
	uint64_t p = index / sw->spec->runs, r = index % sw->spec->runs;
	const struct config *cfg = &sw->points[p];
	struct net_spec spec;
	struct world_outcome w;
	struct metric_value v;

	config_to_spec(cfg, r, &spec);
	world_run(&spec, cfg->duration, NULL, &w);
	if (w.stalled) { /* no row: the run has no end to measure */
		*stalled_at = w.end_time;
		net_free(w.net);
		return false;
	}
	struct metric_run mr = {.net = w.net, .events = w.events, .truncated = w.truncated,
	                        .end_time = w.end_time};
	g_string_append_printf(rows, "%llu,%llu,%llu,%llu%s", (unsigned long long)index, (unsigned long long)p,
	                       (unsigned long long)r, (unsigned long long)cfg->seed, sw->point_cells[p]);
	for (uint32_t i = 0; i < sw->spec->n_metrics; i++) {
		g_string_append_c(rows, ',');
		metric_eval(sw->metrics[i], &mr, &v);
		metric_format(&v, rows);
	}
	g_string_append_c(rows, '\n');
	net_free(w.net);
	return true;
}
