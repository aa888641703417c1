/*
 * Sends of each segment, per direction of each connection, from the
 * observer's events alone: how many times a segment's first sequence
 * number was sent before (a retransmission's number: "retransmission #2")
 * and when it was last sent (the start of the timeout that fired).
 *
 * A direction is (source, destination) address and port.  Only segments
 * that occupy sequence space (SYN, data, FIN) are tracked.  A segment is
 * forgotten when an ACK covering it arrives at its sender's interface, and
 * a direction when it has no segment left, so memory follows what is
 * unacknowledged, not the length of the run.  A SYN that is not a
 * retransmission starts the direction afresh (a new incarnation of the
 * same four-tuple).
 */
#ifndef SIM_OUT_SEGTRACK_H
#define SIM_OUT_SEGTRACK_H

#include <stdint.h>
#include "sim/world/net.h"

struct segtrack;

struct segtrack *segtrack_new(void);
void segtrack_free(struct segtrack *st);

/* An outgoing TCP segment.  Returns how many times its first sequence
 * number had been sent before (0: a first transmission) and sets *last to
 * when it was last sent (unchanged when 0 is returned).  A segment the
 * sender marks as a retransmission counts at least 1 even when its start
 * was never seen (it was repacketized). */
uint32_t segtrack_sent(struct segtrack *st, const struct net_packet_event *e, sim_time *last);

/* An arriving TCP segment: if it carries an ACK, its receiver forgets the
 * segments it sent that the ACK covers. */
void segtrack_arrived(struct segtrack *st, const struct net_packet_event *e);

#endif
