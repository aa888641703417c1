/*
 * Host: demultiplexing, listeners, ports, ISNs, resets.
 *
 * Invariants: a connection is in the table (in_table) from its creation
 * until its endpoint reaches CLOSED; a 4-tuple maps to at most one
 * connection; a listener's ready queue holds only established, unaccepted
 * children.
 */
#include <errno.h>
#include <string.h>
#include "models/host.h"
#include "models/seq.h"

static guint conn_key_hash(gconstpointer p)
{
	const struct conn_key *k = p;
	uint32_t h = k->raddr * 2654435761u;
	h ^= ((uint32_t)k->rport << 16 | k->lport) * 2246822519u;
	return h ^ k->laddr;
}

static gboolean conn_key_equal(gconstpointer a, gconstpointer b)
{
	const struct conn_key *x = a, *y = b;
	return x->laddr == y->laddr && x->raddr == y->raddr && x->lport == y->lport &&
	       x->rport == y->rport;
}

static void listener_free(gpointer p)
{
	struct listener *l = p;
	g_free(l); /* the queue's links live in the connections */
}

void host_init(struct host *h, uint32_t addr, const struct tcp_params *p, gsl_rng *rng,
               uint16_t port_lo, uint16_t port_hi)
{
	memset(h, 0, sizeof *h);
	h->addr = addr;
	h->p = p;
	h->rng = rng;
	h->isn_secret = (uint32_t)gsl_rng_get(rng);
	h->clock_offset = (sim_time)(gsl_rng_uniform(rng) * 1e18); /* some wall clock */
	h->conns = g_hash_table_new(conn_key_hash, conn_key_equal);
	h->all_conns = g_ptr_array_new();
	h->listeners = g_hash_table_new_full(NULL, NULL, NULL, listener_free);
	h->port_lo = port_lo; /* net.ipv4.ip_local_port_range */
	h->port_hi = port_hi;
	h->port_cursor = (uint32_t)gsl_rng_uniform_int(rng, h->port_hi - h->port_lo + 1u);
	h->next_id = 1;
	h->conn_size = sizeof(struct conn);
}

/* A finished connection goes to its host's free list, endpoint and all. */
void conn_free(struct conn *c)
{
	struct host *h = c->host;
	tcp_ep_retire(c->ep);
	c->next_free = h->free_conns;
	h->free_conns = c;
}

static void conn_destroy(struct conn *c)
{
	tcp_ep_free(c->ep);
	g_free(c);
}

void host_clear(struct host *h)
{
	for (guint i = 0; i < h->all_conns->len; i++)
		conn_destroy(g_ptr_array_index(h->all_conns, i));
	g_ptr_array_free(h->all_conns, TRUE);
	g_hash_table_destroy(h->conns);
	g_hash_table_destroy(h->listeners);
	gsl_rng_free(h->rng);
	memset(h, 0, sizeof *h);
}

/* A keyed mix of the 4-tuple (a stand-in for Linux's siphash). */
static uint32_t tuple_hash(uint32_t secret, const struct conn_key *k)
{
	uint64_t x = ((uint64_t)k->laddr << 32 | k->raddr) ^ ((uint64_t)k->lport << 16 | k->rport);
	x ^= (uint64_t)secret * 0x9e3779b97f4a7c15ull;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return (uint32_t)(x ^ (x >> 33));
}

uint32_t host_isn(const struct host *h, const struct conn_key *k, sim_time now)
{
	uint64_t m = (uint64_t)(now + h->clock_offset) / (uint64_t)h->p->isn_tick;
	return tuple_hash(h->isn_secret, k) + (uint32_t)m;
}

struct conn *host_lookup(struct host *h, const struct conn_key *k)
{
	struct conn *c = h->last;
	if (c && conn_key_equal(&c->key, k))
		return c;
	c = g_hash_table_lookup(h->conns, k);
	if (c)
		h->last = c;
	return c;
}

static struct conn *conn_new(struct host *h, const struct conn_key *k, sim_time now)
{
	struct conn *c = h->free_conns;
	struct tcp_ep *ep = NULL;
	if (c) { /* reuse a finished connection's memory */
		h->free_conns = c->next_free;
		ep = c->ep;
		memset(c, 0, h->conn_size);
	} else {
		c = g_malloc0(h->conn_size);
		g_ptr_array_add(h->all_conns, c);
	}
	c->key = *k;
	c->host = h;
	c->id = h->next_id++;
	uint32_t ts_off = tuple_hash(h->isn_secret ^ 0x5bd1e995u, k);
	c->ep = tcp_ep_new(ep, h->p, k->laddr, k->lport, k->raddr, k->rport, host_isn(h, k, now),
	                   ts_off);
	tcp_ep_set_owner(c->ep, c);
	tcp_ep_set_violation_hook(c->ep, h->violation, h->owner);
	if (h->conn_born)
		h->conn_born(c, h->owner);
	g_hash_table_insert(h->conns, &c->key, c);
	c->in_table = true;
	h->last = c; /* the next segment is most likely its own: the SYN-ACK, the handshake's ACK */
	return c;
}

struct conn *host_icmp_lookup(struct host *h, const struct tcp_seg *q)
{
	if (h->down)
		return NULL;
	struct conn_key k = {.laddr = q->saddr, .raddr = q->daddr, .lport = q->sport, .rport = q->dport};
	return host_lookup(h, &k);
}

void host_unhash(struct host *h, struct conn *c)
{
	if (c->in_table) {
		g_hash_table_remove(h->conns, &c->key);
		c->in_table = false;
	}
	if (h->last == c)
		h->last = NULL;
}

void host_unlink(struct host *h, struct conn *c)
{
	host_unhash(h, c);
	if (c->parent) {
		if (c->ready_link.data) /* established and waiting in the accept queue */
			g_queue_unlink(&c->parent->ready, &c->ready_link);
		c->ready_link.data = NULL;
		c->parent = NULL;
	}
}

int host_listen(struct host *h, uint16_t port, uint32_t backlog, struct listener **out)
{
	if (g_hash_table_contains(h->listeners, GUINT_TO_POINTER(port)))
		return -EADDRINUSE;
	struct listener *l = g_new0(struct listener, 1);
	l->port = port;
	l->backlog = backlog;
	g_queue_init(&l->ready);
	g_hash_table_insert(h->listeners, GUINT_TO_POINTER(port), l);
	*out = l;
	return 0;
}

bool host_port_taken(struct host *h, uint16_t port, bool reuse)
{
	if (g_hash_table_contains(h->listeners, GUINT_TO_POINTER(port)))
		return true;
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, h->conns);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		const struct conn *c = v;
		if (c->key.lport == port && !(reuse && c->reuseaddr))
			return true;
	}
	return false;
}

void host_close_listener(struct host *h, struct listener *l, sim_time now, struct tcp_acts *out,
                         GPtrArray *closed)
{
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, h->conns);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct conn *c = v;
		if (c->parent != l)
			continue;
		if (c->ready_link.data)
			g_queue_unlink(&l->ready, &c->ready_link);
		c->ready_link.data = NULL;
		c->parent = NULL;
		tcp_ep_abort(c->ep, now, out);
	}
	GList *link;
	while ((link = g_queue_pop_head_link(&l->ready)) != NULL) {
		struct conn *c = link->data; /* reset while it waited: already CLOSED */
		c->ready_link.data = NULL;
		c->parent = NULL;
		g_ptr_array_add(closed, c);
	}
	g_hash_table_remove(h->listeners, GUINT_TO_POINTER(l->port));
}

/* Is the 4-tuple free for a new connection: nobody holds it, or a
 * TIME_WAIT connection that hands it over (*tw set then).  From a port
 * the socket bound itself, Linux's tcp_twsk_unique() is asked with no
 * twp: a TIME_WAIT connection that used timestamps hands its tuple over
 * at once, whatever tcp_tw_reuse says; one without keeps it (connect()
 * fails with EADDRNOTAVAIL until TIME_WAIT ends). */
static bool tuple_free(struct host *h, const struct conn_key *k, const struct host_connect_req *rq,
                       sim_time now, struct conn **tw)
{
	struct conn *c = host_lookup(h, k);
	*tw = NULL;
	if (!c)
		return true;
	bool bound_over = rq->lport != 0 && tcp_ep_time_wait_protected(c->ep);
	if (!bound_over && !tcp_ep_time_wait_reusable(c->ep, h->p, now))
		return false;
	*tw = c;
	return true;
}

/* Linux's connect() (__inet_hash_connect()): the first port from a cursor
 * whose 4-tuple is free, within the socket's IP_LOCAL_PORT_RANGE or the
 * host's range. */
static bool pick_port(struct host *h, struct conn_key *k, const struct host_connect_req *rq,
                      sim_time now, struct conn **tw)
{
	uint16_t lo = rq->port_lo ? rq->port_lo : h->port_lo, hi = rq->port_lo ? rq->port_hi : h->port_hi;
	uint32_t range = hi - lo + 1u;
	for (uint32_t i = 0; i < range; i++) {
		k->lport = (uint16_t)(lo + (h->port_cursor + i) % range);
		if (!g_hash_table_contains(h->listeners, GUINT_TO_POINTER(k->lport)) &&
		    tuple_free(h, k, rq, now, tw)) {
			h->port_cursor = (h->port_cursor + i + 1) % range;
			return true;
		}
	}
	return false;
}

struct conn *host_connect(struct host *h, const struct host_connect_req *rq, sim_time now, int *err,
                          struct conn **displaced)
{
	struct conn_key k = {.laddr = h->addr, .raddr = rq->raddr, .lport = rq->lport, .rport = rq->rport};
	struct conn *tw = NULL;
	*displaced = NULL;
	if (rq->lport == 0 ? !pick_port(h, &k, rq, now, &tw) : !tuple_free(h, &k, rq, now, &tw)) {
		*err = EADDRNOTAVAIL;
		return NULL;
	}
	if (tw) /* inet_twsk_deschedule_put(): the TIME_WAIT connection is gone */
		host_unlink(h, tw);
	struct conn *c = conn_new(h, &k, now);
	c->user_owned = c->user_seen = true;
	/* tcp_twsk_unique(): the new connection follows the old one; from a
	 * bound port the SYN echoes no timestamp (google/packetdrill's
	 * tw_reuse_ok_after_0sec_with_portlock.pkt), so nothing is taken */
	if (tw && rq->lport == 0)
		tcp_ep_follow_time_wait(c->ep, tw->ep);
	*displaced = tw;
	return c;
}

/* A SYN for a listener: Linux drops it when the accept queue is full
 * (tcp_conn_request(), sk_acceptq_is_full(): more than `backlog` waiting,
 * so listen(fd, 1) still queues two), and the client retransmits. */
static struct conn *spawn_child(struct host *h, struct listener *l, sim_time now,
                                const struct tcp_seg *syn, struct tcp_acts *out)
{
	if (g_queue_get_length(&l->ready) > l->backlog)
		return NULL;
	struct conn_key k = {.laddr = syn->daddr, .raddr = syn->saddr, .lport = syn->dport,
	                     .rport = syn->sport};
	struct conn *c = conn_new(h, &k, now);
	c->parent = l;
	c->reuseaddr = l->reuseaddr;
	if (l->params && h->child_params)
		h->child_params(c, l->params, h->owner);
	l->half_open++;
	tcp_ep_accept_syn(c->ep, now, syn, out);
	return c;
}

static void send_reset(const struct host *h, const struct tcp_seg *in, struct tcp_acts *out)
{
	struct tcp_seg rst;
	if (!tcp_reset_for(in, 0, &rst))
		return;
	struct tcp_act *a = tcp_acts_push(out);
	a->kind = TCP_ACT_SEND;
	a->why = TCP_SEND_RST;
	a->seg = rst;
	a->ctl_sock = h->p->ctl_sock_id_zero; /* tcp_v4_send_reset() with no socket */
}

void host_input(struct host *h, sim_time now, const struct tcp_seg *s, struct tcp_acts *out,
                struct conn **conn_out, struct conn **displaced)
{
	*conn_out = NULL;
	*displaced = NULL;
	if (h->down)
		return;
	struct conn_key k = {.laddr = s->daddr, .raddr = s->saddr, .lport = s->dport,
	                     .rport = s->sport};
	struct conn *c = host_lookup(h, &k);
	if (c && tcp_ep_time_wait_takes_syn(c->ep, now, s)) {
		host_unlink(h, c);
		*displaced = c;
		c = NULL;
	}
	if (c) {
		*conn_out = c;
		tcp_ep_input(c->ep, now, s, out);
		return;
	}
	struct listener *l = g_hash_table_lookup(h->listeners, GUINT_TO_POINTER(s->dport));
	/* FreeBSD tcp_input() at a listen socket: with drop_synfin a SYN|FIN
	 * is dropped ("SYN|FIN segment ignored"); otherwise the FIN is not
	 * looked at, and the SYN opens a connection */
	if (l && (s->flags & (TCP_SYN | TCP_FIN)) == (TCP_SYN | TCP_FIN) && h->p->drop_synfin)
		return;
	if (l && (s->flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN) {
		*conn_out = spawn_child(h, l, now, s, out);
		return;
	}
	/* A listener drops a segment with neither SYN, ACK nor RST (RFC 9293
	 * §3.10.7.2, "drop the segment and return"; Linux
	 * tcp_rcv_state_process() discards it, FreeBSD tcp_input(): "SYN is
	 * missing, segment ignored"): only an ACK earns a reset. */
	if (l && !(s->flags & (TCP_SYN | TCP_ACK | TCP_RST)))
		return;
	send_reset(h, s, out);
}

void host_crash(struct host *h, GPtrArray *freed)
{
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, h->conns);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct conn *c = v;
		c->in_table = false;
		c->parent = NULL;
		c->dying = true;
		g_ptr_array_add(freed, c);
	}
	g_hash_table_remove_all(h->conns);
	g_hash_table_remove_all(h->listeners);
	h->last = NULL;
	h->down = true;
}
