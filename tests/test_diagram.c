/*
 * Tests of the sequence diagram (--diagram): the SVG of every shipped
 * config parses as XML (GMarkupParser) and has one arrow per segment sent,
 * one more per duplicate and per ICMP error, and one cross per drop, as the
 * run's --json and event log count them; the figures a reader looks for
 * are there (timers, the compressed TIME_WAIT); no text overlaps another
 * and no arrow crosses a label; a longer wait (a timer's bracket, or the
 * gap between two instants) is never drawn shorter than a shorter one, in
 * every shipped config's diagram; the same seed draws the
 * same file; the PNG, when tcpsim is built with cairo, has the SVG's size
 * and is not blank; and the README's figure is the current one.
 */
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "sim/out/diagram/diagram.h"
#include "sim/out/diagram/diagram_draw.h"
#include "tests/output_util.h"
#ifdef TCPSIM_HAVE_CAIRO
#include <cairo.h>
#endif

#define README_FIGURE "plots/lossy_close.svg"
#define README_COMMAND "./tcpsim configs/lossy_close.ini -q --diagram " README_FIGURE

/* --- what an SVG holds --- */

/* A timer's bracket: its label and its drawn height. */
struct timer {
	char *cls, *label;
	double height;
};

struct svg {
	double width, height;
	guint arrows, crosses, rtx_arrows, timers;
	guint rx_crosses;    /* class "cross receiver": discarded on arrival */
	guint fault_arrows;  /* class "arrow lost fault ..." */
	guint run_arrows;    /* class "arrow run ...": in a summarised run, no label */
	GString *texts;      /* every <text>, one per line */
	GArray *open;        /* per open <g>: 1 for an arrow, 2 for an arrow of a run, else 0 */
	guint lines, texts_in_group; /* inside the current arrow group */
	gboolean in_text;
	struct dg_item item; /* the <text> being read */
	GString *item_text;
	GArray *boxes;       /* struct text_box, every <text> */
	GArray *timer_list;  /* struct timer */
	gboolean in_timer;   /* inside a timer group, its line not yet read */
	GArray *arrow_list;  /* struct arrow_line */
	GArray *stamps;      /* struct stamp, top down */
	gboolean in_times;   /* inside the group of time stamps */
	GArray *rows;        /* double: the y of each row an event is drawn on */
	gboolean in_state, in_call, delivered; /* the current group's kind */
};

struct text_box {
	double x[4], y[4];
	char *text;
};

/* An arrow's line and the index of its label in boxes (-1: none). */
struct arrow_line {
	double x[2], y[2];
	gint label;
};

/* A time stamp on the left: the instant and its row. */
struct stamp {
	double t, y;
};

static const char *attr(const char **names, const char **values, const char *name)
{
	for (guint i = 0; names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return values[i];
	return NULL;
}

/* The first word of a class attribute. */
static gboolean class_is(const char *cls, const char *word)
{
	size_t n = strlen(word);

	return cls && strncmp(cls, word, n) == 0 && (cls[n] == '\0' || cls[n] == ' ');
}

/* A <text>'s position, size, weight, anchor and rotation. */
static void text_item(struct dg_item *it, const char **names, const char **values)
{
	const char *anchor = attr(names, values, "text-anchor");
	const char *weight = attr(names, values, "font-weight");
	const char *transform = attr(names, values, "transform");

	memset(it, 0, sizeof *it);
	it->kind = DG_TEXT;
	it->x[0] = g_ascii_strtod(attr(names, values, "x"), NULL);
	it->y[0] = g_ascii_strtod(attr(names, values, "y"), NULL);
	it->size = g_ascii_strtod(attr(names, values, "font-size"), NULL);
	it->bold = weight && strcmp(weight, "bold") == 0;
	it->anchor = !anchor ? DG_ANCHOR_START : strcmp(anchor, "middle") == 0 ? DG_ANCHOR_MIDDLE
									      : DG_ANCHOR_END;
	if (transform) {
		g_assert_true(g_str_has_prefix(transform, "rotate("));
		it->angle = g_ascii_strtod(transform + 7, NULL);
	}
}

static void on_start(GMarkupParseContext *ctx, const char *element, const char **names,
		     const char **values, gpointer data, GError **error)
{
	struct svg *s = data;

	(void)ctx;
	(void)error;
	if (strcmp(element, "svg") == 0) {
		s->width = g_ascii_strtod(attr(names, values, "width"), NULL);
		s->height = g_ascii_strtod(attr(names, values, "height"), NULL);
	} else if (strcmp(element, "g") == 0) {
		const char *cls = attr(names, values, "class");
		guint8 arrow = class_is(cls, "arrow");

		s->arrows += arrow;
		s->crosses += class_is(cls, "cross");
		s->rx_crosses += cls && strcmp(cls, "cross receiver") == 0;
		s->fault_arrows += cls && g_str_has_prefix(cls, "arrow lost fault");
		s->timers += class_is(cls, "timer");
		s->rtx_arrows += arrow && g_str_has_suffix(cls, " rtx");
		if (arrow && g_str_has_prefix(cls, "arrow run")) {
			s->run_arrows++;
			arrow = 2;
		}
		g_array_append_val(s->open, arrow);
		if (arrow) {
			struct arrow_line a = {.label = -1};
			g_array_append_val(s->arrow_list, a);
			s->lines = s->texts_in_group = 0;
		}
		s->in_times = g_strcmp0(cls, "times") == 0;
		s->in_state = g_strcmp0(cls, "state") == 0;
		if (s->in_state)
			s->lines = 0;
		s->in_call = g_strcmp0(cls, "call") == 0;
		/* an arrow that ends at its receiver's row */
		s->delivered = arrow && !strstr(cls, "lost") && !strstr(cls, "rxdrop") &&
			       !strstr(cls, "cut") && !strstr(cls, "vanished");
		if (class_is(cls, "timer")) {
			struct timer t = {g_strdup(cls), NULL, 0};
			g_array_append_val(s->timer_list, t);
			s->in_timer = TRUE;
		}
	} else if (strcmp(element, "line") == 0) {
		s->lines++;
		if (s->open->len > 0 && g_array_index(s->open, guint8, s->open->len - 1) && s->lines == 1) {
			struct arrow_line *a = &g_array_index(s->arrow_list, struct arrow_line,
							      s->arrow_list->len - 1);
			a->x[0] = g_ascii_strtod(attr(names, values, "x1"), NULL);
			a->y[0] = g_ascii_strtod(attr(names, values, "y1"), NULL);
			a->x[1] = g_ascii_strtod(attr(names, values, "x2"), NULL);
			a->y[1] = g_ascii_strtod(attr(names, values, "y2"), NULL);
			g_array_append_val(s->rows, a->y[0]);
			if (s->delivered)
				g_array_append_val(s->rows, a->y[1]);
		}
		if (s->in_state && s->lines == 1) { /* a state's tick on its row */
			double y = g_ascii_strtod(attr(names, values, "y1"), NULL);
			g_array_append_val(s->rows, y);
		}
		if (s->in_timer) { /* a bracket's first line is its height */
			struct timer *t = &g_array_index(s->timer_list, struct timer, s->timer_list->len - 1);
			t->height = g_ascii_strtod(attr(names, values, "y2"), NULL) -
				    g_ascii_strtod(attr(names, values, "y1"), NULL);
			s->in_timer = FALSE;
		}
	} else if (strcmp(element, "text") == 0) {
		s->texts_in_group++;
		s->in_text = TRUE;
		text_item(&s->item, names, values);
		g_string_truncate(s->item_text, 0);
	}
}

static void on_end(GMarkupParseContext *ctx, const char *element, gpointer data, GError **error)
{
	struct svg *s = data;

	(void)ctx;
	(void)error;
	if (strcmp(element, "text") == 0) {
		g_string_append_c(s->texts, '\n');
		s->in_text = FALSE;
		struct text_box b = {.text = g_strdup(s->item_text->str)};
		s->item.text = b.text;
		dg_text_box(&s->item, b.x, b.y);
		g_array_append_val(s->boxes, b);
		if (s->open->len > 0 && g_array_index(s->open, guint8, s->open->len - 1))
			g_array_index(s->arrow_list, struct arrow_line, s->arrow_list->len - 1).label =
				(gint)s->boxes->len - 1;
		if (s->in_times) { /* written 4 px below its row, as calls are */
			struct stamp st = {g_ascii_strtod(s->item_text->str, NULL), s->item.y[0] - 4};
			g_array_append_val(s->stamps, st);
		}
		if (s->in_times || s->in_call) {
			double y = s->item.y[0] - 4;
			g_array_append_val(s->rows, y);
		}
		if (s->timer_list->len > 0) {
			struct timer *t = &g_array_index(s->timer_list, struct timer, s->timer_list->len - 1);
			if (t->label == NULL && s->open->len > 0 &&
			    g_array_index(s->open, guint8, s->open->len - 1) == 0)
				t->label = g_strdup(s->item_text->str);
		}
	} else if (strcmp(element, "g") == 0) {
		g_assert_cmpuint(s->open->len, >, 0);
		guint8 arrow = g_array_index(s->open, guint8, s->open->len - 1);
		if (arrow) {
			g_assert_cmpuint(s->lines, ==, 1); /* an arrow: its line and its label */
			g_assert_cmpuint(s->texts_in_group, ==, arrow == 2 ? 0 : 1); /* none in a run */
		}
		g_array_set_size(s->open, s->open->len - 1);
		s->in_times = s->in_state = s->in_call = FALSE;
	}
}

static void on_text(GMarkupParseContext *ctx, const char *text, gsize len, gpointer data,
		    GError **error)
{
	struct svg *s = data;

	(void)ctx;
	(void)error;
	if (s->in_text) {
		g_string_append_len(s->texts, text, (gssize)len);
		g_string_append_len(s->item_text, text, (gssize)len);
	}
}

static void svg_read(const char *path, struct svg *s)
{
	static const GMarkupParser parser = {on_start, on_end, on_text, NULL, NULL};
	GError *error = NULL;
	char *text = NULL;
	gsize len = 0;

	memset(s, 0, sizeof(*s));
	s->texts = g_string_new(NULL);
	s->open = g_array_new(FALSE, FALSE, 1);
	s->item_text = g_string_new(NULL);
	s->boxes = g_array_new(FALSE, FALSE, sizeof(struct text_box));
	s->timer_list = g_array_new(FALSE, FALSE, sizeof(struct timer));
	s->arrow_list = g_array_new(FALSE, FALSE, sizeof(struct arrow_line));
	s->stamps = g_array_new(FALSE, FALSE, sizeof(struct stamp));
	s->rows = g_array_new(FALSE, FALSE, sizeof(double));
	g_file_get_contents(path, &text, &len, &error);
	g_assert_no_error(error);
	g_assert_true(g_str_has_prefix(text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
	GMarkupParseContext *ctx = g_markup_parse_context_new(&parser, 0, s, NULL);
	g_markup_parse_context_parse(ctx, text, (gssize)len, &error);
	g_assert_no_error(error);
	g_markup_parse_context_end_parse(ctx, &error);
	g_assert_no_error(error);
	g_markup_parse_context_free(ctx);
	g_assert_cmpuint(s->open->len, ==, 0);
	g_assert_cmpfloat(s->width, >, 0);
	g_assert_cmpfloat(s->height, >, 0);
	g_free(text);
}

static void svg_clear(struct svg *s)
{
	g_string_free(s->texts, TRUE);
	g_array_unref(s->open);
	g_string_free(s->item_text, TRUE);
	for (guint i = 0; i < s->boxes->len; i++)
		g_free(g_array_index(s->boxes, struct text_box, i).text);
	g_array_unref(s->boxes);
	for (guint i = 0; i < s->timer_list->len; i++) {
		g_free(g_array_index(s->timer_list, struct timer, i).cls);
		g_free(g_array_index(s->timer_list, struct timer, i).label);
	}
	g_array_unref(s->timer_list);
	g_array_unref(s->arrow_list);
	g_array_unref(s->stamps);
	g_array_unref(s->rows);
}

/* No two texts' boxes (estimated as the layout estimates them) overlap. */
static void assert_texts_apart(const struct svg *s, const char *what)
{
	for (guint i = 0; i < s->boxes->len; i++)
		for (guint j = i + 1; j < s->boxes->len; j++) {
			const struct text_box *a = &g_array_index(s->boxes, struct text_box, i);
			const struct text_box *b = &g_array_index(s->boxes, struct text_box, j);
			if (dg_convex_overlap(a->x, a->y, 4, b->x, b->y, 4))
				g_error("%s: \"%s\" overlaps \"%s\"", what, a->text, b->text);
		}
}

/* The duration a timer's label gives, in seconds: the first number
 * followed by "s" or "ms" ("delayed ACK 42 ms", "2*MSL 61.22 s, restarted");
 * false if it gives none. */
static gboolean duration_in(const char *label, double *seconds)
{
	char **w = g_strsplit(label, " ", -1);
	gboolean found = FALSE;

	for (guint k = 0; w[k] && w[k + 1] && !found; k++) {
		char *end;
		double v = g_ascii_strtod(w[k], &end);
		if (end == w[k] || *end != '\0')
			continue;
		const char *unit = w[k + 1];
		if (strcmp(unit, "ms") == 0 || strcmp(unit, "ms,") == 0)
			*seconds = v / 1000, found = TRUE;
		else if (strcmp(unit, "s") == 0 || strcmp(unit, "s,") == 0)
			*seconds = v, found = TRUE;
	}
	g_strfreev(w);
	return found;
}

/* A bracket (RTO, TLP, delayed ACK, keepalive, 2*MSL, FIN_WAIT_2) of a
 * longer wait, as its label gives it, is never drawn shorter than one of a
 * shorter wait, whatever their kinds. */
static void assert_timers_ordered(const struct svg *s, const char *what)
{
	for (guint i = 0; i < s->timer_list->len; i++) {
		const struct timer *a = &g_array_index(s->timer_list, struct timer, i);
		double da, db;
		g_assert_nonnull(a->label);
		g_assert_true(duration_in(a->label, &da));
		for (guint j = 0; j < s->timer_list->len; j++) {
			const struct timer *b = &g_array_index(s->timer_list, struct timer, j);
			g_assert_true(duration_in(b->label, &db));
			if (db > da && b->height < a->height - 0.15) /* the SVG has one decimal */
				g_error("%s: \"%s\" drawn %.1f px, shorter than \"%s\" (%.1f px)", what,
					b->label, b->height, a->label, a->height);
		}
	}
}

/* The wait before each instant written on the left: from the last row
 * of the previous instant (every row down to the next stamp is at the
 * stamp's instant) to the instant's first row. */
static GArray *waits_of(const struct svg *s)
{
	GArray *waits = g_array_new(FALSE, FALSE, sizeof(struct stamp)); /* length, height */

	for (guint i = 1; i < s->stamps->len; i++) {
		const struct stamp *a = &g_array_index(s->stamps, struct stamp, i - 1);
		const struct stamp *b = &g_array_index(s->stamps, struct stamp, i);
		double last = a->y;
		for (guint k = 0; k < s->rows->len; k++) {
			double y = g_array_index(s->rows, double, k);
			if (y < b->y - 0.15 && y > last)
				last = y;
		}
		g_assert_cmpfloat(b->t, >, a->t);
		struct stamp w = {b->t - a->t, b->y - last};
		g_assert_cmpfloat(w.y, >, 0);
		g_array_append_val(waits, w);
	}
	return waits;
}

/* A longer wait between events is never drawn shorter than a shorter one.
 * The stamps have microseconds, so differences of a microsecond or two
 * are not compared. */
static void assert_waits_ordered(const struct svg *s, const char *what)
{
	GArray *w = waits_of(s);

	for (guint i = 0; i < w->len; i++)
		for (guint j = 0; j < w->len; j++) {
			const struct stamp *a = &g_array_index(w, struct stamp, i);
			const struct stamp *b = &g_array_index(w, struct stamp, j);
			if (b->t > a->t + 2.5e-6 && b->y < a->y - 0.15)
				g_error("%s: a wait of %.6f s drawn %.1f px, shorter than one of %.6f s (%.1f px)",
					what, b->t, b->y, a->t, a->y);
		}
	g_array_unref(w);
}

/* No arrow's label is crossed by another arrow. */
static void assert_labels_uncrossed(const struct svg *s, const char *what)
{
	for (guint i = 0; i < s->arrow_list->len; i++) {
		const struct arrow_line *a = &g_array_index(s->arrow_list, struct arrow_line, i);
		if (a->label < 0)
			continue;
		const struct text_box *t = &g_array_index(s->boxes, struct text_box, a->label);
		for (guint j = 0; j < s->arrow_list->len; j++) {
			const struct arrow_line *b = &g_array_index(s->arrow_list, struct arrow_line, j);
			if (j != i && dg_convex_overlap(t->x, t->y, 4, b->x, b->y, 2))
				g_error("%s: \"%s\" is crossed by the arrow from (%.1f, %.1f) to (%.1f, %.1f)",
					what, t->text, b->x[0], b->y[0], b->x[1], b->y[1]);
		}
	}
}

/* --- every config --- */

/* From the event log: ICMP errors that arrived; drops the network decided
 * as the packets left (not those lost with a crashed host); ARP requests
 * (an arrow each, crossed: no reply comes); segments never sent, held for
 * that reply (no arrow), and how many of them were retransmissions. */
struct counts {
	guint icmp, fate_drops, arp, unsent, unsent_rtx;
};

static void count_events(const char *path, struct counts *n)
{
	GPtrArray *events = out_read_jsonl(path);

	memset(n, 0, sizeof *n);
	for (guint i = 0; i < events->len; i++) {
		const struct scn_json *v = g_ptr_array_index(events, i);

		if (g_strcmp0(scn_json_str(v, "event"), "packet") != 0)
			continue;
		gboolean out = g_strcmp0(scn_json_str(v, "dir"), "out") == 0;
		gboolean unsent = g_strcmp0(scn_json_str(v, "fate"), "unresolved") == 0;
		n->icmp += g_strcmp0(scn_json_str(v, "kind"), "icmp_unreach") == 0;
		n->arp += out && g_strcmp0(scn_json_str(v, "kind"), "arp") == 0;
		n->fate_drops += out && !unsent && g_strcmp0(scn_json_str(v, "fate"), "deliver") != 0;
		n->unsent += unsent;
		n->unsent_rtx += unsent && strcmp(scn_json_get(v, "retransmission")->text, "true") == 0;
	}
	g_ptr_array_unref(events);
}

/* A whole diagram: an arrow per packet, a cross per loss, red per
 * retransmission, as the summary and the event log count them. */
static void assert_counts(const struct svg *s, const struct counts *n, const struct out_run *r)
{
	g_assert_cmpuint(s->arrows, ==, scn_json_uint(r->json, "network.sent") - n->unsent +
				 scn_json_uint(r->json, "network.duplicated") + n->icmp + n->arp);
	/* the receiver's discards are crosses too, beyond the network's drops */
	if (strcmp(scn_json_get(r->json, "truncated")->text, "false") == 0)
		g_assert_cmpuint(s->crosses - s->rx_crosses, ==,
				 scn_json_uint(r->json, "network.dropped") - n->unsent + n->arp);
	else
		g_assert_cmpuint(s->crosses - s->rx_crosses, ==, n->fate_drops + n->arp);
	guint64 rtx = 0;
	static const char *const kinds[] = {"syn", "data", "fin"};
	for (guint k = 0; k < 3; k++) {
		char *c = g_strdup_printf("endpoints.client.retransmissions.%s", kinds[k]);
		char *v = g_strdup_printf("endpoints.server.retransmissions.%s", kinds[k]);
		rtx += scn_json_uint(r->json, c) + scn_json_uint(r->json, v);
		g_free(c);
		g_free(v);
	}
	g_assert_cmpuint(s->rtx_arrows, ==, rtx - n->unsent_rtx); /* in red, each one sent */
}

static void test_config(gconstpointer data)
{
	const char *config = data;
	const char *const *extra = out_config_args(config);
	static const char *const mine[] = {"--json", "--events", "{tmp}/e.jsonl", "--diagram",
					   "{tmp}/d.svg", NULL};
	GPtrArray *args = g_ptr_array_new_with_free_func(g_free);
	struct out_run r;
	struct svg s;
	struct counts n;

	for (guint i = 0; extra[i]; i++)
		g_ptr_array_add(args, g_strdup(extra[i]));
	for (guint i = 0; mine[i]; i++)
		g_ptr_array_add(args, g_strdup(mine[i]));
	g_ptr_array_add(args, NULL);
	out_run(&r, config, (const char *const *)args->pdata, TRUE);
	char *svg = out_path(&r, "d.svg"), *events = out_path(&r, "e.jsonl");
	g_assert_cmpstr(scn_json_str(r.json, "files.diagram"), ==, svg);
	svg_read(svg, &s);
	count_events(events, &n);
	bool whole = strstr(s.texts->str, "The diagram stops") == NULL;
	if (whole)
		assert_counts(&s, &n, &r);
	else {
		/* only a bulk transfer outgrows the ladder (its picture is the
		 * time-sequence graph): thousands of packets, drawn in part */
		g_assert_cmpuint(scn_json_uint(r.json, "network.sent"), >, 1000);
		g_assert_cmpuint(s.arrows, <, scn_json_uint(r.json, "network.sent"));
	}
	assert_texts_apart(&s, config);
	assert_labels_uncrossed(&s, config);
	assert_timers_ordered(&s, config);
	assert_waits_ordered(&s, config);
	svg_clear(&s);
	g_free(svg);
	g_free(events);
	out_run_clear(&r);
	g_ptr_array_free(args, TRUE);
}

/* --- lossy_close, the README's example --- */

static void test_lossy_close(void)
{
	const char *const args[] = {"-q", "--diagram", "{tmp}/d.svg", NULL};
	struct out_run r;
	struct svg s;

	out_run(&r, "configs/lossy_close.ini", args, TRUE);
	char *path = out_path(&r, "d.svg");
	svg_read(path, &s);
	const char *t = s.texts->str;
	g_assert_nonnull(strstr(t, "configs/lossy_close.ini, seed 32\n"));
	g_assert_nonnull(strstr(t, "\nSYN seq=0\n"));           /* relative numbers */
	g_assert_nonnull(strstr(t, "\nSYN,ACK seq=0 ack=1\n"));
	g_assert_nonnull(strstr(t, "\nTIME_WAIT\n"));            /* the states */
	g_assert_nonnull(strstr(t, "\nLAST_ACK\n"));
	g_assert_nonnull(strstr(t, "(tail loss probe)"));         /* the FIN again */
	/* its timer: the server's PTO = min(2 SRTT + 200 ms, RTO) = RTO =
	 * 44.606 ms + rttvar's 200 ms floor in whole 4 ms jiffies = 248 ms
	 * (tests/test_pcapng.c, lossy-close-comments), drawn as "%.0f ms" */
	g_assert_nonnull(strstr(t, "\nTLP 248 ms\n"));
	/* and TIME_WAIT's: 60 s that the timer wheel fires up to 2.048 s late */
	g_assert_nonnull(strstr(t, "\n2*MSL 61.22 s, restarted\n"));
	g_assert_nonnull(strstr(t, "\n\xe2\x80\xa6 61.2 s \xe2\x80\xa6\n")); /* compressed */
	g_assert_cmpuint(s.crosses, ==, 2);
	g_assert_cmpuint(s.timers, ==, 2);
	g_assert_cmpfloat(s.height, <, 1500); /* 60 s did not stretch it */
	svg_clear(&s);
	g_free(path);
	out_run_clear(&r);
}

/* --- the figures the issue asked for --- */

/* A config's SVG, read. */
static void draw_config(const char *config, struct out_run *r, struct svg *s)
{
	const char *const args[] = {"-q", "--diagram", "{tmp}/d.svg", NULL};

	out_run(r, config, args, TRUE);
	char *path = out_path(r, "d.svg");
	svg_read(path, s);
	g_free(path);
}

/* "RTO 1.026 s", "TLP 248 ms", "RTO 65.54 s, gave up": the duration, s. */
static double label_seconds(const char *label)
{
	const char *p = strchr(label, ' ');
	g_assert_nonnull(p);
	char *end;
	double v = g_ascii_strtod(p + 1, &end);
	g_assert_true(end != p + 1);
	return g_str_has_prefix(end, " ms") ? v / 1000 : v;
}

/* connect_timeout's backoff: 1, 1, 1, 1, 1, 2, 4, ... 64 s.  Every wait
 * is drawn at least as tall as every shorter one, and the last, after
 * which connect() gives up, has its bracket and label too. */
static void test_backoff_scale(void)
{
	struct out_run r;
	struct svg s;
	guint n = 0;

	draw_config("configs/connect_timeout.ini", &r, &s);
	for (guint i = 0; i < s.timer_list->len; i++) {
		const struct timer *a = &g_array_index(s.timer_list, struct timer, i);
		if (strcmp(a->cls, "timer rto") != 0)
			continue;
		n++;
		g_assert_nonnull(a->label);
		for (guint j = 0; j < s.timer_list->len; j++) {
			const struct timer *b = &g_array_index(s.timer_list, struct timer, j);
			if (strcmp(b->cls, "timer rto") != 0 || label_seconds(b->label) <= label_seconds(a->label))
				continue;
			if (b->height < a->height - 0.15) /* the SVG's coordinates have one decimal */
				g_error("%s drawn %.1f px, shorter than %s (%.1f px)", b->label, b->height,
					a->label, a->height);
		}
	}
	g_assert_cmpuint(n, ==, 11); /* ten retransmissions, then the wait that gives up */
	g_assert_nonnull(strstr(s.texts->str, "\nRTO 65.54 s, gave up\n"));
	g_assert_nonnull(strstr(s.texts->str, "\n\xe2\x80\xa6 65.5 s \xe2\x80\xa6\n")); /* the break's length */
	svg_clear(&s);
	out_run_clear(&r);
}

/* The third client's SYNs reach a listener whose accept queue is full:
 * each is discarded there (a cross at the server), the first and six
 * retransmissions, until accept() makes room. */
static void test_accept_queue_drops(void)
{
	struct out_run r;
	struct svg s;

	draw_config("configs/backlog_full.ini", &r, &s);
	g_assert_cmpuint(s.rx_crosses, ==, 7);
	g_assert_nonnull(strstr(s.texts->str, "\n#3 SYN seq=0 (dropped by the receiver: accept queue full)\n"));
	g_assert_nonnull(strstr(s.texts->str,
				"\n#3 SYN seq=0 (retransmission) (dropped by the receiver: accept queue full)\n"));
	svg_clear(&s);
	out_run_clear(&r);
}

/* A [faults] drop is a lost arrow that names its fault. */
static void test_fault_drops(void)
{
	struct out_run r;
	struct svg s;

	draw_config("configs/synack_lost.ini", &r, &s);
	g_assert_cmpuint(s.fault_arrows, ==, 6); /* each ACK of the six SYN-ACKs */
	g_assert_cmpuint(s.crosses, ==, 6);
	g_assert_nonnull(strstr(s.texts->str, "\nACK seq=1 ack=1 (dropped: [faults] lost_acks)\n"));
	svg_clear(&s);
	out_run_clear(&r);
}

/* The server's ACK of the client's FIN waits for the delayed-ACK timer,
 * 40 to 44 ms (tests/test_ktimer.c, delack-and-time-wait). */
static void test_delack_bracket(void)
{
	static const char config[] =
		"[simulation]\nseed = 1\n\n[network]\ndelay = 10ms\n\n"
		"[client]\naddress = 10.0.0.1\nscript = connect; send \"hello\\n\"; recv; close\n\n"
		"[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; echo; recv; sleep 1s; close\n";
	char *dir = g_dir_make_tmp("test_diagram.XXXXXX", NULL);
	char *path = g_build_filename(dir, "delack.ini", NULL);
	struct out_run r;
	struct svg s;
	guint found = 0;

	g_assert_true(g_file_set_contents(path, config, -1, NULL));
	draw_config(path, &r, &s);
	for (guint i = 0; i < s.timer_list->len; i++) {
		const struct timer *t = &g_array_index(s.timer_list, struct timer, i);
		if (strcmp(t->cls, "timer delack") != 0)
			continue;
		found++;
		g_assert_true(g_str_has_prefix(t->label, "delayed ACK "));
		g_assert_cmpfloat(label_seconds(t->label + strlen("delayed ACK")), >=, 0.040);
		g_assert_cmpfloat(label_seconds(t->label + strlen("delayed ACK")), <=, 0.044);
	}
	g_assert_cmpuint(found, ==, 1);
	svg_clear(&s);
	out_run_clear(&r);
	g_unlink(path);
	g_rmdir(dir);
	g_free(path);
	g_free(dir);
}

/* half_open_keepalive: idle 60 s, then three probes 10 s apart, then the
 * RST that gives up; each wait a bracket. */
static void test_keepalive_brackets(void)
{
	struct out_run r;
	struct svg s;
	GPtrArray *labels = g_ptr_array_new();

	draw_config("configs/half_open_keepalive.ini", &r, &s);
	for (guint i = 0; i < s.timer_list->len; i++) {
		const struct timer *t = &g_array_index(s.timer_list, struct timer, i);
		if (strcmp(t->cls, "timer keepalive") == 0)
			g_ptr_array_add(labels, t->label);
	}
	g_assert_cmpuint(labels->len, ==, 4);
	/* the kernel's clock: the timers fire a few ms late */
	g_assert_cmpfloat(label_seconds(g_ptr_array_index(labels, 0)), >=, 60);
	g_assert_cmpfloat(label_seconds(g_ptr_array_index(labels, 0)), <, 60.5);
	for (guint i = 1; i < 4; i++) {
		g_assert_cmpfloat(label_seconds(g_ptr_array_index(labels, i)), >=, 10);
		g_assert_cmpfloat(label_seconds(g_ptr_array_index(labels, i)), <, 10.5);
	}
	g_assert_true(g_str_has_suffix(g_ptr_array_index(labels, 3), ", gave up"));
	g_ptr_array_unref(labels);
	svg_clear(&s);
	out_run_clear(&r);
}

/* half_close: the server's 20000 bytes and the client's ACKs of them are
 * one label each, and the client's reads of binary bytes show their size,
 * not escapes. */
static void test_runs_and_payloads(void)
{
	struct out_run r;
	struct svg s;

	draw_config("configs/half_close.ini", &r, &s);
	const char *t = s.texts->str;
	g_assert_nonnull(strstr(t, "\n14 segments, 1:20001, FIN\n")); /* 13 full, the tail */
	g_assert_nonnull(strstr(t, "\n14 ACKs, ack=1449 \xe2\x80\xa6 20002\n"));
	g_assert_cmpuint(s.run_arrows, ==, 26); /* all but the first of each run unlabelled */
	g_assert_null(strstr(t, "len=1448"));
	g_assert_nonnull(strstr(t, "recv(3, <1448 bytes>, 65536, 0) = 1448"));
	g_assert_nonnull(strstr(t, "recv(4, \"GET everything\\n\", 65536, 0) = 15")); /* text stays */
	for (const char *p = t; (p = strchr(p, '\\')) != NULL; p++)
		g_assert_false(g_ascii_isdigit(p[1]) || p[1] == 'x'); /* no \301, no \x1b */
	svg_clear(&s);
	out_run_clear(&r);
}

/* The configs in configs' folders that out_add_config_tests does not run
 * (explore's and the fuzzer's seeds) draw with the same guarantees. */
static void test_layout_of(gconstpointer data)
{
	const char *config = data;
	struct out_run r;
	struct svg s;

	draw_config(config, &r, &s);
	g_assert_null(strstr(s.texts->str, "The diagram stops"));
	assert_texts_apart(&s, config);
	assert_labels_uncrossed(&s, config);
	assert_timers_ordered(&s, config);
	assert_waits_ordered(&s, config);
	svg_clear(&s);
	out_run_clear(&r);
}

static gint name_order(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_layout_tests(const char *folder)
{
	GDir *dir = g_dir_open(folder, 0, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	const char *name;

	g_assert_nonnull(dir);
	while ((name = g_dir_read_name(dir)) != NULL)
		if (g_str_has_suffix(name, ".ini"))
			g_ptr_array_add(names, g_strdup(name));
	g_dir_close(dir);
	g_ptr_array_sort(names, name_order);
	for (guint i = 0; i < names->len; i++) {
		const char *n = g_ptr_array_index(names, i);
		char *path = g_strdup_printf("/diagram/layout/%s/%.*s", folder + strlen("configs/"),
					     (int)(strlen(n) - 4), n);
		g_test_add_data_func_full(path, g_build_filename(folder, n, NULL), test_layout_of, g_free);
		g_free(path);
	}
	g_ptr_array_unref(names);
}

/* The same seed draws the same bytes. */
static void test_deterministic(void)
{
	const char *const args[] = {"-q", "--diagram", "{tmp}/d.svg", NULL};
	struct out_run a, b;
	char *pa, *pb, *da, *db;

	out_run(&a, "configs/synack_lost.ini", args, TRUE);
	out_run(&b, "configs/synack_lost.ini", args, TRUE);
	pa = out_path(&a, "d.svg");
	pb = out_path(&b, "d.svg");
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

/* The figure in the README is what tcpsim draws now. */
static void test_readme_figure(void)
{
	const char *const args[] = {"-q", "--diagram", "{tmp}/d.svg", NULL};
	struct out_run r;
	char *now, *committed = NULL;

	out_run(&r, "configs/lossy_close.ini", args, TRUE);
	char *path = out_path(&r, "d.svg");
	g_assert_true(g_file_get_contents(path, &now, NULL, NULL));
	if (!g_file_get_contents(README_FIGURE, &committed, NULL, NULL) || strcmp(now, committed) != 0)
		g_test_message("%s is stale: regenerate it with `%s`", README_FIGURE, README_COMMAND);
	g_assert_nonnull(committed);
	g_assert_true(strcmp(now, committed) == 0);
	g_free(now);
	g_free(committed);
	g_free(path);
	out_run_clear(&r);
}

/* --- PNG --- */

/* Width and height from the IHDR chunk, after the signature (RFC 2083). */
static void png_size(const char *path, guint *w, guint *h)
{
	static const guchar sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	char *data = NULL;
	gsize len = 0;

	g_assert_true(g_file_get_contents(path, &data, &len, NULL));
	g_assert_cmpuint(len, >, 33);
	const guchar *p = (const guchar *)data;
	g_assert_true(memcmp(p, sig, 8) == 0);
	g_assert_true(memcmp(p + 12, "IHDR", 4) == 0);
	*w = (guint)p[16] << 24 | (guint)p[17] << 16 | (guint)p[18] << 8 | p[19];
	*h = (guint)p[20] << 24 | (guint)p[21] << 16 | (guint)p[22] << 8 | p[23];
	g_free(data);
}

#ifdef TCPSIM_HAVE_CAIRO
/* Distinct colours and the share of non-white pixels. */
static void png_ink(const char *path, guint *colours, double *ink)
{
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);
	GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
	guint64 dark = 0;

	g_assert_cmpint(cairo_surface_status(s), ==, CAIRO_STATUS_SUCCESS);
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	const guchar *px = cairo_image_surface_get_data(s);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			guint32 v = *(const guint32 *)(const void *)(px + (gsize)y * (gsize)stride + 4 * (gsize)x) & 0xffffff;
			g_hash_table_add(seen, GUINT_TO_POINTER(v + 1));
			dark += v != 0xffffff;
		}
	*colours = g_hash_table_size(seen);
	*ink = (double)dark / ((double)w * h);
	g_hash_table_destroy(seen);
	cairo_surface_destroy(s);
}
#endif

static void test_png(void)
{
	const char *const args[] = {"-q", "--diagram", "{tmp}/d.png", NULL};
	const char *const svg_args[] = {"-q", "--diagram", "{tmp}/d.svg", NULL};
	struct out_run r, rs;

	if (!diagram_png_available()) {
		out_run(&r, "configs/lossy_close.ini", args, FALSE);
		g_assert_cmpint(r.run.status, ==, 2); /* refused before running */
		g_assert_nonnull(strstr(r.run.err, "cairo"));
		g_assert_true(scn_absent_or_empty(r.dir));
		out_run_clear(&r);
		g_test_skip("built without cairo: PNG refused, as it should be");
		return;
	}
	out_run(&r, "configs/lossy_close.ini", args, TRUE);
	out_run(&rs, "configs/lossy_close.ini", svg_args, TRUE);
	char *png = out_path(&r, "d.png"), *svg = out_path(&rs, "d.svg");
	struct svg s;
	guint w, h;
	svg_read(svg, &s);
	png_size(png, &w, &h);
	g_assert_cmpuint(w, ==, (guint)s.width);
	g_assert_cmpuint(h, ==, (guint)s.height);
#ifdef TCPSIM_HAVE_CAIRO
	guint colours;
	double ink;
	png_ink(png, &colours, &ink);
	g_assert_cmpuint(colours, >, 8);  /* ink of several colours, antialiased */
	g_assert_cmpfloat(ink, >, 0.01);  /* not blank */
	g_assert_cmpfloat(ink, <, 0.5);   /* nor a filled rectangle */
#endif
	svg_clear(&s);
	g_free(png);
	g_free(svg);
	out_run_clear(&r);
	out_run_clear(&rs);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/diagram/lossy-close/figures", test_lossy_close);
	g_test_add_func("/diagram/backoff-scale", test_backoff_scale);
	g_test_add_func("/diagram/accept-queue-drops", test_accept_queue_drops);
	g_test_add_func("/diagram/fault-drops", test_fault_drops);
	g_test_add_func("/diagram/delack-bracket", test_delack_bracket);
	g_test_add_func("/diagram/keepalive-brackets", test_keepalive_brackets);
	g_test_add_func("/diagram/runs-and-payloads", test_runs_and_payloads);
	g_test_add_func("/diagram/deterministic", test_deterministic);
	g_test_add_func("/diagram/readme-figure", test_readme_figure);
	g_test_add_func("/diagram/png", test_png);
	out_add_config_tests("/diagram/config", test_config);
	add_layout_tests("configs/explore");
	add_layout_tests("configs/seeds");
	return g_test_run();
}
