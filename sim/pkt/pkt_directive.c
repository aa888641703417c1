/*
 * `// tcpsim:` lines (pkt_directive.h): words as sh splits them
 * (g_shell_parse_argv), each option with its value in the next word or
 * after '='.
 */
#include <string.h>
#include "sim/pkt/pkt.h"
#include "sim/pkt/pkt_directive.h"

#define DIRECTIVE "// tcpsim:"

/* "--name" or "--name=VALUE" at argv[*i]: its value (the next word when
 * not after '='), moving *i past it; NULL when argv[*i] is not the option
 * (*missing when it is, without a value). */
static const char *option_value(char **argv, int *i, const char *const *names, bool *missing)
{
	for (; *names; names++) {
		size_t n = strlen(*names);
		if (strncmp(argv[*i], *names, n) != 0)
			continue;
		if (argv[*i][n] == '=')
			return argv[*i] + n + 1;
		if (argv[*i][n] != '\0')
			continue;
		if (!argv[*i + 1]) {
			*missing = true;
			return NULL;
		}
		*i += 1;
		return argv[*i];
	}
	return NULL;
}

static bool directive_words(char **argv, struct pkt_directive *d, char **why)
{
	static const char *const profile[] = {"--profile", "-p", NULL};
	static const char *const set[] = {"--set", "-s", NULL};
	static const char *const define[] = {"--define", "-D", NULL};
	for (int i = 0; argv[i]; i++) {
		bool missing = false;
		const char *v;
		const char *word = argv[i];
		if ((v = option_value(argv, &i, profile, &missing))) {
			g_free(d->profile);
			d->profile = g_strdup(v);
		} else if ((v = option_value(argv, &i, set, &missing))) {
			g_ptr_array_add(d->sets, g_strdup(v));
		} else if ((v = option_value(argv, &i, define, &missing))) {
			g_ptr_array_add(d->defines, g_strdup(v));
		}
		if (missing) {
			*why = g_strdup_printf("%s: expected a value after it", word);
			return false;
		}
		if (!v) {
			*why = g_strdup_printf("%s: not an option a script may give (--profile NAME, --set KEY=VALUE, "
			                       "-D NAME)", word);
			return false;
		}
	}
	return true;
}

static bool directive_line(const char *line, struct pkt_directive *d, char **why)
{
	char **argv = NULL;
	GError *e = NULL;
	if (!g_shell_parse_argv(line, NULL, &argv, &e)) {
		bool empty = g_error_matches(e, G_SHELL_ERROR, G_SHELL_ERROR_EMPTY_STRING);
		*why = empty ? g_strdup("no option given") : g_strdup(e->message);
		g_error_free(e);
		return false;
	}
	bool ok = directive_words(argv, d, why);
	g_strfreev(argv);
	return ok;
}

bool pkt_directive_read(const char *path, const char *text, struct pkt_directive *d, GError **error)
{
	memset(d, 0, sizeof *d);
	d->sets = g_ptr_array_new_with_free_func(g_free);
	d->defines = g_ptr_array_new_with_free_func(g_free);
	char **lines = g_strsplit(text, "\n", -1);
	bool ok = true;
	for (guint i = 0; lines[i] && ok; i++) {
		if (!g_str_has_prefix(lines[i], DIRECTIVE))
			continue;
		char *why = NULL;
		ok = directive_line(lines[i] + strlen(DIRECTIVE), d, &why);
		if (!ok) {
			g_set_error(error, PKT_ERROR, PKT_ERROR_SYNTAX, "%s:%u: tcpsim: %s", path, i + 1, why);
			g_free(why);
		}
	}
	g_strfreev(lines);
	return ok;
}

void pkt_directive_clear(struct pkt_directive *d)
{
	g_free(d->profile);
	if (d->sets)
		g_ptr_array_free(d->sets, TRUE);
	if (d->defines)
		g_ptr_array_free(d->defines, TRUE);
	memset(d, 0, sizeof *d);
}

static void add_all(GPtrArray *v, const char *const *names)
{
	for (; names && *names; names++)
		g_ptr_array_add(v, g_strdup(*names));
}

char **pkt_defined_names(const char *profile, const char *const *extra1, const char *const *extra2)
{
	static const char *const linux_names[] = {"linux", "Linux", NULL};
	static const char *const bsd_names[] = {"FreeBSD", "freebsd", NULL};
	GPtrArray *v = g_ptr_array_new();
	const char *p = profile ? profile : "linux";
	if (g_str_has_prefix(p, "linux"))
		add_all(v, linux_names);
	else if (strcmp(p, "bsd") == 0 || strcmp(p, "freebsd") == 0)
		add_all(v, bsd_names);
	add_all(v, extra1);
	add_all(v, extra2);
	g_ptr_array_add(v, NULL);
	return (char **)g_ptr_array_free(v, FALSE);
}
