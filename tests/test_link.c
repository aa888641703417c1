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
#include <glib.h>
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

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/link/params/default", test_params_default);
	g_test_add_func("/link/distribution/names", test_distribution_names);
	g_test_add_func("/link/loss/none", test_loss_none);
	g_test_add_func("/link/loss/all", test_loss_all);
	g_test_add_func("/link/loss/rate", test_loss_rate);
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
	return g_test_run();
}
