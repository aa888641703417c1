/*
 * A segment arrives: RFC 9293 §3.10.7 in its order.
 *
 *   SYN_SENT                       §3.10.7.3: ACK, RST, SYN, then the text
 *   TIME_WAIT                      its own small handler, as in Linux and lwIP
 *   SYN_RCVD and the synchronized  §3.10.7.4: 1 sequence acceptability,
 *   states                         2 RST, 3 (security), 4 SYN, 5 ACK,
 *                                  6 (URG), 7 text, 8 FIN
 *
 * Facts about the segment ("it acknowledges our FIN") are computed once and
 * tested by every state that needs them.  After processing, tcp_output()
 * sends what the new state calls for, then any ACK still owed is sent at
 * once or delayed (tcp_schedule_ack).
 */
#include <errno.h>
#include <string.h>
#include <glib.h>
#include "models/tcp_int.h"

/* What one segment means for the closing states, computed once as the
 * segment is processed: the ACK field (fifth check), the text (seventh)
 * and the FIN (eighth).  FIN_WAIT_1 decides on all of them in one place,
 * fin_wait_1_step(). */
struct seg_facts {
	bool fin_acked;  /* its ACK field covers our FIN */
	bool progress;   /* SND.UNA moved */
	bool fin_flag;   /* it carries the peer's FIN */
	bool fin_in;     /* the peer's FIN is now in sequence (its own, or one
	                    queued out of order that it uncovered) */
	bool abort_data; /* new data for a connection its user closed */
};

/* --- options --- */

static void negotiate_options(struct tcp_ep *ep, const struct tcp_seg *syn)
{
	const struct tcp_params *p = ep->p;
	const struct tcp_opts *o = &syn->opt;
	/* RFC 9293 §3.7.1: 536 without the option; Linux tcp_parse_options()
	 * ignores an MSS of 0 too. */
	uint32_t peer_mss = (o->present & TCP_OPT_MSS) && o->mss ? o->mss : 536;
	ep->snd_mss = peer_mss < p->mss ? peer_mss : p->mss;
	/* our SYN asked for them (RFC 7323 §1.3, RFC 2018): not under
	 * TCP_NOOPT, nor once rexmit_drop_options took them off */
	bool asked = !p->no_options && !ep->syn_opts_dropped;
	ep->ts_ok = asked && p->timestamps && (o->present & TCP_OPT_TS);
	ep->sack_ok = asked && p->sack && (o->present & TCP_OPT_SACK_PERM);
	ep->ws_ok = asked && p->window_scaling && (o->present & TCP_OPT_WSCALE);
	ep->snd_wscale = ep->ws_ok ? (o->wscale > 14 ? 14 : o->wscale) : 0;
	if (ep->ts_ok)
		ep->snd_mss -= 12; /* the option rides on every segment (RFC 6691) */
	if (ep->snd_mss < TCP_MIN_SND_MSS)
		ep->snd_mss = TCP_MIN_SND_MSS; /* Linux tcp_min_snd_mss (sysctl, 48) */
	ep->rcv_wscale = ep->ws_ok ? (uint8_t)p->wscale : 0;
	if (ep->ts_ok)
		ep->ts_recent = o->tsval;
}

static void learn_irs(struct tcp_ep *ep, const struct tcp_seg *syn)
{
	ep->irs = syn->seq;
	ep->rcv_nxt = syn->seq + 1;
	ep->rcv_adv = ep->rcv_wup = ep->rcv_nxt;
	negotiate_options(ep, syn);
}

/* The window a segment announces, in bytes (SYNs are never scaled). */
static uint32_t seg_window(const struct tcp_ep *ep, const struct tcp_seg *s)
{
	return (s->flags & TCP_SYN) ? s->wnd : (uint32_t)s->wnd << ep->snd_wscale;
}

/* --- passive open --- */

void tcp_ep_accept_syn(struct tcp_ep *ep, sim_time now, const struct tcp_seg *syn,
                       struct tcp_acts *out)
{
	ep->passive = true;
	learn_irs(ep, syn);
	/* RFC 3168 §6.1.1: a SYN with ECE and CWR asks for ECN, which a stack
	 * that takes it (tcp_ecn 1 or 2) agrees to (Linux
	 * tcp_ecn_create_request(), FreeBSD tcp_ecn_syncache_add()) */
	ep->ecn_ok = ep->p->ecn != 0 && (syn->flags & (TCP_ECE | TCP_CWR)) == (TCP_ECE | TCP_CWR);
	set_snd_wnd(ep, seg_window(ep, syn));
	ep->snd_wl1 = syn->seq;
	ep->snd_wl2 = ep->iss;
	tcp_set_state(ep, TCP_SYN_RCVD, 0, out);
	ep->rtx_epoch = now;
	tcp_send_syn(ep, now, true, TCP_SEND_NEW, out);
	tcp_arm(ep, TCP_TIMER_RTX, now, ep->rto);
	TCP_CHECK(ep, ep->rcv_nxt);
}

/* --- SYN_SENT (§3.10.7.3) --- */

/* FreeBSD's tcp_mss(), called when a SYN reaches SYN_SENT (tcp_input()) or
 * a connection leaves the syncache: the buffer in whole segments. */
static void bsd_mss_known(struct tcp_ep *ep)
{
	if (ep->p->rwin_rule == TCP_RWIN_BSD)
		ep->buf_mss = tcp_bsd_maxseg(ep);
}

/* tcp_init_transfer(): the congestion control starts with the transfer;
 * ssthresh a timed-out SYN lowered is infinite again (tcp_init_metrics()),
 * and the window one segment after more than one SYN retransmission
 * (RFC 6298 §5.7 as Linux reads it). */
static void cong_init_transfer(struct tcp_ep *ep, sim_time now)
{
	const struct tcp_params *p = ep->p;
	struct tcp_cc_clock clk = tcp_cc_clock_at(ep, now);
	tcp_cc_init(&ep->cc, p->congestion_control, ep->total_retrans > 1 ? 1 : p->init_cwnd,
	            ep->snd_nxt, &clk);
	ep->lsndtime = now; /* tcp_init_transfer(): lsndtime = tcp_jiffies32 */
}

static void become_established(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	bsd_mss_known(ep);
	cong_init_transfer(ep, now);
	tcp_set_state(ep, TCP_ESTABLISHED, 0, out);
	tcp_disarm(ep, TCP_TIMER_CONNECT);
	tcp_rtx_progress(ep, now);
	ep->snd_buf_seq = ep->iss + 1;
	ep->copied_seq = ep->rcv_nxt;
	tcp_init_buffer_space(ep, now); /* tcp_init_transfer() */
	if (ep->p->keepalive)
		tcp_arm(ep, TCP_TIMER_KEEPALIVE, now, ep->p->keepalive_idle);
}

static void reset_answer(struct tcp_ep *ep, const struct tcp_seg *in, struct tcp_acts *out)
{
	struct tcp_act *a = tcp_acts_push(out);
	a->kind = TCP_ACT_SEND;
	a->ep = ep;
	a->why = TCP_SEND_RST;
	/* tcp_v4_send_reset(): the answer leaves through the control socket */
	a->ctl_sock = ep->p->ctl_sock_id_zero;
	if (!tcp_reset_for(in, 0, &a->seg))
		out->n--; /* it was a reset itself: no answer */
}

static void input_syn_sent(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s,
                           struct tcp_acts *out)
{
	bool ack = s->flags & TCP_ACK;
	if (ack && (seq_le(s->ack, ep->iss) || seq_gt(s->ack, ep->snd_max)))
		return reset_answer(ep, s, out); /* an ACK for something we never sent */
	if (s->flags & TCP_RST) {
		if (ack && !TCP_MUTANT(ep->p, TCP_MUTANT_SYN_SENT_IGNORES_RST))
			tcp_fail(ep, ECONNREFUSED, out);
		return;
	}
	if (!(s->flags & TCP_SYN))
		return;
	learn_irs(ep, s);
	if (!ack) { /* simultaneous open (§3.5, figure 8) */
		/* RFC 9293 §3.10.7.3: SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ (Linux
		 * tcp_rcv_synsent_state_process(), FreeBSD tcp_input()): our ACKs
		 * then carry SND.NXT, not a sequence number held at SND.UNA */
		set_snd_wnd(ep, seg_window(ep, s));
		ep->snd_wl1 = s->seq;
		bsd_mss_known(ep);
		tcp_set_state(ep, TCP_SYN_RCVD, 0, out);
		tcp_send_syn(ep, now, true, TCP_SEND_NEW, out);
		return;
	}
	ep->snd_una = s->ack;
	set_snd_wnd(ep, seg_window(ep, s));
	ep->snd_wl1 = s->seq;
	ep->snd_wl2 = s->ack;
	/* RFC 3168 §6.1.1: a SYN-ACK with ECE and without CWR agrees to the
	 * ECN we asked for (Linux tcp_ecn_rcv_synack(), FreeBSD
	 * tcp_ecn_input_syn_sent()) */
	ep->ecn_ok = ep->p->ecn == 1 && (s->flags & (TCP_ECE | TCP_CWR)) == TCP_ECE;
	if (ep->rtt_start >= 0)
		tcp_rtt_sample(ep, now - ep->rtt_start); /* Karn: SYN was not retransmitted */
	ep->rtt_start = -1;
	become_established(ep, now, out);
	tcp_send_ack(ep, now, out);
	tcp_output(ep, now, out);
}

/* --- TIME_WAIT (Linux tcp_timewait_state_process) --- */

#define PAWS_MSL_SECONDS (60)                 /* TCP_PAWS_MSL */
#define PAWS_WRAP_SECONDS ((int64_t)24 * 24 * 60 * 60) /* TCP_PAWS_WRAP: 24 days */

/* When TS.Recent last moved (Linux tw_ts_recent_stamp), in whole seconds
 * as the kernel keeps it (ktime_get_seconds()): the segment that began
 * TIME_WAIT, or a later in-window ACK. */
static int64_t tw_ts_stamp_seconds(const struct tcp_ep *ep)
{
	sim_time at = ep->tw_ts_stamp > ep->tw_since ? ep->tw_ts_stamp : ep->tw_since;
	return at / SIM_SEC;
}

/* tcp_paws_reject() as TIME_WAIT asks it: a timestamp older than TS.Recent
 * comes from the past, unless TS.Recent is 0 or 24 days old (it may have
 * wrapped); a reset is believed anyway once TS.Recent is a minute old
 * (TCP_PAWS_MSL: the peer may have rebooted). */
static bool time_wait_paws_rejects(const struct tcp_ep *ep, sim_time now, const struct tcp_seg *s)
{
	if (!ep->ts_ok || !(s->opt.present & TCP_OPT_TS) || ep->ts_recent == 0)
		return false;
	if ((int32_t)(ep->ts_recent - s->opt.tsval) <= 0)
		return false;
	int64_t age = now / SIM_SEC - tw_ts_stamp_seconds(ep);
	if (age >= PAWS_WRAP_SECONDS)
		return false;
	return !((s->flags & TCP_RST) && age >= PAWS_MSL_SECONDS);
}

bool tcp_ep_time_wait_takes_syn(const struct tcp_ep *ep, sim_time now, const struct tcp_seg *s)
{
	if ((s->flags & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN || ep->state != TCP_TIME_WAIT)
		return false;
	/* FreeBSD tcp_twcheck(): "if the sequence numbers are above the
	 * previous ones" (no PAWS there: "not needed at the moment"), and
	 * not a SYN|FIN that drop_synfin drops first */
	if (ep->p->tw_rule == TCP_TW_BSD)
		return seq_gt(s->seq, ep->rcv_nxt) && !((s->flags & TCP_FIN) && ep->p->drop_synfin);
	if (time_wait_paws_rejects(ep, now, s))
		return false;
	/* TCP_TW_SYN: beyond the old sequence space, or a newer timestamp */
	bool newer_ts = ep->ts_ok && (s->opt.present & TCP_OPT_TS) &&
	                (int32_t)(ep->ts_recent - s->opt.tsval) < 0;
	return seq_gt(s->seq, ep->rcv_nxt) || newer_ts;
}

/* Only an in-window bare ACK (or, with tcp_rfc1337, a reset) that PAWS
 * lets through moves TS.Recent.  Everything else, above all the peer's
 * FIN retransmitted because our ACK was lost, is answered with an ACK that
 * still echoes the timestamp of the FIN that began TIME_WAIT. */
/* FreeBSD tcp_twcheck(), past the SYN that opens anew (the host's, by
 * tcp_ep_time_wait_takes_syn()): a reset is dropped (RFC 1337), a SYN|FIN
 * with drop_synfin, a segment without ACK too; a duplicate of the peer's
 * FIN restarts 2 MSL; what is not a pure duplicate ACK is answered
 * (tcp_respond()). */
static void input_time_wait_bsd(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s,
                                struct tcp_acts *out)
{
	bool synfin = (s->flags & (TCP_SYN | TCP_FIN)) == (TCP_SYN | TCP_FIN);
	if ((s->flags & TCP_RST) || !(s->flags & TCP_ACK) || (synfin && ep->p->drop_synfin))
		return;
	if ((s->flags & TCP_FIN) && s->seq + s->len + 1 == ep->rcv_nxt)
		tcp_arm(ep, TCP_TIMER_TIME_WAIT, now, ep->p->time_wait);
	if (s->flags != TCP_ACK || s->len != 0 || s->seq != ep->rcv_nxt || s->ack != ep->snd_nxt)
		tcp_answer_unacceptable(ep, now, s, out);
}

static void input_time_wait(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s,
                            struct tcp_acts *out)
{
	if (ep->p->tw_rule == TCP_TW_BSD)
		return input_time_wait_bsd(ep, now, s, out);
	bool paws_reject = time_wait_paws_rejects(ep, now, s);
	bool rst = s->flags & TCP_RST;
	if (!paws_reject && s->seq == ep->rcv_nxt && (tcp_seg_seqlen(s) == 0 || rst)) {
		if (rst && !ep->p->rfc1337) {
			/* TIME-WAIT assassination (RFC 1337 hazard 1): Linux lets
			 * the reset kill TIME_WAIT unless tcp_rfc1337 is set. */
			tcp_set_state(ep, TCP_CLOSED, 0, out); /* nobody is told */
			return;
		}
		if (!rst) /* a bare ACK: restart 2*MSL */
			tcp_arm(ep, TCP_TIMER_TIME_WAIT, now, ep->p->time_wait);
		if (ep->ts_ok && (s->opt.present & TCP_OPT_TS)) {
			ep->ts_recent = s->opt.tsval;
			ep->tw_ts_stamp = now;
		}
		return;
	}
	if (rst)
		return; /* out of window, or from the past: dropped */
	/* RFC 9293 §3.10.7.4, eighth step: "Acknowledge it, and restart the
	 * 2 MSL timeout"; Linux restarts it for a PAWS reject or an ACK, not
	 * for a bare SYN (a new connection's, maybe, with a random ISN). */
	if (paws_reject || (s->flags & TCP_ACK))
		tcp_arm(ep, TCP_TIMER_TIME_WAIT, now, ep->p->time_wait);
	if (TCP_MUTANT(ep->p, TCP_MUTANT_TW_NO_REACK))
		return;
	tcp_answer_unacceptable(ep, now, s, out);
}

/* --- synchronized states (§3.10.7.4) --- */

/* First check: is the segment in the window?  The table of RFC 9293
 * §3.10.7.4, with the left edge that Linux (tcp_sequence()) and BSD
 * (tcp_input(), "todrop") use: a segment is old only when it ends before
 * RCV.WUP, the RCV.NXT of our last segment.  A duplicate that reaches that
 * far (the peer's FIN retransmitted because our ACK of it was lost, data
 * that crossed our ACK) is accepted, so its ACK field is read; its text is
 * then a duplicate, trimmed and acknowledged at once.  The RFC's strict
 * test ignores that ACK field: two endpoints in CLOSING that lose each
 * other's ACKs would retransmit FINs the other finds unacceptable until
 * both time out. */
/* The receive window a segment is checked against: what we offered, or
 * more if the buffer has room for more. */
static uint32_t check_window(const struct tcp_ep *ep)
{
	uint32_t wnd = seq_gt(ep->rcv_adv, ep->rcv_nxt) ? ep->rcv_adv - ep->rcv_nxt : 0;
	uint32_t w = tcp_rcv_window(ep);
	/* FreeBSD's syncache, which holds a passive open until the handshake
	 * ends, knows only the window its SYN-ACK offered (syncache_chkrst():
	 * sc_wnd), not the socket buffer behind it */
	bool syncache = ep->p->rwin_rule == TCP_RWIN_BSD && ep->state == TCP_SYN_RCVD && ep->passive;
	return w > wnd && !syncache ? w : wnd;
}

/* FreeBSD tcp_do_segment()'s window for a reset or a SYN, on the sequence
 * number alone: last_ack_sent <= SEG.SEQ < last_ack_sent + rcv_wnd (for a
 * reset into a closed window, SEG.SEQ = last_ack_sent). */
static bool bsd_seq_in_window(const struct tcp_ep *ep, const struct tcp_seg *s)
{
	uint32_t wnd = check_window(ep);
	if (wnd == 0)
		return (s->flags & TCP_RST) && s->seq == ep->rcv_nxt;
	return seq_ge(s->seq, ep->rcv_nxt) && seq_lt(s->seq, ep->rcv_nxt + wnd);
}

static bool acceptable(const struct tcp_ep *ep, const struct tcp_seg *s)
{
	uint32_t wnd = check_window(ep);
	uint32_t len = tcp_seg_seqlen(s);
	uint32_t lo = ep->rcv_nxt, hi = ep->rcv_nxt + wnd;
	if (seq_lt(s->seq, lo) && seq_ge(s->seq + len, ep->rcv_wup))
		return true; /* a duplicate of what came since our last segment */
	if (len == 0)
		return wnd == 0 ? s->seq == lo : seq_in(s->seq, lo, hi);
	/* Linux tcp_data_queue(): a bare FIN in sequence is taken even into a
	 * shut window, which breaks a FIN/ACK loop with stacks that send it
	 * regardless (it costs no buffer) */
	if (wnd == 0 && ep->p->rwin_rule == TCP_RWIN_LINUX && s->len == 0 && (s->flags & TCP_FIN))
		return s->seq == lo;
	if (wnd == 0)
		return false;
	return seq_in(s->seq, lo, hi) || seq_in(s->seq + len - 1, lo, hi);
}

/* Second check: a reset (RFC 5961 §3.2: exact match, else a challenge ACK). */
static void input_rst(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s,
                      struct tcp_acts *out)
{
	/* RFC 5961 §3.2: a challenge ACK, unless the stack takes any reset in
	 * the window (FreeBSD tcp_do_segment(): V_tcp_insecure_rst) */
	if (s->seq != ep->rcv_nxt && !(ep->p->insecure_rst && bsd_seq_in_window(ep, s)))
		return tcp_answer_unacceptable(ep, now, s, out);
	switch (ep->state) {
	case TCP_SYN_RCVD:
		tcp_fail(ep, ep->passive ? ECONNRESET : ECONNREFUSED, out);
		break;
	case TCP_CLOSE_WAIT: /* Linux tcp_reset(): EPIPE; FreeBSD tcp_input(): ECONNRESET */
		tcp_fail(ep, ep->p->err_rule == TCP_ERR_BSD ? ECONNRESET : EPIPE, out);
		break;
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		tcp_fail(ep, ECONNRESET, out);
		break;
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
	case TCP_TIME_WAIT:
	case TCP_STATE_COUNT:
		break;
	}
}

/* The round trip an ACK measures for the congestion control (CUBIC's
 * delay_min and HyStart): from the timestamp it echoes when there is one
 * (1 ms clock, tcp_tsval()), else from the segment timed for RFC 6298
 * when this ACK ends its measurement; -1 for none.  Linux takes it from
 * the newest acknowledged segment's send time (tcp_clean_rtx_queue()'s
 * ca_rtt_us), which the model does not keep per segment. */
static int64_t cong_rtt_us(const struct tcp_ep *ep, sim_time now, const struct tcp_seg *s,
                           sim_time timed_rtt)
{
	if (ep->ts_ok && (s->opt.present & TCP_OPT_TS) && s->opt.tsecr != 0)
		return (int64_t)(uint32_t)(tcp_tsval(ep, now) - s->opt.tsecr) * 1000;
	return timed_rtt >= 0 ? timed_rtt / SIM_US : -1;
}

/* tcp_cong_control(): the segments this ACK covers (a short last
 * segment counts as one, as its skb does) grow the window. */
static void cong_on_ack(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s,
                        uint32_t acked, sim_time timed_rtt)
{
	struct tcp_cc_ack a = {
		.clk = tcp_cc_clock_at(ep, now),
		.acked = tcp_segs_up(acked, ep->snd_mss),
		.rtt_us = cong_rtt_us(ep, now, s, timed_rtt),
		.snd_una = ep->snd_una,
		.snd_nxt = ep->snd_max, /* Linux's snd_nxt is never rewound */
	};
	tcp_cc_on_ack(&ep->cc, &a);
}

void tcp_cong_on_loss(struct tcp_ep *ep)
{
	tcp_cc_on_loss(&ep->cc);
}

static void ack_new_data(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s,
                         struct seg_facts *f)
{
	uint32_t acked = s->ack - ep->snd_una;
	uint32_t data_end = tcp_snd_data_end(ep);
	uint32_t data_acked_to = seq_lt(s->ack, data_end) ? s->ack : data_end;
	if (seq_gt(data_acked_to, ep->snd_buf_seq)) {
		bytebuf_consume(&ep->snd, data_acked_to - ep->snd_buf_seq);
		ep->snd_buf_seq = data_acked_to;
	}
	f->fin_acked = ep->fin_queued && seq_gt(s->ack, ep->fin_seq);
	ep->snd_una = s->ack;
	if (seq_lt(ep->snd_nxt, ep->snd_una))
		ep->snd_nxt = ep->snd_una;
	sim_time timed_rtt = -1;
	if (ep->rtt_start >= 0 && seq_ge(s->ack, ep->rtt_seq)) {
		timed_rtt = now - ep->rtt_start;
		tcp_rtt_sample(ep, timed_rtt);
		ep->rtt_start = -1;
	}
	if (!ep->in_recovery) /* tcp_cong_control(): PRR sets it in recovery */
		cong_on_ack(ep, now, s, acked, timed_rtt);
	ep->dupacks = 0;
	f->progress = true;
	tcp_rtx_progress(ep, now);
}

/* Three duplicate ACKs: the segment at SND.UNA is lost (RFC 5681 §3.2).
 * With SACK, the scoreboard may say so sooner (RFC 6675 §5: IsLost of
 * the head), and recovery repairs every lost hole (tcp_recovery.c). */
static void duplicate_ack(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	++ep->dupacks;
	if (ep->in_recovery)
		return; /* the scoreboard drives it: tcp_recovery_on_ack() */
	if (tcp_rack_on(ep))
		return; /* RACK's marks alone begin recovery (tcp_time_to_recover()) */
	if (ep->dupacks != 3 && !tcp_recovery_head_lost(ep))
		return;
	if (ep->sack_ok)
		return tcp_recovery_enter(ep);
	tcp_cong_on_loss(ep);
	ep->recoveries++; /* Linux's TCPRenoRecovery */
	uint32_t data_end = tcp_snd_data_end(ep);
	uint32_t avail = seq_lt(ep->snd_una, data_end) ? data_end - ep->snd_una : 0;
	uint32_t len = avail < ep->snd_mss ? avail : ep->snd_mss;
	bool fin = ep->fin_queued && ep->snd_una + len == ep->fin_seq;
	if (len > 0 || fin)
		tcp_send_range(ep, now, ep->snd_una, len, fin, TCP_SEND_FAST, out);
}

/* RFC 2883 §4 (Linux tcp_check_dsack()): the first block reports data
 * received twice when it lies below the ACK, or inside the second block. */
static bool is_dsack(const struct tcp_seg *s)
{
	if (!(s->opt.present & TCP_OPT_SACK) || s->opt.sack_n == 0)
		return false;
	const struct tcp_sack_block *b = s->opt.sack;
	if (seq_lt(b[0].start, s->ack))
		return true;
	return s->opt.sack_n > 1 && seq_le(b[0].end, b[1].end) && seq_ge(b[0].start, b[1].start);
}

/* Fifth check: the ACK field.  Returns false when the segment is dropped. */
static bool input_ack(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s,
                      struct seg_facts *f, struct tcp_acts *out)
{
	if (seq_gt(s->ack, ep->snd_max)) { /* acknowledges what we never sent */
		tcp_send_ack(ep, now, out);
		return false;
	}
	uint32_t wnd = seg_window(ep, s);
	if (ep->sack_ok && is_dsack(s))
		ep->dsacks++;
	uint32_t una_before = ep->snd_una, sacked_before = ep->sb.sacked;
	uint32_t prior_high = sack_board_high(&ep->sb, ep->snd_una); /* Linux's prior_fack */
	/* The scoreboard changes only with blocks to add or ranges to drop:
	 * an ACK without SACK blocks while nothing is SACKed (the common
	 * case) leaves it as it is, and neither call below would change it. */
	bool board = ep->sack_ok && (ep->sb.n > 0 || (s->opt.present & TCP_OPT_SACK));
	if (board) /* tcp_sacktag_write_queue() */
		sack_board_update(&ep->sb, ep->snd_una, ep->snd_max, &s->opt);
	if (seq_gt(s->ack, ep->snd_una))
		ack_new_data(ep, now, s, f);
	else if (s->ack == ep->snd_una && s->len == 0 && !(s->flags & TCP_FIN) &&
	         wnd == ep->snd_wnd && ep->snd_una != ep->snd_max)
		duplicate_ack(ep, now, out);
	if (board)
		sack_board_ack(&ep->sb, ep->snd_una);
	tcp_rack_on_ack(ep, now, s, una_before, prior_high); /* tcp_identify_packet_loss() */
	if (ep->in_recovery) { /* RFC 6937 DeliveredData: SND.UNA's advance and the SACKed change */
		int64_t delivered = (int64_t)(ep->snd_una - una_before) + ep->sb.sacked - sacked_before;
		tcp_recovery_on_ack(ep, now, delivered > 0 ? (uint32_t)delivered : 0,
		                    ep->snd_una != una_before, out);
	}
	if (seq_lt(ep->snd_wl1, s->seq) || (ep->snd_wl1 == s->seq && seq_le(ep->snd_wl2, s->ack))) {
		bool reopened = ep->snd_wnd == 0 && wnd > 0 && ep->snd_una == ep->snd_max;
		bool changed = wnd != ep->snd_wnd;
		set_snd_wnd(ep, wnd); /* window update (§3.10.7.4, fifth step) */
		if (changed && seq_lt(ep->snd_nxt, tcp_snd_data_end(ep)))
			tcp_restart_after_idle(ep, now); /* tcp_ack_update_window() */
		ep->snd_wl1 = s->seq;
		ep->snd_wl2 = s->ack;
		if (reopened) /* the persist timer's backoff ends with it */
			tcp_rtx_progress(ep, now);
	}
	return true;
}

static bool finish_handshake(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s,
                             struct tcp_acts *out);

/* --- SACK blocks we report (models/tcp_sack_rcv.c) --- */

/* Data we had already, [seq, end) up to RCV.NXT: a D-SACK (RFC 2883 §4)
 * as Linux reports it for a segment below RCV.NXT, whether it is taken
 * (tcp_data_queue()) or found unacceptable (tcp_send_dupack()).  end
 * counts a FIN; FreeBSD's D-SACK is of data bytes only. */
static void dsack_old(struct tcp_ep *ep, uint32_t seq, uint32_t end, bool fin)
{
	if (fin && !ep->p->dsack_fin)
		end--;
	if (ep->sack_ok && ep->p->dsack && seq != end && seq_lt(seq, ep->rcv_nxt))
		sack_rcv_dsack_set(&ep->rx_sack, seq, seq_lt(end, ep->rcv_nxt) ? end : ep->rcv_nxt);
}

static void dsack_set(struct tcp_ep *ep, uint32_t seq, uint32_t end)
{
	if (ep->sack_ok && ep->p->dsack)
		sack_rcv_dsack_set(&ep->rx_sack, seq, end);
}

static void dsack_extend(struct tcp_ep *ep, uint32_t seq, uint32_t end)
{
	if (ep->sack_ok && ep->p->dsack)
		sack_rcv_dsack_extend(&ep->rx_sack, seq, end);
}

/* --- the text --- */

/* The sequence space a queued segment holds: its data and its FIN. */
static uint32_t ooo_end(const struct ooo_seg *o)
{
	return o->seq + o->len + (o->fin ? 1u : 0u);
}

static void ooo_unlink(struct tcp_ep *ep, struct ooo_seg **pp)
{
	struct ooo_seg *o = *pp;
	*pp = o->next;
	ep->ooo_bytes -= o->len;
	g_free(o);
}

/* Where [seq, end) goes, as Linux's tcp_data_queue_ofo() places it: after
 * the last segment starting at or before seq.  What that one holds of it
 * already is a D-SACK; all of it, and the segment is dropped (NULL); the
 * same start and less, and that one is replaced. */
static struct ooo_seg **ooo_place(struct tcp_ep *ep, uint32_t seq, uint32_t end)
{
	struct ooo_seg **pp = &ep->ooo, **prevp = NULL;
	while (*pp && seq_le((*pp)->seq, seq)) {
		prevp = pp;
		pp = &(*pp)->next;
	}
	if (!prevp || !seq_lt(seq, ooo_end(*prevp)))
		return pp;
	struct ooo_seg *prev = *prevp;
	if (seq_le(end, ooo_end(prev))) { /* "All the bits are present. Drop." */
		dsack_set(ep, seq, end);
		return NULL;
	}
	if (seq_gt(seq, prev->seq)) { /* partial overlap: both stay */
		dsack_set(ep, seq, ooo_end(prev));
		return pp;
	}
	dsack_extend(ep, prev->seq, ooo_end(prev));
	ooo_unlink(ep, prevp);
	return prevp;
}

static void ooo_insert(struct tcp_ep *ep, uint32_t seq, const uint8_t *data, uint32_t len,
                       bool fin)
{
	uint32_t end = seq + len + (fin ? 1u : 0u);
	bool first = ep->ooo == NULL;
	struct ooo_seg **pp = end == seq ? &ep->ooo : ooo_place(ep, seq, end);
	while (end == seq && *pp && seq_lt((*pp)->seq, seq))
		pp = &(*pp)->next; /* nothing kept (no room): held for its place only */
	/* merge_right: the segments it covers whole go, a partial one stays */
	while (pp && *pp && seq_gt(end, (*pp)->seq)) {
		if (seq_lt(end, ooo_end(*pp))) {
			dsack_extend(ep, (*pp)->seq, end);
			break;
		}
		dsack_extend(ep, (*pp)->seq, ooo_end(*pp));
		ooo_unlink(ep, pp);
	}
	if (pp) {
		struct ooo_seg *o = g_malloc(sizeof *o + len);
		o->seq = seq;
		o->len = len;
		o->fin = fin;
		if (len > 0) /* a bare FIN has no payload to copy (data may be NULL) */
			memcpy(o->data, data, len);
		o->next = *pp;
		*pp = o;
		ep->ooo_bytes += len;
	}
	if (ep->sack_ok && end != seq) /* add_sack: tcp_sack_new_ofo_skb() */
		sack_rcv_new_ofo(&ep->rx_sack, seq, end, first);
}

/* Appends in-order bytes and returns whether a FIN followed them. */
static bool deliver(struct tcp_ep *ep, uint32_t seq, const uint8_t *data, uint32_t len, bool fin)
{
	/* trim what we already have */
	if (seq_lt(seq, ep->rcv_nxt) && !TCP_MUTANT(ep->p, TCP_MUTANT_DELIVER_DUPLICATE)) {
		uint32_t dup = ep->rcv_nxt - seq;
		if (dup >= len)
			return fin && seq + len == ep->rcv_nxt;
		data += dup;
		len -= dup;
	}
	if (!ep->rcv_ended) /* FreeBSD tcp_input(): SBS_CANTRCVMORE, m_freem() */
		bytebuf_append(&ep->rcv, data, len);
	ep->rcv_nxt += len;
	ep->rcv_unacked += len;
	tcp_rcv_grow_window(ep, len); /* tcp_event_data_recv() */
	return fin;
}

/* Pulls queued out-of-order segments that now fit; true if a FIN came in.
 * What the segment that filled the hole brought again is a D-SACK
 * (tcp_ofo_queue(): below dsack_high, the RCV.NXT it left). */
static bool drain_ooo(struct tcp_ep *ep)
{
	bool fin = false;
	uint32_t dsack_high = ep->rcv_nxt;
	while (ep->ooo && seq_le(ep->ooo->seq, ep->rcv_nxt)) {
		struct ooo_seg *o = ep->ooo;
		if (seq_lt(o->seq, dsack_high)) {
			uint32_t high = dsack_high;
			if (seq_lt(ooo_end(o), dsack_high))
				dsack_high = ooo_end(o);
			dsack_extend(ep, o->seq, high);
		}
		ep->ooo = o->next;
		ep->ooo_bytes -= o->len;
		if (seq_ge(o->seq + o->len, ep->rcv_nxt))
			fin |= deliver(ep, o->seq, o->data, o->len, o->fin);
		g_free(o);
	}
	return fin;
}

/* Linux's quick-ACK credit (tcp_incr_quickack): ACK the next segments at once. */
static void grant_quickacks(struct tcp_ep *ep, sim_time now)
{
	if (ep->got_data && now - ep->last_rcv <= ep->rto)
		return;
	uint32_t n = tcp_rcv_window(ep) / (2 * ep->p->mss);
	n = n < 2 ? 2 : n;
	ep->quick = n < ep->p->quickacks ? n : ep->p->quickacks;
	ep->got_data = true;
}

/* Seventh and eighth checks: data and FIN.  Returns true when an ACK must go
 * at once (out of order, a duplicate, a hole filled). */
static bool input_text(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s, bool *fin_in)
{
	bool fin = s->flags & TCP_FIN;
	*fin_in = false;
	if (s->len == 0 && !fin)
		return false;
	if (s->len > 0) {
		grant_quickacks(ep, now);
		ep->last_rcv = now;
		/* tcp_measure_rcv_mss(): a GRO packet counts as its segments,
		 * and no segment as more than our own MSS (advmss) */
		uint32_t seg = s->gso_size && s->gso_size < s->len ? s->gso_size : s->len;
		if (seg > ep->rcv_mss)
			ep->rcv_mss = seg < ep->p->mss ? seg : ep->p->mss;
	}
	if (seq_gt(s->seq, ep->rcv_nxt) && !TCP_MUTANT(ep->p, TCP_MUTANT_OOO_AS_IN_ORDER)) { /* a hole before it */
		uint32_t buf = tcp_rcv_buffer(ep), used = ep->rcv.len + ep->ooo_bytes;
		uint32_t room = used < buf ? buf - used : 0;
		uint32_t len = s->len < room ? s->len : room;
		ooo_insert(ep, s->seq, s->payload, len, fin && len == s->len);
		if (TCP_MUTANT(ep->p, TCP_MUTANT_OOO_FIN_TAKEN))
			*fin_in = fin;
		ep->ack_pending = true;
		return true;
	}
	bool had_ooo = ep->ooo != NULL;
	/* a bare FIN taken into a shut window (see acceptable()): the buffer is
	 * full, so Linux's tcp_try_rmem_schedule() fails and the ACK goes at
	 * once (ICSK_ACK_NOW) */
	bool shut = s->len == 0 && fin && tcp_rcv_window(ep) == 0;
	uint32_t end = s->seq + s->len + (fin ? 1u : 0u);
	bool old = seq_le(end, ep->rcv_nxt);
	dsack_old(ep, s->seq, end, fin); /* tcp_data_queue(): a retransmission, or part of one */
	*fin_in = deliver(ep, s->seq, s->payload, s->len, fin) && !old;
	if (!old && s->len > 0)
		tcp_rcv_rtt_measure(ep, now, s);
	if (!old) {
		*fin_in |= drain_ooo(ep);
		if (ep->rx_sack.n > 0) /* no block reported: none to remove */
			sack_rcv_remove(&ep->rx_sack, ep->rcv_nxt, ep->ooo == NULL);
	}
	ep->ack_pending = true;
	return old || had_ooo || shut;
}

/* FreeBSD tcp_input()'s DELAY_ACK(): in-order data waits for the delayed
 * ACK only when none is pending and the segment is at most one MSS
 * (t_maxseg): a second segment, or a longer one, is ACKed at once. */
static bool bsd_acks_at_once(const struct tcp_ep *ep, const struct tcp_seg *s)
{
	if (ep->p->ack_rule != TCP_ACK_BSD || s->len == 0)
		return false;
	return s->len > tcp_bsd_maxseg(ep) || ep->deadline[TCP_TIMER_DELACK] != SIM_NEVER;
}

/* The peer's FIN is in sequence (eighth check): it takes one sequence
 * number, and the user will read end of file. */
static void accept_fin(struct tcp_ep *ep)
{
	ep->rcv_nxt++;
	ep->fin_rcvd = true;
	if (ep->p->fin_clears_sack) { /* tcp_fin(): tcp_sack_reset(): num_sacks and dsack 0 */
		ep->rx_sack.n = 0;
		ep->rx_sack.dsack = false;
	}
}

/* What the peer's FIN does to the states other than FIN_WAIT_1 (eighth
 * check; FIN_WAIT_1 is decided in fin_wait_1_step()). */
static void fin_arrived(struct tcp_ep *ep, sim_time now, bool *ack_now, struct tcp_acts *out)
{
	switch (ep->state) {
	case TCP_SYN_RCVD:
	case TCP_ESTABLISHED:
		/* Linux expects the application to answer a FIN: it enters
		 * pingpong mode, so the ACK waits and may ride on our own FIN.
		 * FreeBSD expects no more input and ACKs at once (tcp_input():
		 * TF_ACKNOW). */
		tcp_set_state(ep, TCP_CLOSE_WAIT, 0, out);
		if (ep->p->ack_rule == TCP_ACK_BSD)
			*ack_now = true;
		else
			ep->pingpong = true;
		break;
	case TCP_FIN_WAIT_2:
		tcp_send_ack(ep, now, out);
		tcp_enter_time_wait(ep, now, out);
		break;
	case TCP_FIN_WAIT_1:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
	case TCP_TIME_WAIT:
	case TCP_STATE_COUNT:
		*ack_now = true;
		break;
	}
}

static void enter_fin_wait_2(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	tcp_set_state(ep, TCP_FIN_WAIT_2, 0, out);
	tcp_arm_fin_wait_2(ep, now);
}

/* After the ACK field (fifth check): CLOSING and LAST_ACK end when our FIN
 * is covered, and nothing else of the segment matters.  True when the
 * segment's processing ends here. */
static bool closing_acked(struct tcp_ep *ep, sim_time now, const struct seg_facts *f,
                          struct tcp_acts *out)
{
	if (!f->fin_acked)
		return false;
	if (ep->state == TCP_CLOSING) {
		tcp_enter_time_wait(ep, now, out);
		return true;
	}
	if (ep->state == TCP_LAST_ACK) {
		tcp_set_state(ep, TCP_CLOSED, 0, out);
		return true;
	}
	return false;
}

/* FIN_WAIT_1, decided once the segment's facts are all known:
 *
 *   our FIN   its FIN  its FIN in   new data for
 *   acked     flag     sequence     a closed user   next
 *   no        -        no           no              FIN_WAIT_1
 *   no        -        yes          no              CLOSING, ACK at once
 *   yes       yes      yes          no              ACK, TIME_WAIT
 *   yes       yes      no (a hole)  no              FIN_WAIT_2
 *   yes       no       -            no              FIN_WAIT_2 (then the FIN
 *                                                   it uncovered, if any)
 *   yes       no       -            yes             FIN_WAIT_2, then reset
 *   otherwise                       yes             reset
 *
 * RFC 9293 §3.10.7.4, fifth check: "if the FIN segment is now acknowledged,
 * then enter FIN-WAIT-2 and continue processing in that state"; eighth:
 * "If our FIN has been ACKed (perhaps in this segment), then enter
 * TIME-WAIT ...; otherwise, enter the CLOSING state": one segment with the
 * peer's FIN and the ACK of ours goes straight to TIME_WAIT.  True when
 * the segment's processing ends here. */
static bool fin_wait_1_step(struct tcp_ep *ep, sim_time now, const struct seg_facts *f,
                            bool *ack_now, struct tcp_acts *out)
{
	if (f->fin_acked && f->fin_flag && f->fin_in) {
		tcp_send_ack(ep, now, out);
		tcp_enter_time_wait(ep, now, out);
		return true;
	}
	if (f->fin_acked && !(f->abort_data && f->fin_flag)) {
		enter_fin_wait_2(ep, now, out);
	} else if (f->fin_in) {
		tcp_set_state(ep, TCP_CLOSING, 0, out); /* simultaneous close */
		*ack_now = true;
	}
	return false;
}

static bool accepts_text(enum tcp_state s)
{
	return s == TCP_ESTABLISHED || s == TCP_FIN_WAIT_1 || s == TCP_FIN_WAIT_2;
}

/* SYN_RCVD: the ACK that completes the handshake (fifth check). */
static bool finish_handshake(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s,
                             struct tcp_acts *out)
{
	if (!(seq_lt(ep->snd_una, s->ack) && seq_le(s->ack, ep->snd_max))) {
		reset_answer(ep, s, out);
		return false;
	}
	if (ep->rtt_start >= 0)
		tcp_rtt_sample(ep, now - ep->rtt_start);
	ep->rtt_start = -1;
	ep->snd_una = s->ack;
	set_snd_wnd(ep, seg_window(ep, s));
	ep->snd_wl1 = s->seq;
	ep->snd_wl2 = s->ack;
	become_established(ep, now, out);
	return true;
}

/* SYN_RCVD sees the peer's SYN again.  With an ACK of ours it is the
 * SYN-ACK of a simultaneous open (RFC 9293 figure 8): established.  Alone,
 * our SYN-ACK was lost: send it again and restart its timer (Linux
 * tcp_check_req()). */
static void syn_rcvd_syn_again(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s,
                               struct tcp_acts *out)
{
	if ((s->flags & TCP_ACK) && finish_handshake(ep, now, s, out)) {
		tcp_send_ack(ep, now, out);
		tcp_output(ep, now, out);
		return;
	}
	if (s->flags & TCP_ACK)
		return; /* finish_handshake answered with a reset */
	tcp_send_syn(ep, now, true, TCP_SEND_RTO, out);
	tcp_arm(ep, TCP_TIMER_RTX, now, ep->rto);
}

/* RFC 1122 §4.2.2.13: new data for a connection the user closed is
 * answered with a reset, and the connection ends (Linux, TCPABORTONDATA). */
static bool data_after_close(const struct tcp_ep *ep, const struct tcp_seg *s)
{
	return ep->orphan && (ep->state == TCP_FIN_WAIT_1 || ep->state == TCP_FIN_WAIT_2) &&
	       s->len > 0 && seq_gt(s->seq + s->len, ep->rcv_nxt);
}

static void abort_on_data(struct tcp_ep *ep, const struct tcp_seg *s, struct tcp_acts *out)
{
	reset_answer(ep, s, out);
	tcp_fail(ep, ECONNRESET, out);
}

/* RFC 7323 §5.3: PAWS.  A segment whose timestamp is older than the last
 * one accepted comes from the past (an old duplicate, maybe of an earlier
 * incarnation): it is not acceptable, whatever its sequence number. */
static bool paws_rejects(const struct tcp_ep *ep, const struct tcp_seg *s)
{
	return ep->ts_ok && (s->opt.present & TCP_OPT_TS) && !(s->flags & TCP_RST) &&
	       (int32_t)(s->opt.tsval - ep->ts_recent) < 0;
}

static void input_synchronized(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s,
                               struct tcp_acts *out)
{
	if (ep->state != TCP_SYN_RCVD && paws_rejects(ep, s) && !TCP_MUTANT(ep->p, TCP_MUTANT_PAWS_OFF)) {
		dsack_old(ep, s->seq, s->seq + tcp_seg_seqlen(s), s->flags & TCP_FIN); /* tcp_send_dupack() */
		return tcp_answer_unacceptable(ep, now, s, out);
	}
	if (ep->state == TCP_SYN_RCVD && (s->flags & TCP_SYN) && !(s->flags & TCP_RST) &&
	    s->seq == ep->irs)
		return syn_rcvd_syn_again(ep, now, s, out);
	if (!acceptable(ep, s)) {
		if (ep->state != TCP_SYN_RCVD && !(s->flags & (TCP_RST | TCP_SYN)))
			dsack_old(ep, s->seq, s->seq + tcp_seg_seqlen(s), s->flags & TCP_FIN); /* tcp_send_dupack() */
		if (!(s->flags & TCP_RST))
			tcp_answer_unacceptable(ep, now, s, out);
		return;
	}
	if (s->flags & TCP_RST)
		return input_rst(ep, now, s, out);
	if ((s->flags & TCP_SYN) && TCP_MUTANT(ep->p, TCP_MUTANT_SYN_IN_WINDOW_RESETS))
		return abort_on_data(ep, s, out);
	/* FreeBSD tcp_do_segment() with insecure_syn: a SYN whose sequence
	 * number is in the window is RFC 793's, tcp_drop(): a reset from the
	 * connection (RST|ACK at SND.NXT), ECONNRESET */
	if ((s->flags & TCP_SYN) && ep->p->insecure_syn && ep->state != TCP_SYN_RCVD &&
	    bsd_seq_in_window(ep, s))
		return tcp_ep_drop(ep, now, ECONNRESET, TCP_DROP_BSD, out);
	if (s->flags & TCP_SYN) /* RFC 5961 §4: challenge ACK */
		return tcp_answer_unacceptable(ep, now, s, out);
	if (!(s->flags & TCP_ACK))
		return;
	/* Linux tcp_ack() drops an ACK of data never sent before
	 * tcp_replace_ts_recent(): it teaches nothing, and is not answered
	 * (input_ack() answers it, as RFC 9293 §3.10.7.4 asks). */
	if (ep->p->drop_ack_unsent && ep->state != TCP_SYN_RCVD && seq_gt(s->ack, ep->snd_max))
		return;
	if (ep->ts_ok && (s->opt.present & TCP_OPT_TS) && seq_le(s->seq, ep->rcv_nxt))
		ep->ts_recent = s->opt.tsval; /* RFC 7323 §4.3 */
	if (ep->state == TCP_SYN_RCVD && !finish_handshake(ep, now, s, out))
		return;
	struct seg_facts f = {.fin_flag = s->flags & TCP_FIN};
	if (!input_ack(ep, now, s, &f, out) || closing_acked(ep, now, &f, out))
		return;
	f.abort_data = data_after_close(ep, s);
	bool ack_now = false;
	if (!f.abort_data && accepts_text(ep->state)) {
		ack_now = bsd_acks_at_once(ep, s);
		ack_now |= input_text(ep, now, s, &f.fin_in);
	} else if (!f.abort_data && (s->len > 0 || f.fin_flag)) {
		ack_now = true; /* the peer already closed: a retransmission, ACK it */
		dsack_old(ep, s->seq, s->seq + tcp_seg_seqlen(s), s->flags & TCP_FIN);
	}
	if (TCP_MUTANT(ep->p, TCP_MUTANT_FIN_WAIT_2_IGNORES_FIN) && ep->state == TCP_FIN_WAIT_2)
		f.fin_in = false;
	if (f.fin_in)
		accept_fin(ep);
	if (ep->state == TCP_FIN_WAIT_1 && fin_wait_1_step(ep, now, &f, &ack_now, out))
		return;
	if (f.abort_data)
		return abort_on_data(ep, s, out);
	if (f.fin_in)
		fin_arrived(ep, now, &ack_now, out);
	if (ep->state == TCP_TIME_WAIT || ep->state == TCP_CLOSED)
		return;
	if (ack_now)
		ep->ack_pending = true;
	tcp_output(ep, now, out);
	if (f.progress) /* tcp_data_snd_check(): tcp_check_space() after the push */
		tcp_new_space(ep);
	if (ep->ack_pending)
		tcp_schedule_ack(ep, now, ack_now, out);
}

void tcp_ep_icmp_unreachable(struct tcp_ep *ep, sim_time now, int err, struct tcp_acts *out)
{
	(void)now;
	if (ep->state == TCP_SYN_SENT || ep->state == TCP_SYN_RCVD)
		tcp_fail(ep, err, out);
	else if (ep->state != TCP_CLOSED)
		ep->soft_err = err;
}

void tcp_ep_input(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s, struct tcp_acts *out)
{
	bool rcv_known = ep->state >= TCP_SYN_RCVD; /* RCV.NXT set from the peer's ISN */
	uint32_t rcv_before = ep->rcv_nxt;
	ep->last_heard = now;
	ep->zw_probes = 0; /* the peer is alive (Linux resets icsk_probes_out) */
	if (ep->probes > 0 || ep->deadline[TCP_TIMER_KEEPALIVE] != SIM_NEVER) {
		ep->probes = 0;
		if (ep->p->keepalive && tcp_state_synchronized(ep->state))
			tcp_arm(ep, TCP_TIMER_KEEPALIVE, now, ep->p->keepalive_idle);
	}
	switch (ep->state) {
	case TCP_SYN_SENT:
		input_syn_sent(ep, now, s, out);
		break;
	case TCP_TIME_WAIT:
		input_time_wait(ep, now, s, out);
		break;
	case TCP_SYN_RCVD:
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		input_synchronized(ep, now, s, out);
		break;
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_STATE_COUNT:
		break; /* the host answers for closed and listening sockets */
	}
	TCP_CHECK(ep, rcv_known ? rcv_before : ep->rcv_nxt);
}
