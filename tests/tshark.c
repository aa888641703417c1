/*
 * Test helper: run tshark over a capture and return its field output, one
 * line per packet.  See tests/tshark.h.  tshark is a declared dependency
 * (make deps); its absence is an error with a message saying so, never a
 * silently skipped check.
 */
#include "tests/tshark.h"

#include <string.h>

gboolean tshark_available(void)
{
	char *p = g_find_program_in_path("tshark");
	gboolean found = p != NULL;

	g_free(p);
	return found;
}

/* argv for: tshark -n -r PCAP -o ... [-Y FILTER] -T fields -e F1 -e F2 ... */
static GPtrArray *tshark_argv(const char *pcap, const char *display_filter,
			      const char *const *fields)
{
	static const char *const fixed[] = {
		"tshark", "-n", "-o", "tcp.check_checksum:TRUE",
		"-o", "ip.check_checksum:TRUE", "-T", "fields",
		"-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,",
	};
	GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);

	for (size_t i = 0; i < G_N_ELEMENTS(fixed); i++)
		g_ptr_array_add(argv, g_strdup(fixed[i]));
	g_ptr_array_add(argv, g_strdup("-r"));
	g_ptr_array_add(argv, g_strdup(pcap));
	if (display_filter != NULL) {
		g_ptr_array_add(argv, g_strdup("-Y"));
		g_ptr_array_add(argv, g_strdup(display_filter));
	}
	for (size_t i = 0; fields[i] != NULL; i++) {
		g_ptr_array_add(argv, g_strdup("-e"));
		g_ptr_array_add(argv, g_strdup(fields[i]));
	}
	g_ptr_array_add(argv, NULL);
	return argv;
}

/* Splits tshark's stdout into lines, dropping the final newline. */
static char **split_lines(const char *out)
{
	size_t n = strlen(out);
	char *trimmed = g_strndup(out, n > 0 && out[n - 1] == '\n' ? n - 1 : n);
	char **lines = *trimmed == '\0' ? g_new0(char *, 1) : g_strsplit(trimmed, "\n", -1);

	g_free(trimmed);
	return lines;
}

char **tshark_fields(const char *pcap, const char *display_filter,
		     const char *const *fields, GError **error)
{
	GPtrArray *argv;
	char *out = NULL, *err = NULL;
	int status = 0;
	char **lines = NULL;

	if (!tshark_available()) {
		g_set_error(error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT,
			    "tshark is not on PATH: install it with `make deps`");
		return NULL;
	}
	argv = tshark_argv(pcap, display_filter, fields);
	if (g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL,
			 NULL, &out, &err, &status, error)) {
		if (g_spawn_check_wait_status(status, error))
			lines = split_lines(out);
		else
			g_prefix_error(error, "tshark -r %s: %s: ", pcap, err);
	}
	g_free(out);
	g_free(err);
	g_ptr_array_unref(argv);
	return lines;
}

gboolean tshark_all_good(const char *statuses, gboolean required)
{
	if (statuses[0] == '\0')
		return !required;
	char **v = g_strsplit(statuses, ",", -1);
	gboolean ok = TRUE;
	for (char **p = v; *p != NULL; p++)
		ok = ok && strcmp(*p, "1") == 0;
	g_strfreev(v);
	return ok;
}

gboolean tshark_malformed(const char *ws_malformed, const char *expert_messages)
{
	return ws_malformed[0] != '\0' || strstr(expert_messages, "Malformed") != NULL;
}
