/*
 * Test helper for the tests of tcpsim's outputs (pcapng, trace, event log,
 * diagram): one run of ./tcpsim into a fresh temporary folder, the list
 * of shipped configs, and the event log read back as parsed JSON.
 */
#ifndef TESTS_OUTPUT_UTIL_H
#define TESTS_OUTPUT_UTIL_H

#include <glib.h>
#include "tests/scenario_util.h"

/* One run of the program. */
struct out_run {
	char *tmp;              /* the fresh temporary folder, removed by out_run_clear() */
	char *dir;              /* the -o folder: tmp/out */
	struct scn_run run;     /* exit status and output */
	struct scn_json *json;  /* the --json summary when asked for, else NULL */
};

/* Runs ./tcpsim CONFIG ARGS... -o TMP/out, where "{tmp}" in an argument
 * stands for the temporary folder; asserts that it could be started and,
 * when expect_ok, that it exited with status 0 (and parses --json).  */
void out_run(struct out_run *r, const char *config, const char *const *args, gboolean expect_ok);
void out_run_clear(struct out_run *r);

/* TMP/name */
char *out_path(const struct out_run *r, const char *name);

/* Every configs/NAME.ini, sorted, then configs/bench/lifecycles.ini.
 * Free with g_strfreev(). */
char **out_configs(void);

/* Adds one test per config of out_configs(), named PREFIX/NAME (NAME
 * without ".ini"), whose data is the config's path. */
void out_add_config_tests(const char *prefix, GTestDataFunc test);

/* Extra arguments a config needs to stay small in a test (the benchmark's
 * repeat), as a NULL-terminated static array. */
const char *const *out_config_args(const char *config);

/* The lines of a JSON Lines file, each parsed (asserts each is valid). */
GPtrArray *out_read_jsonl(const char *path);

/* The file's lines (without the newlines). */
char **out_read_lines(const char *path);

#endif
