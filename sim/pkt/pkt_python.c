/*
 * The evaluator of packetdrill's %{ }% blocks (see pkt_python.h): a
 * tokenizer, a recursive-descent parser of Python 3's expression grammar
 * (its precedence: or < and < not < comparisons < | < ^ < & < shifts <
 * + - < * / // % < unary < **), and an evaluator with Python's integer
 * and float semantics (floor division, the modulo's sign, true division,
 * bool as an int, float repr).  Everything it does not read is refused
 * at parse time, by name.
 */
#include "sim/pkt/pkt_python.h"

#include <glib.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim/world/app.h"

#define PY_MAX_DEPTH 100 /* nesting of expressions: a bound for the recursion */

/* ---- the names packetdrill defines ---- */

enum pkt_os pkt_profile_os(const char *profile)
{
	if (profile && (strcmp(profile, "bsd") == 0 || strcmp(profile, "freebsd") == 0))
		return PKT_OS_FREEBSD;
	return PKT_OS_LINUX;
}

#define NO_FIELD SIZE_MAX

/* A tcp_info field packetdrill assigns (its code.c write_tcp_info()), and
 * where the model's snapshot keeps it (NO_FIELD: the model does not). */
struct py_field {
	const char *name;
	size_t off;
};

#define F(n, member) { "tcpi_" n, offsetof(struct app_tcp_info, member) }
#define NF(n) { "tcpi_" n, NO_FIELD }

static const struct py_field linux_fields[] = {
	F("state", state), NF("ca_state"), F("retransmits", retransmits), F("probes", probes),
	F("backoff", backoff), F("options", options), F("snd_wscale", snd_wscale),
	F("rcv_wscale", rcv_wscale), NF("delivery_rate_app_limited"), F("rto", rto_us), NF("ato"),
	F("snd_mss", snd_mss), F("rcv_mss", rcv_mss), F("unacked", unacked), NF("sacked"),
	NF("lost"), NF("retrans"), NF("fackets"), NF("last_data_sent"), NF("last_ack_sent"),
	NF("last_data_recv"), NF("last_ack_recv"), NF("pmtu"), NF("rcv_ssthresh"), F("rtt", rtt_us),
	F("rttvar", rttvar_us), F("snd_ssthresh", snd_ssthresh), F("snd_cwnd", snd_cwnd),
	NF("advmss"), NF("reordering"), F("total_retrans", total_retrans), NF("pacing_rate"),
	NF("max_pacing_rate"), NF("rcv_rtt"), NF("rcv_space"), NF("bytes_acked"),
	NF("bytes_received"), NF("segs_out"), NF("segs_in"), NF("notsent_bytes"), NF("min_rtt"),
	NF("data_segs_in"), NF("data_segs_out"), NF("delivery_rate"), NF("busy_time"),
	NF("rwnd_limited"), NF("sndbuf_limited"), NF("delivered"), NF("delivered_ce"),
	NF("bytes_sent"), NF("bytes_retrans"), NF("dsack_dups"), NF("reord_seen"),
};

/* FreeBSD's tcp_fill_info(): the same units for these (rto, rtt and
 * rttvar in microseconds, the option bits alike); snd_cwnd and
 * snd_ssthresh are bytes there and the model's FreeBSD values before a
 * connection are not known, so they are left out with the others. */
static const struct py_field freebsd_fields[] = {
	F("state", state), F("options", options), F("snd_wscale", snd_wscale),
	F("rcv_wscale", rcv_wscale), F("rto", rto_us), NF("snd_mss"), NF("rcv_mss"),
	NF("last_data_recv"), F("rtt", rtt_us), F("rttvar", rttvar_us), NF("snd_ssthresh"),
	NF("snd_cwnd"), NF("rcv_space"), F("snd_wnd", snd_wnd), NF("snd_bwnd"), NF("snd_nxt"),
	NF("rcv_nxt"), NF("toe_tid"), NF("snd_rexmitpack"), NF("rcv_ooopack"), NF("snd_zerowin"),
};

#undef F
#undef NF

struct py_const {
	const char *name;
	int64_t value;
};

/* Linux's packetdrill only (write_symbols() is #ifdef linux): tcpi_state
 * (include/net/tcp_states.h), tcpi_ca_state (enum tcp_ca_state) and
 * tcpi_options (include/uapi/linux/tcp.h).  TCPI_OPT_SACK is not one. */
static const struct py_const linux_consts[] = {
	{"TCP_ESTABLISHED", 1}, {"TCP_SYN_SENT", 2}, {"TCP_SYN_RECV", 3}, {"TCP_FIN_WAIT1", 4},
	{"TCP_FIN_WAIT2", 5}, {"TCP_TIME_WAIT", 6}, {"TCP_CLOSE", 7}, {"TCP_CLOSE_WAIT", 8},
	{"TCP_LAST_ACK", 9}, {"TCP_LISTEN", 10}, {"TCP_CLOSING", 11},
	{"TCP_CA_Open", 0}, {"TCP_CA_Disorder", 1}, {"TCP_CA_CWR", 2}, {"TCP_CA_Recovery", 3},
	{"TCP_CA_Loss", 4},
	{"TCPI_OPT_TIMESTAMPS", 1}, {"TCPI_OPT_WSCALE", 4}, {"TCPI_OPT_ECN", 8},
	{"TCPI_OPT_SYN_DATA", 32},
};

/* FreeBSD's packetdrill (nplab, code.c write_symbols() under __FreeBSD__):
 * tcpi_state as sys/netinet/tcp_fsm.h numbers it (TCPS_*, under TCPI_
 * names), and tcpi_options (sys/netinet/tcp.h), SACK's bit included. */
static const struct py_const freebsd_consts[] = {
	{"TCPI_CLOSED", 0}, {"TCPI_LISTEN", 1}, {"TCPI_SYN_SENT", 2}, {"TCPI_SYN_RECEIVED", 3},
	{"TCPI_ESTABLISHED", 4}, {"TCPI_CLOSE_WAIT", 5}, {"TCPI_FIN_WAIT_1", 6}, {"TCPI_CLOSING", 7},
	{"TCPI_LAST_ACK", 8}, {"TCPI_FIN_WAIT_2", 9}, {"TCPI_TIME_WAIT", 10},
	{"TCPI_OPT_TIMESTAMPS", 1}, {"TCPI_OPT_SACK", 2}, {"TCPI_OPT_WSCALE", 4}, {"TCPI_OPT_ECN", 8},
};

/* Linux's tcpi_state (the snapshot's) as FreeBSD numbers it
 * (sys/netinet/tcp_fsm.h TCPS_*): CLOSE 7 is TCPS_CLOSED 0, LISTEN 10 is
 * TCPS_LISTEN 1, ESTABLISHED 1 is TCPS_ESTABLISHED 4... */
static int64_t freebsd_state(int64_t linux_state)
{
	static const int64_t map[12] = {
		[1] = 4, [2] = 2, [3] = 3, [4] = 6, [5] = 9, [6] = 10,
		[7] = 0, [8] = 5, [9] = 8, [10] = 1, [11] = 7,
	};
	return linux_state >= 1 && linux_state <= 11 ? map[linux_state] : linux_state;
}

/* ---- tokens ---- */

enum tok_kind { TK_END, TK_NEWLINE, TK_NAME, TK_INT, TK_FLOAT, TK_STR, TK_OP };

struct tok {
	enum tok_kind kind;
	char *text;       /* NAME, OP: as written; STR: the value */
	int64_t i;        /* INT */
	double f;         /* FLOAT */
	uint32_t line;    /* 0: the block's first */
	size_t at, end;   /* its bytes in the text */
};

struct lexer {
	const char *s;
	size_t pos, n;
	uint32_t line;
	int depth;        /* open brackets: newlines inside do not end a statement */
	GArray *toks;     /* struct tok */
	char *why;
};

static bool lex_fail(struct lexer *lx, char *why)
{
	if (!lx->why)
		lx->why = why;
	else
		g_free(why);
	return false;
}

static void push(struct lexer *lx, enum tok_kind k, size_t at, char *text)
{
	struct tok t = {.kind = k, .text = text, .line = lx->line, .at = at, .end = lx->pos};
	g_array_append_val(lx->toks, t);
}

static struct tok *last_tok(struct lexer *lx)
{
	return lx->toks->len ? &g_array_index(lx->toks, struct tok, lx->toks->len - 1) : NULL;
}

static void end_line(struct lexer *lx, size_t at)
{
	struct tok *t = last_tok(lx);
	if (t && t->kind != TK_NEWLINE)
		push(lx, TK_NEWLINE, at, NULL);
}

/* An integer of base 16, 8 or 2 after its prefix, or a decimal one. */
static bool lex_int(struct lexer *lx, size_t at, const char *digits, size_t len, int base)
{
	if (len == 0)
		return lex_fail(lx, g_strdup_printf("python: the number `%.*s`", (int)(lx->pos - at), lx->s + at));
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		int d = g_ascii_xdigit_value(digits[i]);
		if (d < 0 || d >= base)
			return lex_fail(lx, g_strdup_printf("python: the number `%.*s`", (int)(lx->pos - at), lx->s + at));
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base || v * (uint64_t)base + (uint64_t)d > INT64_MAX)
			return lex_fail(lx, g_strdup("python: an integer beyond 64 bits"));
		v = v * (uint64_t)base + (uint64_t)d;
	}
	push(lx, TK_INT, at, NULL);
	last_tok(lx)->i = (int64_t)v;
	return true;
}

static bool lex_number(struct lexer *lx)
{
	const char *s = lx->s;
	size_t at = lx->pos, p = at;
	if (s[p] == '0' && p + 1 < lx->n && strchr("xXoObB", s[p + 1])) {
		int base = s[p + 1] == 'x' || s[p + 1] == 'X' ? 16 : s[p + 1] == 'o' || s[p + 1] == 'O' ? 8 : 2;
		p += 2;
		size_t start = p;
		while (p < lx->n && g_ascii_isalnum(s[p]))
			p++;
		lx->pos = p;
		return lex_int(lx, at, s + start, p - start, base);
	}
	bool is_float = false;
	while (p < lx->n && g_ascii_isdigit(s[p]))
		p++;
	if (p < lx->n && s[p] == '.') {
		is_float = true;
		p++;
		while (p < lx->n && g_ascii_isdigit(s[p]))
			p++;
	}
	if (p < lx->n && (s[p] == 'e' || s[p] == 'E')) {
		size_t q = p + 1;
		if (q < lx->n && (s[q] == '+' || s[q] == '-'))
			q++;
		if (q < lx->n && g_ascii_isdigit(s[q])) {
			is_float = true;
			p = q;
			while (p < lx->n && g_ascii_isdigit(s[p]))
				p++;
		}
	}
	size_t end = p;
	while (p < lx->n && (g_ascii_isalnum(s[p]) || s[p] == '_' || s[p] == '.'))
		p++;
	lx->pos = p;
	if (p != end) /* 1j, 1_000, 1.2.3 */
		return lex_fail(lx, g_strdup_printf("python: the number `%.*s`", (int)(p - at), s + at));
	if (!is_float) {
		/* Python 3 refuses 012 (but takes 0 and 00) */
		bool leading_zero = s[at] == '0' && end - at > 1 && strspn(s + at, "0") < end - at;
		if (leading_zero)
			return lex_fail(lx, g_strdup_printf("python: the number `%.*s`", (int)(end - at), s + at));
		return lex_int(lx, at, s + at, end - at, 10);
	}
	char *text = g_strndup(s + at, end - at);
	push(lx, TK_FLOAT, at, NULL);
	last_tok(lx)->f = g_ascii_strtod(text, NULL);
	g_free(text);
	return true;
}

/* '...' or "...", one line, with the common escapes. */
static bool lex_string(struct lexer *lx)
{
	const char *s = lx->s;
	size_t at = lx->pos;
	char q = s[at];
	if (at + 2 < lx->n && s[at + 1] == q && s[at + 2] == q)
		return lex_fail(lx, g_strdup("python: a triple-quoted string"));
	GString *v = g_string_new(NULL);
	size_t p = at + 1;
	for (;;) {
		if (p >= lx->n || s[p] == '\n') {
			g_string_free(v, TRUE);
			return lex_fail(lx, g_strdup("python: a string not closed on its line"));
		}
		if (s[p] == q)
			break;
		if (s[p] == '\\' && p + 1 < lx->n) {
			const char *from = "nt\\'\"", *to = "\n\t\\'\"";
			const char *e = strchr(from, s[p + 1]);
			if (!e || !s[p + 1]) {
				g_string_free(v, TRUE);
				if (!g_ascii_isgraph(s[p + 1]))
					return lex_fail(lx, g_strdup("python: an escape in a string"));
				return lex_fail(lx, g_strdup_printf("python: the escape `\\%c` in a string", s[p + 1]));
			}
			g_string_append_c(v, to[e - from]);
			p += 2;
			continue;
		}
		g_string_append_c(v, s[p++]);
	}
	lx->pos = p + 1;
	push(lx, TK_STR, at, g_string_free(v, FALSE));
	return true;
}

static bool lex_op(struct lexer *lx)
{
	static const char *const two[] = {"**", "//", "==", "!=", "<=", ">=", "<<", ">>", "+=", "-=",
	                                  "*=", "/=", "%=", "&=", "|=", "^=", "->", ":="};
	const char *s = lx->s + lx->pos;
	size_t at = lx->pos, len = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(two) && !len; i++)
		if (lx->pos + 1 < lx->n && s[0] == two[i][0] && s[1] == two[i][1])
			len = 2;
	if (!len) {
		if (!strchr("+-*/%&|^~<>()[]{},;=:.@!", s[0]) || s[0] == '\0') {
			if (g_ascii_isprint(s[0]))
				return lex_fail(lx, g_strdup_printf("python: the character `%c`", s[0]));
			return lex_fail(lx, g_strdup_printf("python: the byte 0x%02x", (unsigned)(unsigned char)s[0]));
		}
		len = 1;
		if (strchr("([{", s[0]))
			lx->depth++;
		else if (strchr(")]}", s[0]) && lx->depth > 0)
			lx->depth--;
	}
	lx->pos += len;
	push(lx, TK_OP, at, g_strndup(s, len));
	return true;
}

/* Leading blanks of a line that is not a continuation: Python's
 * "unexpected indent" (the block's lines start in column 0). */
static bool lex_indent(struct lexer *lx)
{
	size_t p = lx->pos;
	while (p < lx->n && (lx->s[p] == ' ' || lx->s[p] == '\t' || lx->s[p] == '\f'))
		p++;
	bool blank = p >= lx->n || lx->s[p] == '\n' || lx->s[p] == '#' || lx->s[p] == '\r';
	if (p > lx->pos && !blank)
		return lex_fail(lx, g_strdup_printf("python: an indented line (line %u of the block: "
		                                    "Python's \"unexpected indent\")", lx->line + 1));
	lx->pos = p;
	return true;
}

static bool lex_all(struct lexer *lx)
{
	bool line_start = true;
	while (lx->pos < lx->n) {
		if (line_start && lx->depth == 0 && !lex_indent(lx))
			return false;
		line_start = false;
		if (lx->pos >= lx->n)
			break;
		char c = lx->s[lx->pos];
		if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
			lx->pos++;
		} else if (c == '\n') {
			if (lx->depth == 0)
				end_line(lx, lx->pos);
			lx->pos++;
			lx->line++;
			line_start = true;
		} else if (c == '\\') {
			size_t p = lx->pos + 1;
			if (p < lx->n && lx->s[p] == '\r')
				p++;
			if (p >= lx->n || lx->s[p] != '\n')
				return lex_fail(lx, g_strdup("python: a '\\' that does not end its line"));
			lx->pos = p + 1;
			lx->line++;
		} else if (c == '#') {
			while (lx->pos < lx->n && lx->s[lx->pos] != '\n')
				lx->pos++;
		} else if (g_ascii_isdigit(c) || (c == '.' && lx->pos + 1 < lx->n && g_ascii_isdigit(lx->s[lx->pos + 1]))) {
			if (!lex_number(lx))
				return false;
		} else if (g_ascii_isalpha(c) || c == '_') {
			size_t at = lx->pos;
			while (lx->pos < lx->n && (g_ascii_isalnum(lx->s[lx->pos]) || lx->s[lx->pos] == '_'))
				lx->pos++;
			if (lx->pos < lx->n && (lx->s[lx->pos] == '\'' || lx->s[lx->pos] == '"'))
				return lex_fail(lx, g_strdup_printf("python: a prefixed string (%.*s%c...)", (int)(lx->pos - at),
				                                    lx->s + at, lx->s[lx->pos]));
			push(lx, TK_NAME, at, g_strndup(lx->s + at, lx->pos - at));
		} else if (c == '\'' || c == '"') {
			if (!lex_string(lx))
				return false;
		} else if ((unsigned char)c >= 0x80) {
			return lex_fail(lx, g_strdup_printf("python: the byte 0x%02x", (unsigned)(unsigned char)c));
		} else if (!lex_op(lx)) {
			return false;
		}
	}
	if (lx->depth > 0)
		return lex_fail(lx, g_strdup("python: a bracket not closed"));
	end_line(lx, lx->n);
	push(lx, TK_END, lx->n, NULL);
	return true;
}

static void free_toks(GArray *toks)
{
	for (guint i = 0; i < toks->len; i++)
		g_free(g_array_index(toks, struct tok, i).text);
	g_array_free(toks, TRUE);
}

/* ---- the tree ---- */

enum node_kind {
	N_INT, N_BOOL, N_FLOAT, N_STR, /* literals, and the constants */
	N_FIELD,                       /* a tcpi_ name: off in the snapshot */
	N_STATE,                       /* tcpi_state, numbered as the system does */
	N_UNARY,                       /* op: '-', '+', '~' */
	N_NOT, N_AND, N_OR,            /* kids[0], kids[1] */
	N_BINARY,                      /* op: "+", "//", "**", "<<"... */
	N_COMPARE,                     /* kids[0] ops[0] kids[1] ops[1] kids[2]... */
	N_CALL,                        /* abs, min, max: op is the name */
};

struct node {
	enum node_kind kind;
	int64_t i;
	double f;
	char *s;                       /* STR */
	size_t off;                    /* FIELD */
	char op[4];
	char (*ops)[3];                /* COMPARE: n - 1 operators */
	struct node **kids;
	uint32_t n;
};

enum stmt_kind { S_ASSERT, S_PRINT, S_PASS, S_EXPR };

struct stmt {
	enum stmt_kind kind;
	struct node **args;            /* ASSERT: test [, message]; PRINT: its arguments; EXPR: 1 */
	uint32_t n_args;
	uint32_t line;                 /* within the block */
	char *text;                    /* as written, a continuation joined: for the traceback */
};

struct pkt_py {
	enum pkt_os os;
	struct stmt *stmts;
	uint32_t n;
};

static void free_node(struct node *e)
{
	if (!e)
		return;
	for (uint32_t i = 0; i < e->n; i++)
		free_node(e->kids[i]);
	g_free(e->kids);
	g_free(e->ops);
	g_free(e->s);
	g_free(e);
}

void pkt_py_free(struct pkt_py *p)
{
	if (!p)
		return;
	for (uint32_t i = 0; i < p->n; i++) {
		for (uint32_t k = 0; k < p->stmts[i].n_args; k++)
			free_node(p->stmts[i].args[k]);
		g_free(p->stmts[i].args);
		g_free(p->stmts[i].text);
	}
	g_free(p->stmts);
	g_free(p);
}

/* ---- the parser ---- */

struct parser {
	const struct tok *t;  /* the tokens, ending in TK_END */
	guint pos;
	enum pkt_os os;
	int depth;
	char *why;
};

static const struct tok *peek(const struct parser *p) { return &p->t[p->pos]; }

static bool is_op(const struct parser *p, const char *op)
{
	const struct tok *t = peek(p);
	return t->kind == TK_OP && strcmp(t->text, op) == 0;
}

static bool is_name(const struct parser *p, const char *name)
{
	const struct tok *t = peek(p);
	return t->kind == TK_NAME && strcmp(t->text, name) == 0;
}

static struct node *parse_fail(struct parser *p, char *why)
{
	if (!p->why)
		p->why = why;
	else
		g_free(why);
	return NULL;
}

/* What the parser met where it could not go on, in words. */
static struct node *unexpected(struct parser *p)
{
	const struct tok *t = peek(p);
	switch (t->kind) {
	case TK_END:
	case TK_NEWLINE: return parse_fail(p, g_strdup("python: a statement that ends too soon"));
	case TK_STR: return parse_fail(p, g_strdup("python: a string where tcpsim reads a number"));
	case TK_INT:
	case TK_FLOAT: return parse_fail(p, g_strdup("python: a number where an operator belongs"));
	case TK_NAME:
	case TK_OP: break;
	}
	if (t->kind == TK_OP && strcmp(t->text, "=") == 0)
		return parse_fail(p, g_strdup("python: an assignment"));
	if (t->kind == TK_OP && strlen(t->text) == 2 && t->text[1] == '=' && strchr("+-*/%&|^", t->text[0]))
		return parse_fail(p, g_strdup_printf("python: an assignment (`%s`)", t->text));
	return parse_fail(p, g_strdup_printf("python: `%s` here", t->text));
}

static struct node *new_node(enum node_kind k)
{
	struct node *e = g_new0(struct node, 1);
	e->kind = k;
	return e;
}

static struct node *node2(enum node_kind k, const char *op, struct node *a, struct node *b)
{
	struct node *e = new_node(k);
	g_strlcpy(e->op, op ? op : "", sizeof e->op);
	e->kids = g_new(struct node *, 2);
	e->kids[0] = a;
	e->kids[1] = b;
	e->n = 2;
	return e;
}

static struct node *parse_test(struct parser *p);

static const struct py_field *fields_of(enum pkt_os os, size_t *n)
{
	if (os == PKT_OS_FREEBSD) {
		*n = G_N_ELEMENTS(freebsd_fields);
		return freebsd_fields;
	}
	*n = G_N_ELEMENTS(linux_fields);
	return linux_fields;
}

static const char *const keywords[] = {
	"import", "from", "def", "class", "if", "elif", "else", "for", "while", "with", "try",
	"except", "finally", "return", "yield", "raise", "del", "global", "nonlocal", "lambda",
	"async", "await", "break", "continue", "in", "is", "and", "or", "not", "assert", "pass",
	"None", "print",
};

static bool is_keyword(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(keywords); i++)
		if (strcmp(keywords[i], name) == 0)
			return true;
	return false;
}

/* A name: True, False, a constant, a tcp_info field the model keeps. */
static struct node *parse_name(struct parser *p, const char *name)
{
	if (strcmp(name, "True") == 0 || strcmp(name, "False") == 0) {
		struct node *e = new_node(N_BOOL);
		e->i = name[0] == 'T';
		return e;
	}
	if (is_keyword(name) && strcmp(name, "print") != 0)
		return parse_fail(p, g_strdup_printf("python: `%s` here", name));
	const struct py_const *c = p->os == PKT_OS_LINUX ? linux_consts : freebsd_consts;
	size_t n_c = p->os == PKT_OS_LINUX ? G_N_ELEMENTS(linux_consts) : G_N_ELEMENTS(freebsd_consts);
	for (size_t i = 0; i < n_c; i++)
		if (strcmp(c[i].name, name) == 0) {
			struct node *e = new_node(N_INT);
			e->i = c[i].value;
			return e;
		}
	size_t n;
	const struct py_field *f = fields_of(p->os, &n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(f[i].name, name) != 0)
			continue;
		if (f[i].off == NO_FIELD)
			return parse_fail(p, g_strdup_printf("python: %s (the model does not keep it)", name));
		struct node *e = new_node(strcmp(name, "tcpi_state") == 0 ? N_STATE : N_FIELD);
		e->off = f[i].off;
		return e;
	}
	if (p->os == PKT_OS_FREEBSD && (g_str_has_prefix(name, "TCP_") || g_str_has_prefix(name, "TCPI_")))
		return parse_fail(p, g_strdup_printf("python: the name %s (FreeBSD's packetdrill does not "
		                                     "define it)", name));
	return parse_fail(p, g_strdup_printf("python: the name %s", name));
}

/* The arguments of a call, after its '(': tests separated by commas. */
static bool parse_args(struct parser *p, GPtrArray *args)
{
	p->pos++; /* '(' */
	while (!is_op(p, ")")) {
		if (peek(p)->kind == TK_NAME && p->t[p->pos + 1].kind == TK_OP && strcmp(p->t[p->pos + 1].text, "=") == 0) {
			parse_fail(p, g_strdup_printf("python: the keyword argument %s=", peek(p)->text));
			return false;
		}
		if (is_op(p, "*") || is_op(p, "**")) {
			parse_fail(p, g_strdup("python: an unpacked argument"));
			return false;
		}
		struct node *a = parse_test(p);
		if (!a)
			return false;
		g_ptr_array_add(args, a);
		if (!is_op(p, ","))
			break;
		p->pos++;
	}
	if (!is_op(p, ")")) {
		unexpected(p);
		return false;
	}
	p->pos++;
	return true;
}

static struct node *parse_call(struct parser *p, const char *name)
{
	if (strcmp(name, "abs") != 0 && strcmp(name, "min") != 0 && strcmp(name, "max") != 0)
		return parse_fail(p, g_strdup_printf("python: the call %s()", name));
	GPtrArray *args = g_ptr_array_new_with_free_func((GDestroyNotify)free_node);
	if (!parse_args(p, args)) {
		g_ptr_array_free(args, TRUE);
		return NULL;
	}
	guint n = args->len;
	if (strcmp(name, "abs") == 0 ? n != 1 : n < 2) {
		g_ptr_array_free(args, TRUE);
		return parse_fail(p, g_strdup_printf("python: %s() of %u argument%s", name, n, n == 1 ? "" : "s"));
	}
	struct node *e = new_node(N_CALL);
	g_strlcpy(e->op, name, sizeof e->op);
	e->n = args->len;
	g_ptr_array_set_free_func(args, NULL);
	e->kids = (struct node **)g_ptr_array_free(args, FALSE);
	return e;
}

static struct node *parse_atom(struct parser *p)
{
	const struct tok *t = peek(p);
	struct node *e;
	switch (t->kind) {
	case TK_INT:
		e = new_node(N_INT);
		e->i = t->i;
		p->pos++;
		return e;
	case TK_FLOAT:
		e = new_node(N_FLOAT);
		e->f = t->f;
		p->pos++;
		return e;
	case TK_STR:
		e = new_node(N_STR);
		e->s = g_strdup(t->text);
		p->pos++;
		if (peek(p)->kind == TK_STR) {
			free_node(e);
			return parse_fail(p, g_strdup("python: strings written one after the other"));
		}
		return e;
	case TK_NAME:
		p->pos++;
		if (is_op(p, "(") && !is_keyword(t->text))
			return parse_call(p, t->text);
		return parse_name(p, t->text);
	case TK_OP:
		if (strcmp(t->text, "(") != 0)
			break;
		p->pos++;
		if (is_op(p, ")"))
			return parse_fail(p, g_strdup("python: a tuple"));
		e = parse_test(p);
		if (!e)
			return NULL;
		if (is_op(p, ",")) {
			free_node(e);
			return parse_fail(p, g_strdup("python: a tuple"));
		}
		if (!is_op(p, ")")) {
			free_node(e);
			return unexpected(p);
		}
		p->pos++;
		return e;
	case TK_END:
	case TK_NEWLINE:
		break;
	}
	if (t->kind == TK_OP && (strcmp(t->text, "[") == 0 || strcmp(t->text, "{") == 0))
		return parse_fail(p, g_strdup_printf("python: a %s", t->text[0] == '[' ? "list" : "dict or set"));
	return unexpected(p);
}

/* An atom and what follows it: '.' (attributes), '[' (subscripts) and a
 * call of anything but a name are not read. */
static struct node *parse_primary(struct parser *p)
{
	struct node *e = parse_atom(p);
	if (e && (is_op(p, ".") || is_op(p, "[") || is_op(p, "("))) {
		const char *what = is_op(p, ".") ? "an attribute (.)" : is_op(p, "[") ? "a subscript ([])" : "a call";
		free_node(e);
		return parse_fail(p, g_strdup_printf("python: %s", what));
	}
	return e;
}

static struct node *parse_factor(struct parser *p);

/* power := primary ['**' factor] (right-associative, above unary minus
 * on its left: -2 ** 2 is -4) */
static struct node *parse_power(struct parser *p)
{
	struct node *e = parse_primary(p);
	if (!e || !is_op(p, "**"))
		return e;
	p->pos++;
	struct node *r = parse_factor(p);
	if (!r) {
		free_node(e);
		return NULL;
	}
	return node2(N_BINARY, "**", e, r);
}

static struct node *parse_factor(struct parser *p)
{
	if (++p->depth > PY_MAX_DEPTH)
		return parse_fail(p, g_strdup("python: an expression nested too deep"));
	struct node *e;
	if (is_op(p, "-") || is_op(p, "+") || is_op(p, "~")) {
		char op = peek(p)->text[0];
		p->pos++;
		struct node *x = parse_factor(p);
		if (!x) {
			p->depth--;
			return NULL;
		}
		e = new_node(N_UNARY);
		e->op[0] = op;
		e->kids = g_new(struct node *, 1);
		e->kids[0] = x;
		e->n = 1;
	} else {
		e = parse_power(p);
	}
	p->depth--;
	return e;
}

typedef struct node *(*parse_fn)(struct parser *p);

/* A left-associative level: next (OP next)*, OP one of ops. */
static struct node *parse_level(struct parser *p, parse_fn next, const char *const *ops)
{
	struct node *e = next(p);
	while (e) {
		const char *op = NULL;
		for (const char *const *o = ops; *o && !op; o++)
			if (is_op(p, *o))
				op = *o;
		if (!op)
			break;
		p->pos++;
		struct node *r = next(p);
		if (!r) {
			free_node(e);
			return NULL;
		}
		e = node2(N_BINARY, op, e, r);
	}
	return e;
}

static struct node *parse_term(struct parser *p)
{
	static const char *const ops[] = {"*", "/", "//", "%", NULL};
	if (is_op(p, "@"))
		return parse_fail(p, g_strdup("python: `@` here"));
	return parse_level(p, parse_factor, ops);
}

static struct node *parse_arith(struct parser *p)
{
	static const char *const ops[] = {"+", "-", NULL};
	return parse_level(p, parse_term, ops);
}

static struct node *parse_shift(struct parser *p)
{
	static const char *const ops[] = {"<<", ">>", NULL};
	return parse_level(p, parse_arith, ops);
}

static struct node *parse_band(struct parser *p)
{
	static const char *const ops[] = {"&", NULL};
	return parse_level(p, parse_shift, ops);
}

static struct node *parse_bxor(struct parser *p)
{
	static const char *const ops[] = {"^", NULL};
	return parse_level(p, parse_band, ops);
}

static struct node *parse_bor(struct parser *p)
{
	static const char *const ops[] = {"|", NULL};
	return parse_level(p, parse_bxor, ops);
}

static const char *compare_op(const struct parser *p)
{
	static const char *const ops[] = {"<", ">", "==", ">=", "<=", "!=", NULL};
	for (const char *const *o = ops; *o; o++)
		if (is_op(p, *o))
			return *o;
	return NULL;
}

/* comparison := bor (OP bor)*: a chain, each operand evaluated once */
static struct node *parse_comparison(struct parser *p)
{
	struct node *e = parse_bor(p);
	if (!e)
		return NULL;
	if (is_name(p, "in") || is_name(p, "is") || is_name(p, "not")) {
		char *why = g_strdup_printf("python: the comparison `%s`", peek(p)->text);
		free_node(e);
		return parse_fail(p, why);
	}
	const char *op = compare_op(p);
	if (!op)
		return e;
	struct node *c = new_node(N_COMPARE);
	GPtrArray *kids = g_ptr_array_new();
	GArray *ops = g_array_new(FALSE, FALSE, sizeof(char[3]));
	g_ptr_array_add(kids, e);
	while (op) {
		char o[3] = {0};
		g_strlcpy(o, op, sizeof o);
		g_array_append_val(ops, o);
		p->pos++;
		struct node *r = parse_bor(p);
		if (!r)
			break;
		g_ptr_array_add(kids, r);
		op = compare_op(p);
	}
	c->n = kids->len;
	c->kids = (struct node **)g_ptr_array_free(kids, FALSE);
	c->ops = (char (*)[3])(void *)g_array_free(ops, FALSE);
	if (p->why) {
		free_node(c);
		return NULL;
	}
	return c;
}

static struct node *parse_not(struct parser *p)
{
	if (!is_name(p, "not"))
		return parse_comparison(p);
	if (++p->depth > PY_MAX_DEPTH)
		return parse_fail(p, g_strdup("python: an expression nested too deep"));
	p->pos++;
	struct node *x = parse_not(p);
	p->depth--;
	if (!x)
		return NULL;
	struct node *e = new_node(N_NOT);
	e->kids = g_new(struct node *, 1);
	e->kids[0] = x;
	e->n = 1;
	return e;
}

static struct node *parse_bool_level(struct parser *p, parse_fn next, const char *word, enum node_kind k)
{
	struct node *e = next(p);
	while (e && is_name(p, word)) {
		p->pos++;
		struct node *r = next(p);
		if (!r) {
			free_node(e);
			return NULL;
		}
		e = node2(k, NULL, e, r);
	}
	return e;
}

static struct node *parse_and(struct parser *p) { return parse_bool_level(p, parse_not, "and", N_AND); }

static struct node *parse_test(struct parser *p)
{
	if (++p->depth > PY_MAX_DEPTH)
		return parse_fail(p, g_strdup("python: an expression nested too deep"));
	struct node *e = parse_bool_level(p, parse_and, "or", N_OR);
	p->depth--;
	if (e && is_name(p, "if")) {
		free_node(e);
		return parse_fail(p, g_strdup("python: a conditional expression (x if c else y)"));
	}
	return e;
}

/* A string is read only as an assert's message or a print argument. */
static bool has_string(const struct node *e)
{
	if (e->kind == N_STR)
		return true;
	for (uint32_t i = 0; i < e->n; i++)
		if (has_string(e->kids[i]))
			return true;
	return false;
}

static bool string_check(struct parser *p, struct node *e, bool whole_may_be)
{
	if (whole_may_be && e->kind == N_STR)
		return true;
	if (has_string(e)) {
		parse_fail(p, g_strdup("python: a string in an expression"));
		return false;
	}
	return true;
}

/* The source of a statement, a line continuation joined. */
static char *stmt_text(const char *text, size_t at, size_t end)
{
	GString *s = g_string_new(NULL);
	for (size_t i = at; i < end; i++) {
		if (text[i] == '\\' && i + 1 < end && (text[i + 1] == '\n' || text[i + 1] == '\r')) {
			i++;
			while (i + 1 < end && strchr(" \t\r\n", text[i + 1]))
				i++;
			if (s->len && s->str[s->len - 1] != ' ')
				g_string_append_c(s, ' ');
			continue;
		}
		g_string_append_c(s, text[i]);
	}
	while (s->len && strchr(" \t\r\n", s->str[s->len - 1]))
		g_string_truncate(s, s->len - 1);
	return g_string_free(s, FALSE);
}

static bool parse_stmt(struct parser *p, struct stmt *st)
{
	GPtrArray *args = g_ptr_array_new_with_free_func((GDestroyNotify)free_node);
	const struct tok *t = peek(p);
	bool ok = true;
	if (t->kind == TK_NAME && strcmp(t->text, "assert") == 0) {
		st->kind = S_ASSERT;
		p->pos++;
		struct node *e = parse_test(p);
		ok = e && string_check(p, e, false);
		if (e)
			g_ptr_array_add(args, e);
		if (ok && is_op(p, ",")) {
			p->pos++;
			e = parse_test(p);
			ok = e && string_check(p, e, true);
			if (e)
				g_ptr_array_add(args, e);
		}
	} else if (t->kind == TK_NAME && strcmp(t->text, "pass") == 0) {
		st->kind = S_PASS;
		p->pos++;
	} else if (t->kind == TK_NAME && strcmp(t->text, "print") == 0 && p->t[p->pos + 1].kind == TK_OP &&
	           strcmp(p->t[p->pos + 1].text, "(") == 0) {
		st->kind = S_PRINT;
		p->pos++;
		ok = parse_args(p, args);
		for (guint i = 0; ok && i < args->len; i++)
			ok = string_check(p, g_ptr_array_index(args, i), true);
	} else if (t->kind == TK_NAME && is_keyword(t->text) && strcmp(t->text, "not") != 0) {
		parse_fail(p, g_strdup_printf("python: the statement `%s`", t->text));
		ok = false;
	} else {
		st->kind = S_EXPR;
		struct node *e = parse_test(p);
		ok = e && string_check(p, e, true);
		if (e)
			g_ptr_array_add(args, e);
	}
	if (ok && !is_op(p, ";") && peek(p)->kind != TK_NEWLINE) {
		unexpected(p);
		ok = false;
	}
	st->n_args = args->len;
	g_ptr_array_set_free_func(args, NULL);
	st->args = (struct node **)g_ptr_array_free(args, FALSE);
	return ok;
}

struct pkt_py *pkt_py_parse(const char *text, enum pkt_os os, char **why)
{
	struct lexer lx = {.s = text, .n = strlen(text), .toks = g_array_new(FALSE, TRUE, sizeof(struct tok))};
	*why = NULL;
	if (!lex_all(&lx)) {
		*why = lx.why;
		free_toks(lx.toks);
		return NULL;
	}
	struct parser p = {.t = (const struct tok *)(void *)lx.toks->data, .os = os};
	GArray *stmts = g_array_new(FALSE, TRUE, sizeof(struct stmt));
	bool ok = true;
	while (ok && peek(&p)->kind != TK_END) {
		if (peek(&p)->kind == TK_NEWLINE || is_op(&p, ";")) {
			/* an empty line; a ';' alone is Python's syntax error */
			if (is_op(&p, ";")) {
				parse_fail(&p, g_strdup("python: a ';' with no statement before it"));
				ok = false;
			}
			p.pos++;
			continue;
		}
		const struct tok *first = peek(&p);
		struct stmt st = {.line = first->line};
		ok = parse_stmt(&p, &st);
		size_t end = p.t[p.pos - (p.pos > 0 ? 1 : 0)].end;
		st.text = stmt_text(text, first->at, end);
		g_array_append_val(stmts, st);
		if (ok && is_op(&p, ";")) {
			p.pos++;
			if (peek(&p)->kind == TK_NEWLINE)
				p.pos++;
		}
	}
	struct pkt_py *py = g_new0(struct pkt_py, 1);
	py->os = os;
	py->n = stmts->len;
	py->stmts = (struct stmt *)(void *)g_array_free(stmts, FALSE);
	free_toks(lx.toks);
	if (!ok) {
		*why = p.why ? p.why : g_strdup("python: a statement tcpsim does not read");
		pkt_py_free(py);
		return NULL;
	}
	return py;
}

/* ---- values ---- */

enum val_kind { V_INT, V_BOOL, V_FLOAT, V_STR };

struct val {
	enum val_kind k;
	int64_t i;      /* INT, BOOL */
	double f;       /* FLOAT */
	const char *s;  /* STR (the tree's) */
};

enum flow { FLOW_OK, FLOW_RAISED, FLOW_UNSUPPORTED };

struct eval {
	const struct app_tcp_info *t;
	enum pkt_os os;
	char *exc;      /* RAISED: "AssertionError: 3"; UNSUPPORTED: "python: ..." */
};

static enum flow raise_exc(struct eval *ev, char *text)
{
	ev->exc = text;
	return FLOW_RAISED;
}

static enum flow beyond_64_bits(struct eval *ev)
{
	ev->exc = g_strdup("python: an integer beyond 64 bits (the evaluator's integers are 64-bit)");
	return FLOW_UNSUPPORTED;
}

static const char *type_name(const struct val *v)
{
	switch (v->k) {
	case V_INT: return "int";
	case V_BOOL: return "bool";
	case V_FLOAT: return "float";
	case V_STR: return "str";
	}
	return "?";
}

static double as_float(const struct val *v) { return v->k == V_FLOAT ? v->f : (double)v->i; }

static struct val int_val(int64_t i) { return (struct val){.k = V_INT, .i = i}; }
static struct val bool_val(bool b) { return (struct val){.k = V_BOOL, .i = b}; }
static struct val float_val(double f) { return (struct val){.k = V_FLOAT, .f = f}; }

static bool truthy(const struct val *v)
{
	switch (v->k) {
	case V_INT:
	case V_BOOL: return v->i != 0;
	case V_FLOAT: return v->f != 0.0;
	case V_STR: return v->s[0] != '\0';
	}
	return false;
}

/* Python's repr() of a float: the shortest digits that read back the same,
 * positional from 1e-4 to below 1e16, else with an exponent. */
static void float_repr(GString *out, double d)
{
	if (isnan(d)) {
		g_string_append(out, "nan");
		return;
	}
	if (isinf(d)) {
		g_string_append(out, d > 0 ? "inf" : "-inf");
		return;
	}
	if (d == 0.0) {
		g_string_append(out, signbit(d) ? "-0.0" : "0.0");
		return;
	}
	char buf[64];
	for (int prec = 1; prec <= 17; prec++) {
		g_snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
		if (g_ascii_strtod(buf, NULL) == d)
			break;
	}
	/* buf: [-]D[.DDD]e[+-]XX */
	const char *p = buf;
	if (*p == '-') {
		g_string_append_c(out, '-');
		p++;
	}
	char digits[32];
	size_t nd = 0;
	for (; *p && *p != 'e'; p++)
		if (g_ascii_isdigit(*p) && nd < sizeof digits - 1)
			digits[nd++] = *p;
	digits[nd] = '\0';
	while (nd > 1 && digits[nd - 1] == '0')
		digits[--nd] = '\0';
	int exp = *p == 'e' ? (int)strtol(p + 1, NULL, 10) : 0;
	if (exp >= -4 && exp < 16) {
		if (exp < 0) {
			g_string_append(out, "0.");
			for (int i = -1; i > exp; i--)
				g_string_append_c(out, '0');
			g_string_append(out, digits);
		} else {
			for (int i = 0; i <= exp; i++)
				g_string_append_c(out, (size_t)i < nd ? digits[i] : '0');
			g_string_append_c(out, '.');
			g_string_append(out, (size_t)exp + 1 < nd ? digits + exp + 1 : "0");
		}
	} else {
		g_string_append_c(out, digits[0]);
		if (nd > 1)
			g_string_append_printf(out, ".%s", digits + 1);
		g_string_append_printf(out, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
	}
}

/* Python's str() of a value. */
static char *str_of(const struct val *v)
{
	GString *s = g_string_new(NULL);
	switch (v->k) {
	case V_INT: g_string_append_printf(s, "%" G_GINT64_FORMAT, v->i); break;
	case V_BOOL: g_string_append(s, v->i ? "True" : "False"); break;
	case V_FLOAT: float_repr(s, v->f); break;
	case V_STR: g_string_append(s, v->s); break;
	}
	return g_string_free(s, FALSE);
}

static enum flow eval(struct eval *ev, const struct node *e, struct val *out);

static enum flow type_error(struct eval *ev, const char *op, const struct val *a, const struct val *b)
{
	return raise_exc(ev, g_strdup_printf("TypeError: unsupported operand type(s) for %s: '%s' and '%s'", op,
	                                     type_name(a), type_name(b)));
}

/* floor division and modulo of integers, Python's way (the quotient
 * rounded down, the remainder with the divisor's sign) */
static enum flow int_divmod(struct eval *ev, int64_t a, int64_t b, bool want_mod, int64_t *r)
{
	if (b == 0)
		return raise_exc(ev, g_strdup(want_mod ? "ZeroDivisionError: integer modulo by zero" :
		                                         "ZeroDivisionError: integer division or modulo by zero"));
	if (a == INT64_MIN && b == -1) {
		if (want_mod) {
			*r = 0;
			return FLOW_OK;
		}
		return beyond_64_bits(ev);
	}
	int64_t q = a / b, m = a % b;
	if (m != 0 && ((m < 0) != (b < 0))) {
		q--;
		m += b;
	}
	*r = want_mod ? m : q;
	return FLOW_OK;
}

static enum flow int_pow(struct eval *ev, int64_t a, int64_t b, struct val *out)
{
	if (b < 0) {
		if (a == 0)
			return raise_exc(ev, g_strdup("ZeroDivisionError: 0.0 cannot be raised to a negative power"));
		*out = float_val(pow((double)a, (double)b));
		return FLOW_OK;
	}
	int64_t r = 1, base = a;
	while (b > 0) {
		if ((b & 1) && __builtin_mul_overflow(r, base, &r))
			return beyond_64_bits(ev);
		b >>= 1;
		if (b > 0 && __builtin_mul_overflow(base, base, &base))
			return beyond_64_bits(ev);
	}
	*out = int_val(r);
	return FLOW_OK;
}

/* CPython's float_divmod(): the remainder with the divisor's sign, the
 * quotient rounded down and snapped to the nearest whole number. */
static double float_divmod(double a, double b, bool want_mod)
{
	double mod = fmod(a, b);
	double div = (a - mod) / b;
	if (mod != 0.0) {
		if ((b < 0) != (mod < 0)) {
			mod += b;
			div -= 1.0;
		}
	} else {
		mod = copysign(0.0, b);
	}
	if (want_mod)
		return mod;
	if (div == 0.0)
		return copysign(0.0, a / b);
	double floordiv = floor(div);
	if (div - floordiv > 0.5)
		floordiv += 1.0;
	return floordiv;
}

static enum flow float_arith(struct eval *ev, const char *op, double a, double b, struct val *out)
{
	if (strcmp(op, "+") == 0) {
		*out = float_val(a + b);
	} else if (strcmp(op, "-") == 0) {
		*out = float_val(a - b);
	} else if (strcmp(op, "*") == 0) {
		*out = float_val(a * b);
	} else if (strcmp(op, "**") == 0) {
		if (a == 0.0 && b < 0)
			return raise_exc(ev, g_strdup("ZeroDivisionError: 0.0 cannot be raised to a negative power"));
		if (a < 0 && b != floor(b)) {
			ev->exc = g_strdup("python: a complex number (a negative number to a fractional power)");
			return FLOW_UNSUPPORTED;
		}
		*out = float_val(pow(a, b));
	} else if (b == 0.0) {
		return raise_exc(ev, g_strdup(strcmp(op, "/") == 0 ? "ZeroDivisionError: float division by zero" :
		                              strcmp(op, "//") == 0 ? "ZeroDivisionError: float floor division by zero" :
		                                                      "ZeroDivisionError: float modulo"));
	} else if (strcmp(op, "/") == 0) {
		*out = float_val(a / b);
	} else {
		*out = float_val(float_divmod(a, b, strcmp(op, "%") == 0));
	}
	return FLOW_OK;
}

static enum flow int_arith(struct eval *ev, const char *op, int64_t a, int64_t b, struct val *out)
{
	int64_t r = 0;
	bool over = false;
	if (strcmp(op, "+") == 0)
		over = __builtin_add_overflow(a, b, &r);
	else if (strcmp(op, "-") == 0)
		over = __builtin_sub_overflow(a, b, &r);
	else if (strcmp(op, "*") == 0)
		over = __builtin_mul_overflow(a, b, &r);
	else if (strcmp(op, "**") == 0)
		return int_pow(ev, a, b, out);
	else if (strcmp(op, "/") == 0) {
		if (b == 0)
			return raise_exc(ev, g_strdup("ZeroDivisionError: division by zero"));
		*out = float_val((double)a / (double)b);
		return FLOW_OK;
	} else {
		enum flow f = int_divmod(ev, a, b, strcmp(op, "%") == 0, &r);
		if (f != FLOW_OK)
			return f;
	}
	if (over)
		return beyond_64_bits(ev);
	*out = int_val(r);
	return FLOW_OK;
}

static enum flow bit_op(struct eval *ev, const char *op, const struct val *a, const struct val *b,
                        struct val *out)
{
	if (a->k == V_FLOAT || b->k == V_FLOAT)
		return type_error(ev, op, a, b);
	int64_t x = a->i, y = b->i, r;
	bool both_bool = a->k == V_BOOL && b->k == V_BOOL;
	switch (op[0]) {
	case '&': r = x & y; break;
	case '|': r = x | y; break;
	case '^': r = x ^ y; break;
	default: /* << >> */
		if (y < 0)
			return raise_exc(ev, g_strdup("ValueError: negative shift count"));
		if (op[0] == '>') {
			r = y >= 63 ? (x < 0 ? -1 : 0) : x >> y;
		} else {
			if (x != 0 && (y >= 63 || (x > 0 ? x > (INT64_MAX >> y) : x < (INT64_MIN >> y))))
				return beyond_64_bits(ev);
			r = (int64_t)((uint64_t)x << y);
		}
		*out = int_val(r);
		return FLOW_OK;
	}
	*out = both_bool ? bool_val(r != 0) : int_val(r);
	return FLOW_OK;
}

static enum flow eval_binary(struct eval *ev, const struct node *e, struct val *out)
{
	struct val a, b;
	enum flow f = eval(ev, e->kids[0], &a);
	if (f == FLOW_OK)
		f = eval(ev, e->kids[1], &b);
	if (f != FLOW_OK)
		return f;
	if (strchr("&|^", e->op[0]) || strcmp(e->op, "<<") == 0 || strcmp(e->op, ">>") == 0)
		return bit_op(ev, e->op, &a, &b, out);
	if (a.k == V_FLOAT || b.k == V_FLOAT)
		return float_arith(ev, e->op, as_float(&a), as_float(&b), out);
	return int_arith(ev, e->op, a.i, b.i, out);
}

static enum flow eval_unary(struct eval *ev, const struct node *e, struct val *out)
{
	struct val x;
	enum flow f = eval(ev, e->kids[0], &x);
	if (f != FLOW_OK)
		return f;
	if (x.k == V_FLOAT) {
		if (e->op[0] == '~')
			return raise_exc(ev, g_strdup("TypeError: bad operand type for unary ~: 'float'"));
		*out = float_val(e->op[0] == '-' ? -x.f : x.f);
		return FLOW_OK;
	}
	if (e->op[0] == '-' && x.i == INT64_MIN)
		return beyond_64_bits(ev);
	*out = int_val(e->op[0] == '-' ? -x.i : e->op[0] == '~' ? ~x.i : x.i);
	return FLOW_OK;
}

static int compare(const struct val *a, const struct val *b)
{
	if (a->k == V_FLOAT || b->k == V_FLOAT) {
		double x = as_float(a), y = as_float(b);
		return x < y ? -1 : x > y ? 1 : x == y ? 0 : 2; /* 2: unordered (nan) */
	}
	return a->i < b->i ? -1 : a->i > b->i ? 1 : 0;
}

static bool compare_holds(const char *op, int c)
{
	if (c == 2)
		return strcmp(op, "!=") == 0;
	if (strcmp(op, "<") == 0) return c < 0;
	if (strcmp(op, "<=") == 0) return c <= 0;
	if (strcmp(op, ">") == 0) return c > 0;
	if (strcmp(op, ">=") == 0) return c >= 0;
	if (strcmp(op, "==") == 0) return c == 0;
	return c != 0;
}

static enum flow eval_compare(struct eval *ev, const struct node *e, struct val *out)
{
	struct val a, b;
	enum flow f = eval(ev, e->kids[0], &a);
	for (uint32_t i = 1; f == FLOW_OK && i < e->n; i++) {
		f = eval(ev, e->kids[i], &b);
		if (f != FLOW_OK)
			return f;
		if (!compare_holds(e->ops[i - 1], compare(&a, &b))) {
			*out = bool_val(false);
			return FLOW_OK;
		}
		a = b;
	}
	if (f == FLOW_OK)
		*out = bool_val(true);
	return f;
}

static enum flow eval_call(struct eval *ev, const struct node *e, struct val *out)
{
	struct val best, x;
	enum flow f = eval(ev, e->kids[0], &best);
	if (f != FLOW_OK)
		return f;
	if (strcmp(e->op, "abs") == 0) {
		if (best.k == V_FLOAT)
			*out = float_val(fabs(best.f));
		else if (best.i == INT64_MIN)
			return beyond_64_bits(ev);
		else
			*out = int_val(best.i < 0 ? -best.i : best.i);
		return FLOW_OK;
	}
	bool want_max = strcmp(e->op, "max") == 0;
	for (uint32_t i = 1; i < e->n; i++) {
		f = eval(ev, e->kids[i], &x);
		if (f != FLOW_OK)
			return f;
		int c = compare(&x, &best);
		if (c != 2 && (want_max ? c > 0 : c < 0))
			best = x;
	}
	*out = best;
	return FLOW_OK;
}

static int64_t field(const struct eval *ev, size_t off)
{
	return *(const int64_t *)(const void *)((const char *)ev->t + off);
}

static enum flow eval(struct eval *ev, const struct node *e, struct val *out)
{
	struct val x;
	enum flow f;
	switch (e->kind) {
	case N_INT: *out = int_val(e->i); return FLOW_OK;
	case N_BOOL: *out = bool_val(e->i != 0); return FLOW_OK;
	case N_FLOAT: *out = float_val(e->f); return FLOW_OK;
	case N_STR: *out = (struct val){.k = V_STR, .s = e->s}; return FLOW_OK;
	case N_FIELD: *out = int_val(field(ev, e->off)); return FLOW_OK;
	case N_STATE:
		*out = int_val(ev->os == PKT_OS_FREEBSD ? freebsd_state(ev->t->state) : ev->t->state);
		return FLOW_OK;
	case N_UNARY: return eval_unary(ev, e, out);
	case N_NOT:
		f = eval(ev, e->kids[0], &x);
		if (f == FLOW_OK)
			*out = bool_val(!truthy(&x));
		return f;
	case N_AND:
	case N_OR:
		f = eval(ev, e->kids[0], out);
		if (f != FLOW_OK || truthy(out) == (e->kind == N_OR))
			return f;
		return eval(ev, e->kids[1], out);
	case N_BINARY: return eval_binary(ev, e, out);
	case N_COMPARE: return eval_compare(ev, e, out);
	case N_CALL: return eval_call(ev, e, out);
	}
	return FLOW_OK;
}

static enum flow run_stmt(struct eval *ev, const struct stmt *st)
{
	struct val v;
	enum flow f = FLOW_OK;
	switch (st->kind) {
	case S_PASS: return FLOW_OK;
	case S_EXPR: return eval(ev, st->args[0], &v);
	case S_PRINT: /* its output is no part of the verdict; its errors are */
		for (uint32_t i = 0; f == FLOW_OK && i < st->n_args; i++)
			f = eval(ev, st->args[i], &v);
		return f;
	case S_ASSERT:
		f = eval(ev, st->args[0], &v);
		if (f != FLOW_OK || truthy(&v))
			return f;
		if (st->n_args < 2)
			return raise_exc(ev, g_strdup("AssertionError"));
		f = eval(ev, st->args[1], &v); /* the message is evaluated only when the test fails */
		if (f != FLOW_OK)
			return f;
		char *m = str_of(&v);
		char *text = *m ? g_strdup_printf("AssertionError: %s", m) : g_strdup("AssertionError");
		g_free(m);
		return raise_exc(ev, text);
	}
	return f;
}

enum pkt_py_outcome pkt_py_run(const struct pkt_py *p, const struct app_tcp_info *t, uint32_t *line,
                               char **message)
{
	struct eval ev = {.t = t, .os = p->os};
	*message = NULL;
	*line = 0;
	for (uint32_t i = 0; i < p->n; i++) {
		enum flow f = run_stmt(&ev, &p->stmts[i]);
		if (f == FLOW_OK)
			continue;
		*line = p->stmts[i].line;
		if (f == FLOW_UNSUPPORTED) {
			*message = ev.exc;
			return PKT_PY_UNSUPPORTED;
		}
		*message = g_strdup_printf("    %s\n%s", p->stmts[i].text, ev.exc);
		g_free(ev.exc);
		return PKT_PY_RAISED;
	}
	return PKT_PY_OK;
}
