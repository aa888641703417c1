/*
 * Tests of the free-list allocator (sim/engine/pool.c): zero-filled objects
 * (or heads), recycling, growth past one block, the in_use/peak counters,
 * alignment, and clear.
 */
#include <glib.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/pool.h"

struct thing {
	uint64_t a;   /* written to check the next get zero-fills */
	char pad[40]; /* makes the object span more than the free-list link */
};

static bool all_zero(const void *obj, size_t n)
{
	const unsigned char *p = obj;

	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void test_size_rounding(void)
{
	static const struct { size_t in, rounded; } cases[] = {
		{ 1, 16 }, { 8, 16 }, { 16, 16 }, { 17, 32 }, { 48, 48 }, { 100, 112 },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct sim_pool p;
		sim_pool_init(&p, cases[i].in);
		g_assert_cmpuint(p.obj_size, ==, cases[i].rounded);
		sim_pool_clear(&p);
	}
}

static void test_get_zeroed(void)
{
	struct sim_pool p;

	sim_pool_init(&p, sizeof(struct thing));
	struct thing *t = sim_pool_get(&p);
	g_assert_true(all_zero(t, sizeof *t));
	memset(t, 0xa5, sizeof *t);
	sim_pool_put(&p, t);
	struct thing *again = sim_pool_get(&p);
	g_assert_true(again == t); /* LIFO: the warm object comes back first */
	g_assert_true(all_zero(again, sizeof *again));
	sim_pool_clear(&p);
}

/* sim_pool_get_head zero-fills the head only: the rest keeps what the
 * last user wrote (a packet's payload is copied in before it is read). */
static void test_get_head(void)
{
	struct sim_pool p;

	sim_pool_init(&p, sizeof(struct thing));
	struct thing *t = sim_pool_get(&p);
	memset(t, 0xa5, sizeof *t);
	sim_pool_put(&p, t);
	struct thing *again = sim_pool_get_head(&p, offsetof(struct thing, pad));
	g_assert_true(again == t);
	g_assert_cmpuint(again->a, ==, 0);
	g_assert_cmpuint((unsigned char)again->pad[0], ==, 0xa5);
	g_assert_cmpuint(p.in_use, ==, 1);
	sim_pool_clear(&p);
}

static void test_counts(void)
{
	struct sim_pool p;
	void *objs[10];

	sim_pool_init(&p, 24);
	for (size_t i = 0; i < 10; i++)
		objs[i] = sim_pool_get(&p);
	g_assert_cmpuint(p.in_use, ==, 10);
	g_assert_cmpuint(p.peak, ==, 10);
	for (size_t i = 0; i < 7; i++)
		sim_pool_put(&p, objs[i]);
	g_assert_cmpuint(p.in_use, ==, 3);
	g_assert_cmpuint(p.peak, ==, 10);
	objs[0] = sim_pool_get(&p);
	g_assert_cmpuint(p.in_use, ==, 4);
	g_assert_cmpuint(p.peak, ==, 10);
	sim_pool_put(&p, NULL); /* like free(NULL) */
	g_assert_cmpuint(p.in_use, ==, 4);
	sim_pool_clear(&p);
}

static gint cmp_ptr(gconstpointer a, gconstpointer b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

/* Many blocks' worth of objects: all distinct, aligned, not overlapping,
 * and writing one leaves the others alone. */
static void test_grows(void)
{
	enum { N = 1000 };
	struct sim_pool p;
	uintptr_t addr[N];

	sim_pool_init(&p, sizeof(struct thing));
	for (size_t i = 0; i < N; i++) {
		struct thing *t = sim_pool_get(&p);
		g_assert_true(all_zero(t, sizeof *t));
		t->a = i;
		memset(t->pad, (int)(i & 0x7f), sizeof t->pad);
		addr[i] = (uintptr_t)t;
		g_assert_cmpuint(addr[i] % 16, ==, 0);
	}
	g_assert_cmpuint(p.n_blocks, ==, (N + p.per_block - 1) / p.per_block);
	for (size_t i = 0; i < N; i++)
		g_assert_cmpuint(((struct thing *)addr[i])->a, ==, i);
	qsort(addr, N, sizeof addr[0], cmp_ptr);
	for (size_t i = 1; i < N; i++)
		g_assert_cmpuint(addr[i] - addr[i - 1], >=, p.obj_size);
	sim_pool_clear(&p);
}

/* Once the pool reached its working size, get/put cycles add no block. */
static void test_steady_state(void)
{
	struct sim_pool p;
	void *objs[300];

	sim_pool_init(&p, 64);
	for (int round = 0; round < 100; round++) {
		for (size_t i = 0; i < G_N_ELEMENTS(objs); i++)
			objs[i] = sim_pool_get(&p);
		for (size_t i = 0; i < G_N_ELEMENTS(objs); i++)
			sim_pool_put(&p, objs[i]);
	}
	g_assert_cmpuint(p.n_blocks, ==, 2);
	g_assert_cmpuint(p.in_use, ==, 0);
	g_assert_cmpuint(p.peak, ==, G_N_ELEMENTS(objs));
	sim_pool_clear(&p);
}

static void test_clear_reuse(void)
{
	struct sim_pool p;

	sim_pool_init(&p, 40);
	for (int i = 0; i < 600; i++)
		(void)sim_pool_get(&p); /* left in use: clear frees them too */
	sim_pool_clear(&p);
	g_assert_cmpuint(p.n_blocks, ==, 0);
	g_assert_cmpuint(p.in_use, ==, 0);
	g_assert_cmpuint(p.peak, ==, 0);
	g_assert_null(p.free_list);
	g_assert_cmpuint(p.obj_size, ==, 48);
	void *obj = sim_pool_get(&p); /* still usable after clear */
	g_assert_nonnull(obj);
	g_assert_cmpuint(p.in_use, ==, 1);
	sim_pool_clear(&p);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pool/size-rounding", test_size_rounding);
	g_test_add_func("/pool/get-zeroed", test_get_zeroed);
	g_test_add_func("/pool/get-head", test_get_head);
	g_test_add_func("/pool/counts", test_counts);
	g_test_add_func("/pool/grows", test_grows);
	g_test_add_func("/pool/steady-state", test_steady_state);
	g_test_add_func("/pool/clear-reuse", test_clear_reuse);
	return g_test_run();
}
