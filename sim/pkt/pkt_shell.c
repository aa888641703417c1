/*
 * The shell lines of a script, interpreted (see pkt_shell.h): sh's words
 * and quotes, $((...)), redirections to /dev/null, `;` `&&` `||` and
 * pipes; files read line by line; each simple command understood by what
 * it says, or refused with where it is.
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
};

struct pkt_shell_plan {
	GPtrArray *steps; /* struct step * */
	char *profile;
};

struct interp {
	const struct pkt_shell_env *env;
	GPtrArray *settings;
	GPtrArray *steps;
	int depth;
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

static bool dollar(const char **pp, GString *w, char **why)
{
	if (g_str_has_prefix(*pp, "$(("))
		return expand_arith(pp, w, why);
	*why = g_strdup("a shell variable or substitution ($)");
	return false;
}

/* $((...)) or a backquote inside or outside double quotes: 1 when it was
 * one (expanded into w), 0 when *pp is neither, -1 when it cannot be read. */
static int expansion(const char **pp, GString *w, char **why)
{
	if (**pp == '$')
		return dollar(pp, w, why) ? 1 : -1;
	if (**pp == '`') {
		*why = g_strdup("a command substitution");
		return -1;
	}
	return 0;
}

static bool is_op_char(char c)
{
	return c == '|' || c == ';' || c == '&' || c == '<' || c == '>';
}

/* One word from *pp: quotes removed, $((...)) expanded. */
static bool read_word(const char **pp, GString *w, char **why)
{
	const char *p = *pp;
	while (*p && *p != ' ' && *p != '\t' && !is_op_char(*p)) {
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
			while (*p && *p != '"') {
				int x;
				if (*p == '\\' && p[1] && strchr("\\\"$`", p[1])) {
					g_string_append_c(w, p[1]);
					p += 2;
				} else if ((x = expansion(&p, w, why)) < 0) {
					return false;
				} else if (x == 0) {
					g_string_append_c(w, *p++);
				}
			}
			if (*p != '"') {
				*why = g_strdup("an unterminated quote");
				return false;
			}
			p++;
		} else if (*p == '\\' && p[1]) {
			g_string_append_c(w, p[1]);
			p += 2;
		} else {
			int x = expansion(&p, w, why);
			if (x < 0)
				return false;
			if (x == 0)
				g_string_append_c(w, *p++);
		}
	}
	*pp = p;
	return true;
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
	bool ok = read_word(&q, target, why);
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
			if (!read_word(&p, w, why)) {
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

/* sysctl [-q] [-w] [-e] NAME=VALUE...: settings before the script
 * begins; afterwards only values the model already follows. */
static bool sysctl_assignments(struct interp *in, char **assignments, size_t n, char **why)
{
	GPtrArray *got = g_ptr_array_new_with_free_func(g_free);
	bool ok = n > 0;
	if (!ok)
		*why = g_strdup("a sysctl that sets nothing");
	for (size_t i = 0; i < n && ok; i++)
		ok = pkt_sysctl_assign(assignments[i], in->env->profile, got, why);
	/* A script's last lines may set a sysctl back to the value it stated
	 * at its start, for the next script (FreeBSD's suite does): with no
	 * packet or call after it, nothing can see it. */
	bool restores = in->env->running && in->env->tail && in->env->sysctls;
	for (size_t i = 0; i < n && restores; i++)
		restores = g_hash_table_contains(in->env->sysctls, assignments[i]);
	if (ok && restores)
		g_ptr_array_set_size(got, 0);
	for (size_t i = 0; ok && !in->env->running && in->env->sysctls && i < n; i++)
		g_hash_table_add(in->env->sysctls, g_strdup(assignments[i]));
	if (ok && got->len > 0 && in->env->running) {
		*why = g_strdup("sysctl after the script began (tcpsim settings are fixed at the start)");
		ok = false;
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

/* A program named by its path, from the script's folder. */
static bool file_command(struct interp *in, const char *path, char **args, char **why)
{
	char *full = g_path_is_absolute(path) ? g_strdup(path) : g_build_filename(in->env->dir, path, NULL);
	char *text = NULL;
	bool ok = g_file_get_contents(full, &text, NULL, NULL);
	g_free(full);
	if (!ok) {
		*why = g_strdup_printf("%s: no such file", path);
		return false;
	}
	const char *nl = strchr(text, '\n');
	char *first = g_strndup(text, nl ? (size_t)(nl - text) : strlen(text));
	bool shebang = g_str_has_prefix(first, "#!");
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
	} else if (in->depth >= MAX_DEPTH) {
		*why = g_strdup_printf("%s: files run by files %d deep", path, in->depth);
		ok = false;
	} else {
		in->depth++;
		ok = interpret_text(in, text, path, why);
		in->depth--;
	}
	g_free(text);
	return ok;
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
	bool via_sh = (strcmp(name, "sh") == 0 || strcmp(name, "bash") == 0) && argv[1] && argv[1][0] != '-';
	if (strchr(name, '/') || via_sh) {
		if (!alone) {
			*why = g_strdup("a file run inside a pipeline or a && / || list");
			return false;
		}
		return file_command(in, via_sh ? argv[1] : name, argv + (via_sh ? 2 : 1), why);
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
	if (ok && in->steps->len == before)
		add_noop(in, link); /* it ran and succeeded, nothing more */
	return ok;
}

static char *argv_text(char **argv)
{
	return g_strjoinv(" ", argv);
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
	GPtrArray *words = g_ptr_array_new();
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
			g_ptr_array_add(words, NULL);
			g_ptr_array_add(cmds, g_ptr_array_free(words, FALSE));
			words = g_ptr_array_new();
		}
		if (t && strcmp(t->text, "|") == 0)
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
	g_strfreev(lines);
	return ok;
}

static void step_free(gpointer p)
{
	struct step *s = p;
	g_ptr_array_free(s->cmds, TRUE);
	g_free(s);
}

bool pkt_shell_interpret(const char *text, const struct pkt_shell_env *env, GPtrArray *settings,
                         struct pkt_shell_plan **plan, char **why)
{
	struct interp in = {.env = env, .settings = settings, .steps = g_ptr_array_new_with_free_func(step_free)};
	char *err = NULL;
	*plan = NULL;
	bool ok = interpret_text(&in, text, NULL, &err);
	if (!ok) {
		*why = g_strdup_printf("shell command %s", err);
		g_free(err);
	}
	bool any_tool = false;
	for (guint i = 0; i < in.steps->len; i++)
		any_tool |= ((struct step *)in.steps->pdata[i])->cmds->len > 0;
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
		status = s->cmds->len ? run_pipeline(s, &ctx) : 0;
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
