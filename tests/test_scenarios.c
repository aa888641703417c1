/*
 * Scenario tests: the built ./tcpsim run on the configs of configs/, its
 * pcap decoded by tshark, its --json summary parsed.  These are the
 * end-to-end checks of the contracts in DESIGN.md: the seeds' traces come
 * out packet for packet, the timers show in the state logs, Wireshark's
 * TCP analysis agrees with what the simulator says it did, one seed gives
 * one byte-identical result, and the summary has its documented shape.
 *
 * Every run writes into a fresh temporary folder (-o), never into out/.
 * Packets are described as one line each ("4 C PA len 6 seq 1 ack 1"):
 * C is client to server, S server to client; flags are built from the
 * tcp.flags bits (S F R P U, then A); seq and ack are Wireshark's relative
 * numbers.  A mismatch shows the whole trace, expected against actual.
 */
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "tests/e2e.h"
#include "tests/tshark.h"

#define LINUX_2MSL (60 * NS_PER_SEC)        /* linux profile: TIME_WAIT length */
#define LINUX_FIN_TIMEOUT (60 * NS_PER_SEC) /* linux profile: tcp_fin_timeout */
#define LINUX_DELACK (40 * NS_PER_MS)       /* linux profile: delayed-ACK time */

/* --- packets as Wireshark decodes them (tests/e2e.h) --- */

/* What a packet of a seed's trace must be. */
struct want {
	char dir;            /* 'C' or 'S' */
	const char *flags;   /* as e2e_pkt.fl spells them */
	guint len;           /* tcp.len */
	guint64 seq, ack;    /* relative */
	const char *payload; /* hex; NULL: not checked */
};

/* "N DIR FLAGS len L seq S ack A[ payload HEX]" */
static void describe(GString *s, guint n, char dir, const char *flags, guint len,
		     guint64 seq, guint64 ack, const char *payload)
{
	g_string_append_printf(s, "%u %c %s len %u seq %" G_GUINT64_FORMAT " ack %" G_GUINT64_FORMAT,
			       n, dir, flags, len, seq, ack);
	if (payload != NULL)
		g_string_append_printf(s, " payload %s", payload);
	g_string_append_c(s, '\n');
}

/* Asserts that pkts are exactly the n packets of want. */
static void assert_trace(const GArray *pkts, const struct want *want, guint n)
{
	GString *exp = g_string_new(NULL), *got = g_string_new(NULL);

	for (guint i = 0; i < n; i++)
		describe(exp, i + 1, want[i].dir, want[i].flags, want[i].len, want[i].seq,
			 want[i].ack, want[i].payload);
	for (guint i = 0; i < pkts->len; i++) {
		const struct e2e_pkt *k = PKT(pkts, i);
		const char *payload = i < n && want[i].payload != NULL ? k->payload : NULL;

		describe(got, i + 1, k->dir, k->fl, k->len, k->seq, k->ack, payload);
	}
	g_assert_cmpstr(got->str, ==, exp->str);
	g_string_free(exp, TRUE);
	g_string_free(got, TRUE);
}

/* --- the state logs of the JSON summary --- */

/* The time of the first entry at or after index *from of the endpoint's
 * states whose state is name; -1 if none.  *from is set past it. */
static gint64 state_time(const struct scn_json *js, const char *who, const char *name, guint *from)
{
	char *path = g_strdup_printf("endpoints.%s.states", who);
	const struct scn_json *states = scn_json_get(js, path);
	gint64 t = -1;

	g_assert_nonnull(states);
	for (guint i = from != NULL ? *from : 0; i < scn_json_len(states); i++) {
		const struct scn_json *e = scn_json_at(states, i);

		if (g_strcmp0(scn_json_str(e, "state"), name) == 0) {
			t = scn_json_ns(e, "t");
			if (from != NULL)
				*from = i + 1;
			break;
		}
	}
	g_free(path);
	return t;
}

/* --- 1, 2, 3: the seeds' traces --- */

/* Seed 003: echo "hello\0", then the client closes (three-way close). */
static void test_seed003_echo_hello(void)
{
	static const struct want want[] = {
		{'C', "S", 0, 0, 0, NULL},
		{'S', "SA", 0, 0, 1, NULL},
		{'C', "A", 0, 1, 1, NULL},
		{'C', "PA", 6, 1, 1, "68656c6c6f00"},
		{'S', "A", 0, 1, 7, NULL},
		{'S', "PA", 6, 1, 7, "68656c6c6f00"},
		{'C', "A", 0, 7, 7, NULL},
		{'C', "FA", 0, 7, 7, NULL},
		{'S', "FA", 0, 7, 8, NULL},
		{'C', "A", 0, 8, 8, NULL},
	};
	struct e2e s;
	GArray *pkts;

	e2e_run(&s, "configs/seed_echo_hello.ini", NULL);
	pkts = e2e_pkts_read(s.pcap, "192.168.78.128");
	assert_trace(pkts, want, G_N_ELEMENTS(want));
	g_array_unref(pkts);
	e2e_clear(&s);
}

/* Seed 000: the server echoes "a\n" and closes; the client never does.
 * Capture on the server. */
static void test_seed000_server_close(void)
{
	static const struct want want[] = {
		{'C', "S", 0, 0, 0, NULL},
		{'S', "SA", 0, 0, 1, NULL},
		{'C', "A", 0, 1, 1, NULL},
		{'C', "PA", 2, 1, 1, "610a"},
		{'S', "A", 0, 1, 3, NULL},
		{'S', "PA", 2, 1, 3, "610a"},
		{'S', "FA", 0, 3, 3, NULL},
		{'C', "A", 0, 3, 3, NULL},
		{'C', "A", 0, 3, 4, NULL},
	};
	const char *const extra[] = {"--json", NULL};
	struct e2e s;
	GArray *pkts;
	guint from = 0;
	gint64 fw2, closed, delay, fin_at_client, last_ack_sent;

	e2e_run(&s, "configs/seed_server_close.ini", extra);
	pkts = e2e_pkts_read(s.pcap, "127.0.0.1");
	assert_trace(pkts, want, G_N_ELEMENTS(want));
	g_assert_cmpstr(scn_json_str(s.json, "endpoints.client.final_state"), ==, "CLOSE_WAIT");
	g_assert_cmpstr(scn_json_str(s.json, "endpoints.server.final_state"), ==, "CLOSED");

	/* The orphan in FIN_WAIT_2 gives up after tcp_fin_timeout, silently. */
	fw2 = state_time(s.json, "server", "FIN_WAIT_2", &from);
	closed = state_time(s.json, "server", "CLOSED", &from);
	g_assert_cmpint(fw2, >=, 0);
	g_assert_cmpint(closed, >=, 0);
	g_assert_cmpint(closed - fw2, ==, LINUX_FIN_TIMEOUT);
	/* FIN_WAIT_2 began when the client's ACK of the FIN reached the server. */
	g_assert_cmpint(fw2, ==, PKT(pkts, 8)->t);

	/* The server sees each packet as it leaves or arrives; the one-way
	 * delay is the SYN's: sent at the client's first state change. */
	delay = PKT(pkts, 0)->t - state_time(s.json, "client", "SYN_SENT", NULL);
	fin_at_client = state_time(s.json, "client", "CLOSE_WAIT", NULL);
	g_assert_cmpint(fin_at_client, ==, PKT(pkts, 6)->t + delay);
	last_ack_sent = PKT(pkts, 8)->t - delay;
	g_assert_cmpint(last_ack_sent - fin_at_client, ==, LINUX_DELACK);
	g_array_unref(pkts);
	e2e_clear(&s);
}

/* Seed 004's tcpdump lines (loopback, a server on port 20000). */
static const char *const seed004_tcpdump[] = {
	"17:05:35.358403 IP neptune.local.49493 > neptune.local.20000: Flags [S], seq 1317094743, "
	"win 32792, options [mss 16396,sackOK,TS val 7083694 ecr 0,nop,wscale 6], length 0",
	"17:05:35.358439 IP neptune.local.20000 > neptune.local.49493: Flags [S.], seq 1311370954, "
	"ack 1317094744, win 32768, options [mss 16396,sackOK,TS val 7083694 ecr 7083694,nop,wscale 6], "
	"length 0",
	"17:05:35.358468 IP neptune.local.49493 > neptune.local.20000: Flags [.], ack 1311370955, "
	"win 513, options [nop,nop,TS val 7083694 ecr 7083694], length 0",
	"17:05:35.358871 IP neptune.local.20000 > neptune.local.49493: Flags [P.], "
	"seq 1311370955:1311371210, ack 1317094744, win 512, options [nop,nop,TS val 7083694 ecr 7083694], "
	"length 255",
	"17:05:35.358890 IP neptune.local.49493 > neptune.local.20000: Flags [.], ack 1311371210, "
	"win 530, options [nop,nop,TS val 7083694 ecr 7083694], length 0",
	"17:05:35.358913 IP neptune.local.20000 > neptune.local.49493: Flags [F.], seq 1311371210, "
	"ack 1317094744, win 512, options [nop,nop,TS val 7083694 ecr 7083694], length 0",
	"17:05:35.359419 IP neptune.local.49493 > neptune.local.20000: Flags [F.], seq 1317094744, "
	"ack 1311371211, win 530, options [nop,nop,TS val 7083694 ecr 7083694], length 0",
	"17:05:35.359441 IP neptune.local.20000 > neptune.local.49493: Flags [.], ack 1317094745, "
	"win 512, options [nop,nop,TS val 7083694 ecr 7083694], length 0",
	NULL,
};

/* The "C [S]" / "S [F.]" summary of the tcpdump lines among lines: C when
 * the destination port is the server's (20000). */
static char *tcpdump_flags(const char *const *lines)
{
	GRegex *re = g_regex_new(" IP \\S+\\.(\\d+) > \\S+\\.(\\d+): Flags (\\[[^]]*\\])", 0, 0, NULL);
	GString *s = g_string_new(NULL);

	for (const char *const *l = lines; *l != NULL; l++) {
		GMatchInfo *m = NULL;

		if (g_regex_match(re, *l, 0, &m)) {
			char *dport = g_match_info_fetch(m, 2), *flags = g_match_info_fetch(m, 3);

			g_string_append_printf(s, "%c %s\n", strcmp(dport, "20000") == 0 ? 'C' : 'S',
					       flags);
			g_free(dport);
			g_free(flags);
		}
		g_match_info_free(m);
	}
	g_regex_unref(re);
	return g_string_free(s, FALSE);
}

/* Seed 004: the server sends 255 bytes and closes, the client reads to
 * end of file and closes: 8 packets, with the seed's tcpdump flags. */
static void test_seed004_welcome(void)
{
	static const struct want want[] = {
		{'C', "S", 0, 0, 0, NULL},
		{'S', "SA", 0, 0, 1, NULL},
		{'C', "A", 0, 1, 1, NULL},
		{'S', "PA", 255, 1, 1, NULL},
		{'C', "A", 0, 1, 256, NULL},
		{'S', "FA", 0, 256, 1, NULL},
		{'C', "FA", 0, 1, 257, NULL},
		{'S', "A", 0, 257, 2, NULL},
	};
	const char *const extra[] = {"--trace", NULL};
	struct e2e s;
	GArray *pkts;
	char **trace;
	char *got, *exp;

	e2e_run(&s, "configs/seed_welcome.ini", extra);
	pkts = e2e_pkts_read(s.pcap, "127.0.0.1");
	assert_trace(pkts, want, G_N_ELEMENTS(want));
	trace = g_strsplit(s.run.out, "\n", -1);
	got = tcpdump_flags((const char *const *)trace);
	exp = tcpdump_flags(seed004_tcpdump);
	g_assert_cmpstr(exp, ==, "C [S]\nS [S.]\nC [.]\nS [P.]\nC [.]\nS [F.]\nC [F.]\nS [.]\n");
	g_assert_cmpstr(got, ==, exp);
	g_free(got);
	g_free(exp);
	g_strfreev(trace);
	g_array_unref(pkts);
	e2e_clear(&s);
}

/* --- 4: the passive closer's FIN retransmitted in LAST_ACK --- */

/* RFC 9293 3.10.7.4: in TIME_WAIT, a retransmitted FIN is acknowledged
 * and the 2*MSL timeout restarted.  With its default seed lossy_close
 * loses the client's last ACK. */
static void test_lossy_close_last_ack(void)
{
	const char *const extra[] = {"--json", NULL};
	struct e2e s;
	GArray *pkts;
	guint fins = 0;
	gint64 last_fin = -1, time_wait, closed;
	guint from = 0;

	e2e_run(&s, "configs/lossy_close.ini", extra);
	g_assert_cmpuint(scn_json_uint(s.json, "endpoints.server.retransmissions.fin"), >=, 1);
	pkts = e2e_pkts_read(s.pcap, "10.0.0.1");
	for (guint i = 0; i < pkts->len; i++) {
		const struct e2e_pkt *k = PKT(pkts, i);
		gboolean acked = FALSE;

		if (k->dir != 'S' || strchr(k->fl, 'F') == NULL)
			continue;
		/* every copy after the first is flagged a retransmission */
		g_assert_cmpint(k->rtx, ==, fins > 0);
		fins++;
		last_fin = k->t;
		/* and the client ACKs each copy before the next one arrives */
		for (guint j = i + 1; j < pkts->len && !acked; j++) {
			const struct e2e_pkt *a = PKT(pkts, j);

			if (a->dir == 'S' && strchr(a->fl, 'F') != NULL)
				break;
			acked = a->dir == 'C' && strchr(a->fl, 'A') != NULL && a->ack == k->seq + 1;
		}
		g_assert_true(acked);
	}
	g_assert_cmpuint(fins, >=, 2);

	/* TIME_WAIT ends 2*MSL after the last FIN, not after it began. */
	time_wait = state_time(s.json, "client", "TIME_WAIT", &from);
	closed = state_time(s.json, "client", "CLOSED", &from);
	g_assert_cmpint(time_wait, >=, 0);
	g_assert_cmpint(closed, ==, last_fin + LINUX_2MSL);
	g_assert_cmpint(closed - time_wait, >, LINUX_2MSL);
	g_array_unref(pkts);
	e2e_clear(&s);
}

/* --- 5, 6: Wireshark's view of a capture --- */

/* What Wireshark says about a whole capture. */
struct analysis {
	guint64 frames;     /* packets */
	guint64 malformed;  /* packets with _ws.malformed or a "Malformed" expert message */
	guint64 bad_ip;     /* IPv4 packets whose ip.checksum.status is missing or not 1 (good) */
	guint64 bad_tcp;    /* packets with a tcp.checksum.status other than 1 */
	guint64 rtx;        /* retransmission || fast_retransmission */
	guint64 rtx_late;   /* ... || out_of_order || spurious_retransmission */
};

/* Counts, over every packet of pcap, what Wireshark says. */
static void analyse(const char *pcap, struct analysis *a)
{
	GArray *pkts = e2e_pkts_read(pcap, NULL);

	memset(a, 0, sizeof(*a));
	for (guint i = 0; i < pkts->len; i++) {
		const struct e2e_pkt *k = PKT(pkts, i);

		a->frames++;
		if (tshark_malformed(k->f[E2E_F_MALFORMED], k->f[E2E_F_EXPERT])) {
			g_test_message("%s: frame %" G_GUINT64_FORMAT " malformed: %s", pcap,
				       a->frames, k->f[E2E_F_EXPERT]);
			a->malformed++;
		}
		a->bad_ip += !tshark_all_good(k->f[E2E_F_IP_CSUM], !k->arp); /* ARP: no IPv4 */
		a->bad_tcp += !tshark_all_good(k->f[E2E_F_TCP_CSUM], FALSE);
		a->rtx += k->rtx || k->fast_rtx;
		a->rtx_late += k->rtx_late;
	}
	g_array_unref(pkts);
}

/* Every config's pcap is well formed and its analysis matches the JSON. */
static void test_pcap_valid(gconstpointer data)
{
	const char *config = data;
	const char *const extra[] = {"--json", NULL};
	struct e2e s;
	struct analysis a;
	guint64 rtx, late;

	e2e_run(&s, config, extra);
	g_assert_true(g_file_test(s.pcap, G_FILE_TEST_IS_REGULAR));
	analyse(s.pcap, &a);
	g_assert_cmpuint(a.malformed, ==, 0);
	g_assert_cmpuint(a.bad_ip, ==, 0);
	g_assert_cmpuint(a.bad_tcp, ==, 0);
	g_assert_cmpuint(a.frames, ==, scn_json_uint(s.json, "capture.packets"));
	rtx = scn_json_uint(s.json, "capture.retransmissions");
	late = scn_json_uint(s.json, "capture.late");
	/* Wireshark calls a retransmission "out-of-order" when it goes within
	 * the first round trip of the newest segment and is not the one the
	 * duplicate ACKs ask for: the second lost hole that SACK recovery
	 * sends right after the first (packet-tcp.c, ooo_thres) */
	g_assert_cmpuint(a.rtx, <=, rtx);
	g_assert_cmpuint(a.rtx_late, ==, rtx + late);
	e2e_clear(&s);
}

#define AGREE_SEEDS 30

/* Runs lossy_close with seeds 1..AGREE_SEEDS (and the extra settings) and
 * compares Wireshark's counts with the JSON's, seed by seed.  Returns the
 * sums of JSON retransmissions and late packets. */
static void agree_over_seeds(const char *const *settings, gboolean reordering,
			     guint64 *sum_rtx, guint64 *sum_late)
{
	*sum_rtx = *sum_late = 0;
	for (guint seed = 1; seed <= AGREE_SEEDS; seed++) {
		char *seed_s = g_strdup_printf("%u", seed);
		const char *extra[8] = {"--json", "--seed", seed_s, NULL};
		struct e2e s;
		struct analysis a;
		guint64 rtx, late;

		for (guint i = 0; settings[i] != NULL; i++)
			extra[3 + i] = settings[i];
		g_test_message("lossy_close --seed %u", seed);
		e2e_run(&s, "configs/lossy_close.ini", extra);
		analyse(s.pcap, &a);
		rtx = scn_json_uint(s.json, "capture.retransmissions");
		late = scn_json_uint(s.json, "capture.late");
		if (reordering) {
			g_assert_cmpuint(a.rtx_late, ==, rtx + late);
		} else { /* SACK recovery's second hole: "out-of-order" (see test_pcap_valid) */
			g_assert_cmpuint(late, ==, 0);
			g_assert_cmpuint(a.rtx, <=, rtx);
			g_assert_cmpuint(a.rtx_late, ==, rtx);
		}
		*sum_rtx += rtx;
		*sum_late += late;
		e2e_clear(&s);
		g_free(seed_s);
	}
}

static void test_wireshark_agrees(void)
{
	const char *const no_reorder[] = {"-s", "network.reorder=0", "-s", "network.jitter=0", NULL};
	const char *const as_is[] = {NULL};
	guint64 rtx, late;

	agree_over_seeds(no_reorder, FALSE, &rtx, &late);
	g_assert_cmpuint(rtx, >, 0); /* the comparison was not vacuous */
	agree_over_seeds(as_is, TRUE, &rtx, &late);
	g_assert_cmpuint(rtx, >, 0);
	g_assert_cmpuint(late, >, 0); /* reordering did happen in some run */
}

/* --- 7: determinism --- */

/* stdout with the pcap path (which names the temp folder) replaced. */
static char *without_path(const struct e2e *s)
{
	char **parts = g_strsplit(s->run.out, s->pcap, -1);
	char *joined = g_strjoinv("PCAP", parts);

	g_assert_cmpuint(g_strv_length(parts), ==, 2); /* named exactly once */
	g_strfreev(parts);
	return joined;
}

static void test_same_seed(void)
{
	const char *const extra[] = {"--json", NULL};
	struct e2e a, b;
	char *pa, *pb, *ja, *jb;
	gsize na, nb;
	GError *error = NULL;

	e2e_run(&a, "configs/lossy_close.ini", extra);
	e2e_run(&b, "configs/lossy_close.ini", extra);
	g_file_get_contents(a.pcap, &pa, &na, &error);
	g_assert_no_error(error);
	g_file_get_contents(b.pcap, &pb, &nb, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(na, ==, nb);
	g_assert_true(memcmp(pa, pb, na) == 0);
	ja = without_path(&a);
	jb = without_path(&b);
	g_assert_cmpstr(ja, ==, jb);
	g_free(ja);
	g_free(jb);
	g_free(pa);
	g_free(pb);
	e2e_clear(&a);
	e2e_clear(&b);
}

static guint64 first_syn_isn(const char *seed)
{
	const char *const extra[] = {"-q", "--seed", seed, NULL};
	struct e2e s;
	GArray *pkts;
	guint64 isn;

	e2e_run(&s, "configs/lossy_close.ini", extra);
	pkts = e2e_pkts_read(s.pcap, "10.0.0.1");
	g_assert_cmpuint(pkts->len, >, 0);
	g_assert_cmpstr(PKT(pkts, 0)->fl, ==, "S");
	isn = PKT(pkts, 0)->seq_raw;
	g_array_unref(pkts);
	e2e_clear(&s);
	return isn;
}

static void test_different_seed(void)
{
	g_assert_cmpuint(first_syn_isn("1"), !=, first_syn_isn("2"));
}

/* --- 8, 9: the summaries --- */

static void assert_uint_keys(const struct scn_json *js, const char *prefix,
			     const char *const *keys)
{
	for (const char *const *k = keys; *k != NULL; k++) {
		char *path = g_strdup_printf("%s.%s", prefix, *k);

		scn_json_uint(js, path); /* asserts a whole number is there */
		g_free(path);
	}
}

static void assert_type(const struct scn_json *js, const char *path, enum scn_json_type type)
{
	const struct scn_json *v = scn_json_get(js, path);

	if (v == NULL)
		g_test_message("JSON: %s is missing", path);
	g_assert_nonnull(v);
	g_assert_cmpint(v->type, ==, type);
}

/* The eleven states of RFC 9293 3.3.2, as the summary spells them. */
static gboolean is_state(const char *s)
{
	static const char *const names[] = {
		"CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1",
		"FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT",
	};

	for (size_t i = 0; s != NULL && i < G_N_ELEMENTS(names); i++)
		if (strcmp(s, names[i]) == 0)
			return TRUE;
	return FALSE;
}

static void assert_states(const struct scn_json *ep)
{
	const struct scn_json *states = scn_json_get(ep, "states");
	gint64 prev = 0;

	assert_type(ep, "states", SCN_JSON_ARRAY);
	g_assert_cmpuint(scn_json_len(states), >, 0);
	for (guint i = 0; i < scn_json_len(states); i++) {
		const struct scn_json *e = scn_json_at(states, i);
		gint64 t = scn_json_ns(e, "t");

		g_assert_cmpint(t, >=, prev); /* in time order */
		prev = t;
		g_assert_true(is_state(scn_json_str(e, "state")));
	}
}

static void assert_calls(const struct scn_json *ep)
{
	const struct scn_json *calls = scn_json_get(ep, "calls");

	assert_type(ep, "calls", SCN_JSON_ARRAY);
	g_assert_cmpuint(scn_json_len(calls), >, 0);
	for (guint i = 0; i < scn_json_len(calls); i++) {
		const struct scn_json *c = scn_json_at(calls, i);
		const struct scn_json *err = scn_json_get(c, "errno");

		scn_json_ns(c, "t");
		assert_type(c, "call", SCN_JSON_STRING);
		assert_type(c, "ret", SCN_JSON_NUMBER);
		g_assert_nonnull(err);
		g_assert_true(err->type == SCN_JSON_NULL ||
			      (err->type == SCN_JSON_STRING && err->text[0] == 'E'));
	}
}

static void assert_endpoint(const struct scn_json *js, const char *who)
{
	static const char *const rtx[] = {"syn", "data", "fin", NULL};
	static const char *const bytes[] = {"bytes_sent", "bytes_received", NULL};
	char *path = g_strdup_printf("endpoints.%s", who);
	const struct scn_json *ep = scn_json_get(js, path);
	const char *result;

	g_test_message("endpoint %s", who);
	assert_type(js, path, SCN_JSON_OBJECT);
	g_assert_true(is_state(scn_json_str(ep, "final_state")));
	result = scn_json_str(ep, "result");
	g_assert_nonnull(result);
	g_assert_true(g_regex_match_simple("^(ok|E[A-Z]+)$", result, 0, 0));
	assert_states(ep);
	assert_type(ep, "retransmissions", SCN_JSON_OBJECT);
	assert_uint_keys(ep, "retransmissions", rtx);
	for (const char *const *k = bytes; *k != NULL; k++)
		scn_json_uint(ep, *k);
	assert_calls(ep);
	g_free(path);
}

static void test_json_contract(void)
{
	static const char *const net[] = {"sent", "delivered", "dropped", "duplicated", "reordered", NULL};
	const char *const extra[] = {"--json", "--seed", "7", NULL};
	struct e2e s;

	e2e_run(&s, "configs/lossy_close.ini", extra); /* exit status 0, one JSON document */
	g_assert_cmpint(s.json->type, ==, SCN_JSON_OBJECT);
	g_assert_cmpstr(scn_json_str(s.json, "config"), ==, "configs/lossy_close.ini");
	g_assert_cmpuint(scn_json_uint(s.json, "seed"), ==, 7);
	g_assert_cmpstr(scn_json_str(s.json, "profile"), ==, "linux");
	g_assert_cmpint(scn_json_ns(s.json, "end_time"), >, 0);
	g_assert_cmpuint(scn_json_uint(s.json, "events"), >, 0);
	assert_type(s.json, "files", SCN_JSON_OBJECT);
	g_assert_cmpstr(scn_json_str(s.json, "files.pcap"), ==, s.pcap);
	g_assert_true(g_file_test(s.pcap, G_FILE_TEST_IS_REGULAR));
	assert_type(s.json, "endpoints", SCN_JSON_OBJECT);
	assert_endpoint(s.json, "client");
	assert_endpoint(s.json, "server");
	assert_type(s.json, "network", SCN_JSON_OBJECT);
	assert_uint_keys(s.json, "network", net);
	assert_type(s.json, "data_intact", SCN_JSON_BOOL);
	g_assert_cmpstr(scn_json_get(s.json, "data_intact")->text, ==, "true");
	e2e_clear(&s);
}

static void test_summary_human(void)
{
	struct e2e s;
	char *wrote;

	e2e_run(&s, "configs/lossy_close.ini", NULL);
	wrote = g_strdup_printf("wrote: %s\n", s.pcap);
	g_assert_nonnull(strstr(s.run.out, "connect("));
	g_assert_nonnull(strstr(s.run.out, "= 0"));
	g_assert_nonnull(strstr(s.run.out, wrote));
	g_assert_true(g_file_test(s.pcap, G_FILE_TEST_IS_REGULAR));
	g_free(wrote);
	e2e_clear(&s);
}

/* For g_ptr_array_sort(): its arguments point to the elements. */
static int compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds /scenario/pcap/valid/NAME for every configs/NAME.ini. */
static void add_config_tests(void)
{
	GError *error = NULL;
	GDir *dir = g_dir_open("configs", 0, &error);
	GPtrArray *names = g_ptr_array_new();
	const char *name;

	if (dir == NULL)
		g_error("%s: run the tests from the repository root (tests/run.sh does)",
			error->message);
	while ((name = g_dir_read_name(dir)) != NULL)
		if (g_str_has_suffix(name, ".ini"))
			g_ptr_array_add(names, g_strdup(name));
	g_dir_close(dir);
	g_ptr_array_sort(names, compare_names);
	for (guint i = 0; i < names->len; i++) {
		char *file = g_ptr_array_index(names, i);
		char *base = g_strndup(file, strlen(file) - strlen(".ini"));
		char *path = g_strdup_printf("/scenario/pcap/valid/%s", base);

		g_test_add_data_func_full(path, g_build_filename("configs", file, NULL),
					  test_pcap_valid, g_free);
		g_free(path);
		g_free(base);
		g_free(file);
	}
	g_ptr_array_free(names, TRUE);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/scenario/seed003/echo-hello", test_seed003_echo_hello);
	g_test_add_func("/scenario/seed000/server-close", test_seed000_server_close);
	g_test_add_func("/scenario/seed004/welcome", test_seed004_welcome);
	g_test_add_func("/scenario/lossy-close/last-ack-retransmits", test_lossy_close_last_ack);
	add_config_tests();
	g_test_add_func("/scenario/wireshark-agrees/lossy-seeds", test_wireshark_agrees);
	g_test_add_func("/scenario/determinism/same-seed", test_same_seed);
	g_test_add_func("/scenario/determinism/different-seed", test_different_seed);
	g_test_add_func("/scenario/json/contract", test_json_contract);
	g_test_add_func("/scenario/summary/human", test_summary_human);
	return g_test_run();
}
