/*
 * Tests of the packetdrill script parser (sim/pkt/pkt_parse.c and its
 * files): real-world lines, each grammar element, whole small scripts,
 * #ifdef selection, and the exact message of each syntax error.
 *
 * /pkt/time/<case>       event times and blocking end times
 * /pkt/packet/<case>     TCP, ICMP and UDP packet lines, TCP options
 * /pkt/syscall/<case>    calls, their arguments and return values
 * /pkt/script/<case>     options, init and cleanup commands, code, #ifdef
 * /pkt/error/<case>      a broken script and the exact message it gives
 * /pkt/files             every .pkt file under tests/pkt/, if any
 */
#include <glib.h>
#include <string.h>
#include "sim/pkt/pkt.h"

#define S(x) ((sim_time)(x) * 1000000000)
#define MS(x) ((sim_time)(x) * 1000000)

static void parse_ok_defs(struct pkt_script *s, const char *text, const char *const *defined)
{
	GError *error = NULL;
	bool ok = pkt_parse("t.pkt", text, strlen(text), defined, s, &error);

	g_assert_no_error(error);
	g_assert_true(ok);
}

static void parse_ok(struct pkt_script *s, const char *text)
{
	parse_ok_defs(s, text, NULL);
}

/* The only event of a one-line script. */
static const struct pkt_event *only(struct pkt_script *s, const char *text)
{
	parse_ok(s, text);
	g_assert_cmpuint(s->n_events, ==, 1);
	return &s->events[0];
}

static const struct pkt_packet *only_packet(struct pkt_script *s, const char *text)
{
	const struct pkt_event *ev = only(s, text);
	g_assert_cmpint(ev->kind, ==, PKT_EV_PACKET);
	return &ev->packet;
}

static const struct pkt_syscall *only_call(struct pkt_script *s, const char *text)
{
	const struct pkt_event *ev = only(s, text);
	g_assert_cmpint(ev->kind, ==, PKT_EV_SYSCALL);
	return &ev->call;
}

static void assert_word(const struct pkt_expr *e, const char *word)
{
	g_assert_cmpint(e->kind, ==, PKT_EX_WORD);
	g_assert_cmpstr(e->s, ==, word);
}

static void assert_int(const struct pkt_expr *e, int64_t v)
{
	g_assert_cmpint(e->kind, ==, PKT_EX_INT);
	g_assert_cmpint(e->i, ==, v);
}

/* ---- times ---- */

static void test_time_absolute(void)
{
	struct pkt_script s;
	const struct pkt_event *ev = only(&s, "0.100 close(3) = 0\n");

	g_assert_cmpint(ev->time.kind, ==, PKT_TIME_ABSOLUTE);
	g_assert_cmpint(ev->time.t, ==, MS(100));
	g_assert_cmpuint(ev->line, ==, 1);
	pkt_script_clear(&s);
}

static void test_time_integer(void)
{
	struct pkt_script s;
	const struct pkt_event *ev = only(&s, "    2 close(3) = 0");

	g_assert_cmpint(ev->time.kind, ==, PKT_TIME_ABSOLUTE);
	g_assert_cmpint(ev->time.t, ==, S(2));
	pkt_script_clear(&s);
}

static void test_time_leading_dot(void)
{
	struct pkt_script s;
	const struct pkt_event *ev = only(&s, ".1 close(3) = 0");

	g_assert_cmpint(ev->time.t, ==, MS(100));
	pkt_script_clear(&s);
}

static void test_time_relative(void)
{
	struct pkt_script s;
	const struct pkt_event *ev = only(&s, " +.01 close(4) = 0");

	g_assert_cmpint(ev->time.kind, ==, PKT_TIME_RELATIVE);
	g_assert_cmpint(ev->time.t, ==, MS(10));
	pkt_script_clear(&s);
}

static void test_time_nanoseconds_exact(void)
{
	struct pkt_script s;
	const struct pkt_event *ev = only(&s, "+1.000000001 close(4) = 0");

	g_assert_cmpint(ev->time.t, ==, S(1) + 1);
	pkt_script_clear(&s);
}

static void test_time_any(void)
{
	struct pkt_script s;
	const struct pkt_event *ev = only(&s, "*   > F. 1:1(0) ack 11");

	g_assert_cmpint(ev->time.kind, ==, PKT_TIME_ANY);
	g_assert_true(ev->packet.outbound);
	pkt_script_clear(&s);
}

static void test_time_range_absolute(void)
{
	struct pkt_script s;
	const struct pkt_event *ev = only(&s, "0.3~0.4 > R 11:11(0) win 0");

	g_assert_cmpint(ev->time.kind, ==, PKT_TIME_RANGE);
	g_assert_cmpint(ev->time.t, ==, MS(300));
	g_assert_cmpint(ev->time.t_end, ==, MS(400));
	g_assert_false(ev->time.end_relative);
	pkt_script_clear(&s);
}

static void test_time_range_relative(void)
{
	struct pkt_script s;
	const struct pkt_event *ev = only(&s, "+0.1~+0.2 > . 1:1(0) ack 1");

	g_assert_cmpint(ev->time.kind, ==, PKT_TIME_RANGE);
	g_assert_cmpint(ev->time.t, ==, MS(100));
	g_assert_cmpint(ev->time.t_end, ==, MS(200));
	g_assert_true(ev->time.end_relative);
	pkt_script_clear(&s);
}

static void test_time_blocking_end(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "  +.1...0.200 connect(3, ..., ...) = 0");

	g_assert_cmpint(s.events[0].time.kind, ==, PKT_TIME_RELATIVE);
	g_assert_cmpint(s.events[0].time.t, ==, MS(100));
	g_assert_true(c->has_end);
	g_assert_cmpint(c->end.kind, ==, PKT_TIME_ABSOLUTE);
	g_assert_cmpint(c->end.t, ==, MS(200));
	g_assert_cmpstr(c->name, ==, "connect");
	pkt_script_clear(&s);
}

static void test_time_blocking_integer_start(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "0...0.1 accept(3, ..., ...) = 4");

	g_assert_cmpint(s.events[0].time.t, ==, 0);
	g_assert_true(c->has_end);
	g_assert_cmpint(c->end.t, ==, MS(100));
	pkt_script_clear(&s);
}

static void test_time_blocking_spaced(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "+.002 ... 0.004 connect(4, ..., ...) = 0");

	g_assert_cmpint(s.events[0].time.t, ==, MS(2));
	g_assert_cmpint(c->end.t, ==, MS(4));
	pkt_script_clear(&s);
}

static void test_time_blocking_relative_end(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "+0...+0.25 read(4, ..., 1000) = 10");

	g_assert_cmpint(c->end.kind, ==, PKT_TIME_RELATIVE);
	g_assert_cmpint(c->end.t, ==, MS(250));
	pkt_script_clear(&s);
}

/* ---- packets ---- */

static void test_packet_syn_with_options(void)
{
	struct pkt_script s;
	const struct pkt_packet *p = only_packet(&s, "+0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>");

	g_assert_false(p->outbound);
	g_assert_cmpint(p->proto, ==, PKT_TCP);
	g_assert_cmpuint(p->flags, ==, PKT_F_SYN);
	g_assert_cmpuint(p->seq_start, ==, 0);
	g_assert_cmpuint(p->seq_end, ==, 0);
	g_assert_cmpuint(p->len, ==, 0);
	g_assert_false(p->has_ack);
	g_assert_true(p->has_win);
	g_assert_cmpuint(p->win, ==, 32792);
	g_assert_true(p->has_options);
	g_assert_false(p->options_any);
	g_assert_cmpuint(p->n_opts, ==, 6);
	g_assert_cmpint(p->opts[0].kind, ==, PKT_OPT_MSS);
	g_assert_cmpuint(p->opts[0].value, ==, 1000);
	g_assert_cmpint(p->opts[1].kind, ==, PKT_OPT_SACK_OK);
	g_assert_cmpint(p->opts[2].kind, ==, PKT_OPT_NOP);
	g_assert_cmpint(p->opts[4].kind, ==, PKT_OPT_NOP);
	g_assert_cmpint(p->opts[5].kind, ==, PKT_OPT_WSCALE);
	g_assert_cmpuint(p->opts[5].value, ==, 7);
	g_assert_null(p->ip_ecn);
	pkt_script_clear(&s);
}

static void test_packet_syn_ack(void)
{
	struct pkt_script s;
	const struct pkt_packet *p = only_packet(&s, "+0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 8>");

	g_assert_true(p->outbound);
	g_assert_cmpuint(p->flags, ==, PKT_F_SYN | PKT_F_ACK);
	g_assert_true(p->has_ack);
	g_assert_cmpuint(p->ack, ==, 1);
	g_assert_false(p->has_win);
	g_assert_cmpuint(p->n_opts, ==, 6);
	pkt_script_clear(&s);
}

static void test_packet_pure_ack(void)
{
	struct pkt_script s;
	const struct pkt_packet *p = only_packet(&s, "+.1 < . 1:1(0) ack 1 win 257");

	g_assert_cmpuint(p->flags, ==, PKT_F_ACK);
	g_assert_cmpuint(p->seq_start, ==, 1);
	g_assert_cmpuint(p->ack, ==, 1);
	g_assert_cmpuint(p->win, ==, 257);
	g_assert_false(p->has_options);
	g_assert_cmpuint(p->n_opts, ==, 0);
	pkt_script_clear(&s);
}

static void test_packet_data(void)
{
	struct pkt_script s;
	const struct pkt_packet *p = only_packet(&s, "+0 > P. 1:1461(1460) ack 1");

	g_assert_cmpuint(p->flags, ==, PKT_F_PSH | PKT_F_ACK);
	g_assert_cmpuint(p->seq_start, ==, 1);
	g_assert_cmpuint(p->seq_end, ==, 1461);
	g_assert_cmpuint(p->len, ==, 1460);
	pkt_script_clear(&s);
}

static void test_packet_fin_and_rst(void)
{
	struct pkt_script s;

	parse_ok(&s, "+.01 < F. 1:1(0) ack 1 win 257\n+0 > R 2:2(0)\n+0 < R. 0:0(0) ack 1 win 0\n");
	g_assert_cmpuint(s.n_events, ==, 3);
	g_assert_cmpuint(s.events[0].packet.flags, ==, PKT_F_FIN | PKT_F_ACK);
	g_assert_cmpuint(s.events[1].packet.flags, ==, PKT_F_RST);
	g_assert_cmpuint(s.events[1].line, ==, 2);
	g_assert_cmpuint(s.events[2].packet.flags, ==, PKT_F_RST | PKT_F_ACK);
	g_assert_cmpuint(s.events[2].line, ==, 3);
	pkt_script_clear(&s);
}

static void test_packet_ecn_flags(void)
{
	struct pkt_script s;

	parse_ok(&s, "   +0 > SEW 0:0(0) <mss 1460>\n+.002 < SE. 0:0(0) ack 1 win 32767\n+0 < UC. 1:1(0) ack 1\n");
	g_assert_cmpuint(s.events[0].packet.flags, ==, PKT_F_SYN | PKT_F_ECE | PKT_F_CWR);
	g_assert_cmpuint(s.events[1].packet.flags, ==, PKT_F_SYN | PKT_F_ECE | PKT_F_ACK);
	g_assert_cmpuint(s.events[2].packet.flags, ==, PKT_F_URG | PKT_F_CWR | PKT_F_ACK);
	pkt_script_clear(&s);
}

static void test_packet_no_flags(void)
{
	struct pkt_script s;
	const struct pkt_packet *p = only_packet(&s, "0.1 < - 1:1(0) win 32792");

	g_assert_cmpuint(p->flags, ==, 0);
	pkt_script_clear(&s);
}

static void test_packet_any_options(void)
{
	struct pkt_script s;
	const struct pkt_packet *p = only_packet(&s, "0.100 > S. 0:0(0) ack 1 <...>");

	g_assert_true(p->has_options);
	g_assert_true(p->options_any);
	g_assert_cmpuint(p->n_opts, ==, 0);
	pkt_script_clear(&s);
}

static void test_packet_empty_options(void)
{
	struct pkt_script s;
	const struct pkt_packet *p = only_packet(&s, "0 < . 1:1(0) ack 1 win 257 <>");

	g_assert_true(p->has_options);
	g_assert_false(p->options_any);
	g_assert_cmpuint(p->n_opts, ==, 0);
	pkt_script_clear(&s);
}

static void test_packet_timestamps(void)
{
	struct pkt_script s;
	const struct pkt_packet *p =
		only_packet(&s, "0.200 < S. 0:0(0) ack 1 win 5792 <mss 1460,sackOK,TS val 700 ecr 100,nop,wscale 7>");

	g_assert_cmpuint(p->n_opts, ==, 5);
	g_assert_cmpint(p->opts[2].kind, ==, PKT_OPT_TS);
	g_assert_cmpuint(p->opts[2].val, ==, 700);
	g_assert_cmpuint(p->opts[2].ecr, ==, 100);
	pkt_script_clear(&s);
}

static void test_packet_sack_blocks(void)
{
	struct pkt_script s;
	const struct pkt_packet *p = only_packet(&s, "+0 < . 1:1(0) ack 1 win 257 <sack 2001:3001 4001:5001 7001:8001,nop,eol>");

	g_assert_cmpint(p->opts[0].kind, ==, PKT_OPT_SACK);
	g_assert_cmpuint(p->opts[0].n_blocks, ==, 3);
	g_assert_cmpuint(p->opts[0].block[0][0], ==, 2001);
	g_assert_cmpuint(p->opts[0].block[0][1], ==, 3001);
	g_assert_cmpuint(p->opts[0].block[2][0], ==, 7001);
	g_assert_cmpuint(p->opts[0].block[2][1], ==, 8001);
	g_assert_cmpint(p->opts[1].kind, ==, PKT_OPT_NOP);
	g_assert_cmpint(p->opts[2].kind, ==, PKT_OPT_EOL);
	pkt_script_clear(&s);
}

static void test_packet_fast_open(void)
{
	struct pkt_script s;

	parse_ok(&s, "+0 > S 0:0(0) <mss 1460,nop,nop,sackOK,nop,wscale 8,FO,nop,nop>\n"
	             "+.01 < S. 123:123(0) ack 1 win 5840 <mss 1040,FO abcd1234,nop,nop>\n");
	g_assert_cmpint(s.events[0].packet.opts[6].kind, ==, PKT_OPT_FAST_OPEN);
	g_assert_cmpstr(s.events[0].packet.opts[6].word, ==, "");
	g_assert_cmpint(s.events[1].packet.opts[1].kind, ==, PKT_OPT_FAST_OPEN);
	g_assert_cmpstr(s.events[1].packet.opts[1].word, ==, "abcd1234");
	g_assert_cmpuint(s.events[1].packet.seq_start, ==, 123);
	pkt_script_clear(&s);
}

static void test_packet_other_option(void)
{
	struct pkt_script s;
	const struct pkt_packet *p = only_packet(&s, "+.1 < S 0:10(10) win 32792 <mss 1460,sackOK,nop,nop,FOEXP TFO_COOKIE>");

	g_assert_cmpuint(p->n_opts, ==, 5);
	g_assert_cmpint(p->opts[4].kind, ==, PKT_OPT_OTHER);
	g_assert_cmpstr(p->opts[4].word, ==, "FOEXP TFO_COOKIE");
	g_assert_cmpuint(p->len, ==, 10);
	pkt_script_clear(&s);
}

/* Fuzz annotations after a packet (packetdrill's fuzzing extension): each
 * version of its grammar that scripts use. */
static void test_packet_fuzz(void)
{
	struct pkt_script s;
	const struct pkt_packet *p =
		only_packet(&s, "+0 > S 0:0(0) <mss 1460,nop> { mut ipv4 ihl; mut tcp mss; trun tcp source_port; "
		                "trun tcp 34-36; mut ipv4 12 - 15; ins ipv4 34 2 }");

	g_assert_cmpuint(p->n_opts, ==, 2);
	g_assert_cmpuint(p->n_fuzz, ==, 6);
	g_assert_cmpstr(p->fuzz[0].op, ==, "mut");
	g_assert_cmpstr(p->fuzz[0].header, ==, "ipv4");
	g_assert_cmpstr(p->fuzz[0].field, ==, "ihl");
	g_assert_false(p->fuzz[0].has_value);
	g_assert_cmpstr(p->fuzz[2].op, ==, "trun");
	g_assert_cmpstr(p->fuzz[2].field, ==, "source_port");
	g_assert_cmpstr(p->fuzz[3].field, ==, "34-36");
	g_assert_cmpstr(p->fuzz[4].field, ==, "12-15");
	g_assert_cmpstr(p->fuzz[5].op, ==, "ins");
	g_assert_cmpstr(p->fuzz[5].field, ==, "34");
	g_assert_true(p->fuzz[5].has_value);
	g_assert_cmpuint(p->fuzz[5].value, ==, 2);
	pkt_script_clear(&s);

	p = only_packet(&s, "+.1 < P. 1:21(20) ack 1 win 257 {rep tcp src_port 0x0B63}");
	g_assert_cmpuint(p->n_fuzz, ==, 1);
	g_assert_cmpstr(p->fuzz[0].op, ==, "rep");
	g_assert_cmpstr(p->fuzz[0].header, ==, "tcp");
	g_assert_cmpstr(p->fuzz[0].field, ==, "src_port");
	g_assert_cmpuint(p->fuzz[0].value, ==, 0x0B63);
	g_assert_cmpuint(p->win, ==, 257);
	pkt_script_clear(&s);
}

static void test_packet_ip_ecn(void)
{
	struct pkt_script s;
	const struct pkt_packet *p = only_packet(&s, "   +0 > [ect0] P. 1:1001(1000) ack 1");

	g_assert_cmpstr(p->ip_ecn, ==, "ect0");
	g_assert_cmpuint(p->flags, ==, PKT_F_PSH | PKT_F_ACK);
	pkt_script_clear(&s);
}

static void test_packet_ip_info_list(void)
{
	struct pkt_script s;
	const struct pkt_packet *p = only_packet(&s, "0 < (tos 0x10, flowlabel 0x12) . 1:1(0) ack 1 win 5");

	g_assert_cmpstr(p->ip_ecn, ==, "tos 0x10, flowlabel 0x12");
	pkt_script_clear(&s);
}

static void test_packet_icmp_port_unreachable(void)
{
	struct pkt_script s;
	const struct pkt_packet *p = only_packet(&s, "0.303 < icmp unreachable port_unreachable");

	g_assert_cmpint(p->proto, ==, PKT_ICMP);
	g_assert_cmpstr(p->icmp_type, ==, "unreachable");
	g_assert_cmpstr(p->icmp_code, ==, "port_unreachable");
	g_assert_false(p->icmp_has_seq);
	g_assert_false(p->icmp_has_mtu);
	pkt_script_clear(&s);
}

static void test_packet_icmp_frag_needed(void)
{
	struct pkt_script s;
	const struct pkt_packet *p = only_packet(&s, "+0.01 < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]");

	g_assert_cmpstr(p->icmp_code, ==, "frag_needed");
	g_assert_true(p->icmp_has_mtu);
	g_assert_cmpuint(p->icmp_mtu, ==, 1200);
	g_assert_true(p->icmp_has_seq);
	g_assert_cmpuint(p->icmp_seq_start, ==, 1);
	g_assert_cmpuint(p->icmp_seq_end, ==, 1461);
	g_assert_cmpuint(p->icmp_len, ==, 1460);
	pkt_script_clear(&s);
}

static void test_packet_icmp_type_only_with_quote(void)
{
	struct pkt_script s;
	const struct pkt_packet *p = only_packet(&s, "   +0 < icmp unreachable [5000:6000(1000)]");

	g_assert_cmpstr(p->icmp_type, ==, "unreachable");
	g_assert_null(p->icmp_code);
	g_assert_cmpuint(p->icmp_seq_start, ==, 5000);
	pkt_script_clear(&s);
}

static void test_packet_icmp_quote_first(void)
{
	struct pkt_script s;
	const struct pkt_packet *p = only_packet(&s, "0 > [1:1(0)] icmp unreachable frag_needed mtu 1200");

	g_assert_true(p->outbound);
	g_assert_cmpint(p->proto, ==, PKT_ICMP);
	g_assert_true(p->icmp_has_seq);
	g_assert_cmpuint(p->icmp_seq_start, ==, 1);
	g_assert_cmpuint(p->icmp_mtu, ==, 1200);
	g_assert_null(p->ip_ecn);
	pkt_script_clear(&s);
}

static void test_packet_udp(void)
{
	struct pkt_script s;
	const struct pkt_packet *p = only_packet(&s, "0 > udp (1000)");

	g_assert_cmpint(p->proto, ==, PKT_UDP);
	g_assert_cmpuint(p->udp_len, ==, 1000);
	pkt_script_clear(&s);
}

/* ---- syscalls ---- */

static void test_syscall_socket(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");

	g_assert_cmpstr(c->name, ==, "socket");
	g_assert_cmpuint(c->n_args, ==, 3);
	g_assert_cmpint(c->args[0]->kind, ==, PKT_EX_ELLIPSIS);
	assert_word(c->args[1], "SOCK_STREAM");
	assert_word(c->args[2], "IPPROTO_TCP");
	assert_int(c->ret, 3);
	g_assert_null(c->err);
	g_assert_null(c->note);
	g_assert_false(c->has_end);
	pkt_script_clear(&s);
}

static void test_syscall_setsockopt_array(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0");

	g_assert_cmpuint(c->n_args, ==, 5);
	g_assert_cmpint(c->args[3]->kind, ==, PKT_EX_ARRAY);
	g_assert_cmpuint(c->args[3]->n_kids, ==, 1);
	assert_int(c->args[3]->kids[0], 1);
	assert_int(c->ret, 0);
	pkt_script_clear(&s);
}

static void test_syscall_getsockopt_errno_array(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "+0 getsockopt(4, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0");

	g_assert_cmpint(c->args[3]->kind, ==, PKT_EX_ARRAY);
	assert_word(c->args[3]->kids[0], "ECONNRESET");
	assert_int(c->args[4]->kids[0], 4);
	pkt_script_clear(&s);
}

static void test_syscall_errno_note(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c =
		only_call(&s, "0.100 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)");

	assert_int(c->ret, -1);
	g_assert_cmpstr(c->err, ==, "EINPROGRESS");
	g_assert_cmpstr(c->note, ==, "(Operation now in progress)");
	pkt_script_clear(&s);
}

static void test_syscall_errno_note_unspaced(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "   +0 read(4, ..., 512) = -1 EHOSTUNREACH(No route to host)");

	g_assert_cmpstr(c->err, ==, "EHOSTUNREACH");
	g_assert_cmpstr(c->note, ==, "(No route to host)");
	pkt_script_clear(&s);
}

static void test_syscall_errno_without_note(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "0 write(4, ..., 1000) = -1 EPIPE");

	g_assert_cmpstr(c->err, ==, "EPIPE");
	g_assert_null(c->note);
	pkt_script_clear(&s);
}

static void test_syscall_hex_return_note(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "0.000 fcntl(3, F_GETFL) = 0x2 (flags O_RDWR)");

	assert_int(c->ret, 2);
	g_assert_null(c->err);
	g_assert_cmpstr(c->note, ==, "(flags O_RDWR)");
	pkt_script_clear(&s);
}

static void test_syscall_binary_or(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK|O_APPEND) = 0");
	const struct pkt_expr *e = c->args[2];

	/* left to right: (O_RDWR | O_NONBLOCK) | O_APPEND */
	g_assert_cmpint(e->kind, ==, PKT_EX_BINARY);
	g_assert_cmpuint(e->n_kids, ==, 2);
	assert_word(e->kids[1], "O_APPEND");
	g_assert_cmpint(e->kids[0]->kind, ==, PKT_EX_BINARY);
	assert_word(e->kids[0]->kids[0], "O_RDWR");
	assert_word(e->kids[0]->kids[1], "O_NONBLOCK");
	pkt_script_clear(&s);
}

static void test_syscall_sockaddr(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(
		&s, "0 connect(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"192.0.2.1\")}, 16) = 0");
	const struct pkt_expr *e = c->args[1];

	g_assert_cmpint(e->kind, ==, PKT_EX_SOCKADDR);
	g_assert_cmpstr(e->s, ==, "AF_INET");
	g_assert_cmpuint(e->port, ==, 8080);
	g_assert_cmpstr(e->addr, ==, "192.0.2.1");
	assert_int(c->args[2], 16);
	pkt_script_clear(&s);
}

static void test_syscall_poll(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "   +0...0.010 poll([{fd=3,\n"
	                                            "                     events=POLLIN|POLLOUT|POLLERR,\n"
	                                            "                     revents=POLLOUT}], 1, 100) = 1\n");
	const struct pkt_expr *a = c->args[0];

	g_assert_true(c->has_end);
	g_assert_cmpint(a->kind, ==, PKT_EX_ARRAY);
	g_assert_cmpuint(a->n_kids, ==, 1);
	const struct pkt_expr *pfd = a->kids[0];
	g_assert_cmpint(pfd->kind, ==, PKT_EX_POLLFD);
	g_assert_cmpuint(pfd->n_kids, ==, 3);
	g_assert_cmpstr(pfd->names[0], ==, "fd");
	g_assert_cmpstr(pfd->names[1], ==, "events");
	g_assert_cmpstr(pfd->names[2], ==, "revents");
	assert_int(pfd->kids[0], 3);
	g_assert_cmpint(pfd->kids[1]->kind, ==, PKT_EX_BINARY);
	assert_word(pfd->kids[2], "POLLOUT");
	assert_int(c->ret, 1);
	pkt_script_clear(&s);
}

static void test_syscall_pollfd_without_revents(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "0 poll([{fd=3, events=POLLIN}], 1, 0) = 0");

	g_assert_cmpint(c->args[0]->kids[0]->kind, ==, PKT_EX_POLLFD);
	g_assert_cmpuint(c->args[0]->kids[0]->n_kids, ==, 2);
	pkt_script_clear(&s);
}

static void test_syscall_linger(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "+0 setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0");
	const struct pkt_expr *e = c->args[3];

	g_assert_cmpint(e->kind, ==, PKT_EX_LINGER);
	g_assert_cmpstr(e->names[0], ==, "onoff");
	g_assert_cmpstr(e->names[1], ==, "linger");
	assert_int(e->kids[0], 1);
	assert_int(e->kids[1], 0);
	pkt_script_clear(&s);
}

static void test_syscall_generic_struct(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "+0 epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLOUT, fd=4}) = 0");
	const struct pkt_expr *e = c->args[3];

	g_assert_cmpint(e->kind, ==, PKT_EX_STRUCT);
	g_assert_cmpuint(e->n_kids, ==, 2);
	g_assert_cmpstr(e->names[0], ==, "events");
	g_assert_cmpstr(e->names[1], ==, "fd");
	assert_word(e->kids[0], "EPOLLOUT");
	pkt_script_clear(&s);
}

/* A msghdr as parser.y writes it: NAME(len)=value fields (the length read
 * and left out), an iovec array, flags. */
static void test_syscall_msghdr_struct(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "+0 recvmsg(3, {msg_name(...)=..., msg_iov(1)=[{...,0}], "
	                                            "msg_flags=MSG_ERRQUEUE|MSG_TRUNC}, MSG_ERRQUEUE) = 0");
	const struct pkt_expr *e = c->args[1];

	g_assert_cmpint(e->kind, ==, PKT_EX_STRUCT);
	g_assert_cmpuint(e->n_kids, ==, 3);
	g_assert_cmpstr(e->names[0], ==, "msg_name");
	g_assert_cmpint(e->kids[0]->kind, ==, PKT_EX_ELLIPSIS);
	g_assert_cmpstr(e->names[1], ==, "msg_iov");
	g_assert_cmpstr(e->names[2], ==, "msg_flags");
	pkt_script_clear(&s);
}

static void test_syscall_unnamed_struct(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "+0 writev(4, [{..., 100}, {..., 200}], 2) = 300");
	const struct pkt_expr *iov = c->args[1]->kids[1];

	g_assert_cmpint(iov->kind, ==, PKT_EX_STRUCT);
	g_assert_cmpuint(iov->n_kids, ==, 2);
	g_assert_cmpstr(iov->names[0], ==, "");
	g_assert_cmpint(iov->kids[0]->kind, ==, PKT_EX_ELLIPSIS);
	assert_int(iov->kids[1], 200);
	pkt_script_clear(&s);
}

static void test_syscall_strings(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "+0 write(4, \"GET / HTTP/1.1\\r\\n\"..., 18) = 18");

	g_assert_cmpint(c->args[1]->kind, ==, PKT_EX_STRING);
	g_assert_cmpstr(c->args[1]->s, ==, "GET / HTTP/1.1\\r\\n"); /* as written */
	g_assert_true(c->args[1]->string_ellipsis);
	pkt_script_clear(&s);
}

static void test_syscall_string_concatenation(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "+0 write(4, \"ab\" \"cd\", 4) = 4");

	g_assert_cmpstr(c->args[1]->s, ==, "abcd");
	g_assert_false(c->args[1]->string_ellipsis);
	pkt_script_clear(&s);
}

static void test_syscall_no_args_word_return(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "0 getpid() = ...");

	g_assert_cmpuint(c->n_args, ==, 0);
	g_assert_cmpint(c->ret->kind, ==, PKT_EX_ELLIPSIS);
	pkt_script_clear(&s);
}

static void test_syscall_empty_array_and_hex(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "0 ioctl(3, 0x541B, []) = 0");

	assert_int(c->args[1], 0x541b);
	g_assert_cmpint(c->args[2]->kind, ==, PKT_EX_ARRAY);
	g_assert_cmpuint(c->args[2]->n_kids, ==, 0);
	pkt_script_clear(&s);
}

static void test_syscall_trailing_comment(void)
{
	struct pkt_script s;
	const struct pkt_syscall *c = only_call(&s, "0.200 fcntl(3, F_SETFL, O_RDWR) = 0   // set back to blocking\n");

	assert_int(c->ret, 0);
	pkt_script_clear(&s);
}

/* ---- whole scripts ---- */

static const char close_script[] =
	"// Verify behavior for the sequence: remote side sends FIN, then we close().\n"
	"--tolerance_usecs=10000\n"
	"--ip_version=ipv4\n"
	"`../common/defaults.sh`\n"
	"\n"
	"/* Initialize a server socket. */\n"
	"    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	"   +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
	"   +0 bind(3, ..., ...) = 0\n"
	"   +0 listen(3, 1) = 0\n"
	"\n"
	"   +0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>\n"
	"   +0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 8>\n"
	"   +0 < . 1:1(0) ack 1 win 257\n"
	"   +0 accept(3, ..., ...) = 4\n"
	" +.01 < F. 1:1(0) ack 1 win 257\n"
	"   +0 > . 1:1(0) ack 2\n"
	"//   +0 read(4, ..., 1000) = 0\n"
	" +.01 close(4) = 0\n"
	"   +0 > F. 1:1(0) ack 2\n"
	" +.01 < . 2:2(0) ack 2 win 257\n"
	"   +0 %{ assert tcpi_state == 7, tcpi_state }%\n"
	"`/tmp/sysctl_restore_${PPID}.sh`\n";

static void test_script_close(void)
{
	struct pkt_script s;

	parse_ok(&s, close_script);
	g_assert_cmpstr(s.path, ==, "t.pkt");
	g_assert_cmpuint(s.n_settings, ==, 2);
	g_assert_cmpstr(s.settings[0].name, ==, "tolerance_usecs");
	g_assert_cmpstr(s.settings[0].value, ==, "10000");
	g_assert_cmpuint(s.settings[0].line, ==, 2);
	g_assert_cmpstr(s.settings[1].name, ==, "ip_version");
	g_assert_cmpstr(s.settings[1].value, ==, "ipv4");
	g_assert_cmpstr(s.init_command, ==, "../common/defaults.sh");
	g_assert_cmpuint(s.n_events, ==, 14);
	g_assert_cmpuint(s.events[0].line, ==, 7);
	g_assert_cmpint(s.events[4].kind, ==, PKT_EV_PACKET);
	g_assert_cmpuint(s.events[4].line, ==, 12);
	g_assert_cmpstr(s.events[10].call.name, ==, "close");
	g_assert_cmpuint(s.events[10].line, ==, 19);
	g_assert_cmpint(s.events[13].kind, ==, PKT_EV_CODE);
	g_assert_cmpstr(s.events[13].text, ==, "assert tcpi_state == 7, tcpi_state");
	g_assert_cmpstr(s.cleanup_command, ==, "/tmp/sysctl_restore_${PPID}.sh");
	pkt_script_clear(&s);
	g_assert_null(s.events);
	g_assert_cmpuint(s.n_events, ==, 0);
}

static void test_script_setting_forms(void)
{
	struct pkt_script s;

	parse_ok(&s, "--bare_flag\n--local_ip=fd3d:fa7b:d17d::0\n--define=CC=\"reno\"\n--name=\"a b\"\n0 close(3) = 0\n");
	g_assert_cmpuint(s.n_settings, ==, 4);
	g_assert_cmpstr(s.settings[0].name, ==, "bare_flag");
	g_assert_null(s.settings[0].value);
	g_assert_cmpstr(s.settings[1].value, ==, "fd3d:fa7b:d17d::0");
	g_assert_cmpstr(s.settings[2].value, ==, "CC=\"reno\"");
	g_assert_cmpstr(s.settings[3].value, ==, "a b");
	pkt_script_clear(&s);
}

static void test_script_multiline_init_command(void)
{
	struct pkt_script s;

	parse_ok(&s, "`scripts/defaults.sh\nsysctl -q net.ipv4.tcp_ecn=1  # fully enabled\n`\n\n"
	             "    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 4\n");
	g_assert_cmpstr(s.init_command, ==, "scripts/defaults.sh\nsysctl -q net.ipv4.tcp_ecn=1  # fully enabled\n");
	g_assert_cmpuint(s.events[0].line, ==, 5);
	pkt_script_clear(&s);
}

static void test_script_timed_command(void)
{
	struct pkt_script s;

	parse_ok(&s, "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+.1 `nstat > /dev/null`\n");
	g_assert_null(s.init_command);
	g_assert_cmpint(s.events[1].kind, ==, PKT_EV_COMMAND);
	g_assert_cmpstr(s.events[1].text, ==, "nstat > /dev/null");
	g_assert_cmpint(s.events[1].time.t, ==, MS(100));
	g_assert_null(s.cleanup_command);
	pkt_script_clear(&s);
}

static void test_script_multiline_comment(void)
{
	struct pkt_script s;

	parse_ok(&s, "/* one\n two\n three */ 0 close(3) = 0 /* after */\n// end");
	g_assert_cmpuint(s.events[0].line, ==, 3);
	pkt_script_clear(&s);
}

static void test_script_no_final_newline(void)
{
	struct pkt_script s;
	const struct pkt_packet *p = only_packet(&s, "+0 < . 1:1(0) ack 1 win 257");

	g_assert_cmpuint(p->win, ==, 257);
	pkt_script_clear(&s);
}

static void test_script_not_nul_terminated(void)
{
	struct pkt_script s;
	GError *error = NULL;
	const char buf[] = "0 close(3) = 0xyz"; /* only "0 close(3) = 0" is given */

	g_assert_true(pkt_parse("t.pkt", buf, 14, NULL, &s, &error));
	g_assert_no_error(error);
	assert_int(s.events[0].call.ret, 0);
	pkt_script_clear(&s);
}

static const char ifdef_script[] = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                                   "#ifdef freebsd\n"
                                   "+0 > S 0:0(0) <mss 1460,nop,wscale 6,sackOK,TS val 100 ecr 0>\n"
                                   "#else\n"
                                   "  #ifndef old_linux // a comment\n"
                                   "+0 > S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>\n"
                                   "  #else\n"
                                   "+0 > S 0:0(0) <mss 1460>\n"
                                   "  #endif\n"
                                   "#endif\n"
                                   "+0 close(3) = 0\n";

static void test_script_ifdef_selected(void)
{
	static const char *const defs[] = { "freebsd", NULL };
	struct pkt_script s;

	parse_ok_defs(&s, ifdef_script, defs);
	g_assert_cmpuint(s.n_events, ==, 3);
	g_assert_cmpuint(s.events[1].line, ==, 3);
	g_assert_cmpint(s.events[1].packet.opts[1].kind, ==, PKT_OPT_NOP);
	g_assert_cmpuint(s.events[2].line, ==, 11);
	pkt_script_clear(&s);
}

static void test_script_ifdef_else(void)
{
	static const char *const defs[] = { "linux", NULL };
	struct pkt_script s;

	parse_ok_defs(&s, ifdef_script, defs);
	g_assert_cmpuint(s.n_events, ==, 3);
	g_assert_cmpuint(s.events[1].line, ==, 6);
	g_assert_cmpint(s.events[1].packet.opts[1].kind, ==, PKT_OPT_SACK_OK);
	pkt_script_clear(&s);
}

static void test_script_ifdef_nested_else(void)
{
	static const char *const defs[] = { "old_linux", NULL };
	struct pkt_script s;

	parse_ok_defs(&s, ifdef_script, defs);
	g_assert_cmpuint(s.n_events, ==, 3);
	g_assert_cmpuint(s.events[1].line, ==, 8);
	g_assert_cmpuint(s.events[1].packet.n_opts, ==, 1);
	pkt_script_clear(&s);
}

static void test_script_ifdef_skips_garbage(void)
{
	struct pkt_script s;

	/* the unselected branch is not read: an unterminated string there is no error */
	parse_ok(&s, "#ifdef freebsd\n0 write(3, \"abc\n#endif\n0 close(3) = 0\n");
	g_assert_cmpuint(s.n_events, ==, 1);
	g_assert_cmpuint(s.events[0].line, ==, 4);
	pkt_script_clear(&s);
}

static void test_script_hash_in_code_block(void)
{
	struct pkt_script s;

	parse_ok(&s, "0 %{\n# a python comment\nassert True\n}%\n");
	g_assert_cmpstr(s.events[0].text, ==, "\n# a python comment\nassert True\n");
	pkt_script_clear(&s);
}

/* ---- errors ---- */

struct error_case {
	const char *name;   /* test path under /pkt/error/ */
	const char *text;   /* the script */
	const char *expect; /* the exact message */
};

static const struct error_case error_cases[] = {
	{ "fuzz-op", "0 < . 1:1(0) ack 1 win 257 {swap tcp mss}\n",
	  "t.pkt:1: syntax error: expected a fuzz operation (mut, trun, ins or rep), found 'swap'" },
	{ "fuzz-header", "0 < . 1:1(0) ack 1 win 257 {mut eth mss}\n",
	  "t.pkt:1: syntax error: expected a header (ip, ipv4, ipv6, tcp or udp), found 'eth'" },
	{ "fuzz-unclosed", "0 < . 1:1(0) ack 1 win 257 {mut tcp mss\n+0 close(3) = 0\n",
	  "t.pkt:2: syntax error: expected ';' or '}' in the fuzz annotations, found '+'" },
	{ "missing-equals", "0 socket(..., SOCK_STREAM, IPPROTO_TCP)\n+0 close(3) = 0\n",
	  "t.pkt:1: syntax error: expected '=' and the return value after the call, found '+'" },
	{ "missing-return-value", "0 close(3) =\n",
	  "t.pkt:2: syntax error: expected an expression (..., a number, a NAME, a \"string\", [array] or {struct}), "
	  "found the end of the file" },
	{ "missing-paren", "0 close 3 = 0\n", "t.pkt:1: syntax error: expected '(' and the arguments of the call, found '3'" },
	{ "unclosed-args", "0 close(3 = 0\n", "t.pkt:1: syntax error: expected ',' or ')' after an argument, found '='" },
	{ "no-time", "close(3) = 0\n",
	  "t.pkt:1: syntax error: expected an event time (such as 0, 0.100, +0.1, * or 0.1~0.2), found 'close'" },
	{ "negative-time", "-1 close(3) = 0\n", "t.pkt:1: syntax error: negative time: -1" },
	{ "negative-float-time", "+-0.5 close(3) = 0\n", "t.pkt:1: syntax error: negative time: -0.5" },
	{ "absurd-time", "0\tclose(3) = 0\n2000000 close(3) = 0\n",
	  "t.pkt:2: syntax error: absurd time: 2000000 (more than 1000000 seconds)" },
	{ "absurd-float-time", "1000000.5 close(3) = 0\n",
	  "t.pkt:1: syntax error: absurd time: 1000000.5 (more than 1000000 seconds)" },
	{ "star-on-inbound", "* < . 1:1(0) ack 1 win 257\n",
	  "t.pkt:1: syntax error: event time '*' can only be used with outbound packets" },
	{ "range-on-syscall", "0.1~0.2 close(3) = 0\n",
	  "t.pkt:1: syntax error: event time range can only be used with outbound packets" },
	{ "range-backwards", "0.2~0.1 > . 1:1(0) ack 1\n", "t.pkt:1: syntax error: time range is backwards" },
	{ "range-mixed", "+0.1~0.2 > . 1:1(0) ack 1\n",
	  "t.pkt:1: syntax error: a relative time range ends relative too (as in +0.1~+0.2)" },
	{ "bad-flag", "0 < SX 0:0(0) win 1\n",
	  "t.pkt:1: syntax error: unknown TCP flag 'X' in 'SX' (flags are S F R P U E W C, '.' for ACK, '-' for none)" },
	{ "inconsistent-seq", "0 < P. 1:1001(100) ack 1 win 257\n",
	  "t.pkt:1: syntax error: inconsistent sequence numbers and payload length: 1:1001(100)" },
	{ "seq-out-of-range", "0 < . 4294967296:4294967296(0) win 1\n",
	  "t.pkt:1: syntax error: the start sequence number (START:END(LEN)) out of range: '4294967296' (0 to 4294967295)" },
	{ "window-out-of-range", "0 < . 1:1(0) ack 1 win 65536\n",
	  "t.pkt:1: syntax error: the window out of range: '65536' (0 to 65535)" },
	{ "any-options-inbound", "0 < S 0:0(0) win 1 <...>\n",
	  "t.pkt:1: syntax error: <...> for TCP options can only be used with outbound packets" },
	{ "unclosed-options", "0 > S 0:0(0) <mss 1460\n+0 close(3) = 0\n",
	  "t.pkt:2: syntax error: expected ',' or '>' after a TCP option, found '+'" },
	{ "ts-without-ecr", "0 > S 0:0(0) <TS val 1>\n",
	  "t.pkt:1: syntax error: expected ecr N after the TS val, found '>'" },
	{ "too-many-sack-blocks", "0 < . 1:1(0) ack 1 <sack 1:2 3:4 5:6 7:8 9:10>\n",
	  "t.pkt:1: syntax error: more than 4 SACK blocks" },
	{ "wscale-out-of-range", "0 > S 0:0(0) <wscale 256>\n",
	  "t.pkt:1: syntax error: the window scale out of range: '256' (0 to 255)" },
	{ "quote-then-not-icmp", "0 < [1:1(0)] . 1:1(0)\n", "t.pkt:1: syntax error: expected icmp after the quoted segment, found '.'" },
	{ "bad-sockaddr-address", "0 bind(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"1.2.3\")}, 16) = 0\n",
	  "t.pkt:1: syntax error: invalid IPv4 address in a sockaddr: \"1.2.3\"" },
	{ "sockaddr-port-range", "0 bind(3, {sa_family=AF_INET, sin_port=htons(70000), sin_addr=inet_addr(\"1.2.3.4\")}, 16) = 0\n",
	  "t.pkt:1: syntax error: the port out of range: '70000' (0 to 65535)" },
	{ "unclosed-array", "0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1, 4) = 0\n",
	  "t.pkt:1: syntax error: expected ',' or ']' in an array, found ')'" },
	{ "nested-too-deep", "0 f([[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]) = 0\n",
	  "t.pkt:1: syntax error: expression nested more than 64 deep" },
	{ "unterminated-string", "0 write(3, \"abc, 3) = 3\n",
	  "t.pkt:1: syntax error: unterminated string (expected a closing '\"')" },
	{ "unterminated-command", "\n`echo\n", "t.pkt:2: syntax error: unterminated command (expected a closing '`')" },
	{ "unterminated-comment", "0 close(3) = 0\n/* never ends\n",
	  "t.pkt:2: syntax error: unterminated comment (expected '*/')" },
	{ "unterminated-code", "0 %{ assert 1\n", "t.pkt:1: syntax error: unterminated code block (expected '}%')" },
	{ "no-events", "--tolerance_usecs=1000\n// nothing\n",
	  "t.pkt:3: syntax error: expected at least one event (a time, then a packet, a call or a command)" },
	{ "command-in-the-middle", "0 close(3) = 0\n`echo a`\n+0 close(4) = 0\n",
	  "t.pkt:2: syntax error: expected an event time before this command (only the first and the last command of "
	  "a script may have none)" },
	{ "option-after-events", "0 close(3) = 0\n--late=1\n",
	  "t.pkt:2: syntax error: expected an event time (such as 0, 0.100, +0.1, * or 0.1~0.2), found '--late=1'" },
	{ "bad-action", "0 ] \n", "t.pkt:1: syntax error: expected a packet ('<' or '>'), a syscall, a `command` or a "
	                          "%{ code }% after the event time, found ']'" },
	{ "control-char-escaped", "0 \x1b[31m close(3) = 0\n",
	  "t.pkt:1: syntax error: expected a packet ('<' or '>'), a syscall, a `command` or a %{ code }% after the "
	  "event time, found '\\x1b'" },
	{ "long-word-cut", "x123456789012345678901234567890123456789012345678901234567890 close(3) = 0\n",
	  "t.pkt:1: syntax error: expected an event time (such as 0, 0.100, +0.1, * or 0.1~0.2), "
	  "found 'x123456789012345678901234567890123456789...'" },
	{ "other-option-bad-token", "0 < . 1:1(0) ack 1 win 1 <mss 1,md5 abc ?>\n",
	  "t.pkt:1: syntax error: expected ',' or '>' after a TCP option, found '?'" },
	{ "note-bad-punct", "0 close(3) = 0 EPIPE (a ] b)\n",
	  "t.pkt:1: syntax error: expected words and ')' in the note after the return value, found ']'" },
	{ "else-without-ifdef", "#else\n0 close(3) = 0\n", "t.pkt:1: syntax error: #else without #ifdef or #ifndef" },
	{ "endif-without-ifdef", "0 close(3) = 0\n#endif\n", "t.pkt:2: syntax error: #endif without #ifdef or #ifndef" },
	{ "ifdef-without-endif", "0 close(3) = 0\n#ifdef linux\n+0 close(4) = 0\n",
	  "t.pkt:2: syntax error: this #ifdef or #ifndef has no #endif" },
	{ "second-else", "#ifdef a\n#else\n#else\n#endif\n0 close(3) = 0\n",
	  "t.pkt:3: syntax error: a second #else for the #ifdef of line 1" },
	{ "ifdef-without-name", "#ifdef\n#endif\n", "t.pkt:1: syntax error: expected a name after #ifdef" },
	{ "unknown-directive", "#if linux\n0 close(3) = 0\n#endif\n",
	  "t.pkt:1: syntax error: unknown directive (expected #ifdef, #ifndef, #else or #endif)" },
	{ "directive-trailing-text", "#ifdef linux extra\n#endif\n",
	  "t.pkt:1: syntax error: unexpected text after #ifdef (expected the end of the line)" },
	{ "nul-byte", "0 close(3) = 0\n// a \0 in a comment\n", "t.pkt:2: syntax error: a NUL byte in the script" },
	{ "integer-too-big", "0 close(99999999999999999999) = 0\n",
	  "t.pkt:1: syntax error: number out of range: 99999999999999999999" },
};

/* Texts with a NUL need their length: every case is given up to its last
 * newline, found from the end of the literal in the table. */
static size_t case_len(const struct error_case *c)
{
	size_t n = strlen(c->text);
	if (strcmp(c->name, "nul-byte") == 0)
		n += 1 + strlen(c->text + n + 1);
	return n;
}

static void test_error_case(gconstpointer data)
{
	const struct error_case *c = data;
	struct pkt_script s;
	GError *error = NULL;

	memset(&s, 0x5a, sizeof s);
	g_assert_false(pkt_parse("t.pkt", c->text, case_len(c), NULL, &s, &error));
	g_assert_error(error, PKT_ERROR, PKT_ERROR_SYNTAX);
	g_assert_cmpstr(error->message, ==, c->expect);
	g_assert_null(s.path);
	g_assert_null(s.events);
	g_assert_null(s.settings);
	g_assert_null(s.init_command);
	g_assert_cmpuint(s.n_events, ==, 0);
	g_error_free(error);
	pkt_script_clear(&s); /* harmless on a cleared script */
}

static void test_error_path_escaped(void)
{
	struct pkt_script s;
	GError *error = NULL;

	g_assert_false(pkt_parse("a\nb.pkt", "x", 1, NULL, &s, &error));
	g_assert_cmpstr(error->message, ==,
	                "a\\nb.pkt:1: syntax error: expected an event time (such as 0, 0.100, +0.1, * or 0.1~0.2), "
	                "found 'x'");
	g_error_free(error);
}

/* ---- real files ---- */

static void test_files(void)
{
	const char *dir = "tests/pkt";
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;
	int n = 0;

	if (!d) {
		g_test_skip("no tests/pkt/ folder");
		return;
	}
	while ((name = g_dir_read_name(d))) {
		if (!g_str_has_suffix(name, ".pkt"))
			continue;
		char *path = g_build_filename(dir, name, NULL), *text = NULL;
		gsize len = 0;
		struct pkt_script s;
		GError *error = NULL;
		g_assert_true(g_file_get_contents(path, &text, &len, NULL));
		if (!pkt_parse(path, text, len, NULL, &s, &error))
			g_error("%s", error->message);
		g_assert_cmpuint(s.n_events, >, 0);
		pkt_script_clear(&s);
		g_free(text);
		g_free(path);
		n++;
	}
	g_dir_close(d);
	if (n == 0)
		g_test_skip("no .pkt file in tests/pkt/");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pkt/time/absolute", test_time_absolute);
	g_test_add_func("/pkt/time/integer", test_time_integer);
	g_test_add_func("/pkt/time/leading-dot", test_time_leading_dot);
	g_test_add_func("/pkt/time/relative", test_time_relative);
	g_test_add_func("/pkt/time/nanoseconds-exact", test_time_nanoseconds_exact);
	g_test_add_func("/pkt/time/any", test_time_any);
	g_test_add_func("/pkt/time/range-absolute", test_time_range_absolute);
	g_test_add_func("/pkt/time/range-relative", test_time_range_relative);
	g_test_add_func("/pkt/time/blocking-end", test_time_blocking_end);
	g_test_add_func("/pkt/time/blocking-integer-start", test_time_blocking_integer_start);
	g_test_add_func("/pkt/time/blocking-spaced", test_time_blocking_spaced);
	g_test_add_func("/pkt/time/blocking-relative-end", test_time_blocking_relative_end);
	g_test_add_func("/pkt/packet/syn-with-options", test_packet_syn_with_options);
	g_test_add_func("/pkt/packet/syn-ack", test_packet_syn_ack);
	g_test_add_func("/pkt/packet/pure-ack", test_packet_pure_ack);
	g_test_add_func("/pkt/packet/data", test_packet_data);
	g_test_add_func("/pkt/packet/fin-and-rst", test_packet_fin_and_rst);
	g_test_add_func("/pkt/packet/ecn-flags", test_packet_ecn_flags);
	g_test_add_func("/pkt/packet/no-flags", test_packet_no_flags);
	g_test_add_func("/pkt/packet/any-options", test_packet_any_options);
	g_test_add_func("/pkt/packet/empty-options", test_packet_empty_options);
	g_test_add_func("/pkt/packet/timestamps", test_packet_timestamps);
	g_test_add_func("/pkt/packet/sack-blocks", test_packet_sack_blocks);
	g_test_add_func("/pkt/packet/fast-open", test_packet_fast_open);
	g_test_add_func("/pkt/packet/other-option", test_packet_other_option);
	g_test_add_func("/pkt/packet/fuzz", test_packet_fuzz);
	g_test_add_func("/pkt/packet/ip-ecn", test_packet_ip_ecn);
	g_test_add_func("/pkt/packet/ip-info-list", test_packet_ip_info_list);
	g_test_add_func("/pkt/packet/icmp-port-unreachable", test_packet_icmp_port_unreachable);
	g_test_add_func("/pkt/packet/icmp-frag-needed", test_packet_icmp_frag_needed);
	g_test_add_func("/pkt/packet/icmp-type-only-with-quote", test_packet_icmp_type_only_with_quote);
	g_test_add_func("/pkt/packet/icmp-quote-first", test_packet_icmp_quote_first);
	g_test_add_func("/pkt/packet/udp", test_packet_udp);
	g_test_add_func("/pkt/syscall/socket", test_syscall_socket);
	g_test_add_func("/pkt/syscall/setsockopt-array", test_syscall_setsockopt_array);
	g_test_add_func("/pkt/syscall/getsockopt-errno-array", test_syscall_getsockopt_errno_array);
	g_test_add_func("/pkt/syscall/errno-note", test_syscall_errno_note);
	g_test_add_func("/pkt/syscall/errno-note-unspaced", test_syscall_errno_note_unspaced);
	g_test_add_func("/pkt/syscall/errno-without-note", test_syscall_errno_without_note);
	g_test_add_func("/pkt/syscall/hex-return-note", test_syscall_hex_return_note);
	g_test_add_func("/pkt/syscall/binary-or", test_syscall_binary_or);
	g_test_add_func("/pkt/syscall/sockaddr", test_syscall_sockaddr);
	g_test_add_func("/pkt/syscall/poll", test_syscall_poll);
	g_test_add_func("/pkt/syscall/pollfd-without-revents", test_syscall_pollfd_without_revents);
	g_test_add_func("/pkt/syscall/linger", test_syscall_linger);
	g_test_add_func("/pkt/syscall/generic-struct", test_syscall_generic_struct);
	g_test_add_func("/pkt/syscall/msghdr-struct", test_syscall_msghdr_struct);
	g_test_add_func("/pkt/syscall/unnamed-struct", test_syscall_unnamed_struct);
	g_test_add_func("/pkt/syscall/strings", test_syscall_strings);
	g_test_add_func("/pkt/syscall/string-concatenation", test_syscall_string_concatenation);
	g_test_add_func("/pkt/syscall/no-args-ellipsis-return", test_syscall_no_args_word_return);
	g_test_add_func("/pkt/syscall/empty-array-and-hex", test_syscall_empty_array_and_hex);
	g_test_add_func("/pkt/syscall/trailing-comment", test_syscall_trailing_comment);
	g_test_add_func("/pkt/script/close", test_script_close);
	g_test_add_func("/pkt/script/setting-forms", test_script_setting_forms);
	g_test_add_func("/pkt/script/multiline-init-command", test_script_multiline_init_command);
	g_test_add_func("/pkt/script/timed-command", test_script_timed_command);
	g_test_add_func("/pkt/script/multiline-comment", test_script_multiline_comment);
	g_test_add_func("/pkt/script/no-final-newline", test_script_no_final_newline);
	g_test_add_func("/pkt/script/not-nul-terminated", test_script_not_nul_terminated);
	g_test_add_func("/pkt/script/ifdef-selected", test_script_ifdef_selected);
	g_test_add_func("/pkt/script/ifdef-else", test_script_ifdef_else);
	g_test_add_func("/pkt/script/ifdef-nested-else", test_script_ifdef_nested_else);
	g_test_add_func("/pkt/script/ifdef-skips-unselected", test_script_ifdef_skips_garbage);
	g_test_add_func("/pkt/script/hash-in-code-block", test_script_hash_in_code_block);
	for (size_t i = 0; i < G_N_ELEMENTS(error_cases); i++) {
		char *path = g_strdup_printf("/pkt/error/%s", error_cases[i].name);
		g_test_add_data_func(path, &error_cases[i], test_error_case);
		g_free(path);
	}
	g_test_add_func("/pkt/error/path-escaped", test_error_path_escaped);
	g_test_add_func("/pkt/files", test_files);
	return g_test_run();
}
