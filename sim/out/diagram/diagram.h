/*
 * The sequence diagram of a run (--diagram FILE.svg or FILE.png): the
 * classic two-timeline ladder of TCP textbooks, drawn from the observer's
 * events.
 *
 *   - One vertical timeline per endpoint, client left, server right, time
 *     going down; each state change written beside its timeline (outside),
 *     with the applications' calls in grey.
 *   - One arrow per segment from its sender's timeline at the time it was
 *     sent to its receiver's at the time it arrived (packets are paired as
 *     sim/out/flight.h says), labelled with its flags, relative sequence and
 *     acknowledgment numbers and length; a second, dashed arrow for a copy
 *     the network duplicated; retransmissions in red; a segment the network
 *     dropped ends in a cross part of the way across (naming the [faults]
 *     entry that dropped it), one its receiver discarded on arrival (a bad
 *     checksum, a SYN to a full accept queue) in a cross at the receiver,
 *     one that reached a crashed host in a cross near it ("(host down)");
 *     one still in flight when the run was stopped by its duration ends
 *     dashed with "?".  ICMP errors from a router come from the middle.
 *     Four or more consecutive data segments of one sender (or ACKs
 *     answering arrivals) share one label, "15 segments, 1:20001, FIN".
 *   - Timers as brackets beside the timeline where the events show them: the
 *     time from a segment's previous transmission to its retransmission
 *     after a timeout ("RTO 400 ms") or a tail loss probe ("TLP 200 ms"),
 *     and to the timeout that gives up ("RTO 65.54 s, gave up"); a bare
 *     ACK sent with nothing arriving, from the segment it acknowledges
 *     ("delayed ACK 42 ms"); keepalive probes and the RST that ends them
 *     ("keepalive 60.25 s"); and a state left with no packet at that
 *     instant, which only a timer does ("2*MSL 60 s" from TIME_WAIT, or
 *     from the retransmitted FIN that restarted it, to CLOSED;
 *     "FIN_WAIT_2 60 s").
 *   - Time runs down one row per event; the rows are spaced by the time
 *     between events on one logarithmic scale for every gap (the same
 *     instant: 14 px; 1 ms: 22 px; 1 s: 98 px; 64 s: 148 px), so that a
 *     longer wait is never drawn shorter than a shorter one and a 60 s
 *     TIME_WAIT does not squash the handshake; a gap longer than a second
 *     is broken, with its length ("... 58.9 s ...").  Where two texts would
 *     overlap (their boxes estimated from a generous glyph width), the
 *     later one's row moves down; then any wait drawn shorter than a
 *     shorter one (a timer's bracket, or the gap from one instant's last
 *     row to the next instant) is stretched to that height, so the order
 *     of durations holds over the whole diagram.  Each new instant is
 *     written on the left.
 *   - An arrow's label is along it, as near its sender as it can be
 *     without overlapping a text or being crossed by another arrow (a lost
 *     arrow's may run on past its cross); where no place along it is clear,
 *     the label is written beside its sender's timeline, outside, on its
 *     row.
 *   - The programs' calls as their strace lines, a string of bytes that are
 *     not text shown by its size ("<1448 bytes>").
 *
 * The diagram is built as a display list (sim/out/diagram/diagram_draw.h) that two
 * back ends draw: SVG, written directly (deterministic text: one seed, one
 * file), and PNG through cairo when tcpsim is built with it
 * (TCPSIM_HAVE_CAIRO).  In the SVG every arrow is a <g class="arrow ...">
 * and every cross a <g class="cross">, for scripts and tests.
 *
 * Limits: the first DIAGRAM_MAX_EVENTS events are recorded and the drawing
 * stops at DIAGRAM_MAX_HEIGHT pixels, with a note saying where.  Readable
 * for runs of a few dozen segments.
 */
#ifndef SIM_OUT_DIAGRAM_DIAGRAM_H
#define SIM_OUT_DIAGRAM_DIAGRAM_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "sim/world/net.h"
#include "sim/out/sink.h"

#define DIAGRAM_MAX_EVENTS 5000
#define DIAGRAM_MAX_HEIGHT 30000 /* pixels; cairo's limit is 32767 */

enum diagram_format { DIAGRAM_SVG, DIAGRAM_PNG };

/* The format named by path's extension (.svg or .png, any case); false
 * with *error (G_OPTION_ERROR_BAD_VALUE) if it is neither, or PNG and this
 * build has no cairo. */
bool diagram_format_of(const char *path, enum diagram_format *format, GError **error);

/* True when this build can write PNG. */
bool diagram_png_available(void);

/* What the header says. */
struct diagram_info {
	const char *title;                 /* the config file */
	uint64_t seed;
	char *endpoint[NET_ROLES];         /* "10.0.0.1", "10.0.0.2:8080" */
};

struct diagram;

/* Starts recording for a diagram to be written to path (.svg or .png):
 * the file is created at once under a temporary name, so that a bad path
 * is found before the run.  NULL with *error. */
struct diagram *diagram_new(const struct diagram_info *info, const char *path, GError **error);

/* Frees d; a diagram not written by diagram_write() leaves no file. */
void diagram_free(struct diagram *d); /* NULL allowed */

/* The observer's events, in order. */
void diagram_packet(struct diagram *d, const struct net_packet_event *e);
void diagram_state(struct diagram *d, const struct net_state_event *e);
void diagram_call(struct diagram *d, const struct net_call_event *e);

/* Lays out and writes the diagram, and renames it into place; end_time is
 * when the run ended, truncated whether it was stopped by its duration
 * (packets may then still be in flight; otherwise a packet that never
 * arrived was lost with its crashed receiver).  False with *error. */
bool diagram_write(struct diagram *d, sim_time end_time, bool truncated, GError **error);

/* --diagram as a sink of the run. */
bool diagram_sink_open(const struct sink_args *a, struct sink *out, GError **error);

#endif
