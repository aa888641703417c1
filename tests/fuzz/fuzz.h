/*
 * Fuzz targets: the parsers that read what users write.
 *
 * Each target is one function, fuzz_<name>_one(data, size), that feeds the
 * bytes to a parser and checks what a correct parser must guarantee
 * whatever the input (see fuzz_common.c); a broken guarantee aborts, which
 * libFuzzer reports as a crash.  The same function is built twice:
 *  - with -DFUZZ_LIBFUZZER, beside LLVMFuzzerTestOneInput, by `make fuzz`
 *    (clang, -fsanitize=fuzzer,address,undefined): build-fuzz/fuzz/fuzz_<name>;
 *  - without, into tests/test_fuzz_regressions, which replays every input
 *    of tests/fuzz/regressions/<name>/ (each a crash libFuzzer once found)
 *    and of tests/fuzz/corpus/<name>/ under `make check`.
 *
 * Targets:
 *   config   the bytes are an INI file given to config_load()
 *   script   the bytes are an app script given to script_parse()
 *   set      a valid base config plus the bytes as --set overrides, one
 *            SECTION.KEY=VALUE per line
 *   sweep    the bytes are a [sweep] parameter's value (list or range)
 *            given to sweep_values_parse()
 *   summary  the bytes are a runs.csv given to the sweep's summary, whole
 *            and in two batches
 *   tcp      one TCP endpoint (models/tcp.h) taken to any state, then fed
 *            segments, timers and user calls the bytes describe
 *   meta     a sweep.meta given to meta_read(), then runs.csv lines given
 *            to csv_row_index() and csv_split()
 *   merge    shard folders' sweep.meta and runs.csv, merged by merge_main()
 *   cli      the words of a `tcpsim sweep` or `tcpsim merge` command line,
 *            run by sweep_main() / merge_main() in a temporary folder
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include "sim/config/config.h"

int fuzz_config_one(const uint8_t *data, size_t size);
int fuzz_script_one(const uint8_t *data, size_t size);
int fuzz_set_one(const uint8_t *data, size_t size);
int fuzz_sweep_one(const uint8_t *data, size_t size);
int fuzz_summary_one(const uint8_t *data, size_t size);
int fuzz_tcp_one(const uint8_t *data, size_t size);
int fuzz_meta_one(const uint8_t *data, size_t size);
int fuzz_merge_one(const uint8_t *data, size_t size);
int fuzz_cli_one(const uint8_t *data, size_t size);
int fuzz_pkt_one(const uint8_t *data, size_t size);

/* --- shared by the targets (fuzz_common.c) --- */

/* Aborts with a message naming the broken guarantee when !ok. */
#define FUZZ_CHECK(ok, what) fuzz_check((ok), (what), __FILE__, __LINE__)
void fuzz_check(bool ok, const char *what, const char *file, int line);

/* A file holding exactly data[0..size), reused from one input to the next
 * (a memfd, so nothing touches the disk).  Its path stays valid for the
 * life of the process; `slot` picks one of two independent files. */
const char *fuzz_file(unsigned slot, const uint8_t *data, size_t size);

/* What config_load() promises, whatever its input: on failure a CONFIG_ERROR
 * whose message starts with one of the origins (path or "--set ") and a
 * cleared config; on success no error and a config whose values hold the
 * relations the loader checks. */
void fuzz_check_load(bool ok, const struct config *c, const GError *error, const char *path,
                     bool may_blame_set, bool utf8_input);

/* What every message the user sees must be, whatever the input: one line
 * (no LF, no CR), valid UTF-8 with no raw control character of any kind
 * (C0, DEL, C1 U+0080-U+009F): escaped (sim/escape.h), not copied.  Aborts
 * otherwise. */
void fuzz_check_message(const char *msg);
/* Every byte of the n at p is zero (a cleared struct). */
bool fuzz_all_zero(const void *p, size_t n);

/* Redirects stdout and stderr to memfds until fuzz_capture_end(), which
 * returns what was written on stderr (free it); fuzz_capture_stdout()
 * then gives what went to stdout (free it).  FUZZ_SHOW_STDERR=1 turns the
 * capture off (to read a crash's report). */
void fuzz_capture_begin(void);
char *fuzz_capture_end(void);
char *fuzz_capture_stdout(void);
/* What `tcpsim CMD` may print, given its exit status (0, 1 or 2): nothing
 * but a report on success; on failure one clean line "tcpsim CMD: MSG"
 * (for sweep, a config error: the loader's message, which starts with the
 * config path as given or "--set"), then
 * for a usage error (2) at most the --help hint. */
void fuzz_check_command_output(const char *out, const char *cmd, int status);

/* Makes GLib criticals and warnings fatal, as GTest does: a critical means
 * one of our calls broke a GLib precondition. */
void fuzz_init(void);

/* Ends a target's file: with -DFUZZ_LIBFUZZER, libFuzzer's entry points
 * around the target's function `one`; nothing otherwise. */
#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#define FUZZ_ENTRY_POINTS(one)                                        \
	int LLVMFuzzerInitialize(int *argc, char ***argv)             \
	{                                                             \
		(void)argc;                                           \
		(void)argv;                                           \
		fuzz_init();                                          \
		return 0;                                             \
	}                                                             \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)  \
	{                                                             \
		return one(data, size);                               \
	}
#else
#define FUZZ_ENTRY_POINTS(one)
#endif

#endif
