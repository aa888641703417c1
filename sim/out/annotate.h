/*
 * The comments of the two-interface pcapng: for every packet seen at an
 * interface (client = interface 0, server = interface 1), what the
 * simulator knows and a capture cannot, joined by "; ":
 *
 *   sent:     "retransmission #2 after a timeout (RTO 800 ms)",
 *             "tail loss probe (retransmission #1, RTO 200 ms)",
 *             "fast retransmit (retransmission #1)",
 *             "retransmission #1 (go-back-N after a timeout)",
 *             "dropped by the network (loss)" / "(queue full)" / "(fault)",
 *             "not forwarded: a router answers ICMP unreachable",
 *             "[faults] lost_last_ack" (the [faults] entry applied to it)
 *   arrived:  "retransmission #2 after a timeout" (and the like),
 *             "ICMP host unreachable from a router",
 *             "duplicated by the network (second copy)",
 *             "reordered: overtook a packet sent earlier",
 *             "delayed 52.3 ms in flight (reordered): arrived after a packet sent later"
 *   states:   "client ESTABLISHED -> FIN_WAIT_1", "client #2 SYN_SENT -> CLOSED (ETIMEDOUT)"
 *             (the connection number is written from the second connection on)
 *
 * "retransmission #k": the k-th resend of the segment's first sequence
 * number (sim/out/segtrack.h); the RTO is the sender's retransmission timeout
 * as it sends, after any backoff: the time it will now wait.
 *
 * Which packet carries a state change.  A change of role R at time t goes
 *  1. on the next packet at R's interface at the same instant, if any (the
 *     packet the new state sends: the SYN of CLOSED -> SYN_SENT, the FIN
 *     of ESTABLISHED -> FIN_WAIT_1, the ACK of SYN_SENT -> ESTABLISHED);
 *  2. else on the last packet at R's interface before it at that instant
 *     (the packet that caused it: the ACK that takes LAST_ACK to CLOSED);
 *  3. else (a timer: TIME_WAIT -> CLOSED after 2*MSL, a FIN_WAIT_2
 *     timeout, a connect that gave up) on the last packet at R's interface
 *     before it, prefixed by how much later it happened: "60.000000 s
 *     later: client TIME_WAIT -> CLOSED";
 *  4. else (nothing was seen at R's interface yet) on the next packet at
 *     R's interface, prefixed "0.500000 s earlier: ".
 * A change with no packet at all at R's interface is not written.
 *
 * To apply rule 3, the newest packet of each interface is held back until
 * the next packet at that interface (or the end); packets are handed out
 * in the order they happened, so a packet waits behind a held-back one.
 * In practice both interfaces see traffic and the queue stays a few
 * packets long; at worst it holds the packets seen at one interface while
 * the other sees nothing.
 */
#ifndef SIM_OUT_ANNOTATE_H
#define SIM_OUT_ANNOTATE_H

#include <stdint.h>
#include <glib.h>
#include "sim/world/net.h"

/* Receives each packet, in the order of the events, with its comment
 * ("" for none): iface is 0 for the client's interface, 1 for the server's. */
typedef void (*annotate_emit)(void *ctx, uint32_t iface, sim_time t, const uint8_t *packet,
                              uint32_t len, const char *comment);

struct annotate;

struct annotate *annotate_new(annotate_emit emit, void *ctx);

/* The observer's events, in order.  `packet` (len bytes) is the encoded
 * packet of e, copied. */
void annotate_packet(struct annotate *a, const struct net_packet_event *e, const uint8_t *packet,
                     uint32_t len);
void annotate_state(struct annotate *a, const struct net_state_event *e);
void annotate_call(struct annotate *a, const struct net_call_event *e);

/* Hands out every packet still held.  Returns the number of state changes
 * that found no packet to go on. */
uint64_t annotate_finish(struct annotate *a);

void annotate_free(struct annotate *a); /* NULL allowed */

/* The wording of the comments, for the other outputs that explain a
 * packet (the HTML report): appends "retransmission #k after a timeout
 * (RTO 800 ms)" and the like to c ("; " first if c is not empty); and
 * "dropped by the network (loss)" and the like for a fate ("" for
 * LINK_DELIVER and LINK_DROP_UNRESOLVED). */
void annotate_retransmission_text(GString *c, enum tcp_send_why why, uint32_t k, sim_time rto);
const char *annotate_drop_text(enum link_drop d);

#endif
