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
 * netem's laws beyond those (link.h) draw from streams of their own
 * (struct link_netem_streams), each only while its law is on, so that a
 * link with all of them off draws, byte for byte, what it always drew:
 *   loss_model:  with loss_correlation > 0 one get_crandom() value instead
 *                of the loss_rng uniform; gemodel two values, state one;
 *   delay_cor:   with delay_correlation > 0 and a jitter, the jitter of the
 *                packet and then of its copy (if duplicated) come from one
 *                get_crandom() chain mapped through the distribution's
 *                inverse CDF (netem's tabledist() indexes its table, an
 *                inverse CDF, with that value), instead of delay_rng and
 *                dup_rng;
 *   reorder_cor, dup_cor: with a correlation, the decision's value instead
 *                of the reorder_rng / dup_rng uniform;
 *   corrupt:     with corrupt > 0, three values a packet: the decision
 *                (correlated or not), the byte, the bit;
 *   reorder_cor (netem's reorder, reorder_at_once > 0): one get_crandom()
 *                value for each packet that reaches the draw, as in
 *                netem_enqueue(): a packet lost, dropped by the queue or
 *                held by the gap draws nothing (so the chain correlates the
 *                draws netem correlates; the price is that a change of
 *                loss shifts later reorder draws).
 * The correlated chains are netem's 32-bit arithmetic exactly (link.h);
 * the decisions compare as netem does (lost when P32 >= value).
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
#include <gsl/gsl_cdf.h>

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
		.ge_1h = 1.0,          /* iproute2's default: every packet in bad is lost */
		.reorder_gap = 1,      /* tc's default once reorder is given */
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
	case LINK_DIST_NETEM_PARETO:
		return "netem_pareto";
	case LINK_DIST_NETEM_PARETONORMAL:
		return "netem_paretonormal";
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
	g_assert(prob_ok(p->reorder_at_once) && !(p->reorder > 0 && p->reorder_at_once > 0));
	g_assert(p->distribution != LINK_DIST_PARETO || p->pareto_shape > 0);
	g_assert(p->bandwidth <= LINK_MAX_BANDWIDTH);
	g_assert(p->loss == 0 || loss_rng);
	g_assert(!has_jitter(p) || delay_rng);
	g_assert(p->reorder == 0 || reorder_rng);
	g_assert(p->duplicate == 0 || dup_rng);
	g_assert(prob_ok(p->corrupt) && prob_ok(p->ge_p) && prob_ok(p->ge_r) && prob_ok(p->ge_1h) &&
	         prob_ok(p->ge_1k));
	g_assert(prob_ok(p->st_p13) && prob_ok(p->st_p31) && prob_ok(p->st_p32) &&
	         prob_ok(p->st_p23) && prob_ok(p->st_p14));

	*l = (struct link){
		.p = *p,
		.loss_rng = loss_rng,
		.delay_rng = delay_rng,
		.reorder_rng = reorder_rng,
		.dup_rng = dup_rng,
		.byte_ns = p->bandwidth && (8 * SIM_SEC) % p->bandwidth == 0 ?
		           (uint64_t)(8 * SIM_SEC) / p->bandwidth : 0,
	};
}

void link_clear(struct link *l)
{
	gsl_rng *streams[] = { l->loss_rng, l->delay_rng, l->reorder_rng, l->dup_rng,
	                       l->ns.loss_model, l->ns.delay_cor, l->ns.reorder_cor, l->ns.dup_cor,
	                       l->ns.corrupt };

	for (size_t i = 0; i < G_N_ELEMENTS(streams); i++)
		if (streams[i])
			gsl_rng_free(streams[i]);
	g_free(l->queue_exits);
	*l = (struct link){ 0 };
}

/* ceil(bytes * 8 * 1e9 / bandwidth) ns, exactly, without 128-bit integers:
 * a product when the bandwidth divides 8 s (byte_ns: every round rate of
 * bit/s, kbit, Mbit, Gbit), else one division when bits * 1e9 fits in 64
 * bits (any packet below about 2.3 GB: the divisions by a variable are the
 * costly part, once per packet); else whole seconds first, then the
 * remainder digit group by digit group (rem < bw <= 1e15, so rem * 1000
 * never overflows). */
static sim_time tx_time(uint32_t bytes, uint64_t bw, uint64_t byte_ns)
{
	uint64_t bits = (uint64_t)bytes * 8u;
	if (bits <= UINT64_MAX / SIM_SEC) {
		if (byte_ns) /* the same quotient, exact, with no remainder */
			return (sim_time)(bytes * byte_ns);
		uint64_t ns = bits * SIM_SEC;
		return (sim_time)(ns / bw + (ns % bw != 0));
	}
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

/* Slot i of the ring counted from its head (i < q_cap): the ring holds up
 * to queue_limit entries, no power of two, so the wrap is a subtraction,
 * not a division per packet. */
static uint32_t ring_slot(const struct link *l, uint32_t i)
{
	uint32_t at = l->q_head + i;
	return at >= l->q_cap ? at - l->q_cap : at;
}

/* Forget the waiting packets that have started transmitting by `now`. */
static void queue_drain(struct link *l, sim_time now)
{
	while (l->q_len > 0 && l->queue_exits[l->q_head] <= now) {
		l->q_head = ring_slot(l, 1);
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
		ring[i] = l->queue_exits[ring_slot(l, i)];
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
	         l->queue_exits[ring_slot(l, l->q_len - 1)] <= start);
	l->queue_exits[ring_slot(l, l->q_len)] = start;
	l->q_len++;
}

/* The bytes the transmitter is busy for, as netem's packet_time_ns()
 * counts them: the packet overhead added, then whole cells each with its
 * overhead.  With the three at 0, the packet's bytes. */
static uint32_t rate_bytes(const struct link_params *p, uint32_t bytes)
{
	int64_t len = (int64_t)bytes + p->rate_overhead;

	if (len < 0)
		len = 0;
	if (p->rate_cell_size) {
		int64_t cells = (len + p->rate_cell_size - 1) / p->rate_cell_size;
		len = cells * ((int64_t)p->rate_cell_size + p->rate_cell_overhead);
		if (len < 0)
			len = 0;
	}
	return len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
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
	*tx_end = start + tx_time(rate_bytes(&l->p, bytes), l->p.bandwidth, l->byte_ns);
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
	case LINK_DIST_NETEM_PARETO:
	case LINK_DIST_NETEM_PARETONORMAL:
		return j * link_netem_table_value(p->distribution, gsl_rng_uniform_pos(r));
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

/* --- netem's laws (Linux net/sched/sch_netem.c) --- */

/* The tables' largest entry (a short), in NETEM_DIST_SCALE units. */
#define NETEM_TABLE_MAX (32767.0 / 8192.0)

/* iproute2 netem/pareto.c: 1/q^(1/a) - 1.5, times 4/3, a = 3, with q from
 * 1 down to 0 as the table's index grows (so 1 - q here), cut at the
 * table's largest value. */
static double netem_pareto_value(double q)
{
	double x = (4.0 / 3.0) * (pow(1.0 - q, -1.0 / 3.0) - 1.5);

	return x < NETEM_TABLE_MAX ? x : NETEM_TABLE_MAX;
}

/* iproute2 netem/paretonormal.c: (normal + 3 pareto) / 4 of the two
 * tables' values at the same index, cut as a short. */
double link_netem_table_value(enum link_distribution d, double q)
{
	g_assert(q > 0.0 && q < 1.0);
	if (d == LINK_DIST_NETEM_PARETO)
		return netem_pareto_value(q);
	g_assert(d == LINK_DIST_NETEM_PARETONORMAL);
	double x = (gsl_cdf_ugaussian_Pinv(q) + 3.0 * netem_pareto_value(q)) / 4.0;
	return x < NETEM_TABLE_MAX ? x : NETEM_TABLE_MAX;
}

uint32_t link_prob_u32(double p)
{
	return (uint32_t)llround(p * (double)UINT32_MAX);
}

/* get_crandom(): the exact 32-bit recurrence (no overflow: the sum is at
 * most (2^32 - 1) * 2^32). */
uint32_t link_crandom_next(struct link_crandom *s, gsl_rng *r)
{
	uint64_t value = gsl_rng_get(r), rho;
	uint32_t answer;

	if (s->rho == 0) /* no correlation */
		return (uint32_t)value;
	rho = (uint64_t)s->rho + 1;
	answer = (uint32_t)((value * ((1ull << 32) - rho) + (uint64_t)s->last * rho) >> 32);
	s->last = answer;
	return answer;
}

/* A 32-bit value as a uniform in (0, 1), for an inverse CDF. */
static double u32_to_open_unit(uint32_t v)
{
	return ((double)v + 0.5) / 4294967296.0;
}

/* netem's `P >= value` decision: 0 never, 1 (0xffffffff) always. */
static bool u32_decides(uint32_t p32, uint32_t value)
{
	return p32 && p32 >= value;
}

static void crandom_init(struct link_crandom *s, double rho, gsl_rng *r)
{
	s->rho = link_prob_u32(rho);
	s->last = r ? (uint32_t)gsl_rng_get(r) : 0; /* init_crandom(): a random start */
}

/* loss_gilb_ell(): the packet's fate by the state it found, the state for
 * the next one drawn first. */
static bool loss_gilb_ell(struct link *l)
{
	const struct link_params *p = &l->p;
	gsl_rng *r = l->ns.loss_model;

	if (l->clg_state == 1) { /* good */
		if ((uint32_t)gsl_rng_get(r) < link_prob_u32(p->ge_p))
			l->clg_state = 2;
		return (uint32_t)gsl_rng_get(r) < link_prob_u32(p->ge_1k);
	}
	if ((uint32_t)gsl_rng_get(r) < link_prob_u32(p->ge_r))
		l->clg_state = 1;
	/* netem keeps h (the chance a packet in bad gets through): lost when
	 * value > h */
	return (uint32_t)gsl_rng_get(r) > link_prob_u32(1.0 - p->ge_1h);
}

/* loss_4state(), with its strict comparisons: a value exactly on a
 * boundary leaves the state as it is (and the packet through, in 1 and
 * 3), as in the kernel; the sums are taken in 64 bits. */
static bool loss_4state(struct link *l)
{
	const struct link_params *p = &l->p;
	uint64_t rnd = gsl_rng_get(l->ns.loss_model);
	uint64_t a1 = link_prob_u32(p->st_p13), a2 = link_prob_u32(p->st_p31);
	uint64_t a3 = link_prob_u32(p->st_p32), a4 = link_prob_u32(p->st_p14);
	uint64_t a5 = link_prob_u32(p->st_p23);

	switch (l->clg_state) {
	case 1: /* TX_IN_GAP_PERIOD */
		if (rnd < a4) {
			l->clg_state = 4;
			return true;
		}
		if (a4 < rnd && rnd < a1 + a4) {
			l->clg_state = 3;
			return true;
		}
		return false;
	case 2: /* TX_IN_BURST_PERIOD */
		if (rnd < a5) {
			l->clg_state = 3;
			return true;
		}
		return false;
	case 3: /* LOST_IN_BURST_PERIOD */
		if (rnd < a3)
			l->clg_state = 2;
		else if (a3 < rnd && rnd < a2 + a3)
			l->clg_state = 1;
		else if (a2 + a3 < rnd)
			return true;
		return false;
	default: /* 4, LOST_IN_GAP_PERIOD */
		l->clg_state = 1;
		return false;
	}
}

static bool loss_correlated(const struct link_params *p)
{
	return p->loss_model != LINK_LOSS_RANDOM || p->loss_correlation > 0;
}

/* The state of a chain in its stationary law (models/link.h) for a
 * uniform u; the good state when the law has no stationary mass on the
 * others' side (all its rates 0). */
static uint8_t stationary_state(const struct link_params *p, double u)
{
	if (p->loss_model == LINK_LOSS_GEMODEL) {
		double pr = p->ge_p + p->ge_r;
		return pr > 0 && u < p->ge_p / pr ? 2 : 1;
	}
	if (p->st_p13 == 0 || (p->st_p32 > 0 && p->st_p23 == 0))
		return 1; /* 3 unreachable, or 2 absorbing: no proper stationary law here */
	double w[4] = {p->st_p31 / p->st_p13, p->st_p23 > 0 ? p->st_p32 / p->st_p23 : 0, 1,
	               p->st_p31 * p->st_p14 / p->st_p13};
	double total = w[0] + w[1] + w[2] + w[3], acc = 0;
	for (int i = 0; i < 4; i++) {
		acc += w[i] / total;
		if (u < acc)
			return (uint8_t)(i + 1);
	}
	return 4;
}

void link_init_netem(struct link *l, const struct link_netem_streams *s)
{
	const struct link_params *p = &l->p;

	g_assert(!loss_correlated(p) || s->loss_model);
	g_assert(!(has_jitter(p) && p->delay_correlation > 0) || s->delay_cor);
	g_assert(!(p->reorder > 0 && p->reorder_correlation > 0) || s->reorder_cor);
	g_assert(p->reorder_at_once == 0 || s->reorder_cor);
	g_assert(!(p->duplicate > 0 && p->duplicate_correlation > 0) || s->dup_cor);
	g_assert(p->corrupt == 0 || s->corrupt);
	l->ns = *s;
	l->clg_state = 1;
	if (p->loss_start_stationary && p->loss_model != LINK_LOSS_RANDOM)
		l->clg_state = stationary_state(p, gsl_rng_uniform(s->loss_model));
	if (p->loss_model == LINK_LOSS_RANDOM && p->loss_correlation > 0)
		crandom_init(&l->loss_cor, p->loss_correlation, s->loss_model);
	if (has_jitter(p) && p->delay_correlation > 0)
		crandom_init(&l->delay_cor, p->delay_correlation, s->delay_cor);
	if ((p->reorder > 0 || p->reorder_at_once > 0) && p->reorder_correlation > 0)
		crandom_init(&l->reorder_cor, p->reorder_correlation, s->reorder_cor);
	if (p->duplicate > 0 && p->duplicate_correlation > 0)
		crandom_init(&l->dup_cor, p->duplicate_correlation, s->dup_cor);
	if (p->corrupt > 0 && p->corrupt_correlation > 0)
		crandom_init(&l->corrupt_cor, p->corrupt_correlation, s->corrupt);
}

/* A jitter sample from a correlated uniform, through the distribution's
 * inverse CDF. */
static double jitter_from_u(const struct link_params *p, double u)
{
	double j = (double)p->jitter;

	switch (p->distribution) {
	case LINK_DIST_CONSTANT:
		return 0.0;
	case LINK_DIST_UNIFORM:
		return -j + 2.0 * j * u;
	case LINK_DIST_NORMAL:
		return gsl_cdf_gaussian_Pinv(u, j);
	case LINK_DIST_EXPONENTIAL:
		return gsl_cdf_exponential_Pinv(u, j);
	case LINK_DIST_PARETO:
		return gsl_cdf_pareto_Pinv(u, p->pareto_shape, j);
	case LINK_DIST_NETEM_PARETO:
	case LINK_DIST_NETEM_PARETONORMAL:
		return j * link_netem_table_value(p->distribution, u);
	}
	g_assert_not_reached();
	return 0.0;
}

static sim_time correlated_jitter(struct link *l)
{
	uint32_t v = link_crandom_next(&l->delay_cor, l->ns.delay_cor);
	return jitter_clamp(&l->p, jitter_from_u(&l->p, u32_to_open_unit(v)));
}

/* Every random number one packet uses, drawn before any decision so that
 * the number of draws per stream does not depend on the outcome. */
struct link_draws {
	double loss_u, reorder_u, dup_u; /* uniforms in [0, 1), or 1 when not drawn */
	sim_time jitter, dup_jitter;     /* clamped jitter of each copy */
	bool lost_by_model;              /* a netem loss law (loss_model) lost it */
	bool reorder_cor, dup_cor;       /* decided by the correlated chains */
	bool corrupt;
	uint32_t corrupt_where;
	uint8_t corrupt_bit;
};

static void draw_loss(struct link *l, struct link_draws *d)
{
	const struct link_params *p = &l->p;

	if (!loss_correlated(p)) {
		if (p->loss > 0)
			d->loss_u = gsl_rng_uniform(l->loss_rng);
		return;
	}
	switch (p->loss_model) {
	case LINK_LOSS_RANDOM:
		d->lost_by_model = u32_decides(link_prob_u32(p->loss),
		                               link_crandom_next(&l->loss_cor, l->ns.loss_model));
		break;
	case LINK_LOSS_GEMODEL:
		d->lost_by_model = loss_gilb_ell(l);
		break;
	case LINK_LOSS_STATE:
		d->lost_by_model = loss_4state(l);
		break;
	}
}

/* The reorder and duplicate decisions, as 0/1 "uniforms" compared with
 * their probability when correlated. */
static void draw_reorder_dup(struct link *l, struct link_draws *d)
{
	const struct link_params *p = &l->p;

	if (p->reorder > 0) {
		if (p->reorder_correlation > 0)
			d->reorder_cor = u32_decides(link_prob_u32(p->reorder),
			                             link_crandom_next(&l->reorder_cor, l->ns.reorder_cor));
		else
			d->reorder_u = gsl_rng_uniform(l->reorder_rng);
	}
	if (p->duplicate > 0) {
		if (p->duplicate_correlation > 0)
			d->dup_cor = u32_decides(link_prob_u32(p->duplicate),
			                         link_crandom_next(&l->dup_cor, l->ns.dup_cor));
		else
			d->dup_u = gsl_rng_uniform(l->dup_rng);
		if (has_jitter(p))
			d->dup_jitter = p->delay_correlation > 0 ? correlated_jitter(l)
			                                         : jitter_clamp(p, jitter_sample(p, l->dup_rng));
	}
}

/* netem_enqueue(): corrupt when P >= get_crandom(); the byte is
 * get_random_u32_below(len) of one value (the world knows len), the bit
 * get_random_u32_below(8) of another. */
static void draw_corrupt(struct link *l, struct link_draws *d)
{
	const struct link_params *p = &l->p;

	if (p->corrupt == 0)
		return;
	d->corrupt = u32_decides(link_prob_u32(p->corrupt),
	                         link_crandom_next(&l->corrupt_cor, l->ns.corrupt));
	d->corrupt_where = (uint32_t)gsl_rng_get(l->ns.corrupt);
	d->corrupt_bit = (uint8_t)(((uint64_t)gsl_rng_get(l->ns.corrupt) * 8u) >> 32);
}

static void draw_all(struct link *l, struct link_draws *d)
{
	const struct link_params *p = &l->p;

	*d = (struct link_draws){ .loss_u = 1.0, .reorder_u = 1.0, .dup_u = 1.0 };
	draw_loss(l, d);
	if (has_jitter(p))
		d->jitter = p->delay_correlation > 0 ? correlated_jitter(l)
		                                     : jitter_clamp(p, jitter_sample(p, l->delay_rng));
	draw_reorder_dup(l, d);
	draw_corrupt(l, d);
}

static void verdict_drop(struct link_verdict *v, enum link_drop why)
{
	*v = (struct link_verdict){
		.drop = why,
		.copies = 0,
		.deliver_at = { SIM_NEVER, SIM_NEVER },
	};
}

/* netem_enqueue()'s reorder test for a packet that got this far: with
 * gap 0, within the gap, or when the draw fails (q->reorder <
 * get_crandom()), it waits out its delay and counts; otherwise it goes at
 * once and the count restarts.  The draw is made only when reached, as
 * netem's || does. */
static bool netem_reorders(struct link *l)
{
	const struct link_params *p = &l->p;

	if (p->reorder_gap == 0 || l->reorder_counter < p->reorder_gap - 1 ||
	    !u32_decides(link_prob_u32(p->reorder_at_once),
	                 link_crandom_next(&l->reorder_cor, l->ns.reorder_cor))) {
		l->reorder_counter++;
		return false;
	}
	l->reorder_counter = 0;
	return true;
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
	if (l->p.reorder_at_once > 0 && netem_reorders(l)) { /* at the head of netem's queue */
		v->at_once = true;
		v->deliver_at[0] = tx_end;
	}
	if (d->reorder_cor || d->reorder_u < l->p.reorder) { /* held back: later packets overtake it */
		v->held_back = true;
		v->deliver_at[0] += l->p.reorder_delay;
	}
	if (d->dup_cor || d->dup_u < l->p.duplicate) { /* second copy, never before the first */
		sim_time t = base + d->dup_jitter;
		v->copies = 2;
		v->deliver_at[1] = t > v->deliver_at[0] ? t : v->deliver_at[0];
		l->n.duplicated++;
	}
	if (d->corrupt) { /* the first copy only: netem clones the duplicate before */
		v->corrupted = true;
		v->corrupt_where = d->corrupt_where;
		v->corrupt_bit = d->corrupt_bit;
		l->n.corrupted++;
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
		v->tx_done = now; /* freed as it is refused */
		return;
	}
	/* u in [0, 1): loss 1 always drops, 0 never */
	if (d.lost_by_model || d.loss_u < l->p.loss) {
		l->n.dropped_loss++;
		verdict_drop(v, LINK_DROP_LOSS);
	} else {
		deliver(l, tx_end, &d, v);
	}
	v->tx_done = tx_end; /* a packet lost on the way was sent all the same */
}
