/*
 * The metric table: name -> extractor.  A role's metrics are written once
 * (ROLE_METRICS) and instantiated for the client and the server.  Times
 * come from the state and call records of sim/world/net.h, which keep the
 * first NET_MAX_RECORDS of each role: enough for any "first ..." metric.
 */
#include "sim/sweep/metrics.h"

#include <stddef.h>
#include <string.h>

typedef void (*metric_fn)(const struct metric_def *m, const struct metric_run *run,
                          struct metric_value *out);

struct metric_def {
	const char *name;      /* as written in [sweep] metrics and the CSV header */
	metric_fn eval;
	size_t offset;         /* the uint64_t field read by a count extractor */
	const char *doc;       /* one line for --list-metrics; "s, ..." for times */
	const char *title;     /* for a figure's axis: readable, with its unit */
	enum metric_kind kind;
	int role;              /* enum net_role of a per-endpoint metric, -1 otherwise */
};

static void set_count(struct metric_value *out, uint64_t v)
{
	*out = (struct metric_value){.type = METRIC_COUNT, .count = v};
}

static void set_time(struct metric_value *out, sim_time t)
{
	*out = (struct metric_value){.type = METRIC_TIME, .time = t};
}

static void set_text(struct metric_value *out, const char *text)
{
	*out = (struct metric_value){.type = METRIC_TEXT, .text = text};
}

static const struct net_role_stats *role_of(const struct metric_def *m, const struct metric_run *run)
{
	return net_role_stats(run->net, (enum net_role)m->role);
}

/* ---- the whole run ---- */

static void m_end_time(const struct metric_def *m, const struct metric_run *run, struct metric_value *out)
{
	(void)m;
	set_time(out, run->end_time);
}

static void m_events(const struct metric_def *m, const struct metric_run *run, struct metric_value *out)
{
	(void)m;
	set_count(out, run->events);
}

static void m_truncated(const struct metric_def *m, const struct metric_run *run, struct metric_value *out)
{
	(void)m;
	set_text(out, run->truncated ? "true" : "false");
}

static void m_data_intact(const struct metric_def *m, const struct metric_run *run,
                          struct metric_value *out)
{
	(void)m;
	set_text(out, net_stats(run->net)->data_intact ? "true" : "false");
}

static void m_net_count(const struct metric_def *m, const struct metric_run *run, struct metric_value *out)
{
	const char *base = (const char *)net_stats(run->net);
	set_count(out, *(const uint64_t *)(base + m->offset));
}

/* ---- one endpoint ---- */

static void m_role_count(const struct metric_def *m, const struct metric_run *run,
                         struct metric_value *out)
{
	const char *base = (const char *)role_of(m, run);
	set_count(out, *(const uint64_t *)(base + m->offset));
}

static void m_result(const struct metric_def *m, const struct metric_run *run, struct metric_value *out)
{
	set_text(out, net_errno_name(role_of(m, run)->result));
}

static void m_final_state(const struct metric_def *m, const struct metric_run *run,
                          struct metric_value *out)
{
	set_text(out, tcp_state_name(role_of(m, run)->final_state));
}

/* How often the endpoint retransmitted a FIN: a category, so that a sweep
 * gives the share of runs whose close needed several retransmissions
 * (each one a tail loss probe, RFC 8985, or an RTO, RFC 6298) with
 * its Wilson interval, which the mean of the count does not. */
static void m_fin_retransmitted(const struct metric_def *m, const struct metric_run *run,
                                struct metric_value *out)
{
	uint64_t n = role_of(m, run)->rtx_fin;

	set_text(out, n == 0 ? "none" : n == 1 ? "once" : "several");
}

/* The first connect()'s blocking time, when it succeeded. */
static void m_connect_time(const struct metric_def *m, const struct metric_run *run,
                           struct metric_value *out)
{
	const struct net_role_stats *st = role_of(m, run);

	out->type = METRIC_MISSING;
	for (uint32_t i = 0; i < st->n_calls; i++)
		if (strcmp(st->calls[i].name, "connect") == 0) {
			if (st->calls[i].ret == 0)
				set_time(out, st->calls[i].blocked);
			return;
		}
}

/* How long the first connect() blocked, whatever it returned: when a
 * refused, unreachable or timed-out connect gave up. */
static void m_connect_blocked(const struct metric_def *m, const struct metric_run *run,
                           struct metric_value *out)
{
	const struct net_role_stats *st = role_of(m, run);

	out->type = METRIC_MISSING;
	for (uint32_t i = 0; i < st->n_calls; i++)
		if (strcmp(st->calls[i].name, "connect") == 0) {
			set_time(out, st->calls[i].blocked);
			return;
		}
}

/* The index of the first record of connection conn after `from` in one of
 * the two states, or n_states. */
static uint32_t next_state(const struct net_role_stats *st, uint32_t from, uint64_t conn,
                           enum tcp_state a, enum tcp_state b)
{
	uint32_t i = from;

	while (i < st->n_states && !((conn == 0 || st->states[i].conn_id == conn) &&
	                             (st->states[i].state == a || st->states[i].state == b)))
		i++;
	return i;
}

/* The time from the first entry into state a or b to that connection's
 * next entry into c or d; missing when either never happens. */
static void state_span(const struct net_role_stats *st, enum tcp_state a, enum tcp_state b,
                       enum tcp_state c, enum tcp_state d, struct metric_value *out)
{
	uint32_t i = next_state(st, 0, 0, a, b);
	uint32_t j = i < st->n_states ? next_state(st, i + 1, st->states[i].conn_id, c, d) : st->n_states;

	out->type = METRIC_MISSING;
	if (j < st->n_states)
		set_time(out, st->states[j].t - st->states[i].t);
}

/* From the first FIN_WAIT_1 or CLOSE_WAIT (the close begins, actively or
 * passively) to that connection's first TIME_WAIT or CLOSED after it. */
static void m_close_time(const struct metric_def *m, const struct metric_run *run,
                         struct metric_value *out)
{
	state_span(role_of(m, run), TCP_FIN_WAIT_1, TCP_CLOSE_WAIT, TCP_TIME_WAIT, TCP_CLOSED, out);
}

/* How long the first TIME_WAIT lasted (a retransmitted FIN restarts it). */
static void m_time_wait_length(const struct metric_def *m, const struct metric_run *run,
                               struct metric_value *out)
{
	state_span(role_of(m, run), TCP_TIME_WAIT, TCP_TIME_WAIT, TCP_CLOSED, TCP_CLOSED, out);
}

static void m_transfer_time(const struct metric_def *m, const struct metric_run *run,
                            struct metric_value *out)
{
	sim_time t = net_transfer_time(run->net, (enum net_role)m->role);

	out->type = METRIC_MISSING;
	if (t >= 0)
		set_time(out, t);
}

static void m_goodput(const struct metric_def *m, const struct metric_run *run,
                      struct metric_value *out)
{
	out->type = METRIC_MISSING;
	if (net_transfer_time(run->net, (enum net_role)m->role) > 0)
		set_count(out, net_goodput(run->net, (enum net_role)m->role));
}

/* ---- the table ---- */

#define NET(f) offsetof(struct net_stats, f)
#define ROLE(f) offsetof(struct net_role_stats, f)
/* Each metric: its key, kind, extractor, endpoint, field; then its title
 * (what a figure's axis says: a reader's words, the unit in parentheses
 * for times) and its one line of --list-metrics. */
#define METRIC(n, k, fn, r, off, ttl, text) \
	{ .name = (n), .kind = (k), .eval = (fn), .role = (r), .offset = (off), .title = (ttl), .doc = (text) }
#define RUN_METRIC(name, kind, fn, title, doc) METRIC(name, kind, fn, -1, 0, title, doc)
#define NET_COUNT(name, f, title, doc) METRIC(name, METRIC_NUMBER, m_net_count, -1, NET(f), title, doc)

#define ROLE_METRICS(r, R)                                                                  \
	METRIC(R ".result", METRIC_CATEGORY, m_result, r, 0, R " result",                   \
	       "first error any connection met: ok, ETIMEDOUT, ECONNRESET, ..."),           \
	METRIC(R ".final_state", METRIC_CATEGORY, m_final_state, r, 0, R " final state",    \
	       "state of the newest connection"),                                           \
	METRIC(R ".connections", METRIC_NUMBER, m_role_count, r, ROLE(connections),         \
	       R " connections", "connections opened or accepted"),                         \
	METRIC(R ".retransmissions.syn", METRIC_NUMBER, m_role_count, r, ROLE(rtx_syn),     \
	       R " SYN retransmissions", "SYN (or SYN-ACK) retransmissions"),               \
	METRIC(R ".retransmissions.data", METRIC_NUMBER, m_role_count, r, ROLE(rtx_data),   \
	       R " data retransmissions", "data retransmissions"),                          \
	METRIC(R ".retransmissions.fin", METRIC_NUMBER, m_role_count, r, ROLE(rtx_fin),     \
	       R " FIN retransmissions", "FIN retransmissions"),                            \
	METRIC(R ".fin_retransmitted", METRIC_CATEGORY, m_fin_retransmitted, r, 0,         \
	       R " FIN retransmitted",                                                      \
	       "none, once or several (2 or more): FIN retransmissions as a category"),     \
	METRIC(R ".segments_sent", METRIC_NUMBER, m_role_count, r, ROLE(segments_sent),     \
	       R " segments sent", "segments sent"),                                        \
	METRIC(R ".bytes_sent", METRIC_NUMBER, m_role_count, r, ROLE(bytes_sent),           \
	       R " bytes sent (bytes)", "bytes the application wrote"),                     \
	METRIC(R ".bytes_received", METRIC_NUMBER, m_role_count, r, ROLE(bytes_received),   \
	       R " bytes received (bytes)", "bytes the application read"),                  \
	METRIC(R ".retransmitted_bytes", METRIC_NUMBER, m_role_count, r, ROLE(rtx_bytes),   \
	       R " bytes retransmitted (bytes)", "payload bytes retransmitted"),            \
	METRIC(R ".rtos", METRIC_NUMBER, m_role_count, r, ROLE(rtos),                       \
	       R " retransmission timeouts", "segments sent when a retransmission timer "   \
	       "expired (RFC 6298; SYN, data or FIN)"),                                     \
	METRIC(R ".tlps", METRIC_NUMBER, m_role_count, r, ROLE(probes),                     \
	       R " tail loss probes", "tail loss probes sent (RFC 8985 §7)"),               \
	METRIC(R ".fast_retransmits", METRIC_NUMBER, m_role_count, r, ROLE(fast_rtx),       \
	       R " fast retransmissions", "segments retransmitted by loss recovery, "       \
	       "before any timeout (RFC 5681 §3.2)"),                                       \
	METRIC(R ".recoveries", METRIC_NUMBER, m_role_count, r, ROLE(recoveries),           \
	       R " recovery episodes", "fast recoveries begun, by SACK or three "           \
	       "duplicate ACKs (RFC 6675, RFC 5681 §3.2)"),                                  \
	METRIC(R ".spurious_retransmits", METRIC_NUMBER, m_role_count, r, ROLE(dsacks),     \
	       R " spurious retransmissions", "D-SACKs received: retransmitted data the "   \
	       "peer already had (RFC 2883, RFC 3708)"),                                    \
	METRIC(R ".transfer_time", METRIC_NUMBER, m_transfer_time, r, 0,                    \
	       R " transfer time (s)", "s, from the first byte " R " wrote to the peer's "  \
	       "last read; missing if the peer read nothing"),                              \
	METRIC(R ".goodput", METRIC_NUMBER, m_goodput, r, 0, R " goodput (bit/s)",          \
	       "bit/s, bytes the peer read of " R "'s data over the transfer time"),       \
	METRIC(R ".connect_time", METRIC_NUMBER, m_connect_time, r, 0,                      \
	       R " connect() time (s)",                                                     \
	       "s, how long the first connect() blocked; missing unless it returned 0"),    \
	METRIC(R ".connect_blocked_time", METRIC_NUMBER, m_connect_blocked, r, 0,                      \
	       R " connect() blocked (s)",                                                     \
	       "s, how long the first connect() blocked, whatever it returned"),            \
	METRIC(R ".close_time", METRIC_NUMBER, m_close_time, r, 0, R " close time (s)",     \
	       "s, from the first FIN_WAIT_1 or CLOSE_WAIT to that connection's TIME_WAIT " \
	         "or CLOSED; missing if never"),                                            \
	METRIC(R ".time_wait_length", METRIC_NUMBER, m_time_wait_length, r, 0,              \
	       R " TIME_WAIT length (s)",                                                   \
	       "s, how long the first TIME_WAIT lasted; missing if none ended"),            \
	METRIC(R ".time_wait_end", METRIC_NUMBER, m_role_count, r, ROLE(time_wait),         \
	       R " connections in TIME_WAIT at the end",                                    \
	       "connections in TIME_WAIT when the run ended (a duration can cut it)"),      \
	METRIC(R ".time_wait_peak", METRIC_NUMBER, m_role_count, r, ROLE(time_wait_peak),   \
	       R " connections in TIME_WAIT at the peak",                                   \
	       "most connections in TIME_WAIT at one time during the run")

static const struct metric_def metrics[] = {
	RUN_METRIC("end_time", METRIC_NUMBER, m_end_time, "end of the run (s)",
	           "s, simulated time of the last event"),
	RUN_METRIC("events", METRIC_NUMBER, m_events, "engine events", "events the engine fired"),
	RUN_METRIC("truncated", METRIC_CATEGORY, m_truncated, "run cut by the duration",
	           "true when [simulation] duration stopped the run with events pending"),
	RUN_METRIC("data_intact", METRIC_CATEGORY, m_data_intact, "data intact",
	           "true when every byte read is the byte the peer wrote there"),
	NET_COUNT("corrupted_bytes", corrupted_bytes, "corrupted bytes read (bytes)",
	          "bytes read that the peer did not write there"),
	NET_COUNT("network.sent", sent, "segments sent into the network", "segments handed to the network"),
	NET_COUNT("network.delivered", delivered, "segments delivered", "segments delivered"),
	NET_COUNT("network.dropped", dropped, "segments lost", "segments lost"),
	NET_COUNT("network.duplicated", duplicated, "segments duplicated", "segments delivered twice"),
	NET_COUNT("network.reordered", reordered, "segments reordered",
	          "segments that overtook an earlier one"),
	NET_COUNT("network.corrupted", corrupted, "segments corrupted",
	          "segments that arrived with a bit flipped (netem corrupt), dropped by the receiver"),
	ROLE_METRICS(NET_CLIENT, "client"),
	ROLE_METRICS(NET_SERVER, "server"),
};

const struct metric_def *metric_find(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(metrics); i++)
		if (strcmp(metrics[i].name, name) == 0)
			return &metrics[i];
	return NULL;
}

const char *metric_name(const struct metric_def *m) { return m->name; }

enum metric_kind metric_kind(const struct metric_def *m) { return m->kind; }

const char *metric_title(const struct metric_def *m) { return m->title; }

const char *metric_unit(const struct metric_def *m)
{
	return g_str_has_prefix(m->doc, "s, ") ? "s" : "";
}

void metric_eval(const struct metric_def *m, const struct metric_run *run, struct metric_value *out)
{
	m->eval(m, run, out);
}

/* Seconds with nine decimals, trailing zeros trimmed: exact nanoseconds. */
static void format_seconds(GString *out, sim_time t)
{
	uint64_t a = (uint64_t)(t < 0 ? -t : t);
	char frac[16];
	int n = 9;

	g_snprintf(frac, sizeof frac, "%09llu", (unsigned long long)(a % 1000000000u));
	while (n > 0 && frac[n - 1] == '0')
		frac[--n] = '\0';
	g_string_append_printf(out, "%s%llu%s%s", t < 0 ? "-" : "", (unsigned long long)(a / 1000000000u),
	                       n ? "." : "", frac);
}

void metric_format(const struct metric_value *v, GString *out)
{
	switch (v->type) {
	case METRIC_MISSING:
		break;
	case METRIC_COUNT:
		g_string_append_printf(out, "%llu", (unsigned long long)v->count);
		break;
	case METRIC_TIME:
		format_seconds(out, v->time);
		break;
	case METRIC_TEXT:
		g_string_append(out, v->text);
		break;
	}
}

char *metric_names(void)
{
	GString *s = g_string_new(NULL);

	for (size_t i = 0; i < G_N_ELEMENTS(metrics); i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "", metrics[i].name);
	return g_string_free(s, FALSE);
}

void metric_list(GString *out)
{
	for (size_t i = 0; i < G_N_ELEMENTS(metrics); i++)
		g_string_append_printf(out, "  %-32s %-8s %s\n", metrics[i].name,
		                       metrics[i].kind == METRIC_NUMBER ? "number" : "category", metrics[i].doc);
}
