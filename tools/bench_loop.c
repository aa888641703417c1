/*
 * bench_loop: runs one config in process and prints how long its event
 * loop took, without the process start, the config parsing and the
 * set-up that a `measure ./tcpsim ...` includes.  `make bench` divides
 * the events by this time to show the cost per event as TIME_WAIT
 * connections pile up, free of the fixed cost that dominates short runs.
 *
 *   bench_loop CONFIG OUT_DIR [SECTION.KEY=VALUE ...]
 *     ->  "events=1109292 loop_s=0.231234" on stdout
 */
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>

#include "sim/config/config.h"
#include "sim/run.h"

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_loop CONFIG OUT_DIR [SECTION.KEY=VALUE ...]\n");
		return 2;
	}
	g_autoptr(GError) error = NULL;
	struct config cfg;
	if (!config_load(argv[1], (const char *const *)argv + 3, &cfg, &error)) {
		fprintf(stderr, "bench_loop: %s\n", error->message);
		return 2;
	}
	struct run_options opt = {.out_dir = argv[2]};
	struct run_result res;
	bool ok = run_simulation(&cfg, &opt, &res, &error);
	if (ok) {
		printf("events=%" PRIu64 " loop_s=%.6f\n", res.events, res.loop_seconds);
		run_result_clear(&res);
	} else {
		fprintf(stderr, "bench_loop: %s\n", error->message);
	}
	config_clear(&cfg);
	return ok ? 0 : 1;
}
