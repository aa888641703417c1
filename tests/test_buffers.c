/*
 * The socket buffers as Linux sizes them (models/tcp_buf.c): the send
 * buffer expanded at the handshake and with the congestion window
 * (tcp_sndbuf_expand()), charged per skb (sk_wmem_queued); the receive
 * buffer grown by dynamic right-sizing (tcp_rcv_space_adjust(),
 * tcp_rcvbuf_grow()); both locked by SO_SNDBUF / SO_RCVBUF.
 *
 * And what the sender keeps in its host's queues (models/tcp_tsq.c): TSO
 * packets of tcp_tso_autosize() segments, and TCP small queues.
 *
 * The test plays the peer of one endpoint, as tests/test_tcp.c does, and
 * computes every expected size from the kernel's formula, written out here
 * with the constants of an x86-64 6.x kernel.
 */
#include <errno.h>
#include <string.h>
#include <glib.h>
#include "models/tcp.h"
#include "models/tcp_int.h"

#define LOCAL_ADDR   0x0a000001u
#define REMOTE_ADDR  0x0a000002u
#define LOCAL_PORT   40000
#define REMOTE_PORT  80
#define LOCAL_ISS    1000u
#define REMOTE_ISS   5000u
#define REMOTE_MSS   1460
#define REMOTE_WSCALE 7
#define REMOTE_WND   65535
#define MSS          1448u          /* 1460 less the timestamps */
#define RTT          (10 * SIM_MS)
#define WMEM_MAX     4194304u       /* tcp_wmem[2] */
#define RMEM_MAX     33554432u      /* tcp_rmem[2] */

/* The kernel's sizes (x86-64, 6.x): SKB_DATA_ALIGN(sizeof(struct
 * sk_buff)) = 256, SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) = 320,
 * MAX_TCP_HEADER = 320. */
#define SKB_SIZE     256u
#define SHINFO_SIZE  320u
#define TCP_HEADROOM 320u

static uint8_t data[1 << 20];

struct fx {
	struct tcp_params p;
	struct tcp_ep *ep;
	struct tcp_acts acts;
	sim_time now;
	uint32_t last_tsval;   /* the timestamp of our last segment, for the peer to echo */
	uint32_t peer_nxt;     /* the peer's next sequence number */
};

static void fx_setup(struct fx *f, gconstpointer d)
{
	(void)d;
	memset(f, 0, sizeof *f);
	g_assert_true(tcp_profile_get("linux", &f->p));
	f->p.timers = TCP_TIMERS_EXACT;
	tcp_acts_init(&f->acts);
	f->peer_nxt = REMOTE_ISS + 1;
}

static void fx_teardown(struct fx *f, gconstpointer d)
{
	(void)d;
	tcp_ep_free(f->ep);
	tcp_acts_clear(&f->acts);
}

static void begin(struct fx *f, sim_time at)
{
	g_assert_cmpint(at, >=, f->now);
	f->now = at;
	f->acts.n = 0;
}

/* Notes the timestamp of what the endpoint sent last. */
static void note_sent(struct fx *f)
{
	for (uint32_t i = 0; i < f->acts.n; i++)
		if (f->acts.v[i].kind == TCP_ACT_SEND && (f->acts.v[i].seg.opt.present & TCP_OPT_TS))
			f->last_tsval = f->acts.v[i].seg.opt.tsval;
}

static struct tcp_seg peer(const struct fx *f, uint8_t flags, uint32_t seq, uint32_t ack,
                           uint32_t len)
{
	struct tcp_seg s = {.saddr = REMOTE_ADDR, .daddr = LOCAL_ADDR, .sport = REMOTE_PORT,
	                    .dport = LOCAL_PORT, .flags = flags, .seq = seq, .ack = ack,
	                    .wnd = REMOTE_WND, .len = len, .payload = len ? data : NULL};
	s.opt.present = TCP_OPT_TS;
	s.opt.tsval = 900000;
	s.opt.tsecr = f->last_tsval;
	if (flags & TCP_SYN) {
		s.opt.present |= TCP_OPT_MSS | TCP_OPT_WSCALE | TCP_OPT_SACK_PERM;
		s.opt.mss = REMOTE_MSS;
		s.opt.wscale = REMOTE_WSCALE;
	}
	return s;
}

static void input(struct fx *f, sim_time at, struct tcp_seg s)
{
	begin(f, at);
	tcp_ep_input(f->ep, at, &s, &f->acts);
	note_sent(f);
}

static struct tcp_ep_view view(const struct fx *f)
{
	struct tcp_ep_view v;
	tcp_ep_view(f->ep, &v);
	return v;
}

/* connect(), and the SYN-ACK one RTT later. */
static void establish(struct fx *f)
{
	f->ep = tcp_ep_new(NULL, &f->p, LOCAL_ADDR, LOCAL_PORT, REMOTE_ADDR, REMOTE_PORT, LOCAL_ISS, 0);
	begin(f, 0);
	g_assert_cmpint(tcp_ep_connect(f->ep, 0, &f->acts), ==, -EINPROGRESS);
	note_sent(f);
	input(f, RTT, peer(f, TCP_SYN | TCP_ACK, REMOTE_ISS, LOCAL_ISS + 1, 0));
	g_assert_cmpint(view(f).state, ==, TCP_ESTABLISHED);
}

static uint32_t roundup_pow2(uint32_t x)
{
	uint32_t r = 1;
	while (r < x)
		r <<= 1;
	return r;
}

/* tcp_sndbuf_expand(): 2 * max(TCP_INIT_CWND, cwnd, reordering + 1)
 * segments of per_mss = roundup_pow_of_two(mss_clamp + MAX_TCP_HEADER +
 * shinfo) + sk_buff, at most tcp_wmem[2]. */
static uint32_t expanded_sndbuf(uint32_t cwnd_segs)
{
	uint32_t per_mss = roundup_pow2(REMOTE_MSS + TCP_HEADROOM + SHINFO_SIZE) + SKB_SIZE;
	uint32_t segs = cwnd_segs > 10 ? cwnd_segs : 10;
	uint64_t mem = 2ull * segs * per_mss;
	return mem < WMEM_MAX ? (uint32_t)mem : WMEM_MAX;
}

/* The send buffer starts at tcp_wmem[1] and the handshake expands it to
 * twice the initial window: 2 * 10 * 4352 = 87040, what getsockopt
 * (SO_SNDBUF) reports on a Linux socket just connected. */
static void test_sndbuf_handshake(struct fx *f, gconstpointer d)
{
	(void)d;
	f->ep = tcp_ep_new(NULL, &f->p, LOCAL_ADDR, LOCAL_PORT, REMOTE_ADDR, REMOTE_PORT, LOCAL_ISS, 0);
	g_assert_cmpuint(view(f).sndbuf, ==, 16384);
	tcp_ep_free(f->ep);
	f->ep = NULL;
	establish(f);
	g_assert_cmpuint(view(f).cwnd, ==, 10 * MSS);
	g_assert_cmpuint(view(f).sndbuf, ==, expanded_sndbuf(10));
	g_assert_cmpuint(view(f).sndbuf, ==, 87040);
}

/* A write fills whole skbs: tcp_sendmsg_locked() takes a new skb while
 * sk_wmem_queued < sk_sndbuf, each of the size goal (half the peer's
 * largest window, 65535 in its SYN-ACK: 22 segments) and charged its
 * truesize, the head's SKB_TRUESIZE(MAX_TCP_HEADER) plus the payload
 * (tcp_stream_alloc_skb()). */
static void test_sndbuf_whole_skbs(struct fx *f, gconstpointer d)
{
	(void)d;
	establish(f);
	uint32_t goal = (REMOTE_WND / 2) / MSS * MSS;
	uint32_t truesize = goal + TCP_HEADROOM + SKB_SIZE + SHINFO_SIZE;
	uint32_t skbs = (87040 + truesize - 1) / truesize;
	begin(f, f->now);
	g_assert_cmpint(tcp_ep_send(f->ep, f->now, data, 200000, &f->acts), ==, skbs * goal);
	g_assert_false(tcp_ep_writable(f->ep));
	begin(f, f->now);
	g_assert_cmpint(tcp_ep_send(f->ep, f->now, data, 1, &f->acts), ==, -EAGAIN);
}

/* A buffer of exactly three skbs' truesize holds three skbs' payload: the
 * heads count (a buffer counted in payload bytes would take a fourth). */
static void test_sndbuf_truesize_counts(struct fx *f, gconstpointer d)
{
	(void)d;
	uint32_t goal = (REMOTE_WND / 2) / MSS * MSS;
	uint32_t truesize = goal + TCP_HEADROOM + SKB_SIZE + SHINFO_SIZE;
	f->p.sndbuf = 3 * truesize;
	f->p.sndbuf_lock = true;
	establish(f);
	begin(f, f->now);
	g_assert_cmpint(tcp_ep_send(f->ep, f->now, data, 200000, &f->acts), ==, 3 * goal);
}

/* A writer that found the buffer full wakes once a third of it is free
 * (sk_stream_write_space(): wspace >= sk_wmem_queued / 2), not when the
 * first skb is freed and a write would find room. */
static void test_sndbuf_wakes_at_a_third(struct fx *f, gconstpointer d)
{
	(void)d;
	f->p.wmem_max = 0; /* a fixed buffer (87040): only the wakeup is tested */
	f->p.sndbuf = 87040;
	establish(f);
	begin(f, f->now);
	g_assert_cmpint(tcp_ep_send(f->ep, f->now, data, sizeof data, &f->acts), >, 0);
	g_assert_false(tcp_ep_write_wakes(f->ep));
	uint32_t una = LOCAL_ISS + 1;
	/* the initial window acknowledged: less than a third free */
	input(f, f->now + RTT, peer(f, TCP_ACK, f->peer_nxt, una + 10 * MSS, 0));
	g_assert_false(tcp_ep_write_wakes(f->ep));
	g_assert_false(tcp_ep_writable(f->ep));
	sim_time t = f->now;
	while (!tcp_ep_write_wakes(f->ep)) {
		uint32_t nxt = view(f).snd_nxt;
		g_assert_cmpuint(view(f).snd_una, <, nxt);
		input(f, t += RTT, peer(f, TCP_ACK, f->peer_nxt, nxt, 0));
	}
	g_assert_true(tcp_ep_writable(f->ep));
	/* a write that does not fill it keeps the writer awake */
	begin(f, f->now);
	g_assert_cmpint(tcp_ep_send(f->ep, f->now, data, 1, &f->acts), ==, 1);
	g_assert_true(tcp_ep_write_wakes(f->ep));
}

/* Linux's own test of a blocking write (tools/testing/selftests/net/
 * packetdrill/tcp_blocking_blocking-write.pkt): SO_SNDBUF 21000 (42000),
 * a peer with MSS 1000 and a 50000-byte window, no options but the MSS; a
 * write of 61000 takes 50000 (two skbs of half the window) and blocks; the
 * ACK of 36000 bytes wakes it, those of 10000, 30000 and 35000 do not: the
 * sent bytes are one skb a segment, each charged 896 bytes of head
 * (15 x 1896 = 28440 > 2/3 of 42000 >= 14 x 1896).  All 50000 are sent at
 * once here (an initial window of 50), as Linux's window had grown to
 * send them by the second ACK. */
static void test_sndbuf_linux_blocking_write(struct fx *f, gconstpointer d)
{
	(void)d;
	f->p.sndbuf = 42000;
	f->p.sndbuf_lock = true;
	f->p.tso = false; /* packetdrill's tun device, as the test ran */
	f->p.init_cwnd = 50;
	f->ep = tcp_ep_new(NULL, &f->p, LOCAL_ADDR, LOCAL_PORT, REMOTE_ADDR, REMOTE_PORT, LOCAL_ISS, 0);
	begin(f, 0);
	g_assert_cmpint(tcp_ep_connect(f->ep, 0, &f->acts), ==, -EINPROGRESS);
	struct tcp_seg synack = peer(f, TCP_SYN | TCP_ACK, REMOTE_ISS, LOCAL_ISS + 1, 0);
	synack.opt.present = TCP_OPT_MSS | TCP_OPT_WSCALE;
	synack.opt.mss = 1000;
	synack.opt.wscale = 0;
	synack.wnd = 50000;
	input(f, RTT, synack);
	g_assert_cmpint(view(f).state, ==, TCP_ESTABLISHED);
	begin(f, f->now);
	g_assert_cmpint(tcp_ep_send(f->ep, f->now, data, 61000, &f->acts), ==, 50000);
	g_assert_cmpuint(view(f).snd_nxt, ==, LOCAL_ISS + 1 + 50000);
	g_assert_false(tcp_ep_write_wakes(f->ep));
	static const uint32_t acked[] = {10000, 30000, 35000, 36000};
	for (size_t i = 0; i < G_N_ELEMENTS(acked); i++) {
		struct tcp_seg ack = peer(f, TCP_ACK, f->peer_nxt, LOCAL_ISS + 1 + acked[i], 0);
		ack.opt.present = 0;
		ack.wnd = 50000;
		input(f, f->now + RTT, ack);
		g_assert_cmpint(tcp_ep_write_wakes(f->ep), ==, acked[i] == 36000);
	}
	g_assert_cmpuint(view(f).sndbuf, ==, 42000);
}

/* A sender the congestion window limits gets no more buffer
 * (tcp_should_expand_sndbuf(): packets in flight >= cwnd after the push). */
static void test_sndbuf_not_when_cwnd_full(struct fx *f, gconstpointer d)
{
	(void)d;
	establish(f);
	begin(f, f->now);
	g_assert_cmpint(tcp_ep_send(f->ep, f->now, data, sizeof data, &f->acts), >, 0);
	input(f, f->now + RTT, peer(f, TCP_ACK, f->peer_nxt, LOCAL_ISS + 1 + MSS, 0));
	struct tcp_ep_view v = view(f);
	g_assert_cmpuint(v.cwnd, ==, 11 * MSS);
	g_assert_cmpuint(v.snd_nxt - v.snd_una, ==, v.cwnd); /* the window is full */
	g_assert_cmpuint(v.sndbuf, ==, 87040);
}

/* After the handshake the buffer grows with the congestion window
 * (tcp_new_space() on each ACK while the writer is short of room and the
 * window is not full), never past tcp_wmem[2]. */
static void test_sndbuf_grows_with_cwnd(struct fx *f, gconstpointer d)
{
	(void)d;
	establish(f);
	uint32_t una = LOCAL_ISS + 1, changes = 0, last = view(f).sndbuf;
	for (int round = 0; round < 40 && view(f).sndbuf < WMEM_MAX; round++) {
		begin(f, f->now + RTT);
		while (tcp_ep_send(f->ep, f->now, data, sizeof data, &f->acts) > 0)
			f->acts.n = 0;
		uint32_t nxt = view(f).snd_nxt;
		for (uint32_t ack = una + MSS; ack <= nxt; ack += MSS) {
			input(f, f->now + 1, peer(f, TCP_ACK, f->peer_nxt, ack, 0));
			struct tcp_ep_view v = view(f);
			if (v.sndbuf != last) {
				g_assert_cmpuint(v.sndbuf, ==, expanded_sndbuf(v.cwnd / MSS));
				g_assert_cmpuint(v.sndbuf, >, last);
				last = v.sndbuf;
				changes++;
			}
			una = ack;
		}
	}
	g_assert_cmpuint(changes, >=, 3);
	g_assert_cmpuint(view(f).sndbuf, ==, WMEM_MAX);
}

/* SO_SNDBUF locks the buffer (SOCK_SNDBUF_LOCK): neither the handshake
 * nor the window grows it. */
static void test_sndbuf_locked(struct fx *f, gconstpointer d)
{
	(void)d;
	f->p.sndbuf = 20000;
	f->p.sndbuf_lock = true;
	establish(f);
	g_assert_cmpuint(view(f).sndbuf, ==, 20000);
	begin(f, f->now);
	g_assert_cmpint(tcp_ep_send(f->ep, f->now, data, sizeof data, &f->acts), >, 0);
	uint32_t nxt = view(f).snd_nxt;
	input(f, f->now + RTT, peer(f, TCP_ACK, f->peer_nxt, nxt, 0));
	g_assert_cmpuint(view(f).cwnd, >, 10 * MSS);
	g_assert_cmpuint(view(f).sndbuf, ==, 20000);
}

/* tcp_rcvbuf_grow() (Linux 6.18) for a reader that took `newval` bytes in
 * the last RTT after `oldval` in the one before: twice newval, plus twice
 * the growth scaled to it, as buffer (tcp_space_from_win() at the 50 %
 * scaling ratio), at most tcp_rmem[2]; never smaller. */
static uint32_t grown_rcvbuf(uint32_t rcvbuf, uint32_t oldval, uint32_t newval)
{
	uint64_t rcvwin = (uint64_t)newval << 1;
	rcvwin += (rcvwin * (newval - oldval) / oldval) << 1;
	uint64_t b = rcvwin * 2;
	if (b > RMEM_MAX)
		b = RMEM_MAX;
	return b > rcvbuf ? (uint32_t)b : rcvbuf;
}

/* The peer sends one round of `segs` full segments at `at`, each echoing
 * our last timestamp; the reader takes each at once. */
static void peer_round(struct fx *f, sim_time at, uint32_t segs)
{
	static uint8_t buf[65536];
	for (uint32_t i = 0; i < segs; i++) {
		input(f, at, peer(f, TCP_ACK, f->peer_nxt, LOCAL_ISS + 1, MSS));
		f->peer_nxt += MSS;
		begin(f, at);
		g_assert_cmpint(tcp_ep_recv(f->ep, at, buf, sizeof buf, &f->acts), ==, MSS);
		note_sent(f);
	}
}

/* Dynamic right-sizing: each RTT (the receiver's estimate from the echoed
 * timestamps) the first read compares what was read in the round before
 * with the last measure (tcp_rcv_space_adjust()), starting at
 * min(rcv_ssthresh, rcv_wnd, 10 * advmss) = 14600 (tcp_init_buffer_space());
 * the buffer grows, the window follows, and both stop at tcp_rmem[2]. */
static void run_drs(struct fx *f, bool locked)
{
	if (locked) {
		f->p.rcvbuf = 262144;
		f->p.rcvbuf_lock = true;
	}
	establish(f);
	uint32_t rcvbuf = view(f).rcvbuf, space = 10 * REMOTE_MSS, segs = 10, prev_segs = 0;
	g_assert_cmpuint(rcvbuf, ==, locked ? 262144 : 131072);
	sim_time t = f->now;
	uint32_t max_wnd = 0;
	for (int round = 1; round <= 14; round++) {
		t += RTT;
		/* the first read of this round closes the measure of the last */
		uint32_t copied = prev_segs * MSS;
		if (round >= 2 && copied > space) {
			if (!locked)
				rcvbuf = grown_rcvbuf(rcvbuf, space, copied);
			space = copied;
		}
		peer_round(f, t, segs);
		struct tcp_ep_view v = view(f);
		g_assert_cmpuint(v.rcvbuf, ==, rcvbuf);
		g_assert_cmpuint(v.rcv_wnd, <=, v.rcvbuf / 2);
		if (v.rcv_wnd > max_wnd)
			max_wnd = v.rcv_wnd;
		prev_segs = segs;
		/* the peer in slow start, within the window offered */
		uint32_t next = 2 * segs, fit = v.rcv_wnd / MSS;
		segs = next < fit ? next : fit;
		if (segs == 0)
			segs = 1;
	}
	if (locked) {
		g_assert_cmpuint(view(f).rcvbuf, ==, 262144);
		g_assert_cmpuint(max_wnd, <=, 131072);
	} else {
		g_assert_cmpuint(view(f).rcvbuf, ==, RMEM_MAX);
		g_assert_cmpuint(max_wnd, >, 8u << 20); /* the window grew past 8 MiB */
	}
}

static void test_rcvbuf_autotuning(struct fx *f, gconstpointer d)
{
	(void)d;
	run_drs(f, false);
}

/* SO_RCVBUF locks it (SOCK_RCVBUF_LOCK): tcp_rcvbuf_grow() only keeps
 * the measure. */
static void test_rcvbuf_locked(struct fx *f, gconstpointer d)
{
	(void)d;
	run_drs(f, true);
}

/* The bsd profile keeps its buffers: FreeBSD's autosizing is not modelled. */
static void test_bsd_fixed(struct fx *f, gconstpointer d)
{
	(void)d;
	g_assert_true(tcp_profile_get("bsd", &f->p));
	f->p.timers = TCP_TIMERS_EXACT;
	establish(f);
	g_assert_cmpuint(view(f).sndbuf, ==, 32768);
	begin(f, f->now);
	g_assert_cmpint(tcp_ep_send(f->ep, f->now, data, sizeof data, &f->acts), ==, 32768);
}

/* tcp_update_pacing_rate() and tcp_tso_autosize(), from their formulas:
 * 200 % of cwnd * mss / srtt in slow start, 120 % after; a TSO packet of
 * a millisecond of that (rate >> 10), plus 64 KiB >> (min_rtt_us >> 9),
 * at most 64 KiB, at least two segments. */
static void test_tso_autosize(struct fx *f, gconstpointer d)
{
	(void)d;
	establish(f); /* cwnd 10, ssthresh infinite, SRTT = min_rtt = 10 ms */
	g_assert_cmpuint(tcp_pacing_rate(f->ep), ==, 2ull * 10 * MSS * 100);
	g_assert_cmpuint(tcp_tso_segs(f->ep), ==, 2); /* 2828 bytes: one segment, raised to two */
	f->ep->cc.cwnd = 1000;
	f->ep->cc.ssthresh = 1000;
	g_assert_cmpuint(tcp_pacing_rate(f->ep), ==, 1000ull * MSS * 12 * 10); /* 120 %, 10 ms */
	g_assert_cmpuint(tcp_tso_segs(f->ep), ==, 65536 / MSS); /* 169687 bytes, 64 KiB at most */
	f->ep->cc.cwnd = 50;
	f->ep->cc.ssthresh = 50;
	g_assert_cmpuint(tcp_tso_segs(f->ep), ==, (50ull * MSS * 12 * 10 >> 10) / MSS); /* 5 */
	f->ep->rack.min_rtt = 2 * SIM_MS; /* 2000 us >> 9 = 3: 8 KiB more */
	g_assert_cmpuint(tcp_tso_segs(f->ep), ==, ((50ull * MSS * 12 * 10 >> 10) + 8192) / MSS);
	f->ep->rack.min_rtt = 100 * SIM_US; /* a LAN: the whole 64 KiB */
	g_assert_cmpuint(tcp_tso_segs(f->ep), ==, 65536 / MSS);
}

/* With TSO the sent bytes stay in TSO-sized skbs: the send buffer charges
 * one head per TSO packet, not one per segment, so the same buffer holds
 * more data in flight. */
static void test_tso_charges_per_packet(struct fx *f, gconstpointer d)
{
	(void)d;
	f->p.sndbuf = 1 << 20;
	f->p.sndbuf_lock = true;
	f->p.init_cwnd = 40;
	establish(f);
	f->ep->rack.min_rtt = 100 * SIM_US; /* TSO packets of 45 segments */
	begin(f, f->now);
	g_assert_cmpint(tcp_ep_send(f->ep, f->now, data, 40 * MSS, &f->acts), ==, 40 * MSS);
	g_assert_cmpuint(view(f).snd_nxt - view(f).snd_una, ==, 40 * MSS); /* all sent */
	uint64_t overhead = TCP_HEADROOM + SKB_SIZE + SHINFO_SIZE;
	g_assert_cmpuint(tcp_snd_queued(f->ep), ==, 40 * MSS + overhead); /* one TSO packet */
	f->p.tso = false;
	g_assert_cmpuint(tcp_snd_queued(f->ep), ==, 40 * (MSS + overhead)); /* one skb a segment */
}

/* TCP small queues: output stops once the host's queue holds more than
 * the limit, max(two TSO packets, rate >> 10), and resumes at the TX
 * completion of the oldest TSO packet there. */
static void test_tsq_throttle_and_resume(struct fx *f, gconstpointer d)
{
	(void)d;
	f->p.sndbuf = 4 << 20;
	f->p.sndbuf_lock = true;
	establish(f);
	input(f, f->now, peer(f, TCP_ACK, f->peer_nxt, LOCAL_ISS + 1, 0)); /* the scaled window */
	tcp_ep_tsq_enable(f->ep);
	f->ep->cc.cwnd = 200;
	f->ep->cc.ssthresh = 100; /* congestion avoidance: 120 % */
	uint64_t rate = 200ull * MSS * 12 * 10;             /* bytes/s at SRTT 10 ms */
	uint32_t segs = (uint32_t)((rate >> 10) / MSS);      /* 23 a TSO packet */
	uint64_t overhead = TCP_HEADROOM + SKB_SIZE + SHINFO_SIZE;
	uint64_t limit = 2 * (segs * MSS + overhead);        /* above rate >> 10 */
	g_assert_cmpuint(limit, >, rate >> 10);
	uint32_t first = (uint32_t)(limit / MSS) + 1;        /* sent until the queue is past it */
	begin(f, f->now);
	g_assert_cmpint(tcp_ep_send(f->ep, f->now, data, sizeof data, &f->acts), >, 0);
	g_assert_cmpuint(view(f).snd_nxt - view(f).snd_una, ==, first * MSS);
	/* the interface sends one segment each 12 us (1 Gbit/s) */
	sim_time t0 = f->now, wire = 12 * SIM_US;
	for (uint32_t i = 0; i < first; i++)
		tcp_ep_tx_done_at(f->ep, t0, t0 + (i + 1) * wire, MSS);
	g_assert_cmpint(tcp_ep_next_deadline(f->ep), ==, t0 + segs * wire);
	begin(f, t0 + segs * wire);
	tcp_ep_on_timer(f->ep, f->now, &f->acts);
	g_assert_cmpuint(view(f).snd_nxt - view(f).snd_una, ==, (first + segs) * MSS);
	g_assert_cmpuint(f->ep->tsq.waits, ==, 2);
}

/* Without the world's reports (TSQ off) the window alone limits output. */
static void test_tsq_off(struct fx *f, gconstpointer d)
{
	(void)d;
	f->p.sndbuf = 4 << 20;
	f->p.sndbuf_lock = true;
	establish(f);
	input(f, f->now, peer(f, TCP_ACK, f->peer_nxt, LOCAL_ISS + 1, 0));
	f->ep->cc.cwnd = 200;
	begin(f, f->now);
	g_assert_cmpint(tcp_ep_send(f->ep, f->now, data, sizeof data, &f->acts), >, 0);
	g_assert_cmpuint(view(f).snd_nxt - view(f).snd_una, ==, 200 * MSS);
	g_assert_cmpuint(f->ep->tsq.waits, ==, 0);
}

#define ADD(path, fn) g_test_add(path, struct fx, NULL, fx_setup, fn, fx_teardown)

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	ADD("/buffers/sndbuf/handshake", test_sndbuf_handshake);
	ADD("/buffers/sndbuf/whole-skbs", test_sndbuf_whole_skbs);
	ADD("/buffers/sndbuf/truesize-counts", test_sndbuf_truesize_counts);
	ADD("/buffers/sndbuf/wakes-at-a-third", test_sndbuf_wakes_at_a_third);
	ADD("/buffers/sndbuf/linux-blocking-write", test_sndbuf_linux_blocking_write);
	ADD("/buffers/sndbuf/not-when-cwnd-full", test_sndbuf_not_when_cwnd_full);
	ADD("/buffers/sndbuf/grows-with-cwnd", test_sndbuf_grows_with_cwnd);
	ADD("/buffers/sndbuf/locked", test_sndbuf_locked);
	ADD("/buffers/rcvbuf/autotuning", test_rcvbuf_autotuning);
	ADD("/buffers/rcvbuf/locked", test_rcvbuf_locked);
	ADD("/buffers/bsd/fixed", test_bsd_fixed);
	ADD("/buffers/tso/autosize", test_tso_autosize);
	ADD("/buffers/tso/charges-per-packet", test_tso_charges_per_packet);
	ADD("/buffers/tsq/throttle-and-resume", test_tsq_throttle_and_resume);
	ADD("/buffers/tsq/off", test_tsq_off);
	return g_test_run();
}
