/*
 * Tests of the app-script parser (sim/config/script.c), table-driven.
 *
 * /script/parse/<case>: a script and the calls it must give, each call
 * written in a canonical one-line form (its name, the fields that differ
 * from their defaults, and "@column"), so that a table row reads like the
 * script it checks.
 * /script/error/<case>: a broken script and the exact message it must give.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include "sim/config/script.h"

struct parse_case {
	const char *name;   /* test path under /script/parse/ */
	const char *text;   /* the script */
	const char *expect; /* its calls, canonical form, joined by "; " */
};

struct error_case {
	const char *name;   /* test path under /script/error/ */
	const char *text;   /* the script */
	const char *expect; /* the exact error message */
};

static const struct parse_case parse_cases[] = {
	{ "empty", "", "" },
	{ "blanks-only", "  \t ", "" },
	{ "semicolons-only", " ; ;; ", "" },
	{ "echo-server", "listen 9877; accept; recv; send \"a\\n\"; close",
	  "listen :9877 @1; accept @14; recv @22; send \"a\\x0a\" @28; close @40" },
	{ "echo-client", "connect; send \"hello\\0\"; recv 6; sleep 1s; close",
	  "connect @1; send \"hello\\x00\" @10; recv bytes=6 @26; sleep 1s @34; close @44" },
	{ "blank-calls", ";;close;; ;abort;", "close @3; abort @12" },
	{ "trailing-semicolon", "close;", "close @1" },
	{ "no-blank-before-semicolon", "accept;close", "accept @1; close @8" },
	{ "blanks-everywhere", "\t listen\t80 \t;\n accept ", "listen :80 @3; accept @2:2" },
	{ "listen-default", "listen", "listen @1" },
	{ "listen-backlog", "listen 80 backlog=5", "listen :80 backlog=5 @1" },
	{ "listen-backlog-first", "listen backlog=0 8080", "listen :8080 backlog=0 @1" },
	{ "listen-backlog-only", "listen backlog=1", "listen backlog=1 @1" },
	{ "listen-port-max", "listen 65535", "listen :65535 @1" },
	{ "connect-target", "connect 10.0.0.2:8080", "connect 10.0.0.2:8080 @1" },
	{ "connect-timeout", "connect timeout=2.5s", "connect timeout=2500ms @1" },
	{ "connect-both", "connect 192.168.1.1:80 timeout=75s",
	  "connect 192.168.1.1:80 timeout=75s @1" },
	{ "connect-timeout-first", "connect timeout=100ms 10.1.2.3:1",
	  "connect 10.1.2.3:1 timeout=100ms @1" },
	{ "connect-sndtimeo", "connect sndtimeo=3s", "connect sndtimeo=3s @1" },
	{ "send-bytes", "send 1460", "send count=1460 @1" },
	{ "send-kib", "send 64KiB", "send count=65536 @1" },
	{ "send-semicolon-in-string", "send \"a;b\"; close", "send \"a;b\" @1; close @13" },
	{ "send-escapes", "send \"\\r\\n\\t\\\\\\\"\"", "send \"\\x0d\\x0a\\x09\\\\\\\"\" @1" },
	{ "send-hex", "send \"\\x41\\x42\\xff\"", "send \"AB\\xff\" @1" },
	{ "send-hex-then-digit", "send \"\\x411\"", "send \"A1\" @1" },
	{ "send-octal", "send \"\\101\\0\\12\\377\"", "send \"A\\x00\\x0a\\xff\" @1" },
	{ "send-octal-max-three-digits", "send \"\\1011\"", "send \"A1\" @1" },
	{ "send-nul-in-middle", "send \"a\\0b\"", "send \"a\\x00b\" @1" },
	{ "send-utf8", "send \"h\xc3\xa9\"", "send \"h\\xc3\\xa9\" @1" },
	{ "send-blank-string", "send \" \"", "send \" \" @1" },
	{ "recv-once", "recv", "recv @1" },
	{ "recv-all", "recv all", "recv all @1" },
	{ "recv-bytes", "recv 1MB", "recv bytes=1000000 @1" },
	{ "echo-eof", "echo", "echo @1" },
	{ "echo-n", "echo 3", "echo count=3 @1" },
	{ "sleep-units", "sleep 75us; sleep 2min; sleep 0", "sleep 75us @1; sleep 2min @13; sleep @25" },
	{ "shutdown-default", "shutdown", "shutdown wr @1" },
	{ "shutdown-modes", "shutdown wr; shutdown rd; shutdown rdwr",
	  "shutdown wr @1; shutdown rd @14; shutdown rdwr @27" },
	{ "no-argument-calls", "accept; close; abort; crash; reboot",
	  "accept @1; close @9; abort @16; crash @23; reboot @30" },
};

static const struct error_case error_cases[] = {
	{ "unknown-call", "connect; sned \"x\"", "column 10: unknown call 'sned'" },
	{ "unknown-call-case", "Close", "column 1: unknown call 'Close'" },
	{ "unknown-call-control-bytes", "cl\x01se", "column 1: unknown call 'cl\\x01se'" },
	{ "string-as-call", "\"close\"", "column 1: expected a call name such as connect or send, found a string" },
	{ "unterminated-string", "send \"abc", "column 6: unterminated string" },
	{ "unterminated-after-backslash", "send \"abc\\", "column 6: unterminated string" },
	{ "unterminated-escaped-quote", "send \"abc\\\"; close", "column 6: unterminated string" },
	{ "bad-escape", "send \"a\\qb\"", "column 8: bad escape '\\q' (known: \\n \\r \\t \\0 \\\\ \\\" \\xHH \\ooo)" },
	{ "bad-escape-blank", "send \"a\\ b\"", "column 8: bad escape: '\\' before byte 0x20" },
	{ "bad-hex-escape", "send \"\\x4\"", "column 7: bad escape: \\x needs two hex digits (\\x41)" },
	{ "bad-hex-escape-none", "send \"\\xg0\"", "column 7: bad escape: \\x needs two hex digits (\\x41)" },
	{ "octal-too-big", "send \"\\400\"", "column 7: bad escape: octal \\400 is more than one byte (\\377)" },
	{ "send-missing", "send", "column 1: send: missing argument: expected a \"string\" or a byte count" },
	{ "send-missing-before-semicolon", "close; send ; close", "column 8: send: missing argument: expected a \"string\" or a byte count" },
	{ "send-empty-string", "send \"\"", "column 6: send: empty string: expected at least one byte" },
	{ "send-zero", "send 0", "column 6: send: '0': expected at least one byte" },
	{ "send-bad-count", "send lots", "column 6: send: 'lots': expected a byte count such as 1460, 64KiB or 6MB" },
	{ "send-two-strings", "send \"a\" \"b\"", "column 10: send: unexpected argument (a string)" },
	{ "send-string-then-word", "send \"a\"b", "column 9: send: unexpected argument 'b'" },
	{ "close-argument", "close now", "column 7: close: unexpected argument 'now'" },
	{ "accept-argument", "accept 80", "column 8: accept: unexpected argument '80'" },
	{ "recv-zero", "recv 0", "column 6: recv: '0': expected at least one byte" },
	{ "recv-string", "recv \"x\"", "column 6: recv: expected a byte count, found a string" },
	{ "recv-two", "recv all 5", "column 10: recv: unexpected argument '5'" },
	{ "echo-zero", "echo 0", "column 6: echo: '0': expected a number of reads (at least 1)" },
	{ "echo-word", "echo many", "column 6: echo: 'many': expected a number of reads (at least 1)" },
	{ "sleep-missing", "sleep", "column 1: sleep: missing argument: expected a duration such as 200ms or 1.5s" },
	{ "sleep-bare-number", "sleep 5", "column 7: sleep: '5': a duration needs a unit: ns, us, ms, s, min or h" },
	{ "sleep-bad-unit", "sleep 5 s", "column 9: sleep: unexpected argument 's'" },
	{ "sleep-negative", "sleep -1s", "column 7: sleep: '-1s': expected a duration such as 200ms or 1.5s" },
	{ "shutdown-bad", "shutdown both", "column 10: shutdown: 'both': expected wr, rd or rdwr" },
	{ "shutdown-string", "shutdown \"wr\"", "column 10: shutdown: expected wr, rd or rdwr, found a string" },
	{ "listen-port-zero", "listen 0", "column 8: listen: port 0 out of range 1-65535" },
	{ "listen-port-too-big", "listen 65536", "column 8: listen: port 65536 out of range 1-65535" },
	{ "listen-port-word", "listen http", "column 8: listen: 'http': expected a port number (1-65535)" },
	{ "listen-two-ports", "listen 80 81", "column 11: listen: unexpected argument '81'" },
	{ "listen-backlog-twice", "listen backlog=1 backlog=2", "column 18: listen: unexpected argument 'backlog=2'" },
	{ "listen-unknown-option", "listen 80 queue=5", "column 11: listen: unexpected argument 'queue=5'" },
	{ "listen-bad-backlog", "listen backlog=-1", "column 8: listen: 'backlog=-1': expected backlog=N, N a whole number 0-65535" },
	{ "listen-three-args", "listen 80 backlog=1 x", "column 21: listen: unexpected argument 'x'" },
	{ "connect-no-port", "connect 10.0.0.2", "column 9: connect: '10.0.0.2': expected ADDRESS:PORT such as 10.0.0.2:8080" },
	{ "connect-bad-address", "connect 10.0.0.256:80", "column 9: connect: '10.0.0.256:80': expected an IPv4 address such as 10.0.0.2:8080" },
	{ "connect-hostname", "connect server:80", "column 9: connect: 'server:80': expected an IPv4 address such as 10.0.0.2:8080" },
	{ "connect-port-out-of-range", "connect 10.0.0.2:99999", "column 9: connect: port 99999 out of range 1-65535" },
	{ "connect-port-empty", "connect 10.0.0.2:", "column 9: connect: '10.0.0.2:': expected a port number (1-65535)" },
	{ "connect-bad-timeout", "connect timeout=soon", "column 9: connect: 'timeout=soon': expected a duration such as 200ms or 1.5s" },
	{ "connect-timeout-twice", "connect timeout=1s timeout=2s", "column 20: connect: unexpected argument 'timeout=2s'" },
	{ "connect-both-limits", "connect timeout=1s sndtimeo=2s", "column 20: connect: unexpected argument 'sndtimeo=2s'" },
	{ "connect-zero-timeout", "connect timeout=0", "column 9: connect: 'timeout=0': expected a time limit above 0" },
	{ "first-error-wins", "sned; \"unterminated", "column 1: unknown call 'sned'" },
};

/* Appends bytes as a C-like string: printable ASCII as is (with \\ and \"
 * escaped), everything else as \xHH. */
static void append_bytes(GString *out, const uint8_t *p, uint64_t n)
{
	g_string_append_c(out, '"');
	for (uint64_t i = 0; i < n; i++) {
		if (p[i] == '\\' || p[i] == '"')
			g_string_append_printf(out, "\\%c", p[i]);
		else if (p[i] >= 0x20 && p[i] < 0x7f)
			g_string_append_c(out, (char)p[i]);
		else
			g_string_append_printf(out, "\\x%02x", p[i]);
	}
	g_string_append_c(out, '"');
}

static void append_target(GString *out, const struct script_call *c)
{
	if (!c->has_target)
		return;
	if (c->op == SCRIPT_CONNECT)
		g_string_append_printf(out, " %u.%u.%u.%u:%u", c->addr >> 24, (c->addr >> 16) & 0xff,
		                       (c->addr >> 8) & 0xff, c->addr & 0xff, c->port);
	else
		g_string_append_printf(out, " :%u", c->port);
}

static void append_duration(GString *out, const char *prefix, sim_time t)
{
	static const struct { const char *unit; sim_time ns; } units[] = {
		{ "min", SIM_MIN }, { "s", SIM_SEC }, { "ms", SIM_MS }, { "us", SIM_US }, { "ns", 1 },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(units); i++)
		if (t % units[i].ns == 0 || units[i].ns == 1) {
			g_string_append_printf(out, " %s%" G_GINT64_FORMAT "%s", prefix, t / units[i].ns, units[i].unit);
			return;
		}
}

/* The canonical form of a call: name, non-default fields, @column. */
static void describe(GString *out, const struct script_call *c)
{
	g_string_append(out, script_op_name(c->op));
	append_target(out, c);
	if (c->backlog != 128)
		g_string_append_printf(out, " backlog=%u", c->backlog);
	if (c->duration)
		append_duration(out, c->op != SCRIPT_CONNECT ? "" : c->sndtimeo ? "sndtimeo=" : "timeout=",
		                c->duration);
	if (c->data) {
		g_string_append_c(out, ' ');
		append_bytes(out, c->data, c->count);
	} else if (c->count) {
		g_string_append_printf(out, " %s=%" G_GUINT64_FORMAT,
		                       c->recv_mode == SCRIPT_RECV_BYTES ? "bytes" : "count", c->count);
	}
	if (c->op == SCRIPT_RECV && c->recv_mode == SCRIPT_RECV_ALL)
		g_string_append(out, " all");
	if (c->op == SCRIPT_SHUTDOWN)
		g_string_append(out, c->shut == SCRIPT_SHUT_WR ? " wr" : c->shut == SCRIPT_SHUT_RD ? " rd" : " rdwr");
	if (c->line > 1)
		g_string_append_printf(out, " @%u:%u", c->line, c->column);
	else
		g_string_append_printf(out, " @%u", c->column);
}

static void test_parse(gconstpointer data)
{
	const struct parse_case *tc = data;
	struct script s;
	char *error = NULL;
	GString *got = g_string_new(NULL);

	g_assert_true(script_parse(tc->text, &s, &error));
	g_assert_null(error);
	for (uint32_t i = 0; i < s.n; i++) {
		if (i)
			g_string_append(got, "; ");
		describe(got, &s.calls[i]);
		if (s.calls[i].op == SCRIPT_SEND && s.calls[i].data)
			g_assert_cmpuint(s.calls[i].count, >=, 1);
	}
	g_assert_cmpstr(got->str, ==, tc->expect);
	g_assert_true(s.n > 0 || s.calls == NULL);
	script_clear(&s);
	g_assert_null(s.calls);
	g_assert_cmpuint(s.n, ==, 0);
	g_string_free(got, TRUE);
}

static void test_error(gconstpointer data)
{
	const struct error_case *tc = data;
	struct script s = { .calls = (struct script_call *)&s, .n = 99 }; /* must be overwritten */
	char *error = NULL;

	g_assert_false(script_parse(tc->text, &s, &error));
	g_assert_cmpstr(error, ==, tc->expect);
	g_assert_null(s.calls);
	g_assert_cmpuint(s.n, ==, 0);
	g_free(error);
}

/* The decoded bytes of a string keep an embedded NUL and their length. */
static void test_parse_nul_bytes(void)
{
	struct script s;
	char *error = NULL;

	g_assert_true(script_parse("send \"hello\\0\"", &s, &error));
	g_assert_cmpuint(s.n, ==, 1);
	g_assert_cmpuint(s.calls[0].count, ==, 6);
	g_assert_cmpmem(s.calls[0].data, 6, "hello\0", 6);
	script_clear(&s);
}

/* A NULL error pointer is allowed: the caller only wants a yes or no. */
static void test_error_null_pointer(void)
{
	struct script s;

	g_assert_false(script_parse("sned", &s, NULL));
	g_assert_null(s.calls);
}

static void test_parse_defaults(void)
{
	struct script s;

	g_assert_true(script_parse("listen; connect", &s, NULL));
	g_assert_cmpuint(s.calls[0].backlog, ==, 128);
	g_assert_false(s.calls[0].has_target);
	g_assert_cmpuint(s.calls[0].port, ==, 0);
	g_assert_false(s.calls[1].has_target);
	g_assert_cmpint(s.calls[1].duration, ==, 0);
	g_assert_null(s.calls[1].data);
	script_clear(&s);
}

/* Random text from the script's own alphabet: the parser returns, and a
 * failure names a column inside the text (or just after it). */
static void test_error_random_text(void)
{
	static const char *const pieces[] = { "listen", "connect", "send", "recv", "echo", "sleep",
	                                      "shutdown", "close", " ", " ", ";", "\"", "\\", "x41",
	                                      "0", "7", "1s", "backlog=", "timeout=", "10.0.0.2:", "all",
	                                      "rdwr", "=", ":", "\t" };
	GRand *r = g_rand_new_with_seed(5);

	for (int run = 0; run < 2000; run++) {
		GString *text = g_string_new(NULL);
		struct script s;
		char *error = NULL;
		for (int n = g_rand_int_range(r, 0, 12); n > 0; n--)
			g_string_append(text, pieces[g_rand_int_range(r, 0, G_N_ELEMENTS(pieces))]);
		if (script_parse(text->str, &s, &error)) {
			script_clear(&s);
		} else {
			unsigned column = 0;
			g_assert_cmpint(sscanf(error, "column %u: ", &column), ==, 1);
			g_assert_cmpuint(column, >=, 1);
			g_assert_cmpuint(column, <=, text->len + 1);
		}
		g_free(error);
		g_string_free(text, TRUE);
	}
	g_rand_free(r);
}

static void test_op_names(void)
{
	static const char *const names[] = { "listen", "accept", "connect", "send", "recv", "echo",
	                                     "sleep", "shutdown", "close", "abort", "crash", "reboot" };
	G_STATIC_ASSERT(G_N_ELEMENTS(names) == SCRIPT_OP_COUNT);
	for (int op = 0; op < SCRIPT_OP_COUNT; op++)
		g_assert_cmpstr(script_op_name((enum script_op)op), ==, names[op]);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(parse_cases); i++) {
		char *path = g_strdup_printf("/script/parse/%s", parse_cases[i].name);
		g_test_add_data_func(path, &parse_cases[i], test_parse);
		g_free(path);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(error_cases); i++) {
		char *path = g_strdup_printf("/script/error/%s", error_cases[i].name);
		g_test_add_data_func(path, &error_cases[i], test_error);
		g_free(path);
	}
	g_test_add_func("/script/parse/nul-bytes-kept", test_parse_nul_bytes);
	g_test_add_func("/script/parse/defaults", test_parse_defaults);
	g_test_add_func("/script/parse/op-names", test_op_names);
	g_test_add_func("/script/error/null-error-pointer", test_error_null_pointer);
	g_test_add_func("/script/error/random-text", test_error_random_text);
	return g_test_run();
}
