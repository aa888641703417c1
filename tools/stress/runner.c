/*
 * The stress runner (tools/stress/runner.c): many runs, stress_run(), and
 * their totals, stress_print_totals(); saved configs again, stress_replay().
 *
 * Why a file of its own: this is the one part of the stress that deals
 * with processes (forked workers, pipes, signals, the wall-clock alarm,
 * the memory cap) and with the failure folder; it takes each config from
 * the generator (gen.c) and each verdict from the oracle (oracle.c) and
 * knows nothing of what they contain, so that a crash or a hang anywhere
 * in the simulator is caught and saved the same way.
 *
 * Jobs.  With --jobs J > 0, J forked workers take the runs in strides
 * (worker k: first+k, first+k+J, ...) and report each run to the parent
 * over a pipe: a START before it, a DONE with its outcome after it.  A
 * worker that dies (a crash, a sanitizer report, the wall-clock alarm) is
 * charged with the run it had started and replaced by a worker that goes
 * on from the next run of its stride; workers cap their address space
 * (4 GiB) so that a runaway run fails alone.  tests/test_stress.c uses one
 * worker.  With --jobs 0 everything runs in this process: a crash then
 * ends the process, after a handler has printed and saved the config.
 *
 * Invariant.  A failing config is always printed and saved: an oracle
 * failure by the process that ran it, as it is found; a worker's crash or
 * hang by the parent, which regenerates the config from (seed, run); with
 * --jobs 0, by async-signal-safe handlers that write the text prepared
 * before the run started (the one piece of process-wide state here, which
 * signal handlers cannot do without).
 */
#include "tools/stress/stress_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "sim/world/net.h"

#define STRESS_EXIT_HANG 3     /* a worker's status when its alarm fired */
#define STRESS_EXIT_GERROR 4   /* ... when the model stopped on a g_error(), reported */

void stress_opts_default(struct stress_opts *o)
{
	*o = (struct stress_opts){.seed = 1, .first = 0, .runs = 300, .jobs = 0, .timeout_s = 30,
	                          .max_events = 5000000, .fail_dir = NULL, .log = NULL, .quiet = false,
	                          .model_error_run = -1};
}

enum verdict { V_PASS, V_REJECTED, V_CRASH, V_HANG, V_ORACLE };

static enum verdict verdict_of(const char *why)
{
	if (!why)
		return V_PASS;
	if (g_str_has_prefix(why, "rejected"))
		return V_REJECTED;
	if (g_str_has_prefix(why, "hang"))
		return V_HANG;
	if (g_str_has_prefix(why, "crash"))
		return V_CRASH;
	return V_ORACLE;
}

/* What a worker tells the parent about one run. */
struct msg {
	uint64_t run;
	uint32_t done;            /* 0: START (the run begins), 1: DONE */
	uint32_t verdict;         /* enum verdict, DONE only */
	struct stress_outcome out;
	double wall;              /* seconds */
};

/* One process's state for running configs. */
struct runner {
	const struct stress_opts *o;
	FILE *log;
	char *dir;                /* private temporary folder */
	char *ini_path;           /* dir/stress.ini: the run's config */
	char *out_dir;            /* dir/out: its outputs */
	int fd;                   /* a worker's pipe to the parent, -1 in the parent */
};

/* Prepared before each run for the signal handlers (see the top). */
static struct {
	char *ini;                /* the run's config */
	char *crash_text;         /* header + config, for a crash */
	char *hang_text;          /* header + config, for a hang */
	char *crash_path, *hang_path; /* where to save them, NULL: nowhere */
	char *fail_dir;
	bool silent;              /* a worker: the parent reports for it */
} pending;

static void write_all(int fd, const char *s)
{
	size_t n = strlen(s);

	while (n > 0) {
		ssize_t k = write(fd, s, n);
		if (k <= 0 && errno != EINTR)
			return;
		if (k > 0) {
			s += k;
			n -= (size_t)k;
		}
	}
}

/* Async-signal-safe: write(), open(), mkdir(), close() only. */
static void dump_pending(const char *text, const char *path)
{
	if (!text || pending.silent)
		return;
	write_all(STDERR_FILENO, text);
	if (!path)
		return;
	mkdir(pending.fail_dir, 0755);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		write_all(fd, text);
		close(fd);
		write_all(STDERR_FILENO, "stress: saved as ");
		write_all(STDERR_FILENO, path);
		write_all(STDERR_FILENO, "\n");
	}
}

static void on_fatal_signal(int sig)
{
	dump_pending(pending.crash_text, pending.crash_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_alarm(int sig)
{
	(void)sig;
	dump_pending(pending.hang_text, pending.hang_path);
	_exit(STRESS_EXIT_HANG);
}

/* Sanitizers call this before they end the process (weak: absent when the
 * build has no sanitizer). */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static void on_sanitizer_death(void)
{
	dump_pending(pending.crash_text, pending.crash_path);
}

/* A run that eats memory without bound (an ACK storm multiplied by
 * duplication, say) must fail as a crash, not take the machine down: cap
 * the address space, unless a sanitizer owns it (its shadow memory needs
 * terabytes of it; use ASAN_OPTIONS=hard_rss_limit_mb there). */
#define STRESS_MEMORY_LIMIT ((rlim_t)4 << 30)

static void limit_memory(void)
{
	struct rlimit rl;

	if (__sanitizer_set_death_callback || getrlimit(RLIMIT_AS, &rl) != 0)
		return;
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > STRESS_MEMORY_LIMIT) {
		rl.rlim_cur = STRESS_MEMORY_LIMIT;
		setrlimit(RLIMIT_AS, &rl);
	}
}

static void install_handlers(void)
{
	static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP};
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal_signal;
	for (size_t i = 0; i < G_N_ELEMENTS(fatal); i++)
		sigaction(fatal[i], &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(on_sanitizer_death);
}

static char *failure_path(const struct stress_opts *o, const char *kind, uint64_t run)
{
	if (!o->fail_dir)
		return NULL;
	char *name = g_strdup_printf("%s-seed%" G_GUINT64_FORMAT "-run%" G_GUINT64_FORMAT ".ini", kind,
	                             o->seed, run);
	char *path = g_build_filename(o->fail_dir, name, NULL);
	g_free(name);
	return path;
}

/* "# tcpsim stress: WHY" lines, the replay commands, then the config. */
static char *failure_text(const struct stress_opts *o, uint64_t run, const char *why, const char *ini)
{
	return g_strdup_printf("# tools/stress failure: %s\n"
	                       "# run %" G_GUINT64_FORMAT " of seed %" G_GUINT64_FORMAT
	                       "; replay: build/tools/stress --replay THIS_FILE, or ./tcpsim THIS_FILE\n%s",
	                       why, run, o->seed, ini);
}

static void clear_pending(void)
{
	g_clear_pointer(&pending.ini, g_free);
	g_clear_pointer(&pending.crash_text, g_free);
	g_clear_pointer(&pending.hang_text, g_free);
	g_clear_pointer(&pending.crash_path, g_free);
	g_clear_pointer(&pending.hang_path, g_free);
}

static void prepare_pending(const struct stress_opts *o, uint64_t run, char *ini)
{
	char *why;

	clear_pending();
	pending.ini = ini;
	why = g_strdup_printf("crash (a signal or a sanitizer report) in run %" G_GUINT64_FORMAT, run);
	pending.crash_text = failure_text(o, run, why, ini);
	g_free(why);
	why = g_strdup_printf("hang (more than %u s of wall-clock time) in run %" G_GUINT64_FORMAT,
	                      o->timeout_s, run);
	pending.hang_text = failure_text(o, run, why, ini);
	g_free(why);
	pending.crash_path = failure_path(o, "crash", run);
	pending.hang_path = failure_path(o, "hang", run);
}

static void report_failure(struct runner *rn, uint64_t run, const char *why, const char *ini)
{
	char *text = failure_text(rn->o, run, why, ini);
	char *path = failure_path(rn->o, verdict_of(why) == V_REJECTED ? "rejected" :
	                                 verdict_of(why) == V_HANG ? "hang" :
	                                 verdict_of(why) == V_CRASH ? "crash" : "oracle", run);

	fprintf(rn->log, "stress: FAIL run %" G_GUINT64_FORMAT ": %s\n%s", run, why, text);
	if (path) {
		g_mkdir_with_parents(rn->o->fail_dir, 0755);
		if (g_file_set_contents(path, text, -1, NULL))
			fprintf(rn->log, "stress: saved as %s\n", path);
	}
	fflush(rn->log);
	g_free(path);
	g_free(text);
}

static bool write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	bool ok = f && fputs(text, f) >= 0;

	if (f)
		ok = fclose(f) == 0 && ok;
	return ok;
}

/* The run under way, for on_model_error(). */
static struct current_run {
	struct runner *rn;
	uint64_t run;
	struct msg *m;
	int fd;                   /* a worker's pipe to the parent, or -1 */
} current = {NULL, 0, NULL, -1};

static bool send_msg(int fd, const struct msg *m);

/* The model checks its invariants after every endpoint call (models/tcp.c,
 * tcp_check_invariants: a timer owed to outstanding data, a SYN or a FIN)
 * and stops on g_error(), which aborts.  Its message is the reason: report
 * the run as a crash with it, tell the parent, and leave (the process's
 * state is not to be trusted); the parent goes on with the stride. */
static void on_model_error(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
	/* the default handler aborts on an error itself (GLib's structured
	 * writer: SIGTRAP), before the report: call it last */
	if (!(level & G_LOG_LEVEL_ERROR) || !current.rn) {
		g_log_default_handler(domain, level, message, data);
		return;
	}
	char *why = g_strdup_printf("crash: the model stopped: %s", message);
	report_failure(current.rn, current.run, why, pending.ini);
	g_free(why);
	current.m->verdict = V_CRASH;
	current.m->done = 1;
	if (current.fd >= 0 && send_msg(current.fd, current.m))
		_exit(STRESS_EXIT_GERROR);
	pending.crash_text = NULL; /* reported: the abort that follows adds nothing */
	g_log_default_handler(domain, level, message, data);
}

/* One run: generate, write, run under the alarm, judge. */
static void run_one(struct runner *rn, uint64_t run, struct msg *m)
{
	char *ini = stress_generate(rn->o->seed, run);
	gint64 start = g_get_monotonic_time();
	char *why;

	memset(m, 0, sizeof *m);
	m->run = run;
	m->done = 1;
	prepare_pending(rn->o, run, ini); /* takes ini */
	current = (struct current_run){rn, run, m, rn->fd};
	if (!write_file(rn->ini_path, ini)) {
		why = g_strdup_printf("crash: cannot write %s: %s", rn->ini_path, g_strerror(errno));
	} else if ((int64_t)run == rn->o->model_error_run && rn->fd >= 0) {
		/* no model bug is known to reach this path: tests make one */
		g_error("invariant broken on purpose in run %" G_GUINT64_FORMAT, run);
	} else {
		alarm(rn->o->timeout_s);
		why = stress_check_file(rn->ini_path, rn->out_dir, rn->o->max_events, &m->out);
		alarm(0);
	}
	current.rn = NULL;
	m->wall = (double)(g_get_monotonic_time() - start) / 1e6;
	m->verdict = verdict_of(why);
	if (why)
		report_failure(rn, run, why, ini);
	g_free(why);
	clear_pending();
}

static void tally(struct stress_totals *t, const struct msg *m)
{
	t->runs++;
	t->failures += m->verdict != V_PASS;
	t->rejected += m->verdict == V_REJECTED;
	t->crashes += m->verdict == V_CRASH;
	t->hangs += m->verdict == V_HANG;
	t->oracle += m->verdict == V_ORACLE;
	if (m->verdict == V_REJECTED || m->verdict == V_CRASH)
		return; /* no outcome to count */
	t->truncated += m->out.truncated;
	t->exempt += m->out.exempt;
	t->intact += m->out.intact;
	t->stalled += m->out.stalled;
	t->progress += m->out.progress;
	t->streak += m->out.streak;
	t->outputs += m->out.outputs;
	t->events += m->out.events;
	if (m->out.events > t->max_events) {
		t->max_events = m->out.events;
		t->max_events_run = m->run;
	}
	if (m->wall > t->max_wall) {
		t->max_wall = m->wall;
		t->max_wall_run = m->run;
	}
	for (int r = 0; r < 2 && !m->out.truncated; r++)
		if (m->out.final_state[r] < TCP_STATE_COUNT)
			t->final_state[r][m->out.final_state[r]]++;
}

static bool runner_init(struct runner *rn, const struct stress_opts *o)
{
	GError *error = NULL;
	const char *base = g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) && access("/dev/shm", W_OK) == 0
	                   ? "/dev/shm" : g_get_tmp_dir();
	char *tmpl = g_build_filename(base, "tcpsim-stress-XXXXXX", NULL);

	memset(rn, 0, sizeof *rn);
	rn->o = o;
	rn->log = o->log ? o->log : stderr;
	rn->dir = g_mkdtemp(tmpl);
	if (!rn->dir) {
		fprintf(rn->log, "stress: cannot make a temporary folder: %s\n", g_strerror(errno));
		g_free(tmpl);
		g_clear_error(&error);
		return false;
	}
	rn->fd = -1;
	rn->ini_path = g_build_filename(rn->dir, "stress.ini", NULL);
	rn->out_dir = g_build_filename(rn->dir, "out", NULL);
	pending.fail_dir = o->fail_dir ? g_strdup(o->fail_dir) : NULL;
	install_handlers();
	g_log_set_default_handler(on_model_error, NULL);
	return true;
}

static void remove_tree(const char *path)
{
	GDir *d = g_dir_open(path, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d)) != NULL) {
		char *child = g_build_filename(path, name, NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR) && !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
			remove_tree(child);
		else
			g_unlink(child);
		g_free(child);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(path);
}

static void runner_clear(struct runner *rn)
{
	if (rn->dir)
		remove_tree(rn->dir);
	g_free(rn->dir);
	g_free(rn->ini_path);
	g_free(rn->out_dir);
	g_clear_pointer(&pending.fail_dir, g_free);
	memset(rn, 0, sizeof *rn);
}

static void progress(const struct stress_opts *o, FILE *log, const struct stress_totals *t, gint64 start)
{
	uint64_t step = o->runs >= 10000 ? 1000 : o->runs >= 1000 ? 100 : 0;

	if (o->quiet || step == 0 || t->runs % step != 0)
		return;
	fprintf(log, "stress: %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " runs, %" G_GUINT64_FORMAT
	        " failures, %.1f s\n", t->runs, o->runs, t->failures,
	        (double)(g_get_monotonic_time() - start) / 1e6);
	fflush(log);
}

/* --jobs 0: every run in this process. */
static void run_here(struct runner *rn, struct stress_totals *t, gint64 start)
{
	const struct stress_opts *o = rn->o;

	for (uint64_t run = o->first; run < o->first + o->runs; run++) {
		struct msg m;
		run_one(rn, run, &m);
		tally(t, &m);
		progress(o, rn->log, t, start);
	}
}

static bool send_msg(int fd, const struct msg *m)
{
	const char *p = (const char *)m;
	size_t n = sizeof *m;

	while (n > 0) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

/* A worker: the runs from `from` in steps of `step`, each announced. */
static G_GNUC_NORETURN void worker_main(struct runner *rn, int fd, uint64_t from, uint64_t step)
{
	const uint64_t end = rn->o->first + rn->o->runs;

	limit_memory();
	rn->fd = fd;
	for (uint64_t run = from; run < end; run += step) {
		struct msg m = {.run = run, .done = 0};
		if (!send_msg(fd, &m))
			_exit(1);
		run_one(rn, run, &m);
		if (!send_msg(fd, &m))
			_exit(1);
	}
	close(fd);
	_exit(0);
}

struct worker {
	pid_t pid;                /* 0 when finished */
	int fd;                   /* read end of its pipe */
	uint64_t started;         /* the run it announced last */
	bool running;             /* between START and DONE */
	struct msg buf;           /* a message being read */
	size_t have;              /* bytes of buf read */
};

/* A worker's own config file and output folder, in the shared folder. */
static void worker_paths(struct runner *rn)
{
	char *name = g_strdup_printf("stress-%d.ini", (int)getpid());
	char *out = g_strdup_printf("out-%d", (int)getpid());

	g_free(rn->ini_path);
	g_free(rn->out_dir);
	rn->ini_path = g_build_filename(rn->dir, name, NULL);
	rn->out_dir = g_build_filename(rn->dir, out, NULL);
	g_free(name);
	g_free(out);
}

static bool spawn(struct runner *rn, struct worker *w, uint64_t from, uint64_t step)
{
	int p[2];

	if (from >= rn->o->first + rn->o->runs) {
		w->pid = 0;
		return true;
	}
	if (pipe(p) != 0)
		return false;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return false;
	}
	if (pid == 0) {
		close(p[0]);
		pending.silent = true;
		worker_paths(rn);
		worker_main(rn, p[1], from, step);
	}
	close(p[1]);
	*w = (struct worker){.pid = pid, .fd = p[0]};
	return true;
}

/* A worker's pipe reached its end: reap it, charge a run it died in. */
static bool reap(struct runner *rn, struct worker *w, struct stress_totals *t, unsigned jobs)
{
	int status = 0;

	close(w->fd);
	waitpid(w->pid, &status, 0);
	w->pid = 0;
	if (!w->running && WIFEXITED(status) && WEXITSTATUS(status) == STRESS_EXIT_GERROR)
		return spawn(rn, w, w->started + jobs, jobs); /* reported and tallied: go on */
	if (!w->running)
		return true;
	struct msg m = {.run = w->started, .done = 1};
	bool hang = WIFEXITED(status) && WEXITSTATUS(status) == STRESS_EXIT_HANG;
	char *why = hang ? g_strdup_printf("hang: more than %u s of wall-clock time", rn->o->timeout_s)
	          : WIFSIGNALED(status)
	          ? g_strdup_printf("crash: killed by signal %d (%s; its report is above)", WTERMSIG(status),
	                            g_strsignal(WTERMSIG(status)))
	          : g_strdup_printf("crash: exit status %d (a sanitizer report, above)", WEXITSTATUS(status));
	char *ini = stress_generate(rn->o->seed, w->started); /* the same text the worker ran */
	m.verdict = hang ? V_HANG : V_CRASH;
	report_failure(rn, w->started, why, ini);
	g_free(ini);
	g_free(why);
	tally(t, &m);
	return spawn(rn, w, w->started + jobs, jobs); /* go on with the rest of its stride */
}

/* Reads what is available; false at the end of the pipe. */
static bool read_worker(struct worker *w, struct stress_totals *t)
{
	ssize_t k = read(w->fd, (char *)&w->buf + w->have, sizeof w->buf - w->have);

	if (k < 0 && errno == EINTR)
		return true;
	if (k <= 0)
		return false;
	w->have += (size_t)k;
	if (w->have < sizeof w->buf)
		return true;
	w->have = 0;
	w->started = w->buf.run;
	w->running = !w->buf.done;
	if (w->buf.done)
		tally(t, &w->buf);
	return true;
}

static bool run_workers(struct runner *rn, struct stress_totals *t, gint64 start)
{
	unsigned jobs = rn->o->jobs;
	struct worker *w = g_new0(struct worker, jobs);
	bool ok = true;

	for (unsigned k = 0; k < jobs && ok; k++)
		ok = spawn(rn, &w[k], rn->o->first + k, jobs);
	for (;;) {
		struct pollfd pfd[64];
		unsigned idx[64], n = 0;
		for (unsigned k = 0; k < jobs && n < G_N_ELEMENTS(pfd); k++)
			if (w[k].pid > 0) {
				pfd[n] = (struct pollfd){.fd = w[k].fd, .events = POLLIN};
				idx[n++] = k;
			}
		if (n == 0)
			break;
		if (poll(pfd, n, -1) < 0 && errno != EINTR)
			break;
		for (unsigned i = 0; i < n; i++) {
			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			uint64_t before = t->runs;
			if (!read_worker(&w[idx[i]], t))
				ok = reap(rn, &w[idx[i]], t, jobs) && ok;
			if (t->runs != before)
				progress(rn->o, rn->log, t, start);
		}
	}
	g_free(w);
	return ok;
}

bool stress_run(const struct stress_opts *o, struct stress_totals *t)
{
	struct runner rn;
	gint64 start = g_get_monotonic_time();
	bool ok;

	memset(t, 0, sizeof *t);
	if (!runner_init(&rn, o))
		return false;
	if (o->jobs == 0) {
		run_here(&rn, t, start);
		ok = true;
	} else {
		ok = run_workers(&rn, t, start);
	}
	t->wall = (double)(g_get_monotonic_time() - start) / 1e6;
	runner_clear(&rn);
	return ok && t->failures == 0 && t->runs == o->runs;
}

void stress_print_totals(FILE *out, const struct stress_opts *o, const struct stress_totals *t)
{
	fprintf(out, "stress: %" G_GUINT64_FORMAT " runs (seed %" G_GUINT64_FORMAT ", runs %" G_GUINT64_FORMAT
	        "..%" G_GUINT64_FORMAT ", %u jobs) in %.1f s: %" G_GUINT64_FORMAT " failures (%"
	        G_GUINT64_FORMAT " rejected, %" G_GUINT64_FORMAT " crashes, %" G_GUINT64_FORMAT " hangs, %"
	        G_GUINT64_FORMAT " oracle)\n", t->runs, o->seed, o->first, o->first + o->runs - 1, o->jobs,
	        t->wall, t->failures, t->rejected, t->crashes, t->hangs, t->oracle);
	fprintf(out, "  %" G_GUINT64_FORMAT " runs ended on their own, %" G_GUINT64_FORMAT
	        " at their duration; data intact in %" G_GUINT64_FORMAT ", not checked in %" G_GUINT64_FORMAT
	        " (4-tuple reuse or crash)\n", t->runs - t->truncated - t->rejected - t->crashes,
	        t->truncated, t->intact, t->exempt);
	fprintf(out, "  progress checked on %" G_GUINT64_FORMAT " runs (%" G_GUINT64_FORMAT " of them timed "
	        "out legitimately: a loss streak exhausted a retry count); outputs parsed back on %"
	        G_GUINT64_FORMAT " runs; %" G_GUINT64_FORMAT " stalled on purpose (repeat = forever with only sleep 0, or descriptors run out)\n",
	        t->progress, t->streak, t->outputs, t->stalled);
	fprintf(out, "  events: %" G_GUINT64_FORMAT " in all, at most %" G_GUINT64_FORMAT " (run %"
	        G_GUINT64_FORMAT "); slowest run %.3f s (run %" G_GUINT64_FORMAT ")\n", t->events,
	        t->max_events, t->max_events_run, t->max_wall, t->max_wall_run);
	for (int r = 0; r < 2; r++) {
		fprintf(out, "  final states, %s:", net_role_name((enum net_role)r));
		for (int s = 0; s < TCP_STATE_COUNT; s++)
			if (t->final_state[r][s])
				fprintf(out, " %s %" G_GUINT64_FORMAT, tcp_state_name((enum tcp_state)s),
				        t->final_state[r][s]);
		fprintf(out, "\n");
	}
}

int stress_replay(const struct stress_opts *o, char **files)
{
	struct runner rn;
	int failed = 0;

	if (!runner_init(&rn, o))
		return 1;
	for (char **f = files; *f; f++) {
		struct stress_outcome out;
		alarm(o->timeout_s);
		char *why = stress_check_file(*f, rn.out_dir, o->max_events, &out);
		alarm(0);
		printf("%s: %s (%" G_GUINT64_FORMAT " events%s)\n", *f, why ? why : "pass", out.events,
		       out.truncated ? ", stopped by its duration" : "");
		failed += why != NULL;
		g_free(why);
	}
	runner_clear(&rn);
	return failed ? 1 : 0;
}

