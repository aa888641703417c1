/*
 * Replays the fuzz inputs through the fuzz targets' own entry functions,
 * built without libFuzzer (see tests/fuzz/fuzz.h), so that every crash a
 * fuzzer once found stays fixed and the seed corpus keeps passing under
 * plain `make check`, `make check-asan` and `make check-valgrind`.
 *
 * /fuzz/<target>/regression/<file>: one test per input of
 *   tests/fuzz/regressions/<target>/ (a crash found by `make fuzz-run`);
 * /fuzz/<target>/corpus: every input of tests/fuzz/corpus/<target>/.
 *
 * An input that breaks a guarantee aborts in fuzz_check(), with the
 * guarantee's name on stderr.
 */
#include <glib.h>
#include <string.h>
#include "tests/fuzz/fuzz.h"

struct target {
	const char *name;                          /* as in tests/fuzz/<kind>/<name>/ */
	int (*one)(const uint8_t *data, size_t size);
};

static const struct target targets[] = {
	{ "config", fuzz_config_one },
	{ "script", fuzz_script_one },
	{ "sweep", fuzz_sweep_one },
	{ "set", fuzz_set_one },
	{ "summary", fuzz_summary_one },
	{ "tcp", fuzz_tcp_one },
	{ "meta", fuzz_meta_one },
	{ "merge", fuzz_merge_one },
	{ "cli", fuzz_cli_one },
	{ "pkt", fuzz_pkt_one },
};

struct input_case {
	const struct target *t;
	char *path;       /* one input file, or a folder of them */
};

static void replay_file(const struct target *t, const char *path)
{
	char *data = NULL;
	gsize size = 0;
	GError *error = NULL;

	g_file_get_contents(path, &data, &size, &error);
	g_assert_no_error(error);
	g_test_message("%s: %s (%" G_GSIZE_FORMAT " bytes)", t->name, path, size);
	t->one((const uint8_t *)data, size);
	g_free(data);
}

static gint compare_paths(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of dir, sorted, so that runs are repeatable; NULL-terminated. */
static char **list_inputs(const char *dir)
{
	GPtrArray *names = g_ptr_array_new();
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d)) != NULL) {
		char *path = g_build_filename(dir, name, NULL);
		if (name[0] != '.' && strcmp(name, "README.md") != 0 &&
		    g_file_test(path, G_FILE_TEST_IS_REGULAR))
			g_ptr_array_add(names, path);
		else
			g_free(path);
	}
	if (d)
		g_dir_close(d);
	g_ptr_array_sort(names, compare_paths);
	g_ptr_array_add(names, NULL);
	return (char **)g_ptr_array_free(names, FALSE);
}

static void test_one_file(gconstpointer p)
{
	const struct input_case *ic = p;

	replay_file(ic->t, ic->path);
}

static void test_corpus(gconstpointer p)
{
	const struct input_case *ic = p;
	char **files = list_inputs(ic->path);

	if (!files[0])
		g_test_fail_printf("%s: no seed inputs (the corpus lives in the repository)", ic->path);
	for (char **f = files; *f; f++)
		replay_file(ic->t, *f);
	g_strfreev(files);
}

static struct input_case *new_case(GPtrArray *keep, const struct target *t, char *path)
{
	struct input_case *ic = g_new0(struct input_case, 1);

	ic->t = t;
	ic->path = path;
	g_ptr_array_add(keep, ic);
	return ic;
}

static void free_case(gpointer p)
{
	struct input_case *ic = p;

	g_free(ic->path);
	g_free(ic);
}

int main(int argc, char **argv)
{
	GPtrArray *cases = g_ptr_array_new_with_free_func(free_case);

	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(targets); i++) {
		const struct target *t = &targets[i];
		char *dir = g_build_filename("tests", "fuzz", "regressions", t->name, NULL);
		char **files = list_inputs(dir);

		for (char **f = files; *f; f++) {
			char *base = g_path_get_basename(*f);
			char *test = g_strdup_printf("/fuzz/%s/regression/%s", t->name, base);
			g_test_add_data_func(test, new_case(cases, t, g_strdup(*f)), test_one_file);
			g_free(test);
			g_free(base);
		}
		g_strfreev(files);
		g_free(dir);
		char *test = g_strdup_printf("/fuzz/%s/corpus", t->name);
		g_test_add_data_func(test, new_case(cases, t, g_build_filename("tests", "fuzz", "corpus",
		                                                              t->name, NULL)),
		                     test_corpus);
		g_free(test);
	}
	int status = g_test_run();
	g_ptr_array_free(cases, TRUE);
	return status;
}
