/*
 * The socket calls a program makes, with the results Linux gives in every
 * state.  Each function takes its canonical arguments (sim/config/script.h)
 * and either returns (ret, errno) or blocks (STEP_WAIT): it is then called
 * again, with a->begun set, whenever the host processed an event or the
 * call's time limit passed (a->woke).
 *
 * The rules follow net/ipv4/af_inet.c (inet_stream_connect, inet_shutdown,
 * inet_getname), net/ipv4/tcp.c (tcp_sendmsg_locked, tcp_recvmsg_locked,
 * do_tcp_setsockopt), net/core/sock.c (sock_setsockopt, sock_error) and
 * net/core/stream.c (sk_stream_wait_connect, sk_stream_error): the
 * function named in a comment is where the rule comes from.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <linux/tcp.h>
#include <glib.h>
#include "sim/world/net_int.h"
#include "sim/world/payload.h"

#define RMEM_MAX 212992u      /* net.core.rmem_max, wmem_max: setsockopt's ceiling */
/* include/net/sock.h: TCP_SKB_MIN_TRUESIZE (2048 + an aligned struct
 * sk_buff) once for receiving, twice for sending */
#define SOCK_MIN_RCVBUF 2304u
#define SOCK_MIN_SNDBUF 4608u
#define SOMAXCONN_LINUX 4096u /* net.core.somaxconn */

static sim_time now_of(const struct app *a) { return a->net->q->now; }
static struct tcp_acts *acts_of(struct app *a) { return &a->net->acts; }
static struct host *host_of(struct app *a) { return &a->net->hosts[a->role]; }

static enum step ok(struct sysret *r, long ret)
{
	*r = (struct sysret){ret, 0};
	return STEP_DONE;
}

static enum step fail(struct sysret *r, int err)
{
	*r = (struct sysret){-1, err};
	return STEP_DONE;
}

/* ---- descriptors ---- */

struct sock *sys_sock(struct app *a, int64_t fd)
{
	return fd >= 0 && fd < a->fds_cap ? a->fds[fd] : NULL;
}

bool sys_std_open(const struct app *a, int64_t fd)
{
	return fd >= 0 && fd <= 2 && (fd >= a->fds_cap || !a->fds[fd]) &&
	       (a->std_closed & (1u << fd)) == 0;
}

/* EBADF for a descriptor that is not open, ENOTSOCK for stdin, stdout
 * and stderr while open, which are not sockets. */
static struct sock *get_sock(struct app *a, int64_t fd, struct sysret *r)
{
	struct sock *s = sys_sock(a, fd);
	if (!s)
		fail(r, sys_std_open(a, fd) ? ENOTSOCK : EBADF);
	return s;
}

/* The lowest descriptor free, as open(2) and socket(2) give them
 * (__alloc_fd()): 0, 1 or 2 once the program closed it. */
static int alloc_fd(struct app *a)
{
	for (int fd = 0; fd < APP_MAX_FDS; fd++) {
		if (fd >= a->fds_cap) { /* the table grows as a program opens more */
			int cap = a->fds_cap ? 2 * a->fds_cap : 8;
			cap = cap < APP_MAX_FDS ? cap : APP_MAX_FDS;
			a->fds = g_renew(struct sock *, a->fds, cap);
			for (int i = a->fds_cap; i < cap; i++)
				a->fds[i] = NULL;
			a->fds_cap = cap;
		}
		if (!a->fds[fd] && !sys_std_open(a, fd)) {
			a->fd_hi = fd + 1 > a->fd_hi ? fd + 1 : a->fd_hi;
			return fd;
		}
	}
	return -1;
}

/* A socket's memory: a closed one's, or new; its contents are the caller's. */
static struct sock *sock_alloc(struct app *a)
{
	struct sock *s = a->free_socks;
	if (s)
		a->free_socks = s->next_free;
	else
		s = g_new(struct sock, 1);
	return s;
}

static struct sock *sock_new(struct app *a)
{
	struct sock *s = sock_alloc(a);
	memset(s, 0, sizeof *s);
	s->params = *host_of(a)->p;
	return s;
}

static void sock_free(struct app *a, int fd)
{
	struct sock *s = a->fds[fd];
	a->fds[fd] = NULL;
	s->next_free = a->free_socks;
	a->free_socks = s;
}

const struct tcp_params *app_bound_params(const struct app *a, uint16_t port)
{
	for (int fd = 0; fd < a->fds_cap; fd++) {
		const struct sock *s = a->fds[fd];
		if (s && s->bound && s->bport == port && !s->l && !s->c)
			return &s->params;
	}
	return NULL;
}

void sys_free_socks(struct app *a)
{
	for (int fd = 0; fd < a->fds_cap; fd++)
		if (a->fds[fd])
			sock_free(a, fd);
	while (a->free_socks) {
		struct sock *s = a->free_socks;
		a->free_socks = s->next_free;
		g_free(s);
	}
}

/* The connection follows the socket's parameters from now on (a keepalive
 * turned on is armed, TCP_NODELAY pushes what Nagle held). */
static void follow_params(struct app *a, const struct sock *s, struct conn *c)
{
	struct tcp_params *p = conn_params_next(c);
	*p = s->params;
	tcp_ep_set_params(c->ep, p, now_of(a), acts_of(a));
	net_apply(a->net, a->role, c);
}

/* The connection takes the socket's TCP parameters if they differ from
 * the host's: Linux keeps them per socket. */
static void give_params(struct app *a, struct sock *s, struct conn *c)
{
	c->reuseaddr = s->reuseaddr;
	if (s->params_set)
		follow_params(a, s, c);
}

/* ---- socket, bind, listen, accept ---- */

static enum step sys_socket(struct app *a, const struct value *argv, struct sysret *r)
{
	int64_t type = argv[1].i & ~(int64_t)(SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (argv[0].i != AF_INET)
		return fail(r, EAFNOSUPPORT);
	if (type != SOCK_STREAM || (argv[2].i != 0 && argv[2].i != IPPROTO_TCP))
		return fail(r, EPROTONOSUPPORT); /* a TCP simulator: stream sockets only */
	int fd = alloc_fd(a);
	if (fd < 0)
		return fail(r, EMFILE);
	struct sock *s = sock_new(a);
	s->nonblock = (argv[1].i & SOCK_NONBLOCK) != 0;
	a->fds[fd] = s;
	a->cur_fd = fd;
	return ok(r, fd);
}

void sys_addr_of(const struct app *a, const struct script_expr *e, bool bind, uint32_t *addr,
                 uint16_t *port)
{
	if (!e->dflt) {
		*addr = e->addr;
		*port = e->port;
	} else if (bind) {
		*addr = 0;
		*port = a->spec->port;
	} else {
		*addr = a->net->spec.ep[NET_SERVER].addr;
		*port = a->net->spec.ep[NET_SERVER].port;
	}
}

/* An ephemeral port for a socket that needs one (listen() without bind(),
 * Linux inet_autobind()). */
static bool autobind(struct app *a, struct sock *s)
{
	struct host *h = host_of(a);
	for (uint32_t i = 0; i <= (uint32_t)(h->port_hi - h->port_lo); i++) {
		uint16_t port = (uint16_t)(h->port_lo + (h->port_cursor + i) % (h->port_hi - h->port_lo + 1u));
		if (!host_port_taken(h, port, false)) {
			s->bound = true;
			s->bport = port;
			return true;
		}
	}
	return false;
}

/* Another socket of this program bound to the port (not yet listening or
 * connected: the host does not know it yet). */
static bool bound_here(struct app *a, const struct sock *self, uint16_t port, bool reuse)
{
	for (int fd = 0; fd < a->fd_hi; fd++) {
		const struct sock *o = a->fds[fd];
		if (o && o != self && o->bound && o->bport == port && !o->l && !o->c &&
		    !(reuse && o->reuseaddr))
			return true;
	}
	return false;
}

static enum step sys_bind(struct app *a, const struct script_fcall *c, struct sysret *r,
                          struct sock *s)
{
	uint32_t addr;
	uint16_t port;
	sys_addr_of(a, c->args[1], true, &addr, &port);
	/* __inet_bind(): the address is checked first, then a socket binds
	 * once (and not once listening or connected) */
	if (addr != 0 && addr != host_of(a)->addr)
		return fail(r, EADDRNOTAVAIL);
	if (s->bound)
		return fail(r, EINVAL);
	if (port == 0 && s->bind_no_port) { /* the port waits for connect() */
		s->baddr = addr;
		return ok(r, 0);
	}
	if (port == 0)
		return autobind(a, s) ? ok(r, 0) : fail(r, EADDRINUSE);
	if (host_port_taken(host_of(a), port, s->reuseaddr) || bound_here(a, s, port, s->reuseaddr))
		return fail(r, EADDRINUSE);
	s->bound = true;
	s->port_locked = true; /* SOCK_BINDPORT_LOCK: kept through a disconnect */
	s->baddr = addr;
	s->bport = port;
	return ok(r, 0);
}

static enum step sys_listen(struct app *a, struct sysret *r, struct sock *s, int64_t backlog)
{
	uint32_t b = backlog < 0 || backlog > SOMAXCONN_LINUX ? SOMAXCONN_LINUX : (uint32_t)backlog;
	if (s->c || s->ss != SOCK_SS_UNCONNECTED)
		return fail(r, EINVAL); /* inet_listen(): only an unconnected socket */
	if (s->l) { /* listen() again changes the backlog */
		s->l->backlog = b;
		return ok(r, 0);
	}
	if (!s->bound && !autobind(a, s))
		return fail(r, EADDRINUSE);
	struct listener *l = NULL;
	int e = host_listen(host_of(a), s->bport, b, &l);
	if (e < 0)
		return fail(r, -e);
	l->reuseaddr = s->reuseaddr;
	l->params = s->params_set ? &s->params : NULL;
	s->l = l;
	return ok(r, 0);
}

static enum step sys_accept(struct app *a, struct sysret *r, struct sock *s, int64_t flags)
{
	if (!s->l)
		return fail(r, EINVAL);
	if (!a->begun && s->rcvtimeo > 0)
		app_wait_until(a, now_of(a) + s->rcvtimeo);
	if (g_queue_is_empty(&s->l->ready)) {
		if (s->nonblock)
			return fail(r, EAGAIN);
		return a->woke ? fail(r, EAGAIN) : STEP_WAIT;
	}
	int fd = alloc_fd(a);
	if (fd < 0)
		return fail(r, EMFILE);
	struct conn *c = g_queue_pop_head_link(&s->l->ready)->data;
	c->ready_link.data = NULL;
	c->parent = NULL;
	c->user_owned = c->user_seen = true;
	struct sock *n = sock_alloc(a);
	*n = *s; /* options are inherited (Linux sk_clone_lock()) */
	n->l = NULL;
	n->c = c;
	n->ss = SOCK_SS_CONNECTED;
	n->bound = true;
	n->nonblock = (flags & SOCK_NONBLOCK) != 0;
	n->next_free = NULL;
	a->fds[fd] = n;
	a->cur_fd = fd;
	give_params(a, n, c);
	a->net->role[a->role].connections++;
	a->res_addr = c->key.raddr;
	a->res_port = c->key.rport;
	return ok(r, fd);
}

/* The state of the socket's connection as its owner sees it: once the
 * connection is in TIME_WAIT, Linux has handed it to a timewait sock and
 * tcp_done() closed the socket (tcp_time_wait()). */
static enum tcp_state user_state(const struct sock *s)
{
	enum tcp_state st = s->c ? tcp_ep_state(s->c->ep) : TCP_CLOSED;
	return st == TCP_TIME_WAIT ? TCP_CLOSED : st;
}

/* ---- connect ---- */

/* sock_error(): the pending error, read and cleared (SO_ERROR, a call). */
static int take_error(struct sock *s)
{
	int e = s->c ? tcp_ep_take_error(s->c->ep) : s->err;
	if (!s->c)
		s->err = 0;
	return e;
}

/* tcp_disconnect(), as inet_stream_connect() calls it once it reported a
 * failure and inet_shutdown() in SYN_SENT: the connection is let go (in
 * SYN_SENT without a packet) and the socket is a closed one again, as if
 * new: no shutdown flags, its port released unless bind() chose it; err
 * (ECONNRESET for a connect given up) is left pending. */
static void disconnect(struct app *a, struct sock *s, int err)
{
	struct conn *c = s->c;
	if (c) {
		if (user_state(s) != TCP_CLOSED) {
			tcp_ep_abort(c->ep, now_of(a), acts_of(a));
			net_apply(a->net, a->role, c);
		}
		s->c = NULL;
		net_release_conn(a->net, c);
	}
	if (err)
		s->err = err;
	s->ss = SOCK_SS_UNCONNECTED;
	s->rd_shut = false;
	if (!s->port_locked) {
		s->bound = false;
		s->bport = 0;
	}
}

/* inet_stream_connect()'s end: where the socket stands once it no longer
 * waits.  A closed connection reports its error once, then ECONNABORTED. */
static enum step connect_result(struct app *a, struct sysret *r, struct sock *s, int waiting_err)
{
	enum tcp_state st = user_state(s);
	if (st == TCP_SYN_SENT || st == TCP_SYN_RCVD) {
		if (a->woke) /* SO_SNDTIMEO ran out: the program's own limit on connect() */
			net_record_error(a->net, a->role, ETIMEDOUT);
		if (s->nonblock || a->woke) /* the error set above */
			return fail(r, waiting_err);
		return STEP_WAIT;
	}
	if (st == TCP_CLOSED) { /* sock_error: reported once, then ECONNABORTED */
		int e = take_error(s);
		disconnect(a, s, 0);
		return fail(r, e ? e : ECONNABORTED);
	}
	s->ss = SOCK_SS_CONNECTED;
	return ok(r, 0);
}

/* inet_sk_get_local_port_range(): the socket's ends replace the host's
 * where they lie within it. */
static void port_range(const struct host *h, const struct sock *s, struct host_connect_req *rq)
{
	if (!s->port_lo && !s->port_hi)
		return;
	rq->port_lo = h->port_lo;
	rq->port_hi = h->port_hi;
	if (h->port_lo <= s->port_lo && s->port_lo <= h->port_hi)
		rq->port_lo = s->port_lo;
	if (h->port_lo <= s->port_hi && s->port_hi <= h->port_hi)
		rq->port_hi = s->port_hi;
}

static enum step connect_start(struct app *a, const struct script_fcall *c, struct sysret *r,
                               struct sock *s)
{
	uint32_t addr;
	uint16_t port;
	sys_addr_of(a, c->args[1], false, &addr, &port);
	if (s->c) { /* the failed attempt before (tcp_disconnect()) */
		net_release_conn(a->net, s->c);
		s->c = NULL;
	}
	int err = 0;
	struct host_connect_req rq = {.raddr = addr, .rport = port, .lport = s->bound ? s->bport : 0};
	port_range(host_of(a), s, &rq);
	struct conn *tw = NULL;
	struct conn *conn = host_connect(host_of(a), &rq, now_of(a), &err, &tw);
	if (tw) /* tcp_twsk_unique() handed its 4-tuple over */
		net_end_time_wait(a->net, a->role, tw);
	if (!conn)
		return fail(r, err);
	s->c = conn;
	s->bound = true;
	s->bport = conn->key.lport;
	s->ss = SOCK_SS_CONNECTING;
	a->net->role[a->role].connections++;
	give_params(a, s, conn);
	tcp_ep_connect(conn->ep, now_of(a), acts_of(a));
	net_apply(a->net, a->role, conn);
	if (!s->nonblock && s->sndtimeo > 0)
		app_wait_until(a, now_of(a) + s->sndtimeo);
	return STEP_WAIT;
}

/* __inet_stream_connect(): EISCONN once connected; EALREADY while a
 * connect is in progress (a blocking one waits on); a new attempt from an
 * unconnected socket (Linux allows one after a failure). */
static enum step sys_connect(struct app *a, const struct script_fcall *c, struct sysret *r,
                             struct sock *s)
{
	if (a->begun)
		return connect_result(a, r, s, (int)a->progress);
	if (s->l)
		return fail(r, EISCONN); /* a listening socket: sk_state is not CLOSE */
	switch (s->ss) {
	case SOCK_SS_CONNECTED:
		return fail(r, EISCONN);
	case SOCK_SS_CONNECTING:
		a->progress = EALREADY;
		if (!s->nonblock && s->sndtimeo > 0)
			app_wait_until(a, now_of(a) + s->sndtimeo);
		return connect_result(a, r, s, EALREADY);
	case SOCK_SS_UNCONNECTED:
		break;
	}
	if (s->c && tcp_ep_state(s->c->ep) != TCP_CLOSED)
		return fail(r, EISCONN);
	a->progress = EINPROGRESS;
	if (connect_start(a, c, r, s) == STEP_DONE)
		return STEP_DONE;
	return connect_result(a, r, s, EINPROGRESS);
}

/* ---- options ---- */

/* __sock_set_rcvbuf(), __sock_set_sndbuf(): at most rmem_max (compared as
 * u32: a negative value is a large one), doubled, at least the floor. */
static uint32_t doubled(int64_t v, uint32_t floor)
{
	uint64_t x = (uint32_t)v > RMEM_MAX ? RMEM_MAX : (uint32_t)v;
	return 2 * x < floor ? floor : (uint32_t)(2 * x);
}

/* The socket's TCP parameters changed: its connection follows them. */
static void params_changed(struct app *a, struct sock *s)
{
	s->params_set = true;
	if (s->l)
		s->l->params = &s->params; /* for the children still to come */
	if (s->c && tcp_ep_state(s->c->ep) != TCP_CLOSED)
		follow_params(a, s, s->c);
}

static sim_time timeval_of(const struct script_expr *e, const struct value *v)
{
	if (e->kind == SX_DURATION)
		return v->i;
	if (v->kind == VAL_PAIR) /* {tv_sec, tv_usec} */
		return v->i * SIM_SEC + v->j * SIM_US;
	return v->i * SIM_SEC;
}

static enum step set_tcp_opt(struct app *a, struct sock *s, int64_t opt, int64_t v,
                             struct sysret *r)
{
	struct tcp_params *p = &s->params;
	switch (opt) {
	case TCP_NODELAY:
		p->nagle = v ? TCP_NAGLE_OFF : host_of(a)->p->nagle;
		s->nodelay_set = true;
		break;
	case TCP_KEEPIDLE: /* do_tcp_setsockopt(): 1 .. MAX_TCP_KEEPIDLE */
		if (v < 1 || v > 32767)
			return fail(r, EINVAL);
		p->keepalive_idle = v * SIM_SEC;
		break;
	case TCP_KEEPINTVL:
		if (v < 1 || v > 32767)
			return fail(r, EINVAL);
		p->keepalive_intvl = v * SIM_SEC;
		break;
	case TCP_KEEPCNT:
		if (v < 1 || v > 127)
			return fail(r, EINVAL);
		p->keepalive_probes = (uint32_t)v;
		break;
	case TCP_USER_TIMEOUT:
		if (v < 0)
			return fail(r, EINVAL);
		p->user_timeout = v * SIM_MS;
		break;
	case TCP_KEEPINIT: /* FreeBSD tcp_ctloutput(): seconds, t_keepinit */
		if (!p->bsd_sockopts)
			return fail(r, ENOPROTOOPT);
		if (v < 0 || v > INT32_MAX / 1000)
			return fail(r, EINVAL);
		p->connect_timeout = v * SIM_SEC;
		break;
	case TCP_NOOPT: /* FreeBSD tcp_ctloutput(): TF_NOOPT */
		if (!p->bsd_sockopts)
			return fail(r, ENOPROTOOPT);
		p->no_options = v != 0;
		break;
	case TCP_MAXSEG: /* 0 takes the clamp off; else TCP_MIN_MSS .. MAX_TCP_WINDOW */
		if (v && (v < 88 || v > 32767))
			return fail(r, EINVAL);
		s->user_mss = (uint32_t)v;
		p->mss = v ? (uint32_t)v : host_of(a)->p->mss;
		break;
	default:
		return fail(r, ENOPROTOOPT);
	}
	params_changed(a, s);
	return ok(r, 0);
}

/* IP_LOCAL_PORT_RANGE (Linux 6.3, do_ip_setsockopt()): the lower 16 bits
 * are the low end, the upper the high end, 0 for an end leaves the host's;
 * ends that cross are refused. */
static enum step set_ip_opt(struct app *a, struct sock *s, int64_t opt, int64_t v,
                            struct sysret *r)
{
	uint16_t lo = (uint16_t)(v & 0xffff), hi = (uint16_t)((v >> 16) & 0xffff);
	switch (opt) {
	case IP_TTL: /* do_ip_setsockopt(), FreeBSD ip_ctloutput(): 1 .. 255, Linux's -1
	              * for the default */
		if (v == -1)
			v = host_of(a)->p->ttl;
		if (v < 1 || v > 255)
			return fail(r, EINVAL);
		s->params.ttl = (uint32_t)v;
		params_changed(a, s);
		return ok(r, 0);
	case IP_TOS: /* the whole byte; the ECN bits are the stack's (Linux keeps its
	              * own, FreeBSD's ip_ctloutput() too) */
		s->params.tos = (uint8_t)(v & 0xfc);
		params_changed(a, s);
		return ok(r, 0);
	case IP_BIND_ADDRESS_NO_PORT: s->bind_no_port = v != 0; break;
	case IP_LOCAL_PORT_RANGE:
		if (lo && hi && lo > hi)
			return fail(r, EINVAL);
		s->port_lo = lo;
		s->port_hi = hi;
		break;
	default: return fail(r, ENOPROTOOPT);
	}
	return ok(r, 0);
}

static bool ip_opt_value(const struct sock *s, int64_t opt, struct value *v)
{
	switch (opt) {
	case IP_BIND_ADDRESS_NO_PORT: v->i = s->bind_no_port; return true;
	case IP_LOCAL_PORT_RANGE: v->i = (int64_t)s->port_hi << 16 | s->port_lo; return true;
	case IP_TTL: v->i = s->params.ttl; return true;
	case IP_TOS: v->i = s->params.tos; return true;
	default: return false;
	}
}

static enum step sys_setsockopt(struct app *a, const struct script_fcall *c, struct value *argv,
                                struct sysret *r, struct sock *s)
{
	int64_t level = argv[1].i, opt = argv[2].i, v = argv[3].i;
	if (level == IPPROTO_TCP)
		return set_tcp_opt(a, s, opt, v, r);
	if (level == SOL_IP)
		return set_ip_opt(a, s, opt, v, r);
	if (level != SOL_SOCKET)
		return fail(r, ENOPROTOOPT);
	switch (opt) {
	case SO_REUSEADDR: s->reuseaddr = v != 0; break;
	case SO_KEEPALIVE: s->params.keepalive = v != 0; params_changed(a, s); break;
	case SO_LINGER:
		s->linger_on = argv[3].kind == VAL_PAIR ? argv[3].i != 0 : v != 0;
		s->linger_s = argv[3].kind == VAL_PAIR ? (int32_t)argv[3].j : 0;
		break;
	case SO_SNDTIMEO: s->sndtimeo = timeval_of(c->args[3], &argv[3]); break;
	case SO_RCVTIMEO: s->rcvtimeo = timeval_of(c->args[3], &argv[3]); break;
	case SO_SNDBUF:
		s->sndbuf_set = (uint32_t)v > RMEM_MAX ? RMEM_MAX : (uint32_t)v;
		s->params.sndbuf = doubled(v, SOCK_MIN_SNDBUF);
		s->params.sndbuf_lock = true; /* SOCK_SNDBUF_LOCK: no tcp_sndbuf_expand() */
		params_changed(a, s);
		break;
	case SO_RCVBUF:
		s->rcvbuf_set = (uint32_t)v > RMEM_MAX ? RMEM_MAX : (uint32_t)v;
		s->params.rcvbuf = doubled(v, SOCK_MIN_RCVBUF);
		s->params.rcvbuf_lock = true; /* SOCK_RCVBUF_LOCK: no tcp_rcvbuf_grow() */
		/* a buffer the user set (SOCK_RCVBUF_LOCK) clamps the window to
		 * what it holds, tcp_full_space() (half of it here), and the scale
		 * offered follows the clamp (tcp_select_initial_window()) */
		if (s->params.rwin_rule == TCP_RWIN_LINUX)
			s->params.wscale = tcp_wscale_for_space(s->params.rcvbuf / 2);
		params_changed(a, s);
		break;
	default:
		return fail(r, ENOPROTOOPT);
	}
	return ok(r, 0);
}

/* Linux's tcpi_state numbers (include/net/tcp_states.h). */
static int64_t linux_state(enum tcp_state st)
{
	static const int64_t map[TCP_STATE_COUNT] = {
		[TCP_CLOSED] = 7, [TCP_LISTEN] = 10, [TCP_SYN_SENT] = 2, [TCP_SYN_RCVD] = 3,
		[TCP_ESTABLISHED] = 1, [TCP_FIN_WAIT_1] = 4, [TCP_FIN_WAIT_2] = 5,
		[TCP_CLOSE_WAIT] = 8, [TCP_CLOSING] = 11, [TCP_LAST_ACK] = 9, [TCP_TIME_WAIT] = 6,
	};
	return map[st];
}

#define TCP_INFINITE_SSTHRESH 0x7fffffff
#define LINUX_MSS_DEFAULT 536 /* TCP_MSS_DEFAULT */
#define TCPOLEN_TSTAMP_ALIGNED 12

/* tcp_get_info(): a socket without a connection shows what
 * tcp_init_sock() (or tcp_disconnect()) set: an RTO of TCP_TIMEOUT_INIT,
 * mdev_us as much (tcpi_rttvar is mdev_us >> 2), TCP_MSS_DEFAULT, the
 * initial window and an infinite ssthresh; counts are in segments. */
static void fill_tcp_info(const struct sock *s, struct app_tcp_info *t)
{
	const struct tcp_params *p = s->c ? tcp_ep_params(s->c->ep) : &s->params;
	memset(t, 0, sizeof *t);
	t->state = s->l ? 10 : 7;
	t->rto_us = p->rto_initial / SIM_US;
	t->rttvar_us = p->rto_initial / SIM_US / 4;
	t->snd_mss = LINUX_MSS_DEFAULT;
	t->snd_cwnd = p->init_cwnd;
	t->snd_ssthresh = TCP_INFINITE_SSTHRESH;
	if (!s->c)
		return;
	struct tcp_ep_view v;
	tcp_ep_view(s->c->ep, &v);
	t->state = linux_state(user_state(s));
	t->retransmits = v.retransmits;
	t->backoff = v.backoff;
	t->rto_us = v.rto / SIM_US;
	if (v.srtt) {
		t->rtt_us = v.srtt / SIM_US;
		t->rttvar_us = v.rttvar / SIM_US;
	}
	/* a connect() that got no SYN-ACK: tcp_connect_init() sized mss_cache
	 * for the route, the window is the initial one */
	bool unsynced = v.state == TCP_SYN_SENT ||
	                (v.state == TCP_CLOSED && v.snd_mss == LINUX_MSS_DEFAULT);
	if (unsynced) {
		t->snd_mss = p->mss - (p->timestamps ? TCPOLEN_TSTAMP_ALIGNED : 0);
	} else {
		t->snd_mss = v.snd_mss;
		t->snd_cwnd = v.snd_mss ? v.cwnd / v.snd_mss : 0;
	}
	if (v.ssthresh < TCP_INFINITE_SSTHRESH && v.snd_mss)
		t->snd_ssthresh = v.ssthresh / v.snd_mss;
	uint32_t flight = v.snd_max - v.snd_una;
	/* tcp_write_queue_purge() zeroes packets_out once CLOSE */
	if (v.state != TCP_CLOSED && v.snd_mss)
		t->unacked = (flight + v.snd_mss - 1) / v.snd_mss;
	t->probes = v.probes;
	t->rcv_mss = v.rcv_mss;
	t->total_retrans = v.total_retrans;
	t->snd_wnd = v.snd_wnd;
	/* TCPI_OPT_TIMESTAMPS 1, TCPI_OPT_SACK 2, TCPI_OPT_WSCALE 4 (and the
	 * shifts with it), as negotiated on the SYNs */
	t->options = (v.ts_ok ? 1 : 0) | (v.sack_ok ? 2 : 0) | (v.ws_ok ? 4 : 0) |
	             (v.ecn_ok ? 8 : 0); /* TCPI_OPT_ECN, Linux's and FreeBSD's */
	if (v.ws_ok) {
		t->snd_wscale = v.snd_wscale;
		t->rcv_wscale = v.rcv_wscale;
	}
}

bool app_fd_tcp_info(struct app *a, int64_t fd, struct app_tcp_info *t)
{
	const struct sock *s = sys_sock(a, fd);
	if (!s)
		return false;
	fill_tcp_info(s, t);
	return true;
}

static bool sock_opt_value(struct sock *s, int64_t opt, struct value *v)
{
	switch (opt) {
	case SO_ERROR: v->i = take_error(s); return true;
	case SO_TYPE: v->i = SOCK_STREAM; return true;
	case SO_REUSEADDR: v->i = s->reuseaddr; return true;
	case SO_KEEPALIVE: v->i = s->params.keepalive; return true;
	case SO_SNDBUF: /* Linux's grows with the congestion window (tcp_sndbuf_expand()) */
		v->i = s->params.sndbuf;
		if (s->c) {
			struct tcp_ep_view ev;
			tcp_ep_view(s->c->ep, &ev);
			v->i = ev.sndbuf;
		}
		return true;
	case SO_RCVBUF: /* FreeBSD's grows to whole segments after the handshake */
		v->i = s->params.rcvbuf;
		if (s->c) {
			struct tcp_ep_view ev;
			tcp_ep_view(s->c->ep, &ev);
			v->i = ev.rcvbuf;
		}
		return true;
	case SO_LINGER: v->kind = VAL_PAIR; v->i = s->linger_on; v->j = s->linger_s; return true;
	case SO_SNDTIMEO: case SO_RCVTIMEO: {
		sim_time t = opt == SO_SNDTIMEO ? s->sndtimeo : s->rcvtimeo;
		v->kind = VAL_PAIR;
		v->i = t / SIM_SEC;
		v->j = t % SIM_SEC / SIM_US;
		return true;
	}
	default: return false;
	}
}

static bool tcp_opt_value(struct sock *s, int64_t opt, struct value *v)
{
	const struct tcp_params *p = &s->params;
	switch (opt) {
	case TCP_NODELAY: v->i = p->nagle == TCP_NAGLE_OFF; return true;
	case TCP_KEEPIDLE: v->i = p->keepalive_idle / SIM_SEC; return true;
	case TCP_KEEPINTVL: v->i = p->keepalive_intvl / SIM_SEC; return true;
	case TCP_KEEPCNT: v->i = p->keepalive_probes; return true;
	case TCP_USER_TIMEOUT: v->i = p->user_timeout / SIM_MS; return true;
	case TCP_KEEPINIT: v->i = p->connect_timeout / SIM_SEC; return p->bsd_sockopts;
	case TCP_NOOPT: v->i = p->no_options; return p->bsd_sockopts;
	case TCP_MAXSEG: {
		/* do_tcp_getsockopt(): the user's clamp while CLOSE or LISTEN, else
		 * mss_cache (TCP_MSS_DEFAULT before any connection) */
		if (s->user_mss && (s->l || user_state(s) == TCP_CLOSED)) {
			v->i = s->user_mss;
			return true;
		}
		struct tcp_ep_view ev = {0};
		if (s->c)
			tcp_ep_view(s->c->ep, &ev);
		v->i = s->c ? ev.snd_mss : LINUX_MSS_DEFAULT;
		return true;
	}
	case TCP_INFO: v->kind = VAL_TCPINFO; fill_tcp_info(s, &v->info); return true;
	default: return false;
	}
}

static enum step sys_getsockopt(struct app *a, const struct script_fcall *c, struct value *argv,
                                struct sysret *r, struct sock *s)
{
	struct value *v = &a->opt;
	memset(v, 0, offsetof(struct value, set));
	v->kind = VAL_INT;
	bool known = argv[1].i == SOL_SOCKET ? sock_opt_value(s, argv[2].i, v) :
	             argv[1].i == IPPROTO_TCP ? tcp_opt_value(s, argv[2].i, v) :
	             argv[1].i == SOL_IP ? ip_opt_value(s, argv[2].i, v) : false;
	if (!known)
		return fail(r, ENOPROTOOPT);
	if (c->args[3]->kind == SX_REF) {
		struct value *dst = &a->vars[c->args[3]->var];
		g_free(dst->pfd);
		*dst = *v;
		dst->pfd = NULL;
	}
	return ok(r, 0);
}

/* ---- names ---- */

/* inet_getname(): a peer only once connected (not in SYN_SENT or CLOSE). */
static enum step sys_getname(struct app *a, struct sysret *r, struct sock *s, bool peer)
{
	enum tcp_state st = user_state(s);
	if (peer) {
		if (!s->c || st == TCP_CLOSED || st == TCP_SYN_SENT)
			return fail(r, ENOTCONN);
		a->res_addr = s->c->key.raddr;
		a->res_port = s->c->key.rport;
		return ok(r, 0);
	}
	a->res_addr = s->c ? s->c->key.laddr : s->baddr;
	a->res_port = s->c ? s->c->key.lport : s->bport;
	return ok(r, 0);
}

/* ---- data ---- */

static void reserve_out(struct app *a, uint32_t n)
{
	if (n <= a->out_cap)
		return;
	a->out_cap = n > 2 * a->out_cap ? n : 2 * a->out_cap;
	a->out = g_realloc(a->out, a->out_cap);
}

#define BUF_MAX (1u << 20) /* `buf` holds at most this much; a longer read cycles */

/* `buf` grows as reads need it, zeroed (never memory no call wrote), and
 * by doubling: a run that reads 100 bytes allocates a few hundred. */
static void buf_reserve(struct app *a, uint64_t size)
{
	if (size <= a->buf_cap || a->buf_cap >= BUF_MAX)
		return;
	uint32_t old = a->buf_cap;
	uint64_t cap = old ? old : 256;
	while (cap < size)
		cap *= 2;
	a->buf_cap = cap < BUF_MAX ? (uint32_t)cap : BUF_MAX;
	a->buf = g_realloc(a->buf, a->buf_cap);
	memset(a->buf + old, 0, a->buf_cap - old);
}

/* What a send writes: a string or the read buffer, copied whole; or
 * generated bytes, made as the socket takes them (write_some()), from the
 * connection's key (drawn at its first such send: different for every
 * connection) and the offset. */
static void fill_out(struct app *a, const struct script_expr *data, uint32_t n, struct sock *s)
{
	a->out_len = n;
	a->out_off = 0;
	a->out_gen = data->kind != SX_STRING && data->kind != SX_BUF;
	if (a->out_gen) {
		struct world_conn *w = s->c ? (struct world_conn *)(void *)s->c : NULL;
		if (w && !w->payload_keyed) {
			w->payload_key = payload_key(a->rng);
			w->payload_keyed = true;
		}
		a->out_key = w ? w->payload_key : 0;
		a->out_at = w ? w->app_written : 0;
		return;
	}
	reserve_out(a, n ? n : 1);
	/* C sends len bytes of its buffer: past a string, zeros */
	const uint8_t *from = data->kind == SX_STRING ? data->data : a->buf;
	uint32_t have = data->kind == SX_STRING ? data->len : a->buf_cap;
	uint32_t k = n < have ? n : have;
	if (k) /* "" and a buffer never read have no bytes at all */
		memcpy(a->out, from, k);
	memset(a->out + k, 0, n - k);
}

static struct stream *stream_of(struct app *a, struct conn *c, bool reading)
{
	if (!c || !c->flows)
		return NULL;
	int writer = reading ? a->role == NET_CLIENT : a->role;
	return &c->flows->dir[writer];
}

/* Generated bytes at the send's offset, made where the send buffer
 * takes them (tcp_ep_send_made()). */
static void make_out(const void *ctx, uint8_t *dst, uint32_t n)
{
	const struct app *a = ctx;
	payload_fill(a->out_key, a->out_at + a->out_off, dst, n);
}

/* The next step of a send, of at most `want` bytes: the call's own bytes
 * copied; or generated ones, made straight into the send buffer, only as
 * many as it takes now (one when it is full, to hear its -EAGAIN or
 * error). */
static long send_step(struct app *a, struct sock *s, uint32_t want)
{
	if (!a->out_gen)
		return tcp_ep_send(s->c->ep, now_of(a), a->out + a->out_off, want, acts_of(a));
	uint32_t space = tcp_ep_send_space(s->c->ep);
	if (want > space)
		want = space ? space : 1;
	return tcp_ep_send_made(s->c->ep, now_of(a), want, make_out, a, acts_of(a));
}

/* Writes what is pending; -errno, or 0 when all is written or it must
 * wait (-EAGAIN). */
static long write_some(struct app *a, struct sock *s)
{
	struct world_conn *w = (struct world_conn *)(void *)s->c;
	while (a->out_off < a->out_len) {
		uint32_t want = a->out_len - a->out_off;
		long k = send_step(a, s, want);
		net_apply(a->net, a->role, s->c);
		if (k < 0)
			return k;
		struct stream *st = stream_of(a, s->c, false);
		if (st && a->out_gen)
			stream_write_generated(st, a->out_key, a->out_at + a->out_off, (uint32_t)k);
		else if (st)
			stream_write(st, a->out + a->out_off, (uint32_t)k);
		a->out_off += (uint32_t)k;
		w->app_written += (uint64_t)k;
		struct net_role_stats *rs = &a->net->role[a->role];
		if (rs->bytes_sent == 0 && k > 0)
			rs->first_write_at = now_of(a);
		rs->bytes_sent += (uint64_t)k;
	}
	return 0;
}

/* sk_stream_error(): EPIPE raises SIGPIPE unless MSG_NOSIGNAL. */
static enum step send_error(struct app *a, struct sysret *r, int err, int64_t flags)
{
	if (err == EPIPE && !(flags & MSG_NOSIGNAL))
		app_raise(a, SIGPIPE);
	return fail(r, err);
}

static enum step sys_send(struct app *a, const struct script_fcall *c, struct value *argv,
                          struct sysret *r, struct sock *s)
{
	int64_t len = argv[2].i, flags = argv[3].i;
	if (!a->begun) {
		if (len < 0)
			return fail(r, EINVAL);
		uint32_t n = (uint32_t)(len > (1 << 30) ? 1 << 30 : len);
		if (c->args[1]->kind == SX_BUF) { /* the program's buffer: at most BUF_MAX */
			buf_reserve(a, n);
			n = n < a->buf_cap ? n : a->buf_cap;
		}
		fill_out(a, c->args[1], n, s);
		if (!s->nonblock && !(flags & MSG_DONTWAIT) && s->sndtimeo > 0)
			app_wait_until(a, now_of(a) + s->sndtimeo);
	}
	if (!s->c) /* never connected: sk_stream_wait_connect() says EPIPE */
		return send_error(a, r, EPIPE, flags);
	/* a blocked writer sleeps until the buffer is writable again
	 * (sk_stream_wait_memory(), sk_stream_write_space()) */
	bool nonblock_call = s->nonblock || (flags & MSG_DONTWAIT);
	if (a->begun && !nonblock_call && !a->woke && !tcp_ep_write_wakes(s->c->ep))
		return STEP_WAIT;
	long k;
	if (a->out_len == 0) { /* tcp_sendmsg_locked() makes its checks, copies nothing */
		k = tcp_ep_send(s->c->ep, now_of(a), NULL, 0, acts_of(a));
		net_apply(a->net, a->role, s->c);
		enum tcp_state st = tcp_ep_state(s->c->ep);
		if (k == -EAGAIN && (st == TCP_ESTABLISHED || st == TCP_CLOSE_WAIT))
			k = 0; /* a full buffer does not matter */
	} else {
		k = write_some(a, s);
	}
	long done = a->out_off;
	if (k == -EAGAIN) {
		bool nonblock = s->nonblock || (flags & MSG_DONTWAIT);
		if (!nonblock && !a->woke)
			return STEP_WAIT;
		return done ? ok(r, done) : fail(r, EAGAIN);
	}
	if (k < 0 && done)
		return ok(r, done); /* the bytes written count; the error waits */
	if (k == -ENOTCONN) /* tcp_ep_send's closed socket: Linux says EPIPE */
		k = -EPIPE;
	return k < 0 ? send_error(a, r, (int)-k, flags) : ok(r, done);
}

/* Where the next read of up to len bytes (avail waiting) lands in `buf`:
 * from the start while it fits; a longer read keeps its first bytes
 * (strace shows them) and cycles.  `buf` grows by what can be read now,
 * not by what was asked: a program's first recv(fd, buf, 1 MiB) that
 * waits must not zero a megabyte (a sweep's runs each start afresh). */
static uint32_t read_room(struct app *a, uint64_t len, uint32_t avail, uint32_t *off)
{
	uint64_t want = len - a->progress;
	uint64_t need = a->progress + (avail == 0 ? 1 : avail < want ? avail : want);
	buf_reserve(a, need < BUF_MAX ? need : BUF_MAX);
	*off = a->progress < a->buf_cap ? (uint32_t)a->progress :
	       64 + (uint32_t)((a->progress - 64) % (a->buf_cap - 64));
	uint32_t room = a->buf_cap - *off;
	return want < room ? (uint32_t)want : room;
}

static long read_some(struct app *a, struct sock *s, uint64_t len)
{
	uint32_t off;
	uint32_t n = read_room(a, len, tcp_ep_readable(s->c->ep), &off);
	/* tcp_recvmsg_locked(): once the peer's FIN was read (SOCK_DONE) a
	 * read returns 0, before any error, which stays pending (a reset in
	 * CLOSE_WAIT: EPIPE for SO_ERROR and the next send) */
	long k = tcp_ep_readable(s->c->ep) == 0 && tcp_ep_fin_received(s->c->ep) ? 0 :
	         tcp_ep_recv(s->c->ep, now_of(a), a->buf + off, n, acts_of(a));
	net_apply(a->net, a->role, s->c);
	struct stream *st = stream_of(a, s->c, true);
	if (k > 0) {
		if (st)
			stream_read(st, a->buf + off, (uint32_t)k);
		a->net->role[a->role].bytes_received += (uint64_t)k;
		a->net->role[a->role].last_read_at = now_of(a);
		if (now_of(a) >= net_omit(a->net))
			a->net->role[a->role].bytes_measured += (uint64_t)k;
		a->progress += (uint64_t)k;
		a->buf_len = a->progress < a->buf_cap ? (uint32_t)a->progress : a->buf_cap;
	} else if (k == 0 && st && tcp_ep_fin_received(s->c->ep)) {
		st->eof_seen = true; /* the peer said it has sent everything */
	}
	return k;
}

/* recv(MSG_PEEK) (tcp_recvmsg_locked() with peek_seq): the bytes waiting,
 * left to read; MSG_WAITALL waits for len of them unless the stream
 * cannot bring more; with nothing waiting, a read's rules (0 at the end,
 * the error, which a peek clears too, EAGAIN or a wait). */
static enum step recv_peek(struct app *a, struct sock *s, int64_t len, int64_t flags,
                           bool nonblock, struct sysret *r)
{
	struct tcp_ep *ep = s->c->ep;
	uint32_t have = tcp_ep_readable(ep);
	if (have == 0) {
		long k = read_some(a, s, (uint64_t)len); /* consumes nothing: there is nothing */
		if (k == 0 || (k == -EAGAIN && s->rd_shut))
			return ok(r, 0);
		if (k != -EAGAIN)
			return fail(r, (int)-k);
		return nonblock || a->woke ? fail(r, EAGAIN) : STEP_WAIT;
	}
	bool more = tcp_ep_state(ep) != TCP_CLOSED && !tcp_ep_fin_received(ep) && !s->rd_shut &&
	            !tcp_ep_error_pending(ep);
	if ((flags & MSG_WAITALL) && have < (uint64_t)len && more && !nonblock && !a->woke)
		return STEP_WAIT;
	uint32_t off;
	a->progress = 0;
	uint32_t n = read_room(a, (uint64_t)len, have, &off);
	n = tcp_ep_peek(ep, a->buf, n);
	a->buf_len = n;
	return ok(r, n);
}

/* tcp_recvmsg_locked(): data first; then a pending error once; then 0 at
 * end of file or after shutdown(SHUT_RD); ENOTCONN for a socket with no
 * connection; else wait, or EAGAIN. */
static enum step sys_recv(struct app *a, struct value *argv, struct sysret *r, struct sock *s)
{
	int64_t len = argv[2].i, flags = argv[3].i;
	bool nonblock = s->nonblock || (flags & MSG_DONTWAIT);
	if (!a->begun) {
		if (len < 0)
			return fail(r, EINVAL);
		a->buf_len = 0;
		if (!nonblock && s->rcvtimeo > 0)
			app_wait_until(a, now_of(a) + s->rcvtimeo);
	}
	if (s->l)
		return fail(r, ENOTCONN);
	if (len == 0) /* tcp_recvmsg_locked()'s loop never runs: 0, connected or not */
		return ok(r, 0);
	if (!s->c)
		return fail(r, ENOTCONN);
	if (flags & MSG_PEEK)
		return recv_peek(a, s, len, flags, nonblock, r);
	for (;;) {
		long k = read_some(a, s, (uint64_t)len);
		bool more = (flags & MSG_WAITALL) && k > 0 && a->progress < (uint64_t)len;
		if (more)
			continue;
		if (k > 0 || (k < 0 && k != -EAGAIN && a->progress))
			return ok(r, (long)a->progress);
		if (k == 0 || (k == -EAGAIN && s->rd_shut))
			return ok(r, (long)a->progress);
		if (k != -EAGAIN)
			return fail(r, (int)-k);
		if (a->progress && !(flags & MSG_WAITALL))
			return ok(r, (long)a->progress);
		if (nonblock || a->woke)
			return a->progress ? ok(r, (long)a->progress) : fail(r, EAGAIN);
		return STEP_WAIT;
	}
}

/* ---- shutdown, close ---- */

/* inet_shutdown(): ENOTCONN on a closed socket; a connect in progress is
 * given up without a packet; SHUT_RD stops a listener. */
static enum step sys_shutdown(struct app *a, struct sysret *r, struct sock *s, int64_t how)
{
	if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
		return fail(r, EINVAL);
	if (s->l) {
		if (how == SHUT_WR)
			return ok(r, 0);
		net_close_listener(a->net, a->role, s->l);
		s->l = NULL;
		return ok(r, 0);
	}
	enum tcp_state st = user_state(s);
	if (st == TCP_CLOSED) { /* ENOTCONN, and sk_shutdown takes `how` all the same */
		if (how != SHUT_WR)
			s->rd_shut = true;
		return fail(r, ENOTCONN);
	}
	if (st == TCP_SYN_SENT) { /* tcp_disconnect(): sk_err ECONNRESET */
		disconnect(a, s, ECONNRESET);
		return ok(r, 0);
	}
	if (s->ss == SOCK_SS_CONNECTING)
		s->ss = SOCK_SS_CONNECTED;
	if (how != SHUT_WR) {
		s->rd_shut = true;
		tcp_ep_shutdown_read(s->c->ep);
	}
	if (how != SHUT_RD) {
		tcp_ep_shutdown_write(s->c->ep, now_of(a), acts_of(a));
		net_apply(a->net, a->role, s->c);
	}
	return ok(r, 0);
}

/* The kernel's close of a socket: the connection lives on as an orphan
 * (or is reset: SO_LINGER 0, unread data); a CLOSED one is let go. */
static void close_conn(struct app *a, struct sock *s)
{
	struct conn *c = s->c;
	bool already_closed = !c->in_table;
	c->user_owned = false;
	if (s->linger_on && s->linger_s == 0)
		tcp_ep_abort(c->ep, now_of(a), acts_of(a));
	else
		tcp_ep_close(c->ep, now_of(a), acts_of(a));
	net_apply(a->net, a->role, c);
	if (already_closed)
		net_release_conn(a->net, c);
}

static void close_sock(struct app *a, int fd)
{
	struct sock *s = a->fds[fd];
	if (s->l)
		net_close_listener(a->net, a->role, s->l);
	if (s->c)
		close_conn(a, s);
	sock_free(a, fd);
}

/* A lingering close (SO_LINGER on, l_linger > 0) waits until the FIN is
 * acknowledged or the time is up (__tcp_close(), sk_stream_wait_close()),
 * O_NONBLOCK or not: inet_release() looks only at SOCK_LINGER. */
static bool lingers(const struct app *a, const struct sock *s)
{
	if (!s->c || !s->linger_on || s->linger_s <= 0 || a->woke)
		return false;
	enum tcp_state st = tcp_ep_state(s->c->ep);
	return st == TCP_FIN_WAIT_1 || st == TCP_CLOSING || st == TCP_LAST_ACK;
}

static enum step sys_close(struct app *a, struct sysret *r, int64_t fd)
{
	struct sock *s = sys_sock(a, fd);
	if (!s) { /* stdin, stdout and stderr close once; anything else is not open */
		if (!sys_std_open(a, fd))
			return fail(r, EBADF);
		a->std_closed |= 1u << fd;
		return ok(r, 0);
	}
	/* data never read makes it a reset, at once (__tcp_close()) */
	if (!a->begun && s->c && s->linger_on && s->linger_s > 0 && tcp_ep_readable(s->c->ep) == 0) {
		struct conn *c = s->c;
		tcp_ep_shutdown_write(c->ep, now_of(a), acts_of(a));
		net_apply(a->net, a->role, c);
		app_wait_until(a, now_of(a) + (sim_time)s->linger_s * SIM_SEC);
	}
	if (lingers(a, s))
		return STEP_WAIT;
	close_sock(a, (int)fd);
	return ok(r, 0);
}

void sys_close_all(struct app *a)
{
	for (int fd = 0; fd < a->fd_hi; fd++)
		if (a->fds[fd])
			close_sock(a, fd);
}

/* ---- fcntl, ioctl ---- */

static enum step sys_fcntl(struct sysret *r, struct sock *s, int64_t cmd, int64_t arg)
{
	if (cmd == F_GETFL)
		return ok(r, O_RDWR | (s->nonblock ? O_NONBLOCK : 0));
	if (cmd != F_SETFL)
		return fail(r, EINVAL);
	s->nonblock = (arg & O_NONBLOCK) != 0;
	return ok(r, 0);
}

static enum step sys_ioctl(struct app *a, const struct script_fcall *c, struct sysret *r,
                           struct sock *s, int64_t req)
{
	struct tcp_ep_view v = {0};
	if (s->c)
		tcp_ep_view(s->c->ep, &v);
	if (s->l)
		return fail(r, EINVAL); /* tcp_ioctl(): not on a listener */
	memset(&a->opt, 0, offsetof(struct value, set));
	if (req == FIONREAD || req == SIOCINQ)
		a->opt.i = v.readable;
	else if (req == SIOCOUTQ)
		a->opt.i = v.outq;
	else
		return fail(r, ENOTTY);
	if (c->args[2]->kind == SX_REF)
		a->vars[c->args[2]->var].i = a->opt.i, a->vars[c->args[2]->var].kind = VAL_INT;
	return ok(r, 0);
}

/* ---- time, signals, the host ---- */

static enum step sys_sleep(struct app *a, struct sysret *r, sim_time d)
{
	if (!a->begun) { /* even sleep(0) yields: the program runs again after events */
		app_wait_until(a, now_of(a) + (d > 0 ? d : 0));
		return STEP_WAIT;
	}
	if (!a->woke)
		return STEP_WAIT;
	return ok(r, 0);
}

/* signal() returns the handler before (SIG_DFL 0, SIG_IGN 1, a handler
 * of the program's 2), sigaction() 0; rt_sigaction() returns 0 to both
 * (strace.c shows that). */
static enum step sys_signal(struct app *a, struct sysret *r, int64_t sig, int64_t handler,
                            bool restart, bool sigaction)
{
	if (sig < 1 || sig > 64 || sig == SIGKILL || sig == SIGSTOP)
		return fail(r, EINVAL);
	enum sig_disp old = a->sig[sig];
	a->sig[sig] = handler == 0 ? SIG_DISP_DEFAULT : handler == 1 ? SIG_DISP_IGNORE : SIG_DISP_HANDLER;
	a->sig_restart[sig] = restart;
	if (sigaction)
		return ok(r, 0);
	return ok(r, old == SIG_DISP_IGNORE ? 1 : old == SIG_DISP_HANDLER ? 2 : 0);
}

/* alarm(2): the seconds left of the alarm before, rounded as Linux does. */
static enum step sys_alarm(struct app *a, struct sysret *r, sim_time d)
{
	long left = 0;
	if (sim_event_pending(&a->alarm)) {
		sim_time t = a->alarm.at - now_of(a);
		left = (long)((t + SIM_SEC / 2) / SIM_SEC);
		left = left ? left : 1;
		sim_queue_cancel(a->net->q, &a->alarm);
	}
	if (d > 0)
		sim_queue_schedule(a->net->q, &a->alarm, now_of(a) + d);
	return ok(r, left);
}

static enum step sys_crash(struct app *a, struct sysret *r, bool reboot)
{
	struct host *h = host_of(a);
	if (reboot) {
		h->down = false;
		h->isn_secret = (uint32_t)gsl_rng_get(h->rng); /* a new boot, a new secret */
		return ok(r, 0);
	}
	for (int fd = 0; fd < a->fd_hi; fd++) /* the host's sockets are gone */
		if (a->fds[fd]) {
			a->fds[fd]->c = NULL;
			a->fds[fd]->l = NULL;
			sock_free(a, fd);
		}
	net_crash_host(a->net, (enum net_role)a->role);
	app_lose_memory(a); /* the program dies with its host; the script goes on afresh */
	return ok(r, 0);
}

/* ---- dispatch ---- */

static enum step on_sock(struct app *a, const struct script_fcall *c, struct value *argv,
                         struct sysret *r, struct sock *s)
{
	switch (c->fn) {
	case SCRIPT_FN_BIND: return sys_bind(a, c, r, s);
	case SCRIPT_FN_LISTEN: return sys_listen(a, r, s, argv[1].i);
	case SCRIPT_FN_ACCEPT: return sys_accept(a, r, s, argv[1].i);
	case SCRIPT_FN_CONNECT: return sys_connect(a, c, r, s);
	case SCRIPT_FN_GETSOCKOPT: return sys_getsockopt(a, c, argv, r, s);
	case SCRIPT_FN_SETSOCKOPT: return sys_setsockopt(a, c, argv, r, s);
	case SCRIPT_FN_GETPEERNAME: return sys_getname(a, r, s, true);
	case SCRIPT_FN_GETSOCKNAME: return sys_getname(a, r, s, false);
	case SCRIPT_FN_SEND: case SCRIPT_FN_WRITE: return sys_send(a, c, argv, r, s);
	case SCRIPT_FN_RECV: case SCRIPT_FN_READ: return sys_recv(a, argv, r, s);
	case SCRIPT_FN_SHUTDOWN: return sys_shutdown(a, r, s, argv[1].i);
	case SCRIPT_FN_FCNTL: return sys_fcntl(r, s, argv[1].i, argv[2].i);
	case SCRIPT_FN_IOCTL: return sys_ioctl(a, c, r, s, argv[1].i);
	case SCRIPT_FN_SOCKET: case SCRIPT_FN_CLOSE: case SCRIPT_FN_SELECT: case SCRIPT_FN_POLL:
	case SCRIPT_FN_SLEEP: case SCRIPT_FN_SIGNAL: case SCRIPT_FN_SIGACTION: case SCRIPT_FN_ALARM:
	case SCRIPT_FN_CRASH: case SCRIPT_FN_REBOOT: case SCRIPT_FN_FD_ISSET: case SCRIPT_FN_COUNT:
		break; /* not calls on a socket: sys_call() makes them */
	}
	return fail(r, ENOSYS);
}

/* write(1, "text", n): a program's own output; it goes nowhere but the log. */
static enum step write_stdio(const struct script_fcall *c, struct value *argv, struct sysret *r)
{
	int64_t n = argv[2].i;
	if (c->args[1]->kind == SX_STRING && n > c->args[1]->len)
		n = c->args[1]->len;
	return ok(r, (long)n);
}

enum step sys_call(struct app *a, const struct script_fcall *c, struct value *argv,
                   struct sysret *r)
{
	switch (c->fn) {
	case SCRIPT_FN_SOCKET: return sys_socket(a, argv, r);
	case SCRIPT_FN_CLOSE: return sys_close(a, r, argv[0].i);
	case SCRIPT_FN_SELECT: return sys_select(a, c, argv, r);
	case SCRIPT_FN_POLL: return sys_poll(a, c, argv, r);
	case SCRIPT_FN_SLEEP: return sys_sleep(a, r, argv[0].i);
	case SCRIPT_FN_SIGNAL: return sys_signal(a, r, argv[0].i, argv[1].i, true, false);
	case SCRIPT_FN_SIGACTION:
		return sys_signal(a, r, argv[0].i, argv[1].i, (argv[2].i & SA_RESTART) != 0, true);
	case SCRIPT_FN_ALARM: return sys_alarm(a, r, argv[0].i);
	case SCRIPT_FN_CRASH: return sys_crash(a, r, false);
	case SCRIPT_FN_REBOOT: return sys_crash(a, r, true);
	case SCRIPT_FN_FD_ISSET: case SCRIPT_FN_COUNT: return ok(r, 0);
	case SCRIPT_FN_SEND: case SCRIPT_FN_WRITE:
		if ((argv[0].i == 1 || argv[0].i == 2) && sys_std_open(a, argv[0].i))
			return write_stdio(c, argv, r);
		break;
	case SCRIPT_FN_BIND: case SCRIPT_FN_LISTEN: case SCRIPT_FN_ACCEPT: case SCRIPT_FN_CONNECT:
	case SCRIPT_FN_GETSOCKOPT: case SCRIPT_FN_SETSOCKOPT: case SCRIPT_FN_GETPEERNAME:
	case SCRIPT_FN_GETSOCKNAME: case SCRIPT_FN_RECV: case SCRIPT_FN_READ: case SCRIPT_FN_SHUTDOWN:
	case SCRIPT_FN_FCNTL: case SCRIPT_FN_IOCTL:
		break;
	}
	struct sock *s = get_sock(a, argv[0].i, r);
	if (!s)
		return STEP_DONE;
	return on_sock(a, c, argv, r, s);
}
