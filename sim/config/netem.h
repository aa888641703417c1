/*
 * netem's own words: the arguments of `tc qdisc add dev IF root netem ...`
 * (iproute2's tc/q_netem.c, tc-netem(8)) read into a link's law, and a
 * link's law written back as those words (`tcpsim --print-netem`), so that
 * an experiment can be repeated on real kernels.
 *
 * Pure: text in, struct link_params out, and back; no config file, no I/O.
 * The config key `netem =` of the link sections (sim/config/keys.c) and
 * the CLI option call it.
 *
 * The mapping (README, "netem's words"):
 *   delay TIME [JITTER [CORR]]      delay, jitter, delay_correlation
 *   distribution uniform|normal|pareto|paretonormal
 *                                   distribution (pareto, paretonormal: netem's tables,
 *                                   LINK_DIST_NETEM_PARETO, _PARETONORMAL)
 *   loss [random] PCT [CORR]        loss_model random, loss, loss_correlation
 *   loss state P13 [P31 [P32 [P23 [P14]]]]   loss_model state, st_*
 *   loss gemodel P [R [1-H [1-K]]]  loss_model gemodel, ge_*
 *   duplicate PCT [CORR]            duplicate, duplicate_correlation
 *   corrupt PCT [CORR]              corrupt, corrupt_correlation
 *   reorder PCT [CORR] [gap N]      reorder_at_once, reorder_correlation, reorder_gap
 *   rate RATE [OVERHEAD [CELL [CELLOVERHEAD]]]
 *                                   bandwidth, rate_overhead, rate_cell_size, rate_cell_overhead
 *   limit PACKETS                   queue_limit (not 0: netem then drops every packet)
 * tc's defaults for what is left out: no delay, no loss, limit 1000; loss
 * state P13 gives p31 = 1 - P13, p32 = 0, p23 = 1, p14 = 0; loss gemodel P
 * gives r = 1 - P, 1-h = 1, 1-k = 0.
 *
 * The words are checked as the keys are (correlations below 100%, the
 * rate's cell size and overheads within the keys' ranges, the 4-state
 * chain's rows), with errors naming the word.
 *
 * Reordering.  netem_enqueue() (net/sched/sch_netem.c) sends a reordered
 * packet at once, at the head of the queue, while the others wait out
 * delay + jitter: the link's reorder_at_once and reorder_gap
 * (models/link.h), exact.  tcpsim's own reorder (holding a packet back by
 * reorder_delay) is written as netem's reorder of the complement, exact
 * from a delay of 0 without a jitter, otherwise noted.
 */
#ifndef SIM_CONFIG_NETEM_H
#define SIM_CONFIG_NETEM_H

#include <stdbool.h>
#include <glib.h>
#include "models/link.h"

/* netem's law when a word is left out: no delay, no loss, limit 1000
 * (tc's opt.limit).  Only the fields of the law are set: unreachable,
 * router and the ARP settings are left as they are. */
void netem_defaults(struct link_params *p);

/* Parses netem's words (as after `netem` on tc's command line) into p:
 * netem_defaults() first, then each word.  On error p is left unchanged
 * and *error (to free) names the wrong word: "netem: 'lost' is not a
 * netem option (delay, ...)". */
bool netem_parse(const char *text, struct link_params *p, char **error);

/* Appends to `words` netem's words for p's law (nothing when netem would
 * do nothing: "tc qdisc add ... netem" alone); when notes is not NULL,
 * appends one line (no '#', ending in '\n') per setting of p that netem
 * cannot express or expresses only approximately. */
void netem_format(const struct link_params *p, GString *words, GString *notes);

#endif
