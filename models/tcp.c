/*
 * The TCP endpoint's life cycle, the user's calls, and the one funnel
 * through which every state change passes (tcp_set_state).
 *
 * Invariants (checked with g_assert):
 *   - a state change is an edge of RFC 9293's diagram (figure 5) or a move
 *     to CLOSED (reset, abort, time-out);
 *   - SND.UNA <= SND.NXT <= SND.MAX;
 *   - the send buffer holds exactly the bytes from SND.UNA's data to the last
 *     byte the user wrote.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "models/tcp_int.h"

static const char *const state_names[] = {
	[TCP_CLOSED] = "CLOSED",           [TCP_LISTEN] = "LISTEN",
	[TCP_SYN_SENT] = "SYN_SENT",       [TCP_SYN_RCVD] = "SYN_RCVD",
	[TCP_ESTABLISHED] = "ESTABLISHED", [TCP_FIN_WAIT_1] = "FIN_WAIT_1",
	[TCP_FIN_WAIT_2] = "FIN_WAIT_2",   [TCP_CLOSE_WAIT] = "CLOSE_WAIT",
	[TCP_CLOSING] = "CLOSING",         [TCP_LAST_ACK] = "LAST_ACK",
	[TCP_TIME_WAIT] = "TIME_WAIT",
};
G_STATIC_ASSERT(G_N_ELEMENTS(state_names) == TCP_STATE_COUNT);

const char *tcp_state_name(enum tcp_state s)
{
	return (unsigned)s < TCP_STATE_COUNT ? state_names[s] : "?";
}

static const char *const timer_names[] = {
	[TCP_TIMER_RTX] = "retransmit",   [TCP_TIMER_DELACK] = "delayed-ack",
	[TCP_TIMER_KEEPALIVE] = "keepalive", [TCP_TIMER_FIN_WAIT_2] = "fin-wait-2",
	[TCP_TIMER_TIME_WAIT] = "time-wait", [TCP_TIMER_CONNECT] = "connect",
	[TCP_TIMER_TSQ] = "tsq",
};
G_STATIC_ASSERT(G_N_ELEMENTS(timer_names) == TCP_TIMER_COUNT);

const char *tcp_timer_name(enum tcp_timer t)
{
	return (unsigned)t < TCP_TIMER_COUNT ? timer_names[t] : "?";
}

/* --- actions --- */

void tcp_acts_init(struct tcp_acts *a) { memset(a, 0, sizeof *a); }

void tcp_acts_clear(struct tcp_acts *a)
{
	g_free(a->v);
	memset(a, 0, sizeof *a);
}

struct tcp_act *tcp_acts_push(struct tcp_acts *a)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 16;
		a->v = g_renew(struct tcp_act, a->v, a->cap);
	}
	struct tcp_act *act = &a->v[a->n++];
	/* Cleared in two halves: GCC (12, -O2/-O3, generic tuning) makes a
	 * memset of 128 bytes or more a `rep stosq`, whose start-up costs tens
	 * of cycles on every push; halves become a few vector stores. */
	memset(act, 0, sizeof *act / 2);
	memset((char *)act + sizeof *act / 2, 0, sizeof *act - sizeof *act / 2);
	return act;
}

/* --- byte buffers --- */

/* Makes room for len more bytes after the live ones, which count as live
 * at once, and returns where they go: the caller writes them.  No room
 * after the live bytes: slide them to the front, into room that at least
 * as many consumed bytes freed (else the buffer doubles first), so that
 * each byte is moved a bounded number of times on average: a full send
 * buffer of megabytes taking a segment's worth at a time must not move
 * all of it each time. */
uint8_t *bytebuf_extend(struct bytebuf *b, uint32_t len)
{
	if (b->head + b->len + len > b->cap) {
		if (b->head < b->len || b->len + len > b->cap) {
			uint32_t cap = b->cap ? b->cap : 256;
			while (cap < 2 * (b->len + len))
				cap *= 2;
			b->data = g_realloc(b->data, cap);
			b->cap = cap;
		}
		if (b->head > 0) {
			memmove(b->data, b->data + b->head, b->len);
			b->head = 0;
		}
	}
	uint8_t *at = b->data + b->head + b->len;
	b->len += len;
	return at;
}

void bytebuf_append(struct bytebuf *b, const uint8_t *data, uint32_t len)
{
	if (len == 0)
		return;
	memcpy(bytebuf_extend(b, len), data, len);
}

void bytebuf_consume(struct bytebuf *b, uint32_t len)
{
	g_assert(len <= b->len);
	b->head += len;
	b->len -= len;
	if (b->len == 0)
		b->head = 0;
}

void bytebuf_free(struct bytebuf *b)
{
	g_free(b->data);
	memset(b, 0, sizeof *b);
}

static void bytebuf_release(struct bytebuf *b);

/* --- the state funnel --- */

bool tcp_state_synchronized(enum tcp_state s)
{
	return s >= TCP_ESTABLISHED;
}

/* Edges of RFC 9293 figure 5, plus CLOSED -> SYN_RCVD for a listener's
 * child (the listener itself stays in LISTEN).  Any state may go to CLOSED. */
static bool transition_allowed(enum tcp_state from, enum tcp_state to)
{
	if (to == TCP_CLOSED)
		return from != TCP_CLOSED;
	switch (from) {
	case TCP_CLOSED: return to == TCP_LISTEN || to == TCP_SYN_SENT || to == TCP_SYN_RCVD;
	case TCP_LISTEN: return to == TCP_SYN_RCVD || to == TCP_SYN_SENT;
	case TCP_SYN_SENT: return to == TCP_SYN_RCVD || to == TCP_ESTABLISHED;
	case TCP_SYN_RCVD:
		return to == TCP_ESTABLISHED || to == TCP_FIN_WAIT_1 || to == TCP_CLOSE_WAIT;
	case TCP_ESTABLISHED: return to == TCP_FIN_WAIT_1 || to == TCP_CLOSE_WAIT;
	case TCP_FIN_WAIT_1:
		return to == TCP_FIN_WAIT_2 || to == TCP_CLOSING || to == TCP_TIME_WAIT;
	case TCP_FIN_WAIT_2: return to == TCP_TIME_WAIT;
	case TCP_CLOSE_WAIT: return to == TCP_LAST_ACK;
	case TCP_CLOSING: return to == TCP_TIME_WAIT;
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
	case TCP_STATE_COUNT:
		return false; /* only to CLOSED, checked above */
	}
	return false;
}

void tcp_set_state(struct tcp_ep *ep, enum tcp_state to, int err, struct tcp_acts *out)
{
	if (!transition_allowed(ep->state, to)) {
		char what[64];
		g_snprintf(what, sizeof what, "illegal transition %s -> %s", tcp_state_name(ep->state),
		           tcp_state_name(to));
		tcp_violated(ep, what);
	}
	struct tcp_act *a = tcp_acts_push(out);
	a->kind = TCP_ACT_STATE;
	a->ep = ep;
	a->from = ep->state;
	a->to = to;
	a->err = err;
	ep->state = to;
	if (to == TCP_CLOSED) {
		tcp_disarm_all(ep);
		/* the unsent and unacknowledged bytes are dropped, but their
		 * memory stays until the endpoint is retired or freed: segments
		 * this same input sent before it closed (a loss recovery's
		 * retransmission, then a reset for data after close()) still
		 * point into it until the caller copies them */
		ep->snd.head = ep->snd.len = 0;
	}
}

void tcp_fail(struct tcp_ep *ep, int err, struct tcp_acts *out)
{
	if (ep->err == 0 || ep->err_reported) {
		ep->err = err;
		ep->err_reported = false;
	}
	tcp_set_state(ep, TCP_CLOSED, err, out);
}

/* --- life cycle --- */

/* Drops the contents of a buffer, and its memory too if it grew large:
 * a closed or TIME_WAIT endpoint keeps little. */
static void bytebuf_release(struct bytebuf *b)
{
	if (b->cap > BYTEBUF_KEEP)
		bytebuf_free(b);
	b->head = b->len = 0;
}

void tcp_ep_retire(struct tcp_ep *ep)
{
	bytebuf_release(&ep->snd);
	bytebuf_release(&ep->rcv);
	sack_board_release(&ep->sb); /* a small board is kept for the next connection */
	rack_release(&ep->rack); /* a small record array is kept for the next connection */
	while (ep->ooo) {
		struct ooo_seg *next = ep->ooo->next;
		g_free(ep->ooo);
		ep->ooo = next;
	}
	ep->ooo_bytes = 0;
}

void tcp_ep_prefetch(const struct tcp_ep *ep)
{
	const char *p = (const char *)ep;
	for (size_t off = 0; off < sizeof *ep; off += 64)
		__builtin_prefetch(p + off, 1);
}

struct tcp_ep *tcp_ep_new(struct tcp_ep *reuse, const struct tcp_params *p, uint32_t laddr,
                          uint16_t lport, uint32_t raddr, uint16_t rport, uint32_t iss,
                          uint32_t ts_offset)
{
	struct tcp_ep *ep = reuse ? reuse : g_new0(struct tcp_ep, 1);
	struct bytebuf snd = ep->snd, rcv = ep->rcv; /* memory only: retired */
	struct sack_board sb = ep->sb;
	struct rack rack = ep->rack;
	memset(ep, 0, sizeof *ep);
	ep->snd = snd;
	ep->rcv = rcv;
	ep->sb.r = sb.r; /* the memory only: no range, nothing SACKed */
	ep->sb.cap = sb.cap;
	ep->rack.s = rack.s;
	ep->rack.cap = rack.cap;
	rack_init(&ep->rack, iss);
	ep->p = p;
	ep->state = TCP_CLOSED;
	ep->laddr = laddr;
	ep->lport = lport;
	ep->raddr = raddr;
	ep->rport = rport;
	ep->iss = iss;
	ep->snd_una = ep->snd_nxt = ep->snd_max = iss;
	ep->snd_sml = iss; /* no short segment yet (tcp_connect_init(): snd_sml = write_seq) */
	ep->snd_buf_seq = iss + 1;
	ep->snd_mss = 536; /* RFC 9293 §3.7.1 until the peer announces one */
	ep->rcv_mss = 536; /* Linux's TCP_MSS_DEFAULT until a segment is measured */
	ep->ts_offset = ts_offset;
	ep->rto = p->rto_initial;
	ep->rtt_start = -1;
	struct tcp_cc_clock clk = {.hz = p->hz ? p->hz : 1000};
	tcp_cc_init(&ep->cc, p->congestion_control, p->init_cwnd, iss, &clk);
	ep->sndbuf = p->sndbuf; /* tcp_init_sock(): tcp_wmem[1], tcp_rmem[1] */
	ep->rcvbuf = p->rcvbuf;
	tcp_disarm_all(ep);
	return ep;
}

void tcp_ep_free(struct tcp_ep *ep)
{
	if (!ep)
		return;
	bytebuf_free(&ep->snd);
	bytebuf_free(&ep->rcv);
	sack_board_free(&ep->sb);
	rack_free(&ep->rack);
	while (ep->ooo) {
		struct ooo_seg *next = ep->ooo->next;
		g_free(ep->ooo);
		ep->ooo = next;
	}
	g_free(ep);
}

/* --- the user's calls --- */

int tcp_ep_connect(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	if (ep->state != TCP_CLOSED)
		return -EISCONN;
	tcp_set_state(ep, TCP_SYN_SENT, 0, out);
	ep->rtx_epoch = now;
	tcp_send_syn(ep, now, false, TCP_SEND_NEW, out);
	tcp_arm(ep, TCP_TIMER_RTX, now, ep->rto);
	if (ep->p->connect_timeout > 0)
		tcp_arm(ep, TCP_TIMER_CONNECT, now, ep->p->connect_timeout);
	TCP_CHECK(ep, ep->rcv_nxt);
	return -EINPROGRESS;
}

/* tcp_twsk_unique(): a TIME_WAIT endpoint's 4-tuple may serve a new
 * connection only if it used timestamps, so that PAWS keeps its old
 * duplicates out of the new one, with tw_reuse on, once the endpoint has
 * been in TIME_WAIT more than tw_reuse_delay (in whole milliseconds, as
 * tcp_clock_ms() counts).  Mode 2 (loopback only) never applies here. */
bool tcp_ep_time_wait_reusable(const struct tcp_ep *tw, const struct tcp_params *p, sim_time now)
{
	if (!tcp_ep_time_wait_protected(tw))
		return false;
	return p->tw_reuse == 1 && now / SIM_MS > (tw->tw_since + p->tw_reuse_delay) / SIM_MS;
}

bool tcp_ep_time_wait_protected(const struct tcp_ep *tw)
{
	return tw->state == TCP_TIME_WAIT && tw->ts_ok;
}

/* tcp_twsk_unique() goes on: the new connection starts its sequence space
 * beyond the old one's largest window (write_seq = tw_snd_nxt + 65535 + 2,
 * never 0), and takes its TS.Recent, which its SYN echoes. */
void tcp_ep_follow_time_wait(struct tcp_ep *ep, const struct tcp_ep *tw)
{
	uint32_t iss = tw->snd_nxt + 65535 + 2;
	if (iss == 0)
		iss = 1;
	ep->iss = iss;
	ep->snd_una = ep->snd_nxt = ep->snd_max = ep->snd_sml = iss;
	ep->snd_buf_seq = iss + 1;
	ep->ts_recent = tw->ts_recent;
}

int tcp_ep_connect_status(struct tcp_ep *ep)
{
	switch (ep->state) {
	case TCP_SYN_SENT:
	case TCP_SYN_RCVD:
		return -EINPROGRESS;
	case TCP_CLOSED:
	case TCP_LISTEN:
		ep->err_reported = true;
		return ep->err ? -ep->err : -ENOTCONN;
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
	case TCP_STATE_COUNT:
		return 0;
	}
	return 0;
}

/* The error a call reports once, then the state speaks for itself. */
static long take_error(struct tcp_ep *ep)
{
	if (ep->err && !ep->err_reported) {
		ep->err_reported = true;
		return -ep->err;
	}
	return 0;
}

int tcp_ep_take_error(struct tcp_ep *ep)
{
	return (int)-take_error(ep);
}

bool tcp_ep_error_pending(const struct tcp_ep *ep)
{
	return ep->err && !ep->err_reported;
}

bool tcp_ep_writable(const struct tcp_ep *ep)
{
	return tcp_snd_writeable(ep);
}

bool tcp_ep_write_wakes(const struct tcp_ep *ep)
{
	bool open = ep->state == TCP_ESTABLISHED || ep->state == TCP_CLOSE_WAIT;
	if (!open || ep->err || !ep->p->snd_truesize)
		return true;
	return !ep->snd_nospace || tcp_snd_writeable(ep);
}

/* setsockopt(SO_SNDBUF / SO_RCVBUF) on a live socket sets the buffer
 * itself (sock_setsockopt(): sk_sndbuf, sk_rcvbuf); a listener's child
 * takes its parameters' buffers. */
static void follow_buffers(struct tcp_ep *ep, const struct tcp_params *was,
                           const struct tcp_params *p)
{
	if (p->sndbuf != was->sndbuf || p->sndbuf_lock != was->sndbuf_lock)
		ep->sndbuf = p->sndbuf;
	if (p->rcvbuf != was->rcvbuf || p->rcvbuf_lock != was->rcvbuf_lock)
		ep->rcvbuf = p->rcvbuf;
}

void tcp_ep_counts(const struct tcp_ep *ep, struct tcp_ep_counts *c)
{
	c->recoveries = ep->recoveries;
	c->dsacks = ep->dsacks;
	c->tsq_waits = ep->tsq.waits;
}

uint32_t tcp_ep_send_space(const struct tcp_ep *ep)
{
	return tcp_snd_space(ep);
}

void tcp_ep_set_params(struct tcp_ep *ep, const struct tcp_params *p, sim_time now,
                       struct tcp_acts *out)
{
	bool keepalive_was = ep->p->keepalive;
	sim_time idle_was = ep->p->keepalive_idle;
	follow_buffers(ep, ep->p, p);
	ep->p = p;
	bool open = tcp_state_synchronized(ep->state) && ep->state != TCP_TIME_WAIT;
	if (p->keepalive && !keepalive_was && open)
		tcp_arm(ep, TCP_TIMER_KEEPALIVE, now, p->keepalive_idle);
	/* A new idle time counts from what was last heard (Linux
	 * keepalive_time_set()): at once if that is longer ago. */
	if (p->keepalive && keepalive_was && p->keepalive_idle != idle_was && open) {
		sim_time at = ep->last_heard + p->keepalive_idle;
		tcp_arm(ep, TCP_TIMER_KEEPALIVE, now, at > now ? at - now : 0);
	}
	if (!p->keepalive && keepalive_was)
		tcp_disarm(ep, TCP_TIMER_KEEPALIVE);
	if (tcp_state_synchronized(ep->state))
		tcp_output(ep, now, out);
}

const struct tcp_params *tcp_ep_params(const struct tcp_ep *ep)
{
	return ep->p;
}

/* FreeBSD's SBS_CANTSENDMORE: the user shut the write side, or the
 * connection failed (soisdisconnected()). */
static bool cant_send_more(const struct tcp_ep *ep)
{
	return ep->fin_queued || (ep->state == TCP_CLOSED && ep->err);
}

long tcp_ep_send_made(struct tcp_ep *ep, sim_time now, size_t len, tcp_fill_fn fill,
                      const void *ctx, struct tcp_acts *out)
{
	/* sosend_generic() tests SBS_CANTSENDMORE before so_error */
	if (ep->p->err_rule == TCP_ERR_BSD && cant_send_more(ep))
		return -EPIPE;
	long e = take_error(ep);
	if (e)
		return e;
	switch (ep->state) {
	case TCP_SYN_SENT:
	case TCP_SYN_RCVD:
		return -EAGAIN; /* a blocking send waits for the handshake */
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		break;
	case TCP_CLOSED:
		return ep->err ? -EPIPE : -ENOTCONN;
	case TCP_LISTEN:
		return -ENOTCONN;
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
	case TCP_STATE_COUNT:
		return -EPIPE;
	}
	uint32_t space = tcp_snd_space(ep);
	if (len > space) /* sk_stream_wait_memory(): SOCK_NOSPACE */
		ep->snd_nospace = true;
	if (space == 0)
		return -EAGAIN;
	uint32_t n = len < space ? (uint32_t)len : space;
	if (n)
		fill(ctx, bytebuf_extend(&ep->snd, n), n);
	tcp_restart_after_idle(ep, now);
	tcp_snd_appended(ep, n);
	tcp_output(ep, now, out);
	return n;
}

static void copy_from(const void *data, uint8_t *dst, uint32_t n)
{
	memcpy(dst, data, n);
}

long tcp_ep_send(struct tcp_ep *ep, sim_time now, const uint8_t *data, size_t len,
                 struct tcp_acts *out)
{
	return tcp_ep_send_made(ep, now, len, copy_from, data, out);
}

/* After a read: is the window that reopened worth a window update?
 * Linux (tcp_cleanup_rbuf()): when it had closed below one segment and
 * now offers one.  FreeBSD (tcp_output()): when it grew by two segments
 * and a quarter of the buffer, or by half the buffer. */
static bool window_update_due(const struct tcp_ep *ep, uint32_t before)
{
	if (ep->p->rwin_rule == TCP_RWIN_BSD)
		return tcp_bsd_window_update_due(ep);
	return before < ep->snd_mss && tcp_rcv_window(ep) >= ep->snd_mss;
}

/* A read of queued bytes: out of tcp_ep_recv(), which a program that polls
 * calls far more often with nothing queued, so that the empty case saves
 * no registers. */
__attribute__((noinline)) static long recv_queued(struct tcp_ep *ep, sim_time now, uint8_t *buf,
                                                  size_t len, struct tcp_acts *out)
{
	uint32_t before = tcp_rcv_window(ep);
	uint32_t n = len < ep->rcv.len ? (uint32_t)len : ep->rcv.len;
	memcpy(buf, bytebuf_at(&ep->rcv, 0), n);
	bytebuf_consume(&ep->rcv, n);
	ep->copied_seq += n;
	if (tcp_state_synchronized(ep->state)) /* tcp_recvmsg_locked() */
		tcp_rcv_space_adjust(ep, now);
	if (window_update_due(ep, before) && tcp_state_synchronized(ep->state) &&
	    ep->state != TCP_TIME_WAIT)
		tcp_send_ack(ep, now, out);
	return n;
}

long tcp_ep_recv(struct tcp_ep *ep, sim_time now, uint8_t *buf, size_t len,
                 struct tcp_acts *out)
{
	if (ep->rcv.len > 0)
		return recv_queued(ep, now, buf, len, out);
	long e = take_error(ep);
	if (e)
		return e;
	if (ep->fin_rcvd || ep->state == TCP_CLOSED || ep->rcv_ended)
		return 0;
	return -EAGAIN;
}

uint32_t tcp_ep_peek(const struct tcp_ep *ep, uint8_t *buf, size_t len)
{
	uint32_t n = len < ep->rcv.len ? (uint32_t)len : ep->rcv.len;
	if (n)
		memcpy(buf, bytebuf_at(&ep->rcv, 0), n);
	return n;
}

void tcp_ep_shutdown_read(struct tcp_ep *ep)
{
	if (!ep->p->shut_rd_discards)
		return; /* Linux: what is queued, or comes, stays readable */
	bytebuf_consume(&ep->rcv, ep->rcv.len); /* sorflush() */
	ep->rcv_ended = true;                   /* socantrcvmore() */
}

int tcp_ep_shutdown_write(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	switch (ep->state) {
	case TCP_SYN_RCVD:
		/* the connection limit is for opening; one being closed ends by
		 * its FIN's retransmissions (BSD tcp_timer_keep(): past SYN
		 * states the timer is the keepalive's) */
		tcp_disarm(ep, TCP_TIMER_CONNECT);
		tcp_set_state(ep, TCP_FIN_WAIT_1, 0, out);
		break;
	case TCP_ESTABLISHED:
		tcp_set_state(ep, TCP_FIN_WAIT_1, 0, out);
		break;
	case TCP_CLOSE_WAIT:
		if (TCP_MUTANT(ep->p, TCP_MUTANT_CLOSE_WAIT_NO_FIN))
			return 0;
		tcp_set_state(ep, TCP_LAST_ACK, 0, out);
		break;
	case TCP_SYN_SENT:
	case TCP_CLOSED:
	case TCP_LISTEN:
		return -ENOTCONN;
	case TCP_FIN_WAIT_2:
		/* FreeBSD tcp_usrclosed(): from FIN_WAIT_2 on, the socket is
		 * disconnected (soisdisconnected()): reads return 0 */
		if (ep->p->fin_wait_2_shut_ends_read)
			ep->rcv_ended = true;
		return 0;
	case TCP_FIN_WAIT_1:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
	case TCP_STATE_COUNT:
		return 0; /* already shut */
	}
	ep->fin_queued = true;
	ep->fin_seq = tcp_snd_data_end(ep);
	tcp_output(ep, now, out);
	return 0;
}

int tcp_ep_abort(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	ep->orphan = true;
	if (ep->state == TCP_CLOSED)
		return 0;
	/* RFC 9293 §3.10.4: in SYN_RCVD and the synchronized states a reset is
	 * sent; in SYN_SENT and LISTEN the connection just goes away. */
	if (ep->state != TCP_SYN_SENT && ep->state != TCP_LISTEN && ep->state != TCP_TIME_WAIT)
		tcp_send_rst(ep, now, out);
	tcp_set_state(ep, TCP_CLOSED, 0, out);
	TCP_CHECK(ep, ep->rcv_nxt);
	return 0;
}

static bool drop_resets(enum tcp_state s, enum tcp_drop_rule rule)
{
	switch (s) {
	case TCP_SYN_RCVD:
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
		return rule != TCP_DROP_SILENT;
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		return rule == TCP_DROP_BSD;
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
	case TCP_TIME_WAIT:
	case TCP_STATE_COUNT:
		return false;
	}
	return false;
}

void tcp_ep_drop(struct tcp_ep *ep, sim_time now, int err, enum tcp_drop_rule rule,
                 struct tcp_acts *out)
{
	if (ep->state == TCP_CLOSED)
		return;
	if (ep->state == TCP_TIME_WAIT) {
		tcp_set_state(ep, TCP_CLOSED, 0, out);
		return;
	}
	if (drop_resets(ep->state, rule))
		tcp_send_rst(ep, now, out);
	ep->err = err; /* tcp_done_with_error(), so->so_error: whatever was pending */
	ep->err_reported = false;
	tcp_set_state(ep, TCP_CLOSED, err, out);
}

int tcp_ep_close(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	bool unread = ep->rcv.len > 0 || ep->ooo != NULL;
	if (unread && ep->p->rst_on_unread && tcp_state_synchronized(ep->state))
		return tcp_ep_abort(ep, now, out);
	ep->orphan = true;
	switch (ep->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		if (ep->state != TCP_CLOSED)
			tcp_set_state(ep, TCP_CLOSED, 0, out);
		return 0;
	case TCP_SYN_RCVD:
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		return tcp_ep_shutdown_write(ep, now, out);
	case TCP_FIN_WAIT_2:
		tcp_arm_fin_wait_2(ep, now);
		return 0;
	case TCP_FIN_WAIT_1:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
	case TCP_STATE_COUNT:
		return 0;
	}
	return 0;
}

/* --- resets for segments that match no connection --- */

bool tcp_reset_for(const struct tcp_seg *in, uint8_t ttl, struct tcp_seg *rst)
{
	(void)ttl;
	if (in->flags & TCP_RST)
		return false; /* never answer a reset with a reset */
	memset(rst, 0, sizeof *rst);
	rst->saddr = in->daddr;
	rst->daddr = in->saddr;
	rst->sport = in->dport;
	rst->dport = in->sport;
	if (in->flags & TCP_ACK) { /* <SEQ=SEG.ACK><CTL=RST> */
		rst->seq = in->ack;
		rst->flags = TCP_RST;
	} else { /* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> */
		rst->seq = 0;
		rst->ack = in->seq + tcp_seg_seqlen(in);
		rst->flags = TCP_RST | TCP_ACK;
	}
	return true;
}

/* --- views --- */

void tcp_ep_view(const struct tcp_ep *ep, struct tcp_ep_view *v)
{
	memset(v, 0, sizeof *v);
	v->state = ep->state;
	v->laddr = ep->laddr;
	v->raddr = ep->raddr;
	v->lport = ep->lport;
	v->rport = ep->rport;
	v->iss = ep->iss;
	v->irs = ep->irs;
	v->snd_una = ep->snd_una;
	v->snd_nxt = ep->snd_nxt;
	v->snd_max = ep->snd_max;
	v->snd_wnd = ep->snd_wnd;
	v->rcv_nxt = ep->rcv_nxt;
	v->rcv_wnd = tcp_rcv_window(ep);
	v->rcvbuf = tcp_rcv_buffer(ep);
	v->sndbuf = ep->sndbuf;
	v->srtt = ep->srtt;
	v->rttvar = ep->rttvar;
	v->rto = ep->rto;
	v->retransmits = ep->retransmits;
	v->orphan = ep->orphan;
	v->eof = ep->fin_rcvd && ep->rcv.len == 0;
	v->err = ep->err;
	v->readable = ep->rcv.len;
	v->snd_mss = ep->snd_mss;
	/* in recovery the window is PRR's (tcp_cwnd_reduction()) */
	v->cwnd = ep->in_recovery ? ep->rec_cwnd : ep->cc.cwnd * ep->snd_mss;
	v->ssthresh = ep->cc.ssthresh >= TCP_CC_INFINITE_SSTHRESH ? UINT32_MAX
	                                                        : ep->cc.ssthresh * ep->snd_mss;
	v->backoff = ep->backoff;
	v->outq = ep->snd.len;
	v->probes = ep->probes + ep->zw_probes;
	v->rcv_mss = ep->rcv_mss;
	v->total_retrans = ep->total_retrans;
	v->recoveries = ep->recoveries;
	v->dsacks = ep->dsacks;
	v->sacked = ep->sb.sacked;
	v->pipe = tcp_in_flight(ep);
	v->in_recovery = ep->in_recovery;
	v->ts_ok = ep->ts_ok;
	v->sack_ok = ep->sack_ok;
	v->ws_ok = ep->ws_ok;
	v->ecn_ok = ep->ecn_ok;
	v->snd_wscale = ep->snd_wscale;
	v->rcv_wscale = ep->rcv_wscale;
	memcpy(v->deadline, ep->deadline, sizeof v->deadline);
}

void tcp_ep_set_violation_hook(struct tcp_ep *ep, tcp_violation_fn fn, void *ctx)
{
	ep->violation = fn;
	ep->violation_ctx = ctx;
}

/* --- invariants --- */

/* The model says nothing itself: whoever drives it reports the violation
 * (the world through its observer, a test through its own hook), then the
 * run ends, for a model that broke its own rules cannot be trusted. */
void tcp_violated(const struct tcp_ep *ep, const char *what)
{
	if (ep->violation)
		ep->violation(ep->violation_ctx, ep, what);
	abort();
}

/* Which states may have each timer armed. */
static bool timer_allowed(enum tcp_timer t, enum tcp_state s)
{
	switch (t) {
	case TCP_TIMER_RTX:
		return s != TCP_CLOSED && s != TCP_LISTEN && s != TCP_TIME_WAIT && s != TCP_FIN_WAIT_2;
	case TCP_TIMER_DELACK:
	case TCP_TIMER_KEEPALIVE:
		return s >= TCP_SYN_RCVD && s != TCP_TIME_WAIT;
	case TCP_TIMER_FIN_WAIT_2: return s == TCP_FIN_WAIT_2;
	case TCP_TIMER_TIME_WAIT: return s == TCP_TIME_WAIT;
	case TCP_TIMER_CONNECT: return s == TCP_SYN_SENT || s == TCP_SYN_RCVD;
	case TCP_TIMER_TSQ: /* data waits to be sent */
		return s == TCP_ESTABLISHED || s == TCP_CLOSE_WAIT || s == TCP_FIN_WAIT_1 ||
		       s == TCP_CLOSING || s == TCP_LAST_ACK;
	case TCP_TIMER_COUNT: break;
	}
	return false;
}

/* Does something of ours wait for the peer (a SYN, data or a FIN sent and
 * not acknowledged, or data held back by a closed window)?  Then a timer
 * must be there to resend or probe it (RFC 6298 §5.1; the persist timer of
 * RFC 9293 §3.8.6.1), or the connection could wait forever. */
static bool owes_timer(const struct tcp_ep *ep)
{
	switch (ep->state) {
	case TCP_SYN_SENT:
	case TCP_SYN_RCVD:
		return true;
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
	case TCP_FIN_WAIT_1:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		return ep->snd_una != ep->snd_max || seq_lt(ep->snd_max, tcp_snd_data_end(ep)) ||
		       (ep->fin_queued && seq_le(ep->snd_max, ep->fin_seq));
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_FIN_WAIT_2:
	case TCP_TIME_WAIT:
	case TCP_STATE_COUNT:
		break;
	}
	return false;
}

void tcp_check_invariants(const struct tcp_ep *ep, uint32_t rcv_nxt_before)
{
	if (!seq_le(ep->snd_una, ep->snd_nxt) || !seq_le(ep->snd_nxt, ep->snd_max))
		tcp_violated(ep, "SND.UNA <= SND.NXT <= SND.MAX");
	if (seq_lt(ep->rcv_nxt, rcv_nxt_before))
		tcp_violated(ep, "RCV.NXT moved back");
	if (ep->state != TCP_CLOSED && ep->state != TCP_TIME_WAIT && seq_gt(ep->snd_una, ep->iss)) {
		uint32_t data_end = tcp_snd_data_end(ep);
		uint32_t want = seq_gt(ep->snd_una, data_end) ? data_end : ep->snd_una;
		if (ep->snd_buf_seq != want)
			tcp_violated(ep, "the send buffer holds exactly the unacknowledged bytes");
	}
	/* checked after every call and input: unrolled, each timer is a test
	 * of its deadline, and timer_allowed() folds to its own case */
#pragma GCC unroll 8
	for (int t = 0; t < TCP_TIMER_COUNT; t++) {
		if (ep->deadline[t] != SIM_NEVER && !timer_allowed((enum tcp_timer)t, ep->state)) {
			char what[64];
			g_snprintf(what, sizeof what, "the %s timer armed in this state",
			           tcp_timer_name((enum tcp_timer)t));
			tcp_violated(ep, what);
		}
	}
	if (owes_timer(ep) && ep->deadline[TCP_TIMER_RTX] == SIM_NEVER)
		tcp_violated(ep, "data, a SYN or a FIN outstanding with no retransmission or probe timer");
}

enum tcp_state tcp_ep_state(const struct tcp_ep *ep) { return ep->state; }
sim_time tcp_ep_rto(const struct tcp_ep *ep) { return ep->rto; }
void tcp_ep_set_owner(struct tcp_ep *ep, void *owner) { ep->owner = owner; }
void *tcp_ep_owner(const struct tcp_ep *ep) { return ep->owner; }
bool tcp_ep_is_orphan(const struct tcp_ep *ep) { return ep->orphan; }
uint32_t tcp_ep_readable(const struct tcp_ep *ep) { return ep->rcv.len; }
int tcp_ep_error(const struct tcp_ep *ep) { return ep->err; }

bool tcp_ep_fin_received(const struct tcp_ep *ep) { return ep->fin_rcvd; }
bool tcp_ep_read_ended(const struct tcp_ep *ep) { return ep->fin_rcvd || ep->rcv_ended; }

bool tcp_ep_fin_sent(const struct tcp_ep *ep, uint32_t *fin_seq)
{
	if (!ep->fin_queued || !seq_gt(ep->snd_max, ep->fin_seq))
		return false;
	*fin_seq = ep->fin_seq;
	return true;
}
