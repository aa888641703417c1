/*
 * How far each stream got at one interface, to tell what a capture there
 * can recognise: per direction of a four-tuple (source, destination address
 * and port), the ISN of its incarnation and the highest sequence end seen
 * (what Wireshark's tcp.analysis keeps per direction, as nextseq).
 *
 * A segment with sequence space that starts behind that end is one a
 * capture takes for a retransmission: sequence space at or beyond its
 * start already passed there (an earlier copy, or later segments that
 * overtook a lost one).  Wireshark sees only the interface: it calls it a
 * retransmission (or "spurious", or out of order), and a lost original's
 * retransmission that brings new sequence space is not flagged.  The
 * simulator knows more: the sender marked it a retransmission or it did
 * not, and an unmarked one is an original held back in the network (late).
 *
 * A SYN with a new ISN opens a new incarnation (as in Wireshark), its
 * record taking the older one's place; the same ISN again is a
 * retransmitted SYN.  RSTs, and packets other than TCP, are not tracked.
 * A record goes when its flow is gone (streamend_forget()), so memory
 * follows the live flows, not the length of the run.
 */
#ifndef SIM_OUT_STREAMEND_H
#define SIM_OUT_STREAMEND_H

#include <stdbool.h>
#include <stdint.h>
#include "sim/world/net.h"

struct streamend;

/* What a segment is to a capture at the interface. */
enum streamend_verdict {
	STREAMEND_NEW,            /* nothing behind the end (or no sequence space) */
	STREAMEND_RETRANSMISSION, /* behind the end, and the sender retransmitted it */
	STREAMEND_LATE,           /* behind the end, an original held back */
};

struct streamend *streamend_new(void);
void streamend_free(struct streamend *se);

/* A packet seen at the interface: its verdict, and its stream's end moved
 * past it.  A network duplicate is never behind (it is no sender's doing):
 * with duplicates_move_end it still moves the end, as any arrival does at
 * the interface; without, it is left out entirely, as if not seen. */
enum streamend_verdict streamend_seen(struct streamend *se, const struct net_packet_event *e,
                                      bool duplicates_move_end);

/* The flow flow_id of tuple t is gone (sink.h: no connection holds it and
 * nothing of it is in flight): the records of both its directions go,
 * unless a newer incarnation took them over. */
void streamend_forget(struct streamend *se, uint64_t flow_id, const struct net_tuple *t);

#endif
