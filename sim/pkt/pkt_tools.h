/*
 * The socket tools a script's shell lines run while it goes on
 * (pkt_shell.c): what each prints from the model's sockets (sockstat, ss),
 * what each kills (tcpdrop, ss -K), and the filters of their output
 * (grep, awk '{print $N}', wc -l).
 */
#ifndef SIM_PKT_PKT_TOOLS_H
#define SIM_PKT_PKT_TOOLS_H

#include <glib.h>
#include <stdbool.h>
#include "sim/world/net.h"

struct pkt_tool_ctx {
	struct net *net;      /* NULL: check the command only (nothing listed or killed) */
	enum net_role role;   /* the system under test */
	const char *profile;  /* its profile: which system's tools exist (NULL: linux) */
};

/* Is `name` one of the tools? */
bool pkt_tool_known(const char *name);

/* Runs one command of a pipeline: `in` the output of the one before it
 * (NULL: none), its own output appended to `out`.  Its exit status, or -1
 * with *why when the command is not understood. */
int pkt_tool_run(char **argv, const char *in, GString *out, const struct pkt_tool_ctx *ctx, char **why);

#endif
