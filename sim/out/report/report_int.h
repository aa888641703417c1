/*
 * What the report records of a run (report.c) and how it is written as
 * HTML (report_html.c, report_svg.c).
 */
#ifndef SIM_OUT_REPORT_REPORT_INT_H
#define SIM_OUT_REPORT_REPORT_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "sim/out/sink.h"

/* One packet: a departure and its arrival(s), or an arrival that left no
 * host (an ICMP error from a router: from == NET_ROLES). */
struct rpt_seg {
	uint32_t n;             /* 1, 2, ...: its number in the report */
	enum net_role from, to; /* from: NET_ROLES for the router */
	uint64_t order;         /* the event's rank: departure, or the arrival */
	sim_time sent, arrived, dup_arrived;
	bool has_arrival, has_dup;
	uint64_t arr_order;
	bool rtx;               /* a retransmission */
	bool lost;              /* dropped by the network (or never on the wire) */
	bool discarded;         /* its receiver dropped it (a flipped bit) */
	char *label;            /* "S 0:0(0)", short, for the arrow */
	char *line;             /* tcpdump's line, relative numbers */
	char *flags;            /* "S." */
	uint32_t seq, ack, len, win; /* relative seq and ack */
	char *options;          /* "mss 1460, sackOK, TS val 1 ecr 0, wscale 7", or "none" */
	char *why;              /* "new data", "retransmission #2 after a timeout (RTO 800 ms)" */
	char *network;          /* "delivered after 25 ms", "dropped by the network (loss)" */
	uint64_t frame, frame_arr; /* frame numbers in the capture (0: not in it) */
};

struct rpt_state {
	sim_time t;
	enum net_role role;
	uint64_t conn_id, order;
	enum tcp_state from, to;
	int err;
};

struct rpt_call {
	sim_time t, blocked;
	enum net_role role;
	uint64_t order;
	char *name, *text;
	long ret;
	int err;
};

struct rpt_run {
	const char *config_path;
	const char *config_text;        /* as loaded, or NULL */
	gsize config_len;
	uint64_t seed, run;
	char *endpoint[NET_ROLES];
	char *command;                  /* "tcpsim configs/x.ini --seed 1" */
	bool capture_on, pcapng;
	enum net_role capture_at;
	const char *capture_name;       /* "trace.pcap" */
	sim_time end_time;
	bool truncated;
	GPtrArray *segs;                /* struct rpt_seg * */
	GArray *states;                 /* struct rpt_state */
	GArray *calls;                  /* struct rpt_call */
};

/* The whole page into out. */
void report_html(GString *out, const struct rpt_run *r);

/* The diagram as an <svg> element. */
void report_svg(GString *out, const struct rpt_run *r);

/* Appends text with & < > " ' escaped (and invalid UTF-8 replaced). */
void rpt_escape(GString *out, const char *text);

/* "0.125000" */
void rpt_time(GString *out, sim_time t);

/* The section of RFC 9293 that defines a transition, and its cause. */
const char *rpt_rfc_section(const struct rpt_state *s);

/* The page's style and script (build/gen/report_assets.c). */
extern const char report_css[];
extern const char report_js[];

#endif
