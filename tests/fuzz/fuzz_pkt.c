/*
 * Fuzz target: pkt_parse() on arbitrary bytes as a packetdrill script,
 * once with no name defined and once with "linux" (the other #ifdef
 * branches).
 *
 * Guarantees (sim/pkt/pkt.h): never a crash, a leak or a read past the
 * bytes given (the text is copied to a buffer of exactly that size, no
 * NUL after it); on success no error and a tree whose every event has a
 * line of the text, in order, a known kind and what that kind needs,
 * times in range, and expressions no deeper than the parser's bound, all
 * freed by pkt_script_clear(), which leaves the script zeroed; on failure
 * a PKT_ERROR_SYNTAX whose message is one clean line "PATH:LINE: syntax
 * error: ..." with LINE a line of the text, and the script zeroed.
 * Each %{ }% block also goes through the evaluator (pkt_python.h), for
 * Linux and FreeBSD: refused with one clean "python: ..." line, or run
 * to an outcome, never a crash or a leak.
 */
#include "tests/fuzz/fuzz.h"

#include <stdlib.h>
#include <string.h>
#include "sim/pkt/pkt.h"
#include "sim/pkt/pkt_python.h"
#include "sim/world/app.h"

#define PATH "fuzz.pkt"
#define MAX_TIME ((sim_time)1000000 * 1000000000)

static void check_expr(const struct pkt_expr *e, int depth)
{
	FUZZ_CHECK(e != NULL, "an expression is present");
	FUZZ_CHECK(depth <= 70, "expressions stay within the parser's depth bound");
	FUZZ_CHECK(e->kind <= PKT_EX_STRUCT, "a known expression kind");
	FUZZ_CHECK(e->n_kids == 0 || e->kids != NULL, "kids present");
	if (e->kind == PKT_EX_BINARY)
		FUZZ_CHECK(e->n_kids == 2, "a binary expression has two operands");
	if (e->kind == PKT_EX_WORD || e->kind == PKT_EX_STRING)
		FUZZ_CHECK(e->s != NULL, "a word or string has its text");
	if (e->kind == PKT_EX_SOCKADDR)
		FUZZ_CHECK(e->s && e->addr, "a sockaddr has its family and address");
	bool named = e->kind == PKT_EX_STRUCT || e->kind == PKT_EX_POLLFD || e->kind == PKT_EX_LINGER;
	FUZZ_CHECK(!named || e->n_kids == 0 || e->names != NULL, "struct fields have names");
	for (uint32_t i = 0; i < e->n_kids; i++) {
		if (named)
			FUZZ_CHECK(e->names[i] != NULL, "every field has a name, maybe empty");
		check_expr(e->kids[i], depth + 1);
	}
}

static void check_time(const struct pkt_time *t)
{
	FUZZ_CHECK(t->kind <= PKT_TIME_RANGE, "a known time kind");
	FUZZ_CHECK(t->t >= 0 && t->t <= MAX_TIME, "a time in range");
	if (t->kind == PKT_TIME_RANGE)
		FUZZ_CHECK(t->t_end >= t->t && t->t_end <= MAX_TIME, "a range forwards and in range");
}

static void check_packet(const struct pkt_packet *p)
{
	FUZZ_CHECK(p->proto <= PKT_ICMP, "a known protocol");
	FUZZ_CHECK(p->n_opts <= 40 && (p->n_opts == 0 || p->opts), "options present, at most 40");
	FUZZ_CHECK(!p->options_any || (p->outbound && p->n_opts == 0), "<...> only outbound, alone");
	FUZZ_CHECK(p->seq_end == p->seq_start + p->len, "END = START + LEN");
	for (uint32_t i = 0; i < p->n_opts; i++) {
		const struct pkt_option *o = &p->opts[i];
		FUZZ_CHECK(o->kind <= PKT_OPT_OTHER, "a known option kind");
		FUZZ_CHECK(o->n_blocks <= PKT_MAX_SACK_BLOCKS, "at most 4 SACK blocks");
		if (o->kind == PKT_OPT_OTHER || o->kind == PKT_OPT_FAST_OPEN)
			FUZZ_CHECK(o->word != NULL, "an option word");
	}
	if (p->proto == PKT_ICMP)
		FUZZ_CHECK(p->icmp_type != NULL, "an ICMP packet has its type");
}

/* A %{ }% block through the evaluator (sim/pkt/pkt_python.h): refused
 * with one clean "python: ..." line, or run against a snapshot of zeros
 * and one of large values to an outcome with its message. */
static void check_code(const char *text, enum pkt_os os)
{
	char *why = NULL;
	struct pkt_py *p = pkt_py_parse(text, os, &why);
	if (!p) {
		fuzz_check_message(why);
		FUZZ_CHECK(g_str_has_prefix(why, "python: "), "a refusal says python: WHAT");
		g_free(why);
		return;
	}
	FUZZ_CHECK(why == NULL, "a parsed block without a refusal");
	struct app_tcp_info snaps[2] = {{0}, {.state = 11, .rto_us = INT64_MAX, .rtt_us = INT64_MIN,
	                                      .snd_cwnd = 0xffffffff, .options = 7}};
	for (size_t i = 0; i < G_N_ELEMENTS(snaps); i++) {
		char *message = NULL;
		uint32_t line = 0;
		enum pkt_py_outcome o = pkt_py_run(p, &snaps[i], &line, &message);
		FUZZ_CHECK(o <= PKT_PY_UNSUPPORTED, "a known outcome");
		FUZZ_CHECK((o == PKT_PY_OK) == (message == NULL), "a message exactly when it did not run through");
		if (o == PKT_PY_UNSUPPORTED)
			fuzz_check_message(message);
		FUZZ_CHECK(line <= strlen(text), "the statement's line is in the block");
		g_free(message);
	}
	pkt_py_free(p);
}

static void check_event(const struct pkt_event *ev, uint32_t lines)
{
	FUZZ_CHECK(ev->line >= 1 && ev->line <= lines, "the event's line is in the text");
	FUZZ_CHECK(ev->kind <= PKT_EV_CODE, "a known event kind");
	check_time(&ev->time);
	if (ev->time.kind == PKT_TIME_ANY || ev->time.kind == PKT_TIME_RANGE)
		FUZZ_CHECK(ev->kind == PKT_EV_PACKET && ev->packet.outbound, "'*' and ranges only outbound");
	switch (ev->kind) {
	case PKT_EV_PACKET: check_packet(&ev->packet); break;
	case PKT_EV_SYSCALL:
		FUZZ_CHECK(ev->call.name && ev->call.ret, "a call has its name and return value");
		FUZZ_CHECK(ev->call.n_args == 0 || ev->call.args, "arguments present");
		for (uint32_t i = 0; i < ev->call.n_args; i++)
			check_expr(ev->call.args[i], 1);
		check_expr(ev->call.ret, 1);
		if (ev->call.has_end)
			check_time(&ev->call.end);
		break;
	case PKT_EV_COMMAND: FUZZ_CHECK(ev->text != NULL, "a command has its text"); break;
	case PKT_EV_CODE:
		FUZZ_CHECK(ev->text != NULL, "a code block has its text");
		check_code(ev->text, PKT_OS_LINUX);
		check_code(ev->text, PKT_OS_FREEBSD);
		break;
	}
}

static void check_success(const struct pkt_script *s, uint32_t lines)
{
	FUZZ_CHECK(s->path && strcmp(s->path, PATH) == 0, "the script keeps its path");
	FUZZ_CHECK(s->n_events > 0 && s->events, "at least one event");
	for (uint32_t i = 0; i < s->n_settings; i++)
		FUZZ_CHECK(s->settings[i].name && s->settings[i].line <= lines, "settings named, in the text");
	for (uint32_t i = 0; i < s->n_events; i++) {
		check_event(&s->events[i], lines);
		FUZZ_CHECK(i == 0 || s->events[i].line >= s->events[i - 1].line, "events in text order");
	}
}

static void check_failure(const struct pkt_script *s, const GError *error, uint32_t lines)
{
	char *end;

	FUZZ_CHECK(error && error->domain == PKT_ERROR && error->code == PKT_ERROR_SYNTAX, "a PKT_ERROR_SYNTAX");
	fuzz_check_message(error->message);
	FUZZ_CHECK(g_str_has_prefix(error->message, PATH ":"), "the message starts with the path");
	unsigned long line = strtoul(error->message + strlen(PATH ":"), &end, 10);
	FUZZ_CHECK(line >= 1 && line <= lines, "the message names a line of the text");
	FUZZ_CHECK(g_str_has_prefix(end, ": syntax error: "), "PATH:LINE: syntax error: ...");
	FUZZ_CHECK(fuzz_all_zero(s, sizeof *s), "a failed parse leaves the script cleared");
}

static void parse_once(const char *text, size_t size, uint32_t lines, const char *const *defined)
{
	struct pkt_script s;
	GError *error = NULL;

	memset(&s, 0xa5, sizeof s); /* the parser must set every field itself */
	if (pkt_parse(PATH, text, size, defined, &s, &error)) {
		FUZZ_CHECK(error == NULL, "success without an error");
		check_success(&s, lines);
		pkt_script_clear(&s);
		FUZZ_CHECK(fuzz_all_zero(&s, sizeof s), "pkt_script_clear zeroes the script");
	} else {
		check_failure(&s, error, lines);
		g_error_free(error);
	}
}

int fuzz_pkt_one(const uint8_t *data, size_t size)
{
	static const char *const linux_defs[] = { "linux", NULL };
	char *text = g_malloc(size ? size : 1); /* exactly the bytes: ASan catches a read past them */
	uint32_t lines = 1;

	memcpy(text, data, size);
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	parse_once(text, size, lines, NULL);
	parse_once(text, size, lines, linux_defs);
	g_free(text);
	return 0;
}

FUZZ_ENTRY_POINTS(fuzz_pkt_one)
