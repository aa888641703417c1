/*
 * One execution of an exploration: the config's world with a placement's
 * faults, watched by an observer that hashes everything it sees, records
 * the segments a later fault may hit, and notices a reset that ends a
 * graceful close; then the checks of the [explore] section.
 */
#include "sim/explore/explore.h"

#include <string.h>
#include "models/seq.h"
#include "sim/config/spec.h"
#include "sim/sweep/metrics.h"
#include "sim/world/world.h"

#define MAX_FLOWS 64 /* flows whose FINs are followed (ack-of-fin); more are rare */

/* The FIN each end of a flow sent, to tell an ACK of it (as net.c's
 * acks_peer_fin() does for the [faults] matcher). */
struct fin_seen {
	uint64_t flow_id;
	bool sent[NET_ROLES];
	uint32_t seq[NET_ROLES];
};

struct watch {
	const struct explore *x;
	struct explore_exec *out;
	uint64_t hash;
	uint32_t sent[NET_ROLES];      /* faultable segments of each sender so far */
	struct fin_seen fins[MAX_FLOWS];
	uint32_t n_fins;
	sim_time rst_at[NET_ROLES];    /* when a reset last arrived there */
	bool reset_on_close;
};

/* FNV-1a over the bytes of v, 64 bits. */
static void mix(struct watch *w, const void *v, size_t n)
{
	const unsigned char *b = v;
	for (size_t i = 0; i < n; i++) {
		w->hash ^= b[i];
		w->hash *= 0x100000001b3ull;
	}
}

static void mix_u64(struct watch *w, uint64_t v)
{
	mix(w, &v, sizeof v);
}

static struct fin_seen *fin_of(struct watch *w, uint64_t flow_id)
{
	for (uint32_t i = 0; i < w->n_fins; i++)
		if (w->fins[i].flow_id == flow_id)
			return &w->fins[i];
	if (w->n_fins == MAX_FLOWS)
		return NULL;
	w->fins[w->n_fins] = (struct fin_seen){.flow_id = flow_id};
	return &w->fins[w->n_fins++];
}

/* Is it a segment a [faults] entry could match?  net.c's network_verdict()
 * consults the faults for every segment that reaches the link: not those
 * an ARP failure held back, nor those the router answers or swallows. */
static bool faultable(const struct net_packet_event *e)
{
	return e->outgoing && e->pv->kind == PACKET_TCP && e->fate != LINK_DROP_UNRESOLVED &&
	       e->fate != LINK_DROP_UNREACHABLE && e->fate != LINK_DROP_BLACK_HOLE;
}

static void record(struct watch *w, const struct net_packet_event *e)
{
	const struct tcp_seg *s = &e->pv->tcp;
	int from = e->at, to = 1 - e->at;
	struct fin_seen *fin = e->flow_id ? fin_of(w, e->flow_id) : NULL;
	struct explore_exec *out = w->out;
	uint32_t rank = ++w->sent[from];

	if (out->n_segs < w->x->spec.segments) {
		struct explore_seg *g = &out->segs[out->n_segs];
		*g = (struct explore_seg){.sender = from, .rank = rank, .hdr = *s, .t = e->t,
		                          .retransmission = e->retransmission};
		g->hdr.payload = NULL;
		g->acks_peer_fin = fin && fin->sent[to] && (s->flags & TCP_ACK) && seq_gt(s->ack, fin->seq[to]);
	}
	out->n_segs++;
	if (fin && (s->flags & TCP_FIN) && !fin->sent[from]) {
		fin->sent[from] = true;
		fin->seq[from] = s->seq + s->len;
	}
}

static void on_packet(void *ctx, const struct net_packet_event *e)
{
	struct watch *w = ctx;
	const struct tcp_seg *s = &e->pv->tcp;

	mix_u64(w, (uint64_t)e->t);
	mix_u64(w, (uint64_t)e->at << 8 | (uint64_t)e->outgoing << 4 | (uint64_t)e->duplicate);
	mix_u64(w, (uint64_t)e->pv->kind << 32 | (uint64_t)e->fate << 16 | s->flags);
	mix_u64(w, (uint64_t)s->seq << 32 | s->ack);
	mix_u64(w, (uint64_t)s->len << 32 | (uint64_t)s->sport << 16 | s->dport);
	if (faultable(e))
		record(w, e);
	if (!e->outgoing && e->pv->kind == PACKET_TCP && (s->flags & TCP_RST))
		w->rst_at[e->at] = e->t;
}

/* A graceful close in progress: the endpoint sent its FIN, and the close
 * is not over until that FIN is acknowledged (and, but in LAST_ACK, the
 * peer's FIN arrives).  A reset then ends that close badly: the program
 * that closed gets ECONNRESET or loses what was in flight.  TIME_WAIT is
 * left out: its close is over, and a reset that ends it early (RFC 1337's
 * TIME-WAIT assassination, which Linux allows by default) is a hazard to
 * the next incarnation, which data_intact watches. */
static bool closing_state(enum tcp_state s)
{
	return s == TCP_FIN_WAIT_1 || s == TCP_FIN_WAIT_2 || s == TCP_CLOSING || s == TCP_LAST_ACK;
}

static void on_state(void *ctx, const struct net_state_event *e)
{
	struct watch *w = ctx;

	mix_u64(w, (uint64_t)e->t);
	mix_u64(w, (uint64_t)e->role << 48 | (uint64_t)e->from << 32 | (uint64_t)e->to << 16 |
	               (uint64_t)(uint32_t)e->err);
	if (e->to == TCP_CLOSED && closing_state(e->from) && (e->err || w->rst_at[e->role] == e->t))
		w->reset_on_close = true;
}

static void on_call(void *ctx, const struct net_call_event *e)
{
	struct watch *w = ctx;

	mix_u64(w, (uint64_t)e->t);
	mix_u64(w, (uint64_t)e->role << 56 | (uint64_t)e->op << 40 | (uint64_t)(uint32_t)e->err);
	mix_u64(w, (uint64_t)e->ret);
}

/* Does the metric's value satisfy the predicate?  A missing value never
 * does. */
static bool require_holds(const struct explore_require *q, const struct metric_run *mr)
{
	const struct metric_def *m = metric_find(q->metric);
	struct metric_value v;
	metric_eval(m, mr, &v);
	if (v.type == METRIC_MISSING)
		return false;
	if (q->is_text) {
		bool eq = v.type == METRIC_TEXT && strcmp(v.text, q->want_text) == 0;
		return q->cmp == EXPLORE_EQ ? eq : !eq;
	}
	double x = v.type == METRIC_TIME ? sim_time_to_sec(v.time) : (double)v.count;
	switch (q->cmp) {
	case EXPLORE_EQ: return x == q->want;
	case EXPLORE_NE: return x != q->want;
	case EXPLORE_LT: return x < q->want;
	case EXPLORE_LE: return x <= q->want;
	case EXPLORE_GT: return x > q->want;
	case EXPLORE_GE: return x >= q->want;
	}
	return false;
}

static bool ends_closed(const struct net_role_stats *st)
{
	return st->program_done && (st->final_state == TCP_CLOSED || st->final_state == TCP_TIME_WAIT);
}

static uint64_t violations(const struct explore *x, const struct watch *w, const struct world_outcome *o)
{
	const struct net_role_stats *c = net_role_stats(o->net, NET_CLIENT), *s = net_role_stats(o->net, NET_SERVER);
	bool bad[EXPLORE_N_PROPERTIES] = {
		[EXPLORE_CLOSED] = !ends_closed(c) || !ends_closed(s),
		[EXPLORE_DATA_INTACT] = !net_stats(o->net)->data_intact,
		[EXPLORE_NO_RESET_ON_CLOSE] = w->reset_on_close,
		[EXPLORE_NO_OPEN_CONNECTION] = c->open_at_end + s->open_at_end > 0,
		[EXPLORE_RESULTS_OK] = c->result != 0 || s->result != 0,
	};
	uint64_t v = 0;
	for (int p = 0; p < EXPLORE_N_PROPERTIES; p++)
		if (x->spec.property[p] && bad[p])
			v |= 1ull << p;
	struct metric_run mr = {.net = o->net, .end_time = o->end_time, .events = o->events,
	                        .truncated = o->truncated};
	for (uint32_t i = 0; i < x->spec.n_require; i++)
		if (!require_holds(&x->spec.require[i], &mr))
			v |= 1ull << (EXPLORE_N_PROPERTIES + i);
	return v;
}

static char *outcome_of(const struct explore *x, const struct world_outcome *o)
{
	if (x->spec.n_outcomes == 0)
		return NULL;
	struct metric_run mr = {.net = o->net, .end_time = o->end_time, .events = o->events,
	                        .truncated = o->truncated};
	GString *s = g_string_new(NULL);
	for (uint32_t i = 0; i < x->spec.n_outcomes; i++) {
		struct metric_value v;
		metric_eval(metric_find(x->spec.outcomes[i]), &mr, &v);
		if (i)
			g_string_append(s, ", ");
		if (v.type == METRIC_MISSING)
			g_string_append(s, "-");
		else
			metric_format(&v, s);
	}
	return g_string_free(s, FALSE);
}

void explore_execute(const struct explore *x, const struct explore_placement *p, struct explore_exec *out)
{
	uint32_t nf = x->cfg.n_faults;
	struct fault *faults = g_new(struct fault, nf + EXPLORE_MAX_FAULTS);
	struct net_spec spec;
	struct world_outcome o;

	memset(out, 0, sizeof *out);
	out->segs = g_new(struct explore_seg, x->spec.segments);
	if (nf) /* the config's own come first */
		memcpy(faults, x->cfg.faults, nf * sizeof *faults);
	for (uint32_t i = 0; i < p->n; i++)
		faults[nf + i] = p->at[i].f;
	config_to_spec(&x->cfg, 0, &spec);
	spec.faults = faults;
	spec.n_faults = nf + p->n;

	struct watch w = {.x = x, .out = out, .hash = 0xcbf29ce484222325ull, .rst_at = {-1, -1}};
	struct net_observer obs = {.ctx = &w, .packet = on_packet, .state = on_state, .call = on_call};
	world_run(&spec, x->cfg.duration, &obs, &o);
	mix_u64(&w, (uint64_t)o.end_time);
	mix_u64(&w, (uint64_t)o.truncated << 1 | (uint64_t)o.stalled);
	out->hash = w.hash;
	out->end_time = o.end_time;
	out->violated = violations(x, &w, &o);
	out->outcome = outcome_of(x, &o);
	for (int r = 0; r < NET_ROLES; r++) {
		const struct net_role_stats *st = net_role_stats(o.net, (enum net_role)r);
		out->result[r] = st->result;
		out->final_state[r] = st->final_state;
		out->rtx_syn[r] = st->rtx_syn;
		out->rtx_data[r] = st->rtx_data;
		out->rtx_fin[r] = st->rtx_fin;
	}
	net_free(o.net);
	g_free(faults);
}

void explore_exec_clear(struct explore_exec *e)
{
	g_free(e->segs);
	g_free(e->outcome);
	memset(e, 0, sizeof *e);
}
