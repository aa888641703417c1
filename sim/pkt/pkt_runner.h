/*
 * The runner's parts (sim/pkt/): how a script's system call becomes a
 * statement of the model's program (pkt_call.c), and how a script packet
 * becomes a segment to inject or is compared with one the model sent
 * (pkt_segment.c), what the header options set (pkt_config.c).  pkt_run.c
 * puts them on the timeline.
 */
#ifndef SIM_PKT_PKT_RUNNER_H
#define SIM_PKT_PKT_RUNNER_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include "models/segment.h"
#include "sim/engine/time.h"
#include "sim/pkt/pkt.h"

/* packetdrill's defaults (its config.c): the system under test's address
 * (--local_ip), the remote peer's (--remote_ip), and the port a `...`
 * address stands for on both sides. */
#define PKT_LOCAL_ADDR  "192.168.0.1"
#define PKT_REMOTE_ADDR "192.0.2.1"
#define PKT_LOCAL_IP  0xc0a80001u /* the same, in host byte order */
#define PKT_REMOTE_IP 0xc0000201u
#define PKT_PORT 8080

/* ---- pkt_config.c ---- */

/* What a script's header options (and the command line's) set. */
struct pkt_config {
	sim_time tolerance;        /* --tolerance_usecs */
	double tolerance_percent;  /* --tolerance_percent */
	uint32_t ts_tick_us;       /* --tcp_ts_tick_usecs: 0, TS val not checked */
	uint32_t mss;              /* --mss: inbound GSO segment size, 0 none */
	uint32_t mtu;              /* --mtu: the local interface's MTU, 0 the profile's MSS */
	uint16_t bind_port, connect_port;
};

enum pkt_config_result { PKT_CONFIG_OK, PKT_CONFIG_UNSUPPORTED, PKT_CONFIG_BAD };

/* packetdrill's defaults. */
void pkt_config_init(struct pkt_config *c);
/* Applies --name=value (value NULL for a bare --name): UNSUPPORTED with
 * *why ("option --mtu") for what the model has not, BAD with *why ("bad
 * --mss: 0") for a value packetdrill refuses. */
enum pkt_config_result pkt_config_apply(struct pkt_config *c, const char *name, const char *value,
                                        char **why);
/* The tolerance of an event since_prev after the one before it
 * (packetdrill's verify_time()): the larger of --tolerance_usecs and
 * --tolerance_percent of since_prev. */
sim_time pkt_config_tolerance(const struct pkt_config *c, sim_time since_prev);

/* ---- pkt_call.c ---- */

/* One system call of the script as the model's program makes it: C-form
 * statements (sim/config/script.h), the last of them the call, and what
 * to check after it besides the return value and errno. */
struct pkt_call_plan {
	char **stmts;         /* NULL-terminated */
	bool check_fd;        /* socket, accept: a non-negative result names the script fd
	                         (packetdrill's CHECK_FD): any descriptor will do */
	char *fd_error;       /* what packetdrill says when it runs this call, before
	                         making it ("unable to find fd with script fd 5"), or NULL */
	char *out_var;        /* getsockopt, ioctl: the variable the call writes */
	int64_t out_value;    /* what the script expects in it */
	char *poll_var;       /* poll: the variable holding its list */
	int64_t *revents;     /* what the script expects in each entry's revents (-1: anything) */
	uint32_t n_revents;
};

/* The script's file descriptors, as packetdrill keeps them (its
 * run_system_call.c, struct fd_state): the number a script writes for
 * socket()'s or accept()'s result is the script fd, which later calls use;
 * it stands for whatever descriptor the call returned (the model's
 * program keeps it in a variable) until close() of it.  A closed script
 * fd names nothing, and may be given again by a later socket(). */
struct pkt_calls {
	GHashTable *open;     /* script fd (GINT_TO_POINTER) -> the variable holding it */
	/* The ports `...` stands for in bind() and connect() (packetdrill's
	 * --bind_port and --connect_port, 8080 both by default) */
	uint16_t bind_port, connect_port;
};
/* With packetdrill's default ports. */
void pkt_calls_init(struct pkt_calls *m);
void pkt_calls_clear(struct pkt_calls *m);

/* Translates the index-th call of the script (the index names its
 * variables), the calls in the script's order: fds maps the script's fd
 * numbers as the calls before it left them, and is updated.  false with
 * *why ("the call sendmsg") when the model's socket API has no such call
 * or argument. */
bool pkt_call_plan(const struct pkt_syscall *c, uint32_t index, struct pkt_calls *fds,
                   struct pkt_call_plan *p, char **why);
void pkt_call_plan_clear(struct pkt_call_plan *p);

/* An integer the script writes: a number, a constant (ECONNREFUSED,
 * POLLIN), or an '|' of them.  false if it is none of those. */
bool pkt_expr_int(const struct pkt_expr *e, int64_t *v);

/* ---- pkt_segment.c ---- */

/* What the runner knows of the connection's sequence spaces: the initial
 * sequence numbers, and the timestamp clock's offset (a script's TS val
 * of the system under test is its own clock, from 0). */
struct pkt_seqmap {
	bool local_known;     /* the system under test's ISN, from its SYN */
	uint32_t local_isn;
	uint32_t remote_isn;  /* the script's: its relative 0 */
	bool ts_known;
	uint32_t ts_offset;   /* actual TS val - script TS val */
	uint16_t local_port, remote_port;
	uint32_t ts_tick_us;  /* --tcp_ts_tick_usecs: check TS val in these ticks, 0 not */
	sim_time ts_tolerance; /* within --tolerance_usecs */
	uint32_t gso_mss;     /* --mss: inbound packets longer are GSO packets of this size */
};

/* The segment an inbound script packet stands for.  false with *why when
 * the model cannot carry it (a SACK block, a Fast Open cookie...). */
bool pkt_packet_inbound(const struct pkt_packet *p, const struct pkt_seqmap *m,
                        struct packet_view *pv, uint8_t *payload, char **why);

/* Checks an outbound script packet against a packet the model sent (the
 * first difference, in packetdrill's order and words: "live packet field
 * tcp_fin: expected: 1 (0x1) vs actual: 0 (0x0)").  Learns the ISN and
 * the timestamp offset from a SYN.  NULL when they match. */
char *pkt_packet_check(const struct pkt_packet *p, const struct packet_view *pv,
                       struct pkt_seqmap *m);

/* A TCP segment as packetdrill writes it, "S. 0:0(0) ack 1 win 65535
 * <mss 1460,...>": its sequence number less seq_base, its ack less
 * ack_base, its TS val less ts_base; its options as the wire carries them. */
char *pkt_segment_text(const struct packet_view *pv, uint32_t seq_base, uint32_t ack_base, uint32_t ts_base);

/* A packet as packetdrill prints it, relative to the ISNs. */
char *pkt_packet_format_actual(const struct packet_view *pv, const struct pkt_seqmap *m);
char *pkt_packet_format_script(const struct pkt_packet *p);

/* ---- pkt_sysctl.c ---- */

/* One sysctl assignment, "net.ipv4.tcp_syn_retries=2": a tcpsim setting
 * appended to settings, or a value the model already follows (a no-op,
 * the table in pkt_sysctl.c says why), both true; false with *why for a
 * name or value the model cannot follow.  profile: NULL is linux. */
bool pkt_sysctl_assign(const char *assignment, const char *profile, GPtrArray *settings, char **why);
struct tcp_params;
/* Applies "KEY=VALUE" tcpsim settings (what pkt_sysctl_assign() gave) to
 * live parameters: 0, or 1 when one is out of its key's range (sysctl(8)
 * fails so: EINVAL). */
int pkt_settings_apply(struct tcp_params *p, GPtrArray *settings);

/* The settings of `have` that differ from the profile's: Linux sysctl
 * assignments ("net.ipv4.tcp_syn_retries=2") where Linux has them, and
 * tcpsim settings ("time_wait=0ns") for the others. */
struct tcp_params;
void pkt_settings_diff(const struct tcp_params *have, const char *profile, GPtrArray *sets,
                       GPtrArray *sysctl_lines);

#endif
