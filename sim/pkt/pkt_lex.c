/*
 * The scanner of packetdrill scripts: the tokens of packetdrill's lexer.l,
 * cut the same way (longest match), by hand.
 *
 *   blanks and newlines            skipped (the grammar has no line ends)
 *   // to the end of the line, and / * ... * /     skipped
 *   #ifdef NAME, #ifndef NAME, #else, #endif   at the start of a line:
 *                                  the lines of an unselected branch are
 *                                  skipped unread (as cpp does)
 *   --name, --name=value           a header option; the value runs to the
 *                                  next blank ("--local_ip=fd3d::1") or is
 *                                  a "string"
 *   ...                            the ellipsis
 *   -?[0-9]+  0x[0-9a-fA-F]+  -?[0-9]*.[0-9]+  a.b.c.d     numbers, IPv4
 *   [A-Za-z0-9_]+                  a word (so "10abc" is a word, as in flex)
 *   "..."  `...`                   a string, a shell command; a backslash
 *                                  escapes the next byte; kept as written
 *                                  (packetdrill does not decode them)
 *   %{ ... }%                      a code block, blanks trimmed at both ends
 *   any other byte                 punctuation
 *
 * Invariants: pos never passes len; `line` is the line of src[pos]; a
 * NUL byte is an error (every text the tree keeps is a C string).
 */
#include "sim/pkt/pkt_int.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include "sim/escape.h"

#define QUOTE_MAX 40 /* bytes of a token quoted in a message */

void pkt_lex_init(struct pkt_lex *lx, const char *path, const char *text, size_t len,
                  const char *const *defined)
{
	memset(lx, 0, sizeof *lx);
	lx->path = path;
	lx->src = text ? text : "";
	lx->len = text ? len : 0;
	lx->line = 1;
	lx->line_start = true;
	lx->defined = defined;
	lx->prev_line = 1;
	const char *nul = memchr(lx->src, 0, lx->len);
	if (nul) { /* every text of the tree is a C string */
		uint32_t line = 1;
		for (const char *c = lx->src; c < nul; c++)
			line += *c == '\n';
		pkt_fail(lx, line, "a NUL byte in the script");
	}
	pkt_lex_next(lx);
}

static void tok_clear(struct pkt_tok *t)
{
	g_free(t->text);
	g_free(t->opt_value);
	memset(t, 0, sizeof *t);
}

void pkt_lex_free(struct pkt_lex *lx)
{
	tok_clear(&lx->tok);
	g_free(lx->err);
	lx->err = NULL;
}

char *pkt_lex_steal_text(struct pkt_lex *lx)
{
	char *t = lx->tok.text;

	lx->tok.text = NULL;
	return t;
}

char *pkt_tok_raw(const struct pkt_lex *lx)
{
	return g_strndup(lx->src + lx->tok.start, lx->tok.len);
}

/* ---- errors ---- */

bool pkt_fail(struct pkt_lex *lx, uint32_t line, const char *fmt, ...)
{
	va_list ap;

	if (lx->failed)
		return false;
	va_start(ap, fmt);
	char *why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	char *msg = g_strdup_printf("%s:%u: syntax error: %s", lx->path, line, why);
	lx->err = escape_text(msg); /* the path and the quoted words may hold anything */
	lx->failed = true;
	g_free(msg);
	g_free(why);
	tok_clear(&lx->tok); /* from now on: the end of the text */
	lx->tok.line = line;
	return false;
}

/* The current token for a message: "'word'", "end of file", "a string". */
static char *tok_describe(const struct pkt_lex *lx)
{
	const struct pkt_tok *t = &lx->tok;

	switch (t->kind) {
	case PKT_T_EOF: return g_strdup("the end of the file");
	case PKT_T_STRING: return g_strdup("a string");
	case PKT_T_COMMAND: return g_strdup("a command in backticks");
	case PKT_T_CODE: return g_strdup("a %{ }% code block");
	case PKT_T_OPTION:
	case PKT_T_WORD:
	case PKT_T_INT:
	case PKT_T_HEX:
	case PKT_T_FLOAT:
	case PKT_T_IPV4:
	case PKT_T_ELLIPSIS:
	case PKT_T_PUNCT: break;
	}
	GString *s = g_string_new("'");
	size_t n = MIN(t->len, (size_t)QUOTE_MAX);
	escape_append(s, lx->src + t->start, (gssize)n);
	g_string_append(s, n < t->len ? "...'" : "'");
	return g_string_free(s, FALSE);
}

bool pkt_expected_at(struct pkt_lex *lx, uint32_t line, const char *what)
{
	if (lx->failed)
		return false;
	char *found = tok_describe(lx);
	pkt_fail(lx, line, "expected %s, found %s", what, found);
	g_free(found);
	return false;
}

bool pkt_expected(struct pkt_lex *lx, const char *what)
{
	return pkt_expected_at(lx, lx->tok.line, what);
}

/* ---- helpers of the parser ---- */

bool pkt_is_punct(const struct pkt_lex *lx, char c)
{
	return lx->tok.kind == PKT_T_PUNCT && lx->tok.punct == c;
}

bool pkt_is_word(const struct pkt_lex *lx, const char *word)
{
	return lx->tok.kind == PKT_T_WORD && lx->tok.len == strlen(word) &&
	       memcmp(lx->src + lx->tok.start, word, lx->tok.len) == 0;
}

bool pkt_accept(struct pkt_lex *lx, char c)
{
	if (!pkt_is_punct(lx, c))
		return false;
	pkt_lex_next(lx);
	return true;
}

bool pkt_expect(struct pkt_lex *lx, char c, const char *what)
{
	return pkt_accept(lx, c) || pkt_expected(lx, what);
}

bool pkt_expect_uint(struct pkt_lex *lx, uint64_t max, const char *what, uint32_t *out)
{
	const struct pkt_tok *t = &lx->tok;

	if (t->kind != PKT_T_INT)
		return pkt_expected(lx, what);
	if (t->too_big || t->value < 0 || (uint64_t)t->value > max) {
		char *raw = tok_describe(lx);
		pkt_fail(lx, t->line, "%s out of range: %s (0 to %" G_GUINT64_FORMAT ")", what, raw, max);
		g_free(raw);
		return false;
	}
	*out = (uint32_t)t->value;
	pkt_lex_next(lx);
	return true;
}

/* ---- bytes ---- */

static int peek_at(const struct pkt_lex *lx, size_t ahead)
{
	return lx->pos + ahead < lx->len ? (unsigned char)lx->src[lx->pos + ahead] : -1;
}

static bool starts_with(const struct pkt_lex *lx, const char *s)
{
	size_t n = strlen(s);
	return lx->len - lx->pos >= n && memcmp(lx->src + lx->pos, s, n) == 0;
}

static void advance(struct pkt_lex *lx)
{
	if (lx->src[lx->pos] == '\n') {
		lx->line++;
		lx->line_start = true;
	}
	lx->pos++;
}

static bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_word_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static void skip_to_line_end(struct pkt_lex *lx)
{
	while (lx->pos < lx->len && lx->src[lx->pos] != '\n')
		lx->pos++;
}

/* ---- #ifdef ---- */

static bool is_defined(const struct pkt_lex *lx, const char *name, size_t n)
{
	for (const char *const *d = lx->defined; d && *d; d++)
		if (strlen(*d) == n && memcmp(*d, name, n) == 0)
			return true;
	return false;
}

static bool lines_kept(const struct pkt_lex *lx)
{
	if (lx->n_conds == 0)
		return true;
	const struct pkt_cond *c = &lx->conds[lx->n_conds - 1];
	return c->parent_active && (c->in_else ? !c->cond : c->cond);
}

/* Reads [A-Za-z0-9_]+ at pos; returns its length. */
static size_t read_name(struct pkt_lex *lx, const char **name)
{
	*name = lx->src + lx->pos;
	size_t start = lx->pos;
	while (lx->pos < lx->len && is_word_char(peek_at(lx, 0)))
		lx->pos++;
	return lx->pos - start;
}

/* After a directive: blanks and a // comment only. */
static bool directive_end(struct pkt_lex *lx, const char *directive)
{
	while (lx->pos < lx->len && is_blank(peek_at(lx, 0)))
		lx->pos++;
	if (lx->pos >= lx->len || peek_at(lx, 0) == '\n' || starts_with(lx, "//")) {
		skip_to_line_end(lx);
		return true;
	}
	return pkt_fail(lx, lx->line, "unexpected text after %s (expected the end of the line)", directive);
}

static bool directive_if(struct pkt_lex *lx, bool negate)
{
	const char *d = negate ? "#ifndef" : "#ifdef";
	const char *name;

	while (lx->pos < lx->len && is_blank(peek_at(lx, 0)))
		lx->pos++;
	size_t n = read_name(lx, &name);
	if (n == 0)
		return pkt_fail(lx, lx->line, "expected a name after %s", d);
	if (lx->n_conds == PKT_MAX_COND_DEPTH)
		return pkt_fail(lx, lx->line, "#ifdef blocks nested more than %d deep", PKT_MAX_COND_DEPTH);
	struct pkt_cond c = { lx->line, lines_kept(lx), is_defined(lx, name, n) != negate, false };
	lx->conds[lx->n_conds++] = c;
	return directive_end(lx, d);
}

/* One directive line, from its '#'. */
static bool directive(struct pkt_lex *lx)
{
	const char *word;

	lx->pos++; /* '#' */
	size_t n = read_name(lx, &word);
	if (n == 5 && memcmp(word, "ifdef", 5) == 0)
		return directive_if(lx, false);
	if (n == 6 && memcmp(word, "ifndef", 6) == 0)
		return directive_if(lx, true);
	if (n == 4 && memcmp(word, "else", 4) == 0) {
		if (lx->n_conds == 0)
			return pkt_fail(lx, lx->line, "#else without #ifdef or #ifndef");
		struct pkt_cond *c = &lx->conds[lx->n_conds - 1];
		if (c->in_else)
			return pkt_fail(lx, lx->line, "a second #else for the #ifdef of line %u", c->line);
		c->in_else = true;
		return directive_end(lx, "#else");
	}
	if (n == 5 && memcmp(word, "endif", 5) == 0) {
		if (lx->n_conds == 0)
			return pkt_fail(lx, lx->line, "#endif without #ifdef or #ifndef");
		lx->n_conds--;
		return directive_end(lx, "#endif");
	}
	return pkt_fail(lx, lx->line, "unknown directive (expected #ifdef, #ifndef, #else or #endif)");
}

/* Skips the lines of an unselected branch, up to a directive line (left
 * at its '#') or the end of the text. */
static void skip_branch(struct pkt_lex *lx)
{
	while (lx->pos < lx->len) {
		size_t p = lx->pos;
		while (p < lx->len && is_blank((unsigned char)lx->src[p]))
			p++;
		if (p < lx->len && lx->src[p] == '#') {
			lx->pos = p;
			return;
		}
		skip_to_line_end(lx);
		if (lx->pos < lx->len)
			advance(lx); /* the newline */
	}
}

/* ---- blanks and comments ---- */

static bool skip_c_comment(struct pkt_lex *lx)
{
	uint32_t line = lx->line;

	lx->pos += 2;
	while (lx->pos < lx->len && !starts_with(lx, "*/"))
		advance(lx);
	if (lx->pos >= lx->len)
		return pkt_fail(lx, line, "unterminated comment (expected '*/')");
	lx->pos += 2;
	return true;
}

/* Skips what is not a token; false on an error. */
static bool skip_space(struct pkt_lex *lx)
{
	while (lx->pos < lx->len && !lx->failed) {
		int c = peek_at(lx, 0);
		if (c == '\n' || is_blank(c)) {
			advance(lx);
		} else if (starts_with(lx, "//")) {
			skip_to_line_end(lx);
		} else if (starts_with(lx, "/*")) {
			lx->line_start = false;
			skip_c_comment(lx);
		} else if (c == '#' && lx->line_start) {
			if (directive(lx) && !lines_kept(lx))
				skip_branch(lx);
		} else {
			break;
		}
	}
	if (!lx->failed && lx->pos >= lx->len && lx->n_conds > 0)
		pkt_fail(lx, lx->conds[lx->n_conds - 1].line, "this #ifdef or #ifndef has no #endif");
	return !lx->failed;
}

/* ---- tokens ---- */

/* "..." or `...` from its opening quote; the body as written. */
static bool read_quoted(struct pkt_lex *lx, char quote)
{
	uint32_t line = lx->line;
	size_t body = ++lx->pos;

	while (lx->pos < lx->len && peek_at(lx, 0) != quote) {
		if (peek_at(lx, 0) == '\\' && lx->pos + 1 < lx->len)
			advance(lx);
		advance(lx);
	}
	if (lx->pos >= lx->len)
		return pkt_fail(lx, line, quote == '"' ? "unterminated string (expected a closing '\"')"
		                                       : "unterminated command (expected a closing '`')");
	lx->tok.kind = quote == '"' ? PKT_T_STRING : PKT_T_COMMAND;
	lx->tok.text = g_strndup(lx->src + body, lx->pos - body);
	lx->pos++;
	return true;
}

/* %{ ... }%: the code with the blanks at both ends trimmed (packetdrill
 * does, for Python's sake). */
static bool read_code(struct pkt_lex *lx)
{
	uint32_t line = lx->line;
	size_t body, end;

	lx->pos += 2;
	body = lx->pos;
	while (lx->pos < lx->len && !starts_with(lx, "}%"))
		advance(lx);
	if (lx->pos >= lx->len)
		return pkt_fail(lx, line, "unterminated code block (expected '}%%')");
	end = lx->pos;
	lx->pos += 2;
	while (body < end && (lx->src[body] == ' ' || lx->src[body] == '\t'))
		body++;
	while (end > body && (lx->src[end - 1] == ' ' || lx->src[end - 1] == '\t'))
		end--;
	lx->tok.kind = PKT_T_CODE;
	lx->tok.text = g_strndup(lx->src + body, end - body);
	return true;
}

/* --name[=value] */
static bool read_option(struct pkt_lex *lx)
{
	const char *name;

	lx->pos += 2;
	size_t n = read_name(lx, &name);
	if (n == 0)
		return pkt_fail(lx, lx->line, "expected an option name after '--'");
	lx->tok.kind = PKT_T_OPTION;
	lx->tok.text = g_strndup(name, n);
	if (peek_at(lx, 0) != '=')
		return true;
	lx->pos++;
	if (peek_at(lx, 0) == '"') {
		char *option = lx->tok.text;
		lx->tok.text = NULL;
		if (!read_quoted(lx, '"')) {
			g_free(option);
			return false;
		}
		lx->tok.kind = PKT_T_OPTION;
		lx->tok.opt_value = lx->tok.text;
		lx->tok.text = option;
		return true;
	}
	size_t v = lx->pos;
	while (lx->pos < lx->len && peek_at(lx, 0) != '\n' && !is_blank(peek_at(lx, 0)))
		lx->pos++;
	lx->tok.opt_value = g_strndup(lx->src + v, lx->pos - v);
	return true;
}

/* Digits at p; returns the index past them. */
static size_t digits_end(const struct pkt_lex *lx, size_t p)
{
	while (p < lx->len && is_digit((unsigned char)lx->src[p]))
		p++;
	return p;
}

/* a.b.c.d from p (digits first), or 0. */
static size_t ipv4_end(const struct pkt_lex *lx, size_t p)
{
	for (int i = 0; i < 4; i++) {
		size_t e = digits_end(lx, p);
		if (e == p)
			return 0;
		p = e;
		if (i < 3) {
			if (p >= lx->len || lx->src[p] != '.')
				return 0;
			p++;
		}
	}
	return p;
}

static void set_int(struct pkt_lex *lx, const char *s, size_t n, unsigned base)
{
	char *copy = g_strndup(s, n), *end;
	guint64 v;
	bool neg = copy[0] == '-';

	errno = 0;
	v = g_ascii_strtoull(copy + (neg ? 1 : 0) + (base == 16 ? 2 : 0), &end, base);
	lx->tok.too_big = errno == ERANGE || v > (guint64)INT64_MAX;
	lx->tok.value = neg ? -(int64_t)v : (int64_t)v;
	g_free(copy);
}

/* A token that starts with a digit, '-' then a digit, or '.' then a digit. */
static void read_number(struct pkt_lex *lx)
{
	size_t start = lx->pos, p = start;
	bool neg = lx->src[p] == '-';

	if (neg)
		p++;
	if (!neg && is_digit((unsigned char)lx->src[p])) {
		size_t w = p;
		while (w < lx->len && is_word_char((unsigned char)lx->src[w]))
			w++;
		size_t d = digits_end(lx, p);
		if (w > d) { /* letters follow: hex, or a word ("abc", "10abc") */
			bool hex = w - p > 2 && lx->src[p] == '0' && lx->src[p + 1] == 'x';
			for (size_t i = p + 2; hex && i < w; i++)
				hex = g_ascii_isxdigit(lx->src[i]);
			lx->tok.kind = hex ? PKT_T_HEX : PKT_T_WORD;
			if (hex)
				set_int(lx, lx->src + p, w - p, 16);
			lx->pos = w;
			return;
		}
		size_t ip = ipv4_end(lx, p);
		if (ip) {
			lx->tok.kind = PKT_T_IPV4;
			lx->pos = ip;
			return;
		}
	}
	p = digits_end(lx, p);
	if (p + 1 < lx->len && lx->src[p] == '.' && is_digit((unsigned char)lx->src[p + 1])) {
		lx->tok.kind = PKT_T_FLOAT;
		lx->pos = digits_end(lx, p + 1);
		return;
	}
	lx->tok.kind = PKT_T_INT;
	set_int(lx, lx->src + start, p - start, 10);
	lx->pos = p;
}

static bool starts_number(const struct pkt_lex *lx)
{
	int c = peek_at(lx, 0), c1 = peek_at(lx, 1), c2 = peek_at(lx, 2);

	if (is_digit(c))
		return true;
	if (c == '.')
		return is_digit(c1);
	return c == '-' && (is_digit(c1) || (c1 == '.' && is_digit(c2)));
}

static bool read_token(struct pkt_lex *lx)
{
	int c = peek_at(lx, 0);

	if (starts_with(lx, "..."))
		lx->tok.kind = PKT_T_ELLIPSIS, lx->pos += 3;
	else if (starts_with(lx, "--") && is_word_char(peek_at(lx, 2)))
		return read_option(lx);
	else if (starts_with(lx, "%{"))
		return read_code(lx);
	else if (c == '"' || c == '`')
		return read_quoted(lx, (char)c);
	else if (starts_number(lx))
		read_number(lx);
	else if (is_word_char(c)) {
		const char *w;
		read_name(lx, &w);
		lx->tok.kind = PKT_T_WORD;
	} else {
		lx->tok.kind = PKT_T_PUNCT;
		lx->tok.punct = (char)c;
		lx->pos++;
	}
	return true;
}

void pkt_lex_next(struct pkt_lex *lx)
{
	lx->prev_line = lx->tok.line ? lx->tok.line : lx->line;
	tok_clear(&lx->tok);
	lx->tok.line = lx->line;
	if (lx->failed || !skip_space(lx))
		return;
	lx->tok.line = lx->line;
	lx->tok.start = lx->pos;
	if (lx->pos >= lx->len) {
		lx->tok.kind = PKT_T_EOF;
		return;
	}
	lx->line_start = false;
	if (!read_token(lx))
		return;
	lx->tok.len = lx->pos - lx->tok.start;
}
