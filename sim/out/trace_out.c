/*
 * The text trace; see trace_out.h.  Packet lines come from sim/out/tcpdump.c;
 * this file adds the network's marks and tcpdump's relative-number
 * bookkeeping, kept per conversation in a hash table.
 */
#include "sim/out/trace_out.h"

#include <string.h>
#include <glib.h>
#include "sim/out/streamend.h"
#include "sim/out/tcpdump.h"

/* A conversation: the endpoint with the lower (address, port) first. */
struct conv_key {
	uint32_t addr[2];
	uint16_t port[2];
};

/* tcpdump's struct tcp_seq_hash: the bases of the conversation, for the
 * direction from endpoint 0 to endpoint 1 (seq) and back (ack). */
struct conv_bases {
	uint32_t seq;   /* endpoint 0's initial sequence number */
	uint32_t ack;   /* endpoint 1's */
};

struct trace_out {
	FILE *out;
	enum net_role at;
	bool relative;
	GHashTable *convs;   /* struct conv_key -> struct conv_bases */
	struct streamend *arrived; /* how far each direction got arriving here */
	GString *line;
};

static guint conv_hash(gconstpointer p)
{
	const struct conv_key *k = p;
	return (k->addr[0] * 2654435761u) ^ (k->addr[1] * 40503u) ^
	       ((guint)k->port[0] << 16 | k->port[1]);
}

static gboolean conv_equal(gconstpointer a, gconstpointer b)
{
	return memcmp(a, b, sizeof(struct conv_key)) == 0;
}

struct trace_out *trace_out_new(FILE *out, enum net_role at, bool relative_seq)
{
	struct trace_out *tr = g_new0(struct trace_out, 1);
	tr->out = out;
	tr->at = at;
	tr->relative = relative_seq;
	tr->convs = g_hash_table_new_full(conv_hash, conv_equal, g_free, g_free);
	tr->arrived = streamend_new();
	tr->line = g_string_sized_new(256);
	return tr;
}

void trace_out_free(struct trace_out *tr)
{
	if (tr == NULL)
		return;
	g_hash_table_destroy(tr->convs);
	streamend_free(tr->arrived);
	g_string_free(tr->line, TRUE);
	g_free(tr);
}

/* The conversation key of s; *reversed when s goes from endpoint 1 to 0. */
static struct conv_key conv_of(const struct tcp_seg *s, bool *reversed)
{
	struct conv_key k;
	memset(&k, 0, sizeof k);
	*reversed = s->saddr > s->daddr || (s->saddr == s->daddr && s->sport > s->dport);
	k.addr[0] = *reversed ? s->daddr : s->saddr;
	k.addr[1] = *reversed ? s->saddr : s->daddr;
	k.port[0] = *reversed ? s->dport : s->sport;
	k.port[1] = *reversed ? s->sport : s->dport;
	return k;
}

/* tcpdump's decision for one segment: false to show it absolute, else
 * the ISNs of its sender and its receiver. */
static bool relative_bases(struct trace_out *tr, const struct tcp_seg *s, uint32_t *isn_src,
                           uint32_t *isn_dst)
{
	if (!(s->flags & TCP_ACK))
		return false;
	bool rev;
	struct conv_key k = conv_of(s, &rev);
	struct conv_bases *b = g_hash_table_lookup(tr->convs, &k);
	if (b == NULL || (s->flags & TCP_SYN)) { /* new conversation: set the bases */
		if (b == NULL) {
			b = g_new(struct conv_bases, 1);
			g_hash_table_insert(tr->convs, g_memdup2(&k, sizeof k), b);
		}
		b->seq = rev ? s->ack - 1 : s->seq;
		b->ack = rev ? s->seq : s->ack - 1;
		return false;
	}
	*isn_src = rev ? b->ack : b->seq;
	*isn_dst = rev ? b->seq : b->ack;
	return true;
}

/*
 * How an arriving segment looks to a capture at this interface (see
 * streamend.h): a retransmission whose sequence space, or some beyond its
 * start, already arrived here is Wireshark's tcp.analysis.retransmission
 * (a lost original's retransmission that brings new sequence space is not
 * flagged there, nor here); an original behind later segments is [late].
 * A copy the network duplicated is marked [duplicate] (below), never
 * either of those, but moves the highest end seen as every arrival does.
 * Sends are marked as their sender says: see trace_out_packet().
 */
static enum streamend_verdict arrival_verdict(struct trace_out *tr,
                                              const struct net_packet_event *e)
{
	return e->outgoing ? STREAMEND_NEW : streamend_seen(tr->arrived, e, true);
}

static const char *drop_reason(enum link_drop d)
{
	switch (d) {
	case LINK_DROP_LOSS: return "loss";
	case LINK_DROP_QUEUE: return "queue full";
	case LINK_DROP_FAULT: return "fault";
	case LINK_DROP_UNREACHABLE: return "unreachable";
	case LINK_DROP_BLACK_HOLE: return "black hole beyond the router";
	case LINK_DROP_UNRESOLVED: /* not by the network: see trace_out_packet() */
	case LINK_DELIVER: break;
	}
	return "";
}

void trace_out_packet(struct trace_out *tr, const struct net_packet_event *e)
{
	GString *l = tr->line;
	uint32_t isn_src = 0, isn_dst = 0;
	bool relative = false;

	if (e->at != tr->at)
		return;
	if (tr->relative && e->pv->kind == PACKET_TCP)
		relative = relative_bases(tr, &e->pv->tcp, &isn_src, &isn_dst);
	g_string_truncate(l, 0);
	tcpdump_format(l, e->t, e->pv, relative, isn_src, isn_dst);
	enum streamend_verdict seen = arrival_verdict(tr, e);
	if (e->outgoing ? e->retransmission : seen == STREAMEND_RETRANSMISSION)
		g_string_append(l, "  [retransmission]");
	if (seen == STREAMEND_LATE)
		g_string_append(l, "  [late]");
	if (!net_packet_on_wire(e))
		g_string_append(l, "  [not sent: waits for an ARP reply that never comes]");
	else if (e->outgoing && e->fate != LINK_DELIVER)
		g_string_append_printf(l, "  [dropped by the network: %s]", drop_reason(e->fate));
	if (!e->outgoing && e->duplicate)
		g_string_append(l, "  [duplicate]");
	if (!e->outgoing && e->reordered)
		g_string_append(l, "  [reordered]");
	fprintf(tr->out, "%s\n", l->str);
}

void trace_out_state(struct trace_out *tr, const struct net_state_event *e)
{
	fprintf(tr->out, "%.9f %s #%llu %s -> %s%s%s\n", sim_time_to_sec(e->t),
	        net_role_name(e->role), (unsigned long long)e->conn_id, tcp_state_name(e->from),
	        tcp_state_name(e->to), e->err ? " " : "", e->err ? net_errno_name(e->err) : "");
}

void trace_out_call(struct trace_out *tr, const struct net_call_event *e)
{
	fprintf(tr->out, "%.9f %s: %s\n", sim_time_to_sec(e->t), net_role_name(e->role), e->text);
}

/* --- the trace as a sink of the run (sink.h) --- */

/* The trace shows the capture point's interface, as tcpdump would. */
static void sink_packet(void *self, const struct net_packet_event *e)
{
	struct trace_out *tr = self;
	if (e->at == tr->at)
		trace_out_packet(tr, e);
}

static void sink_state(void *self, const struct net_state_event *e) { trace_out_state(self, e); }
static void sink_call(void *self, const struct net_call_event *e) { trace_out_call(self, e); }
static void sink_flow_gone(void *self, uint64_t flow_id, const struct net_tuple *t)
{
	struct trace_out *tr = self;
	streamend_forget(tr->arrived, flow_id, t);
}

static bool sink_commit(void *self, const struct sink_end *end, GError **error)
{
	(void)end;
	(void)error;
	trace_out_free(self); /* its lines went out as they came */
	return true;
}

static void sink_abandon(void *self) { trace_out_free(self); }

static const struct sink_ops trace_sink = {
	.packet = sink_packet,
	.state = sink_state,
	.call = sink_call,
	.flow_gone = sink_flow_gone,
	.commit = sink_commit,
	.abandon = sink_abandon,
};

bool trace_sink_open(const struct sink_args *a, struct sink *out, GError **error)
{
	(void)error;
	out->ops = a->trace ? &trace_sink : NULL;
	out->self = a->trace ? trace_out_new(a->trace, a->capture, a->relative_seq) : NULL;
	return true;
}
