/*
 * Tests of the event queue (sim/engine/queue.c): firing order by time and by
 * scheduling order on ties, cancel, move, handlers that re-arm or free
 * their event, run limits, stop, and a randomized comparison with a
 * trivially correct reference over 100k operations.  check_heap() verifies
 * the heap invariants of queue.c after the operations.
 */
#include <glib.h>
#include <stdbool.h>
#include <string.h>

#include "sim/engine/queue.h"

/* What the handlers below record. */
struct log {
	int ids[256];    /* ctx ids in firing order */
	sim_time at[256]; /* q->now seen by each handler */
	size_t n;        /* events fired */
};

/* An event whose ctx points at one of these. */
struct item {
	struct sim_event ev; /* the queued event */
	int id;              /* recorded when fired */
	struct log *log;     /* where to record */
};

static void record(struct sim_queue *q, struct sim_event *ev)
{
	struct item *it = ev->ctx;

	g_assert_false(sim_event_pending(ev)); /* out of the heap before firing */
	g_assert_cmpint(q->now, ==, ev->at);
	g_assert_cmpuint(it->log->n, <, G_N_ELEMENTS(it->log->ids));
	it->log->ids[it->log->n] = it->id;
	it->log->at[it->log->n++] = q->now;
}

static void items_init(struct item *items, size_t n, struct log *log)
{
	for (size_t i = 0; i < n; i++) {
		items[i] = (struct item){ .id = (int)i, .log = log };
		sim_event_init(&items[i].ev, record, &items[i]);
	}
}

static bool ev_before(const struct sim_event *a, const struct sim_event *b)
{
	return a->at < b->at || (a->at == b->at && a->order < b->order);
}

/* The invariants of queue.c: heap order, slot back-pointers, and the
 * lanes: each sorted, its first event in the heap and the others behind
 * it, every event naming the lane it is in. */
static uint32_t check_lane(const struct sim_queue *q, uint32_t l)
{
	const struct sim_lane *lane = &q->lanes[l];
	uint32_t behind = 0;

	g_assert_true((lane->first == NULL) == (lane->last == NULL));
	for (const struct sim_event *ev = lane->first; ev; ev = ev->lane_next) {
		g_assert_cmpuint(ev->lane, ==, l);
		if (ev == lane->first) {
			g_assert_null(ev->lane_prev);
			g_assert_cmpuint(ev->slot, <, q->len);
		} else {
			g_assert_true(ev->lane_prev->lane_next == ev);
			g_assert_true(ev_before(ev->lane_prev, ev));
			g_assert_cmpuint(ev->slot, ==, SIM_EVENT_BEHIND);
			behind++;
		}
		if (!ev->lane_next)
			g_assert_true(ev == lane->last);
	}
	return behind;
}

static void check_heap(const struct sim_queue *q)
{
	uint32_t behind = 0;

	g_assert_cmpuint(q->len, <=, q->cap);
	for (uint32_t i = 0; i < q->len; i++) {
		const struct sim_event *ev = q->heap[i];
		g_assert_cmpuint(ev->slot, ==, i);
		g_assert_cmpint(ev->at, >=, q->now);
		if (i > 0)
			g_assert_false(ev_before(ev, q->heap[(i - 1) / 4]));
		if (ev->lane != SIM_EVENT_NO_LANE)
			g_assert_true(q->lanes[ev->lane].first == ev);
	}
	for (uint32_t l = 0; l < SIM_QUEUE_LANES; l++)
		behind += check_lane(q, l);
	g_assert_cmpuint(q->queued, ==, q->len + behind);
}

static void test_order_time(void)
{
	static const sim_time times[] = { 50, 10, 40, 30, 20, 70, 60, 0, 90, 80 };
	struct sim_queue q;
	struct log log = { 0 };
	struct item items[G_N_ELEMENTS(times)];

	sim_queue_init(&q);
	items_init(items, G_N_ELEMENTS(items), &log);
	for (size_t i = 0; i < G_N_ELEMENTS(times); i++)
		sim_queue_schedule(&q, &items[i].ev, times[i]);
	check_heap(&q);
	g_assert_cmpint(sim_queue_peek_time(&q), ==, 0);
	g_assert_cmpuint(sim_queue_run(&q, SIM_NEVER), ==, G_N_ELEMENTS(times));
	g_assert_cmpuint(log.n, ==, G_N_ELEMENTS(times));
	for (size_t i = 0; i < log.n; i++) {
		g_assert_cmpint(log.at[i], ==, (sim_time)i * 10);
		g_assert_cmpint(times[log.ids[i]], ==, (sim_time)i * 10);
	}
	g_assert_cmpuint(q.queued, ==, 0);
	g_assert_cmpuint(q.fired, ==, G_N_ELEMENTS(times));
	g_assert_cmpint(q.now, ==, 90);
	g_assert_cmpint(sim_queue_peek_time(&q), ==, SIM_NEVER);
	sim_queue_clear(&q);
}

/* Same instant: scheduling order decides, even across heap levels. */
static void test_order_ties_fifo(void)
{
	enum { N = 200 };
	struct sim_queue q;
	struct log log = { 0 };
	static struct item items[N];

	sim_queue_init(&q);
	items_init(items, N, &log);
	for (size_t i = 0; i < N; i++)
		sim_queue_schedule(&q, &items[i].ev, 5);
	check_heap(&q);
	sim_queue_run(&q, SIM_NEVER);
	g_assert_cmpuint(log.n, ==, N);
	for (size_t i = 0; i < log.n; i++)
		g_assert_cmpint(log.ids[i], ==, (int)i);
	sim_queue_clear(&q);
}

/* Schedules n events at random times, then drains the queue by cancelling
 * the earliest event each time, checking the order and the invariants. */
static void fill_and_drain(GRand *rng, struct sim_event *events, int n)
{
	struct sim_queue q;
	sim_time last = -1;
	uint64_t last_order = 0;

	sim_queue_init(&q);
	for (int i = 0; i < n; i++) {
		sim_event_init(&events[i], NULL, NULL);
		sim_queue_schedule(&q, &events[i], g_rand_int_range(rng, 0, 50));
	}
	check_heap(&q);
	for (int i = 0; i < n; i++) {
		struct sim_event *first = q.heap[0];
		g_assert_cmpint(first->at, >=, last);
		if (first->at == last)
			g_assert_cmpuint(first->order, >, last_order);
		last = first->at;
		last_order = first->order;
		sim_queue_cancel(&q, first);
		check_heap(&q);
	}
	g_assert_cmpuint(q.queued, ==, 0);
	sim_queue_clear(&q);
}

/* Every heap size up to a few growths, so each shape of the last, partly
 * filled group of children is drained; sizes next to a capacity (a power
 * of two from 64) many times, as the last group there reaches the end of
 * the allocation. */
static void test_order_every_size(void)
{
	enum { MAX = 300 };
	static struct sim_event events[MAX];
	GRand *rng = g_rand_new_with_seed(99);

	for (int n = 1; n <= MAX; n++)
		fill_and_drain(rng, events, n);
	for (int cap = 64; cap <= 256; cap *= 2)
		for (int n = cap - 4; n <= cap; n++)
			for (int round = 0; round < 200; round++)
				fill_and_drain(rng, events, n);
	g_rand_free(rng);
}

static void test_cancel(void)
{
	struct sim_queue q;
	struct log log = { 0 };
	struct item items[8];

	sim_queue_init(&q);
	items_init(items, G_N_ELEMENTS(items), &log);
	sim_queue_cancel(&q, &items[0].ev); /* not queued: nothing happens */
	for (size_t i = 0; i < G_N_ELEMENTS(items); i++)
		sim_queue_schedule(&q, &items[i].ev, (sim_time)(i + 1) * 10);
	sim_queue_cancel(&q, &items[0].ev); /* the root */
	sim_queue_cancel(&q, &items[7].ev); /* the last leaf */
	sim_queue_cancel(&q, &items[3].ev); /* inside */
	sim_queue_cancel(&q, &items[3].ev); /* twice */
	check_heap(&q);
	g_assert_cmpuint(q.queued, ==, 5);
	g_assert_false(sim_event_pending(&items[0].ev));
	g_assert_cmpuint(items[3].ev.slot, ==, SIM_EVENT_IDLE);
	g_assert_true(sim_event_pending(&items[4].ev));
	g_assert_cmpint(sim_queue_peek_time(&q), ==, 20);
	sim_queue_run(&q, SIM_NEVER);
	static const int expected[] = { 1, 2, 4, 5, 6 };
	g_assert_cmpmem(log.ids, log.n * sizeof(int), expected, sizeof expected);
	sim_queue_clear(&q);
}

/* Scheduling a queued event moves it, with a fresh order for ties. */
static void test_reschedule_moves(void)
{
	struct sim_queue q;
	struct log log = { 0 };
	struct item items[4];

	sim_queue_init(&q);
	items_init(items, G_N_ELEMENTS(items), &log);
	sim_queue_schedule(&q, &items[0].ev, 10);
	sim_queue_schedule(&q, &items[1].ev, 20);
	sim_queue_schedule(&q, &items[2].ev, 30);
	sim_queue_schedule(&q, &items[3].ev, 30);
	sim_queue_schedule(&q, &items[0].ev, 30); /* later: after 2 and 3 at 30 */
	sim_queue_schedule(&q, &items[2].ev, 5);  /* earlier: the new root */
	check_heap(&q);
	g_assert_cmpuint(q.queued, ==, 4);
	g_assert_cmpint(sim_queue_peek_time(&q), ==, 5);
	sim_queue_run(&q, SIM_NEVER);
	static const int expected[] = { 2, 1, 3, 0 };
	g_assert_cmpmem(log.ids, log.n * sizeof(int), expected, sizeof expected);
	g_assert_cmpint(log.at[3], ==, 30);
	sim_queue_clear(&q);
}

/* A periodic timer that re-arms itself from its handler. */
struct ticker {
	struct sim_event ev; /* the timer */
	int ticks;           /* times fired */
	int limit;           /* stop re-arming after this many */
};

static void tick(struct sim_queue *q, struct sim_event *ev)
{
	struct ticker *t = ev->ctx;

	g_assert_cmpint(q->now, ==, (sim_time)(t->ticks + 1) * 100);
	if (++t->ticks < t->limit)
		sim_queue_schedule(q, ev, q->now + 100);
}

struct transient {
	struct sim_event ev; /* the one-shot */
	int *count;          /* incremented when fired */
};

/* A one-shot whose handler frees the object holding the event. */
static void free_self(struct sim_queue *q, struct sim_event *ev)
{
	struct transient *tr = ev->ctx;

	(void)q;
	(*tr->count)++;
	g_free(tr);
}

static void test_handler_reschedules_itself(void)
{
	struct sim_queue q;
	struct ticker t = { .limit = 5 };
	int freed = 0;

	sim_queue_init(&q);
	sim_event_init(&t.ev, tick, &t);
	sim_queue_schedule(&q, &t.ev, 100);
	for (int i = 0; i < 3; i++) {
		struct transient *tr = g_new0(struct transient, 1);
		tr->count = &freed;
		sim_event_init(&tr->ev, free_self, tr);
		sim_queue_schedule(&q, &tr->ev, 150 + i);
	}
	g_assert_cmpuint(sim_queue_run(&q, SIM_NEVER), ==, 8);
	g_assert_cmpint(t.ticks, ==, 5);
	g_assert_cmpint(freed, ==, 3);
	g_assert_false(sim_event_pending(&t.ev));
	g_assert_cmpint(q.now, ==, 500);
	sim_queue_clear(&q);
}

static void test_run_until(void)
{
	struct sim_queue q;
	struct log log = { 0 };
	struct item items[3];

	sim_queue_init(&q);
	items_init(items, G_N_ELEMENTS(items), &log);
	for (size_t i = 0; i < G_N_ELEMENTS(items); i++)
		sim_queue_schedule(&q, &items[i].ev, (sim_time)(i + 1) * 10);
	g_assert_cmpuint(sim_queue_run(&q, 5), ==, 0);
	g_assert_cmpint(q.now, ==, 0);
	g_assert_cmpuint(sim_queue_run(&q, 20), ==, 2); /* `until` is inclusive */
	g_assert_cmpint(q.now, ==, 20);
	g_assert_cmpint(sim_queue_peek_time(&q), ==, 30);
	g_assert_cmpuint(sim_queue_run(&q, SIM_NEVER), ==, 1);
	g_assert_cmpuint(q.fired, ==, 3);
	g_assert_cmpuint(sim_queue_run(&q, SIM_NEVER), ==, 0); /* empty */
	sim_queue_clear(&q);
}

static void stop_here(struct sim_queue *q, struct sim_event *ev)
{
	record(q, ev);
	sim_queue_stop(q);
}

static void test_stop(void)
{
	struct sim_queue q;
	struct log log = { 0 };
	struct item items[4];

	sim_queue_init(&q);
	items_init(items, G_N_ELEMENTS(items), &log);
	items[1].ev.fire = stop_here;
	for (size_t i = 0; i < G_N_ELEMENTS(items); i++)
		sim_queue_schedule(&q, &items[i].ev, 10); /* same instant: stop is not time-based */
	g_assert_cmpuint(sim_queue_run(&q, SIM_NEVER), ==, 2);
	g_assert_true(q.stopped);
	g_assert_cmpuint(q.queued, ==, 2);
	g_assert_cmpuint(sim_queue_run(&q, SIM_NEVER), ==, 2); /* a new run goes on */
	static const int expected[] = { 0, 1, 2, 3 };
	g_assert_cmpmem(log.ids, log.n * sizeof(int), expected, sizeof expected);
	sim_queue_clear(&q);
}

/* An event that schedules itself again at the same instant. */
static void again_now(struct sim_queue *q, struct sim_event *ev)
{
	sim_queue_schedule(q, ev, q->now);
}

/* Time that stops advancing stops the run (a program looping forever
 * without waiting): SIM_QUEUE_STALL_EVENTS events in a row at one
 * instant, then q->stalled, and the run is over. */
static void test_stall(void)
{
	struct sim_queue q;
	struct log log = { 0 };
	struct item items[1];

	sim_queue_init(&q);
	items_init(items, 1, &log);
	items[0].ev.fire = again_now;
	sim_queue_schedule(&q, &items[0].ev, 7);
	g_assert_cmpuint(sim_queue_run(&q, SIM_NEVER), ==, SIM_QUEUE_STALL_EVENTS);
	g_assert_true(q.stalled);
	g_assert_cmpint(q.now, ==, 7);
	g_assert_cmpuint(q.queued, ==, 1);
	sim_queue_cancel(&q, &items[0].ev);
	sim_queue_schedule(&q, &items[0].ev, 8);
	items[0].ev.fire = record;
	g_assert_cmpuint(sim_queue_run(&q, SIM_NEVER), ==, 1);
	g_assert_false(q.stalled); /* the flag belongs to one run */
	sim_queue_clear(&q);
}

/* Clear forgets the events: they read as idle and can be queued again. */
static void test_clear(void)
{
	struct sim_queue q;
	struct log log = { 0 };
	struct item items[3];

	sim_queue_init(&q);
	items_init(items, G_N_ELEMENTS(items), &log);
	for (size_t i = 0; i < G_N_ELEMENTS(items); i++)
		sim_queue_schedule(&q, &items[i].ev, 10);
	sim_queue_clear(&q);
	for (size_t i = 0; i < G_N_ELEMENTS(items); i++)
		g_assert_false(sim_event_pending(&items[i].ev));
	g_assert_cmpuint(q.queued, ==, 0);
	sim_queue_cancel(&q, &items[0].ev);
	sim_queue_schedule(&q, &items[2].ev, 1);
	g_assert_cmpuint(sim_queue_run(&q, SIM_NEVER), ==, 1);
	sim_queue_clear(&q);
}

/* Scheduling into the past is a programming error: it must abort. */
static void test_schedule_past(void)
{
	if (g_test_subprocess()) {
		struct sim_queue q;
		struct log log = { 0 };
		struct item items[2];

		sim_queue_init(&q);
		items_init(items, 2, &log);
		sim_queue_schedule(&q, &items[0].ev, 100);
		sim_queue_run(&q, SIM_NEVER);
		sim_queue_schedule(&q, &items[1].ev, 99);
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_failed();
	g_test_trap_assert_stderr("*at >= q->now*");
}

/*
 * Randomized comparison with a reference that knows each event's time and
 * scheduling sequence and finds what fires by sorting.  Times are coarse so
 * that ties are frequent; handlers only record.
 */
enum { RAND_EVENTS = 512, RAND_OPS = 100000 };

struct ref {
	bool pending[RAND_EVENTS]; /* queued, according to the reference */
	sim_time at[RAND_EVENTS];  /* when it fires */
	uint64_t seq[RAND_EVENTS]; /* the reference's own scheduling counter */
	uint64_t next_seq;         /* next value of seq */
	size_t n_pending;          /* events pending */
};

struct rand_ctx {
	GArray *fired; /* int ids, in firing order */
	int id;        /* this event's id */
};

static bool ref_before(const struct ref *ref, int x, int y)
{
	return ref->at[x] < ref->at[y] || (ref->at[x] == ref->at[y] && ref->seq[x] < ref->seq[y]);
}

/* Insertion sort: few events are due per run, and it needs no context. */
static void ref_sort(const struct ref *ref, int *ids, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		int id = ids[i];
		size_t j = i;
		for (; j > 0 && ref_before(ref, id, ids[j - 1]); j--)
			ids[j] = ids[j - 1];
		ids[j] = id;
	}
}

static void rand_record(struct sim_queue *q, struct sim_event *ev)
{
	struct rand_ctx *c = ev->ctx;

	g_assert_cmpint(q->now, ==, ev->at);
	g_array_append_val(c->fired, c->id);
}

/* Runs the queue until `until` and checks it fired what the reference says. */
static void rand_run(struct sim_queue *q, struct ref *ref, GArray *fired, sim_time until)
{
	int expect[RAND_EVENTS];
	size_t n = 0;

	for (int i = 0; i < RAND_EVENTS; i++)
		if (ref->pending[i] && ref->at[i] <= until)
			expect[n++] = i;
	ref_sort(ref, expect, n);
	g_array_set_size(fired, 0);
	g_assert_cmpuint(sim_queue_run(q, until), ==, n);
	g_assert_cmpmem(fired->data, fired->len * sizeof(int), expect, n * sizeof(int));
	for (size_t i = 0; i < n; i++)
		ref->pending[expect[i]] = false;
	ref->n_pending -= n;
}

/* A bulk transfer's events: the data packets in flight one way and the
 * ACKs the other, each stream in time order but interleaved with the
 * other, and a retransmission timer moved past both at every ACK.  Each
 * stream in a lane of its own, the heap holds no more than the lanes'
 * firsts; and they fire in time order, ties as scheduled. */
static void test_lanes_interleaved(void)
{
	struct sim_queue q;
	struct log log = { 0 };
	struct item items[201];
	struct sim_event *rto = &items[200].ev;

	sim_queue_init(&q);
	items_init(items, G_N_ELEMENTS(items), &log);
	for (int i = 0; i < 100; i++) {
		sim_queue_schedule_in(&q, &items[2 * i].ev, 1000 + 10 * i, 1);     /* a data packet */
		sim_queue_schedule_in(&q, &items[2 * i + 1].ev, 1005 + 10 * i, 2); /* an ACK */
		sim_queue_schedule(&q, rto, 100000 + i);                          /* moved past both */
		g_assert_cmpuint(q.len, <=, SIM_QUEUE_LANES);
	}
	check_heap(&q);
	g_assert_cmpuint(sim_queue_run(&q, SIM_NEVER), ==, G_N_ELEMENTS(items));
	for (size_t i = 0; i < 200; i++)
		g_assert_cmpint(log.ids[i], ==, (int)i);
	g_assert_cmpint(log.at[200], ==, 100099);
	sim_queue_clear(&q);
}

/* Random schedules, moves, cancels and runs, checked against the
 * reference; far_percent of the schedules are "TIME_WAIT timers", set for
 * one long delay, which gather in the lane; with `lanes`, each schedule
 * into a lane drawn at random. */
static void random_ops(guint32 seed, int far_percent, bool lanes)
{
	static struct sim_event events[RAND_EVENTS];
	static struct rand_ctx ctx[RAND_EVENTS];
	static struct ref ref;
	GArray *fired = g_array_new(FALSE, FALSE, sizeof(int));
	GRand *rng = g_rand_new_with_seed(seed);
	struct sim_queue q;
	uint64_t ops[3] = { 0 };
	uint32_t most_behind = 0; /* events in the lane behind its first */

	memset(&ref, 0, sizeof ref);
	sim_queue_init(&q);
	for (int i = 0; i < RAND_EVENTS; i++) {
		ctx[i] = (struct rand_ctx){ .fired = fired, .id = i };
		sim_event_init(&events[i], rand_record, &ctx[i]);
	}
	for (int op = 0; op < RAND_OPS; op++) {
		int i = g_rand_int_range(rng, 0, RAND_EVENTS);
		int kind = g_rand_int_range(rng, 0, 10);
		if (kind < 6) { /* schedule, or move when already pending */
			bool far = g_rand_int_range(rng, 0, 100) < far_percent;
			sim_time at = q.now + (far ? 60000 : g_rand_int_range(rng, 0, 40) * 25);
			if (lanes)
				sim_queue_schedule_in(&q, &events[i], at,
				                      (uint32_t)g_rand_int_range(rng, 0, SIM_QUEUE_LANES));
			else
				sim_queue_schedule(&q, &events[i], at);
			ref.n_pending += !ref.pending[i];
			ref.pending[i] = true;
			ref.at[i] = at;
			ref.seq[i] = ref.next_seq++;
		} else if (kind < 8) {
			sim_queue_cancel(&q, &events[i]);
			ref.n_pending -= ref.pending[i];
			ref.pending[i] = false;
		} else {
			rand_run(&q, &ref, fired, q.now + g_rand_int_range(rng, 0, 60) * 25);
		}
		ops[kind < 6 ? 0 : kind < 8 ? 1 : 2]++;
		g_assert_cmpuint(q.queued, ==, ref.n_pending);
		g_assert_cmpint(sim_event_pending(&events[i]), ==, ref.pending[i]);
		most_behind = MAX(most_behind, q.queued - q.len);
		if (op % 997 == 0)
			check_heap(&q);
	}
	check_heap(&q);
	rand_run(&q, &ref, fired, SIM_NEVER);
	g_assert_cmpuint(q.queued, ==, 0);
	g_assert_cmpuint(most_behind, >, far_percent ? 100 : 0); /* the lane was used */
	g_test_message("%" G_GUINT64_FORMAT " schedules, %" G_GUINT64_FORMAT " cancels, %" G_GUINT64_FORMAT
	               " runs, %" G_GUINT64_FORMAT " events fired",
	               ops[0], ops[1], ops[2], q.fired);
	sim_queue_clear(&q);
	g_rand_free(rng);
	g_array_free(fired, TRUE);
}

static void test_random(void)
{
	random_ops(20240611, 0, false);
}

/* Most events in the lane, moved and cancelled from its middle, its first
 * and its last. */
static void test_random_lane(void)
{
	random_ops(20261205, 40, false);
}

/* The same, each event scheduled into any of the lanes. */
static void test_random_lanes(void)
{
	random_ops(20261206, 40, true);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/queue/order/time", test_order_time);
	g_test_add_func("/queue/order/ties-fifo", test_order_ties_fifo);
	g_test_add_func("/queue/order/every-size", test_order_every_size);
	g_test_add_func("/queue/cancel", test_cancel);
	g_test_add_func("/queue/reschedule-moves", test_reschedule_moves);
	g_test_add_func("/queue/handler-reschedules-itself", test_handler_reschedules_itself);
	g_test_add_func("/queue/run-until", test_run_until);
	g_test_add_func("/queue/stop", test_stop);
	g_test_add_func("/queue/stall", test_stall);
	g_test_add_func("/queue/clear", test_clear);
	g_test_add_func("/queue/lanes/interleaved", test_lanes_interleaved);
	g_test_add_func("/queue/schedule-past-aborts", test_schedule_past);
	g_test_add_func("/queue/random", test_random);
	g_test_add_func("/queue/random-lane", test_random_lane);
	g_test_add_func("/queue/random-lanes", test_random_lanes);
	return g_test_run();
}
