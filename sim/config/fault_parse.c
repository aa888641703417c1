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
	for (int i = FAULT_DROP; i <= FAULT_DUPLICATE; i++)
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

/* WHICH: sets first/last and returns the index of the next word. */
static int parse_which(char **w, int i, struct fault *f, char **error)
{
	if (!w[i])
		return fail(error, "expected which segment (1st, first 3, all) after the action"), -1;
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
	uint64_t n = ordinal(w[i]);
	if (!n)
		return fail(error, "expected 1st, 2nd, 3rd, Nth, 'first N' or 'all', not '%s'", w[i]), -1;
	f->first = f->last = n;
	return i + 1;
}

static bool parse_words(char **w, struct fault *f, char **error)
{
	int a = w[0] ? lookup_action(w[0]) : -1;
	if (a < 0)
		return fail(error, "expected drop, delay or duplicate, not '%s'", shown(w[0]));
	f->action = (enum fault_action)a;
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
		const char *why = NULL;
		if (!w[i] || strcmp(w[i], "by") != 0 || !w[i + 1])
			return fail(error, "delay needs 'by DURATION' at the end");
		if (!units_parse_duration(w[i + 1], &f->delay, &why) || f->delay == 0)
			return fail(error, "expected a duration above 0 after 'by', not '%s'", w[i + 1]);
		i += 2;
	}
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

