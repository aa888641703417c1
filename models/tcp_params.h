/*
 * The parameters of one TCP endpoint: an OS profile's defaults (linux, bsd,
 * windows, rfc) after the config's [tcp] and [client.tcp]/[server.tcp]
 * overrides.  Every timer a real stack has is here.
 */
#ifndef MODELS_TCP_PARAMS_H
#define MODELS_TCP_PARAMS_H

#include <stdbool.h>
#include <stdint.h>
#include "sim/engine/time.h"
#include "models/mutant.h"
#include "models/segment.h"
#include "models/tcp_cong.h"

/* How short segments wait for the ACK of earlier data (RFC 896). */
enum tcp_nagle {
	TCP_NAGLE_OFF,      /* TCP_NODELAY: never wait */
	TCP_NAGLE_RFC896,   /* wait while any data is unacknowledged (RFC 1122 §4.2.3.4) */
	TCP_NAGLE_MINSHALL, /* wait only while a short segment is unacknowledged (Linux, BSD) */
};

/* How the RTO follows from SRTT and RTTVAR. */
enum tcp_rto_formula {
	TCP_RTO_RFC6298, /* max(rto_min, SRTT + max(G, 4*RTTVAR)) (RFC 6298 §2.3-2.4) */
	TCP_RTO_LINUX,   /* SRTT + max(4*RTTVAR, rto_min) (tcp_rtt_estimator, __tcp_set_rto) */
};

/* How the receive window follows from the receive buffer. */
enum tcp_rwin_rule {
	TCP_RWIN_LINUX, /* half the buffer is offered (tcp_adv_win_scale = 1); a SYN's
	                   window whole segments (tcp_select_initial_window) */
	TCP_RWIN_BSD,   /* FreeBSD tcp_output(): all the free space (sbspace()), of a
	                   buffer rounded up to whole segments once the MSS is known
	                   (tcp_mss()); a SYN's min(space, 65535); none below
	                   min(buffer / 4, MSS) (silly window avoidance); the scaled
	                   field rounded up (roundup2(), FreeBSD 13+) */
};

/* When received data is acknowledged. */
enum tcp_ack_rule {
	TCP_ACK_LINUX, /* quick-ACK mode at the start, pingpong, at once past one full
	                  segment unacknowledged (__tcp_ack_snd_check); the FIN of an
	                  established connection waits (pingpong) */
	TCP_ACK_BSD,   /* FreeBSD tcp_input() DELAY_ACK(): a segment of at most one MSS
	                  waits when no delayed ACK is pending, the next one is ACKed at
	                  once (every second segment), a longer one at once; a FIN at
	                  once (TF_ACKNOW) */
};

/* Which error a call sees after the connection failed. */
enum tcp_err_rule {
	TCP_ERR_LINUX, /* the pending error first, once (sock_error()); a reset in
	                  CLOSE_WAIT is EPIPE (tcp_reset()) */
	TCP_ERR_BSD,   /* FreeBSD sosend_generic(): a socket that can send no more
	                  (SBS_CANTSENDMORE: shut, or disconnected by the reset)
	                  fails a send with EPIPE before the pending error, which a
	                  read or SO_ERROR reports; a reset in CLOSE_WAIT is
	                  ECONNRESET (tcp_input()) */
};

/* What TIME_WAIT does with a segment. */
enum tcp_tw_rule {
	TCP_TW_LINUX, /* tcp_timewait_state_process(): PAWS; a SYN above RCV.NXT or with a
	                 newer timestamp opens anew; an in-window bare ACK or reset is
	                 taken; anything else is ACKed */
	TCP_TW_BSD,   /* tcp_twcheck(): a SYN above RCV.NXT opens anew; a reset or a
	                 segment without ACK is dropped; an ACK is answered unless it is
	                 a pure duplicate (no data, at RCV.NXT, acking SND.NXT) */
};

/* How an ICMP destination unreachable about a segment is taken. */
enum tcp_icmp_rule {
	TCP_ICMP_LINUX, /* tcp_v4_err(): icmp_err_convert[]; fatal while connecting, a soft
	                   error later */
	TCP_ICMP_BSD,   /* tcp_ctlinput_with_port(): icmp_errmap(); a refusal ends SYN_SENT
	                   (icmp_may_rst), the rest is tcp_notify()'s soft error */
};

/* The clock the timers run on. */
enum tcp_timers {
	TCP_TIMERS_EXACT,  /* each timer fires at the instant it asks for: the textbook times */
	TCP_TIMERS_KERNEL, /* Linux's: whole jiffies and the timer wheel's rounding
	                      (models/ktimer.h); the RTO from tcp_rtt_estimator()'s
	                      fixed point in microseconds */
};

/* `uptime` before the world draws it from the seed. */
#define TCP_UPTIME_FROM_SEED ((sim_time)-1)

struct tcp_params {
	/* segments and windows */
	uint32_t mss;             /* MSS we announce; we send at most the peer's */
	uint32_t rcvbuf;          /* receive buffer, bytes: bounds the window */
	uint32_t sndbuf;          /* send buffer, bytes: bounds unsent + unacked data (Linux
	                             tcp_wmem[1], the start of autotuning) */
	uint32_t wmem_max;        /* tcp_wmem[2]: the send buffer grows with the congestion
	                             window up to it (tcp_sndbuf_expand()); 0 = fixed */
	uint32_t rmem_max;        /* tcp_rmem[2]: receive autotuning grows the buffer up to
	                             it (tcp_rcvbuf_grow()); 0 = fixed */
	bool sndbuf_lock;         /* SOCK_SNDBUF_LOCK: SO_SNDBUF set, no autotuning */
	bool rcvbuf_lock;         /* SOCK_RCVBUF_LOCK: SO_RCVBUF set, no autotuning */
	bool snd_truesize;        /* the send buffer charges each segment its skb's truesize
	                             (Linux sk_wmem_queued), not its bytes (FreeBSD sb_cc) */
	bool tso;                 /* the device takes TSO packets (or GSO segments them): sent
	                             data stays in skbs of tcp_tso_autosize() segments; off: one
	                             skb a segment (models/tcp_buf.c) */
	uint32_t limit_output_bytes; /* tcp_limit_output_bytes: TCP small queues' ceiling on
	                             the bytes a socket keeps in its host's queues; 0 = no TSQ */
	uint32_t init_cwnd;       /* initial congestion window, segments (RFC 6928: 10) */
	enum tcp_cc_algo congestion_control; /* net.ipv4.tcp_congestion_control (models/tcp_cong.h) */
	bool slow_start_after_idle; /* the window shrinks after an idle RTO (RFC 7661 §4.1;
	                             Linux tcp_slow_start_after_idle = 1, tcp_cwnd_restart()) */
	enum tcp_nagle nagle;     /* Nagle's algorithm, and which form of it */
	bool window_scaling;      /* offer RFC 7323 window scaling */
	uint32_t wscale;          /* the shift we offer (Linux: 7) */
	bool sack;                /* offer SACK-permitted (RFC 2018) */
	bool timestamps;          /* offer RFC 7323 timestamps */
	uint32_t ecn;             /* RFC 3168 ECN: 0 never, 1 ask on our SYN and answer a peer's,
	                             2 answer only (Linux tcp_ecn, FreeBSD net.inet.tcp.ecn.enable) */
	uint32_t ecn_syn_retries; /* SYN retransmissions that still ask for ECN (FreeBSD
	                             net.inet.tcp.ecn.maxretries; Linux tcp_ecn_fallback: 0) */
	enum tcp_opt_layout opt_layout; /* the options' order and padding on the wire */
	enum tcp_rwin_rule rwin_rule; /* how the window follows from rcvbuf */
	bool rcv_ssthresh;        /* the window starts at the SYN's and grows with the data
	                             (Linux 6.x __tcp_select_window(), tcp_grow_window()) */
	/* retransmission (RFC 6298) */
	sim_time rto_initial;     /* RTO before any RTT sample (Linux 1 s) */
	sim_time rto_min;         /* floor of the RTO (Linux 200 ms) */
	sim_time rto_max;         /* ceiling of the backed-off RTO (Linux 120 s) */
	enum tcp_rto_formula rto_formula; /* where rto_min applies */
	bool tlp;                 /* RFC 8985 tail loss probe for a lone tail segment */
	bool rack;                /* RFC 8985 RACK loss detection (Linux tcp_recovery = 1) */
	uint32_t syn_retries;     /* SYN retransmissions (Linux adds syn_linear_timeouts) */
	uint32_t syn_linear_timeouts; /* first N SYN retransmissions without backoff (Linux 4) */
	uint32_t synack_retries;  /* SYN-ACK retransmissions in SYN_RCVD (Linux 5) */
	uint32_t retries2;        /* data retransmissions before ETIMEDOUT (Linux 15) */
	uint32_t orphan_retries;  /* retransmissions of a closed (orphaned) socket (Linux 8) */
	bool retries_by_time;     /* Linux: retries2 and orphan_retries are turned into the
	                             time their backoff would take (retransmits_timed_out) */
	/* acknowledgments */
	sim_time delayed_ack;     /* delayed-ACK timeout (Linux ATO 40 ms) */
	uint32_t quickacks;       /* segments ACKed at once at the start (Linux 16) */
	enum tcp_ack_rule ack_rule; /* which data waits for the delayed ACK */
	/* closing */
	sim_time time_wait;       /* TIME_WAIT length, 2*MSL (Linux 60 s); 0 = no TIME_WAIT */
	sim_time fin_timeout;     /* FIN_WAIT_2 timeout of an orphaned socket (Linux 60 s) */
	bool rfc1337;             /* TIME_WAIT ignores resets (RFC 1337; Linux tcp_rfc1337 = 0) */
	enum tcp_tw_rule tw_rule; /* what TIME_WAIT answers */
	uint32_t tw_reuse;        /* connect() may take a TIME_WAIT 4-tuple (Linux tcp_tw_reuse:
	                             1 yes, 2 loopback only, which the model's world never is) */
	sim_time tw_reuse_delay;  /* ... once it has been in TIME_WAIT this long (Linux 1 s) */
	bool rst_on_unread;       /* close() with unread data sends RST (Linux) */
	/* segments */
	bool drop_ack_unsent;     /* an ACK of data never sent is dropped silently, its timestamp
	                             unlearned (Linux tcp_ack()); RFC 9293: answered with an ACK */
	enum tcp_err_rule err_rule; /* EPIPE or the pending error first */
	bool shut_rd_discards;    /* shutdown(SHUT_RD) drops what is queued and what comes
	                             later, which is still acknowledged (FreeBSD sorflush(),
	                             SBS_CANTRCVMORE); Linux keeps it readable */
	bool ack_repeats_fin;     /* an ACK sent while our FIN is unacknowledged carries it again,
	                             at its own sequence number (FreeBSD tcp_output():
	                             tcp_outflags[] has FIN in FIN_WAIT_1, CLOSING, LAST_ACK) */
	bool fin_clears_sack;     /* the peer's FIN empties the SACK blocks and drops a pending
	                             D-SACK (Linux tcp_fin(): tcp_sack_reset()) */
	bool dsack;               /* report duplicates in D-SACK blocks (RFC 2883; Linux
	                             net.ipv4.tcp_dsack, on by default) */
	bool dsack_fin;           /* a D-SACK covers a duplicate FIN too (Linux tcp_data_queue():
	                             seq to end_seq); FreeBSD's tcp_input() reports the dropped
	                             data bytes only (todrop) */
	bool fin_wait_2_shut_ends_read; /* shutdown(SHUT_WR) again in FIN_WAIT_2 disconnects the
	                             socket: reads return 0 (FreeBSD tcp_usrclosed() ->
	                             soisdisconnected()) */
	bool insecure_rst;        /* a reset anywhere in the window kills the connection, no
	                             challenge ACK (FreeBSD net.inet.tcp.insecure_rst) */
	bool insecure_syn;        /* a SYN in the window resets the connection, no challenge
	                             ACK (FreeBSD net.inet.tcp.insecure_syn) */
	bool drop_synfin;         /* a listener drops a SYN carrying FIN (FreeBSD
	                             net.inet.tcp.drop_synfin); off: taken as a SYN */
	bool rexmit_drop_options; /* the third SYN retransmission and later ones carry the MSS
	                             only (FreeBSD net.inet.tcp.rexmit_drop_options) */
	enum tcp_icmp_rule icmp_rule; /* how an ICMP error about a segment is taken */
	bool icmp_may_rst;        /* TCP_ICMP_BSD: a port, protocol or prohibited unreachable
	                             ends a connection in SYN_SENT (FreeBSD net.inet.tcp.icmp_may_rst) */
	/* keepalive */
	bool keepalive;           /* SO_KEEPALIVE */
	sim_time keepalive_idle;  /* idle time before the first probe (Linux 7200 s) */
	sim_time keepalive_intvl; /* between probes (Linux 75 s) */
	uint32_t keepalive_probes; /* unanswered probes before ETIMEDOUT (Linux 9) */
	sim_time user_timeout;    /* TCP_USER_TIMEOUT: unacknowledged data older than this
	                             ends the connection (RFC 5482), 0 = off */
	/* the connection */
	sim_time connect_timeout; /* the stack's own connect limit (bsd keepinit 75 s), 0 = none */
	uint32_t ttl;             /* IPv4 TTL of our packets (Linux 64) */
	uint8_t tos;              /* IPv4 TOS byte of our packets (IP_TOS; 0) */
	bool no_options;          /* FreeBSD TCP_NOOPT (TF_NOOPT): tcp_output() and
	                             syncache_respond() put no option on the SYN, MSS included,
	                             so none is negotiated */
	bool bsd_sockopts;        /* FreeBSD's own TCP_NOOPT and TCP_KEEPINIT exist (Linux
	                             refuses them: ENOPROTOOPT) */
	bool bound_socket_resets; /* a reset for a port a socket is bound to, not listening,
	                             goes out with that socket's IP options (IP_TTL, IP_TOS):
	                             FreeBSD's in_pcblookup() finds the bound inpcb and
	                             tcp_dropwithreset() answers through it; Linux's lookup
	                             sees listeners and connections only and answers with
	                             no socket (tcp_v4_send_reset()) */
	bool ctl_sock_id_zero;    /* what the stack sends without the connection's own socket
	                             (a reset for no socket, TIME_WAIT's answers, a request
	                             socket's SYN-ACK) goes out with IP ID 0 (Linux
	                             ip_select_ident(): DF and no inet_daddr) */
	/* the clock */
	enum tcp_timers timers;   /* exact, or the kernel's jiffies and timer wheel */
	uint32_t hz;              /* CONFIG_HZ of a kernel clock (Debian's and Ubuntu's: 250) */
	sim_time uptime;          /* the kernel's clock at simulated time 0, which sets the
	                             wheel's phase; TCP_UPTIME_FROM_SEED until the world draws it */
	sim_time isn_tick;        /* the ISN clock's period (RFC 6528 M): Linux 64 ns, RFC 9293 4 us */
#ifdef TCPSIM_MUTANTS
	enum tcp_mutant mutant;   /* the test's deliberately broken model (models/mutant.h) */
#endif
};

/* The smallest socket buffers a stack accepts.  Linux raises a smaller
 * SO_RCVBUF / SO_SNDBUF (and tcp_rmem / tcp_wmem) silently to
 * SOCK_MIN_RCVBUF / SOCK_MIN_SNDBUF, 2 * TCP_SKB_MIN_TRUESIZE =
 * 2 * (2048 + SKB_DATA_ALIGN(sizeof(struct sk_buff))) = 4608 bytes on
 * 64-bit (include/net/sock.h).  Below it the model breaks down the same
 * way a kernel would without the floor: half of rcvbuf is offered as
 * window (tcp_rcv_window), and a window below one segment makes the SYN
 * offer zero (tcp_select_initial_window rounds down to the MSS), so the
 * data crawls through persist probes. */
#define TCP_MIN_RCVBUF 4608u
#define TCP_MIN_SNDBUF 4608u

/* The smallest send MSS, whatever the peer announces: Linux's
 * net.ipv4.tcp_min_snd_mss (48 since 5.2, against tiny-MSS resource
 * exhaustion, CVE-2019-11479). */
#define TCP_MIN_SND_MSS 48u

/* Raises rcvbuf and sndbuf below the minimum to it, as setsockopt does;
 * true when it changed anything. */
bool tcp_params_apply_floors(struct tcp_params *p);

/* Linux tcp_select_initial_window(): the window scale for a largest
 * window of `space` bytes, the shift that brings it under 16 bits
 * (ilog2(space) - 15), at most 14 (RFC 7323 §2.3). */
uint32_t tcp_wscale_for_space(uint64_t space);

/* Fills *out with the named profile ("linux", "bsd", "windows", "rfc");
 * false for an unknown name. */
bool tcp_profile_get(const char *name, struct tcp_params *out);

/* Names of the profiles, NULL-terminated, for error messages and --help. */
extern const char *const tcp_profile_names[];

#endif
