/*
 * One run: the outputs opened as sinks (sim/out/sink.h, the table below),
 * the world run once (sim/world/world.h) with an observer that hands every
 * event to every sink, then the sinks committed in order.  The classic
 * pcap and the text trace show the capture point's interface; the pcapng
 * (through sim/out/annotate.c, which adds the comments), the event log and
 * the diagram both interfaces, every state and call.  Nothing is formatted
 * unless an output asks for it.  Every file is written under a temporary
 * name; a failed run removes them all.
 */
#include <string.h>
#include <glib.h>
#include "sim/config/spec.h"
#include "sim/engine/queue.h"
#include "sim/escape.h"
#include "sim/out/capture.h"
#include "sim/out/diagram/diagram.h"
#include "sim/out/events_out.h"
#include "sim/out/outfile.h"
#include "sim/out/report/report.h"
#include "sim/out/seqgraph/seqgraph.h"
#include "sim/out/summary.h"
#include "sim/out/trace_out.h"
#include "sim/pkt/pkt_export.h"
#include "sim/run.h"
#include "sim/world/world.h"

/* Every output of a run, in the order they see events and are committed:
 * adding an output is a writer in sim/out/ with its sink_open and one row
 * here (sim/out/sink.h). */
static const sink_open_fn sink_table[] = {
	capture_sink_open,  /* OUT/trace.pcap, or trace.pcapng with comments */
	trace_sink_open,    /* --trace: tcpdump-style lines on stdout */
	events_sink_open,   /* --events: JSON Lines */
	diagram_sink_open,  /* --diagram: SVG or PNG */
	seqgraph_sink_open, /* --seqgraph: SVG or PNG */
	calls_sink_open,    /* the calls' lines of the human summary */
	pkt_export_sink_open, /* --pkt: one endpoint's run as a packetdrill script */
	report_sink_open,   /* --report: the HTML page */
};
#define N_SINKS G_N_ELEMENTS(sink_table)

/* The sinks that take one kind of event, in the table's order.  They are
 * listed once the outputs are open (none opens or closes while the world
 * runs), so that an event, of which a run has millions, visits only its
 * takers and not every row of the table. */
struct takers {
	uint32_t n;
	const struct sink *v[N_SINKS];
};

struct run_ctx {
	const struct config *cfg;
	const struct run_options *opt;
	struct run_result *res;
	struct outdir *outdir;        /* the locked output folder, or NULL */
	struct sink sinks[N_SINKS];   /* ops NULL: not asked for, or done */
	struct sink_report report;    /* what the sinks wrote, for res */
	struct takers packet, state, call, flow_gone, ack;
	bool call_text_done;          /* no output needs the calls' text any more */
};

static void list_takers(struct run_ctx *rc)
{
	for (size_t i = 0; i < N_SINKS; i++) {
		const struct sink *s = &rc->sinks[i];
		if (!s->ops)
			continue;
		if (s->ops->packet)
			rc->packet.v[rc->packet.n++] = s;
		if (s->ops->state)
			rc->state.v[rc->state.n++] = s;
		if (s->ops->call)
			rc->call.v[rc->call.n++] = s;
		if (s->ops->flow_gone)
			rc->flow_gone.v[rc->flow_gone.n++] = s;
		if (s->ops->ack)
			rc->ack.v[rc->ack.n++] = s;
	}
}

static void on_packet(void *ctx, const struct net_packet_event *e)
{
	struct run_ctx *rc = ctx;
	for (uint32_t i = 0; i < rc->packet.n; i++)
		rc->packet.v[i]->ops->packet(rc->packet.v[i]->self, e);
	const struct net_observer *d = rc->opt->driver_obs;
	if (d && d->packet)
		d->packet(d->ctx, e);
}

static void on_state(void *ctx, const struct net_state_event *e)
{
	struct run_ctx *rc = ctx;
	for (uint32_t i = 0; i < rc->state.n; i++)
		rc->state.v[i]->ops->state(rc->state.v[i]->self, e);
	const struct net_observer *d = rc->opt->driver_obs;
	if (d && d->state)
		d->state(d->ctx, e);
}

static void on_call(void *ctx, const struct net_call_event *e)
{
	struct run_ctx *rc = ctx;
	for (uint32_t i = 0; i < rc->call.n; i++)
		rc->call.v[i]->ops->call(rc->call.v[i]->self, e);
	const struct net_observer *d = rc->opt->driver_obs;
	if (d && d->call)
		d->call(d->ctx, e);
}

static void on_flow_gone(void *ctx, uint64_t flow_id, const struct net_tuple *t)
{
	struct run_ctx *rc = ctx;
	for (uint32_t i = 0; i < rc->flow_gone.n; i++)
		rc->flow_gone.v[i]->ops->flow_gone(rc->flow_gone.v[i]->self, flow_id, t);
}

static void on_ack(void *ctx, const struct net_ack_event *e)
{
	struct run_ctx *rc = ctx;
	for (uint32_t i = 0; i < rc->ack.n; i++)
		rc->ack.v[i]->ops->ack(rc->ack.v[i]->self, e);
}

/* Whether any output still needs the calls' text (net_observer's
 * call_text_wanted): the summary stops needing it after its first lines,
 * and a sink that stops never needs it again (sink.h), so the answer is
 * kept once it is no. */
static bool on_call_text_wanted(void *ctx)
{
	struct run_ctx *rc = ctx;
	if (rc->opt->driver_obs && rc->opt->driver_obs->call)
		return true;
	if (rc->call_text_done)
		return false;
	for (uint32_t i = 0; i < rc->call.n; i++) {
		const struct sink *s = rc->call.v[i];
		if (!s->ops->call_text_wanted || s->ops->call_text_wanted(s->self))
			return true;
	}
	rc->call_text_done = true;
	return false;
}

static bool open_outputs(struct run_ctx *rc, GError **error)
{
	const struct run_options *opt = rc->opt;
	/* created and locked only now that the config and options are checked */
	rc->outdir = outdir_open(opt->out_dir, error);
	if (!rc->outdir)
		return false;
	struct sink_args a = {
		.cfg = rc->cfg,
		.run = opt->run,
		.capture = rc->cfg->capture == CAPTURE_SERVER ? NET_SERVER : NET_CLIENT,
		.out_dir = opt->out_dir,
		.pcapng = opt->format == RUN_CAPTURE_PCAPNG,
		.trace = opt->trace,
		.relative_seq = opt->relative_seq,
		.events_path = opt->events_path,
		.diagram_path = opt->diagram_path,
		.seqgraph_path = opt->seqgraph_path,
		.seqgraph_sender = opt->seqgraph_path ? opt->seqgraph_sender : -1,
		.report_path = opt->report_path,
		.sets = opt->sets,
		.rerun = opt->rerun,
		.app_name = opt->app_name,
		.pkt_path = opt->pkt_path,
		.pkt_role = opt->pkt_role,
		.report = &rc->report,
	};
	for (size_t i = 0; i < N_SINKS; i++)
		if (!sink_table[i](&a, &rc->sinks[i], error))
			return false;
	return true;
}

static void run_world(struct run_ctx *rc)
{
	struct run_result *res = rc->res;
	struct net_spec spec;
	config_to_spec(rc->cfg, rc->opt->run, &spec);
	/* The packets, state changes and calls are passed on only when an
	 * output (or the driver) takes them: with none, as with the capture
	 * and event log off, the world builds no event for them (net.c checks
	 * for NULL); calls are formatted as text only for an output that
	 * shows them, and the flows' ends followed only for one that forgets
	 * them. */
	const struct net_observer *d = rc->opt->driver_obs;
	list_takers(rc);
	struct net_observer obs = {rc, rc->packet.n || (d && d->packet) ? on_packet : NULL,
	                           rc->state.n || (d && d->state) ? on_state : NULL,
	                           rc->call.n || (d && d->call) ? on_call : NULL,
	                           rc->flow_gone.n ? on_flow_gone : NULL, rc->ack.n ? on_ack : NULL,
	                           on_call_text_wanted};
	struct world_outcome w;
	if (rc->opt->driver) {
		enum net_role sut = rc->opt->driven_role;
		spec.ep[sut].driven = true;
		spec.ep[sut == NET_CLIENT ? NET_SERVER : NET_CLIENT].scripted = true;
	}
	world_run_driven(&spec, rc->cfg->duration, &obs, rc->opt->driver, &w);
	res->net = w.net;
	res->events = w.events;
	res->loop_seconds = w.loop_seconds;
	res->stalled = w.stalled;
	res->truncated = w.truncated;
	res->end_time = w.end_time;
}

/* Completes every output in order; after the first failure the rest are
 * abandoned (and what was completed is removed by abandon_outputs). */
static bool commit_outputs(struct run_ctx *rc, GError **error)
{
	struct sink_end end = {rc->res->end_time, rc->res->truncated, rc->res->net};
	bool ok = true;
	for (size_t i = 0; ok && i < N_SINKS; i++) {
		struct sink *s = &rc->sinks[i];
		if (s->ops)
			ok = s->ops->commit(s->self, &end, error);
		s->ops = NULL;
	}
	return ok;
}

/* Removes what a failed run left unfinished, and what it finished
 * (through outfile_remove(): never a device); a failure that is a usage
 * error (nothing simulated, or a stall) also removes the output folder if
 * this run created it.  Hands what the outputs wrote to the result. */
static void abandon_outputs(struct run_ctx *rc, bool ok)
{
	for (size_t i = 0; i < N_SINKS; i++)
		if (rc->sinks[i].ops)
			rc->sinks[i].ops->abandon(rc->sinks[i].self);
	struct sink_report *r = &rc->report;
	char **paths[] = {&r->pcap_path, &r->pcapng_path, &r->events_path, &r->diagram_path,
	                  &r->seqgraph_path, &r->report_path};
	for (size_t i = 0; !ok && i < G_N_ELEMENTS(paths); i++)
		if (*paths[i])
			outfile_remove(*paths[i]);
	struct run_result *res = rc->res;
	res->pcap_path = r->pcap_path;
	res->pcapng_path = r->pcapng_path;
	res->events_path = r->events_path;
	res->diagram_path = r->diagram_path;
	res->seqgraph_path = r->seqgraph_path;
	g_free(r->report_path); /* no summary names it */
	res->captured = r->captured;
	res->captured_rtx = r->captured_rtx;
	res->captured_late = r->captured_late;
	res->calls_not_shown = r->calls_not_shown;
	outdir_close(rc->outdir, !ok && (!res->net || res->stalled));
}

static bool stall_error(const struct config *cfg, const struct run_result *res, GError **error)
{
	char *shown = escape_text(cfg->path);
	g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_STALLED,
	            "%s: simulated time stopped advancing at %.9f s " SIM_STALL_WHY "; no output written",
	            shown, sim_time_to_sec(res->end_time));
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
	if (opt->keep_calls)
		rc->report.call_lines = res->call_lines = g_ptr_array_new_with_free_func(g_free);
	bool ok = open_outputs(rc, error);
	if (ok) {
		run_world(rc);
		ok = !res->stalled ? commit_outputs(rc, error) : stall_error(cfg, res, error);
	}
	abandon_outputs(rc, ok);
	g_free(rc);
	return ok;
}

void run_result_clear(struct run_result *res)
{
	g_free(res->pcap_path);
	g_free(res->pcapng_path);
	g_free(res->events_path);
	g_free(res->diagram_path);
	g_free(res->seqgraph_path);
	if (res->call_lines)
		g_ptr_array_free(res->call_lines, TRUE);
	net_free(res->net);
	memset(res, 0, sizeof *res);
}
