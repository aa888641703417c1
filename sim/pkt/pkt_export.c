/*
 * --pkt ENDPOINT:FILE: a run as one endpoint lived it, written as a
 * packetdrill script (the other way round from pkt_run.c).
 *
 * The endpoint's system calls become syscall lines (a call that waited
 * is written START...END), the segments that reached its interface become
 * inbound '<' lines, the ones it sent outbound '>' lines, at their times,
 * with sequence numbers relative to each side's ISN and the options as
 * the wire carried them.  `tcpsim pkt` replays it against the model, and
 * packetdrill against a real kernel, which then has to answer as the
 * model did.
 *
 * Order.  A program makes its next call when its previous one returns,
 * so a call's line goes right after its predecessor's return among the
 * events, whatever it waited for meanwhile; packets keep the order in
 * which they were seen.
 *
 * Connections.  An endpoint's connections one after another are one
 * script, as a packetdrill script does socket()/connect()/.../close()
 * again: each connection's numbers are relative to its own ISNs (the
 * replay learns the endpoint's at each SYN it checks, and the peer's are
 * the script's own), and a segment of an earlier connection on the same
 * ports that arrives during the next one (an old duplicate) is written
 * relative to the next one, which is the connection that receives it.
 * The script's peer has one port (pkt_run.c: 8080 for an active open,
 * 45000 for a passive one) and the replay sends to and watches the latest
 * connection only (packetdrill's socket under test), so connections with
 * several peer ports, and a connection whose segments go on after the
 * next one began, are refused.
 *
 * A [faults] kill entry is written as what it is, a `ss -K` from outside
 * at its time, with a filter that lists every connection of the endpoint.
 *
 * Limits (the script says so in its first lines, and a run that breaks
 * them is refused): the above; select(), sleep() and the signal calls are
 * not written (they move no byte; the times of the next lines keep their
 * effect); the peer's payload bytes are zeros on replay; a config's own
 * ephemeral port range is written as each socket's IP_LOCAL_PORT_RANGE.
 */
#include <stdio.h>
#include <string.h>
#include "sim/escape.h"
#include "sim/out/outfile.h"
#include "sim/pkt/pkt_export.h"
#include "sim/pkt/pkt_runner.h"
#include "sim/world/net.h"

struct line {
	double key;      /* the order of the script */
	sim_time t;      /* its time (a blocking call: its start) */
	sim_time t_end;  /* a blocking call's return, else -1 */
	char *text;      /* after the time */
};

/* The bases of the script's numbers for the connection being written
 * (packetdrill's convention: the endpoint's sequence numbers relative to
 * the ISN of its latest SYN or SYN-ACK, which the replay learns there,
 * pkt_packet_check(); the peer's are the script's own, counted here from
 * the ISN of the peer's SYN of the connection), and its ports. */
struct conn {
	bool known;                  /* a SYN began one */
	uint16_t lport, rport;       /* the endpoint's port, the peer's */
	bool own_isn_known, peer_isn_known;
	uint32_t own_isn, peer_isn;  /* the bases */
	uint32_t own_syn, peer_syn;  /* the latest SYN's sequence number each way */
	bool own_syn_seen, peer_syn_seen;
};

struct pkt_export {
	struct outfile *of;
	enum net_role role;
	const struct config *cfg;
	uint64_t run;                /* the run's index */
	GArray *lines;               /* struct line */
	uint64_t seen;               /* events seen: the order of packets */
	double prev_call;            /* the key of the endpoint's last call's return */
	struct conn cur;             /* the connection being written */
	GArray *past;                /* uint32_t: the ports (tuple_key()) of the earlier ones */
	GHashTable *rports;          /* the peer's ports of the connections */
	GHashTable *alive;           /* the endpoint's connections (conn_id) not CLOSED */
	GHashTable *tuples;          /* conn_id -> tuple_key(), from the segments it sent */
	char *refused;               /* why the run cannot be a script, or NULL */
	int bind_line;               /* the line of bind(), -1 none */
	int bind_port;               /* the port it bound */
	int peer_dport;              /* the port the peer's first segment went to, -1 none */
	GHashTable *open_fds;        /* the descriptors socket() and accept() gave, not closed */
	bool port_range;             /* IP_LOCAL_PORT_RANGE lines stand for the config's range */
};

#define PKT_DEFAULT_PORT_LO 32768 /* the replay host's ephemeral ports (Linux ip_local_port_range) */
#define PKT_DEFAULT_PORT_HI 60999

/* The first reason a run cannot be a script wins. */
static void refuse(struct pkt_export *x, char *why)
{
	if (x->refused)
		g_free(why);
	else
		x->refused = why;
}

static void add_line(struct pkt_export *x, double key, sim_time t, sim_time t_end, char *text)
{
	struct line l = {key, t, t_end, text};
	g_array_append_val(x->lines, l);
}

/* ---- packets ---- */

static uint32_t tuple_key(uint16_t lport, uint16_t rport)
{
	return (uint32_t)lport << 16 | rport;
}

static bool is_past_tuple(const struct pkt_export *x, uint32_t key)
{
	for (guint i = 0; i < x->past->len; i++)
		if (g_array_index(x->past, uint32_t, i) == key)
			return true;
	return false;
}

/* Whether the endpoint still holds an earlier connection on these ports
 * (TIME_WAIT, say) when a new one (conn_id self, 0: none yet) begins on
 * them. */
static bool holds_tuple(const struct pkt_export *x, uint32_t key, uint64_t self)
{
	GHashTableIter it;
	gpointer id;
	g_hash_table_iter_init(&it, x->alive);
	while (g_hash_table_iter_next(&it, &id, NULL))
		if (id != GSIZE_TO_POINTER(self) && g_hash_table_contains(x->tuples, id) &&
		    GPOINTER_TO_UINT(g_hash_table_lookup(x->tuples, id)) == key)
			return true;
	return false;
}

/* A SYN that begins a connection: the endpoint's own with a new ISN (an
 * active open), or the peer's with a new one (a passive open).  A
 * script's peer has one port (8080 for an active open, 45000 for a
 * passive one, pkt_run.c), so every connection must have the same peer
 * port; the endpoint's own port the replay learns from its SYN. */
static void begin_conn(struct pkt_export *x, uint16_t lport, uint16_t rport, uint64_t self)
{
	uint32_t key = tuple_key(lport, rport);
	if (x->cur.known && !is_past_tuple(x, tuple_key(x->cur.lport, x->cur.rport)))
		g_array_append_val(x->past, (uint32_t){tuple_key(x->cur.lport, x->cur.rport)});
	/* The peer's numbers restart with each connection, except when the
	 * endpoint still holds the previous one on the same ports: there the
	 * new SYN is checked against the old connection's numbers (Linux
	 * tcp_timewait_state_process(): a SYN after rcv_nxt reopens a
	 * TIME_WAIT), so they go on. */
	bool keep_peer_base = x->cur.known && x->cur.lport == lport && x->cur.rport == rport &&
	                      holds_tuple(x, key, self);
	x->cur.known = true;
	x->cur.lport = lport;
	x->cur.rport = rport;
	if (!keep_peer_base)
		x->cur.peer_isn_known = false;
	g_hash_table_add(x->rports, GUINT_TO_POINTER(rport));
}

/* Follows the connections: their SYNs give the bases of their numbers. */
static void learn(struct pkt_export *x, const struct net_packet_event *e, uint16_t lport, uint16_t rport)
{
	const struct tcp_seg *t = &e->pv->tcp;
	if (!(t->flags & TCP_SYN))
		return;
	struct conn *c = &x->cur;
	bool same_ports = c->known && c->lport == lport && c->rport == rport;
	bool pure_syn = !(t->flags & TCP_ACK);
	if (e->outgoing) {
		bool new_isn = !c->own_syn_seen || t->seq != c->own_syn || !same_ports;
		if (pure_syn && new_isn)
			begin_conn(x, lport, rport, e->conn_id);
		c->own_syn = t->seq;
		c->own_syn_seen = true;
		c->own_isn = t->seq; /* the replay learns it at every SYN it checks */
		c->own_isn_known = true;
		return;
	}
	bool new_isn = !c->peer_syn_seen || t->seq != c->peer_syn || !same_ports;
	if (pure_syn && new_isn)
		begin_conn(x, lport, rport, 0);
	if (new_isn && !c->peer_isn_known) {
		c->peer_isn = t->seq;
		c->peer_isn_known = true;
	}
	c->peer_syn = t->seq;
	c->peer_syn_seen = true;
}

/* A segment of an earlier connection on other ports, seen after the next
 * one began: the replay sends and watches only the latest connection's
 * ports (packetdrill's socket under test), so it cannot be written. */
static void check_overlap(struct pkt_export *x, uint16_t lport, uint16_t rport)
{
	uint32_t key = tuple_key(lport, rport);
	if (!x->cur.known || key == tuple_key(x->cur.lport, x->cur.rport) || !is_past_tuple(x, key))
		return;
	refuse(x, g_strdup_printf("the %s's connection from port %u to port %u exchanged segments after "
	                          "its next connection (from port %u) began; a script follows one "
	                          "connection at a time", net_role_name(x->role), lport, rport,
	                          x->cur.lport));
}

static void sink_packet(void *self, const struct net_packet_event *e)
{
	struct pkt_export *x = self;
	x->seen++;
	if (e->at == x->role && e->outgoing && !net_packet_on_wire(e))
		refuse(x, g_strdup_printf("the %s's segments never reached the wire (no ARP reply); a script's "
		                          "peer always answers", net_role_name(x->role)));
	if (e->at != x->role || e->pv->kind == PACKET_ARP || !net_packet_on_wire(e))
		return;
	if (!e->outgoing && e->pv->kind == PACKET_TCP && x->peer_dport < 0)
		x->peer_dport = e->pv->tcp.dport;
	const struct tcp_seg *t = &e->pv->tcp;
	/* an ICMP error quotes the endpoint's own segment */
	bool own_ports = e->outgoing || e->pv->kind == PACKET_ICMP_UNREACH;
	uint16_t lport = own_ports ? t->sport : t->dport, rport = own_ports ? t->dport : t->sport;
	if (e->outgoing && e->pv->kind == PACKET_TCP && e->conn_id)
		g_hash_table_insert(x->tuples, GSIZE_TO_POINTER(e->conn_id),
		                    GUINT_TO_POINTER(tuple_key(lport, rport)));
	GString *s = g_string_new(e->outgoing ? "> " : "< ");
	if (e->pv->kind == PACKET_ICMP_UNREACH) {
		check_overlap(x, lport, rport);
		uint32_t seq = t->seq - x->cur.own_isn;
		g_string_append_printf(s, "[%u:%u(%u)] icmp unreachable %s", seq, seq, 0u,
		                       e->pv->icmp_code == 0 ? "net_unreachable" : "host_unreachable");
		add_line(x, (double)x->seen, e->t, -1, g_string_free(s, FALSE));
		return;
	}
	learn(x, e, lport, rport);
	check_overlap(x, lport, rport);
	char *seg = e->outgoing ? pkt_segment_text(e->pv, x->cur.own_isn, x->cur.peer_isn, 0)
	                        : pkt_segment_text(e->pv, x->cur.peer_isn, x->cur.own_isn, 0);
	g_string_append(s, seg);
	g_free(seg);
	add_line(x, (double)x->seen, e->t, -1, g_string_free(s, FALSE));
}

/* The endpoint's connections that are not CLOSED (holds_tuple()); the
 * segment that ends one (the last ACK into a TIME_WAIT of no length)
 * comes after its state, so this is told by the states alone. */
static void sink_state(void *self, const struct net_state_event *e)
{
	struct pkt_export *x = self;
	if (e->role != x->role)
		return;
	if (e->to == TCP_CLOSED)
		g_hash_table_remove(x->alive, GSIZE_TO_POINTER(e->conn_id));
	else
		g_hash_table_add(x->alive, GSIZE_TO_POINTER(e->conn_id));
}

/* ---- calls: strace's line as packetdrill writes the call ---- */

/* The arguments of "name(a, b, c) = ..." split at the commas outside
 * quotes, braces and brackets. */
static GPtrArray *call_args(const char *text)
{
	GPtrArray *v = g_ptr_array_new_with_free_func(g_free);
	const char *p = strchr(text, '(');
	if (!p)
		return v;
	int depth = 0;
	bool quoted = false;
	const char *start = ++p;
	for (; *p; p++) {
		if (quoted) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				quoted = false;
			continue;
		}
		if (*p == '"')
			quoted = true;
		else if (*p == '(' || *p == '[' || *p == '{')
			depth++;
		else if ((*p == ')' || *p == ']' || *p == '}') && depth > 0)
			depth--;
		else if ((*p == ',' && depth == 0) || (*p == ')' && depth == 0)) {
			g_ptr_array_add(v, g_strstrip(g_strndup(start, (size_t)(p - start))));
			if (*p == ')')
				break;
			start = p + 1;
		}
	}
	return v;
}

static const char *arg_at(GPtrArray *a, guint i)
{
	return i < a->len ? g_ptr_array_index(a, i) : "...";
}

/* The number after "name=" in text, or -1. */
static long long field_value(const char *text, const char *name)
{
	const char *p = strstr(text, name);
	return p ? g_ascii_strtoll(p + strlen(name), NULL, 10) : -1;
}

/* "{l_onoff=1, l_linger=0}" -> "{onoff=1, linger=0}" */
static char *linger_text(const char *v)
{
	if (!g_str_has_prefix(v, "{l_onoff="))
		return NULL;
	return g_strdup_printf("{onoff=%lld, linger=%lld}", field_value(v, "l_onoff="),
	                       field_value(v, "l_linger="));
}

/* The call in packetdrill's words, without its result; NULL for a call a
 * script does not write. */
static char *call_text(const char *name, GPtrArray *a)
{
	if (strcmp(name, "socket") == 0)
		return g_strdup_printf("socket(..., %s, %s)", arg_at(a, 1),
		                       strcmp(arg_at(a, 2), "IPPROTO_IP") == 0 ? "IPPROTO_TCP" : arg_at(a, 2));
	if (strcmp(name, "bind") == 0 || strcmp(name, "connect") == 0 || strcmp(name, "accept") == 0 ||
	    strcmp(name, "getpeername") == 0 || strcmp(name, "getsockname") == 0)
		return g_strdup_printf("%s(%s, ..., ...)", name, arg_at(a, 0));
	if (strcmp(name, "accept4") == 0)
		return g_strdup_printf("accept4(%s, ..., ..., %s)", arg_at(a, 0), arg_at(a, a->len - 1));
	if (strcmp(name, "read") == 0 || strcmp(name, "write") == 0)
		return g_strdup_printf("%s(%s, ..., %s)", name, arg_at(a, 0), arg_at(a, 2));
	if (strcmp(name, "recv") == 0 || strcmp(name, "send") == 0)
		return g_strdup_printf("%s(%s, ..., %s, %s)", name, arg_at(a, 0), arg_at(a, 2), arg_at(a, 3));
	if (strcmp(name, "setsockopt") == 0) {
		char *l = linger_text(arg_at(a, 3));
		int len = l ? 8 : g_str_has_prefix(arg_at(a, 3), "{tv_sec") ? 16 : 4; /* the struct's size */
		char *s = g_strdup_printf("setsockopt(%s, %s, %s, %s, %d)", arg_at(a, 0), arg_at(a, 1),
		                          arg_at(a, 2), l ? l : arg_at(a, 3), len);
		g_free(l);
		return s;
	}
	if (strcmp(name, "getsockopt") == 0)
		return g_strdup_printf("getsockopt(%s, %s, %s, %s, [4])", arg_at(a, 0), arg_at(a, 1),
		                       arg_at(a, 2), arg_at(a, 3));
	if (strcmp(name, "listen") == 0 || strcmp(name, "close") == 0 || strcmp(name, "shutdown") == 0 ||
	    strcmp(name, "fcntl") == 0 || strcmp(name, "ioctl") == 0) {
		GString *s = g_string_new(name);
		g_string_append_c(s, '(');
		for (guint i = 0; i < a->len; i++)
			g_string_append_printf(s, "%s%s", i ? ", " : "", arg_at(a, i));
		g_string_append_c(s, ')');
		return g_string_free(s, FALSE);
	}
	return NULL;
}

/* A script names a descriptor only from the socket() or accept() that
 * returned it to its close() (packetdrill's script fds, run_system_call.c
 * to_live_fd()): a call on any other fails the script there, on a kernel
 * as on the model, so such a run is no script.  Calls on the standard
 * descriptors (a program printing what it read) touch no socket and are
 * not written, as select() is not.  false: the call is not written. */
static bool track_fds(struct pkt_export *x, const struct net_call_event *e, GPtrArray *a)
{
	bool opens = strcmp(e->name, "socket") == 0 || strcmp(e->name, "accept") == 0 ||
	             strcmp(e->name, "accept4") == 0;
	if (strcmp(e->name, "socket") != 0) {
		char *end = NULL;
		long long fd = g_ascii_strtoll(arg_at(a, 0), &end, 10);
		bool known = g_hash_table_contains(x->open_fds, GINT_TO_POINTER((int)fd));
		if (end && *end == '\0' && !known && fd >= 0 && fd <= 2)
			return false;
		if (end && *end == '\0' && !known)
			refuse(x, g_strdup_printf("the %s's %s() names fd %lld, which no socket() or accept() "
			                          "of it gave (or which it closed); a script knows a descriptor "
			                          "only from its socket() or accept() to its close()",
			                          net_role_name(x->role), e->name, fd));
		if (strcmp(e->name, "close") == 0)
			g_hash_table_remove(x->open_fds, GINT_TO_POINTER((int)fd));
	}
	if (opens && e->ret >= 0)
		g_hash_table_add(x->open_fds, GINT_TO_POINTER((int)e->ret));
	return true;
}

/* The host's ephemeral port range of a config (its ephemeral_ports) is
 * not the replay's, whose host has the default 32768-60999: the socket's
 * own range (IP_LOCAL_PORT_RANGE, Linux 6.3 do_ip_setsockopt(); the
 * lower 16 bits the low end), set right after socket(), picks its ports
 * from the same range, so that a connect() that found them all taken
 * (EADDRNOTAVAIL) fails on replay too.  A port bound explicitly is not
 * taken from the range, on the host as on the socket. */
static void add_port_range(struct pkt_export *x, double key, sim_time t, long fd)
{
	const struct endpoint_config *ep = x->role == NET_CLIENT ? &x->cfg->client : &x->cfg->server;
	if (ep->ports[0] == PKT_DEFAULT_PORT_LO && ep->ports[1] == PKT_DEFAULT_PORT_HI)
		return;
	add_line(x, key + 0.25, t, -1,
	         g_strdup_printf("setsockopt(%ld, SOL_IP, IP_LOCAL_PORT_RANGE, [0x%08x], 4) = 0", fd,
	                         (uint32_t)ep->ports[1] << 16 | ep->ports[0]));
	x->port_range = true;
}

static void sink_call(void *self, const struct net_call_event *e)
{
	struct pkt_export *x = self;
	x->seen++;
	if (e->role != x->role)
		return;
	if (strcmp(e->name, "kill") == 0) { /* a [faults] kill entry (sockdiag.c): no call of the program */
		/* every connection of the endpoint, all with the script's one
		 * peer, TIME_WAIT too (-a: ss lists none by default): what Linux's
		 * ss -K does with that filter (tcp_abort()),
		 * in time among the packets */
		if (e->ret > 0)
			add_line(x, (double)x->seen, e->t, -1,
			         g_strdup("`ss -K -atn dst " PKT_REMOTE_ADDR " > /dev/null`"));
		return;
	}
	double key = x->prev_call + 0.5;
	x->prev_call = (double)x->seen;
	if (!e->text)
		return;
	if (strcmp(e->name, "crash") == 0 || strcmp(e->name, "reboot") == 0)
		refuse(x, g_strdup_printf("the %s crashed; a script has no crash", net_role_name(x->role)));
	if (strcmp(e->name, "signal") == 0 || strcmp(e->name, "sigaction") == 0 ||
	    strcmp(e->name, "alarm") == 0 || g_str_has_prefix(e->text, "---"))
		refuse(x, g_strdup_printf("the %s's program uses signals; a script has none",
		                          net_role_name(x->role)));
	const char *colon = strchr(e->text, ':'); /* bind(3, {0.0.0.0:7777}) */
	if (strcmp(e->name, "bind") == 0 && colon) {
		x->bind_port = (int)g_ascii_strtoll(colon + 1, NULL, 10);
		x->bind_line = (int)x->lines->len;
	}
	GPtrArray *a = call_args(e->text);
	char *call = call_text(e->name, a);
	if (call && !track_fds(x, e, a)) {
		g_free(call);
		call = NULL;
	}
	g_ptr_array_free(a, TRUE);
	if (!call)
		return; /* select, sleep, signals, exit: nothing a script writes */
	GString *s = g_string_new(call);
	g_free(call);
	g_string_append_printf(s, " = %ld", e->ret);
	if (e->ret < 0)
		g_string_append_printf(s, " %s (%s)", net_errno_name(e->err), g_strerror(e->err));
	add_line(x, key, e->t - e->blocked, e->waited ? e->t : -1, g_string_free(s, FALSE));
	if (strcmp(e->name, "socket") == 0 && e->ret >= 0)
		add_port_range(x, key, e->t, e->ret);
}

/* ---- the file ---- */

/* A script must not end while a call blocks (packetdrill fails it in
 * syscalls_free()): when the last blocking call returns after the last
 * line, a read-only call on its socket at that time ends the script. */
static void end_after_blocking_calls(struct pkt_export *x)
{
	sim_time last = 0, ret = -1;
	const char *call = NULL;
	for (guint i = 0; i < x->lines->len; i++) {
		const struct line *l = &g_array_index(x->lines, struct line, i);
		last = l->t > last ? l->t : last;
		if (l->t_end > ret) {
			ret = l->t_end;
			call = l->text;
		}
	}
	const char *paren = call ? strchr(call, '(') : NULL;
	if (ret <= last || !paren)
		return;
	long long fd = g_ascii_strtoll(paren + 1, NULL, 10);
	double key = g_array_index(x->lines, struct line, x->lines->len - 1).key + 1;
	add_line(x, key, ret, -1, g_strdup_printf("getsockopt(%lld, SOL_SOCKET, SO_TYPE, [1], [4]) = 0", fd));
}

static gint by_key(gconstpointer a, gconstpointer b)
{
	const struct line *x = a, *y = b;
	return x->key < y->key ? -1 : x->key > y->key;
}

static void free_export(struct pkt_export *x)
{
	for (guint i = 0; i < x->lines->len; i++)
		g_free(g_array_index(x->lines, struct line, i).text);
	g_array_free(x->lines, TRUE);
	g_hash_table_destroy(x->open_fds);
	g_array_free(x->past, TRUE);
	g_hash_table_destroy(x->rports);
	g_hash_table_destroy(x->alive);
	g_hash_table_destroy(x->tuples);
	g_free(x->refused);
	g_free(x);
}

static bool sink_commit(void *self, const struct sink_end *end, GError **error)
{
	struct pkt_export *x = self;
	uint64_t waits = end->net ? net_role_stats(end->net, x->role)->tsq_waits : 0;
	if (waits) /* packetdrill's tun device sends at once: no kernel would wait so */
		refuse(x, g_strdup_printf("the %s's data waited %llu time%s for its interface to send "
		                          "what it held (TCP small queues); a script's tun device sends "
		                          "at once", net_role_name(x->role), (unsigned long long)waits,
		                          waits == 1 ? "" : "s"));
	if (x->bind_line >= 0 && x->peer_dport >= 0 && x->bind_port != x->peer_dport) {
		/* the peer came to another port than the one bound: say which */
		struct line *l = &g_array_index(x->lines, struct line, x->bind_line);
		char *eq = strstr(l->text, ", ..., ...)");
		if (eq) {
			char *fixed = g_strdup_printf("%.*s, {sa_family=AF_INET, sin_port=htons(%d), "
			                              "sin_addr=inet_addr(\"0.0.0.0\")}, 16)%s",
			                              (int)(eq - l->text), l->text, x->bind_port, eq + 11);
			g_free(l->text);
			l->text = fixed;
		}
	}
	guint rports = g_hash_table_size(x->rports);
	if (rports > 1) {
		g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_VALUE,
		            "%s: --pkt: the %s %s %u remote ports; a script's peer has one port", x->cfg->path,
		            net_role_name(x->role), x->role == NET_SERVER ? "accepted connections from" :
		            "connected to", rports);
		outfile_abandon(x->of);
		free_export(x);
		return false;
	}
	if (x->refused) {
		g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_VALUE, "%s: --pkt: %s", x->cfg->path, x->refused);
		outfile_abandon(x->of);
		free_export(x);
		return false;
	}
	if (x->lines->len == 0) {
		g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_VALUE,
		            "%s: --pkt: the %s made no call and saw no packet: a script needs an event",
		            x->cfg->path, net_role_name(x->role));
		outfile_abandon(x->of);
		free_export(x);
		return false;
	}
	FILE *f = outfile_stream(x->of);
	const struct endpoint_config *ep = x->role == NET_CLIENT ? &x->cfg->client : &x->cfg->server;
	GPtrArray *sets = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *sysctls = g_ptr_array_new_with_free_func(g_free);
	struct tcp_params have = ep->tcp; /* with the kernel clock's phase the run had */
	have.uptime = net_host_uptime(&ep->tcp, x->cfg->seed, x->run, x->role);
	pkt_settings_diff(&have, x->cfg->profile, sets, sysctls);
	/* the settings as a directive line (sim/pkt/pkt_directive.c), which
	 * `tcpsim pkt FILE` reads and packetdrill takes for a comment */
	fprintf(f, "// %s: the %s, as seen at its interface (tcpsim --pkt).\n// tcpsim: --profile %s",
	        x->cfg->path, net_role_name(x->role), x->cfg->profile);
	for (guint i = 0; i < sets->len; i++)
		fprintf(f, " --set %s", (char *)g_ptr_array_index(sets, i));
	fputs("\n// Replay: tcpsim pkt FILE, or packetdrill on a real kernel (to which the tcpsim: line\n"
	      "// is a comment: its settings have no sysctl there)\n", f);
	fprintf(f, "// select(), sleep(), signals and calls on stdin, stdout and stderr are not written;\n"
	           "// inbound payloads replay as zeros.\n");
	if (x->port_range)
		fprintf(f, "// setsockopt(IP_LOCAL_PORT_RANGE) after socket() stands for the host's ephemeral "
		           "ports %u-%u.\n", ep->ports[0], ep->ports[1]);
	fputc('\n', f);
	if (sysctls->len) { /* packetdrill's init command */
		fputs("`sysctl -q", f);
		for (guint i = 0; i < sysctls->len; i++)
			fprintf(f, " %s", (char *)g_ptr_array_index(sysctls, i));
		fputs("`\n\n", f);
	}
	g_ptr_array_free(sets, TRUE);
	g_ptr_array_free(sysctls, TRUE);
	g_array_sort(x->lines, by_key);
	end_after_blocking_calls(x);
	for (guint i = 0; i < x->lines->len; i++) {
		const struct line *l = &g_array_index(x->lines, struct line, i);
		if (l->t_end >= 0)
			fprintf(f, "%.6f...%.6f %s\n", sim_time_to_sec(l->t), sim_time_to_sec(l->t_end), l->text);
		else
			fprintf(f, "%.6f %s\n", sim_time_to_sec(l->t), l->text);
	}
	bool ok = outfile_commit(x->of, error);
	free_export(x);
	return ok;
}

static void sink_abandon(void *self)
{
	struct pkt_export *x = self;
	outfile_abandon(x->of);
	free_export(x);
}

static const struct sink_ops export_sink = {
	.packet = sink_packet,
	.state = sink_state,
	.call = sink_call,
	.commit = sink_commit,
	.abandon = sink_abandon,
};

bool pkt_export_sink_open(const struct sink_args *a, struct sink *out, GError **error)
{
	out->ops = NULL;
	if (!a->pkt_path)
		return true;
	struct outfile *of = outfile_open(a->pkt_path, error);
	if (!of)
		return false;
	struct pkt_export *x = g_new0(struct pkt_export, 1);
	x->of = of;
	x->role = a->pkt_role;
	x->cfg = a->cfg;
	x->run = a->run;
	x->lines = g_array_new(FALSE, FALSE, sizeof(struct line));
	x->bind_line = -1;
	x->peer_dport = -1;
	x->open_fds = g_hash_table_new(g_direct_hash, g_direct_equal);
	x->past = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	x->rports = g_hash_table_new(g_direct_hash, g_direct_equal);
	x->alive = g_hash_table_new(g_direct_hash, g_direct_equal);
	x->tuples = g_hash_table_new(g_direct_hash, g_direct_equal);
	out->ops = &export_sink;
	out->self = x;
	return true;
}
