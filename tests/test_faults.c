/*
 * Targeted faults ([faults], models/fault.h) end to end: the built
 * ./tcpsim run on small configs written here, each pinned to the packet
 * and to the nanosecond of simulated time.
 *
 *   /faults/rank/...     a range of ranks (2nd..4th) drops exactly those
 *                        matches
 *   /faults/window/...   [from, to): a segment sent at `from` is inside,
 *                        one sent at `to` is not; a rank counts only the
 *                        segments inside the window
 *   /faults/kill/...     kill ENDPOINT at TIME: ss -K (tcp_abort()) on
 *                        every connection of the endpoint: TIME_WAIT goes
 *                        silently (and the peer's FIN then meets a reset),
 *                        a synchronized one resets and its program gets
 *                        ECONNABORTED, a listener stays
 *
 * A ladder is the trace (--trace, the client's interface) reduced to one
 * line a segment, "TIME C|S FLAGS LENGTH", "dropped" after one a fault
 * dropped, "duplicate" after the network's second copy (seen where it
 * arrives: with simulation.capture=server for the client's segments), and
 * the kill's own line.
 */
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "tests/e2e.h"

#define ENDPOINTS_10MS                                  \
	"[simulation]\nseed = 1\n"                          \
	"[network]\ndelay = 10ms\n"

/* The server sends 7300 bytes at 10 Mbit/s: five full segments and one of
 * 60 bytes, each ACKed at once by the client in quick-ACK mode, so the
 * client's pure ACKs leave at distinct times: 20.096 ms (the handshake's),
 * 41.3376, 42.5376, 43.7376, 44.9376, 46.1376, 46.2272 ms.  A lost ACK is
 * covered by the next (cumulative), so a drop changes nothing else. */
#define BULK                                                          \
	"[simulation]\nseed = 1\n"                                        \
	"[network]\ndelay = 10ms\nbandwidth = 10Mbit\n"                   \
	"[client]\naddress = 10.0.0.1\nscript = connect; recv all; close\n" \
	"[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; send 7300; close\n"

/* The ACK-of-FIN scenario of configs/last_ack_lost.ini. */
#define LAST_ACK_LOST                                                     \
	ENDPOINTS_10MS                                                        \
	"[client]\naddress = 10.0.0.1\nscript = connect; send \"bye\\n\"; recv; close\n" \
	"[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; echo; close\n"       \
	"[faults]\nlost_last_ack = drop 1st client ack-of-fin\n"

/* "Flags [F.], ..." -> "F." */
static char *flags_of(const char *line)
{
	const char *f = strstr(line, "Flags [");
	g_assert_nonnull(f);
	f += 7;
	const char *end = strchr(f, ']');
	g_assert_nonnull(end);
	return g_strndup(f, (size_t)(end - f));
}

static void append_ladder_line(GString *out, const char *line)
{
	char **w = g_strsplit(line, " ", 4);
	if (w[0] && w[1] && strcmp(w[1], "IP") == 0) { /* an empty line splits into no word */
		char *flags = flags_of(line);
		const char *len = strstr(line, "length ");
		g_assert_nonnull(len);
		g_string_append_printf(out, "%s %c %s %d%s%s\n", w[0], g_str_has_prefix(w[2], "10.0.0.1.") ? 'C' : 'S',
		                       flags, atoi(len + 7), strstr(line, "[dropped by the network: fault]") ? " dropped" : "",
		                       strstr(line, "[duplicate]") ? " duplicate" : "");
		g_free(flags);
	} else if (strstr(line, ": [faults] ")) {
		g_string_append_printf(out, "%s\n", line);
	}
	g_strfreev(w);
}

/* Runs the config text (with --set options, NULL-terminated) under
 * --trace and returns its ladder. */
static char *ladder(const char *ini, const char *const *set)
{
	char *tmp = scn_tmpdir();
	char *path = g_build_filename(tmp, "faults.ini", NULL);
	char *out = g_build_filename(tmp, "out", NULL);
	g_assert_true(g_file_set_contents(path, ini, -1, NULL));
	GPtrArray *args = g_ptr_array_new_with_free_func(g_free);
	/* the textbook times: the faults, not the kernel's clock, are tested */
	const char *fixed[] = {path, "-q", "--trace", "-o", out, "--set", "tcp.timers=exact"};
	for (size_t i = 0; i < G_N_ELEMENTS(fixed); i++)
		g_ptr_array_add(args, g_strdup(fixed[i]));
	for (; set && *set; set++) {
		g_ptr_array_add(args, g_strdup("--set"));
		g_ptr_array_add(args, g_strdup(*set));
	}
	g_ptr_array_add(args, NULL);
	struct scn_run run;
	GError *error = NULL;
	g_assert_true(scn_tcpsim((const char *const *)args->pdata, &run, &error));
	if (run.status != 0)
		g_error("tcpsim exited %d: %s", run.status, run.err);
	GString *l = g_string_new(NULL);
	char **lines = g_strsplit(run.out, "\n", -1);
	for (char **p = lines; *p; p++)
		append_ladder_line(l, *p);
	g_strfreev(lines);
	scn_run_clear(&run);
	g_ptr_array_free(args, TRUE);
	scn_rmtree(tmp);
	g_free(out);
	g_free(path);
	g_free(tmp);
	return g_string_free(l, FALSE);
}

static void assert_ladder(const char *ini, const char *const *set, const char *want)
{
	char *got = ladder(ini, set);
	if (strcmp(got, want) != 0)
		g_error("ladder\n%s\nexpected\n%s", got, want);
	g_free(got);
}

/* The summary of the config text (--json), for states and calls. */
static void run_json(struct e2e *s, const char *ini, char **tmp_out)
{
	char *tmp = scn_tmpdir();
	char *path = g_build_filename(tmp, "faults.ini", NULL);
	g_assert_true(g_file_set_contents(path, ini, -1, NULL));
	const char *extra[] = {"--json", NULL};
	e2e_run(s, path, extra);
	g_free(path);
	*tmp_out = tmp;
}

/* --- ranks --- */

/* The whole bulk transfer, no fault: the reference ladder. */
#define BULK_HEAD                                  \
	"0.000000000 C S 0\n"                          \
	"0.020096000 S S. 0\n"                         \
	"0.020096000 C . 0\n"
#define BULK_TAIL                                  \
	"0.046268800 S F. 0\n"                         \
	"0.046268800 C F. 0\n"                         \
	"0.066352000 S . 0\n"

static void test_rank_range(void)
{
	const char *set[] = {"faults.x=drop 2nd..4th client ack", NULL};
	assert_ladder(BULK, set,
	              BULK_HEAD
	              "0.041337600 S . 1448\n"
	              "0.041337600 C . 0 dropped\n"
	              "0.042537600 S . 1448\n"
	              "0.042537600 C . 0 dropped\n"
	              "0.043737600 S . 1448\n"
	              "0.043737600 C . 0 dropped\n"
	              "0.044937600 S . 1448\n"
	              "0.044937600 C . 0\n"
	              "0.046137600 S . 1448\n"
	              "0.046137600 C . 0\n"
	              "0.046227200 S P. 60\n"
	              "0.046227200 C . 0\n"
	              BULK_TAIL);
}

/* 5th..5th is the 5th alone; a range past the last match drops none. */
static void test_rank_range_edges(void)
{
	const char *one[] = {"faults.x=drop 5th..5th client ack", NULL};
	char *got = ladder(BULK, one);
	g_assert_nonnull(strstr(got, "0.044937600 C . 0 dropped\n"));
	g_assert_null(strstr(got, "0.043737600 C . 0 dropped"));
	g_assert_null(strstr(got, "0.046137600 C . 0 dropped"));
	g_free(got);
	const char *beyond[] = {"faults.x=drop 8th..20th client ack", NULL};
	got = ladder(BULK, beyond);
	g_assert_null(strstr(got, "dropped"));
	g_free(got);
}

/* --- windows --- */

/* from = the 3rd ACK's sending time: inside; to = the 5th's: outside. */
static void test_window_half_open(void)
{
	const char *set[] = {"faults.x=drop all client ack from 42.5376ms to 44.9376ms", NULL};
	char *got = ladder(BULK, set);
	const char *dropped[] = {"0.042537600 C . 0 dropped\n", "0.043737600 C . 0 dropped\n"};
	for (size_t i = 0; i < G_N_ELEMENTS(dropped); i++)
		g_assert_nonnull(strstr(got, dropped[i]));
	g_assert_nonnull(strstr(got, "0.041337600 C . 0\n"));
	g_assert_nonnull(strstr(got, "0.044937600 C . 0\n"));
	/* exactly two */
	g_assert_null(strstr(strstr(strstr(got, "dropped") + 1, "dropped") + 1, "dropped"));
	g_free(got);
}

/* A rank counts only inside the window: the 2nd ACK from 42 ms is the
 * one at 43.7376 ms (the 4th of the run), not the run's 2nd. */
static void test_window_rank_counts_inside(void)
{
	const char *set[] = {"faults.x=drop 2nd client ack from 42ms", NULL};
	char *got = ladder(BULK, set);
	g_assert_nonnull(strstr(got, "0.043737600 C . 0 dropped\n"));
	g_assert_nonnull(strstr(got, "0.041337600 C . 0\n"));
	g_assert_nonnull(strstr(got, "0.042537600 C . 0\n"));
	g_assert_null(strstr(strstr(got, "dropped") + 1, "dropped"));
	g_free(got);
	/* `to` alone: the 2nd before 42 ms is the run's 2nd (41.3376 ms) */
	const char *to[] = {"faults.x=drop 2nd client ack to 42ms", NULL};
	got = ladder(BULK, to);
	g_assert_nonnull(strstr(got, "0.041337600 C . 0 dropped\n"));
	g_assert_null(strstr(strstr(got, "dropped") + 1, "dropped"));
	g_free(got);
	/* a window no ACK falls in drops nothing */
	const char *empty[] = {"faults.x=drop all client ack from 30ms to 41ms", NULL};
	got = ladder(BULK, empty);
	g_assert_null(strstr(got, "dropped"));
	g_free(got);
}

/* drop 1st client fin from T: the first FIN at T or later, whichever
 * FINs went before (here the client's only FIN, at 46.2688 ms). */
static void test_window_first_fin_from(void)
{
	const char *before[] = {"faults.x=drop 1st client fin from 46.2688ms", NULL};
	char *got = ladder(BULK, before);
	g_assert_nonnull(strstr(got, "0.046268800 C F. 0 dropped\n"));
	g_free(got);
	const char *after[] = {"faults.x=drop 1st client fin from 46.2689ms", NULL};
	got = ladder(BULK, after);
	g_assert_null(strstr(got, "dropped"));
	g_free(got);
}

/* The window holds for every action: `first 2 ... from 43ms` duplicates
 * the ACKs sent at 43.7376 and 44.9376 ms (at the server 10.0416 ms
 * later: 53.7792 and 54.9792 ms), and a delay in [43 ms, 45 ms) moves
 * those two alone, 5 ms later.  Seen at the server, where they arrive. */
static void test_window_duplicate_and_delay(void)
{
	const char *dup[] = {"faults.x=duplicate first 2 client ack from 43ms", "simulation.capture=server", NULL};
	char *got = ladder(BULK, dup);
	g_assert_nonnull(strstr(got, "0.052579200 C . 0\n0.053779200 C . 0 duplicate\n0.053779200 C . 0\n"
	                             "0.054979200 C . 0 duplicate\n0.054979200 C . 0\n0.056179200 C . 0\n"));
	g_assert_null(strstr(strstr(strstr(got, "duplicate") + 1, "duplicate") + 1, "duplicate"));
	g_free(got);
	const char *delay[] = {"faults.x=delay all client ack by 5ms from 43ms to 45ms", "simulation.capture=server",
	                       NULL};
	got = ladder(BULK, delay);
	g_assert_nonnull(strstr(got, "0.052579200 C . 0\n0.056179200 C . 0\n"));
	g_assert_nonnull(strstr(got, "0.058779200 C . 0\n"));
	g_assert_nonnull(strstr(got, "0.059979200 C . 0\n"));
	g_assert_null(strstr(got, "0.053779200"));
	g_assert_null(strstr(got, "0.054979200"));
	g_free(got);
}

/* --- kill --- */

/* configs/time_wait_killed.ini's story: the client's last ACK is lost, its
 * TIME_WAIT is killed at 100 ms, and the server's FIN retransmission
 * (the tail loss probe sent at 270 ms, at the client at 280 ms) finds no
 * connection: a reset with
 * seq = the FIN's ACK number and no ACK bit (tcp_v4_send_reset()). */
static void test_kill_time_wait(void)
{
	const char *set[] = {"faults.tw=kill client at 100ms", NULL};
	assert_ladder(LAST_ACK_LOST, set,
	              "0.000000000 C S 0\n"
	              "0.020000000 S S. 0\n"
	              "0.020000000 C . 0\n"
	              "0.020000000 C P. 4\n"
	              "0.040000000 S . 0\n"
	              "0.040000000 S P. 4\n"
	              "0.040000000 C . 0\n"
	              "0.040000000 C F. 0\n"
	              "0.060000000 S F. 0\n"
	              "0.060000000 C . 0 dropped\n"
	              "0.100000000 client: [faults] tw: ss -K killed #1 TIME_WAIT\n"
	              "0.280000000 S F. 0\n"
	              "0.280000000 C R 0\n");
}

/* The kill at 100 ms as the summary has it: TIME_WAIT -> CLOSED then,
 * no error for the client, ECONNRESET for the server in LAST_ACK. */
static void test_kill_time_wait_summary(void)
{
	struct e2e s = {0};
	char *tmp = NULL;
	run_json(&s, LAST_ACK_LOST "tw = kill client at 100ms\n", &tmp);
	const struct e2e_state client[] = {
		{0, 1, "SYN_SENT"}, {MS(20), 1, "ESTABLISHED"}, {MS(40), 1, "FIN_WAIT_1"},
		{MS(60), 1, "TIME_WAIT"}, {MS(100), 1, "CLOSED"},
	};
	e2e_assert_states(&s, "client", client, G_N_ELEMENTS(client));
	e2e_assert_endpoint(&s, "client", "CLOSED", "ok");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ECONNRESET");
	g_assert_cmpint(e2e_state_time(&s, "server", 1, "CLOSED"), ==, MS(290));
	const struct e2e_call kill[] = {{MS(100), "kill", "1", NULL}};
	e2e_assert_calls(&s, "client", "kill", kill, G_N_ELEMENTS(kill));
	e2e_clear(&s);
	scn_rmtree(tmp);
	g_free(tmp);
}

/* An established connection whose program is blocked in recv(): the kill
 * sends RST+ACK at once and the recv() returns ECONNABORTED (tcp_abort():
 * sk_err, tcp_need_reset()); the server's recv() gets ECONNRESET 10 ms
 * later.  The server's listener stays: the client's second connect() at
 * 1.5 s succeeds. */
#define ESTABLISHED_KILL                                                                  \
	ENDPOINTS_10MS                                                                        \
	"[client]\naddress = 10.0.0.1\nscript = connect; recv; sleep 500ms; connect; close\n" \
	"[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; recv; accept; recv\n"

static void test_kill_established(void)
{
	const char *set[] = {"faults.k=kill client at 1s", NULL};
	assert_ladder(ESTABLISHED_KILL, set,
	              "0.000000000 C S 0\n"
	              "0.020000000 S S. 0\n"
	              "0.020000000 C . 0\n"
	              "1.000000000 C R. 0\n"
	              "1.000000000 client: [faults] k: ss -K killed #1 ESTABLISHED\n"
	              "1.500000000 C S 0\n"
	              "1.520000000 S S. 0\n"
	              "1.520000000 C . 0\n"
	              "1.520000000 C F. 0\n"
	              "1.541000000 S . 0\n");
	struct e2e s = {0};
	char *tmp = NULL;
	run_json(&s, ESTABLISHED_KILL "[faults]\nk = kill client at 1s\n", &tmp);
	const struct e2e_call client[] = {
		{MS(20), "connect", "0", NULL}, {SEC(1), "kill", "1", NULL},
		{SEC(1), "recv", "-1", "ECONNABORTED"}, {MS(1500), "sleep", "0", NULL},
		{MS(1520), "connect", "0", NULL}, {MS(1520), "close", "0", NULL},
	};
	e2e_assert_calls(&s, "client", NULL, client, G_N_ELEMENTS(client));
	const struct e2e_call server[] = {
		{0, "listen", "0", NULL}, {MS(30), "accept", "4", NULL}, {MS(1010), "recv", "-1", "ECONNRESET"},
		{MS(1530), "accept", "5", NULL}, {MS(1530), "recv", "0", NULL},
	};
	e2e_assert_calls(&s, "server", NULL, server, G_N_ELEMENTS(server));
	e2e_clear(&s);
	scn_rmtree(tmp);
	g_free(tmp);
}

#define CLIENT_RECV_SERVER_RECV                                  \
	ENDPOINTS_10MS                                               \
	"[client]\naddress = 10.0.0.1\nscript = connect; recv\n"      \
	"[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; recv\n"

/* kill server: its accepted connection resets, the client's blocked
 * recv() gets ECONNRESET when the reset arrives; a kill with nothing left
 * to kill sends nothing and says so. */
static void test_kill_server_and_nothing(void)
{
	const char *set[] = {"faults.k=kill server at 1s", "faults.late=kill client at 2s", NULL};
	assert_ladder(CLIENT_RECV_SERVER_RECV, set,
	              "0.000000000 C S 0\n"
	              "0.020000000 S S. 0\n"
	              "0.020000000 C . 0\n"
	              "1.000000000 server: [faults] k: ss -K killed #1 ESTABLISHED\n"
	              "1.010000000 S R. 0\n"
	              "2.000000000 client: [faults] late: ss -K found no connection\n");
}

/* At time 0 the client's SYN has just left (the programs start first):
 * SYN_SENT is killed without a reset (tcp_need_reset() is false there),
 * connect() fails with ECONNABORTED, and the SYN-ACK that comes back
 * meets no connection: a reset. */
static void test_kill_syn_sent(void)
{
	const char *set[] = {"faults.early=kill client at 0s", NULL};
	assert_ladder(CLIENT_RECV_SERVER_RECV, set,
	              "0.000000000 C S 0\n"
	              "0.000000000 client: [faults] early: ss -K killed #1 SYN_SENT\n"
	              "0.020000000 S S. 0\n"
	              "0.020000000 C R 0\n");
	struct e2e s = {0};
	char *tmp = NULL;
	run_json(&s, CLIENT_RECV_SERVER_RECV "[faults]\nearly = kill client at 0s\n", &tmp);
	const struct e2e_call client[] = {{0, "kill", "1", NULL}, {0, "connect", "-1", "ECONNABORTED"},
	                                    {0, "recv", "-1", "ENOTCONN"}};
	e2e_assert_calls(&s, "client", NULL, client, G_N_ELEMENTS(client));
	e2e_clear(&s);
	scn_rmtree(tmp);
	g_free(tmp);
}

/* An orphan (closed by its program) is killed too, as tcp_abort() does
 * since Linux 6.11 (bac76cf89816b, "fix forever orphan socket"): the
 * server, in FIN_WAIT_2 after its close(), resets at 1 s instead of
 * waiting out tcp_fin_timeout, and the client in CLOSE_WAIT takes it. */
static void test_kill_orphan(void)
{
	const char *set[] = {"faults.k=kill server at 1s", NULL};
	assert_ladder(ENDPOINTS_10MS "[client]\naddress = 10.0.0.1\nscript = connect; send \"a\\n\"; recv; recv\n"
	              "[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; echo 1; close\n",
	              set,
	              "0.000000000 C S 0\n"
	              "0.020000000 S S. 0\n"
	              "0.020000000 C . 0\n"
	              "0.020000000 C P. 2\n"
	              "0.040000000 S . 0\n"
	              "0.040000000 S P. 2\n"
	              "0.040000000 C . 0\n"
	              "0.040000000 S F. 0\n"
	              "0.080000000 C . 0\n"
	              "1.000000000 server: [faults] k: ss -K killed #1 FIN_WAIT_2\n"
	              "1.010000000 S R. 0\n");
}

/* The shipped example, judged by tshark as well: the capture is well
 * formed and the client's reset answers the server's retransmitted FIN. */
static void test_shipped_config(void)
{
	struct e2e s = {0};
	e2e_run_capture(&s, "configs/time_wait_killed.ini", NULL, "10.0.0.1");
	const GArray *p = s.pkts;
	const struct e2e_pkt *last = PKT(p, p->len - 1), *fin = PKT(p, p->len - 2);
	g_assert_cmpstr(fin->fl, ==, "FA");
	g_assert_true(fin->rtx);
	g_assert_cmpint(fin->dir, ==, 'S');
	g_assert_cmpstr(last->fl, ==, "R");
	g_assert_cmpint(last->dir, ==, 'C');
	g_assert_cmpuint(last->seq_raw, ==, fin->ack_raw);
	g_assert_cmpint(last->t, ==, fin->t);
	e2e_assert_endpoint(&s, "server", "CLOSED", "ECONNRESET");
	e2e_clear(&s);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/faults/rank/range", test_rank_range);
	g_test_add_func("/faults/rank/range-edges", test_rank_range_edges);
	g_test_add_func("/faults/window/half-open", test_window_half_open);
	g_test_add_func("/faults/window/rank-counts-inside", test_window_rank_counts_inside);
	g_test_add_func("/faults/window/first-fin-from", test_window_first_fin_from);
	g_test_add_func("/faults/window/duplicate-and-delay", test_window_duplicate_and_delay);
	g_test_add_func("/faults/kill/time-wait", test_kill_time_wait);
	g_test_add_func("/faults/kill/time-wait-summary", test_kill_time_wait_summary);
	g_test_add_func("/faults/kill/established", test_kill_established);
	g_test_add_func("/faults/kill/server-and-nothing", test_kill_server_and_nothing);
	g_test_add_func("/faults/kill/syn-sent", test_kill_syn_sent);
	g_test_add_func("/faults/kill/orphan", test_kill_orphan);
	g_test_add_func("/faults/kill/shipped-config", test_shipped_config);
	return g_test_run();
}
