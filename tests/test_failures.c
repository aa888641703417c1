/*
 * Connection failures (issue 3), end to end: the built ./tcpsim run on the
 * failure scenarios of configs/, its pcap decoded by tshark, its --json
 * summary parsed.  Each test pins what a real stack does, to the
 * nanosecond of simulated time:
 *
 *   /failures/syn/...          the SYN retransmission schedule of each
 *                              profile and the moment connect() fails
 *   /failures/synack/...       SYN_RCVD's SYN-ACK retransmissions
 *   /failures/user-limit/...   select() time limit and SO_SNDTIMEO
 *   /failures/refused          RST+ACK to a SYN, ECONNREFUSED
 *   /failures/backlog-full     a full accept queue drops SYNs
 *   /failures/unreachable/...  ICMP destination unreachable
 *   /failures/reset/...        crash + reboot, abort (SO_LINGER 0)
 *   /failures/half-open/...    keepalive, and data retransmissions until
 *                              tcp_retries2 gives up
 *
 * Times: frame.time_epoch is the simulated clock (the pcap's time origin is
 * simulated time 0), so it is used rather than frame.time_relative, which
 * counts from the first captured packet (0.01 s on a server capture).
 * Every run writes into a fresh temporary folder (-o), never into out/,
 * and every pcap is checked for malformed packets and bad checksums, and
 * for agreement between Wireshark's retransmission flags and the summary's
 * capture.retransmissions.  A mismatch in a list (times, calls, states)
 * shows the whole list, expected against actual.
 */
#include <string.h>
#include <glib.h>
#include "tests/e2e.h"
#include "tests/tshark.h"

/* Runs config with the harness's checks (e2e_run_capture(): --json, a
 * well-formed capture that agrees with the summary); none of these
 * scenarios has a late packet. */
static void sim_run(struct e2e *s, const char *config, const char *const *extra)
{
	e2e_run_capture(s, config, extra, NULL);
	g_assert_cmpuint(scn_json_uint(s->json, "capture.late"), ==, 0);
}

/* --- packet selections --- */

/* The times of the TCP segments from src whose flags, under mask, are
 * value, with at least min_len bytes of payload. */
static GArray *times_of(const GArray *pkts, const char *src, guint mask, guint value,
			guint min_len)
{
	GArray *t = g_array_new(FALSE, FALSE, sizeof(gint64));

	for (guint i = 0; i < pkts->len; i++) {
		const struct e2e_pkt *k = PKT(pkts, i);

		if (k->tcp && strcmp(k->src, src) == 0 && (k->flags & mask) == value &&
		    k->len >= min_len)
			g_array_append_val(t, k->t);
	}
	return t;
}

/* The packets of the capture from src that carry flag bits (all of them). */
static guint count_from(const GArray *pkts, const char *src, guint bits)
{
	guint n = 0;

	for (guint i = 0; i < pkts->len; i++) {
		const struct e2e_pkt *k = PKT(pkts, i);

		n += k->tcp && strcmp(k->src, src) == 0 && (k->flags & bits) == bits;
	}
	return n;
}

/* --- SYN retransmission, per profile --- */

/* One profile's schedule of connect_timeout.ini (every SYN lost). */
struct syn_case {
	const char *profile;     /* the JSON's profile */
	const char *const *set;  /* the extra arguments */
	const gint64 *syn_ms;    /* every SYN at the client capture */
	guint n_syn;
	gint64 fail_ms;          /* connect() -1 ETIMEDOUT */
};

#define CLIENT_10 "10.0.0.1"

static void check_syn_schedule(const struct syn_case *c)
{
	struct e2e s;
	GArray *syns;
	const struct e2e_call call[] = {{MS(c->fail_ms), "connect", "-1", "ETIMEDOUT"}};
	const struct e2e_state states[] = {{MS(0), 1, "SYN_SENT"}, {MS(c->fail_ms), 1, "CLOSED"}};
	const struct e2e_call listen[] = {{MS(0), "listen", "0", NULL}};

	sim_run(&s, "configs/connect_timeout.ini", c->set);
	g_assert_cmpstr(scn_json_str(s.json, "profile"), ==, c->profile);
	syns = times_of(s.pkts, CLIENT_10, TH_SYN | TH_ACK, TH_SYN, 0);
	e2e_assert_times_ms("client SYNs", syns, c->syn_ms, c->n_syn);
	/* nothing but those SYNs, all the same SYN (one ISN); Wireshark flags
	 * every one after the first as a retransmission */
	g_assert_cmpuint(s.pkts->len, ==, c->n_syn);
	for (guint i = 0; i < s.pkts->len; i++) {
		const struct e2e_pkt *k = PKT(s.pkts, i);

		g_assert_cmpuint(k->seq_raw, ==, PKT(s.pkts, 0)->seq_raw);
		g_assert_cmpint(k->rtx, ==, i > 0);
	}
	g_assert_cmpuint(scn_json_uint(s.json, "endpoints.client.retransmissions.syn"), ==,
			 c->n_syn - 1);
	e2e_assert_calls(&s, "client", NULL, call, G_N_ELEMENTS(call));
	e2e_assert_states(&s, "client", states, G_N_ELEMENTS(states));
	e2e_assert_endpoint(&s, "client", "CLOSED", "ETIMEDOUT");
	e2e_assert_calls(&s, "server", NULL, listen, G_N_ELEMENTS(listen));
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	g_array_unref(syns);
	e2e_clear(&s);
}

/* Linux 6.5+: tcp_syn_linear_timeouts = 4 retransmissions 1 s apart, then
 * doubling; tcp_syn_retries = 6 (+4) is a time budget: the timer that
 * expires at 131 s (67 + 64) is the first past it. */
static void test_syn_linux(void)
{
	static const gint64 syn_ms[] = {0, 1000, 2000, 3000, 4000, 5000, 7000, 11000, 19000,
					35000, 67000};
	const struct syn_case c = {"linux", NULL, syn_ms, G_N_ELEMENTS(syn_ms), 131000};

	check_syn_schedule(&c);
}

/* Without the linear timeouts: the classic 1, 2, 4, ... 32 s gaps and
 * ETIMEDOUT at 127 s (63 + 64). */
static void test_syn_linux_classic(void)
{
	static const gint64 syn_ms[] = {0, 1000, 3000, 7000, 15000, 31000, 63000};
	static const char *const set[] = {"-s", "client.tcp.syn_linear_timeouts=0", NULL};
	const struct syn_case c = {"linux", set, syn_ms, G_N_ELEMENTS(syn_ms), 127000};

	check_syn_schedule(&c);
}

/* Windows: InitialRto 3 s, TcpMaxConnectRetransmissions 2: SYNs at 0, 3,
 * 9 s and the timer after the second retransmission (9 + 12) ends it. */
static void test_syn_windows(void)
{
	static const gint64 syn_ms[] = {0, 3000, 9000};
	static const char *const set[] = {"-s", "simulation.profile=windows", NULL};
	const struct syn_case c = {"windows", set, syn_ms, G_N_ELEMENTS(syn_ms), 21000};

	check_syn_schedule(&c);
}

/* FreeBSD 13+: tcp_timer_rexmt() in SYN_SENT waits tcp_rexmit_initial
 * (1 s) * tcp_backoff[t_rxtshift] = {1, 2, 4, 8, ...}: retransmissions at
 * 1, 3, 7, 15, 31, 63 s (older releases' tcp_syn_backoff[] = {1, 1, 1, 1,
 * 1, 2, 4, ...} is gone; FreeBSD's own suite, snd-syn-rtx-*, expects 1 s
 * then 2.2 s with its 200 ms slop).  The connection-establishment timer
 * TCPTV_KEEP_INIT (net.inet.tcp.keepinit, 75 s) runs from the first SYN;
 * tcp_timer_keep() in SYN_SENT drops the connection with ETIMEDOUT at 75
 * s, before the next retransmission (127 s).  The simulator does the same. */
static void test_syn_bsd(void)
{
	static const gint64 syn_ms[] = {0, 1000, 3000, 7000, 15000, 31000, 63000};
	static const char *const set[] = {"-s", "simulation.profile=bsd", NULL};
	const struct syn_case c = {"bsd", set, syn_ms, G_N_ELEMENTS(syn_ms), 75000};

	check_syn_schedule(&c);
}

/* RFC profile: RTO 1 s doubling (RFC 6298 §5.5) capped at 60 s (§2.5), 7
 * retransmissions so that SYNs go on for at least 3 minutes (RFC 1122
 * §4.2.3.5): 0, 1, 3, 7, 15, 31, 63, 123 s and ETIMEDOUT at 123 + 60. */
static void test_syn_rfc(void)
{
	static const gint64 syn_ms[] = {0, 1000, 3000, 7000, 15000, 31000, 63000, 123000};
	static const char *const set[] = {"-s", "simulation.profile=rfc", NULL};
	const struct syn_case c = {"rfc", set, syn_ms, G_N_ELEMENTS(syn_ms), 183000};

	check_syn_schedule(&c);
}

/* --- SYN-ACK retransmission in SYN_RCVD --- */

/* The same lost handshake under the other profiles, which count SYN-ACK
 * retransmissions (models/profile.c): the SYN arrives at 10 ms, then
 *   windows: InitialRto 3 s, 2 retries: SYN-ACKs at +0, 3, 9 s, gives up
 *            at 9 + 12 = 21 s;
 *   bsd:     1 s, syncache rexmtlimit 3: +0, 1, 3, 7 s, gives up at 15 s;
 *   rfc:     1 s, 5 retries, rto_max 60 s: +0, 1, 3, 7, 15, 31 s, gives up
 *            at 63 s. */
struct synack_profile {
	const char *profile;
	gint64 synack_ms[8];
	guint n;
	gint64 closed_ms;
};

static void test_synack_profiles(void)
{
	static const struct synack_profile cases[] = {
		{"windows", {10, 3010, 9010}, 3, 21010},
		{"bsd", {10, 1010, 3010, 7010}, 4, 15010},
		{"rfc", {10, 1010, 3010, 7010, 15010, 31010}, 6, 63010},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		const struct synack_profile *c = &cases[i];
		char *profile = g_strdup_printf("simulation.profile=%s", c->profile);
		const char *set[] = {"-s", "simulation.capture=server", "-s", profile, NULL};
		struct e2e s;
		sim_run(&s, "configs/synack_lost.ini", set);
		GArray *synacks = times_of(s.pkts, "10.0.0.2", TH_SYN | TH_ACK, TH_SYN | TH_ACK, 0);
		e2e_assert_times_ms(c->profile, synacks, c->synack_ms, c->n);
		const struct e2e_state server_states[] = {{MS(10), 1, "SYN_RCVD"}, {MS(c->closed_ms), 1, "CLOSED"}};
		e2e_assert_states(&s, "server", server_states, G_N_ELEMENTS(server_states));
		/* a child that never left SYN_RCVD is not the program's: accept()
		 * keeps waiting (Linux drops the request silently) */
		g_assert_cmpstr(scn_json_str(s.json, "endpoints.server.result"), ==, "ok");
		g_array_unref(synacks);
		e2e_clear(&s);
		g_free(profile);
	}
}

/* synack_lost.ini captured on the server: every ACK of the client is
 * lost, so the server retransmits its SYN-ACK (tcp_synack_retries = 5)
 * 1, 2, 4, 8, 16 s apart, gives up 32 s after the last (63.01 s) and
 * forgets the connection, silently: accept() never returned it, so the
 * server's result stays ok; the client's data at 70.02 s is answered with a
 * reset and its recv() fails with ECONNRESET when it arrives (70.04 s). */
static void test_synack_retransmissions(void)
{
	static const char *const set[] = {"-s", "simulation.capture=server", NULL};
	static const gint64 synack_ms[] = {10, 1010, 3010, 7010, 15010, 31010};
	static const struct e2e_state server_states[] = {
		{MS(10), 1, "SYN_RCVD"},
		{MS(63010), 1, "CLOSED"},
	};
	static const struct e2e_call server_calls[] = {{MS(0), "listen", "0", NULL}};
	static const struct e2e_call client_calls[] = {
		{MS(20), "connect", "0", NULL},
		{MS(70020), "sleep", "0", NULL},
		{MS(70020), "send", "6", NULL},
		{MS(70040), "recv", "-1", "ECONNRESET"},
	};
	static const struct e2e_state client_states[] = {
		{MS(0), 1, "SYN_SENT"},
		{MS(20), 1, "ESTABLISHED"},
		{MS(70040), 1, "CLOSED"},
	};
	struct e2e s;
	GArray *synacks;
	const struct e2e_pkt *data = NULL, *rst = NULL;
	guint n_synack = 0;

	sim_run(&s, "configs/synack_lost.ini", set);
	g_assert_cmpstr(scn_json_str(s.json, "capture.point"), ==, "server");
	synacks = times_of(s.pkts, "10.0.0.2", TH_SYN | TH_ACK, TH_SYN | TH_ACK, 0);
	e2e_assert_times_ms("server SYN-ACKs", synacks, synack_ms, G_N_ELEMENTS(synack_ms));
	for (guint i = 0; i < s.pkts->len; i++) {
		const struct e2e_pkt *k = PKT(s.pkts, i);

		if (k->tcp && (k->flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK)) {
			g_assert_cmpint(k->rtx, ==, n_synack > 0); /* flagged after the first */
			n_synack++;
		}
		/* none of the client's ACKs reaches the server before its data */
		if (k->tcp && strcmp(k->src, CLIENT_10) == 0 && k->t < MS(70000))
			g_assert_cmpuint(k->flags & TH_ACK, ==, 0);
		if (k->tcp && strcmp(k->src, CLIENT_10) == 0 && k->len > 0)
			data = k;
		if (k->tcp && strcmp(k->src, "10.0.0.2") == 0 && (k->flags & TH_RST))
			rst = k;
	}
	g_assert_cmpuint(scn_json_uint(s.json, "endpoints.server.retransmissions.syn"), ==, 5);
	e2e_assert_states(&s, "server", server_states, G_N_ELEMENTS(server_states));
	e2e_assert_calls(&s, "server", NULL, server_calls, G_N_ELEMENTS(server_calls));
	/* The program never held that connection (accept() is still waiting):
	 * its end is not the server's result. */
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");

	/* the data reaches a host without the connection: a reset without ACK
	 * whose seq is the data's ack (RFC 9293 §3.10.7.1), sent at once */
	g_assert_nonnull(data);
	g_assert_cmpint(data->t, ==, MS(70030)); /* sent at 70.02, here 10 ms later */
	g_assert_nonnull(rst);
	g_assert_cmpuint(rst->flags, ==, TH_RST);
	g_assert_cmpint(rst->t, ==, MS(70030));
	g_assert_cmpuint(rst->seq_raw, ==, data->ack_raw);
	e2e_assert_calls(&s, "client", NULL, client_calls, G_N_ELEMENTS(client_calls));
	e2e_assert_states(&s, "client", client_states, G_N_ELEMENTS(client_states));
	e2e_assert_endpoint(&s, "client", "CLOSED", "ECONNRESET");
	g_array_unref(synacks);
	e2e_clear(&s);
}

/* --- the user's connect time limits --- */

#define CLIENT_USER "10.0.0.1"

/* Both limits give up at 3 s: SYNs at 0, 1, 2 s only, nothing at or after
 * 3 s (the socket is closed), the connection CLOSED at 3 s. */
static void check_user_limit(const struct e2e *s)
{
	static const gint64 syn_ms[] = {0, 1000, 2000};
	static const struct e2e_state states[] = {{MS(0), 1, "SYN_SENT"}, {MS(3000), 1, "CLOSED"}};
	GArray *syns = times_of(s->pkts, CLIENT_USER, TH_SYN | TH_ACK, TH_SYN, 0);

	e2e_assert_times_ms("client SYNs", syns, syn_ms, G_N_ELEMENTS(syn_ms));
	g_assert_cmpuint(s->pkts->len, ==, G_N_ELEMENTS(syn_ms)); /* no other packet at all */
	for (guint i = 0; i < s->pkts->len; i++)
		g_assert_cmpint(PKT(s->pkts, i)->t, <, SEC(3));
	e2e_assert_states(s, "client", states, G_N_ELEMENTS(states));
	e2e_assert_endpoint(s, "client", "CLOSED", "ETIMEDOUT");
	g_array_unref(syns);
}

/* Seed 004's non-blocking connect: connect() -1 EINPROGRESS at once,
 * select() returns 0 after exactly 3 s, close(). */
static void test_user_limit_select(void)
{
	static const struct e2e_call calls[] = {
		{MS(0), "connect", "-1", "EINPROGRESS"},
		{MS(3000), "select", "0", NULL},
		{MS(3000), "close", "0", NULL},
	};
	struct e2e s;

	sim_run(&s, "configs/connect_user_timeout.ini", NULL);
	e2e_assert_calls(&s, "client", NULL, calls, G_N_ELEMENTS(calls));
	check_user_limit(&s);
	e2e_clear(&s);
}

/* A blocking connect() under SO_SNDTIMEO 3 s: Linux's
 * inet_stream_connect() returns -1 EINPROGRESS when the time runs out. */
static void test_user_limit_sndtimeo(void)
{
	static const char *const set[] = {
		"-s", "client.script=connect 58.31.231.255:9999 sndtimeo=3s; close", NULL,
	};
	static const struct e2e_call calls[] = {
		{MS(3000), "connect", "-1", "EINPROGRESS"},
		{MS(3000), "close", "0", NULL},
	};
	struct e2e s;

	sim_run(&s, "configs/connect_user_timeout.ini", set);
	e2e_assert_calls(&s, "client", NULL, calls, G_N_ELEMENTS(calls));
	check_user_limit(&s);
	e2e_clear(&s);
}

/* --- ECONNREFUSED --- */

/* A SYN to a port without a listener: RST+ACK with seq 0, ack = ISN + 1
 * and no options (RFC 9293 §3.10.7.1, Linux tcp_v4_send_reset()), and
 * connect() fails when it arrives: one round trip, 2 x 5 ms. */
static void test_refused(void)
{
	static const struct e2e_call calls[] = {{MS(10), "connect", "-1", "ECONNREFUSED"}};
	static const struct e2e_state states[] = {{MS(0), 1, "SYN_SENT"}, {MS(10), 1, "CLOSED"}};
	struct e2e s;
	const struct e2e_pkt *syn, *rst;

	sim_run(&s, "configs/connect_refused.ini", NULL);
	g_assert_cmpuint(s.pkts->len, ==, 2);
	syn = PKT(s.pkts, 0);
	rst = PKT(s.pkts, 1);
	g_assert_cmpstr(syn->src, ==, "192.168.0.4");
	g_assert_cmpuint(syn->flags, ==, TH_SYN);
	g_assert_cmpstr(syn->f[E2E_F_DPORT], ==, "20000");
	g_assert_cmpstr(rst->src, ==, "192.168.0.5");
	g_assert_cmpuint(rst->flags, ==, TH_RST | TH_ACK);
	g_assert_cmpint(rst->t, ==, MS(10));
	g_assert_cmpstr(rst->f[E2E_F_SEQ_RAW], ==, "0");
	g_assert_cmpuint(rst->ack_raw, ==, (syn->seq_raw + 1) & 0xffffffffu);
	g_assert_cmpstr(rst->f[E2E_F_HDR_LEN], ==, "20");
	g_assert_cmpstr(rst->f[E2E_F_OPTIONS], ==, "");
	g_assert_cmpuint(rst->len, ==, 0);
	g_assert_cmpstr(rst->f[E2E_F_SPORT], ==, syn->f[E2E_F_DPORT]);
	g_assert_cmpstr(rst->f[E2E_F_DPORT], ==, syn->f[E2E_F_SPORT]);
	e2e_assert_calls(&s, "client", NULL, calls, G_N_ELEMENTS(calls));
	e2e_assert_states(&s, "client", states, G_N_ELEMENTS(states));
	e2e_assert_endpoint(&s, "client", "CLOSED", "ECONNREFUSED");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	e2e_clear(&s);
}

/* --- a full accept queue --- */

/* backlog 1: Linux queues backlog + 1 = 2 connections; the third SYN
 * (0.04 s) finds the accept queue full and is dropped, so the client
 * retransmits it on Linux's schedule (+1, 2, 3, 4, 5, 7, 11 s); the server
 * accepts twice at 10 s, and the SYN of 11.04 s gets through: connect()
 * returns at 11.06, the server accepts it at 11.07. */
static void test_backlog_full(void)
{
	static const gint64 third_syn_ms[] = {40, 1040, 2040, 3040, 4040, 5040, 7040, 11040};
	static const struct e2e_call client_calls[] = {
		{MS(20), "connect", "0", NULL},
		{MS(40), "connect", "0", NULL},
		{MS(11060), "connect", "0", NULL},
	};
	static const struct e2e_call server_calls[] = {
		{MS(0), "listen", "0", NULL},
		{MS(10000), "sleep", "0", NULL},
		{MS(10000), "accept", "4", NULL},
		{MS(10000), "accept", "5", NULL},
		{MS(11070), "accept", "6", NULL},
	};
	static const struct e2e_state client_states[] = {
		{MS(0), 1, "SYN_SENT"}, {MS(20), 1, "ESTABLISHED"},
		{MS(20), 2, "SYN_SENT"}, {MS(40), 2, "ESTABLISHED"},
		{MS(40), 3, "SYN_SENT"}, {MS(11060), 3, "ESTABLISHED"},
	};
	static const struct e2e_state server_states[] = {
		{MS(10), 1, "SYN_RCVD"}, {MS(30), 1, "ESTABLISHED"},
		{MS(30), 2, "SYN_RCVD"}, {MS(50), 2, "ESTABLISHED"},
		{MS(11050), 3, "SYN_RCVD"}, {MS(11070), 3, "ESTABLISHED"},
	};
	struct e2e s;
	GArray *third = g_array_new(FALSE, FALSE, sizeof(gint64));
	guint64 isn[3] = {0};
	guint n_isn = 0;

	sim_run(&s, "configs/backlog_full.ini", NULL);
	/* the SYNs of each connection, told apart by their ISN */
	for (guint i = 0; i < s.pkts->len; i++) {
		const struct e2e_pkt *k = PKT(s.pkts, i);
		guint c = 0;

		if (!k->tcp || strcmp(k->src, CLIENT_10) != 0 || (k->flags & (TH_SYN | TH_ACK)) != TH_SYN)
			continue;
		while (c < n_isn && isn[c] != k->seq_raw)
			c++;
		g_assert_cmpuint(c, <, G_N_ELEMENTS(isn)); /* three connections */
		if (c == n_isn && n_isn < G_N_ELEMENTS(isn))
			isn[n_isn++] = k->seq_raw;
		g_assert_cmpint(k->rtx, ==, c == 2 && third->len > 0);
		if (c == 2)
			g_array_append_val(third, k->t);
	}
	g_assert_cmpuint(n_isn, ==, 3);
	e2e_assert_times_ms("third connection's SYNs", third, third_syn_ms, G_N_ELEMENTS(third_syn_ms));
	g_assert_cmpuint(scn_json_uint(s.json, "endpoints.client.retransmissions.syn"), ==, 7);
	e2e_assert_calls(&s, "client", NULL, client_calls, G_N_ELEMENTS(client_calls));
	e2e_assert_calls(&s, "server", NULL, server_calls, G_N_ELEMENTS(server_calls));
	e2e_assert_states(&s, "client", client_states, G_N_ELEMENTS(client_states));
	e2e_assert_states(&s, "server", server_states, G_N_ELEMENTS(server_states));
	e2e_assert_endpoint(&s, "client", "ESTABLISHED", "ok");
	e2e_assert_endpoint(&s, "server", "ESTABLISHED", "ok");
	g_array_unref(third);
	e2e_clear(&s);
}

/* --- ICMP destination unreachable --- */

/* host_unreachable.ini (or its net variant): the router 192.168.0.1
 * answers the SYN with ICMP type 3 quoting the SYN's IP header and the
 * first 8 bytes of its TCP header; connect() fails when it arrives. */
static void check_unreachable(const char *const *set, int code, const char *err)
{
	const struct e2e_call calls[] = {{MS(10), "connect", "-1", err}};
	static const struct e2e_state states[] = {{MS(0), 1, "SYN_SENT"}, {MS(10), 1, "CLOSED"}};
	struct e2e s;
	const struct e2e_pkt *syn, *icmp;
	const char *quoted_seq;

	sim_run(&s, "configs/host_unreachable.ini", set);
	g_assert_cmpuint(s.pkts->len, ==, 2);
	syn = PKT(s.pkts, 0);
	icmp = PKT(s.pkts, 1);
	g_assert_true(syn->tcp);
	g_assert_cmpuint(syn->flags, ==, TH_SYN);
	g_assert_cmpstr(syn->f[E2E_F_SRC], ==, "192.168.0.4");
	g_assert_cmpstr(syn->f[E2E_F_DST], ==, "192.168.0.188");

	g_assert_false(icmp->tcp);
	g_assert_cmpint(icmp->t, ==, MS(10));
	g_assert_cmpint(icmp->icmp_type, ==, 3);
	g_assert_cmpint(icmp->icmp_code, ==, code);
	/* outer header: the router to the client; inner: the SYN's own */
	g_assert_cmpstr(icmp->f[E2E_F_SRC], ==, "192.168.0.1,192.168.0.4");
	g_assert_cmpstr(icmp->f[E2E_F_DST], ==, "192.168.0.4,192.168.0.188");
	g_assert_cmpstr(icmp->f[E2E_F_PROTO], ==, "1,6");
	g_assert_cmpstr(icmp->f[E2E_F_IP_CSUM], ==, "1,1");
	g_assert_cmpstr(icmp->f[E2E_F_ICMP_CSUM], ==, "1");
	/* the quoted TCP header: the SYN's ports and sequence number.  tshark
	 * 4.0 decodes the quoted header without conversation tracking, so it
	 * prints the number in tcp.seq (absolute) and leaves tcp.seq_raw
	 * empty; a version that fills tcp.seq_raw must agree too. */
	g_assert_cmpstr(icmp->f[E2E_F_SPORT], ==, syn->f[E2E_F_SPORT]);
	g_assert_cmpstr(icmp->f[E2E_F_DPORT], ==, "20000");
	quoted_seq = icmp->f[E2E_F_SEQ_RAW][0] != '\0' ? icmp->f[E2E_F_SEQ_RAW] : icmp->f[E2E_F_SEQ];
	g_assert_cmpstr(quoted_seq, ==, syn->f[E2E_F_SEQ_RAW]);

	e2e_assert_calls(&s, "client", NULL, calls, G_N_ELEMENTS(calls));
	e2e_assert_states(&s, "client", states, G_N_ELEMENTS(states));
	e2e_assert_endpoint(&s, "client", "CLOSED", err);
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	e2e_clear(&s);
}

static void test_unreachable_host(void)
{
	check_unreachable(NULL, 1, "EHOSTUNREACH");
}

static void test_unreachable_net(void)
{
	static const char *const set[] = {"-s", "network.client_to_server.unreachable=net", NULL};

	check_unreachable(set, 0, "ENETUNREACH");
}

/* --- resets --- */

/* The server's host crashes at 0.03 s and reboots at 10.03 s; the
 * client's data at 20.04 s reaches a host without the connection, which
 * answers with a reset: no ACK, seq = the data's ACK number (RFC 9293
 * §3.10.7.1).  recv() fails with ECONNRESET when it arrives (20.06 s); a
 * send() after that fails with EPIPE (the error was consumed). */
static void test_reset_peer_reboot(void)
{
	static const struct e2e_call client_calls[] = {
		{MS(20), "connect", "0", NULL},
		{MS(20), "send", "5", NULL},
		{MS(40), "recv", "5", NULL},
		{MS(20040), "sleep", "0", NULL},
		{MS(20040), "send", "11", NULL},
		{MS(20060), "recv", "-1", "ECONNRESET"},
		{MS(20060), "send", "-1", "EPIPE"},
	};
	static const struct e2e_call server_calls[] = {
		{MS(0), "listen", "0", NULL},
		{MS(30), "accept", "4", NULL},
		{MS(30), "recv", "5", NULL},
		{MS(30), "send", "5", NULL},
		{MS(30), "crash", "0", NULL},
		{MS(10030), "sleep", "0", NULL},
		{MS(10030), "reboot", "0", NULL},
	};
	static const struct e2e_state client_states[] = {
		{MS(0), 1, "SYN_SENT"},
		{MS(20), 1, "ESTABLISHED"},
		{MS(20060), 1, "CLOSED"},
	};
	struct e2e s;
	const struct e2e_pkt *data = NULL, *rst = NULL;
	guint rsts = 0;

	sim_run(&s, "configs/peer_crash_reboot.ini", NULL);
	for (guint i = 0; i < s.pkts->len; i++) {
		const struct e2e_pkt *k = PKT(s.pkts, i);

		if (!k->tcp)
			continue;
		if (strcmp(k->src, CLIENT_10) == 0 && k->len > 0 && rst == NULL)
			data = k; /* the last data segment before the reset */
		if (k->flags & TH_RST) {
			rst = k;
			rsts++;
		}
	}
	g_assert_cmpuint(rsts, ==, 1);
	g_assert_nonnull(data);
	g_assert_cmpint(data->t, ==, MS(20040));
	g_assert_cmpuint(data->len, ==, 11);
	g_assert_cmpstr(rst->src, ==, "10.0.0.2");
	g_assert_cmpint(rst->t, ==, MS(20060));
	g_assert_cmpuint(rst->flags, ==, TH_RST);
	g_assert_cmpuint(rst->seq_raw, ==, data->ack_raw);
	/* the send() after the reset puts nothing on the wire */
	g_assert_true(PKT(s.pkts, s.pkts->len - 1) == rst);
	e2e_assert_calls(&s, "client", NULL, client_calls, G_N_ELEMENTS(client_calls));
	e2e_assert_calls(&s, "server", NULL, server_calls, G_N_ELEMENTS(server_calls));
	e2e_assert_states(&s, "client", client_states, G_N_ELEMENTS(client_states));
	e2e_assert_endpoint(&s, "client", "CLOSED", "ECONNRESET");
	/* the crash loses the connection silently: no error, no packet */
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	g_assert_cmpuint(count_from(s.pkts, "10.0.0.2", TH_FIN), ==, 0);
	e2e_clear(&s);
}

/* abort (SO_LINGER 0): the client sends RST+ACK instead of a FIN and goes
 * to CLOSED at once, skipping FIN_WAIT and TIME_WAIT; the server, blocked
 * in recv(), gets ECONNRESET when the reset arrives. */
static void test_reset_abort(void)
{
	static const struct e2e_call server_calls[] = {
		{MS(0), "listen", "0", NULL},
		{MS(30), "accept", "4", NULL},
		{MS(30), "recv", "6", NULL},
		{MS(30), "send", "6", NULL},
		{MS(50), "recv", "-1", "ECONNRESET"},
	};
	static const struct e2e_call client_calls[] = {
		{MS(20), "connect", "0", NULL},
		{MS(20), "send", "6", NULL},
		{MS(40), "recv", "6", NULL},
		{MS(40), "close", "0", NULL}, /* after SO_LINGER {1, 0}: a reset */
	};
	static const struct e2e_state client_states[] = {
		{MS(0), 1, "SYN_SENT"},
		{MS(20), 1, "ESTABLISHED"},
		{MS(40), 1, "CLOSED"},
	};
	struct e2e s;
	const struct e2e_pkt *rst = NULL, *last_server = NULL;

	sim_run(&s, "configs/abort_rst.ini", NULL);
	for (guint i = 0; i < s.pkts->len; i++) {
		const struct e2e_pkt *k = PKT(s.pkts, i);

		if (k->tcp && strcmp(k->src, "10.0.0.2") == 0)
			last_server = k;
		if (k->tcp && (k->flags & TH_RST)) {
			g_assert_null(rst); /* one reset */
			rst = k;
		}
	}
	g_assert_nonnull(rst);
	g_assert_cmpstr(rst->src, ==, CLIENT_10);
	g_assert_cmpuint(rst->flags, ==, TH_RST | TH_ACK);
	g_assert_cmpint(rst->t, ==, MS(40));
	/* in the server's window: seq = what the server acknowledged last */
	g_assert_nonnull(last_server);
	g_assert_cmpuint(rst->seq_raw, ==, last_server->ack_raw);
	g_assert_cmpuint(count_from(s.pkts, CLIENT_10, TH_FIN), ==, 0);
	g_assert_cmpuint(count_from(s.pkts, "10.0.0.2", TH_FIN), ==, 0);
	e2e_assert_calls(&s, "client", NULL, client_calls, G_N_ELEMENTS(client_calls));
	e2e_assert_calls(&s, "server", NULL, server_calls, G_N_ELEMENTS(server_calls));
	e2e_assert_states(&s, "client", client_states, G_N_ELEMENTS(client_states)); /* no TIME_WAIT */
	e2e_assert_endpoint(&s, "client", "CLOSED", "ok");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ECONNRESET");
	e2e_clear(&s);
}

/* --- half-open connections --- */

static const struct e2e_call half_open_first_calls[] = {
	{MS(20), "connect", "0", NULL},
	{MS(20), "send", "5", NULL},
	{MS(40), "recv", "5", NULL},
};

/* Keepalive idle 60 s, interval 10 s, 3 probes: the client last heard
 * from the server at 0.04 s, probes at 60.04, 70.04, 80.04 s (an ACK with
 * seq = SND.UNA - 1, no payload), and when the fourth interval ends
 * without an answer (90.04 s) Linux's tcp_keepalive_timer() sends a reset
 * (tcp_send_active_reset: RST+ACK) and fails the connection: the blocked
 * recv() returns ETIMEDOUT. */
static void test_half_open_keepalive(void)
{
	static const gint64 probe_ms[] = {60040, 70040, 80040};
	static const struct e2e_call calls[] = {
		{MS(20), "connect", "0", NULL},
		{MS(20), "send", "5", NULL},
		{MS(40), "recv", "5", NULL},
		{MS(90040), "recv", "-1", "ETIMEDOUT"},
	};
	static const struct e2e_state states[] = {
		{MS(0), 1, "SYN_SENT"},
		{MS(20), 1, "ESTABLISHED"},
		{MS(90040), 1, "CLOSED"},
	};
	struct e2e s;
	GArray *probes = g_array_new(FALSE, FALSE, sizeof(gint64));
	const struct e2e_pkt *last_ack = NULL, *rst = NULL;

	sim_run(&s, "configs/half_open_keepalive.ini", NULL);
	for (guint i = 0; i < s.pkts->len; i++) {
		const struct e2e_pkt *k = PKT(s.pkts, i);

		if (!k->tcp)
			continue;
		if (k->keep_alive) {
			g_assert_cmpstr(k->src, ==, CLIENT_10);
			g_assert_cmpuint(k->flags, ==, TH_ACK);
			g_assert_cmpuint(k->len, ==, 0);
			g_assert_nonnull(last_ack);
			g_assert_cmpuint(k->seq_raw, ==, (last_ack->seq_raw - 1) & 0xffffffffu);
			g_assert_false(k->rtx);
			g_array_append_val(probes, k->t);
			continue;
		}
		if (k->flags & TH_RST) {
			g_assert_null(rst);
			rst = k;
		} else if (strcmp(k->src, CLIENT_10) == 0) {
			last_ack = k;
		}
	}
	e2e_assert_times_ms("keepalive probes", probes, probe_ms, G_N_ELEMENTS(probe_ms));
	g_assert_nonnull(rst);
	g_assert_cmpstr(rst->src, ==, CLIENT_10);
	g_assert_cmpint(rst->t, ==, MS(90040));
	g_assert_cmpuint(rst->flags, ==, TH_RST | TH_ACK);
	g_assert_cmpuint(rst->seq_raw, ==, last_ack->seq_raw);
	g_assert_true(PKT(s.pkts, s.pkts->len - 1) == rst);
	e2e_assert_calls(&s, "client", NULL, calls, G_N_ELEMENTS(calls));
	e2e_assert_states(&s, "client", states, G_N_ELEMENTS(states));
	e2e_assert_endpoint(&s, "client", "CLOSED", "ETIMEDOUT");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	g_array_unref(probes);
	e2e_clear(&s);
}

/* Without keepalive the client, with nothing to send, never notices: it
 * is still ESTABLISHED when the run ends, and no packet follows the
 * exchange. */
static void test_half_open_no_keepalive(void)
{
	static const char *const set[] = {"-s", "client.tcp.keepalive=false", NULL};
	static const struct e2e_state states[] = {{MS(0), 1, "SYN_SENT"}, {MS(20), 1, "ESTABLISHED"}};
	struct e2e s;

	sim_run(&s, "configs/half_open_keepalive.ini", set);
	for (guint i = 0; i < s.pkts->len; i++) {
		g_assert_cmpint(PKT(s.pkts, i)->t, <=, MS(40));
		g_assert_false(PKT(s.pkts, i)->keep_alive);
	}
	e2e_assert_calls(&s, "client", NULL, half_open_first_calls, G_N_ELEMENTS(half_open_first_calls));
	e2e_assert_states(&s, "client", states, G_N_ELEMENTS(states));
	e2e_assert_endpoint(&s, "client", "ESTABLISHED", "ok");
	e2e_clear(&s);
}

/* A crash without reboot while the client writes: "more\n" leaves at
 * 1.04 s (the script sleeps 1 s after its recv() at 0.04 s) and is never
 * acknowledged.
 *
 * The schedule.  Two RTT samples of 20 ms (2 x 10 ms: the SYN and "ping\n"):
 * SRTT = 20 ms, RTTVAR = 10 ms, then 3/4 x 10 + 1/4 x 0 = 7.5 ms, so
 * Linux's RTO (__tcp_set_rto) is SRTT + max(4 RTTVAR, rto_min) =
 * 20 + max(30, 200) = 220 ms.  With one segment out, the tail loss probe
 * (RFC 8985) fires first, at min(2 SRTT + rto_min, RTO) = min(240, 220) =
 * 220 ms: 1.26 s.  Then the RTO expiries, each retransmitting the segment
 * and doubling the RTO (RFC 6298 §5.5) up to rto_max = 120 s: 1.48
 * (+0.22), 1.92 (+0.44), 2.80, 4.56, 8.08, 15.12, 29.20, 57.36, 113.68
 * (+56.32), 226.32 (+112.64), then +120 s (225.28 > 120): 346.32, 466.32,
 * 586.32, 706.32, 826.32.
 *
 * Giving up (models/tcp_timer.c, Linux's retransmits_timed_out()):
 * tcp_retries2 = 15 is a time, model_timeout(15, rto_min, rto_max):
 * thresh = ilog2(120 s / 200 ms) = ilog2(600) = 9 doublings stay under
 * rto_max, and 15 > 9, so the budget is (2^10 - 1) x 0.2 + (15 - 9) x 120
 * = 204.6 + 720 = 924.6 s from the first transmission (1.04 s); the budget
 * is counted in rto_min, not in the path's RTO.  At each RTO expiry the
 * elapsed time is 0.44, 0.88, ..., 225.28, 345.28, ..., 825.28 s
 * (< 924.6: retransmit); at 946.32 s it is 945.28 s >= 924.6 s: the
 * connection fails with ETIMEDOUT, without a packet (tcp_write_err()), and
 * the blocked recv() returns -1 ETIMEDOUT.  16 retransmissions in all: the
 * probe and 15 timeouts. */
static void test_half_open_retries2(void)
{
	static const char *const set[] = {
		"-s", "client.tcp.keepalive=false",
		"-s", "client.script=connect; send \"ping\\n\"; recv; sleep 1s; send \"more\\n\"; recv",
		"-s", "simulation.duration=1000s", /* the default 600 s would end it first */
		NULL,
	};
	static const struct e2e_state states[] = {
		{MS(0), 1, "SYN_SENT"},
		{MS(20), 1, "ESTABLISHED"},
		{MS(946320), 1, "CLOSED"},
	};
	const gint64 first = MS(1040), rto_min = MS(200), rto_max = SEC(120);
	/* SRTT 20 ms; RTTVAR 10 ms after the first sample, 3/4 x 10 + 1/4 x 0
	 * after the second: 7.5 ms */
	const gint64 srtt = MS(20), rttvar = (3 * MS(10) + 0) / 4;
	const gint64 rto0 = srtt + MAX(4 * rttvar, rto_min); /* 20 + max(30, 200) = 220 ms */
	const gint64 pto = MIN(2 * srtt + rto_min, rto0);    /* min(240, 220) = 220 ms */
	const gint64 budget = ((G_GINT64_CONSTANT(2) << 9) - 1) * rto_min + (15 - 9) * rto_max;
	GArray *want = g_array_new(FALSE, FALSE, sizeof(gint64));
	GArray *sends = g_array_new(FALSE, FALSE, sizeof(gint64));
	struct e2e_call calls[G_N_ELEMENTS(half_open_first_calls) + 3];
	gint64 t, rto = rto0, give_up;
	guint64 more_seq = 0;
	struct e2e s;

	g_assert_cmpint(budget, ==, MS(924600));
	g_assert_cmpint(rto0, ==, MS(220));
	g_assert_cmpint(pto, ==, MS(220));
	/* the expected transmissions of "more\n": first, probe, RTO expiries */
	g_array_append_val(want, first);
	t = first + pto; /* the tail loss probe */
	g_array_append_val(want, t);
	for (;;) {
		t += rto;
		if (t - first >= budget)
			break;
		g_array_append_val(want, t);
		rto = MIN(2 * rto, rto_max);
	}
	give_up = t;
	g_assert_cmpint(give_up, ==, MS(946320)); /* 826.32 + 120 */
	g_assert_cmpuint(want->len, ==, 17);

	sim_run(&s, "configs/half_open_keepalive.ini", set);
	g_assert_cmpstr(scn_json_get(s.json, "truncated")->text, ==, "false");
	for (guint i = 0; i < s.pkts->len; i++) {
		const struct e2e_pkt *k = PKT(s.pkts, i);

		if (!k->tcp || strcmp(k->src, CLIENT_10) != 0 || k->len == 0 || k->t < first)
			continue;
		if (sends->len == 0)
			more_seq = k->seq_raw;
		g_assert_cmpuint(k->seq_raw, ==, more_seq); /* the same segment each time */
		g_assert_cmpuint(k->len, ==, 5);
		g_assert_cmpint(k->rtx, ==, sends->len > 0);
		g_array_append_val(sends, k->t);
	}
	e2e_assert_times("transmissions of \"more\\n\"", sends, (const gint64 *)(gpointer)want->data,
			want->len);
	/* nothing after the last retransmission: no reset when giving up */
	g_assert_cmpint(PKT(s.pkts, s.pkts->len - 1)->t, ==, MS(826320));
	g_assert_cmpuint(count_from(s.pkts, CLIENT_10, TH_RST), ==, 0);
	g_assert_cmpuint(scn_json_uint(s.json, "endpoints.client.retransmissions.data"), ==, 16);

	memcpy(calls, half_open_first_calls, sizeof(half_open_first_calls));
	calls[3] = (struct e2e_call){MS(1040), "sleep", "0", NULL};
	calls[4] = (struct e2e_call){MS(1040), "send", "5", NULL};
	calls[5] = (struct e2e_call){give_up, "recv", "-1", "ETIMEDOUT"};
	e2e_assert_calls(&s, "client", NULL, calls, G_N_ELEMENTS(calls));
	e2e_assert_states(&s, "client", states, G_N_ELEMENTS(states));
	e2e_assert_endpoint(&s, "client", "CLOSED", "ETIMEDOUT");
	g_array_unref(want);
	g_array_unref(sends);
	e2e_clear(&s);
}

/* --- netem's corrupt --- */

/* The SYN of `capture`'s capture, every one of them: "TIME\tFLAGS-SYN?\tCHECKSUM-STATUS". */
static char **corrupt_syn_run(struct e2e *s, const char *capture)
{
	static const char *const fields[] = {"frame.time_epoch", "tcp.flags.syn", "tcp.flags.ack",
	                                     "tcp.checksum.status", NULL};
	char *cap = g_strdup_printf("simulation.capture=%s", capture);
	const char *const set[] = {"--json", "-s", "network.client_to_server.corrupt=1", "-s",
	                           "simulation.duration=10s", "-s", cap, NULL};
	GError *error = NULL;

	e2e_run(s, "configs/seed_echo_hello.ini", set);
	g_free(cap);
	char **lines = tshark_fields(s->pcap, NULL, fields, &error);
	g_assert_no_error(error);
	return lines;
}

/* corrupt = 1 from client to server: every SYN arrives with a bit flipped
 * and the server drops it on its checksum (tcp_v4_rcv()), so nothing
 * answers and the client retransmits it on Linux's schedule (linear for
 * tcp_syn_linear_timeouts = 4, then doubling).  The server's capture
 * shows each SYN with a bad TCP checksum (Wireshark verifying it), the
 * client's the same SYNs intact; the summary counts them as corrupted,
 * not delivered and not dropped. */
static void test_corrupt_syn(void)
{
	static const char *const times[] = {"0", "1", "2", "3", "4", "5", "7"};
	struct e2e s;
	char **srv = corrupt_syn_run(&s, "server");

	g_assert_cmpuint(g_strv_length(srv), ==, G_N_ELEMENTS(times));
	for (guint i = 0; i < G_N_ELEMENTS(times); i++) {
		char *want = g_strdup_printf("%s.001000000\t1\t0\t0", times[i]);
		g_assert_cmpstr(srv[i], ==, want); /* arrives 1 ms later, a SYN, checksum bad */
		g_free(want);
	}
	g_assert_cmpuint(scn_json_uint(s.json, "network.corrupted"), ==, 7);
	g_assert_cmpuint(scn_json_uint(s.json, "network.delivered"), ==, 0);
	g_assert_cmpuint(scn_json_uint(s.json, "network.dropped"), ==, 0);
	g_strfreev(srv);
	e2e_clear(&s);

	char **cli = corrupt_syn_run(&s, "client");
	g_assert_cmpuint(g_strv_length(cli), ==, G_N_ELEMENTS(times));
	for (guint i = 0; i < G_N_ELEMENTS(times); i++) {
		char *want = g_strdup_printf("%s.000000000\t1\t0\t1", times[i]);
		g_assert_cmpstr(cli[i], ==, want); /* as sent: checksum good */
		g_free(want);
	}
	g_strfreev(cli);
	e2e_clear(&s);
}

/* The pcapng's comments say it at both interfaces: the client's copy as
 * sent and bound to be dropped, the server's as dropped on its checksum. */
static void test_corrupt_comments(void)
{
	static const char *const set[] = {"--format", "pcapng", "-s", "network.client_to_server.corrupt=1",
	                                  "-s", "simulation.duration=1.5s", NULL};
	static const char *const fields[] = {"frame.interface_id", "tcp.checksum.status", "frame.comment", NULL};
	struct e2e s;
	GError *error = NULL;

	e2e_run(&s, "configs/seed_echo_hello.ini", set);
	char *ng = g_build_filename(s.dir, "trace.pcapng", NULL);
	char **lines = tshark_fields(ng, NULL, fields, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_strv_length(lines), ==, 4);
	g_assert_cmpstr(lines[0], ==, "0\t1\tcorrupted by the network (a bit flipped): its receiver drops it; "
	                              "client CLOSED -> SYN_SENT");
	g_assert_cmpstr(lines[1], ==, "1\t0\tcorrupted by the network (a bit flipped): bad TCP checksum, dropped");
	g_assert_true(g_str_has_prefix(lines[2], "0\t1\tretransmission #1 after a timeout"));
	g_assert_true(g_str_has_suffix(lines[3], "; corrupted by the network (a bit flipped): bad TCP checksum, dropped"));
	g_strfreev(lines);
	g_free(ng);
	e2e_clear(&s);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/failures/syn/linux", test_syn_linux);
	g_test_add_func("/failures/syn/linux-no-linear", test_syn_linux_classic);
	g_test_add_func("/failures/syn/windows", test_syn_windows);
	g_test_add_func("/failures/syn/bsd", test_syn_bsd);
	g_test_add_func("/failures/syn/rfc", test_syn_rfc);
	g_test_add_func("/failures/synack/retransmissions", test_synack_retransmissions);
	g_test_add_func("/failures/synack/profiles", test_synack_profiles);
	g_test_add_func("/failures/user-limit/select", test_user_limit_select);
	g_test_add_func("/failures/user-limit/sndtimeo", test_user_limit_sndtimeo);
	g_test_add_func("/failures/refused", test_refused);
	g_test_add_func("/failures/backlog-full", test_backlog_full);
	g_test_add_func("/failures/unreachable/host", test_unreachable_host);
	g_test_add_func("/failures/unreachable/net", test_unreachable_net);
	g_test_add_func("/failures/reset/peer-reboot", test_reset_peer_reboot);
	g_test_add_func("/failures/reset/abort", test_reset_abort);
	g_test_add_func("/failures/half-open/keepalive", test_half_open_keepalive);
	g_test_add_func("/failures/half-open/no-keepalive", test_half_open_no_keepalive);
	g_test_add_func("/failures/half-open/retries2", test_half_open_retries2);
	g_test_add_func("/failures/corrupt/syn", test_corrupt_syn);
	g_test_add_func("/failures/corrupt/comments", test_corrupt_comments);
	return g_test_run();
}
