/*
 * The capture: OUT/trace.pcap at the capture point, or OUT/trace.pcapng with
 * both interfaces and comments (see capture.c).  A sink (sink.h).
 */
#ifndef SIM_OUT_CAPTURE_H
#define SIM_OUT_CAPTURE_H

#include "sim/out/sink.h"

bool capture_sink_open(const struct sink_args *a, struct sink *out, GError **error);

#endif
