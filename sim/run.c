/*
 * Driving one run.  The observer callbacks here are the only place where
 * the world's events turn into bytes; each output is fed from them:
 *  - the classic pcap and the text trace: the capture point's interface;
 *  - the pcapng (through sim/out/annotate.c, which adds the comments), the
 *    event log and the diagram: both interfaces, every state and call.
 * Nothing is formatted unless an output asks for it.  Every file is written
 * under a temporary name; a failed run removes them all.
 */
#include <string.h>
#include <glib.h>
#include "sim/out/annotate.h"
#include "sim/out/diagram/diagram.h"
#include "sim/escape.h"
#include "sim/out/events_out.h"
#include "sim/out/outfile.h"
#include "sim/out/pcap_out.h"
#include "sim/out/pcapng.h"
#include "sim/engine/queue.h"
#include "sim/run.h"
#include "sim/config/spec.h"
#include "sim/out/trace_out.h"
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

struct run_ctx {
	GHashTable *seen;     /* set of struct seen_stream, keyed by their struct seen_key */
	struct seen_stream *spare_streams; /* forgotten ones whose memory serves again */
	const struct config *cfg;
	const struct run_options *opt;
	struct run_result *res;
	struct outdir *outdir;        /* the locked output folder, or NULL */
	enum net_role capture;
	struct pcap_out *pcap;        /* classic capture, or NULL */
	struct pcapng_out *pcapng;    /* two-interface capture, or NULL */
	struct annotate *annotate;    /* its comments, with pcapng */
	struct trace_out *trace;      /* text trace, or NULL */
	struct events_out *events;    /* event log, or NULL */
	struct diagram *diagram;      /* sequence diagram being recorded, or NULL */
	GPtrArray *committed;         /* paths (owned by res) of the outputs written */
	uint8_t buf[WIRE_MAX_PACKET];
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
static struct seen_stream *add_stream(struct run_ctx *rc, struct seen_key k)
{
	struct seen_stream *st = rc->spare_streams;
	if (st)
		rc->spare_streams = st->next_spare;
	else
		st = g_new(struct seen_stream, 1);
	st->key = k;
	g_hash_table_add(rc->seen, st);
	return st;
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
		st = g_hash_table_lookup(rc->seen, &k); /* an older incarnation's, to reuse */
		if (!st)
			st = add_stream(rc, k);
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
static void forget_stream(struct run_ctx *rc, struct seen_key k, uint64_t flow_id)
{
	struct seen_stream *st = g_hash_table_lookup(rc->seen, &k);
	if (st && st->flow_id == flow_id) {
		g_hash_table_remove(rc->seen, &k);
		st->next_spare = rc->spare_streams;
		rc->spare_streams = st;
	}
}

static void free_seen_streams(struct run_ctx *rc)
{
	GHashTableIter it;
	gpointer st;
	g_hash_table_iter_init(&it, rc->seen);
	while (g_hash_table_iter_next(&it, &st, NULL))
		g_free(st);
	g_hash_table_destroy(rc->seen);
	for (struct seen_stream *next; rc->spare_streams; rc->spare_streams = next) {
		next = rc->spare_streams->next_spare;
		g_free(rc->spare_streams);
	}
}

static void on_flow_gone(void *ctx, uint64_t flow_id, const struct net_tuple *t)
{
	struct run_ctx *rc = ctx;
	forget_stream(rc, (struct seen_key){t->saddr, t->daddr, t->sport, t->dport}, flow_id);
	forget_stream(rc, (struct seen_key){t->daddr, t->saddr, t->dport, t->sport}, flow_id);
}

/* The classic capture and the text trace: the capture point only. */
static void at_capture_point(struct run_ctx *rc, const struct net_packet_event *e)
{
	if (rc->pcap) { /* the capture statistics describe the capture file */
		rc->res->captured++;
		classify_captured(rc, e);
		uint32_t len = wire_encode(e->pv, rc->buf, sizeof rc->buf);
		pcap_out_write(rc->pcap, e->t, rc->buf, len);
	}
	if (rc->trace)
		trace_out_packet(rc->trace, e);
}

static void on_packet(void *ctx, const struct net_packet_event *e)
{
	struct run_ctx *rc = ctx;
	if (e->at == rc->capture) /* each interface sees its own sends and its arrivals */
		at_capture_point(rc, e);
	if (rc->annotate) {
		uint32_t len = wire_encode(e->pv, rc->buf, sizeof rc->buf);
		annotate_packet(rc->annotate, e, rc->buf, len);
	}
	if (rc->events)
		events_out_packet(rc->events, e);
	if (rc->diagram)
		diagram_packet(rc->diagram, e);
}

static void on_state(void *ctx, const struct net_state_event *e)
{
	struct run_ctx *rc = ctx;
	if (rc->trace)
		trace_out_state(rc->trace, e);
	if (rc->annotate)
		annotate_state(rc->annotate, e);
	if (rc->events)
		events_out_state(rc->events, e);
	if (rc->diagram)
		diagram_state(rc->diagram, e);
}

static void on_call(void *ctx, const struct net_call_event *e)
{
	struct run_ctx *rc = ctx;
	if (rc->trace)
		trace_out_call(rc->trace, e);
	if (rc->annotate)
		annotate_call(rc->annotate, e);
	if (rc->events)
		events_out_call(rc->events, e);
	if (rc->diagram)
		diagram_call(rc->diagram, e);
	if (rc->res->call_lines && rc->res->call_lines->len < 400)
		g_ptr_array_add(rc->res->call_lines,
		                g_strdup_printf("[%11.6f] %s: %s", sim_time_to_sec(e->t),
		                                net_role_name(e->role), e->text));
}

/* sim/out/annotate.c hands the commented packets over in order. */
static void emit_pcapng(void *ctx, uint32_t iface, sim_time t, const uint8_t *packet, uint32_t len,
                        const char *comment)
{
	struct run_ctx *rc = ctx;
	pcapng_out_write(rc->pcapng, iface, t, packet, len, comment);
}

/* "10.0.0.1" or "10.0.0.2:8080" */
static char *endpoint_text(const struct endpoint_config *ep)
{
	uint32_t a = ep->addr;
	if (ep->port)
		return g_strdup_printf("%u.%u.%u.%u:%u", a >> 24, (a >> 16) & 0xffu, (a >> 8) & 0xffu,
		                       a & 0xffu, ep->port);
	return g_strdup_printf("%u.%u.%u.%u", a >> 24, (a >> 16) & 0xffu, (a >> 8) & 0xffu, a & 0xffu);
}

static bool open_pcapng(struct run_ctx *rc, enum pcap_framing framing, GError **error)
{
	struct run_result *res = rc->res;
	res->pcapng_path = g_build_filename(rc->opt->out_dir, "trace.pcapng", NULL);
	rc->pcapng = pcapng_out_open(res->pcapng_path, framing,
	                             rc->opt->app_name ? rc->opt->app_name : "tcpsim", error);
	if (!rc->pcapng)
		return false;
	const struct endpoint_config *eps[NET_ROLES] = {&rc->cfg->client, &rc->cfg->server};
	for (int r = 0; r < NET_ROLES; r++) {
		char *addr = endpoint_text(eps[r]);
		char *desc = g_strdup_printf("tcpsim: the %s's interface (%s), simulated",
		                             net_role_name((enum net_role)r), addr);
		pcapng_out_add_interface(rc->pcapng, net_role_name((enum net_role)r), desc);
		g_free(desc);
		g_free(addr);
	}
	rc->annotate = annotate_new(emit_pcapng, rc);
	return true;
}

static bool open_capture(struct run_ctx *rc, GError **error)
{
	enum pcap_framing framing = rc->cfg->ethernet ? PCAP_ETHERNET : PCAP_RAW_IPV4;
	if (!rc->cfg->pcap)
		return true;
	if (rc->opt->format == RUN_CAPTURE_PCAPNG)
		return open_pcapng(rc, framing, error);
	rc->res->pcap_path = g_build_filename(rc->opt->out_dir, "trace.pcap", NULL);
	rc->pcap = pcap_out_open(rc->res->pcap_path, framing, error);
	return rc->pcap != NULL;
}

static struct diagram *new_diagram(const struct config *cfg, const char *path, GError **error)
{
	struct diagram_info info = {.title = cfg->path, .seed = cfg->seed};
	info.endpoint[NET_CLIENT] = endpoint_text(&cfg->client);
	info.endpoint[NET_SERVER] = endpoint_text(&cfg->server);
	struct diagram *d = diagram_new(&info, path, error);
	g_free(info.endpoint[NET_CLIENT]);
	g_free(info.endpoint[NET_SERVER]);
	return d;
}

static bool open_outputs(struct run_ctx *rc, GError **error)
{
	const struct run_options *opt = rc->opt;
	/* created and locked only now that the config and options are checked */
	rc->outdir = outdir_open(opt->out_dir, error);
	if (!rc->outdir)
		return false;
	if (!open_capture(rc, error))
		return false;
	if (opt->events_path) {
		rc->events = events_out_open(opt->events_path, error);
		if (!rc->events)
			return false;
	}
	if (opt->trace)
		rc->trace = trace_out_new(opt->trace, rc->capture, opt->relative_seq);
	if (opt->diagram_path) {
		rc->diagram = new_diagram(rc->cfg, opt->diagram_path, error);
		if (!rc->diagram)
			return false;
	}
	return true;
}

static void run_world(struct run_ctx *rc)
{
	struct run_result *res = rc->res;
	struct sim_queue q;
	sim_queue_init(&q);
	struct net_spec spec;
	config_to_spec(rc->cfg, rc->opt->run, &spec);
	/* Calls are formatted as text only for an output that shows them. */
	bool want_calls = rc->trace || rc->annotate || rc->events || rc->diagram || res->call_lines;
	struct net_observer obs = {rc, on_packet, on_state, want_calls ? on_call : NULL,
	                           rc->pcap ? on_flow_gone : NULL};
	res->net = net_new(&spec, &q, &obs);
	net_start(res->net);
	gint64 loop_start = g_get_monotonic_time();
	res->events = sim_queue_run(&q, rc->cfg->duration);
	res->loop_seconds = (double)(g_get_monotonic_time() - loop_start) / G_USEC_PER_SEC;
	res->stalled = q.stalled;
	res->truncated = sim_queue_peek_time(&q) != SIM_NEVER;
	res->end_time = res->truncated && !res->stalled ? rc->cfg->duration : q.now;
	net_finish(res->net);
	sim_queue_clear(&q);
}

/* Completes every output; after the first failure the rest are abandoned. */
static bool commit_outputs(struct run_ctx *rc, GError **error)
{
	bool ok = true;
	if (rc->pcap) {
		ok = pcap_out_commit(rc->pcap, error);
		rc->pcap = NULL;
		if (ok)
			g_ptr_array_add(rc->committed, rc->res->pcap_path);
	}
	if (rc->annotate)
		annotate_finish(rc->annotate);
	if (ok && rc->pcapng) {
		ok = pcapng_out_commit(rc->pcapng, error);
		rc->pcapng = NULL;
		if (ok)
			g_ptr_array_add(rc->committed, rc->res->pcapng_path);
	}
	if (ok && rc->events) {
		ok = events_out_commit(rc->events, error);
		rc->events = NULL;
		rc->res->events_path = ok ? g_strdup(rc->opt->events_path) : NULL;
		if (ok)
			g_ptr_array_add(rc->committed, rc->res->events_path);
	}
	if (ok && rc->diagram) {
		ok = diagram_write(rc->diagram, rc->res->end_time, rc->res->truncated, error);
		rc->res->diagram_path = ok ? g_strdup(rc->opt->diagram_path) : NULL;
	}
	return ok;
}

/* Removes what a failed run left unfinished, and what it finished
 * (rc->committed, through outfile_remove(): never a device); a failure
 * that is a usage error (nothing simulated, or a stall) also removes the
 * output folder if this run created it. */
static void abandon_outputs(struct run_ctx *rc, bool ok)
{
	if (rc->pcap)
		pcap_out_abandon(rc->pcap);
	if (rc->pcapng)
		pcapng_out_abandon(rc->pcapng);
	events_out_abandon(rc->events);
	for (guint i = 0; !ok && i < rc->committed->len; i++)
		outfile_remove(g_ptr_array_index(rc->committed, i));
	annotate_free(rc->annotate);
	trace_out_free(rc->trace);
	diagram_free(rc->diagram);
	outdir_close(rc->outdir, !ok && (!rc->res->net || rc->res->stalled));
}

static bool stall_error(const struct config *cfg, const struct run_result *res, GError **error)
{
	char *shown = escape_text(cfg->path);
	g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_STALLED,
	            "%s: simulated time stopped advancing at %.9f s (%u events, or script runs, in a "
	            "row at that instant): a program that repeats without waiting (repeat = forever "
	            "with sleep 0, or an empty script?); no output written",
	            shown, sim_time_to_sec(res->end_time), SIM_QUEUE_STALL_EVENTS);
	g_free(shown);
	return false;
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
	rc->seen = g_hash_table_new(seen_hash, seen_equal);
	rc->committed = g_ptr_array_new();
	if (opt->keep_calls)
		res->call_lines = g_ptr_array_new_with_free_func(g_free);
	bool ok = open_outputs(rc, error);
	if (ok) {
		run_world(rc);
		ok = !res->stalled ? commit_outputs(rc, error) : stall_error(cfg, res, error);
	}
	abandon_outputs(rc, ok);
	free_seen_streams(rc);
	g_ptr_array_free(rc->committed, TRUE);
	g_free(rc);
	return ok;
}

void run_result_clear(struct run_result *res)
{
	g_free(res->pcap_path);
	g_free(res->pcapng_path);
	g_free(res->events_path);
	g_free(res->diagram_path);
	if (res->call_lines)
		g_ptr_array_free(res->call_lines, TRUE);
	net_free(res->net);
	memset(res, 0, sizeof *res);
}
