/*
 * The end-of-run summaries: a readable one for people and the JSON one of
 * DESIGN.md for scripts.  Both are built from the run's result only.
 */
#ifndef SIM_OUT_SUMMARY_H
#define SIM_OUT_SUMMARY_H

#include <glib.h>
#include "sim/config/config.h"
#include "sim/run.h"
#include "sim/out/sink.h"

void summary_json(GString *out, const struct config *cfg, const struct run_result *res);
void summary_text(GString *out, const struct config *cfg, const struct run_result *res);

/* The calls as the human summary shows them, kept in report->call_lines
 * when that is set (the first SUMMARY_MAX_CALLS; the others are counted in
 * report->calls_not_shown): a sink of the run. */
#define SUMMARY_MAX_CALLS 400
bool calls_sink_open(const struct sink_args *a, struct sink *out, GError **error);

#endif
