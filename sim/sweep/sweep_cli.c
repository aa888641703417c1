/*
 * The command `tcpsim sweep` (see sweep.h), from its command line to its
 * exit status: the options and their checks, the config and every point's
 * config loaded, sweep.meta filled in, the output folder chosen, then the
 * folder, the pool and the report in order.  Apart so that what the user types
 * and what a sweep is made of are read in one place; the work is done by
 * sweep_folder.c, sweep_pool.c and sweep_run.c.
 */
#include "sim/cli.h"
#include "sim/sweep/sweep.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "sim/config/config.h"
#include "sim/config/units.h"
#include "sim/out/outfile.h"
#include "sim/sweep/metrics.h"
#include "sim/plural.h"
#include "sim/sweep/sweep_csv.h"
#include "sim/sweep/sweep_grid.h"
#include "sim/sweep/sweep_int.h"
#include "sim/sweep/sweep_summary.h"

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

/* ---- the command line ---- */

/* The options of tcpsim sweep, their values going to *cli. */
static GOptionContext *sweep_context(struct sweep_cli *cli)
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
	g_option_context_add_main_entries(ctx, entries, NULL); /* copies the rows */
	return ctx;
}

char *sweep_help(void)
{
	struct sweep_cli unused = {0};
	GOptionContext *ctx = sweep_context(&unused);
	char *help = g_option_context_get_help(ctx, TRUE, NULL);
	g_option_context_free(ctx);
	return help;
}

static bool parse_cli(int argc, char **argv, struct sweep_cli *cli, GError **error)
{
	GOptionContext *ctx = sweep_context(cli);
	bool ok = cli_parse_subcommand(ctx, "sweep", argc, argv, error);
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
	else if (cli->shard && !sweep_parse_shard(cli->shard, &sw->meta.shard_k, &sw->meta.shard_n))
		msg = g_strdup_printf("--shard %s: expected K/N with 1 <= K <= N, such as 2/8", cli->shard);
	if (msg) {
		int st = sweep_usage_error("sweep", msg);
		g_free(msg);
		return st;
	}
	if (cli->jobs && units_parse_uint(cli->jobs, 1, MAX_JOBS, &v, NULL))
		sw->jobs = (unsigned)v;
	return 0;
}

/* ---- preparing a sweep ---- */

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
		return sweep_set_error(error, SWEEP_ERROR_USAGE,
		                 "%s: no [sweep] section: nothing to sweep (tcpsim %s runs it once)", m->config,
		                 m->config);
	sw->metrics = g_new0(const struct metric_def *, sw->spec->n_metrics);
	for (uint32_t i = 0; i < sw->spec->n_metrics; i++)
		sw->metrics[i] = metric_find(sw->spec->metrics[i]); /* checked by the loader */
	m->fingerprint = sweep_fingerprint(&sw->base.source, (const char *const *)m->overrides);
	if (!m->fingerprint || !load_points(sw, error))
		return false;
	fill_meta(sw);
	choose_dir(sw, cli);
	return true;
}

/* ---- the command ---- */

/* usage_error: the sweep failed with exit status 2; then the output folder
 * goes again if this sweep created it and wrote nothing there. */
static void sweep_clear(struct sweep *sw, bool sweep_usage_error)
{
	if (sw->fd >= 0)
		close(sw->fd);
	outdir_close(sw->outdir, sweep_usage_error);
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
	if (sw->todo)
		g_async_queue_unref(sw->todo);
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

	printf("tcpsim sweep: %s: %llu %s x %llu %s = %llu %s", m->config,
	       (unsigned long long)m->points, plural(m->points, "point", "points"),
	       (unsigned long long)m->runs, plural(m->runs, "run", "runs"),
	       (unsigned long long)m->total, plural(m->total, "run", "runs"));
	if (m->shard_n > 1)
		printf(", shard %llu/%llu: %llu %s", (unsigned long long)m->shard_k,
		       (unsigned long long)m->shard_n, (unsigned long long)sw->count,
		       plural(sw->count, "run", "runs"));
	printf("\nran %llu %s in %.2f s (%.0f runs/s, %u %s)", (unsigned long long)ran,
	       plural(ran, "run", "runs"), secs, secs > 0 ? (double)ran / secs : 0.0, sw->jobs,
	       plural(sw->jobs, "thread", "threads"));
	if (sw->resumed)
		printf("; %llu %s already in runs.csv", (unsigned long long)sw->resumed,
		       plural(sw->resumed, "was", "were"));
	printf("\nwrote: %s", sw->runs_path);
	if (m->shard_n == 1)
		printf(" %s", sw->summary_path);
	printf("\n");
	if (sw->summary) {
		GString *w = g_string_new(NULL);
		sweep_summary_warnings(sw->summary, w);
		fputs(w->str, stdout);
		g_string_free(w, TRUE);
	}
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
	bool ok = prepare(&sw, cli, &error) && sweep_check_collisions(&sw, &error) && sweep_open_runs(&sw, &error) &&
	          sweep_start_summary(&sw, &error) && sweep_run_all(&sw, &error) &&
	          (!sw.summary || sweep_save_summary(sw.summary, sw.summary_path, &error));
	if (ok && !sw.quiet)
		print_report(&sw, (double)(g_get_monotonic_time() - t0) / 1e6);
	status = ok ? 0 : sweep_report_error("sweep", error);
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
		status = sweep_usage_error("sweep", error->message);
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
