/*
 * A pcapng capture file (draft-ietf-opsawg-pcapng), which libpcap cannot
 * write: one section with one Interface Description Block per capture point
 * and one Enhanced Packet Block per packet, each packet with an optional
 * comment (opt_comment) that Wireshark shows as "frame.comment".
 *
 * The file is written in little-endian byte order (the byte-order magic says
 * so), whatever the host, so that one run gives the same bytes everywhere.
 * Timestamps are nanoseconds of simulated time (if_tsresol = 9).  No option
 * carries anything of the machine (no shb_os, no shb_hardware).
 *
 * Like every output, it is written under "<path>.tmp" and renamed into place
 * by pcapng_out_commit().
 */
#ifndef SIM_OUT_PCAPNG_H
#define SIM_OUT_PCAPNG_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "sim/out/pcap_out.h"
#include "sim/engine/time.h"

/* Block types and option codes used (section numbers of the draft). */
enum {
	PCAPNG_SHB = 0x0A0D0D0A,      /* 4.1 Section Header Block */
	PCAPNG_IDB = 0x00000001,      /* 4.2 Interface Description Block */
	PCAPNG_EPB = 0x00000006,      /* 4.3 Enhanced Packet Block */
	PCAPNG_BYTE_ORDER_MAGIC = 0x1A2B3C4D,
	PCAPNG_OPT_ENDOFOPT = 0,      /* 3.5: ends an option list */
	PCAPNG_OPT_COMMENT = 1,       /* 3.5: UTF-8 text, in any block */
	PCAPNG_SHB_USERAPPL = 4,      /* 4.1: the application that wrote the file */
	PCAPNG_IF_NAME = 2,           /* 4.2 */
	PCAPNG_IF_DESCRIPTION = 3,    /* 4.2 */
	PCAPNG_IF_TSRESOL = 9,        /* 4.2: one byte, 9 = 10^-9 s */
	PCAPNG_LINKTYPE_ETHERNET = 1,
	PCAPNG_LINKTYPE_RAW = 101,    /* raw IPv4/IPv6, no link header */
	PCAPNG_MAX_OPTION = 0xFFFF,   /* an option value's length is 16 bits */
};

struct pcapng_out;

/* Creates <path>.tmp and writes the Section Header Block, naming `app`
 * ("tcpsim 0.1.0") as the writer.  Frames are Ethernet II or raw IPv4 on
 * every interface (sim/out/wire.c's wire_frame()). */
struct pcapng_out *pcapng_out_open(const char *path, enum pcap_framing framing, const char *app,
                                   GError **error);

/* Declares the next interface (ids count from 0 in the order of the
 * calls); all interfaces must be declared before the first packet. */
uint32_t pcapng_out_add_interface(struct pcapng_out *po, const char *name, const char *description);

/* One frame (wire_frame() of the file's framing) seen at interface `iface`
 * at time t, with comment (UTF-8, NULL or "" for none; cut to 65535 bytes
 * at a character boundary). */
void pcapng_out_write(struct pcapng_out *po, uint32_t iface, sim_time t, const uint8_t *frame,
                      uint32_t len, const char *comment);

/* Flushes, closes and renames into place; false (with *error) on failure.
 * Frees po either way. */
bool pcapng_out_commit(struct pcapng_out *po, GError **error);

/* Removes the temporary file and frees po (a run that failed). */
void pcapng_out_abandon(struct pcapng_out *po);

#endif
