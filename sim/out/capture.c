/*
 * The capture: the run's packets as a capture file.
 *  - classic pcap (OUT/trace.pcap): the capture point's interface, with
 *    the statistics of what a capture there can recognise (the summary's
 *    capture.packets, .retransmissions and .late);
 *  - pcapng (OUT/trace.pcapng, --format pcapng): both interfaces, each
 *    packet with the comments of sim/out/annotate.c.
 * One sink of the run (sim/out/sink.h), opened when [simulation] pcap is on.
 */
#include <glib.h>
#include "sim/out/annotate.h"
#include "sim/out/capture.h"
#include "sim/out/pcap_out.h"
#include "sim/out/pcapng.h"
#include "sim/out/streamend.h"
#include "sim/out/wire.h"

struct capture {
	struct sink_report *report;
	enum net_role at;             /* the capture point's interface */
	struct pcap_out *pcap;        /* classic capture, or NULL */
	struct pcapng_out *pcapng;    /* two-interface capture, or NULL */
	struct annotate *annotate;    /* its comments, with pcapng */
	bool ethernet;                /* Ethernet II frames, else raw IPv4 (no ARP then) */
	char *path;                   /* the file it writes */
	struct streamend *seen;       /* how far each direction got at the capture point */
	uint8_t buf[WIRE_MAX_FRAME];
};

/* What a capture can tell about a segment (see streamend.h): a
 * retransmission is recognisable when sequence space at or beyond its start
 * already passed this interface (an earlier copy, or a later segment that
 * overtook a lost one).  An original that arrives behind later ones (held
 * back by reordering) looks the same to a capture: Wireshark calls it out
 * of order or a retransmission; the simulator knows it was neither, and
 * counts it apart.  A copy the network duplicated is left out entirely: it
 * neither counts nor moves the end. */
static void classify_captured(struct capture *c, const struct net_packet_event *e)
{
	switch (streamend_seen(c->seen, e, false)) {
	case STREAMEND_RETRANSMISSION: c->report->captured_rtx++; break;
	case STREAMEND_LATE: c->report->captured_late++; break;
	case STREAMEND_NEW: break;
	}
}

static void capture_flow_gone(void *self, uint64_t flow_id, const struct net_tuple *t)
{
	struct capture *c = self;
	streamend_forget(c->seen, flow_id, t);
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
	streamend_free(c->seen);
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
	c->seen = streamend_new();
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
