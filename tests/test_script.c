/*
 * Tests of the app-script parser (sim/config/script.c), table-driven.
 *
 * /script/parse/<case>: a script and the calls it must give, each call
 * written in a canonical one-line form (its name, the fields that differ
 * from their defaults, and "@column"), so that a table row reads like the
 * script it checks.
 * /script/error/<case>: a broken script and the exact message it must give.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include "sim/config/config.h"
#include "sim/config/script.h"
#include "sim/config/script_int.h" /* the constant table, the calls */
#include "sim/config/units.h"

struct parse_case {
	const char *name;   /* test path under /script/parse/ */
	const char *text;   /* the script */
	const char *expect; /* its calls, canonical form, joined by "; " */
};

struct error_case {
	const char *name;   /* test path under /script/error/ */
	const char *text;   /* the script */
	const char *expect; /* the exact error message */
};

static const struct parse_case parse_cases[] = {
	{ "empty", "", "" },
	{ "blanks-only", "  \t ", "" },
	{ "semicolons-only", " ; ;; ", "" },
	{ "echo-server", "listen 9877; accept; recv; send \"a\\n\"; close",
	  "listen :9877 @1; accept @14; recv @22; send \"a\\x0a\" @28; close @40" },
	{ "echo-client", "connect; send \"hello\\0\"; recv 6; sleep 1s; close",
	  "connect @1; send \"hello\\x00\" @10; recv bytes=6 @26; sleep 1s @34; close @44" },
	{ "blank-calls", ";;close;; ;abort;", "close @3; abort @12" },
	{ "trailing-semicolon", "close;", "close @1" },
	{ "no-blank-before-semicolon", "accept;close", "accept @1; close @8" },
	{ "blanks-everywhere", "\t listen\t80 \t;\n accept ", "listen :80 @3; accept @2:2" },
	{ "listen-default", "listen", "listen @1" },
	{ "listen-backlog", "listen 80 backlog=5", "listen :80 backlog=5 @1" },
	{ "listen-backlog-first", "listen backlog=0 8080", "listen :8080 backlog=0 @1" },
	{ "listen-backlog-only", "listen backlog=1", "listen backlog=1 @1" },
	{ "listen-port-max", "listen 65535", "listen :65535 @1" },
	{ "connect-target", "connect 10.0.0.2:8080", "connect 10.0.0.2:8080 @1" },
	{ "connect-timeout", "connect timeout=2.5s", "connect timeout=2500ms @1" },
	{ "connect-both", "connect 192.168.1.1:80 timeout=75s",
	  "connect 192.168.1.1:80 timeout=75s @1" },
	{ "connect-timeout-first", "connect timeout=100ms 10.1.2.3:1",
	  "connect 10.1.2.3:1 timeout=100ms @1" },
	{ "connect-sndtimeo", "connect sndtimeo=3s", "connect sndtimeo=3s @1" },
	{ "send-bytes", "send 1460", "send count=1460 @1" },
	{ "send-kib", "send 64KiB", "send count=65536 @1" },
	{ "send-semicolon-in-string", "send \"a;b\"; close", "send \"a;b\" @1; close @13" },
	{ "send-escapes", "send \"\\r\\n\\t\\\\\\\"\"", "send \"\\x0d\\x0a\\x09\\\\\\\"\" @1" },
	{ "send-hex", "send \"\\x41\\x42\\xff\"", "send \"AB\\xff\" @1" },
	{ "send-hex-then-digit", "send \"\\x411\"", "send \"A1\" @1" },
	{ "send-octal", "send \"\\101\\0\\12\\377\"", "send \"A\\x00\\x0a\\xff\" @1" },
	{ "send-octal-max-three-digits", "send \"\\1011\"", "send \"A1\" @1" },
	{ "send-nul-in-middle", "send \"a\\0b\"", "send \"a\\x00b\" @1" },
	{ "send-utf8", "send \"h\xc3\xa9\"", "send \"h\\xc3\\xa9\" @1" },
	{ "send-blank-string", "send \" \"", "send \" \" @1" },
	{ "recv-once", "recv", "recv @1" },
	{ "recv-all", "recv all", "recv all @1" },
	{ "recv-bytes", "recv 1MB", "recv bytes=1000000 @1" },
	{ "echo-eof", "echo", "echo @1" },
	{ "echo-n", "echo 3", "echo count=3 @1" },
	{ "sleep-units", "sleep 75us; sleep 2min; sleep 0", "sleep 75us @1; sleep 2min @13; sleep @25" },
	{ "shutdown-default", "shutdown", "shutdown wr @1" },
	{ "shutdown-modes", "shutdown wr; shutdown rd; shutdown rdwr",
	  "shutdown wr @1; shutdown rd @14; shutdown rdwr @27" },
	{ "no-argument-calls", "accept; close; abort; crash; reboot",
	  "accept @1; close @9; abort @16; crash @23; reboot @30" },
};

/* C-form scripts and their trees (print_stmts): constants as their
 * values, every call with its canonical arguments, every operator in
 * parentheses. */
static const struct parse_case tree_cases[] = {
	{ "header-example", "fd = socket(AF_INET, SOCK_STREAM, 0)\nfcntl(fd, F_SETFL, O_NONBLOCK)\nconnect(fd, 10.0.0.2:7777)\nn = select(fd + 1, NULL, [fd], NULL, 300ms)\nif n == 0 { close(fd); exit(1) }\ngetsockopt(fd, SOL_SOCKET, SO_ERROR, &err)",
	  "fd = socket(2, 1, 0); fcntl(fd, 4, 2048); connect(fd, 10.0.0.2:7777); n = select((fd + 1), NULL, [fd], NULL, 300ms); if (n == 0) { close(fd); exit(1) }; getsockopt(fd, 1, 4, &err)" },
	{ "getsockopt-level-from-option", "fd = 3; getsockopt(fd, SO_ERROR, &err); getsockopt(fd, TCP_INFO, &info)",
	  "fd = 3; getsockopt(fd, 1, 4, &err); getsockopt(fd, 6, 11, &info)" },
	{ "recv-flags-default", "fd = 3; recv(fd, buf, 100); recv(fd, buf, 100, MSG_PEEK)",
	  "fd = 3; recv(fd, buf, 100, 0); recv(fd, buf, 100, 2)" },
	{ "read-write", "fd = 3; n = read(fd, buf, 100); write(fd, buf, n); write(fd, \"ab\")",
	  "fd = 3; n = read(fd, buf, 100, 0); write(fd, buf, n, 0); write(fd, \"ab\", 2, 0)" },
	{ "send-forms", "fd = 3; n = 5; send(fd, \"hi\"); send(fd, \"hi\", 1); send(fd, 1460); send(fd, n); send(fd, \"hi\", 2, MSG_NOSIGNAL); send(fd, buf, n, MSG_DONTWAIT)",
	  "fd = 3; n = 5; send(fd, \"hi\", 2, 0); send(fd, \"hi\", 1, 0); send(fd, GEN, 1460, 0); send(fd, GEN, n, 0); send(fd, \"hi\", 2, 16384); send(fd, buf, n, 64)" },
	{ "accept-forms", "l = 3; accept(l); accept(l, NULL, NULL); c = accept4(l, NULL, NULL, SOCK_NONBLOCK)",
	  "l = 3; accept(l, 0); accept(l, 0); c = accept4(l, 2048)" },
	{ "select-forms", "fd = 3; rd = [fd]; select(rd, NULL, NULL, NULL); select(fd + 1, [fd], NULL, NULL, {1, 500000}); select(NULL, NULL, [fd], NULL, 300ms)",
	  "fd = 3; rd = [fd]; select(NULL, rd, NULL, NULL, NULL); select((fd + 1), [fd], NULL, NULL, {1, 500000}); select(NULL, NULL, [fd], NULL, 300ms)" },
	{ "poll-forms", "fd = 3; fds = [{fd, POLLIN}]; poll([{fd, POLLIN}], 1000); poll(fds, 1, -1); poll(fds, 2s)",
	  "fd = 3; fds = [{fd, 1}]; poll([{fd, 1}], NULL, 1000); poll(fds, 1, -1); poll(fds, NULL, 2s)" },
	{ "fcntl-forms", "fd = 3; fcntl(fd, F_GETFL); fcntl(fd, F_GETFL, 0); fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)",
	  "fd = 3; fcntl(fd, 3, NULL); fcntl(fd, 3, NULL); fcntl(fd, 4, (fcntl(fd, 3, NULL) | 2048))" },
	{ "sleep-forms", "sleep(2); sleep(300ms); usleep(500); alarm(3); alarm(0)",
	  "sleep(2s); sleep(300ms); usleep(500us); alarm(3s); alarm(0s)" },
	{ "signals", "signal(SIGPIPE, SIG_IGN); signal(SIGALRM, on_alarm); signal(SIGINT, SIG_DFL); sigaction(SIGALRM, handler, SA_RESTART); sigaction(SIGTERM, handler)",
	  "signal(13, 1); signal(14, 2); signal(2, 0); sigaction(14, 2, 268435456); sigaction(15, 2, 0)" },
	{ "socket-flags", "fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_TCP)",
	  "fd = socket(2, 2049, 6)" },
	{ "addresses", "l = 3; bind(l, *:80); bind(l, 0.0.0.0:81); connect(l, {10.0.0.2:80}); connect(l, 192.168.1.1:65535)",
	  "l = 3; bind(l, *:80); bind(l, *:81); connect(l, 10.0.0.2:80); connect(l, 192.168.1.1:65535)" },
	{ "setsockopt", "fd = 3; setsockopt(fd, SO_LINGER, {1, 0}); setsockopt(fd, SO_SNDTIMEO, 3s); setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, {1, 500000}); setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, 1); setsockopt(fd, SOL_TCP, TCP_USER_TIMEOUT, 5000); setsockopt(fd, SO_RCVBUF, 64KiB)",
	  "fd = 3; setsockopt(fd, 1, 13, {1, 0}); setsockopt(fd, 1, 21, 3s); setsockopt(fd, 1, 20, {1, 500000}); setsockopt(fd, 6, 1, 1); setsockopt(fd, 6, 18, 5000); setsockopt(fd, 1, 8, 65536)" },
	{ "descriptor-calls", "fd = 3; ioctl(fd, FIONREAD, &n); ioctl(fd, SIOCINQ, &n); ioctl(fd, SIOCOUTQ, &m); getpeername(fd); getsockname(fd); shutdown(fd, SHUT_RDWR); close(fd)",
	  "fd = 3; ioctl(fd, 21531, &n); ioctl(fd, 21531, &n); ioctl(fd, 21521, &m); getpeername(fd); getsockname(fd); shutdown(fd, 2); close(fd)" },
	{ "precedence", "a = 1; x = a || a && a | a & a == a < a + a - a",
	  "a = 1; x = (a || (a && (a | (a & (a == (a < ((a + a) - a)))))))" },
	{ "unary-and-parentheses", "a = 1; x = (a || a) && !a; y = -a; z = !(a < 2)",
	  "a = 1; x = ((a || a) && (!a)); y = (-a); z = (!(a < 2))" },
	{ "literals-folded", "x = 1 + 2 - 3 | 8 & 12; y = - -2; z = 0x10 - 1; w = -1",
	  "x = 8; y = 2; z = 15; w = -1" },
	{ "comparisons-kept", "x = 1 < 2",
	  "x = (1 < 2)" },
	{ "control", "x = 1; if x == 1 { exit } else if x == 2 { exit(2) } else { x = 3 }; while x < 10 { x = x + 1; if x == 5 { break } }; repeat 3 { repeat x { break } }",
	  "x = 1; if (x == 1) { exit(NULL) } else { if (x == 2) { exit(2) } else { x = 3 } }; while (x < 10) { x = (x + 1); if (x == 5) { break } }; repeat 3 { repeat x { break } }" },
	{ "else-on-next-line", "x = 1\nif x == 1 {\n    x = 2\n}\nelse {\n    x = 3\n}",
	  "x = 1; if (x == 1) { x = 2 } else { x = 3 }" },
	{ "call-over-lines", "fd = socket(AF_INET, SOCK_STREAM, 0)\nn = select(fd + 1,\n           NULL, [fd],\n           NULL, 300ms)",
	  "fd = socket(2, 1, 0); n = select((fd + 1), NULL, [fd], NULL, 300ms)" },
	{ "fields", "fd = 3; getsockopt(fd, TCP_INFO, &info); fds = [{fd, POLLIN}, {fd, POLLOUT}]; x = info.tcpi_state == TCP_ESTABLISHED; y = fds[1].revents & POLLOUT",
	  "fd = 3; getsockopt(fd, 6, 11, &info); fds = [{fd, 1}, {fd, 4}]; x = (info.tcpi_state == 1); y = (fds[1].revents & 4)" },
	{ "assignment-as-value", "fd = 3; while (n = read(fd, buf, 100)) > 0 { (m = 3) }; x = (y = 2) + 1",
	  "fd = 3; while ((n = read(fd, buf, 100, 0)) > 0) { m = 3 }; x = ((y = 2) + 1)" },
	{ "errno-aliases", "x = errno == EWOULDBLOCK || errno == EDEADLOCK || errno == ENOTSUP",
	  "x = (((errno == 11) || (errno == 35)) || (errno == 95))" },
	{ "sizes-durations", "x = 64KiB; y = 1MB; sleep(1.5s); sleep(2min)",
	  "x = 65536; y = 1000000; sleep(1.5s); sleep(120s)" },
	{ "fd-isset", "fd = 3; rd = [fd]; x = FD_ISSET(fd, rd); y = FD_ISSET(fd, [fd, 4])",
	  "fd = 3; rd = [fd]; x = FD_ISSET(fd, rd); y = FD_ISSET(fd, [fd, 4])" },
	{ "lists-pairs", "fd = 3; fds = [{fd, POLLIN}, {3, POLLOUT}]; rd = []; lin = {1, 0}",
	  "fd = 3; fds = [{fd, 1}, {3, 4}]; rd = []; lin = {1, 0}" },
	{ "crash-reboot", "crash(); reboot()",
	  "crash(); reboot()" },
	{ "string-escapes", "fd = 3; send(fd, \"a\\0b\\x41\\101\\n\\\"\")",
	  "fd = 3; send(fd, \"a\\x00bAA\\x0a\\\"\", 7, 0)" },
	{ "tcp-states", "x = [TCP_ESTABLISHED, TCP_SYN_SENT, TCP_SYN_RECV, TCP_FIN_WAIT1, TCP_FIN_WAIT2, TCP_TIME_WAIT, TCP_CLOSE, TCP_CLOSE_WAIT, TCP_LAST_ACK, TCP_LISTEN, TCP_CLOSING]",
	  "x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]" },
	{ "errno-values", "x = [EAGAIN, ECONNREFUSED, ETIMEDOUT, EINPROGRESS, EHOSTUNREACH, ECONNRESET, EPIPE, EOPNOTSUPP, EDEADLK]",
	  "x = [11, 111, 110, 115, 113, 104, 32, 95, 35]" },
	{ "constant-values", "x = [SO_SNDTIMEO, SO_RCVTIMEO, POLLRDHUP, POLLWRNORM, MSG_NOSIGNAL, MSG_WAITALL, MSG_DONTWAIT, MSG_PEEK, O_NONBLOCK, SOCK_NONBLOCK, F_GETFL, F_SETFL, SA_RESTART, SIGPIPE, SIGALRM, INADDR_ANY, FIONREAD, SIOCOUTQ]",
	  "x = [21, 20, 8192, 256, 16384, 256, 64, 2, 2048, 2048, 3, 4, 268435456, 13, 14, 0, 21531, 21521]" },
	{ "blank-before-parenthesis", "fd = 3; close (fd); sleep (1s)",
	  "fd = 3; close(fd); sleep(1s)" },
	{ "empty-statements", "x = 1;; \n\n y = 2 ;",
	  "x = 1; y = 2" },
	{ "short-name-with-parenthesis-is-c", "fd = 3; send(fd, \"a\"); recv(fd, buf, 1); connect(fd, 10.0.0.2:80); listen(fd, 1); accept(fd); shutdown(fd, SHUT_WR); close(fd); sleep(1s); crash(); reboot()",
	  "fd = 3; send(fd, \"a\", 1, 0); recv(fd, buf, 1, 0); connect(fd, 10.0.0.2:80); listen(fd, 1); accept(fd, 0); shutdown(fd, 1); close(fd); sleep(1s); crash(); reboot()" },
};

/* Short-form scripts and what they become (script.h): #i{ ... } is the
 * block of the i-th call, CUR the current socket, DFLT the endpoint's
 * default address, GEN generated bytes. */
static const struct parse_case sugar_cases[] = {
	{ "listen", "listen",
	  "#0{ if (.l == 0) { .l = socket(2, 1, 0); bind(.l, DFLT); listen(.l, 128) } }" },
	{ "listen-port-backlog", "listen 80 backlog=5",
	  "#0{ if (.l == 0) { .l = socket(2, 1, 0); bind(.l, *:80); listen(.l, 5) } }" },
	{ "accept", "accept",
	  "#0{ accept(.l, 0) }" },
	{ "connect", "connect",
	  "#0{ socket(2, 1, 0); if DFLT { setsockopt(CUR, 1, 2, 1); bind(CUR, DFLT) }; connect(CUR, DFLT) }" },
	{ "connect-target", "connect 10.0.0.2:80",
	  "#0{ socket(2, 1, 0); if DFLT { setsockopt(CUR, 1, 2, 1); bind(CUR, DFLT) }; connect(CUR, 10.0.0.2:80) }" },
	{ "connect-timeout", "connect timeout=3s",
	  "#0{ socket(2, 1, 0); if DFLT { setsockopt(CUR, 1, 2, 1); bind(CUR, DFLT) }; fcntl(CUR, 4, 2048); if ((connect(CUR, DFLT) < 0) && (errno == 115)) { if (select(NULL, NULL, [CUR], NULL, 3s) > 0) { getsockopt(CUR, 1, 4, &.err) } }; fcntl(CUR, 4, 0) }" },
	{ "connect-sndtimeo", "connect 10.0.0.2:80 sndtimeo=2s",
	  "#0{ socket(2, 1, 0); if DFLT { setsockopt(CUR, 1, 2, 1); bind(CUR, DFLT) }; setsockopt(CUR, 1, 21, 2s); connect(CUR, 10.0.0.2:80) }" },
	{ "send-string", "send \"hi\\n\"",
	  "#0{ send(CUR, \"hi\\x0a\", 3, 0) }" },
	{ "send-bytes", "send 1460",
	  "#0{ send(CUR, GEN, 1460, 0) }" },
	{ "recv", "recv",
	  "#0{ recv(CUR, buf, 65536, 0) }" },
	{ "recv-bytes", "recv 100",
	  "#0{ recv(CUR, buf, 100, 256) }" },
	{ "recv-all", "recv all",
	  "#0{ while (recv(CUR, buf, 65536, 0) > 0) {} }" },
	{ "echo", "echo",
	  "#0{ while ((.n = recv(CUR, buf, 65536, 0)) > 0) { if (send(CUR, buf, .n, 0) < 0) { break } } }" },
	{ "echo-n", "echo 3",
	  "#0{ repeat 3 { .n = recv(CUR, buf, 65536, 0); if (.n <= 0) { break }; if (send(CUR, buf, .n, 0) < 0) { break } } }" },
	{ "sleep", "sleep 1s",
	  "#0{ sleep(1s) }" },
	{ "shutdown", "shutdown; shutdown rd; shutdown rdwr",
	  "#0{ shutdown(CUR, 1) }; #1{ shutdown(CUR, 0) }; #2{ shutdown(CUR, 2) }" },
	{ "close-abort", "close; abort",
	  "#0{ close(CUR) }; #1{ setsockopt(CUR, 1, 13, {1, 0}); close(CUR) }" },
	{ "crash-reboot", "crash; reboot",
	  "#0{ crash() }; #1{ reboot() }" },
	{ "echo-server", "listen 9877; accept; recv; send \"a\\n\"; close",
	  "#0{ if (.l == 0) { .l = socket(2, 1, 0); bind(.l, *:9877); listen(.l, 128) } }; #1{ accept(.l, 0) }; #2{ recv(CUR, buf, 65536, 0) }; #3{ send(CUR, \"a\\x0a\", 2, 0) }; #4{ close(CUR) }" },
	{ "over-lines", "connect\nsend \"a\"\n\nrecv; close",
	  "#0{ socket(2, 1, 0); if DFLT { setsockopt(CUR, 1, 2, 1); bind(CUR, DFLT) }; connect(CUR, DFLT) }; #1{ send(CUR, \"a\", 1, 0) }; #2{ recv(CUR, buf, 65536, 0) }; #3{ close(CUR) }" },
};

static const struct error_case error_cases[] = {
	{ "unknown-call", "connect; sned \"x\"", "column 10: unknown call 'sned'" },
	{ "unknown-call-case", "Close", "column 1: unknown call 'Close'" },
	{ "unknown-call-control-bytes", "cl\x01se", "column 1: unknown call 'cl\\x01se'" },
	{ "string-as-call", "\"close\"", "column 1: expected a call name such as connect or send, found a string" },
	{ "unterminated-string", "send \"abc", "column 6: unterminated string" },
	{ "unterminated-after-backslash", "send \"abc\\", "column 6: unterminated string" },
	{ "unterminated-escaped-quote", "send \"abc\\\"; close", "column 6: unterminated string" },
	{ "bad-escape", "send \"a\\qb\"", "column 8: bad escape '\\q' (known: \\n \\r \\t \\0 \\\\ \\\" \\xHH \\ooo)" },
	{ "bad-escape-blank", "send \"a\\ b\"", "column 8: bad escape: '\\' before byte 0x20" },
	{ "bad-hex-escape", "send \"\\x4\"", "column 7: bad escape: \\x needs two hex digits (\\x41)" },
	{ "bad-hex-escape-none", "send \"\\xg0\"", "column 7: bad escape: \\x needs two hex digits (\\x41)" },
	{ "octal-too-big", "send \"\\400\"", "column 7: bad escape: octal \\400 is more than one byte (\\377)" },
	{ "send-missing", "send", "column 1: send: missing argument: expected a \"string\" or a byte count" },
	{ "send-missing-before-semicolon", "close; send ; close", "column 8: send: missing argument: expected a \"string\" or a byte count" },
	{ "send-empty-string", "send \"\"", "column 6: send: empty string: expected at least one byte" },
	{ "send-zero", "send 0", "column 6: send: '0': expected at least one byte" },
	{ "send-bad-count", "send lots", "column 6: send: 'lots': expected a byte count such as 1460, 64KiB or 6MB" },
	{ "send-two-strings", "send \"a\" \"b\"", "column 10: send: unexpected argument (a string)" },
	{ "send-string-then-word", "send \"a\"b", "column 9: send: unexpected argument 'b'" },
	{ "close-argument", "close now", "column 7: close: unexpected argument 'now'" },
	{ "accept-argument", "accept 80", "column 8: accept: unexpected argument '80'" },
	{ "recv-zero", "recv 0", "column 6: recv: '0': expected at least one byte" },
	{ "recv-string", "recv \"x\"", "column 6: recv: expected a byte count, found a string" },
	{ "recv-two", "recv all 5", "column 10: recv: unexpected argument '5'" },
	{ "echo-zero", "echo 0", "column 6: echo: '0': expected a number of reads (at least 1)" },
	{ "echo-word", "echo many", "column 6: echo: 'many': expected a number of reads (at least 1)" },
	{ "sleep-missing", "sleep", "column 1: sleep: missing argument: expected a duration such as 200ms or 1.5s" },
	{ "sleep-bare-number", "sleep 5", "column 7: sleep: '5': a duration needs a unit: ns, us, ms, s, min or h" },
	{ "sleep-bad-unit", "sleep 5 s", "column 9: sleep: unexpected argument 's'" },
	{ "sleep-negative", "sleep -1s", "column 7: sleep: '-1s': expected a duration such as 200ms or 1.5s" },
	{ "shutdown-bad", "shutdown both", "column 10: shutdown: 'both': expected wr, rd or rdwr" },
	{ "shutdown-string", "shutdown \"wr\"", "column 10: shutdown: expected wr, rd or rdwr, found a string" },
	{ "listen-port-zero", "listen 0", "column 8: listen: port 0 out of range 1-65535" },
	{ "listen-port-too-big", "listen 65536", "column 8: listen: port 65536 out of range 1-65535" },
	{ "listen-port-word", "listen http", "column 8: listen: 'http': expected a port number (1-65535)" },
	{ "listen-two-ports", "listen 80 81", "column 11: listen: unexpected argument '81'" },
	{ "listen-backlog-twice", "listen backlog=1 backlog=2", "column 18: listen: unexpected argument 'backlog=2'" },
	{ "listen-unknown-option", "listen 80 queue=5", "column 11: listen: unexpected argument 'queue=5'" },
	{ "listen-bad-backlog", "listen backlog=-1", "column 8: listen: 'backlog=-1': expected backlog=N, N a whole number 0-65535" },
	{ "listen-three-args", "listen 80 backlog=1 x", "column 21: listen: unexpected argument 'x'" },
	{ "connect-no-port", "connect 10.0.0.2", "column 9: connect: '10.0.0.2': expected ADDRESS:PORT such as 10.0.0.2:8080" },
	{ "connect-bad-address", "connect 10.0.0.256:80", "column 9: connect: '10.0.0.256:80': expected an IPv4 address such as 10.0.0.2:8080" },
	{ "connect-hostname", "connect server:80", "column 9: connect: 'server:80': expected an IPv4 address such as 10.0.0.2:8080" },
	{ "connect-port-out-of-range", "connect 10.0.0.2:99999", "column 9: connect: port 99999 out of range 1-65535" },
	{ "connect-port-empty", "connect 10.0.0.2:", "column 9: connect: '10.0.0.2:': expected a port number (1-65535)" },
	{ "connect-bad-timeout", "connect timeout=soon", "column 9: connect: 'timeout=soon': expected a duration such as 200ms or 1.5s" },
	{ "connect-timeout-twice", "connect timeout=1s timeout=2s", "column 20: connect: unexpected argument 'timeout=2s'" },
	{ "connect-both-limits", "connect timeout=1s sndtimeo=2s", "column 20: connect: unexpected argument 'sndtimeo=2s'" },
	{ "connect-zero-timeout", "connect timeout=0", "column 9: connect: 'timeout=0': expected a time limit above 0" },
	{ "first-error-wins", "sned; \"unterminated", "column 1: unknown call 'sned'" },
	/* the C form */
	{ "c-argument-count", "fd = 3; connect(fd)",
	  "column 9: connect() takes 2 arguments (fd, address), found 1" },
	{ "c-too-many-arguments", "socket(AF_INET, SOCK_STREAM, 0, 1, 2, 3, 4)",
	  "column 1: socket() takes 3 arguments (domain, type, protocol), found 7" },
	{ "c-no-arguments", "crash(1)",
	  "column 1: crash() takes no arguments, found 1" },
	{ "c-one-argument", "close()",
	  "column 1: close() takes 1 argument (fd), found 0" },
	{ "c-counts-or", "l = 3; accept(l, NULL)",
	  "column 8: accept() takes 1 or 3 arguments (fd[, NULL, NULL]), found 2" },
	{ "unknown-constant", "fd = 3; n = getsockopt(fd, SO_EROR, &e)",
	  "column 28: unknown constant 'SO_EROR'" },
	{ "unknown-errno", "if errno == EFOO { exit }",
	  "column 13: unknown constant 'EFOO'" },
	{ "use-before-value", "x = fd",
	  "column 5: 'fd' is used before any value is given to it" },
	{ "use-before-value-same-statement", "n = n + 1",
	  "column 5: 'n' is used before any value is given to it" },
	{ "use-before-value-in-loop", "repeat 2 { if x == 1 { break }; x = 1 }",
	  "column 15: 'x' is used before any value is given to it" },
	{ "string-for-fd", "close(\"x\")",
	  "column 7: close(): argument 1 (fd): expected a descriptor, found a string" },
	{ "option-at-wrong-level", "fd = 3; getsockopt(fd, IPPROTO_TCP, SO_ERROR, &e)",
	  "column 37: getsockopt(): argument 3 (optname): SO_ERROR is an option of SOL_SOCKET, not of IPPROTO_TCP" },
	{ "option-unknown-number", "fd = 3; getsockopt(fd, SOL_SOCKET, 99, &e)",
	  "column 36: getsockopt(): argument 3 (optname): no SOL_SOCKET option has the number 99" },
	{ "option-number-needs-level", "fd = 3; getsockopt(fd, 4, &e)",
	  "column 24: getsockopt(): argument 2 (optname): a number needs its level: getsockopt(fd, LEVEL, 4, ...)" },
	{ "option-not-an-option", "fd = 3; getsockopt(fd, SOL_SOCKET, POLLIN, &e)",
	  "column 36: getsockopt(): argument 3 (optname): expected an option such as SO_ERROR or TCP_INFO, found POLLIN" },
	{ "level-unknown", "fd = 3; getsockopt(fd, 7, SO_ERROR, &e)",
	  "column 24: getsockopt(): argument 2 (level): expected SOL_SOCKET, IPPROTO_TCP or SOL_IP" },
	{ "getsockopt-needs-reference", "fd = 3; e = 0; getsockopt(fd, SO_ERROR, e)",
	  "column 41: getsockopt(): argument 3 (optval): expected &name (where the value goes), found a variable" },
	{ "setsockopt-read-only", "fd = 3; setsockopt(fd, SO_ERROR, 1)",
	  "column 24: setsockopt(): argument 2 (optname): SO_ERROR can only be read (getsockopt)" },
	{ "setsockopt-linger-pair", "fd = 3; setsockopt(fd, SO_LINGER, 1)",
	  "column 35: setsockopt(): argument 3 (optval): expected {onoff, seconds}, found a number" },
	{ "setsockopt-timeout-string", "fd = 3; setsockopt(fd, SO_RCVTIMEO, \"1s\")",
	  "column 37: setsockopt(): argument 3 (optval): expected a duration such as 3s or {seconds, microseconds}, found a string" },
	{ "send-negative-length", "fd = 3; send(fd, \"hi\", -1)",
	  "column 24: send(): argument 3 (len): expected a byte count of 0 or more" },
	{ "send-buf-needs-length", "fd = 3; send(fd, buf)",
	  "column 18: send(): argument 2 (data): buf needs its length: send(fd, buf, n)" },
	{ "send-count-with-length", "fd = 3; send(fd, 10, 5)",
	  "column 18: send(): argument 2 (data): expected a \"string\" or buf (a byte count goes alone: send(fd, 1460))" },
	{ "send-address", "fd = 3; send(fd, 10.0.0.2:80)",
	  "column 18: send(): argument 2 (data): expected a \"string\", buf or a byte count, found an address" },
	{ "recv-needs-buf", "fd = 3; recv(fd, \"x\", 5)",
	  "column 18: recv(): argument 2 (buf): expected buf (the program's buffer), found a string" },
	{ "shutdown-how", "fd = 3; shutdown(fd, 7)",
	  "column 22: shutdown(): argument 2 (how): expected SHUT_RD, SHUT_WR or SHUT_RDWR" },
	{ "fcntl-command", "fd = 3; fcntl(fd, 9, 1)",
	  "column 19: fcntl(): argument 2 (cmd): expected F_GETFL or F_SETFL" },
	{ "fcntl-setfl-flags", "fd = 3; fcntl(fd, F_SETFL)",
	  "column 9: fcntl(fd, F_SETFL, flags) needs its flags, such as O_NONBLOCK" },
	{ "ioctl-request", "fd = 3; ioctl(fd, SIOCOUTQ + 1, &n)",
	  "column 19: ioctl(): argument 2 (request): expected FIONREAD (SIOCINQ) or SIOCOUTQ" },
	{ "sleep-variable", "x = 1; sleep(x)",
	  "column 14: sleep(): argument 1 (seconds): expected a number of seconds such as 2, or a duration such as 300ms" },
	{ "sleep-c-negative", "sleep(-1)",
	  "column 7: sleep(): argument 1 (seconds): expected a number of seconds such as 2, or a duration such as 300ms" },
	{ "signal-not-a-signal", "signal(9, SIG_IGN)",
	  "column 8: signal(): argument 1 (signum): expected a signal such as SIGPIPE or SIGALRM" },
	{ "signal-bad-handler", "signal(SIGPIPE, 5)",
	  "column 17: signal(): argument 2 (handler): expected SIG_DFL, SIG_IGN or the name of a handler" },
	{ "socket-domain", "socket(10, SOCK_STREAM, 0)",
	  "column 8: socket(): argument 1 (domain): expected AF_INET: only IPv4 is simulated" },
	{ "socket-type", "socket(AF_INET, 2, 0)",
	  "column 17: socket(): argument 2 (type): expected SOCK_STREAM or SOCK_STREAM | SOCK_NONBLOCK" },
	{ "accept-address", "l = 3; accept(l, &a, NULL)",
	  "column 18: accept(): argument 2 (addr): expected NULL (the peer's address is not returned), found a reference (&name)" },
	{ "accept4-flags", "l = 3; accept4(l, NULL, NULL, 1)",
	  "column 31: accept4(): argument 4 (flags): expected 0 or SOCK_NONBLOCK" },
	{ "select-pair-in-set", "select([{3, 1}], NULL, NULL, NULL)",
	  "column 8: select(): argument 1 (readfds): expected a list of descriptors, found a pair in it" },
	{ "select-timeout-string", "select(NULL, NULL, NULL, \"1s\")",
	  "column 26: select(): argument 4 (timeout): expected NULL, a duration such as 300ms or {seconds, microseconds}, found a string" },
	{ "poll-numbers", "poll([3], 100)",
	  "column 6: poll(): argument 1 (fds): expected a list of {fd, events}, found a number in it" },
	{ "connect-string", "fd = 3; connect(fd, \"10.0.0.2:80\")",
	  "column 21: connect(): argument 2 (address): expected an address such as 10.0.0.2:80, found a string" },
	{ "unknown-c-call", "foo(3)",
	  "column 1: unknown call 'foo'" },
	{ "short-call-with-parenthesis", "echo(3)",
	  "column 1: echo is a call of the short form: write it without parentheses (echo 3)" },
	{ "if-without-condition", "if { }",
	  "column 4: if needs a condition before its '{'" },
	{ "block-never-closed", "if 1 {",
	  "column 6: '{' without a '}' to close it" },
	{ "block-never-closed-lines", "if 1 {\n  x = 1\n",
	  "line 1, column 6: '{' without a '}' to close it" },
	{ "brace-without-block", "}",
	  "column 1: '}' without a '{' before it" },
	{ "else-without-if", "else",
	  "column 1: else without an if before it" },
	{ "break-outside-loop", "x = 1; if x { break }",
	  "column 15: break outside a while or repeat loop" },
	{ "text-after-statement", "x = 3 y = 4",
	  "column 7: expected ';' or a new line after the statement, found 'y'" },
	{ "condition-string", "if \"a\" { }",
	  "column 4: if: expected a number, found a string" },
	{ "variable-string", "x = \"s\"",
	  "column 5: a variable holds a number, a list or a pair, not a string" },
	{ "variable-address", "x = 10.0.0.2:80",
	  "column 5: a variable holds a number, a list or a pair, not an address" },
	{ "assign-constant", "EAGAIN = 3",
	  "column 1: 'EAGAIN' is a constant, not a variable" },
	{ "variable-in-capitals", "N = 3",
	  "column 1: unknown constant 'N' (a variable's name has a small letter)" },
	{ "call-as-value", "x = close",
	  "column 5: 'close' is a call, not a variable: expected close(...)" },
	{ "keyword-as-value", "x = if",
	  "column 5: expected a value, found 'if'" },
	{ "unclosed-parenthesis", "x = (1",
	  "column 7: expected ')', found the end of the script" },
	{ "list-of-strings", "x = [1, \"a\"]",
	  "column 9: a list holds numbers or pairs: expected a number, found a string" },
	{ "brace-one-number", "x = {1}",
	  "column 7: expected ',' ({a, b} is a pair, {10.0.0.2:80} an address), found '}'" },
	{ "brace-three", "x = {1, 2, 3}",
	  "column 10: expected '}', found ','" },
	{ "reference-without-name", "x = &",
	  "column 6: expected a variable name after '&', found the end of the script" },
	{ "unknown-field", "x = 1; y = x.foo",
	  "column 14: unknown field 'foo' (tcpsim --help-scripts lists them)" },
	{ "index-not-a-number", "x = 1; y = x[a].revents",
	  "column 14: expected an index such as 0, found 'a'" },
	{ "index-without-field", "x = 1; y = x[0]",
	  "column 16: expected '.' and a field name after the index, found the end of the script" },
	{ "not-a-number", "x = 5x",
	  "column 5: '5x': expected a number, a size such as 64KiB or a duration such as 300ms" },
	{ "number-too-large", "x = 99999999999999999999",
	  "column 5: '99999999999999999999': a number above 9223372036854775807" },
	{ "sum-overflows", "x = 9223372036854775807 + 1",
	  "column 5: '+': the result does not fit in 64 bits" },
	{ "address-without-port", "fd = 3; connect(fd, 10.0.0.2)",
	  "column 21: '10.0.0.2': an address needs its port, as in 10.0.0.2:80" },
	{ "address-bad", "fd = 3; connect(fd, 10.0.0.256:80)",
	  "column 21: '10.0.0.256:80': expected an IPv4 address such as 10.0.0.2:80" },
	{ "address-bad-port", "fd = 3; connect(fd, 10.0.0.2:99999)",
	  "column 21: '10.0.0.2:99999': expected a port number 0-65535 after the ':'" },
	{ "string-ends-with-line", "fd = 3; send(fd, \"abc\n\")",
	  "line 1, column 18: unterminated string" },
	{ "operator-on-string", "x = 1 + \"a\"",
	  "column 9: '+': expected a number, found a string" },
	{ "operator-on-duration", "x = -300ms",
	  "column 6: '-': expected a number, found a duration" },
	{ "bad-byte", "x = @",
	  "column 5: expected a value, found '@'" },
	{ "lone-value-statement", "(3)",
	  "column 1: expected a statement: a call or an assignment, not a value alone" },
	{ "exit-string", "exit(\"a\")",
	  "column 6: exit(): expected a number, found a string" },
	{ "second-line", "x = 1\ny = z",
	  "line 2, column 5: 'z' is used before any value is given to it" },
	{ "after-last-newline", "x = (\n", "line 2, column 1: expected a value, found the end of the script" },
	{ "single-line-with-newline", "sned\n", "column 1: unknown call 'sned'" },
	{ "multi-line-short", "connect\nsned \"x\"",
	  "line 2, column 1: unknown call 'sned'" },
};

/* Appends bytes as a C-like string: printable ASCII as is (with \\ and \"
 * escaped), everything else as \xHH. */
static void append_bytes(GString *out, const uint8_t *p, uint64_t n)
{
	g_string_append_c(out, '"');
	for (uint64_t i = 0; i < n; i++) {
		if (p[i] == '\\' || p[i] == '"')
			g_string_append_printf(out, "\\%c", p[i]);
		else if (p[i] >= 0x20 && p[i] < 0x7f)
			g_string_append_c(out, (char)p[i]);
		else
			g_string_append_printf(out, "\\x%02x", p[i]);
	}
	g_string_append_c(out, '"');
}

static void append_target(GString *out, const struct script_call *c)
{
	if (!c->has_target)
		return;
	if (c->op == SCRIPT_CONNECT)
		g_string_append_printf(out, " %u.%u.%u.%u:%u", c->addr >> 24, (c->addr >> 16) & 0xff,
		                       (c->addr >> 8) & 0xff, c->addr & 0xff, c->port);
	else
		g_string_append_printf(out, " :%u", c->port);
}

static void append_duration(GString *out, const char *prefix, sim_time t)
{
	static const struct { const char *unit; sim_time ns; } units[] = {
		{ "min", SIM_MIN }, { "s", SIM_SEC }, { "ms", SIM_MS }, { "us", SIM_US }, { "ns", 1 },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(units); i++)
		if (t % units[i].ns == 0 || units[i].ns == 1) {
			g_string_append_printf(out, " %s%" G_GINT64_FORMAT "%s", prefix, t / units[i].ns, units[i].unit);
			return;
		}
}

/* ---- the tree, in one line ---- */

static void print_expr(GString *out, const struct script *s, const struct script_expr *e);

static void print_kids(GString *out, const struct script *s, struct script_expr *const *kids, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			g_string_append(out, ", ");
		print_expr(out, s, kids[i]);
	}
}

static void print_addr(GString *out, const struct script_expr *e)
{
	if (e->dflt)
		g_string_append(out, "DFLT");
	else if (e->addr == 0)
		g_string_append_printf(out, "*:%u", e->port);
	else
		g_string_append_printf(out, "%u.%u.%u.%u:%u", e->addr >> 24, (e->addr >> 16) & 0xff,
		                       (e->addr >> 8) & 0xff, e->addr & 0xff, e->port);
}

static const char *op_text(enum script_binop op)
{
	static const char *const ops[] = {
		[SOP_OR] = "||", [SOP_AND] = "&&", [SOP_EQ] = "==", [SOP_NE] = "!=", [SOP_LT] = "<",
		[SOP_LE] = "<=", [SOP_GT] = ">", [SOP_GE] = ">=", [SOP_BITOR] = "|", [SOP_BITAND] = "&",
		[SOP_ADD] = "+", [SOP_SUB] = "-", [SOP_NOT] = "!", [SOP_NEG] = "-",
	};
	return ops[op];
}

/* Every operator in parentheses, so that the precedence shows. */
static void print_expr(GString *out, const struct script *s, const struct script_expr *e)
{
	char buf[40];

	switch (e->kind) {
	case SX_INT: g_string_append_printf(out, "%" G_GINT64_FORMAT, e->i); break;
	case SX_DURATION: g_string_append(out, units_format_duration(e->t, buf, sizeof buf)); break;
	case SX_STRING: append_bytes(out, e->data, e->len); break;
	case SX_ADDR: print_addr(out, e); break;
	case SX_NULL: g_string_append(out, "NULL"); break;
	case SX_VAR: g_string_append(out, s->vars[e->var]); break;
	case SX_REF: g_string_append_printf(out, "&%s", s->vars[e->var]); break;
	case SX_ERRNO: g_string_append(out, "errno"); break;
	case SX_BUF: g_string_append(out, "buf"); break;
	case SX_GEN: g_string_append(out, "GEN"); break;
	case SX_CURRENT: g_string_append(out, "CUR"); break;
	case SX_LIST:
		g_string_append_c(out, '[');
		print_kids(out, s, e->kids, e->n_kids);
		g_string_append_c(out, ']');
		break;
	case SX_PAIR:
		g_string_append_c(out, '{');
		print_kids(out, s, e->kids, e->n_kids);
		g_string_append_c(out, '}');
		break;
	case SX_UNARY:
		g_string_append_printf(out, "(%s", op_text(e->op));
		print_expr(out, s, e->kids[0]);
		g_string_append_c(out, ')');
		break;
	case SX_BINARY:
		g_string_append_c(out, '(');
		print_expr(out, s, e->kids[0]);
		g_string_append_printf(out, " %s ", op_text(e->op));
		print_expr(out, s, e->kids[1]);
		g_string_append_c(out, ')');
		break;
	case SX_FIELD:
		print_expr(out, s, e->kids[0]);
		if (e->has_index)
			g_string_append_printf(out, "[%u]", e->index);
		g_string_append_printf(out, ".%s", e->field);
		break;
	case SX_CALL:
		g_string_append_printf(out, "%s(", e->call->name);
		print_kids(out, s, e->call->args, e->call->n_args);
		g_string_append_c(out, ')');
		break;
	case SX_ASSIGN:
		g_string_append_printf(out, "(%s = ", s->vars[e->var]);
		print_expr(out, s, e->kids[0]);
		g_string_append_c(out, ')');
		break;
	}
}

static void print_block(GString *out, const struct script *s, const struct script_block *b);

static void print_stmt(GString *out, const struct script *s, const struct script_stmt *st)
{
	switch (st->kind) {
	case SS_EXPR:
		if (st->expr->kind == SX_ASSIGN) { /* a statement needs no parentheses */
			g_string_append_printf(out, "%s = ", s->vars[st->expr->var]);
			print_expr(out, s, st->expr->kids[0]);
		} else {
			print_expr(out, s, st->expr);
		}
		break;
	case SS_IF:
	case SS_WHILE:
	case SS_REPEAT:
		g_string_append(out, st->kind == SS_IF ? "if " : st->kind == SS_WHILE ? "while " : "repeat ");
		print_expr(out, s, st->expr);
		g_string_append_c(out, ' ');
		print_block(out, s, &st->body);
		if (st->orelse.n) {
			g_string_append(out, " else ");
			print_block(out, s, &st->orelse);
		}
		break;
	case SS_BREAK:
		g_string_append(out, "break");
		break;
	case SS_EXIT:
		g_string_append(out, "exit(");
		print_expr(out, s, st->expr);
		g_string_append_c(out, ')');
		break;
	case SS_BLOCK:
		g_string_append_printf(out, "#%d", st->short_call);
		print_block(out, s, &st->body);
		break;
	}
}

static void print_stmts(GString *out, const struct script *s, const struct script_block *b)
{
	for (uint32_t i = 0; i < b->n; i++) {
		if (i)
			g_string_append(out, "; ");
		print_stmt(out, s, &b->v[i]);
	}
}

static void print_block(GString *out, const struct script *s, const struct script_block *b)
{
	g_string_append(out, b->n ? "{ " : "{");
	print_stmts(out, s, b);
	g_string_append(out, b->n ? " }" : "}");
}

/* ---- the contract, checked on every tree ---- */

/* The canonical number of arguments of each function (script.h). */
static const uint32_t canonical_args[SCRIPT_FN_COUNT] = {
	[SCRIPT_FN_SOCKET] = 3, [SCRIPT_FN_BIND] = 2, [SCRIPT_FN_LISTEN] = 2, [SCRIPT_FN_ACCEPT] = 2,
	[SCRIPT_FN_CONNECT] = 2, [SCRIPT_FN_GETSOCKOPT] = 4, [SCRIPT_FN_SETSOCKOPT] = 4,
	[SCRIPT_FN_GETPEERNAME] = 1, [SCRIPT_FN_GETSOCKNAME] = 1, [SCRIPT_FN_SEND] = 4,
	[SCRIPT_FN_WRITE] = 4, [SCRIPT_FN_RECV] = 4, [SCRIPT_FN_READ] = 4, [SCRIPT_FN_SHUTDOWN] = 2,
	[SCRIPT_FN_CLOSE] = 1, [SCRIPT_FN_SELECT] = 5, [SCRIPT_FN_POLL] = 3, [SCRIPT_FN_FCNTL] = 3,
	[SCRIPT_FN_IOCTL] = 3, [SCRIPT_FN_SLEEP] = 1, [SCRIPT_FN_SIGNAL] = 2, [SCRIPT_FN_SIGACTION] = 3,
	[SCRIPT_FN_ALARM] = 1, [SCRIPT_FN_CRASH] = 0, [SCRIPT_FN_REBOOT] = 0, [SCRIPT_FN_FD_ISSET] = 2,
};

static void check_call(const struct script_fcall *c)
{
	struct script_expr *const *a = c->args;

	g_assert_cmpuint(c->n_args, ==, canonical_args[c->fn]);
	g_assert_cmpuint(c->line, >=, 1);
	g_assert_cmpuint(c->column, >=, 1);
	if (c->fn == SCRIPT_FN_SLEEP || c->fn == SCRIPT_FN_ALARM)
		g_assert_cmpint(a[0]->kind, ==, SX_DURATION);
	if (c->fn == SCRIPT_FN_GETSOCKOPT || c->fn == SCRIPT_FN_SETSOCKOPT)
		g_assert_true(a[1]->kind == SX_INT && a[2]->kind == SX_INT);
	if (c->fn == SCRIPT_FN_GETSOCKOPT || c->fn == SCRIPT_FN_IOCTL)
		g_assert_cmpint(a[c->n_args - 1]->kind, ==, SX_REF);
	if (c->fn == SCRIPT_FN_SEND || c->fn == SCRIPT_FN_WRITE)
		g_assert_true(a[1]->kind == SX_STRING || a[1]->kind == SX_BUF || a[1]->kind == SX_GEN);
	if (c->fn == SCRIPT_FN_RECV || c->fn == SCRIPT_FN_READ)
		g_assert_cmpint(a[1]->kind, ==, SX_BUF);
	if (c->fn == SCRIPT_FN_SIGNAL || c->fn == SCRIPT_FN_SIGACTION)
		g_assert_true(a[1]->kind == SX_INT && a[1]->i >= 0 && a[1]->i <= 2);
	if (c->fn == SCRIPT_FN_BIND || c->fn == SCRIPT_FN_CONNECT)
		g_assert_cmpint(a[1]->kind, ==, SX_ADDR);
}

static void check_expr(const struct script *s, const struct script_expr *e)
{
	g_assert_cmpuint(e->line, >=, 1);
	g_assert_cmpuint(e->column, >=, 1);
	if (e->kind == SX_VAR || e->kind == SX_REF || e->kind == SX_ASSIGN)
		g_assert_cmpuint(e->var, <, s->n_vars);
	if (e->kind == SX_CALL) {
		check_call(e->call);
		for (uint32_t i = 0; i < e->call->n_args; i++)
			check_expr(s, e->call->args[i]);
	}
	for (uint32_t i = 0; i < e->n_kids; i++)
		check_expr(s, e->kids[i]);
}

static void check_block(const struct script *s, const struct script_block *b)
{
	for (uint32_t i = 0; i < b->n; i++) {
		const struct script_stmt *st = &b->v[i];
		g_assert_cmpuint(st->line, >=, 1);
		g_assert_cmpint(st->short_call >= 0, ==, st->kind == SS_BLOCK);
		g_assert_cmpint(st->expr != NULL, ==, st->kind != SS_BREAK && st->kind != SS_BLOCK);
		if (st->expr)
			check_expr(s, st->expr);
		check_block(s, &st->body);
		check_block(s, &st->orelse);
	}
}

/* The canonical form of a call: name, non-default fields, @column. */
static void describe(GString *out, const struct script_call *c)
{
	g_string_append(out, script_op_name(c->op));
	append_target(out, c);
	if (c->backlog != 128)
		g_string_append_printf(out, " backlog=%u", c->backlog);
	if (c->duration)
		append_duration(out, c->op != SCRIPT_CONNECT ? "" : c->sndtimeo ? "sndtimeo=" : "timeout=",
		                c->duration);
	if (c->data) {
		g_string_append_c(out, ' ');
		append_bytes(out, c->data, c->count);
	} else if (c->count) {
		g_string_append_printf(out, " %s=%" G_GUINT64_FORMAT,
		                       c->recv_mode == SCRIPT_RECV_BYTES ? "bytes" : "count", c->count);
	}
	if (c->op == SCRIPT_RECV && c->recv_mode == SCRIPT_RECV_ALL)
		g_string_append(out, " all");
	if (c->op == SCRIPT_SHUTDOWN)
		g_string_append(out, c->shut == SCRIPT_SHUT_WR ? " wr" : c->shut == SCRIPT_SHUT_RD ? " rd" : " rdwr");
	if (c->line > 1)
		g_string_append_printf(out, " @%u:%u", c->line, c->column);
	else
		g_string_append_printf(out, " @%u", c->column);
}

static void test_parse(gconstpointer data)
{
	const struct parse_case *tc = data;
	struct script s;
	char *error = NULL;
	GString *got = g_string_new(NULL);

	g_assert_true(script_parse(tc->text, &s, &error));
	g_assert_null(error);
	for (uint32_t i = 0; i < s.n; i++) {
		if (i)
			g_string_append(got, "; ");
		describe(got, &s.calls[i]);
		if (s.calls[i].op == SCRIPT_SEND && s.calls[i].data)
			g_assert_cmpuint(s.calls[i].count, >=, 1);
	}
	g_assert_cmpstr(got->str, ==, tc->expect);
	g_assert_true(s.n > 0 || s.calls == NULL);
	script_clear(&s);
	g_assert_null(s.calls);
	g_assert_cmpuint(s.n, ==, 0);
	g_string_free(got, TRUE);
}

static void test_error(gconstpointer data)
{
	const struct error_case *tc = data;
	struct script s = { .calls = (struct script_call *)&s, .n = 99 }; /* must be overwritten */
	char *error = NULL;

	g_assert_false(script_parse(tc->text, &s, &error));
	g_assert_cmpstr(error, ==, tc->expect);
	g_assert_null(s.calls);
	g_assert_cmpuint(s.n, ==, 0);
	g_free(error);
}

/* A C-form script: its tree in one line; the short form's list is empty. */
static void test_tree(gconstpointer data)
{
	const struct parse_case *tc = data;
	struct script s;
	char *error = NULL;
	GString *got = g_string_new(NULL);

	if (!script_parse(tc->text, &s, &error))
		g_error("%s: %s", tc->text, error);
	check_block(&s, &s.top);
	print_stmts(got, &s, &s.top);
	g_assert_cmpstr(got->str, ==, tc->expect);
	g_assert_cmpuint(s.n, ==, 0);
	script_clear(&s);
	g_assert_null(s.top.v);
	g_assert_null(s.vars);
	g_string_free(got, TRUE);
}

/* A short-form script: its desugared tree; the list as written stays. */
static void test_sugar(gconstpointer data)
{
	const struct parse_case *tc = data;
	struct script s;
	GString *got = g_string_new(NULL);

	g_assert_true(script_parse(tc->text, &s, NULL));
	check_block(&s, &s.top);
	print_stmts(got, &s, &s.top);
	g_assert_cmpstr(got->str, ==, tc->expect);
	g_assert_cmpuint(s.n, ==, s.top.n);
	for (uint32_t i = 0; i < s.top.n; i++) {
		g_assert_cmpint(s.top.v[i].kind, ==, SS_BLOCK);
		g_assert_cmpint(s.top.v[i].short_call, ==, (int32_t)i);
		g_assert_cmpuint(s.top.v[i].line, ==, s.calls[i].line);
		g_assert_cmpuint(s.top.v[i].column, ==, s.calls[i].column);
	}
	script_clear(&s);
	g_string_free(got, TRUE);
}

/* A script with a C-form statement has n = 0, but its short calls stay
 * allocated, and each SS_BLOCK indexes its own. */
static void test_mixed(void)
{
	struct script s;

	g_assert_true(script_parse("x = 1; repeat x { send \"a\"; recv }\nclose", &s, NULL));
	g_assert_cmpuint(s.n, ==, 0);
	g_assert_nonnull(s.calls);
	g_assert_cmpint(s.top.v[1].kind, ==, SS_REPEAT);
	g_assert_cmpint(s.top.v[1].body.v[0].short_call, ==, 0);
	g_assert_cmpint(s.top.v[1].body.v[1].short_call, ==, 1);
	g_assert_cmpint(s.top.v[2].short_call, ==, 2);
	g_assert_cmpint(s.calls[0].op, ==, SCRIPT_SEND);
	g_assert_cmpmem(s.calls[0].data, (int)s.calls[0].count, "a", 1);
	g_assert_cmpint(s.calls[1].op, ==, SCRIPT_RECV);
	g_assert_cmpint(s.calls[2].op, ==, SCRIPT_CLOSE);
	g_assert_cmpuint(s.calls[2].line, ==, 2);
	script_clear(&s);
	g_assert_null(s.calls);

	g_assert_true(script_parse("fd = 3; close(fd)", &s, NULL)); /* no short call: no list */
	g_assert_null(s.calls);
	script_clear(&s);
}

/* Variables in order of first appearance; the short form's start with '.'. */
static void test_vars(void)
{
	static const char *const names[] = { "fd", ".l", ".n", ".err", "x", "err" };
	struct script s;

	g_assert_true(script_parse("fd = 3; listen; echo; connect timeout=1s; x = fd\n"
	                           "getsockopt(fd, SO_ERROR, &err); x = err", &s, NULL));
	g_assert_cmpuint(s.n_vars, ==, G_N_ELEMENTS(names));
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		g_assert_cmpstr(s.vars[i], ==, names[i]);
	script_clear(&s);
	g_assert_null(s.vars);
	g_assert_cmpuint(s.n_vars, ==, 0);
}

/* Statements and expressions carry the line and column where they start. */
static void test_positions(void)
{
	struct script s;

	g_assert_true(script_parse("x = 1\n  if x == 1 {\n    close(x); sleep 1s\n  }", &s, NULL));
	const struct script_stmt *st = &s.top.v[1];
	g_assert_cmpuint(s.top.v[0].line, ==, 1);
	g_assert_cmpuint(s.top.v[0].column, ==, 1);
	g_assert_cmpuint(st->line, ==, 2);
	g_assert_cmpuint(st->column, ==, 3);
	g_assert_cmpuint(st->expr->column, ==, 6); /* x == 1 starts at x */
	const struct script_expr *call = st->body.v[0].expr;
	g_assert_cmpuint(call->line, ==, 3);
	g_assert_cmpuint(call->column, ==, 5);
	g_assert_cmpuint(call->call->args[0]->column, ==, 11);
	const struct script_stmt *sleep = &st->body.v[1]; /* a short call's block and its statements */
	g_assert_cmpuint(sleep->line, ==, 3);
	g_assert_cmpuint(sleep->column, ==, 15);
	g_assert_cmpuint(sleep->body.v[0].line, ==, 3);
	g_assert_cmpuint(sleep->body.v[0].expr->column, ==, 15);
	script_clear(&s);
}

/* script_parse_at: the place apart from the reason. */
static void test_parse_at(void)
{
	struct script s;
	uint32_t line = 9, column = 9;
	char *why = NULL;

	g_assert_false(script_parse_at("x = 1\n\ty = z", &s, &line, &column, &why));
	g_assert_cmpuint(line, ==, 2);
	g_assert_cmpuint(column, ==, 6);
	g_assert_cmpstr(why, ==, "'z' is used before any value is given to it");
	g_assert_null(s.top.v);
	g_assert_null(s.vars);
	g_free(why);
	g_assert_false(script_parse_at("sned", &s, &line, &column, NULL));
	g_assert_true(script_parse_at("close", &s, &line, &column, &why));
	g_assert_null(why);
	script_clear(&s);
}

/* Output names: the canonical name of each kind's value. */
static void test_const_names(void)
{
	static const struct { const char *kind; int64_t value; const char *name; } cases[] = {
		{ "errno", 111, "ECONNREFUSED" }, { "errno", 11, "EAGAIN" }, { "errno", 95, "EOPNOTSUPP" },
		{ "errno", 35, "EDEADLK" },       { "errno", 115, "EINPROGRESS" }, { "errno", 110, "ETIMEDOUT" },
		{ "errno", 133, "EHWPOISON" },    { "errno", 0, NULL },            { "errno", 134, NULL },
		{ "signal", 13, "SIGPIPE" },      { "signal", 14, "SIGALRM" },     { "level", 1, "SOL_SOCKET" },
		{ "level", 6, "SOL_TCP" },        { "sockopt", 2, "SO_REUSEADDR" }, { "tcpopt", 2, "TCP_MAXSEG" },
		{ "sockopt", 4, "SO_ERROR" },     { "tcpopt", 11, "TCP_INFO" },    { "poll", 1, "POLLIN" },
		{ "poll", 0x2000, "POLLRDHUP" },  { "shut", 1, "SHUT_WR" },        { "fcntl", 4, "F_SETFL" },
		{ "ioctl", 0x541b, "FIONREAD" },  { "ioctl", 0x5411, "SIOCOUTQ" }, { "socktype", 1, "SOCK_STREAM" },
		{ "domain", 2, "AF_INET" },       { "tcp_state", 1, "TCP_ESTABLISHED" },
		{ "tcp_state", 6, "TCP_TIME_WAIT" }, { "tcp_state", 7, "TCP_CLOSE" },
		{ "tcp_state", 11, "TCP_CLOSING" }, { "tcp_state", 12, NULL },   { "nosuch", 1, NULL },
		{ NULL, 1, NULL },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
		g_assert_cmpstr(script_const_name(cases[i].kind, cases[i].value), ==, cases[i].name);
	for (int e = 1; e <= 133; e++) /* every errno of Linux has its name */
		if (e != 41 && e != 58) /* numbers Linux leaves unused */
			g_assert_nonnull(script_const_name("errno", e));
}

/* Every constant of the table reads back as its value, and names it. */
static void test_const_table(void)
{
	size_t n;
	const struct script_const *c = script_consts(&n);

	for (size_t i = 0; i < n; i++) {
		char *text = g_strdup_printf("x = %s", c[i].name);
		struct script s;
		g_assert_true(script_parse(text, &s, NULL));
		g_assert_cmpint(s.top.v[0].expr->kids[0]->i, ==, c[i].value);
		script_clear(&s);
		g_free(text);
		if (!c[i].alias)
			g_assert_cmpstr(script_const_name(c[i].kind, c[i].value), ==, c[i].name);
	}
}

static void test_fn_names(void)
{
	static const char *const names[] = {
		"socket", "bind", "listen", "accept", "connect", "getsockopt", "setsockopt", "getpeername",
		"getsockname", "send", "write", "recv", "read", "shutdown", "close", "select", "poll", "fcntl",
		"ioctl", "sleep", "signal", "sigaction", "alarm", "crash", "reboot", "FD_ISSET",
	};
	G_STATIC_ASSERT(G_N_ELEMENTS(names) == SCRIPT_FN_COUNT);
	for (int fn = 0; fn < SCRIPT_FN_COUNT; fn++)
		g_assert_cmpstr(script_fn_name((enum script_fn)fn), ==, names[fn]);
	g_assert_cmpstr(script_fn_name(SCRIPT_FN_COUNT), ==, "?");
}

/* --help-scripts: 80 columns, every call, constant and field. */
static void test_help(void)
{
	GString *out = g_string_new(NULL);
	size_t n;
	const struct script_const *c = script_consts(&n);
	const char *params;

	script_print_reference(out);
	char **lines = g_strsplit(out->str, "\n", -1);
	for (char **l = lines; *l; l++)
		if (g_utf8_strlen(*l, -1) > 80)
			g_error("a line of %ld columns: %s", g_utf8_strlen(*l, -1), *l);
	g_strfreev(lines);
	for (size_t i = 0; sp_call_signature(i, &params); i++) {
		char *head = g_strdup_printf("\n  %s(%s)\n", sp_call_signature(i, &params), params);
		g_assert_nonnull(strstr(out->str, head));
		g_free(head);
	}
	for (size_t i = 0; i < n; i++)
		g_assert_nonnull(strstr(out->str, c[i].name));
	for (int op = 0; op < SCRIPT_OP_COUNT; op++) {
		char *head = g_strdup_printf("\n  %s", script_op_name((enum script_op)op));
		g_assert_nonnull(strstr(out->str, head));
		g_free(head);
	}
	g_assert_nonnull(strstr(out->str, "tcpi_state"));
	g_assert_null(strstr(out->str, ".c")); /* no source file named */
	g_string_free(out, TRUE);
}

/* Random text from the C form's alphabet: the parser returns, a success
 * keeps the contract, and a failure names a place inside the text. */
static void test_error_random_c(void)
{
	static const char *const pieces[] = {
		"fd", "x", " = ", "(", ")", "{", "}", "[", "]", ", ", ";", "\n", " ", "if ", "while ", "repeat ",
		"else ", "break", "exit", "socket", "connect", "send", "recv", "close", "select", "poll",
		"getsockopt", "signal", "fcntl", "sleep", "1", "-", "+", "==", "&&", "|", "&", "!", "300ms",
		"10.0.0.2:80", "*:80", "\"a\"", "AF_INET", "SO_ERROR", "SOL_SOCKET", "POLLIN", "NULL", "buf",
		"errno", ".revents", "[0]", "&x", "64KiB", "EAGAIN", "FD_ISSET", "listen", "echo 2", "\t",
	};
	GRand *r = g_rand_new_with_seed(17);

	for (int run = 0; run < 5000; run++) {
		GString *text = g_string_new(NULL);
		struct script s;
		uint32_t line = 0, column = 0;
		char *why = NULL;
		for (int n = g_rand_int_range(r, 0, 24); n > 0; n--)
			g_string_append(text, pieces[g_rand_int_range(r, 0, G_N_ELEMENTS(pieces))]);
		if (script_parse_at(text->str, &s, &line, &column, &why)) {
			check_block(&s, &s.top);
			script_clear(&s);
		} else {
			unsigned lines = 1;
			for (const char *c = text->str; *c; c++)
				lines += *c == '\n';
			g_assert_nonnull(why);
			g_assert_cmpuint(line, >=, 1);
			g_assert_cmpuint(line, <=, lines);
			g_assert_cmpuint(column, >=, 1);
			g_assert_cmpuint(column, <=, text->len + 1);
			g_assert_null(s.top.v);
			g_assert_null(s.calls);
		}
		g_free(why);
		g_string_free(text, TRUE);
	}
	g_rand_free(r);
}

/* The decoded bytes of a string keep an embedded NUL and their length. */
static void test_parse_nul_bytes(void)
{
	struct script s;
	char *error = NULL;

	g_assert_true(script_parse("send \"hello\\0\"", &s, &error));
	g_assert_cmpuint(s.n, ==, 1);
	g_assert_cmpuint(s.calls[0].count, ==, 6);
	g_assert_cmpmem(s.calls[0].data, 6, "hello\0", 6);
	script_clear(&s);
}

/* A NULL error pointer is allowed: the caller only wants a yes or no. */
static void test_error_null_pointer(void)
{
	struct script s;

	g_assert_false(script_parse("sned", &s, NULL));
	g_assert_null(s.calls);
}

static void test_parse_defaults(void)
{
	struct script s;

	g_assert_true(script_parse("listen; connect", &s, NULL));
	g_assert_cmpuint(s.calls[0].backlog, ==, 128);
	g_assert_false(s.calls[0].has_target);
	g_assert_cmpuint(s.calls[0].port, ==, 0);
	g_assert_false(s.calls[1].has_target);
	g_assert_cmpint(s.calls[1].duration, ==, 0);
	g_assert_null(s.calls[1].data);
	script_clear(&s);
}

/* Random text from the script's own alphabet: the parser returns, and a
 * failure names a column inside the text (or just after it). */
static void test_error_random_text(void)
{
	static const char *const pieces[] = { "listen", "connect", "send", "recv", "echo", "sleep",
	                                      "shutdown", "close", " ", " ", ";", "\"", "\\", "x41",
	                                      "0", "7", "1s", "backlog=", "timeout=", "10.0.0.2:", "all",
	                                      "rdwr", "=", ":", "\t" };
	GRand *r = g_rand_new_with_seed(5);

	for (int run = 0; run < 2000; run++) {
		GString *text = g_string_new(NULL);
		struct script s;
		char *error = NULL;
		for (int n = g_rand_int_range(r, 0, 12); n > 0; n--)
			g_string_append(text, pieces[g_rand_int_range(r, 0, G_N_ELEMENTS(pieces))]);
		if (script_parse(text->str, &s, &error)) {
			script_clear(&s);
		} else {
			unsigned column = 0;
			g_assert_cmpint(sscanf(error, "column %u: ", &column), ==, 1);
			g_assert_cmpuint(column, >=, 1);
			g_assert_cmpuint(column, <=, text->len + 1);
		}
		g_free(error);
		g_string_free(text, TRUE);
	}
	g_rand_free(r);
}

static void test_op_names(void)
{
	static const char *const names[] = { "listen", "accept", "connect", "send", "recv", "echo",
	                                     "sleep", "shutdown", "close", "abort", "crash", "reboot" };
	G_STATIC_ASSERT(G_N_ELEMENTS(names) == SCRIPT_OP_COUNT);
	for (int op = 0; op < SCRIPT_OP_COUNT; op++)
		g_assert_cmpstr(script_op_name((enum script_op)op), ==, names[op]);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(parse_cases); i++) {
		char *path = g_strdup_printf("/script/parse/%s", parse_cases[i].name);
		g_test_add_data_func(path, &parse_cases[i], test_parse);
		g_free(path);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(error_cases); i++) {
		char *path = g_strdup_printf("/script/error/%s", error_cases[i].name);
		g_test_add_data_func(path, &error_cases[i], test_error);
		g_free(path);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(tree_cases); i++) {
		char *path = g_strdup_printf("/script/tree/%s", tree_cases[i].name);
		g_test_add_data_func(path, &tree_cases[i], test_tree);
		g_free(path);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(sugar_cases); i++) {
		char *path = g_strdup_printf("/script/sugar/%s", sugar_cases[i].name);
		g_test_add_data_func(path, &sugar_cases[i], test_sugar);
		g_free(path);
	}
	g_test_add_func("/script/parse/nul-bytes-kept", test_parse_nul_bytes);
	g_test_add_func("/script/parse/defaults", test_parse_defaults);
	g_test_add_func("/script/parse/op-names", test_op_names);
	g_test_add_func("/script/error/null-error-pointer", test_error_null_pointer);
	g_test_add_func("/script/error/random-text", test_error_random_text);
	g_test_add_func("/script/error/random-c", test_error_random_c);
	g_test_add_func("/script/tree/mixed", test_mixed);
	g_test_add_func("/script/tree/vars", test_vars);
	g_test_add_func("/script/tree/positions", test_positions);
	g_test_add_func("/script/tree/parse-at", test_parse_at);
	g_test_add_func("/script/consts/names", test_const_names);
	g_test_add_func("/script/consts/table", test_const_table);
	g_test_add_func("/script/parse/fn-names", test_fn_names);
	g_test_add_func("/script/help", test_help);
	return g_test_run();
}
