/*
 * CUBIC (RFC 9438) as Linux computes it: net/ipv4/tcp_cubic.c, v2.3.
 *
 * The window follows W(t) = C * (t - K)^3 + W_max after a loss, with t
 * in 1/1024 s since the epoch began (plus the smallest RTT, so the curve
 * is where it will be when this ACK's data is acknowledged), K the time
 * to regain W_max, C = 0.4 (bic_scale 41 / 1024 * 10, with cube_factor
 * 2^40 / 410), beta 717/1024 = 0.7.  Below W_max the window approaches
 * it (the concave region), past it it probes (the convex region); a
 * Reno estimate W_est grown from the segments ACKed keeps CUBIC at least
 * as fast as Reno would be (the Reno-friendly region, RFC 9438 §4.3).
 * HyStart ends slow start on a long ACK train or a rising RTT.
 */
#include <string.h>
#include "models/tcp_cong_int.h"

#define BICTCP_BETA_SCALE 1024u
#define BICTCP_HZ 10                  /* the curve's clock: 2^10 ticks a second */
#define CUBIC_BETA 717u               /* beta = 717/1024 */
#define CUBIC_CUBE_RTT_SCALE 410u     /* bic_scale (41) * 10: 1024 * C */
/* cubictcp_register(): 2^(10 + 3 * BICTCP_HZ) / (bic_scale * 10) */
#define CUBIC_CUBE_FACTOR ((1ull << (10 + 3 * BICTCP_HZ)) / CUBIC_CUBE_RTT_SCALE)
/* cubictcp_register(): 8 * (1 + beta) / 3 / (1 - beta), scaled by 8 in use */
#define CUBIC_BETA_SCALE (8u * (BICTCP_BETA_SCALE + CUBIC_BETA) / 3u / \
                          (BICTCP_BETA_SCALE - CUBIC_BETA))

#define HYSTART_LOW_WINDOW 16u        /* hystart_low_window */
#define HYSTART_ACK_DELTA_US 2000u    /* hystart_ack_delta_us */
#define HYSTART_MIN_SAMPLES 8u
#define HYSTART_DELAY_MIN 4000u       /* 4 ms */
#define HYSTART_DELAY_MAX 16000u      /* 16 ms */

static uint32_t delay_thresh(uint32_t x) /* HYSTART_DELAY_THRESH() */
{
	return x < HYSTART_DELAY_MIN ? HYSTART_DELAY_MIN : x > HYSTART_DELAY_MAX ? HYSTART_DELAY_MAX : x;
}

static bool after32(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

/* bictcp_reset(): the fields before `unused` in struct bictcp, and found. */
static void cubic_reset(struct tcp_cubic *ca)
{
	ca->cnt = ca->last_max_cwnd = ca->last_cwnd = ca->last_time = 0;
	ca->bic_origin_point = ca->bic_K = ca->delay_min = ca->epoch_start = 0;
	ca->ack_cnt = ca->tcp_cwnd = 0;
	ca->found = false;
}

/* bictcp_hystart_reset(): a new round of slow start begins. */
static void hystart_reset(struct tcp_cubic *ca, uint32_t snd_nxt, uint32_t now_us)
{
	ca->round_start = ca->last_ack = now_us;
	ca->end_seq = snd_nxt;
	ca->curr_rtt = UINT32_MAX;
	ca->sample_cnt = 0;
}

static void cubic_init(struct tcp_cc *cc, uint32_t snd_nxt, const struct tcp_cc_clock *clk)
{
	/* bictcp_reset()'s zeros: tcp_cc_init() cleared the whole state first */
	hystart_reset(&cc->cubic, snd_nxt, clk->now_us); /* hystart = 1, initial_ssthresh = 0 */
}

static int fls64(uint64_t a)
{
	return a ? 64 - __builtin_clzll(a) : 0;
}

/* cubic_root(): a table lookup of the top bits, then one Newton-Raphson
 * step (average error about 0.2 %). */
uint32_t tcp_cubic_root(uint64_t a)
{
	static const uint8_t v[] = {
		0,   54,  54,  54,  118, 118, 118, 118, 123, 129, 134, 138, 143, 147, 151, 156,
		157, 161, 164, 168, 170, 173, 176, 179, 181, 185, 187, 190, 192, 194, 197, 199,
		200, 202, 204, 206, 209, 211, 213, 215, 217, 219, 221, 222, 224, 225, 227, 229,
		231, 232, 234, 236, 237, 239, 240, 242, 244, 245, 246, 248, 250, 251, 252, 254,
	};
	uint32_t b = (uint32_t)fls64(a);
	if (b < 7)
		return ((uint32_t)v[(uint32_t)a] + 35) >> 6;
	b = ((b * 84) >> 8) - 1;
	uint32_t shift = (uint32_t)(a >> (b * 3));
	uint32_t x = ((uint32_t)(((uint32_t)v[shift] + 10) << b)) >> 6;
	x = 2 * x + (uint32_t)(a / ((uint64_t)x * (uint64_t)(x - 1)));
	return (x * 341) >> 10;
}

/* usecs_to_jiffies(): rounded up. */
static uint32_t us_to_jiffies(uint32_t us, uint32_t hz)
{
	return (uint32_t)(((uint64_t)us * hz + 999999u) / 1000000u);
}

/* A new epoch after a reduction: the curve's origin and K (RFC 9438
 * §4.2, K = cbrt((W_max - cwnd) / C)). */
static void start_epoch(struct tcp_cubic *ca, uint32_t cwnd, uint32_t acked, uint32_t jiffies)
{
	ca->epoch_start = jiffies;
	ca->ack_cnt = acked;
	ca->tcp_cwnd = cwnd; /* W_est starts at the window (RFC 9438 §4.3) */
	if (ca->last_max_cwnd <= cwnd) {
		ca->bic_K = 0;
		ca->bic_origin_point = cwnd;
	} else {
		ca->bic_K = tcp_cubic_root(CUBIC_CUBE_FACTOR * (ca->last_max_cwnd - cwnd));
		ca->bic_origin_point = ca->last_max_cwnd;
	}
}

/* The cubic curve's target one RTT ahead, and the segments per increase
 * that reach it (the part of bictcp_update() above tcp_friendliness). */
static void cubic_target_cnt(struct tcp_cubic *ca, uint32_t cwnd, const struct tcp_cc_clock *clk)
{
	uint64_t t = (uint64_t)(int64_t)(int32_t)(clk->jiffies - ca->epoch_start);
	t += us_to_jiffies(ca->delay_min, clk->hz);
	t = (t << BICTCP_HZ) / clk->hz;
	uint64_t offs = t < ca->bic_K ? ca->bic_K - t : t - ca->bic_K;
	uint32_t delta = (uint32_t)((CUBIC_CUBE_RTT_SCALE * offs * offs * offs) >> (10 + 3 * BICTCP_HZ));
	uint32_t target = t < ca->bic_K ? ca->bic_origin_point - delta : ca->bic_origin_point + delta;
	ca->cnt = target > cwnd ? cwnd / (target - cwnd) : 100 * cwnd;
	/* no loss yet: at least 5 % a round trip */
	if (ca->last_max_cwnd == 0 && ca->cnt > 20)
		ca->cnt = 20;
}

/* tcp_friendliness: W_est grows by one for every cwnd * 8 / beta_scale
 * segments ACKed (RFC 9438 §4.3: alpha = 3 (1 - beta) / (1 + beta)); if
 * it is ahead, grow at least as fast as it. */
static void reno_friendly(struct tcp_cubic *ca, uint32_t cwnd)
{
	uint32_t delta = (cwnd * CUBIC_BETA_SCALE) >> 3;
	while (ca->ack_cnt > delta) {
		ca->ack_cnt -= delta;
		ca->tcp_cwnd++;
	}
	if (ca->tcp_cwnd > cwnd) {
		uint32_t max_cnt = cwnd / (ca->tcp_cwnd - cwnd);
		if (ca->cnt > max_cnt)
			ca->cnt = max_cnt;
	}
}

/* bictcp_update(): how many segments ACKed per increase of one. */
static void bictcp_update(struct tcp_cubic *ca, uint32_t cwnd, uint32_t acked,
                          const struct tcp_cc_clock *clk)
{
	ca->ack_cnt += acked;
	if (ca->last_cwnd == cwnd && (int32_t)(clk->jiffies - ca->last_time) <= (int32_t)(clk->hz / 32))
		return;
	/* cnt is recomputed at most once a jiffy; a reduction zeroes epoch_start */
	if (!(ca->epoch_start && clk->jiffies == ca->last_time)) {
		ca->last_cwnd = cwnd;
		ca->last_time = clk->jiffies;
		if (ca->epoch_start == 0)
			start_epoch(ca, cwnd, acked, clk->jiffies);
		cubic_target_cnt(ca, cwnd, clk);
	}
	reno_friendly(ca, cwnd);
	if (ca->cnt < 2)
		ca->cnt = 2; /* at most one segment per two ACKed: 1.5x a round trip */
}

/* cubictcp_cong_avoid() */
static void cubic_cong_avoid(struct tcp_cc *cc, const struct tcp_cc_ack *a)
{
	uint32_t acked = a->acked;
	if (tcp_cc_in_slow_start(cc)) {
		acked = tcp_cc_slow_start(cc, acked);
		if (acked == 0)
			return;
	}
	bictcp_update(&cc->cubic, cc->cwnd, acked, &a->clk);
	tcp_cc_cong_avoid_ai(cc, cc->cubic.cnt, acked);
}

/* cubictcp_recalc_ssthresh(): W_max, lowered further by fast convergence
 * when this loss came below the last one (RFC 9438 §4.7), and the window
 * times beta. */
static uint32_t cubic_ssthresh(struct tcp_cc *cc)
{
	struct tcp_cubic *ca = &cc->cubic;
	ca->epoch_start = 0;
	if (cc->cwnd < ca->last_max_cwnd)
		ca->last_max_cwnd = cc->cwnd * (BICTCP_BETA_SCALE + CUBIC_BETA) / (2 * BICTCP_BETA_SCALE);
	else
		ca->last_max_cwnd = cc->cwnd;
	uint32_t w = cc->cwnd * CUBIC_BETA / BICTCP_BETA_SCALE;
	return w > 2 ? w : 2;
}

/* hystart_update(): the ACK train (ACKs no more than 2 ms apart reaching
 * half the smallest RTT after the round began; the model has neither
 * pacing nor TSO, so hystart_ack_delay() adds nothing) or the RTT grown
 * by delay_min/8, clamped to 4..16 ms, over 8 samples of a round: slow
 * start ends at this window. */
static void hystart_update(struct tcp_cc *cc, uint32_t delay, const struct tcp_cc_ack *a)
{
	struct tcp_cubic *ca = &cc->cubic;
	if (after32(a->snd_una, ca->end_seq))
		hystart_reset(ca, a->snd_nxt, a->clk.now_us);
	if (cc->cwnd < HYSTART_LOW_WINDOW)
		return;
	uint32_t now = a->clk.now_us;
	if ((int32_t)(now - ca->last_ack) <= (int32_t)HYSTART_ACK_DELTA_US) {
		ca->last_ack = now;
		if ((int32_t)(now - ca->round_start) > (int32_t)(ca->delay_min >> 1)) {
			ca->found = true;
			cc->ssthresh = cc->cwnd;
		}
	}
	if (ca->curr_rtt > delay)
		ca->curr_rtt = delay;
	if (ca->sample_cnt < HYSTART_MIN_SAMPLES) {
		ca->sample_cnt++;
	} else if (ca->curr_rtt > ca->delay_min + delay_thresh(ca->delay_min >> 3)) {
		ca->found = true;
		cc->ssthresh = cc->cwnd;
	}
}

/* cubictcp_acked(): the smallest RTT, and HyStart in slow start. */
static void cubic_pkts_acked(struct tcp_cc *cc, const struct tcp_cc_ack *a)
{
	struct tcp_cubic *ca = &cc->cubic;
	if (a->rtt_us < 0)
		return;
	/* samples right after a reduction are discarded for a second */
	if (ca->epoch_start && (int32_t)(a->clk.jiffies - ca->epoch_start) < (int32_t)a->clk.hz)
		return;
	uint32_t delay = a->rtt_us > UINT32_MAX ? UINT32_MAX : (uint32_t)a->rtt_us;
	if (delay == 0)
		delay = 1;
	if (ca->delay_min == 0 || ca->delay_min > delay)
		ca->delay_min = delay;
	if (!ca->found && tcp_cc_in_slow_start(cc))
		hystart_update(cc, delay, a);
}

/* cubictcp_state(TCP_CA_Loss): a timeout forgets W_max and starts over. */
static void cubic_enter_loss(struct tcp_cc *cc, uint32_t snd_nxt, const struct tcp_cc_clock *clk)
{
	cubic_reset(&cc->cubic);
	hystart_reset(&cc->cubic, snd_nxt, clk->now_us);
}

/* cubictcp_cwnd_event(CA_EVENT_TX_START): the sender was idle (application
 * limited); the epoch moves on by the idle time, so the curve does not
 * jump ahead (RFC 9438 §5.8). */
static void cubic_tx_start(struct tcp_cc *cc, uint32_t lsndtime, const struct tcp_cc_clock *clk)
{
	struct tcp_cubic *ca = &cc->cubic;
	int32_t delta = (int32_t)(clk->jiffies - lsndtime);
	if (ca->epoch_start && delta > 0) {
		ca->epoch_start += (uint32_t)delta;
		if (after32(ca->epoch_start, clk->jiffies))
			ca->epoch_start = clk->jiffies;
	}
}

const struct tcp_cc_ops tcp_cubic_ops = {
	.name = "cubic",
	.init = cubic_init,
	.ssthresh = cubic_ssthresh,
	.cong_avoid = cubic_cong_avoid,
	.pkts_acked = cubic_pkts_acked,
	.enter_loss = cubic_enter_loss,
	.tx_start = cubic_tx_start,
};
