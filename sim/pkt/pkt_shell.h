/*
 * The shell lines of a packetdrill script (`...`), interpreted, never
 * executed.  packetdrill hands them to system(3), in its own folder; here
 * each simple command is read as what it says:
 *
 *  - a path to a file (./defaults.sh, ../common/defaults.sh) is read and
 *    its lines interpreted in turn, from the current folder or else from
 *    the script's (where packetdrill's run_all.py starts each script);
 *    `. FILE` and `source FILE` too; a python file that is packetdrill's
 *    set_sysctls.py (by what it says it does) sets /proc/sys values;
 *  - if/then/elif/else/fi on test(1) or [ of strings, NAME=VALUE and
 *    $NAME, and $(uname) / `uname -s` / `uname -o` as the profile's
 *    system answers (Linux, GNU/Linux; FreeBSD): helper files pick their
 *    system's settings so;
 *  - sysctl assignments become tcpsim settings, or no-ops where the model
 *    already follows the value (pkt_sysctl.c), before the first event;
 *  - `ip tcp_metrics flush` and `tc qdisc add dev tun0 root pfifo` are
 *    no-ops (the model keeps no per-destination metrics; the wire is FIFO
 *    and nothing paces);
 *  - while the script runs: the socket tools (sockstat and tcpdrop under a
 *    FreeBSD profile, ss under Linux) and the filters of their output
 *    (grep, awk '{print $N}', wc -l), against the model's sockets.
 * Comments, blank lines, `#!` lines, $((...)) arithmetic and redirections
 * to /dev/null are understood; anything else is UNSUPPORTED, naming the
 * file, its line and the command.
 */
#ifndef SIM_PKT_PKT_SHELL_H
#define SIM_PKT_PKT_SHELL_H

#include <glib.h>
#include <stdbool.h>
#include "sim/world/net.h"

struct pkt_shell_plan; /* what a command does while the script runs */

struct pkt_shell_env {
	const char *dir;      /* the script's folder: relative paths not found from
	                         the current one are looked for there */
	const char *profile;  /* the system under test's (NULL: linux) */
	bool running;         /* after the first event: no setting may change */
	bool tail;            /* no packet, call or code block comes after it */
	GHashTable *sysctls;  /* "NAME=VALUE" of the sysctls set before the first event */
};

/* Interprets a command's text.  Settings (before the first event) are
 * appended to settings; what must happen at the command's time is *plan
 * (NULL when nothing does).  false with *why when a line is not
 * understood. */
bool pkt_shell_interpret(const char *text, const struct pkt_shell_env *env, GPtrArray *settings,
                         struct pkt_shell_plan **plan, char **why);

/* Runs the plan against the world now: its exit status, as sh's (0
 * success).  The driven host is role r. */
int pkt_shell_run(const struct pkt_shell_plan *plan, struct net *n, enum net_role r);

void pkt_shell_plan_free(struct pkt_shell_plan *plan);

#endif
