/*
 * tcpsim pkt: packetdrill scripts against the model (pkt_cli.c).
 */
#ifndef SIM_PKT_PKT_CLI_H
#define SIM_PKT_PKT_CLI_H

/* argv[0] is "pkt"; returns the exit status. */
int pkt_main(int argc, char **argv);
/* Its --help text (to g_free), for the manual. */
char *pkt_help(void);

#endif
