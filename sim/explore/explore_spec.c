/*
 * The [explore] section's values (explore_spec.h): defaults, and the
 * parsers the section (sim/config/explore_section.c) and the command line
 * (explore_cli.c) share, so that both accept and refuse the same words.
 */
#include "sim/explore/explore_spec.h"

#include <string.h>
#include <glib.h>
#include "sim/config/units.h"
#include "sim/sweep/metrics.h"

static const char *const kind_names[EXPLORE_N_KINDS] = {"drop", "duplicate", "delay"};

static const struct {
	const char *name, *meaning;
} properties[EXPLORE_N_PROPERTIES] = {
	{"closed", "both endpoints end CLOSED or TIME_WAIT with their programs' calls answered"},
	{"data_intact", "every byte read is the byte the peer wrote there"},
	{"no_reset_on_close", "no reset ends a connection that was closing gracefully"},
	{"no_open_connection", "no connection is left open (ESTABLISHED, half-closed or half-open)"},
	{"results_ok", "every endpoint's result is ok"},
};

void explore_spec_defaults(struct explore_spec *s)
{
	memset(s, 0, sizeof *s);
	s->faults = EXPLORE_DEFAULT_FAULTS;
	s->segments = EXPLORE_DEFAULT_SEGMENTS;
	s->kinds = 1u << EXPLORE_DROP | 1u << EXPLORE_DUPLICATE | 1u << EXPLORE_DELAY;
	s->delays[0] = 300 * SIM_MS; /* overtaken by what follows within an RTO */
	s->delays[1] = 30 * SIM_SEC;   /* arrives after the connection is gone */
	s->n_delays = 2;
	s->budget = EXPLORE_DEFAULT_BUDGET;
	for (int p = 0; p < EXPLORE_N_PROPERTIES; p++)
		s->property[p] = p != EXPLORE_RESULTS_OK;
}

static void require_clear(struct explore_require *r)
{
	g_free(r->text);
	g_free(r->metric);
	g_free(r->want_text);
	memset(r, 0, sizeof *r);
}

void explore_spec_clear(struct explore_spec *s)
{
	for (uint32_t i = 0; i < s->n_require; i++)
		require_clear(&s->require[i]);
	for (uint32_t i = 0; i < s->n_outcomes; i++)
		g_free(s->outcomes[i]);
	memset(s, 0, sizeof *s);
}

void explore_spec_copy(struct explore_spec *dst, const struct explore_spec *src)
{
	*dst = *src;
	for (uint32_t i = 0; i < src->n_require; i++) {
		dst->require[i].text = g_strdup(src->require[i].text);
		dst->require[i].metric = g_strdup(src->require[i].metric);
		dst->require[i].want_text = g_strdup(src->require[i].want_text);
	}
	for (uint32_t i = 0; i < src->n_outcomes; i++)
		dst->outcomes[i] = g_strdup(src->outcomes[i]);
}

const char *explore_kind_name(enum explore_kind k)
{
	return kind_names[k];
}

const char *explore_property_name(enum explore_property p)
{
	return properties[p].name;
}

const char *explore_property_meaning(enum explore_property p)
{
	return properties[p].meaning;
}

bool explore_property_find(const char *name, enum explore_property *p)
{
	for (int i = 0; i < EXPLORE_N_PROPERTIES; i++)
		if (strcmp(name, properties[i].name) == 0) {
			*p = (enum explore_property)i;
			return true;
		}
	return false;
}

/* "drop, duplicate, delay" (dup for short): at least one, each once. */
bool explore_parse_kinds(const char *text, unsigned *kinds, char **why)
{
	char **words = g_strsplit(text, ",", -1);
	*kinds = 0;
	*why = NULL;
	for (char **w = words; *w && !*why; w++) {
		g_strstrip(*w);
		int k = -1;
		for (int i = 0; i < EXPLORE_N_KINDS; i++)
			if (strcmp(*w, kind_names[i]) == 0 || (i == EXPLORE_DUPLICATE && strcmp(*w, "dup") == 0))
				k = i;
		if (k < 0)
			*why = g_strdup_printf("unknown fault kind \"%s\" (known kinds: drop, duplicate, delay)", *w);
		else if (*kinds & 1u << k)
			*why = g_strdup_printf("fault kind %s is listed twice", kind_names[k]);
		else
			*kinds |= 1u << k;
	}
	if (!*why && !*kinds)
		*why = g_strdup("expected fault kinds separated by commas: drop, duplicate, delay");
	g_strfreev(words);
	return *why == NULL;
}

/* "300ms, 30s": one to EXPLORE_MAX_DELAYS durations above 0, each once. */
bool explore_parse_delays(const char *text, sim_time *delays, uint32_t *n, char **why)
{
	char **words = g_strsplit(text, ",", -1);
	*n = 0;
	*why = NULL;
	for (char **w = words; *w && !*why; w++) {
		const char *err = NULL;
		sim_time d = 0;
		g_strstrip(*w);
		if (*n == EXPLORE_MAX_DELAYS)
			*why = g_strdup_printf("expected at most %d delays", EXPLORE_MAX_DELAYS);
		else if (!units_parse_duration(*w, &d, &err) || d <= 0 || d > SIM_MIN * 60 * 24)
			*why = g_strdup_printf("delay \"%s\": expected a duration above 0 and at most 24h, "
			                       "such as 300ms or 30s", *w);
		for (uint32_t i = 0; i < *n && !*why; i++)
			if (delays[i] == d)
				*why = g_strdup_printf("delay %s is listed twice", *w);
		if (!*why)
			delays[(*n)++] = d;
	}
	if (!*why && *n == 0)
		*why = g_strdup("expected durations separated by commas, such as 300ms, 30s");
	g_strfreev(words);
	return *why == NULL;
}

static const char *const cmp_words[] = {"==", "!=", "<=", ">=", "<", ">"};
static const enum explore_cmp cmp_ops[] = {EXPLORE_EQ, EXPLORE_NE, EXPLORE_LE, EXPLORE_GE,
                                           EXPLORE_LT, EXPLORE_GT};

/* The value a number metric is compared with: a count, or a time with
 * its unit (10s, 300ms), in seconds. */
static bool parse_number(const struct metric_def *m, const char *text, double *out)
{
	sim_time t;
	if (strcmp(metric_unit(m), "s") == 0 && units_parse_duration(text, &t, NULL)) {
		*out = sim_time_to_sec(t);
		return true;
	}
	return units_parse_double(text, -1e18, 1e18, out, NULL);
}

/* "METRIC OP VALUE": a metric of `tcpsim sweep --list-metrics`, an
 * operator (== != < <= > >=; categories: == and != only), a value. */
bool explore_parse_require(const char *text, struct explore_require *out, char **why)
{
	memset(out, 0, sizeof *out);
	*why = NULL;
	const char *op = NULL;
	size_t i;
	for (i = 0; i < G_N_ELEMENTS(cmp_words) && !op; i++)
		op = strstr(text, cmp_words[i]);
	if (!op) {
		*why = g_strdup_printf("\"%s\": expected METRIC OP VALUE, such as server.result == ok", text);
		return false;
	}
	i--;
	char *name = g_strstrip(g_strndup(text, (size_t)(op - text)));
	char *value = g_strstrip(g_strdup(op + strlen(cmp_words[i])));
	const struct metric_def *m = metric_find(name);
	if (!m) {
		char *list = metric_names();
		*why = g_strdup_printf("unknown metric %s (known metrics: %s)", name, list);
		g_free(list);
	} else if (!*value) {
		*why = g_strdup_printf("\"%s\": a value is missing after %s", text, cmp_words[i]);
	} else if (metric_kind(m) == METRIC_CATEGORY) {
		if (cmp_ops[i] != EXPLORE_EQ && cmp_ops[i] != EXPLORE_NE)
			*why = g_strdup_printf("%s is a category: compare it with == or !=", name);
		out->is_text = true;
		out->want_text = g_strdup(value);
	} else if (!parse_number(m, value, &out->want)) {
		*why = g_strdup_printf("\"%s\": expected a number%s after %s", text,
		                       strcmp(metric_unit(m), "s") == 0 ? " or a duration" : "", cmp_words[i]);
	}
	if (!*why) {
		out->text = g_strdup_printf("%s %s %s", name, cmp_words[i], value);
		out->metric = g_strdup(name);
		out->cmp = cmp_ops[i];
	} else {
		require_clear(out);
	}
	g_free(name);
	g_free(value);
	return *why == NULL;
}

bool explore_parse_outcomes(const char *text, struct explore_spec *s, char **why)
{
	char **words = g_strsplit(text, ",", -1);
	*why = NULL;
	for (uint32_t i = 0; i < s->n_outcomes; i++)
		g_free(s->outcomes[i]);
	s->n_outcomes = 0;
	for (char **w = words; *w && !*why; w++) {
		g_strstrip(*w);
		if (!metric_find(*w)) {
			char *list = metric_names();
			*why = g_strdup_printf("unknown metric %s (known metrics: %s)", *w, list);
			g_free(list);
		} else if (s->n_outcomes == EXPLORE_MAX_OUTCOMES) {
			*why = g_strdup_printf("expected at most %d outcome metrics", EXPLORE_MAX_OUTCOMES);
		} else {
			s->outcomes[s->n_outcomes++] = g_strdup(*w);
		}
	}
	if (!*why && s->n_outcomes == 0)
		*why = g_strdup("expected metric names separated by commas");
	g_strfreev(words);
	return *why == NULL;
}
