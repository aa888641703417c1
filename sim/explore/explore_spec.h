/*
 * What an [explore] section says: the faults `tcpsim explore` places, on
 * which segments, and the properties every execution must keep.
 *
 *   [explore]
 *   faults   = 3                  # at most this many per execution (K)
 *   segments = 24                 # on the first N segments the endpoints send
 *   kinds    = drop, duplicate, delay
 *   delays   = 300ms, 30s         # "delay" tries each: overtaken, or a later incarnation
 *   budget   = 5000000            # refuse an exploration of more placements
 *   closed   = on                 # the built-in properties, each on or off
 *   data_intact = on
 *   no_reset_on_close = on
 *   no_open_connection = on
 *   results_ok = off
 *   require  = server.result == ok, client.close_time < 10s
 *   outcomes = client.result, client.connect_time
 *
 * The command line's --faults, --segments, --kinds, --delays and --budget
 * override the section's keys.  Every key has a default, so a config
 * without the section can be explored too.
 */
#ifndef SIM_EXPLORE_EXPLORE_SPEC_H
#define SIM_EXPLORE_EXPLORE_SPEC_H

#include <stdbool.h>
#include <stdint.h>
#include "sim/engine/time.h"

#define EXPLORE_MAX_FAULTS 6
#define EXPLORE_MAX_SEGMENTS 1000
#define EXPLORE_MAX_DELAYS 4
#define EXPLORE_DEFAULT_FAULTS 2
#define EXPLORE_DEFAULT_SEGMENTS 24
#define EXPLORE_DEFAULT_BUDGET 20000000ull
#define EXPLORE_MAX_REQUIRE 16
#define EXPLORE_MAX_OUTCOMES 8

/* The fault kinds, as bits of explore_spec.kinds. */
enum explore_kind { EXPLORE_DROP, EXPLORE_DUPLICATE, EXPLORE_DELAY, EXPLORE_N_KINDS };

/* The built-in properties. */
enum explore_property {
	EXPLORE_CLOSED,             /* both end CLOSED or TIME_WAIT, their programs done */
	EXPLORE_DATA_INTACT,        /* every byte read is the byte written there */
	EXPLORE_NO_RESET_ON_CLOSE,  /* no reset ends a connection that was closing gracefully */
	EXPLORE_NO_OPEN_CONNECTION, /* nothing left ESTABLISHED, half-closed or half-open */
	EXPLORE_RESULTS_OK,         /* client.result and server.result are ok */
	EXPLORE_N_PROPERTIES,
};

enum explore_cmp { EXPLORE_EQ, EXPLORE_NE, EXPLORE_LT, EXPLORE_LE, EXPLORE_GT, EXPLORE_GE };

/* A user's predicate on a metric of the run: "server.result == ok". */
struct explore_require {
	char *text;                 /* as written, for the report */
	char *metric;               /* its metric's name */
	enum explore_cmp cmp;
	bool is_text;               /* compared as a category ("ok", "ECONNRESET") */
	char *want_text;
	double want;                /* else as a number: counts, or seconds */
};

struct explore_spec {
	uint32_t faults;            /* K */
	uint32_t segments;          /* N */
	unsigned kinds;             /* 1u << enum explore_kind */
	sim_time delays[EXPLORE_MAX_DELAYS];
	uint32_t n_delays;
	uint64_t budget;            /* most placements an exploration may try */
	bool property[EXPLORE_N_PROPERTIES];
	struct explore_require require[EXPLORE_MAX_REQUIRE];
	uint32_t n_require;
	char *outcomes[EXPLORE_MAX_OUTCOMES]; /* metrics whose values are tabulated */
	uint32_t n_outcomes;
};

void explore_spec_defaults(struct explore_spec *s);
void explore_spec_clear(struct explore_spec *s);
void explore_spec_copy(struct explore_spec *dst, const struct explore_spec *src);

/* Parsers shared by the [explore] keys and the command line; false with
 * *why (to free) saying what was expected. */
bool explore_parse_kinds(const char *text, unsigned *kinds, char **why);
bool explore_parse_delays(const char *text, sim_time *delays, uint32_t *n, char **why);
bool explore_parse_require(const char *text, struct explore_require *out, char **why);
bool explore_parse_outcomes(const char *text, struct explore_spec *s, char **why);

const char *explore_property_name(enum explore_property p);
const char *explore_property_meaning(enum explore_property p);
bool explore_property_find(const char *name, enum explore_property *p);
const char *explore_kind_name(enum explore_kind k);

#endif
