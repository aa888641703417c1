/*
 * The stress oracle (tools/stress/oracle.c): one config file through
 * run_simulation() and judged, stress_check_file().
 *
 * Why a file of its own: judging a run is the part of the stress that
 * knows the model (what a final state may be, which counters must add up,
 * when a run had to make progress, what the outputs must hold), and the
 * tests call its pieces one by one (stress_judge_progress,
 * stress_check_capture, stress_must_stall); it neither draws configs
 * (gen.c) nor manages processes (runner.c).
 *
 * A run fails here when config_load() refuses it ("rejected"), when it
 * fires more events than its config can explain or ends past its duration
 * ("hang"), or when the oracle finds data not intact where nothing excuses
 * it, an endpoint in a state that cannot last with nothing left to
 * happen, network counters that do not add up, records out of time order,
 * a run that had to make progress and did not, or outputs that do not
 * match the packets ("oracle").  The checks that need the packets watch a
 * second run of the same config (the second look, below).
 */
#include "tools/stress/stress_int.h"

#include <math.h>
#include <string.h>
#include <glib.h>
#include <pcap/pcap.h>
#include "models/seq.h"
#include "sim/config/config.h"
#include "sim/config/spec.h"
#include "sim/out/summary.h"
#include "sim/out/wire.h"
#include "sim/run.h"
#include "sim/world/app.h"
#include "sim/world/net.h"
#include "sim/world/world.h"

static bool script_has(const struct script *s, enum script_op op, uint32_t at_least)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < s->n; i++)
		n += s->calls[i].op == op;
	return n >= at_least;
}

/* A network that can deliver a segment late (a copy, a held-back one,
 * a spread delay): an old connection's SYN and data may come after it
 * ended. */
static bool late_segments(const struct config *c)
{
	const struct link_params *l[2] = {&c->c2s, &c->s2c};
	for (int d = 0; d < 2; d++)
		if (l[d]->duplicate > 0 || l[d]->reorder > 0 || l[d]->jitter > 0)
			return true;
	return false;
}

/* Runs in which real TCP may accept old segments into a new connection,
 * so that data_intact may rightly be false: the same 4-tuple used again
 * (a fixed client port and more than one connection), a host that
 * crashes and comes back within a segment lifetime (RFC 9293's quiet
 * time, which no one keeps), or an ISN clock too coarse to protect
 * against old duplicates (RFC 9293 §3.4.1's 4 us clock is the protection):
 * a late copy of a finished connection's SYN opens a child with the same
 * ISN, whose late data and ACK are then in sequence
 * (tests/stress-failures/oracle-seed1-run90300.ini, isn_tick 128 ms). */
static bool data_exempt(const struct config *c)
{
	bool reuse = c->client.port != 0 &&
	             (c->client.repeat != 1 || script_has(&c->client.script, SCRIPT_CONNECT, 2));
	bool coarse_isn = MAX(c->client.tcp.isn_tick, c->server.tcp.isn_tick) >= SIM_MS && late_segments(c) &&
	                  c->server.repeat != 1; /* the ghost is accepted by a later accept() */

	return reuse || coarse_isn || script_has(&c->client.script, SCRIPT_CRASH, 1) ||
	       script_has(&c->server.script, SCRIPT_CRASH, 1);
}

/* States in which an endpoint always has a timer armed: finding one when
 * nothing is left to happen means a timer was lost. */
static bool state_has_timer(enum tcp_state s)
{
	switch (s) {
	case TCP_SYN_SENT:
	case TCP_SYN_RCVD:
	case TCP_FIN_WAIT_1:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		return true;
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
	case TCP_STATE_COUNT:
		break;
	}
	return false;
}

/* The last call of the role, when all calls were kept. */
static const struct net_call_record *last_call(const struct net_role_stats *st)
{
	return st->n_calls > 0 && st->calls_dropped == 0 ? &st->calls[st->n_calls - 1] : NULL;
}

/* The newest connection's state once nothing is left to happen. */
static char *check_final(const struct config *c, const struct net *n, enum net_role r)
{
	const struct net_role_stats *st = net_role_stats(n, r);
	const struct tcp_params *tcp = r == NET_CLIENT ? &c->client.tcp : &c->server.tcp;
	const struct net_call_record *last = last_call(st);
	enum tcp_state s = st->final_state;
	const char *who = net_role_name(r);
	/* a client that also listens may close its listener last, not the
	 * connection (tests/stress-failures/oracle-seed1-run56165.ini:
	 * connect; listen 7; abort) */
	bool closed = last && last->ret == 0 &&
	              (strcmp(last->name, "close") == 0 || strcmp(last->name, "abort") == 0) &&
	              !(r == NET_CLIENT && script_has(&c->client.script, SCRIPT_LISTEN, 1));

	if (state_has_timer(s))
		return g_strdup_printf("oracle: the %s ends in %s with nothing left to happen "
		                       "(a state that always has a timer)", who, tcp_state_name(s));
	/* the client's newest connection is the one its last call closed */
	if (r == NET_CLIENT && closed && (s == TCP_ESTABLISHED || s == TCP_CLOSE_WAIT))
		return g_strdup_printf("oracle: the client's last call was %s() = 0 but its connection "
		                       "is still %s", last->name, tcp_state_name(s));
	if (r == NET_CLIENT && closed && s == TCP_FIN_WAIT_2 && tcp->fin_timeout > 0)
		return g_strdup_printf("oracle: the client closed its socket but stays in FIN_WAIT_2 "
		                       "although fin_timeout is %.3f s", (double)tcp->fin_timeout / SEC_NS);
	if (tcp->keepalive && (s == TCP_ESTABLISHED || s == TCP_CLOSE_WAIT))
		return g_strdup_printf("oracle: the %s has keepalive on but ends in %s with no timer",
		                       who, tcp_state_name(s));
	return NULL;
}

/* Records in time order, none after the end. */
static char *check_records(const struct run_result *res, enum net_role r)
{
	const struct net_role_stats *st = net_role_stats(res->net, r);
	sim_time prev = 0;

	for (uint32_t i = 0; i < st->n_states; prev = st->states[i++].t)
		if (st->states[i].t < prev || st->states[i].t > res->end_time)
			return g_strdup_printf("oracle: %s state record %u at %.9f s is out of order",
			                       net_role_name(r), i, (double)st->states[i].t / SEC_NS);
	prev = 0;
	for (uint32_t i = 0; i < st->n_calls; prev = st->calls[i++].t)
		if (st->calls[i].t < prev || st->calls[i].t > res->end_time)
			return g_strdup_printf("oracle: %s call record %u (%s) at %.9f s is out of order",
			                       net_role_name(r), i, st->calls[i].name,
			                       (double)st->calls[i].t / SEC_NS);
	return NULL;
}

/* With nothing in flight at the end, every copy sent was delivered,
 * dropped or dropped by its receiver as corrupted (a crashed host swallows packets silently: not checked then). */
static char *check_counters(const struct config *c, const struct net_stats *ns)
{
	if (script_has(&c->client.script, SCRIPT_CRASH, 1) || script_has(&c->server.script, SCRIPT_CRASH, 1))
		return NULL;
	if (ns->sent + ns->duplicated != ns->delivered + ns->dropped + ns->corrupted)
		return g_strdup_printf("oracle: network counters: sent %" G_GUINT64_FORMAT " + duplicated %"
		                       G_GUINT64_FORMAT " != delivered %" G_GUINT64_FORMAT " + dropped %"
		                       G_GUINT64_FORMAT " + corrupted %" G_GUINT64_FORMAT
		                       " with nothing in flight",
		                       ns->sent, ns->duplicated, ns->delivered, ns->dropped, ns->corrupted);
	return NULL;
}

/* A program that shuts its reading side under a profile that then drops
 * what arrives (FreeBSD's sorflush() and SBS_CANTRCVMORE: the bsd
 * profile's shut_rd_discards) reads less than its peer sent, rightly. */
static bool reads_discarded(const struct config *c)
{
	const struct script *sc[2] = {&c->client.script, &c->server.script};
	const struct tcp_params *tp[2] = {&c->client.tcp, &c->server.tcp};

	for (int r = 0; r < 2; r++) {
		if (!tp[r]->shut_rd_discards)
			continue;
		for (uint32_t i = 0; i < sc[r]->n; i++)
			if (sc[r]->calls[i].op == SCRIPT_SHUTDOWN && sc[r]->calls[i].shut != SCRIPT_SHUT_WR)
				return true;
	}
	return false;
}

/* A connection met an error (reset, timeout...).  The app then reads 0 as
 * from an end of file, which the summary counts as a short stream: only
 * streams that ended gracefully must be complete.  (The summary cannot
 * say which connection; any error excuses short streams.) */
static bool ended_in_error(const struct net *n)
{
	return net_role_stats(n, NET_CLIENT)->result != 0 || net_role_stats(n, NET_SERVER)->result != 0;
}

/* Events a run may need on top of the fixed allowance, because the config
 * asks for them: zero-window probes once per rto_max and keepalive probes
 * once per interval for the whole run (each with its answer: 4 events),
 * and the segments of the bytes sent when a tiny send or receive buffer
 * or MSS cuts them into pieces (each with its ACK, timers and wake-ups:
 * 8 events).  A runaway (an ACK storm, a timer re-armed at the same
 * instant) goes past all of these. */
static uint64_t event_allowance(const struct config *c, const struct net *n)
{
	const struct tcp_params *tp[2] = {&c->client.tcp, &c->server.tcp};
	double run = (double)c->duration, periodic = 0, piece = 65535, bytes = 0;

	for (int r = 0; r < 2; r++) {
		periodic += run / (double)MAX(tp[r]->rto_max, 1);
		if (tp[r]->keepalive)
			periodic += run / (double)MAX(tp[r]->keepalive_intvl, 1);
		piece = fmin(piece, fmax(1, fmin(fmin(tp[r]->rcvbuf / 2.0, tp[r]->sndbuf), tp[r]->mss)));
		bytes += (double)net_role_stats(n, (enum net_role)r)->bytes_sent;
	}
	return (uint64_t)fmin(4 * periodic + 8 * bytes / piece, 1e12);
}

/* A run stopped by its duration still adds up: no more copies arrived or
 * were dropped than were sent, and no program read more than its peer's
 * program sent. */
static char *check_truncated(const struct config *c, const struct net *n, const struct net_stats *ns)
{
	if (!script_has(&c->client.script, SCRIPT_CRASH, 1) && !script_has(&c->server.script, SCRIPT_CRASH, 1) &&
	    ns->sent + ns->duplicated < ns->delivered + ns->dropped)
		return g_strdup_printf("oracle: network counters: delivered %" G_GUINT64_FORMAT " + dropped %"
		                       G_GUINT64_FORMAT " > sent %" G_GUINT64_FORMAT " + duplicated %"
		                       G_GUINT64_FORMAT, ns->delivered, ns->dropped, ns->sent, ns->duplicated);
	for (int r = 0; r < NET_ROLES; r++) {
		const struct net_role_stats *st = net_role_stats(n, (enum net_role)r);
		const struct net_role_stats *peer = net_role_stats(n, (enum net_role)!r);
		if (st->bytes_received > peer->bytes_sent && !data_exempt(c))
			return g_strdup_printf("oracle: the %s read %" G_GUINT64_FORMAT " bytes, its peer sent %"
			                       G_GUINT64_FORMAT, net_role_name((enum net_role)r), st->bytes_received,
			                       peer->bytes_sent);
	}
	return NULL;
}

static char *judge(const struct config *c, const struct run_result *res, uint64_t max_events,
                   struct stress_outcome *o)
{
	const struct net_stats *ns = net_stats(res->net);
	char *why = NULL;

	o->events = res->events;
	o->truncated = res->truncated;
	o->exempt = data_exempt(c);
	o->intact = ns->data_intact;
	for (int r = 0; r < NET_ROLES; r++)
		o->final_state[r] = net_role_stats(res->net, (enum net_role)r)->final_state;
	uint64_t limit = max_events + event_allowance(c, res->net);
	if (res->events > limit)
		return g_strdup_printf("hang: %" G_GUINT64_FORMAT " events (limit %" G_GUINT64_FORMAT
		                       " for this config) by %.9f s simulated", res->events, limit,
		                       (double)res->end_time / SEC_NS);
	if (res->end_time > c->duration)
		return g_strdup_printf("hang: ended at %.9f s, after the duration", (double)res->end_time / SEC_NS);
	if (!o->exempt && (ns->corrupted_bytes > 0 ||
	                   (ns->short_streams > 0 && !ended_in_error(res->net) && !reads_discarded(c))))
		return g_strdup_printf("oracle: data not intact: %" G_GUINT64_FORMAT " corrupted bytes, %"
		                       G_GUINT64_FORMAT " short streams", ns->corrupted_bytes, ns->short_streams);
	for (int r = 0; r < NET_ROLES && !why; r++)
		why = check_records(res, (enum net_role)r);
	for (int r = 0; r < NET_ROLES && !why && !res->truncated; r++)
		why = check_final(c, res->net, (enum net_role)r);
	if (!why && !res->truncated)
		why = check_counters(c, ns);
	if (!why && res->truncated)
		why = check_truncated(c, res->net, ns);
	return why;
}

/* ------------------------------------------------------------------------
 * The second look: the same config again, watched packet by packet
 *
 * run_simulation() keeps no packet records, and sim/ is not the stress's
 * to change; so when the oracle needs them (a run that had to make
 * progress and did not, a run whose outputs are parsed back) the world is
 * built once more from the same spec (config_to_spec, world_run, the same
 * queue) with an observer of our own.  The model is deterministic: the
 * second run must end exactly as the first (a difference is a failure).
 * --------------------------------------------------------------------- */

/* One retransmitted sequence number of one connection of one sender. */
struct streak {
	uint32_t acks_seen;   /* length of look.acks[role] at its last transmission */
	uint32_t n;           /* transmissions in a row with no answer in between */
	uint32_t limit;       /* the retry count that governs it (smallest seen) */
	sim_time t0;          /* first transmission of the streak */
};

/* A packet as the event log should describe it. */
struct look_pkt {
	sim_time t;
	uint32_t seq, len;
	uint8_t at, outgoing, fate;
};

struct look {
	const struct config *c;
	enum net_role capture;
	bool keep;                    /* keep the packets, for the outputs */
	GPtrArray *cap_wire;          /* GBytes: capture point, in order */
	GPtrArray *all_wire;          /* GBytes: both interfaces, in order */
	GArray *cap_bad, *all_bad;    /* bool: marked corrupted on the wire */
	GArray *pkts;                 /* struct look_pkt, both interfaces */
	uint64_t n_capture, n_capture_rtx, n_packets, n_states, n_calls;
	uint64_t n_acks;              /* ack events: the event log's "ack" lines */
	GHashTable *tx[NET_ROLES];    /* (conn << 32 | seq) -> struct streak */
	GArray *acks[NET_ROLES];      /* uint32_t ack of each ACK arriving at the role */
	bool closed[NET_ROLES];       /* close() returned 0 since its last connect/accept */
	uint64_t newest[NET_ROLES];   /* id of the role's newest connection (ids only grow) */
	uint64_t closed_conn[NET_ROLES]; /* the newest when close() returned 0 */
	enum tcp_state state[NET_ROLES]; /* of the role's newest connection */
	bool time_wait_over[NET_ROLES]; /* a connection of the role left TIME_WAIT */
	uint32_t best[NET_ROLES];     /* longest unanswered streak */
	char *excuse;                 /* a streak that exhausted its retry count */
	char *reset;                  /* a reset that reached an endpoint closed gracefully */
	uint8_t buf[WIRE_MAX_FRAME];
};

/* The retry count under which the role sends this segment (tcp_timer.c,
 * tcp_write_timeout()). */
static uint32_t streak_limit(const struct look *lk, enum net_role r, const struct tcp_seg *s)
{
	const struct tcp_params *p = r == NET_CLIENT ? &lk->c->client.tcp : &lk->c->server.tcp;

	if (s->flags & TCP_SYN)
		return (s->flags & TCP_ACK) ? p->synack_retries : p->syn_retries + p->syn_linear_timeouts;
	uint32_t limit = lk->closed[r] ? p->orphan_retries : p->retries2;
	return p->keepalive ? MIN(limit, p->keepalive_probes) : limit;
}

/* Linux's tcp_model_timeout() (tcp_timer.c): the time `limit` doublings
 * from rto_min take, for profiles that count retries by time. */
static sim_time streak_timeout(uint32_t limit, sim_time base, sim_time rto_max)
{
	uint32_t thresh = 0;

	while (thresh < 62 && (base << (thresh + 1)) <= rto_max)
		thresh++;
	if (limit <= thresh)
		return (((sim_time)2 << MIN(limit, 62)) - 1) * base;
	return (((sim_time)2 << thresh) - 1) * base + (sim_time)(limit - thresh) * rto_max;
}

/* Did an ACK beyond `seq` arrive since the streak's last transmission? */
static bool streak_answered(const struct streak *st, const GArray *acks, uint32_t seq)
{
	for (uint32_t i = st->acks_seen; i < acks->len; i++)
		if (seq_gt(g_array_index(acks, uint32_t, i), seq))
			return true;
	return false;
}

/* A transmission of sequence space: was anything acknowledging it heard
 * since its previous transmission?  A streak of transmissions none of
 * which was answered (the segment lost, or every answer lost) as long as
 * the retry count is the one legitimate way for a connection to time out
 * on a link that loses less than everything. */
static void look_transmission(struct look *lk, const struct net_packet_event *e)
{
	const struct tcp_seg *s = &e->pv->tcp;
	enum net_role r = e->at;
	const struct tcp_params *p = r == NET_CLIENT ? &lk->c->client.tcp : &lk->c->server.tcp;
	uint64_t key = e->conn_id << 32 | s->seq;
	GArray *acks = lk->acks[r];
	struct streak *st = g_hash_table_lookup(lk->tx[r], &key);

	if (!st) {
		uint64_t *k = g_new(uint64_t, 1);
		*k = key;
		st = g_new0(struct streak, 1);
		st->limit = UINT32_MAX;
		g_hash_table_insert(lk->tx[r], k, st);
	}
	if (st->n == 0 || streak_answered(st, acks, s->seq)) {
		st->n = 0;
		st->t0 = e->t;
		st->limit = UINT32_MAX;
	}
	st->n++;
	st->acks_seen = acks->len;
	st->limit = MIN(st->limit, streak_limit(lk, r, s));
	lk->best[r] = MAX(lk->best[r], st->n);
	bool by_time = p->retries_by_time && !(s->flags & TCP_SYN) && st->n >= 2 &&
	               e->t + 2 * e->rto - st->t0 >= streak_timeout(st->limit, p->rto_min, p->rto_max);
	/* n >= limit, not n > limit: the original transmission of the bytes
	 * may carry another sequence number (a partial ACK re-cuts the head
	 * of the queue: tests/stress-failures/oracle-seed1-run34017.ini), so
	 * a streak of `limit` retransmissions can show as `limit` sends. */
	if (!lk->excuse && (st->n >= st->limit || by_time))
		lk->excuse = g_strdup_printf("the %s sent sequence number %u %u times in a row with no answer "
		                             "from %.6f s (its retry count is %u%s)", net_role_name(r), s->seq,
		                             st->n, (double)st->t0 / SEC_NS, st->limit,
		                             by_time ? ", counted as time" : "");
}

static void look_arrival(struct look *lk, const struct net_packet_event *e)
{
	const struct tcp_seg *s = &e->pv->tcp;

	if (s->flags & TCP_ACK)
		g_array_append_val(lk->acks[e->at], s->ack);
	/* a reset may meet a TIME_WAIT or a closed endpoint (an ACK that
	 * crossed a retransmitted FIN); not one still closing.  A packet does
	 * not say which of the receiver's connections it reached: judge only
	 * while the newest is the one closed, since a listener's newer child
	 * (an old SYN, reordered past the close) may rightly be reset
	 * (tests/stress-failures/oracle-seed1-run3852.ini) */
	enum tcp_state st = lk->state[e->at];
	bool same = lk->newest[e->at] == lk->closed_conn[e->at];
	if ((s->flags & TCP_RST) && lk->closed[e->at] && same && st != TCP_TIME_WAIT && st != TCP_CLOSED &&
	    !lk->reset)
		lk->reset = g_strdup_printf("a reset reached the %s at %.6f s after it had closed its "
		                            "connection gracefully", net_role_name(e->at), (double)e->t / SEC_NS);
}

static void look_packet(void *ctx, const struct net_packet_event *e)
{
	struct look *lk = ctx;
	const struct tcp_seg *s = &e->pv->tcp;

	lk->n_packets++;
	if (e->at == lk->capture) {
		lk->n_capture++;
		lk->n_capture_rtx += e->pv->kind == PACKET_TCP && !(s->flags & TCP_RST) && !e->duplicate &&
		                     e->retransmission;
	}
	/* the frames a capture holds: what reached the wire and has a frame
	 * in the capture's framing (no ARP in raw IPv4) */
	uint32_t len = net_packet_on_wire(e) ? wire_frame(e->pv, lk->c->ethernet, lk->buf, sizeof lk->buf) : 0;
	if (lk->keep && len > 0) {
		GBytes *b = g_bytes_new(lk->buf, len);
		bool bad = e->pv->kind == PACKET_TCP && (e->pv->bad_checksum || e->pv->corrupt_bit);
		if (e->at == lk->capture) {
			g_ptr_array_add(lk->cap_wire, g_bytes_ref(b));
			g_array_append_val(lk->cap_bad, bad);
		}
		g_ptr_array_add(lk->all_wire, b);
		g_array_append_val(lk->all_bad, bad);
	}
	if (lk->keep) { /* the event log has every packet event */
		struct look_pkt p = {e->t, s->seq, s->len, (uint8_t)e->at, e->outgoing, (uint8_t)e->fate};
		g_array_append_val(lk->pkts, p);
	}
	if (e->pv->kind != PACKET_TCP)
		return;
	if (!e->outgoing)
		look_arrival(lk, e);
	else if (!(s->flags & TCP_RST) && e->why != TCP_SEND_ACK)
		look_transmission(lk, e);
	else if ((s->flags & TCP_RST) && e->conn_id == 0 && lk->time_wait_over[e->at] && !lk->excuse)
		/* the peer's late segment (a FIN sent again when the last ACK
		 * was lost) found no connection once TIME_WAIT was over: the
		 * hazard TIME_WAIT exists for, not the model's
		 * (tests/stress-failures/oracle-seed1-run20296.ini) */
		lk->excuse = g_strdup_printf("the %s's host reset a segment at %.6f s after its TIME_WAIT was "
		                             "over (a late FIN meets no connection)", net_role_name(e->at),
		                             (double)e->t / SEC_NS);
}

static void look_state(void *ctx, const struct net_state_event *e)
{
	struct look *lk = ctx;

	lk->n_states++;
	if (e->conn_id < lk->newest[e->role])
		return; /* an older connection, still closing */
	lk->newest[e->role] = e->conn_id;
	lk->state[e->role] = e->to;
	if (e->from == TCP_TIME_WAIT && e->to == TCP_CLOSED)
		lk->time_wait_over[e->role] = true;
}

/* close(): the role's connection is an orphan now, under orphan_retries.
 * A segment it sent at the same instant, still unanswered, counts under
 * that limit too (a FIN sent by the close itself, and orphan_retries = 0:
 * the first timeout ends it without a retransmission,
 * tests/stress-failures/oracle-seed1-run7223.ini). */
static void look_orphaned(struct look *lk, enum net_role r)
{
	const struct tcp_params *p = r == NET_CLIENT ? &lk->c->client.tcp : &lk->c->server.tcp;
	uint32_t limit = p->keepalive ? MIN(p->orphan_retries, p->keepalive_probes) : p->orphan_retries;
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, lk->tx[r]);
	while (g_hash_table_iter_next(&it, &k, &v) && !lk->excuse) {
		struct streak *st = v;
		uint32_t seq = (uint32_t)*(uint64_t *)k;
		if (st->n == 0 || streak_answered(st, lk->acks[r], seq) ||
		    (uint32_t)(*(uint64_t *)k >> 32) != (uint32_t)lk->newest[r])
			continue;
		st->limit = MIN(st->limit, limit);
		if (st->n >= st->limit)
			lk->excuse = g_strdup_printf("the %s sent sequence number %u %u times in a row with no answer "
			                             "from %.6f s, then closed (its orphan retry count is %u)",
			                             net_role_name(r), seq, st->n, (double)st->t0 / SEC_NS, st->limit);
	}
}

static void look_ack(void *ctx, const struct net_ack_event *e)
{
	struct look *lk = ctx;
	(void)e;
	lk->n_acks++;
}

static void look_call(void *ctx, const struct net_call_event *e)
{
	struct look *lk = ctx;

	lk->n_calls++;
	/* sim/world/net.c names the call; its op is not filled in */
	if (strcmp(e->name, "connect") == 0 || strcmp(e->name, "accept") == 0)
		lk->closed[e->role] = false;
	else if (strcmp(e->name, "close") == 0 && e->ret == 0) {
		lk->closed[e->role] = true;
		lk->closed_conn[e->role] = lk->newest[e->role];
		look_orphaned(lk, (enum net_role)e->role);
	}
}

static void look_init(struct look *lk, const struct config *c, bool keep)
{
	memset(lk, 0, sizeof *lk);
	lk->c = c;
	lk->keep = keep;
	lk->capture = c->capture == CAPTURE_SERVER ? NET_SERVER : NET_CLIENT;
	lk->cap_wire = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	lk->all_wire = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	lk->pkts = g_array_new(FALSE, FALSE, sizeof(struct look_pkt));
	lk->cap_bad = g_array_new(FALSE, FALSE, sizeof(bool));
	lk->all_bad = g_array_new(FALSE, FALSE, sizeof(bool));
	for (int r = 0; r < NET_ROLES; r++) {
		lk->tx[r] = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
		lk->acks[r] = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	}
}

static void look_clear(struct look *lk)
{
	g_ptr_array_free(lk->cap_wire, TRUE);
	g_ptr_array_free(lk->all_wire, TRUE);
	g_array_free(lk->pkts, TRUE);
	g_array_free(lk->cap_bad, TRUE);
	g_array_free(lk->all_bad, TRUE);
	for (int r = 0; r < NET_ROLES; r++) {
		g_hash_table_destroy(lk->tx[r]);
		g_array_free(lk->acks[r], TRUE);
	}
	g_free(lk->excuse);
	g_free(lk->reset);
}

/* The world again, run by the same world_run() as sim/run.c; NULL when it
 * ends as the first run did, else how it differs. */
static char *look_run(struct look *lk, const struct run_result *first)
{
	struct net_spec spec;
	struct net_observer obs = {lk, look_packet, look_state, look_call, NULL, look_ack, NULL};
	struct world_outcome w;
	char *why = NULL;

	config_to_spec(lk->c, 0, &spec);
	world_run(&spec, lk->c->duration, &obs, &w);
	for (int r = 0; r < NET_ROLES && !why; r++) {
		const struct net_role_stats *a = net_role_stats(first->net, (enum net_role)r);
		const struct net_role_stats *b = net_role_stats(w.net, (enum net_role)r);
		if (a->bytes_sent != b->bytes_sent || a->bytes_received != b->bytes_received ||
		    a->segments_sent != b->segments_sent || a->result != b->result)
			why = g_strdup_printf("oracle: the same config run twice differs: the %s sent %"
			                      G_GUINT64_FORMAT " segments, then %" G_GUINT64_FORMAT,
			                      net_role_name((enum net_role)r), a->segments_sent, b->segments_sent);
	}
	if (!why && w.events != first->events && !first->truncated)
		why = g_strdup_printf("oracle: the same config run twice differs: %" G_GUINT64_FORMAT
		                      " events, then %" G_GUINT64_FORMAT, first->events, w.events);
	net_free(w.net);
	return why;
}

/* ------------------------------------------------------------------------
 * Progress: what must happen, not only what must not
 *
 * A run that ends on its own over a link that loses less than everything,
 * with programs that read all they are sent and close gracefully, must
 * deliver every byte and end with both endpoints CLOSED or TIME_WAIT and
 * result "ok".  An errno excuses nothing: a retry count exhausted by an
 * unlucky streak of losses is recognised from the packets themselves (the
 * second look), everything else that may legitimately fail is named here.
 * --------------------------------------------------------------------- */

/* The shape of a script that must finish: its opening (connect to the
 * server, or listen and accept), then sends and sleeps, an optional
 * shutdown of the write side, recv all, sends and sleeps, close.  Fills
 * the bytes it sends before and after its recv all, and whether it shuts
 * its write side down before reading. */
struct shape {
	uint64_t before, after;
	bool shut_first;
};

static bool send_or_sleep(const struct script_call *k, uint64_t *bytes)
{
	if (k->op == SCRIPT_SEND)
		*bytes += k->count;
	return k->op == SCRIPT_SEND || k->op == SCRIPT_SLEEP;
}

static bool script_shape(const struct script *s, bool server, struct shape *sh)
{
	uint32_t i = 0;

	memset(sh, 0, sizeof *sh);
	if (server) {
		if (s->n < 2 || s->calls[0].op != SCRIPT_LISTEN || s->calls[0].backlog < 1 ||
		    s->calls[1].op != SCRIPT_ACCEPT)
			return false;
		i = 2;
	} else {
		while (i < s->n && s->calls[i].op == SCRIPT_SLEEP)
			i++;
		if (i >= s->n || s->calls[i].op != SCRIPT_CONNECT || s->calls[i].duration > 0)
			return false;
		i++;
	}
	while (i < s->n && send_or_sleep(&s->calls[i], &sh->before))
		i++;
	if (i < s->n && s->calls[i].op == SCRIPT_SHUTDOWN && s->calls[i].shut == SCRIPT_SHUT_WR) {
		sh->shut_first = true;
		i++;
	}
	if (i >= s->n || s->calls[i].op != SCRIPT_RECV || s->calls[i].recv_mode != SCRIPT_RECV_ALL)
		return false;
	for (i++; i < s->n && send_or_sleep(&s->calls[i], &sh->after); i++)
		;
	return i + 1 == s->n && s->calls[i].op == SCRIPT_CLOSE && (!sh->after || !sh->shut_first);
}

static bool connects_elsewhere(const struct config *c)
{
	for (uint32_t i = 0; i < c->client.script.n; i++) {
		const struct script_call *k = &c->client.script.calls[i];
		if (k->op == SCRIPT_CONNECT && k->has_target &&
		    (k->addr != c->server.addr || k->port != c->server.port))
			return true;
	}
	return false;
}

/* Why this run need not make progress (a name the totals and the reader
 * can check), or NULL when it must.  The order is the order of checking. */
static const char *progress_excuse(const struct config *c, const struct run_result *res,
                                   struct shape sh[NET_ROLES])
{
	const struct link_params *l[2] = {&c->c2s, &c->s2c};
	const struct tcp_params *tp[2] = {&c->client.tcp, &c->server.tcp};

	if (res->truncated)
		return "stopped by its duration";
	if (c->n_faults > 0)
		return "[faults] configured";
	for (int d = 0; d < 2; d++) {
		if (l[d]->loss >= 1)
			return "a direction loses everything";
		if (l[d]->unreachable != LINK_REACHABLE)
			return "a router answers unreachable";
	}
	if (script_has(&c->client.script, SCRIPT_CRASH, 1) || script_has(&c->server.script, SCRIPT_CRASH, 1))
		return "a host crashes";
	if (script_has(&c->client.script, SCRIPT_ABORT, 1) || script_has(&c->server.script, SCRIPT_ABORT, 1))
		return "a program aborts";
	if (c->client.port != 0 && c->client.repeat != 1)
		return "4-tuple reuse";
	if (connects_elsewhere(c))
		return "the client connects to another address or port (a closed port)";
	if (!script_shape(&c->client.script, false, &sh[NET_CLIENT]) ||
	    !script_shape(&c->server.script, true, &sh[NET_SERVER]))
		return "scripts not of the shape open; send/sleep...; [shutdown]; recv all; send/sleep...; close";
	if (c->client.repeat != 1)
		return "the client repeats (its next connect races the server's next listen)";
	if (!sh[NET_CLIENT].shut_first && !sh[NET_SERVER].shut_first)
		return "both programs read before they end their own stream (an application deadlock)";
	for (int r = 0; r < 2; r++) {
		if (tp[r]->connect_timeout > 0)
			return "connect_timeout (the stack's own connect limit) is set";
		if (tp[r]->rcvbuf < 2 * tp[r]->mss)
			return "rcvbuf below 2 x MSS";
	}
	/* both programs send before they read: one must not block in send()
	 * while the other blocks too; what a program sends before it reads
	 * fits in its send buffer and the peer's receive buffer (each counted
	 * half: Linux charges overhead to both) */
	if (sh[0].before > (tp[0]->sndbuf + tp[1]->rcvbuf) / 2 && sh[1].before > (tp[1]->sndbuf + tp[0]->rcvbuf) / 2)
		return "both programs send more before reading than their buffers and the peer's hold";
	return NULL;
}

static bool ends_closed(enum tcp_state s)
{
	return s == TCP_CLOSED || s == TCP_TIME_WAIT;
}

/* What a finished run must show; NULL when it does. */
static char *progress_verdict(const struct stress_progress *p)
{
	for (int r = 0; r < NET_ROLES; r++) {
		const struct stress_progress_role *st = &p->role[r];
		const char *who = net_role_name((enum net_role)r);
		if (st->result != 0)
			return g_strdup_printf("oracle: progress: the %s's result is %s", who,
			                       net_errno_name(st->result));
		if (st->sent != st->sends || st->peer_read != st->sent)
			return g_strdup_printf("oracle: progress: the %s's program sends %" G_GUINT64_FORMAT
			                       " bytes; it sent %" G_GUINT64_FORMAT " and the peer read %"
			                       G_GUINT64_FORMAT, who, st->sends, st->sent, st->peer_read);
		if (!ends_closed(st->final_state) && !(r == NET_SERVER && st->final_state == TCP_LISTEN))
			return g_strdup_printf("oracle: progress: the %s ends in %s, not CLOSED or TIME_WAIT", who,
			                       tcp_state_name(st->final_state));
		if (st->last_call && (strcmp(st->last_call, "close") != 0 || st->last_ret != 0) &&
		    !(r == NET_SERVER && strcmp(st->last_call, "listen") == 0))
			return g_strdup_printf("oracle: progress: the %s's last call is %s() = %ld", who,
			                       st->last_call, st->last_ret);
	}
	return NULL;
}

char *stress_judge_progress(const struct stress_progress *p, bool *streak)
{
	char *why = progress_verdict(p);

	*streak = false;
	if (why && p->streak) {
		*streak = true; /* a legitimate timeout: say so, and pass */
		g_free(why);
		return NULL;
	}
	if (why) {
		char *w = g_strdup_printf("%s; no retry count was exhausted by losses (longest unanswered "
		                          "streak: client %u, server %u transmissions)", why,
		                          p->best[NET_CLIENT], p->best[NET_SERVER]);
		g_free(why);
		return w;
	}
	return p->reset && !p->streak ? g_strdup_printf("oracle: progress: %s", p->reset) : NULL;
}

/* The facts stress_judge_progress() needs, from the run and the second look. */
static void progress_facts(const struct net *n, const struct shape sh[NET_ROLES], const struct look *lk,
                           struct stress_progress *p)
{
	memset(p, 0, sizeof *p);
	for (int r = 0; r < NET_ROLES; r++) {
		const struct net_role_stats *st = net_role_stats(n, (enum net_role)r);
		const struct net_call_record *last = last_call(st);
		p->role[r] = (struct stress_progress_role){
			.result = st->result, .sends = sh[r].before + sh[r].after, .sent = st->bytes_sent,
			.peer_read = net_role_stats(n, (enum net_role)!r)->bytes_received,
			.final_state = st->final_state, .last_call = last ? last->name : NULL,
			.last_ret = last ? last->ret : 0};
		p->best[r] = lk->best[r];
	}
	p->streak = lk->excuse;
	p->reset = lk->reset;
}

/* ------------------------------------------------------------------------
 * Outputs parsed back
 *
 * In one run in twenty the capture is forced on (classic pcap, or the
 * two-interface pcapng, and now and then the JSON Lines event log) and the
 * files are read back and held against the second look's packets: the
 * same packets, byte for byte and in order, with valid IPv4 and TCP
 * checksums (computed here, RFC 791 and RFC 9293 §3.1), in the number the
 * summary gives.
 * --------------------------------------------------------------------- */

/* The one's complement sum of RFC 1071, folded. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* NULL when the IPv4 packet's header checksum is right and, for TCP, its
 * checksum over the pseudo-header (RFC 9293 §3.1) is right too, unless
 * the model marked it corrupted on the wire. */
static char *check_checksums(const uint8_t *ip, size_t len, bool bad_tcp_expected)
{
	if (len < 20 || ip[0] >> 4 != 4)
		return g_strdup("not an IPv4 packet");
	size_t ihl = (size_t)(ip[0] & 0xf) * 4, total = (size_t)ip[2] << 8 | ip[3];
	if (ihl < 20 || total < ihl || total > len)
		return g_strdup_printf("IPv4 lengths: header %zu, total %zu, captured %zu", ihl, total, len);
	if (csum_fold(csum_add(0, ip, ihl)) != 0xffff)
		return g_strdup("IPv4 header checksum wrong");
	if (ip[9] != 6)
		return NULL; /* ICMP: its own checksum is not the model's business */
	uint8_t pseudo[12];
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = 6;
	pseudo[10] = (uint8_t)((total - ihl) >> 8);
	pseudo[11] = (uint8_t)(total - ihl);
	bool good = csum_fold(csum_add(csum_add(0, pseudo, 12), ip + ihl, total - ihl)) == 0xffff;
	if (good == bad_tcp_expected)
		return g_strdup_printf("TCP checksum %s", good ? "right on a packet corrupted on the wire"
		                                            : "wrong");
	return NULL;
}

/* why (NULL: no failure), taken, as the oracle's verdict on the output
 * file at path. */
static char *outputs_failure(const char *path, char *why)
{
	if (why) {
		char *w = g_strdup_printf("oracle: outputs: %s: %s", path, why);
		g_free(why);
		why = w;
	}
	return why;
}

/* Every record of a capture file against the packets expected, in order. */
char *stress_check_capture(const char *path, GPtrArray *want, GArray *bad, uint64_t *n_read)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(path, err);
	struct pcap_pkthdr *h;
	const u_char *data;
	char *why = NULL;
	int rc = 0;
	double prev = 0;

	if (!pc)
		return g_strdup_printf("oracle: outputs: %s: %s", path, err);
	size_t skip = pcap_datalink(pc) == DLT_EN10MB ? 14 : 0; /* the IPv4 packet's place */
	*n_read = 0;
	while (!why && (rc = pcap_next_ex(pc, &h, &data)) == 1) {
		double t = (double)h->ts.tv_sec + (double)h->ts.tv_usec / 1e6;
		if (*n_read >= want->len) {
			why = g_strdup_printf("more records than the %u packets sent", want->len);
			break;
		}
		GBytes *b = g_ptr_array_index(want, *n_read);
		gsize blen;
		const uint8_t *wire = g_bytes_get_data(b, &blen);
		if (t < prev)
			why = g_strdup_printf("record %" G_GUINT64_FORMAT " is earlier than the one before", *n_read);
		else if (h->len != blen || memcmp(data, wire, MIN(blen, h->caplen)) != 0)
			why = g_strdup_printf("record %" G_GUINT64_FORMAT " (%u bytes) is not the frame sent (%zu "
			                      "bytes)", *n_read, h->len, (size_t)blen);
		else if (skip && data[12] == 0x08 && data[13] == 0x06)
			; /* an ARP request: no checksum */
		else if (h->caplen == h->len && h->caplen > skip) /* a snapped record cannot be summed */
			why = check_checksums(data + skip, h->caplen - skip, g_array_index(bad, bool, *n_read));
		if (why && !strstr(why, "record")) {
			char *w = g_strdup_printf("record %" G_GUINT64_FORMAT ": %s", *n_read, why);
			g_free(why);
			why = w;
		}
		prev = t;
		(*n_read)++;
	}
	if (!why && rc == -1)
		why = g_strdup_printf("libpcap: %s", pcap_geterr(pc));
	if (!why && *n_read != want->len)
		why = g_strdup_printf("%" G_GUINT64_FORMAT " records of the %u packets sent", *n_read, want->len);
	pcap_close(pc);
	return outputs_failure(path, why);
}

/* The value after "key": in a JSON Lines object (keys are unique and the
 * values here are numbers or plain strings), or NULL. */
static const char *json_at(const char *line, const char *key)
{
	char pat[32];
	g_snprintf(pat, sizeof pat, "\"%s\": ", key);
	const char *p = strstr(line, pat);
	return p ? p + strlen(pat) : NULL;
}

/* The event log: one object per observer event, in time order, the packets
 * the second look saw with their sequence numbers and lengths. */
static char *check_events(const char *path, const struct look *lk)
{
	char *text = NULL, *why = NULL;
	uint64_t n[4] = {0, 0, 0, 0}; /* packets, states, calls, acks */
	double prev = 0;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return g_strdup_printf("oracle: outputs: cannot read %s", path);
	char **lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l && **l && !why; l++) {
		const char *t = json_at(*l, "t"), *ev = json_at(*l, "event");
		double ts = t ? g_ascii_strtod(t, NULL) : -1;
		if (!t || !ev || ts < prev) {
			why = g_strdup_printf("line %td has no time, no event or goes back in time", l - lines + 1);
			break;
		}
		prev = ts;
		if (g_str_has_prefix(ev, "\"packet\"")) {
			const struct look_pkt *p = n[0] < lk->pkts->len ? &g_array_index(lk->pkts, struct look_pkt, n[0])
			                                                 : NULL;
			const char *seq = json_at(*l, "seq"), *len = json_at(*l, "len");
			const char *kind = json_at(*l, "kind");
			bool arp = kind && g_str_has_prefix(kind, "\"arp\""); /* no sequence space */
			if (!p || (!arp && (!seq || !len || g_ascii_strtoull(seq, NULL, 10) != p->seq ||
			                    g_ascii_strtoull(len, NULL, 10) != p->len)) ||
			    fabs(ts - (double)p->t / SEC_NS) > 1e-6)
				why = g_strdup_printf("line %td: packet %" G_GUINT64_FORMAT " is not the one sent",
				                      l - lines + 1, n[0]);
			n[0]++;
		} else {
			n[g_str_has_prefix(ev, "\"state\"") ? 1 : g_str_has_prefix(ev, "\"ack\"") ? 3 : 2]++;
		}
	}
	if (!why && (n[0] != lk->n_packets || n[1] != lk->n_states || n[2] != lk->n_calls ||
	             n[3] != lk->n_acks))
		why = g_strdup_printf("%" G_GUINT64_FORMAT " packets, %" G_GUINT64_FORMAT " states, %"
		                      G_GUINT64_FORMAT " calls, %" G_GUINT64_FORMAT " acks; the run had %"
		                      G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ", %"
		                      G_GUINT64_FORMAT, n[0], n[1], n[2], n[3], lk->n_packets, lk->n_states,
		                      lk->n_calls, lk->n_acks);
	g_strfreev(lines);
	g_free(text);
	return outputs_failure(path, why);
}

/* All the outputs the run wrote, against the second look. */
static char *check_outputs(const struct run_result *res, const struct look *lk)
{
	uint64_t n = 0;
	char *why = NULL;

	if (res->pcap_path) {
		why = stress_check_capture(res->pcap_path, lk->cap_wire, lk->cap_bad, &n);
		if (!why && (n != res->captured || res->captured_rtx > lk->n_capture_rtx))
			why = g_strdup_printf("oracle: outputs: the pcap holds %" G_GUINT64_FORMAT " packets, the "
			                      "summary says %" G_GUINT64_FORMAT " (retransmissions %" G_GUINT64_FORMAT
			                      ", the model sent %" G_GUINT64_FORMAT ")", n, res->captured,
			                      res->captured_rtx, lk->n_capture_rtx);
	}
	if (!why && res->pcapng_path)
		why = stress_check_capture(res->pcapng_path, lk->all_wire, lk->all_bad, &n);
	if (!why && res->events_path)
		why = check_events(res->events_path, lk);
	return why;
}

/* The summaries are built for every run, for what they may trip on. */
static void exercise_summaries(const struct config *c, const struct run_result *res)
{
	GString *s = g_string_new(NULL);

	summary_json(s, c, res);
	g_string_truncate(s, 0);
	summary_text(s, c, res);
	g_string_free(s, TRUE);
}

/* A program that repeats forever and does nothing but sleep 0 stops
 * simulated time (CONFIG_ERROR_STALLED): the one kind of config that must
 * stall, and the only one that may.  Any other loop takes time each time
 * round (the generator paces its loops, see struct client_loop), so a
 * stall there is a runaway at one instant. */
/* A program that leaks descriptors (a run opens more sockets than it
 * closes, and no crash frees them) has none left after about a thousand
 * runs (Linux's RLIMIT_NOFILE, 1024): socket() fails with EMFILE, every
 * call after it fails at once, and the script repeats without waiting, a
 * spin that holds simulated time still, as the real program would spin. */
static bool runs_out_of_descriptors(const struct endpoint_config *ep)
{
	int64_t opened = 0, closed = 0;
	for (uint32_t i = 0; i < ep->script.n; i++) {
		enum script_op op = ep->script.calls[i].op;
		opened += op == SCRIPT_CONNECT || op == SCRIPT_ACCEPT;
		closed += op == SCRIPT_CLOSE || op == SCRIPT_ABORT;
		if (op == SCRIPT_CRASH)
			return false;
	}
	uint64_t runs = ep->repeat == 0 ? UINT64_MAX : ep->repeat;
	return opened > closed && runs >= (APP_MAX_FDS - 3) / (uint64_t)(opened - closed);
}

static bool may_stall(const struct config *c)
{
	return runs_out_of_descriptors(&c->client) || runs_out_of_descriptors(&c->server);
}

bool stress_must_stall(const struct config *c)
{
	const struct endpoint_config *ep[2] = {&c->client, &c->server};

	for (int r = 0; r < 2; r++) {
		bool only_zero_sleeps = ep[r]->script.n > 0;
		for (uint32_t i = 0; i < ep[r]->script.n; i++)
			only_zero_sleeps &= ep[r]->script.calls[i].op == SCRIPT_SLEEP &&
			                    ep[r]->script.calls[i].duration == 0;
		if (ep[r]->repeat == 0 && only_zero_sleeps)
			return true;
	}
	return false;
}

/* Progress and outputs, with the second look when they need it. */
static char *judge_more(const struct config *c, const struct run_result *res, bool outputs,
                        struct stress_outcome *o)
{
	struct shape sh[NET_ROLES];
	const char *excuse = progress_excuse(c, res, sh);
	char *why = NULL;
	struct look lk;

	o->progress = !excuse;
	if (g_getenv("STRESS_DEBUG"))
		fprintf(stderr, "progress: %s\n", excuse ? excuse : "checked");
	if (!o->progress && !outputs)
		return NULL;
	look_init(&lk, c, outputs);
	why = look_run(&lk, res);
	o->outputs = outputs && !why;
	if (!why && outputs)
		why = check_outputs(res, &lk);
	if (!why && o->progress) {
		struct stress_progress p;
		progress_facts(res->net, sh, &lk, &p);
		why = stress_judge_progress(&p, &o->streak);
	}
	look_clear(&lk);
	return why;
}

/* A failed run_simulation(): a stall is an outcome of its own when the
 * config must stall, a failure otherwise; anything else is a crash. */
static char *run_failed(const struct config *c, const GError *error, struct stress_outcome *out)
{
	if (!g_error_matches(error, CONFIG_ERROR, CONFIG_ERROR_STALLED))
		return g_strdup_printf("crash: run_simulation failed: %s", error->message);
	out->stalled = true;
	if (stress_must_stall(c) || may_stall(c))
		return NULL;
	return g_strdup_printf("oracle: stalled, but no program repeats forever with only sleep 0 "
	                       "or runs out of descriptors: %s",
	                       error->message);
}

char *stress_check_file(const char *path, const char *out_dir, uint64_t max_events,
                        struct stress_outcome *out)
{
	struct config cfg;
	struct run_result res;
	GError *error = NULL;
	char *why = NULL;

	memset(out, 0, sizeof *out);
	if (!config_load(path, NULL, &cfg, &error)) {
		why = g_strdup_printf("rejected: %s", error->message);
		g_error_free(error);
		return why;
	}
	/* the text trace and the kept call lines, for one run in eight; the
	 * outputs parsed back, for one in twenty: the classic pcap, or the
	 * pcapng, and the event log with either now and then */
	FILE *trace = cfg.seed % 8 == 0 ? fopen("/dev/null", "w") : NULL;
	bool outputs = cfg.seed % 20 == 3;
	char *events = outputs && cfg.seed / 20 % 3 == 0 ? g_build_filename(out_dir, "events.jsonl", NULL) : NULL;
	struct run_options opt = {.out_dir = out_dir, .trace = trace, .keep_calls = cfg.seed % 8 == 1,
	                          .events_path = events};
	if (outputs) {
		cfg.pcap = true;
		opt.format = cfg.seed / 20 % 2 ? RUN_CAPTURE_PCAPNG : RUN_CAPTURE_PCAP;
		/* libpcap refuses a second raw-IPv4 interface in a pcapng ("an
		 * interface has a type 101 different from the type of the first
		 * interface"): read pcapng back with Ethernet framing only */
		cfg.ethernet |= opt.format == RUN_CAPTURE_PCAPNG;
	}
	if (!run_simulation(&cfg, &opt, &res, &error)) {
		why = run_failed(&cfg, error, out);
		g_error_free(error);
	} else if (stress_must_stall(&cfg)) {
		why = g_strdup_printf("oracle: a program repeats forever with only sleep 0, but the run ended "
		                      "at %.9f s without stalling", (double)res.end_time / SEC_NS);
	} else {
		why = judge(&cfg, &res, max_events, out);
		if (!why)
			why = judge_more(&cfg, &res, outputs, out);
		exercise_summaries(&cfg, &res);
	}
	run_result_clear(&res);
	if (trace)
		fclose(trace);
	g_free(events);
	config_clear(&cfg);
	return why;
}
