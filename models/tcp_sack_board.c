/*
 * The sender's SACK scoreboard and the rate of sending during recovery:
 * RFC 6675 (IsLost, SetPipe, NextSeg's first rule) over byte ranges, as
 * Linux keeps its counts (tcp_sacktag_write_queue(): sacked_out;
 * tcp_mark_head_lost(): lost_out; retrans_out; tcp_packets_in_flight()),
 * and PRR (RFC 6937; Linux tcp_cwnd_reduction()).
 *
 * Model.  r[] holds the SACKed ranges above SND.UNA, sorted, disjoint and
 * never touching (two that touch are one).  The holes between them, and
 * between SND.UNA and the first, are what the receiver misses.  A hole
 * is lost (IsLost) when more than (DupThresh - 1) * SMSS bytes, or
 * DupThresh segments, are SACKed above it; retransmission goes through
 * the holes in order, so HighRxt alone says which hole bytes went out
 * again.
 */
#include <glib.h>
#include "models/tcp_sack.h"
#include "models/seq.h"

enum { SACK_DUP_THRESH = 3 }; /* RFC 6675 DupThresh, Linux's initial tp->reordering */

static void board_insert(struct sack_board *b, uint32_t i, struct tcp_sack_block blk)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 8;
		b->r = g_renew(struct tcp_sack_block, b->r, b->cap);
	}
	for (uint32_t k = b->n; k > i; k--)
		b->r[k] = b->r[k - 1];
	b->r[i] = blk;
	b->n++;
}

static void board_erase(struct sack_board *b, uint32_t i)
{
	for (uint32_t k = i + 1; k < b->n; k++)
		b->r[k - 1] = b->r[k];
	b->n--;
}

/* Adds [s, e) to the ranges, merging what it touches; returns the bytes
 * it added that were not SACKed before. */
static uint32_t board_add(struct sack_board *b, uint32_t s, uint32_t e)
{
	uint32_t i = 0;
	while (i < b->n && seq_lt(b->r[i].end, s))
		i++;
	uint32_t before = 0, start = s, end = e;
	while (i < b->n && seq_le(b->r[i].start, end)) { /* overlaps or touches */
		before += b->r[i].end - b->r[i].start;
		start = seq_lt(b->r[i].start, start) ? b->r[i].start : start;
		end = seq_gt(b->r[i].end, end) ? b->r[i].end : end;
		board_erase(b, i);
	}
	board_insert(b, i, (struct tcp_sack_block){start, end});
	uint32_t added = (end - start) - before;
	b->sacked += added;
	return added;
}

uint32_t sack_board_update(struct sack_board *b, uint32_t snd_una, uint32_t snd_max,
                           const struct tcp_opts *o)
{
	uint32_t added = 0;
	if (!(o->present & TCP_OPT_SACK))
		return 0;
	for (uint32_t i = 0; i < o->sack_n; i++) {
		uint32_t s = o->sack[i].start, e = o->sack[i].end;
		/* RFC 2883 §4: a D-SACK, or a block we cannot have sent
		 * (tcp_is_sackblock_valid()), teaches nothing here */
		if (!seq_lt(s, e) || seq_gt(e, snd_max) || !seq_gt(e, snd_una))
			continue;
		if (seq_lt(s, snd_una))
			s = snd_una;
		added += board_add(b, s, e);
	}
	return added;
}

uint32_t sack_board_ack(struct sack_board *b, uint32_t snd_una)
{
	uint32_t dropped = 0;
	while (b->n > 0 && !seq_gt(b->r[0].end, snd_una)) {
		dropped += b->r[0].end - b->r[0].start;
		board_erase(b, 0);
	}
	if (b->n > 0 && seq_lt(b->r[0].start, snd_una)) {
		dropped += snd_una - b->r[0].start;
		b->r[0].start = snd_una;
	}
	b->sacked -= dropped;
	return dropped;
}

void sack_board_clear(struct sack_board *b)
{
	b->n = 0;
	b->sacked = 0;
}

void sack_board_free(struct sack_board *b)
{
	g_free(b->r);
	*b = (struct sack_board){0};
}

void sack_board_release(struct sack_board *b)
{
	if (b->cap > 64)
		sack_board_free(b);
	sack_board_clear(b); /* no range, nothing SACKed: as after free */
}

/* Segments of mss bytes a range counts for (a short one counts whole). */
static uint32_t segs(uint32_t bytes, uint32_t mss)
{
	return (bytes + mss - 1) / mss;
}

uint32_t sack_board_lost_end(const struct sack_board *b, uint32_t snd_una, uint32_t mss)
{
	uint32_t bytes = 0, count = 0;
	for (uint32_t i = b->n; i > 0; i--) { /* from the top: what is SACKed above each hole */
		const struct tcp_sack_block *r = &b->r[i - 1];
		bytes += r->end - r->start;
		count += segs(r->end - r->start, mss);
		if (bytes > (SACK_DUP_THRESH - 1) * mss || count >= SACK_DUP_THRESH)
			return r->start; /* the holes below this range are lost */
	}
	return snd_una;
}

uint32_t sack_board_holes(const struct sack_board *b, uint32_t from, uint32_t to)
{
	if (!seq_lt(from, to))
		return 0;
	uint32_t holes = to - from;
	for (uint32_t i = 0; i < b->n; i++) {
		uint32_t s = seq_gt(b->r[i].start, from) ? b->r[i].start : from;
		uint32_t e = seq_lt(b->r[i].end, to) ? b->r[i].end : to;
		if (seq_lt(s, e))
			holes -= e - s;
	}
	return holes;
}

uint32_t sack_board_next_hole(const struct sack_board *b, uint32_t seq, uint32_t *hole_end)
{
	for (uint32_t i = 0; i < b->n; i++) {
		if (seq_lt(seq, b->r[i].start)) {
			*hole_end = b->r[i].start;
			return seq;
		}
		if (seq_lt(seq, b->r[i].end))
			seq = b->r[i].end; /* inside a range: the hole after it */
	}
	*hole_end = seq; /* above every range: no hole known */
	return seq;
}

uint32_t sack_pipe(const struct sack_board *b, uint32_t snd_una, uint32_t snd_max,
                   uint32_t lost_end, uint32_t high_rxt)
{
	uint32_t out = snd_max - snd_una;
	uint32_t lost = sack_board_holes(b, snd_una, lost_end);
	uint32_t rxt = sack_board_holes(b, snd_una, seq_lt(high_rxt, snd_una) ? snd_una : high_rxt);
	return out - b->sacked - lost + rxt;
}

void prr_start(struct prr *p, uint32_t ssthresh, uint32_t recover_fs)
{
	*p = (struct prr){.ssthresh = ssthresh, .recover_fs = recover_fs ? recover_fs : 1};
}

uint32_t prr_sndcnt(struct prr *p, uint32_t delivered, uint32_t pipe, uint32_t mss,
                    bool una_advanced, bool newly_lost)
{
	int64_t sndcnt = 0;
	if (delivered == 0)
		return 0;
	p->delivered += delivered;
	if (pipe > p->ssthresh) { /* proportional: ssthresh / RecoverFS of what was delivered,
	                             rounded up to whole segments as Linux counts them */
		uint64_t scaled = (uint64_t)p->ssthresh * p->delivered, unit = (uint64_t)p->recover_fs * mss;
		uint64_t due = (scaled + unit - 1) / unit * mss;
		sndcnt = (int64_t)due - p->out;
	} else { /* slow start reduction bound (PRR-SSRB) up to ssthresh */
		int64_t limit = (int64_t)p->delivered - p->out;
		if (limit < (int64_t)delivered)
			limit = delivered;
		if (una_advanced && !newly_lost)
			limit += mss;
		int64_t room = (int64_t)p->ssthresh - pipe;
		sndcnt = room < limit ? room : limit;
	}
	if (sndcnt < (p->out ? 0 : (int64_t)mss)) /* the fast retransmit goes, whatever */
		sndcnt = p->out ? 0 : mss;
	return (uint32_t)sndcnt;
}
