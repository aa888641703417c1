/*
 * The short form: a list of words, each call acting on "the current
 * socket", as written (struct script_call) and desugared into the C
 * form's statements (script.h says what each call becomes).
 *
 * Model.  A call is a name and its arguments, up to the ';', the newline
 * or (inside a block) the '}' that ends it.  Tokens are separated by
 * blanks and are either words (runs of anything but blanks, ';', '"' and
 * a block's '}') or double-quoted strings whose C escapes are decoded into
 * exact bytes, an embedded NUL included.  The first token names the call;
 * the table below gives each call its number of arguments and a small
 * parser that reads them: positional arguments, and key=value options in
 * any order.
 *
 * Invariants.  Errors are reported left to right, the first one wins, and
 * each names the 1-based byte column of the token at fault (of the call for
 * a missing argument).  On success every call carries its defaults (backlog
 * 128, shutdown wr, ...); `data` is non-NULL exactly for send "STRING" and
 * then holds `count` >= 1 bytes.
 */
#include "sim/config/script_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include "sim/config/units.h"

#define DEFAULT_BACKLOG 128
#define MAX_ARGS 2    /* no call takes more than two arguments */
#define READ_SIZE 65536 /* recv's length when the call gives none */

struct token {
	bool is_string;  /* a quoted string, else a word */
	struct sp_at at; /* its first byte */
	char *text;      /* word: NUL-terminated copy; string: decoded bytes (owned) */
	size_t len;      /* bytes in text (a string may hold NULs) */
};

struct call_tokens {
	struct token name;           /* the call's name, always a word */
	struct token arg[MAX_ARGS];  /* its arguments, in order */
	unsigned n;                  /* number of arguments */
};

typedef bool (*call_parser)(struct script_parser *s, struct call_tokens *ct, struct script_call *c);

struct call_def {
	const char *name;   /* as written in scripts */
	enum script_op op;  /* equals the entry's index */
	unsigned max_args;  /* arguments accepted */
	call_parser parse;  /* reads the arguments; NULL when there are none */
};

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

/* Whether ch ends the call: ';', a newline, the end, or a block's '}'. */
static bool ends_call(const struct script_parser *s, char ch)
{
	return ch == '\0' || ch == ';' || ch == '\n' || (ch == '}' && s->depth > 0);
}

static void scan_word(struct script_parser *s, struct token *t)
{
	size_t start = s->at.pos;
	char ch;

	t->at = lex_here(s);
	while (!ends_call(s, ch = s->text[s->at.pos]) && !is_blank(ch) && ch != '"')
		s->at.pos++;
	t->is_string = false;
	t->text = g_strndup(s->text + start, s->at.pos - start);
	t->len = s->at.pos - start;
}

/* Scans the token at the current position, which does not end the call. */
static bool scan_token(struct script_parser *s, struct token *t)
{
	struct sp_at at = lex_here(s);
	uint8_t *data = NULL;
	uint32_t len = 0;

	if (s->text[s->at.pos] != '"') {
		scan_word(s, t);
		return true;
	}
	if (!lex_string(s, &data, &len))
		return false;
	*t = (struct token){ .is_string = true, .at = at, .text = (char *)data, .len = len };
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

static bool unexpected(struct script_parser *s, const struct call_tokens *ct, const struct token *t)
{
	if (t->is_string)
		return sp_fail(s, t->at, "%s: unexpected argument (a string)", ct->name.text);
	char *p = printable(t->text);
	sp_fail(s, t->at, "%s: unexpected argument '%s'", ct->name.text, p);
	g_free(p);
	return false;
}

/* Fails unless t is a word; `what` says what was expected instead. */
static bool need_word(struct script_parser *s, const struct call_tokens *ct, const struct token *t,
                      const char *what)
{
	if (!t->is_string)
		return true;
	return sp_fail(s, t->at, "%s: expected %s, found a string", ct->name.text, what);
}

static bool bad_value(struct script_parser *s, const struct call_tokens *ct, const struct token *t,
                      const char *why)
{
	char *p = printable(t->text);
	sp_fail(s, t->at, "%s: '%s': %s", ct->name.text, p, why);
	g_free(p);
	return false;
}

static bool parse_port(struct script_parser *s, const struct call_tokens *ct, const struct token *t,
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
	sp_fail(s, t->at, "%s: port %s out of range 1-65535", ct->name.text, p);
	g_free(p);
	return false;
}

/* a.b.c.d:port, in host byte order. */
static bool parse_target(struct script_parser *s, const struct call_tokens *ct, const struct token *t,
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

static bool parse_count(struct script_parser *s, const struct call_tokens *ct, const struct token *t,
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

static bool parse_listen(struct script_parser *s, struct call_tokens *ct, struct script_call *c)
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

static bool parse_connect(struct script_parser *s, struct call_tokens *ct, struct script_call *c)
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

static bool parse_send(struct script_parser *s, struct call_tokens *ct, struct script_call *c)
{
	struct token *t = &ct->arg[0];

	if (ct->n == 0)
		return sp_fail(s, ct->name.at, "send: missing argument: expected a \"string\" or a byte count");
	if (!t->is_string)
		return parse_count(s, ct, t, &c->count);
	if (t->len == 0)
		return sp_fail(s, t->at, "send: empty string: expected at least one byte");
	c->data = (uint8_t *)t->text; /* the call takes the decoded bytes */
	c->count = t->len;
	t->text = NULL;
	return true;
}

static bool parse_recv(struct script_parser *s, struct call_tokens *ct, struct script_call *c)
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

static bool parse_echo(struct script_parser *s, struct call_tokens *ct, struct script_call *c)
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

static bool parse_sleep(struct script_parser *s, struct call_tokens *ct, struct script_call *c)
{
	const struct token *t = &ct->arg[0];
	const char *why = NULL;

	if (ct->n == 0)
		return sp_fail(s, ct->name.at, "sleep: missing argument: expected a duration such as 200ms or 1.5s");
	if (!need_word(s, ct, t, "a duration"))
		return false;
	if (!units_parse_duration(t->text, &c->duration, &why))
		return bad_value(s, ct, t, why);
	return true;
}

static bool parse_shutdown(struct script_parser *s, struct call_tokens *ct, struct script_call *c)
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

bool sp_is_short_name(const char *name)
{
	return find_call(name) != NULL;
}

/* Scans the name of the call at the current position and looks it up. */
static const struct call_def *scan_name(struct script_parser *s, struct call_tokens *ct)
{
	const struct call_def *def;

	if (!scan_token(s, &ct->name))
		return NULL;
	if (ct->name.is_string) {
		sp_fail(s, ct->name.at, "expected a call name such as connect or send, found a string");
		return NULL;
	}
	def = find_call(ct->name.text);
	if (!def) {
		char *p = printable(ct->name.text);
		sp_fail(s, ct->name.at, "unknown call '%s'", p);
		g_free(p);
	}
	return def;
}

/* Scans the arguments up to the end of the call, which is left in place. */
static bool scan_args(struct script_parser *s, const struct call_def *def, struct call_tokens *ct)
{
	struct token extra = {0};

	while (!ends_call(s, lex_skip_spaces(s))) {
		struct token *t = ct->n < def->max_args && ct->n < MAX_ARGS ? &ct->arg[ct->n] : &extra;
		if (!scan_token(s, t))
			return false;
		if (t == &extra) {
			unexpected(s, ct, &extra);
			g_free(extra.text);
			return false;
		}
		ct->n++;
	}
	return true;
}

/* Parses one call, starting at its first (non-blank) byte. */
static bool parse_call(struct script_parser *s, struct script_call *c)
{
	struct call_tokens ct = { 0 };
	const struct call_def *def = scan_name(s, &ct);
	bool ok = def && scan_args(s, def, &ct);

	if (ok) {
		*c = (struct script_call){
			.op = def->op,
			.line = ct.name.at.line,
			.column = ct.name.at.column,
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

const char *script_op_name(enum script_op op)
{
	if ((unsigned)op >= G_N_ELEMENTS(call_defs))
		return "?";
	g_assert(call_defs[op].op == op); /* the table is indexed by op */
	return call_defs[op].name;
}

void sp_free_calls(struct script_call *calls)
{
	for (size_t i = 0; calls && calls[i].op != SCRIPT_OP_COUNT; i++)
		g_free(calls[i].data);
	g_free(calls);
}

/* ---- desugaring (script.h lists what each call becomes) ---- */

/* The statements of one call are built at its place. */
struct sugar {
	struct script_parser *p;
	struct sp_at at;
};

static struct script_expr *num(const struct sugar *g, int64_t v)
{
	return sx_int(g->at, v);
}

static struct script_expr *var(const struct sugar *g, const char *name)
{
	return sx_var(g->at, SX_VAR, sp_var(g->p, name));
}

static struct script_expr *cur(const struct sugar *g)
{
	return sx_new(SX_CURRENT, g->at);
}

static struct script_expr *assign(const struct sugar *g, const char *name, struct script_expr *rhs)
{
	struct script_expr *e = sx_with_kids(SX_ASSIGN, g->at, rhs);

	e->var = sp_var(g->p, name);
	return e;
}

static struct script_stmt expr_st(const struct sugar *g, struct script_expr *e)
{
	return st_new(SS_EXPR, g->at, e);
}

static struct script_stmt if_st(const struct sugar *g, struct script_expr *cond, struct script_block body)
{
	struct script_stmt s = st_new(SS_IF, g->at, cond);

	s.body = body;
	return s;
}

static struct script_stmt break_if(const struct sugar *g, struct script_expr *cond)
{
	return if_st(g, cond, st_block(st_new(SS_BREAK, g->at, NULL)));
}

/* The target of listen / connect: the endpoint's default when not given. */
static struct script_expr *target(const struct sugar *g, const struct script_call *c, uint32_t addr)
{
	struct script_expr *e = sx_new(SX_ADDR, g->at);

	e->dflt = !c->has_target;
	e->addr = c->has_target ? addr : 0;
	e->port = c->has_target ? c->port : 0;
	return e;
}

static struct script_expr *new_socket(const struct sugar *g)
{
	return sx_call(g->at, SCRIPT_FN_SOCKET, num(g, AF_INET), num(g, SOCK_STREAM), num(g, 0));
}

static struct script_expr *own_address(const struct sugar *g)
{
	struct script_expr *own = sx_new(SX_ADDR, g->at);
	own->dflt = true;
	return own;
}

/* if OWN { setsockopt(CUR, SOL_SOCKET, SO_REUSEADDR, 1); bind(CUR, OWN) }:
 * an endpoint with a fixed port (`address = 10.0.0.1:40000`) connects from
 * it, as a program that binds it does; SO_REUSEADDR lets the bind share the
 * port with the connection before, so that only connect() checks the
 * 4-tuple (EADDRNOTAVAIL while it is in TIME_WAIT).  OWN, as a value, is
 * the endpoint's port: 0 skips the block, and connect() picks a port. */
static struct script_stmt bind_own_port(const struct sugar *g)
{
	struct script_expr *reuse = sx_call(g->at, SCRIPT_FN_SETSOCKOPT, cur(g), num(g, SOL_SOCKET),
	                                    num(g, SO_REUSEADDR), num(g, 1));
	struct script_expr *bind = sx_call(g->at, SCRIPT_FN_BIND, cur(g), own_address(g));
	return if_st(g, own_address(g), st_block(expr_st(g, reuse), expr_st(g, bind)));
}

/* recv(CUR, buf, len, flags) */
static struct script_expr *read_call(const struct sugar *g, int64_t len, int64_t flags)
{
	return sx_call(g->at, SCRIPT_FN_RECV, cur(g), sx_new(SX_BUF, g->at), num(g, len), num(g, flags));
}

/* send(CUR, buf, .n, 0) < 0: the write-back of echo failed */
static struct script_expr *echo_back_failed(const struct sugar *g)
{
	struct script_expr *send = sx_call(g->at, SCRIPT_FN_SEND, cur(g), sx_new(SX_BUF, g->at),
	                                   var(g, ".n"), num(g, 0));
	return sx_binary(SOP_LT, send, num(g, 0));
}

static struct script_block sugar_listen(const struct sugar *g, const struct script_call *c)
{
	struct script_block open = st_block(expr_st(g, assign(g, ".l", new_socket(g))),
	                                    expr_st(g, sx_call(g->at, SCRIPT_FN_BIND, var(g, ".l"), target(g, c, 0))),
	                                    expr_st(g, sx_call(g->at, SCRIPT_FN_LISTEN, var(g, ".l"),
	                                                       num(g, c->backlog))));
	return st_block(if_st(g, sx_binary(SOP_EQ, var(g, ".l"), num(g, 0)), open));
}

/* connect A timeout=D: a non-blocking connect and select() for D. */
static struct script_block sugar_connect_timeout(const struct sugar *g, const struct script_call *c)
{
	struct script_expr *timeout = sx_new(SX_DURATION, g->at);
	timeout->t = c->duration;
	struct script_expr *wait = sx_call(g->at, SCRIPT_FN_SELECT, sx_new(SX_NULL, g->at),
	                                   sx_new(SX_NULL, g->at), sx_with_kids(SX_LIST, g->at, cur(g)),
	                                   sx_new(SX_NULL, g->at), timeout);
	struct script_expr *so_error = sx_call(g->at, SCRIPT_FN_GETSOCKOPT, cur(g), num(g, SOL_SOCKET),
	                                       num(g, SO_ERROR), sx_var(g->at, SX_REF, sp_var(g->p, ".err")));
	struct script_stmt waited = if_st(g, sx_binary(SOP_GT, wait, num(g, 0)),
	                                  st_block(expr_st(g, so_error)));
	struct script_expr *started = sx_binary(
		SOP_AND,
		sx_binary(SOP_LT, sx_call(g->at, SCRIPT_FN_CONNECT, cur(g), target(g, c, c->addr)), num(g, 0)),
		sx_binary(SOP_EQ, sx_new(SX_ERRNO, g->at), num(g, EINPROGRESS)));
	return st_block(expr_st(g, new_socket(g)), bind_own_port(g),
	                expr_st(g, sx_call(g->at, SCRIPT_FN_FCNTL, cur(g), num(g, F_SETFL), num(g, O_NONBLOCK))),
	                if_st(g, started, st_block(waited)),
	                expr_st(g, sx_call(g->at, SCRIPT_FN_FCNTL, cur(g), num(g, F_SETFL), num(g, 0))));
}

static struct script_block sugar_connect(const struct sugar *g, const struct script_call *c)
{
	struct script_expr *limit;

	if (c->duration && !c->sndtimeo)
		return sugar_connect_timeout(g, c);
	struct script_stmt connect = expr_st(g, sx_call(g->at, SCRIPT_FN_CONNECT, cur(g), target(g, c, c->addr)));
	if (c->duration == 0)
		return st_block(expr_st(g, new_socket(g)), bind_own_port(g), connect);
	limit = sx_new(SX_DURATION, g->at);
	limit->t = c->duration;
	return st_block(expr_st(g, new_socket(g)), bind_own_port(g),
	                expr_st(g, sx_call(g->at, SCRIPT_FN_SETSOCKOPT, cur(g), num(g, SOL_SOCKET),
	                                   num(g, SO_SNDTIMEO), limit)),
	                connect);
}

static struct script_block sugar_send(const struct sugar *g, const struct script_call *c)
{
	struct script_expr *data;

	if (c->data) {
		data = sx_new(SX_STRING, g->at);
		data->data = g_memdup2(c->data, c->count);
		data->len = (uint32_t)c->count;
	} else {
		data = sx_new(SX_GEN, g->at);
	}
	return st_block(expr_st(g, sx_call(g->at, SCRIPT_FN_SEND, cur(g), data, num(g, (int64_t)c->count),
	                                      num(g, 0))));
}

static struct script_block sugar_recv(const struct sugar *g, const struct script_call *c)
{
	struct script_stmt loop;

	switch (c->recv_mode) {
	case SCRIPT_RECV_ONCE:
		return st_block(expr_st(g, read_call(g, READ_SIZE, 0)));
	case SCRIPT_RECV_BYTES:
		return st_block(expr_st(g, read_call(g, (int64_t)c->count, MSG_WAITALL)));
	case SCRIPT_RECV_ALL:
		break;
	}
	loop = st_new(SS_WHILE, g->at, sx_binary(SOP_GT, read_call(g, READ_SIZE, 0), num(g, 0)));
	return st_block(loop);
}

static struct script_block sugar_echo(const struct sugar *g, const struct script_call *c)
{
	struct script_stmt loop;

	if (c->count == 0) {
		struct script_expr *got = assign(g, ".n", read_call(g, READ_SIZE, 0));
		loop = st_new(SS_WHILE, g->at, sx_binary(SOP_GT, got, num(g, 0)));
		loop.body = st_block(break_if(g, echo_back_failed(g)));
	} else {
		loop = st_new(SS_REPEAT, g->at, num(g, (int64_t)c->count));
		loop.body = st_block(expr_st(g, assign(g, ".n", read_call(g, READ_SIZE, 0))),
		                     break_if(g, sx_binary(SOP_LE, var(g, ".n"), num(g, 0))),
		                     break_if(g, echo_back_failed(g)));
	}
	return st_block(loop);
}

static struct script_block sugar_simple(const struct sugar *g, const struct script_call *c)
{
	static const int how[] = { [SCRIPT_SHUT_WR] = SHUT_WR, [SCRIPT_SHUT_RD] = SHUT_RD,
	                           [SCRIPT_SHUT_RDWR] = SHUT_RDWR };
	struct script_expr *e = NULL;

	if (c->op == SCRIPT_SLEEP) {
		struct script_expr *d = sx_new(SX_DURATION, g->at);
		d->t = c->duration;
		e = sx_call(g->at, SCRIPT_FN_SLEEP, d);
	} else if (c->op == SCRIPT_SHUTDOWN) {
		e = sx_call(g->at, SCRIPT_FN_SHUTDOWN, cur(g), num(g, how[c->shut]));
	} else if (c->op == SCRIPT_ACCEPT) {
		e = sx_call(g->at, SCRIPT_FN_ACCEPT, var(g, ".l"), num(g, 0));
	} else if (c->op == SCRIPT_CLOSE) {
		e = sx_call(g->at, SCRIPT_FN_CLOSE, cur(g));
	} else if (c->op == SCRIPT_CRASH) {
		e = sx_call_of(g->at, SCRIPT_FN_CRASH, 0, NULL);
	} else {
		g_assert(c->op == SCRIPT_REBOOT);
		e = sx_call_of(g->at, SCRIPT_FN_REBOOT, 0, NULL);
	}
	return st_block(expr_st(g, e));
}

static struct script_block sugar_abort(const struct sugar *g)
{
	struct script_expr *linger = sx_with_kids(SX_PAIR, g->at, num(g, 1), num(g, 0));

	return st_block(expr_st(g, sx_call(g->at, SCRIPT_FN_SETSOCKOPT, cur(g), num(g, SOL_SOCKET),
	                                      num(g, SO_LINGER), linger)),
	                expr_st(g, sx_call(g->at, SCRIPT_FN_CLOSE, cur(g))));
}

static struct script_block desugar(const struct sugar *g, const struct script_call *c)
{
	switch (c->op) {
	case SCRIPT_LISTEN:
		return sugar_listen(g, c);
	case SCRIPT_CONNECT:
		return sugar_connect(g, c);
	case SCRIPT_SEND:
		return sugar_send(g, c);
	case SCRIPT_RECV:
		return sugar_recv(g, c);
	case SCRIPT_ECHO:
		return sugar_echo(g, c);
	case SCRIPT_ABORT:
		return sugar_abort(g);
	case SCRIPT_ACCEPT:
	case SCRIPT_SLEEP:
	case SCRIPT_SHUTDOWN:
	case SCRIPT_CLOSE:
	case SCRIPT_CRASH:
	case SCRIPT_REBOOT:
		return sugar_simple(g, c);
	case SCRIPT_OP_COUNT:
		break;
	}
	g_assert_not_reached();
}

bool sp_parse_short(struct script_parser *p, struct script_stmt *out)
{
	struct script_call c;

	if (!parse_call(p, &c))
		return false;
	g_array_append_val(p->calls, c);
	struct sugar g = { p, { c.line, c.column } };
	*out = st_new(SS_BLOCK, g.at, NULL);
	out->short_call = (int32_t)(p->calls->len - 1);
	out->body = desugar(&g, &c);
	return true;
}
