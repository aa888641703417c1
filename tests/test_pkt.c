/*
 * The packetdrill runner (tcpsim pkt) against its corpus and against
 * scripts that must fail.
 *
 * /pkt/corpus/NAME        every tests/pkt/NAME.pkt, run in process under the
 *                         Linux profile (bsd-*.pkt under the bsd profile):
 *                         it must PASS (a failure names the script and
 *                         prints the runner's message)
 * /pkt/fail/<case>        a deliberately wrong script written here, and the
 *                         exact FAIL message packetdrill's words give for it
 * /pkt/unsupported/<case> what the model cannot run is UNSUPPORTED, by name
 * /pkt/cli/<case>         `tcpsim pkt` exits 0 (no failure), 1 (a failure),
 *                         2 (a script that does not parse, or a bad option),
 *                         as sim/pkt/pkt_cli.c documents
 *
 * Like the other tests, this one runs from the repository root (tests/run.sh
 * does): the corpus is tests/pkt/, and the command is ./tcpsim (or
 * $TCPSIM_BIN, tests/scenario_util.c).
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include "sim/pkt/pkt.h"
#include "sim/pkt/pkt_run.h"
#include "tests/scenario_util.h"

#define CORPUS "tests/pkt"

static const char *const linux_names[] = {"linux", "Linux", NULL};
static const char *const bsd_names[] = {"FreeBSD", "freebsd", NULL};

/* A script names its profile by its file name: bsd-*.pkt runs under the
 * bsd profile (and #ifdef sees FreeBSD), as `tcpsim pkt --profile bsd`
 * would run it; every other one under Linux's. */
static bool bsd_script(const char *path)
{
	char *base = g_path_get_basename(path);
	bool bsd = g_str_has_prefix(base, "bsd-");
	g_free(base);
	return bsd;
}

/* Parses and runs a script; asserts that it parsed and that the run could
 * be made.  The outcome is the caller's to clear. */
static void run_text(const char *path, const char *text, struct pkt_outcome *out)
{
	struct pkt_script s;
	bool bsd = bsd_script(path);
	struct pkt_options o = {.profile = bsd ? "bsd" : NULL};
	GError *error = NULL;

	if (!pkt_parse(path, text, strlen(text), bsd ? bsd_names : linux_names, &s, &error))
		g_error("%s does not parse: %s", path, error->message);
	gboolean ok = pkt_run(&s, &o, out, &error);
	g_assert_no_error(error);
	g_assert_true(ok);
	pkt_script_clear(&s);
}

/* ---- the corpus ---- */

static void test_corpus_file(gconstpointer data)
{
	const char *path = data;
	char *text = NULL;
	GError *error = NULL;
	struct pkt_outcome out;

	if (!g_file_get_contents(path, &text, NULL, &error))
		g_error("%s: %s", path, error->message);
	g_assert_true(g_str_has_prefix(text, "//")); /* each says what it checks */
	run_text(path, text, &out);
	if (out.verdict != PKT_PASS) {
		g_test_message("%s: %s\n%s", path, out.verdict == PKT_FAIL ? "FAIL" : "UNSUPPORTED",
		               out.message ? out.message : "");
		g_test_fail_printf("%s did not pass: %s", path, out.message ? out.message : "?");
	}
	pkt_outcome_clear(&out);
	g_free(text);
}

/* g_ptr_array_sort() passes pointers to the elements. */
static int cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Registers one test per script: the list is read at start-up, so a new
 * script is a new test. */
static guint add_corpus(void)
{
	GDir *d = g_dir_open(CORPUS, 0, NULL);
	const char *name;
	GPtrArray *names = g_ptr_array_new();

	g_assert_nonnull(d); /* the tests run from the repository root */
	while ((name = g_dir_read_name(d)))
		if (g_str_has_suffix(name, ".pkt"))
			g_ptr_array_add(names, g_strdup(name));
	g_dir_close(d);
	g_ptr_array_sort(names, cmp_names);
	for (guint i = 0; i < names->len; i++) {
		char *base = g_strdup(names->pdata[i]);
		base[strlen(base) - 4] = '\0';
		char *test = g_strdup_printf("/pkt/corpus/%s", base);
		char *path = g_build_filename(CORPUS, names->pdata[i], NULL); /* kept for the run */
		g_test_add_data_func_full(test, path, test_corpus_file, g_free);
		g_free(test);
		g_free(base);
		g_free(names->pdata[i]);
	}
	guint n = names->len;
	g_ptr_array_free(names, TRUE);
	return n;
}

/* ---- scripts that must fail ---- */

#define ACTIVE_OPEN \
	"    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" \
	"   +0...0.100 connect(3, ..., ...) = 0\n" \
	"   +0 > S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>\n" \
	"  +.1 < S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,TS val 500 ecr 100,nop,wscale 7>\n"

static void assert_fail(const char *text, guint32 line, const char *message)
{
	struct pkt_outcome out;

	run_text("t.pkt", text, &out);
	g_assert_cmpint(out.verdict, ==, PKT_FAIL);
	g_assert_cmpuint(out.line, ==, line);
	g_assert_cmpstr(out.message, ==, message);
	pkt_outcome_clear(&out);
}

/* The ACK of the handshake written as a FIN: the first field that differs. */
static void test_fail_flag(void)
{
	assert_fail(ACTIVE_OPEN "   +0 > F. 1:1(0) ack 1 <nop,nop,TS val 200 ecr 500>\n", 5,
	            "t.pkt:5: error handling packet: live packet field tcp_fin: expected: 1 (0x1) vs "
	            "actual: 0 (0x0)\n"
	            "script packet:  0.100000 F. 1:1(0) ack 1 <nop,nop,TS val 200 ecr 500>\n"
	            "actual packet:  0.100000 . 1:1(0) ack 1 win 512 <nop,nop,TS val 200 ecr 500>");
}

/* The ACK expected 50 ms after the SYN-ACK: it came with it, out of the
 * 4 ms tolerance. */
static void test_fail_timing(void)
{
	assert_fail(ACTIVE_OPEN " +.05 > . 1:1(0) ack 1 <nop,nop,TS val 200 ecr 500>\n", 5,
	            "t.pkt:5: error handling packet: timing error: expected outbound packet at 0.150000 "
	            "sec but happened at 0.100000 sec; tolerance 0.004000 sec\n"
	            "script packet:  0.150000 . 1:1(0) ack 1 <nop,nop,TS val 200 ecr 500>\n"
	            "actual packet:  0.100000 . 1:1(0) ack 1 win 512 <nop,nop,TS val 200 ecr 500>");
}

/* A FIN the model never sends (no close()). */
static void test_fail_missing(void)
{
	assert_fail(ACTIVE_OPEN "   +0 > . 1:1(0) ack 1 <nop,nop,TS val 200 ecr 500>\n"
	                        "  +.1 > F. 1:1(0) ack 1 <...>\n",
	            6, "t.pkt:6: error handling packet: timed out waiting for packet");
}

/* connect() expected to succeed, refused by a reset. */
static void test_fail_return(void)
{
	assert_fail("    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	            "   +0...0.100 connect(3, ..., ...) = 0\n"
	            "   +0 > S 0:0(0) <...>\n"
	            "  +.1 < R. 0:0(0) ack 1 win 0\n",
	            2, "t.pkt:2: runtime error in connect call: Expected result 0 but got -1 with "
	               "errno 111 (Connection refused)");
}

/* The right errno is no failure: the same script with the error expected. */
static void test_pass_errno(void)
{
	struct pkt_outcome out;

	run_text("t.pkt", "    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	                  "   +0...0.100 connect(3, ..., ...) = -1 ECONNREFUSED (Connection refused)\n"
	                  "   +0 > S 0:0(0) <...>\n"
	                  "  +.1 < R. 0:0(0) ack 1 win 0\n",
	         &out);
	g_assert_cmpint(out.verdict, ==, PKT_PASS);
	g_assert_null(out.message);
	pkt_outcome_clear(&out);
}

/* ---- unsupported ---- */

static void assert_unsupported(const char *text, guint32 line, const char *message)
{
	struct pkt_outcome out;

	run_text("t.pkt", text, &out);
	g_assert_cmpint(out.verdict, ==, PKT_UNSUPPORTED);
	g_assert_cmpuint(out.line, ==, line);
	g_assert_cmpstr(out.message, ==, message);
	pkt_outcome_clear(&out);
}

static void test_unsupported_python(void)
{
	assert_unsupported(ACTIVE_OPEN "   +0 %{ assert tcpi_state == 1 }%\n", 5,
	                   "t.pkt:5: unsupported: python code");
}

static void test_unsupported_udp(void)
{
	assert_unsupported("    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	                   "   +0 < udp (100)\n",
	                   2, "t.pkt:2: unsupported: UDP packet");
}

/* ---- the command's exit status ---- */

static char *write_script(const char *dir, const char *name, const char *text)
{
	char *path = g_build_filename(dir, name, NULL);
	GError *error = NULL;

	g_file_set_contents(path, text, -1, &error);
	g_assert_no_error(error);
	return path;
}

static int run_cli(const char *const *args, struct scn_run *run)
{
	GError *error = NULL;

	if (!scn_tcpsim(args, run, &error))
		g_error("%s", error->message);
	return run->status;
}

static void test_cli_status(void)
{
	char *dir = scn_tmpdir();
	char *pass = write_script(dir, "pass.pkt", "    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	                                           "   +0 close(3) = 0\n");
	char *fail = write_script(dir, "fail.pkt", "    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	                                           "   +0 close(3) = -1\n");
	char *unsup = write_script(dir, "unsup.pkt", "    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	                                             "   +0 `true`\n");
	char *bad = write_script(dir, "bad.pkt", "    0 socket(..., SOCK_STREAM, IPPROTO_TCP = 3\n");
	char *missing = g_build_filename(dir, "missing.pkt", NULL);
	struct scn_run run;

	/* 0: every script passed (or was unsupported: that is no failure) */
	g_assert_cmpint(run_cli((const char *const[]){"pkt", pass, NULL}, &run), ==, 0);
	g_assert_true(g_str_has_prefix(run.out, "PASS "));
	scn_run_clear(&run);
	g_assert_cmpint(run_cli((const char *const[]){"pkt", pass, unsup, NULL}, &run), ==, 0);
	g_assert_nonnull(strstr(run.out, "2 scripts: 1 passed, 0 failed, 1 unsupported"));
	scn_run_clear(&run);
	/* the corpus itself */
	g_assert_cmpint(run_cli((const char *const[]){"pkt", "-q", CORPUS "/connect-active-close.pkt",
	                                              CORPUS "/close-remote-fin-then-close.pkt", NULL},
	                        &run), ==, 0);
	scn_run_clear(&run);
	/* 1: one failed */
	g_assert_cmpint(run_cli((const char *const[]){"pkt", pass, fail, NULL}, &run), ==, 1);
	g_assert_nonnull(strstr(run.out, "FAIL "));
	g_assert_nonnull(strstr(run.out, "2 scripts: 1 passed, 1 failed, 0 unsupported"));
	scn_run_clear(&run);
	/* 2: a script that does not parse, one that cannot be read, a bad option, no script */
	g_assert_cmpint(run_cli((const char *const[]){"pkt", bad, NULL}, &run), ==, 2);
	g_assert_nonnull(strstr(run.err, "bad.pkt:1: syntax error"));
	scn_run_clear(&run);
	g_assert_cmpint(run_cli((const char *const[]){"pkt", pass, missing, NULL}, &run), ==, 2);
	g_assert_nonnull(strstr(run.err, "cannot read"));
	scn_run_clear(&run);
	g_assert_cmpint(run_cli((const char *const[]){"pkt", "--no-such-option", pass, NULL}, &run), ==, 2);
	scn_run_clear(&run);
	g_assert_cmpint(run_cli((const char *const[]){"pkt", NULL}, &run), ==, 2);
	scn_run_clear(&run);
	/* 2 wins over 1: a failure and an unreadable script */
	g_assert_cmpint(run_cli((const char *const[]){"pkt", fail, bad, NULL}, &run), ==, 2);
	scn_run_clear(&run);

	scn_rmtree(dir);
	g_free(pass);
	g_free(fail);
	g_free(unsup);
	g_free(bad);
	g_free(missing);
	g_free(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	guint n = add_corpus();
	if (n < 80)
		g_error("tests/pkt/ holds %u scripts: expected at least 80", n);
	g_test_add_func("/pkt/fail/flag", test_fail_flag);
	g_test_add_func("/pkt/fail/timing", test_fail_timing);
	g_test_add_func("/pkt/fail/missing", test_fail_missing);
	g_test_add_func("/pkt/fail/return", test_fail_return);
	g_test_add_func("/pkt/pass/errno", test_pass_errno);
	g_test_add_func("/pkt/unsupported/python", test_unsupported_python);
	g_test_add_func("/pkt/unsupported/udp", test_unsupported_udp);
	g_test_add_func("/pkt/cli/status", test_cli_status);
	return g_test_run();
}
