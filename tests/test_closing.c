/*
 * Closing, LAST_ACK and TIME_WAIT (issue 4), end to end: the built ./tcpsim
 * run on the closing scenarios of configs/ (and variants of them set on the
 * command line), its pcap decoded by tshark, its --json summary parsed.
 * Each test pins, in simulated time to the nanosecond, the packets at the
 * capture point, the state log of both endpoints and their results:
 *
 *   /closing/three-way              FIN+ACK: FIN_WAIT_1 -> TIME_WAIT directly
 *   /closing/four-way               the delayed ACK of the FIN, then the FIN
 *   /closing/simultaneous           CLOSING on both ends, no LAST_ACK
 *   /closing/half-close/...         data flowing to the FIN's sender
 *   /closing/fin-wait-2/...         the orphan's tcp_fin_timeout; shutdown()
 *   /closing/unread-data-reset      close() with unread data sends RST
 *   /closing/last-ack/...           the lost last ACK: FIN retransmissions,
 *                                   TIME_WAIT's answers and restarts, backoff
 *                                   until the orphan gives up; without
 *                                   TIME_WAIT, the reset
 *   /closing/old-duplicate/...      corrupted data without TIME_WAIT; intact
 *                                   with it, or with PAWS
 *   /closing/assassination/...      RST in TIME_WAIT (RFC 1337)
 *   /closing/port-exhaustion/...    EADDRNOTAVAIL while TIME_WAIT holds ports
 *   /closing/lossy-close            the summary and the pcap agree
 *   /closing/lossy-close/kernel-timers  the shipped run on the kernel's clock
 *   /closing/nagle-minshall-high-isn    a write's short tail, ISN above 2^31
 *
 * Times: frame.time_epoch is the simulated clock (the pcap's time origin is
 * simulated time 0).  The captures are on the client unless a test says
 * "server capture": a capture shows its endpoint's own segments as they
 * leave (even those the network then drops) and the peer's as they arrive.
 * Every run writes into a fresh temporary folder (-o), never into out/, and
 * every capture is checked for malformed packets, bad IP and TCP checksums
 * and for agreement between Wireshark's retransmission flags and the
 * summary's capture counts.  A mismatch in a list (packets, times, calls,
 * states) shows the whole list, expected against actual.
 *
 * Packets are described one per line, "T DIR FLAGS seq S ack A len L": DIR
 * is C (from the client) or S (from the server); FLAGS are built from the
 * tcp.flags bits in the order S F R P U, then A (so "SA", "PA", "FA", "RA",
 * "FPA"); seq and ack are Wireshark's relative numbers.
 */
#include <string.h>
#include <glib.h>
#include "tests/e2e.h"
#include "tests/tshark.h"

/* The linux profile's constants these scenarios show. */
#define LINUX_2MSL SEC(60)        /* TIME_WAIT length (TCP_TIMEWAIT_LEN) */
#define LINUX_FIN_TIMEOUT SEC(60) /* tcp_fin_timeout */
#define LINUX_DELACK MS(40)       /* the delayed ACK (TCP_ATO_MIN) */
#define LINUX_RTO_MIN MS(200)     /* TCP_RTO_MIN */
#define LINUX_ORPHAN_RETRIES 8    /* tcp_orphan_retries = 0 means 8 */
#define MSS_TS 1448               /* MSS 1460 less the 12 bytes of timestamps */

/* The server's timers on the 10 ms-each-way path of the LAST_ACK scenarios
 * (last_ack_lost*.ini, time_wait_assassination.ini): two 20 ms RTT samples
 * (its SYN-ACK, its echo) before its FIN, so SRTT = 20 ms and RTTVAR = 10,
 * then 3/4 x 10 + 1/4 x 0 = 7.5 ms.  Linux's __tcp_set_rto(): RTO = SRTT +
 * max(4 RTTVAR, TCP_RTO_MIN) = 20 + max(30, 200) = 220 ms; the lone FIN's
 * tail loss probe (tcp_schedule_loss_probe()) at min(2 SRTT + TCP_RTO_MIN,
 * RTO) = min(240, 220) = 220 ms. */
#define PATH_RTO MS(220)
#define PATH_PTO MS(220)

#define CLIENT "10.0.0.1"
#define SERVER "10.0.0.2"

/* Runs config with the harness's checks (e2e_run_capture(): --json, a
 * well-formed capture that agrees with the summary) and asserts what holds
 * of every capture here: TCP segments between CLIENT and SERVER. */
static void sim_run(struct e2e *s, const char *config, const char *const *extra)
{
	e2e_run_capture(s, config, extra, CLIENT);
	for (guint i = 0; i < s->pkts->len; i++) {
		const struct e2e_pkt *k = PKT(s->pkts, i);

		g_assert_true(strcmp(k->src, CLIENT) == 0 || strcmp(k->src, SERVER) == 0);
		g_assert_cmpstr(k->f[E2E_F_FLAGS], !=, ""); /* every packet here is TCP */
	}
}

/* --- the packets --- */

/* What one packet of a trace must be. */
struct want {
	gint64 t;          /* nanoseconds */
	char dir;          /* 'C' or 'S' */
	const char *flags; /* as e2e_pkt.fl spells them */
	guint64 seq, ack;  /* relative */
	guint len;
};

static void describe(GString *s, gint64 t, char dir, const char *flags, guint64 seq, guint64 ack,
		     guint len)
{
	e2e_append_time(s, t);
	g_string_append_printf(s, " %c %s seq %" G_GUINT64_FORMAT " ack %" G_GUINT64_FORMAT " len %u\n",
			       dir, flags, seq, ack, len);
}

/* Asserts that the capture is exactly the n packets of want. */
static void assert_trace(const struct e2e *s, const struct want *want, guint n)
{
	GString *exp = g_string_new(NULL), *got = g_string_new(NULL);

	for (guint i = 0; i < n; i++)
		describe(exp, want[i].t, want[i].dir, want[i].flags, want[i].seq, want[i].ack,
			 want[i].len);
	for (guint i = 0; i < s->pkts->len; i++) {
		const struct e2e_pkt *k = PKT(s->pkts, i);

		describe(got, k->t, k->dir, k->fl, k->seq, k->ack, k->len);
	}
	g_test_message("packets at the %s capture", scn_json_str(s->json, "capture.point"));
	g_assert_cmpstr(got->str, ==, exp->str);
	g_string_free(exp, TRUE);
	g_string_free(got, TRUE);
}

/* "C FA, S A, ...": direction and flags of the packets from index first on. */
static char *segments_from(const struct e2e *s, guint first)
{
	GString *out = g_string_new(NULL);

	for (guint i = first; i < s->pkts->len; i++)
		g_string_append_printf(out, "%s%c %s", i > first ? ", " : "", PKT(s->pkts, i)->dir,
				       PKT(s->pkts, i)->fl);
	return g_string_free(out, FALSE);
}

/* The packets from dir carrying all the flag bits `bits`, in order. */
static GPtrArray *pkts_with(const struct e2e *s, char dir, guint bits)
{
	GPtrArray *a = g_ptr_array_new();

	for (guint i = 0; i < s->pkts->len; i++) {
		struct e2e_pkt *k = PKT(s->pkts, i);

		if (k->dir == dir && (k->flags & bits) == bits)
			g_ptr_array_add(a, k);
	}
	return a;
}

#define PA(a, i) ((const struct e2e_pkt *)g_ptr_array_index((a), (i)))

/* The times of the packets of a. */
static GArray *times_of(const GPtrArray *a)
{
	GArray *t = g_array_new(FALSE, FALSE, sizeof(gint64));

	for (guint i = 0; i < a->len; i++)
		g_array_append_val(t, PA(a, i)->t);
	return t;
}

/* The packet after k in the capture, or NULL. */
static const struct e2e_pkt *pkt_next(const struct e2e *s, const struct e2e_pkt *k)
{
	return k->n < s->pkts->len ? PKT(s->pkts, k->n) : NULL; /* frame n is index n - 1 */
}

/* --- the summary --- */

/* data_intact and corrupted_bytes. */
static void assert_data(const struct e2e *s, gboolean intact, guint64 corrupted)
{
	const struct scn_json *v = scn_json_get(s->json, "data_intact");

	g_assert_nonnull(v);
	g_assert_cmpint(v->type, ==, SCN_JSON_BOOL);
	g_assert_cmpstr(v->text, ==, intact ? "true" : "false");
	g_assert_cmpuint(scn_json_uint(s->json, "corrupted_bytes"), ==, corrupted);
}

/* The sum of the return values of the endpoint's successful recv() calls. */
static guint64 received_by_calls(const struct e2e *s, const char *who)
{
	char *path = g_strdup_printf("endpoints.%s.calls", who);
	const struct scn_json *calls = scn_json_get(s->json, path);
	guint64 sum = 0;

	g_assert_nonnull(calls);
	for (guint i = 0; i < scn_json_len(calls); i++) {
		const struct scn_json *c = scn_json_at(calls, i);
		const struct scn_json *ret = scn_json_get(c, "ret");

		if (g_strcmp0(scn_json_str(c, "call"), "recv") == 0 && ret->text[0] != '-')
			sum += g_ascii_strtoull(ret->text, NULL, 10);
	}
	g_free(path);
	return sum;
}

/* --- the common handshake and exchange --- */

/* Every scenario here runs over 10 ms each way: the client's SYN at 0, the
 * SYN-ACK back at 20 ms, the client's ACK and first data at once. */
#define HANDSHAKE_C                                                                   \
	{MS(0), 'C', "S", 0, 0, 0}, {MS(20), 'S', "SA", 0, 1, 0}, {MS(20), 'C', "A", 1, 1, 0}

/* The states of an echo exchange up to the client's close at 40 ms. */
#define ECHO_CLIENT_OPEN {MS(0), 1, "SYN_SENT"}, {MS(20), 1, "ESTABLISHED"}
#define ECHO_SERVER_OPEN {MS(10), 1, "SYN_RCVD"}, {MS(30), 1, "ESTABLISHED"}

/* --- the close paths --- */

/* three_way_close.ini: the server reads end of file at 50 ms and closes at
 * once, so its FIN carries the ACK of the client's FIN (Linux delays the
 * ACK of a FIN expecting the application to answer).  The client, in
 * FIN_WAIT_1, gets both at 60 ms and goes straight to TIME_WAIT: no
 * FIN_WAIT_2.  The close takes three segments. */
static void test_three_way(void)
{
	static const struct want trace[] = {
		HANDSHAKE_C,
		{MS(20), 'C', "PA", 1, 1, 6},
		{MS(40), 'S', "A", 1, 7, 0},
		{MS(40), 'S', "PA", 1, 7, 6},
		{MS(40), 'C', "A", 7, 7, 0},
		{MS(40), 'C', "FA", 7, 7, 0},
		{MS(60), 'S', "FA", 7, 8, 0}, /* FIN + the ACK of the client's FIN */
		{MS(60), 'C', "A", 8, 8, 0},
	};
	static const struct e2e_state client[] = {
		ECHO_CLIENT_OPEN,
		{MS(40), 1, "FIN_WAIT_1"},
		{MS(60), 1, "TIME_WAIT"},
		{MS(60) + LINUX_2MSL, 1, "CLOSED"},
	};
	static const struct e2e_state server[] = {
		ECHO_SERVER_OPEN,
		{MS(50), 1, "CLOSE_WAIT"},
		{MS(50), 1, "LAST_ACK"},
		{MS(70), 1, "CLOSED"},
	};
	struct e2e s;
	GPtrArray *fins;
	char *close;

	sim_run(&s, "configs/three_way_close.ini", NULL);
	assert_trace(&s, trace, G_N_ELEMENTS(trace));
	/* the server's FIN acknowledges the client's FIN */
	fins = pkts_with(&s, 'S', TH_FIN | TH_ACK);
	g_assert_cmpuint(fins->len, ==, 1);
	g_assert_cmpuint(PA(fins, 0)->ack_raw, ==, (PKT(s.pkts, 7)->seq_raw + 1) & 0xffffffffu);
	/* the close: the client's FIN, the server's FIN+ACK, the last ACK */
	close = segments_from(&s, 7);
	g_assert_cmpstr(close, ==, "C FA, S FA, C A");
	g_free(close);
	e2e_assert_states(&s, "client", client, G_N_ELEMENTS(client));
	e2e_assert_states(&s, "server", server, G_N_ELEMENTS(server));
	g_assert_cmpuint(e2e_state_count(&s, "client", "FIN_WAIT_2"), ==, 0);
	e2e_assert_endpoint(&s, "client", "CLOSED", "ok");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	assert_data(&s, TRUE, 0);
	g_ptr_array_free(fins, TRUE);
	e2e_clear(&s);
}

/* The four-way close: the server sleeps 1 s before closing, so Linux's
 * delayed ACK of the FIN leaves alone 40 ms after the FIN arrived (50 ms
 * -> 90 ms at the server, 100 ms at the client), and the server's own FIN
 * follows at 1.05 s: the client goes FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT. */
static void test_four_way(void)
{
	static const char *const set[] = {
		"-s", "server.script=listen; accept; echo; sleep 1s; close", NULL,
	};
	static const char *const set_server[] = {
		"-s", "server.script=listen; accept; echo; sleep 1s; close",
		"-s", "simulation.capture=server", NULL,
	};
	static const struct want trace[] = {
		HANDSHAKE_C,
		{MS(20), 'C', "PA", 1, 1, 6},
		{MS(40), 'S', "A", 1, 7, 0},
		{MS(40), 'S', "PA", 1, 7, 6},
		{MS(40), 'C', "A", 7, 7, 0},
		{MS(40), 'C', "FA", 7, 7, 0},
		{MS(100), 'S', "A", 7, 8, 0}, /* the delayed ACK of the FIN */
		{MS(1060), 'S', "FA", 7, 8, 0},
		{MS(1060), 'C', "A", 8, 8, 0},
	};
	static const struct want trace_server[] = {
		{MS(10), 'C', "S", 0, 0, 0},
		{MS(10), 'S', "SA", 0, 1, 0},
		{MS(30), 'C', "A", 1, 1, 0},
		{MS(30), 'C', "PA", 1, 1, 6},
		{MS(30), 'S', "A", 1, 7, 0},
		{MS(30), 'S', "PA", 1, 7, 6},
		{MS(50), 'C', "A", 7, 7, 0},
		{MS(50), 'C', "FA", 7, 7, 0},
		{MS(90), 'S', "A", 7, 8, 0},
		{MS(1050), 'S', "FA", 7, 8, 0},
		{MS(1070), 'C', "A", 8, 8, 0},
	};
	static const struct e2e_state client[] = {
		ECHO_CLIENT_OPEN,
		{MS(40), 1, "FIN_WAIT_1"},
		{MS(100), 1, "FIN_WAIT_2"},
		{MS(1060), 1, "TIME_WAIT"},
		{MS(1060) + LINUX_2MSL, 1, "CLOSED"},
	};
	static const struct e2e_state server[] = {
		ECHO_SERVER_OPEN,
		{MS(50), 1, "CLOSE_WAIT"},
		{MS(1050), 1, "LAST_ACK"},
		{MS(1070), 1, "CLOSED"},
	};
	struct e2e s;
	char *close;

	sim_run(&s, "configs/three_way_close.ini", set);
	assert_trace(&s, trace, G_N_ELEMENTS(trace));
	close = segments_from(&s, 7); /* four segments: FIN, ACK, FIN, ACK */
	g_assert_cmpstr(close, ==, "C FA, S A, S FA, C A");
	g_free(close);
	g_assert_cmpuint(e2e_state_count(&s, "client", "FIN_WAIT_2"), ==, 1);
	e2e_assert_states(&s, "client", client, G_N_ELEMENTS(client));
	e2e_assert_states(&s, "server", server, G_N_ELEMENTS(server));
	e2e_assert_endpoint(&s, "client", "CLOSED", "ok");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	e2e_clear(&s);

	/* at the server: the ACK leaves exactly the delayed-ACK time after the
	 * FIN arrived, with no FIN on it */
	sim_run(&s, "configs/three_way_close.ini", set_server);
	assert_trace(&s, trace_server, G_N_ELEMENTS(trace_server));
	g_assert_cmpint(PKT(s.pkts, 8)->t - PKT(s.pkts, 7)->t, ==, LINUX_DELACK);
	g_assert_cmpint(PKT(s.pkts, 7)->t, ==, e2e_state_time(&s, "server", 1, "CLOSE_WAIT"));
	e2e_assert_states(&s, "server", server, G_N_ELEMENTS(server));
	e2e_clear(&s);
}

/* simultaneous_close.ini: both programs close at 1.01 s; the FINs cross.
 * Each end, in FIN_WAIT_1, gets the other's FIN (without the ACK of its
 * own): CLOSING, and an immediate ACK; the ACK of its own FIN then takes
 * it to TIME_WAIT.  Both wait 2*MSL; nobody is in LAST_ACK. */
static void test_simultaneous(void)
{
	static const struct want trace[] = {
		HANDSHAKE_C,
		{MS(1010), 'C', "FA", 1, 1, 0},
		{MS(1020), 'S', "FA", 1, 1, 0}, /* crossed: does not ACK the client's FIN */
		{MS(1020), 'C', "A", 2, 2, 0},
		{MS(1030), 'S', "A", 2, 2, 0},
	};
	static const struct e2e_state client[] = {
		ECHO_CLIENT_OPEN,
		{MS(1010), 1, "FIN_WAIT_1"},
		{MS(1020), 1, "CLOSING"},
		{MS(1030), 1, "TIME_WAIT"},
		{MS(1030) + LINUX_2MSL, 1, "CLOSED"},
	};
	static const struct e2e_state server[] = {
		ECHO_SERVER_OPEN,
		{MS(1010), 1, "FIN_WAIT_1"},
		{MS(1020), 1, "CLOSING"},
		{MS(1030), 1, "TIME_WAIT"},
		{MS(1030) + LINUX_2MSL, 1, "CLOSED"},
	};
	struct e2e s;

	sim_run(&s, "configs/simultaneous_close.ini", NULL);
	assert_trace(&s, trace, G_N_ELEMENTS(trace));
	e2e_assert_states(&s, "client", client, G_N_ELEMENTS(client));
	e2e_assert_states(&s, "server", server, G_N_ELEMENTS(server));
	g_assert_cmpuint(e2e_state_count(&s, "client", "LAST_ACK"), ==, 0);
	g_assert_cmpuint(e2e_state_count(&s, "server", "LAST_ACK"), ==, 0);
	for (guint i = 0; i < 2; i++) {
		const char *who = i == 0 ? "client" : "server";

		g_assert_cmpint(e2e_state_time(&s, who, 1, "CLOSED") - e2e_state_time(&s, who, 1, "TIME_WAIT"),
				==, LINUX_2MSL);
		e2e_assert_endpoint(&s, who, "CLOSED", "ok");
	}
	e2e_clear(&s);
}

/* half_close.ini: the client sends its request and its FIN together at
 * 20 ms, then reads; the server reads to end of file (CLOSE_WAIT at 30 ms)
 * and then sends 20000 bytes, which all arrive after the client's FIN
 * left; the client reads exactly them, then end of file. */
static void test_half_close(void)
{
	static const struct e2e_state client[] = {
		ECHO_CLIENT_OPEN,
		{MS(20), 1, "FIN_WAIT_1"},
		{MS(40), 1, "FIN_WAIT_2"},
		{MS(60), 1, "TIME_WAIT"},
		{MS(60) + LINUX_2MSL, 1, "CLOSED"},
	};
	static const struct e2e_state server[] = {
		ECHO_SERVER_OPEN,
		{MS(30), 1, "CLOSE_WAIT"},
		{MS(30), 1, "LAST_ACK"}, /* the 20000 bytes fit the buffer at once: close() follows */
		{MS(70), 1, "CLOSED"},
	};
	static const struct e2e_call shutdown_call[] = {{MS(20), "shutdown", "0", NULL}};
	struct e2e s;
	const struct e2e_pkt *cfin = NULL, *first_data = NULL;
	guint64 server_bytes = 0;
	gint64 close_wait;

	sim_run(&s, "configs/half_close.ini", NULL);
	/* the client's FIN right after its 15-byte request */
	g_assert_cmpstr(PKT(s.pkts, 3)->fl, ==, "PA");
	g_assert_cmpuint(PKT(s.pkts, 3)->len, ==, 15);
	cfin = PKT(s.pkts, 4);
	g_assert_cmpint(cfin->dir, ==, 'C');
	g_assert_cmpstr(cfin->fl, ==, "FA");
	g_assert_cmpint(cfin->t, ==, MS(20));
	for (guint i = 0; i < s.pkts->len; i++) {
		const struct e2e_pkt *k = PKT(s.pkts, i);

		if (k->dir == 'C')
			g_assert_true(k == cfin || (k->flags & TH_FIN) == 0); /* one FIN */
		if (k->dir != 'S' || k->len == 0)
			continue;
		if (first_data == NULL)
			first_data = k;
		g_assert_true(k->n > cfin->n); /* after the client's FIN */
		server_bytes += k->len;
	}
	g_assert_nonnull(first_data);
	g_assert_cmpuint(server_bytes, ==, 20000);
	close_wait = e2e_state_time(&s, "server", 1, "CLOSE_WAIT");
	g_assert_cmpint(close_wait, >=, 0);
	g_assert_cmpint(close_wait, <, first_data->t);
	e2e_assert_calls(&s, "client", "shutdown", shutdown_call, G_N_ELEMENTS(shutdown_call));
	e2e_assert_states(&s, "client", client, G_N_ELEMENTS(client));
	e2e_assert_states(&s, "server", server, G_N_ELEMENTS(server));
	g_assert_cmpuint(e2e_ep_uint(&s, "client", "bytes_received"), ==, 20000);
	g_assert_cmpuint(received_by_calls(&s, "client"), ==, 20000);
	g_assert_cmpuint(e2e_ep_uint(&s, "server", "bytes_sent"), ==, 20000);
	g_assert_cmpuint(e2e_ep_uint(&s, "server", "bytes_received"), ==, 15);
	assert_data(&s, TRUE, 0);
	e2e_assert_endpoint(&s, "client", "CLOSED", "ok");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	e2e_clear(&s);
}

/* The server's 20000 bytes of half_close.ini as Linux segments them: the
 * handshake grew the send buffer to 87040 bytes (tcp_init_buffer_space()
 * -> tcp_sndbuf_expand()), so the write goes into it whole, and the
 * initial window is 10 segments (TCP_INIT_CWND counts packets): the first
 * flight, which reaches the client at 40 ms before any ACK can have
 * reached the server, is exactly 10 full segments (10 x 1448 = 14480
 * bytes, MSS 1460 less the 12 bytes of the timestamps option).  The first
 * ACKs open the window for the rest: full segments, and the stream's tail
 * last, with no short segment in the middle.  The FIN rides on the last
 * data segment or follows it, and the client's last ACK acknowledges it. */
static void test_half_close_segments(void)
{
	struct e2e s;
	guint64 next = 1, total = 0;
	guint first_flight = 0, data = 0;
	const struct e2e_pkt *last = NULL, *fin = NULL, *final_ack;
	GString *sizes = g_string_new(NULL);

	sim_run(&s, "configs/half_close.ini", NULL);
	for (guint i = 0; i < s.pkts->len; i++) {
		const struct e2e_pkt *k = PKT(s.pkts, i);

		if (k->dir != 'S')
			continue;
		if (k->flags & TH_FIN)
			fin = k;
		if (k->len == 0)
			continue;
		g_string_append_printf(sizes, "%s%u", data > 0 ? " " : "", k->len);
		g_assert_cmpuint(k->seq, ==, next); /* in order, no gap, no copy */
		next += k->len;
		total += k->len;
		data++;
		first_flight += k->t == MS(40);
		last = k;
	}
	g_test_message("server data segment sizes: %s", sizes->str);
	g_assert_cmpuint(total, ==, 20000);
	g_assert_cmpstr(sizes->str, ==,
	                "1448 1448 1448 1448 1448 1448 1448 1448 1448 1448 1448 1448 1448 1176");
	g_assert_cmpuint(first_flight, ==, 10);
	g_assert_nonnull(fin);
	g_assert_true(fin->n >= last->n);
	g_assert_cmpuint(fin->seq + (fin == last ? last->len : 0), ==, 20001);
	final_ack = PKT(s.pkts, s.pkts->len - 1);
	g_assert_cmpint(final_ack->dir, ==, 'C');
	g_assert_cmpstr(final_ack->fl, ==, "A");
	g_assert_cmpuint(final_ack->ack, ==, 20002);
	g_assert_cmpint(final_ack->t, ==, fin->t);
	g_string_free(sizes, TRUE);
	e2e_clear(&s);
}

/* fin_wait2_timeout.ini, server capture: the server echoes one read and
 * closes at 30 ms; the client, which never closes, ACKs the FIN 40 ms after
 * it arrived (its delayed ACK: the program never answers).  The server, an
 * orphan in FIN_WAIT_2 from 90 ms, is discarded exactly tcp_fin_timeout
 * later, without a packet; the client stays in CLOSE_WAIT. */
static void test_fin_wait2_orphan(void)
{
	static const char *const set[] = {"-s", "simulation.capture=server", NULL};
	static const struct want trace[] = {
		{MS(10), 'C', "S", 0, 0, 0},
		{MS(10), 'S', "SA", 0, 1, 0},
		{MS(30), 'C', "A", 1, 1, 0},
		{MS(30), 'C', "PA", 1, 1, 6},
		{MS(30), 'S', "A", 1, 7, 0},
		{MS(30), 'S', "PA", 1, 7, 6},
		{MS(30), 'S', "FA", 7, 7, 0},
		{MS(50), 'C', "A", 7, 7, 0},
		{MS(90), 'C', "A", 7, 8, 0}, /* the client's delayed ACK of the FIN */
	};
	static const struct e2e_state client[] = {ECHO_CLIENT_OPEN, {MS(40), 1, "CLOSE_WAIT"}};
	static const struct e2e_state server[] = {
		ECHO_SERVER_OPEN,
		{MS(30), 1, "FIN_WAIT_1"},
		{MS(90), 1, "FIN_WAIT_2"},
		{MS(90) + LINUX_FIN_TIMEOUT, 1, "CLOSED"},
	};
	struct e2e s;

	sim_run(&s, "configs/fin_wait2_timeout.ini", set);
	assert_trace(&s, trace, G_N_ELEMENTS(trace));
	e2e_assert_states(&s, "client", client, G_N_ELEMENTS(client));
	e2e_assert_states(&s, "server", server, G_N_ELEMENTS(server));
	/* nothing was sent when the orphan went: no packet after 90 ms, and
	 * the network carried exactly what the capture shows */
	g_assert_cmpint(PKT(s.pkts, s.pkts->len - 1)->t, ==, MS(90));
	g_assert_cmpuint(scn_json_uint(s.json, "network.sent"), ==, s.pkts->len);
	g_assert_cmpint(scn_json_ns(s.json, "end_time"), ==, MS(90) + LINUX_FIN_TIMEOUT);
	e2e_assert_endpoint(&s, "client", "CLOSE_WAIT", "ok");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	e2e_clear(&s);
}

/* The same with shutdown() instead of close(): the socket is not an
 * orphan, its program may still read, so there is no FIN_WAIT_2 timeout:
 * it is still in FIN_WAIT_2 when the run ends, whatever the duration. */
static void test_fin_wait2_shutdown(void)
{
	static const char *const set[] = {
		"-s", "server.script=listen; accept; echo 1; shutdown",
		"-s", "simulation.duration=200s", NULL,
	};
	static const struct e2e_state server[] = {
		ECHO_SERVER_OPEN,
		{MS(30), 1, "FIN_WAIT_1"},
		{MS(90), 1, "FIN_WAIT_2"},
	};
	static const struct e2e_call shutdown_call[] = {{MS(30), "shutdown", "0", NULL}};
	struct e2e s;

	sim_run(&s, "configs/fin_wait2_timeout.ini", set);
	e2e_assert_states(&s, "server", server, G_N_ELEMENTS(server));
	g_assert_cmpuint(e2e_state_count(&s, "server", "CLOSED"), ==, 0);
	e2e_assert_calls(&s, "server", "shutdown", shutdown_call, G_N_ELEMENTS(shutdown_call));
	e2e_assert_calls(&s, "server", "close", NULL, 0);
	g_assert_cmpint(scn_json_ns(s.json, "end_time"), <=, SEC(200));
	g_assert_cmpint(PKT(s.pkts, s.pkts->len - 1)->t, ==, MS(80)); /* no packet after the ACK */
	e2e_assert_endpoint(&s, "server", "FIN_WAIT_2", "ok");
	e2e_assert_endpoint(&s, "client", "CLOSE_WAIT", "ok");
	e2e_clear(&s);
}

/* close() with unread data: the server closes at 130 ms without reading
 * the client's "hello\n"; Linux (tcp_close()) then sends a reset, RST+ACK
 * with seq = SND.NXT, instead of a FIN, and the connection is CLOSED at
 * once.  The client, blocked in recv(), gets ECONNRESET when it arrives. */
static void test_unread_data_reset(void)
{
	static const char *const set[] = {"-s", "server.script=listen; accept; sleep 100ms; close", NULL};
	static const struct want trace[] = {
		HANDSHAKE_C,
		{MS(20), 'C', "PA", 1, 1, 6},
		{MS(40), 'S', "A", 1, 7, 0},
		{MS(140), 'S', "RA", 1, 7, 0},
	};
	static const struct e2e_state client[] = {ECHO_CLIENT_OPEN, {MS(140), 1, "CLOSED"}};
	static const struct e2e_state server[] = {ECHO_SERVER_OPEN, {MS(130), 1, "CLOSED"}};
	static const struct e2e_call client_calls[] = {
		{MS(20), "connect", "0", NULL},
		{MS(20), "send", "6", NULL},
		{MS(140), "recv", "-1", "ECONNRESET"},
		{MS(140), "close", "0", NULL},
	};
	static const struct e2e_call server_calls[] = {
		{MS(0), "listen", "0", NULL},
		{MS(30), "accept", "4", NULL},
		{MS(130), "sleep", "0", NULL},
		{MS(130), "close", "0", NULL},
	};
	struct e2e s;
	const struct e2e_pkt *rst, *data;

	sim_run(&s, "configs/three_way_close.ini", set);
	assert_trace(&s, trace, G_N_ELEMENTS(trace));
	data = PKT(s.pkts, 3);
	rst = PKT(s.pkts, 5);
	g_assert_cmpuint(rst->seq_raw, ==, data->ack_raw); /* in the client's window */
	g_assert_cmpuint(rst->ack_raw, ==, (data->seq_raw + data->len) & 0xffffffffu);
	e2e_assert_calls(&s, "client", NULL, client_calls, G_N_ELEMENTS(client_calls));
	e2e_assert_calls(&s, "server", NULL, server_calls, G_N_ELEMENTS(server_calls));
	e2e_assert_states(&s, "client", client, G_N_ELEMENTS(client));
	e2e_assert_states(&s, "server", server, G_N_ELEMENTS(server));
	g_assert_cmpuint(e2e_ep_uint(&s, "server", "bytes_received"), ==, 0);
	e2e_assert_endpoint(&s, "client", "CLOSED", "ECONNRESET");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	e2e_clear(&s);
}

/* --- LAST_ACK --- */

/* The echo of "bye\n" and the four-way close of last_ack_lost.ini up to the
 * server's first FIN, at the client capture. */
#define LAST_ACK_TRACE_C                                                                   \
	HANDSHAKE_C, {MS(20), 'C', "PA", 1, 1, 4}, {MS(40), 'S', "A", 1, 5, 0},            \
		{MS(40), 'S', "PA", 1, 5, 4}, {MS(40), 'C', "A", 5, 5, 0},                 \
		{MS(40), 'C', "FA", 5, 5, 0}, {MS(60), 'S', "FA", 5, 6, 0}

/* The same at the server capture. */
#define LAST_ACK_TRACE_S                                                                   \
	{MS(10), 'C', "S", 0, 0, 0}, {MS(10), 'S', "SA", 0, 1, 0},                         \
		{MS(30), 'C', "A", 1, 1, 0}, {MS(30), 'C', "PA", 1, 1, 4},                 \
		{MS(30), 'S', "A", 1, 5, 0}, {MS(30), 'S', "PA", 1, 5, 4},                 \
		{MS(50), 'C', "A", 5, 5, 0}, {MS(50), 'C', "FA", 5, 5, 0},                 \
		{MS(50), 'S', "FA", 5, 6, 0}

#define LAST_ACK_SERVER_TO_LAST_ACK                                                        \
	ECHO_SERVER_OPEN, {MS(50), 1, "CLOSE_WAIT"}, {MS(50), 1, "LAST_ACK"}

#define LAST_ACK_CLIENT_TO_TIME_WAIT                                                       \
	ECHO_CLIENT_OPEN, {MS(40), 1, "FIN_WAIT_1"}, {MS(60), 1, "TIME_WAIT"}

/* Asserts, at a client capture, that every FIN of the server is answered
 * by an ACK of it from the client at the same instant, the next packet. */
static void assert_fins_answered(const struct e2e *s, const GPtrArray *fins)
{
	for (guint i = 0; i < fins->len; i++) {
		const struct e2e_pkt *fin = PA(fins, i), *ack = pkt_next(s, fin);

		g_test_message("FIN at frame %u", fin->n);
		g_assert_nonnull(ack);
		g_assert_cmpint(ack->dir, ==, 'C');
		g_assert_cmpstr(ack->fl, ==, "A");
		g_assert_cmpint(ack->t, ==, fin->t);
		g_assert_cmpuint(ack->ack_raw, ==, (fin->seq_raw + 1) & 0xffffffffu);
		g_assert_cmpint(fin->rtx, ==, i > 0); /* Wireshark flags every copy */
	}
}

/* last_ack_lost.ini: the client's ACK of the server's FIN (60 ms) is sent
 * (it is in the client's capture) and dropped (it never reaches the
 * server's).  The server, in LAST_ACK, sends its FIN again 220 ms after the
 * first (50 ms -> 270 ms at the server, 280 ms at the client): a tail loss
 * probe, at min(2 SRTT + 200 ms, RTO) = min(240, 220) = the RTO, which is
 * Linux's SRTT + max(4 RTTVAR, 200 ms) = 20 + max(30, 200) = 220 ms on
 * this 20 ms path (PATH_RTO).  The client, in TIME_WAIT, answers it at once
 * and restarts its 2*MSL: it reaches CLOSED 60 s after that FIN arrived
 * (60.28 s), not after TIME_WAIT began; the server reaches CLOSED when the
 * answer arrives (290 ms).  Both end well: this is the twin of
 * last_ack_lost_no_time_wait.ini. */
static void test_last_ack_lost(void)
{
	static const char *const set_server[] = {"-s", "simulation.capture=server", NULL};
	static const struct want trace[] = {
		LAST_ACK_TRACE_C,
		{MS(60), 'C', "A", 6, 6, 0}, /* dropped by the network */
		{MS(280), 'S', "FA", 5, 6, 0}, /* sent at 50 + 220 = 270 ms, +10 ms */
		{MS(280), 'C', "A", 6, 6, 0},
	};
	static const struct want trace_server[] = {
		LAST_ACK_TRACE_S,
		{MS(270), 'S', "FA", 5, 6, 0}, /* 50 + PTO 220 ms */
		{MS(290), 'C', "A", 6, 6, 0},  /* answered at the client at 280 ms */
	};
	static const gint64 fin_sent[] = {MS(50), MS(270)};
	static const struct e2e_state client[] = {
		LAST_ACK_CLIENT_TO_TIME_WAIT,
		{MS(280) + LINUX_2MSL, 1, "CLOSED"},
	};
	static const struct e2e_state server[] = {
		LAST_ACK_SERVER_TO_LAST_ACK,
		{MS(290), 1, "CLOSED"},
	};
	struct e2e s;
	GPtrArray *fins;
	GArray *t;

	sim_run(&s, "configs/last_ack_lost.ini", NULL);
	assert_trace(&s, trace, G_N_ELEMENTS(trace));
	fins = pkts_with(&s, 'S', TH_FIN);
	assert_fins_answered(&s, fins);
	/* TIME_WAIT ends 2*MSL after the last FIN arrived */
	g_assert_cmpint(e2e_state_time(&s, "client", 1, "CLOSED"), ==,
			PA(fins, fins->len - 1)->t + LINUX_2MSL);
	g_assert_cmpint(e2e_state_time(&s, "client", 1, "CLOSED") - e2e_state_time(&s, "client", 1, "TIME_WAIT"),
			>, LINUX_2MSL);
	e2e_assert_states(&s, "client", client, G_N_ELEMENTS(client));
	e2e_assert_states(&s, "server", server, G_N_ELEMENTS(server));
	g_assert_cmpuint(scn_json_uint(s.json, "network.dropped"), ==, 1);
	g_assert_cmpuint(scn_json_uint(s.json, "endpoints.server.retransmissions.fin"), ==, 1);
	e2e_assert_endpoint(&s, "client", "CLOSED", "ok");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	g_ptr_array_free(fins, TRUE);
	e2e_clear(&s);

	/* at the server: the first ACK never arrives; every FIN it sent, and
	 * LAST_ACK -> CLOSED the moment the second ACK arrives */
	sim_run(&s, "configs/last_ack_lost.ini", set_server);
	assert_trace(&s, trace_server, G_N_ELEMENTS(trace_server));
	fins = pkts_with(&s, 'S', TH_FIN);
	t = times_of(fins);
	e2e_assert_times("the server's FINs", t, fin_sent, G_N_ELEMENTS(fin_sent));
	g_assert_cmpint(PA(fins, 1)->t - PA(fins, 0)->t, ==, PATH_PTO); /* the probe */
	g_assert_cmpint(e2e_state_time(&s, "server", 1, "CLOSED"), ==, PKT(s.pkts, s.pkts->len - 1)->t);
	e2e_assert_states(&s, "server", server, G_N_ELEMENTS(server));
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	g_array_unref(t);
	g_ptr_array_free(fins, TRUE);
	e2e_clear(&s);
}

/* The expected FIN transmissions of an orphan in LAST_ACK whose every
 * FIN goes unanswered, first at `first`, on the 20 ms path (RTO 220 ms):
 * the probe one PTO (220 ms) later, the first RTO expiry one RTO (220 ms)
 * after the probe, then RTO expiries with doubling, until the first expiry
 * at which the time since the first FIN is at least the orphan budget,
 * Linux's tcp_model_timeout(8 retries, TCP_RTO_MIN) = (2^9 - 1) x 200 ms =
 * 102.2 s (in TCP_RTO_MIN, not the path's RTO).  *give_up is that expiry.
 * (The simulator counts the budget from the first FIN; Linux's
 * retransmits_timed_out() from retrans_stamp, its first RTO retransmission,
 * which the probe does not set: 0.44 s later here.  Both give 9 FIN
 * retransmissions: the last at +56.32 s from the first FIN, the next
 * expiry at +112.64 s is past 102.2 s either way.) */
static GArray *orphan_schedule(gint64 first, gint64 *give_up)
{
	const gint64 budget = ((G_GINT64_CONSTANT(2) << LINUX_ORPHAN_RETRIES) - 1) * LINUX_RTO_MIN;
	const gint64 rto_max = SEC(120);
	GArray *want = g_array_new(FALSE, FALSE, sizeof(gint64));
	gint64 t = first, rto = PATH_RTO;

	g_assert_cmpint(budget, ==, MS(102200));
	g_array_append_val(want, t);
	t += PATH_PTO; /* the tail loss probe */
	g_array_append_val(want, t);
	for (;;) {
		t += rto;
		if (t - first >= budget)
			break;
		g_array_append_val(want, t);
		rto = MIN(2 * rto, rto_max);
	}
	*give_up = t;
	return want;
}

/* Every ACK of the FIN lost: the server's FIN at 50 ms, the probe at
 * +0.22 s (PTO = min(2 x 20 + 200, 220) = 220 ms), then the RTO doubling
 * from 220 ms (+0.44, +0.88, +1.76 s, ... +56.32 s from the first FIN;
 * the gaps after the probe 0.22, 0.44, 0.88, ... 28.16 s), until the
 * orphan gives up at 112.69 s (+112.64 s = 56.32 + 56.32, the first expiry
 * past the 102.2 s budget) with ETIMEDOUT and without a packet.  The
 * client, in TIME_WAIT, answers each FIN at once and restarts 2*MSL each
 * time. */
static void test_last_ack_backoff(void)
{
	static const char *const set_server[] = {
		"-s", "faults.lost_last_ack=drop all client ack-of-fin",
		"-s", "simulation.capture=server",
		"-s", "simulation.duration=300s", NULL,
	};
	static const char *const set_client[] = {
		"-s", "faults.lost_last_ack=drop all client ack-of-fin",
		"-s", "simulation.duration=300s", NULL,
	};
	/* 50; + 220 (probe); + 220, 440, 880, 1760, 3520, 7040, 14080, 28160 (RTOs) */
	static const gint64 want_ms[] = {
		50, 270, 490, 930, 1810, 3570, 7090, 14130, 28210, 56370,
	};
	struct e2e_state server[] = {
		LAST_ACK_SERVER_TO_LAST_ACK,
		{0, 1, "CLOSED"},
	};
	struct e2e_state client[] = {
		LAST_ACK_CLIENT_TO_TIME_WAIT,
		{0, 1, "CLOSED"},
	};
	gint64 want[G_N_ELEMENTS(want_ms)];
	gint64 give_up;
	GArray *model = orphan_schedule(MS(50), &give_up);
	GArray *t;
	GPtrArray *fins;
	struct e2e s;

	for (guint i = 0; i < G_N_ELEMENTS(want_ms); i++)
		want[i] = MS(want_ms[i]);
	/* the model and the literal schedule agree */
	e2e_assert_times("the orphan model's FINs", model, want, G_N_ELEMENTS(want));
	g_assert_cmpint(give_up, ==, MS(112690));                /* 56370 + 56320 */
	g_assert_cmpint(give_up - MS(50), ==, MS(112640));       /* >= 102200 */

	sim_run(&s, "configs/last_ack_lost.ini", set_server);
	g_assert_cmpstr(scn_json_get(s.json, "truncated")->text, ==, "false");
	fins = pkts_with(&s, 'S', TH_FIN);
	t = times_of(fins);
	e2e_assert_times("the server's FINs", t, want, G_N_ELEMENTS(want));
	for (guint i = 0; i < fins->len; i++) {
		g_assert_cmpuint(PA(fins, i)->seq_raw, ==, PA(fins, 0)->seq_raw); /* the same FIN */
		g_assert_cmpint(PA(fins, i)->rtx, ==, i > 0);
	}
	/* the probe at one PTO, the first RTO one RTO later, then each gap
	 * twice the one before */
	g_assert_cmpint(PA(fins, 1)->t - PA(fins, 0)->t, ==, PATH_PTO);
	g_assert_cmpint(PA(fins, 2)->t - PA(fins, 1)->t, ==, PATH_RTO);
	for (guint i = 3; i < fins->len; i++)
		g_assert_cmpint(PA(fins, i)->t - PA(fins, i - 1)->t, ==,
				2 * (PA(fins, i - 1)->t - PA(fins, i - 2)->t));
	/* no packet arrives at or leaves the server after the last FIN: the
	 * client's answers are all lost, and giving up sends nothing */
	g_assert_true(PKT(s.pkts, s.pkts->len - 1) == PA(fins, fins->len - 1));
	g_assert_cmpuint(scn_json_uint(s.json, "endpoints.server.retransmissions.fin"), ==,
			 G_N_ELEMENTS(want) - 1);
	server[G_N_ELEMENTS(server) - 1].t = give_up;
	e2e_assert_states(&s, "server", server, G_N_ELEMENTS(server));
	e2e_assert_endpoint(&s, "server", "CLOSED", "ETIMEDOUT");
	g_array_unref(t);
	g_ptr_array_free(fins, TRUE);
	e2e_clear(&s);

	/* at the client: each FIN arrives 10 ms after it left and is answered
	 * at once; TIME_WAIT restarts each time, so the client reaches CLOSED
	 * 60 s after the last one (long after the server gave up) */
	sim_run(&s, "configs/last_ack_lost.ini", set_client);
	fins = pkts_with(&s, 'S', TH_FIN);
	t = times_of(fins);
	for (guint i = 0; i < G_N_ELEMENTS(want); i++)
		want[i] += MS(10);
	e2e_assert_times("the server's FINs at the client", t, want, G_N_ELEMENTS(want));
	assert_fins_answered(&s, fins);
	client[G_N_ELEMENTS(client) - 1].t = want[G_N_ELEMENTS(want) - 1] + LINUX_2MSL;
	e2e_assert_states(&s, "client", client, G_N_ELEMENTS(client));
	g_assert_cmpuint(scn_json_uint(s.json, "network.dropped"), ==, G_N_ELEMENTS(want));
	e2e_assert_endpoint(&s, "client", "CLOSED", "ok");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ETIMEDOUT");
	g_array_unref(t);
	g_array_unref(model);
	g_ptr_array_free(fins, TRUE);
	e2e_clear(&s);
}

/* last_ack_lost_no_time_wait.ini: the client keeps no TIME_WAIT
 * (time_wait = 0: TIME_WAIT and CLOSED at the same instant, 60 ms), so the
 * retransmitted FIN (the probe, 50 + 220 ms at the server, 280 ms at the
 * client) finds no connection; the client's host answers
 * as RFC 9293 says for a segment with an ACK that matches nothing: RST, no
 * ACK bit, seq = the segment's ACK number.  The server, which did nothing
 * wrong, ends in LAST_ACK -> CLOSED with ECONNRESET when it arrives, and
 * sends nothing more: an RST in LAST_ACK ends it silently.  (Its twin with
 * TIME_WAIT, /closing/last-ack/lost-ack, ends ok.) */
static void test_last_ack_no_time_wait(void)
{
	static const char *const set_server[] = {"-s", "simulation.capture=server", NULL};
	static const struct want trace[] = {
		LAST_ACK_TRACE_C,
		{MS(60), 'C', "A", 6, 6, 0}, /* dropped by the network */
		{MS(280), 'S', "FA", 5, 6, 0}, /* sent at 50 + PTO 220 = 270 ms */
		{MS(280), 'C', "R", 6, 0, 0},
	};
	static const struct want trace_server[] = {
		LAST_ACK_TRACE_S,
		{MS(270), 'S', "FA", 5, 6, 0},
		{MS(290), 'C', "R", 6, 0, 0},
	};
	static const struct e2e_state client[] = {
		LAST_ACK_CLIENT_TO_TIME_WAIT,
		{MS(60), 1, "CLOSED"},
	};
	static const struct e2e_state server[] = {
		LAST_ACK_SERVER_TO_LAST_ACK,
		{MS(290), 1, "CLOSED"},
	};
	struct e2e s;
	const struct e2e_pkt *fin, *rst;

	sim_run(&s, "configs/last_ack_lost_no_time_wait.ini", NULL);
	assert_trace(&s, trace, G_N_ELEMENTS(trace));
	fin = PKT(s.pkts, 10);
	rst = PKT(s.pkts, 11);
	g_assert_cmpuint(rst->flags, ==, TH_RST);
	g_assert_cmpuint(rst->seq_raw, ==, fin->ack_raw);
	g_assert_cmpuint(rst->ack_raw, ==, 0);
	g_assert_cmpint(rst->t, ==, fin->t);
	e2e_assert_states(&s, "client", client, G_N_ELEMENTS(client));
	e2e_assert_states(&s, "server", server, G_N_ELEMENTS(server));
	e2e_assert_endpoint(&s, "client", "CLOSED", "ok");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ECONNRESET");
	e2e_clear(&s);

	sim_run(&s, "configs/last_ack_lost_no_time_wait.ini", set_server);
	assert_trace(&s, trace_server, G_N_ELEMENTS(trace_server));
	rst = PKT(s.pkts, s.pkts->len - 1); /* nothing from the server after it */
	g_assert_cmpint(e2e_state_time(&s, "server", 1, "CLOSED"), ==, rst->t);
	g_assert_cmpuint(scn_json_uint(s.json, "endpoints.server.retransmissions.fin"), ==, 1);
	g_assert_cmpint(scn_json_ns(s.json, "end_time"), ==, rst->t);
	e2e_assert_endpoint(&s, "server", "CLOSED", "ECONNRESET");
	e2e_clear(&s);
}

/* --- old duplicates --- */

/* The source ports of the client's SYNs. */
static char *syn_ports(const struct e2e *s)
{
	GString *p = g_string_new(NULL);

	for (guint i = 0; i < s->pkts->len; i++) {
		const struct e2e_pkt *k = PKT(s->pkts, i);

		if (k->dir == 'C' && k->flags == TH_SYN)
			g_string_append_printf(p, "%s%u", p->len > 0 ? " " : "", k->sport);
	}
	return g_string_free(p, FALSE);
}

static void assert_two_incarnations(const struct e2e *s)
{
	char *ports = syn_ports(s);

	g_assert_cmpstr(ports, ==, "40000 40000"); /* the same 4-tuple twice */
	g_free(ports);
	g_assert_cmpuint(e2e_ep_uint(s, "client", "connections"), ==, 2);
	g_assert_cmpuint(e2e_ep_uint(s, "server", "connections"), ==, 2);
	g_assert_cmpuint(e2e_ep_uint(s, "client", "bytes_sent"), ==, 400000);
	g_assert_cmpuint(e2e_ep_uint(s, "server", "bytes_received"), ==, 400000);
}

/* old_duplicate_no_time_wait.ini: a segment of the first connection, held
 * 90 ms in the network, arrives inside the window of the second one
 * (same 4-tuple, no TIME_WAIT, no timestamps) and is accepted: the server
 * reads bytes of the old connection in the new one.  Nobody notices — both
 * results are ok — but the summary's integrity check counts them. */
static void test_old_duplicate_no_time_wait(void)
{
	struct e2e s;

	sim_run(&s, "configs/old_duplicate_no_time_wait.ini", NULL);
	assert_two_incarnations(&s);
	/* bytes of the old segment read in place of the new data that differ
	 * from it (a byte agrees by chance 1 time in 256) */
	assert_data(&s, FALSE, 657);
	/* the second connection began the instant the first ended */
	g_assert_cmpint(e2e_state_time(&s, "client", 2, "SYN_SENT"), ==,
			e2e_state_time(&s, "client", 1, "CLOSED"));
	g_assert_cmpint(e2e_state_time(&s, "client", 1, "CLOSED"), ==,
			e2e_state_time(&s, "client", 1, "TIME_WAIT"));
	e2e_assert_endpoint(&s, "client", "CLOSED", "ok");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	e2e_clear(&s);
}

/* old_duplicate.ini: with TIME_WAIT (60 s) the 4-tuple is held until every
 * segment of the first connection has left the network; the second
 * connection starts after it (the program waits 61 s) and the data of both
 * arrives intact. */
static void test_old_duplicate_time_wait(void)
{
	struct e2e s;
	gint64 tw;

	sim_run(&s, "configs/old_duplicate.ini", NULL);
	assert_two_incarnations(&s);
	assert_data(&s, TRUE, 0);
	tw = e2e_state_time(&s, "client", 1, "TIME_WAIT");
	g_assert_cmpint(tw, >=, 0);
	g_assert_cmpint(e2e_state_time(&s, "client", 1, "CLOSED"), ==, tw + LINUX_2MSL);
	g_assert_cmpint(e2e_state_time(&s, "client", 2, "SYN_SENT"), >, tw + LINUX_2MSL);
	e2e_assert_endpoint(&s, "client", "CLOSED", "ok");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	e2e_clear(&s);
}

/* old_duplicate_paws.ini, server capture: no TIME_WAIT again, but with
 * RFC 7323 timestamps.  After the second SYN a client data segment arrives
 * whose sequence number lies inside the new connection's window (within
 * [ISN2, ISN2 + 65535)) but whose TSval is older than the second SYN's:
 * only PAWS can reject it, and it does, with a duplicate ACK; the data
 * stays intact. */
static void test_old_duplicate_paws(void)
{
	static const char *const set[] = {"-s", "simulation.capture=server", NULL};
	struct e2e s;
	const struct e2e_pkt *syn2 = NULL, *old = NULL, *answer, *prev_ack = NULL;
	guint syns = 0, olds = 0;

	sim_run(&s, "configs/old_duplicate_paws.ini", set);
	assert_two_incarnations(&s);
	assert_data(&s, TRUE, 0);
	for (guint i = 0; i < s.pkts->len; i++) {
		const struct e2e_pkt *k = PKT(s.pkts, i);

		if (k->dir == 'C' && k->flags == TH_SYN && ++syns == 2)
			syn2 = k;
		if (syn2 == NULL || k->dir != 'C' || k->len == 0)
			continue;
		g_assert_true(k->has_ts);
		g_assert_true(syn2->has_ts);
		if (k->tsval < syn2->tsval) {
			old = k;
			olds++;
		}
	}
	g_assert_nonnull(syn2);
	g_assert_cmpuint(olds, ==, 1);
	g_test_message("old segment: frame %u, seq_raw %" G_GUINT64_FORMAT " TSval %" G_GUINT64_FORMAT
		       "; second SYN: frame %u, ISN %" G_GUINT64_FORMAT " TSval %" G_GUINT64_FORMAT,
		       old->n, old->seq_raw, old->tsval, syn2->n, syn2->seq_raw, syn2->tsval);
	g_assert_cmpint(old->t, >, syn2->t);
	/* answered by a duplicate ACK: the same ACK the server sent before */
	for (guint i = syn2->n; i < old->n - 1; i++)
		if (PKT(s.pkts, i)->dir == 'S')
			prev_ack = PKT(s.pkts, i);
	g_assert_nonnull(prev_ack);
	/* inside the window the server offered last (its scale: 10), beyond
	 * what it acknowledged: only PAWS stands in its way */
	g_assert_cmpuint((old->seq_raw - prev_ack->ack_raw) & 0xffffffffu, <,
	                 (guint64)prev_ack->window << 10);
	answer = pkt_next(&s, old);
	g_assert_nonnull(answer);
	g_assert_cmpint(answer->dir, ==, 'S');
	g_assert_cmpstr(answer->fl, ==, "A");
	g_assert_cmpuint(answer->len, ==, 0);
	g_assert_cmpint(answer->t, ==, old->t);
	/* The answer acknowledges up to the old segment's first byte at most:
	 * its bytes were not taken.  (It may acknowledge new in-order data whose
	 * ACK was still delayed, and its window may have grown as the
	 * application read, so Wireshark need not call it a duplicate ACK.) */
	g_assert_cmpuint((old->seq_raw - answer->ack_raw) & 0xffffffffu, <, 65535);
	g_assert_nonnull(prev_ack);
	e2e_assert_endpoint(&s, "client", "CLOSED", "ok");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	e2e_clear(&s);
}

/* --- TIME-WAIT assassination (RFC 1337) --- */

#define ASSASSINATION_TRACE                                                                \
	HANDSHAKE_C, {MS(20), 'C', "PA", 1, 1, 6}, {MS(40), 'S', "A", 1, 7, 0},            \
		{MS(40), 'S', "PA", 1, 7, 6}, {MS(40), 'C', "A", 7, 7, 0},                 \
		{MS(40), 'C', "FA", 7, 7, 0}, {MS(60), 'S', "FA", 7, 8, 0},                \
		{MS(60), 'C', "A", 8, 8, 0}, /* held 2 s by the network */                 \
		/* the probe: 50 + min(2 x 20 + 200, 220) = 270 ms at the server */        \
		{MS(280), 'S', "FA", 7, 8, 0}, {MS(280), 'C', "A", 8, 8, 0},               \
		{MS(2080), 'S', "R", 8, 0, 0} /* the server's host answers the old ACK */

/* time_wait_assassination.ini: the client's first last ACK reaches the
 * server's host at 2.07 s, long after the connection there closed (at
 * 0.29 s, on the ACK of the FIN retransmitted at 0.27 s: PATH_PTO after the
 * first); the host answers with a
 * reset whose seq is the old ACK's ack number — exactly what the client's
 * TIME_WAIT expects next — and Linux's default (tcp_rfc1337 = 0) lets it
 * kill TIME_WAIT at 2.08 s, 2 s into its 60 s. */
static void test_assassination(void)
{
	static const struct want trace[] = {ASSASSINATION_TRACE};
	static const struct e2e_state client[] = {
		LAST_ACK_CLIENT_TO_TIME_WAIT,
		{MS(2080), 1, "CLOSED"},
	};
	static const struct e2e_state server[] = {
		ECHO_SERVER_OPEN,
		{MS(50), 1, "CLOSE_WAIT"},
		{MS(50), 1, "LAST_ACK"},
		{MS(290), 1, "CLOSED"}, /* 270 + 10 + 10: the answer to the probe */
	};
	struct e2e s;
	const struct e2e_pkt *last_ack, *rst;

	sim_run(&s, "configs/time_wait_assassination.ini", NULL);
	assert_trace(&s, trace, G_N_ELEMENTS(trace));
	last_ack = PKT(s.pkts, 11);
	rst = PKT(s.pkts, 12);
	g_assert_cmpuint(rst->flags, ==, TH_RST);
	g_assert_cmpuint(rst->seq_raw, ==, last_ack->ack_raw); /* the client's RCV.NXT */
	g_assert_cmpint(e2e_state_time(&s, "client", 1, "CLOSED"), ==, rst->t);
	e2e_assert_states(&s, "client", client, G_N_ELEMENTS(client));
	e2e_assert_states(&s, "server", server, G_N_ELEMENTS(server));
	e2e_assert_endpoint(&s, "client", "CLOSED", "ok");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	e2e_clear(&s);
}

/* The same with client.tcp.rfc1337 = true: TIME_WAIT ignores the reset and
 * lasts its 60 s — from the retransmitted FIN that restarted it. */
static void test_assassination_rfc1337(void)
{
	static const char *const set[] = {"-s", "client.tcp.rfc1337=true", NULL};
	static const struct want trace[] = {ASSASSINATION_TRACE};
	static const struct e2e_state client[] = {
		LAST_ACK_CLIENT_TO_TIME_WAIT,
		{MS(280) + LINUX_2MSL, 1, "CLOSED"}, /* the probe arrived at 280 ms */
	};
	struct e2e s;
	gint64 tw, closed;

	sim_run(&s, "configs/time_wait_assassination.ini", set);
	assert_trace(&s, trace, G_N_ELEMENTS(trace));
	e2e_assert_states(&s, "client", client, G_N_ELEMENTS(client));
	tw = e2e_state_time(&s, "client", 1, "TIME_WAIT");
	closed = e2e_state_time(&s, "client", 1, "CLOSED");
	g_assert_cmpint(closed, >=, tw + LINUX_2MSL);
	g_assert_cmpint(closed, ==, PKT(s.pkts, 10)->t + LINUX_2MSL); /* the last FIN */
	g_assert_cmpint(closed, >, PKT(s.pkts, 12)->t); /* outlived the reset */
	e2e_assert_endpoint(&s, "client", "CLOSED", "ok");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	e2e_clear(&s);
}

/* --- ephemeral port exhaustion --- */

/* port_exhaustion.ini: ten ports (40000-40009), twelve short connections
 * closed by the client: the first ten connect, each port then held by
 * TIME_WAIT for 60 s; the 11th and 12th connect() (at 0.2 s) find every
 * 4-tuple taken and fail with EADDRNOTAVAIL. */
static void test_port_exhaustion(void)
{
	struct e2e_call connects[12];
	struct e2e s;
	char *ports;
	GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
	guint syns = 0;

	for (guint i = 0; i < 10; i++)
		connects[i] = (struct e2e_call){MS(10 + 20 * i), "connect", "0", NULL};
	connects[10] = (struct e2e_call){MS(200), "connect", "-1", "EADDRNOTAVAIL"};
	connects[11] = connects[10];

	sim_run(&s, "configs/port_exhaustion.ini", NULL);
	e2e_assert_calls(&s, "client", "connect", connects, G_N_ELEMENTS(connects));
	ports = syn_ports(&s);
	g_test_message("SYN source ports: %s", ports);
	g_free(ports);
	for (guint i = 0; i < s.pkts->len; i++) {
		const struct e2e_pkt *k = PKT(s.pkts, i);

		if (k->dir != 'C' || k->flags != TH_SYN)
			continue;
		syns++;
		g_assert_cmpuint(k->sport, >=, 40000);
		g_assert_cmpuint(k->sport, <=, 40009);
		g_assert_false(g_hash_table_contains(seen, GUINT_TO_POINTER(k->sport)));
		g_hash_table_add(seen, GUINT_TO_POINTER(k->sport));
	}
	g_assert_cmpuint(syns, ==, 10);
	g_assert_cmpuint(g_hash_table_size(seen), ==, 10); /* 40000..40009, each once */
	g_assert_cmpuint(e2e_ep_uint(&s, "client", "connections"), ==, 10);
	for (guint c = 1; c <= 10; c++) {
		gint64 tw = e2e_state_time(&s, "client", c, "TIME_WAIT");

		g_test_message("connection #%u", c);
		g_assert_cmpint(tw, >=, 0);
		g_assert_cmpint(e2e_state_time(&s, "client", c, "CLOSED") - tw, ==, LINUX_2MSL);
		/* every port is still held when the 11th connect() fails */
		g_assert_cmpint(e2e_state_time(&s, "client", c, "SYN_SENT"), <=, MS(200));
		g_assert_cmpint(tw + LINUX_2MSL, >, MS(200));
	}
	e2e_assert_endpoint(&s, "client", "CLOSED", "EADDRNOTAVAIL");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	g_hash_table_unref(seen);
	e2e_clear(&s);
}

/* What the program of port_exhaustion.ini sees after its connect() failed,
 * as on Linux (checked on a 6.x kernel with a two-port range): the socket
 * from socket() exists but is not connected, so send() fails with EPIPE
 * (tcp_sendmsg -> sk_stream_wait_connect on a CLOSE socket; the program
 * gets SIGPIPE unless it ignores it), recv() with ENOTCONN, and close() of
 * that descriptor succeeds. */
static void test_port_exhaustion_after_failed_connect(void)
{
	static const struct e2e_call after[] = {
		{MS(200), "connect", "-1", "EADDRNOTAVAIL"},
		{MS(200), "send", "-1", "EPIPE"},
		{MS(200), "recv", "-1", "ENOTCONN"},
		{MS(200), "close", "0", NULL},
		{MS(200), "connect", "-1", "EADDRNOTAVAIL"},
		{MS(200), "send", "-1", "EPIPE"},
		{MS(200), "recv", "-1", "ENOTCONN"},
		{MS(200), "close", "0", NULL},
	};
	GString *exp = g_string_new(NULL);
	struct e2e s;
	char *got, *tail;

	sim_run(&s, "configs/port_exhaustion.ini", NULL);
	got = e2e_calls_text(&s, "client", NULL);
	for (guint i = 0; i < G_N_ELEMENTS(after); i++)
		e2e_describe_call(exp, after[i].t, after[i].call, after[i].ret, after[i].err);
	tail = strstr(got, "connect = -1");
	g_assert_nonnull(tail);
	while (tail > got && tail[-1] != '\n')
		tail--; /* the start of that line */
	g_assert_cmpstr(tail, ==, exp->str);
	g_free(got);
	g_string_free(exp, TRUE);
	e2e_clear(&s);
}

/* --- the main example --- */

/* lossy_close.ini with its default seed: the summary and the pcap agree on
 * the FIN retransmission in LAST_ACK and on the TIME_WAIT restart (the
 * README's example, to the nanosecond).
 *
 * The server's timers, from its two RTT samples (in ns, integer division):
 * SYN-ACK 0.017303112 -> ACK 0.064170680: R1 = 46867568, so SRTT =
 * 46867568, RTTVAR = 23433784; echo 0.089130518 -> ACK 0.117911884:
 * R2 = 28781366, |SRTT - R2| = 18086202, RTTVAR = (3 x 23433784 +
 * 18086202) / 4 = 22096888, SRTT = (7 x 46867568 + 28781366) / 8 =
 * 44606792.  RTO = SRTT + max(4 RTTVAR = 88387552, 200 ms) = 244606792;
 * the lone FIN's probe at min(2 SRTT + 200 ms = 289213584, RTO) = RTO
 * after the FIN (0.135922516): 0.380529308.  It spends 25934620 ns in the
 * network (the same draw as with the old formula: 0.335922516 ->
 * 0.361857136) and reaches the client at 0.406463928, which answers and
 * restarts TIME_WAIT: CLOSED at 60.406463928; the answer spends 20867379
 * ns: the server is CLOSED at 0.427331307. */
static void test_lossy_close(void)
{
	static const struct e2e_state client[] = {
		{0, 1, "SYN_SENT"},
		{37502424, 1, "ESTABLISHED"},
		{110370771, 1, "FIN_WAIT_1"},
		{155242323, 1, "TIME_WAIT"},
		{G_GINT64_CONSTANT(60406463928), 1, "CLOSED"}, /* 0.406463928 + 60 s */
	};
	static const struct e2e_state server[] = {
		{17303112, 1, "SYN_RCVD"},
		{64170680, 1, "ESTABLISHED"},
		{135922516, 1, "CLOSE_WAIT"},
		{135922516, 1, "LAST_ACK"},
		{427331307, 1, "CLOSED"}, /* 0.406463928 + 0.020867379 */
	};
	struct e2e s;
	GPtrArray *fins;
	guint rtx_fins = 0;

	sim_run(&s, "configs/lossy_close.ini", NULL);
	fins = pkts_with(&s, 'S', TH_FIN);
	for (guint i = 0; i < fins->len; i++)
		rtx_fins += PA(fins, i)->rtx;
	g_assert_cmpuint(fins->len, ==, 2);
	g_assert_cmpuint(rtx_fins, ==, scn_json_uint(s.json, "endpoints.server.retransmissions.fin"));
	g_assert_cmpuint(rtx_fins, ==, 1);
	assert_fins_answered(&s, fins);
	g_assert_cmpint(PA(fins, 0)->t, ==, e2e_state_time(&s, "client", 1, "TIME_WAIT"));
	g_assert_cmpint(e2e_state_time(&s, "client", 1, "CLOSED"), ==, PA(fins, 1)->t + LINUX_2MSL);
	g_assert_cmpint(scn_json_ns(s.json, "end_time"), ==, PA(fins, 1)->t + LINUX_2MSL);
	e2e_assert_states(&s, "client", client, G_N_ELEMENTS(client));
	e2e_assert_states(&s, "server", server, G_N_ELEMENTS(server));
	assert_data(&s, TRUE, 0);
	e2e_assert_endpoint(&s, "client", "CLOSED", "ok");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	g_ptr_array_free(fins, TRUE);
	e2e_clear(&s);
}

/* lossy_close.ini as it ships: on the kernel's clock (timers = kernel,
 * hz = 250, the wheel's phase from the seed), which every other test here
 * replaces by the textbook times.  The server's RTO of 244.606792 ms
 * (test_lossy_close) is 62 whole jiffies, 248 ms (usecs_to_jiffies()
 * rounds up); its FIN left at 0.135922516, so the probe is due at
 * 0.383922516, and a 62-jiffy timer waits in level 0 of the wheel, which
 * fires it at the next jiffy tick strictly after that: 0.384 s (this
 * seed's uptime puts the ticks on whole 4 ms of simulated time).  It
 * spends the same 25934620 ns in the network as with exact timers (the
 * same draws) and reaches the client at 0.409934620; TIME_WAIT restarts
 * there, and its 15000-jiffy timer (level 3: 512-jiffy buckets) fires at
 * 61.634656250, 1.22 s after the 60 s.  The windows: the client, which
 * has received less than 128 bytes, offers its SYN's 64240 rounded up to
 * 1 << 10 (63, __tcp_select_window()); the server its SYN-ACK's 65160
 * rounded up (64). */
static void test_lossy_close_kernel_timers(void)
{
	static const char *const kernel[] = {"--set", "tcp.timers=kernel", NULL};
	static const char *const kernel_server[] = {"--set", "tcp.timers=kernel", "--set",
						    "simulation.capture=server", NULL};
	static const struct want trace[] = {
		{0, 'C', "S", 0, 0, 0},
		{37502424, 'S', "SA", 0, 1, 0},
		{37502424, 'C', "A", 1, 1, 0},
		{37502424, 'C', "PA", 1, 1, 14},
		{110370771, 'S', "PA", 1, 15, 14},
		{110370771, 'C', "A", 15, 15, 0},
		{110370771, 'C', "FA", 15, 15, 0},
		{155242323, 'S', "FA", 15, 16, 0},
		{155242323, 'C', "A", 16, 16, 0}, /* dropped by the network */
		{409934620, 'S', "FA", 15, 16, 0}, /* the probe: 0.384 + 25934620 ns */
		{409934620, 'C', "A", 16, 16, 0},
	};
	static const gint64 fin_sent[] = {135922516, 384000000};
	static const char *const fields[] = {"tcp.window_size_value", NULL};
	static const char *const windows[] = {"64240", "65160", "63", "63", "64", "63",
					      "63", "64", "63", "64", "63"};
	struct e2e s;
	GError *error = NULL;
	GPtrArray *fins;
	GArray *t;
	char **lines;

	sim_run(&s, "configs/lossy_close.ini", kernel);
	assert_trace(&s, trace, G_N_ELEMENTS(trace));
	g_assert_cmpint(e2e_state_time(&s, "client", 1, "CLOSED"), ==, G_GINT64_CONSTANT(61634656250));
	g_assert_cmpint(e2e_state_time(&s, "server", 1, "CLOSED"), ==, 430801999);
	g_assert_cmpuint(scn_json_uint(s.json, "endpoints.server.retransmissions.fin"), ==, 1);
	lines = tshark_fields(s.pcap, NULL, fields, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_strv_length(lines), ==, G_N_ELEMENTS(windows));
	for (guint i = 0; i < G_N_ELEMENTS(windows); i++)
		g_assert_cmpstr(lines[i], ==, windows[i]);
	g_strfreev(lines);
	e2e_assert_endpoint(&s, "client", "CLOSED", "ok");
	e2e_assert_endpoint(&s, "server", "CLOSED", "ok");
	e2e_clear(&s);

	/* at the server: the FIN, and its probe on the jiffy tick */
	sim_run(&s, "configs/lossy_close.ini", kernel_server);
	fins = pkts_with(&s, 'S', TH_FIN);
	t = times_of(fins);
	e2e_assert_times("the server's FINs", t, fin_sent, G_N_ELEMENTS(fin_sent));
	g_assert_cmpint(PA(fins, 1)->t % MS(4), ==, 0);
	g_array_free(t, TRUE);
	g_ptr_array_free(fins, TRUE);
	e2e_clear(&s);
}

/* Nagle with Minshall's check, read back from a server capture: the
 * server's program writes 4000 bytes at once; with timestamps that is two
 * full segments and a 1104-byte tail.  Linux sends the tail at once
 * although the full segments are unacknowledged: tcp_nagle_check() holds
 * a short segment only while an earlier *short* one is unacknowledged
 * (tcp_minshall_check(): after(snd_sml, snd_una)), and snd_sml starts at
 * the ISN (tcp_create_openreq_child()).  This seed gives the server an
 * ISN above 2^31, where an snd_sml starting at 0 would read as ahead of
 * snd_una and hold the tail until everything is acknowledged, which is
 * RFC 896's own rule (nagle = rfc896, run second: the tail waits for the
 * ACK of the full segments, one round trip later). */
static const char nagle_config[] =
	"[simulation]\nseed = 1\ncapture = server\n"
	"[network]\ndelay = 10ms\n"
	"[client]\naddress = 10.0.0.1\nscript = connect; recv; recv; recv; close\n"
	"[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; send 4000; sleep 1s; close\n";

/* "TIME LEN" of each segment of data the server sent; the SYN-ACK's raw
 * sequence number into *isn. */
static char *server_data(const struct e2e *s, guint64 *isn)
{
	static const char *const fields[] = {"frame.time_epoch", "tcp.len", "tcp.seq_raw",
					     "tcp.flags.syn", NULL};
	GError *error = NULL;
	char **lines = tshark_fields(s->pcap, "ip.src == " SERVER, fields, &error);
	GString *out = g_string_new(NULL);

	g_assert_no_error(error);
	for (char **l = lines; *l != NULL; l++) {
		char **f = g_strsplit(*l, "\t", -1);

		if (g_strcmp0(f[3], "1") == 0 || g_strcmp0(f[3], "True") == 0)
			*isn = g_ascii_strtoull(f[2], NULL, 10);
		else if (g_strcmp0(f[1], "0") != 0)
			g_string_append_printf(out, "%s %s\n", f[0], f[1]);
		g_strfreev(f);
	}
	g_strfreev(lines);
	return g_string_free(out, FALSE);
}

static void test_nagle_minshall_high_isn(void)
{
	static const char *const rfc896[] = {"--set", "server.tcp.nagle=rfc896", NULL};
	char *dir = scn_tmpdir();
	char *config = g_build_filename(dir, "nagle.ini", NULL);
	GError *error = NULL;
	guint64 isn = 0;
	struct e2e s;
	char *got;

	g_file_set_contents(config, nagle_config, -1, &error);
	g_assert_no_error(error);
	sim_run(&s, config, NULL);
	got = server_data(&s, &isn);
	g_assert_cmpuint(isn, >=, G_GUINT64_CONSTANT(0x80000000));
	g_assert_cmpstr(got, ==, "0.030000000 1448\n0.030000000 1448\n0.030000000 1104\n");
	g_free(got);
	e2e_clear(&s);

	sim_run(&s, config, rfc896);
	got = server_data(&s, &isn);
	g_assert_cmpstr(got, ==, "0.030000000 1448\n0.030000000 1448\n0.050000000 1104\n");
	g_free(got);
	e2e_clear(&s);
	scn_rmtree(dir);
	g_free(config);
	g_free(dir);
}

/* The same capture as Wireshark reads it, packet by packet: the client's
 * ACK of the FIN retransmitted into TIME_WAIT echoes the TSval of the FIN
 * that began TIME_WAIT, not the retransmission's (Linux
 * tcp_timewait_state_process(): a segment out of window never moves
 * tw_ts_recent; measured on 6.18), and it leaves through the control
 * socket with IP ID 0 (tcp_v4_timewait_ack() -> ip_send_unicast_reply():
 * DF and no inet_daddr, ip_select_ident()), as the listener's SYN-ACK
 * does (ip_build_and_send_pkt()); each connection's own segments go on
 * counting.  Wireshark's expert has nothing above a note to say of it.
 * The handshake shows Linux 6.18's windows and window scale. */
static void test_lossy_close_time_wait_answer(void)
{
	static const char *const fields[] = {"ip.src", "ip.id", "tcp.flags",
					     "tcp.options.timestamp.tsval",
					     "tcp.options.timestamp.tsecr",
					     "_ws.expert.severity", "tcp.window_size_value",
					     "tcp.options.wscale.shift", NULL};
	static const char *const want[] = {
		CLIENT " 0x0000 0x0002", SERVER " 0x0000 0x0012", CLIENT " 0x0001 0x0010",
		CLIENT " 0x0002 0x0018", SERVER " 0x0001 0x0018", CLIENT " 0x0003 0x0010",
		CLIENT " 0x0004 0x0011", SERVER " 0x0002 0x0011", CLIENT " 0x0005 0x0010",
		SERVER " 0x0003 0x0011", CLIENT " 0x0000 0x0010",
	};
	GString *exp = g_string_new(NULL), *got = g_string_new(NULL);
	GError *error = NULL;
	struct e2e s;
	char **lines;
	guint n;

	sim_run(&s, "configs/lossy_close.ini", NULL);
	lines = tshark_fields(s.pcap, NULL, fields, &error);
	g_assert_no_error(error);
	n = g_strv_length(lines);
	g_assert_cmpuint(n, ==, G_N_ELEMENTS(want));
	for (guint i = 0; i < G_N_ELEMENTS(want); i++)
		g_string_append_printf(exp, "%s\n", want[i]);
	for (guint i = 0; i < n; i++) {
		char **f = g_strsplit(lines[i], "\t", -1);
		char **sev = g_strsplit(f[5], ",", -1);

		g_string_append_printf(got, "%s %s %s\n", f[0], f[1], f[2]);
		for (char **v = sev; *v && **v; v++) /* PI_NOTE = 0x00400000 */
			g_assert_cmpuint(g_ascii_strtoull(*v, NULL, 10), <=, 0x00400000);
		g_strfreev(sev);
		g_strfreev(f);
	}
	g_assert_cmpstr(got->str, ==, exp->str);
	if (n == G_N_ELEMENTS(want)) {
		char **fin = g_strsplit(lines[7], "\t", -1);   /* the FIN that began TIME_WAIT */
		char **again = g_strsplit(lines[9], "\t", -1); /* its retransmission */
		char **ack = g_strsplit(lines[10], "\t", -1);  /* TIME_WAIT's answer */
		char **syn = g_strsplit(lines[0], "\t", -1);
		char **syn_ack = g_strsplit(lines[1], "\t", -1);

		/* Linux 6.18's defaults: window scale 10 (tcp_rmem[2] = 32 MiB),
		 * 44 x 1460 in the SYN, 45 x 1448 in the listener's SYN-ACK */
		g_assert_cmpstr(syn[6], ==, "64240");
		g_assert_cmpstr(syn[7], ==, "10");
		g_assert_cmpstr(syn_ack[6], ==, "65160");
		g_assert_cmpstr(syn_ack[7], ==, "10");
		g_strfreev(syn);
		g_strfreev(syn_ack);

		g_assert_cmpstr(ack[4], ==, fin[3]);
		g_assert_cmpstr(ack[4], !=, again[3]);
		g_strfreev(fin);
		g_strfreev(again);
		g_strfreev(ack);
	}
	g_strfreev(lines);
	g_string_free(exp, TRUE);
	g_string_free(got, TRUE);
	e2e_clear(&s);
}

/* One test of this file. */
struct closing_test {
	const char *path;
	void (*fn)(void);
};

static const struct closing_test tests[] = {
	{"/closing/three-way", test_three_way},
	{"/closing/four-way", test_four_way},
	{"/closing/simultaneous", test_simultaneous},
	{"/closing/half-close/data-after-fin", test_half_close},
	{"/closing/half-close/segments", test_half_close_segments},
	{"/closing/fin-wait-2/orphan-timeout", test_fin_wait2_orphan},
	{"/closing/fin-wait-2/shutdown-waits", test_fin_wait2_shutdown},
	{"/closing/unread-data-reset", test_unread_data_reset},
	{"/closing/last-ack/lost-ack", test_last_ack_lost},
	{"/closing/last-ack/backoff", test_last_ack_backoff},
	{"/closing/last-ack/no-time-wait-reset", test_last_ack_no_time_wait},
	{"/closing/old-duplicate/no-time-wait-corrupts", test_old_duplicate_no_time_wait},
	{"/closing/old-duplicate/time-wait-protects", test_old_duplicate_time_wait},
	{"/closing/old-duplicate/paws-protects", test_old_duplicate_paws},
	{"/closing/assassination/rfc1337-off", test_assassination},
	{"/closing/assassination/rfc1337-on", test_assassination_rfc1337},
	{"/closing/port-exhaustion/eaddrnotavail", test_port_exhaustion},
	{"/closing/port-exhaustion/after-failed-connect", test_port_exhaustion_after_failed_connect},
	{"/closing/lossy-close", test_lossy_close},
	{"/closing/lossy-close/time-wait-answer", test_lossy_close_time_wait_answer},
	{"/closing/lossy-close/kernel-timers", test_lossy_close_kernel_timers},
	{"/closing/nagle-minshall-high-isn", test_nagle_minshall_high_isn},
};

/* Each test runs in a subprocess of its own (the program re-run on that
 * test alone), so that a failed assertion, which aborts, fails that test
 * only and the others still run and report. */
static void run_isolated(gconstpointer data)
{
	const struct closing_test *t = data;

	if (g_test_subprocess()) {
		t->fn();
		return;
	}
	g_test_trap_subprocess(NULL, 0,
			       G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
	g_test_set_nonfatal_assertions(); /* report the failure, go on with the next test */
	g_test_trap_assert_passed();
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(tests); i++)
		g_test_add_data_func(tests[i].path, &tests[i], run_isolated);
	return g_test_run();
}
