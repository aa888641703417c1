/*
 * Each call as strace prints it: the call with its arguments, " = ", the
 * return value, and for a failure the errno's name and text:
 *
 *   connect(3, {10.0.0.2:7777}) = -1 EINPROGRESS (Operation now in progress)
 *   select(4, [3], [3], NULL, {tv_sec=0, tv_usec=300000}) = 2 (in [3], out [3], left {...})
 *   getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED]) = 0
 *   recv(4, "hello\0", 65536, 0) = 6 <2.000123>
 *
 * An address is shown as {ADDR:PORT} (strace's sockaddr, shortened); data
 * as strace -s 32 shows it: at most 32 bytes, C escapes, then the closing
 * quote and `...` when bytes were left out (`"abc"...`: whole characters,
 * never cut inside an escape); the time a call blocked as strace -T does.
 * strace_brief() gives the same call in fewer characters for an output
 * with little room, keeping the return value and the errno's name.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <glib.h>
#include "sim/world/net_int.h"
#include "sim/world/payload.h"

#define STRSIZE 32 /* strace -s default */

const char *strace_errno_text(int err)
{
	static char text[96];
	static const struct { int err; const char *text; } restart[] = {
		{STRACE_ERESTARTSYS, "ERESTARTSYS (To be restarted if SA_RESTART is set)"},
		{STRACE_ERESTARTNOHAND, "ERESTARTNOHAND (To be restarted if no handler)"},
		{STRACE_ERESTART_RESTARTBLOCK, "ERESTART_RESTARTBLOCK (Interrupted by signal)"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(restart); i++)
		if (restart[i].err == err)
			return restart[i].text;
	const char *name = script_const_name("errno", err);
	g_snprintf(text, sizeof text, "%s (%s)", name ? name : "E?", g_strerror(err));
	return text;
}

static void put_addr(GString *s, uint32_t ip, uint16_t port)
{
	g_string_append_printf(s, "{%u.%u.%u.%u:%u}", ip >> 24, (ip >> 16) & 255u, (ip >> 8) & 255u,
	                       ip & 255u, port);
}

/* A byte strace escapes by name (string_quote() in strace's src/util.c). */
static char named_escape(uint8_t c)
{
	switch (c) {
	case '"': return '"';
	case '\\': return '\\';
	case '\f': return 'f';
	case '\n': return 'n';
	case '\r': return 'r';
	case '\t': return 't';
	case '\v': return 'v';
	default: return 0;
	}
}

/* strsize bytes at most; room: at most that many characters in all
 * (quotes and "..." included; fewer bytes then, but whole characters),
 * unless even "" or ""... is longer; < 0: no limit. */
static void quote_data(GString *s, const uint8_t *d, long n, long strsize, long room)
{
	long shown = n < strsize ? n : strsize;
	size_t start = s->len;
	char esc[8];
	g_string_append_c(s, '"');
	for (long i = 0; i < shown; i++) {
		uint8_t c = d[i];
		char named = named_escape(c);
		if (named) {
			g_snprintf(esc, sizeof esc, "\\%c", named);
		} else if (c < 32 || c >= 127) {
			/* octal, all three digits when the next byte shown is an
			 * octal digit (strace looks no further than the cut) */
			bool digit_next = i + 1 < shown && d[i + 1] >= '0' && d[i + 1] <= '7';
			g_snprintf(esc, sizeof esc, digit_next ? "\\%03o" : "\\%o", c);
		} else {
			esc[0] = (char)c;
			esc[1] = '\0';
		}
		size_t closing = i + 1 < n ? 4 : 1; /* "... or " after it */
		if (room >= 0 && s->len - start + strlen(esc) + closing > (size_t)room) {
			shown = i; /* no room for this one: cut before it */
			break;
		}
		g_string_append(s, esc);
	}
	g_string_append(s, n > shown ? "\"..." : "\"");
}

void strace_quote_data(GString *s, const uint8_t *d, long n, long strsize)
{
	quote_data(s, d, n, strsize, -1);
}

static void put_const(GString *s, const char *kind, int64_t v)
{
	const char *name = kind ? script_const_name(kind, v) : NULL;
	if (name)
		g_string_append(s, name);
	else
		g_string_append_printf(s, "%lld", (long long)v);
}

/* socket()'s domain: the script knows AF_INET only, but a program may
 * ask for another by number (EAFNOSUPPORT), which strace names. */
static void put_domain(GString *s, int64_t v)
{
	static const char *const other[] = {[1] = "AF_UNIX", [10] = "AF_INET6", [16] = "AF_NETLINK",
	                                    [17] = "AF_PACKET"};
	if (!script_const_name("domain", v) && v >= 0 && v < (int64_t)G_N_ELEMENTS(other) && other[v])
		g_string_append(s, other[v]);
	else
		put_const(s, "domain", v);
}

/* OR-ed flags: "POLLIN|POLLOUT", "0" for none. */
static void put_flags(GString *s, const char *kind, int64_t v)
{
	if (v == 0) {
		g_string_append_c(s, '0');
		return;
	}
	bool first = true;
	for (int bit = 0; bit < 63; bit++) {
		int64_t f = (int64_t)1 << bit;
		if (!(v & f))
			continue;
		const char *name = script_const_name(kind, f);
		if (!first)
			g_string_append_c(s, '|');
		first = false;
		if (name)
			g_string_append(s, name);
		else
			g_string_append_printf(s, "%#llx", (unsigned long long)f);
	}
}

static void put_timeval(GString *s, sim_time t)
{
	g_string_append_printf(s, "{tv_sec=%lld, tv_usec=%lld}", (long long)(t / SIM_SEC),
	                       (long long)(t % SIM_SEC / SIM_US));
}

static void put_set(GString *s, const struct value *v, int64_t nfds)
{
	if (v->kind != VAL_FDSET) {
		g_string_append(s, "NULL");
		return;
	}
	g_string_append_c(s, '[');
	bool first = true;
	for (int fd = 0; fd < nfds && fd < APP_MAX_FDS; fd++)
		if ((v->set[fd / 64] >> (fd % 64)) & 1) {
			g_string_append_printf(s, first ? "%d" : " %d", fd);
			first = false;
		}
	g_string_append_c(s, ']');
}

/* An option's value; opt is SOL_SOCKET's when sock, else IPPROTO_TCP's
 * (their numbers overlap: TCP_KEEPIDLE is SO_ERROR's 4). */
static void put_value(GString *s, const struct value *v, bool sock, int64_t opt)
{
	if (v->kind == VAL_PAIR && sock && opt == SO_LINGER) {
		g_string_append_printf(s, "{l_onoff=%lld, l_linger=%lld}", (long long)v->i, (long long)v->j);
	} else if (v->kind == VAL_PAIR) {
		g_string_append_printf(s, "{tv_sec=%lld, tv_usec=%lld}", (long long)v->i, (long long)v->j);
	} else if (v->kind == VAL_TCPINFO) {
		const struct app_tcp_info *t = &v->info;
		g_string_append(s, "{tcpi_state=");
		put_const(s, "tcp_state", t->state);
		g_string_append_printf(s, ", tcpi_retransmits=%lld, tcpi_backoff=%lld, tcpi_rto=%lld, "
		                       "tcpi_snd_mss=%lld, tcpi_unacked=%lld, tcpi_rtt=%lld, "
		                       "tcpi_rttvar=%lld, tcpi_snd_ssthresh=%lld, tcpi_snd_cwnd=%lld}",
		                       (long long)t->retransmits, (long long)t->backoff,
		                       (long long)t->rto_us, (long long)t->snd_mss, (long long)t->unacked,
		                       (long long)t->rtt_us, (long long)t->rttvar_us,
		                       (long long)t->snd_ssthresh, (long long)t->snd_cwnd);
	} else if (sock && opt == SO_ERROR) {
		g_string_append_c(s, '[');
		if (v->i)
			put_const(s, "errno", v->i);
		else
			g_string_append_c(s, '0');
		g_string_append_c(s, ']');
	} else {
		g_string_append_printf(s, "[%lld]", (long long)v->i);
	}
}

static void put_sockopt(GString *s, const struct value *argv)
{
	g_string_append_printf(s, "%lld, ", (long long)argv[0].i);
	put_const(s, "level", argv[1].i);
	g_string_append(s, ", ");
	put_const(s, script_option_kind(argv[1].i), argv[2].i);
	g_string_append(s, ", ");
}

static void put_pollfds(GString *s, const struct value *v, bool revents)
{
	g_string_append_c(s, '[');
	for (uint32_t i = 0; i < v->n_pfd; i++) {
		const struct app_pollfd *p = &v->pfd[i];
		if (revents && !p->revents)
			continue;
		if (s->str[s->len - 1] != '[')
			g_string_append(s, ", ");
		g_string_append_printf(s, "{fd=%d, %s=", p->fd, revents ? "revents" : "events");
		put_flags(s, "poll", (uint16_t)(revents ? p->revents : p->events));
		g_string_append_c(s, '}');
	}
	g_string_append_c(s, ']');
}

/* How much of a call a line shows. */
struct line_style {
	long strsize;       /* data strings' bytes, as strace -s */
	long data_room;     /* at most that many characters of data string, < 0: any */
	bool details;       /* the errno's text, select()'s sets..., the time blocked */
	size_t data_chars;  /* out: what the data string took (0: none) */
};

/* The call's arguments, as they were when it returned. */
static void put_args(GString *s, const struct app *a, const struct script_fcall *c,
                     const struct value *argv, const struct sysret *r, struct line_style *st)
{
	long long fd = (long long)(c->n_args ? argv[0].i : 0);
	switch (c->fn) {
	case SCRIPT_FN_SOCKET:
		put_domain(s, argv[0].i);
		g_string_append(s, ", ");
		put_flags(s, "socktype", argv[1].i);
		g_string_append(s, argv[2].i == IPPROTO_TCP ? ", IPPROTO_TCP" : ", IPPROTO_IP");
		break;
	case SCRIPT_FN_BIND: case SCRIPT_FN_CONNECT: {
		uint32_t ip;
		uint16_t port;
		sys_addr_of(a, c->args[1], c->fn == SCRIPT_FN_BIND, &ip, &port);
		g_string_append_printf(s, "%lld, ", fd);
		put_addr(s, ip, port);
		break;
	}
	case SCRIPT_FN_LISTEN:
		g_string_append_printf(s, "%lld, %lld", fd, (long long)argv[1].i);
		break;
	case SCRIPT_FN_ACCEPT:
		g_string_append_printf(s, "%lld, ", fd);
		if (r->ret >= 0)
			put_addr(s, a->res_addr, a->res_port);
		else
			g_string_append(s, "NULL");
		if (argv[1].i) {
			g_string_append(s, ", ");
			put_flags(s, "socktype", argv[1].i);
		}
		break;
	case SCRIPT_FN_GETPEERNAME: case SCRIPT_FN_GETSOCKNAME:
		g_string_append_printf(s, "%lld", fd);
		if (r->ret == 0) {
			g_string_append(s, ", ");
			put_addr(s, a->res_addr, a->res_port);
		}
		break;
	case SCRIPT_FN_GETSOCKOPT:
		put_sockopt(s, argv);
		if (r->ret == 0)
			put_value(s, &a->opt, argv[1].i == SOL_SOCKET, argv[2].i);
		else
			g_string_append(s, "NULL");
		break;
	case SCRIPT_FN_SETSOCKOPT: {
		put_sockopt(s, argv);
		struct value v = argv[3];
		if (c->args[3]->kind == SX_DURATION) {
			v.kind = VAL_PAIR;
			v.i = argv[3].i / SIM_SEC;
			v.j = argv[3].i % SIM_SEC / SIM_US;
		}
		put_value(s, &v, argv[1].i == SOL_SOCKET, argv[2].i);
		break;
	}
	case SCRIPT_FN_SEND: case SCRIPT_FN_WRITE: {
		const struct script_expr *d = c->args[1];
		g_string_append_printf(s, "%lld, ", fd);
		long n = r->ret > 0 ? r->ret : (long)argv[2].i;
		bool str = d->kind == SX_STRING && (a->out_len == 0 || r->ret < 0);
		const uint8_t *bytes = str ? d->data : a->out;
		long have = str ? (long)d->len : (long)a->out_len;
		long shown = n < have ? n : have;
		uint8_t *made = NULL; /* generated bytes are made again: only those shown */
		if (!str && a->out_gen && shown > 0) {
			size_t k = (size_t)(shown < st->strsize ? shown : st->strsize);
			bytes = made = g_malloc(k ? k : 1);
			payload_fill(a->out_key, a->out_at, made, k);
		}
		size_t at = s->len;
		quote_data(s, bytes, shown, st->strsize, st->data_room);
		g_free(made);
		st->data_chars = s->len - at;
		g_string_append_printf(s, ", %lld", (long long)argv[2].i);
		if (c->fn == SCRIPT_FN_SEND) {
			g_string_append(s, ", ");
			put_flags(s, "msg", argv[3].i);
		}
		break;
	}
	case SCRIPT_FN_RECV: case SCRIPT_FN_READ:
		g_string_append_printf(s, "%lld, ", fd);
		size_t at = s->len;
		quote_data(s, a->buf, r->ret > 0 ? (r->ret < a->buf_len ? r->ret : a->buf_len) : 0,
		           st->strsize, st->data_room);
		st->data_chars = s->len - at;
		g_string_append_printf(s, ", %lld", (long long)argv[2].i);
		if (c->fn == SCRIPT_FN_RECV) {
			g_string_append(s, ", ");
			put_flags(s, "msg", argv[3].i);
		}
		break;
	case SCRIPT_FN_SHUTDOWN:
		g_string_append_printf(s, "%lld, ", fd);
		put_const(s, "shut", argv[1].i);
		break;
	case SCRIPT_FN_CLOSE:
		g_string_append_printf(s, "%lld", fd);
		break;
	case SCRIPT_FN_SELECT:
		g_string_append_printf(s, "%lld", (long long)a->res_nfds);
		for (int k = 1; k <= 3; k++) {
			g_string_append(s, ", ");
			put_set(s, &argv[k], a->res_nfds);
		}
		g_string_append(s, ", ");
		if (c->args[4]->kind == SX_NULL)
			g_string_append(s, "NULL");
		else
			put_timeval(s, c->args[4]->kind == SX_DURATION ? argv[4].i :
			               argv[4].kind == VAL_PAIR ? argv[4].i * SIM_SEC + argv[4].j * SIM_US :
			               argv[4].i * SIM_SEC);
		break;
	case SCRIPT_FN_POLL: {
		put_pollfds(s, &argv[0], false);
		g_string_append_printf(s, ", %u, ", a->res[0].n_pfd);
		if (c->args[2]->kind == SX_DURATION)
			g_string_append_printf(s, "%lld", (long long)(argv[2].i / SIM_MS));
		else
			g_string_append_printf(s, "%lld", (long long)argv[2].i);
		break;
	}
	case SCRIPT_FN_FCNTL:
		g_string_append_printf(s, "%lld, ", fd);
		put_const(s, "fcntl", argv[1].i);
		if (argv[1].i == F_SETFL) {
			g_string_append(s, ", ");
			put_flags(s, "oflag", argv[2].i | O_RDWR);
		}
		break;
	case SCRIPT_FN_IOCTL:
		g_string_append_printf(s, "%lld, ", fd);
		put_const(s, "ioctl", argv[1].i);
		g_string_append_printf(s, ", [%lld]", (long long)a->opt.i);
		break;
	case SCRIPT_FN_SLEEP:
		g_string_append_printf(s, "{tv_sec=%lld, tv_nsec=%lld}, NULL", (long long)(argv[0].i / SIM_SEC),
		                       (long long)(argv[0].i % SIM_SEC));
		break;
	case SCRIPT_FN_SIGNAL: case SCRIPT_FN_SIGACTION:
		put_const(s, "signal", argv[0].i);
		g_string_append(s, argv[1].i == 0 ? ", {sa_handler=SIG_DFL" :
		                   argv[1].i == 1 ? ", {sa_handler=SIG_IGN" : ", {sa_handler=handler");
		bool restart = c->fn == SCRIPT_FN_SIGNAL || (argv[2].i & SA_RESTART);
		g_string_append(s, restart ? ", sa_flags=SA_RESTART}, NULL, 8" : ", sa_flags=0}, NULL, 8");
		break;
	case SCRIPT_FN_ALARM:
		g_string_append_printf(s, "%lld", (long long)(argv[0].i / SIM_SEC));
		break;
	case SCRIPT_FN_CRASH: case SCRIPT_FN_REBOOT: case SCRIPT_FN_FD_ISSET: case SCRIPT_FN_COUNT:
		break;
	}
}

/* What strace adds after the return value: the errno's name, and when
 * details, its text and what select(), poll() or fcntl() found. */
static void put_outcome(GString *s, const struct app *a, const struct script_fcall *c,
                        const struct sysret *r, bool details)
{
	if (r->ret < 0) {
		const char *text = strace_errno_text(r->err);
		if (details)
			g_string_append_printf(s, " %s", text);
		else
			g_string_append_printf(s, " %.*s", (int)strcspn(text, " "), text);
		return;
	}
	if (!details)
		return;
	if (c->fn == SCRIPT_FN_SELECT) {
		if (r->ret == 0) {
			g_string_append(s, " (Timeout)");
			return;
		}
		static const char *const names[3] = {"in", "out", "except"};
		g_string_append(s, " (");
		bool first = true;
		for (int k = 0; k < 3; k++) {
			bool any = false;
			for (int w = 0; w < APP_SET_WORDS; w++)
				any |= a->res[k].set[w] != 0;
			if (!any)
				continue;
			g_string_append_printf(s, first ? "%s " : ", %s ", names[k]);
			put_set(s, &a->res[k], a->res_nfds);
			first = false;
		}
		if (a->res_left > 0) {
			g_string_append(s, ", left ");
			put_timeval(s, a->res_left);
		}
		g_string_append_c(s, ')');
	} else if (c->fn == SCRIPT_FN_POLL) {
		if (r->ret == 0) {
			g_string_append(s, " (Timeout)");
			return;
		}
		g_string_append(s, " (");
		put_pollfds(s, &a->res[0], true);
		g_string_append_c(s, ')');
	} else if (c->fn == SCRIPT_FN_FCNTL && r->ret > 0) {
		g_string_append(s, " (flags ");
		put_flags(s, "oflag", r->ret);
		g_string_append_c(s, ')');
	}
}

static const char *shown_name(const struct script_fcall *c)
{
	if (c->fn == SCRIPT_FN_SLEEP)
		return "nanosleep";
	if (c->fn == SCRIPT_FN_SIGNAL || c->fn == SCRIPT_FN_SIGACTION)
		return "rt_sigaction";
	if (c->fn == SCRIPT_FN_ACCEPT)
		return c->args[1]->kind == SX_INT && c->args[1]->i ? "accept4" : "accept";
	return c->name;
}

/* "name(" + arguments, and ") = RET" + outcome, apart: the brief line
 * may cut the first and never the second. */
static void format_call(GString *head, GString *tail, const struct app *a,
                        const struct script_fcall *c, const struct value *argv,
                        const struct sysret *r, struct line_style *st)
{
	g_string_append(head, shown_name(c));
	g_string_append_c(head, '(');
	put_args(head, a, c, argv, r, st);
	if (r->ret < 0 && r->err >= STRACE_ERESTARTSYS) /* interrupted: no return value yet */
		g_string_append(tail, ") = ?");
	else if (c->fn == SCRIPT_FN_SIGNAL && r->ret >= 0) /* signal()'s value is glibc's */
		g_string_append(tail, ") = 0");
	else if (c->fn == SCRIPT_FN_FCNTL && argv[1].i == F_GETFL && r->ret >= 0)
		g_string_append_printf(tail, ") = %#lx", r->ret);
	else
		g_string_append_printf(tail, ") = %ld", r->ret < 0 ? -1L : r->ret);
	put_outcome(tail, a, c, r, st->details);
	sim_time blocked = a->net->q->now - a->call_start;
	if (st->details && blocked > 0)
		g_string_append_printf(tail, " <%.6f>", sim_time_to_sec(blocked));
}

char *strace_line(const struct app *a, const struct script_fcall *c, const struct value *argv,
                  const struct sysret *r)
{
	struct line_style full = {STRSIZE, -1, true, 0};
	GString *head = g_string_new(NULL), *tail = g_string_new(NULL);
	format_call(head, tail, a, c, argv, r, &full);
	g_string_append_len(head, tail->str, (gssize)tail->len);
	g_string_free(tail, TRUE);
	return g_string_free(head, FALSE);
}

/*
 * The line in at most width characters, for an output with little room
 * (the sequence diagram), when the whole line is longer: without the
 * errno's text, select()'s sets and the time blocked; the data string
 * given what room is left (fewer bytes than strace's 32, whole
 * characters, then "..."); if even that is too long, the arguments cut,
 * "...)" marking the cut.  The return value and the errno's name always
 * stay.
 */
char *strace_brief(const struct app *a, const struct script_fcall *c, const struct value *argv,
                   const struct sysret *r, size_t width)
{
	struct line_style st = {STRSIZE, 0, false, 0}; /* data as short as it goes: "" or ""... */
	GString *head = g_string_new(NULL), *tail = g_string_new(NULL);
	format_call(head, tail, a, c, argv, r, &st);
	size_t fixed = head->len + tail->len - st.data_chars;
	if (st.data_chars && fixed + st.data_chars < width) { /* room for some data */
		st.data_room = (long)(width - fixed);
		g_string_truncate(head, 0);
		g_string_truncate(tail, 0);
		format_call(head, tail, a, c, argv, r, &st);
	}
	if (head->len + tail->len > width) {
		/* the arguments alone are too long (plain ASCII: names,
		 * numbers, addresses, at most "" or ""...) */
		size_t room = width > tail->len + 3 ? width - tail->len - 3 : 0;
		if (head->len > room) {
			g_string_truncate(head, room);
			g_string_append(head, "...");
		}
	}
	g_string_append_len(head, tail->str, (gssize)tail->len);
	g_string_free(tail, TRUE);
	return g_string_free(head, FALSE);
}
