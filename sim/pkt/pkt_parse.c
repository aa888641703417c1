/*
 * packetdrill scripts: the script, its events, their times, and syscall
 * lines; the entry point pkt_parse().  The grammar is parser.y's:
 *
 *   script   := option* [command] event+ [command]
 *   option   := --name[=value]
 *   event    := time action
 *   time     := ['+'] T | '*' | T '~' T | '+' T '~' '+' T
 *   T        := INTEGER | FLOAT      (seconds, not negative)
 *   action   := packet | syscall | `command` | %{ code }%
 *   syscall  := ['...' ['+'] T] NAME '(' [expr (',' expr)*] ')' '=' expr
 *               [ERRNO] ['(' note words ')']
 *
 * Newlines mean nothing to the grammar (as in packetdrill, whose lexer
 * drops them): an event ends where the next time begins.  A command
 * with no time is the init command before the first event, or the
 * cleanup command after the last; anywhere else it is an error.
 * packetdrill's semantic checks on times are kept: '*' and ranges only
 * for outbound packets, a range not backwards.
 */
#include "sim/pkt/pkt_int.h"

#include <string.h>

G_DEFINE_QUARK(tcpsim-pkt-error-quark, pkt_error)

#define MAX_SECONDS 1000000 /* a longer time is a typo, not a test */

/* ---- times ---- */

static bool time_out_of_range(struct pkt_lex *lx, bool negative)
{
	char *raw = pkt_tok_raw(lx);
	if (negative)
		pkt_fail(lx, lx->tok.line, "negative time: %.40s", raw);
	else
		pkt_fail(lx, lx->tok.line, "absurd time: %.40s (more than %d seconds)", raw, MAX_SECONDS);
	g_free(raw);
	return false;
}

/* "0.100", ".1": exact decimal to nanoseconds (digits past the ninth are
 * dropped), no floating point on the way. */
static bool float_time(struct pkt_lex *lx, sim_time *out)
{
	const char *s = lx->src + lx->tok.start, *end = s + lx->tok.len;
	int64_t sec = 0, ns = 0, scale = 100000000;

	if (*s == '-')
		return time_out_of_range(lx, true);
	for (; *s != '.'; s++) {
		sec = sec * 10 + (*s - '0');
		if (sec > MAX_SECONDS)
			return time_out_of_range(lx, false);
	}
	for (s++; s < end && scale > 0; s++, scale /= 10)
		ns += (*s - '0') * scale;
	if (sec == MAX_SECONDS && ns > 0)
		return time_out_of_range(lx, false);
	*out = sec * 1000000000 + ns;
	return true;
}

/* One time value T, in seconds. */
static bool parse_seconds(struct pkt_lex *lx, sim_time *out, const char *what)
{
	const struct pkt_tok *t = &lx->tok;

	if (t->kind == PKT_T_FLOAT) {
		if (!float_time(lx, out))
			return false;
	} else if (t->kind == PKT_T_INT) {
		if (t->value < 0)
			return time_out_of_range(lx, true);
		if (t->too_big || t->value > MAX_SECONDS)
			return time_out_of_range(lx, false);
		*out = t->value * 1000000000;
	} else {
		return pkt_expected(lx, what);
	}
	pkt_lex_next(lx);
	return true;
}

#define TIME_FORMS "an event time (such as 0, 0.100, +0.1, * or 0.1~0.2)"

static bool parse_event_time(struct pkt_lex *lx, struct pkt_time *t)
{
	if (pkt_accept(lx, '*')) {
		t->kind = PKT_TIME_ANY;
		return true;
	}
	bool relative = pkt_accept(lx, '+');
	t->kind = relative ? PKT_TIME_RELATIVE : PKT_TIME_ABSOLUTE;
	if (!parse_seconds(lx, &t->t, relative ? "a time after '+'" : TIME_FORMS))
		return false;
	if (!pkt_is_punct(lx, '~'))
		return true;
	uint32_t line = lx->tok.line;
	pkt_lex_next(lx);
	t->kind = PKT_TIME_RANGE;
	t->end_relative = pkt_accept(lx, '+');
	if (t->end_relative != relative)
		return pkt_fail(lx, line, relative ? "a relative time range ends relative too (as in +0.1~+0.2)"
		                                   : "an absolute time range ends absolute too (as in 0.1~0.2)");
	if (!parse_seconds(lx, &t->t_end, "the end of the time range"))
		return false;
	if (t->t_end < t->t)
		return pkt_fail(lx, line, "time range is backwards");
	return true;
}

/* ---- syscalls ---- */

/* (word word ...) after the return value: kept with its parentheses,
 * words joined by single blanks. */
static bool parse_note(struct pkt_lex *lx, struct pkt_syscall *c)
{
	GString *s = g_string_new("(");

	pkt_lex_next(lx);
	for (int n = 0; !pkt_is_punct(lx, ')'); n++) {
		enum pkt_tok_kind k = lx->tok.kind;
		bool word = k == PKT_T_WORD || k == PKT_T_INT || k == PKT_T_HEX || k == PKT_T_FLOAT;
		bool punct = k == PKT_T_PUNCT && !strchr("()[]{}<>", lx->tok.punct);
		if (n == 32 || !(word || punct)) {
			g_string_free(s, TRUE);
			return pkt_expected(lx, "words and ')' in the note after the return value");
		}
		if (n > 0)
			g_string_append_c(s, ' ');
		g_string_append_len(s, lx->src + lx->tok.start, (gssize)lx->tok.len);
		pkt_lex_next(lx);
	}
	pkt_lex_next(lx);
	g_string_append_c(s, ')');
	c->note = g_string_free(s, FALSE);
	return true;
}

static bool parse_args(struct pkt_lex *lx, struct pkt_syscall *c)
{
	GPtrArray *args = g_ptr_array_new();
	bool ok = true;

	if (!pkt_is_punct(lx, ')')) {
		do {
			struct pkt_expr *e = pkt_parse_expr(lx);
			if (!e)
				break;
			g_ptr_array_add(args, e);
		} while (pkt_accept(lx, ','));
	}
	ok = !lx->failed && pkt_expect(lx, ')', "',' or ')' after an argument");
	c->n_args = args->len;
	c->args = (struct pkt_expr **)g_ptr_array_free(args, FALSE);
	return ok;
}

/* [...END] NAME(args) = ret [ERRNO] [(note)] */
static bool parse_syscall(struct pkt_lex *lx, uint32_t line, struct pkt_syscall *c)
{
	if (lx->tok.kind == PKT_T_ELLIPSIS) {
		pkt_lex_next(lx);
		c->has_end = true;
		c->end.kind = pkt_accept(lx, '+') ? PKT_TIME_RELATIVE : PKT_TIME_ABSOLUTE;
		if (!parse_seconds(lx, &c->end.t, "the time a blocking call returns after '...'"))
			return false;
	}
	if (lx->tok.kind != PKT_T_WORD)
		return pkt_expected(lx, "a syscall name after the blocking end time");
	c->name = pkt_tok_raw(lx);
	pkt_lex_next(lx);
	if (!pkt_is_punct(lx, '('))
		return pkt_expected(lx, "'(' and the arguments of the call");
	pkt_lex_next(lx);
	if (!parse_args(lx, c))
		return false;
	if (!pkt_accept(lx, '='))
		return pkt_expected_at(lx, line, "'=' and the return value after the call");
	c->ret = pkt_parse_expr(lx);
	if (!c->ret)
		return false;
	if (lx->tok.kind == PKT_T_WORD) {
		c->err = pkt_tok_raw(lx);
		pkt_lex_next(lx);
	}
	return !pkt_is_punct(lx, '(') || parse_note(lx, c);
}

/* ---- events ---- */

/* packetdrill's checks of event_time against the action. */
static bool check_time(struct pkt_lex *lx, const struct pkt_event *ev)
{
	bool outbound = ev->kind == PKT_EV_PACKET && ev->packet.outbound;

	if (ev->time.kind == PKT_TIME_ANY && !outbound)
		return pkt_fail(lx, ev->line, "event time '*' can only be used with outbound packets");
	if (ev->time.kind == PKT_TIME_RANGE && !outbound)
		return pkt_fail(lx, ev->line, "event time range can only be used with outbound packets");
	return true;
}

static bool parse_action(struct pkt_lex *lx, struct pkt_event *ev)
{
	switch (lx->tok.kind) {
	case PKT_T_COMMAND:
	case PKT_T_CODE:
		ev->kind = lx->tok.kind == PKT_T_COMMAND ? PKT_EV_COMMAND : PKT_EV_CODE;
		ev->text = pkt_lex_steal_text(lx);
		pkt_lex_next(lx);
		return true;
	case PKT_T_WORD:
	case PKT_T_ELLIPSIS:
		ev->kind = PKT_EV_SYSCALL;
		return parse_syscall(lx, ev->line, &ev->call);
	case PKT_T_PUNCT:
		if (pkt_is_punct(lx, '<') || pkt_is_punct(lx, '>')) {
			ev->kind = PKT_EV_PACKET;
			return pkt_parse_packet(lx, &ev->packet);
		}
		break;
	case PKT_T_EOF:
	case PKT_T_INT:
	case PKT_T_HEX:
	case PKT_T_FLOAT:
	case PKT_T_IPV4:
	case PKT_T_STRING:
	case PKT_T_OPTION: break;
	}
	return pkt_expected(lx, "a packet ('<' or '>'), a syscall, a `command` or a %{ code }% after the event time");
}

static bool parse_event(struct pkt_lex *lx, GArray *events)
{
	struct pkt_event ev = { 0 };

	ev.line = lx->tok.line;
	if (!parse_event_time(lx, &ev.time) || !parse_action(lx, &ev) || !check_time(lx, &ev)) {
		pkt_event_clear(&ev);
		return false;
	}
	g_array_append_val(events, ev);
	return true;
}

/* A command with no time after the first event: the cleanup command
 * when nothing follows it. */
static bool parse_untimed_command(struct pkt_lex *lx, struct pkt_script *s)
{
	uint32_t line = lx->tok.line;
	char *text = pkt_lex_steal_text(lx);

	pkt_lex_next(lx);
	if (lx->tok.kind == PKT_T_EOF && !lx->failed) {
		s->cleanup_command = text;
		return true;
	}
	g_free(text);
	return pkt_fail(lx, line, "expected an event time before this command (only the first and the last "
	                          "command of a script may have none)");
}

static void parse_settings(struct pkt_lex *lx, GArray *settings)
{
	while (lx->tok.kind == PKT_T_OPTION) {
		struct pkt_setting st = { lx->tok.line, pkt_lex_steal_text(lx), lx->tok.opt_value };
		lx->tok.opt_value = NULL;
		g_array_append_val(settings, st);
		pkt_lex_next(lx);
	}
}

static void parse_script(struct pkt_lex *lx, struct pkt_script *s, GArray *settings, GArray *events)
{
	parse_settings(lx, settings);
	if (lx->tok.kind == PKT_T_COMMAND) {
		s->init_line = lx->tok.line;
		s->init_command = pkt_lex_steal_text(lx);
		pkt_lex_next(lx);
	}
	while (lx->tok.kind != PKT_T_EOF && !lx->failed) {
		if (lx->tok.kind == PKT_T_COMMAND && events->len > 0)
			parse_untimed_command(lx, s);
		else
			parse_event(lx, events);
	}
	if (!lx->failed && events->len == 0)
		pkt_fail(lx, lx->tok.line, "expected at least one event (a time, then a packet, a call or a command)");
}

bool pkt_parse(const char *path, const char *text, size_t len, const char *const *defined,
               struct pkt_script *out, GError **error)
{
	struct pkt_lex lx;
	GArray *settings = g_array_new(FALSE, TRUE, sizeof(struct pkt_setting));
	GArray *events = g_array_new(FALSE, TRUE, sizeof(struct pkt_event));

	memset(out, 0, sizeof *out);
	out->path = g_strdup(path ? path : "-");
	pkt_lex_init(&lx, out->path, text, len, defined);
	parse_script(&lx, out, settings, events);
	out->n_settings = settings->len;
	out->settings = (struct pkt_setting *)(void *)g_array_free(settings, FALSE);
	out->n_events = events->len;
	out->events = (struct pkt_event *)(void *)g_array_free(events, FALSE);
	bool ok = !lx.failed;
	if (!ok) {
		g_set_error_literal(error, PKT_ERROR, PKT_ERROR_SYNTAX, lx.err);
		pkt_script_clear(out);
	}
	pkt_lex_free(&lx);
	return ok;
}
