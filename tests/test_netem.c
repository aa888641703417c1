/*
 * netem's words (sim/config/netem.c): every form tc's q_netem.c takes and
 * the defaults it fills in, every error message, the way back
 * (netem_format) over many laws, and what netem cannot say; then the
 * config key `netem =` (its sections, its conflict with the law's keys,
 * file:line in its errors) and `tcpsim --print-netem`, through the built
 * program.
 */
#include <math.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "sim/config/config.h"
#include "sim/config/netem.h"
#include "tests/scenario_util.h"

/* ---- parsing ---- */

/* netem's law with what the test sets on top: the expected result. */
static struct link_params netem_law(void)
{
	struct link_params p;

	link_params_default(&p);
	netem_defaults(&p);
	return p;
}

static struct link_params parse_ok(const char *text)
{
	struct link_params p;
	char *error = NULL;

	link_params_default(&p);
	if (!netem_parse(text, &p, &error))
		g_error("netem_parse(\"%s\") failed: %s", text, error);
	g_assert_null(error);
	return p;
}

/* Field by field, exactly (doubles too: the text is decimal, the
 * conversion correctly rounded). */
static void assert_same_law(const struct link_params *a, const struct link_params *b, double reorder_tol)
{
	g_assert_cmpint(a->delay, ==, b->delay);
	g_assert_cmpint(a->jitter, ==, b->jitter);
	g_assert_cmpint(a->distribution, ==, b->distribution);
	if (a->distribution == LINK_DIST_PARETO)
		g_assert_cmpfloat(a->pareto_shape, ==, b->pareto_shape);
	g_assert_cmpfloat(a->delay_correlation, ==, b->delay_correlation);
	g_assert_cmpint(a->loss_model, ==, b->loss_model);
	g_assert_cmpfloat(a->loss, ==, b->loss);
	g_assert_cmpfloat(a->loss_correlation, ==, b->loss_correlation);
	g_assert_cmpfloat(a->ge_p, ==, b->ge_p);
	g_assert_cmpfloat(a->ge_r, ==, b->ge_r);
	g_assert_cmpfloat(a->ge_1h, ==, b->ge_1h);
	g_assert_cmpfloat(a->ge_1k, ==, b->ge_1k);
	g_assert_cmpfloat(a->st_p13, ==, b->st_p13);
	g_assert_cmpfloat(a->st_p31, ==, b->st_p31);
	g_assert_cmpfloat(a->st_p32, ==, b->st_p32);
	g_assert_cmpfloat(a->st_p23, ==, b->st_p23);
	g_assert_cmpfloat(a->st_p14, ==, b->st_p14);
	g_assert_cmpfloat(fabs(a->reorder - b->reorder), <=, reorder_tol);
	g_assert_cmpint(a->reorder_delay, ==, b->reorder_delay);
	g_assert_cmpfloat(a->reorder_correlation, ==, b->reorder_correlation);
	g_assert_cmpfloat(a->reorder_at_once, ==, b->reorder_at_once);
	g_assert_cmpuint(a->reorder_gap, ==, b->reorder_gap);
	g_assert_cmpfloat(a->duplicate, ==, b->duplicate);
	g_assert_cmpfloat(a->duplicate_correlation, ==, b->duplicate_correlation);
	g_assert_cmpfloat(a->corrupt, ==, b->corrupt);
	g_assert_cmpfloat(a->corrupt_correlation, ==, b->corrupt_correlation);
	g_assert_cmpuint(a->bandwidth, ==, b->bandwidth);
	g_assert_cmpint(a->rate_overhead, ==, b->rate_overhead);
	g_assert_cmpuint(a->rate_cell_size, ==, b->rate_cell_size);
	g_assert_cmpint(a->rate_cell_overhead, ==, b->rate_cell_overhead);
	g_assert_cmpuint(a->queue_limit, ==, b->queue_limit);
	g_assert_cmpint(a->unreachable, ==, b->unreachable);
	g_assert_cmpuint(a->router, ==, b->router);
	g_assert_cmpuint(a->arp_probes, ==, b->arp_probes);
	g_assert_cmpint(a->arp_interval, ==, b->arp_interval);
}

static void expect(const char *text, const struct link_params *want)
{
	struct link_params got = parse_ok(text);
	assert_same_law(&got, want, 0);
}

static void test_empty(void)
{
	struct link_params want = netem_law();

	g_assert_cmpint(want.delay, ==, 0);
	g_assert_cmpuint(want.queue_limit, ==, 1000); /* tc's opt.limit */
	g_assert_cmpint(want.distribution, ==, LINK_DIST_UNIFORM);
	expect("", &want);
	expect("  \t ", &want);
}

static void test_delay(void)
{
	struct link_params w = netem_law();

	w.delay = 100 * SIM_MS;
	expect("delay 100ms", &w);
	expect("latency 100msec", &w);
	expect("delay 0.1s", &w);
	expect("delay 100000", &w); /* a bare number: microseconds (get_time) */
	w.jitter = 10 * SIM_MS;
	expect("delay 100ms 10ms", &w);
	w.delay_correlation = 0.25;
	expect("delay 100ms 10ms 25%", &w);
	expect("delay 100ms 10000us 25", &w); /* a percentage without % */
	w = netem_law();
	w.delay = 1500 * SIM_US;
	w.jitter = 500 * SIM_US;
	expect("delay 1.5ms 500", &w);
	w.delay = 7;
	w.jitter = 0;
	expect("delay 7ns", &w);
}

static void test_distribution(void)
{
	struct link_params w = netem_law();

	w.delay = 50 * SIM_MS;
	w.jitter = 5 * SIM_MS;
	expect("delay 50ms 5ms distribution uniform", &w);
	w.distribution = LINK_DIST_NORMAL;
	expect("delay 50ms 5ms distribution normal", &w);
	expect("distribution normal delay 50ms 5ms", &w); /* in any order */
	w.distribution = LINK_DIST_NETEM_PARETO; /* iproute2 netem/pareto.c's table */
	expect("delay 50ms 5ms distribution pareto", &w);
	w.distribution = LINK_DIST_NETEM_PARETONORMAL;
	expect("delay 50ms 5ms distribution paretonormal", &w);
}

static void test_loss_random(void)
{
	struct link_params w = netem_law();

	w.loss = 0.01;
	expect("loss 1%", &w);
	expect("loss 1", &w);
	expect("loss random 1%", &w);
	expect("drop 1%", &w);
	w.loss = 0.005;
	w.loss_correlation = 0.25;
	expect("loss random 0.5% 25%", &w);
	expect("loss 0.5 25", &w);
}

static void test_loss_state(void)
{
	struct link_params w = netem_law();

	w.loss_model = LINK_LOSS_STATE;
	w.st_p13 = 0.01; /* tc's defaults: p31 = 1 - p13, p32 = 0, p23 = 1, p14 = 0 */
	w.st_p31 = 0.99;
	w.st_p32 = 0;
	w.st_p23 = 1;
	w.st_p14 = 0;
	expect("loss state 1%", &w);
	w.st_p31 = 0.2;
	expect("loss state 1% 20%", &w);
	w.st_p32 = 0.05;
	expect("loss state 1% 20% 5%", &w);
	w.st_p23 = 0.5;
	expect("loss state 1% 20% 5% 50%", &w);
	w.st_p14 = 0.001;
	expect("loss state 1% 20% 5% 50% 0.1%", &w);
	expect("loss state 1 20 5 50 0.1", &w);
}

static void test_loss_gemodel(void)
{
	struct link_params w = netem_law();

	w.loss_model = LINK_LOSS_GEMODEL;
	w.ge_p = 0.01; /* tc's defaults: r = 1 - p, 1-h = 1, 1-k = 0 */
	w.ge_r = 0.99;
	w.ge_1h = 1;
	w.ge_1k = 0;
	expect("loss gemodel 1%", &w);
	w.ge_r = 0.1;
	expect("loss gemodel 1% 10%", &w);
	w.ge_1h = 0.7;
	expect("loss gemodel 1% 10% 70%", &w);
	w.ge_1k = 0.001;
	expect("loss gemodel 1% 10% 70% 0.1%", &w);
}

static void test_chances(void)
{
	struct link_params w = netem_law();

	w.corrupt = 0.001;
	expect("corrupt 0.1%", &w);
	w.corrupt_correlation = 0.25;
	expect("corrupt 0.1% 25%", &w);
	w.duplicate = 0.01;
	w.duplicate_correlation = 0.5;
	expect("corrupt 0.1% 25% duplicate 1% 50%", &w);
}

/* netem's reorder is the link's reorder_at_once and reorder_gap, whatever
 * the jitter (models/link.h). */
static void test_reorder(void)
{
	struct link_params w = netem_law();

	w.delay = 10 * SIM_MS;
	w.reorder_at_once = 0.25;
	expect("delay 10ms reorder 25%", &w);
	expect("delay 10ms reorder 25% gap 1", &w);
	expect("delay 10ms reorder 25% gap 0", &w); /* tc: gap 0 becomes 1 */
	w.reorder_gap = 5;
	expect("delay 10ms reorder 25% gap 5", &w);
	expect("gap 5 reorder 25% delay 10ms", &w);
	w.reorder_correlation = 0.5;
	w.reorder_gap = 1;
	expect("delay 10ms reorder 25% 50%", &w);
	w.jitter = 1 * SIM_MS;
	w.distribution = LINK_DIST_NORMAL;
	expect("delay 10ms 1ms distribution normal reorder 25% 50%", &w);
	w = netem_law();
	w.delay = 10 * SIM_MS;
	w.reorder_at_once = 1;
	expect("delay 10ms reorder 100%", &w);
	w.reorder_at_once = 0; /* nothing reordered */
	expect("delay 10ms reorder 0%", &w);
}

/* The issue's own line, word by word. */
static void test_issue_line(void)
{
	struct link_params w = netem_law();

	w.delay = 100 * SIM_MS;
	w.jitter = 10 * SIM_MS;
	w.delay_correlation = 0.25;
	w.distribution = LINK_DIST_NORMAL;
	w.loss_model = LINK_LOSS_GEMODEL;
	w.ge_p = 0.01;
	w.ge_r = 0.1;
	w.ge_1h = 1;
	w.reorder_at_once = 0.25;
	w.reorder_correlation = 0.5;
	w.duplicate = 0.01;
	w.corrupt = 0.001;
	w.bandwidth = 10000000;
	expect("delay 100ms 10ms 25% distribution normal loss gemodel 1% 10% reorder 25% 50% "
	       "duplicate 1% corrupt 0.1% rate 10mbit", &w);
}

static void test_rate(void)
{
	struct link_params w = netem_law();

	w.bandwidth = 10000000;
	expect("rate 10mbit", &w);
	expect("rate 10Mbit", &w);
	expect("rate 1250kbps", &w); /* bps: bytes per second */
	expect("rate 10000000", &w); /* a bare number: bits per second */
	w.bandwidth = 1500000;
	expect("rate 1.5mbit", &w);
	w.bandwidth = 1024;
	expect("rate 1kibit", &w);
	w.bandwidth = 1000000000;
	w.rate_overhead = 20;
	expect("rate 1gbit 20", &w);
	w.rate_cell_size = 48;
	expect("rate 1gbit 20 48", &w);
	w.rate_cell_overhead = -5;
	expect("rate 1gbit 20 48 -5", &w);
	w.rate_overhead = -14;
	w.rate_cell_size = 0;
	w.rate_cell_overhead = 0;
	expect("rate 1gbit -14", &w);
}

static void test_limit(void)
{
	struct link_params w = netem_law();

	w.queue_limit = 50;
	expect("limit 50", &w);
	w.queue_limit = 1;
	expect("limit 1", &w);
}

/* The whole law is netem's: what was set before goes; what is not the
 * law (the router, ARP) stays. */
static void test_replaces_law_only(void)
{
	struct link_params p;
	char *error = NULL;

	link_params_default(&p);
	p.loss = 0.5;
	p.jitter = 3 * SIM_MS;
	p.unreachable = LINK_HOST_UNREACHABLE;
	p.router = 0x0a000001u;
	p.arp_probes = 7;
	p.arp_interval = 2 * SIM_SEC;
	g_assert_true(netem_parse("delay 5ms", &p, &error));
	g_assert_cmpfloat(p.loss, ==, 0);
	g_assert_cmpint(p.jitter, ==, 0);
	g_assert_cmpint(p.delay, ==, 5 * SIM_MS);
	g_assert_cmpint(p.unreachable, ==, LINK_HOST_UNREACHABLE);
	g_assert_cmpuint(p.router, ==, 0x0a000001u);
	g_assert_cmpuint(p.arp_probes, ==, 7);
	g_assert_cmpint(p.arp_interval, ==, 2 * SIM_SEC);
}

/* ---- errors ---- */

static const struct {
	const char *text, *error;
} errors[] = {
	{ "lost 1%", "netem: 'lost' is not a netem option (delay, distribution, loss, duplicate, corrupt, "
	             "reorder, gap, rate, limit)" },
	{ "del 10ms", "netem: 'del' is not a netem option (delay, distribution, loss, duplicate, corrupt, "
	              "reorder, gap, rate, limit)" },
	{ "delay", "netem: delay: expected a TIME after it" },
	{ "delay 10xs", "netem: delay: '10xs' is not a time (10ms, 500us, 1.5s; a bare number is "
	                "microseconds; at most 1 hour)" },
	{ "delay 2h", "netem: delay: '2h' is not a time (10ms, 500us, 1.5s; a bare number is "
	              "microseconds; at most 1 hour)" },
	{ "delay 10ms 5x", "netem: delay: jitter: '5x' is not a time (10ms, 500us, 1.5s; a bare number "
	                   "is microseconds; at most 1 hour)" },
	{ "delay 10ms 5ms 101%", "netem: delay: correlation: '101%' is not a percentage (0 to 100, with "
	                         "or without %: 1%, 0.5)" },
	{ "delay 10ms latency 5ms", "netem: 'delay' is given twice" },
	{ "distribution", "netem: distribution: expected uniform, normal, pareto or paretonormal after "
	                  "it" },
	{ "delay 10ms 1ms distribution foo", "netem: distribution: 'foo' is not a netem distribution "
	                                     "(uniform, normal, pareto, paretonormal)" },
	{ "delay 10ms 1ms distribution experimental", "netem: distribution: 'experimental' is not "
	                                              "modelled (it is a table measured on one link; "
	                                              "tcpsim has uniform, normal, pareto and "
	                                              "paretonormal)" },
	{ "delay 10ms 5ms 100%", "netem: delay: correlation: '100%' is not below 100% (a correlation of "
	                         "100% would repeat one value for ever)" },
	{ "loss 1% 100%", "netem: loss: correlation: '100%' is not below 100% (a correlation of 100% "
	                  "would repeat one value for ever)" },
	{ "duplicate 1% 100", "netem: duplicate: correlation: '100' is not below 100% (a correlation of "
	                      "100% would repeat one value for ever)" },
	{ "corrupt 1% 100%", "netem: corrupt: correlation: '100%' is not below 100% (a correlation of "
	                     "100% would repeat one value for ever)" },
	{ "delay 10ms reorder 1% 100%", "netem: reorder: correlation: '100%' is not below 100% (a "
	                                "correlation of 100% would repeat one value for ever)" },
	{ "loss state 60% 50% 60%", "netem: loss state: P32 expected at most 100% - P31 (the chances "
	                            "out of state 3)" },
	{ "loss state 60% 50% 0% 100% 50%", "netem: loss state: P14 expected at most 100% - P13 (the "
	                                    "chances out of state 1)" },
	{ "delay 10ms distribution normal", "netem: distribution: expected a delay and a jitter with it "
	                                    "(delay TIME JITTER)" },
	{ "loss", "netem: loss: expected a PERCENT, random, state or gemodel after it" },
	{ "loss foo", "netem: loss: 'foo' is not a loss model (a PERCENT, random, state or gemodel)" },
	{ "loss random", "netem: loss random: expected a PERCENT after it" },
	{ "loss random x", "netem: loss: 'x' is not a percentage (0 to 100, with or without %: 1%, 0.5)" },
	{ "loss 1% 200%", "netem: loss: correlation: '200%' is not a percentage (0 to 100, with or "
	                  "without %: 1%, 0.5)" },
	{ "loss 1% drop 2%", "netem: 'loss' is given twice" },
	{ "loss trace file", "netem: loss: 'trace' is not modelled (tcpsim has random, state and gemodel)" },
	{ "loss state", "netem: loss state: expected P13, a percentage after it" },
	{ "loss state 1% 150%", "netem: loss state: '150%' is not a percentage (0 to 100, with or without "
	                        "%: 1%, 0.5)" },
	{ "loss gemodel 200%", "netem: loss gemodel: '200%' is not a percentage (0 to 100, with or "
	                       "without %: 1%, 0.5)" },
	{ "loss gemodel 1% 10% 101", "netem: loss gemodel: '101' is not a percentage (0 to 100, with or "
	                             "without %: 1%, 0.5)" },
	{ "corrupt", "netem: corrupt: expected a PERCENT after it" },
	{ "duplicate 1% 200%", "netem: duplicate: correlation: '200%' is not a percentage (0 to 100, with "
	                       "or without %: 1%, 0.5)" },
	{ "reorder 25%", "netem: reorder: expected a delay with it (netem reorders by sending a packet at "
	                 "once while the others wait out the delay)" },
	{ "delay 0ms 1ms reorder 25%", "netem: reorder: expected a delay with it (netem reorders by "
	                               "sending a packet at once while the others wait out the delay)" },
	{ "delay 10ms reorder 25% gap 4294967296", "netem: gap: '4294967296' is not a whole number of "
	                                           "packets" },
	{ "delay 10ms gap 5", "netem: gap: expected a reorder probability with it (tc: gap specified "
	                      "without reorder probability)" },
	{ "delay 10ms reorder 0 gap 1", "netem: gap: expected a reorder probability with it (tc: gap "
	                                "specified without reorder probability)" },
	{ "gap x", "netem: gap: 'x' is not a whole number of packets" },
	{ "rate", "netem: rate: expected a RATE after it" },
	{ "rate 50%", "netem: rate: '50%' (a share of the interface's speed) is not modelled; give a rate "
	              "such as 10mbit" },
	{ "rate fast", "netem: rate: 'fast' is not a rate (10mbit, 512kbit, 1gbit; bps, kbps, mbps are "
	               "bytes per second; at most 1000tbit)" },
	{ "rate 10furlongs", "netem: rate: '10furlongs' is not a rate (10mbit, 512kbit, 1gbit; bps, kbps, "
	                     "mbps are bytes per second; at most 1000tbit)" },
	{ "rate 10mbit 1.5", "netem: rate: packet overhead '1.5' is not a whole number of bytes from "
	                     "-65535 to 65535" },
	{ "rate 10mbit -65536", "netem: rate: packet overhead '-65536' is not a whole number of bytes "
	                        "from -65535 to 65535" },
	{ "rate 10mbit 20 4294967296", "netem: rate: cell size '4294967296' is not a whole number of "
	                               "bytes from 0 to 65535" },
	{ "rate 10mbit 20 65536", "netem: rate: cell size '65536' is not a whole number of bytes from 0 "
	                          "to 65535" },
	{ "rate 10mbit 20 48 -x", "netem: rate: cell overhead '-x' is not a whole number of bytes from "
	                          "-65535 to 65535" },
	{ "rate 10mbit 20 48 65536", "netem: rate: cell overhead '65536' is not a whole number of bytes "
	                             "from -65535 to 65535" },
	/* a cell size has no sign: tc takes -48 for the cell overhead, which
	 * netem ignores without a cell size (as the rate_cell_overhead key
	 * refuses it) */
	{ "rate 1gbit 20 -48", "netem: rate: cell overhead '-48' expected a cell size of 1 or more "
	                       "before it" },
	{ "rate 10mbit 20 0 5", "netem: rate: cell overhead '5' expected a cell size of 1 or more before "
	                        "it" },
	{ "limit", "netem: limit: expected a number of PACKETS after it" },
	{ "limit -1", "netem: limit: '-1' is not a number of packets (1 to 1000000)" },
	{ "limit 2000000", "netem: limit: '2000000' is not a number of packets (1 to 1000000)" },
	{ "limit 0", "netem: limit: 0 is not modelled (on netem it drops every packet; tcpsim's queue = 0 "
	             "is a link without waiting room)" },
	{ "delay 10ms seed 42", "netem: seed: not modelled (tcpsim's seed is [simulation] seed, or "
	                        "--seed)" },
	{ "slot 10ms", "netem: slot: not modelled (tcpsim's link sends packets as they come, not in "
	               "slots)" },
	{ "loss 1% ecn", "netem: ecn: not modelled (tcpsim's link marks no ECN: it drops)" },
};

static void test_errors(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(errors); i++) {
		struct link_params p, before;
		char *error = NULL;

		link_params_default(&p);
		p.loss = 0.125;
		before = p;
		if (netem_parse(errors[i].text, &p, &error))
			g_error("netem_parse(\"%s\") accepted it", errors[i].text);
		g_assert_cmpstr(error, ==, errors[i].error);
		g_assert_true(memcmp(&p, &before, sizeof p) == 0); /* left unchanged */
		g_free(error);
	}
}

/* ---- the way back ---- */

static char *format_law(const struct link_params *p, GString *notes)
{
	GString *w = g_string_new(NULL);
	netem_format(p, w, notes);
	return g_string_free(w, FALSE);
}

static void test_format_exact(void)
{
	struct link_params p = parse_ok("delay 50ms 5ms 25% distribution normal loss gemodel 1% rate "
	                                "10mbit 20 limit 50");
	GString *notes = g_string_new(NULL);
	char *text = format_law(&p, notes);

	g_assert_cmpstr(text, ==, "delay 50ms 5ms 25% distribution normal loss gemodel 1% 99% 100% 0% "
	                          "rate 10mbit 20 limit 50");
	g_assert_cmpstr(notes->str, ==, "");
	g_free(text);
	p = parse_ok("delay 10ms reorder 25% 50% loss state 1% duplicate 0.5% corrupt 0.1% 25%");
	text = format_law(&p, notes);
	g_assert_cmpstr(text, ==, "delay 10ms reorder 25% 50% loss state 1% 99% 0% 100% 0% "
	                          "duplicate 0.5% corrupt 0.1% 25%");
	g_free(text);
	link_params_default(&p); /* tcpsim's own default law */
	text = format_law(&p, notes);
	g_assert_cmpstr(text, ==, "delay 10ms");
	g_assert_cmpstr(notes->str, ==, "");
	g_free(text);
	g_string_free(notes, TRUE);
}

/* A law that netem can say: drawn over every loss model, the
 * correlations, distributions, rates with overheads, limits, and netem's
 * reordering with its gap. */
static struct link_params draw_law(GRand *g)
{
	struct link_params p = netem_law();
	static const sim_time scale[] = { 1, SIM_US, SIM_MS, SIM_SEC };

	if (g_rand_int_range(g, 0, 4) > 0) {
		p.delay = g_rand_int_range(g, 1, 1000) * scale[g_rand_int_range(g, 0, 4)];
		if (g_rand_boolean(g)) {
			static const enum link_distribution dists[] = {
				LINK_DIST_UNIFORM, LINK_DIST_NORMAL, LINK_DIST_NETEM_PARETO,
				LINK_DIST_NETEM_PARETONORMAL };
			p.jitter = g_rand_int_range(g, 1, 1000) * scale[g_rand_int_range(g, 0, 3)];
			p.distribution = dists[g_rand_int_range(g, 0, 4)];
			if (g_rand_boolean(g))
				p.delay_correlation = g_rand_double(g);
		}
		if (g_rand_int_range(g, 0, 3) == 0) {
			p.reorder_at_once = 1.0 - g_rand_double(g); /* (0, 1] */
			p.reorder_gap = g_rand_boolean(g) ? 1 : (uint32_t)g_rand_int_range(g, 2, 100);
			if (g_rand_boolean(g))
				p.reorder_correlation = g_rand_double(g);
		}
	}
	switch (g_rand_int_range(g, 0, 3)) {
	case 0:
		p.loss = g_rand_boolean(g) ? g_rand_double(g) : g_rand_int_range(g, 0, 101) / 100.0;
		if (g_rand_boolean(g))
			p.loss_correlation = g_rand_double(g);
		break;
	case 1:
		p.loss_model = LINK_LOSS_GEMODEL;
		p.ge_p = g_rand_double(g);
		p.ge_r = g_rand_double(g);
		p.ge_1h = g_rand_double(g);
		p.ge_1k = g_rand_boolean(g) ? 0 : g_rand_double(g);
		break;
	default:
		p.loss_model = LINK_LOSS_STATE;
		p.st_p13 = g_rand_double(g);
		p.st_p31 = g_rand_double(g);
		p.st_p32 = g_rand_double(g) * (1 - p.st_p31); /* the rows of the chain sum to 1 at most */
		p.st_p23 = g_rand_double(g);
		p.st_p14 = g_rand_double(g) * 1e-6 * (1 - p.st_p13);
		break;
	}
	if (g_rand_boolean(g)) {
		p.duplicate = g_rand_double(g);
		p.duplicate_correlation = g_rand_boolean(g) ? g_rand_double(g) : 0;
	}
	if (g_rand_boolean(g)) {
		p.corrupt = g_rand_double(g) * 1e-3;
		p.corrupt_correlation = g_rand_boolean(g) ? g_rand_double(g) : 0;
	}
	if (g_rand_boolean(g)) {
		p.bandwidth = (uint64_t)g_rand_int_range(g, 1, 1000000) * (g_rand_boolean(g) ? 1000 : 1);
		if (g_rand_boolean(g)) {
			p.rate_overhead = g_rand_int_range(g, -100, 100);
			p.rate_cell_size = g_rand_boolean(g) ? (uint32_t)g_rand_int_range(g, 1, 100) : 0;
			if (p.rate_cell_size && g_rand_boolean(g))
				p.rate_cell_overhead = g_rand_int_range(g, -10, 10);
		}
	}
	if (g_rand_boolean(g))
		p.queue_limit = (uint32_t)g_rand_int_range(g, 1, 1000001);
	return p;
}

static void test_round_trip(void)
{
	GRand *g = g_rand_new_with_seed(20261205);
	unsigned models[3] = { 0 }, reorders = 0;

	for (int i = 0; i < 5000; i++) {
		struct link_params p = draw_law(g), back;
		GString *notes = g_string_new(NULL);
		char *text = format_law(&p, notes), *error = NULL, *again;

		g_assert_cmpstr(notes->str, ==, ""); /* netem says all of it */
		link_params_default(&back);
		if (!netem_parse(text, &back, &error))
			g_error("\"%s\" does not parse back: %s", text, error);
		assert_same_law(&back, &p, 0);
		again = format_law(&back, NULL);
		g_assert_cmpstr(again, ==, text);
		models[p.loss_model]++;
		reorders += p.reorder_at_once > 0 && p.reorder_gap > 1;
		g_free(again);
		g_free(text);
		g_string_free(notes, TRUE);
	}
	g_assert_cmpuint(models[LINK_LOSS_RANDOM], >, 1000);
	g_assert_cmpuint(models[LINK_LOSS_GEMODEL], >, 1000);
	g_assert_cmpuint(models[LINK_LOSS_STATE], >, 1000);
	g_assert_cmpuint(reorders, >, 200);
	g_rand_free(g);
}

/* tcpsim's held-back packets from a delay of 0 are netem's reorder of
 * the complement: the same arrivals, read back as netem's own mode. */
static void test_round_trip_held_back(void)
{
	struct link_params p = netem_law(), back = netem_law();
	GString *notes = g_string_new(NULL);
	char *text, *error = NULL;

	p.reorder = 0.3;
	p.reorder_delay = 40 * SIM_MS;
	text = format_law(&p, notes);
	g_assert_cmpstr(text, ==, "delay 40ms reorder 70%");
	g_assert_cmpstr(notes->str, ==, "");
	g_assert_true(netem_parse(text, &back, &error));
	g_assert_cmpint(back.delay, ==, 40 * SIM_MS);
	g_assert_cmpfloat(back.reorder, ==, 0);
	g_assert_cmpfloat(fabs(back.reorder_at_once - 0.7), <=, 1e-15);
	g_assert_cmpuint(back.reorder_gap, ==, 1);
	g_free(text);
	g_string_free(notes, TRUE);
}

static void test_percent_text(void)
{
	struct link_params p = netem_law();
	char *text;

	p.loss = 0.1;
	text = format_law(&p, NULL);
	g_assert_cmpstr(text, ==, "loss 10%");
	g_free(text);
	p.loss = 1e-7;
	text = format_law(&p, NULL);
	g_assert_cmpstr(text, ==, "loss 0.00001%");
	g_free(text);
	p.loss = 1;
	text = format_law(&p, NULL);
	g_assert_cmpstr(text, ==, "loss 100%");
	g_free(text);
	p.loss = 1.0 / 3;
	text = format_law(&p, NULL);
	g_assert_cmpstr(text, ==, "loss 33.33333333333333%");
	g_free(text);
}

/* What netem cannot say is named, not dropped. */
static void test_notes(void)
{
	struct link_params p = netem_law();
	GString *notes = g_string_new(NULL);
	char *text;

	p.delay = 20 * SIM_MS;
	p.jitter = 2 * SIM_MS;
	p.distribution = LINK_DIST_EXPONENTIAL;
	text = format_law(&p, notes);
	g_assert_cmpstr(text, ==, "delay 20ms 2ms");
	g_assert_cmpstr(notes->str, ==, "distribution exponential: netem has no such table (normal, "
	                                "pareto, paretonormal); written as netem's uniform\n");
	g_free(text);

	/* tcpsim's pareto: delay + 2ms x Y = (delay + 3ms) + 1.5ms x (4/3)(Y - 1.5) */
	g_string_truncate(notes, 0);
	p.distribution = LINK_DIST_PARETO;
	p.pareto_shape = 3;
	text = format_law(&p, notes);
	g_assert_cmpstr(text, ==, "delay 23ms 1500us distribution pareto");
	g_assert_cmpstr(notes->str, ==, "distribution pareto (delay 20 ms + a Pareto of scale 2 ms, shape "
	                                "3): written as netem's pareto table, the same law but for the "
	                                "table's cut at 4.5 times the scale\n");
	g_free(text);
	g_string_truncate(notes, 0);
	p.pareto_shape = 1.5;
	text = format_law(&p, notes);
	g_assert_cmpstr(text, ==, "delay 23ms 1500us distribution pareto");
	g_assert_cmpstr(notes->str, ==, "distribution pareto (delay 20 ms + a Pareto of scale 2 ms, shape "
	                                "1.5): written as netem's pareto table, the same law had it shape "
	                                "3 (netem's only shape) but for the table's cut at 4.5 times the "
	                                "scale\n");
	g_free(text);
	g_string_truncate(notes, 0);
	p.distribution = LINK_DIST_NETEM_PARETONORMAL;
	text = format_law(&p, notes);
	g_assert_cmpstr(text, ==, "delay 20ms 2ms distribution paretonormal");
	g_assert_cmpstr(notes->str, ==, "");
	g_free(text);

	g_string_truncate(notes, 0);
	p = netem_law();
	p.loss_model = LINK_LOSS_GEMODEL;
	p.ge_p = 0.01;
	p.ge_r = 0.5;
	p.ge_1h = 1;
	p.loss_start_stationary = true;
	p.queue_limit = 0;
	text = format_law(&p, notes);
	g_assert_cmpstr(text, ==, "loss gemodel 1% 50% 100% 0%");
	g_assert_cmpstr(notes->str, ==, "loss_model_start = stationary: netem's chain starts in the good "
	                                "state (a new qdisc); written as netem's\n"
	                                "queue = 0 (no room to wait for a busy link): netem's limit counts "
	                                "every packet it holds, delayed ones too, and limit 0 drops them "
	                                "all; left out (netem's limit 1000)\n");
	g_free(text);

	g_string_truncate(notes, 0);
	p = netem_law();
	p.delay = 10 * SIM_MS;
	p.reorder = 0.25;
	p.reorder_delay = 5 * SIM_MS;
	text = format_law(&p, notes);
	g_assert_cmpstr(text, ==, "delay 15ms reorder 75%");
	g_assert_cmpstr(notes->str, ==, "reorder 0.25 held back by 5 ms on top of a delay of 10 ms: netem "
	                                "sends a reordered packet at once, with no delay; written with "
	                                "netem's delay as the held-back packets' (so the others arrive "
	                                "10 ms early)\n");
	g_free(text);

	g_string_truncate(notes, 0);
	p.jitter = 1 * SIM_MS;
	text = format_law(&p, notes);
	g_assert_cmpstr(text, ==, "delay 10ms 1ms");
	g_assert_cmpstr(notes->str, ==, "reorder 0.25 held back by 5 ms: netem cannot hold packets back "
	                                "on a link with a jitter (the jitter reorders them); left out\n");
	g_free(text);

	g_string_truncate(notes, 0);
	p = netem_law();
	p.unreachable = LINK_HOST_UNREACHABLE;
	p.arp_probes = 5;
	p.arp_interval = 2 * SIM_SEC;
	text = format_law(&p, notes);
	g_assert_cmpstr(text, ==, "");
	g_assert_cmpstr(notes->str, ==,
	                "unreachable = host (router 10.0.0.254 answers ICMP host unreachable): not netem's\n"
	                "arp_probes 5, arp_interval 2000 ms: not netem's but the sender's neighbour "
	                "settings (sysctl net.ipv4.neigh.IF.mcast_solicit=5 "
	                "net.ipv4.neigh.IF.retrans_time_ms=2000)\n");
	g_free(text);
	g_string_free(notes, TRUE);
}

/* ---- the config key ---- */

#define ENDPOINTS "[client]\nscript = connect; close\n[server]\nscript = accept; close\n"

static char *write_ini(const char *dir, const char *text)
{
	char *path = g_build_filename(dir, "netem.ini", NULL);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

static bool load_text(const char *text, struct config *c, char **message, const char *const *sets)
{
	char *dir = scn_tmpdir();
	char *path = write_ini(dir, text);
	GError *error = NULL;
	bool ok = config_load(path, sets, c, &error);

	if (!ok) {
		/* the message names the file: make it the same for every run */
		char *prefix = g_strconcat(path, ":", NULL);
		g_assert_true(g_str_has_prefix(error->message, prefix));
		*message = g_strconcat("netem.ini:", error->message + strlen(prefix), NULL);
		g_free(prefix);
		g_error_free(error);
	}
	scn_rmtree(dir);
	g_free(path);
	g_free(dir);
	return ok;
}

static void test_key_sections(void)
{
	struct config c;
	char *message = NULL;

	/* [network] for both; a direction's netem replaces the whole law */
	g_assert_true(load_text("[network]\nnetem = delay 50ms loss 1%\n"
	                        "[network.client_to_server]\nnetem = delay 5ms\n" ENDPOINTS,
	                        &c, &message, NULL));
	g_assert_cmpint(c.c2s.delay, ==, 5 * SIM_MS);
	g_assert_cmpfloat(c.c2s.loss, ==, 0);
	g_assert_cmpint(c.s2c.delay, ==, 50 * SIM_MS);
	g_assert_cmpfloat(c.s2c.loss, ==, 0.01);
	config_clear(&c);

	/* a direction's key goes on top of [network]'s netem */
	g_assert_true(load_text("[network]\nnetem = delay 50ms loss 1%\n"
	                        "[network.server_to_client]\nloss = 5%\n" ENDPOINTS, &c, &message, NULL));
	g_assert_cmpint(c.s2c.delay, ==, 50 * SIM_MS);
	g_assert_cmpfloat(c.s2c.loss, ==, 0.05);
	g_assert_cmpfloat(c.c2s.loss, ==, 0.01);
	config_clear(&c);

	/* [network]'s keys, then a direction's netem: netem's defaults there */
	g_assert_true(load_text("[network]\nloss = 2%\ndelay = 30ms\n"
	                        "[network.client_to_server]\nnetem = delay 1ms\n" ENDPOINTS,
	                        &c, &message, NULL));
	g_assert_cmpint(c.c2s.delay, ==, SIM_MS);
	g_assert_cmpfloat(c.c2s.loss, ==, 0);
	g_assert_cmpint(c.s2c.delay, ==, 30 * SIM_MS);
	g_assert_cmpfloat(c.s2c.loss, ==, 0.02);
	config_clear(&c);

	/* beside the keys that are not the law */
	g_assert_true(load_text("[network]\nunreachable = host\nnetem = delay 3ms\n" ENDPOINTS,
	                        &c, &message, NULL));
	g_assert_cmpint(c.c2s.unreachable, ==, LINK_HOST_UNREACHABLE);
	g_assert_cmpint(c.c2s.delay, ==, 3 * SIM_MS);
	config_clear(&c);

	/* from --set */
	const char *sets[] = { "network.netem=delay 7ms rate 1mbit", NULL };
	g_assert_true(load_text("[network]\n" ENDPOINTS, &c, &message, sets));
	g_assert_cmpint(c.s2c.delay, ==, 7 * SIM_MS);
	g_assert_cmpuint(c.s2c.bandwidth, ==, 1000000);
	config_clear(&c);
}

static void test_key_errors(void)
{
	struct config c;
	char *message = NULL;

	g_assert_false(load_text("[network]\ndelay = 5ms\n\n[network.client_to_server]\n"
	                         "netem = delay 10ms lost 1%\n" ENDPOINTS, &c, &message, NULL));
	g_assert_cmpstr(message, ==, "netem.ini:5: [network.client_to_server] netem = delay 10ms lost 1%: "
	                             "netem: 'lost' is not a netem option (delay, distribution, loss, "
	                             "duplicate, corrupt, reorder, gap, rate, limit)");
	g_free(message);

	g_assert_false(load_text("[network]\nloss = 1%\nnetem = delay 10ms\n" ENDPOINTS, &c, &message, NULL));
	g_assert_true(g_str_has_prefix(message, "netem.ini:3: [network] netem = delay 10ms: expected no "
	                                        "other key of the link's law in [network] (loss, "));
	g_assert_true(g_str_has_suffix(message, "netem.ini:2): netem's words give the whole law; write it "
	                                        "in them, or drop netem"));
	g_free(message);
	/* the key-level checks hold in netem's words too, naming the word */
	g_assert_false(load_text("[network]\nnetem = loss 1% 100%\n" ENDPOINTS, &c, &message, NULL));
	g_assert_cmpstr(message, ==, "netem.ini:2: [network] netem = loss 1% 100%: netem: loss: "
	                             "correlation: '100%' is not below 100% (a correlation of 100% would "
	                             "repeat one value for ever)");
	g_free(message);
	g_assert_false(load_text("[network]\nnetem = rate 1mbit 0 70000\n" ENDPOINTS, &c, &message, NULL));
	g_assert_cmpstr(message, ==, "netem.ini:2: [network] netem = rate 1mbit 0 70000: netem: rate: "
	                             "cell size '70000' is not a whole number of bytes from 0 to 65535");
	g_free(message);
}

/* netem's reorder through its own keys, and what they refuse. */
static void test_key_reorder(void)
{
	struct config c;
	char *message = NULL;

	g_assert_true(load_text("[network]\ndelay = 20ms\nreorder_at_once = 25%\nreorder_gap = 5\n"
	                        "reorder_correlation = 10%\n" ENDPOINTS, &c, &message, NULL));
	g_assert_cmpfloat(c.c2s.reorder_at_once, ==, 0.25);
	g_assert_cmpuint(c.s2c.reorder_gap, ==, 5);
	g_assert_cmpfloat(c.s2c.reorder, ==, 0);
	config_clear(&c);
	g_assert_true(load_text("[network]\nnetem = delay 20ms reorder 25% gap 5\n" ENDPOINTS, &c,
	                        &message, NULL));
	g_assert_cmpfloat(c.c2s.reorder_at_once, ==, 0.25);
	g_assert_cmpuint(c.c2s.reorder_gap, ==, 5);
	config_clear(&c);
	g_assert_true(load_text("[network]\njitter = 5ms\ndistribution = netem_paretonormal\n" ENDPOINTS,
	                        &c, &message, NULL));
	g_assert_cmpint(c.c2s.distribution, ==, LINK_DIST_NETEM_PARETONORMAL);
	config_clear(&c);

	g_assert_false(load_text("[network]\ndelay = 0\nreorder_at_once = 25%\n" ENDPOINTS, &c, &message,
	                         NULL));
	g_assert_cmpstr(message, ==, "netem.ini:3: [network] reorder_at_once = 25%: expected a delay with "
	                             "it (a packet sent at once overtakes those that wait out the delay)");
	g_free(message);
	g_assert_false(load_text("[network]\nreorder = 5%\nreorder_delay = 5ms\nreorder_at_once = 25%\n"
	                         ENDPOINTS, &c, &message, NULL));
	g_assert_cmpstr(message, ==, "netem.ini:4: [network] reorder_at_once = 25%: expected 0 with reorder "
	                             "(netem's reordering or tcpsim's held-back packets, not both)");
	g_free(message);
	g_assert_false(load_text("[network]\nreorder_gap = 3\n" ENDPOINTS, &c, &message, NULL));
	g_assert_cmpstr(message, ==, "netem.ini:2: [network] reorder_gap = 3: expected reorder_at_once "
	                             "with it");
	g_free(message);
	g_assert_false(load_text("[network]\ndelay = 5ms\nreorder_at_once = 25%\nreorder_gap = 0\n"
	                         ENDPOINTS, &c, &message, NULL));
	g_assert_true(g_str_has_prefix(message, "netem.ini:4: [network] reorder_gap = 0: "));
	g_free(message);
	/* netem's words in [network], a key of a direction against them */
	g_assert_false(load_text("[network]\nnetem = delay 20ms reorder 25%\n[network.client_to_server]\n"
	                         "reorder = 5%\nreorder_delay = 5ms\n" ENDPOINTS, &c, &message, NULL));
	g_assert_cmpstr(message, ==, "netem.ini:4: [network.client_to_server] reorder = 5%: expected 0 with "
	                             "reorder_at_once (netem's reordering or tcpsim's held-back packets, "
	                             "not both)");
	g_free(message);
	g_assert_false(load_text("[network]\nnetem = delay 20ms reorder 25%\n[network.server_to_client]\n"
	                         "delay = 0\n" ENDPOINTS, &c, &message, NULL));
	g_assert_cmpstr(message, ==, "netem.ini:4: [network.server_to_client] delay = 0: expected a delay "
	                             "with reorder_at_once (a packet sent at once overtakes those that wait "
	                             "out the delay)");
	g_free(message);
	g_assert_false(load_text("[network]\nnetem = delay 20ms reorder 25% gap 3\n"
	                         "[network.server_to_client]\nreorder_at_once = 0\n" ENDPOINTS, &c, &message,
	                         NULL));
	g_assert_cmpstr(message, ==, "netem.ini:4: [network.server_to_client] reorder_at_once = 0: "
	                             "expected no reorder_gap without it");
	g_free(message);
}

/* ---- through the program ---- */

static void run_tcpsim(const char *const *args, struct scn_run *run)
{
	GError *error = NULL;
	if (!scn_tcpsim(args, run, &error))
		g_error("%s", error->message);
}

static void test_cli_bad_key(void)
{
	char *dir = scn_tmpdir();
	char *path = write_ini(dir, "[network]\nnetem = loss gemodel 200%\n" ENDPOINTS);
	char *out = g_build_filename(dir, "out", NULL);
	const char *args[] = { path, "-o", out, NULL };
	struct scn_run run;
	char *want = g_strdup_printf("%s:2: [network] netem = loss gemodel 200%%: netem: loss gemodel: "
	                             "'200%%' is not a percentage (0 to 100, with or without %%: 1%%, 0.5)\n",
	                             path);

	run_tcpsim(args, &run);
	g_assert_cmpint(run.status, ==, 2);
	g_assert_cmpstr(run.err, ==, want);
	g_assert_cmpstr(run.out, ==, "");
	g_assert_true(scn_absent_or_empty(out));
	scn_run_clear(&run);
	const char *args2[] = { path, "--print-netem", NULL };
	run_tcpsim(args2, &run);
	g_assert_cmpint(run.status, ==, 2);
	g_assert_cmpstr(run.err, ==, want);
	scn_run_clear(&run);
	scn_rmtree(dir);
	g_free(want);
	g_free(out);
	g_free(path);
	g_free(dir);
}

static void test_cli_print(void)
{
	char *dir = scn_tmpdir();
	char *path = write_ini(dir, "[network]\nnetem = delay 50ms 5ms 25% distribution normal "
	                            "loss gemodel 1% rate 10mbit 20 limit 50\n"
	                            "[network.server_to_client]\nnetem = delay 20ms reorder 25% 50%\n"
	                            "arp_probes = 5\n" ENDPOINTS);
	const char *args[] = { path, "--print-netem", NULL };
	struct scn_run run;

	run_tcpsim(args, &run);
	g_assert_cmpint(run.status, ==, 0);
	g_assert_cmpstr(run.err, ==, "");
	g_assert_cmpstr(run.out, ==,
	                "# client -> server: on the client's interface (its egress); IF is its name\n"
	                "tc qdisc add dev IF root netem delay 50ms 5ms 25% distribution normal "
	                "loss gemodel 1% 99% 100% 0% rate 10mbit 20 limit 50\n"
	                "# server -> client: on the server's interface (its egress); IF is its name\n"
	                "# not in netem: arp_probes 5, arp_interval 1000 ms: not netem's but the sender's "
	                "neighbour settings (sysctl net.ipv4.neigh.IF.mcast_solicit=5 "
	                "net.ipv4.neigh.IF.retrans_time_ms=1000)\n"
	                "tc qdisc add dev IF root netem delay 20ms reorder 25% 50%\n");
	g_assert_false(g_file_test("out/netem", G_FILE_TEST_EXISTS)); /* nothing ran */

	/* its lines, as netem = keys in a second file, give the same law and
	 * print the same lines again */
	char **lines = g_strsplit(run.out, "\n", -1);
	const char *prefix = "tc qdisc add dev IF root netem ";
	g_assert_true(g_str_has_prefix(lines[1], prefix) && g_str_has_prefix(lines[4], prefix));
	char *again_ini = g_strdup_printf("[network.client_to_server]\nnetem = %s\n"
	                                  "[network.server_to_client]\nnetem = %s\narp_probes = 5\n" ENDPOINTS,
	                                  lines[1] + strlen(prefix), lines[4] + strlen(prefix));
	char *again = g_build_filename(dir, "again.ini", NULL);
	g_assert_true(g_file_set_contents(again, again_ini, -1, NULL));
	struct config first, second;
	GError *error = NULL;
	g_assert_true(config_load(path, NULL, &first, &error));
	g_assert_true(config_load(again, NULL, &second, &error));
	g_assert_no_error(error);
	assert_same_law(&second.c2s, &first.c2s, 0);
	assert_same_law(&second.s2c, &first.s2c, 0);
	g_assert_cmpint(second.c2s.delay, ==, 50 * SIM_MS); /* the law, not the defaults */
	g_assert_cmpfloat(second.s2c.reorder_at_once, ==, 0.25); /* netem's reorder: at once */
	g_assert_cmpint(second.s2c.delay, ==, 20 * SIM_MS);
	config_clear(&first);
	config_clear(&second);
	const char *args2[] = { again, "--print-netem", NULL };
	struct scn_run run2;
	run_tcpsim(args2, &run2);
	g_assert_cmpint(run2.status, ==, 0);
	g_assert_cmpstr(run2.err, ==, "");
	g_assert_cmpstr(run2.out, ==, run.out);
	scn_run_clear(&run2);
	g_free(again);
	g_free(again_ini);
	g_strfreev(lines);
	scn_run_clear(&run);
	scn_rmtree(dir);
	g_free(path);
	g_free(dir);
}

/* A sweep's config prints its base law, [sweep] aside, and runs nothing. */
static void test_cli_sweep_config(void)
{
	char *dir = scn_tmpdir();
	char *path = write_ini(dir, "[network]\nnetem = delay 5ms loss 1%\n" ENDPOINTS
	                            "[sweep]\nnetwork.loss = 0:0.2:0.1\nmetrics = client.result\nruns = 2\n");
	const char *args[] = { path, "--print-netem", NULL };
	struct scn_run run;

	run_tcpsim(args, &run);
	g_assert_cmpint(run.status, ==, 0);
	g_assert_cmpstr(run.out, ==,
	                "# client -> server: on the client's interface (its egress); IF is its name\n"
	                "tc qdisc add dev IF root netem delay 5ms loss 1%\n"
	                "# server -> client: on the server's interface (its egress); IF is its name\n"
	                "tc qdisc add dev IF root netem delay 5ms loss 1%\n");
	scn_run_clear(&run);
	scn_rmtree(dir);
	g_free(path);
	g_free(dir);
}

static void test_cli_help(void)
{
	const char *args[] = { "--help", NULL };
	struct scn_run run;

	run_tcpsim(args, &run);
	g_assert_cmpint(run.status, ==, 0);
	g_assert_nonnull(strstr(run.out, "--print-netem"));
	scn_run_clear(&run);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/netem/parse/empty", test_empty);
	g_test_add_func("/netem/parse/delay", test_delay);
	g_test_add_func("/netem/parse/distribution", test_distribution);
	g_test_add_func("/netem/parse/loss-random", test_loss_random);
	g_test_add_func("/netem/parse/loss-state", test_loss_state);
	g_test_add_func("/netem/parse/loss-gemodel", test_loss_gemodel);
	g_test_add_func("/netem/parse/corrupt-duplicate", test_chances);
	g_test_add_func("/netem/parse/reorder", test_reorder);
	g_test_add_func("/netem/parse/issue-line", test_issue_line);
	g_test_add_func("/netem/parse/rate", test_rate);
	g_test_add_func("/netem/parse/limit", test_limit);
	g_test_add_func("/netem/parse/replaces-law-only", test_replaces_law_only);
	g_test_add_func("/netem/parse/errors", test_errors);
	g_test_add_func("/netem/format/exact", test_format_exact);
	g_test_add_func("/netem/format/percent", test_percent_text);
	g_test_add_func("/netem/format/round-trip", test_round_trip);
	g_test_add_func("/netem/format/round-trip-held-back", test_round_trip_held_back);
	g_test_add_func("/netem/format/notes", test_notes);
	g_test_add_func("/netem/key/sections", test_key_sections);
	g_test_add_func("/netem/key/errors", test_key_errors);
	g_test_add_func("/netem/key/reorder", test_key_reorder);
	g_test_add_func("/netem/cli/bad-key", test_cli_bad_key);
	g_test_add_func("/netem/cli/print", test_cli_print);
	g_test_add_func("/netem/cli/sweep-config", test_cli_sweep_config);
	g_test_add_func("/netem/cli/help", test_cli_help);
	return g_test_run();
}
