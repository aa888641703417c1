/*
 * tcpsim explore (sim/explore/): the enumeration, its counts, the
 * smallest counterexamples and their configs, determinism over threads,
 * resuming, and the command line's refusals.
 *
 * The scenarios are configs/explore/close_with{,out}_time_wait.ini: a
 * short echo and its close, 10 segments without faults; without
 * TIME_WAIT, dropping the client's last ACK makes the server's
 * retransmitted FIN meet a reset (no_reset_on_close).
 */
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "sim/explore/explore_int.h"
#include "tests/scenario_util.h"

#define WITHOUT_TW "configs/explore/close_without_time_wait.ini"
#define WITH_TW "configs/explore/close_with_time_wait.ini"

static void prepare(struct explore *x, const char *path, uint32_t faults)
{
	GError *error = NULL;
	g_assert_true(explore_prepare(x, path, &error));
	g_assert_no_error(error);
	x->spec.faults = faults;
	explore_commit_spec(x);
}

static char *lines_of(const struct explore *x, const struct explore_placement *p)
{
	char **lines = explore_fault_lines(x, p);
	char *joined = g_strjoinv("; ", lines);
	g_strfreev(lines);
	return joined;
}

/* One fault: 10 segments x 4 actions + the fault-free run; only the lost
 * last ACK (and its delays past the retransmitted FIN) end in a reset. */
static void test_finds_lost_last_ack(void)
{
	struct explore x;
	struct explore_report r;
	prepare(&x, WITHOUT_TW, 1);
	explore_search(&x, 1, NULL, NULL, &r);
	g_assert_cmpuint(r.baseline.n_segs, ==, 10);
	g_assert_cmpuint(r.placements, ==, 41);
	g_assert_cmpuint(r.distinct, ==, 41);
	g_assert_cmpuint(r.bound, ==, 1 + 24 * 4);
	for (uint32_t i = 0; i < x.n_checks; i++)
		g_assert_cmpint(r.violation[i].found, ==, i == EXPLORE_NO_RESET_ON_CLOSE);
	const struct explore_best *b = &r.violation[EXPLORE_NO_RESET_ON_CLOSE];
	g_assert_cmpuint(b->p.n, ==, 1);
	g_assert_cmpuint(b->count, ==, 3); /* dropped, or delayed by 300 ms or 30 s */
	char *lines = lines_of(&x, &b->p);
	g_assert_cmpstr(lines, ==, "drop 1st client ack-of-fin");
	char *story = explore_story(&x, &b->p);
	g_assert_cmpstr(story, ==, "drop the client's ACK of the server's FIN at 0.060 s \xe2\x86\x92 client ok in "
	                           "CLOSED, server ECONNRESET in CLOSED after 1 FIN retransmission; "
	                           "violates no_reset_on_close");
	g_free(story);
	g_free(lines);
	explore_report_clear(&r);
	explore_clear(&x);
}

/* With TIME_WAIT, no placement of up to 3 faults breaks anything. */
static void test_time_wait_holds(void)
{
	struct explore x;
	struct explore_report r;
	prepare(&x, WITH_TW, 3);
	explore_search(&x, 2, NULL, NULL, &r);
	g_assert_cmpuint(r.placements, >, 10000);
	g_assert_cmpuint(r.distinct, <=, r.placements);
	for (uint32_t i = 0; i < x.n_checks; i++)
		g_assert_false(r.violation[i].found);
	explore_report_clear(&r);
	explore_clear(&x);
}

/* The fewest faults, then the earliest: two FIN retransmissions need
 * the server's FIN and its first retransmission dropped. */
static void test_smallest_then_earliest(void)
{
	struct explore x;
	struct explore_report r;
	char *why = NULL;
	prepare(&x, WITH_TW, 2);
	x.spec.kinds = 1u << EXPLORE_DROP;
	g_assert_true(explore_parse_require("server.retransmissions.fin <= 1", &x.spec.require[0], &why));
	x.spec.n_require = 1;
	explore_commit_spec(&x);
	explore_search(&x, 2, NULL, NULL, &r);
	const struct explore_best *b = &r.violation[EXPLORE_N_PROPERTIES];
	g_assert_true(b->found);
	g_assert_cmpuint(b->p.n, ==, 2);
	char *lines = lines_of(&x, &b->p);
	g_assert_cmpstr(lines, ==, "drop 1st server fin; drop 2nd server fin");
	char *name = explore_check_name(&x, EXPLORE_N_PROPERTIES);
	g_assert_cmpstr(name, ==, "require server.retransmissions.fin <= 1");
	g_free(name);
	g_free(lines);
	explore_report_clear(&r);
	explore_clear(&x);
}

static void assert_same_report(const struct explore *x, const struct explore_report *a,
                               const struct explore_report *b)
{
	g_assert_cmpuint(a->placements, ==, b->placements);
	g_assert_cmpuint(a->distinct, ==, b->distinct);
	for (uint32_t i = 0; i < x->n_checks; i++) {
		g_assert_cmpint(a->violation[i].found, ==, b->violation[i].found);
		g_assert_cmpuint(a->violation[i].count, ==, b->violation[i].count);
		g_assert_cmpmem(&a->violation[i].p, sizeof a->violation[i].p, &b->violation[i].p,
		                sizeof b->violation[i].p);
	}
	g_assert_cmpuint(a->outcomes->len, ==, b->outcomes->len);
	for (guint i = 0; i < a->outcomes->len; i++) {
		g_assert_cmpstr(a->outcomes->pdata[i], ==, b->outcomes->pdata[i]);
		g_assert_cmpuint(a->outcome_best[i].count, ==, b->outcome_best[i].count);
	}
}

/* One thread or three: the same report. */
static void test_threads_agree(void)
{
	struct explore x;
	struct explore_report one, three;
	char *why = NULL;
	prepare(&x, WITHOUT_TW, 2);
	g_assert_true(explore_parse_outcomes("server.result, client.result", &x.spec, &why));
	explore_commit_spec(&x);
	explore_search(&x, 1, NULL, NULL, &one);
	explore_search(&x, 3, NULL, NULL, &three);
	assert_same_report(&x, &one, &three);
	g_assert_cmpuint(one.outcomes->len, ==, 2);
	g_assert_cmpstr(one.outcomes->pdata[0], ==, "ECONNRESET, ok");
	g_assert_cmpstr(one.outcomes->pdata[1], ==, "ok, ok");
	g_assert_cmpuint(one.outcome_best[1].p.n, ==, 0); /* the fault-free run */
	explore_report_clear(&one);
	explore_report_clear(&three);
	explore_clear(&x);
}

/* The counterexample's config runs the very execution the explorer saw. */
static void test_counterexample_reproduces(void)
{
	struct explore x, again;
	struct explore_report r;
	struct explore_exec seen, rerun;
	struct explore_placement none = {0};
	GError *error = NULL;
	char *dir = scn_tmpdir();
	prepare(&x, WITHOUT_TW, 2);
	explore_search(&x, 2, NULL, NULL, &r);
	const struct explore_placement *p = &r.violation[EXPLORE_NO_RESET_ON_CLOSE].p;
	struct explore_told told;
	explore_tell(&x, p, &told);
	char *path = explore_write_config(&x, &told, dir, "no_reset_on_close", &error);
	explore_told_clear(&told);
	g_assert_no_error(error);
	explore_execute(&x, p, &seen);
	g_assert_true(explore_prepare(&again, path, &error));
	g_assert_cmpuint(again.cfg.n_faults, ==, 1);
	explore_execute(&again, &none, &rerun);
	g_assert_cmpuint(rerun.hash, ==, seen.hash);
	g_assert_cmpuint(rerun.violated, ==, 1u << EXPLORE_NO_RESET_ON_CLOSE);
	explore_exec_clear(&seen);
	explore_exec_clear(&rerun);
	explore_clear(&again);
	explore_report_clear(&r);
	explore_clear(&x);
	g_free(path);
	scn_rmtree(dir);
	g_free(dir);
}

/* Finished units are read back; a damaged one is run again. */
static void test_resume(void)
{
	struct explore x;
	struct explore_report first, second, third;
	char *dir = scn_tmpdir();
	prepare(&x, WITHOUT_TW, 2);
	x.resume_dir = g_strdup(dir);
	explore_search(&x, 2, NULL, NULL, &first);
	g_assert_cmpuint(first.resumed, ==, 0);
	explore_search(&x, 1, NULL, NULL, &second);
	g_assert_cmpuint(second.resumed, ==, second.units);
	assert_same_report(&x, &first, &second);
	char *unit = g_build_filename(dir, "unit-3", NULL);
	g_assert_true(g_file_set_contents(unit, "damaged", -1, NULL));
	explore_search(&x, 2, NULL, NULL, &third);
	g_assert_cmpuint(third.resumed, ==, third.units - 1);
	assert_same_report(&x, &first, &third);
	g_free(unit);
	explore_report_clear(&first);
	explore_report_clear(&second);
	explore_report_clear(&third);
	explore_clear(&x);
	scn_rmtree(dir);
	g_free(dir);
}

/* ./tcpsim explore: the summary, the files, the exit status 1. */
static void test_command(void)
{
	char *dir = scn_tmpdir();
	char *out = g_build_filename(dir, "ex", NULL);
	const char *args[] = {"explore", "-q", "-k", "1", "-o", out, WITHOUT_TW, NULL};
	struct scn_run run;
	GError *error = NULL;
	g_assert_true(scn_tcpsim(args, &run, &error));
	g_assert_cmpint(run.status, ==, 1);
	g_assert_nonnull(strstr(run.out, "all 41 placements of up to 1 fault on the first 24 segments: "
	                                 "41 distinct executions\n"));
	g_assert_nonnull(strstr(run.out, "\nno_reset_on_close                                   3  1 fault\n"));
	g_assert_nonnull(strstr(run.out, "  [faults] explore_1 = drop 1st client ack-of-fin\n"));
	g_assert_cmpstr(run.err, ==, "");
	char *ini = g_build_filename(out, "no_reset_on_close.ini", NULL);
	char *pcapng = g_build_filename(out, "no_reset_on_close", "trace.pcapng", NULL);
	char *svg = g_build_filename(out, "no_reset_on_close", "diagram.svg", NULL);
	g_assert_true(g_file_test(ini, G_FILE_TEST_IS_REGULAR));
	g_assert_true(g_file_test(pcapng, G_FILE_TEST_IS_REGULAR));
	g_assert_true(g_file_test(svg, G_FILE_TEST_IS_REGULAR));
	char *report = g_build_filename(out, "no_reset_on_close", "report.html", NULL), *html = NULL;
	g_assert_true(g_file_get_contents(report, &html, NULL, NULL));
	g_assert_nonnull(strstr(html, "no_reset_on_close.ini --seed 1<"));
	g_free(html);
	g_free(report);
	scn_run_clear(&run);
	/* the counterexample config, run as any config */
	char *rerun_out = g_build_filename(dir, "rerun", NULL);
	const char *rerun[] = {ini, "--json", "-o", rerun_out, NULL};
	g_assert_true(scn_tcpsim(rerun, &run, &error));
	g_assert_cmpint(run.status, ==, 0);
	struct scn_json *j = scn_json_parse(run.out, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(scn_json_str(j, "endpoints.server.result"), ==, "ECONNRESET");
	scn_json_free(j);
	scn_run_clear(&run);
	g_free(rerun_out);
	g_free(ini);
	g_free(pcapng);
	g_free(svg);
	g_free(out);
	scn_rmtree(dir);
	g_free(dir);
}

/* The old-duplicate exploration's segment held 70 ms instead of 75: it
 * straddles the second connection's ISN, and its last 1280 bytes land at
 * the start of the new stream, read before the client's own bytes for
 * those places arrive.  Only the 1280 count as corrupted, not every byte
 * after them. */
static void test_read_ahead_counted_once(void)
{
	char *dir = scn_tmpdir();
	const char *args[] = {"configs/explore/old_duplicate_without_time_wait.ini", "--set",
	                      "faults.old=delay 18th client data by 70ms", "--json", "-o", dir, NULL};
	struct scn_run run;
	GError *error = NULL;
	g_assert_true(scn_tcpsim(args, &run, &error));
	g_assert_cmpint(run.status, ==, 0);
	struct scn_json *j = scn_json_parse(run.out, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(scn_json_uint(j, "corrupted_bytes"), ==, 1280);
	scn_json_free(j);
	scn_run_clear(&run);
	scn_rmtree(dir);
	g_free(dir);
}

/* Bad input: a message naming the file and line (a message starting
 * with ":LINE" follows the config's path) or the option, exit status 2,
 * nothing written. */
static void assert_refused(const char *config_text, const char *const *options, const char *message)
{
	char *dir = scn_tmpdir();
	char *ini = g_build_filename(dir, "x.ini", NULL);
	char *out = g_build_filename(dir, "out", NULL);
	const char *args[16] = {"explore", "-q", "-o", out, ini};
	int n = 5;
	for (int i = 0; options && options[i]; i++)
		args[n++] = options[i];
	struct scn_run run;
	GError *error = NULL;
	char *text = g_strdup_printf("[simulation]\nseed = 1\n[client]\nscript = connect; close\n[server]\n"
	                             "address = 10.0.0.2:7777\nscript = listen; accept; close\n%s", config_text);
	g_assert_true(g_file_set_contents(ini, text, -1, NULL));
	g_assert_true(scn_tcpsim(args, &run, &error));
	g_assert_cmpint(run.status, ==, 2);
	char *want = g_str_has_prefix(message, ":") ? g_strconcat(ini, message, NULL) : g_strdup(message);
	if (!strstr(run.err, want))
		g_error("expected \"%s\" in: %s", want, run.err);
	g_assert_cmpstr(run.out, ==, "");
	g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
	scn_run_clear(&run);
	g_free(want);
	g_free(text);
	g_free(ini);
	g_free(out);
	scn_rmtree(dir);
	g_free(dir);
}

static void test_refusals(void)
{
	assert_refused("[explore]\nkinds = drop, reorder\n", NULL,
	               ":9: [explore] kinds = drop, reorder: unknown fault kind \"reorder\"");
	assert_refused("[explore]\nfaults = 9\n", NULL, ":9: [explore] faults = 9: expected a whole number "
	                                                "between 1 and 6");
	assert_refused("[explore]\nclosd = on\n", NULL, ":9: [explore] closd: unknown key");
	assert_refused("[explore]\nrequire = server.rezult == ok\n", NULL, "unknown metric server.rezult");
	assert_refused("", (const char *const[]){"--faults", "0", NULL},
	               "tcpsim explore: --faults 0: expected a number of faults from 1 to 6");
	assert_refused("", (const char *const[]){"--kinds", "drop,smash", NULL},
	               "tcpsim explore: --kinds: unknown fault kind \"smash\"");
	assert_refused("", (const char *const[]){"--faults", "6", "--segments", "1000", NULL},
	               "exceed the budget of 20,000,000");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/explore/finds-lost-last-ack", test_finds_lost_last_ack);
	g_test_add_func("/explore/time-wait-holds", test_time_wait_holds);
	g_test_add_func("/explore/smallest-then-earliest", test_smallest_then_earliest);
	g_test_add_func("/explore/threads-agree", test_threads_agree);
	g_test_add_func("/explore/counterexample-reproduces", test_counterexample_reproduces);
	g_test_add_func("/explore/resume", test_resume);
	g_test_add_func("/explore/command", test_command);
	g_test_add_func("/explore/refusals", test_refusals);
	g_test_add_func("/explore/read-ahead-counted-once", test_read_ahead_counted_once);
	return g_test_run();
}
