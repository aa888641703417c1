/*
 * Congestion control as Linux runs it: a table of operations per
 * algorithm, like the kernel's struct tcp_congestion_ops
 * (include/net/tcp.h), chosen per endpoint (net.ipv4.tcp_congestion_control).
 *
 *   reno     RFC 5681; tcp_reno_cong_avoid(), tcp_reno_ssthresh()
 *            (net/ipv4/tcp_cong.c)
 *   newreno  RFC 6582: the same window growth and reduction (its
 *            difference, partial ACKs in recovery, is loss recovery's)
 *   cubic    RFC 9438 as net/ipv4/tcp_cubic.c computes it: bictcp_update()
 *            in fixed point, beta 717/1024, C = 41/1024 * 10 = 0.4, fast
 *            convergence, the Reno-friendly region, and HyStart (ACK
 *            train and delay increase) in slow start
 *
 * The window counts whole segments, as Linux's snd_cwnd does; a
 * fraction of a segment accumulates in cwnd_cnt (snd_cwnd_cnt).  The
 * module is pure: the caller hands in the clock (jiffies for CUBIC's
 * epoch, microseconds for HyStart) with every call that needs it.
 */
#ifndef MODELS_TCP_CONG_H
#define MODELS_TCP_CONG_H

#include <stdbool.h>
#include <stdint.h>

/* snd_ssthresh before the first loss (TCP_INFINITE_SSTHRESH). */
#define TCP_CC_INFINITE_SSTHRESH 0x7fffffffu

enum tcp_cc_algo {
	TCP_CC_RENO,
	TCP_CC_NEWRENO,
	TCP_CC_CUBIC,
	TCP_CC_COUNT,
};

/* The clock as the kernel's congestion control reads it. */
struct tcp_cc_clock {
	uint32_t hz;      /* jiffies per second (CONFIG_HZ) */
	uint32_t jiffies; /* tcp_jiffies32 */
	uint32_t now_us;  /* tcp_clock_us() (tp->tcp_mstamp) */
};

/* What one ACK that advanced SND.UNA tells the algorithm. */
struct tcp_cc_ack {
	struct tcp_cc_clock clk;
	uint32_t acked;   /* segments it newly acknowledges (pkts_acked) */
	int64_t rtt_us;   /* its round-trip sample, < 0 for none */
	uint32_t snd_una; /* after the ACK */
	uint32_t snd_nxt; /* HyStart's round ends when SND.UNA passes it */
};

/* CUBIC's state (struct bictcp, tcp_cubic.c). */
struct tcp_cubic {
	uint32_t cnt;              /* increase cwnd by 1 after this many segments */
	uint32_t last_max_cwnd;    /* W_max, segments */
	uint32_t last_cwnd;        /* cwnd at the last update ... */
	uint32_t last_time;        /* ... and when, jiffies */
	uint32_t bic_origin_point; /* the curve's plateau, segments */
	uint32_t bic_K;            /* time to reach it, 1/1024 s (BICTCP_HZ) */
	uint32_t delay_min;        /* smallest RTT seen, us */
	uint32_t epoch_start;      /* start of the epoch, jiffies; 0 = none */
	uint32_t ack_cnt;          /* segments ACKed in the epoch (Reno estimate) */
	uint32_t tcp_cwnd;         /* the Reno-friendly window W_est, segments */
	uint8_t sample_cnt;        /* HyStart: RTT samples this round */
	bool found;                /* HyStart: slow start's exit was found */
	uint32_t round_start;      /* HyStart: this round began, us */
	uint32_t end_seq;          /* HyStart: ... and ends past this seq */
	uint32_t last_ack;         /* HyStart: the last ACK of the train, us */
	uint32_t curr_rtt;         /* HyStart: smallest RTT this round, us */
};

struct tcp_cc {
	const struct tcp_cc_ops *ops;
	uint32_t cwnd;      /* snd_cwnd, segments */
	uint32_t ssthresh;  /* snd_ssthresh, segments */
	uint32_t cwnd_cnt;  /* snd_cwnd_cnt: segments ACKed toward the next increase */
	/* tcp_cwnd_validate()'s record of how fully the window is used */
	bool is_cwnd_limited;     /* data waited for the window in this round */
	uint32_t max_packets_out; /* the most segments in flight in this round */
	uint32_t cwnd_usage_seq;  /* the round ends when SND.UNA reaches this */
	struct tcp_cubic cubic;
};

struct tcp_cc_ops {
	const char *name;
	/* the connection opens (tcp_init_congestion_control()) */
	void (*init)(struct tcp_cc *cc, uint32_t snd_nxt, const struct tcp_cc_clock *clk);
	/* the window after a loss; may update the algorithm's memory */
	uint32_t (*ssthresh)(struct tcp_cc *cc);
	/* an ACK advanced SND.UNA outside recovery */
	void (*cong_avoid)(struct tcp_cc *cc, const struct tcp_cc_ack *a);
	/* every ACK that advanced SND.UNA, before cong_avoid (pkts_acked) */
	void (*pkts_acked)(struct tcp_cc *cc, const struct tcp_cc_ack *a);
	/* the RTO fired (set_state(TCP_CA_Loss)) */
	void (*enter_loss)(struct tcp_cc *cc, uint32_t snd_nxt, const struct tcp_cc_clock *clk);
	/* data leaves with nothing in flight after lsndtime (CA_EVENT_TX_START) */
	void (*tx_start)(struct tcp_cc *cc, uint32_t lsndtime, const struct tcp_cc_clock *clk);
};

/* The algorithms' names, in enum order, NULL-terminated. */
extern const char *const tcp_cc_names[];
/* The algorithm of that name; false when there is none. */
bool tcp_cc_from_name(const char *name, enum tcp_cc_algo *out);

/* A new connection's window: init_cwnd segments, ssthresh infinite. */
void tcp_cc_init(struct tcp_cc *cc, enum tcp_cc_algo algo, uint32_t init_cwnd,
                 uint32_t snd_nxt, const struct tcp_cc_clock *clk);
/* An ACK advanced SND.UNA by a.acked segments (tcp_cong_control()). */
void tcp_cc_on_ack(struct tcp_cc *cc, const struct tcp_cc_ack *a);
/* Data went out, or waited for the window (tcp_write_xmit() ->
 * tcp_cwnd_validate()): packets_out segments are in flight.  A new round
 * begins when SND.UNA passes the last one's SND.NXT.  Inline: every
 * send asks, and most change nothing. */
static inline void tcp_cc_validate(struct tcp_cc *cc, bool cwnd_limited, uint32_t packets_out,
                                   uint32_t snd_una, uint32_t snd_nxt)
{
	if ((int32_t)(snd_una - cc->cwnd_usage_seq) >= 0 || cwnd_limited ||
	    (!cc->is_cwnd_limited && packets_out > cc->max_packets_out)) {
		cc->is_cwnd_limited = cwnd_limited;
		cc->max_packets_out = packets_out;
		cc->cwnd_usage_seq = snd_nxt;
	}
}
/* A loss was detected (the third duplicate ACK, later SACK): ssthresh
 * from the algorithm, the window to it (tcp_init_cwnd_reduction(), with
 * the reduction done at once). */
void tcp_cc_on_loss(struct tcp_cc *cc);
/* The RTO fired (tcp_enter_loss()): ssthresh from the algorithm on the
 * first timeout of an episode, the window to one segment. */
void tcp_cc_on_rto(struct tcp_cc *cc, bool first_timeout, uint32_t snd_nxt,
                   const struct tcp_cc_clock *clk);
/* tcp_cwnd_restart() (RFC 2861/7661): after `idle` jiffies with nothing
 * sent, longer than the RTO, halve the window for each RTO of it, down
 * to the initial window. */
void tcp_cc_restart_after_idle(struct tcp_cc *cc, uint32_t idle, uint32_t rto,
                               uint32_t init_cwnd);

/* Exposed for the tests: tcp_cubic.c's cube root of a, fixed point. */
uint32_t tcp_cubic_root(uint64_t a);

#endif
