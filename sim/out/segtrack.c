/*
 * Per direction, the segments sent and not yet acknowledged, in the order
 * they were first sent; see segtrack.h.  The lists stay short (a window's
 * worth of segments), so they are searched linearly.
 */
#include "sim/out/segtrack.h"

#include <string.h>
#include <glib.h>

struct dir_key {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
};

struct sent_seg {
	uint32_t seq, end;   /* sequence space [seq, end) */
	uint32_t sends;      /* times sent */
	sim_time last;       /* when last sent */
};

struct segtrack {
	GHashTable *dirs;    /* struct dir_key -> GArray of struct sent_seg */
};

static guint dir_hash(gconstpointer p)
{
	const struct dir_key *k = p;
	return (k->saddr * 2654435761u) ^ (k->daddr * 40503u) ^ ((guint)k->sport << 16 | k->dport);
}

static gboolean dir_equal(gconstpointer a, gconstpointer b)
{
	return memcmp(a, b, sizeof(struct dir_key)) == 0;
}

static void free_list(gpointer p)
{
	g_array_unref(p);
}

struct segtrack *segtrack_new(void)
{
	struct segtrack *st = g_new0(struct segtrack, 1);
	st->dirs = g_hash_table_new_full(dir_hash, dir_equal, g_free, free_list);
	return st;
}

void segtrack_free(struct segtrack *st)
{
	if (st == NULL)
		return;
	g_hash_table_destroy(st->dirs);
	g_free(st);
}

static struct dir_key key_of(const struct tcp_seg *s, bool reverse)
{
	struct dir_key k;
	memset(&k, 0, sizeof k); /* padding too: the key is compared with memcmp */
	k.saddr = reverse ? s->daddr : s->saddr;
	k.daddr = reverse ? s->saddr : s->daddr;
	k.sport = reverse ? s->dport : s->sport;
	k.dport = reverse ? s->sport : s->dport;
	return k;
}

static GArray *list_for(struct segtrack *st, const struct tcp_seg *s)
{
	struct dir_key k = key_of(s, false);
	GArray *list = g_hash_table_lookup(st->dirs, &k);
	if (list == NULL) {
		list = g_array_new(FALSE, FALSE, sizeof(struct sent_seg));
		g_hash_table_insert(st->dirs, g_memdup2(&k, sizeof k), list);
	}
	return list;
}

uint32_t segtrack_sent(struct segtrack *st, const struct net_packet_event *e, sim_time *last)
{
	const struct tcp_seg *s = &e->pv->tcp;
	uint32_t len = tcp_seg_seqlen(s);
	if (e->pv->kind != PACKET_TCP || len == 0 || (s->flags & TCP_RST))
		return e->retransmission ? 1 : 0;
	GArray *list = list_for(st, s);
	if ((s->flags & TCP_SYN) && !e->retransmission)
		g_array_set_size(list, 0); /* a new incarnation */
	for (guint i = 0; i < list->len; i++) {
		struct sent_seg *g = &g_array_index(list, struct sent_seg, i);
		if (g->seq != s->seq)
			continue;
		uint32_t before = g->sends++;
		*last = g->last;
		g->last = e->t;
		if ((int32_t)(s->seq + len - g->end) > 0)
			g->end = s->seq + len;
		return before;
	}
	struct sent_seg g = {s->seq, s->seq + len, 1, e->t};
	g_array_append_val(list, g);
	return e->retransmission ? 1 : 0;
}

void segtrack_arrived(struct segtrack *st, const struct net_packet_event *e)
{
	const struct tcp_seg *s = &e->pv->tcp;
	if (e->pv->kind != PACKET_TCP || !(s->flags & TCP_ACK))
		return;
	struct dir_key k = key_of(s, true); /* the receiver's own segments */
	GArray *list = g_hash_table_lookup(st->dirs, &k);
	if (list == NULL)
		return;
	guint kept = 0;
	for (guint i = 0; i < list->len; i++) {
		struct sent_seg g = g_array_index(list, struct sent_seg, i);
		if ((int32_t)(g.end - s->ack) > 0) /* not all of it acknowledged */
			g_array_index(list, struct sent_seg, kept++) = g;
	}
	g_array_set_size(list, kept);
	if (kept == 0)
		g_hash_table_remove(st->dirs, &k);
}
