/*
 * The calls of the C form: their names as Linux spells them, how many
 * arguments each takes, and the canonical arguments of sim/config/script.h.
 *
 * Model.  A call's arguments are parsed as written, counted against the
 * table, then handed to the call's own canonicalizer, which checks what
 * can be checked before the program runs (a string where a descriptor is
 * due, an option at the wrong level, a flag no call takes) and moves them
 * into the canonical list, filling in what was left out (recv's flags 0,
 * getsockopt's level from its option, select's nfds SX_NULL...).
 *
 * Invariant: an SX_CALL leaves here with exactly the arguments script.h
 * documents for its function; a failure frees every argument.
 */
#include "sim/config/script_int.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/sockios.h>

#define M(t) (1u << (t))
#define NUMBER (M(TY_NUM) | M(TY_ANY))

/* One call being made canonical. */
struct call_args {
	const struct fn_def *def;
	struct sp_at at;                                /* the call's name */
	uint32_t n;                                     /* arguments as written */
	struct script_expr *v[SCRIPT_MAX_ARGS];         /* as written (taken: NULL) */
	const struct script_const *k[SCRIPT_MAX_ARGS];  /* the constant an argument was, if bare */
	struct script_expr *out[SCRIPT_MAX_ARGS];       /* canonical */
	uint32_t n_out;
};

typedef bool (*canon_fn)(struct script_parser *p, struct call_args *a);

struct fn_def {
	const char *name;    /* as written */
	enum script_fn fn;
	unsigned counts;     /* bit n set: takes n arguments */
	const char *params;  /* for messages and the help */
	canon_fn canon;
};

/* ---- checking and moving arguments ---- */

static bool arg_fail(struct script_parser *p, const struct call_args *a, uint32_t i, const char *param,
                     const char *fmt, ...) G_GNUC_PRINTF(5, 6);

static bool arg_fail(struct script_parser *p, const struct call_args *a, uint32_t i, const char *param,
                     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	sp_fail(p, sx_at(a->v[i]), "%s(): argument %u (%s): %s",
	        a->def->name, i + 1, param, why);
	g_free(why);
	return false;
}

/* Fails unless argument i is of one of the types of mask. */
static bool want(struct script_parser *p, const struct call_args *a, uint32_t i, const char *param,
                 unsigned mask, const char *expected)
{
	enum sp_type t = sp_type_of(a->v[i]);

	if (mask & M(t))
		return true;
	return arg_fail(p, a, i, param, "expected %s, found %s", expected, sp_type_name(t));
}

static bool want_fd(struct script_parser *p, const struct call_args *a, uint32_t i)
{
	return want(p, a, i, "fd", NUMBER, "a descriptor");
}

static void put(struct call_args *a, struct script_expr *e)
{
	g_assert(a->n_out < SCRIPT_MAX_ARGS);
	a->out[a->n_out++] = e;
}

/* Moves argument i to the canonical list. */
static void move(struct call_args *a, uint32_t i)
{
	put(a, a->v[i]);
	a->v[i] = NULL;
}

static bool is_literal(const struct script_expr *e, int64_t *v)
{
	if (e->kind != SX_INT)
		return false;
	*v = e->i;
	return true;
}

/* ---- the calls ---- */

static bool canon_fd_only(struct script_parser *p, struct call_args *a)
{
	if (!want_fd(p, a, 0))
		return false;
	move(a, 0);
	return true;
}

static bool canon_none(struct script_parser *p, struct call_args *a)
{
	(void)p;
	(void)a;
	return true;
}

static bool canon_socket(struct script_parser *p, struct call_args *a)
{
	int64_t v;

	if (!want(p, a, 0, "domain", NUMBER, "AF_INET") || !want(p, a, 1, "type", NUMBER, "SOCK_STREAM") ||
	    !want(p, a, 2, "protocol", NUMBER, "0 or IPPROTO_TCP"))
		return false;
	if (is_literal(a->v[0], &v) && v != AF_INET)
		return arg_fail(p, a, 0, "domain", "expected AF_INET: only IPv4 is simulated");
	if (is_literal(a->v[1], &v) && (v & ~(int64_t)SOCK_NONBLOCK) != SOCK_STREAM)
		return arg_fail(p, a, 1, "type", "expected SOCK_STREAM or SOCK_STREAM | SOCK_NONBLOCK");
	if (is_literal(a->v[2], &v) && v != 0 && v != IPPROTO_TCP)
		return arg_fail(p, a, 2, "protocol", "expected 0 or IPPROTO_TCP");
	for (uint32_t i = 0; i < 3; i++)
		move(a, i);
	return true;
}

static bool canon_bind_connect(struct script_parser *p, struct call_args *a)
{
	if (!want_fd(p, a, 0) || !want(p, a, 1, "address", M(TY_ADDR), "an address such as 10.0.0.2:80"))
		return false;
	move(a, 0);
	move(a, 1);
	return true;
}

static bool canon_listen(struct script_parser *p, struct call_args *a)
{
	if (!want_fd(p, a, 0) || !want(p, a, 1, "backlog", NUMBER, "a number"))
		return false;
	move(a, 0);
	move(a, 1);
	return true;
}

/* accept(fd), accept(fd, NULL, NULL), accept4(fd, NULL, NULL, flags). */
static bool canon_accept(struct script_parser *p, struct call_args *a)
{
	static const char *const params[] = { "fd", "addr", "addrlen", "flags" };
	int64_t v;

	if (!want_fd(p, a, 0))
		return false;
	for (uint32_t i = 1; i < 3 && i < a->n; i++)
		if (!want(p, a, i, params[i], M(TY_NULL), "NULL (the peer's address is not returned)"))
			return false;
	move(a, 0);
	if (a->n < 4) {
		put(a, sx_int(a->at, 0));
		return true;
	}
	if (!want(p, a, 3, "flags", NUMBER, "0 or SOCK_NONBLOCK"))
		return false;
	if (is_literal(a->v[3], &v) && (v & ~(int64_t)SOCK_NONBLOCK) != 0)
		return arg_fail(p, a, 3, "flags", "expected 0 or SOCK_NONBLOCK");
	move(a, 3);
	return true;
}

/* ---- getsockopt, setsockopt ---- */

static const char *level_name(int64_t level)
{
	return level == SOL_SOCKET ? "SOL_SOCKET" : level == SOL_IP ? "SOL_IP" : "IPPROTO_TCP";
}

static bool is_option_kind(const struct script_const *k)
{
	return k && script_option_level(k->kind) >= 0;
}

/* The option (argument o) and its level (argument o - 1, or from the
 * option's name when the call leaves it out). */
static bool resolve_option(struct script_parser *p, const struct call_args *a, uint32_t o, int64_t *level,
                           int64_t *opt)
{
	const struct script_const *k = a->k[o];
	bool has_level = o == 2;

	if (k && !is_option_kind(k))
		return arg_fail(p, a, o, "optname", "expected an option such as SO_ERROR or TCP_INFO, found %s",
		                k->name);
	if (!is_literal(a->v[o], opt))
		return arg_fail(p, a, o, "optname", "expected an option such as SO_ERROR or TCP_INFO");
	if (!has_level) {
		if (!k)
			return arg_fail(p, a, o, "optname", "a number needs its level: %s(fd, LEVEL, %" G_GINT64_FORMAT
			                ", ...)", a->def->name, *opt);
		*level = script_option_level(k->kind);
		return true;
	}
	if (!is_literal(a->v[1], level) || !script_option_kind(*level))
		return arg_fail(p, a, 1, "level", "expected SOL_SOCKET, IPPROTO_TCP or SOL_IP");
	if (k && strcmp(k->kind, script_option_kind(*level)) != 0)
		return arg_fail(p, a, o, "optname", "%s is an option of %s, not of %s", k->name,
		                level_name(script_option_level(k->kind)), level_name(*level));
	if (!script_const_name(script_option_kind(*level), *opt))
		return arg_fail(p, a, o, "optname", "no %s option has the number %" G_GINT64_FORMAT,
		                level_name(*level), *opt);
	return true;
}

/* Moves fd, level and option; returns the index of the argument after them. */
static uint32_t move_option(struct call_args *a, uint32_t o, int64_t level)
{
	move(a, 0);
	if (o == 2)
		move(a, 1);
	else
		put(a, sx_int(sx_at(a->v[o]), level));
	move(a, o);
	return o + 1;
}

static bool canon_getsockopt(struct script_parser *p, struct call_args *a)
{
	uint32_t o = a->n == 4 ? 2 : 1;
	int64_t level = 0, opt = 0;

	if (!want_fd(p, a, 0) || !resolve_option(p, a, o, &level, &opt) ||
	    !want(p, a, o + 1, "optval", M(TY_REF), "&name (where the value goes)"))
		return false;
	move(a, move_option(a, o, level));
	return true;
}

/* What setsockopt's value must be for the option. */
static bool check_option_value(struct script_parser *p, const struct call_args *a, uint32_t i, int64_t level,
                               int64_t opt)
{
	const char *name = script_const_name(script_option_kind(level), opt);

	if ((level == SOL_SOCKET && (opt == SO_ERROR || opt == SO_TYPE)) || (level == SOL_TCP && opt == TCP_INFO))
		return arg_fail(p, a, i - 1, "optname", "%s can only be read (getsockopt)", name);
	if (level == SOL_SOCKET && opt == SO_LINGER)
		return want(p, a, i, "optval", M(TY_PAIR) | M(TY_ANY), "{onoff, seconds}");
	if (level == SOL_SOCKET && (opt == SO_SNDTIMEO || opt == SO_RCVTIMEO))
		return want(p, a, i, "optval", M(TY_DURATION) | M(TY_PAIR) | M(TY_ANY),
		            "a duration such as 3s or {seconds, microseconds}");
	return want(p, a, i, "optval", NUMBER, "a number");
}

static bool canon_setsockopt(struct script_parser *p, struct call_args *a)
{
	uint32_t o = a->n == 4 ? 2 : 1;
	int64_t level = 0, opt = 0;

	if (!want_fd(p, a, 0) || !resolve_option(p, a, o, &level, &opt) ||
	    !check_option_value(p, a, o + 1, level, opt))
		return false;
	move(a, move_option(a, o, level));
	return true;
}

/* ---- data ---- */

/* The length of send(fd, data, len): a literal is not negative.  It may
 * be longer than a string: as in C, the call sends len bytes of the
 * buffer the string sits in, here the string and then zero bytes. */
static bool check_length(struct script_parser *p, const struct call_args *a)
{
	int64_t v;

	if (!want(p, a, 2, "len", NUMBER, "a byte count"))
		return false;
	if (is_literal(a->v[2], &v) && v < 0)
		return arg_fail(p, a, 2, "len", "expected a byte count of 0 or more");
	return true;
}

/* send and write: fd, data, len, flags. */
static bool canon_send(struct script_parser *p, struct call_args *a)
{
	enum sp_type t = sp_type_of(a->v[1]);
	int64_t v;

	if (!want_fd(p, a, 0))
		return false;
	if (t == TY_NUM || t == TY_ANY) { /* send(fd, 1460): generated bytes */
		if (a->n > 2)
			return arg_fail(p, a, 1, "data", "expected a \"string\" or buf (a byte count goes alone: "
			                "%s(fd, 1460))", a->def->name);
		if (is_literal(a->v[1], &v) && v < 0)
			return arg_fail(p, a, 1, "data", "expected a byte count of 0 or more");
		move(a, 0);
		put(a, sx_new(SX_GEN, sx_at(a->v[1])));
		move(a, 1);
	} else {
		if (!want(p, a, 1, "data", M(TY_STRING) | M(TY_BUF), "a \"string\", buf or a byte count"))
			return false;
		if (t == TY_BUF && a->n < 3)
			return arg_fail(p, a, 1, "data", "buf needs its length: %s(fd, buf, n)", a->def->name);
		if (a->n >= 3 && !check_length(p, a))
			return false;
		move(a, 0);
		uint32_t len = a->v[1]->len;
		move(a, 1);
		if (a->n >= 3)
			move(a, 2);
		else
			put(a, sx_int(a->at, len));
	}
	if (a->n == 4 && !want(p, a, 3, "flags", NUMBER, "MSG_NOSIGNAL, MSG_DONTWAIT or 0"))
		return false;
	if (a->n == 4)
		move(a, 3);
	else
		put(a, sx_int(a->at, 0));
	return true;
}

/* recv and read: fd, buf, len, flags. */
static bool canon_recv(struct script_parser *p, struct call_args *a)
{
	if (!want_fd(p, a, 0) || !want(p, a, 1, "buf", M(TY_BUF), "buf (the program's buffer)") ||
	    !want(p, a, 2, "len", NUMBER, "a byte count") ||
	    (a->n == 4 && !want(p, a, 3, "flags", NUMBER, "MSG_PEEK, MSG_WAITALL, MSG_DONTWAIT or 0")))
		return false;
	for (uint32_t i = 0; i < a->n; i++)
		move(a, i);
	if (a->n == 3)
		put(a, sx_int(a->at, 0));
	return true;
}

static bool canon_shutdown(struct script_parser *p, struct call_args *a)
{
	int64_t v;

	if (!want_fd(p, a, 0) || !want(p, a, 1, "how", NUMBER, "SHUT_RD, SHUT_WR or SHUT_RDWR"))
		return false;
	if (is_literal(a->v[1], &v) && v != SHUT_RD && v != SHUT_WR && v != SHUT_RDWR)
		return arg_fail(p, a, 1, "how", "expected SHUT_RD, SHUT_WR or SHUT_RDWR");
	move(a, 0);
	move(a, 1);
	return true;
}

/* ---- waiting ---- */

/* A set of select(): NULL, a list of descriptors, or a variable. */
static bool want_set(struct script_parser *p, const struct call_args *a, uint32_t i, const char *param)
{
	const struct script_expr *e = a->v[i];

	if (!want(p, a, i, param, M(TY_NULL) | M(TY_LIST) | M(TY_ANY), "NULL or a list of descriptors [fd]"))
		return false;
	for (uint32_t j = 0; e->kind == SX_LIST && j < e->n_kids; j++)
		if (sp_type_of(e->kids[j]) == TY_PAIR)
			return arg_fail(p, a, i, param, "expected a list of descriptors, found a pair in it");
	return true;
}

/* select(nfds, rd, wr, ex, timeout), or select(rd, wr, ex, timeout). */
static bool canon_select(struct script_parser *p, struct call_args *a)
{
	static const char *const sets[] = { "readfds", "writefds", "exceptfds" };
	uint32_t s = a->n - 4; /* the first set */

	if (s && !want(p, a, 0, "nfds", NUMBER | M(TY_NULL), "a number or NULL"))
		return false;
	for (uint32_t i = 0; i < 3; i++)
		if (!want_set(p, a, s + i, sets[i]))
			return false;
	if (!want(p, a, s + 3, "timeout", M(TY_NULL) | M(TY_DURATION) | M(TY_PAIR),
	          "NULL, a duration such as 300ms or {seconds, microseconds}"))
		return false;
	if (!s)
		put(a, sx_new(SX_NULL, a->at));
	for (uint32_t i = 0; i < a->n; i++)
		move(a, i);
	return true;
}

/* poll(fds, nfds, timeout), or poll(fds, timeout). */
static bool canon_poll(struct script_parser *p, struct call_args *a)
{
	const struct script_expr *fds = a->v[0];
	uint32_t t = a->n - 1;

	if (!want(p, a, 0, "fds", M(TY_LIST) | M(TY_ANY), "a list of {fd, events} such as [{fd, POLLIN}]"))
		return false;
	for (uint32_t j = 0; fds->kind == SX_LIST && j < fds->n_kids; j++)
		if (fds->kids[j]->kind != SX_PAIR)
			return arg_fail(p, a, 0, "fds", "expected a list of {fd, events}, found %s in it",
			                sp_type_name(sp_type_of(fds->kids[j])));
	if ((a->n == 3 && !want(p, a, 1, "nfds", NUMBER | M(TY_NULL), "a number or NULL")) ||
	    !want(p, a, t, "timeout", NUMBER | M(TY_DURATION), "milliseconds (-1: forever) or a duration"))
		return false;
	move(a, 0);
	if (a->n == 3)
		move(a, 1);
	else
		put(a, sx_new(SX_NULL, a->at));
	move(a, t);
	return true;
}

/* ---- descriptors ---- */

/* fcntl(fd, F_GETFL[, ignored]) or fcntl(fd, F_SETFL, flags). */
static bool canon_fcntl(struct script_parser *p, struct call_args *a)
{
	int64_t cmd;

	if (!want_fd(p, a, 0))
		return false;
	if (!is_literal(a->v[1], &cmd) || (cmd != F_GETFL && cmd != F_SETFL))
		return arg_fail(p, a, 1, "cmd", "expected F_GETFL or F_SETFL");
	if (cmd == F_SETFL && a->n < 3)
		return sp_fail(p, a->at, "fcntl(fd, F_SETFL, flags) needs its flags, such as O_NONBLOCK");
	if (cmd == F_SETFL && !want(p, a, 2, "arg", NUMBER, "flags such as O_NONBLOCK"))
		return false;
	move(a, 0);
	move(a, 1);
	if (cmd == F_SETFL)
		move(a, 2);
	else
		put(a, sx_new(SX_NULL, a->at)); /* F_GETFL's argument is ignored, as Linux does */
	return true;
}

static bool canon_ioctl(struct script_parser *p, struct call_args *a)
{
	int64_t req;

	if (!want_fd(p, a, 0))
		return false;
	if (!is_literal(a->v[1], &req) || (req != FIONREAD && req != SIOCOUTQ))
		return arg_fail(p, a, 1, "request", "expected FIONREAD (SIOCINQ) or SIOCOUTQ");
	if (!want(p, a, 2, "argp", M(TY_REF), "&name (where the count goes)"))
		return false;
	for (uint32_t i = 0; i < 3; i++)
		move(a, i);
	return true;
}

/* ---- time and signals ---- */

/* A literal count of `unit` as a duration, or a duration as written. */
static bool canon_time(struct script_parser *p, struct call_args *a, sim_time unit, const char *what)
{
	struct script_expr *e = a->v[0];
	int64_t v;

	if (e->kind == SX_DURATION) {
		move(a, 0);
		return true;
	}
	if (!is_literal(e, &v) || v < 0 || v > INT64_MAX / unit)
		return arg_fail(p, a, 0, what, "expected a number of %s such as 2, or a duration such as 300ms", what);
	e->kind = SX_DURATION;
	e->t = v * unit;
	e->i = 0;
	move(a, 0);
	return true;
}

static bool canon_sleep(struct script_parser *p, struct call_args *a)
{
	return canon_time(p, a, SIM_SEC, "seconds");
}

static bool canon_usleep(struct script_parser *p, struct call_args *a)
{
	return canon_time(p, a, SIM_US, "microseconds");
}

/* signal(signo, handler), sigaction(signo, handler[, flags]). */
static bool canon_signal(struct script_parser *p, struct call_args *a)
{
	int64_t v;

	if (!is_literal(a->v[0], &v) || !script_const_name("signal", v))
		return arg_fail(p, a, 0, "signum", "expected a signal such as SIGPIPE or SIGALRM");
	if (!is_literal(a->v[1], &v) || v < 0 || v > 2)
		return arg_fail(p, a, 1, "handler", "expected SIG_DFL, SIG_IGN or the name of a handler");
	if (a->n == 3 && !want(p, a, 2, "flags", NUMBER, "SA_RESTART or 0"))
		return false;
	move(a, 0);
	move(a, 1);
	if (a->def->fn == SCRIPT_FN_SIGACTION && a->n == 3)
		move(a, 2);
	else if (a->def->fn == SCRIPT_FN_SIGACTION)
		put(a, sx_int(a->at, 0));
	return true;
}

static bool canon_fd_isset(struct script_parser *p, struct call_args *a)
{
	if (!want_fd(p, a, 0) || !want_set(p, a, 1, "set"))
		return false;
	move(a, 0);
	move(a, 1);
	return true;
}

#define N(n) (1u << (n))

/* In enum order first (script_fn_name), then the other spellings. */
static const struct fn_def defs[] = {
	{ "socket", SCRIPT_FN_SOCKET, N(3), "domain, type, protocol", canon_socket },
	{ "bind", SCRIPT_FN_BIND, N(2), "fd, address", canon_bind_connect },
	{ "listen", SCRIPT_FN_LISTEN, N(2), "fd, backlog", canon_listen },
	{ "accept", SCRIPT_FN_ACCEPT, N(1) | N(3), "fd[, NULL, NULL]", canon_accept },
	{ "connect", SCRIPT_FN_CONNECT, N(2), "fd, address", canon_bind_connect },
	{ "getsockopt", SCRIPT_FN_GETSOCKOPT, N(3) | N(4), "fd, [level,] optname, &optval", canon_getsockopt },
	{ "setsockopt", SCRIPT_FN_SETSOCKOPT, N(3) | N(4), "fd, [level,] optname, optval", canon_setsockopt },
	{ "getpeername", SCRIPT_FN_GETPEERNAME, N(1), "fd", canon_fd_only },
	{ "getsockname", SCRIPT_FN_GETSOCKNAME, N(1), "fd", canon_fd_only },
	{ "send", SCRIPT_FN_SEND, N(2) | N(3) | N(4), "fd, data[, len[, flags]]", canon_send },
	{ "write", SCRIPT_FN_WRITE, N(2) | N(3), "fd, data[, len]", canon_send },
	{ "recv", SCRIPT_FN_RECV, N(3) | N(4), "fd, buf, len[, flags]", canon_recv },
	{ "read", SCRIPT_FN_READ, N(3), "fd, buf, len", canon_recv },
	{ "shutdown", SCRIPT_FN_SHUTDOWN, N(2), "fd, how", canon_shutdown },
	{ "close", SCRIPT_FN_CLOSE, N(1), "fd", canon_fd_only },
	{ "select", SCRIPT_FN_SELECT, N(4) | N(5), "[nfds,] readfds, writefds, exceptfds, timeout", canon_select },
	{ "poll", SCRIPT_FN_POLL, N(2) | N(3), "fds, [nfds,] timeout", canon_poll },
	{ "fcntl", SCRIPT_FN_FCNTL, N(2) | N(3), "fd, cmd[, arg]", canon_fcntl },
	{ "ioctl", SCRIPT_FN_IOCTL, N(3), "fd, request, &count", canon_ioctl },
	{ "sleep", SCRIPT_FN_SLEEP, N(1), "seconds", canon_sleep },
	{ "signal", SCRIPT_FN_SIGNAL, N(2), "signum, handler", canon_signal },
	{ "sigaction", SCRIPT_FN_SIGACTION, N(2) | N(3), "signum, handler[, flags]", canon_signal },
	{ "alarm", SCRIPT_FN_ALARM, N(1), "seconds", canon_sleep },
	{ "crash", SCRIPT_FN_CRASH, N(0), "", canon_none },
	{ "reboot", SCRIPT_FN_REBOOT, N(0), "", canon_none },
	{ "FD_ISSET", SCRIPT_FN_FD_ISSET, N(2), "fd, set", canon_fd_isset },
	{ "accept4", SCRIPT_FN_ACCEPT, N(4), "fd, NULL, NULL, flags", canon_accept },
	{ "usleep", SCRIPT_FN_SLEEP, N(1), "microseconds", canon_usleep },
};
G_STATIC_ASSERT(G_N_ELEMENTS(defs) == SCRIPT_FN_COUNT + 2);

const char *script_fn_name(enum script_fn fn)
{
	if ((unsigned)fn >= SCRIPT_FN_COUNT)
		return "?";
	g_assert(defs[fn].fn == fn); /* the table starts in enum order */
	return defs[fn].name;
}

static const struct fn_def *find_def(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(defs); i++)
		if (strcmp(defs[i].name, name) == 0)
			return &defs[i];
	return NULL;
}

bool sp_is_call_name(const char *name)
{
	return find_def(name) != NULL;
}

const char *sp_call_signature(size_t i, const char **params)
{
	if (i >= G_N_ELEMENTS(defs))
		return NULL;
	*params = defs[i].params;
	return defs[i].name;
}

/* ---- parsing a call ---- */

/* "2", "1 or 3", "2 to 4", "no": the counts a call takes. */
static char *counts_text(unsigned counts)
{
	int lo = -1, hi = -1, n = 0;

	for (int i = 0; i <= SCRIPT_MAX_ARGS; i++)
		if (counts & N(i)) {
			lo = lo < 0 ? i : lo;
			hi = i;
			n++;
		}
	if (hi == 0)
		return g_strdup("no");
	if (n == 1)
		return g_strdup_printf("%d", lo);
	if (n == 2)
		return g_strdup_printf("%d or %d", lo, hi);
	return g_strdup_printf("%d to %d", lo, hi);
}

static bool count_error(struct script_parser *p, const struct fn_def *def, struct sp_at at, unsigned found)
{
	char *counts = counts_text(def->counts);
	bool one = def->counts == N(1);

	if (def->counts == N(0))
		sp_fail(p, at, "%s() takes no arguments, found %u", def->name, found);
	else
		sp_fail(p, at, "%s() takes %s argument%s (%s), found %u", def->name, counts, one ? "" : "s",
		        def->params, found);
	g_free(counts);
	return false;
}

/* signal()'s handler: SIG_DFL, SIG_IGN, or a name of the program's own
 * (any name that is not a constant), which is SX_INT 2. */
static struct script_expr *parse_handler(struct script_parser *p)
{
	struct tok t;

	lex_peek(p, &t);
	if (t.kind == TK_NAME) {
		char *name = tok_text(p, &t);
		char after = lex_after(p, &t);
		bool own = !script_const_find(name) && !sp_is_keyword(name) &&
		           (after == ',' || after == ')' || after == '\n');
		g_free(name);
		if (own) {
			lex_take(p, &t);
			return sx_int(t.at, 2);
		}
	}
	return sp_parse_expr(p);
}

/* The arguments as written, up to the ')', into a (each with its bare
 * constant); more than a call can take are counted, then freed. */
static bool parse_args(struct script_parser *p, struct call_args *a)
{
	bool handler = a->def->fn == SCRIPT_FN_SIGNAL || a->def->fn == SCRIPT_FN_SIGACTION;
	struct tok t;

	lex_peek(p, &t);
	if (tok_is(&t, ")")) {
		lex_take(p, &t);
		return true;
	}
	for (;;) {
		p->const_expr = NULL;
		struct script_expr *e = handler && a->n == 1 ? parse_handler(p) : sp_parse_expr(p);
		if (!e)
			return false;
		if (a->n < SCRIPT_MAX_ARGS) {
			a->k[a->n] = p->const_expr == e ? p->const_def : NULL;
			a->v[a->n] = e;
		} else {
			sx_free(e);
		}
		a->n++;
		lex_peek(p, &t);
		lex_take(p, &t);
		if (tok_is(&t, ")"))
			return true;
		if (!tok_is(&t, ","))
			return lex_unexpected(p, &t, "',' or ')'");
	}
}

static void args_clear(struct call_args *a)
{
	for (uint32_t i = 0; i < SCRIPT_MAX_ARGS; i++) {
		sx_free(a->v[i]);
		sx_free(a->out[i]);
	}
}

/* Why a name followed by '(' is no call. */
static bool unknown_call(struct script_parser *p, const struct tok *t, const char *name)
{
	if (sp_is_short_name(name))
		return sp_fail(p, t->at, "%s is a call of the short form: write it without parentheses (%s)", name,
		               strcmp(name, "echo") == 0 ? "echo 3" : name);
	return sp_fail(p, t->at, "unknown call '%s'", name);
}

/* The SX_CALL of a call made canonical; takes its arguments. */
static struct script_expr *call_expr(struct call_args *a)
{
	struct script_expr *e = sx_call_of(a->at, a->def->fn, a->n_out, a->out);

	e->call->name = a->def->name; /* as written: accept4, usleep */
	memset(a->out, 0, sizeof a->out);
	a->n_out = 0;
	return e;
}

struct script_expr *sp_parse_call(struct script_parser *p, const struct tok *t)
{
	char *name = tok_text(p, t);
	struct call_args a = { .def = find_def(name), .at = t->at };

	if (!a.def) {
		unknown_call(p, t, name);
		g_free(name);
		return NULL;
	}
	g_free(name);
	lex_take(p, t);
	p->nest++;
	bool ok = lex_expect(p, "(", "'('") && parse_args(p, &a);
	p->nest--;
	ok = ok && ((a.n <= SCRIPT_MAX_ARGS && (a.def->counts & N(a.n))) || count_error(p, a.def, t->at, a.n));
	ok = ok && a.def->canon(p, &a);
	struct script_expr *e = ok ? call_expr(&a) : NULL;
	args_clear(&a); /* what is left: all after a failure, or what the canonical list dropped */
	return e;
}
