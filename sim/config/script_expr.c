/*
 * Expressions of the C form: C's operators with C's precedence, and the
 * operands (numbers, sizes, durations, addresses, strings, constants,
 * variables and their fields, lists, pairs, &name, calls).
 *
 * Model: precedence climbing over the table of binary operators; unary
 * '!' and '-' bind tighter than any.  Types are checked as the tree is
 * built, where they are known: the operators take numbers (a variable
 * may hold one), a variable takes a number, a list or a pair.  Arithmetic
 * on two literal numbers is folded (SOCK_STREAM | SOCK_NONBLOCK, -1), so
 * that a call sees the value it checks.
 *
 * Variables are checked in text order: a use before any assignment
 * earlier in the text is an error (a loop may assign later in the text
 * and use earlier; the parser does not follow loops, so write the first
 * value before the loop).
 */
#include "sim/config/script_int.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <string.h>
#include "sim/config/units.h"

/* ---- types ---- */

enum sp_type sp_type_of(const struct script_expr *e)
{
	switch (e->kind) {
	case SX_INT:
	case SX_ERRNO:
	case SX_UNARY:
	case SX_BINARY:
	case SX_FIELD:
	case SX_CALL:
	case SX_CURRENT:
		return TY_NUM;
	case SX_VAR:
		return TY_ANY;
	case SX_ASSIGN:
		return sp_type_of(e->kids[0]);
	case SX_DURATION:
		return TY_DURATION;
	case SX_STRING:
		return TY_STRING;
	case SX_ADDR:
		return TY_ADDR;
	case SX_NULL:
		return TY_NULL;
	case SX_REF:
		return TY_REF;
	case SX_BUF:
		return TY_BUF;
	case SX_LIST:
		return TY_LIST;
	case SX_PAIR:
		return TY_PAIR;
	case SX_GEN:
		return TY_OTHER;
	}
	return TY_OTHER;
}

const char *sp_type_name(enum sp_type t)
{
	static const char *const names[] = {
		[TY_NUM] = "a number", [TY_ANY] = "a variable", [TY_STRING] = "a string",
		[TY_ADDR] = "an address", [TY_DURATION] = "a duration", [TY_NULL] = "NULL",
		[TY_LIST] = "a list", [TY_PAIR] = "a pair", [TY_BUF] = "buf",
		[TY_REF] = "a reference (&name)", [TY_OTHER] = "a value of the short form",
	};
	return names[t];
}

static bool is_number(const struct script_expr *e)
{
	enum sp_type t = sp_type_of(e);
	return t == TY_NUM || t == TY_ANY;
}

/* Fails unless e is a number; `where` says what wanted one. */
static bool want_number(struct script_parser *p, const struct script_expr *e, const char *where)
{
	if (is_number(e))
		return true;
	return sp_fail(p, sx_at(e), "%s: expected a number, found %s", where,
	               sp_type_name(sp_type_of(e)));
}

/* ---- names ---- */

bool sp_looks_constant(const char *name)
{
	bool capital = false;

	for (const char *c = name; *c; c++) {
		if (g_ascii_islower(*c))
			return false;
		capital |= g_ascii_isupper(*c);
	}
	return capital;
}

bool sp_check_var_name(struct script_parser *p, const struct tok *t, const char *name)
{
	if (script_const_find(name))
		return sp_fail(p, t->at, "'%s' is a constant, not a variable", name);
	if (sp_looks_constant(name))
		return sp_fail(p, t->at, "unknown constant '%s' (a variable's name has a small letter)", name);
	if (sp_is_keyword(name) || strcmp(name, "NULL") == 0 || strcmp(name, "buf") == 0 ||
	    strcmp(name, "errno") == 0)
		return sp_fail(p, t->at, "'%s' is a word of the language, not a variable", name);
	if (sp_is_call_name(name) || sp_is_short_name(name))
		return sp_fail(p, t->at, "'%s' is a call, not a variable: expected %s(...)", name, name);
	return true;
}

bool sp_is_assign(const struct script_parser *p, const struct tok *t)
{
	const char *s = p->text + t->end;

	while (*s == ' ' || *s == '\t')
		s++;
	return s[0] == '=' && s[1] != '=';
}

/* A variable may hold a number, a list or a pair. */
static bool want_storable(struct script_parser *p, const struct script_expr *e)
{
	enum sp_type t = sp_type_of(e);

	if (t == TY_NUM || t == TY_ANY || t == TY_LIST || t == TY_PAIR)
		return true;
	return sp_fail(p, sx_at(e),
	               "a variable holds a number, a list or a pair, not %s", sp_type_name(t));
}

struct script_expr *sp_parse_assign(struct script_parser *p, const struct tok *t)
{
	char *name = tok_text(p, t);
	bool ok = sp_check_var_name(p, t, name);
	uint32_t var = ok ? sp_var(p, name) : 0;
	struct script_expr *rhs = NULL;

	g_free(name);
	if (!ok)
		return NULL;
	lex_take(p, t);
	lex_expect(p, "=", "'='"); /* sp_is_assign saw it */
	rhs = sp_parse_expr(p);
	if (!rhs || !want_storable(p, rhs)) {
		sx_free(rhs);
		return NULL;
	}
	p->assigned->data[var] = 1; /* after the right side, which may not use it */
	struct script_expr *e = sx_with_kids(SX_ASSIGN, t->at, rhs);
	e->var = var;
	return e;
}

/* ---- operands ---- */

static struct script_expr *fail_at(struct script_parser *p, struct sp_at at, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

static struct script_expr *fail_at(struct script_parser *p, struct sp_at at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	sp_fail(p, at, "%s", why);
	g_free(why);
	return NULL;
}

/* "10.0.0.2:80", "*:80": host byte order; port 0 is allowed (bind's "any"). */
static struct script_expr *parse_address(struct script_parser *p, const struct tok *t, const char *word)
{
	const char *colon = strchr(word, ':');
	char *host = g_strndup(word, (size_t)(colon - word));
	struct in_addr a = { 0 };
	bool host_ok = strcmp(host, "*") == 0 || inet_pton(AF_INET, host, &a) == 1;
	uint64_t port = 0;

	g_free(host);
	if (!host_ok)
		return fail_at(p, t->at, "'%s': expected an IPv4 address such as 10.0.0.2:80", word);
	if (!units_parse_uint(colon + 1, 0, 65535, &port, NULL))
		return fail_at(p, t->at, "'%s': expected a port number 0-65535 after the ':'", word);
	struct script_expr *e = sx_new(SX_ADDR, t->at);
	e->addr = ntohl(a.s_addr);
	e->port = (uint16_t)port;
	return e;
}

static bool parse_hex(const char *word, uint64_t *v)
{
	char *end = NULL;

	if (word[0] != '0' || (word[1] != 'x' && word[1] != 'X') || !g_ascii_isxdigit(word[2]))
		return false;
	*v = g_ascii_strtoull(word + 2, &end, 16);
	return *end == '\0' && *v <= INT64_MAX;
}

/* A word that starts with a digit (or "*:"): a number, a size, a duration
 * or an address, in that order of preference ("0" is a number). */
static struct script_expr *parse_word(struct script_parser *p, const struct tok *t, const char *word)
{
	uint64_t v;
	sim_time d;

	if (strchr(word, ':'))
		return parse_address(p, t, word);
	if (parse_hex(word, &v) || units_parse_uint(word, 0, INT64_MAX, &v, NULL) ||
	    (units_parse_bytes(word, &v, NULL) && v <= INT64_MAX))
		return sx_int(t->at, (int64_t)v);
	if (units_parse_duration(word, &d, NULL)) {
		struct script_expr *e = sx_new(SX_DURATION, t->at);
		e->t = d;
		return e;
	}
	if (strchr(word, '.') != strrchr(word, '.'))
		return fail_at(p, t->at, "'%s': an address needs its port, as in 10.0.0.2:80", word);
	if (strspn(word, "0123456789") == strlen(word))
		return fail_at(p, t->at, "'%s': a number above %" G_GINT64_FORMAT, word, (int64_t)INT64_MAX);
	return fail_at(p, t->at, "'%s': expected a number, a size such as 64KiB or a duration such as 300ms",
	               word);
}

static struct script_expr *parse_string(struct script_parser *p, const struct tok *t)
{
	uint8_t *data;
	uint32_t len;

	if (!lex_string(p, &data, &len))
		return NULL;
	struct script_expr *e = sx_new(SX_STRING, t->at);
	e->data = data;
	e->len = len;
	return e;
}

/* .field after a variable or name[i]. */
static struct script_expr *parse_field(struct script_parser *p, struct script_expr *base)
{
	struct tok t;

	lex_peek(p, &t);
	if (!tok_is(&t, ".")) {
		lex_unexpected(p, &t, "'.' and a field name after the index");
		sx_free(base);
		return NULL;
	}
	lex_take(p, &t);
	lex_peek(p, &t);
	char *name = t.kind == TK_NAME ? tok_text(p, &t) : NULL;
	if (!name || !script_field_known(name)) {
		if (name)
			sp_fail(p, t.at, "unknown field '%s' (tcpsim --help-scripts lists them)", name);
		else
			lex_unexpected(p, &t, "a field name such as revents or tcpi_state");
		g_free(name);
		sx_free(base);
		return NULL;
	}
	lex_take(p, &t);
	struct script_expr *e = sx_with_kids(SX_FIELD, sx_at(base), base);
	e->field = name;
	return e;
}

/* [i].field after a variable: i is a whole number as written. */
static struct script_expr *parse_index(struct script_parser *p, struct script_expr *base)
{
	struct tok t;
	uint64_t i = 0;

	lex_expect(p, "[", "'['"); /* the caller saw it */
	p->nest++;
	lex_peek(p, &t);
	char *word = t.kind == TK_WORD ? tok_text(p, &t) : NULL;
	bool ok = word && units_parse_uint(word, 0, UINT32_MAX, &i, NULL);
	g_free(word);
	if (!ok)
		lex_unexpected(p, &t, "an index such as 0");
	else
		lex_take(p, &t);
	ok = ok && lex_expect(p, "]", "']'");
	p->nest--;
	if (!ok) {
		sx_free(base);
		return NULL;
	}
	struct script_expr *e = parse_field(p, base);
	if (e) {
		e->has_index = true;
		e->index = (uint32_t)i;
	}
	return e;
}

/* A variable, with a field maybe: name, name.field, name[i].field. */
static struct script_expr *parse_variable(struct script_parser *p, const struct tok *t, const char *name)
{
	uint32_t var = sp_var(p, name);
	struct tok next;

	if (!p->assigned->data[var]) {
		sp_fail(p, t->at, "'%s' is used before any value is given to it", name);
		return NULL;
	}
	lex_take(p, t);
	struct script_expr *e = sx_var(t->at, SX_VAR, var);
	lex_peek(p, &next);
	if (tok_is(&next, "."))
		return parse_field(p, e);
	if (tok_is(&next, "["))
		return parse_index(p, e);
	return e;
}

static struct script_expr *parse_constant(struct script_parser *p, const struct tok *t,
                                          const struct script_const *c)
{
	lex_take(p, t);
	struct script_expr *e = sx_int(t->at, c->value);
	p->const_expr = e; /* for a call's check of a bare constant argument */
	p->const_def = c;
	return e;
}

/* NULL, buf and errno: words of the language that are values. */
static bool value_word(const char *name, enum script_expr_kind *kind)
{
	static const struct { const char *word; enum script_expr_kind kind; } words[] = {
		{ "NULL", SX_NULL }, { "buf", SX_BUF }, { "errno", SX_ERRNO },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
		if (strcmp(name, words[i].word) == 0) {
			*kind = words[i].kind;
			return true;
		}
	return false;
}

static struct script_expr *parse_name(struct script_parser *p, const struct tok *t)
{
	char *name = tok_text(p, t);
	const struct script_const *c = script_const_find(name);
	struct script_expr *e = NULL;
	enum script_expr_kind kind;

	if (value_word(name, &kind)) {
		lex_take(p, t);
		e = sx_new(kind, t->at);
	} else if (lex_after(p, t) == '(') {
		e = sp_parse_call(p, t);
	} else if (c) {
		e = parse_constant(p, t, c);
	} else if (sp_looks_constant(name)) {
		sp_fail(p, t->at, "unknown constant '%s'", name);
	} else if (sp_is_keyword(name)) {
		lex_unexpected(p, t, "a value");
	} else if (sp_check_var_name(p, t, name)) {
		e = parse_variable(p, t, name);
	}
	g_free(name);
	return e;
}

/* ( expr ) or ( name = expr ). */
static struct script_expr *parse_paren(struct script_parser *p, const struct tok *open)
{
	struct tok t;
	struct script_expr *e;

	lex_take(p, open);
	p->nest++;
	lex_peek(p, &t);
	if (t.kind == TK_NAME && sp_is_assign(p, &t))
		e = sp_parse_assign(p, &t);
	else
		e = sp_parse_expr(p);
	if (e && !lex_expect(p, ")", "')'")) {
		sx_free(e);
		e = NULL;
	}
	p->nest--;
	return e;
}

/* One element of a list: a number (select's sets) or a pair (poll's). */
static struct script_expr *parse_element(struct script_parser *p)
{
	struct script_expr *e = sp_parse_expr(p);

	if (e && sp_type_of(e) != TY_PAIR && !want_number(p, e, "a list holds numbers or pairs")) {
		sx_free(e);
		e = NULL;
	}
	return e;
}

/* [a, b, ...] */
static struct script_expr *parse_list(struct script_parser *p, const struct tok *open)
{
	GPtrArray *kids = g_ptr_array_new_with_free_func((GDestroyNotify)sx_free);
	struct tok t;
	bool ok = true;

	lex_take(p, open);
	p->nest++;
	lex_peek(p, &t);
	while (ok && !tok_is(&t, "]")) {
		struct script_expr *e = parse_element(p);
		if (e)
			g_ptr_array_add(kids, e);
		ok = e != NULL;
		if (ok)
			lex_peek(p, &t);
		if (ok && tok_is(&t, ","))
			lex_take(p, &t);
		else if (ok && !tok_is(&t, "]"))
			ok = lex_unexpected(p, &t, "',' or ']'");
	}
	if (ok)
		lex_take(p, &t);
	p->nest--;
	if (!ok) {
		g_ptr_array_free(kids, TRUE);
		return NULL;
	}
	struct script_expr *e = sx_new(SX_LIST, open->at);
	g_ptr_array_set_free_func(kids, NULL);
	sx_adopt(e, kids);
	return e;
}

/* {a, b}: a pair of numbers; {10.0.0.2:80}: an address. */
static struct script_expr *parse_brace(struct script_parser *p, const struct tok *open)
{
	struct script_expr *a, *b = NULL;
	struct tok t;
	bool ok;

	lex_take(p, open);
	p->nest++;
	a = sp_parse_expr(p);
	lex_peek(p, &t);
	if (a && a->kind == SX_ADDR && tok_is(&t, "}")) {
		lex_take(p, &t);
		p->nest--;
		return a;
	}
	ok = a && (tok_is(&t, ",") || lex_unexpected(p, &t, "',' ({a, b} is a pair, {10.0.0.2:80} an address)"));
	if (ok) {
		lex_take(p, &t);
		b = sp_parse_expr(p);
	}
	ok = ok && b && lex_expect(p, "}", "'}'") && want_number(p, a, "a pair holds two numbers") &&
	     want_number(p, b, "a pair holds two numbers");
	p->nest--;
	if (!ok) {
		sx_free(a);
		sx_free(b);
		return NULL;
	}
	return sx_with_kids(SX_PAIR, open->at, a, b);
}

/* &name: the call gives the variable its value. */
static struct script_expr *parse_ref(struct script_parser *p, const struct tok *amp)
{
	struct tok t;

	lex_take(p, amp);
	lex_peek(p, &t);
	if (t.kind != TK_NAME) {
		lex_unexpected(p, &t, "a variable name after '&'");
		return NULL;
	}
	char *name = tok_text(p, &t);
	bool ok = sp_check_var_name(p, &t, name);
	uint32_t var = ok ? sp_var(p, name) : 0;
	g_free(name);
	if (!ok)
		return NULL;
	lex_take(p, &t);
	p->assigned->data[var] = 1;
	return sx_var(amp->at, SX_REF, var);
}

static struct script_expr *parse_primary(struct script_parser *p)
{
	struct tok t;

	lex_peek(p, &t);
	if (t.kind == TK_WORD) {
		char *word = tok_text(p, &t);
		lex_take(p, &t);
		struct script_expr *e = parse_word(p, &t, word);
		g_free(word);
		return e;
	}
	if (t.kind == TK_STRING)
		return parse_string(p, &t);
	if (t.kind == TK_NAME)
		return parse_name(p, &t);
	if (tok_is(&t, "("))
		return parse_paren(p, &t);
	if (tok_is(&t, "["))
		return parse_list(p, &t);
	if (tok_is(&t, "{"))
		return parse_brace(p, &t);
	if (tok_is(&t, "&"))
		return parse_ref(p, &t);
	lex_unexpected(p, &t, "a value");
	return NULL;
}

/* ---- operators ---- */

static struct script_expr *parse_unary(struct script_parser *p)
{
	struct tok t;

	lex_peek(p, &t);
	if (!tok_is(&t, "!") && !tok_is(&t, "-"))
		return parse_primary(p);
	lex_take(p, &t);
	struct script_expr *operand = parse_unary(p);
	char *where = g_strdup_printf("'%s'", t.punct);
	bool ok = operand && want_number(p, operand, where);
	g_free(where);
	if (!ok) {
		sx_free(operand);
		return NULL;
	}
	if (t.punct[0] == '-' && operand->kind == SX_INT) { /* -1: a number, as C reads it */
		p->const_expr = NULL; /* no longer the constant as written */
		operand->i = -operand->i;
		operand->line = t.at.line;
		operand->column = t.at.column;
		return operand;
	}
	struct script_expr *e = sx_with_kids(SX_UNARY, t.at, operand);
	e->op = t.punct[0] == '!' ? SOP_NOT : SOP_NEG;
	return e;
}

/* C's binary operators, loosest first. */
static const struct binop {
	char tok[3];
	enum script_binop op;
	int prec;
} binops[] = {
	{ "||", SOP_OR, 1 }, { "&&", SOP_AND, 2 }, { "|", SOP_BITOR, 3 }, { "&", SOP_BITAND, 4 },
	{ "==", SOP_EQ, 5 }, { "!=", SOP_NE, 5 }, { "<", SOP_LT, 6 }, { "<=", SOP_LE, 6 },
	{ ">", SOP_GT, 6 }, { ">=", SOP_GE, 6 }, { "+", SOP_ADD, 7 }, { "-", SOP_SUB, 7 },
};

static const struct binop *find_binop(const struct tok *t)
{
	for (size_t i = 0; i < G_N_ELEMENTS(binops); i++)
		if (tok_is(t, binops[i].tok))
			return &binops[i];
	return NULL;
}

/* a op b on two literal numbers, when it fits in 64 bits. */
static bool fold(enum script_binop op, int64_t a, int64_t b, int64_t *out)
{
	if (op == SOP_BITOR)
		*out = a | b;
	else if (op == SOP_BITAND)
		*out = a & b;
	else if (op == SOP_ADD)
		return !__builtin_add_overflow(a, b, out);
	else if (op == SOP_SUB)
		return !__builtin_sub_overflow(a, b, out);
	else
		return false;
	return true;
}

static struct script_expr *combine(struct script_parser *p, const struct binop *b, struct script_expr *left,
                                   struct script_expr *right)
{
	char *where = g_strdup_printf("'%s'", b->tok);
	bool ok = want_number(p, left, where) && want_number(p, right, where);
	int64_t v;

	g_free(where);
	if (ok && left->kind == SX_INT && right->kind == SX_INT) {
		if (fold(b->op, left->i, right->i, &v)) {
			p->const_expr = NULL; /* no longer the constant as written */
			left->i = v;
			sx_free(right);
			return left;
		}
		if (b->op == SOP_ADD || b->op == SOP_SUB)
			ok = sp_fail(p, sx_at(left),
			             "'%s': the result does not fit in 64 bits", b->tok);
	}
	if (!ok) {
		sx_free(left);
		sx_free(right);
		return NULL;
	}
	return sx_binary(b->op, left, right);
}

static struct script_expr *parse_binary(struct script_parser *p, int min_prec)
{
	struct script_expr *left = parse_unary(p);
	struct tok t;
	const struct binop *b;

	while (left) {
		lex_peek(p, &t);
		if (!(b = find_binop(&t)) || b->prec < min_prec)
			break;
		lex_take(p, &t);
		struct script_expr *right = parse_binary(p, b->prec + 1);
		if (!right) {
			sx_free(left);
			return NULL;
		}
		left = combine(p, b, left, right);
	}
	return left;
}

struct script_expr *sp_parse_expr(struct script_parser *p)
{
	return parse_binary(p, 1);
}
