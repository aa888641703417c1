/*
 * packetdrill scripts: the tree a .pkt file parses into (pkt_parse.c),
 * which the runner (pkt_run.c) plays against one tcpsim endpoint.
 *
 * A script is a list of events, each at a time: a socket call the
 * application makes, a packet the remote peer injects ('<'), a packet the
 * system under test must send ('>'), a shell command in backticks, or a
 * %{ python }% block.  The grammar is packetdrill's (its Syntax.md,
 * lexer.l and parser.y), for example:
 *
 *     --tolerance_usecs=10000
 *     0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
 *     +0  setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
 *     +0  bind(3, ..., ...) = 0
 *     +0  listen(3, 1) = 0
 *     +0  < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>
 *     +0  > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 8>
 *     +.1 < . 1:1(0) ack 1 win 257
 *     +0  accept(3, ..., ...) = 4
 *     +0...0.2 read(4, ..., 1000) = 10
 *     *   > F. 1:1(0) ack 11
 *     0.3~0.4 < R 11:11(0) win 0
 *     +0  getsockopt(4, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0
 *     `sysctl -q net.ipv4.tcp_syn_retries=2`
 *
 * Everything is kept as written, with its line, so that a failure can
 * name the line and an unsupported feature can be reported by name
 * ("unsupported: udp packet"), never skipped in silence.  The parser does
 * not know what a call or a constant means: the runner does.
 */
#ifndef SIM_PKT_PKT_H
#define SIM_PKT_PKT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include "sim/engine/time.h"

/* ---- times ---- */

enum pkt_time_kind {
	PKT_TIME_ABSOLUTE, /* "0.100": from the start of the script */
	PKT_TIME_RELATIVE, /* "+0.1": after the previous event's time */
	PKT_TIME_ANY,      /* "*": whenever it happens */
	PKT_TIME_RANGE,    /* "0.1~0.2" or "+0.1~+0.2": anywhere in between */
};

struct pkt_time {
	enum pkt_time_kind kind;
	sim_time t;        /* ABSOLUTE, RELATIVE: the time or offset; RANGE: its start */
	sim_time t_end;    /* RANGE: its end */
	bool end_relative; /* RANGE: the end was written "+..." */
};

/* ---- packets ---- */

enum pkt_opt_kind {
	PKT_OPT_NOP,
	PKT_OPT_EOL,
	PKT_OPT_MSS,       /* value */
	PKT_OPT_WSCALE,    /* value */
	PKT_OPT_SACK_OK,
	PKT_OPT_SACK,      /* blocks */
	PKT_OPT_TS,        /* val, ecr */
	PKT_OPT_FAST_OPEN, /* cookie (text, may be empty) */
	PKT_OPT_OTHER,     /* anything else, by its word: "unsupported: ..." */
};

#define PKT_MAX_SACK_BLOCKS 4

struct pkt_option {
	enum pkt_opt_kind kind;
	uint32_t value;                          /* MSS, WSCALE */
	uint32_t val, ecr;                       /* TS */
	uint32_t n_blocks;                       /* SACK */
	uint32_t block[PKT_MAX_SACK_BLOCKS][2];  /* SACK: start:end, relative */
	char *word;                              /* FAST_OPEN cookie; OTHER: the name */
};

/* One fuzz annotation of a packet line, "{ mut tcp mss; rep tcp win_size
 * 0x1021 }" (packetdrill's fuzzing extension, parser.y opt_fuzz_info and
 * fuzz_options.h): an operation (mut, trun, ins, rep), a header (ip, ipv4,
 * ipv6, tcp, udp), a field (a name, "34-36" or a byte offset) and, for
 * rep and ins, a value. */
struct pkt_fuzz {
	char *op;
	char *header;
	char *field;               /* as written: "mss", "12-15", "34" */
	bool has_value;
	uint64_t value;
};

#define PKT_MAX_FUZZ 16

enum pkt_proto {
	PKT_TCP,
	PKT_UDP,           /* "udp (LEN)": unsupported by the runner */
	PKT_ICMP,          /* "icmp unreachable port_unreachable [...]" */
};

/* TCP flags as written: any of "SFRPUEWC" (packetdrill's letters: SYN, FIN,
 * RST, PSH, URG, ECE, CWR; '.' is ACK), or "-" for none. */
enum {
	PKT_F_SYN = 1u << 0,
	PKT_F_FIN = 1u << 1,
	PKT_F_RST = 1u << 2,
	PKT_F_PSH = 1u << 3,
	PKT_F_ACK = 1u << 4,
	PKT_F_URG = 1u << 5,
	PKT_F_ECE = 1u << 6,
	PKT_F_CWR = 1u << 7,
};

struct pkt_packet {
	bool outbound;             /* '>': sent by the system under test */
	enum pkt_proto proto;
	/* TCP */
	uint32_t flags;            /* PKT_F_* */
	uint32_t seq_start, seq_end, len; /* "1:1001(1000)", relative to the sender's ISN */
	bool seq_absolute;         /* "0:0(0)!": not relative to the ISN (FreeBSD's packetdrill) */
	bool seq_any;              /* "...(0)": any sequence number (FreeBSD's packetdrill) */
	bool udp_encaps;           /* "/udp(1 > 9811)" after it: TCP over UDP (RFC 6951) */
	bool has_ack;
	uint32_t ack;              /* relative to the receiver's ISN */
	bool has_win;
	uint32_t win;
	bool options_any;          /* "<...>": any options */
	bool has_options;          /* an option list was written (even "<>") */
	struct pkt_option *opts;
	uint32_t n_opts;
	char *ip_ecn;              /* "[ect0]"-style IP info, or NULL */
	struct pkt_fuzz *fuzz;     /* "{ ... }" after a TCP packet */
	uint32_t n_fuzz;
	/* ICMP */
	char *icmp_type;           /* "unreachable" */
	char *icmp_code;           /* "port_unreachable", or NULL */
	bool icmp_has_seq;         /* "[1:1(0)]": the TCP segment it quotes */
	uint32_t icmp_seq_start, icmp_seq_end, icmp_len;
	bool icmp_has_mtu;
	uint32_t icmp_mtu;
	/* UDP */
	uint32_t udp_len;
};

/* ---- socket calls ---- */

enum pkt_expr_kind {
	PKT_EX_ELLIPSIS,   /* "...": whatever the call needs */
	PKT_EX_INT,        /* 3, -1, 0x10 */
	PKT_EX_WORD,       /* SOCK_STREAM, O_NONBLOCK, ECONNREFUSED */
	PKT_EX_STRING,     /* "abc" (string_ellipsis: "abc"...) */
	PKT_EX_BINARY,     /* a | b (only '|') */
	PKT_EX_ARRAY,      /* [1], [ECONNREFUSED], [{fd=3, events=POLLIN}], [] */
	PKT_EX_SOCKADDR,   /* {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("192.0.2.1")} */
	PKT_EX_POLLFD,     /* {fd=3, events=POLLIN, revents=POLLOUT} */
	PKT_EX_LINGER,     /* {onoff=1, linger=0} */
	PKT_EX_STRUCT,     /* any other {name=value, ...} or {a, b}: fields in kids */
};

struct pkt_expr {
	enum pkt_expr_kind kind;
	int64_t i;                 /* INT */
	char *s;                   /* WORD, STRING; SOCKADDR: sa_family; STRUCT field name */
	bool string_ellipsis;      /* STRING followed by "..." */
	struct pkt_expr **kids;    /* BINARY: 2; ARRAY: elements; STRUCT/POLLFD/LINGER: fields */
	uint32_t n_kids;
	char **names;              /* STRUCT, POLLFD, LINGER: each kid's field name ("" if none) */
	/* SOCKADDR */
	uint16_t port;
	char *addr;                /* "192.0.2.1" */
};

struct pkt_syscall {
	char *name;                /* "connect" */
	struct pkt_expr **args;
	uint32_t n_args;
	struct pkt_expr *ret;      /* expected return value: INT, or WORD, or ELLIPSIS */
	char *err;                 /* expected errno name ("ECONNREFUSED"), or NULL */
	char *note;                /* "(Connection refused)", or NULL */
	bool has_end;              /* "...0.200": a blocking call */
	struct pkt_time end;       /* when it must return (ABSOLUTE or RELATIVE) */
};

/* ---- events ---- */

enum pkt_event_kind {
	PKT_EV_PACKET,
	PKT_EV_SYSCALL,
	PKT_EV_COMMAND,            /* `shell command` */
	PKT_EV_CODE,               /* %{ python }% */
};

struct pkt_event {
	uint32_t line;             /* 1-based line of the script */
	struct pkt_time time;
	enum pkt_event_kind kind;
	struct pkt_packet packet;  /* PACKET */
	struct pkt_syscall call;   /* SYSCALL */
	char *text;                /* COMMAND, CODE: as written, without the quotes */
};

/* A header option: "--tolerance_usecs=10000", "--ip_version=ipv4". */
struct pkt_setting {
	uint32_t line;
	char *name;                /* "tolerance_usecs" */
	char *value;               /* "10000" (NULL for a bare flag) */
};

struct pkt_script {
	char *path;                /* as given, for messages */
	struct pkt_setting *settings;
	uint32_t n_settings;
	char *init_command;        /* a backticked command before the first event, or NULL */
	uint32_t init_line;        /* its first line */
	/* A backticked command after the last event, with no time, or NULL:
	 * packetdrill's cleanup command (parser.y opt_cleanup_command), which
	 * Linux scripts use to restore sysctls ("`/tmp/sysctl_restore_${PPID}.sh`").
	 * Added with the parser: without it such scripts could not be kept
	 * as written. */
	char *cleanup_command;
	struct pkt_event *events;
	uint32_t n_events;
};

/* Parses the text of a .pkt file (len bytes, any bytes: it need not end
 * in a NUL or a newline).  #ifdef NAME / #ifndef NAME / #else / #endif
 * lines keep the lines of the branches selected by `defined` (names
 * such as "linux", "freebsd": NULL-terminated), and drop the others.
 * Comments: // to the end of the line, and C's / * ... * /.
 * On a syntax error returns false with an error in packetdrill's form,
 * "PATH:LINE: syntax error: <what was expected>" (one line, control
 * characters escaped), and leaves *out cleared. */
bool pkt_parse(const char *path, const char *text, size_t len, const char *const *defined,
               struct pkt_script *out, GError **error);

void pkt_script_clear(struct pkt_script *s);

#define PKT_ERROR (pkt_error_quark())
GQuark pkt_error_quark(void);
enum { PKT_ERROR_SYNTAX, PKT_ERROR_FILE };

#endif
