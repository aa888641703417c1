/*
 * What the files of the stress tool share among themselves and with no
 * one else (tools/stress/stress_int.h).
 *
 * The public interface, tools/stress/stress.h, is what tests/test_stress.c
 * drives; this header adds the little that gen.c, oracle.c, runner.c and
 * main.c need from one another beyond it, so that it stays out of the
 * tests' view.
 */
#ifndef TOOLS_STRESS_INT_H
#define TOOLS_STRESS_INT_H

#include "tools/stress/stress.h"
#include "sim/engine/time.h"

/* A second of simulated time, as a double (the generator writes seconds,
 * the oracle reads timestamps back in seconds). */
#define SEC_NS ((double)SIM_SEC)

/* Saved configs through the oracle, each under the wall-clock alarm, with
 * the runner's signal handlers and temporary folder (runner.c; `stress
 * --replay FILE...`): prints a line per file, returns the exit status
 * (0: all passed, 1: any failed or the runner could not start). */
int stress_replay(const struct stress_opts *o, char **files);

#endif
