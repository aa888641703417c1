/*
 * The bsd profile against FreeBSD's own test suite (freebsd-net/
 * tcp-testsuite): the sysctls each of its scripts sets first, the SYN
 * options in FreeBSD's order (tcp_addoptions()), and the receive buffer
 * that tcp_mss() rounds to whole segments, as SO_RCVBUF shows it.
 */
#include <glib.h>
#include <string.h>
#include "models/segment.h"
#include "sim/pkt/pkt.h"
#include "sim/pkt/pkt_run.h"

static const char *const bsd_names[] = {"FreeBSD", "freebsd", NULL};
static const char *const linux_names[] = {"linux", "Linux", NULL};

static void assert_outcome(const char *text, const char *profile, enum pkt_verdict v, const char *message)
{
	struct pkt_script s;
	struct pkt_options o = {.profile = profile};
	struct pkt_outcome out;
	GError *error = NULL;
	bool bsd = profile && strcmp(profile, "bsd") == 0;

	if (!pkt_parse("t.pkt", text, strlen(text), bsd ? bsd_names : linux_names, &s, &error))
		g_error("t.pkt does not parse: %s", error->message);
	g_assert_true(pkt_run(&s, &o, &out, &error));
	g_assert_no_error(error);
	pkt_script_clear(&s);
	if (out.verdict != v || g_strcmp0(out.message, message) != 0)
		g_error("verdict %d, message: %s", out.verdict, out.message ? out.message : "(none)");
	pkt_outcome_clear(&out);
}

/* --- the option layout --- */

static void assert_kinds(uint8_t present, const uint8_t *want, uint32_t n, uint32_t len)
{
	struct tcp_opts o = {.present = present, .layout = TCP_OPT_LAYOUT_BSD};
	uint8_t kinds[16];
	g_assert_cmpuint(tcp_opts_bsd(&o, kinds), ==, n);
	g_assert_cmpmem(kinds, n, want, n);
	g_assert_cmpuint(tcp_opts_len(&o), ==, len);
}

/* tcp_addoptions(): NOPs before the window scale up to an odd offset,
 * before SACK-permitted up to an even one, before the timestamps up to
 * 2 mod 4; EOL and zeros to a multiple of 4. */
static void test_layout(void)
{
	const uint8_t all[] = {2, 1, 3, 4, 8}; /* mss,nop,wscale,sackOK,TS: 20 bytes */
	assert_kinds(TCP_OPT_MSS | TCP_OPT_WSCALE | TCP_OPT_SACK_PERM | TCP_OPT_TS, all, 5, 20);
	const uint8_t no_sack[] = {2, 1, 3, 1, 1, 8}; /* mss,nop,wscale,nop,nop,TS */
	assert_kinds(TCP_OPT_MSS | TCP_OPT_WSCALE | TCP_OPT_TS, no_sack, 6, 20);
	const uint8_t no_ts[] = {2, 1, 3, 4, 0, 0}; /* mss,nop,wscale,sackOK,eol,eol */
	assert_kinds(TCP_OPT_MSS | TCP_OPT_WSCALE | TCP_OPT_SACK_PERM, no_ts, 6, 12);
	const uint8_t mss_sack[] = {2, 4, 0, 0}; /* mss,sackOK,eol,eol */
	assert_kinds(TCP_OPT_MSS | TCP_OPT_SACK_PERM, mss_sack, 4, 8);
	const uint8_t mss_sack_ts[] = {2, 4, 8}; /* mss,sackOK,TS */
	assert_kinds(TCP_OPT_MSS | TCP_OPT_SACK_PERM | TCP_OPT_TS, mss_sack_ts, 3, 16);
	const uint8_t ts[] = {1, 1, 8}; /* any later segment: nop,nop,TS */
	assert_kinds(TCP_OPT_TS, ts, 3, 12);
	assert_kinds(0, NULL, 0, 0);
}

/* --- the suite's sysctls --- */

#define SUITE_DEFAULTS \
	" 0.00 `sysctl -w net.inet.tcp.rfc1323=1`\n" \
	"+0.00 `sysctl -w net.inet.tcp.blackhole=0`\n" \
	"+0.00 `sysctl -w net.inet.tcp.sack.enable=1`\n" \
	"+0.00 `sysctl -w net.inet.tcp.ecn.enable=2`\n" \
	"+0.00 `sysctl -w net.inet.tcp.rexmit_initial=1000`\n" \
	"+0.00 `sysctl -w net.inet.tcp.rexmit_slop=200`\n" \
	"+0.00 `sysctl -w net.inet.tcp.rexmit_drop_options=0`\n" \
	"+0.00 `sysctl -w kern.ipc.maxsockbuf=2097152`\n" \
	"+0.00 `sysctl -w net.inet.tcp.recvspace=65536`\n" \
	"+0.00 `sysctl -w net.inet.tcp.sendspace=32768`\n" \
	"+0.00 `sysctl -w net.inet.tcp.hostcache.purgenow=1`\n" \
	"+0.00 `sysctl -w net.inet.tcp.insecure_rst=0`\n" \
	"+0.00 `sysctl -w net.inet.tcp.insecure_syn=0`\n"

#define CONNECT \
	"+0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" \
	"+0.00 fcntl(3, F_SETFL, O_RDWR | O_NONBLOCK) = 0\n" \
	"+0.00 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [65536], [4]) = 0\n" \
	"+0.00 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"

/* FreeBSD's defaults, as every script of the suite restates them, are
 * the bsd profile's: the SYN in FreeBSD's order, 65536 bytes of receive
 * buffer that become 65700 (45 segments of 1460) once the SYN-ACK tells
 * the MSS. */
static void test_suite_defaults(void)
{
	assert_outcome(SUITE_DEFAULTS CONNECT
	               "+0.00 > S 0:0(0) win 65535 <mss 1460,nop,wscale 6,sackOK,TS val 100 ecr 0>\n"
	               "+0.10 < S. 0:0(0) ack 1 win 32767 <mss 1460>\n"
	               "+0.00 > . 1:1(0) ack 1 win 65535\n"
	               "+0.00 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [65700], [4]) = 0\n",
	               "bsd", PKT_PASS, NULL);
}

/* net.inet.tcp.rfc1323: 0 neither option, 2 window scaling only, 3
 * timestamps only; sack.enable=0 drops SACK-permitted. */
static void test_rfc1323(void)
{
	assert_outcome("0 `sysctl -w net.inet.tcp.rfc1323=0`\n" CONNECT
	               "+0 > S 0:0(0) win 65535 <mss 1460,sackOK,eol,eol>\n", "bsd", PKT_PASS, NULL);
	assert_outcome("0 `sysctl -w net.inet.tcp.rfc1323=2`\n" CONNECT
	               "+0 > S 0:0(0) win 65535 <mss 1460,nop,wscale 6,sackOK,eol,eol>\n", "bsd", PKT_PASS, NULL);
	assert_outcome("0 `sysctl -w net.inet.tcp.rfc1323=3`\n" CONNECT
	               "+0 > S 0:0(0) win 65535 <mss 1460,sackOK,TS val 1 ecr 0>\n", "bsd", PKT_PASS, NULL);
	assert_outcome("0 `sysctl -w net.inet.tcp.sack.enable=0`\n" CONNECT
	               "+0 > S 0:0(0) win 65535 <mss 1460,nop,wscale 6,nop,nop,TS val 1 ecr 0>\n", "bsd", PKT_PASS,
	               NULL);
	assert_outcome("0 `sysctl -w net.inet.tcp.rfc1323=4`\n" CONNECT, "bsd", PKT_UNSUPPORTED,
	               "t.pkt:1: unsupported: shell command `sysctl -w net.inet.tcp.rfc1323=4`: "
	               "net.inet.tcp.rfc1323=4: FreeBSD takes 0 (neither option), 1 (window scaling and "
	               "timestamps), 2 (window scaling) or 3 (timestamps)");
}

/* kern.ipc.maxsockbuf sets the shift a SYN asks for: the least that lets
 * a window reach it (73728 bytes: 1; FreeBSD's suite, snd-syn-with-min-ws). */
static void test_maxsockbuf(void)
{
	assert_outcome("0 `sysctl -w kern.ipc.maxsockbuf=73728`\n" CONNECT
	               "+0 > S 0:0(0) win 65535 <mss 1460,nop,wscale 1,sackOK,TS val 1 ecr 0>\n", "bsd", PKT_PASS,
	               NULL);
	assert_outcome("0 `sysctl -w kern.ipc.maxsockbuf=1000`\n" CONNECT, "bsd", PKT_UNSUPPORTED,
	               "t.pkt:1: unsupported: shell command `sysctl -w kern.ipc.maxsockbuf=1000`: "
	               "kern.ipc.maxsockbuf=1000: below 65536 bytes, the default buffer FreeBSD could not "
	               "reserve");
}

/* rexmit_initial is the SYN's first RTO (tcp_timer_rexmt()). */
static void test_rexmit_initial(void)
{
	assert_outcome("0 `sysctl -w net.inet.tcp.rexmit_initial=3000`\n" CONNECT
	               "+0 > S 0:0(0) win 65535 <...>\n"
	               "+3 > S 0:0(0) win 65535 <...>\n", "bsd", PKT_PASS, NULL);
}

/* What the model does not do is refused by name: a blackhole (no reset
 * to a closed port, blackhole=1), and FreeBSD's defaults under another
 * profile. */
static void test_refused(void)
{
	assert_outcome("0 `sysctl -w net.inet.tcp.blackhole=1`\n" CONNECT, "bsd", PKT_UNSUPPORTED,
	               "t.pkt:1: unsupported: shell command `sysctl -w net.inet.tcp.blackhole=1`: "
	               "net.inet.tcp.blackhole=1: not a value the model follows (no such setting); it "
	               "follows 0 (a segment to a closed port is answered with a reset, as the model "
	               "answers it)");
	assert_outcome("0 `sysctl -w net.inet.tcp.rexmit_slop=200`\n" CONNECT, NULL, PKT_UNSUPPORTED,
	               "t.pkt:1: unsupported: shell command `sysctl -w net.inet.tcp.rexmit_slop=200`: "
	               "net.inet.tcp.rexmit_slop=200: not a value the model follows (no such setting); it "
	               "follows 200 (FreeBSD's default (TCPTV_CPU_VAR) added to each RTO (TCPT_RANGESET()); "
	               "the model's RTO has no slop, under the bsd profile)");
}

/* A sysctl the script's last lines set back to the value it stated at its
 * start (after every packet and call) is taken: nothing is left to see
 * it.  One while the script runs changes the host's defaults at its time
 * (FreeBSD's V_tcp_* globals): a socket made afterwards takes them (its
 * SYN offers no SACK, its buffer is the new recvspace), one made before
 * keeps the buffer it was given (soreserve() at socket()).  A value out
 * of the setting's range fails as sysctl(8) does, with status 1. */
static void test_trailing_sysctl(void)
{
	assert_outcome("0 `sysctl -w net.inet.tcp.sack.enable=1`\n"
	               "+0 `sysctl -w net.inet.tcp.sack.enable=0`\n" CONNECT
	               "+0 > S 0:0(0) win 65535 <mss 1460,nop,wscale 6,nop,nop,TS val 1 ecr 0>\n"
	               "+0 close(3) = 0\n"
	               "+0 `sysctl -w net.inet.tcp.sack.enable=1`\n", "bsd", PKT_PASS, NULL);
	assert_outcome("0 `sysctl -w net.inet.tcp.sack.enable=0`\n" CONNECT
	               "+0 > S 0:0(0) win 65535 <...>\n"
	               "+0 close(3) = 0\n"
	               "+0 `sysctl -w net.inet.tcp.sack.enable=1`\n", "bsd", PKT_PASS, NULL);
	assert_outcome("0 `sysctl -w net.inet.tcp.sack.enable=1`\n"
	               "+0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 4\n"
	               "+0 getsockopt(4, SOL_SOCKET, SO_RCVBUF, [65536], [4]) = 0\n"
	               "+0 `sysctl -w net.inet.tcp.sack.enable=0 net.inet.tcp.recvspace=32768`\n"
	               "+0 getsockopt(4, SOL_SOCKET, SO_RCVBUF, [65536], [4]) = 0\n"
	               "+0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	               "+0 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [32768], [4]) = 0\n"
	               "+0.00 fcntl(3, F_SETFL, O_RDWR | O_NONBLOCK) = 0\n"
	               "+0.00 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
	               "+0 > S 0:0(0) win 32768 <mss 1460,nop,wscale 6,nop,nop,TS val 1 ecr 0>\n",
	               "bsd", PKT_PASS, NULL);
	assert_outcome(CONNECT "+0 `sysctl -w net.inet.tcp.keepinit=99999999999999`\n"
	               "+0 > S 0:0(0) win 65535 <...>\n", "bsd", PKT_FAIL,
	               "t.pkt:5: error executing `sysctl -w net.inet.tcp.keepinit=99999999999999` command: "
	               "non-zero status 1");
}

/* FreeBSD's packetdrill writes a segment carried in UDP (RFC 6951) as
 * /udp(SRC > DST) after it: read, and refused by name. */
static void test_udp_encapsulation(void)
{
	assert_outcome(CONNECT "+0 > S 0:0(0) win 65535 <...>\n"
	               "+.1 < S. 0:0(0) ack 1 win 32767 <mss 1460>/udp(1 > 9811)\n", "bsd", PKT_UNSUPPORTED,
	               "t.pkt:6: unsupported: TCP over UDP (/udp(...), RFC 6951)");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pkt-bsd/options/layout", test_layout);
	g_test_add_func("/pkt-bsd/sysctl/suite-defaults", test_suite_defaults);
	g_test_add_func("/pkt-bsd/sysctl/rfc1323", test_rfc1323);
	g_test_add_func("/pkt-bsd/sysctl/maxsockbuf", test_maxsockbuf);
	g_test_add_func("/pkt-bsd/sysctl/rexmit-initial", test_rexmit_initial);
	g_test_add_func("/pkt-bsd/sysctl/refused", test_refused);
	g_test_add_func("/pkt-bsd/sysctl/trailing", test_trailing_sysctl);
	g_test_add_func("/pkt-bsd/grammar/udp-encapsulation", test_udp_encapsulation);
	return g_test_run();
}
