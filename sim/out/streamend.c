/*
 * The streams' ends at one interface; see streamend.h.  One hash table set
 * of records, each its own key; forgotten records wait in a spare list and
 * serve again, so a long run with connections coming and going does not
 * churn the allocator.  The two records used last are tried before the
 * table: a connection's packets come in a run, in its two directions,
 * while the table holds every live flow's (a TIME_WAIT's among them).
 */
#include "sim/out/streamend.h"

#include <string.h>
#include <glib.h>

/* One direction of one four-tuple. */
struct stream_key {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
};

/* What the interface saw of that direction: the table's key and value in
 * one allocation. */
struct stream {
	struct stream_key key;
	uint32_t isn;               /* sequence number of its SYN (or first segment) */
	uint32_t end;               /* highest sequence end seen */
	uint64_t flow_id;           /* the incarnation that opened it: see streamend_forget() */
	struct stream *next_spare;  /* in streamend.spares once forgotten */
};

struct streamend {
	GHashTable *streams;        /* set of struct stream, keyed by their struct stream_key */
	struct stream *spares;      /* forgotten ones whose memory serves again */
	struct stream *recent[2];   /* in the table, used last ([0]) and before; or NULL */
};

static guint stream_hash(gconstpointer p)
{
	const struct stream_key *k = p;
	return (k->saddr * 2654435761u) ^ k->daddr ^ ((guint)k->sport << 16 | k->dport);
}

static gboolean stream_equal(gconstpointer a, gconstpointer b)
{
	return memcmp(a, b, sizeof(struct stream_key)) == 0;
}

struct streamend *streamend_new(void)
{
	struct streamend *se = g_new0(struct streamend, 1);
	se->streams = g_hash_table_new(stream_hash, stream_equal);
	return se;
}

void streamend_free(struct streamend *se)
{
	if (se == NULL)
		return;
	GHashTableIter it;
	gpointer st;
	g_hash_table_iter_init(&it, se->streams);
	while (g_hash_table_iter_next(&it, &st, NULL))
		g_free(st);
	g_hash_table_destroy(se->streams);
	for (struct stream *next; se->spares; se->spares = next) {
		next = se->spares->next_spare;
		g_free(se->spares);
	}
	g_free(se);
}

static bool same_key(const struct stream *st, const struct stream_key *k)
{
	return st && memcmp(&st->key, k, sizeof *k) == 0;
}

/* The record of k, or NULL; the recent ones first. */
static struct stream *find_stream(struct streamend *se, const struct stream_key *k)
{
	if (same_key(se->recent[0], k))
		return se->recent[0];
	if (same_key(se->recent[1], k))
		return se->recent[1];
	return g_hash_table_lookup(se->streams, k);
}

/* st was used last. */
static void touch_stream(struct streamend *se, struct stream *st)
{
	if (se->recent[0] != st) {
		se->recent[1] = se->recent[0];
		se->recent[0] = st;
	}
}

/* A new record in the table, from the spares if there is one. */
static struct stream *add_stream(struct streamend *se, struct stream_key k)
{
	struct stream *st = se->spares;
	if (st)
		se->spares = st->next_spare;
	else
		st = g_new(struct stream, 1);
	st->key = k;
	g_hash_table_add(se->streams, st);
	return st;
}

enum streamend_verdict streamend_seen(struct streamend *se, const struct net_packet_event *e,
                                      bool duplicates_move_end)
{
	const struct tcp_seg *s = &e->pv->tcp;
	if (e->pv->kind != PACKET_TCP || (s->flags & TCP_RST))
		return STREAMEND_NEW;
	if (e->duplicate && !duplicates_move_end)
		return STREAMEND_NEW;
	struct stream_key k = {s->saddr, s->daddr, s->sport, s->dport};
	struct stream *st = find_stream(se, &k);
	/* a SYN with a new ISN opens a new incarnation, as in Wireshark */
	bool fresh = st == NULL || ((s->flags & TCP_SYN) && s->seq != st->isn);
	uint32_t len = tcp_seg_seqlen(s);
	/* an ACK's sequence number only marks where its sender is */
	bool behind = len > 0 && !fresh && (int32_t)(s->seq - st->end) < 0;
	uint32_t end = s->seq + len;
	if (st == NULL)
		st = add_stream(se, k);
	touch_stream(se, st);
	if (fresh) { /* an older incarnation's record serves the new one */
		st->isn = s->seq;
		st->end = end;
		st->flow_id = e->flow_id;
	} else if ((int32_t)(end - st->end) > 0) {
		st->end = end;
	}
	if (!behind || e->duplicate)
		return STREAMEND_NEW;
	return e->retransmission ? STREAMEND_RETRANSMISSION : STREAMEND_LATE;
}

static void forget_stream(struct streamend *se, struct stream_key k, uint64_t flow_id)
{
	struct stream *st = find_stream(se, &k);
	if (st && st->flow_id == flow_id) {
		g_hash_table_remove(se->streams, &k);
		for (int i = 0; i < 2; i++)
			if (se->recent[i] == st)
				se->recent[i] = NULL;
		st->next_spare = se->spares;
		se->spares = st;
	}
}

/* Wireshark keeps what it saw of a four-tuple for as long as it runs; a
 * long run would then hold one record per port ever used.  Once a flow is
 * gone nothing of it can pass the interface again, and the table keeps
 * only what is live (memory flat while TIME_WAITs come and go). */
void streamend_forget(struct streamend *se, uint64_t flow_id, const struct net_tuple *t)
{
	forget_stream(se, (struct stream_key){t->saddr, t->daddr, t->sport, t->dport}, flow_id);
	forget_stream(se, (struct stream_key){t->daddr, t->saddr, t->dport, t->sport}, flow_id);
}
