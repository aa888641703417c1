/*
 * Tests of the time-sequence graph (--seqgraph): for a transfer of 20000
 * bytes whose 3rd data segment a [faults] entry drops, the SVG has one
 * bar per data segment the event log shows sent, one red bar (the
 * retransmission) over the dropped segment's bytes and one cross on it,
 * an ACK line ending at the last ACK the sender got, axes that say their
 * units; the PNG is a PNG of SEQGRAPH_WIDTH x SEQGRAPH_HEIGHT; the same
 * seed draws the same bytes; a long transfer is drawn per pixel column
 * and stays small; a bad name or sender is a usage error naming the
 * option; the README's figure is current.  Also the event log's "ack"
 * lines, what the graph's panel draws.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "sim/out/seqgraph/seqgraph.h"
#include "tests/output_util.h"
#ifdef TCPSIM_HAVE_CAIRO
#include <cairo.h>
#endif

#define README_FIGURE "docs/seqgraph.svg"
#define README_COMMAND "./tcpsim configs/two_way_bulk.ini -q --seqgraph " README_FIGURE \
	" (and docs/seqgraph.png)"

static const char one_drop_ini[] =
	"[simulation]\nseed = 3\n\n[network]\ndelay = 10ms\n\n"
	"[client]\naddress = 10.0.0.1\nscript = connect; send 20000; close\n\n"
	"[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; recv all; close\n\n"
	"[faults]\nlost = drop 3rd client data\n";

static const char bulk_ini[] =
	"[simulation]\nseed = 1\npcap = false\n\n[network]\ndelay = 5ms\nbandwidth = 100Mbit\n"
	"loss = 0.1%\n\n"
	"[client]\naddress = 10.0.0.1\nscript = connect; send 30000000; close\n\n"
	"[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; recv all; close\n";

/* A config written to a fresh folder (freed by cfgfile_clear). */
struct config_file {
	char *dir, *path;
};

static void cfgfile_write(struct config_file *c, const char *text)
{
	c->dir = scn_tmpdir();
	c->path = g_build_filename(c->dir, "x.ini", NULL);
	g_assert_true(g_file_set_contents(c->path, text, -1, NULL));
}

static void cfgfile_clear(struct config_file *c)
{
	scn_rmtree(c->dir);
	g_free(c->dir);
	g_free(c->path);
}

/* --- the SVG read back --- */

static char *read_file(const char *path)
{
	char *text = NULL;
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	return text;
}

/* The text of the group of class cls (not nested in this graph). */
static char *group_of(const char *svg, const char *cls)
{
	char *open = g_strdup_printf("<g class=\"%s\">\n", cls);
	const char *start = strstr(svg, open);
	g_assert_nonnull(start);
	start += strlen(open);
	const char *end = strstr(start, "</g>");
	g_assert_nonnull(end);
	g_free(open);
	return g_strndup(start, (gsize)(end - start));
}

/* The points of every polyline in text: a GPtrArray of GArray of double. */
static GPtrArray *polylines(const char *text)
{
	GPtrArray *all = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
	for (const char *p = strstr(text, "<polyline points=\""); p; p = strstr(p, "<polyline points=\"")) {
		p += strlen("<polyline points=\"");
		GArray *pts = g_array_new(FALSE, FALSE, sizeof(double));
		while (*p != '"') {
			char *end;
			double v = g_ascii_strtod(p, &end);
			g_assert_true(end != p);
			g_array_append_val(pts, v);
			p = *end == ',' || *end == ' ' ? end + 1 : end;
		}
		g_ptr_array_add(all, pts);
	}
	return all;
}

static double pt(const GPtrArray *lines, guint i, guint k)
{
	return g_array_index((GArray *)g_ptr_array_index(lines, i), double, k);
}

/* An axis read from its tick labels: value 0 at pos0, value hi at poshi
 * (y of a label is its tick's + 4; x is the tick's). */
struct axis_read {
	double pos0, poshi, hi;
};

static struct axis_read axis_of(const char *group, bool vertical)
{
	struct axis_read a = {0};
	bool first = true;
	for (const char *p = strstr(group, "<text x=\""); p; p = strstr(p + 1, "<text x=\"")) {
		double x = g_ascii_strtod(p + 9, NULL);
		double y = g_ascii_strtod(strstr(p, "y=\"") + 3, NULL);
		const char *label = strchr(p, '>') + 1;
		if (!g_ascii_isdigit(*label))
			continue; /* the axis's title */
		double pos = vertical ? y - 4 : x;
		if (first)
			a.pos0 = pos;
		first = false;
		a.poshi = pos;
		a.hi = g_ascii_strtod(label, NULL);
	}
	return a;
}

static double axis_pos(const struct axis_read *a, double v)
{
	return a->pos0 + v / a->hi * (a->poshi - a->pos0);
}

/* --- the run's own account, from its event log --- */

struct sent {
	guint n_new, n_rtx, n_dropped;
	guint dropped_index;     /* of the dropped one among the new segments */
	guint64 dropped_lo;      /* its relative sequence number */
	guint64 final_ack;       /* the last ACK the client got, relative */
	double final_ack_t;
	guint acks_in, ack_events; /* ACK-carrying arrivals at the client, and "ack" lines */
	guint sack_blocks;       /* SACK blocks in the ACKs that arrived at the client */
};

static gboolean is(const struct scn_json *e, const char *key, const char *value)
{
	return g_strcmp0(scn_json_str(e, key), value) == 0;
}

static gboolean flag_true(const struct scn_json *e, const char *key)
{
	const struct scn_json *v = scn_json_get(e, key);
	return v && v->type == SCN_JSON_BOOL && strcmp(v->text, "true") == 0;
}

static void client_packet(struct sent *s, const struct scn_json *e, guint64 iss)
{
	guint64 len = scn_json_uint(e, "len");
	if (is(e, "dir", "out") && len > 0) {
		bool rtx = flag_true(e, "retransmission");
		s->n_rtx += rtx;
		if (!rtx && !is(e, "fate", "deliver")) {
			s->n_dropped++;
			s->dropped_index = s->n_new;
			s->dropped_lo = (guint32)(scn_json_uint(e, "seq") - iss);
		}
		s->n_new += !rtx;
	} else if (is(e, "dir", "in") && strchr(scn_json_str(e, "flags"), '.')) {
		s->final_ack = (guint32)(scn_json_uint(e, "ack") - iss);
		s->final_ack_t = (double)scn_json_ns(e, "t") / 1e9;
		s->acks_in++;
		const struct scn_json *sack = scn_json_get(e, "options.sack");
		s->sack_blocks += sack ? scn_json_len(sack) : 0;
	}
}

static void read_sent(const char *events_path, struct sent *s)
{
	GPtrArray *events = out_read_jsonl(events_path);
	guint64 iss = 0;
	memset(s, 0, sizeof *s);
	for (guint i = 0; i < events->len; i++) {
		const struct scn_json *e = g_ptr_array_index(events, i);
		if (is(e, "event", "ack") && is(e, "role", "client"))
			s->ack_events++;
		if (!is(e, "event", "packet") || !is(e, "at", "client") || !is(e, "kind", "tcp"))
			continue;
		if (is(e, "dir", "out") && is(e, "flags", "S"))
			iss = scn_json_uint(e, "seq");
		else
			client_packet(s, e, iss);
	}
	g_ptr_array_free(events, TRUE);
}

/* --- the small run --- */

struct small {
	struct config_file cfg;
	struct out_run run;
	char *svg;
	struct sent sent;
};

static void small_run(struct small *s)
{
	cfgfile_write(&s->cfg, one_drop_ini);
	const char *args[] = {"-q", "--seqgraph", "{tmp}/g.svg", "--events", "{tmp}/ev.jsonl", NULL};
	out_run(&s->run, s->cfg.path, args, TRUE);
	char *path = out_path(&s->run, "g.svg");
	s->svg = read_file(path);
	g_free(path);
	path = out_path(&s->run, "ev.jsonl");
	read_sent(path, &s->sent);
	g_free(path);
}

static void small_clear(struct small *s)
{
	g_free(s->svg);
	out_run_clear(&s->run);
	cfgfile_clear(&s->cfg);
}

/* One bar in the "sacked" group per SACK block the client's ACKs
 * brought (the drop of the 3rd segment leaves a hole that the later ones'
 * ACKs report), as many as the event log shows. */
static void test_sacked(void)
{
	struct small s;
	small_run(&s);
	g_assert_cmpuint(s.sent.sack_blocks, >, 0);
	char *g = group_of(s.svg, "sacked");
	guint n = 0;
	for (const char *p = strstr(g, "<line "); p; p = strstr(p + 1, "<line "))
		n++;
	g_assert_cmpuint(n, ==, s.sent.sack_blocks);
	g_assert_nonnull(strstr(s.svg, ">SACKed</text>"));
	g_free(g);
	small_clear(&s);
}

/* One I-beam per data segment sent, new ones black, retransmissions red,
 * as many as the event log shows; one cross per dropped segment. */
static void test_bars(void)
{
	struct small s;
	small_run(&s);
	/* 20000 bytes at once into the send buffer tcp_sndbuf_expand() grew
	 * at the handshake: 13 full segments and 1176 bytes */
	g_assert_cmpuint(s.sent.n_new, ==, 14);
	g_assert_cmpuint(s.sent.n_rtx, ==, 1);
	g_assert_cmpuint(s.sent.n_dropped, ==, 1);
	const char *groups[] = {"segments", "retransmissions", "drops"};
	const guint want[] = {s.sent.n_new, s.sent.n_rtx, s.sent.n_dropped};
	for (guint i = 0; i < G_N_ELEMENTS(groups); i++) {
		char *g = group_of(s.svg, groups[i]);
		GPtrArray *lines = polylines(g);
		g_assert_cmpuint(lines->len, ==, want[i]);
		g_ptr_array_free(lines, TRUE);
		g_free(g);
	}
	small_clear(&s);
}

/* The retransmission covers exactly the dropped segment's bytes, and the
 * cross sits on that segment's top, where it was sent. */
static void test_retransmission_at_drop(void)
{
	struct small s;
	small_run(&s);
	char *g_new = group_of(s.svg, "segments"), *g_rtx = group_of(s.svg, "retransmissions"),
	     *g_drop = group_of(s.svg, "drops");
	GPtrArray *news = polylines(g_new), *rtx = polylines(g_rtx), *drops = polylines(g_drop);
	guint k = s.sent.dropped_index;
	g_assert_cmpuint(s.sent.dropped_lo, ==, 1 + 2 * 1448); /* the 3rd segment */
	/* an I-beam: x-2,lo x+2,lo x,lo x,hi x-2,hi x+2,hi */
	g_assert_cmpfloat(pt(rtx, 0, 5), ==, pt(news, k, 5)); /* lo */
	g_assert_cmpfloat(pt(rtx, 0, 7), ==, pt(news, k, 7)); /* hi */
	g_assert_cmpfloat(pt(rtx, 0, 4), >, pt(news, k, 4));  /* sent later */
	g_assert_cmpfloat(pt(drops, 0, 4), ==, pt(news, k, 4)); /* the cross's middle */
	g_assert_cmpfloat(pt(drops, 0, 5), ==, pt(news, k, 7));
	/* and the lo of the dropped segment is where the seq axis puts 2897 bytes */
	char *axis = group_of(s.svg, "seq-axis");
	struct axis_read a = axis_of(axis, true);
	double unit = strstr(axis, "(kB)") ? 1e3 : strstr(axis, "(MB)") ? 1e6 : 1;
	g_assert_cmpfloat(fabs(pt(news, k, 5) - axis_pos(&a, (double)s.sent.dropped_lo / unit)), <, 0.11);
	g_free(axis);
	g_ptr_array_free(news, TRUE);
	g_ptr_array_free(rtx, TRUE);
	g_ptr_array_free(drops, TRUE);
	g_free(g_new);
	g_free(g_rtx);
	g_free(g_drop);
	small_clear(&s);
}

/* The ACK line ends at the last ACK the client got, when it got it. */
static void test_ack_line_end(void)
{
	struct small s;
	small_run(&s);
	g_assert_cmpuint(s.sent.final_ack, ==, 20002); /* the data and the FIN */
	char *line = group_of(s.svg, "ack-line"), *seq = group_of(s.svg, "seq-axis"),
	     *time = group_of(s.svg, "time-axis");
	GPtrArray *pts = polylines(line);
	g_assert_cmpuint(pts->len, ==, 1);
	GArray *p = g_ptr_array_index(pts, 0);
	double x = g_array_index(p, double, p->len - 2), y = g_array_index(p, double, p->len - 1);
	struct axis_read ay = axis_of(seq, true), ax = axis_of(time, false);
	g_assert_nonnull(strstr(seq, "(kB)"));
	g_assert_cmpfloat(fabs(y - axis_pos(&ay, (double)s.sent.final_ack / 1e3)), <, 0.11);
	g_assert_cmpfloat(fabs(x - axis_pos(&ax, s.sent.final_ack_t)), <=, 1.0); /* its pixel column */
	g_ptr_array_free(pts, TRUE);
	g_free(line);
	g_free(seq);
	g_free(time);
	small_clear(&s);
}

/* Every axis says what it counts and in which unit. */
static void test_axis_labels(void)
{
	struct small s;
	small_run(&s);
	const char *labels[] = {">time (s)<", ">relative sequence number (kB)<",
	                        ">cwnd, ssthresh (segments of 1448 bytes)<", ">SRTT, RTO (ms)<"};
	for (guint i = 0; i < G_N_ELEMENTS(labels); i++)
		g_assert_nonnull(strstr(s.svg, labels[i]));
	g_assert_nonnull(strstr(s.svg, "client -&gt; server data"));
	/* the panel is drawn: cwnd, srtt and rto have their lines */
	const char *series[] = {"cwnd", "srtt", "rto", "ssthresh"};
	for (guint i = 0; i < G_N_ELEMENTS(series); i++) {
		char *g = group_of(s.svg, series[i]);
		g_assert_nonnull(strstr(g, "<polyline"));
		g_free(g);
	}
	small_clear(&s);
}

/* The event log has one "ack" line per ACK the client's connection took
 * and was synchronized after (every ACK-carrying arrival here: the
 * SYN-ACK's too, which makes it ESTABLISHED). */
static void test_event_log_acks(void)
{
	struct small s;
	small_run(&s);
	g_assert_cmpuint(s.sent.ack_events, ==, s.sent.acks_in);
	char *path = out_path(&s.run, "ev.jsonl");
	char **lines = out_read_lines(path);
	guint seen = 0;
	for (guint i = 1; lines[i]; i++) {
		if (!strstr(lines[i], "\"event\": \"ack\", \"role\": \"client\""))
			continue;
		/* right after the arrival it answers */
		g_assert_nonnull(strstr(lines[i - 1], "\"at\": \"client\", \"dir\": \"in\""));
		g_assert_nonnull(strstr(lines[i], "\"cwnd\": "));
		g_assert_nonnull(strstr(lines[i], "\"in_flight\": "));
		seen++;
	}
	g_assert_cmpuint(seen, ==, s.sent.ack_events);
	g_strfreev(lines);
	g_free(path);
	small_clear(&s);
}

/* The first "ack" line of the client: the SYN-ACK taken, ESTABLISHED with
 * the initial window of RFC 6928 (10 segments), no ssthresh yet, the
 * first RTT sample as SRTT (RFC 6298 section 2.2: 2 x 10 ms) and Linux's
 * RTO from it (__tcp_set_rto(): srtt + max(4 rttvar, 200 ms) = 220 ms);
 * the ACK that makes the client retransmit the dropped segment (the 3rd
 * duplicate, RFC 5681 section 3.2) sets ssthresh below what is in flight. */
static void test_event_log_values(void)
{
	struct small s;
	small_run(&s);
	char *path = out_path(&s.run, "ev.jsonl");
	GPtrArray *events = out_read_jsonl(path);
	const struct scn_json *first = NULL, *before_rtx = NULL;
	for (guint i = 0; i < events->len; i++) {
		const struct scn_json *e = g_ptr_array_index(events, i);
		if (is(e, "event", "ack") && is(e, "role", "client")) {
			first = first ? first : e;
			before_rtx = e;
		}
		if (is(e, "event", "packet") && is(e, "at", "client") && is(e, "dir", "out") &&
		    flag_true(e, "retransmission"))
			break;
	}
	g_assert_nonnull(first);
	g_assert_cmpuint(scn_json_uint(first, "cwnd"), ==, 10 * 1448);
	g_assert_cmpint(scn_json_get(first, "ssthresh")->type, ==, SCN_JSON_NULL);
	g_assert_cmpuint(scn_json_uint(first, "mss"), ==, 1448);
	g_assert_cmpuint(scn_json_uint(first, "in_flight"), ==, 0);
	g_assert_cmpint(scn_json_ns(first, "srtt"), ==, 20000000);
	g_assert_cmpint(scn_json_ns(first, "rto"), ==, 220000000);
	g_assert_true(before_rtx != first);
	g_assert_cmpint(scn_json_get(before_rtx, "ssthresh")->type, ==, SCN_JSON_NUMBER);
	g_assert_cmpuint(scn_json_uint(before_rtx, "ssthresh"), <, scn_json_uint(before_rtx, "in_flight"));
	g_assert_cmpuint(scn_json_uint(before_rtx, "ack"), ==, scn_json_uint(first, "ack") + 2 * 1448);
	g_ptr_array_free(events, TRUE);
	g_free(path);
	small_clear(&s);
}

/* --seqgraph-sender server draws the other direction. */
static void test_sender_option(void)
{
	struct config_file c;
	struct out_run r;
	cfgfile_write(&c, one_drop_ini);
	const char *args[] = {"-q", "--seqgraph", "{tmp}/g.svg", "--seqgraph-sender", "server", NULL};
	out_run(&r, c.path, args, TRUE);
	char *path = out_path(&r, "g.svg");
	char *svg = read_file(path);
	g_assert_nonnull(strstr(svg, "server -&gt; client data"));
	g_assert_nonnull(strstr(svg, ">0 data segments, 0 retransmitted, 0 dropped<"));
	g_free(svg);
	g_free(path);
	out_run_clear(&r);
	cfgfile_clear(&c);
}

/* Two runs of one seed: the same bytes, SVG and PNG. */
static void test_deterministic(void)
{
	struct config_file c;
	cfgfile_write(&c, one_drop_ini);
	const char *names[] = {"g.svg", "g.png"};
	for (guint i = 0; i < (diagram_png_available() ? 2u : 1u); i++) {
		char *arg = g_strdup_printf("{tmp}/%s", names[i]);
		const char *args[] = {"-q", "--seqgraph", arg, NULL};
		struct out_run a, b;
		out_run(&a, c.path, args, TRUE);
		out_run(&b, c.path, args, TRUE);
		char *pa = out_path(&a, names[i]), *pb = out_path(&b, names[i]);
		gchar *ta, *tb;
		gsize la, lb;
		g_assert_true(g_file_get_contents(pa, &ta, &la, NULL));
		g_assert_true(g_file_get_contents(pb, &tb, &lb, NULL));
		g_assert_cmpmem(ta, la, tb, lb);
		g_free(ta);
		g_free(tb);
		g_free(pa);
		g_free(pb);
		out_run_clear(&a);
		out_run_clear(&b);
		g_free(arg);
	}
	cfgfile_clear(&c);
}

/* The PNG is a PNG of the stated size, with something drawn on it. */
static void test_png(void)
{
#ifdef TCPSIM_HAVE_CAIRO
	struct config_file c;
	struct out_run r;
	cfgfile_write(&c, one_drop_ini);
	const char *args[] = {"-q", "--seqgraph", "{tmp}/g.png", NULL};
	out_run(&r, c.path, args, TRUE);
	char *path = out_path(&r, "g.png");
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);
	g_assert_cmpint(cairo_surface_status(s), ==, CAIRO_STATUS_SUCCESS);
	g_assert_cmpint(cairo_image_surface_get_width(s), ==, SEQGRAPH_WIDTH);
	g_assert_cmpint(cairo_image_surface_get_height(s), ==, SEQGRAPH_HEIGHT);
	cairo_surface_flush(s);
	const guchar *px = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	guint64 red = 0; /* the retransmission's colour, #d62728 */
	for (int y = 0; y < SEQGRAPH_HEIGHT; y++)
		for (int x = 0; x < SEQGRAPH_WIDTH; x++)
			red += (*(const guint32 *)(const void *)(px + (gsize)y * (gsize)stride + 4 * (gsize)x) &
			        0xffffff) == 0xd62728;
	g_assert_cmpuint(red, >, 0);
	cairo_surface_destroy(s);
	g_free(path);
	out_run_clear(&r);
	cfgfile_clear(&c);
#else
	g_test_skip("built without cairo");
#endif
}

/* 20,000 segments: drawn per pixel column, the file stays small. */
static void test_decimated(void)
{
	struct config_file c;
	struct out_run r;
	cfgfile_write(&c, bulk_ini);
	const char *args[] = {"-q", "--seqgraph", "{tmp}/g.svg", NULL};
	out_run(&r, c.path, args, TRUE);
	char *path = out_path(&r, "g.svg");
	char *svg = read_file(path);
	g_assert_cmpuint(strlen(svg), <, 250000);
	g_assert_nonnull(strstr(svg, "drawn per pixel column"));
	char *g = group_of(svg, "segments");
	guint bars = 0;
	for (const char *p = strstr(g, "<line"); p; p = strstr(p + 1, "<line"))
		bars++;
	g_assert_cmpuint(bars, >, 100);
	g_assert_cmpuint(bars, <=, SEQGRAPH_WIDTH); /* at most one per column */
	g_free(g);
	g_free(svg);
	g_free(path);
	out_run_clear(&r);
	cfgfile_clear(&c);
}

/* A name that is neither .svg nor .png, or an unknown sender: exit status
 * 2 and a message naming the option, and no run. */
static void test_bad_options(void)
{
	struct config_file c;
	cfgfile_write(&c, one_drop_ini);
	const char *const bad[][5] = {
		{"--seqgraph", "{tmp}/g.pdf", NULL},
		{"--seqgraph", "{tmp}/g.svg", "--seqgraph-sender", "both", NULL},
		{"--seqgraph-sender", "client", NULL},
	};
	const char *named[] = {"--seqgraph {tmp}/g.pdf: the file name must end in .svg or .png",
	                       "--seqgraph-sender both: expected client or server",
	                       "--seqgraph-sender applies to --seqgraph"};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		struct out_run r;
		out_run(&r, c.path, bad[i], FALSE);
		g_assert_cmpint(r.run.status, ==, 2);
		char **parts = g_strsplit(named[i], "{tmp}", -1);
		char *want = g_strjoinv(r.tmp, parts);
		g_assert_nonnull(strstr(r.run.err, want));
		g_free(want);
		g_strfreev(parts);
		char *pdf = out_path(&r, "g.pdf");
		g_assert_false(g_file_test(pdf, G_FILE_TEST_EXISTS));
		g_free(pdf);
		out_run_clear(&r);
	}
	cfgfile_clear(&c);
}

/* The README's figure is what tcpsim draws now. */
static void test_readme_figure(void)
{
	const char *const args[] = {"-q", "--seqgraph", "{tmp}/g.svg", NULL};
	struct out_run r;
	char *committed = NULL;
	out_run(&r, "configs/two_way_bulk.ini", args, TRUE);
	char *path = out_path(&r, "g.svg");
	char *now = read_file(path);
	if (!g_file_get_contents(README_FIGURE, &committed, NULL, NULL) || strcmp(now, committed) != 0)
		g_test_message("%s is stale: regenerate it with `%s`", README_FIGURE, README_COMMAND);
	g_assert_nonnull(committed);
	g_assert_true(strcmp(now, committed) == 0);
	g_free(now);
	g_free(committed);
	g_free(path);
	out_run_clear(&r);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/seqgraph/svg/bars", test_bars);
	g_test_add_func("/seqgraph/svg/sacked", test_sacked);
	g_test_add_func("/seqgraph/svg/retransmission-at-drop", test_retransmission_at_drop);
	g_test_add_func("/seqgraph/svg/ack-line-end", test_ack_line_end);
	g_test_add_func("/seqgraph/svg/axis-labels", test_axis_labels);
	g_test_add_func("/seqgraph/svg/sender-option", test_sender_option);
	g_test_add_func("/seqgraph/svg/decimated", test_decimated);
	g_test_add_func("/seqgraph/png/size", test_png);
	g_test_add_func("/seqgraph/deterministic", test_deterministic);
	g_test_add_func("/seqgraph/cli/bad-options", test_bad_options);
	g_test_add_func("/seqgraph/events/ack-lines", test_event_log_acks);
	g_test_add_func("/seqgraph/events/ack-values", test_event_log_values);
	g_test_add_func("/seqgraph/readme-figure", test_readme_figure);
	return g_test_run();
}
