/*
 * The command `tcpsim merge --out DIR SHARD_DIR...` (see sweep.h): checks
 * that the folders are the N shards of one sweep, each complete and once,
 * then writes DIR/runs.csv byte for byte as one unsharded sweep would
 * have, its sweep.meta and summary.csv.  Apart from the sweep because it
 * runs nothing: it only reads and checks the folders the sweep wrote.
 */
#include "sim/cli.h"
#include "sim/sweep/sweep.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "sim/out/outfile.h"
#include "sim/sweep/sweep_csv.h"
#include "sim/sweep/sweep_int.h"
#include "sim/sweep/sweep_meta.h"
#include "sim/sweep/sweep_summary.h"
#include "sim/plural.h"

/* A shard being merged. */
struct shard_in {
	char *dir;
	struct sweep_meta meta;
	FILE *f;            /* its runs.csv, after the header */
	long rows_start;    /* offset of its first row */
	uint64_t rows;      /* read so far */
};

struct merge {
	const char *out_dir;
	struct outdir *outdir; /* out_dir, locked while writing */
	struct shard_in *in; /* ordered by shard number */
	size_t n;
	char *header;
	GString *warnings; /* the merged summary's heavy tails, for the report */
};

static bool same_strv(char **a, char **b)
{
	size_t i = 0;

	for (; a[i] && b[i]; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return !a[i] && !b[i];
}

/* Shard `m` (of folder dir) fits the first shard read and its slot is
 * free?  Then the slot is its. */
static bool check_shard(const struct merge *mg, const struct sweep_meta *m, const struct sweep_meta *first,
                        const char *dir, const char *first_dir, GError **error)
{
	if (strcmp(m->fingerprint, first->fingerprint) != 0 || m->total != first->total ||
	    !same_strv(m->params, first->params) || !same_strv(m->metrics, first->metrics))
		return sweep_set_error(error, SWEEP_ERROR_USAGE, "%s and %s are shards of different sweeps", first_dir,
		                 dir);
	if (m->shard_n != mg->n)
		return sweep_set_error(error, SWEEP_ERROR_USAGE, "%s is shard %llu/%llu, but %zu shard folders are given",
		                 dir, (unsigned long long)m->shard_k, (unsigned long long)m->shard_n, mg->n);
	if (mg->in[m->shard_k - 1].dir)
		return sweep_set_error(error, SWEEP_ERROR_USAGE, "%s and %s are both shard %llu/%llu",
		                 mg->in[m->shard_k - 1].dir, dir, (unsigned long long)m->shard_k,
		                 (unsigned long long)m->shard_n);
	mg->in[m->shard_k - 1].dir = g_strdup(dir);
	return true;
}

/* The folders are the N shards of one sweep, each once; in[] by shard number. */
static bool check_shards(struct merge *mg, char **dirs, GError **error)
{
	struct sweep_meta *metas = g_new0(struct sweep_meta, mg->n);
	bool ok = true;

	for (size_t i = 0; ok && i < mg->n; i++) {
		char *path = g_build_filename(dirs[i], "sweep.meta", NULL);
		ok = meta_read(&metas[i], path, error);
		g_free(path);
	}
	mg->in = g_new0(struct shard_in, mg->n);
	for (size_t i = 0; ok && i < mg->n; i++)
		ok = check_shard(mg, &metas[i], &metas[0], dirs[i], dirs[0], error);
	for (size_t i = 0; ok && i < mg->n; i++) {
		mg->in[metas[i].shard_k - 1].meta = metas[i];
		memset(&metas[i], 0, sizeof metas[i]); /* moved */
	}
	for (size_t i = 0; i < mg->n; i++)
		meta_clear(&metas[i]);
	g_free(metas);
	return ok;
}

/* Opens each shard's runs.csv and checks its header. */
static bool open_shards(struct merge *mg, GError **error)
{
	mg->header = sweep_runs_header(mg->in[0].meta.params, mg->in[0].meta.metrics);
	for (size_t i = 0; i < mg->n; i++) {
		struct shard_in *s = &mg->in[i];
		char *path = g_build_filename(s->dir, "runs.csv", NULL);
		char *line = NULL;
		size_t cap = 0;
		s->f = fopen(path, "r");
		bool ok = s->f && getline(&line, &cap, s->f) >= 0 && strcmp(line, mg->header) == 0;
		s->rows_start = ok ? ftell(s->f) : 0;
		if (!ok)
			sweep_set_error(error, s->f ? SWEEP_ERROR_USAGE : SWEEP_ERROR_IO, "%s: %s", path,
			          s->f ? "not the runs.csv of this sweep's shard (another header)" : g_strerror(errno));
		g_free(line);
		g_free(path);
		if (!ok)
			return false;
	}
	return true;
}

/* Interleaves the shards' rows into out (NULL: only checks them): index
 * i is the next row of shard i % N, and must say so.  Reads each shard
 * from its first row. */
static bool interleave(struct merge *mg, FILE *out, GError **error)
{
	if (mg->n == 0) /* the caller refuses an empty list of folders first */
		return sweep_set_error(error, SWEEP_ERROR_USAGE, "no shard folder to merge");
	uint64_t total = mg->in[0].meta.total, index;
	char *line = NULL;
	size_t cap = 0;
	bool ok = true;

	for (size_t k = 0; ok && k < mg->n; k++) {
		mg->in[k].rows = 0;
		if (fseek(mg->in[k].f, mg->in[k].rows_start, SEEK_SET) != 0)
			ok = sweep_set_error(error, SWEEP_ERROR_IO, "%s/runs.csv: cannot read: %s", mg->in[k].dir,
			               g_strerror(errno));
	}
	if (out)
		fputs(mg->header, out);
	for (uint64_t i = 0; ok && i < total; i++) {
		struct shard_in *s = &mg->in[i % mg->n];
		ssize_t n = getline(&line, &cap, s->f);
		if (n <= 0 || line[n - 1] != '\n')
			ok = sweep_set_error(error, SWEEP_ERROR_USAGE,
			               "%s is incomplete: %llu of its %llu runs are in its runs.csv (run its sweep "
			               "command again to finish it)", s->dir, (unsigned long long)s->rows,
			               (unsigned long long)shard_count(&s->meta));
		else if (!csv_row_index(line, &index) || index != i)
			ok = sweep_set_error(error, SWEEP_ERROR_USAGE, "%s/runs.csv: row %llu is not the run of index %llu",
			               s->dir, (unsigned long long)s->rows + 1, (unsigned long long)i);
		else {
			if (out)
				fwrite(line, 1, (size_t)n, out);
			s->rows++;
		}
	}
	for (size_t k = 0; ok && k < mg->n; k++)
		if (getline(&line, &cap, mg->in[k].f) > 0)
			ok = sweep_set_error(error, SWEEP_ERROR_USAGE, "%s/runs.csv has more rows than its shard", mg->in[k].dir);
	g_free(line);
	return ok;
}

/* The merged files must not overwrite the shards' (-o one of the shard
 * folders, or a runs.csv, summary.csv... that is, by a link, a shard's). */
static bool check_not_input(const struct merge *mg, GError **error)
{
	static const char *const names[] = {"runs.csv", "summary.csv", "sweep.meta", "metrics.csv"};
	bool ok = true;
	for (size_t k = 0; ok && k < mg->n; k++) {
		if (outfile_same(mg->out_dir, mg->in[k].dir))
			return sweep_set_error(error, SWEEP_ERROR_USAGE, "--out %s is the shard folder %s: the merge would "
			                 "overwrite its input", mg->out_dir, mg->in[k].dir);
		for (size_t i = 0; ok && i < G_N_ELEMENTS(names); i++)
			for (size_t j = 0; ok && j < G_N_ELEMENTS(names); j++) {
				char *out = g_build_filename(mg->out_dir, names[i], NULL);
				char *in = g_build_filename(mg->in[k].dir, names[j], NULL);
				if (outfile_same(out, in))
					ok = sweep_set_error(error, SWEEP_ERROR_USAGE, "%s is the shard's %s: the merge would "
					               "overwrite its input", out, in);
				g_free(out);
				g_free(in);
			}
	}
	return ok;
}

/* summary.csv from the merged runs.csv, through an outfile; its warnings
 * appended to `warnings`. */
static bool write_merged_summary(const char *runs, const char *path, uint32_t n_params, GString *warnings,
                                 GError **error)
{
	FILE *in = fopen(runs, "r");
	if (!in)
		return sweep_set_error(error, SWEEP_ERROR_IO, "%s: cannot read: %s", runs, g_strerror(errno));
	struct sweep_summary *s = sweep_summary_new(runs, n_params);
	bool ok = sweep_summary_add_file(s, in, error) && sweep_save_summary(s, path, error);
	if (ok)
		sweep_summary_warnings(s, warnings);
	fclose(in);
	sweep_summary_free(s);
	return ok;
}

/* DIR/runs.csv, sweep.meta, summary.csv, each through an outfile; only
 * once every shard is checked whole, so a bad shard writes nothing. */
static bool write_merged(struct merge *mg, GError **error)
{
	if (!interleave(mg, NULL, error) || !check_not_input(mg, error))
		return false;
	mg->outdir = sweep_lock_dir(mg->out_dir, error);
	if (!mg->outdir)
		return false;
	char *runs = g_build_filename(mg->out_dir, "runs.csv", NULL);
	char *meta = g_build_filename(mg->out_dir, "sweep.meta", NULL);
	char *summary = g_build_filename(mg->out_dir, "summary.csv", NULL);
	struct outfile *of = outfile_open(runs, error);
	bool ok = of && interleave(mg, outfile_stream(of), error);
	if (of && !ok)
		outfile_abandon(of);
	ok = ok && outfile_commit(of, error);
	struct sweep_meta *m = &mg->in[0].meta;
	m->shard_k = m->shard_n = 1;
	ok = ok && meta_write(m, meta, error) &&
	     write_merged_summary(runs, summary, g_strv_length(m->params), mg->warnings, error);
	g_free(runs);
	g_free(meta);
	g_free(summary);
	return ok;
}

/* The options of tcpsim merge, their values going to the pointers. */
static GOptionContext *merge_context(char **out, char ***dirs, gboolean *quiet)
{
	const GOptionEntry entries[] = {
		{"out", 'o', 0, G_OPTION_ARG_FILENAME, out, "Folder of the merged files (required)", "DIR"},
		{"quiet", 'q', 0, G_OPTION_ARG_NONE, quiet, "No report", NULL},
		{G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, dirs, NULL, "SHARD_DIR..."},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	GOptionContext *ctx = g_option_context_new("- merge the shards of a sweep");
	g_option_context_set_summary(ctx,
		"Checks that the folders hold the N shards (--shard K/N) of one sweep, complete,\n"
		"and writes DIR/runs.csv as one unsharded sweep would have, then DIR/summary.csv.");
	g_option_context_add_main_entries(ctx, entries, NULL); /* copies the rows */
	return ctx;
}

char *merge_help(void)
{
	char *out = NULL;
	char **dirs = NULL;
	gboolean quiet = FALSE;
	GOptionContext *ctx = merge_context(&out, &dirs, &quiet);
	char *help = g_option_context_get_help(ctx, TRUE, NULL);
	g_option_context_free(ctx);
	return help;
}

int merge_main(int argc, char **argv)
{
	char *out = NULL;
	char **dirs = NULL;
	gboolean quiet = FALSE;
	GOptionContext *ctx = merge_context(&out, &dirs, &quiet);
	GError *error = NULL;
	int status = 0;
	struct merge mg = {.out_dir = out, .warnings = g_string_new(NULL)};

	if (!cli_parse_subcommand(ctx, "merge", argc, argv, &error)) {
		status = sweep_usage_error("merge", error->message);
		g_clear_error(&error);
	} else if (!out || !dirs || !dirs[0]) {
		status = sweep_usage_error("merge", !out ? "--out DIR is required" : "no shard folder given");
	} else {
		mg.out_dir = out;
		mg.n = g_strv_length(dirs);
		if (check_shards(&mg, dirs, &error) && open_shards(&mg, &error) && write_merged(&mg, &error)) {
			if (!quiet)
				printf("tcpsim merge: %zu %s, %llu %s\nwrote: %s/runs.csv %s/summary.csv\n", mg.n,
				       plural(mg.n, "shard", "shards"), (unsigned long long)mg.in[0].meta.total,
				       plural(mg.in[0].meta.total, "run", "runs"), out, out);
			if (!quiet)
				fputs(mg.warnings->str, stdout);
		} else {
			status = sweep_report_error("merge", error);
		}
	}
	outdir_close(mg.outdir, status == 2);
	for (size_t i = 0; mg.in && i < mg.n; i++) {
		g_free(mg.in[i].dir);
		meta_clear(&mg.in[i].meta);
		if (mg.in[i].f)
			fclose(mg.in[i].f);
	}
	g_free(mg.in);
	g_free(mg.header);
	g_string_free(mg.warnings, TRUE);
	g_option_context_free(ctx);
	g_free(out);
	g_strfreev(dirs);
	return status;
}
