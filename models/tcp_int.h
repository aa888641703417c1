/*
 * The transmission control block and the functions the tcp_*.c files share.
 * Private to models/tcp*.c.
 *
 * Sequence space of our side:
 *
 *   ISS  SYN   data bytes ...                FIN
 *   |----|-----------------------------------|
 *        ^snd_una    ^snd_nxt      ^snd_max  ^fin_seq (once the user shut the write side)
 *
 * snd.buf holds the bytes from the first unacknowledged data byte (seq
 * snd_buf_seq) to the last byte the user wrote.  snd_nxt may be pulled back
 * to snd_una after a timeout (go-back-N); snd_max never moves back.
 */
#ifndef MODELS_TCP_INT_H
#define MODELS_TCP_INT_H

#include "models/tcp.h"
#include "models/ktimer.h"
#include "models/seq.h"
#include "models/tcp_sack.h"
#include "models/tcp_rack.h"

/* A growable byte queue: bytes are appended at the end, consumed at the front. */
struct bytebuf {
	uint8_t *data;  /* cap bytes */
	uint32_t head;  /* index of the first live byte */
	uint32_t len;   /* live bytes */
	uint32_t cap;
};

/* What the sender's host still holds of this socket's packets: queued in
 * its qdisc or NIC, not yet on the wire (Linux's sk_wmem_alloc, which
 * TSQ limits: models/tcp_tsq.c).  A ring of TSO packets (consecutive
 * segments, as many as one carries) and the time the world says each
 * leaves the host. */
struct tsq_pkt {
	sim_time done;  /* TX completion: the last bit left the interface */
	uint32_t bytes;
};

#define TSQ_RING 8 /* TSQ keeps two or three TSO packets queued; more are merged */

struct tsq {
	bool on;              /* the world reports TX completions (tcp_ep_tsq_enable()) */
	bool throttled;       /* TSQ_THROTTLED: output waits for a completion */
	uint32_t waits;       /* times output began to wait so */
	uint32_t unreported;  /* bytes sent whose completion the world has not told yet */
	uint64_t queued;      /* bytes of the ring */
	struct tsq_pkt q[TSQ_RING];
	uint32_t head, len;
};

/* An out-of-order segment waiting for the hole before it to fill. */
struct ooo_seg {
	struct ooo_seg *next; /* next by sequence number */
	uint32_t seq;         /* first byte */
	uint32_t len;         /* data bytes */
	bool fin;             /* a FIN follows the data */
	uint8_t data[];
};

struct tcp_ep {
	const struct tcp_params *p;
	void *owner;              /* the host's record of this connection */
	tcp_violation_fn violation; /* reports a broken invariant (and the run) */
	void *violation_ctx;
	enum tcp_state state;
	uint32_t laddr, raddr;
	uint16_t lport, rport;
	bool orphan;              /* the user called close(): nobody reads or writes */
	bool passive;             /* opened by a listener (SYN_RCVD goes back to LISTEN on RST) */
	int err;                  /* pending error for the user (positive errno) */
	int soft_err;             /* an ICMP error kept for a time-out (sk_err_soft) */
	bool err_reported;        /* the user has seen err */

	/* send sequence space (RFC 9293 §3.3.1) */
	uint32_t iss, snd_una, snd_nxt, snd_max;
	uint32_t snd_wnd;         /* peer's window, scaled to bytes */
	uint32_t max_window;      /* the largest snd_wnd seen (Linux tp->max_window) */
	uint32_t snd_wl1, snd_wl2; /* seq and ack of the last window update */
	uint32_t snd_mss;         /* most payload per segment we send (options deducted) */
	uint32_t snd_sml;         /* end of the last short segment sent (Minshall) */
	uint32_t snd_last;        /* first sequence number of the newest segment sent */
	uint8_t snd_wscale;       /* peer's shift, 0 when not negotiated */
	struct bytebuf snd;       /* unacknowledged + unsent data */
	uint32_t snd_buf_seq;     /* sequence number of snd.data[snd.head] */
	bool fin_queued;          /* user shut the write side: a FIN follows the data */
	uint32_t fin_seq;         /* its sequence number, valid when fin_queued */
	uint32_t sndbuf;          /* sk_sndbuf: the send buffer, grown by tcp_sndbuf_expand() */
	bool snd_nospace;         /* SOCK_NOSPACE: a write found the send buffer full */
	uint32_t snd_tail_len;    /* bytes in the write queue's last skb */
	uint32_t gso_segs;        /* the size goal in segments, as last computed (Linux's
	                             tp->gso_segs: tcp_xmit_size_goal() divides only when
	                             it no longer fits) */

	/* receive sequence space */
	uint32_t irs, rcv_nxt;
	uint32_t rcv_adv;         /* right edge of the window we advertised */
	uint32_t rcv_wup;         /* RCV.NXT when our last segment went out (Linux's
	                             rcv_wup): the acceptability test's left edge */
	uint32_t rcv_ssthresh;    /* Linux's cap on the offered window: the SYN's window,
	                             grown by arriving data (tcp_grow_window()) */
	uint8_t rcv_wscale;       /* our shift, 0 when not negotiated */
	struct bytebuf rcv;       /* in-order data the user has not read */
	struct ooo_seg *ooo;      /* out-of-order segments, by seq */
	uint32_t ooo_bytes;
	struct sack_rcv rx_sack;  /* the SACK blocks we report (models/tcp_sack.h) */
	bool fin_rcvd;            /* the peer's FIN is in sequence (rcv_nxt counts it) */
	bool rcv_ended;           /* FreeBSD SBS_CANTRCVMORE: reads return 0 once the queue
	                             is empty, and data arriving is acknowledged and dropped */
	uint32_t rcvbuf;          /* sk_rcvbuf: the receive buffer, grown by tcp_rcvbuf_grow() */
	uint32_t copied_seq;      /* the next byte the user reads */
	struct {                  /* tcp_rcv_space_adjust()'s measure of the reader */
		uint32_t space;       /* bytes read in the last RTT */
		uint32_t seq;         /* copied_seq when the measure began ... */
		sim_time time;        /* ... and when */
	} rcvq_space;
	struct {                  /* the receiver's RTT estimate (rcv_rtt_est) */
		uint64_t rtt_us;      /* 8 * RTT, microseconds; 0 = none yet */
		uint32_t seq;         /* tcp_rcv_rtt_measure(): the window ends here ... */
		sim_time time;        /* ... measured from then (0: not begun) */
		uint32_t last_tsecr;  /* rcv_rtt_last_tsecr */
	} rcv_rtt_est;
	uint32_t buf_mss;         /* FreeBSD tcp_mss(): the segment size the receive buffer
	                             was rounded up to when the connection opened, 0 before */

	/* options negotiated on the SYNs */
	bool ts_ok, sack_ok, ws_ok;
	bool ecn_ok;              /* RFC 3168 §6.1.1: ECN negotiated on the SYNs */
	bool syn_opts_dropped;    /* FreeBSD tcp_timer_rexmt(), rexmit_drop_options: the third
	                             SYN retransmission cleared TF_REQ_SCALE, TF_REQ_TSTMP and
	                             TF_SACK_PERMIT, so no SYN asks for them again */
	uint32_t ts_offset;       /* our timestamp clock's random offset */
	uint32_t ts_recent;       /* last timestamp from the peer, to echo */

	/* round trip and retransmission (RFC 6298) */
	sim_time srtt, rttvar, rto;
	struct {                  /* tcp_rtt_estimator()'s fixed point, for kernel timers */
		uint32_t srtt_us;     /* 8 * SRTT, microseconds */
		uint32_t mdev_us;     /* 4 * the mean deviation */
		uint32_t mdev_max_us; /* the largest mdev_us of this round trip */
		uint32_t rttvar_us;   /* what the RTO adds to SRTT: at least rto_min */
		uint32_t rtt_seq;     /* the round trip ends when snd_una passes this */
		uint32_t rto_hz;      /* rto below is for this HZ; 0: not computed */
		sim_time rto;         /* SRTT + rttvar_us in jiffies, rounded up: changes only
		                         with a sample, so computed then, not on every ACK */
	} k;
	uint32_t rtt_seq;         /* a segment ending here is being timed ... */
	sim_time rtt_start;       /* ... since then; rtt_start < 0: none timed */
	uint32_t retransmits;     /* timeouts in this episode (reset by progress) */
	bool syn_retransmitted;   /* RFC 6298 §5.7: no sample yet means an RTO of 3 s */
	uint32_t backoff;         /* exponent applied to rto */
	sim_time rtx_epoch;       /* first transmission of the oldest unacked seq */
	bool tlp_armed;           /* the RTX timer is a tail loss probe */
	bool tlp_done;            /* one probe per episode */
	bool reo_armed;           /* the RTX timer is RACK's reordering timer
	                             (Linux's ICSK_TIME_REO_TIMEOUT) */
	uint32_t dupacks;
	struct tcp_cc cc;         /* congestion window and its algorithm, segments */
	sim_time lsndtime;        /* when data last left (Linux tp->lsndtime) */
	/* SACK loss recovery (RFC 6675 with PRR, RFC 6937: models/tcp_recovery.c) */
	struct sack_board sb;     /* what the peer's SACK blocks say it holds */
	bool in_recovery;         /* Linux's TCP_CA_Recovery with SACK */
	uint32_t recovery_point;  /* RFC 6675 RecoveryPoint: SND.MAX when it began */
	uint32_t high_rxt;        /* RFC 6675 HighRxt: holes below it were sent again */
	uint32_t lost_high;       /* the highest end of the lost holes so far (Linux's tp->lost
	                             grows when it moves) */
	struct prr prr;
	struct rack rack;         /* RACK's records and state (models/tcp_rack.h) */
	uint32_t rec_cwnd;        /* the window PRR sets in recovery, bytes (Linux sets
	                             snd_cwnd to the same: tcp_cwnd_reduction()) */
	uint32_t recoveries;      /* fast recoveries begun (Linux's TCPSackRecovery +
	                             TCPRenoRecovery) */
	uint32_t dsacks;          /* D-SACKs received (RFC 2883; Linux's TCPDSACKRecv):
	                             data the peer got twice */
	uint32_t total_retrans;   /* segments sent again, SYNs included (Linux's
	                             tp->total_retrans, which a child takes over
	                             from its request's SYN-ACKs) */

	/* acknowledgments (Linux's delayed-ACK engine, simplified) */
	bool ack_pending;         /* we owe the peer an ACK */
	uint32_t quick;           /* ACKs still to send at once (quick-ACK mode) */
	bool pingpong;            /* interactive: ACKs ride on our answers */
	bool got_data;            /* first data segment seen */
	sim_time last_rcv;        /* when we last received data */
	uint32_t rcv_unacked;     /* data bytes received since our last ACK */
	uint32_t rcv_mss;         /* largest segment seen from the peer (tcp_measure_rcv_mss) */

	/* keepalive and zero-window probes */
	sim_time last_heard;      /* when the peer last sent us anything */
	sim_time tw_since;        /* when TIME_WAIT began (Linux tw_entry_stamp) */
	sim_time tw_ts_stamp;     /* when TS.Recent last moved in TIME_WAIT (tw_ts_recent_stamp) */
	uint32_t probes;          /* unanswered keepalive probes */
	uint32_t zw_probes;       /* zero-window probes since the peer last spoke */
	sim_time last_oow_ack;    /* when we last answered an out-of-window segment */
	bool oow_acked;           /* ... if ever */

	struct tsq tsq;           /* TCP small queues (models/tcp_tsq.c) */

	sim_time deadline[TCP_TIMER_COUNT]; /* SIM_NEVER when disarmed */
	/* Written only by tcp_set_deadline() and tcp_disarm_all():
	 * next_deadline is never later than the earliest deadline, and is
	 * the earliest unless next_stale (then tcp_ep_next_deadline() looks) */
	sim_time next_deadline;
	bool next_stale;
};

/* Invariants (tcp.c), checked at the end of every public call unless
 * NDEBUG: SND.UNA <= SND.NXT <= SND.MAX, RCV.NXT never moves back, the send
 * buffer starts at SND.UNA, every armed timer belongs to its state. */
#ifdef NDEBUG
#define TCP_CHECK(ep, rcv_before) ((void)(ep), (void)(rcv_before))
#else
#define TCP_CHECK(ep, rcv_before) tcp_check_invariants((ep), (rcv_before))
#endif
void tcp_check_invariants(const struct tcp_ep *ep, uint32_t rcv_nxt_before);
/* A broken rule: the violation hook hears `what`, then abort(). */
G_NORETURN void tcp_violated(const struct tcp_ep *ep, const char *what);

/* tcp.c */
void tcp_set_state(struct tcp_ep *ep, enum tcp_state to, int err, struct tcp_acts *out);
void tcp_fail(struct tcp_ep *ep, int err, struct tcp_acts *out); /* error -> CLOSED */
bool tcp_state_synchronized(enum tcp_state s);
/* The sequence number after the last byte written: inline, for output
 * asks for it several times a segment. */
static inline uint32_t tcp_snd_data_end(const struct tcp_ep *ep)
{
	return ep->snd_buf_seq + ep->snd.len;
}

/* Whole segments of mss in `bytes`, rounded up: (bytes + mss - 1) / mss,
 * without the division (tens of cycles, on every ACK and send) when
 * there is at most one segment, as with most ACKs of short messages. */
static inline uint64_t tcp_segs_up64(uint64_t bytes, uint32_t mss)
{
	if (bytes <= mss)
		return bytes != 0;
	return (bytes + mss - 1) / mss;
}

static inline uint32_t tcp_segs_up(uint32_t bytes, uint32_t mss)
{
	return (uint32_t)tcp_segs_up64(bytes, mss);
}

/* tcp_tsq.c: TSO sizing and TCP small queues */
uint64_t tcp_pacing_rate(const struct tcp_ep *ep);   /* sk_pacing_rate, bytes/s */
uint32_t tcp_tso_segs(const struct tcp_ep *ep);      /* segments a TSO packet carries */
/* tcp_small_queue_check(): may `bytes` more leave now, or must output wait
 * for a TX completion (then the TSQ timer is armed)? */
bool tcp_small_queue_full(struct tcp_ep *ep, sim_time now);
void tcp_tsq_sent(struct tcp_ep *ep, uint32_t bytes); /* a data segment left TCP */
void tcp_tsq_fired(struct tcp_ep *ep, sim_time now, struct tcp_acts *out);

/* tcp_output.c */
void tcp_output(struct tcp_ep *ep, sim_time now, struct tcp_acts *out);
void tcp_send_ack(struct tcp_ep *ep, sim_time now, struct tcp_acts *out);
/* An ACK with an already acknowledged sequence number (SND.UNA - 1): the
 * keepalive probe and the zero-window probe, which the peer must answer. */
void tcp_send_probe(struct tcp_ep *ep, sim_time now, struct tcp_acts *out);
/* Answers a segment that is not acceptable, at most once per 500 ms when
 * it carries no data (Linux tcp_invalid_ratelimit, RFC 5961 §5). */
void tcp_answer_unacceptable(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s,
                             struct tcp_acts *out);
void tcp_send_syn(struct tcp_ep *ep, sim_time now, bool ack, enum tcp_send_why why,
                  struct tcp_acts *out);
void tcp_send_rst(struct tcp_ep *ep, sim_time now, struct tcp_acts *out);
void tcp_send_range(struct tcp_ep *ep, sim_time now, uint32_t seq, uint32_t len, bool fin,
                    enum tcp_send_why why, struct tcp_acts *out);
void tcp_schedule_ack(struct tcp_ep *ep, sim_time now, bool at_once, struct tcp_acts *out);
void tcp_rcv_grow_window(struct tcp_ep *ep, uint32_t len); /* rcv_ssthresh */

/* FreeBSD's sb_max (kern.ipc.maxsockbuf): no buffer grows past it. */
#define BSD_SB_MAX 2097152u /* 2 MiB */

/* The receive buffer's size, bytes.  FreeBSD's tcp_mss() makes it a whole
 * number of segments once the connection knows its MSS (sbreserve() of
 * roundup(sb_hiwat, mss), at most sb_max): 65536 bytes become 65700 with
 * an MSS of 1460.  Inline, as tcp_rcv_window(): every segment sent asks. */
static inline uint32_t tcp_rcv_buffer(const struct tcp_ep *ep)
{
	uint32_t b = ep->rcvbuf, m = ep->buf_mss;
	if (m == 0 || b <= m)
		return b;
	uint64_t r = ((uint64_t)b + m - 1) / m * m;
	return r > BSD_SB_MAX ? (b > BSD_SB_MAX ? b : BSD_SB_MAX) : (uint32_t)r;
}

/* Free receive space.  Like Linux with tcp_adv_win_scale = 1, half the
 * buffer is offered as window, the rest kept for overhead; FreeBSD offers
 * all of it (sbspace()). */
static inline uint32_t tcp_rcv_window(const struct tcp_ep *ep)
{
	uint32_t used = ep->rcv.len + ep->ooo_bytes;
	uint32_t cap = ep->p->rwin_rule == TCP_RWIN_BSD ? tcp_rcv_buffer(ep) : ep->rcvbuf / 2;
	return used >= cap ? 0 : cap - used;
}
uint32_t tcp_bsd_maxseg(const struct tcp_ep *ep); /* FreeBSD's t_maxseg: the MSS, options not deducted */
/* FreeBSD tcp_output()'s rule for a window update after a read: true when
 * the window grew enough to be worth a segment of its own. */
bool tcp_bsd_window_update_due(const struct tcp_ep *ep);
uint32_t tcp_tsval(const struct tcp_ep *ep, sim_time now);
/* tcp_slow_start_after_idle_check(), when data is queued (skb_entail())
 * or the peer's window changes with data waiting: with nothing in
 * flight and more than an RTO since data last left, the window restarts
 * smaller (tcp_cwnd_restart(); RFC 7661 §4.1, RFC 2861). */
void tcp_restart_after_idle(struct tcp_ep *ep, sim_time now);

/* tcp_input.c */
/* A loss detected outside a timeout (the third duplicate ACK; SACK
 * recovery later): ssthresh and the window from the congestion control. */
void tcp_cong_on_loss(struct tcp_ep *ep);

/* The peer's window, and the largest seen (tcp_ack_update_window()). */
static inline void set_snd_wnd(struct tcp_ep *ep, uint32_t wnd)
{
	ep->snd_wnd = wnd;
	if (wnd > ep->max_window)
		ep->max_window = wnd;
}

/* tcp_buf.c: the buffers as Linux sizes them */
uint32_t tcp_skb_overhead(void);          /* truesize of an skb less its payload */
uint32_t tcp_snd_size_goal(const struct tcp_ep *ep); /* bytes a write puts in one skb */
uint32_t tcp_sndbuf_per_mss(uint32_t mss); /* tcp_sndbuf_expand()'s per_mss */
uint64_t tcp_snd_queued(const struct tcp_ep *ep); /* sk_wmem_queued (bytes without truesize) */
uint32_t tcp_snd_space(const struct tcp_ep *ep);  /* bytes a write may add now */
void tcp_snd_appended(struct tcp_ep *ep, uint32_t n); /* a write added n bytes */
bool tcp_snd_writeable(const struct tcp_ep *ep);  /* __sk_stream_is_writeable() */
void tcp_sndbuf_expand(struct tcp_ep *ep);
void tcp_new_space(struct tcp_ep *ep);    /* an ACK freed room (tcp_check_space()) */
void tcp_init_buffer_space(struct tcp_ep *ep, sim_time now); /* at ESTABLISHED */
void tcp_rcv_rtt_measure(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s);
void tcp_rcv_space_adjust(struct tcp_ep *ep, sim_time now); /* after a read */

/* tcp_timer.c */
/* The clock as the congestion control reads it (jiffies, microseconds).
 * Inline: every ACK and every send after an idle time asks for it. */
static inline struct tcp_cc_clock tcp_cc_clock_at(const struct tcp_ep *ep, sim_time now)
{
	uint32_t hz = ep->p->hz ? ep->p->hz : 1000;
	sim_time uptime = ep->p->uptime > 0 ? ep->p->uptime : 0;
	return (struct tcp_cc_clock){
		.hz = hz,
		.jiffies = (uint32_t)ktimer_div_jiffy(hz, (uint64_t)(uptime + now)),
		.now_us = (uint32_t)(now / SIM_US),
	};
}
/* Arms timer t, asked at `now` for `after`: it fires then, or on the
 * kernel's timer wheel (models/ktimer.h) with kernel timers. */
void tcp_arm(struct tcp_ep *ep, enum tcp_timer t, sim_time now, sim_time after);
/* A duration as the endpoint's clock counts it: whole jiffies, rounded
 * up, with kernel timers; itself otherwise. */
sim_time tcp_timer_round(const struct tcp_ep *ep, sim_time d);
sim_time tcp_earliest_deadline(const struct tcp_ep *ep); /* min of deadline[], computed */
void tcp_disarm_all(struct tcp_ep *ep);

/* Every write of a deadline.  The world asks for the earliest after every
 * action (tcp_ep_next_deadline()), more often than it changes, so it is
 * kept: a deadline at or before next_deadline (which no deadline
 * precedes) is the earliest, exactly; one that held the earliest and
 * moves later leaves next_deadline a bound only, searched from all the
 * deadlines when next asked for (one search for several such moves). */
static inline void tcp_set_deadline(struct tcp_ep *ep, enum tcp_timer t, sim_time at)
{
	sim_time old = ep->deadline[t];
	if (at == old)
		return; /* most often a disarmed timer disarmed again */
	ep->deadline[t] = at;
	if (at <= ep->next_deadline) {
		ep->next_deadline = at;
		ep->next_stale = false;
	} else if (old == ep->next_deadline) {
		ep->next_stale = true;
	}
}

/* Inline: every segment that carries an ACK disarms the delayed ACK. */
static inline void tcp_disarm(struct tcp_ep *ep, enum tcp_timer t) { tcp_set_deadline(ep, t, SIM_NEVER); }
void tcp_arm_rtx(struct tcp_ep *ep, sim_time now);        /* RTO or TLP after sending */
void tcp_rtt_sample(struct tcp_ep *ep, sim_time rtt);
void tcp_rtx_progress(struct tcp_ep *ep, sim_time now);   /* an ACK advanced SND.UNA */
void tcp_enter_time_wait(struct tcp_ep *ep, sim_time now, struct tcp_acts *out);
void tcp_arm_fin_wait_2(struct tcp_ep *ep, sim_time now);

/* tcp_recovery.c */
/* Three duplicate ACKs, or a hole marked lost: recovery begins, ssthresh
 * taken from the congestion control (tcp_enter_recovery()); the ACK's
 * own turn comes next. */
void tcp_recovery_enter(struct tcp_ep *ep);
/* An ACK during recovery delivered `delivered` bytes: PRR sets the
 * window, the lost holes go again; or recovery ends. */
void tcp_recovery_on_ack(struct tcp_ep *ep, sim_time now, uint32_t delivered, bool una_advanced,
                         struct tcp_acts *out);
/* Is the head of the queue lost by the scoreboard (RFC 6675 IsLost)? */
bool tcp_recovery_head_lost(const struct tcp_ep *ep);
/* In flight, as the window counts it: RFC 6675's pipe in recovery;
 * sent and neither acknowledged nor SACKed otherwise.  Inline for the
 * common cases: no SACK; or outside recovery with nothing SACKed, where
 * sack_board_holes() finds all of [SND.UNA, SND.NXT) a hole. */
uint32_t tcp_in_flight_sacked(const struct tcp_ep *ep);
static inline uint32_t tcp_in_flight(const struct tcp_ep *ep)
{
	if (!ep->sack_ok)
		return ep->snd_nxt - ep->snd_una;
	if (!ep->in_recovery && ep->sb.n == 0)
		return seq_lt(ep->snd_una, ep->snd_nxt) ? ep->snd_nxt - ep->snd_una : 0;
	return tcp_in_flight_sacked(ep);
}
/* tcp_resend_skip() when SND.NXT is below SND.MAX with SACK on. */
uint32_t tcp_resend_skip_sacked(struct tcp_ep *ep, uint32_t *limit);
/* The data a go-back-N resend at SND.NXT skips: the next byte the peer
 * does not hold, and the most that may go before what it holds.  Inline
 * for its common case, asked on every send: new data (SND.NXT at
 * SND.MAX) or no SACK, where nothing is skipped and there is no limit. */
static inline uint32_t tcp_resend_skip(struct tcp_ep *ep, uint32_t *limit)
{
	if (!ep->sack_ok || !seq_lt(ep->snd_nxt, ep->snd_max)) {
		*limit = UINT32_MAX;
		return ep->snd_nxt;
	}
	return tcp_resend_skip_sacked(ep, limit);
}
/* RACK (RFC 8985) is on: the profile's rack, with SACK. */
static inline bool tcp_rack_on(const struct tcp_ep *ep)
{
	return ep->p->rack && ep->sack_ok;
}
/* A segment [seq, end) left: RACK records when (inline: every send). */
static inline void tcp_rack_sent(struct tcp_ep *ep, sim_time now, uint32_t seq, uint32_t end)
{
	if (tcp_rack_on(ep) && seq_lt(seq, end))
		rack_sent(&ep->rack, seq, end, now);
}
/* An ACK's SACK blocks and cumulative advance reached RACK, which marks
 * what is lost (tcp_rack_mark_lost()), arms the reordering timer, and
 * begins recovery when something is (tcp_time_to_recover()). */
void tcp_rack_on_ack(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s,
                     uint32_t una_before, uint32_t prior_high);
/* The reordering timer fired (tcp_rack_reo_timeout()). */
void tcp_rack_reo_timeout(struct tcp_ep *ep, sim_time now, struct tcp_acts *out);

/* bytebuf (tcp.c) */
#define BYTEBUF_KEEP 4096u /* a retired buffer up to this size keeps its memory */
void bytebuf_append(struct bytebuf *b, const uint8_t *data, uint32_t len);
uint8_t *bytebuf_extend(struct bytebuf *b, uint32_t len);
void bytebuf_consume(struct bytebuf *b, uint32_t len);
void bytebuf_free(struct bytebuf *b);
static inline const uint8_t *bytebuf_at(const struct bytebuf *b, uint32_t off)
{
	return b->data + b->head + off;
}

#endif
