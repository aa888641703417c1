/*
 * Congestion control common to every algorithm, and Reno (RFC 5681):
 * net/ipv4/tcp_cong.c (tcp_slow_start(), tcp_cong_avoid_ai(),
 * tcp_reno_cong_avoid(), tcp_reno_ssthresh()), and the window changes
 * net/ipv4/tcp_input.c and tcp_output.c make around the algorithm
 * (tcp_init_cwnd_reduction(), tcp_enter_loss(), tcp_cwnd_restart()).
 */
#include <string.h>
#include "models/tcp_cong.h"
#include "models/tcp_cong_int.h"

const char *const tcp_cc_names[] = {"reno", "newreno", "cubic", NULL};

bool tcp_cc_from_name(const char *name, enum tcp_cc_algo *out)
{
	for (int i = 0; tcp_cc_names[i]; i++) {
		if (strcmp(name, tcp_cc_names[i]) == 0) {
			*out = (enum tcp_cc_algo)i;
			return true;
		}
	}
	return false;
}

/* tcp_slow_start(): one segment more for each segment ACKed (RFC 5681
 * §3.1 with RFC 3465's L = infinity: a delayed ACK of two segments
 * grows the window by two), up to ssthresh; returns what is left over
 * for congestion avoidance. */
uint32_t tcp_cc_slow_start(struct tcp_cc *cc, uint32_t acked)
{
	uint64_t grown = (uint64_t)cc->cwnd + acked;
	uint32_t cwnd = grown < cc->ssthresh ? (uint32_t)grown : cc->ssthresh;
	acked -= cwnd - cc->cwnd;
	cc->cwnd = cwnd;
	return acked;
}

/* tcp_cong_avoid_ai(): one segment more per w segments ACKed. */
void tcp_cc_cong_avoid_ai(struct tcp_cc *cc, uint32_t w, uint32_t acked)
{
	if (cc->cwnd_cnt >= w) { /* credits from a larger w: apply them gently */
		cc->cwnd_cnt = 0;
		cc->cwnd++;
	}
	cc->cwnd_cnt += acked;
	if (cc->cwnd_cnt >= w) {
		uint32_t delta = cc->cwnd_cnt / w;
		cc->cwnd_cnt -= delta * w;
		cc->cwnd += delta;
	}
}

/* tcp_reno_cong_avoid(): slow start below ssthresh, then one segment
 * per window of segments ACKed (RFC 5681 §3.1, equation 3). */
static void reno_cong_avoid(struct tcp_cc *cc, const struct tcp_cc_ack *a)
{
	uint32_t acked = a->acked;
	if (tcp_cc_in_slow_start(cc)) {
		acked = tcp_cc_slow_start(cc, acked);
		if (acked == 0)
			return;
	}
	tcp_cc_cong_avoid_ai(cc, cc->cwnd, acked);
}

/* tcp_reno_ssthresh(): half the window, at least two segments (RFC 5681
 * §3.1, equation 4, counting the window where the RFC counts FlightSize,
 * as Linux does). */
static uint32_t reno_ssthresh(struct tcp_cc *cc)
{
	return cc->cwnd / 2 > 2 ? cc->cwnd / 2 : 2;
}

static const struct tcp_cc_ops reno_ops = {
	.name = "reno",
	.ssthresh = reno_ssthresh,
	.cong_avoid = reno_cong_avoid,
};

/* RFC 6582 changes what a partial ACK does in fast recovery, not how the
 * window grows or shrinks: the same operations under its own name. */
static const struct tcp_cc_ops newreno_ops = {
	.name = "newreno",
	.ssthresh = reno_ssthresh,
	.cong_avoid = reno_cong_avoid,
};

static const struct tcp_cc_ops *const all_ops[TCP_CC_COUNT] = {
	[TCP_CC_RENO] = &reno_ops,
	[TCP_CC_NEWRENO] = &newreno_ops,
	[TCP_CC_CUBIC] = &tcp_cubic_ops,
};

void tcp_cc_init(struct tcp_cc *cc, enum tcp_cc_algo algo, uint32_t init_cwnd,
                 uint32_t snd_nxt, const struct tcp_cc_clock *clk)
{
	memset(cc, 0, sizeof *cc);
	cc->ops = all_ops[algo < TCP_CC_COUNT ? algo : TCP_CC_RENO];
	cc->cwnd = init_cwnd; /* tcp_init_cwnd(): TCP_INIT_CWND */
	cc->ssthresh = TCP_CC_INFINITE_SSTHRESH;
	if (cc->ops->init)
		cc->ops->init(cc, snd_nxt, clk);
}

/* tcp_is_cwnd_limited(): the window grows only while it is what holds
 * the data back; in slow start, while it is below twice the most in
 * flight in this round. */
static bool cwnd_limited(const struct tcp_cc *cc)
{
	if (cc->is_cwnd_limited)
		return true;
	if (tcp_cc_in_slow_start(cc))
		return cc->cwnd < 2 * cc->max_packets_out;
	return false;
}

/* tcp_clean_rtx_queue() hands the sample to pkts_acked(), then
 * tcp_cong_control() -> tcp_cong_avoid() grows the window (the check
 * every algorithm's cong_avoid makes first is made here once). */
void tcp_cc_on_ack(struct tcp_cc *cc, const struct tcp_cc_ack *a)
{
	if (cc->ops->pkts_acked)
		cc->ops->pkts_acked(cc, a);
	if (a->acked > 0 && cwnd_limited(cc))
		cc->ops->cong_avoid(cc, a);
}

void tcp_cc_on_loss(struct tcp_cc *cc)
{
	cc->ssthresh = cc->ops->ssthresh(cc);
	cc->cwnd = cc->ssthresh;
	cc->cwnd_cnt = 0;
}

/* tcp_enter_loss(): ssthresh is taken once per loss episode (a timeout
 * backed off again keeps the first one), the window is what is in
 * flight plus one, one segment once everything is marked lost. */
void tcp_cc_on_rto(struct tcp_cc *cc, bool first_timeout, uint32_t snd_nxt,
                   const struct tcp_cc_clock *clk)
{
	if (first_timeout)
		cc->ssthresh = cc->ops->ssthresh(cc);
	cc->cwnd = 1;
	cc->cwnd_cnt = 0;
	if (cc->ops->enter_loss)
		cc->ops->enter_loss(cc, snd_nxt, clk);
}

/* tcp_cwnd_restart(): ssthresh keeps three quarters of the window
 * (tcp_current_ssthresh()), then the window halves for every RTO of the
 * idle time, no lower than the restart window min(init_cwnd, cwnd). */
void tcp_cc_restart_after_idle(struct tcp_cc *cc, uint32_t idle, uint32_t rto,
                               uint32_t init_cwnd)
{
	uint32_t cwnd = cc->cwnd;
	uint32_t restart = init_cwnd < cwnd ? init_cwnd : cwnd;
	uint32_t three_quarters = (cwnd >> 1) + (cwnd >> 2);
	if (cc->ssthresh < three_quarters)
		cc->ssthresh = three_quarters;
	int64_t delta = idle;
	while ((delta -= rto) > 0 && cwnd > restart)
		cwnd >>= 1;
	cc->cwnd = cwnd > restart ? cwnd : restart;
}
