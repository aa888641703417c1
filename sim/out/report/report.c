/*
 * The report's records, from the observer's events, and --report as a
 * sink of the run; see report.h.
 *
 * A departure and its arrival are paired as sim/out/flight.h says (the
 * record's index is the flight's tag); retransmissions are numbered by
 * sim/out/segtrack.h and told in the pcapng comments' words
 * (annotate_retransmission_text()).  Frame numbers follow the capture
 * (sim/out/capture.c): in a classic pcap, the packets on the wire at the
 * capture point; in a pcapng, those at either interface, in event order.
 */
#include "sim/out/report/report.h"

#include <string.h>
#include <glib.h>
#include "sim/out/annotate.h"
#include "sim/out/flight.h"
#include "sim/out/outfile.h"
#include "sim/out/report/report_int.h"
#include "sim/out/segtrack.h"
#include "sim/out/tcpdump.h"
#include "sim/out/wire.h"

struct report {
	struct rpt_run run;
	struct outfile *of;
	char *path;
	struct sink_report *report;
	struct flight *flight;
	struct segtrack *segtrack;
	uint64_t order;                 /* events seen */
	uint64_t frames;                /* frames the capture holds so far */
	bool ethernet;
	uint32_t isn[NET_ROLES];        /* each sender's first sequence number */
	bool isn_known[NET_ROLES];
	sim_time last_arrival[NET_ROLES]; /* the newest packet to arrive at each host */
	bool arrived_any[NET_ROLES];
	uint32_t seq_end[NET_ROLES];    /* the end of the last segment each sent that took sequence space */
	bool seq_end_known[NET_ROLES];
	uint8_t frame_buf[65600];
};

bool report_path_ok(const char *path, GError **error)
{
	if (g_str_has_suffix(path, ".html") || g_str_has_suffix(path, ".htm") ||
	    g_str_has_suffix(path, ".HTML") || g_str_has_suffix(path, ".HTM"))
		return true;
	g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
	            "--report %s: expected a .html file", path);
	return false;
}

/* Is the packet in the capture, and which frame is it? 0: not in it. */
static uint64_t frame_number(struct report *rp, const struct net_packet_event *e)
{
	if (!rp->run.capture_on || !net_packet_on_wire(e))
		return 0;
	if (!rp->run.pcapng && e->at != rp->run.capture_at)
		return 0;
	if (wire_frame(e->pv, rp->ethernet, rp->frame_buf, sizeof rp->frame_buf) == 0)
		return 0;
	return ++rp->frames;
}

/* "mss 1460, sackOK, TS val 1 ecr 0, wscale 7", as tcpdump lists them. */
static char *options_text(const struct tcp_opts *o)
{
	GString *s = g_string_new(NULL);
	if (o->present & TCP_OPT_MSS)
		g_string_append_printf(s, "mss %u, ", o->mss);
	if (o->present & TCP_OPT_SACK_PERM)
		g_string_append(s, "sackOK, ");
	if (o->present & TCP_OPT_TS)
		g_string_append_printf(s, "TS val %u ecr %u, ", o->tsval, o->tsecr);
	if (o->present & TCP_OPT_WSCALE)
		g_string_append_printf(s, "wscale %u, ", o->wscale);
	if (o->present & TCP_OPT_SACK) {
		g_string_append_printf(s, "sack %u ", o->sack_n);
		for (uint32_t i = 0; i < o->sack_n; i++)
			g_string_append_printf(s, "{%u:%u}", o->sack[i].start, o->sack[i].end);
		g_string_append(s, ", ");
	}
	if (s->len == 0)
		g_string_append(s, "none");
	else
		g_string_truncate(s, s->len - 2);
	return g_string_free(s, FALSE);
}

/* A keepalive probe, as the --diagram tells it: a bare ACK one below what
 * its sender has sent (Linux tcp_write_wakeup(): "seq = snd_una - 1"),
 * when nothing arrived at that instant. */
static bool keepalive_probe(const struct report *rp, const struct net_packet_event *e)
{
	const struct tcp_seg *s = &e->pv->tcp;
	if (s->flags != TCP_ACK || s->len > 0 || !rp->seq_end_known[e->at])
		return false;
	if (rp->arrived_any[e->at] && rp->last_arrival[e->at] == e->t)
		return false;
	return s->seq + 1 == rp->seq_end[e->at];
}

/* Why the sender sent it, before any retransmission's number. */
static void append_reason(struct report *rp, const struct net_packet_event *e, GString *why)
{
	const struct tcp_seg *s = &e->pv->tcp;
	if (e->pv->kind == PACKET_ARP) {
		g_string_append(why, "ARP request: who has the next hop's address?");
		return;
	}
	if (e->pv->kind == PACKET_ICMP_UNREACH) {
		g_string_append(why, "ICMP destination unreachable");
		return;
	}
	if (e->retransmission)
		return; /* told by the retransmission's words */
	if (s->flags & TCP_RST)
		g_string_append(why, "reset (RST)");
	else if ((s->flags & TCP_SYN) && (s->flags & TCP_ACK))
		g_string_append(why, "answers a connection request (SYN-ACK)");
	else if (s->flags & TCP_SYN)
		g_string_append(why, "connection request (SYN)");
	else if (s->len > 0)
		g_string_append(why, (s->flags & TCP_FIN) ? "new data, and the end of the stream (FIN)" : "new data");
	else if (s->flags & TCP_FIN)
		g_string_append(why, "end of the stream (FIN): the program closed");
	else if (keepalive_probe(rp, e))
		g_string_append(why, "keepalive probe (one below what was sent: the peer must answer)");
	else if (rp->arrived_any[e->at] && rp->last_arrival[e->at] == e->t)
		g_string_append(why, "acknowledgment of what just arrived");
	else if (rp->arrived_any[e->at])
		g_string_append_printf(why, "delayed ACK (%.3f ms after the last arrival)",
		                       (double)(e->t - rp->last_arrival[e->at]) / (double)SIM_MS);
	else
		g_string_append(why, "acknowledgment");
}

/* Relative sequence numbers: from each sender's SYN (a new SYN restarts). */
static void note_isn(struct report *rp, const struct net_packet_event *e)
{
	const struct tcp_seg *s = &e->pv->tcp;
	if (e->pv->kind == PACKET_TCP && (s->flags & TCP_SYN) && !e->retransmission) {
		rp->isn[e->at] = s->seq;
		rp->isn_known[e->at] = true;
	}
}

static void fill_header(struct report *rp, struct rpt_seg *g, const struct net_packet_event *e,
                        enum net_role sender)
{
	const struct packet_view *pv = e->pv;
	const struct tcp_seg *s = &pv->tcp;
	enum net_role peer = sender == NET_CLIENT ? NET_SERVER : NET_CLIENT;
	uint32_t isn_src = sender < NET_ROLES && rp->isn_known[sender] ? rp->isn[sender] : 0;
	uint32_t isn_dst = rp->isn_known[peer] ? rp->isn[peer] : 0;
	char fb[8];
	g->flags = g_strdup(pv->kind == PACKET_ARP ? "ARP" : pv->kind == PACKET_ICMP_UNREACH
	                    ? "ICMP" : tcpdump_flags(s->flags, fb));
	g->seq = s->seq - isn_src;
	g->ack = (s->flags & TCP_ACK) ? s->ack - isn_dst : 0;
	g->len = s->len;
	g->win = s->wnd;
	g->options = pv->kind == PACKET_TCP ? options_text(&s->opt) : g_strdup("none");
	GString *line = g_string_new(NULL);
	tcpdump_format(line, e->t, pv, pv->kind == PACKET_TCP, isn_src, isn_dst);
	while (line->len > 0 && line->str[line->len - 1] == '\n')
		g_string_truncate(line, line->len - 1);
	g->line = g_string_free(line, FALSE);
	if (pv->kind != PACKET_TCP)
		g->label = g_strdup(g->flags);
	else if (s->flags & TCP_ACK)
		g->label = g_strdup_printf("%s %u:%u(%u) ack %u", g->flags, g->seq,
		                           g->seq + s->len, s->len, g->ack);
	else
		g->label = g_strdup_printf("%s %u:%u(%u)", g->flags, g->seq, g->seq + s->len, s->len);
}

static void on_departure(struct report *rp, const struct net_packet_event *e)
{
	struct rpt_seg *g = g_new0(struct rpt_seg, 1);
	g->n = rp->run.segs->len + 1;
	g->from = e->at;
	g->to = e->at == NET_CLIENT ? NET_SERVER : NET_CLIENT;
	g->order = rp->order;
	g->sent = e->t;
	note_isn(rp, e);
	fill_header(rp, g, e, e->at);
	sim_time last = 0;
	uint32_t k = e->pv->kind == PACKET_TCP ? segtrack_sent(rp->segtrack, e, &last) : 0;
	GString *why = g_string_new(NULL);
	append_reason(rp, e, why);
	if (e->retransmission || k > 0)
		annotate_retransmission_text(why, e->why, k > 0 ? k : 1, e->rto);
	if (e->fault)
		g_string_append_printf(why, "; [faults] %s", e->fault);
	g->why = g_string_free(why, FALSE);
	if (e->pv->kind == PACKET_TCP && tcp_seg_seqlen(&e->pv->tcp) > 0) {
		rp->seq_end[e->at] = e->pv->tcp.seq + tcp_seg_seqlen(&e->pv->tcp);
		rp->seq_end_known[e->at] = true;
	}
	g->rtx = e->retransmission || k > 0;
	g->lost = e->fate != LINK_DELIVER;
	g->network = e->fate == LINK_DROP_UNRESOLVED
	             ? g_strdup("never sent: no ARP reply for its next hop")
	             : g->lost ? g_strdup(annotate_drop_text(e->fate)) : NULL;
	if (e->corrupted) {
		g->discarded = true;
		g->network = g_strdup("corrupted by the network (a bit flipped): its receiver drops it");
	}
	g->frame = frame_number(rp, e);
	flight_depart(rp->flight, e, g->n);
	g_ptr_array_add(rp->run.segs, g);
}

/* An arrival with no departure: an ICMP error a router sent. */
static struct rpt_seg *router_packet(struct report *rp, const struct net_packet_event *e)
{
	struct rpt_seg *g = g_new0(struct rpt_seg, 1);
	g->n = rp->run.segs->len + 1;
	g->from = NET_ROLES;
	g->to = e->at;
	g->order = rp->order;
	g->sent = e->t;
	fill_header(rp, g, e, NET_ROLES);
	g->why = g_strdup(e->pv->kind == PACKET_ICMP_UNREACH
	                  ? wire_icmp_words(e->pv)
	                  : "a packet whose departure was not seen");
	g_ptr_array_add(rp->run.segs, g);
	return g;
}

static void on_arrival(struct report *rp, const struct net_packet_event *e)
{
	struct flight_match m;
	segtrack_arrived(rp->segtrack, e);
	rp->last_arrival[e->at] = e->t;
	rp->arrived_any[e->at] = true;
	struct rpt_seg *g = flight_arrive(rp->flight, e, &m) && m.tag > 0 && m.tag <= rp->run.segs->len
	                    ? g_ptr_array_index(rp->run.segs, m.tag - 1) : router_packet(rp, e);
	uint64_t frame = frame_number(rp, e);
	if (e->duplicate && g->has_arrival) {
		g->has_dup = true;
		g->dup_arrived = e->t;
		return;
	}
	g->has_arrival = true;
	g->arrived = e->t;
	g->arr_order = rp->order;
	g->frame_arr = frame;
	if (e->pv->corrupt_bit)
		g->discarded = true;
	if (g->network == NULL) {
		GString *s = g_string_new(NULL);
		g_string_append_printf(s, "delivered after %.3f ms", (double)(e->t - g->sent) / (double)SIM_MS);
		if (e->reordered)
			g_string_append(s, "; reordered: overtook a packet sent earlier");
		g->network = g_string_free(s, FALSE);
	}
}

static void report_packet(void *self, const struct net_packet_event *e)
{
	struct report *rp = self;
	rp->order++;
	if (e->outgoing)
		on_departure(rp, e);
	else
		on_arrival(rp, e);
}

static void report_state(void *self, const struct net_state_event *e)
{
	struct report *rp = self;
	struct rpt_state s = {.t = e->t, .role = e->role, .conn_id = e->conn_id, .order = ++rp->order,
	                      .from = e->from, .to = e->to, .err = e->err};
	g_array_append_val(rp->run.states, s);
}

static void report_call(void *self, const struct net_call_event *e)
{
	struct report *rp = self;
	struct rpt_call c = {.t = e->t, .blocked = e->blocked, .role = e->role, .order = ++rp->order,
	                     .name = g_strdup(e->name), .text = g_strdup(e->text ? e->text : e->name),
	                     .ret = e->ret, .err = e->err};
	g_array_append_val(rp->run.calls, c);
}

static void seg_free(gpointer p)
{
	struct rpt_seg *g = p;
	g_free(g->label);
	g_free(g->line);
	g_free(g->flags);
	g_free(g->options);
	g_free(g->why);
	g_free(g->network);
	g_free(g);
}

static void report_abandon(void *self)
{
	struct report *rp = self;
	outfile_abandon(rp->of);
	for (guint i = 0; i < rp->run.calls->len; i++) {
		struct rpt_call *c = &g_array_index(rp->run.calls, struct rpt_call, i);
		g_free(c->name);
		g_free(c->text);
	}
	g_array_free(rp->run.calls, TRUE);
	g_array_free(rp->run.states, TRUE);
	g_ptr_array_free(rp->run.segs, TRUE);
	for (int r = 0; r < NET_ROLES; r++)
		g_free(rp->run.endpoint[r]);
	g_free(rp->run.command);
	flight_free(rp->flight);
	segtrack_free(rp->segtrack);
	g_free(rp->path);
	g_free(rp);
}

static bool report_commit(void *self, const struct sink_end *end, GError **error)
{
	struct report *rp = self;
	rp->run.end_time = end->end_time;
	rp->run.truncated = end->truncated;
	GString *page = g_string_sized_new(1 << 16);
	report_html(page, &rp->run);
	fwrite(page->str, 1, page->len, outfile_stream(rp->of));
	g_string_free(page, TRUE);
	struct outfile *of = rp->of;
	rp->of = NULL;
	bool ok = outfile_commit(of, error);
	if (ok)
		rp->report->report_path = g_steal_pointer(&rp->path);
	report_abandon(rp);
	return ok;
}

static const struct sink_ops report_sink = {
	.packet = report_packet,
	.state = report_state,
	.call = report_call,
	.commit = report_commit,
	.abandon = report_abandon,
};

/* A word of a shell command: quoted only when it has to be. */
static char *shell_word(const char *s)
{
	bool plain = *s != '\0';
	for (const char *p = s; *p; p++)
		plain = plain && (g_ascii_isalnum(*p) || strchr("_-./+=:,@%", *p));
	return plain ? g_strdup(s) : g_shell_quote(s);
}

/* "tcpsim configs/x.ini --seed 1": what reruns this run. */
static char *rerun_command(const struct sink_args *a)
{
	if (a->rerun)
		return g_strdup(a->rerun);
	char *quoted = shell_word(a->cfg->path);
	GString *s = g_string_new(NULL);
	g_string_append_printf(s, "tcpsim %s --seed %llu", quoted, (unsigned long long)a->cfg->seed);
	if (a->run > 0)
		g_string_append_printf(s, " --run %llu", (unsigned long long)a->run);
	for (const char *const *set = a->sets; set && *set; set++) {
		char *q = shell_word(*set);
		g_string_append_printf(s, " -s %s", q);
		g_free(q);
	}
	g_free(quoted);
	return g_string_free(s, FALSE);
}

bool report_sink_open(const struct sink_args *a, struct sink *out, GError **error)
{
	out->ops = NULL;
	if (!a->report_path)
		return true;
	struct outfile *of = outfile_open(a->report_path, error);
	if (!of)
		return false;
	struct report *rp = g_new0(struct report, 1);
	rp->of = of;
	rp->path = g_strdup(a->report_path);
	rp->report = a->report;
	rp->flight = flight_new();
	rp->segtrack = segtrack_new();
	rp->ethernet = a->cfg->ethernet;
	struct rpt_run *r = &rp->run;
	r->config_path = a->cfg->path;
	if (a->cfg->source.text)
		r->config_text = g_bytes_get_data(a->cfg->source.text, &r->config_len);
	r->seed = a->cfg->seed;
	r->run = a->run;
	r->endpoint[NET_CLIENT] = sink_endpoint_text(&a->cfg->client);
	r->endpoint[NET_SERVER] = sink_endpoint_text(&a->cfg->server);
	r->command = rerun_command(a);
	r->capture_on = a->cfg->pcap;
	r->pcapng = a->pcapng;
	r->capture_at = a->capture;
	r->capture_name = a->pcapng ? "trace.pcapng" : "trace.pcap";
	r->segs = g_ptr_array_new_with_free_func(seg_free);
	r->states = g_array_new(FALSE, FALSE, sizeof(struct rpt_state));
	r->calls = g_array_new(FALSE, FALSE, sizeof(struct rpt_call));
	out->ops = &report_sink;
	out->self = rp;
	return true;
}
