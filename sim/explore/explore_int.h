/*
 * Inside the explorer (sim/explore/): what its files share.
 *
 *   explore_prepare.c  the config, edited for exploring; the actions
 *   explore_exec.c     one execution, watched and checked
 *   explore_search.c   the enumeration on threads, the merge
 *   explore_resume.c   the finished units kept, for a killed run to resume
 *   explore_report.c   a placement told: [faults] entries, story, config
 *   explore_cli.c      tcpsim explore
 */
#ifndef SIM_EXPLORE_EXPLORE_INT_H
#define SIM_EXPLORE_EXPLORE_INT_H

#include "sim/explore/explore.h"

/* What one unit (the subtree under one first fault) found. */
struct explore_unit {
	uint64_t placements;
	GArray *hashes;              /* uint64_t, one per placement */
	struct explore_best violation[EXPLORE_MAX_CHECKS];
	GHashTable *outcomes;        /* outcome text -> struct explore_best */
};

/* p's next fault: action a on segment pos, the rank-th of sender's. */
void explore_place_fault(const struct explore *x, struct explore_placement *p, uint32_t pos, uint32_t a,
                         int sender, uint32_t rank);

bool explore_unit_save(const struct explore *x, const struct explore_unit *u, const char *path);
/* false when the file is missing or not a unit of this exploration */
bool explore_unit_load(const struct explore *x, struct explore_unit *u, const char *path);
/* 16 hex digits naming the exploration: its text and spec */
char *explore_fingerprint(const struct explore *x);
void explore_resume_remove(const char *dir);

#endif
