/*
 * What the time-sequence graph records (seqgraph_rec.c) and draws
 * (seqgraph_draw.c): per direction of the chosen connection, the data
 * segments one by one up to SEQGRAPH_EXACT_SEGMENTS, and every series
 * folded into time buckets (first, smallest, largest and last value per
 * bucket; SEQGRAPH_BUCKETS buckets whose width doubles, two merged into
 * one, whenever a time falls beyond the last), so that the memory is
 * bounded whatever the length of the run.
 */
#ifndef SIM_OUT_SEQGRAPH_SEQGRAPH_INT_H
#define SIM_OUT_SEQGRAPH_SEQGRAPH_INT_H

#include "sim/out/seqgraph/seqgraph.h"
#include "sim/out/diagram/diagram_draw.h"
#include "sim/out/outfile.h"

#define SEQGRAPH_EXACT_SACKS 16000 /* drawn one by one up to: 4 per SEQGRAPH_EXACT_SEGMENTS */

/* The series of one direction, each folded into the buckets. */
enum sg_series {
	SG_NEW,       /* new data: seq and seq + len of each segment (bytes, relative) */
	SG_RTX,       /* retransmissions, the same */
	SG_DROP,      /* dropped segments' seq + len */
	SG_ACK,       /* cumulative ACKs arriving at the sender (relative) */
	SG_WIN,       /* ack + the scaled window they advertise (relative) */
	SG_CWND,      /* segments, after each ACK taken */
	SG_SSTHRESH,  /* segments, once a loss has set it */
	SG_SRTT,      /* ms, once there is a sample */
	SG_RTO,       /* ms */
	SG_SACK,      /* the edges of the SACK blocks arriving at the sender (relative) */
	SG_SERIES
};

/* The values of one series within one bucket. */
struct sg_span {
	double first, min, max, last;
	bool has;                    /* any value at all */
};

struct sg_bucket {
	struct sg_span s[SG_SERIES];
};

/* One data segment as its sender sent it. */
struct sg_seg {
	sim_time t;
	double lo, hi;               /* relative sequence numbers: seq, seq + len */
	bool rtx;                    /* a retransmission */
	bool dropped;                /* by the network, or corrupted on the way */
};

/* One SACK block (RFC 2018) as an ACK brought it to the data's sender. */
struct sg_sack {
	sim_time t;
	double lo, hi;               /* relative: the block's left and right edges */
};

/* What the SYNs of a flow said: per sender role, its ISN and window scale;
 * and the state its connection was left in by the handshake's ACK, which
 * comes before the first data chooses the flow. */
struct sg_syn {
	bool seen[NET_ROLES];
	uint32_t iss[NET_ROLES];
	int wscale[NET_ROLES];       /* the shift its SYN offered, -1: no option */
	bool acked[NET_ROLES];
	struct net_ack_event ack[NET_ROLES]; /* the last ack event before the data */
};

/* One direction: the data role r sends, the ACKs it gets back. */
struct sg_dir {
	int64_t ref;                 /* highest relative sequence number seen, to unwrap */
	GArray *segs;                /* struct sg_seg, the first SEQGRAPH_EXACT_SEGMENTS */
	GArray *sacks;               /* struct sg_sack, the first SEQGRAPH_EXACT_SACKS */
	uint64_t n_sacks;
	uint64_t n_segs, n_rtx, n_drops;
	uint64_t bytes_new;          /* new data sent: which direction to draw */
	double data_max;             /* the highest seq + len sent */
	double ack_max, win_max;     /* the highest ACK and window edge */
	sim_time t_first, t_last;    /* the first and last time recorded */
	bool any;                    /* anything recorded */
	sim_time last_ack_t;         /* the last ACK that arrived, and its value */
	double last_ack;
	uint32_t mss;                /* the sender's MSS, from its last ack event */
	sim_time width;              /* of one bucket, ns */
	struct sg_bucket *b;         /* SEQGRAPH_BUCKETS */
};

struct seqgraph {
	char *title;                 /* the config file */
	uint64_t seed;
	int sender;                  /* enum net_role, or -1: the one that sends most */
	enum diagram_format format;
	struct outfile *of;
	GHashTable *syns;            /* flow id -> struct sg_syn, flows not yet chosen */
	uint64_t flow;               /* the flow drawn, 0 before its first data */
	struct sg_syn syn;           /* its SYNs */
	struct sg_dir dir[NET_ROLES];
};

void sg_dir_init(struct sg_dir *d);
void sg_dir_clear(struct sg_dir *d);

/* The direction to draw: the sender asked for, else the one with most data. */
enum net_role sg_pick(const struct seqgraph *g);

/* The picture of direction r. */
void sg_draw(const struct seqgraph *g, enum net_role r, struct dg_list *l);

#endif
