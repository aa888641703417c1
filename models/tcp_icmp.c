/*
 * An ICMP destination unreachable or time exceeded that quotes one of our
 * segments (RFC 792, RFC 1122 §4.2.3.9), as each stack's TCP takes it:
 * Linux's tcp_v4_err() and FreeBSD's tcp_ctlinput_with_port().
 */
#include <errno.h>
#include <glib.h>
#include "models/seq.h"
#include "models/tcp_int.h"

/* Linux icmp_err_convert[] (net/ipv4/icmp.c), by code: every one fatal
 * but fragmentation needed (4), which is path MTU discovery's. */
static int linux_errno(bool time_exceeded, uint8_t code)
{
	if (time_exceeded) /* tcp_v4_err(): ICMP_TIME_EXCEEDED, any code */
		return EHOSTUNREACH;
	static const int err[16] = {
		ENETUNREACH, EHOSTUNREACH, ENOPROTOOPT, ECONNREFUSED, EMSGSIZE, EOPNOTSUPP,
		ENETUNREACH, EHOSTDOWN, ENETUNREACH, ENETUNREACH, EHOSTUNREACH, ENETUNREACH,
		EHOSTUNREACH, EHOSTUNREACH, EHOSTUNREACH, EHOSTUNREACH,
	};
	return code < 16 && code != 4 ? err[code] : 0;
}

/* FreeBSD icmp_errmap() (sys/netinet/ip_icmp.c): of type 3, the protocol,
 * the port and the three administratively prohibited codes (9, 10, 13)
 * are ECONNREFUSED, fragmentation needed EMSGSIZE (not modelled here),
 * the rest EHOSTUNREACH, net unreachable too; of type 11, in transit (0)
 * is EHOSTUNREACH, reassembly (1) nothing. */
static int bsd_errno(bool time_exceeded, uint8_t code)
{
	if (time_exceeded)
		return code == 0 ? EHOSTUNREACH : 0;
	switch (code) {
	case 2: case 3: case 9: case 10: case 13: return ECONNREFUSED;
	case 0: case 1: case 5: case 6: case 7: case 8: case 11: case 12: case 14: case 15:
		return EHOSTUNREACH;
	default: return 0;
	}
}

/* Linux tcp_v4_err(): an error about a segment not between SND.UNA and
 * SND.NXT is dropped (LINUX_MIB_OUTOFWINDOWICMPS; Linux's snd_nxt is the
 * model's snd_max); while connecting a fatal one ends the attempt, later
 * it is a soft error, the one a time-out reports. */
static void linux_err(struct tcp_ep *ep, int err, uint32_t seq, struct tcp_acts *out)
{
	if (!seq_ge(seq, ep->snd_una) || !seq_le(seq, ep->snd_max))
		return;
	if (ep->state == TCP_SYN_SENT || ep->state == TCP_SYN_RCVD)
		tcp_fail(ep, err, out);
	else if (ep->state != TCP_CLOSED)
		ep->soft_err = err;
}

/* FreeBSD syncache_unreach(): an entry's error must quote its SYN-ACK
 * (ISS); the first marks it (SCF_UNREACH, the model's soft error), and a
 * later one after the third retransmission drops it, silently. */
static void bsd_syncache_err(struct tcp_ep *ep, sim_time now, int err, uint32_t seq,
                             struct tcp_acts *out)
{
	if (seq != ep->iss)
		return;
	if (!ep->soft_err || ep->retransmits < 3 + 1) {
		ep->soft_err = err;
		return;
	}
	tcp_ep_drop(ep, now, err, TCP_DROP_SILENT, out);
}

/* FreeBSD tcp_ctlinput_with_port(): only an error about a segment in
 * [SND.UNA, SND.MAX) counts.  With icmp_may_rst a refusal (ECONNREFUSED)
 * or a time exceeded in transit ends a connection in SYN_SENT at once
 * (tcp_drop_syn_sent()) and is ignored later; everything else is
 * tcp_notify()'s: ignored when established (a route may come back), fatal
 * before it only after more than three retransmissions and a first error,
 * otherwise kept as the soft error (t_softerror) a time-out reports. */
static void bsd_err(struct tcp_ep *ep, sim_time now, int err, bool may_reset, uint32_t seq,
                    struct tcp_acts *out)
{
	if (ep->state == TCP_SYN_RCVD && ep->passive)
		return bsd_syncache_err(ep, now, err, seq, out);
	if (!seq_ge(seq, ep->snd_una) || !seq_lt(seq, ep->snd_max))
		return;
	if (may_reset && ep->p->icmp_may_rst) {
		if (ep->state == TCP_SYN_SENT)
			tcp_ep_drop(ep, now, err, TCP_DROP_BSD, out);
		return;
	}
	bool before_established = ep->state == TCP_SYN_SENT || ep->state == TCP_SYN_RCVD;
	if (ep->state == TCP_ESTABLISHED && err == EHOSTUNREACH)
		return;
	if (before_established && ep->retransmits > 3 && ep->soft_err)
		return tcp_ep_drop(ep, now, err, TCP_DROP_BSD, out);
	if (ep->state != TCP_CLOSED && ep->state != TCP_TIME_WAIT)
		ep->soft_err = err;
}

void tcp_ep_icmp_error(struct tcp_ep *ep, sim_time now, bool time_exceeded, uint8_t code, uint32_t seq,
                       struct tcp_acts *out)
{
	bool bsd = ep->p->icmp_rule == TCP_ICMP_BSD;
	int err = bsd ? bsd_errno(time_exceeded, code) : linux_errno(time_exceeded, code);
	if (!err)
		return;
	if (bsd)
		bsd_err(ep, now, err, err == ECONNREFUSED || time_exceeded, seq, out);
	else
		linux_err(ep, err, seq, out);
	TCP_CHECK(ep, ep->rcv_nxt);
}
