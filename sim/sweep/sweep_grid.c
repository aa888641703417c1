/*
 * Parameter values of a sweep (lists and ranges) and the grid they span.
 * See sweep_grid.h for the syntax.  Nothing here knows config keys: the
 * values are text, checked by the config loader against the key they set.
 */
#include "sim/sweep/sweep_grid.h"
#include "sim/escape.h"

#include <math.h>
#include <string.h>

struct sweep_spec *sweep_spec_new(void)
{
	struct sweep_spec *s = g_new0(struct sweep_spec, 1);

	s->runs = SWEEP_DEFAULT_RUNS;
	s->metrics = g_new0(char *, 1);
	s->n_points = 1;
	return s;
}

void sweep_spec_free(struct sweep_spec *s)
{
	if (!s)
		return;
	for (uint32_t i = 0; i < s->n_params; i++) {
		g_free(s->params[i].name);
		g_strfreev(s->params[i].values);
	}
	g_free(s->params);
	g_strfreev(s->metrics);
	g_free(s);
}

/* ---- ranges ---- */

/* One bound of a range: a decimal number and its unit suffix. */
struct bound {
	double v;
	char *unit; /* "" when none */
};

/* [+-]digits[.digits][(e|E)[+-]digits]: the length of the number at the
 * start of s, 0 if there is none. */
static size_t number_length(const char *s)
{
	size_t i = 0, digits = 0;

	if (s[i] == '+' || s[i] == '-')
		i++;
	for (; g_ascii_isdigit(s[i]); i++)
		digits++;
	if (s[i] == '.')
		for (i++; g_ascii_isdigit(s[i]); i++)
			digits++;
	if (!digits)
		return 0;
	if (s[i] == 'e' || s[i] == 'E') {
		size_t j = i + 1;
		if (s[j] == '+' || s[j] == '-')
			j++;
		if (g_ascii_isdigit(s[j])) {
			while (g_ascii_isdigit(s[j]))
				j++;
			i = j;
		}
	}
	return i;
}

static bool parse_bound(const char *text, struct bound *b)
{
	char *t = g_strstrip(g_strdup(text));
	size_t n = number_length(t);
	bool ok = n > 0;

	if (ok) {
		b->v = g_ascii_strtod(t, NULL);
		b->unit = g_strstrip(g_strdup(t + n));
		ok = isfinite(b->v) && !strpbrk(b->unit, " \t");
		if (!ok)
			g_clear_pointer(&b->unit, g_free);
	}
	g_free(t);
	return ok;
}

/* A unit as a message may show it: "(none)", or its bytes with control
 * characters as \xHH, so that the message stays on one line. */
static char *shown_unit(const char *unit)
{
	return *unit ? escape_text(unit) : g_strdup("(none)"); /* invalid UTF-8 and controls too */
}

/* The unit the three bounds share; a bound of 0 may omit it. */
static const char *shared_unit(const struct bound *b, char **why)
{
	const char *unit = NULL;

	for (int i = 0; i < 3; i++) {
		if (!*b[i].unit && b[i].v == 0)
			continue;
		if (unit && strcmp(unit, b[i].unit) != 0) {
			char *a = shown_unit(unit), *c = shown_unit(b[i].unit);
			*why = g_strdup_printf("expected one unit for START, STOP and STEP, not '%s' and '%s'",
			                       a, c);
			g_free(a);
			g_free(c);
			return NULL;
		}
		unit = b[i].unit;
	}
	return unit ? unit : "";
}

/* START + i * STEP as text: %.10g, so that float noise never shows. */
static char *range_value(double v, double step, const char *unit)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	if (fabs(v) < fabs(step) * 1e-9) /* -0, or 1e-17 where 0 was meant */
		v = 0;
	g_ascii_formatd(buf, sizeof buf, "%.10g", v);
	return g_strconcat(buf, unit, NULL);
}

/* The number of values of a range, 0 with *why. */
static uint64_t range_count(double start, double stop, double step, char **why)
{
	if (!(step > 0)) {
		*why = g_strdup("expected STEP > 0");
		return 0;
	}
	double q = (stop - start) / step;
	double whole = round(q);
	if (q < -1e-9) {
		*why = g_strdup("expected STOP >= START");
		return 0;
	}
	if (whole + 1 > SWEEP_MAX_VALUES) {
		*why = g_strdup_printf("expected at most %u values, not %.0f", SWEEP_MAX_VALUES, whole + 1);
		return 0;
	}
	if (fabs(q - whole) > 1e-9 * fmax(1, q)) {
		*why = g_strdup("expected STOP = START + a whole number of STEPs");
		return 0;
	}
	return (uint64_t)whole + 1;
}

static bool parse_range(char **parts, GPtrArray *out, char **why)
{
	struct bound b[3] = {{0, NULL}, {0, NULL}, {0, NULL}};
	bool ok = true;

	for (int i = 0; i < 3 && ok; i++)
		ok = parse_bound(parts[i], &b[i]);
	if (!ok)
		*why = g_strdup("expected a list A, B, C or a range START:STOP:STEP of numbers with "
		                "an optional unit (0:0.3:0.05, 0ms:100ms:20ms)");
	const char *unit = ok ? shared_unit(b, why) : NULL;
	uint64_t n = unit ? range_count(b[0].v, b[1].v, b[2].v, why) : 0;
	for (uint64_t i = 0; i < n; i++)
		g_ptr_array_add(out, range_value(b[0].v + (double)i * b[2].v, b[2].v, unit));
	for (int i = 0; i < 3; i++)
		g_free(b[i].unit);
	return n > 0;
}

/* ---- lists ---- */

static bool parse_list(const char *text, GPtrArray *out, char **why)
{
	char **items = g_strsplit(text, ",", -1);
	bool ok = items[0] != NULL;

	for (char **it = items; ok && *it; it++) {
		g_strstrip(*it);
		ok = **it != '\0';
		if (ok)
			g_ptr_array_add(out, g_strdup(*it));
	}
	if (!ok)
		*why = g_strdup("expected a list of values separated by commas, with no empty item");
	else if (out->len > SWEEP_MAX_VALUES) {
		*why = g_strdup_printf("expected at most %u values", SWEEP_MAX_VALUES);
		ok = false;
	}
	g_strfreev(items);
	return ok;
}

bool sweep_values_parse(const char *text, GPtrArray *out, char **why)
{
	char **parts = g_strsplit(text, ":", -1);
	bool is_range = !strchr(text, ',') && g_strv_length(parts) == 3;
	bool ok = is_range ? parse_range(parts, out, why) : parse_list(text, out, why);

	g_strfreev(parts);
	if (!ok)
		g_ptr_array_set_size(out, 0);
	return ok;
}

/* ---- the grid ---- */

bool sweep_spec_add_param(struct sweep_spec *s, const char *name, GPtrArray *values, char **why)
{
	g_assert(values->len > 0);
	if (s->n_points * values->len > SWEEP_MAX_POINTS) { /* no overflow: both <= 100000 */
		*why = g_strdup_printf("expected a grid of at most %u points, not %llu", SWEEP_MAX_POINTS,
		                       (unsigned long long)s->n_points * values->len);
		return false;
	}
	s->params = g_renew(struct sweep_param, s->params, s->n_params + 1);
	struct sweep_param *p = &s->params[s->n_params++];
	p->name = g_strdup(name);
	p->n_values = values->len;
	p->values = g_new0(char *, values->len + 1);
	for (guint i = 0; i < values->len; i++)
		p->values[i] = g_strdup(g_ptr_array_index(values, i));
	s->n_points *= values->len;
	return true;
}

void sweep_point_index(const struct sweep_spec *s, uint64_t p, uint32_t *idx)
{
	g_assert(p < s->n_points);
	for (uint32_t i = s->n_params; i-- > 0;) { /* the last varies fastest */
		idx[i] = (uint32_t)(p % s->params[i].n_values);
		p /= s->params[i].n_values;
	}
}

const char *sweep_point_value(const struct sweep_spec *s, uint64_t p, uint32_t i)
{
	g_assert(p < s->n_points && i < s->n_params);
	for (uint32_t j = s->n_params - 1; j > i; j--)
		p /= s->params[j].n_values;
	return s->params[i].values[p % s->params[i].n_values];
}

char **sweep_point_overrides(const struct sweep_spec *s, uint64_t p)
{
	char **o = g_new0(char *, s->n_params + 1);

	for (uint32_t i = 0; i < s->n_params; i++)
		o[i] = g_strdup_printf("%s=%s", s->params[i].name, sweep_point_value(s, p, i));
	return o;
}
