/*
 * RFC 4180 fields (quoting on output, splitting on input) and summary.csv
 * from runs.csv (see sweep_csv.h).
 */
#include "sim/sweep_csv.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim/metrics.h"
#include "sim/sweep_stats.h"

void csv_field(GString *row, const char *text)
{
	if (!strpbrk(text, ",\"\r\n")) {
		g_string_append(row, text);
		return;
	}
	g_string_append_c(row, '"');
	for (const char *p = text; *p; p++) {
		if (*p == '"')
			g_string_append_c(row, '"');
		g_string_append_c(row, *p);
	}
	g_string_append_c(row, '"');
}

void csv_number(GString *row, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	if (isnan(v))
		return;
	g_string_append(row, g_ascii_formatd(buf, sizeof buf, "%.9g", v == 0 ? 0 : v)); /* no -0 */
}

/* Unquotes the field whose opening quote is at *p, writing it from *p on
 * (it only gets shorter); returns the position after the closing quote,
 * or NULL. */
static char *unquote_field(char *p)
{
	char *out = p;
	for (p++;; p++) {
		if (!*p)
			return NULL;
		if (*p == '"') {
			if (p[1] != '"') {
				*out = '\0';
				return p + 1;
			}
			p++;
		}
		*out++ = *p;
	}
}

bool csv_split(char *line, GPtrArray *fields)
{
	char *p = line;

	for (;;) {
		char *start = p;
		if (*p == '"') {
			p = unquote_field(p);
			if (!p || (*p && *p != ','))
				return false;
		} else {
			p = strchrnul(p, ','); /* one byte to find: faster than strcspn */
		}
		g_ptr_array_add(fields, start);
		if (!*p)
			break;
		*p++ = '\0'; /* the comma */
	}
	return true;
}

GQuark sweep_error_quark(void)
{
	return g_quark_from_static_string("tcpsim-sweep-error-quark");
}

bool csv_row_index(const char *line, uint64_t *index)
{
	uint64_t v = 0;
	const char *p = line;

	if (!g_ascii_isdigit(*p))
		return false;
	for (; g_ascii_isdigit(*p); p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*index = v;
	return *p == ',' || *p == '\0' || *p == '\n';
}

/* ---- summary.csv ---- */

/* A metric column of runs.csv. */
struct column {
	const struct metric_def *m;
	GPtrArray *values;     /* category: the values seen in the sweep, sorted */
	GHashTable *seen;      /* category: the set of values (pass 1) */
	GArray *nums;          /* number: the point's values */
	uint64_t *counts;      /* category: the point's runs with each value */
	uint64_t n;            /* the point's runs where it is not missing */
};

struct summary {
	const char *path;      /* runs.csv */
	FILE *in;
	char *line;            /* the current line, without '\n' */
	size_t cap;
	uint64_t lineno;
	GPtrArray *fields;     /* of the current line */
	uint32_t n_params, n_metrics;
	struct column *cols;   /* n_metrics */
	GPtrArray *param_names; /* from the header */
	char *point;           /* the point being summed, NULL before the first row */
	GPtrArray *params;     /* its parameter values */
	GString *row;          /* the output row */
	FILE *out;
	GError **error;
};

static bool summary_fail(struct summary *s, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static bool summary_fail(struct summary *s, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(s->error, SWEEP_ERROR, code, "%s:%llu: %s", s->path, (unsigned long long)s->lineno, msg);
	g_free(msg);
	return false;
}

/* The next line split into s->fields; false at the end or on an error
 * (*s->error set). */
static bool next_row(struct summary *s)
{
	ssize_t n = getline(&s->line, &s->cap, s->in);

	if (n < 0) {
		if (ferror(s->in))
			g_set_error(s->error, SWEEP_ERROR, SWEEP_ERROR_IO, "%s: cannot read: %s", s->path,
			            g_strerror(errno));
		return false;
	}
	s->lineno++;
	if (s->line[n - 1] != '\n')
		return summary_fail(s, SWEEP_ERROR_USAGE, "the last line is cut short");
	s->line[n - 1] = '\0';
	g_ptr_array_set_size(s->fields, 0);
	if (!csv_split(s->line, s->fields))
		return summary_fail(s, SWEEP_ERROR_USAGE, "a quoted field is not closed");
	if (s->fields->len != 4 + s->n_params + s->n_metrics)
		return summary_fail(s, SWEEP_ERROR_USAGE, "%u fields, expected %u", s->fields->len,
		                    4 + s->n_params + s->n_metrics);
	return true;
}

static const char *field(const struct summary *s, guint i)
{
	return g_ptr_array_index(s->fields, i);
}

/* The header: index,point,run,seed, the parameters, then metric names. */
static bool read_header(struct summary *s)
{
	static const char *const fixed[] = {"index", "point", "run", "seed"};
	ssize_t n = getline(&s->line, &s->cap, s->in);

	s->lineno = 1;
	if (n <= 0 || s->line[n - 1] != '\n')
		return summary_fail(s, SWEEP_ERROR_USAGE, "expected a header line");
	s->line[n - 1] = '\0';
	g_ptr_array_set_size(s->fields, 0);
	bool ok = csv_split(s->line, s->fields) && s->fields->len > 4 + s->n_params;
	for (guint i = 0; ok && i < 4; i++)
		ok = strcmp(field(s, i), fixed[i]) == 0;
	if (!ok)
		return summary_fail(s, SWEEP_ERROR_USAGE, "expected a header index,point,run,seed,...");
	s->n_metrics = s->fields->len - 4 - s->n_params;
	for (uint32_t i = 0; i < s->n_params; i++)
		g_ptr_array_add(s->param_names, g_strdup(field(s, 4 + i)));
	s->cols = g_new0(struct column, s->n_metrics);
	for (uint32_t j = 0; j < s->n_metrics; j++) {
		struct column *c = &s->cols[j];
		c->m = metric_find(field(s, 4 + s->n_params + j));
		if (!c->m)
			return summary_fail(s, SWEEP_ERROR_USAGE, "column %s is not a metric",
			                    field(s, 4 + s->n_params + j));
		c->values = g_ptr_array_new_with_free_func(g_free);
		c->seen = g_hash_table_new(g_str_hash, g_str_equal);
		c->nums = g_array_new(FALSE, FALSE, sizeof(double));
	}
	return true;
}

static gint compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Pass 1: the values each category metric takes anywhere. */
static bool collect_categories(struct summary *s)
{
	while (next_row(s))
		for (uint32_t j = 0; j < s->n_metrics; j++) {
			struct column *c = &s->cols[j];
			const char *v = field(s, 4 + s->n_params + j);
			if (metric_kind(c->m) == METRIC_CATEGORY && *v && !g_hash_table_contains(c->seen, v)) {
				char *copy = g_strdup(v);
				g_ptr_array_add(c->values, copy);
				g_hash_table_add(c->seen, copy);
			}
		}
	if (*s->error)
		return false;
	for (uint32_t j = 0; j < s->n_metrics; j++) {
		struct column *c = &s->cols[j];
		g_ptr_array_sort(c->values, compare_strings);
		c->counts = g_new0(uint64_t, c->values->len + 1);
	}
	return true;
}

static void write_summary_header(struct summary *s)
{
	static const char *const num[] = {"n", "mean", "sd", "median", "ci_low", "ci_high"};
	static const char *const share[] = {"share", "ci_low", "ci_high"};
	GString *h = s->row;

	g_string_assign(h, "point");
	for (uint32_t i = 0; i < s->n_params; i++) {
		g_string_append_c(h, ',');
		csv_field(h, g_ptr_array_index(s->param_names, i));
	}
	for (uint32_t j = 0; j < s->n_metrics; j++) {
		const struct column *c = &s->cols[j];
		const char *name = metric_name(c->m);
		if (metric_kind(c->m) == METRIC_NUMBER) {
			for (size_t k = 0; k < G_N_ELEMENTS(num); k++)
				g_string_append_printf(h, ",%s.%s", name, num[k]);
			continue;
		}
		g_string_append_printf(h, ",%s.n", name);
		for (guint i = 0; i < c->values->len; i++)
			for (size_t k = 0; k < G_N_ELEMENTS(share); k++) {
				char *col = g_strdup_printf("%s=%s.%s", name, (char *)g_ptr_array_index(c->values, i),
				                            share[k]);
				g_string_append_c(h, ',');
				csv_field(h, col);
				g_free(col);
			}
	}
	g_string_append_c(h, '\n');
	fputs(h->str, s->out);
}

static void add_row(struct summary *s)
{
	for (uint32_t j = 0; j < s->n_metrics; j++) {
		struct column *c = &s->cols[j];
		const char *v = field(s, 4 + s->n_params + j);
		if (!*v)
			continue;
		c->n++;
		if (metric_kind(c->m) == METRIC_NUMBER) {
			double x = g_ascii_strtod(v, NULL);
			g_array_append_val(c->nums, x);
		} else {
			/* pass 1 saw every value: it is in the sorted list */
			char *const *at = bsearch(&v, c->values->pdata, c->values->len, sizeof(char *), compare_strings);
			g_assert(at);
			c->counts[at - (char *const *)c->values->pdata]++;
		}
	}
}

/* Writes the point's row and clears its sums. */
static void flush_point(struct summary *s)
{
	GString *r = s->row;

	g_string_assign(r, s->point);
	for (guint i = 0; i < s->params->len; i++) {
		g_string_append_c(r, ',');
		csv_field(r, g_ptr_array_index(s->params, i));
	}
	for (uint32_t j = 0; j < s->n_metrics; j++) {
		struct column *c = &s->cols[j];
		if (metric_kind(c->m) == METRIC_NUMBER) {
			struct sweep_num_stats st;
			sweep_stats_numbers((double *)(void *)c->nums->data, c->nums->len, &st);
			const double v[] = {st.mean, st.sd, st.median, st.ci_low, st.ci_high};
			g_string_append_printf(r, ",%llu", (unsigned long long)st.n);
			for (size_t k = 0; k < G_N_ELEMENTS(v); k++) {
				g_string_append_c(r, ',');
				csv_number(r, v[k]);
			}
			g_array_set_size(c->nums, 0);
		} else {
			g_string_append_printf(r, ",%llu", (unsigned long long)c->n);
			for (guint i = 0; i < c->values->len; i++) {
				double share, lo, hi;
				sweep_stats_share(c->counts[i], c->n, &share, &lo, &hi);
				const double v[] = {share, lo, hi};
				for (size_t k = 0; k < G_N_ELEMENTS(v); k++) {
					g_string_append_c(r, ',');
					csv_number(r, v[k]);
				}
				c->counts[i] = 0;
			}
		}
		c->n = 0;
	}
	g_string_append_c(r, '\n');
	fputs(r->str, s->out);
}

/* Pass 2: the statistics, one point at a time. */
static bool summarise_points(struct summary *s)
{
	while (next_row(s)) {
		const char *point = field(s, 1);
		if (s->point && strcmp(point, s->point) != 0) {
			flush_point(s);
			g_clear_pointer(&s->point, g_free);
		}
		if (!s->point) {
			s->point = g_strdup(point);
			g_ptr_array_set_size(s->params, 0);
			for (uint32_t i = 0; i < s->n_params; i++)
				g_ptr_array_add(s->params, g_strdup(field(s, 4 + i)));
		}
		add_row(s);
	}
	if (*s->error)
		return false;
	if (s->point)
		flush_point(s);
	return true;
}

static bool summarise(struct summary *s, const char *tmp)
{
	if (!read_header(s) || !collect_categories(s))
		return false;
	s->out = fopen(tmp, "w");
	if (!s->out) {
		g_set_error(s->error, SWEEP_ERROR, SWEEP_ERROR_IO, "%s: cannot create: %s", tmp, g_strerror(errno));
		return false;
	}
	write_summary_header(s);
	if (fseek(s->in, 0, SEEK_SET) != 0 || getline(&s->line, &s->cap, s->in) < 0) {
		g_set_error(s->error, SWEEP_ERROR, SWEEP_ERROR_IO, "%s: cannot read: %s", s->path, g_strerror(errno));
		return false;
	}
	s->lineno = 1;
	bool ok = summarise_points(s);
	bool written = !ferror(s->out);
	if (fclose(s->out) != 0)
		written = false;
	s->out = NULL;
	if (ok && !written)
		g_set_error(s->error, SWEEP_ERROR, SWEEP_ERROR_IO, "%s: cannot write: %s", tmp, g_strerror(errno));
	return ok && written;
}

bool sweep_summary_write(const char *runs_path, const char *summary_path, uint32_t n_params,
                         GError **error)
{
	GError *local = NULL;
	struct summary s = {
		.path = runs_path,
		.fields = g_ptr_array_new(), /* pointers into line */
		.n_params = n_params,
		.params = g_ptr_array_new_with_free_func(g_free),
		.param_names = g_ptr_array_new_with_free_func(g_free),
		.row = g_string_new(NULL),
		.error = &local,
	};
	char *tmp = g_strconcat(summary_path, ".tmp", NULL);
	bool ok;

	s.in = fopen(runs_path, "r");
	if (!s.in) {
		g_set_error(&local, SWEEP_ERROR, SWEEP_ERROR_IO, "%s: cannot read: %s", runs_path, g_strerror(errno));
		ok = false;
	} else {
		ok = summarise(&s, tmp);
		fclose(s.in);
	}
	if (ok && rename(tmp, summary_path) != 0) {
		g_set_error(&local, SWEEP_ERROR, SWEEP_ERROR_IO, "%s: cannot rename to %s: %s", tmp, summary_path,
		            g_strerror(errno));
		ok = false;
	}
	if (!ok)
		remove(tmp);
	for (uint32_t j = 0; s.cols && j < s.n_metrics; j++) {
		g_ptr_array_free(s.cols[j].values, TRUE);
		g_hash_table_destroy(s.cols[j].seen);
		g_array_free(s.cols[j].nums, TRUE);
		g_free(s.cols[j].counts);
	}
	g_free(s.cols);
	g_free(s.line);
	g_free(s.point);
	g_ptr_array_free(s.fields, TRUE);
	g_ptr_array_free(s.params, TRUE);
	g_ptr_array_free(s.param_names, TRUE);
	g_string_free(s.row, TRUE);
	g_free(tmp);
	if (local)
		g_propagate_error(error, local);
	return ok;
}
