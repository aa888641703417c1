/*
 * Linux's clock for TCP timers (models/ktimer.h, `timers = kernel`).
 *
 * /ktimer/wheel/...        the timer wheel's rounding, pure: each level's
 *                          granularity, strictly after the expiry, never
 *                          early, at most one granule late
 * /ktimer/rto/...          tcp_rtt_estimator()'s fixed point: a 60 us path
 *                          gives a 204 ms RTO (51 jiffies at HZ=250)
 * /ktimer/kernel/...       through the whole simulator, read back from the
 *                          pcap by tshark: what a Linux 6.18 kernel (HZ=250,
 *                          two network namespaces on a veth, 60-70 us round
 *                          trip) was measured to do: SYNs into a black hole
 *                          at 0, 1.018, 2.042 ... 69.530 s and ETIMEDOUT at
 *                          135.066 s (for the wheel's phase `uptime = 102ms`
 *                          gives); LAST_ACK's FIN again after a tail loss
 *                          probe, an RTO that is not backed off, then
 *                          doubling (204-212, 208-212, about 416 ms); the
 *                          delayed ACK of a FIN 40-44 ms late; TIME_WAIT
 *                          ending within the wheel's slack after 60 s
 * /ktimer/exact            `timers = exact` keeps the textbook times
 * /ktimer/config/...       hz and timers: bad values name the key
 */
#include <glib.h>
#include <string.h>

#include "models/ktimer.h"
#include "models/tcp.h"
#include "models/tcp_int.h"
#include "tests/e2e.h"

#define US(x) ((sim_time)(x) * SIM_US)
#define MS_(x) ((sim_time)(x) * SIM_MS)

/* --- the wheel, pure --- */

static void test_wheel_levels(void)
{
	/* level 0 (below 63 jiffies): the next tick after the expiry */
	g_assert_cmpint(ktimer_fire(250, 0, 0, MS_(40)), ==, MS_(44));
	g_assert_cmpint(ktimer_fire(250, 0, MS_(1), MS_(40)), ==, MS_(44)); /* armed mid-jiffy */
	g_assert_cmpint(ktimer_fire(250, 0, 0, 0), ==, MS_(4));            /* "now": the next tick */
	/* level 1 (63..503 jiffies), 8-jiffy buckets: 250 -> 256 */
	g_assert_cmpint(ktimer_fire(250, 0, 0, SIM_SEC), ==, MS_(1024));
	g_assert_cmpint(ktimer_fire(1000, 0, 0, MS_(200)), ==, MS_(208));
	/* level 3 (4032..32255), 512-jiffy buckets: 15000 -> 15360 */
	g_assert_cmpint(ktimer_fire(250, 0, 0, 60 * SIM_SEC), ==, MS_(61440));
	/* HZ=300: a jiffy is 3.333... ms; 300 -> 304 jiffies, rounded up to the ns */
	g_assert_cmpint(ktimer_fire(300, 0, 0, SIM_SEC), ==, G_GINT64_CONSTANT(1013333334));
	/* the phase moves the boundaries: jiffy 25 + 2 ms at time 0 */
	g_assert_cmpint(ktimer_fire(250, MS_(102), 0, SIM_SEC), ==, MS_(1018));
}

/* Never early, and late by less than one granule of the level plus the
 * jiffy the expiry was rounded up to. */
static void test_wheel_bounds(void)
{
	static const uint32_t hzs[] = {100, 250, 300, 1000};
	for (guint h = 0; h < G_N_ELEMENTS(hzs); h++) {
		sim_time jiffy = SIM_SEC / hzs[h];
		for (sim_time d = 0; d < 400 * SIM_SEC; d = d * 3 / 2 + MS_(1) + 7) {
			for (sim_time phase = 0; phase < 3 * SIM_SEC; phase += 777 * SIM_US) {
				sim_time now = 5 * SIM_SEC + phase / 3;
				sim_time fire = ktimer_fire(hzs[h], phase, now, d);
				uint64_t j = ktimer_jiffies(hzs[h], d);
				sim_time gran = jiffy;
				while (j >= (uint64_t)(63 * (gran / jiffy)))
					gran *= 8;
				g_assert_cmpint(fire, >, now + d - 1);
				g_assert_cmpint(fire, <=, now + d + gran + 2 * jiffy);
			}
		}
	}
}

static void test_wheel_jiffies(void)
{
	g_assert_cmpuint(ktimer_jiffies(250, MS_(200) + US(60)), ==, 51); /* usecs_to_jiffies() rounds up */
	g_assert_cmpuint(ktimer_jiffies(250, MS_(200)), ==, 50);
	g_assert_cmpuint(ktimer_jiffies(250, 0), ==, 0);
	g_assert_cmpint(ktimer_round(250, MS_(200) + US(60)), ==, MS_(204));
	g_assert_cmpint(ktimer_span(100, 3), ==, MS_(30));
}

/* --- the RTO, pure --- */

static struct tcp_params kernel_linux(void)
{
	struct tcp_params p;
	g_assert_true(tcp_profile_get("linux", &p));
	g_assert_cmpint(p.timers, ==, TCP_TIMERS_KERNEL);
	g_assert_cmpuint(p.hz, ==, 250);
	p.uptime = 0;
	return p;
}

/* tcp_rtt_estimator() on a 60 us path: SRTT 60 us, rttvar_us the 200 ms
 * floor, RTO usecs_to_jiffies(200060) = 51 jiffies = 204 ms; the same
 * after many samples (mdev stays tiny, rttvar_us at its floor). */
static void test_rto_min(void)
{
	struct tcp_params p = kernel_linux();
	struct tcp_ep *ep = tcp_ep_new(NULL, &p, 1, 1000, 2, 2000, 100, 0);
	tcp_rtt_sample(ep, US(60));
	g_assert_cmpint(ep->srtt, ==, US(60));
	g_assert_cmpuint(ep->k.rttvar_us, ==, 200000);
	g_assert_cmpint(ep->rto, ==, MS_(204));
	for (int i = 0; i < 50; i++) {
		ep->snd_una += 10;
		ep->snd_nxt += 10;
		tcp_rtt_sample(ep, US(60 + i % 7));
	}
	g_assert_cmpint(ep->rto, ==, MS_(204));
	tcp_ep_free(ep);
}

/* A first sample of 100 ms: mdev = 2 * RTT, RTO = 3 * RTT = 300 ms (75
 * jiffies); a later sample far below SRTT moves mdev by an eighth only. */
static void test_rto_first_sample(void)
{
	struct tcp_params p = kernel_linux();
	struct tcp_ep *ep = tcp_ep_new(NULL, &p, 1, 1000, 2, 2000, 100, 0);
	tcp_rtt_sample(ep, MS_(100));
	g_assert_cmpuint(ep->k.srtt_us, ==, 800000);
	g_assert_cmpuint(ep->k.mdev_us, ==, 200000);
	g_assert_cmpint(ep->rto, ==, MS_(300));
	tcp_rtt_sample(ep, MS_(20)); /* error -80 ms: 80000 - 50000 = 30000, >> 3 */
	g_assert_cmpuint(ep->k.srtt_us, ==, 720000);
	g_assert_cmpuint(ep->k.mdev_us, ==, 200000 + 3750);
	tcp_ep_free(ep);
}

/* --- through the simulator --- */

static char *write_config(const char *dir, const char *name, const char *text)
{
	char *path = g_build_filename(dir, name, NULL);
	GError *error = NULL;
	g_assert_true(g_file_set_contents(path, text, -1, &error));
	return path;
}

/* Times of the packets from `dir` ('C' or 'S') whose flags are `fl`. */
static GArray *times_of(const struct e2e *s, char dir, const char *fl)
{
	GArray *t = g_array_new(FALSE, FALSE, sizeof(gint64));
	for (guint i = 0; i < s->pkts->len; i++) {
		const struct e2e_pkt *k = &g_array_index(s->pkts, struct e2e_pkt, i);
		if (k->tcp && k->dir == dir && strcmp(k->fl, fl) == 0)
			g_array_append_val(t, k->t);
	}
	return t;
}

static void test_syn_schedule(void)
{
	struct e2e s;
	const char *set[] = {"--set", "tcp.timers=kernel", "--set", "tcp.uptime=102ms", NULL};
	e2e_run_capture(&s, "configs/black_hole.ini", set, "192.168.0.4");
	GArray *syns = times_of(&s, 'C', "S");
	static const gint64 want_ms[] = {0, 1018, 2042, 3066, 4090, 5114, 7130, 11162, 19354, 35482, 69530};
	e2e_assert_times_ms("SYNs", syns, want_ms, G_N_ELEMENTS(want_ms));
	static const struct e2e_call fail[] = {
		{SEC(135) + MS(66), "connect", "-1", "ETIMEDOUT"},
	};
	e2e_assert_calls(&s, "client", "connect", fail, G_N_ELEMENTS(fail));
	g_array_free(syns, TRUE);
	e2e_clear(&s);
}

/* The phases a test tries: the start of a jiffy, inside one, its end, and
 * a machine up for a while. */
static const char *const uptimes[] = {"0", "1ms", "2.5ms", "3.999ms", "12345.6789s"};

/* Runs the config text on the kernel's clock at each of the uptimes and
 * hands each run to check. */
static void for_each_uptime(const char *text, void (*check)(const struct e2e *s, const char *uptime))
{
	char *dir = scn_tmpdir();
	char *config = write_config(dir, "kernel.ini", text);
	for (guint u = 0; u < G_N_ELEMENTS(uptimes); u++) {
		char *opt = g_strdup_printf("tcp.uptime=%s", uptimes[u]);
		const char *set[] = {"--set", "tcp.timers=kernel", "--set", opt, NULL};
		struct e2e s;
		e2e_run_capture(&s, config, set, "10.0.0.1");
		check(&s, uptimes[u]);
		e2e_clear(&s);
		g_free(opt);
	}
	scn_rmtree(dir);
	g_free(config);
	g_free(dir);
}

static const char *const last_ack_config =
	"[simulation]\nseed = 1\n\n[network]\ndelay = 30us\n\n"
	"[client]\naddress = 10.0.0.1\nscript = connect; send \"hello\\n\"; recv; close\n\n"
	"[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; echo; close\n\n"
	"[faults]\nlost = drop first 3 client ack-of-fin\n";

/* LAST_ACK on a 60 us path, its first three ACKs lost: the FIN goes again
 * after a tail loss probe (2*SRTT + rto_min: 51 jiffies, fired on the next
 * tick: 204-212 ms), then after an RTO that the probe did not back off
 * (51 jiffies from a tick: 208 ms), then after the doubled one (102
 * jiffies, level 1: 412-440 ms). */
static void check_last_ack_spacing(const struct e2e *s, const char *uptime)
{
	GArray *fins = times_of(s, 'S', "FA");
	g_assert_cmpuint(fins->len, ==, 4);
	gint64 gap[3];
	for (guint i = 0; i < 3; i++)
		gap[i] = g_array_index(fins, gint64, i + 1) - g_array_index(fins, gint64, i);
	g_test_message("uptime %s: FIN gaps %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
	               uptime, gap[0], gap[1], gap[2]);
	g_assert_cmpint(gap[0], >=, MS(204));
	g_assert_cmpint(gap[0], <=, MS(212));
	g_assert_cmpint(gap[1], ==, MS(208));
	g_assert_cmpint(gap[2], >=, MS(412));
	g_assert_cmpint(gap[2], <=, MS(440));
	g_array_free(fins, TRUE);
}

static void test_last_ack_spacing(void) { for_each_uptime(last_ack_config, check_last_ack_spacing); }

static const char *const delack_config =
	"[simulation]\nseed = 1\n\n[network]\ndelay = 10ms\n\n"
	"[client]\naddress = 10.0.0.1\nscript = connect; send \"hello\\n\"; recv; close\n\n"
	"[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; echo; recv; sleep 1s; close\n";

/* The server's ACK of the client's FIN waits for the delayed-ACK timer:
 * ato 10 jiffies, level 0, the tick after: 40-44 ms after the FIN came.
 * The client's TIME_WAIT (15000 jiffies, level 3) ends 60 to 62.048 s
 * after it began. */
static void check_delack_and_time_wait(const struct e2e *s, const char *uptime)
{
	GArray *fin = times_of(s, 'C', "FA");
	g_assert_cmpuint(fin->len, ==, 1);
	/* the capture is the client's: 10 ms from the server each way */
	gint64 fin_in = g_array_index(fin, gint64, 0) + MS(10);
	gint64 ack_at = -1;
	for (guint i = 0; i < s->pkts->len; i++) {
		const struct e2e_pkt *k = &g_array_index(s->pkts, struct e2e_pkt, i);
		if (k->dir == 'S' && strcmp(k->fl, "A") == 0 && k->ack == 8)
			ack_at = k->t - MS(10);
	}
	g_test_message("uptime %s: ACK of FIN %" G_GINT64_FORMAT " ns late", uptime, ack_at - fin_in);
	g_assert_cmpint(ack_at - fin_in, >=, MS(40));
	g_assert_cmpint(ack_at - fin_in, <=, MS(44));
	gint64 tw = e2e_state_time(s, "client", 1, "TIME_WAIT");
	gint64 closed = e2e_state_time(s, "client", 1, "CLOSED");
	g_assert_cmpint(closed - tw, >=, SEC(60));
	g_assert_cmpint(closed - tw, <=, SEC(60) + MS(2048));
	g_array_free(fin, TRUE);
}

static void test_delack_and_time_wait(void) { for_each_uptime(delack_config, check_delack_and_time_wait); }

/* `timers = exact`: the textbook times, whatever the phase. */
static void test_exact(void)
{
	struct e2e s;
	const char *set[] = {"--set", "tcp.timers=exact", "--set", "tcp.uptime=102ms", NULL};
	e2e_run_capture(&s, "configs/black_hole.ini", set, "192.168.0.4");
	GArray *syns = times_of(&s, 'C', "S");
	static const gint64 want_ms[] = {0, 1000, 2000, 3000, 4000, 5000, 7000, 11000, 19000, 35000, 67000};
	e2e_assert_times_ms("SYNs", syns, want_ms, G_N_ELEMENTS(want_ms));
	g_array_free(syns, TRUE);
	e2e_clear(&s);
}

/* --- the keys --- */

static void assert_refused(const char *set, const char *words)
{
	const char *args[] = {"configs/black_hole.ini", "-q", "--set", set, NULL};
	struct scn_run run;
	GError *error = NULL;
	g_assert_true(scn_tcpsim(args, &run, &error));
	g_assert_cmpint(run.status, ==, 2);
	if (!strstr(run.err, words))
		g_error("--set %s: %s does not say \"%s\"", set, run.err, words);
	scn_run_clear(&run);
}

static void test_config_errors(void)
{
	assert_refused("tcp.hz=200", "hz");
	assert_refused("tcp.timers=jiffies", "timers");
	assert_refused("tcp.uptime=-1s", "uptime");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ktimer/wheel/levels", test_wheel_levels);
	g_test_add_func("/ktimer/wheel/bounds", test_wheel_bounds);
	g_test_add_func("/ktimer/wheel/jiffies", test_wheel_jiffies);
	g_test_add_func("/ktimer/rto/min", test_rto_min);
	g_test_add_func("/ktimer/rto/first-sample", test_rto_first_sample);
	g_test_add_func("/ktimer/kernel/syn-schedule", test_syn_schedule);
	g_test_add_func("/ktimer/kernel/last-ack-spacing", test_last_ack_spacing);
	g_test_add_func("/ktimer/kernel/delack-and-time-wait", test_delack_and_time_wait);
	g_test_add_func("/ktimer/exact", test_exact);
	g_test_add_func("/ktimer/config/errors", test_config_errors);
	return g_test_run();
}
