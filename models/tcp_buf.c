/*
 * The socket buffers as Linux sizes them (net/ipv4/tcp_input.c, "Buffer
 * size and advertised window tuning").
 *
 * Send side: sk_sndbuf starts at tcp_wmem[1] and tcp_sndbuf_expand()
 * raises it to twice the congestion window's worth of segments, at the
 * handshake (tcp_init_buffer_space()) and whenever an ACK frees room for a
 * writer that found the buffer full while the window has room
 * (tcp_check_space() -> tcp_new_space() -> tcp_should_expand_sndbuf()), up
 * to tcp_wmem[2].  The buffer holds skbs, each charged its truesize
 * (sk_wmem_queued): a write fills skbs of up to 64 KiB (the size goal)
 * and stops at a whole one; sent, they are one skb a segment.  A blocked
 * writer wakes only once a third of the buffer is free
 * (sk_stream_write_space(), __sk_stream_is_writeable()).
 *
 * Receive side (dynamic right-sizing): the receiver estimates the RTT
 * (tcp_rcv_rtt_measure(), tcp_rcv_rtt_measure_ts()); each read that
 * closes one such RTT compares what the reader took in it with the last
 * round's (tcp_rcv_space_adjust(), from tcp_recvmsg_locked()) and grows
 * sk_rcvbuf to let the sender double its rate (tcp_rcvbuf_grow(), Linux
 * 6.18), up to tcp_rmem[2].  The offered window follows: half the buffer
 * (the 50 % scaling ratio, tcp_win_from_space()), reached by rcv_ssthresh
 * (tcp_grow_window()).
 *
 * SO_SNDBUF and SO_RCVBUF lock the sizes (SOCK_SNDBUF_LOCK,
 * SOCK_RCVBUF_LOCK in sock_setsockopt()): no autotuning.  Profiles without
 * ceilings (wmem_max, rmem_max = 0) keep their buffers as configured.
 */
#include <glib.h>
#include "models/tcp_int.h"

/* The sizes of the kernel's structures on x86-64 (6.x): sk_buff 232
 * bytes, skb_shared_info 320 (MAX_SKB_FRAGS 17), aligned to the 64-byte
 * cache line by SKB_DATA_ALIGN(); MAX_TCP_HEADER = L1_CACHE_ALIGN(128 +
 * MAX_HEADER) = 320 with a distribution's MAX_HEADER of 176. */
#define SKB_ALIGNED_SKB 256u    /* SKB_DATA_ALIGN(sizeof(struct sk_buff)) */
#define SKB_ALIGNED_SHINFO 320u /* SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) */
#define MAX_TCP_HEADER 320u

uint32_t tcp_skb_overhead(void)
{
	/* tcp_stream_alloc_skb(): alloc_skb_fclone(MAX_TCP_HEADER), charged
	 * SKB_TRUESIZE(skb_end_offset(skb)), taken here as a head of exactly
	 * MAX_TCP_HEADER bytes (6.3+ serves it from the small-head cache);
	 * tcp_sendmsg_locked() then adds each byte copied into the page
	 * frags (skb->truesize += copy). */
	return MAX_TCP_HEADER + SKB_ALIGNED_SKB + SKB_ALIGNED_SHINFO;
}

/* The least power of two >= x, for x up to 2^31 (a segment's head and
 * payload here: far less). */
static uint32_t roundup_pow_of_two(uint32_t x)
{
	return x <= 1 ? 1 : 1u << (32 - __builtin_clz(x - 1));
}

uint32_t tcp_sndbuf_per_mss(uint32_t mss)
{
	/* tcp_sndbuf_expand(): "Worst case is non GSO/TSO: each frame
	 * consumes one skb and skb->head is kmalloced using power of two
	 * area of memory" */
	return roundup_pow_of_two(mss + MAX_TCP_HEADER + SKB_ALIGNED_SHINFO) + SKB_ALIGNED_SKB;
}

static uint32_t mss_now(const struct tcp_ep *ep)
{
	return ep->snd_mss ? ep->snd_mss : 536;
}

/* The most a write puts in one skb, before it is made whole segments:
 * sk_gso_max_size (GSO_LEGACY_MAX_SIZE, 65536) bytes, at most half the
 * largest window the peer offered (tcp_bound_to_half_wnd()). */
static uint32_t size_goal_bound(const struct tcp_ep *ep)
{
	uint32_t goal = 65536;
	uint32_t cutoff = ep->max_window > 536 ? ep->max_window / 2 : ep->max_window;
	return cutoff && goal > cutoff ? cutoff : goal;
}

/* bound / mss, from segs, the count computed last time (Linux's
 * tp->gso_segs), which stays right while bound lies in [segs * mss,
 * segs * mss + mss): tcp_xmit_size_goal(), "We try hard to avoid divides
 * here", divides only when the bound or the MSS left that range. */
static uint32_t size_goal_segs(uint32_t bound, uint32_t mss, uint32_t segs)
{
	uint64_t size = (uint64_t)segs * mss;
	if (bound < size || bound >= size + mss)
		return bound / mss;
	return segs;
}

/* tcp_send_mss() -> tcp_xmit_size_goal(): a write is cut into GSO packets
 * (the kernel's GSO is always on for TCP, in hardware or not) of up to
 * the bound above, in whole segments.  The model sends them as the
 * segments they are cut into. */
static uint32_t size_goal_of(uint32_t segs, uint32_t mss)
{
	return segs > 1 ? segs * mss : mss;
}

uint32_t tcp_snd_size_goal(const struct tcp_ep *ep)
{
	uint32_t mss = mss_now(ep);
	return size_goal_of(size_goal_segs(size_goal_bound(ep), mss, ep->gso_segs), mss);
}

/* The size goal, its segment count kept for the next call (a write, or
 * the connection's start: then all calls but a few find it right). */
static uint32_t keep_size_goal(struct tcp_ep *ep)
{
	uint32_t mss = mss_now(ep);
	ep->gso_segs = size_goal_segs(size_goal_bound(ep), mss, ep->gso_segs);
	return size_goal_of(ep->gso_segs, mss);
}

/* The bytes of the send buffer already sent (up to SND.MAX). */
static uint32_t sent_len(const struct tcp_ep *ep)
{
	uint32_t sent = seq_gt(ep->snd_max, ep->snd_buf_seq) ? ep->snd_max - ep->snd_buf_seq : 0;
	return sent < ep->snd.len ? sent : ep->snd.len;
}

/* The bytes in the last skb of the write queue, 0 when all is sent (the
 * next write starts a new skb: tcp_write_queue_tail() is NULL). */
static uint32_t tail_len(const struct tcp_ep *ep, uint32_t unsent)
{
	return ep->snd_tail_len < unsent ? ep->snd_tail_len : unsent;
}

/* sk_wmem_queued: what is not sent yet in the skbs the writes made (of the
 * size goal, the last one filling); what is sent in the skbs
 * tcp_write_xmit() split them into as it sent them (tso_fragment(), each
 * part charged a head of its own): TSO packets of tcp_tso_autosize()
 * segments (models/tcp_tsq.c) with `tso`, taken at today's size for all
 * the sent bytes; else one skb a segment.  Each skb is charged its head
 * and its payload.  Linux's own test of a blocking write on packetdrill's
 * tun device (selftests/net/packetdrill tcp_blocking_blocking-write.pkt:
 * SO_SNDBUF 42000, MSS 1000, the writer woken by the ACK of 36000 bytes of
 * 50000, not of 35000) reads one skb a segment. */
static uint64_t queued_mem(const struct tcp_ep *ep, uint32_t goal, uint32_t sent, uint32_t unsent)
{
	uint32_t tail = tail_len(ep, unsent), mss = mss_now(ep);
	/* at most one segment sent is one skb whatever the TSO size */
	uint32_t sent_skb = ep->p->tso && sent > mss ? mss * tcp_tso_segs(ep) : mss;
	uint64_t skbs = tcp_segs_up64(sent, sent_skb) + (tail ? 1 : 0) +
	                tcp_segs_up64(unsent - tail, goal);
	return skbs * tcp_skb_overhead() + sent + unsent;
}

/* sk_wmem_queued of a model that counts truesize (snd_truesize), with the
 * size goal and the bytes sent known. */
static uint64_t snd_queued(const struct tcp_ep *ep, uint32_t goal, uint32_t sent)
{
	if (ep->snd.len == 0)
		return 0; /* an empty queue holds no skb: queued_mem() of 0 and 0 is 0 */
	return queued_mem(ep, goal, sent, ep->snd.len - sent);
}

uint64_t tcp_snd_queued(const struct tcp_ep *ep)
{
	if (!ep->p->snd_truesize || ep->snd.len == 0)
		return ep->snd.len; /* (the goal is not needed then) */
	return snd_queued(ep, tcp_snd_size_goal(ep), sent_len(ep));
}

uint32_t tcp_snd_space(const struct tcp_ep *ep)
{
	uint32_t len = ep->snd.len;
	if (!ep->p->snd_truesize)
		return len >= ep->sndbuf ? 0 : ep->sndbuf - len;
	/* tcp_sendmsg_locked(): the last skb is filled up to the size goal;
	 * a new one is taken while sk_stream_memory_free(), that is while
	 * sk_wmem_queued < sk_sndbuf */
	uint32_t goal = tcp_snd_size_goal(ep), sent = sent_len(ep), unsent = len - sent;
	uint32_t tail = tail_len(ep, unsent);
	uint64_t room = tail && tail < goal ? goal - tail : 0;
	uint64_t mem = snd_queued(ep, goal, sent) + room;
	if (mem < ep->sndbuf)
		room += (uint64_t)tcp_segs_up(ep->sndbuf - (uint32_t)mem, goal + tcp_skb_overhead()) * goal;
	return room > UINT32_MAX - len ? UINT32_MAX - len : (uint32_t)room;
}

/* The bytes in the last of the skbs of `goal` bytes that `rest` (at
 * least 1) fill: rest itself when one holds them, as a short write's. */
static uint32_t last_skb_len(uint32_t rest, uint32_t goal)
{
	if (rest <= goal)
		return rest;
	return rest % goal ? rest % goal : goal;
}

void tcp_snd_appended(struct tcp_ep *ep, uint32_t n)
{
	uint32_t goal = keep_size_goal(ep), unsent = ep->snd.len - n - sent_len(ep);
	uint32_t tail = tail_len(ep, unsent);
	uint32_t fill = tail && tail < goal ? goal - tail : 0;
	fill = fill < n ? fill : n;
	uint32_t rest = n - fill;
	ep->snd_tail_len = rest ? last_skb_len(rest, goal) : tail + fill;
}

bool tcp_snd_writeable(const struct tcp_ep *ep)
{
	/* __sk_stream_is_writeable(): sk_stream_wspace() >=
	 * sk_stream_min_wspace() (sk_wmem_queued / 2) and memory free */
	uint64_t q = tcp_snd_queued(ep);
	if (q >= ep->sndbuf)
		return false;
	return ep->sndbuf - q >= q / 2;
}

void tcp_sndbuf_expand(struct tcp_ep *ep)
{
	const struct tcp_params *p = ep->p;
	if (p->wmem_max == 0 || p->sndbuf_lock)
		return;
	uint32_t mss = mss_now(ep);
	uint32_t clamp = ep->snd_mss + (ep->ts_ok ? 12u : 0u); /* rx_opt.mss_clamp */
	uint32_t per_mss = tcp_sndbuf_per_mss(clamp > mss ? clamp : mss);
	uint32_t nr_segs = ep->cc.cwnd; /* snd_cwnd, segments */
	if (nr_segs < 10) /* TCP_INIT_CWND */
		nr_segs = 10;
	if (nr_segs < 3 + 1) /* tp->reordering + 1, tcp_reordering = 3 */
		nr_segs = 3 + 1;
	/* "Cubic needs 1.7 factor, rounded to 2": no sndbuf_expand op */
	uint64_t sndmem = 2ull * nr_segs * per_mss;
	if (ep->sndbuf < sndmem)
		ep->sndbuf = sndmem < p->wmem_max ? (uint32_t)sndmem : p->wmem_max;
}

void tcp_new_space(struct tcp_ep *ep)
{
	if (!ep->snd_nospace)
		return; /* tcp_check_space(): only for a writer that found no room */
	/* tcp_should_expand_sndbuf(): not locked (tcp_sndbuf_expand checks),
	 * and not while the congestion window is full: the buffer grows for
	 * a sender it limits, not for one the window limits */
	uint32_t in_flight = (ep->snd_max - ep->snd_una) / mss_now(ep);
	if (in_flight < ep->cc.cwnd)
		tcp_sndbuf_expand(ep);
	if (tcp_snd_writeable(ep)) /* sk_stream_write_space() */
		ep->snd_nospace = false;
}

void tcp_init_buffer_space(struct tcp_ep *ep, sim_time now)
{
	keep_size_goal(ep); /* the MSS and the peer's window are known now */
	tcp_sndbuf_expand(ep);
	ep->rcvq_space.time = now;
	ep->rcvq_space.seq = ep->copied_seq;
	/* min3(rcv_ssthresh, rcv_wnd, TCP_INIT_CWND * advmss) */
	uint32_t space = 10 * ep->p->mss, wnd = tcp_rcv_window(ep);
	if (ep->p->rcv_ssthresh && ep->rcv_ssthresh < space)
		space = ep->rcv_ssthresh;
	ep->rcvq_space.space = wnd < space ? wnd : space;
	if (ep->rcvq_space.space == 0)
		ep->rcvq_space.space = 1; /* a divisor in tcp_rcvbuf_grow() */
}

/* tcp_rcv_rtt_update(): the smallest sample in the window-based case
 * (win_dep), else a smoothed one; rtt_us holds 8 times the RTT. */
static void rcv_rtt_update(struct tcp_ep *ep, uint64_t sample_us, bool win_dep)
{
	uint64_t old = ep->rcv_rtt_est.rtt_us, m = sample_us << 3;
	if (old == 0 || m < old) {
		ep->rcv_rtt_est.rtt_us = m;
		return;
	}
	if (win_dep)
		return;
	if (ep->rcv.len != 0)
		return; /* "Do not use this sample if receive queue is not empty" */
	ep->rcv_rtt_est.rtt_us = old - (old >> 3) + sample_us;
}

void tcp_rcv_rtt_measure(struct tcp_ep *ep, sim_time now, const struct tcp_seg *s)
{
	/* tcp_rcv_rtt_measure_ts(): a full segment's echoed timestamp, once per
	 * TSecr; the clock counts milliseconds */
	if (ep->ts_ok && (s->opt.present & TCP_OPT_TS) && s->opt.tsecr &&
	    s->opt.tsecr != ep->rcv_rtt_est.last_tsecr) {
		ep->rcv_rtt_est.last_tsecr = s->opt.tsecr;
		uint32_t delta = tcp_tsval(ep, now) - s->opt.tsecr;
		if (s->len >= ep->rcv_mss && delta > 0 && delta < INT32_MAX / 1000)
			rcv_rtt_update(ep, (uint64_t)delta * 1000, false);
	}
	/* tcp_rcv_rtt_measure() (tcp_event_data_recv()): the time a window's
	 * worth of data takes to arrive */
	if (ep->rcv_rtt_est.time != 0 && seq_lt(ep->rcv_nxt, ep->rcv_rtt_est.seq))
		return;
	if (ep->rcv_rtt_est.time != 0) {
		uint64_t us = (uint64_t)(now - ep->rcv_rtt_est.time) / SIM_US;
		rcv_rtt_update(ep, us ? us : 1, true);
	}
	ep->rcv_rtt_est.seq = ep->rcv_nxt + (ep->rcv_adv - ep->rcv_wup);
	ep->rcv_rtt_est.time = now ? now : 1; /* 0 means "no measure yet" */
}

/* tcp_rcvbuf_grow() (Linux 6.18): a buffer for twice what the reader took
 * in the last RTT ("DRS is always one RTT late"), plus the growth since
 * the round before, doubled ("slow start: allow the sender to double its
 * rate"), plus what waits out of order; the window clamp follows. */
static void rcvbuf_grow(struct tcp_ep *ep, uint32_t newval)
{
	uint32_t oldval = ep->rcvq_space.space;
	ep->rcvq_space.space = newval;
	const struct tcp_params *p = ep->p;
	if (p->rmem_max == 0 || p->rcvbuf_lock)
		return;
	uint64_t rcvwin = (uint64_t)newval << 1;
	rcvwin += (rcvwin * (newval - oldval) / (oldval ? oldval : 1)) << 1;
	for (const struct ooo_seg *o = ep->ooo; o; o = o->next)
		if (!o->next) /* ooo_last_skb */
			rcvwin += o->seq + o->len - ep->rcv_nxt;
	uint64_t rcvbuf = rcvwin * 2; /* tcp_space_from_win(), ratio 50 % */
	if (rcvbuf > p->rmem_max)
		rcvbuf = p->rmem_max;
	if (rcvbuf > ep->rcvbuf)
		ep->rcvbuf = (uint32_t)rcvbuf;
}

void tcp_rcv_space_adjust(struct tcp_ep *ep, sim_time now)
{
	uint64_t rtt_us = ep->rcv_rtt_est.rtt_us >> 3;
	if (rtt_us == 0 || (uint64_t)(now - ep->rcvq_space.time) < rtt_us * SIM_US)
		return;
	/* copied in the last RTT, less what still waits in the queue */
	int64_t copied = (int64_t)(uint32_t)(ep->copied_seq - ep->rcvq_space.seq) - ep->rcv.len;
	if (copied > (int64_t)ep->rcvq_space.space)
		rcvbuf_grow(ep, (uint32_t)copied);
	ep->rcvq_space.seq = ep->copied_seq;
	ep->rcvq_space.time = now;
}
