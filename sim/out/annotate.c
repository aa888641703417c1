/*
 * Per-packet comments and where state changes go; see annotate.h.
 *
 * Model.  Packets wait in `fifo` in event order.  `last[R]` is the newest
 * packet of R's interface; it may still receive state changes (rules 2
 * and 3), so it is held, and so is everything behind it.  State changes
 * wait in `pending[R]` until a packet of R's interface comes at the same
 * instant (rule 1) or time moves on, when they go on last[R] (rules 2, 3)
 * or, if there is none, keep waiting for R's next packet (rule 4).
 *
 * Invariants: a packet is handed out only when it is not last[] of its
 * interface; pending[R] holds only changes of the current instant or
 * changes from before R's first packet.
 */
#include "sim/out/annotate.h"

#include <string.h>
#include <glib.h>
#include "sim/out/flight.h"
#include "sim/out/segtrack.h"
#include "sim/out/wire.h"

struct held {
	uint32_t iface;
	sim_time t;
	uint32_t len;
	GString *comment;
	uint8_t bytes[];     /* len bytes */
};

struct change {
	sim_time t;
	char *text;          /* "client ESTABLISHED -> FIN_WAIT_1" */
};

struct annotate {
	annotate_emit emit;
	void *ctx;
	GQueue fifo;                    /* struct held *, oldest first */
	struct held *last[NET_ROLES];   /* newest packet of each interface */
	GQueue pending[NET_ROLES];      /* struct change *, oldest first */
	sim_time now;                   /* time of the latest event */
	uint64_t unplaced;              /* changes that found no packet */
	struct flight *flight;          /* tag: the retransmission number */
	struct segtrack *segtrack;
};

struct annotate *annotate_new(annotate_emit emit, void *ctx)
{
	struct annotate *a = g_new0(struct annotate, 1);
	a->emit = emit;
	a->ctx = ctx;
	g_queue_init(&a->fifo);
	for (int r = 0; r < NET_ROLES; r++)
		g_queue_init(&a->pending[r]);
	a->flight = flight_new();
	a->segtrack = segtrack_new();
	return a;
}

static void held_free(gpointer p)
{
	struct held *h = p;
	g_string_free(h->comment, TRUE);
	g_free(h);
}

static void change_free(gpointer p)
{
	struct change *c = p;
	g_free(c->text);
	g_free(c);
}

void annotate_free(struct annotate *a)
{
	if (a == NULL)
		return;
	g_queue_clear_full(&a->fifo, held_free);
	for (int r = 0; r < NET_ROLES; r++)
		g_queue_clear_full(&a->pending[r], change_free);
	flight_free(a->flight);
	segtrack_free(a->segtrack);
	g_free(a);
}

static void add_part(GString *comment, const char *part)
{
	if (comment->len > 0)
		g_string_append(comment, "; ");
	g_string_append(comment, part);
}

/* "800 ms", "1.5 s", "60 s" */
static void append_duration(GString *s, sim_time d)
{
	if (d < SIM_SEC)
		g_string_append_printf(s, "%g ms", (double)d / (double)SIM_MS);
	else
		g_string_append_printf(s, "%g s", sim_time_to_sec(d));
}

/* What kind of resend it is, numbered; with the RTO when sent. */
void annotate_retransmission_text(GString *c, enum tcp_send_why why, uint32_t k, sim_time rto)
{
	GString *p = g_string_new(NULL);
	switch (why) {
	case TCP_SEND_RTO:
		g_string_append_printf(p, "retransmission #%u after a timeout", k);
		break;
	case TCP_SEND_PROBE:
		g_string_append_printf(p, "tail loss probe (retransmission #%u", k);
		break;
	case TCP_SEND_FAST:
		g_string_append_printf(p, "fast retransmit (retransmission #%u", k);
		break;
	case TCP_SEND_GO_BACK:
		g_string_append_printf(p, "retransmission #%u (go-back-N after a timeout", k);
		break;
	case TCP_SEND_NEW:
	case TCP_SEND_ACK:
	case TCP_SEND_RST:
		g_string_append_printf(p, "retransmission #%u", k);
		break;
	}
	bool open = strchr(p->str, '(') != NULL;
	if (rto > 0 && (why == TCP_SEND_RTO || why == TCP_SEND_PROBE)) {
		g_string_append(p, open ? ", RTO " : " (RTO ");
		append_duration(p, rto);
		open = true;
	}
	if (open)
		g_string_append_c(p, ')');
	add_part(c, p->str);
	g_string_free(p, TRUE);
}

const char *annotate_drop_text(enum link_drop d)
{
	switch (d) {
	case LINK_DROP_LOSS: return "dropped by the network (loss)";
	case LINK_DROP_QUEUE: return "dropped by the network (queue full)";
	case LINK_DROP_FAULT: return "dropped by the network (fault)";
	case LINK_DROP_UNREACHABLE: return "not forwarded: a router answers ICMP unreachable";
	case LINK_DROP_BLACK_HOLE: return "dropped beyond the router: no host has this address";
	case LINK_DROP_UNRESOLVED: /* never on the wire: not in the capture */
	case LINK_DELIVER: break;
	}
	return "";
}

/* "ARP request: no host has 192.168.0.188, no reply comes" */
static void describe_arp(const struct net_packet_event *e, GString *c)
{
	uint32_t t = e->pv->arp_target;
	char *text = g_strdup_printf(e->outgoing ? "ARP request: no host has %u.%u.%u.%u, no reply comes"
	                                         : "ARP request for %u.%u.%u.%u: not this host's address",
	                             t >> 24, (t >> 16) & 255, (t >> 8) & 255, t & 255);
	add_part(c, text);
	g_free(text);
}

static void describe_sent(struct annotate *a, const struct net_packet_event *e, GString *c)
{
	sim_time last = 0;
	uint32_t k = e->pv->kind == PACKET_TCP ? segtrack_sent(a->segtrack, e, &last) : 0;
	if (e->retransmission || k > 0)
		annotate_retransmission_text(c, e->why, k > 0 ? k : 1, e->rto);
	if (e->fate != LINK_DELIVER)
		add_part(c, annotate_drop_text(e->fate));
	if (e->corrupted)
		add_part(c, "corrupted by the network (a bit flipped): its receiver drops it");
	if (e->fault) {
		char *f = g_strdup_printf("[faults] %s", e->fault);
		add_part(c, f);
		g_free(f);
	}
	flight_depart(a->flight, e, k);
}

static void describe_arrival(struct annotate *a, const struct net_packet_event *e, GString *c)
{
	struct flight_match m;
	bool paired = flight_arrive(a->flight, e, &m);
	segtrack_arrived(a->segtrack, e);
	if (e->pv->kind == PACKET_ICMP_UNREACH)
		add_part(c, wire_icmp_words(e->pv));
	else if (e->retransmission)
		annotate_retransmission_text(c, e->why, paired && m.tag > 0 ? (uint32_t)m.tag : 1, 0);
	if (e->pv->corrupt_bit)
		add_part(c, "corrupted by the network (a bit flipped): bad TCP checksum, dropped");
	if (e->duplicate)
		add_part(c, "duplicated by the network (second copy)");
	if (e->reordered)
		add_part(c, "reordered: overtook a packet sent earlier");
	if (paired && m.late) {
		GString *p = g_string_new("delayed ");
		append_duration(p, e->t - m.sent);
		g_string_append(p, " in flight (reordered): arrived after a packet sent later");
		add_part(c, p->str);
		g_string_free(p, TRUE);
	}
}

/* Hands out the packets at the head that can take no more changes. */
static void flush_ready(struct annotate *a)
{
	struct held *h;
	while ((h = g_queue_peek_head(&a->fifo)) != NULL && h != a->last[h->iface]) {
		g_queue_pop_head(&a->fifo);
		a->emit(a->ctx, h->iface, h->t, h->bytes, h->len, h->comment->str);
		held_free(h);
	}
}

/* Writes change c onto packet h, with the offset when at another time. */
static void place(struct held *h, const struct change *c)
{
	GString *part = g_string_new(NULL);
	if (c->t > h->t)
		g_string_append_printf(part, "%.6f s later: ", sim_time_to_sec(c->t - h->t));
	else if (c->t < h->t)
		g_string_append_printf(part, "%.6f s earlier: ", sim_time_to_sec(h->t - c->t));
	g_string_append(part, c->text);
	add_part(h->comment, part->str);
	g_string_free(part, TRUE);
}

/* Time moves on (or the run ends): rules 2 and 3 for what is pending. */
static void settle(struct annotate *a)
{
	for (int r = 0; r < NET_ROLES; r++) {
		if (a->last[r] == NULL)
			continue; /* rule 4: wait for the first packet */
		struct change *c;
		while ((c = g_queue_pop_head(&a->pending[r])) != NULL) {
			place(a->last[r], c);
			change_free(c);
		}
	}
}

static void advance(struct annotate *a, sim_time t)
{
	if (t > a->now) {
		settle(a);
		a->now = t;
	}
}

void annotate_packet(struct annotate *a, const struct net_packet_event *e, const uint8_t *packet,
                     uint32_t len)
{
	advance(a, e->t);
	struct held *h = g_malloc(sizeof *h + len);
	h->iface = e->at == NET_CLIENT ? 0 : 1;
	h->t = e->t;
	h->len = len;
	memcpy(h->bytes, packet, len);
	h->comment = g_string_new(NULL);
	if (e->pv->kind == PACKET_ARP)
		describe_arp(e, h->comment);
	else if (e->outgoing)
		describe_sent(a, e, h->comment);
	else
		describe_arrival(a, e, h->comment);
	struct change *c;
	while ((c = g_queue_pop_head(&a->pending[e->at])) != NULL) { /* rules 1 and 4 */
		place(h, c);
		change_free(c);
	}
	g_queue_push_tail(&a->fifo, h);
	a->last[e->at] = h;
	flush_ready(a);
}

void annotate_state(struct annotate *a, const struct net_state_event *e)
{
	advance(a, e->t);
	struct change *c = g_new(struct change, 1);
	GString *s = g_string_new(net_role_name(e->role));
	if (e->conn_id > 1)
		g_string_append_printf(s, " #%llu", (unsigned long long)e->conn_id);
	g_string_append_printf(s, " %s -> %s", tcp_state_name(e->from), tcp_state_name(e->to));
	if (e->err)
		g_string_append_printf(s, " (%s)", net_errno_name(e->err));
	c->t = e->t;
	c->text = g_string_free(s, FALSE);
	g_queue_push_tail(&a->pending[e->role], c);
}

void annotate_call(struct annotate *a, const struct net_call_event *e)
{
	advance(a, e->t);
}

uint64_t annotate_finish(struct annotate *a)
{
	settle(a);
	for (int r = 0; r < NET_ROLES; r++) {
		a->unplaced += g_queue_get_length(&a->pending[r]);
		g_queue_clear_full(&a->pending[r], change_free);
		a->last[r] = NULL;
	}
	flush_ready(a);
	return a->unplaced;
}
