/*
 * Tests of sim/out/tcpdump.c: tcpsim's trace lines must be the lines tcpdump
 * prints for the same packets.
 *
 * The reference is the capture quoted in seed 004 (`tcpdump -S` on lo, a
 * server on port 20000 that sends 255 bytes and closes).  Its packets are
 * rebuilt here field by field; the seed shows host names and wall-clock
 * times, so the lines are compared from "Flags" onward.  The relative-mode
 * lines are what tcpdump without -S prints for the same packets.  Other
 * lines (full line with time and addresses, RST, ICMP) follow tcpdump's
 * print-tcp.c and print-icmp.c; when this file was written, the same
 * packets encoded by sim/out/wire.c into a pcap were read back by tcpdump
 * 4.99.3 (`-nn -tt --nano`, with and without -S) and every line matched.
 */
#include <string.h>
#include <glib.h>
#include "sim/out/tcpdump.h"

/* Seed 004: client neptune.local.49493 -> server neptune.local.20000. */
#define CLI_ADDR 0x0a000001u /* 10.0.0.1 stands in for neptune.local */
#define SRV_ADDR 0x0a000002u /* 10.0.0.2 */
#define CLI_PORT 49493
#define SRV_PORT 20000
#define CLI_ISN 1317094743u
#define SRV_ISN 1311370954u
#define TSV 7083694u

/* Segment templates of the seed's two directions. */
#define FROM_CLIENT .saddr = CLI_ADDR, .daddr = SRV_ADDR, .sport = CLI_PORT, .dport = SRV_PORT
#define FROM_SERVER .saddr = SRV_ADDR, .daddr = CLI_ADDR, .sport = SRV_PORT, .dport = CLI_PORT
#define SYN_OPTS(ecr)                                                                     \
	.opt = { .present = TCP_OPT_MSS | TCP_OPT_SACK_PERM | TCP_OPT_TS | TCP_OPT_WSCALE, \
	         .mss = 16396, .wscale = 6, .tsval = TSV, .tsecr = (ecr) }
#define TS_OPTS .opt = { .present = TCP_OPT_TS, .tsval = TSV, .tsecr = TSV }

struct seed_case {
	const char *path;     /* test path */
	struct tcp_seg seg;   /* the packet's fields */
	const char *absolute; /* the seed's line (tcpdump -S) */
	const char *relative; /* tcpdump's line without -S, from "Flags" */
};

static const struct seed_case seed_004[] = {
	{ "/tcpdump/seed-004/syn",
	  { FROM_CLIENT, .seq = CLI_ISN, .flags = TCP_SYN, .wnd = 32792, SYN_OPTS(0) },
	  "17:05:35.358403 IP neptune.local.49493 > neptune.local.20000: Flags [S], seq 1317094743, win 32792, options [mss 16396,sackOK,TS val 7083694 ecr 0,nop,wscale 6], length 0",
	  "Flags [S], seq 1317094743, win 32792, options [mss 16396,sackOK,TS val 7083694 ecr 0,nop,wscale 6], length 0" },
	{ "/tcpdump/seed-004/syn-ack",
	  { FROM_SERVER, .seq = SRV_ISN, .ack = CLI_ISN + 1, .flags = TCP_SYN | TCP_ACK,
	    .wnd = 32768, SYN_OPTS(TSV) },
	  "17:05:35.358439 IP neptune.local.20000 > neptune.local.49493: Flags [S.], seq 1311370954, ack 1317094744, win 32768, options [mss 16396,sackOK,TS val 7083694 ecr 7083694,nop,wscale 6], length 0",
	  "Flags [S.], seq 1311370954, ack 1317094744, win 32768, options [mss 16396,sackOK,TS val 7083694 ecr 7083694,nop,wscale 6], length 0" },
	{ "/tcpdump/seed-004/ack",
	  { FROM_CLIENT, .seq = CLI_ISN + 1, .ack = SRV_ISN + 1, .flags = TCP_ACK, .wnd = 513,
	    TS_OPTS },
	  "17:05:35.358468 IP neptune.local.49493 > neptune.local.20000: Flags [.], ack 1311370955, win 513, options [nop,nop,TS val 7083694 ecr 7083694], length 0",
	  "Flags [.], ack 1, win 513, options [nop,nop,TS val 7083694 ecr 7083694], length 0" },
	{ "/tcpdump/seed-004/data",
	  { FROM_SERVER, .seq = SRV_ISN + 1, .ack = CLI_ISN + 1, .flags = TCP_PSH | TCP_ACK,
	    .wnd = 512, TS_OPTS, .len = 255 },
	  "17:05:35.358871 IP neptune.local.20000 > neptune.local.49493: Flags [P.], seq 1311370955:1311371210, ack 1317094744, win 512, options [nop,nop,TS val 7083694 ecr 7083694], length 255",
	  "Flags [P.], seq 1:256, ack 1, win 512, options [nop,nop,TS val 7083694 ecr 7083694], length 255" },
	{ "/tcpdump/seed-004/data-ack",
	  { FROM_CLIENT, .seq = CLI_ISN + 1, .ack = SRV_ISN + 256, .flags = TCP_ACK, .wnd = 530,
	    TS_OPTS },
	  "17:05:35.358890 IP neptune.local.49493 > neptune.local.20000: Flags [.], ack 1311371210, win 530, options [nop,nop,TS val 7083694 ecr 7083694], length 0",
	  "Flags [.], ack 256, win 530, options [nop,nop,TS val 7083694 ecr 7083694], length 0" },
	{ "/tcpdump/seed-004/fin-ack-server",
	  { FROM_SERVER, .seq = SRV_ISN + 256, .ack = CLI_ISN + 1, .flags = TCP_FIN | TCP_ACK,
	    .wnd = 512, TS_OPTS },
	  "17:05:35.358913 IP neptune.local.20000 > neptune.local.49493: Flags [F.], seq 1311371210, ack 1317094744, win 512, options [nop,nop,TS val 7083694 ecr 7083694], length 0",
	  "Flags [F.], seq 256, ack 1, win 512, options [nop,nop,TS val 7083694 ecr 7083694], length 0" },
	{ "/tcpdump/seed-004/fin-ack-client",
	  { FROM_CLIENT, .seq = CLI_ISN + 1, .ack = SRV_ISN + 257, .flags = TCP_FIN | TCP_ACK,
	    .wnd = 530, TS_OPTS },
	  "17:05:35.359419 IP neptune.local.49493 > neptune.local.20000: Flags [F.], seq 1317094744, ack 1311371211, win 530, options [nop,nop,TS val 7083694 ecr 7083694], length 0",
	  "Flags [F.], seq 1, ack 257, win 530, options [nop,nop,TS val 7083694 ecr 7083694], length 0" },
	{ "/tcpdump/seed-004/last-ack",
	  { FROM_SERVER, .seq = SRV_ISN + 257, .ack = CLI_ISN + 2, .flags = TCP_ACK, .wnd = 512,
	    TS_OPTS },
	  "17:05:35.359441 IP neptune.local.20000 > neptune.local.49493: Flags [.], ack 1317094745, win 512, options [nop,nop,TS val 7083694 ecr 7083694], length 0",
	  "Flags [.], ack 2, win 512, options [nop,nop,TS val 7083694 ecr 7083694], length 0" },
};

/* The line for a TCP segment; the caller frees it. */
static char *format_tcp(sim_time t, const struct tcp_seg *s, bool relative,
                        uint32_t isn_src, uint32_t isn_dst)
{
	struct packet_view pv = { .kind = PACKET_TCP, .ttl = 64, .tcp = *s };
	GString *out = g_string_new(NULL);

	tcpdump_format(out, t, &pv, relative, isn_src, isn_dst);
	return g_string_free(out, FALSE);
}

/* The ISNs of the sender and of the receiver of a seed segment. */
static void seed_isns(const struct tcp_seg *s, uint32_t *src, uint32_t *dst)
{
	bool from_client = s->saddr == CLI_ADDR;

	*src = from_client ? CLI_ISN : SRV_ISN;
	*dst = from_client ? SRV_ISN : CLI_ISN;
}

/* tcpdump -S: the seed's line from "Flags" on, in both modes for a SYN. */
static void test_seed_absolute(gconstpointer data)
{
	const struct seed_case *c = data;
	char *line = format_tcp(0, &c->seg, false, 0, 0);
	const char *want = strstr(c->absolute, "Flags");
	const char *got = strstr(line, "Flags");

	g_assert_nonnull(want);
	g_assert_nonnull(got);
	g_assert_cmpstr(got, ==, want);
	g_free(line);
}

/* tcpdump without -S: numbers relative to each side's ISN after the SYNs. */
static void test_seed_relative(gconstpointer data)
{
	const struct seed_case *c = data;
	uint32_t isn_src, isn_dst;
	char *line;

	seed_isns(&c->seg, &isn_src, &isn_dst);
	line = format_tcp(0, &c->seg, true, isn_src, isn_dst);
	g_assert_cmpstr(strstr(line, "Flags"), ==, c->relative);
	g_free(line);
}

/* The host part the seed's names stand for, and the time. */
static void test_seed_host_part(void)
{
	char *line = format_tcp(358403000, &seed_004[0].seg, false, 0, 0);

	g_assert_true(g_str_has_prefix(line, "0.358403000 IP 10.0.0.1.49493 > 10.0.0.2.20000: Flags [S], "));
	g_free(line);
}

/* The two example lines of tcpsim's --trace documentation. */
static void test_line_syn(void)
{
	struct tcp_seg s = {
		.saddr = CLI_ADDR, .daddr = SRV_ADDR, .sport = 40000, .dport = 8080,
		.seq = 1317094743u, .flags = TCP_SYN, .wnd = 64240,
		.opt = { .present = TCP_OPT_MSS | TCP_OPT_SACK_PERM | TCP_OPT_TS | TCP_OPT_WSCALE,
		         .mss = 1460, .wscale = 7, .tsval = TSV, .tsecr = 0 },
	};
	char *line = format_tcp(0, &s, true, 1317094743u, 0);

	g_assert_cmpstr(line, ==,
	                "0.000000000 IP 10.0.0.1.40000 > 10.0.0.2.8080: Flags [S], seq 1317094743, "
	                "win 64240, options [mss 1460,sackOK,TS val 7083694 ecr 0,nop,wscale 7], "
	                "length 0");
	g_free(line);
}

static void test_line_data_relative(void)
{
	struct tcp_seg s = {
		.saddr = SRV_ADDR, .daddr = CLI_ADDR, .sport = 8080, .dport = 40000,
		.seq = 1000u + 1, .ack = 1317094743u + 1, .flags = TCP_PSH | TCP_ACK, .wnd = 502,
		TS_OPTS, .len = 255,
	};
	char *line = format_tcp(20123000, &s, true, 1000u, 1317094743u);

	g_assert_cmpstr(line, ==,
	                "0.020123000 IP 10.0.0.2.8080 > 10.0.0.1.40000: Flags [P.], seq 1:256, "
	                "ack 1, win 502, options [nop,nop,TS val 7083694 ecr 7083694], length 255");
	g_free(line);
}

/* Seconds with nine decimals of simulated nanoseconds. */
static void test_time(void)
{
	struct tcp_seg s = { .saddr = CLI_ADDR, .daddr = SRV_ADDR, .flags = TCP_ACK };
	char *line = format_tcp(127 * SIM_SEC + 1, &s, false, 0, 0);

	g_assert_true(g_str_has_prefix(line, "127.000000001 IP "));
	g_free(line);
}

/* Linux refuses a SYN to a closed port with RST+ACK, seq 0 (RFC 9293
 * §3.10.7.1): tcpdump shows it absolute even without -S (the first
 * ACK-bearing segment of the conversation), so relative_seq is false. */
static void test_rst_ack_refusal(void)
{
	struct tcp_seg s = { FROM_SERVER, .seq = 0, .ack = CLI_ISN + 1,
	                     .flags = TCP_RST | TCP_ACK, .wnd = 0 };
	char *line = format_tcp(0, &s, false, 0, 0);

	g_assert_cmpstr(strstr(line, "Flags"), ==,
	                "Flags [R.], seq 0, ack 1317094744, win 0, length 0");
	g_free(line);
}

/* An abort in an established connection, in relative mode. */
static void test_rst_ack_relative(void)
{
	struct tcp_seg s = { FROM_SERVER, .seq = SRV_ISN + 256, .ack = CLI_ISN + 1,
	                     .flags = TCP_RST | TCP_ACK, .wnd = 512, TS_OPTS };
	char *line = format_tcp(0, &s, true, SRV_ISN, CLI_ISN);

	g_assert_cmpstr(strstr(line, "Flags"), ==,
	                "Flags [R.], seq 256, ack 1, win 512, "
	                "options [nop,nop,TS val 7083694 ecr 7083694], length 0");
	g_free(line);
}

/* A bare RST (reply to a segment with ACK, seq = its ack): no ack field,
 * and absolute even in relative mode, as tcpdump only relativizes
 * ACK-bearing segments. */
static void test_rst_bare(void)
{
	struct tcp_seg s = { FROM_SERVER, .seq = SRV_ISN + 1, .flags = TCP_RST, .wnd = 0 };
	char *abs_line = format_tcp(0, &s, false, 0, 0);
	char *rel_line = format_tcp(0, &s, true, SRV_ISN, CLI_ISN);

	g_assert_cmpstr(strstr(abs_line, "Flags"), ==, "Flags [R], seq 1311370955, win 0, length 0");
	g_assert_cmpstr(strstr(rel_line, "Flags"), ==, strstr(abs_line, "Flags"));
	g_free(abs_line);
	g_free(rel_line);
}

/* A retransmitted SYN-ACK is absolute in relative mode too: tcpdump
 * restarts its numbering at every ACK-bearing SYN. */
static void test_relative_syn_ack_absolute(void)
{
	char *line = format_tcp(0, &seed_004[1].seg, true, SRV_ISN, CLI_ISN);

	g_assert_cmpstr(strstr(line, "Flags"), ==, seed_004[1].relative);
	g_free(line);
}

/* FIN+PSH+ACK with data: "FP.", a seq range, length. */
static void test_fin_psh_ack_data(void)
{
	struct tcp_seg s = { FROM_SERVER, .seq = SRV_ISN + 1, .ack = CLI_ISN + 1,
	                     .flags = TCP_FIN | TCP_PSH | TCP_ACK, .wnd = 512, .len = 5 };
	char *line = format_tcp(0, &s, true, SRV_ISN, CLI_ISN);

	g_assert_cmpstr(strstr(line, "Flags"), ==, "Flags [FP.], seq 1:6, ack 1, win 512, length 5");
	g_free(line);
}

/* Relative numbers wrap modulo 2^32 like tcpdump's. */
static void test_relative_wraps(void)
{
	struct tcp_seg s = { FROM_CLIENT, .seq = 5, .ack = 10, .flags = TCP_PSH | TCP_ACK,
	                     .wnd = 1, .len = 10 };
	char *line = format_tcp(0, &s, true, 0xfffffffeu, 0xfffffff0u);

	g_assert_cmpstr(strstr(line, "Flags"), ==,
	                "Flags [P.], seq 7:17, ack 26, win 1, length 10");
	g_free(line);
}

/* Option layouts other than the full SYN, as sim/out/wire.c writes them. */
static void test_options_layouts(void)
{
	static const struct {
		uint8_t present;
		const char *want;
	} cases[] = {
		{ TCP_OPT_MSS | TCP_OPT_TS | TCP_OPT_WSCALE,
		  ", options [mss 1460,nop,nop,TS val 7 ecr 0,nop,wscale 7], length 0" },
		{ TCP_OPT_MSS | TCP_OPT_SACK_PERM | TCP_OPT_WSCALE,
		  ", options [mss 1460,nop,nop,sackOK,nop,wscale 7], length 0" },
		{ TCP_OPT_MSS, ", options [mss 1460], length 0" },
		{ TCP_OPT_MSS | TCP_OPT_WSCALE, ", options [mss 1460,nop,wscale 7], length 0" },
		{ 0, ", win 0, length 0" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct tcp_seg s = { FROM_CLIENT, .flags = TCP_SYN,
		                     .opt = { .present = cases[i].present, .mss = 1460,
		                              .wscale = 7, .tsval = 7 } };
		char *line = format_tcp(0, &s, false, 0, 0);

		g_assert_true(g_str_has_suffix(line, cases[i].want));
		g_free(line);
	}
}

/* URG shows the urgent pointer, always 0 in tcpsim. */
static void test_urg(void)
{
	struct tcp_seg s = { FROM_CLIENT, .seq = 1, .ack = 2, .flags = TCP_ACK | TCP_URG,
	                     .wnd = 3 };
	char *line = format_tcp(0, &s, false, 0, 0);

	g_assert_cmpstr(strstr(line, "Flags"), ==, "Flags [.U], ack 2, win 3, urg 0, length 0");
	g_free(line);
}

static void test_flags(void)
{
	static const struct {
		uint8_t flags;
		const char *want;
	} cases[] = {
		{ 0, "none" },
		{ TCP_SYN, "S" },
		{ TCP_SYN | TCP_ACK, "S." },
		{ TCP_ACK, "." },
		{ TCP_PSH | TCP_ACK, "P." },
		{ TCP_FIN | TCP_ACK, "F." },
		{ TCP_FIN | TCP_PSH | TCP_ACK, "FP." },
		{ TCP_RST, "R" },
		{ TCP_RST | TCP_ACK, "R." },
		{ TCP_ACK | TCP_URG, ".U" },
		{ TCP_FIN | TCP_SYN | TCP_RST | TCP_PSH | TCP_ACK | TCP_URG, "FSRP.U" },
	};
	char buf[8];

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
		g_assert_cmpstr(tcpdump_flags(cases[i].flags, buf), ==, cases[i].want);
}

/* An ICMP error about the client's SYN to 10.0.0.2:8080, reported by
 * `from` with `code`. */
static char *format_icmp(uint32_t from, uint8_t code)
{
	struct packet_view pv = {
		.kind = PACKET_ICMP_UNREACH,
		.ttl = 64,
		.tcp = { .saddr = CLI_ADDR, .daddr = SRV_ADDR, .sport = 40000, .dport = 8080,
		         .seq = CLI_ISN, .flags = TCP_SYN, .wnd = 64240,
		         .opt = { .present = TCP_OPT_MSS, .mss = 1460 } },
		.icmp_src = from,
		.icmp_code = code,
	};
	GString *out = g_string_new(NULL);

	tcpdump_format(out, 3 * SIM_SEC, &pv, true, 123, 456);
	return g_string_free(out, FALSE);
}

/* A router answers "host unreachable" (EHOSTUNREACH at the client). */
static void test_icmp_host_unreachable(void)
{
	char *line = format_icmp(0x0a0000feu, 1);

	g_assert_cmpstr(line, ==,
	                "3.000000000 IP 10.0.0.254 > 10.0.0.1: ICMP host 10.0.0.2 unreachable, "
	                "length 36");
	g_free(line);
}

static void test_icmp_other_codes(void)
{
	char *net = format_icmp(0x0a0000feu, 0);
	char *port = format_icmp(SRV_ADDR, 3);
	char *odd = format_icmp(0x0a0000feu, 99);

	g_assert_cmpstr(strstr(net, "ICMP"), ==, "ICMP net 10.0.0.2 unreachable, length 36");
	g_assert_cmpstr(port, ==,
	                "3.000000000 IP 10.0.0.2 > 10.0.0.1: ICMP 10.0.0.2 tcp port 8080 "
	                "unreachable, length 36");
	g_assert_cmpstr(strstr(odd, "ICMP"), ==, "ICMP 10.0.0.2 unreachable - #99, length 36");
	g_free(net);
	g_free(port);
	g_free(odd);
}

/* The line is appended: what the buffer held stays. */
static void test_appends(void)
{
	struct packet_view pv = { .kind = PACKET_TCP, .tcp = seed_004[2].seg };
	GString *out = g_string_new("x\n");

	tcpdump_format(out, 0, &pv, false, 0, 0);
	g_assert_true(g_str_has_prefix(out->str, "x\n0.000000000 IP "));
	g_assert_false(g_str_has_suffix(out->str, "\n"));
	g_string_free(out, TRUE);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(seed_004); i++) {
		const char *name = strrchr(seed_004[i].path, '/') + 1;
		char *rel = g_strconcat("/tcpdump/seed-004-relative/", name, NULL);

		g_test_add_data_func(seed_004[i].path, &seed_004[i], test_seed_absolute);
		g_test_add_data_func(rel, &seed_004[i], test_seed_relative);
		g_free(rel);
	}
	g_test_add_func("/tcpdump/seed-004/host-part", test_seed_host_part);
	g_test_add_func("/tcpdump/line/syn", test_line_syn);
	g_test_add_func("/tcpdump/line/data-relative", test_line_data_relative);
	g_test_add_func("/tcpdump/line/time", test_time);
	g_test_add_func("/tcpdump/line/appends", test_appends);
	g_test_add_func("/tcpdump/rst/ack-refusal", test_rst_ack_refusal);
	g_test_add_func("/tcpdump/rst/ack-relative", test_rst_ack_relative);
	g_test_add_func("/tcpdump/rst/bare", test_rst_bare);
	g_test_add_func("/tcpdump/relative/syn-ack-absolute", test_relative_syn_ack_absolute);
	g_test_add_func("/tcpdump/relative/wraps", test_relative_wraps);
	g_test_add_func("/tcpdump/tcp/fin-psh-ack-data", test_fin_psh_ack_data);
	g_test_add_func("/tcpdump/tcp/options-layouts", test_options_layouts);
	g_test_add_func("/tcpdump/tcp/urg", test_urg);
	g_test_add_func("/tcpdump/flags", test_flags);
	g_test_add_func("/tcpdump/icmp/host-unreachable", test_icmp_host_unreachable);
	g_test_add_func("/tcpdump/icmp/other-codes", test_icmp_other_codes);
	return g_test_run();
}
