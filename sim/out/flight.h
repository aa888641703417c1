/*
 * Packets in flight: pairs each packet an interface sends with its arrival
 * (or its two arrivals, when the network duplicates it) at the other
 * interface, from the observer's events alone, so that the outputs can say
 * how long a packet travelled and whether it arrived behind packets sent
 * after it, and the diagram can draw it from its departure to its arrival.
 *
 * Pairing rule.  A packet is identified by its sender and its number among
 * the packets that sender sent (net_packet_event.pair_id, see
 * sim/world/net.c; not the IPv4 identification, which is 0 for every
 * packet a Linux control socket sends), checked against its segment
 * fields (seq, ack, flags, length, TSval): an arrival matches the last
 * departure its sender made with that number if the fields are the same.
 * The number wraps after 65536 packets; a packet still in flight
 * 65536 packets later would be lost to the pairing (its arrival then
 * matches nothing).  Only departures the network delivers are remembered.
 *
 * Memory: at most one slot per (sender, number): 2 * 65536 slots.
 */
#ifndef SIM_OUT_FLIGHT_H
#define SIM_OUT_FLIGHT_H

#include <stdbool.h>
#include <stdint.h>
#include "sim/world/net.h"

struct flight;

/* What an arrival is paired with. */
struct flight_match {
	sim_time sent;      /* departure time */
	uint64_t tag;       /* the tag given with the departure */
	uint64_t order;     /* departures of that sender before this one */
	bool late;          /* a packet its sender sent after it arrived first */
};

struct flight *flight_new(void);
void flight_free(struct flight *f);

/* An outgoing event (e->outgoing).  Remembered only when its fate is
 * LINK_DELIVER; tag is the caller's (a record index). */
void flight_depart(struct flight *f, const struct net_packet_event *e, uint64_t tag);

/* An arriving event: true with *m when its departure is known.  A
 * duplicate copy matches the same departure as the first copy. */
bool flight_arrive(struct flight *f, const struct net_packet_event *e, struct flight_match *m);

#endif
