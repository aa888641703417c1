/*
 * tcpsim's command line (sim/cli.c), callable: main() only adds the
 * process-wide set-up (signal handlers, the lock file's command) and the
 * check that stdout was written.
 */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

#define TCPSIM_VERSION "0.1.0"

/* Room for the run's option rows (GOptionEntry, the last one all NULL). */
#define CLI_MAX_OPTIONS 40

/* A subcommand: `tcpsim NAME ...` runs main(argc, argv) with argv[0] NAME. */
struct cli_subcommand {
	const char *name;
	const char *synopsis; /* after "tcpsim " */
	const char *what;     /* one sentence */
	int (*main)(int argc, char **argv);
	char *(*help)(void);  /* its --help text, to g_free */
};

/* Parses the options of subcommand `name` (argv[0] is skipped) with ctx,
 * its --help saying "Usage: tcpsim NAME ...": the options go to ctx's
 * targets, the other words to its G_OPTION_REMAINING row.  false with
 * *error as g_option_context_parse() gives it. */
bool cli_parse_subcommand(GOptionContext *ctx, const char *name, int argc, char **argv, GError **error);

/* `tcpsim ARGS...`: a run, `sweep`, `merge`; the exit status (0, 1, 2). */
int tcpsim_command(int argc, char **argv);

/* The run's option rows (their targets unused), NULL-terminated; their number. */
size_t cli_run_options(GOptionEntry out[CLI_MAX_OPTIONS]);
/* The subcommands, ending with a NULL name. */
const struct cli_subcommand *cli_subcommands(void);
/* The subcommand a command line names ("merge" in `tcpsim --run 3 merge
 * ...`: the first word that is neither an option nor an option's value),
 * or NULL for a run. */
const char *cli_subcommand_named(int argc, char **argv);

/* sim/cli_doc.c: the manual page (roff) and the shell completion, written
 * from the option rows, the subcommands and the config and script tables. */
void cli_print_man(GString *out);
enum cli_option_kind { CLI_OPTION_UNKNOWN, CLI_OPTION_FLAG, CLI_OPTION_VALUE };
/* The option word (-j, --jobs) in the subcommands: it takes a value in
 * some subcommand, it is a flag in one, or none knows it. */
enum cli_option_kind cli_subcommand_option_kind(const char *arg);
/* false: no completion for that shell */
bool cli_print_completion(GString *out, const char *shell);

#endif
