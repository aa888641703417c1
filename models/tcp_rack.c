/*
 * RACK loss detection (RFC 8985 §6.2) over the records of what was sent:
 * Linux's net/ipv4/tcp_recovery.c (tcp_rack_advance(),
 * tcp_rack_reo_wnd(), tcp_rack_detect_loss()).  See models/tcp_rack.h.
 */
#include <string.h>
#include <glib.h>
#include "models/tcp_rack.h"
#include "models/seq.h"

enum { RACK_DUP_THRESH = 3 }; /* tp->reordering's initial value (tcp_reordering = 3) */

void rack_init(struct rack *r, uint32_t snd_una)
{
	r->head = r->n = 0;
	r->xmit_ts = -1;
	r->end_seq = snd_una;
	r->rtt = 0;
	r->advanced = false;
	r->lost_end = snd_una;
	r->reo_wnd_steps = 1;
	r->reo_wnd_persist = 0;
	r->dsack_seen = false;
	r->reo_adjusted = -1;
}

void rack_free(struct rack *r)
{
	g_free(r->s);
	*r = (struct rack){.xmit_ts = -1};
}

void rack_release(struct rack *r)
{
	if (r->cap > 64)
		rack_free(r);
	r->head = r->n = 0;
}

/* The live records: live(r)[0] holds SND.UNA.  Valid until a record is
 * added (make_room() may move them). */
static struct rack_seg *live(struct rack *r)
{
	return r->s ? r->s + r->head : NULL; /* no array yet: nothing live */
}

/* No room after the live records (head + n == cap): slide them to the
 * front when acknowledged records freed a quarter of the array or more
 * there (each record is then moved a bounded number of times on
 * average), else the array doubles. */
static void make_room(struct rack *r)
{
	if (r->head > 0 && r->head >= r->cap / 4) {
		memmove(r->s, live(r), r->n * sizeof *r->s);
		r->head = 0;
		return;
	}
	r->cap = r->cap ? 2 * r->cap : 16;
	r->s = g_renew(struct rack_seg, r->s, r->cap);
}

/* Inserts seg as the i-th live record. */
static void seg_insert(struct rack *r, uint32_t i, struct rack_seg seg)
{
	if (r->head + r->n == r->cap)
		make_room(r);
	struct rack_seg *s = live(r);
	memmove(s + i + 1, s + i, (r->n - i) * sizeof *s);
	s[i] = seg;
	r->n++;
}

/* Splits the record holding seq so that one starts there. */
static void seg_split(struct rack *r, uint32_t seq)
{
	for (uint32_t i = 0; i < r->n; i++) {
		struct rack_seg *g = &live(r)[i];
		if (seq_lt(g->start, seq) && seq_lt(seq, g->end)) {
			struct rack_seg tail = *g;
			tail.start = seq;
			g->end = seq;
			seg_insert(r, i + 1, tail);
			return;
		}
	}
}

/* [seq, end), all below the last record's end, was sent again at now:
 * the records it covers, split at its edges, are restamped. */
G_GNUC_NO_INLINE /* rare: keeps rack_sent()'s common path short */
static void sent_again(struct rack *r, uint32_t seq, uint32_t end, sim_time now)
{
	seg_split(r, seq);
	seg_split(r, end);
	struct rack_seg *s = live(r);
	for (uint32_t i = 0; i < r->n; i++)
		if (seq_ge(s[i].start, seq) && seq_le(s[i].end, end)) {
			s[i].xmit = now;
			s[i].retrans = true;
		}
}

void rack_sent(struct rack *r, uint32_t seq, uint32_t end, sim_time now)
{
	uint32_t top = r->n ? r->s[r->head + r->n - 1].end : seq;
	if (seq_lt(seq, top)) { /* sent again: the records it covers */
		uint32_t again_end = seq_lt(end, top) ? end : top;
		sent_again(r, seq, again_end, now);
		seq = again_end;
	}
	if (!seq_lt(seq, end))
		return;
	if (r->head + r->n == r->cap) /* new data: a record at the end */
		make_room(r);
	r->s[r->head + r->n++] = (struct rack_seg){seq, end, now, false, false};
}

/* tcp_skb_sent_after(): t1 later, or as late and ending higher. */
static bool sent_after(sim_time t1, sim_time t2, uint32_t seq1, uint32_t seq2)
{
	return t1 > t2 || (t1 == t2 && seq_gt(seq1, seq2));
}

/* tcp_rack_advance(): RACK follows the most recently sent segment
 * delivered; a retransmission delivered sooner than min_rtt after it
 * left was the original's delivery, which says nothing of its time. */
static void advance(struct rack *r, const struct rack_seg *g, uint32_t prior_high, sim_time now)
{
	sim_time rtt = now - g->xmit;
	if (g->retrans && rtt < r->min_rtt)
		return;
	if (!g->retrans) {
		if (r->min_rtt == 0 || rtt < r->min_rtt) /* tcp_update_rtt_min() */
			r->min_rtt = rtt > 0 ? rtt : 1;
		if (seq_lt(g->start, prior_high)) /* tcp_check_sack_reordering() */
			r->reord = true;
	}
	r->advanced = true;
	r->rtt = rtt;
	if (r->xmit_ts < 0 || sent_after(g->xmit, r->xmit_ts, g->end, r->end_seq)) {
		r->xmit_ts = g->xmit;
		r->end_seq = g->end;
	}
}

void rack_sacked(struct rack *r, const struct sack_board *b, uint32_t prior_high, sim_time now)
{
	if (b->n == 0)
		return;
	struct rack_seg *s = live(r);
	for (uint32_t i = 0; i < r->n; i++) {
		struct rack_seg *g = &s[i];
		if (g->delivered || sack_board_holes(b, g->start, g->end) != 0)
			continue;
		g->delivered = true;
		advance(r, g, prior_high, now);
	}
}

void rack_acked(struct rack *r, uint32_t snd_una, uint32_t prior_high, sim_time now)
{
	struct rack_seg *s = live(r);
	uint32_t gone = 0;
	while (gone < r->n && seq_le(s[gone].end, snd_una)) {
		if (!s[gone].delivered)
			advance(r, &s[gone], prior_high, now);
		gone++;
	}
	r->head += gone; /* the records below SND.UNA go: O(1), no shift */
	r->n -= gone;
	if (r->n == 0)
		r->head = 0;
	s = live(r);
	if (r->n > 0 && seq_lt(s[0].start, snd_una))
		s[0].start = snd_una; /* partly acknowledged: the rest stays */
	if (seq_lt(r->lost_end, snd_una))
		r->lost_end = snd_una;
}

sim_time rack_reo_wnd(const struct rack *r, bool recovering, uint32_t sacked_segs, sim_time srtt)
{
	/* with no reordering seen, be aggressive in recovery, or when
	 * entering it by the duplicate threshold */
	if (!r->reord && (recovering || sacked_segs >= RACK_DUP_THRESH))
		return 0;
	/* reo_wnd_steps * min_rtt / 4, at most SRTT; with no min_rtt
	 * (tcp_min_rtt() is ~0U) SRTT */
	sim_time wnd = r->min_rtt > 0 ? r->min_rtt / 4 * r->reo_wnd_steps : srtt;
	return wnd < srtt ? wnd : srtt;
}

sim_time rack_detect_loss(struct rack *r, uint32_t snd_una, sim_time now, sim_time reo_wnd)
{
	sim_time wait = 0;
	if (seq_lt(r->lost_end, snd_una))
		r->lost_end = snd_una;
	if (r->xmit_ts < 0)
		return 0;
	const struct rack_seg *s = live(r);
	for (uint32_t i = 0; i < r->n; i++) {
		const struct rack_seg *g = &s[i];
		/* delivered; or lost and not yet resent; or resent (lost
		 * again is not modelled) */
		if (g->delivered || g->retrans || seq_le(g->end, r->lost_end))
			continue;
		if (!sent_after(r->xmit_ts, g->xmit, r->end_seq, g->end))
			break; /* originals leave in order: none later was sent before */
		/* tcp_rack_skb_timeout(): lost when not delivered RACK.rtt +
		 * reo_wnd after it left */
		sim_time remaining = r->rtt + reo_wnd - (now - g->xmit);
		if (remaining <= 0)
			r->lost_end = g->end;
		else if (remaining > wait)
			wait = remaining;
	}
	return wait;
}

bool rack_is_dsack(const struct tcp_opts *o, uint32_t ack)
{
	if (!(o->present & TCP_OPT_SACK) || o->sack_n == 0)
		return false;
	const struct tcp_sack_block *b = o->sack;
	if (seq_lt(b[0].start, ack))
		return true;
	return o->sack_n > 1 && seq_ge(b[0].start, b[1].start) && seq_le(b[0].end, b[1].end);
}

enum { RACK_RECOVERY_THRESH = 16 }; /* TCP_RACK_RECOVERY_THRESH */

void rack_update_reo_wnd(struct rack *r, sim_time now, sim_time srtt)
{
	/* disregard a D-SACK within a round trip of the last step */
	if (r->dsack_seen && r->reo_adjusted >= 0 && now - r->reo_adjusted < srtt)
		r->dsack_seen = false;
	if (r->dsack_seen) {
		if (r->reo_wnd_steps < 255)
			r->reo_wnd_steps++;
		r->dsack_seen = false;
		r->reo_adjusted = now;
		r->reo_wnd_persist = RACK_RECOVERY_THRESH;
	} else if (r->reo_wnd_persist == 0) {
		r->reo_wnd_steps = 1;
	}
}

void rack_recovery_ended(struct rack *r)
{
	if (r->reo_wnd_persist > 0)
		r->reo_wnd_persist--;
}
