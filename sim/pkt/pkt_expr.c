/*
 * Syscall arguments and return values: packetdrill's `expression`
 * (parser.y), the forms TCP scripts use:
 *
 *   ...                       ELLIPSIS
 *   3  -1  0x10               INT
 *   SOCK_STREAM               WORD
 *   "abc"  "abc"...           STRING (adjacent strings are joined, as
 *                             packetdrill's string_sequence joins them)
 *   a|b|c                     BINARY, left to right
 *   [1]  []  [{fd=3, ...}]    ARRAY
 *   {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("192.0.2.1")}
 *                             SOCKADDR (exactly that form, as in parser.y)
 *   {fd=3, events=POLLIN[, revents=POLLOUT]}   POLLFD
 *   {onoff=1, linger=0}       LINGER
 *   {name=value, ...}  {..., 100}              STRUCT (names "" if none)
 *
 * Depth: every '[', '{' and '|' counts one level of lx->depth, and more
 * than PKT_MAX_EXPR_DEPTH is an error, so that no input can make the
 * recursion of the parser or of pkt_expr_free() overflow the stack.
 */
#include "sim/pkt/pkt_int.h"

#include <arpa/inet.h>
#include <string.h>

static struct pkt_expr *expr_new(enum pkt_expr_kind kind)
{
	struct pkt_expr *e = g_new0(struct pkt_expr, 1);
	e->kind = kind;
	return e;
}

static bool deeper(struct pkt_lex *lx)
{
	if (++lx->depth <= PKT_MAX_EXPR_DEPTH)
		return true;
	return pkt_fail(lx, lx->tok.line, "expression nested more than %d deep", PKT_MAX_EXPR_DEPTH);
}

static struct pkt_expr *parse_operand(struct pkt_lex *lx);

static struct pkt_expr *binary_new(struct pkt_expr *lhs, struct pkt_expr *rhs)
{
	struct pkt_expr *b = expr_new(PKT_EX_BINARY);

	b->kids = g_new(struct pkt_expr *, 2);
	b->kids[0] = lhs;
	b->kids[1] = rhs;
	b->n_kids = 2;
	return b;
}

/* The '|' operands after a first one (which it owns). */
static struct pkt_expr *binary_tail(struct pkt_lex *lx, struct pkt_expr *e)
{
	uint32_t saved = lx->depth;

	while (e && pkt_is_punct(lx, '|')) {
		struct pkt_expr *rhs = NULL;
		if (deeper(lx)) {
			pkt_lex_next(lx);
			rhs = parse_operand(lx);
		}
		if (!rhs) {
			pkt_expr_free(e);
			e = NULL;
			break;
		}
		e = binary_new(e, rhs);
	}
	lx->depth = saved;
	return e;
}

struct pkt_expr *pkt_parse_expr(struct pkt_lex *lx)
{
	return binary_tail(lx, parse_operand(lx));
}

static struct pkt_expr *word_expr(char *word)
{
	struct pkt_expr *e = expr_new(PKT_EX_WORD);
	e->s = word;
	return e;
}

static struct pkt_expr *parse_string(struct pkt_lex *lx)
{
	GString *s = g_string_new(NULL);

	while (lx->tok.kind == PKT_T_STRING) {
		g_string_append(s, lx->tok.text);
		pkt_lex_next(lx);
	}
	struct pkt_expr *e = expr_new(PKT_EX_STRING);
	e->s = g_string_free(s, FALSE);
	if (lx->tok.kind == PKT_T_ELLIPSIS) {
		e->string_ellipsis = true;
		pkt_lex_next(lx);
	}
	return e;
}

static struct pkt_expr *parse_int(struct pkt_lex *lx)
{
	if (lx->tok.too_big) {
		char *raw = pkt_tok_raw(lx);
		pkt_fail(lx, lx->tok.line, "number out of range: %.40s", raw);
		g_free(raw);
		return NULL;
	}
	struct pkt_expr *e = expr_new(PKT_EX_INT);
	e->i = lx->tok.value;
	pkt_lex_next(lx);
	return e;
}

/* [a, b, ...] or [] from its '['. */
static struct pkt_expr *parse_array(struct pkt_lex *lx)
{
	GPtrArray *kids = g_ptr_array_new_with_free_func((GDestroyNotify)pkt_expr_free);
	bool ok = true;

	pkt_lex_next(lx);
	if (!pkt_is_punct(lx, ']')) {
		do {
			struct pkt_expr *k = pkt_parse_expr(lx);
			if (!k)
				break;
			g_ptr_array_add(kids, k);
		} while (pkt_accept(lx, ','));
	}
	ok = !lx->failed && pkt_expect(lx, ']', "',' or ']' in an array");
	if (!ok) {
		g_ptr_array_free(kids, TRUE);
		return NULL;
	}
	struct pkt_expr *e = expr_new(PKT_EX_ARRAY);
	gsize n = 0;
	e->kids = (struct pkt_expr **)g_ptr_array_steal(kids, &n);
	e->n_kids = (uint32_t)n;
	g_ptr_array_free(kids, TRUE);
	return e;
}

/* ---- { ... } ---- */

static bool expect_word(struct pkt_lex *lx, const char *word, const char *what)
{
	if (!pkt_is_word(lx, word))
		return pkt_expected(lx, what);
	pkt_lex_next(lx);
	return true;
}

#define SOCKADDR_FORM "sa_family=AF_INET, sin_port=htons(PORT), sin_addr=inet_addr(\"ADDRESS\")"

/* The address of a sockaddr, checked as packetdrill checks it. */
static bool sockaddr_addr(struct pkt_lex *lx, struct pkt_expr *e)
{
	unsigned char buf[16];
	int family = strcmp(e->s, "AF_INET6") == 0 ? AF_INET6 : AF_INET;
	uint32_t line = lx->tok.line;

	if (lx->tok.kind != PKT_T_STRING)
		return pkt_expected(lx, "the address in quotes in inet_addr(\"ADDRESS\")");
	e->addr = pkt_lex_steal_text(lx);
	pkt_lex_next(lx);
	if (inet_pton(family, e->addr, buf) != 1)
		return pkt_fail(lx, line, "invalid %s address in a sockaddr: \"%.40s\"",
		                family == AF_INET ? "IPv4" : "IPv6", e->addr);
	return true;
}

/* {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("192.0.2.1")}
 * from its sa_family. */
static struct pkt_expr *parse_sockaddr(struct pkt_lex *lx)
{
	struct pkt_expr *e = expr_new(PKT_EX_SOCKADDR);
	uint32_t port = 0;
	bool ok = expect_word(lx, "sa_family", "sa_family") && pkt_expect(lx, '=', "'=' after sa_family");

	if (ok && !(pkt_is_word(lx, "AF_INET") || pkt_is_word(lx, "AF_INET6")))
		ok = pkt_expected(lx, "AF_INET or AF_INET6 after sa_family=");
	if (ok) {
		e->s = pkt_tok_raw(lx);
		pkt_lex_next(lx);
	}
	ok = ok && pkt_expect(lx, ',', "',' and sin_port=htons(PORT) in a sockaddr (" SOCKADDR_FORM ")") &&
	     expect_word(lx, "sin_port", "sin_port=htons(PORT) in a sockaddr (" SOCKADDR_FORM ")") &&
	     pkt_expect(lx, '=', "'=' after sin_port") && expect_word(lx, "htons", "htons(PORT) after sin_port=") &&
	     pkt_expect(lx, '(', "'(' after htons") && pkt_expect_uint(lx, 65535, "the port", &port) &&
	     pkt_expect(lx, ')', "')' after the port") &&
	     pkt_expect(lx, ',', "',' and sin_addr=inet_addr(\"ADDRESS\") in a sockaddr") &&
	     expect_word(lx, "sin_addr", "sin_addr=inet_addr(\"ADDRESS\") in a sockaddr") &&
	     pkt_expect(lx, '=', "'=' after sin_addr") &&
	     expect_word(lx, "inet_addr", "inet_addr(\"ADDRESS\") after sin_addr=") &&
	     pkt_expect(lx, '(', "'(' after inet_addr") && sockaddr_addr(lx, e) &&
	     pkt_expect(lx, ')', "')' after the address") && pkt_expect(lx, '}', "'}' at the end of the sockaddr");
	e->port = (uint16_t)port;
	if (!ok) {
		pkt_expr_free(e);
		return NULL;
	}
	return e;
}

/* One field of a struct: NAME=value, NAME(len)=value (a msghdr's
 * msg_name(...)=..., msg_iov(1)=[...], as parser.y writes them; the
 * length is read and left out) or a value; the name ("" if none) goes to
 * names. */
static struct pkt_expr *parse_field(struct pkt_lex *lx, GPtrArray *names)
{
	if (lx->tok.kind != PKT_T_WORD) {
		g_ptr_array_add(names, g_strdup(""));
		return pkt_parse_expr(lx);
	}
	char *word = pkt_tok_raw(lx);
	pkt_lex_next(lx);
	if (pkt_accept(lx, '(')) {
		struct pkt_expr *len = pkt_parse_expr(lx);
		pkt_expr_free(len);
		if (!len || !pkt_expect(lx, ')', "')' after the field's length") ||
		    !pkt_expect(lx, '=', "'=' after the field's length")) {
			g_free(word);
			return NULL;
		}
		g_ptr_array_add(names, word);
		return pkt_parse_expr(lx);
	}
	if (pkt_accept(lx, '=')) {
		g_ptr_array_add(names, word);
		return pkt_parse_expr(lx);
	}
	g_ptr_array_add(names, g_strdup(""));
	return binary_tail(lx, word_expr(word));
}

static bool names_are(GPtrArray *names, const char *const *want, guint n)
{
	if (names->len != n)
		return false;
	for (guint i = 0; i < n; i++)
		if (strcmp(g_ptr_array_index(names, i), want[i]) != 0)
			return false;
	return true;
}

/* What a struct of these field names is: pollfd and linger by their
 * fields, as parser.y has them; anything else a STRUCT. */
static enum pkt_expr_kind struct_kind(GPtrArray *names)
{
	static const char *const pollfd[] = { "fd", "events", "revents" };
	static const char *const linger[] = { "onoff", "linger" };

	if (names_are(names, pollfd, 2) || names_are(names, pollfd, 3))
		return PKT_EX_POLLFD;
	if (names_are(names, linger, 2))
		return PKT_EX_LINGER;
	return PKT_EX_STRUCT;
}

/* {...} from its '{'. */
static struct pkt_expr *parse_struct(struct pkt_lex *lx)
{
	pkt_lex_next(lx);
	if (pkt_is_word(lx, "sa_family"))
		return parse_sockaddr(lx);
	GPtrArray *kids = g_ptr_array_new_with_free_func((GDestroyNotify)pkt_expr_free);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	do {
		struct pkt_expr *k = parse_field(lx, names);
		if (!k)
			break;
		g_ptr_array_add(kids, k);
	} while (pkt_accept(lx, ','));
	if (lx->failed || !pkt_expect(lx, '}', "',' or '}' in a struct")) {
		g_ptr_array_free(kids, TRUE);
		g_ptr_array_free(names, TRUE);
		return NULL;
	}
	struct pkt_expr *e = expr_new(struct_kind(names));
	gsize n = 0;
	e->kids = (struct pkt_expr **)g_ptr_array_steal(kids, &n);
	e->n_kids = (uint32_t)n;
	e->names = (char **)g_ptr_array_steal(names, &n);
	g_ptr_array_free(kids, TRUE);
	g_ptr_array_free(names, TRUE);
	return e;
}

static struct pkt_expr *parse_operand(struct pkt_lex *lx)
{
	struct pkt_expr *e = NULL;
	uint32_t saved = lx->depth;

	switch (lx->tok.kind) {
	case PKT_T_ELLIPSIS:
		pkt_lex_next(lx);
		return expr_new(PKT_EX_ELLIPSIS);
	case PKT_T_INT:
	case PKT_T_HEX: return parse_int(lx);
	case PKT_T_WORD: {
		char *w = pkt_tok_raw(lx);
		pkt_lex_next(lx);
		return word_expr(w);
	}
	case PKT_T_STRING: return parse_string(lx);
	case PKT_T_PUNCT:
		if (pkt_is_punct(lx, '[') && deeper(lx))
			e = parse_array(lx);
		else if (pkt_is_punct(lx, '{') && deeper(lx))
			e = parse_struct(lx);
		else
			break;
		lx->depth = saved;
		return e;
	case PKT_T_EOF:
	case PKT_T_FLOAT:
	case PKT_T_IPV4:
	case PKT_T_COMMAND:
	case PKT_T_CODE:
	case PKT_T_OPTION: break;
	}
	pkt_expected(lx, "an expression (..., a number, a NAME, a \"string\", [array] or {struct})");
	return NULL;
}
