/*
 * Matching targeted faults against segments (see fault.h for the grammar;
 * the text is parsed by sim/config/fault_parse.c).  Pure: the counting of
 * matches lives with the world that applies them.
 */
#include <string.h>
#include <glib.h>
#include "models/fault.h"

static const char *const action_names[] = {"drop", "delay", "duplicate", "kill"};
static const char *const kind_names[] = {"any", "syn", "syn-ack", "ack", "ack-of-fin",
                                         "data", "fin", "rst"};

const char *fault_action_name(enum fault_action a) { return action_names[a]; }
const char *fault_kind_name(enum fault_kind k) { return kind_names[k]; }

static bool kind_matches(enum fault_kind k, const struct tcp_seg *s, const struct fault_facts *x)
{
	uint8_t f = s->flags;
	switch (k) {
	case FAULT_ANY: return true;
	case FAULT_SYN: return (f & (TCP_SYN | TCP_ACK)) == TCP_SYN;
	case FAULT_SYN_ACK: return (f & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK);
	case FAULT_ACK: return (f & TCP_ACK) && !(f & (TCP_SYN | TCP_FIN | TCP_RST)) && s->len == 0;
	case FAULT_ACK_OF_FIN: return (f & TCP_ACK) && !(f & TCP_RST) && x->acks_peer_fin;
	case FAULT_DATA: return s->len > 0;
	case FAULT_FIN: return f & TCP_FIN;
	case FAULT_RST: return f & TCP_RST;
	}
	return false;
}

static bool in_window(const struct fault *f, sim_time t)
{
	return t >= f->from && t < f->to;
}

bool fault_matches(const struct fault *f, const struct tcp_seg *s, const struct fault_facts *x)
{
	return f->action != FAULT_KILL && f->sender == x->sender && in_window(f, x->now) &&
	       kind_matches(f->kind, s, x);
}
