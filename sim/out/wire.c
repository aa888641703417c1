/*
 * Packets as bytes on a wire: a segment record encoded as the IPv4 + TCP (or
 * IPv4 + ICMP) packet a Linux host would put on the wire, an ARP request,
 * and the Ethernet II frame around either.
 *
 * Model.  Every field is written byte by byte in network order into the
 * caller's buffer; no host struct is ever overlaid on packet bytes, so the
 * result is the same on every host and compiler.  A TCP packet is
 *   IPv4 header (20, no options) | TCP header (20) | options | payload
 * and an ICMP destination unreachable is
 *   IPv4 header (20) | ICMP header (8) | quoted IPv4 header (20) | quoted
 *   first 8 bytes of the TCP header (RFC 792).
 *
 * Invariants.
 *  - Options are emitted in 4-byte groups exactly as Linux's
 *    tcp_options_write() does, so their length is always a multiple of 4
 *    and the data offset is exact; no padding is ever needed.
 *  - Every checksum is right, except the TCP checksum of a segment marked
 *    bad_checksum or with a corrupt_bit flipped after it was computed, which is guaranteed to fail verification (it differs from
 *    the right one modulo 0xffff, not merely in its bit pattern).
 *  - The header an ICMP error quotes is byte for byte the header the
 *    offending segment had (same ip_id, ttl, DF, checksum).
 */
#include "sim/out/wire.h"

#include <string.h>
#include <glib.h>

enum {
	IP_HDR_LEN = 20,
	TCP_HDR_LEN = 20,
	ICMP_HDR_LEN = 8,
	ICMP_QUOTE_TCP = 8, /* RFC 792: the first 64 bits of the datagram's data */
	IPPROTO_ICMP_ = 1,  /* trailing _ : netinet/in.h may define the plain name */
	IPPROTO_TCP_ = 6,
	ICMP_TTL = 64,      /* Linux's default TTL for the errors it originates */
	IP_FLAG_DF = 0x4000,
	ICMP_DEST_UNREACH = 3,
	ICMP_TIME_EXCEEDED = 11,
	ARP_LEN = 28,         /* RFC 826 for Ethernet and IPv4 */
	ARP_HTYPE_ETHER = 1,
	ARP_OP_REQUEST = 1,
	ETHERTYPE_IPV4 = 0x0800,
	ETHERTYPE_ARP = 0x0806,
};

/* TCP option kinds and lengths (RFC 9293, RFC 7323, RFC 2018). */
enum {
	OPT_NOP = 1,
	OPT_MSS = 2,
	OPT_WSCALE = 3,
	OPT_SACK_PERM = 4,
	OPT_SACK = 5,
	OPT_TS = 8,
	OPTLEN_MSS = 4,
	OPTLEN_WSCALE = 3,
	OPTLEN_SACK_PERM = 2,
	OPTLEN_TS = 10,
	OPTLEN_SACK_BASE = 2,
	OPTLEN_SACK_BLOCK = 8,
};

/* Network byte order, in one store each.  The headers are written in
 * whole 32-bit words, and the checksum then reads them back a word at a
 * time: a load that spans several narrower stores cannot take its value
 * from the store buffer and waits for them to retire. */
static void put16(uint8_t *p, uint16_t v)
{
	uint16_t be = GUINT16_TO_BE(v);
	memcpy(p, &be, sizeof be);
}

static void put32(uint8_t *p, uint32_t v)
{
	uint32_t be = GUINT32_TO_BE(v);
	memcpy(p, &be, sizeof be);
}

static void put4(uint8_t *p, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	put32(p, (uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | d);
}

/* RFC 1071 §2(B): the one's complement sum is the same in either byte
 * order, so the words are added as the host loads them, four bytes at a
 * time (as Linux's csum_partial() does), and the folded sum is put back in
 * network order once.  Folding never turns a sum that is not zero into
 * zero, so the result is the byte-by-byte sum's exactly. */
uint32_t wire_sum(const uint8_t *data, size_t len, uint32_t sum)
{
	uint64_t acc = 0; /* 64 bits: no carry is lost below 2^32 words */
	size_t i = 0;
	uint32_t w;
	uint16_t h;

	for (; i + 4 <= len; i += 4) {
		memcpy(&w, data + i, 4);
		acc += w;
	}
	if (i + 2 <= len) {
		memcpy(&h, data + i, 2);
		acc += h;
		i += 2;
	}
	if (i < len) { /* odd length: the last byte is padded with a zero byte */
		const uint8_t pad[2] = {data[i], 0};
		memcpy(&h, pad, 2);
		acc += h;
	}
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	acc = GUINT16_FROM_BE((uint16_t)acc) + (uint64_t)sum;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint32_t)acc;
}

uint16_t wire_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint8_t sack_len(const struct tcp_opts *o)
{
	return (uint8_t)(OPTLEN_SACK_BASE + OPTLEN_SACK_BLOCK * o->sack_n);
}

/* The SACK blocks (RFC 2018 §3), after the option's kind and length. */
static void sack_blocks_write(const struct tcp_opts *o, uint8_t *p)
{
	for (size_t i = 0; i < o->sack_n; i++) {
		put32(p + 8 * i, o->sack[i].start);
		put32(p + 4 + 8 * i, o->sack[i].end);
	}
}

/* kind 5, its length and the blocks; returns the bytes. */
static uint32_t sack_write(const struct tcp_opts *o, uint8_t *p)
{
	p[0] = OPT_SACK;
	p[1] = sack_len(o);
	sack_blocks_write(o, p + 2);
	return sack_len(o);
}

/* FreeBSD's tcp_addoptions(): the kinds tcp_opts_bsd() lists. */
static uint32_t opts_write_bsd(const struct tcp_opts *o, uint8_t *p)
{
	uint8_t kinds[16];
	uint32_t n = tcp_opts_bsd(o, kinds), off = 0;
	for (uint32_t i = 0; i < n; i++) {
		switch (kinds[i]) {
		case OPT_MSS:
			put4(p + off, OPT_MSS, OPTLEN_MSS, (uint8_t)(o->mss >> 8), (uint8_t)o->mss);
			off += OPTLEN_MSS;
			break;
		case OPT_WSCALE:
			p[off] = OPT_WSCALE;
			p[off + 1] = OPTLEN_WSCALE;
			p[off + 2] = o->wscale;
			off += OPTLEN_WSCALE;
			break;
		case OPT_SACK_PERM:
			p[off] = OPT_SACK_PERM;
			p[off + 1] = OPTLEN_SACK_PERM;
			off += OPTLEN_SACK_PERM;
			break;
		case OPT_SACK:
			off += sack_write(o, p + off);
			break;
		case OPT_TS:
			p[off] = OPT_TS;
			p[off + 1] = OPTLEN_TS;
			put32(p + off + 2, o->tsval);
			put32(p + off + 6, o->tsecr);
			off += OPTLEN_TS;
			break;
		default: /* NOP, or EOL and its zero padding */
			p[off++] = kinds[i];
			break;
		}
	}
	return off;
}

/* Linux's tcp_options_write(): each option fills a 4-byte group with NOPs,
 * and SACK_PERM takes the place of the two NOPs before TS when both are
 * there; SACK blocks come last, after two NOPs.  Returns the bytes written (tcp_opts_len()). */
static uint32_t opts_write(const struct tcp_opts *o, uint8_t *p)
{
	uint8_t *start = p;

	if (o->layout == TCP_OPT_LAYOUT_BSD)
		return opts_write_bsd(o, p);

	if (o->present & TCP_OPT_MSS) {
		put4(p, OPT_MSS, OPTLEN_MSS, (uint8_t)(o->mss >> 8), (uint8_t)o->mss);
		p += 4;
	}
	if (o->present & TCP_OPT_TS) {
		if (o->present & TCP_OPT_SACK_PERM)
			put4(p, OPT_SACK_PERM, OPTLEN_SACK_PERM, OPT_TS, OPTLEN_TS);
		else
			put4(p, OPT_NOP, OPT_NOP, OPT_TS, OPTLEN_TS);
		put32(p + 4, o->tsval);
		put32(p + 8, o->tsecr);
		p += 12;
	} else if (o->present & TCP_OPT_SACK_PERM) {
		put4(p, OPT_NOP, OPT_NOP, OPT_SACK_PERM, OPTLEN_SACK_PERM);
		p += 4;
	}
	if (o->present & TCP_OPT_WSCALE) {
		put4(p, OPT_NOP, OPT_WSCALE, OPTLEN_WSCALE, o->wscale);
		p += 4;
	}
	if (o->present & TCP_OPT_SACK) { /* nop,nop,sack: last, as Linux writes it */
		put4(p, OPT_NOP, OPT_NOP, OPT_SACK, sack_len(o));
		sack_blocks_write(o, p + 4);
		p += 2 + sack_len(o);
	}
	return (uint32_t)(p - start);
}

static uint32_t tcp_packet_size(const struct tcp_seg *s)
{
	if (s->len > WIRE_MAX_PACKET) /* keep the sum below from wrapping */
		return UINT32_MAX;
	return IP_HDR_LEN + TCP_HDR_LEN + tcp_opts_len(&s->opt) + s->len;
}

const char *wire_icmp_words(const struct packet_view *pv)
{
	if (pv->icmp_time_exceeded)
		return "ICMP time exceeded";
	switch (pv->icmp_code) {
	case 0: return "ICMP net unreachable from a router";
	case 1: return "ICMP host unreachable from a router";
	case 2: return "ICMP protocol unreachable";
	case 3: return "ICMP port unreachable";
	case 9: case 10: case 13: return "ICMP destination unreachable: administratively prohibited";
	default: return "ICMP destination unreachable";
	}
}

uint32_t wire_packet_size(const struct packet_view *pv)
{
	switch (pv->kind) {
	case PACKET_TCP:
		return tcp_packet_size(&pv->tcp);
	case PACKET_ICMP_UNREACH:
		return IP_HDR_LEN + ICMP_HDR_LEN + IP_HDR_LEN + ICMP_QUOTE_TCP;
	case PACKET_ARP:
		return ARP_LEN;
	}
	return 0; /* not reached: -Wswitch-enum checks every kind is handled */
}

/* An IPv4 header without options, checksum included. */
static void ip_write(uint8_t *p, uint32_t total_len, uint16_t id, uint16_t frag, uint8_t tos,
		     uint8_t ttl, uint8_t proto, uint32_t saddr, uint32_t daddr)
{
	/* version 4, IHL 5 words; DSCP and ECN: the sender's IP_TOS */
	put4(p, 0x45, tos, (uint8_t)(total_len >> 8), (uint8_t)total_len);
	put32(p + 4, (uint32_t)id << 16 | frag);
	put4(p + 8, ttl, proto, 0, 0); /* the checksum, 0 while it is summed */
	put32(p + 12, saddr);
	put32(p + 16, daddr);
	put16(p + 10, wire_fold(wire_sum(p, IP_HDR_LEN, 0)));
}

/* A checksum that fails verification: the complement of the right one,
 * except when the right one is 0x0000, whose complement 0xffff is the same
 * number in one's complement arithmetic and would verify. */
static uint16_t corrupt_checksum(uint16_t good)
{
	return good == 0x0000 ? 0x0001 : (uint16_t)(good ^ 0xffff);
}

/* The TCP checksum over the pseudo-header (RFC 9293 §3.1) and the segment
 * (header, options, payload) at p, tcp_len bytes. */
static uint16_t tcp_checksum(const struct tcp_seg *s, const uint8_t *p, uint32_t tcp_len)
{
	uint8_t pseudo[12];

	put32(pseudo, s->saddr);
	put32(pseudo + 4, s->daddr);
	put4(pseudo + 8, 0, IPPROTO_TCP_, (uint8_t)(tcp_len >> 8), (uint8_t)tcp_len);
	/* each chunk but the last has an even length, so the sums chain */
	return wire_fold(wire_sum(p, tcp_len, wire_sum(pseudo, sizeof pseudo, 0)));
}

/* The TCP header, options and payload of s at p; returns their length. */
static uint32_t tcp_write(const struct tcp_seg *s, bool bad_checksum, uint8_t *p)
{
	uint32_t olen = tcp_opts_len(&s->opt);
	uint32_t tcp_len = TCP_HDR_LEN + olen + s->len;
	uint16_t sum;

	put32(p, (uint32_t)s->sport << 16 | s->dport);
	put32(p + 4, s->seq);
	put32(p + 8, s->ack);
	put4(p + 12, (uint8_t)(((TCP_HDR_LEN + olen) / 4) << 4), s->flags, /* data offset */
	     (uint8_t)(s->wnd >> 8), (uint8_t)s->wnd);
	/* the checksum, 0 while it is summed; the urgent pointer: tcpsim
	 * never sends urgent data */
	put32(p + 16, 0);
	opts_write(&s->opt, p + TCP_HDR_LEN);
	if (s->len > 0)
		memcpy(p + TCP_HDR_LEN + olen, s->payload, s->len);
	sum = tcp_checksum(s, p, tcp_len);
	put16(p + 16, bad_checksum ? corrupt_checksum(sum) : sum);
	return tcp_len;
}

/* The whole TCP packet; DF set as Linux does (path MTU discovery is on). */
static uint32_t tcp_packet_write(const struct packet_view *pv, uint8_t *p)
{
	uint32_t len = tcp_packet_size(&pv->tcp);

	uint32_t tcp_len = tcp_write(&pv->tcp, pv->bad_checksum, p + IP_HDR_LEN);
	uint32_t flip = pv->corrupt_bit;

	/* a bit flipped on the way (netem corrupt), after the sender's
	 * checksum: a one-bit change of the sum never verifies */
	if (flip && (flip - 1) / 8 < tcp_len)
		p[IP_HDR_LEN + (flip - 1) / 8] ^= (uint8_t)(1u << ((flip - 1) % 8));
	ip_write(p, len, pv->ip_id, IP_FLAG_DF, pv->tos, pv->ttl, IPPROTO_TCP_,
		 pv->tcp.saddr, pv->tcp.daddr);
	return len;
}

/* ICMP destination unreachable about pv->tcp, from icmp_src to the sender
 * of the segment.  The outer header has no DF (Linux clears it on ICMP
 * errors) and identification 0, as nothing ever reassembles it. */
static uint32_t icmp_packet_write(const struct packet_view *pv, uint8_t *p)
{
	uint32_t len = wire_packet_size(pv);
	uint8_t *icmp = p + IP_HDR_LEN;
	uint8_t *quote = icmp + ICMP_HDR_LEN;

	ip_write(p, len, 0, 0, 0, ICMP_TTL, IPPROTO_ICMP_, pv->icmp_src, pv->tcp.saddr);
	icmp[0] = pv->icmp_time_exceeded ? ICMP_TIME_EXCEEDED : ICMP_DEST_UNREACH;
	icmp[1] = pv->icmp_code;
	put16(icmp + 2, 0);
	put32(icmp + 4, 0); /* unused (next-hop MTU for code 4: not modelled) */
	/* The quoted header must be exactly the one the segment carried, whose
	 * total length and checksum depend on its whole length: build the
	 * header alone with that length, then append the first TCP bytes. */
	ip_write(quote, tcp_packet_size(&pv->tcp), pv->ip_id, IP_FLAG_DF, pv->tos, pv->ttl,
		 IPPROTO_TCP_, pv->tcp.saddr, pv->tcp.daddr);
	put16(quote + IP_HDR_LEN, pv->tcp.sport);
	put16(quote + IP_HDR_LEN + 2, pv->tcp.dport);
	put32(quote + IP_HDR_LEN + 4, pv->tcp.seq);
	put16(icmp + 2, wire_fold(wire_sum(icmp, len - IP_HDR_LEN, 0)));
	return len;
}

/* A host's MAC address: 02:00 (locally administered, unicast), then its
 * IPv4 address. */
static void put_mac(uint8_t *p, uint32_t addr)
{
	p[0] = 0x02;
	p[1] = 0x00;
	put32(p + 2, addr);
}

/* arp_create() of a request: who has arp_target? tell arp_sender (the
 * target's hardware address unknown: zeros). */
static uint32_t arp_write(const struct packet_view *pv, uint8_t *p)
{
	put16(p, ARP_HTYPE_ETHER);
	put16(p + 2, ETHERTYPE_IPV4);
	p[4] = 6; /* hardware address length */
	p[5] = 4; /* protocol address length */
	put16(p + 6, ARP_OP_REQUEST);
	put_mac(p + 8, pv->arp_sender);
	put32(p + 14, pv->arp_sender);
	memset(p + 18, 0, 6);
	put32(p + 24, pv->arp_target);
	return ARP_LEN;
}

uint32_t wire_encode(const struct packet_view *pv, uint8_t *buf, size_t cap)
{
	uint32_t len = wire_packet_size(pv);

	if (len > WIRE_MAX_PACKET || len > cap) /* would not fit IPv4 or buf? */
		return 0;
	switch (pv->kind) {
	case PACKET_TCP:
		return tcp_packet_write(pv, buf);
	case PACKET_ICMP_UNREACH:
		return icmp_packet_write(pv, buf);
	case PACKET_ARP:
		return arp_write(pv, buf);
	}
	return 0;
}

/* The Ethernet II header of an IPv4 packet (its addresses at bytes 12-19)
 * or of an ARP request (a broadcast). */
static void ethernet_write(const struct packet_view *pv, const uint8_t *packet, uint8_t *eth)
{
	if (pv->kind == PACKET_ARP) {
		memset(eth, 0xff, 6);
		put_mac(eth + 6, pv->arp_sender);
		put16(eth + 12, ETHERTYPE_ARP);
		return;
	}
	eth[0] = 0x02;
	eth[1] = 0x00;
	memcpy(eth + 2, packet + 16, 4); /* destination first */
	eth[6] = 0x02;
	eth[7] = 0x00;
	memcpy(eth + 8, packet + 12, 4);
	put16(eth + 12, ETHERTYPE_IPV4);
}

uint32_t wire_frame(const struct packet_view *pv, bool ethernet, uint8_t *buf, size_t cap)
{
	if (!ethernet)
		return pv->kind == PACKET_ARP ? 0 : wire_encode(pv, buf, cap);
	if (cap < WIRE_ETH_HDR_LEN)
		return 0;
	uint32_t len = wire_encode(pv, buf + WIRE_ETH_HDR_LEN, cap - WIRE_ETH_HDR_LEN);
	if (len == 0)
		return 0;
	len += WIRE_ETH_HDR_LEN;
	/* Padding only for ARP: a capture on the sending host shows its own
	 * short IPv4 frames unpadded, and tcpsim's always have. */
	uint32_t padded = pv->kind == PACKET_ARP && len < WIRE_ETH_MIN_FRAME ? WIRE_ETH_MIN_FRAME : len;
	if (padded > cap)
		return 0;
	ethernet_write(pv, buf + WIRE_ETH_HDR_LEN, buf);
	memset(buf + len, 0, padded - len);
	return padded;
}
