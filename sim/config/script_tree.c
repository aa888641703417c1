/*
 * Building and freeing the tree of sim/config/script.h.
 *
 * Every node owns what hangs under it (kids, call, string bytes, field
 * name; a statement its expression and blocks), so freeing a node frees
 * its subtree, and a parse that fails frees what it built node by node.
 * The builders never fail; the short form's desugaring is written with
 * them.  They take arrays, which script_int.h's macros build from their
 * arguments, rather than varargs (which the static analyzer cannot follow).
 */
#include "sim/config/script_int.h"


struct script_expr *sx_new(enum script_expr_kind kind, struct sp_at at)
{
	struct script_expr *e = g_new0(struct script_expr, 1);

	e->kind = kind;
	e->line = at.line;
	e->column = at.column;
	return e;
}

struct script_expr *sx_int(struct sp_at at, int64_t v)
{
	struct script_expr *e = sx_new(SX_INT, at);

	e->i = v;
	return e;
}

struct script_expr *sx_var(struct sp_at at, enum script_expr_kind kind, uint32_t var)
{
	struct script_expr *e = sx_new(kind, at);

	e->var = var;
	return e;
}

void sx_adopt(struct script_expr *e, GPtrArray *kids)
{
	e->n_kids = kids->len;
	e->kids = (struct script_expr **)g_ptr_array_free(kids, kids->len == 0);
}

struct script_expr *sx_kids_of(enum script_expr_kind kind, struct sp_at at, uint32_t n,
                               struct script_expr *const *kids)
{
	struct script_expr *e = sx_new(kind, at);

	e->n_kids = n;
	e->kids = n ? g_memdup2(kids, n * sizeof(struct script_expr *)) : NULL;
	return e;
}

struct script_expr *sx_binary(enum script_binop op, struct script_expr *a, struct script_expr *b)
{
	struct script_expr *e = sx_with_kids(SX_BINARY, sx_at(a), a, b);

	e->op = op;
	return e;
}

struct script_expr *sx_call_of(struct sp_at at, enum script_fn fn, uint32_t n, struct script_expr *const *args)
{
	struct script_expr *e = sx_new(SX_CALL, at);

	e->call = g_new0(struct script_fcall, 1);
	*e->call = (struct script_fcall){ .fn = fn, .name = script_fn_name(fn), .line = at.line,
	                                  .column = at.column, .n_args = n,
	                                  .args = n ? g_memdup2(args, n * sizeof(struct script_expr *)) : NULL };
	return e;
}

void fcall_free(struct script_fcall *c)
{
	if (!c)
		return;
	for (uint32_t i = 0; i < c->n_args; i++)
		sx_free(c->args[i]);
	g_free(c->args);
	g_free(c);
}

void sx_free(struct script_expr *e)
{
	if (!e)
		return;
	for (uint32_t i = 0; i < e->n_kids; i++)
		sx_free(e->kids[i]);
	g_free(e->kids);
	g_free(e->data);
	g_free(e->field);
	fcall_free(e->call);
	g_free(e);
}

/* ---- statements ---- */

struct script_stmt st_new(enum script_stmt_kind kind, struct sp_at at, struct script_expr *e)
{
	return (struct script_stmt){ .kind = kind, .line = at.line, .column = at.column, .expr = e,
	                             .short_call = -1 };
}

struct script_block st_take(GArray *stmts)
{
	struct script_block b = { NULL, stmts->len };

	b.v = (struct script_stmt *)g_array_free(stmts, stmts->len == 0);
	return b;
}

struct script_block st_block_of(uint32_t n, const struct script_stmt *stmts)
{
	GArray *a = g_array_sized_new(FALSE, FALSE, sizeof(struct script_stmt), n);

	g_array_append_vals(a, stmts, n);
	return st_take(a);
}

void block_clear(struct script_block *b)
{
	for (uint32_t i = 0; i < b->n; i++)
		st_clear(&b->v[i]);
	g_free(b->v);
	*b = (struct script_block){ NULL, 0 };
}

void st_clear(struct script_stmt *s)
{
	sx_free(s->expr);
	s->expr = NULL;
	block_clear(&s->body);
	block_clear(&s->orelse);
}
