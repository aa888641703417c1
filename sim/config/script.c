/*
 * App scripts: statements, blocks and variables, and the entry points of
 * sim/config/script.h.  The other files of the parser are listed in
 * sim/config/script_int.h.
 *
 * Model.  A script is a list of statements separated by ';' or newlines;
 * a block `{ ... }` holds one too.  What a statement is, is decided by its
 * first token:
 *   if, while, repeat, break, exit      the C form's control statements
 *   NAME(                                a C call
 *   a short-form name (listen, close...) a short-form call, to its end
 *   NAME =                               an assignment
 *   (                                    an assignment or call in parentheses
 *   anything else                        handed to the short form, whose
 *                                        message says what is wrong with it
 * so `close` and `close(fd)`, `sleep 1s` and `sleep(1s)` both work, and a
 * script of the first round (short calls separated by ';') reads and
 * fails as it always did.
 *
 * Invariants.  The first error wins and names its place; on failure *out
 * is empty and nothing stays allocated.  Every variable is in `vars` once,
 * in order of first appearance.  `calls` is the short form as written,
 * ended by an entry of op SCRIPT_OP_COUNT (so that it can be freed even
 * when n is 0 because the script has a C-form statement).
 */
#include "sim/config/script_int.h"

#include <stdarg.h>
#include <string.h>
#include "sim/escape.h"

bool sp_fail(struct script_parser *p, struct sp_at at, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return false;
	va_start(ap, fmt);
	char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	p->failed = true;
	p->err_at = at;
	p->err = escape_text(msg); /* words of the script may hold anything */
	g_free(msg);
	return false;
}

uint32_t sp_var(struct script_parser *p, const char *name)
{
	for (uint32_t i = 0; i < p->vars->len; i++)
		if (strcmp(g_ptr_array_index(p->vars, i), name) == 0)
			return i;
	g_ptr_array_add(p->vars, g_strdup(name));
	g_byte_array_append(p->assigned, (const guint8 *)"", 1);
	return p->vars->len - 1;
}

bool sp_is_keyword(const char *name)
{
	static const char *const words[] = { "if", "else", "while", "repeat", "break", "exit" };

	for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
		if (strcmp(words[i], name) == 0)
			return true;
	return false;
}

/* ---- statements ---- */

/* The condition of if and while, the count of repeat: a number. */
static struct script_expr *parse_condition(struct script_parser *p, const char *keyword)
{
	struct tok t;

	lex_peek(p, &t);
	if (tok_is(&t, "{")) {
		sp_fail(p, t.at, "%s needs %s before its '{'", keyword,
		        strcmp(keyword, "repeat") == 0 ? "a count" : "a condition");
		return NULL;
	}
	struct script_expr *e = sp_parse_expr(p);
	enum sp_type ty = e ? sp_type_of(e) : TY_NUM;
	if (ty != TY_NUM && ty != TY_ANY) {
		sp_fail(p, sx_at(e), "%s: expected a number, found %s", keyword,
		        sp_type_name(ty));
		sx_free(e);
		e = NULL;
	}
	return e;
}

/* Whether `else` follows, on this line or a later one; if not, the
 * position is left before the newlines (they end the if). */
static bool else_follows(struct script_parser *p, struct tok *t)
{
	struct sp_pos save = p->at;

	p->nest++;
	lex_peek(p, t);
	p->nest--;
	if (tok_is_name(p, t, "else"))
		return true;
	p->at = save;
	return false;
}

static bool parse_if(struct script_parser *p, const struct tok *kw, struct script_stmt *out)
{
	struct tok t;
	bool ok;

	lex_take(p, kw);
	struct script_expr *cond = parse_condition(p, "if");
	if (!cond)
		return false;
	*out = st_new(SS_IF, kw->at, cond);
	ok = sp_parse_block(p, &out->body);
	if (ok && else_follows(p, &t)) {
		lex_take(p, &t);
		lex_peek(p, &t);
		if (tok_is_name(p, &t, "if")) { /* else if: an orelse of one if */
			struct script_stmt inner;
			ok = parse_if(p, &t, &inner);
			if (ok)
				out->orelse = st_block(inner);
		} else {
			ok = sp_parse_block(p, &out->orelse);
		}
	}
	if (!ok)
		st_clear(out);
	return ok;
}

/* while COND { } and repeat COUNT { } */
static bool parse_loop(struct script_parser *p, const struct tok *kw, const char *keyword, struct script_stmt *out)
{
	lex_take(p, kw);
	struct script_expr *e = parse_condition(p, keyword);
	if (!e)
		return false;
	*out = st_new(strcmp(keyword, "while") == 0 ? SS_WHILE : SS_REPEAT, kw->at, e);
	p->loops++;
	bool ok = sp_parse_block(p, &out->body);
	p->loops--;
	if (!ok)
		st_clear(out);
	return ok;
}

/* exit or exit(N): the code is SX_NULL when not given. */
static bool parse_exit(struct script_parser *p, const struct tok *kw, struct script_stmt *out)
{
	struct tok t;
	struct script_expr *code;

	lex_take(p, kw);
	lex_peek(p, &t);
	if (!tok_is(&t, "(")) {
		*out = st_new(SS_EXIT, kw->at, sx_new(SX_NULL, kw->at));
		return true;
	}
	lex_take(p, &t);
	p->nest++;
	code = sp_parse_expr(p);
	bool ok = code && lex_expect(p, ")", "')'");
	p->nest--;
	if (ok && sp_type_of(code) != TY_NUM && sp_type_of(code) != TY_ANY)
		ok = sp_fail(p, sx_at(code), "exit(): expected a number, found %s",
		             sp_type_name(sp_type_of(code)));
	if (!ok) {
		sx_free(code);
		return false;
	}
	*out = st_new(SS_EXIT, kw->at, code);
	return true;
}

/* A statement in parentheses: (n = read(fd, buf, 100)) or (close(fd)). */
static bool parse_paren_stmt(struct script_parser *p, struct script_stmt *out)
{
	struct tok t;

	lex_peek(p, &t);
	struct script_expr *e = sp_parse_expr(p);
	if (e && e->kind != SX_ASSIGN && e->kind != SX_CALL) {
		sp_fail(p, t.at, "expected a statement: a call or an assignment, not a value alone");
		sx_free(e);
		e = NULL;
	}
	if (e)
		*out = st_new(SS_EXPR, t.at, e);
	return e != NULL;
}

static bool parse_keyword(struct script_parser *p, const struct tok *t, const char *name,
                          struct script_stmt *out)
{
	if (strcmp(name, "if") == 0)
		return parse_if(p, t, out);
	if (strcmp(name, "while") == 0 || strcmp(name, "repeat") == 0)
		return parse_loop(p, t, name, out);
	if (strcmp(name, "exit") == 0)
		return parse_exit(p, t, out);
	if (strcmp(name, "else") == 0)
		return sp_fail(p, t->at, "else without an if before it");
	if (p->loops == 0)
		return sp_fail(p, t->at, "break outside a while or repeat loop");
	lex_take(p, t);
	*out = st_new(SS_BREAK, t->at, NULL);
	return true;
}

/* A statement that starts with a name: a keyword's, a call, an
 * assignment, or else the short form. */
static bool parse_named(struct script_parser *p, const struct tok *t, const char *name, struct script_stmt *out)
{
	bool keyword = sp_is_keyword(name);
	bool call = !keyword && lex_after(p, t) == '(';
	bool assign = !keyword && !call && !sp_is_short_name(name) && sp_is_assign(p, t);

	if (!keyword && !call && !assign)
		return sp_parse_short(p, out);
	p->c_form = true;
	if (keyword)
		return parse_keyword(p, t, name, out);
	struct script_expr *e = call ? sp_parse_call(p, t) : sp_parse_assign(p, t);
	if (e)
		*out = st_new(SS_EXPR, t->at, e);
	return e != NULL;
}

static bool parse_stmt(struct script_parser *p, struct script_stmt *out)
{
	struct tok t;
	bool ok;

	lex_peek(p, &t);
	if (t.kind == TK_NAME) {
		char *name = tok_text(p, &t);
		ok = parse_named(p, &t, name, out);
		g_free(name);
	} else if (tok_is(&t, "(")) {
		p->c_form = true;
		ok = parse_paren_stmt(p, out);
	} else {
		ok = sp_parse_short(p, out); /* a string, a word: the short form says what is wrong */
	}
	return ok;
}

/* Statements up to the end (top level) or the '}' of the block opened at
 * `open`, which is taken. */
static bool parse_stmts(struct script_parser *p, GArray *out, const struct tok *open)
{
	struct tok t;

	for (;;) {
		lex_peek(p, &t);
		if (t.kind == TK_NEWLINE || tok_is(&t, ";")) {
			lex_take(p, &t);
			continue;
		}
		if (t.kind == TK_END && !open)
			return true;
		if (t.kind == TK_END) /* named where it opens: the end may be far */
			return sp_fail(p, open->at, "'{' without a '}' to close it");
		if (tok_is(&t, "}")) {
			if (!open)
				return sp_fail(p, t.at, "'}' without a '{' before it");
			lex_take(p, &t);
			return true;
		}
		struct script_stmt s;
		if (!parse_stmt(p, &s))
			return false;
		g_array_append_val(out, s);
		lex_peek(p, &t);
		if (t.kind != TK_NEWLINE && t.kind != TK_END && !tok_is(&t, ";") && !(open && tok_is(&t, "}")))
			return lex_unexpected(p, &t, "';' or a new line after the statement");
	}
}

static GArray *stmt_array(void)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct script_stmt));

	g_array_set_clear_func(a, (GDestroyNotify)st_clear);
	return a;
}

bool sp_parse_block(struct script_parser *p, struct script_block *b)
{
	struct tok open;

	p->nest++; /* the '{' may be on the next line */
	lex_peek(p, &open);
	p->nest--;
	if (!tok_is(&open, "{"))
		return lex_unexpected(p, &open, "'{'");
	lex_take(p, &open);
	GArray *stmts = stmt_array();
	p->depth++;
	bool ok = parse_stmts(p, stmts, &open);
	p->depth--;
	if (!ok) {
		g_array_free(stmts, TRUE);
		return false;
	}
	*b = st_take(stmts);
	return true;
}

/* ---- the whole script ---- */

static void parser_init(struct script_parser *p, const char *text)
{
	*p = (struct script_parser){
		.text = text ? text : "",
		.at = { 0, 1, 0 },
		.vars = g_ptr_array_new_with_free_func(g_free),
		.assigned = g_byte_array_new(),
		.calls = g_array_new(FALSE, TRUE, sizeof(struct script_call)),
	};
}

/* Hands what the parser built to *out, or frees it after a failure. */
static void parser_finish(struct script_parser *p, GArray *top, struct script *out)
{
	static const struct script_call end = { .op = SCRIPT_OP_COUNT };
	uint32_t n_calls = p->calls->len;

	*out = (struct script){ .top = { NULL, 0 } };
	g_array_append_val(p->calls, end);
	struct script_call *calls = (struct script_call *)g_array_free(p->calls, FALSE);
	g_byte_array_free(p->assigned, TRUE);
	if (p->failed) {
		g_array_free(top, TRUE);
		g_ptr_array_free(p->vars, TRUE);
		sp_free_calls(calls);
		return;
	}
	out->top = st_take(top);
	out->n_vars = p->vars->len;
	out->vars = (char **)g_ptr_array_free(p->vars, p->vars->len == 0);
	if (n_calls == 0)
		sp_free_calls(calls);
	else
		out->calls = calls;
	out->n = p->c_form ? 0 : n_calls;
}

bool script_parse_at(const char *text, struct script *out, uint32_t *line, uint32_t *column, char **error)
{
	struct script_parser p;
	GArray *top = stmt_array();

	parser_init(&p, text);
	parse_stmts(&p, top, NULL);
	parser_finish(&p, top, out);
	*line = p.failed ? p.err_at.line : 0;
	*column = p.failed ? p.err_at.column : 0;
	if (error)
		*error = p.err;
	else
		g_free(p.err);
	return !p.failed;
}

/* More than one line: a newline with something after it (an error after
 * a last newline names its line all the same). */
static bool has_lines(const char *text)
{
	const char *nl = text ? strchr(text, '\n') : NULL;

	return nl && nl[1] != '\0';
}

bool script_parse(const char *text, struct script *out, char **error)
{
	uint32_t line, column;
	char *why = NULL;
	bool ok = script_parse_at(text, out, &line, &column, &why);

	if (error && !ok && (line > 1 || has_lines(text)))
		*error = g_strdup_printf("line %u, column %u: %s", line, column, why);
	else if (error)
		*error = ok ? NULL : g_strdup_printf("column %u: %s", column, why);
	g_free(why);
	return ok;
}

void script_clear(struct script *s)
{
	block_clear(&s->top);
	for (uint32_t i = 0; i < s->n_vars; i++)
		g_free(s->vars[i]);
	g_free(s->vars);
	sp_free_calls(s->calls);
	*s = (struct script){ .top = { NULL, 0 } };
}
