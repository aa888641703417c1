/*
 * The neighbour table of one host: the addresses of its subnet it had to
 * resolve with ARP, and the packets waiting for each.  Linux's
 * net/core/neighbour.c and net/ipv4/arp.c, for the one case tcpsim has:
 * an address of the subnet that no host owns (the other host and the
 * router are in the cache from the start, see route.c), so no reply ever
 * comes and every resolution fails.
 *
 * An entry is INCOMPLETE while it is resolved, FAILED once it gave up
 * (Linux's NUD_INCOMPLETE, NUD_FAILED; it never becomes REACHABLE).
 *  - A packet to an address without an entry, or whose entry FAILED,
 *    starts a resolution (__neigh_event_send(): a FAILED entry starts
 *    over): the packet is queued, the first request broadcast at once
 *    (immediate_probe) and the timer armed arp_interval later.
 *  - A packet to an INCOMPLETE entry waits in its queue; beyond
 *    NEIGH_UNRES_QLEN packets the oldest is dropped, with no error report
 *    (Linux's unres_qlen, SKB_DROP_REASON_NEIGH_QUEUEFULL).
 *  - The timer (neigh_timer_handler()): once arp_probes requests went
 *    unanswered the entry FAILED and neigh_invalidate() drops every queued
 *    packet with an error report (arp_error_report(): net_neigh_failed());
 *    else the next request (neigh_probe() -> arp_solicit()) and the timer
 *    again arp_interval later.
 * With Linux's defaults (mcast_solicit 3, retrans_time 1 s) the requests
 * go at 0, 1 and 2 s and the packets are dropped at 3 s.
 */
#include "sim/world/net_int.h"

/* Linux's unres_qlen: the packets that may wait for one neighbour (the
 * kernel counts unres_qlen_bytes, 212992, which is 101 full frames). */
#define NEIGH_UNRES_QLEN 101

enum neigh_state { NEIGH_NONE, NEIGH_INCOMPLETE, NEIGH_FAILED };

struct neigh {
	struct neigh_table *table;
	uint32_t addr;
	enum neigh_state state;
	uint32_t probes;          /* requests sent in this resolution */
	GQueue queue;             /* struct pkt *, oldest first */
	struct sim_event timer;
};

static void neigh_free(gpointer p)
{
	struct neigh *nb = p;
	g_queue_clear(&nb->queue); /* the packets are the pool's: net_free() clears it */
	g_free(nb);
}

void neigh_init(struct neigh_table *t, struct net *n, enum net_role r)
{
	t->net = n;
	t->role = r;
	t->entries = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, neigh_free);
}

/* Frees the table; its timers may still sit in the (discarded) queue. */
void neigh_clear(struct neigh_table *t)
{
	if (t->entries)
		g_hash_table_destroy(t->entries);
	t->entries = NULL;
}

static const struct link_params *params(const struct neigh *nb)
{
	return &nb->table->net->spec.link[nb->table->role];
}

/* One request now (arp_solicit()), the timer arp_interval later. */
static void probe(struct neigh *nb)
{
	struct net *n = nb->table->net;
	nb->probes++;
	net_arp_solicit(n, nb->table->role, nb->addr);
	sim_queue_schedule(n->q, &nb->timer, n->q->now + params(nb)->arp_interval);
}

/* neigh_invalidate(): the entry FAILED, every waiting packet is dropped
 * with an error report.  The queue is emptied first: a report may wake a
 * program whose next packet starts a new resolution of this entry. */
static void fail(struct neigh *nb)
{
	GQueue waiting = nb->queue;
	g_queue_init(&nb->queue);
	nb->state = NEIGH_FAILED;
	net_neigh_failed(nb->table->net, nb->table->role, &waiting);
}

static void neigh_timer_fired(struct sim_queue *q, struct sim_event *ev)
{
	(void)q;
	struct neigh *nb = ev->ctx;
	if (nb->probes >= params(nb)->arp_probes)
		fail(nb);
	else
		probe(nb);
}

static struct neigh *lookup_or_create(struct neigh_table *t, uint32_t addr)
{
	struct neigh *nb = g_hash_table_lookup(t->entries, GUINT_TO_POINTER(addr));
	if (nb)
		return nb;
	nb = g_new0(struct neigh, 1);
	nb->table = t;
	nb->addr = addr;
	g_queue_init(&nb->queue);
	sim_event_init(&nb->timer, neigh_timer_fired, nb);
	g_hash_table_insert(t->entries, GUINT_TO_POINTER(addr), nb);
	return nb;
}

void neigh_output(struct neigh_table *t, uint32_t addr, struct pkt *p)
{
	struct neigh *nb = lookup_or_create(t, addr);
	if (g_queue_get_length(&nb->queue) >= NEIGH_UNRES_QLEN)
		net_neigh_discard(t->net, g_queue_pop_head(&nb->queue));
	g_queue_push_tail(&nb->queue, p);
	if (nb->state != NEIGH_INCOMPLETE) {
		nb->state = NEIGH_INCOMPLETE;
		nb->probes = 0;
		probe(nb);
	}
}

/* The host crashed: its cache is gone, and the packets waiting with it. */
void neigh_flush(struct neigh_table *t)
{
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, t->entries);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct neigh *nb = v;
		struct pkt *p;
		sim_queue_cancel(t->net->q, &nb->timer);
		while ((p = g_queue_pop_head(&nb->queue)) != NULL)
			net_neigh_discard(t->net, p);
	}
	g_hash_table_remove_all(t->entries);
}
