/*
 * The report's sequence diagram as inline SVG: the two timelines, client
 * left and server right, time going down; the endpoints' states as bands
 * of colour (with their names) outside the timelines; one arrow per packet
 * (class "seg", data-seg its number), red and dashed for a
 * retransmission, ending in a cross part of the way for one the network
 * dropped; a dot on the timeline for each call of the programs.
 *
 * Time runs down one row per event, rows spaced by the time between them
 * on a logarithmic scale (as the --diagram SVG, sim/out/diagram/diagram.h),
 * so that a 60 s TIME_WAIT does not squash the handshake.
 */
#include <math.h>
#include <glib.h>
#include "sim/out/report/report_int.h"

#define X_LEFT 230.0
#define X_RIGHT 590.0
#define WIDTH 820.0
#define TOP 70.0
#define BAND_W 64.0

/* One row per event: its time and rank. */
struct row {
	sim_time t;
	uint64_t order;
	double y;
};

static gint row_cmp(gconstpointer a, gconstpointer b)
{
	const struct row *x = a, *y = b;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Pixels between two rows time gap apart: 16 at the same instant, 24 for
 * 1 ms, 100 for 1 s, about 150 for a minute. */
static double gap_px(sim_time gap)
{
	double ms = (double)gap / (double)SIM_MS;
	if (ms <= 0)
		return 16.0;
	if (ms < 1.0)
		return 16.0 + 8.0 * ms;
	return 24.0 + 25.3 * log10(ms);
}

static void add_row(GArray *rows, sim_time t, uint64_t order)
{
	struct row r = {t, order, 0};
	g_array_append_val(rows, r);
}

static GArray *layout_rows(const struct rpt_run *r)
{
	GArray *rows = g_array_new(FALSE, FALSE, sizeof(struct row));
	for (guint i = 0; i < r->segs->len; i++) {
		const struct rpt_seg *g = g_ptr_array_index(r->segs, i);
		add_row(rows, g->sent, g->order);
		if (g->has_arrival && g->from != NET_ROLES)
			add_row(rows, g->arrived, g->arr_order);
	}
	for (guint i = 0; i < r->states->len; i++) {
		const struct rpt_state *s = &g_array_index(r->states, struct rpt_state, i);
		add_row(rows, s->t, s->order);
	}
	for (guint i = 0; i < r->calls->len; i++) {
		const struct rpt_call *c = &g_array_index(r->calls, struct rpt_call, i);
		add_row(rows, c->t, c->order);
	}
	g_array_sort(rows, row_cmp);
	double y = TOP;
	for (guint i = 0; i < rows->len; i++) {
		struct row *w = &g_array_index(rows, struct row, i);
		if (i > 0)
			y += gap_px(w->t - g_array_index(rows, struct row, i - 1).t);
		w->y = y;
	}
	return rows;
}

/* The y of the event of rank order (rows are sorted by rank). */
static double y_of(const GArray *rows, uint64_t order)
{
	guint lo = 0, hi = rows->len;
	while (lo < hi) {
		guint mid = (lo + hi) / 2;
		if (g_array_index(rows, struct row, mid).order < order)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < rows->len ? g_array_index(rows, struct row, lo).y : TOP;
}

static double x_of(enum net_role r)
{
	return r == NET_CLIENT ? X_LEFT : r == NET_SERVER ? X_RIGHT : (X_LEFT + X_RIGHT) / 2;
}

/* A state's CSS class: "st-established". */
static void state_class(GString *out, enum tcp_state s)
{
	g_string_append(out, "st-");
	for (const char *p = tcp_state_name(s); *p; p++)
		g_string_append_c(out, *p == '_' ? '-' : g_ascii_tolower(*p));
}

static void draw_band(GString *out, enum net_role role, enum tcp_state st, double y0, double y1)
{
	double x = role == NET_CLIENT ? X_LEFT - 8 - BAND_W : X_RIGHT + 8;
	g_string_append(out, "<g class=\"band ");
	state_class(out, st);
	g_string_append_printf(out, "\"><title>%s: %s</title>", role == NET_CLIENT ? "client" : "server",
	                       tcp_state_name(st));
	g_string_append_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", x, y0,
	                       BAND_W, y1 - y0);
	if (y1 - y0 >= 13)
		g_string_append_printf(out, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", x + BAND_W / 2, y0 + 11,
		                       tcp_state_name(st));
	g_string_append(out, "</g>\n");
}

/* Each endpoint's states from one change to the next (the last to the end). */
static void draw_states(GString *out, const struct rpt_run *r, const GArray *rows, double bottom)
{
	for (int role = 0; role < NET_ROLES; role++) {
		const struct rpt_state *prev = NULL;
		for (guint i = 0; i < r->states->len; i++) {
			const struct rpt_state *s = &g_array_index(r->states, struct rpt_state, i);
			if (s->role != (enum net_role)role)
				continue;
			if (prev && prev->to != TCP_CLOSED)
				draw_band(out, s->role, prev->to, y_of(rows, prev->order), y_of(rows, s->order));
			prev = s;
		}
		if (prev && prev->to != TCP_CLOSED)
			draw_band(out, prev->role, prev->to, y_of(rows, prev->order), bottom);
	}
}

static void draw_seg(GString *out, const struct rpt_seg *g, const GArray *rows)
{
	double x1 = x_of(g->from), y1 = y_of(rows, g->order);
	double x2 = x_of(g->to);
	double y2 = g->has_arrival && g->from != NET_ROLES ? y_of(rows, g->arr_order) : y1 + 24;
	g_string_append_printf(out, "<g class=\"seg%s%s%s\" id=\"seg-%u\" data-seg=\"%u\">",
	                       g->rtx ? " rtx" : "", g->lost ? " lost" : "",
	                       g->discarded ? " discarded" : "", g->n, g->n);
	g_string_append_printf(out, "<title>#%u ", g->n);
	rpt_escape(out, g->label);
	g_string_append(out, ": ");
	rpt_escape(out, g->why);
	g_string_append(out, "</title>");
	if (g->lost || !g->has_arrival) {
		double xm = x1 + (x2 - x1) * 0.6, ym = y1 + (y2 - y1) * 0.6;
		if (!g->has_arrival)
			ym = y1 + 20;
		g_string_append_printf(out, "<line class=\"hit\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
		                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x1, y1, xm, ym,
		                       x1, y1, xm, ym);
		g_string_append_printf(out, "<path class=\"cross\" d=\"M%.1f %.1fl10 10m0 -10l-10 10\"/>",
		                       xm - 5, ym - 5);
		x2 = xm;
		y2 = ym;
	} else {
		g_string_append_printf(out, "<line class=\"hit\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
		                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		                       "marker-end=\"url(#head)\"/>", x1, y1, x2, y2, x1, y1, x2, y2);
	}
	g_string_append_printf(out, "<text x=\"%.1f\" y=\"%.1f\">", (x1 + x2) / 2, (y1 + y2) / 2 - 4);
	rpt_escape(out, g->label);
	g_string_append(out, "</text></g>\n");
}

static void draw_call(GString *out, const struct rpt_call *c, const GArray *rows)
{
	double x = x_of(c->role), y = y_of(rows, c->order);
	g_string_append_printf(out, "<g class=\"call\"><title>");
	rpt_escape(out, c->text);
	g_string_append_printf(out, "</title><circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>"
	                       "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", x, y,
	                       c->role == NET_CLIENT ? x - BAND_W - 14 : x + BAND_W + 14, y + 4,
	                       c->role == NET_CLIENT ? "end" : "start");
	rpt_escape(out, c->name);
	g_string_append(out, "()</text></g>\n");
}

/* The time of each new instant, on the left. */
static void draw_times(GString *out, const GArray *rows)
{
	for (guint i = 0; i < rows->len; i++) {
		const struct row *w = &g_array_index(rows, struct row, i);
		if (i > 0 && g_array_index(rows, struct row, i - 1).t == w->t)
			continue;
		g_string_append_printf(out, "<text class=\"time\" x=\"4\" y=\"%.1f\">", w->y + 4);
		rpt_time(out, w->t);
		g_string_append(out, "</text>\n");
	}
}

void report_svg(GString *out, const struct rpt_run *r)
{
	GArray *rows = layout_rows(r);
	double bottom = (rows->len ? g_array_index(rows, struct row, rows->len - 1).y : TOP) + 40;
	g_string_append_printf(out, "<svg id=\"ladder\" "
	                       "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"group\" "
	                       "aria-labelledby=\"ladder-title\" aria-describedby=\"ladder-desc\">\n",
	                       WIDTH, bottom, WIDTH, bottom);
	g_string_append(out, "<title id=\"ladder-title\">Sequence diagram of the run</title>\n"
	                "<desc id=\"ladder-desc\">Client on the left, server on the right, time going "
	                "down; every packet is an arrow and is listed in the table of packets below."
	                "</desc>\n<defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
	                "markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\">"
	                "<path d=\"M0 0L10 5L0 10z\"/></marker></defs>\n");
	for (int role = 0; role < NET_ROLES; role++) {
		double x = x_of((enum net_role)role);
		g_string_append_printf(out, "<text class=\"who\" x=\"%.1f\" y=\"24\">%s</text>"
		                       "<text class=\"addr\" x=\"%.1f\" y=\"42\">", x,
		                       role == NET_CLIENT ? "client" : "server", x);
		rpt_escape(out, r->endpoint[role]);
		g_string_append_printf(out, "</text><line class=\"life\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		                       "y2=\"%.1f\"/>\n", x, TOP - 12, x, bottom);
	}
	draw_states(out, r, rows, bottom);
	draw_times(out, rows);
	for (guint i = 0; i < r->calls->len; i++)
		draw_call(out, &g_array_index(r->calls, struct rpt_call, i), rows);
	for (guint i = 0; i < r->segs->len; i++)
		draw_seg(out, g_ptr_array_index(r->segs, i), rows);
	g_string_append(out, "</svg>\n");
	g_array_free(rows, TRUE);
}
