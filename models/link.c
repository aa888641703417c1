/*
 * One direction of the network: the fate of each packet offered to it.
 *
 * Model, in the order of models/link.h:
 *  1. Bandwidth and drop-tail queue.  With a bandwidth, a packet starts
 *     transmitting at max(now, busy_until) and occupies the transmitter for
 *     ceil(bytes * 8 * 1e9 / bandwidth) ns.  A packet that cannot start at
 *     once waits in a FIFO; `queue_limit` counts the packets waiting, not
 *     the one being transmitted, so queue_limit = 0 means "no waiting room":
 *     a packet that finds the transmitter busy is dropped.  (netem's `limit`
 *     defaults to 1000 packets, and so does link_params_default().)
 *     Without a bandwidth there is no queue and no transmission time.
 *  2. Loss: Bernoulli(loss).  A lost packet was admitted and transmitted:
 *     it is lost in flight, so it still kept the transmitter busy.
 *  3. Delay: the packet arrives at tx_end + delay + jitter, where the jitter
 *     sample comes from `distribution` and is clamped so that
 *     delay + jitter >= 0: a packet never arrives before it left.
 *  4. Reordering: with probability `reorder`, `reorder_delay` is added.
 *  5. Duplication: with probability `duplicate`, a second copy arrives at
 *     tx_end + delay + its own jitter sample, but never before the first
 *     copy.  The copy is made beyond the transmitter: it costs no
 *     transmission time and never finds the queue full.
 *
 * Random draws and common random numbers.  Each stream is advanced a fixed
 * number of times per *offered* packet, whatever happens to the packet, so
 * that the i-th packet sees the same random numbers at every sweep point
 * that leaves the stream's own parameters unchanged (e.g. raising `loss`
 * does not shift the delays of later packets, nor does a queue drop):
 *   loss_rng:    one uniform if loss > 0, else none;
 *   delay_rng:   one jitter sample if distribution != constant and
 *                jitter > 0, else none;
 *   reorder_rng: one uniform if reorder > 0, else none;
 *   dup_rng:     one uniform if duplicate > 0, then one jitter sample (for
 *                the copy) under the same condition as delay_rng.
 * A stream whose parameter makes it unused may be NULL.  Jitter samples
 * are rounded to the nearest nanosecond.
 *
 * Verdicts: a dropped packet has copies 0 and deliver_at SIM_NEVER; an
 * unused deliver_at[1] is SIM_NEVER too.
 *
 * Counters: `delivered` counts packets with at least one copy delivered,
 * `duplicated` the extra copies, `reordered` the packets whose first copy
 * arrives strictly before the latest first copy of a packet accepted
 * earlier.  Duplicate copies do not move that mark: a receiver that sees
 * A, B, A' calls A' a duplicate, not B out of order.
 *
 * Invariants: the caller offers packets in non-decreasing `now`; the ring
 * holds the transmission start times (= the end time of the previous
 * transmission) of waiting packets in increasing order, at most
 * queue_limit of them; busy_until only grows.
 */
#include "models/link.h"

#include <math.h>
#include <glib.h>
#include <gsl/gsl_randist.h>

/* Bandwidths above this would overflow the exact serialization arithmetic
 * (1 Pbit/s, far beyond any simulated link). */
#define LINK_MAX_BANDWIDTH 1000000000000000ull

/* A jitter sample beyond this (about a year) is clamped, so that a
 * heavy Pareto tail cannot overflow the clock. */
#define LINK_MAX_JITTER ((double)(SIM_NEVER / 256))

void link_params_default(struct link_params *p)
{
	*p = (struct link_params){
		.delay = 10 * SIM_MS,
		.jitter = 0,
		.distribution = LINK_DIST_UNIFORM, /* netem's law once a jitter is set */
		.pareto_shape = 1.5,
		.queue_limit = 1000,
		.router = 0x0a0000feu, /* 10.0.0.254 */
		.arp_probes = 3,       /* Linux mcast_solicit */
		.arp_interval = SIM_SEC, /* Linux retrans_time_ms 1000 */
	};
}

const char *link_distribution_name(enum link_distribution d)
{
	switch (d) {
	case LINK_DIST_CONSTANT:
		return "constant";
	case LINK_DIST_UNIFORM:
		return "uniform";
	case LINK_DIST_NORMAL:
		return "normal";
	case LINK_DIST_EXPONENTIAL:
		return "exponential";
	case LINK_DIST_PARETO:
		return "pareto";
	}
	return "?";
}

static bool prob_ok(double p)
{
	return p >= 0.0 && p <= 1.0;
}

/* Does this link draw a jitter sample per packet? */
static bool has_jitter(const struct link_params *p)
{
	return p->distribution != LINK_DIST_CONSTANT && p->jitter > 0;
}

void link_init(struct link *l, const struct link_params *p, gsl_rng *loss_rng,
               gsl_rng *delay_rng, gsl_rng *reorder_rng, gsl_rng *dup_rng)
{
	/* The config loader rejects bad values with a message; these are
	 * programming errors. */
	g_assert(p->delay >= 0 && p->jitter >= 0 && p->reorder_delay >= 0);
	g_assert(prob_ok(p->loss) && prob_ok(p->reorder) && prob_ok(p->duplicate));
	g_assert(p->distribution != LINK_DIST_PARETO || p->pareto_shape > 0);
	g_assert(p->bandwidth <= LINK_MAX_BANDWIDTH);
	g_assert(p->loss == 0 || loss_rng);
	g_assert(!has_jitter(p) || delay_rng);
	g_assert(p->reorder == 0 || reorder_rng);
	g_assert(p->duplicate == 0 || dup_rng);

	*l = (struct link){
		.p = *p,
		.loss_rng = loss_rng,
		.delay_rng = delay_rng,
		.reorder_rng = reorder_rng,
		.dup_rng = dup_rng,
	};
}

void link_clear(struct link *l)
{
	gsl_rng *streams[] = { l->loss_rng, l->delay_rng, l->reorder_rng, l->dup_rng };

	for (size_t i = 0; i < G_N_ELEMENTS(streams); i++)
		if (streams[i])
			gsl_rng_free(streams[i]);
	g_free(l->queue_exits);
	*l = (struct link){ 0 };
}

/* ceil(bytes * 8 * 1e9 / bandwidth) ns, exactly, without 128-bit integers:
 * whole seconds first, then the remainder digit group by digit group
 * (rem < bw <= 1e15, so rem * 1000 never overflows). */
static sim_time tx_time(uint32_t bytes, uint64_t bw)
{
	uint64_t bits = (uint64_t)bytes * 8u;
	uint64_t secs = bits / bw, rem = bits % bw, frac = 0;

	for (int i = 0; i < 3; i++) {
		rem *= 1000u;
		frac = frac * 1000u + rem / bw;
		rem %= bw;
	}
	if (rem != 0)
		frac++; /* round up: the last bit has to be on the wire */
	return (sim_time)secs * SIM_SEC + (sim_time)frac;
}

/* Forget the waiting packets that have started transmitting by `now`. */
static void queue_drain(struct link *l, sim_time now)
{
	while (l->q_len > 0 && l->queue_exits[l->q_head] <= now) {
		l->q_head = (l->q_head + 1) % l->q_cap;
		l->q_len--;
	}
}

/* Grow the ring by doubling, unrolling it so that head is 0 again. */
static void queue_grow(struct link *l)
{
	uint64_t want = l->q_cap ? (uint64_t)l->q_cap * 2 : 16;
	uint32_t cap = want < l->p.queue_limit ? (uint32_t)want : l->p.queue_limit;
	sim_time *ring = g_new(sim_time, cap); /* never more room than the limit */

	for (uint32_t i = 0; i < l->q_len; i++)
		ring[i] = l->queue_exits[(l->q_head + i) % l->q_cap];
	g_free(l->queue_exits);
	l->queue_exits = ring;
	l->q_head = 0;
	l->q_cap = cap;
}

static void queue_push(struct link *l, sim_time start)
{
	g_assert(l->q_len < l->p.queue_limit);
	if (l->q_len == l->q_cap)
		queue_grow(l);
	g_assert(l->q_len == 0 ||
	         l->queue_exits[(l->q_head + l->q_len - 1) % l->q_cap] <= start);
	l->queue_exits[(l->q_head + l->q_len) % l->q_cap] = start;
	l->q_len++;
}

/* Admits a packet to the transmitter, or refuses it (queue full).  On
 * success *tx_end is when its last bit leaves. */
static bool transmit(struct link *l, sim_time now, uint32_t bytes, sim_time *tx_end)
{
	sim_time start;

	if (l->p.bandwidth == 0) { /* unlimited: no serialization, no queue */
		*tx_end = now;
		return true;
	}
	queue_drain(l, now);
	start = l->busy_until > now ? l->busy_until : now;
	if (start > now) { /* must wait: is there room? */
		if (l->q_len >= l->p.queue_limit)
			return false;
		queue_push(l, start);
	}
	*tx_end = start + tx_time(bytes, l->p.bandwidth);
	l->busy_until = *tx_end;
	return true;
}

/* One jitter sample in ns from the link's distribution, before clamping. */
static double jitter_sample(const struct link_params *p, gsl_rng *r)
{
	double j = (double)p->jitter;

	switch (p->distribution) {
	case LINK_DIST_CONSTANT:
		return 0.0;
	case LINK_DIST_UNIFORM:
		return gsl_ran_flat(r, -j, j);
	case LINK_DIST_NORMAL:
		return gsl_ran_gaussian(r, j);
	case LINK_DIST_EXPONENTIAL:
		return gsl_ran_exponential(r, j);
	case LINK_DIST_PARETO:
		return gsl_ran_pareto(r, p->pareto_shape, j);
	}
	g_assert_not_reached();
	return 0.0;
}

/* The jitter to add to `delay`: rounded to the ns, so that delay + jitter
 * is never negative and never absurdly large. */
static sim_time jitter_clamp(const struct link_params *p, double x)
{
	double lo = -(double)p->delay;

	if (x < lo)
		x = lo;
	if (x > LINK_MAX_JITTER)
		x = LINK_MAX_JITTER;
	return (sim_time)llround(x);
}

/* Every random number one packet uses, drawn before any decision so that
 * the number of draws per stream does not depend on the outcome. */
struct link_draws {
	double loss_u, reorder_u, dup_u; /* uniforms in [0, 1), or 1 when not drawn */
	sim_time jitter, dup_jitter;     /* clamped jitter of each copy */
};

static void draw_all(struct link *l, struct link_draws *d)
{
	const struct link_params *p = &l->p;

	*d = (struct link_draws){ .loss_u = 1.0, .reorder_u = 1.0, .dup_u = 1.0 };
	if (p->loss > 0)
		d->loss_u = gsl_rng_uniform(l->loss_rng);
	if (has_jitter(p))
		d->jitter = jitter_clamp(p, jitter_sample(p, l->delay_rng));
	if (p->reorder > 0)
		d->reorder_u = gsl_rng_uniform(l->reorder_rng);
	if (p->duplicate > 0) {
		d->dup_u = gsl_rng_uniform(l->dup_rng);
		if (has_jitter(p))
			d->dup_jitter = jitter_clamp(p, jitter_sample(p, l->dup_rng));
	}
}

static void verdict_drop(struct link_verdict *v, enum link_drop why)
{
	*v = (struct link_verdict){
		.drop = why,
		.copies = 0,
		.deliver_at = { SIM_NEVER, SIM_NEVER },
	};
}

/* Steps 3-5 for an admitted, not lost packet whose last bit left at tx_end. */
static void deliver(struct link *l, sim_time tx_end, const struct link_draws *d,
                    struct link_verdict *v)
{
	sim_time base = tx_end + l->p.delay;

	*v = (struct link_verdict){
		.drop = LINK_DELIVER,
		.copies = 1,
		.deliver_at = { base + d->jitter, SIM_NEVER },
	};
	if (d->reorder_u < l->p.reorder) { /* held back: later packets overtake it */
		v->held_back = true;
		v->deliver_at[0] += l->p.reorder_delay;
	}
	if (d->dup_u < l->p.duplicate) { /* second copy, never before the first */
		sim_time t = base + d->dup_jitter;
		v->copies = 2;
		v->deliver_at[1] = t > v->deliver_at[0] ? t : v->deliver_at[0];
		l->n.duplicated++;
	}
	v->reordered = v->deliver_at[0] < l->latest_delivery;
	if (v->reordered)
		l->n.reordered++;
	else
		l->latest_delivery = v->deliver_at[0];
	l->n.delivered++;
}

void link_offer(struct link *l, sim_time now, uint32_t bytes, struct link_verdict *v)
{
	struct link_draws d;
	sim_time tx_end;

	g_assert(now >= 0);
	l->n.offered++;
	draw_all(l, &d);
	if (!transmit(l, now, bytes, &tx_end)) {
		l->n.dropped_queue++;
		verdict_drop(v, LINK_DROP_QUEUE);
		return;
	}
	if (d.loss_u < l->p.loss) { /* u in [0, 1): loss 1 always drops, 0 never */
		l->n.dropped_loss++;
		verdict_drop(v, LINK_DROP_LOSS);
		return;
	}
	deliver(l, tx_end, &d, v);
}
