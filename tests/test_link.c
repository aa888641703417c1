/*
 * Tests of models/link.c: one direction of the network as a pure function
 * of its parameters, its queue and its four random streams.
 *
 * Statistical tests use a fixed seed, so they are deterministic; their
 * tolerances are still derived from the sampling distribution (5 standard
 * deviations), so that a change of generator or seed would not make them
 * fail by bad luck.  Streams are gsl_rng_taus2 seeded directly here, the
 * generator sim/engine/rng.c hands out.
 */
#include <math.h>
#include <string.h>
#include <glib.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_rng.h>
#include "models/link.h"

#define MTU 1500u

static gsl_rng *stream(unsigned long seed)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);

	gsl_rng_set(r, seed);
	return r;
}

/* A link whose four streams are derived from one test seed. */
static void link_new(struct link *l, const struct link_params *p, unsigned long seed)
{
	link_init(l, p, stream(4 * seed + 1), stream(4 * seed + 2), stream(4 * seed + 3),
	          stream(4 * seed + 4));
}

/* Default parameters with the constant delay changed. */
static struct link_params params_delay(sim_time delay)
{
	struct link_params p;

	link_params_default(&p);
	p.delay = delay;
	return p;
}

static void assert_dropped(const struct link_verdict *v, enum link_drop why)
{
	g_assert_cmpint(v->drop, ==, why);
	g_assert_cmpuint(v->copies, ==, 0);
	g_assert_cmpint(v->deliver_at[0], ==, SIM_NEVER);
}

static void assert_delivered_at(const struct link_verdict *v, sim_time t)
{
	g_assert_cmpint(v->drop, ==, LINK_DELIVER);
	g_assert_cmpuint(v->copies, ==, 1);
	g_assert_cmpint(v->deliver_at[0], ==, t);
}

static void test_params_default(void)
{
	struct link_params p;

	link_params_default(&p);
	g_assert_cmpint(p.delay, ==, 10 * SIM_MS);
	g_assert_cmpint(p.jitter, ==, 0);
	g_assert_cmpint(p.distribution, ==, LINK_DIST_UNIFORM);
	g_assert_cmpfloat(p.pareto_shape, ==, 1.5);
	g_assert_cmpfloat(p.loss, ==, 0);
	g_assert_cmpfloat(p.reorder, ==, 0);
	g_assert_cmpint(p.reorder_delay, ==, 0);
	g_assert_cmpfloat(p.duplicate, ==, 0);
	g_assert_cmpuint(p.bandwidth, ==, 0);
	g_assert_cmpuint(p.queue_limit, ==, 1000);
}

static void test_distribution_names(void)
{
	g_assert_cmpstr(link_distribution_name(LINK_DIST_CONSTANT), ==, "constant");
	g_assert_cmpstr(link_distribution_name(LINK_DIST_UNIFORM), ==, "uniform");
	g_assert_cmpstr(link_distribution_name(LINK_DIST_NORMAL), ==, "normal");
	g_assert_cmpstr(link_distribution_name(LINK_DIST_EXPONENTIAL), ==, "exponential");
	g_assert_cmpstr(link_distribution_name(LINK_DIST_PARETO), ==, "pareto");
}

/* loss = 0: everything arrives, and the loss stream is never touched. */
static void test_loss_none(void)
{
	struct link_params p = params_delay(10 * SIM_MS);
	struct link l;
	struct link_verdict v;
	gsl_rng *twin;

	link_new(&l, &p, 1);
	twin = gsl_rng_clone(l.loss_rng);
	for (int i = 0; i < 1000; i++) {
		link_offer(&l, i * SIM_MS, MTU, &v);
		assert_delivered_at(&v, i * SIM_MS + 10 * SIM_MS);
		g_assert_false(v.reordered);
	}
	g_assert_cmpuint(l.n.offered, ==, 1000);
	g_assert_cmpuint(l.n.delivered, ==, 1000);
	g_assert_cmpuint(l.n.dropped_loss, ==, 0);
	g_assert_cmpuint(gsl_rng_get(l.loss_rng), ==, gsl_rng_get(twin));
	gsl_rng_free(twin);
	link_clear(&l);
}

static void test_loss_all(void)
{
	struct link_params p = params_delay(10 * SIM_MS);
	struct link l;
	struct link_verdict v;

	p.loss = 1.0;
	link_new(&l, &p, 2);
	for (int i = 0; i < 1000; i++) {
		link_offer(&l, i * SIM_MS, MTU, &v);
		assert_dropped(&v, LINK_DROP_LOSS);
	}
	g_assert_cmpuint(l.n.dropped_loss, ==, 1000);
	g_assert_cmpuint(l.n.delivered, ==, 0);
	link_clear(&l);
}

/* 10% Bernoulli loss over 100k packets: the observed fraction is within 5
 * binomial standard deviations of 0.1. */
static void test_loss_rate(void)
{
	const int n = 100000;
	const double loss = 0.1, tol = 5 * sqrt(loss * (1 - loss) / n);
	struct link_params p = params_delay(10 * SIM_MS);
	struct link l;
	struct link_verdict v;
	int lost = 0;

	p.loss = loss;
	link_new(&l, &p, 3);
	for (int i = 0; i < n; i++) {
		link_offer(&l, i * SIM_US, MTU, &v);
		lost += v.drop == LINK_DROP_LOSS;
	}
	g_assert_cmpfloat_with_epsilon((double)lost / n, loss, tol);
	g_assert_cmpuint(l.n.dropped_loss, ==, (uint64_t)lost);
	g_assert_cmpuint(l.n.delivered, ==, (uint64_t)(n - lost));
	link_clear(&l);
}

static void test_delay_constant(void)
{
	struct link_params p = params_delay(10 * SIM_MS);
	struct link l;
	struct link_verdict v;

	link_new(&l, &p, 4);
	link_offer(&l, 0, MTU, &v);
	assert_delivered_at(&v, 10 * SIM_MS);
	link_offer(&l, 5 * SIM_MS + 7, 40, &v);
	assert_delivered_at(&v, 15 * SIM_MS + 7);
	g_assert_false(v.held_back);
	g_assert_false(v.reordered);
	link_clear(&l);
}

/* Uniform jitter: every delay in [delay - jitter, delay + jitter], and the
 * samples reach both ends. */
static void test_delay_uniform_bounds(void)
{
	struct link_params p = params_delay(10 * SIM_MS);
	struct link l;
	struct link_verdict v;
	sim_time lo = SIM_NEVER, hi = 0;

	p.distribution = LINK_DIST_UNIFORM;
	p.jitter = 2 * SIM_MS;
	link_new(&l, &p, 5);
	for (int i = 0; i < 20000; i++) {
		link_offer(&l, 0, MTU, &v);
		lo = MIN(lo, v.deliver_at[0]);
		hi = MAX(hi, v.deliver_at[0]);
	}
	g_assert_cmpint(lo, >=, 8 * SIM_MS);
	g_assert_cmpint(hi, <=, 12 * SIM_MS);
	g_assert_cmpint(lo, <, 8 * SIM_MS + 10 * SIM_US);
	g_assert_cmpint(hi, >, 12 * SIM_MS - 10 * SIM_US);
	link_clear(&l);
}

/* Normal jitter: sample mean within 5 standard errors of `delay`, sample
 * standard deviation within 5% of `jitter` (its own s.e. is about 0.5%). */
static void test_delay_normal_mean(void)
{
	const int n = 20000;
	const double delay = 50e6, sd = 5e6;
	struct link_params p = params_delay((sim_time)delay);
	struct link l;
	struct link_verdict v;
	double sum = 0, sum2 = 0, mean;

	p.distribution = LINK_DIST_NORMAL;
	p.jitter = (sim_time)sd;
	link_new(&l, &p, 6);
	for (int i = 0; i < n; i++) {
		link_offer(&l, 0, MTU, &v);
		sum += (double)v.deliver_at[0];
		sum2 += (double)v.deliver_at[0] * (double)v.deliver_at[0];
	}
	mean = sum / n;
	g_assert_cmpfloat_with_epsilon(mean, delay, 5 * sd / sqrt(n));
	g_assert_cmpfloat_with_epsilon(sqrt(sum2 / n - mean * mean), sd, 0.05 * sd);
	link_clear(&l);
}

/* A jitter larger than the delay is clamped: a packet never arrives before
 * it was sent. */
static void test_delay_never_negative(void)
{
	const sim_time now = 7 * SIM_MS;
	struct link_params p = params_delay(1 * SIM_MS);
	struct link l;
	struct link_verdict v;
	int at_once = 0;

	p.distribution = LINK_DIST_NORMAL;
	p.jitter = 10 * SIM_MS;
	link_new(&l, &p, 7);
	for (int i = 0; i < 10000; i++) {
		link_offer(&l, now, MTU, &v);
		g_assert_cmpint(v.deliver_at[0], >=, now);
		at_once += v.deliver_at[0] == now;
	}
	g_assert_cmpint(at_once, >, 3000); /* P(N(1ms, 10ms) < 0) = 0.46 */
	link_clear(&l);
}

/* Exponential jitter: delay + a sample of mean `jitter`. */
static void test_delay_exponential_mean(void)
{
	const int n = 20000;
	const double mu = 3e6;
	struct link_params p = params_delay(10 * SIM_MS);
	struct link l;
	struct link_verdict v;
	double sum = 0;

	p.distribution = LINK_DIST_EXPONENTIAL;
	p.jitter = (sim_time)mu;
	link_new(&l, &p, 8);
	for (int i = 0; i < n; i++) {
		link_offer(&l, 0, MTU, &v);
		g_assert_cmpint(v.deliver_at[0], >=, 10 * SIM_MS);
		sum += (double)(v.deliver_at[0] - 10 * SIM_MS);
	}
	g_assert_cmpfloat_with_epsilon(sum / n, mu, 5 * mu / sqrt(n));
	link_clear(&l);
}

/* Counts the deliveries later than delay + 20 * jitter. */
static int count_tail(enum link_distribution dist, unsigned long seed, int n)
{
	struct link_params p = params_delay(10 * SIM_MS);
	struct link l;
	struct link_verdict v;
	int tail = 0;

	p.distribution = dist;
	p.jitter = 1 * SIM_MS;
	link_new(&l, &p, seed);
	for (int i = 0; i < n; i++) {
		link_offer(&l, 0, MTU, &v);
		if (dist == LINK_DIST_PARETO) /* Pareto(b) >= b: never early */
			g_assert_cmpint(v.deliver_at[0], >=, 11 * SIM_MS);
		tail += v.deliver_at[0] > 30 * SIM_MS;
	}
	link_clear(&l);
	return tail;
}

/* At the same scale, P(X > 20 * scale) is (1/20)^1.5 = 1.1% for Pareto(1.5)
 * and e^-20 = 2e-9 for the exponential. */
static void test_delay_pareto_tail(void)
{
	const int n = 20000;
	const double expect = n * pow(1.0 / 20, 1.5);
	int pareto = count_tail(LINK_DIST_PARETO, 9, n);
	int expo = count_tail(LINK_DIST_EXPONENTIAL, 9, n);

	g_assert_cmpint(expo, ==, 0);
	g_assert_cmpfloat_with_epsilon(pareto, expect, 5 * sqrt(expect));
	g_assert_cmpint(pareto, >, 100 * (expo + 1));
}

/* 1500 bytes at 10 Mbit/s take 1.2 ms; back-to-back packets queue behind
 * each other; a packet offered to an idle link starts at once. */
static void test_bandwidth_serialization(void)
{
	struct link_params p = params_delay(0);
	struct link l;
	struct link_verdict v;

	p.bandwidth = 10000000;
	link_new(&l, &p, 10);
	for (int i = 1; i <= 3; i++) {
		link_offer(&l, 0, MTU, &v);
		assert_delivered_at(&v, i * 1200 * SIM_US);
	}
	link_offer(&l, 10 * SIM_MS, MTU, &v);
	assert_delivered_at(&v, 11200 * SIM_US);
	link_clear(&l);

	p.delay = 10 * SIM_MS;
	link_new(&l, &p, 10);
	link_offer(&l, 0, MTU, &v);
	assert_delivered_at(&v, 11200 * SIM_US);
	link_offer(&l, 0, MTU, &v);
	assert_delivered_at(&v, 12400 * SIM_US);
	link_clear(&l);
}

/* Transmission time of one packet alone on a link of bandwidth bw. */
static sim_time one_packet(uint64_t bw, uint32_t bytes)
{
	struct link_params p = params_delay(0);
	struct link l;
	struct link_verdict v;

	p.bandwidth = bw;
	link_new(&l, &p, 11);
	link_offer(&l, 0, bytes, &v);
	link_clear(&l);
	return v.deliver_at[0];
}

/* ceil(bytes * 8 * 1e9 / bandwidth), exact even where a double is not. */
static void test_bandwidth_rounds_up(void)
{
	g_assert_cmpint(one_packet(3, 1), ==, 2666666667);            /* 8/3 s */
	g_assert_cmpint(one_packet(1000000000, 1), ==, 8);            /* 1 Gbit */
	g_assert_cmpint(one_packet(1000000000000ull, 65535), ==, 525); /* 1 Tbit: 524.28 ns */
	g_assert_cmpint(one_packet(1000000000000000ull, 65535), ==, 1); /* 1 Pbit: 0.52 ns */
	g_assert_cmpint(one_packet(7, 65535), ==, 74897142857143);    /* 74897.142857142.. s */
	g_assert_cmpint(one_packet(1, 0), ==, 0);
}

/* queue_limit 2: the packet in transmission plus two waiting; the fourth
 * and fifth are dropped; a place frees when a waiting packet starts. */
static void test_bandwidth_drop_tail(void)
{
	const sim_time tx = 1200 * SIM_US;
	struct link_params p = params_delay(0);
	struct link l;
	struct link_verdict v;

	p.bandwidth = 10000000;
	p.queue_limit = 2;
	link_new(&l, &p, 12);
	for (int i = 1; i <= 3; i++) {
		link_offer(&l, 0, MTU, &v);
		assert_delivered_at(&v, i * tx);
	}
	for (int i = 0; i < 2; i++) {
		link_offer(&l, 0, MTU, &v);
		assert_dropped(&v, LINK_DROP_QUEUE);
	}
	link_offer(&l, tx, MTU, &v); /* the 2nd starts now: one waits */
	assert_delivered_at(&v, 4 * tx);
	link_offer(&l, tx, MTU, &v);
	assert_dropped(&v, LINK_DROP_QUEUE);
	g_assert_cmpuint(l.n.dropped_queue, ==, 3);
	g_assert_cmpuint(l.n.delivered, ==, 4);
	link_clear(&l);
}

/* A long queue: the ring grows and wraps; room is counted again after
 * waiting packets have started. */
static void test_bandwidth_long_queue(void)
{
	const sim_time tx = 1200 * SIM_US;
	struct link_params p = params_delay(0);
	struct link l;
	struct link_verdict v;
	int accepted = 0;

	p.bandwidth = 10000000;
	p.queue_limit = 100;
	link_new(&l, &p, 22);
	for (int i = 0; i < 150; i++) { /* 1 transmitting + 100 waiting */
		link_offer(&l, 0, MTU, &v);
		if (v.drop == LINK_DELIVER)
			assert_delivered_at(&v, ++accepted * tx);
	}
	g_assert_cmpint(accepted, ==, 101);
	for (int i = 0; i < 60; i++) { /* by 50.5 tx, 51 have started: 50 places */
		link_offer(&l, 50 * tx + tx / 2, MTU, &v);
		if (v.drop == LINK_DELIVER)
			assert_delivered_at(&v, ++accepted * tx);
	}
	g_assert_cmpint(accepted, ==, 151);
	g_assert_cmpuint(l.n.dropped_queue, ==, 49 + 10);
	link_clear(&l);
}

/* queue_limit 0: no waiting room, only the packet being transmitted. */
static void test_bandwidth_no_waiting_room(void)
{
	const sim_time tx = 1200 * SIM_US;
	struct link_params p = params_delay(0);
	struct link l;
	struct link_verdict v;

	p.bandwidth = 10000000;
	p.queue_limit = 0;
	link_new(&l, &p, 13);
	link_offer(&l, 0, MTU, &v);
	assert_delivered_at(&v, tx);
	link_offer(&l, tx - 1, MTU, &v);
	assert_dropped(&v, LINK_DROP_QUEUE);
	link_offer(&l, tx, MTU, &v); /* the transmitter is free again */
	assert_delivered_at(&v, 2 * tx);
	link_clear(&l);
}

/* A lost packet was transmitted before it was lost: it held the link. */
static void test_bandwidth_lost_packet_holds_link(void)
{
	struct link_params p = params_delay(0);
	struct link l;
	struct link_verdict v;

	p.bandwidth = 10000000;
	p.queue_limit = 0;
	p.loss = 1.0;
	link_new(&l, &p, 14);
	link_offer(&l, 0, MTU, &v);
	assert_dropped(&v, LINK_DROP_LOSS);
	link_offer(&l, 0, MTU, &v);
	assert_dropped(&v, LINK_DROP_QUEUE);
	link_clear(&l);
}

/* A held-back packet is overtaken by the next one unless that one is held
 * back too; `reordered` is exactly "arrives before a packet accepted
 * earlier". */
static void test_reorder_held_back_is_overtaken(void)
{
	const int n = 4000;
	struct link_params p = params_delay(10 * SIM_MS);
	struct link l;
	struct link_verdict v;
	sim_time latest = 0;
	bool prev_held = false;
	int held = 0, reordered = 0;

	p.reorder = 0.25;
	p.reorder_delay = 5 * SIM_MS;
	link_new(&l, &p, 15);
	for (int i = 0; i < n; i++) {
		link_offer(&l, i * SIM_MS, MTU, &v);
		g_assert_cmpint(v.deliver_at[0], ==,
		                i * SIM_MS + 10 * SIM_MS + (v.held_back ? 5 * SIM_MS : 0));
		g_assert_cmpint(v.reordered, ==, v.deliver_at[0] < latest);
		if (prev_held && !v.held_back)
			g_assert_true(v.reordered);
		if (v.held_back)
			g_assert_false(v.reordered); /* nothing earlier arrives later */
		latest = MAX(latest, v.deliver_at[0]);
		prev_held = v.held_back;
		held += v.held_back;
		reordered += v.reordered;
	}
	g_assert_cmpfloat_with_epsilon((double)held / n, 0.25, 5 * sqrt(0.25 * 0.75 / n));
	g_assert_cmpint(reordered, >, 0);
	g_assert_cmpuint(l.n.reordered, ==, (uint64_t)reordered);
	link_clear(&l);
}

/* Holding every packet back shifts them all alike: nothing is reordered. */
static void test_reorder_all_held_none_reordered(void)
{
	struct link_params p = params_delay(10 * SIM_MS);
	struct link l;
	struct link_verdict v;

	p.reorder = 1.0;
	p.reorder_delay = 5 * SIM_MS;
	link_new(&l, &p, 16);
	for (int i = 0; i < 100; i++) {
		link_offer(&l, i * SIM_MS, MTU, &v);
		g_assert_true(v.held_back);
		g_assert_false(v.reordered);
	}
	g_assert_cmpuint(l.n.reordered, ==, 0);
	link_clear(&l);
}

/* duplicate = 1: two copies, the second never before the first; with
 * jitter the second copy has its own delay. */
static void test_duplicate_two_copies(void)
{
	struct link_params p = params_delay(10 * SIM_MS);
	struct link l;
	struct link_verdict v;
	int later = 0;

	p.duplicate = 1.0;
	link_new(&l, &p, 17);
	link_offer(&l, 0, MTU, &v);
	g_assert_cmpuint(v.copies, ==, 2);
	g_assert_cmpint(v.deliver_at[0], ==, 10 * SIM_MS);
	g_assert_cmpint(v.deliver_at[1], ==, 10 * SIM_MS);
	link_clear(&l);

	p.distribution = LINK_DIST_NORMAL;
	p.jitter = 1 * SIM_MS;
	link_new(&l, &p, 17);
	for (int i = 0; i < 1000; i++) {
		link_offer(&l, i * SIM_MS, MTU, &v);
		g_assert_cmpuint(v.copies, ==, 2);
		g_assert_cmpint(v.deliver_at[1], >=, v.deliver_at[0]);
		later += v.deliver_at[1] > v.deliver_at[0];
	}
	g_assert_cmpint(later, >, 400); /* about half: P(J2 > J1) = 1/2 */
	g_assert_cmpuint(l.n.duplicated, ==, 1000);
	g_assert_cmpuint(l.n.delivered, ==, 1000);
	link_clear(&l);
}

/* Every feature on: the parameters of the determinism test. */
static struct link_params params_everything(void)
{
	struct link_params p = params_delay(20 * SIM_MS);

	p.distribution = LINK_DIST_NORMAL;
	p.jitter = 3 * SIM_MS;
	p.loss = 0.1;
	p.reorder = 0.1;
	p.reorder_delay = 4 * SIM_MS;
	p.duplicate = 0.1;
	p.bandwidth = 10000000;
	p.queue_limit = 5;
	return p;
}

static void run_everything(unsigned long seed, struct link_verdict *v, int n)
{
	struct link_params p = params_everything();
	struct link l;

	link_new(&l, &p, seed);
	for (int i = 0; i < n; i++) /* bursts of 8 back-to-back packets */
		link_offer(&l, (i / 8) * 10 * SIM_MS, MTU - (uint32_t)(i % 3) * 100, &v[i]);
	link_clear(&l);
}

static bool verdict_equal(const struct link_verdict *a, const struct link_verdict *b)
{
	return a->drop == b->drop && a->copies == b->copies &&
	       a->deliver_at[0] == b->deliver_at[0] && a->deliver_at[1] == b->deliver_at[1] &&
	       a->reordered == b->reordered && a->held_back == b->held_back;
}

/* Same seeds, same verdicts, packet for packet; another seed differs. */
static void test_determinism(void)
{
	enum { N = 5000 };
	struct link_verdict *a = g_new(struct link_verdict, N);
	struct link_verdict *b = g_new(struct link_verdict, N);
	int differ = 0;

	run_everything(18, a, N);
	run_everything(18, b, N);
	for (int i = 0; i < N; i++)
		g_assert_true(verdict_equal(&a[i], &b[i]));
	run_everything(19, b, N);
	for (int i = 0; i < N; i++)
		differ += !verdict_equal(&a[i], &b[i]);
	g_assert_cmpint(differ, >, N / 10);
	g_free(a);
	g_free(b);
}

/* Common random numbers: each stream is drawn a fixed number of times per
 * offered packet, whatever happens to it (queue drops included). */
static void test_crn_fixed_draws(void)
{
	const int n = 1000;
	struct link_params p = params_everything();
	struct link l;
	struct link_verdict v;
	gsl_rng *loss = stream(4 * 20 + 1), *reorder = stream(4 * 20 + 3);

	link_new(&l, &p, 20);
	for (int i = 0; i < n; i++)
		link_offer(&l, 0, MTU, &v); /* all at once: most are queue drops */
	g_assert_cmpuint(l.n.dropped_queue, >, (uint64_t)n / 2);
	for (int i = 0; i < n; i++) {
		gsl_rng_uniform(loss);
		gsl_rng_uniform(reorder);
	}
	g_assert_cmpuint(gsl_rng_get(l.loss_rng), ==, gsl_rng_get(loss));
	g_assert_cmpuint(gsl_rng_get(l.reorder_rng), ==, gsl_rng_get(reorder));
	gsl_rng_free(loss);
	gsl_rng_free(reorder);
	link_clear(&l);
}

/* Common random numbers: raising the loss rate drops packets but does not
 * change the delay of any packet that still arrives. */
static void test_crn_loss_keeps_delays(void)
{
	const int n = 2000;
	struct link_params p = params_delay(10 * SIM_MS);
	struct link a, b;
	struct link_verdict va, vb;
	int compared = 0;

	p.distribution = LINK_DIST_PARETO;
	p.jitter = 1 * SIM_MS;
	link_new(&a, &p, 21);
	p.loss = 0.5;
	link_new(&b, &p, 21);
	for (int i = 0; i < n; i++) {
		link_offer(&a, i * SIM_MS, MTU, &va);
		link_offer(&b, i * SIM_MS, MTU, &vb);
		if (vb.drop != LINK_DELIVER)
			continue;
		g_assert_cmpint(va.deliver_at[0], ==, vb.deliver_at[0]);
		compared++;
	}
	g_assert_cmpint(compared, >, n / 4);
	link_clear(&a);
	link_clear(&b);
}

/* --- netem's laws (Linux net/sched/sch_netem.c) --- */

/* A link with netem's streams too, all derived from one test seed. */
static void link_new_netem(struct link *l, const struct link_params *p, unsigned long seed)
{
	link_new(l, p, seed);
	link_init_netem(l, &(struct link_netem_streams){
		.loss_model = stream(1000 + 8 * seed + 1), .delay_cor = stream(1000 + 8 * seed + 2),
		.reorder_cor = stream(1000 + 8 * seed + 3), .dup_cor = stream(1000 + 8 * seed + 4),
		.corrupt = stream(1000 + 8 * seed + 5)});
}

/* What n packets of a link lose: the long-run rate, the mean length of a
 * burst of consecutive losses and P(lost | the previous lost).  Their
 * standard errors come from 50 batch means (the losses of a Markov chain
 * are not independent, so the binomial error would be too small; a burst
 * counts in the batch where it ends).  burst_se and p_after_loss_se are
 * also given as if bursts and pairs were independent, which they are for
 * the simple Gilbert and 4-state chains (a burst starts afresh), not for
 * the full Gilbert-Elliott nor netem's correlated loss. */
struct loss_stats {
	double rate, rate_se, burst, burst_se, p_after_loss, p_after_loss_se;
	double burst_batch_se, p_after_loss_batch_se;
};

enum { BATCHES = 50 };

struct loss_batch {
	double lost, bursts, burst_sum, prev_lost, lost_after_lost;
};

/* The standard error of the mean of the batches' values. */
static double batch_se(const double *x)
{
	double mean = 0, var = 0;

	for (int b = 0; b < BATCHES; b++)
		mean += x[b] / BATCHES;
	for (int b = 0; b < BATCHES; b++)
		var += (x[b] - mean) * (x[b] - mean) / (BATCHES - 1);
	return sqrt(var / BATCHES);
}

static void loss_batch_se(const struct loss_batch *bt, int n, struct loss_stats *st)
{
	double rate[BATCHES], burst[BATCHES], pll[BATCHES];

	for (int b = 0; b < BATCHES; b++) {
		rate[b] = bt[b].lost / ((double)n / BATCHES);
		burst[b] = bt[b].bursts ? bt[b].burst_sum / bt[b].bursts : 0;
		pll[b] = bt[b].prev_lost ? bt[b].lost_after_lost / bt[b].prev_lost : 0;
	}
	st->rate_se = batch_se(rate);
	st->burst_batch_se = batch_se(burst);
	st->p_after_loss_batch_se = batch_se(pll);
}

static void measure_losses(struct link *l, int n, struct loss_stats *st)
{
	struct loss_batch bt[BATCHES] = {0};
	double sum_b = 0, sum_b2 = 0, run = 0;
	long lost = 0, bursts = 0, prev_lost = 0, lost_after_lost = 0;
	bool prev = false;
	struct link_verdict v;

	for (int i = 0; i < n; i++) {
		struct loss_batch *b = &bt[(long)i * BATCHES / n];
		link_offer(l, i * SIM_US, MTU, &v);
		bool now = v.drop == LINK_DROP_LOSS;
		lost += now;
		b->lost += now;
		if (prev) {
			prev_lost++;
			lost_after_lost += now;
			b->prev_lost++;
			b->lost_after_lost += now;
		}
		if (now) {
			run++;
		} else if (run > 0) {
			bursts++;
			sum_b += run;
			sum_b2 += run * run;
			b->bursts++;
			b->burst_sum += run;
			run = 0;
		}
		prev = now;
	}
	st->rate = (double)lost / n;
	st->burst = bursts ? sum_b / bursts : 0;
	st->burst_se = bursts > 1 ? sqrt((sum_b2 / bursts - st->burst * st->burst) / bursts) : 0;
	st->p_after_loss = prev_lost ? (double)lost_after_lost / prev_lost : 0;
	st->p_after_loss_se = prev_lost ? sqrt(st->p_after_loss * (1 - st->p_after_loss) / prev_lost) : 0;
	loss_batch_se(bt, n, st);
}

/* Independent losses come in bursts too: a burst goes on while the next
 * packet is lost, so its length is geometric, mean 1/(1-p), and P(lost |
 * the previous lost) = p.  Bursts and pairs are independent here: 5
 * standard errors of the independent samples. */
static void test_loss_bernoulli_bursts(void)
{
	const double loss = 0.3;
	struct link_params p = params_delay(10 * SIM_MS);
	struct link l;
	struct loss_stats st;

	p.loss = loss;
	link_new(&l, &p, 23);
	measure_losses(&l, 200000, &st);
	g_assert_cmpfloat_with_epsilon(st.rate, loss, 5 * st.rate_se);
	g_assert_cmpfloat_with_epsilon(st.burst, 1 / (1 - loss), 5 * st.burst_se);
	g_assert_cmpfloat_with_epsilon(st.p_after_loss, loss, 5 * st.p_after_loss_se);
	g_assert_cmpfloat(st.burst_se, <, 0.01); /* 1/(1-p) = 1.43 vs 1 without bursts */
	link_clear(&l);
}

/* get_crandom()'s 32-bit arithmetic, checked against 128-bit integers. */
static void test_crandom_exact(void)
{
	gsl_rng *r = stream(77);
	struct link_crandom s = {.rho = link_prob_u32(0.25), .last = 123456789u};

	for (int i = 0; i < 1000; i++) {
		gsl_rng *peek = gsl_rng_clone(r);
		unsigned __int128 v = gsl_rng_get(peek), rho = (unsigned __int128)s.rho + 1;
		uint32_t want = (uint32_t)((v * (((unsigned __int128)1 << 32) - rho) + s.last * rho) >> 32);
		gsl_rng_free(peek);
		g_assert_cmpuint(link_crandom_next(&s, r), ==, want);
		g_assert_cmpuint(s.last, ==, want);
	}
	g_assert_cmpuint(link_prob_u32(1.0), ==, UINT32_MAX);
	g_assert_cmpuint(link_prob_u32(0.0), ==, 0);
	gsl_rng_free(r);
}

/* Simple Gilbert (1-h = 1, 1-k = 0): loss rate p/(p+r), bursts 1/r. */
static void test_gemodel_simple_gilbert(void)
{
	struct link_params p = params_delay(SIM_MS);
	struct link l;
	struct loss_stats st;

	p.loss_model = LINK_LOSS_GEMODEL;
	p.ge_p = 0.01;
	p.ge_r = 0.25;
	p.ge_1h = 1.0;
	p.ge_1k = 0.0;
	link_new_netem(&l, &p, 11);
	measure_losses(&l, 400000, &st);
	g_assert_cmpfloat_with_epsilon(st.rate, 0.01 / 0.26, 5 * st.rate_se);
	g_assert_cmpfloat_with_epsilon(st.burst, 1 / 0.25, 5 * st.burst_se);
	g_assert_cmpfloat(st.rate_se, <, 0.002); /* the tolerance is tight enough to mean something */
	link_clear(&l);
}

/* What a stationary chain of packets loses in the long run: the loss
 * rate, P(lost | the previous lost), and the mean burst.  A burst starts
 * at each lost packet after a received one, at the rate rate - P(two
 * lost in a row), so the mean burst is rate / (rate - P(LL)) = 1 / (1 -
 * P(lost | lost)), whatever the chain. */
struct loss_law {
	double rate, p_after_loss, burst;
};

static void loss_law_from(double rate, double both, struct loss_law *w)
{
	w->rate = rate;
	w->p_after_loss = both / rate;
	w->burst = rate / (rate - both);
}

/* Gilbert-Elliott as netem's loss_gilb_ell() draws it, worked out on the
 * chain of (state the packet finds, lost or not), states 0 good, 1 bad:
 * the state moves (good->bad p, bad->good r) and the packet it finds is
 * lost with that state's probability (1-k in good, 1-h in bad).  Its
 * stationary law solves pi (P - I) = 0 with sum pi = 1 (gsl's LU). */
static void gemodel_law(double p, double r, double h1, double k1, struct loss_law *w)
{
	const double move[2][2] = {{1 - p, p}, {r, 1 - r}}, lose[2] = {k1, h1};
	gsl_matrix *a = gsl_matrix_alloc(4, 4);
	gsl_vector *rhs = gsl_vector_calloc(4), *pi = gsl_vector_alloc(4);
	gsl_permutation *perm = gsl_permutation_alloc(4);
	double trans[4][4], rate = 0, both = 0;
	int sign;

	for (int i = 0; i < 4; i++) /* i = 2 * state + lost */
		for (int j = 0; j < 4; j++)
			trans[i][j] = move[i / 2][j / 2] * (j % 2 ? lose[j / 2] : 1 - lose[j / 2]);
	for (int i = 0; i < 4; i++) /* rows of P^T - I; the last one: sum pi = 1 */
		for (int j = 0; j < 4; j++)
			gsl_matrix_set(a, i, j, i == 3 ? 1 : trans[j][i] - (i == j));
	gsl_vector_set(rhs, 3, 1);
	gsl_linalg_LU_decomp(a, perm, &sign);
	gsl_linalg_LU_solve(a, perm, rhs, pi);
	for (int i = 0; i < 4; i++) {
		rate += i % 2 ? gsl_vector_get(pi, i) : 0;
		for (int j = 0; j < 4; j++)
			both += i % 2 && j % 2 ? gsl_vector_get(pi, i) * trans[i][j] : 0;
	}
	loss_law_from(rate, both, w);
	gsl_permutation_free(perm);
	gsl_vector_free(pi);
	gsl_vector_free(rhs);
	gsl_matrix_free(a);
}

/* The full Gilbert-Elliott (losses in good, packets through in bad):
 * loss rate (r (1-k) + p (1-h)) / (p + r); the mean burst and P(lost |
 * lost) against the chain above, and that against the closed form
 * models/link.h documents.  Bursts are not independent here (the state a
 * burst leaves behind starts the next): batch standard errors. */
static void test_gemodel_rate(void)
{
	const double gp = 0.02, gr = 0.1, h1 = 0.7, k1 = 0.01;
	const double pig = gr / (gp + gr), pib = gp / (gp + gr), rate = pig * k1 + pib * h1;
	const double both = pig * k1 * ((1 - gp) * k1 + gp * h1) + pib * h1 * (gr * k1 + (1 - gr) * h1);
	struct link_params p = params_delay(SIM_MS);
	struct link l;
	struct loss_stats st;
	struct loss_law w;

	gemodel_law(gp, gr, h1, k1, &w);
	g_assert_cmpfloat_with_epsilon(w.rate, (0.1 * 0.01 + 0.02 * 0.7) / 0.12, 1e-12);
	g_assert_cmpfloat_with_epsilon(w.rate, rate, 1e-12);
	g_assert_cmpfloat_with_epsilon(w.burst, rate / (rate - both), 1e-9);
	p.loss_model = LINK_LOSS_GEMODEL;
	p.ge_p = gp;
	p.ge_r = gr;
	p.ge_1h = h1;
	p.ge_1k = k1;
	link_new_netem(&l, &p, 12);
	measure_losses(&l, 400000, &st);
	g_test_message("rate %.5f (%.5f), burst %.4f (%.4f), P(L|L) %.4f (%.4f)", st.rate, w.rate,
	               st.burst, w.burst, st.p_after_loss, w.p_after_loss);
	g_assert_cmpfloat_with_epsilon(st.rate, w.rate, 5 * st.rate_se);
	g_assert_cmpfloat_with_epsilon(st.burst, w.burst, 5 * st.burst_batch_se);
	g_assert_cmpfloat_with_epsilon(st.p_after_loss, w.p_after_loss, 5 * st.p_after_loss_batch_se);
	g_assert_cmpfloat(st.p_after_loss, >, st.rate + 5 * st.p_after_loss_batch_se); /* bursty */
	/* tight enough to tell it from 1/r = 10, a stay in bad */
	g_assert_cmpfloat(st.burst_batch_se, <, 0.05);
	g_assert_cmpfloat(w.burst, <, 1 / gr - 1);
	link_clear(&l);
}

/* The 4-state chain against its stationary law (models/link.h). */
static void test_4state(void)
{
	const double p13 = 0.01, p31 = 0.3, p32 = 0.1, p23 = 0.5, p14 = 0.005;
	double pi3 = 1 / (1 + p31 / p13 + p32 / p23 + p31 * p14 / p13), pi4 = pi3 * p31 * p14 / p13;
	double want_burst = (pi3 + pi4) / (pi3 * (p31 + p32) + pi4);
	struct link_params p = params_delay(SIM_MS);
	struct link l;
	struct loss_stats st;

	p.loss_model = LINK_LOSS_STATE;
	p.st_p13 = p13;
	p.st_p31 = p31;
	p.st_p32 = p32;
	p.st_p23 = p23;
	p.st_p14 = p14;
	link_new_netem(&l, &p, 13);
	measure_losses(&l, 1000000, &st);
	g_assert_cmpfloat_with_epsilon(st.rate, pi3 + pi4, 5 * st.rate_se);
	g_assert_cmpfloat_with_epsilon(st.burst, want_burst, 5 * st.burst_se);
	g_assert_cmpfloat(st.rate_se / st.rate, <, 0.05);
	link_clear(&l);
}

/* With p14 = p32 = 0 every burst is a stay in state 3: mean 1/p31. */
static void test_4state_bursts_one_over_p31(void)
{
	struct link_params p = params_delay(SIM_MS);
	struct link l;
	struct loss_stats st;

	p.loss_model = LINK_LOSS_STATE;
	p.st_p13 = 0.02;
	p.st_p31 = 0.4;
	link_new_netem(&l, &p, 14);
	measure_losses(&l, 400000, &st);
	g_assert_cmpfloat_with_epsilon(st.burst, 1 / 0.4, 5 * st.burst_se);
	g_assert_cmpfloat_with_epsilon(st.rate, 0.02 / (0.02 + 0.4), 5 * st.rate_se);
	link_clear(&l);
}

/* netem's correlation makes a loss likelier after a loss; without it the
 * two are the same. */
static void test_loss_correlation(void)
{
	struct link_params p = params_delay(SIM_MS);
	struct link l;
	struct loss_stats st;

	p.loss = 0.1;
	link_new_netem(&l, &p, 15);
	measure_losses(&l, 400000, &st);
	g_assert_cmpfloat_with_epsilon(st.p_after_loss, st.rate, 5 * st.p_after_loss_se);
	link_clear(&l);

	p.loss_correlation = 0.5;
	link_new_netem(&l, &p, 15);
	measure_losses(&l, 400000, &st);
	g_assert_cmpfloat(st.p_after_loss, >, st.rate + 5 * st.p_after_loss_se);
	g_assert_cmpfloat(st.p_after_loss, >, 1.5 * st.rate);
	/* as in netem, an average of uniforms has thinner tails: fewer than
	 * `loss` are lost (this is netem's law, not a bug of ours) */
	g_assert_cmpfloat(st.rate, <, 0.1 - 5 * st.rate_se);
	link_clear(&l);
}

/* netem's correlated value (get_crandom()) is the chain X' = rho X + (1 -
 * rho) U, U uniform on [0, 1]; a packet is lost when X' <= P.  Its law is
 * carried on M bins of [0, 1] (uniform within each bin), and mapped
 * exactly: X' has density (F(y / rho) - F((y - 1 + rho) / rho)) / (1 -
 * rho), F the CDF of X, so a bin [a, b] of X' gets rho / (1 - rho) times
 * G(b / rho) - G(a / rho) - G((b - 1 + rho) / rho) + G((a - 1 + rho) /
 * rho), G the integral of F (piecewise quadratic).  The mass may be less
 * than 1 (a law restricted to the lost packets). */
struct ar_law {
	int m;
	double *mass, *cum, *gcum; /* per bin; F and G at the bins' edges */
};

static double ar_g(const struct ar_law *a, double x)
{
	if (x <= 0)
		return 0;
	if (x >= 1)
		return a->gcum[a->m] + a->cum[a->m] * (x - 1);
	int j = MIN((int)(x * a->m), a->m - 1);
	double d = x - (double)j / a->m;
	return a->gcum[j] + a->cum[j] * d + a->mass[j] * a->m * d * d / 2;
}

static void ar_step(struct ar_law *a, double rho, double *out)
{
	a->cum[0] = a->gcum[0] = 0;
	for (int j = 0; j < a->m; j++) {
		a->cum[j + 1] = a->cum[j] + a->mass[j];
		a->gcum[j + 1] = a->gcum[j] + (a->cum[j] + a->cum[j + 1]) / (2.0 * a->m);
	}
	for (int j = 0; j < a->m; j++) {
		double lo = (double)j / a->m, hi = (double)(j + 1) / a->m;
		out[j] = rho / (1 - rho) *
		         (ar_g(a, hi / rho) - ar_g(a, lo / rho) - ar_g(a, (hi - 1 + rho) / rho) +
		          ar_g(a, (lo - 1 + rho) / rho));
	}
}

/* The stationary law (from the uniform, rho^n below 1e-17: X_n forgets
 * X_0 as rho^n), its loss rate and P(two lost in a row); loss_p * m must
 * be a whole number of bins. */
static void crandom_law(double loss_p, double rho, int m, struct loss_law *w)
{
	struct ar_law a = {.m = m, .mass = g_new(double, m), .cum = g_new(double, m + 1),
	                   .gcum = g_new(double, m + 1)};
	double *next = g_new(double, m), rate = 0, both = 0;
	int lost_bins = (int)lround(loss_p * m), steps = (int)ceil(log(1e-17) / log(rho));

	g_assert_cmpfloat(fabs(lost_bins - loss_p * m), <, 1e-9);
	for (int j = 0; j < m; j++)
		a.mass[j] = 1.0 / m;
	for (int s = 0; s < steps; s++) {
		ar_step(&a, rho, next);
		memcpy(a.mass, next, sizeof *next * (size_t)m);
	}
	for (int j = 0; j < m; j++) { /* the lost ones, a step further */
		rate += j < lost_bins ? a.mass[j] : 0;
		a.mass[j] = j < lost_bins ? a.mass[j] : 0;
	}
	ar_step(&a, rho, next);
	for (int j = 0; j < lost_bins; j++)
		both += next[j];
	loss_law_from(rate, both, w);
	g_free(next);
	g_free(a.mass);
	g_free(a.cum);
	g_free(a.gcum);
}

/* netem's `loss P C` against that law: the loss rate (below P, as netem:
 * an average of uniforms has thinner tails), P(lost | the previous lost)
 * and the mean burst 1 / (1 - P(lost | lost)), within 5 batch standard
 * errors.  The law's own error (M = 20000 bins against 40000) is kept
 * far below them. */
static void check_correlated_loss(double loss, double rho, unsigned long seed)
{
	struct link_params p = params_delay(SIM_MS);
	struct link l;
	struct loss_stats st;
	struct loss_law w, fine;

	crandom_law(loss, rho, 20000, &w);
	crandom_law(loss, rho, 40000, &fine);
	p.loss = loss;
	p.loss_correlation = rho;
	link_new_netem(&l, &p, seed);
	measure_losses(&l, 1000000, &st);
	g_test_message("loss %g%% %g%%: rate %.4g (%.4g), P(L|L) %.4g (%.4g), burst %.4f (%.4f)",
	               loss * 100, rho * 100, st.rate, w.rate, st.p_after_loss, w.p_after_loss,
	               st.burst, w.burst);
	g_assert_cmpfloat(fabs(w.rate - fine.rate), <, st.rate_se / 20);
	g_assert_cmpfloat(fabs(w.p_after_loss - fine.p_after_loss), <, st.p_after_loss_batch_se / 20);
	g_assert_cmpfloat_with_epsilon(st.rate, w.rate, 5 * st.rate_se);
	g_assert_cmpfloat_with_epsilon(st.p_after_loss, w.p_after_loss, 5 * st.p_after_loss_batch_se);
	g_assert_cmpfloat_with_epsilon(st.burst, w.burst, 5 * st.burst_batch_se);
	/* the tolerances tell the law from independent loss, at rate P or
	 * at its own rate */
	g_assert_cmpfloat(w.rate, <, loss - 5 * st.rate_se);
	g_assert_cmpfloat(w.p_after_loss, >, w.rate + 5 * st.p_after_loss_batch_se);
	link_clear(&l);
}

static void test_loss_correlation_law(void)
{
	check_correlated_loss(0.1, 0.25, 24);
	check_correlated_loss(0.1, 0.5, 25);
	check_correlated_loss(0.3, 0.25, 26);
	check_correlated_loss(0.4, 0.8, 27);
}

/* The calculation itself: with a faint correlation the law is nearly
 * uniform (rate P, P(lost | lost) P); with rho = 1/2 and P = 1/2 the
 * chain is symmetric about 1/2 (rate 1/2). */
static void test_crandom_law_limits(void)
{
	struct loss_law w;

	crandom_law(0.1, 1e-4, 10000, &w);
	g_assert_cmpfloat_with_epsilon(w.rate, 0.1, 1e-4);
	g_assert_cmpfloat_with_epsilon(w.p_after_loss, 0.1, 1e-3);
	crandom_law(0.5, 0.5, 10000, &w);
	g_assert_cmpfloat_with_epsilon(w.rate, 0.5, 1e-12);
}

/* Correlated jitter: a uniform jitter's lag-1 autocorrelation is rho (the
 * chain is an AR(1) of the uniforms, mapped linearly); the sample
 * autocorrelation's standard error is about sqrt((1 - rho^2) / n) = 0.003. */
static void test_delay_correlation(void)
{
	const int n = 100000;
	struct link_params p = params_delay(100 * SIM_MS);
	struct link l;
	struct link_verdict v;
	double x_prev = 0, sx = 0, sxx = 0, sxy = 0;

	p.jitter = 10 * SIM_MS;
	p.delay_correlation = 0.5;
	link_new_netem(&l, &p, 16);
	for (int i = 0; i < n; i++) {
		link_offer(&l, i * SIM_SEC, MTU, &v);
		double x = (double)(v.deliver_at[0] - i * SIM_SEC - 100 * SIM_MS);
		g_assert_cmpfloat(fabs(x), <=, 10 * SIM_MS);
		sx += x;
		sxx += x * x;
		if (i > 0)
			sxy += x * x_prev;
		x_prev = x;
	}
	double mean = sx / n, var = sxx / n - mean * mean, cov = sxy / (n - 1) - mean * mean;
	g_assert_cmpfloat_with_epsilon(cov / var, 0.5, 0.02);
	link_clear(&l);
}

/* Correlated duplication and reordering keep their decisions' bias toward
 * the last one: runs of duplicates are longer than independent ones. */
static void test_dup_reorder_correlation(void)
{
	const int n = 200000;
	struct link_params p = params_delay(SIM_MS);
	struct link l;
	struct link_verdict v;
	long dups = 0, dup_after_dup = 0, prev_dups = 0, held = 0;
	bool prev = false;

	p.duplicate = 0.2;
	p.duplicate_correlation = 0.6;
	p.reorder = 0.2;
	p.reorder_delay = SIM_MS;
	p.reorder_correlation = 0.6;
	link_new_netem(&l, &p, 17);
	for (int i = 0; i < n; i++) {
		link_offer(&l, i * SIM_SEC, MTU, &v);
		bool d = v.copies == 2;
		dups += d;
		held += v.held_back;
		if (prev) {
			prev_dups++;
			dup_after_dup += d;
		}
		prev = d;
	}
	double pd = (double)dups / n, pdd = (double)dup_after_dup / prev_dups;
	g_assert_cmpfloat(pdd, >, pd + 5 * sqrt(pdd * (1 - pdd) / prev_dups));
	g_assert_cmpint(held, >, 0);
	g_assert_cmpint(held, <, n / 5); /* thinner tails again: below 20% */
	link_clear(&l);
}

/* Corruption: the first copy, at the rate asked (binomial, 5 sd), with
 * the bit and byte draws spread over their ranges. */
static void test_corrupt_rate(void)
{
	const int n = 200000;
	const double c = 0.05, tol = 5 * sqrt(c * (1 - c) / n);
	struct link_params p = params_delay(SIM_MS);
	struct link l;
	struct link_verdict v;
	long corrupted = 0, bits[8] = {0}, high_half = 0;

	p.corrupt = c;
	link_new_netem(&l, &p, 18);
	for (int i = 0; i < n; i++) {
		link_offer(&l, i * SIM_US, MTU, &v);
		g_assert_cmpint(v.drop, ==, LINK_DELIVER);
		if (v.corrupted) {
			corrupted++;
			g_assert_cmpuint(v.corrupt_bit, <, 8);
			bits[v.corrupt_bit]++;
			high_half += v.corrupt_where >= (1u << 31);
		}
	}
	g_assert_cmpfloat_with_epsilon((double)corrupted / n, c, tol);
	g_assert_cmpuint(l.n.corrupted, ==, (uint64_t)corrupted);
	for (int b = 0; b < 8; b++)
		g_assert_cmpint(bits[b], >, corrupted / 8 / 2);
	g_assert_cmpfloat_with_epsilon((double)high_half / corrupted, 0.5, 0.05);
	link_clear(&l);
}

/* netem's packet_time_ns(): overhead, then whole cells with theirs. */
static void test_rate_overheads(void)
{
	struct link_params p = params_delay(0);
	struct link l;
	struct link_verdict v;

	p.bandwidth = 8000000; /* one byte a microsecond */
	p.rate_overhead = 20;
	link_new_netem(&l, &p, 19);
	link_offer(&l, 0, 100, &v);
	assert_delivered_at(&v, 120 * SIM_US);
	link_clear(&l);

	p.rate_cell_size = 48;
	p.rate_cell_overhead = 5; /* 120 bytes: 3 cells of 53 */
	link_new_netem(&l, &p, 19);
	link_offer(&l, 0, 100, &v);
	assert_delivered_at(&v, 159 * SIM_US);
	link_clear(&l);

	p.rate_overhead = -14; /* 86 bytes: 2 cells */
	link_new_netem(&l, &p, 19);
	link_offer(&l, 0, 100, &v);
	assert_delivered_at(&v, 106 * SIM_US);
	link_clear(&l);
}

/* With every netem law off, a link with netem's streams gives the same
 * verdicts as one without, and never draws from them. */
static void test_netem_off_draws_nothing(void)
{
	struct link_params p = params_everything();
	struct link a, b;
	struct link_verdict va, vb;

	link_new(&a, &p, 21);
	link_new_netem(&b, &p, 21);
	for (int i = 0; i < 5000; i++) {
		link_offer(&a, i * 50 * SIM_US, MTU, &va);
		link_offer(&b, i * 50 * SIM_US, MTU, &vb);
		g_assert_true(verdict_equal(&va, &vb));
	}
	gsl_rng *fresh = stream(1000 + 8 * 21 + 1);
	g_assert_cmpuint(gsl_rng_get(b.ns.loss_model), ==, gsl_rng_get(fresh));
	gsl_rng_free(fresh);
	link_clear(&a);
	link_clear(&b);
}

/* Short flows: 20000 fresh links of 10 packets each (simple Gilbert, p =
 * 1/90, r = 1/10: 10% lost in the long run, bursts of 10).  netem's chain
 * starts good, so packet i is lost with probability pi (1 - l^i), l = 1 -
 * p - r, and a 10-packet flow loses pi (1 - (1 - l^10) / (10 (1 - l))) of
 * its packets on average; started in the stationary law, pi.  Tolerance: 5
 * standard errors of the mean over the independent links. */
static double short_flow_loss_of(const struct link_params *law, double *se)
{
	const int links = 20000, n = 10;
	double sum = 0, sum2 = 0;

	for (int k = 0; k < links; k++) {
		struct link_params p = *law;
		struct link l;
		struct link_verdict v;
		int lost = 0;
		link_new_netem(&l, &p, 100 + (unsigned long)k);
		for (int i = 0; i < n; i++) {
			link_offer(&l, i * SIM_US, MTU, &v);
			lost += v.drop == LINK_DROP_LOSS;
		}
		sum += (double)lost / n;
		sum2 += ((double)lost / n) * ((double)lost / n);
		link_clear(&l);
	}
	double mean = sum / links;
	*se = sqrt((sum2 / links - mean * mean) / links);
	return mean;
}

static double short_flow_loss(bool stationary, double *se)
{
	struct link_params p = params_delay(SIM_MS);

	p.loss_model = LINK_LOSS_GEMODEL;
	p.ge_p = 1.0 / 90;
	p.ge_r = 0.1;
	p.loss_start_stationary = stationary;
	return short_flow_loss_of(&p, se);
}

/* The 4-state chain started in its stationary law loses pi3 + pi4 of a
 * short flow's packets too. */
static void test_4state_start(void)
{
	const double p13 = 0.05, p31 = 0.2, p32 = 0.1, p23 = 0.3, p14 = 0.02;
	double pi3 = 1 / (1 + p31 / p13 + p32 / p23 + p31 * p14 / p13), pi4 = pi3 * p31 * p14 / p13;
	struct link_params p = params_delay(SIM_MS);
	double se;

	p.loss_model = LINK_LOSS_STATE;
	p.st_p13 = p13;
	p.st_p31 = p31;
	p.st_p32 = p32;
	p.st_p23 = p23;
	p.st_p14 = p14;
	p.loss_start_stationary = true;
	g_assert_cmpfloat_with_epsilon(short_flow_loss_of(&p, &se), pi3 + pi4, 5 * se);
	p.loss_start_stationary = false; /* netem: starts in 1, spared at first */
	g_assert_cmpfloat(short_flow_loss_of(&p, &se), <, pi3 + pi4 - 5 * se);
}

static void test_gemodel_start(void)
{
	const double pi = 0.1, lambda = 1 - 1.0 / 90 - 0.1;
	double se, got = short_flow_loss(false, &se);
	g_assert_cmpfloat_with_epsilon(got, pi * (1 - (1 - pow(lambda, 10)) / (10 * (1 - lambda))), 5 * se);
	got = short_flow_loss(true, &se);
	g_assert_cmpfloat_with_epsilon(got, pi, 5 * se);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/link/params/default", test_params_default);
	g_test_add_func("/link/distribution/names", test_distribution_names);
	g_test_add_func("/link/loss/none", test_loss_none);
	g_test_add_func("/link/loss/all", test_loss_all);
	g_test_add_func("/link/loss/rate", test_loss_rate);
	g_test_add_func("/link/loss/bernoulli-bursts", test_loss_bernoulli_bursts);
	g_test_add_func("/link/delay/constant", test_delay_constant);
	g_test_add_func("/link/delay/uniform-bounds", test_delay_uniform_bounds);
	g_test_add_func("/link/delay/normal-mean", test_delay_normal_mean);
	g_test_add_func("/link/delay/never-negative", test_delay_never_negative);
	g_test_add_func("/link/delay/exponential-mean", test_delay_exponential_mean);
	g_test_add_func("/link/delay/pareto-tail", test_delay_pareto_tail);
	g_test_add_func("/link/bandwidth/serialization", test_bandwidth_serialization);
	g_test_add_func("/link/bandwidth/rounds-up", test_bandwidth_rounds_up);
	g_test_add_func("/link/bandwidth/drop-tail", test_bandwidth_drop_tail);
	g_test_add_func("/link/bandwidth/long-queue", test_bandwidth_long_queue);
	g_test_add_func("/link/bandwidth/no-waiting-room", test_bandwidth_no_waiting_room);
	g_test_add_func("/link/bandwidth/lost-packet-holds-link",
	                test_bandwidth_lost_packet_holds_link);
	g_test_add_func("/link/reorder/held-back-is-overtaken",
	                test_reorder_held_back_is_overtaken);
	g_test_add_func("/link/reorder/all-held-none-reordered",
	                test_reorder_all_held_none_reordered);
	g_test_add_func("/link/duplicate/two-copies", test_duplicate_two_copies);
	g_test_add_func("/link/determinism", test_determinism);
	g_test_add_func("/link/crn/fixed-draws", test_crn_fixed_draws);
	g_test_add_func("/link/crn/loss-keeps-delays", test_crn_loss_keeps_delays);
	g_test_add_func("/link/netem/crandom-exact", test_crandom_exact);
	g_test_add_func("/link/netem/gemodel-simple-gilbert", test_gemodel_simple_gilbert);
	g_test_add_func("/link/netem/gemodel-rate", test_gemodel_rate);
	g_test_add_func("/link/netem/4state", test_4state);
	g_test_add_func("/link/netem/4state-bursts-one-over-p31", test_4state_bursts_one_over_p31);
	g_test_add_func("/link/netem/loss-correlation", test_loss_correlation);
	g_test_add_func("/link/netem/loss-correlation-law", test_loss_correlation_law);
	g_test_add_func("/link/netem/crandom-law-limits", test_crandom_law_limits);
	g_test_add_func("/link/netem/delay-correlation", test_delay_correlation);
	g_test_add_func("/link/netem/dup-reorder-correlation", test_dup_reorder_correlation);
	g_test_add_func("/link/netem/corrupt-rate", test_corrupt_rate);
	g_test_add_func("/link/netem/rate-overheads", test_rate_overheads);
	g_test_add_func("/link/netem/off-draws-nothing", test_netem_off_draws_nothing);
	g_test_add_func("/link/netem/gemodel-start", test_gemodel_start);
	g_test_add_func("/link/netem/4state-start", test_4state_start);
	return g_test_run();
}
