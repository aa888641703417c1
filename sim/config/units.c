/*
 * Values with units (see units.h for the accepted forms).
 *
 * Model: every parser trims blanks, then scans a plain decimal number with
 * its own small grammar -- digits, optionally '.' and more digits, and for
 * the real-valued parsers an optional exponent -- and finally looks the
 * rest of the text up in a table of units.  There is no locale, no hex, no
 * "inf" or "nan", no sign unless the type admits negative values, and no
 * blank between the number and its unit.
 *
 * Durations, bandwidths and byte counts never go through floating point:
 * the digits are multiplied by the unit with exact integer long
 * multiplication, so "0.1s" is exactly 100000000 ns and "1.5Mbit" exactly
 * 1500000 bit/s.  A fraction finer than the integer resolution is rounded
 * half up for durations (to the nanosecond) and bandwidths (to the bit/s,
 * but a nonzero bandwidth never rounds to 0, which means unlimited); a
 * byte count must come out whole.  Any overflow is an error.
 *
 * Invariants: on failure *out is left untouched and *why (when why is not
 * NULL) points at a static sentence; on success *why is not written.
 */
#include "sim/config/units.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* A piece of the input text: not NUL-terminated. */
struct span {
	const char *p; /* first byte */
	size_t n;      /* length in bytes */
};

/* A number as written, split into its parts. */
struct number {
	bool negative;    /* a leading '-' (only when signs are allowed) */
	struct span whole; /* the digits before the point: at least one */
	struct span frac;  /* the digits after the point, maybe none */
	struct span exp;   /* the exponent after 'e', with its sign; maybe none */
	struct span mant;  /* the mantissa as written: digits, point, digits */
	struct span rest;  /* what follows the number: the unit */
};

/* A unit suffix and the integer it multiplies by. */
struct unit {
	const char *name; /* as written after the number */
	uint64_t mult;    /* value of one unit in the base unit */
};

static bool fail(const char **why, const char *sentence)
{
	if (why)
		*why = sentence;
	return false;
}

static struct span trim(const char *text)
{
	struct span s = { text ? text : "", 0 };

	while (g_ascii_isspace(*s.p))
		s.p++;
	s.n = strlen(s.p);
	while (s.n > 0 && g_ascii_isspace(s.p[s.n - 1]))
		s.n--;
	return s;
}

static bool span_is(struct span s, const char *word, bool ignore_case)
{
	size_t n = strlen(word);

	if (s.n != n)
		return false;
	return ignore_case ? g_ascii_strncasecmp(s.p, word, n) == 0 : memcmp(s.p, word, n) == 0;
}

/* Length of the run of decimal digits at p, looking at no more than n bytes. */
static size_t digits_at(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && g_ascii_isdigit(p[i]))
		i++;
	return i;
}

/* Length of an exponent ("e7", "E-3") at p, 0 when there is none: an 'e'
 * not followed by digits is left to the unit. */
static size_t exponent_at(const char *p, size_t n)
{
	size_t i = 1;

	if (n < 2 || (p[0] != 'e' && p[0] != 'E'))
		return 0;
	if (p[i] == '+' || p[i] == '-')
		i++;
	size_t d = digits_at(p + i, n - i);
	return d ? i + d : 0;
}

/* Scans [sign] digits ['.' digits] [exponent] at the start of s. */
static bool scan_number(struct span s, bool allow_sign, bool allow_exp, struct number *num)
{
	size_t i = 0;

	memset(num, 0, sizeof *num);
	if (allow_sign && s.n > 0 && (s.p[0] == '-' || s.p[0] == '+')) {
		num->negative = s.p[0] == '-';
		i++;
	}
	num->whole = (struct span){ s.p + i, digits_at(s.p + i, s.n - i) };
	if (num->whole.n == 0) /* ".5", "-", "abc": no leading digit */
		return false;
	i += num->whole.n;
	if (i < s.n && s.p[i] == '.') {
		num->frac = (struct span){ s.p + i + 1, digits_at(s.p + i + 1, s.n - i - 1) };
		if (num->frac.n == 0) /* "5." */
			return false;
		i += 1 + num->frac.n;
	}
	num->mant = (struct span){ num->whole.p, (size_t)(s.p + i - num->whole.p) };
	size_t e = allow_exp ? exponent_at(s.p + i, s.n - i) : 0;
	num->exp = (struct span){ s.p + i + (e ? 1 : 0), e ? e - 1 : 0 };
	i += e;
	num->rest = (struct span){ s.p + i, s.n - i };
	return true;
}

static bool number_is_zero(const struct number *num)
{
	for (size_t i = 0; i < num->whole.n; i++)
		if (num->whole.p[i] != '0')
			return false;
	for (size_t i = 0; i < num->frac.n; i++)
		if (num->frac.p[i] != '0')
			return false;
	return true;
}

static const struct unit *find_unit(struct span name, const struct unit *table, size_t n,
                                    bool ignore_case)
{
	for (size_t i = 0; i < n; i++)
		if (span_is(name, table[i].name, ignore_case))
			return &table[i];
	return NULL;
}

/*
 * whole.frac * mult, exactly, rounded half up to an integer; *exact says
 * whether nothing was rounded away.  The fraction is multiplied by long
 * multiplication from its last digit: each step keeps a carry below mult,
 * so nothing overflows however many digits there are, and the last digit
 * produced is the first one after the point (it decides the rounding).
 */
static bool scale_exact(const struct number *num, uint64_t mult, uint64_t *out, bool *exact)
{
	uint64_t whole = 0, carry = 0, tenths = 0;
	bool dropped = false;

	g_assert(mult <= UINT64_MAX / 10);
	for (size_t i = 0; i < num->whole.n; i++) {
		uint64_t digit = (uint64_t)(num->whole.p[i] - '0');
		if (!g_uint64_checked_mul(&whole, whole, 10) || !g_uint64_checked_add(&whole, whole, digit))
			return false;
	}
	for (size_t i = num->frac.n; i-- > 0;) {
		uint64_t t = (uint64_t)(num->frac.p[i] - '0') * mult + carry;
		dropped |= tenths != 0;
		tenths = t % 10;
		carry = t / 10;
	}
	*exact = !dropped && tenths == 0;
	uint64_t value;
	if (!g_uint64_checked_mul(&value, whole, mult) || !g_uint64_checked_add(&value, value, carry) ||
	    !g_uint64_checked_add(&value, value, tenths >= 5 ? 1 : 0))
		return false;
	*out = value;
	return true;
}

static const struct unit duration_units[] = {
	{ "ns", 1 },
	{ "us", 1000 },
	{ "\xc2\xb5s", 1000 }, /* "µs" in UTF-8 */
	{ "ms", 1000000 },
	{ "s", 1000000000 },
	{ "min", 60ull * 1000000000 },
	{ "h", 3600ull * 1000000000 },
};

bool units_parse_duration(const char *text, sim_time *out, const char **why)
{
	static const char expected[] = "expected a duration such as 200ms or 1.5s";
	struct number num;
	uint64_t ns;
	bool exact;

	if (!scan_number(trim(text), false, false, &num))
		return fail(why, expected);
	if (num.rest.n == 0) { /* a bare number: only 0 is unambiguous */
		if (!number_is_zero(&num))
			return fail(why, "a duration needs a unit: ns, us, ms, s, min or h");
		*out = 0;
		return true;
	}
	const struct unit *u = find_unit(num.rest, duration_units, G_N_ELEMENTS(duration_units), false);
	if (!u)
		return fail(why, expected);
	if (!scale_exact(&num, u->mult, &ns, &exact) || ns > (uint64_t)INT64_MAX)
		return fail(why, "duration too long");
	*out = (sim_time)ns;
	return true;
}

/* Matched without regard to case, so "mbit" is a megabit, never a millibit. */
static const struct unit bandwidth_units[] = {
	{ "bit", 1 },           { "bps", 1 },           { "bit/s", 1 },
	{ "kbit", 1000 },       { "kbps", 1000 },       { "kbit/s", 1000 },
	{ "mbit", 1000000 },    { "mbps", 1000000 },    { "mbit/s", 1000000 },
	{ "gbit", 1000000000 }, { "gbps", 1000000000 }, { "gbit/s", 1000000000 },
};

bool units_parse_bandwidth(const char *text, uint64_t *bits_per_sec, const char **why)
{
	static const char expected[] = "expected a bandwidth such as 10Mbit or 1Gbit, or 0 for unlimited";
	struct span s = trim(text);
	struct number num;
	bool exact;

	if (span_is(s, "unlimited", true)) {
		*bits_per_sec = 0;
		return true;
	}
	if (!scan_number(s, false, false, &num))
		return fail(why, expected);
	if (num.rest.n == 0) { /* bits? bytes? only 0 needs no unit */
		if (!number_is_zero(&num))
			return fail(why, "a bandwidth needs a unit: bit, kbit, Mbit or Gbit");
		*bits_per_sec = 0;
		return true;
	}
	const struct unit *u = find_unit(num.rest, bandwidth_units, G_N_ELEMENTS(bandwidth_units), true);
	if (!u)
		return fail(why, expected);
	uint64_t bps;
	if (!scale_exact(&num, u->mult, &bps, &exact))
		return fail(why, "bandwidth too large");
	if (bps == 0 && !number_is_zero(&num)) /* 0 would mean unlimited */
		return fail(why, "bandwidth below 1 bit/s");
	*bits_per_sec = bps;
	return true;
}

/*
 * Converts a validated real number to double.  A percentage is divided by
 * 100 by shifting its decimal exponent, not by a floating-point division,
 * so "0.1%" gives the same double as "0.001".
 */
static double number_to_double(const struct number *num, int shift)
{
	long power = 0;

	for (size_t i = (num->exp.n && !g_ascii_isdigit(num->exp.p[0])) ? 1 : 0; i < num->exp.n; i++)
		if (power < 1000000) /* far beyond any double: strtod saturates */
			power = power * 10 + (num->exp.p[i] - '0');
	if (num->exp.n && num->exp.p[0] == '-')
		power = -power;
	char *text = g_strdup_printf("%s%.*se%ld", num->negative ? "-" : "", (int)num->mant.n,
	                             num->mant.p, power + shift);
	double value = g_ascii_strtod(text, NULL);
	g_free(text);
	return value + 0.0; /* -0 becomes +0 */
}

bool units_parse_probability(const char *text, double *out, const char **why)
{
	static const char expected[] = "expected a probability between 0 and 1, or a percentage such as 1%";
	struct number num;
	int shift;

	if (!scan_number(trim(text), false, true, &num))
		return fail(why, expected);
	if (num.rest.n == 0)
		shift = 0;
	else if (span_is(num.rest, "%", false))
		shift = -2;
	else
		return fail(why, expected);
	double p = number_to_double(&num, shift);
	if (!(p >= 0.0 && p <= 1.0))
		return fail(why, expected);
	*out = p;
	return true;
}

static const struct unit byte_units[] = {
	{ "", 1 },
	{ "B", 1 },
	{ "kB", 1000 },
	{ "KB", 1000 },
	{ "MB", 1000000 },
	{ "GB", 1000000000 },
	{ "KiB", 1024 },
	{ "MiB", 1024ull * 1024 },
	{ "GiB", 1024ull * 1024 * 1024 },
};

bool units_parse_bytes(const char *text, uint64_t *out, const char **why)
{
	static const char expected[] = "expected a byte count such as 1460, 64KiB or 6MB";
	struct number num;
	uint64_t bytes;
	bool exact;

	if (!scan_number(trim(text), false, false, &num))
		return fail(why, expected);
	const struct unit *u = find_unit(num.rest, byte_units, G_N_ELEMENTS(byte_units), false);
	if (!u)
		return fail(why, expected);
	if (!scale_exact(&num, u->mult, &bytes, &exact))
		return fail(why, "byte count too large");
	if (!exact)
		return fail(why, "expected a whole number of bytes");
	*out = bytes;
	return true;
}

bool units_parse_uint(const char *text, uint64_t min, uint64_t max, uint64_t *out,
                      const char **why)
{
	struct number num;
	uint64_t value;
	bool exact;

	if (!scan_number(trim(text), false, false, &num) || num.frac.n || num.rest.n)
		return fail(why, "expected a whole number");
	if (!scale_exact(&num, 1, &value, &exact) || value < min || value > max)
		return fail(why, "whole number out of range");
	*out = value;
	return true;
}

bool units_parse_double(const char *text, double min, double max, double *out,
                        const char **why)
{
	struct number num;

	if (!scan_number(trim(text), true, true, &num) || num.rest.n)
		return fail(why, "expected a number");
	double value = number_to_double(&num, 0);
	if (!isfinite(value))
		return fail(why, "number too large");
	if (!(value >= min && value <= max))
		return fail(why, "number out of range");
	*out = value;
	return true;
}

bool units_parse_bool(const char *text, bool *out, const char **why)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	struct span s = trim(text);

	for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
		if (span_is(s, yes[i], true)) {
			*out = true;
			return true;
		}
		if (span_is(s, no[i], true)) {
			*out = false;
			return true;
		}
	}
	return fail(why, "expected true/false, yes/no, on/off or 1/0");
}

/*
 * Seconds from one second up, ms or us below, ns below a microsecond; the
 * fraction is exact (integer arithmetic) with trailing zeros trimmed, so
 * every output but "never" parses back to the same value.
 */
char *units_format_duration(sim_time t, char *buf, unsigned size)
{
	static const struct unit scales[] = {
		{ "s", 1000000000 }, { "ms", 1000000 }, { "us", 1000 }, { "ns", 1 },
	};
	uint64_t mag = t < 0 ? 0 - (uint64_t)t : (uint64_t)t; /* INT64_MIN included */
	char tmp[64];

	if (size == 0)
		return buf;
	if (t == SIM_NEVER) {
		g_strlcpy(buf, "never", size);
		return buf;
	}
	const struct unit *u = &scales[0];
	while (mag != 0 && mag < u->mult && u->mult > 1)
		u++;
	uint64_t whole = mag / u->mult, frac = mag % u->mult;
	int decimals = 0;
	for (uint64_t m = u->mult; m > 1; m /= 10)
		decimals++;
	int n = snprintf(tmp, sizeof tmp, "%s%" G_GUINT64_FORMAT, t < 0 ? "-" : "", whole);
	if (frac) {
		n += snprintf(tmp + n, sizeof tmp - (size_t)n, ".%0*" G_GUINT64_FORMAT, decimals, frac);
		while (tmp[n - 1] == '0')
			tmp[--n] = '\0';
	}
	snprintf(tmp + n, sizeof tmp - (size_t)n, "%s", u->name);
	g_strlcpy(buf, tmp, size);
	return buf;
}
