/*
 * `tcpsim --man` and `tcpsim --completion bash`: the manual page and the
 * shell completion, written from the tables the program itself uses (the
 * run's option rows and the subcommands of cli.c, the config keys of
 * sim/config/keys.c, the script calls of sim/config/script_help.c), so
 * that the manual, the completion, --help and the loader never disagree.
 * The Makefile writes them at build time (tcpsim.1, tcpsim.bash).
 */
#include <string.h>
#include <glib.h>
#include "sim/cli.h"
#include "sim/config/config.h"

/* Text as roff takes it: a backslash escaped, a line that would start
 * with a control character ('.' or '\'') guarded, non-ASCII characters as
 * \[uXXXX] (groff reads its input as Latin-1 unless told otherwise). */
static void append_roff(GString *out, const char *text)
{
	bool line_start = out->len == 0 || out->str[out->len - 1] == '\n';
	for (const char *p = text; *p; p += g_utf8_skip[*(const guchar *)p]) {
		gunichar c = g_utf8_get_char(p);
		if (line_start && (c == '.' || c == '\''))
			g_string_append(out, "\\&");
		if (c == '\\')
			g_string_append(out, "\\e");
		else if (c == '-')
			g_string_append(out, "\\-");
		else if (c >= 0x80)
			g_string_append_printf(out, "\\[u%04X]", c);
		else
			g_string_append_c(out, (char)c);
		line_start = c == '\n';
	}
}

/* A block of preformatted text (the references), as it is printed. */
static void append_verbatim(GString *out, const char *text)
{
	g_string_append(out, ".nf\n");
	append_roff(out, text);
	if (out->str[out->len - 1] != '\n')
		g_string_append_c(out, '\n');
	g_string_append(out, ".fi\n");
}

static void man_options(GString *out)
{
	GOptionEntry e[CLI_MAX_OPTIONS];
	size_t n = cli_run_options(e);
	for (size_t i = 0; i < n; i++) {
		if (!e[i].long_name[0]) /* the config, in the synopsis */
			continue;
		g_string_append(out, ".TP\n");
		if (e[i].short_name)
			g_string_append_printf(out, "\\fB\\-%c\\fR, ", e[i].short_name);
		g_string_append(out, "\\fB\\-\\-");
		append_roff(out, e[i].long_name);
		g_string_append(out, "\\fR");
		if (e[i].arg != G_OPTION_ARG_NONE) {
			g_string_append(out, " \\fI");
			append_roff(out, e[i].arg_description);
			g_string_append(out, "\\fR");
		}
		g_string_append_c(out, '\n');
		append_roff(out, e[i].description);
		g_string_append(out, ".\n");
	}
}

/* The lines of a --help text under "Application Options:", their indent
 * of two cut ("-o, --out=DIR   Output folder"). */
static char **option_lines(const char *help)
{
	const char *start = strstr(help, "Application Options:\n");
	GPtrArray *lines = g_ptr_array_new();

	if (start) {
		char **all = g_strsplit(start + strlen("Application Options:\n"), "\n", -1);
		for (char **l = all; *l && **l; l++)
			g_ptr_array_add(lines, g_strdup(g_str_has_prefix(*l, "  ") ? *l + 2 : *l));
		g_strfreev(all);
	}
	g_ptr_array_add(lines, NULL);
	return (char **)g_ptr_array_free(lines, FALSE);
}

/* A subcommand's options as its --help gives them. */
static void man_subcommand_options(GString *out, const struct cli_subcommand *c)
{
	char *help = c->help();
	char **lines = option_lines(help);

	g_string_append(out, ".RS\n.nf\n");
	for (char **l = lines; *l; l++) {
		append_roff(out, *l);
		g_string_append_c(out, '\n');
	}
	g_string_append(out, ".fi\n.RE\n");
	g_strfreev(lines);
	g_free(help);
}

static void man_subcommands(GString *out)
{
	for (const struct cli_subcommand *c = cli_subcommands(); c->name; c++) {
		g_string_append(out, ".TP\n\\fBtcpsim ");
		append_roff(out, c->synopsis);
		g_string_append(out, "\\fR\n");
		append_roff(out, c->what);
		g_string_append(out, ".  Its options (\\fBtcpsim ");
		append_roff(out, c->name);
		g_string_append(out, " \\-\\-help\\fR):\n");
		man_subcommand_options(out, c);
	}
}

static const char man_head[] =
	".TH TCPSIM 1 \"\" \"tcpsim " TCPSIM_VERSION "\" \"User Commands\"\n"
	".SH NAME\n"
	"tcpsim \\- simulate TCP connections, segment by segment, as Linux runs them\n"
	".SH SYNOPSIS\n"
	".B tcpsim\n"
	"[\\fIOPTION\\fR...] \\fICONFIG.ini\\fR\n"
	".br\n";

static const char man_description[] =
	".SH DESCRIPTION\n"
	"\\fBtcpsim\\fR runs the two TCP endpoints of \\fICONFIG.ini\\fR (a client and a\n"
	"server, each running a script of socket calls) over a simulated network\n"
	"(delay, loss, bandwidth, targeted faults), prints a summary and writes every\n"
	"segment to \\fIOUT\\fR/trace.pcap.  Simulated time only: a run is\n"
	"deterministic for a seed.\n"
	"A config with a [sweep] section runs as \\fBtcpsim sweep\\fR unless \\fB\\-\\-run\\fR\n"
	"picks one of its runs.\n"
	".PP\n"
	"The subcommand is the first word that is neither an option nor an option's\n"
	"value: \\fBtcpsim \\-q sweep X.ini\\fR and \\fBtcpsim sweep \\-q X.ini\\fR are one\n"
	"command.\n"
	".SH SUBCOMMANDS\n";

static const char man_tail[] =
	".SH EXIT STATUS\n"
	".TP\n.B 0\nThe simulation completed, whatever TCP's outcome (for \\fBpkt\\fR: no script failed).\n"
	".TP\n.B 1\nAn internal failure, or an output that could not be written (standard output\n"
	"included); for \\fBpkt\\fR, a script failed.\n"
	".TP\n.B 2\nA usage or config error: the message names the file, the line and the key,\n"
	"and nothing is written.\n"
	".SH FILES\n"
	".TP\n.IR OUT /trace.pcap \" or \" OUT /trace.pcapng\n"
	"The capture (\\fIOUT\\fR: \\fB\\-o\\fR, [simulation] out, or out/\\fINAME\\fR/ for\n"
	"\\fINAME\\fR.ini).  Written to a temporary file and renamed when complete.\n"
	".TP\n.IR OUT /runs.csv \", \" OUT /summary.csv\n"
	"A sweep's runs (one row each) and points (one row each, with statistics).\n"
	".TP\n\\fIFILE\\fR of \\fB\\-\\-events\\fR, \\fB\\-\\-diagram\\fR, \\fB\\-\\-pkt\\fR\n"
	"The events as JSON Lines, the sequence diagram (SVG or PNG), a packetdrill script.\n"
	".TP\n.I PREFIX/share/tcpsim/configs\n"
	"Example configs (installed by \\fBmake install\\fR).\n"
	".TP\n.I PREFIX/share/tcpsim/plots\n"
	"The gnuplot scripts that draw a sweep's figures.\n"
	".SH EXAMPLES\n"
	".nf\n"
	"tcpsim configs/lossy_close.ini\n"
	"tcpsim configs/lossy_close.ini \\-\\-trace \\-s network.loss=10% \\-\\-seed 7\n"
	"tcpsim configs/lossy_close.ini \\-q \\-\\-diagram close.svg\n"
	"tcpsim sweep configs/sweeps/close_time_vs_loss.ini \\-j 2\n"
	"tcpsim sweep X.ini \\-\\-shard 1/2 && tcpsim sweep X.ini \\-\\-shard 2/2\n"
	"tcpsim merge \\-o out/X out/X/shard\\-1\\-of\\-2 out/X/shard\\-2\\-of\\-2\n"
	"tcpsim pkt tests/pkt/*.pkt\n"
	".fi\n"
	".SH SEE ALSO\n"
	".BR tcpdump (1),\n"
	".BR tshark (1),\n"
	".BR packetdrill ,\n"
	"RFC 9293.\n";

void cli_print_man(GString *out)
{
	g_string_append(out, man_head);
	for (const struct cli_subcommand *c = cli_subcommands(); c->name; c++) {
		g_string_append(out, ".B tcpsim ");
		append_roff(out, c->synopsis);
		g_string_append(out, "\n.br\n");
	}
	g_string_append(out, man_description);
	man_subcommands(out);
	g_string_append(out, ".SH OPTIONS\n");
	man_options(out);
	g_string_append(out, ".SH CONFIGURATION\nThe sections and keys of a config "
	                     "(\\fBtcpsim \\-\\-help\\-config\\fR):\n");
	GString *text = g_string_new(NULL);
	config_print_reference(text);
	append_verbatim(out, text->str);
	g_string_truncate(text, 0);
	g_string_append(out, ".SH SCRIPTS\nThe script language of [client] and [server] script "
	                     "(\\fBtcpsim \\-\\-help\\-scripts\\fR):\n");
	script_print_reference(text);
	append_verbatim(out, text->str);
	g_string_free(text, TRUE);
	g_string_append(out, man_tail);
}

/* The words of the run's options, "--set -s ..." */
static void option_words(GString *out)
{
	GOptionEntry e[CLI_MAX_OPTIONS];
	size_t n = cli_run_options(e);
	for (size_t i = 0; i < n; i++) {
		if (!e[i].long_name[0])
			continue;
		g_string_append_printf(out, " --%s", e[i].long_name);
		if (e[i].short_name)
			g_string_append_printf(out, " -%c", e[i].short_name);
	}
	g_string_append(out, " --help");
}

/* The options that take the next word, as a case pattern "-s|--set|..." */
static void value_options(GString *out, bool files)
{
	GOptionEntry e[CLI_MAX_OPTIONS];
	size_t n = cli_run_options(e);
	const char *sep = "";
	for (size_t i = 0; i < n; i++) {
		if (!e[i].long_name[0] || e[i].arg == G_OPTION_ARG_NONE ||
		    (e[i].arg == G_OPTION_ARG_FILENAME) != files)
			continue;
		g_string_append_printf(out, "%s--%s", sep, e[i].long_name);
		if (e[i].short_name)
			g_string_append_printf(out, "|-%c", e[i].short_name);
		sep = "|";
	}
}

/* A subcommand's option words, "--out -o --quiet -q ...", from its --help. */
static void subcommand_option_words(GString *out, const struct cli_subcommand *c)
{
	char *help = c->help();
	char **lines = option_lines(help);

	for (char **l = lines; *l; l++) {
		const char *end = strstr(*l, "  "); /* the option, then its description */
		char *head = end ? g_strndup(*l, (size_t)(end - *l)) : g_strdup(*l);
		char **names = g_strsplit(head, ", ", 0);
		for (char **n = names; *n; n++)
			if ((*n)[0] == '-')
				g_string_append_printf(out, " %.*s", (int)strcspn(*n, "= "), *n);
		g_strfreev(names);
		g_free(head);
	}
	g_string_append(out, " --help");
	g_strfreev(lines);
	g_free(help);
}

/* What the option word arg (-j, --jobs) is in the subcommands: an option
 * that takes a value ("-j, --jobs=N" in a --help), a flag, or unknown. */
enum cli_option_kind cli_subcommand_option_kind(const char *arg)
{
	enum cli_option_kind kind = CLI_OPTION_UNKNOWN;
	for (const struct cli_subcommand *c = cli_subcommands(); kind != CLI_OPTION_VALUE && c->name; c++) {
		char *help = c->help();
		char **lines = option_lines(help);
		for (char **l = lines; kind != CLI_OPTION_VALUE && *l; l++) {
			const char *end = strstr(*l, "  ");
			char *head = end ? g_strndup(*l, (size_t)(end - *l)) : g_strdup(*l);
			char **names = g_strsplit(head, ", ", 0);
			for (char **n = names; *n; n++)
				if (strlen(arg) == strcspn(*n, "= ") && strncmp(*n, arg, strlen(arg)) == 0)
					kind = strchr(head, '=') ? CLI_OPTION_VALUE : CLI_OPTION_FLAG;
			g_strfreev(names);
			g_free(head);
		}
		g_strfreev(lines);
		g_free(help);
	}
	return kind;
}

static void bash_completion(GString *out)
{
	g_string_append(out, "# bash completion for tcpsim (tcpsim --completion bash)\n"
	                     "_tcpsim()\n{\n"
	                     "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	                     "\tlocal subcommands='");
	for (const struct cli_subcommand *c = cli_subcommands(); c->name; c++)
		g_string_append_printf(out, "%s%s", c == cli_subcommands() ? "" : " ", c->name);
	g_string_append(out, "'\n\tlocal options='");
	option_words(out);
	g_string_append(out, "'\n\tlocal keys='");
	char **paths = config_key_paths();
	for (char **p = paths; *p; p++)
		g_string_append_printf(out, "%s%s=", p == paths ? "" : " ", *p);
	g_strfreev(paths);
	g_string_append(out, "'\n\tlocal w sub=\n"
	                     "\tfor w in \"${COMP_WORDS[@]:1:COMP_CWORD-1}\"; do\n"
	                     "\t\tcase \" $subcommands \" in *\" $w \"*) sub=$w; break;; esac\n"
	                     "\tdone\n\tcase $sub in\n");
	for (const struct cli_subcommand *c = cli_subcommands(); c->name; c++) {
		g_string_append_printf(out, "\t%s) subcommands=; options='", c->name);
		subcommand_option_words(out, c);
		g_string_append(out, "';;\n");
	}
	g_string_append(out, "\tesac\n"
	                     "\t# tcpsim pkt --set takes the keys of [tcp] alone\n"
	                     "\t[[ $sub == pkt ]] && keys=$(printf '%s\\n' $keys | sed -n 's/^tcp\\.//p')\n"
	                     "\tcase $prev in\n\t-s|--set)\n"
	                     "\t\tcompopt -o nospace 2>/dev/null\n"
	                     "\t\tCOMPREPLY=($(compgen -W \"$keys\" -- \"$cur\"))\n\t\treturn;;\n"
	                     "\t--format)\n\t\tCOMPREPLY=($(compgen -W 'pcap pcapng' -- \"$cur\"))\n\t\treturn;;\n"
	                     "\t--completion)\n\t\tCOMPREPLY=($(compgen -W 'bash' -- \"$cur\"))\n\t\treturn;;\n\t");
	value_options(out, true);
	g_string_append(out, ")\n\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n\t\treturn;;\n\t");
	value_options(out, false);
	g_string_append(out, ")\n\t\treturn;;\n\tesac\n"
	                     "\tif [[ $cur == -* ]]; then\n"
	                     "\t\tCOMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
	                     "\t\treturn\n\tfi\n"
	                     "\tCOMPREPLY=($(compgen -W \"$subcommands\" -- \"$cur\") $(compgen -f -- \"$cur\"))\n"
	                     "}\ncomplete -F _tcpsim tcpsim\n");
}

bool cli_print_completion(GString *out, const char *shell)
{
	if (strcmp(shell, "bash") != 0)
		return false;
	bash_completion(out);
	return true;
}
