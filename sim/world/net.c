/*
 * The world of one run: hosts, links, apps and the events that join them.
 *
 * Event flow:
 *   an app calls a socket function -> the endpoint appends actions ->
 *   net_apply(): each segment to send is observed at the sender's interface,
 *   offered to the link, and becomes 0, 1 or 2 arrival events; each state
 *   change is recorded; a connection that reached CLOSED leaves its host's
 *   table (and is freed once no user holds it); every touched endpoint's
 *   timer event moves to its next deadline.
 *   An arrival is observed at the receiver's interface, handed to its host,
 *   and the resulting actions are applied the same way; then the host's app
 *   gets a chance to go on with a call that was waiting.
 */
#include <errno.h>
#include <string.h>
#include <glib.h>
#include "sim/engine/rng.h"
#include "sim/world/net_int.h"
#include "sim/world/sockdiag.h"
#include "models/seq.h"

const char *net_role_name(enum net_role r)
{
	return r == NET_CLIENT ? "client" : "server";
}

const char *net_errno_name(int err)
{
	if (err == 0)
		return "ok";
	const char *name = script_const_name("errno", err);
	return name ? name : "EIO";
}

static enum net_role other(enum net_role r) { return r == NET_CLIENT ? NET_SERVER : NET_CLIENT; }

void net_record_error(struct net *n, enum net_role r, int err)
{
	/* the errors a program expects on its way: not its result */
	bool expected = err == EINPROGRESS || err == EAGAIN || err == EALREADY || err == EINTR;
	if (err && !expected && n->role[r].result == 0)
		n->role[r].result = err;
}

/* --- packets --- */

/* Adds to its host's totals what a connection's endpoint counted: fast
 * recoveries, D-SACKs, waits for the interface (TSQ).  Once for each
 * connection: when it is freed or, if it is still alive, at the end of
 * the run (no totals are read before). */
static void count_conn(struct net *n, const struct conn *c)
{
	struct net_role_stats *st = &n->role[c->host->role];
	struct tcp_ep_counts k;
	tcp_ep_counts(c->ep, &k);
	st->recoveries += k.recoveries;
	st->dsacks += k.dsacks;
	st->tsq_waits += k.tsq_waits;
}

static void pkt_arrive(struct sim_queue *q, struct sim_event *ev);

static struct pkt *pkt_new(struct net *n, enum net_role to)
{
	/* the payload is copied in before anything reads it */
	struct pkt *p = sim_pool_get_head(&n->pkts, offsetof(struct pkt, data));
	sim_event_init(&p->ev, pkt_arrive, p);
	p->net = n;
	p->to = to;
	return p;
}

/* Drops one reference to a flow and tells the observer when it was the last. */
static void release_flow(struct net *n, struct flow_pair *f)
{
	if (!n->obs.flow_gone) { /* nobody to tell: no id or tuple to keep */
		flow_unref(&n->flows, f, &n->stats);
		return;
	}
	uint64_t id = f ? f->id : 0;
	struct net_tuple t = f ? f->tuple : (struct net_tuple){0};
	if (flow_unref(&n->flows, f, &n->stats) && n->obs.flow_gone)
		n->obs.flow_gone(n->obs.ctx, id, &t);
}

static void pkt_release(struct net *n, struct pkt *p)
{
	release_flow(n, p->flows);
	if (p->big) /* rare: an injected payload above the pool's size */
		g_free(p->big);
	sim_pool_put(&n->pkts, p);
}

static uint32_t wire_bytes(const struct packet_view *pv)
{
	return 20 + 20 + tcp_opts_len(&pv->tcp.opt) + pv->tcp.len; /* IPv4 + TCP */
}

static void count_retransmission(struct net_role_stats *st, const struct tcp_seg *s)
{
	if (s->flags & TCP_SYN)
		st->rtx_syn++;
	else if (s->len == 0 && (s->flags & TCP_FIN))
		st->rtx_fin++;
	else
		st->rtx_data++;
}

/* Does the segment acknowledge the FIN its receiver sent? */
static bool acks_peer_fin(struct net *n, enum net_role from, const struct tcp_seg *s)
{
	if (!(s->flags & TCP_ACK))
		return false;
	struct conn_key k = {.laddr = s->daddr, .raddr = s->saddr, .lport = s->dport,
	                     .rport = s->sport};
	struct conn *peer = host_lookup(&n->hosts[other(from)], &k);
	uint32_t fin_seq;
	return peer && tcp_ep_fin_sent(peer->ep, &fin_seq) && seq_gt(s->ack, fin_seq);
}

/* The first [faults] entry whose n-th match this segment is; every
 * matching entry counts it. */
static const struct fault *pick_fault(struct net *n, enum net_role from, const struct tcp_seg *s)
{
	if (n->spec.n_faults == 0)
		return NULL;
	struct fault_facts x = {.sender = from, .acks_peer_fin = acks_peer_fin(n, from, s),
	                        .now = n->q->now};
	const struct fault *chosen = NULL;
	for (uint32_t i = 0; i < n->spec.n_faults; i++) {
		const struct fault *f = &n->spec.faults[i];
		if (!fault_matches(f, s, &x))
			continue;
		uint64_t k = ++n->fault_seen[i];
		if (!chosen && k >= f->first && k <= f->last)
			chosen = f;
	}
	return chosen;
}

/* The link decided; a fault overrides it (after the link drew its random
 * numbers, so the rest of the run matches the same run without the fault). */
static void apply_fault(const struct fault *f, struct link_verdict *v)
{
	switch (f->action) {
	case FAULT_DROP:
		v->drop = LINK_DROP_FAULT;
		v->copies = 0;
		break;
	case FAULT_DELAY:
		for (uint32_t i = 0; i < v->copies; i++)
			v->deliver_at[i] += f->delay;
		break;
	case FAULT_DUPLICATE:
		if (v->copies == 1) {
			v->copies = 2;
			v->deliver_at[1] = v->deliver_at[0];
		}
		break;
	case FAULT_KILL: /* never matches a segment: an event of its own */
		break;
	}
}

/* A router on the path answers with ICMP destination unreachable (RFC 792),
 * quoting the segment's IP header and first 8 bytes of TCP header.  It sits
 * `delay` away: the answer is back after twice that. */
static void router_answers(struct net *n, enum net_role from, const struct pkt *p)
{
	const struct link_params *lp = &n->spec.link[from];
	struct pkt *icmp = pkt_new(n, from);
	icmp->pv = p->pv;
	icmp->pv.kind = PACKET_ICMP_UNREACH;
	icmp->pv.icmp_src = lp->router;
	icmp->pv.icmp_code = lp->unreachable == LINK_NET_UNREACHABLE ? 0 : 1;
	icmp->pv.tcp.len = 0;
	icmp->pv.tcp.payload = NULL;
	sim_queue_schedule(n->q, &icmp->ev, n->q->now + 2 * lp->delay);
}

/* The IP options of what host `from` sends for no connection: its own,
 * or under FreeBSD's lookup those of a socket bound to the port (see
 * tcp_params' bound_socket_resets). */
static const struct tcp_params *ctl_params(struct net *n, enum net_role from, const struct tcp_seg *s)
{
	const struct tcp_params *host = n->spec.ep[from].tcp;
	const struct tcp_params *bound = host->bound_socket_resets && (s->flags & TCP_RST) ?
	                                 app_bound_params(&n->apps[from], s->sport) : NULL;
	return bound ? bound : host;
}

/* The packet of a segment host `from` sends for connection c (NULL: a
 * host-made reset). */
static struct pkt *pkt_of_act(struct net *n, enum net_role from, const struct tcp_act *a,
                              struct conn *c)
{
	struct pkt *p = pkt_new(n, other(from));
	p->pv.kind = PACKET_TCP;
	/* ip_select_ident(): what Linux sends without the connection's own
	 * socket (DF, no inet_daddr) has ID 0; the rest counts per host */
	p->pv.ip_id = a->ctl_sock ? 0 : n->ip_id[from]++;
	p->pair_id = n->pair_id[from]++;
	/* the connection's own IP_TTL and IP_TOS; the host's for what no
	 * connection sends (a reset for no socket) */
	const struct tcp_params *tp = a->ep ? tcp_ep_params(a->ep) : ctl_params(n, from, &a->seg);
	p->pv.ttl = (uint8_t)tp->ttl;
	p->pv.tos = tp->tos;
	p->pv.tcp = a->seg;
	g_assert(a->seg.len <= n->max_payload);
	if (a->seg.len)
		memcpy(p->data, a->seg.payload, a->seg.len);
	p->pv.tcp.payload = p->data;
	p->flows = c ? flow_ref(c->flows) : NULL;
	p->retransmission = a->retransmission;
	p->why = a->why;
	p->conn_id = c ? c->id : 0;
	return p;
}

/* What the network does with a packet that leaves the sender's interface
 * (route ROUTE_PEER or ROUTE_GATEWAY): the router's ICMP answer when
 * [network] unreachable is set; else the link's verdict and a targeted
 * fault for the other host, a black hole beyond the router.  Returns the
 * fault applied, if any. */
static const struct fault *network_verdict(struct net *n, enum net_role from, enum route route,
                                           struct pkt *p, struct link_verdict *v)
{
	*v = (struct link_verdict){.drop = LINK_DROP_UNREACHABLE};
	if (n->spec.link[from].unreachable != LINK_REACHABLE)
		return NULL;
	if (route == ROUTE_GATEWAY) {
		v->drop = LINK_DROP_BLACK_HOLE;
		return NULL;
	}
	link_offer(&n->links[from], n->q->now, wire_bytes(&p->pv), v);
	const struct fault *fault = pick_fault(n, from, &p->pv.tcp);
	if (fault)
		apply_fault(fault, v);
	return fault;
}

static void count_sent(struct net *n, enum net_role from, const struct tcp_act *a)
{
	struct net_role_stats *st = &n->role[from];
	st->segments_sent++;
	if (a->retransmission) {
		count_retransmission(st, &a->seg);
		st->rtx_bytes += a->seg.len;
	}
	st->rtos += a->why == TCP_SEND_RTO;
	st->probes += a->why == TCP_SEND_PROBE;
	st->fast_rtx += a->why == TCP_SEND_FAST;
	n->stats.sent++;
}

static void observe_departure(struct net *n, enum net_role from, const struct tcp_act *a,
                              const struct pkt *p, const struct link_verdict *v, const struct fault *fault)
{
	enum link_drop fate = v->drop;
	if (!n->obs.packet)
		return;
	struct net_packet_event e = {
		.t = n->q->now, .at = from, .outgoing = true, .pv = &p->pv,
		.conn_id = p->conn_id, .flow_id = p->flows ? p->flows->id : 0,
		.why = a->why, .retransmission = a->retransmission,
		.fate = fate, .rto = a->ep ? tcp_ep_rto(a->ep) : 0,
		.fault = fault ? fault->name : NULL, .pair_id = p->pair_id,
		.corrupted = v->drop == LINK_DELIVER && v->corrupted,
	};
	n->obs.packet(n->obs.ctx, &e);
}

/* netem_enqueue() flips one bit of the packet's head: here a bit of the
 * TCP header, options or payload (the byte get_random_u32_below() of the
 * segment's length, the bit the verdict drew), so that what arrives fails
 * the TCP checksum.  netem may hit the Ethernet or IP header as well; those
 * packets die too (ip_rcv_core()'s header checksum), but not on the TCP
 * checksum this models.  Set after the sender's interface saw the packet
 * intact; the duplicate, cloned before, stays intact. */
static void corrupt_bit_of(struct pkt *p, const struct link_verdict *v)
{
	uint32_t tcp_len = 20 + tcp_opts_len(&p->pv.tcp.opt) + p->pv.tcp.len;
	uint32_t byte = (uint32_t)(((uint64_t)v->corrupt_where * tcp_len) >> 32);
	p->pv.corrupt_bit = 1 + byte * 8 + v->corrupt_bit;
}

/* The queue's lane of the arrivals at host `to`: a link delivers in the
 * order it sends, but for jitter, reordering or a duplicate's delay. */
static uint32_t arrival_lane(enum net_role to)
{
	G_STATIC_ASSERT(SIM_LANE_ANY + NET_ROLES < SIM_QUEUE_LANES);
	return SIM_LANE_ANY + 1 + (uint32_t)to;
}

/* The link delivers the packet (and its duplicate) at the verdict's times. */
static void schedule_arrivals(struct net *n, struct pkt *p, const struct link_verdict *v)
{
	p->reordered = v->reordered;
	n->stats.reordered += v->reordered;
	if (v->copies == 2) {
		struct pkt *dup = pkt_new(n, p->to);
		dup->pv = p->pv;
		dup->pv.corrupt_bit = 0;
		memcpy(dup->data, p->data, p->pv.tcp.len);
		dup->pv.tcp.payload = dup->data;
		dup->flows = flow_ref(p->flows);
		dup->duplicate = true;
		dup->retransmission = p->retransmission;
		dup->why = p->why;
		dup->conn_id = p->conn_id;
		dup->pair_id = p->pair_id;
		n->stats.duplicated++;
		sim_queue_schedule_in(n->q, &dup->ev, v->deliver_at[1], arrival_lane(p->to));
	}
	sim_queue_schedule_in(n->q, &p->ev, v->deliver_at[0], arrival_lane(p->to));
}

/* A segment leaves host `from`'s TCP, routed (route.c): to the link, to
 * the ARP queue of a neighbour that does not exist (never on the wire),
 * or to the router.  Observed as it goes, with what will become of it. */
static void transmit(struct net *n, enum net_role from, const struct tcp_act *a, struct conn *c)
{
	struct pkt *p = pkt_of_act(n, from, a, c);
	enum route route = route_of(n, from, p->pv.tcp.daddr);
	struct link_verdict v = {.drop = LINK_DROP_UNRESOLVED};
	const struct fault *fault = NULL;
	if (route != ROUTE_ON_LINK)
		fault = network_verdict(n, from, route, p, &v);
	/* TCP small queues hear when the interface is done with it (0: it
	 * never reached the link's queue) */
	if (a->ep && a->seg.len > 0)
		tcp_ep_tx_done_at(a->ep, n->q->now, v.tx_done, a->seg.len);
	count_sent(n, from, a);
	observe_departure(n, from, a, p, &v, fault);
	if (route == ROUTE_ON_LINK) {
		neigh_output(&n->neigh[from], p->pv.tcp.daddr, p);
		return;
	}
	if (v.drop == LINK_DROP_UNREACHABLE)
		router_answers(n, from, p);
	if (v.drop != LINK_DELIVER) {
		n->stats.dropped++;
		n->stats.black_holed += v.drop == LINK_DROP_BLACK_HOLE;
		pkt_release(n, p);
		return;
	}
	if (v.corrupted)
		corrupt_bit_of(p, &v);
	schedule_arrivals(n, p, &v);
}

/* --- ARP (the world's side of neigh.c) --- */

/* arp_solicit(): a broadcast "who has target? tell <the host>".  Every
 * host of the asker's subnet receives it: the other host too when it is
 * on that subnet, `delay` later (a frame of the LAN, not offered to the
 * link's law: no loss, jitter, queue or fault), and ignores it. */
void net_arp_solicit(struct net *n, enum net_role r, uint32_t target)
{
	const struct packet_view pv = {.kind = PACKET_ARP, .arp_sender = n->spec.ep[r].addr,
	                               .arp_target = target};
	n->stats.arp_requests++;
	if (n->obs.packet) {
		struct net_packet_event e = {.t = n->q->now, .at = r, .outgoing = true, .pv = &pv};
		n->obs.packet(n->obs.ctx, &e);
	}
	if (!route_on_subnet(&n->spec.ep[r], n->spec.ep[other(r)].addr))
		return;
	struct pkt *p = pkt_new(n, other(r));
	p->pv = pv;
	sim_queue_schedule(n->q, &p->ev, n->q->now + n->spec.link[r].delay);
}

void net_neigh_discard(struct net *n, struct pkt *p)
{
	n->stats.dropped++;
	n->stats.unresolved++;
	pkt_release(n, p);
}

static void wake_app(struct net *n, enum net_role r);

/* The neighbour failed (neigh.c): each waiting packet is dropped with
 * Linux's arp_error_report() -> ipv4_link_failure(), which sends the host
 * itself an ICMP host unreachable about it (over loopback: no capture sees
 * it).  tcp_v4_err() ends a connection in SYN_SENT (or SYN_RCVD) with
 * EHOSTUNREACH and keeps it as a soft error in the other states; the
 * reports after the first find the connection gone. */
void net_neigh_failed(struct net *n, enum net_role r, GQueue *pkts)
{
	struct pkt *p;
	while ((p = g_queue_pop_head(pkts)) != NULL) {
		struct conn *c = host_icmp_lookup(&n->hosts[r], &p->pv.tcp);
		if (c) {
			tcp_ep_icmp_unreachable(c->ep, n->q->now, EHOSTUNREACH, &n->acts);
			net_apply(n, r, c);
		}
		net_neigh_discard(n, p);
	}
	wake_app(n, r);
}

/* --- connections --- */

static void conn_timer_fired(struct sim_queue *q, struct sim_event *ev);

/* A broken model invariant: say which run it was before the abort. */
static void invariant_violated(void *ctx, const struct tcp_ep *ep, const char *what)
{
	const struct net *n = ctx;
	struct tcp_ep_view v;
	tcp_ep_view(ep, &v);
	g_printerr("tcpsim: TCP invariant violated at t=%.9f s: %s (%s, %u.%u.%u.%u:%u -> %u.%u.%u.%u:%u)\n"
	           "tcpsim: replay: tcpsim %s (seed %llu, run %llu)\n",
	           sim_time_to_sec(n->q->now), what, tcp_state_name(v.state), v.laddr >> 24,
	           (v.laddr >> 16) & 255, (v.laddr >> 8) & 255, v.laddr & 255, v.lport, v.raddr >> 24,
	           (v.raddr >> 16) & 255, (v.raddr >> 8) & 255, v.raddr & 255, v.rport,
	           n->spec.replay ? n->spec.replay : "?", (unsigned long long)n->spec.seed,
	           (unsigned long long)n->spec.run);
	g_error("tcp invariant violated in %s: %s", tcp_state_name(v.state), what);
}

static void sync_timer(struct net *n, struct conn *c)
{
	sim_time next = tcp_ep_next_deadline(c->ep);
	if (next == SIM_NEVER)
		sim_queue_cancel(n->q, conn_timer(c));
	else if (!sim_event_pending(conn_timer(c)) || conn_timer(c)->at != next)
		sim_queue_schedule(n->q, conn_timer(c), next < n->q->now ? n->q->now : next);
}

/* An array of n records with room for one more (n < NET_MAX_RECORDS):
 * records itself, or grown by doubling up to NET_MAX_RECORDS. */
static void *record_room(void *records, uint32_t n, uint32_t *cap, size_t size)
{
	if (n == *cap) {
		*cap = *cap ? MIN(2 * *cap, NET_MAX_RECORDS) : 16;
		records = g_realloc_n(records, *cap, size);
	}
	return records;
}

/* Connections of the endpoint in TIME_WAIT: every transition passes
 * through record_state(), the timer's end (net_end_time_wait()), a reuse
 * by a new SYN, a kill or a crash included.  A restarted TIME_WAIT (a
 * retransmitted FIN: tcp_timewait_state_process() re-arms the timer) is
 * no new entry. */
static void count_time_wait(struct net_role_stats *st, const struct tcp_act *a)
{
	if (a->from == a->to)
		return;
	if (a->to == TCP_TIME_WAIT && ++st->time_wait > st->time_wait_peak)
		st->time_wait_peak = st->time_wait;
	if (a->from == TCP_TIME_WAIT && st->time_wait > 0)
		st->time_wait--;
}

static void record_state(struct net *n, enum net_role r, struct conn *c, const struct tcp_act *a)
{
	struct net_role_stats *st = &n->role[r];
	count_time_wait(st, a);
	if (c->id >= st->final_conn) {
		st->final_conn = c->id;
		st->final_state = a->to;
	}
	if (st->n_states < NET_MAX_RECORDS) {
		st->states = record_room(st->states, st->n_states, &st->states_cap, sizeof *st->states);
		st->states[st->n_states++] = (struct net_state_record){n->q->now, c->id, a->to};
	} else {
		st->states_dropped++;
	}
	if (n->obs.state) {
		struct net_state_event e = {n->q->now, r, c->id, a->from, a->to, a->err};
		n->obs.state(n->obs.ctx, &e);
	}
}

/* Puts a connection on the list freed after the current actions; once. */
static void mark_dead(struct net *n, struct conn *c)
{
	if (c->dying)
		return;
	c->dying = true;
	g_ptr_array_add(n->dead, c);
}

static void conn_closed(struct net *n, enum net_role r, struct conn *c, int err)
{
	c->err = err;
	c->graceful = err == 0;
	/* An established child reset while it waits in the accept queue stays
	 * there, closed: Linux's inet_csk_accept() does not look at the state,
	 * so accept() returns it and the program's first call on it reports
	 * the error.  Until then the error is nobody's result; a child reset
	 * in SYN_RCVD never reaches the queue and no program ever hears of it. */
	if (c->ready_link.data) {
		host_unhash(&n->hosts[r], c);
		return;
	}
	if (c->user_seen)
		net_record_error(n, r, err);
	host_unlink(&n->hosts[r], c);
	if (!c->user_owned || c->abandoned)
		mark_dead(n, c);
}

static void apply_state(struct net *n, enum net_role r, const struct tcp_act *a, struct conn *c)
{
	g_assert(c != NULL); /* a state change is always an endpoint's own */
	if (a->from == TCP_CLOSED && c->flows == NULL) {
		c->flows = flow_new(&n->flows);
		c->flows->tuple = (struct net_tuple){c->key.laddr, c->key.raddr, c->key.lport,
		                                     c->key.rport};
	}
	record_state(n, r, c, a);
	if (a->from == TCP_SYN_RCVD && a->to != TCP_CLOSED && c->parent) {
		c->parent->half_open--;
		c->ready_link.data = c; /* accept() may take it now */
		g_queue_push_tail_link(&c->parent->ready, &c->ready_link);
	}
	if (a->to == TCP_CLOSED)
		conn_closed(n, r, c, a->err);
}

static void free_dead(struct net *n)
{
	if (n->dead->len == 0) /* after nearly every action: no call into glib then */
		return;
	for (guint i = 0; i < n->dead->len; i++) {
		struct conn *c = g_ptr_array_index(n->dead, i);
		sim_queue_cancel(n->q, conn_timer(c));
		for (int r = 0; r < NET_ROLES; r++)
			app_forget_conn(&n->apps[r], c);
		release_flow(n, c->flows);
		count_conn(n, c);
		conn_free(c);
	}
	g_ptr_array_set_size(n->dead, 0);
}

/* Applies the actions the models appended, then moves the timer event of
 * every endpoint they concern (usually one: `touched`) to its deadline. */
void net_apply(struct net *n, enum net_role r, struct conn *touched)
{
	struct conn *synced = touched;
	for (uint32_t i = 0; i < n->acts.n; i++) {
		const struct tcp_act *a = &n->acts.v[i];
		/* its connection (the owner is set once, at conn_new(), and freed
		 * only by free_dead() below) */
		struct conn *c = a->ep ? tcp_ep_owner(a->ep) : NULL;
		if (a->kind == TCP_ACT_SEND)
			transmit(n, r, a, c);
		else
			apply_state(n, r, a, c);
		if (c && c != synced)
			sync_timer(n, c); /* another endpoint: rare */
	}
	n->acts.n = 0;
	if (touched)
		sync_timer(n, touched);
	free_dead(n);
}

static void wake_app(struct net *n, enum net_role r)
{
	if (!n->apps[r].done)
		app_run(&n->apps[r]);
}

static void conn_born(struct conn *c, void *owner)
{
	struct net *n = owner;
	sim_event_init(conn_timer(c), conn_timer_fired, c);
	/* an interface that queues (a bandwidth) tells TCP small queues of
	 * each packet's TX completion (transmit()) */
	if (n->links[c->host->role].p.bandwidth > 0)
		tcp_ep_tsq_enable(c->ep);
}

/* A listener's child answers its SYN with its socket's parameters (its
 * receive buffer, window scale, MSS...), as Linux's clone of the listener
 * does; the copy is the connection's own. */
static void child_params(struct conn *c, const struct tcp_params *p, void *owner)
{
	struct net *n = owner;
	struct tcp_params *own = conn_params_next(c);
	*own = *p;
	tcp_ep_set_params(c->ep, own, n->q->now, &n->acts);
}

static void conn_timer_fired(struct sim_queue *q, struct sim_event *ev)
{
	(void)q;
	struct conn *c = ev->ctx;
	struct net *n = c->host->owner;
	enum net_role r = (enum net_role)c->host->role;
	/* A timer that ends a TIME_WAIT (in a run of many connections, most
	 * of those that fire) finds the connection untouched for 2*MSL: its
	 * endpoint and streams are read and cleared now, a dozen lines each a
	 * miss to memory one after another unless asked for together.  For
	 * a connection in use the hint costs a few instructions. */
	tcp_ep_prefetch(c->ep);
	if (c->flows)
		flow_prefetch(c->flows);
	tcp_ep_on_timer(c->ep, n->q->now, &n->acts);
	net_apply(n, r, c);
	wake_app(n, r);
}

static void observe_arrival(struct net *n, const struct pkt *p)
{
	if (!n->obs.packet)
		return;
	struct net_packet_event e = {
		.t = n->q->now, .at = p->to, .outgoing = false, .pv = &p->pv,
		.conn_id = p->conn_id, .flow_id = p->flows ? p->flows->id : 0,
		.why = p->why, .retransmission = p->retransmission,
		.duplicate = p->duplicate, .reordered = p->reordered, .pair_id = p->pair_id,
	};
	n->obs.packet(n->obs.ctx, &e);
}

/* The sending state of the connection that just took seg, if it carries
 * an ACK and the connection is synchronized (a SYN-ACK taken in SYN_SENT
 * counts: it is the first ACK); before net_apply() sends what it allows. */
static void observe_ack(struct net *n, enum net_role r, const struct conn *c,
                        const struct tcp_seg *seg)
{
	if (!n->obs.ack || !c || !(seg->flags & TCP_ACK))
		return;
	struct tcp_ep_view v;
	tcp_ep_view(c->ep, &v);
	if (v.state == TCP_CLOSED || v.state == TCP_LISTEN || v.state == TCP_SYN_SENT ||
	    v.state == TCP_SYN_RCVD)
		return;
	struct net_ack_event e = {
		.t = n->q->now, .role = r, .conn_id = c->id, .flow_id = c->flows ? c->flows->id : 0,
		.ack = seg->ack, .snd_una = v.snd_una, .cwnd = v.cwnd, .ssthresh = v.ssthresh,
		.mss = v.snd_mss, .in_flight = v.snd_nxt - v.snd_una, .pipe = v.pipe,
		.sacked = v.sacked, .recovery = v.in_recovery, .srtt = v.srtt, .rto = v.rto,
	};
	n->obs.ack(n->obs.ctx, &e);
}

/* ICMP destination unreachable (RFC 792), about the segment it quotes. */
static void icmp_arrive(struct net *n, enum net_role r, struct pkt *p)
{
	struct conn *c = host_icmp_lookup(&n->hosts[r], &p->pv.tcp);
	if (c) {
		tcp_ep_icmp_error(c->ep, n->q->now, p->pv.icmp_time_exceeded, p->pv.icmp_code, p->pv.tcp.seq,
		                  &n->acts);
		net_apply(n, r, c);
	}
	pkt_release(n, p);
	wake_app(n, r);
}

static void pkt_arrive(struct sim_queue *q, struct sim_event *ev)
{
	(void)q;
	struct pkt *p = ev->ctx;
	struct net *n = p->net;
	enum net_role r = p->to;
	struct host *h = &n->hosts[r];
	if (p->pv.kind == PACKET_ARP) { /* a request for an address it does not own: ignored */
		if (!h->down)
			observe_arrival(n, p);
		pkt_release(n, p);
		return;
	}
	if (n->spec.ep[r].scripted) { /* the script plays this host: it only looks */
		observe_arrival(n, p);
		pkt_release(n, p);
		return;
	}
	if (h->down) { /* a crashed host: the packet vanishes, nothing answers */
		n->stats.dropped++;
		pkt_release(n, p);
		return;
	}
	observe_arrival(n, p);
	if (p->pv.corrupt_bit) { /* tcp_v4_rcv(): tcp_checksum_complete() fails, csum_error */
		n->stats.corrupted++;
		pkt_release(n, p);
		return;
	}
	if (p->pv.kind == PACKET_ICMP_UNREACH) {
		icmp_arrive(n, r, p);
		return;
	}
	n->stats.delivered++;
	struct conn *c = NULL, *displaced = NULL;
	host_input(h, n->q->now, &p->pv.tcp, &n->acts, &c, &displaced);
	if (displaced) { /* a new SYN reopened a TIME_WAIT connection */
		net_end_time_wait(n, r, displaced);
		host_input(h, n->q->now, &p->pv.tcp, &n->acts, &c, &displaced);
	}
	if (c && c->flows == NULL && p->flows)
		c->flows = flow_ref(p->flows); /* a child shares its client's streams */
	if (n->obs.ack) /* an output follows the ACKs */
		observe_ack(n, r, c, &p->pv.tcp);
	net_apply(n, r, c);
	pkt_release(n, p);
	wake_app(n, r);
}

void net_end_time_wait(struct net *n, enum net_role r, struct conn *c)
{
	struct tcp_act a = {.kind = TCP_ACT_STATE, .ep = c->ep, .from = TCP_TIME_WAIT, .to = TCP_CLOSED};
	record_state(n, r, c, &a);
	conn_closed(n, r, c, 0);
	mark_dead(n, c); /* gone, even if a program still held it */
	free_dead(n);
}

/* --- the world --- */

/* The streams of netem's laws: new names, so that every stream a link
 * without them draws from is the same as before they existed. */
static void init_link_netem(struct net *n, enum net_role r, uint64_t seed, uint64_t run)
{
	static const char *const dir[NET_ROLES] = {"client_to_server", "server_to_client"};
	static const char *const law[5] = {"loss_model", "delay_correlation", "reorder_correlation",
	                                   "duplicate_correlation", "corrupt"};
	gsl_rng *s[5];
	for (size_t i = 0; i < 5; i++) {
		char *name = g_strdup_printf("%s.%s", dir[r], law[i]);
		s[i] = rng_stream_new(seed, run, name);
		g_free(name);
	}
	link_init_netem(&n->links[r], &(struct link_netem_streams){.loss_model = s[0], .delay_cor = s[1],
	                                                           .reorder_cor = s[2], .dup_cor = s[3],
	                                                           .corrupt = s[4]});
}

static void init_link(struct net *n, enum net_role r, uint64_t seed, uint64_t run)
{
	static const char *const names[NET_ROLES][4] = {
		{"client_to_server.loss", "client_to_server.delay", "client_to_server.reorder",
		 "client_to_server.duplicate"},
		{"server_to_client.loss", "server_to_client.delay", "server_to_client.reorder",
		 "server_to_client.duplicate"},
	};
	link_init(&n->links[r], &n->spec.link[r], rng_stream_new(seed, run, names[r][0]),
	          rng_stream_new(seed, run, names[r][1]), rng_stream_new(seed, run, names[r][2]),
	          rng_stream_new(seed, run, names[r][3]));
	init_link_netem(n, r, seed, run);
}

/* A machine's jiffies counter is at no particular phase when a run
 * starts: unless the config sets `uptime`, each host's is drawn from the
 * seed, up to 2^24 jiffies (the granularity of the wheel's deepest level
 * a TCP timer reaches), from a stream of its own so that no other draw
 * moves. */
sim_time net_host_uptime(const struct tcp_params *p, uint64_t seed, uint64_t run, enum net_role r)
{
	if (p->uptime != TCP_UPTIME_FROM_SEED)
		return p->uptime;
	static const char *const clock_stream[NET_ROLES] = {"client.clock", "server.clock"};
	gsl_rng *rng = rng_stream_new(seed, run, clock_stream[r]);
	sim_time uptime = (sim_time)(gsl_rng_uniform(rng) * (double)(1u << 24) / p->hz * SIM_SEC);
	gsl_rng_free(rng);
	return uptime;
}

struct net *net_new(const struct net_spec *spec, struct sim_queue *q,
                    const struct net_observer *obs)
{
	struct net *n = g_new0(struct net, 1);
	n->q = q;
	n->spec = *spec;
	if (obs)
		n->obs = *obs;
	n->call_text = n->obs.call != NULL;
	tcp_acts_init(&n->acts);
	n->dead = g_ptr_array_new();
	static const char *const host_stream[NET_ROLES] = {"client.host", "server.host"};
	static const char *const app_stream[NET_ROLES] = {"client.app", "server.app"};
	for (int r = 0; r < NET_ROLES; r++) {
		const struct net_endpoint_spec *e = &spec->ep[r];
		n->tcp[r] = *e->tcp;
		n->tcp[r].uptime = net_host_uptime(e->tcp, spec->seed, spec->run, (enum net_role)r);
		host_init(&n->hosts[r], e->addr, &n->tcp[r], rng_stream_new(spec->seed, spec->run, host_stream[r]),
		          e->ports[0], e->ports[1]);
		n->hosts[r].owner = n;
		n->hosts[r].conn_size = sizeof(struct world_conn);
		n->hosts[r].conn_born = conn_born;
		n->hosts[r].child_params = child_params;
		n->hosts[r].violation = invariant_violated;
		n->hosts[r].role = r;
		init_link(n, (enum net_role)r, spec->seed, spec->run);
		neigh_init(&n->neigh[r], n, (enum net_role)r);
		if (e->tcp->mss > n->max_payload)
			n->max_payload = e->tcp->mss;
		n->role[r].final_state = TCP_CLOSED;
	}
	for (int r = 0; r < NET_ROLES; r++)
		app_init(&n->apps[r], n, (enum net_role)r,
		         rng_stream_new(spec->seed, spec->run, app_stream[r]));
	sim_pool_init(&n->pkts, sizeof(struct pkt) + n->max_payload);
	n->fault_seen = g_new0(uint64_t, spec->n_faults + 1);
	return n;
}

/* A [faults] kill entry's time: every connection of its endpoint is
 * killed from outside (sockdiag.c), and the moment is logged with the
 * program's calls, as a crash is, so that the summary and the trace show
 * it. */
static void fault_kill_fired(struct sim_queue *q, struct sim_event *ev)
{
	(void)q;
	struct fault_kill *k = ev->ctx;
	struct net *n = k->net;
	enum net_role r = (enum net_role)k->f->sender;
	GString *what = n->call_text ? g_string_new(NULL) : NULL;
	unsigned killed = sockdiag_kill_all(n, r, what);
	char *text = NULL;
	if (what)
		text = killed ? g_strdup_printf("[faults] %s: ss -K killed %s", k->f->name, what->str)
		              : g_strdup_printf("[faults] %s: ss -K found no connection", k->f->name);
	net_log_call(n, r, "kill", killed, 0, 0, false, text, NULL); /* before what the program makes of it */
	g_free(text);
	if (what)
		g_string_free(what, TRUE);
	wake_app(n, r);
}

/* The world schedules the [faults] kill entries when it starts: the model
 * only says what a kill does (tcp_ep_drop()). */
static void schedule_kills(struct net *n)
{
	for (uint32_t i = 0; i < n->spec.n_faults; i++)
		n->n_kills += n->spec.faults[i].action == FAULT_KILL;
	if (n->n_kills == 0)
		return;
	n->kills = g_new0(struct fault_kill, n->n_kills);
	uint32_t k = 0;
	for (uint32_t i = 0; i < n->spec.n_faults; i++) {
		const struct fault *f = &n->spec.faults[i];
		if (f->action != FAULT_KILL)
			continue;
		n->kills[k] = (struct fault_kill){.net = n, .f = f};
		sim_event_init(&n->kills[k].ev, fault_kill_fired, &n->kills[k]);
		sim_queue_schedule(n->q, &n->kills[k].ev, f->at);
		k++;
	}
}

void net_start(struct net *n)
{
	/* The server's program starts first, so it listens before the client
	 * connects at the same instant.  A scripted host has no program, and
	 * a driven one starts when its driver says. */
	for (int r = NET_ROLES - 1; r >= 0; r--)
		if (!n->spec.ep[r].scripted && !n->spec.ep[r].driven)
			app_schedule_start(&n->apps[r]);
	schedule_kills(n);
}

struct app *net_app(struct net *n, enum net_role r)
{
	return &n->apps[r];
}

struct tcp_params *net_host_params(struct net *n, enum net_role r)
{
	return &n->tcp[r];
}

void net_inject(struct net *n, enum net_role to, const struct packet_view *pv)
{
	struct pkt *p = pkt_new(n, to);
	p->pv = *pv;
	/* a script may inject more than an MSS at once (a receiver's GRO
	 * aggregate, `< P. 1:2001(2000)`): such a payload has its own buffer */
	uint8_t *room = pv->tcp.len <= n->max_payload ? p->data : (p->big = g_malloc(pv->tcp.len));
	if (pv->tcp.len)
		memcpy(room, pv->tcp.payload, pv->tcp.len);
	p->pv.tcp.payload = room;
	n->stats.sent++;
	sim_queue_schedule(n->q, &p->ev, n->q->now);
}

void net_close_listener(struct net *n, enum net_role r, struct listener *l)
{
	GPtrArray *closed = g_ptr_array_new();
	host_close_listener(&n->hosts[r], l, n->q->now, &n->acts, closed);
	for (guint i = 0; i < closed->len; i++)
		mark_dead(n, g_ptr_array_index(closed, i));
	g_ptr_array_free(closed, TRUE);
	net_apply(n, r, NULL);
}

void net_release_conn(struct net *n, struct conn *c)
{
	c->user_owned = false;
	if (!c->in_table) { /* already CLOSED: nothing keeps it */
		mark_dead(n, c);
		free_dead(n);
	}
}

/* A crash: every connection of the host vanishes without a packet.  The
 * summary records each as CLOSED at that moment (no TCP transition made
 * it: the state simply no longer exists). */
void net_crash_host(struct net *n, enum net_role r)
{
	guint before = n->dead->len;
	neigh_flush(&n->neigh[r]);
	host_crash(&n->hosts[r], n->dead);
	for (guint i = before; i < n->dead->len; i++) {
		struct conn *c = g_ptr_array_index(n->dead, i);
		struct tcp_act a = {.kind = TCP_ACT_STATE, .ep = c->ep,
		                    .from = tcp_ep_state(c->ep), .to = TCP_CLOSED};
		if (a.from != TCP_CLOSED)
			record_state(n, r, c, &a);
	}
	free_dead(n);
}

void net_finish(struct net *n)
{
	struct net_stats live = n->stats; /* flows still alive are judged as they stand */
	flow_judge_live(&n->flows, &live);
	n->stats.corrupted_bytes = live.corrupted_bytes;
	n->stats.short_streams = live.short_streams;
	n->stats.data_intact = live.corrupted_bytes == 0 && live.short_streams == 0;
	for (int r = 0; r < NET_ROLES; r++) /* every connection not freed (free_dead() counted those) */
		for (guint i = 0; i < n->hosts[r].all_conns->len; i++) {
			struct conn *c = g_ptr_array_index(n->hosts[r].all_conns, i);
			if (!c->dying)
				count_conn(n, c);
		}
	/* An orphan never waits for ever: a real stack's timers end every
	 * closed connection (LAST_ACK retries, FIN_WAIT_2 and TIME_WAIT). */
	n->stats.stuck = 0;
	for (int r = 0; r < NET_ROLES; r++) {
		GHashTableIter it;
		gpointer v;
		/* a server that loops for ever waits in accept() for a next
		 * connection: idle, not stuck on one */
		n->role[r].program_done = n->apps[r].done ||
		                          (n->apps[r].call && n->apps[r].call->fn == SCRIPT_FN_ACCEPT);
		n->role[r].open_at_end = 0;
		g_hash_table_iter_init(&it, n->hosts[r].conns);
		while (g_hash_table_iter_next(&it, NULL, &v)) {
			const struct conn *c = v;
			enum tcp_state st = tcp_ep_state(c->ep);
			if (!c->user_owned && !c->parent && tcp_ep_next_deadline(c->ep) == SIM_NEVER)
				n->stats.stuck++;
			n->role[r].open_at_end += st != TCP_CLOSED && st != TCP_TIME_WAIT && st != TCP_LISTEN;
		}
	}
}

/* Frees the world.  Its events may still sit in the (discarded) queue:
 * nothing here touches the queue. */
void net_free(struct net *n)
{
	if (!n)
		return;
	for (int r = 0; r < NET_ROLES; r++) {
		app_clear(&n->apps[r]);
		host_clear(&n->hosts[r]);
		link_clear(&n->links[r]);
		neigh_clear(&n->neigh[r]);
		g_free(n->role[r].states);
		for (uint32_t i = 0; i < n->role[r].n_calls; i++)
			g_free(n->role[r].calls[i].text);
		g_free(n->role[r].calls);
	}
	flow_free_all(&n->flows);
	g_free(n->fault_seen);
	g_free(n->kills);
	sim_pool_clear(&n->pkts);
	tcp_acts_clear(&n->acts);
	g_ptr_array_free(n->dead, TRUE);
	g_free(n);
}

const struct net_role_stats *net_role_stats(const struct net *n, enum net_role r)
{
	return &n->role[r];
}

const struct net_stats *net_stats(const struct net *n) { return &n->stats; }

sim_time net_omit(const struct net *n) { return n->spec.omit; }

sim_time net_transfer_time(const struct net *n, enum net_role r)
{
	const struct net_role_stats *st = &n->role[r], *peer = &n->role[other(r)];
	if (st->bytes_sent == 0 || peer->bytes_measured == 0)
		return -1;
	sim_time from = st->first_write_at > n->spec.omit ? st->first_write_at : n->spec.omit;
	return peer->last_read_at - from;
}

uint64_t net_goodput(const struct net *n, enum net_role r)
{
	sim_time t = net_transfer_time(n, r);
	if (t <= 0)
		return 0;
	/* bytes * 8e9 / ns overflows 64 bits past 2 GB: in doubles */
	return (uint64_t)((double)n->role[other(r)].bytes_measured * 8e9 / (double)t + 0.5);
}

bool net_call_text_wanted(const struct net *n, int role)
{
	if (!n->call_text)
		return false;
	if (n->role[role].n_calls < NET_MAX_RECORDS || !n->obs.call_text_wanted)
		return true;
	return n->obs.call_text_wanted(n->obs.ctx);
}

void net_log_call(struct net *n, int role, const char *name, long ret, int err, sim_time blocked,
                  bool waited, const char *text, const char *brief)
{
	struct net_role_stats *st = &n->role[role];
	if (st->n_calls < NET_MAX_RECORDS) {
		st->calls = record_room(st->calls, st->n_calls, &st->calls_cap, sizeof *st->calls);
		st->calls[st->n_calls++] = (struct net_call_record){n->q->now, name, ret, err, blocked,
		                                                    g_strdup(text)};
	} else {
		st->calls_dropped++;
	}
	if (ret < 0)
		net_record_error(n, (enum net_role)role, err);
	if (!n->obs.call || (!text && !n->call_text))
		return; /* with call_text, a NULL text is one no observer wants */
	struct net_call_event e = {n->q->now, (enum net_role)role, SCRIPT_OP_COUNT, name, ret, err,
	                           blocked, text, brief, waited};
	n->obs.call(n->obs.ctx, &e);
}
