/*
 * Fuzz target: what a resumed sweep reads back from its folder.
 *
 * The bytes up to the first NUL are a sweep.meta, given to meta_read()
 * (sim/sweep/sweep_meta.h), as a resume (check_meta) and a merge (check_shards)
 * read it; the bytes after it are a runs.csv, whose lines go to
 * csv_row_index() (how a resume finds the index of the last complete row)
 * and csv_split() (how the summary and the merge split a row).
 *
 * Guarantees:
 *  - meta_read: success gives every field (overrides and params lists,
 *    possibly empty; at least one metric; runs >= 1; total == points *
 *    runs; 1 <= shard_k <= shard_n) and no error; failure gives a
 *    SWEEP_ERROR_USAGE error starting with the path, one line, clean
 *    (fuzz_check_message), and a cleared struct;
 *  - csv_row_index: true exactly when the line starts with a decimal number
 *    that fits in 64 bits followed by ',', '\n' or the end, and gives it;
 *  - csv_split: a line without '"' splits at every comma; any accepted line
 *    gives fields that csv_field() writes back into a line that splits into
 *    the same fields (the writer and the reader agree).
 */
#include "tests/fuzz/fuzz.h"

#include <string.h>
#include "sim/sweep/sweep_csv.h"
#include "sim/sweep/sweep_meta.h"

static void check_meta(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(0, data, size);
	struct sweep_meta m;
	GError *error = NULL;

	if (meta_read(&m, path, &error)) {
		FUZZ_CHECK(error == NULL, "success without an error");
		FUZZ_CHECK(m.config && m.fingerprint && m.overrides && m.params, "every field read");
		FUZZ_CHECK(m.metrics && m.metrics[0], "at least one metric");
		FUZZ_CHECK(m.runs >= 1 && m.total == m.points * m.runs, "runs >= 1, total = points * runs");
		FUZZ_CHECK(m.shard_k >= 1 && m.shard_k <= m.shard_n, "1 <= K <= N");
		meta_clear(&m);
		FUZZ_CHECK(fuzz_all_zero(&m, sizeof m), "meta_clear clears");
		return;
	}
	FUZZ_CHECK(error && error->domain == SWEEP_ERROR && error->code == SWEEP_ERROR_USAGE,
	           "a failure is a usage error");
	FUZZ_CHECK(g_str_has_prefix(error->message, path), "the message names the file");
	fuzz_check_message(error->message);
	FUZZ_CHECK(fuzz_all_zero(&m, sizeof m), "a failed read leaves the struct cleared");
	g_error_free(error);
}

/* The index csv_row_index must find, by another way. */
static bool expect_index(const char *line, uint64_t *v)
{
	const char *end = line;

	while (g_ascii_isdigit(*end))
		end++;
	if (end == line || (*end && *end != ',' && *end != '\n'))
		return false;
	*v = 0;
	for (const char *p = line; p < end; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (*v > (UINT64_MAX - d) / 10)
			return false; /* does not fit (the reader may refuse a little earlier) */
		*v = *v * 10 + d;
	}
	return true;
}

static void check_index(const char *line)
{
	uint64_t got = 0, want = 0;
	bool ok = csv_row_index(line, &got);
	bool fits = expect_index(line, &want);

	FUZZ_CHECK(!ok || (fits && got == want), "csv_row_index gives the row's leading number");
	/* the reader refuses numbers above (UINT64_MAX - 9) / 10 * 10 + 9 it
	 * cannot tell from an overflow cheaply: only those may differ */
	FUZZ_CHECK(ok || !fits || want > (UINT64_MAX - 9) / 10, "csv_row_index accepts a row index");
}

static char **split(const char *line, bool *ok)
{
	char *copy = g_strdup(line);
	GPtrArray *fields = g_ptr_array_new();

	*ok = csv_split(copy, fields);
	GPtrArray *out = g_ptr_array_new();
	for (guint i = 0; i < fields->len; i++) {
		const char *f = g_ptr_array_index(fields, i);
		FUZZ_CHECK(f >= copy && f <= copy + strlen(line), "fields point into the line");
		g_ptr_array_add(out, g_strdup(f));
	}
	g_ptr_array_add(out, NULL);
	g_ptr_array_free(fields, TRUE);
	g_free(copy);
	return (char **)g_ptr_array_free(out, FALSE);
}

static void check_split(const char *line)
{
	bool ok;
	char **fields = split(line, &ok);

	if (!strchr(line, '"')) {
		char **want = g_strsplit(line, ",", -1);
		FUZZ_CHECK(ok, "a line without quotes splits");
		FUZZ_CHECK(g_strv_length(fields) == MAX(1u, g_strv_length(want)), "one field per comma");
		for (guint i = 0; want[i]; i++)
			FUZZ_CHECK(strcmp(fields[i], want[i]) == 0, "the fields between the commas");
		g_strfreev(want);
	}
	if (ok) {
		GString *row = g_string_new(NULL);
		for (guint i = 0; fields[i]; i++) {
			if (i)
				g_string_append_c(row, ',');
			csv_field(row, fields[i]);
		}
		bool again;
		char **back = split(row->str, &again);
		FUZZ_CHECK(again, "what csv_field writes, csv_split reads");
		FUZZ_CHECK(g_strv_length(back) == g_strv_length(fields), "as many fields back");
		for (guint i = 0; fields[i] && back[i]; i++)
			FUZZ_CHECK(strcmp(fields[i], back[i]) == 0, "the same fields back");
		g_strfreev(back);
		g_string_free(row, TRUE);
	}
	g_strfreev(fields);
}

int fuzz_meta_one(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t meta_len = nul ? (size_t)(nul - data) : size;

	check_meta(data, meta_len);
	if (!nul)
		return 0;
	char *runs = g_strndup((const char *)nul + 1, size - meta_len - 1); /* to the next NUL */
	char **lines = g_strsplit(runs, "\n", 64);
	for (char **l = lines; *l; l++) {
		check_index(*l);
		check_split(*l);
	}
	g_strfreev(lines);
	g_free(runs);
	return 0;
}

FUZZ_ENTRY_POINTS(fuzz_meta_one)
