/*
 * Private to sim/world/net.c, sim/world/app.c and sim/world/flow.c: the world's
 * structures.
 */
#ifndef SIM_WORLD_NET_INT_H
#define SIM_WORLD_NET_INT_H

#include <gsl/gsl_rng.h>
#include "sim/engine/pool.h"
#include "sim/engine/queue.h"
#include "models/host.h"
#include "models/link.h"
#include "sim/world/net.h"
#include "sim/world/app.h"

/* A connection as the world holds it: the host's struct conn first, then
 * the timer event that fires at its endpoint's next deadline (the host
 * allocates conn_size bytes and knows nothing of events). */
struct world_conn {
	struct conn c;
	struct sim_event timer;
	/* its own TCP parameters, once a setsockopt() changed one: two
	 * copies, the endpoint following one while the other takes the new
	 * values, so that tcp_ep_set_params() sees what changed */
	struct tcp_params params[2];
};

static inline struct sim_event *conn_timer(struct conn *c)
{
	return &((struct world_conn *)(void *)c)->timer;
}

/* The copy of the connection's own parameters the endpoint does not
 * follow now: fill it, then hand it to tcp_ep_set_params(). */
static inline struct tcp_params *conn_params_next(struct conn *c)
{
	struct world_conn *w = (struct world_conn *)(void *)c;
	return tcp_ep_params(c->ep) == &w->params[0] ? &w->params[1] : &w->params[0];
}

/* One direction of application bytes, for the data-integrity check: the
 * writer appends what its send() accepted, the reader's recv() consumes and
 * compares.  Only bytes written and not yet read are held. */
struct stream {
	uint8_t *data;
	uint32_t head, len, cap;  /* unread expected bytes */
	uint64_t written, read;
	uint64_t corrupted;       /* bytes read that differ from what was written there */
	uint64_t ahead;           /* bytes read at places not yet written (counted corrupted):
	                             the writer's next bytes go to those places, not to the
	                             reader's next reads */
	bool eof_seen;            /* the reader's recv() returned 0 */
};

/* The two directions of one connection, shared by both ends and by the
 * packets in flight (reference counted). */
struct flow_pair {
	uint32_t refs;
	uint64_t id;                  /* 1, 2, ...: which flow, in the observer's events */
	struct net_tuple tuple;       /* of the connection that opened it */
	struct stream dir[NET_ROLES]; /* dir[r]: bytes written by role r */
	struct flow_pair *prev, *next; /* the world's list of live flows */
};

/* Every live flow of a run, so that none outlives it. */
struct flow_list {
	struct flow_pair *head;
	struct flow_pair *free; /* finished flows whose memory serves again */
	uint64_t next_id;       /* id of the next flow, from 1 */
};

struct flow_pair *flow_new(struct flow_list *l);
struct flow_pair *flow_ref(struct flow_pair *f);
/* Drops a reference; on the last one the flow's verdict goes into *stats
 * and the flow is gone: true then. */
bool flow_unref(struct flow_list *l, struct flow_pair *f, struct net_stats *stats);
/* The verdict of every live flow, without freeing them (end of the run). */
void flow_judge_live(const struct flow_list *l, struct net_stats *stats);
void flow_free_all(struct flow_list *l);
void stream_write(struct stream *s, const uint8_t *data, uint32_t len);
void stream_read(struct stream *s, const uint8_t *data, uint32_t len);

/* A packet in flight: an engine event plus its bytes, from the pool. */
struct pkt {
	struct sim_event ev;
	struct net *net;
	enum net_role to;           /* the receiving host */
	struct packet_view pv;
	struct flow_pair *flows;    /* the sender's connection's streams */
	bool duplicate, reordered;
	bool retransmission;        /* the sender had sent this sequence space before */
	enum tcp_send_why why;      /* why the sender sent it */
	uint64_t conn_id;           /* the sender's incarnation */
	uint16_t pair_id;           /* its number among the sender's packets, wrapping: the IPv4
	                               identification repeats (0 from a control socket) */
	uint8_t *big;               /* an injected payload above the pool's size (net_inject) */
	uint8_t data[];             /* payload, up to the pool's size */
};

/* A host's neighbour table (neigh.c): the addresses of its subnet it
 * resolves with ARP, each with the packets waiting for it. */
struct neigh_table {
	struct net *net;
	enum net_role role;         /* whose table */
	GHashTable *entries;        /* IPv4 address -> struct neigh * */
};


/* A [faults] kill entry: its event, at its time (net_start()). */
struct fault_kill {
	struct sim_event ev;
	struct net *net;
	const struct fault *f;
};

struct net {
	struct sim_queue *q;
	struct net_spec spec;
	struct net_observer obs;
	struct host hosts[NET_ROLES];
	struct tcp_params tcp[NET_ROLES];   /* each host's defaults, its kernel clock drawn */
	struct link links[NET_ROLES];  /* links[r]: leaving role r */
	struct neigh_table neigh[NET_ROLES]; /* neigh[r]: role r's ARP */
	struct app apps[NET_ROLES];
	struct sim_pool pkts;
	uint32_t max_payload;
	uint16_t ip_id[NET_ROLES];
	uint16_t pair_id[NET_ROLES]; /* every packet a host sends, numbered (struct pkt) */
	struct tcp_acts acts;          /* scratch, reused */
	uint64_t *fault_seen;          /* matches of each fault so far */
	struct fault_kill *kills;      /* the [faults] kill entries' events */
	uint32_t n_kills;
	GPtrArray *dead;               /* connections to free after the actions */
	struct net_role_stats role[NET_ROLES];
	struct net_stats stats;
	struct flow_list flows;        /* live data-integrity flows */
	bool call_text;                /* an observer prints the calls: format them */
};

/* net.c, for app.c */
void net_apply(struct net *n, enum net_role r, struct conn *touched);
/* A call returned (or a signal, an exit): recorded, and shown as `text`
 * (NULL when no observer prints calls), or as `brief` where an output has
 * little room (NULL: text will do); `waited`: it did not return at its
 * first step (it blocked, if only until later in the same instant). */
void net_log_call(struct net *n, int role, const char *name, long ret, int err, sim_time blocked,
                  bool waited, const char *text, const char *brief);
/* close() of a listening socket: its waiting children are reset. */
void net_close_listener(struct net *n, enum net_role r, struct listener *l);
void net_record_error(struct net *n, enum net_role r, int err);
void net_release_conn(struct net *n, struct conn *c); /* the user let go of it */
/* A TIME_WAIT connection out of its host's table (a new SYN or connect()
 * took its 4-tuple): recorded as CLOSED, then freed. */
void net_end_time_wait(struct net *n, enum net_role r, struct conn *c);
void net_crash_host(struct net *n, enum net_role r);

/* net.c, for neigh.c */
void net_arp_solicit(struct net *n, enum net_role r, uint32_t target);
void net_neigh_failed(struct net *n, enum net_role r, GQueue *pkts); /* empties pkts */
void net_neigh_discard(struct net *n, struct pkt *p); /* dropped without a report */

/* route.c: where a packet from `from` to daddr goes. */
enum route {
	ROUTE_PEER,    /* the other host (or the sender's own address): over the link */
	ROUTE_ON_LINK, /* another address of the sender's subnet: resolved with ARP */
	ROUTE_GATEWAY, /* beyond the subnet, or the router itself: to the router */
};
enum route route_of(const struct net *n, enum net_role from, uint32_t daddr);
bool route_on_subnet(const struct net_endpoint_spec *host, uint32_t addr);

/* neigh.c */
void neigh_init(struct neigh_table *t, struct net *n, enum net_role r);
void neigh_clear(struct neigh_table *t);
/* Linux's neigh_resolve_output() for a packet to addr, an address of the
 * sender's subnet that no host owns: it waits for a reply that never comes. */
void neigh_output(struct neigh_table *t, uint32_t addr, struct pkt *p);
void neigh_flush(struct neigh_table *t); /* the host crashed */

#endif
