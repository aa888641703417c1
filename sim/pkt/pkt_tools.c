/*
 * The socket tools of a script's shell lines (see pkt_tools.h).
 *
 * sockstat and tcpdrop are FreeBSD's (usr.bin/sockstat, usr.sbin/tcpdrop),
 * ss is Linux's (iproute2 misc/ss.c): each exists only under its system's
 * profile.  Their output is the text the real tool prints for the model's
 * sockets, so that a script's grep or awk reads it as it reads the real
 * one: the states by each tool's names (sockstat: FreeBSD's tcpstates[],
 * CLOSED ... TIME_WAIT; ss: ESTAB, SYN-SENT, TIME-WAIT...).
 */
#include <errno.h>
#include <string.h>
#include "sim/pkt/pkt_runner.h"
#include "sim/pkt/pkt_tools.h"
#include "sim/world/sockdiag.h"

/* packetdrill's process, which holds the script's sockets */
#define PROCESS_NAME "packetdrill"
#define PROCESS_PID 1000
#define PROCESS_USER "root"

enum os { OS_LINUX, OS_FREEBSD, OS_OTHER };

static enum os os_of(const char *profile)
{
	if (!profile || g_str_has_prefix(profile, "linux"))
		return OS_LINUX;
	if (strcmp(profile, "bsd") == 0 || strcmp(profile, "freebsd") == 0)
		return OS_FREEBSD;
	return OS_OTHER;
}

static bool needs_os(const struct pkt_tool_ctx *ctx, enum os os, const char *tool, char **why)
{
	if (os_of(ctx->profile) == os)
		return true;
	*why = g_strdup_printf("`%s` is %s's; the profile is %s", tool, os == OS_LINUX ? "Linux" : "FreeBSD",
	                       ctx->profile ? ctx->profile : "linux");
	return false;
}

static GArray *rows_of(const struct pkt_tool_ctx *ctx)
{
	return ctx->net ? sockdiag_list(ctx->net, ctx->role) : g_array_new(FALSE, TRUE, sizeof(struct sockdiag_row));
}

static char *ip_text(uint32_t a)
{
	return g_strdup_printf("%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static int unsupported(char **why, char *text)
{
	*why = text;
	return -1;
}

/* ---- FreeBSD: sockstat ---- */

/* FreeBSD's tcpstates[] (netinet/tcp_fsm.h) */
static const char *bsd_state(enum tcp_state s)
{
	static const char *const names[] = {
		[TCP_CLOSED] = "CLOSED", [TCP_LISTEN] = "LISTEN", [TCP_SYN_SENT] = "SYN_SENT",
		[TCP_SYN_RCVD] = "SYN_RCVD", [TCP_ESTABLISHED] = "ESTABLISHED", [TCP_CLOSE_WAIT] = "CLOSE_WAIT",
		[TCP_FIN_WAIT_1] = "FIN_WAIT_1", [TCP_CLOSING] = "CLOSING", [TCP_LAST_ACK] = "LAST_ACK",
		[TCP_FIN_WAIT_2] = "FIN_WAIT_2", [TCP_TIME_WAIT] = "TIME_WAIT",
	};
	return (unsigned)s < TCP_STATE_COUNT ? names[s] : "?";
}

/* sockstat's printaddr(): "*" for INADDR_ANY, ":*" for port 0 */
static char *bsd_addr(uint32_t a, uint16_t port)
{
	char *ip = a ? ip_text(a) : g_strdup("*");
	char *s = port ? g_strdup_printf("%s:%u", ip, port) : g_strdup_printf("%s:*", ip);
	g_free(ip);
	return s;
}

struct sockstat_opts {
	bool c, l, s, q, tcp;
	GArray *ports; /* uint16_t; none: every port */
};

static bool sockstat_ports(const char *spec, GArray *ports)
{
	char **parts = g_strsplit(spec, ",", -1);
	bool ok = true;
	for (char **p = parts; *p && ok; p++) {
		char *end;
		guint64 lo = g_ascii_strtoull(*p, &end, 10), hi = lo;
		if (*end == '-')
			hi = g_ascii_strtoull(end + 1, &end, 10);
		ok = end != *p && !*end && hi <= 65535 && lo <= hi;
		for (guint64 x = lo; ok && x <= hi; x++) {
			uint16_t v = (uint16_t)x;
			g_array_append_val(ports, v);
		}
	}
	g_strfreev(parts);
	return ok;
}

static bool sockstat_parse(char **argv, struct sockstat_opts *o, char **why)
{
	for (char **a = argv + 1; *a; a++) {
		if ((*a)[0] != '-' || !(*a)[1]) {
			*why = g_strdup_printf("sockstat: argument %s", *a);
			return false;
		}
		for (const char *f = *a + 1; *f; f++) {
			switch (*f) {
			case '4': case 'n': case 'w': break;
			case 'c': o->c = true; break;
			case 'l': o->l = true; break;
			case 's': o->s = true; break;
			case 'q': o->q = true; break;
			case 'p':
			case 'P': {
				const char *v = f[1] ? f + 1 : *++a;
				if (!v) {
					*why = g_strdup_printf("sockstat: -%c needs a value", *f);
					return false;
				}
				if (*f == 'p' && !sockstat_ports(v, o->ports)) {
					*why = g_strdup_printf("sockstat: ports %s", v);
					return false;
				}
				if (*f == 'P') {
					char **protos = g_strsplit(v, ",", -1);
					o->tcp = g_strv_contains((const char *const *)protos, "tcp");
					g_strfreev(protos);
				}
				f += strlen(f) - 1;
				break;
			}
			default:
				*why = g_strdup_printf("sockstat: option -%c", *f);
				return false;
			}
		}
	}
	if (!o->c && !o->l)
		o->c = o->l = true;
	return true;
}

static bool port_wanted(const struct sockstat_opts *o, const struct sockdiag_row *r)
{
	if (o->ports->len == 0)
		return true;
	for (guint i = 0; i < o->ports->len; i++) {
		uint16_t p = g_array_index(o->ports, uint16_t, i);
		if (p == r->key.lport || p == r->key.rport)
			return true;
	}
	return false;
}

static void sockstat_row(GString *out, const struct sockstat_opts *o, const struct sockdiag_row *r)
{
	char *l = bsd_addr(r->key.laddr, r->key.lport), *f = bsd_addr(r->key.raddr, r->key.rport);
	if (r->fd >= 0)
		g_string_append_printf(out, "%-8s %-10.10s %5d %-3d ", PROCESS_USER, PROCESS_NAME, PROCESS_PID, r->fd);
	else
		g_string_append_printf(out, "%-8s %-10s %-5s %-3s ", "?", "?", "?", "?");
	g_string_append_printf(out, "tcp4   %-21s %-21s", l, f);
	if (o->s) /* the path state column is SCTP's: blank for TCP */
		g_string_append_printf(out, " %-12s %s", "", bsd_state(r->state));
	g_string_append_c(out, '\n');
	g_free(l);
	g_free(f);
}

/* sockstat(1): the pcbs of the chosen protocols, those with a descriptor
 * first; FreeBSD keeps a connection reset under a still open descriptor
 * as a CLOSED pcb, and a SYN_RCVD child in its syncache, without a
 * descriptor, which tcp_pcblist() lists too (syncache_pcblist()). */
static int sockstat(char **argv, GString *out, const struct pkt_tool_ctx *ctx, char **why)
{
	if (!needs_os(ctx, OS_FREEBSD, "sockstat", why))
		return -1;
	struct sockstat_opts o = {.tcp = true, .ports = g_array_new(FALSE, FALSE, sizeof(uint16_t))};
	if (!sockstat_parse(argv, &o, why)) {
		g_array_free(o.ports, TRUE);
		return -1;
	}
	if (!o.q) {
		g_string_append_printf(out, "%-8s %-10s %-5s %-3s %-6s %-21s %-21s", "USER", "COMMAND", "PID", "FD",
		                       "PROTO", "LOCAL ADDRESS", "FOREIGN ADDRESS");
		if (o.s)
			g_string_append_printf(out, " %-12s %-12s", "PATH STATE", "CONN STATE");
		g_string_append_c(out, '\n');
	}
	GArray *rows = rows_of(ctx);
	for (guint i = 0; o.tcp && i < rows->len; i++) {
		const struct sockdiag_row *r = &g_array_index(rows, struct sockdiag_row, i);
		bool connected = r->key.rport != 0;
		if ((connected ? !o.c : !o.l) || !port_wanted(&o, r))
			continue;
		sockstat_row(out, &o, r);
	}
	g_array_free(rows, TRUE);
	g_array_free(o.ports, TRUE);
	return 0;
}

/* ---- FreeBSD: tcpdrop ---- */

static bool parse_ip(const char *s, uint32_t *a)
{
	char **parts = g_strsplit(s, ".", -1);
	bool ok = g_strv_length(parts) == 4;
	*a = 0;
	for (guint i = 0; ok && i < 4; i++) {
		char *end;
		guint64 b = g_ascii_strtoull(parts[i], &end, 10);
		ok = end != parts[i] && !*end && b <= 255;
		*a = *a << 8 | (uint32_t)b;
	}
	g_strfreev(parts);
	return ok;
}

static bool parse_port(const char *s, uint16_t *p)
{
	char *end;
	guint64 v = g_ascii_strtoull(s, &end, 10);
	*p = (uint16_t)v;
	return end != s && !*end && v > 0 && v <= 65535;
}

/* "ADDR PORT" as two words, or "ADDR:PORT" / "ADDR.PORT" as one */
static bool endpoint(char ***a, uint32_t *ip, uint16_t *port)
{
	char *w = **a;
	if (!w)
		return false;
	char *sep = strrchr(w, ':');
	if (!sep && strchr(w, '.') && strchr(w, '.') != strrchr(w, '.') && !(*a)[1]) {
		sep = strrchr(w, '.');
		char *ipp = g_strndup(w, (size_t)(sep - w));
		bool ok = parse_ip(ipp, ip) && parse_port(sep + 1, port);
		g_free(ipp);
		(*a)++;
		return ok;
	}
	if (sep) {
		char *ipp = g_strndup(w, (size_t)(sep - w));
		bool ok = parse_ip(ipp, ip) && parse_port(sep + 1, port);
		g_free(ipp);
		(*a)++;
		return ok;
	}
	if (!(*a)[1])
		return false;
	bool ok = parse_ip(w, ip) && parse_port((*a)[1], port);
	*a += 2;
	return ok;
}

/* FreeBSD's state names (sys/netinet/tcp_fsm.h tcpstates[]), which
 * tcpdrop -s compares with. */
static const char *bsd_state_name(enum tcp_state s)
{
	static const char *const names[] = {
		[TCP_CLOSED] = "CLOSED", [TCP_LISTEN] = "LISTEN", [TCP_SYN_SENT] = "SYN_SENT",
		[TCP_SYN_RCVD] = "SYN_RCVD", [TCP_ESTABLISHED] = "ESTABLISHED", [TCP_CLOSE_WAIT] = "CLOSE_WAIT",
		[TCP_FIN_WAIT_1] = "FIN_WAIT_1", [TCP_CLOSING] = "CLOSING", [TCP_LAST_ACK] = "LAST_ACK",
		[TCP_FIN_WAIT_2] = "FIN_WAIT_2", [TCP_TIME_WAIT] = "TIME_WAIT",
	};
	return (unsigned)s < TCP_STATE_COUNT ? names[s] : "CLOSED";
}

/* tcpdrop -a, or -s STATE: tcpdropall() drops every connection but the
 * listeners (and those not in STATE, named as tcpstates[] names them). */
static int tcpdrop_all(const char *state, GString *out, const struct pkt_tool_ctx *ctx)
{
	if (!ctx->net)
		return 0;
	GArray *rows = rows_of(ctx);
	for (guint i = 0; i < rows->len; i++) {
		const struct sockdiag_row *r = &g_array_index(rows, struct sockdiag_row, i);
		if (r->state == TCP_LISTEN || r->state == TCP_CLOSED || r->request)
			continue;
		if (state && strcmp(state, bsd_state_name(r->state)) != 0)
			continue;
		if (sockdiag_drop(ctx->net, ctx->role, &r->key, TCP_DROP_BSD, ECONNABORTED)) {
			char *l = ip_text(r->key.laddr), *f = ip_text(r->key.raddr);
			g_string_append_printf(out, "%s %u %s %u: dropped\n", l, r->key.lport, f, r->key.rport);
			g_free(l);
			g_free(f);
		}
	}
	g_array_free(rows, TRUE);
	return 0;
}

/* tcpdrop(8): drops one connection by its 4-tuple, with -a every one but
 * the listeners, with -s STATE (alone or with -a) those in STATE; the
 * kernel's tcp_drop() resets a synchronized one and leaves ECONNABORTED
 * to its user.  A 4-tuple with no connection is "No such process", exit
 * 1; an unknown state name is usage (on stderr), exit 1. */
static int tcpdrop(char **argv, GString *out, const struct pkt_tool_ctx *ctx, char **why)
{
	if (!needs_os(ctx, OS_FREEBSD, "tcpdrop", why))
		return -1;
	bool all = false;
	const char *state = NULL;
	char **o = argv + 1;
	for (; *o && (**o == '-'); o++) {
		if (strcmp(*o, "-a") == 0)
			all = true;
		else if (strcmp(*o, "-s") == 0 && o[1])
			state = *++o;
		else
			return unsupported(why, g_strdup_printf("tcpdrop: the option %s (only -a and -s STATE)", *o));
	}
	if (all || state) {
		if (*o)
			return unsupported(why, g_strdup("tcpdrop: a 4-tuple with -a or -s"));
		for (int s = 0; state && s < TCP_STATE_COUNT; s++)
			if (strcmp(state, bsd_state_name((enum tcp_state)s)) == 0)
				return tcpdrop_all(state, out, ctx);
		if (state) /* warnx("invalid TCP state"), usage(): on stderr */
			return 1;
		return tcpdrop_all(NULL, out, ctx);
	}
	struct conn_key k;
	char **a = argv + 1;
	if (!endpoint(&a, &k.laddr, &k.lport) || !endpoint(&a, &k.raddr, &k.rport) || *a)
		return unsupported(why, g_strdup("tcpdrop: arguments other than a 4-tuple or -a"));
	if (!ctx->net)
		return 0;
	char *l = ip_text(k.laddr), *f = ip_text(k.raddr);
	bool dropped = sockdiag_drop(ctx->net, ctx->role, &k, TCP_DROP_BSD, ECONNABORTED);
	g_string_append_printf(out, "%s %u %s %u: %s\n", l, k.lport, f, k.rport, dropped ? "dropped" : "No such process");
	g_free(l);
	g_free(f);
	return dropped ? 0 : 1;
}

/* ---- Linux: ss ---- */

enum { SS_ESTABLISHED = 1, SS_SYN_SENT, SS_SYN_RECV, SS_FIN_WAIT1, SS_FIN_WAIT2, SS_TIME_WAIT, SS_CLOSE,
       SS_CLOSE_WAIT, SS_LAST_ACK, SS_LISTEN, SS_CLOSING, SS_MAX };
#define SS_ALL ((1 << SS_MAX) - 2)
#define SS_CONN (SS_ALL & ~((1 << SS_LISTEN) | (1 << SS_CLOSE) | (1 << SS_TIME_WAIT) | (1 << SS_SYN_RECV)))

static int ss_state(enum tcp_state s)
{
	static const int map[] = {
		[TCP_CLOSED] = SS_CLOSE, [TCP_LISTEN] = SS_LISTEN, [TCP_SYN_SENT] = SS_SYN_SENT,
		[TCP_SYN_RCVD] = SS_SYN_RECV, [TCP_ESTABLISHED] = SS_ESTABLISHED, [TCP_FIN_WAIT_1] = SS_FIN_WAIT1,
		[TCP_FIN_WAIT_2] = SS_FIN_WAIT2, [TCP_CLOSE_WAIT] = SS_CLOSE_WAIT, [TCP_CLOSING] = SS_CLOSING,
		[TCP_LAST_ACK] = SS_LAST_ACK, [TCP_TIME_WAIT] = SS_TIME_WAIT,
	};
	return (unsigned)s < TCP_STATE_COUNT ? map[s] : SS_CLOSE;
}

/* ss.c sstate_name[] and sstate_namel[] */
static const char *const ss_names[SS_MAX] = {
	[SS_ESTABLISHED] = "ESTAB", [SS_SYN_SENT] = "SYN-SENT", [SS_SYN_RECV] = "SYN-RECV",
	[SS_FIN_WAIT1] = "FIN-WAIT-1", [SS_FIN_WAIT2] = "FIN-WAIT-2", [SS_TIME_WAIT] = "TIME-WAIT",
	[SS_CLOSE] = "UNCONN", [SS_CLOSE_WAIT] = "CLOSE-WAIT", [SS_LAST_ACK] = "LAST-ACK",
	[SS_LISTEN] = "LISTEN", [SS_CLOSING] = "CLOSING",
};
static const char *const ss_words[SS_MAX] = {
	[SS_ESTABLISHED] = "established", [SS_SYN_SENT] = "syn-sent", [SS_SYN_RECV] = "syn-recv",
	[SS_FIN_WAIT1] = "fin-wait-1", [SS_FIN_WAIT2] = "fin-wait-2", [SS_TIME_WAIT] = "time-wait",
	[SS_CLOSE] = "unconnected", [SS_CLOSE_WAIT] = "close-wait", [SS_LAST_ACK] = "last-ack",
	[SS_LISTEN] = "listening", [SS_CLOSING] = "closing",
};

/* ss.c scan_state(); 0 for a word it does not know */
static int ss_scan_state(const char *w)
{
	if (!g_ascii_strcasecmp(w, "close") || !g_ascii_strcasecmp(w, "closed"))
		return 1 << SS_CLOSE;
	if (!g_ascii_strcasecmp(w, "syn-rcv"))
		return 1 << SS_SYN_RECV;
	if (!g_ascii_strcasecmp(w, "listen"))
		return 1 << SS_LISTEN;
	if (!g_ascii_strcasecmp(w, "all"))
		return SS_ALL;
	if (!g_ascii_strcasecmp(w, "connected"))
		return SS_ALL & ~((1 << SS_CLOSE) | (1 << SS_LISTEN));
	if (!g_ascii_strcasecmp(w, "synchronized"))
		return SS_ALL & ~((1 << SS_CLOSE) | (1 << SS_LISTEN) | (1 << SS_SYN_SENT));
	if (!g_ascii_strcasecmp(w, "bucket"))
		return (1 << SS_SYN_RECV) | (1 << SS_TIME_WAIT);
	if (!g_ascii_strcasecmp(w, "big"))
		return SS_ALL & ~((1 << SS_SYN_RECV) | (1 << SS_TIME_WAIT));
	for (int i = 1; i < SS_MAX; i++)
		if (!g_ascii_strcasecmp(w, ss_words[i]))
			return 1 << i;
	return 0;
}

/* One term of ss's filter: [src|dst] ADDR[:PORT], [sport|dport] OP [:]PORT. */
struct ss_term {
	bool dst, is_port;
	uint32_t ip;        /* 0: any */
	int port;           /* -1: any */
	int cmp;            /* port terms: -2 <, -1 <=, 0 ==, 1 >=, 2 >, 3 != */
};

struct ss_opts {
	bool tcp, all, listening, numeric, no_header, kill, users;
	int states;        /* 0: the default */
	GArray *terms;     /* struct ss_term, all must hold */
};

static bool ss_flags(const char *a, struct ss_opts *o, char **why)
{
	if (strcmp(a, "--tcp") == 0 || strcmp(a, "--numeric") == 0 || strcmp(a, "--all") == 0 ||
	    strcmp(a, "--kill") == 0 || strcmp(a, "--listening") == 0 || strcmp(a, "--no-header") == 0) {
		o->tcp |= a[2] == 't';
		o->numeric |= a[2] == 'n' && a[3] == 'u';
		o->all |= a[2] == 'a';
		o->kill |= a[2] == 'k';
		o->listening |= a[2] == 'l';
		o->no_header |= a[2] == 'n' && a[3] == 'o';
		return true;
	}
	for (const char *f = a + 1; *f; f++) {
		switch (*f) {
		case 't': o->tcp = true; break;
		case 'a': o->all = true; break;
		case 'l': o->listening = true; break;
		case 'n': o->numeric = true; break;
		case 'H': o->no_header = true; break;
		case 'K': o->kill = true; break;
		case 'p': o->users = true; break;
		case '4': break;
		default:
			*why = g_strdup_printf("ss: option -%c", *f);
			return false;
		}
	}
	return true;
}

static bool ss_addr_term(const char *w, bool dst, struct ss_term *t)
{
	t->dst = dst;
	t->port = -1;
	const char *colon = strrchr(w, ':');
	char *host = colon ? g_strndup(w, (size_t)(colon - w)) : g_strdup(w);
	bool ok = !*host || strcmp(host, "*") == 0 || parse_ip(host, &t->ip);
	g_free(host);
	if (ok && colon && strcmp(colon + 1, "*") != 0) {
		uint16_t p;
		ok = parse_port(colon + 1, &p);
		t->port = p;
	}
	return ok;
}

static bool ss_port_term(char ***a, bool dst, struct ss_term *t)
{
	static const char *const ops[] = {"<", "<=", "==", ">=", ">", "!=", "lt", "le", "eq", "ge", "gt", "ne", "=",
	                                  NULL};
	static const int cmps[] = {-2, -1, 0, 1, 2, 3, -2, -1, 0, 1, 2, 3, 0};
	char **w = *a;
	t->dst = dst;
	t->is_port = true;
	if (!w[1] || !w[2])
		return false;
	int i = 0;
	while (ops[i] && strcmp(ops[i], w[1]) != 0)
		i++;
	if (!ops[i])
		return false;
	t->cmp = cmps[i];
	uint16_t p;
	if (!parse_port(w[2][0] == ':' ? w[2] + 1 : w[2], &p))
		return false;
	t->port = p;
	*a += 2;
	return true;
}

static bool ss_parse(char **argv, struct ss_opts *o, char **why)
{
	char **a = argv + 1;
	for (; *a && (*a)[0] == '-'; a++)
		if (!ss_flags(*a, o, why))
			return false;
	for (; *a; a++) {
		struct ss_term t = {0};
		if (strcmp(*a, "state") == 0 || strcmp(*a, "exclude") == 0) {
			int s = a[1] ? ss_scan_state(a[1]) : 0;
			if (!s) {
				*why = g_strdup_printf("ss: state %s", a[1] ? a[1] : "(none)");
				return false;
			}
			if (strcmp(*a, "state") == 0)
				o->states |= s;
			else
				o->states = (o->states ? o->states : SS_ALL) & ~s;
			a++;
			continue;
		}
		if (strcmp(*a, "and") == 0 || strcmp(*a, "(") == 0 || strcmp(*a, ")") == 0)
			continue;
		bool ok;
		if (strcmp(*a, "dst") == 0 || strcmp(*a, "src") == 0)
			ok = a[1] && ss_addr_term(a[1], (*a)[0] == 'd', &t) && (a++, true);
		else if (strcmp(*a, "dport") == 0 || strcmp(*a, "sport") == 0)
			ok = ss_port_term(&a, (*a)[0] == 'd', &t);
		else
			ok = false;
		if (!ok) {
			*why = g_strdup_printf("ss: the filter at `%s` (state, exclude, src, dst, sport, dport, and)", *a);
			return false;
		}
		g_array_append_val(o->terms, t);
	}
	if (!o->tcp) {
		*why = g_strdup("ss without -t lists every kind of socket of the machine");
		return false;
	}
	if (!o->numeric) {
		*why = g_strdup("ss without -n names ports from /etc/services");
		return false;
	}
	if (o->kill && o->terms->len == 0 && !o->states) {
		*why = g_strdup("ss -K without a filter");
		return false;
	}
	return true;
}

static bool ss_port_holds(const struct ss_term *t, int port)
{
	switch (t->cmp) {
	case -2: return port < t->port;
	case -1: return port <= t->port;
	case 1: return port >= t->port;
	case 2: return port > t->port;
	case 3: return port != t->port;
	default: return port == t->port;
	}
}

static bool ss_match(const struct ss_opts *o, const struct sockdiag_row *r, int states)
{
	if (!(states & (1 << ss_state(r->state))) || r->state == TCP_CLOSED)
		return false; /* a closed socket is in no table sock_diag walks */
	for (guint i = 0; i < o->terms->len; i++) {
		const struct ss_term *t = &g_array_index(o->terms, struct ss_term, i);
		uint32_t ip = t->dst ? r->key.raddr : r->key.laddr;
		int port = t->dst ? r->key.rport : r->key.lport;
		if (t->is_port ? !ss_port_holds(t, port) : ((t->ip && t->ip != ip) || (t->port >= 0 && t->port != port)))
			return false;
	}
	return true;
}

static char *ss_addr(uint32_t a, uint16_t port)
{
	char *ip = ip_text(a);
	char *s = port ? g_strdup_printf("%s:%u", ip, port) : g_strdup_printf("%s:*", ip);
	g_free(ip);
	return s;
}

static void ss_row(GString *out, const struct ss_opts *o, bool state_col, const struct sockdiag_row *r)
{
	char *l = ss_addr(r->key.laddr, r->key.lport), *f = ss_addr(r->key.raddr, r->key.rport);
	if (state_col)
		g_string_append_printf(out, "%-10s ", ss_names[ss_state(r->state)]);
	g_string_append_printf(out, "%-6u %-6u %-25s %-25s", r->recv_q, r->send_q, l, f);
	if (o->users && r->fd >= 0)
		g_string_append_printf(out, " users:((\"%s\",pid=%d,fd=%d))", PROCESS_NAME, PROCESS_PID, r->fd);
	g_string_append_c(out, '\n');
	g_free(l);
	g_free(f);
}

/* ss(8) -t: the sockets sock_diag finds (listeners, connections, TIME_WAIT
 * and request sockets), by default all but LISTEN, TIME-WAIT and SYN-RECV;
 * with -K each one listed is killed (tcp_abort()).  The State column only
 * when more than one state can show. */
static int ss(char **argv, GString *out, const struct pkt_tool_ctx *ctx, char **why)
{
	if (!needs_os(ctx, OS_LINUX, "ss", why))
		return -1;
	struct ss_opts o = {.terms = g_array_new(FALSE, TRUE, sizeof(struct ss_term))};
	if (!ss_parse(argv, &o, why)) {
		g_array_free(o.terms, TRUE);
		return -1;
	}
	int states = o.states ? o.states : o.all ? SS_ALL : o.listening ? (1 << SS_LISTEN) | (1 << SS_CLOSE) : SS_CONN;
	bool state_col = (states & (states - 1)) != 0;
	if (!o.no_header)
		g_string_append_printf(out, "%s%-6s %-6s %-25s %-25s%s\n", state_col ? "State      " : "", "Recv-Q",
		                       "Send-Q", "Local Address:Port", "Peer Address:Port", o.users ? " Process" : "");
	GArray *rows = rows_of(ctx);
	for (guint pass = 0; pass < 2; pass++) /* the listeners' table, then the connections' */
		for (guint i = 0; i < rows->len; i++) {
			const struct sockdiag_row *r = &g_array_index(rows, struct sockdiag_row, i);
			if ((r->state == TCP_LISTEN) != (pass == 0) || !ss_match(&o, r, states))
				continue;
			ss_row(out, &o, state_col, r);
			if (o.kill && r->state != TCP_LISTEN)
				sockdiag_drop(ctx->net, ctx->role, &r->key, r->request ? TCP_DROP_SILENT : TCP_DROP_ABORT,
				              ECONNABORTED);
		}
	g_array_free(rows, TRUE);
	g_array_free(o.terms, TRUE);
	return 0;
}

/* ---- the filters ---- */

/* POSIX basic regular expressions as PCRE: + ? | ( ) { } are literal
 * there; a backslashed operator (GNU's \| \( ...) is not taken. */
static char *bre_to_pcre(const char *p, char **why)
{
	GString *s = g_string_new(NULL);
	for (; *p; p++) {
		if (*p == '\\') {
			if (!p[1] || strchr("|(){}+?", p[1]) || g_ascii_isalpha(p[1])) {
				*why = g_strdup_printf("grep: the pattern's \\%c", p[1]);
				g_string_free(s, TRUE);
				return NULL;
			}
			g_string_append_c(s, '\\');
			g_string_append_c(s, *++p);
		} else if (strchr("+?|(){}", *p)) {
			g_string_append_c(s, '\\');
			g_string_append_c(s, *p);
		} else {
			g_string_append_c(s, *p);
		}
	}
	return g_string_free(s, FALSE);
}

struct grep_opts {
	bool quiet, invert, count, icase, word, line, ere, fixed;
	const char *pattern;
};

static bool grep_parse(char **argv, struct grep_opts *o, char **why)
{
	char **a = argv + 1;
	for (; *a && (*a)[0] == '-' && (*a)[1]; a++) {
		if (strcmp(*a, "--") == 0) {
			a++;
			break;
		}
		for (const char *f = *a + 1; *f; f++) {
			if (*f == 'e') { /* -e PATTERN, -ePATTERN */
				o->pattern = f[1] ? f + 1 : a[1] ? *++a : NULL;
				if (!o->pattern) {
					*why = g_strdup("grep: -e without a pattern");
					return false;
				}
				break;
			}
			switch (*f) {
			case 'q': o->quiet = true; break;
			case 'v': o->invert = true; break;
			case 'c': o->count = true; break;
			case 'i': o->icase = true; break;
			case 'w': o->word = true; break;
			case 'x': o->line = true; break;
			case 'E': o->ere = true; break;
			case 'F': o->fixed = true; break;
			default:
				*why = g_strdup_printf("grep: option -%c", *f);
				return false;
			}
		}
	}
	if (!o->pattern && *a)
		o->pattern = *a++;
	if (!o->pattern || *a) {
		*why = g_strdup(o->pattern ? "grep: files to read (it reads the pipe)" : "grep: no pattern");
		return false;
	}
	return true;
}

static GRegex *grep_regex(const struct grep_opts *o, char **why)
{
	char *base = o->fixed ? g_regex_escape_string(o->pattern, -1) : o->ere ? g_strdup(o->pattern)
	                                                                        : bre_to_pcre(o->pattern, why);
	if (!base)
		return NULL;
	char *full = o->line ? g_strdup_printf("^(?:%s)$", base)
	             : o->word ? g_strdup_printf("(?<![[:alnum:]_])(?:%s)(?![[:alnum:]_])", base)
	                       : g_strdup(base);
	GRegex *re = g_regex_new(full, o->icase ? G_REGEX_CASELESS : 0, 0, NULL);
	if (!re)
		*why = g_strdup_printf("grep: the pattern %s", o->pattern);
	g_free(base);
	g_free(full);
	return re;
}

/* grep: the lines that match; exit 0 when any was selected, else 1. */
static int grep(char **argv, const char *in, GString *out, char **why)
{
	struct grep_opts o = {0};
	if (!grep_parse(argv, &o, why))
		return -1;
	if (!in)
		return unsupported(why, g_strdup("grep with nothing piped into it"));
	GRegex *re = grep_regex(&o, why);
	if (!re)
		return -1;
	char **lines = g_strsplit(in, "\n", -1);
	unsigned n = 0;
	for (char **l = lines; *l; l++) {
		if (!l[1] && !**l)
			break; /* after the last newline */
		if (g_regex_match(re, *l, 0, NULL) == o.invert)
			continue;
		n++;
		if (!o.quiet && !o.count)
			g_string_append_printf(out, "%s\n", *l);
	}
	if (o.count && !o.quiet)
		g_string_append_printf(out, "%u\n", n);
	g_strfreev(lines);
	g_regex_unref(re);
	return n ? 0 : 1;
}

/* awk '{print $N, ...}': only that program. */
static int awk(char **argv, const char *in, GString *out, char **why)
{
	if (!argv[1] || argv[2])
		return unsupported(why, g_strdup("awk: only a program, '{print $N}'"));
	char *prog = g_strstrip(g_strdup(argv[1]));
	GArray *fields = g_array_new(FALSE, FALSE, sizeof(int)); /* 0: the line, -1: $NF */
	bool ok = g_str_has_prefix(prog, "{") && g_str_has_suffix(prog, "}");
	if (ok) {
		char *body = g_strstrip(g_strndup(prog + 1, strlen(prog) - 2));
		ok = g_str_has_prefix(body, "print");
		char **items = ok ? g_strsplit(body + 5, ",", -1) : NULL;
		for (char **it = items; ok && *it; it++) {
			char *f = g_strstrip(*it);
			char *end;
			int v = strcmp(f, "$NF") == 0 ? -1 : (int)g_ascii_strtoll(f + 1, &end, 10);
			ok = f[0] == '$' && (v == -1 || (end != f + 1 && !*end && v >= 0));
			g_array_append_val(fields, v);
		}
		if (ok && items && !items[0]) {
			int all = 0;
			g_array_append_val(fields, all);
		}
		g_strfreev(items);
		g_free(body);
	}
	g_free(prog);
	if (!ok) {
		g_array_free(fields, TRUE);
		return unsupported(why, g_strdup_printf("awk: the program %s (only '{print $N, ...}')", argv[1]));
	}
	char **lines = g_strsplit(in ? in : "", "\n", -1);
	for (char **l = lines; *l; l++) {
		if (!l[1] && !**l)
			break;
		char **w = g_strsplit_set(g_strstrip(*l), " \t", -1);
		GPtrArray *nonempty = g_ptr_array_new();
		for (char **x = w; *x; x++)
			if (**x)
				g_ptr_array_add(nonempty, *x);
		for (guint i = 0; i < fields->len; i++) {
			int f = g_array_index(fields, int, i);
			const char *v = f == 0 ? *l : f == -1 ? (nonempty->len ? nonempty->pdata[nonempty->len - 1] : "")
			                : (guint)f <= nonempty->len ? nonempty->pdata[f - 1] : "";
			g_string_append_printf(out, "%s%s", i ? " " : "", v);
		}
		g_string_append_c(out, '\n');
		g_ptr_array_free(nonempty, TRUE);
		g_strfreev(w);
	}
	g_strfreev(lines);
	g_array_free(fields, TRUE);
	return 0;
}

/* wc -l: the number of lines. */
static int wc(char **argv, const char *in, GString *out, char **why)
{
	if (!argv[1] || strcmp(argv[1], "-l") != 0 || argv[2])
		return unsupported(why, g_strdup("wc: only -l"));
	unsigned n = 0;
	for (const char *p = in ? in : ""; *p; p++)
		n += *p == '\n';
	g_string_append_printf(out, "%u\n", n);
	return 0;
}

bool pkt_tool_known(const char *name)
{
	static const char *const tools[] = {"sockstat", "tcpdrop", "ss", "grep", "awk", "wc", NULL};
	return g_strv_contains(tools, name);
}

int pkt_tool_run(char **argv, const char *in, GString *out, const struct pkt_tool_ctx *ctx, char **why)
{
	const char *name = argv[0];
	if (strcmp(name, "sockstat") == 0)
		return sockstat(argv, out, ctx, why);
	if (strcmp(name, "tcpdrop") == 0)
		return tcpdrop(argv, out, ctx, why);
	if (strcmp(name, "ss") == 0)
		return ss(argv, out, ctx, why);
	if (strcmp(name, "grep") == 0)
		return grep(argv, in, out, why);
	if (strcmp(name, "awk") == 0)
		return awk(argv, in, out, why);
	if (strcmp(name, "wc") == 0)
		return wc(argv, in, out, why);
	return unsupported(why, g_strdup_printf("`%s`: a command tcpsim does not know", name));
}
