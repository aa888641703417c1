/*
 * The [explore] section (sim/explore/explore_spec.h): what `tcpsim
 * explore` places and checks.  Each key is checked as it is read, so a
 * mistake is reported at its line like any other key's; a plain run of
 * the config ignores the section.
 */
#include "sim/config/config_int.h"

#include <string.h>
#include "sim/config/units.h"
#include "sim/explore/explore_spec.h"

static struct explore_spec *explore_of(struct loader *ld)
{
	if (!ld->c->explore) {
		ld->c->explore = g_new(struct explore_spec, 1);
		explore_spec_defaults(ld->c->explore);
	}
	return ld->c->explore;
}

static bool explore_count(struct loader *ld, const char *key, const char *value, uint64_t min,
                          uint64_t max, uint64_t *out)
{
	if (units_parse_uint(value, min, max, out, NULL))
		return true;
	return cfg_value_error(ld, "explore", key, "expected a whole number between %llu and %llu",
	                       (unsigned long long)min, (unsigned long long)max);
}

/* require = PRED, PRED: appended to those already read. */
static bool explore_require(struct loader *ld, struct explore_spec *s, const char *key, const char *value)
{
	char **preds = g_strsplit(value, ",", -1);
	char *why = NULL;
	for (char **p = preds; *p && !why; p++) {
		g_strstrip(*p);
		if (s->n_require == EXPLORE_MAX_REQUIRE)
			why = g_strdup_printf("expected at most %d predicates", EXPLORE_MAX_REQUIRE);
		else if (explore_parse_require(*p, &s->require[s->n_require], &why))
			s->n_require++;
	}
	g_strfreev(preds);
	if (!why)
		return true;
	cfg_value_error(ld, "explore", key, "%s", why);
	g_free(why);
	return false;
}

static bool explore_list(struct loader *ld, struct explore_spec *s, const char *key, const char *value)
{
	char *why = NULL;
	bool ok = strcmp(key, "kinds") == 0     ? explore_parse_kinds(value, &s->kinds, &why)
	          : strcmp(key, "delays") == 0  ? explore_parse_delays(value, s->delays, &s->n_delays, &why)
	          : strcmp(key, "require") == 0 ? explore_require(ld, s, key, value)
	                                        : explore_parse_outcomes(value, s, &why);
	if (ok || !why)
		return ok;
	cfg_value_error(ld, "explore", key, "%s", why);
	g_free(why);
	return false;
}

static char *known_keys(void)
{
	GString *s = g_string_new("faults, segments, kinds, delays, budget, require, outcomes");
	for (int p = 0; p < EXPLORE_N_PROPERTIES; p++)
		g_string_append_printf(s, ", %s", explore_property_name((enum explore_property)p));
	return g_string_free(s, FALSE);
}

bool cfg_apply_explore_key(struct loader *ld, const char *section, const char *key, const char *value)
{
	struct explore_spec *s = explore_of(ld);
	enum explore_property p;
	uint64_t n;

	(void)section;
	if (strcmp(key, "faults") == 0) {
		if (!explore_count(ld, key, value, 1, EXPLORE_MAX_FAULTS, &n))
			return false;
		s->faults = (uint32_t)n;
		return true;
	}
	if (strcmp(key, "segments") == 0) {
		if (!explore_count(ld, key, value, 1, EXPLORE_MAX_SEGMENTS, &n))
			return false;
		s->segments = (uint32_t)n;
		return true;
	}
	if (strcmp(key, "budget") == 0)
		return explore_count(ld, key, value, 1, UINT64_MAX / 2, &s->budget);
	if (strcmp(key, "kinds") == 0 || strcmp(key, "delays") == 0 || strcmp(key, "require") == 0 ||
	    strcmp(key, "outcomes") == 0)
		return explore_list(ld, s, key, value);
	if (explore_property_find(key, &p)) {
		if (units_parse_bool(value, &s->property[p], NULL))
			return true;
		return cfg_value_error(ld, "explore", key, "expected on or off");
	}
	char *origin = cfg_origin_of(ld, "explore", key);
	char *list = known_keys();
	bool ok = cfg_fail(ld, CONFIG_ERROR_UNKNOWN, "%s: [explore] %s: unknown key (known keys of [explore]: %s)",
	                   origin, key, list);
	g_free(list);
	g_free(origin);
	return ok;
}
