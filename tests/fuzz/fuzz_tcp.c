/*
 * Fuzz target: the TCP model itself (models/tcp.h), one endpoint against a
 * peer the input plays.
 *
 * Input: byte 0 picks the starting state (all 11, by the transitions of
 * tests/test_tcp.c's builders), byte 1 the profile and a few parameters;
 * the rest is a list of events, each an opcode and its operands:
 *  - a segment from the peer: flags, sequence and acknowledgment numbers as
 *    small offsets around the endpoint's RCV.NXT / SND.UNA / SND.NXT /
 *    SND.MAX / ISS (so that most land near a window edge), window, length,
 *    options;
 *  - an in-window segment (RCV.NXT, ACK of SND.MAX), to make progress;
 *  - the timer, at the endpoint's next deadline, or time advancing (every
 *    deadline passed on the way fires first, as the engine does);
 *  - a user call: connect, send, recv, shutdown, close, abort, connect
 *    status, an ICMP unreachable.
 * LISTEN is the listener of models/host.c: the endpoint is created by the
 * first segment that is a SYN (tcp_ep_accept_syn); any other segment gets
 * the reset of tcp_reset_for(), checked here.
 *
 * The model checks its invariants after every call (tcp_check_invariants,
 * unless NDEBUG); a violation ends in g_error(), an abort.  The target checks
 * in addition, on every call:
 *  - the state changes chain (each starts where the last ended) and each
 *    is an edge of RFC 9293's figure 5, a move to CLOSED, or one of the
 *    Linux edges the model documents (models/tcp.c transition_allowed);
 *  - every segment sent: addressed to the peer; a SYN carries ISS; a bare
 *    ACK or a reset carries SND.MAX, or the right edge of the peer's window
 *    when that is lower (Linux tcp_acceptable_seq), a keepalive or window
 *    probe SND.UNA - 1, a reset answering the peer's segment the one of
 *    tcp_reset_for(); data or a FIN never starts behind SND.UNA, and its
 *    bytes are the ones the user wrote at those sequence numbers;
 *  - what recv() returns is the peer's byte stream, in order (the peer's
 *    payload byte at sequence number s is a function of s alone, so
 *    retransmissions and overlaps agree);
 *  - the user calls return what their contract says (a count within the
 *    buffer or a negative errno).
 */
#include "tests/fuzz/fuzz.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "models/seq.h"
#include "models/tcp.h"

#define LOCAL_ADDR  0x0a000001u
#define REMOTE_ADDR 0x0a000002u
#define LOCAL_PORT  40000
#define REMOTE_PORT 80
#define LOCAL_ISS   0xfffffc00u /* near the wrap, so that seq arithmetic wraps */
#define REMOTE_ISS  5000u
#define RTT         (10 * SIM_MS)
#define MAX_EVENTS  256  /* events taken from one input */
#define MAX_FIRES   64   /* timer firings of one "run the timers" event */
#define MAX_LEN     4096 /* payload of one segment, user buffer */

struct fz {
	struct tcp_params p;
	struct tcp_ep *ep;
	struct tcp_acts acts;
	sim_time now;
	const uint8_t *in;      /* the events not read yet */
	size_t left;
	uint32_t peer_ts;       /* the peer's timestamp clock */
	uint64_t written;       /* bytes our user has written */
	uint64_t read;          /* bytes our user has read */
	bool listening;         /* LISTEN: no endpoint until a SYN */
	bool used;              /* the endpoint has left CLOSED once: no connect() */
	bool let_go;            /* the user closed or aborted it: no more user calls */
};

static uint8_t peer_byte(uint32_t seq) { return (uint8_t)((seq * 2654435761u) >> 24); }
static uint8_t user_byte(uint64_t off) { return (uint8_t)(off * 131u + 7u); }

static uint8_t take(struct fz *f)
{
	if (f->left == 0)
		return 0;
	f->left--;
	return *f->in++;
}

static uint32_t take16(struct fz *f) { return (uint32_t)take(f) << 8 | take(f); }

/* --- checks of one call --- */

/* RFC 9293 figure 5, plus a move to CLOSED from anywhere (reset, abort,
 * time-out) and the Linux edges of the model: CLOSED -> SYN_RCVD (a
 * listener's child is born there) and SYN_RCVD -> CLOSE_WAIT (a FIN with
 * the handshake's ACK). */
static bool rfc_edge(enum tcp_state from, enum tcp_state to)
{
	static const unsigned edges[TCP_STATE_COUNT] = {
#define B(s) (1u << TCP_##s)
		[TCP_CLOSED] = B(LISTEN) | B(SYN_SENT) | B(SYN_RCVD),
		[TCP_LISTEN] = B(SYN_RCVD) | B(SYN_SENT) | B(CLOSED),
		[TCP_SYN_SENT] = B(SYN_RCVD) | B(ESTABLISHED) | B(CLOSED),
		[TCP_SYN_RCVD] = B(ESTABLISHED) | B(FIN_WAIT_1) | B(CLOSE_WAIT) | B(CLOSED),
		[TCP_ESTABLISHED] = B(FIN_WAIT_1) | B(CLOSE_WAIT) | B(CLOSED),
		[TCP_FIN_WAIT_1] = B(FIN_WAIT_2) | B(CLOSING) | B(TIME_WAIT) | B(CLOSED),
		[TCP_FIN_WAIT_2] = B(TIME_WAIT) | B(CLOSED),
		[TCP_CLOSE_WAIT] = B(LAST_ACK) | B(CLOSED),
		[TCP_CLOSING] = B(TIME_WAIT) | B(CLOSED),
		[TCP_LAST_ACK] = B(CLOSED),
		[TCP_TIME_WAIT] = B(CLOSED),
#undef B
	};
	return from < TCP_STATE_COUNT && to < TCP_STATE_COUNT && (edges[from] >> to & 1u);
}

static uint32_t acceptable_seq(uint32_t snd_max, const struct tcp_ep_view *v)
{
	uint32_t wnd_end = v->snd_una + v->snd_wnd;
	return seq_le(snd_max, wnd_end) ? snd_max : wnd_end;
}

/* A segment without data, SYN or FIN: where may it start? */
static bool bare_seq_ok(uint32_t seq, uint32_t snd_max, const struct tcp_ep_view *b,
                        const struct tcp_ep_view *a)
{
	return seq == acceptable_seq(snd_max, a) || seq == acceptable_seq(snd_max, b) ||
	       seq == a->snd_una - 1 || seq == b->snd_una - 1; /* keepalive, window probe */
}

static void check_payload(const struct fz *f, const struct tcp_seg *s, const struct tcp_ep_view *a)
{
	FUZZ_CHECK(s->len == 0 || s->payload != NULL, "data has a payload");
	for (uint32_t i = 0; i < s->len; i++) {
		uint32_t off = s->seq + i - (a->iss + 1); /* the stream offset, mod 2^32 */
		FUZZ_CHECK(off < f->written, "data the user wrote");
		FUZZ_CHECK(s->payload[i] == user_byte(off), "the bytes the user wrote, at their place");
	}
}

/* FUZZ_TCP_TRACE=1: every call's actions on stderr, to read a find. */
static void trace(const struct fz *f, const char *call, const struct tcp_ep_view *a)
{
	static int on = -1;

	if (on < 0)
		on = g_getenv("FUZZ_TCP_TRACE") != NULL;
	if (!on)
		return;
	fprintf(stderr, "%.3f ms %s -> %s una %u nxt %u max %u wnd %u rcv %u\n", (double)f->now / 1e6,
	        call, tcp_state_name(a->state), a->snd_una - a->iss, a->snd_nxt - a->iss,
	        a->snd_max - a->iss, a->snd_wnd, a->rcv_nxt - a->irs);
	for (uint32_t i = 0; i < f->acts.n; i++) {
		const struct tcp_act *x = &f->acts.v[i];
		if (x->kind == TCP_ACT_STATE)
			fprintf(stderr, "    %s -> %s\n", tcp_state_name(x->from), tcp_state_name(x->to));
		else
			fprintf(stderr, "    send flags %#x seq %u ack %u len %u why %d\n", x->seg.flags,
			        x->seg.seq - a->iss, x->seg.ack - a->irs, x->seg.len, x->why);
	}
}

/* Every action of the last call, against the views before and after it.
 * `in` is the peer's segment of the call, if any. */
static void check_acts(struct fz *f, const char *call, const struct tcp_ep_view *b,
                       const struct tcp_seg *in)
{
	struct tcp_ep_view a;
	enum tcp_state state = b->state;
	uint32_t snd_max = b->snd_max;

	tcp_ep_view(f->ep, &a);
	trace(f, call, &a);
	f->used = f->used || a.state != TCP_CLOSED;
	FUZZ_CHECK(seq_le(b->snd_max, a.snd_max), "SND.MAX never moves back");
	for (uint32_t i = 0; i < f->acts.n; i++) {
		const struct tcp_act *act = &f->acts.v[i];
		if (act->kind == TCP_ACT_STATE) {
			FUZZ_CHECK(act->from == state, "state changes chain");
			FUZZ_CHECK(rfc_edge(act->from, act->to), "a transition of RFC 9293's diagram");
			FUZZ_CHECK(act->to != TCP_CLOSED || act->err >= 0, "errno of a close");
			state = act->to;
			continue;
		}
		FUZZ_CHECK(act->kind == TCP_ACT_SEND, "an action is a send or a state change");
		const struct tcp_seg *s = &act->seg;
		struct tcp_seg rst;
		FUZZ_CHECK(s->saddr == LOCAL_ADDR && s->daddr == REMOTE_ADDR && s->sport == LOCAL_PORT &&
		           s->dport == REMOTE_PORT, "sent to the peer");
		if (act->why == TCP_SEND_RST) {
			FUZZ_CHECK(s->flags & TCP_RST, "a reset has RST");
			bool answer = in && tcp_reset_for(in, 0, &rst) && rst.seq == s->seq &&
			              rst.flags == s->flags && (!(rst.flags & TCP_ACK) || rst.ack == s->ack);
			FUZZ_CHECK(answer || s->seq == acceptable_seq(snd_max, &a) ||
			           s->seq == acceptable_seq(snd_max, b),
			           "a reset carries SND.MAX (tcp_acceptable_seq) or answers the segment");
			continue;
		}
		FUZZ_CHECK(!(s->flags & TCP_RST), "RST only in a reset");
		if (s->flags & TCP_SYN) {
			FUZZ_CHECK(s->seq == a.iss && s->len == 0, "a SYN carries ISS, no data");
		} else if (s->len == 0 && !(s->flags & TCP_FIN)) {
			FUZZ_CHECK(bare_seq_ok(s->seq, snd_max, b, &a),
			           "a bare ACK carries SND.MAX or the window's edge, a probe SND.UNA-1");
		} else {
			FUZZ_CHECK(seq_ge(s->seq, b->snd_una), "data never starts behind SND.UNA");
			check_payload(f, s, &a);
		}
		FUZZ_CHECK(s->flags & TCP_ACK || (s->flags & TCP_SYN), "every segment but a SYN has ACK");
		snd_max = seq_max(snd_max, s->seq + tcp_seg_seqlen(s));
	}
	FUZZ_CHECK(state == a.state, "the endpoint is in the state of its last change");
	FUZZ_CHECK(seq_le(snd_max, a.snd_max), "nothing sent beyond SND.MAX");
}

/* --- driving the endpoint --- */

static void begin(struct fz *f, struct tcp_ep_view *before, sim_time at)
{
	if (at > f->now)
		f->now = at;
	f->acts.n = 0;
	tcp_ep_view(f->ep, before);
}

static void fire(struct fz *f)
{
	struct tcp_ep_view b;
	sim_time at = tcp_ep_next_deadline(f->ep);

	if (at == SIM_NEVER)
		return;
	FUZZ_CHECK(at >= f->now, "no deadline in the past");
	begin(f, &b, at);
	tcp_ep_on_timer(f->ep, f->now, &f->acts);
	check_acts(f, "timer", &b, NULL);
}

/* Time moves to `at`; every deadline on the way fires first. */
static void advance(struct fz *f, sim_time at)
{
	for (int k = 0; k < MAX_FIRES && tcp_ep_next_deadline(f->ep) <= at; k++)
		fire(f);
	if (at > f->now && tcp_ep_next_deadline(f->ep) > at)
		f->now = at;
}

static void input(struct fz *f, struct tcp_seg s)
{
	static uint8_t payload[MAX_LEN];
	struct tcp_ep_view b;

	s.saddr = REMOTE_ADDR;
	s.daddr = LOCAL_ADDR;
	s.sport = REMOTE_PORT;
	s.dport = LOCAL_PORT;
	for (uint32_t i = 0; i < s.len; i++)
		payload[i] = peer_byte(s.seq + ((s.flags & TCP_SYN) ? 1u : 0u) + i);
	/* A segment without data has no payload (NULL), as the links make them. */
	s.payload = s.len ? payload : NULL;
	f->peer_ts += 1;
	begin(f, &b, f->now);
	tcp_ep_input(f->ep, f->now, &s, &f->acts);
	check_acts(f, "input", &b, &s);
}

static void user_send(struct fz *f, uint32_t len)
{
	static uint8_t data[MAX_LEN];
	struct tcp_ep_view b;

	for (uint32_t i = 0; i < len; i++)
		data[i] = user_byte(f->written + i);
	begin(f, &b, f->now);
	long n = tcp_ep_send(f->ep, f->now, data, len, &f->acts);
	FUZZ_CHECK(n <= (long)len && n > -4096, "send returns a count or -errno");
	FUZZ_CHECK(n != 0 || len == 0 || b.state == TCP_CLOSED, "send of bytes takes some or fails");
	if (n > 0)
		f->written += (uint64_t)n;
	check_acts(f, "send", &b, NULL);
}

static void user_recv(struct fz *f, uint32_t len)
{
	static uint8_t buf[MAX_LEN];
	struct tcp_ep_view b;

	begin(f, &b, f->now);
	long n = tcp_ep_recv(f->ep, f->now, buf, len, &f->acts);
	FUZZ_CHECK(n <= (long)len && n > -4096, "recv returns a count or -errno");
	for (long i = 0; i < n; i++)
		FUZZ_CHECK(buf[i] == peer_byte(b.irs + 1 + (uint32_t)(f->read + (uint64_t)i)),
		           "recv gives the peer's bytes in order");
	if (n > 0)
		f->read += (uint64_t)n;
	check_acts(f, "recv", &b, NULL);
}

/* A user call that returns an int (0 or -errno). */
static void user_call(struct fz *f, int (*call)(struct tcp_ep *, sim_time, struct tcp_acts *))
{
	struct tcp_ep_view b;

	begin(f, &b, f->now);
	int r = call(f->ep, f->now, &f->acts);
	FUZZ_CHECK(r <= 0 && r > -4096, "0 or -errno");
	check_acts(f, "user call", &b, NULL);
}

static void icmp(struct fz *f, int err)
{
	struct tcp_ep_view b;

	begin(f, &b, f->now);
	tcp_ep_icmp_unreachable(f->ep, f->now, err, &f->acts);
	check_acts(f, "icmp", &b, NULL);
}

static int connect_call(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	int r = tcp_ep_connect(ep, now, out);
	return r == -EINPROGRESS ? 0 : r;
}

static int status_call(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	(void)now;
	(void)out;
	int r = tcp_ep_connect_status(ep);
	return r == -EINPROGRESS ? 0 : r;
}

/* --- the peer's segments --- */

/* The MSS option of a peer's SYN: any value, 0 included (the model
 * ignores 0, as Linux does, and never sends less than TCP_MIN_SND_MSS). */
static uint16_t peer_mss(uint32_t v)
{
	return (uint16_t)v;
}

static struct tcp_seg peer_seg(struct fz *f, uint8_t flags, uint32_t seq, uint32_t ack)
{
	struct tcp_seg s = {.flags = flags, .seq = seq, .ack = ack, .wnd = 65535};

	if (flags & TCP_SYN) {
		s.opt.present = TCP_OPT_MSS | TCP_OPT_WSCALE | TCP_OPT_SACK_PERM | TCP_OPT_TS;
		s.opt.mss = 1460;
		s.opt.wscale = 7;
	} else if (!(flags & TCP_RST)) {
		s.opt.present = TCP_OPT_TS;
	}
	s.opt.tsval = f->peer_ts;
	return s;
}

static void peer(struct fz *f, sim_time at, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len)
{
	struct tcp_seg s = peer_seg(f, flags, seq, ack);

	s.len = len;
	advance(f, at);
	input(f, s);
}

/* A number near one of the endpoint's sequence variables. */
static uint32_t near(struct fz *f, const struct tcp_ep_view *v, bool ack)
{
	uint8_t sel = take(f);
	int32_t off = (int8_t)take(f);
	uint32_t base;

	switch (sel % 8) {
	case 0: base = ack ? v->snd_una : v->rcv_nxt; break;
	case 1: base = ack ? v->snd_nxt : v->rcv_nxt + v->rcv_wnd; break;
	case 2: base = ack ? v->snd_max : v->irs; break;
	case 3: base = ack ? v->iss : v->rcv_nxt - v->rcv_wnd; break;
	case 4: off *= 1024; base = ack ? v->snd_una : v->rcv_nxt; break;
	case 5: base = ack ? v->snd_una + v->snd_wnd : v->rcv_nxt + 65535u; break;
	case 6: base = v->rcv_nxt ^ 0x80000000u; break;
	default: base = (uint32_t)take16(f) << 16 | take16(f); break;
	}
	return base + (uint32_t)off;
}

/* Event: any segment, its fields from the input. */
static void ev_segment(struct fz *f)
{
	struct tcp_ep_view v;
	tcp_ep_view(f->ep, &v);
	uint8_t flags = take(f) & 0x3f;
	struct tcp_seg s = peer_seg(f, flags, near(f, &v, false), near(f, &v, true));
	s.wnd = (uint16_t)take16(f);
	uint8_t l = take(f);
	s.len = l < 128 ? l : (uint32_t)(l - 127) * 32u; /* up to 4096 */
	uint8_t o = take(f);
	s.opt.present = o & 0x0f;
	if (o & 0x10)
		s.opt.tsval = f->peer_ts - (uint32_t)take16(f) * 1000u; /* an old timestamp (PAWS) */
	if (o & 0x20)
		s.opt.tsecr = (uint32_t)take16(f);
	if (o & 0x40)
		s.opt.mss = peer_mss(take16(f));
	s.opt.wscale = (uint8_t)(o >> 7 ? take(f) : 7);
	input(f, s);
}

/* Event: the next in-order segment, ACKing everything sent. */
static void ev_in_order(struct fz *f)
{
	struct tcp_ep_view v;
	tcp_ep_view(f->ep, &v);
	uint8_t what = take(f);
	uint8_t flags = TCP_ACK | (what & 1 ? TCP_FIN : 0) | (what & 2 ? TCP_PSH : 0);
	uint32_t len = (uint32_t)(what >> 2) * 16u;
	struct tcp_seg s = peer_seg(f, flags, v.rcv_nxt, what & 0x80 ? v.snd_nxt : v.snd_max);
	s.len = len;
	input(f, s);
}

/* A user call.  As the host makes them: connect() only on a fresh
 * endpoint (host_connect() makes a new one each time), and nothing once
 * the user has closed or aborted it (the socket is gone; the endpoint lives
 * on as an orphan). */
static void ev_user(struct fz *f)
{
	uint8_t op = take(f);
	uint32_t len = (uint32_t)take(f) * 16u + 1u;

	if (f->let_go || (op % 9 == 5 && f->used))
		return;
	f->let_go = op % 9 == 3 || op % 9 == 4;
	switch (op % 9) {
	case 0: user_send(f, len); break;
	case 1: user_recv(f, len); break;
	case 2: user_call(f, tcp_ep_shutdown_write); break;
	case 3: user_call(f, tcp_ep_close); break;
	case 4: user_call(f, tcp_ep_abort); break;
	case 5: user_call(f, connect_call); break;
	case 6: user_call(f, status_call); break;
	case 7: icmp(f, op & 0x80 ? EHOSTUNREACH : ENETUNREACH); break;
	default: user_send(f, 0); break;
	}
}

static void run_timers(struct fz *f)
{
	for (int k = 0; k < MAX_FIRES && tcp_ep_next_deadline(f->ep) != SIM_NEVER; k++)
		fire(f);
}

static void event(struct fz *f)
{
	uint8_t op = take(f);

	switch (op % 8) {
	case 0: case 1: ev_segment(f); break;
	case 2: ev_in_order(f); break;
	case 3: fire(f); break;
	case 4: advance(f, f->now + (sim_time)take(f) * (sim_time)take(f) * SIM_MS); break;
	case 5: case 6: ev_user(f); break;
	default: run_timers(f); break;
	}
}

/* --- the starting states, by the transitions of tests/test_tcp.c --- */

/* The model reports a broken invariant through its hook, then aborts
 * (libFuzzer saves the input): say which. */
static void on_violation(void *ctx, const struct tcp_ep *ep, const char *what)
{
	(void)ctx;
	fprintf(stderr, "tcp invariant violated in %s: %s\n", tcp_state_name(tcp_ep_state(ep)), what);
}

static void new_ep(struct fz *f)
{
	f->ep = tcp_ep_new(NULL, &f->p, LOCAL_ADDR, LOCAL_PORT, REMOTE_ADDR, REMOTE_PORT, LOCAL_ISS, 0);
	tcp_ep_set_violation_hook(f->ep, on_violation, NULL);
}

static void to_established(struct fz *f)
{
	user_call(f, connect_call);
	peer(f, f->now + RTT, TCP_SYN | TCP_ACK, REMOTE_ISS, LOCAL_ISS + 1, 0);
}

static void to_fin_wait_1(struct fz *f)
{
	to_established(f);
	user_call(f, tcp_ep_close);
	f->let_go = true;
}

static void to_fin_wait_2(struct fz *f)
{
	to_fin_wait_1(f);
	peer(f, f->now + RTT, TCP_ACK, REMOTE_ISS + 1, LOCAL_ISS + 2, 0);
}

static void to_close_wait(struct fz *f)
{
	to_established(f);
	peer(f, f->now + SIM_MS, TCP_FIN | TCP_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 0);
}

static void build(struct fz *f, enum tcp_state want)
{
	switch (want) {
	case TCP_CLOSED: break;
	case TCP_LISTEN: f->listening = true; return;
	case TCP_SYN_SENT: user_call(f, connect_call); break;
	case TCP_SYN_RCVD: {
		struct tcp_ep_view b;
		struct tcp_seg syn = peer_seg(f, TCP_SYN, REMOTE_ISS, 0);
		syn.saddr = REMOTE_ADDR, syn.daddr = LOCAL_ADDR, syn.sport = REMOTE_PORT, syn.dport = LOCAL_PORT;
		begin(f, &b, f->now);
		tcp_ep_accept_syn(f->ep, f->now, &syn, &f->acts);
		check_acts(f, "accept_syn", &b, NULL);
		break;
	}
	case TCP_ESTABLISHED: to_established(f); break;
	case TCP_FIN_WAIT_1: to_fin_wait_1(f); break;
	case TCP_FIN_WAIT_2: to_fin_wait_2(f); break;
	case TCP_CLOSE_WAIT: to_close_wait(f); break;
	case TCP_CLOSING:
		to_fin_wait_1(f);
		peer(f, f->now + SIM_MS, TCP_FIN | TCP_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 0);
		break;
	case TCP_LAST_ACK:
		to_close_wait(f);
		user_call(f, tcp_ep_close);
		f->let_go = true;
		break;
	case TCP_TIME_WAIT:
		to_fin_wait_2(f);
		peer(f, f->now + SIM_MS, TCP_FIN | TCP_ACK, REMOTE_ISS + 1, LOCAL_ISS + 2, 0);
		break;
	case TCP_STATE_COUNT: break;
	}
	FUZZ_CHECK(tcp_ep_state(f->ep) == want, "the builder reaches its state");
}

/* LISTEN: a SYN makes the child (SYN_RCVD); anything else is answered by
 * the host's reset.  True once there is a child to go on with. */
static bool listen_event(struct fz *f)
{
	struct tcp_ep_view v;
	tcp_ep_view(f->ep, &v); /* a fresh endpoint: zeros and ISS */
	struct tcp_seg s = peer_seg(f, take(f) & 0x3f, near(f, &v, false), near(f, &v, true));
	s.len = take(f) & 0x3f;
	s.opt.present = take(f) & 0x0f;
	s.opt.mss = peer_mss(take16(f));
	s.opt.wscale = take(f);
	s.saddr = REMOTE_ADDR, s.daddr = LOCAL_ADDR, s.sport = REMOTE_PORT, s.dport = LOCAL_PORT;
	s.len = 0; /* the host hands the child a SYN; its data is not kept */
	if ((s.flags & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN) {
		struct tcp_seg rst;
		if (tcp_reset_for(&s, 0, &rst)) {
			FUZZ_CHECK(rst.flags & TCP_RST, "the host's reset has RST");
			FUZZ_CHECK(s.flags & TCP_ACK ? rst.seq == s.ack
			                             : rst.ack == s.seq + tcp_seg_seqlen(&s) && rst.seq == 0,
			           "RFC 9293 §3.10.7.1: the reset's numbers");
		} else {
			FUZZ_CHECK(s.flags & TCP_RST, "only a reset goes unanswered");
		}
		return false;
	}
	struct tcp_ep_view b;
	begin(f, &b, f->now);
	tcp_ep_accept_syn(f->ep, f->now, &s, &f->acts);
	check_acts(f, "accept_syn", &b, NULL);
	FUZZ_CHECK(tcp_ep_state(f->ep) == TCP_SYN_RCVD, "a listener's child starts in SYN_RCVD");
	return true;
}

int fuzz_tcp_one(const uint8_t *data, size_t size)
{
	static const char *const profiles[] = {"linux", "bsd", "windows", "rfc"};
	struct fz f = {.in = data, .left = size, .peer_ts = 900000u};
	uint8_t state = take(&f), cfg = take(&f);

	FUZZ_CHECK(tcp_profile_get(profiles[cfg & 3], &f.p), "a profile");
	f.p.keepalive = cfg & 0x04;
	f.p.timestamps = !(cfg & 0x08);
	f.p.sack = !(cfg & 0x10);
	f.p.window_scaling = !(cfg & 0x20);
	if (cfg & 0x40) {
		f.p.keepalive_idle = 10 * SIM_SEC;
		f.p.keepalive_intvl = 1 * SIM_SEC;
	}
	if ((cfg & 0x80) && state % TCP_STATE_COUNT != TCP_TIME_WAIT)
		f.p.time_wait = 0; /* Linux tw_reuse-like: FIN_WAIT_2 or CLOSING straight to CLOSED */
	tcp_acts_init(&f.acts);
	new_ep(&f);
	build(&f, (enum tcp_state)(state % TCP_STATE_COUNT));
	for (int k = 0; k < MAX_EVENTS && f.left > 0; k++) {
		if (f.listening)
			f.listening = !listen_event(&f);
		else
			event(&f);
	}
	run_timers(&f); /* whatever the events left, to the end */
	tcp_ep_free(f.ep);
	tcp_acts_clear(&f.acts);
	return 0;
}

FUZZ_ENTRY_POINTS(fuzz_tcp_one)
