/*
 * The endpoint's timers: retransmission (with RFC 6298 backoff and the tail
 * loss probe of RFC 8985), delayed ACK, keepalive, FIN_WAIT_2, TIME_WAIT and
 * the stack's own connect limit.  A timer is a deadline in ep->deadline[];
 * the engine calls tcp_ep_on_timer() at the earliest one.
 *
 * Giving up (net/ipv4/tcp_timer.c, tcp_write_timeout()).  A SYN gives up
 * when the timer expires after syn_retries (+ syn_linear_timeouts on Linux)
 * retransmissions: with Linux's defaults, SYNs at 0, 1, 2, 3, 4, 5 s (four
 * linear timeouts), then 7, 11, 19, 35 and 67 s, and ETIMEDOUT at 131 s — the
 * first expiry past the classic 127 s budget; with syn_linear_timeouts = 0
 * the classic 0, 1, 3, 7, 15, 31, 63 s and ETIMEDOUT at 127 s.
 * Established data and orphans: Linux (retries_by_time) turns retries2 and
 * orphan_retries into the time their backoff would take from the first
 * transmission, (2^(limit+1) - 1) * rto_min while the doubling stays under
 * rto_max (retransmits_timed_out()); other profiles count.
 */
#include <errno.h>
#include <glib.h>
#include "models/ktimer.h"
#include "models/tcp_int.h"

static bool kernel_timers(const struct tcp_ep *ep) { return ep->p->timers == TCP_TIMERS_KERNEL; }

void tcp_arm(struct tcp_ep *ep, enum tcp_timer t, sim_time now, sim_time after)
{
	if (!kernel_timers(ep)) {
		tcp_set_deadline(ep, t, now + after);
		return;
	}
	sim_time uptime = ep->p->uptime > 0 ? ep->p->uptime : 0;
	tcp_set_deadline(ep, t, ktimer_fire(ep->p->hz, uptime, now, after));
}

sim_time tcp_timer_round(const struct tcp_ep *ep, sim_time d)
{
	return kernel_timers(ep) ? ktimer_round(ep->p->hz, d) : d;
}

void tcp_disarm_all(struct tcp_ep *ep)
{
	for (int t = 0; t < TCP_TIMER_COUNT; t++)
		ep->deadline[t] = SIM_NEVER;
	ep->next_deadline = SIM_NEVER;
	ep->next_stale = false;
}

sim_time tcp_ep_next_deadline(struct tcp_ep *ep)
{
	if (ep->next_stale) {
		ep->next_deadline = tcp_earliest_deadline(ep);
		ep->next_stale = false;
	}
	return ep->next_deadline;
}

sim_time tcp_earliest_deadline(const struct tcp_ep *ep)
{
	sim_time next = SIM_NEVER;
	/* unrolled, it is a few compares without a branch even where -O2
	 * keeps loops */
#pragma GCC unroll 8
	for (int t = 0; t < TCP_TIMER_COUNT; t++)
		if (ep->deadline[t] < next)
			next = ep->deadline[t];
	return next;
}

/* __tcp_set_rto(): SRTT + rttvar_us, in jiffies rounded up. */
static sim_time kernel_rto(const struct tcp_ep *ep)
{
	return ktimer_round(ep->p->hz, (sim_time)(ep->k.srtt_us / 8 + ep->k.rttvar_us) * SIM_US);
}

/* RTO without backoff: RFC 6298 §2.2-2.4, clock granularity 1 ms. */
static sim_time rto_base(const struct tcp_ep *ep)
{
	if (ep->srtt == 0) { /* RFC 6298 §5.7: after a lost SYN, 3 s until a sample */
		bool fallback = ep->syn_retransmitted && tcp_state_synchronized(ep->state);
		sim_time three = 3 * SIM_SEC;
		return fallback && three > ep->p->rto_initial ? three : ep->p->rto_initial;
	}
	if (kernel_timers(ep)) { /* __tcp_set_rto(), tcp_bound_rto() */
		sim_time rto = ep->k.rto_hz != 0 && ep->k.rto_hz == ep->p->hz ? ep->k.rto : kernel_rto(ep);
		return rto > ep->p->rto_max ? ep->p->rto_max : rto;
	}
	sim_time var = 4 * ep->rttvar, rto;
	if (ep->p->rto_formula == TCP_RTO_LINUX) { /* the floor is on the variance */
		rto = ep->srtt + (var > ep->p->rto_min ? var : ep->p->rto_min);
	} else {
		rto = ep->srtt + (var > SIM_MS ? var : SIM_MS);
		rto = rto < ep->p->rto_min ? ep->p->rto_min : rto;
	}
	return rto > ep->p->rto_max ? ep->p->rto_max : rto;
}

/* Linux tcp_rtt_estimator(), in its fixed point: srtt_us holds 8 * SRTT
 * and mdev_us 4 * the mean deviation, each moved by an eighth and a
 * quarter of the error; a sample below SRTT moves mdev only an eighth as
 * much (the "Eifel" damping); rttvar_us follows the largest mdev of each
 * round trip, at least rto_min, and decays a quarter of the way down once
 * per round trip.  The RTO is SRTT + rttvar_us, in jiffies rounded up. */
static void kernel_rtt_sample(struct tcp_ep *ep, sim_time r)
{
	int64_t m = r / SIM_US;
	uint32_t rto_min_us = (uint32_t)(ep->p->rto_min / SIM_US);
	if (ep->k.srtt_us == 0) { /* the first sample: RTO = 3 * RTT */
		ep->k.srtt_us = (uint32_t)(m << 3);
		ep->k.mdev_us = (uint32_t)(m << 1);
		ep->k.rttvar_us = ep->k.mdev_us > rto_min_us ? ep->k.mdev_us : rto_min_us;
		ep->k.mdev_max_us = ep->k.rttvar_us;
		ep->k.rtt_seq = ep->snd_nxt;
	} else {
		m -= ep->k.srtt_us >> 3;
		ep->k.srtt_us = (uint32_t)((int64_t)ep->k.srtt_us + m);
		if (m < 0) {
			m = -m - (ep->k.mdev_us >> 2);
			if (m > 0)
				m >>= 3;
		} else {
			m -= ep->k.mdev_us >> 2;
		}
		ep->k.mdev_us = (uint32_t)((int64_t)ep->k.mdev_us + m);
		if (ep->k.mdev_us > ep->k.mdev_max_us) {
			ep->k.mdev_max_us = ep->k.mdev_us;
			if (ep->k.mdev_max_us > ep->k.rttvar_us)
				ep->k.rttvar_us = ep->k.mdev_max_us;
		}
		if (seq_gt(ep->snd_una, ep->k.rtt_seq)) {
			if (ep->k.mdev_max_us < ep->k.rttvar_us)
				ep->k.rttvar_us -= (ep->k.rttvar_us - ep->k.mdev_max_us) >> 2;
			ep->k.rtt_seq = ep->snd_nxt;
			ep->k.mdev_max_us = rto_min_us;
		}
	}
	if (ep->k.srtt_us == 0)
		ep->k.srtt_us = 1;
	ep->srtt = (sim_time)(ep->k.srtt_us >> 3) * SIM_US;
	if (ep->srtt == 0)
		ep->srtt = 1; /* "no sample" is srtt 0 */
	ep->rttvar = (sim_time)(ep->k.mdev_us >> 2) * SIM_US;
	ep->k.rto = kernel_rto(ep); /* what rto_base() takes until the next sample */
	ep->k.rto_hz = ep->p->hz;
	ep->rto = rto_base(ep);
}

void tcp_rtt_sample(struct tcp_ep *ep, sim_time r)
{
	if (kernel_timers(ep))
		return kernel_rtt_sample(ep, r);
	if (r <= 0)
		r = 1; /* a sample of zero would mean "no sample" */
	if (ep->srtt == 0) {
		ep->srtt = r;
		ep->rttvar = r / 2;
	} else {
		sim_time err = ep->srtt > r ? ep->srtt - r : r - ep->srtt;
		ep->rttvar = (3 * ep->rttvar + err) / 4;
		ep->srtt = (7 * ep->srtt + r) / 8;
	}
	ep->rto = rto_base(ep);
}

/* Segments in flight, roughly: a lone tail segment is what TLP cares about. */
static bool one_segment_out(const struct tcp_ep *ep)
{
	return ep->snd_max - ep->snd_una <= ep->snd_mss + 1;
}

/* What a probe adds to 2*SRTT with several segments out:
 * TCP_TIMEOUT_MIN_US, 2 ms, added before the sum is rounded up to jiffies
 * (Linux 6.6+, 1c2709cfff1d "tcp: fix excessive TLP and RACK timeouts
 * from HZ rounding"; before it, two jiffies added after: 8 ms at HZ=250). */
#define TLP_MIN_SLACK (2 * SIM_MS)

/* RFC 8985 §7.2 as Linux does it (tcp_schedule_loss_probe): only with SACK,
 * not in recovery (icsk_ca_state Open), with something in flight (packets_out; a shut window is the persist
 * timer's), once per episode, PTO = 2*SRTT (+ the peer's delayed ACK when
 * one segment is out), never later than the RTO would fire. */
static bool tlp_allowed(const struct tcp_ep *ep)
{
	return ep->p->tlp && ep->sack_ok && !ep->tlp_done && ep->retransmits == 0 && !ep->in_recovery &&
	       ep->snd_una != ep->snd_max && ep->state != TCP_SYN_SENT && ep->state != TCP_SYN_RCVD;
}

void tcp_arm_rtx(struct tcp_ep *ep, sim_time now)
{
	ep->tlp_armed = false;
	ep->reo_armed = false;
	if (tlp_allowed(ep)) {
		sim_time pto = ep->p->rto_initial;
		if (ep->srtt > 0) /* usecs_to_jiffies(srtt_us >> 2 + slack) */
			pto = tcp_timer_round(ep, 2 * ep->srtt + (one_segment_out(ep) ? ep->p->rto_min : TLP_MIN_SLACK));
		/* never later than the RTO, which counts from the oldest
		 * segment's transmission (tcp_rto_delta_us()) */
		sim_time rto_left = ep->rtx_epoch + ep->rto - now;
		if (rto_left > 0 || !kernel_timers(ep)) {
			sim_time left = tcp_timer_round(ep, rto_left);
			if (left < pto)
				pto = left;
		}
		ep->tlp_armed = true;
		tcp_arm(ep, TCP_TIMER_RTX, now, pto);
		return;
	}
	tcp_arm(ep, TCP_TIMER_RTX, now, ep->rto);
}

void tcp_rtx_progress(struct tcp_ep *ep, sim_time now)
{
	ep->retransmits = 0;
	ep->backoff = 0;
	ep->tlp_done = false;
	ep->rto = rto_base(ep);
	tcp_disarm(ep, TCP_TIMER_RTX);
	ep->reo_armed = false;
	if (ep->snd_una != ep->snd_max) {
		ep->rtx_epoch = now;
		tcp_arm_rtx(ep, now);
	}
}

/* Linux's tcp_model_timeout(): how long `limit` doublings from `base` take. */
static sim_time model_timeout(uint32_t limit, sim_time base, sim_time rto_max)
{
	uint32_t thresh = 0;
	while (thresh < 62 && (base << (thresh + 1)) <= rto_max)
		thresh++; /* ilog2(rto_max / base) */
	if (limit <= thresh)
		return (((sim_time)2 << limit) - 1) * base;
	return (((sim_time)2 << thresh) - 1) * base + (sim_time)(limit - thresh) * rto_max;
}

/* Linux tcp_write_err(): a soft error (ICMP) is more telling than ETIMEDOUT. */
static void timed_out(struct tcp_ep *ep, struct tcp_acts *out)
{
	tcp_fail(ep, ep->soft_err ? ep->soft_err : ETIMEDOUT, out);
}

static bool synchronizing(const struct tcp_ep *ep)
{
	return ep->state == TCP_SYN_SENT || ep->state == TCP_SYN_RCVD;
}

static bool gave_up(const struct tcp_ep *ep, sim_time now, uint32_t limit, sim_time base)
{
	/* TCP_USER_TIMEOUT (RFC 5482, Linux retransmits_timed_out()): the
	 * unacknowledged data's age decides, not the count. */
	if (ep->p->user_timeout > 0 && !synchronizing(ep))
		return ep->retransmits > 0 && now - ep->rtx_epoch >= ep->p->user_timeout;
	if (ep->p->retries_by_time && ep->state != TCP_SYN_SENT && ep->state != TCP_SYN_RCVD)
		return ep->retransmits > 0 &&
		       now - ep->rtx_epoch >= model_timeout(limit, base, ep->p->rto_max);
	return ep->retransmits >= limit;
}

static void back_off(struct tcp_ep *ep)
{
	ep->retransmits++;
	bool linear = ep->state == TCP_SYN_SENT && ep->retransmits <= ep->p->syn_linear_timeouts;
	if (!linear) {
		ep->backoff++;
		ep->rto = ep->rto * 2 > ep->p->rto_max ? ep->p->rto_max : ep->rto * 2;
	}
}

/* The head of the retransmission queue goes again (RFC 6298 §5.4), after
 * the congestion window collapses to one segment (RFC 5681 §3.1). */
static void retransmit_head(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	if (TCP_MUTANT(ep->p, TCP_MUTANT_NO_RTX) ||
	    (TCP_MUTANT(ep->p, TCP_MUTANT_LAST_ACK_NO_RTX) && ep->state == TCP_LAST_ACK))
		return;
	/* tcp_enter_loss(): ssthresh on the episode's first timeout */
	struct tcp_cc_clock clk = tcp_cc_clock_at(ep, now);
	tcp_cc_on_rto(&ep->cc, ep->retransmits == 1, ep->snd_max, &clk); /* Linux's snd_nxt */
	ep->snd_nxt = ep->snd_una; /* go back N: later segments follow as ACKs return */
	ep->dupacks = 0;
	ep->in_recovery = false; /* tcp_enter_loss(): the SACKed data stays SACKed */
	ep->rack.lost_end = ep->snd_una; /* all of it goes again from SND.UNA */
	ep->tlp_done = true;
	if (ep->snd_una == ep->iss) {
		/* Our SYN is still unacknowledged (close() in SYN_RCVD of a
		 * simultaneous open): it heads the queue, as the SYN-ACK heads
		 * Linux's write queue, and goes again before the FIN. */
		tcp_send_syn(ep, now, true, TCP_SEND_RTO, out);
		return;
	}
	uint32_t data_end = tcp_snd_data_end(ep);
	uint32_t avail = seq_lt(ep->snd_una, data_end) ? data_end - ep->snd_una : 0;
	uint32_t len = avail < ep->snd_mss ? avail : ep->snd_mss;
	if (len == 0 && avail > 0)
		len = 1;
	bool fin = ep->fin_queued && ep->snd_una + len == ep->fin_seq;
	if (len == 0 && !fin && avail == 0 && !ep->fin_queued)
		return;
	tcp_send_range(ep, now, ep->snd_una, len, fin, TCP_SEND_RTO, out);
}

static uint32_t give_up_limit(const struct tcp_ep *ep)
{
	return ep->orphan ? ep->p->orphan_retries : ep->p->retries2;
}

/* Nothing in flight, data waiting, and the peer's window shut. */
static bool window_shut(const struct tcp_ep *ep)
{
	return ep->snd_una == ep->snd_max && ep->snd_wnd == 0 &&
	       seq_lt(ep->snd_max, tcp_snd_data_end(ep));
}

/* The persist timer (RFC 9293 §3.8.6.1, Linux tcp_probe_timer()): probe
 * the shut window with backoff up to rto_max.  A peer that answers keeps
 * the connection for ever; one that stays silent for `limit` probes ends
 * it with ETIMEDOUT. */
static void persist(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	if (ep->zw_probes >= give_up_limit(ep))
		return timed_out(ep, out);
	ep->zw_probes++;
	tcp_send_probe(ep, now, out);
	ep->backoff++;
	ep->rto = ep->rto * 2 > ep->p->rto_max ? ep->p->rto_max : ep->rto * 2;
	tcp_arm(ep, TCP_TIMER_RTX, now, ep->rto);
}

static void rto_fired(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	switch (ep->state) {
	case TCP_SYN_SENT:
		if (gave_up(ep, now, ep->p->syn_retries + ep->p->syn_linear_timeouts, ep->p->rto_initial))
			return timed_out(ep, out);
		back_off(ep);
		ep->syn_retransmitted = true;
		/* FreeBSD tcp_timer_rexmt(): with rexmit_drop_options, the third
		 * retransmission (t_rxtshift == 3) and later ones go without the
		 * options a middlebox might be dropping the SYN for, the MSS aside */
		if (ep->p->rexmit_drop_options && ep->retransmits == 3)
			ep->syn_opts_dropped = true;
		tcp_send_syn(ep, now, false, TCP_SEND_RTO, out);
		break;
	case TCP_SYN_RCVD: /* a listener's child counts SYN-ACKs; a simultaneous open SYNs */
		if (gave_up(ep, now, ep->passive ? ep->p->synack_retries : ep->p->syn_retries,
		            ep->p->rto_initial))
			return timed_out(ep, out);
		back_off(ep);
		ep->syn_retransmitted = true;
		tcp_send_syn(ep, now, true, TCP_SEND_RTO, out);
		break;
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		if (window_shut(ep))
			return persist(ep, now, out);
		if (gave_up(ep, now, give_up_limit(ep), ep->p->rto_min))
			return timed_out(ep, out);
		back_off(ep);
		retransmit_head(ep, now, out);
		break;
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_FIN_WAIT_2:
	case TCP_TIME_WAIT:
	case TCP_STATE_COUNT:
		return;
	}
	sim_time after = ep->rto;
	/* Linux tcp_clamp_rto_to_user_timeout(): the timer fires when the
	 * user's limit is reached, not a whole backed-off RTO later; at the
	 * next tick if it has passed. */
	if (ep->p->user_timeout > 0 && !synchronizing(ep)) {
		sim_time left = ep->rtx_epoch + ep->p->user_timeout - now;
		if (left < after)
			after = left > 0 ? left : kernel_timers(ep) ? 0 : SIM_MS;
	}
	tcp_arm(ep, TCP_TIMER_RTX, now, after);
}

/* The probe: new data if the window allows, else the last segment again. */
/* RFC 8985 §7.3, Linux tcp_send_loss_probe(): new data if the peer's
 * window takes it, else the newest segment again, as it was sent. */
static void tlp_fired(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	ep->tlp_armed = false;
	ep->tlp_done = true;
	uint32_t data_end = tcp_snd_data_end(ep);
	uint32_t unsent = seq_lt(ep->snd_max, data_end) ? data_end - ep->snd_max : 0;
	uint32_t room = ep->snd_una + ep->snd_wnd - ep->snd_max;
	if (unsent > 0 && seq_le(ep->snd_max, ep->snd_una + ep->snd_wnd) && room > 0) {
		uint32_t len = unsent < ep->snd_mss ? unsent : ep->snd_mss;
		len = len < room ? len : room;
		bool fin = ep->fin_queued && ep->snd_max + len == ep->fin_seq;
		tcp_send_range(ep, now, ep->snd_max, len, fin, TCP_SEND_NEW, out);
	} else {
		bool fin = ep->fin_queued && ep->snd_max == ep->fin_seq + 1;
		uint32_t sent_end = fin ? ep->fin_seq : ep->snd_max;
		uint32_t start = seq_lt(ep->snd_last, ep->snd_una) ? ep->snd_una : ep->snd_last;
		start = seq_gt(start, sent_end) ? sent_end : start;
		if (sent_end - start > ep->snd_mss) /* never more than one segment */
			start = sent_end - ep->snd_mss;
		tcp_send_range(ep, now, start, sent_end - start, fin, TCP_SEND_PROBE, out);
	}
	tcp_arm(ep, TCP_TIMER_RTX, now, ep->rto);
}

void tcp_enter_time_wait(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	tcp_set_state(ep, TCP_TIME_WAIT, 0, out);
	ep->tw_since = now;
	tcp_disarm_all(ep);
	ep->snd_buf_seq += ep->snd.len; /* nothing left to send or resend */
	bytebuf_consume(&ep->snd, ep->snd.len); /* a TIME_WAIT endpoint keeps only its numbers */
	if (ep->p->time_wait == 0 || TCP_MUTANT(ep->p, TCP_MUTANT_TW_ZERO))
		tcp_set_state(ep, TCP_CLOSED, 0, out);
	else
		tcp_arm(ep, TCP_TIMER_TIME_WAIT, now, ep->p->time_wait);
}

void tcp_arm_fin_wait_2(struct tcp_ep *ep, sim_time now)
{
	if (ep->orphan && ep->state == TCP_FIN_WAIT_2 && ep->p->fin_timeout > 0)
		tcp_arm(ep, TCP_TIMER_FIN_WAIT_2, now, ep->p->fin_timeout);
}

/* A keepalive probe: one byte of sequence space already acknowledged,
 * which the peer must answer with an ACK (RFC 1122 §4.2.3.6). */
static void keepalive_fired(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	/* Linux tcp_keepalive_timer(): a connection with data in flight or
	 * waiting is "alive without keepalive" (its retransmission timer
	 * judges the peer): look again one keepalive time later. */
	if (ep->snd_una != ep->snd_max || seq_lt(ep->snd_max, tcp_snd_data_end(ep))) {
		tcp_arm(ep, TCP_TIMER_KEEPALIVE, now, ep->p->keepalive_idle);
		return;
	}
	if (ep->probes >= ep->p->keepalive_probes) {
		tcp_send_rst(ep, now, out); /* Linux resets a dead peer's connection */
		return tcp_fail(ep, ETIMEDOUT, out);
	}
	tcp_send_probe(ep, now, out);
	ep->probes++;
	tcp_arm(ep, TCP_TIMER_KEEPALIVE, now, ep->p->keepalive_intvl);
}

static void timer_fired(struct tcp_ep *ep, enum tcp_timer t, sim_time now, struct tcp_acts *out)
{
	switch (t) {
	case TCP_TIMER_RTX:
		if (ep->reo_armed)
			tcp_rack_reo_timeout(ep, now, out);
		else if (ep->tlp_armed)
			tlp_fired(ep, now, out);
		else
			rto_fired(ep, now, out);
		break;
	case TCP_TIMER_DELACK:
		if (ep->ack_pending && ep->state != TCP_CLOSED) {
			ep->pingpong = false; /* the answer did not come: Linux leaves pingpong */
			tcp_send_ack(ep, now, out);
		}
		break;
	case TCP_TIMER_KEEPALIVE:
		keepalive_fired(ep, now, out);
		break;
	case TCP_TIMER_FIN_WAIT_2:
	case TCP_TIMER_TIME_WAIT:
		tcp_set_state(ep, TCP_CLOSED, 0, out); /* silently, as the kernel does */
		break;
	case TCP_TIMER_CONNECT:
		if (ep->state == TCP_SYN_SENT || ep->state == TCP_SYN_RCVD)
			tcp_fail(ep, ETIMEDOUT, out);
		break;
	case TCP_TIMER_TSQ:
		tcp_tsq_fired(ep, now, out);
		break;
	case TCP_TIMER_COUNT:
		break;
	}
}

void tcp_ep_on_timer(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	uint32_t rcv_before = ep->rcv_nxt;
	for (int t = 0; t < TCP_TIMER_COUNT && ep->state != TCP_CLOSED; t++) {
		if (ep->deadline[t] > now)
			continue;
		tcp_disarm(ep, (enum tcp_timer)t);
		timer_fired(ep, (enum tcp_timer)t, now, out);
	}
	TCP_CHECK(ep, rcv_before);
}
