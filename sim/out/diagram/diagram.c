/*
 * The sequence diagram: recording the events of a run, then laying them
 * out as a display list (sim/out/diagram/diagram_draw.h).  See diagram.h for what is
 * drawn.
 *
 * Model.  Recording keeps one record per event (a packet sent, a packet
 * arrived, a state change, a call), each send paired with its arrivals
 * (sim/out/flight.h) and, when it resends a segment, linked to the previous
 * transmission of the same first sequence number.  Labels are written at
 * once, with sequence numbers relative to the initial sequence number of
 * their direction (learnt from the SYNs).  Layout then gives every record
 * a row (y), in order, spaced by the time since the previous one, and
 * draws from the rows; every text's box is kept, and while two overlap the
 * later one's row is moved down and the whole is drawn again.
 *
 * Invariant: records are in event order, so their times never decrease and
 * a row is never above the previous one.
 */
#include "sim/out/diagram/diagram.h"

#include <math.h>
#include <string.h>
#include "sim/out/diagram/diagram_draw.h"
#include "sim/out/flight.h"
#include "sim/out/outfile.h"
#include "sim/out/tcpdump.h"

#define NONE UINT32_MAX

/* Geometry (pixels). */
#define WIDTH 1360.0
#define X_CLIENT 440.0          /* the client's timeline */
#define X_SERVER 960.0          /* the server's timeline */
#define TOP 96.0                /* first row */
#define ROW 14.0                /* rows at the same instant */
#define ROW_LOG 28.0            /* extra per decade of milliseconds */
#define BREAK_AFTER SIM_SEC     /* a longer gap becomes a break */
#define BREAK_H 46.0            /* the break marks of a long gap, within its height */
#define TEXT_GAP 56.0           /* timeline to the state and call texts */
#define LABEL_INSET 10.0        /* sender's timeline to the start of an arrow's label */
#define LOST_AT 0.55            /* a dropped segment's cross, along the way */
#define HOST_DOWN_AT 0.9        /* a segment lost with its crashed receiver */
#define BRACKET_GAP 12.0        /* timeline to the first bracket lane */
#define LANE 14.0
#define LANES 3
#define RUN_MIN 4               /* a run of this many segments is drawn with one label */
#define PUSH 6.0                /* what a row moves down when its text overlaps another */
#define MAX_PUSHES 400          /* layout passes that may move rows */
#define MAX_RAISES 100000       /* waits stretched in one pass to keep the order of durations */
#define CALL_CHARS 44           /* longer call texts are cut */
#define LOST_DY_MIN 10.0        /* the slope of an arrow that arrives nowhere: */
#define LOST_DY_MAX 36.0        /* the last one its sender's arrows had, within these */

/* Colours. */
#define C_INK "#263238"
#define C_RTX "#c62828"
#define C_CROSS "#d32f2f"
#define C_STATE "#1565c0"
#define C_CALL "#757575"
#define C_TIME "#455a64"           /* the time stamps: dark enough to read */
#define C_BREAK "#9e9e9e"
#define C_TIMER "#ef6c00"
#define C_ICMP "#8e24aa"

enum rec_kind { REC_SEND, REC_ARRIVE, REC_STATE, REC_CALL };

struct rec {
	enum rec_kind kind;
	sim_time t;
	enum net_role role;      /* SEND: sender; ARRIVE: receiver; STATE, CALL: whose */
	uint32_t other;          /* SEND: its first arrival; ARRIVE: its send; NONE */
	uint32_t prev;           /* SEND: previous send of its first sequence number, or NONE */
	uint32_t conv;           /* SEND: conversation number, from 1 */
	uint8_t flags;           /* SEND, ARRIVE: TCP flags */
	enum tcp_send_why why;   /* SEND */
	bool rtx;                /* SEND: a retransmission */
	bool dropped;            /* SEND: the network dropped it */
	const char *fault;       /* SEND: the [faults] entry that dropped it, or NULL */
	const char *rx_drop;     /* SEND: why its receiver discarded it on arrival, or NULL */
	bool dup;                /* ARRIVE: the network's second copy */
	bool bad_checksum;       /* ARRIVE: corrupted on the wire */
	uint32_t seq, ack, len;  /* SEND: relative numbers and payload length */
	uint64_t conn;           /* STATE: the role's connection number */
	enum tcp_state from, to; /* STATE */
	int err;                 /* STATE */
	char *text;              /* SEND, unpaired ARRIVE: label; CALL: text */
};

/* One direction of a four-tuple. */
struct dir_key {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
};

/* A segment's first sequence number in its direction. */
struct seg_key {
	struct dir_key dir;
	uint32_t seq;
};

struct diagram {
	struct outfile *of;      /* the file, until written */
	enum diagram_format format;
	char *title;
	uint64_t seed;
	char *endpoint[NET_ROLES];
	GArray *recs;            /* struct rec, in event order */
	uint64_t unrecorded;     /* events beyond DIAGRAM_MAX_EVENTS */
	struct flight *flight;   /* tag: the send's record index */
	GHashTable *isn;         /* struct dir_key -> initial sequence number + 1 */
	GHashTable *convs;       /* struct dir_key (lower end first) -> number */
	GHashTable *sends;       /* struct seg_key -> record index of its last send */
	uint64_t max_conn[NET_ROLES];
};

/* --- recording --- */

static guint bytes_hash(const void *p, size_t n)
{
	const uint8_t *b = p;
	guint h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static guint dir_hash(gconstpointer p) { return bytes_hash(p, sizeof(struct dir_key)); }
static gboolean dir_equal(gconstpointer a, gconstpointer b)
{
	return memcmp(a, b, sizeof(struct dir_key)) == 0;
}
static guint seg_hash(gconstpointer p) { return bytes_hash(p, sizeof(struct seg_key)); }
static gboolean seg_equal(gconstpointer a, gconstpointer b)
{
	return memcmp(a, b, sizeof(struct seg_key)) == 0;
}

static void rec_clear(gpointer p)
{
	g_free(((struct rec *)p)->text);
}

struct diagram *diagram_new(const struct diagram_info *info, const char *path, GError **error)
{
	enum diagram_format format;
	if (!diagram_format_of(path, &format, error))
		return NULL;
	struct outfile *of = outfile_open(path, error);
	if (of == NULL)
		return NULL;
	struct diagram *d = g_new0(struct diagram, 1);
	d->of = of;
	d->format = format;
	d->title = g_strdup(info->title ? info->title : "");
	d->seed = info->seed;
	for (int r = 0; r < NET_ROLES; r++)
		d->endpoint[r] = g_strdup(info->endpoint[r] ? info->endpoint[r] : "");
	d->recs = g_array_new(FALSE, TRUE, sizeof(struct rec));
	g_array_set_clear_func(d->recs, rec_clear);
	d->flight = flight_new();
	d->isn = g_hash_table_new_full(dir_hash, dir_equal, g_free, NULL);
	d->convs = g_hash_table_new_full(dir_hash, dir_equal, g_free, NULL);
	d->sends = g_hash_table_new_full(seg_hash, seg_equal, g_free, NULL);
	return d;
}

void diagram_free(struct diagram *d)
{
	if (d == NULL)
		return;
	outfile_abandon(d->of);
	g_free(d->title);
	for (int r = 0; r < NET_ROLES; r++)
		g_free(d->endpoint[r]);
	g_array_unref(d->recs);
	flight_free(d->flight);
	g_hash_table_destroy(d->isn);
	g_hash_table_destroy(d->convs);
	g_hash_table_destroy(d->sends);
	g_free(d);
}

/* A new record, or NULL beyond the limit. */
static struct rec *add_rec(struct diagram *d, enum rec_kind kind, sim_time t, enum net_role role)
{
	if (d->recs->len >= DIAGRAM_MAX_EVENTS) {
		d->unrecorded++;
		return NULL;
	}
	g_array_set_size(d->recs, d->recs->len + 1);
	struct rec *r = &g_array_index(d->recs, struct rec, d->recs->len - 1);
	r->kind = kind;
	r->t = t;
	r->role = role;
	r->other = r->prev = NONE;
	return r;
}

static struct dir_key dir_of(const struct tcp_seg *s, bool reverse)
{
	struct dir_key k;
	memset(&k, 0, sizeof k); /* padding too: keys are hashed as bytes */
	k.saddr = reverse ? s->daddr : s->saddr;
	k.daddr = reverse ? s->saddr : s->daddr;
	k.sport = reverse ? s->dport : s->sport;
	k.dport = reverse ? s->sport : s->dport;
	return k;
}

/* The conversation number of s (both directions share one), from 1. */
static uint32_t conversation(struct diagram *d, const struct tcp_seg *s)
{
	bool rev = s->saddr > s->daddr || (s->saddr == s->daddr && s->sport > s->dport);
	struct dir_key k = dir_of(s, rev);
	gpointer n = g_hash_table_lookup(d->convs, &k);
	if (n == NULL) {
		n = GUINT_TO_POINTER(g_hash_table_size(d->convs) + 1);
		g_hash_table_insert(d->convs, g_memdup2(&k, sizeof k), n);
	}
	return GPOINTER_TO_UINT(n);
}

/* "SYN,ACK" */
static void append_flag_names(GString *s, uint8_t flags)
{
	static const struct {
		uint8_t bit;
		const char *name;
	} names[] = {
		{TCP_FIN, "FIN"}, {TCP_SYN, "SYN"}, {TCP_RST, "RST"},
		{TCP_PSH, "PSH"}, {TCP_ACK, "ACK"}, {TCP_URG, "URG"},
		{TCP_ECE, "ECE"}, {TCP_CWR, "CWR"},
	};
	const char *sep = "";
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (flags & names[i].bit) {
			g_string_append_printf(s, "%s%s", sep, names[i].name);
			sep = ",";
		}
	if (*sep == '\0')
		g_string_append(s, "none");
}

/* Sequence number n relative to the ISN of direction k, if known. */
static uint32_t relative(struct diagram *d, const struct dir_key *k, uint32_t n)
{
	gpointer isn = g_hash_table_lookup(d->isn, k);
	return isn ? n - (GPOINTER_TO_UINT(isn) - 1) : n;
}

static const char *why_text(enum tcp_send_why why)
{
	switch (why) {
	case TCP_SEND_RTO: return " (retransmission)";
	case TCP_SEND_PROBE: return " (tail loss probe)";
	case TCP_SEND_FAST: return " (fast retransmit)";
	case TCP_SEND_GO_BACK: return " (retransmission, go-back-N)";
	case TCP_SEND_NEW:
	case TCP_SEND_ACK:
	case TCP_SEND_RST: break;
	}
	return " (retransmission)";
}

/* "PSH,ACK seq=1 ack=1 len=14", for a segment sent (its ISN known). */
static char *segment_label(struct diagram *d, const struct net_packet_event *e)
{
	const struct tcp_seg *s = &e->pv->tcp;
	GString *l = g_string_new(NULL);
	if (e->pv->kind == PACKET_ICMP_UNREACH) {
		g_string_append_printf(l, "ICMP %s (code %u)", e->pv->icmp_time_exceeded ? "time exceeded" : "unreachable",
		                       e->pv->icmp_code);
		return g_string_free(l, FALSE);
	}
	struct dir_key fwd = dir_of(s, false), back = dir_of(s, true);
	append_flag_names(l, s->flags);
	g_string_append_printf(l, " seq=%u", relative(d, &fwd, s->seq));
	if (s->flags & TCP_ACK)
		g_string_append_printf(l, " ack=%u", relative(d, &back, s->ack));
	if (s->len > 0)
		g_string_append_printf(l, " len=%u", s->len);
	if (e->retransmission)
		g_string_append(l, why_text(e->why));
	return g_string_free(l, FALSE);
}

/* Remembers a SYN's sequence number and links a resend to the last send. */
static void track_send(struct diagram *d, struct rec *r, uint32_t index, const struct tcp_seg *s)
{
	struct seg_key k;
	memset(&k, 0, sizeof k);
	k.dir = dir_of(s, false);
	k.seq = s->seq;
	if ((s->flags & TCP_SYN) && !r->rtx)
		g_hash_table_replace(d->isn, g_memdup2(&k.dir, sizeof k.dir), GUINT_TO_POINTER(s->seq + 1u));
	if (tcp_seg_seqlen(s) == 0 || (s->flags & TCP_RST))
		return;
	gpointer prev = g_hash_table_lookup(d->sends, &k);
	if (prev && r->rtx)
		r->prev = GPOINTER_TO_UINT(prev) - 1;
	g_hash_table_replace(d->sends, g_memdup2(&k, sizeof k), GUINT_TO_POINTER(index + 1));
}

static void record_send(struct diagram *d, const struct net_packet_event *e)
{
	struct rec *r = add_rec(d, REC_SEND, e->t, e->at);
	if (r == NULL)
		return;
	uint32_t index = d->recs->len - 1;
	const struct tcp_seg *s = &e->pv->tcp;
	r->flags = s->flags;
	r->why = e->why;
	r->rtx = e->retransmission;
	r->dropped = e->fate != LINK_DELIVER;
	if (r->dropped && e->fault)
		r->fault = g_intern_string(e->fault);
	if (e->pv->kind == PACKET_TCP) {
		track_send(d, r, index, s);
		struct dir_key fwd = dir_of(s, false), back = dir_of(s, true);
		r->seq = relative(d, &fwd, s->seq);
		r->ack = relative(d, &back, s->ack);
		r->len = s->len;
	}
	r->conv = conversation(d, s);
	r->text = segment_label(d, e);
	flight_depart(d->flight, e, index);
}

static void record_arrival(struct diagram *d, const struct net_packet_event *e)
{
	struct flight_match m;
	bool paired = flight_arrive(d->flight, e, &m);
	struct rec *r = add_rec(d, REC_ARRIVE, e->t, e->at);
	if (r == NULL)
		return;
	uint32_t index = d->recs->len - 1;
	r->flags = e->pv->tcp.flags;
	r->dup = e->duplicate;
	r->len = e->pv->tcp.len;
	r->bad_checksum = e->pv->bad_checksum;
	if (paired) {
		r->other = (uint32_t)m.tag;
		struct rec *send = &g_array_index(d->recs, struct rec, m.tag);
		if (send->other == NONE && !e->duplicate) {
			send->other = index;
			if (r->bad_checksum) /* tcp_v4_rcv(): csum_error, discarded */
				send->rx_drop = "bad checksum";
		}
	} else {
		r->conv = conversation(d, &e->pv->tcp);
		r->text = segment_label(d, e);
	}
}

/* An ARP request: an arrow that no reply answers (conversation 0: no
 * number in its label).  Its copy at the other host is not drawn. */
static void record_arp(struct diagram *d, const struct net_packet_event *e)
{
	struct rec *r = add_rec(d, REC_SEND, e->t, e->at);
	if (r == NULL)
		return;
	uint32_t a = e->pv->arp_target;
	r->dropped = true;
	r->text = g_strdup_printf("ARP who-has %u.%u.%u.%u (no reply)", a >> 24, (a >> 16) & 255,
	                          (a >> 8) & 255, a & 255);
}

/* What the wire carried: a segment held for an ARP reply (never sent) is
 * not drawn, its ARP requests are. */
void diagram_packet(struct diagram *d, const struct net_packet_event *e)
{
	if (!net_packet_on_wire(e))
		return;
	if (e->pv->kind == PACKET_ARP) {
		if (e->outgoing)
			record_arp(d, e);
		return;
	}
	if (e->outgoing)
		record_send(d, e);
	else
		record_arrival(d, e);
}

void diagram_state(struct diagram *d, const struct net_state_event *e)
{
	struct rec *r = add_rec(d, REC_STATE, e->t, e->role);
	if (r == NULL)
		return;
	r->conn = e->conn_id;
	r->from = e->from;
	r->to = e->to;
	r->err = e->err;
	if (e->conn_id > d->max_conn[e->role])
		d->max_conn[e->role] = e->conn_id;
}

/* Is the quoted string literal at q (strace's form: "..." with C escapes)
 * text a reader can read?  Octal and hex escapes stand for bytes that are
 * not printable; \n, \t, \r, \" and \\ are text.  *end: past the closing quote. */
static bool literal_printable(const char *q, const char **end)
{
	bool printable = true;
	const char *p = q + 1;
	for (; *p && *p != '"'; p++) {
		if (*p != '\\')
			continue;
		p++;
		if (*p == '\0')
			break;
		if (!strchr("ntr\"\\", *p))
			printable = false;
	}
	*end = *p ? p + 1 : p;
	return printable;
}

/* Calls whose result counts the bytes of their buffer. */
static bool carries_bytes(const char *name)
{
	static const char *const names[] = {"send", "recv", "read", "write", "sendto", "recvfrom",
	                                    "sendmsg", "recvmsg", "readv", "writev"};
	for (size_t i = 0; name && i < G_N_ELEMENTS(names); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/* The call's text with each string literal of binary bytes replaced by
 * its size ("<1448 bytes>"): escapes like \301\24 are not worth reading. */
static char *call_text(const struct net_call_event *e)
{
	GString *s = g_string_new(NULL);
	const char *p = e->brief ? e->brief : e->text; /* brief: strace.c's, return value kept */
	for (const char *q; (q = strchr(p, '"')) != NULL;) {
		const char *end;
		bool printable = literal_printable(q, &end);
		g_string_append_len(s, p, printable ? end - p : q - p);
		if (!printable) {
			if (e->ret > 0 && carries_bytes(e->name))
				g_string_append_printf(s, "<%ld bytes>", e->ret);
			else
				g_string_append(s, "<binary>");
			if (g_str_has_prefix(end, "...")) /* strace cut the literal */
				end += 3;
		}
		p = end;
	}
	g_string_append(s, p);
	return g_string_free(s, FALSE);
}

void diagram_call(struct diagram *d, const struct net_call_event *e)
{
	struct rec *r = add_rec(d, REC_CALL, e->t, e->role);
	if (r == NULL)
		return;
	char *t = call_text(e);
	if (g_utf8_strlen(t, -1) > CALL_CHARS) {
		char *cut = g_utf8_substring(t, 0, CALL_CHARS - 1);
		r->text = g_strconcat(cut, "\xe2\x80\xa6", NULL); /* U+2026 ... */
		g_free(cut);
		g_free(t);
	} else {
		r->text = t;
	}
}

/* --- the display list --- */

static struct dg_item *push(struct dg_list *l, enum dg_kind kind)
{
	g_array_set_size(l->items, l->items->len + 1);
	struct dg_item *it = &g_array_index(l->items, struct dg_item, l->items->len - 1);
	it->kind = kind;
	return it;
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
                 double width, bool dashed)
{
	struct dg_item *it = push(l, DG_LINE);
	it->x[0] = x0;
	it->y[0] = y0;
	it->x[1] = x1;
	it->y[1] = y1;
	it->color = color;
	it->width = width;
	it->dashed = dashed;
}

/* Text styles. */
struct tstyle {
	double size;
	const char *color;
	bool bold, italic;
	enum dg_anchor anchor;
	double angle;
};

static void text(struct dg_list *l, double x, double y, const struct tstyle *st, const char *s)
{
	struct dg_item *it = push(l, DG_TEXT);
	it->x[0] = x;
	it->y[0] = y;
	it->size = st->size;
	it->color = st->color;
	it->bold = st->bold;
	it->italic = st->italic;
	it->anchor = st->anchor;
	it->angle = st->angle;
	it->text = g_strdup(s);
}

/* An arrowhead with its tip at (x1, y1), pointing away from (x0, y0). */
static void arrowhead(struct dg_list *l, double x0, double y0, double x1, double y1,
                      const char *color)
{
	double dx = x1 - x0, dy = y1 - y0, n = hypot(dx, dy);
	if (n < 1e-9)
		return;
	dx /= n;
	dy /= n;
	struct dg_item *it = push(l, DG_TRIANGLE);
	it->x[0] = x1;
	it->y[0] = y1;
	it->x[1] = x1 - 9 * dx - 4 * dy;
	it->y[1] = y1 - 9 * dy + 4 * dx;
	it->x[2] = x1 - 9 * dx + 4 * dy;
	it->y[2] = y1 - 9 * dy - 4 * dx;
	it->color = color;
}

static void cross(struct dg_list *l, double x, double y, const char *cls)
{
	group(l, cls);
	line(l, x - 5, y - 5, x + 5, y + 5, C_CROSS, 2.2, false);
	line(l, x - 5, y + 5, x + 5, y - 5, C_CROSS, 2.2, false);
	end_group(l);
}

void dg_list_init(struct dg_list *l)
{
	memset(l, 0, sizeof *l);
	l->items = g_array_new(FALSE, TRUE, sizeof(struct dg_item));
}

void dg_list_clear(struct dg_list *l)
{
	for (guint i = 0; l->items && i < l->items->len; i++) {
		struct dg_item *it = &g_array_index(l->items, struct dg_item, i);
		g_free(it->text);
		g_free(it->pts);
	}
	if (l->items)
		g_array_unref(l->items);
	memset(l, 0, sizeof *l);
}

/* --- layout --- */

struct gap {
	double y0, y1;           /* the break marks span these (within the gap's height) */
	sim_time length;
};

struct bracket {
	enum net_role role;
	double y0, y1;
	const char *cls;
	char *label;
	uint32_t from, owner;    /* the records that begin and end it */
};

/* A text's box as drawn (dg_text_box), and the record whose row it sits on. */
struct box {
	double x[4], y[4];
	double ymin, ymax;
	uint32_t owner;
};

/* An arrow's course, known before any label is placed. */
struct course {
	double x0, y0, x1, y1;
	const char *cls;
	bool dashed, lost;
};

struct layout {
	struct diagram *d;
	struct dg_list *l;
	const struct rec *recs;
	uint32_t n;              /* records laid out */
	double *y;               /* their rows */
	double *extra;           /* room added above each row so that texts do not overlap */
	double bottom;           /* below the last row */
	GArray *gaps;            /* struct gap */
	GArray *brackets;        /* struct bracket */
	GArray *boxes;           /* struct box, every text placed so far */
	struct course *courses;  /* per record: a send's arrow */
	const char **rx_drop;    /* per record: a send its receiver discarded, and why */
	char **run_label;        /* per record: the label of a run it heads */
	bool *in_run;            /* per record: a send of a run, drawn without a label */
	double last_dy[NET_ROLES]; /* drop of the last arrow each role sent */
	bool truncated;          /* the run stopped with packets perhaps in flight */
};

static double x_of(enum net_role r)
{
	return r == NET_CLIENT ? X_CLIENT : X_SERVER;
}

static enum net_role peer(enum net_role r)
{
	return r == NET_CLIENT ? NET_SERVER : NET_CLIENT;
}

/* --- texts' boxes --- */

/* Width of a glyph in em of DejaVu Sans, generous: capitals and digits are
 * 0.6-0.75 em, lower case 0.3-0.65 em; bold is wider. */
#define EM_REGULAR 0.64
#define EM_BOLD 0.70
#define ASCENT 0.80
#define DESCENT 0.25

void dg_text_box(const struct dg_item *it, double bx[4], double by[4])
{
	double w = (double)g_utf8_strlen(it->text, -1) * it->size * (it->bold ? EM_BOLD : EM_REGULAR);
	double left = it->anchor == DG_ANCHOR_START ? 0 : it->anchor == DG_ANCHOR_MIDDLE ? -w / 2 : -w;
	const double dx[4] = {left, left + w, left + w, left};
	const double dy[4] = {-ASCENT * it->size, -ASCENT * it->size, DESCENT * it->size,
	                      DESCENT * it->size};
	double a = it->angle * G_PI / 180.0, c = cos(a), s = sin(a);
	for (int k = 0; k < 4; k++) { /* SVG's rotate(): clockwise, y down */
		bx[k] = it->x[0] + dx[k] * c - dy[k] * s;
		by[k] = it->y[0] + dx[k] * s + dy[k] * c;
	}
}

/* Do the convex polygons a (na corners) and b (nb; 2 for a segment)
 * overlap by more than a hair?  Separating axes: the edges' normals. */
bool dg_convex_overlap(const double *ax, const double *ay, int na, const double *bx,
                       const double *by, int nb)
{
	for (int pass = 0; pass < 2; pass++) {
		const double *px = pass ? bx : ax, *py = pass ? by : ay;
		int np = pass ? nb : na;
		for (int k = 0; k < np; k++) {
			double nx = -(py[(k + 1) % np] - py[k]), ny = px[(k + 1) % np] - px[k];
			double len = hypot(nx, ny);
			if (len < 1e-9)
				continue;
			double amin = INFINITY, amax = -INFINITY, bmin = INFINITY, bmax = -INFINITY;
			for (int j = 0; j < na; j++) {
				double v = (ax[j] * nx + ay[j] * ny) / len;
				amin = fmin(amin, v);
				amax = fmax(amax, v);
			}
			for (int j = 0; j < nb; j++) {
				double v = (bx[j] * nx + by[j] * ny) / len;
				bmin = fmin(bmin, v);
				bmax = fmax(bmax, v);
			}
			if (amax <= bmin + 0.5 || bmax <= amin + 0.5)
				return false;
		}
	}
	return true;
}

static struct box box_of(const struct dg_item *it, uint32_t owner)
{
	struct box b = {.owner = owner, .ymin = INFINITY, .ymax = -INFINITY};
	dg_text_box(it, b.x, b.y);
	for (int k = 0; k < 4; k++) {
		b.ymin = fmin(b.ymin, b.y[k]);
		b.ymax = fmax(b.ymax, b.y[k]);
	}
	return b;
}

static bool boxes_overlap(const struct box *a, const struct box *b)
{
	return a->ymin < b->ymax && b->ymin < a->ymax && dg_convex_overlap(a->x, a->y, 4, b->x, b->y, 4);
}

/* A text on the row of record `owner`, whose box the layout keeps. */
static void ltext(struct layout *lo, uint32_t owner, double x, double y, const struct tstyle *st,
                  const char *s)
{
	text(lo->l, x, y, st, s);
	struct box b = box_of(&g_array_index(lo->l->items, struct dg_item, lo->l->items->len - 1), owner);
	g_array_append_val(lo->boxes, b);
}

/* --- rows --- */

/* The height of a gap of dt: ROW at the same instant, then ROW_LOG per
 * decade of milliseconds (1 ms: 22 px; 1 s: 98 px; 64 s: 148 px), for
 * every gap, so that a longer wait is never drawn shorter than a shorter
 * one.  A gap longer than a second is also broken, with its length. */
static double gap_height(sim_time dt)
{
	return ROW + ROW_LOG * log10(1.0 + (double)dt / (double)SIM_MS);
}

/* Rows: spaced by log time, long gaps marked as breaks, cut at the height limit. */
static void assign_rows(struct layout *lo)
{
	uint32_t total = lo->d->recs->len;
	double y = TOP;
	lo->n = total;
	for (uint32_t i = 0; i < total; i++) {
		if (i > 0) {
			sim_time dt = lo->recs[i].t - lo->recs[i - 1].t;
			double h = gap_height(dt) + lo->extra[i];
			if (dt > BREAK_AFTER) {
				double mid = y + h / 2;
				struct gap g = {mid - BREAK_H / 2, mid + BREAK_H / 2, dt};
				g_array_append_val(lo->gaps, g);
			}
			y += h;
		} else {
			y += lo->extra[i];
		}
		if (y > DIAGRAM_MAX_HEIGHT - 120) {
			lo->n = i;
			break;
		}
		lo->y[i] = y;
	}
	lo->bottom = (lo->n ? lo->y[lo->n - 1] : TOP) + 26;
}

/* --- what the records show --- */

/* Did role see a record of `kind` at the instant of record i? */
static bool kind_at_instant(const struct layout *lo, uint32_t i, enum net_role role,
                            enum rec_kind kind)
{
	sim_time t = lo->recs[i].t;
	for (uint32_t j = i; j-- > 0 && lo->recs[j].t == t;)
		if (lo->recs[j].kind == kind && lo->recs[j].role == role)
			return true;
	for (uint32_t j = i + 1; j < lo->d->recs->len && lo->recs[j].t == t; j++)
		if (lo->recs[j].kind == kind && lo->recs[j].role == role)
			return true;
	return false;
}

/* Did role see a packet at its interface at the instant of record i? */
static bool packet_at_instant(const struct layout *lo, uint32_t i, enum net_role role)
{
	return kind_at_instant(lo, i, role, REC_SEND) || kind_at_instant(lo, i, role, REC_ARRIVE);
}

/* A SYN that arrived and that its receiver answered with nothing, neither
 * a segment nor a state change, in that instant: discarded.  A listener
 * does this when its accept queue is full (tcp_conn_request():
 * sk_acceptq_is_full(), "drop"), where any other SYN earns a SYN-ACK, an
 * ACK or a RST. */
static bool syn_unanswered(const struct layout *lo, uint32_t a)
{
	const struct rec *r = &lo->recs[a];
	if (r->kind != REC_ARRIVE || (r->flags & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN || r->dup)
		return false;
	for (uint32_t j = a + 1; j < lo->d->recs->len && lo->recs[j].t == r->t; j++) {
		const struct rec *q = &lo->recs[j];
		if (q->role != r->role)
			continue;
		if (q->kind == REC_ARRIVE)
			break;
		if (q->kind == REC_SEND || q->kind == REC_STATE)
			return false;
	}
	return true;
}

static void find_rx_drops(struct layout *lo)
{
	for (uint32_t i = 0; i < lo->n; i++) {
		const struct rec *r = &lo->recs[i];
		lo->rx_drop[i] = r->kind == REC_SEND ? r->rx_drop : NULL;
		if (r->kind == REC_SEND && !r->rx_drop && r->other != NONE && r->other < lo->n &&
		    syn_unanswered(lo, r->other))
			lo->rx_drop[i] = "accept queue full";
	}
}

/* Sends that may share one label: new data delivered as sent, or ACKs
 * answering arrivals. */
enum run_kind { RUN_NONE, RUN_DATA, RUN_ACK };

static enum run_kind run_kind_of(const struct layout *lo, uint32_t i)
{
	const struct rec *r = &lo->recs[i];
	if (r->kind != REC_SEND || r->rtx || r->dropped || lo->rx_drop[i] || r->other == NONE ||
	    r->other >= lo->n || (r->flags & (TCP_SYN | TCP_RST)))
		return RUN_NONE;
	if (r->len > 0)
		return RUN_DATA;
	if (r->flags == TCP_ACK && r->why == TCP_SEND_ACK && kind_at_instant(lo, i, r->role, REC_ARRIVE))
		return RUN_ACK;
	return RUN_NONE;
}

static void close_run(struct layout *lo, const uint32_t *members, uint32_t count, enum run_kind k)
{
	if (count < RUN_MIN)
		return;
	const struct rec *first = &lo->recs[members[0]], *last = &lo->recs[members[count - 1]];
	GString *s = g_string_new(NULL);
	if (first->conv > 0 && g_hash_table_size(lo->d->convs) > 1)
		g_string_append_printf(s, "#%u ", first->conv);
	if (k == RUN_DATA)
		g_string_append_printf(s, "%u segments, %u:%u%s", count, first->seq, last->seq + last->len,
		                       (last->flags & TCP_FIN) ? ", FIN" : "");
	else
		g_string_append_printf(s, "%u ACKs, ack=%u \xe2\x80\xa6 %u", count, first->ack, last->ack);
	lo->run_label[members[0]] = g_string_free(s, FALSE);
	for (uint32_t m = 1; m < count; m++)
		lo->in_run[members[m]] = true;
}

/* Runs of RUN_MIN or more consecutive sends of one role, one conversation
 * and one kind (a FIN ends a run of data): one label for the run, on its
 * first arrow ("14 segments, 1:20001"). */
static void find_runs(struct layout *lo)
{
	uint32_t *members = g_new(uint32_t, lo->n ? lo->n : 1);
	for (int role = 0; role < NET_ROLES; role++) {
		uint32_t count = 0;
		enum run_kind kind = RUN_NONE;
		for (uint32_t i = 0; i < lo->n; i++) {
			const struct rec *r = &lo->recs[i];
			if (r->kind != REC_SEND || r->role != (enum net_role)role)
				continue;
			enum run_kind k = run_kind_of(lo, i);
			if (count > 0 && (k != kind || r->conv != lo->recs[members[0]].conv)) {
				close_run(lo, members, count, kind);
				count = 0;
			}
			if (k == RUN_NONE)
				continue;
			kind = k;
			members[count++] = i;
			if (r->flags & TCP_FIN) {
				close_run(lo, members, count, kind);
				count = 0;
			}
		}
		close_run(lo, members, count, kind);
	}
	g_free(members);
}

/* --- timers --- */

static char *duration_text(sim_time d)
{
	if (d < SIM_SEC)
		return g_strdup_printf("%.0f ms", (double)d / (double)SIM_MS);
	return g_strdup_printf("%.4g s", sim_time_to_sec(d));
}

/* A bracket from record `from` to record `to`: "<what> <duration><note>". */
static void add_bracket(struct layout *lo, enum net_role role, uint32_t from, uint32_t to,
                        const char *cls, const char *what, const char *note)
{
	char *d = duration_text(lo->recs[to].t - lo->recs[from].t);
	struct bracket b = {role, lo->y[from], lo->y[to], cls,
	                    g_strdup_printf("%s %s%s", what, d, note), from, to};
	g_array_append_val(lo->brackets, b);
	g_free(d);
}

/* A resend after a timeout or a probe: from the previous send. */
static void rto_bracket(struct layout *lo, uint32_t i)
{
	const struct rec *r = &lo->recs[i];
	if (r->kind != REC_SEND || !r->rtx || r->prev == NONE || r->prev >= lo->n)
		return;
	if (r->why != TCP_SEND_RTO && r->why != TCP_SEND_PROBE)
		return;
	bool probe = r->why == TCP_SEND_PROBE;
	add_bracket(lo, r->role, r->prev, i, probe ? "timer tlp" : "timer rto", probe ? "TLP" : "RTO", "");
}

/* The last record before i of `kind` by role in conversation conv (any
 * conversation for 0) that `want` accepts, or NONE. */
static uint32_t last_before(const struct layout *lo, uint32_t i, enum net_role role,
                            enum rec_kind kind, uint32_t conv, bool (*want)(const struct rec *))
{
	for (uint32_t j = i; j-- > 0;) {
		const struct rec *q = &lo->recs[j];
		if (q->kind == kind && q->role == role && (conv == 0 || q->conv == conv) &&
		    (!want || want(q)))
			return j;
	}
	return NONE;
}

static bool occupies_sequence(const struct rec *r)
{
	return r->len > 0 || (r->flags & (TCP_SYN | TCP_FIN));
}

static bool is_any(const struct rec *r)
{
	(void)r;
	return true;
}

/* A keepalive probe: a bare ACK one below what its sender has sent
 * (tcp_write_wakeup(): "seq = snd_una - 1"), when nothing arrived. */
static bool keepalive_probe(const struct layout *lo, uint32_t i)
{
	const struct rec *r = &lo->recs[i];
	if (r->kind != REC_SEND || r->flags != TCP_ACK || r->len > 0 || r->rtx ||
	    kind_at_instant(lo, i, r->role, REC_ARRIVE))
		return false;
	uint32_t s = last_before(lo, i, r->role, REC_SEND, r->conv, occupies_sequence);
	if (s == NONE)
		return false;
	const struct rec *q = &lo->recs[s];
	uint32_t end = q->seq + q->len + !!(q->flags & TCP_SYN) + !!(q->flags & TCP_FIN);
	return r->seq + 1 == end;
}

static bool is_probe_rec(const struct layout *lo, uint32_t j)
{
	return keepalive_probe(lo, j);
}

/* The previous keepalive probe of i's sender, or NONE. */
static uint32_t previous_probe(const struct layout *lo, uint32_t i)
{
	const struct rec *r = &lo->recs[i];
	for (uint32_t j = i; j-- > 0;) {
		const struct rec *q = &lo->recs[j];
		if (q->role != r->role || q->conv != r->conv)
			continue;
		if (q->kind == REC_ARRIVE)
			return NONE; /* something was heard since */
		if (q->kind == REC_SEND && is_probe_rec(lo, j))
			return j;
	}
	return NONE;
}

/* Keepalive (tcp_keepalive_timer()): the first probe after the idle time
 * since the last segment heard, the next ones an interval after the
 * previous, and the RST that gives up. */
static void keepalive_bracket(struct layout *lo, uint32_t i)
{
	const struct rec *r = &lo->recs[i];
	if (r->kind != REC_SEND)
		return;
	bool probe = keepalive_probe(lo, i);
	bool gives_up = (r->flags & TCP_RST) && !kind_at_instant(lo, i, r->role, REC_ARRIVE);
	if (!probe && !gives_up)
		return;
	uint32_t from = previous_probe(lo, i);
	if (from == NONE && probe)
		from = last_before(lo, i, r->role, REC_ARRIVE, 0, is_any);
	if (from == NONE || from >= lo->n)
		return;
	add_bracket(lo, r->role, from, i, "timer keepalive", "keepalive", gives_up ? ", gave up" : "");
}

/* A delayed ACK (tcp_delack_timer()): a bare ACK sent when nothing arrived
 * and no call ran, from the data it acknowledges. */
static void delack_bracket(struct layout *lo, uint32_t i)
{
	const struct rec *r = &lo->recs[i];
	if (r->kind != REC_SEND || r->flags != TCP_ACK || r->len > 0 || r->why != TCP_SEND_ACK ||
	    keepalive_probe(lo, i) || kind_at_instant(lo, i, r->role, REC_ARRIVE) ||
	    kind_at_instant(lo, i, r->role, REC_CALL))
		return;
	uint32_t a = last_before(lo, i, r->role, REC_ARRIVE, 0, is_any);
	if (a == NONE || !occupies_sequence(&lo->recs[a]))
		return;
	add_bracket(lo, r->role, a, i, "timer delack", "delayed ACK", "");
}

/* The last FIN that arrived at role between records `from` and `to`. */
static uint32_t last_fin_arrival(const struct layout *lo, uint32_t from, uint32_t to,
                                 enum net_role role)
{
	uint32_t found = NONE;
	for (uint32_t j = from + 1; j < to; j++)
		if (lo->recs[j].kind == REC_ARRIVE && lo->recs[j].role == role &&
		    (lo->recs[j].flags & TCP_FIN))
			found = j;
	return found;
}

/* A connection that timed out with no packet: its last segment's timer
 * expired once more and the sender gave up (tcp_write_timeout()). */
static void gave_up_bracket(struct layout *lo, uint32_t i, uint32_t since)
{
	const struct rec *r = &lo->recs[i];
	if (strcmp(net_errno_name(r->err), "ETIMEDOUT") != 0)
		return;
	uint32_t s = last_before(lo, i, r->role, REC_SEND, 0, occupies_sequence);
	if (s == NONE || s < since)
		return;
	add_bracket(lo, r->role, s, i, "timer rto", "RTO", ", gave up");
}

/* A state left by a timer (no packet at that instant): from its start. */
static void state_bracket(struct layout *lo, uint32_t i, GHashTable *entered)
{
	const struct rec *r = &lo->recs[i];
	gpointer key = GSIZE_TO_POINTER(r->conn * NET_ROLES + r->role + 1);
	gpointer start = g_hash_table_lookup(entered, key);
	g_hash_table_replace(entered, key, GUINT_TO_POINTER(i + 1));
	if (start == NULL || packet_at_instant(lo, i, r->role))
		return;
	uint32_t s = GPOINTER_TO_UINT(start) - 1;
	if (lo->recs[s].to != r->from)
		return;
	if (r->err)
		gave_up_bracket(lo, i, s);
	const char *what = tcp_state_name(r->from);
	const char *note = "";
	if (r->from == TCP_TIME_WAIT) {
		uint32_t fin = last_fin_arrival(lo, s, i, r->role);
		what = "2*MSL";
		if (fin != NONE) {
			s = fin;
			note = ", restarted";
		}
	}
	add_bracket(lo, r->role, s, i, "timer state", what, note);
}

static int bracket_order(const void *a, const void *b)
{
	const struct bracket *x = a, *y = b;
	if (x->y0 != y->y0)
		return x->y0 < y->y0 ? -1 : 1;
	if (x->y1 != y->y1)
		return x->y1 < y->y1 ? -1 : 1;
	return 0;
}

static void find_brackets(struct layout *lo)
{
	GHashTable *entered = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (uint32_t i = 0; i < lo->n; i++) {
		if (lo->recs[i].kind == REC_SEND) {
			rto_bracket(lo, i);
			keepalive_bracket(lo, i);
			delack_bracket(lo, i);
		} else if (lo->recs[i].kind == REC_STATE) {
			state_bracket(lo, i, entered);
		}
	}
	g_hash_table_destroy(entered);
	g_array_sort(lo->brackets, bracket_order); /* lanes are given top down */
}

/* Brackets in lanes beside the timelines, outside, first free lane. */
static void draw_brackets(struct layout *lo)
{
	double lane_end[NET_ROLES][LANES];
	for (int r = 0; r < NET_ROLES; r++)
		for (int k = 0; k < LANES; k++)
			lane_end[r][k] = -1;
	const struct tstyle st = {10, C_TIMER, false, false, DG_ANCHOR_MIDDLE, -90};
	for (guint i = 0; i < lo->brackets->len; i++) {
		const struct bracket *b = &g_array_index(lo->brackets, struct bracket, i);
		int k = 0;
		while (k < LANES - 1 && lane_end[b->role][k] > b->y0 + 0.5) /* end to end is fine */
			k++;
		lane_end[b->role][k] = b->y1;
		double side = b->role == NET_CLIENT ? -1 : 1;
		double x = x_of(b->role) + side * (BRACKET_GAP + LANE * k);
		group(lo->l, b->cls);
		line(lo->l, x, b->y0, x, b->y1, C_TIMER, 1.4, false);
		line(lo->l, x, b->y0, x - side * 5, b->y0, C_TIMER, 1.4, false);
		line(lo->l, x, b->y1, x - side * 5, b->y1, C_TIMER, 1.4, false);
		ltext(lo, b->owner, b->role == NET_CLIENT ? x - 3 : x + 10, (b->y0 + b->y1) / 2, &st, b->label);
		end_group(lo->l);
	}
}

static void draw_header(struct layout *lo)
{
	const struct tstyle title = {13, C_INK, true, false, DG_ANCHOR_START, 0};
	const struct tstyle name = {14, C_INK, true, false, DG_ANCHOR_MIDDLE, 0};
	char *t = g_strdup_printf("%s, seed %llu", lo->d->title, (unsigned long long)lo->d->seed);
	group(lo->l, "header");
	text(lo->l, 12, 24, &title, t);
	for (int r = 0; r < NET_ROLES; r++) {
		char *s = g_strdup_printf("%s %s", net_role_name((enum net_role)r), lo->d->endpoint[r]);
		text(lo->l, x_of((enum net_role)r), 62, &name, s);
		g_free(s);
	}
	end_group(lo->l);
	g_free(t);
}

/* The record after the gap g: the break's text belongs to its row. */
static uint32_t record_below(const struct layout *lo, double y)
{
	for (uint32_t i = 0; i < lo->n; i++)
		if (lo->y[i] > y)
			return i;
	return lo->n ? lo->n - 1 : 0;
}

/* The timelines, interrupted at the breaks, and the breaks' texts. */
static void draw_timelines(struct layout *lo)
{
	const struct tstyle st = {11, C_BREAK, false, true, DG_ANCHOR_MIDDLE, 0};
	group(lo->l, "timelines");
	for (int r = 0; r < NET_ROLES; r++) {
		double x = x_of((enum net_role)r), y = TOP - 20;
		for (guint i = 0; i < lo->gaps->len; i++) {
			const struct gap *g = &g_array_index(lo->gaps, struct gap, i);
			line(lo->l, x, y, x, g->y0 + 8, C_INK, 2, false);
			line(lo->l, x - 7, g->y0 + 11, x + 7, g->y0 + 5, C_INK, 1.4, false);
			line(lo->l, x - 7, g->y1 - 5, x + 7, g->y1 - 11, C_INK, 1.4, false);
			y = g->y1 - 8;
		}
		line(lo->l, x, y, x, lo->bottom, C_INK, 2, false);
	}
	for (guint i = 0; i < lo->gaps->len; i++) {
		const struct gap *g = &g_array_index(lo->gaps, struct gap, i);
		double s = sim_time_to_sec(g->length);
		char *msg = g_strdup_printf(s < 1000 ? "\xe2\x80\xa6 %.1f s \xe2\x80\xa6"
		                                     : "\xe2\x80\xa6 %.0f s \xe2\x80\xa6", s);
		ltext(lo, record_below(lo, g->y1), X_CLIENT + (X_SERVER - X_CLIENT) * 0.3,
		      (g->y0 + g->y1) / 2 + 4, &st, msg);
		g_free(msg);
	}
	end_group(lo->l);
}

/* Each new instant on the left, unless too close to the previous one or
 * written the same to the microsecond (instants less than a microsecond
 * apart share their stamp). */
static void draw_times(struct layout *lo)
{
	const struct tstyle st = {11, C_TIME, false, false, DG_ANCHOR_START, 0};
	double last_y = -100;
	char last[32] = "";
	group(lo->l, "times");
	for (uint32_t i = 0; i < lo->n; i++) {
		char s[32];
		g_snprintf(s, sizeof s, "%.6f", sim_time_to_sec(lo->recs[i].t));
		if (strcmp(s, last) == 0 || lo->y[i] - last_y < 13)
			continue;
		ltext(lo, i, 8, lo->y[i] + 4, &st, s);
		memcpy(last, s, sizeof last);
		last_y = lo->y[i];
	}
	end_group(lo->l);
}

/* States (bold, blue) and calls (grey) outside the timelines. */
static void draw_texts(struct layout *lo)
{
	const struct tstyle state = {11, C_STATE, true, false, DG_ANCHOR_END, 0};
	const struct tstyle call = {10, C_CALL, false, false, DG_ANCHOR_END, 0};
	for (uint32_t i = 0; i < lo->n; i++) {
		const struct rec *r = &lo->recs[i];
		if (r->kind != REC_STATE && r->kind != REC_CALL)
			continue;
		bool left = r->role == NET_CLIENT;
		double x = x_of(r->role) + (left ? -TEXT_GAP : TEXT_GAP);
		struct tstyle st = r->kind == REC_STATE ? state : call;
		st.anchor = left ? DG_ANCHOR_END : DG_ANCHOR_START;
		if (r->kind == REC_CALL) {
			group(lo->l, "call");
			ltext(lo, i, x, lo->y[i] + 4, &st, r->text);
			end_group(lo->l);
			continue;
		}
		GString *s = g_string_new(NULL);
		if (lo->d->max_conn[r->role] > 1)
			g_string_append_printf(s, "#%llu ", (unsigned long long)r->conn);
		g_string_append(s, tcp_state_name(r->to));
		if (r->err)
			g_string_append_printf(s, " (%s)", net_errno_name(r->err));
		group(lo->l, "state");
		line(lo->l, x_of(r->role) - 4, lo->y[i], x_of(r->role) + 4, lo->y[i], C_STATE, 2, false);
		ltext(lo, i, x, lo->y[i] + 4, &st, s->str);
		end_group(lo->l);
		g_string_free(s, TRUE);
	}
}

/* Box b grown by d pixels at each corner, away from its centre. */
static struct box grown(const struct box *b, double d)
{
	struct box g = *b;
	double cx = (b->x[0] + b->x[2]) / 2, cy = (b->y[0] + b->y[2]) / 2;
	for (int k = 0; k < 4; k++) {
		double vx = b->x[k] - cx, vy = b->y[k] - cy, n = hypot(vx, vy);
		if (n > 1e-9) {
			g.x[k] += vx / n * d;
			g.y[k] += vy / n * d;
		}
	}
	g.ymin -= d;
	g.ymax += d;
	return g;
}

/* The first arrow but record `own`'s that crosses box b, or NONE.  The box
 * is grown by a pixel: the SVG keeps coordinates and angles to a tenth,
 * and a label that clears an arrow by a hair here must still clear it
 * when read back from the file. */
static uint32_t crossing_arrow(const struct layout *lo, const struct box *b0, uint32_t own)
{
	struct box g = grown(b0, 1.0);
	const struct box *b = &g;
	for (uint32_t j = 0; j < lo->n; j++) {
		const struct course *c = &lo->courses[j];
		if (j == own || c->cls == NULL || fmax(c->y0, c->y1) < b->ymin || fmin(c->y0, c->y1) > b->ymax)
			continue;
		const double sx[2] = {c->x0, c->x1}, sy[2] = {c->y0, c->y1};
		if (dg_convex_overlap(b->x, b->y, 4, sx, sy, 2))
			return j;
	}
	return NONE;
}

static bool overlaps_a_text(const struct layout *lo, const struct box *b)
{
	for (guint k = 0; k < lo->boxes->len; k++)
		if (boxes_overlap(b, &g_array_index(lo->boxes, struct box, k)))
			return true;
	return false;
}

/* How far along the line from (x0, y0) towards x1 a label may run: to its
 * end, or for an arrow that stops short of the other timeline (lost on
 * the way), on to that timeline, beyond its cross. */
static double label_reach(double x0, double x1, double n)
{
	bool from_timeline = x0 == X_CLIENT || x0 == X_SERVER;
	if (!from_timeline || x1 == X_CLIENT || x1 == X_SERVER || fabs(x1 - x0) < 1)
		return n;
	return n * (X_SERVER - X_CLIENT) / fabs(x1 - x0);
}

/* An arrow's label that no place along it keeps clear of the other
 * arrows: beside the timeline it leaves, outside, on its row, where only
 * the states and calls are (and the layout moves rows apart if they
 * overlap). */
static void label_outside(struct layout *lo, uint32_t owner, double x0, double y0, double x1,
                          const struct tstyle *along, const char *label)
{
	double x = x0 == X_CLIENT || x0 == X_SERVER ? x0 : x1;
	bool left = x == X_CLIENT;
	struct tstyle st = *along;
	st.anchor = left ? DG_ANCHOR_END : DG_ANCHOR_START;
	st.angle = 0;
	ltext(lo, owner, x + (left ? -TEXT_GAP : TEXT_GAP), y0 + 4, &st, label);
}

/* The label along an arrow, reading left to right, as near its sender as
 * it can be without overlapping another text or crossing another arrow
 * (a lost arrow's maybe past its cross); else beside its timeline. */
static void arrow_label(struct layout *lo, uint32_t owner, double x0, double y0, double x1,
                        double y1, const char *color, const char *label)
{
	double dx = x1 - x0, dy = y1 - y0, n = hypot(dx, dy);
	if (n < 1e-9)
		return;
	double ux = dx / n, uy = dy / n;
	bool rightwards = dx >= 0;
	double angle = atan2(rightwards ? dy : -dy, rightwards ? dx : -dx) * 180.0 / G_PI;
	double rad = angle * G_PI / 180.0; /* "up" of the text: (sin, -cos) */
	const struct tstyle st = {10, color, false, false,
	                          rightwards ? DG_ANCHOR_START : DG_ANCHOR_END, angle};
	struct dg_item probe = {.kind = DG_TEXT, .size = st.size, .anchor = st.anchor,
	                        .angle = angle, .text = (char *)(uintptr_t)label};
	double width = (double)g_utf8_strlen(label, -1) * st.size * EM_REGULAR;
	double best = LABEL_INSET, reach = label_reach(x0, x1, n);
	bool found = false;
	for (int step = 0;; step++) { /* every 15 px along the arrow, the first always */
		double inset = LABEL_INSET + 15.0 * step;
		if (step > 0 && inset + width + 6 >= reach)
			break;
		if (reach > n && inset < n + 9 && inset + width > n - 9)
			continue; /* not over the cross */
		probe.x[0] = x0 + ux * inset + 3.5 * sin(rad);
		probe.y[0] = y0 + uy * inset - 3.5 * cos(rad);
		struct box b = box_of(&probe, owner);
		if (overlaps_a_text(lo, &b))
			continue;
		if (crossing_arrow(lo, &b, owner) == NONE) {
			best = inset;
			found = true;
			break;
		}
	}
	if (!found) {
		label_outside(lo, owner, x0, y0, x1, &st, label);
		return;
	}
	ltext(lo, owner, x0 + ux * best + 3.5 * sin(rad), y0 + uy * best - 3.5 * cos(rad), &st, label);
}

static char *label_of(const struct layout *lo, const struct rec *r)
{
	if (r->conv > 0 && g_hash_table_size(lo->d->convs) > 1)
		return g_strdup_printf("#%u %s", r->conv, r->text);
	return g_strdup(r->text);
}

/* The drop of an arrow that arrives nowhere, a fraction `along` of the way. */
static double lost_dy(const struct layout *lo, enum net_role from, double y0, double along)
{
	double dy = lo->last_dy[from];
	dy = dy < LOST_DY_MIN ? LOST_DY_MIN : dy > LOST_DY_MAX ? LOST_DY_MAX : dy;
	return y0 + dy * along > lo->bottom ? lo->bottom - y0 : dy * along;
}

/* Where a send's arrow ends (x1, y1), whether dashed, and its class: at
 * its arrival, at a cross part of the way (dropped by the network), at a
 * cross at its receiver (discarded there) or near it (lost with a crashed
 * host), or dashed into the unknown. */
static void send_course(struct layout *lo, uint32_t i)
{
	const struct rec *r = &lo->recs[i];
	struct course *c = &lo->courses[i];
	double x0 = x_of(r->role), span = x_of(peer(r->role)) - x0;
	c->x0 = x0;
	c->y0 = lo->y[i];
	c->dashed = c->lost = false;
	if (r->dropped) {
		c->x1 = x0 + span * LOST_AT;
		c->y1 = c->y0 + lost_dy(lo, r->role, c->y0, LOST_AT);
		c->lost = true;
		c->cls = r->fault ? (r->rtx ? "arrow lost fault rtx" : "arrow lost fault")
		                  : (r->rtx ? "arrow lost rtx" : "arrow lost");
		return;
	}
	if (r->other != NONE && r->other < lo->n) {
		c->x1 = x0 + span;
		c->y1 = lo->y[r->other];
		lo->last_dy[r->role] = c->y1 - c->y0;
		if (lo->rx_drop[i]) {
			c->x1 = x0 + span * 0.97; /* the cross just short of the timeline */
			c->y1 = c->y0 + (lo->y[r->other] - c->y0) * 0.97;
			c->lost = true;
			c->cls = r->rtx ? "arrow rxdrop rtx" : "arrow rxdrop";
			return;
		}
		c->cls = lo->in_run[i] ? (r->rtx ? "arrow run rtx" : "arrow run")
		                       : (r->rtx ? "arrow rtx" : "arrow");
		return;
	}
	c->dashed = true;
	if (r->other != NONE) { /* arrives below the cut */
		c->x1 = x0 + span;
		c->y1 = lo->bottom;
		c->cls = "arrow cut";
		return;
	}
	if (!lo->truncated) { /* the run ended quietly: lost with a crashed host */
		c->dashed = false;
		c->lost = true;
		c->x1 = x0 + span * HOST_DOWN_AT;
		c->y1 = c->y0 + lost_dy(lo, r->role, c->y0, HOST_DOWN_AT);
		c->cls = r->rtx ? "arrow lost host rtx" : "arrow lost host";
		return;
	}
	c->x1 = x0 + span * LOST_AT; /* still in flight when the run stopped */
	c->y1 = c->y0 + lost_dy(lo, r->role, c->y0, LOST_AT);
	c->cls = "arrow vanished";
}

/* The label of a send: its own, its run's, or none (inside a run). */
static char *send_label(const struct layout *lo, uint32_t i)
{
	const struct rec *r = &lo->recs[i];
	if (lo->in_run[i] && r->other < lo->n) /* a run cut by the height limit: labelled */
		return NULL;
	if (lo->run_label[i])
		return g_strdup(lo->run_label[i]);
	char *label = label_of(lo, r);
	const char *suffix = NULL;
	char *owned = NULL;
	if (r->dropped && r->fault)
		suffix = owned = g_strdup_printf(" (dropped: [faults] %s)", r->fault);
	else if (lo->rx_drop[i])
		suffix = owned = g_strdup_printf(" (dropped by the receiver: %s)", lo->rx_drop[i]);
	else if (r->other == NONE && !r->dropped)
		suffix = lo->truncated ? " ?" : " (host down)";
	if (suffix) {
		char *q = g_strconcat(label, suffix, NULL);
		g_free(label);
		label = q;
	}
	g_free(owned);
	return label;
}

/* One send, its label near the sender, and a cross where it was lost. */
static void draw_send(struct layout *lo, uint32_t i)
{
	const struct rec *r = &lo->recs[i];
	const struct course *c = &lo->courses[i];
	const char *color = r->rtx ? C_RTX : C_INK;
	char *label = send_label(lo, i);
	group(lo->l, c->cls);
	line(lo->l, c->x0, c->y0, c->x1, c->y1, color, 1.3, c->dashed);
	if (!c->lost)
		arrowhead(lo->l, c->x0, c->y0, c->x1, c->y1, color);
	if (label)
		arrow_label(lo, i, c->x0, c->y0, c->x1, c->y1, color, label);
	end_group(lo->l);
	if (c->lost)
		cross(lo->l, c->x1, c->y1, lo->rx_drop[i] ? "cross receiver" : "cross");
	g_free(label);
}

/* A duplicate copy (dashed, from the same send), or an arrival that pairs
 * with no send (an ICMP error from a router): from the middle. */
static void draw_arrival(struct layout *lo, uint32_t i)
{
	const struct rec *r = &lo->recs[i];
	double x1 = x_of(r->role), y1 = lo->y[i];
	if (r->other != NONE && r->dup) {
		const struct rec *s = &lo->recs[r->other];
		double x0 = x_of(s->role), y0 = lo->y[r->other];
		const char *color = s->rtx ? C_RTX : C_INK;
		group(lo->l, "arrow dup");
		line(lo->l, x0, y0, x1, y1, color, 1.3, true);
		arrowhead(lo->l, x0, y0, x1, y1, color);
		arrow_label(lo, i, x1, y1, x0, y0, color, "duplicate");
		end_group(lo->l);
	} else if (r->other == NONE) {
		double x0 = (X_CLIENT + X_SERVER) / 2, y0 = y1 - 24;
		char *label = label_of(lo, r);
		group(lo->l, "arrow unpaired");
		line(lo->l, x0, y0, x1, y1, C_ICMP, 1.3, false);
		arrowhead(lo->l, x0, y0, x1, y1, C_ICMP);
		arrow_label(lo, i, x0, y0, x1, y1, C_ICMP, label);
		end_group(lo->l);
		g_free(label);
	}
}

static void draw_arrows(struct layout *lo)
{
	for (int r = 0; r < NET_ROLES; r++)
		lo->last_dy[r] = 30;
	for (uint32_t i = 0; i < lo->n; i++)
		if (lo->recs[i].kind == REC_SEND)
			send_course(lo, i);
	for (uint32_t i = 0; i < lo->n; i++) {
		if (lo->recs[i].kind == REC_SEND)
			draw_send(lo, i);
		else if (lo->recs[i].kind == REC_ARRIVE)
			draw_arrival(lo, i);
	}
}

/* What the marks mean, and where the drawing stops if it was cut. */
static void draw_footer(struct layout *lo, sim_time end_time)
{
	const struct tstyle st = {10, C_INK, false, false, DG_ANCHOR_START, 0};
	const struct tstyle note = {10, C_CALL, false, true, DG_ANCHOR_START, 0};
	double y = lo->bottom + 30, x = 12;
	group(lo->l, "legend");
	line(lo->l, x, y, x + 34, y, C_INK, 1.3, false);
	arrowhead(lo->l, x, y, x + 34, y, C_INK);
	text(lo->l, x + 42, y + 4, &st, "segment");
	line(lo->l, x + 120, y, x + 154, y, C_RTX, 1.3, false);
	arrowhead(lo->l, x + 120, y, x + 154, y, C_RTX);
	text(lo->l, x + 162, y + 4, &st, "retransmission");
	line(lo->l, x + 280, y, x + 314, y, C_INK, 1.3, true);
	arrowhead(lo->l, x + 280, y, x + 314, y, C_INK);
	text(lo->l, x + 322, y + 4, &st, "duplicate, or never arrived (?)");
	line(lo->l, x + 520, y - 5, x + 530, y + 5, C_CROSS, 2.2, false);
	line(lo->l, x + 520, y + 5, x + 530, y - 5, C_CROSS, 2.2, false);
	text(lo->l, x + 538, y + 4, &st, "lost (dropped, discarded on arrival, or host down)");
	line(lo->l, x + 890, y - 7, x + 890, y + 7, C_TIMER, 1.4, false);
	text(lo->l, x + 898, y + 4, &st, "timer (RTO, TLP, delayed ACK, keepalive, 2*MSL, ...)");
	end_group(lo->l);
	uint32_t total = lo->d->recs->len;
	if (lo->n < total || lo->d->unrecorded > 0) {
		sim_time stop = lo->n ? lo->recs[lo->n - 1].t : 0;
		char *s = g_strdup_printf("The diagram stops at %.6f s (%u of %llu events); the run "
		                          "ended at %.6f s.", sim_time_to_sec(stop), lo->n,
		                          (unsigned long long)total + lo->d->unrecorded,
		                          sim_time_to_sec(end_time));
		text(lo->l, x, y + 24, &note, s);
		g_free(s);
	}
	lo->l->height = ceil(y + 44);
}

static void clear_pass(struct layout *lo)
{
	for (guint i = 0; i < lo->brackets->len; i++)
		g_free(g_array_index(lo->brackets, struct bracket, i).label);
	g_array_set_size(lo->brackets, 0);
	g_array_set_size(lo->gaps, 0);
	g_array_set_size(lo->boxes, 0);
}

/* One pass: rows, then everything drawn from them into lo->l. */
static void draw_pass(struct layout *lo, sim_time end_time)
{
	assign_rows(lo);
	find_brackets(lo);
	draw_header(lo);
	draw_timelines(lo);
	draw_brackets(lo);
	draw_times(lo);
	draw_texts(lo);
	draw_arrows(lo);
	draw_footer(lo, end_time);
}

static int box_order(const void *a, const void *b)
{
	const struct box *x = a, *y = b;
	return x->ymin < y->ymin ? -1 : x->ymin > y->ymin;
}

/* Moves down the row of the later record of each pair of texts that
 * overlap; false when none do. */
static bool push_overlaps(struct layout *lo)
{
	GArray *boxes = lo->boxes;
	g_array_sort(boxes, box_order);
	bool *pushed = g_new0(bool, lo->n ? lo->n : 1);
	bool any = false;
	for (guint i = 0; i < boxes->len; i++) {
		const struct box *a = &g_array_index(boxes, struct box, i);
		for (guint j = i + 1; j < boxes->len; j++) {
			const struct box *b = &g_array_index(boxes, struct box, j);
			if (b->ymin >= a->ymax)
				break;
			if (a->owner == b->owner || !boxes_overlap(a, b))
				continue;
			uint32_t later = a->owner > b->owner ? a->owner : b->owner;
			if (later < lo->n && !pushed[later]) {
				pushed[later] = true;
				lo->extra[later] += PUSH;
				any = true;
			}
		}
	}
	g_free(pushed);
	return any;
}

/* --- the order of durations --- */

/* A stretch of the time axis a reader compares with others: a timer's
 * bracket, or a wait between events, from the last row of an instant to
 * the first of the next (rows at the same instant are stacked ROW apart,
 * whatever their number: that is not time). */
struct span {
	uint32_t from, to;       /* rows */
	sim_time length;
};

static int span_order(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	if (x->length != y->length)
		return x->length < y->length ? -1 : 1;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->to < y->to ? -1 : x->to > y->to;
}

/* The brackets and the waits between instants, by length. */
static GArray *spans_of(const struct layout *lo)
{
	GArray *spans = g_array_new(FALSE, FALSE, sizeof(struct span));
	for (guint k = 0; k < lo->brackets->len; k++) {
		const struct bracket *b = &g_array_index(lo->brackets, struct bracket, k);
		struct span s = {b->from, b->owner, lo->recs[b->owner].t - lo->recs[b->from].t};
		g_array_append_val(spans, s);
	}
	for (uint32_t i = 1; i < lo->n; i++) {
		struct span s = {i - 1, i, lo->recs[i].t - lo->recs[i - 1].t};
		if (s.length > 0)
			g_array_append_val(spans, s);
	}
	g_array_sort(spans, span_order);
	return spans;
}

/* The longest wait of span b outside span a (one exists when b is the
 * longer: b within a would be no longer than a): the row below it. */
static uint32_t row_to_raise(const struct layout *lo, const struct span *b, const struct span *a)
{
	uint32_t best = NONE;
	sim_time longest = -1;
	for (uint32_t k = b->from + 1; k <= b->to; k++) {
		if (k > a->from && k <= a->to)
			continue;
		sim_time dt = lo->recs[k].t - lo->recs[k - 1].t;
		if (dt > longest) {
			longest = dt;
			best = k;
		}
	}
	return best;
}

static double span_height(const struct span *s, const double *y)
{
	return y[s->to] - y[s->from];
}

/* The first span (by length) drawn shorter, by more than a hundredth of a
 * pixel, than the tallest of the strictly shorter ones, and that one;
 * false when there is none. */
static bool first_inversion(const GArray *spans, const double *y, const struct span **shorter,
                            const struct span **longer)
{
	const struct span *tallest = NULL;   /* of the lengths passed */
	const struct span *this_len = NULL;  /* the tallest of the current length */
	for (guint k = 0; k < spans->len; k++) {
		const struct span *s = &g_array_index(spans, struct span, k);
		if (k > 0 && s->length != s[-1].length) {
			if (!tallest || span_height(this_len, y) > span_height(tallest, y))
				tallest = this_len;
			this_len = NULL;
		}
		if (tallest && span_height(s, y) < span_height(tallest, y) - 0.01) {
			*shorter = tallest;
			*longer = s;
			return true;
		}
		if (!this_len || span_height(s, y) > span_height(this_len, y))
			this_len = s;
	}
	return false;
}

/* Keeps the order of durations (issue 19: "a longer wait is never drawn
 * shorter than a shorter one"): the rows moved apart for texts can make a
 * short wait tall, so each span drawn shorter than a shorter one gets the
 * difference added to its longest wait that the shorter one does not
 * hold, until none is.  Only ever adds room, so texts stay apart; true if
 * it moved a row. */
static bool keep_order(struct layout *lo)
{
	GArray *spans = spans_of(lo);
	double *y = g_memdup2(lo->y, sizeof(double) * (lo->n ? lo->n : 1));
	const struct span *a, *b;
	bool moved = false;
	for (int round = 0; round < MAX_RAISES && first_inversion(spans, y, &a, &b); round++) {
		uint32_t k = row_to_raise(lo, b, a);
		if (k == NONE)
			break;
		double add = span_height(a, y) - span_height(b, y);
		lo->extra[k] += add;
		for (uint32_t i = k; i < lo->n; i++)
			y[i] += add;
		moved = true;
	}
	g_free(y);
	g_array_unref(spans);
	return moved;
}

/* Lays the recorded run out into l: rows by time, then moved apart where
 * texts would overlap, until none do. */
static void layout(struct diagram *d, sim_time end_time, bool truncated, struct dg_list *l)
{
	uint32_t total = d->recs->len, size = total ? total : 1;
	struct layout lo = {.d = d, .l = l, .recs = (const struct rec *)(void *)d->recs->data,
	                    .truncated = truncated || d->unrecorded > 0};
	lo.gaps = g_array_new(FALSE, FALSE, sizeof(struct gap));
	lo.brackets = g_array_new(FALSE, FALSE, sizeof(struct bracket));
	lo.boxes = g_array_new(FALSE, FALSE, sizeof(struct box));
	lo.y = g_new0(double, size);
	lo.extra = g_new0(double, size);
	lo.courses = g_new0(struct course, size);
	lo.rx_drop = g_new0(const char *, size);
	lo.run_label = g_new0(char *, size);
	lo.in_run = g_new0(bool, size);
	l->width = WIDTH;
	assign_rows(&lo);
	find_rx_drops(&lo);
	find_runs(&lo);
	g_array_set_size(lo.gaps, 0);
	for (int pass = 0;; pass++) {
		draw_pass(&lo, end_time);
		if (pass == MAX_PUSHES)
			break;
		if (!push_overlaps(&lo) && !keep_order(&lo))
			break;
		clear_pass(&lo);
		dg_list_clear(l);
		dg_list_init(l);
		l->width = WIDTH;
	}
	clear_pass(&lo);
	for (uint32_t i = 0; i < size; i++)
		g_free(lo.run_label[i]);
	g_free(lo.run_label);
	g_free(lo.in_run);
	g_free(lo.rx_drop);
	g_free(lo.courses);
	g_free(lo.extra);
	g_array_unref(lo.boxes);
	g_array_unref(lo.brackets);
	g_array_unref(lo.gaps);
	g_free(lo.y);
}

/* --- output --- */

bool diagram_png_available(void)
{
#ifdef TCPSIM_HAVE_CAIRO
	return true;
#else
	return false;
#endif
}

bool diagram_format_of(const char *path, enum diagram_format *format, GError **error)
{
	char *lower = g_ascii_strdown(path, -1);
	bool ok = true;
	if (g_str_has_suffix(lower, ".svg")) {
		*format = DIAGRAM_SVG;
	} else if (g_str_has_suffix(lower, ".png") && diagram_png_available()) {
		*format = DIAGRAM_PNG;
	} else if (g_str_has_suffix(lower, ".png")) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "--diagram %s: this tcpsim was built without cairo and writes SVG only "
		            "(install libcairo2-dev and rebuild, or use a .svg name)", path);
		ok = false;
	} else {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "--diagram %s: the file name must end in .svg or .png", path);
		ok = false;
	}
	g_free(lower);
	return ok;
}

bool dg_list_write_out(struct dg_list *l, bool png, struct outfile *of, GError **error)
{
	bool ok = true;
	if (png)
		ok = diagram_png_write(l, outfile_stream(of), error);
	else
		diagram_svg_write(l, outfile_stream(of));
	dg_list_clear(l);
	if (!ok) {
		outfile_abandon(of);
		return false;
	}
	return outfile_commit(of, error);
}

bool diagram_write(struct diagram *d, sim_time end_time, bool truncated, GError **error)
{
	struct dg_list l;
	dg_list_init(&l);
	layout(d, end_time, truncated, &l);
	struct outfile *of = d->of;
	d->of = NULL;
	return dg_list_write_out(&l, d->format == DIAGRAM_PNG, of, error);
}

/* --- the diagram as a sink of the run (sink.h) --- */

struct diagram_sink {
	struct diagram *d;
	char *path;
	struct sink_report *report;
};

static void sink_packet(void *self, const struct net_packet_event *e)
{
	diagram_packet(((struct diagram_sink *)self)->d, e);
}

static void sink_state(void *self, const struct net_state_event *e)
{
	diagram_state(((struct diagram_sink *)self)->d, e);
}

static void sink_call(void *self, const struct net_call_event *e)
{
	diagram_call(((struct diagram_sink *)self)->d, e);
}

static void sink_abandon(void *self)
{
	struct diagram_sink *s = self;
	diagram_free(s->d);
	g_free(s->path);
	g_free(s);
}

static bool sink_commit(void *self, const struct sink_end *end, GError **error)
{
	struct diagram_sink *s = self;
	bool ok = diagram_write(s->d, end->end_time, end->truncated, error);
	if (ok)
		s->report->diagram_path = g_steal_pointer(&s->path);
	sink_abandon(s);
	return ok;
}

static const struct sink_ops diagram_sink = {
	.packet = sink_packet,
	.state = sink_state,
	.call = sink_call,
	.commit = sink_commit,
	.abandon = sink_abandon,
};

bool diagram_sink_open(const struct sink_args *a, struct sink *out, GError **error)
{
	out->ops = NULL;
	if (!a->diagram_path)
		return true;
	struct diagram_info info = {.title = a->cfg->path, .seed = a->cfg->seed};
	info.endpoint[NET_CLIENT] = sink_endpoint_text(&a->cfg->client);
	info.endpoint[NET_SERVER] = sink_endpoint_text(&a->cfg->server);
	struct diagram *d = diagram_new(&info, a->diagram_path, error);
	g_free(info.endpoint[NET_CLIENT]);
	g_free(info.endpoint[NET_SERVER]);
	if (!d)
		return false;
	struct diagram_sink *s = g_new0(struct diagram_sink, 1);
	s->d = d;
	s->path = g_strdup(a->diagram_path);
	s->report = a->report;
	out->ops = &diagram_sink;
	out->self = s;
	return true;
}
