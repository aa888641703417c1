/*
 * tcpsim's command line (sim/cli.c), callable: main() only adds the
 * process-wide set-up (signal handlers, the lock file's command) and the
 * check that stdout was written.
 */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#define TCPSIM_VERSION "0.1.0"

/* `tcpsim ARGS...`: a run, `sweep`, `merge`; the exit status (0, 1, 2). */
int tcpsim_command(int argc, char **argv);

#endif
