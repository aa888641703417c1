/*
 * The receiver's SACK blocks, as Linux builds them (net/ipv4/tcp_input.c:
 * tcp_sack_extend(), tcp_sack_maybe_coalesce(), tcp_sack_new_ofo_skb(),
 * tcp_sack_remove(), tcp_dsack_set(), tcp_dsack_extend(); the option
 * space from net/ipv4/tcp_output.c tcp_established_options()).
 */
#include "models/tcp_sack.h"
#include "models/seq.h"

enum {
	MAX_OPTION_SPACE = 40,   /* MAX_TCP_OPTION_SPACE */
	SACK_BASE_ALIGNED = 4,   /* TCPOLEN_SACK_BASE_ALIGNED: nop,nop,5,len */
	SACK_PER_BLOCK = 8,      /* TCPOLEN_SACK_PERBLOCK */
};

/* tcp_sack_extend(): grows b by [seq, end) when they overlap or touch. */
static bool extend(struct tcp_sack_block *b, uint32_t seq, uint32_t end)
{
	if (seq_gt(seq, b->end) || seq_gt(b->start, end))
		return false;
	if (seq_lt(seq, b->start))
		b->start = seq;
	if (seq_gt(end, b->end))
		b->end = end;
	return true;
}

static void drop_block(struct sack_rcv *r, uint32_t i)
{
	for (uint32_t k = i + 1; k < r->n; k++)
		r->blocks[k - 1] = r->blocks[k];
	r->n--;
}

/* tcp_sack_maybe_coalesce(): the first block, just grown, swallows the
 * blocks it now reaches. */
static void coalesce_first(struct sack_rcv *r)
{
	for (uint32_t i = 1; i < r->n;) {
		if (extend(&r->blocks[0], r->blocks[i].start, r->blocks[i].end))
			drop_block(r, i);
		else
			i++;
	}
}

void sack_rcv_new_ofo(struct sack_rcv *r, uint32_t seq, uint32_t end, bool first)
{
	if (first)
		r->n = 0;
	for (uint32_t i = 0; i < r->n; i++) {
		if (!extend(&r->blocks[i], seq, end))
			continue;
		struct tcp_sack_block b = r->blocks[i]; /* rotate it to the front */
		for (; i > 0; i--)
			r->blocks[i] = r->blocks[i - 1];
		r->blocks[0] = b;
		coalesce_first(r);
		return;
	}
	if (r->n == TCP_SACK_MAX_BLOCKS) /* full: the oldest is forgotten */
		r->n--;
	for (uint32_t i = r->n; i > 0; i--)
		r->blocks[i] = r->blocks[i - 1];
	r->blocks[0] = (struct tcp_sack_block){seq, end};
	r->n++;
}

void sack_rcv_remove(struct sack_rcv *r, uint32_t rcv_nxt, bool ofo_empty)
{
	if (ofo_empty) {
		r->n = 0;
		return;
	}
	for (uint32_t i = 0; i < r->n;) {
		if (!seq_lt(rcv_nxt, r->blocks[i].start)) /* RCV.NXT covers it */
			drop_block(r, i);
		else
			i++;
	}
}

void sack_rcv_dsack_set(struct sack_rcv *r, uint32_t seq, uint32_t end)
{
	r->dsack = true;
	r->dup = (struct tcp_sack_block){seq, end};
}

void sack_rcv_dsack_extend(struct sack_rcv *r, uint32_t seq, uint32_t end)
{
	if (!r->dsack)
		sack_rcv_dsack_set(r, seq, end);
	else
		extend(&r->dup, seq, end);
}

/* How many blocks a segment can carry beside options of `used` bytes. */
static uint32_t blocks_fitting(const struct sack_rcv *r, uint32_t used)
{
	uint32_t want = r->n + (r->dsack ? 1u : 0u);
	uint32_t room = used < MAX_OPTION_SPACE ? MAX_OPTION_SPACE - used : 0;
	if (want == 0 || room < SACK_BASE_ALIGNED + SACK_PER_BLOCK)
		return 0;
	uint32_t fit = (room - SACK_BASE_ALIGNED) / SACK_PER_BLOCK;
	return want < fit ? want : fit;
}

uint32_t sack_rcv_blocks_bytes(const struct sack_rcv *r, uint32_t used)
{
	uint32_t n = blocks_fitting(r, used);
	return n ? SACK_BASE_ALIGNED + SACK_PER_BLOCK * n : 0;
}

uint8_t sack_rcv_fill_blocks(struct sack_rcv *r, struct tcp_opts *o)
{
	o->present &= (uint8_t)~TCP_OPT_SACK;
	o->sack_n = 0;
	uint32_t n = blocks_fitting(r, tcp_opts_len(o));
	if (n == 0)
		return 0;
	for (uint32_t i = 0, k = 0; i < n; i++) /* duplicate_sack[] sits before selective_acks[] */
		o->sack[i] = r->dsack ? (i == 0 ? r->dup : r->blocks[k++]) : r->blocks[i];
	o->present |= TCP_OPT_SACK;
	o->sack_n = (uint8_t)n;
	r->dsack = false;
	return (uint8_t)n;
}
