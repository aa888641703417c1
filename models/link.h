/*
 * One direction of the network between the two hosts.  Pure: it decides the
 * fate of each packet offered to it (dropped, or delivered at some time,
 * possibly twice) from its parameters, its own state (the queue of a
 * bandwidth-limited link) and its own random streams.  It does no I/O and
 * schedules nothing: the caller turns a verdict into events.
 *
 * Order of decisions for a packet offered at `now` with `bytes` on the wire:
 *  1. drop-tail queue: with a bandwidth, the packet waits for the link to be
 *     free; if more than `queue_limit` packets wait, it is dropped ("queue");
 *  2. loss: Bernoulli with probability `loss` ("loss"), or the law
 *     `loss_model` names (below);
 *  3. delay: transmission time (bytes*8/bandwidth, the bytes adjusted by
 *     rate_overhead and the cells as netem's packet_time_ns()) + `delay` + a
 *     jitter sample drawn from `distribution` (never negative in total);
 *  4. reordering: with probability `reorder`, `reorder_delay` is added so that
 *     packets sent after it overtake it; or netem's reordering (with
 *     reorder_at_once > 0, netem_enqueue()): unless the gap says wait, the
 *     packet is sent at once (no delay, no jitter) with probability
 *     reorder_at_once, and the others wait out delay + jitter;
 *  5. duplication: with probability `duplicate` a second copy is delivered
 *     (its own jitter sample, after the first);
 *  6. corruption: with probability `corrupt` the first copy arrives with one
 *     bit flipped (the copy stays intact, as netem corrupts the original
 *     after cloning the duplicate); the world picks the bit from the
 *     verdict's draws and the receiver drops the segment on its checksum.
 * A packet counts as reordered when it is delivered before a packet the link
 * accepted earlier.
 */
#ifndef MODELS_LINK_H
#define MODELS_LINK_H

#include <stdbool.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "sim/engine/time.h"

enum link_distribution {
	LINK_DIST_CONSTANT,    /* no jitter */
	LINK_DIST_UNIFORM,     /* uniform in [delay - jitter, delay + jitter] */
	LINK_DIST_NORMAL,      /* normal, mean delay, standard deviation jitter */
	LINK_DIST_EXPONENTIAL, /* delay + exponential with mean jitter */
	LINK_DIST_PARETO,      /* delay + Pareto with scale jitter, shape pareto_shape: a long tail */
	/* netem's tables (iproute2 netem/pareto.c, paretonormal.c): tabledist()
	 * gives delay + jitter * X, X the table's value / NETEM_DIST_SCALE;
	 * with q uniform, P(q) = (4/3) ((1 - q)^(-1/3) - 1.5) (a Pareto of shape
	 * 3 centred on its mean, 1.5) and the table's cut at 32767/8192:
	 *   netem_pareto:       X = min(P(q), 32767/8192), mean about 0, from
	 *                       -2/3 up (1.1% of draws at the cut);
	 *   netem_paretonormal: X = min(Phi^-1(q)/4 + 3/4 min(P(q), 32767/8192),
	 *                       32767/8192), the normal and the Pareto quantile at
	 *                       the same q (not a mixture of the two laws). */
	LINK_DIST_NETEM_PARETO,
	LINK_DIST_NETEM_PARETONORMAL,
};

/* What a router on the path answers instead of forwarding (ICMP type 3). */
enum link_unreachable {
	LINK_REACHABLE,        /* forward */
	LINK_NET_UNREACHABLE,  /* code 0: net unreachable */
	LINK_HOST_UNREACHABLE, /* code 1: host unreachable */
};

/* How losses come (netem's `loss` forms, Linux net/sched/sch_netem.c). */
/*
 * The loss laws, as Linux's net/sched/sch_netem.c loss_event() draws them
 * (probabilities as netem's 32-bit fractions, 1.0 = 0xffffffff; a uniform
 * draw is a 32-bit value of the law's own stream):
 *
 * For every law below the mean burst (run of consecutive losses) is
 * 1 / (1 - P(loss | the previous one was lost)): a burst starts at each
 * loss after a delivered packet, at the rate P(loss) - P(two in a row).
 *
 *  - random (netem `loss random P [C]`): lost when P >= get_crandom().  With
 *    C = 0 that is Bernoulli(P) and tcpsim keeps its double draw (the same
 *    law): loss rate P, mean burst 1 / (1 - P).  With C > 0,
 *    get_crandom()'s exact 32-bit recurrence
 *        next = (fresh * (2^32 - (C32 + 1)) + last * (C32 + 1)) >> 32
 *    i.e. next ~ (1 - C) * fresh + C * last: losses cluster (P(loss | the
 *    previous one was lost) > P(loss)), and, as in netem, the long-run
 *    rate is no longer P (an average of uniforms is no longer uniform).
 *    Neither has a closed form: both come from the stationary law of that
 *    AR(1) chain (tests/test_link.c's crandom_law()).  The rate falls far
 *    below P and the bursts stay short: `loss 10% 25%` loses 1.75% in
 *    bursts of 1.12, `loss 1% 25%` 2.4 packets in a million.
 *  - gemodel (netem `loss gemodel p r 1-h 1-k`, loss_gilb_ell()): states
 *    good and bad, starting good.  Each packet: in good, move to bad with
 *    probability ge_p, then lose the packet with probability ge_1k (1-k);
 *    in bad, move to good with probability ge_r, then lose it with
 *    probability ge_1h (1-h).  The packet's fate is the state it found (two
 *    draws a packet).  Stationary share of bad: p / (p + r); long-run loss
 *    rate (r * (1-k) + p * (1-h)) / (p + r); a stay in bad lasts 1/r packets
 *    on average, so with 1-h = 1 and 1-k = 0 (simple Gilbert) the mean
 *    burst of consecutive losses is 1/r and the loss rate p / (p + r).
 *    In general, with g = r / (p + r), b = p / (p + r), lg = 1-k, lb =
 *    1-h: rate R = g lg + b lb, two in a row D = g lg ((1 - p) lg + p lb)
 *    + b lb (r lg + (1 - r) lb), mean burst R / (R - D).
 *  - state (netem `loss state p13 p31 p32 p23 p14`, loss_4state(), the GI
 *    model of Salsano et al.): states 1 (received in a gap), 2 (received in
 *    a burst), 3 (lost in a burst), 4 (isolated loss in a gap), starting at
 *    1.  One draw a packet moves the chain (1->4 p14, 1->3 p13, 2->3 p23,
 *    3->2 p32, 3->1 p31, 4->1 always) and the packet is lost when the state
 *    it moves to is 3 or 4.  Stationary: with pi3 = 1 / (1 + p31/p13 +
 *    p32/p23 + p31 p14/p13), pi1 = pi3 p31/p13, pi2 = pi3 p32/p23, pi4 = pi1
 *    p14; loss rate pi3 + pi4.  A burst (run of consecutive losses) is
 *    either one isolated loss (state 4, length 1) or a stay in 3 (mean
 *    1/(p31 + p32)); the mean burst length is
 *        (pi3 + pi4) / (pi3 (p31 + p32) + pi4)
 *    which is 1/(p31 + p32) when p14 = 0 (and 1/p31 when also p32 = 0).
 */
enum link_loss_model {
	LINK_LOSS_RANDOM,      /* independent, probability `loss` (netem `loss random P`);
	                          with loss_correlation > 0 netem's correlated form
	                          (`loss P C`: get_crandom()) */
	LINK_LOSS_GEMODEL,     /* Gilbert-Elliott (netem `loss gemodel p r 1-h 1-k`):
	                          two states, good and bad; ge_p and ge_r the chances of
	                          moving good->bad and bad->good each packet, ge_1h and
	                          ge_1k the loss probabilities in bad and in good */
	LINK_LOSS_STATE,       /* the 4-state Markov model (netem `loss state p13 p31 p32
	                          p23 p14`, Salsano et al.): states 1 good reception, 2
	                          good-state loss, 3 burst reception, 4 isolated loss */
};

struct link_params {
	sim_time delay;        /* one-way propagation delay */
	sim_time jitter;       /* spread of the delay, meaning per distribution */
	enum link_distribution distribution;
	double pareto_shape;   /* shape (alpha) of the Pareto tail, > 0 */
	double loss;           /* probability a packet is lost */
	double reorder;        /* probability a packet is held back */
	sim_time reorder_delay; /* extra delay of a held-back packet */
	/* netem's reorder (Linux sch_netem.c netem_enqueue()), not with `reorder`:
	 * a packet waits out delay + jitter and counts (++counter) when
	 * reorder_gap is 0, when counter < reorder_gap - 1, or when the
	 * (reorder_correlation-correlated) draw fails; otherwise it is sent at
	 * once and counter = 0.  So with gap N the N - 1 packets after one sent
	 * at once always wait, and one in N - 1 + 1/reorder_at_once goes at once
	 * in the long run (without correlation). */
	double reorder_at_once; /* netem `reorder P`: P; 0 = off */
	uint32_t reorder_gap;   /* netem `gap N` (tc's default 1) */
	double duplicate;      /* probability a packet is delivered twice */
	/* netem's laws beyond the independent ones: each correlation in [0, 1)
	 * is netem's: the next uniform draw is (1 - c) * fresh + c * previous */
	enum link_loss_model loss_model;
	double loss_correlation; /* LINK_LOSS_RANDOM: netem `loss P C` */
	double loss_burst;     /* config only (sim/config turns it into gemodel before the
	                          link sees it): `loss` in bursts of this mean length, 0 = off */
	double ge_p, ge_r, ge_1h, ge_1k; /* LINK_LOSS_GEMODEL */
	bool loss_start_stationary; /* gemodel and state: the first packet finds the chain in a
	                               state drawn from its stationary law (one draw at the
	                               start), not in the good state as netem's qdisc starts */
	double st_p13, st_p31, st_p32, st_p23, st_p14; /* LINK_LOSS_STATE */
	double delay_correlation;     /* netem `delay D J C` */
	double reorder_correlation;   /* netem `reorder P C` */
	double duplicate_correlation; /* netem `duplicate P C` */
	double corrupt;        /* probability a packet arrives with one bit flipped */
	double corrupt_correlation;   /* netem `corrupt P C` */
	int32_t rate_overhead; /* netem `rate R PACKETOVERHEAD`: bytes added (or taken) per packet */
	uint32_t rate_cell_size;      /* ... CELLSIZE: the link sends whole cells of this many bytes */
	int32_t rate_cell_overhead;   /* ... CELLOVERHEAD: bytes added per cell */
	/* netem's packet_time_ns(): len += rate_overhead; with a cell size,
	 * len = ceil(len / cell) * (cell + rate_cell_overhead); the packet then
	 * occupies the transmitter len * 8 / bandwidth (len never below 0). */
	uint64_t bandwidth;    /* bits per second, 0 = unlimited */
	uint32_t queue_limit;  /* packets waiting for a busy link before drop-tail */
	enum link_unreachable unreachable; /* a router answers ICMP instead of forwarding */
	uint32_t router;       /* that router's IPv4 address; it sits `delay` away */
	/* Not the link's law: how the sender resolves a neighbour of its
	 * subnet (sim/world/neigh.c, Linux's neighbour parameters). */
	uint32_t arp_probes;   /* ARP requests before the neighbour fails (mcast_solicit) */
	sim_time arp_interval; /* between them, and after the last (retrans_time) */
};

/* 10 ms; uniform jitter (as netem) once a jitter is set; nothing else */
void link_params_default(struct link_params *p);
const char *link_distribution_name(enum link_distribution d);

/* A packet's fate.  The link decides the first four; the world (its
 * routing, sim/world/route.c and neigh.c) the others. */
enum link_drop {
	LINK_DELIVER,
	LINK_DROP_LOSS,
	LINK_DROP_QUEUE,
	LINK_DROP_FAULT,
	LINK_DROP_UNREACHABLE, /* a router answers ICMP unreachable instead */
	LINK_DROP_BLACK_HOLE,  /* beyond the router, to an address no host owns: nobody answers */
	LINK_DROP_UNRESOLVED,  /* never sent: held for an ARP reply that never came (no host
	                          of the sender's subnet owns the address), then dropped */
};

struct link_verdict {
	enum link_drop drop;   /* LINK_DELIVER or why it was dropped */
	uint32_t copies;       /* 1, or 2 when duplicated (0 when dropped) */
	sim_time deliver_at[2]; /* arrival time of each copy */
	bool reordered;        /* the first copy overtakes an earlier packet */
	bool held_back;        /* reorder_delay was added */
	bool at_once;          /* netem's reorder sent it at once (no delay, no jitter) */
	bool corrupted;        /* the first copy arrives with one bit flipped */
	uint32_t corrupt_where; /* a uniform 32-bit draw: which byte (get_random_u32_below()) */
	uint8_t corrupt_bit;   /* which bit of that byte, 0-7 */
	sim_time tx_done;      /* its last bit left the sender's interface (the TX
	                          completion); the offer's time when the queue refused it */
};

struct link_counters {
	uint64_t offered, delivered, dropped_loss, dropped_queue, duplicated, reordered;
	uint64_t corrupted;    /* of the delivered: the first copy has a flipped bit */
};

/* netem's correlated random state (struct crndstate): rho as a 32-bit
 * fraction, the last answer. */
struct link_crandom {
	uint32_t rho, last;
};

/* The streams of netem's laws beyond the independent ones: each is drawn
 * only when its law is on, so that a link without them draws exactly what
 * it always drew.  Any may be NULL when its law is off. */
struct link_netem_streams {
	gsl_rng *loss_model; /* correlated random, gemodel and state loss */
	gsl_rng *delay_cor;  /* correlated jitter (both copies' jitter then) */
	gsl_rng *reorder_cor, *dup_cor; /* correlated reorder and duplicate decisions; netem's
	                                   reorder (reorder_at_once) draws from reorder_cor */
	gsl_rng *corrupt;    /* corruption: the decision, the byte and the bit */
};

struct link {
	struct link_params p;
	gsl_rng *loss_rng, *delay_rng, *reorder_rng, *dup_rng; /* owned streams */
	uint64_t byte_ns;          /* ns one byte takes when a bandwidth divides 8 s (10 Mbit/s:
	                              800), so tx_time() is a product; 0 otherwise */
	sim_time busy_until;       /* the transmitter is busy until then */
	sim_time latest_delivery;  /* latest arrival time given so far */
	sim_time *queue_exits;     /* ring of transmission end times of waiting packets */
	uint32_t q_head, q_len, q_cap;
	struct link_counters n;
	struct link_netem_streams ns;  /* owned */
	struct link_crandom loss_cor, delay_cor, reorder_cor, dup_cor, corrupt_cor;
	uint8_t clg_state;             /* gemodel: 1 good, 2 bad; state: 1-4 (netem's clgstate) */
	uint32_t reorder_counter;      /* netem's q->counter: packets delayed since one went at once */
};

/* Takes ownership of the four generators. */
void link_init(struct link *l, const struct link_params *p, gsl_rng *loss_rng,
               gsl_rng *delay_rng, gsl_rng *reorder_rng, gsl_rng *dup_rng);
void link_clear(struct link *l);
/* Takes ownership of the streams of netem's laws (after link_init); a
 * stream a law that is on needs must be there.  Draws each correlated
 * law's first `last` (netem's init_crandom()). */
void link_init_netem(struct link *l, const struct link_netem_streams *s);

/* Pure pieces of the law, for the tests: netem's get_crandom() and a
 * probability as netem's 32-bit fraction. */
uint32_t link_crandom_next(struct link_crandom *s, gsl_rng *r);
uint32_t link_prob_u32(double p);
/* The unit value X of netem's table laws (above) at the quantile q in
 * (0, 1): the jitter is jitter * X. */
double link_netem_table_value(enum link_distribution d, double q);

/* Decides the fate of a packet of `bytes` bytes offered at `now`. */
void link_offer(struct link *l, sim_time now, uint32_t bytes, struct link_verdict *v);

#endif
