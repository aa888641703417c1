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

	g_assert(q->cap <= (SIM_EVENT_IDLE - ARITY) / 2); /* slots must stay below IDLE */
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

void sim_queue_init(struct sim_queue *q)
{
	*q = (struct sim_queue){ .heap = NULL, .now = 0 };
}

void sim_queue_clear(struct sim_queue *q)
{
	/* The events outlive the heap: mark them idle so a later cancel or
	 * sim_event_pending() on one of them stays correct. */
	for (uint32_t i = 0; i < q->len; i++)
		q->heap[i]->slot = SIM_EVENT_IDLE;
	g_free(q->heap);
	sim_queue_init(q);
}

void sim_queue_schedule(struct sim_queue *q, struct sim_event *ev, sim_time at)
{
	g_assert(at >= q->now); /* scheduling into the past is a bug in the caller */
	ev->at = at;
	ev->order = q->next_order++;
	if (sim_event_pending(ev)) {
		g_assert(ev->slot < q->len && q->heap[ev->slot] == ev); /* queued here? */
		restore(q, ev->slot, ev, key_of(ev));
		return;
	}
	if (q->len == q->cap)
		grow(q);
	sift_up(q, q->len++, ev, key_of(ev));
}

void sim_queue_cancel(struct sim_queue *q, struct sim_event *ev)
{
	if (!sim_event_pending(ev))
		return;
	g_assert(ev->slot < q->len && q->heap[ev->slot] == ev); /* queued here? */
	remove_at(q, ev->slot);
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
		remove_at(q, 0); /* out before firing: the handler may re-arm or free it */
		q->now = ev->at;
		q->fired++;
		fired++;
		ev->fire(q, ev);
	}
	return fired;
}
