/*
 * The short randomized stress of `make check`: tools/stress/'s generator,
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
 * /stress/stall/...               the stall on purpose is an outcome, any
 *                                 other stall (or none) a failure
 * /stress/model-error             a g_error() in a worker's run: a crash
 *                                 with its reason, and the stride goes on
 * /stress/outputs/...             pcap, pcapng and event log read back;
 *                                 a tampered capture fails
 * /stress/progress/...            two_way_bulk.ini must finish, and does;
 *                                 a short transfer with no loss streak fails
 *
 * The stall tests run SIM_QUEUE_STALL_EVENTS events each (a fraction of a second).
 *
 * A failing run prints its reason and its config and saves it under
 * tests/stress-failures/ (see tools/stress/stress.h); replay it with
 * `build/tools/stress --replay FILE` or `./tcpsim FILE`.
 */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include "sim/config/config.h"
#include "sim/world/net.h"
#include "tools/stress/stress.h"

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

/* A folder for one test's files, removed by tmp_clear(). */
static char *tmp_dir(void)
{
	char *dir = g_dir_make_tmp("tcpsim-stress-test-XXXXXX", NULL);

	g_assert_nonnull(dir);
	return dir;
}

static void tmp_clear(char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d)) != NULL) {
		char *child = g_build_filename(dir, name, NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR))
			tmp_clear(g_strdup(child));
		else
			g_unlink(child);
		g_free(child);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(dir);
	g_free(dir);
}

static char *write_ini(const char *dir, const char *name, const char *text)
{
	char *path = g_build_filename(dir, name, NULL);

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

/* A client that only sleeps 0, `repeat` times, and a server. */
static char *sleeper_ini(const char *script, const char *repeat)
{
	return g_strdup_printf("[simulation]\nduration = 10s\n\n[network]\ndelay = 1ms\n\n"
	                       "[client]\naddress = 10.0.0.1\nscript = %s\nrepeat = %s\n\n"
	                       "[server]\naddress = 10.0.0.2:8080\nscript = listen; accept; close\n",
	                       script, repeat);
}

static bool must_stall(const char *dir, const char *script, const char *repeat)
{
	char *ini = sleeper_ini(script, repeat), *path = write_ini(dir, "c.ini", ini);
	struct config c;
	GError *error = NULL;

	if (!config_load(path, NULL, &c, &error))
		g_error("%s", error->message);
	bool must = stress_must_stall(&c);
	config_clear(&c);
	g_free(path);
	g_free(ini);
	return must;
}

static void test_stall_classify(void)
{
	char *dir = tmp_dir();

	g_assert_true(must_stall(dir, "sleep 0", "forever"));
	g_assert_true(must_stall(dir, "sleep 0; sleep 0", "forever"));
	g_assert_false(must_stall(dir, "sleep 0", "1000000"));
	g_assert_false(must_stall(dir, "sleep 1ms", "forever"));
	g_assert_false(must_stall(dir, "sleep 0; connect; close", "forever"));
	tmp_clear(dir);
}

/* The generator's stall on purpose, through the runner: counted as
 * stalled, not as a failure. */
static void test_stall_on_purpose(void)
{
	uint64_t run = 0;
	char *ini = NULL;

	for (;; run++) { /* one in 2500: found within some thousands */
		g_assert_cmpuint(run, <, 100000);
		ini = stress_generate(1, run);
		if (strstr(ini, "# stalls on purpose"))
			break;
		g_free(ini);
	}
	g_free(ini);
	struct stress_opts o;
	struct stress_totals t;
	stress_opts_default(&o);
	o.first = run;
	o.runs = 1;
	o.jobs = 1;
	o.quiet = true;
	g_assert_true(stress_run(&o, &t));
	g_assert_cmpuint(t.runs, ==, 1);
	g_assert_cmpuint(t.stalled, ==, 1);
	g_assert_cmpuint(t.failures, ==, 0);
}

/* A program of zero sleeps that stops after 2 * 10^7 iterations stalls
 * too, long before its end: not the stall on purpose, a failure. */
static void test_stall_not_forever(void)
{
	char *dir = tmp_dir(), *ini = sleeper_ini("sleep 0", "20000000");
	char *path = write_ini(dir, "c.ini", ini), *out = g_build_filename(dir, "out", NULL);
	struct stress_outcome o;
	char *why = stress_check_file(path, out, 5000000, &o);

	g_assert_nonnull(why);
	g_assert_true(g_str_has_prefix(why, "oracle: stalled, but no program repeats forever"));
	g_assert_true(o.stalled);
	g_free(why);
	g_free(out);
	g_free(path);
	g_free(ini);
	tmp_clear(dir);
}

static char *read_log(FILE *log)
{
	long n = ftell(log);
	char *text = g_malloc0((size_t)n + 1);

	rewind(log);
	g_assert_cmpuint(fread(text, 1, (size_t)n, log), ==, (size_t)n);
	return text;
}

/* Run 1 of 0..2 stops on g_error() in the worker: reported as a crash
 * with the message, saved, and runs 0 and 2 still judged. */
static void test_model_error(void)
{
	char *dir = tmp_dir();
	FILE *log = tmpfile();
	struct stress_opts o;
	struct stress_totals t;

	stress_opts_default(&o);
	o.runs = 3;
	o.jobs = 1;
	o.quiet = true;
	o.model_error_run = 1;
	o.fail_dir = dir;
	o.log = log;
	g_assert_false(stress_run(&o, &t));
	g_assert_cmpuint(t.runs, ==, 3);
	g_assert_cmpuint(t.failures, ==, 1);
	g_assert_cmpuint(t.crashes, ==, 1);
	char *text = read_log(log);
	g_assert_nonnull(strstr(text, "FAIL run 1: crash: the model stopped: invariant broken on purpose in run 1"));
	g_free(text);
	char *saved = g_build_filename(dir, "crash-seed1-run1.ini", NULL);
	g_assert_true(g_file_get_contents(saved, &text, NULL, NULL));
	g_assert_nonnull(strstr(text, "# tools/stress failure: crash: the model stopped"));
	g_free(text);
	g_free(saved);
	fclose(log);
	tmp_clear(dir);
}

/* configs/two_way_bulk.ini with a seed that forces the outputs on (see
 * stress_check_file: seed % 20 == 3; seed / 20 even: classic pcap, and a
 * multiple of 3: the event log too). */
static char *bulk_ini(uint64_t seed)
{
	return g_strdup_printf("[simulation]\nseed = %" G_GUINT64_FORMAT "\nduration = 2000s\n\n"
	                       "[network]\ndelay = 20ms\nloss = 10%%\n\n"
	                       "[client]\naddress = 10.0.0.1\n"
	                       "script = connect; send 50000; shutdown; recv all; close\n\n"
	                       "[server]\naddress = 10.0.0.2:7777\n"
	                       "script = listen; accept; send 50000; shutdown; recv all; close\n", seed);
}

static void check_outputs(uint64_t seed, const char *dir, const char *expect_file)
{
	char *ini = bulk_ini(seed), *path = write_ini(dir, "bulk.ini", ini);
	char *out = g_build_filename(dir, "out", NULL), *file = g_build_filename(out, expect_file, NULL);
	struct stress_outcome o;
	char *why = stress_check_file(path, out, 5000000, &o);

	g_assert_cmpstr(why, ==, NULL);
	g_assert_true(o.outputs);
	g_assert_true(o.progress);
	g_assert_true(g_file_test(file, G_FILE_TEST_IS_REGULAR));
	g_free(file);
	g_free(out);
	g_free(path);
	g_free(ini);
}

static void test_outputs_pass(void)
{
	char *dir = tmp_dir();

	check_outputs(3, dir, "trace.pcap");      /* and events.jsonl */
	check_outputs(3, dir, "events.jsonl");
	check_outputs(23, dir, "trace.pcapng");
	check_outputs(63, dir, "events.jsonl");   /* pcapng and events */
	tmp_clear(dir);
}

/* The frames of a capture file, as the check wants them. */
static GPtrArray *read_packets(const char *path, GArray *bad)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(path, err);
	struct pcap_pkthdr *h;
	const u_char *data;
	GPtrArray *want = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);

	g_assert_nonnull(pc);
	while (pcap_next_ex(pc, &h, &data) == 1) { /* whole frames */
		bool no = false;
		g_ptr_array_add(want, g_bytes_new(data, h->caplen));
		g_array_append_val(bad, no);
	}
	pcap_close(pc);
	return want;
}

/* The last byte of the file (of the last packet's TCP header or data). */
static void flip_last_byte(const char *path)
{
	char *text;
	gsize len;

	g_assert_true(g_file_get_contents(path, &text, &len, NULL));
	text[len - 1] ^= 0x20;
	g_assert_true(g_file_set_contents(path, text, (gssize)len, NULL));
	g_free(text);
}

static void test_outputs_tampered(void)
{
	char *dir = tmp_dir(), *pcap = g_build_filename(dir, "out", "trace.pcap", NULL);
	GArray *bad = g_array_new(FALSE, FALSE, sizeof(bool));
	uint64_t n = 0;

	check_outputs(3, dir, "trace.pcap");
	GPtrArray *want = read_packets(pcap, bad);
	g_assert_cmpuint(want->len, >, 10);
	char *why = stress_check_capture(pcap, want, bad, &n);
	g_assert_cmpstr(why, ==, NULL);
	g_assert_cmpuint(n, ==, want->len);
	flip_last_byte(pcap);
	why = stress_check_capture(pcap, want, bad, &n);
	g_assert_nonnull(strstr(why, "is not the frame sent"));
	g_free(why);
	g_ptr_array_free(want, TRUE); /* the same bytes sent as captured: the checksum catches it */
	g_array_set_size(bad, 0);
	want = read_packets(pcap, bad);
	why = stress_check_capture(pcap, want, bad, &n);
	g_assert_nonnull(strstr(why, "TCP checksum wrong"));
	g_free(why);
	g_ptr_array_free(want, TRUE);
	g_array_free(bad, TRUE);
	g_free(pcap);
	tmp_clear(dir);
}

static void test_progress_bulk(void)
{
	char *dir = tmp_dir();
	struct stress_outcome o;
	char *why = stress_check_file("configs/two_way_bulk.ini", dir, 5000000, &o);

	g_assert_cmpstr(why, ==, NULL);
	g_assert_true(o.progress);
	tmp_clear(dir);
}

/* Both programs send 50000 bytes, read all and close: the facts of a run
 * that finished, then of one whose client timed out with 20000 of its
 * bytes read. */
static void test_progress_judge(void)
{
	struct stress_progress p = {.role = {{0, 50000, 50000, 50000, TCP_TIME_WAIT, "close", 0},
	                                     {0, 50000, 50000, 50000, TCP_CLOSED, "close", 0}},
	                            .best = {2, 1}};
	bool streak = true;
	char *why = stress_judge_progress(&p, &streak);

	g_assert_cmpstr(why, ==, NULL);
	g_assert_false(streak);
	p.role[NET_CLIENT].result = ETIMEDOUT;
	p.role[NET_CLIENT].peer_read = 20000;
	why = stress_judge_progress(&p, &streak);
	g_assert_nonnull(why);
	g_assert_true(g_str_has_prefix(why, "oracle: progress: the client's result is ETIMEDOUT; no retry count"));
	g_assert_nonnull(strstr(why, "client 2, server 1 transmissions"));
	g_free(why);
	p.streak = "the client sent sequence number 1 16 times in a row with no answer";
	why = stress_judge_progress(&p, &streak);
	g_assert_cmpstr(why, ==, NULL);
	g_assert_true(streak);
	p = (struct stress_progress){.role = {{0, 1, 1, 1, TCP_TIME_WAIT, "close", 0},
	                                      {0, 1, 1, 1, TCP_CLOSED, "close", 0}},
	                             .reset = "a reset reached the server"};
	why = stress_judge_progress(&p, &streak);
	g_assert_cmpstr(why, ==, "oracle: progress: a reset reached the server");
	g_free(why);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/stress/generate/deterministic", test_deterministic);
	g_test_add_func("/stress/generate/loads", test_loads);
	g_test_add_func("/stress/short", test_short);
	g_test_add_func("/stress/stall/classify", test_stall_classify);
	g_test_add_func("/stress/stall/on-purpose", test_stall_on_purpose);
	g_test_add_func("/stress/stall/not-forever", test_stall_not_forever);
	g_test_add_func("/stress/model-error", test_model_error);
	g_test_add_func("/stress/outputs/pass", test_outputs_pass);
	g_test_add_func("/stress/outputs/tampered", test_outputs_tampered);
	g_test_add_func("/stress/progress/two-way-bulk", test_progress_bulk);
	g_test_add_func("/stress/progress/judge", test_progress_judge);
	return g_test_run();
}
