/*
 * The short randomized stress of `make check`: tools/stress.c's generator,
 * runner and oracle, linked in (no tcpsim subprocess), over a few hundred
 * random configs.  The runs happen in one forked worker of this program,
 * under the stress's wall-clock alarm and memory cap, so that a crash, a
 * hang or a run that eats all memory is reported as a failed run with its
 * config instead of taking the test program (or the machine) down.
 * `make stress` runs the long version.
 *
 * /stress/generate/deterministic  run R of seed S is always the same text
 * /stress/generate/loads          every generated config is valid
 * /stress/short                   TCPSIM_STRESS_RUNS runs (1000) of seed
 *                                 TCPSIM_STRESS_SEED (1) with no failure
 *
 * A failing run prints its reason and its config and saves it under
 * tests/stress-failures/ (see tools/stress.h); replay it with
 * `build/tools/stress --replay FILE` or `./tcpsim FILE`.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim/config/config.h"
#include "tools/stress.h"

static uint64_t env_uint(const char *name, uint64_t def)
{
	const char *v = g_getenv(name);
	guint64 out;

	if (!v || !*v)
		return def;
	if (!g_ascii_string_to_unsigned(v, 10, 0, G_MAXUINT64, &out, NULL))
		g_error("%s=%s: expected a whole number", name, v);
	return out;
}

static void test_deterministic(void)
{
	for (uint64_t run = 0; run < 20; run++) {
		char *a = stress_generate(7, run), *b = stress_generate(7, run);
		char *other = stress_generate(8, run);
		g_assert_cmpstr(a, ==, b);
		g_assert_cmpstr(a, !=, other);
		g_free(a);
		g_free(b);
		g_free(other);
	}
}

/* Loading alone: a rejection here names the generator's mistake (or the
 * loader's) without running anything. */
static void test_loads(void)
{
	char *dir = g_dir_make_tmp("tcpsim-stress-test-XXXXXX", NULL);
	char *path = g_build_filename(dir, "gen.ini", NULL);

	for (uint64_t run = 0; run < 500; run++) {
		char *ini = stress_generate(3, run);
		struct config c;
		GError *error = NULL;
		g_assert_true(g_file_set_contents(path, ini, -1, NULL));
		if (!config_load(path, NULL, &c, &error))
			g_error("run %" G_GUINT64_FORMAT " of seed 3 rejected: %s\n%s", run, error->message, ini);
		config_clear(&c);
		g_free(ini);
	}
	g_unlink(path);
	g_rmdir(dir);
	g_free(path);
	g_free(dir);
}

static void test_short(void)
{
	struct stress_opts o;
	struct stress_totals t;

	stress_opts_default(&o);
	o.seed = env_uint("TCPSIM_STRESS_SEED", 1);
	o.runs = env_uint("TCPSIM_STRESS_RUNS", 1000);
	o.jobs = 1;
	o.quiet = true;
	o.fail_dir = "tests/stress-failures";
	bool ok = stress_run(&o, &t);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	stress_print_totals(mem, &o, &t);
	fclose(mem);
	g_test_message("%s", buf);
	free(buf);
	g_assert_cmpuint(t.runs, ==, o.runs);
	g_assert_cmpuint(t.failures, ==, 0);
	g_assert_true(ok);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/stress/generate/deterministic", test_deterministic);
	g_test_add_func("/stress/generate/loads", test_loads);
	g_test_add_func("/stress/short", test_short);
	return g_test_run();
}
