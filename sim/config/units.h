/*
 * Values with units, as written in configs and on the command line:
 * durations ("200ms", "1.5s", "2min", "75us", "0"), bandwidths ("10Mbit",
 * "1Gbit", "0" for unlimited), probabilities ("0.01" or "1%"), byte counts
 * ("1460", "64KiB", "6MB") and whole numbers.
 *
 * Every parser returns false on bad input and points *why at a static
 * English sentence saying what was expected, for the config error message
 * ("expected a duration such as 200ms or 1.5s").  Leading and trailing
 * blanks are ignored; nothing else is.
 */
#ifndef SIM_CONFIG_UNITS_H
#define SIM_CONFIG_UNITS_H

#include <stdbool.h>
#include <stdint.h>
#include "sim/engine/time.h"

/* Units: ns, us, ms, s, min, h.  A bare 0 is allowed; any other bare number
 * is rejected (a bare "200" is ambiguous).  Negative values are rejected. */
bool units_parse_duration(const char *text, sim_time *out, const char **why);

/* Units: bit, kbit, Mbit, Gbit (also bps, kbps, Mbps, Gbps; case-insensitive).
 * "0" or "unlimited" give 0, meaning no bandwidth limit. */
bool units_parse_bandwidth(const char *text, uint64_t *bits_per_sec, const char **why);

/* A number in [0, 1], or a percentage in [0%, 100%]. */
bool units_parse_probability(const char *text, double *out, const char **why);

/* Bytes: plain number, or with B, KB/MB/GB (powers of 1000) or KiB/MiB/GiB. */
bool units_parse_bytes(const char *text, uint64_t *out, const char **why);

/* A whole number in [min, max] (decimal). */
bool units_parse_uint(const char *text, uint64_t min, uint64_t max, uint64_t *out,
                      const char **why);

/* A finite real number in [min, max]. */
bool units_parse_double(const char *text, double min, double max, double *out,
                        const char **why);

/* true/false, yes/no, on/off, 1/0. */
bool units_parse_bool(const char *text, bool *out, const char **why);

/* Writes a short human form of a duration into buf ("200ms", "1.5s",
 * "2min 7s" is not needed: seconds with up to 9 decimals, trailing zeros
 * trimmed, or ms/us when below one second).  Returns buf. */
char *units_format_duration(sim_time t, char *buf, unsigned size);

#endif
