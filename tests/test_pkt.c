/*
 * The packetdrill runner (tcpsim pkt) against its corpus and against
 * scripts that must fail.
 *
 * /pkt/corpus/NAME        every tests/pkt/NAME.pkt, run in process as its
 *                         own `// tcpsim:` lines say (the Linux profile when
 *                         they name none): it must PASS (a failure names the script and
 *                         prints the runner's message)
 * /pkt/fail/<case>        a deliberately wrong script written here, and the
 *                         exact FAIL message packetdrill's words give for it
 * /pkt/pass/<case>        scripts that must pass (python-bsd: under --profile bsd)
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
#include "sim/pkt/pkt_directive.h"
#include "sim/pkt/pkt_run.h"
#include "tests/scenario_util.h"
#include "tests/tshark.h"

#define CORPUS "tests/pkt"

static const char *const linux_names[] = {"linux", "Linux", NULL};
static const char *const bsd_names[] = {"FreeBSD", "freebsd", NULL};

/* Parses and runs a script as `tcpsim pkt [--set SET]... FILE` would:
 * under the profile, settings and names of its own `// tcpsim:` lines
 * (pkt_directive.h), Linux when it names none, then sets; asserts that it
 * parsed and that the run could be made.  The outcome is the caller's to
 * clear. */
static void run_script(const char *path, const char *text, const char *const *sets, struct pkt_outcome *out)
{
	struct pkt_script s;
	struct pkt_directive d;
	GError *error = NULL;

	if (!pkt_directive_read(path, text, &d, &error))
		g_error("%s", error->message);
	for (; sets && *sets; sets++)
		g_ptr_array_add(d.sets, g_strdup(*sets));
	g_ptr_array_add(d.sets, NULL);
	g_ptr_array_add(d.defines, NULL);
	char **defined = pkt_defined_names(d.profile, (const char *const *)d.defines->pdata, NULL);
	struct pkt_options o = {.profile = d.profile, .sets = (const char *const *)d.sets->pdata};
	if (!pkt_parse(path, text, strlen(text), (const char *const *)defined, &s, &error))
		g_error("%s does not parse: %s", path, error->message);
	gboolean ok = pkt_run(&s, &o, out, &error);
	g_assert_no_error(error);
	g_assert_true(ok);
	pkt_script_clear(&s);
	g_strfreev(defined);
	pkt_directive_clear(&d);
}

/* The scripts written here pin the textbook times (an RTO of exactly
 * 200 ms, SYNs at 1, 3, 7 s): `tcpsim pkt --set timers=exact`. */
static void run_text(const char *path, const char *text, struct pkt_outcome *out)
{
	static const char *const exact[] = {"timers=exact", NULL};
	run_script(path, text, exact, out);
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
	run_script(path, text, NULL, &out);
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
	"   +0 > S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 10>\n" \
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
	            "actual packet:  0.100000 . 1:1(0) ack 1 win 63 <nop,nop,TS val 200 ecr 500>");
}

/* The ACK expected 50 ms after the SYN-ACK: it came with it, out of the
 * tolerance: 12.5% of the 50 ms since the line before (packetdrill's
 * default --tolerance_percent), more than the 4 ms of --tolerance_usecs. */
static void test_fail_timing(void)
{
	assert_fail(ACTIVE_OPEN " +.05 > . 1:1(0) ack 1 <nop,nop,TS val 200 ecr 500>\n", 5,
	            "t.pkt:5: error handling packet: timing error: expected outbound packet at 0.150000 "
	            "sec but happened at 0.100000 sec; tolerance 0.006250 sec\n"
	            "script packet:  0.150000 . 1:1(0) ack 1 <nop,nop,TS val 200 ecr 500>\n"
	            "actual packet:  0.100000 . 1:1(0) ack 1 win 63 <nop,nop,TS val 200 ecr 500>");
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

/* A %{ }% assert that does not hold: Python's words, at the block's line
 * (packetdrill's excepthook), and the statement's own line. */
static void test_fail_python(void)
{
	assert_fail(ACTIVE_OPEN "   +0 > . 1:1(0) ack 1 <nop,nop,TS val 200 ecr 500>\n"
	                        "   +0 %{ assert tcpi_state == TCP_ESTABLISHED; \\\n"
	                        "         assert tcpi_snd_cwnd == 9, tcpi_snd_cwnd }%\n",
	            6, "t.pkt:6: error in Python code\n"
	               "Traceback (most recent call last):\n"
	               "  File \"t.pkt\", line 7\n"
	               "    assert tcpi_snd_cwnd == 9, tcpi_snd_cwnd\n"
	               "AssertionError: 10");
}

/* The blocks run once the script is over (packetdrill's code_execute()):
 * a later line's failure is the verdict, the block's snapshot is of its
 * own time (SYN_SENT, 2), not of the end. */
static void test_fail_python_order(void)
{
	assert_fail("    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	            "   +0...0.100 connect(3, ..., ...) = 0\n"
	            "   +0 %{ assert tcpi_state == TCP_ESTABLISHED, tcpi_state }%\n"
	            "   +0 > S 0:0(0) <...>\n"
	            "  +.1 < S. 0:0(0) ack 1 win 65535 <mss 1460>\n"
	            "   +0 > F. 1:1(0) ack 1\n",
	            6, "t.pkt:6: error handling packet: live packet field tcp_fin: expected: 1 (0x1) vs "
	               "actual: 0 (0x0)\n"
	               "script packet:  0.100000 F. 1:1(0) ack 1\n"
	               "actual packet:  0.100000 . 1:1(0) ack 1 win 64240");
	assert_fail("    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	            "   +0...0.100 connect(3, ..., ...) = 0\n"
	            "   +0 %{ assert tcpi_state == TCP_ESTABLISHED, tcpi_state }%\n"
	            "   +0 > S 0:0(0) <...>\n"
	            "  +.1 < S. 0:0(0) ack 1 win 65535 <mss 1460>\n"
	            "   +0 > . 1:1(0) ack 1\n",
	            3, "t.pkt:3: error in Python code\n"
	               "Traceback (most recent call last):\n"
	               "  File \"t.pkt\", line 3\n"
	               "    assert tcpi_state == TCP_ESTABLISHED, tcpi_state\n"
	               "AssertionError: 2");
}

/* packetdrill's run_code_event(): a block needs a socket under test with
 * a descriptor: none before socket(), none for a child not accepted yet,
 * none once closed. */
static void test_fail_python_no_socket(void)
{
	assert_fail("    0 %{ assert 1 }%\n"
	            "   +0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n",
	            1, "t.pkt:1: runtime error in code: no socket to use for code");
	assert_fail("    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	            "   +0 bind(3, ..., ...) = 0\n"
	            "   +0 listen(3, 1) = 0\n"
	            "   +0 < S 0:0(0) win 32792 <mss 1000>\n"
	            "   +0 %{ assert 1 }%\n",
	            5, "t.pkt:5: runtime error in code: can't find getsockopt to get TCP info");
	assert_fail("    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	            "   +0 close(3) = 0\n"
	            "   +0 %{ assert 1 }%\n",
	            3, "t.pkt:3: runtime error in code: can't find getsockopt to get TCP info");
}

/* Runs text under the bsd profile (#ifdef FreeBSD). */
static void run_bsd(const char *text, struct pkt_outcome *out)
{
	struct pkt_script s;
	struct pkt_options o = {.profile = "bsd"};
	GError *error = NULL;

	if (!pkt_parse("t.pkt", text, strlen(text), bsd_names, &s, &error))
		g_error("does not parse: %s", error->message);
	gboolean ok = pkt_run(&s, &o, out, &error);
	g_assert_no_error(error);
	g_assert_true(ok);
	pkt_script_clear(&s);
}

/* Under --profile bsd a block sees FreeBSD's tcpi_state numbers
 * (TCPS_CLOSED 0, TCPS_SYN_SENT 2, TCPS_ESTABLISHED 4; the FreeBSD
 * suite's rst-syn-sent.pkt asserts the first two) and the TCPI_ names
 * nplab's packetdrill gives them (rcv-rst-closed-*.pkt: TCPI_CLOSED). */
static void test_python_bsd(void)
{
	const char *text = "    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	                   "   +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
	                   "   +0 %{ assert tcpi_state == 0, tcpi_state }%\n"
	                   "   +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
	                   "   +0 %{ assert tcpi_state == 2, tcpi_state }%\n"
	                   "   +0 > S 0:0(0) <...>\n"
	                   "  +.1 < S. 0:0(0) ack 1 win 65535 <mss 1460>\n"
	                   "   +0 > . 1:1(0) ack 1\n"
	                   "   +0 %{ assert tcpi_state == 4, tcpi_state }%\n";
	struct pkt_outcome out;
	run_bsd(text, &out);
	if (out.verdict != PKT_PASS)
		g_error("under bsd: %s", out.message);
	pkt_outcome_clear(&out);
	/* the same script under Linux: a new socket is TCP_CLOSE, 7 */
	assert_fail(text, 3, "t.pkt:3: error in Python code\n"
	                     "Traceback (most recent call last):\n"
	                     "  File \"t.pkt\", line 3\n"
	                     "    assert tcpi_state == 0, tcpi_state\n"
	                     "AssertionError: 7");
	run_bsd("    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	        "   +0 %{ assert tcpi_state == TCP_CLOSE }%\n", &out);
	g_assert_cmpint(out.verdict, ==, PKT_UNSUPPORTED);
	g_assert_cmpstr(out.message, ==, "t.pkt:2: unsupported: python: the name TCP_CLOSE (FreeBSD's "
	                                 "packetdrill does not define it)");
	pkt_outcome_clear(&out);
	run_bsd("    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	        "   +0 bind(3, ..., ...) = 0\n"
	        "  +.1 < R 0:0(0) win 32767\n"
	        "  +.1 %{ assert tcpi_state == TCPI_CLOSED }%\n"
	        "   +0 %{ assert tcpi_state != TCPI_ESTABLISHED }%\n", &out);
	if (out.verdict != PKT_PASS)
		g_error("TCPI_CLOSED under bsd: %s", out.message);
	pkt_outcome_clear(&out);
}

/* A script fd is known from socket() to close() (packetdrill's
 * to_live_fd()): the second close() of it names nothing. */
static void test_fail_fd_closed(void)
{
	assert_fail("    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	            "   +0 close(3) = 0\n"
	            "   +0 close(3) = -1 EBADF (Bad file descriptor)\n",
	            3, "t.pkt:3: runtime error in close call: unable to find fd with script fd 3");
}

/* A call on a number no socket() gave. */
static void test_fail_fd_unknown(void)
{
	assert_fail("    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 4\n"
	            "   +0 listen(3, 1) = 0\n",
	            2, "t.pkt:2: runtime error in listen call: unable to find fd with script fd 3");
}

/* socket() = N while N is open: packetdrill's check_duplicate_fd(). */
static void test_fail_fd_duplicate(void)
{
	assert_fail("    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 4\n"
	            "   +0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 4\n",
	            2, "t.pkt:2: runtime error in socket call: duplicate fd 4 in script");
}

/* accept() = 4 is any descriptor, but a descriptor (CHECK_FD). */
static void test_fail_fd_expected(void)
{
	assert_fail("    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	            "   +0 bind(3, ..., ...) = 0\n"
	            "   +0 listen(3, 1) = 0\n"
	            "   +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
	            "   +0 accept(3, ..., ...) = 4\n",
	            5, "t.pkt:5: runtime error in accept call: Expected non-negative result but got -1 "
	               "with errno 11 (Resource temporarily unavailable)");
}

/* --tcp_ts_tick_usecs: a TS val 10 ticks off, beyond the 4 ms tolerance. */
static void test_fail_ts_val(void)
{
	assert_fail("--tcp_ts_tick_usecs=1000\n" ACTIVE_OPEN
	            "   +0 > . 1:1(0) ack 1 <nop,nop,TS val 210 ecr 500>\n",
	            6, "t.pkt:6: error handling packet: bad outbound TCP timestamp value, tolerance 4000\n"
	               "script packet:  0.100000 . 1:1(0) ack 1 <nop,nop,TS val 210 ecr 500>\n"
	               "actual packet:  0.100000 . 1:1(0) ack 1 win 63 <nop,nop,TS val 200 ecr 500>");
	/* without it, TS val is not checked */
	struct pkt_outcome out;
	run_text("t.pkt", ACTIVE_OPEN "   +0 > . 1:1(0) ack 1 <nop,nop,TS val 210 ecr 500>\n", &out);
	g_assert_cmpint(out.verdict, ==, PKT_PASS);
	pkt_outcome_clear(&out);
}

/* --tolerance_percent=0: only --tolerance_usecs, and the SYN retransmitted
 * 100 ms before the script's 1.1 s is late. */
static void test_fail_tolerance_percent(void)
{
	assert_fail("--tolerance_percent=0\n"
	            "    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	            "   +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
	            "   +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
	            "   +0 > S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 10>\n"
	            " +1.1 > S 0:0(0) <...>\n",
	            6, "t.pkt:6: error handling packet: timing error: expected outbound packet at 1.100000 "
	               "sec but happened at 1.000000 sec; tolerance 0.004000 sec\n"
	               "script packet:  1.100000 S 0:0(0) <...>\n"
	               "actual packet:  1.000000 S 0:0(0) win 64240 <mss 1460,sackOK,TS val 1100 ecr 0,nop,"
	               "wscale 10>");
}

/* tests/pkt/opt-mss-gso-inbound.pkt without its --mss line: the 1200-byte
 * packet is one segment, and its ACK waits for the delayed-ACK timer. */
static void test_fail_without_mss(void)
{
	char *text = NULL;
	g_assert_true(g_file_get_contents(CORPUS "/opt-mss-gso-inbound.pkt", &text, NULL, NULL));
	char *at = strstr(text, "--mss=1000\n");
	g_assert_nonnull(at);
	memset(at, ' ', strlen("--mss=1000"));
	struct pkt_outcome out;
	run_text("t.pkt", text, &out);
	g_assert_cmpint(out.verdict, ==, PKT_FAIL);
	g_assert_nonnull(strstr(out.message, "expected outbound packet at 0.540000 sec but happened at "
	                                     "0.580000 sec"));
	pkt_outcome_clear(&out);
	g_free(text);
}

/* A value packetdrill refuses is bad input: no run, an error naming it. */
static void test_bad_option_value(void)
{
	struct pkt_script s;
	struct pkt_options o = {0};
	struct pkt_outcome out;
	GError *error = NULL;
	const char *text = "--mss=0\n    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n";
	g_assert_true(pkt_parse("t.pkt", text, strlen(text), linux_names, &s, &error));
	g_assert_false(pkt_run(&s, &o, &out, &error));
	g_assert_error(error, PKT_ERROR, PKT_ERROR_SYNTAX);
	g_assert_cmpstr(error->message, ==, "t.pkt:1: bad --mss: 0");
	g_clear_error(&error);
	pkt_script_clear(&s);
	/* an MTU below IPv4's 68 (RFC 791) */
	text = "--mtu=67\n    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n";
	g_assert_true(pkt_parse("t.pkt", text, strlen(text), linux_names, &s, &error));
	g_assert_false(pkt_run(&s, &o, &out, &error));
	g_assert_error(error, PKT_ERROR, PKT_ERROR_SYNTAX);
	g_assert_cmpstr(error->message, ==, "t.pkt:1: bad --mtu: 67");
	g_clear_error(&error);
	/* the command line's win over the script's */
	const char *const cli[] = {"tcp_ts_tick_usecs=-1", NULL};
	o.header_opts = cli;
	text = "    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n";
	pkt_script_clear(&s);
	g_assert_true(pkt_parse("t.pkt", text, strlen(text), linux_names, &s, &error));
	g_assert_false(pkt_run(&s, &o, &out, &error));
	g_assert_cmpstr(error->message, ==, "bad --tcp_ts_tick_usecs: -1");
	g_clear_error(&error);
	pkt_script_clear(&s);
}

/* A super-packet line the model's segments do not make exactly (1448 +
 * 1448 bytes went at once, not 2000): no merge, the first segment is
 * checked as it is. */
static void test_fail_tso_split(void)
{
	assert_fail(ACTIVE_OPEN "   +0 > . 1:1(0) ack 1 <nop,nop,TS val 200 ecr 500>\n"
	                        "  +.1 write(3, ..., 3000) = 3000\n"
	                        "   +0 > P. 1:2001(2000) ack 1 <nop,nop,TS val 300 ecr 500>\n",
	            7, "t.pkt:7: error handling packet: live packet field ipv4_total_length: expected: 2052 "
	               "(0x804) vs actual: 1500 (0x5dc)\n"
	               "script packet:  0.200000 P. 1:2001(2000) ack 1 <nop,nop,TS val 300 ecr 500>\n"
	               "actual packet:  0.200000 . 1:1449(1448) ack 1 win 63 <nop,nop,TS val 300 ecr 500>");
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
	assert_unsupported(ACTIVE_OPEN "   +0 %{ assert tcpi_ca_state == TCP_CA_Open }%\n", 5,
	                   "t.pkt:5: unsupported: python: tcpi_ca_state (the model does not keep it)");
	assert_unsupported(ACTIVE_OPEN "   +0 %{ import os }%\n", 5,
	                   "t.pkt:5: unsupported: python: the statement `import`");
}

static void test_unsupported_options(void)
{
	assert_unsupported("--ip_version=ipv6\n    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n", 1,
	                   "t.pkt:1: unsupported: option --ip_version=ipv6 (the model is IPv4 only)");
	assert_unsupported("--speed=1000\n    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n", 1,
	                   "t.pkt:1: unsupported: option --speed");
}

/* rep of a field the model's world cannot carry changed, and rep of an
 * outbound line (packetdrill's fuzzing mode alone defines it). */
static void test_unsupported_fuzz_rep(void)
{
	assert_unsupported(ACTIVE_OPEN "   +0 < . 1:1(0) ack 1 win 257 {rep ipv4 version_ihl 0x35}\n", 5,
	                   "t.pkt:5: unsupported: fuzz annotation {rep ipv4 version_ihl} (the model's world "
	                   "carries only TCP ports, sequence and acknowledgment numbers and window replaced)");
	assert_unsupported(ACTIVE_OPEN "   +0 > . 1:1(0) ack 1 {rep tcp win_size 1}\n", 5,
	                   "t.pkt:5: unsupported: fuzz annotation {rep tcp win_size} of an outbound packet");
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

/* tests/pkt/timewait-paws.pkt's capture as Wireshark reads it (--out):
 * TIME_WAIT's answers (after the first ACK of the FIN, which the full
 * socket sends) carry IP ID 0 and echo TS.Recent: 700 for the ACK from
 * the past and the FIN retransmitted after the reset from the past (PAWS
 * moved nothing back), 1000 once a newer in-window ACK moved it; the
 * client's own segments count their IDs on.  Nothing of ours is more
 * than a note to Wireshark's expert. */
static void test_cli_time_wait_paws_capture(void)
{
	static const char *const fields[] = {"ip.src", "ip.id", "tcp.flags",
					     "tcp.options.timestamp.tsecr",
					     "_ws.expert.severity", NULL};
	char *dir = scn_tmpdir();
	char *pcap = g_build_filename(dir, "timewait-paws", "trace.pcap", NULL);
	struct scn_run run;
	GError *error = NULL;
	GString *ours = g_string_new(NULL);

	g_assert_cmpint(run_cli((const char *const[]){"pkt", "-q", "--out", dir,
	                                              CORPUS "/timewait-paws.pkt", NULL}, &run), ==, 0);
	scn_run_clear(&run);
	char **lines = tshark_fields(pcap, NULL, fields, &error);
	g_assert_no_error(error);
	for (char **l = lines; l && *l; l++) {
		char **f = g_strsplit(*l, "\t", -1);
		char **sev = g_strsplit(f[4], ",", -1);

		/* ours: from 192.168.0.1, packetdrill's local address (the
		 * script's reset, from 192.0.2.1, is Wireshark's warning) */
		if (strcmp(f[0], "192.168.0.1") == 0) {
			g_string_append_printf(ours, "%s %s %s\n", f[1], f[2], f[3]);
			for (char **v = sev; *v && **v; v++) /* PI_NOTE = 0x00400000 */
				g_assert_cmpuint(g_ascii_strtoull(*v, NULL, 10), <=, 0x00400000);
		}
		g_strfreev(sev);
		g_strfreev(f);
	}
	g_assert_cmpstr(ours->str, ==,
	                "0x0000 0x0002 0\n"      /* SYN */
	                "0x0001 0x0010 500\n"    /* the handshake's ACK */
	                "0x0002 0x0011 500\n"    /* our FIN */
	                "0x0003 0x0010 700\n"    /* the ACK of the peer's FIN, from the socket */
	                "0x0000 0x0010 700\n"    /* the ACK from the past answered */
	                "0x0000 0x0010 700\n"    /* the FIN again, after the old reset */
	                "0x0000 0x0010 1000\n"); /* after the newer ACK */
	g_strfreev(lines);
	g_string_free(ours, TRUE);
	/* --out keeps the run's report too, whose command reruns the script */
	char *report = g_build_filename(dir, "timewait-paws", "report.html", NULL), *html = NULL;
	g_assert_true(g_file_get_contents(report, &html, NULL, NULL));
	g_assert_nonnull(strstr(html, "tcpsim pkt " CORPUS "/timewait-paws.pkt<"));
	g_free(html);
	g_free(report);
	scn_rmtree(dir);
	g_free(pcap);
	g_free(dir);
}

/* A script's `// tcpsim:` line says how it is run; the command line wins
 * over it (pkt_cli.c); a line it cannot read is a script not run. */
static void test_cli_directive(void)
{
	char *dir = scn_tmpdir();
	char *bad = write_script(dir, "bad.pkt", "// says what it checks\n"
	                                         "// tcpsim: --profile bsd --out x\n"
	                                         "    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
	char *svg = g_build_filename(dir, "d.svg", NULL);
	struct scn_run run;

	/* its own line: exact timers and the bsd profile, with nothing said */
	g_assert_cmpint(run_cli((const char *const[]){"pkt", "-q", CORPUS "/synack-retransmit.pkt",
	                                              CORPUS "/bsd-closing-ack-carries-fin.pkt", NULL}, &run), ==, 0);
	g_assert_cmpstr(run.out, ==, "2 scripts: 2 passed, 0 failed, 0 unsupported\n");
	scn_run_clear(&run);
	/* the command line's --set and --profile win */
	g_assert_cmpint(run_cli((const char *const[]){"pkt", "-q", "--set", "timers=kernel",
	                                              CORPUS "/synack-retransmit.pkt", NULL}, &run), ==, 1);
	g_assert_nonnull(strstr(run.out, "1 script: 0 passed, 1 failed, 0 unsupported"));
	scn_run_clear(&run);
	g_assert_cmpint(run_cli((const char *const[]){"pkt", "--profile", "linux",
	                                              CORPUS "/bsd-closing-ack-carries-fin.pkt", NULL}, &run), ==, 1);
	g_assert_nonnull(strstr(run.out, "live packet field tcp_fin: expected: 1 (0x1) vs actual: 0 (0x0)"));
	scn_run_clear(&run);
	/* an option a script may not give */
	g_assert_cmpint(run_cli((const char *const[]){"pkt", bad, NULL}, &run), ==, 2);
	g_assert_nonnull(strstr(run.err, "bad.pkt:2: tcpsim: --out: not an option a script may give"));
	scn_run_clear(&run);
	/* --diagram: one script's sequence diagram, as `tcpsim run --diagram` */
	g_assert_cmpint(run_cli((const char *const[]){"pkt", "-q", "--diagram", svg,
	                                              CORPUS "/connect-active-close.pkt", NULL}, &run), ==, 0);
	g_assert_cmpstr(run.out, ==, "1 script: 1 passed, 0 failed, 0 unsupported\n");
	char *text = NULL;
	g_assert_true(g_file_get_contents(svg, &text, NULL, NULL));
	g_assert_nonnull(strstr(text, "<svg"));
	g_free(text);
	scn_run_clear(&run);
	g_assert_cmpint(run_cli((const char *const[]){"pkt", "--diagram", svg, CORPUS "/connect-active-close.pkt",
	                                              CORPUS "/connect-active-close.pkt", NULL}, &run), ==, 2);
	g_assert_nonnull(strstr(run.err, "--diagram: one script only"));
	scn_run_clear(&run);

	scn_rmtree(dir);
	g_free(bad);
	g_free(svg);
	g_free(dir);
}

static void test_cli_status(void)
{
	char *dir = scn_tmpdir();
	char *pass = write_script(dir, "pass.pkt", "    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	                                           "   +0 close(3) = 0\n");
	char *fail = write_script(dir, "fail.pkt", "    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	                                           "   +0 close(3) = -1\n");
	char *unsup = write_script(dir, "unsup.pkt", "    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	                                             "   +0 `uname -a`\n");
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
	/* packetdrill's options on the command line: they win over the script's */
	g_assert_cmpint(run_cli((const char *const[]){"pkt", "--mss", "0", pass, NULL}, &run), ==, 2);
	g_assert_nonnull(strstr(run.err, "bad --mss: 0"));
	scn_run_clear(&run);
	g_assert_cmpint(run_cli((const char *const[]){"pkt", "--tolerance_percent", "0",
	                                              CORPUS "/opt-tolerance-percent.pkt", NULL}, &run), ==, 1);
	g_assert_nonnull(strstr(run.out, "tolerance 0.004000 sec"));
	scn_run_clear(&run);
	g_assert_cmpint(run_cli((const char *const[]){"pkt", "--tcp_ts_tick_usecs", "1000", "--bind_port", "8080",
	                                              "--connect_port", "8080", "--mss", "1000",
	                                              CORPUS "/opt-mss-gso-inbound.pkt", NULL}, &run), ==, 0);
	scn_run_clear(&run);

	scn_rmtree(dir);
	g_free(pass);
	g_free(fail);
	g_free(unsup);
	g_free(bad);
	g_free(missing);
	g_free(dir);
}

/* ---- shell lines ---- */

/* Runs a script under a profile, from `path` (its folder is where its
 * shell lines start). */
static void run_profile(const char *path, const char *text, const char *profile, struct pkt_outcome *out)
{
	struct pkt_script s;
	struct pkt_options o = {.profile = profile};
	GError *error = NULL;
	bool bsd = profile && strcmp(profile, "bsd") == 0;

	if (!pkt_parse(path, text, strlen(text), bsd ? bsd_names : linux_names, &s, &error))
		g_error("%s does not parse: %s", path, error->message);
	g_assert_true(pkt_run(&s, &o, out, &error));
	g_assert_no_error(error);
	pkt_script_clear(&s);
}

static void assert_outcome(const char *text, const char *profile, enum pkt_verdict v, const char *message)
{
	struct pkt_outcome out;

	run_profile("t.pkt", text, profile, &out);
	if (out.verdict != v || g_strcmp0(out.message, message) != 0)
		g_error("verdict %d, message: %s", out.verdict, out.message ? out.message : "(none)");
	pkt_outcome_clear(&out);
}

#define PASSIVE_OPEN \
	"    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" \
	"   +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n" \
	"   +0 bind(3, ..., ...) = 0\n" \
	"   +0 listen(3, 1) = 0\n" \
	"   +0 < S 0:0(0) win 65535 <mss 1460,nop,wscale 7>\n" \
	"   +0 > S. 0:0(0) ack 1 <...>\n" \
	"  +.1 < . 1:1(0) ack 1 win 512\n" \
	"   +0 accept(3, ..., ...) = 4\n"

#define SOCKSTAT "sockstat -s -P tcp -p 8080 | grep packetdril | awk '{print $4, $8}'"

/* FreeBSD's sockstat lists the packetdrill process's sockets by
 * descriptor, with FreeBSD's state names; a connection reset under a
 * descriptor still open stays, CLOSED (tcp_close() keeps the pcb until
 * close()). */
static void test_shell_sockstat(void)
{
	assert_outcome(PASSIVE_OPEN "   +0 `" SOCKSTAT " | grep -x '3 LISTEN'`\n"
	               "   +0 `" SOCKSTAT " | grep -x '4 ESTABLISHED'`\n"
	               "  +.1 < R. 1:1(0) ack 1 win 512\n"
	               "   +0 `" SOCKSTAT " | grep -x '4 CLOSED'`\n"
	               "   +0 close(4) = 0\n"
	               "   +0 `" SOCKSTAT " | wc -l | grep -x 1`\n",
	               "bsd", PKT_PASS, NULL);
	assert_outcome(PASSIVE_OPEN "   +0 `" SOCKSTAT " | grep -x '4 CLOSED'`\n", "bsd", PKT_FAIL,
	               "t.pkt:9: error executing `" SOCKSTAT " | grep -x '4 CLOSED'` command: non-zero status 1");
}

/* tcpdrop (FreeBSD tcp_drop()) resets from LAST_ACK too, where Linux's
 * tcp_abort() would not; a 4-tuple with no connection exits 1. */
static void test_shell_tcpdrop(void)
{
	assert_outcome(PASSIVE_OPEN "  +.1 < F. 1:1(0) ack 1 win 512\n"
	               "    * > . 1:1(0) ack 2 <...>\n"
	               "   +0 close(4) = 0\n"
	               "   +0 > F. 1:1(0) ack 2 <...>\n"
	               "  +.1 `tcpdrop 192.168.0.1 8080 192.0.2.1 45000`\n"
	               "   +0 > R. 2:2(0) ack 2 <...>\n"
	               "   +0 `tcpdrop 192.168.0.1:8080 192.0.2.1:45000`\n",
	               "bsd", PKT_FAIL,
	               "t.pkt:15: error executing `tcpdrop 192.168.0.1:8080 192.0.2.1:45000` command: non-zero "
	               "status 1");
	/* -a: every connection but the listeners; a blocked read returns the error */
	assert_outcome(PASSIVE_OPEN "   +0...0.100 read(4, ..., 1000) = -1 ECONNABORTED (Software caused connection abort)\n"
	               "  +.1 `tcpdrop -a | grep -c dropped | grep -x 1`\n"
	               "   +0 > R. 1:1(0) ack 1 <...>\n"
	               "   +0 `" SOCKSTAT " | grep -x '3 LISTEN'`\n"
	               "   +0 read(4, ..., 1000) = 0\n",
	               "bsd", PKT_PASS, NULL);
}

/* Each tool is its own system's; what the model cannot do is named. */
static void test_shell_unsupported(void)
{
	assert_outcome(PASSIVE_OPEN "   +0 `sockstat -s | grep CLOSED`\n", NULL, PKT_UNSUPPORTED,
	               "t.pkt:9: unsupported: shell command `sockstat -s`: `sockstat` is FreeBSD's; the profile "
	               "is linux");
	assert_outcome(PASSIVE_OPEN "   +0 `tc qdisc add dev tun0 root pfifo limit 0`\n", NULL, PKT_UNSUPPORTED,
	               "t.pkt:9: unsupported: shell command `tc qdisc add dev tun0 root pfifo limit 0`: a traffic "
	               "control other than a plain FIFO on tun0 (the model has no qdisc: a local drop or delay is "
	               "not loss on the wire)");
	/* a setting while the script runs: the next connect() retries its
	 * SYN twice (tcp_syn_retries; linear 1 s timeouts, Linux 6.5's
	 * tcp_syn_linear_timeouts), then fails, where 6 would go on */
	assert_outcome("    0 `sysctl -q net.ipv4.tcp_syn_retries=6`\n"
	               "   +0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	               "   +0 `sysctl -q net.ipv4.tcp_syn_retries=2`\n"
	               "   +0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 4\n"
	               "   +0 fcntl(4, F_SETFL, O_RDWR | O_NONBLOCK) = 0\n"
	               "   +0 connect(4, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
	               "   +0 > S 0:0(0) <...>\n"
	               "    1 > S 0:0(0) <...>\n"
	               "    2 > S 0:0(0) <...>\n"
	               "   12 getsockopt(4, SOL_SOCKET, SO_ERROR, [ETIMEDOUT], [4]) = 0\n", NULL, PKT_PASS, NULL);
	assert_outcome("`./missing.sh`\n" PASSIVE_OPEN, NULL, PKT_UNSUPPORTED,
	               "t.pkt:1: unsupported: shell command `./missing.sh`: ./missing.sh: no such file");
	assert_outcome("`sysctl -q net.ipv4.tcp_ecn=3`\n" PASSIVE_OPEN, NULL, PKT_UNSUPPORTED,
	               "t.pkt:1: unsupported: shell command `sysctl -q net.ipv4.tcp_ecn=3`: net.ipv4.tcp_ecn=3: the "
	               "model takes 0 (no ECN), 1 (ask and answer) or 2 (answer); 3 and up are Accurate ECN's, "
	               "which it has not");
	assert_outcome("`sysctl -q net.ipv4.tcp_frto=2`\n" PASSIVE_OPEN, "bsd", PKT_UNSUPPORTED,
	               "t.pkt:1: unsupported: shell command `sysctl -q net.ipv4.tcp_frto=2`: net.ipv4.tcp_frto=2: not "
	               "a value the model follows (no such setting); it follows 0 (no F-RTO: after an RTO the "
	               "model resends from SND.UNA); 2 (F-RTO (RFC 5682): Linux's default; the model has none, "
	               "under the linux profile)");
	assert_outcome("`sysctl -q net.ipv4.tcp_congestion_control=bbr`\n" PASSIVE_OPEN, NULL, PKT_UNSUPPORTED,
	               "t.pkt:1: unsupported: shell command `sysctl -q net.ipv4.tcp_congestion_control=bbr`: "
	               "net.ipv4.tcp_congestion_control=bbr: the model's congestion controls are cubic, reno "
	               "and newreno");
	assert_outcome("`sysctl -q net.ipv4.tcp_sack=1 > /tmp/log`\n" PASSIVE_OPEN, NULL, PKT_UNSUPPORTED,
	               "t.pkt:1: unsupported: shell command `sysctl -q net.ipv4.tcp_sack=1 > /tmp/log`: a "
	               "redirection to /tmp/log");
	assert_outcome(PASSIVE_OPEN "   +0 `echo $HOME`\n", NULL, PKT_UNSUPPORTED,
	               "t.pkt:9: unsupported: shell command `$HOME`: $HOME: a variable the script does not set "
	               "(the environment's)");
}

/* A helper that picks its system's settings by uname, run as packetdrill
 * runs it (system(3) in packetdrill's folder: here a folder that is not
 * the script's): `if` takes the branch of the profile's system, the other
 * branch is never read for what it runs. */
static void test_shell_if_uname(void)
{
	char *dir = scn_tmpdir();
	char *sub = g_build_filename(dir, "scripts", NULL);
	char *cases = g_build_filename(dir, "testcases", NULL);
	g_assert_cmpint(g_mkdir(sub, 0700), ==, 0);
	g_assert_cmpint(g_mkdir(cases, 0700), ==, 0);
	char *defaults = write_script(sub, "defaults.sh",
	                              "#!/bin/sh\nos=$(uname -o)\nif [ \"$os\" == \"GNU/Linux\" ]; then\n"
	                              "  . scripts/defaults-linux.sh\nelif [ \"$os\" == \"FreeBSD\" ]; then\n"
	                              "  . scripts/defaults-freebsd.sh\nfi\n");
	char *lin = write_script(sub, "defaults-linux.sh",
	                         "if [ `uname` != Linux ]; then no-such-command; fi\n"
	                         "sysctl -q net.ipv4.tcp_sack=0 net.ipv4.tcp_window_scaling=0\n");
	char *bsd = write_script(sub, "defaults-freebsd.sh", "kldload tcp_rack\n");
	char *unclosed = write_script(sub, "unclosed.sh", "if [ a = a ]; then\n  true\n");
	char *script = g_build_filename(cases, "t.pkt", NULL);
	char *cwd = g_get_current_dir();
	struct pkt_outcome out;

	g_assert_cmpint(g_chdir(dir), ==, 0);
	run_profile(script,
	            "`scripts/defaults.sh`\n    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n   +0 bind(3, ..., ...) = 0\n"
	            "   +0 listen(3, 1) = 0\n   +0 < S 0:0(0) win 65535 <mss 1460,sackOK,nop,wscale 7>\n"
	            "   +0 > S. 0:0(0) ack 1 <mss 1460>\n",
	            NULL, &out);
	if (out.verdict != PKT_PASS)
		g_error("%s", out.message);
	pkt_outcome_clear(&out);
	run_profile(script, "`scripts/defaults.sh`\n" PASSIVE_OPEN, "bsd", &out);
	g_assert_cmpint(out.verdict, ==, PKT_UNSUPPORTED);
	g_assert_nonnull(strstr(out.message, "scripts/defaults-freebsd.sh:1: `kldload tcp_rack`: `kldload`: a "
	                                     "command tcpsim does not know"));
	pkt_outcome_clear(&out);
	run_profile(script, "`sh scripts/unclosed.sh`\n" PASSIVE_OPEN, NULL, &out);
	g_assert_cmpint(out.verdict, ==, PKT_UNSUPPORTED);
	g_assert_nonnull(strstr(out.message, "scripts/unclosed.sh: an if without its fi"));
	pkt_outcome_clear(&out);
	g_assert_cmpint(g_chdir(cwd), ==, 0);

	g_free(cwd);
	g_free(script);
	g_free(defaults);
	g_free(lin);
	g_free(bsd);
	g_free(unclosed);
	g_free(sub);
	g_free(cases);
	scn_rmtree(dir);
	g_free(dir);
}

/* A file is known by what it says: packetdrill's set_sysctls.py sets
 * /proc/sys values (here the SYN-ACK's window scale goes), another
 * python program is refused; a shell file's lines are read in turn. */
static void test_shell_files(void)
{
	char *dir = scn_tmpdir();
	char *py = write_script(dir, "set.py", "#!/usr/bin/env python3\n"
	                                       "\"\"\"Sets sysctl values and writes a file that restores them.\n"
	                                       "The arguments are of the form \"<proc-file>=<val>\"\n\"\"\"\n");
	char *other = write_script(dir, "other.py", "#!/usr/bin/python\nprint('hello')\n");
	char *sh = write_script(dir, "d.sh", "# no shebang: sh runs it\n\nsysctl -w net.ipv4.tcp_sack=$((1 - 1))\n"
	                                     "./set.py /proc/sys/net/ipv4/tcp_window_scaling=0 # comment\n");
	char *script = g_build_filename(dir, "t.pkt", NULL);
	char *msg = g_strdup_printf("%s:1: unsupported: shell command `./other.py`: ./other.py: a python program "
	                            "(not packetdrill's set_sysctls.py)", script);
	struct pkt_outcome out;

	run_profile(script,
	            "`./d.sh`\n    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n   +0 bind(3, ..., ...) = 0\n"
	            "   +0 listen(3, 1) = 0\n   +0 < S 0:0(0) win 65535 <mss 1460,sackOK,nop,wscale 7>\n"
	            "   +0 > S. 0:0(0) ack 1 <mss 1460>\n",
	            NULL, &out);
	if (out.verdict != PKT_PASS)
		g_error("%s", out.message);
	pkt_outcome_clear(&out);
	run_profile(script, "`./other.py`\n" PASSIVE_OPEN, NULL, &out);
	g_assert_cmpint(out.verdict, ==, PKT_UNSUPPORTED);
	g_assert_cmpstr(out.message, ==, msg);
	pkt_outcome_clear(&out);
	g_free(msg);
	g_free(script);
	g_free(py);
	g_free(other);
	g_free(sh);
	scn_rmtree(dir);
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
	g_test_add_func("/pkt/fail/python", test_fail_python);
	g_test_add_func("/pkt/fail/python-order", test_fail_python_order);
	g_test_add_func("/pkt/fail/python-no-socket", test_fail_python_no_socket);
	g_test_add_func("/pkt/pass/errno", test_pass_errno);
	g_test_add_func("/pkt/pass/python-bsd", test_python_bsd);
	g_test_add_func("/pkt/fail/fd-closed", test_fail_fd_closed);
	g_test_add_func("/pkt/fail/fd-unknown", test_fail_fd_unknown);
	g_test_add_func("/pkt/fail/fd-duplicate", test_fail_fd_duplicate);
	g_test_add_func("/pkt/fail/fd-expected", test_fail_fd_expected);
	g_test_add_func("/pkt/fail/ts-val", test_fail_ts_val);
	g_test_add_func("/pkt/fail/tso-split", test_fail_tso_split);
	g_test_add_func("/pkt/fail/tolerance-percent", test_fail_tolerance_percent);
	g_test_add_func("/pkt/fail/without-mss", test_fail_without_mss);
	g_test_add_func("/pkt/fail/bad-option-value", test_bad_option_value);
	g_test_add_func("/pkt/unsupported/options", test_unsupported_options);
	g_test_add_func("/pkt/unsupported/fuzz-rep", test_unsupported_fuzz_rep);
	g_test_add_func("/pkt/unsupported/python", test_unsupported_python);
	g_test_add_func("/pkt/unsupported/udp", test_unsupported_udp);
	g_test_add_func("/pkt/cli/status", test_cli_status);
	g_test_add_func("/pkt/cli/directive", test_cli_directive);
	g_test_add_func("/pkt/cli/time-wait-paws-capture", test_cli_time_wait_paws_capture);
	g_test_add_func("/pkt/shell/sockstat", test_shell_sockstat);
	g_test_add_func("/pkt/shell/tcpdrop", test_shell_tcpdrop);
	g_test_add_func("/pkt/shell/unsupported", test_shell_unsupported);
	g_test_add_func("/pkt/shell/files", test_shell_files);
	g_test_add_func("/pkt/shell/if-uname", test_shell_if_uname);
	return g_test_run();
}
