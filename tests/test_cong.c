/*
 * Congestion control (models/tcp_cong.h), pure: the window after each
 * ACK, loss and idle period, against numbers computed here from the
 * RFCs' formulas.
 *
 * /cong/reno/...    slow start counts the segments an ACK covers (RFC 5681
 *                   §3.1, Linux tcp_slow_start()), stops at ssthresh, and
 *                   congestion avoidance adds one segment per window
 *                   (tcp_cong_avoid_ai()); ssthresh = max(cwnd / 2, 2); no
 *                   growth while the application, not the window, limits
 * /cong/cubic/...   after a loss: W_max, fast convergence, K, the window in
 *                   the concave and convex regions and the Reno-friendly
 *                   region, against RFC 9438's equations in double
 *                   precision; a timeout forgets W_max (cubictcp_state())
 * /cong/hystart/... slow start ends on a rising RTT and on a long ACK
 *                   train, not on a small rise
 * /cong/idle/...    tcp_cwnd_restart(): halve per RTO idle, down to
 *                   init_cwnd; ssthresh keeps three quarters
 * /cong/e2e/...     through the whole simulator, read back from the pcap
 *                   by tshark: a bulk transfer that loses one segment
 *                   doubles its flight each round trip in slow start, then
 *                   keeps 0.7 of it under cubic and half under reno; after
 *                   2 s idle the next write leaves as init_cwnd segments,
 *                   or as the whole window with slow_start_after_idle off
 */
#include <glib.h>
#include <math.h>

#include "models/tcp_cong.h"
#include "tests/e2e.h"

#define HZ 1000u
#define BASE_US 10000000u /* the clock starts at 10 s: no time reads as 0 */

/* RFC 9438 §4.1-4.3, §5 */
#define RFC_C 0.4
#define RFC_BETA 0.7
#define RFC_ALPHA (3.0 * (1.0 - RFC_BETA) / (1.0 + RFC_BETA))

static struct tcp_cc_clock clock_at(uint64_t us)
{
	us += BASE_US;
	return (struct tcp_cc_clock){.hz = HZ, .jiffies = (uint32_t)(us * HZ / 1000000u),
	                             .now_us = (uint32_t)us};
}

/* A sender that keeps the window full: everything it may send is out. */
struct sender {
	struct tcp_cc cc;
	uint32_t una, nxt; /* in segments */
};

static void sender_init(struct sender *s, enum tcp_cc_algo algo)
{
	struct tcp_cc_clock clk = clock_at(0);
	s->una = s->nxt = 0;
	tcp_cc_init(&s->cc, algo, 10, 0, &clk);
	s->nxt = s->cc.cwnd;
	tcp_cc_validate(&s->cc, true, s->nxt - s->una, s->una, s->nxt);
}

/* An ACK of `acked` segments at `us` with an RTT sample; the sender then
 * fills the window again (cwnd-limited, tcp_cwnd_validate()). */
static void sender_ack(struct sender *s, uint64_t us, uint32_t acked, int64_t rtt_us)
{
	s->una += acked;
	struct tcp_cc_ack a = {.clk = clock_at(us), .acked = acked, .rtt_us = rtt_us,
	                       .snd_una = s->una, .snd_nxt = s->nxt};
	tcp_cc_on_ack(&s->cc, &a);
	if (s->nxt - s->una < s->cc.cwnd)
		s->nxt = s->una + s->cc.cwnd;
	tcp_cc_validate(&s->cc, true, s->nxt - s->una, s->una, s->nxt);
}

/* --- Reno --- */

static void test_reno_slow_start_counts_segments(void)
{
	struct sender s;
	sender_init(&s, TCP_CC_RENO);
	g_assert_cmpuint(s.cc.cwnd, ==, 10);
	g_assert_cmpuint(s.cc.ssthresh, ==, TCP_CC_INFINITE_SSTHRESH);
	sender_ack(&s, 1000, 2, -1); /* a delayed ACK of two segments: two more */
	g_assert_cmpuint(s.cc.cwnd, ==, 12);
	sender_ack(&s, 2000, 1, -1);
	g_assert_cmpuint(s.cc.cwnd, ==, 13);
	for (int i = 0; i < 10; i++) /* a round trip of delayed ACKs doubles the window */
		sender_ack(&s, 3000 + (uint64_t)i * 100, 2, -1);
	g_assert_cmpuint(s.cc.cwnd, ==, 33);
}

static void test_reno_slow_start_stops_at_ssthresh(void)
{
	struct sender s;
	sender_init(&s, TCP_CC_RENO);
	s.cc.ssthresh = 12;
	/* 4 segments: 2 fill the window up to ssthresh, 2 go to cwnd_cnt */
	sender_ack(&s, 1000, 4, -1);
	g_assert_cmpuint(s.cc.cwnd, ==, 12);
	g_assert_cmpuint(s.cc.cwnd_cnt, ==, 2);
}

static void test_reno_additive_increase(void)
{
	struct sender s;
	sender_init(&s, TCP_CC_RENO);
	s.cc.cwnd = 20;
	s.cc.ssthresh = 20;
	s.nxt = s.una + 20;
	for (int i = 0; i < 19; i++)
		sender_ack(&s, 1000 + (uint64_t)i, 1, -1);
	g_assert_cmpuint(s.cc.cwnd, ==, 20); /* 19 of 20 segments: not yet */
	sender_ack(&s, 2000, 1, -1);
	g_assert_cmpuint(s.cc.cwnd, ==, 21); /* one segment per window ACKed */
	g_assert_cmpuint(s.cc.cwnd_cnt, ==, 0);
	for (int i = 0; i < 10; i++) /* delayed ACKs: the same bytes, the same growth */
		sender_ack(&s, 3000 + (uint64_t)i, 2, -1);
	g_assert_cmpuint(s.cc.cwnd, ==, 21);
	sender_ack(&s, 4000, 2, -1);
	g_assert_cmpuint(s.cc.cwnd, ==, 22);
	g_assert_cmpuint(s.cc.cwnd_cnt, ==, 1);
}

static void test_reno_ssthresh(void)
{
	struct sender s;
	sender_init(&s, TCP_CC_NEWRENO);
	s.cc.cwnd = 21;
	tcp_cc_on_loss(&s.cc);
	g_assert_cmpuint(s.cc.ssthresh, ==, 10);
	g_assert_cmpuint(s.cc.cwnd, ==, 10);
	s.cc.cwnd = 3;
	tcp_cc_on_loss(&s.cc);
	g_assert_cmpuint(s.cc.ssthresh, ==, 2); /* never below two segments */
	/* a timeout: ssthresh from the window once, then one segment */
	s.cc.cwnd = 30;
	struct tcp_cc_clock clk = clock_at(0);
	tcp_cc_on_rto(&s.cc, true, 0, &clk);
	g_assert_cmpuint(s.cc.ssthresh, ==, 15);
	g_assert_cmpuint(s.cc.cwnd, ==, 1);
	tcp_cc_on_rto(&s.cc, false, 0, &clk); /* backed off again: ssthresh stays */
	g_assert_cmpuint(s.cc.ssthresh, ==, 15);
}

static void test_reno_application_limited(void)
{
	struct tcp_cc cc;
	struct tcp_cc_clock clk = clock_at(0);
	tcp_cc_init(&cc, TCP_CC_RENO, 10, 0, &clk);
	cc.ssthresh = 5; /* congestion avoidance */
	/* two segments in flight, the window not used up */
	tcp_cc_validate(&cc, false, 2, 0, 2);
	for (uint32_t i = 1; i <= 40; i++) {
		struct tcp_cc_ack a = {.clk = clock_at(i * 1000), .acked = 1, .rtt_us = -1,
		                       .snd_una = i, .snd_nxt = i + 2};
		tcp_cc_on_ack(&cc, &a);
		tcp_cc_validate(&cc, false, 2, i, i + 2);
	}
	g_assert_cmpuint(cc.cwnd, ==, 10); /* tcp_is_cwnd_limited(): no growth */
	/* slow start grows while the window is below twice the flight: not
	 * at 10 with 5 in flight, at 10 with 6 */
	cc.ssthresh = TCP_CC_INFINITE_SSTHRESH;
	tcp_cc_validate(&cc, false, 5, 41, 46);
	struct tcp_cc_ack a = {.clk = clock_at(50000), .acked = 1, .rtt_us = -1, .snd_una = 42,
	                       .snd_nxt = 46};
	tcp_cc_on_ack(&cc, &a);
	g_assert_cmpuint(cc.cwnd, ==, 10);
	tcp_cc_validate(&cc, false, 6, 46, 52); /* a new round: SND.UNA passed the last one */
	a.snd_una = 47;
	a.snd_nxt = 52;
	tcp_cc_on_ack(&cc, &a);
	g_assert_cmpuint(cc.cwnd, ==, 11);
}

/* --- CUBIC --- */

static void test_cubic_ssthresh_and_fast_convergence(void)
{
	struct sender s;
	sender_init(&s, TCP_CC_CUBIC);
	s.cc.cwnd = 100;
	tcp_cc_on_loss(&s.cc);
	g_assert_cmpuint(s.cc.cubic.last_max_cwnd, ==, 100);   /* W_max */
	g_assert_cmpuint(s.cc.ssthresh, ==, (uint32_t)(100 * 717 / 1024)); /* 70: beta 0.7 */
	g_assert_cmpuint(s.cc.cwnd, ==, 70);
	/* the next loss below W_max: fast convergence, W_max = cwnd (1 + beta) / 2
	 * (RFC 9438 §4.7) */
	s.cc.cwnd = 80;
	tcp_cc_on_loss(&s.cc);
	g_assert_cmpuint(s.cc.cubic.last_max_cwnd, ==, (uint32_t)floor(80 * (1.0 + 717.0 / 1024) / 2));
	g_assert_cmpuint(s.cc.ssthresh, ==, 56);
	/* a timeout forgets W_max: cubictcp_state(TCP_CA_Loss) */
	struct tcp_cc_clock clk = clock_at(0);
	tcp_cc_on_rto(&s.cc, true, s.nxt, &clk);
	g_assert_cmpuint(s.cc.cubic.last_max_cwnd, ==, 0);
	g_assert_cmpuint(s.cc.ssthresh, ==, 39); /* 56 * 717 / 1024 */
	g_assert_cmpuint(s.cc.cwnd, ==, 1);
}

static void test_cubic_root(void)
{
	/* tcp_cubic.c's table and one Newton step: within 1 % of the cube root
	 * above the table's own range (its comment: 0.195 % on average) */
	for (uint64_t a = 64; a < (1ull << 50); a = a * 3 + 7) {
		double want = cbrt((double)a);
		double got = tcp_cubic_root(a);
		g_assert_cmpfloat(fabs(got - want), <=, 0.01 * want + 1.0);
	}
}

/* One round trip after another of full windows, each ACK covering one
 * segment, until `until_us`; returns the time reached. */
static uint64_t run_rounds(struct sender *s, uint64_t from_us, uint64_t until_us, uint32_t rtt_us)
{
	uint64_t t = from_us;
	while (t < until_us) {
		uint32_t w = s->nxt - s->una;
		for (uint32_t i = 0; i < w && t < until_us; i++)
			sender_ack(s, t + (uint64_t)i * rtt_us / w, 1, rtt_us);
		t += rtt_us;
	}
	return t;
}

/* W_cubic(t) = C (t - K)^3 + W_max, t in seconds (RFC 9438 §4.2, eq. 1) */
static double rfc_w_cubic(double t, double k, double w_max)
{
	return RFC_C * pow(t - k, 3) + w_max;
}

/* A sender at W_max = 100 segments loses one; the window afterwards. */
static void cubic_after_loss(struct sender *s, uint32_t rtt_us)
{
	sender_init(s, TCP_CC_CUBIC);
	s->cc.cwnd = 100;
	s->nxt = s->una + 100;
	tcp_cc_on_loss(&s->cc);
	s->cc.cubic.delay_min = rtt_us; /* what slow start measured */
	s->nxt = s->una + s->cc.cwnd;
}

/* The window follows W_cubic: below W_max, concave, then past it, convex.
 * Linux aims one RTT ahead (t + delay_min) and climbs there within the
 * RTT, so the window at t is W_cubic(t) to within the growth of one RTT
 * (under half a segment here), plus one segment for the whole-segment
 * window and the curve's fixed point (t in 1/1024 s at HZ=1000, K from a
 * cube root accurate to about 0.2 %): 1.5 segments. */
static void test_cubic_window_regions(void)
{
	const uint32_t rtt = 100000; /* 100 ms: CUBIC well above Reno-friendly */
	struct sender s;
	cubic_after_loss(&s, rtt);
	uint64_t t0 = 1000000;
	sender_ack(&s, t0, 1, rtt); /* the epoch starts with the first ACK */
	double k = cbrt(100.0 * (1 - RFC_BETA) / RFC_C); /* RFC 9438 §4.2, eq. 2 */
	g_assert_cmpfloat(fabs(s.cc.cubic.bic_K / 1024.0 - k), <=, 0.01 * k);
	g_assert_cmpuint(s.cc.cubic.bic_origin_point, ==, 100);
	double checkpoints[] = {k / 2, k - 0.5, k + 1.0, k + 2.5};
	uint32_t cwnd[G_N_ELEMENTS(checkpoints)];
	uint64_t t = t0;
	for (size_t i = 0; i < G_N_ELEMENTS(checkpoints); i++) {
		t = run_rounds(&s, t, t0 + (uint64_t)(checkpoints[i] * 1e6), rtt);
		double want = rfc_w_cubic((double)(t - t0) / 1e6, k, 100);
		g_test_message("t = %.3f s: cwnd %u, W_cubic %.2f", (t - t0) / 1e6, s.cc.cwnd, want);
		g_assert_cmpfloat(fabs(s.cc.cwnd - want), <=, 1.5);
		cwnd[i] = s.cc.cwnd;
	}
	/* concave: below W_max halfway to K; convex: past it after K */
	g_assert_cmpuint(cwnd[0], <, 100);
	g_assert_cmpuint(cwnd[3], >, 103);
}

/* On a short path the Reno estimate W_est grows faster than the cubic
 * curve: the window follows W_est = W_max * beta + alpha * t / RTT
 * (RFC 9438 §4.3, eq. 4, one window ACKed per round trip).  Linux's
 * alpha is 8 / beta_scale = 8 / 15 = 0.533 against the RFC's 0.529 (0.8 %
 * over 50 round trips: 0.2 segments), and the window trails W_est: by
 * one segment (max_cnt = cwnd / (W_est - cwnd) grows it one a round trip
 * once it is a segment behind), and by W_est's growth while
 * bictcp_update() keeps its cnt (HZ / 32 = 31 ms, three round trips of
 * 0.53 segments, while the window is unchanged): it trails by up to 3
 * segments and never leads. */
static void test_cubic_reno_friendly(void)
{
	const uint32_t rtt = 10000; /* 10 ms */
	struct sender s;
	cubic_after_loss(&s, rtt);
	uint64_t t0 = 1000000;
	sender_ack(&s, t0, 1, rtt);
	double k = cbrt(100.0 * (1 - RFC_BETA) / RFC_C);
	uint64_t t = run_rounds(&s, t0 + rtt, t0 + 500000, rtt); /* 0.5 s: 50 round trips */
	double secs = (double)(t - t0) / 1e6;
	double w_est = 100 * RFC_BETA + RFC_ALPHA * secs * 1e6 / rtt;
	double w_cubic = rfc_w_cubic(secs, k, 100);
	g_test_message("t = %.3f s: cwnd %u, W_est %.2f, W_cubic %.2f", secs, s.cc.cwnd, w_est, w_cubic);
	g_assert_cmpfloat(w_est, >, w_cubic + 10); /* in the Reno-friendly region */
	g_assert_cmpfloat(s.cc.cwnd, >=, w_est - 3.0);
	g_assert_cmpfloat(s.cc.cwnd, <=, w_est + 0.5);
}

/* --- HyStart --- */

/* Slow start from 10 segments: round trips of `rtt_us[r]`, ACKs of one
 * segment `gap_us` apart, until HyStart sets ssthresh or `rounds` end. */
static void hystart_run(struct sender *s, const uint32_t *rtt_us, int rounds, uint32_t gap_us)
{
	sender_init(s, TCP_CC_CUBIC);
	uint64_t t = 1000000;
	for (int r = 0; r < rounds && s->cc.ssthresh == TCP_CC_INFINITE_SSTHRESH; r++) {
		uint32_t w = s->nxt - s->una;
		for (uint32_t i = 0; i < w && s->cc.ssthresh == TCP_CC_INFINITE_SSTHRESH; i++)
			sender_ack(s, t + (uint64_t)i * gap_us, 1, rtt_us[r]);
		t += (uint64_t)w * gap_us + rtt_us[r];
	}
}

static void test_hystart_delay_increase(void)
{
	/* rounds of 10, 20 and 40 ACKs 5 ms apart (no ACK train: more than
	 * hystart_ack_delta_us = 2 ms); the RTT rises from 100 ms to 120 ms in
	 * the third, past delay_min + clamp(delay_min / 8, 4 ms, 16 ms) =
	 * 112.5 ms.  The first 8 samples of the round only count
	 * (HYSTART_MIN_SAMPLES); the 9th ends slow start at the window it
	 * finds: 40 + 8 segments. */
	const uint32_t rtt[] = {100000, 100000, 120000, 120000};
	struct sender s;
	hystart_run(&s, rtt, 4, 5000);
	g_assert_true(s.cc.cubic.found);
	g_assert_cmpuint(s.cc.ssthresh, ==, 48);
	g_assert_cmpuint(s.una, ==, 10 + 20 + 9);
	/* a rise of 10 ms stays under the threshold: slow start goes on */
	const uint32_t small[] = {100000, 100000, 110000, 110000};
	hystart_run(&s, small, 4, 5000);
	g_assert_false(s.cc.cubic.found);
	g_assert_cmpuint(s.cc.ssthresh, ==, TCP_CC_INFINITE_SSTHRESH);
	g_assert_cmpuint(s.cc.cwnd, ==, 160);
}

static void test_hystart_ack_train(void)
{
	/* ACKs 1 ms apart, RTT 100 ms: the train of a round is as long as the
	 * round's window in ms; it passes delay_min / 2 = 50 ms at the 52nd ACK
	 * of the round of 80 (rounds 10, 20, 40, 80), where the window is
	 * 80 + 51 segments */
	const uint32_t rtt[] = {100000, 100000, 100000, 100000, 100000};
	struct sender s;
	hystart_run(&s, rtt, 5, 1000);
	g_assert_true(s.cc.cubic.found);
	g_assert_cmpuint(s.cc.ssthresh, ==, 131);
}

/* --- slow start after idle --- */

static void test_idle_restart(void)
{
	struct tcp_cc cc;
	struct tcp_cc_clock clk = clock_at(0);
	tcp_cc_init(&cc, TCP_CC_CUBIC, 10, 0, &clk);
	cc.cwnd = 40;
	cc.ssthresh = 20;
	/* 700 ms idle, RTO 200 ms: 40 -> 20 -> 10 (the restart window) */
	tcp_cc_restart_after_idle(&cc, 700, 200, 10);
	g_assert_cmpuint(cc.cwnd, ==, 10);
	g_assert_cmpuint(cc.ssthresh, ==, 30); /* max(ssthresh, 3/4 cwnd) */
	/* 300 ms idle: one halving */
	cc.cwnd = 40;
	cc.ssthresh = 20;
	tcp_cc_restart_after_idle(&cc, 300, 200, 10);
	g_assert_cmpuint(cc.cwnd, ==, 20);
	/* a window below init_cwnd is kept */
	cc.cwnd = 4;
	tcp_cc_restart_after_idle(&cc, 5000, 200, 10);
	g_assert_cmpuint(cc.cwnd, ==, 4);
}

/* --- through the simulator --- */

/* 10 ms each way, no bandwidth limit: each round trip's segments leave
 * at the instants the ACKs arrive, so a 20 ms bin holds one round. */
#define BULK_CONFIG                                 \
	"[simulation]\nseed = 1\n"                  \
	"[network]\ndelay = 10ms\n"                  \
	"[tcp]\nsndbuf = 4MiB\nrcvbuf = 4MiB\n"      \
	"[server]\naddress = 10.0.0.2:7777\n"         \
	"script = listen; accept; recv all; close\n" \
	"[client]\naddress = 10.0.0.1\n"

static void run_config(struct e2e *s, const char *text, const char *set)
{
	char *dir = scn_tmpdir();
	char *path = g_build_filename(dir, "cong.ini", NULL);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	const char *extra[] = {"-s", set, NULL};
	e2e_run_capture(s, path, extra, "10.0.0.1");
	scn_rmtree(dir);
	g_free(path);
	g_free(dir);
}

/* The most data in flight (segments of 1448 bytes, SND.MAX - the highest
 * ACK) the client had in each 20 ms of the run, by bin. */
static GArray *flight_per_round(const struct e2e *s)
{
	GArray *rounds = g_array_new(FALSE, TRUE, sizeof(guint));
	guint64 hi = 0, acked = 0;
	for (guint i = 0; i < s->pkts->len; i++) {
		const struct e2e_pkt *k = PKT(s->pkts, i);
		if (k->dir == 'S') {
			acked = MAX(acked, k->ack);
			continue;
		}
		if (k->len == 0)
			continue;
		hi = MAX(hi, k->seq + k->len);
		guint bin = (guint)(k->t / MS(20)), flight = (guint)((hi - acked) / 1448);
		if (bin >= rounds->len)
			g_array_set_size(rounds, bin + 1);
		g_array_index(rounds, guint, bin) = MAX(g_array_index(rounds, guint, bin), flight);
	}
	return rounds;
}

/* The 300th data segment is lost; the window then is what slow start
 * reached (10, 20, 40, 80, 160 in flight, then 309 when the loss is
 * found); after recovery (round 7, where SND.MAX - the highest ACK counts
 * the SACKed data too) cubic keeps 309 * 717 / 1024 = 216 segments
 * (RFC 9438 §4.6) and reno 309 / 2 = 154 (RFC 5681 §3.2), each plus the
 * segment or so the round after grows. */
static void test_e2e_cubic_vs_reno(void)
{
	static const char config[] = BULK_CONFIG "script = connect; send 3000000; close\n"
	                             "[faults]\nloss = drop 300th client data\n";
	static const char *const algos[] = {"cubic", "reno"};
	const guint after[] = {309 * 717 / 1024, 309 / 2};
	for (int a = 0; a < 2; a++) {
		struct e2e s;
		char *set = g_strdup_printf("client.tcp.congestion_control=%s", algos[a]);
		run_config(&s, config, set);
		GArray *r = flight_per_round(&s);
		g_assert_cmpuint(r->len, >, 12);
		const guint slow_start[] = {10, 20, 40, 80, 160};
		for (guint i = 0; i < G_N_ELEMENTS(slow_start); i++)
			g_assert_cmpuint(g_array_index(r, guint, i + 1), ==, slow_start[i]);
		/* the round the loss is found in: the SACKed segments leave the
		 * pipe (tcp_packets_in_flight()), so a few more go than 309 */
		g_assert_cmpuint(g_array_index(r, guint, 6), >=, 309);
		g_assert_cmpuint(g_array_index(r, guint, 6), <=, 320);
		guint next = g_array_index(r, guint, 8);
		g_test_message("%s: %u in flight after the loss", algos[a], next);
		g_assert_cmpuint(next, >=, after[a]);
		g_assert_cmpuint(next, <=, after[a] + 2);
		/* then congestion avoidance: about one segment more a round */
		g_assert_cmpuint(g_array_index(r, guint, 11), >=, next + 3);
		g_assert_cmpuint(g_array_index(r, guint, 11), <=, next + 6);
		e2e_assert_endpoint(&s, "client", "CLOSED", "ok");
		g_array_free(r, TRUE);
		g_free(set);
		e2e_clear(&s);
	}
}

/* The data packets the client sent at the first instant after a pause
 * of more than a second. */
static guint burst_after_idle(const struct e2e *s)
{
	gint64 last = -1, t0 = -1;
	guint n = 0;
	for (guint i = 0; i < s->pkts->len; i++) {
		const struct e2e_pkt *k = PKT(s->pkts, i);
		if (k->dir != 'C' || k->len == 0)
			continue;
		if (t0 < 0 && last >= 0 && k->t - last > SEC(1))
			t0 = k->t;
		n += t0 >= 0 && k->t == t0;
		last = k->t;
	}
	return n;
}

/* 300 kB, 2 s idle, 300 kB: slow start ended near 208 segments; after
 * 2 s, about nine RTOs of 220 ms, tcp_cwnd_restart() halves it down to
 * the restart window, init_cwnd (10). */
static void test_e2e_idle_restart(void)
{
	static const char config[] = BULK_CONFIG
		"script = connect; send 300000; sleep 2s; send 300000; close\n";
	struct e2e s;
	run_config(&s, config, "client.tcp.slow_start_after_idle=true");
	g_assert_cmpuint(burst_after_idle(&s), ==, 10);
	e2e_clear(&s);
	run_config(&s, config, "client.tcp.slow_start_after_idle=false");
	g_assert_cmpuint(burst_after_idle(&s), >, 200); /* the whole window at once */
	e2e_clear(&s);
}

static void test_names(void)
{
	enum tcp_cc_algo a;
	g_assert_true(tcp_cc_from_name("cubic", &a) && a == TCP_CC_CUBIC);
	g_assert_true(tcp_cc_from_name("newreno", &a) && a == TCP_CC_NEWRENO);
	g_assert_false(tcp_cc_from_name("vegas", &a));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cong/reno/slow-start-counts-segments", test_reno_slow_start_counts_segments);
	g_test_add_func("/cong/reno/slow-start-stops-at-ssthresh", test_reno_slow_start_stops_at_ssthresh);
	g_test_add_func("/cong/reno/additive-increase", test_reno_additive_increase);
	g_test_add_func("/cong/reno/ssthresh", test_reno_ssthresh);
	g_test_add_func("/cong/reno/application-limited", test_reno_application_limited);
	g_test_add_func("/cong/cubic/ssthresh-fast-convergence", test_cubic_ssthresh_and_fast_convergence);
	g_test_add_func("/cong/cubic/cube-root", test_cubic_root);
	g_test_add_func("/cong/cubic/window-regions", test_cubic_window_regions);
	g_test_add_func("/cong/cubic/reno-friendly", test_cubic_reno_friendly);
	g_test_add_func("/cong/hystart/delay-increase", test_hystart_delay_increase);
	g_test_add_func("/cong/hystart/ack-train", test_hystart_ack_train);
	g_test_add_func("/cong/idle/restart", test_idle_restart);
	g_test_add_func("/cong/names", test_names);
	g_test_add_func("/cong/e2e/cubic-vs-reno", test_e2e_cubic_vs_reno);
	g_test_add_func("/cong/e2e/idle-restart", test_e2e_idle_restart);
	return g_test_run();
}
