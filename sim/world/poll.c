/*
 * Readiness: what select() and poll() report for a socket, as Linux's
 * tcp_poll() and inet_csk_listen_poll() compute it, and the two calls.
 *
 * The cases seed 004 turns on, from tcp_poll():
 *   a new socket (CLOSE)             POLLOUT|POLLHUP; so is one connect()
 *                                    disconnected after reporting a failure
 *   connect in progress (SYN_SENT)   nothing
 *   connected                        POLLOUT (room in the send buffer)
 *   data or the peer's FIN arrived   POLLIN (+ POLLRDHUP after a FIN)
 *   connect failed, reset, timed out POLLIN|POLLOUT|POLLERR|POLLHUP|POLLRDHUP
 *                                    (tcp_done() shut both ways; the error
 *                                    pending until SO_ERROR or a call reads it)
 *   a listener                       POLLIN with a connection to accept
 * and select() maps the mask as fs/select.c does: readable = POLLIN or
 * POLLHUP or POLLERR, writable = POLLOUT or POLLERR, exception = POLLPRI.
 * So a failed connect is "readable and writable".
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <glib.h>
#include "sim/world/net_int.h"

#define POLLIN_SET (POLLIN | POLLRDNORM | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLOUT | POLLWRNORM | POLLERR)
#define POLLEX_SET POLLPRI

static sim_time now_of(const struct app *a) { return a->net->q->now; }

static unsigned conn_mask(const struct sock *s)
{
	const struct tcp_ep *ep = s->c->ep;
	enum tcp_state st = tcp_ep_state(ep);
	unsigned m = 0;
	bool rcv_shut = s->rd_shut || tcp_ep_read_ended(ep) || st == TCP_CLOSED;
	bool snd_shut = st == TCP_CLOSED || st == TCP_FIN_WAIT_1 || st == TCP_FIN_WAIT_2 ||
	                st == TCP_CLOSING || st == TCP_LAST_ACK || st == TCP_TIME_WAIT;
	if ((rcv_shut && snd_shut) || st == TCP_CLOSED)
		m |= POLLHUP;
	if (rcv_shut)
		m |= POLLIN | POLLRDNORM | POLLRDHUP;
	if (st != TCP_SYN_SENT && st != TCP_SYN_RCVD) {
		if (tcp_ep_readable(ep) > 0)
			m |= POLLIN | POLLRDNORM;
		if (snd_shut || tcp_ep_writable(ep))
			m |= POLLOUT | POLLWRNORM;
	}
	if (tcp_ep_error_pending(ep))
		m |= POLLERR;
	return m;
}

unsigned sock_poll_mask(const struct sock *s)
{
	if (s->l) /* inet_csk_listen_poll() */
		return g_queue_is_empty(&s->l->ready) ? 0 : POLLIN | POLLRDNORM;
	if (!s->c) /* never connected (or disconnected): CLOSE is a hang-up, the
	              buffer has room; shutdown() may have set RCV_SHUTDOWN */
		return POLLOUT | POLLWRNORM | POLLHUP | (s->err ? POLLERR : 0) |
		       (s->rd_shut ? POLLIN | POLLRDNORM | POLLRDHUP : 0);
	return conn_mask(s);
}

/* A time limit from a select timeval or a poll timeout; SIM_NEVER: none. */
static sim_time limit_of(const struct script_expr *e, const struct value *v, bool poll_ms)
{
	if (e->kind == SX_NULL)
		return SIM_NEVER;
	if (e->kind == SX_DURATION)
		return v->i;
	if (v->kind == VAL_PAIR)
		return v->i * SIM_SEC + v->j * SIM_US;
	if (poll_ms)
		return v->i < 0 ? SIM_NEVER : v->i * SIM_MS;
	return v->i * SIM_SEC;
}

/* The call blocks until a descriptor is ready or the limit passes. */
static enum step wait_ready(struct app *a, sim_time limit, int ready, struct sysret *r)
{
	if (ready > 0 || limit == 0) {
		*r = (struct sysret){ready, 0};
		return STEP_DONE;
	}
	if (!a->begun && limit != SIM_NEVER)
		app_wait_until(a, now_of(a) + limit);
	if (a->woke) {
		*r = (struct sysret){0, 0};
		return STEP_DONE;
	}
	return STEP_WAIT;
}

/* A select or poll that times out with a connecting socket in it is the
 * program's own limit on connect(): its result is ETIMEDOUT, as the
 * program will conclude. */
static void note_connect_timeout(struct app *a, int64_t fd)
{
	const struct sock *s = sys_sock(a, fd);
	if (s && s->c && tcp_ep_state(s->c->ep) == TCP_SYN_SENT)
		net_record_error(a->net, a->role, ETIMEDOUT);
}

static bool in_set(const struct value *v, int fd)
{
	return v->kind == VAL_FDSET && (v->set[fd / 64] >> (fd % 64)) & 1;
}

static void put(struct value *v, int fd)
{
	v->set[fd / 64] |= (uint64_t)1 << (fd % 64);
}

/* One pass over the sets: the result sets in a->res[0..2], the count of
 * bits set; -EBADF if a set names a descriptor that is not open. */
static int select_scan(struct app *a, const struct value *sets, int64_t nfds)
{
	int n = 0;
	for (int k = 0; k < 3; k++) {
		memset(&a->res[k], 0, offsetof(struct value, pfd));
		a->res[k].kind = VAL_FDSET;
	}
	for (int fd = 0; fd < nfds && fd < APP_MAX_FDS; fd++) {
		bool asked = in_set(&sets[0], fd) || in_set(&sets[1], fd) || in_set(&sets[2], fd);
		if (!asked)
			continue;
		const struct sock *s = sys_sock(a, fd);
		if (!s && !sys_std_open(a, fd))
			return -EBADF;
		unsigned m = s ? sock_poll_mask(s) : POLLOUT;
		static const unsigned want[3] = {POLLIN_SET, POLLOUT_SET, POLLEX_SET};
		for (int k = 0; k < 3; k++)
			if (in_set(&sets[k], fd) && (m & want[k])) {
				put(&a->res[k], fd);
				n++;
			}
	}
	return n;
}

static int64_t highest_fd(const struct value *sets)
{
	int64_t top = 0;
	for (int k = 0; k < 3; k++)
		for (int fd = 0; fd < APP_MAX_FDS; fd++)
			if (in_set(&sets[k], fd) && fd + 1 > top)
				top = fd + 1;
	return top;
}

enum step sys_select(struct app *a, const struct script_fcall *c, struct value *argv,
                     struct sysret *r)
{
	struct value *sets = &argv[1];
	int64_t nfds = c->args[0]->kind == SX_NULL ? highest_fd(sets) : argv[0].i;
	if (nfds < 0) { /* core_sys_select(): EINVAL; beyond the table, as far as it goes */
		*r = (struct sysret){-1, EINVAL};
		return STEP_DONE;
	}
	sim_time limit = limit_of(c->args[4], &argv[4], false);
	if (limit < 0 && limit != SIM_NEVER) {
		*r = (struct sysret){-1, EINVAL};
		return STEP_DONE;
	}
	a->res_nfds = nfds;
	int n = select_scan(a, sets, nfds);
	if (n < 0) {
		*r = (struct sysret){-1, -n};
		return STEP_DONE;
	}
	enum step st = wait_ready(a, limit, n, r);
	if (st == STEP_WAIT)
		return st;
	sim_time spent = now_of(a) - a->call_start;
	a->res_left = limit == SIM_NEVER ? 0 : limit > spent ? limit - spent : 0;
	for (int k = 0; k < 3; k++) /* the sets given as variables change, as in C */
		if (c->args[k + 1]->kind == SX_VAR) {
			struct value *v = &a->vars[c->args[k + 1]->var];
			memcpy(v->set, a->res[k].set, sizeof v->set);
			v->kind = VAL_FDSET;
		}
	if (r->ret == 0)
		for (int fd = 0; fd < nfds && fd < APP_MAX_FDS; fd++)
			if (in_set(&sets[1], fd))
				note_connect_timeout(a, fd);
	return STEP_DONE;
}

/* One pass of poll(): revents into a->res[0].pfd, the count ready. */
static int poll_scan(struct app *a, const struct value *list, uint32_t n)
{
	struct value *res = &a->res[0];
	res->kind = VAL_POLLFDS;
	res->pfd = g_renew(struct app_pollfd, res->pfd, n ? n : 1);
	res->n_pfd = n;
	int ready = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct app_pollfd p = list->pfd[i];
		const struct sock *s = sys_sock(a, p.fd);
		unsigned m = p.fd < 0 ? 0 : s ? sock_poll_mask(s) : sys_std_open(a, p.fd) ? POLLOUT : POLLNVAL;
		/* POLLERR, POLLHUP and POLLNVAL are always reported */
		p.revents = (int16_t)(m & ((unsigned)(uint16_t)p.events | POLLERR | POLLHUP | POLLNVAL));
		res->pfd[i] = p;
		ready += p.revents != 0;
	}
	return ready;
}

enum step sys_poll(struct app *a, const struct script_fcall *c, struct value *argv,
                   struct sysret *r)
{
	const struct value *list = &argv[0];
	uint32_t n = list->kind == VAL_POLLFDS ? list->n_pfd : 0;
	if (c->args[1]->kind != SX_NULL) {
		if (argv[1].i < 0 || argv[1].i > n) {
			*r = (struct sysret){-1, EINVAL};
			return STEP_DONE;
		}
		n = (uint32_t)argv[1].i;
	}
	sim_time limit = limit_of(c->args[2], &argv[2], true);
	int ready = poll_scan(a, list, n);
	enum step st = wait_ready(a, limit, ready, r);
	if (st == STEP_WAIT)
		return st;
	if (c->args[0]->kind == SX_VAR) { /* revents go back into the array, as in C */
		struct value *v = &a->vars[c->args[0]->var];
		for (uint32_t i = 0; i < n && i < v->n_pfd; i++)
			v->pfd[i].revents = a->res[0].pfd[i].revents;
	}
	if (r->ret == 0)
		for (uint32_t i = 0; i < n; i++)
			if (list->pfd[i].events & POLLOUT)
				note_connect_timeout(a, list->pfd[i].fd);
	return STEP_DONE;
}
