/*
 * RACK's records and loss marking (models/tcp_rack.c): RFC 8985 §6.2 as
 * Linux's net/ipv4/tcp_recovery.c runs it, in simulated time.
 */
#include <glib.h>
#include "models/tcp_rack.h"
#include "models/seq.h"

#define MS(x) ((sim_time)(x) * 1000000)

static struct tcp_opts blocks_opt(uint32_t n, const uint32_t *b)
{
	struct tcp_opts o = {.present = TCP_OPT_SACK, .sack_n = (uint8_t)n};
	for (uint32_t i = 0; i < n; i++)
		o.sack[i] = (struct tcp_sack_block){b[2 * i], b[2 * i + 1]};
	return o;
}

/* Ten segments of 1000 bytes from 1000, sent 1 ms apart from time 0. */
static void send_ten(struct rack *r)
{
	rack_init(r, 1000);
	for (uint32_t i = 0; i < 10; i++)
		rack_sent(r, 1000 + 1000 * i, 2000 + 1000 * i, MS(i));
}

/* A resend splits the records at its edges and restamps what it covers;
 * the cumulative ACK takes the records below it, a partial one trimmed. */
static void test_records(void)
{
	struct rack r = {0};
	send_ten(&r);
	g_assert_cmpuint(r.n, ==, 10);
	rack_sent(&r, 1500, 2500, MS(50));
	g_assert_cmpuint(r.n, ==, 12);
	g_assert_cmpuint(rack_seg_at(&r, 0)->end, ==, 1500);
	g_assert_false(rack_seg_at(&r, 0)->retrans);
	g_assert_cmpuint(rack_seg_at(&r, 1)->start, ==, 1500);
	g_assert_cmpuint(rack_seg_at(&r, 1)->end, ==, 2000);
	g_assert_true(rack_seg_at(&r, 1)->retrans);
	g_assert_cmpint(rack_seg_at(&r, 1)->xmit, ==, MS(50));
	g_assert_true(rack_seg_at(&r, 2)->retrans);
	g_assert_cmpuint(rack_seg_at(&r, 3)->start, ==, 2500);
	g_assert_false(rack_seg_at(&r, 3)->retrans);
	g_assert_cmpint(rack_seg_at(&r, 3)->xmit, ==, MS(1));
	rack_acked(&r, 2700, 1000, MS(60));
	g_assert_cmpuint(r.n, ==, 9);
	g_assert_cmpuint(rack_seg_at(&r, 0)->start, ==, 2700);
	g_assert_cmpuint(rack_seg_at(&r, 0)->end, ==, 3000);
	rack_free(&r);
}

/* A long transfer: records go from the front as SND.UNA passes them and
 * come at the end as data leaves, a window of 1 to 40 in flight, with a
 * resend now and then and partial ACKs; the array is reused from its
 * start many times over.  The live records always run from SND.UNA to
 * what was sent, in order, contiguous. */
static void test_records_stream(void)
{
	struct rack r = {0};
	rack_init(&r, 0);
	uint32_t una = 0, nxt = 0;
	for (uint32_t round = 0; round < 5000; round++) {
		uint32_t burst = 1 + round % 7;
		for (uint32_t k = 0; k < burst && nxt - una < 40000; k++, nxt += 1000)
			rack_sent(&r, nxt, nxt + 1000, MS(round));
		if (round % 13 == 0 && nxt - una > 2000) /* a resend inside */
			rack_sent(&r, una + 500, una + 1500, MS(round));
		uint32_t ack = una + (round % 5) * 700;
		if (seq_gt(ack, nxt))
			ack = nxt;
		rack_acked(&r, ack, una, MS(round) + 1);
		una = ack;
		g_assert_cmpuint(r.head + r.n, <=, r.cap);
		uint32_t at = una;
		for (uint32_t i = 0; i < r.n; i++) {
			g_assert_cmpuint(rack_seg_at(&r, i)->start, ==, at);
			at = rack_seg_at(&r, i)->end;
			g_assert_true(seq_lt(rack_seg_at(&r, i)->start, at));
		}
		g_assert_cmpuint(at, ==, r.n ? nxt : una);
	}
	g_assert_cmpuint(r.cap, <=, 256); /* bounded by the window, not the transfer */
	rack_free(&r);
}

/* One segment SACKed (the third), RTT 100 ms: the two sent before it are
 * lost once RACK.rtt + reo_wnd has passed since each left, and not
 * before; the detection's answer is the reordering timer's wait
 * (tcp_rack_detect_loss(), tcp_rack_mark_lost()). */
static void test_mark_after_reo_wnd(void)
{
	struct rack r = {0};
	struct sack_board b = {0};
	send_ten(&r);
	struct tcp_opts o = blocks_opt(1, (const uint32_t[]){3000, 4000});
	sack_board_update(&b, 1000, 11000, &o);
	rack_sacked(&r, &b, 1000, MS(102)); /* sent at 2 ms */
	g_assert_true(r.advanced);
	g_assert_cmpint(r.xmit_ts, ==, MS(2));
	g_assert_cmpuint(r.end_seq, ==, 4000);
	g_assert_cmpint(r.rtt, ==, MS(100));
	g_assert_cmpint(r.min_rtt, ==, MS(100));
	sim_time wnd = rack_reo_wnd(&r, false, 1, MS(100));
	g_assert_cmpint(wnd, ==, MS(25)); /* min_rtt / 4 */
	/* the first left at 0: lost at 125 ms; the second at 1 ms: 126 ms */
	g_assert_cmpint(rack_detect_loss(&r, 1000, MS(102), wnd), ==, MS(24));
	g_assert_cmpuint(r.lost_end, ==, 1000);
	g_assert_cmpint(rack_detect_loss(&r, 1000, MS(125), wnd), ==, MS(1));
	g_assert_cmpuint(r.lost_end, ==, 2000);
	g_assert_cmpint(rack_detect_loss(&r, 1000, MS(126), wnd), ==, 0);
	g_assert_cmpuint(r.lost_end, ==, 3000);
	/* those sent after the SACKed one are never lost by it */
	g_assert_cmpint(rack_detect_loss(&r, 1000, MS(900), wnd), ==, 0);
	g_assert_cmpuint(r.lost_end, ==, 3000);
	rack_free(&r);
	sack_board_free(&b);
}

/* tcp_rack_reo_wnd(): no reordering seen, the window is 0 in recovery
 * and once the SACKed segments reach the duplicate threshold; else
 * min_rtt / 4, at most SRTT; SRTT before any sample. */
static void test_reo_wnd(void)
{
	struct rack r = {0};
	rack_init(&r, 1);
	r.min_rtt = MS(40);
	g_assert_cmpint(rack_reo_wnd(&r, false, 2, MS(60)), ==, MS(10));
	g_assert_cmpint(rack_reo_wnd(&r, false, 3, MS(60)), ==, 0);
	g_assert_cmpint(rack_reo_wnd(&r, true, 1, MS(60)), ==, 0);
	g_assert_cmpint(rack_reo_wnd(&r, false, 1, MS(8)), ==, MS(8));
	r.reord = true;
	g_assert_cmpint(rack_reo_wnd(&r, true, 5, MS(60)), ==, MS(10));
	r.min_rtt = 0;
	g_assert_cmpint(rack_reo_wnd(&r, false, 1, MS(60)), ==, MS(60));
	rack_free(&r);
}

/* Three segments SACKed: the window is 0, and a hole sent before the
 * newest of them is lost at once, without waiting. */
static void test_dupthresh_marks_at_once(void)
{
	struct rack r = {0};
	struct sack_board b = {0};
	send_ten(&r);
	struct tcp_opts o = blocks_opt(1, (const uint32_t[]){2000, 5000});
	sack_board_update(&b, 1000, 11000, &o);
	rack_sacked(&r, &b, 1000, MS(104));
	g_assert_cmpint(r.xmit_ts, ==, MS(3));
	g_assert_cmpint(r.rtt, ==, MS(101)); /* the last one delivered */
	sim_time wnd = rack_reo_wnd(&r, false, 3, MS(100));
	g_assert_cmpint(wnd, ==, 0);
	g_assert_cmpint(rack_detect_loss(&r, 1000, MS(104), wnd), ==, 0);
	g_assert_cmpuint(r.lost_end, ==, 2000);
	rack_free(&r);
	sack_board_free(&b);
}

/* tcp_rack_advance(): a resent segment delivered sooner than min_rtt
 * after the resend was the original's delivery: RACK does not move. */
static void test_retransmit_too_soon(void)
{
	struct rack r = {0};
	struct sack_board b = {0};
	send_ten(&r);
	r.min_rtt = MS(100);
	rack_sent(&r, 2000, 3000, MS(150));
	struct tcp_opts o = blocks_opt(1, (const uint32_t[]){2000, 3000});
	sack_board_update(&b, 1000, 11000, &o);
	rack_sacked(&r, &b, 1000, MS(160));
	g_assert_false(r.advanced);
	g_assert_cmpint(r.xmit_ts, <, 0);
	/* an RTT of at least min_rtt is the resend's */
	rack_sent(&r, 4000, 5000, MS(160));
	o = blocks_opt(1, (const uint32_t[]){4000, 5000});
	sack_board_update(&b, 1000, 11000, &o);
	rack_sacked(&r, &b, 1000, MS(260));
	g_assert_true(r.advanced);
	g_assert_cmpint(r.xmit_ts, ==, MS(160));
	g_assert_cmpint(r.rtt, ==, MS(100));
	rack_free(&r);
	sack_board_free(&b);
}

/* A hole filled below SACKed data by an original (not a resend) is
 * reordering (tcp_check_sack_reordering(): tp->reord_seen); from then on
 * the window stays min_rtt / 4 even in recovery. */
static void test_reordering_seen(void)
{
	struct rack r = {0};
	struct sack_board b = {0};
	send_ten(&r);
	struct tcp_opts o = blocks_opt(1, (const uint32_t[]){3000, 4000});
	sack_board_update(&b, 1000, 11000, &o);
	rack_sacked(&r, &b, 1000, MS(102));
	g_assert_false(r.reord);
	uint32_t high = 4000;
	sack_board_ack(&b, 4000);
	rack_acked(&r, 4000, high, MS(103)); /* 1000:3000 arrived late */
	g_assert_true(r.reord);
	g_assert_cmpint(rack_reo_wnd(&r, true, 0, MS(100)), ==, MS(25));
	rack_free(&r);
	sack_board_free(&b);
}

/* tcp_rack_update_reo_wnd(): a D-SACK adds a step to the window, one a
 * round trip; the grown window lasts 16 recoveries, then falls back. */
static void test_dsack_grows_window(void)
{
	struct rack r = {0};
	rack_init(&r, 1);
	r.min_rtt = MS(40);
	r.reord = true;
	struct tcp_opts o = blocks_opt(1, (const uint32_t[]){500, 1000}); /* below the ACK */
	g_assert_true(rack_is_dsack(&o, 1000));
	o = blocks_opt(2, (const uint32_t[]){3000, 4000, 2000, 5000}); /* inside the second */
	g_assert_true(rack_is_dsack(&o, 1000));
	o = blocks_opt(1, (const uint32_t[]){3000, 4000});
	g_assert_false(rack_is_dsack(&o, 1000));
	r.dsack_seen = true;
	rack_update_reo_wnd(&r, MS(100), MS(60));
	g_assert_cmpint(rack_reo_wnd(&r, false, 0, MS(60)), ==, MS(20));
	r.dsack_seen = true; /* within SRTT of the step: disregarded */
	rack_update_reo_wnd(&r, MS(150), MS(60));
	g_assert_cmpuint(r.reo_wnd_steps, ==, 2);
	r.dsack_seen = true;
	rack_update_reo_wnd(&r, MS(160), MS(60));
	g_assert_cmpuint(r.reo_wnd_steps, ==, 3);
	g_assert_cmpint(rack_reo_wnd(&r, false, 0, MS(60)), ==, MS(30));
	g_assert_cmpint(rack_reo_wnd(&r, false, 0, MS(25)), ==, MS(25)); /* at most SRTT */
	for (int i = 0; i < 15; i++)
		rack_recovery_ended(&r);
	rack_update_reo_wnd(&r, MS(900), MS(60));
	g_assert_cmpuint(r.reo_wnd_steps, ==, 3);
	rack_recovery_ended(&r);
	rack_update_reo_wnd(&r, MS(901), MS(60));
	g_assert_cmpuint(r.reo_wnd_steps, ==, 1);
	rack_free(&r);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rack/records", test_records);
	g_test_add_func("/rack/records_stream", test_records_stream);
	g_test_add_func("/rack/mark_after_reo_wnd", test_mark_after_reo_wnd);
	g_test_add_func("/rack/reo_wnd", test_reo_wnd);
	g_test_add_func("/rack/dupthresh_marks_at_once", test_dupthresh_marks_at_once);
	g_test_add_func("/rack/retransmit_too_soon", test_retransmit_too_soon);
	g_test_add_func("/rack/reordering_seen", test_reordering_seen);
	g_test_add_func("/rack/dsack_grows_window", test_dsack_grows_window);
	return g_test_run();
}
