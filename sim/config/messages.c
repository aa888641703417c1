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

bool cfg_unknown_key(struct loader *ld, const char *origin, const char *section, const char *key)
{
	const struct section_def *sd = cfg_find_section(section);
	char *list = cfg_known_keys(sd->group);
	char *shown = cfg_printable(key);

	cfg_fail(ld, CONFIG_ERROR_UNKNOWN, "%s: [%s] %s: unknown key (known keys: %s)", origin, section,
	     shown, list);
	g_free(shown);
	g_free(list);
	return false;
}

bool cfg_unknown_section(struct loader *ld, const char *origin, const char *section)
{
	char *shown = cfg_printable(section);

	cfg_fail(ld, CONFIG_ERROR_UNKNOWN, "%s: [%s]: unknown section", origin, shown);
	g_free(shown);
	return false;
}
