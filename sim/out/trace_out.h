/*
 * The text trace (--trace): the packets of the capture point's interface as
 * `tcpdump -nn -tt --nano -S` lines (or, with relative numbers, as tcpdump
 * without -S), interleaved at their simulated times with every state
 * change of both endpoints and every call of both programs, with what the
 * network did marked at the end of a packet's line:
 *
 *   0.155242323 IP 10.0.0.1.42633 > 10.0.0.2.8080: Flags [.], ack 1942860691, ...
 *       length 0  [dropped by the network: loss]
 *   0.155242323 client #1 FIN_WAIT_1 -> TIME_WAIT
 *   0.135922516 server: recv() = 0 after 0.047 s
 *
 * [retransmission] marks a retransmission as a capture there recognises
 * it: at the sender every one; at the receiver one whose sequence space
 * already arrived there (Wireshark's tcp.analysis.retransmission).  [late]
 * marks an original that arrived behind later segments, which Wireshark
 * would also call a retransmission.
 *
 * Relative numbers follow tcpdump's own bookkeeping (print-tcp.c): per
 * conversation (the two directions of a four-tuple), the first segment
 * that carries an ACK, or any SYN-ACK, sets the bases (its sequence number
 * for its sender, its acknowledgment number - 1 for its receiver) and is
 * itself shown with absolute numbers, as are segments without ACK (a SYN);
 * every later ACK-bearing segment is shown relative to the bases.
 */
#ifndef SIM_OUT_TRACE_OUT_H
#define SIM_OUT_TRACE_OUT_H

#include <stdbool.h>
#include <stdio.h>
#include "sim/world/net.h"
#include "sim/out/sink.h"

struct trace_out;

/* Writes to out (not owned) the packets seen at interface `at`. */
struct trace_out *trace_out_new(FILE *out, enum net_role at, bool relative_seq);
void trace_out_free(struct trace_out *tr);

void trace_out_packet(struct trace_out *tr, const struct net_packet_event *e);
void trace_out_state(struct trace_out *tr, const struct net_state_event *e);
void trace_out_call(struct trace_out *tr, const struct net_call_event *e);

/* --trace as a sink of the run: the capture point's packets. */
bool trace_sink_open(const struct sink_args *a, struct sink *out, GError **error);

#endif
