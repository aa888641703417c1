/*
 * What the files of the packetdrill parser share, and nothing outside them
 * includes (the public interface is sim/pkt/pkt.h).
 *
 * The files:
 *   pkt_lex.c      the scanner: tokens as packetdrill's lexer.l cuts them,
 *                  comments, #ifdef / #ifndef / #else / #endif, errors
 *   pkt_parse.c    the script: header options, init command, events,
 *                  times, syscalls; pkt_parse()
 *   pkt_packet.c   packet lines: TCP, UDP, ICMP, TCP options
 *   pkt_expr.c     syscall arguments: expressions
 *   pkt_tree.c     freeing the tree; pkt_script_clear()
 *
 * One parse lives in a struct pkt_lex; nothing here is global state.
 * Errors: the first one wins (pkt_fail ignores the later ones), and once
 * it is set the scanner gives only PKT_T_EOF, so every loop of the parser
 * ends; every parse function frees what it built when it fails.
 */
#ifndef SIM_PKT_PKT_INT_H
#define SIM_PKT_PKT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include "sim/pkt/pkt.h"

/* Deepest nesting of #ifdef blocks. */
#define PKT_MAX_COND_DEPTH 32
/* Deepest nesting of expressions ([ { and the operands of '|'): the tree
 * is freed recursively, and fuzzed input must not exhaust the stack. */
#define PKT_MAX_EXPR_DEPTH 64
/* TCP options fill at most 40 bytes, each option at least one. */
#define PKT_MAX_OPTIONS 40

/* ---- pkt_lex.c ---- */

enum pkt_tok_kind {
	PKT_T_EOF,
	PKT_T_WORD,     /* [A-Za-z0-9_]+ that is not a number */
	PKT_T_INT,      /* -?[0-9]+ */
	PKT_T_HEX,      /* 0x[0-9a-fA-F]+ */
	PKT_T_FLOAT,    /* -?[0-9]*.[0-9]+ */
	PKT_T_IPV4,     /* 192.0.2.1 */
	PKT_T_STRING,   /* "..." */
	PKT_T_COMMAND,  /* `...` */
	PKT_T_CODE,     /* %{ ... }% */
	PKT_T_OPTION,   /* --name or --name=value */
	PKT_T_ELLIPSIS, /* ... */
	PKT_T_PUNCT,    /* any other single byte */
};

struct pkt_tok {
	enum pkt_tok_kind kind;
	uint32_t line;      /* where it starts */
	size_t start, len;  /* its bytes in the text, as written */
	char punct;         /* PUNCT: the byte */
	int64_t value;      /* INT, HEX */
	bool too_big;       /* INT, HEX: beyond int64_t (value is meaningless) */
	char *text;         /* STRING, COMMAND, CODE: the body; OPTION: the name */
	char *opt_value;    /* OPTION: the value after '=', or NULL */
};

/* One #ifdef / #ifndef block open at this point of the text. */
struct pkt_cond {
	uint32_t line;      /* of the #ifdef or #ifndef */
	bool parent_active; /* the lines around the block are kept */
	bool cond;          /* the name test held */
	bool in_else;       /* past its #else */
};

struct pkt_lex {
	const char *path;
	const char *src;
	size_t len, pos;
	uint32_t line;             /* of src[pos] */
	bool line_start;           /* only blanks since the line began */
	const char *const *defined;
	struct pkt_cond conds[PKT_MAX_COND_DEPTH];
	uint32_t n_conds;
	struct pkt_tok tok;        /* the current token, not yet taken */
	uint32_t prev_line;        /* line of the last token taken */
	uint32_t depth;            /* expression nesting (pkt_expr.c) */
	/* the first error */
	bool failed;
	char *err;                 /* "PATH:LINE: syntax error: ...", escaped */
};

void pkt_lex_init(struct pkt_lex *lx, const char *path, const char *text, size_t len,
                  const char *const *defined);
void pkt_lex_free(struct pkt_lex *lx);
/* Drops the current token and reads the next one into lx->tok. */
void pkt_lex_next(struct pkt_lex *lx);
/* The current token's text (STRING, COMMAND, CODE, OPTION name), now the
 * caller's. */
char *pkt_lex_steal_text(struct pkt_lex *lx);
/* The current token as written, newly allocated. */
char *pkt_tok_raw(const struct pkt_lex *lx);

/* Fails at `line` with "what was expected" (escaped here); returns false.
 * Only the first failure is kept. */
bool pkt_fail(struct pkt_lex *lx, uint32_t line, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Fails at the current token: "expected WHAT, found TOKEN". */
bool pkt_expected(struct pkt_lex *lx, const char *what);
/* The same at another line (the line of the call a missing '=' ends). */
bool pkt_expected_at(struct pkt_lex *lx, uint32_t line, const char *what);

bool pkt_is_punct(const struct pkt_lex *lx, char c);
bool pkt_is_word(const struct pkt_lex *lx, const char *word);
/* Takes the current token if it is the punctuation c. */
bool pkt_accept(struct pkt_lex *lx, char c);
/* Takes punctuation c, or fails with "expected WHAT". */
bool pkt_expect(struct pkt_lex *lx, char c, const char *what);
/* Takes an INT in [0, max] into *out, or fails naming `what`. */
bool pkt_expect_uint(struct pkt_lex *lx, uint64_t max, const char *what, uint32_t *out);

/* ---- pkt_expr.c ---- */

/* One syscall argument or return value (packetdrill's `expression`). */
struct pkt_expr *pkt_parse_expr(struct pkt_lex *lx);

/* ---- pkt_packet.c ---- */

/* A packet line, from its '<' or '>'. */
bool pkt_parse_packet(struct pkt_lex *lx, struct pkt_packet *out);

/* ---- pkt_tree.c ---- */

void pkt_expr_free(struct pkt_expr *e);
void pkt_packet_clear(struct pkt_packet *p);
void pkt_syscall_clear(struct pkt_syscall *c);
void pkt_event_clear(struct pkt_event *ev);

#endif
