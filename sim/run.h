/*
 * One run: builds the world from a config, drives the event queue until
 * nothing is left to happen or the configured duration is reached, and
 * writes the outputs: the capture (classic pcap at the capture point, or a
 * two-interface pcapng with comments), and on request the text trace, the
 * JSON Lines event log and the sequence diagram.  The result keeps the
 * world for the summaries.
 */
#ifndef SIM_RUN_H
#define SIM_RUN_H

#include <stdbool.h>
#include <stdio.h>
#include <glib.h>
#include "sim/config/config.h"
#include "sim/world/net.h"
#include "sim/world/world.h"

enum run_capture_format {
	RUN_CAPTURE_PCAP,      /* OUT/trace.pcap: the capture point's interface */
	RUN_CAPTURE_PCAPNG,    /* OUT/trace.pcapng: both interfaces, with comments */
};

struct run_options {
	const char *out_dir;   /* where the files go (created if needed) */
	uint64_t run;          /* run index: with the seed, names every random stream
	                          (a sweep's runs.csv row; 0 for a plain run) */
	FILE *trace;           /* tcpdump-style trace with states and calls, or NULL */
	bool relative_seq;     /* the trace shows relative sequence numbers */
	bool keep_calls;       /* keep the apps' output lines for the human summary */
	enum run_capture_format format; /* of the capture, when [simulation] pcap is on */
	const char *events_path;  /* JSON Lines event log, or NULL */
	const char *diagram_path; /* sequence diagram, .svg or .png, or NULL */
	const char *seqgraph_path; /* time-sequence graph, .svg or .png, or NULL */
	int seqgraph_sender;      /* ... of this role's data (enum net_role), or -1: the
	                             role that sent the most */
	const char *report_path;  /* the HTML report (sim/out/report/report.h), or NULL */
	const char *const *sets;  /* the --set overrides, NULL-terminated (or NULL): for the report's command line */
	const char *rerun;        /* the command that makes this run again, when it is not
	                             `tcpsim CONFIG --seed N` (a packetdrill script's), or NULL */
	const char *app_name;  /* "tcpsim 0.1.0", written into a pcapng */
	const char *pkt_path;  /* --pkt: the run as a packetdrill script of one endpoint, or NULL */
	enum net_role pkt_role;
	/* A packetdrill run (sim/pkt/): the driver, the role whose program it
	 * drives (the system under test; the other role is the scripted
	 * peer), and what it observes besides the outputs. */
	const struct world_driver *driver;
	enum net_role driven_role;
	const struct net_observer *driver_obs;
};

struct run_result {
	sim_time end_time;     /* simulated time of the last event */
	uint64_t events;       /* events fired */
	bool truncated;        /* stopped by the duration with events still pending */
	bool stalled;          /* stopped because simulated time stopped advancing */
	char *pcap_path;       /* written classic capture, NULL if none */
	char *pcapng_path;     /* written pcapng capture, NULL if none */
	char *events_path;     /* written event log, NULL if none */
	char *diagram_path;    /* written diagram, NULL if none */
	char *seqgraph_path;   /* written time-sequence graph, NULL if none */
	GPtrArray *call_lines; /* "[  0.020000] client: connect(...) = 0", if kept */
	uint64_t calls_not_shown; /* calls beyond the kept lines */
	struct net *net;       /* the world at the end, for the summaries */
	uint64_t captured;     /* packets seen at the capture point */
	uint64_t captured_rtx; /* of which retransmissions a capture can recognise */
	uint64_t captured_late; /* originals that arrived behind later segments */
	double loop_seconds;   /* wall-clock time of the event loop alone, for
	                          `make bench`; never written to an output */
};

/* false with *error: an output file could not be written (exit status 1),
 * the output folder could not be made (G_FILE_ERROR; exit status 2), or
 * the scenario stopped simulated time (CONFIG_ERROR_STALLED; exit status 2,
 * no output kept). */
bool run_simulation(const struct config *cfg, const struct run_options *opt,
                    struct run_result *res, GError **error);
void run_result_clear(struct run_result *res);

#endif
