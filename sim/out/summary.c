/*
 * Summaries.  JSON is written by hand (a handful of shapes, fixed key
 * order, times as seconds with nine decimals) so that the same run always
 * gives the same bytes.
 */
#include <string.h>
#include "sim/out/json_out.h"
#include "sim/out/summary.h"
#include "sim/escape.h"
#include "sim/plural.h"

static void json_states(GString *out, const struct net_role_stats *st)
{
	g_string_append(out, "[");
	for (uint32_t i = 0; i < st->n_states; i++) {
		g_string_append(out, i ? ", {\"t\": " : "{\"t\": ");
		json_out_time(out, st->states[i].t);
		g_string_append_printf(out, ", \"conn\": %llu, \"state\": \"%s\"}",
		                       (unsigned long long)st->states[i].conn_id,
		                       tcp_state_name(st->states[i].state));
	}
	g_string_append(out, "]");
}

static void json_calls(GString *out, const struct net_role_stats *st)
{
	g_string_append(out, "[");
	for (uint32_t i = 0; i < st->n_calls; i++) {
		const struct net_call_record *c = &st->calls[i];
		g_string_append(out, i ? ", {\"t\": " : "{\"t\": ");
		json_out_time(out, c->t);
		g_string_append_printf(out, ", \"call\": \"%s\", \"ret\": %ld, \"errno\": ", c->name, c->ret);
		if (c->err)
			g_string_append_printf(out, "\"%s\"", net_errno_name(c->err));
		else
			g_string_append(out, "null");
		if (c->text) {
			g_string_append(out, ", \"line\": ");
			json_out_string(out, c->text);
		}
		g_string_append_c(out, '}');
	}
	g_string_append(out, "]");
}

/* The data path's counters and, when the peer read this endpoint's
 * data, the transfer's time and goodput (see net_transfer_time()). */
static void json_transfer(GString *out, const struct net *n, enum net_role r)
{
	const struct net_role_stats *st = net_role_stats(n, r);
	sim_time t = net_transfer_time(n, r);
	g_string_append_printf(out,
	                       ", \"retransmitted_bytes\": %llu, \"rtos\": %llu, \"tlps\": %llu, "
	                       "\"fast_retransmits\": %llu, \"recoveries\": %llu, "
	                       "\"spurious_retransmits\": %llu, \"transfer_time\": ",
	                       (unsigned long long)st->rtx_bytes, (unsigned long long)st->rtos,
	                       (unsigned long long)st->probes, (unsigned long long)st->fast_rtx,
	                       (unsigned long long)st->recoveries, (unsigned long long)st->dsacks);
	if (t >= 0)
		json_out_time(out, t);
	else
		g_string_append(out, "null");
	g_string_append(out, ", \"goodput\": ");
	if (t > 0)
		g_string_append_printf(out, "%llu", (unsigned long long)net_goodput(n, r));
	else
		g_string_append(out, "null");
}

static void json_endpoint(GString *out, const struct net *n, enum net_role r)
{
	const struct net_role_stats *st = net_role_stats(n, r);
	g_string_append_printf(out, "{\"final_state\": \"%s\", \"result\": \"%s\", ",
	                       tcp_state_name(st->final_state), net_errno_name(st->result));
	g_string_append_printf(out, "\"connections\": %llu, \"states\": ",
	                       (unsigned long long)st->connections);
	json_states(out, st);
	g_string_append_printf(out,
	                       ", \"states_dropped\": %llu, \"retransmissions\": {\"syn\": %llu, "
	                       "\"data\": %llu, \"fin\": %llu}, \"segments_sent\": %llu, "
	                       "\"bytes_sent\": %llu, \"bytes_received\": %llu",
	                       (unsigned long long)st->states_dropped, (unsigned long long)st->rtx_syn,
	                       (unsigned long long)st->rtx_data, (unsigned long long)st->rtx_fin,
	                       (unsigned long long)st->segments_sent,
	                       (unsigned long long)st->bytes_sent,
	                       (unsigned long long)st->bytes_received);
	json_transfer(out, n, r);
	g_string_append(out, ", \"calls\": ");
	json_calls(out, st);
	g_string_append_printf(out, ", \"calls_dropped\": %llu}", (unsigned long long)st->calls_dropped);
}

/* The files the run wrote, as "kind": path members. */
static void json_files(GString *out, const struct run_result *res)
{
	const struct {
		const char *kind;
		const char *path;
	} files[] = {
		{"pcap", res->pcap_path}, {"pcapng", res->pcapng_path},
		{"events", res->events_path}, {"diagram", res->diagram_path},
		{"seqgraph", res->seqgraph_path},
	};
	const char *sep = "";
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		if (!files[i].path)
			continue;
		g_string_append_printf(out, "%s\"%s\": ", sep, files[i].kind);
		json_out_string(out, files[i].path);
		sep = ", ";
	}
}

void summary_json(GString *out, const struct config *cfg, const struct run_result *res)
{
	const struct net_stats *ns = net_stats(res->net);
	g_string_append(out, "{\"config\": ");
	json_out_string(out, cfg->path);
	g_string_append_printf(out, ", \"seed\": %llu, \"profile\": ", (unsigned long long)cfg->seed);
	json_out_string(out, cfg->profile);
	g_string_append(out, ", \"end_time\": ");
	json_out_time(out, res->end_time);
	g_string_append_printf(out, ", \"events\": %llu, \"truncated\": %s, \"files\": {",
	                       (unsigned long long)res->events, res->truncated ? "true" : "false");
	json_files(out, res);
	g_string_append_printf(out, "}, \"capture\": {\"point\": \"%s\", \"packets\": %llu, "
	                            "\"retransmissions\": %llu, \"late\": %llu",
	                       cfg->capture == CAPTURE_SERVER ? "server" : "client",
	                       (unsigned long long)res->captured, (unsigned long long)res->captured_rtx,
	                       (unsigned long long)res->captured_late);
	g_string_append(out, "}, \"endpoints\": {\"client\": ");
	json_endpoint(out, res->net, NET_CLIENT);
	g_string_append(out, ", \"server\": ");
	json_endpoint(out, res->net, NET_SERVER);
	g_string_append_printf(out,
	                       "}, \"network\": {\"sent\": %llu, \"delivered\": %llu, \"dropped\": %llu, "
	                       "\"duplicated\": %llu, \"reordered\": %llu",
	                       (unsigned long long)ns->sent, (unsigned long long)ns->delivered,
	                       (unsigned long long)ns->dropped, (unsigned long long)ns->duplicated,
	                       (unsigned long long)ns->reordered);
	/* only with netem's corrupt at work: the summaries of every other run
	 * stay as they were */
	if (ns->corrupted)
		g_string_append_printf(out, ", \"corrupted\": %llu", (unsigned long long)ns->corrupted);
	g_string_append_printf(out, "}, \"data_intact\": %s, \"corrupted_bytes\": %llu}\n",
	                       ns->data_intact ? "true" : "false", (unsigned long long)ns->corrupted_bytes);
}

/* --- the human summary --- */

static void text_states(GString *out, const struct net_role_stats *st)
{
	g_string_append(out, "    states:");
	uint64_t conn = 0;
	for (uint32_t i = 0; i < st->n_states && i < 40; i++) {
		const struct net_state_record *s = &st->states[i];
		if (s->conn_id != conn) {
			g_string_append_printf(out, "%s#%llu", i ? "\n           " : " ",
			                       (unsigned long long)s->conn_id);
			conn = s->conn_id;
		}
		g_string_append_printf(out, " %s %.3f", tcp_state_name(s->state), sim_time_to_sec(s->t));
	}
	if (st->n_states > 40 || st->states_dropped)
		g_string_append_printf(out, " ... (%llu changes in all)", /* more than 40: plural */
		                       (unsigned long long)st->n_states + st->states_dropped);
	g_string_append(out, "\n");
}

static void text_endpoint(GString *out, const char *name, const struct net_role_stats *st)
{
	g_string_append_printf(out, "  %s: %s, result %s, %llu %s\n", name,
	                       tcp_state_name(st->final_state), net_errno_name(st->result),
	                       (unsigned long long)st->connections,
	                       plural(st->connections, "connection", "connections"));
	text_states(out, st);
	g_string_append_printf(out,
	                       "    retransmissions: %llu SYN, %llu data, %llu FIN; "
	                       "application bytes: %llu sent, %llu received\n",
	                       (unsigned long long)st->rtx_syn, (unsigned long long)st->rtx_data,
	                       (unsigned long long)st->rtx_fin, (unsigned long long)st->bytes_sent,
	                       (unsigned long long)st->bytes_received);
}

void summary_text(GString *out, const struct config *cfg, const struct run_result *res)
{
	const struct net_stats *ns = net_stats(res->net);
	char *shown = escape_text(cfg->path);
	g_string_append_printf(out, "tcpsim: %s (seed %llu, profile %s)\n", shown,
	                        (unsigned long long)cfg->seed, cfg->profile);
	g_free(shown);
	if (res->call_lines && res->call_lines->len) {
		g_string_append(out, "\nwhat the programs printed:\n");
		for (guint i = 0; i < res->call_lines->len; i++)
			g_string_append_printf(out, "  %s\n", (const char *)g_ptr_array_index(res->call_lines, i));
		if (res->calls_not_shown)
			g_string_append_printf(out, "  ... %llu more %s not shown (see --json or --events)\n",
			                       (unsigned long long)res->calls_not_shown,
			                       plural(res->calls_not_shown, "call", "calls"));
	}
	g_string_append_printf(out, "\nendpoints at %.3f s%s:\n", sim_time_to_sec(res->end_time),
	                       res->truncated ? " (stopped by [simulation] duration)" : "");
	text_endpoint(out, "client", net_role_stats(res->net, NET_CLIENT));
	text_endpoint(out, "server", net_role_stats(res->net, NET_SERVER));
	g_string_append_printf(out,
	                       "\nnetwork: %llu %s sent, %llu delivered, %llu dropped, "
	                       "%llu duplicated, %llu reordered\n",
	                       (unsigned long long)ns->sent, plural(ns->sent, "segment", "segments"),
	                       (unsigned long long)ns->delivered,
	                       (unsigned long long)ns->dropped, (unsigned long long)ns->duplicated,
	                       (unsigned long long)ns->reordered);
	if (ns->arp_requests || ns->unresolved)
		g_string_append_printf(out, "  ARP: %llu %s unanswered; %llu %s for a reply and %s "
		                            "dropped unsent\n",
		                       (unsigned long long)ns->arp_requests,
		                       plural(ns->arp_requests, "request", "requests"),
		                       (unsigned long long)ns->unresolved,
		                       plural(ns->unresolved, "segment waited", "segments waited"),
		                       plural(ns->unresolved, "was", "were"));
	if (ns->corrupted)
		g_string_append_printf(out, "  corrupted: %llu %s with a bit flipped and %s dropped by the "
		                            "receiver (bad TCP checksum; not in delivered)\n",
		                       (unsigned long long)ns->corrupted,
		                       plural(ns->corrupted, "segment arrived", "segments arrived"),
		                       plural(ns->corrupted, "was", "were"));
	if (ns->black_holed)
		g_string_append_printf(out, "  black hole: %llu %s vanished beyond the router "
		                            "(no host has %s address)\n",
		                       (unsigned long long)ns->black_holed,
		                       plural(ns->black_holed, "segment", "segments"),
		                       plural(ns->black_holed, "its", "their"));
	if (ns->data_intact)
		g_string_append(out, "data: intact (every byte read is the byte the peer wrote there)\n");
	else
		g_string_append_printf(out, "data: CORRUPTED: %llu %s read that the peer did not "
		                            "write there, %llu %s short\n",
		                       (unsigned long long)ns->corrupted_bytes,
		                       plural(ns->corrupted_bytes, "byte", "bytes"),
		                       (unsigned long long)ns->short_streams,
		                       plural(ns->short_streams, "stream ended", "streams ended"));
	g_string_append_printf(out, "events: %llu\n", (unsigned long long)res->events);
	const char *paths[] = {res->pcap_path, res->pcapng_path, res->events_path, res->diagram_path,
	                       res->seqgraph_path};
	for (size_t i = 0; i < G_N_ELEMENTS(paths); i++)
		if (paths[i])
			g_string_append_printf(out, "wrote: %s\n", paths[i]);
}

/* --- the calls of the human summary, as a sink of the run (sink.h) --- */

static void calls_call(void *self, const struct net_call_event *e)
{
	struct sink_report *r = self;
	if (r->call_lines->len < SUMMARY_MAX_CALLS && e->text)
		g_ptr_array_add(r->call_lines, g_strdup_printf("[%11.6f] %s: %s", sim_time_to_sec(e->t),
		                                               net_role_name(e->role), e->text));
	else
		r->calls_not_shown++; /* said at the end of the list */
}

static bool calls_text_wanted(void *self)
{
	const struct sink_report *r = self;
	return r->call_lines->len < SUMMARY_MAX_CALLS;
}

static bool calls_commit(void *self, const struct sink_end *end, GError **error)
{
	(void)self; /* the lines belong to the report */
	(void)end;
	(void)error;
	return true;
}

static void calls_abandon(void *self) { (void)self; }

static const struct sink_ops calls_sink = {
	.call = calls_call,
	.call_text_wanted = calls_text_wanted,
	.commit = calls_commit,
	.abandon = calls_abandon,
};

bool calls_sink_open(const struct sink_args *a, struct sink *out, GError **error)
{
	(void)error;
	out->ops = a->report->call_lines ? &calls_sink : NULL;
	out->self = a->report;
	return true;
}
