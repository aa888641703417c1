/*
 * One packet as a tcpdump line.  The text follows tcpdump's print-tcp.c and
 * print-icmp.c field by field, so that a user can put a tcpsim trace next
 * to a real capture (the seeds quote `tcpdump -S` output):
 *
 *   TIME IP SRC.SPORT > DST.DPORT: Flags [FL], seq S[:E], ack A, win W[, urg 0]
 *       [, options [...]], length N
 *
 *  - TIME: seconds with 9 decimals of simulated time (-tt --nano).
 *  - Flags: letters F S R P . U in that order, "none" when no flag is set.
 *  - seq: only when the segment has data or carries SYN, FIN or RST
 *    (a pure ACK shows none); "seq S:E" with E = S + length when it has
 *    data, "seq S" otherwise.  ack only when the ACK flag is set.
 *  - urg: with the URG flag; tcpsim's urgent pointer is always 0.
 *  - options: in the order of the bytes sim/out/wire.c writes, which are the
 *    groups of Linux's tcp_options_write(): MSS; then TS preceded by
 *    sackOK when both are present, by nop,nop otherwise; nop,nop,sackOK
 *    when SACK-permitted comes without TS; nop,wscale last.  So a Linux
 *    SYN shows "mss 1460,sackOK,TS val V ecr E,nop,wscale 7" and any other
 *    segment with timestamps "nop,nop,TS val V ecr E".  SACK blocks come
 *    last, "nop,nop,sack 2 {S:E}{S:E}", relative to the peer's ISN in
 *    relative mode as the ack field is (print-tcp.c: s -= th->ack).
 *  - length: TCP payload bytes; for ICMP, the ICMP message bytes (header
 *    and quote: 36 for the 20 + 8 bytes of the offending segment).
 *  - Relative mode: see sim/out/tcpdump.h.
 *  - ICMP destination unreachable: tcpdump's wording per code, the address
 *    being the destination of the quoted packet ("host 10.0.0.2
 *    unreachable", "10.0.0.2 tcp port 8080 unreachable").
 *  - ARP request: print-arp.c's "ARP, Request who-has T tell S, length 46",
 *    the length that of the Ethernet payload, padded to 60 bytes as in the
 *    pcap (shown whatever the pcap's framing: a raw capture has no ARP).
 * A corrupted checksum is not shown, as tcpdump shows none without -v.
 */
#include "sim/out/tcpdump.h"

#include <inttypes.h>
#include "sim/out/wire.h"

enum { IPV4_HDR_LEN = 20 }; /* sim/out/wire.c writes no IP options */

const char *tcpdump_flags(uint8_t flags, char buf[8])
{
	static const struct {
		uint8_t bit;
		char letter;
	} order[] = { /* tcpdump's tcp_flag_values[] */
		{ TCP_FIN, 'F' }, { TCP_SYN, 'S' }, { TCP_RST, 'R' },
		{ TCP_PSH, 'P' }, { TCP_ACK, '.' }, { TCP_URG, 'U' },
		{ TCP_ECE, 'E' }, { TCP_CWR, 'W' },
	};
	size_t n = 0;

	for (size_t i = 0; i < G_N_ELEMENTS(order); i++)
		if (flags & order[i].bit)
			buf[n++] = order[i].letter;
	if (n == 0) /* tcpdump's bittok2str() default */
		g_strlcpy(buf, "none", 8);
	else
		buf[n] = '\0';
	return buf;
}

/* Dotted quad of a host-order IPv4 address. */
static void append_addr(GString *out, uint32_t a)
{
	g_string_append_printf(out, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xffu,
	                       (a >> 8) & 0xffu, a & 0xffu);
}

static void append_time(GString *out, sim_time t)
{
	g_assert(t >= 0);
	g_string_append_printf(out, "%" PRId64 ".%09" PRId64 " ", t / SIM_SEC, t % SIM_SEC);
}

/* "sack N {S:E}...", print-tcp.c's TCPOPT_SACK, less `base`. */
static void append_sack(GString *out, const struct tcp_opts *o, uint32_t base)
{
	g_string_append_printf(out, "sack %u ", o->sack_n);
	for (uint32_t i = 0; i < o->sack_n; i++)
		g_string_append_printf(out, "{%" PRIu32 ":%" PRIu32 "}", (uint32_t)(o->sack[i].start - base),
		                       (uint32_t)(o->sack[i].end - base));
}

/* FreeBSD's layout (tcp_opts_bsd()) as tcpdump lists it: each kind in
 * turn, the zero bytes after the options "eol". */
static void append_bsd_options(GString *out, const struct tcp_opts *o, uint32_t sack_base)
{
	uint8_t kinds[16];
	uint32_t n = tcp_opts_bsd(o, kinds);
	for (uint32_t i = 0; i < n; i++) {
		const char *sep = i ? "," : "";
		switch (kinds[i]) {
		case 0: g_string_append_printf(out, "%seol", sep); break;
		case 1: g_string_append_printf(out, "%snop", sep); break;
		case 2: g_string_append_printf(out, "%smss %u", sep, o->mss); break;
		case 3: g_string_append_printf(out, "%swscale %u", sep, o->wscale); break;
		case 4: g_string_append_printf(out, "%ssackOK", sep); break;
		case 5:
			g_string_append(out, sep);
			append_sack(out, o, sack_base);
			break;
		default:
			g_string_append_printf(out, "%sTS val %" PRIu32 " ecr %" PRIu32, sep, o->tsval, o->tsecr);
			break;
		}
	}
	g_string_append_c(out, ']');
}

/* tcpdump's option list, in wire order (see the comment at the top). */
static void append_options(GString *out, const struct tcp_opts *o, uint32_t sack_base)
{
	const uint8_t known = TCP_OPT_MSS | TCP_OPT_WSCALE | TCP_OPT_SACK_PERM | TCP_OPT_TS |
	                      TCP_OPT_SACK;
	const char *sep = "";

	if ((o->present & known) == 0) /* no option bytes at all */
		return;
	g_string_append(out, ", options [");
	if (o->layout == TCP_OPT_LAYOUT_BSD) {
		append_bsd_options(out, o, sack_base);
		return;
	}
	if (o->present & TCP_OPT_MSS) {
		g_string_append_printf(out, "mss %u", o->mss);
		sep = ",";
	}
	if (o->present & TCP_OPT_TS) /* sackOK fills the two NOPs before TS */
		g_string_append_printf(out, "%s%s,TS val %" PRIu32 " ecr %" PRIu32, sep,
		                       (o->present & TCP_OPT_SACK_PERM) ? "sackOK" : "nop,nop",
		                       o->tsval, o->tsecr);
	else if (o->present & TCP_OPT_SACK_PERM)
		g_string_append_printf(out, "%snop,nop,sackOK", sep);
	if (o->present & (TCP_OPT_TS | TCP_OPT_SACK_PERM))
		sep = ",";
	if (o->present & TCP_OPT_WSCALE) {
		g_string_append_printf(out, "%snop,wscale %u", sep, o->wscale);
		sep = ",";
	}
	if (o->present & TCP_OPT_SACK) {
		g_string_append_printf(out, "%snop,nop,", sep);
		append_sack(out, o, sack_base);
	}
	g_string_append_c(out, ']');
}

/* Does tcpdump show this segment's numbers relative to the ISNs?  Only
 * an ACK-bearing segment, and a SYN-ACK restarts the numbering. */
static bool shown_relative(bool relative_seq, uint8_t flags)
{
	return relative_seq && (flags & TCP_ACK) && !(flags & TCP_SYN);
}

static void append_tcp(GString *out, const struct tcp_seg *s, bool relative_seq,
                       uint32_t isn_src, uint32_t isn_dst)
{
	char fl[8];
	uint32_t seq = s->seq, ack = s->ack;

	if (shown_relative(relative_seq, s->flags)) {
		seq -= isn_src; /* modulo 2^32, as tcpdump */
		ack -= isn_dst;
	}
	g_string_append(out, "IP ");
	append_addr(out, s->saddr);
	g_string_append_printf(out, ".%u > ", s->sport);
	append_addr(out, s->daddr);
	g_string_append_printf(out, ".%u: Flags [%s]", s->dport, tcpdump_flags(s->flags, fl));
	if (s->len > 0 || (s->flags & (TCP_SYN | TCP_FIN | TCP_RST)))
		g_string_append_printf(out, ", seq %" PRIu32, seq);
	if (s->len > 0)
		g_string_append_printf(out, ":%" PRIu32, (uint32_t)(seq + s->len));
	if (s->flags & TCP_ACK)
		g_string_append_printf(out, ", ack %" PRIu32, ack);
	g_string_append_printf(out, ", win %u", s->wnd);
	if (s->flags & TCP_URG)
		g_string_append(out, ", urg 0");
	append_options(out, &s->opt, shown_relative(relative_seq, s->flags) ? isn_dst : 0);
	g_string_append_printf(out, ", length %" PRIu32, s->len);
}

/* tcpdump's text for an ICMP destination unreachable of each code, around
 * the address of the quoted packet's destination.  Codes 2 and 3 name the
 * quoted protocol (always TCP here); code 4 has no next-hop MTU in tcpsim. */
static const struct {
	const char *before, *after;
} unreach_text[] = {
	[0] = { "net ", " unreachable" },
	[1] = { "host ", " unreachable" },
	[2] = { "", " protocol 6 unreachable" },
	[3] = { "", NULL }, /* "A tcp port P unreachable": needs the port */
	[4] = { "", " unreachable - need to frag" },
	[5] = { "", " unreachable - source route failed" },
	[6] = { "net ", " unreachable - unknown" },
	[7] = { "host ", " unreachable - unknown" },
	[8] = { "", " unreachable - source host isolated" },
	[9] = { "net ", " unreachable - admin prohibited" },
	[10] = { "host ", " unreachable - admin prohibited" },
	[11] = { "net ", " unreachable - tos prohibited" },
	[12] = { "host ", " unreachable - tos prohibited" },
	[13] = { "host ", " unreachable - admin prohibited filter" },
	[14] = { "host ", " unreachable - host precedence violation" },
	[15] = { "host ", " unreachable - precedence cutoff" },
};

static void append_unreach_text(GString *out, const struct tcp_seg *quoted, uint8_t code)
{
	if (code >= G_N_ELEMENTS(unreach_text)) { /* unknown code: tcpdump's fallback */
		append_addr(out, quoted->daddr);
		g_string_append_printf(out, " unreachable - #%u", code);
		return;
	}
	g_string_append(out, unreach_text[code].before);
	append_addr(out, quoted->daddr);
	if (unreach_text[code].after)
		g_string_append(out, unreach_text[code].after);
	else
		g_string_append_printf(out, " tcp port %u unreachable", quoted->dport);
}

/* The error goes from the reporting host back to the segment's sender. */
static void append_icmp(GString *out, const struct packet_view *pv)
{
	g_string_append(out, "IP ");
	append_addr(out, pv->icmp_src);
	g_string_append(out, " > ");
	append_addr(out, pv->tcp.saddr);
	g_string_append(out, ": ICMP ");
	if (pv->icmp_time_exceeded) /* tcpdump's icmp_print(): ICMP_TIMXCEED_INTRANS */
		g_string_append(out, pv->icmp_code == 0 ? "time exceeded in-transit"
		                                        : "ip reassembly time exceeded");
	else
		append_unreach_text(out, &pv->tcp, pv->icmp_code);
	g_string_append_printf(out, ", length %" PRIu32, wire_packet_size(pv) - IPV4_HDR_LEN);
}

static void append_arp(GString *out, const struct packet_view *pv)
{
	g_string_append(out, "ARP, Request who-has ");
	append_addr(out, pv->arp_target);
	g_string_append(out, " tell ");
	append_addr(out, pv->arp_sender);
	g_string_append_printf(out, ", length %u", WIRE_ETH_MIN_FRAME - WIRE_ETH_HDR_LEN);
}

void tcpdump_format(GString *out, sim_time t, const struct packet_view *pv,
                    bool relative_seq, uint32_t isn_src, uint32_t isn_dst)
{
	append_time(out, t);
	switch (pv->kind) {
	case PACKET_TCP:
		append_tcp(out, &pv->tcp, relative_seq, isn_src, isn_dst);
		break;
	case PACKET_ICMP_UNREACH:
		append_icmp(out, pv);
		break;
	case PACKET_ARP:
		append_arp(out, pv);
		break;
	}
}
