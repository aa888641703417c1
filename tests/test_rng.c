/*
 * Tests of the random streams (sim/engine/rng.c): the seed derivation is pinned to
 * values computed independently of the C code (a few lines of Python that
 * follow the formula in rng.h), so it can never change silently; streams
 * are reproducible and independent by name, run and master seed.
 */
#include <glib.h>
#include <stdbool.h>
#include <string.h>

#include "sim/engine/rng.h"

#define DRAWS 64

static void draw(gsl_rng *r, unsigned long *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = gsl_rng_get(r);
}

/* The first DRAWS numbers of a stream. */
static void stream_draws(uint64_t seed, uint64_t run, const char *name, unsigned long *out)
{
	gsl_rng *r = rng_stream_new(seed, run, name);

	draw(r, out, DRAWS);
	gsl_rng_free(r);
}

static bool same_draws(uint64_t s1, uint64_t r1, const char *n1, uint64_t s2, uint64_t r2,
                       const char *n2)
{
	unsigned long a[DRAWS], b[DRAWS];

	stream_draws(s1, r1, n1, a);
	stream_draws(s2, r2, n2, b);
	return memcmp(a, b, sizeof a) == 0;
}

/* splitmix64(splitmix64(seed ^ fnv1a64(name)) ^ run), computed in Python. */
static void test_seed_pinned(void)
{
	g_assert_cmphex(rng_stream_seed(42, 0, "client.isn"), ==, 0x612a16f3338672d0ull);
	g_assert_cmphex(rng_stream_seed(1, 7, "link.c2s.loss"), ==, 0xa5d1699f8e3c41d8ull);
	g_assert_cmphex(rng_stream_seed(0, 0, ""), ==, 0x21fa69a58f3d62f5ull);
}

/* The whole chain down to GSL: the first draws of one named stream. */
static void test_stream_pinned(void)
{
	gsl_rng *r = rng_stream_new(42, 0, "client.isn");

	g_assert_cmpstr(gsl_rng_name(r), ==, "taus2");
	g_assert_cmpuint(gsl_rng_get(r), ==, 3267154331ul);
	g_assert_cmpuint(gsl_rng_get(r), ==, 1286538082ul);
	g_assert_cmpuint(gsl_rng_get(r), ==, 1891917957ul);
	gsl_rng_free(r);
}

static void test_stream_reproducible(void)
{
	g_assert_true(same_draws(42, 3, "server.isn", 42, 3, "server.isn"));
}

static void test_stream_names_differ(void)
{
	static const char *const names[] = { "client.isn", "server.isn", "link.c2s.loss",
	                                     "link.s2c.loss", "link.c2s.delay", "" };

	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		for (size_t j = i + 1; j < G_N_ELEMENTS(names); j++)
			g_assert_false(same_draws(42, 0, names[i], 42, 0, names[j]));
}

static void test_stream_run_differs(void)
{
	for (uint64_t run = 1; run < 16; run++)
		g_assert_false(same_draws(42, 0, "client.isn", 42, run, "client.isn"));
}

static void test_stream_master_differs(void)
{
	g_assert_false(same_draws(1, 0, "client.isn", 2, 0, "client.isn"));
	g_assert_cmphex(rng_stream_seed(1, 0, "x"), !=, rng_stream_seed(2, 0, "x"));
}

/* The name goes in whole, not only up to some length or its first byte. */
static void test_seed_whole_name(void)
{
	g_assert_cmphex(rng_stream_seed(9, 0, "link.c2s.loss"), !=,
	                rng_stream_seed(9, 0, "link.c2s.los"));
	g_assert_cmphex(rng_stream_seed(9, 0, "ab"), !=, rng_stream_seed(9, 0, "ba"));
}

/* GSL facts the derivation relies on (documented in sim/engine/rng.c): taus2 only
 * uses the low 32 bits of its seed.  If this ever fails, GSL changed and
 * every pinned stream above has changed with it. */
static void test_taus2_seed_width(void)
{
	gsl_rng *a = gsl_rng_alloc(gsl_rng_taus2), *b = gsl_rng_alloc(gsl_rng_taus2);

	gsl_rng_set(a, (unsigned long)0x0123456789abcdefull);
	gsl_rng_set(b, 0x89abcdeful);
	g_assert_cmpuint(gsl_rng_get(a), ==, gsl_rng_get(b));
	gsl_rng_free(a);
	gsl_rng_free(b);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rng/seed/pinned", test_seed_pinned);
	g_test_add_func("/rng/seed/whole-name", test_seed_whole_name);
	g_test_add_func("/rng/stream/pinned", test_stream_pinned);
	g_test_add_func("/rng/stream/reproducible", test_stream_reproducible);
	g_test_add_func("/rng/stream/names-differ", test_stream_names_differ);
	g_test_add_func("/rng/stream/run-differs", test_stream_run_differs);
	g_test_add_func("/rng/stream/master-differs", test_stream_master_differs);
	g_test_add_func("/rng/gsl/taus2-seed-width", test_taus2_seed_width);
	return g_test_run();
}
