/*
 * Tests of the unit parsers and the duration formatter (sim/config/units.c).
 * Table-driven: every valid input with its exact value, every invalid one
 * checked to return false, leave the output untouched and give a reason.
 */
#include <glib.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "sim/config/units.h"

#define SENTINEL_U64 0x5a5a5a5a5a5a5a5aull /* an output the parsers must not touch on failure */

/* A rejected input: false, a reason, and the output left alone. */
#define ASSERT_REJECTED(ok, why, text)                                                \
	do {                                                                          \
		if (ok)                                                               \
			g_error("accepted invalid input \"%s\"", (text) ? (text) : "(null)"); \
		g_assert_nonnull(why);                                                \
		g_assert_cmpuint(strlen(why), >, 0);                                  \
	} while (0)

/* --- durations --- */

static const struct {
	const char *text;
	sim_time ns;
} duration_valid[] = {
	{ "0", 0 },
	{ "00", 0 },
	{ "0.0", 0 },
	{ "0s", 0 },
	{ "0ns", 0 },
	{ "1ns", 1 },
	{ "75us", 75 * SIM_US },
	{ "75\xc2\xb5s", 75 * SIM_US },
	{ "200ms", 200 * SIM_MS },
	{ "1.5s", 1500000000 },
	{ "0.1s", 100000000 },
	{ "0.3s", 300000000 },
	{ "2min", 120 * SIM_SEC },
	{ "0.1min", 6 * SIM_SEC },
	{ "1h", 3600 * SIM_SEC },
	{ "1.5h", 5400 * SIM_SEC },
	{ "127s", 127 * SIM_SEC },
	{ "0.000000001s", 1 },
	{ "1.000000001s", 1000000001 },
	{ "0.0000000005s", 1 },  /* half a nanosecond rounds up */
	{ "0.0000000004999s", 0 }, /* less than half rounds down */
	{ "0.5ns", 1 },
	{ "0.33333333333333333333333333s", 333333333 },
	{ "0.66666666666666666666666666s", 666666667 },
	{ "1.0000000000001h", 3600 * SIM_SEC }, /* 0.36 ns more */
	{ "0.00000000000014h", 1 },             /* 0.504 ns */
	{ "0.00000000000013h", 0 },             /* 0.468 ns */
	{ "  200ms\t", 200 * SIM_MS },
	{ "\n1s ", SIM_SEC },
	{ "9223372036854775807ns", INT64_MAX },
	{ "9223372036.854775807s", INT64_MAX },
	{ "2562047h", 2562047 * (3600 * SIM_SEC) },
};

static const char *const duration_invalid[] = {
	"", "   ", "200", "1.5", "1", "-1s", "+1s", "-0s", "200 ms", "1.5 s", "1e3ms",
	"inf", "nan", "infs", "1.s", ".5s", "1..5s", "1.5.s", "200MS", "200Ms", "1sec",
	"1m", "1S", "s", "ms", "0x10s", "1,5s", "1s2", "1s ms", "1 s", "9223372036854775808ns",
	"9223372036.854775808s", "2562048h", "99999999999999999999999s", "18446744073709551616ns",
	"1ns\x01", "\xc2\xb5s",
};

static void test_duration_valid(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(duration_valid); i++) {
		sim_time t = -1;
		const char *why = NULL;
		if (!units_parse_duration(duration_valid[i].text, &t, &why))
			g_error("rejected \"%s\": %s", duration_valid[i].text, why);
		g_assert_cmpint(t, ==, duration_valid[i].ns);
	}
}

static void test_duration_invalid(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(duration_invalid); i++) {
		sim_time t = -7;
		const char *why = NULL;
		bool ok = units_parse_duration(duration_invalid[i], &t, &why);
		ASSERT_REJECTED(ok, why, duration_invalid[i]);
		g_assert_cmpint(t, ==, -7);
	}
}

/* A bare number other than 0 gets its own reason, naming the units. */
static void test_duration_bare_number(void)
{
	sim_time t;
	const char *why = NULL;

	g_assert_false(units_parse_duration("200", &t, &why));
	g_assert_nonnull(strstr(why, "unit"));
	g_assert_false(units_parse_duration(NULL, &t, &why));
	g_assert_false(units_parse_duration("x", &t, NULL)); /* why may be NULL */
}

/* --- bandwidths --- */

static const struct {
	const char *text;
	uint64_t bps;
} bandwidth_valid[] = {
	{ "0", 0 },
	{ "0.0", 0 },
	{ "0Mbit", 0 },
	{ "unlimited", 0 },
	{ " Unlimited ", 0 },
	{ "100bit", 100 },
	{ "100bps", 100 },
	{ "100bit/s", 100 },
	{ "64kbit", 64000 },
	{ "64Kbit", 64000 },
	{ "56kbps", 56000 },
	{ "10Mbit", 10000000 },
	{ "10mbit", 10000000 }, /* case-insensitive: a megabit */
	{ "10MBIT", 10000000 },
	{ "10Mbps", 10000000 },
	{ "10Mbit/s", 10000000 },
	{ "1.5Mbit", 1500000 },
	{ "0.1Mbit", 100000 },
	{ "1Gbit", 1000000000 },
	{ "2.5gbps", 2500000000 },
	{ "1.0000000001Gbit", 1000000000 },
	{ "1.0000000005Gbit", 1000000001 }, /* rounded half up to the bit/s */
	{ "0.5bit", 1 },
	{ "18446744073709551615bit", UINT64_MAX },
	{ "18446744073.709551615Gbit", UINT64_MAX },
};

static const char *const bandwidth_invalid[] = {
	"", "10", "1.5", "10 Mbit", "-1Mbit", "+1Mbit", "10MB", "10Mbyte", "10MiB", "inf",
	"nan", "unlimited2", "unlimit", "Mbit", "1e6bit", "1.Mbit", ".5Mbit", "10Tbit",
	"18446744073709551616bit", "18446744074Gbit", "10Mbit/", "10Mb",
	"0.4bit", "0.0000000001Gbit", /* round to 0, which would mean unlimited */
};

static void test_bandwidth_valid(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(bandwidth_valid); i++) {
		uint64_t bps = SENTINEL_U64;
		const char *why = NULL;
		if (!units_parse_bandwidth(bandwidth_valid[i].text, &bps, &why))
			g_error("rejected \"%s\": %s", bandwidth_valid[i].text, why);
		g_assert_cmpuint(bps, ==, bandwidth_valid[i].bps);
	}
}

static void test_bandwidth_invalid(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(bandwidth_invalid); i++) {
		uint64_t bps = SENTINEL_U64;
		const char *why = NULL;
		bool ok = units_parse_bandwidth(bandwidth_invalid[i], &bps, &why);
		ASSERT_REJECTED(ok, why, bandwidth_invalid[i]);
		g_assert_cmpuint(bps, ==, SENTINEL_U64);
	}
}

/* --- probabilities --- */

static const struct {
	const char *text;
	double p;
} probability_valid[] = {
	{ "0", 0.0 },     { "1", 1.0 },     { "0.01", 0.01 },  { "1%", 0.01 },
	{ "0.1%", 0.001 }, { "100%", 1.0 },  { "0%", 0.0 },     { "0.0", 0.0 },
	{ "1e-3", 0.001 }, { "5E-1", 0.5 },  { " 0.5 ", 0.5 },  { "1.0", 1.0 },
	{ "33.3%", 0.333 }, { "1e-1%", 0.001 }, { "1e1%", 0.1 }, { "0.00001", 1e-5 },
	{ "1e-99999999999", 0.0 },
};

static const char *const probability_invalid[] = {
	"", "1.5", "101%", "100.1%", "-0.1", "-0", "+0.5", "nan", "inf", "0.5%%", "50 %",
	"% 50", "1e", "1e+", "0x1p-1", ".5", "5.", "0,5", "1e1", "1e99999999999", "half",
	"50pct", "0.5 0.5",
};

static void test_probability_valid(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(probability_valid); i++) {
		double p = -1.0;
		const char *why = NULL;
		if (!units_parse_probability(probability_valid[i].text, &p, &why))
			g_error("rejected \"%s\": %s", probability_valid[i].text, why);
		g_assert_cmpfloat(p, ==, probability_valid[i].p); /* exact, not approximate */
		g_assert_false(signbit(p));
	}
}

static void test_probability_invalid(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(probability_invalid); i++) {
		double p = -1.0;
		const char *why = NULL;
		bool ok = units_parse_probability(probability_invalid[i], &p, &why);
		ASSERT_REJECTED(ok, why, probability_invalid[i]);
		g_assert_cmpfloat(p, ==, -1.0);
	}
}

/* --- byte counts --- */

static const struct {
	const char *text;
	uint64_t bytes;
} bytes_valid[] = {
	{ "0", 0 },
	{ "1460", 1460 },
	{ "1460B", 1460 },
	{ "64KiB", 65536 },
	{ "6MB", 6000000 },
	{ "1kB", 1000 },
	{ "1KB", 1000 },
	{ "1.5KiB", 1536 },
	{ "0.5KiB", 512 },
	{ "1.5KB", 1500 },
	{ "2GiB", 2147483648ull },
	{ "1MiB", 1048576 },
	{ "4GB", 4000000000ull },
	{ "1.000KB", 1000 },
	{ " 10B ", 10 },
	{ "18446744073709551615", UINT64_MAX },
	{ "17179869183GiB", 17179869183ull << 30 },
};

static const char *const bytes_invalid[] = {
	"", "1.5", "0.1B", "1.0001KB", "64kib", "64KIB", "64 KiB", "-1", "+1", "1b", "1K",
	"1KiBs", "18446744073709551616", "17179869184GiB", "1e3", "inf", "1.B", "B",
};

static void test_bytes_valid(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(bytes_valid); i++) {
		uint64_t n = SENTINEL_U64;
		const char *why = NULL;
		if (!units_parse_bytes(bytes_valid[i].text, &n, &why))
			g_error("rejected \"%s\": %s", bytes_valid[i].text, why);
		g_assert_cmpuint(n, ==, bytes_valid[i].bytes);
	}
}

static void test_bytes_invalid(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(bytes_invalid); i++) {
		uint64_t n = SENTINEL_U64;
		const char *why = NULL;
		bool ok = units_parse_bytes(bytes_invalid[i], &n, &why);
		ASSERT_REJECTED(ok, why, bytes_invalid[i]);
		g_assert_cmpuint(n, ==, SENTINEL_U64);
	}
}

/* --- whole numbers --- */

static const struct {
	const char *text;
	uint64_t min, max;
	bool ok;
	uint64_t value;
} uint_cases[] = {
	{ "42", 0, 100, true, 42 },
	{ "0", 0, 0, true, 0 },
	{ "100", 0, 100, true, 100 },
	{ "007", 0, 100, true, 7 },
	{ " 5 ", 1, 9, true, 5 },
	{ "18446744073709551615", 0, UINT64_MAX, true, UINT64_MAX },
	{ "101", 0, 100, false, 0 },
	{ "5", 10, 20, false, 0 },
	{ "-1", 0, 100, false, 0 },
	{ "+1", 0, 100, false, 0 },
	{ "1.0", 0, 100, false, 0 },
	{ "1e3", 0, 10000, false, 0 },
	{ "0x10", 0, 100, false, 0 },
	{ "", 0, 100, false, 0 },
	{ "12a", 0, 100, false, 0 },
	{ "1 2", 0, 100, false, 0 },
	{ "18446744073709551616", 0, UINT64_MAX, false, 0 },
	{ "99999999999999999999999", 0, UINT64_MAX, false, 0 },
};

static void test_uint(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(uint_cases); i++) {
		uint64_t v = SENTINEL_U64;
		const char *why = NULL;
		bool ok = units_parse_uint(uint_cases[i].text, uint_cases[i].min, uint_cases[i].max, &v, &why);
		if (uint_cases[i].ok) {
			if (!ok)
				g_error("rejected \"%s\": %s", uint_cases[i].text, why);
			g_assert_cmpuint(v, ==, uint_cases[i].value);
		} else {
			ASSERT_REJECTED(ok, why, uint_cases[i].text);
			g_assert_cmpuint(v, ==, SENTINEL_U64);
		}
	}
}

/* --- reals --- */

static const struct {
	const char *text;
	double min, max;
	bool ok;
	double value;
} double_cases[] = {
	{ "1.5", -10, 10, true, 1.5 },
	{ "-2.25", -10, 10, true, -2.25 },
	{ "+3", -10, 10, true, 3.0 },
	{ "1e3", 0, 1e4, true, 1000.0 },
	{ "2.5E-3", 0, 1, true, 0.0025 },
	{ "0.1", 0, 1, true, 0.1 },
	{ "-0", -1, 1, true, 0.0 },
	{ "10", -10, 10, true, 10.0 },
	{ " 7 ", 0, 10, true, 7.0 },
	{ "11", -10, 10, false, 0 },
	{ "-10.5", -10, 10, false, 0 },
	{ "nan", -1e308, 1e308, false, 0 },
	{ "inf", -1e308, INFINITY, false, 0 },
	{ "-inf", -INFINITY, 0, false, 0 },
	{ "1e999", 0, INFINITY, false, 0 },
	{ "1.5x", 0, 10, false, 0 },
	{ "", 0, 10, false, 0 },
	{ "0x1p3", 0, 10, false, 0 },
	{ ".5", 0, 10, false, 0 },
	{ "1,5", 0, 10, false, 0 },
	{ "--1", -10, 10, false, 0 },
	{ "1e", 0, 10, false, 0 },
};

static void test_double(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(double_cases); i++) {
		double v = -99.0;
		const char *why = NULL;
		bool ok = units_parse_double(double_cases[i].text, double_cases[i].min, double_cases[i].max,
		                             &v, &why);
		if (double_cases[i].ok) {
			if (!ok)
				g_error("rejected \"%s\": %s", double_cases[i].text, why);
			g_assert_cmpfloat(v, ==, double_cases[i].value);
			g_assert_false(signbit(v) && v == 0.0); /* "-0" reads as 0 */
		} else {
			ASSERT_REJECTED(ok, why, double_cases[i].text);
			g_assert_cmpfloat(v, ==, -99.0);
		}
	}
}

/* --- booleans --- */

static void test_bool(void)
{
	static const char *const yes[] = { "true", "TRUE", "True", "yes", "Yes", "on", "ON", "1", " true " };
	static const char *const no[] = { "false", "FALSE", "no", "No", "off", "Off", "0", "\tno\n" };
	static const char *const bad[] = { "", "2", "y", "n", "tru", "true1", "t rue", "yess", "01", "enable" };

	for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
		bool b = false;
		g_assert_true(units_parse_bool(yes[i], &b, NULL));
		g_assert_true(b);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(no); i++) {
		bool b = true;
		g_assert_true(units_parse_bool(no[i], &b, NULL));
		g_assert_false(b);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		bool b = true;
		const char *why = NULL;
		bool ok = units_parse_bool(bad[i], &b, &why);
		ASSERT_REJECTED(ok, why, bad[i]);
		g_assert_true(b);
	}
}

/* --- formatting --- */

static const struct {
	sim_time t;
	const char *text;
} format_cases[] = {
	{ 0, "0s" },
	{ 1, "1ns" },
	{ 999, "999ns" },
	{ 1000, "1us" },
	{ 1500, "1.5us" },
	{ 75 * SIM_US, "75us" },
	{ SIM_MS, "1ms" },
	{ 200 * SIM_MS, "200ms" },
	{ 200 * SIM_MS + 1, "200.000001ms" },
	{ 1500000000, "1.5s" },
	{ 127 * SIM_SEC, "127s" },
	{ SIM_SEC + 1, "1.000000001s" },
	{ 3600 * SIM_SEC, "3600s" },
	{ -1500000000, "-1.5s" },
	{ -1, "-1ns" },
	{ SIM_NEVER, "never" },
	{ INT64_MIN, "-9223372036.854775808s" },
	{ INT64_MAX - 1, "9223372036.854775806s" },
};

static void test_format(void)
{
	char buf[64];

	for (size_t i = 0; i < G_N_ELEMENTS(format_cases); i++)
		g_assert_cmpstr(units_format_duration(format_cases[i].t, buf, sizeof buf), ==,
		                format_cases[i].text);
}

/* A short buffer truncates and still terminates; size 0 writes nothing. */
static void test_format_truncates(void)
{
	char buf[8];

	memset(buf, 'x', sizeof buf);
	g_assert_cmpstr(units_format_duration(200 * SIM_MS, buf, 4), ==, "200");
	memset(buf, 'x', sizeof buf);
	g_assert_true(units_format_duration(SIM_SEC, buf, 0) == buf);
	g_assert_cmpint(buf[0], ==, 'x');
}

/* Whatever is formatted (except "never" and negatives) parses back to itself. */
static void test_format_round_trip(void)
{
	GRand *rng = g_rand_new_with_seed(7);
	char buf[64];

	for (int i = 0; i < 100000; i++) {
		/* magnitudes from 1 ns to ~10^18 ns, so every unit is exercised */
		sim_time t = (sim_time)(g_rand_double(rng) * pow(10.0, g_rand_double_range(rng, 0, 18)));
		sim_time back = -1;
		const char *why = NULL;
		units_format_duration(t, buf, sizeof buf);
		if (!units_parse_duration(buf, &back, &why))
			g_error("cannot parse back \"%s\": %s", buf, why);
		g_assert_cmpint(back, ==, t);
	}
	g_rand_free(rng);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/units/duration/valid", test_duration_valid);
	g_test_add_func("/units/duration/invalid", test_duration_invalid);
	g_test_add_func("/units/duration/bare-number", test_duration_bare_number);
	g_test_add_func("/units/bandwidth/valid", test_bandwidth_valid);
	g_test_add_func("/units/bandwidth/invalid", test_bandwidth_invalid);
	g_test_add_func("/units/probability/valid", test_probability_valid);
	g_test_add_func("/units/probability/invalid", test_probability_invalid);
	g_test_add_func("/units/bytes/valid", test_bytes_valid);
	g_test_add_func("/units/bytes/invalid", test_bytes_invalid);
	g_test_add_func("/units/uint", test_uint);
	g_test_add_func("/units/double", test_double);
	g_test_add_func("/units/bool", test_bool);
	g_test_add_func("/units/format/values", test_format);
	g_test_add_func("/units/format/truncates", test_format_truncates);
	g_test_add_func("/units/format/round-trip", test_format_round_trip);
	return g_test_run();
}
