/*
 * The allocation guard of the performance work: no allocation per event,
 * per segment or per connection on the hot path.  valgrind counts every
 * heap allocation of a run, deterministically (no timing involved, so this
 * test cannot flake); two runs of the benchmark scenario that differ only
 * in the number of connection lifecycles must differ by (almost) nothing.
 *
 * Both runs are past the warm-up: TIME_WAIT connections pile up for the
 * first 60 simulated seconds (about 660 lifecycles), then as many leave as
 * arrive and every connection reuses a finished one's memory.
 *
 * With the capture on, the capture point's record of each stream must go
 * with its connection too (it once kept one per 4-tuple ever used: four
 * allocations per lifecycle, and peak memory growing until the ephemeral
 * ports wrapped).
 *
 * It measures ./tcpsim, the plain build, whatever TCPSIM_BIN says: a
 * sanitized build allocates differently (and does not run under valgrind).
 *
 * Bounds (stated here and in the README):
 *   - growth from 1200 to 2400 lifecycles: at most 50 allocations
 *     (0.04 per lifecycle; it was 18 per lifecycle before pooling);
 *   - the whole run of 1200 lifecycles: at most 8000 allocations;
 * the same with the capture off and on.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#define GROWTH_BOUND 50
#define FIXED_BOUND 8000

/* Runs the benchmark config with `repeat` lifecycles under valgrind and
 * returns the "total heap usage: N allocs" figure. */
static long allocations(int repeat, bool pcap)
{
	char *dir = g_dir_make_tmp("tcpsim-alloc-XXXXXX", NULL);
	char *n = g_strdup_printf("client.repeat=%d", repeat);
	char *pcap_opt = g_strdup_printf("simulation.pcap=%s", pcap ? "true" : "false");
	char *argv[] = {"valgrind", "--error-exitcode=3", "./tcpsim",
	                      "configs/bench/lifecycles.ini", "-q", "-o", dir, "-s", n, "-s",
	                      pcap_opt, NULL};
	char *err = NULL;
	int status = 0;
	GError *e = NULL;
	gboolean ok = g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH |
	                           G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &e);
	if (!ok)
		g_error("cannot run valgrind (install it with make deps): %s", e->message);
	if (!g_spawn_check_wait_status(status, NULL)) /* no memory error either */
		g_error("valgrind ./tcpsim failed (is ./tcpsim built? this test measures the "
		        "plain build):\n%s", err);
	const char *at = strstr(err, "total heap usage: ");
	g_assert_nonnull(at);
	char digits[32] = "";
	size_t k = 0;
	for (const char *p = at + strlen("total heap usage: "); *p && *p != ' ' && k < 31; p++)
		if (*p != ',')
			digits[k++] = *p;
	long count = strtol(digits, NULL, 10);
	g_test_message("%d lifecycles, pcap %s: %ld allocations", repeat, pcap ? "on" : "off",
	               count);
	g_free(err);
	g_free(n);
	g_free(pcap_opt);
	char *capture = g_build_filename(dir, "trace.pcap", NULL);
	g_assert_true(pcap == g_file_test(capture, G_FILE_TEST_EXISTS));
	g_unlink(capture);
	g_free(capture);
	char *lock = g_build_filename(dir, ".tcpsim.lock", NULL); /* the folder's lock */
	g_assert_cmpint(g_unlink(lock), ==, 0);
	g_free(lock);
	g_assert_cmpint(g_rmdir(dir), ==, 0); /* nothing else was written into it */
	g_free(dir);
	return count;
}

static void check_flat(bool pcap)
{
	long small = allocations(1200, pcap);
	long large = allocations(2400, pcap);
	g_assert_cmpint(small, <=, FIXED_BOUND);
	g_assert_cmpint(large - small, <=, GROWTH_BOUND);
}

static void test_flat(void)
{
	check_flat(false);
}

static void test_flat_with_capture(void)
{
	check_flat(true);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/alloc/lifecycles/flat", test_flat);
	g_test_add_func("/alloc/lifecycles/flat-with-capture", test_flat_with_capture);
	return g_test_run();
}
