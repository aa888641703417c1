/*
 * The stress command line (tools/stress/main.c): `make stress`, or
 * build/tools/stress by hand.
 *
 *   stress [--runs N] [--first R] [--seed S] [--jobs J] [--timeout SEC]
 *          [--max-events N] [--failures DIR] [--quiet]
 *   stress --print R [--seed S]        the config of run R, as INI text
 *   stress --replay FILE...            saved configs through the oracle
 *
 * Why a file of its own: the rest of the stress (gen.c, oracle.c,
 * runner.c) is also linked into tests/test_stress, which has a main() of
 * its own; only this file is left out of it.  It parses the options into
 * a struct stress_opts and calls one of stress_generate, stress_replay or
 * stress_run.
 */
#include "tools/stress/stress_int.h"

#include <glib.h>

/* What the command line asks for, besides the stress options. */
struct cli {
	gint64 print_run;         /* --print R, else -1 */
	gboolean replay;          /* --replay FILE... */
	char **files;             /* the FILEs */
	char *seed_text, *fail_dir;
};

static bool parse_args(int argc, char **argv, struct stress_opts *o, struct cli *cli, GError **error)
{
	gint64 runs = 20000, first = 0, max_events = 0;
	gint jobs = 0, timeout = 0;
	gboolean quiet = FALSE;
	const GOptionEntry entries[] = {
		{"runs", 'n', 0, G_OPTION_ARG_INT64, &runs, "Number of runs (20000)", "N"},
		{"first", 0, 0, G_OPTION_ARG_INT64, &first, "First run number (0)", "R"},
		{"seed", 0, 0, G_OPTION_ARG_STRING, &cli->seed_text, "Generator seed (1)", "S"},
		{"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Worker processes; 0 = this process (0)", "J"},
		{"timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Wall-clock limit of one run, s (30)", "SEC"},
		{"max-events", 0, 0, G_OPTION_ARG_INT64, &max_events,
		 "Events of one run beyond what its config asks for that mean a hang (5000000)", "N"},
		{"failures", 0, 0, G_OPTION_ARG_FILENAME, &cli->fail_dir, "Save failing configs in DIR", "DIR"},
		{"print", 0, 0, G_OPTION_ARG_INT64, &cli->print_run, "Print the config of run R and exit", "R"},
		{"replay", 0, 0, G_OPTION_ARG_NONE, &cli->replay, "Run the config files given through the oracle", NULL},
		{"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress lines", NULL},
		{G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &cli->files, NULL, "[FILE...]"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	GOptionContext *ctx = g_option_context_new("- random configs through tcpsim and its oracle");
	g_option_context_add_main_entries(ctx, entries, NULL);
	bool ok = g_option_context_parse(ctx, &argc, &argv, error);
	g_option_context_free(ctx);
	stress_opts_default(o);
	if (ok && cli->seed_text)
		ok = g_ascii_string_to_unsigned(cli->seed_text, 10, 0, G_MAXUINT64, &o->seed, error);
	if (!ok)
		return false;
	if (runs < 1 || first < 0 || jobs < 0 || timeout < 0 || max_events < 0 ||
	    (cli->replay && (!cli->files || !cli->files[0])) || (!cli->replay && cli->files)) {
		g_set_error_literal(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "bad arguments");
		return false;
	}
	o->runs = (uint64_t)runs;
	o->first = (uint64_t)first;
	o->jobs = (unsigned)jobs;
	o->timeout_s = timeout ? (unsigned)timeout : o->timeout_s;
	o->max_events = max_events ? (uint64_t)max_events : o->max_events;
	o->fail_dir = cli->fail_dir;
	o->quiet = quiet;
	return true;
}

int main(int argc, char **argv)
{
	struct stress_opts o;
	struct cli cli = {.print_run = -1};
	GError *error = NULL;
	int status;

	if (!parse_args(argc, argv, &o, &cli, &error)) {
		fprintf(stderr, "stress: %s\nTry \"stress --help\".\n", error->message);
		g_error_free(error);
		return 2;
	}
	if (cli.print_run >= 0) {
		char *ini = stress_generate(o.seed, (uint64_t)cli.print_run);
		fputs(ini, stdout);
		g_free(ini);
		status = 0;
	} else if (cli.replay) {
		status = stress_replay(&o, cli.files);
	} else {
		struct stress_totals t;
		bool ok = stress_run(&o, &t);
		stress_print_totals(stdout, &o, &t);
		status = ok ? 0 : 1;
	}
	g_strfreev(cli.files);
	g_free(cli.seed_text);
	g_free(cli.fail_dir);
	return status;
}
