/*
 * The text of a targeted fault ("drop 1st client ack-of-fin", grammar in
 * models/fault.h) into a struct fault, which the model matches.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "sim/config/fault_parse.h"
#include "sim/config/units.h"

static bool fail(char **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static bool fail(char **error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	*error = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return false;
}

/* A missing word is shown as the end of the text. */
static const char *shown(const char *w) { return w ? w : "(end)"; }

static int lookup_action(const char *word)
{
	for (int i = FAULT_DROP; i <= FAULT_KILL; i++)
		if (strcmp(word, fault_action_name((enum fault_action)i)) == 0)
			return i;
	return -1;
}

static int lookup_kind(const char *word)
{
	for (int i = FAULT_ANY; i <= FAULT_RST; i++)
		if (strcmp(word, fault_kind_name((enum fault_kind)i)) == 0)
			return i;
	return -1;
}

/* "1st", "2nd", "3rd", "4th", "11th", ...: the ordinal, 0 if not one. */
static uint64_t ordinal(const char *w)
{
	char *end;
	errno = 0;
	unsigned long long n = strtoull(w, &end, 10);
	if (end == w || errno || n == 0 || !*end)
		return 0;
	uint64_t tens = n % 100, last = n % 10;
	const char *suffix = (tens >= 11 && tens <= 13) ? "th"
	                   : last == 1 ? "st" : last == 2 ? "nd" : last == 3 ? "rd" : "th";
	return strcmp(end, suffix) == 0 ? (uint64_t)n : 0;
}

/* "0th": what a user counting from 0 would write. */
static bool zeroth(const char *w)
{
	char *end;
	unsigned long long n = strtoull(w, &end, 10);
	return end != w && n == 0 && strcmp(end, "th") == 0;
}

/* "2nd..4th": a range of ranks, both included.  Returns the index of the
 * next word, -1 with *error; 0 when the word is no range at all. */
static int parse_range(char **w, int i, struct fault *f, char **error)
{
	const char *dots = strstr(w[i], "..");
	if (!dots)
		return 0;
	char *lo_text = g_strndup(w[i], (size_t)(dots - w[i]));
	const char *hi_text = dots + 2;
	uint64_t lo = ordinal(lo_text), hi = ordinal(hi_text);
	bool zero = zeroth(lo_text) || zeroth(hi_text);
	g_free(lo_text);
	if (zero)
		return fail(error, "ranks start at 1st: '%s' has a 0th", w[i]), -1;
	if (!lo || !hi)
		return fail(error, "expected a range of ranks such as 2nd..4th, not '%s'", w[i]), -1;
	if (lo > hi)
		return fail(error, "the range '%s' runs backwards: expected the lower rank first", w[i]), -1;
	f->first = lo;
	f->last = hi;
	return i + 1;
}

/* WHICH: sets first/last and returns the index of the next word. */
static int parse_which(char **w, int i, struct fault *f, char **error)
{
	if (!w[i])
		return fail(error, "expected which segment (1st, 2nd..4th, first 3, all) after the action"), -1;
	if (strcmp(w[i], "all") == 0) {
		f->first = 1;
		f->last = UINT64_MAX;
		return i + 1;
	}
	if (strcmp(w[i], "first") == 0) {
		uint64_t n;
		if (!w[i + 1] || !units_parse_uint(w[i + 1], 1, UINT64_MAX, &n, NULL))
			return fail(error, "expected a count after 'first'"), -1;
		f->first = 1;
		f->last = n;
		return i + 2;
	}
	int next = parse_range(w, i, f, error);
	if (next != 0)
		return next;
	uint64_t n = ordinal(w[i]);
	if (zeroth(w[i]))
		return fail(error, "ranks start at 1st, not '0th'"), -1;
	if (!n)
		return fail(error, "expected 1st, 2nd, 3rd, Nth, 'first N' or 'all', not '%s'", w[i]), -1;
	f->first = f->last = n;
	return i + 1;
}

/* The word after `key` as a time or duration (units.c); `at` allows 0. */
static bool parse_time_after(char **w, int i, const char *key, bool zero_ok, sim_time *out,
                             char **error)
{
	const char *why = NULL;
	if (!w[i + 1])
		return fail(error, "expected a time such as 1.5s after '%s'", key);
	if (!units_parse_duration(w[i + 1], out, &why) || (!zero_ok && *out == 0)) {
		bool no_unit = why && strstr(why, "needs a unit"); /* "1": say which units */
		return fail(error, "expected a %s after '%s', not '%s'%s%s%s",
		            zero_ok ? "time such as 1.5s" : "duration above 0", key, w[i + 1],
		            no_unit ? " (" : "", no_unit ? why : "", no_unit ? ")" : "");
	}
	return true;
}

/* [from TIME] [to TIME], in that order: the window [from, to). */
static int parse_window(char **w, int i, struct fault *f, char **error)
{
	f->from = 0;
	f->to = SIM_NEVER;
	const char *from_text = "0", *to_text = NULL;
	if (w[i] && strcmp(w[i], "from") == 0) {
		if (!parse_time_after(w, i, "from", true, &f->from, error))
			return -1;
		from_text = w[i + 1];
		i += 2;
	}
	if (w[i] && strcmp(w[i], "to") == 0) {
		if (!parse_time_after(w, i, "to", true, &f->to, error))
			return -1;
		to_text = w[i + 1];
		i += 2;
	}
	if (to_text && f->to <= f->from)
		return fail(error, "the window from %s to %s is empty: 'to' must come after 'from'", from_text,
		            to_text), -1;
	if (w[i] && strcmp(w[i], "from") == 0)
		return fail(error, to_text ? "'from TIME' goes before 'to TIME'" : "'from' twice"), -1;
	return i;
}

/* kill ENDPOINT at TIME */
static bool parse_kill(char **w, struct fault *f, char **error)
{
	if (!w[1] || (strcmp(w[1], "client") != 0 && strcmp(w[1], "server") != 0))
		return fail(error, "expected client or server (whose connections to kill), not '%s'",
		            shown(w[1]));
	f->sender = strcmp(w[1], "server") == 0;
	if (!w[2] || strcmp(w[2], "at") != 0)
		return fail(error, "kill needs 'at TIME' after the endpoint, not '%s'", shown(w[2]));
	if (!parse_time_after(w, 2, "at", true, &f->at, error))
		return false;
	f->to = SIM_NEVER; /* no window: a kill matches no segment anyway */
	if (w[4])
		return fail(error, "unexpected '%s' at the end", w[4]);
	return true;
}

static bool parse_words(char **w, struct fault *f, char **error)
{
	int a = w[0] ? lookup_action(w[0]) : -1;
	if (a < 0)
		return fail(error, "expected drop, delay, duplicate or kill, not '%s'", shown(w[0]));
	f->action = (enum fault_action)a;
	if (f->action == FAULT_KILL)
		return parse_kill(w, f, error);
	int i = parse_which(w, 1, f, error);
	if (i < 0)
		return false;
	if (!w[i] || (strcmp(w[i], "client") != 0 && strcmp(w[i], "server") != 0))
		return fail(error, "expected client or server (the sender), not '%s'", shown(w[i]));
	f->sender = strcmp(w[i++], "server") == 0;
	int k = w[i] ? lookup_kind(w[i]) : -1;
	if (k < 0)
		return fail(error, "expected syn, syn-ack, ack, ack-of-fin, data, fin, rst or any, not '%s'",
		            shown(w[i]));
	f->kind = (enum fault_kind)k;
	i++;
	if (f->action == FAULT_DELAY) {
		if (w[i] && strcmp(w[i], "by") != 0)
			return fail(error, "delay needs 'by DURATION' after the kind, not '%s'", w[i]);
		if (!w[i] || !w[i + 1])
			return fail(error, "delay needs 'by DURATION' at the end");
		if (!parse_time_after(w, i, "by", false, &f->delay, error))
			return false;
		i += 2;
	}
	i = parse_window(w, i, f, error);
	if (i < 0)
		return false;
	if (w[i] && strcmp(w[i], "by") == 0)
		return fail(error, f->action == FAULT_DELAY ? "'by' twice" : "'by DURATION' goes only with delay");
	if (w[i])
		return fail(error, "unexpected '%s' at the end", w[i]);
	return true;
}

bool fault_parse(const char *text, struct fault *out, char **error)
{
	memset(out, 0, sizeof *out);
	char **w = g_strsplit_set(text, " \t", -1);
	/* drop the empty words between repeated blanks */
	int n = 0;
	for (int i = 0; w[i]; i++) {
		if (*w[i])
			w[n++] = w[i];
		else
			g_free(w[i]);
	}
	w[n] = NULL;
	bool ok = parse_words(w, out, error);
	g_strfreev(w);
	return ok;
}

