/*
 * The capture: the run's packets as a capture file.
 *  - classic pcap (OUT/trace.pcap): the capture point's interface, with
 *    the statistics of what a capture there can recognise (the summary's
 *    capture.packets, .retransmissions and .late);
 *  - pcapng (OUT/trace.pcapng, --format pcapng): both interfaces, each
 *    packet with the comments of sim/out/annotate.c.
 * One sink of the run (sim/out/sink.h), opened when [simulation] pcap is on.
 */
#include <string.h>
#include <glib.h>
#include "sim/out/annotate.h"
#include "sim/out/capture.h"
#include "sim/out/pcap_out.h"
#include "sim/out/pcapng.h"
#include "sim/out/wire.h"

/* One direction of one connection as the capture point sees it. */
struct seen_key {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
};

/* What the capture point has seen of that stream: the table's key and
 * value in one allocation (a GHashTable set). */
struct seen_stream {
	struct seen_key key;
	uint32_t isn;         /* sequence number of its SYN (or first segment) */
	uint32_t end;         /* highest sequence end seen */
	uint64_t flow_id;     /* the incarnation that opened it: see on_flow_gone() */
	struct seen_stream *next_spare; /* in run_ctx.spare_streams once forgotten */
};

struct capture {
	struct sink_report *report;
	enum net_role at;             /* the capture point's interface */
	struct pcap_out *pcap;        /* classic capture, or NULL */
	struct pcapng_out *pcapng;    /* two-interface capture, or NULL */
	struct annotate *annotate;    /* its comments, with pcapng */
	bool ethernet;                /* Ethernet II frames, else raw IPv4 (no ARP then) */
	char *path;                   /* the file it writes */
	GHashTable *seen;     /* set of struct seen_stream, keyed by their struct seen_key */
	struct seen_stream *spare_streams; /* forgotten ones whose memory serves again */
	uint8_t buf[WIRE_MAX_FRAME];
};

static guint seen_hash(gconstpointer p)
{
	const struct seen_key *k = p;
	return (k->saddr * 2654435761u) ^ k->daddr ^ ((guint)k->sport << 16 | k->dport);
}

static gboolean seen_equal(gconstpointer a, gconstpointer b)
{
	return memcmp(a, b, sizeof(struct seen_key)) == 0;
}

/* A new record in the table, from the spares if there is one. */
static struct seen_stream *add_stream(struct capture *c, struct seen_key k)
{
	struct seen_stream *st = c->spare_streams;
	if (st)
		c->spare_streams = st->next_spare;
	else
		st = g_new(struct seen_stream, 1);
	st->key = k;
	g_hash_table_add(c->seen, st);
	return st;
}

/* What a capture can tell about a segment: a retransmission is recognisable
 * when sequence space at or beyond its start already passed this interface
 * (an earlier copy, or a later segment that overtook a lost one).  An
 * original that arrives behind later ones (held back by reordering) looks
 * the same to a capture: Wireshark calls it out of order or a
 * retransmission; the simulator knows it was neither, and counts it apart. */
static void classify_captured(struct capture *c, const struct net_packet_event *e)
{
	const struct tcp_seg *s = &e->pv->tcp;
	uint32_t len = tcp_seg_seqlen(s);
	if (e->pv->kind != PACKET_TCP || (s->flags & TCP_RST) || e->duplicate)
		return;
	struct seen_key k = {s->saddr, s->daddr, s->sport, s->dport};
	struct seen_stream *st = g_hash_table_lookup(c->seen, &k);
	/* A SYN with a new ISN starts a new incarnation: a new stream, as in
	 * Wireshark.  The same ISN again is a retransmitted SYN. */
	if (st && (s->flags & TCP_SYN) && s->seq != st->isn)
		st = NULL;
	/* an ACK's sequence number only marks where its sender is */
	bool behind = len > 0 && st && (int32_t)(s->seq - st->end) < 0;
	if (behind && e->retransmission)
		c->report->captured_rtx++;
	else if (behind)
		c->report->captured_late++;
	uint32_t end = s->seq + len;
	if (!st) {
		st = g_hash_table_lookup(c->seen, &k); /* an older incarnation's, to reuse */
		if (!st)
			st = add_stream(c, k);
		st->isn = s->seq;
		st->end = end;
		st->flow_id = e->flow_id;
	} else if ((int32_t)(end - st->end) > 0) {
		st->end = end;
	}
}

/* Wireshark keeps what it saw of a 4-tuple for as long as it runs; a
 * capture of a long run would then hold one record per port ever used.
 * Once no connection holds a flow and none of its packets is in flight,
 * nothing of it can reach the capture point again: its records go, and
 * the table holds only what is live (memory flat while TIME_WAITs come and
 * go).  A record a newer incarnation took over belongs to that one. */
static void forget_stream(struct capture *c, struct seen_key k, uint64_t flow_id)
{
	struct seen_stream *st = g_hash_table_lookup(c->seen, &k);
	if (st && st->flow_id == flow_id) {
		g_hash_table_remove(c->seen, &k);
		st->next_spare = c->spare_streams;
		c->spare_streams = st;
	}
}

static void free_seen_streams(struct capture *c)
{
	GHashTableIter it;
	gpointer st;
	g_hash_table_iter_init(&it, c->seen);
	while (g_hash_table_iter_next(&it, &st, NULL))
		g_free(st);
	g_hash_table_destroy(c->seen);
	for (struct seen_stream *next; c->spare_streams; c->spare_streams = next) {
		next = c->spare_streams->next_spare;
		g_free(c->spare_streams);
	}
}

static void capture_flow_gone(void *self, uint64_t flow_id, const struct net_tuple *t)
{
	struct capture *c = self;
	forget_stream(c, (struct seen_key){t->saddr, t->daddr, t->sport, t->dport}, flow_id);
	forget_stream(c, (struct seen_key){t->daddr, t->saddr, t->dport, t->sport}, flow_id);
}

/* The frame of a packet that reached the wire, in c->buf; 0 for one that
 * did not (held for ARP) or that the framing cannot show (ARP, raw). */
static uint32_t frame_of(struct capture *c, const struct net_packet_event *e)
{
	if (!net_packet_on_wire(e))
		return 0;
	return wire_frame(e->pv, c->ethernet, c->buf, sizeof c->buf);
}

/* The classic capture: the capture point only (each interface sees its
 * own sends and its arrivals); its statistics describe the file. */
static void pcap_packet(void *self, const struct net_packet_event *e)
{
	struct capture *c = self;
	if (e->at != c->at)
		return;
	uint32_t len = frame_of(c, e);
	if (len == 0)
		return;
	c->report->captured++;
	classify_captured(c, e);
	pcap_out_write(c->pcap, e->t, c->buf, len);
}

static void capture_free(struct capture *c)
{
	g_free(c->path);
	annotate_free(c->annotate);
	free_seen_streams(c);
	g_free(c);
}

static bool pcap_commit(void *self, const struct sink_end *end, GError **error)
{
	struct capture *c = self;
	(void)end;
	bool ok = pcap_out_commit(c->pcap, error);
	if (ok)
		c->report->pcap_path = g_steal_pointer(&c->path);
	capture_free(c);
	return ok;
}

static void capture_abandon(void *self)
{
	struct capture *c = self;
	if (c->pcap)
		pcap_out_abandon(c->pcap);
	if (c->pcapng)
		pcapng_out_abandon(c->pcapng);
	capture_free(c);
}

static const struct sink_ops pcap_sink = {
	.packet = pcap_packet,
	.flow_gone = capture_flow_gone,
	.commit = pcap_commit,
	.abandon = capture_abandon,
};

/* The pcapng: both interfaces, every packet through the annotator, which
 * hands them back in order with their comments. */
static void pcapng_packet(void *self, const struct net_packet_event *e)
{
	struct capture *c = self;
	uint32_t len = frame_of(c, e);
	if (len > 0)
		annotate_packet(c->annotate, e, c->buf, len);
}

static void pcapng_state(void *self, const struct net_state_event *e)
{
	annotate_state(((struct capture *)self)->annotate, e);
}

static void pcapng_call(void *self, const struct net_call_event *e)
{
	annotate_call(((struct capture *)self)->annotate, e);
}

static void emit_pcapng(void *ctx, uint32_t iface, sim_time t, const uint8_t *packet, uint32_t len,
                        const char *comment)
{
	struct capture *c = ctx;
	pcapng_out_write(c->pcapng, iface, t, packet, len, comment);
}

static bool pcapng_commit(void *self, const struct sink_end *end, GError **error)
{
	struct capture *c = self;
	(void)end;
	annotate_finish(c->annotate);
	bool ok = pcapng_out_commit(c->pcapng, error);
	if (ok)
		c->report->pcapng_path = g_steal_pointer(&c->path);
	capture_free(c);
	return ok;
}

static const struct sink_ops pcapng_sink = {
	.packet = pcapng_packet,
	.state = pcapng_state,
	.call = pcapng_call,
	.commit = pcapng_commit,
	.abandon = capture_abandon,
};

static bool open_pcapng(const struct sink_args *a, struct capture *c, enum pcap_framing framing,
                        GError **error)
{
	c->path = g_build_filename(a->out_dir, "trace.pcapng", NULL);
	c->pcapng = pcapng_out_open(c->path, framing,
	                            a->app_name ? a->app_name : "tcpsim", error);
	if (!c->pcapng)
		return false;
	const struct endpoint_config *eps[NET_ROLES] = {&a->cfg->client, &a->cfg->server};
	for (int r = 0; r < NET_ROLES; r++) {
		char *addr = sink_endpoint_text(eps[r]);
		char *desc = g_strdup_printf("tcpsim: the %s's interface (%s), simulated",
		                             net_role_name((enum net_role)r), addr);
		pcapng_out_add_interface(c->pcapng, net_role_name((enum net_role)r), desc);
		g_free(desc);
		g_free(addr);
	}
	c->annotate = annotate_new(emit_pcapng, c);
	return true;
}

bool capture_sink_open(const struct sink_args *a, struct sink *out, GError **error)
{
	out->ops = NULL;
	if (!a->cfg->pcap)
		return true;
	enum pcap_framing framing = a->cfg->ethernet ? PCAP_ETHERNET : PCAP_RAW_IPV4;
	struct capture *c = g_new0(struct capture, 1);
	c->report = a->report;
	c->at = a->capture;
	c->ethernet = framing == PCAP_ETHERNET;
	c->seen = g_hash_table_new(seen_hash, seen_equal);
	bool ok;
	if (a->pcapng) {
		ok = open_pcapng(a, c, framing, error);
	} else {
		c->path = g_build_filename(a->out_dir, "trace.pcap", NULL);
		c->pcap = pcap_out_open(c->path, framing, error);
		ok = c->pcap != NULL;
	}
	if (!ok) {
		capture_free(c);
		return false;
	}
	out->ops = a->pcapng ? &pcapng_sink : &pcap_sink;
	out->self = c;
	return true;
}
