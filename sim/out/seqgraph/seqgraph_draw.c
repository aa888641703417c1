/*
 * Drawing the time-sequence graph of one direction into a display list
 * (sim/out/diagram/diagram_draw.h): the graph above, the congestion panel
 * below, one time axis.  Every line series is drawn per pixel column from
 * the buckets (first, smallest, largest, last value: a step through the
 * column), so that its size depends on the picture's width, not on the
 * run; the segments are drawn one by one while there are at most
 * SEQGRAPH_EXACT_SEGMENTS, else as one bar per column.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "sim/out/seqgraph/seqgraph_int.h"

/* The frame, in pixels. */
#define X0 90.0                       /* left edge of both plots */
#define X1 (SEQGRAPH_WIDTH - 90.0)    /* right edge */
#define G_TOP 70.0                    /* the graph */
#define G_BOTTOM 560.0
#define P_TOP 610.0                   /* the panel */
#define P_BOTTOM 810.0
#define COLUMNS ((int)(X1 - X0))      /* one per pixel */

#define C_DATA "#000000"
#define C_RTX "#d62728"
#define C_DROP "#7b3294"
#define C_ACK "#2ca02c"
#define C_WIN "#bcbd22"
#define C_SACK "#17becf"
#define C_CWND "#1f77b4"
#define C_SSTHRESH "#ff7f0e"
#define C_SRTT "#8c564b"
#define C_RTO "#7f7f7f"
#define C_GRID "#e0e0e0"
#define C_AXIS "#333333"

/* An axis from 0: gnuplot's autoscale to a whole number of ticks of 1, 2
 * or 5 times a power of ten, about `want` of them. */
struct axis {
	double hi, step;
	double unit;                 /* values are shown divided by it */
};

static struct axis nice_axis(double max, int want)
{
	if (!(max > 0))
		max = 1;
	double raw = max / want, mag = pow(10, floor(log10(raw))), norm = raw / mag;
	double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
	return (struct axis){.hi = ceil(max / step - 1e-9) * step, .step = step, .unit = 1};
}

/* The map of one plot: time to x, value to y. */
struct frame {
	double t_hi;                 /* seconds at X1 */
	double v_hi;                 /* value at top */
	double top, bottom;
};

static double fx(const struct frame *f, double t)
{
	return X0 + t / f->t_hi * (X1 - X0);
}

static double fy(const struct frame *f, double v)
{
	double y = f->bottom - v / f->v_hi * (f->bottom - f->top);
	return y < f->top ? f->top : y; /* clamped to the top edge */
}

static struct dg_item *push(struct dg_list *l, enum dg_kind k)
{
	struct dg_item it = {.kind = k, .color = C_AXIS, .width = 1, .size = 12};
	g_array_append_val(l->items, it);
	return &g_array_index(l->items, struct dg_item, l->items->len - 1);
}

static void group(struct dg_list *l, const char *cls)
{
	push(l, DG_GROUP)->cls = cls;
}

static void end_group(struct dg_list *l)
{
	push(l, DG_GROUP_END);
}

static void line(struct dg_list *l, double x0, double y0, double x1, double y1, const char *color,
                 double width)
{
	struct dg_item *it = push(l, DG_LINE);
	it->x[0] = x0, it->y[0] = y0, it->x[1] = x1, it->y[1] = y1;
	it->color = color;
	it->width = width;
}

static void text(struct dg_list *l, double x, double y, enum dg_anchor a, double angle, double size,
                 const char *s)
{
	struct dg_item *it = push(l, DG_TEXT);
	it->x[0] = x, it->y[0] = y;
	it->anchor = a;
	it->angle = angle;
	it->size = size;
	it->text = g_strdup(s);
}

/* A polyline of the points in pts (x, y pairs), taken over by the list. */
static void polyline(struct dg_list *l, GArray *pts, const char *color, double width, bool dashed)
{
	if (pts->len < 4) {
		g_array_unref(pts);
		return;
	}
	struct dg_item *it = push(l, DG_POLYLINE);
	it->color = color;
	it->width = width;
	it->dashed = dashed;
	it->npts = pts->len / 2;
	it->pts = (double *)(void *)g_array_free(pts, FALSE);
}

static void add_point(GArray *pts, double x, double y)
{
	guint n = pts->len;
	if (n >= 2 && g_array_index(pts, double, n - 2) == x && g_array_index(pts, double, n - 1) == y)
		return; /* the same point again */
	if (n >= 4 && g_array_index(pts, double, n - 1) == y && g_array_index(pts, double, n - 3) == y) {
		g_array_index(pts, double, n - 2) = x; /* a level line goes on */
		return;
	}
	g_array_append_val(pts, x);
	g_array_append_val(pts, y);
}

/* --- decimation per pixel column --- */

/* The column of bucket i of d on frame f (the time axis ends at or after
 * the last time recorded, so the last bucket's middle may only just pass
 * the right edge). */
static int column_of(const struct sg_dir *d, size_t i, const struct frame *f)
{
	double t = ((double)i + 0.5) * (double)d->width / SIM_SEC;
	int c = (int)floor((fx(f, t) - X0));
	return c < COLUMNS ? (c < 0 ? 0 : c) : COLUMNS - 1;
}

/* Series s of d folded into one span per pixel column (COLUMNS of them). */
static struct sg_span *columns(const struct sg_dir *d, enum sg_series s, const struct frame *f)
{
	struct sg_span *col = g_new0(struct sg_span, COLUMNS);
	for (size_t i = 0; i < SEQGRAPH_BUCKETS; i++) {
		const struct sg_span *b = &d->b[i].s[s];
		if (!b->has)
			continue;
		int c = column_of(d, i, f);
		if (!col[c].has)
			col[c] = *b;
		col[c].min = b->min < col[c].min ? b->min : col[c].min;
		col[c].max = b->max > col[c].max ? b->max : col[c].max;
		col[c].last = b->last;
	}
	return col;
}

static double column_x(int c)
{
	return X0 + c + 0.5;
}

/* A step line through series s: in each column from its first value
 * through its extremes to its last, level from one column to the next. */
static void step_series(struct dg_list *l, const struct sg_dir *d, enum sg_series s,
                        const struct frame *f, const char *cls, const char *color, bool dashed)
{
	struct sg_span *col = columns(d, s, f);
	GArray *pts = g_array_new(FALSE, FALSE, sizeof(double));
	bool prev = false;
	double prev_last = 0;
	for (int c = 0; c < COLUMNS; c++) {
		if (!col[c].has)
			continue;
		double x = column_x(c);
		if (prev)
			add_point(pts, x, fy(f, prev_last));
		add_point(pts, x, fy(f, col[c].first));
		add_point(pts, x, fy(f, col[c].first <= col[c].last ? col[c].min : col[c].max));
		add_point(pts, x, fy(f, col[c].first <= col[c].last ? col[c].max : col[c].min));
		add_point(pts, x, fy(f, col[c].last));
		prev = true;
		prev_last = col[c].last;
	}
	g_free(col);
	group(l, cls);
	polyline(l, pts, color, 1.5, dashed);
	end_group(l);
}

/* --- the segments --- */

/* tcptrace's I-beam: seq to seq + len, a tick at each end. */
static void ibeam(struct dg_list *l, double x, double ylo, double yhi, const char *color)
{
	GArray *pts = g_array_new(FALSE, FALSE, sizeof(double));
	double p[] = {x - 2, ylo, x + 2, ylo, x, ylo, x, yhi, x - 2, yhi, x + 2, yhi};
	g_array_append_vals(pts, p, G_N_ELEMENTS(p));
	polyline(l, pts, color, 1, false);
}

static void cross(struct dg_list *l, double x, double y)
{
	GArray *pts = g_array_new(FALSE, FALSE, sizeof(double));
	double p[] = {x - 4, y - 4, x + 4, y + 4, x, y, x - 4, y + 4, x + 4, y - 4};
	g_array_append_vals(pts, p, G_N_ELEMENTS(p));
	polyline(l, pts, C_DROP, 1.5, false);
}

static void exact_segments(struct dg_list *l, const struct sg_dir *d, const struct frame *f,
                           bool rtx, const char *cls, const char *color)
{
	group(l, cls);
	for (guint i = 0; i < d->segs->len; i++) {
		const struct sg_seg *s = &g_array_index(d->segs, struct sg_seg, i);
		if (s->rtx == rtx)
			ibeam(l, fx(f, sim_time_to_sec(s->t)), fy(f, s->lo), fy(f, s->hi), color);
	}
	end_group(l);
}

static void exact_drops(struct dg_list *l, const struct sg_dir *d, const struct frame *f)
{
	group(l, "drops");
	for (guint i = 0; i < d->segs->len; i++) {
		const struct sg_seg *s = &g_array_index(d->segs, struct sg_seg, i);
		if (s->dropped)
			cross(l, fx(f, sim_time_to_sec(s->t)), fy(f, s->hi));
	}
	end_group(l);
}

/* One bar per column from the lowest to the highest byte sent there. */
static void column_bars(struct dg_list *l, const struct sg_dir *d, enum sg_series s,
                        const struct frame *f, const char *cls, const char *color)
{
	struct sg_span *col = columns(d, s, f);
	group(l, cls);
	for (int c = 0; c < COLUMNS; c++) {
		if (!col[c].has)
			continue;
		double x = column_x(c);
		if (s == SG_DROP)
			cross(l, x, fy(f, col[c].max));
		else
			line(l, x, fy(f, col[c].min), x, fy(f, col[c].max) - 0.5, color, 1);
	}
	end_group(l);
	g_free(col);
}

/* The SACK blocks under the segments: each one a bar a pixel right of its
 * ACK's time, or per column past the counts drawn one by one. */
static void draw_sacks(struct dg_list *l, const struct sg_dir *d, const struct frame *f)
{
	if (d->n_segs > SEQGRAPH_EXACT_SEGMENTS || d->n_sacks > SEQGRAPH_EXACT_SACKS) {
		column_bars(l, d, SG_SACK, f, "sacked", C_SACK);
		return;
	}
	group(l, "sacked");
	for (guint i = 0; i < d->sacks->len; i++) {
		const struct sg_sack *b = &g_array_index(d->sacks, struct sg_sack, i);
		double x = fx(f, sim_time_to_sec(b->t)) + 1.5;
		line(l, x, fy(f, b->lo), x, fy(f, b->hi), C_SACK, 2);
	}
	end_group(l);
}

static void draw_segments(struct dg_list *l, const struct sg_dir *d, const struct frame *f)
{
	if (d->n_segs <= SEQGRAPH_EXACT_SEGMENTS) {
		exact_segments(l, d, f, false, "segments", C_DATA);
		exact_segments(l, d, f, true, "retransmissions", C_RTX);
		exact_drops(l, d, f);
	} else {
		column_bars(l, d, SG_NEW, f, "segments", C_DATA);
		column_bars(l, d, SG_RTX, f, "retransmissions", C_RTX);
		column_bars(l, d, SG_DROP, f, "drops", C_DROP);
	}
}

/* --- axes, legend, titles --- */

static void tick_label(char *buf, size_t n, double v)
{
	snprintf(buf, n, "%g", fabs(v) < 1e-12 ? 0.0 : v);
}

static void time_axis(struct dg_list *l, const struct axis *ax, const struct frame *g,
                      const struct frame *p)
{
	char buf[32];
	group(l, "time-axis");
	for (int i = 0; i * ax->step <= ax->hi * (1 + 1e-9); i++) {
		double t = i * ax->step, x = fx(g, t);
		line(l, x, g->top, x, g->bottom, C_GRID, 1);
		line(l, x, p->top, x, p->bottom, C_GRID, 1);
		line(l, x, g->bottom, x, g->bottom + 5, C_AXIS, 1);
		line(l, x, p->bottom, x, p->bottom + 5, C_AXIS, 1);
		tick_label(buf, sizeof buf, t);
		text(l, x, p->bottom + 19, DG_ANCHOR_MIDDLE, 0, 12, buf);
	}
	text(l, (X0 + X1) / 2, p->bottom + 44, DG_ANCHOR_MIDDLE, 0, 13, "time (s)");
	end_group(l);
}

/* A value axis at x (left or right of a plot), its gridlines, its label. */
static void value_axis(struct dg_list *l, const struct axis *ax, const struct frame *f, bool right,
                       const char *label)
{
	char buf[32];
	double x = right ? X1 : X0, dir = right ? 1 : -1;
	for (int i = 0; i * ax->step <= ax->hi * (1 + 1e-9); i++) {
		double v = i * ax->step, y = fy(f, v);
		if (!right)
			line(l, X0, y, X1, y, C_GRID, 1);
		line(l, x, y, x + 5 * dir, y, C_AXIS, 1);
		tick_label(buf, sizeof buf, v / ax->unit);
		text(l, x + 8 * dir, y + 4, right ? DG_ANCHOR_START : DG_ANCHOR_END, 0, 12, buf);
	}
	double lx = right ? X1 + 70 : X0 - 66;
	text(l, lx, (f->top + f->bottom) / 2, DG_ANCHOR_MIDDLE, right ? 90 : -90, 13, label);
}

static void frame_box(struct dg_list *l, const struct frame *f)
{
	line(l, X0, f->top, X1, f->top, C_AXIS, 1);
	line(l, X0, f->bottom, X1, f->bottom, C_AXIS, 1);
	line(l, X0, f->top, X0, f->bottom, C_AXIS, 1);
	line(l, X1, f->top, X1, f->bottom, C_AXIS, 1);
}

struct legend_entry {
	const char *color, *name;
};

static void legend(struct dg_list *l, double x, double y, const struct legend_entry *e, size_t n)
{
	group(l, "legend");
	for (size_t i = 0; i < n; i++) {
		line(l, x, y - 4, x + 18, y - 4, e[i].color, 3);
		text(l, x + 23, y, DG_ANCHOR_START, 0, 12, e[i].name);
		x += 23 + 6.8 * (double)strlen(e[i].name) + 22;
	}
	end_group(l);
}

/* The sequence axis in bytes, kB or MB by its height. */
static struct axis seq_axis(double max, const char **label)
{
	struct axis ax = nice_axis(max, 8);
	*label = "relative sequence number (bytes)";
	if (ax.hi >= 1e6) {
		ax.unit = 1e6;
		*label = "relative sequence number (MB)";
	} else if (ax.hi >= 1e4) {
		ax.unit = 1e3;
		*label = "relative sequence number (kB)";
	}
	return ax;
}

static double span_max(const struct sg_dir *d, enum sg_series s)
{
	double m = 0;
	for (size_t i = 0; i < SEQGRAPH_BUCKETS; i++)
		if (d->b[i].s[s].has && d->b[i].s[s].max > m)
			m = d->b[i].s[s].max;
	return m;
}

static void titles(struct dg_list *l, const struct seqgraph *g, enum net_role r)
{
	const struct sg_dir *d = &g->dir[r];
	char *t = g_strdup_printf("Time-sequence graph: %s -> %s data, %s, seed %" G_GUINT64_FORMAT,
	                          net_role_name(r), net_role_name(r == NET_CLIENT ? NET_SERVER : NET_CLIENT),
	                          g->title, g->seed);
	group(l, "title");
	text(l, X0, 24, DG_ANCHOR_START, 0, 15, t);
	g_free(t);
	t = g->flow == 0 ? g_strdup("no connection carried data")
	    : g_strdup_printf("%" G_GUINT64_FORMAT " data segments, %" G_GUINT64_FORMAT
	                      " retransmitted, %" G_GUINT64_FORMAT " dropped%s", d->n_segs, d->n_rtx,
	                      d->n_drops, d->n_segs > SEQGRAPH_EXACT_SEGMENTS
	                      ? "; drawn per pixel column (lowest to highest byte)" : "");
	text(l, X0, SEQGRAPH_HEIGHT - 12, DG_ANCHOR_START, 0, 12, t);
	g_free(t);
	end_group(l);
}

static void draw_graph(struct dg_list *l, const struct sg_dir *d, const struct frame *f,
                       const struct axis *ax, const char *label)
{
	const struct legend_entry keys[] = {
		{C_DATA, "data"}, {C_RTX, "retransmission"}, {C_DROP, "dropped (x)"},
		{C_ACK, "ACK"},
		{C_WIN, d->win_max > f->v_hi ? "receive window (ack + wnd; clamped at the top)"
		                             : "receive window (ack + wnd)"},
		{C_SACK, "SACKed"},
	};
	size_t n_keys = G_N_ELEMENTS(keys) - (d->n_sacks ? 0 : 1); /* SACK only if any */
	frame_box(l, f);
	group(l, "seq-axis");
	value_axis(l, ax, f, false, label);
	end_group(l);
	legend(l, X0, 50, keys, n_keys);
	step_series(l, d, SG_WIN, f, "window-line", C_WIN, false);
	draw_sacks(l, d, f);
	step_series(l, d, SG_ACK, f, "ack-line", C_ACK, false);
	draw_segments(l, d, f);
}

static void draw_panel(struct dg_list *l, const struct sg_dir *d, const struct frame *t_frame)
{
	static const struct legend_entry keys[] = {
		{C_CWND, "cwnd"}, {C_SSTHRESH, "ssthresh"}, {C_SRTT, "SRTT"}, {C_RTO, "RTO"},
	};
	double wmax = fmax(span_max(d, SG_CWND), span_max(d, SG_SSTHRESH));
	double rmax = fmax(span_max(d, SG_SRTT), span_max(d, SG_RTO));
	struct axis wa = nice_axis(wmax, 4), ra = nice_axis(rmax, 4);
	struct frame w = {t_frame->t_hi, wa.hi, P_TOP, P_BOTTOM};
	struct frame r = {t_frame->t_hi, ra.hi, P_TOP, P_BOTTOM};
	char *label = d->mss ? g_strdup_printf("cwnd, ssthresh (segments of %u bytes)", d->mss)
	                     : g_strdup("cwnd, ssthresh (segments)");
	frame_box(l, &w);
	group(l, "window-axis");
	value_axis(l, &wa, &w, false, label);
	end_group(l);
	group(l, "rtt-axis");
	value_axis(l, &ra, &r, true, "SRTT, RTO (ms)");
	end_group(l);
	g_free(label);
	legend(l, X0, P_TOP - 10, keys, G_N_ELEMENTS(keys));
	step_series(l, d, SG_RTO, &r, "rto", C_RTO, true);
	step_series(l, d, SG_SRTT, &r, "srtt", C_SRTT, false);
	step_series(l, d, SG_SSTHRESH, &w, "ssthresh", C_SSTHRESH, true);
	step_series(l, d, SG_CWND, &w, "cwnd", C_CWND, false);
}

void sg_draw(const struct seqgraph *g, enum net_role r, struct dg_list *l)
{
	const struct sg_dir *d = &g->dir[r];
	l->width = SEQGRAPH_WIDTH;
	l->height = SEQGRAPH_HEIGHT;
	struct axis ta = nice_axis(d->any ? sim_time_to_sec(d->t_last) : 1, 10);
	/* the window line counts up to twice the data's height (then clamped) */
	double top = fmax(d->data_max, d->ack_max);
	top = fmax(top, fmin(d->win_max, 2 * top));
	const char *label;
	struct axis sa = seq_axis(top, &label);
	struct frame gf = {ta.hi, sa.hi, G_TOP, G_BOTTOM};
	struct frame pf = {ta.hi, 1, P_TOP, P_BOTTOM};
	titles(l, g, r);
	time_axis(l, &ta, &gf, &pf);
	draw_graph(l, d, &gf, &sa, label);
	draw_panel(l, d, &pf);
}
