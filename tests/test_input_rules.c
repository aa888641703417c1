/*
 * Input rules (issue 12): configs read from pipes, messages and outputs
 * that never carry raw control bytes, tiny socket buffers.
 *
 * /input/pipe/...: `tcpsim <(cat x.ini)` and `tcpsim /dev/stdin < x.ini`,
 * single runs and a sweep, run through bash (process substitution).
 * /input/escape/...: sim/escape.c and the JSON strings, byte for byte.
 * /input/message/...: the loader's messages on stderr for a file name and
 * values holding ESC, newline, tab, DEL, C1 and invalid UTF-8.
 * /input/json, /input/svg: the same file name in the --json summary and
 * the SVG diagram.
 * /input/rcvbuf/...: rcvbuf = 100 is raised to 4608 and 10 kB arrive.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include "sim/escape.h"
#include "sim/out/json_out.h"
#include "scenario_util.h"

/* A name with every kind of byte a terminal could act on: ESC (a colour
 * sequence), newline, tab, DEL, U+009B (C1 CSI, as UTF-8), a raw 0x9b
 * byte and 0xff (both invalid UTF-8). */
#define BAD_NAME "bad\x1b[31m\n\t\x7f\xc2\x9b\x9b\xffname.ini"
#define BAD_NAME_SHOWN "bad\\x1b[31m\\n\\t\\x7f\\u009b\\x9b\\xffname.ini"

#define BASE                                   \
	"[client]\n"                               \
	"script = connect; close\n"                \
	"[server]\n"                               \
	"script = listen; accept; close\n"

static const char *loss_why = "expected a probability between 0 and 1, or a percentage such as 1%";

/* bash -c cmd in the repository root; the exit status, stdout, stderr. */
static int run_bash(const char *cmd, char **out, char **err)
{
	const char *bin = g_getenv("TCPSIM_BIN");
	char *full = g_strdup_printf("TCPSIM=%s; %s", bin ? bin : "./tcpsim", cmd);
	char bash[] = "bash", dash_c[] = "-c";
	char *argv[] = { bash, dash_c, full, NULL };
	GError *e = NULL;
	int status = -1;

	g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, err, &status, &e);
	g_assert_no_error(e);
	g_free(full);
	return g_spawn_check_wait_status(status, NULL) ? 0 : WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void write_file(const char *path, const char *text)
{
	GError *e = NULL;

	g_file_set_contents(path, text, -1, &e);
	g_assert_no_error(e);
}

/* ---- pipes ---- */

/* Runs cmd, "$D" replaced by a fresh folder: it must write $D/o/trace.pcap. */
static void assert_pipe_run(const char *command)
{
	char *dir = scn_tmpdir(), *out = NULL, *err = NULL;
	GString *c = g_string_new(command);
	g_string_replace(c, "$D", dir, 0);
	char *cmd = g_string_free(c, FALSE);
	char *pcap = g_build_filename(dir, "o", "trace.pcap", NULL);

	int status = run_bash(cmd, &out, &err);
	if (status != 0)
		g_test_message("%s: %s", cmd, err);
	g_assert_cmpint(status, ==, 0);
	g_assert_cmpstr(err, ==, "");
	g_assert_true(g_file_test(pcap, G_FILE_TEST_IS_REGULAR));
	scn_rmtree(dir);
	g_free(pcap);
	g_free(cmd);
	g_free(out);
	g_free(err);
	g_free(dir);
}

static void test_pipe_process_substitution(void)
{
	assert_pipe_run("\"$TCPSIM\" <(cat configs/lossy_close.ini) -q -o '$D/o'");
}

static void test_pipe_stdin(void)
{
	assert_pipe_run("\"$TCPSIM\" /dev/stdin -q -o '$D/o' < configs/lossy_close.ini");
}

/* A [sweep] config through a pipe: the [sweep] check, the load, the
 * fingerprint and each point all use the one reading. */
static void test_pipe_sweep(void)
{
	char *dir = scn_tmpdir(), *out = NULL, *err = NULL, *runs = NULL;
	char *cmd = g_strdup_printf("\"$TCPSIM\" <(sed 's/^runs = 1000/runs = 2/' "
	                            "configs/sweeps/close_time_vs_loss.ini) -q -j 1 -o '%s/s'", dir);
	char *path = g_build_filename(dir, "s", "runs.csv", NULL);

	g_assert_cmpint(run_bash(cmd, &out, &err), ==, 0);
	g_assert_cmpstr(err, ==, "");
	g_assert_true(g_file_get_contents(path, &runs, NULL, NULL));
	char **lines = g_strsplit(runs, "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, 1 + 7 * 2 + 1); /* header, 7 points x 2, "" */
	g_strfreev(lines);
	scn_rmtree(dir);
	g_free(runs);
	g_free(path);
	g_free(cmd);
	g_free(out);
	g_free(err);
	g_free(dir);
}

/* An error in a piped config names the pipe and the right line. */
static void test_pipe_error(void)
{
	char *dir = scn_tmpdir(), *out = NULL, *err = NULL;
	char *cmd = g_strdup_printf("\"$TCPSIM\" <(printf '%s[network] # lossy\\nloss = 2 ; too much\\n') "
	                            "-q -o '%s/o' 2>&1 >/dev/null | sed 's|^/dev/fd/[0-9]*|PIPE|' >&2",
	                            "[client]\\nscript = connect\\n[server]\\nscript = listen\\n", dir);
	char *want = g_strdup_printf("PIPE:6: [network] loss = 2: %s\n", loss_why);

	run_bash(cmd, &out, &err);
	g_assert_cmpstr(err, ==, want);
	g_assert_true(scn_absent_or_empty(dir));
	scn_rmtree(dir);
	g_free(want);
	g_free(cmd);
	g_free(out);
	g_free(err);
	g_free(dir);
}

/* ---- the escaping rules ---- */

static void test_escape_text(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "plain caf\xc3\xa9 \xe2\x80\xa6", "plain caf\xc3\xa9 \xe2\x80\xa6" },
		{ "a\x1b[31mb", "a\\x1b[31mb" },
		{ "\n\t\r\x01\x7f", "\\n\\t\\r\\x01\\x7f" },
		{ "c1 \xc2\x9b raw \x9b", "c1 \\u009b raw \\x9b" },
		{ "bad \xff\xfe cut \xe2\x80", "bad \\xff\\xfe cut \\xe2\\x80" },
		{ "bidi \xe2\x80\xae ls \xe2\x80\xa8 nonchar \xef\xbf\xbe", "bidi \\u202e ls \\u2028 nonchar \\ufffe" },
		{ "kept \\x41 \\n", "kept \\x41 \\n" }, /* idempotent: backslashes as written */
		{ BAD_NAME, BAD_NAME_SHOWN },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *got = escape_text(cases[i].in);
		char *again = escape_text(got);
		g_assert_cmpstr(got, ==, cases[i].out);
		g_assert_cmpstr(again, ==, got);
		g_free(again);
		g_free(got);
	}
	char *empty = escape_text(NULL);
	g_assert_cmpstr(empty, ==, "");
	g_free(empty);
}

static void test_escape_json(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "q\"b\\", "\"q\\\"b\\\\\"" },
		{ "\x1b[31m\n\t\x01\x7f", "\"\\u001b[31m\\u000a\\u0009\\u0001\\u007f\"" },
		{ "caf\xc3\xa9 \xc2\x9b \xe2\x80\xa8", "\"caf\xc3\xa9 \\u009b \\u2028\"" },
		{ "\xff" "a\x9b\xe2\x80", "\"\\ufffda\\ufffd\\ufffd\\ufffd\"" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		GString *out = g_string_new(NULL);
		json_out_string(out, cases[i].in);
		g_assert_cmpstr(out->str, ==, cases[i].out);
		g_assert_true(g_utf8_validate(out->str, (gssize)out->len, NULL));
		g_string_free(out, TRUE);
	}
}

/* ---- messages ---- */

/* No byte a terminal acts on: no C0 control but the final newline, no DEL,
 * valid UTF-8. */
static void assert_one_clean_line(const char *text)
{
	size_t n = strlen(text);

	g_assert_cmpuint(n, >, 0);
	g_assert_cmpint(text[n - 1], ==, '\n');
	for (size_t i = 0; i + 1 < n; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			g_error("raw byte 0x%02x at %zu in: %s", (unsigned char)text[i], i, text);
	g_assert_true(g_utf8_validate(text, (gssize)n, NULL));
}

struct message_case {
	const char *name;
	const char *ini;       /* text of the file BAD_NAME */
	const char *set;       /* a --set, or NULL */
	const char *expect;    /* stderr; "$D" = the folder, "$W" = loss_why */
};

static const struct message_case message_cases[] = {
	{ "file-name", BASE "[network]\nloss = 2 # c\n", NULL,
	  "$D/" BAD_NAME_SHOWN ":6: [network] loss = 2: $W\n" },
	{ "value", BASE "[network]\nloss = 1\x1b[2J\t\x7f\xc2\x9b  # comment\n", NULL,
	  "$D/" BAD_NAME_SHOWN ":6: [network] loss = 1\\x1b[2J\\t\\x7f\\u009b: $W\n" },
	{ "unknown-key", BASE "[network]\nlo\x1b[1mss = 1\n", NULL,
	  "$D/" BAD_NAME_SHOWN ":6: [network] lo\\x1b[1mss: unknown key (known keys: delay, jitter, "
	  "distribution, pareto_shape, loss, reorder, reorder_delay, reorder_at_once, reorder_gap, "
	  "duplicate, loss_model, loss_correlation, loss_burst, loss_model_start, ge_p, ge_r, ge_1h, "
	  "ge_1k, state_p13, state_p31, state_p32, state_p23, "
	  "state_p14, delay_correlation, reorder_correlation, duplicate_correlation, corrupt, "
	  "corrupt_correlation, bandwidth, rate_overhead, rate_cell_size, rate_cell_overhead, queue, "
	  "unreachable, router, arp_probes, arp_interval, netem)\n" },
	/* ASCII only: GOption refuses a --set it cannot convert from the
	 * locale's charset before the loader sees it */
	{ "set-value", BASE, "network.loss=\x1b]0;title\x07\x7f\n",
	  "--set network.loss=\\x1b]0;title\\x07\\x7f\\n: "
	  "[network] loss = \\x1b]0;title\\x07\\x7f: $W\n" },
	{ "script-word", "[client]\nscript = connect; cl\x1b[0mose\n[server]\nscript = listen\n", NULL,
	  "$D/" BAD_NAME_SHOWN ":2: [client] script = connect; cl\\x1b[0mose: column 10: unknown call "
	  "'cl\\x1b[0mose'\n" },
	{ "missing-file", NULL, NULL, "$D/" BAD_NAME_SHOWN ": cannot read: No such file or directory\n" },
};

static void test_message(gconstpointer data)
{
	const struct message_case *tc = data;
	char *dir = scn_tmpdir();
	char *path = g_build_filename(dir, BAD_NAME, NULL);
	char *out_dir = g_build_filename(dir, "o", NULL);
	struct scn_run run;
	GError *e = NULL;

	if (tc->ini)
		write_file(path, tc->ini);
	const char *args[] = { path, "-q", "-o", out_dir, tc->set ? "--set" : NULL, tc->set, NULL };
	g_assert_true(scn_tcpsim(args, &run, &e));
	g_assert_no_error(e);
	GString *want = g_string_new(tc->expect);
	g_string_replace(want, "$W", loss_why, 0);
	g_string_replace(want, "$D", dir, 0);
	g_assert_cmpint(run.status, ==, 2);
	g_assert_cmpstr(run.err, ==, want->str);
	assert_one_clean_line(run.err);
	g_assert_true(scn_absent_or_empty(out_dir));
	g_string_free(want, TRUE);
	scn_run_clear(&run);
	scn_rmtree(dir);
	g_free(out_dir);
	g_free(path);
	g_free(dir);
}

/* ---- outputs ---- */

/* A valid config at BAD_NAME whose script sends control bytes. */
static char *write_bad_name_config(const char *dir)
{
	char *path = g_build_filename(dir, BAD_NAME, NULL);

	write_file(path, "[simulation]\npcap = false\n"
	                 "[client]\nscript = connect; send \"\\x1b[31m\\x9b\\xff\"; close\n"
	                 "[server]\nscript = listen; accept; recv; close\n");
	return path;
}

static void test_json(void)
{
	char *dir = scn_tmpdir();
	char *path = write_bad_name_config(dir);
	char *out_dir = g_build_filename(dir, "o", NULL);
	const char *args[] = { path, "--json", "-o", out_dir, NULL };
	struct scn_run run;
	GError *e = NULL;

	g_assert_true(scn_tcpsim(args, &run, &e));
	g_assert_no_error(e);
	g_assert_cmpint(run.status, ==, 0);
	assert_one_clean_line(run.out);
	struct scn_json *j = scn_json_parse(run.out, &e);
	g_assert_no_error(e);
	/* the path, each bad byte replaced by U+FFFD, the controls exact */
	char *want = g_strdup_printf("%s/bad\x1b[31m\n\t\x7f\xc2\x9b\xef\xbf\xbd\xef\xbf\xbdname.ini", dir);
	g_assert_cmpstr(scn_json_get(j, "config")->text, ==, want);
	g_assert_nonnull(strstr(run.out, "bad\\u001b[31m\\u000a\\u0009\\u007f\\u009b\\ufffd\\ufffdname.ini\""));
	scn_json_free(j);
	g_free(want);
	scn_run_clear(&run);
	scn_rmtree(dir);
	g_free(out_dir);
	g_free(path);
	g_free(dir);
}

/* XML 1.0 section 2.2: Char excludes C0 controls but tab, newline and CR. */
static void assert_xml_chars(const char *svg)
{
	g_assert_true(g_utf8_validate(svg, -1, NULL));
	for (const unsigned char *p = (const unsigned char *)svg; *p; p++)
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			g_error("raw byte 0x%02x in the SVG at %td", *p, (const char *)p - svg);
}

static void test_svg(void)
{
	char *dir = scn_tmpdir();
	char *path = write_bad_name_config(dir);
	char *out_dir = g_build_filename(dir, "o", NULL);
	char *svg_path = g_build_filename(dir, "d.svg", NULL);
	const char *args[] = { path, "-q", "-o", out_dir, "--diagram", svg_path, NULL };
	struct scn_run run;
	GError *e = NULL;
	char *svg = NULL;

	g_assert_true(scn_tcpsim(args, &run, &e));
	g_assert_no_error(e);
	g_assert_cmpint(run.status, ==, 0);
	g_assert_true(g_file_get_contents(svg_path, &svg, NULL, NULL));
	assert_xml_chars(svg);
	g_assert_nonnull(strstr(svg, BAD_NAME_SHOWN ", seed 1</text>"));
	g_assert_null(strstr(svg, "\x1b"));
	/* well-formed XML: GLib's markup parser refuses control characters */
	static const GMarkupParser no_callbacks = {0};
	GMarkupParseContext *xml = g_markup_parse_context_new(&no_callbacks, 0,
	                                                      NULL, NULL);
	gboolean well_formed = g_markup_parse_context_parse(xml, svg, -1, &e) &&
	                   g_markup_parse_context_end_parse(xml, &e);
	g_assert_no_error(e);
	g_assert_true(well_formed);
	g_markup_parse_context_free(xml);
	g_free(svg);
	scn_run_clear(&run);
	scn_rmtree(dir);
	g_free(svg_path);
	g_free(out_dir);
	g_free(path);
	g_free(dir);
}

/* ---- tiny socket buffers ---- */

static void test_rcvbuf_tiny(void)
{
	char *dir = scn_tmpdir();
	char *path = g_build_filename(dir, "tiny.ini", NULL);
	char *out_dir = g_build_filename(dir, "o", NULL);
	const char *args[] = { path, "--json", "-o", out_dir, NULL };
	struct scn_run run;
	GError *e = NULL;

	write_file(path, "[simulation]\nduration = 120s\n[network]\ndelay = 10ms\n"
	                 "[tcp]\nrcvbuf = 100\nsndbuf = 100\n"
	                 "[client]\nscript = connect; send 10000; close\n"
	                 "[server]\nscript = listen; accept; recv all; close\n");
	g_assert_true(scn_tcpsim(args, &run, &e));
	g_assert_no_error(e);
	g_assert_cmpint(run.status, ==, 0);
	struct scn_json *j = scn_json_parse(run.out, &e);
	g_assert_no_error(e);
	g_assert_cmpstr(scn_json_get(j, "endpoints.server.bytes_received")->text, ==, "10000");
	g_assert_cmpstr(scn_json_get(j, "endpoints.client.bytes_sent")->text, ==, "10000");
	g_assert_cmpstr(scn_json_get(j, "data_intact")->text, ==, "true");
	g_assert_cmpstr(scn_json_get(j, "endpoints.server.final_state")->text, ==, "CLOSED");
	/* 4608 bytes of buffer, 2304 of window: well under a second, not
	 * minutes of persist probes */
	g_assert_cmpint(scn_parse_ns(scn_json_get(j, "endpoints.server.states.4.t")->text), <, SIM_SEC);
	scn_json_free(j);
	scn_run_clear(&run);
	scn_rmtree(dir);
	g_free(out_dir);
	g_free(path);
	g_free(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/input/pipe/process-substitution", test_pipe_process_substitution);
	g_test_add_func("/input/pipe/stdin", test_pipe_stdin);
	g_test_add_func("/input/pipe/sweep", test_pipe_sweep);
	g_test_add_func("/input/pipe/error", test_pipe_error);
	g_test_add_func("/input/escape/text", test_escape_text);
	g_test_add_func("/input/escape/json", test_escape_json);
	for (size_t i = 0; i < G_N_ELEMENTS(message_cases); i++) {
		char *p = g_strdup_printf("/input/message/%s", message_cases[i].name);
		g_test_add_data_func(p, &message_cases[i], test_message);
		g_free(p);
	}
	g_test_add_func("/input/json", test_json);
	g_test_add_func("/input/svg", test_svg);
	g_test_add_func("/input/rcvbuf/tiny", test_rcvbuf_tiny);
	return g_test_run();
}
