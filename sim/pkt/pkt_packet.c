/*
 * Packet lines (packetdrill's packet_spec, parser.y):
 *
 *   < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>
 *   > [ect0] P. 1:1001(1000) ack 1 <...>
 *   < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]
 *   < [1:1461(1460)] icmp unreachable frag_needed mtu 1500   (FreeBSD suites)
 *   > udp (1000)
 *
 * TCP: direction, optional IP info in [ ] or ( ), flags, START:END(LEN),
 * then in this order: ack N, win N, <options>.  The ranges are
 * packetdrill's: sequence numbers u32, length, window and MSS u16, window
 * scale u8, and END must be START + LEN.  `<...>` (any options) only on
 * an outbound packet, as packetdrill requires.
 */
#include "sim/pkt/pkt_int.h"

#include <string.h>

/* START:END(LEN), checked as packetdrill checks it. */
static bool parse_seq(struct pkt_lex *lx, uint32_t *start, uint32_t *end, uint32_t *len)
{
	uint32_t line = lx->tok.line;

	if (!(pkt_expect_uint(lx, UINT32_MAX, "the start sequence number (START:END(LEN))", start) &&
	      pkt_expect(lx, ':', "':' after the start sequence number (START:END(LEN))") &&
	      pkt_expect_uint(lx, UINT32_MAX, "the end sequence number (START:END(LEN))", end) &&
	      pkt_expect(lx, '(', "'(' and the payload length (START:END(LEN))") &&
	      pkt_expect_uint(lx, UINT16_MAX, "the payload length", len) &&
	      pkt_expect(lx, ')', "')' after the payload length")))
		return false;
	if ((uint32_t)(*start + *len) != *end)
		return pkt_fail(lx, line, "inconsistent sequence numbers and payload length: %u:%u(%u)", *start,
		                *end, *len);
	return true;
}

/* [ect0], (tos 0x10), [ect0, flowlabel 0x1]: kept as written, tokens
 * joined by single blanks; from after its opening bracket. */
static bool parse_ip_info(struct pkt_lex *lx, char close, struct pkt_packet *p)
{
	GString *s = g_string_new(NULL);

	for (int n = 0; !pkt_is_punct(lx, close); n++) {
		enum pkt_tok_kind k = lx->tok.kind;
		bool comma = pkt_is_punct(lx, ',');
		if (n == 16 || !(comma || k == PKT_T_WORD || k == PKT_T_INT || k == PKT_T_HEX)) {
			g_string_free(s, TRUE);
			return pkt_expected(lx, close == ']' ? "IP info such as [ect0], and ']'"
			                                     : "IP info such as (tos 0x10), and ')'");
		}
		if (s->len && !comma)
			g_string_append_c(s, ' ');
		g_string_append_len(s, lx->src + lx->tok.start, (gssize)lx->tok.len);
		pkt_lex_next(lx);
	}
	pkt_lex_next(lx);
	if (s->len == 0) {
		g_string_free(s, TRUE);
		return pkt_fail(lx, lx->prev_line, "empty IP info (expected such as [ect0])");
	}
	p->ip_ecn = g_string_free(s, FALSE);
	return true;
}

/* Flags as packetdrill writes them: letters, then '.' for ACK; '.' alone;
 * '-' for none.  'C' is taken for CWR as well as 'W'. */
static bool parse_flags(struct pkt_lex *lx, uint32_t *flags)
{
	static const char letters[] = "SFRPUEWC";
	static const uint32_t bits[] = { PKT_F_SYN, PKT_F_FIN, PKT_F_RST, PKT_F_PSH,
		                         PKT_F_URG, PKT_F_ECE, PKT_F_CWR, PKT_F_CWR };

	*flags = 0;
	if (pkt_accept(lx, '-'))
		return true;
	if (lx->tok.kind == PKT_T_WORD) {
		for (size_t i = 0; i < lx->tok.len; i++) {
			const char *at = strchr(letters, lx->src[lx->tok.start + i]);
			if (!at) {
				char *raw = pkt_tok_raw(lx);
				pkt_fail(lx, lx->tok.line,
				         "unknown TCP flag '%c' in '%.40s' (flags are S F R P U E W C, '.' for ACK, "
				         "'-' for none)", raw[i], raw);
				g_free(raw);
				return false;
			}
			*flags |= bits[at - letters];
		}
		pkt_lex_next(lx);
	} else if (!pkt_is_punct(lx, '.')) {
		return pkt_expected(lx, "TCP flags (such as S, S., P., F., R, . or -), icmp or udp");
	}
	if (pkt_accept(lx, '.'))
		*flags |= PKT_F_ACK;
	return true;
}

/* ---- TCP options ---- */

/* An option packetdrill knows but tcpsim does not model ("md5 ...",
 * "FOEXP ..."), or an unknown word: the word and what follows it up to
 * the next ',' or '>', as written. */
static bool parse_other_option(struct pkt_lex *lx, struct pkt_option *o)
{
	GString *s = g_string_new(NULL);

	o->kind = PKT_OPT_OTHER;
	for (int n = 0; !pkt_is_punct(lx, ',') && !pkt_is_punct(lx, '>'); n++) {
		enum pkt_tok_kind k = lx->tok.kind;
		if (n == 8 || !(k == PKT_T_WORD || k == PKT_T_INT || k == PKT_T_HEX || k == PKT_T_FLOAT)) {
			g_string_free(s, TRUE);
			return pkt_expected(lx, "',' or '>' after a TCP option");
		}
		if (s->len)
			g_string_append_c(s, ' ');
		g_string_append_len(s, lx->src + lx->tok.start, (gssize)lx->tok.len);
		pkt_lex_next(lx);
	}
	o->word = g_string_free(s, FALSE);
	return true;
}

static bool parse_sack(struct pkt_lex *lx, struct pkt_option *o)
{
	o->kind = PKT_OPT_SACK;
	if (lx->tok.kind != PKT_T_INT)
		return pkt_expected(lx, "a SACK block START:END after sack");
	while (lx->tok.kind == PKT_T_INT) {
		if (o->n_blocks == PKT_MAX_SACK_BLOCKS)
			return pkt_fail(lx, lx->tok.line, "more than %d SACK blocks", PKT_MAX_SACK_BLOCKS);
		uint32_t *b = o->block[o->n_blocks++];
		if (!(pkt_expect_uint(lx, UINT32_MAX, "the SACK block start", &b[0]) &&
		      pkt_expect(lx, ':', "':' in the SACK block START:END") &&
		      pkt_expect_uint(lx, UINT32_MAX, "the SACK block end", &b[1])))
			return false;
	}
	return true;
}

static bool parse_ts(struct pkt_lex *lx, struct pkt_option *o)
{
	o->kind = PKT_OPT_TS;
	if (!pkt_is_word(lx, "val"))
		return pkt_expected(lx, "val N ecr N after TS");
	pkt_lex_next(lx);
	if (!pkt_expect_uint(lx, UINT32_MAX, "the TS val", &o->val))
		return false;
	if (!pkt_is_word(lx, "ecr"))
		return pkt_expected(lx, "ecr N after the TS val");
	pkt_lex_next(lx);
	return pkt_expect_uint(lx, UINT32_MAX, "the TS ecr", &o->ecr);
}

/* FO, or FO COOKIE (a word or number: packetdrill's hex_blob). */
static void parse_fast_open(struct pkt_lex *lx, struct pkt_option *o)
{
	enum pkt_tok_kind k = lx->tok.kind;

	o->kind = PKT_OPT_FAST_OPEN;
	if (k == PKT_T_WORD || k == PKT_T_INT || k == PKT_T_HEX) {
		o->word = pkt_tok_raw(lx);
		pkt_lex_next(lx);
	} else {
		o->word = g_strdup("");
	}
}

static bool parse_option(struct pkt_lex *lx, struct pkt_option *o)
{
	uint32_t v;

	if (lx->tok.kind != PKT_T_WORD)
		return pkt_expected(lx, "a TCP option (nop, eol, mss N, wscale N, sackOK, sack A:B, TS val N ecr N, FO)");
	if (pkt_is_word(lx, "nop") || pkt_is_word(lx, "eol")) {
		o->kind = pkt_is_word(lx, "nop") ? PKT_OPT_NOP : PKT_OPT_EOL;
		pkt_lex_next(lx);
		return true;
	}
	if (pkt_is_word(lx, "mss") || pkt_is_word(lx, "wscale")) {
		bool mss = pkt_is_word(lx, "mss");
		o->kind = mss ? PKT_OPT_MSS : PKT_OPT_WSCALE;
		pkt_lex_next(lx);
		if (!pkt_expect_uint(lx, mss ? UINT16_MAX : UINT8_MAX, mss ? "the MSS" : "the window scale", &v))
			return false;
		o->value = v;
		return true;
	}
	bool sack_ok = pkt_is_word(lx, "sackOK"), sack = pkt_is_word(lx, "sack");
	bool ts = pkt_is_word(lx, "TS"), fo = pkt_is_word(lx, "FO");
	if (!(sack_ok || sack || ts || fo))
		return parse_other_option(lx, o);
	pkt_lex_next(lx);
	if (sack_ok)
		o->kind = PKT_OPT_SACK_OK;
	if (fo)
		parse_fast_open(lx, o);
	return sack ? parse_sack(lx, o) : ts ? parse_ts(lx, o) : true;
}

/* <opt, opt, ...>, <...> or <> from its '<'. */
static bool parse_options(struct pkt_lex *lx, struct pkt_packet *p)
{
	uint32_t line = lx->tok.line;

	pkt_lex_next(lx);
	p->has_options = true;
	if (lx->tok.kind == PKT_T_ELLIPSIS) {
		pkt_lex_next(lx);
		if (!p->outbound)
			return pkt_fail(lx, line, "<...> for TCP options can only be used with outbound packets");
		p->options_any = true;
		return pkt_expect(lx, '>', "'>' after <...");
	}
	GArray *opts = g_array_new(FALSE, TRUE, sizeof(struct pkt_option));
	bool ok = true;
	while (ok && !pkt_is_punct(lx, '>')) {
		if (opts->len == PKT_MAX_OPTIONS) {
			ok = pkt_fail(lx, lx->tok.line, "more than %d TCP options", PKT_MAX_OPTIONS);
			break;
		}
		struct pkt_option o = { 0 };
		ok = parse_option(lx, &o);
		g_array_append_val(opts, o); /* even a half-read one: its word is freed with the packet */
		ok = ok && (pkt_is_punct(lx, '>') || pkt_expect(lx, ',', "',' or '>' after a TCP option"));
	}
	p->n_opts = opts->len;
	p->opts = (struct pkt_option *)(void *)g_array_free(opts, FALSE);
	return ok && pkt_expect(lx, '>', "'>' at the end of the TCP options");
}

/* ---- fuzz annotations ---- */

static bool is_one_of(const struct pkt_lex *lx, const char *const *words)
{
	for (; *words; words++)
		if (pkt_is_word(lx, *words))
			return true;
	return false;
}

/* A field: a name, a byte range "12-15" (the scanner reads "-15" as a
 * negative number, as packetdrill's lexer.l does) or a byte offset. */
static bool parse_fuzz_field(struct pkt_lex *lx, struct pkt_fuzz *f)
{
	if (lx->tok.kind == PKT_T_WORD) {
		f->field = pkt_tok_raw(lx);
		pkt_lex_next(lx);
		return true;
	}
	if (lx->tok.kind != PKT_T_INT || lx->tok.value < 0 || lx->tok.too_big)
		return pkt_expected(lx, "a header field (a name, START-END or an offset)");
	int64_t start = lx->tok.value;
	pkt_lex_next(lx);
	bool dash = pkt_accept(lx, '-'); /* "12 - 15" */
	bool negative = lx->tok.kind == PKT_T_INT && lx->src[lx->tok.start] == '-'; /* "12-15" */
	if (dash && (lx->tok.kind != PKT_T_INT || negative || lx->tok.too_big))
		return pkt_expected(lx, "the end of the byte range");
	if ((dash || negative) && !lx->tok.too_big) {
		int64_t end = negative ? -lx->tok.value : lx->tok.value;
		f->field = g_strdup_printf("%lld-%lld", (long long)start, (long long)end);
		pkt_lex_next(lx);
	} else {
		f->field = g_strdup_printf("%lld", (long long)start);
	}
	return true;
}

/* op header field [value] */
static bool parse_fuzz_one(struct pkt_lex *lx, struct pkt_fuzz *f)
{
	static const char *const ops[] = {"mut", "trun", "ins", "rep", NULL};
	static const char *const headers[] = {"ip", "ipv4", "ipv6", "tcp", "udp", NULL};
	if (!is_one_of(lx, ops))
		return pkt_expected(lx, "a fuzz operation (mut, trun, ins or rep)");
	f->op = pkt_tok_raw(lx);
	pkt_lex_next(lx);
	if (!is_one_of(lx, headers))
		return pkt_expected(lx, "a header (ip, ipv4, ipv6, tcp or udp)");
	f->header = pkt_tok_raw(lx);
	pkt_lex_next(lx);
	if (!parse_fuzz_field(lx, f))
		return false;
	if ((lx->tok.kind == PKT_T_INT && lx->tok.value >= 0) || lx->tok.kind == PKT_T_HEX) {
		if (lx->tok.too_big)
			return pkt_expected(lx, "a value of at most 64 bits");
		f->has_value = true;
		f->value = (uint64_t)lx->tok.value;
		pkt_lex_next(lx);
	}
	return true;
}

/* { op header field [value]; ... } from its '{'. */
static bool parse_fuzz(struct pkt_lex *lx, struct pkt_packet *p)
{
	GArray *v = g_array_new(FALSE, TRUE, sizeof(struct pkt_fuzz));
	bool ok = true;
	pkt_lex_next(lx);
	do {
		if (v->len == PKT_MAX_FUZZ) {
			ok = pkt_fail(lx, lx->tok.line, "more than %d fuzz annotations", PKT_MAX_FUZZ);
			break;
		}
		struct pkt_fuzz f = {0};
		ok = parse_fuzz_one(lx, &f);
		g_array_append_val(v, f); /* even a half-read one: freed with the packet */
	} while (ok && pkt_accept(lx, ';'));
	p->n_fuzz = v->len;
	p->fuzz = (struct pkt_fuzz *)(void *)g_array_free(v, FALSE);
	return ok && pkt_expect(lx, '}', "';' or '}' in the fuzz annotations");
}

/* A TCP segment's sequence numbers as FreeBSD's packetdrill writes them
 * (parser.y, seq): START:END(LEN), START:END(LEN)! with an absolute
 * sequence number, or ...(LEN), where any does. */
static bool parse_tcp_seq(struct pkt_lex *lx, struct pkt_packet *p)
{
	if (lx->tok.kind == PKT_T_ELLIPSIS) {
		pkt_lex_next(lx);
		p->seq_any = true;
		p->seq_start = 0;
		return pkt_expect(lx, '(', "'(' and the payload length (...(LEN))") &&
		       pkt_expect_uint(lx, UINT16_MAX, "the payload length", &p->len) &&
		       pkt_expect(lx, ')', "')' after the payload length") && ((p->seq_end = p->len), true);
	}
	if (!parse_seq(lx, &p->seq_start, &p->seq_end, &p->len))
		return false;
	p->seq_absolute = pkt_accept(lx, '!');
	return true;
}

/* /udp(SRC > DST) after a TCP segment (FreeBSD's packetdrill,
 * opt_udp_encaps_info): it travels in UDP; the ports are read and not
 * kept, since the runner refuses such a packet. */
static bool parse_udp_encaps(struct pkt_lex *lx, struct pkt_packet *p)
{
	uint32_t port;
	pkt_lex_next(lx);
	if (!pkt_is_word(lx, "udp"))
		return pkt_expected(lx, "udp after '/' (/udp(SRC > DST))");
	pkt_lex_next(lx);
	p->udp_encaps = true;
	return pkt_expect(lx, '(', "'(' after /udp") && pkt_expect_uint(lx, UINT16_MAX, "the UDP source port", &port) &&
	       pkt_expect(lx, '>', "'>' between the UDP ports") &&
	       pkt_expect_uint(lx, UINT16_MAX, "the UDP destination port", &port) &&
	       pkt_expect(lx, ')', "')' after the UDP ports");
}

static bool parse_tcp(struct pkt_lex *lx, struct pkt_packet *p)
{
	p->proto = PKT_TCP;
	if (!parse_flags(lx, &p->flags) || !parse_tcp_seq(lx, p))
		return false;
	if (pkt_is_word(lx, "ack")) {
		pkt_lex_next(lx);
		p->has_ack = true;
		if (!pkt_expect_uint(lx, UINT32_MAX, "the ack number", &p->ack))
			return false;
	}
	if (pkt_is_word(lx, "win")) {
		pkt_lex_next(lx);
		p->has_win = true;
		if (!pkt_expect_uint(lx, UINT16_MAX, "the window", &p->win))
			return false;
	}
	if (pkt_is_punct(lx, '<') && !parse_options(lx, p))
		return false;
	if (pkt_is_punct(lx, '/') && !parse_udp_encaps(lx, p))
		return false;
	return !pkt_is_punct(lx, '{') || parse_fuzz(lx, p);
}

/* ---- ICMP, UDP ---- */

/* [START:END(LEN)]: the TCP segment an ICMP message quotes; from its '['
 * when `open` is true, else from its first number. */
static bool parse_icmp_quote(struct pkt_lex *lx, struct pkt_packet *p, bool open)
{
	if (p->icmp_has_seq)
		return pkt_fail(lx, lx->tok.line, "a second quoted segment in an ICMP packet");
	if (open)
		pkt_lex_next(lx);
	p->icmp_has_seq = true;
	return parse_seq(lx, &p->icmp_seq_start, &p->icmp_seq_end, &p->icmp_len) &&
	       pkt_expect(lx, ']', "']' after the quoted segment");
}

/* icmp TYPE [CODE] [mtu N] [[START:END(LEN)]] from the word icmp. */
static bool parse_icmp(struct pkt_lex *lx, struct pkt_packet *p)
{
	p->proto = PKT_ICMP;
	pkt_lex_next(lx);
	if (lx->tok.kind != PKT_T_WORD)
		return pkt_expected(lx, "an ICMP type (such as unreachable) after icmp");
	p->icmp_type = pkt_tok_raw(lx);
	pkt_lex_next(lx);
	if (lx->tok.kind == PKT_T_WORD && !pkt_is_word(lx, "mtu")) {
		p->icmp_code = pkt_tok_raw(lx);
		pkt_lex_next(lx);
	}
	if (pkt_is_word(lx, "mtu")) {
		pkt_lex_next(lx);
		p->icmp_has_mtu = true;
		if (!pkt_expect_uint(lx, UINT16_MAX, "the MTU", &p->icmp_mtu))
			return false;
	}
	return !pkt_is_punct(lx, '[') || parse_icmp_quote(lx, p, true);
}

/* udp (LEN) from the word udp. */
static bool parse_udp(struct pkt_lex *lx, struct pkt_packet *p)
{
	p->proto = PKT_UDP;
	pkt_lex_next(lx);
	return pkt_expect(lx, '(', "'(' and the payload length after udp") &&
	       pkt_expect_uint(lx, UINT16_MAX, "the UDP payload length", &p->udp_len) &&
	       pkt_expect(lx, ')', "')' after the UDP payload length");
}

bool pkt_parse_packet(struct pkt_lex *lx, struct pkt_packet *p)
{
	bool quoted_first = false;

	p->outbound = pkt_is_punct(lx, '>');
	pkt_lex_next(lx);
	if (pkt_is_punct(lx, '[') || pkt_is_punct(lx, '(')) {
		char close = pkt_is_punct(lx, '[') ? ']' : ')';
		pkt_lex_next(lx);
		if (close == ']' && lx->tok.kind == PKT_T_INT) {
			quoted_first = true;
			if (!parse_icmp_quote(lx, p, false))
				return false;
		} else if (!parse_ip_info(lx, close, p)) {
			return false;
		}
	}
	if (pkt_is_word(lx, "icmp"))
		return parse_icmp(lx, p);
	if (quoted_first)
		return pkt_expected(lx, "icmp after the quoted segment");
	if (pkt_is_word(lx, "udp"))
		return parse_udp(lx, p);
	return parse_tcp(lx, p);
}
