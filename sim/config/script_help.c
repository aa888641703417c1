/*
 * `tcpsim --help-scripts`: the reference of the script language, as
 * plain text of at most 80 columns, like a man page.
 *
 * The calls' signatures, the constants and the fields come from the
 * parser's own tables, so that the reference cannot name what the parser
 * rejects; the prose (what a call does, what it returns, the errors Linux
 * gives) is written here, and wrapped to the width.
 */
#include "sim/config/config.h"
#include "sim/config/script_int.h"

#include <string.h>

#define WIDTH 80
#define NOBREAK '\x1f' /* a blank that wrap() does not break a line at */

/* Appends a word, its NOBREAK blanks as blanks. */
static void append_word(GString *out, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		g_string_append_c(out, p[i] == NOBREAK ? ' ' : p[i]);
}

/* Appends text wrapped to WIDTH, each line indented by `indent` blanks. */
static void wrap(GString *out, const char *text, int indent)
{
	int col = 0;

	for (const char *p = text; *p;) {
		size_t n = strcspn(p, " ");
		if (col > indent && col + 1 + (int)n > WIDTH) {
			g_string_append_c(out, '\n');
			col = 0;
		}
		if (col == 0) {
			g_string_append_printf(out, "%*s", indent, "");
			col = indent;
		} else {
			g_string_append_c(out, ' ');
			col++;
		}
		append_word(out, p, n);
		col += (int)n;
		p += n;
		while (*p == ' ')
			p++;
	}
	g_string_append_c(out, '\n');
}

static const char intro[] =
	"SCRIPTS\n"
	"  A [client] or [server] script is the program of that endpoint: the socket\n"
	"  calls a C program makes, run in simulated time, with Linux's names,\n"
	"  arguments, return values and errors.  Two forms, freely mixed:\n"
	"\n"
	"  The C form, one statement per line or separated by ';':\n"
	"\n"
	"    fd = socket(AF_INET, SOCK_STREAM, 0)\n"
	"    fcntl(fd, F_SETFL, O_NONBLOCK)\n"
	"    if connect(fd, 10.0.0.2:7777) < 0 && errno == EINPROGRESS {\n"
	"        n = select(fd + 1, NULL, [fd], NULL, 300ms)\n"
	"        if n == 0 { close(fd); exit(1) }\n"
	"        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err)\n"
	"    }\n"
	"\n"
	"  The short form (below), words that act on the current socket:\n"
	"\n"
	"    listen 9877; accept; recv; send \"a\\n\"; close\n"
	"\n"
	"  In a config file a script goes on over the lines that follow its key and\n"
	"  start with a blank or a tab; a '#' after a blank, outside a string,\n"
	"  starts a comment:\n"
	"\n"
	"    [client]\n"
	"    script =\n"
	"        fd = socket(AF_INET, SOCK_STREAM, 0)\n"
	"        connect(fd, 10.0.0.2:7777)      # the server\n"
	"        send(fd, \"hello\\n\")\n"
	"        close(fd)\n"
	"\n"
	"  An error names its line and column (for a script of several lines, the\n"
	"  file's) and says what was expected.\n"
	"\n";

static const char statements[] =
	"STATEMENTS\n"
	"  NAME = EXPR         gives a variable a value: a number, a list or a pair\n"
	"  CALL(ARGS)          a call whose result is not kept\n"
	"  if EXPR { ... } else if EXPR { ... } else { ... }\n"
	"                      runs the first block whose EXPR is not 0\n"
	"  while EXPR { ... }  runs the block while EXPR is not 0\n"
	"  repeat EXPR { ... } runs the block EXPR times (EXPR is read once)\n"
	"  break               leaves the innermost while or repeat\n"
	"  exit, exit(N)       ends the program\n"
	"\n"
	"  Statements are separated by ';' or newlines, in a block `{ ... }` too,\n"
	"  which may span lines.  A statement ends with its line, except inside the\n"
	"  ( ), [ ] and { } of an expression.  A statement that starts with a word of\n"
	"  the short form not followed by '(' is the short form: `close` is the short\n"
	"  form's call, `close(fd)` the C call; `sleep 1s` and `sleep(1s)` alike.\n"
	"\n";

static const char expressions[] =
	"EXPRESSIONS\n"
	"  C's operators with C's precedence, loosest first: ||  &&  |  &  == !=\n"
	"  < <= > >=  + -, and the unary ! and -.  || and && stop early, as in C\n"
	"  (so `flags & O_NONBLOCK == 0` is `flags & (O_NONBLOCK == 0)`).  Values:\n"
	"\n"
	"    42  0x1f  64KiB  1MB      numbers and sizes\n"
	"    300ms  1.5s  2min         durations (sleep, select, SO_SNDTIMEO)\n"
	"    \"text\\r\\n\"                a string; escapes \\n \\r \\t \\0 \\\\ \\\" \\xHH \\ooo\n"
	"    10.0.0.2:80  {10.0.0.2:80}\n"
	"    *:80  0.0.0.0:80          addresses (* and 0.0.0.0: any of the host's)\n"
	"    [a, b]                    a list: select's set of descriptors, or poll's\n"
	"                              list of {fd, events}\n"
	"    {a, b}                    a pair: {fd, events}, SO_LINGER's {1, 0},\n"
	"                              a timeval {seconds, microseconds}\n"
	"    NULL                      no set, no timeout, no address\n"
	"    buf                       the program's buffer: what the last read got\n"
	"    errno                     the error of the last call that failed\n"
	"    name                      a variable (every variable starts at 0)\n"
	"    &name                     a variable the call writes (getsockopt, ioctl)\n"
	"    name.field  name[i].field a field of what a call wrote (FIELDS)\n"
	"    (name = CALL(...))        an assignment, whose value is the value given\n"
	"    CALL(...)                 what the call returned (-1 when it failed)\n"
	"\n"
	"  Names in capitals are Linux's constants (CONSTANTS).  A variable must be\n"
	"  given a value somewhere earlier in the text than a use of it.\n"
	"\n";

/* What a call does: its arguments (from the parser's table), what it
 * returns, the errors Linux gives. */
struct call_doc {
	const char *name;   /* as in the parser's table; "accept4" follows "accept" */
	const char *doc;
};

static const struct call_doc calls[] = {
	{ "socket", "A new TCP socket: AF_INET, SOCK_STREAM (| SOCK_NONBLOCK), 0 or IPPROTO_TCP. "
	            "Returns its descriptor, the lowest free one (3 first). "
	            "Errors: EMFILE, ENFILE, ENOBUFS, ENOMEM." },
	{ "bind", "Gives the socket its own address: *:PORT for any of the host's, port 0 for "
	          "an ephemeral one. Returns 0. Errors: EADDRINUSE (the port is taken, by a "
	          "listener or a connection in TIME_WAIT unless SO_REUSEADDR), EADDRNOTAVAIL "
	          "(not an address of this host), EINVAL (bound already), EBADF, ENOTSOCK." },
	{ "listen", "Takes connections from now on; backlog bounds the queue of those not yet "
	            "accepted (when it is full Linux drops the SYN, and the client sends it "
	            "again). Returns 0. Errors: EADDRINUSE, EBADF, ENOTSOCK, EOPNOTSUPP." },
	{ "accept", "Waits for a connection and returns its new descriptor; accept4 with flags "
	            "SOCK_NONBLOCK makes that one non-blocking. Errors: EAGAIN (non-blocking, "
	            "none waiting), EINVAL (not listening), ECONNABORTED, EMFILE, EINTR (a "
	            "signal), EBADF, ENOTSOCK." },
	{ "connect", "Opens the connection, taking an ephemeral port for an unbound socket, and "
	             "waits until it is established. Returns 0. A non-blocking socket returns -1 "
	             "EINPROGRESS at once; select() or poll() then report it writable, and "
	             "getsockopt SO_ERROR gives the outcome. Errors: ECONNREFUSED (a reset "
	             "answered the SYN), ETIMEDOUT (the SYN retries ran out), EHOSTUNREACH, "
	             "ENETUNREACH (an ICMP error), EINPROGRESS (non-blocking, or SO_SNDTIMEO "
	             "ran out), EALREADY (a connect is in progress), EISCONN (connected "
	             "already), EINTR (a signal; the connect goes on), EADDRNOTAVAIL (no "
	             "ephemeral port left), EADDRINUSE, EBADF, ENOTSOCK." },
	{ "getsockopt", "Reads an option into the variable; the level may be left out, the option "
	                "names it. SO_ERROR gives the pending error and clears it (0: none; after "
	                "a non-blocking connect, its outcome); TCP_INFO fills the fields of "
	                "struct tcp_info (FIELDS). Returns 0. Errors: ENOPROTOOPT, EINVAL, "
	                "EBADF, ENOTSOCK." },
	{ "setsockopt", "Sets an option: SO_RCVBUF, SO_SNDBUF (bytes; Linux doubles them), "
	                "SO_KEEPALIVE, SO_REUSEADDR (0 or 1), SO_LINGER {onoff, seconds} ({1, 0}: "
	                "close() resets the connection), SO_SNDTIMEO and SO_RCVTIMEO (a duration "
	                "or {seconds, microseconds}: a blocking call gives up after it), "
	                "TCP_NODELAY, TCP_MAXSEG (bytes), TCP_KEEPIDLE, TCP_KEEPINTVL (seconds), "
	                "TCP_KEEPCNT, TCP_USER_TIMEOUT (milliseconds data may stay unacknowledged "
	                "before the connection dies of ETIMEDOUT), IP_TTL (1 to 255) and IP_TOS "
	                "(IPTOS_DSCP_CS0, IPTOS_DSCP_CS1, IPTOS_DSCP_CS2, IPTOS_DSCP_CS3, "
	                "IPTOS_DSCP_CS4, IPTOS_DSCP_CS5, IPTOS_DSCP_CS6, IPTOS_DSCP_CS7) of every "
	                "packet the connection sends, and FreeBSD's (the bsd profile) TCP_NOOPT "
	                "(no option on the SYN) and TCP_KEEPINIT (seconds to set the connection "
	                "up). Returns 0. Errors: EINVAL, EDOM, ENOPROTOOPT, EBADF, ENOTSOCK." },
	{ "getpeername", "The peer's address (in the trace). Returns 0. Errors: ENOTCONN, EBADF, "
	                 "ENOTSOCK." },
	{ "getsockname", "The socket's own address (in the trace). Returns 0. Errors: EBADF, "
	                 "ENOTSOCK." },
	{ "send", "Sends data: a \"string\" (len: its length), buf with its length, or a byte "
	          "count alone (send(fd, 1460): that many generated bytes). Waits until all of "
	          "it is in the send buffer; a non-blocking socket takes what fits. Flags "
	          "MSG_DONTWAIT, MSG_NOSIGNAL. Returns the bytes taken. Errors: EAGAIN "
	          "(non-blocking and no room, or SO_SNDTIMEO ran out), EPIPE (this side shut "
	          "down writing, or the connection was reset: SIGPIPE comes with it and ends "
	          "the program unless ignored or MSG_NOSIGNAL), ECONNRESET (the peer reset the "
	          "connection), ETIMEDOUT (retransmissions or TCP_USER_TIMEOUT ran out), "
	          "EHOSTUNREACH, ENOTCONN, EINTR, EBADF, ENOTSOCK." },
	{ "write", "send() without flags." },
	{ "recv", "Waits for data and reads up to len bytes into buf. Returns the bytes read, "
	          "0 at the end of the stream (the peer's FIN, after its data). Flags MSG_PEEK "
	          "(leave them to read), MSG_WAITALL (wait for len bytes, the end or an "
	          "error), MSG_DONTWAIT. Errors: EAGAIN (non-blocking and nothing to read, or "
	          "SO_RCVTIMEO ran out), ECONNRESET (the peer reset the connection), ETIMEDOUT "
	          "(retransmissions or keepalive probes ran out), EHOSTUNREACH, ENOTCONN (not "
	          "connected), EINTR, EBADF, ENOTSOCK." },
	{ "read", "recv() without flags." },
	{ "shutdown", "SHUT_WR sends this side's FIN after the data before it (a half-close); "
	              "SHUT_RD makes reads return 0; SHUT_RDWR both. Returns 0. Errors: "
	              "ENOTCONN, EINVAL, EBADF, ENOTSOCK." },
	{ "close", "Frees the descriptor; the connection closes in the background with a FIN, "
	           "or with a reset when data was left unread or SO_LINGER is {1, 0}. Returns "
	           "0. Errors: EBADF." },
	{ "select", "Waits until a descriptor of readfds is readable (data, the end, an error, a "
	            "connection to accept), one of writefds writable (room to send, a connect "
	            "done), or the timeout passes (NULL: no limit; 0: just look). nfds may be "
	            "left out: the highest descriptor + 1. The sets keep the ready descriptors "
	            "(FD_ISSET). Returns how many are ready, 0 at the timeout. Errors: EINTR "
	            "(a signal), EBADF, EINVAL." },
	{ "poll", "Waits like select for a list [{fd, events}, ...], events POLLIN | POLLOUT; "
	          "each entry's revents tells what happened (fds[i].revents): POLLIN, POLLOUT, "
	          "POLLERR, POLLHUP (both directions closed), POLLRDHUP (the peer's FIN), "
	          "POLLNVAL (not open). nfds may be left out (the list's length); timeout in "
	          "milliseconds (-1: no limit) or a duration. Returns how many entries have "
	          "revents, 0 at the timeout. Errors: EINTR, EINVAL." },
	{ "fcntl", "F_GETFL returns the flags; F_SETFL sets them: O_NONBLOCK makes the calls "
	           "return EAGAIN or EINPROGRESS instead of waiting. Errors: EBADF, EINVAL." },
	{ "ioctl", "FIONREAD (SIOCINQ): the bytes ready to read; SIOCOUTQ: the bytes sent but "
	           "not yet acknowledged, into the variable. Returns 0. Errors: EINVAL (a "
	           "listening socket), EBADF." },
	{ "sleep", "The program does something else for that long (seconds, or a duration: "
	           "sleep(300ms)). Returns 0; a handled signal cuts it short." },
	{ "signal", "What a signal does: SIG_DFL (SIGPIPE, SIGALRM, SIGINT and SIGTERM end the "
	            "program), SIG_IGN (nothing), or any other name: a handler of the "
	            "program's own.  glibc's signal() sets SA_RESTART: a waiting connect, "
	            "accept, read or write goes on after the handler, select(), poll() and "
	            "sleep() fail with EINTR.  Returns the handler before (SIG_DFL 0, SIG_IGN "
	            "1). Errors: EINVAL." },
	{ "sigaction", "signal() with flags: SA_RESTART restarts a waiting call the handler "
	               "interrupted instead of failing with EINTR (not select() nor poll(), "
	               "nor a call with SO_SNDTIMEO or SO_RCVTIMEO, as in Linux). Returns 0." },
	{ "alarm", "SIGALRM after that many seconds (0: none). Returns the seconds left of the "
	           "alarm before." },
	{ "crash", "Not a system call: the host loses all its state at once, sending nothing; "
	           "the peer learns of it when it next sends." },
	{ "reboot", "Not a system call: the crashed host comes back with no state, so segments "
	            "of its old connections are answered with a reset." },
	{ "FD_ISSET", "Not a system call: 1 when fd is in the set select() left, else 0." },
	{ "accept4", "accept() with flags." },
	{ "usleep", "sleep() in microseconds." },
};

static void print_calls(GString *out)
{
	const char *params;

	g_string_append(out, "CALLS\n"
	                     "  A call that fails returns -1 and sets errno; the trace shows it as strace\n"
	                     "  does: connect(3, {10.0.0.2:7777}) = -1 ECONNREFUSED.\n\n");
	for (size_t i = 0; i < G_N_ELEMENTS(calls); i++) {
		const char *name = sp_call_signature(i, &params);
		g_assert(name && strcmp(name, calls[i].name) == 0); /* the same order */
		g_string_append_printf(out, "  %s(%s)\n", name, params);
		wrap(out, calls[i].doc, 6);
	}
	g_string_append_c(out, '\n');
}

/* The constants, by kind, as "NAME VALUE". */
static const struct { const char *kind, *title; } kinds[] = {
	{ "domain", "socket() domain" },        { "socktype", "socket() type" },
	{ "protocol", "socket() protocol" },     { "level", "getsockopt(), setsockopt() levels" },
	{ "sockopt", "SOL_SOCKET options" },     { "tcpopt", "IPPROTO_TCP options" },
	{ "ipopt", "SOL_IP options" },
	{ "shut", "shutdown()" },                { "fcntl", "fcntl() commands" },
	{ "oflag", "fcntl() flags" },            { "ioctl", "ioctl() requests" },
	{ "msg", "send() and recv() flags" },    { "poll", "poll() events" },
	{ "signal", "signals" },                 { "sighandler", "signal() handlers" },
	{ "saflag", "sigaction() flags" },       { "tcp_state", "tcpi_state (TCP_INFO)" },
	{ "inaddr", "addresses" },               { "errno", "errno" },
};

static void print_kind(GString *out, const char *kind, const char *title)
{
	size_t n;
	const struct script_const *c = script_consts(&n);
	GString *line = g_string_new(NULL);

	for (size_t i = 0; i < n; i++) {
		if (strcmp(c[i].kind, kind) != 0)
			continue;
		if (line->len)
			g_string_append(line, ", ");
		if (c[i].alias)
			g_string_append_printf(line, "%s%c(=%c%s)", c[i].name, NOBREAK, NOBREAK,
			                       script_const_name(kind, c[i].value));
		else
			g_string_append_printf(line, "%s%c%" G_GINT64_FORMAT, c[i].name, NOBREAK, c[i].value);
	}
	g_string_append_printf(out, "  %s:\n", title);
	wrap(out, line->str, 6);
	g_string_free(line, TRUE);
}

static void print_constants(GString *out)
{
	size_t n;
	const struct script_struct *st = script_structs(&n);

	g_string_append(out, "CONSTANTS\n"
	                     "  Linux's names, with their values on Linux x86-64; output names a value\n"
	                     "  by its first name (EAGAIN, not EWOULDBLOCK).\n\n");
	for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++)
		print_kind(out, kinds[i].kind, kinds[i].title);
	g_string_append(out, "\nFIELDS\n");
	for (size_t i = 0; i < n; i++) {
		g_string_append_printf(out, "  %s:\n", st[i].name);
		wrap(out, st[i].fields, 6);
	}
	g_string_append_c(out, '\n');
}

static const char short_form[] =
	"SHORT FORM\n"
	"  Words separated by ';' or newlines, each call acting on the current\n"
	"  socket: the last one socket() or accept() returned.  Each stands for C-form\n"
	"  statements, where CUR is the current socket and .l, .n, .err are the short\n"
	"  form's own variables:\n"
	"\n"
	"  listen [PORT] [backlog=N]\n"
	"      if .l == 0 { .l = socket(AF_INET, SOCK_STREAM, 0); bind(.l, *:PORT);\n"
	"      listen(.l, N) }.  PORT: the endpoint's own; N: 128.  A script run again\n"
	"      (repeat) keeps its listening socket.\n"
	"  accept\n"
	"      accept(.l, NULL, NULL)\n"
	"  connect [ADDR:PORT]\n"
	"      socket(AF_INET, SOCK_STREAM, 0); connect(CUR, ADDR:PORT).  ADDR:PORT:\n"
	"      the server's.\n"
	"  connect [ADDR:PORT] timeout=D\n"
	"      The program's own limit: socket(...); fcntl(CUR, F_SETFL, O_NONBLOCK);\n"
	"      if connect(CUR, ADDR:PORT) < 0 && errno == EINPROGRESS {\n"
	"      if select(NULL, [CUR], NULL, D) > 0 { getsockopt(CUR, SOL_SOCKET,\n"
	"      SO_ERROR, &.err) } }; fcntl(CUR, F_SETFL, 0)\n"
	"  connect [ADDR:PORT] sndtimeo=D\n"
	"      socket(...); setsockopt(CUR, SOL_SOCKET, SO_SNDTIMEO, D);\n"
	"      connect(CUR, ADDR:PORT)\n"
	"  send \"STRING\" | send BYTES\n"
	"      send(CUR, \"STRING\") | send(CUR, BYTES): that many generated bytes\n"
	"  recv | recv BYTES | recv all\n"
	"      recv(CUR, buf, 65536) | recv(CUR, buf, BYTES, MSG_WAITALL) |\n"
	"      while recv(CUR, buf, 65536) > 0 { }\n"
	"  echo [N]\n"
	"      Reads and writes back, until the end or N times:\n"
	"      while (.n = recv(CUR, buf, 65536)) > 0 { if send(CUR, buf, .n) < 0 {\n"
	"      break } } | repeat N { .n = recv(CUR, buf, 65536); if .n <= 0 { break };\n"
	"      if send(CUR, buf, .n) < 0 { break } }\n"
	"  sleep D\n"
	"      sleep(D)\n"
	"  shutdown [wr|rd|rdwr]\n"
	"      shutdown(CUR, SHUT_WR | SHUT_RD | SHUT_RDWR); wr when left out\n"
	"  close\n"
	"      close(CUR)\n"
	"  abort\n"
	"      setsockopt(CUR, SOL_SOCKET, SO_LINGER, {1, 0}); close(CUR): a reset\n"
	"  crash | reboot\n"
	"      crash() | reboot()\n"
	"\n"
	"  STRING takes C's escapes; BYTES is a count such as 1460 or 64KiB; D a\n"
	"  duration such as 300ms.\n";

void script_print_reference(GString *out)
{
	g_string_append(out, intro);
	g_string_append(out, statements);
	g_string_append(out, expressions);
	print_calls(out);
	print_constants(out);
	g_string_append(out, short_form);
}
