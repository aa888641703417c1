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
uint8_t sack_rcv_fill(struct sack_rcv *r, struct tcp_opts *o);

/* The option bytes those blocks take beside options of `used` bytes, 0
 * for none: what Linux's tcp_current_mss() takes off a data segment. */
uint32_t sack_rcv_opt_bytes(const struct sack_rcv *r, uint32_t used);

#endif
