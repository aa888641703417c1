/*
 * Tests of the text trace (--trace, --relative) and the event log
 * (--events), through the built ./tcpsim.
 *
 * The trace of each seed scenario is compared line by line with the shape
 * of the seed's tcpdump output: direction, flags, sequence range and
 * acknowledgment relative to each side's initial sequence number, the
 * presence of the window, the kinds of options in order, and the length.
 * Seed 004 quotes its `tcpdump -S` lines (copied below from the blog
 * post); seeds 000 and 003 describe theirs packet by packet (the same
 * packets as tests/test_scenarios.c).  Window values are not compared: the
 * seeds ran on loopback with an MSS of 16396, the configs use 1460.
 */
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "tests/output_util.h"
#include "tests/tshark.h"

/* --- the shape of a tcpdump line --- */

static GRegex *line_re(void)
{
	static const char *const re =
		"^\\S+ IP (\\S+)\\.(\\d+) > (\\S+)\\.(\\d+): Flags \\[([^]]*)\\]"
		"(?:, seq (\\d+)(?::(\\d+))?)?(?:, ack (\\d+))?, win (\\d+)"
		"(?:, options \\[([^]]*)\\])?, length (\\d+)";
	return g_regex_new(re, 0, 0, NULL);
}

/* One parsed packet line. */
struct tline {
	guint dport;
	char *flags;
	gboolean has_seq, has_end, has_ack;
	guint32 seq, end, ack;
	char *options;   /* "mss,sackOK,TS,nop,wscale" */
	guint len;
};

static char *option_kinds(const char *opts)
{
	char **v = g_strsplit(opts, ",", -1);
	GString *s = g_string_new(NULL);

	for (char **p = v; *p && **p; p++) {
		char *sp = strchr(*p, ' ');
		g_string_append_printf(s, "%s%.*s", s->len ? "," : "",
				       sp ? (int)(sp - *p) : (int)strlen(*p), *p);
	}
	g_strfreev(v);
	return g_string_free(s, FALSE);
}

static gboolean parse_line(GRegex *re, const char *line, struct tline *t)
{
	GMatchInfo *m = NULL;
	gboolean ok = g_regex_match(re, line, 0, &m);

	memset(t, 0, sizeof(*t));
	if (ok) {
		char *g[12];
		for (int i = 0; i < 12; i++)
			g[i] = g_match_info_fetch(m, i);
		t->dport = (guint)atoi(g[4]);
		t->flags = g_strdup(g[5]);
		t->has_seq = g[6][0] != '\0';
		t->has_end = g[7][0] != '\0';
		t->has_ack = g[8][0] != '\0';
		t->seq = (guint32)g_ascii_strtoull(g[6], NULL, 10);
		t->end = (guint32)g_ascii_strtoull(g[7], NULL, 10);
		t->ack = (guint32)g_ascii_strtoull(g[8], NULL, 10);
		t->options = option_kinds(g[10]);
		t->len = (guint)atoi(g[11]);
		for (int i = 0; i < 12; i++)
			g_free(g[i]);
	}
	g_match_info_free(m);
	return ok;
}

static void tline_clear(struct tline *t)
{
	g_free(t->flags);
	g_free(t->options);
}

/* "C [P.] seq 1:7 ack 1 win length 6 [nop,nop,TS]" per packet line of
 * lines (others skipped), numbers relative to the ISNs that the SYNs show;
 * C when it goes to the port the first SYN went to (the server's). */
static char *shapes(char *const *lines)
{
	GRegex *re = line_re();
	GString *s = g_string_new(NULL);
	guint32 isn[2] = {0, 0};
	guint server_port = 0;

	for (char *const *l = lines; *l; l++) {
		struct tline t;

		if (!parse_line(re, *l, &t))
			continue;
		if (server_port == 0 && strcmp(t.flags, "S") == 0)
			server_port = t.dport;
		int from = t.dport == server_port ? 0 : 1; /* 0: client */
		if (strchr(t.flags, 'S'))
			isn[from] = t.seq;
		g_string_append_printf(s, "%c [%s]", from == 0 ? 'C' : 'S', t.flags);
		if (t.has_seq)
			g_string_append_printf(s, " seq %u", t.seq - isn[from]);
		if (t.has_end)
			g_string_append_printf(s, ":%u", t.end - isn[from]);
		if (t.has_ack)
			g_string_append_printf(s, " ack %u", t.ack - isn[1 - from]);
		g_string_append_printf(s, " win length %u [%s]\n", t.len, t.options);
		tline_clear(&t);
	}
	g_regex_unref(re);
	return g_string_free(s, FALSE);
}

/* The --trace of config (with extra arguments), as lines. */
static char **trace_of(const char *config, const char *const *extra)
{
	GPtrArray *args = g_ptr_array_new_with_free_func(g_free);
	struct out_run r;

	g_ptr_array_add(args, g_strdup("--trace"));
	for (guint i = 0; extra && extra[i]; i++)
		g_ptr_array_add(args, g_strdup(extra[i]));
	g_ptr_array_add(args, NULL);
	out_run(&r, config, (const char *const *)args->pdata, TRUE);
	char **lines = g_strsplit(r.run.out, "\n", -1);
	out_run_clear(&r);
	g_ptr_array_free(args, TRUE);
	return lines;
}

/* Seed 004's lines (`tcpdump 'port 20000' -i lo -S`), from the post. */
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

/* A modifiable copy of a constant list of lines. */
static char **copy_lines(const char *const *v)
{
	GPtrArray *out = g_ptr_array_new();

	for (; *v; v++)
		g_ptr_array_add(out, g_strdup(*v));
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

#define SYN_OPTS "[mss,sackOK,TS,nop,wscale]"
#define TS_OPTS "[nop,nop,TS]"

/* Seed 004: the trace's packet lines have the shape of the seed's. */
static void test_trace_seed004(void)
{
	char **seed004_lines = copy_lines(seed004_tcpdump);
	char **trace = trace_of("configs/seed_welcome.ini", NULL);
	char *got = shapes(trace), *want = shapes(seed004_lines);

	g_assert_cmpstr(want, ==,
			"C [S] seq 0 win length 0 " SYN_OPTS "\n"
			"S [S.] seq 0 ack 1 win length 0 " SYN_OPTS "\n"
			"C [.] ack 1 win length 0 " TS_OPTS "\n"
			"S [P.] seq 1:256 ack 1 win length 255 " TS_OPTS "\n"
			"C [.] ack 256 win length 0 " TS_OPTS "\n"
			"S [F.] seq 256 ack 1 win length 0 " TS_OPTS "\n"
			"C [F.] seq 1 ack 257 win length 0 " TS_OPTS "\n"
			"S [.] ack 2 win length 0 " TS_OPTS "\n");
	g_assert_cmpstr(got, ==, want);
	g_free(got);
	g_free(want);
	g_strfreev(trace);
	g_strfreev(seed004_lines);
}

/* Seed 003 (captured on the client): echo "hello\0", three-way close. */
static void test_trace_seed003(void)
{
	char **trace = trace_of("configs/seed_echo_hello.ini", NULL);
	char *got = shapes(trace);

	g_assert_cmpstr(got, ==,
			"C [S] seq 0 win length 0 " SYN_OPTS "\n"
			"S [S.] seq 0 ack 1 win length 0 " SYN_OPTS "\n"
			"C [.] ack 1 win length 0 " TS_OPTS "\n"
			"C [P.] seq 1:7 ack 1 win length 6 " TS_OPTS "\n"
			"S [.] ack 7 win length 0 " TS_OPTS "\n"
			"S [P.] seq 1:7 ack 7 win length 6 " TS_OPTS "\n"
			"C [.] ack 7 win length 0 " TS_OPTS "\n"
			"C [F.] seq 7 ack 7 win length 0 " TS_OPTS "\n"
			"S [F.] seq 7 ack 8 win length 0 " TS_OPTS "\n"
			"C [.] ack 8 win length 0 " TS_OPTS "\n");
	g_free(got);
	g_strfreev(trace);
}

/* Seed 000 (captured on the server): "a\n" echoed, the server closes, the
 * client's ACK of the FIN comes on its own, delayed. */
static void test_trace_seed000(void)
{
	char **trace = trace_of("configs/seed_server_close.ini", NULL);
	char *got = shapes(trace);

	g_assert_cmpstr(got, ==,
			"C [S] seq 0 win length 0 " SYN_OPTS "\n"
			"S [S.] seq 0 ack 1 win length 0 " SYN_OPTS "\n"
			"C [.] ack 1 win length 0 " TS_OPTS "\n"
			"C [P.] seq 1:3 ack 1 win length 2 " TS_OPTS "\n"
			"S [.] ack 3 win length 0 " TS_OPTS "\n"
			"S [P.] seq 1:3 ack 3 win length 2 " TS_OPTS "\n"
			"S [F.] seq 3 ack 3 win length 0 " TS_OPTS "\n"
			"C [.] ack 3 win length 0 " TS_OPTS "\n"
			"C [.] ack 4 win length 0 " TS_OPTS "\n");
	g_free(got);
	g_strfreev(trace);
}

/* The packet lines only, "Flags [...]" onwards. */
static char **packet_tails(char *const *lines)
{
	GPtrArray *out = g_ptr_array_new();

	for (char *const *l = lines; *l; l++) {
		const char *f = strstr(*l, " Flags [");
		if (f != NULL && strstr(*l, " IP ") != NULL)
			g_ptr_array_add(out, g_strdup(f + 1));
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

/* --relative: seed 004 as tcpdump without -S prints it: the SYN and the
 * SYN-ACK absolute, every later segment relative. */
static void test_trace_relative_seed004(void)
{
	const char *const rel[] = {"--relative", NULL};
	char **abs_lines = trace_of("configs/seed_welcome.ini", NULL);
	char **rel_lines = trace_of("configs/seed_welcome.ini", rel);
	char **a = packet_tails(abs_lines), **r = packet_tails(rel_lines);
	static const char *const want[] = {
		NULL, NULL, /* the SYN and SYN-ACK: as with -S */
		"Flags [.], ack 1, win",
		"Flags [P.], seq 1:256, ack 1, win",
		"Flags [.], ack 256, win",
		"Flags [F.], seq 256, ack 1, win",
		"Flags [F.], seq 1, ack 257, win",
		"Flags [.], ack 2, win",
	};

	g_assert_cmpuint(g_strv_length(r), ==, G_N_ELEMENTS(want));
	for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
		if (want[i] == NULL)
			g_assert_cmpstr(r[i], ==, a[i]);
		else
			g_assert_true(g_str_has_prefix(r[i], want[i]));
	}
	/* the rest of the trace (states, calls) is the same */
	g_assert_cmpuint(g_strv_length(abs_lines), ==, g_strv_length(rel_lines));
	for (guint i = 0; abs_lines[i]; i++)
		if (strstr(abs_lines[i], " IP ") == NULL)
			g_assert_cmpstr(abs_lines[i], ==, rel_lines[i]);
	g_strfreev(a);
	g_strfreev(r);
	g_strfreev(abs_lines);
	g_strfreev(rel_lines);
}

/* --relative on a lossy run: every ACK-bearing non-SYN line is the -S line
 * with each number minus the ISN of its side (the SYNs'). */
static void test_trace_relative_lossy(void)
{
	const char *const rel[] = {"--relative", NULL};
	char **abs_lines = trace_of("configs/lossy_close.ini", NULL);
	char **rel_lines = trace_of("configs/lossy_close.ini", rel);
	GRegex *re = line_re();
	guint32 isn[2] = {0, 0};
	guint checked = 0;

	guint server_port = 0;

	g_assert_cmpuint(g_strv_length(abs_lines), ==, g_strv_length(rel_lines));
	for (guint i = 0; abs_lines[i]; i++) {
		struct tline a, r;

		if (!parse_line(re, abs_lines[i], &a)) {
			g_assert_cmpstr(abs_lines[i], ==, rel_lines[i]);
			continue;
		}
		g_assert_true(parse_line(re, rel_lines[i], &r));
		if (server_port == 0)
			server_port = a.dport; /* the first packet is the client's SYN */
		int from = a.dport == server_port ? 0 : 1;
		if (strchr(a.flags, 'S'))
			isn[from] = a.seq;
		if (strchr(a.flags, '.') && !strchr(a.flags, 'S')) {
			g_assert_cmpuint(r.ack, ==, a.ack - isn[1 - from]);
			if (a.has_seq)
				g_assert_cmpuint(r.seq, ==, a.seq - isn[from]);
			checked++;
		} else {
			g_assert_cmpuint(r.seq, ==, a.seq);
			g_assert_cmpuint(r.ack, ==, a.ack);
		}
		tline_clear(&a);
		tline_clear(&r);
	}
	g_assert_cmpuint(checked, >, 5);
	g_regex_unref(re);
	g_strfreev(abs_lines);
	g_strfreev(rel_lines);
}

/* The network's decisions are marked on the packet lines. */
static void test_trace_marks(void)
{
	char **trace = trace_of("configs/lossy_close.ini", NULL);
	char *all = g_strjoinv("\n", trace);

	g_assert_nonnull(strstr(all, "length 0  [dropped by the network: loss]"));
	g_assert_nonnull(strstr(all, "client #1 FIN_WAIT_1 -> TIME_WAIT"));
	g_assert_nonnull(strstr(all, "server: close(4) = 0"));
	g_free(all);
	g_strfreev(trace);
}

/*
 * The [retransmission] marks of the trace against Wireshark's
 * tcp.analysis.retransmission on the capture of the same run, at either
 * capture point: at the receiver a retransmission is marked when its
 * sequence space already arrived there (what Wireshark can tell), and an
 * original that arrived behind later segments is marked [late] (Wireshark
 * calls it a retransmission too).  The data is "CONFIG:POINT".
 */
struct rtx_case {
	const char *path, *config, *point;
	guint min_marks; /* at least this many marked lines */
};

static const struct rtx_case rtx_cases[] = {
	{"/outputs/trace/retransmission/two-way-bulk/client", "configs/two_way_bulk.ini", "client", 6},
	{"/outputs/trace/retransmission/two-way-bulk/server", "configs/two_way_bulk.ini", "server", 6},
	{"/outputs/trace/retransmission/synack-lost/server", "configs/synack_lost.ini", "server", 5},
	{"/outputs/trace/retransmission/lossy-close/server", "configs/lossy_close.ini", "server", 1},
	{"/outputs/trace/retransmission/old-duplicate/server", "configs/old_duplicate.ini", "server", 2},
};

/* "3 17 40 ": the 1-based numbers of the trace's packet lines (those the
 * capture holds) that carry [retransmission] or [late]. */
static char *marked_packets(char **trace, guint *n_marked)
{
	GString *s = g_string_new(NULL);
	guint frame = 0;
	*n_marked = 0;
	for (char **l = trace; *l; l++) {
		if (!g_regex_match_simple("^\\d+\\.\\d+ (IP|ARP)[ ,]", *l, 0, 0) ||
		    strstr(*l, "[not sent:"))
			continue;
		frame++;
		if (strstr(*l, "  [retransmission]") || strstr(*l, "  [late]")) {
			g_string_append_printf(s, "%u ", frame);
			(*n_marked)++;
		}
	}
	return g_string_free(s, FALSE);
}

static void test_trace_retransmission_marks(gconstpointer data)
{
	const struct rtx_case *c = data;
	static const char *const fields[] = {"frame.number", NULL};
	if (!tshark_available()) {
		g_test_fail_printf("tshark is not on PATH: install it with `make deps`");
		return;
	}
	char *point = g_strdup_printf("simulation.capture=%s", c->point);
	const char *const args[] = {"--trace", "-s", point, NULL};
	struct out_run r;
	out_run(&r, c->config, args, TRUE);
	char **trace = g_strsplit(r.run.out, "\n", -1);
	guint n;
	char *got = marked_packets(trace, &n);
	char *pcap = out_path(&r, "out/trace.pcap");
	GError *error = NULL;
	/* out-of-order too: Wireshark's name for a retransmission sent within
	 * the first round trip of the newest segment that the duplicate ACKs
	 * did not ask for (SACK recovery's second hole; packet-tcp.c) */
	char **frames = tshark_fields(pcap, "tcp.analysis.retransmission || tcp.analysis.out_of_order",
	                              fields, &error);
	g_assert_no_error(error);
	GString *want = g_string_new(NULL);
	for (char **f = frames; *f; f++)
		g_string_append_printf(want, "%s ", *f);
	g_assert_cmpstr(got, ==, want->str);
	g_assert_cmpuint(n, >=, c->min_marks);
	g_string_free(want, TRUE);
	g_strfreev(frames);
	g_free(pcap);
	g_free(got);
	g_strfreev(trace);
	out_run_clear(&r);
	g_free(point);
}

/* A lost segment's retransmission is marked at the receiver only when
 * later segments arrived before it (Wireshark's view); two_way_bulk's
 * receiver-side capture has such ones. */
static void test_trace_retransmission_at_receiver(void)
{
	const char *const args[] = {"--trace", "-s", "simulation.capture=server", NULL};
	struct out_run r;
	out_run(&r, "configs/two_way_bulk.ini", args, TRUE);
	char **trace = g_strsplit(r.run.out, "\n", -1);
	guint arriving = 0;
	for (char **l = trace; *l; l++)
		if (strstr(*l, " IP 10.0.0.1.") && strstr(*l, "  [retransmission]"))
			arriving++; /* client -> server: seen arriving at the server */
	g_assert_cmpuint(arriving, >, 0);
	g_strfreev(trace);
	out_run_clear(&r);
}

/* --- the call texts and the human summary --- */

/* The data argument of a recv()/send() line, from its opening quote: it
 * must end with a closing quote (never inside an escape: a backslash
 * always has its character), then "..." when cut, then ", ".  Returns
 * where the argument ends, or NULL. */
static const char *end_of_data(const char *quote)
{
	g_assert_cmpint(*quote, ==, '"');
	for (const char *p = quote + 1; *p; p++) {
		if (*p == '\\') {
			if (!*++p)
				return NULL;
			continue;
		}
		if (*p == '"')
			return g_str_has_prefix(p + 1, "...") ? p + 4 : p + 1;
	}
	return NULL;
}

/* half_close.ini reads 20000 bytes of random data in a dozen recv() calls:
 * every line's buffer ends with its closing quote (and "..." when cut at
 * strace's 32 bytes) and the line keeps the return value, in the summary
 * and in the event log. */
static void test_call_text_half_close(void)
{
	const char *const args[] = {"--events", "{tmp}/events.jsonl", NULL};
	struct out_run r;
	out_run(&r, "configs/half_close.ini", args, TRUE);
	char *path = out_path(&r, "events.jsonl");
	GPtrArray *events = out_read_jsonl(path);
	GPtrArray *texts = g_ptr_array_new_with_free_func(g_free);
	char **lines = g_strsplit(r.run.out, "\n", -1);
	for (char **l = lines; *l; l++) {
		const char *call = strstr(*l, "client: recv(");
		if (call)
			g_ptr_array_add(texts, g_strdup(call + strlen("client: ")));
	}
	guint from_summary = texts->len;
	for (guint i = 0; i < events->len; i++) {
		const struct scn_json *e = g_ptr_array_index(events, i);
		if (g_strcmp0(scn_json_str(e, "call"), "recv") == 0 &&
		    g_strcmp0(scn_json_str(e, "role"), "client") == 0)
			g_ptr_array_add(texts, g_strdup(scn_json_str(e, "text")));
	}
	g_assert_cmpuint(from_summary, >=, 10); /* 20000 bytes, 1448 at most per segment */
	g_assert_cmpuint(texts->len, ==, 2 * from_summary);
	guint cut = 0;
	for (guint i = 0; i < texts->len; i++) {
		const char *t = g_ptr_array_index(texts, i);
		const char *end = end_of_data(strchr(t, '"'));
		g_assert_nonnull(end);
		g_assert_true(g_str_has_prefix(end, ", 65536, 0) = "));
		long ret = strtol(end + strlen(", 65536, 0) = "), NULL, 10);
		g_assert_cmpint(ret, >=, 0);
		g_assert_true((end[-1] == '.') == (ret > 32)); /* "..." when bytes were left out */
		cut += end[-1] == '.';
	}
	g_assert_cmpuint(cut, >=, 2 * 10);
	g_strfreev(lines);
	g_ptr_array_free(texts, TRUE);
	g_ptr_array_free(events, TRUE);
	g_free(path);
	out_run_clear(&r);
}

/* The call texts of an SVG diagram, XML entities decoded. */
static GPtrArray *diagram_calls(const char *svg_path)
{
	char *svg = NULL;
	g_assert_true(g_file_get_contents(svg_path, &svg, NULL, NULL));
	GPtrArray *calls = g_ptr_array_new_with_free_func(g_free);
	GRegex *re = g_regex_new(">((?:recv|send|connect|accept)\\([^<]*)<", 0, 0, NULL);
	GMatchInfo *m;
	g_regex_match(re, svg, 0, &m);
	for (; g_match_info_matches(m); g_match_info_next(m, NULL)) {
		char *raw = g_match_info_fetch(m, 1);
		GString *t = g_string_new(raw);
		g_string_replace(t, "&quot;", "\"", 0);
		g_string_replace(t, "&lt;", "<", 0);
		g_string_replace(t, "&gt;", ">", 0);
		g_string_replace(t, "&amp;", "&", 0);
		g_ptr_array_add(calls, g_string_free(t, FALSE));
		g_free(raw);
	}
	g_match_info_free(m);
	g_regex_unref(re);
	g_free(svg);
	return calls;
}

/* The diagram has room for 52 characters of a call: the text it is given
 * cuts the data strings first (whole characters, then "..."), and keeps
 * the return value and the errno's name. */
static void test_call_text_diagram(void)
{
	const char *const args[] = {"-q", "--diagram", "{tmp}/d.svg", NULL};
	struct out_run r;
	out_run(&r, "configs/half_close.ini", args, TRUE);
	char *path = out_path(&r, "d.svg");
	GPtrArray *calls = diagram_calls(path);
	guint recvs = 0;
	for (guint i = 0; i < calls->len; i++) {
		const char *t = g_ptr_array_index(calls, i);
		g_assert_cmpuint(g_utf8_strlen(t, -1), <=, 52);
		g_assert_null(strstr(t, "\xe2\x80\xa6")); /* nothing cut blind */
		if (!g_str_has_prefix(t, "recv(3, "))
			continue;
		recvs++;
		/* a printable literal as strace quotes it, or the diagram's
		 * "<1448 bytes>" for a binary one */
		const char *quote = strchr(t, '"');
		const char *end = quote ? end_of_data(quote) : strstr(t, " bytes>");
		g_assert_nonnull(end);
		if (!quote)
			end += strlen(" bytes>");
		g_assert_true(g_str_has_prefix(end, ", 65536, 0) = "));
	}
	g_assert_cmpuint(recvs, >=, 10);
	g_assert_true(g_ptr_array_find_with_equal_func(calls, "recv(3, \"\", 65536, 0) = 0", g_str_equal, NULL));
	g_ptr_array_free(calls, TRUE);
	g_free(path);
	out_run_clear(&r);

	out_run(&r, "configs/connect_timeout.ini", args, TRUE);
	path = out_path(&r, "d.svg");
	calls = diagram_calls(path);
	g_assert_cmpuint(calls->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(calls, 0), ==, "connect(3, {10.0.0.2:7777}) = -1 ETIMEDOUT");
	g_ptr_array_free(calls, TRUE);
	g_free(path);
	out_run_clear(&r);
}

/* The summary shows the first 400 calls and says how many it left out:
 * together, every call of the event log. */
static void test_summary_more_calls(void)
{
	const char *const args[] = {"-s", "client.repeat=40", "--events", "{tmp}/events.jsonl", NULL};
	struct out_run r;
	out_run(&r, "configs/bench/lifecycles.ini", args, TRUE);
	char *path = out_path(&r, "events.jsonl");
	GPtrArray *events = out_read_jsonl(path);
	guint calls = 0;
	for (guint i = 0; i < events->len; i++)
		if (g_strcmp0(scn_json_str(g_ptr_array_index(events, i), "event"), "call") == 0)
			calls++;
	g_assert_cmpuint(calls, >, 401);
	char **lines = g_strsplit(r.run.out, "\n", -1);
	guint shown = 0;
	char *more = NULL;
	for (char **l = lines; *l; l++) {
		if (g_str_has_prefix(*l, "  ["))
			shown++;
		else if (g_str_has_prefix(*l, "  ... "))
			more = g_strdup(*l);
	}
	g_assert_cmpuint(shown, ==, 400);
	char *want = g_strdup_printf("  ... %u more calls not shown (see --json or --events)", calls - 400);
	g_assert_cmpstr(more, ==, want);
	g_free(want);
	g_free(more);
	g_strfreev(lines);
	g_ptr_array_free(events, TRUE);
	g_free(path);
	out_run_clear(&r);

	out_run(&r, "configs/half_close.ini", NULL, TRUE); /* 33 calls: all shown */
	g_assert_null(strstr(r.run.out, "more call"));
	out_run_clear(&r);
}

/* Past the records the JSON keeps (1000 a role) and the summary's 400
 * lines, no output wants a call's text and none is made
 * (net_call_text_wanted()); the summary still counts every call. */
static void test_summary_counts_untexted_calls(void)
{
	const char *const json_args[] = {"-s", "client.repeat=300", "--json", NULL};
	struct out_run r;
	out_run(&r, "configs/bench/lifecycles.ini", json_args, TRUE);
	struct scn_json *j = scn_json_parse(r.run.out, NULL);
	g_assert_nonnull(j);
	guint64 calls = 0;
	for (int i = 0; i < 2; i++) {
		const struct scn_json *ep = scn_json_get(j, i ? "endpoints.server" : "endpoints.client");
		calls += scn_json_len(scn_json_get(ep, "calls")) + scn_json_uint(ep, "calls_dropped");
	}
	g_assert_cmpuint(scn_json_uint(j, "endpoints.client.calls_dropped"), >, 0);
	scn_json_free(j);
	out_run_clear(&r);

	const char *const args[] = {"-s", "client.repeat=300", NULL};
	out_run(&r, "configs/bench/lifecycles.ini", args, TRUE);
	char *want = g_strdup_printf("  ... %" G_GUINT64_FORMAT " more calls not shown (see --json or --events)\n",
	                             calls - 400);
	g_assert_nonnull(strstr(r.run.out, want));
	g_free(want);
	out_run_clear(&r);
}

/* Counts of one take the singular: host_unreachable.ini sends one SYN. */
static void test_summary_plurals(void)
{
	struct out_run r;
	out_run(&r, "configs/host_unreachable.ini", NULL, TRUE);
	g_assert_nonnull(strstr(r.run.out, "\nnetwork: 1 segment sent, 0 delivered, 1 dropped,"));
	g_assert_nonnull(strstr(r.run.out, "result EHOSTUNREACH, 1 connection\n"));
	g_assert_nonnull(strstr(r.run.out, "result ok, 0 connections\n"));
	out_run_clear(&r);
	out_run(&r, "configs/arp_failure.ini", NULL, TRUE);
	g_assert_nonnull(strstr(r.run.out, "network: 3 segments sent,"));
	g_assert_nonnull(strstr(r.run.out, "  ARP: 3 requests unanswered; 3 segments waited for a reply "
	                                   "and were dropped unsent\n"));
	out_run_clear(&r);
}

/* --- the event log --- */

static const char *const packet_keys[] = {
	"t", "event", "at", "dir", "conn", "kind", "src", "sport", "dst", "dport", "flags", "seq",
	"ack", "win", "len", "options", "ip_id", "ttl", "bad_checksum", "why", "retransmission",
	"fate", "rto", "fault", "duplicate", "reordered", NULL,
};
static const char *const arp_keys[] = {
	"t", "event", "at", "dir", "conn", "kind", "op", "src", "dst", "why", "retransmission",
	"fate", "rto", "fault", "duplicate", "reordered", NULL,
};
static const char *const state_keys[] = {"t", "event", "role", "conn", "from", "to", "errno", NULL};
static const char *const call_keys[] = {"t", "event", "role", "call", "ret", "errno", "blocked",
					"text", NULL};
static const char *const ack_keys[] = {"t", "event", "role", "conn", "ack", "snd_una", "cwnd",
				       "ssthresh", "mss", "in_flight", "pipe", "sacked", "recovery", "srtt",
				       "rto", NULL};

/* The object's keys are exactly keys, in that order (ICMP packets add two;
 * ARP requests have keys of their own). */
static void assert_keys(const struct scn_json *v, const char *const *keys)
{
	guint n = 0;

	for (; keys[n]; n++) {
		g_assert_cmpuint(n, <, v->keys->len);
		g_assert_cmpstr(g_ptr_array_index(v->keys, n), ==, keys[n]);
	}
	if (g_strcmp0(scn_json_str(v, "kind"), "icmp_unreach") == 0)
		n += 2;
	g_assert_cmpuint(v->keys->len, ==, n);
}

/* Counts of the event log of one run, checked against its --json. */
struct tally {
	guint sent, arrived_tcp, drops, states[2], calls[2];
	guint acks;          /* "ack" lines: each answers an arrival */
};

static void tally_events(GPtrArray *events, struct tally *c)
{
	gint64 last = 0;

	memset(c, 0, sizeof(*c));
	for (guint i = 0; i < events->len; i++) {
		const struct scn_json *v = g_ptr_array_index(events, i);
		const char *ev = scn_json_str(v, "event");
		gint64 t = scn_json_ns(v, "t");

		g_assert_cmpint(t, >=, last); /* in time order */
		last = t;
		if (strcmp(ev, "packet") == 0 && strcmp(scn_json_str(v, "kind"), "arp") == 0) {
			assert_keys(v, arp_keys); /* an ARP request: not a segment sent */
		} else if (strcmp(ev, "packet") == 0) {
			assert_keys(v, packet_keys);
			gboolean out = strcmp(scn_json_str(v, "dir"), "out") == 0;
			c->sent += out;
			c->arrived_tcp += !out && strcmp(scn_json_str(v, "kind"), "tcp") == 0;
			c->drops += out && strcmp(scn_json_str(v, "fate"), "deliver") != 0;
		} else if (strcmp(ev, "state") == 0) {
			assert_keys(v, state_keys);
			c->states[strcmp(scn_json_str(v, "role"), "server") == 0]++;
		} else if (strcmp(ev, "ack") == 0) {
			assert_keys(v, ack_keys);
			c->acks++;
			g_assert_cmpuint(c->acks, <=, c->arrived_tcp);
			g_assert_cmpuint(scn_json_uint(v, "cwnd"), >, 0);
		} else {
			g_assert_cmpstr(ev, ==, "call");
			assert_keys(v, call_keys);
			c->calls[strcmp(scn_json_str(v, "role"), "server") == 0]++;
		}
	}
}

static void test_events_config(gconstpointer data)
{
	const char *config = data;
	const char *const *extra = out_config_args(config);
	GPtrArray *args = g_ptr_array_new_with_free_func(g_free);
	struct out_run r;
	struct tally c;

	for (guint i = 0; extra[i]; i++)
		g_ptr_array_add(args, g_strdup(extra[i]));
	g_ptr_array_add(args, g_strdup("--json"));
	g_ptr_array_add(args, g_strdup("--events"));
	g_ptr_array_add(args, g_strdup("{tmp}/events.jsonl"));
	g_ptr_array_add(args, NULL);
	out_run(&r, config, (const char *const *)args->pdata, TRUE);
	char *path = out_path(&r, "events.jsonl");
	g_assert_cmpstr(scn_json_str(r.json, "files.events"), ==, path);
	GPtrArray *events = out_read_jsonl(path);
	tally_events(events, &c);
	g_assert_cmpuint(c.sent, ==, scn_json_uint(r.json, "network.sent"));
	g_assert_cmpuint(c.arrived_tcp, ==, scn_json_uint(r.json, "network.delivered"));
	g_assert_cmpuint(c.drops, <=, scn_json_uint(r.json, "network.dropped")); /* + crashed hosts */
	g_assert_cmpuint(c.states[0], ==, scn_json_len(scn_json_get(r.json, "endpoints.client.states")));
	g_assert_cmpuint(c.states[1], ==, scn_json_len(scn_json_get(r.json, "endpoints.server.states")));
	/* the JSON keeps the first 1000 calls of each and counts the others */
	g_assert_cmpuint(c.calls[0], ==, scn_json_len(scn_json_get(r.json, "endpoints.client.calls")) +
	                                 scn_json_uint(r.json, "endpoints.client.calls_dropped"));
	g_assert_cmpuint(c.calls[1], ==, scn_json_len(scn_json_get(r.json, "endpoints.server.calls")) +
	                                 scn_json_uint(r.json, "endpoints.server.calls_dropped"));
	g_ptr_array_unref(events);
	g_free(path);
	out_run_clear(&r);
	g_ptr_array_free(args, TRUE);
}

/* One line of lossy_close, exactly: the format is a contract for scripts. */
static void test_events_format(void)
{
	const char *const args[] = {"-q", "--events", "{tmp}/e.jsonl", NULL};
	struct out_run r;

	out_run(&r, "configs/lossy_close.ini", args, TRUE);
	char *path = out_path(&r, "e.jsonl");
	char **lines = out_read_lines(path);
	g_assert_cmpstr(lines[0], ==,
			"{\"t\": 0.000000000, \"event\": \"call\", \"role\": \"server\", \"call\": \"socket\", "
			"\"ret\": 3, \"errno\": null, \"blocked\": 0.000000000, "
			"\"text\": \"socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\"}");
	g_assert_cmpstr(lines[2], ==,
			"{\"t\": 0.000000000, \"event\": \"call\", \"role\": \"server\", \"call\": \"listen\", "
			"\"ret\": 0, \"errno\": null, \"blocked\": 0.000000000, \"text\": \"listen(3, 128) = 0\"}");
	g_assert_cmpstr(lines[4], ==,
			"{\"t\": 0.000000000, \"event\": \"state\", \"role\": \"client\", \"conn\": 1, "
			"\"from\": \"CLOSED\", \"to\": \"SYN_SENT\", \"errno\": null}");
	g_assert_true(g_str_has_prefix(lines[5],
			"{\"t\": 0.000000000, \"event\": \"packet\", \"at\": \"client\", \"dir\": \"out\", "
			"\"conn\": 1, \"kind\": \"tcp\", \"src\": \"10.0.0.1\", \"sport\": "));
	g_assert_nonnull(strstr(lines[5], "\"flags\": \"S\""));
	g_assert_nonnull(strstr(lines[5], "\"options\": {\"mss\": 1460, \"sack_perm\": true, "
					  "\"wscale\": 10, \"tsval\": "));
	g_assert_nonnull(strstr(lines[5], "\"why\": \"new\", \"retransmission\": false, "
					  "\"fate\": \"deliver\", \"rto\": 1.000000000, \"fault\": null"));
	g_strfreev(lines);
	g_free(path);
	out_run_clear(&r);
}

/* Two runs, the same bytes. */
static void test_events_deterministic(void)
{
	const char *const args[] = {"-q", "--events", "{tmp}/e.jsonl", NULL};
	struct out_run a, b;

	out_run(&a, "configs/lossy_close.ini", args, TRUE);
	out_run(&b, "configs/lossy_close.ini", args, TRUE);
	char *pa = out_path(&a, "e.jsonl"), *pb = out_path(&b, "e.jsonl");
	char *da, *db;
	g_assert_true(g_file_get_contents(pa, &da, NULL, NULL));
	g_assert_true(g_file_get_contents(pb, &db, NULL, NULL));
	g_assert_cmpstr(da, ==, db);
	g_free(da);
	g_free(db);
	g_free(pa);
	g_free(pb);
	out_run_clear(&a);
	out_run_clear(&b);
}

/* --- usage errors: status 2, a message naming the option, nothing written --- */

struct usage_case {
	const char *path;
	const char *args[6];
	const char *message;
};

static const struct usage_case usage_cases[] = {
	{"/outputs/usage/relative-without-trace", {"--relative", NULL}, "--relative"},
	{"/outputs/usage/diagram-extension", {"--diagram", "{tmp}/d.pdf", NULL}, ".svg or .png"},
	{"/outputs/usage/events-folder-missing", {"--events", "{tmp}/no/such/dir/e.jsonl", NULL},
	 "e.jsonl"},
	{"/outputs/usage/diagram-folder-missing", {"--diagram", "{tmp}/no/such/dir/d.svg", NULL},
	 "d.svg"},
};

static void test_usage(gconstpointer data)
{
	const struct usage_case *u = data;
	struct out_run r;

	out_run(&r, "configs/lossy_close.ini", u->args, FALSE);
	g_assert_cmpint(r.run.status, ==, 2);
	g_assert_nonnull(strstr(r.run.err, u->message));
	g_assert_cmpstr(r.run.out, ==, "");
	char *pcap = g_build_filename(r.dir, "trace.pcap", NULL);
	g_assert_false(g_file_test(pcap, G_FILE_TEST_EXISTS));
	g_free(pcap);
	out_run_clear(&r);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/outputs/trace/seed004-shape", test_trace_seed004);
	g_test_add_func("/outputs/trace/seed003-shape", test_trace_seed003);
	g_test_add_func("/outputs/trace/seed000-shape", test_trace_seed000);
	g_test_add_func("/outputs/trace/relative/seed004", test_trace_relative_seed004);
	g_test_add_func("/outputs/trace/relative/lossy-close", test_trace_relative_lossy);
	g_test_add_func("/outputs/trace/marks", test_trace_marks);
	for (guint i = 0; i < G_N_ELEMENTS(rtx_cases); i++)
		g_test_add_data_func(rtx_cases[i].path, &rtx_cases[i], test_trace_retransmission_marks);
	g_test_add_func("/outputs/trace/retransmission/at-receiver", test_trace_retransmission_at_receiver);
	g_test_add_func("/outputs/calls/half-close", test_call_text_half_close);
	g_test_add_func("/outputs/calls/diagram", test_call_text_diagram);
	g_test_add_func("/outputs/summary/more-calls", test_summary_more_calls);
	g_test_add_func("/outputs/summary/untexted-calls", test_summary_counts_untexted_calls);
	g_test_add_func("/outputs/summary/plurals", test_summary_plurals);
	g_test_add_func("/outputs/events/format", test_events_format);
	g_test_add_func("/outputs/events/deterministic", test_events_deterministic);
	for (guint i = 0; i < G_N_ELEMENTS(usage_cases); i++)
		g_test_add_data_func(usage_cases[i].path, &usage_cases[i], test_usage);
	out_add_config_tests("/outputs/events/config", test_events_config);
	return g_test_run();
}
