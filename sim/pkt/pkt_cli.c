/*
 * tcpsim pkt: runs packetdrill scripts against the model (pkt_run.h).
 *
 *   tcpsim pkt [--profile NAME] [-D NAME]... [--tolerance_usecs N]
 *              [--tolerance_percent P] [--tcp_ts_tick_usecs N] [--mss N]
 *              [--bind_port N] [--connect_port N]
 *              [--out DIR] [--trace] [-q] FILE.pkt...
 *
 * The packetdrill options (pkt_config.c) mean what they mean in a
 * script's header, and win over it, as on packetdrill's command line.
 *
 * One line per script, PASS, FAIL or UNSUPPORTED, a failure's message
 * under it in packetdrill's words, then the totals.  Exit status 0 when
 * no script failed, 1 when one did, 2 for a script that does not parse
 * or cannot be read (its error in packetdrill's form, PATH:LINE: ...) or
 * a bad option.  With --out DIR, each script's run keeps its capture in
 * DIR/NAME/trace.pcap (NAME: the script's file name without .pkt).
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include "sim/cli.h"
#include "sim/config/config.h"
#include "sim/escape.h"
#include "sim/pkt/pkt_cli.h"
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

/* The #ifdef names a script sees: the profile's system, and -D's. */
static char **defined_names(const struct pkt_cli *c)
{
	GPtrArray *v = g_ptr_array_new();
	const char *p = c->profile ? c->profile : "linux";
	if (g_str_has_prefix(p, "linux")) {
		g_ptr_array_add(v, g_strdup("linux"));
		g_ptr_array_add(v, g_strdup("Linux"));
	} else if (strcmp(p, "bsd") == 0 || strcmp(p, "freebsd") == 0) {
		g_ptr_array_add(v, g_strdup("FreeBSD"));
		g_ptr_array_add(v, g_strdup("freebsd"));
	}
	for (char **d = c->defines; d && *d; d++)
		g_ptr_array_add(v, g_strdup(*d));
	g_ptr_array_add(v, NULL);
	return (char **)g_ptr_array_free(v, FALSE);
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

/* One script: false for an error that ends the command (an output that
 * cannot be written). */
static bool run_file(const struct pkt_cli *c, const char *file, const char *const *defined,
                     struct totals *t)
{
	char *text = NULL;
	gsize len = 0;
	GError *error = NULL;
	struct pkt_script s;
	if (!g_file_get_contents(file, &text, &len, &error)) {
		char *shown = escape_text(error->message);
		fprintf(stderr, "tcpsim pkt: %s: cannot read: %s\n", file, shown);
		g_free(shown);
		g_error_free(error);
		t->errors++;
		return true;
	}
	if (!pkt_parse(file, text, len, defined, &s, &error)) {
		char *shown = escape_text(error->message);
		fprintf(stderr, "%s\n", shown);
		g_free(shown);
		g_error_free(error);
		g_free(text);
		t->errors++;
		return true;
	}
	g_free(text);
	char *dir = c->out ? run_dir(c->out, file) : NULL;
	char *diagram = dir ? g_build_filename(dir, "diagram.svg", NULL) : NULL;
	char *report_html = dir ? g_build_filename(dir, "report.html", NULL) : NULL;
	struct pkt_options o = {.profile = c->profile, .sets = (const char *const *)c->sets,
	                        .out_dir = dir, .pcap = dir != NULL,
	                        .tolerance = (sim_time)c->tolerance_usecs * SIM_US,
	                        .header_opts = (const char *const *)c->header_opts,
	                        .trace = c->trace ? stdout : NULL, .diagram_path = diagram,
	                        .report_path = report_html};
	struct pkt_outcome out;
	bool ok = pkt_run(&s, &o, &out, &error);
	if (ok) {
		report(c, file, &out);
		t->pass += out.verdict == PKT_PASS;
		t->fail += out.verdict == PKT_FAIL;
		t->unsupported += out.verdict == PKT_UNSUPPORTED;
		pkt_outcome_clear(&out);
	} else { /* a setting the config refuses: the script is not run; an output: the end */
		char *shown = escape_text(error->message);
		fprintf(stderr, "tcpsim pkt: %s\n", shown);
		g_free(shown);
		if (error->domain == PKT_ERROR) {
			t->errors++;
			ok = true;
		}
		g_error_free(error);
	}
	g_free(diagram);
	g_free(report_html);
	g_free(dir);
	pkt_script_clear(&s);
	return ok;
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
	} else if (c.tolerance_usecs < 0) {
		status = usage_error("--tolerance_usecs: expected a number of microseconds, 0 or more");
	} else if (!header_options(&c, &status)) {
		/* status set */
	} else {
		char **defined = defined_names(&c);
		struct totals t = {0};
		bool ok = true;
		for (char **f = c.files; ok && *f; f++)
			ok = run_file(&c, *f, (const char *const *)defined, &t);
		g_strfreev(defined);
		unsigned n = t.pass + t.fail + t.unsupported + t.errors;
		if (ok && (n > 1 || c.quiet)) {
			printf("%u scripts: %u passed, %u failed, %u unsupported", n, t.pass, t.fail, t.unsupported);
			if (t.errors)
				printf(", %u not run", t.errors);
			putchar('\n');
		}
		status = !ok ? 1 : t.errors ? 2 : t.fail ? 1 : 0;
	}
	g_option_context_free(ctx);
	g_free(c.profile);
	g_strfreev(c.defines);
	g_strfreev(c.sets);
	g_free(c.out);
	g_strfreev(c.files);
	for (size_t i = 0; i < G_N_ELEMENTS(c.hdr); i++)
		g_free(c.hdr[i]);
	g_strfreev(c.header_opts);
	return status;
}
