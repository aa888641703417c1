/*
 * Tests of a host's connection table (models/host.c): host_lookup()'s
 * one-behind cache (BSD's tcp_last_inpcb) never answers for a connection
 * that has left the table, whether it left by host_unhash(), by
 * host_unlink() or with every other one in host_crash(), and whether it
 * was cached by a lookup or by its creation.
 */
#include <glib.h>
#include <gsl/gsl_rng.h>

#include "models/host.h"

struct fixture {
	struct tcp_params p;
	struct host h;
};

static void setup(struct fixture *f)
{
	g_assert_true(tcp_profile_get("linux", &f->p));
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937); /* the host owns it */
	gsl_rng_set(rng, 1);
	host_init(&f->h, 0x0a000001u, &f->p, rng, 32768, 60999);
}

static void teardown(struct fixture *f)
{
	host_clear(&f->h);
}

static struct conn *open_conn(struct fixture *f, uint16_t rport)
{
	struct host_connect_req rq = {.raddr = 0x0a000002u, .rport = rport};
	struct conn *displaced = NULL;
	int err = 0;
	struct conn *c = host_connect(&f->h, &rq, 0, &err, &displaced);
	g_assert_nonnull(c);
	g_assert_null(displaced);
	return c;
}

static void test_lookup_finds_each(void)
{
	struct fixture f;
	setup(&f);
	struct conn *a = open_conn(&f, 80), *b = open_conn(&f, 81);
	/* alternating: each lookup replaces the cached one */
	for (int i = 0; i < 3; i++) {
		g_assert_true(host_lookup(&f.h, &a->key) == a);
		g_assert_true(host_lookup(&f.h, &b->key) == b);
	}
	struct conn_key other = a->key;
	other.rport = 82;
	g_assert_null(host_lookup(&f.h, &other));
	g_assert_true(host_lookup(&f.h, &a->key) == a);
	teardown(&f);
}

static void test_unhash_forgets_cached(void)
{
	struct fixture f;
	setup(&f);
	struct conn *a = open_conn(&f, 80), *b = open_conn(&f, 81);
	struct conn_key ka = a->key;
	g_assert_true(host_lookup(&f.h, &ka) == a); /* a is the cached one */
	host_unhash(&f.h, a);
	g_assert_null(host_lookup(&f.h, &ka));
	g_assert_true(host_lookup(&f.h, &b->key) == b);
	host_unlink(&f.h, b); /* cached, and unlinked */
	g_assert_null(host_lookup(&f.h, &b->key));
	teardown(&f);
}

/* A new connection is the cached one before any lookup: leaving the
 * table, it is forgotten as one a lookup found. */
static void test_new_conn_cached_then_forgotten(void)
{
	struct fixture f;
	setup(&f);
	struct conn *a = open_conn(&f, 80), *b = open_conn(&f, 81);
	struct conn_key kb = b->key;
	host_unhash(&f.h, b); /* no lookup since it was made */
	g_assert_null(host_lookup(&f.h, &kb));
	g_assert_true(host_lookup(&f.h, &a->key) == a);
	struct conn *c = open_conn(&f, 82);
	g_assert_true(host_lookup(&f.h, &c->key) == c);
	g_assert_true(host_lookup(&f.h, &a->key) == a);
	teardown(&f);
}

static void test_crash_forgets_cached(void)
{
	struct fixture f;
	setup(&f);
	struct conn *a = open_conn(&f, 80);
	struct conn_key ka = a->key;
	g_assert_true(host_lookup(&f.h, &ka) == a);
	GPtrArray *freed = g_ptr_array_new();
	host_crash(&f.h, freed);
	g_assert_cmpuint(freed->len, ==, 1);
	g_assert_null(host_lookup(&f.h, &ka));
	g_ptr_array_free(freed, TRUE);
	teardown(&f);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/host/lookup/finds-each", test_lookup_finds_each);
	g_test_add_func("/host/lookup/unhash-forgets-cached", test_unhash_forgets_cached);
	g_test_add_func("/host/lookup/new-conn-cached-then-forgotten",
	                test_new_conn_cached_then_forgotten);
	g_test_add_func("/host/lookup/crash-forgets-cached", test_crash_forgets_cached);
	return g_test_run();
}
