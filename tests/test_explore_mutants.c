/*
 * The mutation test of `tcpsim explore`: the explorer against TCP models
 * broken on purpose (models/mutant.h).  For each mutant a small scenario
 * is explored twice, one thread each (deterministic):
 *
 *   without the mutant  no check is violated: the scenario and its checks
 *                       are sound, so what the mutant's run finds is the
 *                       mutant's doing;
 *   with the mutant     the check that names the broken rule is violated,
 *                       by a counterexample of at most 3 faults, whose
 *                       [faults] lines and story go to the log.
 *
 * A TIME_WAIT that does not restart 2*MSL on a retransmitted FIN is not
 * among them: the explorer cannot tell it from the faithful model.  It
 * fails only when the peer's FIN comes again more than 2*MSL after the
 * first, every ACK before it lost; losing those FINs instead of their ACKs
 * breaks the faithful TIME_WAIT as well, with as many faults (its restarts
 * see no FIN), so every scenario that catches that mutant fails the
 * faithful model too.
 *
 * This program links $(BUILD)/libtcpsim-mutants.a, the library built with
 * -DTCPSIM_MUTANTS for it alone; the shipped ./tcpsim is built without
 * (the Makefile refuses the define in its flags, tools/check_layers.sh
 * any other source that names it).
 */
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "sim/explore/explore.h"

#ifndef TCPSIM_MUTANTS
#error "tests/test_explore_mutants.c is built against the mutant library (-DTCPSIM_MUTANTS)"
#endif

#define MAX_COUNTEREXAMPLE_FAULTS 3

/* The echo exchange of configs/explore/close_with_time_wait.ini: the
 * client sends a line, reads the echo and closes first; the server echoes
 * to end of file and closes; the client's TIME_WAIT lasts TW. */
#define ECHO(TW)                                                                       \
	"[simulation]\nseed = 1\n"                                                         \
	"[network]\ndelay = 10ms\n"                                                        \
	"[client.tcp]\ntime_wait = " TW "\n"                                               \
	"[client]\naddress = 10.0.0.1\nscript = connect; send \"bye\\n\"; recv; close\n" \
	"[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; echo; close\n"

/* The client sends 3000 bytes, three segments (MSS 1000) that leave
 * together, and closes; the server reads them all and closes. */
#define BULK                                                                          \
	"[simulation]\nseed = 1\n"                                                        \
	"[network]\ndelay = 10ms\n"                                                       \
	"[tcp]\nmss = 1000\n"                                                             \
	"[client]\naddress = 10.0.0.1\nscript = connect; send 3000; close\n"              \
	"[server]\naddress = 10.0.0.2:7777\nscript = listen; accept; recv all; close\n"

/* A connect() to a port nobody listens on: the server's host resets it. */
#define REFUSED                                                                       \
	"[simulation]\nseed = 1\n"                                                        \
	"[network]\ndelay = 10ms\n"                                                       \
	"[client]\naddress = 10.0.0.1\nscript = connect; close\n"                         \
	"[server]\naddress = 10.0.0.2:7777\nscript = sleep 1s\n"

/* configs/old_duplicate_paws.ini made small: two connections one after
 * the other from the same port, no TIME_WAIT, timestamps on, and an ISN
 * clock of 1 ms, so that the second connection's window covers the first
 * one's sequence numbers: a segment of the first, late, falls into the
 * second's window, and only PAWS (RFC 7323 §5) tells it is old. */
#define OLD_DUPLICATE                                                                 \
	"[simulation]\nseed = 1\n"                                                        \
	"[network]\ndelay = 10ms\n"                                                       \
	"[tcp]\ntimestamps = true\nisn_tick = 1ms\nmss = 1000\n"                           \
	"[client.tcp]\ntime_wait = 0\n"                                                   \
	"[client]\naddress = 10.0.0.1:40000\nrepeat = 2\n"                                 \
	"script = connect; sleep 300ms; send 3000; shutdown; recv all; close\n"           \
	"[server]\naddress = 10.0.0.2:7777\nrepeat = forever\n"                            \
	"script = listen; accept; recv all; close\n"

struct mutant_case {
	const char *name;         /* the test's path: /explore/mutant/NAME */
	enum tcp_mutant mutant;   /* set on both endpoints */
	const char *ini;          /* the scenario, with its [explore] section */
	const char *check;        /* the check that must catch it (explore_check_name) */
};

static const struct mutant_case cases[] = {
	{"tw-no-reack", TCP_MUTANT_TW_NO_REACK,
	 ECHO("60s") "[explore]\nfaults = 2\nsegments = 16\nkinds = drop, duplicate\n", "no_reset_on_close"},
	{"tw-zero", TCP_MUTANT_TW_ZERO,
	 ECHO("60s") "[explore]\nfaults = 2\nsegments = 16\nkinds = drop, duplicate\n", "no_reset_on_close"},
	{"last-ack-no-rtx", TCP_MUTANT_LAST_ACK_NO_RTX,
	 ECHO("60s") "[explore]\nfaults = 2\nsegments = 16\nkinds = drop, duplicate\n", "no_reset_on_close"},
	{"no-rtx", TCP_MUTANT_NO_RTX,
	 ECHO("60s") "[explore]\nfaults = 3\nsegments = 16\nkinds = drop\n", "closed"},
	{"syn-sent-ignores-rst", TCP_MUTANT_SYN_SENT_IGNORES_RST,
	 REFUSED "[explore]\nfaults = 2\nsegments = 8\nkinds = drop, duplicate\n"
	         "require = client.result == ECONNREFUSED\n",
	 "require client.result == ECONNREFUSED"},
	{"deliver-duplicate", TCP_MUTANT_DELIVER_DUPLICATE,
	 ECHO("60s") "[explore]\nfaults = 2\nsegments = 16\nkinds = drop, duplicate\n", "data_intact"},
	{"ooo-as-in-order", TCP_MUTANT_OOO_AS_IN_ORDER,
	 BULK "[explore]\nfaults = 2\nsegments = 12\nkinds = drop\n", "data_intact"},
	{"ooo-fin-taken", TCP_MUTANT_OOO_FIN_TAKEN,
	 BULK "[explore]\nfaults = 2\nsegments = 12\nkinds = drop\n", "data_intact"},
	/* the server's FIN and its ACK of the client's come together: only a
	 * fault puts the client in FIN_WAIT_2 before the FIN */
	{"fin-wait-2-ignores-fin", TCP_MUTANT_FIN_WAIT_2_IGNORES_FIN,
	 ECHO("60s") "[explore]\nfaults = 2\nsegments = 16\nkinds = drop, duplicate\n", "no_reset_on_close"},
	{"syn-in-window-resets", TCP_MUTANT_SYN_IN_WINDOW_RESETS,
	 ECHO("60s") "[explore]\nfaults = 2\nsegments = 16\nkinds = drop, duplicate\nresults_ok = on\n",
	 "results_ok"},
	{"close-wait-no-fin", TCP_MUTANT_CLOSE_WAIT_NO_FIN,
	 ECHO("60s") "[explore]\nfaults = 2\nsegments = 16\nkinds = drop, duplicate\n", "no_open_connection"},
	/* no TIME_WAIT on the client: its lost last ACK is a reset, whatever
	 * PAWS does, so only the data is checked */
	{"paws-off", TCP_MUTANT_PAWS_OFF,
	 OLD_DUPLICATE "[explore]\nfaults = 1\nsegments = 16\nkinds = drop, delay\ndelays = 300ms\n"
	               "no_reset_on_close = off\n",
	 "data_intact"},
};

/* Writes the scenario to a file of its own and prepares it. */
static void prepare(struct explore *x, const char *ini)
{
	GError *error = NULL;
	char *path = NULL;
	int fd = g_file_open_tmp("tcpsim-mutant-XXXXXX.ini", &path, &error);
	g_assert_no_error(error);
	close(fd);
	g_assert_true(g_file_set_contents(path, ini, -1, &error));
	g_assert_no_error(error);
	bool ok = explore_prepare(x, path, &error);
	g_assert_no_error(error);
	g_assert_true(ok);
	g_unlink(path);
	g_free(path);
	g_assert_cmpuint(x->spec.faults, <=, MAX_COUNTEREXAMPLE_FAULTS);
}

static void set_mutant(struct explore *x, enum tcp_mutant m)
{
	x->cfg.client.tcp.mutant = m;
	x->cfg.server.tcp.mutant = m;
	explore_commit_spec(x);
}

/* The index of the check named `name`. */
static uint32_t check_index(const struct explore *x, const char *name)
{
	for (uint32_t i = 0; i < x->n_checks; i++) {
		char *n = explore_check_name(x, i);
		bool same = strcmp(n, name) == 0;
		g_free(n);
		if (same)
			return i;
	}
	g_error("no check named \"%s\"", name);
}

/* Each violated check with its smallest counterexample, to the log. */
static void log_violations(const struct explore *x, const struct explore_report *r, const char *label)
{
	g_test_message("%s: %llu placements, %llu distinct executions", label,
	               (unsigned long long)r->placements, (unsigned long long)r->distinct);
	for (uint32_t i = 0; i < x->n_checks; i++) {
		const struct explore_best *b = &r->violation[i];
		if (!b->found)
			continue;
		char *name = explore_check_name(x, i);
		char **lines = explore_fault_lines(x, &b->p);
		char *story = explore_story(x, &b->p);
		g_test_message("  %s violated by %llu placements; smallest, %u fault%s:", name,
		               (unsigned long long)b->count, b->p.n, b->p.n == 1 ? "" : "s");
		for (uint32_t k = 0; lines[k]; k++)
			g_test_message("    explore_%u = %s", k + 1, lines[k]);
		g_test_message("    %s", story);
		g_free(story);
		g_strfreev(lines);
		g_free(name);
	}
}

static void test_mutant(gconstpointer data)
{
	const struct mutant_case *c = data;
	struct explore x;
	struct explore_report r;
	prepare(&x, c->ini);
	uint32_t check = check_index(&x, c->check);

	set_mutant(&x, TCP_MUTANT_NONE);
	explore_search(&x, 1, NULL, NULL, &r);
	log_violations(&x, &r, "without the mutant");
	for (uint32_t i = 0; i < x.n_checks; i++)
		g_assert_false(r.violation[i].found);
	explore_report_clear(&r);

	set_mutant(&x, c->mutant);
	explore_search(&x, 1, NULL, NULL, &r);
	log_violations(&x, &r, "with the mutant");
	g_assert_true(r.violation[check].found);
	g_assert_cmpuint(r.violation[check].p.n, <=, MAX_COUNTEREXAMPLE_FAULTS);
	explore_report_clear(&r);
	explore_clear(&x);
}

/* Every mutant of models/mutant.h has its case, and only one. */
static void test_every_mutant(void)
{
	unsigned seen[TCP_MUTANT_COUNT] = {0};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_assert_cmpint(cases[i].mutant, >, TCP_MUTANT_NONE);
		g_assert_cmpint(cases[i].mutant, <, TCP_MUTANT_COUNT);
		seen[cases[i].mutant]++;
	}
	for (int m = TCP_MUTANT_NONE + 1; m < TCP_MUTANT_COUNT; m++)
		g_assert_cmpuint(seen[m], ==, 1);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/explore/mutant/every-mutant-tested", test_every_mutant);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *path = g_strdup_printf("/explore/mutant/%s", cases[i].name);
		g_test_add_data_func(path, &cases[i], test_mutant);
		g_free(path);
	}
	return g_test_run();
}
