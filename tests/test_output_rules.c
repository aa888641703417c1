/*
 * The rules every output of tcpsim follows (sim/out/outfile.h), one test per
 * rule, by running the program:
 *  - a device, a FIFO, "-" and a symlink are never replaced by rename(2);
 *  - the output folder is locked: a second run or sweep fails, naming the
 *    holder, and writes nothing;
 *  - outputs that are one file (with each other, or with the config) are a
 *    usage error before the run;
 *  - SIGTERM leaves no temporary file and the status says so;
 *  - a usage error leaves no output folder;
 *  - stdout that cannot be written is exit status 1;
 *  - a merge checks every shard before writing, and never onto a shard;
 *  - the pcap records whole frames of the largest MSS.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <pcap/pcap.h>
#include "tests/scenario_util.h"

#define ECHO_INI \
	"[simulation]\nseed = 3\n[network]\ndelay = 1ms\n" \
	"[client]\naddress = 10.0.0.1\nscript = connect; send \"hello\"; recv; close\n" \
	"[server]\naddress = 10.0.0.2:2333\nscript = listen; accept; echo; close\n"

/* Runs for a long time (seconds of wall clock), writing a large capture. */
#define LONG_INI \
	"[simulation]\nduration = 1000000s\n[network]\ndelay = 1ms\n" \
	"[client]\naddress = 10.0.0.1\nscript = connect; send 100000; close\nrepeat = 1000000\n" \
	"[server]\naddress = 10.0.0.2:80\nscript = listen; accept; recv all; close\nrepeat = forever\n"

#define SWEEP_INI ECHO_INI "[sweep]\nruns = 4\nmetrics = client.result\nnetwork.loss = 0, 0.1\n"

static const char *tcpsim_bin(void)
{
	const char *bin = g_getenv("TCPSIM_BIN");
	return bin && *bin ? bin : "./tcpsim";
}

static char *write_file(const char *dir, const char *name, const char *text)
{
	char *path = g_build_filename(dir, name, NULL);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

static void run(const char *const *args, struct scn_run *r)
{
	GError *error = NULL;
	g_assert_true(scn_tcpsim(args, r, &error));
	g_assert_no_error(error);
}

static void assert_usage(const struct scn_run *r, const char *message)
{
	if (r->status != 2 || !strstr(r->err, message))
		g_error("expected exit 2 and \"%s\"; got %d, stderr: %s", message, r->status, r->err);
}

/* The *.tmp files in dir. */
static guint count_tmp(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	guint n = 0;
	for (const char *name; d && (name = g_dir_read_name(d)); )
		n += g_str_has_suffix(name, ".tmp");
	if (d)
		g_dir_close(d);
	return n;
}

/* ---- rule 1: devices, FIFOs, "-" and symlinks are written in place ---- */

/* As root the test makes its own null device (1, 3), so that a tcpsim
 * that renames onto it breaks the test's node, not the system's /dev/null;
 * without the right to mknod(2), /dev/null itself (which then cannot be
 * replaced either). */
static void test_device_in_place(void)
{
	char *tmp = scn_tmpdir();
	char *ini = write_file(tmp, "c.ini", ECHO_INI);
	char *out = g_build_filename(tmp, "o", NULL);
	char *pcap = g_build_filename(out, "trace.pcap", NULL);
	char *null = g_build_filename(tmp, "null", NULL);
	struct stat st;
	if (mknod(null, S_IFCHR | 0666, makedev(1, 3)) != 0) {
		g_free(null);
		null = g_strdup("/dev/null");
	}
	char *null_tmp = g_strconcat(null, ".tmp", NULL);
	g_assert_cmpint(g_mkdir(out, 0755), ==, 0);
	g_assert_cmpint(symlink(null, pcap), ==, 0); /* the capture: a link to a device */
	const char *args[] = {ini, "-o", out, "-q", "--events", null, NULL};
	struct scn_run r;
	run(args, &r);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_cmpint(lstat(null, &st), ==, 0);
	g_assert_true(S_ISCHR(st.st_mode)); /* as root, a rename would have made it a regular file */
	g_assert_false(g_file_test(null_tmp, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(pcap, G_FILE_TEST_IS_SYMLINK));
	g_assert_cmpint(stat(pcap, &st), ==, 0);
	g_assert_true(S_ISCHR(st.st_mode));
	g_assert_cmpuint(count_tmp(out), ==, 0);
	scn_run_clear(&r);
	scn_rmtree(tmp);
	g_free(null_tmp);
	g_free(null);
	g_free(pcap);
	g_free(out);
	g_free(ini);
	g_free(tmp);
}

static gpointer read_all(gpointer path)
{
	char *text = NULL;
	GError *error = NULL;
	if (!g_file_get_contents(path, &text, NULL, &error))
		g_error_free(error);
	return text;
}

static void test_fifo(void)
{
	char *tmp = scn_tmpdir();
	char *ini = write_file(tmp, "c.ini", ECHO_INI);
	char *out = g_build_filename(tmp, "o", NULL);
	char *fifo = g_build_filename(tmp, "events.fifo", NULL);
	g_assert_cmpint(mkfifo(fifo, 0644), ==, 0);
	GThread *reader = g_thread_new("fifo", read_all, fifo);
	const char *args[] = {ini, "-o", out, "-q", "--events", fifo, NULL};
	struct scn_run r;
	run(args, &r);
	int fd = open(fifo, O_WRONLY | O_NONBLOCK); /* ends the reader if tcpsim never opened it */
	if (fd >= 0)
		close(fd);
	char *text = g_thread_join(reader);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_nonnull(text);
	g_assert_true(g_str_has_prefix(text, "{\"t\":"));
	g_assert_true(g_str_has_suffix(text, "}\n"));
	struct stat st;
	g_assert_cmpint(lstat(fifo, &st), ==, 0);
	g_assert_true(S_ISFIFO(st.st_mode));
	g_assert_cmpuint(count_tmp(tmp), ==, 0);
	g_free(text);
	scn_run_clear(&r);
	scn_rmtree(tmp);
	g_free(fifo);
	g_free(out);
	g_free(ini);
	g_free(tmp);
}

static void test_symlink(void)
{
	char *tmp = scn_tmpdir();
	char *ini = write_file(tmp, "c.ini", ECHO_INI);
	char *out = g_build_filename(tmp, "o", NULL);
	char *target = write_file(tmp, "real.jsonl", "old\n");
	char *link = g_build_filename(tmp, "link.jsonl", NULL);
	g_assert_cmpint(symlink("real.jsonl", link), ==, 0); /* relative, as users make them */
	const char *args[] = {ini, "-o", out, "-q", "--events", link, NULL};
	struct scn_run r;
	run(args, &r);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_true(g_file_test(link, G_FILE_TEST_IS_SYMLINK)); /* the link stays */
	char *text = NULL;
	g_assert_true(g_file_get_contents(target, &text, NULL, NULL));
	g_assert_true(g_str_has_prefix(text, "{\"t\":")); /* its target has the log */
	g_assert_cmpuint(count_tmp(tmp), ==, 0);
	g_free(text);
	scn_run_clear(&r);
	scn_rmtree(tmp);
	g_free(link);
	g_free(target);
	g_free(out);
	g_free(ini);
	g_free(tmp);
}

static void test_dash_is_stdout(void)
{
	char *tmp = scn_tmpdir();
	char *ini = write_file(tmp, "c.ini", ECHO_INI);
	char *out = g_build_filename(tmp, "o", NULL);
	const char *args[] = {ini, "-o", out, "--events", "-", NULL};
	struct scn_run r;
	run(args, &r);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_true(g_str_has_prefix(r.out, "{\"t\":")); /* the log alone: no human summary */
	g_assert_true(g_str_has_suffix(r.out, "}\n"));
	g_assert_false(g_file_test("-", G_FILE_TEST_EXISTS));
	scn_run_clear(&r);
	scn_rmtree(tmp);
	g_free(out);
	g_free(ini);
	g_free(tmp);
}

/* ---- rule 2: the output folder is locked ---- */

/* Holds dir's lock as another tcpsim would; the fd to close. */
static int hold_lock(const char *dir)
{
	char *path = g_build_filename(dir, ".tcpsim.lock", NULL);
	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	int fd = open(path, O_RDWR | O_CREAT, 0644);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(flock(fd, LOCK_EX | LOCK_NB), ==, 0);
	const char text[] = "4242\ntcpsim sweep other.ini\n";
	g_assert_cmpint(write(fd, text, sizeof text - 1), ==, (ssize_t)(sizeof text - 1));
	g_free(path);
	return fd;
}

/* Only the lock file is in dir. */
static void assert_only_lock(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	g_assert_nonnull(d);
	for (const char *name; (name = g_dir_read_name(d)); )
		g_assert_cmpstr(name, ==, ".tcpsim.lock");
	g_dir_close(d);
}

static void check_lock_busy(const char *ini, const char *command)
{
	char *tmp = scn_tmpdir();
	char *cfg = write_file(tmp, "c.ini", ini);
	char *out = g_build_filename(tmp, "o", NULL);
	int fd = hold_lock(out);
	const char *args[] = {command, cfg, "-o", out, "-j", "1", NULL};
	const char *run_args[] = {cfg, "-o", out, NULL};
	struct scn_run r;
	run(command ? args : run_args, &r);
	char *msg = g_strdup_printf("%s is in use by another tcpsim (pid 4242: tcpsim sweep other.ini)", out);
	assert_usage(&r, msg);
	assert_only_lock(out);
	scn_run_clear(&r);
	close(fd); /* released: the same command now runs */
	run(command ? args : run_args, &r);
	g_assert_cmpint(r.status, ==, 0);
	scn_run_clear(&r);
	g_free(msg);
	scn_rmtree(tmp);
	g_free(out);
	g_free(cfg);
	g_free(tmp);
}

static void test_lock_run(void)
{
	check_lock_busy(ECHO_INI, NULL);
}

static void test_lock_sweep(void)
{
	check_lock_busy(SWEEP_INI, "sweep");
}

/* ---- rule 3: outputs that are one file ---- */

static void test_collisions(void)
{
	char *tmp = scn_tmpdir();
	char *ini = write_file(tmp, "c.ini", ECHO_INI);
	char *out = g_build_filename(tmp, "o", NULL);
	char *pcap = g_build_filename(out, "trace.pcap", NULL);
	char *svg = g_build_filename(tmp, "x.svg", NULL);
	char *dotted = g_build_filename(tmp, ".", "c.ini", NULL);
	char *hard = g_build_filename(tmp, "hard.ini", NULL);
	g_assert_cmpint(link(ini, hard), ==, 0);
	char *onto_pcap = g_strdup_printf("--events %s: the same file as the capture", pcap);
	const struct { const char *args[8]; const char *message; } cases[] = {
		{{ini, "-o", out, "--events", pcap}, onto_pcap},
		{{ini, "-o", out, "--events", svg, "--diagram", svg}, "the same file as --diagram"},
		{{ini, "-o", out, "--events", dotted}, "the same file as the config file"},
		{{ini, "-o", out, "--events", hard}, "the same file as the config file"},
		{{ini, "-o", out, "--events", "-", "--json"}, "--events -: --json also writes to stdout"},
		{{ini, "-o", out, "--events", "-", "--trace"}, "--events -: --trace also writes to stdout"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct scn_run r;
		run(cases[i].args, &r);
		assert_usage(&r, cases[i].message);
		g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS)); /* before anything is made */
		scn_run_clear(&r);
	}
	char *text = NULL;
	g_assert_true(g_file_get_contents(ini, &text, NULL, NULL));
	g_assert_cmpstr(text, ==, ECHO_INI);
	g_free(text);
	scn_rmtree(tmp);
	g_free(onto_pcap);
	g_free(hard);
	g_free(dotted);
	g_free(svg);
	g_free(pcap);
	g_free(out);
	g_free(ini);
	g_free(tmp);
}

/* ---- rule 4: a signal removes the temporary files ---- */

/* Starts tcpsim with args, waits for `wait_for` to exist, sends SIGTERM;
 * the wait status. */
static int terminate_when(const char *const *args, const char *wait_for)
{
	GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(argv, g_strdup(tcpsim_bin()));
	for (size_t i = 0; args[i]; i++)
		g_ptr_array_add(argv, g_strdup(args[i]));
	g_ptr_array_add(argv, NULL);
	GPid pid;
	GError *error = NULL;
	g_assert_true(g_spawn_async(NULL, (char **)argv->pdata, NULL,
	                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
	                            G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, &error));
	g_assert_no_error(error);
	g_ptr_array_free(argv, TRUE);
	for (int i = 0; i < 3000 && !g_file_test(wait_for, G_FILE_TEST_EXISTS); i++)
		g_usleep(10000);
	g_assert_true(g_file_test(wait_for, G_FILE_TEST_EXISTS));
	g_usleep(50000);
	kill(pid, SIGTERM);
	int status;
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	return status;
}

static void test_signal_run(void)
{
	char *tmp = scn_tmpdir();
	char *ini = write_file(tmp, "long.ini", LONG_INI);
	char *out = g_build_filename(tmp, "o", NULL);
	char *events = g_build_filename(tmp, "events.jsonl", NULL);
	char *pcap_tmp = g_build_filename(out, "trace.pcap.tmp", NULL);
	const char *args[] = {ini, "-o", out, "-q", "--events", events, NULL};
	int status = terminate_when(args, pcap_tmp);
	g_assert_true(WIFSIGNALED(status));
	g_assert_cmpint(WTERMSIG(status), ==, SIGTERM);
	g_assert_cmpuint(count_tmp(out), ==, 0);
	g_assert_cmpuint(count_tmp(tmp), ==, 0);
	g_assert_false(g_file_test(events, G_FILE_TEST_EXISTS));
	scn_rmtree(tmp);
	g_free(pcap_tmp);
	g_free(events);
	g_free(out);
	g_free(ini);
	g_free(tmp);
}

static void test_signal_sweep(void)
{
	char *tmp = scn_tmpdir();
	char *ini = write_file(tmp, "s.ini", ECHO_INI "[sweep]\nruns = 1000000\nmetrics = client.result\n");
	char *out = g_build_filename(tmp, "o", NULL);
	char *runs = g_build_filename(out, "runs.csv", NULL);
	const char *args[] = {"sweep", ini, "-o", out, "-j", "1", NULL};
	int status = terminate_when(args, runs);
	g_assert_true(WIFSIGNALED(status));
	g_assert_cmpint(WTERMSIG(status), ==, SIGTERM);
	g_assert_cmpuint(count_tmp(out), ==, 0);
	g_assert_true(g_file_test(runs, G_FILE_TEST_EXISTS)); /* kept: a resume continues it */
	scn_rmtree(tmp);
	g_free(runs);
	g_free(out);
	g_free(ini);
	g_free(tmp);
}

/* ---- rule 5: a usage error leaves no output folder ---- */

static void test_usage_error_no_folder(void)
{
	char *tmp = scn_tmpdir();
	char *bad = write_file(tmp, "bad.ini", "[client]\naddress = 10.0.0.1\n");
	char *stall = write_file(tmp, "stall.ini",
	                         "[client]\naddress = 10.0.0.1\nscript = sleep 0\nrepeat = forever\n"
	                         "[server]\naddress = 10.0.0.2:80\nscript = listen\n");
	char *ini = write_file(tmp, "c.ini", ECHO_INI);
	char *out = g_build_filename(tmp, "new", "deeper", NULL);
	char *top = g_build_filename(tmp, "new", NULL);
	char *nodir = g_build_filename(tmp, "nodir", "e.jsonl", NULL);
	const char *cases[][6] = {
		{bad, "-o", out},
		{stall, "-o", out},
		{ini, "-o", out, "--events", nodir},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct scn_run r;
		run(cases[i], &r);
		g_assert_cmpint(r.status, ==, 2);
		g_assert_false(g_file_test(top, G_FILE_TEST_EXISTS));
		scn_run_clear(&r);
	}
	scn_rmtree(tmp);
	g_free(nodir);
	g_free(top);
	g_free(out);
	g_free(ini);
	g_free(stall);
	g_free(bad);
	g_free(tmp);
}

/* ---- rule 6: stdout errors ---- */

/* tcpsim args > /dev/full; its exit status and stderr. */
static int run_to_full(const char *const *args, char **err)
{
	GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(argv, g_strdup("/bin/sh"));
	g_ptr_array_add(argv, g_strdup("-c"));
	g_ptr_array_add(argv, g_strdup("exec \"$0\" \"$@\" > /dev/full"));
	g_ptr_array_add(argv, g_strdup(tcpsim_bin()));
	for (size_t i = 0; args[i]; i++)
		g_ptr_array_add(argv, g_strdup(args[i]));
	g_ptr_array_add(argv, NULL);
	int status;
	GError *error = NULL;
	g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, err,
	                           &status, &error));
	g_assert_no_error(error);
	g_ptr_array_free(argv, TRUE);
	g_assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_stdout_full(void)
{
	char *tmp = scn_tmpdir();
	char *ini = write_file(tmp, "c.ini", ECHO_INI);
	char *sweep = write_file(tmp, "s.ini", SWEEP_INI);
	char *out = g_build_filename(tmp, "o", NULL);
	char *sweep_out = g_build_filename(tmp, "s", NULL);
	const char *cases[][7] = {
		{ini, "-o", out, "--json"},
		{ini, "-o", out, "--trace"},
		{ini, "-o", out},
		{"sweep", sweep, "-o", sweep_out, "-j", "1"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *err = NULL;
		int status = run_to_full(cases[i], &err);
		if (status != 1 || !strstr(err, "tcpsim: stdout: cannot write: No space left on device"))
			g_error("case %zu: exit %d, stderr: %s", i, status, err);
		g_free(err);
	}
	scn_rmtree(tmp);
	g_free(sweep_out);
	g_free(out);
	g_free(sweep);
	g_free(ini);
	g_free(tmp);
}

/* ---- rule 7: merge ---- */

static char *make_shard(const char *tmp, const char *ini, const char *shard, const char *name)
{
	char *dir = g_build_filename(tmp, name, NULL);
	const char *args[] = {"sweep", ini, "--shard", shard, "-o", dir, "-j", "1", "-q", NULL};
	struct scn_run r;
	run(args, &r);
	g_assert_cmpint(r.status, ==, 0);
	scn_run_clear(&r);
	return dir;
}

static void test_merge_validates(void)
{
	char *tmp = scn_tmpdir();
	char *ini = write_file(tmp, "s.ini", SWEEP_INI);
	char *s1 = make_shard(tmp, ini, "1/2", "s1");
	char *s2 = make_shard(tmp, ini, "2/2", "s2");
	char *runs2 = g_build_filename(s2, "runs.csv", NULL);
	char *text = NULL;
	g_assert_true(g_file_get_contents(runs2, &text, NULL, NULL));
	char *last = strrchr(text, '\n');
	*last = '\0';
	last = strrchr(text, '\n') + 1; /* the last row: index 7 */
	g_assert_true(last[0] == '7');
	last[0] = '5';
	*strchr(last, '\0') = '\n';
	g_assert_true(g_file_set_contents(runs2, text, -1, NULL));
	char *out = g_build_filename(tmp, "m", NULL);
	const char *args[] = {"merge", "-o", out, s1, s2, NULL};
	struct scn_run r;
	run(args, &r);
	char *msg = g_strdup_printf("%s/runs.csv: row 4 is not the run of index 7", s2);
	assert_usage(&r, msg);
	g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS)); /* checked before anything is written */
	scn_run_clear(&r);
	g_free(msg);
	g_free(out);
	g_free(text);
	g_free(runs2);
	scn_rmtree(tmp);
	g_free(s2);
	g_free(s1);
	g_free(ini);
	g_free(tmp);
}

static void test_merge_onto_input(void)
{
	char *tmp = scn_tmpdir();
	char *ini = write_file(tmp, "s.ini", SWEEP_INI);
	char *s1 = make_shard(tmp, ini, "1/2", "s1");
	char *s2 = make_shard(tmp, ini, "2/2", "s2");
	char *runs1 = g_build_filename(s1, "runs.csv", NULL);
	char *before = NULL, *after = NULL;
	g_assert_true(g_file_get_contents(runs1, &before, NULL, NULL));
	const char *args[] = {"merge", "-o", s1, s1, s2, NULL};
	struct scn_run r;
	run(args, &r);
	char *msg = g_strdup_printf("--out %s is the shard folder %s", s1, s1);
	assert_usage(&r, msg);
	scn_run_clear(&r);
	/* a folder whose runs.csv is a link to a shard's */
	char *out = g_build_filename(tmp, "m", NULL);
	char *link = g_build_filename(out, "runs.csv", NULL);
	g_assert_cmpint(g_mkdir(out, 0755), ==, 0);
	g_assert_cmpint(symlink(runs1, link), ==, 0);
	const char *args2[] = {"merge", "-o", out, s1, s2, NULL};
	run(args2, &r);
	char *msg2 = g_strdup_printf("%s is the shard's %s", link, runs1);
	assert_usage(&r, msg2);
	scn_run_clear(&r);
	g_assert_true(g_file_get_contents(runs1, &after, NULL, NULL));
	g_assert_cmpstr(before, ==, after);
	g_assert_cmpuint(count_tmp(s1), ==, 0);
	g_free(msg2);
	g_free(link);
	g_free(out);
	g_free(msg);
	g_free(after);
	g_free(before);
	g_free(runs1);
	scn_rmtree(tmp);
	g_free(s2);
	g_free(s1);
	g_free(ini);
	g_free(tmp);
}

/* ---- rule 8: whole frames in the pcap ---- */

static void test_pcap_snaplen(void)
{
	char *tmp = scn_tmpdir();
	char *ini = write_file(tmp, "big.ini",
	                       "[network]\ndelay = 1ms\n[tcp]\nmss = 65495\nsndbuf = 1MiB\nrcvbuf = 1MiB\n"
	                       "[client]\naddress = 10.0.0.1\nscript = connect; send 300000; close\n"
	                       "[server]\naddress = 10.0.0.2:80\nscript = listen; accept; recv all; close\n");
	char *out = g_build_filename(tmp, "o", NULL);
	char *pcap = g_build_filename(out, "trace.pcap", NULL);
	const char *args[] = {ini, "-o", out, "-q", NULL};
	struct scn_run r;
	run(args, &r);
	g_assert_cmpint(r.status, ==, 0);
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(pcap, errbuf);
	g_assert_nonnull(p);
	g_assert_cmpint(pcap_snapshot(p), ==, 262144);
	struct pcap_pkthdr *h;
	const u_char *data;
	guint frames = 0, large = 0;
	while (pcap_next_ex(p, &h, &data) == 1) {
		frames++;
		g_assert_cmpuint(h->caplen, ==, h->len);
		large += h->len > 65535; /* Ethernet + a full 65535-byte IPv4 packet */
	}
	g_assert_cmpuint(frames, >, 0);
	g_assert_cmpuint(large, >, 0);
	pcap_close(p);
	scn_run_clear(&r);
	scn_rmtree(tmp);
	g_free(pcap);
	g_free(out);
	g_free(ini);
	g_free(tmp);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/output-rules/device-in-place", test_device_in_place);
	g_test_add_func("/output-rules/fifo", test_fifo);
	g_test_add_func("/output-rules/symlink", test_symlink);
	g_test_add_func("/output-rules/dash-is-stdout", test_dash_is_stdout);
	g_test_add_func("/output-rules/lock/run", test_lock_run);
	g_test_add_func("/output-rules/lock/sweep", test_lock_sweep);
	g_test_add_func("/output-rules/collisions", test_collisions);
	g_test_add_func("/output-rules/signal/run", test_signal_run);
	g_test_add_func("/output-rules/signal/sweep", test_signal_sweep);
	g_test_add_func("/output-rules/usage-error-no-folder", test_usage_error_no_folder);
	g_test_add_func("/output-rules/stdout-full", test_stdout_full);
	g_test_add_func("/output-rules/merge/validates-first", test_merge_validates);
	g_test_add_func("/output-rules/merge/onto-input", test_merge_onto_input);
	g_test_add_func("/output-rules/pcap-snaplen", test_pcap_snaplen);
	return g_test_run();
}
