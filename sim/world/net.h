/*
 * The simulated world of one run: two hosts (client and server), the two
 * directions of the link between them, and the two applications.  It turns
 * the models' actions into engine events: a segment sent becomes a link
 * verdict and zero, one or two arrival events; an endpoint's next deadline
 * becomes its timer event; an app's sleep becomes a wake-up event.
 *
 * It reports what happens through a struct net_observer (packets at each
 * interface, state changes, the apps' calls), so that sim/ can write pcap,
 * traces and summaries without knowing anything of TCP's internals, and it
 * keeps the statistics of the JSON summary.
 */
#ifndef SIM_WORLD_NET_H
#define SIM_WORLD_NET_H

#include <stdbool.h>
#include <stdint.h>
#include "sim/engine/queue.h"
#include "models/fault.h"
#include "models/link.h"
#include "sim/config/script.h"
#include "models/segment.h"
#include "models/tcp.h"

enum net_role { NET_CLIENT, NET_SERVER, NET_ROLES };
const char *net_role_name(enum net_role r); /* "client", "server" */

/* "ETIMEDOUT" for ETIMEDOUT, ... ("ok" for 0). */
const char *net_errno_name(int err);

struct net_endpoint_spec {
	uint32_t addr;
	uint8_t prefix;                /* its subnet (sim/world/route.c): prefix length 0-32 */
	uint16_t port;                 /* client: 0 = ephemeral */
	const struct script *script;
	uint64_t repeat;               /* 0 = forever */
	uint16_t ports[2];             /* ephemeral port range, inclusive */
	const struct tcp_params *tcp;
	/* A packetdrill run (sim/pkt/): the remote peer is `scripted`, played
	 * by the script, so no stack of its own answers and no program runs
	 * there: what arrives is only observed.  The system under test's
	 * program is `driven`: it runs one top-level statement each time the
	 * script calls it (app_step()). */
	bool scripted;
	bool driven;
};

struct net_spec {
	uint64_t seed;                 /* master seed */
	uint64_t run;                  /* run index (sweeps) */
	struct net_endpoint_spec ep[NET_ROLES];
	struct link_params link[NET_ROLES]; /* link[r]: the direction leaving role r */
	const char *replay;            /* how to run this again ("x.ini --seed 3"), for reports */
	const struct fault *faults;    /* targeted faults, first match wins */
	uint32_t n_faults;
	sim_time omit;                 /* [simulation] omit: transfers are measured from it */
};

/* A connection's addresses and ports, from the side that opened it. */
struct net_tuple {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
};

/* A packet seen at a host's interface. */
struct net_packet_event {
	sim_time t;
	enum net_role at;              /* whose interface */
	bool outgoing;                 /* sent by that host; else arrived at it */
	const struct packet_view *pv;
	uint64_t conn_id;              /* incarnation of the sender's connection (0: none) */
	uint64_t flow_id;              /* the flow (both ends of one incarnation) it belongs to, 0: none */
	enum tcp_send_why why;         /* why the sender sent it */
	bool retransmission;           /* the sender had sent this sequence space before */
	enum link_drop fate;           /* outgoing: what the network will do with it */
	bool corrupted;                /* outgoing: delivered with a bit flipped (netem corrupt):
	                                  its receiver will drop it; arriving: pv->corrupt_bit */
	sim_time rto;                  /* outgoing: the sender's RTO at that moment */
	const char *fault;             /* outgoing: the [faults] entry applied to it, or NULL */
	bool duplicate;                /* arriving: the network's second copy */
	bool reordered;                /* arriving: overtook an earlier packet */
	uint16_t pair_id;              /* the sender's packet count when it sent it, wrapping
	                                  (simulator-only): a departure and its arrivals share
	                                  it, where the IPv4 identification may repeat */
};

/* Did the packet of e reach the wire at its interface?  All do but one
 * held for an ARP reply that never came (LINK_DROP_UNRESOLVED): the
 * captures leave it out; the trace and the event log say what became of it. */
static inline bool net_packet_on_wire(const struct net_packet_event *e)
{
	return !(e->outgoing && e->fate == LINK_DROP_UNRESOLVED);
}

struct net_state_event {
	sim_time t;
	enum net_role role;
	uint64_t conn_id;
	enum tcp_state from, to;
	int err;                       /* to CLOSED with an error */
};

struct net_call_event {
	sim_time t;                    /* when the call returned */
	enum net_role role;
	enum script_op op;
	const char *name;              /* "connect", "recv", ... */
	long ret;
	int err;                       /* errno when ret < 0 */
	sim_time blocked;              /* how long the call waited */
	const char *text;              /* the line the seeds' programs would print */
	const char *brief;             /* the same in at most NET_CALL_BRIEF_CHARS
	                                  characters (strace_brief()), or NULL when
	                                  text is as short or is not a call's */
	bool waited;                   /* it blocked, if only until later in the same instant */
};

/* A connection's sending state just after it processed an arriving
 * segment that carries an ACK (before what the ACK lets it send is sent):
 * what Linux's tcp_probe tracepoint and `ss -i` show after tcp_ack(). */
struct net_ack_event {
	sim_time t;
	enum net_role role;            /* the host whose connection took the ACK */
	uint64_t conn_id;              /* its incarnation */
	uint64_t flow_id;              /* the flow it belongs to, 0: none */
	uint32_t ack;                  /* the segment's acknowledgment number */
	uint32_t snd_una;              /* after it */
	uint32_t cwnd, ssthresh;       /* bytes; ssthresh UINT32_MAX: not yet set (no loss) */
	uint32_t mss;                  /* the sender's segment size (snd_mss) */
	uint32_t in_flight;            /* bytes sent and not yet acknowledged: SND.NXT - SND.UNA
	                                  (RFC 5681's FlightSize) */
	uint32_t pipe;                 /* of those, what loss recovery counts in flight (RFC
	                                  6675's pipe: SACKed and lost data left out) */
	uint32_t sacked;               /* bytes the SACK scoreboard holds above SND.UNA */
	bool recovery;                 /* in fast recovery (the window is PRR's) */
	sim_time srtt, rto;            /* srtt 0: no sample yet */
};

struct net_observer {
	void *ctx;
	void (*packet)(void *ctx, const struct net_packet_event *e);
	void (*state)(void *ctx, const struct net_state_event *e);
	void (*call)(void *ctx, const struct net_call_event *e);
	/* A flow is over: no connection holds it and none of its packets is
	 * in flight, so nothing of it can ever be seen again. */
	void (*flow_gone)(void *ctx, uint64_t flow_id, const struct net_tuple *t);
	/* A connection took an ACK (NULL: not wanted; the view is made only
	 * for an observer that asks). */
	void (*ack)(void *ctx, const struct net_ack_event *e);
	/* Does an observer still need the text of the calls (NULL: always)?
	 * A call's strace line is made only when it does or when the call is
	 * among the records the summary keeps: a bulk transfer's thousands
	 * of reads cost no formatting that nobody shows. */
	bool (*call_text_wanted)(void *ctx);
};

#define NET_MAX_RECORDS 1000 /* state and call records kept per role */
#define NET_CALL_BRIEF_CHARS 52 /* a call's brief line: the sequence diagram's room */

struct net;
/* Whether role's next call needs its strace line (see call_text_wanted). */
bool net_call_text_wanted(const struct net *n, int role);

struct net_state_record {
	sim_time t;
	uint64_t conn_id;
	enum tcp_state state;
};

struct net_call_record {
	sim_time t;
	const char *name;
	long ret;
	int err;
	sim_time blocked;              /* how long the call waited */
	char *text;                    /* its strace line, NULL when no output prints calls */
};

struct net_role_stats {
	enum tcp_state final_state;    /* the newest connection's state at the end */
	uint64_t final_conn;           /* its incarnation number */
	int result;                    /* first error any connection met, 0 = ok */
	uint64_t connections;          /* connections opened (connect / accepted) */
	uint64_t rtx_syn, rtx_data, rtx_fin; /* retransmissions sent */
	uint64_t bytes_sent, bytes_received; /* by the application */
	sim_time first_write_at;       /* when its first bytes went into a send buffer
	                                  (meaningful once bytes_sent > 0) */
	sim_time last_read_at;         /* when it last read bytes (once bytes_received > 0) */
	uint64_t bytes_measured;       /* bytes it read from [simulation] omit on */
	uint64_t rtx_bytes;            /* payload bytes retransmitted */
	uint64_t recoveries;           /* fast recoveries begun (SACK or three duplicate ACKs) */
	uint64_t dsacks;               /* D-SACKs received: data its peer got twice, a
	                                  retransmission that was not needed (RFC 3708) */
	uint64_t rtos, probes, fast_rtx; /* sends after a timeout, tail loss probes, fast
	                                  retransmissions (enum tcp_send_why) */
	uint64_t segments_sent;
	uint64_t tsq_waits;            /* times TCP small queues held its data back until the
	                                  interface sent what it held */
	/* (recoveries, dsacks and tsq_waits are taken from each connection
	 * when it is freed and at the end: final only after net_finish) */
	uint64_t time_wait;            /* connections in TIME_WAIT now (at the end: left there) */
	uint64_t time_wait_peak;       /* the most at one time */
	/* at the end (net_finish): */
	bool program_done;             /* the program ran to its end (exited, killed, or
	                                  past its last statement) or waits in accept() for
	                                  a next connection: no call left waiting on one */
	uint64_t open_at_end;          /* connections neither CLOSED, TIME_WAIT nor LISTEN */
	/* The records grow as needed up to NET_MAX_RECORDS: most runs keep a
	 * dozen, and a sweep sets up a world per run. */
	struct net_state_record *states;
	uint32_t n_states, states_cap;
	uint64_t states_dropped;       /* records beyond NET_MAX_RECORDS */
	struct net_call_record *calls;
	uint32_t n_calls, calls_cap;
	uint64_t calls_dropped;
};

struct net_stats {
	uint64_t sent, delivered, dropped, duplicated, reordered;
	uint64_t unresolved;           /* of the dropped: never sent, no ARP reply (neigh.c) */
	uint64_t black_holed;          /* of the dropped: lost beyond the router, nobody there */
	uint64_t corrupted;            /* arrived with a bit flipped (netem's corrupt) and dropped
	                                  by the receiver on its TCP checksum: not in delivered */
	uint64_t arp_requests;         /* ARP requests broadcast (not in sent) */
	uint64_t corrupted_bytes;      /* bytes an app read that its peer did not send there */
	uint64_t short_streams;        /* streams read to EOF with bytes missing */
	bool data_intact;              /* no corrupted byte and no short stream */
	uint64_t stuck;                /* oracle: connections closed by their program, not
	                                  CLOSED, and with no timer left to end them */
};

struct net;

/* The kernel clock's reading at the run's start on the host of role r:
 * the config's `uptime`, or the one run `run` of `seed` draws. */
sim_time net_host_uptime(const struct tcp_params *p, uint64_t seed, uint64_t run, enum net_role r);

struct net *net_new(const struct net_spec *spec, struct sim_queue *q,
                    const struct net_observer *obs);
void net_start(struct net *n);  /* the apps start at time 0 */
void net_finish(struct net *n); /* fills the end-of-run statistics */
void net_free(struct net *n);

/* For a driver of the world (sim/world/world.h): the program of role r,
 * and a packet the scripted peer sends now, to arrive at `to` at once
 * (seen by the observer as it arrives).  pv->tcp.payload is copied. */
struct app *net_app(struct net *n, enum net_role r);
/* Host r's TCP defaults, live: what its new sockets copy, and what its
 * connections and listeners without options of their own read when they
 * use a value (a packetdrill script's sysctl changes them mid-run). */
struct tcp_params *net_host_params(struct net *n, enum net_role r);
void net_inject(struct net *n, enum net_role to, const struct packet_view *pv);

const struct net_role_stats *net_role_stats(const struct net *n, enum net_role r);
const struct net_stats *net_stats(const struct net *n);
/* A bulk transfer of role r's data, as iperf's receiver reports it: from
 * r's first bytes into its send buffer (or [simulation] omit, if later,
 * as iperf3 --omit) to its peer's last read (-1 when the peer read
 * nothing since), and the peer's bytes read over that time, in bit/s (0
 * when there is no time). */
sim_time net_omit(const struct net *n);
sim_time net_transfer_time(const struct net *n, enum net_role r);
uint64_t net_goodput(const struct net *n, enum net_role r);

#endif
