/*
 * The HTML report of a run (--report FILE.html): one self-contained page
 * a teacher can hand out, that opens offline in any browser and lets the
 * reader click through the connection.
 *
 *   - the sequence diagram (inline SVG, drawn here): one arrow per packet,
 *     from its sender's timeline when it left to its receiver's when it
 *     arrived; clicking, hovering or stepping to one (n / p, the arrow
 *     keys) shows its header fields, options, why it was sent (in the
 *     pcapng comments' words, sim/out/annotate.h), what the network did
 *     with it and its frame number in the run's capture;
 *   - beside each timeline, the endpoint's states as bands (colour and
 *     name), and a table of the transitions with their cause and the
 *     RFC 9293 section that defines them;
 *   - the programs' calls with their results, linked to the packets they
 *     sent;
 *   - the summary figures, the config that produced the run and the
 *     command line that reruns it;
 *   - every packet again as a table row: the diagram's text alternative,
 *     and what prints.
 *
 * The page's style and script (report.css, report.js) are compiled into
 * the program (the Makefile's report_assets rule): nothing is fetched.
 * It is generated from the run's observer events (no second simulation),
 * and holds no time of day and no random id: one seed, one file.
 */
#ifndef SIM_OUT_REPORT_REPORT_H
#define SIM_OUT_REPORT_REPORT_H

#include <stdbool.h>
#include <glib.h>
#include "sim/out/sink.h"

/* True when path names an HTML file (.html or .htm, any case); else false
 * with *error (G_OPTION_ERROR_BAD_VALUE). */
bool report_path_ok(const char *path, GError **error);

/* --report as a sink of the run. */
bool report_sink_open(const struct sink_args *a, struct sink *out, GError **error);

#endif
