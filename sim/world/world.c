/*
 * One run of a world (see world.h).
 */
#include <glib.h>
#include "sim/engine/queue.h"
#include "sim/world/world.h"

void world_run(const struct net_spec *spec, sim_time duration, const struct net_observer *obs,
               struct world_outcome *out)
{
	world_run_driven(spec, duration, obs, NULL, out);
}

void world_run_driven(const struct net_spec *spec, sim_time duration, const struct net_observer *obs,
                      const struct world_driver *driver, struct world_outcome *out)
{
	struct sim_queue q;
	sim_queue_init(&q);
	out->net = net_new(spec, &q, obs);
	net_start(out->net);
	if (driver)
		driver->start(driver->ctx, out->net, &q);
	gint64 loop_start = g_get_monotonic_time();
	out->events = sim_queue_run(&q, duration);
	out->loop_seconds = (double)(g_get_monotonic_time() - loop_start) / G_USEC_PER_SEC;
	out->stalled = q.stalled;
	out->truncated = sim_queue_peek_time(&q) != SIM_NEVER;
	out->end_time = out->truncated && !out->stalled ? duration : q.now;
	if (driver && driver->finish)
		driver->finish(driver->ctx, out->net);
	net_finish(out->net);
	sim_queue_clear(&q); /* it marks the world's pending events idle */
}
