/*
 * Whose result is a reset?  A connection's error is the result of the
 * program that holds it; a connection no program ever held is the kernel's
 * business.  Linux (inet_csk_accept, tcp_check_req):
 *
 * /accept-queue/reset-while-queued   an established child reset while it
 *     waits in the accept queue stays there, closed: accept() returns it
 *     and the program's first recv() fails with ECONNRESET
 * /accept-queue/reset-in-syn-rcvd    a child reset before the handshake
 *     completed never reaches the queue: accept() keeps waiting and the
 *     server's result stays ok
 */
#include <errno.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "models/tcp.h"
#include "sim/config/config.h"
#include "sim/run.h"
#include "tests/scenario_util.h"

#define ENDPOINTS \
	"[network]\ndelay = 10ms\n" \
	"[client]\naddress = 10.0.0.1\nscript = connect; abort\n" \
	"[server]\naddress = 10.0.0.2:7777\n"

/* Runs the config text in process; fills *res (run_result_clear it). */
static void run_text(const char *ini, const char *dir, struct config *cfg, struct run_result *res)
{
	char *path = g_build_filename(dir, "case.ini", NULL);
	const char *overrides[] = {"simulation.pcap=false", NULL};
	GError *error = NULL;
	g_assert_true(g_file_set_contents(path, ini, -1, NULL));
	if (!config_load(path, overrides, cfg, &error))
		g_error("%s", error->message);
	struct run_options opt = {.out_dir = dir};
	if (!run_simulation(cfg, &opt, res, &error))
		g_error("%s", error->message);
	g_free(path);
}

static void assert_call(const struct net_role_stats *st, uint32_t i, const char *name, long ret,
                        int err)
{
	g_assert_cmpuint(i, <, st->n_calls);
	g_assert_cmpstr(st->calls[i].name, ==, name);
	g_assert_cmpint(st->calls[i].ret, ==, ret);
	g_assert_cmpint(st->calls[i].err, ==, err);
}

static void test_reset_while_queued(void)
{
	char *dir = scn_tmpdir();
	struct config cfg;
	struct run_result res;
	run_text(ENDPOINTS "script = listen; sleep 1s; accept; recv; close\n", dir, &cfg, &res);
	const struct net_role_stats *st = net_role_stats(res.net, NET_SERVER);
	g_assert_cmpuint(st->n_calls, ==, 7);
	assert_call(st, 0, "socket", 3, 0);
	assert_call(st, 1, "bind", 0, 0);
	assert_call(st, 2, "listen", 0, 0);
	assert_call(st, 3, "sleep", 0, 0);
	assert_call(st, 4, "accept", 4, 0); /* the reset child, closed */
	assert_call(st, 5, "recv", -1, ECONNRESET);
	assert_call(st, 6, "close", 0, 0);
	g_assert_cmpint(st->calls[5].t, ==, 1 * SIM_SEC);
	g_assert_cmpint(st->result, ==, ECONNRESET);
	g_assert_cmpuint(st->connections, ==, 1);
	run_result_clear(&res);
	config_clear(&cfg);
	scn_rmtree(dir);
	g_free(dir);
}

static void test_reset_in_syn_rcvd(void)
{
	char *dir = scn_tmpdir();
	struct config cfg;
	struct run_result res;
	/* The client's ACK is lost: its reset finds the server in SYN_RCVD. */
	run_text(ENDPOINTS "script = listen; accept; recv; close\n"
	                   "[faults]\nlost_ack = drop 1st client ack\n",
	         dir, &cfg, &res);
	const struct net_role_stats *st = net_role_stats(res.net, NET_SERVER);
	g_assert_cmpuint(st->n_calls, ==, 3); /* accept() still waiting */
	assert_call(st, 2, "listen", 0, 0);
	g_assert_cmpint(st->result, ==, 0);
	g_assert_cmpuint(st->connections, ==, 0);
	g_assert_cmpuint(st->n_states, ==, 2);
	g_assert_cmpint(st->states[1].state, ==, TCP_CLOSED);
	run_result_clear(&res);
	config_clear(&cfg);
	scn_rmtree(dir);
	g_free(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/accept-queue/reset-while-queued", test_reset_while_queued);
	g_test_add_func("/accept-queue/reset-in-syn-rcvd", test_reset_in_syn_rcvd);
	return g_test_run();
}
