/*
 * The application of one endpoint: an interpreter of its script of socket
 * calls.  Each call is tried; if it cannot complete yet (connect while the
 * handshake runs, recv with nothing arrived, send with a full buffer,
 * sleep) the app waits, and is run again whenever its host processed an
 * event or its own wake-up timer fired.  Calls never run in the middle of a
 * TCP transition: the world applies every action first.
 *
 * Each call's outcome is logged the way the seeds' C programs print it:
 * "connect(10.0.0.2:8080) = -1 ETIMEDOUT after 131.000 s".
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <glib.h>
#include "sim/world/net_int.h"

enum step { STEP_DONE, STEP_WAIT };

#define APP_READ_MAX 65536u

static sim_time now_of(const struct app *a) { return a->net->q->now; }
static struct tcp_acts *acts_of(struct app *a) { return &a->net->acts; }

static void wake_fired(struct sim_queue *q, struct sim_event *ev)
{
	(void)q;
	struct app *a = ev->ctx;
	a->woke = true;
	app_run(a);
}

void app_init(struct app *a, struct net *n, enum net_role r, gsl_rng *rng)
{
	memset(a, 0, sizeof *a);
	a->net = n;
	a->role = r;
	a->spec = &n->spec.ep[r];
	a->rng = rng;
	a->next_fd = 3; /* 0-2 are stdin, stdout, stderr */
	a->buf_cap = APP_READ_MAX;
	a->buf = g_malloc(a->buf_cap);
	sim_event_init(&a->wake, wake_fired, a);
}

void app_clear(struct app *a)
{
	g_free(a->buf);
	g_free(a->out);
	gsl_rng_free(a->rng);
}

void app_schedule_start(struct app *a)
{
	sim_queue_schedule(a->net->q, &a->wake, 0);
}

void app_forget_conn(struct app *a, struct conn *c)
{
	if (a->sock == c)
		a->sock = NULL;
}

/* Logs one call; a loop of calls (echo, recv all) measures each from the
 * end of the one before.  The arguments are formatted only when some output
 * prints the calls: a benchmark run formats nothing. */
static void log_callf(struct app *a, const char *name, long ret, int err, const char *fmt, ...)
	G_GNUC_PRINTF(5, 6);
static void log_callf(struct app *a, const char *name, long ret, int err, const char *fmt, ...)
{
	char detail[96] = "";
	if (a->net->call_text) {
		va_list ap;
		va_start(ap, fmt);
		g_vsnprintf(detail, sizeof detail, fmt, ap);
		va_end(ap);
	}
	net_log_call(a->net, a, name, ret, err, detail);
	a->call_start = now_of(a);
}

#define IP4(ip) (ip) >> 24, ((ip) >> 16) & 255u, ((ip) >> 8) & 255u, (ip) & 255u

/* "hello\0" as strace shows data: printable bytes, C escapes, at most 32. */
static void quote_data(char *out, size_t size, const uint8_t *d, long n)
{
	GString *s = g_string_new("\"");
	for (long i = 0; i < n && i < 32; i++) {
		uint8_t c = d[i];
		if (c == '\n') g_string_append(s, "\\n");
		else if (c == '\r') g_string_append(s, "\\r");
		else if (c == '\t') g_string_append(s, "\\t");
		else if (c == 0) g_string_append(s, "\\0");
		else if (c == '"' || c == '\\') g_string_append_printf(s, "\\%c", c);
		else if (c >= 32 && c < 127) g_string_append_c(s, (char)c);
		else g_string_append_printf(s, "\\x%02x", c);
	}
	g_string_append(s, n > 32 ? "\"..." : "\"");
	g_strlcpy(out, s->str, size);
	g_string_free(s, TRUE);
}

static struct stream *out_stream(struct app *a)
{
	return a->sock && a->sock->flows ? &a->sock->flows->dir[a->role] : NULL;
}

static struct stream *in_stream(struct app *a)
{
	return a->sock && a->sock->flows ? &a->sock->flows->dir[a->role == NET_CLIENT] : NULL;
}

/* --- reading and writing, shared by send, recv and echo --- */

/* Writes out[out_off..out_len); STEP_DONE when all is written or an error
 * ends it (*err set). */
static enum step write_pending(struct app *a, int *err)
{
	*err = 0;
	while (a->out_off < a->out_len) {
		long k = tcp_ep_send(a->sock->ep, now_of(a), a->out + a->out_off,
		                     a->out_len - a->out_off, acts_of(a));
		net_apply(a->net, a->role, a->sock);
		if (k == -EAGAIN)
			return STEP_WAIT;
		if (k < 0) {
			*err = (int)-k;
			return STEP_DONE;
		}
		struct stream *s = out_stream(a);
		if (s)
			stream_write(s, a->out + a->out_off, (uint32_t)k);
		a->out_off += (uint32_t)k;
		a->net->role[a->role].bytes_sent += (uint64_t)k;
	}
	return STEP_DONE;
}

/* One read into a->buf: bytes, 0 at EOF, -EAGAIN, or -errno. */
static long read_some(struct app *a, uint32_t max)
{
	long k = tcp_ep_recv(a->sock->ep, now_of(a), a->buf, max < a->buf_cap ? max : a->buf_cap,
	                     acts_of(a));
	net_apply(a->net, a->role, a->sock);
	struct stream *s = in_stream(a);
	if (k > 0) {
		if (s)
			stream_read(s, a->buf, (uint32_t)k);
		a->net->role[a->role].bytes_received += (uint64_t)k;
	} else if (k == 0 && s && tcp_ep_fin_received(a->sock->ep)) {
		s->eof_seen = true; /* the peer said it has sent everything */
	}
	return k;
}

/* A call whose detail is the data it moved. */
static void log_data(struct app *a, const char *name, long ret, int err, const uint8_t *d, long n)
{
	char detail[160] = "";
	if (a->net->call_text && n > 0)
		quote_data(detail, sizeof detail, d, n);
	log_callf(a, name, ret, err, "%s", detail);
}

static void log_read(struct app *a, long k)
{
	log_data(a, "recv", k < 0 ? -1 : k, k < 0 ? (int)-k : 0, a->buf, k);
}

/* --- the calls --- */

static enum step do_listen(struct app *a, const struct script_call *c)
{
	uint16_t port = c->has_target ? c->port : a->spec->port;
	if (a->lsock && a->lport == port)
		return STEP_DONE; /* a repeated script keeps its listening socket */
	struct listener *l = NULL;
	int r = host_listen(&a->net->hosts[a->role], port, c->backlog, &l);
	if (r == 0) {
		a->lsock = l;
		a->lport = port;
		a->lsock_fd = a->next_fd++;
	}
	log_callf(a, "listen", r < 0 ? -1 : 0, -r, "%u, backlog %u", port, c->backlog);
	return STEP_DONE;
}

static enum step do_accept(struct app *a)
{
	if (!a->lsock) {
		log_callf(a, "accept", -1, EINVAL, "%s", "");
		return STEP_DONE;
	}
	GList *link = g_queue_pop_head_link(&a->lsock->ready);
	if (!link)
		return STEP_WAIT;
	struct conn *c = link->data;
	c->ready_link.data = NULL;
	if (a->sock) /* the program keeps the previous socket open, unused */
		a->sock->abandoned = true;
	c->parent = NULL;
	c->user_owned = c->user_seen = true;
	a->sock = c;
	a->sock_fd = a->next_fd++;
	a->net->role[a->role].connections++;
	log_callf(a, "accept", a->sock_fd, 0, "%u.%u.%u.%u:%u", IP4(c->key.raddr), c->key.rport);
	return STEP_DONE;
}

static void release_sock(struct app *a)
{
	struct conn *c = a->sock;
	a->sock = NULL;
	if (c)
		net_release_conn(a->net, c);
}

/* Where a connect call goes: its own target or the server. */
struct target {
	uint32_t ip;
	uint16_t port;
};

static struct target connect_target(const struct app *a, const struct script_call *c)
{
	const struct net_endpoint_spec *srv = &a->net->spec.ep[NET_SERVER];
	return (struct target){c->has_target ? c->addr : srv->addr, c->has_target ? c->port : srv->port};
}

static void log_connect(struct app *a, const struct script_call *c, long ret, int err)
{
	struct target t = connect_target(a, c);
	log_callf(a, "connect", ret, err, "%u.%u.%u.%u:%u", IP4(t.ip), t.port);
}

static enum step begin_connect(struct app *a, const struct script_call *c)
{
	struct target t = connect_target(a, c);
	int err = 0;
	struct conn *conn = host_connect(&a->net->hosts[a->role], t.ip, t.port, a->spec->port,
	                                 now_of(a), &err);
	if (!conn) { /* the program still holds the socket it called connect() on */
		a->sock_fd = a->next_fd++;
		a->fd_unconnected = true;
		log_connect(a, c, -1, err);
		return STEP_DONE;
	}
	a->sock = conn;
	a->sock_fd = a->next_fd++;
	a->net->role[a->role].connections++;
	tcp_ep_connect(conn->ep, now_of(a), acts_of(a));
	net_apply(a->net, a->role, conn);
	if (c->duration > 0) /* the user's limit: select() with a timeout */
		sim_queue_schedule(a->net->q, &a->wake, now_of(a) + c->duration);
	return STEP_WAIT;
}

/* The non-blocking connect of seed 004: select() waits for the socket to
 * become writable, at most the user's limit; then getsockopt(SO_ERROR)
 * tells a failure from a success.  A limit reached is the program's own
 * time-out: the socket is still opening until the script closes it. */
static enum step select_outcome(struct app *a, const struct script_call *c, int st)
{
	double limit = sim_time_to_sec(c->duration);
	if (st == -EINPROGRESS) {
		log_callf(a, "select", 0, 0, "timeout %.3f s", limit);
		net_record_error(a->net, a->role, ETIMEDOUT);
		return STEP_DONE;
	}
	log_callf(a, "select", 1, 0, "timeout %.3f s", limit);
	if (st < 0) {
		log_callf(a, "getsockopt", 0, -st, "%s", "SO_ERROR");
		net_record_error(a->net, a->role, -st);
	}
	return STEP_DONE;
}

static enum step do_connect(struct app *a, const struct script_call *c)
{
	bool nonblocking = c->duration > 0 && !c->sndtimeo;
	if (a->progress == 0) {
		a->progress = 1;
		if (begin_connect(a, c) == STEP_DONE)
			return STEP_DONE;
		if (nonblocking) /* returns at once; the handshake goes on */
			log_connect(a, c, -1, EINPROGRESS);
	}
	if (!a->sock) { /* the host crashed under it */
		log_connect(a, c, -1, ECONNRESET);
		return STEP_DONE;
	}
	int st = tcp_ep_connect_status(a->sock->ep);
	if (st == -EINPROGRESS && !a->woke)
		return STEP_WAIT;
	sim_queue_cancel(a->net->q, &a->wake);
	if (nonblocking)
		return select_outcome(a, c, st);
	if (st == -EINPROGRESS) /* SO_SNDTIMEO ran out: Linux returns EINPROGRESS */
		net_record_error(a->net, a->role, ETIMEDOUT);
	log_connect(a, c, st < 0 ? -1 : 0, -st);
	return STEP_DONE;
}

/* The write buffer only grows: a program that sends in a loop reuses it. */
static void reserve_out(struct app *a, uint32_t n)
{
	if (n <= a->out_cap)
		return;
	a->out_cap = n > 2 * a->out_cap ? n : 2 * a->out_cap;
	a->out = g_realloc(a->out, a->out_cap);
}

static void fill_send_buffer(struct app *a, const struct script_call *c)
{
	uint32_t n = (uint32_t)c->count;
	reserve_out(a, n);
	if (c->data)
		memcpy(a->out, c->data, n);
	else /* generated bytes, different for every connection: 4 per draw */
		for (uint32_t i = 0; i < n; i += 4) {
			uint32_t r = (uint32_t)gsl_rng_get(a->rng);
			for (uint32_t j = 0; j < 4 && i + j < n; j++)
				a->out[i + j] = (uint8_t)(r >> (8 * j));
		}
	a->out_len = n;
	a->out_off = 0;
}

static enum step do_send(struct app *a, const struct script_call *c)
{
	if (!a->sock) { /* Linux tcp_sendmsg(): an unconnected socket is EPIPE */
		log_callf(a, "send", -1, a->fd_unconnected ? EPIPE : EBADF, "%s", "");
		return STEP_DONE;
	}
	if (a->progress == 0) {
		a->progress = 1;
		fill_send_buffer(a, c);
	}
	int err;
	if (write_pending(a, &err) == STEP_WAIT)
		return STEP_WAIT;
	log_data(a, "send", err ? -1 : (long)a->out_len, err, a->out, a->out_len);
	return STEP_DONE;
}

static enum step do_recv(struct app *a, const struct script_call *c)
{
	if (!a->sock) {
		log_callf(a, "recv", -1, a->fd_unconnected ? ENOTCONN : EBADF, "%s", "");
		return STEP_DONE;
	}
	for (;;) {
		uint64_t want = c->recv_mode == SCRIPT_RECV_BYTES ? c->count - a->progress : APP_READ_MAX;
		long k = read_some(a, (uint32_t)(want < APP_READ_MAX ? want : APP_READ_MAX));
		if (k == -EAGAIN)
			return STEP_WAIT;
		log_read(a, k);
		if (k <= 0 || c->recv_mode == SCRIPT_RECV_ONCE)
			return STEP_DONE;
		a->progress += (uint64_t)k;
		if (c->recv_mode == SCRIPT_RECV_BYTES && a->progress >= c->count)
			return STEP_DONE;
	}
}

/* read, write back; until EOF or `count` reads */
static enum step do_echo(struct app *a, const struct script_call *c)
{
	if (!a->sock) {
		log_callf(a, "recv", -1, a->fd_unconnected ? ENOTCONN : EBADF, "%s", "");
		return STEP_DONE;
	}
	for (;;) {
		if (a->out_off < a->out_len) {
			int err;
			if (write_pending(a, &err) == STEP_WAIT)
				return STEP_WAIT;
			log_data(a, "send", err ? -1 : (long)a->out_len, err, a->out, a->out_len);
			if (err)
				return STEP_DONE;
			if (c->count && a->progress >= c->count)
				return STEP_DONE;
		}
		long k = read_some(a, APP_READ_MAX);
		if (k == -EAGAIN)
			return STEP_WAIT;
		log_read(a, k);
		if (k <= 0)
			return STEP_DONE;
		a->progress++;
		reserve_out(a, (uint32_t)k);
		memcpy(a->out, a->buf, (size_t)k);
		a->out_len = (uint32_t)k;
		a->out_off = 0;
	}
}

static enum step do_sleep(struct app *a, const struct script_call *c)
{
	if (a->progress == 0) {
		a->progress = 1;
		sim_queue_schedule(a->net->q, &a->wake, now_of(a) + c->duration);
		return STEP_WAIT;
	}
	if (!a->woke)
		return STEP_WAIT;
	a->call_start = now_of(a); /* sleeping is not waiting */
	log_callf(a, "sleep", 0, 0, "%.3f s", sim_time_to_sec(c->duration));
	return STEP_DONE;
}

static enum step do_shutdown(struct app *a, const struct script_call *c)
{
	static const char *const how[] = {"SHUT_WR", "SHUT_RD", "SHUT_RDWR"};
	int r = -ENOTCONN;
	if (a->sock)
		r = c->shut == SCRIPT_SHUT_RD ? 0 : tcp_ep_shutdown_write(a->sock->ep, now_of(a), acts_of(a));
	if (a->sock)
		net_apply(a->net, a->role, a->sock);
	log_callf(a, "shutdown", r < 0 ? -1 : 0, -r, "%s", how[c->shut]);
	return STEP_DONE;
}

static enum step do_close(struct app *a, bool abort)
{
	struct conn *c = a->sock;
	if (!c) {
		bool open = a->fd_unconnected; /* a socket without a connection */
		a->fd_unconnected = false;
		log_callf(a, abort ? "abort" : "close", open ? 0 : -1, open ? 0 : EBADF, "%u", a->sock_fd);
		return STEP_DONE;
	}
	/* A connection already CLOSED (reset, timed out) changes no more: the
	 * user's close only lets it go.  Any other is freed by the world when
	 * it reaches CLOSED, maybe during this very call. */
	bool already_closed = !c->in_table;
	a->sock = NULL;
	c->user_owned = false;
	if (abort)
		tcp_ep_abort(c->ep, now_of(a), acts_of(a));
	else
		tcp_ep_close(c->ep, now_of(a), acts_of(a));
	net_apply(a->net, a->role, c);
	if (already_closed)
		net_release_conn(a->net, c);
	log_callf(a, abort ? "abort" : "close", 0, 0, "%u", a->sock_fd);
	return STEP_DONE;
}

static enum step do_crash(struct app *a, bool reboot)
{
	struct host *h = &a->net->hosts[a->role];
	if (reboot) {
		h->down = false;
		h->isn_secret = (uint32_t)gsl_rng_get(h->rng); /* a new boot, a new secret */
	} else {
		a->sock = NULL;
		a->lsock = NULL;
		net_crash_host(a->net, a->role);
	}
	log_callf(a, reboot ? "reboot" : "crash", 0, 0, "%s", "");
	return STEP_DONE;
}

static enum step step_call(struct app *a, const struct script_call *c)
{
	switch (c->op) {
	case SCRIPT_LISTEN: return do_listen(a, c);
	case SCRIPT_ACCEPT: return do_accept(a);
	case SCRIPT_CONNECT: return do_connect(a, c);
	case SCRIPT_SEND: return do_send(a, c);
	case SCRIPT_RECV: return do_recv(a, c);
	case SCRIPT_ECHO: return do_echo(a, c);
	case SCRIPT_SLEEP: return do_sleep(a, c);
	case SCRIPT_SHUTDOWN: return do_shutdown(a, c);
	case SCRIPT_CLOSE: return do_close(a, false);
	case SCRIPT_ABORT: return do_close(a, true);
	case SCRIPT_CRASH: return do_crash(a, false);
	case SCRIPT_REBOOT: return do_crash(a, true);
	case SCRIPT_OP_COUNT: break;
	}
	return STEP_DONE;
}

/* The script ran to its end: again, or the program is finished.  A socket
 * the script did not close stays open, as in a program that never closes. */
static void end_of_script(struct app *a)
{
	a->iteration++;
	bool forever = a->spec->repeat == 0;
	if ((!forever && a->iteration >= a->spec->repeat) || (forever && !a->blocked_this_run)) {
		a->done = true;
		return;
	}
	/* A script that never waits repeats without any event (an empty
	 * script, repeat = 4294967296): simulated time stands still, as in a
	 * stalled queue (sim/engine/queue.h), and the run stops the same way. */
	a->runs_unblocked = a->blocked_this_run ? 0 : a->runs_unblocked + 1;
	if (a->runs_unblocked >= SIM_STALL_SCRIPT_RUNS) {
		a->done = true;
		a->net->q->stalled = true;
		sim_queue_stop(a->net->q);
		return;
	}
	a->pc = 0;
	a->fd_unconnected = false;
	/* A socket left open stays so (a program that never closes), but one
	 * already CLOSED is only a number: let the host forget it. */
	if (a->sock && tcp_ep_state(a->sock->ep) == TCP_CLOSED)
		release_sock(a);
	else if (a->sock)
		a->sock->abandoned = true;
	a->sock = NULL;
	a->blocked_this_run = false;
}

void app_run(struct app *a)
{
	const struct script *s = a->spec->script;
	while (!a->done) {
		if (a->pc >= s->n) {
			end_of_script(a);
			continue;
		}
		if (!a->started_call) {
			a->started_call = true;
			a->call_start = now_of(a);
			a->progress = 0;
			a->woke = false;
			a->out_len = a->out_off = 0;
		}
		if (step_call(a, &s->calls[a->pc]) == STEP_WAIT) {
			a->blocked_this_run = true;
			return;
		}
		a->started_call = false;
		a->pc++;
	}
}
