/*
 * Fuzz target: `tcpsim merge` (merge_main, sim/sweep/sweep.h) on shard folders
 * whose files come from the input.
 *
 * The input is split at NUL bytes into up to 2 * FUZZ_MERGE_MAX parts:
 * sweep.meta of shard folder 1, its runs.csv, sweep.meta of folder 2, ...
 * (an odd last part: a folder without runs.csv).  The folders live in a
 * temporary folder made once per process; merge_main runs as
 * `tcpsim merge -q --out TMP/out TMP/s1 TMP/s2 ...`, its stdout and stderr
 * captured.
 *
 * Guarantees: no crash, leak or sanitizer report; exit status 0 (merged)
 * or a usage (2) or I/O (1) error whose message is one clean line
 * (fuzz_check_command_output); on success TMP/out holds runs.csv,
 * sweep.meta and summary.csv, and runs.csv has as many lines as the
 * shards' runs.csv files together (every row once, one header).
 */
#include "tests/fuzz/fuzz.h"

#include <glib/gstdio.h>
#include <string.h>
#include "sim/sweep/sweep.h"

#define FUZZ_MERGE_MAX 4 /* shard folders */

static const char *tmp_dir(void)
{
	static char *dir;

	if (!dir) {
		GError *e = NULL;
		dir = g_dir_make_tmp("fuzz-merge-XXXXXX", &e);
		FUZZ_CHECK(dir != NULL, "a temporary folder");
	}
	return dir;
}

static void remove_in(const char *dir, const char *name)
{
	char *path = g_build_filename(dir, name, NULL);
	g_remove(path);
	g_free(path);
}

static void empty_dir(const char *dir)
{
	static const char *const names[] = {"sweep.meta", "runs.csv", "runs.csv.tmp", "summary.csv",
	                                    "summary.csv.tmp"};
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		remove_in(dir, names[i]);
	GDir *d = g_dir_open(dir, 0, NULL); /* the temporary files a writer may leave */
	const char *name;
	while (d && (name = g_dir_read_name(d)) != NULL) {
		char *path = g_build_filename(dir, name, NULL);
		g_remove(path);
		g_free(path);
	}
	if (d)
		g_dir_close(d);
}

static void put(const char *dir, const char *name, const char *data, size_t len)
{
	char *path = g_build_filename(dir, name, NULL);
	FUZZ_CHECK(g_mkdir_with_parents(dir, 0700) == 0, "mkdir");
	FUZZ_CHECK(g_file_set_contents(path, data, (gssize)len, NULL), "write an input file");
	g_free(path);
}

static size_t count_lines(const char *path)
{
	char *text = NULL;
	gsize len = 0;
	size_t n = 0;

	FUZZ_CHECK(g_file_get_contents(path, &text, &len, NULL), "the merged file exists");
	for (gsize i = 0; i < len; i++)
		n += text[i] == '\n';
	g_free(text);
	return n;
}

int fuzz_merge_one(const uint8_t *data, size_t size)
{
	const char *tmp = tmp_dir();
	char *out = g_build_filename(tmp, "out", NULL);
	char *argv[4 + FUZZ_MERGE_MAX + 1] = {"merge", "-q", "--out", out};
	int argc = 4;
	size_t lines = 0; /* of the shards' runs.csv files, header each */
	const char *p = (const char *)data, *end = p + size;

	empty_dir(out);
	for (int k = 0; k < FUZZ_MERGE_MAX && p < end; k++) {
		char *dir = g_strdup_printf("%s/s%d", tmp, k + 1);
		empty_dir(dir);
		argv[argc++] = dir;
		for (int part = 0; part < 2 && p <= end; part++) {
			const char *nul = memchr(p, '\0', (size_t)(end - p));
			const char *stop = nul ? nul : end;
			put(dir, part ? "runs.csv" : "sweep.meta", p, (size_t)(stop - p));
			for (const char *c = p; part && c < stop; c++)
				lines += *c == '\n';
			p = stop + 1;
		}
	}
	for (int k = argc; k < 4 + FUZZ_MERGE_MAX; k++) /* stale folders of a longer input */
		argv[k] = NULL;
	argv[argc] = NULL;

	fuzz_capture_begin();
	int status = merge_main(argc, argv);
	char *said = fuzz_capture_end();
	fuzz_check_command_output(said, "merge", status);
	if (status == 0) {
		char *runs = g_build_filename(out, "runs.csv", NULL);
		char *summary = g_build_filename(out, "summary.csv", NULL);
		char *out_text = fuzz_capture_stdout();
		FUZZ_CHECK(said[0] == '\0' && out_text[0] == '\0', "-q: nothing printed");
		g_free(out_text);
		FUZZ_CHECK(count_lines(runs) + (size_t)(argc - 4) - 1 == lines,
		           "every row once, one header");
		FUZZ_CHECK(g_file_test(summary, G_FILE_TEST_EXISTS), "summary.csv written");
		g_free(runs);
		g_free(summary);
	}
	g_free(said);
	for (int k = 4; k < argc; k++)
		g_free(argv[k]);
	g_free(out);
	return 0;
}

FUZZ_ENTRY_POINTS(fuzz_merge_one)
