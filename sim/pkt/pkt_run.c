/*
 * The packetdrill runner (see pkt_run.h): the script's events on the
 * engine's timeline.
 *
 * The world is an ordinary tcpsim run (sim/run.c, so the pcap, the trace
 * and the diagram come for free) whose client is the system under test,
 * at 192.168.0.1, and whose server is the scripted peer, 192.0.2.1.  The
 * client's program is the script's calls, one C-form statement each
 * (pkt_call.c), run only when the runner steps it (app_step()).
 *
 * The runner walks the events in order, as packetdrill's run_script()
 * does, each when its time comes (its own engine event, `wake`):
 *  - an inbound packet is injected, and the runner goes on once the model
 *    has taken it in (a wake at the same instant, after the arrival);
 *  - an outbound packet is matched with the oldest packet the model sent
 *    that no earlier line matched, or waited for until its time plus the
 *    tolerance;
 *  - a system call starts (after any blocking call still running); a
 *    blocking one (`...END`) runs on while the script goes on, and is
 *    checked when it returns.
 * The first difference ends the run with FAIL, in packetdrill's words.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include "models/host.h"
#include "models/tcp.h"
#include "sim/config/config.h"
#include "sim/engine/queue.h"
#include "sim/pkt/pkt_python.h"
#include "sim/pkt/pkt_run.h"
#include "sim/pkt/pkt_runner.h"
#include "sim/pkt/pkt_shell.h"
#include "sim/run.h"
#include "sim/world/app.h"

#define PKT_REMOTE_PORT 45000      /* the scripted peer's port of a passive open */
#define PKT_WAIT_FOREVER (SIM_MS * 3600000) /* '*' outbound: how long to wait at most */
/* How long an outbound line waits past its time for a late packet, so
 * that lateness is told as a timing error, not as no packet at all. */
#define PKT_WAIT_LATE (SIM_MS * 10000)

/* A packet the system under test sent, not yet matched by a '>' line. */
struct sniffed {
	sim_time t;
	struct packet_view pv;
	uint8_t *payload;
};

struct runner {
	const struct pkt_script *s;
	struct pkt_config hc;         /* the header options */
	sim_time tol;                 /* --tolerance_usecs */
	sim_time ev_tol;              /* the event's, --tolerance_percent counted */
	struct pkt_outcome *out;
	struct net *net;
	struct sim_queue *q;
	struct sim_event wake;
	bool finished;

	uint32_t ev;                  /* the event being run */
	bool resolved;                /* its time is known: */
	sim_time t, t_end;            /* its time, or range [t, t_end]; a call's end in t_end */
	bool any;                     /* '*' */
	sim_time prev_script_t;       /* the previous event's script time */
	bool prev_inbound;            /* the previous event was an inbound packet */

	struct pkt_seqmap map;
	uint8_t *payload;             /* an inbound packet's bytes */
	GQueue sniffed;               /* struct sniffed *, oldest first */
	uint32_t max_sent;            /* the largest payload the model sent */
	bool waiting_packet;          /* an outbound line waits for the model */

	struct pkt_call_plan *plans;  /* per event (SYSCALL only) */
	struct pkt_shell_plan **shells; /* per event: a COMMAND's work while the script runs, or NULL */
	struct config cfg;            /* the world's config: the client's program, for its variables */
	const struct script *program;
	/* the call in flight */
	bool call_busy, call_done, in_step;
	uint32_t call_ev;
	sim_time call_deadline;         /* when it must return */
	long ret;
	int err;
	sim_time ret_t;
	/* %{ }% blocks: each parsed before the run, its snapshot of the socket
	 * under test taken at its time, all run once the script is over
	 * (packetdrill's code.c) */
	struct pkt_py **code;         /* per event (CODE only) */
	struct app_tcp_info *snap;    /* per event */
	int64_t sut_fd;               /* packetdrill's socket_under_test, -1: none (yet) */
	bool sut_listening;           /* listen() made on it */
	bool sut_child;               /* an inbound SYN made a child of it: accept() names it */
};

static sim_time now(const struct runner *r) { return r->q->now; }

static void wake_at(struct runner *r, sim_time t)
{
	sim_queue_schedule(r->q, &r->wake, t < now(r) ? now(r) : t);
}

/* Ends the run: the first failure is the verdict. */
static void fail(struct runner *r, uint32_t line, char *message)
{
	if (r->finished) {
		g_free(message);
		return;
	}
	r->out->verdict = PKT_FAIL;
	r->out->line = line;
	r->out->message = message;
	r->finished = true;
	sim_queue_stop(r->q);
}

static double secs(sim_time t) { return sim_time_to_sec(t); }

static char *timing_error(struct runner *r, const char *what, sim_time expected, sim_time actual)
{
	return g_strdup_printf("timing error: expected %s at %.6f sec but happened at %.6f sec; "
	                       "tolerance %.6f sec", what, secs(expected), secs(actual), secs(r->ev_tol));
}

static bool in_time(const struct runner *r, sim_time actual)
{
	if (r->any)
		return true;
	return actual >= r->t - r->ev_tol && actual <= r->t_end + r->ev_tol;
}

/* The event's time, as packetdrill's adjust_relative_event_times(): a
 * relative time counts from now, or from the previous inbound packet's
 * script time for an inbound packet right after it. */
static void resolve(struct runner *r, const struct pkt_event *e)
{
	bool inbound = e->kind == PKT_EV_PACKET && !e->packet.outbound;
	sim_time base = inbound && r->prev_inbound ? r->prev_script_t : now(r);
	r->any = e->time.kind == PKT_TIME_ANY;
	switch (e->time.kind) {
	case PKT_TIME_ABSOLUTE: r->t = r->t_end = e->time.t; base = 0; break;
	case PKT_TIME_RELATIVE: r->t = r->t_end = base + e->time.t; break;
	case PKT_TIME_ANY: r->t = r->t_end = now(r); break;
	case PKT_TIME_RANGE:
		r->t = (e->time.end_relative ? base : 0) + e->time.t;
		r->t_end = (e->time.end_relative ? base : 0) + e->time.t_end;
		break;
	}
	if (e->kind == PKT_EV_SYSCALL && e->call.has_end)
		r->t_end = (e->time.kind == PKT_TIME_RELATIVE || e->call.end.kind == PKT_TIME_RELATIVE ? base : 0) +
		           e->call.end.t;
	r->ev_tol = pkt_config_tolerance(&r->hc, r->t > r->prev_script_t ? r->t - r->prev_script_t : 0);
	r->resolved = true;
}

static void next_event(struct runner *r, bool inbound)
{
	r->prev_script_t = r->t;
	r->prev_inbound = inbound;
	r->ev++;
	r->resolved = false;
}

/* ---- the socket under test ---- */

/* packetdrill's socket_under_test (run_system_call.c, run_packet.c), whose
 * tcp_info a %{ }% block sees: the last socket() made, or the child an
 * inbound SYN makes of a listening one, named by the accept() that
 * returns it. */
static void track_call(struct runner *r, const struct pkt_syscall *c)
{
	int64_t fd;
	if (r->ret < 0)
		return;
	if (strcmp(c->name, "socket") == 0) {
		r->sut_fd = r->ret;
		r->sut_listening = r->sut_child = false;
	} else if (strcmp(c->name, "listen") == 0 && c->n_args > 0 && pkt_expr_int(c->args[0], &fd) &&
	           fd == r->sut_fd) {
		r->sut_listening = true;
	} else if ((strcmp(c->name, "accept") == 0 || strcmp(c->name, "accept4") == 0) && r->sut_child) {
		r->sut_fd = r->ret;
		r->sut_child = false;
	}
}

static void track_syn(struct runner *r, const struct pkt_packet *p)
{
	bool syn = (p->flags & PKT_F_SYN) && !(p->flags & PKT_F_ACK);
	if (syn && !r->sut_child && (r->sut_listening || r->sut_fd < 0)) {
		r->sut_fd = -1;
		r->sut_listening = false;
		r->sut_child = true;
	}
}

/* ---- packets ---- */

static void run_inbound(struct runner *r, const struct pkt_event *e)
{
	if (!in_time(r, now(r))) {
		fail(r, e->line, timing_error(r, "inbound packet", r->t, now(r)));
		return;
	}
	struct packet_view pv;
	char *why = NULL;
	if (!pkt_packet_inbound(&e->packet, &r->map, &pv, r->payload, &why)) {
		fail(r, e->line, why); /* not reached: unsupported() looked at every inbound line */
		return;
	}
	net_inject(r->net, NET_CLIENT, &pv);
	track_syn(r, &e->packet);
	next_event(r, true);
	wake_at(r, now(r)); /* go on once the model has taken it in */
}

static char *packet_message(struct runner *r, const struct pkt_event *e, const struct sniffed *sn,
                            const char *what)
{
	char *want = pkt_packet_format_script(&e->packet);
	char *have = pkt_packet_format_actual(&sn->pv, &r->map);
	char *m = g_strdup_printf("%s:%u: error handling packet: %s\nscript packet: %9.6f %s\n"
	                          "actual packet: %9.6f %s", r->s->path, e->line, what, secs(r->t), want,
	                          secs(sn->t), have);
	g_free(want);
	g_free(have);
	return m;
}

static void free_sniffed(struct sniffed *sn)
{
	g_free(sn->payload);
	g_free(sn);
}

/* Whether a packet the model sent is the connection's: packetdrill sniffs
 * only the socket under test's 4-tuple, or a SYN of a new active open
 * (run_packet.c find_socket_for_live_packet(), find_connect_for_live_packet());
 * a reset to a segment from a port no connection has is not seen. */
static bool of_the_connection(const struct runner *r, const struct packet_view *pv)
{
	const struct tcp_seg *t = &pv->tcp;
	if (pv->kind != PACKET_TCP || ((t->flags & TCP_SYN) && !(t->flags & TCP_ACK)))
		return true;
	return t->sport == r->map.local_port && t->dport == r->map.remote_port;
}

/* The most payload one segment of the connection carries: its sender MSS
 * (found through the program's descriptors), or, once the socket is
 * closed, the largest segment it sent. */
static uint32_t sender_mss(const struct runner *r)
{
	struct app *a = net_app(r->net, NET_CLIENT);
	for (int fd = 0; fd < a->fds_cap; fd++) {
		const struct sock *so = a->fds[fd];
		if (so && so->c && so->c->ep && so->c->key.lport == r->map.local_port &&
		    so->c->key.rport == r->map.remote_port) {
			struct tcp_ep_view v;
			tcp_ep_view(so->c->ep, &v);
			return v.snd_mss;
		}
	}
	return r->max_sent;
}

/* Whether next continues prev as the pieces of one TSO/GSO packet do
 * (Linux tcp_gso_segment()): the next sequence number, sent at the same
 * instant, the same ACK, window and options, PSH and FIN only on the last,
 * every piece but the last a full one. */
static bool continues(const struct sniffed *prev, const struct sniffed *next, uint32_t first_len)
{
	const struct tcp_seg *a = &prev->pv.tcp, *b = &next->pv.tcp;
	return next->pv.kind == PACKET_TCP && next->t == prev->t && b->seq == a->seq + a->len &&
	       a->len == first_len && b->ack == a->ack && b->wnd == a->wnd &&
	       (a->flags & ~(TCP_PSH | TCP_FIN)) == a->flags && (b->flags & ~(TCP_PSH | TCP_FIN)) ==
	       (a->flags & ~(TCP_PSH | TCP_FIN)) && tcp_opts_len(&b->opt) == tcp_opts_len(&a->opt);
}

/* A '>' line with more payload than one segment carries is a TSO/GSO
 * super-packet, which packetdrill sees whole on a kernel that offloads
 * segmentation (its tun has TSO on, netdev.c): the model sends MSS-sized
 * segments, and the ones that together make exactly the line (see
 * continues()) are merged into one packet for the check.  Anything else is
 * checked as it is (a line not above the MSS is never merged: a kernel
 * would send it as one packet). */
static struct sniffed *merge_segments(struct runner *r, const struct pkt_packet *p, struct sniffed *first)
{
	uint32_t have = first->pv.tcp.len;
	if (p->proto != PKT_TCP || first->pv.kind != PACKET_TCP || p->len <= have || p->len <= sender_mss(r))
		return first;
	guint n = 0;
	const struct sniffed *prev = first;
	for (GList *l = r->sniffed.head; l && have < p->len; l = l->next, n++) {
		const struct sniffed *next = l->data;
		if (!of_the_connection(r, &next->pv) || !continues(prev, next, first->pv.tcp.len))
			return first;
		have += next->pv.tcp.len;
		prev = next;
	}
	if (have != p->len)
		return first;
	struct sniffed *m = g_new0(struct sniffed, 1);
	m->t = first->t;
	m->pv = first->pv;
	m->payload = g_malloc(have ? have : 1);
	memcpy(m->payload, first->pv.tcp.payload, first->pv.tcp.len);
	uint32_t at = first->pv.tcp.len;
	for (guint i = 0; i < n; i++) {
		struct sniffed *next = g_queue_pop_head(&r->sniffed);
		memcpy(m->payload + at, next->pv.tcp.payload, next->pv.tcp.len);
		at += next->pv.tcp.len;
		m->pv.tcp.flags |= next->pv.tcp.flags & (TCP_PSH | TCP_FIN);
		free_sniffed(next);
	}
	m->pv.tcp.len = have;
	m->pv.tcp.payload = m->payload;
	free_sniffed(first);
	return m;
}

/* true when the line is done (matched or failed), false to wait. */
static bool run_outbound(struct runner *r, const struct pkt_event *e)
{
	struct sniffed *sn;
	while ((sn = g_queue_peek_head(&r->sniffed)) && !of_the_connection(r, &sn->pv))
		free_sniffed(g_queue_pop_head(&r->sniffed));
	if (!sn) {
		sim_time deadline = r->any ? r->t + PKT_WAIT_FOREVER : r->t_end + r->ev_tol + PKT_WAIT_LATE;
		if (now(r) >= deadline) {
			fail(r, e->line, g_strdup_printf("%s:%u: error handling packet: timed out waiting for "
			                                 "packet", r->s->path, e->line));
			return true;
		}
		r->waiting_packet = true;
		wake_at(r, deadline);
		return false;
	}
	r->waiting_packet = false;
	g_queue_pop_head(&r->sniffed);
	sn = merge_segments(r, &e->packet, sn);
	char *err = pkt_packet_check(&e->packet, &sn->pv, &r->map);
	if (!err && !in_time(r, sn->t))
		err = timing_error(r, "outbound packet", r->t, sn->t);
	if (err) {
		fail(r, e->line, packet_message(r, e, sn, err));
		g_free(err);
	} else {
		next_event(r, false);
	}
	free_sniffed(sn);
	return true;
}

/* ---- system calls ---- */

static int64_t var_value(const struct runner *r, const char *name, const struct value **v)
{
	for (uint32_t i = 0; i < r->program->n_vars; i++)
		if (strcmp(r->program->vars[i], name) == 0) {
			*v = &net_app(r->net, NET_CLIENT)->vars[i];
			return (*v)->i;
		}
	*v = NULL;
	return 0;
}

/* The returned call against the line: value, errno, out-arguments. */
static char *check_result(struct runner *r, const struct pkt_syscall *c, const struct pkt_call_plan *p)
{
	int64_t want;
	if (c->ret->kind != PKT_EX_ELLIPSIS) {
		if (!pkt_expr_int(c->ret, &want))
			return g_strdup_printf("bad return value expression");
		if (p->check_fd && want >= 0) { /* any descriptor: the script names it */
			if (r->ret < 0)
				return g_strdup_printf("Expected non-negative result but got %ld with errno %d (%s)",
				                       r->ret, r->err, g_strerror(r->err));
		} else if (want != r->ret) {
			if (r->ret < 0)
				return g_strdup_printf("Expected result %lld but got %ld with errno %d (%s)",
				                       (long long)want, r->ret, r->err, g_strerror(r->err));
			return g_strdup_printf("Expected result %lld but got %ld", (long long)want, r->ret);
		}
	}
	if (c->err && r->ret < 0) {
		int64_t e;
		if (!script_const_value(c->err, &e))
			return g_strdup_printf("unknown errno %s", c->err);
		if (e != r->err)
			return g_strdup_printf("Expected errno %lld (%s) but got %d (%s)", (long long)e,
			                       g_strerror((int)e), r->err, g_strerror(r->err));
	}
	const struct value *v;
	if (p->out_var) {
		int64_t got = var_value(r, p->out_var, &v);
		if (v && got != p->out_value)
			return g_strdup_printf("Bad %s optval: expected: %lld actual: %lld", c->name,
			                       (long long)p->out_value, (long long)got);
	}
	if (p->poll_var) {
		var_value(r, p->poll_var, &v);
		for (uint32_t i = 0; v && i < p->n_revents && i < v->n_pfd; i++)
			if (p->revents[i] >= 0 && v->pfd[i].revents != p->revents[i])
				return g_strdup_printf("poll: pollfd %u: expected revents: 0x%llx actual revents: 0x%x",
				                       i, (long long)p->revents[i], (unsigned)v->pfd[i].revents);
	}
	return NULL;
}

/* The call of event call_ev returned: its result and its time. */
static void finish_call(struct runner *r)
{
	const struct pkt_event *e = &r->s->events[r->call_ev];
	r->call_busy = false;
	char *err = check_result(r, &e->call, &r->plans[r->call_ev]);
	if (!err && (r->ret_t < r->call_deadline - r->tol || r->ret_t > r->call_deadline + r->tol))
		err = timing_error(r, "system call return", r->call_deadline, r->ret_t);
	if (err) {
		fail(r, e->line, g_strdup_printf("%s:%u: runtime error in %s call: %s", r->s->path, e->line,
		                                 e->call.name, err));
		g_free(err);
	} else {
		track_call(r, &e->call);
	}
}

/* Starts the call of the current event: its statements run at once
 * (app_step); a call that blocks returns later, through on_call(). */
static void start_call(struct runner *r, const struct pkt_event *e)
{
	const struct pkt_call_plan *p = &r->plans[r->ev];
	struct app *a = net_app(r->net, NET_CLIENT);
	r->call_busy = true;
	r->call_done = false;
	r->call_ev = r->ev;
	r->call_deadline = e->call.has_end ? r->t_end : r->t;
	r->in_step = true;
	for (char **st = p->stmts; *st; st++)
		app_step(a);
	r->in_step = false;
}

/* true when the line is done, false to wait: for a blocking call still
 * running before it, for its time, or for its own return.  A blocking
 * call (START...END) lets the script go on; any other must return within
 * the tolerance, the script waiting for it (packetdrill's main thread
 * makes it). */
static bool run_syscall(struct runner *r, const struct pkt_event *e)
{
	if (r->call_busy && r->call_ev != r->ev)
		return false; /* the call before it still blocks: the next call waits */
	if (!r->call_busy) {
		if (now(r) < r->t) {
			wake_at(r, r->t);
			return false;
		}
		if (!in_time(r, now(r))) {
			char *t = timing_error(r, "system call start", r->t, now(r));
			fail(r, e->line, g_strdup_printf("%s:%u: %s", r->s->path, e->line, t));
			g_free(t);
			return true;
		}
		if (r->plans[r->ev].fd_error) { /* packetdrill fails it before making it */
			fail(r, e->line, g_strdup_printf("%s:%u: runtime error in %s call: %s", r->s->path, e->line,
			                                 e->call.name, r->plans[r->ev].fd_error));
			return true;
		}
		start_call(r, e);
		if (e->call.has_end) {
			next_event(r, false);
			if (r->call_done)
				finish_call(r);
			return true;
		}
	}
	if (r->call_done) {
		next_event(r, false);
		finish_call(r);
		return true;
	}
	if (now(r) > r->call_deadline + r->tol) {
		fail(r, e->line, g_strdup_printf("%s:%u: runtime error in %s call: the call blocked: "
		                                 "expected it to return at once (a blocking call is written "
		                                 "START...END)", r->s->path, e->line, e->call.name));
		return true;
	}
	wake_at(r, r->call_deadline + r->tol + 1);
	return false;
}

/* ---- shell commands ---- */

/* A command line at its time (packetdrill's run_command_event()): what
 * it does to the world happens now, and a non-zero exit status fails the
 * script.  Settings were made before the run began. */
static bool run_command(struct runner *r, const struct pkt_event *e)
{
	if (now(r) < r->t) {
		wake_at(r, r->t);
		return false;
	}
	const struct pkt_shell_plan *p = r->shells[r->ev];
	int status = p ? pkt_shell_run(p, r->net, NET_CLIENT) : 0;
	if (status != 0) {
		fail(r, e->line, g_strdup_printf("%s:%u: error executing `%s` command: non-zero status %d", r->s->path,
		                                 e->line, e->text, status));
		return true;
	}
	next_event(r, false);
	return true;
}

/* ---- %{ }% blocks ---- */

/* packetdrill's run_code_event(): at the block's time, the snapshot of the
 * socket under test's tcp_info (a blocking call in flight does not delay
 * it).  A child not accepted yet, or a closed socket, has no descriptor
 * for getsockopt(). */
static bool run_code(struct runner *r, const struct pkt_event *e)
{
	if (now(r) < r->t) {
		wake_at(r, r->t);
		return false;
	}
	const char *why = NULL;
	if (!in_time(r, now(r))) {
		char *t = timing_error(r, "data collection for code", r->t, now(r));
		fail(r, e->line, g_strdup_printf("%s:%u: %s", r->s->path, e->line, t));
		g_free(t);
		return true;
	}
	if (r->sut_fd < 0 && !r->sut_child)
		why = "no socket to use for code";
	else if (r->sut_child || !app_fd_tcp_info(net_app(r->net, NET_CLIENT), r->sut_fd, &r->snap[r->ev]))
		why = "can't find getsockopt to get TCP info";
	if (why) {
		fail(r, e->line, g_strdup_printf("%s:%u: runtime error in code: %s", r->s->path, e->line, why));
		return true;
	}
	next_event(r, false);
	return true;
}

/* packetdrill's code_execute(): once the script is over, the blocks run
 * in order, each with its snapshot; the first exception fails the script
 * (in Python's words, at the block's line as packetdrill's excepthook
 * names it). */
static void run_code_blocks(struct runner *r)
{
	for (uint32_t i = 0; i < r->s->n_events && !r->finished; i++) {
		if (!r->code[i])
			continue;
		const struct pkt_event *e = &r->s->events[i];
		uint32_t line;
		char *msg;
		enum pkt_py_outcome o = pkt_py_run(r->code[i], &r->snap[i], &line, &msg);
		if (o == PKT_PY_RAISED) {
			fail(r, e->line, g_strdup_printf("%s:%u: error in Python code\nTraceback (most recent call "
			                                 "last):\n  File \"%s\", line %u\n%s", r->s->path, e->line,
			                                 r->s->path, e->line + line, msg));
		} else if (o == PKT_PY_UNSUPPORTED) { /* a value beyond the evaluator */
			r->out->verdict = PKT_UNSUPPORTED;
			r->out->line = e->line + line;
			r->out->message = g_strdup_printf("%s:%u: unsupported: %s", r->s->path, e->line + line, msg);
			r->finished = true;
			sim_queue_stop(r->q);
		}
		g_free(msg);
	}
}

/* ---- the walk ---- */

static void advance(struct runner *r)
{
	if (r->call_busy && r->call_done && r->call_ev != r->ev) /* a blocking call returned */
		finish_call(r);
	while (!r->finished && r->ev < r->s->n_events) {
		const struct pkt_event *e = &r->s->events[r->ev];
		if (!r->resolved)
			resolve(r, e);
		if (e->kind == PKT_EV_PACKET && !e->packet.outbound) {
			if (now(r) < r->t) {
				wake_at(r, r->t);
				return;
			}
			run_inbound(r, e);
			return; /* the wake goes on after the arrival */
		}
		bool done = e->kind == PKT_EV_PACKET    ? run_outbound(r, e)
		            : e->kind == PKT_EV_COMMAND ? run_command(r, e)
		            : e->kind == PKT_EV_CODE    ? run_code(r, e)
		                                        : run_syscall(r, e);
		if (!done)
			return;
	}
	run_code_blocks(r); /* before state_free() in packetdrill's run_script() */
	if (r->finished)
		return;
	if (r->call_busy && !r->call_done) { /* packetdrill's syscalls_free() */
		const struct pkt_event *e = &r->s->events[r->call_ev];
		fail(r, e->line, g_strdup_printf("%s:%u: runtime error in %s call: exiting while a blocking "
		                                 "system call is in progress", r->s->path, e->line, e->call.name));
		return;
	}
	r->finished = true; /* the script is over */
	sim_queue_stop(r->q);
}

static void wake_fired(struct sim_queue *q, struct sim_event *ev)
{
	(void)q;
	advance(ev->ctx);
}

/* ---- what the runner sees ---- */

static void on_packet(void *ctx, const struct net_packet_event *e)
{
	struct runner *r = ctx;
	if (e->at != NET_CLIENT || !e->outgoing || e->pv->kind == PACKET_ARP)
		return;
	struct sniffed *sn = g_new0(struct sniffed, 1);
	sn->t = e->t;
	sn->pv = *e->pv;
	sn->payload = g_memdup2(e->pv->tcp.payload, e->pv->tcp.len);
	sn->pv.tcp.payload = sn->payload;
	if (e->pv->kind == PACKET_TCP && e->pv->tcp.len > r->max_sent)
		r->max_sent = e->pv->tcp.len;
	g_queue_push_tail(&r->sniffed, sn);
	if (r->waiting_packet)
		wake_at(r, now(r));
}

static void on_call(void *ctx, const struct net_call_event *e)
{
	struct runner *r = ctx;
	if (e->role != NET_CLIENT || !r->call_busy || r->call_done)
		return;
	r->call_done = true;
	r->ret = e->ret;
	r->err = e->err;
	r->ret_t = e->t;
	if (!r->in_step)
		wake_at(r, now(r));
}

static void driver_start(void *ctx, struct net *n, struct sim_queue *q)
{
	struct runner *r = ctx;
	r->net = n;
	r->q = q;
	sim_event_init(&r->wake, wake_fired, r);
	sim_queue_schedule(q, &r->wake, 0);
}

static void driver_finish(void *ctx, struct net *n)
{
	struct runner *r = ctx;
	(void)n;
	sim_queue_cancel(r->q, &r->wake);
	if (!r->finished) { /* the world ran out of events first */
		const struct pkt_event *e = &r->s->events[r->ev < r->s->n_events ? r->ev : r->s->n_events - 1];
		fail(r, e->line, g_strdup_printf("%s:%u: error handling %s: the model went quiet for good "
		                                 "(nothing left to happen before this line's time)",
		                                 r->s->path, e->line,
		                                 e->kind == PKT_EV_PACKET ? "packet" : "system call"));
	}
}

/* ---- before the run ---- */

/* A `rep` annotation of an outbound line, which would change what is
 * expected in a way packetdrill's fuzzing mode alone defines. */
static const struct pkt_fuzz *outbound_rep(const struct pkt_packet *p)
{
	for (uint32_t i = 0; i < p->n_fuzz; i++)
		if (strcmp(p->fuzz[i].op, "rep") == 0)
			return &p->fuzz[i];
	return NULL;
}

/* "sfd0 = 0\n..." for the variables holding the script's open fds: the
 * statements of one call are parsed after them, as the program will. */
static char *fd_variables(const struct pkt_calls *fds)
{
	GString *s = g_string_new(NULL);
	GHashTableIter it;
	gpointer key, var;
	g_hash_table_iter_init(&it, fds->open);
	while (g_hash_table_iter_next(&it, &key, &var))
		g_string_append_printf(s, "%s = 0\n", (const char *)var);
	return g_string_free(s, FALSE);
}

/* The call's statements must parse as tcpsim's script language does
 * (a call the model's API lacks is blamed on its own line). */
static bool probe_call(const struct pkt_syscall *c, const struct pkt_call_plan *p, const char *held,
                       char **why)
{
	struct script probe;
	char *stmts = g_strjoinv("\n", p->stmts), *err = NULL;
	char *text = g_strconcat(held, stmts, NULL);
	bool ok = script_parse(text, &probe, &err);
	if (ok)
		script_clear(&probe);
	else
		*why = g_strdup_printf("%s (in tcpsim: %s: %s)", c->name, stmts, err);
	g_free(err);
	g_free(text);
	g_free(stmts);
	return ok;
}

/* Do only shell lines follow event i? */
static bool only_commands_after(const struct pkt_script *s, uint32_t i)
{
	for (uint32_t j = i + 1; j < s->n_events; j++)
		if (s->events[j].kind != PKT_EV_COMMAND)
			return false;
	return true;
}

/* The first line the model cannot run, with why; 0 if none.  Calls are
 * translated here too (plans), and each call's statements parsed alone,
 * so that a call the model's API lacks is blamed on its own line. */
static uint32_t unsupported(const struct pkt_script *s, const struct pkt_options *o, const struct pkt_config *hc,
                            struct pkt_call_plan *plans, struct pkt_shell_plan **shells, struct pkt_py **code,
                            GPtrArray *settings, char **why)
{
	char *dir = g_path_get_dirname(s->path); /* where run_all.py starts packetdrill */
	GHashTable *stated = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	struct pkt_shell_env env = {.dir = dir, .profile = o->profile, .sysctls = stated};
	struct pkt_shell_plan *none = NULL;
	bool init_ok = !s->init_command || pkt_shell_interpret(s->init_command, &env, settings, &none, why);
	pkt_shell_plan_free(none);
	if (!init_ok) {
		g_hash_table_destroy(stated);
		g_free(dir);
		return s->init_line ? s->init_line : 1;
	}
	bool started = false; /* a sysctl applies only before anything happens */
	struct pkt_seqmap m = {.local_port = hc->bind_port, .remote_port = PKT_REMOTE_PORT};
	uint8_t *payload = g_malloc(65536);
	uint32_t line = 0;
	struct pkt_calls fds;
	pkt_calls_init(&fds);
	fds.bind_port = hc->bind_port;
	fds.connect_port = hc->connect_port;
	for (uint32_t i = 0; i < s->n_events && !line; i++) {
		const struct pkt_event *e = &s->events[i];
		struct packet_view pv;
		started |= e->kind != PKT_EV_COMMAND;
		switch (e->kind) {
		case PKT_EV_CODE:
			if (!(code[i] = pkt_py_parse(e->text, pkt_profile_os(o->profile), why)))
				line = e->line;
			break;
		case PKT_EV_COMMAND:
			env.running = started;
			env.tail = only_commands_after(s, i);
			if (!pkt_shell_interpret(e->text, &env, settings, &shells[i], why))
				line = e->line;
			break;
		case PKT_EV_PACKET:
			if (e->packet.udp_encaps)
				*why = g_strdup("TCP over UDP (/udp(...), RFC 6951)");
			else if (e->packet.outbound && e->packet.proto != PKT_TCP)
				*why = g_strdup_printf("outbound %s packet", e->packet.proto == PKT_UDP ? "UDP" : "ICMP");
			else if (e->packet.outbound && outbound_rep(&e->packet))
				*why = g_strdup_printf("fuzz annotation {rep %s %s} of an outbound packet",
				                       outbound_rep(&e->packet)->header, outbound_rep(&e->packet)->field);
			else if (!e->packet.outbound && e->packet.len > 65535)
				*why = g_strdup("a payload above 65535 bytes");
			else if (!e->packet.outbound)
				pkt_packet_inbound(&e->packet, &m, &pv, payload, why);
			if (*why)
				line = e->line;
			break;
		case PKT_EV_SYSCALL: {
			char *held = fd_variables(&fds);
			if (!pkt_call_plan(&e->call, i, &fds, &plans[i], why) ||
			    !probe_call(&e->call, &plans[i], held, why))
				line = e->line;
			g_free(held);
			break;
		}
		}
	}
	g_free(payload);
	g_hash_table_destroy(stated);
	g_free(dir);
	pkt_calls_clear(&fds);
	return line;
}

/* The config of the world: the system under test as the client, the
 * scripted peer as the server, a wire with no delay or loss. */
static char *config_text(const struct pkt_script *s, const struct pkt_call_plan *plans,
                         const struct pkt_options *o, const struct pkt_config *hc)
{
	GString *t = g_string_new(NULL);
	g_string_append_printf(t, "[simulation]\nseed = 1\nduration = 24h\nprofile = %s\npcap = %s\n"
	                          "capture = client\n[network]\ndelay = 0\n[client]\naddress = %s\n"
	                          "script =\n",
	                       o->profile ? o->profile : "linux", o->pcap ? "true" : "false", PKT_LOCAL_ADDR);
	for (uint32_t i = 0; i < s->n_events; i++)
		for (char **st = plans[i].stmts; st && *st; st++)
			g_string_append_printf(t, "    %s\n", *st);
	g_string_append_printf(t, "[server]\naddress = %s:%u\nscript =\n", PKT_REMOTE_ADDR, hc->connect_port);
	return g_string_free(t, FALSE);
}

/* The header options: the script's, then the command line's (which win,
 * as packetdrill's parse_and_finalize_config()).  0 with the config made;
 * else the line of an option the model has not (*why), or false with
 * *error for a bad value (bad input, as packetdrill dies on it). */
static bool header_config(const struct pkt_script *s, const struct pkt_options *o, struct pkt_config *hc,
                          uint32_t *line, char **why, GError **error)
{
	pkt_config_init(hc);
	*line = 0;
	for (uint32_t i = 0; i < s->n_settings && !*line; i++) {
		const struct pkt_setting *st = &s->settings[i];
		switch (pkt_config_apply(hc, st->name, st->value, why)) {
		case PKT_CONFIG_OK: break;
		case PKT_CONFIG_UNSUPPORTED: *line = st->line; break;
		case PKT_CONFIG_BAD:
			g_set_error(error, PKT_ERROR, PKT_ERROR_SYNTAX, "%s:%u: %s", s->path, st->line, *why);
			g_free(*why);
			*why = NULL;
			return false;
		}
	}
	for (const char *const *h = o->header_opts; h && *h && !*line; h++) {
		char **kv = g_strsplit(*h, "=", 2);
		enum pkt_config_result res = pkt_config_apply(hc, kv[0], kv[1], why);
		g_strfreev(kv);
		if (res == PKT_CONFIG_OK)
			continue;
		g_set_error(error, PKT_ERROR, PKT_ERROR_SYNTAX, "%s", *why);
		g_free(*why);
		*why = NULL;
		return false;
	}
	if (o->tolerance > 0)
		hc->tolerance = o->tolerance;
	return true;
}

/* The MSS a stack announces on a link of that MTU: less the IPv4 and TCP
 * headers (FreeBSD tcp_mssopt(): maxmtu - min_protoh); Linux's route
 * gives at least ip_rt_min_advmss, 256 (ipv4_default_advmss()). */
static uint32_t mtu_mss(uint32_t mtu, const char *profile)
{
	uint32_t mss = mtu - 40;
	if (pkt_profile_os(profile) == PKT_OS_LINUX && mss < 256)
		mss = 256;
	return mss;
}

static bool run_world(struct runner *r, const struct pkt_options *o, const char *text,
                      GPtrArray *settings, GError **error)
{
	struct config_source src = {.path = r->s->path, .text = g_bytes_new(text, strlen(text))};
	struct config *cfg = &r->cfg;
	GError *err = NULL;
	GPtrArray *overrides = g_ptr_array_new_with_free_func(g_free);
	/* packetdrill's tun device: Linux's own tests there read one skb a
	 * segment (tcp_blocking_blocking-write.pkt), not TSO-sized ones */
	g_ptr_array_add(overrides, g_strdup("client.tcp.tso=false"));
	if (r->hc.mtu) /* before --set and the script's sysctls, which may say more */
		g_ptr_array_add(overrides, g_strdup_printf("client.tcp.mss=%u", mtu_mss(r->hc.mtu, o->profile)));
	for (const char *const *set = o->sets; set && *set; set++)
		g_ptr_array_add(overrides, g_strdup_printf("client.tcp.%s", *set));
	for (guint i = 0; i < settings->len; i++)
		g_ptr_array_add(overrides, g_strdup_printf("client.tcp.%s", (char *)g_ptr_array_index(settings, i)));
	g_ptr_array_add(overrides, NULL);
	bool loaded = config_load_source(&src, (const char *const *)overrides->pdata, cfg, &err);
	g_ptr_array_free(overrides, TRUE);
	if (!loaded) { /* the profile's name or a --set, at worst */
		g_set_error(error, PKT_ERROR, PKT_ERROR_FILE, "%s", err->message);
		g_error_free(err);
		g_bytes_unref(src.text);
		return false;
	}
	r->program = &cfg->client.script;
	char *tmp = o->out_dir ? NULL : g_dir_make_tmp("tcpsim-pkt-XXXXXX", NULL);
	struct world_driver driver = {r, driver_start, driver_finish};
	struct net_observer obs = {r, on_packet, NULL, on_call, NULL, NULL, NULL};
	struct run_options ro = {.out_dir = o->out_dir ? o->out_dir : tmp, .trace = o->trace,
	                         .diagram_path = o->diagram_path, .report_path = o->report_path,
	                         .driver = &driver,
	                         .driven_role = NET_CLIENT, .driver_obs = &obs};
	bool plain = strspn(cfg->path, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./+") ==
	             strlen(cfg->path);
	char *path = plain ? g_strdup(cfg->path) : g_shell_quote(cfg->path); /* as a shell takes it */
	char *rerun = g_strdup_printf("tcpsim pkt%s%s %s", o->profile ? " --profile " : "",
	                              o->profile ? o->profile : "", path);
	ro.rerun = rerun;
	struct run_result res;
	bool ok = run_simulation(cfg, &ro, &res, error);
	g_free(rerun);
	g_free(path);
	if (ok)
		run_result_clear(&res);
	if (tmp) { /* nothing of it is kept */
		char *lock = g_build_filename(tmp, ".tcpsim.lock", NULL);
		g_remove(lock);
		g_free(lock);
		g_rmdir(tmp);
		g_free(tmp);
	}
	config_clear(cfg);
	r->program = NULL;
	g_bytes_unref(src.text);
	return ok;
}

bool pkt_run(const struct pkt_script *s, const struct pkt_options *o, struct pkt_outcome *out,
             GError **error)
{
	memset(out, 0, sizeof *out);
	struct runner r = {.s = s, .out = out, .sut_fd = -1};
	char *why = NULL;
	uint32_t line = 0;
	if (!header_config(s, o, &r.hc, &line, &why, error))
		return false;
	r.tol = r.ev_tol = r.hc.tolerance;
	r.plans = g_new0(struct pkt_call_plan, s->n_events ? s->n_events : 1);
	r.shells = g_new0(struct pkt_shell_plan *, s->n_events ? s->n_events : 1);
	r.code = g_new0(struct pkt_py *, s->n_events ? s->n_events : 1);
	r.snap = g_new0(struct app_tcp_info, s->n_events ? s->n_events : 1);
	GPtrArray *settings = g_ptr_array_new_with_free_func(g_free);
	if (!line)
		line = unsupported(s, o, &r.hc, r.plans, r.shells, r.code, settings, &why);
	bool ok = true;
	if (line) {
		out->verdict = PKT_UNSUPPORTED;
		out->line = line;
		out->message = g_strdup_printf("%s:%u: unsupported: %s", s->path, line, why);
		g_free(why);
	} else if (s->n_events > 0) {
		r.map = (struct pkt_seqmap){.local_port = r.hc.bind_port, .remote_port = PKT_REMOTE_PORT,
		                            .ts_tick_us = r.hc.ts_tick_us, .ts_tolerance = r.hc.tolerance,
		                            .gso_mss = r.hc.mss};
		r.payload = g_malloc(65536);
		g_queue_init(&r.sniffed);
		char *text = config_text(s, r.plans, o, &r.hc);
		ok = run_world(&r, o, text, settings, error);
		g_free(text);
		g_queue_clear_full(&r.sniffed, (GDestroyNotify)free_sniffed);
		g_free(r.payload);
	}
	for (uint32_t i = 0; i < s->n_events; i++) {
		pkt_call_plan_clear(&r.plans[i]);
		pkt_shell_plan_free(r.shells[i]);
		pkt_py_free(r.code[i]);
	}
	g_free(r.plans);
	g_free(r.shells);
	g_free(r.code);
	g_free(r.snap);
	g_ptr_array_free(settings, TRUE);
	return ok;
}

void pkt_outcome_clear(struct pkt_outcome *o)
{
	g_free(o->message);
	memset(o, 0, sizeof *o);
}
