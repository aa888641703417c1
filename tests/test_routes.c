/*
 * Addresses nobody owns (sim/world/route.c, sim/world/neigh.c), end to end:
 * the built ./tcpsim on configs/arp_failure.ini and configs/black_hole.ini
 * and variants of them, the pcap decoded by tshark, the --json summary
 * parsed.  Every time is simulated time, to the nanosecond:
 *
 *   /routes/arp/...          an address of the client's subnet: the SYN waits
 *                            for ARP, three requests (arp_probes) one
 *                            arp_interval apart, EHOSTUNREACH one interval
 *                            after the last; never a SYN on the wire
 *   /routes/black-hole/...   an address beyond the router: SYNs into nothing,
 *                            ETIMEDOUT at 131 s; or the router's ICMP
 *   /routes/refused          the other host, a port without a listener: a
 *                            reset, ECONNREFUSED, as before
 *   /routes/prefix/...       the prefix decides what is on-link; a bad one is
 *                            a config error (exit 2, file:line: key message)
 */
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "tests/e2e.h"
#include "tests/tshark.h"

#define CLIENT "192.168.0.4"
#define NOBODY "192.168.0.188"

/* The times of the ARP requests of the capture, each asking for NOBODY
 * on behalf of CLIENT; asserts there is nothing but them. */
static GArray *arp_times(const GArray *pkts)
{
	GArray *t = g_array_new(FALSE, FALSE, sizeof(gint64));

	for (guint i = 0; i < pkts->len; i++) {
		const struct e2e_pkt *k = PKT(pkts, i);

		g_assert_true(k->arp); /* no SYN, no ICMP: nothing else on the wire */
		g_assert_cmpstr(k->f[E2E_F_ARP_OPCODE], ==, "1");
		g_assert_cmpstr(k->f[E2E_F_ARP_SRC], ==, CLIENT);
		g_assert_cmpstr(k->f[E2E_F_ARP_DST], ==, NOBODY);
		g_array_append_val(t, k->t);
	}
	return t;
}

/* arp_failure.ini with the extra arguments: the requests at want_ms, the
 * connect() fails with EHOSTUNREACH at fail_ms, its SYN and the SYN's
 * retransmissions (one a second, those before fail_ms) were never sent. */
static void check_arp_failure(const char *const *set, const gint64 *want_ms, guint n, gint64 fail_ms)
{
	const struct e2e_call call[] = {{MS(fail_ms), "connect", "-1", "EHOSTUNREACH"}};
	const struct e2e_state states[] = {{0, 1, "SYN_SENT"}, {MS(fail_ms), 1, "CLOSED"}};
	guint syns = (guint)((fail_ms - 1) / 1000) + 1; /* the SYNs before the failure */
	struct e2e s;

	e2e_run_capture(&s, "configs/arp_failure.ini", set, CLIENT);
	GArray *t = arp_times(s.pkts);
	e2e_assert_times_ms("ARP requests", t, want_ms, n);
	e2e_assert_calls(&s, "client", "connect", call, G_N_ELEMENTS(call));
	e2e_assert_states(&s, "client", states, G_N_ELEMENTS(states));
	e2e_assert_endpoint(&s, "client", "CLOSED", "EHOSTUNREACH");
	g_assert_cmpuint(scn_json_uint(s.json, "network.sent"), ==, syns);
	g_assert_cmpuint(scn_json_uint(s.json, "network.dropped"), ==, syns);
	g_assert_cmpuint(scn_json_uint(s.json, "network.delivered"), ==, 0);
	g_assert_cmpuint(scn_json_uint(s.json, "endpoints.client.retransmissions.syn"), ==, syns - 1);
	g_assert_cmpuint(scn_json_uint(s.json, "capture.packets"), ==, n);
	g_array_unref(t);
	e2e_clear(&s);
}

/* Linux's defaults (mcast_solicit 3, retrans_time 1 s): requests at 0, 1
 * and 2 s, the SYN (and its retransmissions at 1 and 2 s) dropped at 3 s
 * with a local host unreachable: connect() = -1 EHOSTUNREACH at 3.000 s. */
static void test_arp_failure(void)
{
	static const gint64 want[] = {0, 1000, 2000};

	check_arp_failure(NULL, want, G_N_ELEMENTS(want), 3000);
}

static void test_arp_probes(void)
{
	static const char *const set[] = {"-s", "network.arp_probes=5", NULL};
	static const gint64 want[] = {0, 1000, 2000, 3000, 4000};

	check_arp_failure(set, want, G_N_ELEMENTS(want), 5000);
}

static void test_arp_interval(void)
{
	static const char *const set[] = {"-s", "network.arp_interval=300ms", NULL};
	static const gint64 want[] = {0, 300, 600};

	check_arp_failure(set, want, G_N_ELEMENTS(want), 900);
}

/* What Wireshark shows, in its own words: a broadcast of 60 bytes. */
static void test_arp_tshark(void)
{
	static const char *const fields[] = {"_ws.col.Info", "eth.src", "eth.dst", "frame.len", NULL};
	GError *error = NULL;
	struct e2e s;

	e2e_run_capture(&s, "configs/arp_failure.ini", NULL, CLIENT);
	char **lines = tshark_fields(s.pcap, NULL, fields, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_strv_length(lines), ==, 3);
	for (guint i = 0; i < 3; i++)
		g_assert_cmpstr(lines[i], ==, "Who has 192.168.0.188? Tell 192.168.0.4\t"
					      "02:00:c0:a8:00:04\tff:ff:ff:ff:ff:ff\t60");
	g_strfreev(lines);
	e2e_clear(&s);
}

/* A connect() after the failure starts a new resolution at once (Linux's
 * __neigh_event_send() on a FAILED entry): requests at 3, 4, 5 s, and the
 * second connect() fails at 6 s. */
static void test_arp_again(void)
{
	static const char *const set[] = {
		"-s", "client.script=connect 192.168.0.188:20000; connect 192.168.0.188:20000", NULL,
	};
	static const gint64 want[] = {0, 1000, 2000, 3000, 4000, 5000};
	static const struct e2e_call calls[] = {
		{SEC(3), "connect", "-1", "EHOSTUNREACH"},
		{SEC(6), "connect", "-1", "EHOSTUNREACH"},
	};
	struct e2e s;

	e2e_run_capture(&s, "configs/arp_failure.ini", set, CLIENT);
	GArray *t = arp_times(s.pkts);
	e2e_assert_times_ms("ARP requests", t, want, G_N_ELEMENTS(want));
	e2e_assert_calls(&s, "client", "connect", calls, G_N_ELEMENTS(calls));
	g_array_unref(t);
	e2e_clear(&s);
}

/* The server's interface sees the broadcasts (5 ms later) when it is on
 * the asker's subnet, and nothing when it is not. */
static void test_arp_server_capture(void)
{
	static const char *const same[] = {"-s", "simulation.capture=server", NULL};
	static const char *const other[] = {"-s", "simulation.capture=server", "-s",
					    "server.address=10.0.0.5:20000", NULL};
	static const gint64 want[] = {5, 1005, 2005};
	struct e2e s;

	e2e_run_capture(&s, "configs/arp_failure.ini", same, CLIENT);
	GArray *t = arp_times(s.pkts);
	e2e_assert_times_ms("ARP requests at the server", t, want, G_N_ELEMENTS(want));
	g_array_unref(t);
	e2e_clear(&s);

	e2e_run_capture(&s, "configs/arp_failure.ini", other, CLIENT);
	g_assert_cmpuint(s.pkts->len, ==, 0);
	e2e_assert_endpoint(&s, "client", "CLOSED", "EHOSTUNREACH");
	e2e_clear(&s);
}

/* Raw IPv4 framing has no ARP: an empty capture, the same failure. */
static void test_arp_raw(void)
{
	static const char *const set[] = {"-s", "simulation.framing=raw", NULL};
	static const struct e2e_call call[] = {{SEC(3), "connect", "-1", "EHOSTUNREACH"}};
	struct e2e s;

	e2e_run_capture(&s, "configs/arp_failure.ini", set, CLIENT);
	g_assert_cmpuint(s.pkts->len, ==, 0);
	e2e_assert_calls(&s, "client", "connect", call, G_N_ELEMENTS(call));
	e2e_clear(&s);
}

/* The trace says why the SYN never left, and what ARP did. */
static void test_arp_trace(void)
{
	static const char *const set[] = {"--trace", NULL};
	struct e2e s;

	e2e_run(&s, "configs/arp_failure.ini", set);
	const char *out = s.run.out;
	g_assert_nonnull(strstr(out, "2.000000000 ARP, Request who-has 192.168.0.188 tell "
				     "192.168.0.4, length 46\n"));
	g_assert_nonnull(strstr(out, "Flags [S], seq "));
	g_assert_nonnull(strstr(out, "[retransmission]  [not sent: waits for an ARP reply that never "
				     "comes]\n"));
	g_assert_nonnull(strstr(out, "3.000000000 client #1 SYN_SENT -> CLOSED EHOSTUNREACH\n"));
	e2e_clear(&s);
}

/* --- beyond the router --- */

/* 88.88.88.88 is not on 192.168.0.0/24: the SYN goes to the router and on
 * into a black hole; Linux's SYN schedule, ETIMEDOUT at 131 s, no reset,
 * no ICMP. */
static void test_black_hole(void)
{
	static const gint64 syn_ms[] = {0, 1000, 2000, 3000, 4000, 5000, 7000, 11000, 19000,
					35000, 67000};
	static const struct e2e_call call[] = {{SEC(131), "connect", "-1", "ETIMEDOUT"}};
	static const struct e2e_state states[] = {{0, 1, "SYN_SENT"}, {SEC(131), 1, "CLOSED"}};
	GArray *syns = g_array_new(FALSE, FALSE, sizeof(gint64));
	struct e2e s;

	e2e_run_capture(&s, "configs/black_hole.ini", NULL, CLIENT);
	for (guint i = 0; i < s.pkts->len; i++) {
		const struct e2e_pkt *k = PKT(s.pkts, i);

		g_assert_true(k->tcp);
		g_assert_cmpuint(k->flags, ==, TH_SYN);
		g_assert_cmpstr(k->src, ==, CLIENT);
		g_assert_cmpstr(k->f[E2E_F_DST], ==, "88.88.88.88");
		g_array_append_val(syns, k->t);
	}
	e2e_assert_times_ms("SYNs", syns, syn_ms, G_N_ELEMENTS(syn_ms));
	e2e_assert_calls(&s, "client", "connect", call, G_N_ELEMENTS(call));
	e2e_assert_states(&s, "client", states, G_N_ELEMENTS(states));
	e2e_assert_endpoint(&s, "client", "CLOSED", "ETIMEDOUT");
	g_assert_cmpuint(scn_json_uint(s.json, "network.dropped"), ==, G_N_ELEMENTS(syn_ms));
	g_assert_cmpuint(scn_json_uint(s.json, "network.delivered"), ==, 0);
	g_array_unref(syns);
	e2e_clear(&s);
}

/* With [network] unreachable = host the router answers instead, as it
 * did before routing existed: ICMP at 10 ms, EHOSTUNREACH. */
static void test_black_hole_router_answers(void)
{
	static const char *const set[] = {"-s", "network.client_to_server.unreachable=host", NULL};
	static const struct e2e_call call[] = {{MS(10), "connect", "-1", "EHOSTUNREACH"}};
	struct e2e s;

	e2e_run_capture(&s, "configs/black_hole.ini", set, CLIENT);
	g_assert_cmpuint(s.pkts->len, ==, 2);
	g_assert_true(PKT(s.pkts, 0)->tcp);
	g_assert_cmpint(PKT(s.pkts, 1)->icmp_type, ==, 3);
	g_assert_cmpint(PKT(s.pkts, 1)->icmp_code, ==, 1);
	g_assert_cmpint(PKT(s.pkts, 1)->t, ==, MS(10));
	g_assert_cmpstr(PKT(s.pkts, 1)->src, ==, "192.168.0.1");
	e2e_assert_calls(&s, "client", "connect", call, G_N_ELEMENTS(call));
	e2e_clear(&s);
}

/* --- a host that exists --- */

/* The server's address, a port nobody listens on: its host answers with a
 * reset after one round trip, as always (connect_refused.ini). */
static void test_refused(void)
{
	static const struct e2e_call call[] = {{MS(10), "connect", "-1", "ECONNREFUSED"}};
	struct e2e s;

	e2e_run_capture(&s, "configs/connect_refused.ini", NULL, CLIENT);
	g_assert_cmpuint(s.pkts->len, ==, 2);
	g_assert_cmpuint(PKT(s.pkts, 0)->flags, ==, TH_SYN);
	g_assert_cmpuint(PKT(s.pkts, 1)->flags, ==, TH_RST | TH_ACK);
	g_assert_cmpstr(PKT(s.pkts, 1)->src, ==, "192.168.0.5");
	e2e_assert_calls(&s, "client", "connect", call, G_N_ELEMENTS(call));
	e2e_assert_endpoint(&s, "client", "CLOSED", "ECONNREFUSED");
	e2e_clear(&s);
}

/* --- the prefix --- */

/* On 192.168.0.0/16, 192.168.1.188 is a neighbour to resolve; on the
 * default /24 it is beyond the router (SYNs into the black hole, the
 * first ten seconds of them). */
static void test_prefix_decides(void)
{
	static const char *const wide[] = {"-s", "client.address=192.168.0.4/16", "-s",
					   "client.script=connect 192.168.1.188:20000", NULL};
	static const char *const narrow[] = {"-s", "client.address=192.168.0.4", "-s",
					     "client.script=connect 192.168.1.188:20000", "-s",
					     "simulation.duration=10s", NULL};
	struct e2e s;

	e2e_run_capture(&s, "configs/arp_failure.ini", wide, CLIENT);
	g_assert_cmpuint(s.pkts->len, ==, 3);
	for (guint i = 0; i < s.pkts->len; i++) {
		g_assert_true(PKT(s.pkts, i)->arp);
		g_assert_cmpstr(PKT(s.pkts, i)->f[E2E_F_ARP_DST], ==, "192.168.1.188");
	}
	e2e_assert_endpoint(&s, "client", "CLOSED", "EHOSTUNREACH");
	e2e_clear(&s);

	e2e_run_capture(&s, "configs/arp_failure.ini", narrow, CLIENT);
	g_assert_cmpuint(s.pkts->len, ==, 7); /* 0, 1, 2, 3, 4, 5, 7 s */
	for (guint i = 0; i < s.pkts->len; i++)
		g_assert_cmpuint(PKT(s.pkts, i)->flags, ==, TH_SYN);
	e2e_assert_endpoint(&s, "client", "SYN_SENT", "ok");
	e2e_clear(&s);
}

/* A config error names the file, the line, the key and what was
 * expected, with exit status 2 and no output folder. */
struct prefix_case {
	const char *line;   /* the [client] or [server] address line */
	const char *server; /* that line goes in [server] */
	const char *expect; /* the message after "FILE:LINE: " */
};

static void check_bad_prefix(const struct prefix_case *c)
{
	char *tmp = scn_tmpdir(), *ini = g_build_filename(tmp, "bad.ini", NULL);
	char *out = g_build_filename(tmp, "out", NULL);
	char *text = g_strdup_printf("[client]\nscript = connect\n%s\n[server]\nscript = listen\n%s\n",
				     c->server ? "" : c->line, c->server ? c->line : "");
	const char *args[] = {ini, "-o", out, NULL};
	struct scn_run run;
	GError *error = NULL;

	g_assert_true(g_file_set_contents(ini, text, -1, NULL));
	g_assert_true(scn_tcpsim(args, &run, &error));
	g_assert_no_error(error);
	g_assert_cmpint(run.status, ==, 2);
	char *want = g_strdup_printf("%s:%d: %s\n", ini, c->server ? 6 : 3, c->expect);
	g_assert_cmpstr(run.err, ==, want);
	g_assert_true(scn_absent_or_empty(out));
	g_free(want);
	scn_run_clear(&run);
	scn_rmtree(tmp);
	g_free(text);
	g_free(out);
	g_free(ini);
	g_free(tmp);
}

static void test_prefix_errors(void)
{
	static const struct prefix_case cases[] = {
		{"address = 10.0.0.1/33", NULL,
		 "[client] address = 10.0.0.1/33: expected a prefix length between 0 and 32 after '/' "
		 "(10.0.0.1/24)"},
		{"address = 10.0.0.1/", NULL,
		 "[client] address = 10.0.0.1/: expected a prefix length between 0 and 32 after '/' "
		 "(10.0.0.1/24)"},
		{"address = 10.0.0.1/x:4000", NULL,
		 "[client] address = 10.0.0.1/x:4000: expected a prefix length between 0 and 32 after "
		 "'/' (10.0.0.1/24)"},
		{"address = 10.0.0.2:7777/24", "server",
		 "[server] address = 10.0.0.2:7777/24: expected ADDRESS/PREFIX:PORT such as "
		 "10.0.0.2/24:8080: the prefix goes with the address, before the port"},
		{"address = 10.0.0.2/24", "server",
		 "[server] address = 10.0.0.2/24: expected ADDRESS:PORT: the server needs the port it "
		 "listens on"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		check_bad_prefix(&cases[i]);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/routes/arp/failure", test_arp_failure);
	g_test_add_func("/routes/arp/probes", test_arp_probes);
	g_test_add_func("/routes/arp/interval", test_arp_interval);
	g_test_add_func("/routes/arp/tshark", test_arp_tshark);
	g_test_add_func("/routes/arp/again", test_arp_again);
	g_test_add_func("/routes/arp/server-capture", test_arp_server_capture);
	g_test_add_func("/routes/arp/raw", test_arp_raw);
	g_test_add_func("/routes/arp/trace", test_arp_trace);
	g_test_add_func("/routes/black-hole/timeout", test_black_hole);
	g_test_add_func("/routes/black-hole/router-answers", test_black_hole_router_answers);
	g_test_add_func("/routes/refused", test_refused);
	g_test_add_func("/routes/prefix/decides", test_prefix_decides);
	g_test_add_func("/routes/prefix/errors", test_prefix_errors);
	return g_test_run();
}
