/*
 * Micro-benchmark of the event queue under the load a simulation puts on
 * it: N connections exchanging packets, each connection with a
 * retransmission timer embedded in its object, and the packets in flight
 * taken from a sim_pool.
 *
 *  - each connection keeps about one packet in flight (an echo exchange):
 *    a packet arriving re-arms the connection's timer (a move, the common
 *    case in TCP: one per ACK) and sends the reply, a transient event that
 *    is scheduled, popped and returned to the pool;
 *  - 1 packet in 32 is lost (no reply: the timer will fire), 1 in 32 is
 *    duplicated (up to a cap on packets in flight), 1 arrival in 64
 *    cancels the timer and schedules it afresh (a connection closing and
 *    the next one opening);
 *  - a timer that fires (a retransmission) sends a packet and re-arms.
 *
 * Everything is deterministic (a fixed xorshift seed in the bench state),
 * so every run measures the same sequence of operations.  Prints
 *   queue: <events> events in <s> s = <M> million events/s
 *
 * Usage: bench_queue [EVENTS [CONNECTIONS]]   (default 20000000, 10000)
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/engine/pool.h"
#include "sim/engine/queue.h"

struct bench;

/* A connection: its timer lives in it, as in a TCP endpoint. */
struct conn {
	struct sim_event rto; /* the retransmission timer */
	struct bench *b;      /* the whole benchmark */
};

/* A packet in flight: one transient event from the pool. */
struct packet {
	struct sim_event arrive; /* delivery to the receiving connection */
	struct conn *to;         /* the receiving connection */
};

struct bench {
	struct sim_queue q;     /* the queue under test */
	struct sim_pool pool;   /* packets */
	struct conn *conns;     /* every connection */
	size_t n_conns;         /* connections */
	size_t max_in_flight;   /* cap on packets, so the heap keeps its size */
	uint64_t target;        /* events to fire before stopping */
	uint64_t rng;           /* xorshift64 state */
	uint64_t moves, cancels; /* operations done, for the report */
};

static uint64_t next_rand(struct bench *b)
{
	b->rng ^= b->rng << 13;
	b->rng ^= b->rng >> 7;
	b->rng ^= b->rng << 17;
	return b->rng;
}

/* Uniform in [lo, lo + span). */
static sim_time rand_time(struct bench *b, sim_time lo, sim_time span)
{
	return lo + (sim_time)(next_rand(b) % (uint64_t)span);
}

static void packet_arrives(struct sim_queue *q, struct sim_event *ev);

/* Sends a packet to connection c: 1-50 ms of one-way delay. */
static void send_packet(struct bench *b, struct conn *c)
{
	if (b->pool.in_use >= b->max_in_flight)
		return;
	struct packet *p = sim_pool_get(&b->pool);
	p->to = c;
	sim_event_init(&p->arrive, packet_arrives, p);
	sim_queue_schedule(&b->q, &p->arrive, b->q.now + rand_time(b, SIM_MS, 49 * SIM_MS));
}

/* Re-arms a connection's timer: 200-300 ms, like an RTO. */
static void arm_rto(struct bench *b, struct conn *c)
{
	sim_queue_schedule(&b->q, &c->rto, b->q.now + rand_time(b, 200 * SIM_MS, 100 * SIM_MS));
}

static void packet_arrives(struct sim_queue *q, struct sim_event *ev)
{
	struct packet *p = ev->ctx;
	struct conn *c = p->to;
	struct bench *b = c->b;
	uint64_t r = next_rand(b);

	sim_pool_put(&b->pool, p);
	if ((r & 63) == 0) { /* close and reopen: cancel, then a fresh timer */
		sim_queue_cancel(q, &c->rto);
		b->cancels++;
	}
	b->moves += sim_event_pending(&c->rto);
	arm_rto(b, c);
	if ((r >> 8) % 32 != 0) /* the reply, unless this packet was lost */
		send_packet(b, c);
	if ((r >> 16) % 32 == 0) /* a duplicate */
		send_packet(b, c);
	if (q->fired >= b->target)
		sim_queue_stop(q);
}

static void rto_fires(struct sim_queue *q, struct sim_event *ev)
{
	struct conn *c = ev->ctx;

	send_packet(c->b, c); /* the retransmission */
	arm_rto(c->b, c);
	if (q->fired >= c->b->target)
		sim_queue_stop(q);
}

static void bench_init(struct bench *b, uint64_t target, size_t n_conns)
{
	*b = (struct bench){
		.n_conns = n_conns,
		.max_in_flight = 2 * n_conns,
		.target = target,
		.rng = 0x9e3779b97f4a7c15ull,
	};
	sim_queue_init(&b->q);
	sim_pool_init(&b->pool, sizeof(struct packet));
	b->conns = g_new0(struct conn, n_conns);
	for (size_t i = 0; i < n_conns; i++) {
		b->conns[i].b = b;
		sim_event_init(&b->conns[i].rto, rto_fires, &b->conns[i]);
		arm_rto(b, &b->conns[i]);
		send_packet(b, &b->conns[i]);
	}
}

static void bench_clear(struct bench *b)
{
	sim_queue_clear(&b->q);
	sim_pool_clear(&b->pool);
	g_free(b->conns);
}

static uint64_t parse_arg(const char *text, const char *what)
{
	char *end;
	guint64 v = g_ascii_strtoull(text, &end, 10);

	if (*text == '\0' || *end != '\0' || v == 0) {
		fprintf(stderr, "bench_queue: %s must be a positive whole number, not \"%s\"\n", what, text);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	uint64_t target = argc > 1 ? parse_arg(argv[1], "the event count") : 20000000;
	size_t n_conns = argc > 2 ? (size_t)parse_arg(argv[2], "the connection count") : 10000;
	struct bench b;

	if (argc > 3) {
		fprintf(stderr, "usage: bench_queue [EVENTS [CONNECTIONS]]\n");
		return 2;
	}
	bench_init(&b, target, n_conns);
	gint64 start = g_get_monotonic_time();
	sim_queue_run(&b.q, SIM_NEVER);
	double secs = (double)(g_get_monotonic_time() - start) / 1e6;
	printf("queue: %" G_GUINT64_FORMAT " events in %.3f s = %.1f million events/s\n", b.q.fired,
	       secs, (double)b.q.fired / secs / 1e6);
	fprintf(stderr,
	        "  %zu connections, %" G_GUINT64_FORMAT " timer moves, %" G_GUINT64_FORMAT
	        " cancels, %zu packets in flight at the end (peak %zu), %u queued: %u in the heap"
	        " (of %u slots), %u in the lane behind its first\n",
	        n_conns, b.moves, b.cancels, b.pool.in_use, b.pool.peak, b.q.queued, b.q.len, b.q.cap,
	        b.q.queued - b.q.len);
	bench_clear(&b);
	return 0;
}
