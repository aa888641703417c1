/*
 * The event queue: the heart of the engine.
 *
 * Events are ordered by (time, order) where `order` is a counter taken when
 * the event is scheduled, so two events at the same instant fire in the
 * order they were scheduled: runs are deterministic.
 *
 * The queue never allocates an event.  The owner embeds a struct sim_event
 * in its own object (an endpoint's timer, a packet in flight, an app's
 * sleep) and hands it to the queue; the queue keeps a pointer in a 4-ary
 * heap and records the event's heap slot inside the event, so cancelling
 * or moving an event is O(log n) with no search and no tombstone left
 * behind.  A retransmission timer re-armed on every ACK costs one sift.
 *
 * Events scheduled in time order skip the heap: the queue keeps a few
 * lanes, lists of events sorted by (time, order), and an event that falls
 * at or after its lane's last one joins it in O(1).  Only each lane's
 * first event sits in the heap.  Connections in TIME_WAIT, whose 2*MSL
 * timers are set one after another for the same delay, wait in the shared
 * lane; an owner that knows a stream of its events comes in time order
 * gives it a lane of its own (the packets in flight on one direction of a
 * link, each arriving after the one before it), and the heap holds only
 * the few other events of the near future (sim/engine/queue.c).
 */
#ifndef SIM_ENGINE_QUEUE_H
#define SIM_ENGINE_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sim/engine/time.h"

struct sim_queue;
struct sim_event;

/* Called when the event fires; the event is already out of the queue, so
 * the handler may schedule it again or free the object that holds it. */
typedef void (*sim_handler)(struct sim_queue *q, struct sim_event *ev);

#define SIM_EVENT_IDLE UINT32_MAX         /* slot of an event that is not queued */
#define SIM_EVENT_BEHIND (UINT32_MAX - 1) /* slot of a lane event behind the lane's first */
#define SIM_EVENT_NO_LANE UINT32_MAX      /* lane of an event in no lane */
#define SIM_LANE_ANY 0                    /* the lane of sim_queue_schedule() */
#define SIM_QUEUE_LANES 3                 /* the shared lane and two of owners' streams */

struct sim_event {
	sim_time at;       /* when it fires */
	uint64_t order;    /* tie-break: scheduling sequence number */
	uint32_t slot;     /* index in the heap, SIM_EVENT_BEHIND, or SIM_EVENT_IDLE */
	uint32_t lane;     /* the lane it waits in, or SIM_EVENT_NO_LANE */
	sim_handler fire;  /* what happens */
	void *ctx;         /* the owner's object */
	struct sim_event *lane_prev, *lane_next; /* neighbours in the lane, if in it */
};

struct sim_queue {
	struct sim_event **heap; /* 4-ary min-heap on (at, order) */
	uint32_t len;            /* events in the heap */
	uint32_t cap;            /* allocated slots */
	uint32_t queued;         /* events queued: the heap's and those behind in the lane */
	struct sim_lane {
		struct sim_event *first, *last; /* in firing order; both NULL when empty */
		sim_time last_at;               /* last->at, SIM_NEVER when empty: a scan reads no event */
	} lanes[SIM_QUEUE_LANES];
	uint64_t next_order;     /* order given to the next scheduled event */
	sim_time now;            /* time of the event being fired (or last fired) */
	uint64_t fired;          /* events fired so far */
	bool stopped;            /* sim_queue_stop() was called */
	bool stalled;            /* the last run stopped: time did not advance */
};

/* A run stops as stalled when this many events fire in a row at one
 * instant: simulated time no longer advances (a program that repeats
 * forever without waiting), and the loop would never end.  No real
 * scenario comes near it: a segment costs a handful of events, and the
 * windows bound how many can go at one instant; a 200 MB transfer over a
 * zero-delay, unlimited link fires 220,000 events in all, its delayed
 * ACKs moving time on. */
#define SIM_QUEUE_STALL_EVENTS 1000000u

/* The same for a program (sim/world/app.c): this many passes in a row of
 * a script that never waits, which fire no event at all.  A program that
 * loops a hundred thousand times without a single call having to wait is
 * looping for ever. */
#define SIM_STALL_SCRIPT_RUNS 100000u

/* How a stalled run is described, after "stopped advancing at T s". */
#define SIM_STALL_WHY "(a million events or loop passes at that instant, or a hundred thousand " \
	"passes of a script that never waits): a program that repeats without waiting (a loop " \
	"with no call that blocks, repeat = forever with sleep 0, or an empty script?)"

void sim_queue_init(struct sim_queue *q);
void sim_queue_clear(struct sim_queue *q); /* frees the heap, not the events */

/* Prepares an event that is not queued yet. */
static inline void sim_event_init(struct sim_event *ev, sim_handler fire, void *ctx)
{
	ev->at = SIM_NEVER;
	ev->order = 0;
	ev->slot = SIM_EVENT_IDLE;
	ev->lane = SIM_EVENT_NO_LANE;
	ev->fire = fire;
	ev->ctx = ctx;
	ev->lane_prev = ev->lane_next = NULL;
}

static inline bool sim_event_pending(const struct sim_event *ev)
{
	return ev->slot != SIM_EVENT_IDLE;
}

/* Queues ev to fire at `at` (>= now); if ev is already queued it is moved.
 * A moved event takes a fresh order, as if cancelled and scheduled again. */
void sim_queue_schedule(struct sim_queue *q, struct sim_event *ev, sim_time at);

/* sim_queue_schedule() into lane `lane` (below SIM_QUEUE_LANES): for a
 * stream of events scheduled mostly in time order, such as a link's
 * arrivals, which the other events would keep out of the shared lane.
 * The order of firing is the same whatever the lane: only the cost. */
void sim_queue_schedule_in(struct sim_queue *q, struct sim_event *ev, sim_time at, uint32_t lane);

/* Takes the queued event ev out of the queue. */
void sim_queue_take_out(struct sim_queue *q, struct sim_event *ev);

/* Takes ev out of the queue; does nothing if it is not queued (inline:
 * most cancels, after every call and action, find nothing queued). */
static inline void sim_queue_cancel(struct sim_queue *q, struct sim_event *ev)
{
	if (sim_event_pending(ev))
		sim_queue_take_out(q, ev);
}

/* Time of the earliest queued event, SIM_NEVER when empty. */
sim_time sim_queue_peek_time(const struct sim_queue *q);

/* Fires events in order until the queue is empty, the next event lies after
 * `until`, or sim_queue_stop() is called.  Returns the events fired. */
uint64_t sim_queue_run(struct sim_queue *q, sim_time until); /* sets q->stalled, see above */

/* Makes sim_queue_run() return after the current event. */
static inline void sim_queue_stop(struct sim_queue *q) { q->stopped = true; }

#endif
