/*
 * tcpsim's command line: one run of a config, its summary and its files;
 * `tcpsim sweep` and `tcpsim merge` are handed to sim/sweep/.  In the
 * library (main() is sim/main.c), so that the tests and the fuzzers can
 * call it.
 *
 *   tcpsim CONFIG.ini [-s SECTION.KEY=VALUE]... [--seed N] [-o DIR]
 *                     [--json] [--trace [--relative]] [--format pcap|pcapng]
 *                     [--events FILE] [--diagram FILE.svg|FILE.png] [--report FILE.html] [-q]
 *                     [--seqgraph FILE.svg|FILE.png [--seqgraph-sender client|server]]
 *   tcpsim CONFIG.ini --print-netem     the network as tc netem commands
 *
 * Exit status: 0 the simulation completed (whatever TCP's outcome), 2 a
 * usage or config error (nothing is written), 1 an internal failure or an
 * output that could not be written (stdout included).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "sim/cli.h"
#include "sim/config/config.h"
#include "sim/config/netem.h"
#include "sim/out/diagram/diagram.h"
#include "sim/out/report/report.h"
#include "sim/out/seqgraph/seqgraph.h"
#include "sim/escape.h"
#include "sim/out/outfile.h"
#include "sim/run.h"
#include "sim/out/summary.h"
#include "sim/explore/explore.h"
#include "sim/pkt/pkt_cli.h"
#include "sim/sweep/sweep.h"
#include "sim/config/units.h"


struct cli {
	char **sets;      /* --set SECTION.KEY=VALUE */
	char *seed;       /* --seed N */
	char *out;        /* --out DIR */
	char *format;     /* --format pcap|pcapng */
	char *events;     /* --events FILE */
	char *diagram;    /* --diagram FILE.svg|FILE.png */
	char *report;     /* --report FILE.html */
	char *seqgraph;   /* --seqgraph FILE.svg|FILE.png */
	char *seqgraph_sender; /* --seqgraph-sender client|server */
	char *run;        /* --run N: the run index (replays a sweep's runs.csv row) */
	char *pkt;        /* --pkt ENDPOINT:FILE: one endpoint's run as a packetdrill script */
	char *completion; /* --completion SHELL */
	gboolean json, trace, relative, quiet, version, help_config, help_scripts, man, print_netem;
	char **args;      /* the config file */
};

/* The run's options, one row each (a new option: one more row).  Shared
 * by the parser, the dispatcher (which options take a value), the man page
 * and the shell completion (cli_doc.c); *cli receives the values. */
static size_t run_options(struct cli *cli, GOptionEntry out[CLI_MAX_OPTIONS])
{
	const GOptionEntry entries[] = {
		{"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &cli->sets,
		 "Override a config value (repeatable)", "SECTION.KEY=VALUE"},
		{"seed", 0, 0, G_OPTION_ARG_STRING, &cli->seed, "Master seed (overrides [simulation] seed)", "N"},
		{"run", 0, 0, G_OPTION_ARG_STRING, &cli->run,
		 "Run index, with the seed naming every random stream (a sweep's runs.csv row)", "N"},
		{"out", 'o', 0, G_OPTION_ARG_FILENAME, &cli->out, "Output folder (default out/<config name>/)", "DIR"},
		{"json", 0, 0, G_OPTION_ARG_NONE, &cli->json, "Machine-readable summary on stdout", NULL},
		{"trace", 0, 0, G_OPTION_ARG_NONE, &cli->trace,
		 "tcpdump-style trace with state changes and calls on stdout", NULL},
		{"relative", 0, 0, G_OPTION_ARG_NONE, &cli->relative,
		 "Relative sequence numbers in the trace (tcpdump without -S)", NULL},
		{"format", 0, 0, G_OPTION_ARG_STRING, &cli->format,
		 "Capture format: pcap (the capture point, default) or pcapng (both interfaces, "
		 "with comments)", "pcap|pcapng"},
		{"events", 0, 0, G_OPTION_ARG_FILENAME, &cli->events,
		 "Write every event as JSON Lines to FILE", "FILE"},
		{"diagram", 0, 0, G_OPTION_ARG_FILENAME, &cli->diagram,
		 "Write the sequence diagram to FILE (.svg, or .png when built with cairo)", "FILE"},
		{"seqgraph", 0, 0, G_OPTION_ARG_FILENAME, &cli->seqgraph,
		 "Write the time-sequence graph of the first connection's data, with its cwnd and RTT, "
		 "to FILE (.svg, or .png when built with cairo)", "FILE"},
		{"seqgraph-sender", 0, 0, G_OPTION_ARG_STRING, &cli->seqgraph_sender,
		 "The data --seqgraph draws: the client's or the server's (default: the one that sends "
		 "the most)", "client|server"},
		{"report", 0, 0, G_OPTION_ARG_FILENAME, &cli->report,
		 "Write an interactive HTML report of the run to FILE (self-contained, offline)", "FILE.html"},
		{"pkt", 0, 0, G_OPTION_ARG_FILENAME, &cli->pkt,
		 "Write the run as ENDPOINT (client or server) lived it, as a packetdrill script "
		 "(replay: tcpsim pkt FILE)", "ENDPOINT:FILE"},
		{"quiet", 'q', 0, G_OPTION_ARG_NONE, &cli->quiet, "No human summary", NULL},
		{"version", 0, 0, G_OPTION_ARG_NONE, &cli->version, "Print the version", NULL},
		{"help-config", 0, 0, G_OPTION_ARG_NONE, &cli->help_config,
		 "Print every config section and key", NULL},
		{"help-scripts", 0, 0, G_OPTION_ARG_NONE, &cli->help_scripts,
		 "Print the script language: every statement, call and constant", NULL},
		{"man", 0, 0, G_OPTION_ARG_NONE, &cli->man,
		 "Print the manual page (roff): tcpsim --man > tcpsim.1", NULL},
		{"completion", 0, 0, G_OPTION_ARG_STRING, &cli->completion,
		 "Print the completion script of SHELL (bash)", "SHELL"},
		{"print-netem", 0, 0, G_OPTION_ARG_NONE, &cli->print_netem,
		 "Print the config's network as one `tc qdisc add ... netem` line per direction "
		 "(to repeat the run on real kernels), and run nothing", NULL},
		{G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &cli->args, NULL, "CONFIG.ini"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	G_STATIC_ASSERT(G_N_ELEMENTS(entries) <= CLI_MAX_OPTIONS);
	memcpy(out, entries, sizeof entries);
	return G_N_ELEMENTS(entries) - 1;
}

size_t cli_run_options(GOptionEntry out[CLI_MAX_OPTIONS])
{
	static struct cli unused; /* the rows' targets: never parsed into */
	return run_options(&unused, out);
}

static const struct cli_subcommand subcommands[] = {
	{"sweep", "sweep [OPTION...] CONFIG.ini",
	 "Run every point of the config's [sweep] grid, its runs over all cores; a config with a "
	 "[sweep] section runs as a sweep without the word too", sweep_main, sweep_help},
	{"merge", "merge -o DIR [OPTION...] SHARD_DIR...",
	 "Merge the shards of a sweep run with --shard K/N into one", merge_main, merge_help},
	{"explore", "explore [OPTION...] CONFIG.ini",
	 "Run a config under every placement of up to K faults and check its properties; the smallest "
	 "counterexample of each", explore_main, explore_help},
	{"pkt", "pkt [OPTION...] FILE.pkt...",
	 "Run packetdrill scripts against the model (PASS, FAIL or UNSUPPORTED each)", pkt_main, pkt_help},
	{NULL, NULL, NULL, NULL, NULL},
};

const struct cli_subcommand *cli_subcommands(void)
{
	return subcommands;
}

/* What --help prints after the options: every subcommand. */
static char *subcommand_list(void)
{
	GString *s = g_string_new("Subcommands (each has its --help: tcpsim sweep --help):\n");
	for (const struct cli_subcommand *c = subcommands; c->name; c++)
		g_string_append_printf(s, "  tcpsim %s\n      %s\n", c->synopsis, c->what);
	g_string_append(s, "\nThe subcommand is the first word that is not an option nor an option's value:\n"
	                   "tcpsim -q sweep X.ini and tcpsim sweep -q X.ini are one command.\n"
	                   "Config reference: tcpsim --help-config; scripts: tcpsim --help-scripts;\n"
	                   "the manual: man tcpsim.");
	return g_string_free(s, FALSE);
}

static bool parse_cli(int argc, char **argv, struct cli *cli, GError **error)
{
	GOptionEntry entries[CLI_MAX_OPTIONS];
	run_options(cli, entries);
	GOptionContext *ctx = g_option_context_new("- simulate TCP connections");
	g_option_context_set_summary(ctx,
		"Runs the two TCP endpoints of CONFIG.ini over a simulated network, prints a\n"
		"summary and writes every segment to OUT/trace.pcap (or OUT/trace.pcapng).");
	char *list = subcommand_list();
	g_option_context_set_description(ctx, list);
	g_free(list);
	g_option_context_add_main_entries(ctx, entries, NULL);
	char **args = g_new0(char *, (size_t)argc + 1); /* the parser frees the words it takes */
	for (int i = 0; i < argc; i++)
		args[i] = g_strdup(argv[i]);
	bool ok = g_option_context_parse_strv(ctx, &args, error);
	g_strfreev(args);
	g_option_context_free(ctx);
	return ok;
}

static int usage_error(const char *msg)
{
	char *shown = escape_text(msg);
	fprintf(stderr, "tcpsim: %s\nTry \"tcpsim --help\" for more information.\n", shown);
	g_free(shown);
	return 2;
}

/* --seed joins the overrides as simulation.seed, checked like any value. */
static GPtrArray *collect_overrides(const struct cli *cli)
{
	GPtrArray *o = g_ptr_array_new_with_free_func(g_free);
	for (char **s = cli->sets; s && *s; s++)
		g_ptr_array_add(o, g_strdup(*s));
	if (cli->seed)
		g_ptr_array_add(o, g_strdup_printf("simulation.seed=%s", cli->seed));
	g_ptr_array_add(o, NULL);
	return o;
}

/* The run's folder: -o, [simulation] out, or out/<config name>. */
static char *output_folder(const struct cli *cli, const struct config *cfg)
{
	if (cli->out)
		return g_strdup(cli->out);
	if (cfg->out_dir)
		return g_strdup(cfg->out_dir);
	return g_build_filename("out", cfg->name, NULL);
}

/* Does an output go to stdout besides the summary? */
static bool file_on_stdout(const struct cli *cli)
{
	return (cli->events && strcmp(cli->events, "-") == 0) || (cli->diagram && strcmp(cli->diagram, "-") == 0) ||
	       (cli->seqgraph && strcmp(cli->seqgraph, "-") == 0);
}

static int run_config(const struct cli *cli, struct config *cfg, const char *out_dir, uint64_t run)
{
	struct run_options opt = {.out_dir = out_dir, .run = run, .trace = cli->trace ? stdout : NULL,
	                          .relative_seq = cli->relative,
	                          /* the human summary prints the calls; the JSON
	                           * summary gives each its line (calls[i].line),
	                           * formatted only when some output shows calls */
	                          .keep_calls = cli->json || (!cli->quiet && !cli->trace),
	                          .format = cli->format && strcmp(cli->format, "pcapng") == 0
	                                    ? RUN_CAPTURE_PCAPNG : RUN_CAPTURE_PCAP,
	                          .events_path = cli->events, .diagram_path = cli->diagram,
	                          .seqgraph_path = cli->seqgraph, .seqgraph_sender = -1,
	                          .report_path = cli->report, .sets = (const char *const *)cli->sets,
	                          .app_name = "tcpsim " TCPSIM_VERSION};
	enum net_role sender;
	if (cli->seqgraph_sender && seqgraph_sender_of(cli->seqgraph_sender, &sender))
		opt.seqgraph_sender = (int)sender; /* checked by check_outputs() */
	if (cli->pkt) { /* checked by check_outputs() */
		opt.pkt_role = g_str_has_prefix(cli->pkt, "server:") ? NET_SERVER : NET_CLIENT;
		opt.pkt_path = strchr(cli->pkt, ':') + 1;
	}
	struct run_result res;
	GError *error = NULL;
	int status = 0;
	if (!run_simulation(cfg, &opt, &res, &error)) {
		char *shown = escape_text(error->message);
		fprintf(stderr, "tcpsim: %s\n", shown);
		g_free(shown);
		status = (error->domain == G_FILE_ERROR && !res.net) || error->domain == CONFIG_ERROR ||
		         error->domain == OUTFILE_ERROR ? 2 : 1;
		g_error_free(error);
	} else if (!cli->quiet || cli->json) { /* an explicit --json wins over -q */
		GString *s = g_string_new(NULL);
		if (cli->json)
			summary_json(s, cfg, &res);
		else if (!cli->trace && !file_on_stdout(cli))
			summary_text(s, cfg, &res);
		fputs(s->str, stdout);
		g_string_free(s, TRUE);
	}
	run_result_clear(&res);
	return status;
}

/* A usage error if two of the named files are one: an output written
 * over another, or over the config. */
static int check_collisions(const struct cli *cli, const struct config *cfg, const char *out_dir)
{
	const char *capture = cli->format && strcmp(cli->format, "pcapng") == 0 ? "trace.pcapng" : "trace.pcap";
	char *capture_path = cfg->pcap ? g_build_filename(out_dir, capture, NULL) : NULL;
	const struct { const char *what, *path; } f[] = {
		{"--events", cli->events}, {"--diagram", cli->diagram}, {"--report", cli->report},
		{"--seqgraph", cli->seqgraph},
		{"the capture", capture_path},
		{"--pkt", cli->pkt ? strchr(cli->pkt, ':') + 1 : NULL},
		{"the config file", cli->args[0]},
		{"--json", cli->json ? "-" : NULL}, {"--trace", cli->trace ? "-" : NULL},
	};
	char *msg = NULL;
	for (size_t i = 0; !msg && i < G_N_ELEMENTS(f) - 2; i++) /* an output against any later one */
		for (size_t j = i + 1; !msg && j < G_N_ELEMENTS(f); j++)
			if (f[i].path && f[j].path && outfile_same(f[i].path, f[j].path))
				msg = strcmp(f[i].path, "-") == 0
				      ? g_strdup_printf("%s -: %s also writes to stdout", f[i].what, f[j].what)
				      : g_strdup_printf("%s %s: the same file as %s (%s)", f[i].what, f[i].path,
				                        f[j].what, f[j].path);
	int status = msg ? usage_error(msg) : 0;
	g_free(msg);
	g_free(capture_path);
	return status;
}

static int check_and_run(const struct cli *cli, struct config *cfg, uint64_t run)
{
	char *out_dir = output_folder(cli, cfg);
	int status = check_collisions(cli, cfg, out_dir);
	if (status == 0)
		status = run_config(cli, cfg, out_dir, run);
	g_free(out_dir);
	return status;
}

/* The output options, checked before anything runs. */
static int check_outputs(const struct cli *cli)
{
	GError *error = NULL;
	enum diagram_format format;
	if (cli->format && strcmp(cli->format, "pcap") != 0 && strcmp(cli->format, "pcapng") != 0) {
		char *msg = g_strdup_printf("--format %s: expected pcap or pcapng", cli->format);
		int st = usage_error(msg);
		g_free(msg);
		return st;
	}
	if (cli->relative && !cli->trace)
		return usage_error("--relative applies to --trace");
	if (cli->pkt && ((!g_str_has_prefix(cli->pkt, "client:") && !g_str_has_prefix(cli->pkt, "server:")) ||
	                 !strchr(cli->pkt, ':')[1])) {
		char *msg = g_strdup_printf("--pkt %s: expected ENDPOINT:FILE, such as client:run.pkt", cli->pkt);
		int st = usage_error(msg);
		g_free(msg);
		return st;
	}
	enum net_role sender;
	if (cli->seqgraph_sender && !seqgraph_sender_of(cli->seqgraph_sender, &sender)) {
		char *msg = g_strdup_printf("--seqgraph-sender %s: expected client or server", cli->seqgraph_sender);
		int st = usage_error(msg);
		g_free(msg);
		return st;
	}
	if (cli->seqgraph_sender && !cli->seqgraph)
		return usage_error("--seqgraph-sender applies to --seqgraph");
	if ((cli->diagram && !diagram_format_of(cli->diagram, &format, &error)) ||
	    (cli->seqgraph && !seqgraph_format_of(cli->seqgraph, &format, &error)) ||
	    (cli->report && !report_path_ok(cli->report, &error))) {
		int st = usage_error(error->message);
		g_error_free(error);
		return st;
	}
	return 0;
}

/* --run N picks one run of a sweep's config: a plain run, [sweep] aside. */
static bool replays_a_run(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--run") == 0 || strncmp(argv[i], "--run=", 6) == 0)
			return true;
	return false;
}

/* --print-netem reads a sweep's config as one run's: [sweep] aside. */
static bool prints_netem(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--print-netem") == 0)
			return true;
	return false;
}

/* --seed N, --run N: a whole number, or a usage error naming the option. */
static bool parse_count(const char *option, const char *text, uint64_t *out, int *status)
{
	const char *why = NULL;
	*out = 0;
	if (!text || units_parse_uint(text, 0, UINT64_MAX, out, &why))
		return true;
	char *msg = g_strdup_printf("%s %s: %s", option, text, why);
	*status = usage_error(msg);
	g_free(msg);
	return false;
}

/* One direction as a tc command, after a comment saying where it goes and
 * one naming each setting netem cannot express. */
static void print_netem_direction(GString *s, const char *direction, const char *host,
                                  const struct link_params *p)
{
	GString *words = g_string_new(NULL), *notes = g_string_new(NULL);

	netem_format(p, words, notes);
	g_string_append_printf(s, "# %s: on the %s's interface (its egress); IF is its name\n", direction, host);
	char **lines = g_strsplit(notes->str, "\n", -1);
	for (char **l = lines; *l; l++)
		if (**l)
			g_string_append_printf(s, "# not in netem: %s\n", *l);
	g_strfreev(lines);
	g_string_append_printf(s, "tc qdisc add dev IF root netem%s%s\n", words->len ? " " : "", words->str);
	g_string_free(words, TRUE);
	g_string_free(notes, TRUE);
}

/* --print-netem: the network of cfg in netem's words; exit status 0. */
static int print_netem(const struct config *cfg)
{
	GString *s = g_string_new(NULL);

	print_netem_direction(s, "client -> server", "client", &cfg->c2s);
	print_netem_direction(s, "server -> client", "server", &cfg->s2c);
	fputs(s->str, stdout);
	g_string_free(s, TRUE);
	return 0;
}

/* --help-config, --help-scripts, --man, --completion SHELL: a text from the tables. */
static int print_reference(const struct cli *cli)
{
	GString *s = g_string_new(NULL);
	int status = 0;
	if (cli->help_config)
		config_print_reference(s);
	else if (cli->help_scripts)
		script_print_reference(s);
	else if (cli->man)
		cli_print_man(s);
	else if (!cli_print_completion(s, cli->completion)) {
		char *msg = g_strdup_printf("--completion %s: expected bash", cli->completion);
		status = usage_error(msg);
		g_free(msg);
	}
	if (status == 0)
		fputs(s->str, stdout);
	g_string_free(s, TRUE);
	return status;
}

/* Everything after the options are parsed; the caller frees them. */
static int tcpsim_main(struct cli *cli, const struct config_source *src)
{
	if (cli->version) {
		printf("tcpsim %s\n", TCPSIM_VERSION);
		return 0;
	}
	if (cli->help_config || cli->help_scripts || cli->man || cli->completion)
		return print_reference(cli);
	if (!cli->args || !cli->args[0])
		return usage_error("no config file given");
	int status = 0;
	uint64_t seed, run;
	if (!parse_count("--seed", cli->seed, &seed, &status) ||
	    !parse_count("--run", cli->run, &run, &status))
		return status;
	if (cli->args[1])
		return usage_error("one config file at a time");
	if ((status = check_outputs(cli)) != 0)
		return status;
	GPtrArray *overrides = collect_overrides(cli);
	struct config cfg;
	GError *error = NULL;
	if (!config_load_with(src, cli->args[0], (const char *const *)overrides->pdata, &cfg, &error)) {
		fprintf(stderr, "%s\n", error->message);
		g_error_free(error);
		status = 2;
	} else {
		status = cli->print_netem ? print_netem(&cfg) : check_and_run(cli, &cfg, run);
		config_clear(&cfg);
	}
	g_ptr_array_free(overrides, TRUE);
	return status;
}

static void cli_clear(struct cli *cli)
{
	g_strfreev(cli->sets);
	g_strfreev(cli->args);
	g_free(cli->seed);
	g_free(cli->run);
	g_free(cli->out);
	g_free(cli->format);
	g_free(cli->events);
	g_free(cli->diagram);
	g_free(cli->seqgraph);
	g_free(cli->seqgraph_sender);
	g_free(cli->report);
	g_free(cli->pkt);
	g_free(cli->completion);
}

/* What the option word `arg` is ("-o", "--set"; not "--set=K=V"): an
 * option that takes the next word as its value, a flag, or unknown.  From
 * the run's rows, then the subcommands' (tcpsim -j 2 SWEEP.ini). */
static enum cli_option_kind option_kind(const char *arg)
{
	GOptionEntry e[CLI_MAX_OPTIONS];
	size_t n = cli_run_options(e);
	for (size_t i = 0; i < n; i++) {
		bool named = arg[1] == '-' ? e[i].long_name[0] && strcmp(arg + 2, e[i].long_name) == 0
		                           : arg[2] == '\0' && e[i].short_name && arg[1] == e[i].short_name;
		if (named)
			return e[i].arg != G_OPTION_ARG_NONE ? CLI_OPTION_VALUE : CLI_OPTION_FLAG;
	}
	return cli_subcommand_option_kind(arg);
}

/* Does the option word take the next word as its value?  An option none
 * knows is taken for a flag (the parser names it). */
static bool takes_next_word(const char *arg)
{
	return option_kind(arg) == CLI_OPTION_VALUE;
}

/* One word of short options as getopt(3) reads it (POSIX utility syntax
 * guidelines 5 and 6): "-qj2" is "-q -j 2", "-oDIR" is "-o DIR", the
 * value being the rest of the word.  GOption takes a value only from the
 * next word, so the word is split before it parses.  A word with a letter
 * no option has is kept whole, for the parser to name. */
static void split_short_word(GPtrArray *out, const char *word)
{
	GPtrArray *parts = g_ptr_array_new_with_free_func(g_free);
	const char *p = word + 1;
	for (; *p; p++) {
		char opt[3] = {'-', *p, '\0'};
		enum cli_option_kind kind = option_kind(opt);
		if (kind == CLI_OPTION_UNKNOWN)
			break;
		g_ptr_array_add(parts, g_strdup(opt));
		if (kind == CLI_OPTION_VALUE && p[1]) {
			g_ptr_array_add(parts, g_strdup(p + 1));
			p += strlen(p) - 1;
		}
	}
	if (*p) /* a letter no option has */
		g_ptr_array_add(out, g_strdup(word));
	for (guint i = 0; !*p && i < parts->len; i++)
		g_ptr_array_add(out, g_strdup(parts->pdata[i]));
	g_ptr_array_free(parts, TRUE);
}

/* argv with its glued short options split (split_short_word()), up to
 * "--"; an option's value is never split ("-o -x" keeps "-x").  A
 * NULL-terminated copy to g_strfreev(); *out_argc its length. */
static char **split_short_options(int argc, char **argv, int *out_argc)
{
	GPtrArray *out = g_ptr_array_new();
	bool value = false, rest = false;
	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];
		if (i == 0 || value || rest || w[0] != '-' || w[1] == '-' || w[1] == '\0' || w[2] == '\0')
			g_ptr_array_add(out, g_strdup(w));
		else
			split_short_word(out, w);
		rest = rest || (!value && strcmp(w, "--") == 0);
		const char *last = out->pdata[out->len - 1]; /* "-j" of "-qj": its value comes next */
		value = !value && !rest && i > 0 && last[0] == '-' && last[1] && takes_next_word(last);
	}
	*out_argc = (int)out->len;
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

/* The index of the first word that is neither an option nor an option's
 * value (the subcommand or the config), or argc.  A lone "-" is a word
 * (as getopt takes it); after "--" everything is. */
static int first_word(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		if (argv[i][0] != '-' || argv[i][1] == '\0')
			return i;
		if (takes_next_word(argv[i]))
			i++;
	}
	return argc;
}

/* argv with word w moved to the front (the subcommand's argv[0]); the
 * strings are argv's. */
static char **word_first(int argc, char **argv, int w)
{
	char **v = g_new0(char *, (size_t)argc + 1);
	int n = 0;
	v[n++] = argv[w];
	for (int i = 1; i < argc; i++)
		if (i != w)
			v[n++] = argv[i];
	return v;
}

static const struct cli_subcommand *find_subcommand(const char *word)
{
	for (const struct cli_subcommand *c = subcommands; c->name; c++)
		if (strcmp(word, c->name) == 0)
			return c;
	return NULL;
}

/* The subcommand `word` is likely a typo of (config_typo_distance(), as
 * the config's did-you-mean), or NULL. */
static const struct cli_subcommand *near_subcommand(const char *word)
{
	const struct cli_subcommand *best = NULL;
	size_t best_d = SIZE_MAX;
	for (const struct cli_subcommand *c = subcommands; c->name; c++) {
		size_t d = config_typo_distance(word, c->name);
		if (d < best_d) {
			best = c;
			best_d = d;
		}
	}
	return best;
}

/* A usage error for a word that is no file but nearly a subcommand's
 * name (tcpsim swep X.ini), else 0: the word is the config. */
static int check_misspelt_subcommand(const char *word)
{
	const struct cli_subcommand *c = near_subcommand(word);
	if (!c || strcmp(word, "-") == 0 || g_file_test(word, G_FILE_TEST_EXISTS))
		return 0;
	char *msg = g_strdup_printf("unknown subcommand '%s'; did you mean '%s'?", word, c->name);
	int status = usage_error(msg);
	g_free(msg);
	return status;
}

bool cli_parse_subcommand(GOptionContext *ctx, const char *name, int argc, char **argv, GError **error)
{
	/* a copy, which the parser reorders and frees the parsed words of */
	char **args = split_short_options(argc, argv, &argc);
	g_free(args[0]);
	args[0] = g_strdup_printf("tcpsim %s", name); /* its --help's "Usage:" */
	bool ok = g_option_context_parse_strv(ctx, &args, error);
	g_strfreev(args);
	return ok;
}

const char *cli_subcommand_named(int argc, char **argv)
{
	char **args = split_short_options(argc, argv, &argc);
	int w = first_word(argc, args);
	const struct cli_subcommand *sub = w < argc ? find_subcommand(args[w]) : NULL;
	g_strfreev(args);
	return sub ? sub->name : NULL;
}

/* tcpsim [OPTION...] SUBCOMMAND [OPTION...] ...: the options on either side
 * go to the subcommand. */
static int run_subcommand(const struct cli_subcommand *c, int argc, char **argv, int w)
{
	char **v = word_first(argc, argv, w);
	int status = c->main(argc - 1, v);
	g_free(v);
	return status;
}

/* The command line, its short options split (split_short_options()). */
static int command(int argc, char **argv)
{
	/* tcpsim sweep ..., tcpsim merge ..., tcpsim pkt ..., or a config with
	 * a [sweep] section, wherever the options are */
	int w = first_word(argc, argv);
	const struct cli_subcommand *sub = w < argc ? find_subcommand(argv[w]) : NULL;
	if (sub)
		return run_subcommand(sub, argc, argv, w);
	int status = w < argc ? check_misspelt_subcommand(argv[w]) : 0;
	if (status != 0)
		return status;
	struct config_source src = {0}; /* read once: a pipe cannot be read again */
	if (w < argc && config_source_read(argv[w], &src, NULL) &&
	    config_source_has_sweep(&src) && !replays_a_run(argc, argv) && !prints_netem(argc, argv)) {
		int st = sweep_main_source(argc, argv, &src);
		config_source_clear(&src);
		return st;
	}
	struct cli cli = {0};
	GError *error = NULL;
	if (parse_cli(argc, argv, &cli, &error)) {
		status = tcpsim_main(&cli, &src);
	} else {
		status = usage_error(error->message);
		g_error_free(error);
	}
	cli_clear(&cli);
	config_source_clear(&src);
	return status;
}

/* Output on stdout that did not reach it is an error (exit status 1),
 * like any output: buffered bytes meet a full disk or a closed pipe only
 * at fflush(3), and fclose(3) reports what close(2) says. */
int tcpsim_command(int argc, char **argv)
{
	char **args = split_short_options(argc, argv, &argc);
	int status = command(argc, args);
	g_strfreev(args);
	return status;
}
