/*
 * Tests of sim/out/streamend.c, the per-direction highest sequence end that
 * the trace and the capture use to tell what a capture at an interface
 * recognises: a first segment is new; one behind the end is a
 * retransmission when its sender marked it so, else a late original; a SYN
 * with a new ISN starts afresh; a network duplicate is never behind, and
 * moves the end or not as asked; a flow's records go with that flow only.
 */
#include <glib.h>
#include "sim/out/streamend.h"

#define A_ADDR 0x0a000001u /* 10.0.0.1 */
#define B_ADDR 0x0a000002u /* 10.0.0.2 */
#define A_PORT 40000
#define B_PORT 8080
#define ISN 1000u          /* the sender's ISN: data byte n is ISN + 1 + n */
#define FLOW 1u            /* the flow of the segments, unless one says another */

#define FROM_A .saddr = A_ADDR, .daddr = B_ADDR, .sport = A_PORT, .dport = B_PORT
#define FROM_B .saddr = B_ADDR, .daddr = A_ADDR, .sport = B_PORT, .dport = A_PORT

/* Segment templates of the direction from A. */
#define SYN_AT(isn) ((struct tcp_seg){ FROM_A, .seq = (isn), .flags = TCP_SYN })
#define DATA(from, n) ((struct tcp_seg){ FROM_A, .seq = ISN + 1 + (from), .flags = TCP_ACK, .len = (n) })

/* A segment seen at the interface, with what the simulator knows of it. */
struct sighting {
	struct tcp_seg seg;
	bool retransmission; /* its sender had sent this sequence space before */
	bool duplicate;      /* the network's second copy */
	uint64_t flow_id;    /* 0 stands for FLOW */
	enum packet_kind kind; /* PACKET_TCP unless said */
};

static enum streamend_verdict see(struct streamend *se, struct sighting s, bool duplicates_move_end)
{
	struct packet_view pv = { .kind = s.kind, .tcp = s.seg };
	struct net_packet_event e = {
		.pv = &pv,
		.flow_id = s.flow_id ? s.flow_id : FLOW,
		.retransmission = s.retransmission,
		.duplicate = s.duplicate,
	};
	return streamend_seen(se, &e, duplicates_move_end);
}

/* The first 200 bytes from A, in order, after its SYN. */
static struct streamend *after_200_bytes(void)
{
	struct streamend *se = streamend_new();
	g_assert_cmpint(see(se, (struct sighting){ .seg = SYN_AT(ISN) }, true), ==, STREAMEND_NEW);
	g_assert_cmpint(see(se, (struct sighting){ .seg = DATA(0, 100) }, true), ==, STREAMEND_NEW);
	g_assert_cmpint(see(se, (struct sighting){ .seg = DATA(100, 100) }, true), ==, STREAMEND_NEW);
	return se;
}

/* A stream's first segment is new, even one its sender marks as a
 * retransmission (its original never passed here). */
static void test_first_is_new(void)
{
	struct streamend *se = streamend_new();
	g_assert_cmpint(see(se, (struct sighting){ .seg = DATA(0, 100), .retransmission = true }, true),
	                ==, STREAMEND_NEW);
	streamend_free(se);
}

static void test_behind_retransmission(void)
{
	struct streamend *se = after_200_bytes();
	g_assert_cmpint(see(se, (struct sighting){ .seg = DATA(0, 100), .retransmission = true }, true),
	                ==, STREAMEND_RETRANSMISSION);
	/* starting behind the end is enough, even when it reaches past it */
	g_assert_cmpint(see(se, (struct sighting){ .seg = DATA(150, 100), .retransmission = true }, true),
	                ==, STREAMEND_RETRANSMISSION);
	streamend_free(se);
}

/* Wireshark: a lost original's retransmission that brings new sequence
 * space is not a retransmission there. */
static void test_retransmission_at_end_is_new(void)
{
	struct streamend *se = after_200_bytes();
	g_assert_cmpint(see(se, (struct sighting){ .seg = DATA(200, 100), .retransmission = true }, true),
	                ==, STREAMEND_NEW);
	streamend_free(se);
}

/* An original overtaken by a later segment arrives behind the end. */
static void test_behind_late(void)
{
	struct streamend *se = streamend_new();
	see(se, (struct sighting){ .seg = SYN_AT(ISN) }, true);
	g_assert_cmpint(see(se, (struct sighting){ .seg = DATA(100, 100) }, true), ==, STREAMEND_NEW);
	g_assert_cmpint(see(se, (struct sighting){ .seg = DATA(0, 100) }, true), ==, STREAMEND_LATE);
	/* it did not pull the end back */
	g_assert_cmpint(see(se, (struct sighting){ .seg = DATA(150, 10) }, true), ==, STREAMEND_LATE);
	streamend_free(se);
}

/* An ACK's sequence number only says where its sender is. */
static void test_ack_without_space_is_new(void)
{
	struct streamend *se = after_200_bytes();
	g_assert_cmpint(see(se, (struct sighting){ .seg = DATA(0, 0), .retransmission = true }, true),
	                ==, STREAMEND_NEW);
	streamend_free(se);
}

/* A SYN with a new ISN opens a new incarnation; the same ISN again is a
 * retransmitted SYN, behind the end. */
static void test_syn_new_isn_starts_afresh(void)
{
	struct streamend *se = after_200_bytes();
	g_assert_cmpint(see(se, (struct sighting){ .seg = SYN_AT(ISN), .retransmission = true }, true),
	                ==, STREAMEND_RETRANSMISSION);
	uint32_t isn2 = ISN + 50; /* inside the old incarnation's space */
	g_assert_cmpint(see(se, (struct sighting){ .seg = SYN_AT(isn2), .flow_id = 2 }, true), ==,
	                STREAMEND_NEW);
	struct tcp_seg first = DATA(0, 100);
	first.seq = isn2 + 1;
	g_assert_cmpint(see(se, (struct sighting){ .seg = first, .flow_id = 2 }, true), ==,
	                STREAMEND_NEW);
	streamend_free(se);
}

/* RSTs and packets other than TCP are not tracked. */
static void test_rst_and_icmp_untracked(void)
{
	struct streamend *se = after_200_bytes();
	struct tcp_seg rst = DATA(0, 100);
	rst.flags = TCP_RST;
	g_assert_cmpint(see(se, (struct sighting){ .seg = rst, .retransmission = true }, true), ==,
	                STREAMEND_NEW);
	g_assert_cmpint(see(se, (struct sighting){ .seg = DATA(0, 100), .retransmission = true,
	                                           .kind = PACKET_ICMP_UNREACH }, true),
	                ==, STREAMEND_NEW);
	/* neither moved the end: the next in order is still new */
	rst = DATA(500, 100);
	rst.flags = TCP_RST;
	see(se, (struct sighting){ .seg = rst }, true);
	g_assert_cmpint(see(se, (struct sighting){ .seg = DATA(200, 100) }, true), ==, STREAMEND_NEW);
	streamend_free(se);
}

/* A duplicate is never behind, whichever way the flag is. */
static void test_duplicate_never_behind(void)
{
	for (int i = 0; i < 2; i++) {
		bool moves = i == 1;
		struct streamend *se = after_200_bytes();
		g_assert_cmpint(see(se, (struct sighting){ .seg = DATA(0, 100), .duplicate = true,
		                                           .retransmission = true }, moves),
		                ==, STREAMEND_NEW);
		g_assert_cmpint(see(se, (struct sighting){ .seg = DATA(100, 100), .duplicate = true },
		                    moves),
		                ==, STREAMEND_NEW);
		streamend_free(se);
	}
}

/* A duplicate copy ahead of its original (the original held back): the
 * end moves past it only with duplicates_move_end, and the original is
 * then behind (late). */
static void test_duplicate_moves_end_when_asked(void)
{
	static const struct {
		bool moves;
		enum streamend_verdict original;
	} cases[] = { { true, STREAMEND_LATE }, { false, STREAMEND_NEW } };
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct streamend *se = after_200_bytes();
		g_assert_cmpint(see(se, (struct sighting){ .seg = DATA(200, 100), .duplicate = true },
		                    cases[i].moves),
		                ==, STREAMEND_NEW);
		g_assert_cmpint(see(se, (struct sighting){ .seg = DATA(200, 100) }, cases[i].moves), ==,
		                cases[i].original);
		streamend_free(se);
	}
}

/* Forgetting a flow drops both its directions; forgetting another flow
 * drops nothing. */
static void test_forget_own_flow_only(void)
{
	struct streamend *se = after_200_bytes();
	struct tcp_seg from_b = { FROM_B, .seq = 7000, .flags = TCP_SYN | TCP_ACK };
	see(se, (struct sighting){ .seg = from_b }, true);
	const struct net_tuple back = { B_ADDR, A_ADDR, B_PORT, A_PORT }; /* either way round */

	streamend_forget(se, FLOW + 1, &back);
	g_assert_cmpint(see(se, (struct sighting){ .seg = DATA(0, 100), .retransmission = true }, true),
	                ==, STREAMEND_RETRANSMISSION);
	g_assert_cmpint(see(se, (struct sighting){ .seg = from_b, .retransmission = true }, true), ==,
	                STREAMEND_RETRANSMISSION);

	streamend_forget(se, FLOW, &back);
	g_assert_cmpint(see(se, (struct sighting){ .seg = DATA(0, 100), .retransmission = true }, true),
	                ==, STREAMEND_NEW);
	g_assert_cmpint(see(se, (struct sighting){ .seg = from_b, .retransmission = true }, true), ==,
	                STREAMEND_NEW);
	streamend_free(se);
}

/* A record a newer incarnation took over belongs to it: the older flow's
 * end does not take it away. */
static void test_forget_keeps_newer_incarnation(void)
{
	struct streamend *se = after_200_bytes();
	const uint32_t isn2 = ISN + 1000000;
	see(se, (struct sighting){ .seg = SYN_AT(isn2), .flow_id = FLOW + 1 }, true);
	const struct net_tuple t = { A_ADDR, B_ADDR, A_PORT, B_PORT };
	streamend_forget(se, FLOW, &t);
	g_assert_cmpint(see(se, (struct sighting){ .seg = SYN_AT(isn2), .retransmission = true,
	                                           .flow_id = FLOW + 1 }, true),
	                ==, STREAMEND_RETRANSMISSION);
	streamend_forget(se, FLOW + 1, &t);
	/* a record forgotten serves again for a new stream */
	g_assert_cmpint(see(se, (struct sighting){ .seg = SYN_AT(isn2), .retransmission = true,
	                                           .flow_id = FLOW + 2 }, true),
	                ==, STREAMEND_NEW);
	streamend_free(se);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/streamend/first/new", test_first_is_new);
	g_test_add_func("/streamend/behind/retransmission", test_behind_retransmission);
	g_test_add_func("/streamend/behind/at-end-new", test_retransmission_at_end_is_new);
	g_test_add_func("/streamend/behind/late", test_behind_late);
	g_test_add_func("/streamend/behind/ack-only", test_ack_without_space_is_new);
	g_test_add_func("/streamend/syn/new-isn-afresh", test_syn_new_isn_starts_afresh);
	g_test_add_func("/streamend/untracked/rst-icmp", test_rst_and_icmp_untracked);
	g_test_add_func("/streamend/duplicate/never-behind", test_duplicate_never_behind);
	g_test_add_func("/streamend/duplicate/moves-end", test_duplicate_moves_end_when_asked);
	g_test_add_func("/streamend/forget/own-flow", test_forget_own_flow_only);
	g_test_add_func("/streamend/forget/newer-incarnation", test_forget_keeps_newer_incarnation);
	return g_test_run();
}
