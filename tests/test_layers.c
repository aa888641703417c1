/*
 * The layer rule (docs/ARCHITECTURE.md) holds, and its checker
 * (tools/check_layers.sh, also run by `make lint`) catches each kind of
 * breach:
 *
 * /layers/tree           the project's own tree passes
 * /layers/violations     a tree with a model that includes the world,
 *                        prints, reads the clock and keeps globals, and an
 *                        engine file that includes the world, and a
 *                        world file that turns the mutants on, fails with
 *                        one line per breach
 */
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "tests/scenario_util.h"

static int check(const char *root, char **out)
{
	char *argv[] = {g_strdup("tools/check_layers.sh"), g_strdup(root), NULL};
	int status = 0;
	GError *error = NULL;
	if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, NULL, &status, &error))
		g_error("tools/check_layers.sh: %s", error->message);
	g_free(argv[0]);
	g_free(argv[1]);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_tree(void)
{
	char *out = NULL;
	int status = check(".", &out);
	if (status != 0)
		g_test_message("%s", out);
	g_assert_cmpint(status, ==, 0);
	g_assert_cmpstr(out, ==, "");
	g_free(out);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char *path = g_build_filename(dir, name, NULL);
	char *folder = g_path_get_dirname(path);
	g_assert_cmpint(g_mkdir_with_parents(folder, 0755), ==, 0);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	g_free(folder);
	g_free(path);
}

static void test_violations(void)
{
	char *root = scn_tmpdir();
	write_file(root, "models/bad.c",
	           "#include <stdio.h>\n"
	           "#include \"sim/world/net.h\"\n"
	           "#include \"sim/engine/time.h\"\n"
	           "static int calls;\n"
	           "int total = 0;\n"
	           "static const char *const names[] = {\"fine\"};\n"
	           "/* printf() in a comment is fine, \"and in a string: printf(\" */\n"
	           "static void f(void) { printf(\"%d\", calls); }\n"
	           "static long g(void) { return time(NULL); }\n"
	           "static char *h(void) { return g_strdup_printf(\"formatting is not I/O\"); }\n");
	write_file(root, "sim/engine/queue.c", "#include \"sim/engine/time.h\"\n#include \"sim/world/net.h\"\n");
	write_file(root, "sim/world/world.c", "/* fine */\n#define TCPSIM_MUTANTS 1\n");
	char *out = NULL;
	g_assert_cmpint(check(root, &out), ==, 1);
	static const char *const expected[] = {
		"models/bad.c:2: models/ includes \"sim/world/net.h\" (only sim/engine/time.h is allowed)",
		"models/bad.c:8: models/ calls printf() (I/O belongs to sim/)",
		"models/bad.c:9: models/ reads a clock (time is an argument)",
		"models/bad.c:4: models/ keeps a writable static variable (state belongs to the caller)",
		"models/bad.c:5: models/ defines a writable global (state belongs to the caller)",
		"sim/engine/queue.c:2: sim/engine/ includes \"sim/world/net.h\" (the engine is the bottom layer)",
		"sim/world/world.c:2: names TCPSIM_MUTANTS (the mutants are for tests/test_explore_mutants.c alone)",
	};
	char **lines = g_strsplit(g_strchomp(out), "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, G_N_ELEMENTS(expected));
	for (size_t i = 0; i < G_N_ELEMENTS(expected); i++)
		g_assert_cmpstr(lines[i], ==, expected[i]);
	g_strfreev(lines);
	g_free(out);
	scn_rmtree(root);
	g_free(root);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/layers/tree", test_tree);
	g_test_add_func("/layers/violations", test_violations);
	return g_test_run();
}
