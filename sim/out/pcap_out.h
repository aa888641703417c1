/*
 * A classic pcap capture file written with libpcap, nanosecond timestamps
 * taken from the simulated clock.  Frames are either Ethernet II or raw
 * IPv4 (LINKTYPE_RAW), as sim/out/wire.c's wire_frame() builds them.
 * Packets are buffered by libpcap's stdio stream.
 *
 * The file is a struct outfile (sim/out/outfile.h): written under a temporary
 * name beside its final name and renamed by pcap_out_commit(), so an
 * interrupted run never leaves a truncated capture that looks valid; a
 * device or a FIFO is written in place.  Frames are never truncated
 * (snap length 262144).
 */
#ifndef SIM_OUT_PCAP_OUT_H
#define SIM_OUT_PCAP_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "sim/engine/time.h"

enum pcap_framing { PCAP_ETHERNET, PCAP_RAW_IPV4 };

struct pcap_out;

struct pcap_out *pcap_out_open(const char *path, enum pcap_framing framing, GError **error);

/* Appends one frame (wire_frame() of the file's framing, len bytes, at
 * most WIRE_MAX_FRAME) captured at time t. */
void pcap_out_write(struct pcap_out *po, sim_time t, const uint8_t *frame, uint32_t len);

/* Flushes, closes and renames into place; false (with *error) on failure. */
bool pcap_out_commit(struct pcap_out *po, GError **error);

/* Closes and removes the temporary file (a run that failed). */
void pcap_out_abandon(struct pcap_out *po);

#endif
