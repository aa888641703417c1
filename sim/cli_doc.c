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

/* Room for a line of preformatted text, set from the left margin (the
 * references are wrapped for 80 columns, man's default width). */
#define VERBATIM_WIDTH 80

/* One line of preformatted text, wrapped at blanks to VERBATIM_WIDTH
 * characters, each part at the line's own indent.  A word longer than
 * the room stays whole. */
static void append_wrapped_line(GString *out, const char *line)
{
	size_t indent = strspn(line, " ");
	const char *p = line + indent;
	glong room = VERBATIM_WIDTH - (glong)indent;
	while (g_utf8_strlen(p, -1) > room) {
		const char *cut = NULL;
		const char *q = p;
		for (glong n = 0; *q && n <= room; q += g_utf8_skip[*(const guchar *)q], n++)
			if (*q == ' ')
				cut = q;
		if (!cut || cut == p)
			break;
		char *part = g_strndup(p, (size_t)(cut - p));
		g_string_append_printf(out, "%*s", (int)indent, "");
		append_roff(out, part);
		g_string_append_c(out, '\n');
		g_free(part);
		p = cut + strspn(cut, " ");
	}
	g_string_append_printf(out, "%*s", (int)(*p ? indent : 0), "");
	append_roff(out, p);
	g_string_append_c(out, '\n');
}

/* A block of preformatted text (the references), as it is printed, from
 * the left margin, its long lines wrapped (man would let an unfilled line
 * run past the terminal's edge). */
static void append_verbatim(GString *out, const char *text)
{
	g_string_append(out, ".nf\n.in 0\n");
	char **lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++)
		if (**l || l[1]) /* not the empty word after the last newline */
			append_wrapped_line(out, *l);
	g_strfreev(lines);
	g_string_append(out, ".in\n.fi\n");
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

/* One option of a --help line, "-o, --out=DIR", as a tag: the names
 * bold, the value italic. */
static void append_option_tag(GString *out, const char *head)
{
	char **names = g_strsplit(head, ", ", 0);
	for (char **n = names; *n; n++) {
		size_t len = strcspn(*n, "=");
		char *name = g_strndup(*n, len);
		g_string_append(out, n == names ? "\\fB" : ", \\fB");
		append_roff(out, name);
		g_string_append(out, "\\fR");
		if ((*n)[len]) {
			g_string_append(out, "=\\fI");
			append_roff(out, *n + len + 1);
			g_string_append(out, "\\fR");
		}
		g_free(name);
	}
	g_strfreev(names);
}

/* A subcommand's options as its --help gives them, one tagged paragraph
 * each, so that man fills the descriptions to the terminal's width. */
static void man_subcommand_options(GString *out, const struct cli_subcommand *c)
{
	char *help = c->help();
	char **lines = option_lines(help);

	g_string_append(out, ".RS\n");
	for (char **l = lines; *l; l++) {
		const char *end = strstr(*l, "  "); /* the option, then its description */
		char *head = end ? g_strndup(*l, (size_t)(end - *l)) : g_strdup(*l);
		g_string_append(out, ".TP\n");
		append_option_tag(out, head);
		g_string_append_c(out, '\n');
		if (end) {
			append_roff(out, end + strspn(end, " "));
			g_string_append_c(out, '\n');
		}
		g_free(head);
	}
	g_string_append(out, ".RE\n");
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
	"Each file is written whole to a temporary file and renamed (but runs.csv, which\n"
	"grows as the runs finish).\n"
	"\\fIOUT\\fR is \\fB\\-o\\fR, else [simulation] out, else out/\\fINAME\\fR/ for\n"
	"\\fINAME\\fR.ini.\n"
	".TP\n.IR OUT /trace.pcap \" or \" OUT /trace.pcapng\n"
	"A run's capture (\\fB\\-\\-format\\fR; none with [simulation] pcap = false).\n"
	".TP\n\\fIFILE\\fR of \\fB\\-\\-events\\fR\n"
	"Every event of the run as JSON Lines (\\fB\\-\\fR: standard output).\n"
	".TP\n\\fIFILE\\fR of \\fB\\-\\-diagram\\fR\n"
	"The sequence diagram, SVG or PNG by its name.\n"
	".TP\n\\fIFILE\\fR of \\fB\\-\\-seqgraph\\fR\n"
	"The time-sequence graph (tcptrace style) of the first connection's data, with\n"
	"its sender's cwnd, ssthresh, SRTT and RTO below, SVG or PNG by its name.\n"
	".TP\n\\fIFILE.html\\fR of \\fB\\-\\-report\\fR\n"
	"The interactive HTML report of the run, self-contained.\n"
	".TP\n\\fIFILE\\fR of \\fB\\-\\-pkt\\fR \\fIENDPOINT\\fR:\\fIFILE\\fR\n"
	"The run as one endpoint lived it, a packetdrill script.\n"
	".TP\n.IR OUT /runs.csv\n"
	"A sweep's runs, one row each, written as they finish (a sweep run again resumes from it).\n"
	".TP\n.IR OUT /summary.csv\n"
	"A sweep's points, one row each, with the statistics of every metric.\n"
	".TP\n.IR OUT /metrics.csv\n"
	"The readable title and unit of each metric of summary.csv, for the figures' axes.\n"
	".TP\n.IR OUT /sweep.meta\n"
	"What the sweep is (config, fingerprint, parameters, metrics, shard): checked by\n"
	"a resumed sweep and by \\fBtcpsim merge\\fR.\n"
	".TP\n.IR OUT /shard\\-K\\-of\\-N/\n"
	"The default folder of \\fBtcpsim sweep \\-\\-shard\\fR \\fIK\\fR/\\fIN\\fR; the same four files.\n"
	".TP\n.IR DIR / CHECK .ini \", \" DIR / CHECK /\n"
	"\\fBtcpsim explore\\fR: the smallest counterexample of each violated check as a config,\n"
	"and its run: trace.pcapng, diagram.svg, report.html (\\fIDIR\\fR: \\fB\\-o\\fR, else\n"
	"out/\\fINAME\\fR/explore).\n"
	".TP\n.IR DIR /.resume\\- FINGERPRINT /\n"
	"\\fBtcpsim explore\\fR: the units explored so far, read back by a run of the same\n"
	"exploration; removed when it completes.\n"
	".TP\n.IR DIR / NAME /\n"
	"\\fBtcpsim pkt \\-o\\fR \\fIDIR\\fR: the run of script \\fINAME\\fR.pkt: trace.pcap,\n"
	"diagram.svg, report.html.\n"
	".TP\n.I PREFIX/share/tcpsim/configs\n"
	"Example configs (installed by \\fBmake install\\fR).\n"
	".TP\n.I PREFIX/share/tcpsim/plots\n"
	"The gnuplot scripts that draw a sweep's figures: \\fBplots.sh\\fR \\fIOUT\\fR writes\n"
	".IR OUT / METRIC .png.\n"
	".SH EXAMPLES\n"
	".nf\n"
	"tcpsim configs/lossy_close.ini\n"
	"tcpsim configs/lossy_close.ini \\-\\-trace \\-s network.loss=10% \\-\\-seed 7\n"
	"tcpsim configs/lossy_close.ini \\-q \\-\\-diagram close.svg\n"
	"tcpsim configs/two_way_bulk.ini \\-q \\-\\-seqgraph bulk.png\n"
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

/* What the completion offers for an option's value. */
enum value_completion { VALUE_DIR, VALUE_FILE, VALUE_NONE };

static enum value_completion completion_of(GOptionArg arg, const char *arg_description)
{
	if (g_strcmp0(arg_description, "DIR") == 0)
		return VALUE_DIR;
	return arg == G_OPTION_ARG_FILENAME ? VALUE_FILE : VALUE_NONE;
}

/* Adds the option word w to the case pattern `out` once. */
static void add_pattern_word(GString *out, GHashTable *seen, const char *w)
{
	if (!g_hash_table_add(seen, g_strdup(w)))
		return;
	if (out->len && out->str[out->len - 1] != '\t')
		g_string_append_c(out, '|');
	g_string_append(out, w);
}

/* The options, the run's and the subcommands', that take the next word
 * and whose value completes as `what`, as a case pattern "-s|--set|...".
 * A subcommand's value is a DIR or else nothing completes it. */
static void value_options(GString *out, enum value_completion what)
{
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GOptionEntry e[CLI_MAX_OPTIONS];
	size_t n = cli_run_options(e);
	for (size_t i = 0; i < n; i++) {
		if (!e[i].long_name[0] || e[i].arg == G_OPTION_ARG_NONE ||
		    completion_of(e[i].arg, e[i].arg_description) != what)
			continue;
		char *w = g_strdup_printf("--%s", e[i].long_name);
		add_pattern_word(out, seen, w);
		g_free(w);
		if (e[i].short_name) {
			char s[3] = {'-', e[i].short_name, '\0'};
			add_pattern_word(out, seen, s);
		}
	}
	for (const struct cli_subcommand *c = cli_subcommands(); c->name; c++) {
		char *help = c->help();
		char **lines = option_lines(help);
		for (char **l = lines; *l; l++) {
			const char *eq = strchr(*l, '=');
			const char *end = strstr(*l, "  ");
			if (!eq || (end && end < eq))
				continue;
			size_t vlen = strcspn(eq + 1, " ");
			char *value = g_strndup(eq + 1, vlen);
			char *head = g_strndup(*l, (size_t)(eq - *l));
			char **names = g_strsplit(head, ", ", 0);
			for (char **w = names; completion_of(G_OPTION_ARG_STRING, value) == what && *w; w++)
				add_pattern_word(out, seen, *w);
			g_strfreev(names);
			g_free(head);
			g_free(value);
		}
		g_strfreev(lines);
		g_free(help);
	}
	g_hash_table_destroy(seen);
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
	                     "\tCOMPREPLY=()\n"
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
	                     "\t--seqgraph-sender)\n\t\tCOMPREPLY=($(compgen -W 'client server' -- \"$cur\"))\n\t\treturn;;\n"
	                     "\t--completion)\n\t\tCOMPREPLY=($(compgen -W 'bash' -- \"$cur\"))\n\t\treturn;;\n\t");
	value_options(out, VALUE_DIR);
	g_string_append(out, ")\n\t\tcompopt -o filenames 2>/dev/null\n"
	                     "\t\tCOMPREPLY=($(compgen -d -- \"$cur\"))\n\t\treturn;;\n\t");
	value_options(out, VALUE_FILE);
	g_string_append(out, ")\n\t\tcompopt -o filenames 2>/dev/null\n"
	                     "\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n\t\treturn;;\n\t");
	value_options(out, VALUE_NONE);
	g_string_append(out, ")\n\t\treturn;;\n\tesac\n"
	                     "\tif [[ $cur == -* ]]; then\n"
	                     "\t\tCOMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
	                     "\t\treturn\n\tfi\n"
	                     "\t# the operands: scripts for pkt, shard folders for merge, else a\n"
	                     "\t# config (or a subcommand); folders to walk into\n"
	                     "\tcompopt -o filenames 2>/dev/null\n"
	                     "\tcase $sub in\n"
	                     "\tpkt) COMPREPLY=($(compgen -f -X '!*.pkt' -- \"$cur\") $(compgen -d -- \"$cur\"));;\n"
	                     "\tmerge) COMPREPLY=($(compgen -d -- \"$cur\"));;\n"
	                     "\t*) COMPREPLY=($(compgen -W \"$subcommands\" -- \"$cur\") "
	                     "$(compgen -f -X '!*.ini' -- \"$cur\") $(compgen -d -- \"$cur\"));;\n"
	                     "\tesac\n"
	                     "}\ncomplete -F _tcpsim tcpsim\n");
}

bool cli_print_completion(GString *out, const char *shell)
{
	if (strcmp(shell, "bash") != 0)
		return false;
	bash_completion(out);
	return true;
}
