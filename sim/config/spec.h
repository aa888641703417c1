/*
 * From a loaded config to the world's description (sim/world/net.h): the one
 * place that maps struct config onto struct net_spec, for a single run
 * (sim/run.c) and for every run of a sweep (sim/sweep/sweep_run.c).
 */
#ifndef SIM_CONFIG_SPEC_H
#define SIM_CONFIG_SPEC_H

#include <stdint.h>
#include "sim/config/config.h"
#include "sim/world/net.h"

/* Fills *spec for run index `run` of cfg (0 for a single run).  The spec
 * points into cfg (scripts, TCP parameters, faults): cfg must outlive the
 * world built from it, and is only read, so many runs may share it. */
void config_to_spec(const struct config *cfg, uint64_t run, struct net_spec *spec);

#endif
