/*
 * The event log (--events FILE): JSON Lines, one object per observer event
 * in the order they happened, for jq and scripts.  Every object has "t"
 * (seconds, nine decimals) and "event": "packet", "state", "call" or "ack".
 *
 *   packet: at (whose interface), dir ("out" sent there, "in" arrived
 *           there), conn, kind ("tcp" | "icmp_unreach"), src, sport, dst,
 *           dport, flags (tcpdump's letters), seq, ack, win, len, options
 *           (the present ones of mss, sack_perm, wscale, tsval, tsecr),
 *           ip_id, ttl, bad_checksum, why ("new" | "rto" | "probe" | "fast"
 *           | "go_back" | "ack" | "rst"), retransmission, fate ("deliver" |
 *           "loss" | "queue" | "fault" | "unreachable" | "black_hole" |
 *           "unresolved", the last never on the wire: held for an ARP reply
 *           that never came; null on arrival), rto (seconds; null on
 *           arrival), fault, duplicate, reordered; for ICMP also icmp_src,
 *           icmp_code (the tcp fields then describe the quoted segment).
 *           An ARP request has kind "arp", op "request", src (the asker)
 *           and dst (the address asked for) in place of src ... bad_checksum.
 *   state:  role, conn, from, to, errno (null or "ETIMEDOUT", ...).
 *   call:   role, call, ret, errno, blocked (seconds), text.
 *   ack:    a connection took a segment carrying an ACK (synchronized
 *           states only), written after that segment's "in" packet line
 *           and before what it sends in answer: role, conn, ack (the
 *           segment's acknowledgment number), snd_una, cwnd (bytes),
 *           ssthresh (bytes; null until a loss sets it), mss, in_flight
 *           (bytes sent and not acknowledged, SND.NXT - SND.UNA), srtt
 *           (seconds; null before the first RTT sample), rto (seconds).
 *           The sender's state after tcp_ack(), as Linux's tcp_probe
 *           tracepoint shows it.  (The SACK scoreboard's size joins it when
 *           the model keeps one.)
 *
 * Keys always appear, in this order; numbers are written exactly (sequence
 * numbers as on the wire), so one seed gives one byte-identical file.
 */
#ifndef SIM_OUT_EVENTS_OUT_H
#define SIM_OUT_EVENTS_OUT_H

#include <stdbool.h>
#include <glib.h>
#include "sim/world/net.h"
#include "sim/out/sink.h"

struct events_out;

struct events_out *events_out_open(const char *path, GError **error);
void events_out_packet(struct events_out *eo, const struct net_packet_event *e);
void events_out_state(struct events_out *eo, const struct net_state_event *e);
void events_out_call(struct events_out *eo, const struct net_call_event *e);
void events_out_ack(struct events_out *eo, const struct net_ack_event *e);

/* Renames the complete file into place; false with *error.  Frees eo. */
bool events_out_commit(struct events_out *eo, GError **error);
void events_out_abandon(struct events_out *eo); /* NULL allowed */

/* --events as a sink of the run. */
bool events_sink_open(const struct sink_args *a, struct sink *out, GError **error);

/* "new", "rto", "probe", ... (also used by the other outputs). */
const char *events_why_name(enum tcp_send_why w);

#endif
