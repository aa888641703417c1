/*
 * Tests of parameter sweeps: sim/sweep/sweep_grid.c (lists, ranges, the grid),
 * the [sweep] section of the config loader, sim/sweep/sweep_stats.c (checked
 * against values computed independently), sim/sweep/sweep_csv.c (quoting,
 * summary.csv from a known runs.csv), sim/sweep/metrics.c, and whole sweeps:
 *
 *  /sweep/run/threads        1 and 4 threads give byte-identical files;
 *  /sweep/run/resume-*       a runs.csv cut in a row, at a row boundary or
 *                            in its header resumes into the same files;
 *  /sweep/run/kill           a sweep process killed (SIGKILL) midway resumes
 *                            into the same files;
 *  /sweep/run/shards-parallel  three shards run by GNU parallel, merged,
 *                            equal the unsharded files byte for byte;
 *  /sweep/plots/generic      plots/plots.sh draws a generic sweep (as SVG,
 *                            to read its text): titles, CDF panel, notes.
 *
 * Sweeps run in process through sweep_main()/merge_main() (fast, no
 * output on stdout with -q); the kill and GNU parallel tests need a
 * program: `./tcpsim sweep` ($TCPSIM_BIN).  A missing program or a missing
 * GNU parallel fails the test with a message saying so; only the figures'
 * test is skipped, saying so, where gnuplot is not installed.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "sim/config/config.h"
#include "sim/sweep/metrics.h"
#include "sim/sweep/sweep.h"
#include "sim/sweep/sweep_csv.h"
#include "sim/sweep/sweep_summary.h"
#include "sim/sweep/sweep_grid.h"
#include "sim/sweep/sweep_stats.h"
#include "tests/scenario_util.h"

/* ---- helpers ---- */

static char *read_file(const char *path)
{
	char *text = NULL;
	GError *e = NULL;

	if (!g_file_get_contents(path, &text, NULL, &e))
		g_error("%s", e->message);
	return text;
}

static void write_file(const char *path, const char *text)
{
	GError *e = NULL;

	if (!g_file_set_contents(path, text, -1, &e))
		g_error("%s", e->message);
}

static void assert_same_file(const char *a, const char *b)
{
	char *ta = read_file(a), *tb = read_file(b);

	if (strcmp(ta, tb) != 0)
		g_error("%s and %s differ", a, b);
	g_free(ta);
	g_free(tb);
}

static guint count_lines(const char *text)
{
	guint n = 0;

	for (const char *p = text; *p; p++)
		n += *p == '\n';
	return n;
}

/* sweep_main with a NULL-terminated argument list (argv[0] added). */
static int sweep(const char *first, ...) G_GNUC_NULL_TERMINATED;

static int run_main(int (*entry)(int, char **), const char *name, const char *first, va_list ap)
{
	GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);

	g_ptr_array_add(argv, g_strdup(name));
	for (const char *a = first; a; a = va_arg(ap, const char *))
		g_ptr_array_add(argv, g_strdup(a));
	/* GOptionContext rearranges argv: hand it a copy of the pointers */
	char **copy = g_memdup2(argv->pdata, sizeof(char *) * argv->len);
	int status = entry((int)argv->len, copy);
	g_free(copy);
	g_ptr_array_free(argv, TRUE);
	return status;
}

static int sweep(const char *first, ...)
{
	va_list ap;

	va_start(ap, first);
	int status = run_main(sweep_main, "sweep", first, ap);
	va_end(ap);
	return status;
}

static int merge(const char *first, ...) G_GNUC_NULL_TERMINATED;

static int merge(const char *first, ...)
{
	va_list ap;

	va_start(ap, first);
	int status = run_main(merge_main, "merge", first, ap);
	va_end(ap);
	return status;
}

static char *path_in(const char *dir, const char *a, const char *b)
{
	return g_build_filename(dir, a, b, NULL);
}

/* A small sweep of 2 x 2 points: a script with quotes (CSV quoting) and a
 * loss rate; 25 runs per point unless --set otherwise. */
static char *small_config(const char *dir)
{
	char *path = g_build_filename(dir, "small.ini", NULL);

	write_file(path,
	           "[simulation]\nseed = 7\n"
	           "[network]\ndelay = 20ms\njitter = 5ms\ndistribution = normal\n"
	           "[client]\nscript = connect; send \"hi\"; recv; close\n"
	           "[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; echo; close\n"
	           "[sweep]\nruns = 25\n"
	           "metrics = client.connect_time, client.close_time, server.close_time, client.result, "
	           "server.retransmissions.fin, data_intact\n"
	           "client.script = connect; send \"hi\"; recv; close, connect; send 3000; recv 3000; close\n"
	           "network.loss = 0, 0.2\n");
	return path;
}

/* ---- the grid ---- */

struct values_case {
	const char *text;
	const char *expect; /* the values joined by "|" */
};

static const struct values_case values_cases[] = {
	{"0:0.2:0.02", "0|0.02|0.04|0.06|0.08|0.1|0.12|0.14|0.16|0.18|0.2"},
	{"0:0.3:0.05", "0|0.05|0.1|0.15|0.2|0.25|0.3"},
	{"0ms:100ms:20ms", "0ms|20ms|40ms|60ms|80ms|100ms"},
	{"0:100ms:50ms", "0ms|50ms|100ms"}, /* a 0 may omit the unit */
	{"0%:30%:10%", "0%|10%|20%|30%"},
	{"1:10:3", "1|4|7|10"},
	{"1.5s:1.5s:1s", "1.5s"},
	{" 2 : 4 : 1 ", "2|3|4"},
	{"1e-3:3e-3:1e-3", "0.001|0.002|0.003"},
	{"0, 1s, 60s", "0|1s|60s"},
	{"linux,bsd ,  windows", "linux|bsd|windows"},
	{"10.0.0.1:40000", "10.0.0.1:40000"}, /* one colon: a list of one */
	{"connect; send \"hi\"; close", "connect; send \"hi\"; close"},
};

static void test_values(gconstpointer data)
{
	const struct values_case *c = data;
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	char *why = NULL;

	g_assert_true(sweep_values_parse(c->text, out, &why));
	g_assert_null(why);
	g_ptr_array_add(out, NULL);
	char *joined = g_strjoinv("|", (char **)out->pdata);
	g_assert_cmpstr(joined, ==, c->expect);
	g_free(joined);
	g_ptr_array_free(out, TRUE);
}

static const struct values_case values_errors[] = {
	{"0:1:0", "expected STEP > 0"},
	{"0:1:-0.1", "expected STEP > 0"},
	{"1:0:0.1", "expected STOP >= START"},
	{"0:1:0.3", "expected STOP = START + a whole number of STEPs"},
	{"0:0.3:0.07", "expected STOP = START + a whole number of STEPs"},
	{"0ms:1s:100ms", "expected one unit for START, STOP and STEP, not 'ms' and 's'"},
	{"1:2ms:1ms", "expected one unit for START, STOP and STEP, not '(none)' and 'ms'"},
	{"0:100000:1", "expected at most 100000 values, not 100001"},
	{"a:b:c", "expected a list A, B, C or a range START:STOP:STEP of numbers with an optional unit "
	          "(0:0.3:0.05, 0ms:100ms:20ms)"},
	{"1, ,2", "expected a list of values separated by commas, with no empty item"},
	{"", "expected a list of values separated by commas, with no empty item"},
	{"1,", "expected a list of values separated by commas, with no empty item"},
};

static void test_values_error(gconstpointer data)
{
	const struct values_case *c = data;
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	char *why = NULL;

	g_assert_false(sweep_values_parse(c->text, out, &why));
	g_assert_cmpstr(why, ==, c->expect);
	g_assert_cmpuint(out->len, ==, 0);
	g_free(why);
	g_ptr_array_free(out, TRUE);
}

/* The first parameter varies slowest. */
static void test_grid_order(void)
{
	struct sweep_spec *s = sweep_spec_new();
	char *a[] = {"a0", "a1"}, *b[] = {"b0", "b1", "b2"};
	GPtrArray *va = g_ptr_array_new(), *vb = g_ptr_array_new();
	char *why = NULL;

	for (size_t i = 0; i < G_N_ELEMENTS(a); i++)
		g_ptr_array_add(va, a[i]);
	for (size_t i = 0; i < G_N_ELEMENTS(b); i++)
		g_ptr_array_add(vb, b[i]);
	g_assert_true(sweep_spec_add_param(s, "x.a", va, &why));
	g_assert_true(sweep_spec_add_param(s, "x.b", vb, &why));
	g_assert_cmpuint(s->n_points, ==, 6);
	const char *expect[6][2] = {{"a0", "b0"}, {"a0", "b1"}, {"a0", "b2"},
	                            {"a1", "b0"}, {"a1", "b1"}, {"a1", "b2"}};
	for (uint64_t p = 0; p < 6; p++) {
		g_assert_cmpstr(sweep_point_value(s, p, 0), ==, expect[p][0]);
		g_assert_cmpstr(sweep_point_value(s, p, 1), ==, expect[p][1]);
	}
	char **o = sweep_point_overrides(s, 4);
	g_assert_cmpstr(o[0], ==, "x.a=a1");
	g_assert_cmpstr(o[1], ==, "x.b=b1");
	g_assert_null(o[2]);
	g_strfreev(o);
	g_ptr_array_free(va, TRUE);
	g_ptr_array_free(vb, TRUE);
	sweep_spec_free(s);
}

/* ---- the [sweep] section ---- */

#define ENDPOINTS "[client]\nscript = connect; close\n[server]\nscript = listen; accept; close\n"

struct config_case {
	const char *name;
	const char *ini;        /* after ENDPOINTS (4 lines): [sweep] starts on line 5 */
	const char *set;        /* one --set, or NULL */
	const char *expect;     /* the message; "$F" = the file; trailing "..." = a prefix */
};

static const struct config_case config_errors[] = {
	{"unknown-key", "[sweep]\nmetrics = client.result\nnetwork.losss = 0:0.2:0.02\n", NULL,
	 "$F:7: [sweep] network.losss = 0:0.2:0.02: unknown key, did you mean loss? (known keys of [network]: delay, ..."},
	{"key-of-another-section", "[sweep]\nmetrics = client.result\nnetwork.time_wait = 1s, 2s\n", NULL,
	 "$F:7: [sweep] network.time_wait = 1s, 2s: unknown key: time_wait is a key of [tcp] (known keys of [network]: ..."},
	{"unknown-section", "[sweep]\nmetrics = client.result\nnetwrk.loss = 0, 0.1\n", NULL,
	 "$F:7: [sweep] netwrk.loss = 0, 0.1: unknown section [netwrk], did you mean [network]?"},
	{"no-dot", "[sweep]\nmetrics = client.result\nloss = 0, 0.1\n", NULL,
	 "$F:7: [sweep] loss = 0, 0.1: expected runs, metrics, or a parameter SECTION.KEY such as network.loss"},
	{"sweep-itself", "[sweep]\nmetrics = client.result\nsweep.runs = 1, 2\n", NULL,
	 "$F:7: [sweep] sweep.runs = 1, 2: a sweep cannot vary [sweep] itself"},
	{"bad-range", "[sweep]\nmetrics = client.result\nnetwork.loss = 0:0.2:0.03\n", NULL,
	 "$F:7: [sweep] network.loss = 0:0.2:0.03: expected STOP = START + a whole number of STEPs"},
	{"value-out-of-range", "[sweep]\nmetrics = client.result\nnetwork.loss = 0:2:0.5\n", NULL,
	 "$F:7: [sweep] network.loss = 0:2:0.5: value 1.5: expected a probability between 0 and 1, ..."},
	{"value-without-unit", "[sweep]\nmetrics = client.result\ntcp.time_wait = 0, 1s, 60\n", NULL,
	 "$F:7: [sweep] tcp.time_wait = 0, 1s, 60: value 60: ..."},
	{"bad-fault", "[sweep]\nmetrics = client.result\nfaults.f = drop 1st client syn, drop\n", NULL,
	 "$F:7: [sweep] faults.f = drop 1st client syn, drop: value drop: ..."},
	{"bad-fault-range", "[sweep]\nmetrics = client.result\nfaults.f = drop 1st client syn, drop 4th..2nd client ack\n",
	 NULL, "$F:7: [sweep] faults.f = drop 1st client syn, drop 4th..2nd client ack: value drop 4th..2nd client ack: "
	 "the range '4th..2nd' runs backwards: expected the lower rank first"},
	{"bad-fault-window", "[sweep]\nmetrics = client.result\nfaults.f = drop all client ack from 2s to 1s\n", NULL,
	 "$F:7: [sweep] faults.f = drop all client ack from 2s to 1s: value drop all client ack from 2s to 1s: "
	 "the window from 2s to 1s is empty: 'to' must come after 'from'"},
	{"bad-fault-kill", "[sweep]\nmetrics = client.result\nfaults.f = kill client at 1s, kill client 2s\n", NULL,
	 "$F:7: [sweep] faults.f = kill client at 1s, kill client 2s: value kill client 2s: "
	 "kill needs 'at TIME' after the endpoint, not '2s'"},
	{"unknown-metric", "[sweep]\nmetrics = client.result, client.conect_time\n", NULL,
	 "$F:6: [sweep] metrics = client.result, client.conect_time: unknown metric client.conect_time "
	 "(known metrics: end_time, events, ..."},
	{"metric-twice", "[sweep]\nmetrics = data_intact, data_intact\n", NULL,
	 "$F:6: [sweep] metrics = data_intact, data_intact: metric data_intact is listed twice"},
	{"no-metrics", "[sweep]\nnetwork.loss = 0, 0.1\n", NULL,
	 "$F:5: [sweep] metrics: required key is missing (such as metrics = client.result, "
	 "client.connect_time)"},
	{"runs-zero", "[sweep]\nmetrics = client.result\nruns = 0\n", NULL,
	 "$F:7: [sweep] runs = 0: expected a number of runs between 1 and 1000000000"},
	{"set-runs", "[sweep]\nmetrics = client.result\n", "sweep.runs=x",
	 "--set sweep.runs=x: [sweep] runs = x: expected a number of runs between 1 and 1000000000"},
	{"set-param", "[sweep]\nmetrics = client.result\n", "sweep.network.delay=0:1s:3ms",
	 "--set sweep.network.delay=0:1s:3ms: [sweep] network.delay = 0:1s:3ms: expected one unit ..."},
	{"too-many-points", "[sweep]\nmetrics = client.result\nnetwork.loss = 0:0.999:0.001\n"
	 "tcp.mss = 100:1099:1\n", NULL,
	 "$F:8: [sweep] tcp.mss = 100:1099:1: expected a grid of at most 100000 points, not 1000000"},
	{"too-many-runs", "[sweep]\nmetrics = client.result\nruns = 1000000000\nnetwork.loss = 0:1:0.001\n", NULL,
	 "$F:7: [sweep] runs = 1000000000: expected at most 1000000000000 runs in all (1001 points)"},
};

/* msg matches expect, where "$F" is path and a trailing "..." a prefix. */
static void assert_message(const char *msg, const char *expect, const char *path)
{
	char **parts = g_strsplit(expect, "$F", -1);
	char *want = g_strjoinv(path, parts);
	bool prefix = g_str_has_suffix(want, "...");

	g_strfreev(parts);
	if (prefix)
		want[strlen(want) - 3] = '\0';
	if (prefix ? !g_str_has_prefix(msg, want) : strcmp(msg, want) != 0)
		g_error("message\n  %s\nexpected%s\n  %s", msg, prefix ? " to start with" : "", want);
	g_free(want);
}

static void test_config_error(gconstpointer data)
{
	const struct config_case *c = data;
	char *dir = scn_tmpdir();
	char *path = g_build_filename(dir, "x.ini", NULL);
	char *text = g_strconcat(ENDPOINTS, c->ini, NULL);
	const char *set[] = {c->set, NULL};
	struct config cfg;
	GError *e = NULL;

	write_file(path, text);
	g_assert_false(config_load(path, set, &cfg, &e));
	g_assert_nonnull(e);
	assert_message(e->message, c->expect, path);
	g_assert_null(cfg.sweep);
	g_error_free(e);
	scn_rmtree(dir);
	g_free(dir);
	g_free(path);
	g_free(text);
}

/* A valid [sweep], with overrides of runs, metrics and a parameter. */
static void test_config_ok(void)
{
	char *dir = scn_tmpdir();
	char *path = g_build_filename(dir, "x.ini", NULL);
	const char *set[] = {"sweep.runs=20", "sweep.tcp.time_wait=0, 100ms, 1s", NULL};
	struct config cfg;
	GError *e = NULL;

	write_file(path, ENDPOINTS "[sweep]\nmetrics = client.result , data_intact\n"
	                           "network.loss = 0:0.3:0.1\ntcp.time_wait = 0, 60s\n");
	g_assert_true(config_load(path, set, &cfg, &e));
	g_assert_no_error(e);
	const struct sweep_spec *s = cfg.sweep;
	g_assert_nonnull(s);
	g_assert_cmpuint(s->runs, ==, 20);
	g_assert_cmpuint(s->n_metrics, ==, 2);
	g_assert_cmpstr(s->metrics[1], ==, "data_intact");
	g_assert_cmpuint(s->n_params, ==, 2);
	g_assert_cmpstr(s->params[0].name, ==, "network.loss"); /* file order */
	g_assert_cmpuint(s->params[0].n_values, ==, 4);
	g_assert_cmpstr(s->params[1].values[2], ==, "1s"); /* replaced by --set */
	g_assert_cmpuint(s->n_points, ==, 12);
	config_clear(&cfg);
	g_assert_true(config_load(path, NULL, &cfg, &e));
	g_assert_cmpuint(cfg.sweep->runs, ==, SWEEP_DEFAULT_RUNS);
	config_clear(&cfg);
	g_assert_true(config_has_sweep(path));
	g_assert_false(config_has_sweep("configs/lossy_close.ini"));
	g_assert_true(config_has_sweep("configs/sweeps/close_time_vs_loss.ini"));
	g_assert_false(config_has_sweep(dir)); /* a folder: not readable as a file */
	scn_rmtree(dir);
	g_free(dir);
	g_free(path);
}

/* A point's config has the point's values; an error found only there (a
 * relation between keys) names the [sweep] line. */
static void test_config_point(void)
{
	char *dir = scn_tmpdir();
	char *path = g_build_filename(dir, "x.ini", NULL);
	const char *point[] = {"network.loss=0.25", "tcp.time_wait=100ms", NULL};
	const char *bad[] = {"tcp.rto_min=2s", NULL};
	struct config cfg;
	GError *e = NULL;

	write_file(path, ENDPOINTS "[sweep]\nmetrics = client.result\nnetwork.loss = 0, 0.25\n"
	                           "tcp.rto_min = 100ms, 2s\ntcp.time_wait = 100ms\n");
	g_assert_true(config_load_point(path, NULL, point, &cfg, &e));
	g_assert_null(cfg.sweep);
	g_assert_cmpfloat(cfg.c2s.loss, ==, 0.25);
	g_assert_cmpint(cfg.client.tcp.time_wait, ==, 100 * SIM_MS);
	config_clear(&cfg);
	g_assert_false(config_load_point(path, NULL, bad, &cfg, &e));
	assert_message(e->message, "$F:8: [sweep] tcp.rto_min = 2s: [tcp] rto_min = 2s: expected at most rto_initial ...",
	               path);
	g_error_free(e);
	scn_rmtree(dir);
	g_free(dir);
	g_free(path);
}

/* faults.NAME takes every form of the fault grammar: ranks, ranges,
 * windows and kills; each point's config holds that point's fault. */
static void test_config_faults(void)
{
	char *dir = scn_tmpdir();
	char *path = g_build_filename(dir, "x.ini", NULL);
	struct config cfg;
	GError *e = NULL;

	write_file(path, ENDPOINTS "[sweep]\nmetrics = client.result\n"
	                           "faults.f = drop 2nd..4th client ack, drop all client ack from 1.3s to 2.35s, "
	                           "drop 1st client fin from 5s, delay 1st client data by 1s to 2s, kill client at 61.5s, "
	                           "kill server at 0s\n");
	g_assert_true(config_load(path, NULL, &cfg, &e));
	g_assert_no_error(e);
	g_assert_cmpuint(cfg.sweep->n_params, ==, 1);
	g_assert_cmpuint(cfg.sweep->params[0].n_values, ==, 6);
	g_assert_cmpstr(cfg.sweep->params[0].values[1], ==, "drop all client ack from 1.3s to 2.35s");
	config_clear(&cfg);

	const char *window[] = {"faults.f=drop all client ack from 1.3s to 2.35s", NULL};
	g_assert_true(config_load_point(path, NULL, window, &cfg, &e));
	g_assert_cmpuint(cfg.n_faults, ==, 1);
	g_assert_cmpint(cfg.faults[0].action, ==, FAULT_DROP);
	g_assert_cmpint(cfg.faults[0].from, ==, 1300 * SIM_MS);
	g_assert_cmpint(cfg.faults[0].to, ==, 2350 * SIM_MS);
	config_clear(&cfg);
	const char *range[] = {"faults.f=drop 2nd..4th client ack", NULL};
	g_assert_true(config_load_point(path, NULL, range, &cfg, &e));
	g_assert_cmpuint(cfg.faults[0].first, ==, 2);
	g_assert_cmpuint(cfg.faults[0].last, ==, 4);
	config_clear(&cfg);
	const char *kill[] = {"faults.f=kill client at 61.5s", NULL};
	g_assert_true(config_load_point(path, NULL, kill, &cfg, &e));
	g_assert_cmpint(cfg.faults[0].action, ==, FAULT_KILL);
	g_assert_cmpint(cfg.faults[0].sender, ==, 0);
	g_assert_cmpint(cfg.faults[0].at, ==, 61500 * SIM_MS);
	config_clear(&cfg);
	scn_rmtree(dir);
	g_free(dir);
	g_free(path);
}

/* ---- statistics ---- */

/* The sample 1..10: mean 5.5, sd 3.0276503541 (sqrt(55/6)), t(0.975, 9) =
 * 2.2621571628 (tables), so the interval is 5.5 -+ 2.1658505897. */
static void test_student_t(void)
{
	double x[10] = {10, 3, 5, 1, 7, 9, 2, 8, 4, 6}; /* sorted by the call */
	struct sweep_num_stats st;

	sweep_stats_numbers(x, 10, &st);
	g_assert_cmpuint(st.n, ==, 10);
	g_assert_cmpfloat_with_epsilon(st.mean, 5.5, 1e-12);
	g_assert_cmpfloat_with_epsilon(st.sd, 3.0276503540974917, 1e-12);
	g_assert_cmpfloat(st.median, ==, 5); /* the lower median, x_(5): an observed value */
	g_assert_cmpfloat_with_epsilon(st.ci_low, 3.3341494103318308, 1e-9);
	g_assert_cmpfloat_with_epsilon(st.ci_high, 7.665850589668169, 1e-9);
}

/* The median of stepped data (connect times of one round trip or one
 * SYN timeout later) is a time some run had: 10 runs at 0.04 s and 10 at
 * 1.04 s give 0.04 s, not the 0.54 s of the mean of the two middle ones;
 * 0 and 1 FIN retransmissions give 0, not 0.5. */
static void test_median_observed(void)
{
	double x[20], fin[4] = {1, 0, 1, 0};
	struct sweep_num_stats st;

	for (int i = 0; i < 20; i++)
		x[i] = i % 2 ? 1.04 : 0.04;
	sweep_stats_numbers(x, 20, &st);
	g_assert_cmpfloat(st.median, ==, 0.04);
	g_assert_cmpfloat(st.p50, ==, 0.04);
	g_assert_cmpfloat(st.p90, ==, 1.04);
	sweep_stats_numbers(fin, 4, &st);
	g_assert_cmpfloat(st.median, ==, 0);
	g_assert_cmpfloat(st.max, ==, 1);
}

/* R's type 1, Q(p) = x_(ceil(n p)), on known samples: 1..10 gives p10 =
 * 1, p50 = 5, p90 = 9 (R: quantile(1:10, c(.1,.5,.9), type = 1)); 1..11
 * gives 2, 6, 10; 1..7 gives 1, 4, 7; one value is every quantile. */
static void test_quantiles(void)
{
	static const struct {
		size_t n;
		double p10, p50, p90;
	} cases[] = {{10, 1, 5, 9}, {11, 2, 6, 10}, {7, 1, 4, 7}, {1, 1, 1, 1}, {100, 10, 50, 90}, {101, 11, 51, 91}};

	for (size_t c = 0; c < G_N_ELEMENTS(cases); c++) {
		double x[101];
		struct sweep_num_stats st;
		for (size_t i = 0; i < cases[c].n; i++) /* shuffled: 1..n in another order */
			x[i] = (double)((i * 37) % cases[c].n + 1);
		sweep_stats_numbers(x, cases[c].n, &st);
		g_assert_cmpfloat(st.p10, ==, cases[c].p10);
		g_assert_cmpfloat(st.p50, ==, cases[c].p50);
		g_assert_cmpfloat(st.median, ==, cases[c].p50);
		g_assert_cmpfloat(st.p90, ==, cases[c].p90);
		g_assert_cmpfloat(st.max, ==, (double)cases[c].n);
		g_assert_cmpfloat(sweep_stats_quantile(x, cases[c].n, 0), ==, 1);
		g_assert_cmpfloat(sweep_stats_quantile(x, cases[c].n, 100), ==, (double)cases[c].n);
	}
}

/* A heavy tail: one 62 s run among 0.04 s ones; not a count that is 0 in
 * 90 % of the runs. */
static void test_heavy_tail(void)
{
	double x[20], y[20];
	struct sweep_num_stats st;

	for (int i = 0; i < 20; i++) {
		x[i] = i == 7 ? 62.0 : 0.04;
		y[i] = i == 7 ? 2 : 0;
	}
	sweep_stats_numbers(x, 20, &st);
	g_assert_true(sweep_stats_heavy_tail(&st));
	sweep_stats_numbers(y, 20, &st);
	g_assert_false(sweep_stats_heavy_tail(&st));
	for (int i = 0; i < 20; i++)
		x[i] = 0.04 + i;
	sweep_stats_numbers(x, 20, &st);
	g_assert_false(sweep_stats_heavy_tail(&st));
}

static void test_student_t_small(void)
{
	double one[1] = {0.25}, none[1] = {0};
	struct sweep_num_stats st;

	sweep_stats_numbers(one, 1, &st);
	g_assert_cmpuint(st.n, ==, 1);
	g_assert_cmpfloat(st.mean, ==, 0.25);
	g_assert_cmpfloat(st.median, ==, 0.25);
	g_assert_true(isnan(st.sd) && isnan(st.ci_low) && isnan(st.ci_high));
	sweep_stats_numbers(none, 0, &st);
	g_assert_true(isnan(st.mean) && isnan(st.median));
}

/* Wilson score interval, z = 1.959963984540054: 7 of 10 gives
 * [0.3967781475, 0.8922087326]; 0 of 5 gives [0, 0.4344824648]. */
static void test_wilson(void)
{
	double p, lo, hi;

	sweep_stats_share(7, 10, &p, &lo, &hi);
	g_assert_cmpfloat_with_epsilon(p, 0.7, 1e-15);
	g_assert_cmpfloat_with_epsilon(lo, 0.39677814746114537, 1e-9);
	g_assert_cmpfloat_with_epsilon(hi, 0.8922087325936989, 1e-9);
	sweep_stats_share(0, 5, &p, &lo, &hi);
	g_assert_cmpfloat(p, ==, 0);
	g_assert_cmpfloat(lo, ==, 0);
	g_assert_cmpfloat_with_epsilon(hi, 0.43448246478317476, 1e-9);
	sweep_stats_share(5, 5, &p, &lo, &hi);
	g_assert_cmpfloat_with_epsilon(lo, 1 - 0.43448246478317476, 1e-9);
	g_assert_cmpfloat(hi, ==, 1);
	sweep_stats_share(0, 0, &p, &lo, &hi);
	g_assert_true(isnan(p) && isnan(lo) && isnan(hi));
}

/* summary.csv from a hand-written runs.csv: two points, a number with a
 * missing value and a category. */
static void test_summary_file(void)
{
	char *dir = scn_tmpdir();
	char *runs = g_build_filename(dir, "runs.csv", NULL);
	char *summary = g_build_filename(dir, "summary.csv", NULL);
	GString *text = g_string_new("index,point,run,seed,x.y,client.connect_time,client.result\n");
	GError *e = NULL;

	for (int i = 0; i < 10; i++) /* point 0: 1..10, 7 "ok" */
		g_string_append_printf(text, "%d,0,%d,1,\"a,\"\"b\",%d,%s\n", i, i, i + 1, i < 7 ? "ok" : "ETIMEDOUT");
	g_string_append(text, "10,1,0,1,c,,ok\n11,1,1,1,c,0.5,ok\n"); /* point 1: one value missing */
	write_file(runs, text->str);
	g_assert_true(sweep_summary_write(runs, summary, 1, &e));
	g_assert_no_error(e);
	char *got = read_file(summary);
	g_assert_cmpstr(got, ==,
	                "point,x.y,client.connect_time.n,client.connect_time.mean,client.connect_time.sd,"
	                "client.connect_time.median,client.connect_time.ci_low,client.connect_time.ci_high,"
	                "client.connect_time.p10,client.connect_time.p50,client.connect_time.p90,"
	                "client.connect_time.max,"
	                "client.result.n,client.result=ETIMEDOUT.share,client.result=ETIMEDOUT.ci_low,"
	                "client.result=ETIMEDOUT.ci_high,client.result=ok.share,client.result=ok.ci_low,"
	                "client.result=ok.ci_high\n"
	                "0,\"a,\"\"b\",10,5.5,3.02765035,5,3.33414941,7.66585059,1,5,9,10,10,0.3,0.107791267,"
	                "0.603221853,0.7,0.396778147,0.892208733\n"
	                "1,c,1,0.5,,0.5,,,0.5,0.5,0.5,0.5,2,0,0,0.657619772,1,0.342380228,1\n");
	g_free(got);
	char *tmp = g_strconcat(summary, ".tmp", NULL);
	g_assert_false(g_file_test(tmp, G_FILE_TEST_EXISTS));
	g_free(tmp);
	g_string_free(text, TRUE);
	scn_rmtree(dir);
	g_free(dir);
	g_free(runs);
	g_free(summary);
}

/* The rows fed as a sweep feeds them, batch by batch: a category value
 * first seen at the second point still gets its columns, with share 0 at
 * the first; and a batch that ends inside a line is refused, naming it. */
static void test_summary_fed_in_batches(void)
{
	char *dir = scn_tmpdir();
	char *summary = g_build_filename(dir, "summary.csv", NULL);
	struct sweep_summary *s = sweep_summary_new("runs.csv", 1);
	char header[] = "index,point,run,seed,x.y,client.result\n";
	char batch1[] = "0,0,0,1,a,ok\n1,0,1,1,a,ok\n";
	char batch2[] = "2,1,0,1,b,ETIMEDOUT\n3,1,1,1,b,ETIMEDOUT\n";
	GError *e = NULL;

	g_assert_true(sweep_summary_add(s, header, strlen(header), &e));
	g_assert_true(sweep_summary_add(s, batch1, strlen(batch1), &e));
	g_assert_true(sweep_summary_add(s, batch2, strlen(batch2), &e));
	g_assert_no_error(e);
	g_assert_true(sweep_summary_save(s, summary, &e));
	g_assert_no_error(e);
	char *got = read_file(summary);
	g_assert_cmpstr(got, ==,
	                "point,x.y,client.result.n,client.result=ETIMEDOUT.share,client.result=ETIMEDOUT.ci_low,"
	                "client.result=ETIMEDOUT.ci_high,client.result=ok.share,client.result=ok.ci_low,"
	                "client.result=ok.ci_high\n"
	                "0,a,2,0,0,0.657619772,1,0.342380228,1\n"
	                "1,b,2,1,0.342380228,1,0,0,0.657619772\n");
	g_free(got);

	char cut[] = "4,1,2,1,b,ok\n5,1,3";
	g_assert_false(sweep_summary_add(s, cut, strlen(cut), &e));
	g_assert_error(e, SWEEP_ERROR, SWEEP_ERROR_USAGE);
	g_assert_cmpstr(e->message, ==, "runs.csv:7: the last line is cut short");
	g_clear_error(&e);
	sweep_summary_free(s);
	g_free(summary);
	scn_rmtree(dir);
	g_free(dir);
}

/* The heavy-tail warning of the sweep's report: a close time of 62 s
 * among nineteen of 0.04 s at the second point (max 62 > 10 x p90 0.04),
 * none at the first; a count that is 0 in 90 % of the runs says nothing. */
static void test_summary_warnings(void)
{
	struct sweep_summary *s = sweep_summary_new("runs.csv", 1);
	GString *text = g_string_new("index,point,run,seed,network.loss,server.close_time,server.retransmissions.fin\n");
	GString *w = g_string_new(NULL);
	GError *e = NULL;

	for (int i = 0; i < 40; i++)
		g_string_append_printf(text, "%d,%d,%d,1,%s,%s,%d\n", i, i / 20, i % 20, i < 20 ? "0" : "0.25",
		                       i == 27 ? "62.079" : "0.04", i == 3 ? 2 : 0);
	g_assert_true(sweep_summary_add(s, text->str, text->len, &e));
	g_assert_no_error(e);
	sweep_summary_warnings(s, w);
	g_assert_cmpstr(w->str, ==,
	                "warning: server.close_time has a heavy tail at 1 of 2 points (the first: point 1 "
	                "(network.loss=0.25), max 62.079 s > 10 x p90 0.04 s): a few runs make its mean and 95% "
	                "interval there; read p10, p50 and p90\n");
	g_string_free(w, TRUE);
	g_string_free(text, TRUE);
	sweep_summary_free(s);
}

static void test_csv_fields(void)
{
	const char *const fields[] = {"plain", "a,b", "say \"hi\"", "", "x\"", ",", NULL};
	GString *row = g_string_new(NULL);
	GPtrArray *back = g_ptr_array_new(); /* pointers into row */
	char open[] = "\"open";

	for (size_t i = 0; fields[i]; i++) {
		if (i)
			g_string_append_c(row, ',');
		csv_field(row, fields[i]);
	}
	g_assert_cmpstr(row->str, ==, "plain,\"a,b\",\"say \"\"hi\"\"\",,\"x\"\"\",\",\"");
	g_assert_true(csv_split(row->str, back));
	g_assert_cmpuint(back->len, ==, 6);
	for (guint i = 0; i < back->len; i++)
		g_assert_cmpstr(g_ptr_array_index(back, i), ==, fields[i]);
	g_ptr_array_set_size(back, 0);
	g_assert_false(csv_split(open, back));
	g_string_truncate(row, 0);
	csv_number(row, 0.1 + 0.2);
	g_assert_cmpstr(row->str, ==, "0.3");
	g_string_free(row, TRUE);
	g_ptr_array_free(back, TRUE);
}

/* ---- metrics ---- */

static void test_metric_table(void)
{
	const struct metric_def *m = metric_find("client.connect_time");

	g_assert_nonnull(m);
	g_assert_cmpint(metric_kind(m), ==, METRIC_NUMBER);
	g_assert_cmpstr(metric_unit(m), ==, "s");
	g_assert_cmpint(metric_kind(metric_find("server.result")), ==, METRIC_CATEGORY);
	g_assert_cmpint(metric_kind(metric_find("data_intact")), ==, METRIC_CATEGORY);
	g_assert_cmpint(metric_kind(metric_find("server.fin_retransmitted")), ==, METRIC_CATEGORY);
	g_assert_cmpstr(metric_title(metric_find("server.fin_retransmitted")), ==, "server FIN retransmitted");
	g_assert_cmpstr(metric_unit(metric_find("network.dropped")), ==, "");
	g_assert_cmpstr(metric_title(m), ==, "client connect() time (s)");
	g_assert_cmpstr(metric_title(metric_find("server.retransmissions.fin")), ==, "server FIN retransmissions");
	g_assert_cmpstr(metric_title(metric_find("network.dropped")), ==, "segments lost");
	g_assert_cmpstr(metric_title(metric_find("client.time_wait_peak")), ==,
	                "client connections in TIME_WAIT at the peak");
	g_assert_null(metric_find("client"));
	struct metric_value v = {.type = METRIC_TIME, .time = 1037502424};
	GString *s = g_string_new(NULL);
	metric_format(&v, s);
	g_assert_cmpstr(s->str, ==, "1.037502424");
	g_string_truncate(s, 0);
	v.time = 60 * SIM_SEC;
	metric_format(&v, s);
	g_assert_cmpstr(s->str, ==, "60");
	g_string_free(s, TRUE);
}

/* Known values of a lossless run: connect 40 ms (one round trip), close
 * times one round trip. */
static void test_metric_values(void)
{
	char *dir = scn_tmpdir();
	char *ini = g_build_filename(dir, "m.ini", NULL);
	char *out = g_build_filename(dir, "out", NULL);

	write_file(ini, "[network]\ndelay = 20ms\n"
	                "[client]\nscript = connect; send \"ab\"; recv; close\n"
	                "[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; echo; close\n"
	                "[tcp]\ntimers = exact\n" /* TIME_WAIT exactly 60 s */
	                "[sweep]\nruns = 2\nmetrics = client.connect_time, client.close_time, "
	                "server.close_time, client.time_wait_length, client.result, server.final_state, "
	                "client.bytes_received, network.dropped, data_intact, server.connect_time\n");
	g_assert_cmpint(sweep(ini, "-q", "-o", out, NULL), ==, 0);
	char *runs = path_in(out, "runs.csv", NULL);
	char *got = read_file(runs);
	const char *row = "0.04,0.04,0.04,60,ok,CLOSED,2,0,true,\n";
	g_assert_cmpuint(count_lines(got), ==, 3);
	char **lines = g_strsplit(got, "\n", -1);
	char *line1 = g_strconcat(lines[1], "\n", NULL);
	g_assert_true(g_str_has_suffix(line1, row));
	g_free(line1);
	g_assert_true(g_str_has_prefix(lines[1], "0,0,0,1,"));
	g_assert_true(g_str_has_prefix(lines[2], "1,0,1,1,"));
	g_strfreev(lines);
	g_free(got);
	g_free(runs);
	scn_rmtree(dir);
	g_free(dir);
	g_free(ini);
	g_free(out);
}

/* Every metric has a readable title, not its key; a time's title carries
 * its unit, "(s)", and only a time's; no title holds a comma (metrics.csv
 * splits on commas).  Every key a sweep may vary has a readable name too,
 * the head of its documentation with the key after it (and the unit of a
 * plain number: bytes).  A sweep writes them to metrics.csv for the
 * plots. */
static void test_metric_titles(void)
{
	char *names = metric_names();
	char **list = g_strsplit(names, ", ", -1);

	g_assert_cmpuint(g_strv_length(list), >, 20);
	for (guint i = 0; list[i]; i++) {
		const struct metric_def *m = metric_find(list[i]);
		const char *title = metric_title(m);
		g_assert_nonnull(m);
		g_assert_cmpstr(title, !=, list[i]);
		g_assert_null(strchr(title, ','));
		g_assert_cmpint(g_str_has_suffix(title, " (s)"), ==, strcmp(metric_unit(m), "s") == 0);
		g_assert_cmpint(strstr(list[i], "_time") != NULL || strstr(list[i], "_length") != NULL, ==,
		                strcmp(metric_unit(m), "s") == 0);
	}
	g_strfreev(list);
	g_free(names);

	char **paths = config_key_paths();
	for (char **p = paths; *p; p++) {
		char *title = config_param_title(*p);
		char *key = g_strdup_printf(" (%s)", *p), *bytes = g_strdup_printf(" (%s; bytes)", *p);
		g_assert_nonnull(title);
		g_assert_null(strchr(title, ','));
		const char *suffix = g_str_has_suffix(title, key) ? key : bytes;
		g_assert_true(g_str_has_suffix(title, suffix));
		g_assert_cmpuint(strlen(title), >, strlen(suffix)); /* a name before the key */
		g_free(title);
		g_free(key);
		g_free(bytes);
	}
	g_strfreev(paths);
	const char *const named[][2] = {
		{"network.loss", "Probability a packet is lost (network.loss)"},
		{"network.client_to_server.delay", "One-way propagation delay (network.client_to_server.delay)"},
		{"tcp.time_wait", "TIME_WAIT length (tcp.time_wait)"},
		{"client.tcp.mss", "The MSS we announce (client.tcp.mss; bytes)"},
		{"network.ge_p", "gemodel: chance a packet moves the link from good to bad (network.ge_p)"},
		{"simulation.seed", "Master seed (simulation.seed)"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(named); i++) {
		char *title = config_param_title(named[i][0]);
		g_assert_cmpstr(title, ==, named[i][1]);
		g_free(title);
	}
	g_assert_null(config_param_title("network.no_such_key"));
	g_assert_null(config_param_title("loss"));

	char *dir = scn_tmpdir();
	char *ini = g_build_filename(dir, "t.ini", NULL);
	char *out = g_build_filename(dir, "out", NULL);
	write_file(ini, ENDPOINTS "[sweep]\nruns = 2\nmetrics = client.connect_time, server.result, network.dropped\n"
	                          "network.loss = 0, 0.1\n");
	g_assert_cmpint(sweep(ini, "-q", "-o", out, NULL), ==, 0);
	char *path = path_in(out, "metrics.csv", NULL);
	char *got = read_file(path);
	g_assert_cmpstr(got, ==,
	                "metric,title,unit\n"
	                "client.connect_time,client connect() time (s),s\n"
	                "server.result,server result,\n"
	                "network.dropped,segments lost,\n"
	                "network.loss,Probability a packet is lost (network.loss),\n");
	g_free(got);
	g_free(path);
	scn_rmtree(dir);
	g_free(dir);
	g_free(ini);
	g_free(out);
}

/* Connections in TIME_WAIT, per endpoint: a client that connects and
 * closes first 5 times, a second apart, holds 5 TIME_WAITs of 60 s at
 * once (the peak); a run cut at 10 s ends with the 5 still there, a run
 * left to finish with none.  The server closes passively (LAST_ACK): none
 * ever.  The columns appear only because the sweep asks for them. */
static void test_time_wait_metrics(void)
{
	char *dir = scn_tmpdir();
	char *ini = g_build_filename(dir, "tw.ini", NULL);
	char *out = g_build_filename(dir, "out", NULL);

	write_file(ini, "[network]\ndelay = 10ms\n[tcp]\ntimers = exact\n"
	                "[client]\nscript = connect; close; sleep 1s\nrepeat = 5\n"
	                "[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; recv all; close\n"
	                "repeat = forever\n"
	                "[sweep]\nruns = 1\nmetrics = client.time_wait_end, client.time_wait_peak, "
	                "server.time_wait_end, server.time_wait_peak, client.connections\n"
	                "simulation.duration = 10s, 600s\n");
	g_assert_cmpint(sweep(ini, "-q", "-o", out, NULL), ==, 0);
	char *runs = path_in(out, "runs.csv", NULL);
	char *got = read_file(runs);
	g_assert_cmpstr(got, ==,
	                "index,point,run,seed,simulation.duration,client.time_wait_end,client.time_wait_peak,"
	                "server.time_wait_end,server.time_wait_peak,client.connections\n"
	                "0,0,0,1,10s,5,5,0,0,5\n"
	                "1,1,0,1,600s,0,5,0,0,5\n");
	g_free(got);
	g_free(runs);

	/* TIME_WAIT 0: each connection enters it and leaves it at one instant
	 * (the state records show both), so never more than one at once */
	write_file(ini, "[network]\ndelay = 10ms\n[tcp]\ntimers = exact\n"
	                "[client]\nscript = connect; close; sleep 1s\nrepeat = 3\n"
	                "[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; recv all; close\n"
	                "repeat = forever\n"
	                "[sweep]\nruns = 1\nmetrics = client.time_wait_peak, client.time_wait_end\n"
	                "client.tcp.time_wait = 0, 2500ms\n");
	scn_rmtree(out);
	g_assert_cmpint(sweep(ini, "-q", "-o", out, NULL), ==, 0);
	runs = path_in(out, "runs.csv", NULL);
	got = read_file(runs);
	/* 2.5 s of TIME_WAIT, a new connection every second or so: 3 at once */
	g_assert_cmpstr(got, ==,
	                "index,point,run,seed,client.tcp.time_wait,client.time_wait_peak,client.time_wait_end\n"
	                "0,0,0,1,0,1,0\n"
	                "1,1,0,1,2500ms,3,0\n");
	g_free(got);
	g_free(runs);
	scn_rmtree(dir);
	g_free(dir);
	g_free(ini);
	g_free(out);
}

/* plots/plots.sh on a tiny generic sweep, drawn as SVG (PLOTS_FORMAT=svg)
 * so that the figure's text can be read: a number metric gets its
 * readable title with the unit on the y axis, the p10-p90 band, and a CDF
 * panel from runs.csv; curves that coincide (two profiles with the same
 * SYN timers: linux and bsd here) are told apart and named in a note.
 * Skipped, saying so, without gnuplot. */
static void test_plots_generic(void)
{
	char *gnuplot = g_find_program_in_path("gnuplot");
	if (!gnuplot) {
		g_test_skip("gnuplot is not installed (apt-get install gnuplot-nox): the figures are not checked");
		return;
	}
	g_free(gnuplot);
	char *dir = scn_tmpdir();
	char *ini = g_build_filename(dir, "tiny.ini", NULL);
	char *out = g_build_filename(dir, "out", NULL);
	write_file(ini, "[network]\ndelay = 20ms\n[tcp]\ntimers = exact\n"
	                "[client]\nscript = connect; close\n"
	                "[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; close\n"
	                "[sweep]\nruns = 20\nmetrics = client.connect_time, client.result, client.time_wait_peak\n"
	                "network.loss = 0, 0.2\nsimulation.profile = linux, bsd\n");
	g_assert_cmpint(sweep(ini, "-q", "-o", out, NULL), ==, 0);
	char *argv[] = {"plots/plots.sh", out, NULL};
	char **envp = g_environ_setenv(g_get_environ(), "PLOTS_FORMAT", "svg", TRUE);
	char *stdout_text = NULL, *stderr_text = NULL;
	int status;
	GError *e = NULL;
	g_assert_true(g_spawn_sync(NULL, argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &stdout_text, &stderr_text,
	                           &status, &e));
	g_assert_no_error(e);
	if (!g_spawn_check_wait_status(status, NULL))
		g_error("plots.sh failed: %s", stderr_text);
	char *svg_path = path_in(out, "client.connect_time.svg", NULL);
	g_assert_nonnull(strstr(stdout_text, svg_path));
	char *svg = read_file(svg_path);
	g_assert_nonnull(strstr(svg, "client connect() time (s)"));   /* the title, not the key */
	g_assert_nonnull(strstr(svg, "fraction of runs"));            /* the CDF panel's axis */
	g_assert_nonnull(strstr(svg, "p10"));                         /* the spread */
	g_assert_nonnull(strstr(svg, "coincide"));                    /* the note on hidden curves */
	/* the x axis: the parameter's readable name, not its key alone */
	g_assert_nonnull(strstr(svg, "<text>Probability a packet is lost (network.loss)</text>"));
	/* the CDFs of bsd repeat linux's: numbered, each marked in the key */
	g_assert_nonnull(strstr(svg, "2 CDFs repeat an earlier one"));
	g_assert_nonnull(strstr(svg, "<text>2: network.loss=0, simulation.profile=bsd (= 1)</text>"));
	g_assert_nonnull(strstr(svg, "<text>4: network.loss=0.2, simulation.profile=bsd (= 3)</text>"));
	g_free(svg);
	g_free(svg_path);
	/* a title is text, not enhanced-text markup: TIME_WAIT, not TIME with
	 * a subscript W; every run has one connection in TIME_WAIT at its
	 * peak: the four CDFs are one step, three of them repeats */
	svg_path = path_in(out, "client.time_wait_peak.svg", NULL);
	svg = read_file(svg_path);
	g_assert_nonnull(strstr(svg, "<text>client connections in TIME_WAIT at the peak</text>"));
	g_assert_null(strstr(svg, "TIME</tspan>"));
	g_assert_nonnull(strstr(svg, "3 CDFs repeat an earlier one"));
	g_free(svg);
	g_free(svg_path);
	svg_path = path_in(out, "client.result.svg", NULL);
	svg = read_file(svg_path);
	g_assert_nonnull(strstr(svg, "client result"));
	g_assert_null(strstr(svg, "fraction of runs")); /* a category has no CDF */
	g_free(svg);
	g_free(svg_path);
	g_free(stdout_text);
	g_free(stderr_text);
	g_strfreev(envp);
	scn_rmtree(dir);
	g_free(dir);
	g_free(ini);
	g_free(out);
}

/* A sweep varies netem's keys like any other: a probability of one
 * direction and the loss model's choice.  corrupt = 1 from the client:
 * its 7 SYNs of the first 10 s all arrive corrupted, nothing is
 * delivered; the loss model with its keys at 0 changes nothing. */
static void test_netem_keys(void)
{
	char *dir = scn_tmpdir();
	char *ini = g_build_filename(dir, "n.ini", NULL);
	char *out = g_build_filename(dir, "out", NULL);

	write_file(ini, "[network]\ndelay = 1ms\n"
	                "[client]\nscript = connect; send \"ab\"; recv; close\n"
	                "[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; echo; close\n"
	                "[simulation]\nduration = 10s\n[tcp]\ntimers = exact\n"
	                "[sweep]\nruns = 1\nmetrics = network.corrupted, network.delivered\n"
	                "network.client_to_server.corrupt = 0, 1\nnetwork.loss_model = random, gemodel\n");
	g_assert_cmpint(sweep(ini, "-q", "-o", out, NULL), ==, 0);
	char *runs = path_in(out, "runs.csv", NULL);
	char *got = read_file(runs);
	g_assert_cmpstr(got, ==,
	                "index,point,run,seed,network.client_to_server.corrupt,network.loss_model,"
	                "network.corrupted,network.delivered\n"
	                "0,0,0,1,0,random,0,10\n"
	                "1,1,0,1,0,gemodel,0,10\n"
	                "2,2,0,1,1,random,7,0\n"
	                "3,3,0,1,1,gemodel,7,0\n");
	g_free(got);
	g_free(runs);

	/* a point's config holds the point's values of the new keys */
	const char *point[] = {"network.loss_model=gemodel", "network.ge_r=25%", NULL};
	struct config cfg;
	GError *e = NULL;
	write_file(ini, ENDPOINTS "[sweep]\nmetrics = client.result\nnetwork.loss_model = random, gemodel\n"
	                          "network.ge_r = 0, 25%\n");
	g_assert_true(config_load_point(ini, NULL, point, &cfg, &e));
	g_assert_no_error(e);
	g_assert_cmpint(cfg.c2s.loss_model, ==, LINK_LOSS_GEMODEL);
	g_assert_cmpfloat(cfg.s2c.ge_r, ==, 0.25);
	g_assert_cmpfloat(cfg.s2c.ge_1h, ==, 1.0); /* iproute2's default 1-h */
	config_clear(&cfg);

	/* loss_burst: the loss rate in bursts, as the simple Gilbert model */
	const char *burst[] = {"network.loss_burst=4", NULL};
	write_file(ini, ENDPOINTS "[network]\nloss = 10%\n[sweep]\nmetrics = client.result\n"
	                          "network.loss_burst = 1, 4\n");
	g_assert_true(config_load_point(ini, NULL, burst, &cfg, &e));
	g_assert_no_error(e);
	g_assert_cmpint(cfg.c2s.loss_model, ==, LINK_LOSS_GEMODEL);
	g_assert_cmpfloat(cfg.c2s.ge_r, ==, 0.25);
	g_assert_cmpfloat_with_epsilon(cfg.s2c.ge_p, 0.25 * 0.1 / 0.9, 1e-15);
	g_assert_cmpfloat(cfg.s2c.ge_1h, ==, 1.0);
	g_assert_cmpfloat(cfg.s2c.ge_1k, ==, 0.0);
	config_clear(&cfg);
	scn_rmtree(dir);
	g_free(dir);
	g_free(ini);
	g_free(out);
}

/* A column of summary.csv, row `row` (0: the first point), as a number. */
static double summary_value(const char *csv, guint row, const char *column)
{
	char **lines = g_strsplit(csv, "\n", -1);
	char **head = g_strsplit(lines[0], ",", -1), **cells = g_strsplit(lines[row + 1], ",", -1);
	double v = NAN;
	for (guint i = 0; head[i]; i++)
		if (!strcmp(head[i], column))
			v = g_ascii_strtod(cells[i], NULL);
	g_strfreev(cells);
	g_strfreev(head);
	g_strfreev(lines);
	g_assert_false(isnan(v));
	return v;
}

/* R.fin_retransmitted: the server (the passive closer, in LAST_ACK)
 * resends its FIN once per lost ACK of it: none, once, then several from
 * two on, beside the count it classes; the client's FIN, answered by the
 * server's, never.  A fault after the run's end drops nothing. */
static void test_fin_retransmitted_metric(void)
{
	char *dir = scn_tmpdir();
	char *ini = g_build_filename(dir, "fin.ini", NULL);
	char *out = g_build_filename(dir, "out", NULL);

	write_file(ini, "[network]\ndelay = 10ms\n[tcp]\ntimers = exact\n"
	                "[client]\nscript = connect; close\n"
	                "[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; recv all; close\n"
	                "[faults]\nacks = drop 1st client ack-of-fin\n"
	                "[sweep]\nruns = 1\nmetrics = server.fin_retransmitted, server.retransmissions.fin, "
	                "client.fin_retransmitted\n"
	                "faults.acks = drop 1st client ack-of-fin from 1000s, drop 1st client ack-of-fin, "
	                "drop first 2 client ack-of-fin, drop first 5 client ack-of-fin\n");
	g_assert_cmpint(sweep(ini, "-q", "-o", out, NULL), ==, 0);
	char *runs = path_in(out, "runs.csv", NULL);
	char *got = read_file(runs);
	g_assert_cmpstr(got, ==,
	                "index,point,run,seed,faults.acks,server.fin_retransmitted,"
	                "server.retransmissions.fin,client.fin_retransmitted\n"
	                "0,0,0,1,drop 1st client ack-of-fin from 1000s,none,0,none\n"
	                "1,1,0,1,drop 1st client ack-of-fin,once,1,none\n"
	                "2,2,0,1,drop first 2 client ack-of-fin,several,2,none\n"
	                "3,3,0,1,drop first 5 client ack-of-fin,several,5,none\n");
	char *summary = path_in(out, "summary.csv", NULL);
	char *csv = read_file(summary);
	g_assert_cmpfloat(summary_value(csv, 2, "server.fin_retransmitted=several.share"), ==, 1);
	g_assert_cmpfloat(summary_value(csv, 1, "server.fin_retransmitted=several.share"), ==, 0);
	g_assert_cmpfloat(summary_value(csv, 1, "server.fin_retransmitted=once.share"), ==, 1);
	g_free(csv);
	g_free(summary);
	g_free(got);
	g_free(runs);
	scn_rmtree(dir);
	g_free(dir);
	g_free(ini);
	g_free(out);
}

/* configs/sweeps/close_vs_burstiness.ini in full (10 000 short runs, well
 * under a second): its finding holds with separated 95% intervals.
 * Without TIME_WAIT (rows 0-4, bursts 1..16), resets are rarer with long
 * bursts; client give-ups (rows 5-9) commoner; with TIME_WAIT at bursts of
 * 1, no reset; the FIN sent again once or several times. */
static void test_close_vs_burstiness(void)
{
	char *dir = scn_tmpdir();
	char *out = g_build_filename(dir, "out", NULL);

	g_assert_cmpint(sweep("configs/sweeps/close_vs_burstiness.ini", "-q", "-o", out, NULL), ==, 0);
	char *path = path_in(out, "summary.csv", NULL);
	char *csv = read_file(path);
	g_assert_cmpfloat(summary_value(csv, 0, "server.result=ECONNRESET.ci_low"), >,
	                  summary_value(csv, 4, "server.result=ECONNRESET.ci_high"));
	g_assert_cmpfloat(summary_value(csv, 9, "client.result=ETIMEDOUT.ci_low"), >,
	                  summary_value(csv, 5, "client.result=ETIMEDOUT.ci_high"));
	g_assert_cmpfloat(summary_value(csv, 5, "server.result=ECONNRESET.share"), ==, 0);
	/* the FIN sent again once: commoner with isolated losses; two or more
	 * times: commoner with bursts of 2 than of 16 */
	g_assert_cmpfloat(summary_value(csv, 5, "server.fin_retransmitted=once.ci_low"), >,
	                  summary_value(csv, 9, "server.fin_retransmitted=once.ci_high"));
	g_assert_cmpfloat(summary_value(csv, 6, "server.fin_retransmitted=several.ci_low"), >,
	                  summary_value(csv, 9, "server.fin_retransmitted=several.ci_high"));
	g_assert_cmpfloat(summary_value(csv, 0, "network.loss_burst"), ==, 1);
	g_assert_cmpfloat(summary_value(csv, 9, "network.loss_burst"), ==, 16);
	g_free(csv);
	g_free(path);
	scn_rmtree(dir);
	g_free(dir);
	g_free(out);
}

/* ---- whole sweeps ---- */

static void test_threads(void)
{
	char *dir = scn_tmpdir();
	char *ini = small_config(dir);
	char *a = path_in(dir, "j1", NULL), *b = path_in(dir, "j4", NULL);

	g_assert_cmpint(sweep(ini, "-q", "-j", "1", "-o", a, NULL), ==, 0);
	g_assert_cmpint(sweep(ini, "-q", "--jobs", "4", "-o", b, NULL), ==, 0);
	char *ra = path_in(a, "runs.csv", NULL), *rb = path_in(b, "runs.csv", NULL);
	char *sa = path_in(a, "summary.csv", NULL), *sb = path_in(b, "summary.csv", NULL);
	assert_same_file(ra, rb);
	assert_same_file(sa, sb);
	char *text = read_file(ra);
	g_assert_cmpuint(count_lines(text), ==, 1 + 4 * 25);
	g_assert_true(g_str_has_prefix(text, "index,point,run,seed,client.script,network.loss,client.connect_time,"));
	g_assert_nonnull(strstr(text, "\n0,0,0,7,\"connect; send \"\"hi\"\"; recv; close\",0,0.041982818,"));
	g_free(text);
	text = read_file(sa);
	g_assert_cmpuint(count_lines(text), ==, 1 + 4);
	g_free(text);
	g_free(ra);
	g_free(rb);
	g_free(sa);
	g_free(sb);
	scn_rmtree(dir);
	g_free(dir);
	g_free(ini);
	g_free(a);
	g_free(b);
}

/* Runs the small sweep into dir/ref, copies it into dir/cut with runs.csv
 * cut where cut_at says (as a kill would leave it, without summary.csv)
 * and resumes it with that many threads: the same files must come out. */
static void resume_after_cut(size_t (*cut_at)(const char *text), const char *threads)
{
	char *dir = scn_tmpdir();
	char *ini = small_config(dir);
	char *ref = path_in(dir, "ref", NULL), *cut = path_in(dir, "cut", NULL);

	g_assert_cmpint(sweep(ini, "-q", "-o", ref, NULL), ==, 0);
	char *ref_runs = path_in(ref, "runs.csv", NULL), *ref_sum = path_in(ref, "summary.csv", NULL);
	char *cut_runs = path_in(cut, "runs.csv", NULL), *cut_sum = path_in(cut, "summary.csv", NULL);
	char *ref_meta = path_in(ref, "sweep.meta", NULL), *cut_meta = path_in(cut, "sweep.meta", NULL);
	char *text = read_file(ref_runs);
	size_t keep = cut_at(text);
	g_assert_cmpint(g_mkdir_with_parents(cut, 0755), ==, 0);
	GError *e = NULL;
	g_assert_true(g_file_set_contents(cut_runs, text, (gssize)keep, &e));
	char *meta = read_file(ref_meta);
	write_file(cut_meta, meta);
	g_assert_cmpint(sweep(ini, "-q", "-j", threads, "-o", cut, NULL), ==, 0);
	assert_same_file(ref_runs, cut_runs);
	assert_same_file(ref_sum, cut_sum);
	g_free(meta);
	g_free(text);
	g_free(ref_runs);
	g_free(ref_sum);
	g_free(cut_runs);
	g_free(cut_sum);
	g_free(ref_meta);
	g_free(cut_meta);
	scn_rmtree(dir);
	g_free(dir);
	g_free(ini);
	g_free(ref);
	g_free(cut);
}

/* 57% of the bytes: in the middle of a row. */
static size_t cut_mid_row(const char *text)
{
	size_t n = strlen(text) * 57 / 100;

	g_assert_true(text[n - 1] != '\n');
	return n;
}

/* Just after the newline ending the 40th row. */
static size_t cut_row_boundary(const char *text)
{
	const char *p = text;

	for (int i = 0; i < 41; i++)
		p = strchr(p, '\n') + 1;
	return (size_t)(p - text);
}

/* Inside the header: as if killed while writing it. */
static size_t cut_header(const char *text)
{
	(void)text;
	return 10;
}

/* Everything: a finished sweep run again only rewrites the summary. */
static size_t cut_nothing(const char *text)
{
	return strlen(text);
}

static void test_resume_mid_row(void) { resume_after_cut(cut_mid_row, "3"); }
static void test_resume_boundary(void) { resume_after_cut(cut_row_boundary, "1"); }
static void test_resume_header(void) { resume_after_cut(cut_header, "2"); }
static void test_resume_complete(void) { resume_after_cut(cut_nothing, "2"); }

/* A folder that holds another sweep is refused (exit 2) and left alone. */
static void test_other_sweep(void)
{
	char *dir = scn_tmpdir();
	char *ini = small_config(dir);
	char *out = path_in(dir, "o", NULL), *runs = path_in(out, "runs.csv", NULL);

	g_assert_cmpint(sweep(ini, "-q", "-o", out, NULL), ==, 0);
	char *before = read_file(runs);
	g_assert_cmpint(sweep(ini, "-q", "-o", out, "-s", "sweep.metrics=client.result", NULL), ==, 2);
	g_assert_cmpint(sweep(ini, "-q", "-o", out, "-s", "sweep.runs=10", NULL), ==, 2);
	g_assert_cmpint(sweep(ini, "-q", "-o", out, "--seed", "8", NULL), ==, 2);
	g_assert_cmpint(sweep(ini, "-q", "-o", out, "--shard", "1/2", NULL), ==, 2);
	char *after = read_file(runs);
	g_assert_cmpstr(before, ==, after);
	g_free(before);
	g_free(after);
	scn_rmtree(dir);
	g_free(dir);
	g_free(ini);
	g_free(out);
	g_free(runs);
}

static void test_usage_errors(void)
{
	char *dir = scn_tmpdir();
	char *ini = small_config(dir);
	char *plain = g_build_filename(dir, "plain.ini", NULL);
	char *out = path_in(dir, "o", NULL);

	write_file(plain, ENDPOINTS);
	g_assert_cmpint(sweep(plain, "-q", "-o", out, NULL), ==, 2); /* no [sweep] */
	g_assert_cmpint(sweep(ini, "-q", "-j", "0", "-o", out, NULL), ==, 2);
	g_assert_cmpint(sweep(ini, "-q", "--shard", "3/2", "-o", out, NULL), ==, 2);
	g_assert_cmpint(sweep(ini, "-q", "--shard", "x", "-o", out, NULL), ==, 2);
	g_assert_cmpint(sweep(ini, "-q", "--seed", "-1", "-o", out, NULL), ==, 2);
	g_assert_cmpint(sweep(ini, ini, "-q", NULL), ==, 2);
	g_assert_cmpint(sweep("-q", NULL), ==, 2);
	g_assert_cmpint(sweep(ini, "--bogus", NULL), ==, 2);
	g_assert_true(scn_absent_or_empty(out));
	g_assert_cmpint(merge(dir, NULL), ==, 2);              /* no --out */
	g_assert_cmpint(merge("--out", out, NULL), ==, 2);     /* no shard */
	g_assert_cmpint(merge("--out", out, dir, NULL), ==, 2); /* not a sweep folder */
	scn_rmtree(dir);
	g_free(dir);
	g_free(ini);
	g_free(plain);
	g_free(out);
}

/* Shards merged in process, in any order; incomplete or repeated shards
 * are refused. */
static void test_merge(void)
{
	char *dir = scn_tmpdir();
	char *ini = small_config(dir);
	char *ref = path_in(dir, "ref", NULL), *m = path_in(dir, "m", NULL);
	char *s[3];

	g_assert_cmpint(sweep(ini, "-q", "-o", ref, NULL), ==, 0);
	for (int k = 0; k < 3; k++) {
		char *shard = g_strdup_printf("%d/3", k + 1);
		s[k] = g_strdup_printf("%s/s%d", dir, k + 1);
		g_assert_cmpint(sweep(ini, "-q", "--shard", shard, "-o", s[k], NULL), ==, 0);
		char *summary = path_in(s[k], "summary.csv", NULL);
		g_assert_false(g_file_test(summary, G_FILE_TEST_EXISTS)); /* a shard has no summary */
		g_free(summary);
		g_free(shard);
	}
	g_assert_cmpint(merge("-q", "--out", m, s[2], s[0], NULL), ==, 2);         /* one missing */
	g_assert_cmpint(merge("-q", "--out", m, s[2], s[0], s[0], NULL), ==, 2);   /* one twice */
	g_assert_cmpint(merge("-q", "--out", m, s[2], s[0], s[1], NULL), ==, 0);
	char *a = path_in(ref, "runs.csv", NULL), *b = path_in(m, "runs.csv", NULL);
	char *sa = path_in(ref, "summary.csv", NULL), *sb = path_in(m, "summary.csv", NULL);
	assert_same_file(a, b);
	assert_same_file(sa, sb);
	/* a shard cut short: refused until it is resumed */
	char *r2 = path_in(s[1], "runs.csv", NULL);
	char *text = read_file(r2);
	GError *e = NULL;
	g_assert_true(g_file_set_contents(r2, text, (gssize)(strlen(text) / 2), &e));
	g_assert_cmpint(merge("-q", "--out", m, s[0], s[1], s[2], NULL), ==, 2);
	g_assert_cmpint(sweep(ini, "-q", "--shard", "2/3", "-o", s[1], NULL), ==, 0);
	g_assert_cmpint(merge("-q", "--out", m, s[0], s[1], s[2], NULL), ==, 0);
	assert_same_file(a, b);
	g_free(text);
	g_free(r2);
	for (int k = 0; k < 3; k++)
		g_free(s[k]);
	g_free(a);
	g_free(b);
	g_free(sa);
	g_free(sb);
	scn_rmtree(dir);
	g_free(dir);
	g_free(ini);
	g_free(ref);
	g_free(m);
}

/* ---- with a separate process ---- */

/* "tcpsim sweep" as argv words: $TCPSIM_BIN or ./tcpsim.  A missing
 * program fails the test with a message saying so. */
static char **sweep_command(void)
{
	const char *bin = g_getenv("TCPSIM_BIN");
	const char *tcpsim = bin && *bin ? bin : "./tcpsim";
	if (!g_file_test(tcpsim, G_FILE_TEST_IS_EXECUTABLE)) {
		g_test_message("%s is missing: run make tcpsim (and the tests from the repository root)",
		               tcpsim);
		g_test_fail();
		return NULL;
	}
	char **cmd = g_new0(char *, 3);
	cmd[0] = g_strdup(tcpsim);
	cmd[1] = g_strdup("sweep");
	return cmd;
}

/* A NULL-terminated copy of args, to g_strfreev. */
static char **strv_copy(const char *const *args)
{
	GPtrArray *a = g_ptr_array_new();

	for (; *args; args++)
		g_ptr_array_add(a, g_strdup(*args));
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, FALSE);
}

/* Rows complete in a file being written (0 if it does not exist yet). */
static guint rows_in(const char *path)
{
	char *text = NULL;
	guint n = 0;

	if (g_file_get_contents(path, &text, NULL, NULL))
		n = count_lines(text);
	g_free(text);
	return n > 0 ? n - 1 : 0;
}

/* Runs `PROGRAM sweep CONFIG -q -s sweep.runs=12 -j JOBS -o OUT` to its end;
 * its exit status. */
static int sweep_process(char **cmd, const char *config, const char *jobs, const char *out)
{
	const char *const args[] = {cmd[0], cmd[1], config, "-q", "-s", "sweep.runs=12", "-j", jobs, "-o", out, NULL};
	char **argv = strv_copy(args);
	int status = -1;
	GError *e = NULL;

	g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &e));
	g_assert_no_error(e);
	g_strfreev(argv);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The report counts in the singular when one: 4 points x 1 run, on 1
 * thread. */
static void test_report_plurals(void)
{
	char **cmd = sweep_command();
	if (!cmd)
		return;
	char *dir = scn_tmpdir();
	char *cfg = small_config(dir), *out = path_in(dir, "out", NULL);
	const char *const args[] = {cmd[0], cmd[1], cfg, "-s", "sweep.runs=1", "-j", "1", "-o", out, NULL};
	char **argv = strv_copy(args);
	char *text = NULL;
	int status = -1;
	GError *e = NULL;
	g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &text, NULL,
	                           &status, &e));
	g_assert_no_error(e);
	g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	g_assert_nonnull(strstr(text, ": 4 points x 1 run = 4 runs\n"));
	g_assert_nonnull(strstr(text, "\nran 4 runs in "));
	g_assert_nonnull(strstr(text, " runs/s, 1 thread)"));
	g_free(text);
	g_strfreev(argv);
	scn_rmtree(dir);
	g_free(dir);
	g_free(cfg);
	g_free(out);
	g_strfreev(cmd);
}

/* A real kill: SIGKILL a sweep process once rows have appeared, resume it,
 * compare with an uninterrupted run.  All three are processes of their own
 * (the runs move megabytes: too slow for an in-process run under valgrind). */
static void test_kill(void)
{
	char **cmd = sweep_command();
	if (!cmd)
		return;
	char *dir = scn_tmpdir();
	char *ref = path_in(dir, "ref", NULL), *killed = path_in(dir, "killed", NULL);
	char *runs = path_in(killed, "runs.csv", NULL);
	const char *cfg = "configs/sweeps/time_wait_vs_corruption.ini";
	char *argv[] = {cmd[0], cmd[1], "configs/sweeps/time_wait_vs_corruption.ini", "-q", "-j", "1",
	                "-s", "sweep.runs=12", "-o", killed, NULL};
	GPid pid;
	GError *e = NULL;
	int status;

	g_assert_true(g_spawn_async(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &e));
	g_assert_no_error(e);
	gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
	while (rows_in(runs) < 5 && g_get_monotonic_time() < deadline)
		g_usleep(2000);
	g_assert_cmpint(kill(pid, SIGKILL), ==, 0);
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_spawn_close_pid(pid);
	g_assert_true(WIFSIGNALED(status)); /* killed, not finished */
	guint rows = rows_in(runs);
	g_test_message("killed after %u complete rows of 60", rows);
	g_assert_cmpuint(rows, >=, 5);
	g_assert_cmpuint(rows, <, 60);
	g_assert_cmpint(sweep_process(cmd, cfg, "2", killed), ==, 0);
	g_assert_cmpint(sweep_process(cmd, cfg, "4", ref), ==, 0);
	char *a = path_in(ref, "runs.csv", NULL), *sa = path_in(ref, "summary.csv", NULL);
	char *sb = path_in(killed, "summary.csv", NULL);
	assert_same_file(a, runs);
	assert_same_file(sa, sb);
	g_free(a);
	g_free(sa);
	g_free(sb);
	scn_rmtree(dir);
	g_free(dir);
	g_free(ref);
	g_free(killed);
	g_free(runs);
	g_strfreev(cmd);
}

/* `parallel PROGRAM sweep CONFIG --shard {}/3 -o DIR/{} ::: 1 2 3`, then
 * merge: the files of the unsharded sweep, byte for byte. */
static void test_shards_parallel(void)
{
	char *parallel = g_find_program_in_path("parallel");
	if (!parallel) {
		g_test_message("GNU parallel is missing: apt-get install parallel");
		g_test_fail();
		return;
	}
	char **cmd = sweep_command();
	if (!cmd) {
		g_free(parallel);
		return;
	}
	char *dir = scn_tmpdir();
	char *ini = small_config(dir);
	char *ref = path_in(dir, "ref", NULL), *merged = path_in(dir, "merged", NULL);
	char *job = g_strdup_printf("%s %s %s -q --shard {}/3 -o %s/shard{}", cmd[0], cmd[1], ini, dir);
	char *argv[] = {parallel, job, ":::", "1", "2", "3", NULL};
	char *out = NULL, *err = NULL;
	int status = -1;
	GError *e = NULL;

	g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &e));
	g_assert_no_error(e);
	if (!g_spawn_check_wait_status(status, NULL))
		g_error("parallel failed: %s%s", out, err);
	char *s1 = path_in(dir, "shard1", NULL), *s2 = path_in(dir, "shard2", NULL), *s3 = path_in(dir, "shard3", NULL);
	g_assert_cmpint(merge("-q", "--out", merged, s1, s2, s3, NULL), ==, 0);
	g_assert_cmpint(sweep(ini, "-q", "-o", ref, NULL), ==, 0);
	char *a = path_in(ref, "runs.csv", NULL), *b = path_in(merged, "runs.csv", NULL);
	char *sa = path_in(ref, "summary.csv", NULL), *sb = path_in(merged, "summary.csv", NULL);
	assert_same_file(a, b);
	assert_same_file(sa, sb);
	g_free(a);
	g_free(b);
	g_free(sa);
	g_free(sb);
	g_free(s1);
	g_free(s2);
	g_free(s3);
	g_free(out);
	g_free(err);
	g_free(job);
	scn_rmtree(dir);
	g_free(dir);
	g_free(ini);
	g_free(ref);
	g_free(merged);
	g_free(parallel);
	g_strfreev(cmd);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(values_cases); i++) {
		char *path = g_strdup_printf("/sweep/grid/values/%zu", i);
		g_test_add_data_func(path, &values_cases[i], test_values);
		g_free(path);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(values_errors); i++) {
		char *path = g_strdup_printf("/sweep/grid/error/%zu", i);
		g_test_add_data_func(path, &values_errors[i], test_values_error);
		g_free(path);
	}
	g_test_add_func("/sweep/grid/order", test_grid_order);
	for (size_t i = 0; i < G_N_ELEMENTS(config_errors); i++) {
		char *path = g_strdup_printf("/sweep/config/error/%s", config_errors[i].name);
		g_test_add_data_func(path, &config_errors[i], test_config_error);
		g_free(path);
	}
	g_test_add_func("/sweep/config/ok", test_config_ok);
	g_test_add_func("/sweep/config/point", test_config_point);
	g_test_add_func("/sweep/config/faults", test_config_faults);
	g_test_add_func("/sweep/stats/student-t", test_student_t);
	g_test_add_func("/sweep/stats/student-t-small", test_student_t_small);
	g_test_add_func("/sweep/stats/median-observed", test_median_observed);
	g_test_add_func("/sweep/stats/quantiles", test_quantiles);
	g_test_add_func("/sweep/stats/heavy-tail", test_heavy_tail);
	g_test_add_func("/sweep/metrics/titles", test_metric_titles);
	g_test_add_func("/sweep/metrics/time-wait", test_time_wait_metrics);
	g_test_add_func("/sweep/metrics/fin-retransmitted", test_fin_retransmitted_metric);
	g_test_add_func("/sweep/plots/generic", test_plots_generic);
	g_test_add_func("/sweep/stats/wilson", test_wilson);
	g_test_add_func("/sweep/csv/fields", test_csv_fields);
	g_test_add_func("/sweep/csv/summary", test_summary_file);
	g_test_add_func("/sweep/csv/summary-fed-in-batches", test_summary_fed_in_batches);
	g_test_add_func("/sweep/csv/summary-warnings", test_summary_warnings);
	g_test_add_func("/sweep/metrics/table", test_metric_table);
	g_test_add_func("/sweep/metrics/values", test_metric_values);
	g_test_add_func("/sweep/run/threads", test_threads);
	g_test_add_func("/sweep/run/netem-keys", test_netem_keys);
	g_test_add_func("/sweep/run/close-vs-burstiness", test_close_vs_burstiness);
	g_test_add_func("/sweep/run/report-plurals", test_report_plurals);
	g_test_add_func("/sweep/run/resume-mid-row", test_resume_mid_row);
	g_test_add_func("/sweep/run/resume-row-boundary", test_resume_boundary);
	g_test_add_func("/sweep/run/resume-header", test_resume_header);
	g_test_add_func("/sweep/run/resume-complete", test_resume_complete);
	g_test_add_func("/sweep/run/other-sweep", test_other_sweep);
	g_test_add_func("/sweep/run/usage-errors", test_usage_errors);
	g_test_add_func("/sweep/run/merge", test_merge);
	g_test_add_func("/sweep/run/kill", test_kill);
	g_test_add_func("/sweep/run/shards-parallel", test_shards_parallel);
	return g_test_run();
}
