/*
 * The text trace: one packet as one line of what `tcpdump -nn -tt --nano`
 * prints for it (with -S, or without it in relative mode), so that a tcpsim
 * trace reads, and diffs, like a capture on a real host:
 *
 *   0.000000000 IP 10.0.0.1.40000 > 10.0.0.2.8080: Flags [S], seq 1317094743,
 *     win 64240, options [mss 1460,sackOK,TS val 7083694 ecr 0,nop,wscale 7], length 0
 *   1.000000000 IP 10.0.0.254 > 10.0.0.1: ICMP host 10.0.0.2 unreachable, length 36
 *
 * (each on one line).  The conventions are tcpdump's own (print-tcp.c,
 * print-icmp.c); see sim/out/tcpdump.c for the details.  Pure: no I/O, no state.
 */
#ifndef SIM_OUT_TCPDUMP_H
#define SIM_OUT_TCPDUMP_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "models/segment.h"
#include "sim/engine/time.h"

/*
 * Appends the line for packet pv seen at simulated time t to out, without
 * a trailing newline (the caller ends the line, possibly after a comment).
 *
 * relative_seq false: sequence and acknowledgment numbers as on the wire
 * (tcpdump -S).  relative_seq true: tcpdump's default, numbers relative to
 * the initial sequence numbers of the connection: isn_src is the ISN of the
 * packet's sender, isn_dst that of its receiver.  As in tcpdump, only a
 * segment with ACK and without SYN is shown relative; a SYN, a SYN-ACK and
 * a segment without ACK (a bare RST) show absolute numbers.  tcpdump also
 * shows absolute numbers for the first ACK-bearing segment it sees of a
 * conversation (a RST+ACK refusing a SYN): pass relative_seq false for it.
 * The ISNs are ignored for ICMP packets.
 */
void tcpdump_format(GString *out, sim_time t, const struct packet_view *pv,
                    bool relative_seq, uint32_t isn_src, uint32_t isn_dst);

/*
 * The flags in brackets as tcpdump writes them: letters in the order
 * F S R P . U ("S.", "P.", "FP.", "R."), or "none".  The ECN bits (0x40,
 * 0x80) are not shown: tcpsim never sets them, and their letters would
 * not fit in buf.  Returns buf.
 */
const char *tcpdump_flags(uint8_t flags, char buf[8]);

#endif
