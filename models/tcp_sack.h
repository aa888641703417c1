/*
 * SACK (RFC 2018) and D-SACK (RFC 2883): the blocks a receiver reports,
 * kept as Linux keeps them (net/ipv4/tcp_input.c).  Pure functions over a
 * small record, so that every reordering case can be tested alone.
 *
 * Model.  blocks[] is Linux's tp->selective_acks[]: the out-of-order data
 * held, as at most four disjoint ranges above RCV.NXT, the one that
 * changed most recently first (RFC 2018 §4: "the first SACK block MUST
 * specify the contiguous block of data containing the segment which
 * triggered this ACK").  dup is tp->duplicate_sack[0]: a range received
 * twice, reported once, in the first block of the next segment sent
 * (RFC 2883 §4), before the others.
 *
 * The sender's side (models/tcp_sack_board.c): what the peer's blocks say
 * it holds, which holes are lost, how much is in flight, and how fast to
 * send while recovering (PRR).
 */
#ifndef MODELS_TCP_SACK_H
#define MODELS_TCP_SACK_H

#include <stdbool.h>
#include <stdint.h>
#include "models/segment.h"

struct sack_rcv {
	struct tcp_sack_block blocks[TCP_SACK_MAX_BLOCKS]; /* most recent first */
	uint8_t n;                 /* blocks in use (tp->rx_opt.num_sacks) */
	bool dsack;                /* dup is to be sent (tp->rx_opt.dsack) */
	struct tcp_sack_block dup; /* the duplicate range (tp->duplicate_sack[0]) */
};

/* Out-of-order data [seq, end) was queued (or was already held): the
 * block it extends moves to the front, merging the blocks it now
 * touches; or a new block goes in front, the oldest falling off a full
 * list (tcp_sack_new_ofo_skb()).  first: the out-of-order queue was
 * empty, so the list starts afresh (tcp_data_queue_ofo()). */
void sack_rcv_new_ofo(struct sack_rcv *r, uint32_t seq, uint32_t end, bool first);

/* RCV.NXT advanced to rcv_nxt: the blocks it covers go
 * (tcp_sack_remove()); all of them when the queue emptied. */
void sack_rcv_remove(struct sack_rcv *r, uint32_t rcv_nxt, bool ofo_empty);

/* [seq, end) arrived twice: the D-SACK range is set to it
 * (tcp_dsack_set()), or grown by it when one is pending and they touch
 * (tcp_dsack_extend()). */
void sack_rcv_dsack_set(struct sack_rcv *r, uint32_t seq, uint32_t end);
void sack_rcv_dsack_extend(struct sack_rcv *r, uint32_t seq, uint32_t end);

/* The blocks a segment carries, into o (TCP_OPT_SACK, sack_n, sack[]):
 * the D-SACK range first, then the list, as many as fit in the option
 * space left after the other options (tcp_established_options(): 40
 * bytes less 4 for nop,nop,kind,length, 8 a block).  Sending the D-SACK
 * clears it (tcp_options_write()).  Returns the blocks written. */
uint8_t sack_rcv_fill_blocks(struct sack_rcv *r, struct tcp_opts *o);
static inline uint8_t sack_rcv_fill(struct sack_rcv *r, struct tcp_opts *o)
{
	if (r->n == 0 && !r->dsack) { /* nothing to report: every segment but a few */
		o->present &= (uint8_t)~TCP_OPT_SACK;
		o->sack_n = 0;
		return 0;
	}
	return sack_rcv_fill_blocks(r, o);
}

/* The option bytes those blocks take beside options of `used` bytes, 0
 * for none: what Linux's tcp_current_mss() takes off a data segment. */
uint32_t sack_rcv_blocks_bytes(const struct sack_rcv *r, uint32_t used);
static inline uint32_t sack_rcv_opt_bytes(const struct sack_rcv *r, uint32_t used)
{
	return r->n == 0 && !r->dsack ? 0 : sack_rcv_blocks_bytes(r, used); /* none to send */
}

/* --- the sender's scoreboard (models/tcp_sack_board.c) --- */

struct sack_board {
	struct tcp_sack_block *r; /* SACKed ranges above SND.UNA, sorted, never touching */
	uint32_t n, cap;
	uint32_t sacked;          /* bytes in them (Linux's sacked_out, in bytes) */
};

/* The blocks of an ACK join the ranges; a D-SACK or a block outside
 * (SND.UNA, SND.MAX] is ignored (tcp_is_sackblock_valid()).  Returns the
 * bytes newly SACKed. */
uint32_t sack_board_update(struct sack_board *b, uint32_t snd_una, uint32_t snd_max,
                           const struct tcp_opts *o);
/* SND.UNA advanced: the ranges below it go.  Returns the SACKed bytes
 * it covered (delivered before, so not again). */
uint32_t sack_board_ack(struct sack_board *b, uint32_t snd_una);
void sack_board_clear(struct sack_board *b);
void sack_board_free(struct sack_board *b);
/* Empties the board for the endpoint's next connection, keeping its
 * memory unless it grew large (as rack_release() does): tcp_ep_new()
 * keeps r and cap, so a retired endpoint needs no new allocation. */
void sack_board_release(struct sack_board *b);
/* RFC 6675 IsLost(): every hole below the returned sequence number has
 * more than (DupThresh - 1) * mss bytes, or DupThresh segments, SACKed
 * above it; snd_una when no hole is lost. */
uint32_t sack_board_lost_end(const struct sack_board *b, uint32_t snd_una, uint32_t mss);
/* Bytes of [from, to) not SACKed. */
uint32_t sack_board_holes(const struct sack_board *b, uint32_t from, uint32_t to);
/* The first byte at or after seq that is not SACKed, and in *hole_end
 * where the range above it starts (seq itself above every range). */
uint32_t sack_board_next_hole(const struct sack_board *b, uint32_t seq, uint32_t *hole_end);
/* The end of the highest SACKed range, snd_una with none (inline: asked
 * on every ACK). */
static inline uint32_t sack_board_high(const struct sack_board *b, uint32_t snd_una)
{
	return b->n ? b->r[b->n - 1].end : snd_una;
}
/* RFC 6675 SetPipe() as Linux's tcp_packets_in_flight() counts it, in
 * bytes: sent and not acknowledged, less SACKed, less lost (holes below
 * lost_end), plus retransmitted (holes below high_rxt). */
uint32_t sack_pipe(const struct sack_board *b, uint32_t snd_una, uint32_t snd_max,
                   uint32_t lost_end, uint32_t high_rxt);

/* --- PRR, the sending rate in recovery (RFC 6937, tcp_cwnd_reduction()) --- */

struct prr {
	uint32_t ssthresh;   /* the window recovery ends with */
	uint32_t recover_fs; /* RecoverFS: the window when recovery began (Linux prior_cwnd) */
	uint32_t delivered;  /* prr_delivered: bytes the receiver got since */
	uint32_t out;        /* prr_out: bytes sent since */
};

void prr_start(struct prr *p, uint32_t ssthresh, uint32_t recover_fs);
/* An ACK delivered `delivered` bytes (the advance of SND.UNA plus the
 * change in SACKed bytes) with `pipe` in flight: the bytes that may be
 * sent now (sndcnt; the window becomes pipe + sndcnt).  Above ssthresh
 * in proportion ssthresh / RecoverFS; at or below it, slow start up to
 * ssthresh, at most what was delivered plus one segment when SND.UNA
 * advanced and nothing was newly lost (PRR-SSRB).  The first one is at
 * least a segment: the fast retransmission.  The caller counts what it
 * sends in out.  0, and the window left alone, when nothing was
 * delivered. */
uint32_t prr_sndcnt(struct prr *p, uint32_t delivered, uint32_t pipe, uint32_t mss,
                    bool una_advanced, bool newly_lost);

#endif
