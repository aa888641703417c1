/*
 * A script's header options (`--tolerance_usecs=10000`) and their
 * command-line equivalents, as packetdrill's config.c reads them: the
 * script's first, then the command line's, which win.
 *
 * What each means here:
 *  --tolerance_usecs=N    how far from its time an event may happen (4000)
 *  --tolerance_percent=P  and, if more, P% of the time since the event
 *                         before it (12.5: run.c verify_time(), for timers
 *                         that fire late in proportion to their length)
 *  --tcp_ts_tick_usecs=N  check the TS val of outbound packets: one tick is N
 *                         us of the script's time, from the first TS val,
 *                         within --tolerance_usecs (0, the default: not
 *                         checked; run_packet.c verify_outbound_tcp_option())
 *  --mss=N                inbound packets are handed to the stack as GSO
 *                         packets of N-byte segments when longer (packetdrill sets the
 *                         tun's virtio gso_size, netdev.c linux_tun_write()):
 *                         the stack measures the peer's segment size as N
 *                         (Linux tcp_measure_rcv_mss()) however long the
 *                         packet.  It is not the MSS the stack advertises.
 *  --mtu=N                the local interface's MTU (packetdrill's tun, 1500):
 *                         the MSS the stack announces is N less the IPv4
 *                         and TCP headers (FreeBSD tcp_mssopt(); Linux
 *                         ipv4_default_advmss(), at least ip_rt_min_advmss
 *                         256), and bounds what it sends
 *  --bind_port=N, --connect_port=N   the port `...` stands for in bind()
 *                         and connect() (8080)
 *  --ip_version=ipv4      the only family the model has
 * Any other option is a setting the model does not have: UNSUPPORTED.
 */
#include <stdlib.h>
#include <string.h>
#include "sim/pkt/pkt_runner.h"

void pkt_config_init(struct pkt_config *c)
{
	*c = (struct pkt_config){.tolerance = 4 * SIM_MS, .tolerance_percent = 12.5,
	                         .bind_port = PKT_PORT, .connect_port = PKT_PORT};
}

/* A whole decimal number in [min, max]. */
static bool number(const char *v, long long min, long long max, long long *out)
{
	char *end = NULL;
	if (!v || !*v)
		return false;
	long long n = g_ascii_strtoll(v, &end, 10);
	if (*end || n < min || n > max)
		return false;
	*out = n;
	return true;
}

enum pkt_config_result pkt_config_apply(struct pkt_config *c, const char *name, const char *value,
                                        char **why)
{
	long long n;
	if (strcmp(name, "tolerance_usecs") == 0) {
		if (!number(value, 1, INT32_MAX, &n))
			goto bad;
		c->tolerance = (sim_time)n * SIM_US;
	} else if (strcmp(name, "tolerance_percent") == 0) {
		char *end = NULL;
		double p = value ? g_ascii_strtod(value, &end) : -1;
		if (!value || *end || p < 0 || p > 100)
			goto bad;
		c->tolerance_percent = p;
	} else if (strcmp(name, "tcp_ts_tick_usecs") == 0) {
		if (!number(value, 0, 1000000, &n))
			goto bad;
		c->ts_tick_us = (uint32_t)n;
	} else if (strcmp(name, "mss") == 0) {
		if (!number(value, 1, 65535, &n))
			goto bad;
		c->mss = (uint32_t)n;
	} else if (strcmp(name, "mtu") == 0) {
		if (!number(value, 68, 65535, &n)) /* RFC 791: every host takes 68 */
			goto bad;
		c->mtu = (uint32_t)n;
	} else if (strcmp(name, "bind_port") == 0 || strcmp(name, "connect_port") == 0) {
		if (!number(value, 1, 65535, &n))
			goto bad;
		*(name[0] == 'b' ? &c->bind_port : &c->connect_port) = (uint16_t)n;
	} else if (strcmp(name, "ip_version") == 0) {
		if (!value || (strcmp(value, "ipv4") != 0 && strcmp(value, "ipv6") != 0 &&
		               strcmp(value, "ipv4-mapped-ipv6") != 0))
			goto bad;
		if (strcmp(value, "ipv4") != 0) {
			*why = g_strdup_printf("option --ip_version=%s (the model is IPv4 only)", value);
			return PKT_CONFIG_UNSUPPORTED;
		}
	} else {
		*why = g_strdup_printf("option --%s", name);
		return PKT_CONFIG_UNSUPPORTED;
	}
	return PKT_CONFIG_OK;
bad: /* packetdrill's process_option(): "bad --mss: 0" */
	*why = g_strdup_printf("bad --%s: %s", name, value ? value : "(no value)");
	return PKT_CONFIG_BAD;
}

sim_time pkt_config_tolerance(const struct pkt_config *c, sim_time since_prev)
{
	sim_time dynamic = (sim_time)(c->tolerance_percent / 100.0 * (double)since_prev);
	return dynamic > c->tolerance ? dynamic : c->tolerance;
}
