/*
 * Packets as bytes on a wire: the IPv4 + TCP (or IPv4 + ICMP) encoding of a
 * segment record, with correct checksums and TCP options laid out the way
 * Linux lays them out, so that Wireshark decodes a tcpsim capture exactly
 * like one taken on a real host; an ARP request; and the link-layer frame
 * that carries each (Ethernet II, or none for raw IPv4).
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

#include <stdbool.h>

#define WIRE_MAX_PACKET 65535u
#define WIRE_ETH_HDR_LEN 14u
#define WIRE_ETH_MIN_FRAME 60u  /* IEEE 802.3's minimum, FCS left out: shorter is padded */
#define WIRE_MAX_FRAME (WIRE_ETH_HDR_LEN + WIRE_MAX_PACKET)

/* Bytes of the packet that encodes pv (headers + payload): the IPv4
 * packet, or the 28-byte ARP message. */
uint32_t wire_packet_size(const struct packet_view *pv);

/* Writes the packet into buf (cap bytes); returns its length, or 0 if it
 * does not fit.  For PACKET_ICMP_UNREACH the ICMP message quotes the IPv4
 * header and the first 8 bytes of the TCP header of pv->tcp (RFC 792) and
 * is sent from pv->icmp_src to pv->tcp.saddr.  PACKET_ARP is an ARP request
 * (RFC 826, opcode 1) from pv->arp_sender for pv->arp_target. */
uint32_t wire_encode(const struct packet_view *pv, uint8_t *buf, size_t cap);

/* Writes the frame that carries pv into buf; returns its length, or 0 if
 * it does not fit or there is no such frame.  With ethernet: an Ethernet
 * II header, then the packet.  A host's MAC address is 02:00 followed by
 * its IPv4 address (locally administered, so that Wireshark's endpoints
 * match the IPv4 ones): an IPv4 packet goes from its source's MAC to its
 * destination's (type 0x0800); an ARP request is broadcast from the
 * asker's (ff:ff:ff:ff:ff:ff, type 0x0806) and padded with zeros to 60
 * bytes as on a real wire.  Raw (LINKTYPE_RAW): the IPv4 packet alone; an
 * ARP request has no such frame (0). */
uint32_t wire_frame(const struct packet_view *pv, bool ethernet, uint8_t *buf, size_t cap);

/* What an ICMP error says, for the annotations and the report: net and
 * host unreachable come from a router on the path (the only source the
 * simulated network has); the others only from a packetdrill peer. */
const char *wire_icmp_words(const struct packet_view *pv);

/* The Internet checksum (RFC 1071) over len bytes, folded, not inverted,
 * starting from sum. */
uint32_t wire_sum(const uint8_t *data, size_t len, uint32_t sum);
uint16_t wire_fold(uint32_t sum); /* fold and invert: the final checksum */

#endif
