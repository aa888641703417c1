/*
 * End-to-end test harness: run the built ./tcpsim on a config into a fresh
 * temporary folder, parse its --json summary, decode every packet of its
 * pcap through tshark, and assert on the summary's endpoints, state logs
 * and calls.  Shared by test_closing, test_failures and test_scenarios;
 * what only one of them needs stays in it.
 *
 *   e2e_run()          run only (out_run()): CONFIG EXTRA... -o TMP/out; stdout parsed
 *                      as JSON when EXTRA holds --json
 *   e2e_run_capture()  run with --json, decode the capture, and assert that
 *                      it is well formed and agrees with the summary
 *   e2e_pkts_read()    decode any pcap (no assertion on its contents)
 *   e2e_assert_*()     whole lists (states, calls, times) compared as text,
 *                      expected against actual, so a mismatch shows both
 *
 * Times are nanoseconds of simulated time everywhere: frame.time_epoch is
 * the simulated clock (the pcap's time origin is simulated time 0), and
 * the summary's times convert exactly (scn_json_ns()).
 */
#ifndef TESTS_E2E_H
#define TESTS_E2E_H

#include <glib.h>
#include "tests/scenario_util.h"

#define NS_PER_SEC G_GINT64_CONSTANT(1000000000)
#define NS_PER_MS G_GINT64_CONSTANT(1000000)
#define MS(x) ((gint64)(x) * NS_PER_MS)
#define SEC(x) ((gint64)(x) * NS_PER_SEC)

/* TCP header flag bits (tcp.flags). */
enum {
	TH_FIN = 0x01,
	TH_SYN = 0x02,
	TH_RST = 0x04,
	TH_PSH = 0x08,
	TH_ACK = 0x10,
	TH_URG = 0x20,
};

/* --- packets as Wireshark decodes them --- */

/* The tshark fields of every packet, as indexes of e2e_pkt.f. */
enum e2e_field {
	E2E_F_TIME,        /* frame.time_epoch */
	E2E_F_SRC,         /* ip.src ("outer,inner" for an ICMP error) */
	E2E_F_DST,         /* ip.dst (likewise) */
	E2E_F_PROTO,       /* ip.proto */
	E2E_F_SPORT,       /* tcp.srcport */
	E2E_F_DPORT,       /* tcp.dstport */
	E2E_F_FLAGS,       /* tcp.flags ("0x0012") */
	E2E_F_SEQ,         /* tcp.seq (relative) */
	E2E_F_ACK,         /* tcp.ack (relative) */
	E2E_F_SEQ_RAW,     /* tcp.seq_raw */
	E2E_F_ACK_RAW,     /* tcp.ack_raw */
	E2E_F_LEN,         /* tcp.len */
	E2E_F_HDR_LEN,     /* tcp.hdr_len */
	E2E_F_WINDOW,      /* tcp.window_size_value */
	E2E_F_OPTIONS,     /* tcp.options */
	E2E_F_TSVAL,       /* tcp.options.timestamp.tsval */
	E2E_F_TSECR,       /* tcp.options.timestamp.tsecr */
	E2E_F_PAYLOAD,     /* tcp.payload (hex) */
	E2E_F_RTX,         /* tcp.analysis.retransmission */
	E2E_F_FAST_RTX,    /* tcp.analysis.fast_retransmission */
	E2E_F_OUT_OF_ORDER,/* tcp.analysis.out_of_order */
	E2E_F_SPURIOUS,    /* tcp.analysis.spurious_retransmission */
	E2E_F_DUP_ACK,     /* tcp.analysis.duplicate_ack */
	E2E_F_KEEP_ALIVE,  /* tcp.analysis.keep_alive */
	E2E_F_ICMP_TYPE,   /* icmp.type */
	E2E_F_ICMP_CODE,   /* icmp.code */
	E2E_F_ICMP_CSUM,   /* icmp.checksum.status */
	E2E_F_IP_CSUM,     /* ip.checksum.status */
	E2E_F_TCP_CSUM,    /* tcp.checksum.status */
	E2E_F_MALFORMED,   /* _ws.malformed */
	E2E_F_EXPERT,      /* _ws.expert.message */
	E2E_F_ARP_OPCODE,  /* arp.opcode (1 request) */
	E2E_F_ARP_SRC,     /* arp.src.proto_ipv4: the asker */
	E2E_F_ARP_DST,     /* arp.dst.proto_ipv4: the address asked for */
	E2E_F_COUNT,
};

/* One captured packet.  Absent fields read as 0 (or "" in f). */
struct e2e_pkt {
	guint n;                /* frame number, 1-based: index n - 1 */
	gint64 t;               /* frame.time_epoch in nanoseconds: the simulated time */
	char *src;              /* the outer ip.src (an ARP request: its arp.src.proto_ipv4) */
	char dir;               /* 'C' from the client address, else 'S' ('?' without one) */
	gboolean tcp;           /* a TCP segment (not an ICMP error quoting one) */
	gboolean arp;           /* an ARP request (no IPv4) */
	guint flags;            /* tcp.flags bits */
	char fl[8];             /* them as "S", "SA", "PA", "FA", "RA": S F R P U, then A */
	guint sport, dport;     /* tcp.srcport, tcp.dstport */
	guint64 seq, ack;       /* relative */
	guint64 seq_raw, ack_raw;
	guint len;              /* tcp.len */
	guint hdr_len;          /* tcp.hdr_len */
	guint window;           /* tcp.window_size_value */
	gboolean has_ts;        /* a timestamps option */
	guint64 tsval, tsecr;   /* its values */
	const char *payload;    /* tcp.payload in hex, "" without (points into f) */
	gboolean rtx;           /* tcp.analysis.retransmission */
	gboolean fast_rtx;      /* tcp.analysis.fast_retransmission */
	gboolean rtx_late;      /* any of retransmission, fast retransmission,
				 * out-of-order, spurious retransmission */
	gboolean dup_ack;       /* tcp.analysis.duplicate_ack */
	gboolean keep_alive;    /* tcp.analysis.keep_alive */
	int icmp_type;          /* -1 when not ICMP */
	int icmp_code;          /* -1 when not ICMP */
	char **f;               /* every field as tshark printed it, E2E_F_COUNT of them */
};

#define PKT(a, i) (&g_array_index((a), struct e2e_pkt, (i)))

/* Every packet of pcap (a GArray of struct e2e_pkt that frees its own);
 * client_addr (or NULL) tells the directions apart.  Asserts only that
 * tshark could read it. */
GArray *e2e_pkts_read(const char *pcap, const char *client_addr);

/* Asserts what tshark must say of any tcpsim capture: no malformed
 * packet; good IP checksums (on all but ARP); a good TCP checksum on every
 * TCP segment and a good ICMP checksum on every ICMP packet. */
void e2e_assert_well_formed(const char *pcap, const GArray *pkts);

/* --- one run of the program --- */

struct e2e {
	char *tmp;             /* the fresh temporary folder, removed by e2e_clear() */
	char *dir;             /* the -o folder, tmp/out */
	char *pcap;            /* dir/trace.pcap */
	struct scn_run run;    /* exit status and output */
	struct scn_json *json; /* the parsed --json summary (an object), or NULL */
	GArray *pkts;          /* every packet, after e2e_run_capture(); else NULL */
};

/* Runs ./tcpsim CONFIG EXTRA... -o TMP/out and asserts it completed (exit
 * status 0); parses stdout when EXTRA holds --json.  The run keeps the
 * textbook times (--set tcp.timers=exact) unless EXTRA sets tcp.timers:
 * the end-to-end tests pin the protocol's times, tests/test_ktimer.c the
 * kernel clock's. */
void e2e_run(struct e2e *s, const char *config, const char *const *extra);

/* Runs ./tcpsim CONFIG EXTRA... --json -o TMP/out, asserts it completed
 * with a JSON summary, decodes its pcap (e2e_pkts_read(), client_addr may
 * be NULL), asserts it well formed, and that Wireshark sees the packets,
 * retransmissions and late segments the summary reports: as many packets
 * as capture.packets; without late packets, as many retransmissions as
 * capture.retransmissions; with them, retransmissions, fast
 * retransmissions, out-of-order and spurious ones together as many as
 * capture.retransmissions + capture.late. */
void e2e_run_capture(struct e2e *s, const char *config, const char *const *extra,
		     const char *client_addr);

void e2e_clear(struct e2e *s);

/* --- the summary --- */

/* "12.345000000": nanoseconds as seconds with nine decimals, exactly. */
void e2e_append_time(GString *s, gint64 ns);

/* endpoints.WHO.KEY as a string (NULL if absent) / a whole number (asserted). */
const char *e2e_ep_str(const struct e2e *s, const char *who, const char *key);
guint64 e2e_ep_uint(const struct e2e *s, const char *who, const char *key);

/* Asserts the endpoint's final_state and result. */
void e2e_assert_endpoint(const struct e2e *s, const char *who, const char *final_state,
			 const char *result);

/* What one entry of an endpoint's state log must be. */
struct e2e_state {
	gint64 t; /* nanoseconds */
	guint conn;
	const char *state;
};

/* The endpoint's state log (asserts it is an array, nothing dropped). */
const struct scn_json *e2e_states(const struct e2e *s, const char *who);

/* Asserts that the endpoint's state log is exactly want. */
void e2e_assert_states(const struct e2e *s, const char *who, const struct e2e_state *want,
		       guint n);

/* The time connection conn of the endpoint entered state; -1 if never. */
gint64 e2e_state_time(const struct e2e *s, const char *who, guint conn, const char *state);

/* How many entries of the endpoint's state log are state. */
guint e2e_state_count(const struct e2e *s, const char *who, const char *state);

/* What one call of the summary must be. */
struct e2e_call {
	gint64 t;        /* nanoseconds */
	const char *call;
	const char *ret; /* as the JSON writes it */
	const char *err; /* errno name, NULL for null */
};

/* "T CALL = RET ERRNO\n", as e2e_calls_text() writes each call. */
void e2e_describe_call(GString *s, gint64 t, const char *call, const char *ret, const char *err);

/* The endpoint's calls, one line each, only those named only (if NULL:
 * all but the set-up calls socket, bind, setsockopt and fcntl, which the
 * short form makes around connect and listen); asserts none was dropped
 * and each is well formed. */
char *e2e_calls_text(const struct e2e *s, const char *who, const char *only);

/* Asserts that the endpoint's calls (named only, or all) are exactly want. */
void e2e_assert_calls(const struct e2e *s, const char *who, const char *only,
		      const struct e2e_call *want, guint n);

/* Asserts that got (a GArray of gint64 nanoseconds) is exactly want, in
 * nanoseconds or in milliseconds; what names the list. */
void e2e_assert_times(const char *what, const GArray *got, const gint64 *want, guint n);
void e2e_assert_times_ms(const char *what, const GArray *got, const gint64 *want_ms, guint n);

#endif
