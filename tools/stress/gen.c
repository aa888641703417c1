/*
 * The stress generator (tools/stress/gen.c): run R of seed S as a random
 * config, stress_generate(S, R).
 *
 * Why a file of its own: what the stress covers is decided here and only
 * here; the oracle (oracle.c) judges whatever it is given and the runner
 * (runner.c) only asks for run after run, so a new key or program shape is
 * stressed by editing this file alone.
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
 */
#include "tools/stress/stress_int.h"

#include <math.h>
#include <string.h>
#include <glib.h>
#include <gsl/gsl_rng.h>
#include "sim/config/keys.h"
#include "sim/engine/rng.h"
#include "sim/world/net.h"

struct gen {
	gsl_rng *r;       /* the run's one stream */
	GString *ini;     /* the text being written */
	uint64_t min_buf; /* smallest send or receive buffer written so far (after the floor) */
	uint64_t max_size; /* largest send or recv count (a looping client's are small) */
	double min_delay; /* one-way delay every direction must have, s (see struct client_loop) */
	double min_timer; /* smallest RTO or connect limit, s (ditto) */
	bool zero_sleeps; /* every sleep is `sleep 0` (a client that loops without waits) */
	int stall_role;   /* the role whose program stalls on purpose (enum net_role), or -1 */
	gsl_rng *netem;   /* netem's laws: a stream of their own, so that the keys drawn
	                     from `r` (every config before them) stay as they were */
	gsl_rng *words;   /* loss_burst, loss_model_start and `netem =`: a stream of their
	                     own again, so that the configs before them stay as they were */
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

/* --- netem's laws, from g->netem only --- */

static double nuni(struct gen *g) { return gsl_rng_uniform(g->netem); }
static bool nchance(struct gen *g, double p) { return nuni(g) < p; }

static void nkv_probability(struct gen *g, const char *key, double p)
{
	kv(g, key, "%.6f", p);
}

/* A loss model with its keys (a direction's section whose loss nobody
 * set: the loader refuses `loss` beside gemodel or state). */
static void gen_loss_model(struct gen *g)
{
	if (nchance(g, 0.5)) {
		kv(g, "loss_model", "gemodel");
		nkv_probability(g, "ge_p", nuni(g) * 0.2);
		nkv_probability(g, "ge_r", nuni(g));
		if (nchance(g, 0.5))
			nkv_probability(g, "ge_1h", nuni(g));
		if (nchance(g, 0.5))
			nkv_probability(g, "ge_1k", nuni(g) * 0.1);
		return;
	}
	double p13 = nuni(g) * 0.3, p31 = 0.05 + nuni(g) * 0.9;
	kv(g, "loss_model", "state");
	nkv_probability(g, "state_p13", p13);
	nkv_probability(g, "state_p31", p31);
	nkv_probability(g, "state_p32", nuni(g) * (1 - p31));
	nkv_probability(g, "state_p23", nuni(g));
	nkv_probability(g, "state_p14", nuni(g) * (1 - p13));
}

/* Now and then (10% of sections) some of netem's laws for the section
 * just written: `from` is where it started in g->ini; a loss model only
 * in a direction's section when no loss was set (loss_set: in [network]). */
static void gen_netem_keys(struct gen *g, size_t from, bool direction, bool loss_set)
{
	const char *sec = g->ini->str + from;
	bool own_loss = strstr(sec, "\nloss = ") != NULL, bandwidth = strstr(sec, "\nbandwidth = ") != NULL;
	bool model = false;

	if (!nchance(g, 0.1))
		return;
	if (direction && !loss_set && !own_loss && nchance(g, 0.4)) {
		gen_loss_model(g);
		model = true;
	}
	if (!model && direction && nchance(g, 0.3))
		nkv_probability(g, "loss_correlation", nuni(g) * 0.95);
	if (nchance(g, 0.3))
		nkv_probability(g, "delay_correlation", nuni(g) * 0.95);
	if (nchance(g, 0.2))
		nkv_probability(g, "reorder_correlation", nuni(g) * 0.95);
	if (nchance(g, 0.2))
		nkv_probability(g, "duplicate_correlation", nuni(g) * 0.95);
	if (nchance(g, 0.4)) {
		nkv_probability(g, "corrupt", nchance(g, 0.8) ? nuni(g) * 0.1 : nuni(g));
		if (nchance(g, 0.3))
			nkv_probability(g, "corrupt_correlation", nuni(g) * 0.95);
	}
	if (bandwidth && nchance(g, 0.4)) {
		kv(g, "rate_overhead", "%d", (int)(nuni(g) * 100) - 20);
		if (nchance(g, 0.5)) {
			kv(g, "rate_cell_size", "%d", 1 + (int)(nuni(g) * 100));
			kv(g, "rate_cell_overhead", "%d", (int)(nuni(g) * 10));
		}
	}
}

/* --- loss_burst, loss_model_start and netem's words, from g->words only --- */

static double wuni(struct gen *g) { return gsl_rng_uniform(g->words); }
static bool wchance(struct gen *g, double p) { return wuni(g) < p; }

/* The value of `key` as written in the section starting at `from` (up to
 * the next section), or NULL when it is not there. */
static const char *written(const struct gen *g, size_t from, const char *key)
{
	const char *sec = g->ini->str + from, *end = strstr(sec + 1, "\n[");
	char *pat = g_strdup_printf("\n%s = ", key);
	const char *at = strstr(sec, pat);
	size_t skip = strlen(pat);

	g_free(pat);
	return at && (!end || at < end) ? at + skip : NULL;
}

/* A probability `key` as written there (with or without %), -1 when it
 * is not there. */
static double written_probability(const struct gen *g, size_t from, const char *key)
{
	const char *text = written(g, from, key);
	char *rest;
	double v;

	if (!text)
		return -1;
	v = g_ascii_strtod(text, &rest);
	return *rest == '%' ? v / 100 : v;
}

/* Sometimes (10%) `loss_burst` in a direction's section (`from`; [network]
 * at `net`): the loader turns `loss` into the simple Gilbert model, so
 * the section's law must have no other loss model nor correlation, and
 * the burst must be long enough for the loss (B >= L / (1 - L)). */
static void gen_loss_burst(struct gen *g, size_t from, size_t net)
{
	double loss = written_probability(g, from, "loss");

	if (!wchance(g, 0.1))
		return;
	if (written(g, from, "loss_model") || written(g, net, "loss_model") ||
	    written(g, from, "loss_correlation") || written(g, net, "loss_correlation"))
		return;
	if (loss < 0)
		loss = fmax(written_probability(g, net, "loss"), 0);
	if (loss >= 1)
		return;
	double shortest = fmax(1, loss / (1 - loss)); /* rounded up below: never shorter */
	double spread = wuni(g);
	double burst = shortest * (1.0001 + spread * (wchance(g, 0.8) ? 15 : 1000));
	kv(g, "loss_burst", "%.6f", ceil(burst * 1e6) / 1e6);
}

/* loss_model_start, now and then; more often where a chain is set. */
static void gen_loss_start(struct gen *g, size_t from)
{
	bool chain = written(g, from, "loss_model") || written(g, from, "loss_burst");

	if (wchance(g, chain ? 0.3 : 0.02))
		kv(g, "loss_model_start", "%s", wchance(g, 0.5) ? "stationary" : "good");
}

static void word_pct(GString *w, double p)
{
	g_string_append_printf(w, " %.4f%%", p * 100);
}

/* netem's loss words: random with a correlation, gemodel or state, each
 * with some of tc's optional values left out (its defaults then). */
static void gen_netem_loss(struct gen *g, GString *w)
{
	double u = wuni(g);

	if (u < 0.4) {
		g_string_append(w, " loss");
		if (wchance(g, 0.3))
			g_string_append(w, " random");
		word_pct(w, wchance(g, 0.8) ? wuni(g) * 0.2 : wuni(g));
		if (wchance(g, 0.5))
			word_pct(w, wuni(g) * 0.95);
	} else if (u < 0.7) {
		int n = 1 + (int)(wuni(g) * 4);
		g_string_append(w, " loss gemodel");
		word_pct(w, wuni(g) * 0.2);
		for (int i = 1; i < n; i++)
			word_pct(w, i == 3 ? wuni(g) * 0.1 : wuni(g));
	} else {
		double p13 = wuni(g) * 0.3, p31 = 0.05 + wuni(g) * 0.9;
		double v[5] = {p13, p31}; /* one draw after another: an initializer's are unordered */
		v[2] = wuni(g) * (1 - p31);
		v[3] = wuni(g);
		v[4] = wuni(g) * (1 - p13);
		int n = 1 + (int)(wuni(g) * 5);
		g_string_append(w, " loss state");
		for (int i = 0; i < n; i++)
			word_pct(w, v[i]);
	}
}

/* A whole law in netem's words (tc-netem(8)); its delay at least the one
 * every direction must have.  reorder (netem_enqueue(): at once, with
 * its correlation and gap, the other packets delay + jitter) only with a
 * delay, and not when a looping client needs that delay (netem's
 * reordered packets go at once). */
static char *gen_netem_words(struct gen *g)
{
	GString *w = g_string_new(NULL);
	double delay_us = fmax(g->min_delay * 1e6, wchance(g, 0.1) ? 0 : 1 + wuni(g) * 200000);
	bool jitter = delay_us > 0 && wchance(g, 0.4);

	g_string_append_printf(w, "delay %.0fus", ceil(delay_us));
	if (jitter) {
		g_string_append_printf(w, " %.0fus", 1 + wuni(g) * delay_us);
		if (wchance(g, 0.4))
			word_pct(w, wuni(g) * 0.95);
		if (wchance(g, 0.5))
			g_string_append_printf(w, " distribution %s", wchance(g, 0.5) ? "normal" : "pareto");
	}
	if (wchance(g, 0.6))
		gen_netem_loss(g, w);
	if (wchance(g, 0.2)) {
		g_string_append(w, " duplicate");
		word_pct(w, wuni(g) * 0.2);
	}
	if (wchance(g, 0.2)) {
		g_string_append(w, " corrupt");
		word_pct(w, wuni(g) * 0.1);
		if (wchance(g, 0.3))
			word_pct(w, wuni(g) * 0.95);
	}
	if (delay_us > 0 && g->min_delay == 0 && wchance(g, 0.2)) {
		g_string_append(w, " reorder");
		word_pct(w, wuni(g) * 0.5);
		if (wchance(g, 0.3))
			word_pct(w, wuni(g) * 0.95);
		if (wchance(g, 0.3))
			g_string_append_printf(w, " gap %d", 1 + (int)(wuni(g) * 8));
	}
	if (wchance(g, 0.3)) {
		g_string_append_printf(w, " rate %.0fkbit", exp(log(10) + wuni(g) * log(1e6)));
		if (wchance(g, 0.3))
			g_string_append_printf(w, " %d", (int)(wuni(g) * 100) - 20);
	}
	if (wchance(g, 0.3))
		g_string_append_printf(w, " limit %d", 1 + (int)(wuni(g) * 1000)); /* netem's limit 0 drops all */
	return g_string_free(w, FALSE);
}

/* A direction nobody set, now and then (8%), in netem's words: `netem =`
 * gives the whole law of its direction, so it stands alone. */
static void gen_netem_section(struct gen *g, const char *section)
{
	if (!wchance(g, 0.08))
		return;
	char *words = gen_netem_words(g);
	g_string_append_printf(g->ini, "\n[%s]\n", section);
	kv(g, "netem", "%s", words);
	g_free(words);
}

static void gen_network(struct gen *g)
{
	size_t from = g->ini->len, net = from;
	bool c2s = false, s2c = false;
	g_string_append(g->ini, "\n[network]\n");
	gen_link_keys(g, 0.7);
	bool loss_set = strstr(g->ini->str + from, "\nloss = ") != NULL;
	gen_netem_keys(g, from, false, false);
	gen_loss_start(g, from);
	if (chance(g, 0.25)) {
		from = g->ini->len;
		g_string_append(g->ini, "\n[network.client_to_server]\n");
		gen_link_keys(g, 0.4);
		gen_netem_keys(g, from, true, loss_set);
		gen_loss_burst(g, from, net);
		gen_loss_start(g, from);
		c2s = true;
	}
	if (chance(g, 0.25)) {
		from = g->ini->len;
		g_string_append(g->ini, "\n[network.server_to_client]\n");
		gen_link_keys(g, 0.4);
		gen_netem_keys(g, from, true, loss_set);
		gen_loss_burst(g, from, net);
		gen_loss_start(g, from);
		s2c = true;
	}
	if (!c2s)
		gen_netem_section(g, "network.client_to_server");
	if (!s2c)
		gen_netem_section(g, "network.server_to_client");
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

/* The keepalive keys go together: keepalive probes an idle connection for
 * the whole run, so keep the number of idle periods per run in the
 * thousands at most. */
static void gen_keepalive(struct gen *g, double duration_hint)
{
	double floor_s = fmax(duration_hint / 1000, 1e-3);
	kv(g, "keepalive", "%s", chance(g, 0.7) ? "true" : "false");
	kv_duration(g, "keepalive_idle", logu(g, floor_s, fmax(floor_s, 7200)));
	kv_duration(g, "keepalive_intvl", logu(g, floor_s, fmax(floor_s, 600)));
	kv(g, "keepalive_probes", "%" G_GUINT64_FORMAT, between(g, 1, chance(g, 0.9) ? 10 : 255));
}

/* A count biased towards the small values that matter (90 % up to
 * `usual`), anywhere in the key's range otherwise. */
static void kv_count(struct gen *g, const struct config_key *k, uint64_t usual)
{
	uint64_t hi = chance(g, 0.9) ? MIN(k->max, k->min + usual) : k->max;
	kv(g, k->name, "%" G_GUINT64_FORMAT, between(g, k->min, hi));
}

/* Any key of the table, from its type and range alone: how a key that
 * has no rule below (a key added tomorrow) is stressed. */
static void kv_from_type(struct gen *g, const struct config_key *k)
{
	switch (k->type) {
	case CONFIG_KEY_BOOL:
		kv_bool(g, k->name);
		return;
	case CONFIG_KEY_UINT:
	case CONFIG_KEY_UINT64:
	case CONFIG_KEY_INT:
		kv_count(g, k, 20);
		return;
	case CONFIG_KEY_BYTES:
		kv(g, k->name, "%" G_GUINT64_FORMAT,
		   (uint64_t)logu(g, (double)MAX(k->min, 1), (double)MAX(k->max, 1)));
		return;
	case CONFIG_KEY_DURATION: {
		double lo = fmax((double)k->min, 1e3) / 1e9, hi = fmin((double)k->max / 1e9, 3600);
		kv_duration(g, k->name, chance(g, 0.1) ? (double)k->min / 1e9 : logu(g, lo, fmax(lo, hi)));
		return;
	}
	case CONFIG_KEY_CHOICE: {
		size_t n = 0;
		while (k->choices[n].word)
			n++;
		kv(g, k->name, "%s", k->choices[between(g, 0, n - 1)].word);
		return;
	}
	case CONFIG_KEY_PROBABILITY:
	case CONFIG_KEY_POSITIVE:
	case CONFIG_KEY_BANDWIDTH:
	case CONFIG_KEY_PROFILE:
	case CONFIG_KEY_PATH:
	case CONFIG_KEY_ADDRESS:
	case CONFIG_KEY_IPV4:
	case CONFIG_KEY_PORTS:
	case CONFIG_KEY_SCRIPT:
	case CONFIG_KEY_REPEAT:
	case CONFIG_KEY_NETEM:
		return; /* no [tcp] key has these types */
	}
}

/* One [tcp] key the way the stress wants it drawn.  The keys with rules
 * of their own are named here: the three RTO bounds in order
 * (gen_rto, drawn for rto_min), buffers around the 4608-byte floor, the
 * keepalive group bounded by the run (drawn for keepalive), a connect
 * limit above the smallest timer, counts and durations where their usual
 * values lie.  Every other key of the table is drawn from its type and
 * range (kv_from_type): a new key is stressed without editing this. */
static void gen_tcp_key(struct gen *g, const struct config_key *k, double duration_hint)
{
	static const uint64_t mss[] = {64, 88, 536, 1000, 1460, 8960, 65495};
	const char *n = k->name;

	if (!strcmp(n, "rto_min"))
		gen_rto(g);
	else if (!strcmp(n, "rto_initial") || !strcmp(n, "rto_max") || !strcmp(n, "keepalive_idle") ||
	         !strcmp(n, "keepalive_intvl") || !strcmp(n, "keepalive_probes"))
		return; /* drawn with rto_min, with keepalive */
	else if (!strcmp(n, "keepalive"))
		gen_keepalive(g, duration_hint);
	else if (!strcmp(n, "mss"))
		kv(g, n, "%" G_GUINT64_FORMAT,
		   chance(g, 0.6) ? mss[between(g, 0, G_N_ELEMENTS(mss) - 1)] : between(g, k->min, k->max));
	else if (!strcmp(n, "rcvbuf") || !strcmp(n, "sndbuf"))
		kv_buffer(g, n);
	else if (!strcmp(n, "init_cwnd"))
		kv(g, n, "%" G_GUINT64_FORMAT, (uint64_t)logu(g, 1, 1000));
	else if (!strcmp(n, "syn_retries") || !strcmp(n, "synack_retries"))
		kv_count(g, k, 10);
	else if (!strcmp(n, "syn_linear_timeouts"))
		kv_count(g, k, 6);
	else if (!strcmp(n, "retries2") || !strcmp(n, "orphan_retries"))
		kv_count(g, k, 20);
	else if (!strcmp(n, "quickacks"))
		kv_count(g, k, 16);
	else if (!strcmp(n, "delayed_ack"))
		kv_duration(g, n, chance(g, 0.1) ? 0 : logu(g, 1e-4, chance(g, 0.9) ? 0.5 : 10));
	else if (!strcmp(n, "time_wait") || !strcmp(n, "fin_timeout"))
		kv_duration(g, n, chance(g, 0.2) ? 0 : logu(g, 1e-3, chance(g, 0.9) ? 300 : 3600));
	else if (!strcmp(n, "connect_timeout"))
		kv_duration(g, n, chance(g, 0.7) ? 0 : fmax(logu(g, 1e-3, 300), g->min_timer));
	else
		kv_from_type(g, k);
}

/* [tcp], [client.tcp], [server.tcp]: each key of the table's TCP group
 * with probability 1/4 (the keepalive group half as often). */
static void gen_tcp(struct gen *g, double duration_hint)
{
	static const char *const sections[] = {"tcp", "client.tcp", "server.tcp"};
	static const double present[] = {0.5, 0.3, 0.3};
	size_t n_keys;
	const struct config_key *keys = config_keys(&n_keys);

	for (size_t i = 0; i < G_N_ELEMENTS(sections); i++) {
		if (!chance(g, present[i]))
			continue;
		g_string_append_printf(g->ini, "\n[%s]\n", sections[i]);
		for (size_t j = 0; j < n_keys; j++) {
			const struct config_key *k = &keys[j];
			double p = !strcmp(k->name, "keepalive") ? 0.125 : 0.25;
			if (k->group == CONFIG_GROUP_TCP && chance(g, p))
				gen_tcp_key(g, k, duration_hint);
		}
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
		g_string_append_printf(s, " %s", chance(g, 0.5) ? server_target
		                                 : PICK(g, "10.9.9.9:9", "10.0.0.9:9"));
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
	                UINT64_MAX, 0, 0, false, -1, rng_stream_new(seed, run, "stress.netem"),
	                rng_stream_new(seed, run, "stress.netem_words")};
	struct client_loop loop;
	char target[32];

	g_string_append_printf(g.ini, "# tools/stress: run %" G_GUINT64_FORMAT " of seed %" G_GUINT64_FORMAT
	                       "\n", run, seed);
	if (chance(&g, 0.2)) {
		gen_progress(&g);
		gsl_rng_free(g.r);
		gsl_rng_free(g.netem);
		gsl_rng_free(g.words);
		return g_string_free(g.ini, FALSE);
	}
	/* rarely: each costs SIM_QUEUE_STALL_EVENTS events, a fraction of a second */
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
	gsl_rng_free(g.netem);
	gsl_rng_free(g.words);
	return g_string_free(g.ini, FALSE);
}
