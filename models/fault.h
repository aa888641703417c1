/*
 * Targeted faults: drop, delay or duplicate the Nth segment that matches a
 * sender and a kind, so that every demonstration is reproducible without
 * hunting for a seed; or kill an endpoint's connections at a given time.
 * Written in a config's [faults] section, one per key:
 *
 *     [faults]
 *     lost_last_ack = drop 1st client ack-of-fin
 *     old_segment   = delay 2nd client data by 30s
 *     no_synack     = drop first 3 server syn-ack
 *     some_acks     = drop 2nd..4th client ack
 *     deaf_a_while  = drop all client ack from 1.3s to 2.35s
 *     late_fin      = drop 1st client fin from 5s
 *     twice         = duplicate all client data
 *     ss_k          = kill client at 61.5s
 *
 * Grammar:  ACTION WHICH SENDER KIND [by DURATION] [from TIME] [to TIME]
 *       or  kill ENDPOINT at TIME
 *   ACTION  drop | delay (needs "by DURATION") | duplicate
 *   WHICH   1st 2nd 3rd 4th ... | Nth..Mth (a range, both included) |
 *           first N | all
 *   SENDER  client | server
 *   KIND    syn       a SYN without ACK
 *           syn-ack   a SYN with ACK
 *           ack       a pure ACK (no data, SYN, FIN or RST)
 *           ack-of-fin  a segment that acknowledges the peer's FIN
 *           data      a segment with payload
 *           fin       a segment with FIN
 *           rst       a reset
 *           any       any segment
 *   from, to  a window of simulated time, half-open [from, to): only the
 *           segments sent at or after `from` and before `to` are matched
 *           (either bound may be left out).
 * Counting is over the whole run (all connections), per fault, and only
 * among the segments inside the window: "drop 1st client fin from 5s" is
 * the first FIN the client sends at 5 s or later, whatever FINs went
 * before.
 *
 * kill: at TIME every connection of the endpoint is killed from outside,
 * as `ss -K` does on Linux (tcp_abort(), net/ipv4/tcp.c): a synchronized
 * one sends a reset and its program gets ECONNABORTED, a TIME_WAIT one
 * vanishes silently (inet_twsk_deschedule_put()), a request socket not
 * yet accepted goes without a reset.  Listening sockets stay.  The world
 * schedules it (sim/world/net.c); it never matches a segment.
 */
#ifndef MODELS_FAULT_H
#define MODELS_FAULT_H

#include <stdbool.h>
#include <stdint.h>
#include "sim/engine/time.h"
#include "models/segment.h"

enum fault_action { FAULT_DROP, FAULT_DELAY, FAULT_DUPLICATE, FAULT_KILL };

enum fault_kind {
	FAULT_ANY,
	FAULT_SYN,
	FAULT_SYN_ACK,
	FAULT_ACK,
	FAULT_ACK_OF_FIN,
	FAULT_DATA,
	FAULT_FIN,
	FAULT_RST,
};

struct fault {
	char *name;               /* the key in [faults] */
	enum fault_action action;
	int sender;               /* 0 client, 1 server (enum net_role); FAULT_KILL:
	                             the endpoint killed */
	enum fault_kind kind;
	uint64_t first, last;     /* the matches it applies to, 1-based, inclusive */
	sim_time delay;           /* FAULT_DELAY: how much later it arrives */
	sim_time from, to;        /* the window [from, to) of the segments' sending
	                             times; 0 and SIM_NEVER when not given */
	sim_time at;              /* FAULT_KILL: when */
};

/* What a matcher needs to know about a segment beyond its header. */
struct fault_facts {
	int sender;               /* 0 client, 1 server */
	bool acks_peer_fin;       /* its ACK covers the FIN the receiver sent */
	sim_time now;             /* when it is sent */
};

/* Is the segment one the fault counts (its sender, its kind, inside its
 * window)?  Never for FAULT_KILL. */
bool fault_matches(const struct fault *f, const struct tcp_seg *s, const struct fault_facts *x);
const char *fault_action_name(enum fault_action a);
const char *fault_kind_name(enum fault_kind k);

#endif
