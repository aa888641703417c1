/*
 * App scripts: a hand-written scanner and a table of call parsers.
 *
 * Model.  The text is a list of calls separated by ';'; blank calls
 * (";;", a trailing ';') are skipped.  Inside a call, tokens are separated
 * by blanks and are either words (runs of anything but blanks, ';' and '"')
 * or double-quoted strings whose C escapes are decoded into exact bytes, an
 * embedded NUL included.  The first token names the call; the table below
 * gives each call its number of arguments and a small parser that reads
 * them: positional arguments, and key=value options in any order.
 *
 * Invariants.  Errors are reported left to right, the first one wins, and
 * each names the 1-based byte column of the token at fault (of the call for
 * a missing argument).  On success every call carries its defaults (backlog
 * 128, shutdown wr, ...); `data` is non-NULL exactly for send "STRING" and
 * then holds `count` >= 1 bytes.  On failure *out is empty and nothing is
 * left allocated.
 */
#include "sim/config/script.h"

#include <arpa/inet.h>
#include <glib.h>
#include <string.h>
#include "sim/config/units.h"
#include "sim/escape.h"

#define DEFAULT_BACKLOG 128
#define MAX_ARGS 2 /* no call takes more than two arguments */

struct scanner {
	const char *text; /* the whole script */
	size_t pos;       /* next byte to read */
	char **error;     /* where failures put their message (may be NULL) */
};

struct token {
	bool is_string;  /* a quoted string, else a word */
	uint32_t column; /* 1-based column of its first byte */
	char *text;      /* word: NUL-terminated copy; string: decoded bytes (owned) */
	size_t len;      /* bytes in text (a string may hold NULs) */
};

struct call_tokens {
	struct token name;           /* the call's name, always a word */
	struct token arg[MAX_ARGS];  /* its arguments, in order */
	unsigned n;                  /* number of arguments */
};

typedef bool (*call_parser)(struct scanner *s, struct call_tokens *ct, struct script_call *c);

struct call_def {
	const char *name;   /* as written in scripts */
	enum script_op op;  /* equals the entry's index */
	unsigned max_args;  /* arguments accepted */
	call_parser parse;  /* reads the arguments; NULL when there are none */
};

static bool fail(struct scanner *s, uint32_t column, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static bool fail(struct scanner *s, uint32_t column, const char *fmt, ...)
{
	va_list ap;

	if (s->error) {
		va_start(ap, fmt);
		char *msg = g_strdup_vprintf(fmt, ap);
		va_end(ap);
		char *shown = escape_text(msg); /* words of the script may hold anything */
		*s->error = g_strdup_printf("column %u: %s", column, shown);
		g_free(shown);
		g_free(msg);
	}
	return false;
}

/* A word as it may be shown in a message: control bytes become \xHH so
 * that garbage in a script never garbles the terminal. */
static char *printable(const char *word)
{
	GString *out = g_string_new(NULL);
	if (!word)
		return g_string_free(out, FALSE);

	for (const unsigned char *p = (const unsigned char *)word; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			g_string_append_printf(out, "\\x%02x", *p);
		else
			g_string_append_c(out, (char)*p);
	return g_string_free(out, FALSE);
}

/* ---- scanner ---- */

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* Skips blanks and returns the next byte, '\0' at the end. */
static char skip_blanks(struct scanner *s)
{
	while (is_blank(s->text[s->pos]))
		s->pos++;
	return s->text[s->pos];
}

static uint32_t column_of(size_t pos)
{
	return (uint32_t)(pos + 1);
}

static void scan_word(struct scanner *s, struct token *t)
{
	size_t start = s->pos;
	char ch;

	while ((ch = s->text[s->pos]) != '\0' && !is_blank(ch) && ch != ';' && ch != '"')
		s->pos++;
	*t = (struct token){ false, column_of(start), g_strndup(s->text + start, s->pos - start),
	                     s->pos - start };
}

/* Decodes \ooo (one to three octal digits) at s->pos, just after the '\'. */
static bool scan_octal(struct scanner *s, uint32_t column, uint8_t *out)
{
	unsigned value = 0, digits = 0;

	while (digits < 3 && s->text[s->pos] >= '0' && s->text[s->pos] <= '7') {
		value = value * 8 + (unsigned)(s->text[s->pos++] - '0');
		digits++;
	}
	if (value > 0xff)
		return fail(s, column, "bad escape: octal \\%o is more than one byte (\\377)", value);
	*out = (uint8_t)value;
	return true;
}

/* Decodes \xHH: exactly two hex digits, so "\x41B" is "AB" without doubt. */
static bool scan_hex(struct scanner *s, uint32_t column, uint8_t *out)
{
	int hi = g_ascii_xdigit_value(s->text[s->pos]);
	int lo = hi < 0 ? -1 : g_ascii_xdigit_value(s->text[s->pos + 1]);

	if (hi < 0 || lo < 0)
		return fail(s, column, "bad escape: \\x needs two hex digits (\\x41)");
	s->pos += 2;
	*out = (uint8_t)(hi * 16 + lo);
	return true;
}

/* Decodes the escape whose '\' is at s->pos; a byte follows it. */
static bool scan_escape(struct scanner *s, uint8_t *out)
{
	static const char from[] = "nrt\\\"'?abfv";
	static const char to[] = "\n\r\t\\\"'?\a\b\f\v";
	uint32_t column = column_of(s->pos);
	char ch = s->text[++s->pos];
	const char *simple = ch ? strchr(from, ch) : NULL;

	if (simple) {
		s->pos++;
		*out = (uint8_t)to[simple - from];
		return true;
	}
	if (ch >= '0' && ch <= '7')
		return scan_octal(s, column, out);
	if (ch == 'x') {
		s->pos++;
		return scan_hex(s, column, out);
	}
	if (g_ascii_isgraph(ch))
		return fail(s, column, "bad escape '\\%c' (known: \\n \\r \\t \\0 \\\\ \\\" \\xHH \\ooo)", ch);
	return fail(s, column, "bad escape: '\\' before byte 0x%02x", (unsigned char)ch);
}

/* Scans "..." at s->pos.  The decoded bytes are never more than the bytes
 * left in the text, which bounds the buffer. */
static bool scan_string(struct scanner *s, struct token *t)
{
	size_t start = s->pos++;
	uint8_t *buf = g_malloc(strlen(s->text + start));
	size_t n = 0;

	for (;;) {
		char ch = s->text[s->pos];
		if (ch == '\0' || (ch == '\\' && s->text[s->pos + 1] == '\0')) {
			g_free(buf);
			return fail(s, column_of(start), "unterminated string");
		}
		if (ch == '"')
			break;
		if (ch != '\\') {
			buf[n++] = (uint8_t)ch;
			s->pos++;
		} else if (!scan_escape(s, &buf[n++])) {
			g_free(buf);
			return false;
		}
	}
	s->pos++;
	*t = (struct token){ true, column_of(start), (char *)buf, n };
	return true;
}

/* Scans the token at s->pos, which is neither a blank, ';' nor the end. */
static bool scan_token(struct scanner *s, struct token *t)
{
	if (s->text[s->pos] == '"')
		return scan_string(s, t);
	scan_word(s, t);
	return true;
}

static void call_tokens_clear(struct call_tokens *ct)
{
	g_free(ct->name.text);
	for (unsigned i = 0; i < ct->n; i++)
		g_free(ct->arg[i].text);
	memset(ct, 0, sizeof *ct);
}

/* ---- argument parsers ---- */

/* "key=value" words are options; *value points after the '='. */
static bool is_option(const struct token *t, const char *key, const char **value)
{
	size_t n = strlen(key);

	if (t->is_string || strncmp(t->text, key, n) != 0 || t->text[n] != '=')
		return false;
	*value = t->text + n + 1;
	return true;
}

static bool looks_like_option(const struct token *t)
{
	return !t->is_string && strchr(t->text, '=') != NULL;
}

static bool unexpected(struct scanner *s, const struct call_tokens *ct, const struct token *t)
{
	if (t->is_string)
		return fail(s, t->column, "%s: unexpected argument (a string)", ct->name.text);
	char *p = printable(t->text);
	fail(s, t->column, "%s: unexpected argument '%s'", ct->name.text, p);
	g_free(p);
	return false;
}

/* Fails unless t is a word; `what` says what was expected instead. */
static bool need_word(struct scanner *s, const struct call_tokens *ct, const struct token *t,
                      const char *what)
{
	if (!t->is_string)
		return true;
	return fail(s, t->column, "%s: expected %s, found a string", ct->name.text, what);
}

static bool bad_value(struct scanner *s, const struct call_tokens *ct, const struct token *t,
                      const char *why)
{
	char *p = printable(t->text);
	fail(s, t->column, "%s: '%s': %s", ct->name.text, p, why);
	g_free(p);
	return false;
}

static bool parse_port(struct scanner *s, const struct call_tokens *ct, const struct token *t,
                       const char *text, uint16_t *port)
{
	uint64_t v;
	char *p;

	if (!units_parse_uint(text, 0, UINT64_MAX, &v, NULL))
		return bad_value(s, ct, t, "expected a port number (1-65535)");
	if (v >= 1 && v <= 65535) {
		*port = (uint16_t)v;
		return true;
	}
	p = printable(text);
	fail(s, t->column, "%s: port %s out of range 1-65535", ct->name.text, p);
	g_free(p);
	return false;
}

/* a.b.c.d:port, in host byte order. */
static bool parse_target(struct scanner *s, const struct call_tokens *ct, const struct token *t,
                         struct script_call *c)
{
	const char *colon = strrchr(t->text, ':');
	struct in_addr a;

	if (!colon)
		return bad_value(s, ct, t, "expected ADDRESS:PORT such as 10.0.0.2:8080");
	char *host = g_strndup(t->text, (size_t)(colon - t->text));
	bool ok = inet_pton(AF_INET, host, &a) == 1;
	g_free(host);
	if (!ok)
		return bad_value(s, ct, t, "expected an IPv4 address such as 10.0.0.2:8080");
	c->addr = ntohl(a.s_addr);
	c->has_target = true;
	return parse_port(s, ct, t, colon + 1, &c->port);
}

static bool parse_count(struct scanner *s, const struct call_tokens *ct, const struct token *t,
                        uint64_t *count)
{
	const char *why = NULL;

	if (!need_word(s, ct, t, "a byte count"))
		return false;
	if (!units_parse_bytes(t->text, count, &why))
		return bad_value(s, ct, t, why);
	if (*count == 0)
		return bad_value(s, ct, t, "expected at least one byte");
	return true;
}

static bool parse_listen(struct scanner *s, struct call_tokens *ct, struct script_call *c)
{
	bool have_backlog = false;
	const char *value;
	uint64_t v;

	for (unsigned i = 0; i < ct->n; i++) {
		const struct token *t = &ct->arg[i];
		if (is_option(t, "backlog", &value) && !have_backlog) {
			if (!units_parse_uint(value, 0, 65535, &v, NULL))
				return bad_value(s, ct, t, "expected backlog=N, N a whole number 0-65535");
			c->backlog = (uint32_t)v;
			have_backlog = true;
		} else if (!looks_like_option(t) && !c->has_target) {
			if (!need_word(s, ct, t, "a port number") || !parse_port(s, ct, t, t->text, &c->port))
				return false;
			c->has_target = true;
		} else {
			return unexpected(s, ct, t);
		}
	}
	return true;
}

static bool parse_connect(struct scanner *s, struct call_tokens *ct, struct script_call *c)
{
	bool have_timeout = false;
	const char *value, *why = NULL;

	for (unsigned i = 0; i < ct->n; i++) {
		const struct token *t = &ct->arg[i];
		bool sndtimeo = is_option(t, "sndtimeo", &value);
		if ((sndtimeo || is_option(t, "timeout", &value)) && !have_timeout) {
			if (!units_parse_duration(value, &c->duration, &why))
				return bad_value(s, ct, t, why);
			if (c->duration == 0)
				return bad_value(s, ct, t, "expected a time limit above 0");
			c->sndtimeo = sndtimeo;
			have_timeout = true;
		} else if (!looks_like_option(t) && !c->has_target) {
			if (!need_word(s, ct, t, "ADDRESS:PORT") || !parse_target(s, ct, t, c))
				return false;
		} else {
			return unexpected(s, ct, t);
		}
	}
	return true;
}

static bool parse_send(struct scanner *s, struct call_tokens *ct, struct script_call *c)
{
	struct token *t = &ct->arg[0];

	if (ct->n == 0)
		return fail(s, ct->name.column, "send: missing argument: expected a \"string\" or a byte count");
	if (!t->is_string)
		return parse_count(s, ct, t, &c->count);
	if (t->len == 0)
		return fail(s, t->column, "send: empty string: expected at least one byte");
	c->data = (uint8_t *)t->text; /* the call takes the decoded bytes */
	c->count = t->len;
	t->text = NULL;
	return true;
}

static bool parse_recv(struct scanner *s, struct call_tokens *ct, struct script_call *c)
{
	const struct token *t = &ct->arg[0];

	if (ct->n == 0) {
		c->recv_mode = SCRIPT_RECV_ONCE;
	} else if (!t->is_string && strcmp(t->text, "all") == 0) {
		c->recv_mode = SCRIPT_RECV_ALL;
	} else {
		c->recv_mode = SCRIPT_RECV_BYTES;
		return parse_count(s, ct, t, &c->count);
	}
	return true;
}

static bool parse_echo(struct scanner *s, struct call_tokens *ct, struct script_call *c)
{
	const struct token *t = &ct->arg[0];

	if (ct->n == 0)
		return true; /* count 0: until end of file */
	if (!need_word(s, ct, t, "a number of reads"))
		return false;
	if (!units_parse_uint(t->text, 1, UINT32_MAX, &c->count, NULL))
		return bad_value(s, ct, t, "expected a number of reads (at least 1)");
	return true;
}

static bool parse_sleep(struct scanner *s, struct call_tokens *ct, struct script_call *c)
{
	const struct token *t = &ct->arg[0];
	const char *why = NULL;

	if (ct->n == 0)
		return fail(s, ct->name.column, "sleep: missing argument: expected a duration such as 200ms or 1.5s");
	if (!need_word(s, ct, t, "a duration"))
		return false;
	if (!units_parse_duration(t->text, &c->duration, &why))
		return bad_value(s, ct, t, why);
	return true;
}

static bool parse_shutdown(struct scanner *s, struct call_tokens *ct, struct script_call *c)
{
	static const char *const names[] = { [SCRIPT_SHUT_WR] = "wr", [SCRIPT_SHUT_RD] = "rd",
	                                     [SCRIPT_SHUT_RDWR] = "rdwr" };
	const struct token *t = &ct->arg[0];

	if (ct->n == 0)
		return true; /* wr: the half-close */
	for (unsigned i = 0; i < G_N_ELEMENTS(names) && !t->is_string; i++)
		if (strcmp(t->text, names[i]) == 0) {
			c->shut = (enum script_shut)i;
			return true;
		}
	if (!need_word(s, ct, t, "wr, rd or rdwr"))
		return false;
	return bad_value(s, ct, t, "expected wr, rd or rdwr");
}

static const struct call_def call_defs[] = {
	{ "listen", SCRIPT_LISTEN, 2, parse_listen },
	{ "accept", SCRIPT_ACCEPT, 0, NULL },
	{ "connect", SCRIPT_CONNECT, 2, parse_connect },
	{ "send", SCRIPT_SEND, 1, parse_send },
	{ "recv", SCRIPT_RECV, 1, parse_recv },
	{ "echo", SCRIPT_ECHO, 1, parse_echo },
	{ "sleep", SCRIPT_SLEEP, 1, parse_sleep },
	{ "shutdown", SCRIPT_SHUTDOWN, 1, parse_shutdown },
	{ "close", SCRIPT_CLOSE, 0, NULL },
	{ "abort", SCRIPT_ABORT, 0, NULL },
	{ "crash", SCRIPT_CRASH, 0, NULL },
	{ "reboot", SCRIPT_REBOOT, 0, NULL },
};
G_STATIC_ASSERT(G_N_ELEMENTS(call_defs) == SCRIPT_OP_COUNT);

/* ---- calls ---- */

static const struct call_def *find_call(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(call_defs); i++)
		if (strcmp(call_defs[i].name, name) == 0)
			return &call_defs[i];
	return NULL;
}

/* Scans the name of the call at s->pos and looks it up. */
static const struct call_def *scan_name(struct scanner *s, struct call_tokens *ct)
{
	const struct call_def *def;

	if (!scan_token(s, &ct->name))
		return NULL;
	if (ct->name.is_string) {
		fail(s, ct->name.column, "expected a call name such as connect or send, found a string");
		return NULL;
	}
	def = find_call(ct->name.text);
	if (!def) {
		char *p = printable(ct->name.text);
		fail(s, ct->name.column, "unknown call '%s'", p);
		g_free(p);
	}
	return def;
}

/* Scans the arguments up to the ';' or the end, which is consumed. */
static bool scan_args(struct scanner *s, const struct call_def *def, struct call_tokens *ct)
{
	char ch;
	struct token extra = {0};

	while ((ch = skip_blanks(s)) != '\0' && ch != ';') {
		struct token *t = ct->n < def->max_args ? &ct->arg[ct->n] : &extra;
		if (!scan_token(s, t))
			return false;
		if (t == &extra) {
			unexpected(s, ct, &extra);
			g_free(extra.text);
			return false;
		}
		ct->n++;
	}
	if (ch == ';')
		s->pos++;
	return true;
}

/* Parses one call, starting at its first (non-blank) byte. */
static bool parse_call(struct scanner *s, struct script_call *c)
{
	struct call_tokens ct = { 0 };
	const struct call_def *def = scan_name(s, &ct);
	bool ok = def && scan_args(s, def, &ct);

	if (ok) {
		*c = (struct script_call){
			.op = def->op,
			.column = ct.name.column,
			.backlog = DEFAULT_BACKLOG,
			.recv_mode = SCRIPT_RECV_ONCE,
			.shut = SCRIPT_SHUT_WR,
		};
		ok = !def->parse || def->parse(s, &ct, c);
		if (!ok)
			g_free(c->data);
	}
	call_tokens_clear(&ct);
	return ok;
}

static void free_calls(struct script_call *calls, size_t n)
{
	for (size_t i = 0; i < n; i++)
		g_free(calls[i].data);
	g_free(calls);
}

bool script_parse(const char *text, struct script *out, char **error)
{
	struct scanner s = { text ? text : "", 0, error };
	GArray *list = g_array_new(FALSE, TRUE, sizeof(struct script_call));
	struct script_call c;
	bool ok = true;
	char ch;

	if (error)
		*error = NULL;
	while (ok && (ch = skip_blanks(&s)) != '\0') {
		if (ch == ';') { /* a blank call */
			s.pos++;
			continue;
		}
		ok = parse_call(&s, &c);
		if (ok)
			g_array_append_val(list, c);
	}
	uint32_t n = list->len;
	struct script_call *calls = (struct script_call *)g_array_free(list, FALSE);
	if (!ok || n == 0) { /* an empty script has no array at all */
		free_calls(calls, n);
		calls = NULL;
		n = 0;
	}
	*out = (struct script){ .calls = calls, .n = n };
	return ok;
}

void script_clear(struct script *sc)
{
	free_calls(sc->calls, sc->n);
	*sc = (struct script){ .calls = NULL, .n = 0 };
}

const char *script_op_name(enum script_op op)
{
	if ((unsigned)op >= G_N_ELEMENTS(call_defs))
		return "?";
	g_assert(call_defs[op].op == op); /* the table is indexed by op */
	return call_defs[op].name;
}
