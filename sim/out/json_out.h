/*
 * The few pieces of JSON that tcpsim writes by hand (the --json summary,
 * the event log): strings escaped per RFC 8259 and times as seconds with
 * exactly nine decimals, so that the same run always gives the same bytes.
 */
#ifndef SIM_OUT_JSON_OUT_H
#define SIM_OUT_JSON_OUT_H

#include <glib.h>
#include "sim/engine/time.h"

/* s as a JSON string, quotes included: '"' and '\\' escaped; C0 controls
 * and DEL as \u00XX; C1 controls, U+2028/U+2029 and the bidirectional
 * controls as \uHHHH; each byte that is not valid UTF-8 as \ufffd (U+FFFD,
 * the replacement character); everything else (UTF-8 included) as is. */
void json_out_string(GString *out, const char *s);

/* t (non-negative) as seconds: "60.361857136". */
void json_out_time(GString *out, sim_time t);

#endif
