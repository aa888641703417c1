/*
 * RACK-TLP's time-based loss detection (RFC 8985 §6), as Linux runs it
 * with net.ipv4.tcp_recovery = 1 (net/ipv4/tcp_recovery.c).  Pure
 * functions over a small record, so that each rule can be tested alone.
 *
 * Model.  s[] holds one record per range sent and not yet cumulatively
 * acknowledged, by sequence number: when it (last) left, whether it was
 * sent again, and whether the peer has it (SACKed).  Bounded by the
 * window: records go as SND.UNA passes them, from the front by moving
 * a head index (no shift per ACK), the live ones slid back to the start
 * of the array only when its end is reached and a quarter or more of it
 * is free at the front.  RACK's state is Linux's
 * tp->rack: the send time and end of the most recently sent segment
 * delivered (RACK.xmit_ts, RACK.end_seq) and the RTT measured to it.
 *
 * Lost data is kept as a prefix: originals are sent in sequence order,
 * so those RACK marks lost are the lowest ones, and lost_end says where
 * they end (the holes below it are lost), as the RFC 6675 count does.
 * A retransmission lost again is not detected (Linux's
 * tcp_rack_mark_skb_lost() of a TCPCB_SACKED_RETRANS segment).  The
 * reordering window grows by a step with a D-SACK at most once a round
 * trip, counted in time (SRTT) where Linux counts delivered segments.
 */
#ifndef MODELS_TCP_RACK_H
#define MODELS_TCP_RACK_H

#include <stdbool.h>
#include <stdint.h>
#include "sim/engine/time.h"
#include "models/tcp_sack.h"

struct rack_seg {
	uint32_t start, end; /* sequence space, a FIN counted */
	sim_time xmit;       /* when it last left (tcp_skb_timestamp_us()) */
	bool retrans;        /* TCPCB_RETRANS: sent more than once */
	bool delivered;      /* SACKed (TCPCB_SACKED_ACKED) */
};

struct rack {
	struct rack_seg *s;  /* cap records; the live ones from s[head] */
	uint32_t head;       /* index of the record holding SND.UNA */
	uint32_t n, cap;     /* n live records, by sequence number */
	uint32_t end_seq;    /* RACK.end_seq (here: no padding hole) */
	sim_time xmit_ts;    /* RACK.xmit_ts (tp->rack.mstamp); < 0: none yet */
	sim_time rtt;        /* RACK.rtt (tp->rack.rtt_us) */
	sim_time min_rtt;    /* tcp_min_rtt(): the least RTT sample; 0: none */
	bool advanced;       /* tp->rack.advanced: a newer segment was delivered */
	bool reord;          /* tp->reord_seen: a hole was filled below SACKed data */
	uint32_t lost_end;   /* the holes below it are lost by RACK */
	uint8_t reo_wnd_steps;   /* reo_wnd in min_rtt/4 steps, grown by D-SACKs */
	uint8_t reo_wnd_persist; /* recoveries the grown window outlives */
	bool dsack_seen;         /* a D-SACK came since the last update */
	sim_time reo_adjusted;   /* when the steps last grew; < 0: never */
};

/* The i-th live record (i < n), from the one holding SND.UNA. */
static inline const struct rack_seg *rack_seg_at(const struct rack *r, uint32_t i)
{
	return &r->s[r->head + i];
}

void rack_init(struct rack *r, uint32_t snd_una);
void rack_free(struct rack *r);
/* The connection is over: its records go; an array of up to 64 keeps
 * its memory for the next one (no allocation per connection). */
void rack_release(struct rack *r);
/* [seq, end) left at `now`: a new record, or the records it covers
 * sent again (split at its edges). */
void rack_sent(struct rack *r, uint32_t seq, uint32_t end, sim_time now);
/* The peer's SACK blocks (in b) changed: every record they now cover is
 * delivered (tcp_sacktag_one() -> tcp_rack_advance()).  prior_high: the
 * end of the highest SACKed range before them, to see reordering
 * (tcp_check_sack_reordering()). */
void rack_sacked(struct rack *r, const struct sack_board *b, uint32_t prior_high, sim_time now);
/* SND.UNA advanced to snd_una: the records below it go, those not SACKed
 * before delivered now (tcp_clean_rtx_queue() -> tcp_rack_advance()). */
void rack_acked(struct rack *r, uint32_t snd_una, uint32_t prior_high, sim_time now);
/* An ACK carried a D-SACK (tcp_check_dsack(): the first block below
 * the ACK, or inside the second). */
bool rack_is_dsack(const struct tcp_opts *o, uint32_t ack);
/* tcp_rack_update_reo_wnd(), after each ACK: a D-SACK more than a round
 * trip after the last step adds a step (at most 255) and keeps the window
 * for 16 recoveries; without one, the steps fall back to 1 once those
 * have passed. */
void rack_update_reo_wnd(struct rack *r, sim_time now, sim_time srtt);
/* A recovery ended (tcp_try_undo_recovery(): no undo, reo_wnd_persist--). */
void rack_recovery_ended(struct rack *r);
/* tcp_rack_reo_wnd(): 0 while no reordering was seen and recovery is on
 * (or the SACKed segments reach the duplicate threshold); else
 * reo_wnd_steps * min_rtt / 4, at most SRTT. */
sim_time rack_reo_wnd(const struct rack *r, bool recovering, uint32_t sacked_segs, sim_time srtt);
/* tcp_rack_detect_loss(): a segment sent before RACK.xmit_ts, not
 * delivered, whose RACK.rtt + reo_wnd has passed since it left, is lost:
 * lost_end moves up over it.  Returns the longest wait of those whose
 * time has not come (0: none): when the reordering timer is due. */
sim_time rack_detect_loss(struct rack *r, uint32_t snd_una, sim_time now, sim_time reo_wnd);

#endif
