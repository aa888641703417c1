/*
 * The time-sequence graph of a run (--seqgraph FILE.svg or FILE.png), in
 * the style of tcptrace and of Stevens' TCP/IP Illustrated: one direction
 * of one connection's data against time, and below it, on the same time
 * axis, its sender's congestion window and RTT estimate.
 *
 *   - Which data: the first connection (flow) that carries data; of its two
 *     directions, the one whose sender sent the most (or the role named by
 *     --seqgraph-sender).  With `repeat`, later connections are not drawn.
 *   - x: time in seconds from the run's start; y: the relative sequence
 *     number in bytes (the sequence number minus the sender's ISN, so the
 *     first data byte is 1, as tcptrace and tcpdump -r count), in bytes,
 *     kB or MB by its size.
 *   - Each data segment as it left its sender's interface: a vertical bar
 *     from seq to seq + len with a short tick at each end (tcptrace's
 *     I-beam), black; a retransmission in red; a segment the network
 *     dropped (or corrupted, dropped by its receiver) crossed at its top.
 *   - The ACK line: the cumulative ACKs as they arrived at the sender, a
 *     step line (green); the receive-window line: ack + the advertised
 *     window (scaled by the receiver's window scale when both SYNs carried
 *     it), yellow-brown, clamped to the top edge where it is more than
 *     twice the data's height.
 *   - SACKed blocks: the group <g class="sacked"> is drawn, empty, between
 *     the window line and the segments; seqgraph_rec.c's
 *     seqgraph_sacked_blocks() is the one place that will read them from
 *     the arriving segment's options once struct tcp_opts carries them.
 *   - The panel below: cwnd and ssthresh in segments (bytes / the sender's
 *     MSS) on the left axis, SRTT and RTO in milliseconds on the right,
 *     as the sender's connection stood after each ACK it took (the
 *     observer's ack event, sim/world/net.h).
 *
 * Big transfers stay small: up to SEQGRAPH_EXACT_SEGMENTS segments are
 * drawn one by one; beyond, every series is kept as the first, smallest,
 * largest and last value per time bucket (SEQGRAPH_BUCKETS of them, their
 * width doubling as the run goes on), drawn as one bar or line per pixel
 * column, as tcptrace-like tools decimate: the memory is bounded whatever
 * the length of the transfer.
 *
 * Drawn through the sequence diagram's display list
 * (sim/out/diagram/diagram_draw.h): SVG written directly, PNG with cairo,
 * SEQGRAPH_WIDTH x SEQGRAPH_HEIGHT pixels.  In the SVG every series is a
 * <g class="...">: segments, retransmissions, drops, ack-line,
 * window-line, sacked, cwnd, ssthresh, srtt, rto.
 */
#ifndef SIM_OUT_SEQGRAPH_SEQGRAPH_H
#define SIM_OUT_SEQGRAPH_SEQGRAPH_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "sim/out/diagram/diagram.h"
#include "sim/out/sink.h"
#include "sim/world/net.h"

#define SEQGRAPH_WIDTH 1000  /* pixels */
#define SEQGRAPH_HEIGHT 900
#define SEQGRAPH_EXACT_SEGMENTS 4000 /* segments drawn one by one, at most */
#define SEQGRAPH_BUCKETS 2048        /* time buckets of the decimated series */

/* The format named by path's extension, for --seqgraph: false with
 * *error (G_OPTION_ERROR_BAD_VALUE, naming the option) if it is neither
 * .svg nor .png, or .png and this build has no cairo. */
bool seqgraph_format_of(const char *path, enum diagram_format *format, GError **error);

/* "client" or "server" (--seqgraph-sender): the role, or false. */
bool seqgraph_sender_of(const char *text, enum net_role *role);

struct seqgraph;

/* Starts recording for a graph to be written to path (.svg or .png),
 * created at once under a temporary name; sender: the role whose data is
 * drawn, or -1 for the one that sends the most.  NULL with *error. */
struct seqgraph *seqgraph_new(const char *title, uint64_t seed, int sender, const char *path,
                              GError **error);
void seqgraph_free(struct seqgraph *g); /* NULL allowed; no file left unless written */

/* The observer's events, in order. */
void seqgraph_packet(struct seqgraph *g, const struct net_packet_event *e);
void seqgraph_ack(struct seqgraph *g, const struct net_ack_event *e);
void seqgraph_flow_gone(struct seqgraph *g, uint64_t flow_id);

/* Draws and writes the graph, renamed into place; false with *error. */
bool seqgraph_write(struct seqgraph *g, GError **error);

/* --seqgraph as a sink of the run. */
bool seqgraph_sink_open(const struct sink_args *a, struct sink *out, GError **error);

#endif
