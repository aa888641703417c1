/*
 * Script packets and the model's segments: an inbound '<' line becomes a
 * segment of the remote peer; an outbound '>' line is compared with what
 * the system under test sent, in packetdrill's order and words (its
 * run_packet.c: the IPv4 total length, then the TCP header fields, then
 * the options), on the bytes the capture would hold (sim/out/wire.c), so
 * that what is checked is what Wireshark shows.
 *
 * Sequence numbers in a script are relative: the system under test's to
 * the ISN of its SYN (learned when the SYN is checked), the peer's to its
 * own ISN, which is the script's 0 here.  TS val of the system under test
 * is relative to its first one in the script too: the offset between the
 * script's value and the actual one is learned from the first outbound
 * timestamp and added to the TS ecr of inbound packets, as packetdrill
 * does, so that a script reads the same on any clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim/out/wire.h"
#include "sim/pkt/pkt_runner.h"

#define IP_HDR 20
#define TCP_HDR 20

static uint8_t tcp_flags_of(uint32_t f)
{
	return (uint8_t)(((f & PKT_F_FIN) ? TCP_FIN : 0) | ((f & PKT_F_SYN) ? TCP_SYN : 0) |
	                 ((f & PKT_F_RST) ? TCP_RST : 0) | ((f & PKT_F_PSH) ? TCP_PSH : 0) |
	                 ((f & PKT_F_ACK) ? TCP_ACK : 0) | ((f & PKT_F_URG) ? TCP_URG : 0) |
	                 ((f & PKT_F_ECE) ? TCP_ECE : 0) | ((f & PKT_F_CWR) ? TCP_CWR : 0));
}

/* "code_N", packetdrill's way of naming a code by its number. */
static bool code_n(const char *word, unsigned *n)
{
	if (!g_str_has_prefix(word, "code_") || !g_ascii_isdigit(word[5]))
		return false;
	char *end;
	unsigned long v = strtoul(word + 5, &end, 10);
	if (*end || v > 255)
		return false;
	*n = (unsigned)v;
	return true;
}

/* ICMP destination unreachable codes, as packetdrill names them
 * (icmp_packet.c icmpv4_unreachable_codes[], parse_icmp_type_and_code():
 * no code is 0, "code_N" is N); fragmentation needed (4), path MTU
 * discovery's, is not modelled. */
static bool icmp_code_of(const char *word, uint8_t *code)
{
	static const char *const names[16] = {
		"net_unreachable", "host_unreachable", "protocol_unreachable", "port_unreachable",
		NULL, "source_route_failed", "net_unknown", "host_unknown", "source_host_isolated",
		"net_prohibited", "host_prohibited", "net_unreachable_for_tos",
		"host_unreachable_for_tos", "packet_filtered", "precedence_violation",
		"precedence_cutoff",
	};
	unsigned n;
	if (!word) {
		*code = 0;
		return true;
	}
	if (code_n(word, &n) && n < 16 && n != 4) {
		*code = (uint8_t)n;
		return true;
	}
	for (uint8_t i = 0; i < 16; i++)
		if (names[i] && strcmp(word, names[i]) == 0) {
			*code = i;
			return true;
		}
	return false;
}

/* ICMP time exceeded codes (packetdrill's icmpv4 table has none: its
 * FreeBSD scripts write tcpdump's words, which packetdrill reads as an
 * unknown code, 0, or code_N) */
static bool time_exceeded_code_of(const char *word, uint8_t *code)
{
	unsigned n;
	if (!word || strcmp(word, "ttl_exceeded_in_transit") == 0)
		*code = 0;
	else if (strcmp(word, "frag_reass_exceeded") == 0)
		*code = 1;
	else if (code_n(word, &n) && n < 2)
		*code = (uint8_t)n;
	else
		return false;
	return true;
}

/* The ICMP errors the model takes: destination unreachable but
 * fragmentation needed, and time exceeded. */
static bool icmp_type_and_code_of(const struct pkt_packet *p, struct packet_view *pv)
{
	if (!p->icmp_type || p->icmp_has_mtu)
		return false;
	if (strcmp(p->icmp_type, "time_exceeded") == 0) {
		pv->icmp_time_exceeded = true;
		return time_exceeded_code_of(p->icmp_code, &pv->icmp_code);
	}
	return strcmp(p->icmp_type, "unreachable") == 0 && icmp_code_of(p->icmp_code, &pv->icmp_code);
}

static bool inbound_options(const struct pkt_packet *p, const struct pkt_seqmap *m,
                            struct tcp_opts *o, char **why)
{
	for (uint32_t i = 0; i < p->n_opts; i++) {
		const struct pkt_option *op = &p->opts[i];
		switch (op->kind) {
		case PKT_OPT_NOP: case PKT_OPT_EOL: break;
		case PKT_OPT_MSS: o->present |= TCP_OPT_MSS; o->mss = (uint16_t)op->value; break;
		case PKT_OPT_WSCALE: o->present |= TCP_OPT_WSCALE; o->wscale = (uint8_t)op->value; break;
		case PKT_OPT_SACK_OK: o->present |= TCP_OPT_SACK_PERM; break;
		case PKT_OPT_TS:
			o->present |= TCP_OPT_TS;
			o->tsval = op->val;
			o->tsecr = op->ecr + (m->ts_known ? m->ts_offset : 0);
			break;
		case PKT_OPT_SACK: /* they acknowledge the system under test's data */
			o->present |= TCP_OPT_SACK;
			o->sack_n = (uint8_t)op->n_blocks;
			for (uint32_t b = 0; b < op->n_blocks; b++) {
				o->sack[b].start = op->block[b][0] + (m->local_known ? m->local_isn : 0);
				o->sack[b].end = op->block[b][1] + (m->local_known ? m->local_isn : 0);
			}
			break;
		case PKT_OPT_FAST_OPEN:
			*why = g_strdup("TCP Fast Open option");
			return false;
		case PKT_OPT_OTHER:
			*why = g_strdup_printf("TCP option %s", op->word ? op->word : "?");
			return false;
		}
	}
	return true;
}

/* A `rep` fuzz annotation of an inbound packet replaces a TCP header
 * field with a value, as the bytes on the wire would carry it: a segment
 * from another port, with another sequence or acknowledgment number or
 * window is one the model takes in (and answers) as Linux would.  A broken
 * IP header or another protocol is a packet the model's world cannot
 * carry: UNSUPPORTED.  mut, trun and ins are mutations packetdrill makes
 * only in its fuzzing mode (a mutator loaded with --fm_filename, its
 * fm_testing.c); a plain run sends and checks the packet as written, and
 * so does this one. */
static bool apply_fuzz(const struct pkt_packet *p, struct tcp_seg *t, char **why)
{
	for (uint32_t i = 0; i < p->n_fuzz; i++) {
		const struct pkt_fuzz *f = &p->fuzz[i];
		if (strcmp(f->op, "rep") != 0)
			continue;
		const char *n = f->field;
		bool tcp = strcmp(f->header, "tcp") == 0 && f->has_value;
		bool port = strcmp(n, "src_port") == 0 || strcmp(n, "source_port") == 0 ||
		            strcmp(n, "dst_port") == 0 || strcmp(n, "dest_port") == 0;
		bool u16 = port || strcmp(n, "win_size") == 0;
		bool u32 = strcmp(n, "seq_num") == 0 || strcmp(n, "ack_num") == 0;
		if (!tcp || (!u16 && !u32) || f->value > (u16 ? UINT16_MAX : UINT32_MAX)) {
			*why = g_strdup_printf("fuzz annotation {rep %s %s} (the model's world carries only "
			                       "TCP ports, sequence and acknowledgment numbers and window "
			                       "replaced)", f->header, f->field);
			return false;
		}
		if (n[0] == 's' && port)
			t->sport = (uint16_t)f->value;
		else if (port)
			t->dport = (uint16_t)f->value;
		else if (strcmp(n, "win_size") == 0)
			t->wnd = (uint16_t)f->value;
		else if (strcmp(n, "seq_num") == 0)
			t->seq = (uint32_t)f->value;
		else
			t->ack = (uint32_t)f->value;
	}
	return true;
}

bool pkt_packet_inbound(const struct pkt_packet *p, const struct pkt_seqmap *m,
                        struct packet_view *pv, uint8_t *payload, char **why)
{
	memset(pv, 0, sizeof *pv);
	pv->ttl = 64;
	struct tcp_seg *t = &pv->tcp;
	t->saddr = PKT_REMOTE_IP;
	t->daddr = PKT_LOCAL_IP;
	t->sport = m->remote_port;
	t->dport = m->local_port;
	if (p->proto == PKT_UDP) {
		*why = g_strdup("UDP packet");
		return false;
	}
	if (p->proto == PKT_ICMP) {
		if (!icmp_type_and_code_of(p, pv)) {
			*why = g_strdup_printf("ICMP %s %s", p->icmp_type ? p->icmp_type : "?",
			                       p->icmp_code ? p->icmp_code : "");
			return false;
		}
		/* it quotes the system under test's own segment */
		pv->kind = PACKET_ICMP_UNREACH;
		pv->icmp_src = PKT_REMOTE_IP;
		t->saddr = PKT_LOCAL_IP;
		t->daddr = PKT_REMOTE_IP;
		t->sport = m->local_port;
		t->dport = m->remote_port;
		t->seq = m->local_isn + p->icmp_seq_start;
		return true;
	}
	if (p->seq_any) {
		*why = g_strdup("an inbound segment without its sequence number (...(LEN))");
		return false;
	}
	if (p->flags & PKT_F_URG) {
		*why = g_strdup("inbound URG flag");
		return false;
	}
	if (!inbound_options(p, m, &t->opt, why))
		return false;
	pv->kind = PACKET_TCP;
	t->flags = tcp_flags_of(p->flags);
	t->seq = p->seq_absolute ? p->seq_start : m->remote_isn + p->seq_start;
	t->ack = p->has_ack ? (m->local_known ? m->local_isn : 0) + p->ack : 0;
	t->wnd = (uint16_t)(p->has_win ? p->win : 65535);
	t->len = p->len;
	/* --mss: packetdrill gives every inbound packet gso_size (netdev.c
	 * linux_tun_write()); Linux keeps it only for a packet whose payload
	 * and TCP options are longer ("too small packets are not really GSO
	 * ones", virtio_net_hdr_to_skb()) */
	if (m->gso_mss && p->len + tcp_opts_len(&t->opt) > m->gso_mss)
		t->gso_size = (uint16_t)m->gso_mss;
	memset(payload, 0, p->len); /* packetdrill's payload is zeros */
	t->payload = payload;
	return apply_fuzz(p, t, why);
}

/* ---- outbound ---- */

/* "live packet field NAME: expected: E (0xE) vs actual: A (0xA)" */
static char *field_error(const char *name, uint32_t expected, uint32_t actual)
{
	return g_strdup_printf("live packet field %s: expected: %u (0x%x) vs actual: %u (0x%x)", name,
	                       expected, expected, actual, actual);
}

/* Bytes of the options as written (packetdrill lays them out as listed). */
static uint32_t script_opts_len(const struct pkt_packet *p)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < p->n_opts; i++) {
		const struct pkt_option *o = &p->opts[i];
		switch (o->kind) {
		case PKT_OPT_NOP: case PKT_OPT_EOL: n += 1; break;
		case PKT_OPT_MSS: n += 4; break;
		case PKT_OPT_WSCALE: n += 3; break;
		case PKT_OPT_SACK_OK: n += 2; break;
		case PKT_OPT_TS: n += 10; break;
		case PKT_OPT_SACK: n += 2 + 8 * o->n_blocks; break;
		case PKT_OPT_FAST_OPEN: n += 2 + (o->word ? (uint32_t)strlen(o->word) / 2 : 0); break;
		case PKT_OPT_OTHER: n += 2; break;
		}
	}
	return n;
}

/* The actual packet's options, read back from its bytes. */
struct wire_opt {
	uint8_t kind;
	uint32_t a, b; /* MSS, wscale: a; TS: val, ecr; SACK: a blocks */
	uint32_t block[PKT_MAX_SACK_BLOCKS][2]; /* SACK: start, end */
};

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The blocks of a SACK option of len bytes at p (RFC 2018 §3). */
static void read_sack(const uint8_t *p, uint8_t len, struct wire_opt *o)
{
	for (size_t i = 0; i < (size_t)(len - 2) / 8 && i < PKT_MAX_SACK_BLOCKS; i++) {
		o->block[i][0] = get32(p + 2 + 8 * i);
		o->block[i][1] = get32(p + 6 + 8 * i);
		o->a = (uint32_t)i + 1;
	}
}

static uint32_t read_opts(const uint8_t *tcp, uint32_t doff, struct wire_opt *v, uint32_t cap)
{
	uint32_t n = 0;
	for (uint32_t i = TCP_HDR; i < doff && n < cap;) {
		uint8_t kind = tcp[i];
		struct wire_opt o = {.kind = kind};
		if (kind == 0 || kind == 1) {
			v[n++] = o;
			i++;
			continue;
		}
		uint8_t len = i + 1 < doff ? tcp[i + 1] : 0;
		if (len < 2 || i + len > doff)
			break;
		if (kind == 2)
			o.a = (uint32_t)tcp[i + 2] << 8 | tcp[i + 3];
		else if (kind == 3)
			o.a = tcp[i + 2];
		else if (kind == 5)
			read_sack(tcp + i, len, &o);
		else if (kind == 8) {
			o.a = get32(tcp + i + 2);
			o.b = get32(tcp + i + 6);
		}
		v[n++] = o;
		i += len;
	}
	return n;
}

static uint8_t kind_of(enum pkt_opt_kind k)
{
	switch (k) {
	case PKT_OPT_EOL: return 0;
	case PKT_OPT_NOP: return 1;
	case PKT_OPT_MSS: return 2;
	case PKT_OPT_WSCALE: return 3;
	case PKT_OPT_SACK_OK: return 4;
	case PKT_OPT_SACK: return 5;
	case PKT_OPT_TS: return 8;
	case PKT_OPT_FAST_OPEN: return 34;
	case PKT_OPT_OTHER: return 255;
	}
	return 255;
}

/* With --tcp_ts_tick_usecs, the TS val must be the script's, in ticks
 * since the first one the script wrote, within the tolerance
 * (packetdrill's verify_outbound_tcp_option(): |actual - script| ticks of
 * N us each at most --tolerance_usecs); without it, any value. */
static bool ts_val_in_tolerance(const struct pkt_seqmap *m, uint32_t script_val, uint32_t actual)
{
	if (m->ts_tick_us == 0)
		return true;
	int64_t ticks = (int32_t)(actual - m->ts_offset - script_val);
	if (ticks < 0)
		ticks = -ticks;
	return ticks * (int64_t)m->ts_tick_us * SIM_US <= m->ts_tolerance;
}

/* SACK blocks, the script's relative to the peer's (the script's) ISN:
 * they acknowledge what it sent, as the ack field does. */
static char *check_sack(const struct pkt_option *o, const struct wire_opt *a, uint32_t i,
                        const struct pkt_seqmap *m)
{
	if (a->a != o->n_blocks)
		return g_strdup_printf("bad outbound TCP options: option %u: expected %u SACK blocks vs actual %u",
		                       i + 1, o->n_blocks, a->a);
	for (uint32_t b = 0; b < o->n_blocks; b++) {
		uint32_t s = a->block[b][0] - m->remote_isn, e = a->block[b][1] - m->remote_isn;
		if (s != o->block[b][0] || e != o->block[b][1])
			return g_strdup_printf("bad outbound TCP options: option %u: SACK block %u: "
			                       "expected %u:%u vs actual %u:%u", i + 1, b + 1,
			                       o->block[b][0], o->block[b][1], s, e);
	}
	return NULL;
}

/* Options one by one, as packetdrill's verify_outbound_tcp_options(). */
static char *check_options(const struct pkt_packet *p, const uint8_t *tcp, uint32_t doff,
                           struct pkt_seqmap *m)
{
	struct wire_opt v[40];
	uint32_t n = read_opts(tcp, doff, v, G_N_ELEMENTS(v));
	uint32_t want = 0;
	for (uint32_t i = 0; i < p->n_opts; i++, want++) {
		const struct pkt_option *o = &p->opts[i];
		if (want >= n)
			return g_strdup("bad outbound TCP options: the packet has fewer options than the script");
		const struct wire_opt *a = &v[want];
		if (a->kind != kind_of(o->kind))
			return g_strdup_printf("bad outbound TCP options: option %u: expected kind %u vs actual kind %u",
			                       i + 1, kind_of(o->kind), a->kind);
		if (o->kind == PKT_OPT_MSS && a->a != o->value)
			return field_error("tcp_option_mss", o->value, a->a);
		if (o->kind == PKT_OPT_WSCALE && a->a != o->value)
			return field_error("tcp_option_wscale", o->value, a->a);
		if (o->kind == PKT_OPT_SACK) {
			char *e = check_sack(o, a, i, m);
			if (e)
				return e;
		}
		if (o->kind == PKT_OPT_TS) {
			if (!m->ts_known) { /* the script's clock starts here */
				m->ts_known = true;
				m->ts_offset = a->a - o->val;
			}
			if (!ts_val_in_tolerance(m, o->val, a->a))
				return g_strdup_printf("bad outbound TCP timestamp value, tolerance %lld",
				                       (long long)(m->ts_tolerance / SIM_US));
			if (o->ecr != 0 || a->b != 0) { /* the echo of the peer's own clock: exact */
				if (a->b != o->ecr)
					return field_error("tcp_option_ts_ecr", o->ecr, a->b);
			}
		}
	}
	if (want != n)
		return g_strdup("bad outbound TCP options: the packet has more options than the script");
	return NULL;
}

/* The IP info of an outbound line, "(tos 0x20)", "(ttl 4)" or both, against
 * the packet's IPv4 header, as packetdrill's verify_ipv4() checks the TOS
 * byte and the TTL the script names; words it does not check (an ECN
 * codepoint's) are left alone. */
static char *check_ip_info(const struct pkt_packet *p, const uint8_t *ip)
{
	if (!p->ip_ecn)
		return NULL;
	char **w = g_strsplit_set(p->ip_ecn, " ,", -1);
	char *err = NULL;
	for (int i = 0; w[i] && w[i + 1] && !err; i++) {
		bool tos = strcmp(w[i], "tos") == 0, ttl = strcmp(w[i], "ttl") == 0;
		if (!tos && !ttl)
			continue;
		char *end;
		uint64_t want = g_ascii_strtoull(w[i + 1], &end, 0);
		uint32_t have = tos ? ip[1] : ip[8];
		if (*end == '\0' && want != have)
			err = field_error(tos ? "ipv4_tos" : "ipv4_ttl", (uint32_t)want, have);
	}
	g_strfreev(w);
	return err;
}

char *pkt_packet_check(const struct pkt_packet *p, const struct packet_view *pv, struct pkt_seqmap *m)
{
	uint8_t buf[IP_HDR + 60 + 65536];
	if (p->proto != PKT_TCP || pv->kind != PACKET_TCP)
		return g_strdup_printf("live packet header layer 1: expected: %s header vs actual: %s header",
		                       p->proto == PKT_TCP ? "tcp" : p->proto == PKT_ICMP ? "icmp" : "udp",
		                       pv->kind == PACKET_TCP ? "tcp" : "icmp");
	uint32_t size = wire_encode(pv, buf, sizeof buf);
	const uint8_t *tcp = buf + IP_HDR;
	uint32_t doff = (uint32_t)(tcp[12] >> 4) * 4;
	const struct tcp_seg *t = &pv->tcp;
	if ((t->flags & TCP_SYN) && (p->flags & PKT_F_SYN) && !p->seq_absolute) {
		/* each SYN or SYN-ACK the script expects names the ISN (a new
		 * connection after a reset has a new one), and a SYN the ports
		 * of an active open.  A new connection is a new socket, whose
		 * timestamps packetdrill learns afresh (its first TS val is the
		 * script's first, whatever the clock said before). */
		uint32_t isn = t->seq - p->seq_start;
		if (m->local_known && m->local_isn != isn)
			m->ts_known = false;
		m->local_known = true;
		m->local_isn = isn;
		if (!(t->flags & TCP_ACK)) {
			m->local_port = t->sport;
			m->remote_port = t->dport;
		}
	}
	uint32_t allowance = p->options_any ? doff - TCP_HDR : 0;
	uint32_t script_len = IP_HDR + TCP_HDR + (p->options_any ? 0 : script_opts_len(p)) + p->len;
	char *e = NULL;
	if (script_len + allowance != size)
		return field_error("ipv4_total_length", script_len + allowance, size);
	if (!p->options_any && TCP_HDR + script_opts_len(p) != doff)
		return field_error("tcp_data_offset", (TCP_HDR + script_opts_len(p)) / 4, doff / 4);
	if ((e = check_ip_info(p, buf)) != NULL)
		return e;
	static const struct { uint32_t pkt; uint8_t tcp; const char *name; } flags[] = {
		{PKT_F_FIN, TCP_FIN, "tcp_fin"}, {PKT_F_SYN, TCP_SYN, "tcp_syn"}, {PKT_F_RST, TCP_RST, "tcp_rst"},
		{PKT_F_PSH, TCP_PSH, "tcp_psh"}, {PKT_F_ACK, TCP_ACK, "tcp_ack"}, {PKT_F_URG, TCP_URG, "tcp_urg"},
		{PKT_F_ECE, TCP_ECE, "tcp_ece"}, {PKT_F_CWR, TCP_CWR, "tcp_cwr"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(flags); i++) {
		uint32_t want = (p->flags & flags[i].pkt) != 0, have = (t->flags & flags[i].tcp) != 0;
		if (want != have)
			return field_error(flags[i].name, want, have);
	}
	/* FreeBSD's packetdrill: "N!" is the number itself, "..." any */
	uint32_t want_seq = p->seq_absolute ? p->seq_start : m->local_isn + p->seq_start;
	if (!p->seq_any && t->seq != want_seq)
		return field_error("tcp_seq", want_seq, t->seq);
	if (p->has_ack && t->ack != m->remote_isn + p->ack)
		return field_error("tcp_ack_seq", m->remote_isn + p->ack, t->ack);
	if (p->has_win && t->wnd != p->win)
		return field_error("tcp_window", p->win, t->wnd);
	if (!p->options_any && (e = check_options(p, tcp, doff, m)) != NULL)
		return e;
	return NULL;
}

/* ---- printing ---- */

static void flags_text(GString *s, uint32_t f)
{
	size_t before = s->len;
	if (f & PKT_F_SYN) g_string_append_c(s, 'S');
	if (f & PKT_F_FIN) g_string_append_c(s, 'F');
	if (f & PKT_F_RST) g_string_append_c(s, 'R');
	if (f & PKT_F_PSH) g_string_append_c(s, 'P');
	if (f & PKT_F_URG) g_string_append_c(s, 'U');
	if (f & PKT_F_ECE) g_string_append_c(s, 'E');
	if (f & PKT_F_CWR) g_string_append_c(s, 'W');
	if (f & PKT_F_ACK) g_string_append_c(s, '.');
	if (s->len == before)
		g_string_append_c(s, '-'); /* packetdrill's "no flags" */
}

char *pkt_segment_text(const struct packet_view *pv, uint32_t seq_base, uint32_t ack_base, uint32_t ts_base)
{
	GString *s = g_string_new(NULL);
	const struct tcp_seg *t = &pv->tcp;
	uint32_t f = ((t->flags & TCP_SYN) ? PKT_F_SYN : 0) | ((t->flags & TCP_FIN) ? PKT_F_FIN : 0) |
	             ((t->flags & TCP_RST) ? PKT_F_RST : 0) | ((t->flags & TCP_PSH) ? PKT_F_PSH : 0) |
	             ((t->flags & TCP_ACK) ? PKT_F_ACK : 0) | ((t->flags & TCP_URG) ? PKT_F_URG : 0) |
	             ((t->flags & TCP_ECE) ? PKT_F_ECE : 0) | ((t->flags & TCP_CWR) ? PKT_F_CWR : 0);
	flags_text(s, f);
	uint32_t seq = t->seq - seq_base;
	g_string_append_printf(s, " %u:%u(%u)", seq, seq + t->len, t->len);
	if (t->flags & TCP_ACK)
		g_string_append_printf(s, " ack %u", t->ack - ack_base);
	g_string_append_printf(s, " win %u", t->wnd);
	uint8_t buf[IP_HDR + 60 + 65536];
	wire_encode(pv, buf, sizeof buf);
	const uint8_t *tcp = buf + IP_HDR;
	struct wire_opt v[40];
	uint32_t n = read_opts(tcp, (uint32_t)(tcp[12] >> 4) * 4, v, G_N_ELEMENTS(v));
	for (uint32_t i = 0; i < n; i++) {
		g_string_append(s, i ? "," : " <");
		switch (v[i].kind) {
		case 0: g_string_append(s, "eol"); break;
		case 1: g_string_append(s, "nop"); break;
		case 2: g_string_append_printf(s, "mss %u", v[i].a); break;
		case 3: g_string_append_printf(s, "wscale %u", v[i].a); break;
		case 4: g_string_append(s, "sackOK"); break;
		case 5:
			g_string_append(s, "sack");
			for (uint32_t b = 0; b < v[i].a; b++)
				g_string_append_printf(s, " %u:%u", v[i].block[b][0] - ack_base, v[i].block[b][1] - ack_base);
			break;
		case 8: g_string_append_printf(s, "TS val %u ecr %u", v[i].a - ts_base, v[i].b); break;
		default: g_string_append_printf(s, "kind %u", v[i].kind); break;
		}
	}
	if (n)
		g_string_append_c(s, '>');
	return g_string_free(s, FALSE);
}

char *pkt_packet_format_actual(const struct packet_view *pv, const struct pkt_seqmap *m)
{
	if (pv->kind != PACKET_TCP)
		return g_strdup_printf("icmp unreachable code %u", pv->icmp_code);
	return pkt_segment_text(pv, m->local_known ? m->local_isn : 0, m->remote_isn,
	                        m->ts_known ? m->ts_offset : 0);
}

char *pkt_packet_format_script(const struct pkt_packet *p)
{
	GString *s = g_string_new(NULL);
	if (p->proto == PKT_ICMP) {
		g_string_append_printf(s, "icmp %s %s", p->icmp_type ? p->icmp_type : "", p->icmp_code ? p->icmp_code : "");
		return g_string_free(s, FALSE);
	}
	flags_text(s, p->flags);
	if (p->seq_any)
		g_string_append_printf(s, " ...(%u)", p->len);
	else
		g_string_append_printf(s, " %u:%u(%u)%s", p->seq_start, p->seq_end, p->len,
		                       p->seq_absolute ? "!" : "");
	if (p->has_ack)
		g_string_append_printf(s, " ack %u", p->ack);
	if (p->has_win)
		g_string_append_printf(s, " win %u", p->win);
	if (p->options_any)
		g_string_append(s, " <...>");
	for (uint32_t i = 0; i < p->n_opts; i++) {
		const struct pkt_option *o = &p->opts[i];
		g_string_append(s, i ? "," : " <");
		switch (o->kind) {
		case PKT_OPT_NOP: g_string_append(s, "nop"); break;
		case PKT_OPT_EOL: g_string_append(s, "eol"); break;
		case PKT_OPT_MSS: g_string_append_printf(s, "mss %u", o->value); break;
		case PKT_OPT_WSCALE: g_string_append_printf(s, "wscale %u", o->value); break;
		case PKT_OPT_SACK_OK: g_string_append(s, "sackOK"); break;
		case PKT_OPT_TS: g_string_append_printf(s, "TS val %u ecr %u", o->val, o->ecr); break;
		case PKT_OPT_SACK:
			g_string_append(s, "sack");
			for (uint32_t b = 0; b < o->n_blocks; b++)
				g_string_append_printf(s, " %u:%u", o->block[b][0], o->block[b][1]);
			break;
		case PKT_OPT_FAST_OPEN: g_string_append_printf(s, "FO %s", o->word ? o->word : ""); break;
		case PKT_OPT_OTHER: g_string_append(s, o->word ? o->word : "?"); break;
		}
	}
	if (p->n_opts)
		g_string_append_c(s, '>');
	return g_string_free(s, FALSE);
}
