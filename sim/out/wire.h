/*
 * Packets as bytes on a wire: the IPv4 + TCP (or IPv4 + ICMP) encoding of a
 * segment record, with correct checksums and TCP options laid out the way
 * Linux lays them out, so that Wireshark decodes a tcpsim capture exactly
 * like one taken on a real host.
 *
 * Option layout (as Linux sends them):
 *   SYN with everything: MSS(4) SACK_PERM(2) TS(10) NOP WSCALE(3)  = 20 bytes
 *   SYN without SACK:    MSS(4) NOP NOP TS(10) NOP WSCALE(3)       = 20 bytes
 *   SYN without TS:      MSS(4) NOP NOP SACK_PERM(2) NOP WSCALE(3) = 12 bytes
 *   any other with TS:   NOP NOP TS(10)                            = 12 bytes
 * Options absent from `present` are left out and the rest padded with NOPs
 * to a multiple of 4.
 */
#ifndef SIM_OUT_WIRE_H
#define SIM_OUT_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include "models/segment.h"

#define WIRE_MAX_PACKET 65535u

/* Bytes of the IPv4 packet that encodes pv (headers + payload). */
uint32_t wire_packet_size(const struct packet_view *pv);

/* Writes the IPv4 packet into buf (cap bytes); returns its length, or 0 if
 * it does not fit.  For PACKET_ICMP_UNREACH the ICMP message quotes the IPv4
 * header and the first 8 bytes of the TCP header of pv->tcp (RFC 792) and
 * is sent from pv->icmp_src to pv->tcp.saddr. */
uint32_t wire_encode(const struct packet_view *pv, uint8_t *buf, size_t cap);

/* The Internet checksum (RFC 1071) over len bytes, folded, not inverted,
 * starting from sum. */
uint32_t wire_sum(const uint8_t *data, size_t len, uint32_t sum);
uint16_t wire_fold(uint32_t sum); /* fold and invert: the final checksum */

#endif
