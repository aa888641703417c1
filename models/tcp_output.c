/*
 * What an endpoint sends: building segments (header fields, options, the
 * advertised window) and deciding when data, a FIN or an ACK goes out.
 *
 * Output follows from state: the user's calls and arriving segments change
 * the state; tcp_output() then sends whatever the state calls for, within
 * the peer's window and the congestion window, with Nagle's rule for short
 * segments.  Any segment that carries an ACK satisfies a pending delayed ACK.
 *
 * The delayed-ACK engine follows Linux (net/ipv4/tcp_input.c,
 * __tcp_ack_snd_check and tcp_event_data_recv): the first data segments of
 * a connection are acknowledged at once (quick-ACK mode); an endpoint that
 * answers within the delayed-ACK time of receiving becomes interactive
 * ("pingpong") and lets its ACKs ride on its answers; two full segments are
 * always acknowledged at once; out-of-order data at once.
 */
#include <glib.h>
#include "models/tcp_int.h"

uint32_t tcp_tsval(const struct tcp_ep *ep, sim_time now)
{
	return (uint32_t)(now / SIM_MS) + ep->ts_offset; /* a 1 ms clock, like Linux */
}

uint32_t tcp_bsd_maxseg(const struct tcp_ep *ep)
{
	return ep->snd_mss + (ep->ts_ok ? 12u : 0u);
}

/* tcp_rcv_buffer() and tcp_rcv_window() are inline in tcp_int.h. */

/* A SYN's window, never scaled (RFC 7323 §2.2): Linux offers a whole
 * number of segments (tcp_select_initial_window()), FreeBSD the space up
 * to 65535 (syncache_add(), tcp_output(): min(sbspace(), TCP_MAXWIN)).
 * A listener's SYN-ACK counts segments less the timestamps the SYN asked for
 * (tcp_openreq_init_rwin(): mss - TCPOLEN_TSTAMP_ALIGNED), so 65536 bytes
 * of space are 44 x 1460 = 64240 in a SYN and 45 x 1448 = 65160 in a
 * SYN-ACK.  So does a SYN that takes over a TIME_WAIT tuple and its
 * TS.Recent (tcp_connect_init(): advmss less the timestamps when
 * ts_recent_stamp is set, as tcp_twsk_unique() sets it).  Linux rounds
 * the space first, then sends at most 65535: a space above 65535 + MSS is
 * offered as 65535; a space below one segment is not rounded to 0. */
static uint16_t syn_window(const struct tcp_ep *ep, bool ack)
{
	uint32_t w = tcp_rcv_window(ep);
	if (ep->p->rwin_rule != TCP_RWIN_BSD) {
		bool less_ts = ep->ts_ok && (ack ? ep->passive : ep->ts_recent != 0);
		uint32_t seg = ep->p->mss - (less_ts ? 12u : 0u);
		if (w > seg) /* "if (space > mss) space = rounddown(space, mss)" */
			w -= w % seg;
	}
	/* tcp_transmit_skb(), tcp_make_synack(): min(rcv_wnd, 65535U) */
	return (uint16_t)(w > 65535 ? 65535 : w);
}

/* FreeBSD tcp_output(), receiver silly-window avoidance: less than a
 * quarter of the buffer and less than a segment is offered as nothing. */
static uint32_t bsd_sws_window(const struct tcp_ep *ep, uint32_t w)
{
	if (w < tcp_rcv_buffer(ep) / 4 && w < tcp_bsd_maxseg(ep))
		return 0;
	return w;
}

bool tcp_bsd_window_update_due(const struct tcp_ep *ep)
{
	uint32_t shift = ep->rcv_wscale;
	uint64_t maxwin = (uint64_t)65535 << shift;
	uint32_t recwin = bsd_sws_window(ep, tcp_rcv_window(ep));
	if (recwin > maxwin)
		recwin = (uint32_t)maxwin;
	uint32_t hiwat = tcp_rcv_buffer(ep), maxseg = tcp_bsd_maxseg(ep);
	if (recwin == 0 || ep->fin_rcvd)
		return false; /* nothing to offer, or the peer sends no more */
	uint32_t oldwin = seq_gt(ep->rcv_adv, ep->rcv_nxt) ? ep->rcv_adv - ep->rcv_nxt : 0;
	uint32_t adv = recwin > oldwin ? recwin - oldwin : 0;
	if (oldwin >> shift >= (adv + oldwin) >> shift)
		return false; /* the same field once scaled */
	if (adv >= 2 * maxseg && (adv >= hiwat / 4 || recwin <= hiwat / 8 ||
	                          hiwat <= 8 * maxseg || adv >= maxwin))
		return true;
	return 2 * (uint64_t)adv >= hiwat;
}

/* Linux offers no more than rcv_ssthresh, which starts at the window of
 * the connection's SYN: 64240 in a connect()'s SYN (tcp_connect_init():
 * rcv_ssthresh = rcv_wnd), 65160 in a listener's SYN-ACK
 * (tcp_create_openreq_child(): rcv_ssthresh = req->rsk_rcv_wnd).  The
 * first ACK after the handshake is then ALIGN(64240, 1 << rcv_wscale):
 * 64512 (63 << 10), the "win 502" (502 << 7 = 64256) of captures of
 * kernels that scaled by 7; a server's first ACK ALIGN(65160, 1024) =
 * 65536.  Each in-order segment of 128 bytes or more grows it by two
 * segments up to the free space (tcp_event_data_recv() ->
 * tcp_grow_window(): "incr = 2 * tp->advmss" when the segment's len is
 * at least the window its truesize costs, as a full segment's is at the
 * 50 % TCP_DEFAULT_SCALING_RATIO). */
void tcp_rcv_grow_window(struct tcp_ep *ep, uint32_t len)
{
	if (!ep->p->rcv_ssthresh || len < 128)
		return;
	uint32_t space = tcp_rcv_window(ep); /* min(window_clamp, tcp_space()) */
	if (space <= ep->rcv_ssthresh)
		return; /* "room <= 0" */
	uint32_t room = space - ep->rcv_ssthresh, incr = 2 * ep->p->mss;
	ep->rcv_ssthresh += incr < room ? incr : room;
}

/* The window field.  A scaled one is rounded up (Linux; FreeBSD 13+
 * roundup2()), so that scaling never shrinks it. */
static uint16_t window_field(const struct tcp_ep *ep, uint8_t flags)
{
	if (flags & TCP_SYN)
		return syn_window(ep, flags & TCP_ACK);
	uint32_t w = tcp_rcv_window(ep);
	if (ep->p->rwin_rule == TCP_RWIN_BSD)
		w = bsd_sws_window(ep, w);
	if (ep->p->rcv_ssthresh && ep->rcv_ssthresh != 0 && w > ep->rcv_ssthresh)
		w = ep->rcv_ssthresh; /* __tcp_select_window(): "free_space = rcv_ssthresh" */
	/* Never move the right edge back (RFC 9293 §3.8.6.2.2; Linux
	 * __tcp_select_window): duplicate ACKs then carry the same window,
	 * as the sender's duplicate-ACK test requires. */
	uint32_t offered = seq_gt(ep->rcv_adv, ep->rcv_nxt) ? ep->rcv_adv - ep->rcv_nxt : 0;
	if (w < offered)
		w = offered;
	uint32_t shift = ep->rcv_wscale;
	uint32_t f = (w + (1u << shift) - 1) >> shift; /* Linux rounds up */
	return (uint16_t)(f > 65535 ? 65535 : f);
}

static bool sent_without_socket(const struct tcp_ep *ep);

/* SACK blocks ride on every segment but a SYN that the socket itself
 * sends (tcp_established_options()); a time-wait or request socket's
 * answers carry none (tcp_v4_send_ack() writes timestamps only). */
static bool carries_sack(const struct tcp_ep *ep, uint8_t flags)
{
	return ep->sack_ok && !(flags & TCP_SYN) && ep->state != TCP_TIME_WAIT &&
	       !sent_without_socket(ep);
}

static void fill_header(struct tcp_ep *ep, sim_time now, struct tcp_seg *s, uint32_t seq,
                        uint8_t flags)
{
	s->saddr = ep->laddr;
	s->daddr = ep->raddr;
	s->sport = ep->lport;
	s->dport = ep->rport;
	s->seq = seq;
	s->flags = flags;
	s->ack = (flags & TCP_ACK) ? ep->rcv_nxt : 0;
	s->wnd = window_field(ep, flags);
	if ((flags & TCP_SYN) && ep->p->rcv_ssthresh)
		ep->rcv_ssthresh = s->wnd; /* tcp_connect_init(), tcp_openreq_init_rwin() */
	s->opt.layout = (uint8_t)ep->p->opt_layout;
	if (ep->ts_ok) {
		s->opt.present |= TCP_OPT_TS;
		s->opt.tsval = tcp_tsval(ep, now);
		s->opt.tsecr = ep->ts_recent; /* a SYN's too: 0, or what a reused TIME_WAIT knew */
	}
	if (carries_sack(ep, flags))
		sack_rcv_fill(&ep->rx_sack, &s->opt);
}

/* The payload a data segment may carry now: the MSS less the SACK blocks
 * waiting to go with it (tcp_current_mss() deducts the options that
 * tcp_established_options() will write). */
static uint32_t current_mss(const struct tcp_ep *ep)
{
	if (!carries_sack(ep, TCP_ACK))
		return ep->snd_mss;
	uint32_t sack = sack_rcv_opt_bytes(&ep->rx_sack, ep->ts_ok ? 12u : 0u);
	return ep->snd_mss > sack + TCP_MIN_SND_MSS ? ep->snd_mss - sack : ep->snd_mss;
}

/* Bookkeeping common to every segment that carries an ACK. */
static void ack_sent(struct tcp_ep *ep, const struct tcp_seg *s)
{
	ep->ack_pending = false;
	ep->rcv_unacked = 0;
	ep->rcv_wup = ep->rcv_nxt; /* Linux tcp_select_window() */
	tcp_disarm(ep, TCP_TIMER_DELACK);
	if (ep->quick > 0)
		ep->quick--;
	uint32_t edge = ep->rcv_nxt + ((uint32_t)s->wnd << ((s->flags & TCP_SYN) ? 0 : ep->rcv_wscale));
	if (seq_gt(edge, ep->rcv_adv))
		ep->rcv_adv = edge; /* the window never shrinks (RFC 9293 §3.8.6.2.2) */
}

/* Linux answers for a connection without its full socket in TIME_WAIT,
 * and in an orphan's FIN_WAIT_2 when tcp_fin_timeout is at most
 * TCP_TIMEWAIT_LEN (tcp_close() and tcp_rcv_state_process() make it a
 * timewait socket: tcp_time_wait(sk, TCP_FIN_WAIT2, tmo)): through the
 * per-netns control socket (tcp_v4_timewait_ack() -> tcp_v4_send_ack() ->
 * ip_send_unicast_reply()).  A passive SYN_RCVD is a request socket: its
 * SYN-ACK leaves through ip_build_and_send_pkt(), its ACKs through
 * tcp_v4_reqsk_send_ack(). */
static bool sent_without_socket(const struct tcp_ep *ep)
{
	switch (ep->state) {
	case TCP_TIME_WAIT:
		return true;
	case TCP_FIN_WAIT_2:
		return ep->orphan && ep->p->fin_timeout <= 60 * SIM_SEC; /* TCP_TIMEWAIT_LEN */
	case TCP_SYN_RCVD:
		return ep->passive;
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_STATE_COUNT:
		break;
	}
	return false;
}

static struct tcp_act *push_send(struct tcp_ep *ep, enum tcp_send_why why, bool rtx,
                                 struct tcp_acts *out)
{
	struct tcp_act *a = tcp_acts_push(out);
	a->kind = TCP_ACT_SEND;
	a->ep = ep;
	a->why = why;
	a->retransmission = rtx;
	a->ctl_sock = ep->p->ctl_sock_id_zero && sent_without_socket(ep);
	if (rtx) /* __tcp_retransmit_skb(), tcp_rtx_synack(): every segment sent again */
		ep->total_retrans++;
	return a;
}

/* RFC 3168 §6.1.1: an ECN-setup SYN carries ECE and CWR, the SYN-ACK that
 * agrees ECE alone.  A SYN retransmitted more than ecn_syn_retries times
 * stops asking (FreeBSD tcp_ecn_output_syn_sent(): t_rxtshift <=
 * V_tcp_ecn_maxretries; Linux tcp_ecn_clear_syn(): from the first) */
static uint8_t syn_ecn_flags(const struct tcp_ep *ep, bool ack)
{
	if (ack)
		return ep->ecn_ok ? TCP_ECE : 0;
	bool asks = ep->p->ecn == 1 && ep->retransmits <= ep->p->ecn_syn_retries;
	return asks ? (uint8_t)(TCP_ECE | TCP_CWR) : 0;
}

void tcp_send_syn(struct tcp_ep *ep, sim_time now, bool ack, enum tcp_send_why why,
                  struct tcp_acts *out)
{
	bool rtx = why != TCP_SEND_NEW;
	struct tcp_act *a = push_send(ep, why, rtx, out);
	struct tcp_seg *s = &a->seg;
	const struct tcp_params *p = ep->p;
	/* A SYN-ACK offers an option only if the SYN did (RFC 7323, RFC 2018). */
	bool ts = !p->no_options && (ack ? ep->ts_ok : p->timestamps && !ep->syn_opts_dropped);
	bool ws = !p->no_options && (ack ? ep->ws_ok : p->window_scaling && !ep->syn_opts_dropped);
	bool sack = !p->no_options && (ack ? ep->sack_ok : p->sack && !ep->syn_opts_dropped);
	bool ts_saved = ep->ts_ok;
	ep->ts_ok = ts;
	fill_header(ep, now, s, ep->iss, (uint8_t)(TCP_SYN | (ack ? TCP_ACK : 0) | syn_ecn_flags(ep, ack)));
	ep->ts_ok = ts_saved;
	if (!p->no_options) { /* FreeBSD TF_NOOPT: not even the MSS */
		s->opt.present |= TCP_OPT_MSS;
		s->opt.mss = (uint16_t)p->mss;
	}
	if (ws) {
		s->opt.present |= TCP_OPT_WSCALE;
		s->opt.wscale = (uint8_t)p->wscale;
	}
	if (sack)
		s->opt.present |= TCP_OPT_SACK_PERM;
	ep->snd_nxt = ep->iss + 1;
	ep->snd_max = seq_max(ep->snd_max, ep->snd_nxt);
	ep->rtt_seq = ep->iss + 1;
	ep->rtt_start = rtx ? -1 : now; /* Karn: never time a retransmitted SYN */
	if (ack)
		ack_sent(ep, s);
}

/* The sequence number of a segment without data (an ACK, a reset): Linux
 * tcp_acceptable_seq().  It is SND.MAX, the highest sequence number sent
 * (Linux's snd_nxt never moves back), not the SND.NXT that a timeout
 * rewinds: the peer's RCV.NXT may already be past the rewound SND.NXT, and
 * a bare ACK behind RCV.NXT fails the peer's acceptability test (RFC 9293
 * §3.10.7.4), so its ACK field would never be read.  It is never past the
 * peer's window either (a probe may have gone beyond a window that then
 * closed), or the peer finds our ACKs unacceptable and answers each. */
static uint32_t acceptable_seq(const struct tcp_ep *ep)
{
	uint32_t wnd_end = ep->snd_una + ep->snd_wnd;
	return seq_le(ep->snd_max, wnd_end) ? ep->snd_max : wnd_end;
}

/* FreeBSD's ACK in FIN_WAIT_1, CLOSING or LAST_ACK, our FIN sent and not
 * yet acknowledged: tcp_outflags[] gives every segment of these states the
 * FIN, and tcp_output() sends it again at its own sequence number. */
static bool ack_carries_fin(const struct tcp_ep *ep)
{
	bool fin_state = ep->state == TCP_FIN_WAIT_1 || ep->state == TCP_CLOSING ||
	                 ep->state == TCP_LAST_ACK;
	return ep->p->ack_repeats_fin && fin_state && ep->fin_queued &&
	       seq_gt(ep->snd_max, ep->fin_seq) && seq_le(ep->snd_una, ep->fin_seq);
}

/* An ACK with nothing else: Linux's tcp_send_ack(), FreeBSD's tcp_respond(). */
static void send_bare_ack(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	struct tcp_act *a = push_send(ep, TCP_SEND_ACK, false, out);
	fill_header(ep, now, &a->seg, acceptable_seq(ep), TCP_ACK);
	ack_sent(ep, &a->seg);
}

void tcp_send_ack(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	if (ack_carries_fin(ep)) {
		struct tcp_act *a = push_send(ep, TCP_SEND_ACK, true, out);
		fill_header(ep, now, &a->seg, ep->fin_seq, TCP_ACK | TCP_FIN);
		ack_sent(ep, &a->seg);
		return;
	}
	send_bare_ack(ep, now, out);
}

void tcp_send_probe(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	struct tcp_act *a = push_send(ep, TCP_SEND_ACK, false, out);
	fill_header(ep, now, &a->seg, ep->snd_una - 1, TCP_ACK);
	ack_sent(ep, &a->seg);
}

void tcp_answer_unacceptable(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s,
                             struct tcp_acts *out)
{
	bool pure = tcp_seg_seqlen(s) == 0 || (s->flags & TCP_SYN);
	if (pure && ep->oow_acked && now - ep->last_oow_ack < 500 * SIM_MS)
		return; /* an ACK loop is starved, not fed */
	ep->oow_acked = true;
	ep->last_oow_ack = now;
	/* RFC 5961's challenge ACK, to a SYN or a reset: FreeBSD sends it with
	 * tcp_respond() (tcp_send_challenge_ack()), a bare ACK at snd_nxt that
	 * never carries the FIN tcp_outflags[] gives what tcp_output() sends */
	if (s->flags & (TCP_SYN | TCP_RST))
		send_bare_ack(ep, now, out);
	else
		tcp_send_ack(ep, now, out);
}

void tcp_send_rst(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	struct tcp_act *a = push_send(ep, TCP_SEND_RST, false, out);
	/* an active reset goes out through the socket, with its timestamp
	 * (Linux tcp_send_active_reset() -> tcp_transmit_skb(); RFC 7323 §3.2:
	 * TSopt SHOULD be sent in an <RST> segment) */
	fill_header(ep, now, &a->seg, acceptable_seq(ep), TCP_RST | TCP_ACK);
	/* FreeBSD tcp_output(): "If a RST segment is sent, advertise a window
	 * of zero" (Linux's tcp_send_active_reset() offers the window) */
	if (ep->p->rwin_rule == TCP_RWIN_BSD)
		a->seg.wnd = 0;
}

/* tcp_event_data_sent(): data leaving with nothing in flight tells the
 * congestion control the sender was idle (CA_EVENT_TX_START). */
static void data_sent(struct tcp_ep *ep, sim_time now)
{
	if (ep->snd_nxt == ep->snd_una && ep->cc.ops->tx_start) {
		struct tcp_cc_clock clk = tcp_cc_clock_at(ep, now);
		ep->cc.ops->tx_start(&ep->cc, tcp_cc_clock_at(ep, ep->lsndtime).jiffies, &clk);
	}
	ep->lsndtime = now;
}

void tcp_send_range(struct tcp_ep *ep, sim_time now, uint32_t seq, uint32_t len, bool fin,
                    enum tcp_send_why why, struct tcp_acts *out)
{
	bool rtx = seq_lt(seq, ep->snd_max);
	struct tcp_act *a = push_send(ep, why, rtx, out);
	struct tcp_seg *s = &a->seg;
	uint32_t end = seq + len;
	uint8_t flags = TCP_ACK;
	if (len > 0 && end == tcp_snd_data_end(ep))
		flags |= TCP_PSH; /* the last segment of what the user wrote */
	if (fin)
		flags |= TCP_FIN;
	fill_header(ep, now, s, seq, flags);
	s->len = len;
	s->payload = len ? bytebuf_at(&ep->snd, seq - ep->snd_buf_seq) : NULL;
	if (ep->in_recovery)
		ep->prr.out += len + (fin ? 1u : 0u); /* prr_out */
	if (len > 0 && len < ep->snd_mss)
		ep->snd_sml = end;
	if (ep->snd_una == ep->snd_max)
		ep->rtx_epoch = now; /* nothing was in flight: a new episode */
	if (len > 0) {
		data_sent(ep, now);
		tcp_tsq_sent(ep, len);
	}
	uint32_t next = end + (fin ? 1u : 0u);
	tcp_rack_sent(ep, now, seq, next);
	if (why != TCP_SEND_PROBE && why != TCP_SEND_FAST)
		ep->snd_nxt = seq_max(ep->snd_nxt, next);
	if (seq_gt(next, ep->snd_max)) {
		ep->snd_max = next;
		ep->snd_last = seq; /* the newest segment: what a tail loss probe sends again */
	}
	if (rtx) {
		ep->rtt_start = -1; /* Karn's rule */
	} else if (ep->rtt_start < 0) {
		ep->rtt_seq = next;
		ep->rtt_start = now;
	}
	/* Answering soon after receiving makes the connection interactive. */
	if (len > 0 && ep->got_data && now - ep->last_rcv < ep->p->delayed_ack)
		ep->pingpong = true;
	ack_sent(ep, s);
}

/* May data or a FIN leave in this state? */
static bool can_send_data(enum tcp_state s)
{
	return s == TCP_ESTABLISHED || s == TCP_CLOSE_WAIT || s == TCP_FIN_WAIT_1 ||
	       s == TCP_CLOSING || s == TCP_LAST_ACK;
}

/* Nagle (RFC 896): may a short segment wait for the ACK of earlier data?
 * Minshall's form (Linux tcp_minshall_check) waits only while an earlier
 * short segment is unacknowledged, so the tail of one write goes at once. */
static bool nagle_holds(const struct tcp_ep *ep)
{
	switch (ep->p->nagle) {
	case TCP_NAGLE_OFF: return false;
	case TCP_NAGLE_RFC896: return true;
	case TCP_NAGLE_MINSHALL: return seq_gt(ep->snd_sml, ep->snd_una);
	}
	return true;
}

/* Sends one segment of new (or rewound) data if the windows and Nagle allow;
 * false when nothing more can go now. */
static bool output_one(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	uint32_t data_end = tcp_snd_data_end(ep);
	uint32_t hole;
	ep->snd_nxt = tcp_resend_skip(ep, &hole); /* what the peer holds is not sent again */
	uint32_t avail = seq_lt(ep->snd_nxt, data_end) ? data_end - ep->snd_nxt : 0;
	avail = avail < hole ? avail : hole;
	enum tcp_send_why why = seq_lt(ep->snd_nxt, ep->snd_max) ? TCP_SEND_GO_BACK : TCP_SEND_NEW;
	if (avail == 0) {
		if (ep->fin_queued && ep->snd_nxt == ep->fin_seq) {
			tcp_send_range(ep, now, ep->fin_seq, 0, true, why, out);
			return true;
		}
		return false;
	}
	uint32_t in_flight = tcp_in_flight(ep);
	/* the congestion window counts whole segments, as Linux's snd_cwnd
	 * does; in recovery PRR sets it to the pipe and what may go now */
	uint32_t cwnd = ep->in_recovery ? ep->rec_cwnd : (ep->cc.cwnd ? ep->cc.cwnd : 1) * ep->snd_mss;
	uint32_t usable = cwnd > in_flight ? cwnd - in_flight : 0;
	uint32_t sent = ep->snd_nxt - ep->snd_una; /* the peer's window counts all of it */
	uint32_t rwnd_room = ep->snd_wnd > sent ? ep->snd_wnd - sent : 0;
	usable = usable < rwnd_room ? usable : rwnd_room;
	uint32_t mss = current_mss(ep);
	uint32_t len = avail < mss ? avail : mss;
	if (len > usable)
		len = usable;
	if (len == 0)
		return false; /* window closed: the retransmission timer probes it */
	/* Sender silly-window avoidance (RFC 9293 §3.8.6.2.1): no short segment
	 * cut by the window while data is in flight; wait for a full one. */
	if (len < mss && len < avail && in_flight > 0)
		return false;
	if (len < mss && len == avail && in_flight > 0 && !ep->fin_queued &&
	    why == TCP_SEND_NEW && nagle_holds(ep))
		return false;
	if (tcp_small_queue_full(ep, now))
		return false; /* TSQ: the host's queue holds enough of ours (tcp_tsq.c) */
	bool fin = ep->fin_queued && ep->snd_nxt + len == ep->fin_seq;
	tcp_send_range(ep, now, ep->snd_nxt, len, fin, why, out);
	return true;
}

void tcp_restart_after_idle(struct tcp_ep *ep, sim_time now)
{
	if (!ep->p->slow_start_after_idle || ep->snd_una != ep->snd_max)
		return;
	/* Most calls come within an RTO of the last send: a cheap exit before
	 * the jiffy counts below, and exact: with J = SIM_SEC / hz
	 * (rounded down) and d = now - lsndtime, idle (a difference of two
	 * floored jiffy counts) is at most floor(d / J) + 1, so if d + J <= rto
	 * then idle <= floor(rto / J), and the window is not restarted.
	 * d * hz + SIM_SEC <= rto * hz implies d + J <= rto (and d < rto
	 * first, so that d * hz cannot overflow after a long silence). */
	uint32_t hz = ep->p->hz ? ep->p->hz : 1000;
	sim_time d = now - ep->lsndtime;
	if (d < ep->rto && d * hz + SIM_SEC <= ep->rto * hz)
		return;
	struct tcp_cc_clock clk = tcp_cc_clock_at(ep, now);
	uint32_t idle = clk.jiffies - tcp_cc_clock_at(ep, ep->lsndtime).jiffies;
	uint32_t rto = (uint32_t)ktimer_div_jiffy(clk.hz, (uint64_t)ep->rto);
	if ((int32_t)idle > (int32_t)rto)
		tcp_cc_restart_after_idle(&ep->cc, idle, rto, ep->p->init_cwnd);
}

/* tcp_write_xmit() -> tcp_cwnd_validate(): was it the window that held
 * the data back? */
static void cwnd_validate(struct tcp_ep *ep, bool sent)
{
	uint32_t mss = ep->snd_mss;
	uint32_t in_flight = tcp_segs_up(ep->snd_nxt - ep->snd_una, mss);
	bool limited = in_flight >= ep->cc.cwnd;
	if (sent || limited)
		tcp_cc_validate(&ep->cc, limited, in_flight, ep->snd_una, ep->snd_nxt);
}

void tcp_output(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	if (!can_send_data(ep->state))
		return;
	uint32_t sent_to = ep->snd_max, nxt_before = ep->snd_nxt;
	while (output_one(ep, now, out))
		;
	cwnd_validate(ep, ep->snd_nxt != nxt_before);
	bool outstanding = ep->snd_una != ep->snd_max;
	bool zero_window = ep->snd_wnd == 0 && seq_lt(ep->snd_nxt, tcp_snd_data_end(ep));
	/* Linux's tcp_write_xmit() schedules the loss probe again after new
	 * data went out (tcp_schedule_loss_probe()): the probe follows the
	 * tail, not the head */
	bool new_tail = seq_gt(ep->snd_max, sent_to) && ep->tlp_armed;
	if ((outstanding || zero_window) && (ep->deadline[TCP_TIMER_RTX] == SIM_NEVER || new_tail))
		tcp_arm_rtx(ep, now);
	TCP_CHECK(ep, ep->rcv_nxt);
}

/* The next tick of the kernel's timer wheel, for a timer due now, with
 * exact timers: one jiffy at HZ=1000.  Kernel timers find the tick
 * themselves (models/ktimer.h). */
#define TCP_NEXT_JIFFY (1 * SIM_MS)

/* How long an owed ACK may wait.  Linux's delayed-ACK engine (the one
 * with quick ACKs) starts with ato = 0 and sets TCP_ATO_MIN only when the
 * first data segment arrives (tcp_event_data_recv()); until then
 * tcp_send_delayed_ack() arms the timer for now, which fires at the next
 * jiffy: a FIN on a connection that never carried data is ACKed at once,
 * unless the application answers it with its own FIN first. */
static sim_time ack_delay(const struct tcp_ep *ep)
{
	if (ep->p->quickacks > 0 && !ep->got_data)
		return ep->p->timers == TCP_TIMERS_KERNEL ? 0 : TCP_NEXT_JIFFY;
	return ep->p->delayed_ack;
}

/* We owe the peer an ACK: send it now, or arm the delayed-ACK timer. */
void tcp_schedule_ack(struct tcp_ep *ep, sim_time now, bool at_once, struct tcp_acts *out)
{
	ep->ack_pending = true;
	bool quick = ep->quick > 0 && !ep->pingpong;
	bool two_full = ep->rcv_unacked > ep->rcv_mss; /* more than one full segment */
	if (at_once || quick || two_full) {
		tcp_send_ack(ep, now, out);
		return;
	}
	if (ep->deadline[TCP_TIMER_DELACK] == SIM_NEVER)
		tcp_arm(ep, TCP_TIMER_DELACK, now, ack_delay(ep));
}
