/*
 * JSON Lines event log; see events_out.h.  Each line is built in a GString
 * and written in one go to the buffered temporary file.
 */
#include "sim/out/events_out.h"

#include <inttypes.h>
#include "sim/out/json_out.h"
#include "sim/out/outfile.h"
#include "sim/out/tcpdump.h"

struct events_out {
	struct outfile *of;
	GString *line;        /* the line being built */
};

const char *events_why_name(enum tcp_send_why w)
{
	switch (w) {
	case TCP_SEND_NEW: return "new";
	case TCP_SEND_RTO: return "rto";
	case TCP_SEND_PROBE: return "probe";
	case TCP_SEND_FAST: return "fast";
	case TCP_SEND_GO_BACK: return "go_back";
	case TCP_SEND_ACK: return "ack";
	case TCP_SEND_RST: return "rst";
	}
	return "?";
}

static const char *fate_name(enum link_drop d)
{
	switch (d) {
	case LINK_DELIVER: return "deliver";
	case LINK_DROP_LOSS: return "loss";
	case LINK_DROP_QUEUE: return "queue";
	case LINK_DROP_FAULT: return "fault";
	case LINK_DROP_UNREACHABLE: return "unreachable";
	case LINK_DROP_BLACK_HOLE: return "black_hole";
	case LINK_DROP_UNRESOLVED: return "unresolved";
	}
	return "?";
}

struct events_out *events_out_open(const char *path, GError **error)
{
	struct outfile *of = outfile_open(path, error);
	if (of == NULL)
		return NULL;
	struct events_out *eo = g_new0(struct events_out, 1);
	eo->of = of;
	eo->line = g_string_sized_new(512);
	return eo;
}

static void begin(struct events_out *eo, sim_time t, const char *event)
{
	g_string_assign(eo->line, "{\"t\": ");
	json_out_time(eo->line, t);
	g_string_append_printf(eo->line, ", \"event\": \"%s\"", event);
}

static void finish(struct events_out *eo)
{
	g_string_append(eo->line, "}\n");
	fwrite(eo->line->str, 1, eo->line->len, outfile_stream(eo->of));
}

static void append_addr(GString *out, const char *key, uint32_t a)
{
	g_string_append_printf(out, ", \"%s\": \"%u.%u.%u.%u\"", key, a >> 24, (a >> 16) & 0xffu,
	                       (a >> 8) & 0xffu, a & 0xffu);
}

static void append_options(GString *out, const struct tcp_opts *o)
{
	const char *sep = "";
	g_string_append(out, ", \"options\": {");
	if (o->present & TCP_OPT_MSS) {
		g_string_append_printf(out, "\"mss\": %u", o->mss);
		sep = ", ";
	}
	if (o->present & TCP_OPT_SACK_PERM) {
		g_string_append_printf(out, "%s\"sack_perm\": true", sep);
		sep = ", ";
	}
	if (o->present & TCP_OPT_WSCALE) {
		g_string_append_printf(out, "%s\"wscale\": %u", sep, o->wscale);
		sep = ", ";
	}
	if (o->present & TCP_OPT_TS) {
		g_string_append_printf(out, "%s\"tsval\": %" PRIu32 ", \"tsecr\": %" PRIu32, sep,
		                       o->tsval, o->tsecr);
		sep = ", ";
	}
	if (o->present & TCP_OPT_SACK) { /* absolute sequence numbers, as seq and ack */
		g_string_append_printf(out, "%s\"sack\": [", sep);
		for (uint32_t i = 0; i < o->sack_n; i++)
			g_string_append_printf(out, "%s[%" PRIu32 ", %" PRIu32 "]", i ? ", " : "",
			                       o->sack[i].start, o->sack[i].end);
		g_string_append_c(out, ']');
	}
	g_string_append_c(out, '}');
}

/* An ARP request: who has dst? tell src (no IPv4 or TCP fields). */
static void append_arp(GString *out, const struct packet_view *pv)
{
	g_string_append(out, ", \"kind\": \"arp\", \"op\": \"request\"");
	append_addr(out, "src", pv->arp_sender);
	append_addr(out, "dst", pv->arp_target);
}

static void append_segment(GString *out, const struct packet_view *pv)
{
	const struct tcp_seg *s = &pv->tcp;
	char fl[8];
	if (pv->kind == PACKET_ARP) {
		append_arp(out, pv);
		return;
	}
	g_string_append_printf(out, ", \"kind\": \"%s\"",
	                       pv->kind == PACKET_TCP ? "tcp" : "icmp_unreach");
	append_addr(out, "src", s->saddr);
	g_string_append_printf(out, ", \"sport\": %u", s->sport);
	append_addr(out, "dst", s->daddr);
	g_string_append_printf(out, ", \"dport\": %u, \"flags\": \"%s\", \"seq\": %" PRIu32
	                       ", \"ack\": %" PRIu32 ", \"win\": %u, \"len\": %" PRIu32,
	                       s->dport, tcpdump_flags(s->flags, fl), s->seq, s->ack, s->wnd, s->len);
	append_options(out, &s->opt);
	g_string_append_printf(out, ", \"ip_id\": %u, \"ttl\": %u, \"bad_checksum\": %s", pv->ip_id,
	                       pv->ttl, pv->bad_checksum || pv->corrupt_bit ? "true" : "false");
}

static const char *yes(bool b)
{
	return b ? "true" : "false";
}

void events_out_packet(struct events_out *eo, const struct net_packet_event *e)
{
	GString *l = eo->line;
	begin(eo, e->t, "packet");
	g_string_append_printf(l, ", \"at\": \"%s\", \"dir\": \"%s\", \"conn\": %" PRIu64,
	                       net_role_name(e->at), e->outgoing ? "out" : "in", e->conn_id);
	append_segment(l, e->pv);
	g_string_append_printf(l, ", \"why\": \"%s\", \"retransmission\": %s, \"fate\": ",
	                       events_why_name(e->why), yes(e->retransmission));
	if (e->outgoing) {
		g_string_append_printf(l, "\"%s\", \"rto\": ", fate_name(e->fate));
		json_out_time(l, e->rto);
	} else {
		g_string_append(l, "null, \"rto\": null");
	}
	g_string_append(l, ", \"fault\": ");
	if (e->fault)
		json_out_string(l, e->fault);
	else
		g_string_append(l, "null");
	g_string_append_printf(l, ", \"duplicate\": %s, \"reordered\": %s", yes(e->duplicate),
	                       yes(e->reordered));
	if (e->pv->kind == PACKET_ICMP_UNREACH) {
		append_addr(l, "icmp_src", e->pv->icmp_src);
		g_string_append_printf(l, ", \"icmp_code\": %u", e->pv->icmp_code);
	}
	finish(eo);
}

static void append_errno(GString *out, int err)
{
	if (err)
		g_string_append_printf(out, ", \"errno\": \"%s\"", net_errno_name(err));
	else
		g_string_append(out, ", \"errno\": null");
}

void events_out_state(struct events_out *eo, const struct net_state_event *e)
{
	begin(eo, e->t, "state");
	g_string_append_printf(eo->line, ", \"role\": \"%s\", \"conn\": %" PRIu64
	                       ", \"from\": \"%s\", \"to\": \"%s\"",
	                       net_role_name(e->role), e->conn_id, tcp_state_name(e->from),
	                       tcp_state_name(e->to));
	append_errno(eo->line, e->err);
	finish(eo);
}

void events_out_call(struct events_out *eo, const struct net_call_event *e)
{
	GString *l = eo->line;
	begin(eo, e->t, "call");
	g_string_append_printf(l, ", \"role\": \"%s\", \"call\": ", net_role_name(e->role));
	json_out_string(l, e->name);
	g_string_append_printf(l, ", \"ret\": %ld", e->ret);
	append_errno(l, e->err);
	g_string_append(l, ", \"blocked\": ");
	json_out_time(l, e->blocked);
	g_string_append(l, ", \"text\": ");
	json_out_string(l, e->text);
	finish(eo);
}

void events_out_ack(struct events_out *eo, const struct net_ack_event *e)
{
	GString *l = eo->line;
	begin(eo, e->t, "ack");
	g_string_append_printf(l, ", \"role\": \"%s\", \"conn\": %" PRIu64 ", \"ack\": %" PRIu32
	                       ", \"snd_una\": %" PRIu32 ", \"cwnd\": %" PRIu32 ", \"ssthresh\": ",
	                       net_role_name(e->role), e->conn_id, e->ack, e->snd_una, e->cwnd);
	if (e->ssthresh == UINT32_MAX)
		g_string_append(l, "null");
	else
		g_string_append_printf(l, "%" PRIu32, e->ssthresh);
	g_string_append_printf(l, ", \"mss\": %" PRIu32 ", \"in_flight\": %" PRIu32 ", \"pipe\": %" PRIu32
	                       ", \"sacked\": %" PRIu32 ", \"recovery\": %s, \"srtt\": ",
	                       e->mss, e->in_flight, e->pipe, e->sacked, e->recovery ? "true" : "false");
	if (e->srtt)
		json_out_time(l, e->srtt);
	else
		g_string_append(l, "null");
	g_string_append(l, ", \"rto\": ");
	json_out_time(l, e->rto);
	finish(eo);
}

static void free_writer(struct events_out *eo)
{
	g_string_free(eo->line, TRUE);
	g_free(eo);
}

bool events_out_commit(struct events_out *eo, GError **error)
{
	bool ok = outfile_commit(eo->of, error);
	free_writer(eo);
	return ok;
}

void events_out_abandon(struct events_out *eo)
{
	if (eo == NULL)
		return;
	outfile_abandon(eo->of);
	free_writer(eo);
}

/* --- the event log as a sink of the run (sink.h) --- */

struct events_sink {
	struct events_out *eo;
	char *path;
	struct sink_report *report;
};

static void sink_packet(void *self, const struct net_packet_event *e)
{
	events_out_packet(((struct events_sink *)self)->eo, e);
}

static void sink_state(void *self, const struct net_state_event *e)
{
	events_out_state(((struct events_sink *)self)->eo, e);
}

static void sink_call(void *self, const struct net_call_event *e)
{
	events_out_call(((struct events_sink *)self)->eo, e);
}

static void sink_ack(void *self, const struct net_ack_event *e)
{
	events_out_ack(((struct events_sink *)self)->eo, e);
}

static bool sink_commit(void *self, const struct sink_end *end, GError **error)
{
	struct events_sink *s = self;
	(void)end;
	bool ok = events_out_commit(s->eo, error);
	if (ok)
		s->report->events_path = g_steal_pointer(&s->path);
	g_free(s->path);
	g_free(s);
	return ok;
}

static void sink_abandon(void *self)
{
	struct events_sink *s = self;
	events_out_abandon(s->eo);
	g_free(s->path);
	g_free(s);
}

static const struct sink_ops events_sink = {
	.packet = sink_packet,
	.state = sink_state,
	.call = sink_call,
	.ack = sink_ack,
	.commit = sink_commit,
	.abandon = sink_abandon,
};

bool events_sink_open(const struct sink_args *a, struct sink *out, GError **error)
{
	out->ops = NULL;
	if (!a->events_path)
		return true;
	struct events_out *eo = events_out_open(a->events_path, error);
	if (!eo)
		return false;
	struct events_sink *s = g_new0(struct events_sink, 1);
	s->eo = eo;
	s->path = g_strdup(a->events_path);
	s->report = a->report;
	out->ops = &events_sink;
	out->self = s;
	return true;
}
