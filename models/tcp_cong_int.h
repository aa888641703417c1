/*
 * What the algorithms of models/tcp_cong.c and models/tcp_cubic.c share:
 * the kernel's helpers in net/ipv4/tcp_cong.c.  Private to those files.
 */
#ifndef MODELS_TCP_CONG_INT_H
#define MODELS_TCP_CONG_INT_H

#include "models/tcp_cong.h"

static inline bool tcp_cc_in_slow_start(const struct tcp_cc *cc)
{
	return cc->cwnd < cc->ssthresh; /* tcp_in_slow_start() */
}
uint32_t tcp_cc_slow_start(struct tcp_cc *cc, uint32_t acked);
void tcp_cc_cong_avoid_ai(struct tcp_cc *cc, uint32_t w, uint32_t acked);

extern const struct tcp_cc_ops tcp_cubic_ops;

#endif
