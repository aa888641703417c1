/*
 * Freeing the tree of a script.  Every function here takes a tree that
 * may be partly built (counts match what was allocated, the rest is
 * zero), which is what a parse that failed halfway leaves.
 */
#include "sim/pkt/pkt_int.h"

#include <string.h>

void pkt_expr_free(struct pkt_expr *e)
{
	if (!e)
		return;
	for (uint32_t i = 0; i < e->n_kids; i++) {
		pkt_expr_free(e->kids[i]);
		if (e->names)
			g_free(e->names[i]);
	}
	g_free(e->kids);
	g_free(e->names);
	g_free(e->s);
	g_free(e->addr);
	g_free(e);
}

void pkt_packet_clear(struct pkt_packet *p)
{
	for (uint32_t i = 0; i < p->n_opts; i++)
		g_free(p->opts[i].word);
	g_free(p->opts);
	for (uint32_t i = 0; i < p->n_fuzz; i++) {
		g_free(p->fuzz[i].op);
		g_free(p->fuzz[i].header);
		g_free(p->fuzz[i].field);
	}
	g_free(p->fuzz);
	g_free(p->ip_ecn);
	g_free(p->icmp_type);
	g_free(p->icmp_code);
	memset(p, 0, sizeof *p);
}

void pkt_syscall_clear(struct pkt_syscall *c)
{
	for (uint32_t i = 0; i < c->n_args; i++)
		pkt_expr_free(c->args[i]);
	g_free(c->args);
	pkt_expr_free(c->ret);
	g_free(c->name);
	g_free(c->err);
	g_free(c->note);
	memset(c, 0, sizeof *c);
}

void pkt_event_clear(struct pkt_event *ev)
{
	pkt_packet_clear(&ev->packet);
	pkt_syscall_clear(&ev->call);
	g_free(ev->text);
	memset(ev, 0, sizeof *ev);
}

void pkt_script_clear(struct pkt_script *s)
{
	if (!s)
		return;
	for (uint32_t i = 0; i < s->n_settings; i++) {
		g_free(s->settings[i].name);
		g_free(s->settings[i].value);
	}
	g_free(s->settings);
	for (uint32_t i = 0; i < s->n_events; i++)
		pkt_event_clear(&s->events[i]);
	g_free(s->events);
	g_free(s->init_command);
	g_free(s->cleanup_command);
	g_free(s->path);
	memset(s, 0, sizeof *s);
}
