/*
 * Fuzz target: script_parse() on arbitrary text (the bytes up to the first
 * NUL, as a config value would give them), both forms.
 *
 * Guarantees (sim/config/script.h): success leaves no error, a tree whose
 * every call has its canonical arguments and whose every variable, short
 * call and position is in range, and short-form calls with a known op, in
 * text order, with `data` exactly for send "STRING"; failure gives "column
 * N: ..." (one line) or "line L, column N: ..." with the place inside the
 * text (or just past it), script_parse_at() gives the same place, and the
 * script is left empty.  script_clear() empties a script.
 */
#include "tests/fuzz/fuzz.h"

#include <string.h>
#include "sim/config/script.h"

/* What the text holds: its length and lines. */
struct text_shape {
	size_t len;
	uint32_t lines;
};

static void check_place(const struct text_shape *t, uint32_t line, uint32_t column)
{
	FUZZ_CHECK(line >= 1 && line <= t->lines, "the line is in the text");
	FUZZ_CHECK(column >= 1 && column <= t->len + 1, "the column is in the text");
}

/* The canonical argument count of each function (script.h). */
static uint32_t canonical_args(enum script_fn fn)
{
	static const uint8_t n[SCRIPT_FN_COUNT] = {
		[SCRIPT_FN_SOCKET] = 3, [SCRIPT_FN_BIND] = 2, [SCRIPT_FN_LISTEN] = 2, [SCRIPT_FN_ACCEPT] = 2,
		[SCRIPT_FN_CONNECT] = 2, [SCRIPT_FN_GETSOCKOPT] = 4, [SCRIPT_FN_SETSOCKOPT] = 4,
		[SCRIPT_FN_GETPEERNAME] = 1, [SCRIPT_FN_GETSOCKNAME] = 1, [SCRIPT_FN_SEND] = 4,
		[SCRIPT_FN_WRITE] = 4, [SCRIPT_FN_RECV] = 4, [SCRIPT_FN_READ] = 4, [SCRIPT_FN_SHUTDOWN] = 2,
		[SCRIPT_FN_CLOSE] = 1, [SCRIPT_FN_SELECT] = 5, [SCRIPT_FN_POLL] = 3, [SCRIPT_FN_FCNTL] = 3,
		[SCRIPT_FN_IOCTL] = 3, [SCRIPT_FN_SLEEP] = 1, [SCRIPT_FN_SIGNAL] = 2, [SCRIPT_FN_SIGACTION] = 3,
		[SCRIPT_FN_ALARM] = 1, [SCRIPT_FN_CRASH] = 0, [SCRIPT_FN_REBOOT] = 0, [SCRIPT_FN_FD_ISSET] = 2,
	};
	return n[fn];
}

static void check_expr(const struct script *s, const struct text_shape *t, const struct script_expr *e)
{
	FUZZ_CHECK(e->kind <= SX_ASSIGN, "a known expression kind");
	check_place(t, e->line, e->column);
	if (e->kind == SX_VAR || e->kind == SX_REF || e->kind == SX_ASSIGN)
		FUZZ_CHECK(e->var < s->n_vars, "a variable of the list");
	if (e->kind == SX_STRING)
		FUZZ_CHECK(e->len == 0 || e->data != NULL, "a string holds its bytes");
	if (e->kind == SX_FIELD)
		FUZZ_CHECK(e->field && e->n_kids == 1, "a field of something");
	FUZZ_CHECK((e->kind == SX_CALL) == (e->call != NULL), "a call exactly for SX_CALL");
	if (e->call) {
		FUZZ_CHECK(e->call->fn < SCRIPT_FN_COUNT, "a known function");
		FUZZ_CHECK(e->call->n_args == canonical_args(e->call->fn), "canonical arguments");
		FUZZ_CHECK(e->call->name != NULL, "a call has its name");
		for (uint32_t i = 0; i < e->call->n_args; i++)
			check_expr(s, t, e->call->args[i]);
	}
	for (uint32_t i = 0; i < e->n_kids; i++)
		check_expr(s, t, e->kids[i]);
}

static void check_block(const struct script *s, const struct text_shape *t, const struct script_block *b,
                        uint32_t *blocks)
{
	FUZZ_CHECK(b->n == 0 || b->v != NULL, "statements present");
	for (uint32_t i = 0; i < b->n; i++) {
		const struct script_stmt *st = &b->v[i];
		FUZZ_CHECK(st->kind <= SS_BLOCK, "a known statement kind");
		check_place(t, st->line, st->column);
		FUZZ_CHECK((st->kind == SS_BLOCK) == (st->short_call >= 0), "short_call exactly for SS_BLOCK");
		if (st->kind == SS_BLOCK)
			FUZZ_CHECK(st->short_call == (int32_t)(*blocks)++, "short calls in order");
		FUZZ_CHECK((st->expr != NULL) == (st->kind != SS_BREAK && st->kind != SS_BLOCK),
		           "an expression where the statement has one");
		if (st->expr)
			check_expr(s, t, st->expr);
		check_block(s, t, &st->body, blocks);
		check_block(s, t, &st->orelse, blocks);
	}
}

static void check_calls(const struct script *s, const struct text_shape *t)
{
	FUZZ_CHECK(s->n == 0 || s->calls != NULL, "calls present");
	for (uint32_t i = 0; i < s->n; i++) {
		const struct script_call *c = &s->calls[i];
		const struct script_call *prev = i ? &s->calls[i - 1] : NULL;
		FUZZ_CHECK(c->op < SCRIPT_OP_COUNT, "a known op");
		check_place(t, c->line, c->column);
		FUZZ_CHECK(!prev || c->line > prev->line || (c->line == prev->line && c->column > prev->column),
		           "calls in text order");
		FUZZ_CHECK(c->data == NULL || c->op == SCRIPT_SEND, "data only for send");
		FUZZ_CHECK(c->data == NULL || c->count >= 1, "send \"STRING\" has bytes");
		FUZZ_CHECK(c->op != SCRIPT_SEND || c->count >= 1, "send sends at least one byte");
		FUZZ_CHECK(c->duration >= 0, "durations are not negative");
		FUZZ_CHECK(script_op_name(c->op) != NULL, "every op has a name");
	}
}

static void check_success(const struct script *s, const struct text_shape *t)
{
	uint32_t blocks = 0;

	for (uint32_t i = 0; i < s->n_vars; i++)
		FUZZ_CHECK(s->vars[i] && s->vars[i][0], "every variable has a name");
	check_block(s, t, &s->top, &blocks);
	FUZZ_CHECK(s->n == 0 || s->n == blocks, "one block per short call of a short-form script");
	FUZZ_CHECK(blocks > 0 || s->calls == NULL, "no short call, no list");
	check_calls(s, t);
}

static bool is_empty(const struct script *s)
{
	return s->top.v == NULL && s->top.n == 0 && s->vars == NULL && s->n_vars == 0 && s->calls == NULL &&
	       s->n == 0;
}

/* "column N: ..." or "line L, column N: ..." at the place script_parse_at gave. */
static void check_failure(const struct script *s, const char *error, const struct text_shape *t,
                          uint32_t line, uint32_t column)
{
	unsigned long l = 1, c;
	char *end;
	const char *p = error;

	FUZZ_CHECK(error != NULL, "a failure sets the message");
	FUZZ_CHECK(is_empty(s), "a failed parse leaves the script empty");
	if (g_str_has_prefix(p, "line ")) {
		l = strtoul(p + 5, &end, 10);
		FUZZ_CHECK(end != p + 5 && g_str_has_prefix(end, ", "), "line L, ");
		p = end + 2;
	}
	FUZZ_CHECK(g_str_has_prefix(p, "column "), "the message names the column");
	c = strtoul(p + 7, &end, 10);
	FUZZ_CHECK(end != p + 7 && *end == ':', "column N:");
	FUZZ_CHECK(l == line && c == column, "the message and script_parse_at agree on the place");
	check_place(t, line, column);
	fuzz_check_message(error);
}

int fuzz_script_one(const uint8_t *data, size_t size)
{
	char *text = g_strndup((const char *)data, size); /* stops at a NUL, as a C string does */
	struct text_shape t = { strlen(text), 1 };
	struct script s, again;
	uint32_t line = 0, column = 0;
	char *error = NULL, *why = NULL;

	for (const char *c = text; *c; c++)
		t.lines += *c == '\n';
	memset(&s, 0xa5, sizeof s); /* the parser must set every field itself */
	bool ok = script_parse(text, &s, &error);
	FUZZ_CHECK(script_parse_at(text, &again, &line, &column, &why) == ok, "both entry points agree");
	if (ok) {
		FUZZ_CHECK(error == NULL && why == NULL, "success without a message");
		check_success(&s, &t);
		script_clear(&s);
		script_clear(&again);
		FUZZ_CHECK(is_empty(&s), "script_clear empties the script");
	} else {
		check_failure(&s, error, &t, line, column);
		FUZZ_CHECK(why && g_str_has_suffix(error, why), "the message ends with the reason");
		FUZZ_CHECK(!g_utf8_validate(text, -1, NULL) || g_utf8_validate(error, -1, NULL),
		           "the message is UTF-8 when the script was");
	}
	g_free(why);
	g_free(error);
	g_free(text);
	return 0;
}

FUZZ_ENTRY_POINTS(fuzz_script_one)
