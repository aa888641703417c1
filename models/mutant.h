/*
 * Deliberately broken TCP models, for the explorer's mutation test
 * (tests/test_explore_mutants.c): each mutant breaks one rule of RFC 9293
 * or RFC 7323, and `tcpsim explore` must find a counterexample of at most
 * three faults against it.  A mutant is a one-line hook in the TCP core,
 * TCP_MUTANT(params, which), compiled only into the test's own copy of the
 * library (-DTCPSIM_MUTANTS, $(BUILD)/libtcpsim-mutants.a): in the shipped
 * build the macro is `false`, the hooks compile away, and struct
 * tcp_params has no field to choose a mutant with.
 */
#ifndef MODELS_MUTANT_H
#define MODELS_MUTANT_H

#include <stdbool.h>

enum tcp_mutant {
	TCP_MUTANT_NONE,
	/* TIME_WAIT drops a retransmitted FIN without acknowledging it
	 * (RFC 9293 §3.10.7.4, eighth check, TIME-WAIT: "Acknowledge it") */
	TCP_MUTANT_TW_NO_REACK,
	/* TIME_WAIT lasts 0 whatever the parameter: the connection closes at
	 * once (RFC 9293 §3.3.2, §3.10.7.4: TIME-WAIT holds for 2 MSL) */
	TCP_MUTANT_TW_ZERO,
	/* LAST_ACK's retransmission timer fires but never resends the FIN
	 * (RFC 9293 §3.8.1, RFC 6298 §5.4: retransmit the earliest segment
	 * not acknowledged) */
	TCP_MUTANT_LAST_ACK_NO_RTX,
	/* no retransmission timeout resends anything in a synchronized state
	 * (RFC 6298 §5.4; RFC 9293 §3.8.1) */
	TCP_MUTANT_NO_RTX,
	/* SYN_SENT ignores an acceptable reset: connect() keeps trying
	 * (RFC 9293 §3.10.7.3, second check: "signal to the user 'error:
	 * connection reset', drop the segment, enter CLOSED state") */
	TCP_MUTANT_SYN_SENT_IGNORES_RST,
	/* received text is not trimmed to RCV.NXT: a duplicate is delivered
	 * twice (RFC 9293 §3.10.7.4, seventh check; §3.4: a segment's
	 * duplicate part is not new data) */
	TCP_MUTANT_DELIVER_DUPLICATE,
	/* a segment beyond RCV.NXT is delivered as if it were next, not held
	 * for the hole before it (RFC 9293 §3.10.7.4, seventh check: text is
	 * delivered in sequence) */
	TCP_MUTANT_OOO_AS_IN_ORDER,
	/* a FIN beyond a hole is taken at once, the hole's data never waited
	 * for (RFC 9293 §3.10.7.4, eighth check: the FIN is processed when
	 * it is in sequence, and "implies PUSH for any segment text not yet
	 * delivered") */
	TCP_MUTANT_OOO_FIN_TAKEN,
	/* FIN_WAIT_2 ignores the peer's FIN: it neither takes it (RCV.NXT)
	 * nor enters TIME_WAIT (RFC 9293 §3.10.7.4, eighth check: "advance
	 * RCV.NXT over the FIN"; FIN-WAIT-2: "Enter the TIME-WAIT state") */
	TCP_MUTANT_FIN_WAIT_2_IGNORES_FIN,
	/* a SYN in the window of a synchronized connection resets it, as RFC
	 * 793 had it, instead of a challenge ACK (RFC 9293 §3.10.7.4, fourth
	 * check; RFC 5961 §4.2): a duplicated SYN-ACK kills the connection */
	TCP_MUTANT_SYN_IN_WINDOW_RESETS,
	/* close() in CLOSE_WAIT returns without queuing a FIN (RFC 9293
	 * §3.10.4, CLOSE-WAIT: "Queue this request until all preceding SENDs
	 * have been segmentized; then send a FIN segment, enter LAST-ACK") */
	TCP_MUTANT_CLOSE_WAIT_NO_FIN,
	/* PAWS off though timestamps are negotiated: a segment with an older
	 * timestamp than TS.Recent is taken (RFC 7323 §5.3, R1) */
	TCP_MUTANT_PAWS_OFF,
	TCP_MUTANT_COUNT,
};

/* Is mutant m on for the endpoint of params p?  Never, outside the test's
 * build. */
#ifdef TCPSIM_MUTANTS
#define TCP_MUTANT(p, m) ((p)->mutant == (m))
#else
#define TCP_MUTANT(p, m) false
#endif

#endif
