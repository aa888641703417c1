/*
 * The seeds' programs, end to end: every config of configs/seeds/ run by
 * the built ./tcpsim with --json, the programs' strace lines read from the
 * summary (endpoints.ROLE.calls[i].line, at calls[i].t) and compared line
 * by line, both roles, with their times in simulated time; the capture
 * decoded by tshark and compared packet by packet: time, direction, flags
 * and payload length, in order.
 *
 * The list of seeds is explicit, and the folder must hold no other
 * config: a new seed cannot go untested.
 *
 * A packet is written "TIME DIR FLAGS[ LEN]": DIR is C (from the client's
 * address) or S, FLAGS as tshark's bits in the order S F R P U A ("SA" a
 * SYN-ACK, "FA" a FIN with its ACK), LEN the payload when there is one;
 * an ARP request is "TIME ARP".  A TIME of "*" is not compared: the
 * delayed ACK of a FIN on a connection that carried no data, whose timer
 * (Linux's icsk_ack.ato before any data) these tests do not pin.  A last
 * line "..." leaves the packets after it out (see 004_eintr).
 */
#include <string.h>
#include <glib.h>
#include "tests/e2e.h"

struct seed {
	const char *name;       /* configs/seeds/NAME.ini */
	const char *client_addr;
	const char *client;     /* the client's lines, "TIME LINE\n" each */
	const char *server;     /* the server's */
	const char *packets;    /* the capture, "TIME DIR FLAGS[ LEN]\n" each */
};

static const struct seed seeds[] = {
	/* The echo client types "a", reads the echo and waits in fgets(): it
	 * stays in CLOSE_WAIT.  Captured at the server, as the seed's tcpdump
	 * on lo: 9 packets, the last the client's delayed ACK of the FIN. */
	{"000_echo", "127.0.0.1",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "0.000100000 connect(3, {127.0.0.2:9877}) = 0 <0.000100>\n"
	 "1.000100000 nanosleep({tv_sec=1, tv_nsec=0}, NULL) = 0 <1.000000>\n"
	 "1.000100000 write(3, \"a\\n\", 2) = 2\n"
	 "1.000200000 read(3, \"a\\n\", 256) = 2 <0.000100>\n",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "0.000000000 bind(3, {0.0.0.0:9877}) = 0\n"
	 "0.000000000 listen(3, 256) = 0\n"
	 "0.000150000 accept(3, {127.0.0.1:59920}) = 4 <0.000150>\n"
	 "1.000150000 read(4, \"a\\n\", 256) = 2 <1.000000>\n"
	 "1.000150000 write(4, \"a\\n\", 2) = 2\n"
	 "1.000150000 close(4) = 0\n",
	 "0.000050000 C S\n"
	 "0.000050000 S SA\n"
	 "0.000150000 C A\n"
	 "1.000150000 C PA 2\n"
	 "1.000150000 S A\n"
	 "1.000150000 S PA 2\n"
	 "1.000150000 S FA\n"
	 "1.000250000 C A\n"
	 "1.040250000 C A\n"},

	/* 10 packets: "hello\n" and its ACK, the echo and its ACK, then a
	 * three-way close (the server reads end of file and closes at once). */
	{"003_echo", "192.168.78.128",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "0.002000000 connect(3, {192.168.78.130:2333}) = 0 <0.002000>\n"
	 "2.002000000 nanosleep({tv_sec=2, tv_nsec=0}, NULL) = 0 <2.000000>\n"
	 "2.002000000 write(3, \"hello\\n\", 6) = 6\n"
	 "2.004000000 read(3, \"hello\\n\", 1023) = 6 <0.002000>\n"
	 "5.004000000 nanosleep({tv_sec=3, tv_nsec=0}, NULL) = 0 <3.000000>\n"
	 "5.004000000 close(3) = 0\n",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "0.000000000 bind(3, {0.0.0.0:2333}) = 0\n"
	 "0.000000000 listen(3, 5) = 0\n"
	 "0.003000000 accept(3, {192.168.78.128:53371}) = 4 <0.003000>\n"
	 "2.003000000 read(4, \"hello\\n\", 1024) = 6 <2.000000>\n"
	 "2.003000000 write(4, \"hello\\n\", 6) = 6\n"
	 "5.005000000 read(4, \"\", 1024) = 0 <3.002000>\n"
	 "5.005000000 close(4) = 0\n",
	 "0.000000000 C S\n"
	 "0.002000000 S SA\n"
	 "0.002000000 C A\n"
	 "2.002000000 C PA 6\n"
	 "2.004000000 S A\n"
	 "2.004000000 S PA 6\n"
	 "2.004000000 C A\n"
	 "5.004000000 C FA\n"
	 "5.006000000 S FA\n"
	 "5.006000000 C A\n"},

	/* A reset answers the SYN: ECONNREFUSED after one round trip. */
	{"004_connect_refused", "192.168.0.4",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "0.000400000 connect(3, {192.168.0.5:20000}) = -1 ECONNREFUSED (Connection refused) <0.000400>\n"
	 "0.000400000 write(1, \"can not connect to 192.168.0.5, \"..., 38) = 38\n"
	 "0.000400000 exit_group(1) = ?\n"
	 "0.000400000 +++ exited with 1 +++\n",
	 "",
	 "0.000000000 C S\n"
	 "0.000400000 S RA\n"},

	/* SYNs into a black hole at 0 1 2 3 4 5 s (tcp_syn_linear_timeouts),
	 * then 7 11 19 35 67 s; ETIMEDOUT at 131 s. */
	{"004_connect_timeout", "192.168.0.4",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "131.000000000 connect(3, {88.88.88.88:20000}) = -1 ETIMEDOUT (Connection timed out) <131.000000>\n"
	 "131.000000000 write(1, \"can not connect to 88.88.88.88, \"..., 38) = 38\n"
	 "131.000000000 exit_group(1) = ?\n"
	 "131.000000000 +++ exited with 1 +++\n",
	 "",
	 "0.000000000 C S\n"
	 "1.000000000 C S\n"
	 "2.000000000 C S\n"
	 "3.000000000 C S\n"
	 "4.000000000 C S\n"
	 "5.000000000 C S\n"
	 "7.000000000 C S\n"
	 "11.000000000 C S\n"
	 "19.000000000 C S\n"
	 "35.000000000 C S\n"
	 "67.000000000 C S\n"},

	/* connect() interrupted at 1 s (no SA_RESTART): EINTR, the handshake
	 * goes on (the SYN's retransmission at 1 s), select() sees it done at
	 * 1.2 s.  The packets after the client's FIN are left out: Linux
	 * takes an RTT sample from the SYN-ACK's timestamp echo although the
	 * SYN was retransmitted (tcp_ack_update_rtt()), so its RTO is 3.6 s
	 * and it retransmits no FIN; tcpsim's model takes none (Karn) and
	 * retransmits the FIN at 2.2 s. */
	{"004_eintr", "10.0.0.1",
	 "0.000000000 rt_sigaction(SIGALRM, {sa_handler=handler, sa_flags=0}, NULL, 8) = 0\n"
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "0.000000000 alarm(1) = 0\n"
	 "1.000000000 --- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---\n"
	 "1.000000000 connect(3, {10.0.0.2:20000}) = -1 EINTR (Interrupted system call) <1.000000>\n"
	 "1.200000000 select(4, NULL, [3], NULL, {tv_sec=5, tv_usec=0}) = 1 (out [3], left {tv_sec=4, tv_usec=800000}) <0.200000>\n"
	 "1.200000000 getsockopt(3, SOL_SOCKET, SO_ERROR, [0]) = 0\n"
	 "1.200000000 close(3) = 0\n",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "0.000000000 bind(3, {0.0.0.0:20000}) = 0\n"
	 "0.000000000 listen(3, 128) = 0\n"
	 "1.800000000 accept(3, {10.0.0.1:52756}) = 4 <1.800000>\n"
	 "1.800000000 recv(4, \"\", 65536, 0) = 0\n"
	 "1.800000000 close(4) = 0\n",
	 "0.000000000 C S\n"
	 "1.000000000 C S\n"
	 "1.200000000 S SA\n"
	 "1.200000000 C A\n"
	 "1.200000000 C FA\n"
	 "...\n"},

	/* ARP asks for 192.168.0.188 at 0, 1 and 2 s; nobody answers, the
	 * neighbour fails at 3 s: EHOSTUNREACH, and not one TCP segment. */
	{"004_no_route", "192.168.0.4",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "3.000000000 connect(3, {192.168.0.188:20000}) = -1 EHOSTUNREACH (No route to host) <3.000000>\n"
	 "3.000000000 write(1, \"can not connect to 192.168.0.188\"..., 40) = 40\n"
	 "3.000000000 exit_group(1) = ?\n"
	 "3.000000000 +++ exited with 1 +++\n",
	 "",
	 "0.000000000 ARP\n"
	 "1.000000000 ARP\n"
	 "2.000000000 ARP\n"},

	/* Non-blocking connect to a listener: writable only after one round
	 * trip, SO_ERROR 0; the close's FIN, acknowledged by the connection
	 * the server never accepts. */
	{"004_nonblocking_listening", "192.168.0.4",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "0.000000000 fcntl(3, F_GETFL) = 0x2 (flags O_RDWR)\n"
	 "0.000000000 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
	 "0.000000000 connect(3, {58.31.231.255:9999}) = -1 EINPROGRESS (Operation now in progress)\n"
	 "0.040000000 select(4, [3], [3], NULL, {tv_sec=0, tv_usec=300000}) = 1 (out [3], left {tv_sec=0, tv_usec=260000}) <0.040000>\n"
	 "0.040000000 getsockopt(3, SOL_SOCKET, SO_ERROR, [0]) = 0\n"
	 "0.040000000 close(3) = 0\n"
	 "0.040000000 exit_group(0) = ?\n"
	 "0.040000000 +++ exited with 0 +++\n",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "0.000000000 bind(3, {0.0.0.0:9999}) = 0\n"
	 "0.000000000 listen(3, 128) = 0\n",
	 "0.000000000 C S\n"
	 "0.040000000 S SA\n"
	 "0.040000000 C A\n"
	 "0.040000000 C FA\n"
	 "* S A\n"},

	/* Non-blocking connect refused: readable and writable (tcp_poll() of
	 * a socket tcp_done() shut both ways), SO_ERROR ECONNREFUSED. */
	{"004_nonblocking_refused", "192.168.0.4",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "0.000000000 fcntl(3, F_GETFL) = 0x2 (flags O_RDWR)\n"
	 "0.000000000 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
	 "0.000000000 connect(3, {58.31.231.255:9999}) = -1 EINPROGRESS (Operation now in progress)\n"
	 "0.040000000 select(4, [3], [3], NULL, {tv_sec=0, tv_usec=300000}) = 2 (in [3], out [3], left {tv_sec=0, tv_usec=260000}) <0.040000>\n"
	 "0.040000000 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED]) = 0\n"
	 "0.040000000 close(3) = 0\n"
	 "0.040000000 exit_group(1) = ?\n"
	 "0.040000000 +++ exited with 1 +++\n",
	 "",
	 "0.000000000 C S\n"
	 "0.040000000 S RA\n"},

	/* Non-blocking connect into a black hole: select() times out after
	 * 300 ms; the close() forgets the SYN (no retransmission at 1 s). */
	{"004_nonblocking_unreachable", "192.168.0.4",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "0.000000000 fcntl(3, F_GETFL) = 0x2 (flags O_RDWR)\n"
	 "0.000000000 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
	 "0.000000000 connect(3, {58.31.231.255:9999}) = -1 EINPROGRESS (Operation now in progress)\n"
	 "0.300000000 select(4, [3], [3], NULL, {tv_sec=0, tv_usec=300000}) = 0 (Timeout) <0.300000>\n"
	 "0.300000000 write(1, \"time out connect error\", 22) = 22\n"
	 "0.300000000 close(3) = 0\n"
	 "0.300000000 exit_group(255) = ?\n"
	 "0.300000000 +++ exited with 255 +++\n",
	 "",
	 "0.000000000 C S\n"},

	/* The server resets; read() says ECONNRESET, the write after it EPIPE
	 * with SIGPIPE, whose default action kills the client. */
	{"004_sigpipe", "10.0.0.1",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "0.010000000 connect(3, {10.0.0.2:7777}) = 0 <0.010000>\n"
	 "1.010000000 nanosleep({tv_sec=1, tv_nsec=0}, NULL) = 0 <1.000000>\n"
	 "1.010000000 read(3, \"\", 100) = -1 ECONNRESET (Connection reset by peer)\n"
	 "1.010000000 write(3, \"x\", 1) = -1 EPIPE (Broken pipe)\n"
	 "1.010000000 --- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER} ---\n"
	 "1.010000000 +++ killed by SIGPIPE +++\n",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "0.000000000 bind(3, {0.0.0.0:7777}) = 0\n"
	 "0.000000000 listen(3, 5) = 0\n"
	 "0.015000000 accept(3, {10.0.0.1:52756}) = 4 <0.015000>\n"
	 "0.015000000 setsockopt(4, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}) = 0\n"
	 "0.015000000 close(4) = 0\n",
	 "0.000000000 C S\n"
	 "0.010000000 S SA\n"
	 "0.010000000 C A\n"
	 "0.020000000 S RA\n"},

	/* SO_SNDTIMEO bounds a blocking connect: EINPROGRESS at 3 s, after the
	 * SYNs of 0, 1 and 2 s; the exit forgets the connection. */
	{"004_sndtimeo", "192.168.0.4",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "0.000000000 setsockopt(3, SOL_SOCKET, SO_SNDTIMEO, {tv_sec=3, tv_usec=0}) = 0\n"
	 "3.000000000 connect(3, {88.88.88.88:80}) = -1 EINPROGRESS (Operation now in progress) <3.000000>\n"
	 "3.000000000 write(2, \"timeout\\n\", 8) = 8\n"
	 "3.000000000 exit_group(255) = ?\n"
	 "3.000000000 +++ exited with 255 +++\n",
	 "",
	 "0.000000000 C S\n"
	 "1.000000000 C S\n"
	 "2.000000000 C S\n"},

	/* The peer closed during the sleep: readable (end of file) and
	 * writable, SO_ERROR 0, errno still EINPROGRESS, read() 0. */
	{"004_unplug", "192.168.0.4",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "0.000000000 fcntl(3, F_GETFL) = 0x2 (flags O_RDWR)\n"
	 "0.000000000 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
	 "0.000000000 connect(3, {192.168.0.9:8000}) = -1 EINPROGRESS (Operation now in progress)\n"
	 "2.000000000 nanosleep({tv_sec=2, tv_nsec=0}, NULL) = 0 <2.000000>\n"
	 "2.000000000 select(4, [3], [3], NULL, {tv_sec=0, tv_usec=300000}) = 2 (in [3], out [3], left {tv_sec=0, tv_usec=300000})\n"
	 "2.000000000 getsockopt(3, SOL_SOCKET, SO_ERROR, [0]) = 0\n"
	 "2.000000000 read(3, \"\", 100) = 0\n"
	 "2.000000000 close(3) = 0\n",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "0.000000000 bind(3, {0.0.0.0:8000}) = 0\n"
	 "0.000000000 listen(3, 5) = 0\n"
	 "0.003000000 accept(3, {192.168.0.4:52756}) = 4 <0.003000>\n"
	 "1.003000000 nanosleep({tv_sec=1, tv_nsec=0}, NULL) = 0 <1.000000>\n"
	 "1.003000000 close(4) = 0\n",
	 "0.000000000 C S\n"
	 "0.002000000 S SA\n"
	 "0.002000000 C A\n"
	 "1.004000000 S FA\n"
	 "* C A\n"
	 "2.000000000 C FA\n"
	 "2.002000000 S A\n"},

	/* 8 packets, as the seed's tcpdump -S showed them: the handshake, the
	 * 255 bytes and their ACK, the server's FIN, the client's FIN with the
	 * ACK of the server's, the last ACK. */
	{"004_welcome", "127.0.0.1",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "0.000020000 connect(3, {127.0.0.2:20000}) = 0 <0.000020>\n"
	 "0.000040000 read(3, \"welcome to our server.timestamp \"..., 255) = 255 <0.000020>\n"
	 "0.000040000 read(3, \"\", 255) = 0\n"
	 "0.000040000 close(3) = 0\n",
	 "0.000000000 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	 "0.000000000 bind(3, {0.0.0.0:20000}) = 0\n"
	 "0.000000000 listen(3, 10) = 0\n"
	 "0.000030000 accept(3, {127.0.0.1:52756}) = 4 <0.000030>\n"
	 "0.000030000 send(4, \"welcome to our server.timestamp \"..., 255, 0) = 255\n"
	 "0.000030000 close(4) = 0\n"
	 "0.000030000 close(3) = 0\n"
	 "0.000030000 exit_group(0) = ?\n"
	 "0.000030000 +++ exited with 0 +++\n",
	 "0.000000000 C S\n"
	 "0.000020000 S SA\n"
	 "0.000020000 C A\n"
	 "0.000040000 S PA 255\n"
	 "0.000040000 C A\n"
	 "0.000040000 S FA\n"
	 "0.000040000 C FA\n"
	 "0.000060000 S A\n"},
};

/* The folder holds these configs and no other. */
static void test_all_listed(void)
{
	GError *error = NULL;
	GDir *dir = g_dir_open("configs/seeds", 0, &error);
	g_assert_no_error(error);
	GString *unlisted = g_string_new(NULL);
	guint n = 0;
	const char *name;
	while ((name = g_dir_read_name(dir)) != NULL) {
		gboolean listed = FALSE;
		for (size_t k = 0; k < G_N_ELEMENTS(seeds); k++) {
			char *file = g_strconcat(seeds[k].name, ".ini", NULL);
			listed |= strcmp(file, name) == 0;
			g_free(file);
		}
		n++;
		if (!listed)
			g_string_append_printf(unlisted, "%s ", name);
	}
	g_dir_close(dir);
	g_test_message("files of configs/seeds/ that test_seeds.c does not run");
	g_assert_cmpstr(unlisted->str, ==, "");
	g_assert_cmpuint(n, ==, G_N_ELEMENTS(seeds)); /* and every one listed is there */
	g_string_free(unlisted, TRUE);
}

/* The role's calls, "TIME LINE\n" each, from the JSON summary. */
static char *calls_text(const struct e2e *s, const char *who)
{
	char *path = g_strdup_printf("endpoints.%s.calls", who);
	const struct scn_json *calls = scn_json_get(s->json, path);
	GString *got = g_string_new(NULL);
	g_assert_nonnull(calls);
	g_assert_cmpuint(e2e_ep_uint(s, who, "calls_dropped"), ==, 0);
	for (guint i = 0; i < scn_json_len(calls); i++) {
		const struct scn_json *c = scn_json_at(calls, i);
		const char *line = scn_json_str(c, "line");
		g_assert_nonnull(line);
		e2e_append_time(got, scn_json_ns(c, "t"));
		g_string_append_printf(got, " %s\n", line);
	}
	g_free(path);
	return g_string_free(got, FALSE);
}

/* The capture as "TIME DIR FLAGS[ LEN]\n" lines; a wanted time of "*"
 * takes the packet's own, and a wanted "...\n" ends the list there. */
static char *packets_text(const GArray *pkts, const char *want)
{
	char **w = g_strsplit(want, "\n", -1);
	GString *got = g_string_new(NULL);
	for (guint i = 0; i < pkts->len; i++) {
		const struct e2e_pkt *k = PKT(pkts, i);
		const char *wi = i < g_strv_length(w) ? w[i] : "";
		if (strcmp(wi, "...") == 0) {
			g_string_append(got, "...\n");
			break;
		}
		if (wi[0] == '*')
			g_string_append_c(got, '*');
		else
			e2e_append_time(got, k->t);
		if (k->arp)
			g_string_append(got, " ARP");
		else
			g_string_append_printf(got, " %c %s", k->dir, k->fl);
		if (k->len)
			g_string_append_printf(got, " %u", k->len);
		g_string_append_c(got, '\n');
	}
	g_strfreev(w);
	return g_string_free(got, FALSE);
}

static void test_seed(gconstpointer data)
{
	const struct seed *sd = data;
	char *config = g_strdup_printf("configs/seeds/%s.ini", sd->name);
	struct e2e s;
	e2e_run_capture(&s, config, NULL, sd->client_addr);
	char *client = calls_text(&s, "client");
	char *server = calls_text(&s, "server");
	char *packets = packets_text(s.pkts, sd->packets);
	g_test_message("%s: client calls", sd->name);
	g_assert_cmpstr(client, ==, sd->client);
	g_test_message("%s: server calls", sd->name);
	g_assert_cmpstr(server, ==, sd->server);
	g_test_message("%s: packets", sd->name);
	g_assert_cmpstr(packets, ==, sd->packets);
	g_free(client);
	g_free(server);
	g_free(packets);
	e2e_clear(&s);
	g_free(config);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/seeds/all-listed", test_all_listed);
	for (size_t i = 0; i < G_N_ELEMENTS(seeds); i++) {
		char *path = g_strconcat("/seeds/", seeds[i].name, NULL);
		g_test_add_data_func(path, &seeds[i], test_seed);
		g_free(path);
	}
	return g_test_run();
}
