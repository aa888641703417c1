/*
 * What an exploration tells of a placement: its faults as [faults]
 * entries a reader recognises ("drop 1st client ack-of-fin" rather than
 * "drop 7th client any"), a one-line story, and a config that re-runs it.
 */
#include "sim/explore/explore.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include "sim/config/units.h"

static void append_duration(GString *s, sim_time t)
{
	char buf[64];
	g_string_append(s, units_format_duration(t, buf, sizeof buf));
}

/* The kinds a fault is written with, the most telling first. */
static const enum fault_kind telling[] = {FAULT_SYN_ACK, FAULT_SYN, FAULT_RST, FAULT_FIN,
                                          FAULT_ACK_OF_FIN, FAULT_DATA, FAULT_ACK};

static bool seg_is(const struct explore_seg *g, enum fault_kind k)
{
	struct fault f = {.sender = g->sender, .kind = k, .from = 0, .to = SIM_NEVER};
	struct fault_facts facts = {.sender = g->sender, .acks_peer_fin = g->acks_peer_fin, .now = g->t};
	return fault_matches(&f, &g->hdr, &facts);
}

/* Fault i of p rewritten as the first telling kind its segment is, with
 * its rank among the sender's segments of that kind (segs: the run of p). */
static struct fault telling_fault(const struct explore_placement *p, uint32_t i, const struct explore_exec *e)
{
	struct fault f = p->at[i].f;
	const struct explore_seg *g = &e->segs[p->at[i].pos - 1];
	for (size_t k = 0; k < G_N_ELEMENTS(telling); k++) {
		if (!seg_is(g, telling[k]))
			continue;
		uint32_t rank = 0;
		for (uint32_t s = 0; s < p->at[i].pos; s++)
			rank += e->segs[s].sender == g->sender && seg_is(&e->segs[s], telling[k]);
		f.kind = telling[k];
		f.first = f.last = rank;
		break;
	}
	return f;
}

static void ordinal(GString *s, uint64_t n)
{
	const char *suffix = n % 100 >= 11 && n % 100 <= 13 ? "th"
	                     : n % 10 == 1                  ? "st"
	                     : n % 10 == 2                  ? "nd"
	                     : n % 10 == 3                  ? "rd"
	                                                    : "th";
	g_string_append_printf(s, "%llu%s", (unsigned long long)n, suffix);
}

static char *fault_text(const struct fault *f)
{
	GString *s = g_string_new(fault_action_name(f->action));
	g_string_append_c(s, ' ');
	ordinal(s, f->first);
	g_string_append_printf(s, " %s %s", net_role_name((enum net_role)f->sender), fault_kind_name(f->kind));
	if (f->action == FAULT_DELAY) {
		g_string_append(s, " by ");
		append_duration(s, f->delay);
	}
	return g_string_free(s, FALSE);
}

/* p with its faults in the telling form when that gives the same
 * execution (the ack-of-fin facts here are the observer's; the world's
 * matcher is the judge), and *e that execution. */
static struct explore_placement telling_placement(const struct explore *x, const struct explore_placement *p,
                                                  struct explore_exec *e)
{
	struct explore_exec again;
	struct explore_placement t = *p;
	explore_execute(x, p, e);
	for (uint32_t i = 0; i < p->n; i++)
		t.at[i].f = telling_fault(p, i, e);
	explore_execute(x, &t, &again);
	bool same = again.hash == e->hash;
	explore_exec_clear(&again);
	return same ? t : *p;
}

/* "the client's 1st ACK of the server's FIN" */
static void describe_segment(GString *s, const struct fault *f, const struct explore_seg *g)
{
	const char *who = net_role_name((enum net_role)f->sender);
	const char *peer = net_role_name((enum net_role)(1 - f->sender));
	g_string_append_printf(s, "the %s's ", who);
	if (f->first > 1 || f->kind == FAULT_ANY) {
		ordinal(s, f->first);
		g_string_append_c(s, ' ');
	}
	switch (f->kind) {
	case FAULT_SYN: g_string_append(s, "SYN"); break;
	case FAULT_SYN_ACK: g_string_append(s, "SYN-ACK"); break;
	case FAULT_RST: g_string_append(s, "reset"); break;
	case FAULT_FIN: g_string_append(s, "FIN"); break;
	case FAULT_ACK_OF_FIN: g_string_append_printf(s, "ACK of the %s's FIN", peer); break;
	case FAULT_DATA: g_string_append(s, "data segment"); break;
	case FAULT_ACK: g_string_append(s, "ACK"); break;
	case FAULT_ANY: g_string_append(s, "segment"); break;
	}
	if (g->retransmission)
		g_string_append(s, " (a retransmission)");
	g_string_append_printf(s, " at %.3f s", sim_time_to_sec(g->t));
}

static void describe_retransmissions(GString *s, const char *what, uint64_t n)
{
	if (n)
		g_string_append_printf(s, " after %llu %s retransmission%s", (unsigned long long)n, what,
		                       n == 1 ? "" : "s");
}

/* " client ok in TIME_WAIT, server ECONNRESET in CLOSED after 1 FIN
 * retransmission" */
static void describe_end(GString *s, const struct explore_exec *e)
{
	for (int r = 0; r < NET_ROLES; r++) {
		g_string_append_printf(s, "%s %s %s in %s", r ? "," : "", net_role_name((enum net_role)r),
		                       e->result[r] ? net_errno_name(e->result[r]) : "ok",
		                       tcp_state_name(e->final_state[r]));
		describe_retransmissions(s, "SYN", e->rtx_syn[r]);
		describe_retransmissions(s, "data", e->rtx_data[r]);
		describe_retransmissions(s, "FIN", e->rtx_fin[r]);
	}
}

static char *story_of(const struct explore *x, const struct explore_placement *t, const struct explore_exec *e)
{
	GString *s = g_string_new(NULL);
	for (uint32_t i = 0; i < t->n; i++) {
		const struct fault *f = &t->at[i].f;
		g_string_append(s, i ? ", " : "");
		g_string_append(s, f->action == FAULT_DROP ? "drop " : f->action == FAULT_DUPLICATE ? "duplicate " : "delay ");
		describe_segment(s, f, &e->segs[t->at[i].pos - 1]);
		if (f->action == FAULT_DELAY) {
			g_string_append(s, " by ");
			append_duration(s, f->delay);
		}
	}
	g_string_append(s, t->n ? " \xe2\x86\x92" : "no fault \xe2\x86\x92");
	describe_end(s, e);
	for (uint32_t i = 0; i < x->n_checks; i++)
		if (e->violated & 1ull << i) {
			char *name = explore_check_name(x, i);
			g_string_append_printf(s, "; violates %s", name);
			g_free(name);
		}
	return g_string_free(s, FALSE);
}

void explore_tell(const struct explore *x, const struct explore_placement *p, struct explore_told *told)
{
	struct explore_exec e;
	struct explore_placement t = telling_placement(x, p, &e);
	told->lines = g_new0(char *, p->n + 1);
	for (uint32_t i = 0; i < p->n; i++)
		told->lines[i] = fault_text(&t.at[i].f);
	told->story = story_of(x, &t, &e);
	explore_exec_clear(&e);
}

void explore_told_clear(struct explore_told *told)
{
	g_strfreev(told->lines);
	g_free(told->story);
	told->lines = NULL;
	told->story = NULL;
}

char **explore_fault_lines(const struct explore *x, const struct explore_placement *p)
{
	struct explore_told told;
	explore_tell(x, p, &told);
	g_free(told.story);
	return told.lines;
}

char *explore_story(const struct explore *x, const struct explore_placement *p)
{
	struct explore_told told;
	explore_tell(x, p, &told);
	g_strfreev(told.lines);
	return told.story;
}

char *explore_check_name(const struct explore *x, uint32_t i)
{
	if (i < EXPLORE_N_PROPERTIES)
		return g_strdup(explore_property_name((enum explore_property)i));
	return g_strdup_printf("require %s", x->spec.require[i - EXPLORE_N_PROPERTIES].text);
}

/* x->text with the lines after its [faults] header, or a new section. */
static char *with_faults(const char *text, char **lines)
{
	GString *add = g_string_new(NULL);
	for (uint32_t i = 0; lines[i]; i++)
		g_string_append_printf(add, "explore_%u = %s\n", i + 1, lines[i]);
	GString *out = g_string_new(text);
	const char *h = strstr(text, "\n[faults]");
	if (g_str_has_prefix(text, "[faults]"))
		h = text - 1;
	if (h) {
		const char *eol = strchr(h + 1, '\n');
		g_string_insert(out, eol ? eol - text + 1 : (gssize)strlen(text), add->str);
	} else {
		g_string_append_printf(out, "\n[faults]\n%s", add->str);
	}
	g_string_free(add, TRUE);
	return g_string_free(out, FALSE);
}

char *explore_write_config(const struct explore *x, const struct explore_told *told, const char *dir,
                           const char *name, GError **error)
{
	char *body = with_faults(x->text, told->lines);
	char *text = g_strdup_printf("# A counterexample found by tcpsim explore from %s:\n# %s\n# Run it: "
	                             "tcpsim %s/%s.ini\n\n%s",
	                             x->cfg.path, told->story, dir, name, body);
	char *path = g_strdup_printf("%s/%s.ini", dir, name);
	if (!g_file_set_contents(path, text, -1, error))
		g_clear_pointer(&path, g_free);
	g_free(body);
	g_free(text);
	return path;
}
