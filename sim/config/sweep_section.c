/*
 * The [sweep] section of a config: whether a file has one, and its keys
 * (runs, metrics, and the SECTION.KEY parameters with their lists or
 * ranges), each value checked as a value of the key it varies, into a
 * struct sweep_spec (sim/sweep/sweep_grid.h).
 *
 * Here rather than beside the grid in sim/sweep/ because it is a section
 * of the loader: it is a row of the section table, called back by the
 * load stages with the struct loader, reports through the loader's
 * messages, and checks each swept value with the loader's own tables and
 * value parsers (config_int.h).  In sim/sweep/ it would need that private
 * header across rooms, while what it needs of the sweep (the grid's
 * sweep_values_parse, sweep_spec_add_param and limits) is public already.
 */
#include "sim/config/config_int.h"

#include <string.h>
#include "sim/config/fault_parse.h"
#include "sim/config/units.h"
#include "sim/sweep/metrics.h"
#include "sim/sweep/sweep_grid.h"

/* ---- whether a config has a [sweep] ---- */

/* "[sweep]" alone on its line, or with a trailing comment. */
static bool is_sweep_header(const char *line)
{
	if (!g_str_has_prefix(line, "[sweep]"))
		return false;
	const char *rest = line + strlen("[sweep]");
	const char *q = rest;
	while (*q == ' ' || *q == '\t')
		q++;
	return *q == '\0' || (q > rest && (*q == '#' || *q == ';'));
}

bool config_source_has_sweep(const struct config_source *src)
{
	gsize len = 0;
	const char *text = src->text ? g_bytes_get_data(src->text, &len) : NULL;
	bool found = false;

	if (!text)
		return false;
	char *copy = g_strndup(text, len);
	char **lines = g_strsplit(copy, "\n", -1);
	for (char **l = lines; *l && !found; l++)
		found = is_sweep_header(g_strstrip(*l));
	g_strfreev(lines);
	g_free(copy);
	return found;
}

bool config_has_sweep(const char *path)
{
	struct config_source src;

	if (!config_source_read(path, &src, NULL))
		return false;
	bool found = config_source_has_sweep(&src);
	config_source_clear(&src);
	return found;
}

/* ---- the section ---- */

static struct sweep_spec *sweep_of(struct loader *ld)
{
	if (!ld->c->sweep)
		ld->c->sweep = sweep_spec_new();
	return ld->c->sweep;
}

/* NULL if every value is a valid value of [section] key, else what was
 * expected of the first that is not.  They are parsed into a scratch
 * config, whose owned fields each parse replaces. */
static char *check_sweep_values(const struct section_def *sd, const char *key, GPtrArray *values)
{
	struct config scratch;
	char *why = NULL;
	const char *v = NULL;

	memset(&scratch, 0, sizeof scratch);
	config_defaults(&scratch);
	for (guint i = 0; i < values->len && !why; i++) {
		struct fault f;
		v = g_ptr_array_index(values, i);
		if (sd->free_key == cfg_apply_fault)
			fault_parse(v, &f, &why); /* sets why when it fails */
		else
			why = cfg_parse_value(cfg_find_key(sd->group, key), v, cfg_target_of(&scratch, sd, 0));
	}
	config_clear(&scratch);
	if (!why)
		return NULL;
	char *text = g_strdup_printf("value %s: %s", v, why);
	g_free(why);
	return text;
}

/* The section and key a parameter name sets; NULL with *why. */
static const struct section_def *sweep_target(const char *name, char **key, char **why)
{
	const char *dot = strrchr(name, '.');
	char *section = dot ? g_strndup(name, (size_t)(dot - name)) : NULL;
	const struct section_def *sd = section ? cfg_find_section(section) : NULL;

	*key = NULL;
	if (!dot || dot == name || !dot[1])
		*why = g_strdup("expected runs, metrics, or a parameter SECTION.KEY such as network.loss");
	else if (!sd) {
		char *hint = cfg_section_hint(section);
		*why = g_strdup_printf("unknown section [%s]%s", section, hint);
		g_free(hint);
	}
	else if (sd->group == CONFIG_GROUP_SWEEP)
		*why = g_strdup("a sweep cannot vary [sweep] itself");
	else if (!sd->free_key && !cfg_find_key(sd->group, dot + 1)) {
		char *list = cfg_known_keys(sd->group);
		char *hint = cfg_key_hint(sd, dot + 1, dot + 1);
		*why = g_strdup_printf("unknown key%s (known keys of [%s]: %s)", hint, section, list);
		g_free(hint);
		g_free(list);
	} else
		*key = g_strdup(dot + 1);
	g_free(section);
	return *key ? sd : NULL;
}

/* SECTION.KEY = list or range: every value must be a valid value of the key. */
static bool sweep_param(struct loader *ld, const char *key, const char *value)
{
	char *why = NULL, *target_key = NULL;
	const struct section_def *sd = sweep_target(key, &target_key, &why);
	GPtrArray *values = g_ptr_array_new_with_free_func(g_free);

	if (sd && sweep_values_parse(value, values, &why))
		why = check_sweep_values(sd, target_key, values);
	if (!why)
		sweep_spec_add_param(sweep_of(ld), key, values, &why);
	g_ptr_array_free(values, TRUE);
	g_free(target_key);
	if (!why)
		return true;
	cfg_value_error(ld, "sweep", key, "%s", why);
	g_free(why);
	return false;
}

/* metrics = a, b, c: known names, each once. */
static bool sweep_metrics(struct loader *ld, const char *key, const char *value)
{
	char **names = g_strsplit(value, ",", -1);
	char *why = NULL;

	for (char **n = names; *n && !why; n++) {
		g_strstrip(*n);
		if (!**n)
			why = g_strdup("expected metric names separated by commas, with no empty item");
		else if (!metric_find(*n)) {
			char *list = metric_names();
			why = g_strdup_printf("unknown metric %s (known metrics: %s)", *n, list);
			g_free(list);
		}
		for (char **m = names; !why && m < n; m++)
			if (strcmp(*m, *n) == 0)
				why = g_strdup_printf("metric %s is listed twice", *n);
	}
	if (!why && !names[0])
		why = g_strdup("expected at least one metric");
	if (why) {
		cfg_value_error(ld, "sweep", key, "%s", why);
		g_free(why);
		g_strfreev(names);
		return false;
	}
	struct sweep_spec *s = sweep_of(ld);
	g_strfreev(s->metrics);
	s->metrics = names;
	s->n_metrics = g_strv_length(names);
	return true;
}

bool cfg_apply_sweep_key(struct loader *ld, const char *section, const char *key,
                            const char *value)
{
	uint64_t runs;

	(void)section;
	if (ld->point) /* the sweep's own load checked the section */
		return true;
	if (strcmp(key, "metrics") == 0)
		return sweep_metrics(ld, key, value);
	if (strcmp(key, "runs") != 0)
		return sweep_param(ld, key, value);
	if (!units_parse_uint(value, 1, SWEEP_MAX_RUNS, &runs, NULL))
		return cfg_value_error(ld, "sweep", key, "expected a number of runs between 1 and %u",
		                   SWEEP_MAX_RUNS);
	sweep_of(ld)->runs = runs;
	return true;
}

/* A [sweep] needs its metrics, and a grid of at most SWEEP_MAX_TOTAL runs. */
bool cfg_check_sweep(struct loader *ld, const struct section_def *sd)
{
	if (ld->point || !g_key_file_has_group(ld->kf, sd->name))
		return true;
	struct sweep_spec *s = sweep_of(ld);
	if (s->n_metrics == 0) {
		char *origin = cfg_origin_of(ld, sd->name, NULL);
		cfg_fail(ld, CONFIG_ERROR_MISSING, "%s: [sweep] metrics: required key is missing (such as "
		     "metrics = client.result, client.connect_time)", origin);
		g_free(origin);
		return false;
	}
	if (s->runs > SWEEP_MAX_TOTAL / s->n_points)
		return cfg_value_error(ld, "sweep", "runs", "expected at most %llu runs in all (%llu points)",
		                   (unsigned long long)SWEEP_MAX_TOTAL, (unsigned long long)s->n_points);
	return true;
}
