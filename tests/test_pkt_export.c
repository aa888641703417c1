/*
 * tcpsim --pkt ENDPOINT:FILE against tcpsim pkt: every shipped config's
 * client and server, written as a packetdrill script, replay against the
 * model and pass (the replay must send what the run sent, at the same
 * times), or the export is refused for one of the reasons a script cannot
 * hold (sim/pkt/pkt_export.c): connections with more than one peer port,
 * a connection that goes on after the next one began, a crash, signals,
 * segments that never reached the wire, a call on a descriptor no socket()
 * or accept() gave, nothing at all.  A [faults] kill is the `ss -K` line
 * that kills from outside.  Also the file's form, several
 * connections one after another, and a usage error.
 */
#include <glib.h>
#include <stdbool.h>
#include <string.h>

#include "tests/scenario_util.h"

static const char *const refusals[] = {
	"remote ports; a script's peer has one port",
	"a script follows one connection at a time",
	"crashed; a script has no crash",
	"program uses signals; a script has none",
	"never reached the wire (no ARP reply)",
	"made no call and saw no packet",
	"which no socket() or accept() of it gave",
	"for its interface to send what it held (TCP small queues)",
	NULL,
};

static bool known_refusal(const char *err)
{
	for (const char *const *r = refusals; *r; r++)
		if (strstr(err, *r))
			return true;
	return false;
}

/* `tcpsim pkt FILE`: the file's own "// tcpsim:" line gives its settings. */
static GPtrArray *replay_args(const char *path, const char *text)
{
	(void)text;
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(a, g_strdup("pkt"));
	g_ptr_array_add(a, g_strdup(path));
	g_ptr_array_add(a, NULL);
	return a;
}

static void export_and_replay(const char *config, const char *role, const char *dir, unsigned *passed,
                              unsigned *refused)
{
	char *base = g_path_get_basename(config);
	char *file = g_strdup_printf("%s/%s-%s.pkt", dir, base, role);
	char *out = g_strdup_printf("%s/out-%s-%s", dir, base, role);
	char *spec = g_strdup_printf("%s:%s", role, file);
	const char *args[] = {config, "-q", "-o", out, "--pkt", spec, NULL};
	struct scn_run run;
	GError *error = NULL;
	g_assert_true(scn_tcpsim(args, &run, &error));
	if (run.status != 0) {
		if (!known_refusal(run.err))
			g_error("%s --pkt %s: exit %d: %s", config, role, run.status, run.err);
		g_assert_cmpint(run.status, ==, 2);
		g_assert_false(g_file_test(file, G_FILE_TEST_EXISTS)); /* no half-written script */
		(*refused)++;
	} else {
		char *text = NULL;
		g_assert_true(g_file_get_contents(file, &text, NULL, NULL));
		g_assert_true(g_str_has_prefix(text, "// "));
		GPtrArray *a = replay_args(file, text);
		struct scn_run replay;
		g_assert_true(scn_tcpsim((const char *const *)a->pdata, &replay, &error));
		if (replay.status != 0 || !g_str_has_prefix(replay.out, "PASS"))
			g_error("%s, the %s: the exported script does not replay:\n%s%s\n--- the script:\n%s",
			        config, role, replay.out, replay.err, text);
		scn_run_clear(&replay);
		g_ptr_array_free(a, TRUE);
		g_free(text);
		(*passed)++;
	}
	scn_run_clear(&run);
	g_free(spec);
	g_free(out);
	g_free(file);
	g_free(base);
}

static void add_configs(GPtrArray *v, const char *folder)
{
	GDir *d = g_dir_open(folder, 0, NULL);
	g_assert_nonnull(d);
	const char *name;
	while ((name = g_dir_read_name(d)) != NULL)
		if (g_str_has_suffix(name, ".ini"))
			g_ptr_array_add(v, g_build_filename(folder, name, NULL));
	g_dir_close(d);
}

static gint by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_shipped_configs(void)
{
	GPtrArray *configs = g_ptr_array_new_with_free_func(g_free);
	add_configs(configs, "configs");
	add_configs(configs, "configs/seeds");
	g_ptr_array_sort(configs, by_name);
	char *dir = scn_tmpdir();
	unsigned passed = 0, refused = 0;
	for (guint i = 0; i < configs->len; i++) {
		export_and_replay(g_ptr_array_index(configs, i), "client", dir, &passed, &refused);
		export_and_replay(g_ptr_array_index(configs, i), "server", dir, &passed, &refused);
	}
	g_test_message("%u exports replayed and passed, %u refused", passed, refused);
	g_assert_cmpuint(passed, >=, 70); /* most of them: the limits are exceptions */
	scn_rmtree(dir);
	g_free(dir);
	g_ptr_array_free(configs, TRUE);
}

/* A [faults] kill (configs/time_wait_killed.ini: the client's TIME_WAIT
 * at 100 ms) is the `ss -K` line at its time, which the replay runs: the
 * peer's late FIN then finds no connection and is answered by a reset. */
static void test_faults_kill(void)
{
	char *dir = scn_tmpdir();
	unsigned passed = 0, refused = 0;
	export_and_replay("configs/time_wait_killed.ini", "client", dir, &passed, &refused);
	g_assert_cmpuint(passed, ==, 1);
	g_assert_cmpuint(refused, ==, 0);
	char *file = g_build_filename(dir, "time_wait_killed.ini-client.pkt", NULL);
	char *text = NULL;
	g_assert_true(g_file_get_contents(file, &text, NULL, NULL));
	const char *kill = strstr(text, "\n0.100000 `ss -K -atn dst 192.0.2.1 > /dev/null`\n");
	g_assert_nonnull(kill);
	g_assert_nonnull(strstr(kill, "> R 6:6(0) win 0\n"));
	g_free(text);
	g_free(file);
	scn_rmtree(dir);
	g_free(dir);
}

/* The file's form: calls, a blocking call START...END, packets both ways. */
static void test_form(void)
{
	char *dir = scn_tmpdir();
	char *file = g_build_filename(dir, "c.pkt", NULL);
	char *out = g_build_filename(dir, "out", NULL);
	char *spec = g_strdup_printf("client:%s", file);
	const char *args[] = {"configs/lossy_close.ini", "-q", "-o", out, "--pkt", spec, NULL};
	struct scn_run run;
	GError *error = NULL;
	g_assert_true(scn_tcpsim(args, &run, &error));
	g_assert_cmpint(run.status, ==, 0);
	char *text = NULL;
	g_assert_true(g_file_get_contents(file, &text, NULL, NULL));
	g_assert_nonnull(strstr(text, "\n0.000000 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"));
	g_assert_nonnull(strstr(text, "\n0.000000...0.037502 connect(3, ..., ...) = 0\n"));
	g_assert_nonnull(strstr(text, "\n0.000000 > S 0:0(0) win 64240 <mss 1460,sackOK,TS val "));
	g_assert_nonnull(strstr(text, "\n0.037502 < S. 0:0(0) ack 1 win 65160 <mss 1460,sackOK,TS val "));
	g_assert_nonnull(strstr(text, "\n0.110371 close(3) = 0\n"));
	g_free(text);
	scn_run_clear(&run);
	const char *bad[] = {"configs/lossy_close.ini", "-q", "-o", out, "--pkt", file, NULL};
	g_assert_true(scn_tcpsim(bad, &run, &error));
	g_assert_cmpint(run.status, ==, 2);
	g_assert_nonnull(strstr(run.err, "expected ENDPOINT:FILE, such as client:run.pkt"));
	scn_run_clear(&run);
	scn_rmtree(dir);
	g_free(spec);
	g_free(out);
	g_free(file);
	g_free(dir);
}

/* Exports the endpoint of config into dir; the script's text, or NULL
 * with the error in *err. */
static char *export_text(const char *config, const char *role, const char *dir, char **err)
{
	char *file = g_strdup_printf("%s/%s.pkt", dir, role);
	char *out = g_strdup_printf("%s/out-%s", dir, role);
	char *spec = g_strdup_printf("%s:%s", role, file);
	const char *args[] = {config, "-q", "-o", out, "--pkt", spec, NULL};
	struct scn_run run;
	GError *error = NULL;
	g_assert_true(scn_tcpsim(args, &run, &error));
	char *text = NULL;
	*err = NULL;
	if (run.status == 0)
		g_assert_true(g_file_get_contents(file, &text, NULL, NULL));
	else
		*err = g_strdup(run.err);
	scn_run_clear(&run);
	g_free(spec);
	g_free(out);
	g_free(file);
	return text;
}

/* Replays a script's text (with its --set options); tcpsim pkt's stdout. */
static char *replay_text(const char *text, const char *dir)
{
	char *file = g_build_filename(dir, "replay.pkt", NULL);
	g_assert_true(g_file_set_contents(file, text, -1, NULL));
	GPtrArray *a = replay_args(file, text);
	struct scn_run run;
	GError *error = NULL;
	g_assert_true(scn_tcpsim((const char *const *)a->pdata, &run, &error));
	char *out = g_strconcat(run.out, run.err, NULL);
	scn_run_clear(&run);
	g_ptr_array_free(a, TRUE);
	g_free(file);
	return out;
}

static guint count_of(const char *text, const char *what)
{
	guint n = 0;
	for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

/* text with the last occurrence of what replaced by with. */
static char *replace_last(const char *text, const char *what, const char *with)
{
	const char *last = NULL;
	for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
		last = p;
	g_assert_nonnull(last);
	return g_strdup_printf("%.*s%s%s", (int)(last - text), text, with, last + strlen(what));
}

/* Two connections one after the other on one 4-tuple, without TIME_WAIT
 * at the client (configs/old_duplicate_no_time_wait.ini): each
 * connection's numbers start again from its own ISNs, as the replay
 * learns them at each SYN, and the old segment that reaches the server
 * inside the second connection is written relative to the second one (its
 * ack 30000 below the new ISN: RFC 6528's 4 us clock, 120 ms between the
 * two).
 * The replay passes, and fails when the second connection is numbered
 * from the first one's ISN. */
static void test_successive_connections(void)
{
	char *dir = scn_tmpdir();
	char *err = NULL;
	char *text = export_text("configs/old_duplicate_no_time_wait.ini", "server", dir, &err);
	g_assert_null(err);
	g_assert_nonnull(text);
	g_assert_cmpuint(count_of(text, " < S 0:0(0) win 64240 "), ==, 2);
	g_assert_cmpuint(count_of(text, " > S. 0:0(0) ack 1 win 64240 "), ==, 2);
	g_assert_cmpuint(count_of(text, " accept(3, ..., ...) = 4\n"), ==, 2);
	g_assert_cmpuint(count_of(text, " close(4) = 0\n"), ==, 2);
	/* win 63: the client, which has received nothing, offers its SYN's
	 * 64240 (rcv_ssthresh) rounded up to 1 << 10 (__tcp_select_window()) */
	g_assert_nonnull(strstr(text, "\n0.180000 < . 99941:101401(1460) ack 4294937297 win 63\n"));
	char *verdict = replay_text(text, dir);
	g_assert_true(g_str_has_prefix(verdict, "PASS"));
	g_free(verdict);
	g_free(text);

	text = export_text("configs/old_duplicate_no_time_wait.ini", "client", dir, &err);
	g_assert_null(err);
	g_assert_cmpuint(count_of(text, " > S 0:0(0) win 64240 "), ==, 2);
	g_assert_cmpuint(count_of(text, " socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"), ==, 2);
	verdict = replay_text(text, dir);
	g_assert_true(g_str_has_prefix(verdict, "PASS"));
	g_free(verdict);
	char *broken = replace_last(text, " > S 0:0(0) win 64240 ", " > S 1000:1000(0) win 64240 ");
	verdict = replay_text(broken, dir);
	g_assert_true(g_str_has_prefix(verdict, "FAIL"));
	/* the SYN-ACK's ack, relative to the ISN so learned, is out of the
	 * window: the model resets where the script expected its ACK */
	g_assert_nonnull(strstr(verdict, "live packet field tcp_rst: expected: 0 (0x0) vs actual: 1"));
	g_free(verdict);
	g_free(broken);
	g_free(text);
	scn_rmtree(dir);
	g_free(dir);
}

/* The server closes first and is in TIME_WAIT when the client, from the
 * same port, opens its next connection: the new SYN reopens the TIME_WAIT
 * because its sequence number is past the old connection's (Linux
 * tcp_timewait_state_process()), so the peer's numbers go on from the
 * first connection's; written from 0 again, the SYN would be an old
 * duplicate to the TIME_WAIT, and the replay fails. */
static void test_time_wait_reopened(void)
{
	char *dir = scn_tmpdir();
	char *ini = g_build_filename(dir, "tw.ini", NULL);
	g_assert_true(g_file_set_contents(ini, "[network]\ndelay = 10ms\n[tcp]\ntimestamps = false\n"
	                                       "[client.tcp]\ntime_wait = 0\n"
	                                       "[client]\naddress = 10.0.0.1:40000\n"
	                                       "script = connect; send 3000; recv all; close; sleep 100ms\n"
	                                       "repeat = 2\n"
	                                       "[server]\naddress = 10.0.0.2:7777\n"
	                                       "script = listen; accept; recv 3000; close\nrepeat = forever\n",
	                                  -1, NULL));
	char *err = NULL;
	char *text = export_text(ini, "server", dir, &err);
	g_assert_null(err);
	g_assert_cmpuint(count_of(text, " < S 0:0(0) win 64240 "), ==, 1); /* the second goes on */
	g_assert_cmpuint(count_of(text, " > S. 0:0(0) ack 1 win 64240 "), ==, 1);
	g_assert_cmpuint(count_of(text, " < S "), ==, 2);
	char *verdict = replay_text(text, dir);
	g_assert_true(g_str_has_prefix(verdict, "PASS"));
	g_free(verdict);
	const char *second = strstr(strstr(text, " < S ") + 1, " < S ");
	const char *paren = strchr(second, '(');
	char *syn = g_strndup(second, (size_t)(paren - second));
	char *broken = replace_last(text, syn, " < S 0:0");
	verdict = replay_text(broken, dir);
	g_assert_true(g_str_has_prefix(verdict, "FAIL"));
	g_free(verdict);
	g_free(broken);
	g_free(syn);
	g_free(text);
	scn_rmtree(dir);
	g_free(ini);
	g_free(dir);
}

/* A client whose host has one ephemeral port (40000-40000): its second
 * connect(), while the first connection's TIME_WAIT holds the port, fails
 * with EADDRNOTAVAIL.  The replay's host has the default range, so each
 * socket() is followed by the socket's own range (IP_LOCAL_PORT_RANGE),
 * and the replay fails in the same way; without it the connect() would
 * succeed there. */
static void test_port_range(void)
{
	char *dir = scn_tmpdir();
	char *ini = g_build_filename(dir, "range.ini", NULL);
	g_assert_true(g_file_set_contents(ini, "[network]\ndelay = 10ms\n"
	                                       "[client]\naddress = 10.0.0.1\nephemeral_ports = 40000-40000\n"
	                                       "script = connect; close; sleep 1s\nrepeat = 2\n"
	                                       "[server]\naddress = 10.0.0.2:7777\n"
	                                       "script = listen; accept; recv all; close\nrepeat = forever\n",
	                                  -1, NULL));
	char *err = NULL;
	char *text = export_text(ini, "client", dir, &err);
	g_assert_null(err);
	const char *range = "setsockopt(3, SOL_IP, IP_LOCAL_PORT_RANGE, [0x9c409c40], 4) = 0\n";
	g_assert_cmpuint(count_of(text, range), ==, 2);
	g_assert_nonnull(strstr(text, "\n1.020000 connect(3, ..., ...) = -1 EADDRNOTAVAIL (Cannot assign "
	                              "requested address)\n"));
	char *verdict = replay_text(text, dir);
	g_assert_true(g_str_has_prefix(verdict, "PASS"));
	g_free(verdict);
	char *without = replace_last(text, range, "getsockopt(3, SOL_SOCKET, SO_TYPE, [1], [4]) = 0\n");
	verdict = replay_text(without, dir);
	g_assert_true(g_str_has_prefix(verdict, "FAIL"));
	g_free(verdict);
	g_free(without);
	g_free(text);
	scn_rmtree(dir);
	g_free(ini);
	g_free(dir);
}

/* What a script cannot hold: connections from several peer ports (a
 * script's peer has one), and a connection whose segments go on after the
 * next one began (the replay sends and watches the latest one only). */
static void test_refused_connections(void)
{
	char *dir = scn_tmpdir();
	char *err = NULL;
	g_assert_null(export_text("configs/port_exhaustion.ini", "server", dir, &err));
	g_assert_nonnull(strstr(err, "--pkt: the server accepted connections from 10 remote ports; a "
	                             "script's peer has one port"));
	g_free(err);
	g_assert_null(export_text("configs/port_exhaustion.ini", "client", dir, &err));
	g_assert_nonnull(strstr(err, "--pkt: the client's connection from port 40005 to port 7777 "
	                             "exchanged segments after its next connection (from port 40006) "
	                             "began; a script follows one connection at a time"));
	g_free(err);
	scn_rmtree(dir);
	g_free(dir);
}

/* A program that closes its socket twice: packetdrill knows a script fd
 * only from socket() to close() (run_system_call.c to_live_fd()), so the
 * second close() cannot be written; a write to stdout is left out. */
static void test_unknown_fd(void)
{
	char *dir = scn_tmpdir();
	char *ini = g_build_filename(dir, "twice.ini", NULL);
	char *file = g_build_filename(dir, "c.pkt", NULL);
	char *out = g_build_filename(dir, "out", NULL);
	char *spec = g_strdup_printf("client:%s", file);
	g_assert_true(g_file_set_contents(ini, "[client]\naddress = 10.0.0.1\n"
	                                       "script = fd = socket(AF_INET, SOCK_STREAM, 0)\n"
	                                       "    write(1, \"x\", 1)\n    close(fd)\n    close(fd)\n"
	                                       "[server]\naddress = 10.0.0.2:7777\nscript = listen\n",
	                                  -1, NULL));
	const char *args[] = {ini, "-q", "-o", out, "--pkt", spec, NULL};
	struct scn_run run;
	GError *error = NULL;
	g_assert_true(scn_tcpsim(args, &run, &error));
	g_assert_cmpint(run.status, ==, 2);
	g_assert_nonnull(strstr(run.err, "--pkt: the client's close() names fd 3, which no socket() or "
	                                 "accept() of it gave (or which it closed)"));
	g_assert_false(g_file_test(file, G_FILE_TEST_EXISTS));
	scn_run_clear(&run);
	scn_rmtree(dir);
	g_free(spec);
	g_free(out);
	g_free(file);
	g_free(ini);
	g_free(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pkt-export/form", test_form);
	g_test_add_func("/pkt-export/unknown-fd", test_unknown_fd);
	g_test_add_func("/pkt-export/successive-connections", test_successive_connections);
	g_test_add_func("/pkt-export/time-wait-reopened", test_time_wait_reopened);
	g_test_add_func("/pkt-export/refused-connections", test_refused_connections);
	g_test_add_func("/pkt-export/port-range", test_port_range);
	g_test_add_func("/pkt-export/faults-kill", test_faults_kill);
	g_test_add_func("/pkt-export/shipped-configs", test_shipped_configs);
	return g_test_run();
}
