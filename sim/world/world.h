/*
 * One run of a world, from its description to its end: the one way to run
 * one, shared by a single run (sim/run.c), every run of a sweep
 * (sim/sweep/) and the stress oracle's second look (tools/stress/).
 *
 * world_run() owns the event queue of the run: it builds the world
 * (net_new), starts the programs, fires events until nothing is left to
 * happen, the duration is reached or simulated time stops advancing
 * (sim/engine/queue.h), then fills the end-of-run statistics
 * (net_finish).  The world is handed back for the summaries and metrics;
 * its queue is gone by then, so nothing may schedule on it again.
 */
#ifndef SIM_WORLD_WORLD_H
#define SIM_WORLD_WORLD_H

#include <stdbool.h>
#include <stdint.h>
#include "sim/world/net.h"

struct world_outcome {
	struct net *net;        /* the world at its end: net_free() it */
	uint64_t events;        /* events fired */
	bool truncated;         /* stopped by the duration with events still pending */
	bool stalled;           /* stopped because simulated time stopped advancing */
	sim_time end_time;      /* the duration when truncated, else the last event's time */
	double loop_seconds;    /* wall-clock time of the event loop alone, for `make
	                           bench`; never written to an output */
};

/* Runs the world `spec` describes until `duration`, the observer (NULL:
 * none) seeing every packet, state change and call. */
void world_run(const struct net_spec *spec, sim_time duration, const struct net_observer *obs,
               struct world_outcome *out);

/* Something that plays a part in the world from outside: the packetdrill
 * runner (sim/pkt/), which plays the remote peer and drives the program
 * of the system under test.  The spec marks the two roles (net.h:
 * scripted, driven).  start() is called once the world is built, before
 * any event: the driver schedules its own events on q, and may stop the
 * run (sim_queue_stop) when its script is over. */
struct world_driver {
	void *ctx;
	void (*start)(void *ctx, struct net *n, struct sim_queue *q);
	void (*finish)(void *ctx, struct net *n); /* the loop is over; may be NULL */
};

void world_run_driven(const struct net_spec *spec, sim_time duration, const struct net_observer *obs,
                      const struct world_driver *driver, struct world_outcome *out);

#endif
