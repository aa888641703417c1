/*
 * --pkt ENDPOINT:FILE: a run written as a packetdrill script, as one
 * endpoint lived it (pkt_export.c): an output of the run (sim/out/sink.h).
 */
#ifndef SIM_PKT_PKT_EXPORT_H
#define SIM_PKT_PKT_EXPORT_H

#include "sim/out/sink.h"

bool pkt_export_sink_open(const struct sink_args *a, struct sink *out, GError **error);

#endif
