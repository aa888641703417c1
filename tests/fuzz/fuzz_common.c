/*
 * What every fuzz target shares: the input file, the guarantees of
 * config_load(), and the abort that turns a broken guarantee into a crash
 * libFuzzer (or the regression test) reports.
 */
#include "tests/fuzz/fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void fuzz_check(bool ok, const char *what, const char *file, int line)
{
	if (ok)
		return;
	fprintf(stderr, "%s:%d: fuzz guarantee broken: %s\n", file, line, what);
	abort();
}

/* GLib ends a fatal message with a breakpoint trap, which libFuzzer does
 * not catch (it dies without saving the input): abort() instead, which it
 * reports with the input.  The message is printed here, not by
 * g_log_default_handler(), which traps by itself on a fatal level (g_error,
 * as in the TCP model's invariant checks). */
static void fatal_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) {
		fprintf(stderr, "%s: %s\n", domain ? domain : "(no domain)", message);
		abort();
	}
	g_log_default_handler(domain, level, message, data);
}

void fuzz_init(void)
{
	g_log_set_default_handler(fatal_log, NULL);
}

const char *fuzz_file(unsigned slot, const uint8_t *data, size_t size)
{
	static int fd[2] = {-1, -1};      /* one memfd per slot, for the process */
	static char path[2][40];

	g_assert(slot < 2);
	if (fd[slot] < 0) {
		fd[slot] = memfd_create(slot ? "fuzz-base.ini" : "fuzz.ini", 0);
		FUZZ_CHECK(fd[slot] >= 0, "memfd_create");
		g_snprintf(path[slot], sizeof path[slot], "/proc/self/fd/%d", fd[slot]);
	}
	FUZZ_CHECK(ftruncate(fd[slot], 0) == 0, "ftruncate of the input file");
	for (size_t done = 0; done < size;) {
		ssize_t k = pwrite(fd[slot], data + done, size - done, (off_t)done);
		FUZZ_CHECK(k > 0, "pwrite of the input file");
		done += (size_t)k;
	}
	return path[slot];
}

bool fuzz_all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static void check_tcp(const struct tcp_params *t)
{
	FUZZ_CHECK(t->rto_min <= t->rto_initial && t->rto_initial <= t->rto_max,
	           "rto_min <= rto_initial <= rto_max");
	FUZZ_CHECK(t->mss >= 28 && t->wscale <= 14 && t->ttl >= 1, "tcp ranges");
}

static void check_link(const struct link_params *l)
{
	FUZZ_CHECK(l->loss >= 0 && l->loss <= 1 && l->reorder >= 0 && l->reorder <= 1 &&
	           l->duplicate >= 0 && l->duplicate <= 1, "link probabilities in [0, 1]");
	FUZZ_CHECK(l->delay >= 0 && l->jitter >= 0 && l->reorder_delay >= 0, "link durations >= 0");
	FUZZ_CHECK(l->jitter == 0 || l->distribution != LINK_DIST_CONSTANT,
	           "no jitter with distribution constant");
	FUZZ_CHECK(l->reorder == 0 || l->reorder_delay > 0, "reorder needs a reorder_delay");
}

static void check_script(const struct script *s)
{
	FUZZ_CHECK(s->n == 0 || s->calls != NULL, "script calls");
	for (uint32_t i = 0; i < s->n; i++) {
		const struct script_call *c = &s->calls[i];
		FUZZ_CHECK(c->op < SCRIPT_OP_COUNT && c->column >= 1, "script call op and column");
		FUZZ_CHECK(c->data == NULL || (c->op == SCRIPT_SEND && c->count >= 1),
		           "data only for send \"STRING\", with at least one byte");
	}
}

static void check_config(const struct config *c)
{
	FUZZ_CHECK(c->path && c->name && c->profile, "path, name and profile set");
	FUZZ_CHECK(c->duration >= 1, "duration >= 1 ns");
	FUZZ_CHECK(c->client.addr != c->server.addr, "distinct addresses");
	FUZZ_CHECK(c->server.port != 0, "the server has a port");
	check_tcp(&c->client.tcp);
	check_tcp(&c->server.tcp);
	check_link(&c->c2s);
	check_link(&c->s2c);
	check_script(&c->client.script);
	check_script(&c->server.script);
}

void fuzz_check_load(bool ok, const struct config *c, const GError *error, const char *path,
                     bool may_blame_set, bool utf8_input)
{
	if (ok) {
		FUZZ_CHECK(error == NULL, "success without an error");
		check_config(c);
		return;
	}
	FUZZ_CHECK(error != NULL, "a failure sets an error");
	FUZZ_CHECK(error->domain == CONFIG_ERROR, "the error is a CONFIG_ERROR");
	FUZZ_CHECK(error->code >= CONFIG_ERROR_FILE && error->code <= CONFIG_ERROR_MISSING,
	           "a known error code");
	FUZZ_CHECK(g_str_has_prefix(error->message, path) ||
	           (may_blame_set && g_str_has_prefix(error->message, "--set ")),
	           "the message starts with where the mistake is (PATH or --set)");
	fuzz_check_message(error->message);
	FUZZ_CHECK(!utf8_input || g_utf8_validate(error->message, -1, NULL),
	           "the message is UTF-8 when the input was");
	FUZZ_CHECK(fuzz_all_zero(c, sizeof *c), "a failed load leaves the config cleared");
}


/* The first raw control character of msg (C0, DEL, C1 as UTF-8), or NULL. */
static const char *find_control(const char *msg)
{
	for (const char *p = msg; *p; p += g_utf8_skip[*(const guchar *)p]) {
		gunichar c = g_utf8_get_char(p);
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
			return p;
	}
	return NULL;
}

void fuzz_check_message(const char *msg)
{
	FUZZ_CHECK(msg != NULL, "a message");
	FUZZ_CHECK(strchr(msg, '\n') == NULL, "a one-line message");
	FUZZ_CHECK(strchr(msg, '\r') == NULL, "a one-line message (no CR either)");
	FUZZ_CHECK(g_utf8_validate(msg, -1, NULL), "the message is valid UTF-8");
	const char *c = find_control(msg);
	if (c)
		fprintf(stderr, "raw control character U+%04X at byte %td of: %s\n", g_utf8_get_char(c),
		        c - msg, msg);
	FUZZ_CHECK(c == NULL, "no raw control character (C0, DEL, C1) in the message");
}

/* --- a command's stderr, captured --- */

static int saved_fd[3] = {-1, -1, -1};
static int capture_fd = -1;  /* stderr: what the guarantees are about */
static int stdout_fd = -1;   /* stdout (a run's --trace, a summary): set aside */

void fuzz_capture_begin(void)
{
	if (g_getenv("FUZZ_SHOW_STDERR"))
		return; /* to read a crash's report: it would go to the memfd */
	if (capture_fd < 0) {
		capture_fd = memfd_create("fuzz-stderr", 0);
		stdout_fd = memfd_create("fuzz-stdout", 0);
		FUZZ_CHECK(capture_fd >= 0 && stdout_fd >= 0, "memfd_create");
	}
	FUZZ_CHECK(ftruncate(capture_fd, 0) == 0 && lseek(capture_fd, 0, SEEK_SET) == 0, "reset the capture");
	FUZZ_CHECK(ftruncate(stdout_fd, 0) == 0 && lseek(stdout_fd, 0, SEEK_SET) == 0, "reset stdout's");
	fflush(stdout);
	fflush(stderr);
	for (int fd = 1; fd <= 2; fd++) {
		saved_fd[fd] = dup(fd);
		FUZZ_CHECK(saved_fd[fd] >= 0 && dup2(fd == 1 ? stdout_fd : capture_fd, fd) == fd,
		           "redirect stdout and stderr");
	}
}

static char *read_memfd(int fd)
{
	off_t len = lseek(fd, 0, SEEK_END);
	char *text = g_malloc((size_t)len + 1);
	FUZZ_CHECK(pread(fd, text, (size_t)len, 0) == len, "read the capture");
	text[len] = '\0';
	return text;
}

char *fuzz_capture_stdout(void)
{
	return stdout_fd < 0 ? g_strdup("") : read_memfd(stdout_fd);
}

char *fuzz_capture_end(void)
{
	if (saved_fd[2] < 0)
		return g_strdup("");
	fflush(stdout);
	fflush(stderr);
	for (int fd = 1; fd <= 2; fd++) {
		FUZZ_CHECK(dup2(saved_fd[fd], fd) == fd, "restore stdout and stderr");
		close(saved_fd[fd]);
		saved_fd[fd] = -1;
	}
	return read_memfd(capture_fd);
}

/* Does text start as packetdrill's errors do, "FILE:LINE: "? */
static bool file_line(const char *text)
{
	const char *eol = strchr(text, '\n');
	for (const char *c = strchr(text, ':'); c && (!eol || c < eol); c = strchr(c + 1, ':')) {
		const char *d = c + 1;
		while (g_ascii_isdigit(*d))
			d++;
		if (d > c + 1 && d[0] == ':' && d[1] == ' ')
			return true;
	}
	return false;
}

void fuzz_check_command_output(const char *out, const char *cmd, int status)
{
	/* "run": the single run of `tcpsim CONFIG`, whose messages start with
	 * "tcpsim: " and hint at "tcpsim --help" */
	bool run = strcmp(cmd, "run") == 0;
	char *prefix = run ? g_strdup("tcpsim: ") : g_strdup_printf("tcpsim %s: ", cmd);
	char *try = run ? g_strdup("Try \"tcpsim --help\" for more information.\n")
	                : g_strdup_printf("Try \"tcpsim %s --help\" for more information.\n", cmd);

	FUZZ_CHECK(status >= 0 && status <= 2, "exit status 0, 1 or 2");
	if (status != 0) {
		/* a config error starts with the config's path as given, or --set */
		FUZZ_CHECK(g_str_has_prefix(out, prefix) || strcmp(cmd, "sweep") == 0 || run ||
		           (strcmp(cmd, "pkt") == 0 && file_line(out)),
		           "a failure says which command (or which file) first");
		const char *nl = strchr(out, '\n');
		FUZZ_CHECK(nl != NULL, "the message ends with a line end");
		char *msg = g_strndup(out, (size_t)(nl - out));
		fuzz_check_message(msg);
		g_free(msg);
		/* `tcpsim pkt` reports each script it cannot read or parse on a
		 * line of its own (its own name, or packetdrill's FILE:LINE:)
		 * and goes on with the next, as packetdrill's run-all does:
		 * every line a clean message */
		while (strcmp(cmd, "pkt") == 0 && (g_str_has_prefix(nl + 1, prefix) || file_line(nl + 1))) {
			const char *next = strchr(nl + 1, '\n');
			FUZZ_CHECK(next != NULL, "each message ends with a line end");
			char *line = g_strndup(nl + 1, (size_t)(next - nl - 1));
			fuzz_check_message(line);
			g_free(line);
			nl = next;
		}
		/* a run of a config with [sweep] is a sweep: its hint is the sweep's */
		bool sweep_hint = run && strcmp(nl + 1, "Try \"tcpsim sweep --help\" for more information.\n") == 0;
		FUZZ_CHECK(nl[1] == '\0' || (status == 2 && (strcmp(nl + 1, try) == 0 || sweep_hint)),
		           "one line, then at most the --help hint");
	}
	g_free(prefix);
	g_free(try);
}
