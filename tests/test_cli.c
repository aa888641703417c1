/*
 * Tests of tcpsim's command line as a user meets it: the built ./tcpsim run
 * with bad options and bad configs.  The contract (DESIGN.md): a usage or
 * config error exits with status 2, says what is wrong on stderr (for a
 * config file in compiler format, "PATH:LINE: [section] key ...", for an
 * override starting with the "--set ..." that caused it), prints nothing on
 * stdout and leaves no output behind.  --version, --help, --help-config and
 * --help-scripts exit with 0.
 *
 * One table row per case.  A row may give the text of a config file,
 * written to TMP/case.ini in a fresh temporary folder; in its arguments and
 * expected messages "{ini}" stands for that file, "{tmp}" for the folder
 * (a directory, for "a directory as config") and "{missing}" for a file
 * that does not exist.  Every run but "no arguments" gets -o TMP/out,
 * which must not exist afterwards (or be empty) unless the exit status is 0.
 */
#include <stdbool.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "sim/config/keys.h"
#include "tests/scenario_util.h"

#define CFG "configs/lossy_close.ini" /* a valid config, for option errors */

/* Two endpoints, for the address and script cases: line 2 is the client's
 * address, line 3 its script, line 5 the server's address. */
#define ENDPOINTS(cli_addr, cli_script, srv_addr) \
	"[client]\naddress = " cli_addr "\nscript = " cli_script "\n" \
	"[server]\naddress = " srv_addr "\nscript = listen; accept; close\n"

/* The start of an ELF file: NUL bytes, not text. */
static const char binary_garbage[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0";

struct cli_case {
	const char *path;       /* test path */
	const char *ini;        /* written to {ini} before the run, or NULL */
	gsize ini_len;          /* its length if it holds NUL bytes; 0: strlen(ini) */
	const char *args[8];    /* the arguments after ./tcpsim, NULL-terminated */
	gboolean no_out;        /* TRUE: do not add -o TMP/out */
	int status;             /* the exit status expected */
	const char *err_starts; /* what stderr must start with, or NULL */
	const char *err[3];     /* what stderr must contain */
	const char *out[3];     /* what stdout must contain (status 0) */
};

static const struct cli_case cases[] = {
	/* usage */
	{.path = "/cli/usage/no-args", .no_out = TRUE,
	 .status = 2, .err = {"no config file", "--help"}},
	{.path = "/cli/usage/two-configs", .args = {CFG, CFG},
	 .status = 2, .err = {"one config file"}},
	{.path = "/cli/usage/unknown-option", .args = {CFG, "--bogus"},
	 .status = 2, .err = {"--bogus", "--help"}},
	{.path = "/cli/usage/seed-not-a-number", .args = {CFG, "--seed", "abc"},
	 .status = 2, .err = {"--seed", "abc", "whole number"}},
	{.path = "/cli/usage/seed-too-large", .args = {CFG, "--seed", "99999999999999999999999"},
	 .status = 2, .err = {"--seed 99999999999999999999999", "whole number"}},
	/* the config file itself */
	{.path = "/cli/file/missing", .args = {"{missing}"},
	 .status = 2, .err = {"{missing}", "cannot read"}},
	{.path = "/cli/file/directory", .args = {"{tmp}"},
	 .status = 2, .err = {"{tmp}", "cannot read"}},
	{.path = "/cli/file/empty", .ini = "", .args = {"{ini}"},
	 .status = 2, .err = {"{ini}", "[client] script"}},
	{.path = "/cli/file/binary-garbage", .ini = binary_garbage,
	 .ini_len = sizeof(binary_garbage) - 1, .args = {"{ini}"},
	 .status = 2, .err = {"{ini}:1:", "text"}},
	{.path = "/cli/file/invalid-utf8", .ini = "\xff\xfe[network]\n\xc3\x28 = 1\n",
	 .args = {"{ini}"}, .status = 2, .err = {"{ini}:1:", "UTF-8"}},
	/* INI syntax */
	{.path = "/cli/ini/broken-section-header", .ini = "[network\nloss = 0.1\n", .args = {"{ini}"},
	 .status = 2, .err = {"{ini}:1:", "]"}},
	{.path = "/cli/ini/line-without-equals", .ini = "[network]\ndelay 10ms\n", .args = {"{ini}"},
	 .status = 2, .err = {"{ini}:2:"}},
	{.path = "/cli/ini/duplicate-key", .ini = "[network]\nloss = 0.1\nloss = 0.2\n",
	 .args = {"{ini}"}, .status = 2, .err = {"{ini}:3: [network] loss", "duplicate"}},
	{.path = "/cli/ini/unknown-section", .ini = "[netwrk]\nloss = 0.1\n", .args = {"{ini}"},
	 .status = 2, .err = {"{ini}:1: [netwrk]", "unknown section"}},
	{.path = "/cli/ini/unknown-key", .ini = "[network]\nbogus = 1\n", .args = {"{ini}"},
	 .status = 2, .err = {"{ini}:2: [network] bogus", "unknown key"}},
	/* values */
	{.path = "/cli/value/bad-unit", .ini = "[network]\ndelay = 10 parsecs\n", .args = {"{ini}"},
	 .status = 2, .err = {"{ini}:2: [network] delay = 10 parsecs", "duration"}},
	{.path = "/cli/value/negative-loss", .ini = "[network]\nloss = -0.1\n", .args = {"{ini}"},
	 .status = 2, .err = {"{ini}:2: [network] loss = -0.1", "between 0 and 1"}},
	{.path = "/cli/value/loss-above-one", .ini = "[network]\nloss = 1.5\n", .args = {"{ini}"},
	 .status = 2, .err = {"{ini}:2: [network] loss = 1.5", "between 0 and 1"}},
	{.path = "/cli/value/zero-duration", .ini = "[simulation]\nduration = 0s\n",
	 .args = {"{ini}"}, .status = 2, .err = {"{ini}:2: [simulation] duration = 0s"}},
	{.path = "/cli/value/bad-boolean", .ini = "[simulation]\npcap = maybe\n", .args = {"{ini}"},
	 .status = 2, .err = {"{ini}:2: [simulation] pcap = maybe"}},
	/* scripts */
	{.path = "/cli/script/unterminated-string",
	 .ini = ENDPOINTS("10.0.0.1", "connect; send \"abc", "10.0.0.2:80"), .args = {"{ini}"},
	 .status = 2, .err = {"{ini}:3: [client] script", "column 15", "unterminated"}},
	{.path = "/cli/script/unknown-call",
	 .ini = ENDPOINTS("10.0.0.1", "connect; frobnicate", "10.0.0.2:80"), .args = {"{ini}"},
	 .status = 2, .err = {"{ini}:3: [client] script", "column 10", "frobnicate"}},
	/* addresses */
	{.path = "/cli/address/port-out-of-range",
	 .ini = ENDPOINTS("10.0.0.1", "connect", "10.0.0.2:70000"), .args = {"{ini}"},
	 .status = 2, .err = {"{ini}:5: [server] address = 10.0.0.2:70000", "port"}},
	{.path = "/cli/address/bad-octet",
	 .ini = ENDPOINTS("10.0.0.300", "connect", "10.0.0.2:80"), .args = {"{ini}"},
	 .status = 2, .err = {"{ini}:2: [client] address = 10.0.0.300"}},
	{.path = "/cli/address/same-as-client",
	 .ini = ENDPOINTS("10.0.0.2", "connect", "10.0.0.2:80"), .args = {"{ini}"},
	 .status = 2, .err = {"{ini}:5: [server] address = 10.0.0.2:80"}},
	/* --set overrides */
	{.path = "/cli/set/out-of-range", .args = {CFG, "--set", "network.loss=2"},
	 .status = 2, .err_starts = "--set network.loss=2", .err = {"[network] loss", "between 0 and 1"}},
	{.path = "/cli/set/unknown-section", .args = {CFG, "--set", "nosuchsection.x=1"},
	 .status = 2, .err_starts = "--set nosuchsection.x=1", .err = {"[nosuchsection]"}},
	{.path = "/cli/set/unknown-key", .args = {CFG, "-s", "network.bogus=1"},
	 .status = 2, .err_starts = "--set network.bogus=1", .err = {"[network] bogus"}},
	{.path = "/cli/set/no-equals", .args = {CFG, "--set", "tcp.mss"},
	 .status = 2, .err_starts = "--set tcp.mss", .err = {"SECTION.KEY=VALUE"}},
	{.path = "/cli/set/empty-value", .args = {CFG, "--set", "network.loss="},
	 .status = 2, .err_starts = "--set network.loss=", .err = {"[network] loss"}},
	{.path = "/cli/set/duration-without-unit", .args = {CFG, "-s", "network.delay=5"},
	 .status = 2, .err_starts = "--set network.delay=5", .err = {"unit"}},
	/* a scenario that stops simulated time: bounded, not a hang */
	{.path = "/cli/run/time-stalls",
	 .ini = "[client]\naddress = 10.0.0.1\nscript = sleep 0\nrepeat = forever\n"
	        "[server]\naddress = 10.0.0.2:80\nscript = listen\n",
	 .args = {"{ini}"}, .status = 2,
	 .err = {"{ini}: simulated time stopped advancing at 0.000000000 s", "repeat = forever"}},
	{.path = "/cli/run/script-never-waits",
	 .ini = "[client]\naddress = 10.0.0.1\nscript = close\nrepeat = 4294967296\n"
	        "[server]\naddress = 10.0.0.2:80\nscript = listen\n",
	 .args = {"{ini}"}, .status = 2,
	 .err = {"{ini}: simulated time stopped advancing at 0.000000000 s", "never waits"}},
	/* information */
	{.path = "/cli/info/version", .args = {"--version"}, .status = 0, .out = {"tcpsim "}},
	{.path = "/cli/info/help", .args = {"--help"}, .status = 0, .out = {"--set", "--seed", "--json"}},
	{.path = "/cli/info/help-config", .args = {"--help-config"},
	 .status = 0, .out = {"[network]", "loss", "[simulation]"}},
	{.path = "/cli/info/help-scripts", .args = {"--help-scripts"},
	 .status = 0, .out = {"SHORT FORM", "connect(fd, address)", "ECONNREFUSED 111"}},
	/* every subcommand in --help, and each its own --help, wherever the options are */
	{.path = "/cli/info/help-subcommands", .args = {"--help"}, .status = 0,
	 .out = {"tcpsim sweep [OPTION...] CONFIG.ini", "tcpsim merge -o DIR", "tcpsim pkt [OPTION...] FILE.pkt"}},
	{.path = "/cli/info/help-sweep", .args = {"sweep", "--help"}, .status = 0,
	 .out = {"tcpsim sweep [OPTION", "--shard", "--jobs"}},
	{.path = "/cli/info/help-merge", .args = {"merge", "--help"}, .status = 0,
	 .out = {"tcpsim merge [OPTION", "SHARD_DIR..."}},
	{.path = "/cli/info/help-pkt", .args = {"pkt", "--help"}, .status = 0,
	 .out = {"tcpsim pkt [OPTION", "FILE.pkt...", "--tolerance_usecs"}},
	{.path = "/cli/info/help-sweep-after-options", .args = {"-q", "-s", "sweep.runs=2", "sweep", "--help"},
	 .status = 0, .out = {"tcpsim sweep [OPTION", "--shard"}},
	{.path = "/cli/info/help-pkt-after-options", .args = {"-q", "pkt", "--help"}, .no_out = TRUE,
	 .status = 0, .out = {"tcpsim pkt [OPTION"}},
	/* the subcommand is the first word that is no option's value */
	{.path = "/cli/usage/run-option-before-sweep", .args = {"--json", "sweep", CFG},
	 .status = 2, .err_starts = "tcpsim sweep: ", .err = {"--json"}},
	{.path = "/cli/usage/set-value-is-not-a-subcommand", .args = {"-s", "sweep", CFG},
	 .status = 2, .err = {"--set sweep: expected SECTION.KEY=VALUE"}},
	{.path = "/cli/usage/sweep-option-in-a-run", .args = {"-j", "2", CFG},
	 .status = 2, .err_starts = "tcpsim: Unknown option -j"},
	/* a misspelt subcommand (a word that is no file): did you mean */
	{.path = "/cli/usage/misspelt-subcommand", .args = {"swep", CFG},
	 .status = 2, .err_starts = "tcpsim: unknown subcommand 'swep'; did you mean 'sweep'?\n"},
	{.path = "/cli/usage/misspelt-subcommand-after-options", .args = {"-q", "-j", "2", "exploer", CFG},
	 .status = 2, .err_starts = "tcpsim: unknown subcommand 'exploer'; did you mean 'explore'?\n"},
	{.path = "/cli/usage/misspelt-short-subcommand", .args = {"pk", CFG},
	 .status = 2, .err_starts = "tcpsim: unknown subcommand 'pk'; did you mean 'pkt'?\n"},
	{.path = "/cli/usage/far-from-any-subcommand", .args = {"xyzzy", "sweeping", CFG},
	 .status = 2, .err_starts = "tcpsim: one config file at a time\n"},
	/* glued short options, as getopt(3) reads them: -sK=V, -qj2, -oDIR */
	{.path = "/cli/usage/glued-set", .args = {"-snetwork.loss=2", CFG},
	 .status = 2, .err_starts = "--set network.loss=2: [network] loss = 2: expected a probability"},
	{.path = "/cli/usage/glued-flags-then-value", .args = {"-qj2", CFG},
	 .status = 2, .err_starts = "tcpsim: Unknown option -j\n"},
	{.path = "/cli/usage/glued-unknown-letter", .args = {"-qZ", CFG},
	 .status = 2, .err_starts = "tcpsim: Unknown option -qZ\n"},
	{.path = "/cli/usage/glued-explore", .args = {"explore", "-k9", CFG},
	 .status = 2, .err_starts = "tcpsim explore: --faults 9: expected a number of faults from 1 to 6\n"},
	{.path = "/cli/usage/glued-merge", .args = {"merge", "-q", "-o{tmp}/m"}, .no_out = TRUE,
	 .status = 2, .err_starts = "tcpsim merge: no shard folder given\n"},
	{.path = "/cli/usage/completion-unknown-shell", .args = {"--completion", "fish"}, .no_out = TRUE,
	 .status = 2, .err = {"--completion fish: expected bash"}},
};

/* s with every "{name}" placeholder replaced. */
static char *expand(const char *s, const char *tmp, const char *ini, const char *missing)
{
	const char *const from[] = {"{tmp}", "{ini}", "{missing}"};
	const char *const to[] = {tmp, ini, missing};
	char *r = g_strdup(s);

	for (size_t i = 0; i < G_N_ELEMENTS(from); i++) {
		char **parts = g_strsplit(r, from[i], -1);

		g_free(r);
		r = g_strjoinv(to[i], parts);
		g_strfreev(parts);
	}
	return r;
}

static void assert_contains(const char *what, const char *text, const char *needle)
{
	if (text == NULL)
		text = "";
	if (strstr(text, needle) == NULL)
		g_test_message("%s does not contain \"%s\":\n%s", what, needle, text);
	g_assert_nonnull(strstr(text, needle));
}

/* The output of a failed run: none. */
static void assert_no_output(const struct scn_run *run, const char *out_dir)
{
	g_assert_cmpstr(run->out, ==, "");
	g_assert_cmpuint(strlen(run->err), >, 0);
	g_assert_true(g_str_has_suffix(run->err, "\n"));
	if (out_dir != NULL && !scn_absent_or_empty(out_dir))
		g_test_message("the output folder %s was left behind", out_dir);
	g_assert_true(out_dir == NULL || scn_absent_or_empty(out_dir));
}

/* Asserts what the row of c says about run. */
static void check_run(const struct cli_case *c, const struct scn_run *run, const char *tmp,
		      const char *ini, const char *missing, const char *out_dir)
{
	g_test_message("exit %d, stderr: %s", run->status, run->err);
	g_assert_cmpint(run->status, ==, c->status);
	if (c->err_starts != NULL && !g_str_has_prefix(run->err, c->err_starts))
		g_test_message("stderr does not start with \"%s\"", c->err_starts);
	g_assert_true(c->err_starts == NULL || g_str_has_prefix(run->err, c->err_starts));
	for (size_t i = 0; i < G_N_ELEMENTS(c->err) && c->err[i] != NULL; i++) {
		char *want = expand(c->err[i], tmp, ini, missing);

		assert_contains("stderr", run->err, want);
		g_free(want);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(c->out) && c->out[i] != NULL; i++)
		assert_contains("stdout", run->out, c->out[i]);
	if (c->status != 0)
		assert_no_output(run, out_dir);
	else if (out_dir != NULL)
		g_assert_true(scn_absent_or_empty(out_dir)); /* --version and the like write nothing */
}

static void test_case(gconstpointer data)
{
	const struct cli_case *c = data;
	char *tmp = scn_tmpdir();
	char *ini = g_build_filename(tmp, "case.ini", NULL);
	char *missing = g_build_filename(tmp, "missing.ini", NULL);
	char *out_dir = c->no_out ? NULL : g_build_filename(tmp, "out", NULL);
	GPtrArray *args = g_ptr_array_new_with_free_func(g_free);
	struct scn_run run = {0};
	GError *error = NULL;

	if (c->ini != NULL) {
		g_file_set_contents(ini, c->ini, c->ini_len ? (gssize)c->ini_len : -1, &error);
		g_assert_no_error(error);
	}
	for (size_t i = 0; c->args[i] != NULL; i++)
		g_ptr_array_add(args, expand(c->args[i], tmp, ini, missing));
	if (out_dir != NULL) {
		g_ptr_array_add(args, g_strdup("-o"));
		g_ptr_array_add(args, g_strdup(out_dir));
	}
	g_ptr_array_add(args, NULL);
	if (scn_tcpsim((const char *const *)args->pdata, &run, &error))
		check_run(c, &run, tmp, ini, missing, out_dir);
	g_assert_no_error(error);
	g_clear_error(&error);

	scn_run_clear(&run);
	g_ptr_array_free(args, TRUE);
	scn_rmtree(tmp);
	g_free(out_dir);
	g_free(missing);
	g_free(ini);
	g_free(tmp);
}

/* -o where no folder can be made: below a regular file. */
static void test_out_below_file(void)
{
	const char *const args[] = {CFG, "-o", "/etc/passwd/x", NULL};
	struct scn_run run = {0};
	GError *error = NULL;

	scn_tcpsim(args, &run, &error);
	g_assert_no_error(error);
	g_clear_error(&error);
	g_assert_cmpint(run.status, ==, 2);
	assert_contains("stderr", run.err, "/etc/passwd/x");
	g_assert_cmpstr(run.out, ==, "");
	g_assert_false(g_file_test("/etc/passwd/x", G_FILE_TEST_EXISTS));
	scn_run_clear(&run);
}

/* -o naming an existing regular file. */
static void test_out_is_file(void)
{
	char *tmp = scn_tmpdir();
	char *file = g_build_filename(tmp, "file", NULL);
	const char *const args[] = {CFG, "-o", file, NULL};
	struct scn_run run = {0};
	GError *error = NULL;
	char *contents = NULL;

	g_file_set_contents(file, "keep me\n", -1, &error);
	g_assert_no_error(error);
	scn_tcpsim(args, &run, &error);
	g_assert_no_error(error);
	g_clear_error(&error);
	g_assert_cmpint(run.status, ==, 2);
	assert_contains("stderr", run.err, file);
	g_assert_cmpstr(run.out, ==, "");
	g_file_get_contents(file, &contents, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(contents, ==, "keep me\n"); /* left alone */
	g_free(contents);
	scn_run_clear(&run);
	scn_rmtree(tmp);
	g_free(file);
	g_free(tmp);
}

/* A sweep of 2 points, 1 run each, that runs in a blink. */
#define TINY_SWEEP ENDPOINTS("10.0.0.1", "connect; close", "10.0.0.2:80") \
	"[sweep]\nruns = 1\nmetrics = client.result\nnetwork.loss = 0, 0.1\n"

/* Runs ./tcpsim ARGS with {ini} and {tmp} expanded; the exit status. */
static int run_in(const char *tmp, const char *ini, const char *const *args, struct scn_run *run)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	GError *error = NULL;

	for (size_t i = 0; args[i]; i++)
		g_ptr_array_add(a, expand(args[i], tmp, ini, ini));
	g_ptr_array_add(a, NULL);
	scn_tcpsim((const char *const *)a->pdata, run, &error);
	g_assert_no_error(error);
	g_clear_error(&error);
	g_ptr_array_free(a, TRUE);
	g_test_message("exit %d, stderr: %s", run->status, run->err);
	return run->status;
}

/* The rows of OUT/runs.csv, the header aside; -1 if there is none. */
static int csv_rows(const char *tmp, const char *out)
{
	char *path = g_build_filename(tmp, out, "runs.csv", NULL);
	char *text = NULL;
	int rows = -1;

	if (g_file_get_contents(path, &text, NULL, NULL)) {
		rows = -1;
		for (const char *p = text; *p; p++)
			rows += *p == '\n';
	}
	g_free(text);
	g_free(path);
	return rows;
}

/* A config with a [sweep] section runs as a sweep whatever comes before
 * it; "sweep" may come after options; --run N still replays one run. */
static void test_options_before_sweep(void)
{
	static const char *const orders[][12] = {
		{"-q", "{ini}", "-o", "{tmp}/a", NULL},
		{"-q", "sweep", "{ini}", "-o", "{tmp}/b", NULL},
		{"-o", "{tmp}/c", "-q", "sweep", "-j", "1", "{ini}", NULL},
		{"--seed", "7", "-s", "sweep.runs=1", "sweep", "-q", "{ini}", "-o", "{tmp}/d", NULL},
		{"sweep", "-q", "{ini}", "-o", "{tmp}/e", NULL},
		{"-j", "1", "-q", "{ini}", "-o", "{tmp}/g", NULL}, /* a sweep's option before its config */
		{"-j1", "-q", "{ini}", "-o{tmp}/h", NULL},           /* glued, as getopt takes them */
		{"sweep", "-qj1", "-o{tmp}/i", "{ini}", NULL},
		{"-qo{tmp}/j", "-s", "-j=x", "{ini}", NULL},       /* a value is never split: a --set error */
	};
	static const char *const outs[] = {"a", "b", "c", "d", "e", "g", "h", "i", NULL};
	char *tmp = scn_tmpdir();
	char *ini = g_build_filename(tmp, "sweep.ini", NULL);
	struct scn_run run = {0};

	g_assert_true(g_file_set_contents(ini, TINY_SWEEP, -1, NULL));
	for (size_t i = 0; outs[i]; i++) {
		g_assert_cmpint(run_in(tmp, ini, orders[i], &run), ==, 0);
		g_assert_cmpstr(run.out, ==, ""); /* -q */
		g_assert_cmpint(csv_rows(tmp, outs[i]), ==, 2);
		scn_run_clear(&run);
	}
	g_assert_cmpint(run_in(tmp, ini, orders[G_N_ELEMENTS(outs) - 1], &run), ==, 2);
	g_assert_true(g_str_has_prefix(run.err, "--set -j=x: expected SECTION.KEY=VALUE"));
	scn_run_clear(&run);
	const char *const replay[] = {"-q", "--run", "1", "{ini}", "-o", "{tmp}/f", NULL};
	g_assert_cmpint(run_in(tmp, ini, replay, &run), ==, 0);
	g_assert_cmpint(csv_rows(tmp, "f"), ==, -1); /* one run: a capture, no runs.csv */
	char *pcap = g_build_filename(tmp, "f", "trace.pcap", NULL);
	g_assert_true(g_file_test(pcap, G_FILE_TEST_IS_REGULAR));
	g_free(pcap);
	scn_run_clear(&run);
	scn_rmtree(tmp);
	g_free(ini);
	g_free(tmp);
}

/* tcpsim pkt -qpNAME: the profile glued to its option, as getopt takes
 * it (pkt prints its totals on stdout even then). */
static void test_glued_pkt(void)
{
	const char *const args[] = {"pkt", "-qpnosuch", "tests/pkt/accept4-sock-nonblock.pkt", NULL};
	struct scn_run run = {0};

	g_assert_cmpint(run_in("", "", args, &run), ==, 2);
	assert_contains("stderr", run.err, "tests/pkt/accept4-sock-nonblock.pkt:4: [simulation] profile = nosuch: "
	                "expected a profile");
	scn_run_clear(&run);
}

/* --help: its usage names the config once, and every subcommand. */
static void test_help_usage(void)
{
	const char *const args[] = {"--help", NULL};
	struct scn_run run = {0};

	g_assert_cmpint(run_in("", "", args, &run), ==, 0);
	g_assert_null(strstr(run.out, "CONFIG.ini CONFIG.ini"));
	assert_contains("stdout", run.out, "tcpsim [OPTION");
	assert_contains("stdout", run.out, "--help-scripts");
	assert_contains("stdout", run.out, "--man");
	scn_run_clear(&run);
}

/* Runs argv (a program from PATH) in dir; its exit status, stdout and stderr. */
static int spawn(const char *dir, const char *const *argv, char **out, char **err)
{
	int status = -1;
	GError *error = NULL;

	GStrvBuilder *b = g_strv_builder_new(); /* g_spawn_sync takes them writable */
	for (size_t i = 0; argv[i]; i++)
		g_strv_builder_add(b, argv[i]);
	char **args = g_strv_builder_end(b);
	g_strv_builder_unref(b);
	g_spawn_sync(dir, args, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, err, &status, &error);
	g_strfreev(args);
	g_assert_no_error(error);
	g_clear_error(&error);
	return g_spawn_check_wait_status(status, NULL) ? 0 : 1;
}

/* tcpsim --man: roff that groff renders without a warning, naming every
 * option, subcommand, config key and exit status. */
static void test_man_page(void)
{
	const char *const args[] = {"--man", NULL};
	struct scn_run run = {0};

	g_assert_cmpint(run_in("", "", args, &run), ==, 0);
	g_assert_true(g_str_has_prefix(run.out, ".TH TCPSIM 1"));
	for (const char *const *w = (const char *const[]){".SH SYNOPSIS", ".SH SUBCOMMANDS", ".SH OPTIONS",
	     ".SH CONFIGURATION", ".SH SCRIPTS", ".SH EXIT STATUS", ".SH FILES", ".SH EXAMPLES",
	     "\\fBtcpsim sweep [OPTION...] CONFIG.ini", "\\fBtcpsim merge", "\\fBtcpsim pkt",
	     "\\fB\\-s\\fR, \\fB\\-\\-set\\fR", "\\fB\\-\\-help\\-scripts\\fR",
	     "connect(fd, address)", "time_wait", "arp_interval", "ECONNREFUSED",
	     "\\-\\-list\\-metrics", "\\-\\-shard\\fR=\\fIK/N\\fR", "\\-\\-tolerance_usecs\\fR=\\fIN\\fR",
	     "SHARD_DIR...", NULL}; *w; w++)
		assert_contains("the man page", run.out, *w);
	size_t n;
	const struct config_key *keys = config_keys(&n);
	for (size_t i = 0; i < n; i++)
		assert_contains("the man page", run.out, keys[i].name);
	/* FILES names every file tcpsim writes */
	const char *files = strstr(run.out, ".SH FILES\n");
	g_assert_nonnull(files);
	char *section = g_strndup(files, (size_t)(strstr(files, ".SH EXAMPLES") - files));
	for (const char *const *w = (const char *const[]){"/trace.pcap", "/trace.pcapng", "\\fB\\-\\-events\\fR",
	     "\\fB\\-\\-diagram\\fR", "\\fB\\-\\-report\\fR", "\\fB\\-\\-pkt\\fR", "/runs.csv",
	     "/summary.csv", "/metrics.csv", "/sweep.meta", "/shard\\-K\\-of\\-N/", "tcpsim explore",
	     "/.resume\\-", "tcpsim pkt \\-o", NULL}; *w; w++)
		assert_contains("the man page's FILES", section, *w);
	g_free(section);
	char *groff = g_find_program_in_path("groff");
	if (groff) {
		char *tmp = scn_tmpdir();
		char *page = g_build_filename(tmp, "tcpsim.1", NULL);
		g_assert_true(g_file_set_contents(page, run.out, -1, NULL));
		/* as man shows it in 80 columns (man-db's line length: 78n),
		 * without bold and underline sequences */
		const char *const argv[] = {groff, "-man", "-Tutf8", "-ww", "-rLL=78n", "-P-cbu", page, NULL};
		char *out = NULL, *err = NULL;
		g_assert_cmpint(spawn(NULL, argv, &out, &err), ==, 0);
		g_assert_cmpstr(err, ==, ""); /* not one warning */
		g_assert_cmpuint(strlen(out), >, strlen(run.out) / 2); /* the page, rendered */
		char **lines = g_strsplit(out, "\n", -1);
		for (char **l = lines; *l; l++)
			if (g_utf8_strlen(*l, -1) > 80)
				g_error("a line of the rendered man page is wider than 80 columns:\n%s", *l);
		g_strfreev(lines);
		g_free(out);
		g_free(err);
		scn_rmtree(tmp);
		g_free(page);
		g_free(tmp);
	} else {
		g_test_message("groff not installed: the roff is not rendered");
	}
	g_free(groff);
	scn_run_clear(&run);
}

/* The bash completion, sourced and asked: subcommands, options, the keys
 * of --set as SECTION.KEY= (the overriding sections' too). */
static void test_bash_completion(void)
{
	const char *const args[] = {"--completion", "bash", NULL};
	struct scn_run run = {0};

	g_assert_cmpint(run_in("", "", args, &run), ==, 0);
	char *tmp = scn_tmpdir();
	char *script = g_build_filename(tmp, "tcpsim.bash", NULL);
	g_assert_true(g_file_set_contents(script, run.out, -1, NULL));
	char *cmd = g_strdup_printf(
		"source '%s'; ask() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); _tcpsim; "
		"echo $(printf '%%s\\n' \"${COMPREPLY[@]}\" | LC_ALL=C sort); }; "
		"ask tcpsim -q sw; ask tcpsim --dia; ask tcpsim -s network.reorder_d; ask tcpsim --set client.tcp.time_w; "
		"ask tcpsim --format pcapn; ask tcpsim sweep me; ask tcpsim -q sweep --sh; ask tcpsim pkt -s ms; "
		"ask tcpsim merge --o; "
		/* the operands and the values by what they name: *.ini, *.pkt, folders */
		"ask tcpsim ''; ask tcpsim -q sweep ''; ask tcpsim pkt ''; ask tcpsim merge -o x ''; "
		"ask tcpsim -o ''; ask tcpsim sweep -j ''; ask tcpsim --events ''", script);
	for (const char *const *f = (const char *const[]){"a.ini", "b.txt", "c.pkt", "d/e.ini", NULL}; *f; f++) {
		char *path = g_build_filename(tmp, *f, NULL);
		char *dir = g_path_get_dirname(path);
		g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
		g_assert_true(g_file_set_contents(path, "", 0, NULL));
		g_free(dir);
		g_free(path);
	}
	const char *const argv[] = {"bash", "--norc", "-c", cmd, NULL};
	char *out = NULL, *err = NULL;
	g_assert_cmpint(spawn(tmp, argv, &out, &err), ==, 0);
	g_assert_cmpstr(err, ==, "");
	g_assert_cmpstr(out, ==, "sweep\n--diagram\nnetwork.reorder_delay=\nclient.tcp.time_wait=\npcapng\n\n--shard\nmss=\n--out\n"
	                         "a.ini d explore merge pkt sweep\na.ini d\nc.pkt d\nd\nd\n\n"
	                         "a.ini b.txt c.pkt d tcpsim.bash\n");
	g_free(out);
	g_free(err);
	g_free(cmd);
	scn_rmtree(tmp);
	g_free(script);
	g_free(tmp);
	scn_run_clear(&run);
}

/* Is path, as a folder, without any file left (empty folders aside)? */
static bool no_file_under(const char *path, GString *found)
{
	GDir *dir = g_dir_open(path, 0, NULL);
	const char *name;
	bool none = true;

	while (dir && (name = g_dir_read_name(dir)) != NULL) {
		char *sub = g_build_filename(path, name, NULL);
		if (g_file_test(sub, G_FILE_TEST_IS_DIR) && !g_file_test(sub, G_FILE_TEST_IS_SYMLINK))
			none = no_file_under(sub, found) && none;
		else {
			g_string_append_printf(found, "%s\n", sub);
			none = false;
		}
		g_free(sub);
	}
	if (dir)
		g_dir_close(dir);
	return none;
}

/* make install DESTDIR=TMP puts every file where it belongs; make
 * uninstall takes them away and leaves TMP empty. */
static void test_install_uninstall(void)
{
	if (g_getenv("TCPSIM_BIN")) { /* another build's program: the Makefile installs ./tcpsim */
		g_test_skip("TCPSIM_BIN is set");
		return;
	}
	char *tmp = scn_tmpdir();
	char *destdir = g_strdup_printf("DESTDIR=%s", tmp);
	/* -o tcpsim: install the program as built, never rebuild it here */
	const char *const install[] = {"make", "-s", "-o", "tcpsim", "install", destdir, "PREFIX=/opt/t", NULL};
	char *out = NULL, *err = NULL;
	g_assert_cmpint(spawn(NULL, install, &out, &err), ==, 0);
	g_test_message("make install: %s%s", out, err);
	static const char *const files[] = {
		"opt/t/bin/tcpsim", "opt/t/share/man/man1/tcpsim.1", "opt/t/share/bash-completion/completions/tcpsim",
		"opt/t/share/tcpsim/configs/lossy_close.ini", "opt/t/share/tcpsim/configs/sweeps/close_time_vs_loss.ini",
		"opt/t/share/tcpsim/configs/seeds/000_echo.ini", "opt/t/share/tcpsim/plots/sweep.gp",
		"opt/t/share/tcpsim/plots/plots.sh",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		char *path = g_build_filename(tmp, files[i], NULL);
		if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
			g_test_message("not installed: %s", path);
		g_assert_true(g_file_test(path, G_FILE_TEST_IS_REGULAR));
		g_free(path);
	}
	char *bin = g_build_filename(tmp, "opt/t/bin/tcpsim", NULL);
	g_assert_true(g_file_test(bin, G_FILE_TEST_IS_EXECUTABLE));
	g_free(bin);
	g_free(out);
	g_free(err);
	const char *const uninstall[] = {"make", "-s", "uninstall", destdir, "PREFIX=/opt/t", NULL};
	g_assert_cmpint(spawn(NULL, uninstall, &out, &err), ==, 0);
	GString *left = g_string_new(NULL);
	g_assert_true(no_file_under(tmp, left));
	g_assert_cmpstr(left->str, ==, "");
	g_assert_true(scn_absent_or_empty(tmp)); /* the folders made for it too */
	g_string_free(left, TRUE);
	g_free(out);
	g_free(err);
	scn_rmtree(tmp);
	g_free(destdir);
	g_free(tmp);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* A failed check fails its case and the next case still runs: the
	 * cases are independent and each cleans up after itself. */
	g_test_set_nonfatal_assertions();
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
		g_test_add_data_func(cases[i].path, &cases[i], test_case);
	g_test_add_func("/cli/out/below-a-file", test_out_below_file);
	g_test_add_func("/cli/out/is-a-file", test_out_is_file);
	g_test_add_func("/cli/subcommand/options-before-sweep", test_options_before_sweep);
	g_test_add_func("/cli/subcommand/glued-pkt", test_glued_pkt);
	g_test_add_func("/cli/info/help-usage", test_help_usage);
	g_test_add_func("/cli/info/man-page", test_man_page);
	g_test_add_func("/cli/info/bash-completion", test_bash_completion);
	g_test_add_func("/cli/install/destdir", test_install_uninstall);
	return g_test_run();
}
