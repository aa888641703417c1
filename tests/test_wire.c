/*
 * Tests of the wire encoding and framing (sim/out/wire.c) and the pcap
 * writer (sim/out/pcap_out.c).
 *
 * The byte-level tests compare against packets written out by hand from the
 * RFCs, with checksums computed here by a separate, deliberately naive
 * RFC 1071 sum (ref_sum), so that a bug in wire_sum() cannot hide itself.
 * The pcap tests hand the file to tshark, the decoder users will open it
 * with, and assert what Wireshark sees: every field, checksum verdicts,
 * nanosecond timestamps and no malformed packet.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "models/segment.h"
#include "sim/out/pcap_out.h"
#include "sim/out/wire.h"
#include "tests/tshark.h"

#define CLIENT 0x0a000001u /* 10.0.0.1 */
#define SERVER 0x0a000002u /* 10.0.0.2 */
#define ROUTER 0x0a0000feu /* 10.0.0.254 */

/* ---- segment templates ---- */

static const struct tcp_opts all_opts = {
	.present = TCP_OPT_MSS | TCP_OPT_WSCALE | TCP_OPT_SACK_PERM | TCP_OPT_TS,
	.wscale = 7,
	.mss = 1460,
	.tsval = 0x11223344,
	.tsecr = 0,
};

static struct packet_view syn_view(void)
{
	return (struct packet_view){
		.kind = PACKET_TCP,
		.ip_id = 0x1234,
		.ttl = 64,
		.tcp = {
			.saddr = CLIENT, .daddr = SERVER,
			.sport = 40000, .dport = 80,
			.seq = 0x01020304, .ack = 0,
			.flags = TCP_SYN, .wnd = 64240,
			.opt = all_opts,
		},
	};
}

static struct packet_view data_view(const char *payload, uint32_t len)
{
	struct packet_view pv = syn_view();

	pv.tcp.flags = TCP_PSH | TCP_ACK;
	pv.tcp.seq = 0x01020305;
	pv.tcp.ack = 0xa0b0c0d1;
	pv.tcp.wnd = 502;
	pv.tcp.opt = (struct tcp_opts){ .present = TCP_OPT_TS, .tsval = 1000, .tsecr = 2000 };
	pv.tcp.len = len;
	pv.tcp.payload = (const uint8_t *)payload;
	return pv;
}

/* ---- an independent RFC 1071 checksum ---- */

/* Sum of big-endian 16-bit words, odd byte padded, carries folded at the end. */
static uint32_t ref_sum(const uint8_t *p, size_t len)
{
	uint64_t s = 0;

	for (size_t i = 0; i < len; i++)
		s += (i % 2 == 0) ? (uint64_t)p[i] * 256 : p[i];
	while (s > 0xffff)
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

static uint32_t ref_add(uint32_t a, uint32_t b)
{
	uint32_t s = a + b;

	return (s & 0xffff) + (s >> 16);
}

/* The one's complement sum of a TCP segment and its pseudo-header; 0xffff
 * when the checksum field in it is right. */
static uint32_t ref_tcp_verify(const uint8_t *ip, uint32_t len)
{
	uint8_t pseudo[12];
	uint32_t tcp_len = len - 20;

	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = 6;
	pseudo[10] = (uint8_t)(tcp_len >> 8);
	pseudo[11] = (uint8_t)tcp_len;
	return ref_add(ref_sum(pseudo, 12), ref_sum(ip + 20, tcp_len));
}

static uint32_t encode(const struct packet_view *pv, uint8_t *buf)
{
	uint32_t len = wire_encode(pv, buf, WIRE_MAX_PACKET);

	g_assert_cmpuint(len, ==, wire_packet_size(pv));
	return len;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* ---- /wire/sum ---- */

/* RFC 1071 §3: the worked example sums to 0xddf2. */
static void test_sum_rfc1071_example(void)
{
	static const uint8_t words[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	g_assert_cmphex(wire_sum(words, sizeof words, 0), ==, 0xddf2);
	g_assert_cmphex(wire_fold(0xddf2), ==, 0x220d);
	/* chained in two even chunks: the same sum */
	g_assert_cmphex(wire_sum(words + 4, 4, wire_sum(words, 4, 0)), ==, 0xddf2);
	/* an odd trailing byte counts as the high byte of a padded word */
	g_assert_cmphex(wire_sum((const uint8_t *)"\x12", 1, 0), ==, 0x1200);
}

/* wire_sum() adds the words four bytes at a time in the host's order:
 * against the naive byte-pair sum at every length up to 80, every
 * alignment, chained on every kind of starting sum, and on the edge cases
 * of one's complement (all zeros, all ones, a sum of exactly 0xffff). */
static void test_sum_matches_bytewise(void)
{
	GRand *r = g_rand_new_with_seed(1071);
	uint8_t buf[96];
	static const uint32_t starts[] = {0, 1, 0x00ff, 0xff00, 0xfffe, 0xffff};

	for (int round = 0; round < 3; round++) {
		for (size_t k = 0; k < sizeof buf; k++)
			buf[k] = round == 0 ? (uint8_t)g_rand_int(r) : round == 1 ? 0xff : 0x00;
		for (size_t off = 0; off < 8; off++)
			for (size_t len = 0; len <= 80; len++)
				for (size_t s = 0; s < G_N_ELEMENTS(starts); s++) {
					uint32_t want = ref_add(ref_sum(buf + off, len), starts[s]);
					g_assert_cmphex(wire_sum(buf + off, len, starts[s]), ==, want);
				}
	}
	/* two words that sum to 0xffff: negative zero, never folded to +0 */
	static const uint8_t minus_zero[] = {0x12, 0x34, 0xed, 0xcb};
	g_assert_cmphex(wire_sum(minus_zero, sizeof minus_zero, 0), ==, 0xffff);
	g_rand_free(r);
}

/* ---- /wire/tcp ---- */

/* A SYN with every option, as Linux sends it: MSS SACK_PERM TS NOP WSCALE. */
static void test_tcp_syn_options(void)
{
	uint8_t expected[] = {
		/* IPv4: v4 IHL5, len 60, id 0x1234, DF, TTL 64, TCP, checksum */
		0x45, 0x00, 0x00, 0x3c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0, 0,
		0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
		/* TCP: 40000 -> 80, seq, ack 0, offset 10 words, SYN, wnd 64240 */
		0x9c, 0x40, 0x00, 0x50, 0x01, 0x02, 0x03, 0x04, 0, 0, 0, 0,
		0xa0, 0x02, 0xfa, 0xf0, 0, 0, 0x00, 0x00,
		0x02, 0x04, 0x05, 0xb4,                   /* MSS 1460 */
		0x04, 0x02,                               /* SACK permitted */
		0x08, 0x0a, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0, /* TS */
		0x01, 0x03, 0x03, 0x07,                   /* NOP, WSCALE 7 */
	};
	struct packet_view pv = syn_view();
	uint8_t buf[WIRE_MAX_PACKET];
	uint16_t ip_ck = (uint16_t)~ref_sum(expected, 20);
	uint16_t tcp_ck;

	expected[10] = (uint8_t)(ip_ck >> 8);
	expected[11] = (uint8_t)ip_ck;
	tcp_ck = (uint16_t)~ref_tcp_verify(expected, sizeof expected);
	expected[36] = (uint8_t)(tcp_ck >> 8);
	expected[37] = (uint8_t)tcp_ck;
	g_assert_cmpuint(encode(&pv, buf), ==, sizeof expected);
	g_assert_cmpmem(buf, sizeof expected, expected, sizeof expected);
}

/* The other layouts of the header comment (Linux's tcp_options_write). */
static void test_tcp_option_layouts(void)
{
	static const struct {
		uint8_t present;
		uint8_t len;
		uint8_t bytes[20];
	} cases[] = {
		{ TCP_OPT_MSS | TCP_OPT_TS | TCP_OPT_WSCALE, 20,
		  { 2, 4, 0x05, 0xb4, 1, 1, 8, 10, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 9, 1, 3, 3, 7 } },
		{ TCP_OPT_MSS | TCP_OPT_SACK_PERM | TCP_OPT_WSCALE, 12,
		  { 2, 4, 0x05, 0xb4, 1, 1, 4, 2, 1, 3, 3, 7 } },
		{ TCP_OPT_TS, 12, { 1, 1, 8, 10, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 9 } },
		{ TCP_OPT_MSS, 4, { 2, 4, 0x05, 0xb4 } },
		{ TCP_OPT_WSCALE, 4, { 1, 3, 3, 7 } },
		{ TCP_OPT_SACK_PERM, 4, { 1, 1, 4, 2 } },
		{ 0, 0, { 0 } },
	};
	uint8_t buf[WIRE_MAX_PACKET];

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct packet_view pv = syn_view();
		uint32_t len;

		pv.tcp.opt.present = cases[i].present;
		pv.tcp.opt.tsecr = 9;
		len = encode(&pv, buf);
		g_assert_cmpuint(len, ==, 40u + cases[i].len);
		g_assert_cmpuint(buf[32] >> 4, ==, (20u + cases[i].len) / 4);
		g_assert_cmpmem(buf + 40, cases[i].len, cases[i].bytes, cases[i].len);
		g_assert_cmphex(ref_tcp_verify(buf, len), ==, 0xffff);
	}
}

/* The TCP checksum covers the pseudo-header, the options and an odd-length
 * payload; the header fields land where RFC 9293 §3.1 puts them. */
static void test_tcp_checksum(void)
{
	struct packet_view pv = data_view("hello", 5);
	uint8_t buf[WIRE_MAX_PACKET];
	uint32_t len = encode(&pv, buf);

	g_assert_cmpuint(len, ==, 20 + 32 + 5);
	g_assert_cmpmem(buf + 52, 5, "hello", 5);
	g_assert_cmphex(buf[32], ==, 0x80);        /* data offset 8 words */
	g_assert_cmphex(buf[33], ==, TCP_PSH | TCP_ACK);
	g_assert_cmphex(get16(buf + 34), ==, 502); /* window */
	g_assert_cmphex(get16(buf + 38), ==, 0);   /* urgent pointer */
	g_assert_cmphex(ref_tcp_verify(buf, len), ==, 0xffff);
	/* any change of an address breaks it: the pseudo-header is covered */
	buf[19] ^= 1;
	g_assert_cmphex(ref_tcp_verify(buf, len), !=, 0xffff);
}

/* A bad checksum never verifies, even when the right one is 0x0000, whose
 * bitwise complement 0xffff would be the same one's complement number. */
static void test_tcp_bad_checksum(void)
{
	struct packet_view pv = data_view("hello", 5);
	uint8_t good[WIRE_MAX_PACKET], bad[WIRE_MAX_PACKET];
	uint32_t len = 0;
	bool saw_zero = false;

	for (uint32_t wnd = 0; wnd <= 0xffff && !saw_zero; wnd++) {
		pv.tcp.wnd = (uint16_t)wnd;
		pv.bad_checksum = false;
		len = encode(&pv, good);
		pv.bad_checksum = true;
		g_assert_cmpuint(encode(&pv, bad), ==, len);
		g_assert_cmphex(get16(bad + 36), !=, get16(good + 36));
		g_assert_cmphex(ref_tcp_verify(bad, len), !=, 0xffff);
		/* only the TCP checksum differs */
		g_assert_cmpmem(bad, 36, good, 36);
		g_assert_cmpmem(bad + 38, len - 38, good + 38, len - 38);
		saw_zero = get16(good + 36) == 0x0000;
	}
	g_assert_true(saw_zero); /* the corner case was exercised */
}

/* A segment that does not fit the buffer is not written. */
static void test_tcp_too_small_buffer(void)
{
	struct packet_view pv = syn_view();
	uint8_t buf[60];

	g_assert_cmpuint(wire_encode(&pv, buf, 59), ==, 0);
	g_assert_cmpuint(wire_encode(&pv, buf, 60), ==, 60);
	pv.tcp.len = WIRE_MAX_PACKET; /* more than IPv4 can carry */
	pv.tcp.payload = buf;
	g_assert_cmpuint(wire_encode(&pv, buf, sizeof buf), ==, 0);
}

/* ---- /wire/ip ---- */

static void test_ip_header_checksum(void)
{
	struct packet_view pv = data_view("hello", 5);
	uint8_t buf[WIRE_MAX_PACKET];
	uint32_t len;

	pv.ttl = 37;
	pv.ip_id = 0xbeef;
	len = encode(&pv, buf);
	g_assert_cmphex(ref_sum(buf, 20), ==, 0xffff);
	g_assert_cmphex(buf[0], ==, 0x45);
	g_assert_cmphex(buf[1], ==, 0);
	g_assert_cmpuint(get16(buf + 2), ==, len);
	g_assert_cmphex(get16(buf + 4), ==, 0xbeef);
	g_assert_cmphex(get16(buf + 6), ==, 0x4000); /* DF, offset 0 */
	g_assert_cmpuint(buf[8], ==, 37);
	g_assert_cmpuint(buf[9], ==, 6);
	/* the bad TCP checksum leaves the IPv4 one right */
	pv.bad_checksum = true;
	encode(&pv, buf);
	g_assert_cmphex(ref_sum(buf, 20), ==, 0xffff);
}

/* ---- /wire/icmp ---- */

/* RFC 792: destination unreachable from the router to the segment's
 * sender, quoting the segment's IPv4 header and first 8 TCP bytes. */
static void test_icmp_unreach_quotes_tcp(void)
{
	struct packet_view pv = syn_view();
	uint8_t tcp[WIRE_MAX_PACKET], icmp[WIRE_MAX_PACKET];
	uint32_t len;

	encode(&pv, tcp);
	pv.kind = PACKET_ICMP_UNREACH;
	pv.icmp_src = ROUTER;
	pv.icmp_code = 1;
	len = encode(&pv, icmp);
	g_assert_cmpuint(len, ==, 20 + 8 + 20 + 8);
	g_assert_cmphex(ref_sum(icmp, 20), ==, 0xffff);
	g_assert_cmpuint(get16(icmp + 2), ==, len);
	g_assert_cmphex(get16(icmp + 6), ==, 0);     /* no DF on ICMP errors */
	g_assert_cmpuint(icmp[8], ==, 64);           /* TTL */
	g_assert_cmpuint(icmp[9], ==, 1);            /* ICMP */
	g_assert_cmpmem(icmp + 12, 4, "\x0a\x00\x00\xfe", 4); /* from the router */
	g_assert_cmpmem(icmp + 16, 4, "\x0a\x00\x00\x01", 4); /* to the sender */
	g_assert_cmpuint(icmp[20], ==, 3);
	g_assert_cmpuint(icmp[21], ==, 1);
	g_assert_cmphex(ref_sum(icmp + 20, len - 20), ==, 0xffff);
	g_assert_cmpmem(icmp + 24, 4, "\0\0\0\0", 4); /* unused */
	g_assert_cmpmem(icmp + 28, 28, tcp, 28);      /* the quote */
}

/* ---- /wire/frame ---- */

#define ASKER 0xc0a80004u  /* 192.168.0.4 */
#define NOBODY 0xc0a800bcu /* 192.168.0.188 */

static struct packet_view arp_view(void)
{
	return (struct packet_view){.kind = PACKET_ARP, .arp_sender = ASKER, .arp_target = NOBODY};
}

/* An IPv4 packet's Ethernet header: from 02:00:<source> to
 * 02:00:<destination>, type IPv4; the packet follows, unpadded. */
static void test_frame_ethernet_ipv4(void)
{
	struct packet_view pv = data_view("hi", 2), icmp = syn_view();
	uint8_t frame[WIRE_MAX_FRAME], packet[WIRE_MAX_PACKET];
	static const uint8_t eth[14] = {2, 0, 10, 0, 0, 2, 2, 0, 10, 0, 0, 1, 0x08, 0x00};
	static const uint8_t eth_icmp[14] = {2, 0, 10, 0, 0, 1, 2, 0, 10, 0, 0, 254, 0x08, 0x00};
	uint32_t len = encode(&pv, packet);

	g_assert_cmpuint(wire_frame(&pv, true, frame, sizeof frame), ==, 14 + len);
	g_assert_cmpmem(frame, 14, eth, 14);
	g_assert_cmpuint(wire_frame(&pv, true, frame, 14 + len), ==, 14 + len); /* exactly */
	g_assert_cmpuint(wire_frame(&pv, true, frame, 13 + len), ==, 0);
	g_assert_cmpmem(frame + 14, len, packet, len);
	g_assert_cmpuint(wire_frame(&pv, false, frame, sizeof frame), ==, len); /* raw: the packet */
	g_assert_cmpmem(frame, len, packet, len);
	icmp.kind = PACKET_ICMP_UNREACH; /* from the router to the sender */
	icmp.icmp_src = ROUTER;
	g_assert_cmpuint(wire_frame(&icmp, true, frame, sizeof frame), ==, 14 + 56);
	g_assert_cmpmem(frame, 14, eth_icmp, 14);
}

/* RFC 826 request in a broadcast frame padded to 60 bytes; no raw form. */
static void test_frame_arp_request(void)
{
	struct packet_view pv = arp_view();
	uint8_t frame[WIRE_MAX_FRAME];
	static const uint8_t want[42] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 192, 168, 0, 4, 0x08, 0x06, /* Ethernet */
		0, 1, 0x08, 0x00, 6, 4, 0, 1,            /* Ethernet, IPv4, 6, 4, request */
		2, 0, 192, 168, 0, 4, 192, 168, 0, 4,    /* sender MAC and IPv4 */
		0, 0, 0, 0, 0, 0, 192, 168, 0, 188,      /* target: MAC unknown, IPv4 */
	};
	static const uint8_t zeros[18];

	g_assert_cmpuint(wire_packet_size(&pv), ==, 28);
	memset(frame, 0xaa, sizeof frame);
	g_assert_cmpuint(wire_frame(&pv, true, frame, sizeof frame), ==, 60);
	g_assert_cmpmem(frame, 42, want, 42);
	g_assert_cmpmem(frame + 42, 18, zeros, 18);
	g_assert_cmpuint(wire_frame(&pv, false, frame, sizeof frame), ==, 0);
	g_assert_cmpuint(wire_frame(&pv, true, frame, 59), ==, 0); /* does not fit */
	g_assert_cmpuint(wire_frame(&pv, true, frame, 60), ==, 60);
}

/* ---- /wire/pcap ---- */

struct pcap_fixture {
	char *dir;  /* temporary directory, removed with what is left in it */
	char *path; /* dir/trace.pcap */
};

static void pcap_setup(struct pcap_fixture *f, gconstpointer data)
{
	GError *error = NULL;

	(void)data;
	f->dir = g_dir_make_tmp("tcpsim-wire-XXXXXX", &error);
	g_assert_no_error(error);
	f->path = g_build_filename(f->dir, "trace.pcap", NULL);
}

static void pcap_teardown(struct pcap_fixture *f, gconstpointer data)
{
	GDir *d = g_dir_open(f->dir, 0, NULL);
	const char *name;

	(void)data;
	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		char *p = g_build_filename(f->dir, name, NULL);

		g_unlink(p);
		g_free(p);
	}
	if (d != NULL)
		g_dir_close(d);
	g_rmdir(f->dir);
	g_free(f->path);
	g_free(f->dir);
}

static void write_packet(struct pcap_out *po, enum pcap_framing framing, sim_time t,
			 const struct packet_view *pv)
{
	static uint8_t buf[WIRE_MAX_FRAME];
	uint32_t len = wire_frame(pv, framing == PCAP_ETHERNET, buf, sizeof buf);

	g_assert_cmpuint(len, >, 0);
	pcap_out_write(po, t, buf, len);
}

/* The exchange of the tshark test: six packets, one of each kind. */
static void write_sample(const char *path, enum pcap_framing framing)
{
	static const char hello[] = "hello"; /* 6 bytes with its NUL */
	GError *error = NULL;
	struct pcap_out *po = pcap_out_open(path, framing, &error);
	struct packet_view syn = syn_view(), synack = syn_view();
	struct packet_view data = data_view(hello, sizeof hello), fin, bad, icmp;

	g_assert_no_error(error);
	synack.tcp = (struct tcp_seg){
		.saddr = SERVER, .daddr = CLIENT, .sport = 80, .dport = 40000,
		.seq = 0xa0b0c0d0, .ack = 0x01020305, .flags = TCP_SYN | TCP_ACK,
		.wnd = 65160, .opt = all_opts,
	};
	synack.tcp.opt.tsecr = 0x11223344;
	fin = data_view(NULL, 0);
	fin.tcp.flags = TCP_FIN | TCP_ACK;
	fin.tcp.seq += sizeof hello;
	bad = data;
	bad.bad_checksum = true;
	icmp = syn;
	icmp.kind = PACKET_ICMP_UNREACH;
	icmp.icmp_src = ROUTER;
	icmp.icmp_code = 1;
	write_packet(po, framing, 1 * SIM_SEC + 123, &syn);
	write_packet(po, framing, 1 * SIM_SEC + 50 * SIM_MS, &synack);
	write_packet(po, framing, 1 * SIM_SEC + 100 * SIM_MS, &data);
	write_packet(po, framing, 2 * SIM_SEC, &fin);
	write_packet(po, framing, 3 * SIM_SEC + 999999999, &bad);
	write_packet(po, framing, 4 * SIM_SEC, &icmp);
	g_assert_true(pcap_out_commit(po, &error));
	g_assert_no_error(error);
}

static char **decode(const char *path, const char *const *fields)
{
	GError *error = NULL;
	char **lines = tshark_fields(path, NULL, fields, &error);

	g_assert_no_error(error); /* tshark missing? run `make deps` */
	return lines;
}

/* What tshark must print for write_sample(), field by field. */
static const char *const sample_fields[] = {
	"frame.number", "frame.time_epoch", "ip.src", "tcp.flags.str",
	"tcp.options.mss_val", "tcp.options.wscale.shift", "tcp.options.sack_perm",
	"tcp.options.timestamp.tsval", "tcp.checksum.status", "icmp.type",
	"icmp.code", "tcp.len", "tcp.srcport", "tcp.dstport", "tcp.payload",
	"ip.checksum.status", "ip.flags.df", NULL,
};

/* The ICMP error (frame 6) shows both IPv4 headers, outer first, and the
 * quoted TCP ports; its 8 quoted TCP bytes hold no flags, length or
 * checksum, so those fields stay empty. */

static const char *const sample_expected[] = {
	"1\t1.000000123\t10.0.0.1\t··········S·\t1460\t7\t0402\t287454020\t1\t\t\t0\t40000\t80\t\t1\t1",
	"2\t1.050000000\t10.0.0.2\t·······A··S·\t1460\t7\t0402\t287454020\t1\t\t\t0\t80\t40000\t\t1\t1",
	"3\t1.100000000\t10.0.0.1\t·······AP···\t\t\t\t1000\t1\t\t\t6\t40000\t80\t68656c6c6f00\t1\t1",
	"4\t2.000000000\t10.0.0.1\t·······A···F\t\t\t\t1000\t1\t\t\t0\t40000\t80\t\t1\t1",
	"5\t3.999999999\t10.0.0.1\t·······AP···\t\t\t\t1000\t0\t\t\t6\t40000\t80\t68656c6c6f00\t1\t1",
	"6\t4.000000000\t10.0.0.254,10.0.0.1\t\t\t\t\t\t\t3\t1\t\t40000\t80\t\t1,1\t0,1",
	NULL,
};

static void check_sample(const char *path)
{
	char **lines = decode(path, sample_fields);

	g_assert_cmpuint(g_strv_length(lines), ==, G_N_ELEMENTS(sample_expected) - 1);
	for (size_t i = 0; sample_expected[i] != NULL; i++)
		g_assert_cmpstr(lines[i], ==, sample_expected[i]);
	g_strfreev(lines);
}

/* No packet is malformed, and the only checksum complaint is frame 5's,
 * whose right checksum is that of frame 3, the same segment intact. */
static void check_expert(const char *path)
{
	static const char *const fields[] = { "_ws.expert.message", "_ws.malformed",
					      "tcp.checksum", NULL };
	char **lines = decode(path, fields);
	char **frame3 = g_strsplit(lines[2], "\t", -1);
	char *complaint = g_strdup_printf("Bad checksum [should be %s]", frame3[2]);

	for (size_t i = 0; lines[i] != NULL; i++) {
		g_assert_null(strstr(lines[i], "Malformed"));
		if (i != 4)
			g_assert_null(strstr(lines[i], "Bad checksum"));
	}
	g_assert_nonnull(strstr(lines[4], complaint));
	g_free(complaint);
	g_strfreev(frame3);
	g_strfreev(lines);
}

/* The link layer is what the file header promises. */
static void check_framing(const char *path, enum pcap_framing framing)
{
	static const char *const fields[] = { "frame.protocols", NULL };
	char **lines = decode(path, fields);

	g_assert_cmpstr(lines[0], ==, framing == PCAP_ETHERNET ? "eth:ethertype:ip:tcp"
							       : "raw:ip:tcp");
	g_assert_cmpstr(lines[5], ==, framing == PCAP_ETHERNET ? "eth:ethertype:ip:icmp:ip:tcp"
							       : "raw:ip:icmp:ip:tcp");
	g_strfreev(lines);
}

/* ICMP type 3 code 1, checksum good, quoting the SYN's addresses and ports. */
static void check_icmp(const char *path)
{
	static const char *const fields[] = {
		"ip.src", "ip.dst", "icmp.type", "icmp.code", "icmp.checksum.status",
		"tcp.srcport", "tcp.dstport", "tcp.seq", "ip.checksum.status", NULL,
	};
	GError *error = NULL;
	char **lines = tshark_fields(path, "icmp", fields, &error);

	g_assert_no_error(error);
	g_assert_cmpuint(g_strv_length(lines), ==, 1);
	g_assert_cmpstr(lines[0], ==,
			"10.0.0.254,10.0.0.1\t10.0.0.1,10.0.0.2\t3\t1\t1\t40000\t80\t16909060\t1,1");
	g_strfreev(lines);
}

static void test_pcap_tshark_decodes(struct pcap_fixture *f, gconstpointer data)
{
	enum pcap_framing framing = GPOINTER_TO_INT(data);

	if (!tshark_available())
		g_test_fail_printf("tshark is not on PATH: install it with `make deps`");
	else {
		write_sample(f->path, framing);
		check_sample(f->path);
		check_expert(f->path);
		check_icmp(f->path);
		check_framing(f->path, framing);
	}
}

/* The MACs of Ethernet framing are 02:00 followed by the IPv4 address. */
static void test_pcap_ethernet_macs(struct pcap_fixture *f, gconstpointer data)
{
	static const char *const fields[] = { "eth.src", "eth.dst", "eth.type", NULL };
	char **lines;

	(void)data;
	if (!tshark_available()) {
		g_test_fail_printf("tshark is not on PATH: install it with `make deps`");
		return;
	}
	write_sample(f->path, PCAP_ETHERNET);
	lines = decode(f->path, fields);
	g_assert_cmpstr(lines[0], ==, "02:00:0a:00:00:01\t02:00:0a:00:00:02\t0x0800");
	g_assert_cmpstr(lines[1], ==, "02:00:0a:00:00:02\t02:00:0a:00:00:01\t0x0800");
	g_assert_cmpstr(lines[5], ==, "02:00:0a:00:00:fe\t02:00:0a:00:00:01\t0x0800");
	g_strfreev(lines);
}

/* tshark decodes the ARP request cleanly: who has the target, tell the
 * asker, from its MAC to the broadcast address, 60 bytes. */
static void test_pcap_tshark_arp(struct pcap_fixture *f, gconstpointer data)
{
	static const char *const fields[] = {
		"_ws.col.Info", "eth.src", "eth.dst", "eth.type", "arp.opcode", "arp.src.proto_ipv4",
		"arp.dst.proto_ipv4", "arp.dst.hw_mac", "frame.len", "_ws.malformed",
		"_ws.expert.message", NULL,
	};
	GError *error = NULL;
	struct pcap_out *po = pcap_out_open(f->path, PCAP_ETHERNET, &error);
	struct packet_view pv = arp_view();
	char **lines;

	(void)data;
	g_assert_no_error(error);
	write_packet(po, PCAP_ETHERNET, 2 * SIM_SEC, &pv);
	g_assert_true(pcap_out_commit(po, &error));
	if (!tshark_available()) {
		g_test_fail_printf("tshark is not on PATH: install it with `make deps`");
		return;
	}
	lines = decode(f->path, fields);
	g_assert_cmpuint(g_strv_length(lines), ==, 1);
	g_assert_cmpstr(lines[0], ==,
			"Who has 192.168.0.188? Tell 192.168.0.4\t02:00:c0:a8:00:04\tff:ff:ff:ff:ff:ff\t"
			"0x0806\t1\t192.168.0.4\t192.168.0.188\t00:00:00:00:00:00\t60\t\t");
	g_strfreev(lines);
}

/* The file header says nanoseconds and the link type; records carry the
 * simulated time.  Read without tshark, from the pcap format itself. */
static void test_pcap_file_header(struct pcap_fixture *f, gconstpointer data)
{
	enum pcap_framing framing = GPOINTER_TO_INT(data);
	char *contents;
	gsize len;
	GError *error = NULL;
	uint32_t magic, linktype, sec, nsec;

	write_sample(f->path, framing);
	g_assert_true(g_file_get_contents(f->path, &contents, &len, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(len, >, 24 + 16);
	memcpy(&magic, contents, 4);     /* written in host byte order */
	memcpy(&linktype, contents + 20, 4);
	memcpy(&sec, contents + 24, 4);
	memcpy(&nsec, contents + 28, 4);
	g_assert_cmphex(magic, ==, 0xa1b23c4d);
	g_assert_cmpuint(linktype, ==, framing == PCAP_ETHERNET ? 1 : 101);
	g_assert_cmpuint(sec, ==, 1);
	g_assert_cmpuint(nsec, ==, 123);
	g_free(contents);
}

/* Until commit, only "<path>.tmp" exists; commit renames it into place. */
static void test_pcap_commit_renames(struct pcap_fixture *f, gconstpointer data)
{
	GError *error = NULL;
	char *tmp = g_strconcat(f->path, ".tmp", NULL);
	struct pcap_out *po = pcap_out_open(f->path, PCAP_RAW_IPV4, &error);

	(void)data;
	g_assert_no_error(error);
	g_assert_true(g_file_test(tmp, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(f->path, G_FILE_TEST_EXISTS));
	g_assert_true(pcap_out_commit(po, &error));
	g_assert_no_error(error);
	g_assert_false(g_file_test(tmp, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(f->path, G_FILE_TEST_EXISTS));
	g_free(tmp);
}

/* A failed run leaves nothing behind. */
static void test_pcap_abandon_unlinks(struct pcap_fixture *f, gconstpointer data)
{
	GError *error = NULL;
	char *tmp = g_strconcat(f->path, ".tmp", NULL);
	struct pcap_out *po = pcap_out_open(f->path, PCAP_ETHERNET, &error);
	struct packet_view pv = syn_view();

	(void)data;
	g_assert_no_error(error);
	write_packet(po, PCAP_ETHERNET, 0, &pv);
	pcap_out_abandon(po);
	g_assert_false(g_file_test(tmp, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(f->path, G_FILE_TEST_EXISTS));
	g_free(tmp);
}

/* An output folder that does not exist: an error naming the file. */
static void test_pcap_open_error(struct pcap_fixture *f, gconstpointer data)
{
	GError *error = NULL;
	char *path = g_build_filename(f->dir, "missing", "trace.pcap", NULL);

	(void)data;
	g_assert_null(pcap_out_open(path, PCAP_ETHERNET, &error));
	g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	g_assert_nonnull(strstr(error->message, path));
	g_error_free(error);
	g_free(path);
}

/* A write error (a full disk) surfaces at commit, names the file and leaves
 * nothing behind.  "<path>.tmp" is made a symlink to /dev/full, where every
 * write fails with ENOSPC. */
static void test_pcap_commit_write_error(struct pcap_fixture *f, gconstpointer data)
{
	GError *error = NULL;
	char *tmp = g_strconcat(f->path, ".tmp", NULL);
	struct packet_view pv = syn_view();
	struct pcap_out *po;

	(void)data;
	if (symlink("/dev/full", tmp) != 0 || access("/dev/full", W_OK) != 0) {
		g_test_skip("no writable /dev/full");
		g_free(tmp);
		return;
	}
	po = pcap_out_open(f->path, PCAP_ETHERNET, &error);
	g_assert_no_error(error); /* buffered: nothing reached the device yet */
	write_packet(po, PCAP_ETHERNET, 0, &pv);
	g_assert_false(pcap_out_commit(po, &error));
	g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOSPC);
	g_assert_nonnull(strstr(error->message, tmp));
	g_assert_false(g_file_test(f->path, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(tmp, G_FILE_TEST_EXISTS));
	g_error_free(error);
	g_free(tmp);
}

static void add_pcap_test(const char *path, enum pcap_framing framing,
			  void (*fn)(struct pcap_fixture *, gconstpointer))
{
	g_test_add(path, struct pcap_fixture, GINT_TO_POINTER(framing),
		   pcap_setup, fn, pcap_teardown);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/wire/sum/rfc1071-example", test_sum_rfc1071_example);
	g_test_add_func("/wire/sum/matches-bytewise", test_sum_matches_bytewise);
	g_test_add_func("/wire/tcp/syn-options", test_tcp_syn_options);
	g_test_add_func("/wire/tcp/option-layouts", test_tcp_option_layouts);
	g_test_add_func("/wire/tcp/checksum", test_tcp_checksum);
	g_test_add_func("/wire/tcp/bad-checksum", test_tcp_bad_checksum);
	g_test_add_func("/wire/tcp/too-small-buffer", test_tcp_too_small_buffer);
	g_test_add_func("/wire/ip/header-checksum", test_ip_header_checksum);
	g_test_add_func("/wire/icmp/unreach-quotes-tcp", test_icmp_unreach_quotes_tcp);
	g_test_add_func("/wire/frame/ethernet-ipv4", test_frame_ethernet_ipv4);
	g_test_add_func("/wire/frame/arp-request", test_frame_arp_request);
	add_pcap_test("/wire/pcap/tshark-arp", PCAP_ETHERNET, test_pcap_tshark_arp);
	add_pcap_test("/wire/pcap/tshark-decodes", PCAP_ETHERNET, test_pcap_tshark_decodes);
	add_pcap_test("/wire/pcap/tshark-decodes-raw", PCAP_RAW_IPV4, test_pcap_tshark_decodes);
	add_pcap_test("/wire/pcap/ethernet-macs", PCAP_ETHERNET, test_pcap_ethernet_macs);
	add_pcap_test("/wire/pcap/file-header", PCAP_ETHERNET, test_pcap_file_header);
	add_pcap_test("/wire/pcap/file-header-raw", PCAP_RAW_IPV4, test_pcap_file_header);
	add_pcap_test("/wire/pcap/commit-renames", PCAP_RAW_IPV4, test_pcap_commit_renames);
	add_pcap_test("/wire/pcap/abandon-unlinks", PCAP_ETHERNET, test_pcap_abandon_unlinks);
	add_pcap_test("/wire/pcap/open-error", PCAP_ETHERNET, test_pcap_open_error);
	add_pcap_test("/wire/pcap/commit-write-error", PCAP_ETHERNET, test_pcap_commit_write_error);
	return g_test_run();
}
