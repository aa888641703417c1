/*
 * Fuzz target: the summary of a sweep (sim/sweep/sweep_summary.h) on arbitrary
 * runs.csv text, as a resumed sweep or `tcpsim merge` would read it from a
 * file someone else may have edited.  The header takes one parameter.
 *
 * Guarantees: the text fed whole and the same text fed in two batches cut
 * at a line boundary (chosen by the first byte) are accepted or refused
 * alike, with the same message, and give the same summary.csv; a refusal
 * is a one-line message naming runs.csv and a line; an accepted text
 * gives a summary whose every line ends with '\n'.
 */
#include "tests/fuzz/fuzz.h"

#include <stdio.h>
#include <string.h>
#include "sim/sweep/sweep_csv.h"
#include "sim/sweep/sweep_summary.h"

/* Feeds text[0..size) in one batch (cut == NULL) or two, the first up to
 * cut; returns the summary text, or NULL with *error. */
static char *summarise(const char *text, size_t size, const char *cut, GError **error)
{
	char *copy = g_malloc(size + 1); /* split in place; NUL-ended for the C string functions */
	memcpy(copy, text, size);
	copy[size] = '\0';
	struct sweep_summary *s = sweep_summary_new("runs.csv", 1);
	size_t first = cut ? (size_t)(cut - text) : size;
	char *out_text = NULL;
	size_t out_len = 0;

	bool ok = sweep_summary_add(s, copy, first, error) &&
	          sweep_summary_add(s, copy + first, size - first, error);
	if (ok) {
		FILE *out = open_memstream(&out_text, &out_len);
		FUZZ_CHECK(out != NULL, "open_memstream");
		ok = sweep_summary_print(s, out, error);
		fclose(out);
		if (!ok)
			g_clear_pointer(&out_text, free);
	}
	sweep_summary_free(s);
	g_free(copy);
	return out_text;
}

static void check_refusal(const GError *e)
{
	FUZZ_CHECK(e != NULL && e->domain == SWEEP_ERROR, "a refusal sets a sweep error");
	FUZZ_CHECK(g_str_has_prefix(e->message, "runs.csv:"), "the message names runs.csv and a line");
	fuzz_check_message(e->message);
}

int fuzz_summary_one(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	GError *e1 = NULL, *e2 = NULL;

	/* the cut: after the k-th '\n', k from the first byte */
	const char *cut = text;
	for (unsigned k = size ? data[0] % 8 : 0; k > 0; k--) {
		const char *nl = memchr(cut, '\n', size - (size_t)(cut - text));
		if (!nl)
			break;
		cut = nl + 1;
	}
	char *whole = summarise(text, size, NULL, &e1);
	char *two = summarise(text, size, cut, &e2);
	FUZZ_CHECK((whole == NULL) == (two == NULL), "one batch or two: the same verdict");
	if (!whole) {
		check_refusal(e1);
		check_refusal(e2);
		FUZZ_CHECK(strcmp(e1->message, e2->message) == 0, "one batch or two: the same message");
	} else {
		FUZZ_CHECK(strcmp(whole, two) == 0, "one batch or two: the same summary");
		FUZZ_CHECK(*whole && whole[strlen(whole) - 1] == '\n', "the summary ends with a line end");
	}
	g_clear_error(&e1);
	g_clear_error(&e2);
	free(whole);
	free(two);
	return 0;
}

FUZZ_ENTRY_POINTS(fuzz_summary_one)
