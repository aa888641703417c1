/*
 * Tests of the TCP endpoint (models/tcp*.c): one behaviour per test, named
 * after the transition it checks (/tcp/<state>/<event>), with the RFC 9293
 * section or the Linux function it follows in a comment above it.
 *
 * The test plays the peer.  Both ISNs are fixed (LOCAL_ISS, REMOTE_ISS) so
 * that expectations read "LOCAL_ISS + 1"; the peer's segments are built from
 * one template (PEER(...) with designated initializers); layered builders
 * take a fresh endpoint from CLOSED to any state by the transitions a real
 * exchange would make, and /tcp/view/<state> checks that the state they
 * reach has the expected tcp_ep_view.
 *
 * The model is pure: every call appends actions to f->acts, which the
 * helpers empty before each call, so a test sees exactly what one event
 * caused.  Time only moves when a test says so; timers are driven through
 * tcp_ep_next_deadline() and tcp_ep_on_timer(), and retransmission schedules
 * are asserted to the nanosecond.
 *
 * Assertions are non-fatal, so one broken transition fails its own tests
 * and the rest of the program still runs.
 */
#include <errno.h>
#include <string.h>
#include <glib.h>
#include "models/seq.h"
#include "models/tcp.h"

#define LOCAL_ADDR    0x0a000001u /* 10.0.0.1: the endpoint under test */
#define REMOTE_ADDR   0x0a000002u /* 10.0.0.2: the peer the test plays */
#define LOCAL_PORT    40000
#define REMOTE_PORT   80
#define LOCAL_ISS     1000u
#define REMOTE_ISS    5000u
#define TS_OFFSET     0u          /* our timestamp clock reads now / 1 ms */
#define REMOTE_TSVAL  900000u     /* the peer's timestamp clock */
#define REMOTE_MSS    1460
#define REMOTE_WSCALE 7
#define REMOTE_WND    65535       /* window field of the peer's segments */
#define SYN_WND       64240       /* our SYN window: 65535 rounded down to whole MSS */
#define SYNACK_WND    65160       /* a listener's SYN-ACK to a SYN with timestamps: whole
                                     segments of MSS - 12 (tcp_openreq_init_rwin()) */
#define LOCAL_WSCALE  10          /* Linux 6.18: ilog2(tcp_rmem[2] = 32 MiB) - 15 */
#define RTT           (10 * SIM_MS) /* handshake round trip the builders simulate */
#define STEP          (1 * SIM_MS)  /* a pause between two events of a builder */

#define ALL_OPTS (TCP_OPT_MSS | TCP_OPT_WSCALE | TCP_OPT_SACK_PERM | TCP_OPT_TS)
#define NO_TS    (TCP_OPT_MSS | TCP_OPT_WSCALE | TCP_OPT_SACK_PERM)
#define TIMER(t) (1u << TCP_TIMER_##t)

struct fx {
	struct tcp_params p;  /* the endpoint's parameters; a test may change them first */
	struct tcp_ep *ep;    /* created by the first builder */
	struct tcp_acts acts; /* the actions of the last call only */
	sim_time now;         /* time of the last call */
	uint32_t iss;         /* our ISS */
	uint32_t peer_iss;    /* the peer's ISS */
	sim_time rtt;         /* the handshake round trip builders simulate */
	uint8_t peer_opts;    /* options on the peer's SYN; TCP_OPT_TS also on later segments */
};

static uint8_t peer_data[65536]; /* payload of the peer's segments */
static uint8_t user_data[65536]; /* what our user writes */

static void fx_setup(struct fx *f, gconstpointer profile)
{
	memset(f, 0, sizeof *f);
	g_assert_true(tcp_profile_get(profile ? profile : "linux", &f->p));
	f->p.timers = TCP_TIMERS_EXACT; /* the textbook times; tests/test_ktimer.c has the kernel's */
	tcp_acts_init(&f->acts);
	f->iss = LOCAL_ISS;
	f->peer_iss = REMOTE_ISS;
	f->rtt = RTT;
	f->peer_opts = ALL_OPTS;
}

static void fx_teardown(struct fx *f, gconstpointer profile)
{
	(void)profile;
	tcp_ep_free(f->ep);
	tcp_acts_clear(&f->acts);
}

/* --- the peer's segments --- */

/* Completes a segment from the peer: addressing, window, payload, and the
 * options the peer uses (all of f->peer_opts on a SYN, timestamps on every
 * other segment but a reset). */
static struct tcp_seg peer_seg(const struct fx *f, struct tcp_seg s)
{
	s.saddr = REMOTE_ADDR;
	s.daddr = LOCAL_ADDR;
	s.sport = REMOTE_PORT;
	s.dport = LOCAL_PORT;
	if (s.wnd == 0)
		s.wnd = REMOTE_WND;
	if (s.len > 0 && s.payload == NULL)
		s.payload = peer_data;
	if (s.flags & TCP_SYN) {
		s.opt.present = f->peer_opts;
		s.opt.mss = REMOTE_MSS;
		s.opt.wscale = REMOTE_WSCALE;
	} else if ((f->peer_opts & TCP_OPT_TS) && !(s.flags & TCP_RST)) {
		s.opt.present = TCP_OPT_TS;
	}
	s.opt.tsval = REMOTE_TSVAL;
	return s;
}

/* PEER(.flags = TCP_ACK, .seq = ..., .ack = ...): a segment from the peer. */
#define PEER(...) peer_seg(f, (struct tcp_seg){__VA_ARGS__})

/* --- driving the endpoint --- */

static void begin(struct fx *f, sim_time at)
{
	g_assert_cmpint(at, >=, f->now); /* simulated time never goes back */
	f->now = at;
	f->acts.n = 0;
}

/* The model reports a broken invariant through its hook, then aborts: say
 * which, so that the failing test names it. */
static void on_violation(void *ctx, const struct tcp_ep *ep, const char *what)
{
	(void)ctx;
	g_printerr("tcp invariant violated in %s: %s\n", tcp_state_name(tcp_ep_state(ep)), what);
}

static void ep_create(struct fx *f)
{
	if (f->ep == NULL) {
		f->ep = tcp_ep_new(NULL, &f->p, LOCAL_ADDR, LOCAL_PORT, REMOTE_ADDR, REMOTE_PORT, f->iss,
		                   TS_OFFSET);
		tcp_ep_set_violation_hook(f->ep, on_violation, NULL);
	}
}

static void input(struct fx *f, sim_time at, struct tcp_seg s)
{
	begin(f, at);
	tcp_ep_input(f->ep, at, &s, &f->acts);
}

static void fire(struct fx *f, sim_time at)
{
	begin(f, at);
	tcp_ep_on_timer(f->ep, at, &f->acts);
}

static sim_time next_deadline(const struct fx *f)
{
	return tcp_ep_next_deadline(f->ep);
}

static long user_send(struct fx *f, sim_time at, uint32_t len)
{
	begin(f, at);
	return tcp_ep_send(f->ep, at, user_data, len, &f->acts);
}

static long user_recv(struct fx *f, sim_time at)
{
	static uint8_t buf[65536];

	begin(f, at);
	return tcp_ep_recv(f->ep, at, buf, sizeof buf, &f->acts);
}

static int user_close(struct fx *f, sim_time at)
{
	begin(f, at);
	return tcp_ep_close(f->ep, at, &f->acts);
}

static int user_shutdown(struct fx *f, sim_time at)
{
	begin(f, at);
	return tcp_ep_shutdown_write(f->ep, at, &f->acts);
}

static int user_abort(struct fx *f, sim_time at)
{
	begin(f, at);
	return tcp_ep_abort(f->ep, at, &f->acts);
}

static void accept_syn(struct fx *f, sim_time at, struct tcp_seg syn)
{
	ep_create(f);
	begin(f, at);
	tcp_ep_accept_syn(f->ep, at, &syn, &f->acts);
}

static void view(const struct fx *f, struct tcp_ep_view *v)
{
	tcp_ep_view(f->ep, v);
}

/* --- what the last call did --- */

static uint32_t count(const struct fx *f, enum tcp_act_kind kind)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < f->acts.n; i++)
		n += f->acts.v[i].kind == kind;
	return n;
}

static uint32_t n_sent(const struct fx *f) { return count(f, TCP_ACT_SEND); }
static uint32_t n_changes(const struct fx *f) { return count(f, TCP_ACT_STATE); }

/* The i-th action of a kind; a blank one (after a failed check) if missing. */
static const struct tcp_act *nth(const struct fx *f, enum tcp_act_kind kind, uint32_t i)
{
	static const struct tcp_act none;

	for (uint32_t k = 0; k < f->acts.n; k++)
		if (f->acts.v[k].kind == kind && i-- == 0)
			return &f->acts.v[k];
	g_test_message("no action %u of kind %d among %u", i, kind, f->acts.n);
	g_test_fail();
	return &none;
}

static const struct tcp_act *sent_act(const struct fx *f, uint32_t i)
{
	return nth(f, TCP_ACT_SEND, i);
}

static const struct tcp_seg *sent(const struct fx *f, uint32_t i)
{
	return &nth(f, TCP_ACT_SEND, i)->seg;
}

static void assert_seg(const struct tcp_seg *s, uint8_t flags, uint32_t seq, uint32_t ack,
                       uint32_t len)
{
	g_assert_cmphex(s->flags, ==, flags);
	g_assert_cmpuint(s->seq, ==, seq);
	if (flags & TCP_ACK)
		g_assert_cmpuint(s->ack, ==, ack);
	g_assert_cmpuint(s->len, ==, len);
	g_assert_cmphex(s->saddr, ==, LOCAL_ADDR);
	g_assert_cmphex(s->daddr, ==, REMOTE_ADDR);
	g_assert_cmpuint(s->sport, ==, LOCAL_PORT);
	g_assert_cmpuint(s->dport, ==, REMOTE_PORT);
}

/* Exactly one segment went out, and it is this one. */
static void assert_sent_one(const struct fx *f, uint8_t flags, uint32_t seq, uint32_t ack,
                            uint32_t len)
{
	g_assert_cmpuint(n_sent(f), ==, 1);
	assert_seg(sent(f, 0), flags, seq, ack, len);
}

static void assert_states_(const struct fx *f, const enum tcp_state *to, size_t n)
{
	g_assert_cmpuint(n_changes(f), ==, n);
	for (uint32_t i = 0; i < n && i < n_changes(f); i++) {
		const struct tcp_act *a = nth(f, TCP_ACT_STATE, i);
		if (a->to != to[i])
			g_test_message("transition %u: %s -> %s, expected -> %s", i,
			               tcp_state_name(a->from), tcp_state_name(a->to),
			               tcp_state_name(to[i]));
		g_assert_cmpstr(tcp_state_name(a->to), ==, tcp_state_name(to[i]));
		g_assert_true(a->ep == f->ep);
	}
	if (n > 0)
		g_assert_cmpstr(tcp_state_name(tcp_ep_state(f->ep)), ==, tcp_state_name(to[n - 1]));
}

/* assert_states(f, TCP_X, TCP_Y): the last call made exactly these transitions. */
#define assert_states(f, ...)                                                            \
	assert_states_((f), (const enum tcp_state[]){__VA_ARGS__},                       \
	               sizeof((const enum tcp_state[]){__VA_ARGS__}) / sizeof(enum tcp_state))

static void assert_no_change(const struct fx *f, enum tcp_state state)
{
	g_assert_cmpuint(n_changes(f), ==, 0);
	g_assert_cmpstr(tcp_state_name(tcp_ep_state(f->ep)), ==, tcp_state_name(state));
}

/* The last call closed the endpoint with this errno (0: no error). */
static void assert_closed(const struct fx *f, int err)
{
	assert_states(f, TCP_CLOSED);
	g_assert_cmpint(nth(f, TCP_ACT_STATE, 0)->err, ==, err);
	g_assert_cmpint(next_deadline(f), ==, SIM_NEVER);
}

/* --- the expected view of a state --- */

struct want {
	enum tcp_state state;
	uint32_t snd_una, snd_nxt; /* snd_max == snd_nxt in every fixture */
	uint32_t rcv_nxt;          /* 0: not synchronized yet */
	bool orphan, eof;
	unsigned armed;            /* TIMER() bits that must be armed; the others must not */
};

static void assert_view(const struct fx *f, const struct want *w)
{
	struct tcp_ep_view v;

	view(f, &v);
	g_assert_cmpstr(tcp_state_name(v.state), ==, tcp_state_name(w->state));
	g_assert_cmphex(v.laddr, ==, LOCAL_ADDR);
	g_assert_cmphex(v.raddr, ==, REMOTE_ADDR);
	g_assert_cmpuint(v.lport, ==, LOCAL_PORT);
	g_assert_cmpuint(v.rport, ==, REMOTE_PORT);
	g_assert_cmpuint(v.iss, ==, f->iss);
	if (w->rcv_nxt != 0) {
		g_assert_cmpuint(v.irs, ==, f->peer_iss);
		g_assert_cmpuint(v.rcv_nxt, ==, w->rcv_nxt);
	}
	g_assert_cmpuint(v.snd_una, ==, w->snd_una);
	g_assert_cmpuint(v.snd_nxt, ==, w->snd_nxt);
	g_assert_cmpuint(v.snd_max, ==, w->snd_nxt);
	g_assert_cmpint(v.orphan, ==, w->orphan);
	g_assert_cmpint(v.eof, ==, w->eof);
	g_assert_cmpint(v.err, ==, 0);
	g_assert_cmpuint(v.readable, ==, 0);
	g_assert_cmpuint(v.retransmits, ==, 0);
	for (int t = 0; t < TCP_TIMER_COUNT; t++) {
		bool armed = v.deadline[t] != SIM_NEVER;
		if (armed != ((w->armed >> t) & 1u))
			g_test_message("timer %s: armed %d", tcp_timer_name((enum tcp_timer)t), armed);
		g_assert_cmpint(armed, ==, (w->armed >> t) & 1u);
	}
}

/* --- builders: CLOSED to every state by real transitions --- */

/* CLOSED -> SYN_SENT: the user connects at time 0 (or f->now). */
static void to_syn_sent(struct fx *f)
{
	ep_create(f);
	begin(f, f->now);
	g_assert_cmpint(tcp_ep_connect(f->ep, f->now, &f->acts), ==, -EINPROGRESS);
	assert_states(f, TCP_SYN_SENT);
	assert_sent_one(f, TCP_SYN, f->iss, 0, 0);
}

/* SYN_SENT -> ESTABLISHED: the SYN-ACK comes back one RTT later. */
static void to_established(struct fx *f)
{
	to_syn_sent(f);
	input(f, f->now + f->rtt,
	      PEER(.flags = TCP_SYN | TCP_ACK, .seq = f->peer_iss, .ack = f->iss + 1));
	assert_states(f, TCP_ESTABLISHED);
	assert_sent_one(f, TCP_ACK, f->iss + 1, f->peer_iss + 1, 0);
}

/* ESTABLISHED -> FIN_WAIT_1: the user closes (the endpoint becomes an orphan). */
static void to_fin_wait_1(struct fx *f)
{
	to_established(f);
	g_assert_cmpint(user_close(f, f->now + STEP), ==, 0);
	assert_states(f, TCP_FIN_WAIT_1);
	assert_sent_one(f, TCP_FIN | TCP_ACK, f->iss + 1, f->peer_iss + 1, 0);
}

/* FIN_WAIT_1 -> FIN_WAIT_2: the peer acknowledges our FIN. */
static void to_fin_wait_2(struct fx *f)
{
	to_fin_wait_1(f);
	input(f, f->now + f->rtt, PEER(.flags = TCP_ACK, .seq = f->peer_iss + 1, .ack = f->iss + 2));
	assert_states(f, TCP_FIN_WAIT_2);
	g_assert_cmpuint(n_sent(f), ==, 0);
}

/* FIN_WAIT_2 -> TIME_WAIT: the peer's FIN. */
static void to_time_wait(struct fx *f)
{
	to_fin_wait_2(f);
	input(f, f->now + STEP,
	      PEER(.flags = TCP_FIN | TCP_ACK, .seq = f->peer_iss + 1, .ack = f->iss + 2));
	assert_states(f, TCP_TIME_WAIT);
	assert_sent_one(f, TCP_ACK, f->iss + 2, f->peer_iss + 2, 0);
}

/* FIN_WAIT_1 -> CLOSING: the peer's FIN crosses ours (it does not ACK it). */
static void to_closing(struct fx *f)
{
	to_fin_wait_1(f);
	input(f, f->now + STEP,
	      PEER(.flags = TCP_FIN | TCP_ACK, .seq = f->peer_iss + 1, .ack = f->iss + 1));
	assert_states(f, TCP_CLOSING);
	assert_sent_one(f, TCP_ACK, f->iss + 2, f->peer_iss + 2, 0);
}

/* ESTABLISHED -> CLOSE_WAIT: the peer's FIN. */
static void to_close_wait(struct fx *f)
{
	to_established(f);
	input(f, f->now + STEP,
	      PEER(.flags = TCP_FIN | TCP_ACK, .seq = f->peer_iss + 1, .ack = f->iss + 1));
	assert_states(f, TCP_CLOSE_WAIT);
}

/* CLOSE_WAIT -> LAST_ACK: the user closes. */
static void to_last_ack(struct fx *f)
{
	to_close_wait(f);
	g_assert_cmpint(user_close(f, f->now + STEP), ==, 0);
	assert_states(f, TCP_LAST_ACK);
	assert_sent_one(f, TCP_FIN | TCP_ACK, f->iss + 1, f->peer_iss + 2, 0);
}

/* A listener's child: CLOSED -> SYN_RCVD on the peer's SYN. */
static void to_syn_rcvd(struct fx *f)
{
	accept_syn(f, f->now, PEER(.flags = TCP_SYN, .seq = f->peer_iss));
	assert_states(f, TCP_SYN_RCVD);
	assert_sent_one(f, TCP_SYN | TCP_ACK, f->iss, f->peer_iss + 1, 0);
}

/* SYN_RCVD -> ESTABLISHED: the third segment of the handshake. */
static void to_established_passive(struct fx *f)
{
	to_syn_rcvd(f);
	input(f, f->now + f->rtt, PEER(.flags = TCP_ACK, .seq = f->peer_iss + 1, .ack = f->iss + 1));
	assert_states(f, TCP_ESTABLISHED);
	g_assert_cmpuint(n_sent(f), ==, 0);
}

/* ESTABLISHED and interactive: the peer's 100-byte request is ACKed at once
 * (quick-ACK), and our 50-byte answer leaves 1 ms after it (Linux
 * tcp_event_data_sent: an answer within the ATO enters pingpong mode).  The
 * peer's next segment should ACK LOCAL_ISS + 51. */
static void to_pingpong(struct fx *f)
{
	to_established(f);
	input(f, f->now + STEP,
	      PEER(.flags = TCP_ACK | TCP_PSH, .seq = f->peer_iss + 1, .ack = f->iss + 1, .len = 100));
	assert_sent_one(f, TCP_ACK, f->iss + 1, f->peer_iss + 101, 0);
	g_assert_cmpint(user_send(f, f->now + STEP, 50), ==, 50);
	assert_sent_one(f, TCP_ACK | TCP_PSH, f->iss + 1, f->peer_iss + 101, 50);
}

/* --- timer schedules --- */

/* Drives the timers with no answer from the peer.  Retransmission k must
 * come at t0 + at[k], be `like` (flags, seq, ack, len) and give `why` (the
 * first one `first_why`); at t0 + end the endpoint must close with `err`
 * and send nothing. */
static void assert_rtx_schedule(struct fx *f, sim_time t0, const sim_time *at, size_t n,
                                const struct tcp_seg *like, enum tcp_send_why first_why,
                                sim_time end, int err)
{
	for (size_t k = 0; k < n; k++) {
		g_assert_cmpint(next_deadline(f) - t0, ==, at[k]);
		if (g_test_failed()) {
			g_test_message("retransmission %zu", k + 1);
			return;
		}
		fire(f, t0 + at[k]);
		assert_sent_one(f, like->flags, like->seq, like->ack, like->len);
		g_assert_cmpint(sent_act(f, 0)->why, ==, k == 0 ? first_why : TCP_SEND_RTO);
		g_assert_true(sent_act(f, 0)->retransmission);
		g_assert_cmpuint(n_changes(f), ==, 0);
	}
	g_assert_cmpint(next_deadline(f) - t0, ==, end);
	if (g_test_failed())
		return;
	fire(f, t0 + end);
	g_assert_cmpuint(n_sent(f), ==, 0);
	assert_closed(f, err);
}

/* connect() at 0, no answer: SYNs at syn_at[] (the first is the original),
 * ETIMEDOUT at fail_at. */
static void assert_syn_schedule(struct fx *f, const sim_time *syn_at, size_t n, sim_time fail_at)
{
	to_syn_sent(f);
	g_assert_cmpint(syn_at[0], ==, 0);
	struct tcp_seg syn = {.flags = TCP_SYN, .seq = f->iss};
	assert_rtx_schedule(f, 0, syn_at + 1, n - 1, &syn, TCP_SEND_RTO, fail_at, ETIMEDOUT);
	if (!g_test_failed())
		g_assert_cmpint(tcp_ep_connect_status(f->ep), ==, -ETIMEDOUT);
}

/* ===================================================================== */
/* CLOSED                                                                */
/* ===================================================================== */

/* RFC 9293 §3.10.1 (OPEN call, CLOSED state); RFC 7323 §2.2, §3.2; RFC 2018
 * §2; Linux tcp_connect(): a SYN with MSS, window scale, SACK-permitted and
 * timestamps, an unscaled window; connect() is non-blocking. */
static void test_closed_connect(struct fx *f, gconstpointer d)
{
	(void)d;
	ep_create(f);
	begin(f, 0);
	g_assert_cmpint(tcp_ep_connect(f->ep, 0, &f->acts), ==, -EINPROGRESS);
	assert_states(f, TCP_SYN_SENT);
	assert_sent_one(f, TCP_SYN, LOCAL_ISS, 0, 0);
	const struct tcp_seg *s = sent(f, 0);
	g_assert_cmphex(s->opt.present, ==, ALL_OPTS);
	g_assert_cmpuint(s->opt.mss, ==, 1460);
	g_assert_cmpuint(s->opt.wscale, ==, LOCAL_WSCALE);
	g_assert_cmpuint(s->opt.tsval, ==, TS_OFFSET);
	g_assert_cmpuint(s->opt.tsecr, ==, 0);
	g_assert_cmpuint(s->wnd, ==, SYN_WND);
	g_assert_cmpint(sent_act(f, 0)->why, ==, TCP_SEND_NEW);
	g_assert_false(sent_act(f, 0)->retransmission);
	g_assert_cmpint(tcp_ep_connect_status(f->ep), ==, -EINPROGRESS);
}

/* Windows profile: Tcp1323Opts leaves timestamps off; window scale 8. */
static void test_closed_connect_windows(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_sent(f);
	const struct tcp_seg *s = sent(f, 0);
	g_assert_cmphex(s->opt.present, ==, TCP_OPT_MSS | TCP_OPT_WSCALE | TCP_OPT_SACK_PERM);
	g_assert_cmpuint(s->opt.wscale, ==, 8);
}

/* RFC 9293 §3.10.1: OPEN on a connection that exists is an error. */
static void test_syn_sent_connect(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_sent(f);
	begin(f, f->now + STEP);
	g_assert_cmpint(tcp_ep_connect(f->ep, f->now, &f->acts), ==, -EISCONN);
	g_assert_cmpuint(f->acts.n, ==, 0);
}

/* ===================================================================== */
/* SYN_SENT                                                              */
/* ===================================================================== */

/* RFC 9293 §3.10.7.3 (SYN-SENT, fourth: SYN bit with an acceptable ACK):
 * ESTABLISHED and <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>; RFC 7323 §3.2: the
 * ACK echoes the peer's timestamp; the window is now scaled (>> 7). */
static void test_syn_sent_syn_ack(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_sent(f);
	input(f, RTT, PEER(.flags = TCP_SYN | TCP_ACK, .seq = REMOTE_ISS, .ack = LOCAL_ISS + 1));
	assert_states(f, TCP_ESTABLISHED);
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, 0);
	const struct tcp_seg *s = sent(f, 0);
	g_assert_cmphex(s->opt.present, ==, TCP_OPT_TS);
	g_assert_cmpuint(s->opt.tsecr, ==, REMOTE_TSVAL);
	g_assert_cmpuint(s->opt.tsval, ==, TS_OFFSET + 10);
	/* Linux 6.x __tcp_select_window(): the free space (65536) capped at
	 * rcv_ssthresh, the SYN's 64240 (tcp_connect_init()), then ALIGN'ed up
	 * to 1 << 10: 64512, 63 scaled (it was 65536, 64, before rcv_ssthresh
	 * was modelled; with wscale 7 the same rule gives captures' "win 502") */
	g_assert_cmpuint(s->wnd, ==, 63);
	g_assert_cmpint(tcp_ep_connect_status(f->ep), ==, 0);
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpint(v.srtt, ==, RTT); /* RFC 6298 §2.2: the SYN was timed */
	/* SRTT 10 ms, RTTVAR 5 ms: RTO = 10 + max(4 x 5, 200) = 210 ms (Linux
	 * __tcp_set_rto(): the 200 ms floor is on the variance term) */
	g_assert_cmpint(v.rto, ==, 210 * SIM_MS);
}

/* RFC 9293 §3.10.7.3 (second: RST bit, ACK acceptable): "the user should
 * be warned with a message 'error: connection reset'", drop the TCB; Linux
 * tcp_reset() in SYN_SENT: ECONNREFUSED. */
static void test_syn_sent_rst_ack(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_sent(f);
	input(f, RTT, PEER(.flags = TCP_RST | TCP_ACK, .seq = 0, .ack = LOCAL_ISS + 1));
	assert_closed(f, ECONNREFUSED);
	g_assert_cmpuint(n_sent(f), ==, 0);
	g_assert_cmpint(tcp_ep_connect_status(f->ep), ==, -ECONNREFUSED);
}

/* RFC 9293 §3.10.7.3 (second): a RST without an ACK is dropped in SYN-SENT. */
static void test_syn_sent_rst_no_ack(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_sent(f);
	input(f, RTT, PEER(.flags = TCP_RST, .seq = REMOTE_ISS));
	g_assert_cmpuint(f->acts.n, ==, 0);
	assert_no_change(f, TCP_SYN_SENT);
}

/* RFC 9293 §3.10.7.3 (first: SEG.ACK =< ISS or SEG.ACK > SND.NXT): send
 * <SEQ=SEG.ACK><CTL=RST> and stay in SYN-SENT. */
static void test_syn_sent_bad_ack(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_sent(f);
	input(f, RTT, PEER(.flags = TCP_SYN | TCP_ACK, .seq = REMOTE_ISS, .ack = LOCAL_ISS + 100));
	assert_sent_one(f, TCP_RST, LOCAL_ISS + 100, 0, 0);
	g_assert_cmpint(sent_act(f, 0)->why, ==, TCP_SEND_RST);
	assert_no_change(f, TCP_SYN_SENT);
}

/* RFC 9293 §3.10.7.3 (first): "unless the RST bit is set, if so drop the
 * segment and return". */
static void test_syn_sent_bad_ack_rst(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_sent(f);
	input(f, RTT, PEER(.flags = TCP_RST | TCP_ACK, .seq = 0, .ack = LOCAL_ISS));
	g_assert_cmpuint(f->acts.n, ==, 0);
	assert_no_change(f, TCP_SYN_SENT);
}

/* RFC 9293 §3.10.7.3 (fourth, "Otherwise, enter SYN-RECEIVED"), §3.5
 * figure 8: simultaneous open; <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> with the
 * options both sides offered. */
static void test_syn_sent_syn(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_sent(f);
	input(f, RTT, PEER(.flags = TCP_SYN, .seq = REMOTE_ISS));
	assert_states(f, TCP_SYN_RCVD);
	assert_sent_one(f, TCP_SYN | TCP_ACK, LOCAL_ISS, REMOTE_ISS + 1, 0);
	const struct tcp_seg *s = sent(f, 0);
	g_assert_cmphex(s->opt.present, ==, ALL_OPTS);
	g_assert_cmpuint(s->opt.tsecr, ==, REMOTE_TSVAL);
	/* a connecting socket's window, chosen at connect() (tcp_connect_init():
	 * whole segments of the MSS), not a request socket's */
	g_assert_cmpuint(s->wnd, ==, SYN_WND);
	g_assert_false(sent_act(f, 0)->ctl_sock); /* tcp_send_synack() -> tcp_transmit_skb() */
	g_assert_cmpint(tcp_ep_connect_status(f->ep), ==, -EINPROGRESS);
}

/* Linux tcp_write_timeout()/retransmits_timed_out() with tcp_syn_retries 6
 * and tcp_syn_linear_timeouts 4: SYNs at 0, 1, 2, 3, 4, 5, 7, 11, 19, 35,
 * 67 s; the budget (2^7 - 1) * 1 s = 127 s is spent at the next expiry,
 * 131 s: ETIMEDOUT. */
static void test_syn_sent_rto_schedule_linux(struct fx *f, gconstpointer d)
{
	(void)d;
	static const sim_time at[] = {0, 1 * SIM_SEC, 2 * SIM_SEC, 3 * SIM_SEC, 4 * SIM_SEC,
	                              5 * SIM_SEC, 7 * SIM_SEC, 11 * SIM_SEC, 19 * SIM_SEC,
	                              35 * SIM_SEC, 67 * SIM_SEC};
	assert_syn_schedule(f, at, G_N_ELEMENTS(at), 131 * SIM_SEC);
}

/* Linux tcp_write_timeout() in a kernel with tcp_syn_linear_timeouts
 * counts SYN retransmissions: it gives up when icsk_retransmits reaches
 * tcp_syn_retries + tcp_syn_linear_timeouts.  With tcp_syn_retries 2 that is
 * 6: SYNs at 0, 1, 2, 3, 4, 5, 7 s, ETIMEDOUT at the next expiry, 11 s. */
static void test_syn_sent_rto_schedule_linux_retries_2(struct fx *f, gconstpointer d)
{
	(void)d;
	f->p.syn_retries = 2;
	static const sim_time at[] = {0,           1 * SIM_SEC, 2 * SIM_SEC, 3 * SIM_SEC,
	                              4 * SIM_SEC, 5 * SIM_SEC, 7 * SIM_SEC};
	assert_syn_schedule(f, at, G_N_ELEMENTS(at), 11 * SIM_SEC);
}

/* The same with tcp_syn_linear_timeouts = 0 (plain doubling): 0, 1, 3, 7, 15,
 * 31, 63 s, ETIMEDOUT at 127 s exactly. */
static void test_syn_sent_rto_schedule_linux_exponential(struct fx *f, gconstpointer d)
{
	(void)d;
	f->p.syn_linear_timeouts = 0;
	static const sim_time at[] = {0,           1 * SIM_SEC,  3 * SIM_SEC, 7 * SIM_SEC,
	                              15 * SIM_SEC, 31 * SIM_SEC, 63 * SIM_SEC};
	assert_syn_schedule(f, at, G_N_ELEMENTS(at), 127 * SIM_SEC);
}

/* Windows: InitialRto 3 s, TcpMaxConnectRetransmissions 2: SYNs at 0, 3,
 * 9 s; connect() fails after 21 s. */
static void test_syn_sent_rto_schedule_windows(struct fx *f, gconstpointer d)
{
	(void)d;
	static const sim_time at[] = {0, 3 * SIM_SEC, 9 * SIM_SEC};
	assert_syn_schedule(f, at, G_N_ELEMENTS(at), 21 * SIM_SEC);
}

/* FreeBSD 13+ sys/netinet/tcp_timer.c, tcp_timer_rexmt(): in SYN_SENT
 * tcp_rexmit_initial (1 s) times tcp_backoff[] = {1, 2, 4, 8, ...}: SYNs at
 * 0, 1, 3, 7, 15, 31, 63 s; keepinit (75 s) ends the attempt.  (Older
 * releases' tcp_syn_backoff[] = {1, 1, 1, 1, 1, 2, 4, ...} is gone.) */
static void test_syn_sent_rto_schedule_bsd(struct fx *f, gconstpointer d)
{
	(void)d;
	static const sim_time at[] = {0, 1 * SIM_SEC, 3 * SIM_SEC, 7 * SIM_SEC, 15 * SIM_SEC,
	                              31 * SIM_SEC, 63 * SIM_SEC};
	assert_syn_schedule(f, at, G_N_ELEMENTS(at), 75 * SIM_SEC);
}

/* RFC 1122 §4.2.3.5: "R2 for a SYN segment MUST be set large enough to
 * provide retransmission of the segment for at least 3 minutes." */
static void test_syn_sent_give_up_rfc(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_sent(f);
	for (int i = 0; i < 64 && tcp_ep_state(f->ep) == TCP_SYN_SENT; i++) {
		g_assert_cmpint(next_deadline(f), !=, SIM_NEVER);
		if (g_test_failed())
			return;
		fire(f, next_deadline(f));
	}
	assert_closed(f, ETIMEDOUT);
	g_assert_cmpint(f->now, >=, 180 * SIM_SEC);
}

/* RFC 6298 §5.7: "If the timer expires awaiting the ACK of a SYN segment
 * and the TCP implementation is using an RTO less than 3 seconds, the RTO
 * MUST be re-initialized to 3 seconds when data transmission begins." */
static void test_syn_sent_syn_ack_after_retransmit(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_sent(f);
	g_assert_cmpint(next_deadline(f), ==, 1 * SIM_SEC);
	if (g_test_failed())
		return;
	fire(f, 1 * SIM_SEC);
	input(f, 1 * SIM_SEC + RTT,
	      PEER(.flags = TCP_SYN | TCP_ACK, .seq = REMOTE_ISS, .ack = LOCAL_ISS + 1));
	assert_states(f, TCP_ESTABLISHED);
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpint(v.srtt, ==, 0); /* Karn: no sample from a retransmitted SYN */
	g_assert_cmpint(v.rto, ==, 3 * SIM_SEC);
}

/* ===================================================================== */
/* LISTEN child and SYN_RCVD                                             */
/* ===================================================================== */

/* RFC 9293 §3.10.7.2 (LISTEN, third: SYN): <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,
 * ACK>; RFC 7323 §2.2, §3.2 and RFC 2018 §2: offer window scale, timestamps
 * and SACK only when the SYN did; the timestamp echoes the SYN's. */
static void test_listen_syn(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_rcvd(f);
	const struct tcp_seg *s = sent(f, 0);
	g_assert_cmphex(s->opt.present, ==, ALL_OPTS);
	g_assert_cmpuint(s->opt.mss, ==, 1460);
	g_assert_cmpuint(s->opt.wscale, ==, LOCAL_WSCALE);
	g_assert_cmpuint(s->opt.tsecr, ==, REMOTE_TSVAL);
	g_assert_cmpuint(s->wnd, ==, SYNACK_WND);
	g_assert_cmpint(next_deadline(f), ==, 1 * SIM_SEC); /* TCP_TIMEOUT_INIT */
}

/* Linux tcp_select_initial_window() rounds the space down to whole
 * segments, then tcp_transmit_skb() sends min(rcv_wnd, 65535): a larger
 * buffer's SYN offers 65535, and a space smaller than one segment is
 * offered as it is. */
static void test_closed_connect_syn_window_bounds(struct fx *f, gconstpointer d)
{
	(void)d;
	f->p.rcvbuf = 262144; /* space 131072: 89 x 1460 = 129940 */
	to_syn_sent(f);
	g_assert_cmpuint(sent(f, 0)->wnd, ==, 65535);
	tcp_ep_free(f->ep);
	f->ep = NULL;
	f->p.mss = 8960;    /* a jumbo frame's MSS ... */
	f->p.rcvbuf = 8192; /* ... above the space, 4096 */
	to_syn_sent(f);
	g_assert_cmpuint(sent(f, 0)->wnd, ==, 4096);
}

/* The same with a SYN that offers only an MSS: the SYN-ACK offers only
 * its own MSS (which is always sent, RFC 9293 §3.7.1). */
static void test_listen_syn_mss_only(struct fx *f, gconstpointer d)
{
	(void)d;
	f->peer_opts = TCP_OPT_MSS;
	to_syn_rcvd(f);
	g_assert_cmphex(sent(f, 0)->opt.present, ==, TCP_OPT_MSS);
	g_assert_cmpuint(sent(f, 0)->wnd, ==, SYN_WND); /* no timestamps: whole 1460s */
}

/* The same with a SYN without options at all. */
static void test_listen_syn_no_options(struct fx *f, gconstpointer d)
{
	(void)d;
	f->peer_opts = 0;
	to_syn_rcvd(f);
	g_assert_cmphex(sent(f, 0)->opt.present, ==, TCP_OPT_MSS);
}

/* RFC 9293 §3.10.7.4 (fifth, SYN-RECEIVED): "If SND.UNA < SEG.ACK =<
 * SND.NXT, then enter ESTABLISHED state". */
static void test_syn_rcvd_ack(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established_passive(f);
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpint(v.srtt, ==, RTT);
	g_assert_cmpint(tcp_ep_connect_status(f->ep), ==, 0);
}

/* RFC 9293 §3.10.7.4 (fifth, SYN-RECEIVED): "If the segment acknowledgment
 * is not acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST>". */
static void test_syn_rcvd_bad_ack(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_rcvd(f);
	input(f, RTT, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 5));
	assert_sent_one(f, TCP_RST, LOCAL_ISS + 5, 0, 0);
	assert_no_change(f, TCP_SYN_RCVD);
}

/* RFC 9293 §3.10.7.4 (fifth, then seventh): the third segment of the
 * handshake may carry data; it is delivered and ACKed (quick-ACK). */
static void test_syn_rcvd_ack_with_data(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_rcvd(f);
	input(f, RTT, PEER(.flags = TCP_ACK | TCP_PSH, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1,
	                   .len = 100));
	assert_states(f, TCP_ESTABLISHED);
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 101, 0);
	g_assert_cmpuint(tcp_ep_readable(f->ep), ==, 100);
}

/* RFC 9293 §3.10.7.4 (second, SYN-RECEIVED, passive open): a reset ends
 * the attempt; the listener's child simply goes (Linux drops the request). */
static void test_syn_rcvd_rst(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_rcvd(f);
	input(f, RTT, PEER(.flags = TCP_RST, .seq = REMOTE_ISS + 1));
	assert_states(f, TCP_CLOSED);
	g_assert_cmpuint(n_sent(f), ==, 0);
	g_assert_cmpint(next_deadline(f), ==, SIM_NEVER);
}

/* Linux tcp_check_req(): a retransmitted SYN (our SYN-ACK was lost) is
 * answered with the SYN-ACK again, same numbers. */
static void test_syn_rcvd_syn_retransmit(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_rcvd(f);
	input(f, 500 * SIM_MS, PEER(.flags = TCP_SYN, .seq = REMOTE_ISS));
	assert_sent_one(f, TCP_SYN | TCP_ACK, LOCAL_ISS, REMOTE_ISS + 1, 0);
	g_assert_true(sent_act(f, 0)->retransmission);
	assert_no_change(f, TCP_SYN_RCVD);
}

/* Linux reqsk_timer_handler(): SYN-ACK timeouts of TCP_TIMEOUT_INIT <<
 * num_timeout, dropped when num_timeout reaches tcp_synack_retries (5):
 * SYN-ACKs at 0, 1, 3, 7, 15, 31 s, the request goes at 63 s, silently.
 * (The code's time budget (2^6 - 1) * 1 s = 63 s gives the same instant.) */
static void test_syn_rcvd_rto_schedule(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_rcvd(f);
	static const sim_time at[] = {1 * SIM_SEC, 3 * SIM_SEC, 7 * SIM_SEC, 15 * SIM_SEC,
	                              31 * SIM_SEC};
	struct tcp_seg synack = {.flags = TCP_SYN | TCP_ACK, .seq = LOCAL_ISS, .ack = REMOTE_ISS + 1};
	assert_rtx_schedule(f, 0, at, G_N_ELEMENTS(at), &synack, TCP_SEND_RTO, 63 * SIM_SEC,
	                    ETIMEDOUT);
}

/* The same count rule beyond the doubling range: tcp_synack_retries 8 gives
 * timeouts 1, 2, 4, ... 64, then TCP_RTO_MAX 120 s: SYN-ACKs up to 247 s,
 * the request goes at 367 s. */
static void test_syn_rcvd_rto_schedule_8(struct fx *f, gconstpointer d)
{
	(void)d;
	f->p.synack_retries = 8;
	to_syn_rcvd(f);
	static const sim_time at[] = {1 * SIM_SEC,  3 * SIM_SEC,  7 * SIM_SEC,   15 * SIM_SEC,
	                              31 * SIM_SEC, 63 * SIM_SEC, 127 * SIM_SEC, 247 * SIM_SEC};
	struct tcp_seg synack = {.flags = TCP_SYN | TCP_ACK, .seq = LOCAL_ISS, .ack = REMOTE_ISS + 1};
	assert_rtx_schedule(f, 0, at, G_N_ELEMENTS(at), &synack, TCP_SEND_RTO, 367 * SIM_SEC,
	                    ETIMEDOUT);
}

/* RFC 9293 §3.5 figure 8, line 6, and Linux tcp_validate_incoming() (the
 * SYN_RECV pass for simultaneous connect): in SYN-RECEIVED after a
 * simultaneous open, the peer's SYN-ACK (SEQ = IRS, ACK = ISS + 1) completes
 * the handshake: ESTABLISHED, and no SYN-ACK of ours in answer. */
static void test_syn_rcvd_simultaneous_syn_ack(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_sent(f);
	input(f, RTT, PEER(.flags = TCP_SYN, .seq = REMOTE_ISS));
	assert_states(f, TCP_SYN_RCVD);
	input(f, RTT + STEP, PEER(.flags = TCP_SYN | TCP_ACK, .seq = REMOTE_ISS, .ack = LOCAL_ISS + 1));
	assert_states(f, TCP_ESTABLISHED);
	for (uint32_t i = 0; i < n_sent(f); i++)
		g_assert_false(sent(f, i)->flags & TCP_SYN);
}

/* RFC 9293 §3.5 figure 8 with an ACK as the peer's last segment. */
static void test_syn_rcvd_simultaneous_ack(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_sent(f);
	input(f, RTT, PEER(.flags = TCP_SYN, .seq = REMOTE_ISS));
	input(f, RTT + STEP, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1));
	assert_states(f, TCP_ESTABLISHED);
	g_assert_cmpint(tcp_ep_connect_status(f->ep), ==, 0);
}

/* ===================================================================== */
/* ESTABLISHED: receiving                                                */
/* ===================================================================== */

/* Linux tcp_incr_quickack()/__tcp_ack_snd_check(): the first data segments
 * of a connection are acknowledged at once (quick-ACK mode). */
static void test_established_data_quickack(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	input(f, f->now + STEP,
	      PEER(.flags = TCP_ACK | TCP_PSH, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1, .len = 100));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 101, 0);
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpuint(v.readable, ==, 100);
	g_assert_cmpint(v.deadline[TCP_TIMER_DELACK], ==, SIM_NEVER);
	g_assert_cmpint(user_recv(f, f->now), ==, 100);
}

/* Linux tcp_event_data_recv() -> tcp_grow_window(): in-order data of 128
 * bytes or more raises rcv_ssthresh by two segments, up to the free space
 * (65536 - 200): the ACK offers ALIGN(65336, 1024) = 65536, 64 scaled. */
static void test_established_data_grows_window(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	input(f, f->now + STEP,
	      PEER(.flags = TCP_ACK | TCP_PSH, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1, .len = 200));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 201, 0);
	g_assert_cmpuint(sent(f, 0)->wnd, ==, 64);
}

/* ... and less than 128 bytes does not ("if (skb->len >= 128)"): the ACK
 * still offers the SYN's window, min(65436, 64240) rounded up: 63. */
static void test_established_small_data_keeps_window(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	input(f, f->now + STEP,
	      PEER(.flags = TCP_ACK | TCP_PSH, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1, .len = 100));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 101, 0);
	g_assert_cmpuint(sent(f, 0)->wnd, ==, 63);
}

/* A listener's child starts from its SYN-ACK's window
 * (tcp_create_openreq_child(): rcv_ssthresh = req->rsk_rcv_wnd = 65160):
 * its first ACK of data offers ALIGN(65160, 1024) = 65536, 64 scaled. */
static void test_established_passive_first_ack_window(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established_passive(f);
	input(f, f->now + STEP,
	      PEER(.flags = TCP_ACK | TCP_PSH, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1, .len = 100));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 101, 0);
	g_assert_cmpuint(sent(f, 0)->wnd, ==, 64);
}

/* Linux pingpong mode (inet_csk_in_pingpong_mode): once we answered within
 * the ATO, the next request's ACK waits for the delayed-ACK timer (40 ms,
 * TCP_ATO_MIN) in the hope of riding on the answer; when the timer fires,
 * the ACK goes alone. */
static void test_established_data_pingpong(struct fx *f, gconstpointer d)
{
	(void)d;
	to_pingpong(f);
	sim_time t = f->now + RTT;
	input(f, t, PEER(.flags = TCP_ACK | TCP_PSH, .seq = REMOTE_ISS + 101, .ack = LOCAL_ISS + 51,
	                 .len = 100));
	g_assert_cmpuint(n_sent(f), ==, 0);
	g_assert_cmpint(next_deadline(f), ==, t + 40 * SIM_MS);
	fire(f, t + 40 * SIM_MS);
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 51, REMOTE_ISS + 201, 0);
	g_assert_cmpint(next_deadline(f), ==, SIM_NEVER);
}

/* RFC 1122 §4.2.3.2, RFC 9293 §3.8.6.3: a delayed ACK rides on the data
 * the application sends before the timer fires. */
static void test_established_ack_rides_on_answer(struct fx *f, gconstpointer d)
{
	(void)d;
	to_pingpong(f);
	sim_time t = f->now + RTT;
	input(f, t, PEER(.flags = TCP_ACK | TCP_PSH, .seq = REMOTE_ISS + 101, .ack = LOCAL_ISS + 51,
	                 .len = 100));
	g_assert_cmpint(user_send(f, t + 5 * SIM_MS, 20), ==, 20);
	assert_sent_one(f, TCP_ACK | TCP_PSH, LOCAL_ISS + 51, REMOTE_ISS + 201, 20);
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpint(v.deadline[TCP_TIMER_DELACK], ==, SIM_NEVER);
}

/* RFC 1122 §4.2.3.2 ("an ACK SHOULD be generated for at least every second
 * full-sized segment"), Linux __tcp_ack_snd_check(): even in pingpong mode
 * the second full segment is ACKed at once.  Without timestamps a full
 * segment carries 1460 bytes. */
static void test_established_two_full_segments(struct fx *f, gconstpointer d)
{
	(void)d;
	f->peer_opts = NO_TS;
	to_pingpong(f);
	sim_time t = f->now + RTT;
	input(f, t, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 101, .ack = LOCAL_ISS + 51, .len = 1460));
	g_assert_cmpuint(n_sent(f), ==, 0);
	input(f, t + STEP,
	      PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1561, .ack = LOCAL_ISS + 51, .len = 1460));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 51, REMOTE_ISS + 3021, 0);
}

/* The same with timestamps: a full-sized segment carries MSS - 12 = 1448
 * bytes (RFC 9293 §3.7.1, RFC 6691), and Linux measures its rcv_mss from
 * what arrives (tcp_measure_rcv_mss), so two of them are ACKed at once. */
static void test_established_two_full_segments_ts(struct fx *f, gconstpointer d)
{
	(void)d;
	to_pingpong(f);
	sim_time t = f->now + RTT;
	input(f, t, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 101, .ack = LOCAL_ISS + 51, .len = 1448));
	g_assert_cmpuint(n_sent(f), ==, 0);
	input(f, t + STEP,
	      PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1549, .ack = LOCAL_ISS + 51, .len = 1448));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 51, REMOTE_ISS + 2997, 0);
}

/* RFC 5681 §4.2 ("A TCP receiver SHOULD send an immediate duplicate ACK
 * when an out-of-order segment arrives"), RFC 9293 §3.10.7.4 (seventh): the
 * ACK names the first missing byte, even in pingpong mode. */
static void test_established_out_of_order(struct fx *f, gconstpointer d)
{
	(void)d;
	to_pingpong(f);
	input(f, f->now + RTT,
	      PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 201, .ack = LOCAL_ISS + 51, .len = 100));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 51, REMOTE_ISS + 101, 0);
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpuint(v.rcv_nxt, ==, REMOTE_ISS + 101);
	g_assert_cmpuint(v.readable, ==, 100);
}

/* RFC 5681 §4.2 ("an immediate ACK ... when the incoming segment fills in
 * all or part of a gap"): one ACK covers the hole and what was queued. */
static void test_established_hole_filled(struct fx *f, gconstpointer d)
{
	(void)d;
	to_pingpong(f);
	input(f, f->now + RTT,
	      PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 201, .ack = LOCAL_ISS + 51, .len = 100));
	input(f, f->now + STEP,
	      PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 101, .ack = LOCAL_ISS + 51, .len = 100));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 51, REMOTE_ISS + 301, 0);
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpuint(v.rcv_nxt, ==, REMOTE_ISS + 301);
	g_assert_cmpuint(v.readable, ==, 300);
}

/* RFC 9293 §3.10.7.4 (first): an old duplicate is not acceptable: "an
 * acknowledgment should be sent in reply", at once. */
static void test_established_old_duplicate(struct fx *f, gconstpointer d)
{
	(void)d;
	to_pingpong(f);
	input(f, f->now + RTT,
	      PEER(.flags = TCP_ACK | TCP_PSH, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 51, .len = 100));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 51, REMOTE_ISS + 101, 0);
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpuint(v.readable, ==, 100);
}

/* Linux tcp_ack(): an ACK of data never sent is dropped
 * (SKB_DROP_REASON_TCP_ACK_UNSENT_DATA), unanswered, before
 * tcp_replace_ts_recent(): its FIN and its timestamp are not taken, so the
 * next segment's older timestamp passes PAWS and is echoed (the kernel's
 * selftest tcp_ts_recent_invalid_ack.pkt). */
static void test_established_ack_unsent_linux(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	struct tcp_seg bad = PEER(.flags = TCP_ACK | TCP_FIN, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 9999);
	bad.opt.tsval = REMOTE_TSVAL + 200000;
	input(f, f->now + STEP, bad);
	g_assert_cmpuint(n_sent(f), ==, 0);
	assert_no_change(f, TCP_ESTABLISHED);
	struct tcp_seg data = PEER(.flags = TCP_ACK | TCP_PSH, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1,
	                           .len = 100);
	data.opt.tsval = REMOTE_TSVAL + 1;
	input(f, f->now, data);
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 101, 0);
	g_assert_cmpuint(sent(f, 0)->opt.tsecr, ==, REMOTE_TSVAL + 1);
}

/* RFC 9293 §3.10.7.4 (fifth): "If the ACK acks something not yet sent
 * (SEG.ACK > SND.NXT), then send an ACK, drop the segment, and return." */
static void test_established_ack_unsent(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	input(f, f->now + STEP, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1000));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, 0);
	assert_no_change(f, TCP_ESTABLISHED);
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpuint(v.snd_una, ==, LOCAL_ISS + 1);
}

/* ===================================================================== */
/* ESTABLISHED: sending and retransmission                               */
/* ===================================================================== */

/* RFC 9293 §3.7.1: segments of at most the send MSS; Linux tcp_push(): PSH
 * on the last segment of the write.  No timestamps: 1460-byte segments.
 * The short tail leaves at once too: Linux applies Nagle with Minshall's
 * rule (tcp_nagle_check, tcp_minshall_check), which holds a short segment
 * only while an earlier short segment is unacknowledged. */
static void test_established_send_mss(struct fx *f, gconstpointer d)
{
	(void)d;
	f->peer_opts = NO_TS;
	to_established(f);
	g_assert_cmpint(user_send(f, f->now + STEP, 3000), ==, 3000);
	g_assert_cmpuint(n_sent(f), ==, 3);
	assert_seg(sent(f, 0), TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, 1460);
	assert_seg(sent(f, 1), TCP_ACK, LOCAL_ISS + 1461, REMOTE_ISS + 1, 1460);
	assert_seg(sent(f, 2), TCP_ACK | TCP_PSH, LOCAL_ISS + 2921, REMOTE_ISS + 1, 80);
	g_assert_true(sent(f, 0)->payload != NULL);
	g_assert_cmpmem(sent(f, 1)->payload, 1460, user_data + 1460, 1460);
}

/* Minshall's rule knows no short segment before the first one is sent,
 * whatever the ISS: Linux sets snd_sml to the ISS (tcp_connect_init(),
 * tcp_create_openreq_child()).  An ISS in the upper half of the sequence
 * space used to hold the tail as if an earlier short segment were
 * unacknowledged (found by replaying an exported packetdrill script, whose
 * endpoint's ISS differed from the original run's). */
static void test_established_send_tail_any_iss(struct fx *f, gconstpointer d)
{
	(void)d;
	f->peer_opts = NO_TS;
	f->iss = 0x80000010u;
	to_established(f);
	g_assert_cmpint(user_send(f, f->now + STEP, 3000), ==, 3000);
	g_assert_cmpuint(n_sent(f), ==, 3);
	assert_seg(sent(f, 2), TCP_ACK | TCP_PSH, f->iss + 2921, REMOTE_ISS + 1, 80);
}

/* RFC 9293 §3.7.1 ("if there are any IP or TCP options to be sent in a
 * packet, then the sender must decrease the size of the TCP data
 * accordingly"), RFC 6691; Linux tcp_current_mss(): with timestamps a
 * segment carries 1460 - 12 = 1448 bytes, so the packet fits the 1500-byte
 * MTU. */
static void test_established_send_mss_ts(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	g_assert_cmpint(user_send(f, f->now + STEP, 3000), ==, 3000);
	g_assert_cmpuint(n_sent(f), ==, 3);
	assert_seg(sent(f, 0), TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, 1448);
	assert_seg(sent(f, 1), TCP_ACK, LOCAL_ISS + 1449, REMOTE_ISS + 1, 1448);
	assert_seg(sent(f, 2), TCP_ACK | TCP_PSH, LOCAL_ISS + 2897, REMOTE_ISS + 1, 104);
	for (uint32_t i = 0; i < n_sent(f); i++)
		g_assert_cmpuint(sent(f, i)->len + tcp_opts_len(&sent(f, i)->opt), <=, 1460);
}

/* RFC 896, RFC 9293 §3.7.4 (Nagle): a short segment waits while data is
 * unacknowledged, and leaves when the ACK comes. */
static void test_established_nagle(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	g_assert_cmpint(user_send(f, f->now + STEP, 100), ==, 100);
	assert_sent_one(f, TCP_ACK | TCP_PSH, LOCAL_ISS + 1, REMOTE_ISS + 1, 100);
	g_assert_cmpint(user_send(f, f->now + STEP, 50), ==, 50);
	g_assert_cmpuint(n_sent(f), ==, 0);
	input(f, f->now + RTT, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 101));
	assert_sent_one(f, TCP_ACK | TCP_PSH, LOCAL_ISS + 101, REMOTE_ISS + 1, 50);
}

/* RFC 1122 §4.2.3.4 (the rfc profile follows it to the letter): with data
 * unacknowledged, a short segment waits until the outstanding data is
 * acknowledged, even the tail of one write.  MSS 536: 536 + 536, then the
 * 128-byte tail when the ACK comes. */
static void test_established_nagle_rfc(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	g_assert_cmpint(user_send(f, f->now + STEP, 1200), ==, 1200);
	g_assert_cmpuint(n_sent(f), ==, 2);
	assert_seg(sent(f, 0), TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, 536);
	assert_seg(sent(f, 1), TCP_ACK, LOCAL_ISS + 537, REMOTE_ISS + 1, 536);
	input(f, f->now + RTT, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1073));
	assert_sent_one(f, TCP_ACK | TCP_PSH, LOCAL_ISS + 1073, REMOTE_ISS + 1, 128);
}

/* RFC 6298 §2.3: SRTT <- 7/8 SRTT + 1/8 R' on a new sample. */
static void test_established_rtt_sample(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	sim_time t0 = f->now + STEP;
	user_send(f, t0, 100);
	input(f, t0 + 30 * SIM_MS, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 101));
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpint(v.srtt, ==, (7 * RTT + 30 * SIM_MS) / 8);
	g_assert_cmpint(v.deadline[TCP_TIMER_RTX], ==, SIM_NEVER);
}

/* RFC 8985 §7.2-7.3, Linux tcp_schedule_loss_probe(): a lone tail segment
 * gets a probe at min(2 SRTT + rto_min, RTO) that resends the last segment,
 * then the RTO one RTO after the probe (tcp_send_loss_probe() rearms it
 * from now).  SRTT 10 ms, RTTVAR 5 ms: RTO = 10 + max(20, 200) = 210 ms,
 * PTO = min(2 x 10 + 200, 210) = min(220, 210) = 210 ms; the RTO at
 * 210 + 210 = 420 ms. */
static void test_established_tail_loss_probe(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	sim_time t0 = f->now + STEP;
	user_send(f, t0, 100);
	g_assert_cmpint(next_deadline(f), ==, t0 + 210 * SIM_MS); /* PTO = RTO = 210 ms */
	fire(f, t0 + 210 * SIM_MS);
	assert_sent_one(f, TCP_ACK | TCP_PSH, LOCAL_ISS + 1, REMOTE_ISS + 1, 100);
	g_assert_cmpint(sent_act(f, 0)->why, ==, TCP_SEND_PROBE);
	g_assert_true(sent_act(f, 0)->retransmission);
	g_assert_cmpint(next_deadline(f), ==, t0 + 420 * SIM_MS); /* 210 + RTO 210 */
	fire(f, t0 + 420 * SIM_MS);
	assert_sent_one(f, TCP_ACK | TCP_PSH, LOCAL_ISS + 1, REMOTE_ISS + 1, 100);
	g_assert_cmpint(sent_act(f, 0)->why, ==, TCP_SEND_RTO);
}

/* Linux tcp_write_xmit() schedules the loss probe again after each
 * transmission of new data: the probe follows the tail.  Two segments out
 * (PTO = 2 SRTT + TCP_TIMEOUT_MIN = 22 ms), more data 15 ms later: the
 * probe moves to 15 + 22 ms; never past the RTO of the first (210 ms). */
static void test_established_tlp_follows_tail(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	uint32_t mss = REMOTE_MSS - 12;
	sim_time t0 = f->now + STEP;
	user_send(f, t0, 2 * mss);
	g_assert_cmpint(next_deadline(f), ==, t0 + 22 * SIM_MS);
	user_send(f, t0 + 15 * SIM_MS, mss);
	g_assert_cmpuint(n_sent(f), ==, 1);
	g_assert_cmpint(next_deadline(f), ==, t0 + 37 * SIM_MS);
	user_send(f, t0 + 200 * SIM_MS, mss);
	g_assert_cmpint(next_deadline(f), ==, t0 + 210 * SIM_MS); /* the RTO of the head */
}

/* Linux 6.6+ tcp_schedule_loss_probe() under HZ=250 (the linux profile's
 * kernel timers): PTO = usecs_to_jiffies(2 SRTT + TCP_TIMEOUT_MIN_US) =
 * ceil(22 ms / 4 ms) = 6 jiffies, and the wheel's level 0 fires one jiffy
 * after that (calc_index() rounds up): 28 ms after a send on a tick.
 * Before 1c2709cfff1d, 5 jiffies + TCP_TIMEOUT_MIN (2 jiffies) + 1: 32 ms. */
static void test_established_tlp_kernel_hz250(struct fx *f, gconstpointer d)
{
	(void)d;
	f->p.timers = TCP_TIMERS_KERNEL;
	f->p.hz = 250;
	f->p.uptime = 0;
	to_established(f);
	sim_time t0 = 1 * SIM_SEC; /* on a jiffy's tick */
	user_send(f, t0, 2 * (REMOTE_MSS - 12));
	g_assert_cmpint(next_deadline(f), ==, t0 + 28 * SIM_MS);
}

/* Linux tcp_schedule_loss_probe() needs packets in flight: data held by a
 * shut window is the persist timer's, one RTO on (tcp_check_probe_timer()),
 * and what it sends is a window probe (SND.UNA - 1), not a loss probe. */
static void test_established_zero_window_no_tlp(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	struct tcp_seg shut = PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1);
	shut.wnd = 0; /* peer_seg() fills a 0 with its usual window */
	input(f, f->now + STEP, shut);
	sim_time t0 = f->now + STEP;
	f->acts.n = 0;
	user_send(f, t0, 100);
	g_assert_cmpuint(n_sent(f), ==, 0);
	g_assert_cmpint(next_deadline(f), ==, t0 + 210 * SIM_MS);
	fire(f, t0 + 210 * SIM_MS);
	assert_sent_one(f, TCP_ACK, LOCAL_ISS, REMOTE_ISS + 1, 0);
}

/* After a retransmission timeout the sender resends from SND.UNA (SND.NXT
 * is pulled back), but a bare ACK carries SND.MAX, the highest sequence
 * number sent, as Linux's tcp_acceptable_seq() does (its snd_nxt never
 * moves back).  The peer's RCV.NXT may already be past the rewound SND.NXT:
 * an ACK sequenced there would fail its acceptability test (RFC 9293
 * §3.10.7.4) and the ACK field would never be read; two endpoints that both
 * send then resend acknowledged data until they time out. */
static void test_established_ack_after_rto_at_snd_max(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	uint32_t mss = REMOTE_MSS - 12; /* timestamps on every segment */
	user_send(f, f->now + STEP, 3 * mss);
	g_assert_cmpuint(n_sent(f), ==, 3);
	do { /* the tail loss probe, then the timeout */
		fire(f, next_deadline(f));
	} while (n_sent(f) == 0 || sent_act(f, 0)->why != TCP_SEND_RTO);
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, mss);
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpuint(v.snd_nxt, ==, LOCAL_ISS + 1 + mss); /* go back N */
	g_assert_cmpuint(v.snd_max, ==, LOCAL_ISS + 1 + 3 * mss);
	/* The peer's data: the ACK that answers it is sequenced at SND.MAX. */
	input(f, f->now + STEP, PEER(.flags = TCP_ACK | TCP_PSH, .seq = REMOTE_ISS + 1,
	                             .ack = LOCAL_ISS + 1, .len = 100));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1 + 3 * mss, REMOTE_ISS + 101, 0);
}

/* Linux tcp_keepalive_timer(): a connection with data in flight is "alive
 * without keepalive": no probe and no give-up while the retransmission
 * timer is at work; the keepalive timer looks again one idle time later.
 * Keepalive after 1 s here, one probe allowed: the data's retransmissions
 * go on for seconds, and nothing else is sent. */
static void test_established_keepalive_waits_for_data(struct fx *f, gconstpointer d)
{
	(void)d;
	f->p.keepalive = true;
	f->p.keepalive_idle = 1 * SIM_SEC;
	f->p.keepalive_intvl = 1 * SIM_SEC;
	f->p.keepalive_probes = 1;
	to_established(f);
	sim_time t0 = f->now + STEP;
	user_send(f, t0, 100);
	while (next_deadline(f) < t0 + 5 * SIM_SEC) {
		fire(f, next_deadline(f));
		for (uint32_t i = 0; i < n_sent(f); i++) /* only the data, again */
			assert_seg(sent(f, i), TCP_ACK | TCP_PSH, LOCAL_ISS + 1, REMOTE_ISS + 1, 100);
		g_assert_cmpuint(n_changes(f), ==, 0);
	}
	g_assert_cmpstr(tcp_state_name(tcp_ep_state(f->ep)), ==, "ESTABLISHED");
}

/* Linux tcp_schedule_loss_probe() when 2 SRTT + rto_min comes before the
 * RTO: a long path, RTT 300 ms.  SRTT 300 ms, RTTVAR 150 ms: RTO = 300 +
 * max(4 x 150, 200) = 900 ms; one segment out: PTO = 2 x 300 + 200 =
 * 800 ms < 900 ms.  The probe at 800 ms, the RTO one RTO later, at
 * 800 + 900 = 1700 ms. */
static void test_established_tail_loss_probe_long_path(struct fx *f, gconstpointer d)
{
	(void)d;
	f->rtt = 300 * SIM_MS;
	to_established(f);
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpint(v.srtt, ==, 300 * SIM_MS);
	g_assert_cmpint(v.rto, ==, 900 * SIM_MS); /* 300 + max(600, 200) */
	sim_time t0 = f->now + STEP;
	user_send(f, t0, 100);
	g_assert_cmpint(next_deadline(f), ==, t0 + 800 * SIM_MS); /* 2 x 300 + 200 */
	fire(f, t0 + 800 * SIM_MS);
	assert_sent_one(f, TCP_ACK | TCP_PSH, LOCAL_ISS + 1, REMOTE_ISS + 1, 100);
	g_assert_cmpint(sent_act(f, 0)->why, ==, TCP_SEND_PROBE);
	g_assert_cmpint(next_deadline(f), ==, t0 + 1700 * SIM_MS); /* 800 + 900 */
	fire(f, t0 + 1700 * SIM_MS);
	assert_sent_one(f, TCP_ACK | TCP_PSH, LOCAL_ISS + 1, REMOTE_ISS + 1, 100);
	g_assert_cmpint(sent_act(f, 0)->why, ==, TCP_SEND_RTO);
}

/* Linux tcp_schedule_loss_probe() with more than one segment out: no
 * delayed-ACK allowance, PTO = 2 SRTT + TCP_TIMEOUT_MIN (2 ms).  SRTT
 * 10 ms: PTO = 2 x 10 + 2 = 22 ms < RTO 210 ms.  2000 bytes leave as two
 * segments (MSS 1448 with timestamps: 1448 + 552); the probe at 22 ms
 * resends the newest segment as it was sent (no new data to send): the
 * 552 bytes from seq 1449, as Linux's tcp_send_loss_probe() does (RFC 8985
 * §7.3); then the RTO at 22 + 210 ms. */
static void test_established_tail_loss_probe_flight(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	sim_time t0 = f->now + STEP;
	g_assert_cmpint(user_send(f, t0, 2000), ==, 2000);
	g_assert_cmpuint(n_sent(f), ==, 2);
	g_assert_cmpint(next_deadline(f), ==, t0 + 22 * SIM_MS);
	fire(f, t0 + 22 * SIM_MS);
	g_assert_cmpuint(n_sent(f), ==, 1);
	const struct tcp_seg *s = sent(f, 0);
	g_assert_cmpuint(s->seq, ==, LOCAL_ISS + 1 + 1448); /* the second segment ... */
	g_assert_cmpuint(s->len, ==, 552);                 /* ... exactly as sent */
	g_assert_cmpint(sent_act(f, 0)->why, ==, TCP_SEND_PROBE);
	g_assert_true(sent_act(f, 0)->retransmission);
	g_assert_cmpint(next_deadline(f), ==, t0 + 232 * SIM_MS); /* 22 + 210 */
	fire(f, t0 + 232 * SIM_MS);
	g_assert_cmpuint(n_sent(f), ==, 1);
	g_assert_cmpuint(sent(f, 0)->seq, ==, LOCAL_ISS + 1); /* the RTO: the head */
	g_assert_cmpint(sent_act(f, 0)->why, ==, TCP_SEND_RTO);
}

/* RFC 6298 §5.4-5.6: on expiry retransmit the earliest unacknowledged
 * segment and double the RTO.  SRTT 10 ms, RTTVAR 5 ms: RTO = 10 +
 * max(20, 200) = 210 ms, then 420, 840, 1680, 3360 ms; expiries at 210,
 * 210 + 420 = 630, 630 + 840 = 1470, 1470 + 1680 = 3150 ms. */
static void test_established_rto_backoff(struct fx *f, gconstpointer d)
{
	(void)d;
	f->p.tlp = false;
	to_established(f);
	sim_time t0 = f->now + STEP;
	user_send(f, t0, 100);
	static const sim_time at[] = {210 * SIM_MS, 630 * SIM_MS, 1470 * SIM_MS, 3150 * SIM_MS};
	for (size_t k = 0; k < G_N_ELEMENTS(at) && !g_test_failed(); k++) {
		g_assert_cmpint(next_deadline(f), ==, t0 + at[k]);
		fire(f, t0 + at[k]);
		assert_sent_one(f, TCP_ACK | TCP_PSH, LOCAL_ISS + 1, REMOTE_ISS + 1, 100);
		g_assert_cmpint(sent_act(f, 0)->why, ==, TCP_SEND_RTO);
		g_assert_true(sent_act(f, 0)->retransmission);
		struct tcp_ep_view v;
		view(f, &v);
		g_assert_cmpuint(v.retransmits, ==, k + 1);
		g_assert_cmpint(v.rto, ==, (210 * SIM_MS) << (k + 1));
	}
}

/* RFC 6298 §3 (Karn's algorithm): no RTT sample from the ACK of a
 * retransmitted segment.  Without timestamps, as RFC 7323 would allow one. */
static void test_established_karn(struct fx *f, gconstpointer d)
{
	(void)d;
	f->p.tlp = false;
	f->peer_opts = NO_TS;
	to_established(f);
	sim_time t0 = f->now + STEP;
	user_send(f, t0, 100);
	fire(f, t0 + 210 * SIM_MS); /* RTO = 10 + max(4 x 5, 200) = 210 ms */
	assert_sent_one(f, TCP_ACK | TCP_PSH, LOCAL_ISS + 1, REMOTE_ISS + 1, 100);
	input(f, t0 + 250 * SIM_MS,
	      PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 101));
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpint(v.srtt, ==, RTT); /* still the handshake's sample */
	g_assert_cmpuint(v.retransmits, ==, 0);
	g_assert_cmpint(v.deadline[TCP_TIMER_RTX], ==, SIM_NEVER);
}

/* Linux tcp_write_timeout(): tcp_retries2 15 is a time budget,
 * tcp_model_timeout() = (2^10 - 1) * 200 ms + 6 * 120 s = 924.6 s from the
 * first transmission (always from TCP_RTO_MIN, whatever the path's RTO).
 * The path's RTO: SRTT 10 ms, RTTVAR 5 ms, 10 + max(20, 200) = 210 ms,
 * doubling: 210, 420, ... 107520 ms, then 120 s (TCP_RTO_MAX; 215040 >
 * 120000).  RTOs at 0.21, 0.63, 1.47, 3.15, 6.51, 13.23, 26.67, 53.55,
 * 107.31, 214.83 (+107.52), then every 120 s: 334.83 ... 814.83; the
 * next expiry, 934.83 s (>= 924.6 s), ends it with ETIMEDOUT and no
 * reset (tcp_write_err). */
static void test_established_rto_give_up(struct fx *f, gconstpointer d)
{
	(void)d;
	f->p.tlp = false;
	to_established(f);
	sim_time t0 = f->now + STEP;
	user_send(f, t0, 100);
	static const sim_time at[] = {
		210 * SIM_MS,    630 * SIM_MS,    1470 * SIM_MS,   3150 * SIM_MS,   6510 * SIM_MS,
		13230 * SIM_MS,  26670 * SIM_MS,  53550 * SIM_MS,  107310 * SIM_MS, 214830 * SIM_MS,
		334830 * SIM_MS, 454830 * SIM_MS, 574830 * SIM_MS, 694830 * SIM_MS, 814830 * SIM_MS,
	};
	struct tcp_seg data = {.flags = TCP_ACK | TCP_PSH, .seq = LOCAL_ISS + 1,
	                       .ack = REMOTE_ISS + 1, .len = 100};
	/* 814830 + 120000 = 934830 ms: the first expiry past the 924.6 s budget */
	assert_rtx_schedule(f, t0, at, G_N_ELEMENTS(at), &data, TCP_SEND_RTO, 934830 * SIM_MS,
	                    ETIMEDOUT);
	g_assert_cmpint(user_recv(f, f->now), ==, -ETIMEDOUT);
}

/* Windows: TcpMaxDataRetransmissions 5 counts retransmissions (MinRto
 * 300 ms): RTOs at 0.3, 0.9, 2.1, 4.5, 9.3 s, ETIMEDOUT at 18.9 s.  The
 * peer offers no SACK, so there is no tail loss probe. */
static void test_established_rto_give_up_windows(struct fx *f, gconstpointer d)
{
	(void)d;
	f->peer_opts = TCP_OPT_MSS | TCP_OPT_WSCALE;
	to_established(f);
	sim_time t0 = f->now + STEP;
	user_send(f, t0, 100);
	static const sim_time at[] = {300 * SIM_MS, 900 * SIM_MS, 2100 * SIM_MS, 4500 * SIM_MS,
	                              9300 * SIM_MS};
	struct tcp_seg data = {.flags = TCP_ACK | TCP_PSH, .seq = LOCAL_ISS + 1,
	                       .ack = REMOTE_ISS + 1, .len = 100};
	assert_rtx_schedule(f, t0, at, G_N_ELEMENTS(at), &data, TCP_SEND_RTO, 18900 * SIM_MS,
	                    ETIMEDOUT);
}

/* ===================================================================== */
/* ESTABLISHED: closing, resets, SYNs                                    */
/* ===================================================================== */

/* Fills the window the handshake offered (rcvbuf 8192: 4096 offered)
 * with unread data: 4096 bytes in one segment. */
static void fill_window(struct fx *f)
{
	input(f, f->now + STEP, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1, .len = 4096));
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpuint(v.rcv_wnd, ==, 0);
	if (v.deadline[TCP_TIMER_DELACK] != SIM_NEVER) /* the ACK owed */
		fire(f, v.deadline[TCP_TIMER_DELACK]);
}

/* Linux tcp_data_queue(): a bare FIN in sequence is taken into a shut
 * window (it costs no buffer; it breaks a FIN/ACK loop), and ACKed at
 * once (tcp_try_rmem_schedule() fails: ICSK_ACK_NOW). */
static void test_established_fin_into_zero_window(struct fx *f, gconstpointer d)
{
	(void)d;
	f->p.rcvbuf = 8192;
	to_established(f);
	fill_window(f);
	input(f, f->now + STEP, PEER(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 4097, .ack = LOCAL_ISS + 1));
	assert_states(f, TCP_CLOSE_WAIT);
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 4098, 0);
	g_assert_cmpuint(sent(f, 0)->wnd, ==, 0);
}

/* RFC 9293 §3.10.7.4 (eighth, ESTABLISHED): FIN -> CLOSE-WAIT; a read
 * returns end of file.  Linux tcp_fin() enters pingpong mode, but on a
 * connection that never carried data the delayed-ACK engine's ato is
 * still 0 (tcp_event_data_recv() sets it), so the ACK is due at the next
 * jiffy. */
static void test_established_fin(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	sim_time t = f->now + STEP;
	input(f, t, PEER(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1));
	assert_states(f, TCP_CLOSE_WAIT);
	g_assert_cmpuint(n_sent(f), ==, 0);
	g_assert_cmpint(next_deadline(f), ==, t + 1 * SIM_MS); /* the next jiffy */
	g_assert_cmpint(user_recv(f, t), ==, 0);
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_true(v.eof);
	g_assert_cmpuint(v.rcv_nxt, ==, REMOTE_ISS + 2);
}

/* RFC 9293 §3.10.4 (CLOSE, ESTABLISHED): FIN-WAIT-1, <SEQ=SND.NXT><CTL=FIN,ACK>. */
static void test_established_close(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	g_assert_cmpint(user_close(f, f->now + STEP), ==, 0);
	assert_states(f, TCP_FIN_WAIT_1);
	assert_sent_one(f, TCP_FIN | TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, 0);
	g_assert_cmpint(sent_act(f, 0)->why, ==, TCP_SEND_NEW);
	g_assert_true(tcp_ep_is_orphan(f->ep));
}

/* RFC 9293 §3.10.7.4 (second) with RFC 5961 §3.2: a reset whose sequence
 * number is exactly RCV.NXT closes the connection; the user's next call
 * reports ECONNRESET once (Linux tcp_reset(), sock_error()). */
static void test_established_rst(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	input(f, f->now + STEP, PEER(.flags = TCP_RST | TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1));
	assert_closed(f, ECONNRESET);
	g_assert_cmpuint(n_sent(f), ==, 0);
	g_assert_cmpint(user_recv(f, f->now), ==, -ECONNRESET);
	g_assert_cmpint(user_recv(f, f->now), ==, 0);
}

/* RFC 5961 §3.2: a reset in the window but not at RCV.NXT gets a challenge
 * ACK <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>; the connection stays. */
static void test_established_rst_not_exact(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	input(f, f->now + STEP, PEER(.flags = TCP_RST, .seq = REMOTE_ISS + 101));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, 0);
	assert_no_change(f, TCP_ESTABLISHED);
}

/* RFC 5961 §3.2: a reset outside the window is dropped silently. */
static void test_established_rst_out_of_window(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	input(f, f->now + STEP, PEER(.flags = TCP_RST, .seq = REMOTE_ISS + 10000000));
	g_assert_cmpuint(f->acts.n, ==, 0);
	assert_no_change(f, TCP_ESTABLISHED);
}

/* RFC 5961 §4.2, RFC 9293 §3.10.7.4 (fourth): a SYN in a synchronized state
 * gets a challenge ACK, whatever its sequence number. */
static void test_established_syn(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	input(f, f->now + STEP, PEER(.flags = TCP_SYN, .seq = REMOTE_ISS + 777));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, 0);
	assert_no_change(f, TCP_ESTABLISHED);
}

/* RFC 2525 §2.17, Linux tcp_close(): closing with unread data resets the
 * connection (<SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>) instead of a FIN. */
static void test_established_close_unread(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	input(f, f->now + STEP,
	      PEER(.flags = TCP_ACK | TCP_PSH, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1, .len = 100));
	g_assert_cmpint(user_close(f, f->now + STEP), ==, 0);
	assert_sent_one(f, TCP_RST | TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 101, 0);
	g_assert_cmpint(sent_act(f, 0)->why, ==, TCP_SEND_RST);
	assert_closed(f, 0);
}

/* RFC 9293 §3.10.5 (ABORT, ESTABLISHED): send a reset, go to CLOSED
 * (SO_LINGER with a zero timeout). */
static void test_established_abort(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	g_assert_cmpint(user_abort(f, f->now + STEP), ==, 0);
	assert_sent_one(f, TCP_RST | TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, 0);
	/* through the socket, with its timestamp (Linux tcp_send_active_reset();
	 * RFC 7323 §3.2: SHOULD in an <RST>) */
	g_assert_cmphex(sent(f, 0)->opt.present, ==, TCP_OPT_TS);
	g_assert_cmpuint(sent(f, 0)->opt.tsecr, ==, REMOTE_TSVAL);
	assert_closed(f, 0);
}

static void user_drop(struct fx *f, sim_time at, enum tcp_drop_rule rule)
{
	begin(f, at);
	tcp_ep_drop(f->ep, at, ECONNABORTED, rule, &f->acts);
}

/* Linux tcp_abort() (ss -K) of a connection its user holds: a reset, then
 * CLOSED with ECONNABORTED, which the next read reports once. */
static void test_established_drop(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	user_drop(f, f->now + STEP, TCP_DROP_ABORT);
	assert_sent_one(f, TCP_RST | TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, 0);
	assert_closed(f, ECONNABORTED);
	g_assert_false(tcp_ep_is_orphan(f->ep));
	g_assert_cmpint(user_recv(f, f->now + STEP), ==, -ECONNABORTED);
	g_assert_cmpint(user_recv(f, f->now + STEP), ==, 0);
}

/* In LAST_ACK Linux's tcp_abort() sends no reset (not a tcp_need_reset()
 * state, RFC 9293 §3.10.5); FreeBSD's tcp_drop() does (TCPS_HAVERCVDSYN). */
static void test_last_ack_drop(struct fx *f, gconstpointer d)
{
	(void)d;
	to_last_ack(f);
	user_drop(f, f->now + STEP, TCP_DROP_ABORT);
	g_assert_cmpuint(n_sent(f), ==, 0);
	assert_closed(f, ECONNABORTED);
}

static void test_last_ack_drop_bsd(struct fx *f, gconstpointer d)
{
	(void)d;
	to_last_ack(f);
	user_drop(f, f->now + STEP, TCP_DROP_BSD);
	g_assert_cmpuint(n_sent(f), ==, 1);
	g_assert_cmpuint(sent(f, 0)->flags, ==, TCP_RST | TCP_ACK);
	assert_closed(f, ECONNABORTED);
}

/* A TIME_WAIT connection killed goes without a packet or an error. */
static void test_time_wait_drop(struct fx *f, gconstpointer d)
{
	(void)d;
	to_time_wait(f);
	user_drop(f, f->now + STEP, TCP_DROP_BSD);
	g_assert_cmpuint(n_sent(f), ==, 0);
	assert_closed(f, 0);
}

/* A child not yet accepted is a request socket to Linux: dropped silently. */
static void test_syn_rcvd_drop_silent(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_rcvd(f);
	user_drop(f, f->now + STEP, TCP_DROP_SILENT);
	g_assert_cmpuint(n_sent(f), ==, 0);
	assert_closed(f, ECONNABORTED);
}

/* ===================================================================== */
/* FIN_WAIT_1, FIN_WAIT_2                                                */
/* ===================================================================== */

/* RFC 9293 §3.10.7.4 (fifth, FIN-WAIT-1): "if the FIN segment is now
 * acknowledged, then enter FIN-WAIT-2"; Linux arms the orphan's
 * tcp_fin_timeout (60 s) from this moment. */
static void test_fin_wait_1_ack(struct fx *f, gconstpointer d)
{
	(void)d;
	to_fin_wait_1(f);
	sim_time t = f->now + RTT;
	input(f, t, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 2));
	assert_states(f, TCP_FIN_WAIT_2);
	g_assert_cmpuint(n_sent(f), ==, 0);
	g_assert_cmpint(next_deadline(f), ==, t + 60 * SIM_SEC);
}

/* RFC 9293 §3.10.7.4 (eighth, FIN-WAIT-1, our FIN not yet ACKed): CLOSING,
 * and the FIN is acknowledged at once (Linux tcp_fin()). */
static void test_fin_wait_1_fin(struct fx *f, gconstpointer d)
{
	(void)d;
	to_closing(f);
}

/* RFC 9293 §3.10.7.4 (eighth, FIN-WAIT-1): "If our FIN has been ACKed
 * (perhaps in this segment), then enter TIME-WAIT": one segment with the
 * peer's FIN and the ACK of ours goes straight to TIME_WAIT. */
static void test_fin_wait_1_fin_ack(struct fx *f, gconstpointer d)
{
	(void)d;
	to_fin_wait_1(f);
	sim_time t = f->now + RTT;
	input(f, t, PEER(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 2));
	assert_states(f, TCP_TIME_WAIT);
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 2, REMOTE_ISS + 2, 0);
	g_assert_cmpint(next_deadline(f), ==, t + 60 * SIM_SEC);
}

/* RFC 9293 §3.10.7.4 (eighth, FIN-WAIT-2): ACK the FIN, enter TIME-WAIT
 * and start the 2 MSL timer (Linux TCP_TIMEWAIT_LEN, 60 s). */
static void test_fin_wait_2_fin(struct fx *f, gconstpointer d)
{
	(void)d;
	to_fin_wait_2(f);
	sim_time t = f->now + STEP;
	input(f, t, PEER(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 2));
	assert_states(f, TCP_TIME_WAIT);
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 2, REMOTE_ISS + 2, 0);
	g_assert_cmpint(next_deadline(f), ==, t + 60 * SIM_SEC);
}

/* Linux tcp_fin_timeout: an orphaned FIN_WAIT_2 goes away 60 s after it
 * was entered, silently (no segment). */
static void test_fin_wait_2_orphan_timeout(struct fx *f, gconstpointer d)
{
	(void)d;
	to_fin_wait_2(f);
	sim_time t = f->now;
	g_assert_cmpint(next_deadline(f), ==, t + 60 * SIM_SEC);
	fire(f, t + 60 * SIM_SEC - 1);
	g_assert_cmpuint(f->acts.n, ==, 0);
	fire(f, t + 60 * SIM_SEC);
	g_assert_cmpuint(n_sent(f), ==, 0);
	assert_closed(f, 0);
}

/* RFC 1122 §4.2.2.13 ("if new data is received after CLOSE is called, its
 * TCP SHOULD send a RST to show that data was lost"); Linux
 * tcp_timewait_state_process() (FIN_WAIT2 substate: TCP_TW_RST) and
 * tcp_rcv_state_process() (RCV_SHUTDOWN: tcp_reset): data reaching an
 * orphaned FIN_WAIT_2 is answered with <SEQ=SEG.ACK><CTL=RST> and the
 * connection is gone. */
static void test_fin_wait_2_data_after_close(struct fx *f, gconstpointer d)
{
	(void)d;
	to_fin_wait_2(f);
	input(f, f->now + STEP,
	      PEER(.flags = TCP_ACK | TCP_PSH, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 2, .len = 100));
	g_assert_cmpuint(n_sent(f), ==, 1);
	g_assert_true(sent(f, 0)->flags & TCP_RST);
	g_assert_cmpuint(sent(f, 0)->seq, ==, LOCAL_ISS + 2);
	assert_states(f, TCP_CLOSED);
}

/* RFC 9293 §3.10.7.4: FIN-WAIT-2 waits for the peer's FIN as long as the
 * user holds the socket (shutdown, not close): no timer at all. */
static void test_fin_wait_2_not_orphan(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	g_assert_cmpint(user_shutdown(f, f->now + STEP), ==, 0);
	assert_states(f, TCP_FIN_WAIT_1);
	assert_sent_one(f, TCP_FIN | TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, 0);
	input(f, f->now + RTT, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 2));
	assert_states(f, TCP_FIN_WAIT_2);
	g_assert_false(tcp_ep_is_orphan(f->ep));
	g_assert_cmpint(next_deadline(f), ==, SIM_NEVER);
}

/* ===================================================================== */
/* CLOSE_WAIT, CLOSING, LAST_ACK                                         */
/* ===================================================================== */

/* RFC 9293 §3.10.4 (CLOSE, CLOSE-WAIT): send a FIN, enter LAST-ACK; the
 * pending ACK rides on it. */
static void test_close_wait_close(struct fx *f, gconstpointer d)
{
	(void)d;
	to_last_ack(f);
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpint(v.deadline[TCP_TIMER_DELACK], ==, SIM_NEVER);
}

/* Linux tcp_delack_timer: once data has come (ato = TCP_ATO_MIN), when
 * the application does not answer the FIN, the ACK goes alone 40 ms after
 * it. */
static void test_close_wait_delayed_ack(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	input(f, f->now + STEP, PEER(.flags = TCP_ACK | TCP_PSH, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1,
	                             .len = 100));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 101, 0); /* a quick ACK */
	sim_time t = f->now + STEP;
	input(f, t, PEER(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 101, .ack = LOCAL_ISS + 1));
	assert_states(f, TCP_CLOSE_WAIT);
	g_assert_cmpuint(n_sent(f), ==, 0);
	g_assert_cmpint(next_deadline(f), ==, t + 40 * SIM_MS);
	fire(f, t + 40 * SIM_MS);
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 102, 0);
	assert_no_change(f, TCP_CLOSE_WAIT);
	g_assert_cmpint(next_deadline(f), ==, SIM_NEVER);
}

/* Linux tcp_reset(): a reset in CLOSE_WAIT reports EPIPE. */
static void test_close_wait_rst(struct fx *f, gconstpointer d)
{
	(void)d;
	to_close_wait(f);
	input(f, f->now + STEP, PEER(.flags = TCP_RST, .seq = REMOTE_ISS + 2));
	assert_closed(f, EPIPE);
}

/* RFC 9293 §3.10.7.4 (fifth, CLOSING): "if the ACK acknowledges our FIN,
 * then enter the TIME-WAIT state". */
static void test_closing_ack(struct fx *f, gconstpointer d)
{
	(void)d;
	to_closing(f);
	sim_time t = f->now + RTT;
	input(f, t, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 2, .ack = LOCAL_ISS + 2));
	assert_states(f, TCP_TIME_WAIT);
	g_assert_cmpuint(n_sent(f), ==, 0);
	g_assert_cmpint(next_deadline(f), ==, t + 60 * SIM_SEC);
}

/* Simultaneous close where our ACK of the peer's FIN was lost: the peer
 * retransmits its FIN, now acknowledging ours.  The segment is a duplicate
 * (it ends at RCV.NXT) but not older than RCV.WUP, our RCV.NXT when we last
 * sent: Linux's tcp_sequence() and BSD's tcp_input() accept it and read
 * its ACK field, which ends CLOSING (Linux: tcp_time_wait(), the segment
 * consumed without an answer).  The RFC's strict test would drop it and
 * its ACK with it, and both ends would retransmit FINs until they time out. */
static void test_closing_duplicate_fin_acks_ours(struct fx *f, gconstpointer d)
{
	(void)d;
	to_closing(f);
	sim_time t = f->now + 300 * SIM_MS;
	input(f, t, PEER(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 2));
	assert_states(f, TCP_TIME_WAIT);
	g_assert_cmpuint(n_sent(f), ==, 0);
	g_assert_cmpint(next_deadline(f), ==, t + 60 * SIM_SEC);
}

/* A segment older than RCV.WUP (it ends before our last ACK's RCV.NXT)
 * stays unacceptable: it is answered with an ACK and its ACK field is not
 * read (Linux tcp_sequence(): SKB_DROP_REASON_TCP_OLD_SEQUENCE). */
static void test_established_older_than_rcv_wup(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	input(f, f->now + STEP, PEER(.flags = TCP_ACK | TCP_PSH, .seq = REMOTE_ISS + 1,
	                             .ack = LOCAL_ISS + 1, .len = 100));
	user_send(f, f->now + STEP, 100); /* our data carries the ACK: RCV.WUP moves */
	g_assert_cmpuint(n_sent(f), ==, 1);
	/* the peer's first 50 bytes again, claiming to acknowledge our data */
	input(f, f->now + STEP, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1,
	                             .ack = LOCAL_ISS + 101, .len = 50));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 101, REMOTE_ISS + 101, 0);
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpuint(v.snd_una, ==, LOCAL_ISS + 1); /* the ACK field was not read */
}

/* RFC 9293 §3.10.7.4 (fifth, LAST-ACK): "if our FIN is now acknowledged,
 * delete the TCB, enter the CLOSED state". */
static void test_last_ack_ack(struct fx *f, gconstpointer d)
{
	(void)d;
	to_last_ack(f);
	input(f, f->now + RTT, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 2, .ack = LOCAL_ISS + 2));
	g_assert_cmpuint(n_sent(f), ==, 0);
	assert_closed(f, 0);
}

/* RFC 9293 §3.10.7.4 (fifth, LAST-ACK): an ACK that covers our data but not
 * our FIN leaves the connection in LAST-ACK. */
static void test_last_ack_ack_before_fin(struct fx *f, gconstpointer d)
{
	(void)d;
	to_close_wait(f);
	user_send(f, f->now + STEP, 100);
	assert_sent_one(f, TCP_ACK | TCP_PSH, LOCAL_ISS + 1, REMOTE_ISS + 2, 100);
	user_close(f, f->now + STEP);
	assert_states(f, TCP_LAST_ACK);
	assert_sent_one(f, TCP_FIN | TCP_ACK, LOCAL_ISS + 101, REMOTE_ISS + 2, 0);
	input(f, f->now + RTT, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 2, .ack = LOCAL_ISS + 101));
	assert_no_change(f, TCP_LAST_ACK);
	input(f, f->now + STEP, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 2, .ack = LOCAL_ISS + 102));
	assert_closed(f, 0);
}

/* The FIN of an orphan on a short path (RTT 2 ms: SRTT 2 ms, RTTVAR 1 ms,
 * RTO = 2 + max(4 x 1, 200) = 202 ms): a tail loss probe at
 * min(2 x 2 + 200, 202) = 202 ms (RFC 8985, Linux tcp_schedule_loss_probe:
 * min(2 SRTT + rto_min, RTO)), the RTO one RTO later (+404 ms), then RTOs
 * doubling (RFC 6298 §5.5): +0.808, +1.616, ... +51.712 s from the FIN;
 * Linux tcp_orphan_retries (8) as a time budget, (2^9 - 1) * 200 ms =
 * 102.2 s, is spent at the expiry at 51.712 + 51.712 = +103.424 s: CLOSED,
 * ETIMEDOUT. */
static void test_last_ack_fin_rto_schedule(struct fx *f, gconstpointer d)
{
	(void)d;
	f->rtt = 2 * SIM_MS;
	to_last_ack(f);
	sim_time t_fin = f->now;
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpint(v.srtt, ==, 2 * SIM_MS);
	g_assert_cmpint(v.rto, ==, 202 * SIM_MS); /* 2 + max(4 x 1, 200) */
	static const sim_time at[] = {202 * SIM_MS,   404 * SIM_MS,   808 * SIM_MS,
	                              1616 * SIM_MS,  3232 * SIM_MS,  6464 * SIM_MS,
	                              12928 * SIM_MS, 25856 * SIM_MS, 51712 * SIM_MS};
	/* the shape: each RTO waits twice as long as the one before */
	for (size_t k = 3; k < G_N_ELEMENTS(at); k++)
		g_assert_cmpint(at[k] - at[k - 1], ==, 2 * (at[k - 1] - at[k - 2]));
	struct tcp_seg fin = {.flags = TCP_FIN | TCP_ACK, .seq = LOCAL_ISS + 1, .ack = REMOTE_ISS + 2};
	assert_rtx_schedule(f, t_fin, at, G_N_ELEMENTS(at), &fin, TCP_SEND_PROBE,
	                    103424 * SIM_MS, ETIMEDOUT);
}

/* RFC 9293 §3.10.7.4 (second, LAST-ACK): a reset closes (Linux tcp_reset:
 * ECONNRESET). */
static void test_last_ack_rst(struct fx *f, gconstpointer d)
{
	(void)d;
	to_last_ack(f);
	input(f, f->now + RTT, PEER(.flags = TCP_RST, .seq = REMOTE_ISS + 2));
	g_assert_cmpuint(n_sent(f), ==, 0);
	assert_closed(f, ECONNRESET);
}

/* ===================================================================== */
/* TIME_WAIT                                                             */
/* ===================================================================== */

/* RFC 9293 §3.10.7.4 (eighth, TIME-WAIT): "The only thing that can arrive
 * in this state is a retransmission of the remote FIN.  Acknowledge it, and
 * restart the 2 MSL timeout."  (Linux tcp_timewait_state_process.) */
static void test_time_wait_fin_retransmit(struct fx *f, gconstpointer d)
{
	(void)d;
	to_time_wait(f);
	sim_time t = f->now + 10 * SIM_SEC;
	input(f, t, PEER(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 2));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 2, REMOTE_ISS + 2, 0);
	assert_no_change(f, TCP_TIME_WAIT);
	g_assert_cmpint(next_deadline(f), ==, t + 60 * SIM_SEC);
}

/* Linux tcp_twsk_unique(): with tcp_tw_reuse = 1 a new connection may
 * take a TIME_WAIT tuple that used timestamps once more than
 * tw_reuse_delay has passed, in whole milliseconds; not with 2 (loopback
 * only), not without timestamps, not from another state. */
static void test_time_wait_reusable(struct fx *f, gconstpointer d)
{
	(void)d;
	to_time_wait(f);
	sim_time since = f->now;
	struct tcp_params p = f->p;
	p.tw_reuse = 1;
	p.tw_reuse_delay = 1000 * SIM_MS;
	g_assert_false(tcp_ep_time_wait_reusable(f->ep, &p, since + 1000 * SIM_MS));
	g_assert_false(tcp_ep_time_wait_reusable(f->ep, &p, since + 1000 * SIM_MS + 999 * SIM_US));
	g_assert_true(tcp_ep_time_wait_reusable(f->ep, &p, since + 1001 * SIM_MS));
	p.tw_reuse = 2;
	g_assert_false(tcp_ep_time_wait_reusable(f->ep, &p, since + 10 * SIM_SEC));
}

static void test_time_wait_reusable_no_ts(struct fx *f, gconstpointer d)
{
	(void)d;
	f->peer_opts = NO_TS;
	to_time_wait(f);
	struct tcp_params p = f->p;
	p.tw_reuse = 1;
	g_assert_false(tcp_ep_time_wait_reusable(f->ep, &p, f->now + 10 * SIM_SEC));
}

/* ... and the new connection starts beyond the old one's sequence space
 * (write_seq = tw_snd_nxt + 65535 + 2) and echoes its TS.Recent in the SYN. */
static void test_time_wait_followed(struct fx *f, gconstpointer d)
{
	(void)d;
	to_time_wait(f);
	struct tcp_ep *next = tcp_ep_new(NULL, &f->p, LOCAL_ADDR, LOCAL_PORT, REMOTE_ADDR, REMOTE_PORT, 12345,
	                                 TS_OFFSET);
	tcp_ep_follow_time_wait(next, f->ep);
	struct tcp_acts acts;
	tcp_acts_init(&acts);
	g_assert_cmpint(tcp_ep_connect(next, f->now + SIM_SEC, &acts), ==, -EINPROGRESS);
	const struct tcp_seg *syn = NULL;
	for (uint32_t i = 0; i < acts.n && !syn; i++)
		if (acts.v[i].kind == TCP_ACT_SEND)
			syn = &acts.v[i].seg;
	g_assert_nonnull(syn);
	g_assert_cmpuint(syn->seq, ==, LOCAL_ISS + 2 + 65535 + 2);
	g_assert_cmpuint(syn->opt.tsecr, ==, REMOTE_TSVAL);
	/* tcp_connect_init(): with ts_recent_stamp set, segments less the
	 * timestamps make the window */
	g_assert_cmpuint(syn->wnd, ==, SYNACK_WND);
	tcp_acts_clear(&acts);
	tcp_ep_free(next);
}

/* RFC 9293 §3.10.8 (timeouts): when the time-wait timeout expires, delete
 * the TCB: exactly 2 MSL (Linux 60 s) after entering, silently. */
static void test_time_wait_expiry(struct fx *f, gconstpointer d)
{
	(void)d;
	to_time_wait(f);
	sim_time t = f->now;
	g_assert_cmpint(next_deadline(f), ==, t + 60 * SIM_SEC);
	fire(f, t + 60 * SIM_SEC - 1);
	g_assert_cmpuint(f->acts.n, ==, 0);
	fire(f, t + 60 * SIM_SEC);
	g_assert_cmpuint(n_sent(f), ==, 0);
	assert_closed(f, 0);
}

/* Linux tcp_timewait_state_process() with tcp_rfc1337 = 0: a reset at
 * RCV.NXT kills the TIME_WAIT (RFC 1337 hazard 1 is accepted). */
static void test_time_wait_rst(struct fx *f, gconstpointer d)
{
	(void)d;
	to_time_wait(f);
	input(f, f->now + SIM_SEC, PEER(.flags = TCP_RST, .seq = REMOTE_ISS + 2));
	g_assert_cmpuint(n_sent(f), ==, 0);
	assert_closed(f, 0);
}

/* A reset that is not at RCV.NXT is ignored in TIME_WAIT. */
static void test_time_wait_rst_not_exact(struct fx *f, gconstpointer d)
{
	(void)d;
	to_time_wait(f);
	sim_time entered = f->now;
	input(f, f->now + SIM_SEC, PEER(.flags = TCP_RST, .seq = REMOTE_ISS + 50));
	g_assert_cmpuint(f->acts.n, ==, 0);
	assert_no_change(f, TCP_TIME_WAIT);
	g_assert_cmpint(next_deadline(f), ==, entered + 60 * SIM_SEC);
}

/* A peer segment with its own timestamp (PEER() gives every one REMOTE_TSVAL). */
static struct tcp_seg with_tsval(struct tcp_seg s, uint32_t tsval)
{
	s.opt.present |= TCP_OPT_TS;
	s.opt.tsval = tsval;
	return s;
}

/* Linux tcp_timewait_state_process(): a FIN retransmitted into TIME_WAIT
 * is out of window, so it never moves tw_ts_recent: the ACK that answers it
 * echoes the timestamp of the FIN that began TIME_WAIT, not its own
 * (measured on Linux 6.18), and so does the next one. */
static void test_time_wait_fin_echoes_first_ts(struct fx *f, gconstpointer d)
{
	(void)d;
	to_time_wait(f);
	for (uint32_t i = 1; i <= 2; i++) {
		input(f, f->now + 10 * SIM_SEC,
		      with_tsval(PEER(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 2),
		                 REMOTE_TSVAL + i * 10000));
		assert_sent_one(f, TCP_ACK, LOCAL_ISS + 2, REMOTE_ISS + 2, 0);
		g_assert_true(sent(f, 0)->opt.present & TCP_OPT_TS);
		g_assert_cmpuint(sent(f, 0)->opt.tsecr, ==, REMOTE_TSVAL);
	}
}

/* Which segments Linux sends without the connection's own socket (the
 * world gives them IP ID 0, ip_select_ident()): a listener child's SYN-ACK
 * (ip_build_and_send_pkt()), TIME_WAIT's answers (tcp_v4_timewait_ack());
 * not the ACK of the FIN that began TIME_WAIT (tcp_fin() sends it before
 * tcp_time_wait()), nor an established connection's segments. */
static void test_ctl_sock_segments(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_rcvd(f);
	g_assert_true(sent_act(f, 0)->ctl_sock);
	input(f, f->now + f->rtt, PEER(.flags = TCP_ACK, .seq = f->peer_iss + 1, .ack = f->iss + 1));
	assert_states(f, TCP_ESTABLISHED);
	user_shutdown(f, f->now + STEP); /* not close(): an orphan's FIN_WAIT_2 is a timewait socket */
	assert_sent_one(f, TCP_FIN | TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, 0);
	g_assert_false(sent_act(f, 0)->ctl_sock);
	input(f, f->now + f->rtt, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 2));
	input(f, f->now + STEP, PEER(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 2));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 2, REMOTE_ISS + 2, 0);
	g_assert_false(sent_act(f, 0)->ctl_sock);
	input(f, f->now + SIM_SEC, PEER(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 2));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 2, REMOTE_ISS + 2, 0);
	g_assert_true(sent_act(f, 0)->ctl_sock);
	f->p.ctl_sock_id_zero = false; /* a profile without the rule */
	input(f, f->now + SIM_SEC, PEER(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 2));
	g_assert_false(sent_act(f, 0)->ctl_sock);
}

/* ... while an in-window bare ACK that PAWS lets through does move it
 * (silently, restarting 2*MSL), and the next answer echoes that ACK. */
static void test_time_wait_bare_ack_moves_ts(struct fx *f, gconstpointer d)
{
	(void)d;
	to_time_wait(f);
	sim_time t = f->now + 5 * SIM_SEC;
	input(f, t, with_tsval(PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 2, .ack = LOCAL_ISS + 2),
	                       REMOTE_TSVAL + 5000));
	g_assert_cmpuint(f->acts.n, ==, 0);
	g_assert_cmpint(next_deadline(f), ==, t + 60 * SIM_SEC);
	input(f, f->now + SIM_SEC,
	      with_tsval(PEER(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 2),
	                 REMOTE_TSVAL + 6000));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 2, REMOTE_ISS + 2, 0);
	g_assert_cmpuint(sent(f, 0)->opt.tsecr, ==, REMOTE_TSVAL + 5000);
}

/* RFC 7323 §5, Linux tcp_paws_reject() in tcp_timewait_state_process(): a
 * bare ACK at RCV.NXT whose timestamp is older than TS.Recent is not the
 * in-window ACK that is absorbed: it is answered with an ACK (which still
 * echoes TS.Recent), 2*MSL restarts, and TS.Recent never moves back. */
static void test_time_wait_paws_ack(struct fx *f, gconstpointer d)
{
	(void)d;
	to_time_wait(f);
	sim_time t = f->now + 2 * SIM_SEC;
	input(f, t, with_tsval(PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 2, .ack = LOCAL_ISS + 2),
	                       REMOTE_TSVAL - 1));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 2, REMOTE_ISS + 2, 0);
	g_assert_cmpuint(sent(f, 0)->opt.tsecr, ==, REMOTE_TSVAL);
	assert_no_change(f, TCP_TIME_WAIT);
	g_assert_cmpint(next_deadline(f), ==, t + 60 * SIM_SEC);
	/* a retransmitted FIN from the past too: answered, TS.Recent kept */
	input(f, f->now + SIM_SEC,
	      with_tsval(PEER(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 2),
	                 REMOTE_TSVAL - 100));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 2, REMOTE_ISS + 2, 0);
	g_assert_cmpuint(sent(f, 0)->opt.tsecr, ==, REMOTE_TSVAL);
}

/* tcp_paws_reject(): a reset at RCV.NXT from the past does not kill
 * TIME_WAIT (nor is it answered) ... unless TS.Recent is TCP_PAWS_MSL
 * (60 s) old, here after a FIN retransmitted at 30 s kept TIME_WAIT going
 * without moving TS.Recent. */
static void test_time_wait_paws_rst(struct fx *f, gconstpointer d)
{
	(void)d;
	to_time_wait(f);
	sim_time entered = f->now;
	input(f, entered + SIM_SEC,
	      with_tsval(PEER(.flags = TCP_RST, .seq = REMOTE_ISS + 2), REMOTE_TSVAL - 1));
	g_assert_cmpuint(f->acts.n, ==, 0);
	input(f, entered + 30 * SIM_SEC,
	      PEER(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 2));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 2, REMOTE_ISS + 2, 0);
	input(f, entered + 59 * SIM_SEC,
	      with_tsval(PEER(.flags = TCP_RST, .seq = REMOTE_ISS + 2), REMOTE_TSVAL - 1));
	g_assert_cmpuint(f->acts.n, ==, 0);
	input(f, entered + 61 * SIM_SEC,
	      with_tsval(PEER(.flags = TCP_RST, .seq = REMOTE_ISS + 2), REMOTE_TSVAL - 1));
	g_assert_cmpuint(n_sent(f), ==, 0);
	assert_closed(f, 0);
}

/* TCP_TW_SYN: a bare SYN reopens the tuple when PAWS lets it through and
 * it lies beyond RCV.NXT or carries a newer timestamp; an older timestamp
 * keeps TIME_WAIT whatever the sequence number, and so does any ACK. */
static void test_time_wait_takes_syn(struct fx *f, gconstpointer d)
{
	(void)d;
	to_time_wait(f);
	sim_time t = f->now + SIM_SEC;
	struct tcp_seg above = with_tsval(PEER(.flags = TCP_SYN, .seq = REMOTE_ISS + 100000), REMOTE_TSVAL + 1);
	struct tcp_seg below = with_tsval(PEER(.flags = TCP_SYN, .seq = REMOTE_ISS - 100000), REMOTE_TSVAL + 1);
	g_assert_true(tcp_ep_time_wait_takes_syn(f->ep, t, &above));
	g_assert_true(tcp_ep_time_wait_takes_syn(f->ep, t, &below));
	above.opt.tsval = below.opt.tsval = REMOTE_TSVAL - 1;
	g_assert_false(tcp_ep_time_wait_takes_syn(f->ep, t, &above));
	g_assert_false(tcp_ep_time_wait_takes_syn(f->ep, t, &below));
	above.opt.tsval = REMOTE_TSVAL + 1;
	above.flags |= TCP_ACK;
	g_assert_false(tcp_ep_time_wait_takes_syn(f->ep, t, &above));
}

/* time_wait = 0 (no TIME_WAIT, like a stack that recycles at once): the
 * endpoint passes through TIME_WAIT to CLOSED in the same step. */
static void test_time_wait_zero(struct fx *f, gconstpointer d)
{
	(void)d;
	f->p.time_wait = 0;
	to_fin_wait_2(f);
	input(f, f->now + STEP,
	      PEER(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 2));
	assert_states(f, TCP_TIME_WAIT, TCP_CLOSED);
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 2, REMOTE_ISS + 2, 0);
	g_assert_cmpint(next_deadline(f), ==, SIM_NEVER);
}

/* ===================================================================== */
/* tcp_reset_for: segments that match no connection                      */
/* ===================================================================== */

/* RFC 9293 §3.10.7.1: "If the incoming segment has the ACK bit set, the
 * reset takes its sequence number from the ACK field of the segment"
 * <SEQ=SEG.ACK><CTL=RST>. */
static void test_reset_for_ack(struct fx *f, gconstpointer d)
{
	(void)d;
	struct tcp_seg in = PEER(.flags = TCP_ACK | TCP_PSH, .seq = 7000, .ack = 3000, .len = 10);
	struct tcp_seg rst;
	g_assert_true(tcp_reset_for(&in, 64, &rst));
	assert_seg(&rst, TCP_RST, 3000, 0, 0);
}

/* RFC 9293 §3.10.7.1: "otherwise, the reset has sequence number zero and
 * the ACK field is set to the sum of the sequence number and segment length
 * of the incoming segment" <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>; a
 * SYN counts one. */
static void test_reset_for_syn(struct fx *f, gconstpointer d)
{
	(void)d;
	struct tcp_seg in = PEER(.flags = TCP_SYN, .seq = REMOTE_ISS);
	struct tcp_seg rst;
	g_assert_true(tcp_reset_for(&in, 64, &rst));
	assert_seg(&rst, TCP_RST | TCP_ACK, 0, REMOTE_ISS + 1, 0);
}

/* The same for data and a FIN without ACK: the FIN counts one. */
static void test_reset_for_data_fin(struct fx *f, gconstpointer d)
{
	(void)d;
	struct tcp_seg in = PEER(.flags = TCP_FIN | TCP_PSH, .seq = 7000, .len = 10);
	struct tcp_seg rst;
	g_assert_true(tcp_reset_for(&in, 64, &rst));
	assert_seg(&rst, TCP_RST | TCP_ACK, 0, 7011, 0);
}

/* RFC 9293 §3.10.7.1: "An incoming segment containing a RST is discarded." */
static void test_reset_for_rst(struct fx *f, gconstpointer d)
{
	(void)d;
	struct tcp_seg in = PEER(.flags = TCP_RST | TCP_ACK, .seq = 7000, .ack = 3000);
	struct tcp_seg rst;
	g_assert_false(tcp_reset_for(&in, 64, &rst));
}

/* ===================================================================== */
/* Sequence numbers near the wrap                                        */
/* ===================================================================== */

/* RFC 9293 §3.4: comparisons are modulo 2^32. */
static void test_seq_compare(struct fx *f, gconstpointer d)
{
	(void)f;
	(void)d;
	g_assert_true(seq_lt(0xfffffff0u, 0x10u));
	g_assert_true(seq_gt(0x10u, 0xfffffff0u));
	g_assert_true(seq_le(0xffffffffu, 0u));
	g_assert_true(seq_ge(0u, 0xffffffffu));
	g_assert_true(seq_in(0x5u, 0xfffffff0u, 0x10u));
	g_assert_true(seq_in(0xfffffff0u, 0xfffffff0u, 0x10u));
	g_assert_false(seq_in(0x10u, 0xfffffff0u, 0x10u));
	g_assert_cmphex(seq_max(0xfffffff0u, 0x10u), ==, 0x10u);
	g_assert_cmphex(seq_min(0xfffffff0u, 0x10u), ==, 0xfffffff0u);
	g_assert_cmpint(seq_diff(0x10u, 0xfffffff0u), ==, 0x20);
}

/* ISS = 2^32 - 1: the SYN takes the last number, the SYN-ACK acknowledges 0. */
static void test_seq_syn_at_wrap(struct fx *f, gconstpointer d)
{
	(void)d;
	f->iss = 0xffffffffu;
	to_established(f);
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmphex(v.snd_una, ==, 0);
	g_assert_cmphex(v.snd_nxt, ==, 0);
}

/* Data that crosses the wrap on the way out, and its ACK. */
static void test_seq_send_across_wrap(struct fx *f, gconstpointer d)
{
	(void)d;
	f->iss = 0xfffffff0u;
	to_established(f);
	user_send(f, f->now + STEP, 100);
	assert_sent_one(f, TCP_ACK | TCP_PSH, 0xfffffff1u, REMOTE_ISS + 1, 100);
	input(f, f->now + RTT, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1, .ack = 0x55u));
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmphex(v.snd_una, ==, 0x55u);
	g_assert_cmphex(v.snd_nxt, ==, 0x55u);
	g_assert_cmpint(v.deadline[TCP_TIMER_RTX], ==, SIM_NEVER);
}

/* Data that crosses the wrap on the way in: in window, delivered, ACKed. */
static void test_seq_receive_across_wrap(struct fx *f, gconstpointer d)
{
	(void)d;
	f->peer_iss = 0xfffffff0u;
	to_established(f);
	input(f, f->now + STEP,
	      PEER(.flags = TCP_ACK | TCP_PSH, .seq = 0xfffffff1u, .ack = LOCAL_ISS + 1, .len = 100));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, 0x55u, 0);
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpuint(v.readable, ==, 100);
	/* and a FIN right after the wrap */
	input(f, f->now + STEP, PEER(.flags = TCP_FIN | TCP_ACK, .seq = 0x55u, .ack = LOCAL_ISS + 1));
	assert_states(f, TCP_CLOSE_WAIT);
	view(f, &v);
	g_assert_cmphex(v.rcv_nxt, ==, 0x56u);
}

/* ===================================================================== */
/* Views of the states the builders reach                                */
/* ===================================================================== */

static void test_view_syn_sent(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_sent(f);
	assert_view(f, &(struct want){.state = TCP_SYN_SENT, .snd_una = LOCAL_ISS,
	                              .snd_nxt = LOCAL_ISS + 1, .armed = TIMER(RTX)});
}

static void test_view_syn_rcvd(struct fx *f, gconstpointer d)
{
	(void)d;
	to_syn_rcvd(f);
	assert_view(f, &(struct want){.state = TCP_SYN_RCVD, .snd_una = LOCAL_ISS,
	                              .snd_nxt = LOCAL_ISS + 1, .rcv_nxt = REMOTE_ISS + 1,
	                              .armed = TIMER(RTX)});
}

static void test_view_established(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	assert_view(f, &(struct want){.state = TCP_ESTABLISHED, .snd_una = LOCAL_ISS + 1,
	                              .snd_nxt = LOCAL_ISS + 1, .rcv_nxt = REMOTE_ISS + 1});
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpuint(v.snd_wnd, ==, REMOTE_WND); /* the SYN-ACK's window is not scaled */
	g_assert_cmpuint(v.rcv_wnd, ==, 65536);
}

static void test_view_established_passive(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established_passive(f);
	assert_view(f, &(struct want){.state = TCP_ESTABLISHED, .snd_una = LOCAL_ISS + 1,
	                              .snd_nxt = LOCAL_ISS + 1, .rcv_nxt = REMOTE_ISS + 1});
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpuint(v.snd_wnd, ==, REMOTE_WND << REMOTE_WSCALE);
}

static void test_view_fin_wait_1(struct fx *f, gconstpointer d)
{
	(void)d;
	to_fin_wait_1(f);
	assert_view(f, &(struct want){.state = TCP_FIN_WAIT_1, .snd_una = LOCAL_ISS + 1,
	                              .snd_nxt = LOCAL_ISS + 2, .rcv_nxt = REMOTE_ISS + 1,
	                              .orphan = true, .armed = TIMER(RTX)});
}

static void test_view_fin_wait_2(struct fx *f, gconstpointer d)
{
	(void)d;
	to_fin_wait_2(f);
	assert_view(f, &(struct want){.state = TCP_FIN_WAIT_2, .snd_una = LOCAL_ISS + 2,
	                              .snd_nxt = LOCAL_ISS + 2, .rcv_nxt = REMOTE_ISS + 1,
	                              .orphan = true, .armed = TIMER(FIN_WAIT_2)});
}

static void test_view_time_wait(struct fx *f, gconstpointer d)
{
	(void)d;
	to_time_wait(f);
	assert_view(f, &(struct want){.state = TCP_TIME_WAIT, .snd_una = LOCAL_ISS + 2,
	                              .snd_nxt = LOCAL_ISS + 2, .rcv_nxt = REMOTE_ISS + 2,
	                              .orphan = true, .eof = true, .armed = TIMER(TIME_WAIT)});
}

static void test_view_closing(struct fx *f, gconstpointer d)
{
	(void)d;
	to_closing(f);
	assert_view(f, &(struct want){.state = TCP_CLOSING, .snd_una = LOCAL_ISS + 1,
	                              .snd_nxt = LOCAL_ISS + 2, .rcv_nxt = REMOTE_ISS + 2,
	                              .orphan = true, .eof = true, .armed = TIMER(RTX)});
}

static void test_view_close_wait(struct fx *f, gconstpointer d)
{
	(void)d;
	to_close_wait(f);
	assert_view(f, &(struct want){.state = TCP_CLOSE_WAIT, .snd_una = LOCAL_ISS + 1,
	                              .snd_nxt = LOCAL_ISS + 1, .rcv_nxt = REMOTE_ISS + 2,
	                              .eof = true, .armed = TIMER(DELACK)});
}

static void test_view_last_ack(struct fx *f, gconstpointer d)
{
	(void)d;
	to_last_ack(f);
	assert_view(f, &(struct want){.state = TCP_LAST_ACK, .snd_una = LOCAL_ISS + 1,
	                              .snd_nxt = LOCAL_ISS + 2, .rcv_nxt = REMOTE_ISS + 2,
	                              .orphan = true, .eof = true, .armed = TIMER(RTX)});
}


/* --- FreeBSD's rules (the bsd profile) --- */

/* A passive open as FreeBSD's packetdrill scripts make it: the peer's SYN
 * offers MSS 1460, SACK and window scaling but no timestamps; our shift
 * is the profile's 6. */
static void to_established_passive_bsd(struct fx *f)
{
	f->peer_opts = NO_TS;
	to_established_passive(f);
}

/* syncache_add(): a SYN-ACK offers the listener's whole buffer, up to
 * 65535 (min(sbspace(), TCP_MAXWIN)), not half of it rounded to whole
 * segments as Linux's tcp_select_initial_window() does. */
static void test_syn_rcvd_window_bsd(struct fx *f, gconstpointer d)
{
	(void)d;
	f->peer_opts = NO_TS;
	to_syn_rcvd(f);
	g_assert_cmpuint(sent(f, 0)->wnd, ==, 65535);
	g_assert_cmpuint(sent(f, 0)->opt.wscale, ==, 6);
}

/* tcp_mss() rounds the 65536-byte buffer up to whole segments, 45 * 1460
 * = 65700 bytes; tcp_input() ACKs a FIN at once (TF_ACKNOW); tcp_output()
 * scales the window rounding up (roundup2(): 65728 >> 6 = 1027). */
static void test_established_fin_bsd(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established_passive_bsd(f);
	input(f, f->now + STEP, PEER(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1,
	                             .ack = LOCAL_ISS + 1));
	assert_states(f, TCP_CLOSE_WAIT);
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 2, 0);
	g_assert_cmpuint(sent(f, 0)->wnd, ==, 1027);
}

/* DELAY_ACK(): a segment of at most one MSS waits for the delayed ACK
 * (40 ms, net.inet.tcp.delacktime); the next one is ACKed at once, a
 * delayed ACK being pending; there is no quick-ACK start as in Linux. */
static void test_established_delayed_ack_bsd(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established_passive_bsd(f);
	sim_time t = f->now + STEP;
	input(f, t, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1, .len = 1000));
	g_assert_cmpuint(n_sent(f), ==, 0);
	g_assert_cmpint(next_deadline(f), ==, t + 40 * SIM_MS);
	input(f, t + STEP, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1001, .ack = LOCAL_ISS + 1,
	                        .len = 100));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1101, 0);
	g_assert_cmpint(next_deadline(f), ==, SIM_NEVER);
}

/* DELAY_ACK()'s tlen <= t_maxseg: a segment longer than the MSS is ACKed
 * at once, even the first. */
static void test_established_long_segment_bsd(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established_passive_bsd(f);
	input(f, f->now + STEP, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1,
	                             .len = 2000));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 2001, 0);
	/* 65700 - 2000 = 63700, rounded up to 64: 996 */
	g_assert_cmpuint(sent(f, 0)->wnd, ==, 996);
}

/* tcp_output()'s window update: a read that reopens the window by two
 * segments and a quarter of the buffer is announced; a smaller one waits
 * for the next ACK. */
static void test_established_window_update_bsd(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established_passive_bsd(f);
	uint32_t seq = REMOTE_ISS + 1;
	for (int i = 0; i < 20; i++, seq += 1460)
		input(f, f->now + STEP, PEER(.flags = TCP_ACK, .seq = seq, .ack = LOCAL_ISS + 1,
		                             .len = 1460));
	g_assert_cmpint(next_deadline(f), ==, SIM_NEVER); /* the 20th segment was ACKed */
	static uint8_t buf[4000];
	begin(f, f->now + STEP);
	g_assert_cmpint(tcp_ep_recv(f->ep, f->now, buf, sizeof buf, &f->acts), ==, 4000);
	g_assert_cmpuint(n_sent(f), ==, 0); /* 4000 bytes: less than a quarter */
	g_assert_cmpint(user_recv(f, f->now + STEP), ==, 20 * 1460 - 4000);
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, seq, 0);
	g_assert_cmpuint(sent(f, 0)->wnd, ==, 1027); /* all of it again */
}

/* soshutdown(SHUT_RD): sorflush() drops what is queued, and later data is
 * acknowledged and dropped (SBS_CANTRCVMORE): reads return 0. */
static void test_established_shut_rd_bsd(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established_passive_bsd(f);
	input(f, f->now + STEP, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1,
	                             .len = 100));
	fire(f, next_deadline(f));
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 101, 0);
	tcp_ep_shutdown_read(f->ep);
	g_assert_cmpuint(tcp_ep_readable(f->ep), ==, 0);
	g_assert_cmpint(user_recv(f, f->now + STEP), ==, 0);
	input(f, f->now + STEP, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 101,
	                             .ack = LOCAL_ISS + 1, .len = 100));
	g_assert_cmpuint(tcp_ep_readable(f->ep), ==, 0);
	fire(f, next_deadline(f)); /* the delayed ACK covers the dropped bytes */
	assert_sent_one(f, TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 201, 0);
	g_assert_cmpuint(sent(f, 0)->wnd, ==, 1027); /* they take no room */
	g_assert_cmpint(user_recv(f, f->now), ==, 0);
}

/* Linux keeps the data of a socket shut for reading readable. */
static void test_established_shut_rd_linux(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established(f);
	tcp_ep_shutdown_read(f->ep);
	input(f, f->now + STEP, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1,
	                             .len = 100));
	g_assert_cmpuint(tcp_ep_readable(f->ep), ==, 100);
	g_assert_cmpint(user_recv(f, f->now + STEP), ==, 100);
	g_assert_cmpint(user_recv(f, f->now + STEP), ==, -EAGAIN);
}

/* tcp_usrclosed(): shutdown(SHUT_WR) again in FIN_WAIT_2 disconnects the
 * socket (soisdisconnected()): a read returns 0 though the peer has not
 * closed; under Linux it still waits. */
static void test_fin_wait_2_shutdown_again(struct fx *f, gconstpointer d)
{
	to_established(f);
	g_assert_cmpint(user_shutdown(f, f->now + STEP), ==, 0);
	input(f, f->now + f->rtt, PEER(.flags = TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 2));
	assert_states(f, TCP_FIN_WAIT_2);
	g_assert_cmpint(user_recv(f, f->now + STEP), ==, -EAGAIN);
	g_assert_cmpint(user_shutdown(f, f->now + STEP), ==, 0);
	assert_no_change(f, TCP_FIN_WAIT_2);
	g_assert_cmpuint(n_sent(f), ==, 0);
	bool bsd = d && strcmp(d, "bsd") == 0;
	g_assert_cmpint(user_recv(f, f->now + STEP), ==, bsd ? 0 : -EAGAIN);
}

/* FreeBSD sosend_generic(): the reset disconnected the socket
 * (SBS_CANTSENDMORE), so a send fails with EPIPE and leaves so_error,
 * ECONNRESET, to the read that follows (soreceive_generic()), once. */
static void test_established_rst_then_send_bsd(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established_passive_bsd(f);
	input(f, f->now + STEP, PEER(.flags = TCP_RST, .seq = REMOTE_ISS + 1));
	assert_closed(f, ECONNRESET);
	g_assert_cmpint(user_send(f, f->now + STEP, 100), ==, -EPIPE);
	g_assert_cmpint(user_send(f, f->now + STEP, 100), ==, -EPIPE);
	g_assert_cmpint(user_recv(f, f->now + STEP), ==, -ECONNRESET);
	g_assert_cmpint(user_recv(f, f->now + STEP), ==, 0);
}

/* FreeBSD tcp_input(): a reset in CLOSE_WAIT sets so_error ECONNRESET
 * (Linux's tcp_reset() says EPIPE there); a send still fails with EPIPE. */
static void test_close_wait_rst_bsd(struct fx *f, gconstpointer d)
{
	(void)d;
	to_established_passive_bsd(f);
	input(f, f->now + STEP, PEER(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1,
	                             .ack = LOCAL_ISS + 1));
	assert_states(f, TCP_CLOSE_WAIT);
	input(f, f->now + STEP, PEER(.flags = TCP_RST, .seq = REMOTE_ISS + 2));
	assert_closed(f, ECONNRESET);
	g_assert_cmpint(user_send(f, f->now + STEP, 100), ==, -EPIPE);
	g_assert_cmpint(tcp_ep_take_error(f->ep), ==, ECONNRESET);
}

/* FreeBSD tcp_output(): in CLOSING our FIN is unacknowledged, and the ACK
 * of the peer's FIN carries it again at its own sequence number
 * (tcp_outflags[TCPS_CLOSING] = TH_FIN | TH_ACK). */
static void test_fin_wait_1_fin_bsd(struct fx *f, gconstpointer d)
{
	(void)d;
	to_fin_wait_1(f);
	input(f, f->now + STEP,
	      PEER(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1));
	assert_states(f, TCP_CLOSING);
	assert_sent_one(f, TCP_FIN | TCP_ACK, LOCAL_ISS + 1, REMOTE_ISS + 2, 0);
	struct tcp_ep_view v;
	view(f, &v);
	g_assert_cmpuint(v.snd_nxt, ==, LOCAL_ISS + 2); /* nothing new was sent */
}

/* ===================================================================== */

typedef void (*fx_test)(struct fx *, gconstpointer);

static void add(const char *path, const char *profile, fx_test fn)
{
	g_test_add(path, struct fx, profile, fx_setup, fn, fx_teardown);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_set_nonfatal_assertions();
	for (size_t i = 0; i < sizeof peer_data; i++) {
		peer_data[i] = (uint8_t)(i * 7 + 1);
		user_data[i] = (uint8_t)(i * 13 + 5);
	}

	add("/tcp/closed/connect", NULL, test_closed_connect);
	add("/tcp/closed/connect-windows", "windows", test_closed_connect_windows);
	add("/tcp/syn-sent/connect", NULL, test_syn_sent_connect);

	add("/tcp/syn-sent/syn-ack", NULL, test_syn_sent_syn_ack);
	add("/tcp/syn-sent/rst-ack", NULL, test_syn_sent_rst_ack);
	add("/tcp/syn-sent/rst-no-ack", NULL, test_syn_sent_rst_no_ack);
	add("/tcp/syn-sent/bad-ack", NULL, test_syn_sent_bad_ack);
	add("/tcp/syn-sent/bad-ack-rst", NULL, test_syn_sent_bad_ack_rst);
	add("/tcp/syn-sent/syn", NULL, test_syn_sent_syn);
	add("/tcp/syn-sent/rto-schedule-linux", NULL, test_syn_sent_rto_schedule_linux);
	add("/tcp/syn-sent/rto-schedule-linux-exponential", NULL,
	    test_syn_sent_rto_schedule_linux_exponential);
	add("/tcp/syn-sent/rto-schedule-linux-retries-2", NULL,
	    test_syn_sent_rto_schedule_linux_retries_2);
	add("/tcp/syn-sent/rto-schedule-windows", "windows", test_syn_sent_rto_schedule_windows);
	add("/tcp/syn-sent/rto-schedule-bsd", "bsd", test_syn_sent_rto_schedule_bsd);
	add("/tcp/syn-rcvd/window-bsd", "bsd", test_syn_rcvd_window_bsd);
	add("/tcp/established/fin-bsd", "bsd", test_established_fin_bsd);
	add("/tcp/established/delayed-ack-bsd", "bsd", test_established_delayed_ack_bsd);
	add("/tcp/established/long-segment-bsd", "bsd", test_established_long_segment_bsd);
	add("/tcp/established/window-update-bsd", "bsd", test_established_window_update_bsd);
	add("/tcp/established/shut-rd-bsd", "bsd", test_established_shut_rd_bsd);
	add("/tcp/established/shut-rd-linux", NULL, test_established_shut_rd_linux);
	add("/tcp/fin-wait-2/shutdown-again", NULL, test_fin_wait_2_shutdown_again);
	add("/tcp/fin-wait-2/shutdown-again-bsd", "bsd", test_fin_wait_2_shutdown_again);
	add("/tcp/fin-wait-1/fin-bsd", "bsd", test_fin_wait_1_fin_bsd);
	add("/tcp/established/rst-then-send-bsd", "bsd", test_established_rst_then_send_bsd);
	add("/tcp/close-wait/rst-bsd", "bsd", test_close_wait_rst_bsd);
	add("/tcp/syn-sent/give-up-rfc", "rfc", test_syn_sent_give_up_rfc);
	add("/tcp/syn-sent/syn-ack-after-retransmit", "rfc", test_syn_sent_syn_ack_after_retransmit);

	add("/tcp/listen/syn", NULL, test_listen_syn);
	add("/tcp/listen/syn-mss-only", NULL, test_listen_syn_mss_only);
	add("/tcp/listen/syn-no-options", NULL, test_listen_syn_no_options);
	add("/tcp/syn-rcvd/ack", NULL, test_syn_rcvd_ack);
	add("/tcp/syn-rcvd/ack-with-data", NULL, test_syn_rcvd_ack_with_data);
	add("/tcp/syn-rcvd/bad-ack", NULL, test_syn_rcvd_bad_ack);
	add("/tcp/syn-rcvd/rst", NULL, test_syn_rcvd_rst);
	add("/tcp/syn-rcvd/syn-retransmit", NULL, test_syn_rcvd_syn_retransmit);
	add("/tcp/syn-rcvd/rto-schedule", NULL, test_syn_rcvd_rto_schedule);
	add("/tcp/syn-rcvd/rto-schedule-8", NULL, test_syn_rcvd_rto_schedule_8);
	add("/tcp/syn-rcvd/simultaneous-syn-ack", NULL, test_syn_rcvd_simultaneous_syn_ack);
	add("/tcp/syn-rcvd/simultaneous-ack", NULL, test_syn_rcvd_simultaneous_ack);

	add("/tcp/established/data-quickack", NULL, test_established_data_quickack);
	add("/tcp/established/data-grows-window", NULL, test_established_data_grows_window);
	add("/tcp/established/small-data-keeps-window", NULL, test_established_small_data_keeps_window);
	add("/tcp/established/passive-first-ack-window", NULL, test_established_passive_first_ack_window);
	add("/tcp/established/data-pingpong", NULL, test_established_data_pingpong);
	add("/tcp/established/ack-rides-on-answer", NULL, test_established_ack_rides_on_answer);
	add("/tcp/established/two-full-segments", NULL, test_established_two_full_segments);
	add("/tcp/established/two-full-segments-ts", NULL, test_established_two_full_segments_ts);
	add("/tcp/established/out-of-order", NULL, test_established_out_of_order);
	add("/tcp/established/hole-filled", NULL, test_established_hole_filled);
	add("/tcp/established/old-duplicate", NULL, test_established_old_duplicate);
	add("/tcp/established/ack-unsent", "rfc", test_established_ack_unsent);
	add("/tcp/established/ack-unsent-linux", NULL, test_established_ack_unsent_linux);
	add("/tcp/established/send-mss", NULL, test_established_send_mss);
	add("/tcp/established/send-mss-ts", NULL, test_established_send_mss_ts);
	add("/tcp/established/nagle", NULL, test_established_nagle);
	add("/tcp/established/send-tail-any-iss", NULL, test_established_send_tail_any_iss);
	add("/tcp/established/nagle-rfc", "rfc", test_established_nagle_rfc);
	add("/tcp/established/rtt-sample", NULL, test_established_rtt_sample);
	add("/tcp/established/tail-loss-probe", NULL, test_established_tail_loss_probe);
	add("/tcp/established/tlp-follows-tail", NULL, test_established_tlp_follows_tail);
	add("/tcp/established/zero-window-no-tlp", NULL, test_established_zero_window_no_tlp);
	add("/tcp/established/tlp-kernel-hz250", NULL, test_established_tlp_kernel_hz250);
	add("/tcp/established/keepalive-waits-for-data", NULL,
	    test_established_keepalive_waits_for_data);
	add("/tcp/established/ack-after-rto-at-snd-max", NULL,
	    test_established_ack_after_rto_at_snd_max);
	add("/tcp/established/tail-loss-probe-long-path", NULL,
	    test_established_tail_loss_probe_long_path);
	add("/tcp/established/tail-loss-probe-flight", NULL, test_established_tail_loss_probe_flight);
	add("/tcp/established/rto-backoff", NULL, test_established_rto_backoff);
	add("/tcp/established/karn", NULL, test_established_karn);
	add("/tcp/established/rto-give-up", NULL, test_established_rto_give_up);
	add("/tcp/established/rto-give-up-windows", "windows", test_established_rto_give_up_windows);
	add("/tcp/established/fin", NULL, test_established_fin);
	add("/tcp/established/fin-into-zero-window", NULL, test_established_fin_into_zero_window);
	add("/tcp/established/close", NULL, test_established_close);
	add("/tcp/established/rst", NULL, test_established_rst);
	add("/tcp/established/rst-not-exact", NULL, test_established_rst_not_exact);
	add("/tcp/established/rst-out-of-window", NULL, test_established_rst_out_of_window);
	add("/tcp/established/syn", NULL, test_established_syn);
	add("/tcp/established/close-unread", NULL, test_established_close_unread);
	add("/tcp/established/abort", NULL, test_established_abort);
	add("/tcp/established/drop", NULL, test_established_drop);
	add("/tcp/last-ack/drop", NULL, test_last_ack_drop);
	add("/tcp/last-ack/drop-bsd", NULL, test_last_ack_drop_bsd);
	add("/tcp/time-wait/drop", NULL, test_time_wait_drop);
	add("/tcp/syn-rcvd/drop-silent", NULL, test_syn_rcvd_drop_silent);

	add("/tcp/fin-wait-1/ack", NULL, test_fin_wait_1_ack);
	add("/tcp/fin-wait-1/fin", NULL, test_fin_wait_1_fin);
	add("/tcp/fin-wait-1/fin-ack", NULL, test_fin_wait_1_fin_ack);
	add("/tcp/fin-wait-2/fin", NULL, test_fin_wait_2_fin);
	add("/tcp/fin-wait-2/orphan-timeout", NULL, test_fin_wait_2_orphan_timeout);
	add("/tcp/fin-wait-2/not-orphan", NULL, test_fin_wait_2_not_orphan);
	add("/tcp/fin-wait-2/data-after-close", NULL, test_fin_wait_2_data_after_close);

	add("/tcp/close-wait/close", NULL, test_close_wait_close);
	add("/tcp/close-wait/delayed-ack", NULL, test_close_wait_delayed_ack);
	add("/tcp/close-wait/rst", NULL, test_close_wait_rst);
	add("/tcp/closing/ack", NULL, test_closing_ack);
	add("/tcp/closing/duplicate-fin-acks-ours", NULL, test_closing_duplicate_fin_acks_ours);
	add("/tcp/established/older-than-rcv-wup", NULL, test_established_older_than_rcv_wup);
	add("/tcp/last-ack/ack", NULL, test_last_ack_ack);
	add("/tcp/last-ack/ack-before-fin", NULL, test_last_ack_ack_before_fin);
	add("/tcp/last-ack/fin-rto-schedule", NULL, test_last_ack_fin_rto_schedule);
	add("/tcp/last-ack/rst", NULL, test_last_ack_rst);

	add("/tcp/time-wait/fin-retransmit", NULL, test_time_wait_fin_retransmit);
	add("/tcp/time-wait/expiry", NULL, test_time_wait_expiry);
	add("/tcp/time-wait/reusable", NULL, test_time_wait_reusable);
	add("/tcp/time-wait/reusable-no-ts", NULL, test_time_wait_reusable_no_ts);
	add("/tcp/time-wait/followed", NULL, test_time_wait_followed);
	add("/tcp/time-wait/rst", NULL, test_time_wait_rst);
	add("/tcp/time-wait/rst-not-exact", NULL, test_time_wait_rst_not_exact);
	add("/tcp/time-wait/zero", NULL, test_time_wait_zero);
	add("/tcp/closed/connect-syn-window-bounds", NULL, test_closed_connect_syn_window_bounds);
	add("/tcp/time-wait/fin-echoes-first-ts", NULL, test_time_wait_fin_echoes_first_ts);
	add("/tcp/time-wait/bare-ack-moves-ts", NULL, test_time_wait_bare_ack_moves_ts);
	add("/tcp/time-wait/paws-ack", NULL, test_time_wait_paws_ack);
	add("/tcp/time-wait/ctl-sock-segments", NULL, test_ctl_sock_segments);
	add("/tcp/time-wait/paws-rst", NULL, test_time_wait_paws_rst);
	add("/tcp/time-wait/takes-syn", NULL, test_time_wait_takes_syn);

	add("/tcp/reset-for/ack", NULL, test_reset_for_ack);
	add("/tcp/reset-for/syn", NULL, test_reset_for_syn);
	add("/tcp/reset-for/data-fin", NULL, test_reset_for_data_fin);
	add("/tcp/reset-for/rst", NULL, test_reset_for_rst);

	add("/tcp/seq/compare", NULL, test_seq_compare);
	add("/tcp/seq/syn-at-wrap", NULL, test_seq_syn_at_wrap);
	add("/tcp/seq/send-across-wrap", NULL, test_seq_send_across_wrap);
	add("/tcp/seq/receive-across-wrap", NULL, test_seq_receive_across_wrap);

	add("/tcp/view/syn-sent", NULL, test_view_syn_sent);
	add("/tcp/view/syn-rcvd", NULL, test_view_syn_rcvd);
	add("/tcp/view/established", NULL, test_view_established);
	add("/tcp/view/established-passive", NULL, test_view_established_passive);
	add("/tcp/view/fin-wait-1", NULL, test_view_fin_wait_1);
	add("/tcp/view/fin-wait-2", NULL, test_view_fin_wait_2);
	add("/tcp/view/time-wait", NULL, test_view_time_wait);
	add("/tcp/view/closing", NULL, test_view_closing);
	add("/tcp/view/close-wait", NULL, test_view_close_wait);
	add("/tcp/view/last-ack", NULL, test_view_last_ack);

	return g_test_run();
}
