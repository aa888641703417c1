/*
 * End-to-end test harness; see tests/e2e.h.
 */
#include "tests/e2e.h"

#include <stdbool.h>
#include <string.h>
#include "tests/output_util.h"
#include "tests/tshark.h"

/* --- packets --- */

static const char *const e2e_fields[E2E_F_COUNT + 1] = {
	[E2E_F_TIME] = "frame.time_epoch",
	[E2E_F_SRC] = "ip.src",
	[E2E_F_DST] = "ip.dst",
	[E2E_F_PROTO] = "ip.proto",
	[E2E_F_SPORT] = "tcp.srcport",
	[E2E_F_DPORT] = "tcp.dstport",
	[E2E_F_FLAGS] = "tcp.flags",
	[E2E_F_SEQ] = "tcp.seq",
	[E2E_F_ACK] = "tcp.ack",
	[E2E_F_SEQ_RAW] = "tcp.seq_raw",
	[E2E_F_ACK_RAW] = "tcp.ack_raw",
	[E2E_F_LEN] = "tcp.len",
	[E2E_F_HDR_LEN] = "tcp.hdr_len",
	[E2E_F_WINDOW] = "tcp.window_size_value",
	[E2E_F_OPTIONS] = "tcp.options",
	[E2E_F_TSVAL] = "tcp.options.timestamp.tsval",
	[E2E_F_TSECR] = "tcp.options.timestamp.tsecr",
	[E2E_F_PAYLOAD] = "tcp.payload",
	[E2E_F_RTX] = "tcp.analysis.retransmission",
	[E2E_F_FAST_RTX] = "tcp.analysis.fast_retransmission",
	[E2E_F_OUT_OF_ORDER] = "tcp.analysis.out_of_order",
	[E2E_F_SPURIOUS] = "tcp.analysis.spurious_retransmission",
	[E2E_F_DUP_ACK] = "tcp.analysis.duplicate_ack",
	[E2E_F_KEEP_ALIVE] = "tcp.analysis.keep_alive",
	[E2E_F_ICMP_TYPE] = "icmp.type",
	[E2E_F_ICMP_CODE] = "icmp.code",
	[E2E_F_ICMP_CSUM] = "icmp.checksum.status",
	[E2E_F_IP_CSUM] = "ip.checksum.status",
	[E2E_F_TCP_CSUM] = "tcp.checksum.status",
	[E2E_F_MALFORMED] = "_ws.malformed",
	[E2E_F_EXPERT] = "_ws.expert.message",
	[E2E_F_ARP_OPCODE] = "arp.opcode",
	[E2E_F_ARP_SRC] = "arp.src.proto_ipv4",
	[E2E_F_ARP_DST] = "arp.dst.proto_ipv4",
	[E2E_F_COUNT] = NULL,
};

/* A number field; "" is 0, "0x0012" reads as hex. */
static guint64 field_u64(const char *s)
{
	return s[0] == '\0' ? 0 : g_ascii_strtoull(s, NULL, 0);
}

/* The flags string: S F R P U, then A (tcpdump's order, A for its '.'). */
static void flags_str(char *out, guint bits)
{
	static const struct { guint bit; char c; } order[] = {
		{TH_SYN, 'S'}, {TH_FIN, 'F'}, {TH_RST, 'R'}, {TH_PSH, 'P'}, {TH_URG, 'U'}, {TH_ACK, 'A'},
	};
	char *p = out;

	for (size_t i = 0; i < G_N_ELEMENTS(order); i++)
		if (bits & order[i].bit)
			*p++ = order[i].c;
	*p = '\0';
}

static gboolean present(const char *field)
{
	return field[0] != '\0';
}

static void pkt_parse(struct e2e_pkt *k, guint n, const char *line, const char *client_addr)
{
	char **f = g_strsplit(line, "\t", -1);
	char **src;

	g_assert_cmpuint(g_strv_length(f), ==, E2E_F_COUNT);
	k->n = n;
	k->f = f;
	k->t = scn_parse_ns(f[E2E_F_TIME]);
	g_assert_cmpint(k->t, >=, 0);
	k->arp = present(f[E2E_F_ARP_OPCODE]);
	src = g_strsplit(f[k->arp ? E2E_F_ARP_SRC : E2E_F_SRC], ",", 2);
	k->src = g_strdup(src[0] != NULL ? src[0] : "");
	g_strfreev(src);
	k->dir = client_addr == NULL ? '?' : strcmp(k->src, client_addr) == 0 ? 'C' : 'S';
	k->icmp_type = present(f[E2E_F_ICMP_TYPE]) ? (int)field_u64(f[E2E_F_ICMP_TYPE]) : -1;
	k->icmp_code = present(f[E2E_F_ICMP_CODE]) ? (int)field_u64(f[E2E_F_ICMP_CODE]) : -1;
	k->tcp = k->icmp_type < 0 && present(f[E2E_F_FLAGS]);
	k->flags = (guint)field_u64(f[E2E_F_FLAGS]);
	flags_str(k->fl, k->flags);
	k->sport = (guint)field_u64(f[E2E_F_SPORT]);
	k->dport = (guint)field_u64(f[E2E_F_DPORT]);
	k->seq = field_u64(f[E2E_F_SEQ]);
	k->ack = field_u64(f[E2E_F_ACK]);
	k->seq_raw = field_u64(f[E2E_F_SEQ_RAW]);
	k->ack_raw = field_u64(f[E2E_F_ACK_RAW]);
	k->len = (guint)field_u64(f[E2E_F_LEN]);
	k->hdr_len = (guint)field_u64(f[E2E_F_HDR_LEN]);
	k->window = (guint)field_u64(f[E2E_F_WINDOW]);
	k->has_ts = present(f[E2E_F_TSVAL]);
	k->tsval = field_u64(f[E2E_F_TSVAL]);
	k->tsecr = field_u64(f[E2E_F_TSECR]);
	k->payload = f[E2E_F_PAYLOAD];
	k->rtx = present(f[E2E_F_RTX]);
	k->fast_rtx = present(f[E2E_F_FAST_RTX]);
	k->rtx_late = k->rtx || k->fast_rtx || present(f[E2E_F_OUT_OF_ORDER]) ||
		      present(f[E2E_F_SPURIOUS]);
	k->dup_ack = present(f[E2E_F_DUP_ACK]);
	k->keep_alive = present(f[E2E_F_KEEP_ALIVE]);
}

static void pkt_clear(gpointer p)
{
	struct e2e_pkt *k = p;

	g_free(k->src);
	g_strfreev(k->f);
}

GArray *e2e_pkts_read(const char *pcap, const char *client_addr)
{
	GError *error = NULL;
	char **lines = tshark_fields(pcap, NULL, e2e_fields, &error);
	GArray *pkts = g_array_new(FALSE, TRUE, sizeof(struct e2e_pkt));
	guint n = 0;

	g_assert_no_error(error);
	g_array_set_clear_func(pkts, pkt_clear);
	for (char **l = lines; *l != NULL; l++) {
		struct e2e_pkt k = {0};

		pkt_parse(&k, ++n, *l, client_addr);
		g_array_append_val(pkts, k);
	}
	g_strfreev(lines);
	return pkts;
}

void e2e_assert_well_formed(const char *pcap, const GArray *pkts)
{
	for (guint i = 0; i < pkts->len; i++) {
		const struct e2e_pkt *k = PKT(pkts, i);
		char *const *f = k->f;
		gboolean icmp = k->icmp_type >= 0;

		if (tshark_malformed(f[E2E_F_MALFORMED], f[E2E_F_EXPERT]))
			g_test_message("%s: frame %u malformed: %s", pcap, k->n, f[E2E_F_EXPERT]);
		g_assert_cmpstr(f[E2E_F_MALFORMED], ==, "");
		g_assert_null(strstr(f[E2E_F_EXPERT], "Malformed"));
		if (!tshark_all_good(f[E2E_F_IP_CSUM], !k->arp) ||
		    !tshark_all_good(f[E2E_F_TCP_CSUM], k->tcp) ||
		    !tshark_all_good(f[E2E_F_ICMP_CSUM], icmp))
			g_test_message("%s: frame %u: checksum status ip %s tcp %s icmp %s", pcap, k->n,
				       f[E2E_F_IP_CSUM], f[E2E_F_TCP_CSUM], f[E2E_F_ICMP_CSUM]);
		g_assert_true(tshark_all_good(f[E2E_F_IP_CSUM], !k->arp));
		g_assert_true(tshark_all_good(f[E2E_F_TCP_CSUM], k->tcp));
		g_assert_true(tshark_all_good(f[E2E_F_ICMP_CSUM], icmp));
	}
}

/* --- one run --- */

/* Runs CONFIG EXTRA... [--json] -o TMP/out through out_run(), which parses
 * stdout as JSON when the arguments hold --json, and takes over its run. */
static void run(struct e2e *s, const char *config, const char *const *extra, gboolean add_json)
{
	guint n = 0;
	const char **args;
	struct out_run r;

	gboolean timers_set = FALSE;
	while (extra != NULL && extra[n] != NULL)
		timers_set |= g_str_has_prefix(extra[n++], "tcp.timers=");
	args = g_new0(const char *, n + 4); /* --set tcp.timers=exact, extra, --json, NULL */
	guint k = 0;
	if (!timers_set) { /* the textbook times, unless the test asks for the kernel's */
		args[k++] = "--set";
		args[k++] = "tcp.timers=exact";
	}
	for (guint i = 0; i < n; i++)
		args[k++] = extra[i];
	args[k] = add_json ? "--json" : NULL;
	out_run(&r, config, args, TRUE);
	g_free(args);
	memset(s, 0, sizeof(*s));
	s->tmp = r.tmp;
	s->dir = r.dir;
	s->pcap = g_build_filename(s->dir, "trace.pcap", NULL);
	s->run = r.run;
	s->json = r.json;
	if (s->json != NULL)
		g_assert_cmpint(s->json->type, ==, SCN_JSON_OBJECT);
}

void e2e_run(struct e2e *s, const char *config, const char *const *extra)
{
	run(s, config, extra, FALSE);
}

void e2e_run_capture(struct e2e *s, const char *config, const char *const *extra,
		     const char *client_addr)
{
	guint64 rtx = 0, rtx_late = 0, late;

	run(s, config, extra, TRUE);
	g_assert_true(g_file_test(s->pcap, G_FILE_TEST_IS_REGULAR));
	s->pkts = e2e_pkts_read(s->pcap, client_addr);
	e2e_assert_well_formed(s->pcap, s->pkts);
	g_assert_cmpuint(s->pkts->len, ==, scn_json_uint(s->json, "capture.packets"));
	for (guint i = 0; i < s->pkts->len; i++) {
		rtx += PKT(s->pkts, i)->rtx;
		rtx_late += PKT(s->pkts, i)->rtx_late;
	}
	late = scn_json_uint(s->json, "capture.late");
	/* Without reordering every flagged segment is a resend; but a resend
	 * close behind the segment before it with fewer than two duplicate
	 * ACKs (RACK's, RFC 8985) is "out-of-order" to Wireshark, not
	 * "retransmission": only the total is exact. */
	g_assert_cmpuint(rtx, <=, rtx_late);
	g_assert_cmpuint(rtx_late, ==, scn_json_uint(s->json, "capture.retransmissions") + late);
}

void e2e_clear(struct e2e *s)
{
	if (s->pkts != NULL)
		g_array_unref(s->pkts);
	scn_json_free(s->json);
	scn_run_clear(&s->run);
	if (s->tmp != NULL)
		scn_rmtree(s->tmp);
	g_free(s->tmp);
	g_free(s->dir);
	g_free(s->pcap);
	memset(s, 0, sizeof(*s));
}

/* --- the summary --- */

void e2e_append_time(GString *s, gint64 ns)
{
	g_string_append_printf(s, "%" G_GINT64_FORMAT ".%09" G_GINT64_FORMAT, ns / NS_PER_SEC,
			       ns % NS_PER_SEC);
}

const char *e2e_ep_str(const struct e2e *s, const char *who, const char *key)
{
	char *path = g_strdup_printf("endpoints.%s.%s", who, key);
	const char *v = scn_json_str(s->json, path);

	g_free(path);
	return v;
}

guint64 e2e_ep_uint(const struct e2e *s, const char *who, const char *key)
{
	char *path = g_strdup_printf("endpoints.%s.%s", who, key);
	guint64 v = scn_json_uint(s->json, path);

	g_free(path);
	return v;
}

void e2e_assert_endpoint(const struct e2e *s, const char *who, const char *final_state,
			 const char *result)
{
	g_test_message("endpoint %s", who);
	g_assert_cmpstr(e2e_ep_str(s, who, "final_state"), ==, final_state);
	g_assert_cmpstr(e2e_ep_str(s, who, "result"), ==, result);
}

static void describe_state(GString *s, gint64 t, guint64 conn, const char *state)
{
	e2e_append_time(s, t);
	g_string_append_printf(s, " #%" G_GUINT64_FORMAT " %s\n", conn, state);
}

const struct scn_json *e2e_states(const struct e2e *s, const char *who)
{
	char *path = g_strdup_printf("endpoints.%s.states", who);
	const struct scn_json *states = scn_json_get(s->json, path);

	g_assert_nonnull(states);
	g_assert_cmpint(states->type, ==, SCN_JSON_ARRAY);
	g_free(path);
	g_assert_cmpuint(e2e_ep_uint(s, who, "states_dropped"), ==, 0);
	return states;
}

void e2e_assert_states(const struct e2e *s, const char *who, const struct e2e_state *want,
		       guint n)
{
	const struct scn_json *states = e2e_states(s, who);
	GString *exp = g_string_new(NULL), *got = g_string_new(NULL);

	for (guint i = 0; i < n; i++)
		describe_state(exp, want[i].t, want[i].conn, want[i].state);
	for (guint i = 0; i < scn_json_len(states); i++) {
		const struct scn_json *e = scn_json_at(states, i);

		describe_state(got, scn_json_ns(e, "t"), scn_json_uint(e, "conn"),
			       scn_json_str(e, "state"));
	}
	g_test_message("%s states", who);
	g_assert_cmpstr(got->str, ==, exp->str);
	g_string_free(exp, TRUE);
	g_string_free(got, TRUE);
}

gint64 e2e_state_time(const struct e2e *s, const char *who, guint conn, const char *state)
{
	const struct scn_json *states = e2e_states(s, who);

	for (guint i = 0; i < scn_json_len(states); i++) {
		const struct scn_json *e = scn_json_at(states, i);

		if (scn_json_uint(e, "conn") == conn &&
		    g_strcmp0(scn_json_str(e, "state"), state) == 0)
			return scn_json_ns(e, "t");
	}
	return -1;
}

guint e2e_state_count(const struct e2e *s, const char *who, const char *state)
{
	const struct scn_json *states = e2e_states(s, who);
	guint n = 0;

	for (guint i = 0; i < scn_json_len(states); i++)
		n += g_strcmp0(scn_json_str(scn_json_at(states, i), "state"), state) == 0;
	return n;
}

void e2e_describe_call(GString *s, gint64 t, const char *call, const char *ret, const char *err)
{
	e2e_append_time(s, t);
	g_string_append_printf(s, " %s = %s %s\n", call, ret, err != NULL ? err : "null");
}

/* The calls that set a socket up (socket, bind, setsockopt, fcntl): the
 * short form makes them around connect and listen.  The lifecycle tests
 * assert the calls after them; tests/test_sockets.c asserts these. */
static bool setup_call(const char *name)
{
	static const char *const setup[] = {"socket", "bind", "setsockopt", "fcntl"};
	for (size_t i = 0; i < G_N_ELEMENTS(setup); i++)
		if (strcmp(name, setup[i]) == 0)
			return true;
	return false;
}

char *e2e_calls_text(const struct e2e *s, const char *who, const char *only)
{
	char *path = g_strdup_printf("endpoints.%s.calls", who);
	const struct scn_json *calls = scn_json_get(s->json, path);
	GString *got = g_string_new(NULL);

	g_assert_nonnull(calls);
	g_assert_cmpint(calls->type, ==, SCN_JSON_ARRAY);
	g_assert_cmpuint(e2e_ep_uint(s, who, "calls_dropped"), ==, 0);
	for (guint i = 0; i < scn_json_len(calls); i++) {
		const struct scn_json *c = scn_json_at(calls, i);
		const struct scn_json *ret = scn_json_get(c, "ret");
		const struct scn_json *err = scn_json_get(c, "errno");
		const char *name = scn_json_str(c, "call");

		g_assert_nonnull(name);
		g_assert_nonnull(ret);
		g_assert_cmpint(ret->type, ==, SCN_JSON_NUMBER);
		g_assert_nonnull(err);
		g_assert_true(err->type == SCN_JSON_NULL || err->type == SCN_JSON_STRING);
		if (only == NULL ? !setup_call(name) : strcmp(name, only) == 0)
			e2e_describe_call(got, scn_json_ns(c, "t"), name, ret->text,
					  err->type == SCN_JSON_STRING ? err->text : NULL);
	}
	g_free(path);
	return g_string_free(got, FALSE);
}

void e2e_assert_calls(const struct e2e *s, const char *who, const char *only,
		      const struct e2e_call *want, guint n)
{
	GString *exp = g_string_new(NULL);
	char *got = e2e_calls_text(s, who, only);

	for (guint i = 0; i < n; i++)
		e2e_describe_call(exp, want[i].t, want[i].call, want[i].ret, want[i].err);
	g_test_message("%s calls%s%s", who, only != NULL ? " of " : "", only != NULL ? only : "");
	g_assert_cmpstr(got, ==, exp->str);
	g_string_free(exp, TRUE);
	g_free(got);
}

void e2e_assert_times(const char *what, const GArray *got, const gint64 *want, guint n)
{
	GString *exp = g_string_new(NULL), *act = g_string_new(NULL);

	for (guint i = 0; i < n; i++) {
		e2e_append_time(exp, want[i]);
		g_string_append_c(exp, '\n');
	}
	for (guint i = 0; i < got->len; i++) {
		e2e_append_time(act, g_array_index(got, gint64, i));
		g_string_append_c(act, '\n');
	}
	g_test_message("%s at", what);
	g_assert_cmpstr(act->str, ==, exp->str);
	g_string_free(exp, TRUE);
	g_string_free(act, TRUE);
}

void e2e_assert_times_ms(const char *what, const GArray *got, const gint64 *want_ms, guint n)
{
	gint64 *want = g_new(gint64, n + 1);

	for (guint i = 0; i < n; i++)
		want[i] = MS(want_ms[i]);
	e2e_assert_times(what, got, want, n);
	g_free(want);
}
