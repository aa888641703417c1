/*
 * tcpsim pkt: runs packetdrill scripts against the model (pkt_run.h).
 *
 *   tcpsim pkt [--profile NAME] [-D NAME]... [--tolerance_usecs N]
 *              [--tolerance_percent P] [--tcp_ts_tick_usecs N] [--mss N]
 *              [--bind_port N] [--connect_port N]
 *              [--out DIR] [--diagram FILE] [--report FILE.html] [--trace] [-q]
 *              FILE.pkt...
 *
 * The packetdrill options (pkt_config.c) mean what they mean in a
 * script's header, and win over it, as on packetdrill's command line.
 * So do --profile, --set and -D over a script's own `// tcpsim:` line
 * (pkt_directive.h): the script says how it is meant to be run, the
 * user's command says how it is run now (--set KEY=V comes after the
 * script's and so wins for KEY; -D adds names).
 *
 * One line per script, PASS, FAIL or UNSUPPORTED, a failure's message
 * under it in packetdrill's words, then the totals.  Exit status 0 when
 * no script failed, 1 when one did, 2 for a script that does not parse
 * or cannot be read (its error in packetdrill's form, PATH:LINE: ...) or
 * a bad option.  With --out DIR, each script's run keeps its capture in
 * DIR/NAME/trace.pcap (NAME: the script's file name without .pkt), with
 * diagram.svg and report.html; --diagram and --report write one script's
 * where `tcpsim run` would.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include "sim/cli.h"
#include "sim/config/config.h"
#include "sim/escape.h"
#include "sim/pkt/pkt_cli.h"
#include "sim/pkt/pkt_directive.h"
#include "sim/pkt/pkt_run.h"
#include "sim/pkt/pkt_runner.h"

struct pkt_cli {
	char *profile;
	char **sets;
	char **defines;
	int tolerance_usecs;
	char *hdr[5];            /* tolerance_percent, tcp_ts_tick_usecs, mss, bind_port, connect_port */
	char **header_opts;      /* "name=value" of those given */
	char *out;
	char *diagram, *report; /* one script's, as `tcpsim run --diagram/--report` */
	gboolean trace, quiet;
	char **files;
};

struct totals {
	unsigned pass, fail, unsupported, errors;
};

static int usage_error(const char *msg)
{
	char *shown = escape_text(msg);
	fprintf(stderr, "tcpsim pkt: %s\nTry \"tcpsim pkt --help\" for more information.\n", shown);
	g_free(shown);
	return 2;
}

/* A vector's words then another's, borrowed (the vector is g_free'd). */
static const char **joined(GPtrArray *first, char **then)
{
	GPtrArray *v = g_ptr_array_new();
	for (guint i = 0; first && i < first->len; i++)
		g_ptr_array_add(v, first->pdata[i]);
	for (char **w = then; w && *w; w++)
		g_ptr_array_add(v, *w);
	g_ptr_array_add(v, NULL);
	void *words = g_ptr_array_free(v, FALSE); /* gpointer * to const char **: via void * */
	return words;
}

static char *run_dir(const char *out, const char *file)
{
	char *base = g_path_get_basename(file);
	if (g_str_has_suffix(base, ".pkt"))
		base[strlen(base) - 4] = '\0';
	char *dir = g_build_filename(out, base, NULL);
	g_free(base);
	return dir;
}

static void report(const struct pkt_cli *c, const char *file, const struct pkt_outcome *o)
{
	static const char *const words[] = {"PASS", "FAIL", "UNSUPPORTED"};
	if (c->quiet && o->verdict == PKT_PASS)
		return;
	char *shown = escape_text(file);
	printf("%-11s %s\n", words[o->verdict], shown);
	g_free(shown);
	if (o->message && !c->quiet) {
		char **lines = g_strsplit(o->message, "\n", -1);
		for (char **l = lines; *l; l++) {
			char *t = escape_text(*l);
			printf("    %s\n", t);
			g_free(t);
		}
		g_strfreev(lines);
	}
}

static bool read_script(const char *file, char **text, gsize *len, struct totals *t)
{
	GError *error = NULL;
	if (g_file_get_contents(file, text, len, &error))
		return true;
	char *shown = escape_text(error->message), *name = escape_text(file);
	fprintf(stderr, "tcpsim pkt: %s: cannot read: %s\n", name, shown);
	g_free(name);
	g_free(shown);
	g_error_free(error);
	t->errors++;
	return false;
}

static void count(struct totals *t, const char *file, const struct pkt_cli *c, const struct pkt_outcome *out)
{
	report(c, file, out);
	t->pass += out->verdict == PKT_PASS;
	t->fail += out->verdict == PKT_FAIL;
	t->unsupported += out->verdict == PKT_UNSUPPORTED;
}

/* A script that cannot be run (does not parse, a bad `// tcpsim:` line, a
 * setting the config refuses): its error, and it is counted as not run. */
static void not_run(GError *error, bool prefix, struct totals *t)
{
	char *shown = escape_text(error->message);
	fprintf(stderr, "%s%s\n", prefix ? "tcpsim pkt: " : "", shown);
	g_free(shown);
	g_error_free(error);
	t->errors++;
}

/* Runs a parsed script with the command line's options over its own
 * `// tcpsim:` ones (d): false for an error that ends the command. */
static bool run_parsed(const struct pkt_cli *c, const char *file, const struct pkt_script *s,
                       const struct pkt_directive *d, struct totals *t)
{
	char *dir = c->out ? run_dir(c->out, file) : NULL;
	char *diagram = c->diagram ? g_strdup(c->diagram) : dir ? g_build_filename(dir, "diagram.svg", NULL) : NULL;
	char *report_html = c->report ? g_strdup(c->report) : dir ? g_build_filename(dir, "report.html", NULL) : NULL;
	const char **sets = joined(d->sets, c->sets); /* the command line's last: they win */
	struct pkt_options o = {.profile = c->profile ? c->profile : d->profile, .sets = sets,
	                        .out_dir = dir, .pcap = dir != NULL,
	                        .tolerance = (sim_time)c->tolerance_usecs * SIM_US,
	                        .header_opts = (const char *const *)c->header_opts,
	                        .trace = c->trace ? stdout : NULL, .diagram_path = diagram,
	                        .report_path = report_html};
	struct pkt_outcome out;
	GError *error = NULL;
	bool ok = pkt_run(s, &o, &out, &error);
	if (ok) {
		count(t, file, c, &out);
		pkt_outcome_clear(&out);
	} else if (error->domain == PKT_ERROR) { /* a setting the config refuses: not run */
		not_run(error, true, t);
		ok = true;
	} else { /* an output: the end */
		char *shown = escape_text(error->message);
		fprintf(stderr, "tcpsim pkt: %s\n", shown);
		g_free(shown);
		g_error_free(error);
	}
	g_free(sets);
	g_free(diagram);
	g_free(report_html);
	g_free(dir);
	return ok;
}

/* One script: false for an error that ends the command (an output that
 * cannot be written). */
static bool run_file(const struct pkt_cli *c, const char *file, struct totals *t)
{
	char *text = NULL;
	gsize len = 0;
	if (!read_script(file, &text, &len, t))
		return true;
	GError *error = NULL;
	struct pkt_directive d;
	bool ok = true;
	if (!pkt_directive_read(file, text, &d, &error)) {
		not_run(error, false, t);
	} else {
		const char **defines = joined(d.defines, c->defines);
		char **defined = pkt_defined_names(c->profile ? c->profile : d.profile, defines, NULL);
		struct pkt_script s;
		if (!pkt_parse(file, text, len, (const char *const *)defined, &s, &error)) {
			not_run(error, false, t);
		} else {
			ok = run_parsed(c, file, &s, &d, t);
			pkt_script_clear(&s);
		}
		g_strfreev(defined);
		g_free(defines);
	}
	pkt_directive_clear(&d);
	g_free(text);
	return ok;
}

/* "1 script: 1 passed, ...": the participles read for one as for many. */
static void print_totals(const struct totals *t, unsigned n)
{
	printf("%u script%s: %u passed, %u failed, %u unsupported", n, n == 1 ? "" : "s", t->pass, t->fail,
	       t->unsupported);
	if (t->errors)
		printf(", %u not run", t->errors);
	putchar('\n');
}

/* The packetdrill options given, checked as a script's header would be
 * (a bad value is a usage error), as "name=value" for pkt_run(). */
static bool header_options(struct pkt_cli *c, int *status)
{
	static const char *const names[] = {"tolerance_percent", "tcp_ts_tick_usecs", "mss", "bind_port",
	                                    "connect_port"};
	GPtrArray *v = g_ptr_array_new();
	struct pkt_config probe;
	pkt_config_init(&probe);
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		char *why = NULL;
		if (!c->hdr[i])
			continue;
		if (pkt_config_apply(&probe, names[i], c->hdr[i], &why) != PKT_CONFIG_OK) {
			*status = usage_error(why);
			g_free(why);
			g_ptr_array_add(v, NULL);
			g_strfreev((char **)g_ptr_array_free(v, FALSE));
			return false;
		}
		g_ptr_array_add(v, g_strdup_printf("%s=%s", names[i], c->hdr[i]));
	}
	g_ptr_array_add(v, NULL);
	c->header_opts = (char **)g_ptr_array_free(v, FALSE);
	return true;
}

/* The options of tcpsim pkt, their values going to *c. */
static GOptionContext *pkt_context(struct pkt_cli *c)
{
	const GOptionEntry entries[] = {
		{"profile", 'p', 0, G_OPTION_ARG_STRING, &c->profile,
		 "The system under test's OS profile (default linux)", "NAME"},
		{"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &c->sets,
		 "A TCP setting of the system under test besides its profile's, as in [client.tcp] "
		 "(repeatable)", "KEY=VALUE"},
		{"define", 'D', 0, G_OPTION_ARG_STRING_ARRAY, &c->defines,
		 "A name #ifdef sees as defined (the profile's system is: linux, FreeBSD)", "NAME"},
		{"tolerance_usecs", 0, 0, G_OPTION_ARG_INT, &c->tolerance_usecs,
		 "Timing tolerance, over the script's own (packetdrill's default: 4000)", "N"},
		{"tolerance_percent", 0, 0, G_OPTION_ARG_STRING, &c->hdr[0],
		 "Tolerance as a percentage of the time since the event before, when more "
		 "(packetdrill's default: 12.5)", "P"},
		{"tcp_ts_tick_usecs", 0, 0, G_OPTION_ARG_STRING, &c->hdr[1],
		 "Check outbound TS val, one tick being N us (default 0: not checked)", "N"},
		{"mss", 0, 0, G_OPTION_ARG_STRING, &c->hdr[2],
		 "Inject inbound packets longer than N as GSO packets of N-byte segments", "N"},
		{"bind_port", 0, 0, G_OPTION_ARG_STRING, &c->hdr[3], "The port ... stands for in bind() (8080)", "N"},
		{"connect_port", 0, 0, G_OPTION_ARG_STRING, &c->hdr[4],
		 "The port ... stands for in connect() (8080)", "N"},
		{"out", 'o', 0, G_OPTION_ARG_FILENAME, &c->out,
		 "Keep each run: DIR/NAME/trace.pcap, diagram.svg and report.html", "DIR"},
		{"diagram", 0, 0, G_OPTION_ARG_FILENAME, &c->diagram,
		 "Write the sequence diagram to FILE (.svg, or .png when built with cairo); one script only", "FILE"},
		{"report", 0, 0, G_OPTION_ARG_FILENAME, &c->report,
		 "Write the interactive HTML report of the run to FILE; one script only", "FILE.html"},
		{"trace", 't', 0, G_OPTION_ARG_NONE, &c->trace, "Print each run's trace (tcpdump and strace lines)", NULL},
		{"quiet", 'q', 0, G_OPTION_ARG_NONE, &c->quiet, "Only the scripts that did not pass, and the totals", NULL},
		{G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &c->files, NULL, "FILE.pkt..."},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	GOptionContext *ctx = g_option_context_new("- run packetdrill scripts against the model");
	g_option_context_set_summary(ctx,
		"Each script plays the remote peer (its '<' packets) and the application (its\n"
		"system calls) against one tcpsim endpoint at 192.168.0.1; every '>' packet is\n"
		"checked against what the model sends, field by field and in time, as packetdrill\n"
		"checks a kernel.  PASS, FAIL (with packetdrill's message) or UNSUPPORTED (what\n"
		"the model cannot run) for each, then the totals.  Exit status: 0 none failed,\n"
		"1 one failed, 2 a script does not parse or cannot be read.");
	g_option_context_add_main_entries(ctx, entries, NULL); /* copies the rows */
	return ctx;
}

char *pkt_help(void)
{
	struct pkt_cli unused = {0};
	GOptionContext *ctx = pkt_context(&unused);
	char *help = g_option_context_get_help(ctx, TRUE, NULL);
	g_option_context_free(ctx);
	return help;
}

int pkt_main(int argc, char **argv)
{
	struct pkt_cli c = {0};
	GOptionContext *ctx = pkt_context(&c);
	GError *error = NULL;
	int status = 0;
	if (!cli_parse_subcommand(ctx, "pkt", argc, argv, &error)) {
		status = usage_error(error->message);
		g_clear_error(&error);
	} else if (!c.files || !c.files[0]) {
		status = usage_error("no script given (FILE.pkt...)");
	} else if ((c.diagram || c.report) && c.files[1]) {
		status = usage_error(c.diagram ? "--diagram: one script only (--out DIR keeps each one's)"
		                               : "--report: one script only (--out DIR keeps each one's)");
	} else if (c.tolerance_usecs < 0) {
		status = usage_error("--tolerance_usecs: expected a number of microseconds, 0 or more");
	} else if (!header_options(&c, &status)) {
		/* status set */
	} else {
		struct totals t = {0};
		bool ok = true;
		for (char **f = c.files; ok && *f; f++)
			ok = run_file(&c, *f, &t);
		unsigned n = t.pass + t.fail + t.unsupported + t.errors;
		if (ok && (n > 1 || c.quiet))
			print_totals(&t, n);
		status = !ok ? 1 : t.errors ? 2 : t.fail ? 1 : 0;
	}
	g_option_context_free(ctx);
	g_free(c.profile);
	g_strfreev(c.defines);
	g_strfreev(c.sets);
	g_free(c.out);
	g_free(c.diagram);
	g_free(c.report);
	g_strfreev(c.files);
	for (size_t i = 0; i < G_N_ELEMENTS(c.hdr); i++)
		g_free(c.hdr[i]);
	g_strfreev(c.header_opts);
	return status;
}
