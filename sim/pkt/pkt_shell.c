/*
 * The shell lines of a script, interpreted (see pkt_shell.h): sh's words
 * and quotes, $((...)), $NAME, $(uname), redirections to /dev/null, `;`
 * `&&` `||` and pipes, if ... fi; files read line by line; each simple
 * command understood by what it says, or refused with where it is.  A
 * line is split into words first and each command's words expanded as it
 * runs, so a branch not taken is never expanded (as in sh).
 */
#include <string.h>
#include "sim/pkt/pkt_runner.h"
#include "sim/pkt/pkt_shell.h"
#include "sim/pkt/pkt_tools.h"

#define MAX_DEPTH 8 /* files run by files */

enum list_link { LINK_SEQ, LINK_AND, LINK_OR };

/* One pipeline of a list, and how it follows the one before it. */
struct step {
	enum list_link link;
	GPtrArray *cmds; /* char ** argv each; none: a command that does nothing but succeed */
	GPtrArray *sets; /* or tcpsim settings a sysctl makes while the script runs */
};

struct pkt_shell_plan {
	GPtrArray *steps; /* struct step * */
	char *profile;
};

/* An if ... fi being read (sh's compound command, POSIX XCU 2.9.4.4). */
enum frame_part { FRAME_CONDITION, FRAME_BODY };

struct frame {
	bool outer;           /* the commands around the if run */
	bool taken;           /* a branch was chosen: the others do not run */
	bool cond;            /* the last condition held */
	bool running;         /* this branch's commands run */
	enum frame_part part; /* after if/elif (a `then` is due) or in a body */
};

struct interp {
	const struct pkt_shell_env *env;
	GPtrArray *settings;
	GPtrArray *steps;
	GHashTable *vars;     /* NAME=VALUE assignments: name -> value */
	GArray *frames;       /* struct frame: the ifs of the text being read */
	int depth;
	GPtrArray *live_sets; /* settings of a sysctl run while the script runs, or NULL */
};

/* ---- words ---- */

struct tok {
	char *text;
	bool op; /* | || && ; */
};

static void tok_free(gpointer p)
{
	struct tok *t = p;
	g_free(t->text);
	g_free(t);
}

/* $((...)) arithmetic: + - * / % ( ) and unary -, integers as sh writes
 * them (0x hex, a leading 0 octal). */
struct arith {
	const char *p;
	bool bad;
};

static long long arith_sum(struct arith *a);

static void arith_space(struct arith *a)
{
	while (*a->p == ' ' || *a->p == '\t')
		a->p++;
}

static long long arith_atom(struct arith *a)
{
	arith_space(a);
	if (*a->p == '(') {
		a->p++;
		long long v = arith_sum(a);
		arith_space(a);
		if (*a->p != ')')
			a->bad = true;
		else
			a->p++;
		return v;
	}
	if (*a->p == '-') {
		a->p++;
		return -arith_atom(a);
	}
	char *end;
	long long v = g_ascii_strtoll(a->p, &end, 0);
	if (end == a->p)
		a->bad = true;
	a->p = end;
	return v;
}

static long long arith_product(struct arith *a)
{
	long long v = arith_atom(a);
	for (;;) {
		arith_space(a);
		char op = *a->p;
		if (op != '*' && op != '/' && op != '%')
			return v;
		a->p++;
		long long w = arith_atom(a);
		if (op != '*' && w == 0) {
			a->bad = true;
			return 0;
		}
		v = op == '*' ? v * w : op == '/' ? v / w : v % w;
	}
}

static long long arith_sum(struct arith *a)
{
	long long v = arith_product(a);
	for (;;) {
		arith_space(a);
		char op = *a->p;
		if (op != '+' && op != '-')
			return v;
		a->p++;
		long long w = arith_product(a);
		v = op == '+' ? v + w : v - w;
	}
}

/* At "$((": appends the value, moves past "))". */
static bool expand_arith(const char **pp, GString *w, char **why)
{
	const char *start = *pp + 3, *end = strstr(start, "))");
	if (!end) {
		*why = g_strdup("an unterminated $((");
		return false;
	}
	char *expr = g_strndup(start, (size_t)(end - start));
	struct arith a = {.p = expr};
	long long v = arith_sum(&a);
	arith_space(&a);
	bool ok = !a.bad && !*a.p;
	if (ok)
		g_string_append_printf(w, "%lld", v);
	else
		*why = g_strdup_printf("$((%s)): not integer arithmetic", expr);
	g_free(expr);
	*pp = end + 2;
	return ok;
}

/* What uname(1) prints on the system the profile stands for: Linux's
 * "Linux" (-s) and "GNU/Linux" (-o, coreutils), FreeBSD's "FreeBSD"
 * for both.  The other profiles are no system uname could name. */
static bool uname_output(const struct interp *in, char **argv, GString *w, char **why)
{
	const char *profile = in->env->profile ? in->env->profile : "linux";
	bool linux = g_str_has_prefix(profile, "linux"), bsd = strcmp(profile, "bsd") == 0;
	bool os = argv[1] && strcmp(argv[1], "-o") == 0;
	if (argv[1] && ((!os && strcmp(argv[1], "-s") != 0) || argv[2])) {
		*why = g_strdup("a uname other than `uname`, `uname -s` or `uname -o`");
		return false;
	}
	if (!linux && !bsd) {
		*why = g_strdup_printf("uname under the %s profile (no system to name)", profile);
		return false;
	}
	g_string_append(w, bsd ? "FreeBSD" : os ? "GNU/Linux" : "Linux");
	return true;
}

/* $(TEXT) or `TEXT`: only uname's output, the one substitution helper
 * files use to pick their system's settings. */
static bool substitute(const struct interp *in, const char *text, GString *w, char **why)
{
	char **argv = NULL;
	bool ok = g_shell_parse_argv(text, NULL, &argv, NULL) && strcmp(argv[0], "uname") == 0;
	if (!ok)
		*why = g_strdup_printf("a command substitution other than uname (%s)", text);
	else
		ok = uname_output(in, argv, w, why);
	g_strfreev(argv);
	return ok;
}

/* From p at '(' (or '`'), the character after its match: NULL if none. */
static const char *closing(const char *p)
{
	if (*p == '`')
		return strchr(p + 1, '`') ? strchr(p + 1, '`') + 1 : NULL;
	int depth = 0;
	for (; *p; p++) {
		depth += *p == '(';
		depth -= *p == ')';
		if (depth == 0)
			return p + 1;
	}
	return NULL;
}

static bool is_name_char(char c, bool first)
{
	return c == '_' || g_ascii_isalpha(c) || (!first && g_ascii_isdigit(c));
}

/* $NAME or ${NAME}: the value a NAME=VALUE of this shell gave it. */
static bool parameter(const struct interp *in, const char **pp, GString *w, char **why)
{
	const char *p = *pp + 1;
	bool braced = *p == '{';
	p += braced;
	const char *name = p;
	while (is_name_char(*p, p == name))
		p++;
	if (p == name || (braced && *p != '}')) {
		*why = g_strdup("a shell parameter other than $NAME or ${NAME}");
		return false;
	}
	char *key = g_strndup(name, (size_t)(p - name));
	const char *v = g_hash_table_lookup(in->vars, key);
	if (!v) /* sh would look in its environment, which differs from host to host */
		*why = g_strdup_printf("$%s: a variable the script does not set (the environment's)", key);
	g_free(key);
	g_string_append(w, v ? v : "");
	*pp = p + braced;
	return v != NULL;
}

/* At '$' or '`' (or neither): a substitution expanded into w, or (in
 * NULL: only reading where the word ends) copied as it is.  1 when it
 * was one, 0 when *pp is neither, -1 when it cannot be read. */
static int expansion(const struct interp *in, const char **pp, GString *w, char **why)
{
	const char *p = *pp, *end;
	bool cmd = *p == '`' || g_str_has_prefix(p, "$(");
	if (*p != '$' && *p != '`')
		return 0;
	if (g_str_has_prefix(p, "$(("))
		end = strstr(p, "))") ? strstr(p, "))") + 2 : NULL;
	else if (cmd)
		end = closing(*p == '`' ? p : p + 1);
	else
		end = *++p == '{' ? (strchr(p, '}') ? strchr(p, '}') + 1 : NULL) : p + (*p != '\0');
	if (!end) {
		*why = g_strdup_printf("an unterminated %.2s", *pp);
		return -1;
	}
	bool ok = true;
	if (!in) {
		g_string_append_len(w, *pp, end - *pp);
	} else if (g_str_has_prefix(*pp, "$((")) {
		ok = expand_arith(pp, w, why);
	} else if (cmd) {
		size_t skip = **pp == '`' ? 1 : 2;
		char *text = g_strndup(*pp + skip, (size_t)(end - *pp) - skip - 1);
		ok = substitute(in, text, w, why);
		g_free(text);
	} else {
		end = *pp;
		ok = parameter(in, &end, w, why);
	}
	*pp = end;
	return ok ? 1 : -1;
}

static bool is_op_char(char c)
{
	return c == '|' || c == ';' || c == '&' || c == '<' || c == '>';
}

/* Inside double quotes, from after the opening one to after the closing. */
static bool double_quoted(const struct interp *in, const char **pp, GString *w, char **why)
{
	const char *p = *pp;
	while (*p && *p != '"') {
		int x;
		if (*p == '\\' && p[1] && strchr("\\\"$`", p[1])) {
			g_string_append_c(w, p[1]);
			p += 2;
		} else if ((x = expansion(in, &p, w, why)) < 0) {
			return false;
		} else if (x == 0) {
			g_string_append_c(w, *p++);
		}
	}
	if (*p != '"') {
		*why = g_strdup("an unterminated quote");
		return false;
	}
	*pp = p + 1;
	return true;
}

/* The word at p, its end in *pp; false (with why) if it cannot be read. */
static bool word_chars(const struct interp *in, const char **pp, GString *w, char **why)
{
	const char *p = *pp;
	while (*p && *p != ' ' && *p != '\t' && *p != '\r' && !is_op_char(*p)) {
		if (*p == '\'') {
			const char *q = strchr(p + 1, '\'');
			if (!q) {
				*why = g_strdup("an unterminated quote");
				return false;
			}
			g_string_append_len(w, p + 1, q - p - 1);
			p = q + 1;
		} else if (*p == '"') {
			p++;
			if (!double_quoted(in, &p, w, why))
				return false;
		} else if (*p == '\\' && p[1]) {
			g_string_append_c(w, p[1]);
			p += 2;
		} else {
			int x = expansion(in, &p, w, why);
			if (x < 0)
				return false;
			if (x == 0)
				g_string_append_c(w, *p++);
		}
	}
	*pp = p;
	return true;
}

/* One word from *pp.  With in, as sh gives it to the command: quotes
 * removed, substitutions expanded.  Without, as written: a line is split
 * into words before it runs, and each command's words are expanded as it
 * runs (an assignment or an if before it may change what they say). */
static bool read_word(const struct interp *in, const char **pp, GString *w, char **why)
{
	const char *start = *pp;
	if (in)
		return word_chars(in, pp, w, why);
	GString *scratch = g_string_new(NULL);
	bool ok = word_chars(NULL, pp, scratch, why);
	g_string_free(scratch, TRUE);
	if (ok)
		g_string_append_len(w, start, *pp - start);
	return ok;
}

/* A redirection at p ("> /dev/null", "2>&1", "&>/dev/null"): dropped when
 * it only discards or joins output; its length in *len. */
static bool redirection(const char *p, size_t *len, bool *is, char **why)
{
	const char *q = p;
	while (g_ascii_isdigit(*q))
		q++;
	if (*q == '&' && q == p && q[1] == '>')
		q++;
	*is = *q == '>';
	if (!*is)
		return true;
	q++;
	if (*q == '>')
		q++;
	if (*q == '&') { /* 2>&1: a descriptor joins another */
		q++;
		while (g_ascii_isdigit(*q))
			q++;
		*len = (size_t)(q - p);
		return true;
	}
	while (*q == ' ' || *q == '\t')
		q++;
	GString *target = g_string_new(NULL);
	bool ok = read_word(NULL, &q, target, why);
	if (ok && strcmp(target->str, "/dev/null") != 0) {
		*why = g_strdup_printf("a redirection to %s", target->str);
		ok = false;
	}
	g_string_free(target, TRUE);
	*len = (size_t)(q - p);
	return ok;
}

static void push_tok(GPtrArray *toks, char *text, bool op)
{
	struct tok *t = g_new0(struct tok, 1);
	t->text = text;
	t->op = op;
	g_ptr_array_add(toks, t);
}

/* A line's words and operators; comments and redirections dropped. */
static bool lex_line(const char *line, GPtrArray *toks, char **why)
{
	const char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			return true;
		size_t len;
		bool is;
		if (!redirection(p, &len, &is, why))
			return false;
		if (is) {
			p += len;
			continue;
		}
		if (g_str_has_prefix(p, "||") || g_str_has_prefix(p, "&&")) {
			push_tok(toks, g_strndup(p, 2), true);
			p += 2;
		} else if (*p == '|' || *p == ';') {
			push_tok(toks, g_strndup(p, 1), true);
			p++;
		} else if (*p == '&' || *p == '<') {
			*why = g_strdup(*p == '&' ? "a command in the background (&)" : "a redirection of input (<)");
			return false;
		} else {
			GString *w = g_string_new(NULL);
			if (!read_word(NULL, &p, w, why)) {
				g_string_free(w, TRUE);
				return false;
			}
			push_tok(toks, g_string_free(w, FALSE), false);
		}
	}
}

/* ---- what each command does ---- */

static bool interpret_text(struct interp *in, const char *text, const char *where, char **why);

static bool known_value(char **argv, const char *const *want)
{
	for (; *want; want++, argv++)
		if (!*argv || strcmp(*argv, *want) != 0)
			return false;
	return *argv == NULL;
}

/* `ip tcp_metrics flush [all]`: Linux's per-destination cache (RTT,
 * ssthresh, Fast Open cookies, tcp_metrics.c); the model keeps none, so
 * there is nothing to flush. */
static bool ip_command(char **argv, char **why)
{
	static const char *const flush[] = {"ip", "tcp_metrics", "flush", NULL};
	static const char *const flush_all[] = {"ip", "tcp_metrics", "flush", "all", NULL};
	if (known_value(argv, flush) || known_value(argv, flush_all))
		return true;
	*why = g_strdup("an ip command other than `ip tcp_metrics flush` (the model has no routes, "
	                "addresses or metrics to change)");
	return false;
}

/* `tc qdisc add dev tun0 root pfifo`: a FIFO with no pacing, which the
 * scripted wire already is.  Other disciplines change what leaves the
 * host (pfifo limit 0 drops every packet there, which Linux's TCP sees
 * as local congestion, not as loss on the wire): refused. */
static bool tc_command(char **argv, char **why)
{
	static const char *const add[] = {"tc", "qdisc", "add", "dev", "tun0", "root", "pfifo", NULL};
	static const char *const replace[] = {"tc", "qdisc", "replace", "dev", "tun0", "root", "pfifo", NULL};
	if (known_value(argv, add) || known_value(argv, replace))
		return true;
	*why = g_strdup("a traffic control other than a plain FIFO on tun0 (the model has no qdisc: "
	                "a local drop or delay is not loss on the wire)");
	return false;
}

/* Did one of the script's first sysctls ("NAME=VALUE") set the NAME of
 * `assignment`? */
static bool sysctl_was_set(GHashTable *stated, const char *assignment)
{
	size_t len = strcspn(assignment, "=");
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, stated);
	while (g_hash_table_iter_next(&it, &key, NULL))
		if (strncmp(key, assignment, len) == 0 && ((const char *)key)[len] == '=')
			return true;
	return false;
}

/* sysctl [-q] [-w] [-e] NAME=VALUE...: settings before the script
 * begins; afterwards a step that changes the host's live defaults at the
 * line's time (pkt_settings_apply()). */
static bool sysctl_assignments(struct interp *in, char **assignments, size_t n, char **why)
{
	GPtrArray *got = g_ptr_array_new_with_free_func(g_free);
	bool ok = n > 0;
	if (!ok)
		*why = g_strdup("a sysctl that sets nothing");
	for (size_t i = 0; i < n && ok; i++)
		ok = pkt_sysctl_assign(assignments[i], in->env->profile, got, why);
	/* A script's last lines may set a sysctl it set at its start back, for
	 * the next script (FreeBSD's suite does, to the value it stated first
	 * or to the system's default): with no packet or call after it,
	 * nothing can see it, so any value the runner takes (ok) will do. */
	bool restores = in->env->running && in->env->tail && in->env->sysctls;
	for (size_t i = 0; i < n && restores; i++)
		restores = sysctl_was_set(in->env->sysctls, assignments[i]);
	if (ok && restores)
		g_ptr_array_set_size(got, 0);
	for (size_t i = 0; ok && !in->env->running && in->env->sysctls && i < n; i++)
		g_hash_table_add(in->env->sysctls, g_strdup(assignments[i]));
	if (ok && got->len > 0 && in->env->running) { /* at its time, on the live host */
		in->live_sets = got;
		return true;
	}
	for (guint i = 0; ok && i < got->len; i++)
		g_ptr_array_add(in->settings, g_strdup(got->pdata[i]));
	g_ptr_array_free(got, TRUE);
	return ok;
}

static bool sysctl_command(struct interp *in, char **argv, char **why)
{
	char **a = argv + 1;
	while (*a && (strcmp(*a, "-q") == 0 || strcmp(*a, "-w") == 0 || strcmp(*a, "-e") == 0))
		a++;
	return sysctl_assignments(in, a, g_strv_length(a), why);
}

/* packetdrill's set_sysctls.py, known by what it says it does (its
 * docstring: "Sets sysctl values ...", arguments "<proc-file>=<val>"):
 * /proc/sys/net/ipv4/NAME=V is sysctl net.ipv4.NAME=V. */
static bool is_set_sysctls(const char *text)
{
	return strstr(text, "Sets sysctl values and writes a file that restores them") &&
	       strstr(text, "<proc-file>=<val>");
}

static bool proc_assignments(struct interp *in, char **args, char **why)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	bool ok = true;
	for (char **p = args; *p && ok; p++) {
		ok = g_str_has_prefix(*p, "/proc/sys/") && strchr(*p, '=');
		if (!ok) {
			*why = g_strdup_printf("%s: not /proc/sys/NAME=VALUE", *p);
			break;
		}
		char *s = g_strdup(*p + strlen("/proc/sys/"));
		for (char *c = s; *c && *c != '='; c++)
			if (*c == '/')
				*c = '.';
		g_ptr_array_add(a, s);
	}
	if (ok)
		ok = sysctl_assignments(in, (char **)a->pdata, a->len, why);
	g_ptr_array_free(a, TRUE);
	return ok;
}

/* A relative path as the script's shell finds it.  packetdrill runs each
 * command with system(3) (its run_command.c), in packetdrill's own
 * folder: the current one, tried first.  Its run_all.py starts each
 * script from the script's folder (Popen(cwd=execdir)), which is where
 * the google and kernel suites' `../common/defaults.sh` lead: the
 * script's folder, tried next, runs those from anywhere. */
static char *resolve(const struct interp *in, const char *path)
{
	if (g_path_is_absolute(path) || g_file_test(path, G_FILE_TEST_IS_REGULAR))
		return g_strdup(path);
	return g_build_filename(in->env->dir, path, NULL);
}

/* A file's lines read by sh, in this shell: `. FILE`, or a program for sh. */
static bool shell_file(struct interp *in, const char *path, const char *text, char **why)
{
	if (in->depth >= MAX_DEPTH) {
		*why = g_strdup_printf("%s: files run by files %d deep", path, in->depth);
		return false;
	}
	in->depth++;
	bool ok = interpret_text(in, text, path, why);
	in->depth--;
	return ok;
}

/* A program named by its path (sourced: `. FILE`, read by this shell
 * whatever its first line says). */
static bool file_command(struct interp *in, const char *path, char **args, bool sourced, char **why)
{
	char *full = resolve(in, path);
	char *text = NULL;
	bool ok = g_file_get_contents(full, &text, NULL, NULL);
	g_free(full);
	if (!ok) {
		*why = g_strdup_printf("%s: no such file", path);
		return false;
	}
	const char *nl = strchr(text, '\n');
	char *first = g_strndup(text, nl ? (size_t)(nl - text) : strlen(text));
	bool shebang = !sourced && g_str_has_prefix(first, "#!");
	bool python = shebang && strstr(first, "python");
	bool shell = !shebang || strstr(first, "/sh") || strstr(first, "bash") || strstr(first, "dash");
	g_free(first);
	if (python) {
		ok = is_set_sysctls(text);
		if (ok)
			ok = proc_assignments(in, args, why);
		else
			*why = g_strdup_printf("%s: a python program (not packetdrill's set_sysctls.py)", path);
	} else if (!shell) {
		*why = g_strdup_printf("%s: a program not for sh or bash", path);
		ok = false;
	} else if (sourced) {
		ok = shell_file(in, path, text, why);
	} else { /* a program: a new sh, with none of this one's variables */
		GHashTable *vars = in->vars;
		in->vars = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
		ok = shell_file(in, path, text, why);
		g_hash_table_destroy(in->vars);
		in->vars = vars;
	}
	g_free(text);
	return ok;
}

/* NAME=VALUE alone: a variable of this shell (with a command after it,
 * the command's environment, which nothing here reads: refused). */
static bool is_assignment(const char *word)
{
	const char *p = word;
	while (is_name_char(*p, p == word))
		p++;
	return p != word && *p == '=';
}

static bool assign(struct interp *in, char **argv, char **why)
{
	if (argv[1]) {
		*why = g_strdup("an assignment before a command (its environment)");
		return false;
	}
	const char *eq = strchr(argv[0], '=');
	g_hash_table_replace(in->vars, g_strndup(argv[0], (size_t)(eq - argv[0])), g_strdup(eq + 1));
	return true;
}

/* test(1) / [ of strings: STRING, -n/-z STRING, A = B, A != B; == as
 * bash reads it (dash refuses it: "unexpected operator").  *status as
 * sh's (0 true). */
static bool test_command(char **argv, int *status, char **why)
{
	guint n = g_strv_length(argv);
	bool bracket = strcmp(argv[0], "[") == 0;
	if (bracket && strcmp(argv[n - 1], "]") != 0) {
		*why = g_strdup("a [ without its ]");
		return false;
	}
	char **a = argv + 1;
	n -= bracket ? 2 : 1;
	bool r;
	if (n == 1) {
		r = a[0][0] != '\0';
	} else if (n == 2 && (strcmp(a[0], "-n") == 0 || strcmp(a[0], "-z") == 0)) {
		r = (a[1][0] != '\0') == (a[0][1] == 'n');
	} else if (n == 3 && (strcmp(a[1], "=") == 0 || strcmp(a[1], "==") == 0 || strcmp(a[1], "!=") == 0)) {
		r = (strcmp(a[0], a[2]) == 0) == (a[1][0] != '!');
	} else {
		*why = g_strdup("a test other than of strings (STRING, -n, -z, =, ==, !=)");
		return false;
	}
	*status = r ? 0 : 1;
	return true;
}

static bool one_command(struct interp *in, char **argv, bool alone, char **why)
{
	const char *name = argv[0];
	if (strcmp(name, "sysctl") == 0)
		return sysctl_command(in, argv, why);
	if (strcmp(name, "ip") == 0)
		return ip_command(argv, why);
	if (strcmp(name, "tc") == 0)
		return tc_command(argv, why);
	if (strcmp(name, "true") == 0 || strcmp(name, ":") == 0)
		return true;
	if (is_assignment(name))
		return assign(in, argv, why);
	if (strcmp(name, ".") == 0 || strcmp(name, "source") == 0) {
		if (!argv[1] || argv[2]) {
			*why = g_strdup_printf("%s: expected one file", name);
			return false;
		}
		return file_command(in, argv[1], argv + 2, true, why);
	}
	if (strcmp(name, "[") == 0 || strcmp(name, "test") == 0) {
		*why = g_strdup_printf("`%s` outside the condition of an if", name);
		return false;
	}
	bool via_sh = (strcmp(name, "sh") == 0 || strcmp(name, "bash") == 0) && argv[1] && argv[1][0] != '-';
	if (strchr(name, '/') || via_sh) {
		if (!alone) {
			*why = g_strdup("a file run inside a pipeline or a && / || list");
			return false;
		}
		return file_command(in, via_sh ? argv[1] : name, argv + (via_sh ? 2 : 1), false, why);
	}
	*why = g_strdup_printf("`%s`: a command tcpsim does not know", name);
	return false;
}

static bool tool_pipeline(struct interp *in, GPtrArray *cmds, enum list_link link, char **why)
{
	struct pkt_tool_ctx ctx = {.profile = in->env->profile};
	for (guint i = 0; i < cmds->len; i++) {
		GString *out = g_string_new(NULL);
		int st = pkt_tool_run(cmds->pdata[i], i ? "" : NULL, out, &ctx, why); /* checks it only */
		g_string_free(out, TRUE);
		if (st < 0) {
			g_ptr_array_free(cmds, TRUE);
			return false;
		}
	}
	/* Before the script's first event too (FreeBSD's suite checks that no
	 * connection is left in a state): it runs at its time, against the host
	 * as it is then, with no sockets yet. */
	struct step *s = g_new0(struct step, 1);
	s->link = link;
	s->cmds = cmds;
	g_ptr_array_add(in->steps, s);
	return true;
}

static void add_noop(struct interp *in, enum list_link link)
{
	struct step *s = g_new0(struct step, 1);
	s->link = link;
	s->cmds = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	g_ptr_array_add(in->steps, s);
}

/* One pipeline: the tools of the running script, or a single command. */
static bool pipeline(struct interp *in, GPtrArray *cmds, enum list_link link, char **why)
{
	char **first = cmds->pdata[0];
	if (cmds->len > 1 || pkt_tool_known(first[0]))
		return tool_pipeline(in, cmds, link, why);
	guint before = in->steps->len;
	bool ok = one_command(in, first, link == LINK_SEQ, why);
	g_ptr_array_free(cmds, TRUE);
	if (ok && in->live_sets) {
		add_noop(in, link);
		struct step *s = g_ptr_array_index(in->steps, in->steps->len - 1);
		s->sets = in->live_sets;
		in->live_sets = NULL;
	} else if (ok && in->steps->len == before) {
		add_noop(in, link); /* it ran and succeeded, nothing more */
	}
	return ok;
}

static char *argv_text(char **argv)
{
	return g_strjoinv(" ", argv);
}

/* Words as written, from the from'th, expanded as sh gives them to the
 * command (NULL-terminated), or NULL with why. */
static char **expand_words(const struct interp *in, GPtrArray *raw, guint from, char **why)
{
	GPtrArray *v = g_ptr_array_new_with_free_func(g_free);
	for (guint i = from; i < raw->len; i++) {
		const char *p = raw->pdata[i];
		GString *w = g_string_new(NULL);
		char *err = NULL;
		if (!read_word(in, &p, w, &err)) {
			*why = g_strdup_printf("`%s`: %s", (char *)raw->pdata[i], err);
			g_free(err);
			g_string_free(w, TRUE);
			g_ptr_array_free(v, TRUE);
			return NULL;
		}
		g_ptr_array_add(v, g_string_free(w, FALSE));
	}
	g_ptr_array_set_free_func(v, NULL);
	g_ptr_array_add(v, NULL);
	return (char **)g_ptr_array_free(v, FALSE);
}

static struct frame *top_frame(const struct interp *in)
{
	return in->frames->len ? &g_array_index(in->frames, struct frame, in->frames->len - 1) : NULL;
}

/* Whether the commands read now run: outside any if, or in its chosen
 * branch. */
static bool commands_run(const struct interp *in)
{
	const struct frame *f = top_frame(in);
	return !f || f->running;
}

/* if/elif's condition, words[1...]: one test(1), run only where the if is
 * reached and no branch was chosen yet (sh never runs the others). */
static bool condition(struct interp *in, struct frame *f, GPtrArray *words, char **why)
{
	f->part = FRAME_CONDITION;
	f->running = false;
	f->cond = false;
	if (words->len < 2) {
		*why = g_strdup_printf("%s without a condition", (char *)words->pdata[0]);
		return false;
	}
	if (!f->outer || f->taken)
		return true;
	char **argv = expand_words(in, words, 1, why);
	if (!argv)
		return false;
	int status = 1;
	bool ok = strcmp(argv[0], "[") == 0 || strcmp(argv[0], "test") == 0;
	if (!ok)
		*why = g_strdup_printf("`%s`: a condition other than test or [", argv[0]);
	else
		ok = test_command(argv, &status, why);
	f->cond = status == 0;
	g_strfreev(argv);
	return ok;
}

/* A reserved word of if ... fi at a command's start (POSIX XCU 2.4):
 * moves the if along, consuming its words from words (what is left,
 * after `then` or `else`, is a command of the branch). */
static bool control(struct interp *in, GPtrArray *words, const struct tok *next, char **why)
{
	const char *w = words->pdata[0];
	struct frame *f = top_frame(in);
	bool is_if = strcmp(w, "if") == 0, is_elif = strcmp(w, "elif") == 0;
	if ((is_if || is_elif) && next && strcmp(next->text, ";") != 0) {
		*why = g_strdup_printf("%s: a condition of more than one command", w);
		return false;
	}
	bool want_body = !is_if && strcmp(w, "then") != 0;
	if (!is_if && (!f || (f->part == FRAME_BODY) != want_body)) {
		*why = g_strdup_printf("`%s` out of its place in an if", w);
		return false;
	}
	if (strcmp(w, "fi") == 0 && words->len > 1) {
		*why = g_strdup("words after fi");
		return false;
	}
	bool ok = true;
	if (is_if) {
		struct frame nf = {.outer = commands_run(in)};
		g_array_append_val(in->frames, nf);
		ok = condition(in, top_frame(in), words, why);
	} else if (is_elif) {
		ok = condition(in, f, words, why);
	} else if (strcmp(w, "then") == 0) {
		f->part = FRAME_BODY;
		f->running = f->outer && !f->taken && f->cond;
		f->taken |= f->running;
	} else if (strcmp(w, "else") == 0) {
		f->running = f->outer && !f->taken;
		f->taken = true;
	} else {
		g_array_set_size(in->frames, in->frames->len - 1);
	}
	g_ptr_array_remove_range(words, 0, is_if || is_elif ? words->len : 1);
	return ok;
}

static bool is_reserved(const char *w)
{
	static const char *const reserved[] = {"if", "then", "elif", "else", "fi", NULL};
	return g_strv_contains(reserved, w);
}

/* A simple command read (its words as written), followed by next (an
 * operator, or the line's end): its argv joins the pipeline cmds when it
 * runs. */
static bool end_command(struct interp *in, GPtrArray *words, GPtrArray *cmds, const struct tok *next, char **why)
{
	if (cmds->len == 0 && is_reserved(words->pdata[0]) && !control(in, words, next, why))
		return false;
	if (words->len == 0 || !commands_run(in)) {
		const struct frame *f = top_frame(in);
		if (words->len && f->part == FRAME_CONDITION) {
			*why = g_strdup("a condition of more than one command");
			return false;
		}
		return true;
	}
	char **argv = expand_words(in, words, 0, why);
	if (argv)
		g_ptr_array_add(cmds, argv);
	return argv != NULL;
}

/* One line's lists of pipelines. */
static bool interpret_line(struct interp *in, const char *line, char **why)
{
	GPtrArray *toks = g_ptr_array_new_with_free_func(tok_free);
	char *lex_err = NULL;
	bool ok = lex_line(line, toks, &lex_err);
	if (!ok) {
		char *text = g_strstrip(g_strdup(line));
		*why = g_strdup_printf("`%s`: %s", text, lex_err);
		g_free(text);
		g_free(lex_err);
	}
	GPtrArray *cmds = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	GPtrArray *words = g_ptr_array_new_with_free_func(g_free);
	enum list_link link = LINK_SEQ;
	for (guint i = 0; ok && i <= toks->len; i++) {
		struct tok *t = i < toks->len ? toks->pdata[i] : NULL;
		if (t && !t->op) {
			g_ptr_array_add(words, g_strdup(t->text));
			continue;
		}
		if (words->len == 0 && (cmds->len > 0 || (t && strcmp(t->text, ";") != 0))) {
			*why = g_strdup_printf("`%s`: an empty command", line);
			ok = false;
			break;
		}
		if (words->len) {
			ok = end_command(in, words, cmds, t, why);
			g_ptr_array_set_size(words, 0);
		}
		if (!ok || (t && strcmp(t->text, "|") == 0))
			continue;
		if (cmds->len) {
			char **argv0 = cmds->pdata[0];
			char *what = argv_text(argv0);
			char *err = NULL;
			ok = pipeline(in, cmds, link, &err);
			if (!ok) {
				*why = g_strdup_printf("`%s`: %s", what, err);
				g_free(err);
			}
			g_free(what);
			cmds = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
		}
		link = !t ? LINK_SEQ : strcmp(t->text, "&&") == 0 ? LINK_AND : strcmp(t->text, "||") == 0 ? LINK_OR
		                                                                                            : LINK_SEQ;
	}
	g_ptr_array_free(cmds, TRUE);
	g_ptr_array_free(words, TRUE);
	g_ptr_array_free(toks, TRUE);
	return ok;
}

/* A text of lines: a backticked block, or a file.  `where` names it in
 * messages (NULL: the script's own command). */
static bool interpret_text(struct interp *in, const char *text, const char *where, char **why)
{
	GArray *outer = in->frames; /* an if opens and closes in one text */
	in->frames = g_array_new(FALSE, FALSE, sizeof(struct frame));
	char **lines = g_strsplit(text, "\n", -1);
	bool ok = true, block = !where && lines[0] && lines[1];
	for (guint i = 0; lines[i] && ok; i++) {
		if (i == 0 && g_str_has_prefix(lines[i], "#!"))
			continue;
		char *err = NULL;
		ok = interpret_line(in, lines[i], &err);
		if (!ok) {
			*why = where ? g_strdup_printf("%s:%u: %s", where, i + 1, err)
			       : block ? g_strdup_printf("line %u of the block: %s", i + 1, err) : g_strdup(err);
			g_free(err);
		}
	}
	if (ok && in->frames->len) {
		*why = where ? g_strdup_printf("%s: an if without its fi", where) : g_strdup("an if without its fi");
		ok = false;
	}
	g_array_free(in->frames, TRUE);
	in->frames = outer;
	g_strfreev(lines);
	return ok;
}

static void step_free(gpointer p)
{
	struct step *s = p;
	g_ptr_array_free(s->cmds, TRUE);
	if (s->sets)
		g_ptr_array_free(s->sets, TRUE);
	g_free(s);
}

bool pkt_shell_interpret(const char *text, const struct pkt_shell_env *env, GPtrArray *settings,
                         struct pkt_shell_plan **plan, char **why)
{
	struct interp in = {.env = env, .settings = settings, .steps = g_ptr_array_new_with_free_func(step_free),
	                    .vars = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free)};
	char *err = NULL;
	*plan = NULL;
	bool ok = interpret_text(&in, text, NULL, &err);
	if (!ok) {
		*why = g_strdup_printf("shell command %s", err);
		g_free(err);
	}
	g_hash_table_destroy(in.vars);
	bool any_tool = false; /* or a live setting */
	for (guint i = 0; i < in.steps->len; i++) {
		const struct step *s = in.steps->pdata[i];
		any_tool |= s->cmds->len > 0 || s->sets;
	}
	if (ok && any_tool) {
		*plan = g_new0(struct pkt_shell_plan, 1);
		(*plan)->steps = in.steps;
		(*plan)->profile = g_strdup(env->profile);
	} else {
		g_ptr_array_free(in.steps, TRUE);
	}
	return ok;
}

static int run_pipeline(const struct step *s, const struct pkt_tool_ctx *ctx)
{
	GString *in = NULL;
	int status = 0;
	for (guint i = 0; i < s->cmds->len; i++) {
		GString *out = g_string_new(NULL);
		char *why = NULL;
		status = pkt_tool_run(s->cmds->pdata[i], in ? in->str : NULL, out, ctx, &why);
		g_free(why); /* checked when the plan was made */
		if (in)
			g_string_free(in, TRUE);
		in = out;
	}
	if (in)
		g_string_free(in, TRUE);
	return status;
}

int pkt_shell_run(const struct pkt_shell_plan *plan, struct net *n, enum net_role r)
{
	struct pkt_tool_ctx ctx = {.net = n, .role = r, .profile = plan->profile};
	int status = 0;
	for (guint i = 0; i < plan->steps->len; i++) {
		const struct step *s = plan->steps->pdata[i];
		if ((s->link == LINK_AND && status != 0) || (s->link == LINK_OR && status == 0))
			continue;
		status = s->sets ? pkt_settings_apply(net_host_params(n, r), s->sets)
		       : s->cmds->len ? run_pipeline(s, &ctx) : 0;
	}
	return status;
}

void pkt_shell_plan_free(struct pkt_shell_plan *plan)
{
	if (!plan)
		return;
	g_ptr_array_free(plan->steps, TRUE);
	g_free(plan->profile);
	g_free(plan);
}
