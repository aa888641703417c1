/*
 * Running a packetdrill script against the model (tcpsim pkt).
 *
 * One tcpsim host is the system under test, at packetdrill's local
 * address 192.168.0.1, with its profile and its socket API: the script's
 * system calls are its program, run one by one at their times.  The
 * remote peer, 192.0.2.1, is the script itself: its '<' packets are
 * injected at their times, and every '>' line is checked against the
 * next packet the system under test sends, field by field and in time,
 * as packetdrill checks a kernel (its run_packet.c and run.c):
 *
 *  - times: an absolute time is from the start; a relative one (+0.1)
 *    from when the previous event happened (for two inbound packets in a
 *    row, from the first one's script time); '*' any time; a~b a range;
 *    an event must happen within the tolerance of its time (4 ms unless
 *    --tolerance_usecs says otherwise);
 *  - sequence numbers are relative to each side's initial sequence
 *    number, learned from its SYN; window and options as written, '<...>'
 *    for any options;
 *  - a blocking call (`0.1...0.2 accept(...)`) returns within the
 *    tolerance of its end time, while the script goes on; the next call
 *    waits for it;
 *  - a %{ python }% block takes a snapshot of the socket under test's
 *    tcp_info at its time, and runs once the script is over, as
 *    packetdrill's code.c does (pkt_python.h).
 *
 * What the model cannot run (UDP, Python the evaluator does not read,
 * tcp_info fields the model does not keep, unknown calls, options the
 * model does not carry...) makes the script UNSUPPORTED, naming the
 * first such line: never a silent skip.
 */
#ifndef SIM_PKT_PKT_RUN_H
#define SIM_PKT_PKT_RUN_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include "sim/engine/time.h"
#include "sim/pkt/pkt.h"

enum pkt_verdict { PKT_PASS, PKT_FAIL, PKT_UNSUPPORTED };

#define PKT_DEFAULT_TOLERANCE (4 * SIM_MS) /* packetdrill's --tolerance_usecs=4000 */

struct pkt_options {
	const char *profile;      /* the system under test's: "linux" (default), "bsd"... */
	const char *const *sets;  /* its settings besides the profile's: "time_wait=0" ([client.tcp]) */
	sim_time tolerance;       /* 0: the script's --tolerance_usecs, else the default */
	const char *const *header_opts; /* header options of the command line, "mss=1000":
	                             they win over the script's (packetdrill's config.c) */
	const char *out_dir;      /* the run's outputs (a pcap); NULL: a private temporary folder */
	bool pcap;                /* write OUT/trace.pcap */
	FILE *trace;              /* tcpdump-style trace of the run, or NULL */
	const char *diagram_path; /* sequence diagram, or NULL */
	const char *report_path;  /* the HTML report, or NULL */
};

struct pkt_outcome {
	enum pkt_verdict verdict;
	uint32_t line;            /* FAIL, UNSUPPORTED: the script line */
	char *message;            /* FAIL: packetdrill's words, several lines
	                             ("PATH:LINE: error handling packet: ...");
	                             UNSUPPORTED: "PATH:LINE: unsupported: WHAT" */
};

/* Runs the script.  false with *error only when the run itself could not
 * be made (an output that cannot be written: exit status 1); a script
 * that fails is a true return with a FAIL outcome. */
bool pkt_run(const struct pkt_script *s, const struct pkt_options *o, struct pkt_outcome *out,
             GError **error);
void pkt_outcome_clear(struct pkt_outcome *o);

#endif
