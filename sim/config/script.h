/*
 * App scripts: the program one endpoint runs, written in a config.
 *
 * Two forms, freely mixed.  The C form reads like the program it stands
 * for, one statement per line (a script value may go on over indented
 * lines) or ';'-separated:
 *
 *     fd = socket(AF_INET, SOCK_STREAM, 0)
 *     fcntl(fd, F_SETFL, O_NONBLOCK)
 *     connect(fd, 10.0.0.2:7777)
 *     n = select(fd + 1, NULL, [fd], NULL, 300ms)
 *     if n == 0 { close(fd); exit(1) }
 *     getsockopt(fd, SOL_SOCKET, SO_ERROR, &err)
 *
 * The short form (the first round's) is a list of words, each call acting
 * on "the current socket" (the last one socket() or accept() returned):
 *
 *     listen 9877; accept; recv; send "a\n"; close
 *
 * The parser turns both into one tree of statements whose calls have
 * canonical arguments (below), so the interpreter (sim/world/app.c) knows
 * one shape per call.  A short-form call becomes a block of C-form
 * statements (connect = socket + connect, recv all = a read loop, ...);
 * the short-form list is also kept as written (struct script_call) for
 * the tools that reason about a script's shape.
 *
 * Grammar of the C form:
 *   stmt   := [NAME '='] expr | 'if' expr block ['else' (block | if-stmt)]
 *           | 'while' expr block | 'repeat' expr block | 'break'
 *           | 'exit' ['(' expr ')'] | NAME '=' expr
 *   block  := '{' stmts '}'        (stmts separated by ';' or newlines)
 *   expr   := C's operators || && == != < <= > >= | & + - ! and ( ),
 *             with C's precedence; operands: integers, sizes (64KiB),
 *             durations (300ms), names (variables), constants (EINPROGRESS,
 *             O_NONBLOCK, POLLIN, SO_ERROR, TCP_ESTABLISHED...), errno,
 *             "strings", addresses (10.0.0.2:80, {10.0.0.2:80}, *:80),
 *             lists [a, b], pairs {a, b}, NULL, buf, &name, name.field,
 *             name[i].field, (name = call(...)), calls, FD_ISSET(fd, set).
 *
 * Errors name the 1-based line (within the value) and column.
 */
#ifndef SIM_CONFIG_SCRIPT_H
#define SIM_CONFIG_SCRIPT_H

#include <stdbool.h>
#include <stdint.h>
#include "sim/engine/time.h"

/* Linux's IP-level options (include/uapi/linux/in.h), for a libc that
 * does not name them yet */
#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif
#ifndef IP_LOCAL_PORT_RANGE
#define IP_LOCAL_PORT_RANGE 51
#endif

/* FreeBSD's own TCP options (sys/netinet/tcp.h), with FreeBSD's numbers;
 * a Linux host refuses them (ENOPROTOOPT), as Linux has neither */
#define TCP_NOOPT 8
#define TCP_KEEPINIT 128

/* The DSCP class selectors of IP_TOS (RFC 2474; FreeBSD netinet/ip.h) */
#define IPTOS_DSCP_CS0 0x00
#define IPTOS_DSCP_CS1 0x20
#define IPTOS_DSCP_CS2 0x40
#define IPTOS_DSCP_CS3 0x60
#define IPTOS_DSCP_CS4 0x80
#define IPTOS_DSCP_CS5 0xa0
#define IPTOS_DSCP_CS6 0xc0
#define IPTOS_DSCP_CS7 0xe0

/* ---- the short form, as written ---- */

enum script_op {
	SCRIPT_LISTEN,
	SCRIPT_ACCEPT,
	SCRIPT_CONNECT,
	SCRIPT_SEND,
	SCRIPT_RECV,
	SCRIPT_ECHO,
	SCRIPT_SLEEP,
	SCRIPT_SHUTDOWN,
	SCRIPT_CLOSE,
	SCRIPT_ABORT,
	SCRIPT_CRASH,
	SCRIPT_REBOOT,
	SCRIPT_OP_COUNT
};

enum script_recv_mode {
	SCRIPT_RECV_ONCE,  /* one read */
	SCRIPT_RECV_BYTES, /* until `count` bytes or EOF */
	SCRIPT_RECV_ALL,   /* until EOF */
};

enum script_shut { SCRIPT_SHUT_WR, SCRIPT_SHUT_RD, SCRIPT_SHUT_RDWR };

/* One short-form call.  Short-form grammar:
 *   listen [PORT] [backlog=N]   connect [ADDR:PORT] [timeout=D | sndtimeo=D]
 *   accept   send "STRING" | send BYTES   recv | recv BYTES | recv all
 *   echo [N]   sleep D   shutdown [wr|rd|rdwr]   close   abort   crash   reboot */
struct script_call {
	enum script_op op;
	uint32_t column;        /* 1-based column of the call in its line */
	uint32_t line;          /* 1-based line within the script text */
	bool has_target;        /* listen PORT / connect ADDR:PORT given */
	uint32_t addr;          /* connect: IPv4, host byte order */
	uint16_t port;          /* listen, connect */
	uint32_t backlog;       /* listen: accept queue length (default 128) */
	sim_time duration;      /* sleep; connect: user time limit, 0 = none */
	bool sndtimeo;          /* connect: the limit is SO_SNDTIMEO, not select() */
	uint8_t *data;          /* send "STRING": the bytes (owned), else NULL */
	uint64_t count;         /* send BYTES, recv BYTES, echo N (0 = until EOF) */
	enum script_recv_mode recv_mode;
	enum script_shut shut;  /* shutdown */
};

/* What each short-form call becomes (CUR is SX_CURRENT; .l, .n, .err are
 * the parser's own variables; every variable starts at 0):
 *   listen P backlog=B  if .l == 0 { .l = socket(AF_INET, SOCK_STREAM, 0);
 *                         bind(.l, *:P); listen(.l, B) }
 *                       (P left out: SX_ADDR .dflt; a repeated script keeps
 *                       its listening socket)
 *   accept              accept(.l, 0)
 *   connect A           socket(AF_INET, SOCK_STREAM, 0); BIND; connect(CUR, A)
 *                       BIND: if OWN { setsockopt(CUR, SOL_SOCKET, SO_REUSEADDR, 1);
 *                       bind(CUR, OWN) }, OWN an SX_ADDR .dflt, whose value is
 *                       the endpoint's own port (0: none, no bind)
 *   connect A timeout=D socket(...); BIND; fcntl(CUR, F_SETFL, O_NONBLOCK);
 *                       if connect(CUR, A) < 0 && errno == EINPROGRESS {
 *                         if select(NULL, NULL, [CUR], NULL, D) > 0 {
 *                           getsockopt(CUR, SOL_SOCKET, SO_ERROR, &.err) } }
 *                       fcntl(CUR, F_SETFL, 0)
 *   connect A sndtimeo=D  socket(...); BIND; setsockopt(CUR, SOL_SOCKET, SO_SNDTIMEO, D);
 *                       connect(CUR, A)
 *   send "S" | send N   send(CUR, "S", len, 0) | send(CUR, SX_GEN, N, 0)
 *   recv                recv(CUR, buf, 65536, 0)
 *   recv N              recv(CUR, buf, N, MSG_WAITALL)
 *   recv all            while recv(CUR, buf, 65536, 0) > 0 { }
 *   echo                while (.n = recv(CUR, buf, 65536, 0)) > 0 {
 *                         if send(CUR, buf, .n, 0) < 0 { break } }
 *   echo N              repeat N { .n = recv(CUR, buf, 65536, 0); if .n <= 0 { break }
 *                         if send(CUR, buf, .n, 0) < 0 { break } }
 *   sleep D             sleep(D)
 *   shutdown H          shutdown(CUR, SHUT_WR | SHUT_RD | SHUT_RDWR)
 *   close               close(CUR)
 *   abort               setsockopt(CUR, SOL_SOCKET, SO_LINGER, {1, 0}); close(CUR)
 *   crash | reboot      crash() | reboot()
 * A program written only in the short form ignores SIGPIPE (a failed send
 * returns EPIPE and the script goes on), as the first round's did.
 * Each becomes one SS_BLOCK statement whose short_call indexes `calls`;
 * the statements inside carry the short call's line and column. */

/* ---- the tree both forms become ---- */

/* The functions a script can call, each with its canonical arguments
 * (optional ones filled in by the parser; "expr" is any expression):
 *
 *   SOCKET      domain, type (SOCK_STREAM | SOCK_NONBLOCK), protocol
 *   BIND        fd, addr                  addr: SX_ADDR (0.0.0.0 = any)
 *   LISTEN      fd, backlog
 *   ACCEPT      fd, flags                 accept(fd[, NULL, NULL]) has flags 0;
 *                                         accept4(fd, NULL, NULL, SOCK_NONBLOCK)
 *   CONNECT     fd, addr
 *   GETSOCKOPT  fd, level, optname, ref   ref: SX_REF (the option's value goes there)
 *   SETSOCKOPT  fd, level, optname, value value: expr, SX_DURATION or SX_PAIR
 *   GETPEERNAME fd
 *   GETSOCKNAME fd
 *   SEND, WRITE fd, data, len, flags      data: SX_STRING | SX_BUF | SX_GEN;
 *                                         len defaults to the string's length
 *                                         (SX_GEN: the length is required)
 *   RECV, READ  fd, buf, len, flags       buf: SX_BUF
 *   SHUTDOWN    fd, how                   SHUT_RD | SHUT_WR | SHUT_RDWR
 *   CLOSE       fd
 *   SELECT      nfds, rd, wr, ex, timeout sets: SX_NULL | SX_LIST | SX_VAR;
 *                                         nfds: SX_NULL when left out (the
 *                                         interpreter uses the highest fd + 1);
 *                                         timeout: SX_NULL | SX_DURATION | SX_PAIR {s, us}
 *   POLL        fds, nfds, timeout        fds: SX_LIST of SX_PAIR {fd, events} | SX_VAR;
 *                                         nfds: SX_NULL = the list's length;
 *                                         timeout: expr (ms, -1 forever) | SX_DURATION
 *   FCNTL       fd, cmd, arg              F_GETFL (arg SX_NULL) | F_SETFL
 *   IOCTL       fd, request, ref          FIONREAD | SIOCINQ | SIOCOUTQ
 *   SLEEP       duration                  SX_DURATION (sleep(2) = 2 s, usleep(n) = n us)
 *   SIGNAL      signo, handler            handler: SX_INT 0 SIG_DFL, 1 SIG_IGN,
 *                                         2 a handler of the program's own
 *   SIGACTION   signo, handler, flags     flags: SA_RESTART or 0
 *   ALARM       seconds                   SX_DURATION
 *   CRASH, REBOOT (none)                  the host loses all state / comes back
 *   FD_ISSET    fd, set                   not a system call: a test of a set
 */
enum script_fn {
	SCRIPT_FN_SOCKET,
	SCRIPT_FN_BIND,
	SCRIPT_FN_LISTEN,
	SCRIPT_FN_ACCEPT,
	SCRIPT_FN_CONNECT,
	SCRIPT_FN_GETSOCKOPT,
	SCRIPT_FN_SETSOCKOPT,
	SCRIPT_FN_GETPEERNAME,
	SCRIPT_FN_GETSOCKNAME,
	SCRIPT_FN_SEND,
	SCRIPT_FN_WRITE,
	SCRIPT_FN_RECV,
	SCRIPT_FN_READ,
	SCRIPT_FN_SHUTDOWN,
	SCRIPT_FN_CLOSE,
	SCRIPT_FN_SELECT,
	SCRIPT_FN_POLL,
	SCRIPT_FN_FCNTL,
	SCRIPT_FN_IOCTL,
	SCRIPT_FN_SLEEP,
	SCRIPT_FN_SIGNAL,
	SCRIPT_FN_SIGACTION,
	SCRIPT_FN_ALARM,
	SCRIPT_FN_CRASH,
	SCRIPT_FN_REBOOT,
	SCRIPT_FN_FD_ISSET,
	SCRIPT_FN_COUNT
};

enum script_expr_kind {
	SX_INT,       /* .i: numbers, sizes, and every named constant (ECONNREFUSED,
	                 O_NONBLOCK, POLLIN, SO_ERROR, TCP_ESTABLISHED...) resolved
	                 to Linux's value by the parser */
	SX_DURATION,  /* .t: 300ms, 3s */
	SX_STRING,    /* .data, .len (owned) */
	SX_ADDR,      /* .addr (host byte order, 0 = any), .port; .dflt: the
	                 short form's default (bind: this endpoint's own port;
	                 connect: the server's address and port) */
	SX_NULL,
	SX_VAR,       /* .var: index into struct script's vars */
	SX_REF,       /* &name: .var */
	SX_ERRNO,     /* errno: the errno of the last failed call */
	SX_BUF,       /* buf: the program's data buffer (what the last read got) */
	SX_GEN,       /* generated bytes (short form `send 1460`, or `send(fd, 1460)`) */
	SX_CURRENT,   /* the short form's socket: the last socket()/accept() result */
	SX_LIST,      /* [a, b]: kids */
	SX_PAIR,      /* {a, b}: kids[0], kids[1] (pollfd, linger, timeval) */
	SX_UNARY,     /* .op ('!' or '-') kids[0] */
	SX_BINARY,    /* kids[0] .op kids[1] */
	SX_FIELD,     /* kids[0].field, or kids[0][.index].field (.has_index) */
	SX_CALL,      /* .call: a call's return value */
	SX_ASSIGN,    /* (name = expr): .var, kids[0]; its value is the value assigned */
};

/* Binary and unary operators (.op of SX_BINARY / SX_UNARY). */
enum script_binop {
	SOP_OR, SOP_AND,                          /* || && (short-circuit) */
	SOP_EQ, SOP_NE, SOP_LT, SOP_LE, SOP_GT, SOP_GE,
	SOP_BITOR, SOP_BITAND, SOP_ADD, SOP_SUB,
	SOP_NOT, SOP_NEG,
};

struct script_fcall;

struct script_expr {
	enum script_expr_kind kind;
	uint32_t line, column;        /* where it starts */
	int64_t i;                    /* SX_INT */
	sim_time t;                   /* SX_DURATION */
	uint8_t *data;                /* SX_STRING (owned) */
	uint32_t len;
	uint32_t addr;                /* SX_ADDR */
	uint16_t port;
	bool dflt;                    /* SX_ADDR: the endpoint's default, see SX_ADDR */
	uint32_t var;                 /* SX_VAR, SX_REF, SX_ASSIGN */
	enum script_binop op;         /* SX_UNARY, SX_BINARY */
	char *field;                  /* SX_FIELD: "revents", "tcpi_state" (owned) */
	bool has_index;               /* SX_FIELD: kids[0][index].field */
	uint32_t index;
	struct script_fcall *call;    /* SX_CALL (owned) */
	struct script_expr **kids;    /* owned */
	uint32_t n_kids;
};

struct script_fcall {
	enum script_fn fn;
	const char *name;             /* as written: "write" and "send" are both shown */
	uint32_t line, column;
	struct script_expr **args;    /* canonical, see enum script_fn (owned) */
	uint32_t n_args;
};

enum script_stmt_kind {
	SS_EXPR,    /* .expr: a call, or an assignment (SX_ASSIGN) */
	SS_IF,      /* if .expr .body else .orelse */
	SS_WHILE,   /* while .expr .body */
	SS_REPEAT,  /* repeat .expr (evaluated once) .body */
	SS_BREAK,   /* leaves the innermost while or repeat */
	SS_EXIT,    /* exit(.expr or SX_NULL): the program ends */
	SS_BLOCK,   /* .body: a short-form call's statements (.short_call) */
};

struct script_stmt;

struct script_block {
	struct script_stmt *v;        /* owned */
	uint32_t n;
};

struct script_stmt {
	enum script_stmt_kind kind;
	uint32_t line, column;
	struct script_expr *expr;     /* owned, or NULL */
	struct script_block body, orelse;
	int32_t short_call;           /* SS_BLOCK: index into struct script's calls,
	                                 else -1 */
};

struct script {
	struct script_block top;      /* the program */
	char **vars;                  /* n_vars variable names; the parser's own
	                                 (short form) start with '.' */
	uint32_t n_vars;
	/* The short-form calls as written, in order; n = 0 if the script has
	 * any C-form statement (then its shape is the tree's alone; the
	 * entries stay allocated, so an SS_BLOCK's short_call still indexes
	 * one).  NULL when the script has no short-form call. */
	struct script_call *calls;
	uint32_t n;
};

/* Parses text into *out.  On error returns false and sets *error to a
 * newly allocated message such as "line 2, column 14: unknown call 'sned'"
 * (the "line N, " part only when the text has more than one line; free
 * with g_free). */
bool script_parse(const char *text, struct script *out, char **error);
/* script_parse for a caller that shows the place itself (the config
 * loader names the line of the file): on error *line and *column locate
 * it (1-based, always given) and *error is the reason alone ("unknown
 * call 'sned'"). */
bool script_parse_at(const char *text, struct script *out, uint32_t *line, uint32_t *column,
                     char **error);
void script_clear(struct script *s);

/* "listen", "accept", ... (short form) */
const char *script_op_name(enum script_op op);
/* "socket", "connect", ... (the C name of the canonical call) */
const char *script_fn_name(enum script_fn fn);

/* Linux's name and value of the constants a script may use, for output:
 * script_const_name("errno", 111) = "ECONNREFUSED".  Kinds: "errno",
 * "signal", "level", "sockopt", "poll", "tcp_state", "shut", "fcntl",
 * "ioctl", "socktype", "domain"; also "tcpopt" (the options of
 * IPPROTO_TCP: "sockopt" is SOL_SOCKET's, and their numbers overlap),
 * "protocol", "msg" (MSG_*), "oflag" (O_NONBLOCK), "sighandler"
 * (SIG_DFL, SIG_IGN), "saflag" (SA_RESTART), "inaddr".  Level 6 is
 * "SOL_TCP", as strace names it.  NULL if unknown. */
const char *script_const_name(const char *kind, int64_t value);
/* The value of the constant called name (any kind: "ECONNREFUSED" is
 * 111, "POLLIN" 1); false if there is none. */
bool script_const_value(const char *name, int64_t *value);

/* The kind of the options of a getsockopt()/setsockopt() level
 * ("sockopt" for SOL_SOCKET, "tcpopt", "ipopt"), NULL for another level;
 * and back: the level of a kind, -1 if it is no option kind. */
const char *script_option_kind(int64_t level);
int64_t script_option_level(const char *kind);

#endif
