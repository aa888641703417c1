/*
 * Pairing departures and arrivals by (sender, packet number); see
 * flight.h.  "Late" is decided per sending role: an arrival is late when
 * a departure of the same sender made after it has already arrived (it
 * was held back and overtaken).  Departure order is counted per role, so
 * that packets sent at the same instant still have an order.
 */
#include "sim/out/flight.h"

#include <glib.h>

struct slot {
	sim_time sent;
	uint64_t tag, order;
	uint32_t seq, ack, len, tsval;
	uint8_t flags;
};

struct flight {
	GHashTable *slots;                  /* (role << 16 | pair_id) -> struct slot */
	uint64_t departures[NET_ROLES];     /* departures counted per sender */
	uint64_t newest_arrived[NET_ROLES]; /* 1 + highest order of an arrival, per sender */
};

struct flight *flight_new(void)
{
	struct flight *f = g_new0(struct flight, 1);
	f->slots = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	return f;
}

void flight_free(struct flight *f)
{
	if (f == NULL)
		return;
	g_hash_table_destroy(f->slots);
	g_free(f);
}

/* The sender of a packet event: the interface for a departure, the other
 * one for an arrival. */
static enum net_role sender(const struct net_packet_event *e)
{
	if (e->outgoing)
		return e->at;
	return e->at == NET_CLIENT ? NET_SERVER : NET_CLIENT;
}

/* Not the IPv4 identification: Linux gives 0 to every packet its control
 * socket sends (TIME_WAIT's answers, resets, SYN-ACKs), so it repeats. */
static gpointer slot_key(enum net_role from, uint16_t pair_id)
{
	return GUINT_TO_POINTER(((guint)from << 16 | pair_id) + 1u); /* never NULL */
}

static bool same_segment(const struct slot *s, const struct tcp_seg *g)
{
	return s->seq == g->seq && s->ack == g->ack && s->len == g->len && s->flags == g->flags &&
	       s->tsval == g->opt.tsval;
}

void flight_depart(struct flight *f, const struct net_packet_event *e, uint64_t tag)
{
	if (e->pv->kind != PACKET_TCP) /* an ARP request: no IPv4 identification */
		return;
	enum net_role from = sender(e);
	uint64_t order = f->departures[from]++;
	if (e->fate != LINK_DELIVER)
		return;
	const struct tcp_seg *g = &e->pv->tcp;
	struct slot *s = g_new(struct slot, 1);
	*s = (struct slot){.sent = e->t, .tag = tag, .order = order, .seq = g->seq, .ack = g->ack,
	                   .len = g->len, .tsval = g->opt.tsval, .flags = g->flags};
	g_hash_table_replace(f->slots, slot_key(from, e->pair_id), s);
}

bool flight_arrive(struct flight *f, const struct net_packet_event *e, struct flight_match *m)
{
	enum net_role from = sender(e);
	const struct slot *s = g_hash_table_lookup(f->slots, slot_key(from, e->pair_id));
	if (s == NULL || e->pv->kind != PACKET_TCP || !same_segment(s, &e->pv->tcp))
		return false;
	m->sent = s->sent;
	m->tag = s->tag;
	m->order = s->order;
	m->late = !e->duplicate && s->order + 1 < f->newest_arrived[from];
	if (!e->duplicate && s->order + 1 > f->newest_arrived[from])
		f->newest_arrived[from] = s->order + 1;
	return true;
}
