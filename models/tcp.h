/*
 * A TCP endpoint: the RFC 9293 transmission control block and its state
 * machine.  Pure: every function takes the current simulated time and
 * appends what must happen to a struct tcp_acts (segments to send, state
 * changes to record); it never does I/O, never reads a clock and never
 * calls back into the application.  The caller (the host) applies the
 * actions after the call returns.
 *
 * Timers are data: a deadline per kind.  tcp_ep_next_deadline() tells the
 * engine when the endpoint next needs tcp_ep_on_timer().
 *
 * The user calls mirror the BSD socket API in non-blocking form: they
 * return at once with a count or a negative errno (-EAGAIN: would block,
 * try again when the endpoint changes).
 *
 * Every state change goes through one funnel, tcp_set_state(), which checks
 * it against RFC 9293's diagram and records it as an action.
 */
#ifndef MODELS_TCP_H
#define MODELS_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sim/engine/time.h"
#include "models/segment.h"
#include "models/tcp_params.h"

enum tcp_state {
	TCP_CLOSED,
	TCP_LISTEN,
	TCP_SYN_SENT,
	TCP_SYN_RCVD,
	TCP_ESTABLISHED,
	TCP_FIN_WAIT_1,
	TCP_FIN_WAIT_2,
	TCP_CLOSE_WAIT,
	TCP_CLOSING,
	TCP_LAST_ACK,
	TCP_TIME_WAIT,
	TCP_STATE_COUNT
};

/* "SYN_SENT", "TIME_WAIT", ... as netstat and the RFC figures write them. */
const char *tcp_state_name(enum tcp_state s);

enum tcp_timer {
	TCP_TIMER_RTX,        /* retransmission: SYN, SYN-ACK, data, FIN, tail loss probe */
	TCP_TIMER_DELACK,     /* delayed acknowledgment */
	TCP_TIMER_KEEPALIVE,  /* keepalive probes */
	TCP_TIMER_FIN_WAIT_2, /* orphaned FIN_WAIT_2 gives up */
	TCP_TIMER_TIME_WAIT,  /* 2*MSL */
	TCP_TIMER_CONNECT,    /* the stack's own connect limit (BSD keepinit) */
	TCP_TIMER_TSQ,        /* not a kernel timer: the TX completion that TCP small
	                         queues wait for (tcp_wfree() -> tcp_tsq_handler()) */
	TCP_TIMER_COUNT
};

const char *tcp_timer_name(enum tcp_timer t);

/* Why a segment is sent, for counters, traces and pcapng comments. */
enum tcp_send_why {
	TCP_SEND_NEW,        /* first transmission */
	TCP_SEND_RTO,        /* retransmission after a timeout */
	TCP_SEND_PROBE,      /* tail loss probe (RFC 8985) */
	TCP_SEND_FAST,       /* fast retransmit after three duplicate ACKs */
	TCP_SEND_GO_BACK,    /* resent after an RTO rewound SND.NXT */
	TCP_SEND_ACK,        /* pure acknowledgment */
	TCP_SEND_RST,        /* reset */
};

enum tcp_act_kind { TCP_ACT_SEND, TCP_ACT_STATE };

struct tcp_ep;

/* Kept to 128 bytes (the fields ordered so that none pads): an action is
 * cleared on every push, and compilers clear up to 128 bytes with vector
 * stores but a larger struct with a slower `rep stos`. */
struct tcp_act {
	struct tcp_ep *ep;          /* endpoint it concerns (NULL: a host-made reset) */
	/* TCP_ACT_SEND */
	struct tcp_seg seg;         /* payload points into the endpoint: copy it at once */
	enum tcp_act_kind kind;
	enum tcp_send_why why;
	/* TCP_ACT_STATE */
	enum tcp_state from, to;
	int err;                    /* to CLOSED on error: the errno the user sees */
	/* TCP_ACT_SEND */
	bool retransmission;        /* seq space already sent before */
	bool ctl_sock;              /* sent for the connection by no socket of its own (Linux:
	                               the per-netns control socket or a request socket,
	                               ip_send_unicast_reply(), ip_build_and_send_pkt()):
	                               the world gives it IP ID 0 */
};
_Static_assert(sizeof(struct tcp_act) <= 128, "struct tcp_act must stay within 128 bytes");

struct tcp_acts {
	struct tcp_act *v;          /* n actions, grown as needed, reused */
	uint32_t n, cap;
};

void tcp_acts_init(struct tcp_acts *a);
void tcp_acts_clear(struct tcp_acts *a);
struct tcp_act *tcp_acts_push(struct tcp_acts *a);

/* --- life cycle --- */

/* A closed endpoint for (local, remote) with the given initial send
 * sequence number and timestamp offset (both drawn by the host).  `reuse`,
 * if not NULL, is a freed endpoint whose memory (and small buffers) serve
 * again: a connection costs no allocation once the host has warmed up. */
struct tcp_ep *tcp_ep_new(struct tcp_ep *reuse, const struct tcp_params *p, uint32_t laddr,
                          uint16_t lport, uint32_t raddr, uint16_t rport, uint32_t iss,
                          uint32_t ts_offset);
/* Forgets everything but the memory, for tcp_ep_new(reuse). */
void tcp_ep_retire(struct tcp_ep *ep);
/* Asks the processor to bring the whole endpoint into its cache (a hint:
 * nothing changes).  A connection whose TIME_WAIT ends has not been
 * touched for 2*MSL; its end reads a dozen of its lines one after another,
 * each a miss to memory, unless asked for together first. */
void tcp_ep_prefetch(const struct tcp_ep *ep);
void tcp_ep_free(struct tcp_ep *ep);

/* --- the user's calls (non-blocking; negative errno on failure) --- */

/* May a new connection from an ephemeral port take the 4-tuple of this
 * TIME_WAIT endpoint (Linux tcp_twsk_unique())?  p: the new connection's
 * parameters (tw_reuse, tw_reuse_delay). */
bool tcp_ep_time_wait_reusable(const struct tcp_ep *tw, const struct tcp_params *p, sim_time now);
/* A TIME_WAIT endpoint that used timestamps: PAWS would keep its old
 * duplicates out of a successor (tcp_twsk_unique()'s ts_recent_stamp). */
bool tcp_ep_time_wait_protected(const struct tcp_ep *tw);
/* A SYN that reopens a TIME_WAIT endpoint's tuple (Linux TCP_TW_SYN): PAWS
 * lets it through and it lies beyond the old sequence space or carries a
 * newer timestamp (tcp_timewait_state_process()). */
bool tcp_ep_time_wait_takes_syn(const struct tcp_ep *tw, sim_time now, const struct tcp_seg *syn);
/* Before connect: a new endpoint on a reused TIME_WAIT tuple takes its
 * sequence space from there (its ISS beyond the old one's) and TS.Recent. */
void tcp_ep_follow_time_wait(struct tcp_ep *ep, const struct tcp_ep *tw);

/* Active open: sends the SYN.  Returns -EINPROGRESS; see tcp_ep_connect_status(). */
int tcp_ep_connect(struct tcp_ep *ep, sim_time now, struct tcp_acts *out);
/* 0 once established, -EINPROGRESS while opening, -errno if it failed
 * (then the error counts as reported: later calls see EPIPE, not it). */
int tcp_ep_connect_status(struct tcp_ep *ep);
/* Passive open: a LISTEN socket received `syn`; this new endpoint answers
 * with a SYN-ACK and enters SYN_RCVD. */
void tcp_ep_accept_syn(struct tcp_ep *ep, sim_time now, const struct tcp_seg *syn,
                       struct tcp_acts *out);
/* Bytes accepted into the send buffer, or -EAGAIN (buffer full or not yet
 * connected), -EPIPE (write side shut), -ECONNRESET etc. (pending error;
 * FreeBSD's err_rule: EPIPE first once the connection failed, the error
 * left for a read or SO_ERROR). */
long tcp_ep_send(struct tcp_ep *ep, sim_time now, const uint8_t *data, size_t len,
                 struct tcp_acts *out);
/* Makes the n bytes a send takes, at dst. */
typedef void (*tcp_fill_fn)(const void *ctx, uint8_t *dst, uint32_t n);
/* tcp_ep_send() of len bytes that fill() makes straight into the send
 * buffer, as many as it takes: bytes made on demand (generated payload)
 * are neither made elsewhere first nor copied. */
long tcp_ep_send_made(struct tcp_ep *ep, sim_time now, size_t len, tcp_fill_fn fill,
                      const void *ctx, struct tcp_acts *out);
/* Bytes a send could put into the send buffer now (0: full), so that a
 * caller making its bytes makes no more than that. */
uint32_t tcp_ep_send_space(const struct tcp_ep *ep);
/* Bytes copied, 0 at end of file, -EAGAIN when nothing has arrived yet,
 * -errno once after a reset or timeout. */
long tcp_ep_recv(struct tcp_ep *ep, sim_time now, uint8_t *buf, size_t len,
                 struct tcp_acts *out);
/* recv(MSG_PEEK): copies up to len bytes of what the user can read,
 * leaving them to read; the count (0 when nothing waits). */
uint32_t tcp_ep_peek(const struct tcp_ep *ep, uint8_t *buf, size_t len);
/* shutdown(SHUT_RD): nothing for Linux (the world remembers it); FreeBSD
 * (shut_rd_discards) drops what is queued and every byte that comes later,
 * still acknowledging it (sorflush(), SBS_CANTRCVMORE). */
void tcp_ep_shutdown_read(struct tcp_ep *ep);
/* shutdown(SHUT_WR): queues our FIN after the data.  Again in FIN_WAIT_2,
 * FreeBSD (fin_wait_2_shut_ends_read) ends the read side too. */
int tcp_ep_shutdown_write(struct tcp_ep *ep, sim_time now, struct tcp_acts *out);
/* close(): the user lets go of the endpoint, which lives on as an orphan
 * until CLOSED.  Unread data makes it a reset (Linux, RFC 2525 §2.17). */
int tcp_ep_close(struct tcp_ep *ep, sim_time now, struct tcp_acts *out);
/* close() with SO_LINGER 0: a reset, then CLOSED. */
int tcp_ep_abort(struct tcp_ep *ep, sim_time now, struct tcp_acts *out);

/* Which states a connection killed from outside resets from. */
enum tcp_drop_rule {
	/* Linux tcp_abort() (ss -K): tcp_need_reset()'s states, RFC 9293
	 * §3.10.5 ABORT's: SYN_RCVD, ESTABLISHED, FIN_WAIT_1/2, CLOSE_WAIT */
	TCP_DROP_ABORT,
	/* FreeBSD tcp_drop() (tcpdrop): every state that received a SYN
	 * (TCPS_HAVERCVDSYN), CLOSING and LAST_ACK too */
	TCP_DROP_BSD,
	/* no reset: a request socket not yet accepted (Linux
	 * inet_csk_reqsk_queue_drop()) */
	TCP_DROP_SILENT,
};
/* The stack kills the connection, its user or not (tcpdrop, ss -K): a
 * reset where the rule says, then CLOSED with `err` pending for the user
 * (ECONNABORTED: FreeBSD so_error, Linux sk_err); a TIME_WAIT one just
 * goes (inet_twsk_deschedule_put(), tcp_twclose()). */
void tcp_ep_drop(struct tcp_ep *ep, sim_time now, int err, enum tcp_drop_rule rule,
                 struct tcp_acts *out);

/* sock_error(): the pending error, which a call reports once (positive
 * errno, 0 if none); SO_ERROR reads it so. */
int tcp_ep_take_error(struct tcp_ep *ep);
/* Is an error waiting to be reported (POLLERR)? */
bool tcp_ep_error_pending(const struct tcp_ep *ep);
/* Linux sk_stream_is_writeable(): the send buffer has room for at least a
 * third of it again (free space >= queued / 2), so POLLOUT. */
bool tcp_ep_writable(const struct tcp_ep *ep);
/* Does a writer blocked on a full send buffer wake now?  Linux
 * (sk_stream_wait_memory(), woken by sk_stream_write_space()): once the
 * buffer is writable again (tcp_ep_writable()); other stacks: at any room;
 * at once when the connection can take no more writes. */
bool tcp_ep_write_wakes(const struct tcp_ep *ep);
/* setsockopt() on a live endpoint: it follows p from now on (p must live
 * as long as the endpoint, and be another struct than the one it follows
 * now: the two are compared).  A keepalive turned on is armed and one
 * turned off disarmed (tcp_set_keepalive()); a new idle time re-arms it
 * from the last segment heard (keepalive_time_set()); data Nagle held goes
 * if TCP_NODELAY was set (tcp_push_pending_frames()). */
void tcp_ep_set_params(struct tcp_ep *ep, const struct tcp_params *p, sim_time now,
                       struct tcp_acts *out);
const struct tcp_params *tcp_ep_params(const struct tcp_ep *ep);

/* --- the network and time --- */

void tcp_ep_input(struct tcp_ep *ep, sim_time now, const struct tcp_seg *seg,
                  struct tcp_acts *out);
void tcp_ep_on_timer(struct tcp_ep *ep, sim_time now, struct tcp_acts *out);
/* An ICMP destination unreachable about one of our segments arrived
 * (err: EHOSTUNREACH or ENETUNREACH).  Linux's tcp_v4_err(): while
 * connecting it ends the attempt at once; later it is a soft error, the
 * one reported if the retransmissions then time out. */
void tcp_ep_icmp_unreachable(struct tcp_ep *ep, sim_time now, int err, struct tcp_acts *out);
/* An ICMP destination unreachable (type 3, `code`) or, time_exceeded,
 * time exceeded (type 11) quoting our segment whose sequence number was
 * `seq` arrived: the profile's icmp_rule says what it does
 * (models/tcp_icmp.c). */
void tcp_ep_icmp_error(struct tcp_ep *ep, sim_time now, bool time_exceeded, uint8_t code, uint32_t seq,
                       struct tcp_acts *out);
sim_time tcp_ep_next_deadline(struct tcp_ep *ep); /* not const: it may refresh a cache */

/* TCP small queues (Linux's TSQ, tcp_small_queue_check()): a world whose
 * interface queues packets (a link with a bandwidth) turns it on and then
 * tells, for every data segment the endpoint sent, when its last bit left
 * the host (its TX completion; `done` <= now: at once, or dropped before
 * the wire).  The endpoint keeps about a millisecond of its data in the
 * host's queue and the rest in its send buffer, as Linux does. */
void tcp_ep_tsq_enable(struct tcp_ep *ep);
void tcp_ep_tx_done_at(struct tcp_ep *ep, sim_time now, sim_time done, uint32_t bytes);

/* The reset a host sends for a segment that matches no connection
 * (RFC 9293 §3.10.7.1); false when none is due (the segment is a reset). */
bool tcp_reset_for(const struct tcp_seg *in, uint8_t ttl, struct tcp_seg *rst);

/* --- what the user, the host and the tests may look at --- */

struct tcp_ep_view {
	enum tcp_state state;
	uint32_t laddr, raddr;
	uint16_t lport, rport;
	uint32_t iss, irs;            /* initial sequence numbers */
	uint32_t snd_una, snd_nxt, snd_max, snd_wnd;
	uint32_t rcv_nxt, rcv_wnd;
	uint32_t rcvbuf;              /* the receive buffer (SO_RCVBUF): FreeBSD's rounded up
	                                 to whole segments after the handshake (tcp_mss()),
	                                 Linux's grown by autotuning (tcp_rcvbuf_grow()) */
	uint32_t sndbuf;              /* the send buffer (sk_sndbuf), grown by
	                                 tcp_sndbuf_expand() */
	sim_time srtt, rttvar, rto;   /* 0 srtt: no sample yet */
	uint32_t retransmits;         /* consecutive timeouts of the current episode */
	bool orphan;                  /* the user closed it */
	bool eof;                     /* the peer's FIN has been read up to */
	int err;                      /* pending error (positive errno), 0 if none */
	uint32_t readable;            /* bytes the user can read */
	uint32_t snd_mss, cwnd, ssthresh;
	uint32_t backoff;             /* RTO doublings of the current episode */
	uint32_t outq;                /* bytes sent or waiting, not yet acknowledged (SIOCOUTQ) */
	uint32_t probes;              /* keepalive or zero-window probes the peer has not
	                                 answered (Linux's one icsk_probes_out counts both) */
	uint32_t rcv_mss;             /* the peer's segment size as measured (icsk_ack.rcv_mss) */
	uint32_t total_retrans;       /* segments sent again (tp->total_retrans) */
	uint32_t recoveries, dsacks;  /* fast recoveries begun, D-SACKs received */
	uint32_t sacked;              /* bytes the SACK scoreboard holds above SND.UNA */
	uint32_t pipe;                /* bytes in flight as loss recovery counts them
	                                 (RFC 6675 pipe: SACKed and lost data left out) */
	bool in_recovery;             /* in fast recovery (TCP_CA_Recovery) */
	bool ts_ok, sack_ok, ws_ok;   /* options negotiated on the SYNs */
	bool ecn_ok;                  /* ECN negotiated (RFC 3168 §6.1.1) */
	uint8_t snd_wscale, rcv_wscale; /* the peer's shift and ours, 0 without ws_ok */
	sim_time deadline[TCP_TIMER_COUNT];
};

void tcp_ep_view(const struct tcp_ep *ep, struct tcp_ep_view *v);
enum tcp_state tcp_ep_state(const struct tcp_ep *ep);
sim_time tcp_ep_rto(const struct tcp_ep *ep);
void tcp_ep_set_owner(struct tcp_ep *ep, void *owner);
/* Called, then the program aborts, when an invariant of the model is
 * violated (builds without NDEBUG check them after every call): the owner
 * says which run it was, so that it can be replayed. */
typedef void (*tcp_violation_fn)(void *ctx, const struct tcp_ep *ep, const char *what);
void tcp_ep_set_violation_hook(struct tcp_ep *ep, tcp_violation_fn fn, void *ctx);
void *tcp_ep_owner(const struct tcp_ep *ep);
bool tcp_ep_is_orphan(const struct tcp_ep *ep);
uint32_t tcp_ep_readable(const struct tcp_ep *ep);
/* What the world adds up per host, without building the view: fast
 * recoveries begun, D-SACKs received, and the times output waited for the
 * host's queue to drain (TSQ). */
struct tcp_ep_counts {
	uint32_t recoveries, dsacks, tsq_waits;
};
void tcp_ep_counts(const struct tcp_ep *ep, struct tcp_ep_counts *c);
int tcp_ep_error(const struct tcp_ep *ep);
/* Did the peer's FIN arrive (in sequence)?  Only then is a read of 0 bytes
 * an end of file rather than the aftermath of an error. */
bool tcp_ep_fin_received(const struct tcp_ep *ep);
/* Has reading ended (poll's POLLIN at end of file)?  The peer's FIN, or,
 * FreeBSD, a read side the user ended (shut_rd_discards,
 * fin_wait_2_shut_ends_read: SBS_CANTRCVMORE). */
bool tcp_ep_read_ended(const struct tcp_ep *ep);
/* Has the endpoint sent its FIN?  Then *fin_seq is its sequence number. */
bool tcp_ep_fin_sent(const struct tcp_ep *ep, uint32_t *fin_seq);

#endif
