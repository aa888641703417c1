/*
 * Driving one run.  The observer callbacks here are the only place where
 * the world's events turn into bytes: the pcap at the configured capture
 * point, and the optional text trace.  Nothing is formatted unless an
 * output asks for it.
 */
#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include "sim/pcap_out.h"
#include "sim/queue.h"
#include "sim/run.h"
#include "sim/tcpdump.h"
#include "sim/wire.h"

/* One direction of one connection as the capture point sees it. */
struct seen_key {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
};

/* What the capture point has seen of that stream. */
struct seen_stream {
	uint32_t isn;         /* sequence number of its SYN (or first segment) */
	uint32_t end;         /* highest sequence end seen */
};

struct run_ctx {
	GHashTable *seen;     /* struct seen_key -> struct seen_stream */
	const struct config *cfg;
	const struct run_options *opt;
	struct run_result *res;
	struct pcap_out *pcap;
	enum net_role capture;
	uint8_t buf[WIRE_MAX_PACKET];
	GString *line;
};

static const char *drop_reason(enum link_drop d)
{
	switch (d) {
	case LINK_DROP_LOSS: return "loss";
	case LINK_DROP_QUEUE: return "queue full";
	case LINK_DROP_FAULT: return "fault";
	case LINK_DROP_UNREACHABLE: return "unreachable";
	case LINK_DELIVER: break;
	}
	return "";
}

static void trace_packet(struct run_ctx *rc, const struct net_packet_event *e)
{
	GString *l = rc->line;
	g_string_truncate(l, 0);
	tcpdump_format(l, e->t, e->pv, false, 0, 0);
	if (e->outgoing && e->retransmission)
		g_string_append(l, "  [retransmission]");
	if (e->outgoing && e->fate != LINK_DELIVER)
		g_string_append_printf(l, "  [dropped by the network: %s]", drop_reason(e->fate));
	if (!e->outgoing && e->duplicate)
		g_string_append(l, "  [duplicate]");
	if (!e->outgoing && e->reordered)
		g_string_append(l, "  [reordered]");
	fprintf(rc->opt->trace, "%s\n", l->str);
}

static guint seen_hash(gconstpointer p)
{
	const struct seen_key *k = p;
	return (k->saddr * 2654435761u) ^ k->daddr ^ ((guint)k->sport << 16 | k->dport);
}

static gboolean seen_equal(gconstpointer a, gconstpointer b)
{
	return memcmp(a, b, sizeof(struct seen_key)) == 0;
}

/* What a capture can tell about a segment: a retransmission is recognisable
 * when sequence space at or beyond its start already passed this interface
 * (an earlier copy, or a later segment that overtook a lost one).  An
 * original that arrives behind later ones (held back by reordering) looks
 * the same to a capture: Wireshark calls it out of order or a
 * retransmission; the simulator knows it was neither, and counts it apart. */
static void classify_captured(struct run_ctx *rc, const struct net_packet_event *e)
{
	const struct tcp_seg *s = &e->pv->tcp;
	uint32_t len = tcp_seg_seqlen(s);
	if (e->pv->kind != PACKET_TCP || (s->flags & TCP_RST) || e->duplicate)
		return;
	struct seen_key k = {s->saddr, s->daddr, s->sport, s->dport};
	struct seen_stream *st = g_hash_table_lookup(rc->seen, &k);
	/* A SYN with a new ISN starts a new incarnation: a new stream, as in
	 * Wireshark.  The same ISN again is a retransmitted SYN. */
	if (st && (s->flags & TCP_SYN) && s->seq != st->isn)
		st = NULL;
	/* an ACK's sequence number only marks where its sender is */
	bool behind = len > 0 && st && (int32_t)(s->seq - st->end) < 0;
	if (behind && e->retransmission)
		rc->res->captured_rtx++;
	else if (behind)
		rc->res->captured_late++;
	uint32_t end = s->seq + len;
	if (!st) {
		st = g_new(struct seen_stream, 1);
		st->isn = s->seq;
		st->end = end;
		g_hash_table_replace(rc->seen, g_memdup2(&k, sizeof k), st);
	} else if ((int32_t)(end - st->end) > 0) {
		st->end = end;
	}
}

static void on_packet(void *ctx, const struct net_packet_event *e)
{
	struct run_ctx *rc = ctx;
	if (e->at != rc->capture)
		return; /* each interface sees its own sends and its arrivals */
	if (rc->pcap) { /* the capture statistics describe the capture file */
		rc->res->captured++;
		classify_captured(rc, e);
	}
	if (rc->pcap) {
		uint32_t len = wire_encode(e->pv, rc->buf, sizeof rc->buf);
		pcap_out_write(rc->pcap, e->t, rc->buf, len);
	}
	if (rc->opt->trace)
		trace_packet(rc, e);
}

static void on_state(void *ctx, const struct net_state_event *e)
{
	struct run_ctx *rc = ctx;
	if (!rc->opt->trace)
		return;
	fprintf(rc->opt->trace, "%.9f %s #%llu %s -> %s%s%s\n", sim_time_to_sec(e->t),
	        net_role_name(e->role), (unsigned long long)e->conn_id, tcp_state_name(e->from),
	        tcp_state_name(e->to), e->err ? " " : "", e->err ? net_errno_name(e->err) : "");
}

static void on_call(void *ctx, const struct net_call_event *e)
{
	struct run_ctx *rc = ctx;
	if (rc->opt->trace)
		fprintf(rc->opt->trace, "%.9f %s: %s\n", sim_time_to_sec(e->t), net_role_name(e->role),
		        e->text);
	if (rc->res->call_lines && rc->res->call_lines->len < 400)
		g_ptr_array_add(rc->res->call_lines,
		                g_strdup_printf("[%11.6f] %s: %s", sim_time_to_sec(e->t),
		                                net_role_name(e->role), e->text));
}

static void fill_spec(const struct config *cfg, struct net_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	spec->seed = cfg->seed;
	const struct endpoint_config *eps[NET_ROLES] = {&cfg->client, &cfg->server};
	for (int r = 0; r < NET_ROLES; r++) {
		spec->ep[r].addr = eps[r]->addr;
		spec->ep[r].port = eps[r]->port;
		spec->ep[r].script = &eps[r]->script;
		spec->ep[r].repeat = eps[r]->repeat;
		spec->ep[r].ports[0] = eps[r]->ports[0];
		spec->ep[r].ports[1] = eps[r]->ports[1];
		spec->ep[r].tcp = &eps[r]->tcp;
	}
	spec->link[NET_CLIENT] = cfg->c2s;
	spec->link[NET_SERVER] = cfg->s2c;
	spec->faults = cfg->faults;
	spec->n_faults = cfg->n_faults;
}

static bool open_outputs(struct run_ctx *rc, GError **error)
{
	if (g_mkdir_with_parents(rc->opt->out_dir, 0755) != 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
		            "%s: cannot create the output folder: %s", rc->opt->out_dir,
		            g_strerror(errno));
		return false;
	}
	if (!rc->cfg->pcap)
		return true;
	rc->res->pcap_path = g_build_filename(rc->opt->out_dir, "trace.pcap", NULL);
	rc->pcap = pcap_out_open(rc->res->pcap_path, rc->cfg->ethernet ? PCAP_ETHERNET : PCAP_RAW_IPV4,
	                         error);
	return rc->pcap != NULL;
}

bool run_simulation(const struct config *cfg, const struct run_options *opt,
                    struct run_result *res, GError **error)
{
	memset(res, 0, sizeof *res);
	struct run_ctx *rc = g_new0(struct run_ctx, 1);
	rc->cfg = cfg;
	rc->opt = opt;
	rc->res = res;
	rc->capture = cfg->capture == CAPTURE_SERVER ? NET_SERVER : NET_CLIENT;
	rc->line = g_string_new(NULL);
	rc->seen = g_hash_table_new_full(seen_hash, seen_equal, g_free, g_free);
	if (opt->keep_calls)
		res->call_lines = g_ptr_array_new_with_free_func(g_free);
	bool ok = open_outputs(rc, error);
	if (ok) {
		struct sim_queue q;
		sim_queue_init(&q);
		struct net_spec spec;
		fill_spec(cfg, &spec);
		struct net_observer obs = {rc, on_packet, on_state,
		                           opt->trace || opt->keep_calls ? on_call : NULL};
		res->net = net_new(&spec, &q, &obs);
		net_start(res->net);
		res->events = sim_queue_run(&q, cfg->duration);
		res->truncated = sim_queue_peek_time(&q) != SIM_NEVER;
		res->end_time = res->truncated ? cfg->duration : q.now;
		net_finish(res->net);
		sim_queue_clear(&q);
		if (rc->pcap)
			ok = pcap_out_commit(rc->pcap, error);
		rc->pcap = NULL;
	}
	if (rc->pcap)
		pcap_out_abandon(rc->pcap);
	g_string_free(rc->line, TRUE);
	g_hash_table_destroy(rc->seen);
	g_free(rc);
	return ok;
}

void run_result_clear(struct run_result *res)
{
	g_free(res->pcap_path);
	if (res->call_lines)
		g_ptr_array_free(res->call_lines, TRUE);
	net_free(res->net);
	memset(res, 0, sizeof *res);
}
