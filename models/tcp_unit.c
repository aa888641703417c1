/*
 * The TCP endpoint's files, compiled as one unit.
 *
 * Each file below is read, kept and linted on its own; the Makefile
 * compiles this file in their place (TCP_UNIT_PARTS, read from the list
 * below: a file left out is compiled on its own, and only loses the
 * inlining).  They call one
 * another on every segment: input hands an ACK to RACK, the SACK board,
 * the congestion control, the buffers and the timers, and output back to
 * them.  A call between files compiled apart cannot be inlined, and those
 * calls cost the lifecycle benchmark about 4.6 % (link-time optimisation of
 * models/ alone, tools/bench_layouts.py --opt, recovers the same).  SQLite
 * ships its amalgamation for the same reason.  No two of the files may
 * define the same static name; a new file of the endpoint goes in the list.
 */
#include "models/tcp.c"
#include "models/tcp_buf.c"
#include "models/tcp_cong.c"
#include "models/tcp_cubic.c"
#include "models/tcp_icmp.c"
#include "models/tcp_input.c"
#include "models/tcp_output.c"
#include "models/tcp_rack.c"
#include "models/tcp_recovery.c"
#include "models/tcp_sack_board.c"
#include "models/tcp_sack_rcv.c"
#include "models/tcp_timer.c"
#include "models/tcp_tsq.c"
