/*
 * The segment record: one TCP segment (or one ICMP error about a segment) as
 * the models exchange it.  It holds every header field a capture shows, so
 * an output writer can turn it into real IPv4 + TCP bytes, and nothing that
 * a wire would not carry except what is marked as simulator-only.
 *
 * Addresses are IPv4 in host byte order (10.0.0.1 is 0x0a000001).
 */
#ifndef MODELS_SEGMENT_H
#define MODELS_SEGMENT_H

#include <stdbool.h>
#include <stdint.h>

/* TCP header flags, in their wire bit positions. */
enum {
	TCP_FIN = 0x01,
	TCP_SYN = 0x02,
	TCP_RST = 0x04,
	TCP_PSH = 0x08,
	TCP_ACK = 0x10,
	TCP_URG = 0x20,
	TCP_ECE = 0x40, /* ECN-Echo (RFC 3168 §6.1) */
	TCP_CWR = 0x80, /* Congestion Window Reduced */
};

/* Options present in a segment (bits of tcp_opts.present). */
enum {
	TCP_OPT_MSS = 0x01,       /* kind 2, SYNs only */
	TCP_OPT_WSCALE = 0x02,    /* kind 3, SYNs only */
	TCP_OPT_SACK_PERM = 0x04, /* kind 4, SYNs only */
	TCP_OPT_TS = 0x08,        /* kind 8, RFC 7323 timestamps */
	TCP_OPT_SACK = 0x10,      /* kind 5, RFC 2018 SACK blocks (sack_n of them) */
};

/* Linux's TCP_NUM_SACKS: the most blocks a receiver keeps, and the most
 * that fit in 40 bytes of options (36 of them, without timestamps). */
#define TCP_SACK_MAX_BLOCKS 4

/* One SACK block: the bytes [start, end) are held (RFC 2018 §3). */
struct tcp_sack_block {
	uint32_t start, end;
};

/* How the options are laid out on the wire: in which order, padded how. */
enum tcp_opt_layout {
	TCP_OPT_LAYOUT_LINUX, /* tcp_options_write(): see sim/out/wire.h */
	TCP_OPT_LAYOUT_BSD,   /* FreeBSD tcp_addoptions(): see tcp_opts_bsd() */
};

struct tcp_opts {
	uint8_t present;  /* TCP_OPT_* bits */
	uint8_t layout;   /* enum tcp_opt_layout */
	uint8_t wscale;   /* window scale shift we announce */
	uint16_t mss;     /* maximum segment size we announce */
	uint32_t tsval;   /* our timestamp clock */
	uint32_t tsecr;   /* the peer's last timestamp we echo */
	uint8_t sack_n;   /* SACK blocks, with TCP_OPT_SACK: 1 to TCP_SACK_MAX_BLOCKS */
	struct tcp_sack_block sack[TCP_SACK_MAX_BLOCKS]; /* in the order sent */
};

struct tcp_seg {
	uint32_t saddr, daddr; /* IPv4 source and destination */
	uint16_t sport, dport; /* TCP ports */
	uint32_t seq;          /* first sequence number (of the SYN, data or FIN) */
	uint32_t ack;          /* acknowledgment number (meaningful with TCP_ACK) */
	uint8_t flags;         /* TCP_* flags */
	uint16_t wnd;          /* window field as sent (already scaled down) */
	struct tcp_opts opt;   /* options */
	uint32_t len;          /* payload bytes */
	const uint8_t *payload; /* len bytes, owned by whoever built the segment */
	uint16_t gso_size;     /* a GSO/GRO packet of segments this long (Linux
	                          skb_shinfo()->gso_size), 0 for one segment */
};

/* Sequence space a segment occupies: data plus one for SYN and one for FIN. */
static inline uint32_t tcp_seg_seqlen(const struct tcp_seg *s)
{
	return s->len + ((s->flags & TCP_SYN) ? 1u : 0u) + ((s->flags & TCP_FIN) ? 1u : 0u);
}

/* The option kinds in FreeBSD's order and padding (tcp_addoptions(),
 * sys/netinet/tcp_output.c): MSS; window scale after NOPs up to an odd
 * offset; SACK-permitted after NOPs up to an even one; timestamps after
 * NOPs up to offset 2 mod 4 (never first); then EOL and zeros (kind 0
 * too) up to a multiple of 4.  A SYN with everything is
 * mss,nop,wscale,sackOK,TS (20 bytes); with MSS and SACK-permitted only
 * mss,sackOK,eol,eol.  SACK blocks come last, after NOPs up to an even
 * offset that is not 0: nop,nop,TS,sack (38 bytes with three blocks, then
 * eol,eol) or nop,nop,sack.  Writes at most 16 kinds; returns how many. */
static inline uint32_t tcp_opts_bsd(const struct tcp_opts *o, uint8_t *kinds)
{
	static const uint8_t order[] = {TCP_OPT_MSS, TCP_OPT_WSCALE, TCP_OPT_SACK_PERM, TCP_OPT_TS,
	                                TCP_OPT_SACK};
	static const uint8_t kind[] = {2, 3, 4, 8, 5}, len[] = {4, 3, 2, 10, 2};
	uint32_t n = 0, off = 0;
	for (uint32_t i = 0; i < 5; i++) {
		if (!(o->present & order[i]))
			continue;
		while ((order[i] == TCP_OPT_WSCALE && (off == 0 || off % 2 != 1)) ||
		       (order[i] == TCP_OPT_SACK_PERM && off % 2 != 0) ||
		       (order[i] == TCP_OPT_TS && (off == 0 || off % 4 != 2)) ||
		       (order[i] == TCP_OPT_SACK && (off == 0 || off % 2 != 0))) {
			kinds[n++] = 1; /* NOP */
			off++;
		}
		kinds[n++] = kind[i];
		off += len[i] + (order[i] == TCP_OPT_SACK ? 8u * o->sack_n : 0u);
	}
	while (off % 4) { /* TCPOPT_EOL, then TCPOPT_PAD: both kind 0 */
		kinds[n++] = 0;
		off++;
	}
	return n;
}

/* Bytes of TCP options as Linux lays them out (see sim/out/wire.h): MSS 4;
 * timestamps 12 (SACK-permitted shares their padding); SACK-permitted alone
 * 4; window scale 4; SACK blocks 4 + 8 each (nop,nop,sack). */
static inline uint32_t tcp_opts_len(const struct tcp_opts *o)
{
	uint32_t n = 0;
	if (o->layout == TCP_OPT_LAYOUT_BSD) {
		static const uint8_t len_of[9] = {1, 1, 4, 3, 2, 2, 0, 0, 10};
		uint8_t kinds[16];
		uint32_t k = tcp_opts_bsd(o, kinds);
		for (uint32_t i = 0; i < k; i++)
			n += len_of[kinds[i]] + (kinds[i] == 5 ? 8u * o->sack_n : 0u);
		return n;
	}
	if (o->present & TCP_OPT_MSS)
		n += 4;
	if (o->present & TCP_OPT_TS)
		n += 12;
	else if (o->present & TCP_OPT_SACK_PERM)
		n += 4;
	if (o->present & TCP_OPT_WSCALE)
		n += 4;
	if (o->present & TCP_OPT_SACK)
		n += 4 + 8u * o->sack_n;
	return n;
}

enum packet_kind {
	PACKET_TCP,          /* an IPv4 packet carrying `tcp` */
	PACKET_ICMP_UNREACH, /* ICMP destination unreachable quoting `tcp` */
	PACKET_ARP,          /* an ARP request, not IPv4: who has arp_target? tell arp_sender */
};

/* Everything an output writer needs to encode one packet. */
struct packet_view {
	enum packet_kind kind;
	uint16_t ip_id;      /* IPv4 identification */
	uint8_t ttl;         /* IPv4 time to live */
	uint8_t tos;         /* IPv4 type of service (DSCP and ECN) */
	bool bad_checksum;   /* corrupted on the wire: write a wrong TCP checksum */
	uint32_t corrupt_bit; /* 0, or 1 + the bit (byte * 8 + bit, bit 0 the lowest) of the TCP
	                         header, options and payload flipped on the way (netem corrupt) */
	struct tcp_seg tcp;  /* the segment, or the offending segment an ICMP error quotes */
	uint32_t icmp_src;   /* ICMP: address of the host or router reporting */
	uint8_t icmp_code;   /* ICMP type 3 code: 0 net, 1 host, 3 port unreachable */
	bool icmp_time_exceeded; /* ICMP type 11, time exceeded (code 0: in transit),
	                         instead of 3 (the kind stays PACKET_ICMP_UNREACH) */
	uint32_t arp_sender; /* ARP: the asking host's address (`tcp` is unused) */
	uint32_t arp_target; /* ARP: the address it asks the MAC address of */
};

#endif
