/*
 * The event queue: a 4-ary min-heap of event pointers on (at, order).
 *
 * Layout: one allocation holds the pointer array q->heap[0 .. cap) and,
 * right after it, a parallel array keys[0 .. cap + ARITY) with a copy of
 * each queued event's (at, order) packed into one 128-bit integer.  The
 * sifts compare keys only: the four children of a slot are 64 contiguous
 * bytes instead of four pointers to chase into events scattered over the
 * owners' objects, and the smallest child is chosen with arithmetic, not
 * branches (the outcome of those comparisons is a coin toss that a branch
 * predictor gets wrong half the time).  Together they took
 * tools/bench_queue from 6.4 to about 11 million events/s with 10,000
 * connections, and from 15 to 23 with 100.  Nothing outside this file sees
 * the key array; q->heap is the documented array of event pointers.
 *
 * The lane: events that come in time order (each at or after the last one
 * in the lane) join a doubly linked list instead of the heap, and only
 * the lane's first event is in the heap; when it leaves (fired or
 * cancelled), the next one takes its place there.  The order of firing is
 * exactly the heap's alone, as the lane is sorted and its first event is
 * the smallest of it.  What it saves: in the benchmark's lifecycles, some
 * 660 connections wait out TIME_WAIT at any time, each with its 2*MSL
 * timer, set one after another for the same delay: in the lane, they leave
 * a heap of about ten events in place of 670, and each event fired sifts
 * through two levels instead of five: the queue's share of 10,000
 * lifecycles went from 90 to 38 million instructions (callgrind).
 * The lanes: sim_queue_schedule() uses the shared one, and an owner
 * with a stream of events in time order of its own gives it another
 * (sim_queue_schedule_in()): a link's arrivals, of which a bulk transfer
 * has a window's worth in flight each way.  In the shared lane they
 * queued behind the retransmission timer, the furthest event, re-armed at
 * every ACK; so each of them went into the heap, a heap of 1,300, and
 * sifted through six levels as it fired.  An event that comes before its
 * lane's last goes into the heap alone, wherever it fires.
 *
 * Invariants (tests/test_queue.c checks the first two directly, the keys
 * through the firing order compared with a reference, and under valgrind
 * that no key beyond len is read uninitialised):
 *  - heap order: no event sorts before its parent, slot i's parent being
 *    (i - 1) / 4 and its children 4i + 1 .. 4i + 4;
 *  - heap[ev->slot] == ev for every queued event, and a queued event's slot
 *    is below len; an event not queued has slot SIM_EVENT_IDLE;
 *  - keys[i] is the key of heap[i] for i < len, and KEY_MAX from len up to
 *    cap + ARITY, so a last slot with fewer than four children still reads
 *    four keys, the missing ones never the smallest;
 *  - each lane is sorted on (at, order); its first event is in the heap,
 *    the others have slot SIM_EVENT_BEHIND; an event's lane field names
 *    its lane, SIM_EVENT_NO_LANE for one in none; queued counts the heap's
 *    and those behind;
 *  - every queued event was scheduled at or after `now`, so `now` never
 *    goes backwards;
 *  - `order` values are unique (taken from next_order), so the order is
 *    total and ties fire first-scheduled first.
 */
#include "sim/engine/queue.h"

#include <glib.h>
#include <string.h>

#define ARITY 4
#define INITIAL_CAP 64 /* a power of two: keeps the key array 16-byte aligned */

/* (at, order) as one unsigned number that sorts the same way: `at` with
 * its sign bit flipped in the high half, `order` in the low half. */
#ifdef __SIZEOF_INT128__
__extension__ typedef unsigned __int128 heap_key;

static inline heap_key make_key(sim_time at, uint64_t order)
{
	return (heap_key)((uint64_t)at ^ (UINT64_C(1) << 63)) << 64 | order;
}

static inline bool key_less(heap_key a, heap_key b)
{
	return a < b;
}

#define KEY_MAX (~(heap_key)0)
#else /* no 128-bit integers: the same order on two words */
typedef struct {
	uint64_t hi; /* at, sign bit flipped */
	uint64_t lo; /* order */
} heap_key;

static inline heap_key make_key(sim_time at, uint64_t order)
{
	return (heap_key){ (uint64_t)at ^ (UINT64_C(1) << 63), order };
}

static inline bool key_less(heap_key a, heap_key b)
{
	return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo);
}

#define KEY_MAX ((heap_key){ UINT64_MAX, UINT64_MAX })
#endif

static inline heap_key key_of(const struct sim_event *ev)
{
	return make_key(ev->at, ev->order);
}

/* The key array of a heap allocated for cap slots. */
static inline heap_key *keys_of(struct sim_event **heap, uint32_t cap)
{
	return (heap_key *)(void *)(heap + cap);
}

static inline void put_at(struct sim_queue *q, heap_key *keys, uint32_t i, struct sim_event *ev,
                          heap_key k)
{
	q->heap[i] = ev;
	keys[i] = k;
	ev->slot = i;
}

/* The smallest of the four children from slot c, without a branch. */
static inline uint32_t min_child(const heap_key *keys, uint32_t c)
{
	uint32_t a = c + (uint32_t)key_less(keys[c + 1], keys[c]);
	uint32_t b = c + 2 + (uint32_t)key_less(keys[c + 3], keys[c + 2]);
	uint32_t b_wins = (uint32_t)key_less(keys[b], keys[a]);
	return a ^ ((a ^ b) & (0u - b_wins));
}

/* Moves ev (key k) up from the hole at slot i to its place. */
static void sift_up(struct sim_queue *q, uint32_t i, struct sim_event *ev, heap_key k)
{
	heap_key *keys = keys_of(q->heap, q->cap);

	while (i > 0) {
		uint32_t parent = (i - 1) / ARITY;
		if (!key_less(k, keys[parent]))
			break;
		put_at(q, keys, i, q->heap[parent], keys[parent]);
		i = parent;
	}
	put_at(q, keys, i, ev, k);
}

/* Moves ev (key k) down from the hole at slot i to its place. */
static void sift_down(struct sim_queue *q, uint32_t i, struct sim_event *ev, heap_key k)
{
	heap_key *keys = keys_of(q->heap, q->cap);

	for (;;) {
		uint32_t first = ARITY * i + 1;
		if (first >= q->len) /* a leaf? */
			break;
		uint32_t best = min_child(keys, first);
		if (!key_less(keys[best], k))
			break;
		put_at(q, keys, i, q->heap[best], keys[best]);
		i = best;
	}
	put_at(q, keys, i, ev, k);
}

/* Puts ev, whose key changed or which fills the hole at slot i, in place. */
static void restore(struct sim_queue *q, uint32_t i, struct sim_event *ev, heap_key k)
{
	if (i > 0 && key_less(k, keys_of(q->heap, q->cap)[(i - 1) / ARITY]))
		sift_up(q, i, ev, k);
	else
		sift_down(q, i, ev, k);
}

/* Doubles the allocation; the keys move up to their new place after the
 * longer pointer array, and the new tail is filled with KEY_MAX. */
static void grow(struct sim_queue *q)
{
	uint32_t old_cap = q->cap;

	g_assert(q->cap <= (SIM_EVENT_BEHIND - ARITY) / 2); /* slots must stay below BEHIND */
	q->cap = q->cap ? 2 * q->cap : INITIAL_CAP;
	q->heap = g_realloc(q->heap, (size_t)q->cap * sizeof(struct sim_event *) +
	                                     ((size_t)q->cap + ARITY) * sizeof(heap_key));
	heap_key *keys = keys_of(q->heap, q->cap);
	g_assert((uintptr_t)keys % _Alignof(heap_key) == 0);
	if (old_cap)
		memmove(keys, keys_of(q->heap, old_cap), q->len * sizeof(heap_key));
	for (uint32_t i = q->len; i < q->cap + ARITY; i++)
		keys[i] = KEY_MAX;
}

/* Takes the event at slot i out of the heap and fills the hole. */
static void remove_at(struct sim_queue *q, uint32_t i)
{
	heap_key *keys = keys_of(q->heap, q->cap);
	struct sim_event *ev = q->heap[i];
	uint32_t end = --q->len;
	struct sim_event *last = q->heap[end];
	heap_key last_key = keys[end];

	keys[end] = KEY_MAX;
	if (i != end) /* was ev not the last leaf? */
		restore(q, i, last, last_key);
	ev->slot = SIM_EVENT_IDLE;
}

/* Puts ev at the end of the heap and sifts it up. */
static void push(struct sim_queue *q, struct sim_event *ev)
{
	if (q->len == q->cap)
		grow(q);
	sift_up(q, q->len++, ev, key_of(ev));
}

static inline bool in_lane(const struct sim_event *ev)
{
	return ev->lane != SIM_EVENT_NO_LANE;
}

/* Would ev go at the end of lane l?  Its order is the newest, so only its
 * time needs comparing. */
static inline bool joins_lane(const struct sim_lane *l, const struct sim_event *ev)
{
	return l->last && ev->at >= l->last_at;
}

/* Queues ev, which is not queued: at the end of lane `lane`; or in the
 * heap, as the lane's first when the lane is empty, else alone. */
static void insert(struct sim_queue *q, struct sim_event *ev, uint32_t lane)
{
	struct sim_lane *l = &q->lanes[lane];
	q->queued++;
	ev->lane_next = NULL;
	if (joins_lane(l, ev)) {
		ev->lane_prev = l->last;
		l->last->lane_next = ev;
		l->last = ev;
		l->last_at = ev->at;
		ev->lane = lane;
		ev->slot = SIM_EVENT_BEHIND;
		return;
	}
	if (!l->last) {
		ev->lane_prev = NULL;
		l->first = l->last = ev;
		l->last_at = ev->at;
		ev->lane = lane;
	}
	push(q, ev);
}

static void unlink_lane(struct sim_queue *q, struct sim_event *ev)
{
	struct sim_lane *l = &q->lanes[ev->lane];
	if (ev->lane_prev)
		ev->lane_prev->lane_next = ev->lane_next;
	else
		l->first = ev->lane_next;
	if (ev->lane_next) {
		ev->lane_next->lane_prev = ev->lane_prev;
	} else {
		l->last = ev->lane_prev;
		l->last_at = l->last ? l->last->at : SIM_NEVER;
	}
	ev->lane_prev = ev->lane_next = NULL;
	ev->lane = SIM_EVENT_NO_LANE;
}

/* Takes the queued event ev out, from the heap or a lane; when it was a
 * lane's first, the next one in the lane enters the heap. */
static void take(struct sim_queue *q, struct sim_event *ev)
{
	q->queued--;
	if (ev->slot == SIM_EVENT_BEHIND) {
		unlink_lane(q, ev);
		ev->slot = SIM_EVENT_IDLE;
		return;
	}
	remove_at(q, ev->slot);
	if (in_lane(ev)) { /* its lane's first */
		struct sim_lane *l = &q->lanes[ev->lane];
		unlink_lane(q, ev);
		if (l->first)
			push(q, l->first);
	}
}

void sim_queue_init(struct sim_queue *q)
{
	*q = (struct sim_queue){ .heap = NULL, .now = 0 };
	for (uint32_t l = 0; l < SIM_QUEUE_LANES; l++)
		q->lanes[l].last_at = SIM_NEVER;
}

void sim_queue_clear(struct sim_queue *q)
{
	/* The events outlive the heap: mark them idle so a later cancel or
	 * sim_event_pending() on one of them stays correct. */
	for (uint32_t i = 0; i < q->len; i++)
		q->heap[i]->slot = SIM_EVENT_IDLE;
	for (uint32_t l = 0; l < SIM_QUEUE_LANES; l++)
		for (struct sim_event *ev = q->lanes[l].first, *next; ev; ev = next) {
			next = ev->lane_next;
			ev->slot = SIM_EVENT_IDLE;
			ev->lane = SIM_EVENT_NO_LANE;
			ev->lane_prev = ev->lane_next = NULL;
		}
	g_free(q->heap);
	sim_queue_init(q);
}

/* queued here?  (the heap's back-pointer, or the lane's mark) */
static inline bool queued_here(const struct sim_queue *q, const struct sim_event *ev)
{
	return ev->slot == SIM_EVENT_BEHIND || (ev->slot < q->len && q->heap[ev->slot] == ev);
}

static inline void schedule(struct sim_queue *q, struct sim_event *ev, sim_time at, uint32_t lane)
{
	g_assert(at >= q->now); /* scheduling into the past is a bug in the caller */
	ev->at = at;
	ev->order = q->next_order++;
	if (sim_event_pending(ev)) {
		g_assert(queued_here(q, ev));
		/* In the heap alone, and not later than the lane's end: one
		 * sift.  (A timer moved past the end joins the lane: a
		 * connection's timer becomes its 2*MSL timer when it enters
		 * TIME_WAIT.) */
		if (!in_lane(ev) && !joins_lane(&q->lanes[lane], ev)) {
			restore(q, ev->slot, ev, key_of(ev));
			return;
		}
		take(q, ev);
	}
	insert(q, ev, lane);
}

void sim_queue_schedule(struct sim_queue *q, struct sim_event *ev, sim_time at)
{
	schedule(q, ev, at, SIM_LANE_ANY);
}

void sim_queue_schedule_in(struct sim_queue *q, struct sim_event *ev, sim_time at, uint32_t lane)
{
	g_assert(lane < SIM_QUEUE_LANES);
	schedule(q, ev, at, lane);
}

void sim_queue_take_out(struct sim_queue *q, struct sim_event *ev)
{
	g_assert(sim_event_pending(ev) && queued_here(q, ev));
	take(q, ev);
}

sim_time sim_queue_peek_time(const struct sim_queue *q)
{
	return q->len ? q->heap[0]->at : SIM_NEVER;
}

/* The stop flag belongs to one call: a stop requested by the last event of
 * one run does not cancel the next run. */
uint64_t sim_queue_run(struct sim_queue *q, sim_time until)
{
	uint64_t fired = 0, same_instant = 0;

	q->stopped = false;
	q->stalled = false;
	while (q->len > 0 && !q->stopped) {
		struct sim_event *ev = q->heap[0];
		if (ev->at > until)
			break;
		same_instant = ev->at == q->now ? same_instant + 1 : 0;
		if (same_instant >= SIM_QUEUE_STALL_EVENTS) {
			q->stalled = true;
			break;
		}
		take(q, ev); /* out before firing: the handler may re-arm or free it */
		q->now = ev->at;
		q->fired++;
		fired++;
		ev->fire(q, ev);
	}
	return fired;
}
