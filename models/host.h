/*
 * A host: one IPv4 address, its listening sockets, its table of connections
 * keyed by the 4-tuple, ephemeral port allocation and initial sequence
 * numbers.  It decides which endpoint a segment belongs to, and answers for
 * the segments that belong to none (RFC 9293 §3.10.7.1: a reset).
 *
 * Pure like the TCP model: it never schedules anything; the caller (the
 * world) applies the actions and arms each connection's timer, an event it
 * keeps in its own part of the connection object (conn_size, conn_born).
 */
#ifndef MODELS_HOST_H
#define MODELS_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include <gsl/gsl_rng.h>
#include "models/tcp.h"

struct flow_pair;
struct host;

/* The 4-tuple, from this host's side. */
struct conn_key {
	uint32_t laddr, raddr;
	uint16_t lport, rport;
};

struct listener {
	uint16_t port;
	uint32_t backlog;      /* most connections waiting for accept() */
	GQueue ready;          /* struct conn *: established, not yet accepted */
	uint32_t half_open;    /* children in SYN_RCVD */
	bool reuseaddr;        /* SO_REUSEADDR, which its children inherit */
	const struct tcp_params *params; /* its socket's TCP parameters when they differ
	                          from the host's (NULL: the host's), which a child
	                          takes at the SYN (Linux sk_clone_lock()) */
};

/* One connection of this host: the TCP endpoint and what the simulation
 * keeps beside it. */
struct conn {
	struct tcp_ep *ep;
	struct conn_key key;
	struct host *host;
	struct listener *parent;  /* the listener that spawned it, until accepted */
	GList ready_link;         /* its place in parent->ready (no allocation) */
	struct conn *next_free;   /* in the host's free list once done */
	bool dying;               /* on the world's list of connections to free */
	uint64_t id;              /* 1, 2, ... per host: the incarnation number */
	bool in_table;            /* reachable by its 4-tuple */
	bool user_owned;          /* a user holds it (connect/accept, not yet closed) */
	bool user_seen;           /* a user has held it: its end is that program's result */
	bool abandoned;           /* the program moved on without closing it (an fd
	                             never closed): it stays, and is freed at CLOSED */
	bool graceful;            /* reached CLOSED without an error */
	bool reuseaddr;           /* its socket set SO_REUSEADDR (bind() may share its port) */
	int err;                  /* the error it ended with, if any */
	struct flow_pair *flows;  /* data-integrity streams shared with the peer */
};

struct host {
	uint32_t addr;
	const struct tcp_params *p;
	gsl_rng *rng;            /* ISN secret, timestamp offsets, port cursor (owned) */
	uint32_t isn_secret;     /* RFC 6528 F() key */
	sim_time clock_offset;   /* the host's wall clock at simulated time 0 */
	GHashTable *conns;       /* struct conn_key * -> struct conn * */
	struct conn *last;       /* the connection the last lookup found (BSD's one-behind
	                            cache, tcp_last_inpcb): most segments are for it */
	GHashTable *listeners;   /* port -> struct listener * */
	uint16_t port_lo, port_hi; /* ephemeral range (Linux 32768-60999) */
	uint32_t port_cursor;    /* next candidate, offset into the range */
	uint64_t next_id;        /* incarnation numbers */
	bool down;               /* crashed: drops everything silently */
	struct conn *free_conns; /* finished connections whose memory serves again */
	GPtrArray *all_conns;    /* every connection object allocated (live, held by a
	                            program, or free): host_clear() frees them all */
	void *owner;             /* the world this host belongs to */
	size_t conn_size;        /* bytes of one connection object: the world keeps its
	                            own fields (the timer event) after struct conn;
	                            sizeof (struct conn) unless the world says more */
	void (*conn_born)(struct conn *c, void *owner); /* readies the world's fields
	                            of a new or reused connection, or NULL */
	void (*child_params)(struct conn *c, const struct tcp_params *p, void *owner);
	                         /* gives a listener's child its socket's parameters
	                            (kept by the world), before the child answers */
	tcp_violation_fn violation; /* given to every endpoint, with `owner` */
	int role;                /* its role there */
};

void host_init(struct host *h, uint32_t addr, const struct tcp_params *p, gsl_rng *rng,
               uint16_t port_lo, uint16_t port_hi);
void host_clear(struct host *h);                 /* frees every connection */

/* RFC 6528: ISN = M + F(4-tuple, secret), M a clock ticking every
 * isn_tick (64 ns in Linux's secure_tcp_seq(), 4 us in RFC 9293). */
uint32_t host_isn(const struct host *h, const struct conn_key *k, sim_time now);

/* listen(): 0, or -EADDRINUSE. */
int host_listen(struct host *h, uint16_t port, uint32_t backlog, struct listener **out);
/* bind(): is `port` taken?  A listener always takes it; a connection (a
 * TIME_WAIT one too) unless both it and the binder set SO_REUSEADDR
 * (Linux inet_csk_bind_conflict()). */
bool host_port_taken(struct host *h, uint16_t port, bool reuse);
/* close() of a listening socket (Linux inet_csk_listen_stop()): every
 * child not yet accepted is aborted (a reset from the synchronized ones);
 * children already CLOSED in the accept queue go into `closed` for the
 * caller to free.  The listener is freed. */
void host_close_listener(struct host *h, struct listener *l, sim_time now, struct tcp_acts *out,
                         GPtrArray *closed);
/* What connect() asks for. */
struct host_connect_req {
	uint32_t raddr;
	uint16_t rport;
	uint16_t lport;            /* the bound port, 0: an ephemeral one */
	uint16_t port_lo, port_hi; /* the socket's IP_LOCAL_PORT_RANGE, 0: the host's */
};

/* A new connection to raddr:rport.  NULL with *err = EADDRNOTAVAIL when
 * no port is free or the tuple is taken.  A TIME_WAIT connection whose
 * tuple the new one took (tcp_tw_reuse, or a bound port) comes back in
 * *displaced, out of the table: the caller frees it. */
struct conn *host_connect(struct host *h, const struct host_connect_req *rq, sim_time now, int *err,
                          struct conn **displaced);

/* Delivers a segment: to its connection, to a listener (a SYN makes a
 * child), or answers with a reset.  *conn_out names the connection that
 * took it (NULL for a reset or a drop); *displaced a TIME_WAIT connection
 * that a new SYN reopened (out of the table: the caller frees it). */
void host_input(struct host *h, sim_time now, const struct tcp_seg *seg, struct tcp_acts *out,
                struct conn **conn_out, struct conn **displaced);

struct conn *host_lookup(struct host *h, const struct conn_key *k);
/* The connection an ICMP error is about: the one that sent `quoted`. */
struct conn *host_icmp_lookup(struct host *h, const struct tcp_seg *quoted);
/* Takes a closed connection out of the 4-tuple table only: a reset child
 * stays in its listener's accept queue (see net.c conn_closed). */
void host_unhash(struct host *h, struct conn *c);
void host_unlink(struct host *h, struct conn *c); /* out of the table (CLOSED) */
void conn_free(struct conn *c);

/* crash: every connection and listener vanishes without a packet. */
void host_crash(struct host *h, GPtrArray *freed_conns);

#endif
