/*
 * models/link.c against netem's own algorithms: the reorder of Linux's
 * sch_netem.c netem_enqueue() (reorder_at_once, reorder_gap, the
 * correlated draw) and the laws of iproute2's netem/pareto.c and
 * paretonormal.c tables (distribution netem_pareto, netem_paretonormal).
 *
 * Fixed seeds, so the tests are deterministic; tolerances are 5 standard
 * deviations of the sampling law, so that another seed would pass too.
 * Streams are gsl_rng_taus2 (32-bit values, as sim/engine/rng.c gives).
 */
#include <math.h>
#include <glib.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include "models/link.h"

#define N 200000
#define TABLE_MAX (32767.0 / 8192.0) /* the tables' largest short / NETEM_DIST_SCALE */

static gsl_rng *stream(unsigned long seed)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);

	gsl_rng_set(r, seed);
	return r;
}

/* A link with every stream, netem's included, from one test seed. */
static void link_new(struct link *l, const struct link_params *p, unsigned long seed)
{
	link_init(l, p, stream(10 * seed + 1), stream(10 * seed + 2), stream(10 * seed + 3),
	          stream(10 * seed + 4));
	link_init_netem(l, &(struct link_netem_streams){
		.loss_model = stream(10 * seed + 5), .delay_cor = stream(10 * seed + 6),
		.reorder_cor = stream(10 * seed + 7), .dup_cor = stream(10 * seed + 8),
		.corrupt = stream(10 * seed + 9) });
}

static struct link_params netem_reorder(double at_once, uint32_t gap, double corr)
{
	struct link_params p;

	link_params_default(&p);
	p.delay = 100 * SIM_MS;
	p.reorder_at_once = at_once;
	p.reorder_gap = gap;
	p.reorder_correlation = corr;
	return p;
}

/* 5 standard deviations of a share q estimated from n draws */
static double tol(double q, double n)
{
	return 5 * sqrt(q * (1 - q) / n);
}

/* Without a gap, a share P goes at once (no delay), the others wait out
 * the delay. */
static void test_reorder_share(void)
{
	struct link_params p = netem_reorder(0.25, 1, 0);
	struct link l;
	unsigned at_once = 0;

	link_new(&l, &p, 1);
	for (int i = 0; i < N; i++) {
		struct link_verdict v;
		sim_time now = (sim_time)i * SIM_MS;
		link_offer(&l, now, 1000, &v);
		g_assert_cmpint(v.deliver_at[0], ==, v.at_once ? now : now + p.delay);
		at_once += v.at_once;
	}
	g_assert_cmpfloat(fabs((double)at_once / N - 0.25), <=, tol(0.25, N));
	g_assert_cmpuint(l.n.reordered, >, 0);
	link_clear(&l);
}

/* gap 5: the 4 packets after one sent at once always wait; then each
 * goes at once with probability P: one in 4 + 1/P in the long run. */
static void test_reorder_gap(void)
{
	struct link_params p = netem_reorder(0.25, 5, 0);
	struct link l;
	unsigned at_once = 0, since = 1000;
	double share = 1.0 / (4 + 1 / 0.25);
	/* the renewal's cycles: length 4 + a geometric of mean 4, variance 12 */
	double sd = sqrt(12.0 / pow(8.0, 3) / N);

	link_new(&l, &p, 2);
	for (int i = 0; i < N; i++) {
		struct link_verdict v;
		link_offer(&l, (sim_time)i * SIM_MS, 1000, &v);
		if (v.at_once) {
			g_assert_cmpuint(since, >=, 4);
			since = 0;
			at_once++;
		} else {
			since++;
		}
	}
	g_assert_cmpfloat(fabs((double)at_once / N - share), <=, 5 * sd);
	link_clear(&l);
}

/* The decisions are netem_enqueue()'s, packet by packet: a reference run
 * of its test on a stream seeded as the link's reorder stream, skipping
 * (drawing nothing for) the lost packets and those the gap holds. */
static void test_reorder_exact(void)
{
	struct link_params p = netem_reorder(0.3, 3, 0.6);
	struct link l;
	gsl_rng *ref = stream(10 * 3 + 7);
	struct link_crandom cor = { .rho = link_prob_u32(0.6) };
	uint32_t counter = 0, p32 = link_prob_u32(0.3);
	unsigned at_once = 0, after_once = 0, once_then_once = 0, drawn = 0;
	bool last_drawn_once = false;

	p.loss = 0.1;
	link_new(&l, &p, 3);
	cor.last = (uint32_t)gsl_rng_get(ref); /* init_crandom() */
	for (int i = 0; i < N; i++) {
		struct link_verdict v;
		bool want = false;
		link_offer(&l, (sim_time)i * SIM_MS, 1000, &v);
		if (v.drop != LINK_DELIVER)
			continue;
		if (counter < p.reorder_gap - 1) {
			counter++;
		} else {
			want = p32 >= link_crandom_next(&cor, ref);
			counter = want ? 0 : counter + 1;
			after_once += last_drawn_once;
			once_then_once += last_drawn_once && want;
			last_drawn_once = want;
			drawn++;
		}
		g_assert_cmpint(v.at_once, ==, want);
		at_once += want;
	}
	/* correlation clusters the draws that succeed */
	g_assert_cmpuint(at_once, >, 1000);
	g_assert_cmpfloat((double)once_then_once / after_once, >, 2.0 * at_once / drawn);
	gsl_rng_free(ref);
	link_clear(&l);
}

/* With a jitter the waiting packets get delay + jitter (and reorder
 * among themselves); those sent at once get neither. */
static void test_reorder_jitter(void)
{
	struct link_params p = netem_reorder(0.25, 1, 0);
	struct link l;
	unsigned at_once = 0;

	p.jitter = 10 * SIM_MS;
	p.distribution = LINK_DIST_UNIFORM;
	link_new(&l, &p, 4);
	for (int i = 0; i < 20000; i++) {
		struct link_verdict v;
		sim_time now = (sim_time)i * SIM_MS;
		link_offer(&l, now, 1000, &v);
		if (v.at_once) {
			g_assert_cmpint(v.deliver_at[0], ==, now);
			at_once++;
		} else {
			g_assert_cmpint(v.deliver_at[0], >=, now + 90 * SIM_MS);
			g_assert_cmpint(v.deliver_at[0], <=, now + 110 * SIM_MS);
		}
	}
	g_assert_cmpfloat(fabs(at_once / 20000.0 - 0.25), <=, tol(0.25, 20000));
	link_clear(&l);
}

/* The tables' laws, from iproute2's generators: the q-quantile of
 * pareto.c is (4/3) (1/(1-q)^(1/3) - 1.5), cut at TABLE_MAX, and that of
 * paretonormal.c (Phi^-1(q) + 3 pareto(q)) / 4, cut the same. */
static double pareto_quantile(double q)
{
	double x = (4.0 / 3.0) * (1.0 / cbrt(1.0 - q) - 1.5);
	return x < TABLE_MAX ? x : TABLE_MAX;
}

static double paretonormal_quantile(double q)
{
	double x = (gsl_cdf_ugaussian_Pinv(q) + 3 * pareto_quantile(q)) / 4;
	return x < TABLE_MAX ? x : TABLE_MAX;
}

/* N jitter values of the law, in units of the jitter. */
static double *table_samples(enum link_distribution d, double corr, unsigned long seed)
{
	struct link_params p;
	struct link l;
	double *x = g_new(double, N);

	link_params_default(&p);
	p.delay = SIM_SEC;
	p.jitter = 100 * SIM_MS;
	p.distribution = d;
	p.delay_correlation = corr;
	link_new(&l, &p, seed);
	for (int i = 0; i < N; i++) {
		struct link_verdict v;
		sim_time now = (sim_time)i * SIM_MS;
		link_offer(&l, now, 1000, &v);
		x[i] = (double)(v.deliver_at[0] - now - p.delay) / (double)p.jitter;
	}
	link_clear(&l);
	return x;
}

/* Share of samples at or below each quantile of the law: q, within 5
 * standard deviations; the mean within 5 standard errors. */
static void assert_law(const double *x, double (*quantile)(double), double mean)
{
	static const double qs[] = { 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.98 };
	double sum = 0, sum2 = 0;

	for (size_t k = 0; k < G_N_ELEMENTS(qs); k++) {
		double at = quantile(qs[k]) + 1e-8; /* the ns rounding */
		unsigned below = 0;
		for (int i = 0; i < N; i++)
			below += x[i] <= at;
		g_assert_cmpfloat(fabs((double)below / N - qs[k]), <=, tol(qs[k], N));
	}
	for (int i = 0; i < N; i++) {
		sum += x[i];
		sum2 += x[i] * x[i];
	}
	double m = sum / N, sd = sqrt(sum2 / N - m * m);
	g_assert_cmpfloat(fabs(m - mean), <=, 5 * sd / sqrt(N));
}

/* netem_pareto: a Pareto of shape 3 centred on its mean, cut at the
 * table's end.  With y_c = 1.5 + 0.75 TABLE_MAX the cut Pareto's value,
 * E[min(Y, y_c)] = 1.5 - 0.5 / y_c^2, so the mean is -(2/3) / y_c^2
 * (about -0.033) and a share 1 / y_c^3 (1.1%) sits at the cut. */
static void test_netem_pareto(void)
{
	double yc = 1.5 + 0.75 * TABLE_MAX;
	double *x = table_samples(LINK_DIST_NETEM_PARETO, 0, 5);
	unsigned cut = 0;

	assert_law(x, pareto_quantile, -(2.0 / 3.0) / (yc * yc));
	for (int i = 0; i < N; i++) {
		g_assert_cmpfloat(x[i], >=, -2.0 / 3.0 - 1e-8);
		g_assert_cmpfloat(x[i], <=, TABLE_MAX + 1e-8);
		cut += x[i] >= TABLE_MAX - 1e-8;
	}
	g_assert_cmpfloat(fabs((double)cut / N - 1 / pow(yc, 3)), <=, tol(1 / pow(yc, 3), N));
	g_free(x);
}

/* netem_paretonormal: the normal and the Pareto quantile at the same
 * draw, 1/4 and 3/4; its mean 3/4 of the cut Pareto's (the normal's is 0
 * and the outer cut binds only beyond q = 0.99997). */
static void test_netem_paretonormal(void)
{
	double yc = 1.5 + 0.75 * TABLE_MAX;
	double *x = table_samples(LINK_DIST_NETEM_PARETONORMAL, 0, 6);

	assert_law(x, paretonormal_quantile, 0.75 * -(2.0 / 3.0) / (yc * yc));
	g_free(x);
}

/* A correlated jitter keeps the table's values: the same law in the long
 * run only approximately (netem's correlation bends it), but never below
 * the table's least value nor beyond its cut. */
static void test_netem_pareto_correlated(void)
{
	double *x = table_samples(LINK_DIST_NETEM_PARETO, 0.5, 7);

	for (int i = 0; i < N; i++) {
		g_assert_cmpfloat(x[i], >=, -2.0 / 3.0 - 1e-8);
		g_assert_cmpfloat(x[i], <=, TABLE_MAX + 1e-8);
	}
	g_free(x);
}

/* The unit value at the table's own entries: pareto.c's k-th entry is
 * rint((4/3)(1/((65536 - 16k)/65536)^(1/3) - 1.5) 8192), cut at 32767. */
static void test_table_entries(void)
{
	for (int k = 1; k < 4096; k++) {
		double q = 1 - (65536.0 - 16 * k) / 65536.0;
		double entry = rint((4.0 / 3.0) * (1 / cbrt((65536.0 - 16 * k) / 65536.0) - 1.5) * 8192);
		if (entry > 32767)
			entry = 32767;
		g_assert_cmpfloat(fabs(link_netem_table_value(LINK_DIST_NETEM_PARETO, q) * 8192 - entry), <=,
		                  0.5 + 1e-9);
	}
	g_assert_cmpstr(link_distribution_name(LINK_DIST_NETEM_PARETO), ==, "netem_pareto");
	g_assert_cmpstr(link_distribution_name(LINK_DIST_NETEM_PARETONORMAL), ==, "netem_paretonormal");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/link-netem/reorder/share", test_reorder_share);
	g_test_add_func("/link-netem/reorder/gap", test_reorder_gap);
	g_test_add_func("/link-netem/reorder/exact", test_reorder_exact);
	g_test_add_func("/link-netem/reorder/jitter", test_reorder_jitter);
	g_test_add_func("/link-netem/table/pareto", test_netem_pareto);
	g_test_add_func("/link-netem/table/paretonormal", test_netem_paretonormal);
	g_test_add_func("/link-netem/table/pareto-correlated", test_netem_pareto_correlated);
	g_test_add_func("/link-netem/table/entries", test_table_entries);
	return g_test_run();
}
