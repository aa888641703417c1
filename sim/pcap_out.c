/*
 * A classic pcap capture file written through libpcap with nanosecond
 * timestamps (magic 0xa1b23c4d), one record per IPv4 packet.
 *
 * Model.  The file is opened by us on "<path>.tmp" (so we choose the
 * temporary name and the stdio buffer) and handed to pcap_dump_fopen();
 * libpcap writes the file header and each record into that stream.  A run
 * that succeeds calls pcap_out_commit(), which flushes, checks every stdio
 * error and renames the file onto <path>; a run that fails calls
 * pcap_out_abandon(), which removes it.  Either call frees the writer.
 *
 * Invariants.
 *  - <path> appears only complete: it is created by rename(2) of a file
 *    that was flushed and closed without error.
 *  - pcap_dump() reports no error; a failed write sets the stream's error
 *    flag, which commit checks, so no write error is ever lost.
 *  - Timestamps are the simulated clock: t nanoseconds after the epoch,
 *    the fraction kept to the nanosecond.
 */
#include "sim/pcap_out.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <pcap/pcap.h>

enum {
	PCAP_SNAPLEN = 65535,
	ETH_HDR_LEN = 14,
	ETHERTYPE_IPV4 = 0x0800,
	STDIO_BUFFER = 1 << 20, /* writes reach the kernel 1 MiB at a time */
};

struct pcap_out {
	pcap_t *pcap;            /* "dead" handle: link type and precision */
	pcap_dumper_t *dumper;   /* libpcap's writer over `file` */
	FILE *file;              /* the stream on tmp_path, owned by dumper */
	char *path;              /* final name */
	char *tmp_path;          /* "<path>.tmp", renamed onto path by commit */
	enum pcap_framing framing;
	char *stdio_buf;         /* STDIO_BUFFER bytes, the stream's buffer */
	uint8_t frame[PCAP_SNAPLEN]; /* an Ethernet frame being built, up to the snap length */
};

static void set_errno_error(GError **error, int err, const char *what, const char *path)
{
	g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err),
		    "%s: %s: %s", path, what, g_strerror(err));
}

static void free_writer(struct pcap_out *po)
{
	if (po->pcap != NULL)
		pcap_close(po->pcap);
	g_free(po->stdio_buf);
	g_free(po->path);
	g_free(po->tmp_path);
	g_free(po);
}

/* Closes the dumper and its stream; returns 0 or the errno of the first
 * failure.  pcap_dump_close() would discard fclose()'s result, so the stream
 * is closed here: libpcap's dumper is that very stream (pcap_dump_file()
 * returns it) and pcap_dump_close() does nothing but fclose() it. */
static int close_stream(struct pcap_out *po)
{
	int err = 0;

	if (pcap_dump_flush(po->dumper) != 0 || ferror(po->file))
		err = errno != 0 ? errno : EIO;
	if (fclose(pcap_dump_file(po->dumper)) != 0 && err == 0)
		err = errno != 0 ? errno : EIO;
	po->dumper = NULL;
	po->file = NULL;
	return err;
}

/* libpcap's handle and dumper over the already opened po->file. */
static bool start_dumper(struct pcap_out *po, GError **error)
{
	int dlt = po->framing == PCAP_ETHERNET ? DLT_EN10MB : DLT_RAW;

	po->pcap = pcap_open_dead_with_tstamp_precision(dlt, PCAP_SNAPLEN,
							 PCAP_TSTAMP_PRECISION_NANO);
	if (po->pcap == NULL) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
			    "%s: libpcap cannot create a capture handle", po->tmp_path);
		return false;
	}
	po->dumper = pcap_dump_fopen(po->pcap, po->file);
	if (po->dumper == NULL) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s",
			    po->tmp_path, pcap_geterr(po->pcap));
		return false;
	}
	return true;
}

struct pcap_out *pcap_out_open(const char *path, enum pcap_framing framing, GError **error)
{
	struct pcap_out *po = g_new0(struct pcap_out, 1);

	po->path = g_strdup(path);
	po->tmp_path = g_strconcat(path, ".tmp", NULL);
	po->framing = framing;
	po->file = fopen(po->tmp_path, "wb");
	if (po->file == NULL) {
		set_errno_error(error, errno, "cannot create", po->tmp_path);
		free_writer(po);
		return NULL;
	}
	po->stdio_buf = g_malloc(STDIO_BUFFER);
	setvbuf(po->file, po->stdio_buf, _IOFBF, STDIO_BUFFER); /* before any I/O */
	if (!start_dumper(po, error)) {
		fclose(po->file); /* the dumper never took it over */
		unlink(po->tmp_path);
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
	uint32_t caplen = frame_len < PCAP_SNAPLEN ? frame_len : PCAP_SNAPLEN;
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

bool pcap_out_commit(struct pcap_out *po, GError **error)
{
	int err;
	bool ok = false;

	errno = 0;
	err = close_stream(po);
	if (err != 0)
		set_errno_error(error, err, "cannot write", po->tmp_path);
	else if (rename(po->tmp_path, po->path) != 0)
		set_errno_error(error, errno, "cannot rename into place", po->path);
	else
		ok = true;
	if (!ok)
		unlink(po->tmp_path);
	free_writer(po);
	return ok;
}

void pcap_out_abandon(struct pcap_out *po)
{
	close_stream(po);
	unlink(po->tmp_path);
	free_writer(po);
}
