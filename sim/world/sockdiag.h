/*
 * A host's TCP sockets as the tools that list and kill them see them
 * (Linux's sock_diag for ss, FreeBSD's pcblist for sockstat and
 * tcpdrop): for the packetdrill runner's shell commands (sim/pkt/).
 */
#ifndef SIM_WORLD_SOCKDIAG_H
#define SIM_WORLD_SOCKDIAG_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include "models/host.h"
#include "sim/world/net.h"

/* One socket or connection of the host. */
struct sockdiag_row {
	enum tcp_state state;     /* LISTEN for a listener; CLOSED for a socket with no
	                             connection (never connected, or closed by a reset) */
	struct conn_key key;      /* addresses and ports, 0 where none (a listener's remote) */
	int fd;                   /* the program's descriptor naming it, -1: none (an
	                             orphan, TIME_WAIT, a child not yet accepted) */
	bool request;             /* a child in SYN_RCVD not yet accepted: Linux's request
	                             socket, FreeBSD's syncache entry (no pcb) */
	uint32_t recv_q, send_q;  /* ss: unread bytes and bytes not yet acknowledged; a
	                             listener's accept queue and backlog */
};

/* Every socket the program holds (in descriptor order), then the host's
 * connections no descriptor names.  A GArray of struct sockdiag_row. */
GArray *sockdiag_list(struct net *n, enum net_role r);

/* Kills the connection with this 4-tuple (tcp_ep_drop()), as tcpdrop or
 * ss -K: its packets go, a blocked call of its program wakes.  false
 * when the host has no such connection. */
bool sockdiag_drop(struct net *n, enum net_role r, const struct conn_key *k, enum tcp_drop_rule rule,
                   int err);

/* Kills every connection of the host, as `ss -K state connected` does:
 * tcp_ep_drop() with Linux tcp_abort()'s rule (a request socket not yet
 * accepted silently), ECONNABORTED for their users; listeners stay.  The
 * program is not run: the caller wakes it (app_run()) once, after all of
 * them.  Returns how many were killed;
 * `what` (may be NULL) gets "#1 TIME_WAIT, #2 ESTABLISHED" for them. */
unsigned sockdiag_kill_all(struct net *n, enum net_role r, GString *what);

#endif
