/*
 * netem's words, read and written (see netem.h for the mapping).
 *
 * Reading follows tc/q_netem.c netem_parse_opt(): an option word, its
 * required value, then optional values taken only while the next word
 * starts with a digit (NEXT_IS_NUMBER(); a '-' too for the signed
 * overheads of `rate`), and the same checks once every word is read
 * (reordering without a delay, a gap without reordering, a distribution
 * without a jitter).  Values are read as tc reads them: a percentage with
 * or without '%' (get_percent(): "1" is 1%), a time whose bare number is
 * microseconds (get_time()), a rate whose bare number is bits per second
 * and whose "bps" is bytes per second (get_rate64()).  tcpsim is stricter
 * where tc is loose: an option given twice is an error, and an option's
 * prefix ("del") is not taken for the option.
 *
 * Writing gives words that tc takes and that netem_parse() reads back to
 * the same law, and names in notes what netem cannot say.
 */
#include "sim/config/netem.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim/config/units.h"

#define NETEM_MAX_TIME   ((sim_time)3600 * SIM_SEC) /* as the delay key */
#define NETEM_MAX_LIMIT  1000000u                   /* as the queue key */
#define NETEM_MAX_RATE   1e15                       /* bits/s, as the bandwidth key */
#define NETEM_LIMIT      1000u                      /* tc's opt.limit */
#define NETEM_PARETO_SHAPE 3.0                      /* iproute2 netem/pareto.c: a = 3 */
#define NETEM_MAX_CELL   65535                      /* as the rate_cell_size key */
#define NETEM_MAX_OVERHEAD 65535                    /* as the rate overhead keys, either sign */

static const char options_list[] =
	"delay, distribution, loss, duplicate, corrupt, reorder, gap, rate, limit";

void netem_defaults(struct link_params *p)
{
	p->delay = 0;
	p->jitter = 0;
	p->distribution = LINK_DIST_UNIFORM; /* netem's law without a table */
	p->pareto_shape = NETEM_PARETO_SHAPE;
	p->delay_correlation = 0;
	p->loss_model = LINK_LOSS_RANDOM;
	p->loss = p->loss_correlation = 0;
	p->ge_p = p->ge_r = p->ge_1h = p->ge_1k = 0;
	p->st_p13 = p->st_p31 = p->st_p32 = p->st_p23 = p->st_p14 = 0;
	p->reorder = p->reorder_correlation = 0;
	p->reorder_delay = 0;
	p->reorder_at_once = 0;
	p->reorder_gap = 1;
	p->duplicate = p->duplicate_correlation = 0;
	p->corrupt = p->corrupt_correlation = 0;
	p->bandwidth = 0;
	p->rate_overhead = p->rate_cell_overhead = 0;
	p->rate_cell_size = 0;
	p->queue_limit = NETEM_LIMIT;
}

/* ---- reading ---- */

/* One parse: the words, the law being filled, and what the checks after
 * the last word need. */
struct netem_reader {
	char **w;            /* the words */
	guint n, i;          /* their number; the next one */
	struct link_params p;
	char *error;
	uint32_t seen;       /* options given (each once), by their first row in `options` */
	double reorder, reorder_corr;
	bool reorder_given;
	uint64_t gap;
	bool gap_given, dist_given;
};

static bool fail(struct netem_reader *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static bool fail(struct netem_reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (!r->error)
		r->error = g_strconcat("netem: ", why, NULL);
	g_free(why);
	return false;
}

/* The next word, required after `what`. */
static const char *need(struct netem_reader *r, const char *what, const char *value)
{
	if (r->i < r->n)
		return r->w[r->i++];
	fail(r, "%s: expected %s after it", what, value);
	return NULL;
}

/* tc's NEXT_IS_NUMBER(): an optional value follows (a '-' too: signed). */
static bool next_is_number(const struct netem_reader *r, bool is_signed)
{
	return r->i < r->n &&
	       (g_ascii_isdigit(r->w[r->i][0]) || (is_signed && r->w[r->i][0] == '-'));
}

/* get_percent(): "1", "1%" and "0.5%" are percentages; 0% to 100%. */
static bool percent_of(const char *word, double *out)
{
	char *text = g_str_has_suffix(word, "%") ? g_strdup(word) : g_strconcat(word, "%", NULL);
	double v;
	bool ok = units_parse_probability(text, &v, NULL);

	g_free(text);
	if (ok)
		*out = v;
	return ok;
}

static bool percent(struct netem_reader *r, const char *what, const char *word, double *out)
{
	if (!word)
		return false;
	if (!percent_of(word, out))
		return fail(r, "%s: '%s' is not a percentage (0 to 100, with or without %%: 1%%, 0.5)", what,
		            word);
	return true;
}

/* An optional percentage (a model's next parameter). */
static bool optional_percent(struct netem_reader *r, const char *what, double *out)
{
	return !next_is_number(r, false) || percent(r, what, r->w[r->i++], out);
}

/* An optional correlation: below 100%, as the *_correlation keys (1 would
 * repeat one value for ever). */
static bool optional_correlation(struct netem_reader *r, const char *what, double *out)
{
	if (!next_is_number(r, false))
		return true;
	const char *word = r->w[r->i++];
	if (!percent(r, what, word, out))
		return false;
	if (*out >= 1.0)
		return fail(r, "%s: '%s' is not below 100%% (a correlation of 100%% would repeat one value "
		            "for ever)", what, word);
	return true;
}

/* get_time(): s, sec, secs, ms, msec, msecs, us, usec, usecs, ns...; a
 * bare number is microseconds. */
static bool time_of(const char *word, sim_time *out)
{
	static const struct { const char *tc, *unit; } units[] = {
		{ "", "us" },    { "s", "s" },      { "sec", "s" },     { "secs", "s" },
		{ "ms", "ms" },  { "msec", "ms" },  { "msecs", "ms" },  { "us", "us" },
		{ "usec", "us" }, { "usecs", "us" }, { "ns", "ns" },    { "nsec", "ns" },
		{ "nsecs", "ns" },
	};
	size_t len = strspn(word, "0123456789.");
	const char *suffix = word + len;

	if (len == 0)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(units); i++)
		if (g_ascii_strcasecmp(suffix, units[i].tc) == 0) {
			char *number = g_strndup(word, len);
			char *text = g_strconcat(number, units[i].unit, NULL);
			sim_time t;
			bool ok = units_parse_duration(text, &t, NULL) && t <= NETEM_MAX_TIME;
			g_free(text);
			g_free(number);
			if (ok)
				*out = t;
			return ok;
		}
	return false;
}

static bool time_value(struct netem_reader *r, const char *what, const char *word, sim_time *out)
{
	if (!word)
		return false;
	if (!time_of(word, out))
		return fail(r, "%s: '%s' is not a time (10ms, 500us, 1.5s; a bare number is microseconds; "
		            "at most 1 hour)", what, word);
	return true;
}

/* get_rate64(): bit, kbit, mbit, gbit, tbit, kibit...; bps, kbps, mbps...
 * are bytes per second; a bare number is bits per second.  Any case. */
static bool rate_of(const char *word, uint64_t *bits)
{
	static const struct { const char *name; double bits; } units[] = {
		{ "", 1 },          { "bit", 1 },         { "kbit", 1e3 },      { "mbit", 1e6 },
		{ "gbit", 1e9 },    { "tbit", 1e12 },     { "kibit", 1024.0 },  { "mibit", 1048576.0 },
		{ "gibit", 1073741824.0 }, { "tibit", 1099511627776.0 },
		{ "bps", 8 },       { "kbps", 8e3 },      { "mbps", 8e6 },      { "gbps", 8e9 },
		{ "tbps", 8e12 },   { "kibps", 8 * 1024.0 }, { "mibps", 8 * 1048576.0 },
		{ "gibps", 8 * 1073741824.0 }, { "tibps", 8 * 1099511627776.0 },
	};
	size_t len = strspn(word, "0123456789.");

	if (len == 0 || word[0] == '.' || word[len - 1] == '.' || strchr(word, '.') != strrchr(word, '.'))
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(units); i++)
		if (g_ascii_strcasecmp(word + len, units[i].name) == 0) {
			double v = g_ascii_strtod(word, NULL) * units[i].bits;
			if (!(v <= NETEM_MAX_RATE))
				return false;
			*bits = (uint64_t)llround(v);
			return true;
		}
	return false;
}

/* A whole number in [lo, hi], with a sign when lo < 0. */
static bool whole_of(const char *word, int64_t lo, int64_t hi, int64_t *out)
{
	char *end = NULL;
	gint64 v;

	if (!g_ascii_isdigit(word[0]) && !(lo < 0 && word[0] == '-' && g_ascii_isdigit(word[1])))
		return false;
	v = g_ascii_strtoll(word, &end, 10);
	if (*end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* delay TIME [JITTER [CORRELATION]] */
static bool read_delay(struct netem_reader *r)
{
	if (!time_value(r, "delay", need(r, "delay", "a TIME"), &r->p.delay))
		return false;
	if (!next_is_number(r, false))
		return true;
	if (!time_value(r, "delay: jitter", r->w[r->i++], &r->p.jitter))
		return false;
	return optional_correlation(r, "delay: correlation", &r->p.delay_correlation);
}

static bool read_distribution(struct netem_reader *r)
{
	const char *word = need(r, "distribution", "uniform, normal, pareto or paretonormal");

	if (!word)
		return false;
	r->dist_given = true;
	if (strcmp(word, "uniform") == 0)
		r->p.distribution = LINK_DIST_UNIFORM;
	else if (strcmp(word, "normal") == 0)
		r->p.distribution = LINK_DIST_NORMAL;
	else if (strcmp(word, "pareto") == 0) /* netem's tables (models/link.h) */
		r->p.distribution = LINK_DIST_NETEM_PARETO;
	else if (strcmp(word, "paretonormal") == 0)
		r->p.distribution = LINK_DIST_NETEM_PARETONORMAL;
	else if (strcmp(word, "experimental") == 0)
		return fail(r, "distribution: '%s' is not modelled (it is a table measured on one link; "
		            "tcpsim has uniform, normal, pareto and paretonormal)", word);
	else
		return fail(r, "distribution: '%s' is not a netem distribution (uniform, normal, pareto, "
		            "paretonormal)", word);
	return true;
}

/* loss state P13 [P31 [P32 [P23 [P14]]]], with tc's defaults */
static bool read_loss_state(struct netem_reader *r)
{
	struct link_params *p = &r->p;
	const char *what = "loss state";

	if (!percent(r, what, need(r, what, "P13, a percentage"), &p->st_p13))
		return false;
	p->loss_model = LINK_LOSS_STATE;
	p->st_p31 = 1.0 - p->st_p13;
	p->st_p32 = 0;
	p->st_p23 = 1.0;
	p->st_p14 = 0;
	if (!(optional_percent(r, what, &p->st_p31) && optional_percent(r, what, &p->st_p32) &&
	      optional_percent(r, what, &p->st_p23) && optional_percent(r, what, &p->st_p14)))
		return false;
	/* as the state_p* keys: a row of the chain sums to at most 1 */
	if (p->st_p13 + p->st_p14 > 1.0)
		return fail(r, "loss state: P14 expected at most 100%% - P13 (the chances out of state 1)");
	if (p->st_p31 + p->st_p32 > 1.0)
		return fail(r, "loss state: P32 expected at most 100%% - P31 (the chances out of state 3)");
	return true;
}

/* loss gemodel P [R [1-H [1-K]]], with tc's defaults */
static bool read_loss_gemodel(struct netem_reader *r)
{
	struct link_params *p = &r->p;
	const char *what = "loss gemodel";

	if (!percent(r, what, need(r, what, "P, a percentage"), &p->ge_p))
		return false;
	p->loss_model = LINK_LOSS_GEMODEL;
	p->ge_r = 1.0 - p->ge_p;
	p->ge_1h = 1.0;
	p->ge_1k = 0;
	return optional_percent(r, what, &p->ge_r) && optional_percent(r, what, &p->ge_1h) &&
	       optional_percent(r, what, &p->ge_1k);
}

/* loss [random] PERCENT [CORRELATION] | loss state ... | loss gemodel ... */
static bool read_loss(struct netem_reader *r)
{
	const char *word = need(r, "loss", "a PERCENT, random, state or gemodel");

	if (!word)
		return false;
	if (strcmp(word, "state") == 0)
		return read_loss_state(r);
	if (strcmp(word, "gemodel") == 0)
		return read_loss_gemodel(r);
	if (strcmp(word, "trace") == 0)
		return fail(r, "loss: 'trace' is not modelled (tcpsim has random, state and gemodel)");
	if (strcmp(word, "random") == 0)
		word = need(r, "loss random", "a PERCENT");
	else if (!g_ascii_isdigit(word[0]))
		return fail(r, "loss: '%s' is not a loss model (a PERCENT, random, state or gemodel)", word);
	r->p.loss_model = LINK_LOSS_RANDOM;
	return percent(r, "loss", word, &r->p.loss) &&
	       optional_correlation(r, "loss: correlation", &r->p.loss_correlation);
}

/* duplicate|corrupt PERCENT [CORRELATION] */
static bool read_chance(struct netem_reader *r, const char *what, double *chance, double *corr)
{
	char *cwhat = g_strconcat(what, ": correlation", NULL);
	bool ok = percent(r, what, need(r, what, "a PERCENT"), chance) &&
	          optional_correlation(r, cwhat, corr);

	g_free(cwhat);
	return ok;
}

static bool read_duplicate(struct netem_reader *r)
{
	return read_chance(r, "duplicate", &r->p.duplicate, &r->p.duplicate_correlation);
}

static bool read_corrupt(struct netem_reader *r)
{
	return read_chance(r, "corrupt", &r->p.corrupt, &r->p.corrupt_correlation);
}

/* reorder PERCENT [CORRELATION]: mapped once every word is read */
static bool read_reorder(struct netem_reader *r)
{
	r->reorder_given = true;
	return read_chance(r, "reorder", &r->reorder, &r->reorder_corr);
}

static bool read_gap(struct netem_reader *r)
{
	const char *word = need(r, "gap", "a DISTANCE");
	int64_t v;

	if (!word)
		return false;
	if (!whole_of(word, 0, UINT32_MAX, &v))
		return fail(r, "gap: '%s' is not a whole number of packets", word);
	r->gap = (uint64_t)v;
	r->gap_given = true;
	return true;
}

/* rate RATE [PACKETOVERHEAD [CELLSIZE [CELLOVERHEAD]]] */
static bool read_rate(struct netem_reader *r)
{
	const char *word = need(r, "rate", "a RATE");
	int64_t v;

	if (!word)
		return false;
	if (strchr(word, '%'))
		return fail(r, "rate: '%s' (a share of the interface's speed) is not modelled; give a rate "
		            "such as 10mbit", word);
	if (!rate_of(word, &r->p.bandwidth))
		return fail(r, "rate: '%s' is not a rate (10mbit, 512kbit, 1gbit; bps, kbps, mbps are bytes "
		            "per second; at most 1000tbit)", word);
	/* the bounds of the rate_overhead, rate_cell_size and
	 * rate_cell_overhead keys */
	if (next_is_number(r, true)) {
		word = r->w[r->i++];
		if (!whole_of(word, -NETEM_MAX_OVERHEAD, NETEM_MAX_OVERHEAD, &v))
			return fail(r, "rate: packet overhead '%s' is not a whole number of bytes from -%d to %d",
			            word, NETEM_MAX_OVERHEAD, NETEM_MAX_OVERHEAD);
		r->p.rate_overhead = (int32_t)v;
	}
	if (next_is_number(r, false)) {
		word = r->w[r->i++];
		if (!whole_of(word, 0, NETEM_MAX_CELL, &v))
			return fail(r, "rate: cell size '%s' is not a whole number of bytes from 0 to %d", word,
			            NETEM_MAX_CELL);
		r->p.rate_cell_size = (uint32_t)v;
	}
	if (next_is_number(r, true)) {
		word = r->w[r->i++];
		if (!whole_of(word, -NETEM_MAX_OVERHEAD, NETEM_MAX_OVERHEAD, &v))
			return fail(r, "rate: cell overhead '%s' is not a whole number of bytes from -%d to %d",
			            word, NETEM_MAX_OVERHEAD, NETEM_MAX_OVERHEAD);
		if (v != 0 && r->p.rate_cell_size == 0)
			return fail(r, "rate: cell overhead '%s' expected a cell size of 1 or more before it", word);
		r->p.rate_cell_overhead = (int32_t)v;
	}
	return true;
}

static bool read_limit(struct netem_reader *r)
{
	const char *word = need(r, "limit", "a number of PACKETS");
	int64_t v;

	if (!word)
		return false;
	if (!whole_of(word, 0, NETEM_MAX_LIMIT, &v))
		return fail(r, "limit: '%s' is not a number of packets (1 to %u)", word, NETEM_MAX_LIMIT);
	/* netem_enqueue() drops a packet when the qdisc already holds limit:
	 * limit 0 drops them all, which tcpsim's queue (the packets waiting for
	 * the transmitter; 0 = no waiting room) does not say */
	if (v == 0)
		return fail(r, "limit: 0 is not modelled (on netem it drops every packet; tcpsim's queue = 0 "
		            "is a link without waiting room)");
	r->p.queue_limit = (uint32_t)v;
	return true;
}

static bool read_slot(struct netem_reader *r)
{
	return fail(r, "slot: not modelled (tcpsim's link sends packets as they come, not in slots)");
}

static bool read_ecn(struct netem_reader *r)
{
	return fail(r, "ecn: not modelled (tcpsim's link marks no ECN: it drops)");
}

/* netem's `seed N` seeds its own prng (Linux 6.3+); tcpsim draws every
 * stream from one master seed. */
static bool read_seed(struct netem_reader *r)
{
	return fail(r, "seed: not modelled (tcpsim's seed is [simulation] seed, or --seed)");
}

static const struct {
	const char *word, *name; /* as written; the option it is (latency is delay) */
	bool (*read)(struct netem_reader *r);
} options[] = {
	{ "delay", "delay", read_delay },         { "latency", "delay", read_delay },
	{ "distribution", "distribution", read_distribution },
	{ "loss", "loss", read_loss },            { "drop", "loss", read_loss },
	{ "duplicate", "duplicate", read_duplicate },
	{ "corrupt", "corrupt", read_corrupt },   { "reorder", "reorder", read_reorder },
	{ "gap", "gap", read_gap },               { "rate", "rate", read_rate },
	{ "limit", "limit", read_limit },         { "slot", "slot", read_slot },
	{ "ecn", "ecn", read_ecn },               { "seed", "seed", read_seed },
};

static bool read_option(struct netem_reader *r)
{
	const char *word = r->w[r->i++];

	for (size_t i = 0; i < G_N_ELEMENTS(options); i++) {
		if (strcmp(word, options[i].word) != 0)
			continue;
		size_t first = 0; /* latency and delay are one option */
		while (strcmp(options[first].name, options[i].name) != 0)
			first++;
		if (r->seen & (1u << first))
			return fail(r, "'%s' is given twice", options[i].name);
		r->seen |= 1u << first;
		return options[i].read(r);
	}
	return fail(r, "'%s' is not a netem option (%s)", word, options_list);
}

/*
 * netem's reorder is the link's own (reorder_at_once, reorder_gap,
 * models/link.h).  tc's checks first (q_netem.c netem_parse_opt()):
 * reordering needs a delay, a gap needs reordering, and gap 0 becomes 1.
 */
static bool map_reorder(struct netem_reader *r)
{
	struct link_params *p = &r->p;
	bool reorders = r->reorder_given && r->reorder > 0;

	if (r->gap_given && r->gap > 0 && !reorders)
		return fail(r, "gap: expected a reorder probability with it (tc: gap specified without "
		            "reorder probability)");
	p->reorder_correlation = r->reorder_corr;
	if (!reorders)
		return true;
	if (p->delay == 0)
		return fail(r, "reorder: expected a delay with it (netem reorders by sending a packet at "
		            "once while the others wait out the delay)");
	p->reorder_at_once = r->reorder;
	p->reorder_gap = r->gap > 0 ? (uint32_t)r->gap : 1;
	return true;
}

static bool check_distribution(struct netem_reader *r)
{
	if (r->dist_given && (r->p.delay == 0 || r->p.jitter == 0))
		return fail(r, "distribution: expected a delay and a jitter with it (delay TIME JITTER)");
	return true;
}

bool netem_parse(const char *text, struct link_params *p, char **error)
{
	struct netem_reader r = { .p = *p };
	char **all = g_strsplit_set(text ? text : "", " \t\r\n", -1);
	GPtrArray *words = g_ptr_array_new();
	bool ok = true;

	for (char **w = all; *w; w++)
		if (**w)
			g_ptr_array_add(words, *w);
	r.w = (char **)words->pdata;
	r.n = words->len;
	netem_defaults(&r.p);
	while (ok && r.i < r.n)
		ok = read_option(&r);
	ok = ok && check_distribution(&r) && map_reorder(&r);
	if (ok)
		*p = r.p;
	else
		*error = g_strdup(r.error);
	g_free(r.error);
	g_ptr_array_free(words, TRUE);
	g_strfreev(all);
	return ok;
}

/* ---- writing ---- */

static void word(GString *out, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void word(GString *out, const char *fmt, ...)
{
	va_list ap;

	if (out->len)
		g_string_append_c(out, ' ');
	va_start(ap, fmt);
	g_string_append_vprintf(out, fmt, ap);
	va_end(ap);
}

static void note(GString *notes, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void note(GString *notes, const char *fmt, ...)
{
	va_list ap;

	if (!notes)
		return;
	va_start(ap, fmt);
	g_string_append_vprintf(notes, fmt, ap);
	va_end(ap);
	g_string_append_c(notes, '\n');
}

/* A time in the largest of tc's units that writes it whole. */
static char *time_text(sim_time t)
{
	static const struct { const char *unit; sim_time ns; } units[] = {
		{ "s", SIM_SEC }, { "ms", SIM_MS }, { "us", SIM_US }, { "ns", 1 },
	};
	size_t i = 0;

	while (t % units[i].ns)
		i++;
	return g_strdup_printf("%" G_GINT64_FORMAT "%s", (gint64)(t / units[i].ns), units[i].unit);
}

/*
 * p as a percentage that percent_of() reads back to p exactly: the
 * shortest decimal that round-trips, its point moved two places (as text,
 * so that nothing is rounded on the way).
 */
static char *percent_text(double p)
{
	char buf[64], fmt[16];
	int prec = 0;

	if (p == 0)
		return g_strdup("0%");
	for (prec = 0; prec < 17; prec++) {
		g_snprintf(fmt, sizeof fmt, "%%.%de", prec);
		g_ascii_formatd(buf, sizeof buf, fmt, p);
		if (g_ascii_strtod(buf, NULL) == p)
			break;
	}
	/* buf: D[.DDD]e[+-]XX */
	GString *digits = g_string_new(NULL);
	const char *e = strchr(buf, 'e');
	for (const char *c = buf; c < e; c++)
		if (g_ascii_isdigit(*c))
			g_string_append_c(digits, *c);
	int point = (int)strtol(e + 1, NULL, 10) + 2 + 1; /* digits before the point, as a percentage */
	GString *out = g_string_new(NULL);
	if (point <= 0) {
		g_string_append(out, "0.");
		for (int i = 0; i < -point; i++)
			g_string_append_c(out, '0');
		g_string_append(out, digits->str);
	} else if ((size_t)point >= digits->len) {
		g_string_append(out, digits->str);
		for (size_t i = digits->len; i < (size_t)point; i++)
			g_string_append_c(out, '0');
	} else {
		g_string_append_len(out, digits->str, point);
		g_string_append_c(out, '.');
		g_string_append(out, digits->str + point);
	}
	g_string_append_c(out, '%');
	g_string_free(digits, TRUE);
	return g_string_free(out, FALSE);
}

static void word_time(GString *out, sim_time t)
{
	char *s = time_text(t);
	word(out, "%s", s);
	g_free(s);
}

static void word_percent(GString *out, double p)
{
	char *s = percent_text(p);
	word(out, "%s", s);
	g_free(s);
}

/* NAME PERCENT [CORRELATION], when either is set */
static void word_chance(GString *out, const char *name, double chance, double corr)
{
	if (chance == 0 && corr == 0)
		return;
	word(out, "%s", name);
	word_percent(out, chance);
	if (corr > 0)
		word_percent(out, corr);
}

static void write_distribution(const struct link_params *p, GString *w, GString *notes)
{
	switch (p->distribution) {
	case LINK_DIST_CONSTANT:
	case LINK_DIST_UNIFORM: /* netem's law without a table */
		return;
	case LINK_DIST_NORMAL:
		word(w, "distribution normal");
		return;
	case LINK_DIST_PARETO: /* moved onto netem's table by write_delay() */
	case LINK_DIST_NETEM_PARETO:
		word(w, "distribution pareto");
		return;
	case LINK_DIST_NETEM_PARETONORMAL:
		word(w, "distribution paretonormal");
		return;
	case LINK_DIST_EXPONENTIAL:
		note(notes, "distribution exponential: netem has no such table (normal, pareto, "
		     "paretonormal); written as netem's uniform");
		return;
	}
}

/*
 * tcpsim's pareto, delay + J Y with Y a Pareto of scale 1 and shape 3, is
 * netem's table law delay' + s (4/3) (Y - 1.5) (models/link.h) with
 * s = 3J/4 and delay' = delay + 1.5 J, but for the table's cut at
 * Y = 4.5 (1.1% of the draws).  Other shapes are approximated so.
 */
static void pareto_as_netem(const struct link_params *p, sim_time *delay, sim_time *jitter,
                            GString *notes)
{
	sim_time j = *jitter;

	*delay += j + j / 2;
	*jitter = (sim_time)llround((double)j * 0.75);
	note(notes, "distribution pareto (delay %g ms + a Pareto of scale %g ms, shape %g): written as "
	     "netem's pareto table, the same law%s but for the table's cut at 4.5 times the scale",
	     (double)p->delay / SIM_MS, (double)j / SIM_MS, p->pareto_shape,
	     p->pareto_shape == NETEM_PARETO_SHAPE ? "" : " had it shape 3 (netem's only shape)");
}

/*
 * delay, jitter, distribution and reorder: netem's reorder is the link's
 * reorder_at_once (exact); tcpsim's held-back packets are netem's delayed
 * ones (netem.h), exact when tcpsim's delay is 0 and there is no jitter,
 * otherwise approximate, said in a note.
 */
static void write_delay(const struct link_params *p, GString *w, GString *notes)
{
	sim_time jitter = p->distribution == LINK_DIST_CONSTANT ? 0 : p->jitter;
	sim_time delay = p->delay;
	double reorder = p->reorder_at_once; /* netem's: the share sent at once */
	uint32_t gap = p->reorder_gap;

	if (jitter > 0 && p->distribution == LINK_DIST_PARETO)
		pareto_as_netem(p, &delay, &jitter, notes);

	if (p->reorder > 0 && jitter > 0) {
		note(notes, "reorder %g held back by %g ms: netem cannot hold packets back on a link with "
		     "a jitter (the jitter reorders them); left out", p->reorder,
		     (double)p->reorder_delay / SIM_MS);
	} else if (p->reorder > 0) {
		if (delay > 0)
			note(notes, "reorder %g held back by %g ms on top of a delay of %g ms: netem sends a "
			     "reordered packet at once, with no delay; written with netem's delay as the "
			     "held-back packets' (so the others arrive %g ms early)", p->reorder,
			     (double)p->reorder_delay / SIM_MS, (double)delay / SIM_MS, (double)delay / SIM_MS);
		delay += p->reorder_delay;
		reorder = 1.0 - p->reorder;
		gap = 1;
	}
	if (delay > 0 || jitter > 0 || p->delay_correlation > 0) {
		word(w, "delay");
		word_time(w, delay);
		if (jitter > 0 || p->delay_correlation > 0)
			word_time(w, jitter);
		if (p->delay_correlation > 0)
			word_percent(w, p->delay_correlation);
	}
	if (jitter > 0)
		write_distribution(p, w, notes);
	if (reorder > 0)
		word_chance(w, "reorder", reorder, p->reorder_correlation);
	if (reorder > 0 && gap != 1)
		word(w, "gap %" G_GUINT32_FORMAT, gap);
}

static void write_loss(const struct link_params *p, GString *w, GString *notes)
{
	if (p->loss_start_stationary && p->loss_model != LINK_LOSS_RANDOM)
		note(notes, "loss_model_start = stationary: netem's chain starts in the good state (a new "
		     "qdisc); written as netem's");
	switch (p->loss_model) {
	case LINK_LOSS_RANDOM:
		word_chance(w, "loss", p->loss, p->loss_correlation);
		return;
	case LINK_LOSS_GEMODEL:
		word(w, "loss gemodel");
		word_percent(w, p->ge_p);
		word_percent(w, p->ge_r);
		word_percent(w, p->ge_1h);
		word_percent(w, p->ge_1k);
		return;
	case LINK_LOSS_STATE:
		word(w, "loss state");
		word_percent(w, p->st_p13);
		word_percent(w, p->st_p31);
		word_percent(w, p->st_p32);
		word_percent(w, p->st_p23);
		word_percent(w, p->st_p14);
		return;
	}
}

/* In the largest of tc's bit units that writes it whole. */
static void write_rate(const struct link_params *p, GString *w)
{
	static const struct { const char *unit; uint64_t bits; } units[] = {
		{ "gbit", 1000000000 }, { "mbit", 1000000 }, { "kbit", 1000 }, { "bit", 1 },
	};
	size_t i = 0;

	if (p->bandwidth == 0)
		return;
	while (p->bandwidth % units[i].bits)
		i++;
	word(w, "rate %" G_GUINT64_FORMAT "%s", p->bandwidth / units[i].bits, units[i].unit);
	if (p->rate_overhead || p->rate_cell_size || p->rate_cell_overhead)
		word(w, "%" G_GINT32_FORMAT, p->rate_overhead);
	if (p->rate_cell_size || p->rate_cell_overhead)
		word(w, "%" G_GUINT32_FORMAT, p->rate_cell_size);
	if (p->rate_cell_overhead)
		word(w, "%" G_GINT32_FORMAT, p->rate_cell_overhead);
}

/* What tcpsim's link does beyond netem's law. */
static void write_beyond(const struct link_params *p, GString *notes)
{
	if (p->unreachable != LINK_REACHABLE)
		note(notes, "unreachable = %s (router %u.%u.%u.%u answers ICMP %s unreachable): not netem's",
		     p->unreachable == LINK_NET_UNREACHABLE ? "net" : "host", p->router >> 24,
		     (p->router >> 16) & 0xff, (p->router >> 8) & 0xff, p->router & 0xff,
		     p->unreachable == LINK_NET_UNREACHABLE ? "net" : "host");
	if (p->arp_probes != 3 || p->arp_interval != SIM_SEC)
		note(notes, "arp_probes %u, arp_interval %g ms: not netem's but the sender's neighbour "
		     "settings (sysctl net.ipv4.neigh.IF.mcast_solicit=%u net.ipv4.neigh.IF.retrans_time_ms=%g)",
		     p->arp_probes, (double)p->arp_interval / SIM_MS, p->arp_probes,
		     (double)p->arp_interval / SIM_MS);
}

void netem_format(const struct link_params *p, GString *words, GString *notes)
{
	GString *w = g_string_new(NULL);

	write_delay(p, w, notes);
	write_loss(p, w, notes);
	word_chance(w, "duplicate", p->duplicate, p->duplicate_correlation);
	word_chance(w, "corrupt", p->corrupt, p->corrupt_correlation);
	write_rate(p, w);
	if (p->queue_limit == 0) /* netem's limit 0 drops every packet (read_limit()) */
		note(notes, "queue = 0 (no room to wait for a busy link): netem's limit counts every packet "
		     "it holds, delayed ones too, and limit 0 drops them all; left out (netem's limit 1000)");
	else if (p->queue_limit != NETEM_LIMIT)
		word(w, "limit %" G_GUINT32_FORMAT, p->queue_limit);
	write_beyond(p, notes);
	g_string_append(words, w->str);
	g_string_free(w, TRUE);
}
