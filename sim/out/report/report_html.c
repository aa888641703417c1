/*
 * The report's page: the sections of report.h as plain HTML, the style and
 * the script inline.  Every packet is a row of the table of packets
 * (id "row-N"), whose cells the script shows when the arrow is chosen:
 * the page reads as a whole without the script, and prints.
 */
#include <string.h>
#include <glib.h>
#include "sim/out/report/report_int.h"

void rpt_escape(GString *out, const char *text)
{
	char *valid = g_utf8_make_valid(text ? text : "", -1);
	for (const char *p = valid; *p; p++) {
		switch (*p) {
		case '&': g_string_append(out, "&amp;"); break;
		case '<': g_string_append(out, "&lt;"); break;
		case '>': g_string_append(out, "&gt;"); break;
		case '"': g_string_append(out, "&quot;"); break;
		case '\'': g_string_append(out, "&#39;"); break;
		default: g_string_append_c(out, *p);
		}
	}
	g_free(valid);
}

void rpt_time(GString *out, sim_time t)
{
	g_string_append_printf(out, "%.6f", sim_time_to_sec(t));
}

static const char *role_name(enum net_role r)
{
	return r == NET_CLIENT ? "client" : r == NET_SERVER ? "server" : "router";
}

/* RFC 9293: the state diagram is §3.3.2; the transitions are made in the
 * event processing of §3.10 (calls in §3.10.1-3.10.4, arriving segments in
 * §3.10.7, timeouts in §3.10.8). */
const char *rpt_rfc_section(const struct rpt_state *s)
{
	switch (s->to) {
	case TCP_LISTEN: return "3.10.1 (OPEN call, passive)";
	case TCP_SYN_SENT: return "3.10.1 (OPEN call, active)";
	case TCP_SYN_RCVD: return s->from == TCP_SYN_SENT ? "3.10.7.3 (SEGMENT ARRIVES, SYN-SENT)"
	                                                  : "3.10.7.2 (SEGMENT ARRIVES, LISTEN)";
	case TCP_ESTABLISHED: return s->from == TCP_SYN_SENT ? "3.10.7.3 (SEGMENT ARRIVES, SYN-SENT)"
	                                                     : "3.10.7.4 (fifth, the ACK field)";
	case TCP_FIN_WAIT_1:
	case TCP_LAST_ACK: return "3.10.4 (CLOSE call)";
	case TCP_FIN_WAIT_2: return "3.10.7.4 (fifth, the ACK field, FIN-WAIT-1)";
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING: return "3.10.7.4 (eighth, the FIN bit)";
	case TCP_TIME_WAIT: return s->from == TCP_CLOSING ? "3.10.7.4 (fifth, the ACK field, CLOSING)"
	                                                  : "3.10.7.4 (eighth, the FIN bit)";
	case TCP_CLOSED:
		if (s->from == TCP_TIME_WAIT)
			return "3.10.8 (time-wait timeout)";
		if (s->from == TCP_LAST_ACK)
			return "3.10.7.4 (fifth, the ACK field, LAST-ACK)";
		if (s->err)
			return "3.10.7.4 (second, the RST bit) or 3.10.8 (user timeout)";
		return "3.10.4 (CLOSE call) / 3.10.5 (ABORT call)";
	case TCP_STATE_COUNT: break;
	}
	return "3.3.2 (state diagram)";
}

/* The call that makes a state (RFC 9293 §3.10.1-3.10.4): made at the
 * change's instant, or returning then. */
static const struct rpt_call *call_of(const struct rpt_run *r, const struct rpt_state *s)
{
	const char *name = s->to == TCP_SYN_SENT ? "connect" : s->to == TCP_LISTEN ? "listen"
	                   : s->to == TCP_FIN_WAIT_1 || s->to == TCP_LAST_ACK ? "close" : NULL;
	if (name == NULL)
		return NULL;
	for (guint i = 0; i < r->calls->len; i++) {
		const struct rpt_call *c = &g_array_index(r->calls, struct rpt_call, i);
		if (c->role == s->role && (c->t == s->t || c->t - c->blocked == s->t) &&
		    (strcmp(c->name, name) == 0 || strcmp(c->name, "shutdown") == 0))
			return c;
	}
	return NULL;
}

/* What made the change: the call that makes such a state; else a packet
 * that arrived at that host at the same instant, before it; else a call
 * of its program at that instant; else a timer. */
static void append_cause(GString *out, const struct rpt_run *r, const struct rpt_state *s)
{
	const struct rpt_call *call = call_of(r, s);
	if (call) {
		g_string_append(out, "the program&#39;s ");
		rpt_escape(out, call->name);
		g_string_append(out, "() call");
		return;
	}
	const struct rpt_seg *by = NULL;
	for (guint i = 0; i < r->segs->len; i++) {
		const struct rpt_seg *g = g_ptr_array_index(r->segs, i);
		if (g->to == s->role && g->has_arrival && g->arrived == s->t && g->arr_order < s->order)
			by = g;
	}
	if (by) {
		g_string_append_printf(out, "<a href=\"#seg-%u\" data-seg=\"%u\">packet #%u</a> arrived (",
		                       by->n, by->n, by->n);
		rpt_escape(out, by->flags);
		g_string_append(out, ")");
		return;
	}
	for (guint i = 0; i < r->calls->len; i++) {
		const struct rpt_call *c = &g_array_index(r->calls, struct rpt_call, i);
		if (c->role == s->role && (c->t == s->t || c->t - c->blocked == s->t)) {
			g_string_append(out, "the program&#39;s ");
			rpt_escape(out, c->name);
			g_string_append(out, "() call");
			return;
		}
	}
	g_string_append(out, s->from == TCP_TIME_WAIT ? "a timer: 2*MSL ended TIME_WAIT" : "a timer");
}

static void states_section(GString *out, const struct rpt_run *r)
{
	g_string_append(out, "<section id=\"states\"><h2>State timeline</h2>\n<p>Each endpoint&#39;s "
	                "states are the bands beside its timeline in the diagram. The transitions, "
	                "with what caused them and the section of RFC 9293 that defines them:</p>\n");
	for (int role = 0; role < NET_ROLES; role++) {
		g_string_append_printf(out, "<h3>%s</h3>\n<table class=\"states\"><thead><tr><th>time (s)</th>"
		                       "<th>connection</th><th>transition</th><th>cause</th><th>RFC 9293</th>"
		                       "</tr></thead><tbody>\n", role_name((enum net_role)role));
		for (guint i = 0; i < r->states->len; i++) {
			const struct rpt_state *s = &g_array_index(r->states, struct rpt_state, i);
			if (s->role != (enum net_role)role)
				continue;
			g_string_append(out, "<tr><td>");
			rpt_time(out, s->t);
			g_string_append_printf(out, "</td><td>#%llu</td><td>%s &rarr; %s", (unsigned long long)s->conn_id,
			                       tcp_state_name(s->from), tcp_state_name(s->to));
			if (s->err)
				g_string_append_printf(out, " (%s)", net_errno_name(s->err));
			g_string_append(out, "</td><td>");
			append_cause(out, r, s);
			g_string_append_printf(out, "</td><td>&sect;%s</td></tr>\n", rpt_rfc_section(s));
		}
		g_string_append(out, "</tbody></table>\n");
	}
	g_string_append(out, "</section>\n");
}

/* The packets a call sent: its host's departures from when it was made,
 * after the host's previous call returned, up to its return. */
static void append_call_segs(GString *out, const struct rpt_run *r, guint ci)
{
	const struct rpt_call *c = &g_array_index(r->calls, struct rpt_call, ci);
	uint64_t after = 0;
	for (guint i = 0; i < ci; i++) {
		const struct rpt_call *p = &g_array_index(r->calls, struct rpt_call, i);
		if (p->role == c->role)
			after = p->order;
	}
	sim_time start = c->t - c->blocked;
	bool any = false;
	for (guint i = 0; i < r->segs->len; i++) {
		const struct rpt_seg *g = g_ptr_array_index(r->segs, i);
		if (g->from != c->role || g->order < after || g->order > c->order || g->sent != start)
			continue;
		g_string_append_printf(out, "%s<a href=\"#seg-%u\" data-seg=\"%u\">#%u ", any ? ", " : "",
		                       g->n, g->n, g->n);
		rpt_escape(out, g->flags);
		g_string_append(out, "</a>");
		any = true;
	}
	if (!any)
		g_string_append(out, "&mdash;");
}

static void calls_section(GString *out, const struct rpt_run *r)
{
	g_string_append(out, "<section id=\"calls\"><h2>The programs&#39; calls</h2>\n<table><thead><tr>"
	                "<th>returned (s)</th><th>endpoint</th><th>call</th><th>result</th>"
	                "<th>waited (s)</th><th>packets it sent</th></tr></thead><tbody>\n");
	for (guint i = 0; i < r->calls->len; i++) {
		const struct rpt_call *c = &g_array_index(r->calls, struct rpt_call, i);
		g_string_append(out, "<tr><td>");
		rpt_time(out, c->t);
		g_string_append_printf(out, "</td><td>%s</td><td><code>", role_name(c->role));
		rpt_escape(out, c->text);
		g_string_append_printf(out, "</code></td><td>%ld", c->ret);
		if (c->ret < 0)
			g_string_append_printf(out, " %s", net_errno_name(c->err));
		g_string_append(out, "</td><td>");
		rpt_time(out, c->blocked);
		g_string_append(out, "</td><td>");
		append_call_segs(out, r, i);
		g_string_append(out, "</td></tr>\n");
	}
	g_string_append(out, "</tbody></table></section>\n");
}

static void append_frame(GString *out, const struct rpt_run *r, uint64_t frame)
{
	if (frame)
		g_string_append_printf(out, "%llu", (unsigned long long)frame);
	else
		g_string_append(out, r->capture_on ? "&mdash;" : "no capture");
}

static void seg_row(GString *out, const struct rpt_run *r, const struct rpt_seg *g)
{
	g_string_append_printf(out, "<tr id=\"row-%u\" data-seg=\"%u\" class=\"%s\"><td>%u</td><td>", g->n,
	                       g->n, g->rtx ? "rtx" : "", g->n);
	rpt_time(out, g->sent);
	g_string_append_printf(out, "</td><td>%s &rarr; %s</td><td>", role_name(g->from), role_name(g->to));
	rpt_escape(out, g->flags);
	g_string_append_printf(out, "</td><td>%u</td><td>%u</td><td>%u</td><td>%u</td><td>", g->seq, g->ack,
	                        g->len, g->win);
	rpt_escape(out, g->options);
	g_string_append(out, "</td><td>");
	rpt_escape(out, g->why);
	g_string_append(out, "</td><td>");
	rpt_escape(out, g->network ? g->network : "still in flight when the run ended");
	if (g->has_dup)
		g_string_append(out, "; duplicated by the network (a second copy arrived)");
	g_string_append(out, "</td><td>");
	if (g->has_arrival)
		rpt_time(out, g->arrived);
	else
		g_string_append(out, "&mdash;");
	g_string_append(out, "</td><td>");
	if (r->pcapng && g->frame && g->frame_arr) /* both interfaces: where it left, where it arrived */
		g_string_append_printf(out, "%llu at the %s, %llu at the %s", (unsigned long long)g->frame,
		                       role_name(g->from), (unsigned long long)g->frame_arr, role_name(g->to));
	else
		append_frame(out, r, r->capture_on && !r->pcapng && r->capture_at != g->from ? g->frame_arr
		                                                                             : g->frame);
	g_string_append(out, "</td><td><code>");
	rpt_escape(out, g->line);
	g_string_append(out, "</code></td></tr>\n");
}

static void segs_section(GString *out, const struct rpt_run *r)
{
	g_string_append(out, "<section id=\"packets\"><h2>Packets</h2>\n<p>Every packet of the diagram, "
	                "in the order they were sent. Sequence and acknowledgment numbers are relative "
	                "to each side&#39;s first SYN. The frame is the packet&#39;s number in ");
	if (r->capture_on)
		g_string_append_printf(out, "<code>%s</code> (%s).", r->capture_name, r->pcapng
		                       ? "both interfaces: a packet delivered is two frames"
		                       : r->capture_at == NET_CLIENT ? "captured at the client"
		                       : "captured at the server");
	else
		g_string_append(out, "the capture: this run wrote none.");
	g_string_append(out, "</p>\n<div class=\"wide\"><table id=\"seg-table\"><thead><tr><th>#</th>"
	                "<th>sent (s)</th><th>direction</th><th>flags</th><th>seq</th><th>ack</th>"
	                "<th>length</th><th>window</th><th>options</th><th>why it was sent</th>"
	                "<th>what the network did</th><th>arrived (s)</th><th>frame</th>"
	                "<th>tcpdump</th></tr></thead><tbody>\n");
	for (guint i = 0; i < r->segs->len; i++)
		seg_row(out, r, g_ptr_array_index(r->segs, i));
	g_string_append(out, "</tbody></table></div></section>\n");
}

struct figures {
	uint64_t sent[NET_ROLES + 1], rtx[NET_ROLES + 1];
	uint64_t lost, dup, delivered;
};

static void count(const struct rpt_run *r, struct figures *f)
{
	memset(f, 0, sizeof *f);
	for (guint i = 0; i < r->segs->len; i++) {
		const struct rpt_seg *g = g_ptr_array_index(r->segs, i);
		f->sent[g->from]++;
		f->rtx[g->from] += g->rtx;
		f->lost += g->lost;
		f->dup += g->has_dup;
		f->delivered += g->has_arrival && !g->discarded;
	}
}

static void final_state(GString *out, const struct rpt_run *r, enum net_role role)
{
	const struct rpt_state *last = NULL;
	for (guint i = 0; i < r->states->len; i++) {
		const struct rpt_state *s = &g_array_index(r->states, struct rpt_state, i);
		if (s->role == role)
			last = s;
	}
	g_string_append(out, last ? tcp_state_name(last->to) : "CLOSED");
	if (last && last->err)
		g_string_append_printf(out, " (%s)", net_errno_name(last->err));
}

static void summary_section(GString *out, const struct rpt_run *r)
{
	struct figures f;
	count(r, &f);
	g_string_append(out, "<section id=\"summary\"><h2>Summary</h2>\n<dl class=\"figures\">");
	g_string_append(out, "<dt>simulated time</dt><dd>");
	rpt_time(out, r->end_time);
	g_string_append_printf(out, " s%s</dd>", r->truncated ? " (stopped by the duration)" : "");
	for (int role = 0; role < NET_ROLES; role++) {
		g_string_append_printf(out, "<dt>%s</dt><dd>", role_name((enum net_role)role));
		rpt_escape(out, r->endpoint[role]);
		g_string_append_printf(out, ": %llu packet%s sent, %llu retransmission%s; ends ",
		                       (unsigned long long)f.sent[role], f.sent[role] == 1 ? "" : "s",
		                       (unsigned long long)f.rtx[role], f.rtx[role] == 1 ? "" : "s");
		final_state(out, r, (enum net_role)role);
		g_string_append(out, "</dd>");
	}
	g_string_append_printf(out, "<dt>the network</dt><dd>%llu packets delivered, %llu dropped, "
	                       "%llu duplicated</dd>", (unsigned long long)f.delivered,
	                       (unsigned long long)f.lost, (unsigned long long)f.dup);
	g_string_append_printf(out, "<dt>calls</dt><dd>%u</dd><dt>state changes</dt><dd>%u</dd></dl>"
	                       "</section>\n", r->calls->len, r->states->len);
}

static void config_section(GString *out, const struct rpt_run *r)
{
	g_string_append(out, "<section id=\"config\"><h2>The run&#39;s config</h2>\n<p>To run it again "
	                "(the same seed makes the same run, and this same page):</p>\n"
	                "<p class=\"cmd\"><code id=\"command\">");
	rpt_escape(out, r->command);
	g_string_append(out, "</code> <button type=\"button\" id=\"copy\" class=\"noprint\">Copy</button>"
	                "</p>\n<pre id=\"config-text\">");
	if (r->config_text) {
		char *text = g_strndup(r->config_text, r->config_len);
		rpt_escape(out, text);
		g_free(text);
	}
	g_string_append(out, "</pre></section>\n");
}

static void legend(GString *out)
{
	g_string_append(out, "<ul class=\"legend\" aria-label=\"legend\">"
	                "<li><svg width=\"40\" height=\"10\" aria-hidden=\"true\"><line class=\"key\" x1=\"0\" "
	                "y1=\"5\" x2=\"40\" y2=\"5\"/></svg> a packet</li>"
	                "<li><svg width=\"40\" height=\"10\" aria-hidden=\"true\"><line class=\"key rtx\" x1=\"0\" "
	                "y1=\"5\" x2=\"40\" y2=\"5\"/></svg> a retransmission (dashed)</li>"
	                "<li><span class=\"x\" aria-hidden=\"true\">&times;</span> dropped by the network</li>"
	                "<li><span class=\"dot\" aria-hidden=\"true\"></span> a call of the program</li>");
	static const enum tcp_state shown[] = {TCP_LISTEN, TCP_SYN_SENT, TCP_SYN_RCVD, TCP_ESTABLISHED,
	                                       TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT, TCP_CLOSING,
	                                       TCP_LAST_ACK, TCP_TIME_WAIT};
	for (size_t i = 0; i < G_N_ELEMENTS(shown); i++) {
		g_string_append(out, "<li><span class=\"swatch st-");
		for (const char *p = tcp_state_name(shown[i]); *p; p++)
			g_string_append_c(out, *p == '_' ? '-' : g_ascii_tolower(*p));
		g_string_append_printf(out, "\" aria-hidden=\"true\"></span> %s</li>", tcp_state_name(shown[i]));
	}
	g_string_append(out, "</ul>\n");
}

static void diagram_section(GString *out, const struct rpt_run *r)
{
	g_string_append(out, "<section id=\"diagram\"><h2>Sequence diagram</h2>\n"
	                "<p class=\"noprint help\">Click or hover an arrow for its details; "
	                "<kbd>n</kbd>/<kbd>&rarr;</kbd> next packet, <kbd>p</kbd>/<kbd>&larr;</kbd> previous, "
	                "<kbd>+</kbd>/<kbd>-</kbd> zoom, <kbd>0</kbd> fit; drag to pan.</p>\n"
	                "<div class=\"toolbar noprint\" role=\"toolbar\" aria-label=\"diagram\">"
	                "<button type=\"button\" id=\"prev\">&larr; previous</button>"
	                "<button type=\"button\" id=\"next\">next &rarr;</button>"
	                "<button type=\"button\" id=\"zoom-out\" aria-label=\"zoom out\">&minus;</button>"
	                "<button type=\"button\" id=\"zoom-in\" aria-label=\"zoom in\">+</button>"
	                "<button type=\"button\" id=\"zoom-fit\">fit</button>"
	                "<span id=\"zoom-level\">100%</span></div>\n");
	legend(out);
	g_string_append(out, "<div class=\"split\"><div id=\"scroller\" class=\"scroller\" tabindex=\"0\" "
	                "aria-label=\"sequence diagram; n and p step through the packets\">\n");
	report_svg(out, r);
	g_string_append(out, "</div>\n<aside id=\"details\" aria-live=\"polite\"><h3>Packet</h3>"
	                "<p id=\"details-empty\">Choose an arrow to see its header, why it was sent "
	                "and what the network did with it.</p><dl id=\"details-list\"></dl></aside>"
	                "</div></section>\n");
}

void report_html(GString *out, const struct rpt_run *r)
{
	g_string_append(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	                "<meta name=\"generator\" content=\"tcpsim\">\n<title>tcpsim: ");
	rpt_escape(out, r->config_path);
	g_string_append(out, "</title>\n<style>\n");
	g_string_append(out, report_css);
	g_string_append(out, "</style>\n</head>\n<body>\n<header><h1>A TCP run: <code>");
	rpt_escape(out, r->config_path);
	g_string_append_printf(out, "</code></h1>\n<p>seed %llu", (unsigned long long)r->seed);
	if (r->run > 0)
		g_string_append_printf(out, ", run %llu", (unsigned long long)r->run);
	g_string_append(out, "; client ");
	rpt_escape(out, r->endpoint[NET_CLIENT]);
	g_string_append(out, ", server ");
	rpt_escape(out, r->endpoint[NET_SERVER]);
	g_string_append(out, ". Made by tcpsim.</p>\n<nav class=\"noprint\"><a href=\"#summary\">Summary</a> "
	                "<a href=\"#diagram\">Diagram</a> <a href=\"#states\">States</a> "
	                "<a href=\"#calls\">Calls</a> <a href=\"#packets\">Packets</a> "
	                "<a href=\"#config\">Config</a></nav></header>\n<main>\n");
	summary_section(out, r);
	diagram_section(out, r);
	states_section(out, r);
	calls_section(out, r);
	segs_section(out, r);
	config_section(out, r);
	g_string_append(out, "</main>\n<script>\n");
	g_string_append(out, report_js);
	g_string_append(out, "</script>\n</body>\n</html>\n");
}
