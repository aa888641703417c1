/*
 * The socket API, call by call: one row per call x TCP state x outcome,
 * each a tiny C program (the client's, maybe the server's) and the lines
 * Linux's strace would print for it, return value and errno, at the
 * simulated time it returns.
 *
 * A row is run in process: its config text (the two programs, the
 * network's delay, maybe [faults] or [tcp] keys) goes to a temporary
 * file, config_load() reads it and run_simulation() runs it with the
 * tcpdump-style trace (--trace) into memory: the calls as the human
 * summary shows them, the packets at the client's interface and the
 * state changes, each line behind its time in simulated time.  The row's
 * `want` lines must appear in that order (other lines may come between):
 *
 *   "0.010000000 client: connect(3, {10.0.0.2:7777}) = 0 <0.010000>"
 *                         an exact line
 *   "0.010000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [R.]*"
 *                         a line matching a pattern (* any text, ? any
 *                         character): for packets, whose numbers vary
 *   "!* IP 10.0.0.1.* Flags [S]*"
 *                         no line after the previous match may match
 *
 * The default network: the client 10.0.0.1, the server 10.0.0.2:7777, 5
 * ms each way (a round trip of 10 ms): a connect() returns at 0.010, the
 * server's accept() at 0.015.  What Linux does comes from the kernel
 * function named in each group's comment (net/ipv4/af_inet.c,
 * net/ipv4/tcp.c, net/core/stream.c, net/core/sock.c, fs/select.c).
 */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "sim/config/config.h"
#include "sim/run.h"
#include "sim/world/app.h"
#include "tests/scenario_util.h"

#define MAX_WANT 24

struct row {
	const char *name;
	const char *client;     /* the client's program, one statement a line */
	const char *server;     /* the server's ("": no program, a port without listener) */
	const char *network;    /* [network] keys; default "delay = 5ms" */
	const char *extra;      /* more sections ([faults], [client.tcp], ...) */
	const char *client_addr; /* default 10.0.0.1 */
	const char *server_addr; /* default 10.0.0.2:7777 */
	const char *duration;   /* default 300s */
	const char *want[MAX_WANT];
};

/* ---- programs' common beginnings ---- */

#define SOCKET "fd = socket(AF_INET, SOCK_STREAM, 0)\n"
#define NONBLOCK SOCKET "fcntl(fd, F_SETFL, O_NONBLOCK)\n"
#define CONNECT SOCKET "connect(fd, 10.0.0.2:7777)\n"
/* A server that accepts one connection: s is 3, c is 4. */
#define LISTEN "s = socket(AF_INET, SOCK_STREAM, 0)\nbind(s, *:7777)\nlisten(s, 5)\n"
#define ACCEPT LISTEN "c = accept(s, NULL, NULL)\n"
/* A server that resets the connection it accepted (close with SO_LINGER {1, 0}). */
#define RESETS ACCEPT "setsockopt(c, SOL_SOCKET, SO_LINGER, {1, 0})\nclose(c)\n"

#define T0 "0.000000000 client: "
#define T10 "0.010000000 client: "
#define CONNECTED T10 "connect(3, {10.0.0.2:7777}) = 0 <0.010000>"
#define S15 "0.015000000 server: "

static const struct row rows[] = {
	/* ---- socket(): __sock_create(), inet_create() ---- */
	{"socket/lowest-fd",
	 .client = "a = socket(AF_INET, SOCK_STREAM, 0)\nb = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)",
	 .want = {T0 "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3",
		  T0 "socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_IP) = 4"}},
	{"socket/eafnosupport",
	 .client = "domain = 10\nsocket(domain, SOCK_STREAM, 0)", /* AF_INET6: the host has IPv4 only */
	 .want = {T0 "socket(AF_INET6, SOCK_STREAM, IPPROTO_IP) = -1 EAFNOSUPPORT (Address family not supported by protocol)"}},
	{"socket/emfile",
	 .client = "repeat 1021 { socket(AF_INET, SOCK_STREAM, 0) }\nsocket(AF_INET, SOCK_STREAM, 0)",
	 .want = {T0 "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 1023",
		  T0 "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = -1 EMFILE (Too many open files)"}},

	/* ---- bind(): __inet_bind(), inet_csk_get_port(), inet_bind_conflict() ---- */
	{"bind/any",
	 .client = SOCKET "bind(fd, *:5000)\ngetsockname(fd)",
	 .want = {T0 "bind(3, {0.0.0.0:5000}) = 0", T0 "getsockname(3, {0.0.0.0:5000}) = 0"}},
	{"bind/eaddrinuse-listener",
	 .client = "sleep(1)",
	 .server = LISTEN "t = socket(AF_INET, SOCK_STREAM, 0)\nsetsockopt(t, SOL_SOCKET, SO_REUSEADDR, 1)\n"
		   "bind(t, *:7777)",
	 .want = {"0.000000000 server: bind(4, {0.0.0.0:7777}) = -1 EADDRINUSE (Address already in use)"}},
	{"bind/eaddrinuse-bound",      /* bound, not yet listening: a conflict too */
	 .client = "a = socket(AF_INET, SOCK_STREAM, 0)\nbind(a, *:5000)\nb = socket(AF_INET, SOCK_STREAM, 0)\nbind(b, *:5000)",
	 .want = {T0 "bind(4, {0.0.0.0:5000}) = -1 EADDRINUSE (Address already in use)"}},
	{"bind/time-wait",             /* the server closed first: its end waits in TIME_WAIT on 7777 */
	 .client = CONNECT "read(fd, buf, 100)\nclose(fd)",
	 .server = "s = socket(AF_INET, SOCK_STREAM, 0)\nsetsockopt(s, SOL_SOCKET, SO_REUSEADDR, 1)\n"
		   "bind(s, *:7777)\nlisten(s, 5)\nc = accept(s, NULL, NULL)\nclose(c)\nclose(s)\nsleep(1)\n"
		   "t = socket(AF_INET, SOCK_STREAM, 0)\nbind(t, *:7777)\n"
		   "setsockopt(t, SOL_SOCKET, SO_REUSEADDR, 1)\nbind(t, *:7777)",
	 .want = {"0.025000000 server #1 FIN_WAIT_1 -> TIME_WAIT",
		  "1.015000000 server: bind(3, {0.0.0.0:7777}) = -1 EADDRINUSE (Address already in use)",
		  "1.015000000 server: setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1]) = 0",
		  "1.015000000 server: bind(3, {0.0.0.0:7777}) = 0"}},
	{"bind/time-wait-without-reuse", /* Linux: both sockets need SO_REUSEADDR */
	 .client = CONNECT "read(fd, buf, 100)\nclose(fd)",
	 .server = ACCEPT "close(c)\nclose(s)\nsleep(1)\n"
		   "t = socket(AF_INET, SOCK_STREAM, 0)\nsetsockopt(t, SOL_SOCKET, SO_REUSEADDR, 1)\nbind(t, *:7777)",
	 .want = {"1.015000000 server: bind(3, {0.0.0.0:7777}) = -1 EADDRINUSE (Address already in use)"}},
	{"bind/einval-twice",
	 .client = SOCKET "bind(fd, *:5000)\nbind(fd, *:5001)",
	 .want = {T0 "bind(3, {0.0.0.0:5001}) = -1 EINVAL (Invalid argument)"}},
	{"bind/eaddrnotavail",
	 .client = SOCKET "bind(fd, 10.0.0.99:5000)",
	 .want = {T0 "bind(3, {10.0.0.99:5000}) = -1 EADDRNOTAVAIL (Cannot assign requested address)"}},
	{"bind/eaddrnotavail-before-einval", /* the address is checked first */
	 .client = SOCKET "bind(fd, *:5000)\nbind(fd, 10.0.0.99:5000)",
	 .want = {T0 "bind(3, {10.0.0.99:5000}) = -1 EADDRNOTAVAIL (Cannot assign requested address)"}},
	{"bind/after-connect",
	 .client = CONNECT "bind(fd, *:5000)",
	 .server = ACCEPT,
	 .want = {CONNECTED, T10 "bind(3, {0.0.0.0:5000}) = -1 EINVAL (Invalid argument)"}},

	/* ---- listen(): inet_listen() ---- */
	{"listen/autobind",
	 .client = SOCKET "listen(fd, 5)\ngetsockname(fd)",
	 .want = {T0 "listen(3, 5) = 0", T0 "getsockname(3, {0.0.0.0:*}) = 0"}},
	{"listen/connected",
	 .client = CONNECT "listen(fd, 5)",
	 .server = ACCEPT,
	 .want = {CONNECTED, T10 "listen(3, 5) = -1 EINVAL (Invalid argument)"}},
	{"listen/again",
	 .client = SOCKET "listen(fd, 5)\nlisten(fd, 10)",
	 .want = {T0 "listen(3, 10) = 0"}},
	{"listen/after-failed-connect",  /* inet_stream_connect() disconnected it: CLOSE again */
	 .client = CONNECT "listen(fd, 5)",
	 .want = {T10 "connect(3, {10.0.0.2:7777}) = -1 ECONNREFUSED (Connection refused) <0.010000>",
		  T10 "listen(3, 5) = 0"}},

	/* ---- accept(): inet_csk_accept(), inet_accept() ---- */
	{"accept/blocks",
	 .client = CONNECT,
	 .server = ACCEPT,
	 .want = {S15 "accept(3, {10.0.0.1:*}) = 4 <0.015000>"}},
	{"accept/eagain",
	 .client = "sleep(1)",
	 .server = LISTEN "fcntl(s, F_SETFL, O_NONBLOCK)\naccept(s, NULL, NULL)",
	 .want = {"0.000000000 server: accept(3, NULL) = -1 EAGAIN (Resource temporarily unavailable)"}},
	{"accept/nonblock-not-inherited", /* O_NONBLOCK is the file's, not the socket's */
	 .client = CONNECT,
	 .server = LISTEN "fcntl(s, F_SETFL, O_NONBLOCK)\nsleep(1)\nc = accept(s, NULL, NULL)\nfcntl(c, F_GETFL)",
	 .want = {"1.000000000 server: accept(3, {10.0.0.1:*}) = 4",
		  "1.000000000 server: fcntl(4, F_GETFL) = 0x2 (flags O_RDWR)"}},
	{"accept/einval-not-listening",
	 .client = SOCKET "accept(fd, NULL, NULL)",
	 .want = {T0 "accept(3, NULL) = -1 EINVAL (Invalid argument)"}},
	{"accept/accept4-nonblock",
	 .client = CONNECT,
	 .server = LISTEN "c = accept4(s, NULL, NULL, SOCK_NONBLOCK)\nfcntl(c, F_GETFL)",
	 .want = {S15 "accept4(3, {10.0.0.1:*}, SOCK_NONBLOCK) = 4 <0.015000>",
		  S15 "fcntl(4, F_GETFL) = 0x802 (flags O_RDWR|O_NONBLOCK)"}},
	{"accept/reset-in-queue",      /* Linux hands out the reset connection (TCPF_CLOSE) */
	 .client = CONNECT "setsockopt(fd, SOL_SOCKET, SO_LINGER, {1, 0})\nclose(fd)",
	 .server = LISTEN "sleep(1)\nc = accept(s, NULL, NULL)\nread(c, buf, 100)\nread(c, buf, 100)\n"
		   "getpeername(c)",
	 .want = {"1.000000000 server: accept(3, {10.0.0.1:*}) = 4",
		  "1.000000000 server: read(4, \"\", 100) = -1 ECONNRESET (Connection reset by peer)",
		  "1.000000000 server: read(4, \"\", 100) = 0",
		  "1.000000000 server: getpeername(4) = -1 ENOTCONN (Transport endpoint is not connected)"}},

	/* ---- connect(): __inet_stream_connect() ---- */
	{"connect/blocking",
	 .client = CONNECT "getpeername(fd)",
	 .server = ACCEPT,
	 .want = {CONNECTED, T10 "getpeername(3, {10.0.0.2:7777}) = 0"}},
	{"connect/nonblocking",        /* EINPROGRESS, EALREADY; done: 0 once, then EISCONN */
	 .client = NONBLOCK "connect(fd, 10.0.0.2:7777)\nconnect(fd, 10.0.0.2:7777)\nsleep(1)\n"
		   "connect(fd, 10.0.0.2:7777)\nconnect(fd, 10.0.0.2:7777)",
	 .server = ACCEPT,
	 .want = {T0 "connect(3, {10.0.0.2:7777}) = -1 EINPROGRESS (Operation now in progress)",
		  T0 "connect(3, {10.0.0.2:7777}) = -1 EALREADY (Operation already in progress)",
		  "1.000000000 client: connect(3, {10.0.0.2:7777}) = 0",
		  "1.000000000 client: connect(3, {10.0.0.2:7777}) = -1 EISCONN (Transport endpoint is already connected)"}},
	{"connect/nonblocking-refused", /* the error once, then a new attempt */
	 .client = NONBLOCK "connect(fd, 10.0.0.2:7777)\nsleep(1)\n"
		   "connect(fd, 10.0.0.2:7777)\nconnect(fd, 10.0.0.2:7777)",
	 .want = {"1.000000000 client: connect(3, {10.0.0.2:7777}) = -1 ECONNREFUSED (Connection refused)",
		  "1.000000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [S]*",
		  "1.000000000 client: connect(3, {10.0.0.2:7777}) = -1 EINPROGRESS (Operation now in progress)"}},
	{"connect/nonblocking-refused-read", /* SO_ERROR took the error: ECONNABORTED */
	 .client = NONBLOCK "connect(fd, 10.0.0.2:7777)\nsleep(1)\ngetsockopt(fd, SOL_SOCKET, SO_ERROR, &err)\n"
		   "connect(fd, 10.0.0.2:7777)\nconnect(fd, 10.0.0.2:7777)",
	 .want = {"1.000000000 client: getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED]) = 0",
		  "1.000000000 client: connect(3, {10.0.0.2:7777}) = -1 ECONNABORTED (Software caused connection abort)",
		  "1.000000000 client: connect(3, {10.0.0.2:7777}) = -1 EINPROGRESS (Operation now in progress)"}},
	{"connect/refused",
	 .client = CONNECT "connect(fd, 10.0.0.2:7777)",
	 .want = {T10 "connect(3, {10.0.0.2:7777}) = -1 ECONNREFUSED (Connection refused) <0.010000>",
		  "0.020000000 client: connect(3, {10.0.0.2:7777}) = -1 ECONNREFUSED (Connection refused) <0.010000>"}},
	{"connect/etimedout",          /* beyond the router, nobody: SYNs at 0 1 2 3 4 5 7 11 19 35 67 s */
	 .client = SOCKET "connect(fd, 88.88.88.88:80)",
	 .want = {"67.000000000 IP 10.0.0.1.* > 88.88.88.88.80: Flags [S]*",
		  "131.000000000 client: connect(3, {88.88.88.88:80}) = -1 ETIMEDOUT (Connection timed out) <131.000000>"}},
	{"connect/ehostunreach-arp",   /* ARP asks at 0, 1, 2 s; the neighbour fails at 3 s */
	 .client = SOCKET "connect(fd, 192.168.0.188:20000)",
	 .client_addr = "192.168.0.4/24", .server_addr = "192.168.0.5/24:20000",
	 .want = {"0.000000000 ARP, Request who-has 192.168.0.188 tell 192.168.0.4, length 46",
		  "1.000000000 ARP, Request who-has 192.168.0.188 tell 192.168.0.4, length 46",
		  "2.000000000 ARP, Request who-has 192.168.0.188 tell 192.168.0.4, length 46",
		  "3.000000000 client: connect(3, {192.168.0.188:20000}) = -1 EHOSTUNREACH (No route to host) <3.000000>",
		  "!*Flags [S]*length 0"}},
	{"connect/listening",
	 .client = SOCKET "listen(fd, 5)\nconnect(fd, 10.0.0.2:7777)",
	 .want = {T0 "connect(3, {10.0.0.2:7777}) = -1 EISCONN (Transport endpoint is already connected)"}},
	{"connect/accepted",
	 .client = CONNECT,
	 .server = ACCEPT "connect(c, 10.0.0.1:5000)",
	 .want = {S15 "connect(4, {10.0.0.1:5000}) = -1 EISCONN (Transport endpoint is already connected)"}},
	{"connect/sndtimeo",           /* inet_stream_connect() waits sock_sndtimeo() at most */
	 .client = SOCKET "setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, {3, 0})\nconnect(fd, 88.88.88.88:80)\n"
		   "connect(fd, 88.88.88.88:80)",
	 .want = {"3.000000000 client: connect(3, {88.88.88.88:80}) = -1 EINPROGRESS (Operation now in progress) <3.000000>",
		  "6.000000000 client: connect(3, {88.88.88.88:80}) = -1 EALREADY (Operation already in progress) <3.000000>"}},

	/* ---- getsockopt(), setsockopt(): sock_getsockopt(), sk_setsockopt(), do_tcp_setsockopt() ---- */
	{"getsockopt/so-error-clears",
	 .client = NONBLOCK "connect(fd, 10.0.0.2:7777)\nsleep(1)\n"
		   "getsockopt(fd, SOL_SOCKET, SO_ERROR, &err)\ngetsockopt(fd, SOL_SOCKET, SO_ERROR, &err)",
	 .want = {"1.000000000 client: getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED]) = 0",
		  "1.000000000 client: getsockopt(3, SOL_SOCKET, SO_ERROR, [0]) = 0"}},
	{"getsockopt/buffers-default",
	 .client = SOCKET "getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v)\ngetsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v)",
	 .want = {T0 "getsockopt(3, SOL_SOCKET, SO_RCVBUF, [131072]) = 0",
		  T0 "getsockopt(3, SOL_SOCKET, SO_SNDBUF, [16384]) = 0"}},
	{"getsockopt/buffers-doubled",  /* doubled, at most rmem_max/wmem_max (212992) before */
	 .client = SOCKET "setsockopt(fd, SOL_SOCKET, SO_RCVBUF, 65536)\ngetsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v)\n"
		   "setsockopt(fd, SOL_SOCKET, SO_SNDBUF, 1MB)\ngetsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v)",
	 .want = {T0 "setsockopt(3, SOL_SOCKET, SO_RCVBUF, [65536]) = 0",
		  T0 "getsockopt(3, SOL_SOCKET, SO_RCVBUF, [131072]) = 0",
		  T0 "getsockopt(3, SOL_SOCKET, SO_SNDBUF, [425984]) = 0"}},
	{"getsockopt/buffers-floor",    /* SOCK_MIN_RCVBUF 2304, SOCK_MIN_SNDBUF 4608 */
	 .client = SOCKET "setsockopt(fd, SOL_SOCKET, SO_RCVBUF, 100)\ngetsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v)\n"
		   "setsockopt(fd, SOL_SOCKET, SO_SNDBUF, 100)\ngetsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v)",
	 .want = {T0 "getsockopt(3, SOL_SOCKET, SO_RCVBUF, [2304]) = 0",
		  T0 "getsockopt(3, SOL_SOCKET, SO_SNDBUF, [4608]) = 0"}},
	{"getsockopt/tcp-info-states",
	 .client = NONBLOCK "getsockopt(fd, SOL_TCP, TCP_INFO, &i)\nconnect(fd, 10.0.0.2:7777)\n"
		   "getsockopt(fd, SOL_TCP, TCP_INFO, &i)\nsleep(1)\ngetsockopt(fd, SOL_TCP, TCP_INFO, &i)\n"
		   "sleep(1)\ngetsockopt(fd, SOL_TCP, TCP_INFO, &i)\nexit(i.tcpi_state)",
	 .server = ACCEPT "sleep(1)\nclose(c)",
	 .want = {T0 "getsockopt(3, SOL_TCP, TCP_INFO, {tcpi_state=TCP_CLOSE, *}) = 0",
		  T0 "getsockopt(3, SOL_TCP, TCP_INFO, {tcpi_state=TCP_SYN_SENT, *}) = 0",
		  "1.000000000 client: getsockopt(3, SOL_TCP, TCP_INFO, {tcpi_state=TCP_ESTABLISHED, *}) = 0",
		  "2.000000000 client: getsockopt(3, SOL_TCP, TCP_INFO, {tcpi_state=TCP_CLOSE_WAIT, *}) = 0",
		  "2.000000000 client: +++ exited with 8 +++"}},
	{"getsockopt/tcp-info-fields",  /* tcp_init_sock()'s values, tcp_connect_init()'s, one RTT sample */
	 .client = NONBLOCK "getsockopt(fd, SOL_TCP, TCP_INFO, &i)\nconnect(fd, 10.0.0.2:7777)\n"
		   "getsockopt(fd, SOL_TCP, TCP_INFO, &i)\nsleep(1)\ngetsockopt(fd, SOL_TCP, TCP_INFO, &i)",
	 .server = ACCEPT,
	 .want = {T0 "getsockopt(3, SOL_TCP, TCP_INFO, {tcpi_state=TCP_CLOSE, tcpi_retransmits=0, tcpi_backoff=0, "
		  "tcpi_rto=1000000, tcpi_snd_mss=536, tcpi_unacked=0, tcpi_rtt=0, tcpi_rttvar=250000, "
		  "tcpi_snd_ssthresh=2147483647, tcpi_snd_cwnd=10}) = 0",
		  T0 "getsockopt(3, SOL_TCP, TCP_INFO, {tcpi_state=TCP_SYN_SENT, tcpi_retransmits=0, tcpi_backoff=0, "
		  "tcpi_rto=1000000, tcpi_snd_mss=1448, tcpi_unacked=1, tcpi_rtt=0, tcpi_rttvar=250000, "
		  "tcpi_snd_ssthresh=2147483647, tcpi_snd_cwnd=10}) = 0",
		  "1.000000000 client: getsockopt(3, SOL_TCP, TCP_INFO, {tcpi_state=TCP_ESTABLISHED, tcpi_retransmits=0, "
		  "tcpi_backoff=0, tcpi_rto=210000, tcpi_snd_mss=1448, tcpi_unacked=0, tcpi_rtt=10000, tcpi_rttvar=5000, "
		  "tcpi_snd_ssthresh=2147483647, tcpi_snd_cwnd=10}) = 0"}},
	{"getsockopt/tcp-info-options", /* TCPI_OPT_TIMESTAMPS | TCPI_OPT_SACK | TCPI_OPT_WSCALE, as negotiated */
	 .client = CONNECT "getsockopt(fd, SOL_TCP, TCP_INFO, &i)\nexit(i.tcpi_options)",
	 .server = ACCEPT,
	 .want = {"0.010000000 client: +++ exited with 7 +++"}},
	{"getsockopt/time-wait-is-close", /* tcp_time_wait() + tcp_done(): the owner's socket is CLOSE */
	 .client = CONNECT "shutdown(fd, SHUT_WR)\nread(fd, buf, 100)\ngetsockopt(fd, SOL_TCP, TCP_INFO, &i)\n"
		   "getpeername(fd)\nshutdown(fd, SHUT_RDWR)\nconnect(fd, 10.0.0.2:7777)",
	 .server = ACCEPT "read(c, buf, 100)\nclose(c)",
	 .want = {"0.020000000 client #1 FIN_WAIT_1 -> TIME_WAIT",
		  "0.020000000 client: getsockopt(3, SOL_TCP, TCP_INFO, {tcpi_state=TCP_CLOSE, *}) = 0",
		  "0.020000000 client: getpeername(3) = -1 ENOTCONN (Transport endpoint is not connected)",
		  "0.020000000 client: shutdown(3, SHUT_RDWR) = -1 ENOTCONN (Transport endpoint is not connected)",
		  "0.020000000 client: connect(3, {10.0.0.2:7777}) = -1 EISCONN (Transport endpoint is already connected)"}},
	{"getsockopt/tcp-info-listen",
	 .client = SOCKET "listen(fd, 5)\ngetsockopt(fd, SOL_TCP, TCP_INFO, &i)",
	 .want = {T0 "getsockopt(3, SOL_TCP, TCP_INFO, {tcpi_state=TCP_LISTEN, *}) = 0"}},
	{"getsockopt/type",
	 .client = SOCKET "getsockopt(fd, SOL_SOCKET, SO_TYPE, &v)",
	 .want = {T0 "getsockopt(3, SOL_SOCKET, SO_TYPE, [1]) = 0"}},
	{"setsockopt/keepidle-einval",
	 .client = SOCKET "setsockopt(fd, SOL_TCP, TCP_KEEPIDLE, 0)\nsetsockopt(fd, SOL_TCP, TCP_KEEPIDLE, 32768)\n"
		   "setsockopt(fd, SOL_TCP, TCP_KEEPIDLE, 32767)",
	 .want = {T0 "setsockopt(3, SOL_TCP, TCP_KEEPIDLE, [0]) = -1 EINVAL (Invalid argument)",
		  T0 "setsockopt(3, SOL_TCP, TCP_KEEPIDLE, [32768]) = -1 EINVAL (Invalid argument)",
		  T0 "setsockopt(3, SOL_TCP, TCP_KEEPIDLE, [32767]) = 0"}},
	{"setsockopt/linger-reset",     /* tcp_close(): SO_LINGER {1, 0} is a reset, no FIN */
	 .client = CONNECT "setsockopt(fd, SOL_SOCKET, SO_LINGER, {1, 0})\nclose(fd)",
	 .server = ACCEPT "read(c, buf, 100)",
	 .want = {T10 "setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}) = 0",
		  "0.010000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [R.]*",
		  "!* Flags [F*",
		  "0.015000000 server: read(4, \"\", 100) = -1 ECONNRESET (Connection reset by peer)"}},
	{"setsockopt/keepalive-probes", /* the peer answers: a probe every TCP_KEEPIDLE of silence */
	 .client = CONNECT "setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, 1)\nsetsockopt(fd, SOL_TCP, TCP_KEEPIDLE, 10)\n"
		   "setsockopt(fd, SOL_TCP, TCP_KEEPINTVL, 5)\nsetsockopt(fd, SOL_TCP, TCP_KEEPCNT, 3)\nread(fd, buf, 100)",
	 .server = ACCEPT "read(c, buf, 100)",
	 .duration = "35s",
	 .want = {"10.010000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [.], *length 0",
		  "10.020000000 IP 10.0.0.2.7777 > 10.0.0.1.*: Flags [.], *length 0",
		  "20.020000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [.], *length 0",
		  "30.030000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [.], *length 0"}},
	{"setsockopt/keepalive-timeout", /* the peer is gone: probes at 10, 15, 20 s, ETIMEDOUT at 25 s */
	 .client = CONNECT "setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, 1)\nsetsockopt(fd, SOL_TCP, TCP_KEEPIDLE, 10)\n"
		   "setsockopt(fd, SOL_TCP, TCP_KEEPINTVL, 5)\nsetsockopt(fd, SOL_TCP, TCP_KEEPCNT, 3)\nread(fd, buf, 100)",
	 .server = ACCEPT "crash()",
	 .want = {"10.010000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [.], *length 0",
		  "15.010000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [.], *length 0",
		  "20.010000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [.], *length 0",
		  "25.010000000 client: read(3, \"\", 100) = -1 ETIMEDOUT (Connection timed out) <25.000000>"}},
	{"setsockopt/user-timeout",     /* data unacknowledged for TCP_USER_TIMEOUT ms: ETIMEDOUT */
	 .client = CONNECT "setsockopt(fd, SOL_TCP, TCP_USER_TIMEOUT, 5000)\nsleep(1)\nwrite(fd, \"hello\", 5)\n"
		   "read(fd, buf, 100)\ngetsockopt(fd, SOL_SOCKET, SO_ERROR, &err)",
	 .server = ACCEPT "crash()",
	 .want = {"1.010000000 client: write(3, \"hello\", 5) = 5",
		  "6.010000000 client: read(3, \"\", 100) = -1 ETIMEDOUT (Connection timed out) <5.000000>",
		  "6.010000000 client: getsockopt(3, SOL_SOCKET, SO_ERROR, [0]) = 0"}},
	{"setsockopt/nodelay",          /* Nagle holds the second small segment until the ACK */
	 .client = CONNECT "write(fd, \"a\", 1)\nwrite(fd, \"b\", 1)\nsleep(1)\nsetsockopt(fd, SOL_TCP, TCP_NODELAY, 1)\n"
		   "getsockopt(fd, SOL_TCP, TCP_NODELAY, &v)\nwrite(fd, \"c\", 1)\nwrite(fd, \"d\", 1)",
	 .server = ACCEPT "sleep(2)",
	 .want = {"0.010000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [P.], *length 1",
		  "!0.010000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [P.], *length 1",
		  "0.020000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [P.], *length 1",
		  "1.010000000 client: getsockopt(3, SOL_TCP, TCP_NODELAY, [1]) = 0",
		  "1.010000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [P.], *length 1",
		  "1.010000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [P.], *length 1"}},

	{"setsockopt/maxseg",           /* do_tcp_setsockopt(): 0, or 88 .. 32767 */
	 .client = SOCKET "setsockopt(fd, SOL_TCP, TCP_MAXSEG, 87)\nsetsockopt(fd, SOL_TCP, TCP_MAXSEG, 32768)\n"
		   "getsockopt(fd, SOL_TCP, TCP_MAXSEG, &v)\nsetsockopt(fd, SOL_TCP, TCP_MAXSEG, 1000)\n"
		   "getsockopt(fd, SOL_TCP, TCP_MAXSEG, &v)\nconnect(fd, 10.0.0.2:7777)\ngetsockopt(fd, SOL_TCP, TCP_MAXSEG, &v)",
	 .server = ACCEPT,
	 .want = {T0 "setsockopt(3, SOL_TCP, TCP_MAXSEG, [87]) = -1 EINVAL (Invalid argument)",
		  T0 "setsockopt(3, SOL_TCP, TCP_MAXSEG, [32768]) = -1 EINVAL (Invalid argument)",
		  T0 "getsockopt(3, SOL_TCP, TCP_MAXSEG, [536]) = 0",
		  T0 "getsockopt(3, SOL_TCP, TCP_MAXSEG, [1000]) = 0",
		  "0.000000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [S], *options [mss 1000,*",
		  T10 "getsockopt(3, SOL_TCP, TCP_MAXSEG, [988]) = 0"}},

	/* ---- getpeername(), getsockname(): inet_getname() ---- */
	{"getpeername/syn-sent",
	 .client = NONBLOCK "connect(fd, 10.0.0.2:7777)\ngetpeername(fd)\ngetsockname(fd)",
	 .server = ACCEPT,
	 .want = {T0 "getpeername(3) = -1 ENOTCONN (Transport endpoint is not connected)",
		  T0 "getsockname(3, {10.0.0.1:*}) = 0"}},
	{"getpeername/after-failure",
	 .client = CONNECT "getpeername(fd)",
	 .want = {T10 "getpeername(3) = -1 ENOTCONN (Transport endpoint is not connected)"}},
	{"getpeername/never-connected",
	 .client = SOCKET "getpeername(fd)\ngetsockname(fd)",
	 .want = {T0 "getpeername(3) = -1 ENOTCONN (Transport endpoint is not connected)",
		  T0 "getsockname(3, {0.0.0.0:0}) = 0"}},
	{"getpeername/accepted",
	 .client = CONNECT,
	 .server = ACCEPT "getpeername(c)\ngetsockname(c)",
	 .want = {S15 "getpeername(4, {10.0.0.1:*}) = 0", S15 "getsockname(4, {10.0.0.2:7777}) = 0"}},

	/* ---- send(), write(): tcp_sendmsg_locked(), sk_stream_wait_connect(), sk_stream_error() ---- */
	{"send/eagain-full",           /* the peer never reads: the buffers fill */
	 .client = CONNECT "fcntl(fd, F_SETFL, O_NONBLOCK)\nwhile send(fd, 65536) > 0 { sleep(100ms) }",
	 .server = ACCEPT "sleep(100)",
	 .want = {"*client: send(3, *, 65536, 0) = -1 EAGAIN (Resource temporarily unavailable)"}},
	{"send/dontwait",
	 .client = CONNECT "while send(fd, buf, 65536, MSG_DONTWAIT) > 0 { sleep(100ms) }",
	 .server = ACCEPT "sleep(100)",
	 .want = {"*client: send(3, *, 65536, MSG_DONTWAIT) = -1 EAGAIN (Resource temporarily unavailable)"}},
	{"send/zero-length",           /* tcp_sendmsg_locked() checks the state, copies nothing */
	 .client = CONNECT "send(fd, \"\", 0, 0)\nshutdown(fd, SHUT_WR)\nsend(fd, \"\", 0, MSG_NOSIGNAL)",
	 .server = ACCEPT "sleep(1)",
	 .want = {T10 "send(3, \"\", 0, 0) = 0",
		  T10 "send(3, \"\", 0, MSG_NOSIGNAL) = -1 EPIPE (Broken pipe)"}},
	{"send/after-peer-close",      /* the classic: the first write goes, the peer's reset answers it */
	 .client = CONNECT "sleep(1)\nwrite(fd, \"a\", 1)\nsleep(1)\nwrite(fd, \"b\", 1)",
	 .server = ACCEPT "close(c)",
	 .want = {"1.010000000 client: write(3, \"a\", 1) = 1",
		  "1.020000000 IP 10.0.0.2.7777 > 10.0.0.1.*: Flags [R]*",
		  "1.020000000 client #1 CLOSE_WAIT -> CLOSED EPIPE",
		  "2.010000000 client: write(3, \"b\", 1) = -1 EPIPE (Broken pipe)",
		  "2.010000000 client: --- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER} ---",
		  "2.010000000 client: +++ killed by SIGPIPE +++"}},
	{"send/sigpipe-handler",       /* caught: EPIPE, the handler runs, the program goes on */
	 .client = "sigaction(SIGPIPE, on_pipe, 0)\n" SOCKET "write(fd, \"x\", 1)\nwrite(1, \"alive\\n\", 6)",
	 .want = {T0 "write(3, \"x\", 1) = -1 EPIPE (Broken pipe)",
		  T0 "--- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER} ---",
		  T0 "write(1, \"alive\\n\", 6) = 6"}},
	{"send/never-connected",       /* sk_stream_wait_connect(): CLOSE is EPIPE */
	 .client = SOCKET "signal(SIGPIPE, SIG_IGN)\nwrite(fd, \"x\", 1)",
	 .want = {T0 "write(3, \"x\", 1) = -1 EPIPE (Broken pipe)"}},
	{"send/syn-sent-eagain",
	 .client = NONBLOCK "connect(fd, 10.0.0.2:7777)\nwrite(fd, \"x\", 1)",
	 .server = ACCEPT,
	 .want = {T0 "write(3, \"x\", 1) = -1 EAGAIN (Resource temporarily unavailable)"}},
	{"send/syn-sent-waits",        /* a blocking send waits for the handshake */
	 .client = NONBLOCK "connect(fd, 10.0.0.2:7777)\nfcntl(fd, F_SETFL, 0)\nwrite(fd, \"x\", 1)",
	 .server = ACCEPT,
	 .want = {T10 "write(3, \"x\", 1) = 1 <0.010000>"}},
	{"send/reset-pending",         /* the error first (no signal), then EPIPE and SIGPIPE */
	 .client = CONNECT "sleep(1)\nwrite(fd, \"x\", 1)\nwrite(fd, \"x\", 1)\nwrite(1, \"alive\", 5)",
	 .server = RESETS,
	 .want = {"1.010000000 client: write(3, \"x\", 1) = -1 ECONNRESET (Connection reset by peer)",
		  "1.010000000 client: write(3, \"x\", 1) = -1 EPIPE (Broken pipe)",
		  "1.010000000 client: --- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER} ---",
		  "1.010000000 client: +++ killed by SIGPIPE +++",
		  "!*alive*"}},
	{"send/epipe-after-reset-read",
	 .client = CONNECT "sleep(1)\nread(fd, buf, 100)\nwrite(fd, \"x\", 1)",
	 .server = RESETS,
	 .want = {"1.010000000 client: read(3, \"\", 100) = -1 ECONNRESET (Connection reset by peer)",
		  "1.010000000 client: write(3, \"x\", 1) = -1 EPIPE (Broken pipe)",
		  "1.010000000 client: --- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER} ---",
		  "1.010000000 client: +++ killed by SIGPIPE +++"}},
	{"send/sig-ign",
	 .client = "signal(SIGPIPE, SIG_IGN)\n" CONNECT "sleep(1)\nread(fd, buf, 100)\nwrite(fd, \"x\", 1)\n"
		   "write(1, \"alive\\n\", 6)",
	 .server = RESETS,
	 .want = {T0 "rt_sigaction(SIGPIPE, {sa_handler=SIG_IGN, sa_flags=SA_RESTART}, NULL, 8) = 0",
		  "1.010000000 client: write(3, \"x\", 1) = -1 EPIPE (Broken pipe)",
		  "!*SIGPIPE*",
		  "1.010000000 client: write(1, \"alive\\n\", 6) = 6"}},
	{"send/msg-nosignal",
	 .client = CONNECT "sleep(1)\nread(fd, buf, 100)\nsend(fd, \"x\", 1, MSG_NOSIGNAL)\nwrite(1, \"alive\\n\", 6)",
	 .server = RESETS,
	 .want = {"1.010000000 client: send(3, \"x\", 1, MSG_NOSIGNAL) = -1 EPIPE (Broken pipe)",
		  "!*SIGPIPE*",
		  "1.010000000 client: write(1, \"alive\\n\", 6) = 6"}},
	{"send/shut-wr",
	 .client = CONNECT "shutdown(fd, SHUT_WR)\nsend(fd, \"x\", 1, MSG_NOSIGNAL)\nwrite(fd, \"x\", 1)",
	 .server = ACCEPT "read(c, buf, 100)",
	 .want = {T10 "shutdown(3, SHUT_WR) = 0",
		  T10 "send(3, \"x\", 1, MSG_NOSIGNAL) = -1 EPIPE (Broken pipe)",
		  T10 "write(3, \"x\", 1) = -1 EPIPE (Broken pipe)",
		  T10 "--- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER} ---",
		  T10 "+++ killed by SIGPIPE +++"}},
	{"send/close-wait",            /* after the peer's FIN this side may still send */
	 .client = CONNECT "read(fd, buf, 100)\nwrite(fd, \"late\", 4)",
	 .server = ACCEPT "shutdown(c, SHUT_WR)\nread(c, buf, 100)",
	 .want = {"0.020000000 client: read(3, \"\", 100) = 0 <0.010000>",
		  "0.020000000 client: write(3, \"late\", 4) = 4",
		  "0.025000000 server: read(4, \"late\", 100) = 4 <0.010000>"}},
	{"send/reset-in-close-wait",   /* tcp_reset() in CLOSE_WAIT: EPIPE, and SIGPIPE with it */
	 .client = CONNECT "read(fd, buf, 100)\nsleep(1)\nwrite(fd, \"x\", 1)\nsleep(1)\n"
		   "signal(SIGPIPE, SIG_IGN)\nread(fd, buf, 100)\nwrite(fd, \"x\", 1)",
	 .server = ACCEPT "shutdown(c, SHUT_WR)\nsleep(500ms)\n"
		   "setsockopt(c, SOL_SOCKET, SO_LINGER, {1, 0})\nclose(c)",
	 .want = {"0.020000000 client: read(3, \"\", 100) = 0 <0.010000>",
		  "0.520000000 client #1 CLOSE_WAIT -> CLOSED EPIPE",
		  "1.020000000 client: write(3, \"x\", 1) = -1 EPIPE (Broken pipe)",
		  "1.020000000 client: --- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER} ---"}},
	{"send/reset-in-close-wait-read", /* SOCK_DONE: read returns 0, the error waits */
	 .client = CONNECT "read(fd, buf, 100)\nsleep(1)\nread(fd, buf, 100)\n"
		   "getsockopt(fd, SOL_SOCKET, SO_ERROR, &err)",
	 .server = ACCEPT "shutdown(c, SHUT_WR)\nsleep(500ms)\n"
		   "setsockopt(c, SOL_SOCKET, SO_LINGER, {1, 0})\nclose(c)",
	 .want = {"1.020000000 client: read(3, \"\", 100) = 0",
		  "1.020000000 client: getsockopt(3, SOL_SOCKET, SO_ERROR, [EPIPE]) = 0"}},

	/* ---- recv(), read(): tcp_recvmsg_locked() ---- */
	{"recv/data-then-eof",
	 .client = CONNECT "read(fd, buf, 100)\nread(fd, buf, 100)",
	 .server = ACCEPT "write(c, \"hello\", 5)\nclose(c)",
	 .want = {"0.020000000 client: read(3, \"hello\", 100) = 5 <0.010000>",
		  "0.020000000 client: read(3, \"\", 100) = 0"}},
	{"recv/eagain",
	 .client = NONBLOCK "connect(fd, 10.0.0.2:7777)\nread(fd, buf, 100)\nsleep(1)\nread(fd, buf, 100)",
	 .server = ACCEPT "sleep(5)",
	 .want = {T0 "read(3, \"\", 100) = -1 EAGAIN (Resource temporarily unavailable)",
		  "1.000000000 client: read(3, \"\", 100) = -1 EAGAIN (Resource temporarily unavailable)"}},
	{"recv/reset-once-then-eof",
	 .client = CONNECT "read(fd, buf, 100)\nread(fd, buf, 100)",
	 .server = RESETS,
	 .want = {"0.020000000 client: read(3, \"\", 100) = -1 ECONNRESET (Connection reset by peer) <0.010000>",
		  "0.020000000 client: read(3, \"\", 100) = 0"}},
	{"recv/data-before-reset",     /* tcp_reset() leaves the receive queue: data, then the error */
	 .client = CONNECT "sleep(1)\nread(fd, buf, 100)\nread(fd, buf, 100)",
	 .server = ACCEPT "write(c, \"hello\", 5)\nsleep(100ms)\nsetsockopt(c, SOL_SOCKET, SO_LINGER, {1, 0})\nclose(c)",
	 .want = {"1.010000000 client: read(3, \"hello\", 100) = 5",
		  "1.010000000 client: read(3, \"\", 100) = -1 ECONNRESET (Connection reset by peer)"}},
	{"recv/etimedout",             /* the peer is gone: retransmissions until tcp_retries2 */
	 .client = CONNECT "write(fd, \"hello\", 5)\nread(fd, buf, 100)",
	 .server = ACCEPT "crash()",
	 .extra = "[client.tcp]\nretries2 = 3\n",
	 /* tcp_write_timeout(): retries2 3 is a budget of (2^4 - 1) x 200 ms = 3 s from the
	  * first transmission (0.010); the RTO (210 ms, after a tail loss probe at 0.220)
	  * expires at 0.430, 0.850, 1.690, then 3.370, past it: no retransmission, ETIMEDOUT */
	 .want = {"1.690000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [P.], *length 5  [retransmission]",
		  "!3.370000000 IP 10.0.0.1*",
		  "3.370000000 client: read(3, \"\", 100) = -1 ETIMEDOUT (Connection timed out) <3.360000>"}},
	{"recv/enotconn",
	 .client = SOCKET "read(fd, buf, 100)\nlisten(fd, 5)\nread(fd, buf, 100)",
	 .want = {T0 "read(3, \"\", 100) = -1 ENOTCONN (Transport endpoint is not connected)",
		  T0 "read(3, \"\", 100) = -1 ENOTCONN (Transport endpoint is not connected)"}},
	{"recv/waitall",
	 .client = CONNECT "recv(fd, buf, 10, MSG_WAITALL)",
	 .server = ACCEPT "write(c, \"hello\", 5)\nsleep(1)\nwrite(c, \"world\", 5)",
	 .want = {"1.020000000 client: recv(3, \"helloworld\", 10, MSG_WAITALL) = 10 <1.010000>"}},
	{"recv/waitall-eof",           /* the end cuts MSG_WAITALL short */
	 .client = CONNECT "recv(fd, buf, 10, MSG_WAITALL)",
	 .server = ACCEPT "write(c, \"hello\", 5)\nclose(c)",
	 .want = {"0.020000000 client: recv(3, \"hello\", 10, MSG_WAITALL) = 5 <0.010000>"}},
	{"recv/peek",                  /* the bytes stay: the next read gets them again */
	 .client = CONNECT "recv(fd, buf, 100, MSG_PEEK)\nrecv(fd, buf, 10, MSG_PEEK|MSG_WAITALL)\n"
		   "recv(fd, buf, 3, 0)\nrecv(fd, buf, 100, 0)\nrecv(fd, buf, 100, MSG_PEEK)\n"
		   "recv(fd, buf, 100, MSG_PEEK|MSG_DONTWAIT)",
	 .server = ACCEPT "write(c, \"hello\", 5)\nsleep(1)\nwrite(c, \"world\", 5)\nsleep(1)\n"
		   "setsockopt(c, SOL_SOCKET, SO_LINGER, {1, 0})\nclose(c)",
	 .want = {"0.020000000 client: recv(3, \"hello\", 100, MSG_PEEK) = 5 <0.010000>",
		  "1.020000000 client: recv(3, \"helloworld\", 10, MSG_PEEK|MSG_WAITALL) = 10 <1.000000>",
		  "1.020000000 client: recv(3, \"hel\", 3, 0) = 3",
		  "1.020000000 client: recv(3, \"loworld\", 100, 0) = 7",
		  /* a peek reads the error, and clears it, as a read does */
		  "2.020000000 client: recv(3, \"\", 100, MSG_PEEK) = -1 ECONNRESET (Connection reset by peer) <1.000000>",
		  "2.020000000 client: recv(3, \"\", 100, MSG_PEEK|MSG_DONTWAIT) = 0"}},
	{"recv/zero-length",           /* tcp_recvmsg_locked()'s loop never runs: 0 */
	 .client = SOCKET "recv(fd, buf, 0, 0)\nrecv(fd, buf, 1, 0)",
	 .want = {T0 "recv(3, \"\", 0, 0) = 0",
		  T0 "recv(3, \"\", 1, 0) = -1 ENOTCONN (Transport endpoint is not connected)"}},
	{"recv/shut-rd",               /* SHUT_RD: queued data still reads, then 0 */
	 .client = CONNECT "sleep(1)\nshutdown(fd, SHUT_RD)\nread(fd, buf, 100)\nread(fd, buf, 100)",
	 .server = ACCEPT "write(c, \"hello\", 5)\nsleep(5)",
	 .want = {"1.010000000 client: shutdown(3, SHUT_RD) = 0",
		  "1.010000000 client: read(3, \"hello\", 100) = 5",
		  "1.010000000 client: read(3, \"\", 100) = 0"}},

	/* ---- shutdown(): inet_shutdown(), tcp_shutdown() ---- */
	{"shutdown/wr-sends-fin",
	 .client = CONNECT "shutdown(fd, SHUT_WR)\nread(fd, buf, 100)",
	 .server = ACCEPT "read(c, buf, 100)\nclose(c)",
	 .want = {"0.010000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [F.]*",
		  T10 "shutdown(3, SHUT_WR) = 0",
		  "0.015000000 server: read(4, \"\", 100) = 0",
		  "0.020000000 client: read(3, \"\", 100) = 0 <0.010000>"}},
	{"shutdown/rd-read-0",
	 .client = CONNECT "shutdown(fd, SHUT_RD)\nread(fd, buf, 100)",
	 .server = ACCEPT "sleep(5)",
	 .want = {T10 "shutdown(3, SHUT_RD) = 0", T10 "read(3, \"\", 100) = 0",
		  "!* Flags [F*"}},
	{"shutdown/enotconn",
	 .client = SOCKET "shutdown(fd, SHUT_WR)\nhow = 5\nshutdown(fd, how)",
	 .want = {T0 "shutdown(3, SHUT_WR) = -1 ENOTCONN (Transport endpoint is not connected)",
		  T0 "shutdown(3, 5) = -1 EINVAL (Invalid argument)"}},
	{"shutdown/syn-sent",          /* tcp_disconnect(): no packet, SO_ERROR ECONNRESET */
	 .client = NONBLOCK "connect(fd, 88.88.88.88:80)\nshutdown(fd, SHUT_WR)\n"
		   "p = [{fd, POLLIN|POLLOUT}]\npoll(p, 1, 0)\n"
		   "getsockopt(fd, SOL_SOCKET, SO_ERROR, &err)\nconnect(fd, 88.88.88.88:80)",
	 .want = {T0 "shutdown(3, SHUT_WR) = 0",
		  T0 "poll([{fd=3, events=POLLIN|POLLOUT}], 1, 0) = 1 ([{fd=3, revents=POLLOUT|POLLERR|POLLHUP}])",
		  T0 "getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNRESET]) = 0",
		  "0.000000000 IP 10.0.0.1.* > 88.88.88.88.80: Flags [S]*",
		  T0 "connect(3, {88.88.88.88:80}) = -1 EINPROGRESS (Operation now in progress)"}},
	{"shutdown/listener",
	 .client = SOCKET "listen(fd, 5)\nshutdown(fd, SHUT_WR)\nshutdown(fd, SHUT_RD)\naccept(fd, NULL, NULL)",
	 .want = {T0 "shutdown(3, SHUT_WR) = 0", T0 "shutdown(3, SHUT_RD) = 0",
		  T0 "accept(3, NULL) = -1 EINVAL (Invalid argument)"}},

	/* ---- close(): __close_fd(), tcp_close() ---- */
	{"close/ebadf",
	 .client = SOCKET "close(fd)\nclose(fd)",
	 .want = {T0 "close(3) = 0", T0 "close(3) = -1 EBADF (Bad file descriptor)"}},
	{"close/lowest-free",
	 .client = "a = socket(AF_INET, SOCK_STREAM, 0)\nb = socket(AF_INET, SOCK_STREAM, 0)\n"
		   "c = socket(AF_INET, SOCK_STREAM, 0)\nclose(a)\nclose(b)\nsocket(AF_INET, SOCK_STREAM, 0)",
	 .want = {T0 "close(4) = 0", T0 "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3"}},
	{"close/stdin",                /* 0, 1 and 2 close once; the lowest free is the next socket */
	 .client = "close(0)\nclose(0)\nsocket(AF_INET, SOCK_STREAM, 0)\nclose(1)\nwrite(1, \"x\", 1)",
	 .want = {T0 "close(0) = 0", T0 "close(0) = -1 EBADF (Bad file descriptor)",
		  T0 "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 0",
		  T0 "write(1, \"x\", 1) = -1 EBADF (Bad file descriptor)"}},
	{"close/fin",
	 .client = CONNECT "close(fd)",
	 .server = ACCEPT "read(c, buf, 100)",
	 .want = {"0.010000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [F.]*", T10 "close(3) = 0",
		  "0.015000000 server: read(4, \"\", 100) = 0"}},
	{"close/unread-data-resets",   /* tcp_close(): data never read means RST, not FIN */
	 .client = CONNECT "sleep(1)\nclose(fd)",
	 .server = ACCEPT "write(c, \"hello\", 5)\nread(c, buf, 100)",
	 .want = {"1.010000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [R.]*",
		  "1.015000000 server: read(4, \"\", 100) = -1 ECONNRESET (Connection reset by peer) <1.000000>"}},
	{"close/linger",               /* sk_stream_wait_close(): until the FIN is acknowledged */
	 .client = NONBLOCK "connect(fd, 10.0.0.2:7777)\nsleep(1)\nsetsockopt(fd, SOL_SOCKET, SO_LINGER, {1, 5})\nclose(fd)",
	 .server = ACCEPT "read(c, buf, 100)\nclose(c)",
	 .want = {"1.010000000 client #1 FIN_WAIT_1 -> TIME_WAIT",
		  "1.010000000 client: close(3) = 0 <0.010000>"}},
	{"close/linger-timeout",       /* nobody acknowledges: l_linger seconds, then it returns */
	 .client = CONNECT "setsockopt(fd, SOL_SOCKET, SO_LINGER, {1, 5})\nclose(fd)",
	 .server = ACCEPT "crash()",
	 .want = {"5.010000000 client: close(3) = 0 <5.000000>"}},
	{"close/linger-unread",        /* unread data: the reset at once, no waiting */
	 .client = CONNECT "sleep(1)\nsetsockopt(fd, SOL_SOCKET, SO_LINGER, {1, 5})\nclose(fd)",
	 .server = ACCEPT "write(c, \"hello\", 5)\nsleep(5)",
	 .want = {"!* Flags [F*",
		  "1.010000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [R.]*",
		  "1.010000000 client: close(3) = 0"}},
	{"close/syn-sent",             /* no packet: the SYN is just forgotten */
	 .client = NONBLOCK "connect(fd, 88.88.88.88:80)\nclose(fd)\nsleep(5)",
	 .want = {T0 "close(3) = 0", "!* Flags [*"}},

	/* ---- fcntl(), ioctl(): sock_ioctl(), tcp_ioctl() ---- */
	{"fcntl/getfl",
	 .client = SOCKET "fcntl(fd, F_GETFL)\nfcntl(fd, F_SETFL, O_NONBLOCK)\nfcntl(fd, F_GETFL)",
	 .want = {T0 "fcntl(3, F_GETFL) = 0x2 (flags O_RDWR)",
		  T0 "fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0",
		  T0 "fcntl(3, F_GETFL) = 0x802 (flags O_RDWR|O_NONBLOCK)"}},
	{"fcntl/ebadf",
	 .client = "fcntl(7, F_GETFL)",
	 .want = {T0 "fcntl(7, F_GETFL) = -1 EBADF (Bad file descriptor)"}},
	{"ioctl/fionread",
	 .client = CONNECT "sleep(1)\nioctl(fd, FIONREAD, &n)\nread(fd, buf, 3)\nioctl(fd, FIONREAD, &n)",
	 .server = ACCEPT "write(c, \"hello\", 5)\nsleep(5)",
	 .want = {"1.010000000 client: ioctl(3, FIONREAD, [5]) = 0",
		  "1.010000000 client: read(3, \"hel\", 3) = 3",
		  "1.010000000 client: ioctl(3, FIONREAD, [2]) = 0"}},
	{"ioctl/siocoutq",             /* bytes written the peer has not acknowledged */
	 .client = CONNECT "write(fd, \"hello\", 5)\nioctl(fd, SIOCOUTQ, &n)\nsleep(1)\nioctl(fd, SIOCOUTQ, &n)",
	 .server = ACCEPT "sleep(5)",
	 .want = {T10 "ioctl(3, SIOCOUTQ, [5]) = 0", "1.010000000 client: ioctl(3, SIOCOUTQ, [0]) = 0"}},
	{"ioctl/listener-einval",
	 .client = SOCKET "listen(fd, 5)\nioctl(fd, FIONREAD, &n)",
	 .want = {T0 "ioctl(3, FIONREAD, [0]) = -1 EINVAL (Invalid argument)"}},

	/* ---- signals: alarm(), sigaction(), signal() ---- */
	{"signal/eintr-connect",       /* no SA_RESTART: connect() fails, the handshake goes on */
	 .client = "sigaction(SIGALRM, on_alarm, 0)\n" SOCKET "alarm(1)\nconnect(fd, 10.0.0.2:7777)\n"
		   "connect(fd, 10.0.0.2:7777)\nsleep(1)\nconnect(fd, 10.0.0.2:7777)",
	 .server = ACCEPT,
	 .network = "delay = 600ms",
	 .want = {T0 "rt_sigaction(SIGALRM, {sa_handler=handler, sa_flags=0}, NULL, 8) = 0",
		  "1.000000000 client: --- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---",
		  "1.000000000 client: connect(3, {10.0.0.2:7777}) = -1 EINTR (Interrupted system call) <1.000000>",
		  "1.200000000 client: connect(3, {10.0.0.2:7777}) = 0 <0.200000>",
		  "2.200000000 client: connect(3, {10.0.0.2:7777}) = -1 EISCONN (Transport endpoint is already connected)"}},
	{"signal/restart-connect",     /* signal() sets SA_RESTART: connect() goes on */
	 .client = "signal(SIGALRM, on_alarm)\n" SOCKET "alarm(1)\nconnect(fd, 10.0.0.2:7777)",
	 .server = ACCEPT,
	 .network = "delay = 600ms",
	 .want = {T0 "rt_sigaction(SIGALRM, {sa_handler=handler, sa_flags=SA_RESTART}, NULL, 8) = 0",
		  "1.000000000 client: --- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---",
		  "1.200000000 client: connect(3, {10.0.0.2:7777}) = 0 <1.200000>"}},
	{"signal/eintr-read",
	 .client = "sigaction(SIGALRM, on_alarm, SA_RESTART)\n" CONNECT "alarm(1)\nread(fd, buf, 100)",
	 .server = ACCEPT "sleep(2)\nwrite(c, \"hi\", 2)",
	 .want = {"2.020000000 client: read(3, \"hi\", 100) = 2 <2.010000>"}},
	{"signal/select-never-restarts", /* ERESTARTNOHAND, ERESTART_RESTARTBLOCK: EINTR after a handler */
	 .client = "sigaction(SIGALRM, on_alarm, SA_RESTART)\n" SOCKET "listen(fd, 5)\nalarm(1)\n"
		   "select(fd + 1, [fd], NULL, NULL, 5s)\nalarm(1)\npoll([{fd, POLLIN}], 5000)",
	 .want = {"1.000000000 client: --- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---",
		  "1.000000000 client: select(4, [3], NULL, NULL, {tv_sec=5, tv_usec=0}) = -1 EINTR (Interrupted system call) <1.000000>",
		  "2.000000000 client: --- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---",
		  "2.000000000 client: poll([{fd=3, events=POLLIN}], 1, 5000) = -1 EINTR (Interrupted system call) <1.000000>"}},
	{"signal/partial-read",        /* MSG_WAITALL cut short: the bytes it has, SA_RESTART or not */
	 .client = "sigaction(SIGALRM, on_alarm, SA_RESTART)\n" CONNECT "alarm(1)\nrecv(fd, buf, 10, MSG_WAITALL)\n"
		   "recv(fd, buf, 10, 0)",
	 .server = ACCEPT "write(c, \"hello\", 5)\nsleep(2)\nwrite(c, \"world\", 5)",
	 .want = {"1.010000000 client: --- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---",
		  "1.010000000 client: recv(3, \"hello\", 10, MSG_WAITALL) = 5 <1.000000>",
		  "2.020000000 client: recv(3, \"world\", 10, 0) = 5 <1.010000>"}},
	{"signal/sigalrm-kills",
	 .client = CONNECT "alarm(1)\nread(fd, buf, 100)\nwrite(1, \"alive\", 5)",
	 .server = ACCEPT "sleep(5)",
	 .want = {T10 "alarm(1) = 0",
		  /* strace: the call's exit first, then the signal (do_signal()) */
		  "1.010000000 client: read(3, \"\", 100) = ? ERESTARTSYS (To be restarted if SA_RESTART is set) <1.000000>",
		  "1.010000000 client: --- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---",
		  "1.010000000 client: +++ killed by SIGALRM +++",
		  "1.010000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [F.]*",
		  "!*alive*"}},
	{"signal/alarm-left",
	 .client = "alarm(5)\nsleep(2)\nalarm(0)",
	 .want = {T0 "alarm(5) = 0", "2.000000000 client: alarm(0) = 3"}},

	{"signal/values",              /* signal() gives the old handler, sigaction() 0; the syscall 0 */
	 .client = "x = signal(SIGPIPE, SIG_IGN)\ny = signal(SIGPIPE, SIG_DFL)\nz = sigaction(SIGPIPE, SIG_IGN, 0)\n"
		   "exit(x + y + y + z)",
	 .want = {T0 "rt_sigaction(SIGPIPE, {sa_handler=SIG_DFL, sa_flags=SA_RESTART}, NULL, 8) = 0",
		  T0 "rt_sigaction(SIGPIPE, {sa_handler=SIG_IGN, sa_flags=0}, NULL, 8) = 0",
		  T0 "+++ exited with 2 +++"}},

	/* ---- the process ends: do_exit() closes every descriptor ---- */
	{"exit/closes",
	 .client = CONNECT "exit(0)",
	 .server = ACCEPT "read(c, buf, 100)",
	 .want = {"0.010000000 client: +++ exited with 0 +++",
		  "0.010000000 IP 10.0.0.1.* > 10.0.0.2.7777: Flags [F.]*",
		  "0.015000000 server: read(4, \"\", 100) = 0"}},

	/* ---- select(): do_select() with tcp_poll()'s mask; fs/select.c's sets ---- */
	{"select/pending-timeout",
	 .client = NONBLOCK "connect(fd, 88.88.88.88:80)\nselect(fd + 1, NULL, [fd], NULL, 100ms)",
	 .want = {"0.100000000 client: select(4, NULL, [3], NULL, {tv_sec=0, tv_usec=100000}) = 0 (Timeout) <0.100000>"}},
	{"select/connected",
	 .client = NONBLOCK "connect(fd, 10.0.0.2:7777)\nselect(fd + 1, [fd], [fd], NULL, {1, 0})",
	 .server = ACCEPT,
	 .want = {T10 "select(4, [3], [3], NULL, {tv_sec=1, tv_usec=0}) = 1 (out [3], left {tv_sec=0, tv_usec=990000}) <0.010000>"}},
	{"select/refused",
	 .client = NONBLOCK "connect(fd, 10.0.0.2:7777)\nselect(fd + 1, [fd], [fd], NULL, {1, 0})",
	 .want = {T10 "select(4, [3], [3], NULL, {tv_sec=1, tv_usec=0}) = 2 (in [3], out [3], left {tv_sec=0, tv_usec=990000}) <0.010000>"}},
	{"select/listener",
	 .client = CONNECT,
	 .server = LISTEN "select(s + 1, [s], NULL, NULL, NULL)",
	 .want = {S15 "select(4, [3], NULL, NULL, NULL) = 1 (in [3]) <0.015000>"}},
	{"select/fresh-socket",        /* CLOSE: POLLHUP (readable) and POLLOUT */
	 .client = SOCKET "select(fd + 1, [fd], [fd], NULL, {0, 0})",
	 .want = {T0 "select(4, [3], [3], NULL, {tv_sec=0, tv_usec=0}) = 2 (in [3], out [3])"}},
	{"select/data",
	 .client = CONNECT "select(fd + 1, [fd], NULL, NULL, NULL)",
	 .server = ACCEPT "sleep(1)\nwrite(c, \"hi\", 2)",
	 .want = {"1.020000000 client: select(4, [3], NULL, NULL, NULL) = 1 (in [3]) <1.010000>"}},
	{"select/ebadf",
	 .client = SOCKET "close(fd)\nselect(fd + 1, [fd], NULL, NULL, NULL)",
	 .want = {T0 "select(4, [3], NULL, NULL, NULL) = -1 EBADF (Bad file descriptor)"}},

	{"select/nfds-beyond",         /* core_sys_select(): nfds past the table is cut, not EINVAL */
	 .client = SOCKET "select(2000, [fd], NULL, NULL, {0, 0})",
	 .want = {T0 "select(2000, [3], NULL, NULL, {tv_sec=0, tv_usec=0}) = 1 (in [3])"}},

	/* ---- poll(): do_poll(), tcp_poll() ---- */
	{"poll/refused",               /* tcp_done(): both ways shut, and the error */
	 .client = NONBLOCK "connect(fd, 10.0.0.2:7777)\np = [{fd, POLLIN|POLLOUT|POLLRDHUP}]\npoll(p, 1, 1000)\n"
		   "getsockopt(fd, SOL_SOCKET, SO_ERROR, &err)\npoll(p, 1, 1000)",
	 .want = {T10 "poll([{fd=3, events=POLLIN|POLLOUT|POLLRDHUP}], 1, 1000) = 1 ([{fd=3, revents=POLLIN|POLLOUT|POLLERR|POLLHUP|POLLRDHUP}]) <0.010000>",
		  T10 "getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED]) = 0",
		  T10 "poll([{fd=3, events=POLLIN|POLLOUT|POLLRDHUP}], 1, 1000) = 1 ([{fd=3, revents=POLLIN|POLLOUT|POLLHUP|POLLRDHUP}])"}},
	{"poll/refused-pollout",       /* POLLERR and POLLHUP come unasked */
	 .client = NONBLOCK "connect(fd, 10.0.0.2:7777)\npoll([{fd, POLLOUT}], 1000)",
	 .want = {T10 "poll([{fd=3, events=POLLOUT}], 1, 1000) = 1 ([{fd=3, revents=POLLOUT|POLLERR|POLLHUP}]) <0.010000>"}},
	{"poll/refused-then-connect",  /* connect() reported it and disconnected: CLOSE, as new */
	 .client = NONBLOCK "connect(fd, 10.0.0.2:7777)\nsleep(1)\nconnect(fd, 10.0.0.2:7777)\n"
		   "poll([{fd, POLLIN|POLLOUT|POLLRDHUP}], 0)\n"
		   "shutdown(fd, SHUT_RD)\npoll([{fd, POLLIN|POLLOUT|POLLRDHUP}], 0)",
	 .want = {"1.000000000 client: connect(3, {10.0.0.2:7777}) = -1 ECONNREFUSED (Connection refused)",
		  "1.000000000 client: poll([{fd=3, events=POLLIN|POLLOUT|POLLRDHUP}], 1, 0) = 1 ([{fd=3, revents=POLLOUT|POLLHUP}])",
		  /* inet_shutdown(): ENOTCONN, but RCV_SHUTDOWN is set */
		  "1.000000000 client: shutdown(3, SHUT_RD) = -1 ENOTCONN (Transport endpoint is not connected)",
		  "1.000000000 client: poll([{fd=3, events=POLLIN|POLLOUT|POLLRDHUP}], 1, 0) = 1 ([{fd=3, revents=POLLIN|POLLOUT|POLLHUP|POLLRDHUP}])"}},
	{"poll/connecting",
	 .client = NONBLOCK "connect(fd, 10.0.0.2:7777)\npoll([{fd, POLLIN|POLLOUT}], 0)\npoll([{fd, POLLOUT}], -1)",
	 .server = ACCEPT,
	 .want = {T0 "poll([{fd=3, events=POLLIN|POLLOUT}], 1, 0) = 0 (Timeout)",
		  T10 "poll([{fd=3, events=POLLOUT}], 1, -1) = 1 ([{fd=3, revents=POLLOUT}]) <0.010000>"}},
	{"poll/data",
	 .client = CONNECT "poll([{fd, POLLIN}], -1)\npoll([{fd, POLLIN|POLLOUT}], -1)",
	 .server = ACCEPT "sleep(1)\nwrite(c, \"hi\", 2)",
	 .want = {"1.020000000 client: poll([{fd=3, events=POLLIN}], 1, -1) = 1 ([{fd=3, revents=POLLIN}]) <1.010000>",
		  "1.020000000 client: poll([{fd=3, events=POLLIN|POLLOUT}], 1, -1) = 1 ([{fd=3, revents=POLLIN|POLLOUT}])"}},
	{"poll/peer-fin",
	 .client = CONNECT "poll([{fd, POLLIN|POLLRDHUP}], -1)\nread(fd, buf, 100)",
	 .server = ACCEPT "sleep(1)\nclose(c)",
	 .want = {"1.020000000 client: poll([{fd=3, events=POLLIN|POLLRDHUP}], 1, -1) = 1 ([{fd=3, revents=POLLIN|POLLRDHUP}]) <1.010000>",
		  "1.020000000 client: read(3, \"\", 100) = 0"}},
	{"poll/both-shut",             /* our FIN too: POLLHUP */
	 .client = CONNECT "read(fd, buf, 100)\nshutdown(fd, SHUT_WR)\npoll([{fd, POLLIN|POLLOUT|POLLRDHUP}], 0)",
	 .server = ACCEPT "close(c)",
	 .want = {"0.020000000 client: poll([{fd=3, events=POLLIN|POLLOUT|POLLRDHUP}], 1, 0) = 1 ([{fd=3, revents=POLLIN|POLLOUT|POLLHUP|POLLRDHUP}])"}},
	{"poll/reset",
	 .client = CONNECT "poll([{fd, POLLIN|POLLOUT|POLLRDHUP}], -1)\nsleep(1)\npoll([{fd, POLLIN|POLLRDHUP}], -1)",
	 .server = RESETS,
	 .want = {T10 "poll([{fd=3, events=POLLIN|POLLOUT|POLLRDHUP}], 1, -1) = 1 ([{fd=3, revents=POLLOUT}])",
		  "1.010000000 client: poll([{fd=3, events=POLLIN|POLLRDHUP}], 1, -1) = 1 ([{fd=3, revents=POLLIN|POLLERR|POLLHUP|POLLRDHUP}])"}},
	{"poll/listener",
	 .client = CONNECT,
	 .server = LISTEN "poll([{s, POLLIN|POLLOUT}], -1)",
	 .want = {S15 "poll([{fd=3, events=POLLIN|POLLOUT}], 1, -1) = 1 ([{fd=3, revents=POLLIN}]) <0.015000>"}},
	{"poll/fresh-socket",
	 .client = SOCKET "poll([{fd, POLLIN|POLLOUT|POLLRDHUP}], 0)",
	 .want = {T0 "poll([{fd=3, events=POLLIN|POLLOUT|POLLRDHUP}], 1, 0) = 1 ([{fd=3, revents=POLLOUT|POLLHUP}])"}},
	{"poll/pollnval",
	 .client = SOCKET "close(fd)\npoll([{fd, POLLIN}, {7, POLLIN}], 0)",
	 .want = {T0 "poll([{fd=3, events=POLLIN}, {fd=7, events=POLLIN}], 2, 0) = 2 ([{fd=3, revents=POLLNVAL}, {fd=7, revents=POLLNVAL}])"}},
};

/* ---- running a row ---- */

static void add_script(GString *s, const char *section, const char *addr, const char *script)
{
	g_string_append_printf(s, "[%s]\naddress = %s\nscript =\n", section, addr);
	char **lines = g_strsplit(script ? script : "", "\n", -1);
	for (guint i = 0; lines[i]; i++)
		if (*lines[i])
			g_string_append_printf(s, "    %s\n", lines[i]);
	g_strfreev(lines);
}

static char *config_text(const struct row *r)
{
	GString *s = g_string_new(NULL);
	g_string_append_printf(s, "[simulation]\nseed = 1\nduration = %s\npcap = false\n\n",
			       r->duration ? r->duration : "300s");
	g_string_append_printf(s, "[network]\n%s\n\n", r->network ? r->network : "delay = 5ms");
	add_script(s, "client", r->client_addr ? r->client_addr : "10.0.0.1", r->client);
	add_script(s, "server", r->server_addr ? r->server_addr : "10.0.0.2:7777", r->server);
	/* the textbook times (an RTO of exactly 200 ms): exact timers */
	const char *tcp = r->extra ? strstr(r->extra, "[tcp]\n") : NULL;
	if (tcp)
		g_string_append_printf(s, "\n%.*s[tcp]\ntimers = exact\n%s", (int)(tcp - r->extra), r->extra,
		                       tcp + strlen("[tcp]\n"));
	else
		g_string_append_printf(s, "\n%s\n[tcp]\ntimers = exact\n", r->extra ? r->extra : "");
	return g_string_free(s, FALSE);
}

/* The trace of the row's run, one line each. */
static char **run_row(const struct row *r, char **config_out)
{
	char *tmp = scn_tmpdir();
	char *path = g_build_filename(tmp, "row.ini", NULL);
	char *out = g_build_filename(tmp, "out", NULL);
	char *text = config_text(r);
	GError *error = NULL;
	g_assert_true(g_file_set_contents(path, text, -1, &error));
	struct config cfg;
	if (!config_load(path, NULL, &cfg, &error))
		g_error("%s: %s\n%s", r->name, error->message, text);
	char *trace = NULL;
	size_t trace_len = 0;
	FILE *f = open_memstream(&trace, &trace_len);
	g_assert_nonnull(f);
	struct run_options opt = {.out_dir = out, .trace = f};
	struct run_result res;
	if (!run_simulation(&cfg, &opt, &res, &error))
		g_error("%s: %s", r->name, error->message);
	fclose(f);
	char **lines = g_strsplit(trace, "\n", -1);
	free(trace);
	run_result_clear(&res);
	config_clear(&cfg);
	scn_rmtree(tmp);
	g_free(out);
	g_free(path);
	g_free(tmp);
	*config_out = text;
	return lines;
}

static gboolean matches(const char *pattern, const char *line)
{
	if (strchr(pattern, '*'))
		return g_pattern_match_simple(pattern, line);
	return strcmp(pattern, line) == 0;
}

static void test_row(gconstpointer data)
{
	const struct row *r = data;
	char *config;
	char **lines = run_row(r, &config);
	guint at = 0; /* where the next wanted line is looked for */
	for (guint w = 0; w < MAX_WANT && r->want[w]; w++) {
		const char *want = r->want[w];
		gboolean negative = want[0] == '!';
		guint i = at;
		if (negative) {
			for (; lines[i] && !matches(want + 1, lines[i]); i++)
				;
			if (!lines[i])
				continue;
		} else {
			for (; lines[i] && !matches(want, lines[i]); i++)
				;
			if (lines[i]) {
				at = i + 1;
				continue;
			}
		}
		GString *shown = g_string_new(NULL);
		for (guint k = 0; lines[k]; k++)
			g_string_append_printf(shown, "%s%s\n", k + 1 == at ? "> " : "  ", lines[k]);
		g_printerr("\n--- %s: config\n%s--- trace (> the last line matched)\n%s", r->name, config,
			   shown->str);
		if (negative)
			g_test_fail_printf("%s: line %u matches the unwanted \"%s\":\n  %s", r->name, i + 1,
					   want + 1, lines[i]);
		else
			g_test_fail_printf("%s: no line after line %u is\n  %s", r->name, at, want);
		g_string_free(shown, TRUE);
		break;
	}
	g_strfreev(lines);
	g_free(config);
}

/* --- the data of a recv() or send() line, as strace quotes it --- */

/* The bytes a quoted string stands for, read back as C reads it; -1 when
 * it is not one: no opening or closing quote, a backslash at the end, or
 * an escape C does not know.  *cut: "..." followed the closing quote. */
static long unquote(const char *q, uint8_t *out, long room, bool *cut)
{
	long n = 0;
	if (*q++ != '"')
		return -1;
	for (; *q && *q != '"'; n++) {
		g_assert_cmpint(n, <, room);
		if (*q != '\\') {
			out[n] = (uint8_t)*q++;
			continue;
		}
		q++;
		static const char letter[] = "\"\\fnrtv", value[] = "\"\\\f\n\r\t\v";
		const char *named = *q ? strchr(letter, *q) : NULL;
		if (named) {
			out[n] = (uint8_t)value[named - letter];
			q++;
		} else if (*q >= '0' && *q <= '7') {
			unsigned v = 0;
			for (int d = 0; d < 3 && *q >= '0' && *q <= '7'; d++)
				v = v * 8 + (unsigned)(*q++ - '0'); /* C reads up to 3 digits */
			out[n] = (uint8_t)v;
		} else {
			return -1;
		}
	}
	if (*q != '"')
		return -1;
	q++;
	*cut = strcmp(q, "...") == 0;
	if (!*cut && *q)
		return -1;
	return n;
}

/* Every byte value, next to itself, to octal and other digits, at every
 * length around strace's 32: the quoted text reads back as exactly the
 * first min(n, 32) bytes (so no escape is cut, and an octal escape before
 * a digit has its three digits), "..." follows exactly when bytes were
 * left out, and only printable ASCII is written. */
static void test_quote_all_bytes(void)
{
	uint8_t data[48], back[64];
	static const uint8_t next[] = {'0', '7', '8', '9', 'a', '\\', '"', 0, 0xff};
	for (unsigned b = 0; b < 256; b++) {
		for (size_t k = 0; k < G_N_ELEMENTS(next); k++) {
			for (long n = 0; n <= 40; n++) {
				for (long i = 0; i < n; i++) /* b, next[k], b, next[k], ... */
					data[i] = i % 2 ? next[k] : (uint8_t)b;
				for (long strsize = 30; strsize <= 33; strsize++) {
					GString *s = g_string_new(NULL);
					strace_quote_data(s, data, n, strsize);
					for (gsize i = 0; i < s->len; i++)
						g_assert_true(s->str[i] >= 32 && s->str[i] < 127);
					bool cut = false;
					long got = unquote(s->str, back, sizeof back, &cut);
					long shown = n < strsize ? n : strsize;
					if (got != shown || memcmp(back, data, (size_t)shown) != 0)
						g_error("byte %u, then %u, length %ld, -s %ld: %s", b, next[k], n,
						        strsize, s->str);
					g_assert_true(cut == (n > strsize));
					g_string_free(s, TRUE);
				}
			}
		}
	}
}

/* strace's own spelling (string_quote() of src/util.c): named escapes,
 * the shortest octal unless an octal digit follows, and that look-ahead
 * stops at the cut. */
static void test_quote_as_strace(void)
{
	static const struct {
		const char *data;
		long n, strsize;
		const char *want;
	} cases[] = {
		{"hello\0", 6, 32, "\"hello\\0\""},
		{"a\"b\\c\f\n\r\t\v", 10, 32, "\"a\\\"b\\\\c\\f\\n\\r\\t\\v\""},
		{"\0011\0018\001", 5, 32, "\"\\0011\\18\\1\""},
		{"\033[0m", 4, 32, "\"\\33[0m\""},
		{"\377\377", 2, 32, "\"\\377\\377\""},
		{"abcd", 4, 3, "\"abc\"..."},
		{"ab\0017", 4, 3, "\"ab\\1\"..."}, /* the 7 is not shown: \1, not \001 */
		{"ab\0017", 4, 4, "\"ab\\0017\""},
		{"", 0, 32, "\"\""},
		{"x", 1, 0, "\"\"..."},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		GString *s = g_string_new(NULL);
		strace_quote_data(s, (const uint8_t *)cases[i].data, cases[i].n, cases[i].strsize);
		g_assert_cmpstr(s->str, ==, cases[i].want);
		g_string_free(s, TRUE);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/sockets/quote/all-bytes", test_quote_all_bytes);
	g_test_add_func("/sockets/quote/as-strace", test_quote_as_strace);
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		char *path = g_strconcat("/sockets/", rows[i].name, NULL);
		g_test_add_data_func(path, &rows[i], test_row);
		g_free(path);
	}
	return g_test_run();
}
