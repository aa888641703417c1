/*
 * `tcpsim --help-config`: the reference of every section and key, with
 * what a value looks like, its default and its documentation, written
 * from the tables of keys.c so that it cannot drift from what the loader
 * accepts.  Apart from the loader because it only reads the tables and
 * formats values; the README quotes its output.
 */
#include "sim/config/config_int.h"

#include <string.h>

/* What a value of the key looks like, for the reference. */
static char *describe_type(const struct config_key *k)
{
	switch (k->type) {
	case CONFIG_KEY_UINT:
	case CONFIG_KEY_UINT64:
	case CONFIG_KEY_INT:
		return cfg_with_range(k, "whole number");
	case CONFIG_KEY_BYTES:
		return cfg_with_range(k, "bytes (1460, 64KiB),");
	case CONFIG_KEY_DURATION:
		return cfg_with_range(k, "duration (200ms, 1.5s),");
	case CONFIG_KEY_BOOL:
		return g_strdup("true or false");
	case CONFIG_KEY_PROBABILITY:
		return g_strdup("probability (0.01 or 1%)");
	case CONFIG_KEY_POSITIVE:
		return g_strdup("number > 0");
	case CONFIG_KEY_BANDWIDTH:
		return g_strdup("bandwidth (10Mbit, 1Gbit), 0 = unlimited");
	case CONFIG_KEY_CHOICE:
		return cfg_choice_list(k, " | ", " | ");
	case CONFIG_KEY_PROFILE:
		return cfg_profile_list(" | ", " | ");
	case CONFIG_KEY_PATH:
		return g_strdup("path");
	case CONFIG_KEY_ADDRESS:
		return g_strdup(k->flags & CONFIG_KEY_PORT_REQUIRED ? "ADDRESS[/PREFIX]:PORT"
		                                                   : "ADDRESS[/PREFIX][:PORT]");
	case CONFIG_KEY_IPV4:
		return g_strdup("IPv4 address");
	case CONFIG_KEY_PORTS:
		return g_strdup("port range LO-HI");
	case CONFIG_KEY_SCRIPT:
		return g_strdup("statements separated by ';' or lines; indented lines go on");
	case CONFIG_KEY_REPEAT:
		return g_strdup("count >= 1, or forever");
	case CONFIG_KEY_NETEM:
		return g_strdup("netem's words (tcpsim --print-netem writes them)");
	}
	g_assert_not_reached();
}

static void print_key(GString *out, const struct section_def *sd, const struct config_key *k,
                      struct config *defaults)
{
	char *type = describe_type(k);
	GString *value = g_string_new(NULL);

	cfg_format_value(value, k, cfg_target_of(defaults, sd, 0));
	g_string_append_printf(out, "  %-20s %s\n", k->name, type);
	if (k->flags & CONFIG_KEY_REQUIRED)
		g_string_append(out, "      required\n");
	else if ((k->flags & CONFIG_KEY_FROM_SEED) && value->str[0] == '-')
		g_string_append(out, "      default: drawn from the seed\n");
	else if (sd->group == CONFIG_GROUP_TCP)
		g_string_append_printf(out, "      default: from the profile (%s: %s)\n", defaults->profile,
		                       value->str);
	else if (value->len)
		g_string_append_printf(out, "      default: %s\n", value->str);
	g_string_append_printf(out, "      %s\n", k->doc);
	g_free(type);
	g_string_free(value, TRUE);
}

void config_print_reference(GString *out)
{
	size_t n_sections;
	const struct section_def *sections = config_sections(&n_sections);
	size_t n_keys;
	const struct config_key *keys = config_keys(&n_keys);
	struct config defaults;

	memset(&defaults, 0, sizeof defaults);
	config_defaults(&defaults);
	g_string_append(out,
	                "Comments: a line starting with '#' or ';', or a trailing comment after a value\n"
	                "or a [section] header: a '#' that follows white space, outside a double-quoted\n"
	                "string (loss = 5%  # lossy).  A ';' after white space starts one too, except in\n"
	                "script values, where ';' separates calls (script = connect; send \"a # b\"; close\n"
	                "# only this is a comment).  A script value goes on over the lines after its\n"
	                "key that start with a blank or a tab, one statement or more a line, a\n"
	                "comment cut from each.  --set values are taken whole.\n\n");
	for (size_t s = 0; s < n_sections; s++) {
		const struct section_def *sd = &sections[s];
		g_string_append_printf(out, "%s[%s]\n  %s\n", s ? "\n" : "", sd->name, sd->doc);
		if (sd->parent) /* same keys as the parent, printed there */
			continue;
		for (size_t i = 0; i < n_keys; i++)
			if (keys[i].group == sd->group)
				print_key(out, sd, &keys[i], &defaults);
	}
	config_clear(&defaults);
}

char **config_key_paths(void)
{
	size_t n_sections, n_keys;
	const struct section_def *sections = config_sections(&n_sections);
	const struct config_key *keys = config_keys(&n_keys);
	GPtrArray *paths = g_ptr_array_new();

	for (size_t s = 0; s < n_sections; s++)
		for (size_t i = 0; i < n_keys; i++)
			if (keys[i].group == sections[s].group)
				g_ptr_array_add(paths, g_strdup_printf("%s.%s", sections[s].name, keys[i].name));
	g_ptr_array_add(paths, NULL);
	return (char **)g_ptr_array_free(paths, FALSE);
}

/* The head of a key's documentation, a name for it: up to the first
 * '.', ',', ';' or '(' , or ':' past the first word ("gemodel: chance a
 * packet moves ..." keeps its context word).  "TIME_WAIT length (2*MSL);
 * 0 = no TIME_WAIT." -> "TIME_WAIT length". */
static char *doc_head(const char *doc)
{
	size_t first_word = strcspn(doc, " ");
	size_t n = 0;
	while (doc[n] && !strchr(".,;(", doc[n]) && !(doc[n] == ':' && n > first_word))
		n++;
	while (n > 0 && doc[n - 1] == ' ')
		n--;
	return g_strndup(doc, n);
}

char *config_param_title(const char *path)
{
	const char *dot = strrchr(path, '.');
	char *section = dot ? g_strndup(path, (size_t)(dot - path)) : NULL;
	const struct section_def *sd = section ? cfg_find_section(section) : NULL;
	const struct config_key *k = sd ? cfg_find_key(sd->group, dot + 1) : NULL;
	g_free(section);
	if (!k)
		return NULL;
	char *head = doc_head(k->doc);
	/* the unit of a value written as a plain number: a byte count's (the
	 * units of a duration or a bandwidth are in the values themselves) */
	char *title = g_strdup_printf("%s%s(%s%s)", head, *head ? " " : "", path,
	                              k->type == CONFIG_KEY_BYTES ? "; bytes" : "");
	g_free(head);
	return title;
}
