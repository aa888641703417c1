/*
 * The evaluator of packetdrill's %{ }% blocks (sim/pkt/pkt_python.c).
 *
 * /pkt_python/pass/<case>         blocks whose asserts hold: Python 3's
 *                                 arithmetic, comparisons, truth, names
 * /pkt_python/raise/<case>        blocks that raise, and Python's words
 *                                 (3.11's): the statement and "AssertionError: 6"
 * /pkt_python/unsupported/<case>  what the evaluator does not read is
 *                                 refused by name when parsed ("python: ...")
 * /pkt_python/freebsd/<case>      FreeBSD's packetdrill: its tcpi_state
 *                                 numbers, its fields, no constants
 */
#include <glib.h>
#include <string.h>
#include "sim/pkt/pkt_python.h"
#include "sim/world/app.h"

/* A snapshot with a value in every field the evaluator reads. */
static struct app_tcp_info snapshot(void)
{
	return (struct app_tcp_info){
		.state = 1, .retransmits = 2, .probes = 6, .backoff = 3, .rto_us = 1600000,
		.rtt_us = 100000, .rttvar_us = 50000, .snd_mss = 1448, .rcv_mss = 536, .unacked = 4,
		.snd_cwnd = 10, .snd_ssthresh = 0x7fffffff, .total_retrans = 5, .options = 7, .snd_wscale = 7,
		.rcv_wscale = 8, .snd_wnd = 65535,
	};
}

/* Runs text under os; returns the outcome, *message and *line as given. */
static enum pkt_py_outcome run_os(const char *text, enum pkt_os os, char **message, uint32_t *line)
{
	char *why = NULL;
	struct pkt_py *p = pkt_py_parse(text, os, &why);
	if (!p)
		g_error("`%s` does not parse: %s", text, why);
	g_assert_null(why);
	struct app_tcp_info t = snapshot();
	enum pkt_py_outcome o = pkt_py_run(p, &t, line, message);
	pkt_py_free(p);
	return o;
}

static void assert_passes_os(const char *text, enum pkt_os os)
{
	char *message;
	uint32_t line;
	enum pkt_py_outcome o = run_os(text, os, &message, &line);
	if (o != PKT_PY_OK)
		g_error("`%s` did not pass: %s", text, message);
	g_assert_null(message);
}

static void assert_passes(const char *text) { assert_passes_os(text, PKT_OS_LINUX); }

static void assert_raises(const char *text, uint32_t want_line, const char *want)
{
	char *message;
	uint32_t line;
	enum pkt_py_outcome o = run_os(text, PKT_OS_LINUX, &message, &line);
	g_assert_cmpint(o, ==, PKT_PY_RAISED);
	g_assert_cmpstr(message, ==, want);
	g_assert_cmpuint(line, ==, want_line);
	g_free(message);
}

static void assert_refused_os(const char *text, enum pkt_os os, const char *want)
{
	char *why = NULL;
	struct pkt_py *p = pkt_py_parse(text, os, &why);
	if (p)
		g_error("`%s` parsed: expected \"%s\"", text, want);
	g_assert_cmpstr(why, ==, want);
	g_free(why);
}

static void assert_refused(const char *text, const char *want) { assert_refused_os(text, PKT_OS_LINUX, want); }

/* ---- pass ---- */

static void test_pass_fields(void)
{
	assert_passes("assert tcpi_probes == 6, tcpi_probes; \\\n      assert tcpi_backoff == 3, tcpi_backoff");
	assert_passes("assert tcpi_state == TCP_ESTABLISHED");
	assert_passes("assert tcpi_snd_cwnd == 10 and tcpi_snd_ssthresh > 1000000");
	assert_passes("assert tcpi_rto == 1600000 and tcpi_rtt == 100000 and tcpi_rttvar == 50000");
	assert_passes("assert tcpi_snd_mss == 1448 and tcpi_rcv_mss == 536 and tcpi_unacked == 4");
	assert_passes("assert tcpi_retransmits == 2 and tcpi_total_retrans == 5");
	assert_passes("assert (tcpi_options & TCPI_OPT_WSCALE) != 0, tcpi_options");
	assert_passes("assert tcpi_options & TCPI_OPT_TIMESTAMPS");
	assert_passes("assert (tcpi_options & TCPI_OPT_SYN_DATA) == 0");
	assert_passes("assert tcpi_snd_wscale == 7 and tcpi_rcv_wscale == 8");
	assert_passes("assert TCP_CA_Open == 0 and TCP_CA_Loss == 4 and TCP_LISTEN == 10");
}

static void test_pass_arithmetic(void)
{
	assert_passes("assert 7 // 2 == 3; assert -7 // 2 == -4; assert 7 // -2 == -4");
	assert_passes("assert -7 % 2 == 1; assert 7 % -2 == -1; assert 7 % 2 == 1");
	assert_passes("assert 7 / 2 == 3.5; assert 4 / 2 == 2; assert 1 / 4 == 0.25");
	assert_passes("assert -7.5 // 2 == -4.0; assert -7.5 % 2 == 0.5");
	assert_passes("assert 2 ** 10 == 1024; assert -2 ** 2 == -4; assert 2 ** -1 == 0.5");
	assert_passes("assert 2 ** 3 ** 2 == 512"); /* right-associative */
	assert_passes("assert 1 + 2 * 3 == 7; assert (1 + 2) * 3 == 9; assert 10 - 2 - 3 == 5");
	assert_passes("assert 0x10 == 16 and 0o17 == 15 and 0b101 == 5 and 0XfF == 255");
	assert_passes("assert 5 & 3 == 1"); /* & above == */
	assert_passes("assert 1 << 4 == 16; assert 256 >> 4 == 16; assert -1 >> 70 == -1");
	assert_passes("assert 6 ^ 3 == 5; assert 4 | 1 == 5; assert ~0 == -1; assert -(-3) == +3");
	assert_passes("assert True + True == 2; assert True == 1; assert False == 0");
	assert_passes("assert abs(-3) == 3 and abs(-2.5) == 2.5");
	assert_passes("assert max(1, 5, 3) == 5 and min(4, 2, 9) == 2");
	assert_passes("assert 1e3 == 1000; assert .5 == 0.5; assert 1.5e-3 * 1000 == 1.5");
	assert_passes("assert 9223372036854775807 > 0");
}

static void test_pass_logic(void)
{
	assert_passes("assert 1 < 2 <= 2 < 3");
	assert_passes("assert not (1 < 2 > 3)");
	assert_passes("assert not 1 == 2");
	assert_passes("assert (0 or 5) == 5; assert (3 and 0) == 0; assert (2 and 3) == 3");
	assert_passes("assert 1 != 2 and 2 == 2.0 and 1 < 1.5");
	assert_passes("assert True; assert 1; assert 0.1; assert -1");
	/* the message is evaluated only when the test fails */
	assert_passes("assert 1, 1 // 0");
	/* and short-circuits */
	assert_passes("assert 0 or 1; assert not (0 and 1 // 0)");
}

static void test_pass_statements(void)
{
	assert_passes("");
	assert_passes("pass");
	assert_passes("# a comment only");
	assert_passes("assert 1  # a comment\n\nassert 2\n");
	assert_passes("\nassert 1\n   \nassert 2");
	assert_passes("assert 1;");
	assert_passes("print(tcpi_rtt, 'us', 7 / 2)");
	assert_passes("print()");
	assert_passes("tcpi_rtt + 1");
	assert_passes("assert (1 +\n 2) == 3");
	assert_passes("assert tcpi_state == \\\n    TCP_ESTABLISHED");
}

/* ---- raise ---- */

static void test_raise_assert(void)
{
	assert_raises("assert tcpi_probes == 0, tcpi_probes; \\\n      assert tcpi_backoff == 0, tcpi_backoff",
	              0, "    assert tcpi_probes == 0, tcpi_probes\nAssertionError: 6");
	assert_raises("assert tcpi_probes == 6, tcpi_probes; \\\n      assert tcpi_backoff == 0, tcpi_backoff",
	              1, "    assert tcpi_backoff == 0, tcpi_backoff\nAssertionError: 3");
	assert_raises("assert tcpi_state == TCP_CLOSE", 0, "    assert tcpi_state == TCP_CLOSE\nAssertionError");
	assert_raises("assert 1\nassert 0, 'the window'", 1, "    assert 0, 'the window'\nAssertionError: the window");
	assert_raises("assert 0, \"\"", 0, "    assert 0, \"\"\nAssertionError");
	assert_raises("assert 0, 1 < 2", 0, "    assert 0, 1 < 2\nAssertionError: True");
	assert_raises("assert False, -5", 0, "    assert False, -5\nAssertionError: -5");
}

/* Python's str() of a float: repr's shortest digits. */
static void test_raise_float_text(void)
{
	static const struct { const char *expr, *text; } cases[] = {
		{"7 / 2", "3.5"}, {"1 / 3", "0.3333333333333333"}, {"4 / 2", "2.0"}, {"1e16 * 1.0", "1e+16"},
		{"1e15 * 1.0", "1000000000000000.0"}, {"2.0 ** -20", "9.5367431640625e-07"}, {"0.0001 * 1", "0.0001"},
		{"0.00001 * 1", "1e-05"}, {"-0.0", "-0.0"}, {"0.1 + 0.2", "0.30000000000000004"},
		{"123.456 * 1", "123.456"}, {"1e300 * 1e300", "inf"}, {"-1.5e-7 * 1", "-1.5e-07"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *text = g_strdup_printf("assert 0, %s", cases[i].expr);
		char *want = g_strdup_printf("    %s\nAssertionError: %s", text, cases[i].text);
		assert_raises(text, 0, want);
		g_free(text);
		g_free(want);
	}
}

static void test_raise_errors(void)
{
	assert_raises("assert 1 / 0", 0, "    assert 1 / 0\nZeroDivisionError: division by zero");
	assert_raises("assert 1 // 0", 0, "    assert 1 // 0\nZeroDivisionError: integer division or modulo by zero");
	assert_raises("assert 1 % 0", 0, "    assert 1 % 0\nZeroDivisionError: integer modulo by zero");
	assert_raises("assert 1.5 / 0", 0, "    assert 1.5 / 0\nZeroDivisionError: float division by zero");
	assert_raises("assert 1.5 // 0", 0, "    assert 1.5 // 0\nZeroDivisionError: float floor division by zero");
	assert_raises("assert 1.5 % 0", 0, "    assert 1.5 % 0\nZeroDivisionError: float modulo");
	assert_raises("assert 1.5 & 1", 0,
	              "    assert 1.5 & 1\nTypeError: unsupported operand type(s) for &: 'float' and 'int'");
	assert_raises("assert ~1.5", 0, "    assert ~1.5\nTypeError: bad operand type for unary ~: 'float'");
	assert_raises("assert 1 << -1", 0, "    assert 1 << -1\nValueError: negative shift count");
	assert_raises("print(1 // 0)", 0, "    print(1 // 0)\nZeroDivisionError: integer division or modulo by zero");
	/* the message's own error is what Python reports */
	assert_raises("assert 0, 1 // 0", 0,
	              "    assert 0, 1 // 0\nZeroDivisionError: integer division or modulo by zero");
}

/* 64-bit integers: a result beyond is no wrong answer but unsupported. */
static void test_overflow(void)
{
	char *message;
	uint32_t line;
	static const char *const texts[] = {"assert 2 ** 64", "assert 9223372036854775807 + 1",
	                                    "assert 1 << 63", "assert -(-9223372036854775807 - 1)",
	                                    "assert 4294967296 * 4294967296"};
	for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
		g_assert_cmpint(run_os(texts[i], PKT_OS_LINUX, &message, &line), ==, PKT_PY_UNSUPPORTED);
		g_assert_true(g_str_has_prefix(message, "python: an integer beyond 64 bits"));
		g_free(message);
	}
	assert_refused("assert 9223372036854775808", "python: an integer beyond 64 bits");
}

/* ---- unsupported ---- */

static void test_unsupported_statements(void)
{
	assert_refused("import os", "python: the statement `import`");
	assert_refused("if tcpi_state == 1: pass", "python: the statement `if`");
	assert_refused("for i in x: pass", "python: the statement `for`");
	assert_refused("x = tcpi_rtt", "python: the name x");
	assert_refused("tcpi_rtt = 1", "python: an assignment");
	assert_refused("tcpi_rtt += 1", "python: an assignment (`+=`)");
	assert_refused("assert 1\n  assert 2",
	               "python: an indented line (line 2 of the block: Python's \"unexpected indent\")");
	assert_refused("assert 1 \\ 2", "python: a '\\' that does not end its line");
	assert_refused("assert 1 2", "python: a number where an operator belongs");
	assert_refused("assert", "python: a statement that ends too soon");
	assert_refused(";", "python: a ';' with no statement before it");
	assert_refused("assert (1", "python: a bracket not closed");
	assert_refused("assert 1 $ 2", "python: the character `$`");
}

static void test_unsupported_expressions(void)
{
	assert_refused("assert tcpi_ca_state == TCP_CA_Open", "python: tcpi_ca_state (the model does not keep it)");
	assert_refused("assert tcpi_lost == 0", "python: tcpi_lost (the model does not keep it)");
	assert_refused("assert tcpi_snd_wnd > 0", "python: the name tcpi_snd_wnd"); /* FreeBSD's only */
	assert_refused("assert TCPI_OPT_SACK", "python: the name TCPI_OPT_SACK"); /* packetdrill has none */
	assert_refused("assert foo", "python: the name foo");
	assert_refused("assert len(x)", "python: the call len()");
	assert_refused("assert abs(1, 2)", "python: abs() of 2 arguments");
	assert_refused("assert max(1)", "python: max() of 1 argument");
	assert_refused("print(1, sep='')", "python: the keyword argument sep=");
	assert_refused("assert [1]", "python: a list");
	assert_refused("assert (1, 2)", "python: a tuple");
	assert_refused("assert tcpi_rtt.real", "python: an attribute (.)");
	assert_refused("assert (tcpi_rtt)[0]", "python: a subscript ([])");
	assert_refused("assert 'a' + 'b'", "python: a string in an expression");
	assert_refused("assert 'a' == 'a'", "python: a string in an expression");
	assert_refused("assert 'x'", "python: a string in an expression");
	assert_refused("assert f'{tcpi_rtt}'", "python: a prefixed string (f'...)");
	assert_refused("assert '''x'''", "python: a triple-quoted string");
	assert_refused("assert 1 if 1 else 2", "python: a conditional expression (x if c else y)");
	assert_refused("assert tcpi_rtt is None", "python: the comparison `is`");
	assert_refused("assert 1 in 2", "python: the comparison `in`");
	assert_refused("assert None", "python: `None` here");
	assert_refused("assert lambda: 1", "python: `lambda` here");
	assert_refused("assert 012", "python: the number `012`");
	assert_refused("assert 1j", "python: the number `1j`");
	assert_refused("assert 0x", "python: the number `0x`");
	assert_refused("assert 'a' 'b'", "python: strings written one after the other");
	/* a bound on the nesting, not a stack overflow */
	GString *deep = g_string_new("assert ");
	for (int i = 0; i < 500; i++)
		g_string_append(deep, "-(");
	g_string_append(deep, "1");
	for (int i = 0; i < 500; i++)
		g_string_append(deep, ")");
	assert_refused(deep->str, "python: an expression nested too deep");
	g_string_free(deep, TRUE);
}

/* ---- FreeBSD ---- */

static void test_freebsd(void)
{
	g_assert_cmpint(pkt_profile_os("bsd"), ==, PKT_OS_FREEBSD);
	g_assert_cmpint(pkt_profile_os("freebsd"), ==, PKT_OS_FREEBSD);
	g_assert_cmpint(pkt_profile_os("linux"), ==, PKT_OS_LINUX);
	g_assert_cmpint(pkt_profile_os(NULL), ==, PKT_OS_LINUX);
	/* Linux's ESTABLISHED 1 is TCPS_ESTABLISHED 4 */
	assert_passes_os("assert tcpi_state == 4, tcpi_state", PKT_OS_FREEBSD);
	assert_passes_os("assert tcpi_snd_wnd == 65535 and tcpi_rto == 1600000", PKT_OS_FREEBSD);
	assert_refused_os("assert tcpi_state == TCP_ESTABLISHED", PKT_OS_FREEBSD,
	                  "python: the name TCP_ESTABLISHED (FreeBSD's packetdrill does not define it)");
	/* nplab's write_symbols() under __FreeBSD__: TCPS_* numbers, TCPI_ names */
	assert_passes_os("assert tcpi_state == TCPI_ESTABLISHED == 4", PKT_OS_FREEBSD);
	assert_passes_os("assert TCPI_CLOSED == 0 and TCPI_LISTEN == 1 and TCPI_SYN_SENT == 2 "
	                 "and TCPI_SYN_RECEIVED == 3", PKT_OS_FREEBSD);
	assert_passes_os("assert TCPI_CLOSE_WAIT == 5 and TCPI_FIN_WAIT_1 == 6 and TCPI_CLOSING == 7 "
	                 "and TCPI_LAST_ACK == 8 and TCPI_FIN_WAIT_2 == 9 and TCPI_TIME_WAIT == 10",
	                 PKT_OS_FREEBSD);
	assert_passes_os("assert TCPI_OPT_TIMESTAMPS | TCPI_OPT_SACK | TCPI_OPT_WSCALE | TCPI_OPT_ECN "
	                 "== 15", PKT_OS_FREEBSD);
	assert_refused_os("assert TCPI_CLOSED == 7", PKT_OS_LINUX, "python: the name TCPI_CLOSED");
	assert_refused_os("assert tcpi_probes == 0", PKT_OS_FREEBSD, "python: the name tcpi_probes");
	assert_refused_os("assert tcpi_snd_rexmitpack == 0", PKT_OS_FREEBSD,
	                  "python: tcpi_snd_rexmitpack (the model does not keep it)");
}

/* Every Linux state has its FreeBSD number (sys/netinet/tcp_fsm.h). */
static void test_freebsd_states(void)
{
	static const int64_t linux_to_freebsd[][2] = {
		{1, 4}, {2, 2}, {3, 3}, {4, 6}, {5, 9}, {6, 10}, {7, 0}, {8, 5}, {9, 8}, {10, 1}, {11, 7},
	};
	char *why = NULL;
	struct pkt_py *p = pkt_py_parse("assert 0, tcpi_state", PKT_OS_FREEBSD, &why);
	g_assert_nonnull(p);
	for (size_t i = 0; i < G_N_ELEMENTS(linux_to_freebsd); i++) {
		struct app_tcp_info t = snapshot();
		t.state = linux_to_freebsd[i][0];
		char *message, *want = g_strdup_printf("    assert 0, tcpi_state\nAssertionError: %" G_GINT64_FORMAT,
		                                       linux_to_freebsd[i][1]);
		uint32_t line;
		g_assert_cmpint(pkt_py_run(p, &t, &line, &message), ==, PKT_PY_RAISED);
		g_assert_cmpstr(message, ==, want);
		g_free(message);
		g_free(want);
	}
	pkt_py_free(p);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pkt_python/pass/fields", test_pass_fields);
	g_test_add_func("/pkt_python/pass/arithmetic", test_pass_arithmetic);
	g_test_add_func("/pkt_python/pass/logic", test_pass_logic);
	g_test_add_func("/pkt_python/pass/statements", test_pass_statements);
	g_test_add_func("/pkt_python/raise/assert", test_raise_assert);
	g_test_add_func("/pkt_python/raise/float-text", test_raise_float_text);
	g_test_add_func("/pkt_python/raise/errors", test_raise_errors);
	g_test_add_func("/pkt_python/unsupported/overflow", test_overflow);
	g_test_add_func("/pkt_python/unsupported/statements", test_unsupported_statements);
	g_test_add_func("/pkt_python/unsupported/expressions", test_unsupported_expressions);
	g_test_add_func("/pkt_python/freebsd/fields", test_freebsd);
	g_test_add_func("/pkt_python/freebsd/states", test_freebsd_states);
	return g_test_run();
}
