/*
 * tcpsim explore: the command line (explore.h).
 *
 *   tcpsim explore [--faults K] [--segments N] [--kinds LIST] [--delays LIST]
 *                  [--budget N] [-j JOBS] [-o DIR] [-q] CONFIG.ini
 *
 * Prints what was explored, each check with the placements that violate
 * it, each violated check's smallest counterexample (its [faults] entries
 * and its story), and the table of outcomes.  Each counterexample is
 * written to DIR/CHECK.ini, a config that re-runs it, with the run's
 * pcapng and sequence diagram in DIR/CHECK/.  Exit status: 0 when no
 * check was violated, 1 when one was, 2 for bad input (nothing written).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "sim/cli.h"
#include "sim/escape.h"
#include "sim/out/progress.h"
#include "sim/explore/explore_int.h"
#include "sim/out/outfile.h"
#include "sim/config/units.h"
#include "sim/run.h"

struct explore_cli {
	int faults, segments, jobs;
	char *kinds, *delays, *budget, *out;
	gboolean quiet;
	char **files;
};

static int usage_error(const char *msg)
{
	char *shown = escape_text(msg);
	fprintf(stderr, "tcpsim explore: %s\nTry \"tcpsim explore --help\" for more information.\n", shown);
	g_free(shown);
	return 2;
}

static GOptionContext *explore_context(struct explore_cli *c)
{
	GOptionEntry entries[] = {
		{"faults", 'k', 0, G_OPTION_ARG_INT, &c->faults,
		 "At most K faults per execution (1 to 6; default: [explore] faults, else 2)", "K"},
		{"segments", 'n', 0, G_OPTION_ARG_INT, &c->segments,
		 "On the first N segments the endpoints send (default: [explore] segments, else 24)", "N"},
		{"kinds", 0, 0, G_OPTION_ARG_STRING, &c->kinds, "Fault kinds: drop,duplicate,delay (default all)",
		 "LIST"},
		{"delays", 0, 0, G_OPTION_ARG_STRING, &c->delays,
		 "The delays a delay fault tries (default 300ms,30s)", "LIST"},
		{"budget", 0, 0, G_OPTION_ARG_STRING, &c->budget,
		 "Refuse to explore more placements than this (default 20000000)", "N"},
		{"jobs", 'j', 0, G_OPTION_ARG_INT, &c->jobs, "Worker threads (default: one per core)", "J"},
		{"out", 'o', 0, G_OPTION_ARG_FILENAME, &c->out,
		 "Where the counterexamples go (default out/NAME/explore)", "DIR"},
		{"quiet", 'q', 0, G_OPTION_ARG_NONE, &c->quiet, "No progress bar; the summary lines only", NULL},
		{G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &c->files, NULL, "CONFIG.ini"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	GOptionContext *ctx = g_option_context_new("- every placement of up to K faults, checked");
	g_option_context_set_summary(ctx,
		"Runs the config under every placement of up to K faults (drop, duplicate, or\n"
		"delay a segment) on the first N segments the endpoints send, the network's\n"
		"random faults off, and checks the properties of its [explore] section.  For\n"
		"each property violated: the fewest faults that violate it (then the earliest),\n"
		"written as a config that re-runs it, with its pcapng and sequence diagram.\n"
		"Exit status: 0 no property violated, 1 one was, 2 bad input.");
	g_option_context_add_main_entries(ctx, entries, NULL);
	return ctx;
}

char *explore_help(void)
{
	struct explore_cli unused = {0};
	GOptionContext *ctx = explore_context(&unused);
	char *help = g_option_context_get_help(ctx, TRUE, NULL);
	g_option_context_free(ctx);
	return help;
}

static char *prefixed(const char *option, char *why)
{
	char *text = g_strdup_printf("%s: %s", option, why);
	g_free(why);
	return text;
}

/* The command line's settings over the [explore] section's; false with
 * the usage error printed. */
static bool override_spec(const struct explore_cli *c, struct explore *x, int *status)
{
	struct explore_spec *s = &x->spec;
	char *why = NULL;
	uint64_t budget = 0;

	if (c->faults != -1 && (c->faults < 1 || c->faults > EXPLORE_MAX_FAULTS))
		why = g_strdup_printf("--faults %d: expected a number of faults from 1 to %d", c->faults,
		                      EXPLORE_MAX_FAULTS);
	else if (c->segments != -1 && (c->segments < 1 || c->segments > EXPLORE_MAX_SEGMENTS))
		why = g_strdup_printf("--segments %d: expected a number of segments from 1 to %d", c->segments,
		                      EXPLORE_MAX_SEGMENTS);
	else if (c->jobs < 0 || c->jobs > 1024)
		why = g_strdup_printf("--jobs %d: expected a number of threads from 1 to 1024 (0: one per core)",
		                      c->jobs);
	else if (c->kinds && !explore_parse_kinds(c->kinds, &s->kinds, &why))
		why = prefixed("--kinds", why);
	else if (c->delays && !explore_parse_delays(c->delays, s->delays, &s->n_delays, &why))
		why = prefixed("--delays", why);
	else if (c->budget && !units_parse_uint(c->budget, 1, UINT64_MAX / 2, &budget, NULL))
		why = g_strdup_printf("--budget %s: expected a whole number of placements, 1 or more", c->budget);
	if (why) {
		*status = usage_error(why);
		g_free(why);
		return false;
	}
	if (c->faults != -1)
		s->faults = (uint32_t)c->faults;
	if (c->segments != -1)
		s->segments = (uint32_t)c->segments;
	if (c->budget)
		s->budget = budget;
	explore_commit_spec(x);
	return true;
}

/* 41328 -> "41,328" */
static char *grouped(uint64_t n)
{
	char digits[32];
	GString *s = g_string_new(NULL);
	int len = g_snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			g_string_append_c(s, ',');
		g_string_append_c(s, digits[i]);
	}
	return g_string_free(s, FALSE);
}

/* explore_search()'s progress: units of work (the subtrees under a first fault) */
static void progress_bar(void *ctx, uint64_t done, uint64_t total)
{
	progress_draw(ctx, done, total, done == total);
}

static void print_header(const struct explore *x, const struct explore_report *r)
{
	GString *kinds = g_string_new(NULL);
	for (uint32_t a = 0; a < x->n_actions; a++) {
		char buf[64];
		g_string_append_printf(kinds, "%s%s", a ? ", " : "", explore_kind_name(x->actions[a].kind));
		if (x->actions[a].kind == EXPLORE_DELAY)
			g_string_append_printf(kinds, " %s", units_format_duration(x->actions[a].delay, buf, sizeof buf));
	}
	char *placements = grouped(r->placements), *distinct = grouped(r->distinct);
	char *bound = grouped(r->bound), *budget = grouped(x->spec.budget);
	printf("explore %s: up to %u fault%s (%s) on the first %u segments\n", x->cfg.path, x->spec.faults,
	       x->spec.faults == 1 ? "" : "s", kinds->str, x->spec.segments);
	printf("all %s placements of up to %u fault%s on the first %u segments: %s distinct execution%s\n",
	       placements, x->spec.faults, x->spec.faults == 1 ? "" : "s", x->spec.segments, distinct,
	       r->distinct == 1 ? "" : "s");
	printf("(the run without faults sends %u segment%s; placements on segments a run never sends are "
	       "fewer faults; at most %s placements, budget %s)\n",
	       r->baseline.n_segs, r->baseline.n_segs == 1 ? "" : "s", bound, budget);
	g_free(placements);
	g_free(distinct);
	g_free(bound);
	g_free(budget);
	g_string_free(kinds, TRUE);
}

static bool check_on(const struct explore *x, uint32_t i)
{
	return i >= EXPLORE_N_PROPERTIES || x->spec.property[i];
}

static void print_table(const struct explore *x, const struct explore_report *r)
{
	printf("\n%-40s %12s  %s\n", "check", "violated by", "smallest counterexample");
	for (uint32_t i = 0; i < x->n_checks; i++) {
		if (!check_on(x, i))
			continue;
		char *name = explore_check_name(x, i), *count = grouped(r->violation[i].count);
		if (r->violation[i].found)
			printf("%-40s %12s  %u fault%s\n", name, count, r->violation[i].p.n,
			       r->violation[i].p.n == 1 ? "" : "s");
		else
			printf("%-40s %12s  none\n", name, count);
		g_free(name);
		g_free(count);
	}
}

/* The counterexample's config, then its run with a pcapng and a diagram. */
static bool write_counterexample(const struct explore *x, const struct explore_told *told, const char *dir,
                                 const char *name, GError **error)
{
	char *path = explore_write_config(x, told, dir, name, error);
	if (!path)
		return false;
	struct config cfg;
	bool ok = config_load(path, NULL, &cfg, error);
	if (ok) {
		char *out = g_build_filename(dir, name, NULL);
		char *diagram = g_build_filename(out, "diagram.svg", NULL);
		char *report = g_build_filename(out, "report.html", NULL);
		struct run_options opt = {.out_dir = out, .format = RUN_CAPTURE_PCAPNG, .diagram_path = diagram,
		                          .report_path = report, .app_name = "tcpsim explore"};
		struct run_result res;
		cfg.pcap = true;
		ok = run_simulation(&cfg, &opt, &res, error);
		if (ok)
			run_result_clear(&res);
		g_free(diagram);
		g_free(report);
		g_free(out);
		config_clear(&cfg);
	}
	if (ok)
		printf("  re-run: tcpsim %s   (capture, diagram and report in %s/%s/)\n", path, dir, name);
	g_free(path);
	return ok;
}

/* "require server.result == ok" -> "require-server.result-ok": a file name. */
static char *file_name_of(const char *check)
{
	GString *s = g_string_new(NULL);
	bool dash = false;
	for (const char *c = check; *c; c++) {
		bool keep = g_ascii_isalnum(*c) || *c == '_' || *c == '.';
		if (keep)
			g_string_append_c(s, *c);
		else if (!dash && s->len)
			g_string_append_c(s, '-');
		dash = !keep;
	}
	return g_string_free(s, FALSE);
}

static bool print_counterexamples(const struct explore *x, const struct explore_report *r, const char *dir)
{
	bool ok = true;
	for (uint32_t i = 0; i < x->n_checks && ok; i++) {
		if (!check_on(x, i) || !r->violation[i].found)
			continue;
		const struct explore_placement *p = &r->violation[i].p;
		char *name = explore_check_name(x, i), *file = file_name_of(name);
		struct explore_told told;
		explore_tell(x, p, &told);
		printf("\n%s: %u fault%s\n", name, p->n, p->n == 1 ? "" : "s");
		for (uint32_t f = 0; told.lines[f]; f++)
			printf("  [faults] explore_%u = %s\n", f + 1, told.lines[f]);
		printf("  %s\n", told.story);
		GError *error = NULL;
		if (!write_counterexample(x, &told, dir, file, &error)) {
			char *shown = escape_text(error->message);
			fprintf(stderr, "tcpsim explore: %s\n", shown);
			g_free(shown);
			g_error_free(error);
			ok = false;
		}
		explore_told_clear(&told);
		g_free(file);
		g_free(name);
	}
	return ok;
}

static void print_outcomes(const struct explore *x, const struct explore_report *r)
{
	if (!x->spec.n_outcomes)
		return;
	GString *names = g_string_new(NULL);
	for (uint32_t i = 0; i < x->spec.n_outcomes; i++)
		g_string_append_printf(names, "%s%s", i ? ", " : "", x->spec.outcomes[i]);
	printf("\noutcomes (%s):\n%12s  %-8s  %s\n", names->str, "placements", "faults",
	       "value: its smallest placement");
	for (guint i = 0; i < r->outcomes->len; i++) {
		const struct explore_best *b = &r->outcome_best[i];
		char *count = grouped(b->count);
		char **lines = explore_fault_lines(x, &b->p);
		char *faults = b->p.n ? g_strjoinv("; ", lines) : g_strdup("no fault");
		printf("%12s  %-8u  %s: %s\n", count, b->p.n, (const char *)r->outcomes->pdata[i], faults);
		g_free(faults);
		g_strfreev(lines);
		g_free(count);
	}
	g_string_free(names, TRUE);
}

static char *default_out(const struct explore *x)
{
	return g_build_filename("out", x->cfg.name, "explore", NULL);
}

/* After the options: the exploration itself; the exit status. */
static int explore_file(const struct explore_cli *c, const char *path)
{
	struct explore x;
	GError *error = NULL;
	int status = 0;

	if (!explore_prepare(&x, path, &error)) {
		char *shown = escape_text(error->message);
		fprintf(stderr, "%s\n", shown);
		g_free(shown);
		g_error_free(error);
		return 2;
	}
	if (!override_spec(c, &x, &status)) {
		explore_clear(&x);
		return status;
	}
	uint64_t bound = explore_bound(&x);
	if (bound > x.spec.budget) {
		char *b = grouped(bound), *budget = grouped(x.spec.budget);
		char *msg = g_strdup_printf("%s: up to %s placements of up to %u faults on the first %u segments "
		                            "exceed the budget of %s: lower --faults or --segments, narrow --kinds "
		                            "or --delays, or raise --budget ([explore] budget)",
		                            path, b, x.spec.faults, x.spec.segments, budget);
		status = usage_error(msg);
		g_free(msg);
		g_free(b);
		g_free(budget);
		explore_clear(&x);
		return status;
	}
	char *dir = c->out ? g_strdup(c->out) : default_out(&x);
	struct outdir *od = outdir_open(dir, &error);
	if (!od) {
		char *shown = escape_text(error->message);
		fprintf(stderr, "tcpsim explore: %s\n", shown);
		g_free(shown);
		g_error_free(error);
		g_free(dir);
		explore_clear(&x);
		return 2;
	}
	struct explore_report r;
	bool bar = !c->quiet && isatty(STDERR_FILENO);
	char *fp = explore_fingerprint(&x);
	x.resume_dir = g_strdup_printf("%s/.resume-%s", dir, fp);
	g_free(fp);
	if (g_mkdir_with_parents(x.resume_dir, 0755) != 0)
		g_clear_pointer(&x.resume_dir, g_free); /* explores all the same, without a way back */
	gint64 start = g_get_monotonic_time();
	struct progress progress;
	progress_start(&progress, bar, "subtree", "subtrees", 0);
	explore_search(&x, c->jobs, bar ? progress_bar : NULL, &progress, &r);
	double took = (double)(g_get_monotonic_time() - start) / 1e6;
	if (r.resumed && !c->quiet)
		fprintf(stderr, "resumed: %u of the %u units were read back from %s\n", r.resumed, r.units,
		        x.resume_dir);
	print_header(&x, &r);
	print_table(&x, &r);
	bool written = print_counterexamples(&x, &r, dir);
	print_outcomes(&x, &r);
	fflush(stdout);
	if (!c->quiet)
		fprintf(stderr, "explored in %.2f s of wall-clock time\n", took);
	bool violated = false;
	for (uint32_t i = 0; i < x.n_checks; i++)
		violated |= check_on(&x, i) && r.violation[i].found;
	status = !written ? 1 : violated ? 1 : 0;
	explore_report_clear(&r);
	if (x.resume_dir && written)
		explore_resume_remove(x.resume_dir); /* complete: nothing to resume */
	outdir_close(od, true);
	g_free(dir);
	explore_clear(&x);
	return status;
}

int explore_main(int argc, char **argv)
{
	struct explore_cli c = {.faults = -1, .segments = -1};
	GOptionContext *ctx = explore_context(&c);
	GError *error = NULL;
	int status;
	if (!cli_parse_subcommand(ctx, "explore", argc, argv, &error)) {
		status = usage_error(error->message);
		g_clear_error(&error);
	} else if (!c.files || !c.files[0]) {
		status = usage_error("no config given (CONFIG.ini)");
	} else if (c.files[1]) {
		status = usage_error("one config at a time");
	} else {
		status = explore_file(&c, c.files[0]);
	}
	g_option_context_free(ctx);
	g_free(c.kinds);
	g_free(c.delays);
	g_free(c.budget);
	g_free(c.out);
	g_strfreev(c.files);
	return status;
}
