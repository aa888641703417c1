/*
 * The loader's error messages: where a value comes from ("PATH:LINE",
 * "--set ..."), and the compiler-style text that names it, its section
 * and key, and what was expected:
 *     configs/x.ini:12: [network] loss = 1.5: expected a probability between 0 and 1
 *
 * Every stage of the loader (the scanner, the overrides, the values, the
 * relations, [sweep]) reports through here, so that every message escapes
 * what it shows and names the place the same way.
 */
#include "sim/config/config_int.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include "sim/escape.h"

/* Text from a config or the command line as it may be shown: on one line,
 * control bytes and invalid UTF-8 made visible (sim/escape.h). */
char *cfg_printable(const char *text)
{
	return escape_text(text);
}

bool cfg_fail(struct loader *ld, enum config_error_code code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	/* Every message goes through here: the file name, sections, keys and
	 * values in it come out escaped (escaping is idempotent, so parts
	 * escaped already are left alone). */
	char *shown = cfg_printable(msg);
	g_set_error_literal(ld->error, CONFIG_ERROR, (gint)code, shown);
	g_free(shown);
	g_free(msg);
	return false;
}

char *cfg_key_id(const char *section, const char *key)
{
	return key ? g_strconcat(section, "\n", key, NULL) : g_strdup(section);
}

unsigned cfg_line_of(struct loader *ld, const char *section, const char *key)
{
	char *id = cfg_key_id(section, key);
	unsigned line = GPOINTER_TO_UINT(g_hash_table_lookup(ld->lines, id));

	g_free(id);
	return line;
}

/* Where a key's value comes from: "--set ...", "PATH:LINE", or PATH. */
char *cfg_origin_of(struct loader *ld, const char *section, const char *key)
{
	char *id = cfg_key_id(section, key);
	const char *set = key ? g_hash_table_lookup(ld->set_origins, id) : NULL;
	unsigned line = cfg_line_of(ld, section, key);

	g_free(id);
	if (set)
		return g_strdup(set);
	return line ? g_strdup_printf("%s:%u", ld->path, line) : g_strdup(ld->path);
}

/* "ORIGIN: [SECTION] KEY = VALUE: WHY" */
bool cfg_value_error(struct loader *ld, const char *section, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *origin = cfg_origin_of(ld, section, key);
	char *raw = g_key_file_get_value(ld->kf, section, key, NULL);
	char *shown = cfg_printable(g_strstrip(raw ? raw : g_strdup("")));

	va_start(ap, fmt);
	char *why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	cfg_fail(ld, CONFIG_ERROR_VALUE, "%s: [%s] %s = %s: %s", origin, section, key, shown, why);
	g_free(why);
	g_free(shown);
	g_free(raw);
	g_free(origin);
	return false;
}

/* The optimal string alignment distance between a and b (Damerau's
 * Levenshtein: an insertion, a deletion, a substitution or a swap of two
 * neighbours costs 1), letters compared without case: how far a typo is
 * from a name of the tables. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	size_t *d = g_new(size_t, (n + 1) * (m + 1));
#define D(i, j) d[(i) * (m + 1) + (j)]
	for (size_t i = 0; i <= n; i++)
		D(i, 0) = i;
	for (size_t j = 0; j <= m; j++)
		D(0, j) = j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			size_t cost = g_ascii_tolower(a[i - 1]) != g_ascii_tolower(b[j - 1]);
			size_t best = MIN(MIN(D(i - 1, j) + 1, D(i, j - 1) + 1), D(i - 1, j - 1) + cost);
			if (i > 1 && j > 1 && g_ascii_tolower(a[i - 1]) == g_ascii_tolower(b[j - 2]) &&
			    g_ascii_tolower(a[i - 2]) == g_ascii_tolower(b[j - 1]))
				best = MIN(best, D(i - 2, j - 2) + 1);
			D(i, j) = best;
		}
	size_t dist = D(n, m);
#undef D
	g_free(d);
	return dist;
}

size_t config_typo_distance(const char *typed, const char *name)
{
	size_t limit = strlen(name) <= 4 ? 1 : 2;
	size_t d = edit_distance(typed, name);
	return d <= limit ? d : SIZE_MAX;
}

/* Is `typed` a likely typo of `name` (blanks around it count as edits:
 * "[ tcp ]")? */
static bool near(const char *typed, const char *name)
{
	return config_typo_distance(typed, name) != SIZE_MAX;
}

/* The closest key of the group to `key`, or NULL. */
static const struct config_key *nearest_key(enum config_group group, const char *key)
{
	size_t n;
	const struct config_key *keys = config_keys(&n);
	const struct config_key *best = NULL;
	size_t best_d = SIZE_MAX;

	for (size_t i = 0; i < n; i++) {
		if (keys[i].group != group || !near(key, keys[i].name))
			continue;
		size_t d = edit_distance(key, keys[i].name);
		if (d < best_d) {
			best = &keys[i];
			best_d = d;
		}
	}
	return best;
}

/* The sections other than sd that take a key named `key` (exactly, or
 * else nearly), as "[tcp]" or "[client] and [server]"; NULL if none. */
static char *sections_taking(const struct section_def *sd, const char *key, bool exact)
{
	size_t n;
	const struct config_key *keys = config_keys(&n);
	GString *s = NULL;

	for (size_t i = 0; i < n; i++) {
		if (keys[i].group == sd->group || !(exact ? strcmp(key, keys[i].name) == 0 : near(key, keys[i].name)))
			continue;
		if (!exact && s) /* one near key is enough */
			break;
		if (!s)
			s = g_string_new(NULL);
		else
			g_string_append(s, " and ");
		if (!exact)
			g_string_append_printf(s, "%s, a key of ", keys[i].name);
		g_string_append_printf(s, "[%s]", config_key_section(&keys[i]));
	}
	return s ? g_string_free(s, FALSE) : NULL;
}

/* What may have been meant by an unknown key of section sd: ", did you
 * mean loss?", ": time_wait is a key of [tcp]", or "". */
char *cfg_key_hint(const struct section_def *sd, const char *key, const char *shown)
{
	char *elsewhere = sections_taking(sd, key, true);
	if (elsewhere) {
		char *hint = g_strdup_printf(": %s is a key of %s", shown, elsewhere);
		g_free(elsewhere);
		return hint;
	}
	const struct config_key *k = nearest_key(sd->group, key);
	if (k)
		return g_strdup_printf(", did you mean %s?", k->name);
	char *near_elsewhere = sections_taking(sd, key, false);
	if (near_elsewhere) {
		char *hint = g_strdup_printf(", did you mean %s?", near_elsewhere);
		g_free(near_elsewhere);
		return hint;
	}
	return g_strdup("");
}

bool cfg_unknown_key(struct loader *ld, const char *origin, const char *section, const char *key)
{
	const struct section_def *sd = cfg_find_section(section);
	char *list = cfg_known_keys(sd->group);
	char *shown = cfg_printable(key);
	char *hint = cfg_key_hint(sd, key, shown);

	cfg_fail(ld, CONFIG_ERROR_UNKNOWN, "%s: [%s] %s: unknown key%s (known keys: %s)", origin, section,
	     shown, hint, list);
	g_free(hint);
	g_free(shown);
	g_free(list);
	return false;
}

/* ", did you mean [network]?" for the nearest section, or "". */
char *cfg_section_hint(const char *section)
{
	size_t n;
	const struct section_def *sections = config_sections(&n);
	const char *best = NULL;
	size_t best_d = SIZE_MAX;
	char *trimmed = g_strstrip(g_strdup(section)); /* "[ tcp ]" */

	for (size_t i = 0; i < n; i++) {
		size_t d = MIN(edit_distance(section, sections[i].name), edit_distance(trimmed, sections[i].name));
		if (d < best_d && (near(section, sections[i].name) || near(trimmed, sections[i].name))) {
			best = sections[i].name;
			best_d = d;
		}
	}
	g_free(trimmed);
	return best ? g_strdup_printf(", did you mean [%s]?", best) : g_strdup("");
}

bool cfg_unknown_section(struct loader *ld, const char *origin, const char *section)
{
	size_t n;
	const struct section_def *sections = config_sections(&n);
	const char **names = g_new(const char *, n);
	char *shown = cfg_printable(section);
	char *hint = cfg_section_hint(section);

	for (size_t i = 0; i < n; i++)
		names[i] = sections[i].name;
	char *list = cfg_join_words(names, n, ", ", ", ");
	g_free(names);
	cfg_fail(ld, CONFIG_ERROR_UNKNOWN, "%s: [%s]: unknown section%s (known sections: %s)", origin, shown,
	         hint, list);
	g_free(list);
	g_free(hint);
	g_free(shown);
	return false;
}
