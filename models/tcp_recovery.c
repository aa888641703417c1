/*
 * Loss recovery with SACK: RFC 6675 as Linux runs it with the
 * scoreboard (tcp_fastretrans_alert(), tcp_enter_recovery(),
 * tcp_xmit_retransmit_queue()), the window set on each ACK by PRR
 * (RFC 6937; tcp_cwnd_reduction()), and recovery's end
 * (tcp_end_cwnd_reduction(): the window becomes ssthresh).
 *
 * Only the holes the scoreboard marks lost go again, in order, each once
 * (HighRxt); new data follows through tcp_output() while the window
 * leaves room, since in recovery "in flight" is the pipe.  A timeout ends
 * recovery (tcp_timer.c); the resend after it skips what the peer holds.
 */
#include <glib.h>
#include "models/tcp_int.h"

static uint32_t lost_end(const struct tcp_ep *ep)
{
	return sack_board_lost_end(&ep->sb, ep->snd_una, ep->snd_mss);
}

bool tcp_recovery_head_lost(const struct tcp_ep *ep)
{
	return ep->sack_ok && seq_gt(lost_end(ep), ep->snd_una);
}

uint32_t tcp_in_flight(const struct tcp_ep *ep)
{
	if (!ep->sack_ok)
		return ep->snd_nxt - ep->snd_una;
	if (ep->in_recovery)
		return sack_pipe(&ep->sb, ep->snd_una, ep->snd_max, lost_end(ep), ep->high_rxt);
	/* tcp_packets_in_flight() outside recovery: what the peer holds is not in flight */
	return sack_board_holes(&ep->sb, ep->snd_una, ep->snd_nxt);
}

uint32_t tcp_resend_skip(struct tcp_ep *ep, uint32_t *limit)
{
	*limit = UINT32_MAX;
	if (!ep->sack_ok || !seq_lt(ep->snd_nxt, ep->snd_max))
		return ep->snd_nxt;
	uint32_t hole_end;
	uint32_t seq = sack_board_next_hole(&ep->sb, ep->snd_nxt, &hole_end);
	if (seq_gt(seq, ep->snd_max))
		seq = ep->snd_max;
	if (hole_end != seq) /* tcp_xmit_retransmit_queue() skips TCPCB_SACKED_ACKED */
		*limit = hole_end - seq;
	return seq;
}

void tcp_recovery_enter(struct tcp_ep *ep, uint32_t prior_cwnd)
{
	ep->in_recovery = true;
	ep->recovery_point = ep->snd_max;
	ep->high_rxt = ep->lost_high = ep->snd_una;
	/* tcp_init_cwnd_reduction(): RecoverFS is the window before it, which
	 * stays the window until PRR sets it on this ACK */
	ep->rec_cwnd = prior_cwnd * ep->snd_mss;
	prr_start(&ep->prr, ep->cc.ssthresh * ep->snd_mss, ep->rec_cwnd);
}

/* tcp_xmit_retransmit_queue(): the lost holes above HighRxt, in order,
 * while the window has room; a FIN in a hole goes with its data. */
static void retransmit_lost(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	uint32_t lost = lost_end(ep), data_end = tcp_snd_data_end(ep);
	while (tcp_in_flight(ep) < ep->rec_cwnd) {
		uint32_t from = seq_lt(ep->high_rxt, ep->snd_una) ? ep->snd_una : ep->high_rxt;
		uint32_t hole_end;
		uint32_t seq = sack_board_next_hole(&ep->sb, from, &hole_end);
		if (!seq_lt(seq, lost))
			return;
		uint32_t end = seq_lt(hole_end, lost) ? hole_end : lost;
		uint32_t len = end - seq < ep->snd_mss ? end - seq : ep->snd_mss;
		if (seq_gt(seq + len, data_end))
			len = seq_lt(seq, data_end) ? data_end - seq : 0;
		bool fin = ep->fin_queued && seq + len == ep->fin_seq && seq_gt(end, ep->fin_seq);
		if (len == 0 && !fin)
			return;
		tcp_send_range(ep, now, seq, len, fin, TCP_SEND_FAST, out);
		ep->high_rxt = seq + len + (fin ? 1u : 0u);
	}
}

void tcp_recovery_on_ack(struct tcp_ep *ep, sim_time now, uint32_t delivered, bool una_advanced,
                         struct tcp_acts *out)
{
	if (!seq_lt(ep->snd_una, ep->recovery_point)) { /* all of it repaired */
		ep->in_recovery = false;
		ep->cc.cwnd = ep->cc.ssthresh; /* tcp_end_cwnd_reduction() */
		ep->cc.cwnd_cnt = 0;
		ep->dupacks = 0;
		return;
	}
	if (seq_lt(ep->high_rxt, ep->snd_una))
		ep->high_rxt = ep->snd_una;
	uint32_t lost = lost_end(ep);
	bool newly_lost = seq_gt(lost, ep->lost_high); /* this ACK marked a hole lost */
	if (newly_lost)
		ep->lost_high = lost;
	uint32_t pipe = tcp_in_flight(ep);
	if (delivered > 0)
		ep->rec_cwnd = pipe + prr_sndcnt(&ep->prr, delivered, pipe, ep->snd_mss, una_advanced,
		                             newly_lost);
	retransmit_lost(ep, now, out);
}
