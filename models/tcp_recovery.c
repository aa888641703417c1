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

/* The holes below it are lost: by RACK's times (tcp_rack_mark_lost()),
 * or with RACK off by the SACKed count above them (tcp_mark_head_lost()). */
static uint32_t lost_end(const struct tcp_ep *ep)
{
	if (tcp_rack_on(ep)) {
		uint32_t l = ep->rack.lost_end;
		return seq_lt(l, ep->snd_una) ? ep->snd_una : seq_gt(l, ep->snd_max) ? ep->snd_max : l;
	}
	return sack_board_lost_end(&ep->sb, ep->snd_una, ep->snd_mss);
}

bool tcp_recovery_head_lost(const struct tcp_ep *ep)
{
	return ep->sack_ok && seq_gt(lost_end(ep), ep->snd_una);
}

uint32_t tcp_in_flight_sacked(const struct tcp_ep *ep)
{
	if (ep->in_recovery)
		return sack_pipe(&ep->sb, ep->snd_una, ep->snd_max, lost_end(ep), ep->high_rxt);
	/* tcp_packets_in_flight() outside recovery: what the peer holds is not in flight */
	return sack_board_holes(&ep->sb, ep->snd_una, ep->snd_nxt);
}

uint32_t tcp_resend_skip_sacked(struct tcp_ep *ep, uint32_t *limit)
{
	*limit = UINT32_MAX;
	uint32_t hole_end;
	uint32_t seq = sack_board_next_hole(&ep->sb, ep->snd_nxt, &hole_end);
	if (seq_gt(seq, ep->snd_max))
		seq = ep->snd_max;
	if (hole_end != seq) /* tcp_xmit_retransmit_queue() skips TCPCB_SACKED_ACKED */
		*limit = hole_end - seq;
	return seq;
}

void tcp_recovery_enter(struct tcp_ep *ep)
{
	uint32_t prior_cwnd = ep->cc.cwnd; /* tcp_init_cwnd_reduction(): before ssthresh */
	tcp_cong_on_loss(ep);
	ep->recoveries++; /* Linux's TCPSackRecovery */
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
		rack_recovery_ended(&ep->rack);
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

/* --- RACK (RFC 8985; Linux net/ipv4/tcp_recovery.c) --- */

/* tcp_rack_reo_wnd()'s inputs: in recovery (or loss, after a timeout),
 * and the SACKed segments (sacked_out). */
static sim_time reo_wnd(const struct tcp_ep *ep)
{
	uint32_t sacked_segs = tcp_segs_up(ep->sb.sacked, ep->snd_mss);
	return rack_reo_wnd(&ep->rack, ep->in_recovery || ep->retransmits > 0, sacked_segs, ep->srtt);
}

/* tcp_rack_mark_lost(): the timer for those whose time has not come is
 * due then, plus TCP_TIMEOUT_MIN_US (Linux 6.6+, as the probe's slack),
 * never after the RTO (inet_csk_reset_xmit_timer()'s max_when). */
static void rack_mark_lost(struct tcp_ep *ep, sim_time now)
{
	if (!ep->rack.advanced)
		return;
	ep->rack.advanced = false;
	sim_time wait = rack_detect_loss(&ep->rack, ep->snd_una, now, reo_wnd(ep));
	if (wait > 0) {
		sim_time after = tcp_timer_round(ep, wait + 2 * SIM_MS);
		tcp_arm(ep, TCP_TIMER_RTX, now, after < ep->rto ? after : ep->rto);
		ep->tlp_armed = false;
		ep->reo_armed = true;
	}
}

/* tcp_enter_recovery() when a hole is lost (tcp_time_to_recover()'s
 * "the loss is proven": tp->lost_out). */
static bool rack_start_recovery(struct tcp_ep *ep)
{
	/* not after a timeout: go-back-N resends it all (Linux's Loss state) */
	if (ep->in_recovery || ep->retransmits > 0 || !seq_gt(lost_end(ep), ep->snd_una))
		return false;
	tcp_recovery_enter(ep);
	return true;
}

void tcp_rack_on_ack(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s,
                     uint32_t una_before, uint32_t prior_high)
{
	if (!tcp_rack_on(ep))
		return;
	/* both look at SACK blocks: an ACK without any, while nothing is
	 * SACKed (the common case), has no D-SACK and delivers nothing */
	if ((s->opt.present & TCP_OPT_SACK) && rack_is_dsack(&s->opt, s->ack))
		ep->rack.dsack_seen = true; /* tcp_check_dsack(): tp->rack.dsack_seen */
	if (ep->sb.n > 0)
		rack_sacked(&ep->rack, &ep->sb, prior_high, now);
	if (seq_gt(ep->snd_una, una_before))
		rack_acked(&ep->rack, ep->snd_una, prior_high, now);
	/* tcp_ack(); without a D-SACK the update only brings the steps back
	 * to 1, so with one step and none seen it has nothing to do */
	if (ep->rack.dsack_seen || ep->rack.reo_wnd_steps != 1)
		rack_update_reo_wnd(&ep->rack, now, ep->srtt);
	if (ep->snd_una == ep->snd_max)
		return;
	rack_mark_lost(ep, now);
	rack_start_recovery(ep);
}

void tcp_rack_reo_timeout(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	ep->reo_armed = false;
	uint32_t before = lost_end(ep);
	rack_detect_loss(&ep->rack, ep->snd_una, now, reo_wnd(ep));
	if (seq_gt(lost_end(ep), before)) {
		/* tcp_enter_recovery(), then tcp_cwnd_reduction() as for one
		 * segment delivered, and tcp_xmit_retransmit_queue() */
		bool entered = rack_start_recovery(ep);
		tcp_recovery_on_ack(ep, now, entered ? ep->snd_mss : 0, false, out);
	}
	/* tcp_rearm_rto(): what is left of the RTO of the oldest segment */
	if (ep->deadline[TCP_TIMER_RTX] == SIM_NEVER && ep->snd_una != ep->snd_max) {
		sim_time left = ep->rtx_epoch + ep->rto - now;
		tcp_arm(ep, TCP_TIMER_RTX, now, left > SIM_US ? left : SIM_US);
	}
}
