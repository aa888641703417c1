/*
 * A classic pcap capture file written through libpcap with nanosecond
 * timestamps (magic 0xa1b23c4d), one record per IPv4 packet.
 *
 * Model.  The file is a struct outfile (sim/out/outfile.h decides how its path
 * is written: "<path>.tmp" renamed into place, or in place for a device)
 * whose stream is handed to pcap_dump_fopen(); libpcap writes the file
 * header and each record into that stream.  A run that succeeds calls
 * pcap_out_commit(), which flushes, checks every stdio error and commits
 * the outfile; a run that fails calls pcap_out_abandon().  Either call
 * frees the writer.
 *
 * Invariants.
 *  - <path> appears only complete (see sim/out/outfile.h).
 *  - pcap_dump() reports no error; a failed write sets the stream's error
 *    flag, which commit checks, so no write error is ever lost.
 *  - Every frame is recorded whole (caplen == len): the snap length is
 *    262144, tcpdump's default, above the largest frame (Ethernet header
 *    and a 65535-byte IPv4 packet) any accepted tcp.mss can produce.
 *  - Timestamps are the simulated clock: t nanoseconds after the epoch,
 *    the fraction kept to the nanosecond.
 */
#include "sim/out/pcap_out.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pcap/pcap.h>
#include "sim/out/outfile.h"
#include "sim/out/wire.h"

enum {
	PCAP_SNAPLEN = 262144, /* tcpdump's MAXIMUM_SNAPLEN */
	ETH_HDR_LEN = 14,
	ETHERTYPE_IPV4 = 0x0800,
};
G_STATIC_ASSERT(ETH_HDR_LEN + WIRE_MAX_PACKET <= PCAP_SNAPLEN);

struct pcap_out {
	pcap_t *pcap;            /* "dead" handle: link type and precision */
	pcap_dumper_t *dumper;   /* libpcap's writer over the outfile's stream */
	struct outfile *of;      /* the file; its stream is never closed by libpcap */
	enum pcap_framing framing;
	uint8_t frame[ETH_HDR_LEN + WIRE_MAX_PACKET]; /* an Ethernet frame being built */
};

static void free_writer(struct pcap_out *po)
{
	if (po->pcap != NULL)
		pcap_close(po->pcap);
	g_free(po);
}

/* libpcap's handle and dumper over the outfile's stream. */
static bool start_dumper(struct pcap_out *po, GError **error)
{
	int dlt = po->framing == PCAP_ETHERNET ? DLT_EN10MB : DLT_RAW;

	po->pcap = pcap_open_dead_with_tstamp_precision(dlt, PCAP_SNAPLEN,
							 PCAP_TSTAMP_PRECISION_NANO);
	if (po->pcap == NULL) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
			    "%s: libpcap cannot create a capture handle", outfile_path(po->of));
		return false;
	}
	po->dumper = pcap_dump_fopen(po->pcap, outfile_stream(po->of));
	if (po->dumper == NULL) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s",
			    outfile_path(po->of), pcap_geterr(po->pcap));
		return false;
	}
	return true;
}

struct pcap_out *pcap_out_open(const char *path, enum pcap_framing framing, GError **error)
{
	struct pcap_out *po = g_new0(struct pcap_out, 1);

	po->framing = framing;
	po->of = outfile_open(path, error);
	if (po->of == NULL || !start_dumper(po, error)) {
		outfile_abandon(po->of);
		free_writer(po);
		return NULL;
	}
	return po;
}

/* Ethernet II header: 02:00 then the IPv4 address, a locally administered
 * unicast MAC per host, so Wireshark's endpoints match the IPv4 ones. */
static void ethernet_header(uint8_t *eth, const uint8_t *ip, uint32_t len)
{
	static const uint8_t none[8];
	const uint8_t *addrs = len >= 20 ? ip + 12 : none; /* saddr, daddr */

	eth[0] = 0x02;
	eth[1] = 0x00;
	memcpy(eth + 2, addrs + 4, 4); /* destination first */
	eth[6] = 0x02;
	eth[7] = 0x00;
	memcpy(eth + 8, addrs, 4);
	eth[12] = ETHERTYPE_IPV4 >> 8;
	eth[13] = ETHERTYPE_IPV4 & 0xff;
}

void pcap_out_write(struct pcap_out *po, sim_time t, const uint8_t *ip_packet, uint32_t len)
{
	struct pcap_pkthdr h;
	uint32_t hdr = po->framing == PCAP_ETHERNET ? ETH_HDR_LEN : 0;
	uint32_t frame_len = hdr + len;
	/* a frame longer than the snap length is recorded truncated, as a
	 * capture would: caplen < len says so to the reader */
	uint32_t caplen = MIN(frame_len, (uint32_t)sizeof po->frame);
	const uint8_t *frame = ip_packet; /* raw IPv4: the packet is the frame */

	g_assert(t >= 0);
	if (hdr > 0) {
		ethernet_header(po->frame, ip_packet, len);
		memcpy(po->frame + hdr, ip_packet, caplen - hdr);
		frame = po->frame;
	}
	h.ts.tv_sec = (time_t)(t / SIM_SEC);
	h.ts.tv_usec = (suseconds_t)(t % SIM_SEC); /* nanoseconds: nano precision */
	h.caplen = caplen;
	h.len = frame_len;
	pcap_dump((u_char *)po->dumper, &h, frame);
}

/* pcap_dump_close() would only fclose() the stream (libpcap's dumper is
 * that very stream) and discard the result: the outfile closes it and
 * checks.  pcap_dump_flush() is fflush(), whose error the outfile sees on
 * the stream. */
bool pcap_out_commit(struct pcap_out *po, GError **error)
{
	bool ok = outfile_commit(po->of, error);
	free_writer(po);
	return ok;
}

void pcap_out_abandon(struct pcap_out *po)
{
	outfile_abandon(po->of);
	free_writer(po);
}
