/*
 * summary.csv from the rows of runs.csv, taken as they come (see
 * sweep_summary.h).
 *
 * Model: a category metric's values get ids in the order they are first
 * seen; a point's counts are kept by id.  The header needs every value,
 * sorted, so nothing is written until the end: a finished point keeps its
 * row's cells, its number statistics and its category counts, and
 * sweep_summary_save() writes the rows with the ids put in sorted order.
 */
#include "sim/sweep/sweep_summary.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "sim/config/config.h"
#include "sim/sweep/metrics.h"
#include "sim/sweep/sweep_csv.h"
#include "sim/sweep/sweep_stats.h"
#include "sim/escape.h"

/* A metric column of runs.csv. */
struct column {
	const struct metric_def *m;
	bool category;
	GPtrArray *values;     /* category: by id, in the order first seen */
	GHashTable *ids;       /* category: value -> id + 1 */
	GArray *nums;          /* number: the current point's values */
	GArray *counts;        /* category: the current point's runs per id (uint64_t) */
	uint64_t n;            /* the current point's runs where it is not missing */
};

/* A finished point: what its row of summary.csv needs. */
struct point_row {
	char *cells;           /* the point and its parameters, as CSV cells */
	struct sweep_num_stats *num;  /* per metric (number metrics only) */
	uint64_t *n;           /* per metric: runs where it is not missing */
	uint64_t **counts;     /* per metric (category): runs per id */
	guint *n_counts;       /* per metric: ids known when the point ended */
};

struct sweep_summary {
	char *path;            /* runs.csv, for messages */
	uint64_t lineno;       /* of the last line taken */
	uint32_t n_params, n_metrics;
	bool have_header;
	struct column *cols;   /* n_metrics */
	GPtrArray *param_names;
	GPtrArray *fields;     /* of the current line: pointers into it */
	char *point;           /* the point being summed, NULL before the first row */
	GString *cells;        /* its row's first cells */
	GPtrArray *rows;       /* struct point_row *, finished points in order */
	GString *out;          /* the line being written */
};

static bool fail(struct sweep_summary *s, GError **error, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static bool fail(struct sweep_summary *s, GError **error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	char *shown = escape_text(msg); /* fields of runs.csv may hold anything */
	g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_USAGE, "%s:%llu: %s", s->path,
	            (unsigned long long)s->lineno, shown);
	g_free(shown);
	g_free(msg);
	return false;
}

static const char *field(const struct sweep_summary *s, guint i)
{
	return g_ptr_array_index(s->fields, i);
}

struct sweep_summary *sweep_summary_new(const char *runs_path, uint32_t n_params)
{
	struct sweep_summary *s = g_new0(struct sweep_summary, 1);

	s->path = g_strdup(runs_path);
	s->n_params = n_params;
	s->param_names = g_ptr_array_new_with_free_func(g_free);
	s->fields = g_ptr_array_new();
	s->cells = g_string_new(NULL);
	s->rows = g_ptr_array_new();
	s->out = g_string_new(NULL);
	return s;
}

static void point_row_free(struct point_row *r, uint32_t n_metrics)
{
	for (uint32_t j = 0; j < n_metrics; j++)
		g_free(r->counts[j]);
	g_free(r->counts);
	g_free(r->n_counts);
	g_free(r->n);
	g_free(r->num);
	g_free(r->cells);
	g_free(r);
}

void sweep_summary_free(struct sweep_summary *s)
{
	if (!s)
		return;
	for (guint i = 0; i < s->rows->len; i++)
		point_row_free(g_ptr_array_index(s->rows, i), s->n_metrics);
	for (uint32_t j = 0; s->cols && j < s->n_metrics; j++) {
		struct column *c = &s->cols[j];
		g_ptr_array_free(c->values, TRUE);
		g_hash_table_destroy(c->ids);
		g_array_free(c->nums, TRUE);
		g_array_free(c->counts, TRUE);
	}
	g_free(s->cols);
	g_ptr_array_free(s->rows, TRUE);
	g_ptr_array_free(s->param_names, TRUE);
	g_ptr_array_free(s->fields, TRUE);
	g_string_free(s->cells, TRUE);
	g_string_free(s->out, TRUE);
	g_free(s->point);
	g_free(s->path);
	g_free(s);
}

/* Splits one line (its '\n' already cut) into s->fields. */
static bool split(struct sweep_summary *s, char *line, GError **error)
{
	g_ptr_array_set_size(s->fields, 0);
	if (!csv_split(line, s->fields))
		return fail(s, error, "a quoted field is not closed");
	return true;
}

/* The header: index,point,run,seed, the parameters, then metric names. */
static bool take_header(struct sweep_summary *s, char *line, GError **error)
{
	static const char *const fixed[] = {"index", "point", "run", "seed"};

	if (!split(s, line, error))
		return false;
	bool ok = s->fields->len > 4 + s->n_params;
	for (guint i = 0; ok && i < 4; i++)
		ok = strcmp(field(s, i), fixed[i]) == 0;
	if (!ok)
		return fail(s, error, "expected a header index,point,run,seed,...");
	s->n_metrics = s->fields->len - 4 - s->n_params;
	for (uint32_t i = 0; i < s->n_params; i++)
		g_ptr_array_add(s->param_names, g_strdup(field(s, 4 + i)));
	s->cols = g_new0(struct column, s->n_metrics);
	for (uint32_t j = 0; j < s->n_metrics; j++) {
		struct column *c = &s->cols[j];
		c->values = g_ptr_array_new_with_free_func(g_free);
		c->ids = g_hash_table_new(g_str_hash, g_str_equal); /* keys: the strings of values */
		c->nums = g_array_new(FALSE, FALSE, sizeof(double));
		c->counts = g_array_new(FALSE, TRUE, sizeof(uint64_t));
	}
	for (uint32_t j = 0; j < s->n_metrics; j++) {
		struct column *c = &s->cols[j];
		c->m = metric_find(field(s, 4 + s->n_params + j));
		if (!c->m)
			return fail(s, error, "column %s is not a metric", field(s, 4 + s->n_params + j));
		c->category = metric_kind(c->m) == METRIC_CATEGORY;
	}
	s->have_header = true;
	return true;
}

/* The id of a category value, given one on first sight. */
static guint value_id(struct column *c, const char *v)
{
	gpointer id = g_hash_table_lookup(c->ids, v);

	if (id)
		return GPOINTER_TO_UINT(id) - 1;
	char *copy = g_strdup(v);
	g_ptr_array_add(c->values, copy);
	g_hash_table_insert(c->ids, copy, GUINT_TO_POINTER(c->values->len));
	g_array_set_size(c->counts, c->values->len); /* zeroed */
	return c->values->len - 1;
}

/* The current point is complete: keep what its row needs, clear its sums. */
static void finish_point(struct sweep_summary *s)
{
	struct point_row *r = g_new0(struct point_row, 1);

	r->cells = g_strdup(s->cells->str);
	r->num = g_new0(struct sweep_num_stats, s->n_metrics);
	r->n = g_new0(uint64_t, s->n_metrics);
	r->counts = g_new0(uint64_t *, s->n_metrics);
	r->n_counts = g_new0(guint, s->n_metrics);
	for (uint32_t j = 0; j < s->n_metrics; j++) {
		struct column *c = &s->cols[j];
		r->n[j] = c->n;
		if (c->category) {
			/* none yet when the metric was missing in every run so far */
			r->n_counts[j] = c->counts->len;
			if (c->counts->len > 0) {
				r->counts[j] = g_memdup2(c->counts->data, c->counts->len * sizeof(uint64_t));
				memset(c->counts->data, 0, c->counts->len * sizeof(uint64_t));
			}
		} else {
			sweep_stats_numbers((double *)(void *)c->nums->data, c->nums->len, &r->num[j]);
			g_array_set_size(c->nums, 0);
		}
		c->n = 0;
	}
	g_ptr_array_add(s->rows, r);
	g_clear_pointer(&s->point, g_free);
}

static void start_point(struct sweep_summary *s)
{
	s->point = g_strdup(field(s, 1));
	g_string_assign(s->cells, s->point);
	for (uint32_t i = 0; i < s->n_params; i++) {
		g_string_append_c(s->cells, ',');
		csv_field(s->cells, field(s, 4 + i));
	}
}

static bool take_row(struct sweep_summary *s, char *line, GError **error)
{
	if (!split(s, line, error))
		return false;
	if (s->fields->len != 4 + s->n_params + s->n_metrics)
		return fail(s, error, "%u fields, expected %u", s->fields->len, 4 + s->n_params + s->n_metrics);
	if (s->point && strcmp(field(s, 1), s->point) != 0)
		finish_point(s);
	if (!s->point)
		start_point(s);
	for (uint32_t j = 0; j < s->n_metrics; j++) {
		struct column *c = &s->cols[j];
		const char *v = field(s, 4 + s->n_params + j);
		if (!*v)
			continue;
		c->n++;
		if (c->category) {
			guint id = value_id(c, v);
			g_array_index(c->counts, uint64_t, id)++;
		} else {
			double x = g_ascii_strtod(v, NULL);
			g_array_append_val(c->nums, x);
		}
	}
	return true;
}

bool sweep_summary_add(struct sweep_summary *s, char *text, size_t len, GError **error)
{
	char *end = text + len;

	while (text < end) {
		char *nl = memchr(text, '\n', (size_t)(end - text));
		s->lineno++;
		if (!nl)
			return fail(s, error, s->have_header ? "the last line is cut short" : "expected a header line");
		*nl = '\0';
		if (!(s->have_header ? take_row(s, text, error) : take_header(s, text, error)))
			return false;
		text = nl + 1;
	}
	return true;
}

bool sweep_summary_add_file(struct sweep_summary *s, FILE *in, GError **error)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	bool ok = true;

	while (ok && (n = getline(&line, &cap, in)) > 0)
		ok = sweep_summary_add(s, line, (size_t)n, error);
	if (ok && ferror(in)) {
		g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_IO, "%s: cannot read: %s", s->path, g_strerror(errno));
		ok = false;
	}
	g_free(line);
	return ok;
}

/* ---- writing ---- */

static gint compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Per category metric, its ids in the order of their sorted values (NULL
 * for a number metric). */
static guint **sorted_ids(const struct sweep_summary *s)
{
	guint **order = g_new0(guint *, s->n_metrics);

	for (uint32_t j = 0; j < s->n_metrics; j++) {
		const struct column *c = &s->cols[j];
		if (!c->category)
			continue;
		char **v = g_memdup2(c->values->pdata, c->values->len * sizeof(char *));
		if (c->values->len > 1) /* none: a metric missing in every run */
			qsort(v, c->values->len, sizeof(char *), compare_strings);
		order[j] = g_new(guint, c->values->len + 1);
		for (guint i = 0; i < c->values->len; i++)
			order[j][i] = GPOINTER_TO_UINT(g_hash_table_lookup(c->ids, v[i])) - 1;
		g_free(v);
	}
	return order;
}

static void write_header(struct sweep_summary *s, guint *const *order, FILE *out)
{
	static const char *const num[] = {"n", "mean", "sd", "median", "ci_low", "ci_high", "p10", "p50", "p90", "max"};
	static const char *const share[] = {"share", "ci_low", "ci_high"};
	GString *h = s->out;

	g_string_assign(h, "point");
	for (uint32_t i = 0; i < s->n_params; i++) {
		g_string_append_c(h, ',');
		csv_field(h, g_ptr_array_index(s->param_names, i));
	}
	for (uint32_t j = 0; j < s->n_metrics; j++) {
		const struct column *c = &s->cols[j];
		const char *name = metric_name(c->m);
		if (!c->category) {
			for (size_t k = 0; k < G_N_ELEMENTS(num); k++)
				g_string_append_printf(h, ",%s.%s", name, num[k]);
			continue;
		}
		g_string_append_printf(h, ",%s.n", name);
		for (guint i = 0; i < c->values->len; i++)
			for (size_t k = 0; k < G_N_ELEMENTS(share); k++) {
				char *col = g_strdup_printf("%s=%s.%s", name,
				                            (char *)g_ptr_array_index(c->values, order[j][i]), share[k]);
				g_string_append_c(h, ',');
				csv_field(h, col);
				g_free(col);
			}
	}
	g_string_append_c(h, '\n');
	fputs(h->str, out);
}

static void append_numbers(GString *r, const double *v, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		g_string_append_c(r, ',');
		csv_number(r, v[k]);
	}
}

static void write_point(struct sweep_summary *s, const struct point_row *p, guint *const *order, FILE *out)
{
	GString *r = s->out;

	g_string_assign(r, p->cells);
	for (uint32_t j = 0; j < s->n_metrics; j++) {
		const struct column *c = &s->cols[j];
		if (!c->category) {
			const struct sweep_num_stats *st = &p->num[j];
			const double v[] = {st->mean, st->sd,  st->median, st->ci_low, st->ci_high,
			                    st->p10,  st->p50, st->p90,    st->max};
			g_string_append_printf(r, ",%llu", (unsigned long long)st->n);
			append_numbers(r, v, G_N_ELEMENTS(v));
			continue;
		}
		g_string_append_printf(r, ",%llu", (unsigned long long)p->n[j]);
		for (guint i = 0; i < c->values->len; i++) {
			guint id = order[j][i];
			uint64_t k = id < p->n_counts[j] ? p->counts[j][id] : 0; /* a value first seen later */
			double v[3];
			sweep_stats_share(k, p->n[j], &v[0], &v[1], &v[2]);
			append_numbers(r, v, G_N_ELEMENTS(v));
		}
	}
	g_string_append_c(r, '\n');
	fputs(r->str, out);
}

bool sweep_summary_print(struct sweep_summary *s, FILE *out, GError **error)
{
	if (!s->have_header) {
		s->lineno = 1;
		return fail(s, error, "expected a header line");
	}
	if (s->point)
		finish_point(s);
	guint **order = sorted_ids(s);
	write_header(s, order, out);
	for (guint i = 0; i < s->rows->len; i++)
		write_point(s, g_ptr_array_index(s->rows, i), order, out);
	for (uint32_t j = 0; j < s->n_metrics; j++)
		g_free(order[j]);
	g_free(order);
	return true;
}

/* "point 6 (network.loss=0.3)": a finished point and its parameters. */
static char *point_text(const struct sweep_summary *s, const struct point_row *p)
{
	char *cells = g_strdup(p->cells);
	GPtrArray *f = g_ptr_array_new();
	GString *t = g_string_new("point ");

	csv_split(cells, f); /* written by start_point(): well formed */
	g_string_append(t, g_ptr_array_index(f, 0));
	for (guint i = 1; i < f->len && i <= s->param_names->len; i++)
		g_string_append_printf(t, "%s%s=%s", i == 1 ? " (" : ", ",
		                       (char *)g_ptr_array_index(s->param_names, i - 1),
		                       (char *)g_ptr_array_index(f, i));
	if (f->len > 1)
		g_string_append_c(t, ')');
	g_ptr_array_free(f, TRUE);
	g_free(cells);
	return g_string_free(t, FALSE);
}

/* The first row of a point where metric j has a heavy tail, and how many
 * points have one. */
static guint heavy_tails(const struct sweep_summary *s, uint32_t j, guint *first)
{
	guint count = 0;

	for (guint i = s->rows->len; i-- > 0;) {
		const struct point_row *p = g_ptr_array_index(s->rows, i);
		if (sweep_stats_heavy_tail(&p->num[j])) {
			count++;
			*first = i;
		}
	}
	return count;
}

void sweep_summary_warnings(struct sweep_summary *s, GString *out)
{
	if (!s->have_header)
		return;
	if (s->point)
		finish_point(s);
	for (uint32_t j = 0; j < s->n_metrics; j++) {
		guint first = 0, count = s->cols[j].category ? 0 : heavy_tails(s, j, &first);
		if (count == 0)
			continue;
		const struct point_row *p = g_ptr_array_index(s->rows, first);
		const char *unit = *metric_unit(s->cols[j].m) ? " s" : "";
		char *where = point_text(s, p);
		g_string_append_printf(out,
		                       "warning: %s has a heavy tail at %u of %u %s (the first: %s, max %g%s > 10 x "
		                       "p90 %g%s): a few runs make its mean and 95%% interval there; read p10, p50 "
		                       "and p90\n",
		                       metric_name(s->cols[j].m), count, s->rows->len,
		                       s->rows->len == 1 ? "point" : "points", where, p->num[j].max, unit,
		                       p->num[j].p90, unit);
		g_free(where);
	}
}

bool sweep_summary_print_titles(const struct sweep_summary *s, FILE *out)
{
	if (!s->have_header)
		return false;
	fputs("metric,title,unit\n", out);
	for (uint32_t j = 0; j < s->n_metrics; j++) {
		const struct metric_def *m = s->cols[j].m;
		fprintf(out, "%s,%s,%s\n", metric_name(m), metric_title(m), metric_unit(m));
	}
	for (uint32_t i = 0; i < s->n_params; i++) { /* the x axes' names */
		const char *name = g_ptr_array_index(s->param_names, i);
		char *title = config_param_title(name);
		fprintf(out, "%s,%s,\n", name, title ? title : name);
		g_free(title);
	}
	return true;
}

static bool write_rows(struct sweep_summary *s, const char *tmp, GError **error)
{
	FILE *out = fopen(tmp, "w");

	if (!out) {
		g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_IO, "%s: cannot create: %s", tmp, g_strerror(errno));
		return false;
	}
	bool ok = sweep_summary_print(s, out, error);
	bool written = !ferror(out);
	if (fclose(out) != 0)
		written = false;
	if (ok && !written)
		g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_IO, "%s: cannot write: %s", tmp, g_strerror(errno));
	return ok && written;
}

bool sweep_summary_save(struct sweep_summary *s, const char *summary_path, GError **error)
{
	if (!s->have_header) { /* before creating anything */
		s->lineno = 1;
		return fail(s, error, "expected a header line");
	}
	char *tmp = g_strconcat(summary_path, ".tmp", NULL);
	bool ok = write_rows(s, tmp, error);
	if (ok && rename(tmp, summary_path) != 0) {
		g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_IO, "%s: cannot rename to %s: %s", tmp, summary_path,
		            g_strerror(errno));
		ok = false;
	}
	if (!ok)
		remove(tmp);
	g_free(tmp);
	return ok;
}

bool sweep_summary_write(const char *runs_path, const char *summary_path, uint32_t n_params,
                         GError **error)
{
	FILE *in = fopen(runs_path, "r");

	if (!in) {
		g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_IO, "%s: cannot read: %s", runs_path, g_strerror(errno));
		return false;
	}
	struct sweep_summary *s = sweep_summary_new(runs_path, n_params);
	bool ok = sweep_summary_add_file(s, in, error) && sweep_summary_save(s, summary_path, error);
	fclose(in);
	sweep_summary_free(s);
	return ok;
}
