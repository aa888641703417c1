/*
 * tcpsim --pkt ENDPOINT:FILE against tcpsim pkt: every shipped config's
 * client and server, written as a packetdrill script, replay against the
 * model and pass (the replay must send what the run sent, at the same
 * times), or the export is refused for one of the reasons a script cannot
 * hold (sim/pkt/pkt_export.c): more than one connection, a crash, signals,
 * segments that never reached the wire, a call on a descriptor no socket()
 * or accept() gave, nothing at all.  Also the file's form, and a usage
 * error.
 */
#include <glib.h>
#include <stdbool.h>
#include <string.h>

#include "tests/scenario_util.h"

static const char *const refusals[] = {
	"connections; a packetdrill script holds one",
	"crashed; a script has no crash",
	"program uses signals; a script has none",
	"never reached the wire (no ARP reply)",
	"made no call and saw no packet",
	"which no socket() or accept() of it gave",
	NULL,
};

static bool known_refusal(const char *err)
{
	for (const char *const *r = refusals; *r; r++)
		if (strstr(err, *r))
			return true;
	return false;
}

/* The --set options of the file's "// Replay:" line, and the file. */
static GPtrArray *replay_args(const char *path, const char *text)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(a, g_strdup("pkt"));
	const char *line = strstr(text, "// Replay: ");
	const char *end = line ? strchr(line, '\n') : NULL;
	char *replay = line ? g_strndup(line, (size_t)(end - line)) : g_strdup("");
	char **w = g_strsplit(replay, " ", -1);
	for (char **p = w; *p; p++)
		if (strcmp(*p, "--set") == 0 && p[1]) {
			g_ptr_array_add(a, g_strdup("--set"));
			g_ptr_array_add(a, g_strdup(*++p));
		}
	g_strfreev(w);
	g_free(replay);
	g_ptr_array_add(a, g_strdup(path));
	g_ptr_array_add(a, NULL);
	return a;
}

static void export_and_replay(const char *config, const char *role, const char *dir, unsigned *passed,
                              unsigned *refused)
{
	char *base = g_path_get_basename(config);
	char *file = g_strdup_printf("%s/%s-%s.pkt", dir, base, role);
	char *out = g_strdup_printf("%s/out-%s-%s", dir, base, role);
	char *spec = g_strdup_printf("%s:%s", role, file);
	const char *args[] = {config, "-q", "-o", out, "--pkt", spec, NULL};
	struct scn_run run;
	GError *error = NULL;
	g_assert_true(scn_tcpsim(args, &run, &error));
	if (run.status != 0) {
		if (!known_refusal(run.err))
			g_error("%s --pkt %s: exit %d: %s", config, role, run.status, run.err);
		g_assert_cmpint(run.status, ==, 2);
		g_assert_false(g_file_test(file, G_FILE_TEST_EXISTS)); /* no half-written script */
		(*refused)++;
	} else {
		char *text = NULL;
		g_assert_true(g_file_get_contents(file, &text, NULL, NULL));
		g_assert_true(g_str_has_prefix(text, "// "));
		GPtrArray *a = replay_args(file, text);
		struct scn_run replay;
		g_assert_true(scn_tcpsim((const char *const *)a->pdata, &replay, &error));
		if (replay.status != 0 || !g_str_has_prefix(replay.out, "PASS"))
			g_error("%s, the %s: the exported script does not replay:\n%s%s\n--- the script:\n%s",
			        config, role, replay.out, replay.err, text);
		scn_run_clear(&replay);
		g_ptr_array_free(a, TRUE);
		g_free(text);
		(*passed)++;
	}
	scn_run_clear(&run);
	g_free(spec);
	g_free(out);
	g_free(file);
	g_free(base);
}

static void add_configs(GPtrArray *v, const char *folder)
{
	GDir *d = g_dir_open(folder, 0, NULL);
	g_assert_nonnull(d);
	const char *name;
	while ((name = g_dir_read_name(d)) != NULL)
		if (g_str_has_suffix(name, ".ini"))
			g_ptr_array_add(v, g_build_filename(folder, name, NULL));
	g_dir_close(d);
}

static gint by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_shipped_configs(void)
{
	GPtrArray *configs = g_ptr_array_new_with_free_func(g_free);
	add_configs(configs, "configs");
	add_configs(configs, "configs/seeds");
	g_ptr_array_sort(configs, by_name);
	char *dir = scn_tmpdir();
	unsigned passed = 0, refused = 0;
	for (guint i = 0; i < configs->len; i++) {
		export_and_replay(g_ptr_array_index(configs, i), "client", dir, &passed, &refused);
		export_and_replay(g_ptr_array_index(configs, i), "server", dir, &passed, &refused);
	}
	g_test_message("%u exports replayed and passed, %u refused", passed, refused);
	g_assert_cmpuint(passed, >=, 55); /* most of them: the limits are exceptions */
	scn_rmtree(dir);
	g_free(dir);
	g_ptr_array_free(configs, TRUE);
}

/* The file's form: calls, a blocking call START...END, packets both ways. */
static void test_form(void)
{
	char *dir = scn_tmpdir();
	char *file = g_build_filename(dir, "c.pkt", NULL);
	char *out = g_build_filename(dir, "out", NULL);
	char *spec = g_strdup_printf("client:%s", file);
	const char *args[] = {"configs/lossy_close.ini", "-q", "-o", out, "--pkt", spec, NULL};
	struct scn_run run;
	GError *error = NULL;
	g_assert_true(scn_tcpsim(args, &run, &error));
	g_assert_cmpint(run.status, ==, 0);
	char *text = NULL;
	g_assert_true(g_file_get_contents(file, &text, NULL, NULL));
	g_assert_nonnull(strstr(text, "\n0.000000 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"));
	g_assert_nonnull(strstr(text, "\n0.000000...0.037502 connect(3, ..., ...) = 0\n"));
	g_assert_nonnull(strstr(text, "\n0.000000 > S 0:0(0) win 64240 <mss 1460,sackOK,TS val "));
	g_assert_nonnull(strstr(text, "\n0.037502 < S. 0:0(0) ack 1 win 64240 <mss 1460,sackOK,TS val "));
	g_assert_nonnull(strstr(text, "\n0.110371 close(3) = 0\n"));
	g_free(text);
	scn_run_clear(&run);
	const char *bad[] = {"configs/lossy_close.ini", "-q", "-o", out, "--pkt", file, NULL};
	g_assert_true(scn_tcpsim(bad, &run, &error));
	g_assert_cmpint(run.status, ==, 2);
	g_assert_nonnull(strstr(run.err, "expected ENDPOINT:FILE, such as client:run.pkt"));
	scn_run_clear(&run);
	scn_rmtree(dir);
	g_free(spec);
	g_free(out);
	g_free(file);
	g_free(dir);
}

/* A program that closes its socket twice: packetdrill knows a script fd
 * only from socket() to close() (run_system_call.c to_live_fd()), so the
 * second close() cannot be written; a write to stdout is left out. */
static void test_unknown_fd(void)
{
	char *dir = scn_tmpdir();
	char *ini = g_build_filename(dir, "twice.ini", NULL);
	char *file = g_build_filename(dir, "c.pkt", NULL);
	char *out = g_build_filename(dir, "out", NULL);
	char *spec = g_strdup_printf("client:%s", file);
	g_assert_true(g_file_set_contents(ini, "[client]\naddress = 10.0.0.1\n"
	                                       "script = fd = socket(AF_INET, SOCK_STREAM, 0)\n"
	                                       "    write(1, \"x\", 1)\n    close(fd)\n    close(fd)\n"
	                                       "[server]\naddress = 10.0.0.2:7777\nscript = listen\n",
	                                  -1, NULL));
	const char *args[] = {ini, "-q", "-o", out, "--pkt", spec, NULL};
	struct scn_run run;
	GError *error = NULL;
	g_assert_true(scn_tcpsim(args, &run, &error));
	g_assert_cmpint(run.status, ==, 2);
	g_assert_nonnull(strstr(run.err, "--pkt: the client's close() names fd 3, which no socket() or "
	                                 "accept() of it gave (or which it closed)"));
	g_assert_false(g_file_test(file, G_FILE_TEST_EXISTS));
	scn_run_clear(&run);
	scn_rmtree(dir);
	g_free(spec);
	g_free(out);
	g_free(file);
	g_free(ini);
	g_free(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pkt-export/form", test_form);
	g_test_add_func("/pkt-export/unknown-fd", test_unknown_fd);
	g_test_add_func("/pkt-export/shipped-configs", test_shipped_configs);
	return g_test_run();
}
