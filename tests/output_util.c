/*
 * Test helper for the output tests; see tests/output_util.h.
 */
#include "tests/output_util.h"

#include <string.h>

void out_run(struct out_run *r, const char *config, const char *const *args, gboolean expect_ok)
{
	GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
	GError *error = NULL;
	gboolean json = FALSE;

	memset(r, 0, sizeof(*r));
	r->tmp = scn_tmpdir();
	r->dir = g_build_filename(r->tmp, "out", NULL);
	g_ptr_array_add(argv, g_strdup(config));
	for (size_t i = 0; args != NULL && args[i] != NULL; i++) {
		char **parts = g_strsplit(args[i], "{tmp}", -1);

		g_ptr_array_add(argv, g_strjoinv(r->tmp, parts));
		g_strfreev(parts);
		json = json || strcmp(args[i], "--json") == 0;
	}
	g_ptr_array_add(argv, g_strdup("-o"));
	g_ptr_array_add(argv, g_strdup(r->dir));
	g_ptr_array_add(argv, NULL);
	scn_tcpsim((const char *const *)argv->pdata, &r->run, &error);
	g_ptr_array_free(argv, TRUE);
	g_assert_no_error(error);
	if (!expect_ok)
		return;
	if (r->run.status != 0)
		g_test_message("tcpsim %s: stderr: %s", config, r->run.err);
	g_assert_cmpint(r->run.status, ==, 0);
	if (json) {
		r->json = scn_json_parse(r->run.out, &error);
		g_assert_no_error(error);
	}
}

void out_run_clear(struct out_run *r)
{
	scn_json_free(r->json);
	scn_run_clear(&r->run);
	if (r->tmp != NULL)
		scn_rmtree(r->tmp);
	g_free(r->tmp);
	g_free(r->dir);
	memset(r, 0, sizeof(*r));
}

char *out_path(const struct out_run *r, const char *name)
{
	return g_build_filename(r->tmp, name, NULL);
}

static int compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char **out_configs(void)
{
	GError *error = NULL;
	GDir *dir = g_dir_open("configs", 0, &error);
	GPtrArray *names = g_ptr_array_new();
	const char *name;

	if (dir == NULL)
		g_error("%s: run the tests from the repository root (tests/run.sh does)",
			error->message);
	while ((name = g_dir_read_name(dir)) != NULL)
		if (g_str_has_suffix(name, ".ini"))
			g_ptr_array_add(names, g_build_filename("configs", name, NULL));
	g_dir_close(dir);
	g_ptr_array_sort(names, compare_names);
	g_ptr_array_add(names, g_strdup("configs/bench/lifecycles.ini"));
	g_ptr_array_add(names, NULL);
	return (char **)g_ptr_array_free(names, FALSE);
}

void out_add_config_tests(const char *prefix, GTestDataFunc test)
{
	char **configs = out_configs();

	for (char **c = configs; *c; c++) {
		char *base = g_path_get_basename(*c);
		char *path = g_strdup_printf("%s/%.*s", prefix, (int)(strlen(base) - 4), base);

		g_test_add_data_func_full(path, g_strdup(*c), test, g_free);
		g_free(path);
		g_free(base);
	}
	g_strfreev(configs);
}

const char *const *out_config_args(const char *config)
{
	static const char *const bench[] = {"-s", "client.repeat=3", NULL};
	static const char *const none[] = {NULL};

	return strstr(config, "bench/") != NULL ? bench : none;
}

char **out_read_lines(const char *path)
{
	GError *error = NULL;
	char *text = NULL;
	gsize len = 0;

	g_file_get_contents(path, &text, &len, &error);
	g_assert_no_error(error);
	if (len > 0 && text[len - 1] == '\n')
		text[len - 1] = '\0';
	char **lines = len == 0 ? g_new0(char *, 1) : g_strsplit(text, "\n", -1);
	g_free(text);
	return lines;
}

GPtrArray *out_read_jsonl(const char *path)
{
	GPtrArray *objs = g_ptr_array_new_with_free_func((GDestroyNotify)scn_json_free);
	char **lines = out_read_lines(path);

	for (char **l = lines; *l != NULL; l++) {
		GError *error = NULL;
		struct scn_json *v = scn_json_parse(*l, &error);

		if (error != NULL)
			g_test_message("%s: line %u: %s", path, (guint)(l - lines) + 1, *l);
		g_assert_no_error(error);
		g_ptr_array_add(objs, v);
	}
	g_strfreev(lines);
	return objs;
}
