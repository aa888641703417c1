/*
 * tcpsim explore: every placement of up to K faults on the first N
 * segments of a run, each run and checked against the properties of the
 * config's [explore] section (explore_spec.h).
 *
 * A placement is a list of faults, each on one segment: "the 7th segment
 * sent is dropped, the 12th is delayed by 30 s".  Segments are numbered in
 * the order the endpoints hand them to the network (1-based), counting
 * every segment a [faults] entry could match.  The enumeration is a tree:
 * the run of a placement P is the run of P's parent (P without its last
 * fault) up to the last fault's segment, so the faults of P are written
 * in the config's own grammar ("drop 3rd server any"), each with its rank
 * among its sender's segments in the parent's run; and the children of P
 * put one more fault on a later segment of P's own run.  Placements on
 * segments that a run never sends are not placements (they are the
 * execution of fewer faults).
 *
 * The subtrees under each first fault are the units of work: the worker
 * threads take them in order and the results are merged in unit order,
 * so that the report is the same whatever the number of threads.  Two
 * executions are the same when the hash of everything the observer saw
 * (every packet with its fate, every state change, every call) is.
 */
#ifndef SIM_EXPLORE_EXPLORE_H
#define SIM_EXPLORE_EXPLORE_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "sim/config/config.h"
#include "sim/explore/explore_spec.h"
#include "models/fault.h"
#include "models/tcp.h"
#include "sim/world/net.h"

#define EXPLORE_MAX_ACTIONS (2 + EXPLORE_MAX_DELAYS)
/* The properties and the config's predicates, as bits of a violation set. */
#define EXPLORE_MAX_CHECKS (EXPLORE_N_PROPERTIES + EXPLORE_MAX_REQUIRE)

/* What a placed fault does: drop, duplicate, or delay by `delay`. */
struct explore_action {
	enum explore_kind kind;
	sim_time delay;
};

/* One fault of a placement: which segment (1-based), which action (an
 * index into explore.actions), and as the config grammar writes it. */
struct explore_fault {
	uint32_t pos;
	uint32_t action;
	struct fault f;              /* kind FAULT_ANY, first = last = rank */
};

struct explore_placement {
	uint32_t n;
	struct explore_fault at[EXPLORE_MAX_FAULTS];
};

/* A segment of an execution that a fault may hit. */
struct explore_seg {
	int sender;                  /* enum net_role */
	uint32_t rank;               /* its place among its sender's segments, 1-based */
	struct tcp_seg hdr;          /* its header (no payload) */
	bool acks_peer_fin;
	bool retransmission;
	sim_time t;
};

/* What one execution gave. */
struct explore_exec {
	uint64_t hash;               /* of everything the observer saw */
	uint32_t n_segs;             /* segments a fault could hit, over the whole run */
	struct explore_seg *segs;    /* the first min(n_segs, N) of them */
	uint64_t violated;           /* bit i: check i failed (explore_check_name) */
	char *outcome;               /* the [explore] outcomes' values, "ok, 0.2", or NULL */
	sim_time end_time;
	int result[NET_ROLES];       /* each endpoint's first error, 0: ok */
	enum tcp_state final_state[NET_ROLES]; /* of its newest connection */
	uint64_t rtx_syn[NET_ROLES], rtx_data[NET_ROLES], rtx_fin[NET_ROLES]; /* retransmissions */
};

/* The smallest placement found for something (a violation, an outcome). */
struct explore_best {
	bool found;
	struct explore_placement p;
	uint64_t count;              /* placements that gave it */
};

/* A prepared exploration: the config with the network's random faults
 * off, the spec with the command line's overrides, the actions. */
struct explore {
	struct config cfg;           /* loaded from the edited text */
	char *text;                  /* that text: the config with [explore] blanked and
	                                the random faults of [network*] commented out */
	struct explore_spec spec;
	struct explore_action actions[EXPLORE_MAX_ACTIONS];
	uint32_t n_actions;
	uint32_t n_checks;           /* EXPLORE_N_PROPERTIES + spec.n_require */
	char *fault_names[EXPLORE_MAX_FAULTS]; /* the placed faults' [faults] keys */
	char *resume_dir;            /* where finished units are kept (explore_resume.c), or
	                                NULL: set by the caller, freed by explore_clear */
};

struct explore_report {
	uint64_t placements;         /* tried, the fault-free run included */
	uint64_t distinct;           /* distinct executions among them */
	uint64_t bound;              /* the count the budget was checked against */
	uint32_t units, resumed;     /* subtrees under a first fault; of them, read back */
	struct explore_exec baseline; /* the run without faults */
	struct explore_best violation[EXPLORE_MAX_CHECKS];
	GPtrArray *outcomes;         /* char *: the distinct outcomes, sorted */
	struct explore_best *outcome_best; /* one per outcome */
};

/* Reads the config and checks it for exploring: false with *error
 * (CONFIG_ERROR: exit status 2). */
bool explore_prepare(struct explore *x, const char *path, GError **error);
void explore_clear(struct explore *x);
/* After a change of x->spec (the command line's options): the actions
 * and the checks again. */
void explore_commit_spec(struct explore *x);

/* Upper bound of the placements: sum over k <= K of C(N, k) * A^k. */
uint64_t explore_bound(const struct explore *x);

/* Runs the whole exploration on `jobs` threads (0: one per core);
 * progress(ctx, done, total) after each unit when not NULL. */
void explore_search(const struct explore *x, int jobs, void (*progress)(void *ctx, uint64_t done, uint64_t total),
                    void *ctx, struct explore_report *r);
void explore_report_clear(struct explore_report *r);

/* One execution: the placement's faults added to the config's. */
void explore_execute(const struct explore *x, const struct explore_placement *p, struct explore_exec *out);
void explore_exec_clear(struct explore_exec *e);

/* Check i's name: a property's, or "require: server.result == ok". */
char *explore_check_name(const struct explore *x, uint32_t i);

/* A placement told: its faults as [faults] entries in their most telling
 * form ("drop 1st client ack-of-fin", checked to give the same execution),
 * NULL-terminated, and a one-line story of them and their end. */
struct explore_told {
	char **lines;
	char *story;
};

void explore_tell(const struct explore *x, const struct explore_placement *p, struct explore_told *told);
void explore_told_clear(struct explore_told *told);
/* explore_tell()'s lines alone (g_strfreev), or its story alone (g_free) */
char **explore_fault_lines(const struct explore *x, const struct explore_placement *p);
char *explore_story(const struct explore *x, const struct explore_placement *p);

/* Writes DIR/NAME.ini: the config that re-runs the told placement (the
 * explored text with its lines as [faults] entries); its path, or NULL
 * with *error. */
char *explore_write_config(const struct explore *x, const struct explore_told *told, const char *dir,
                           const char *name, GError **error);

/* `tcpsim explore ...`: the exit status. */
int explore_main(int argc, char **argv);
char *explore_help(void);

#endif
