/*
 * The script scanner: positions, blanks, the tokens of the C form, and
 * "strings" with C escapes (both forms).
 *
 * Model.  The parser peeks a token, decides, then takes it.  Peeking takes
 * the blanks before the token, so a position saved after a peek is always
 * at a token.  A newline is a token (it ends a statement) except inside
 * the brackets of an expression, where a call or a list may go on over
 * lines; the scanner counts lines as it passes them.  A string ends on its
 * line: a newline in a script always ends a statement.
 *
 * Columns are 1-based byte columns in their line.
 */
#include "sim/config/script_int.h"

#include <string.h>

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

struct sp_at lex_here(const struct script_parser *p)
{
	return (struct sp_at){ p->at.line, (uint32_t)(p->at.pos - p->at.line_start + 1) };
}

/* The place of byte `pos` of the current line. */
static struct sp_at at_of(const struct script_parser *p, size_t pos)
{
	return (struct sp_at){ p->at.line, (uint32_t)(pos - p->at.line_start + 1) };
}

static void pass_newline(struct script_parser *p)
{
	p->at.pos++;
	p->at.line++;
	p->at.line_start = p->at.pos;
}

char lex_skip_spaces(struct script_parser *p)
{
	while (is_space(p->text[p->at.pos]))
		p->at.pos++;
	return p->text[p->at.pos];
}

static void skip_blanks(struct script_parser *p, bool newlines)
{
	for (;;) {
		char ch = lex_skip_spaces(p);
		if (ch != '\n' || !newlines)
			return;
		pass_newline(p);
	}
}

static bool is_name_start(char ch)
{
	return g_ascii_isalpha(ch) || ch == '_';
}

static bool is_word_char(char ch)
{
	return g_ascii_isalnum(ch) || ch == '_' || ch == '.' || ch == ':';
}

/* The operator at s, longest first; its length, 0 if none. */
static size_t scan_punct(const char *s, char out[3])
{
	static const char *const two[] = { "==", "!=", "<=", ">=", "||", "&&" };
	static const char one[] = "(){}[],;.=<>|&+-!";

	for (size_t i = 0; i < G_N_ELEMENTS(two); i++)
		if (s[0] == two[i][0] && s[1] == two[i][1]) {
			memcpy(out, two[i], 3);
			return 2;
		}
	if (s[0] == '\0' || !strchr(one, s[0]))
		return 0;
	out[0] = s[0];
	out[1] = '\0';
	return 1;
}

void lex_peek(struct script_parser *p, struct tok *t)
{
	skip_blanks(p, p->nest > 0);
	const char *s = p->text;
	size_t i = p->at.pos, n;

	*t = (struct tok){ .start = i, .end = i + 1, .at = lex_here(p) };
	if (s[i] == '\0') {
		t->kind = TK_END;
		t->end = i;
	} else if (s[i] == '\n') {
		t->kind = TK_NEWLINE;
	} else if (s[i] == '"') {
		t->kind = TK_STRING; /* its end is found by lex_string */
	} else if (is_name_start(s[i])) {
		t->kind = TK_NAME;
		while (g_ascii_isalnum(s[t->end]) || s[t->end] == '_')
			t->end++;
	} else if (g_ascii_isdigit(s[i]) || (s[i] == '*' && s[i + 1] == ':')) {
		t->kind = TK_WORD;
		while (is_word_char(s[t->end]))
			t->end++;
	} else if ((n = scan_punct(s + i, t->punct)) > 0) {
		t->kind = TK_PUNCT;
		t->end = i + n;
	} else {
		t->kind = TK_BAD;
	}
}

void lex_take(struct script_parser *p, const struct tok *t)
{
	if (t->kind == TK_NEWLINE)
		pass_newline(p);
	else
		p->at.pos = t->end;
}

bool tok_is(const struct tok *t, const char *punct)
{
	return t->kind == TK_PUNCT && strcmp(t->punct, punct) == 0;
}

bool tok_is_name(const struct script_parser *p, const struct tok *t, const char *name)
{
	size_t n = strlen(name);
	return t->kind == TK_NAME && t->end - t->start == n && memcmp(p->text + t->start, name, n) == 0;
}

char *tok_text(const struct script_parser *p, const struct tok *t)
{
	return g_strndup(p->text + t->start, t->end - t->start);
}

/* What a message calls the token: "'x'", "a string", "the end of the line". */
static char *tok_describe(const struct script_parser *p, const struct tok *t)
{
	switch (t->kind) {
	case TK_END:
		return g_strdup("the end of the script");
	case TK_NEWLINE:
		return g_strdup("the end of the line");
	case TK_STRING:
		return g_strdup("a string");
	case TK_BAD:
		if ((unsigned char)p->text[t->start] < 0x20 || (unsigned char)p->text[t->start] >= 0x7f)
			return g_strdup_printf("byte 0x%02x", (unsigned char)p->text[t->start]);
		return g_strdup_printf("'%c'", p->text[t->start]);
	case TK_NAME:
	case TK_WORD:
	case TK_PUNCT:
		break;
	}
	char *text = tok_text(p, t);
	char *shown = g_strdup_printf("'%s'", text);
	g_free(text);
	return shown;
}

bool lex_unexpected(struct script_parser *p, const struct tok *t, const char *what)
{
	char *found = tok_describe(p, t);
	sp_fail(p, t->at, "expected %s, found %s", what, found);
	g_free(found);
	return false;
}

bool lex_expect(struct script_parser *p, const char *punct, const char *what)
{
	struct tok t;

	lex_peek(p, &t);
	if (!tok_is(&t, punct))
		return lex_unexpected(p, &t, what);
	lex_take(p, &t);
	return true;
}

char lex_after(const struct script_parser *p, const struct tok *t)
{
	size_t i = t->end;

	while (is_space(p->text[i]))
		i++;
	return p->text[i];
}

/* ---- strings ---- */

/* Decodes \ooo (one to three octal digits) at the current position. */
static bool scan_octal(struct script_parser *p, struct sp_at at, uint8_t *out)
{
	unsigned value = 0, digits = 0;
	const char *s = p->text;

	while (digits < 3 && s[p->at.pos] >= '0' && s[p->at.pos] <= '7') {
		value = value * 8 + (unsigned)(s[p->at.pos++] - '0');
		digits++;
	}
	if (value > 0xff)
		return sp_fail(p, at, "bad escape: octal \\%o is more than one byte (\\377)", value);
	*out = (uint8_t)value;
	return true;
}

/* Decodes \xHH: exactly two hex digits, so "\x41B" is "AB" without doubt. */
static bool scan_hex(struct script_parser *p, struct sp_at at, uint8_t *out)
{
	const char *s = p->text + p->at.pos;
	int hi = g_ascii_xdigit_value(s[0]);
	int lo = hi < 0 ? -1 : g_ascii_xdigit_value(s[1]);

	if (hi < 0 || lo < 0)
		return sp_fail(p, at, "bad escape: \\x needs two hex digits (\\x41)");
	p->at.pos += 2;
	*out = (uint8_t)(hi * 16 + lo);
	return true;
}

/* Decodes the escape whose '\' is at the current position; a byte follows it. */
static bool scan_escape(struct script_parser *p, uint8_t *out)
{
	static const char from[] = "nrt\\\"'?abfv";
	static const char to[] = "\n\r\t\\\"'?\a\b\f\v";
	struct sp_at at = lex_here(p);
	char ch = p->text[++p->at.pos];
	const char *simple = ch ? strchr(from, ch) : NULL;

	if (simple) {
		p->at.pos++;
		*out = (uint8_t)to[simple - from];
		return true;
	}
	if (ch >= '0' && ch <= '7')
		return scan_octal(p, at, out);
	if (ch == 'x') {
		p->at.pos++;
		return scan_hex(p, at, out);
	}
	if (g_ascii_isgraph(ch))
		return sp_fail(p, at, "bad escape '\\%c' (known: \\n \\r \\t \\0 \\\\ \\\" \\xHH \\ooo)", ch);
	return sp_fail(p, at, "bad escape: '\\' before byte 0x%02x", (unsigned char)ch);
}

static bool ends_string(char ch)
{
	return ch == '\0' || ch == '\n';
}

/* The decoded bytes are never more than the bytes left on the line, which
 * bounds the buffer. */
bool lex_string(struct script_parser *p, uint8_t **data, uint32_t *len)
{
	size_t start = p->at.pos++;
	const char *s = p->text;
	uint8_t *buf = g_malloc(strcspn(s + start, "\n"));
	uint32_t n = 0;

	for (;;) {
		char ch = s[p->at.pos];
		if (ends_string(ch) || (ch == '\\' && ends_string(s[p->at.pos + 1]))) {
			g_free(buf);
			return sp_fail(p, at_of(p, start), "unterminated string");
		}
		if (ch == '"')
			break;
		if (ch != '\\') {
			buf[n++] = (uint8_t)ch;
			p->at.pos++;
		} else if (!scan_escape(p, &buf[n++])) {
			g_free(buf);
			return false;
		}
	}
	p->at.pos++;
	if (n == 0)
		g_clear_pointer(&buf, g_free);
	*data = buf;
	*len = n;
	return true;
}
