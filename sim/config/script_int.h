/*
 * What the files of the script parser share, and nothing outside them
 * includes (the public interface is sim/config/script.h).
 *
 * The files:
 *   script.c         statements, blocks, variables; script_parse()
 *   script_lex.c     the scanner: positions, blanks, tokens, "strings"
 *   script_expr.c    expressions, with C's precedence, and their operands
 *   script_call.c    the C calls: argument counts, types, canonical arguments
 *   script_short.c   the short form, as written and desugared
 *   script_tree.c    building and freeing the tree
 *   script_consts.c  Linux's named constants
 *   script_help.c    `tcpsim --help-scripts`
 *
 * One parse lives in a struct script_parser; nothing here is global state.
 * Errors: the first one wins (sp_fail ignores the later ones), and every
 * parse function returns false or NULL once it has failed, having freed
 * what it built.
 */
#ifndef SIM_CONFIG_SCRIPT_INT_H
#define SIM_CONFIG_SCRIPT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include "sim/config/script.h"

/* Most arguments a C call takes (select). */
#define SCRIPT_MAX_ARGS 5

/* A place in the text: 1-based line and byte column. */
struct sp_at {
	uint32_t line, column;
};

/* Where the scanner is. */
struct sp_pos {
	size_t pos;        /* next byte to read */
	uint32_t line;     /* 1-based line of that byte */
	size_t line_start; /* offset of the line's first byte */
};

struct script_parser {
	const char *text;
	struct sp_pos at;
	uint32_t nest;        /* open ( [ { of an expression: a newline is a blank */
	uint32_t depth;       /* open blocks: a '}' ends a short-form call */
	uint32_t loops;       /* enclosing while / repeat: break is allowed */
	bool c_form;          /* a C-form statement was seen */
	/* the first error */
	bool failed;
	struct sp_at err_at;
	char *err;            /* the reason, escaped for a terminal */
	/* variables: names (owned) and whether a value was given yet */
	GPtrArray *vars;
	GByteArray *assigned;
	GArray *calls;        /* struct script_call: the short form as written */
	/* the last named constant read as an operand, so that a call can
	 * check the kind of a bare constant argument */
	const struct script_expr *const_expr;
	const struct script_const *const_def;
};

/* ---- script.c ---- */

/* Fails at `at` with a message (escaped for a terminal); returns false. */
bool sp_fail(struct script_parser *p, struct sp_at at, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* The index of variable `name`, made on first sight. */
uint32_t sp_var(struct script_parser *p, const char *name);
/* if, else, while, repeat, break, exit. */
bool sp_is_keyword(const char *name);
/* Reads a block `{ stmts }` (newlines allowed before the '{'). */
bool sp_parse_block(struct script_parser *p, struct script_block *b);

/* ---- script_lex.c ---- */

enum tok_kind {
	TK_END,     /* the end of the text */
	TK_NEWLINE, /* a statement ends (never inside ( [ {) */
	TK_NAME,    /* [A-Za-z_][A-Za-z0-9_]* */
	TK_WORD,    /* a number, size, duration or address: a digit or "*:" first */
	TK_STRING,  /* "..." (decoded by lex_string) */
	TK_PUNCT,   /* ( ) { } [ ] , ; . = == != < <= > >= | || & && + - ! */
	TK_BAD,     /* a byte that starts no token */
};

struct tok {
	enum tok_kind kind;
	size_t start, end;   /* bytes of the text */
	struct sp_at at;
	char punct[3];       /* TK_PUNCT: the operator, NUL-terminated */
};

/* The next token, after blanks (and newlines inside an expression's
 * brackets), without taking it; the blanks are taken. */
void lex_peek(struct script_parser *p, struct tok *t);
/* Takes a token lex_peek returned. */
void lex_take(struct script_parser *p, const struct tok *t);
bool tok_is(const struct tok *t, const char *punct);
bool tok_is_name(const struct script_parser *p, const struct tok *t, const char *name);
/* The token's text (to free); shown escaped in messages. */
char *tok_text(const struct script_parser *p, const struct tok *t);
/* Takes the token if it is `punct`, else fails "expected WHAT, found X". */
bool lex_expect(struct script_parser *p, const char *punct, const char *what);
/* Fails with "expected WHAT, found X" about token t. */
bool lex_unexpected(struct script_parser *p, const struct tok *t, const char *what);
/* The byte after the name at t, past spaces and tabs ('\0' at the end). */
char lex_after(const struct script_parser *p, const struct tok *t);
/* The current position as a place. */
struct sp_at lex_here(const struct script_parser *p);
/* Skips spaces and tabs (not newlines); returns the next byte. */
char lex_skip_spaces(struct script_parser *p);
/* Scans the "string" at the current position into newly allocated
 * bytes (NULL when empty); a string ends on its line. */
bool lex_string(struct script_parser *p, uint8_t **data, uint32_t *len);

/* ---- script_tree.c ---- */

/* Where an expression starts. */
static inline struct sp_at sx_at(const struct script_expr *e)
{
	return (struct sp_at){ e->line, e->column };
}

/* The number of expressions given, and an array of them, for the builders
 * below: sx_with_kids(SX_PAIR, at, a, b), sx_call(at, fn, a, b). */
#define SX_COUNT(...) ((uint32_t)(sizeof((struct script_expr *[]){ __VA_ARGS__ }) / sizeof(struct script_expr *)))
#define SX_ARRAY(...) ((struct script_expr *[]){ __VA_ARGS__ })

struct script_expr *sx_new(enum script_expr_kind kind, struct sp_at at);
struct script_expr *sx_int(struct sp_at at, int64_t v);
struct script_expr *sx_var(struct sp_at at, enum script_expr_kind kind, uint32_t var);
/* A node with n kids (SX_LIST, SX_PAIR...), taken from kids. */
struct script_expr *sx_kids_of(enum script_expr_kind kind, struct sp_at at, uint32_t n,
                               struct script_expr *const *kids);
#define sx_with_kids(kind, at, ...) sx_kids_of(kind, at, SX_COUNT(__VA_ARGS__), SX_ARRAY(__VA_ARGS__))
struct script_expr *sx_binary(enum script_binop op, struct script_expr *a, struct script_expr *b);
/* fn(args) with its canonical name, taking the n args. */
struct script_expr *sx_call_of(struct sp_at at, enum script_fn fn, uint32_t n, struct script_expr *const *args);
#define sx_call(at, fn, ...) sx_call_of(at, fn, SX_COUNT(__VA_ARGS__), SX_ARRAY(__VA_ARGS__))
/* Takes the pointers of a GPtrArray of expressions as kids (frees the array). */
void sx_adopt(struct script_expr *e, GPtrArray *kids);
void sx_free(struct script_expr *e);
void fcall_free(struct script_fcall *c);

struct script_stmt st_new(enum script_stmt_kind kind, struct sp_at at, struct script_expr *e);
/* A block of the n statements of stmts (taken); st_block(a, b, ...) counts them. */
struct script_block st_block_of(uint32_t n, const struct script_stmt *stmts);
#define st_block(...)                                                                       \
	st_block_of(sizeof((struct script_stmt[]){ __VA_ARGS__ }) / sizeof(struct script_stmt), \
	            (struct script_stmt[]){ __VA_ARGS__ })
/* The statements of a GArray of struct script_stmt (frees the array). */
struct script_block st_take(GArray *stmts);
void st_clear(struct script_stmt *s);
void block_clear(struct script_block *b);

/* ---- script_expr.c ---- */

/* Any expression; NULL after a failure. */
struct script_expr *sp_parse_expr(struct script_parser *p);
/* Whether the name at t is followed by '=' (and not "=="). */
bool sp_is_assign(const struct script_parser *p, const struct tok *t);
/* NAME = expr, the name at t: an SX_ASSIGN; NULL after a failure. */
struct script_expr *sp_parse_assign(struct script_parser *p, const struct tok *t);
/* Fails unless name (at t) can name a variable: not a keyword, call,
 * constant, or a name in capitals (which would be a constant). */
bool sp_check_var_name(struct script_parser *p, const struct tok *t, const char *name);
/* Whether name is written like a constant: capitals, digits and '_'. */
bool sp_looks_constant(const char *name);
/* What a value is, for the type checks of calls and operators. */
enum sp_type {
	TY_NUM,      /* a number: literals, constants, calls, arithmetic, errno, fields */
	TY_ANY,      /* a variable: a number, a list or a pair */
	TY_STRING, TY_ADDR, TY_DURATION, TY_NULL, TY_LIST, TY_PAIR, TY_BUF, TY_REF,
	TY_OTHER,    /* the short form's own: SX_GEN, SX_CURRENT */
};
enum sp_type sp_type_of(const struct script_expr *e);
/* "a number", "a string", ... */
const char *sp_type_name(enum sp_type t);

/* ---- script_call.c ---- */

/* name(args) at t, a TK_NAME followed by '('; NULL after a failure. */
struct script_expr *sp_parse_call(struct script_parser *p, const struct tok *t);
/* Whether name is a call of the C form (socket, accept4, FD_ISSET...). */
bool sp_is_call_name(const char *name);
/* For --help-scripts: the i-th call's name and parameters, NULL past the end. */
const char *sp_call_signature(size_t i, const char **params);

/* ---- script_short.c ---- */

/* Whether name is a short-form call (listen, echo, abort...). */
bool sp_is_short_name(const char *name);
/* The short-form call at the current position, up to (not including) the
 * ';', newline or closing '}' that ends it: appended to p->calls and
 * desugared into *out (an SS_BLOCK). */
bool sp_parse_short(struct script_parser *p, struct script_stmt *out);
/* Frees the calls of an array ended by an entry of op SCRIPT_OP_COUNT. */
void sp_free_calls(struct script_call *calls);

/* ---- script_consts.c ---- */

struct script_const {
	const char *name;
	const char *kind;   /* "errno", "sockopt"... (script.h) */
	int64_t value;
	bool alias;         /* another name of a value (EWOULDBLOCK): never output */
};

/* The constant of that name, or NULL. */
const struct script_const *script_const_find(const char *name);
/* The whole table, for --help-scripts. */
const struct script_const *script_consts(size_t *n);
/* A struct a script reads fields of, for --help-scripts. */
struct script_struct {
	const char *name;   /* "struct pollfd (poll)" */
	const char *fields; /* its fields, separated by one blank */
};

/* Whether name is a field a script may read (revents, tcpi_state...). */
bool script_field_known(const char *name);
const struct script_struct *script_structs(size_t *n);

#endif
