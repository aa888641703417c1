/*
 * A host's TCP sockets, listed and killed from outside (see sockdiag.h).
 */
#include <errno.h>
#include "sim/world/sockdiag.h"
#include "sim/world/net_int.h"

static void add_conn_row(GArray *rows, struct conn *c, int fd)
{
	struct tcp_ep_view v;
	tcp_ep_view(c->ep, &v);
	struct sockdiag_row row = {.state = v.state, .key = c->key, .fd = fd,
	                           .request = c->parent && !c->ready_link.data && v.state == TCP_SYN_RCVD,
	                           .recv_q = v.readable, .send_q = v.outq};
	g_array_append_val(rows, row);
}

static void add_sock_row(GArray *rows, const struct sock *s, int fd)
{
	struct sockdiag_row row = {.state = TCP_CLOSED, .fd = fd};
	row.key.laddr = s->baddr;
	row.key.lport = s->bport;
	if (s->l) {
		row.state = TCP_LISTEN;
		row.key.lport = s->l->port;
		row.recv_q = g_queue_get_length(&s->l->ready);
		row.send_q = s->l->backlog;
	}
	g_array_append_val(rows, row);
}

static bool held(const struct app *a, const struct conn *c)
{
	for (int fd = 0; fd < a->fd_hi && fd < a->fds_cap; fd++)
		if (a->fds[fd] && a->fds[fd]->c == c)
			return true;
	return false;
}

GArray *sockdiag_list(struct net *n, enum net_role r)
{
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(struct sockdiag_row));
	struct host *h = &n->hosts[r];
	struct app *a = &n->apps[r];
	for (int fd = 0; fd < a->fd_hi && fd < a->fds_cap; fd++) {
		struct sock *s = a->fds[fd];
		if (!s)
			continue;
		if (s->c)
			add_conn_row(rows, s->c, fd);
		else
			add_sock_row(rows, s, fd);
	}
	/* in a fixed order: the table's is its hash's */
	GPtrArray *rest = g_ptr_array_new();
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, h->conns);
	while (g_hash_table_iter_next(&it, NULL, &v))
		if (!held(a, v))
			g_ptr_array_add(rest, v);
	g_hash_table_iter_init(&it, h->listeners);
	while (g_hash_table_iter_next(&it, NULL, &v)) /* children reset in the accept queue */
		for (GList *l = ((struct listener *)v)->ready.head; l; l = l->next)
			if (!((struct conn *)l->data)->in_table)
				g_ptr_array_add(rest, l->data);
	for (guint i = 0; i < rest->len; i++)
		for (guint j = i + 1; j < rest->len; j++) {
			struct conn *x = rest->pdata[i], *y = rest->pdata[j];
			if (y->id < x->id) {
				rest->pdata[i] = y;
				rest->pdata[j] = x;
			}
		}
	for (guint i = 0; i < rest->len; i++)
		add_conn_row(rows, rest->pdata[i], -1);
	g_ptr_array_free(rest, TRUE);
	return rows;
}

bool sockdiag_drop(struct net *n, enum net_role r, const struct conn_key *k, enum tcp_drop_rule rule,
                   int err)
{
	struct conn *c = host_lookup(&n->hosts[r], k);
	if (!c)
		return false;
	tcp_ep_drop(c->ep, n->q->now, err, rule, &n->acts);
	net_apply(n, r, c);
	if (!n->apps[r].done)
		app_run(&n->apps[r]);
	return true;
}

unsigned sockdiag_kill_all(struct net *n, enum net_role r, GString *what)
{
	GArray *rows = sockdiag_list(n, r);
	unsigned killed = 0;
	for (guint i = 0; i < rows->len; i++) {
		const struct sockdiag_row *row = &g_array_index(rows, struct sockdiag_row, i);
		struct conn *c = row->state == TCP_LISTEN || row->state == TCP_CLOSED
		                 ? NULL : host_lookup(&n->hosts[r], &row->key);
		if (!c)
			continue;
		if (what)
			g_string_append_printf(what, "%s#%llu %s", killed ? ", " : "", (unsigned long long)c->id,
			                       tcp_state_name(row->state));
		tcp_ep_drop(c->ep, n->q->now, ECONNABORTED, row->request ? TCP_DROP_SILENT : TCP_DROP_ABORT,
		            &n->acts);
		net_apply(n, r, c);
		killed++;
	}
	g_array_free(rows, TRUE);
	return killed;
}
