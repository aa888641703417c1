/*
 * Targeted faults: drop, delay or duplicate the Nth segment that matches a
 * sender and a kind, so that every demonstration is reproducible without
 * hunting for a seed.  Written in a config's [faults] section, one per key:
 *
 *     [faults]
 *     lost_last_ack = drop 1st client ack-of-fin
 *     old_segment   = delay 2nd client data by 30s
 *     no_synack     = drop first 3 server syn-ack
 *     twice         = duplicate all client data
 *
 * Grammar:  ACTION WHICH SENDER KIND [by DURATION]
 *   ACTION  drop | delay (needs "by DURATION") | duplicate
 *   WHICH   1st 2nd 3rd 4th ... | first N | all
 *   SENDER  client | server
 *   KIND    syn       a SYN without ACK
 *           syn-ack   a SYN with ACK
 *           ack       a pure ACK (no data, SYN, FIN or RST)
 *           ack-of-fin  a segment that acknowledges the peer's FIN
 *           data      a segment with payload
 *           fin       a segment with FIN
 *           rst       a reset
 *           any       any segment
 * Counting is over the whole run (all connections), per fault.
 */
#ifndef MODELS_FAULT_H
#define MODELS_FAULT_H

#include <stdbool.h>
#include <stdint.h>
#include "sim/engine/time.h"
#include "models/segment.h"

enum fault_action { FAULT_DROP, FAULT_DELAY, FAULT_DUPLICATE };

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
	int sender;               /* 0 client, 1 server (enum net_role) */
	enum fault_kind kind;
	uint64_t first, last;     /* the matches it applies to, 1-based, inclusive */
	sim_time delay;           /* FAULT_DELAY: how much later it arrives */
};

/* What a matcher needs to know about a segment beyond its header. */
struct fault_facts {
	int sender;               /* 0 client, 1 server */
	bool acks_peer_fin;       /* its ACK covers the FIN the receiver sent */
};

bool fault_matches(const struct fault *f, const struct tcp_seg *s, const struct fault_facts *x);
const char *fault_action_name(enum fault_action a);
const char *fault_kind_name(enum fault_kind k);

#endif
