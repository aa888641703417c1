/*
 * Test helper: decode a capture with tshark and get its fields back, so a
 * test can assert what Wireshark itself sees in a tcpsim pcap.
 *
 * tshark runs with -n (no name resolution) and with IPv4 and TCP checksum
 * verification on, so tcp.checksum.status / ip.checksum.status are
 * meaningful ("1" good, "0" bad, "2" unverified).  Useful fields (tshark 4.0):
 *   frame.number frame.time_epoch (9 decimals: nanosecond precision)
 *   ip.src ip.dst ip.id ip.ttl ip.flags.df ip.proto ip.len ip.checksum.status
 *   tcp.srcport tcp.dstport tcp.seq_raw tcp.ack_raw tcp.flags.str
 *   tcp.window_size_value tcp.hdr_len tcp.len tcp.payload tcp.checksum.status
 *   tcp.options.mss_val tcp.options.wscale.shift tcp.options.sack_perm
 *   tcp.options.timestamp.tsval tcp.options.timestamp.tsecr
 *   tcp.analysis.retransmission tcp.analysis.duplicate_ack
 *   icmp.type icmp.code icmp.checksum.status
 *   eth.src eth.dst _ws.expert.message _ws.malformed
 * A field that occurs more than once in a packet (ip.src of an ICMP error
 * and of the header it quotes) gives its values joined by ','.
 */
#ifndef TESTS_TSHARK_H
#define TESTS_TSHARK_H

#include <glib.h>

/* True when a tshark program is on PATH. */
gboolean tshark_available(void);

/* Runs tshark on pcap, keeping the packets that match display_filter (all
 * if NULL), and returns one string per packet: the values of the NULL-
 * terminated fields, in order, separated by '\t' (an absent field is an
 * empty string).  Free with g_strfreev().  NULL with *error if tshark is
 * missing, fails or writes nothing parseable. */
char **tshark_fields(const char *pcap, const char *display_filter,
		     const char *const *fields, GError **error);

/* True when the ','-joined checksum statuses of one packet are all "1"
 * (good); an absent field passes unless required. */
gboolean tshark_all_good(const char *statuses, gboolean required);

/* True when tshark found the packet malformed: its _ws.malformed field is
 * set or an expert message says so. */
gboolean tshark_malformed(const char *ws_malformed, const char *expert_messages);

#endif
