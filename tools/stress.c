/*
 * Randomized stress: thousands of random configs through the simulator, in
 * process, each judged by the end-of-run oracle.  See tools/stress.h for
 * what counts as a failure.
 *
 *   stress [--runs N] [--first R] [--seed S] [--jobs J] [--timeout SEC]
 *          [--max-events N] [--failures DIR] [--quiet]
 *   stress --print R [--seed S]        the config of run R, as INI text
 *   stress --replay FILE...            saved configs through the oracle
 *
 * Model.  The generator draws every value from one GSL stream seeded from
 * (seed, run) by rng_stream_new(), so run R of seed S is always the same
 * config, whatever the number of jobs.  It writes INI text, not a struct
 * config, so that every run goes through the loader as a user's file does.
 * The generated configs are valid by construction (the relations the
 * loader checks are respected); a rejection is a failure.  Besides the
 * ordinary runs they cover loops (a client or server that repeats forever
 * or 10^5..10^7 times, paced so that the duration ends it), `sleep 0`,
 * buffers from 1 byte (under Linux's 4608-byte floor) to 32 MiB, and, in
 * one run in 2500, a program of zero sleeps that repeats forever: that run
 * must stall (CONFIG_ERROR_STALLED), and no other may.
 *
 * Jobs.  With --jobs J > 0, J forked workers take the runs in strides
 * (worker k: first+k, first+k+J, ...) and report each run to the parent
 * over a pipe: a START before it, a DONE with its outcome after it.  A
 * worker that dies (a crash, a sanitizer report, the wall-clock alarm) is
 * charged with the run it had started and replaced by a worker that goes
 * on from the next run of its stride; workers cap their address space
 * (4 GiB) so that a runaway run fails alone.  tests/test_stress.c uses one
 * worker.  With --jobs 0 everything runs in this process: a crash then
 * ends the process, after a handler has printed and saved the config.
 *
 * Invariant.  A failing config is always printed and saved: an oracle
 * failure by the process that ran it, as it is found; a worker's crash or
 * hang by the parent, which regenerates the config from (seed, run); with
 * --jobs 0, by async-signal-safe handlers that write the text prepared
 * before the run started (the one piece of process-wide state here, which
 * signal handlers cannot do without).
 */
#include "tools/stress.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <gsl/gsl_rng.h>
#include <pcap/pcap.h>
#include "sim/world/net.h"
#include "models/seq.h"
#include "sim/config/config.h"
#include "sim/engine/rng.h"
#include "sim/run.h"
#include "sim/config/spec.h"
#include "sim/out/summary.h"
#include "sim/out/wire.h"

#define STRESS_EXIT_HANG 3     /* a worker's status when its alarm fired */
#define STRESS_EXIT_GERROR 4   /* ... when the model stopped on a g_error(), reported */
#define SEC_NS ((double)SIM_SEC)

/* ------------------------------------------------------------------------
 * The generator
 * --------------------------------------------------------------------- */

struct gen {
	gsl_rng *r;       /* the run's one stream */
	GString *ini;     /* the text being written */
	uint64_t min_buf; /* smallest send or receive buffer written so far (after the floor) */
	uint64_t max_size; /* largest send or recv count (a looping client's are small) */
	double min_delay; /* one-way delay every direction must have, s (see struct client_loop) */
	double min_timer; /* smallest RTO or connect limit, s (ditto) */
	bool zero_sleeps; /* every sleep is `sleep 0` (a client that loops without waits) */
	int stall_role;   /* the role whose program stalls on purpose (enum net_role), or -1 */
};

static double uni(struct gen *g) { return gsl_rng_uniform(g->r); }
static bool chance(struct gen *g, double p) { return uni(g) < p; }

/* A whole number in [lo, hi]. */
static uint64_t between(struct gen *g, uint64_t lo, uint64_t hi)
{
	uint64_t x = (uint64_t)gsl_rng_get(g->r) << 32 | (uint64_t)gsl_rng_get(g->r);

	return hi - lo == UINT64_MAX ? x : lo + x % (hi - lo + 1);
}

/* Log-uniform in [lo, hi]: as likely 1 us..1 ms as 1 s..1000 s. */
static double logu(struct gen *g, double lo, double hi)
{
	return exp(log(lo) + uni(g) * (log(hi) - log(lo)));
}

static const char *pick(struct gen *g, const char *const *words, size_t n)
{
	return words[between(g, 0, n - 1)];
}
#define PICK(g, ...) pick((g), (const char *const[]){__VA_ARGS__}, \
                          sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static void kv(struct gen *g, const char *key, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void kv(struct gen *g, const char *key, const char *fmt, ...)
{
	va_list ap;

	g_string_append_printf(g->ini, "%s = ", key);
	va_start(ap, fmt);
	g_string_append_vprintf(g->ini, fmt, ap);
	va_end(ap);
	g_string_append_c(g->ini, '\n');
}

/* A duration in seconds as config text, rounded to its magnitude's unit
 * and written in one of the units the loader takes. */
static void append_duration(struct gen *g, GString *s, double sec)
{
	int64_t ns = (int64_t)(sec * SEC_NS);

	if (ns <= 0) {
		g_string_append(s, "0");
		return;
	}
	if (ns >= SIM_SEC)
		ns -= ns % SIM_MS;
	else if (ns >= SIM_MS)
		ns -= ns % SIM_US;
	if (ns % SIM_MS == 0 && chance(g, 0.3)) /* decimal seconds */
		g_string_append_printf(s, "%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT "s", ns / SIM_SEC,
		                       ns % SIM_SEC / SIM_MS);
	else if (ns % (3600 * (int64_t)SIM_SEC) == 0)
		g_string_append_printf(s, "%" G_GINT64_FORMAT "h", ns / (3600 * (int64_t)SIM_SEC));
	else if (ns % (60 * (int64_t)SIM_SEC) == 0)
		g_string_append_printf(s, "%" G_GINT64_FORMAT "min", ns / (60 * (int64_t)SIM_SEC));
	else if (ns % SIM_SEC == 0)
		g_string_append_printf(s, "%" G_GINT64_FORMAT "s", ns / SIM_SEC);
	else if (ns % SIM_MS == 0)
		g_string_append_printf(s, "%" G_GINT64_FORMAT "ms", ns / SIM_MS);
	else if (ns % SIM_US == 0)
		g_string_append_printf(s, "%" G_GINT64_FORMAT "us", ns / SIM_US);
	else
		g_string_append_printf(s, "%" G_GINT64_FORMAT "ns", ns);
}

static void kv_duration(struct gen *g, const char *key, double sec)
{
	g_string_append_printf(g->ini, "%s = ", key);
	append_duration(g, g->ini, sec);
	g_string_append_c(g->ini, '\n');
}

static void kv_probability(struct gen *g, const char *key, double p)
{
	if (chance(g, 0.5))
		kv(g, key, "%.6f", p);
	else
		kv(g, key, "%.4f%%", p * 100);
}

static void kv_bool(struct gen *g, const char *key)
{
	kv(g, key, "%s", PICK(g, "true", "false", "yes", "no", "on", "off", "1", "0"));
}

/* A byte count: from one byte to a few MiB, log-uniform in three bands
 * (small messages, bulk of a few windows, long transfers). */
static uint64_t draw_size(struct gen *g)
{
	double d = uni(g);
	uint64_t n = (uint64_t)(d < 0.6 ? logu(g, 1, 16 * 1024) : d < 0.95 ? logu(g, 16 * 1024, 1024 * 1024)
	                                                                  : logu(g, 1024 * 1024, 8 * 1024 * 1024));

	/* a small buffer cuts a transfer into as many segments: keep them to
	 * some tens of thousands; a looping client's, over its iterations */
	return MIN(MIN(n, g->min_buf * 20000), g->max_size);
}

static void append_size(struct gen *g, GString *s, uint64_t n)
{
	if (n % 1024 == 0 && chance(g, 0.5))
		g_string_append_printf(s, "%" G_GUINT64_FORMAT "KiB", n / 1024);
	else
		g_string_append_printf(s, "%" G_GUINT64_FORMAT, n);
}

/* --- [simulation] --- */

/* Returns the duration, in seconds. */
static double gen_simulation(struct gen *g)
{
	double d;

	g_string_append(g->ini, "[simulation]\n");
	kv(g, "seed", "%" G_GUINT64_FORMAT, between(g, 0, UINT64_MAX));
	d = uni(g);
	d = d < 0.05 ? logu(g, 1e-6, 1) : d < 0.35 ? logu(g, 1, 60) : d < 0.75 ? logu(g, 60, 1800)
	                                                                         : logu(g, 1800, 7200);
	kv_duration(g, "duration", d);
	if (chance(g, 0.8))
		kv(g, "profile", "%s", PICK(g, "linux", "bsd", "windows", "rfc"));
	kv(g, "pcap", "%s", chance(g, 0.05) ? "true" : "false");
	if (chance(g, 0.2))
		kv(g, "capture", "%s", PICK(g, "client", "server"));
	if (chance(g, 0.2))
		kv(g, "framing", "%s", PICK(g, "ethernet", "raw"));
	return d;
}

/* --- [network] and its two directions --- */

static double draw_delay(struct gen *g)
{
	double d = uni(g);

	if (d < 0.1)
		return 0;
	return d < 0.7 ? logu(g, 1e-5, 0.2) : d < 0.95 ? logu(g, 0.2, 10) : logu(g, 10, 600);
}

/* A loss rate over [0, 1], most often small: a run that loses everything
 * tests little beyond SYN retries. */
static double draw_probability(struct gen *g)
{
	double d = uni(g);

	if (d < 0.45)
		return 0;
	if (d < 0.75)
		return uni(g) * 0.05;
	if (d < 0.9)
		return 0.05 + uni(g) * 0.25;
	return d < 0.96 ? 0.3 + uni(g) * 0.7 : 1;
}

/* jitter and distribution go together: the loader refuses a jitter with
 * distribution constant. */
static void gen_jitter(struct gen *g)
{
	const char *dist = PICK(g, "constant", "uniform", "normal", "exponential", "pareto");

	kv(g, "distribution", "%s", dist);
	kv_duration(g, "jitter", strcmp(dist, "constant") == 0 || chance(g, 0.2) ? 0 : logu(g, 1e-6, 2));
	if (strcmp(dist, "pareto") == 0 || chance(g, 0.1))
		kv(g, "pareto_shape", "%.3f", logu(g, 0.2, 6));
}

/* reorder and reorder_delay go together: a reorder needs a delay. */
static void gen_reorder(struct gen *g)
{
	double p = chance(g, 0.5) ? uni(g) * 0.3 : uni(g);

	kv_probability(g, "reorder", p);
	kv_duration(g, "reorder_delay", logu(g, 1e-6, chance(g, 0.9) ? 1 : 120));
}

static void gen_bandwidth(struct gen *g)
{
	double bits = logu(g, 1e3, 1e10);

	if (chance(g, 0.5))
		kv(g, "bandwidth", "%.0fbit", bits);
	else
		kv(g, "bandwidth", "%.0fkbit", bits / 1e3);
	if (chance(g, 0.6))
		kv(g, "queue", "%" G_GUINT64_FORMAT, chance(g, 0.2) ? between(g, 0, 2) : between(g, 0, 1000));
}

/* Every key with probability `p`; the coupled pairs as pairs. */
static void gen_link_keys(struct gen *g, double p)
{
	if (g->min_delay > 0 || chance(g, p))
		kv_duration(g, "delay", fmax(draw_delay(g), g->min_delay));
	if (chance(g, p))
		gen_jitter(g);
	if (chance(g, p))
		kv_probability(g, "loss", draw_probability(g));
	if (chance(g, p * 0.5))
		gen_reorder(g);
	if (chance(g, p * 0.5))
		kv_probability(g, "duplicate", chance(g, 0.8) ? uni(g) * 0.2 : uni(g));
	if (chance(g, p * 0.5))
		gen_bandwidth(g);
	if (chance(g, 0.02))
		kv(g, "unreachable", "%s", PICK(g, "none", "net", "host"));
}

static void gen_network(struct gen *g)
{
	g_string_append(g->ini, "\n[network]\n");
	gen_link_keys(g, 0.7);
	if (chance(g, 0.25)) {
		g_string_append(g->ini, "\n[network.client_to_server]\n");
		gen_link_keys(g, 0.4);
	}
	if (chance(g, 0.25)) {
		g_string_append(g->ini, "\n[network.server_to_client]\n");
		gen_link_keys(g, 0.4);
	}
}

/* --- [tcp], [client.tcp], [server.tcp] --- */

/* Linux's SOCK_MIN_RCVBUF and SOCK_MIN_SNDBUF: the loader raises a smaller
 * buffer to it, silently (models/tcp_params.h). */
#define BUF_FLOOR 4608

/* From one byte (under the floor) to 32 MiB, the values either side of
 * the floor and a gigabyte now and then. */
static uint64_t draw_buffer(struct gen *g)
{
	static const uint64_t sizes[] = {1, 2, 100, 1024, 4096, BUF_FLOOR - 1, BUF_FLOOR, BUF_FLOOR + 1,
	                                 65535, 65536, 1 << 20, 16 << 20, 32 << 20, 1 << 30};
	double d = uni(g);

	if (d < 0.4)
		return sizes[between(g, 0, G_N_ELEMENTS(sizes) - 1)];
	if (d < 0.6)
		return (uint64_t)logu(g, 1, BUF_FLOOR);
	return (uint64_t)(d < 0.98 ? logu(g, BUF_FLOOR, 32 << 20) : logu(g, 32 << 20, 1 << 30));
}

static void kv_buffer(struct gen *g, const char *key)
{
	GString *s = g_string_new(NULL);
	uint64_t n = draw_buffer(g);

	g->min_buf = MIN(g->min_buf, MAX(n, BUF_FLOOR));
	append_size(g, s, n);
	kv(g, key, "%s", s->str);
	g_string_free(s, TRUE);
}

/* rto_min <= rto_initial <= rto_max, all three written together so that no
 * section can break the order another section wrote.  append_duration()
 * rounds down to a grid that only gets coarser as values grow, so the
 * rounded values keep their order. */
static void gen_rto(struct gen *g)
{
	double lo = chance(g, 0.75) ? logu(g, 1e-3, 2) : logu(g, 2e-6, 1e-3); /* tiny RTOs: a run
		that gives up a connection within microseconds tests little else */

	lo = fmax(lo, g->min_timer);
	double init = fmin(lo * logu(g, 1, 100), 3600);
	double hi = fmin(init * logu(g, 1, 1000), 3600);

	kv_duration(g, "rto_min", lo);
	kv_duration(g, "rto_initial", init);
	kv_duration(g, "rto_max", hi);
}

static void gen_tcp_timers(struct gen *g, double p, double duration_hint)
{
	if (chance(g, p))
		gen_rto(g);
	if (chance(g, p))
		kv(g, "syn_retries", "%" G_GUINT64_FORMAT, chance(g, 0.9) ? between(g, 0, 10) : between(g, 0, 255));
	if (chance(g, p))
		kv(g, "syn_linear_timeouts", "%" G_GUINT64_FORMAT, between(g, 0, chance(g, 0.9) ? 6 : 255));
	if (chance(g, p))
		kv(g, "synack_retries", "%" G_GUINT64_FORMAT, chance(g, 0.9) ? between(g, 0, 10) : between(g, 0, 255));
	if (chance(g, p))
		kv(g, "retries2", "%" G_GUINT64_FORMAT, chance(g, 0.9) ? between(g, 0, 20) : between(g, 0, 255));
	if (chance(g, p))
		kv(g, "orphan_retries", "%" G_GUINT64_FORMAT, between(g, 0, chance(g, 0.9) ? 15 : 255));
	if (chance(g, p))
		kv_bool(g, "retries_by_time");
	if (chance(g, p))
		kv_duration(g, "delayed_ack", chance(g, 0.1) ? 0 : logu(g, 1e-4, chance(g, 0.9) ? 0.5 : 10));
	if (chance(g, p))
		kv_duration(g, "time_wait", chance(g, 0.3) ? 0 : logu(g, 1e-3, chance(g, 0.9) ? 300 : 3600));
	if (chance(g, p))
		kv_duration(g, "fin_timeout", chance(g, 0.1) ? 0 : logu(g, 1e-3, chance(g, 0.9) ? 300 : 3600));
	if (chance(g, p))
		kv_duration(g, "connect_timeout", chance(g, 0.7) ? 0 : fmax(logu(g, 1e-3, 300), g->min_timer));
	if (chance(g, p * 0.5)) {
		/* keepalive probes an idle connection for the whole run: keep the
		 * number of idle periods per run in the thousands at most */
		double floor_s = fmax(duration_hint / 1000, 1e-3);
		kv(g, "keepalive", "%s", chance(g, 0.7) ? "true" : "false");
		kv_duration(g, "keepalive_idle", logu(g, floor_s, fmax(floor_s, 7200)));
		kv_duration(g, "keepalive_intvl", logu(g, floor_s, fmax(floor_s, 600)));
		kv(g, "keepalive_probes", "%" G_GUINT64_FORMAT, between(g, 1, chance(g, 0.9) ? 10 : 255));
	}
}

static void gen_tcp_segments(struct gen *g, double p)
{
	static const uint64_t mss[] = {64, 88, 536, 1000, 1460, 8960, 65495};

	if (chance(g, p))
		kv(g, "mss", "%" G_GUINT64_FORMAT,
		   chance(g, 0.6) ? mss[between(g, 0, G_N_ELEMENTS(mss) - 1)] : between(g, 64, 65495));
	if (chance(g, p))
		kv_buffer(g, "rcvbuf");
	if (chance(g, p))
		kv_buffer(g, "sndbuf");
	if (chance(g, p))
		kv(g, "init_cwnd", "%" G_GUINT64_FORMAT, (uint64_t)logu(g, 1, 1000));
	if (chance(g, p))
		kv(g, "nagle", "%s", PICK(g, "off", "rfc896", "minshall"));
	if (chance(g, p))
		kv_bool(g, "window_scaling");
	if (chance(g, p))
		kv(g, "wscale", "%" G_GUINT64_FORMAT, between(g, 0, 14));
	if (chance(g, p))
		kv_bool(g, "sack");
	if (chance(g, p))
		kv_bool(g, "timestamps");
	if (chance(g, p))
		kv_bool(g, "tlp");
	if (chance(g, p))
		kv(g, "quickacks", "%" G_GUINT64_FORMAT, chance(g, 0.5) ? between(g, 0, 16) : between(g, 0, 65535));
	if (chance(g, p))
		kv_bool(g, "rst_on_unread");
	if (chance(g, p))
		kv(g, "ttl", "%" G_GUINT64_FORMAT, between(g, 1, 255));
}

static void gen_tcp(struct gen *g, double duration_hint)
{
	static const char *const sections[] = {"tcp", "client.tcp", "server.tcp"};
	static const double present[] = {0.5, 0.3, 0.3};

	for (size_t i = 0; i < G_N_ELEMENTS(sections); i++) {
		if (!chance(g, present[i]))
			continue;
		g_string_append_printf(g->ini, "\n[%s]\n", sections[i]);
		gen_tcp_segments(g, 0.25);
		gen_tcp_timers(g, 0.25, duration_hint);
	}
}

/* --- scripts --- */

/* A "STRING" with C escapes, an embedded NUL and a non-ASCII letter now
 * and then. */
static void append_string(struct gen *g, GString *s)
{
	static const char *const pieces[] = {"a", "hello", " ", ",", ";", "#", "=", "[x]", "\\n", "\\r",
	                                     "\\t", "\\0", "\\\\", "\\\"", "\\x41", "\\101", "\xc3\xa9",
	                                     "Q", "0", "'"};
	uint64_t n = between(g, 1, 12);

	g_string_append_c(s, '"');
	for (uint64_t i = 0; i < n; i++)
		g_string_append(s, pieces[between(g, 0, G_N_ELEMENTS(pieces) - 1)]);
	g_string_append_c(s, '"');
}

static void append_sleep(struct gen *g, GString *s)
{
	g_string_append(s, "sleep ");
	if (g->zero_sleeps || chance(g, 0.05))
		g_string_append(s, "0");
	else
		append_duration(g, s, chance(g, 0.95) ? logu(g, 1e-6, 10) : logu(g, 10, 600));
}

/* One call of the data phase of a connection.  Only the server may echo
 * until end of file: two programs that both echo without end bounce the
 * same bytes for the whole run (a valid config, but not a useful one). */
static void append_data_call(struct gen *g, GString *s, bool server)
{
	switch (between(g, 0, 11)) {
	case 0:
	case 1:
		g_string_append(s, "send ");
		append_string(g, s);
		break;
	case 2:
	case 3:
	case 4:
		g_string_append(s, "send ");
		append_size(g, s, draw_size(g));
		break;
	case 5:
		g_string_append(s, "recv");
		break;
	case 6:
		g_string_append(s, "recv ");
		append_size(g, s, draw_size(g));
		break;
	case 7:
		g_string_append(s, "recv all");
		break;
	case 8:
	case 9:
		if (server && chance(g, 0.5))
			g_string_append(s, "echo");
		else
			g_string_append_printf(s, "echo %" G_GUINT64_FORMAT, between(g, 1, 5));
		break;
	case 10:
		append_sleep(g, s);
		break;
	default:
		g_string_append_printf(s, "shutdown%s", PICK(g, "", " wr", " rd", " rdwr"));
		break;
	}
}

/* The calls between connect/accept and the end.  The client usually
 * speaks first: two programs that both start by reading wait for each
 * other for the whole run (valid, and kept, but rarer). */
static void append_data_phase(struct gen *g, GString *s, uint64_t max_calls, bool server)
{
	for (uint64_t i = 0, n = chance(g, 0.1) ? 0 : between(g, 1, max_calls); i < n; i++) {
		if (i == 0 && !server && chance(g, 0.7)) {
			g_string_append(s, "send ");
			if (chance(g, 0.5))
				append_string(g, s);
			else
				append_size(g, s, draw_size(g));
		} else {
			append_data_call(g, s, server);
		}
		g_string_append(s, "; ");
	}
}

static void append_ending(struct gen *g, GString *s)
{
	if (chance(g, 0.02)) { /* the host goes down and comes back */
		g_string_append(s, "crash; ");
		append_sleep(g, s);
		g_string_append(s, "; reboot; ");
	}
	g_string_append(s, PICK(g, "close", "close", "close", "abort", "shutdown; recv all; close",
	                        "recv all; close", ""));
}

static void append_connect(struct gen *g, GString *s, const char *server_target)
{
	g_string_append(s, "connect");
	if (chance(g, 0.05))
		g_string_append_printf(s, " %s", chance(g, 0.5) ? server_target : "10.9.9.9:9");
	if (chance(g, 0.15)) {
		g_string_append(s, chance(g, 0.7) ? " timeout=" : " sndtimeo=");
		append_duration(g, s, fmax(logu(g, 1e-4, 200), g->min_timer));
	}
	g_string_append(s, "; ");
}

/* Any call in any order: the scripts a confused user would write. */
static void append_chaos(struct gen *g, GString *s, bool server)
{
	for (uint64_t i = 0, n = between(g, 1, 8); i < n; i++) {
		uint64_t k = between(g, 0, 12);
		if (k < 10)
			append_data_call(g, s, server);
		else
			g_string_append(s, PICK(g, "listen", "accept", "connect", "close", "abort", "crash",
			                        "reboot", "listen 7 backlog=0"));
		g_string_append(s, "; ");
	}
}

/* How the client repeats.  Most run once or a few times; one in ten
 * loops for the whole run, forever or a count so huge (10^5..10^7) that
 * the duration ends it.  Such a loop must take time each time round, or it
 * stops simulated time (a stall, kept for the stall on purpose): its pace
 * is a sleep at the top of the script (waits) or else the network's delay
 * both ways, which every direction then has at least, and a connect that
 * gives up no sooner than min(pace, 0.2 s) (RTOs, connect limits: a 5 us
 * RTO made 3.5 million iterations of 1 ms).  Either bounds its iterations
 * to some thousands (tens of thousands), whose transfers are kept small; it
 * connects from an ephemeral port (a fixed one fails at once, in
 * TIME_WAIT) and has a script of the usual shape (chaos may never block). */
struct client_loop {
	char repeat[24];          /* the value written */
	double pace;              /* s, 0: not a loop */
	bool waits;
};

static void draw_client_loop(struct gen *g, double duration, struct client_loop *lp)
{
	memset(lp, 0, sizeof *lp);
	if (!chance(g, 0.1)) {
		g_snprintf(lp->repeat, sizeof lp->repeat, "%" G_GUINT64_FORMAT, chance(g, 0.5) ? 1 : between(g, 1, 5));
		return;
	}
	double n = logu(g, 10, 5000); /* iterations at most */
	lp->pace = fmax(duration / n, 1e-6);
	lp->waits = chance(g, 0.5);
	if (chance(g, 0.5))
		g_strlcpy(lp->repeat, "forever", sizeof lp->repeat);
	else
		g_snprintf(lp->repeat, sizeof lp->repeat, "%" G_GUINT64_FORMAT,
		           chance(g, 0.5) ? 1000000 : between(g, 100000, 10000000));
	g->min_delay = lp->waits ? 0 : lp->pace / 2;
	g->min_timer = lp->waits ? 0 : fmin(lp->pace, 0.2);
	g->max_size = MAX(64, (uint64_t)((2 << 20) / n));
}

/* A program of zero sleeps that repeats forever: the one config that must
 * stall (stress_must_stall). */
static bool gen_stall(struct gen *g, enum net_role r)
{
	if (g->stall_role != (int)r)
		return false;
	g_string_append(g->ini, "# stalls on purpose: repeat = forever with only sleep 0\n");
	g_string_append(g->ini, "script = sleep 0");
	for (uint64_t i = 0, n = between(g, 0, 2); i < n; i++)
		g_string_append(g->ini, "; sleep 0");
	g_string_append(g->ini, "\nrepeat = forever\n");
	return true;
}

static void gen_client_script(struct gen *g, GString *s, const char *server_target, const struct client_loop *lp)
{
	if (lp->waits) {
		g_string_append(s, "sleep ");
		append_duration(g, s, lp->pace);
		g_string_append(s, "; ");
	} else if (chance(g, 0.2)) {
		append_sleep(g, s);
		g_string_append(s, "; ");
	}
	append_connect(g, s, server_target);
	append_data_phase(g, s, 5, false);
	append_ending(g, s);
}

static void gen_client(struct gen *g, const char *server_target, const struct client_loop *lp)
{
	GString *s = g_string_new(NULL);

	g->zero_sleeps = lp->pace > 0 && !lp->waits;
	if (lp->pace == 0 && chance(g, 0.05))
		append_chaos(g, s, false);
	else
		gen_client_script(g, s, server_target, lp);
	g->zero_sleeps = false;
	g_string_append(g->ini, "\n[client]\n");
	if (lp->pace == 0 && chance(g, 0.1))
		kv(g, "address", "10.0.0.1:%" G_GUINT64_FORMAT, between(g, 1, 65535));
	else
		kv(g, "address", "10.0.0.1");
	if (!gen_stall(g, NET_CLIENT)) {
		kv(g, "script", "%s", s->str);
		kv(g, "repeat", "%s", lp->repeat);
	}
	g_string_free(s, TRUE);
}

static void gen_server(struct gen *g, const char *server_target)
{
	GString *s = g_string_new(NULL);
	bool chaos = chance(g, 0.05);

	if (chaos) {
		append_chaos(g, s, true);
	} else if (chance(g, 0.97)) {
		g_string_append(s, "listen");
		if (chance(g, 0.2))
			g_string_append_printf(s, " backlog=%" G_GUINT64_FORMAT, between(g, 0, 5));
		g_string_append(s, "; accept; ");
		append_data_phase(g, s, 5, true);
		append_ending(g, s);
	} /* else an empty script: no program, connections are refused */
	g_string_append(g->ini, "\n[server]\n");
	kv(g, "address", "%s", server_target);
	if (gen_stall(g, NET_SERVER)) {
		g_string_free(s, TRUE);
		return;
	}
	kv(g, "script", "%s", s->str);
	/* forever, or a huge count: a program that blocks in accept() once
	 * clients stop; a chaos script may never block, and would loop until
	 * the duration or stall; an empty one (no program) is run through
	 * without an event, 4e9 times in 11 s */
	if (chance(g, 0.5) && !chaos && s->len > 0)
		kv(g, "repeat", "%s", PICK(g, "forever", "forever", "1", "1000000", "4294967296"));
	else
		kv(g, "repeat", "%" G_GUINT64_FORMAT, between(g, 1, 5));
	g_string_free(s, TRUE);
}

/* --- [faults] --- */

static void gen_faults(struct gen *g)
{
	g_string_append(g->ini, "\n[faults]\n");
	for (uint64_t i = 0, n = between(g, 1, 3); i < n; i++) {
		const char *action = PICK(g, "drop", "drop", "delay", "duplicate");
		GString *which = g_string_new(NULL);
		uint64_t k = between(g, 1, 10);
		switch (between(g, 0, 2)) {
		case 0:
			g_string_append_printf(which, "%" G_GUINT64_FORMAT "%s", k,
			                       k == 1 ? "st" : k == 2 ? "nd" : k == 3 ? "rd" : "th");
			break;
		case 1:
			g_string_append_printf(which, "first %" G_GUINT64_FORMAT, k);
			break;
		default:
			g_string_append(which, "all");
			break;
		}
		g_string_append_printf(g->ini, "f%" G_GUINT64_FORMAT " = %s %s %s %s", i, action, which->str,
		                       PICK(g, "client", "server"),
		                       PICK(g, "syn", "syn-ack", "ack", "ack-of-fin", "data", "fin", "rst", "any"));
		if (strcmp(action, "delay") == 0) {
			g_string_append(g->ini, " by ");
			append_duration(g, g->ini, logu(g, 1e-3, 120));
		}
		g_string_append_c(g->ini, '\n');
		g_string_free(which, TRUE);
	}
}

/* --- runs that must finish (the progress check) --- */

/* Two programs that both send, end their stream and read the peer's to
 * the end over a link that loses some but not all (configs/two_way_bulk.ini
 * deadlocked 34 seeds in 200 before 4612a0e), for long enough that only a
 * retry count exhausted by losses may stop them. */
static void gen_progress(struct gen *g)
{
	GString *c = g_string_new(NULL), *sv = g_string_new(NULL);
	static const uint64_t mss[] = {536, 1000, 1460, 8960};

	g_string_append(g->ini, "[simulation]\n");
	kv(g, "seed", "%" G_GUINT64_FORMAT, between(g, 0, UINT64_MAX));
	kv_duration(g, "duration", logu(g, 1800, 7200));
	if (chance(g, 0.8))
		kv(g, "profile", "%s", PICK(g, "linux", "bsd", "windows", "rfc"));
	g_string_append(g->ini, "\n[network]\n");
	kv_duration(g, "delay", chance(g, 0.1) ? 0 : logu(g, 1e-4, 0.3));
	kv_probability(g, "loss", chance(g, 0.2) ? 0 : chance(g, 0.8) ? uni(g) * 0.15 : uni(g) * 0.5);
	if (chance(g, 0.2))
		kv_probability(g, "duplicate", uni(g) * 0.1);
	if (chance(g, 0.2))
		gen_reorder(g);
	if (chance(g, 0.2))
		kv(g, "bandwidth", "%.0fkbit", logu(g, 1e3, 1e7));
	if (chance(g, 0.5)) {
		uint64_t m = mss[between(g, 0, G_N_ELEMENTS(mss) - 1)];
		g_string_append(g->ini, "\n[tcp]\n");
		kv(g, "mss", "%" G_GUINT64_FORMAT, m);
		if (chance(g, 0.5))
			kv(g, "rcvbuf", "%" G_GUINT64_FORMAT, (uint64_t)logu(g, 2.0 * (double)m + 40, 4 << 20));
		if (chance(g, 0.5))
			kv(g, "sndbuf", "%" G_GUINT64_FORMAT, (uint64_t)logu(g, 2.0 * (double)m, 4 << 20));
		if (chance(g, 0.3))
			kv_bool(g, "sack");
		if (chance(g, 0.3))
			kv_bool(g, "timestamps");
		if (chance(g, 0.3))
			kv(g, "nagle", "%s", PICK(g, "off", "rfc896", "minshall"));
		if (chance(g, 0.3))
			kv_bool(g, "tlp");
	}
	g_string_append_printf(c, "connect; send %" G_GUINT64_FORMAT "; ", (uint64_t)logu(g, 1, 200000));
	if (chance(g, 0.2)) {
		append_sleep(g, c);
		g_string_append(c, "; ");
	}
	g_string_append(c, chance(g, 0.2) ? "shutdown wr; recv all; close" : "shutdown; recv all; close");
	if (chance(g, 0.6))
		g_string_append_printf(sv, "listen; accept; send %" G_GUINT64_FORMAT "; shutdown; recv all; close",
		                       (uint64_t)logu(g, 1, 200000));
	else
		g_string_append_printf(sv, "listen; accept; recv all; send %" G_GUINT64_FORMAT "; close",
		                       (uint64_t)logu(g, 1, 200000));
	g_string_append(g->ini, "\n[client]\naddress = 10.0.0.1\n");
	kv(g, "script", "%s", c->str);
	g_string_append(g->ini, "\n[server]\naddress = 10.0.0.2:8080\n");
	kv(g, "script", "%s", sv->str);
	kv(g, "repeat", "%s", PICK(g, "1", "forever", "3"));
	g_string_free(c, TRUE);
	g_string_free(sv, TRUE);
}

char *stress_generate(uint64_t seed, uint64_t run)
{
	struct gen g = {rng_stream_new(seed, run, "stress.config"), g_string_new(NULL), UINT64_MAX / 20000,
	                UINT64_MAX, 0, 0, false, -1};
	struct client_loop loop;
	char target[32];

	g_string_append_printf(g.ini, "# tools/stress: run %" G_GUINT64_FORMAT " of seed %" G_GUINT64_FORMAT
	                       "\n", run, seed);
	if (chance(&g, 0.2)) {
		gen_progress(&g);
		gsl_rng_free(g.r);
		return g_string_free(g.ini, FALSE);
	}
	/* rarely: each costs SIM_QUEUE_STALL_EVENTS events, some 2 s */
	if (chance(&g, 1.0 / 2500))
		g.stall_role = (int)between(&g, 0, 1);
	double duration = gen_simulation(&g);
	draw_client_loop(&g, duration, &loop); /* before the network: its delay may pace the loop */
	gen_network(&g);
	gen_tcp(&g, duration);
	g_snprintf(target, sizeof target, "10.0.0.2:%" G_GUINT64_FORMAT,
	           chance(&g, 0.5) ? 8080 : between(&g, 1, 65535));
	gen_client(&g, target, &loop);
	gen_server(&g, target);
	if (chance(&g, 0.08))
		gen_faults(&g);
	gsl_rng_free(g.r);
	return g_string_free(g.ini, FALSE);
}

/* ------------------------------------------------------------------------
 * The oracle
 * --------------------------------------------------------------------- */

static bool script_has(const struct script *s, enum script_op op, uint32_t at_least)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < s->n; i++)
		n += s->calls[i].op == op;
	return n >= at_least;
}

/* Runs in which real TCP may accept old segments into a new connection,
 * so that data_intact may rightly be false: the same 4-tuple used again
 * (a fixed client port and more than one connection), or a host that
 * crashes and comes back within a segment lifetime (RFC 9293's quiet
 * time, which no one keeps). */
static bool data_exempt(const struct config *c)
{
	bool reuse = c->client.port != 0 &&
	             (c->client.repeat != 1 || script_has(&c->client.script, SCRIPT_CONNECT, 2));

	return reuse || script_has(&c->client.script, SCRIPT_CRASH, 1) ||
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
	bool closed = last && last->ret == 0 &&
	              (strcmp(last->name, "close") == 0 || strcmp(last->name, "abort") == 0);

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

/* With nothing in flight at the end, every copy sent was delivered or
 * dropped (a crashed host swallows packets silently: not checked then). */
static char *check_counters(const struct config *c, const struct net_stats *ns)
{
	if (script_has(&c->client.script, SCRIPT_CRASH, 1) || script_has(&c->server.script, SCRIPT_CRASH, 1))
		return NULL;
	if (ns->sent + ns->duplicated != ns->delivered + ns->dropped)
		return g_strdup_printf("oracle: network counters: sent %" G_GUINT64_FORMAT " + duplicated %"
		                       G_GUINT64_FORMAT " != delivered %" G_GUINT64_FORMAT " + dropped %"
		                       G_GUINT64_FORMAT " with nothing in flight",
		                       ns->sent, ns->duplicated, ns->delivered, ns->dropped);
	return NULL;
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
	if (!o->exempt && (ns->corrupted_bytes > 0 || (ns->short_streams > 0 && !ended_in_error(res->net))))
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
 * built once more from the same spec (config_to_spec, net_new, the same
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
	GHashTable *tx[NET_ROLES];    /* (conn << 32 | seq) -> struct streak */
	GArray *acks[NET_ROLES];      /* uint32_t ack of each ACK arriving at the role */
	bool closed[NET_ROLES];       /* close() returned 0 since its last connect/accept */
	uint64_t newest[NET_ROLES];   /* id of the role's newest connection (ids only grow) */
	uint64_t closed_conn[NET_ROLES]; /* the newest when close() returned 0 */
	enum tcp_state state[NET_ROLES]; /* of the role's newest connection */
	uint32_t best[NET_ROLES];     /* longest unanswered streak */
	char *excuse;                 /* a streak that exhausted its retry count */
	char *reset;                  /* a reset that reached an endpoint closed gracefully */
	uint8_t buf[WIRE_MAX_PACKET];
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
	bool answered = st->n == 0;
	for (uint32_t i = st->acks_seen; i < acks->len && !answered; i++)
		answered = seq_gt(g_array_index(acks, uint32_t, i), s->seq);
	if (answered) {
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
	if (!lk->excuse && (st->n > st->limit || by_time))
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
	if (lk->keep) {
		uint32_t len = wire_encode(e->pv, lk->buf, sizeof lk->buf);
		GBytes *b = g_bytes_new(lk->buf, len);
		bool bad = e->pv->kind == PACKET_TCP && e->pv->bad_checksum;
		if (e->at == lk->capture) {
			g_ptr_array_add(lk->cap_wire, g_bytes_ref(b));
			g_array_append_val(lk->cap_bad, bad);
		}
		g_ptr_array_add(lk->all_wire, b);
		g_array_append_val(lk->all_bad, bad);
		struct look_pkt p = {e->t, s->seq, s->len, (uint8_t)e->at, e->outgoing, (uint8_t)e->fate};
		g_array_append_val(lk->pkts, p);
	}
	if (e->pv->kind != PACKET_TCP)
		return;
	if (!e->outgoing)
		look_arrival(lk, e);
	else if (!(s->flags & TCP_RST) && e->why != TCP_SEND_ACK)
		look_transmission(lk, e);
}

static void look_state(void *ctx, const struct net_state_event *e)
{
	struct look *lk = ctx;

	lk->n_states++;
	if (e->conn_id < lk->newest[e->role])
		return; /* an older connection, still closing */
	lk->newest[e->role] = e->conn_id;
	lk->state[e->role] = e->to;
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

/* The world again, as run_world() in sim/run.c builds it; NULL when it
 * ends as the first run did, else how it differs. */
static char *look_run(struct look *lk, const struct run_result *first)
{
	struct sim_queue q;
	struct net_spec spec;
	struct net_observer obs = {lk, look_packet, look_state, look_call, NULL};
	char *why = NULL;

	sim_queue_init(&q);
	config_to_spec(lk->c, 0, &spec);
	struct net *n = net_new(&spec, &q, &obs);
	net_start(n);
	uint64_t events = sim_queue_run(&q, lk->c->duration);
	net_finish(n);
	for (int r = 0; r < NET_ROLES && !why; r++) {
		const struct net_role_stats *a = net_role_stats(first->net, (enum net_role)r);
		const struct net_role_stats *b = net_role_stats(n, (enum net_role)r);
		if (a->bytes_sent != b->bytes_sent || a->bytes_received != b->bytes_received ||
		    a->segments_sent != b->segments_sent || a->result != b->result)
			why = g_strdup_printf("oracle: the same config run twice differs: the %s sent %"
			                      G_GUINT64_FORMAT " segments, then %" G_GUINT64_FORMAT,
			                      net_role_name((enum net_role)r), a->segments_sent, b->segments_sent);
	}
	if (!why && events != first->events && !first->truncated)
		why = g_strdup_printf("oracle: the same config run twice differs: %" G_GUINT64_FORMAT
		                      " events, then %" G_GUINT64_FORMAT, first->events, events);
	sim_queue_clear(&q);
	net_free(n);
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
	return p->reset ? g_strdup_printf("oracle: progress: %s", p->reset) : NULL;
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
	size_t skip = pcap_datalink(pc) == DLT_EN10MB ? 14 : 0;
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
		else if (h->len != blen + skip || h->caplen < skip ||
		         memcmp(data + skip, wire, MIN(blen, h->caplen - skip)) != 0)
			why = g_strdup_printf("record %" G_GUINT64_FORMAT " (%u bytes) is not the packet sent (%zu "
			                      "bytes)", *n_read, h->len, (size_t)blen);
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
	if (why) {
		char *w = g_strdup_printf("oracle: outputs: %s: %s", path, why);
		g_free(why);
		why = w;
	}
	return why;
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
	uint64_t n[3] = {0, 0, 0};
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
			if (!p || !seq || !len || g_ascii_strtoull(seq, NULL, 10) != p->seq ||
			    g_ascii_strtoull(len, NULL, 10) != p->len ||
			    fabs(ts - (double)p->t / SEC_NS) > 1e-6)
				why = g_strdup_printf("line %td: packet %" G_GUINT64_FORMAT " is not the one sent",
				                      l - lines + 1, n[0]);
			n[0]++;
		} else {
			n[g_str_has_prefix(ev, "\"state\"") ? 1 : 2]++;
		}
	}
	if (!why && (n[0] != lk->n_packets || n[1] != lk->n_states || n[2] != lk->n_calls))
		why = g_strdup_printf("%" G_GUINT64_FORMAT " packets, %" G_GUINT64_FORMAT " states, %"
		                      G_GUINT64_FORMAT " calls; the run had %" G_GUINT64_FORMAT ", %"
		                      G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT, n[0], n[1], n[2], lk->n_packets,
		                      lk->n_states, lk->n_calls);
	g_strfreev(lines);
	g_free(text);
	if (why) {
		char *w = g_strdup_printf("oracle: outputs: %s: %s", path, why);
		g_free(why);
		why = w;
	}
	return why;
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
	if (stress_must_stall(c))
		return NULL;
	return g_strdup_printf("oracle: stalled, but no program repeats forever with only sleep 0: %s",
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

/* ------------------------------------------------------------------------
 * Running many
 * --------------------------------------------------------------------- */

void stress_opts_default(struct stress_opts *o)
{
	*o = (struct stress_opts){.seed = 1, .first = 0, .runs = 300, .jobs = 0, .timeout_s = 30,
	                          .max_events = 5000000, .fail_dir = NULL, .log = NULL, .quiet = false,
	                          .model_error_run = -1};
}

enum verdict { V_PASS, V_REJECTED, V_CRASH, V_HANG, V_ORACLE };

static enum verdict verdict_of(const char *why)
{
	if (!why)
		return V_PASS;
	if (g_str_has_prefix(why, "rejected"))
		return V_REJECTED;
	if (g_str_has_prefix(why, "hang"))
		return V_HANG;
	if (g_str_has_prefix(why, "crash"))
		return V_CRASH;
	return V_ORACLE;
}

/* What a worker tells the parent about one run. */
struct msg {
	uint64_t run;
	uint32_t done;            /* 0: START (the run begins), 1: DONE */
	uint32_t verdict;         /* enum verdict, DONE only */
	struct stress_outcome out;
	double wall;              /* seconds */
};

/* One process's state for running configs. */
struct runner {
	const struct stress_opts *o;
	FILE *log;
	char *dir;                /* private temporary folder */
	char *ini_path;           /* dir/stress.ini: the run's config */
	char *out_dir;            /* dir/out: its outputs */
	int fd;                   /* a worker's pipe to the parent, -1 in the parent */
};

/* Prepared before each run for the signal handlers (see the top). */
static struct {
	char *ini;                /* the run's config */
	char *crash_text;         /* header + config, for a crash */
	char *hang_text;          /* header + config, for a hang */
	char *crash_path, *hang_path; /* where to save them, NULL: nowhere */
	char *fail_dir;
	bool silent;              /* a worker: the parent reports for it */
} pending;

static void write_all(int fd, const char *s)
{
	size_t n = strlen(s);

	while (n > 0) {
		ssize_t k = write(fd, s, n);
		if (k <= 0 && errno != EINTR)
			return;
		if (k > 0) {
			s += k;
			n -= (size_t)k;
		}
	}
}

/* Async-signal-safe: write(), open(), mkdir(), close() only. */
static void dump_pending(const char *text, const char *path)
{
	if (!text || pending.silent)
		return;
	write_all(STDERR_FILENO, text);
	if (!path)
		return;
	mkdir(pending.fail_dir, 0755);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		write_all(fd, text);
		close(fd);
		write_all(STDERR_FILENO, "stress: saved as ");
		write_all(STDERR_FILENO, path);
		write_all(STDERR_FILENO, "\n");
	}
}

static void on_fatal_signal(int sig)
{
	dump_pending(pending.crash_text, pending.crash_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_alarm(int sig)
{
	(void)sig;
	dump_pending(pending.hang_text, pending.hang_path);
	_exit(STRESS_EXIT_HANG);
}

/* Sanitizers call this before they end the process (weak: absent when the
 * build has no sanitizer). */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static void on_sanitizer_death(void)
{
	dump_pending(pending.crash_text, pending.crash_path);
}

/* A run that eats memory without bound (an ACK storm multiplied by
 * duplication, say) must fail as a crash, not take the machine down: cap
 * the address space, unless a sanitizer owns it (its shadow memory needs
 * terabytes of it; use ASAN_OPTIONS=hard_rss_limit_mb there). */
#define STRESS_MEMORY_LIMIT ((rlim_t)4 << 30)

static void limit_memory(void)
{
	struct rlimit rl;

	if (__sanitizer_set_death_callback || getrlimit(RLIMIT_AS, &rl) != 0)
		return;
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > STRESS_MEMORY_LIMIT) {
		rl.rlim_cur = STRESS_MEMORY_LIMIT;
		setrlimit(RLIMIT_AS, &rl);
	}
}

static void install_handlers(void)
{
	static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP};
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal_signal;
	for (size_t i = 0; i < G_N_ELEMENTS(fatal); i++)
		sigaction(fatal[i], &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(on_sanitizer_death);
}

static char *failure_path(const struct stress_opts *o, const char *kind, uint64_t run)
{
	if (!o->fail_dir)
		return NULL;
	char *name = g_strdup_printf("%s-seed%" G_GUINT64_FORMAT "-run%" G_GUINT64_FORMAT ".ini", kind,
	                             o->seed, run);
	char *path = g_build_filename(o->fail_dir, name, NULL);
	g_free(name);
	return path;
}

/* "# tcpsim stress: WHY" lines, the replay commands, then the config. */
static char *failure_text(const struct stress_opts *o, uint64_t run, const char *why, const char *ini)
{
	return g_strdup_printf("# tools/stress failure: %s\n"
	                       "# run %" G_GUINT64_FORMAT " of seed %" G_GUINT64_FORMAT
	                       "; replay: build/tools/stress --replay THIS_FILE, or ./tcpsim THIS_FILE\n%s",
	                       why, run, o->seed, ini);
}

static void clear_pending(void)
{
	g_clear_pointer(&pending.ini, g_free);
	g_clear_pointer(&pending.crash_text, g_free);
	g_clear_pointer(&pending.hang_text, g_free);
	g_clear_pointer(&pending.crash_path, g_free);
	g_clear_pointer(&pending.hang_path, g_free);
}

static void prepare_pending(const struct stress_opts *o, uint64_t run, char *ini)
{
	char *why;

	clear_pending();
	pending.ini = ini;
	why = g_strdup_printf("crash (a signal or a sanitizer report) in run %" G_GUINT64_FORMAT, run);
	pending.crash_text = failure_text(o, run, why, ini);
	g_free(why);
	why = g_strdup_printf("hang (more than %u s of wall-clock time) in run %" G_GUINT64_FORMAT,
	                      o->timeout_s, run);
	pending.hang_text = failure_text(o, run, why, ini);
	g_free(why);
	pending.crash_path = failure_path(o, "crash", run);
	pending.hang_path = failure_path(o, "hang", run);
}

static void report_failure(struct runner *rn, uint64_t run, const char *why, const char *ini)
{
	char *text = failure_text(rn->o, run, why, ini);
	char *path = failure_path(rn->o, verdict_of(why) == V_REJECTED ? "rejected" :
	                                 verdict_of(why) == V_HANG ? "hang" :
	                                 verdict_of(why) == V_CRASH ? "crash" : "oracle", run);

	fprintf(rn->log, "stress: FAIL run %" G_GUINT64_FORMAT ": %s\n%s", run, why, text);
	if (path) {
		g_mkdir_with_parents(rn->o->fail_dir, 0755);
		if (g_file_set_contents(path, text, -1, NULL))
			fprintf(rn->log, "stress: saved as %s\n", path);
	}
	fflush(rn->log);
	g_free(path);
	g_free(text);
}

static bool write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	bool ok = f && fputs(text, f) >= 0;

	if (f)
		ok = fclose(f) == 0 && ok;
	return ok;
}

/* The run under way, for on_model_error(). */
static struct current_run {
	struct runner *rn;
	uint64_t run;
	struct msg *m;
	int fd;                   /* a worker's pipe to the parent, or -1 */
} current = {NULL, 0, NULL, -1};

static bool send_msg(int fd, const struct msg *m);

/* The model checks its invariants after every endpoint call (models/tcp.c,
 * tcp_check_invariants: a timer owed to outstanding data, a SYN or a FIN)
 * and stops on g_error(), which aborts.  Its message is the reason: report
 * the run as a crash with it, tell the parent, and leave (the process's
 * state is not to be trusted); the parent goes on with the stride. */
static void on_model_error(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
	/* the default handler aborts on an error itself (GLib's structured
	 * writer: SIGTRAP), before the report: call it last */
	if (!(level & G_LOG_LEVEL_ERROR) || !current.rn) {
		g_log_default_handler(domain, level, message, data);
		return;
	}
	char *why = g_strdup_printf("crash: the model stopped: %s", message);
	report_failure(current.rn, current.run, why, pending.ini);
	g_free(why);
	current.m->verdict = V_CRASH;
	current.m->done = 1;
	if (current.fd >= 0 && send_msg(current.fd, current.m))
		_exit(STRESS_EXIT_GERROR);
	pending.crash_text = NULL; /* reported: the abort that follows adds nothing */
	g_log_default_handler(domain, level, message, data);
}

/* One run: generate, write, run under the alarm, judge. */
static void run_one(struct runner *rn, uint64_t run, struct msg *m)
{
	char *ini = stress_generate(rn->o->seed, run);
	gint64 start = g_get_monotonic_time();
	char *why;

	memset(m, 0, sizeof *m);
	m->run = run;
	m->done = 1;
	prepare_pending(rn->o, run, ini); /* takes ini */
	current = (struct current_run){rn, run, m, rn->fd};
	if (!write_file(rn->ini_path, ini)) {
		why = g_strdup_printf("crash: cannot write %s: %s", rn->ini_path, g_strerror(errno));
	} else if ((int64_t)run == rn->o->model_error_run && rn->fd >= 0) {
		/* no model bug is known to reach this path: tests make one */
		g_error("invariant broken on purpose in run %" G_GUINT64_FORMAT, run);
	} else {
		alarm(rn->o->timeout_s);
		why = stress_check_file(rn->ini_path, rn->out_dir, rn->o->max_events, &m->out);
		alarm(0);
	}
	current.rn = NULL;
	m->wall = (double)(g_get_monotonic_time() - start) / 1e6;
	m->verdict = verdict_of(why);
	if (why)
		report_failure(rn, run, why, ini);
	g_free(why);
	clear_pending();
}

static void tally(struct stress_totals *t, const struct msg *m)
{
	t->runs++;
	t->failures += m->verdict != V_PASS;
	t->rejected += m->verdict == V_REJECTED;
	t->crashes += m->verdict == V_CRASH;
	t->hangs += m->verdict == V_HANG;
	t->oracle += m->verdict == V_ORACLE;
	if (m->verdict == V_REJECTED || m->verdict == V_CRASH)
		return; /* no outcome to count */
	t->truncated += m->out.truncated;
	t->exempt += m->out.exempt;
	t->intact += m->out.intact;
	t->stalled += m->out.stalled;
	t->progress += m->out.progress;
	t->streak += m->out.streak;
	t->outputs += m->out.outputs;
	t->events += m->out.events;
	if (m->out.events > t->max_events) {
		t->max_events = m->out.events;
		t->max_events_run = m->run;
	}
	if (m->wall > t->max_wall) {
		t->max_wall = m->wall;
		t->max_wall_run = m->run;
	}
	for (int r = 0; r < 2 && !m->out.truncated; r++)
		if (m->out.final_state[r] < TCP_STATE_COUNT)
			t->final_state[r][m->out.final_state[r]]++;
}

static bool runner_init(struct runner *rn, const struct stress_opts *o)
{
	GError *error = NULL;
	const char *base = g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) && access("/dev/shm", W_OK) == 0
	                   ? "/dev/shm" : g_get_tmp_dir();
	char *tmpl = g_build_filename(base, "tcpsim-stress-XXXXXX", NULL);

	memset(rn, 0, sizeof *rn);
	rn->o = o;
	rn->log = o->log ? o->log : stderr;
	rn->dir = g_mkdtemp(tmpl);
	if (!rn->dir) {
		fprintf(rn->log, "stress: cannot make a temporary folder: %s\n", g_strerror(errno));
		g_free(tmpl);
		g_clear_error(&error);
		return false;
	}
	rn->fd = -1;
	rn->ini_path = g_build_filename(rn->dir, "stress.ini", NULL);
	rn->out_dir = g_build_filename(rn->dir, "out", NULL);
	pending.fail_dir = o->fail_dir ? g_strdup(o->fail_dir) : NULL;
	install_handlers();
	g_log_set_default_handler(on_model_error, NULL);
	return true;
}

static void remove_tree(const char *path)
{
	GDir *d = g_dir_open(path, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d)) != NULL) {
		char *child = g_build_filename(path, name, NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR) && !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
			remove_tree(child);
		else
			g_unlink(child);
		g_free(child);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(path);
}

static void runner_clear(struct runner *rn)
{
	if (rn->dir)
		remove_tree(rn->dir);
	g_free(rn->dir);
	g_free(rn->ini_path);
	g_free(rn->out_dir);
	g_clear_pointer(&pending.fail_dir, g_free);
	memset(rn, 0, sizeof *rn);
}

static void progress(const struct stress_opts *o, FILE *log, const struct stress_totals *t, gint64 start)
{
	uint64_t step = o->runs >= 10000 ? 1000 : o->runs >= 1000 ? 100 : 0;

	if (o->quiet || step == 0 || t->runs % step != 0)
		return;
	fprintf(log, "stress: %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " runs, %" G_GUINT64_FORMAT
	        " failures, %.1f s\n", t->runs, o->runs, t->failures,
	        (double)(g_get_monotonic_time() - start) / 1e6);
	fflush(log);
}

/* --jobs 0: every run in this process. */
static void run_here(struct runner *rn, struct stress_totals *t, gint64 start)
{
	const struct stress_opts *o = rn->o;

	for (uint64_t run = o->first; run < o->first + o->runs; run++) {
		struct msg m;
		run_one(rn, run, &m);
		tally(t, &m);
		progress(o, rn->log, t, start);
	}
}

static bool send_msg(int fd, const struct msg *m)
{
	const char *p = (const char *)m;
	size_t n = sizeof *m;

	while (n > 0) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

/* A worker: the runs from `from` in steps of `step`, each announced. */
static G_GNUC_NORETURN void worker_main(struct runner *rn, int fd, uint64_t from, uint64_t step)
{
	const uint64_t end = rn->o->first + rn->o->runs;

	limit_memory();
	rn->fd = fd;
	for (uint64_t run = from; run < end; run += step) {
		struct msg m = {.run = run, .done = 0};
		if (!send_msg(fd, &m))
			_exit(1);
		run_one(rn, run, &m);
		if (!send_msg(fd, &m))
			_exit(1);
	}
	close(fd);
	_exit(0);
}

struct worker {
	pid_t pid;                /* 0 when finished */
	int fd;                   /* read end of its pipe */
	uint64_t started;         /* the run it announced last */
	bool running;             /* between START and DONE */
	struct msg buf;           /* a message being read */
	size_t have;              /* bytes of buf read */
};

/* A worker's own config file and output folder, in the shared folder. */
static void worker_paths(struct runner *rn)
{
	char *name = g_strdup_printf("stress-%d.ini", (int)getpid());
	char *out = g_strdup_printf("out-%d", (int)getpid());

	g_free(rn->ini_path);
	g_free(rn->out_dir);
	rn->ini_path = g_build_filename(rn->dir, name, NULL);
	rn->out_dir = g_build_filename(rn->dir, out, NULL);
	g_free(name);
	g_free(out);
}

static bool spawn(struct runner *rn, struct worker *w, uint64_t from, uint64_t step)
{
	int p[2];

	if (from >= rn->o->first + rn->o->runs) {
		w->pid = 0;
		return true;
	}
	if (pipe(p) != 0)
		return false;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return false;
	}
	if (pid == 0) {
		close(p[0]);
		pending.silent = true;
		worker_paths(rn);
		worker_main(rn, p[1], from, step);
	}
	close(p[1]);
	*w = (struct worker){.pid = pid, .fd = p[0]};
	return true;
}

/* A worker's pipe reached its end: reap it, charge a run it died in. */
static bool reap(struct runner *rn, struct worker *w, struct stress_totals *t, unsigned jobs)
{
	int status = 0;

	close(w->fd);
	waitpid(w->pid, &status, 0);
	w->pid = 0;
	if (!w->running && WIFEXITED(status) && WEXITSTATUS(status) == STRESS_EXIT_GERROR)
		return spawn(rn, w, w->started + jobs, jobs); /* reported and tallied: go on */
	if (!w->running)
		return true;
	struct msg m = {.run = w->started, .done = 1};
	bool hang = WIFEXITED(status) && WEXITSTATUS(status) == STRESS_EXIT_HANG;
	char *why = hang ? g_strdup_printf("hang: more than %u s of wall-clock time", rn->o->timeout_s)
	          : WIFSIGNALED(status)
	          ? g_strdup_printf("crash: killed by signal %d (%s; its report is above)", WTERMSIG(status),
	                            g_strsignal(WTERMSIG(status)))
	          : g_strdup_printf("crash: exit status %d (a sanitizer report, above)", WEXITSTATUS(status));
	char *ini = stress_generate(rn->o->seed, w->started); /* the same text the worker ran */
	m.verdict = hang ? V_HANG : V_CRASH;
	report_failure(rn, w->started, why, ini);
	g_free(ini);
	g_free(why);
	tally(t, &m);
	return spawn(rn, w, w->started + jobs, jobs); /* go on with the rest of its stride */
}

/* Reads what is available; false at the end of the pipe. */
static bool read_worker(struct worker *w, struct stress_totals *t)
{
	ssize_t k = read(w->fd, (char *)&w->buf + w->have, sizeof w->buf - w->have);

	if (k < 0 && errno == EINTR)
		return true;
	if (k <= 0)
		return false;
	w->have += (size_t)k;
	if (w->have < sizeof w->buf)
		return true;
	w->have = 0;
	w->started = w->buf.run;
	w->running = !w->buf.done;
	if (w->buf.done)
		tally(t, &w->buf);
	return true;
}

static bool run_workers(struct runner *rn, struct stress_totals *t, gint64 start)
{
	unsigned jobs = rn->o->jobs;
	struct worker *w = g_new0(struct worker, jobs);
	bool ok = true;

	for (unsigned k = 0; k < jobs && ok; k++)
		ok = spawn(rn, &w[k], rn->o->first + k, jobs);
	for (;;) {
		struct pollfd pfd[64];
		unsigned idx[64], n = 0;
		for (unsigned k = 0; k < jobs && n < G_N_ELEMENTS(pfd); k++)
			if (w[k].pid > 0) {
				pfd[n] = (struct pollfd){.fd = w[k].fd, .events = POLLIN};
				idx[n++] = k;
			}
		if (n == 0)
			break;
		if (poll(pfd, n, -1) < 0 && errno != EINTR)
			break;
		for (unsigned i = 0; i < n; i++) {
			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			uint64_t before = t->runs;
			if (!read_worker(&w[idx[i]], t))
				ok = reap(rn, &w[idx[i]], t, jobs) && ok;
			if (t->runs != before)
				progress(rn->o, rn->log, t, start);
		}
	}
	g_free(w);
	return ok;
}

bool stress_run(const struct stress_opts *o, struct stress_totals *t)
{
	struct runner rn;
	gint64 start = g_get_monotonic_time();
	bool ok;

	memset(t, 0, sizeof *t);
	if (!runner_init(&rn, o))
		return false;
	if (o->jobs == 0) {
		run_here(&rn, t, start);
		ok = true;
	} else {
		ok = run_workers(&rn, t, start);
	}
	t->wall = (double)(g_get_monotonic_time() - start) / 1e6;
	runner_clear(&rn);
	return ok && t->failures == 0 && t->runs == o->runs;
}

void stress_print_totals(FILE *out, const struct stress_opts *o, const struct stress_totals *t)
{
	fprintf(out, "stress: %" G_GUINT64_FORMAT " runs (seed %" G_GUINT64_FORMAT ", runs %" G_GUINT64_FORMAT
	        "..%" G_GUINT64_FORMAT ", %u jobs) in %.1f s: %" G_GUINT64_FORMAT " failures (%"
	        G_GUINT64_FORMAT " rejected, %" G_GUINT64_FORMAT " crashes, %" G_GUINT64_FORMAT " hangs, %"
	        G_GUINT64_FORMAT " oracle)\n", t->runs, o->seed, o->first, o->first + o->runs - 1, o->jobs,
	        t->wall, t->failures, t->rejected, t->crashes, t->hangs, t->oracle);
	fprintf(out, "  %" G_GUINT64_FORMAT " runs ended on their own, %" G_GUINT64_FORMAT
	        " at their duration; data intact in %" G_GUINT64_FORMAT ", not checked in %" G_GUINT64_FORMAT
	        " (4-tuple reuse or crash)\n", t->runs - t->truncated - t->rejected - t->crashes,
	        t->truncated, t->intact, t->exempt);
	fprintf(out, "  progress checked on %" G_GUINT64_FORMAT " runs (%" G_GUINT64_FORMAT " of them timed "
	        "out legitimately: a loss streak exhausted a retry count); outputs parsed back on %"
	        G_GUINT64_FORMAT " runs; %" G_GUINT64_FORMAT " stalled on purpose (repeat = forever with only sleep 0)\n",
	        t->progress, t->streak, t->outputs, t->stalled);
	fprintf(out, "  events: %" G_GUINT64_FORMAT " in all, at most %" G_GUINT64_FORMAT " (run %"
	        G_GUINT64_FORMAT "); slowest run %.3f s (run %" G_GUINT64_FORMAT ")\n", t->events,
	        t->max_events, t->max_events_run, t->max_wall, t->max_wall_run);
	for (int r = 0; r < 2; r++) {
		fprintf(out, "  final states, %s:", net_role_name((enum net_role)r));
		for (int s = 0; s < TCP_STATE_COUNT; s++)
			if (t->final_state[r][s])
				fprintf(out, " %s %" G_GUINT64_FORMAT, tcp_state_name((enum tcp_state)s),
				        t->final_state[r][s]);
		fprintf(out, "\n");
	}
}

/* ------------------------------------------------------------------------
 * The command line
 * --------------------------------------------------------------------- */

#ifndef STRESS_NO_MAIN

static int replay(const struct stress_opts *o, char **files)
{
	struct runner rn;
	int failed = 0;

	if (!runner_init(&rn, o))
		return 1;
	for (char **f = files; *f; f++) {
		struct stress_outcome out;
		alarm(o->timeout_s);
		char *why = stress_check_file(*f, rn.out_dir, o->max_events, &out);
		alarm(0);
		printf("%s: %s (%" G_GUINT64_FORMAT " events%s)\n", *f, why ? why : "pass", out.events,
		       out.truncated ? ", stopped by its duration" : "");
		failed += why != NULL;
		g_free(why);
	}
	runner_clear(&rn);
	return failed ? 1 : 0;
}

/* What the command line asks for, besides the stress options. */
struct cli {
	gint64 print_run;         /* --print R, else -1 */
	gboolean replay;          /* --replay FILE... */
	char **files;             /* the FILEs */
	char *seed_text, *fail_dir;
};

static bool parse_args(int argc, char **argv, struct stress_opts *o, struct cli *cli, GError **error)
{
	gint64 runs = 20000, first = 0, max_events = 0;
	gint jobs = 0, timeout = 0;
	gboolean quiet = FALSE;
	const GOptionEntry entries[] = {
		{"runs", 'n', 0, G_OPTION_ARG_INT64, &runs, "Number of runs (20000)", "N"},
		{"first", 0, 0, G_OPTION_ARG_INT64, &first, "First run number (0)", "R"},
		{"seed", 0, 0, G_OPTION_ARG_STRING, &cli->seed_text, "Generator seed (1)", "S"},
		{"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Worker processes; 0 = this process (0)", "J"},
		{"timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Wall-clock limit of one run, s (30)", "SEC"},
		{"max-events", 0, 0, G_OPTION_ARG_INT64, &max_events,
		 "Events of one run beyond what its config asks for that mean a hang (5000000)", "N"},
		{"failures", 0, 0, G_OPTION_ARG_FILENAME, &cli->fail_dir, "Save failing configs in DIR", "DIR"},
		{"print", 0, 0, G_OPTION_ARG_INT64, &cli->print_run, "Print the config of run R and exit", "R"},
		{"replay", 0, 0, G_OPTION_ARG_NONE, &cli->replay, "Run the config files given through the oracle", NULL},
		{"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress lines", NULL},
		{G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &cli->files, NULL, "[FILE...]"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	GOptionContext *ctx = g_option_context_new("- random configs through tcpsim and its oracle");
	g_option_context_add_main_entries(ctx, entries, NULL);
	bool ok = g_option_context_parse(ctx, &argc, &argv, error);
	g_option_context_free(ctx);
	stress_opts_default(o);
	if (ok && cli->seed_text)
		ok = g_ascii_string_to_unsigned(cli->seed_text, 10, 0, G_MAXUINT64, &o->seed, error);
	if (!ok)
		return false;
	if (runs < 1 || first < 0 || jobs < 0 || timeout < 0 || max_events < 0 ||
	    (cli->replay && (!cli->files || !cli->files[0])) || (!cli->replay && cli->files)) {
		g_set_error_literal(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "bad arguments");
		return false;
	}
	o->runs = (uint64_t)runs;
	o->first = (uint64_t)first;
	o->jobs = (unsigned)jobs;
	o->timeout_s = timeout ? (unsigned)timeout : o->timeout_s;
	o->max_events = max_events ? (uint64_t)max_events : o->max_events;
	o->fail_dir = cli->fail_dir;
	o->quiet = quiet;
	return true;
}

int main(int argc, char **argv)
{
	struct stress_opts o;
	struct cli cli = {.print_run = -1};
	GError *error = NULL;
	int status;

	if (!parse_args(argc, argv, &o, &cli, &error)) {
		fprintf(stderr, "stress: %s\nTry \"stress --help\".\n", error->message);
		g_error_free(error);
		return 2;
	}
	if (cli.print_run >= 0) {
		char *ini = stress_generate(o.seed, (uint64_t)cli.print_run);
		fputs(ini, stdout);
		g_free(ini);
		status = 0;
	} else if (cli.replay) {
		status = replay(&o, cli.files);
	} else {
		struct stress_totals t;
		bool ok = stress_run(&o, &t);
		stress_print_totals(stdout, &o, &t);
		status = ok ? 0 : 1;
	}
	g_strfreev(cli.files);
	g_free(cli.seed_text);
	g_free(cli.fail_dir);
	return status;
}

#endif
