/*
 * Recording the time-sequence graph from the observer's events: the
 * SYNs of every flow until one carries data, then both directions of that
 * flow (see seqgraph_int.h for what is kept, and why it is bounded).
 */
#include <string.h>
#include "sim/out/seqgraph/seqgraph_int.h"

#define SG_FIRST_WIDTH 1000 /* ns: the buckets' width at the start (1 us) */

void sg_dir_init(struct sg_dir *d)
{
	memset(d, 0, sizeof *d);
	d->segs = g_array_new(FALSE, FALSE, sizeof(struct sg_seg));
	d->sacks = g_array_new(FALSE, FALSE, sizeof(struct sg_sack));
	d->width = SG_FIRST_WIDTH;
	d->b = g_new0(struct sg_bucket, SEQGRAPH_BUCKETS);
}

void sg_dir_clear(struct sg_dir *d)
{
	if (d->segs)
		g_array_unref(d->segs);
	if (d->sacks)
		g_array_unref(d->sacks);
	g_free(d->b);
	memset(d, 0, sizeof *d);
}

static void span_put(struct sg_span *s, double v)
{
	if (!s->has) {
		*s = (struct sg_span){.first = v, .min = v, .max = v, .has = true};
	}
	s->min = v < s->min ? v : s->min;
	s->max = v > s->max ? v : s->max;
	s->last = v;
}

/* b after a: one span of both. */
static void span_merge(struct sg_span *a, const struct sg_span *b)
{
	if (!b->has)
		return;
	if (!a->has) {
		*a = *b;
		return;
	}
	a->min = b->min < a->min ? b->min : a->min;
	a->max = b->max > a->max ? b->max : a->max;
	a->last = b->last;
}

/* Twice as wide buckets: pairs merged into the first half. */
static void fold(struct sg_dir *d)
{
	for (size_t i = 0; i < SEQGRAPH_BUCKETS / 2; i++) {
		struct sg_bucket m = d->b[2 * i];
		for (int s = 0; s < SG_SERIES; s++)
			span_merge(&m.s[s], &d->b[2 * i + 1].s[s]);
		d->b[i] = m;
	}
	memset(&d->b[SEQGRAPH_BUCKETS / 2], 0, SEQGRAPH_BUCKETS / 2 * sizeof *d->b);
	d->width *= 2;
}

static void put(struct sg_dir *d, sim_time t, enum sg_series s, double v)
{
	if (t < 0)
		t = 0;
	while (t >= d->width * SEQGRAPH_BUCKETS)
		fold(d);
	span_put(&d->b[t / d->width].s[s], v);
	if (!d->any || t < d->t_first)
		d->t_first = t;
	if (!d->any || t > d->t_last)
		d->t_last = t;
	d->any = true;
}

/* seq - iss, unwrapped past 4 GiB from the highest number seen so far. */
static double relative(struct sg_dir *d, uint32_t iss, uint32_t seq)
{
	uint32_t r32 = seq - iss;
	int64_t v = d->ref + (int32_t)(r32 - (uint32_t)d->ref);
	if (v > d->ref)
		d->ref = v;
	return v < 0 ? 0 : (double)v;
}

/* A data segment leaving role r's interface. */
static void record_segment(struct seqgraph *g, enum net_role r, const struct net_packet_event *e)
{
	struct sg_dir *d = &g->dir[r];
	const struct tcp_seg *s = &e->pv->tcp;
	double lo = relative(d, g->syn.iss[r], s->seq), hi = lo + s->len;
	bool dropped = e->fate != LINK_DELIVER || e->corrupted;
	struct sg_seg rec = {.t = e->t, .lo = lo, .hi = hi, .rtx = e->retransmission, .dropped = dropped};
	if (d->segs->len < SEQGRAPH_EXACT_SEGMENTS)
		g_array_append_val(d->segs, rec);
	d->n_segs++;
	d->n_rtx += rec.rtx;
	d->n_drops += dropped;
	if (!rec.rtx)
		d->bytes_new += s->len;
	put(d, e->t, rec.rtx ? SG_RTX : SG_NEW, lo);
	put(d, e->t, rec.rtx ? SG_RTX : SG_NEW, hi);
	if (dropped)
		put(d, e->t, SG_DROP, hi);
	d->data_max = hi > d->data_max ? hi : d->data_max;
}

/* The SACK blocks (RFC 2018) of an ACK arriving at role r: each block
 * [left, right) as a bar at the ACK's time, as tcptrace draws them; a
 * D-SACK (RFC 2883) too, below the ACK. */
static void seqgraph_sacked_blocks(struct seqgraph *g, enum net_role r, const struct net_packet_event *e)
{
	struct sg_dir *d = &g->dir[r];
	const struct tcp_seg *s = &e->pv->tcp;
	if (!(s->opt.present & TCP_OPT_SACK))
		return;
	for (uint32_t i = 0; i < s->opt.sack_n; i++) {
		struct sg_sack b = {.t = e->t, .lo = relative(d, g->syn.iss[r], s->opt.sack[i].start),
		                    .hi = relative(d, g->syn.iss[r], s->opt.sack[i].end)};
		if (d->sacks->len < SEQGRAPH_EXACT_SACKS)
			g_array_append_val(d->sacks, b);
		d->n_sacks++;
		put(d, e->t, SG_SACK, b.lo);
		put(d, e->t, SG_SACK, b.hi);
	}
}

/* An ACK arriving at role r, the data's sender, from its peer. */
static void record_ack(struct seqgraph *g, enum net_role r, const struct net_packet_event *e)
{
	struct sg_dir *d = &g->dir[r];
	const struct tcp_seg *s = &e->pv->tcp;
	enum net_role peer = r == NET_CLIENT ? NET_SERVER : NET_CLIENT;
	double ack = relative(d, g->syn.iss[r], s->ack);
	/* RFC 7323 section 2.2: the window of a SYN is never scaled */
	bool scaled = g->syn.wscale[r] >= 0 && g->syn.wscale[peer] >= 0 && !(s->flags & TCP_SYN);
	double win = ack + (double)((uint64_t)s->wnd << (scaled ? g->syn.wscale[peer] : 0));
	put(d, e->t, SG_ACK, ack);
	put(d, e->t, SG_WIN, win);
	d->ack_max = ack > d->ack_max ? ack : d->ack_max;
	d->win_max = win > d->win_max ? win : d->win_max;
	d->last_ack_t = e->t;
	d->last_ack = ack;
	seqgraph_sacked_blocks(g, r, e);
}

/* What is known of a flow not chosen yet (made on its first event). */
static struct sg_syn *syn_of(struct seqgraph *g, uint64_t flow_id)
{
	struct sg_syn *syn = g_hash_table_lookup(g->syns, &flow_id);
	if (!syn) {
		syn = g_new0(struct sg_syn, 1);
		syn->wscale[NET_CLIENT] = syn->wscale[NET_SERVER] = -1;
		uint64_t *key = g_new(uint64_t, 1);
		*key = flow_id;
		g_hash_table_insert(g->syns, key, syn);
	}
	return syn;
}

static void note_syn(struct seqgraph *g, const struct net_packet_event *e)
{
	struct sg_syn *syn = syn_of(g, e->flow_id);
	const struct tcp_seg *s = &e->pv->tcp;
	syn->seen[e->at] = true;
	syn->iss[e->at] = s->seq;
	syn->wscale[e->at] = s->opt.present & TCP_OPT_WSCALE ? s->opt.wscale : -1;
}

/* The sender's state after an ACK, for the panel. */
static void record_cc(struct seqgraph *g, const struct net_ack_event *e)
{
	struct sg_dir *d = &g->dir[e->role];
	d->mss = e->mss;
	put(d, e->t, SG_CWND, (double)e->cwnd / e->mss);
	if (e->ssthresh != UINT32_MAX)
		put(d, e->t, SG_SSTHRESH, (double)e->ssthresh / e->mss);
	if (e->srtt)
		put(d, e->t, SG_SRTT, sim_time_to_sec(e->srtt) * 1e3);
	put(d, e->t, SG_RTO, sim_time_to_sec(e->rto) * 1e3);
}

/* The first data of any flow chooses it; its ISNs are its SYNs' (or, had
 * none been seen, the first sequence number less one). */
static void choose(struct seqgraph *g, const struct net_packet_event *e)
{
	struct sg_syn *syn = g_hash_table_lookup(g->syns, &e->flow_id);
	if (syn)
		g->syn = *syn;
	for (int r = 0; r < NET_ROLES; r++)
		if (!g->syn.seen[r])
			g->syn.wscale[r] = -1;
	if (!g->syn.seen[e->at]) {
		g->syn.iss[e->at] = e->pv->tcp.seq - 1;
		g->syn.seen[e->at] = true;
	}
	g->flow = e->flow_id;
	for (int r = 0; r < NET_ROLES; r++)
		if (g->syn.acked[r])
			record_cc(g, &g->syn.ack[r]);
	g_hash_table_remove_all(g->syns);
}

void seqgraph_packet(struct seqgraph *g, const struct net_packet_event *e)
{
	if (e->pv->kind != PACKET_TCP || e->flow_id == 0)
		return;
	const struct tcp_seg *s = &e->pv->tcp;
	if (g->flow == 0) {
		if (e->outgoing && (s->flags & TCP_SYN))
			note_syn(g, e);
		if (e->outgoing && s->len > 0 && !(s->flags & TCP_SYN))
			choose(g, e);
	}
	if (e->flow_id != g->flow)
		return;
	if (e->outgoing && s->len > 0)
		record_segment(g, e->at, e);
	else if (!e->outgoing && (s->flags & TCP_ACK) && !e->pv->corrupt_bit &&
	         g->syn.seen[e->at])
		record_ack(g, e->at, e);
}

void seqgraph_ack(struct seqgraph *g, const struct net_ack_event *e)
{
	if (e->flow_id == 0 || e->mss == 0)
		return;
	if (g->flow == 0) { /* kept until the flow's first data, if any */
		struct sg_syn *syn = syn_of(g, e->flow_id);
		syn->acked[e->role] = true;
		syn->ack[e->role] = *e;
	} else if (e->flow_id == g->flow) {
		record_cc(g, e);
	}
}

void seqgraph_flow_gone(struct seqgraph *g, uint64_t flow_id)
{
	if (g->flow == 0)
		g_hash_table_remove(g->syns, &flow_id);
}

enum net_role sg_pick(const struct seqgraph *g)
{
	if (g->sender >= 0)
		return (enum net_role)g->sender;
	return g->dir[NET_SERVER].bytes_new > g->dir[NET_CLIENT].bytes_new ? NET_SERVER : NET_CLIENT;
}
