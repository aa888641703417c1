/*
 * Parameter sweeps: the command lines, the output folder (sweep.meta,
 * runs.csv and its resumption), the worker pool and the merge of shards.
 * See sweep.h for the model and the files.
 */
#include "sim/sweep/sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "sim/config/config.h"
#include "sim/escape.h"
#include "sim/sweep/metrics.h"
#include "sim/out/outfile.h"
#include "sim/engine/queue.h"
#include "sim/config/spec.h"
#include "sim/sweep/sweep_csv.h"
#include "sim/sweep/sweep_int.h"
#include "sim/sweep/sweep_grid.h"
#include "sim/sweep/sweep_meta.h"
#include "sim/sweep/sweep_summary.h"
#include "sim/config/units.h"

#define MAX_JOBS 4096

/* The command line of `tcpsim sweep`. */
struct sweep_cli {
	char **sets;        /* --set SECTION.KEY=VALUE */
	char *seed;         /* --seed N */
	char *out;          /* --out DIR */
	char *jobs;         /* --jobs N */
	char *shard;        /* --shard K/N */
	gboolean quiet;     /* no report, no progress bar */
	gboolean list_metrics;
	char **args;        /* the config file */
	const struct config_source *source; /* its text when main read it, or NULL */
};

/* ---- preparing a sweep ---- */

/* A copy of argv's pointers with argv[0] = a copy of name: the program
 * name of the --help text ("Usage: tcpsim sweep ..."), when the program has
 * none yet.  GOptionContext may reorder the others, never argv[0]; free
 * with free_named_argv(). */
static char **named_argv(int argc, char **argv, const char *name)
{
	char **copy = g_new0(char *, (size_t)argc + 1);

	for (int i = 1; i < argc; i++)
		copy[i] = argv[i];
	copy[0] = g_strdup(name);
	return copy;
}

static void free_named_argv(char **args)
{
	g_free(args[0]);
	g_free(args);
}

static bool parse_cli(int argc, char **argv, struct sweep_cli *cli, GError **error)
{
	const GOptionEntry entries[] = {
		{"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &cli->sets,
		 "Override a config value (repeatable); sweep.runs=N, sweep.SECTION.KEY=VALUES", "SECTION.KEY=VALUE"},
		{"seed", 0, 0, G_OPTION_ARG_STRING, &cli->seed, "Master seed (overrides [simulation] seed)", "N"},
		{"out", 'o', 0, G_OPTION_ARG_FILENAME, &cli->out,
		 "Output folder (default out/<config name>/, out/<config name>/shard-K-of-N/ with --shard)", "DIR"},
		{"jobs", 'j', 0, G_OPTION_ARG_STRING, &cli->jobs, "Worker threads (default: the number of cores)", "N"},
		{"shard", 0, 0, G_OPTION_ARG_STRING, &cli->shard,
		 "Run only the runs i with i % N = K - 1, for tcpsim merge", "K/N"},
		{"quiet", 'q', 0, G_OPTION_ARG_NONE, &cli->quiet, "No report and no progress bar", NULL},
		{"list-metrics", 0, 0, G_OPTION_ARG_NONE, &cli->list_metrics, "Print every metric and exit", NULL},
		{G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &cli->args, NULL, "CONFIG.ini"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	GOptionContext *ctx = g_option_context_new("- run a parameter sweep");
	g_option_context_set_summary(ctx,
		"Runs every point of CONFIG.ini's [sweep] grid `runs` times over all cores and writes\n"
		"OUT/runs.csv (one row per run) and OUT/summary.csv (one row per point).  Running it\n"
		"again resumes an interrupted sweep.");
	g_option_context_add_main_entries(ctx, entries, NULL);
	char **args = named_argv(argc, argv, "tcpsim sweep");
	bool ok = g_option_context_parse(ctx, &argc, &args, error);
	free_named_argv(args);
	g_option_context_free(ctx);
	return ok;
}

static void cli_clear(struct sweep_cli *cli)
{
	g_strfreev(cli->sets);
	g_free(cli->seed);
	g_free(cli->out);
	g_free(cli->jobs);
	g_free(cli->shard);
	g_strfreev(cli->args);
}

/* The options that need no config; 0 or the exit status. */
static int check_cli(const struct sweep_cli *cli, struct sweep *sw)
{
	uint64_t v;
	char *msg = NULL;

	if (!cli->args || !cli->args[0])
		msg = g_strdup("no config file given");
	else if (cli->args[1])
		msg = g_strdup("one config file at a time");
	else if (cli->seed && !units_parse_uint(cli->seed, 0, UINT64_MAX, &v, NULL))
		msg = g_strdup_printf("--seed %s: expected a whole number", cli->seed);
	else if (cli->jobs && !units_parse_uint(cli->jobs, 1, MAX_JOBS, &v, NULL))
		msg = g_strdup_printf("--jobs %s: expected a number of threads between 1 and %d", cli->jobs,
		                      MAX_JOBS);
	else if (cli->shard && !parse_shard(cli->shard, &sw->meta.shard_k, &sw->meta.shard_n))
		msg = g_strdup_printf("--shard %s: expected K/N with 1 <= K <= N, such as 2/8", cli->shard);
	if (msg) {
		int st = usage_error("sweep", msg);
		g_free(msg);
		return st;
	}
	if (cli->jobs && units_parse_uint(cli->jobs, 1, MAX_JOBS, &v, NULL))
		sw->jobs = (unsigned)v;
	return 0;
}

/* --set, then --seed as simulation.seed (NULL-terminated). */
static char **collect_overrides(const struct sweep_cli *cli)
{
	GPtrArray *o = g_ptr_array_new();

	for (char **s = cli->sets; s && *s; s++)
		g_ptr_array_add(o, g_strdup(*s));
	if (cli->seed)
		g_ptr_array_add(o, g_strdup_printf("simulation.seed=%s", cli->seed));
	g_ptr_array_add(o, NULL);
	return (char **)g_ptr_array_free(o, FALSE);
}

/* Every point's config, loaded (and so checked) before anything runs. */
static bool load_points(struct sweep *sw, GError **error)
{
	const struct sweep_spec *s = sw->spec;

	sw->points = g_new0(struct config, s->n_points);
	sw->point_cells = g_new0(char *, s->n_points + 1);
	for (uint64_t p = 0; p < s->n_points; p++) {
		char **point = sweep_point_overrides(s, p);
		bool ok = config_load_point_source(&sw->base.source, (const char *const *)sw->meta.overrides,
		                            (const char *const *)point, &sw->points[p], error);
		g_strfreev(point);
		if (!ok)
			return false;
		GString *cells = g_string_new(NULL);
		for (uint32_t i = 0; i < s->n_params; i++) {
			g_string_append_c(cells, ',');
			csv_field(cells, sweep_point_value(s, p, i));
		}
		sw->point_cells[p] = g_string_free(cells, FALSE);
	}
	return true;
}

static void fill_meta(struct sweep *sw)
{
	const struct sweep_spec *s = sw->spec;
	struct sweep_meta *m = &sw->meta;

	m->params = g_new0(char *, s->n_params + 1);
	for (uint32_t i = 0; i < s->n_params; i++)
		m->params[i] = g_strdup(s->params[i].name);
	m->metrics = g_strdupv(s->metrics);
	m->points = s->n_points;
	m->runs = s->runs;
	m->total = s->n_points * s->runs; /* bounded by SWEEP_MAX_TOTAL */
	sw->count = shard_count(m);
}

/* The output folder: -o, [simulation] out, or out/<name>[/shard-K-of-N]. */
static void choose_dir(struct sweep *sw, const struct sweep_cli *cli)
{
	if (cli->out)
		sw->dir = g_strdup(cli->out);
	else if (sw->base.out_dir)
		sw->dir = g_strdup(sw->base.out_dir);
	else
		sw->dir = g_build_filename("out", sw->base.name, NULL);
	if (!cli->out && sw->meta.shard_n > 1) {
		char *sub = g_strdup_printf("shard-%llu-of-%llu", (unsigned long long)sw->meta.shard_k,
		                            (unsigned long long)sw->meta.shard_n);
		char *dir = g_build_filename(sw->dir, sub, NULL);
		g_free(sw->dir);
		g_free(sub);
		sw->dir = dir;
	}
	sw->runs_path = g_build_filename(sw->dir, "runs.csv", NULL);
	sw->meta_path = g_build_filename(sw->dir, "sweep.meta", NULL);
	sw->summary_path = g_build_filename(sw->dir, "summary.csv", NULL);
}

static bool prepare(struct sweep *sw, const struct sweep_cli *cli, GError **error)
{
	struct sweep_meta *m = &sw->meta;

	m->config = g_strdup(cli->args[0]);
	m->overrides = collect_overrides(cli);
	if (!config_load_with(cli->source, m->config, (const char *const *)m->overrides, &sw->base, error))
		return false;
	sw->spec = sw->base.sweep;
	if (!sw->spec)
		return set_error(error, SWEEP_ERROR_USAGE,
		                 "%s: no [sweep] section: nothing to sweep (tcpsim %s runs it once)", m->config,
		                 m->config);
	sw->metrics = g_new0(const struct metric_def *, sw->spec->n_metrics);
	for (uint32_t i = 0; i < sw->spec->n_metrics; i++)
		sw->metrics[i] = metric_find(sw->spec->metrics[i]); /* checked by the loader */
	m->fingerprint = fingerprint(&sw->base.source, (const char *const *)m->overrides);
	if (!m->fingerprint || !load_points(sw, error))
		return false;
	fill_meta(sw);
	choose_dir(sw, cli);
	return true;
}

/* ---- the command ---- */

/* usage_error: the sweep failed with exit status 2; then the output folder
 * goes again if this sweep created it and wrote nothing there. */
static void sweep_clear(struct sweep *sw, bool usage_error)
{
	if (sw->fd >= 0)
		close(sw->fd);
	outdir_close(sw->outdir, usage_error);
	sweep_summary_free(sw->summary);
	for (uint64_t p = 0; sw->points && sw->spec && p < sw->spec->n_points; p++)
		config_clear(&sw->points[p]);
	g_free(sw->points);
	g_strfreev(sw->point_cells);
	g_free(sw->metrics);
	for (uint64_t i = 0; sw->tasks && i < sw->window; i++)
		g_string_free(sw->tasks[i].rows, TRUE);
	g_free(sw->tasks);
	if (sw->results)
		g_async_queue_unref(sw->results);
	config_clear(&sw->base);
	meta_clear(&sw->meta);
	g_free(sw->dir);
	g_free(sw->runs_path);
	g_free(sw->meta_path);
	g_free(sw->summary_path);
}

static void print_report(const struct sweep *sw, double secs)
{
	const struct sweep_meta *m = &sw->meta;
	uint64_t ran = sw->done - sw->resumed;

	printf("tcpsim sweep: %s: %llu points x %llu runs = %llu runs", m->config,
	       (unsigned long long)m->points, (unsigned long long)m->runs, (unsigned long long)m->total);
	if (m->shard_n > 1)
		printf(", shard %llu/%llu: %llu runs", (unsigned long long)m->shard_k,
		       (unsigned long long)m->shard_n, (unsigned long long)sw->count);
	printf("\nran %llu runs in %.2f s (%.0f runs/s, %u threads)", (unsigned long long)ran, secs,
	       secs > 0 ? (double)ran / secs : 0.0, sw->jobs);
	if (sw->resumed)
		printf("; %llu were already in runs.csv", (unsigned long long)sw->resumed);
	printf("\nwrote: %s", sw->runs_path);
	if (m->shard_n == 1)
		printf(" %s", sw->summary_path);
	printf("\n");
}

static int sweep_command(const struct sweep_cli *cli)
{
	struct sweep sw;
	GError *error = NULL;

	memset(&sw, 0, sizeof sw);
	sw.fd = -1;
	sw.meta.shard_k = sw.meta.shard_n = 1;
	sw.jobs = (unsigned)MAX(1, g_get_num_processors());
	int status = check_cli(cli, &sw);
	if (status) {
		sweep_clear(&sw, true);
		return status;
	}
	sw.quiet = cli->quiet;
	sw.progress = !cli->quiet && isatty(STDERR_FILENO);
	gint64 t0 = g_get_monotonic_time();
	bool ok = prepare(&sw, cli, &error) && check_collisions(&sw, &error) && open_runs(&sw, &error) &&
	          start_summary(&sw, &error) && run_all(&sw, &error) &&
	          (!sw.summary || save_summary(sw.summary, sw.summary_path, &error));
	if (ok && !sw.quiet)
		print_report(&sw, (double)(g_get_monotonic_time() - t0) / 1e6);
	status = ok ? 0 : report_error("sweep", error);
	sweep_clear(&sw, status == 2);
	return status;
}

int sweep_main(int argc, char **argv)
{
	return sweep_main_source(argc, argv, NULL);
}

int sweep_main_source(int argc, char **argv, const struct config_source *src)
{
	struct sweep_cli cli;
	GError *error = NULL;
	int status = 0;

	memset(&cli, 0, sizeof cli);
	cli.source = src;
	if (!parse_cli(argc, argv, &cli, &error)) {
		status = usage_error("sweep", error->message);
		g_error_free(error);
	} else if (cli.list_metrics) {
		GString *s = g_string_new("metrics (number: mean, sd, median, 95% CI; category: share of each value):\n");
		metric_list(s);
		fputs(s->str, stdout);
		g_string_free(s, TRUE);
	} else {
		status = sweep_command(&cli);
	}
	cli_clear(&cli);
	return status;
}

/* ---- merging shards ---- */

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
		return set_error(error, SWEEP_ERROR_USAGE, "%s and %s are shards of different sweeps", first_dir,
		                 dir);
	if (m->shard_n != mg->n)
		return set_error(error, SWEEP_ERROR_USAGE, "%s is shard %llu/%llu, but %zu shard folders are given",
		                 dir, (unsigned long long)m->shard_k, (unsigned long long)m->shard_n, mg->n);
	if (mg->in[m->shard_k - 1].dir)
		return set_error(error, SWEEP_ERROR_USAGE, "%s and %s are both shard %llu/%llu",
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
	mg->header = runs_header(mg->in[0].meta.params, mg->in[0].meta.metrics);
	for (size_t i = 0; i < mg->n; i++) {
		struct shard_in *s = &mg->in[i];
		char *path = g_build_filename(s->dir, "runs.csv", NULL);
		char *line = NULL;
		size_t cap = 0;
		s->f = fopen(path, "r");
		bool ok = s->f && getline(&line, &cap, s->f) >= 0 && strcmp(line, mg->header) == 0;
		s->rows_start = ok ? ftell(s->f) : 0;
		if (!ok)
			set_error(error, s->f ? SWEEP_ERROR_USAGE : SWEEP_ERROR_IO, "%s: %s", path,
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
	uint64_t total = mg->in[0].meta.total, index;
	char *line = NULL;
	size_t cap = 0;
	bool ok = true;

	for (size_t k = 0; ok && k < mg->n; k++) {
		mg->in[k].rows = 0;
		if (fseek(mg->in[k].f, mg->in[k].rows_start, SEEK_SET) != 0)
			ok = set_error(error, SWEEP_ERROR_IO, "%s/runs.csv: cannot read: %s", mg->in[k].dir,
			               g_strerror(errno));
	}
	if (out)
		fputs(mg->header, out);
	for (uint64_t i = 0; ok && i < total; i++) {
		struct shard_in *s = &mg->in[i % mg->n];
		ssize_t n = getline(&line, &cap, s->f);
		if (n <= 0 || line[n - 1] != '\n')
			ok = set_error(error, SWEEP_ERROR_USAGE,
			               "%s is incomplete: %llu of its %llu runs are in its runs.csv (run its sweep "
			               "command again to finish it)", s->dir, (unsigned long long)s->rows,
			               (unsigned long long)shard_count(&s->meta));
		else if (!csv_row_index(line, &index) || index != i)
			ok = set_error(error, SWEEP_ERROR_USAGE, "%s/runs.csv: row %llu is not the run of index %llu",
			               s->dir, (unsigned long long)s->rows + 1, (unsigned long long)i);
		else {
			if (out)
				fwrite(line, 1, (size_t)n, out);
			s->rows++;
		}
	}
	for (size_t k = 0; ok && k < mg->n; k++)
		if (getline(&line, &cap, mg->in[k].f) > 0)
			ok = set_error(error, SWEEP_ERROR_USAGE, "%s/runs.csv has more rows than its shard", mg->in[k].dir);
	g_free(line);
	return ok;
}

/* The merged files must not overwrite the shards' (-o one of the shard
 * folders, or a runs.csv or summary.csv that is, by a link, a shard's). */
static bool check_not_input(const struct merge *mg, GError **error)
{
	static const char *const names[] = {"runs.csv", "summary.csv", "sweep.meta"};
	bool ok = true;
	for (size_t k = 0; ok && k < mg->n; k++) {
		if (outfile_same(mg->out_dir, mg->in[k].dir))
			return set_error(error, SWEEP_ERROR_USAGE, "--out %s is the shard folder %s: the merge would "
			                 "overwrite its input", mg->out_dir, mg->in[k].dir);
		for (size_t i = 0; ok && i < G_N_ELEMENTS(names); i++)
			for (size_t j = 0; ok && j < G_N_ELEMENTS(names); j++) {
				char *out = g_build_filename(mg->out_dir, names[i], NULL);
				char *in = g_build_filename(mg->in[k].dir, names[j], NULL);
				if (outfile_same(out, in))
					ok = set_error(error, SWEEP_ERROR_USAGE, "%s is the shard's %s: the merge would "
					               "overwrite its input", out, in);
				g_free(out);
				g_free(in);
			}
	}
	return ok;
}

/* summary.csv from the merged runs.csv, through an outfile. */
static bool write_merged_summary(const char *runs, const char *path, uint32_t n_params, GError **error)
{
	FILE *in = fopen(runs, "r");
	if (!in)
		return set_error(error, SWEEP_ERROR_IO, "%s: cannot read: %s", runs, g_strerror(errno));
	struct sweep_summary *s = sweep_summary_new(runs, n_params);
	bool ok = sweep_summary_add_file(s, in, error) && save_summary(s, path, error);
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
	mg->outdir = lock_dir(mg->out_dir, error);
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
	     write_merged_summary(runs, summary, g_strv_length(m->params), error);
	g_free(runs);
	g_free(meta);
	g_free(summary);
	return ok;
}

int merge_main(int argc, char **argv)
{
	char *out = NULL;
	char **dirs = NULL;
	gboolean quiet = FALSE;
	const GOptionEntry entries[] = {
		{"out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Folder of the merged files (required)", "DIR"},
		{"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No report", NULL},
		{G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &dirs, NULL, "SHARD_DIR..."},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	GOptionContext *ctx = g_option_context_new("- merge the shards of a sweep");
	g_option_context_set_summary(ctx,
		"Checks that the folders hold the N shards (--shard K/N) of one sweep, complete,\n"
		"and writes DIR/runs.csv as one unsharded sweep would have, then DIR/summary.csv.");
	g_option_context_add_main_entries(ctx, entries, NULL);
	GError *error = NULL;
	int status = 0;
	struct merge mg = {.out_dir = out};

	char **args = named_argv(argc, argv, "tcpsim merge");
	bool parsed = g_option_context_parse(ctx, &argc, &args, &error);
	free_named_argv(args);
	if (!parsed) {
		status = usage_error("merge", error->message);
		g_clear_error(&error);
	} else if (!out || !dirs || !dirs[0]) {
		status = usage_error("merge", !out ? "--out DIR is required" : "no shard folder given");
	} else {
		mg.out_dir = out;
		mg.n = g_strv_length(dirs);
		if (check_shards(&mg, dirs, &error) && open_shards(&mg, &error) && write_merged(&mg, &error)) {
			if (!quiet)
				printf("tcpsim merge: %zu shards, %llu runs\nwrote: %s/runs.csv %s/summary.csv\n", mg.n,
				       (unsigned long long)mg.in[0].meta.total, out, out);
		} else {
			status = report_error("merge", error);
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
	g_option_context_free(ctx);
	g_free(out);
	g_strfreev(dirs);
	return status;
}
