/*
 * An output of a run, fed from the world's events: a sink.
 *
 * Every output (the capture, the text trace, the event log, the diagram,
 * the call lines of the human summary) is a sink: a writer in sim/out/
 * that offers a *_sink_open() function of the type below, and one row in
 * sim/run.c's table.  The run hands every observer event to every sink
 * that takes it, in the table's order, then commits them in that order
 * (or abandons them all after the first failure).  Adding an output is
 * one file and one row; nothing else in the run changes.
 */
#ifndef SIM_OUT_SINK_H
#define SIM_OUT_SINK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <glib.h>
#include "sim/config/config.h"
#include "sim/world/net.h"

/* How the run ends, for the outputs that draw it. */
struct sink_end {
	sim_time end_time;
	bool truncated;
	const struct net *net; /* the world at the end (net_role_stats()) */
};

/* What an output does with each kind of event; NULL: nothing. */
struct sink_ops {
	void (*packet)(void *self, const struct net_packet_event *e);
	void (*state)(void *self, const struct net_state_event *e);
	void (*call)(void *self, const struct net_call_event *e);
	/* whether the sink still needs the calls' text (NULL: always); its
	 * call() may then see a NULL text.  Once no, no for the rest of the
	 * run: the run asks no more after every sink has said no. */
	bool (*call_text_wanted)(void *self);
	/* no connection holds the flow and none of its packets is in flight */
	void (*flow_gone)(void *self, uint64_t flow_id, const struct net_tuple *t);
	/* a connection took an ACK: its cwnd, ssthresh, RTT estimate */
	void (*ack)(void *self, const struct net_ack_event *e);
	/* completes the output (its file renamed into place); false with
	 * *error, and the output gone, when it cannot */
	bool (*commit)(void *self, const struct sink_end *end, GError **error);
	/* removes what is unfinished and frees the sink (after a failure) */
	void (*abandon)(void *self);
};

/* One open output: NULL ops when it was not asked for. */
struct sink {
	const struct sink_ops *ops;
	void *self;
};

/* What the outputs report back for the summaries. */
struct sink_report {
	char *pcap_path, *pcapng_path, *events_path, *diagram_path; /* written, or NULL */
	char *seqgraph_path;    /* the time-sequence graph written, or NULL */
	char *report_path;      /* the HTML report written, or NULL */
	uint64_t captured;      /* packets in the classic capture */
	uint64_t captured_rtx;  /* of which retransmissions a capture can recognise */
	uint64_t captured_late; /* originals that arrived behind later segments */
	GPtrArray *call_lines;  /* "[  0.020000] client: connect(...) = 0", when kept */
	uint64_t calls_not_shown; /* calls beyond the SUMMARY_MAX_CALLS kept lines */
};

/* What an output may be asked for: the run's options and where to report. */
struct sink_args {
	const struct config *cfg;
	uint64_t run;               /* the run's index: what the world draws from the seed */
	enum net_role capture;      /* the capture point's interface */
	const char *out_dir;        /* the (locked) output folder */
	bool pcapng;                /* the capture as a two-interface pcapng */
	FILE *trace;                /* tcpdump-style lines, or NULL */
	bool relative_seq;          /* ... with relative sequence numbers */
	const char *events_path;    /* JSON Lines event log, or NULL */
	const char *diagram_path;   /* sequence diagram, or NULL */
	const char *seqgraph_path;  /* time-sequence graph, or NULL */
	int seqgraph_sender;        /* ... of this role's data, or -1: the one that sent most */
	const char *report_path;    /* the HTML report, or NULL */
	const char *const *sets;    /* the --set overrides (NULL-terminated, or NULL) */
	const char *rerun;          /* what makes the run again, if not `tcpsim CONFIG --seed N` */
	const char *app_name;       /* "tcpsim 0.1.0", written into a pcapng */
	const char *pkt_path;       /* --pkt: the packetdrill script, or NULL */
	enum net_role pkt_role;     /* ... of this endpoint */
	struct sink_report *report; /* where the outputs say what they wrote */
};

/* Opens the output if the args ask for it (else out->ops = NULL); false
 * with *error when it cannot. */
typedef bool (*sink_open_fn)(const struct sink_args *a, struct sink *out, GError **error);

/* "10.0.0.1" or "10.0.0.2:8080": an endpoint as the outputs name it. */
char *sink_endpoint_text(const struct endpoint_config *ep);

#endif
