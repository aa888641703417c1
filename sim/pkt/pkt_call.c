/*
 * A packetdrill system call as a statement of the model's program.
 *
 * packetdrill writes calls as strace prints them (`bind(3, ..., ...)`,
 * `setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4)`); tcpsim's scripts
 * write them as a C program does (`bind(3, 192.168.0.1:8080)`,
 * `setsockopt(3, SOL_SOCKET, SO_REUSEADDR, 1)`).  Each rule below turns
 * one into the other: `...` becomes what packetdrill passes for it (its
 * run_system_call.c: the local or remote address and port 8080, a
 * buffer, the length of the struct), out-arguments become variables the
 * runner reads after the call.
 *
 * File descriptors.  A script's fd numbers are its own (packetdrill's
 * script_fd): `socket(...) = 4` names the new socket 4 whatever number the
 * system gives it, so the program keeps the result in a variable
 * (`sfd7 = socket(...)`, 7 the event's index), and every later call on
 * fd 4 uses that variable, until close(4).  A call on a script fd that no
 * socket() or accept() named, or that was closed, is packetdrill's runtime
 * error "unable to find fd with script fd 4" (its to_live_fd()).
 */
#include <stdio.h>
#include <string.h>
#include "sim/config/script.h"
#include "sim/pkt/pkt_runner.h"

bool pkt_expr_int(const struct pkt_expr *e, int64_t *v)
{
	int64_t a, b;
	switch (e->kind) {
	case PKT_EX_INT: *v = e->i; return true;
	case PKT_EX_WORD: return script_const_value(e->s, v);
	case PKT_EX_BINARY:
		if (e->n_kids != 2 || !pkt_expr_int(e->kids[0], &a) || !pkt_expr_int(e->kids[1], &b))
			return false;
		*v = a | b;
		return true;
	case PKT_EX_ARRAY: return e->n_kids == 1 && pkt_expr_int(e->kids[0], v);
	case PKT_EX_ELLIPSIS: case PKT_EX_STRING: case PKT_EX_SOCKADDR: case PKT_EX_POLLFD:
	case PKT_EX_LINGER: case PKT_EX_STRUCT:
		return false;
	}
	return false;
}

/* The C form of an integer argument: the number or the names, as written. */
static bool render_int(GString *out, const struct pkt_expr *e)
{
	int64_t v;
	switch (e->kind) {
	case PKT_EX_INT: g_string_append_printf(out, "%lld", (long long)e->i); return true;
	case PKT_EX_WORD:
		if (strcmp(e->s, "NULL") != 0 && !script_const_value(e->s, &v))
			return false;
		g_string_append(out, e->s);
		return true;
	case PKT_EX_BINARY:
		if (e->n_kids != 2 || !render_int(out, e->kids[0]))
			return false;
		g_string_append(out, " | ");
		return render_int(out, e->kids[1]);
	case PKT_EX_ARRAY: return e->n_kids == 1 && render_int(out, e->kids[0]);
	case PKT_EX_ELLIPSIS: case PKT_EX_STRING: case PKT_EX_SOCKADDR: case PKT_EX_POLLFD:
	case PKT_EX_LINGER: case PKT_EX_STRUCT:
		return false;
	}
	return false;
}

void pkt_calls_init(struct pkt_calls *m)
{
	m->open = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	m->bind_port = m->connect_port = PKT_PORT;
}

void pkt_calls_clear(struct pkt_calls *m)
{
	if (m->open)
		g_hash_table_destroy(m->open);
	m->open = NULL;
}

/* The first failure of a call wins, as packetdrill stops at it. */
static void fd_fail(struct pkt_call_plan *p, char *msg)
{
	if (p->fd_error)
		g_free(msg);
	else
		p->fd_error = msg;
}

/* A script fd argument: the variable that holds the live descriptor
 * (packetdrill's to_live_fd()).  An fd the script never opened is written
 * as its number, and the call fails before it runs. */
static bool render_fd(GString *out, const struct pkt_expr *e, struct pkt_calls *fds,
                      struct pkt_call_plan *p)
{
	int64_t fd;
	if (!pkt_expr_int(e, &fd))
		return false;
	const char *var = fd >= INT32_MIN && fd <= INT32_MAX
	                          ? g_hash_table_lookup(fds->open, GINT_TO_POINTER((int)fd))
	                          : NULL;
	if (var) {
		g_string_append(out, var);
		return true;
	}
	fd_fail(p, g_strdup_printf("unable to find fd with script fd %lld", (long long)fd));
	g_string_append_printf(out, "%lld", (long long)fd);
	return true;
}

/* socket() or accept() returned the script fd `ret` names: the variable
 * var holds it from now on (packetdrill's check_duplicate_fd() first). */
static void fd_open(const struct pkt_syscall *c, struct pkt_calls *fds, struct pkt_call_plan *p,
                    const char *var)
{
	int64_t fd;
	p->check_fd = true;
	if (!pkt_expr_int(c->ret, &fd) || fd < 0 || fd > INT32_MAX)
		return; /* an error expected: no descriptor */
	if (g_hash_table_contains(fds->open, GINT_TO_POINTER((int)fd)))
		fd_fail(p, g_strdup_printf("duplicate fd %lld in script", (long long)fd));
	g_hash_table_replace(fds->open, GINT_TO_POINTER((int)fd), g_strdup(var));
}

/* An address argument: `...` is the default of the call (dflt:port). */
static bool render_addr(GString *out, const struct pkt_expr *e, const char *dflt, uint16_t port)
{
	if (e->kind == PKT_EX_ELLIPSIS) {
		g_string_append_printf(out, "%s:%u", dflt, port);
		return true;
	}
	if (e->kind == PKT_EX_SOCKADDR && e->addr) {
		g_string_append_printf(out, "%s:%u", e->addr, e->port);
		return true;
	}
	return false;
}

static bool arg(const struct pkt_syscall *c, uint32_t i, const struct pkt_expr **e)
{
	if (i >= c->n_args)
		return false;
	*e = c->args[i];
	return true;
}

/* name(fd, a1, ...) with every other argument an integer. */
static bool xl_ints(const struct pkt_syscall *c, GString *s, uint32_t n, struct pkt_calls *fds,
                    struct pkt_call_plan *p)
{
	if (c->n_args != n)
		return false;
	g_string_append_printf(s, "%s(", c->name);
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			g_string_append(s, ", ");
		if (!(i == 0 ? render_fd(s, c->args[i], fds, p) : render_int(s, c->args[i])))
			return false;
	}
	g_string_append_c(s, ')');
	return true;
}

/* The field called name of a {name=value, ...} argument, or NULL. */
static const struct pkt_expr *field(const struct pkt_expr *e, const char *name)
{
	for (uint32_t i = 0; i < e->n_kids && e->names; i++)
		if (e->names[i] && strcmp(e->names[i], name) == 0)
			return e->kids[i];
	return NULL;
}

static char *var_name(const char *prefix, uint32_t index)
{
	return g_strdup_printf("%s%u", prefix, index);
}

/* sfdN = socket(..., SOCK_STREAM, IPPROTO_TCP): `...` is AF_INET. */
static bool xl_socket(const struct pkt_syscall *c, GString *s, uint32_t index, struct pkt_calls *fds,
                      struct pkt_call_plan *plan)
{
	const struct pkt_expr *d, *t, *p;
	if (c->n_args != 3 || !arg(c, 0, &d) || !arg(c, 1, &t) || !arg(c, 2, &p))
		return false;
	char *var = var_name("sfd", index);
	g_string_append_printf(s, "%s = socket(", var);
	fd_open(c, fds, plan, var);
	g_free(var);
	if (d->kind == PKT_EX_ELLIPSIS)
		g_string_append(s, "AF_INET");
	else if (!render_int(s, d))
		return false;
	g_string_append(s, ", ");
	if (!render_int(s, t))
		return false;
	g_string_append(s, ", ");
	if (!render_int(s, p))
		return false;
	g_string_append_c(s, ')');
	return true;
}

/* bind(fd, addr, len), connect(fd, addr, len): the local or the remote
 * address for `...`. */
static bool xl_addr_call(const struct pkt_syscall *c, GString *s, const char *dflt, uint16_t port,
                         struct pkt_calls *fds, struct pkt_call_plan *p)
{
	const struct pkt_expr *fd, *a;
	if (c->n_args != 3 || !arg(c, 0, &fd) || !arg(c, 1, &a))
		return false;
	g_string_append_printf(s, "%s(", c->name);
	if (!render_fd(s, fd, fds, p))
		return false;
	g_string_append(s, ", ");
	return render_addr(s, a, dflt, port) && (g_string_append_c(s, ')'), true);
}

/* accept(fd, ..., ...), accept4(fd, ..., ..., flags): the peer's address
 * is not checked (the trace shows it). */
static bool xl_accept(const struct pkt_syscall *c, GString *s, uint32_t index, struct pkt_calls *fds,
                      struct pkt_call_plan *p)
{
	bool four = strcmp(c->name, "accept4") == 0;
	if (c->n_args != (four ? 4u : 3u))
		return false;
	char *var = var_name("sfd", index);
	g_string_append_printf(s, "%s = %s(", var, c->name);
	bool ok = render_fd(s, c->args[0], fds, p); /* the listener, before the new fd */
	fd_open(c, fds, p, var);
	g_free(var);
	if (!ok)
		return false;
	if (four) {
		g_string_append(s, ", NULL, NULL, ");
		if (!render_int(s, c->args[3]))
			return false;
	}
	g_string_append_c(s, ')');
	return true;
}

/* read(fd, ..., len), recv(fd, ..., len, flags): into the program's buf.
 * write(fd, ..., len), send(fd, ..., len, flags): len generated bytes
 * (packetdrill sends a buffer of that length); tcpsim's send takes a bare
 * count only without flags, so with flags, len bytes of buf. */
static bool xl_data(const struct pkt_syscall *c, GString *s, struct pkt_calls *fds, struct pkt_call_plan *p)
{
	bool reading = strcmp(c->name, "read") == 0 || strcmp(c->name, "recv") == 0;
	bool has_flags = strcmp(c->name, "recv") == 0 || strcmp(c->name, "send") == 0;
	int64_t flags = 0;
	if (c->n_args != (has_flags ? 4u : 3u) || c->args[1]->kind != PKT_EX_ELLIPSIS ||
	    (has_flags && !pkt_expr_int(c->args[3], &flags)))
		return false;
	bool buf = reading || flags != 0;
	g_string_append_printf(s, "%s(", c->name);
	if (!render_fd(s, c->args[0], fds, p) ||
	    (g_string_append(s, buf ? ", buf, " : ", "), !render_int(s, c->args[2])))
		return false;
	if (has_flags && buf && (g_string_append(s, ", "), !render_int(s, c->args[3])))
		return false;
	g_string_append_c(s, ')');
	return true;
}

/* setsockopt(fd, level, name, [value] | {onoff=.., linger=..}, len) */
static bool xl_setsockopt(const struct pkt_syscall *c, GString *s, struct pkt_calls *fds,
                          struct pkt_call_plan *p)
{
	if (c->n_args != 5)
		return false;
	g_string_append(s, "setsockopt(");
	for (uint32_t i = 0; i < 3; i++) {
		if (!(i == 0 ? render_fd(s, c->args[i], fds, p) : render_int(s, c->args[i])))
			return false;
		g_string_append(s, ", ");
	}
	const struct pkt_expr *v = c->args[3];
	if (v->kind == PKT_EX_LINGER) {
		const struct pkt_expr *onoff = field(v, "onoff"), *linger = field(v, "linger");
		int64_t on, secs;
		if (!onoff || !linger || !pkt_expr_int(onoff, &on) || !pkt_expr_int(linger, &secs))
			return false;
		g_string_append_printf(s, "{%lld, %lld})", (long long)on, (long long)secs);
		return true;
	}
	if (v->kind == PKT_EX_STRUCT) { /* struct timeval: SO_SNDTIMEO, SO_RCVTIMEO */
		const struct pkt_expr *sec = field(v, "tv_sec"), *usec = field(v, "tv_usec");
		int64_t a, b;
		if (!sec || !usec || !pkt_expr_int(sec, &a) || !pkt_expr_int(usec, &b))
			return false;
		g_string_append_printf(s, "{%lld, %lld})", (long long)a, (long long)b);
		return true;
	}
	return render_int(s, v) && (g_string_append_c(s, ')'), true);
}

/* getsockopt(fd, level, name, [value], [len]), ioctl(fd, SIOCINQ, [n]):
 * the first n_in arguments as written, the value into a variable, checked
 * after the call. */
static bool xl_out(const struct pkt_syscall *c, uint32_t n_in, uint32_t index, GString *s,
                   struct pkt_calls *fds, struct pkt_call_plan *p)
{
	if (c->n_args != n_in + (strcmp(c->name, "getsockopt") == 0 ? 2u : 1u))
		return false;
	g_string_append_printf(s, "%s(", c->name);
	for (uint32_t i = 0; i < n_in; i++) {
		if (!(i == 0 ? render_fd(s, c->args[i], fds, p) : render_int(s, c->args[i])))
			return false;
		g_string_append(s, ", ");
	}
	const struct pkt_expr *v = c->args[n_in];
	if (v->kind != PKT_EX_ELLIPSIS && !pkt_expr_int(v, &p->out_value))
		return false;
	char *var = var_name("opt", index);
	g_string_append_printf(s, "&%s)", var);
	if (v->kind == PKT_EX_ELLIPSIS)
		g_free(var);
	else
		p->out_var = var;
	return true;
}

/* poll([{fd=3, events=POLLIN, revents=POLLIN}, ...], n, timeout): the
 * list in a variable first, its revents checked after the call. */
static bool xl_poll(const struct pkt_syscall *c, uint32_t index, GString *s, GString *pre,
                    struct pkt_calls *fds, struct pkt_call_plan *p)
{
	if (c->n_args != 3 || c->args[0]->kind != PKT_EX_ARRAY || c->args[0]->n_kids == 0)
		return false;
	const struct pkt_expr *list = c->args[0];
	char *var = var_name("pfd", index);
	g_string_append_printf(pre, "%s = [", var);
	p->revents = g_new(int64_t, list->n_kids);
	p->n_revents = list->n_kids;
	for (uint32_t i = 0; i < list->n_kids; i++) {
		const struct pkt_expr *pf = list->kids[i];
		const struct pkt_expr *fd = pf->kind == PKT_EX_POLLFD ? field(pf, "fd") : NULL;
		const struct pkt_expr *ev = fd ? field(pf, "events") : NULL, *rev = fd ? field(pf, "revents") : NULL;
		if (!fd || !ev)
			goto fail;
		g_string_append(pre, i ? ", {" : "{");
		if (!render_fd(pre, fd, fds, p) || (g_string_append(pre, ", "), !render_int(pre, ev)))
			goto fail;
		g_string_append_c(pre, '}');
		p->revents[i] = -1;
		if (rev && !pkt_expr_int(rev, &p->revents[i]))
			goto fail;
	}
	g_string_append_c(pre, ']');
	g_string_append_printf(s, "poll(%s, ", var);
	if (!render_int(s, c->args[1]) || (g_string_append(s, ", "), !render_int(s, c->args[2])))
		goto fail;
	g_string_append_c(s, ')');
	p->poll_var = var;
	return true;
fail:
	g_free(var);
	return false;
}

/* close(fd): the script fd names nothing once the call is made
 * (packetdrill's run_syscall_close()). */
static bool xl_close(const struct pkt_syscall *c, GString *s, struct pkt_calls *fds,
                     struct pkt_call_plan *p)
{
	int64_t fd;
	if (!xl_ints(c, s, 1, fds, p))
		return false;
	if (pkt_expr_int(c->args[0], &fd) && fd >= INT32_MIN && fd <= INT32_MAX)
		g_hash_table_remove(fds->open, GINT_TO_POINTER((int)fd));
	return true;
}

static bool translate(const struct pkt_syscall *c, uint32_t index, struct pkt_calls *fds, GString *s,
                      GString *pre, struct pkt_call_plan *p)
{
	const char *n = c->name;
	if (strcmp(n, "socket") == 0)
		return xl_socket(c, s, index, fds, p);
	if (strcmp(n, "bind") == 0)
		return xl_addr_call(c, s, PKT_LOCAL_ADDR, fds->bind_port, fds, p);
	if (strcmp(n, "connect") == 0)
		return xl_addr_call(c, s, PKT_REMOTE_ADDR, fds->connect_port, fds, p);
	if (strcmp(n, "accept") == 0 || strcmp(n, "accept4") == 0)
		return xl_accept(c, s, index, fds, p);
	if (strcmp(n, "read") == 0 || strcmp(n, "recv") == 0 || strcmp(n, "write") == 0 ||
	    strcmp(n, "send") == 0)
		return xl_data(c, s, fds, p);
	if (strcmp(n, "setsockopt") == 0)
		return xl_setsockopt(c, s, fds, p);
	if (strcmp(n, "getsockopt") == 0)
		return xl_out(c, 3, index, s, fds, p);
	if (strcmp(n, "ioctl") == 0)
		return xl_out(c, 2, index, s, fds, p);
	if (strcmp(n, "poll") == 0)
		return xl_poll(c, index, s, pre, fds, p);
	if (strcmp(n, "listen") == 0 || strcmp(n, "shutdown") == 0)
		return xl_ints(c, s, 2, fds, p);
	if (strcmp(n, "close") == 0)
		return xl_close(c, s, fds, p);
	if (strcmp(n, "fcntl") == 0)
		return xl_ints(c, s, c->n_args == 2 ? 2 : 3, fds, p);
	if (strcmp(n, "getpeername") == 0 || strcmp(n, "getsockname") == 0)
		return c->n_args == 3 && (g_string_append_printf(s, "%s(", n), render_fd(s, c->args[0], fds, p)) &&
		       (g_string_append_c(s, ')'), true);
	return false;
}

bool pkt_call_plan(const struct pkt_syscall *c, uint32_t index, struct pkt_calls *fds,
                   struct pkt_call_plan *p, char **why)
{
	GString *s = g_string_new(NULL), *pre = g_string_new(NULL);
	memset(p, 0, sizeof *p);
	if (!translate(c, index, fds, s, pre, p)) {
		*why = g_strdup_printf("%s() as written here", c->name);
		g_string_free(s, TRUE);
		g_string_free(pre, TRUE);
		pkt_call_plan_clear(p);
		return false;
	}
	GPtrArray *stmts = g_ptr_array_new();
	if (pre->len)
		g_ptr_array_add(stmts, g_string_free(pre, FALSE));
	else
		g_string_free(pre, TRUE);
	g_ptr_array_add(stmts, g_string_free(s, FALSE));
	g_ptr_array_add(stmts, NULL);
	p->stmts = (char **)g_ptr_array_free(stmts, FALSE);
	return true;
}

void pkt_call_plan_clear(struct pkt_call_plan *p)
{
	g_strfreev(p->stmts);
	g_free(p->out_var);
	g_free(p->poll_var);
	g_free(p->revents);
	g_free(p->fd_error);
	memset(p, 0, sizeof *p);
}
