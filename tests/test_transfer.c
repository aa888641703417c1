/*
 * The bulk-transfer counters and metrics (sim/world/net.c, the sweep's
 * metric table, the --json summary): transfer time and goodput as
 * iperf's receiver reports them, retransmitted bytes, timeouts, tail loss
 * probes and fast retransmissions.
 *
 * Ten segments of 1448 bytes (the initial window, RFC 6928) over 10 ms
 * one way, no bandwidth limit, on the textbook timers:
 *
 * /transfer/clean       written at 0.020 s (connect() returned), read at
 *                       0.030 s: 0.010 s, 11.584 Mbit/s, nothing resent
 * /transfer/one-loss    the 3rd data segment dropped: the others arrive
 *                       out of order, their ACKs bring it back by one
 *                       fast retransmission at 0.040 s (no timeout, no
 *                       probe), read at 0.050 s
 * /transfer/metrics     the same numbers through the sweep's metrics
 * /transfer/reordered  the 3rd segment 15 ms late: SACKs of the later
 *                       ones start a recovery that resends it; the late
 *                       original then arrives first, and the resent copy
 *                       comes back as a D-SACK: one spurious retransmission
 * /transfer/live-counts the one-loss run with neither side closing: the
 *                       recovery is counted though the connection is
 *                       still open when the run ends (net_finish() takes
 *                       the live connections' counts, the others' are
 *                       taken when they are freed)
 * /transfer/omit        [simulation] omit = 25ms measures from 0.025 s
 *                       (iperf3 --omit); 40ms, after the last read: none
 * /transfer/line-rate   100 MB over 1 Gbit/s (issue's target: at least
 *                       800 Mbit/s, no loss): TSO-sized skbs let 4 MiB of
 *                       send buffer hold more than the path, and TCP
 *                       small queues keep the surplus out of the link's
 *                       1000-packet queue; without TSQ that queue
 *                       overflows
 */
#include <glib.h>
#include <glib/gstdio.h>
#include "sim/config/config.h"
#include "sim/run.h"
#include "sim/sweep/metrics.h"
#include "tests/scenario_util.h"

#define SEGMENTS 10
#define MSS 1448

static const char *const config_text =
	"[simulation]\nseed = 1\npcap = false\n"
	"[tcp]\ntimers = exact\n"
	"[network]\ndelay = 10ms\n"
	"[client]\naddress = 10.0.0.1\nscript = connect; send 14480; close\n"
	"[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; recv all; close\n";

/* Runs the config above, with `faults` as its [faults] section's body
 * and the overrides `sets` (NULL-terminated, or NULL). */
static void run_transfer_with(const char *faults, const char *const *sets, struct config *cfg,
                              struct run_result *res, char **dir)
{
	*dir = scn_tmpdir();
	char *path = g_build_filename(*dir, "transfer.ini", NULL);
	char *text = g_strconcat(config_text, faults ? "[faults]\n" : "", faults ? faults : "", NULL);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	GError *error = NULL;
	if (!config_load(path, sets, cfg, &error))
		g_error("%s", error->message);
	struct run_options opt = {.out_dir = *dir};
	if (!run_simulation(cfg, &opt, res, &error))
		g_error("%s", error->message);
	g_assert_true(net_stats(res->net)->data_intact);
	g_free(text);
	g_free(path);
}

static void run_transfer(const char *faults, struct config *cfg, struct run_result *res, char **dir)
{
	run_transfer_with(faults, NULL, cfg, res, dir);
}

static void done(struct config *cfg, struct run_result *res, char *dir)
{
	run_result_clear(res);
	config_clear(cfg);
	scn_rmtree(dir);
	g_free(dir);
}

static void test_clean(void)
{
	struct config cfg;
	struct run_result res = {0};
	char *dir;
	run_transfer(NULL, &cfg, &res, &dir);
	const struct net_role_stats *c = net_role_stats(res.net, NET_CLIENT);
	g_assert_cmpint(c->first_write_at, ==, 20 * SIM_MS);
	g_assert_cmpint(net_role_stats(res.net, NET_SERVER)->last_read_at, ==, 30 * SIM_MS);
	g_assert_cmpint(net_transfer_time(res.net, NET_CLIENT), ==, 10 * SIM_MS);
	g_assert_cmpuint(net_goodput(res.net, NET_CLIENT), ==, SEGMENTS * MSS * 8 * 100);
	g_assert_cmpuint(c->rtx_bytes + c->rtos + c->probes + c->fast_rtx, ==, 0);
	/* the server wrote nothing: no transfer, no goodput */
	g_assert_cmpint(net_transfer_time(res.net, NET_SERVER), ==, -1);
	g_assert_cmpuint(net_goodput(res.net, NET_SERVER), ==, 0);
	done(&cfg, &res, dir);
}

static void test_one_loss(void)
{
	struct config cfg;
	struct run_result res = {0};
	char *dir;
	run_transfer("lost = drop 3rd client data\n", &cfg, &res, &dir);
	const struct net_role_stats *c = net_role_stats(res.net, NET_CLIENT);
	g_assert_cmpuint(c->fast_rtx, ==, 1);
	g_assert_cmpuint(c->recoveries, ==, 1);
	g_assert_cmpuint(c->dsacks, ==, 0);
	g_assert_cmpuint(c->rtx_bytes, ==, MSS);
	g_assert_cmpuint(c->rtos, ==, 0);
	g_assert_cmpuint(c->probes, ==, 0);
	g_assert_cmpint(net_transfer_time(res.net, NET_CLIENT), ==, 30 * SIM_MS);
	g_assert_cmpuint(net_goodput(res.net, NET_CLIENT), ==, SEGMENTS * MSS * 8 * 100 / 3);
	done(&cfg, &res, dir);
}

static void eval(const char *name, const struct metric_run *run, GString *out)
{
	struct metric_value v;
	const struct metric_def *m = metric_find(name);
	g_assert_nonnull(m);
	metric_eval(m, run, &v);
	g_string_truncate(out, 0);
	metric_format(&v, out);
}

static void test_metrics(void)
{
	struct config cfg;
	struct run_result res = {0};
	char *dir;
	run_transfer("lost = drop 3rd client data\n", &cfg, &res, &dir);
	struct metric_run run = {.net = res.net, .end_time = res.end_time};
	GString *v = g_string_new(NULL);
	eval("client.transfer_time", &run, v);
	g_assert_cmpstr(v->str, ==, "0.03");
	eval("client.goodput", &run, v);
	g_assert_cmpstr(v->str, ==, "3861333");
	eval("client.retransmitted_bytes", &run, v);
	g_assert_cmpstr(v->str, ==, "1448");
	eval("client.fast_retransmits", &run, v);
	g_assert_cmpstr(v->str, ==, "1");
	eval("server.goodput", &run, v); /* missing: an empty CSV field */
	g_assert_cmpstr(v->str, ==, "");
	g_assert_cmpstr(metric_unit(metric_find("client.transfer_time")), ==, "s");
	g_string_free(v, TRUE);
	done(&cfg, &res, dir);
}

static void test_reordered(void)
{
	struct config cfg;
	struct run_result res = {0};
	char *dir;
	/* the client waits before it closes, so that the D-SACK finds it
	 * established (TIME_WAIT would take it without a look) */
	const char *const sets[] = {"client.script=connect; send 14480; sleep 100ms; close", NULL};
	run_transfer_with("late = delay 3rd client data by 15ms\n", sets, &cfg, &res, &dir);
	const struct net_role_stats *c = net_role_stats(res.net, NET_CLIENT);
	g_assert_cmpuint(c->recoveries, ==, 1);
	g_assert_cmpuint(c->fast_rtx, ==, 1);
	g_assert_cmpuint(c->dsacks, ==, 1);
	struct metric_run run = {.net = res.net, .end_time = res.end_time};
	GString *v = g_string_new(NULL);
	eval("client.spurious_retransmits", &run, v);
	g_assert_cmpstr(v->str, ==, "1");
	eval("client.recoveries", &run, v);
	g_assert_cmpstr(v->str, ==, "1");
	g_string_free(v, TRUE);
	done(&cfg, &res, dir);
}

static void test_live_counts(void)
{
	struct config cfg;
	struct run_result res = {0};
	char *dir;
	const char *const open[] = {"client.script=connect; send 14480",
	                            "server.script=listen; accept; recv 14480", NULL};
	run_transfer_with("lost = drop 3rd client data\n", open, &cfg, &res, &dir);
	g_assert_cmpuint(net_role_stats(res.net, NET_CLIENT)->open_at_end, ==, 1);
	g_assert_cmpuint(net_role_stats(res.net, NET_CLIENT)->recoveries, ==, 1);
	g_assert_cmpuint(net_role_stats(res.net, NET_CLIENT)->fast_rtx, ==, 1);
	done(&cfg, &res, dir);
}

static void test_omit(void)
{
	struct config cfg;
	struct run_result res = {0};
	char *dir;
	const char *const from_25ms[] = {"simulation.omit=25ms", NULL};
	run_transfer_with(NULL, from_25ms, &cfg, &res, &dir);
	g_assert_cmpint(net_transfer_time(res.net, NET_CLIENT), ==, 5 * SIM_MS);
	g_assert_cmpuint(net_goodput(res.net, NET_CLIENT), ==, SEGMENTS * MSS * 8 * 200);
	done(&cfg, &res, dir);

	const char *const from_40ms[] = {"simulation.omit=40ms", NULL};
	run_transfer_with(NULL, from_40ms, &cfg, &res, &dir);
	g_assert_cmpint(net_transfer_time(res.net, NET_CLIENT), ==, -1);
	g_assert_cmpuint(net_goodput(res.net, NET_CLIENT), ==, 0);
	done(&cfg, &res, dir);
}

static void test_line_rate(void)
{
	struct config cfg;
	struct run_result res = {0};
	char *dir;
	const char *const fast[] = {"network.bandwidth=1Gbit", "tcp.timers=kernel",
	                            "client.script=connect; send 100000000; close", NULL};
	run_transfer_with(NULL, fast, &cfg, &res, &dir);
	const struct net_role_stats *c = net_role_stats(res.net, NET_CLIENT);
	g_assert_cmpuint(net_goodput(res.net, NET_CLIENT), >=, 800000000);
	g_assert_cmpuint(net_stats(res.net)->dropped, ==, 0);
	g_assert_cmpuint(c->rtx_bytes, ==, 0);
	g_assert_cmpuint(c->tsq_waits, >, 0);
	done(&cfg, &res, dir);

	const char *const no_tsq[] = {"network.bandwidth=1Gbit", "tcp.timers=kernel",
	                              "client.script=connect; send 100000000; close",
	                              "tcp.limit_output_bytes=0", NULL};
	run_transfer_with(NULL, no_tsq, &cfg, &res, &dir);
	g_assert_cmpuint(net_stats(res.net)->dropped, >, 0); /* the queue overflowed */
	g_assert_cmpuint(net_role_stats(res.net, NET_CLIENT)->tsq_waits, ==, 0);
	done(&cfg, &res, dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/transfer/clean", test_clean);
	g_test_add_func("/transfer/one-loss", test_one_loss);
	g_test_add_func("/transfer/metrics", test_metrics);
	g_test_add_func("/transfer/reordered", test_reordered);
	g_test_add_func("/transfer/live-counts", test_live_counts);
	g_test_add_func("/transfer/omit", test_omit);
	g_test_add_func("/transfer/line-rate", test_line_rate);
	return g_test_run();
}
