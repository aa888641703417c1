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
 *    and a 65535-byte IPv4 packet, WIRE_MAX_FRAME) sim/out/wire.c makes.
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
};
G_STATIC_ASSERT(WIRE_MAX_FRAME <= PCAP_SNAPLEN);

struct pcap_out {
	pcap_t *pcap;            /* "dead" handle: link type and precision */
	pcap_dumper_t *dumper;   /* libpcap's writer over the outfile's stream */
	struct outfile *of;      /* the file; its stream is never closed by libpcap */
	enum pcap_framing framing;
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

void pcap_out_write(struct pcap_out *po, sim_time t, const uint8_t *frame, uint32_t len)
{
	struct pcap_pkthdr h;

	g_assert(t >= 0);
	g_assert(len <= WIRE_MAX_FRAME);
	h.ts.tv_sec = (time_t)(t / SIM_SEC);
	h.ts.tv_usec = (suseconds_t)(t % SIM_SEC); /* nanoseconds: nano precision */
	h.caplen = len;
	h.len = len;
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
