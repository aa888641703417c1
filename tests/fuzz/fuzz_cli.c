/*
 * Fuzz target: tcpsim's command lines, through tcpsim_command() (sim/cli.c:
 * everything main() does but the signal handlers and the check of stdout):
 * a run with its output options, `tcpsim sweep` and `tcpsim merge`.
 *
 * Input: the bytes up to the first NUL are the words of the command line,
 * split at blanks (at most FUZZ_CLI_WORDS); the first word "merge" runs
 * `tcpsim merge`, "run" a single run (`tcpsim WORDS...`: --events,
 * --diagram, --trace, --json, --format, --seed, --run, -s...; or `tcpsim
 * merge`/`tcpsim sweep` when the word after "run" is that command),
 * anything else `tcpsim sweep`.  The word "@" stands for a small
 * sweep config (2 points x 2 runs of a short exchange), "@s" for a copy of
 * it without [sweep].  The bytes after the NUL, if any, are a sweep.meta
 * and (after another NUL) a runs.csv put in the output folder first, so
 * that the sweep resumes or refuses them.
 *
 * Bounds (the target must stay fast and must not write outside its
 * temporary folder): every word holding '/' or "..", --set/-s of a
 * sweep, duration or repeat key, and --help, -h or -? (GOption exit()s
 * after the help) are dropped; "-q -o TMP/o" is appended, so
 * the output folder is always TMP/o; the call runs with TMP as its working
 * folder.
 *
 * Guarantees: no crash, leak or sanitizer report; exit status 0, 1 or 2;
 * on failure one clean message line (fuzz_check_command_output); on a
 * sweep's success TMP/o holds sweep.meta and runs.csv.
 */
#include "tests/fuzz/fuzz.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include "sim/cli.h"

#define FUZZ_CLI_WORDS 12

static const char sweep_ini[] =
	"[simulation]\nseed = 1\nduration = 20s\n"
	"[network]\ndelay = 5ms\n"
	"[client]\nscript = connect; send \"hi\"; recv; close\n"
	"[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; echo; close\n"
	"[sweep]\nruns = 2\nmetrics = client.close_time, client.result\nnetwork.loss = 0, 0.1\n";

static const char *tmp_dir(void)
{
	static char *dir;

	if (!dir) {
		dir = g_dir_make_tmp("fuzz-cli-XXXXXX", NULL);
		FUZZ_CHECK(dir != NULL, "a temporary folder");
		char *p = g_build_filename(dir, "sweep.ini", NULL);
		FUZZ_CHECK(g_file_set_contents(p, sweep_ini, -1, NULL), "write the config");
		g_free(p);
		p = g_build_filename(dir, "single.ini", NULL);
		const char *cut = strstr(sweep_ini, "[sweep]");
		FUZZ_CHECK(g_file_set_contents(p, sweep_ini, cut - sweep_ini, NULL), "write the config");
		g_free(p);
	}
	return dir;
}

/* Removes every file of dir (not recursive: the target makes no deeper folder). */
static void empty_dir(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d)) != NULL) {
		char *path = g_build_filename(dir, name, NULL);
		if (g_remove(path) != 0 && g_file_test(path, G_FILE_TEST_IS_DIR)) {
			empty_dir(path);
			g_rmdir(path);
		}
		g_free(path);
	}
	if (d)
		g_dir_close(d);
}

static bool allowed(const char *w, const char *prev)
{
	bool set = prev && (strcmp(prev, "-s") == 0 || strcmp(prev, "--set") == 0);
	if (strchr(w, '/') || strstr(w, ".."))
		return false;
	/* an exploration runs thousands of worlds: tests/test_explore.c's */
	if (strcmp(w, "explore") == 0)
		return false;
	/* --help (and -h, -?, alone or among grouped short options) prints and
	 * exit()s inside g_option_context_parse: it would end the fuzzer */
	if (g_str_has_prefix(w, "--h") || g_str_has_prefix(w, "--?") ||
	    (w[0] == '-' && w[1] != '-' && strpbrk(w, "h?")))
		return false;
	if ((set || g_str_has_prefix(w, "--set=") || g_str_has_prefix(w, "-s")) &&
	    (strstr(w, "sweep") || strstr(w, "duration") || strstr(w, "repeat")))
		return false;
	return true;
}

static void put(const char *dir, const char *name, const char *data, size_t len)
{
	char *path = g_build_filename(dir, name, NULL);
	FUZZ_CHECK(g_mkdir_with_parents(dir, 0700) == 0, "mkdir");
	FUZZ_CHECK(g_file_set_contents(path, data, (gssize)len, NULL), "write an input file");
	g_free(path);
}

/* The rest of the input: sweep.meta NUL runs.csv, put in TMP/o. */
static void prefill(const char *out, const char *p, const char *end)
{
	const char *nul = memchr(p, '\0', (size_t)(end - p));

	put(out, "sweep.meta", p, (size_t)((nul ? nul : end) - p));
	if (nul)
		put(out, "runs.csv", nul + 1, (size_t)(end - nul - 1));
}

int fuzz_cli_one(const uint8_t *data, size_t size)
{
	const char *tmp = tmp_dir();
	char *out = g_build_filename(tmp, "o", NULL);
	const char *text = (const char *)data;
	const uint8_t *nul = memchr(data, '\0', size);
	char *line = g_strndup(text, nul ? (size_t)(nul - data) : size);
	char **words = g_strsplit_set(line, " \t\n\r\v\f", -1);
	char *argv[FUZZ_CLI_WORDS + 5];
	int argc = 0;

	empty_dir(out);
	g_rmdir(out);
	if (nul)
		prefill(out, (const char *)nul + 1, text + size);
	bool merge = words[0] && strcmp(words[0], "merge") == 0;
	bool run = words[0] && strcmp(words[0], "run") == 0;
	const char *cmd = merge ? "merge" : run ? "run" : "sweep";
	argv[argc++] = "tcpsim";
	if (!run)
		argv[argc++] = merge ? "merge" : "sweep";
	for (char **w = words + (merge || run ? 1 : 0); *w && argc < FUZZ_CLI_WORDS; w++) {
		if (!**w || !allowed(*w, argc > 1 ? argv[argc - 1] : NULL))
			continue;
		argv[argc++] = strcmp(*w, "@") == 0 ? "sweep.ini" : strcmp(*w, "@s") == 0 ? "single.ini" : *w;
	}
	/* the subcommand is the first word that is no option nor an option's
	 * value, wherever it is ("run --run 3 merge ..." is a merge) */
	const char *named = cli_subcommand_named(argc, argv);
	if (named)
		cmd = named;
	argv[argc++] = "-q";
	argv[argc++] = "-o";
	argv[argc++] = "o";
	argv[argc] = NULL;

	int here = open(".", O_RDONLY | O_DIRECTORY);
	FUZZ_CHECK(here >= 0 && chdir(tmp) == 0, "into the temporary folder");
	fuzz_capture_begin();
	int status = tcpsim_command(argc, argv);
	char *said = fuzz_capture_end();
	FUZZ_CHECK(fchdir(here) == 0, "back to the working folder");
	close(here);
	fuzz_check_command_output(said, cmd, status);
	char *printed = fuzz_capture_stdout();
	if (status == 0 && !merge && !run && !strstr(printed, "metrics")) { /* not --list-metrics */
		char *meta = g_build_filename(out, "sweep.meta", NULL);
		char *runs = g_build_filename(out, "runs.csv", NULL);
		FUZZ_CHECK(g_file_test(meta, G_FILE_TEST_EXISTS) && g_file_test(runs, G_FILE_TEST_EXISTS),
		           "a sweep writes sweep.meta and runs.csv");
		g_free(meta);
		g_free(runs);
	}
	g_free(said);
	g_free(printed);
	g_strfreev(words);
	g_free(line);
	g_free(out);
	return 0;
}

FUZZ_ENTRY_POINTS(fuzz_cli_one)
