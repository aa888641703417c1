/*
 * Test helper for the tests that run the built program: spawn ./tcpsim,
 * give it a fresh temporary output folder, read its --json summary.
 *
 * The program is "./tcpsim": tests/run.sh (and so `make check`) runs the
 * tests from the repository root, where `make tcpsim` puts it; the
 * environment variable TCPSIM_BIN names another build of it (`make
 * check-asan` runs build-asan/tcpsim).  Its absence is an error saying so,
 * never a skipped test.
 *
 * The JSON reader is a small strict parser (RFC 8259 syntax, no
 * extensions): json-glib is not a dependency, and parsing the summary
 * rather than grepping it also checks that it *is* JSON.  Numbers keep
 * the text the program wrote, so times ("60.361857136") convert to whole
 * nanoseconds exactly and 64-bit seeds lose nothing.
 */
#ifndef TESTS_SCENARIO_UTIL_H
#define TESTS_SCENARIO_UTIL_H

#include <glib.h>

/* --- running the program --- */

/* What one run of ./tcpsim did. */
struct scn_run {
	int status; /* exit status, or -1 if a signal ended it */
	char *out;  /* everything it wrote on stdout */
	char *err;  /* everything it wrote on stderr */
};

/* Runs ./tcpsim (or $TCPSIM_BIN) with the NULL-terminated args (not including argv[0]) in
 * the current directory.  FALSE with *error if the program is missing or
 * cannot be started; a non-zero exit status is not an error. */
gboolean scn_tcpsim(const char *const *args, struct scn_run *run, GError **error);

/* Frees what scn_tcpsim() filled in. */
void scn_run_clear(struct scn_run *run);

/* A fresh, empty temporary folder (asserts on failure).  g_free() it. */
char *scn_tmpdir(void);

/* Removes path and, if a folder, everything under it. */
void scn_rmtree(const char *path);

/* True when path does not exist, or is an empty folder. */
gboolean scn_absent_or_empty(const char *path);

/* "12.345678901" (seconds, up to nine decimals) as nanoseconds; -1 if s is
 * not such a number. */
gint64 scn_parse_ns(const char *s);

/* --- a small JSON reader --- */

enum scn_json_type {
	SCN_JSON_NULL,
	SCN_JSON_BOOL,
	SCN_JSON_NUMBER,
	SCN_JSON_STRING,
	SCN_JSON_ARRAY,
	SCN_JSON_OBJECT,
};

/* One JSON value. */
struct scn_json {
	enum scn_json_type type;
	char *text;       /* string (unescaped), number as written, "true"/"false"; else NULL */
	GPtrArray *items; /* array elements or object member values, in order; else NULL */
	GPtrArray *keys;  /* object member names, parallel to items; else NULL */
};

/* Parses one JSON document (surrounding white space allowed).  NULL with
 * *error naming the offset on a syntax error. */
struct scn_json *scn_json_parse(const char *text, GError **error);

void scn_json_free(struct scn_json *v);

/* The value at a dotted path of member names and array indexes
 * ("endpoints.client.states.0.t"); NULL if any step is missing. */
const struct scn_json *scn_json_get(const struct scn_json *v, const char *path);

/* Number of elements (array) or members (object); 0 otherwise. */
guint scn_json_len(const struct scn_json *v);

/* Element i of an array or value of member i of an object. */
const struct scn_json *scn_json_at(const struct scn_json *v, guint i);

/* The text of the string at path, or NULL if absent or not a string. */
const char *scn_json_str(const struct scn_json *v, const char *path);

/* The whole non-negative number at path; asserts that there is one. */
guint64 scn_json_uint(const struct scn_json *v, const char *path);

/* The time in seconds at path as nanoseconds; asserts that there is one. */
gint64 scn_json_ns(const struct scn_json *v, const char *path);

#endif
