/*
 * TSO sizing and TCP small queues, as Linux's net/ipv4/tcp_output.c does
 * them.
 *
 * A Linux sender does not hand its device a segment at a time: it sends
 * TSO packets (GSO in software when the NIC cannot) of as many segments as
 * about a millisecond at its pacing rate carries (tcp_tso_autosize()), and
 * the sent data stays in the retransmission queue in those skbs.  And it
 * keeps only a little of its data in the host's own queues (qdisc, NIC
 * ring): TCP small queues (TSQ, tcp_small_queue_check()) stop
 * tcp_write_xmit() once the socket's skbs there (sk_wmem_alloc) pass about
 * a millisecond of data; each TX completion (tcp_wfree() ->
 * tcp_tsq_handler()) lets it send again.  The rest of the window's worth
 * waits in the send buffer instead of a device queue, so a window larger
 * than the path does not overflow the host's queue.
 *
 * The model sends its segments one by one; a world whose interface has a
 * queue (a link with a bandwidth) turns TSQ on (tcp_ep_tsq_enable()) and
 * reports each data segment's TX completion (tcp_ep_tx_done_at()).  The
 * TSQ "timer" is that completion: the first TSO packet's worth of
 * segments in the host's queue leaving the wire.
 */
#include <glib.h>
#include "models/tcp_int.h"

#define PACING_SHIFT 10      /* sk_pacing_shift: about 1 ms of the pacing rate */
#define PACING_SS_RATIO 200  /* tcp_pacing_ss_ratio, per cent */
#define PACING_CA_RATIO 120  /* tcp_pacing_ca_ratio, per cent */
#define GSO_MAX_SIZE 65536u  /* sk_gso_max_size: GSO_LEGACY_MAX_SIZE for IPv4 */
#define TSO_RTT_LOG 9        /* tcp_tso_rtt_log */
#define MIN_TSO_SEGS 2u      /* tcp_min_tso_segs */

/* tcp_update_pacing_rate(): 200 % of cwnd * mss / srtt in slow start
 * (cwnd below half ssthresh), 120 % after; without an RTT sample the
 * kernel leaves the rate undivided, in effect unlimited. */
uint64_t tcp_pacing_rate(const struct tcp_ep *ep)
{
	uint32_t mss = ep->snd_mss;
	uint32_t cwnd = ep->cc.cwnd;
	uint32_t packets_out = mss ? (ep->snd_max - ep->snd_una + mss - 1) / mss : 0;
	uint64_t ratio = cwnd < ep->cc.ssthresh / 2 ? PACING_SS_RATIO : PACING_CA_RATIO;
	if (ep->srtt <= 0)
		return UINT64_MAX;
	uint64_t per_rtt = (uint64_t)mss * (cwnd > packets_out ? cwnd : packets_out) * ratio / 100;
	if (per_rtt > UINT64_MAX / (uint64_t)SIM_SEC) /* a window no path holds: no overflow */
		return per_rtt / (uint64_t)ep->srtt * (uint64_t)SIM_SEC;
	return per_rtt * (uint64_t)SIM_SEC / (uint64_t)ep->srtt;
}

/* tcp_tso_autosize(): a millisecond of the pacing rate, plus more of the
 * 64 KiB for a path under a few hundred microseconds (min_rtt >>
 * tcp_tso_rtt_log), at most 64 KiB, at least tcp_min_tso_segs. */
uint32_t tcp_tso_segs(const struct tcp_ep *ep)
{
	uint32_t mss = ep->snd_mss ? ep->snd_mss : 536;
	uint64_t bytes = tcp_pacing_rate(ep) >> PACING_SHIFT;
	if (ep->rack.min_rtt > 0) {
		uint64_t r = (uint64_t)(ep->rack.min_rtt / SIM_US) >> TSO_RTT_LOG;
		if (r < 32)
			bytes += GSO_MAX_SIZE >> r;
	}
	bytes = bytes < GSO_MAX_SIZE ? bytes : GSO_MAX_SIZE;
	uint32_t segs = (uint32_t)(bytes / mss);
	return segs > MIN_TSO_SEGS ? segs : MIN_TSO_SEGS;
}

static struct tsq_pkt *ring_at(struct tsq *t, uint32_t i)
{
	return &t->q[(t->head + i) % TSQ_RING];
}

/* The TX completions that have happened by now free their bytes. */
static void completions_until(struct tsq *t, sim_time now)
{
	while (t->len && t->q[t->head].done <= now) {
		t->queued -= t->q[t->head].bytes;
		t->head = (t->head + 1) % TSQ_RING;
		t->len--;
	}
}

/* A segment joins the newest TSO packet while that has room (or the ring
 * is full), else starts the next one. */
static void ring_add(const struct tcp_ep *ep, struct tsq *t, sim_time done, uint32_t bytes)
{
	struct tsq_pkt *last = t->len ? ring_at(t, t->len - 1) : NULL;
	bool joins = last && (t->len == TSQ_RING || last->bytes + bytes <= MIN_TSO_SEGS * ep->snd_mss ||
	                      last->bytes + bytes <= tcp_tso_segs(ep) * ep->snd_mss);
	if (joins) {
		last->bytes += bytes;
		last->done = done > last->done ? done : last->done;
	} else {
		*ring_at(t, t->len++) = (struct tsq_pkt){.done = done, .bytes = bytes};
	}
	t->queued += bytes;
}

/* Throttled, output resumes when the oldest TSO packet in the host's
 * queue has left (its skb's tcp_wfree()). */
static void arm_completion(struct tcp_ep *ep)
{
	struct tsq *t = &ep->tsq;
	if (t->throttled && t->len)
		tcp_set_deadline(ep, TCP_TIMER_TSQ, t->q[t->head].done);
}

/* tcp_small_queue_check() before tcp_write_xmit() sends the next skb:
 * the limit is two skbs or a millisecond of the pacing rate, at most
 * tcp_limit_output_bytes (6.16+: for every flow, paced or not).  A
 * connection with at most one skb unacknowledged always sends
 * (tcp_rtx_queue_empty_or_single_skb()). */
bool tcp_small_queue_full(struct tcp_ep *ep, sim_time now)
{
	struct tsq *t = &ep->tsq;
	if (!t->on || ep->p->limit_output_bytes == 0)
		return false;
	completions_until(t, now);
	uint64_t wmem_alloc = t->queued + t->unreported;
	uint64_t least = 2 * ((uint64_t)MIN_TSO_SEGS * ep->snd_mss + tcp_skb_overhead());
	if (wmem_alloc <= least) { /* under any limit: two TSO packets of the fewest segments */
		t->throttled = false;
		return false;
	}
	uint64_t skb = (uint64_t)tcp_tso_segs(ep) * ep->snd_mss;
	uint64_t limit = tcp_pacing_rate(ep) >> PACING_SHIFT;
	if (limit < 2 * (skb + tcp_skb_overhead()))
		limit = 2 * (skb + tcp_skb_overhead());
	if (limit > ep->p->limit_output_bytes)
		limit = ep->p->limit_output_bytes;
	if (wmem_alloc <= limit || ep->snd_nxt - ep->snd_una <= skb) {
		t->throttled = false;
		return false;
	}
	t->waits += !t->throttled;
	t->throttled = true;
	arm_completion(ep);
	return true;
}

void tcp_tsq_sent(struct tcp_ep *ep, uint32_t bytes)
{
	if (ep->tsq.on)
		ep->tsq.unreported += bytes;
}

void tcp_ep_tsq_enable(struct tcp_ep *ep)
{
	ep->tsq.on = true;
}


void tcp_ep_tx_done_at(struct tcp_ep *ep, sim_time now, sim_time done, uint32_t bytes)
{
	struct tsq *t = &ep->tsq;
	if (!t->on)
		return;
	t->unreported = bytes < t->unreported ? t->unreported - bytes : 0;
	if (done <= now || ep->state == TCP_CLOSED)
		return;
	ring_add(ep, t, done, bytes);
	arm_completion(ep);
}

/* tcp_tsq_handler(): a completion while throttled: send what now fits. */
void tcp_tsq_fired(struct tcp_ep *ep, sim_time now, struct tcp_acts *out)
{
	completions_until(&ep->tsq, now);
	ep->tsq.throttled = false;
	tcp_output(ep, now, out);
}
