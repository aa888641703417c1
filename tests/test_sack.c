/*
 * SACK as Linux reports and uses it: the receiver's blocks for each way
 * data can arrive out of order (models/tcp_sack_rcv.c, after
 * net/ipv4/tcp_input.c), and the option bytes they take.
 */
#include <glib.h>
#include <string.h>
#include "models/tcp_sack.h"
#include "sim/out/tcpdump.h"
#include "sim/out/wire.h"
#include "tests/e2e.h"
#include "tests/tshark.h"

/* Asserts the blocks, most recent first: n pairs start, end. */
static void assert_blocks(const struct sack_rcv *r, uint32_t n, const uint32_t *want)
{
	g_assert_cmpuint(r->n, ==, n);
	for (uint32_t i = 0; i < n; i++) {
		g_assert_cmpuint(r->blocks[i].start, ==, want[2 * i]);
		g_assert_cmpuint(r->blocks[i].end, ==, want[2 * i + 1]);
	}
}

static void assert_sent(const struct tcp_opts *o, uint32_t n, const uint32_t *want)
{
	g_assert_true(o->present & TCP_OPT_SACK);
	g_assert_cmpuint(o->sack_n, ==, n);
	for (uint32_t i = 0; i < n; i++) {
		g_assert_cmpuint(o->sack[i].start, ==, want[2 * i]);
		g_assert_cmpuint(o->sack[i].end, ==, want[2 * i + 1]);
	}
}

/* RCV.NXT 1000, 2000:3000 arrives, then 3000:4000 grows the same block. */
static void test_rcv_one_hole(void)
{
	struct sack_rcv r = {0};
	sack_rcv_new_ofo(&r, 2000, 3000, true);
	assert_blocks(&r, 1, (const uint32_t[]){2000, 3000});
	sack_rcv_new_ofo(&r, 3000, 4000, false);
	assert_blocks(&r, 1, (const uint32_t[]){2000, 4000});
}

/* Two holes: the block of the newest segment comes first (RFC 2018 §4). */
static void test_rcv_two_holes_recent_first(void)
{
	struct sack_rcv r = {0};
	sack_rcv_new_ofo(&r, 2000, 3000, true);
	sack_rcv_new_ofo(&r, 4000, 5000, false);
	assert_blocks(&r, 2, (const uint32_t[]){4000, 5000, 2000, 3000});
	sack_rcv_new_ofo(&r, 6000, 7000, false);
	assert_blocks(&r, 3, (const uint32_t[]){6000, 7000, 4000, 5000, 2000, 3000});
	/* the oldest block grows: it moves to the front, the others keep their order */
	sack_rcv_new_ofo(&r, 3000, 3500, false);
	assert_blocks(&r, 3, (const uint32_t[]){2000, 3500, 6000, 7000, 4000, 5000});
}

/* The segment between two blocks joins them (tcp_sack_maybe_coalesce()). */
static void test_rcv_hole_between_blocks_filled(void)
{
	struct sack_rcv r = {0};
	sack_rcv_new_ofo(&r, 2000, 3000, true);
	sack_rcv_new_ofo(&r, 4000, 5000, false);
	sack_rcv_new_ofo(&r, 3000, 4000, false);
	assert_blocks(&r, 1, (const uint32_t[]){2000, 5000});
}

/* RCV.NXT passes the first block: it goes, the later one stays; the
 * queue emptied: none stays (tcp_sack_remove()). */
static void test_rcv_hole_filled(void)
{
	struct sack_rcv r = {0};
	sack_rcv_new_ofo(&r, 2000, 3000, true);
	sack_rcv_new_ofo(&r, 4000, 5000, false);
	sack_rcv_remove(&r, 3000, false);
	assert_blocks(&r, 1, (const uint32_t[]){4000, 5000});
	sack_rcv_remove(&r, 5000, true);
	g_assert_cmpuint(r.n, ==, 0);
}

/* A fifth block: the oldest is forgotten (TCP_NUM_SACKS). */
static void test_rcv_full_list_drops_oldest(void)
{
	struct sack_rcv r = {0};
	for (uint32_t i = 0; i < 5; i++)
		sack_rcv_new_ofo(&r, 2000 + 2000 * i, 3000 + 2000 * i, i == 0);
	assert_blocks(&r, 4, (const uint32_t[]){10000, 11000, 8000, 9000, 6000, 7000, 4000, 5000});
}

/* A queue that emptied starts the list afresh (tcp_data_queue_ofo()). */
static void test_rcv_first_segment_restarts(void)
{
	struct sack_rcv r = {0};
	sack_rcv_new_ofo(&r, 2000, 3000, true);
	sack_rcv_new_ofo(&r, 8000, 9000, true);
	assert_blocks(&r, 1, (const uint32_t[]){8000, 9000});
}

/* A duplicate below RCV.NXT: its D-SACK block goes first, once
 * (RFC 2883 §4.1), then the blocks as before. */
static void test_rcv_dsack_below_rcv_nxt(void)
{
	struct sack_rcv r = {0};
	sack_rcv_new_ofo(&r, 2000, 3000, true);
	sack_rcv_dsack_set(&r, 500, 1000);
	struct tcp_opts o = {0};
	g_assert_cmpuint(sack_rcv_fill(&r, &o), ==, 2);
	assert_sent(&o, 2, (const uint32_t[]){500, 1000, 2000, 3000});
	g_assert_false(r.dsack);
	struct tcp_opts again = {0};
	g_assert_cmpuint(sack_rcv_fill(&r, &again), ==, 1);
	assert_sent(&again, 1, (const uint32_t[]){2000, 3000});
}

/* A duplicate of data inside a block: the D-SACK names it, the block
 * that holds it follows (RFC 2883 §4.2, example 3). */
static void test_rcv_dsack_inside_block(void)
{
	struct sack_rcv r = {0};
	sack_rcv_new_ofo(&r, 2000, 4000, true);
	sack_rcv_new_ofo(&r, 6000, 7000, false);
	sack_rcv_dsack_set(&r, 3000, 3500);
	sack_rcv_new_ofo(&r, 3000, 3500, false); /* add_sack: its block moves to the front */
	struct tcp_opts o = {0};
	sack_rcv_fill(&r, &o);
	assert_sent(&o, 3, (const uint32_t[]){3000, 3500, 2000, 4000, 6000, 7000});
}

/* tcp_dsack_extend(): a pending D-SACK grows by a range that touches it,
 * and is not replaced by one that does not. */
static void test_rcv_dsack_extend(void)
{
	struct sack_rcv r = {0};
	sack_rcv_dsack_extend(&r, 1000, 2000);
	sack_rcv_dsack_extend(&r, 2000, 2500);
	g_assert_cmpuint(r.dup.start, ==, 1000);
	g_assert_cmpuint(r.dup.end, ==, 2500);
	sack_rcv_dsack_extend(&r, 4000, 5000);
	g_assert_cmpuint(r.dup.start, ==, 1000);
	g_assert_cmpuint(r.dup.end, ==, 2500);
}

/* Four blocks fit in 40 option bytes, three beside timestamps
 * (tcp_established_options()); the D-SACK counts among them. */
static void test_rcv_option_space(void)
{
	struct sack_rcv r = {0};
	for (uint32_t i = 0; i < 4; i++)
		sack_rcv_new_ofo(&r, 2000 + 2000 * i, 3000 + 2000 * i, i == 0);
	struct tcp_opts plain = {0};
	g_assert_cmpuint(sack_rcv_fill(&r, &plain), ==, 4);
	g_assert_cmpuint(tcp_opts_len(&plain), ==, 36);
	g_assert_cmpuint(sack_rcv_opt_bytes(&r, 0), ==, 36);
	struct tcp_opts ts = {.present = TCP_OPT_TS};
	sack_rcv_dsack_set(&r, 100, 200);
	g_assert_cmpuint(sack_rcv_opt_bytes(&r, 12), ==, 28);
	g_assert_cmpuint(sack_rcv_fill(&r, &ts), ==, 3);
	assert_sent(&ts, 3, (const uint32_t[]){100, 200, 8000, 9000, 6000, 7000});
	g_assert_cmpuint(tcp_opts_len(&ts), ==, 40);
}

/* FreeBSD's layout: the blocks after NOPs to an even offset, then EOLs to
 * a multiple of 4 (tcp_addoptions()). */
static void test_bsd_layout(void)
{
	struct tcp_opts o = {.present = TCP_OPT_TS | TCP_OPT_SACK, .layout = TCP_OPT_LAYOUT_BSD,
	                     .sack_n = 1};
	uint8_t kinds[16];
	uint32_t n = tcp_opts_bsd(&o, kinds);
	const uint8_t want[] = {1, 1, 8, 5, 0, 0}; /* nop,nop,TS,sack,eol,eol */
	g_assert_cmpmem(kinds, n, want, sizeof want);
	g_assert_cmpuint(tcp_opts_len(&o), ==, 24);
	struct tcp_opts bare = {.present = TCP_OPT_SACK, .layout = TCP_OPT_LAYOUT_BSD, .sack_n = 4};
	n = tcp_opts_bsd(&bare, kinds);
	const uint8_t want_bare[] = {1, 1, 5}; /* nop,nop,sack: 36 bytes */
	g_assert_cmpmem(kinds, n, want_bare, sizeof want_bare);
	g_assert_cmpuint(tcp_opts_len(&bare), ==, 36);
}

/* --- the sender's scoreboard --- */

static struct tcp_opts blocks_opt(uint32_t n, const uint32_t *b)
{
	struct tcp_opts o = {.present = TCP_OPT_SACK, .sack_n = (uint8_t)n};
	for (uint32_t i = 0; i < n; i++)
		o.sack[i] = (struct tcp_sack_block){b[2 * i], b[2 * i + 1]};
	return o;
}

/* Blocks join the ranges, touching ones merge; a D-SACK below SND.UNA and
 * a block past SND.MAX teach nothing (RFC 2883 §4, tcp_is_sackblock_valid()). */
static void test_board_update(void)
{
	struct sack_board b = {0};
	struct tcp_opts o = blocks_opt(2, (const uint32_t[]){3000, 4000, 6000, 7000});
	g_assert_cmpuint(sack_board_update(&b, 1000, 11000, &o), ==, 2000);
	o = blocks_opt(3, (const uint32_t[]){500, 1000, 4000, 5000, 12000, 13000});
	g_assert_cmpuint(sack_board_update(&b, 1000, 11000, &o), ==, 1000);
	g_assert_cmpuint(b.n, ==, 2);
	g_assert_cmpuint(b.r[0].start, ==, 3000);
	g_assert_cmpuint(b.r[0].end, ==, 5000);
	g_assert_cmpuint(b.sacked, ==, 3000);
	o = blocks_opt(1, (const uint32_t[]){3000, 4000}); /* known already */
	g_assert_cmpuint(sack_board_update(&b, 1000, 11000, &o), ==, 0);
	/* SND.UNA passes the first range: its bytes leave the count */
	g_assert_cmpuint(sack_board_ack(&b, 5000), ==, 2000);
	g_assert_cmpuint(b.n, ==, 1);
	g_assert_cmpuint(b.sacked, ==, 1000);
	sack_board_free(&b);
}

/* RFC 6675 IsLost (Linux tcp_mark_head_lost() without RACK): a hole is
 * lost once DupThresh segments, or more than 2 * SMSS bytes, are SACKed
 * above it. */
static void test_board_lost(void)
{
	struct sack_board b = {0};
	struct tcp_opts o = blocks_opt(1, (const uint32_t[]){2000, 4000});
	sack_board_update(&b, 1000, 20000, &o);
	g_assert_cmpuint(sack_board_lost_end(&b, 1000, 1000), ==, 1000); /* two segments: not yet */
	o = blocks_opt(1, (const uint32_t[]){5000, 6000});
	sack_board_update(&b, 1000, 20000, &o);
	/* three above the first hole, one above the second */
	g_assert_cmpuint(sack_board_lost_end(&b, 1000, 1000), ==, 2000);
	o = blocks_opt(1, (const uint32_t[]){7000, 9000});
	sack_board_update(&b, 1000, 20000, &o);
	g_assert_cmpuint(sack_board_lost_end(&b, 1000, 1000), ==, 5000);
	g_assert_cmpuint(sack_board_holes(&b, 1000, 5000), ==, 2000);
	uint32_t end;
	g_assert_cmpuint(sack_board_next_hole(&b, 2500, &end), ==, 4000);
	g_assert_cmpuint(end, ==, 5000);
	g_assert_cmpuint(sack_board_next_hole(&b, 9000, &end), ==, 9000);
	g_assert_cmpuint(end, ==, 9000);
	sack_board_free(&b);
}

/* SetPipe: 10 segments out, 3 SACKed, the head lost and sent again:
 * 10 - 3 - 1 + 1 = 7 (tcp_packets_in_flight()). */
static void test_board_pipe(void)
{
	struct sack_board b = {0};
	struct tcp_opts o = blocks_opt(1, (const uint32_t[]){2000, 5000});
	sack_board_update(&b, 1000, 11000, &o);
	uint32_t lost = sack_board_lost_end(&b, 1000, 1000);
	g_assert_cmpuint(sack_pipe(&b, 1000, 11000, lost, 1000), ==, 6000);
	g_assert_cmpuint(sack_pipe(&b, 1000, 11000, lost, 2000), ==, 7000);
	sack_board_free(&b);
}

/* PRR on RFC 6937's example: a window of 20 segments, one lost, Reno's
 * ssthresh of 10, every ACK delivering one segment.  Above ssthresh it
 * sends in proportion ssthresh / RecoverFS: the fast retransmission on
 * the first ACK, then one segment for every two ACKs while the pipe
 * drains from 19 segments to ssthresh; from there one for each ACK, the
 * pipe held at ssthresh (packet conservation).  A sender that sends whole
 * segments only, as Linux counts them. */
static void test_prr_proportional(void)
{
	const uint32_t mss = 1000;
	struct prr p;
	prr_start(&p, 10 * mss, 20 * mss);
	uint32_t pipe = 19 * mss, sent_on[20];
	for (uint32_t i = 0; i < 20; i++) {
		pipe -= mss; /* the segment the ACK delivered */
		uint32_t cwnd = pipe + prr_sndcnt(&p, mss, pipe, mss, false, false);
		sent_on[i] = 0;
		while (cwnd >= pipe + mss) {
			pipe += mss;
			p.out += mss;
			sent_on[i]++;
		}
		g_assert_cmpuint(pipe, >=, 9 * mss); /* never below ssthresh less the ACK's segment */
	}
	const uint32_t want[20] = {1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 1};
	g_assert_cmpmem(sent_on, sizeof sent_on, want, sizeof want);
	g_assert_cmpuint(pipe, ==, 10 * mss);
	g_assert_cmpuint(p.delivered, ==, 20 * mss);
}

/* At or below ssthresh (PRR-SSRB): slow start back up to ssthresh, at
 * most what was delivered and not yet answered, plus one segment when
 * SND.UNA advanced (tcp_cwnd_reduction()). */
static void test_prr_slow_start_bound(void)
{
	const uint32_t mss = 1000;
	struct prr p;
	prr_start(&p, 10 * mss, 20 * mss);
	p.delivered = 12 * mss;
	p.out = 10 * mss;
	g_assert_cmpuint(prr_sndcnt(&p, mss, 5 * mss, mss, false, false), ==, 3 * mss);
	g_assert_cmpuint(prr_sndcnt(&p, mss, 5 * mss, mss, true, false), ==, 5 * mss);
	/* ... but not when the same ACK marked a hole lost */
	g_assert_cmpuint(prr_sndcnt(&p, mss, 4 * mss, mss, true, true), ==, 5 * mss);
	g_assert_cmpuint(prr_sndcnt(&p, mss, 9 * mss, mss, true, false), ==, 1 * mss);
	g_assert_cmpuint(prr_sndcnt(&p, 0, 9 * mss, mss, true, false), ==, 0);
}

/* An ACK with timestamps and two blocks, as Linux writes it
 * (tcp_options_write(): nop,nop,TS then nop,nop,sack) and as tcpdump
 * prints it, relative to the data sender's ISN like the ack field. */
static void test_wire_and_tcpdump(void)
{
	struct packet_view pv = {.kind = PACKET_TCP, .ttl = 64};
	struct tcp_seg *t = &pv.tcp;
	t->saddr = 0x0a000002;
	t->daddr = 0x0a000001;
	t->sport = 80;
	t->dport = 40000;
	t->seq = 5001;
	t->ack = 101001;
	t->flags = TCP_ACK;
	t->wnd = 500;
	t->opt = (struct tcp_opts){.present = TCP_OPT_TS | TCP_OPT_SACK, .tsval = 7, .tsecr = 9,
	                           .sack_n = 2, .sack = {{103001, 104001}, {102001, 102501}}};
	uint8_t buf[128];
	g_assert_cmpuint(wire_encode(&pv, buf, sizeof buf), ==, 20 + 20 + 32);
	const uint8_t *opt = buf + 40;
	const uint8_t head[] = {1, 1, 8, 10};
	g_assert_cmpmem(opt, 4, head, 4);
	const uint8_t sack[] = {1, 1, 5, 18, 0, 1, 0x92, 0x59, 0, 1, 0x96, 0x41}; /* 103001, 104001 */
	g_assert_cmpmem(opt + 12, sizeof sack, sack, sizeof sack);
	GString *line = g_string_new(NULL);
	tcpdump_format(line, 0, &pv, true, 5000, 100000);
	g_assert_nonnull(strstr(line->str, "ack 1001, win 500, options [nop,nop,TS val 7 ecr 9,"
	                                   "nop,nop,sack 2 {3001:4001}{2001:2501}], length 0"));
	g_string_free(line, TRUE);
}

/* --- a bulk transfer that loses one segment --- */

static const char bulk_config[] =
	"[simulation]\nseed = 1\nduration = 60s\n\n"
	"[network]\ndelay = 10ms\n\n"
	"[client]\naddress = 10.0.0.1\nscript = connect; send 200000; close\n\n"
	"[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; recv all; close\n\n"
	"[faults]\none_loss = drop 30th client data\n";

/* 200 kB from the client, its 30th data segment lost: the server's
 * ACKs carry a SACK block that grows from the segment after the hole.
 * The first of them acknowledges the segment before the hole (new data
 * for Wireshark).  With RACK off (Linux tcp_recovery = 0) the second
 * duplicate brings the third SACKed segment, and the client sends the
 * lost one again at once: with three segments SACKed above it the head
 * is lost (RFC 6675 IsLost; tcp_time_to_recover(): sacked_out + 1 >
 * reordering).  With RACK (Linux's default) the first duplicate does:
 * the segment it SACKs left 20 ms after the hole (a round trip of
 * slow start later), more than RACK.rtt + min_rtt / 4 ago for the hole
 * (RFC 8985 §6.2; tcp_rack_detect_loss()).  One resend, at once, no
 * timeout, nothing else sent twice.  The blocks are read back from the
 * pcap by tshark (tcp.options.sack_le / sack_re, relative like tcp.ack). */
static void bulk_one_loss(const char *rack, guint dups_expected)
{
	char *dir = scn_tmpdir();
	char *config = g_build_filename(dir, "bulk.ini", NULL);
	char *text = g_strdup_printf("%s\n[tcp]\nrack = %s\n", bulk_config, rack);
	g_assert_true(g_file_set_contents(config, text, -1, NULL));
	struct e2e s;
	e2e_run_capture(&s, config, NULL, "10.0.0.1");
	const struct e2e_pkt *rtx = NULL;
	guint rtx_count = 0, dup_before = 0;
	gint64 rtx_ack = -1;
	for (guint i = 0; i < s.pkts->len; i++) {
		const struct e2e_pkt *k = PKT(s.pkts, i);
		if (k->dir == 'C' && k->rtx_late) {
			rtx = k;
			rtx_count++;
		}
		if (k->dir == 'S' && k->dup_ack && !rtx && ++dup_before == dups_expected)
			rtx_ack = k->t;
	}
	g_assert_cmpuint(rtx_count, ==, 1);
	/* Wireshark's fast retransmission needs two duplicates before it */
	g_assert_true(rtx->fast_rtx == (dups_expected >= 2));
	g_assert_cmpuint(dup_before, ==, dups_expected);
	g_assert_cmpint(rtx->t, ==, rtx_ack); /* at once, not after a timeout */
	g_assert_cmpint(rtx->t, ==, MS(80));

	static const char *const fields[] = {"tcp.ack", "tcp.options.sack_le", "tcp.options.sack_re", NULL};
	GError *error = NULL;
	char **lines = tshark_fields(s.pcap, "ip.src == 10.0.0.2 && tcp.options.sack_le", fields, &error);
	g_assert_no_error(error);
	guint n = g_strv_length(lines);
	g_assert_cmpuint(n, >=, 3);
	guint64 right = 0;
	for (guint i = 0; i < n; i++) { /* each: the hole's ACK, one block from the segment after it */
		char **f = g_strsplit(lines[i], "\t", -1);
		g_assert_cmpuint(g_ascii_strtoull(f[0], NULL, 10), ==, rtx->seq);
		g_assert_cmpuint(g_ascii_strtoull(f[1], NULL, 10), ==, rtx->seq + rtx->len);
		guint64 re = g_ascii_strtoull(f[2], NULL, 10);
		g_assert_cmpuint(re, >, right); /* it grows with every segment that arrives */
		right = re;
		g_strfreev(f);
	}
	g_strfreev(lines);
	e2e_clear(&s);
	scn_rmtree(dir);
	g_free(text);
	g_free(config);
	g_free(dir);
}

static void test_bulk_one_loss_rfc6675(void)
{
	bulk_one_loss("false", 2);
}

static void test_bulk_one_loss_rack(void)
{
	bulk_one_loss("true", 1);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/sack/rcv/one_hole", test_rcv_one_hole);
	g_test_add_func("/sack/rcv/two_holes_recent_first", test_rcv_two_holes_recent_first);
	g_test_add_func("/sack/rcv/hole_between_blocks_filled", test_rcv_hole_between_blocks_filled);
	g_test_add_func("/sack/rcv/hole_filled", test_rcv_hole_filled);
	g_test_add_func("/sack/rcv/full_list_drops_oldest", test_rcv_full_list_drops_oldest);
	g_test_add_func("/sack/rcv/first_segment_restarts", test_rcv_first_segment_restarts);
	g_test_add_func("/sack/rcv/dsack_below_rcv_nxt", test_rcv_dsack_below_rcv_nxt);
	g_test_add_func("/sack/rcv/dsack_inside_block", test_rcv_dsack_inside_block);
	g_test_add_func("/sack/rcv/dsack_extend", test_rcv_dsack_extend);
	g_test_add_func("/sack/rcv/option_space", test_rcv_option_space);
	g_test_add_func("/sack/bsd_layout", test_bsd_layout);
	g_test_add_func("/sack/wire_and_tcpdump", test_wire_and_tcpdump);
	g_test_add_func("/sack/board/update", test_board_update);
	g_test_add_func("/sack/board/lost", test_board_lost);
	g_test_add_func("/sack/board/pipe", test_board_pipe);
	g_test_add_func("/sack/prr/proportional", test_prr_proportional);
	g_test_add_func("/sack/prr/slow_start_bound", test_prr_slow_start_bound);
	g_test_add_func("/sack/bulk/one_loss_rfc6675", test_bulk_one_loss_rfc6675);
	g_test_add_func("/sack/bulk/one_loss_rack", test_bulk_one_loss_rack);
	return g_test_run();
}
