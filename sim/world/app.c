/*
 * The program of one endpoint: an interpreter of its script (the tree of
 * sim/config/script.h).  A statement runs until a call in it blocks
 * (connect while the handshake runs, recv with nothing arrived, select,
 * sleep); the program then waits, and the statement is evaluated again
 * whenever its host processed an event or the call's time limit passed.
 * Calls of the statement that had already returned are not made again:
 * their results are remembered (struct memo), so a statement such as
 * `while (n = read(fd, buf, 100)) > 0` reads once per pass.
 *
 * Calls never run in the middle of a TCP transition: the world applies
 * every action first.  Each call that returns is logged as strace prints
 * it (strace.c), with the time it blocked.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <glib.h>
#include "sim/world/net_int.h"

static sim_time now_of(const struct app *a) { return a->net->q->now; }

/* The argument slot of a call being evaluated (or blocked) at that depth. */
static struct value *call_args(struct app *a, uint32_t slot)
{
	return &a->argv[(size_t)slot * APP_MAX_ARGS];
}

/* ---- signals ---- */

static const char *sig_name(int sig)
{
	const char *name = script_const_name("signal", sig);
	return name ? name : "SIG?";
}

static void log_text(struct app *a, const char *name, const char *text)
{
	net_log_call(a->net, a->role, name, 0, 0, 0, false, text, NULL);
}

/* The process ends: the kernel closes every descriptor it held. */
static void app_end(struct app *a)
{
	sys_close_all(a);
	sim_queue_cancel(a->net->q, &a->wake);
	sim_queue_cancel(a->net->q, &a->alarm);
	a->call = NULL;
	a->done = true;
}

static bool restarts(struct app *a, const struct script_fcall *c, const struct value *argv, int sig);
static void log_signal(struct app *a, int sig);

/* What the call a signal interrupts returns to the kernel's signal code
 * (strace shows it before the signal): sleep and poll
 * ERESTART_RESTARTBLOCK, select ERESTARTNOHAND, a socket call
 * ERESTARTSYS, or EINTR under a socket time limit (sock_intr_errno()). */
static struct sysret interrupted(struct app *a, const struct script_fcall *c, const struct value *argv)
{
	switch (c->fn) {
	case SCRIPT_FN_SLEEP: case SCRIPT_FN_POLL:
		return (struct sysret){-1, STRACE_ERESTART_RESTARTBLOCK};
	case SCRIPT_FN_SELECT:
		return (struct sysret){-1, STRACE_ERESTARTNOHAND};
	case SCRIPT_FN_CLOSE: /* a lingering close stops waiting and returns */
		return (struct sysret){0, 0};
	case SCRIPT_FN_SOCKET: case SCRIPT_FN_BIND: case SCRIPT_FN_LISTEN: case SCRIPT_FN_ACCEPT:
	case SCRIPT_FN_CONNECT: case SCRIPT_FN_GETSOCKOPT: case SCRIPT_FN_SETSOCKOPT:
	case SCRIPT_FN_GETPEERNAME: case SCRIPT_FN_GETSOCKNAME: case SCRIPT_FN_SEND: case SCRIPT_FN_WRITE:
	case SCRIPT_FN_RECV: case SCRIPT_FN_READ: case SCRIPT_FN_SHUTDOWN: case SCRIPT_FN_FCNTL:
	case SCRIPT_FN_IOCTL: case SCRIPT_FN_SIGNAL: case SCRIPT_FN_SIGACTION: case SCRIPT_FN_ALARM:
	case SCRIPT_FN_CRASH: case SCRIPT_FN_REBOOT: case SCRIPT_FN_FD_ISSET: case SCRIPT_FN_COUNT:
		break;
	}
	/* SA_RESTART aside, a call that would restart has no socket time limit */
	bool untimed = restarts(a, c, argv, 0);
	return (struct sysret){-1, untimed ? STRACE_ERESTARTSYS : EINTR};
}

static void killed_by(struct app *a, int sig)
{
	if (a->call) { /* the call it interrupted, then the signal */
		struct value *argv = call_args(a, a->call_slot); /* kept while it waits */
		struct sysret r = interrupted(a, a->call, argv);
		char *line = a->net->call_text ? strace_line(a, a->call, argv, &r) : NULL;
		log_text(a, a->call->name, line);
		g_free(line);
	}
	log_signal(a, sig);
	char *text = g_strdup_printf("+++ killed by %s +++", sig_name(sig));
	log_text(a, "killed", text);
	g_free(text);
	net_record_error(a->net, a->role, sig == SIGPIPE ? EPIPE : EINTR);
	app_end(a);
}

static void log_signal(struct app *a, int sig)
{
	if (!a->net->call_text) {
		log_text(a, "signal", NULL);
		return;
	}
	char *text = g_strdup_printf("--- %s {si_signo=%s, si_code=%s} ---", sig_name(sig),
	                             sig_name(sig), sig == SIGALRM ? "SI_KERNEL" : "SI_USER");
	log_text(a, "signal", text);
	g_free(text);
}

/* A signal arrives: ignored, fatal (the default of every signal a script
 * can meet), or caught, which interrupts the call in progress. */
static void deliver(struct app *a, int sig)
{
	if (a->sig[sig] == SIG_DISP_IGNORE || a->done)
		return;
	if (a->sig[sig] == SIG_DISP_DEFAULT) {
		killed_by(a, sig);
		return;
	}
	log_signal(a, sig);
	if (a->call)
		a->pending_sig = sig;
}

void app_raise(struct app *a, int sig)
{
	a->pending_sig = -sig; /* delivered once the raising call has returned */
}

static void alarm_fired(struct sim_queue *q, struct sim_event *ev)
{
	(void)q;
	struct app *a = ev->ctx;
	deliver(a, SIGALRM);
	if (!a->done)
		app_run(a);
}

static void wake_fired(struct sim_queue *q, struct sim_event *ev)
{
	(void)q;
	struct app *a = ev->ctx;
	a->woke = true;
	app_run(a);
}

void app_wait_until(struct app *a, sim_time t)
{
	sim_queue_schedule(a->net->q, &a->wake, t);
}

/* ---- life ---- */

/* The program's top level with each short-form call's block opened in
 * place: the same statements, run without a frame of their own for each
 * short call (they are the bulk of a benchmark's statements). */
static void flatten_top(struct app *a, const struct script_block *top)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < top->n; i++)
		n += top->v[i].kind == SS_BLOCK ? top->v[i].body.n : 1;
	a->top.v = g_new(struct script_stmt, n ? n : 1);
	a->top.n = n;
	n = 0;
	for (uint32_t i = 0; i < top->n; i++) {
		const struct script_stmt *st = &top->v[i];
		if (st->kind != SS_BLOCK)
			a->top.v[n++] = *st;
		else
			for (uint32_t k = 0; k < st->body.n; k++)
				a->top.v[n++] = st->body.v[k];
	}
}

void app_init(struct app *a, struct net *n, int role, gsl_rng *rng)
{
	memset(a, 0, sizeof *a);
	a->net = n;
	a->role = role;
	a->spec = &n->spec.ep[role];
	a->rng = rng;
	a->cur_fd = -1;
	const struct script *s = a->spec->script;
	a->vars = g_new0(struct value, s->n_vars ? s->n_vars : 1);
	a->fd_hi = 0; /* no socket yet: stdin, stdout and stderr are not sockets */
	/* A program written only in the short form ignores SIGPIPE, as the
	 * first round's programs did: a failed send returns EPIPE. */
	if (s->n > 0)
		a->sig[SIGPIPE] = SIG_DISP_IGNORE;
	/* packetdrill ignores SIGPIPE (run_script()): a driven program's write
	 * after a reset returns EPIPE */
	if (a->spec->driven)
		a->sig[SIGPIPE] = SIG_DISP_IGNORE;
	flatten_top(a, &s->top);
	a->stack[0] = (struct frame){.b = &a->top, .kind = FRAME_PLAIN};
	a->depth = 1;
	sim_event_init(&a->wake, wake_fired, a);
	sim_event_init(&a->alarm, alarm_fired, a);
}

void app_clear(struct app *a)
{
	const struct script *s = a->spec->script;
	for (uint32_t i = 0; i < s->n_vars; i++)
		g_free(a->vars[i].pfd);
	for (int i = 0; i < 3; i++)
		g_free(a->res[i].pfd);
	g_free(a->vars);
	g_free(a->top.v); /* the statements themselves are the script's */
	g_free(a->argv);
	g_free(a->buf);
	g_free(a->out);
	sys_free_socks(a);
	g_free(a->fds);
	gsl_rng_free(a->rng);
}

void app_schedule_start(struct app *a)
{
	sim_queue_schedule(a->net->q, &a->wake, 0);
}

void app_step(struct app *a)
{
	a->go = true;
	app_run(a);
}

void app_lose_memory(struct app *a)
{
	const struct script *s = a->spec->script;
	for (uint32_t i = 0; i < s->n_vars; i++) {
		g_free(a->vars[i].pfd);
		memset(&a->vars[i], 0, sizeof a->vars[i]);
	}
	a->errno_val = 0;
	a->cur_fd = -1;
}

void app_forget_conn(struct app *a, struct conn *c)
{
	for (int fd = 0; fd < a->fd_hi; fd++)
		if (a->fds[fd] && a->fds[fd]->c == c)
			a->fds[fd]->c = NULL;
}

/* ---- expressions ---- */

static enum step eval(struct app *a, const struct script_expr *e, struct value *v);

static void set_int(struct value *v, int64_t i)
{
	v->kind = VAL_INT;
	v->i = i;
}

static bool truthy(const struct value *v)
{
	return v->kind != VAL_INT || v->i != 0;
}

static int64_t binop(enum script_binop op, int64_t x, int64_t y)
{
	switch (op) {
	case SOP_EQ: return x == y;
	case SOP_NE: return x != y;
	case SOP_LT: return x < y;
	case SOP_LE: return x <= y;
	case SOP_GT: return x > y;
	case SOP_GE: return x >= y;
	case SOP_BITOR: return x | y;
	case SOP_BITAND: return x & y;
	case SOP_ADD: return (int64_t)((uint64_t)x + (uint64_t)y);
	case SOP_SUB: return (int64_t)((uint64_t)x - (uint64_t)y);
	case SOP_OR: return x || y;
	case SOP_AND: return x && y;
	case SOP_NOT: return !y;
	case SOP_NEG: return (int64_t)(0 - (uint64_t)y);
	}
	return 0;
}

/* The value of a number or an integer variable without a full evaluation
 * (most operands are one): true if e is such a leaf. */
static bool leaf_int(const struct app *a, const struct script_expr *e, int64_t *out)
{
	if (e->kind == SX_INT) {
		*out = e->i;
		return true;
	}
	if (e->kind == SX_VAR && a->vars[e->var].kind == VAL_INT) {
		*out = a->vars[e->var].i;
		return true;
	}
	if (e->kind == SX_CURRENT) {
		*out = a->cur_fd;
		return true;
	}
	return false;
}

static enum step eval_operand(struct app *a, const struct script_expr *e, struct value *v)
{
	int64_t i;
	if (leaf_int(a, e, &i)) {
		v->kind = VAL_INT;
		v->i = i;
		return STEP_DONE;
	}
	return eval(a, e, v);
}

static enum step eval_binary(struct app *a, const struct script_expr *e, struct value *v)
{
	struct value x, y;
	if (eval_operand(a, e->kids[0], &x) == STEP_WAIT)
		return STEP_WAIT;
	if (e->op == SOP_AND && !truthy(&x)) { /* C's short circuit */
		set_int(v, 0);
		return STEP_DONE;
	}
	if (e->op == SOP_OR && truthy(&x)) {
		set_int(v, 1);
		return STEP_DONE;
	}
	if (eval_operand(a, e->kids[1], &y) == STEP_WAIT)
		return STEP_WAIT;
	if (e->op == SOP_AND || e->op == SOP_OR)
		set_int(v, truthy(&y));
	else
		set_int(v, binop(e->op, x.i, y.i));
	return STEP_DONE;
}

/* [a, b] is an fd_set; [{fd, events}, ...] a struct pollfd array, held in
 * the program's scratch value until the statement is done. */
static enum step eval_list(struct app *a, const struct script_expr *e, struct value *v)
{
	bool pollfds = e->n_kids > 0 && e->kids[0]->kind == SX_PAIR;
	memset(v, 0, sizeof *v);
	v->kind = pollfds ? VAL_POLLFDS : VAL_FDSET;
	struct value *scratch = &a->res[2];
	if (pollfds) {
		scratch->pfd = g_renew(struct app_pollfd, scratch->pfd, e->n_kids);
		v->pfd = scratch->pfd;
		v->n_pfd = e->n_kids;
	}
	for (uint32_t k = 0; k < e->n_kids; k++) {
		struct value x;
		if (eval(a, e->kids[k], &x) == STEP_WAIT)
			return STEP_WAIT;
		if (pollfds)
			v->pfd[k] = (struct app_pollfd){(int32_t)x.i, (int16_t)x.j, 0};
		else if (x.i >= 0 && x.i < APP_MAX_FDS)
			v->set[x.i / 64] |= (uint64_t)1 << (x.i % 64);
	}
	return STEP_DONE;
}

static int64_t tcp_info_field(const struct app_tcp_info *t, const char *name)
{
	static const struct { const char *name; size_t off; } fields[] = {
#define F(n) { "tcpi_" #n, offsetof(struct app_tcp_info, n) }
		F(state), F(retransmits), F(probes), F(backoff), F(rto_us), F(rtt_us), F(rttvar_us),
		F(snd_mss), F(rcv_mss), F(unacked), F(lost), F(retrans), F(total_retrans),
		F(snd_cwnd), F(snd_ssthresh), F(options),
#undef F
		{ "tcpi_rto", offsetof(struct app_tcp_info, rto_us) },
		{ "tcpi_rtt", offsetof(struct app_tcp_info, rtt_us) },
		{ "tcpi_rttvar", offsetof(struct app_tcp_info, rttvar_us) },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(fields); i++)
		if (strcmp(fields[i].name, name) == 0)
			return *(const int64_t *)(const void *)((const char *)t + fields[i].off);
	return 0;
}

static enum step eval_field(struct app *a, const struct script_expr *e, struct value *v)
{
	struct value x;
	if (eval(a, e->kids[0], &x) == STEP_WAIT)
		return STEP_WAIT;
	set_int(v, 0);
	if (x.kind == VAL_TCPINFO) {
		v->i = tcp_info_field(&x.info, e->field);
	} else if (x.kind == VAL_POLLFDS && e->has_index && e->index < x.n_pfd) {
		const struct app_pollfd *p = &x.pfd[e->index];
		v->i = strcmp(e->field, "fd") == 0 ? p->fd :
		       strcmp(e->field, "events") == 0 ? p->events : p->revents;
	} else if (x.kind == VAL_PAIR) {
		v->i = strcmp(e->field, "l_linger") == 0 || strcmp(e->field, "tv_usec") == 0 ? x.j : x.i;
	}
	return STEP_DONE;
}

/* A variable keeps its own copy of a struct pollfd array. */
static void assign(struct app *a, uint32_t var, const struct value *v)
{
	struct value *dst = &a->vars[var];
	if (v->kind == VAL_INT) { /* the common case: no copy of sets */
		dst->kind = VAL_INT;
		dst->i = v->i;
		return;
	}
	struct app_pollfd *keep = dst->pfd;
	*dst = *v;
	dst->pfd = keep;
	if (v->kind == VAL_POLLFDS) {
		if (v->pfd != keep) {
			dst->pfd = g_renew(struct app_pollfd, keep, v->n_pfd ? v->n_pfd : 1);
			memcpy(dst->pfd, v->pfd, v->n_pfd * sizeof *v->pfd);
		}
	}
}

static enum step run_call(struct app *a, const struct script_fcall *c, struct value *v);

static enum step eval(struct app *a, const struct script_expr *e, struct value *v)
{
	memset(v, 0, offsetof(struct value, set));
	switch (e->kind) {
	case SX_INT: set_int(v, e->i); return STEP_DONE;
	case SX_DURATION: set_int(v, e->t); return STEP_DONE;
	case SX_ERRNO: set_int(v, a->errno_val); return STEP_DONE;
	case SX_CURRENT: set_int(v, a->cur_fd); return STEP_DONE;
	case SX_REF: set_int(v, e->var); return STEP_DONE;
	case SX_ADDR: /* its port; the default address's is the endpoint's own */
		set_int(v, e->dflt ? a->spec->port : e->port);
		return STEP_DONE;
	case SX_STRING: case SX_NULL: case SX_BUF: case SX_GEN:
		set_int(v, 0); /* the call reads these from the expression itself */
		return STEP_DONE;
	case SX_VAR:
		if (a->vars[e->var].kind == VAL_INT) { /* the common case: no copy of sets */
			set_int(v, a->vars[e->var].i);
			return STEP_DONE;
		}
		*v = a->vars[e->var];
		return STEP_DONE;
	case SX_LIST: return eval_list(a, e, v);
	case SX_PAIR: {
		struct value x, y;
		if (eval(a, e->kids[0], &x) == STEP_WAIT || eval(a, e->kids[1], &y) == STEP_WAIT)
			return STEP_WAIT;
		v->kind = VAL_PAIR;
		v->i = x.i;
		v->j = y.i;
		return STEP_DONE;
	}
	case SX_UNARY: {
		struct value x;
		if (eval(a, e->kids[0], &x) == STEP_WAIT)
			return STEP_WAIT;
		set_int(v, e->op == SOP_NOT ? !truthy(&x) : binop(SOP_NEG, 0, x.i));
		return STEP_DONE;
	}
	case SX_BINARY: return eval_binary(a, e, v);
	case SX_FIELD: return eval_field(a, e, v);
	case SX_CALL: return run_call(a, e->call, v);
	case SX_ASSIGN:
		if (eval(a, e->kids[0], v) == STEP_WAIT)
			return STEP_WAIT;
		assign(a, e->var, v);
		return STEP_DONE;
	}
	return STEP_DONE;
}

/* ---- calls ---- */

/* Which calls a caught signal interrupts for good, and which go on
 * (SA_RESTART; signal(7)): select, poll and sleep never restart, and a
 * call under a socket time limit returns EINTR (sock_intr_errno()). */
static bool restarts(struct app *a, const struct script_fcall *c, const struct value *argv, int sig)
{
	if (sig && !a->sig_restart[sig])
		return false;
	const struct sock *s = sys_sock(a, argv[0].i);
	bool sending = c->fn == SCRIPT_FN_CONNECT || c->fn == SCRIPT_FN_SEND || c->fn == SCRIPT_FN_WRITE;
	bool reading = c->fn == SCRIPT_FN_ACCEPT || c->fn == SCRIPT_FN_RECV || c->fn == SCRIPT_FN_READ;
	if (!s || !(sending || reading))
		return false;
	return (sending ? s->sndtimeo : s->rcvtimeo) == 0;
}

static void start_call(struct app *a, const struct script_fcall *c)
{
	a->call = c;
	a->begun = false;
	a->woke = false;
	a->call_start = now_of(a);
	a->progress = 0;
	a->out_len = a->out_off = 0;
	a->out_gen = false;
}

/* The call returned: errno, the strace line, the memo. */
static void finish_call(struct app *a, const struct script_fcall *c, struct value *argv,
                        const struct sysret *r)
{
	sim_queue_cancel(a->net->q, &a->wake);
	if (r->ret < 0)
		a->errno_val = r->err;
	/* no text at all unless an observer prints calls (checked here: every call) */
	char *line = a->net->call_text && net_call_text_wanted(a->net, a->role) ?
	             strace_line(a, c, argv, r) : NULL;
	char *brief = line && strlen(line) > NET_CALL_BRIEF_CHARS ?
	              strace_brief(a, c, argv, r, NET_CALL_BRIEF_CHARS) : NULL;
	net_log_call(a->net, a->role, c->name, r->ret, r->err, now_of(a) - a->call_start, a->begun, line,
	             brief);
	if (line) { /* brief only with a line */
		g_free(brief);
		g_free(line);
	}
	a->call = NULL;
	if (a->n_memo < APP_MEMO)
		a->memo[a->n_memo++] = (struct memo){c, r->ret, r->err};
}

static bool fd_isset(const struct value *set, int64_t fd)
{
	return set->kind == VAL_FDSET && fd >= 0 && fd < APP_MAX_FDS &&
	       (set->set[fd / 64] >> (fd % 64)) & 1;
}

/* One step of a started call: a caught signal may end it (EINTR); else
 * the call is made, and if it returns, finished. */
static enum step step_call(struct app *a, const struct script_fcall *c, struct value *argv,
                           struct value *v)
{
	g_assert(c != NULL);
	struct sysret r;
	int sig = a->pending_sig;
	if (sig > 0 && a->begun) { /* a caught signal arrived while it blocked */
		a->pending_sig = 0;
		/* what was moved counts, SA_RESTART or not (tcp_sendmsg_locked(),
		 * tcp_recvmsg_locked(): a signal ends a send or a MSG_WAITALL read
		 * that moved bytes, and the call returns their count) */
		bool partial = (c->fn == SCRIPT_FN_SEND || c->fn == SCRIPT_FN_WRITE ||
		                c->fn == SCRIPT_FN_RECV || c->fn == SCRIPT_FN_READ) && a->progress;
		if (partial || !restarts(a, c, argv, sig)) {
			r = partial ? (struct sysret){(long)a->progress, 0} : (struct sysret){-1, EINTR};
			finish_call(a, c, argv, &r);
			set_int(v, r.ret);
			return STEP_DONE;
		}
	}
	if (sys_call(a, c, argv, &r) == STEP_WAIT) {
		a->begun = true;
		return STEP_WAIT;
	}
	finish_call(a, c, argv, &r);
	if (a->pending_sig < 0) { /* raised by the call itself: SIGPIPE */
		sig = -a->pending_sig;
		a->pending_sig = 0;
		deliver(a, sig);
		if (a->done)
			return STEP_WAIT;
	}
	set_int(v, r.ret);
	return STEP_DONE;
}

static enum step run_call(struct app *a, const struct script_fcall *c, struct value *v)
{
	g_assert(c != NULL);
	for (uint32_t i = 0; i < a->n_memo; i++)
		if (a->memo[i].call == c) {
			set_int(v, a->memo[i].ret);
			return STEP_DONE;
		}
	if (a->call == c && a->begun) /* blocked: its arguments are kept */
		return step_call(a, c, call_args(a, a->call_slot), v);
	uint32_t slot = a->nest++;
	if (a->nest > a->argv_slots) {
		a->argv_slots = a->nest;
		a->argv = g_renew(struct value, a->argv, (size_t)a->argv_slots * APP_MAX_ARGS);
	}
	struct value *argv = call_args(a, slot);
	g_assert(c->n_args <= APP_MAX_ARGS);
	for (uint32_t k = 0; k < APP_MAX_ARGS; k++) { /* a call reads only its own */
		argv[k].kind = VAL_INT;
		argv[k].i = argv[k].j = 0;
	}
	for (uint32_t k = 0; k < c->n_args; k++) {
		if (leaf_int(a, c->args[k], &argv[k].i)) /* most arguments */
			continue;
		if (eval(a, c->args[k], &argv[k]) == STEP_WAIT) {
			a->nest = slot;
			return STEP_WAIT;
		}
	}
	a->nest = slot;
	if (c->fn == SCRIPT_FN_FD_ISSET) { /* a macro, not a system call */
		set_int(v, fd_isset(&argv[1], argv[0].i));
		return STEP_DONE;
	}
	a->call_slot = slot;
	start_call(a, c);
	return step_call(a, c, argv, v);
}

/* ---- statements ---- */

static bool push(struct app *a, const struct script_block *b, enum frame_kind k, int64_t left,
                 const struct script_stmt *loop)
{
	if (b->n == 0 && k == FRAME_PLAIN)
		return true;
	if (a->depth >= APP_MAX_DEPTH)
		return false;
	a->stack[a->depth++] = (struct frame){.b = b, .kind = k, .left = left, .loop = loop};
	return true;
}

/* break: out of the innermost loop (a break outside any loop ends the
 * script's run, as the parser allows it only in loops). */
static void do_break(struct app *a)
{
	while (a->depth > 1) {
		enum frame_kind k = a->stack[--a->depth].kind;
		if (k != FRAME_PLAIN)
			return;
	}
	a->stack[0].pc = a->stack[0].b->n;
}

static enum step do_exit(struct app *a, const struct script_stmt *s)
{
	struct value v = {.kind = VAL_INT};
	if (s->expr && s->expr->kind != SX_NULL && eval(a, s->expr, &v) == STEP_WAIT)
		return STEP_WAIT;
	if (a->net->call_text) {
		char *line = g_strdup_printf("exit_group(%lld) = ?", (long long)v.i);
		log_text(a, "exit_group", line);
		g_free(line);
		line = g_strdup_printf("+++ exited with %lld +++", (long long)(v.i & 255));
		log_text(a, "exited", line);
		g_free(line);
	} else { /* the same records, without their text */
		log_text(a, "exit_group", NULL);
		log_text(a, "exited", NULL);
	}
	app_end(a);
	return STEP_WAIT;
}

static enum step exec_stmt(struct app *a, const struct script_stmt *s)
{
	struct frame *f = &a->stack[a->depth - 1];
	struct value v;
	switch (s->kind) {
	case SS_EXPR:
		if (eval(a, s->expr, &v) == STEP_WAIT)
			return STEP_WAIT;
		f->pc++;
		return STEP_DONE;
	case SS_IF:
		if (eval(a, s->expr, &v) == STEP_WAIT)
			return STEP_WAIT;
		f->pc++;
		push(a, truthy(&v) ? &s->body : &s->orelse, FRAME_PLAIN, 0, NULL);
		return STEP_DONE;
	case SS_WHILE:
		if (eval(a, s->expr, &v) == STEP_WAIT)
			return STEP_WAIT;
		f->pc++;
		if (truthy(&v))
			push(a, &s->body, FRAME_WHILE, 0, s);
		return STEP_DONE;
	case SS_REPEAT:
		if (eval(a, s->expr, &v) == STEP_WAIT)
			return STEP_WAIT;
		f->pc++;
		if (v.i > 0)
			push(a, &s->body, FRAME_REPEAT, v.i, NULL);
		return STEP_DONE;
	case SS_BREAK:
		do_break(a);
		return STEP_DONE;
	case SS_EXIT:
		return do_exit(a, s);
	case SS_BLOCK:
		f->pc++;
		push(a, &s->body, FRAME_PLAIN, 0, NULL);
		return STEP_DONE;
	}
	return STEP_DONE;
}

/* A loop that never blocks holds simulated time still: stop the run as a
 * stalled queue does. */
static bool stalled(struct app *a)
{
	if (a->steps_time != now_of(a)) {
		a->steps_time = now_of(a);
		a->steps_now = 0;
	}
	if (++a->steps_now < SIM_QUEUE_STALL_EVENTS)
		return false;
	a->done = true;
	a->net->q->stalled = true;
	sim_queue_stop(a->net->q);
	return true;
}

/* The end of a block: a loop goes round again, a block returns to its
 * parent.  Testing a while loop's condition may block, like a statement. */
static enum step end_of_block(struct app *a)
{
	struct frame *f = &a->stack[a->depth - 1];
	if (f->kind != FRAME_PLAIN && stalled(a)) /* only a loop can go round for ever */
		return STEP_DONE;
	if (f->kind == FRAME_REPEAT && --f->left > 0) {
		f->pc = 0;
		return STEP_DONE;
	}
	if (f->kind == FRAME_WHILE) {
		struct value v;
		if (eval(a, f->loop->expr, &v) == STEP_WAIT)
			return STEP_WAIT;
		if (truthy(&v)) {
			f->pc = 0;
			return STEP_DONE;
		}
	}
	a->depth--;
	return STEP_DONE;
}

/* The script ran to its end: again, or the program is finished (it stays
 * alive, its descriptors open, as a program that never exits). */
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
	a->stack[0].pc = 0;
	a->blocked_this_run = false;
}

void app_run(struct app *a)
{
	/* A blocked call is tried again first, on its kept arguments: most
	 * wake-ups find it still blocked, and the statement is not evaluated. */
	if (a->call && a->begun && !a->done) {
		struct value v;
		if (step_call(a, a->call, call_args(a, a->call_slot), &v) == STEP_WAIT)
			return;
	}
	while (!a->done) {
		struct frame *f = &a->stack[a->depth - 1];
		enum step st;
		if (a->depth == 1 && f->pc >= f->b->n) {
			end_of_script(a);
			continue;
		}
		/* One statement per app_step(): a new one waits for the driver; the
		 * one whose blocked call just returned (its result in the memo)
		 * finishes now. */
		if (a->spec->driven && a->depth == 1 && a->n_memo == 0) {
			if (!a->go)
				return;
			a->go = false;
		}
		st = f->pc >= f->b->n ? end_of_block(a) : exec_stmt(a, &f->b->v[f->pc]);
		if (st == STEP_WAIT) {
			a->blocked_this_run = true;
			return;
		}
		a->n_memo = 0;
	}
}
