/*
 * packetdrill's %{ python }% blocks (pkt_python.c): the small part of
 * Python they are written in, evaluated against the model's tcp_info.
 *
 * packetdrill (its code.c) takes a snapshot of struct tcp_info of the
 * socket under test at each block's time (getsockopt TCP_INFO), and once
 * the script is over runs every block in one Python program, each after
 * its snapshot's fields were assigned to the names tcpi_state,
 * tcpi_snd_cwnd...; a failed assert fails the script with Python's
 * AssertionError.  On Linux it also defines TCP_ESTABLISHED..., TCP_CA_*
 * and TCPI_OPT_*; FreeBSD's build (nplab's) TCPI_CLOSED... TCPI_TIME_WAIT
 * in FreeBSD's numbers and TCPI_OPT_* with TCPI_OPT_SACK.
 *
 * The blocks of the public suites are asserts of comparisons:
 *
 *     assert tcpi_probes == 6, tcpi_probes; \
 *     assert (tcpi_options & TCPI_OPT_WSCALE) != 0, tcpi_options
 *
 * This evaluator takes statements separated by newlines or ';' (a '\'
 * continues a line, brackets too, '#' comments), `assert TEST[, MSG]`,
 * `print(...)`, `pass` and bare expressions; integers (decimal, 0x, 0o,
 * 0b), floats, True, False, strings (as a message or a print argument);
 * + - * / // % ** & | ^ << >> ~, comparisons (chained: a < b <= c),
 * and, or, not, parentheses, abs(), min(), max(); the names packetdrill
 * defines whose value the model keeps.  Anything else is refused when the
 * block is parsed, with "python: WHAT": the script is then UNSUPPORTED,
 * never half run.  Integers are 64-bit: a result beyond is refused too.
 */
#ifndef SIM_PKT_PKT_PYTHON_H
#define SIM_PKT_PKT_PYTHON_H

#include <stdbool.h>
#include <stdint.h>

struct app_tcp_info;

/* Whose packetdrill runs the script: which tcp_info fields and constants
 * it defines, and how it numbers tcpi_state (Linux's TCP_ESTABLISHED 1...,
 * FreeBSD's TCPS_ESTABLISHED 4...). */
enum pkt_os { PKT_OS_LINUX, PKT_OS_FREEBSD };

/* The profile's system: FreeBSD for "bsd" and "freebsd", Linux for the
 * others (packetdrill has no build for the rest; Linux's is the default). */
enum pkt_os pkt_profile_os(const char *profile);

/* One block, parsed. */
struct pkt_py;

/* Parses a block's text for the given system.  NULL with *why ("python:
 * the statement `import`", "python: tcpi_ca_state (the model does not keep
 * it)") when the evaluator cannot run it. */
struct pkt_py *pkt_py_parse(const char *text, enum pkt_os os, char **why);
void pkt_py_free(struct pkt_py *p);

enum pkt_py_outcome {
	PKT_PY_OK,          /* ran to its end */
	PKT_PY_RAISED,      /* an exception, as Python raises it (AssertionError...) */
	PKT_PY_UNSUPPORTED, /* a value beyond the evaluator (an integer past 64 bits) */
};

/* Runs the block with tcpi_* bound to the snapshot t (state in Linux's
 * numbering: the block sees its system's).  PKT_PY_RAISED: *line is the
 * statement's line within the block (0 the first) and *message its text
 * and the exception, "    assert x == 1, x\nAssertionError: 2";
 * PKT_PY_UNSUPPORTED: *message "python: ...".  g_free the message. */
enum pkt_py_outcome pkt_py_run(const struct pkt_py *p, const struct app_tcp_info *t,
                               uint32_t *line, char **message);

#endif
