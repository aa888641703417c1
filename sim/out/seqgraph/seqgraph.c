/*
 * The time-sequence graph's life: its file opened before the run, the
 * observer's events recorded (seqgraph_rec.c), drawn and written at the
 * end (seqgraph_draw.c), and the sink the run sees (sim/out/sink.h).
 */
#include "sim/out/seqgraph/seqgraph_int.h"

bool seqgraph_format_of(const char *path, enum diagram_format *format, GError **error)
{
	char *lower = g_ascii_strdown(path, -1);
	bool ok = true;
	if (g_str_has_suffix(lower, ".svg")) {
		*format = DIAGRAM_SVG;
	} else if (g_str_has_suffix(lower, ".png") && diagram_png_available()) {
		*format = DIAGRAM_PNG;
	} else if (g_str_has_suffix(lower, ".png")) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "--seqgraph %s: this tcpsim was built without cairo and writes SVG only "
		            "(install libcairo2-dev and rebuild, or use a .svg name)", path);
		ok = false;
	} else {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "--seqgraph %s: the file name must end in .svg or .png", path);
		ok = false;
	}
	g_free(lower);
	return ok;
}

bool seqgraph_sender_of(const char *text, enum net_role *role)
{
	for (int r = 0; r < NET_ROLES; r++)
		if (g_strcmp0(text, net_role_name((enum net_role)r)) == 0) {
			*role = (enum net_role)r;
			return true;
		}
	return false;
}

struct seqgraph *seqgraph_new(const char *title, uint64_t seed, int sender, const char *path,
                              GError **error)
{
	enum diagram_format format;
	if (!seqgraph_format_of(path, &format, error))
		return NULL;
	struct outfile *of = outfile_open(path, error);
	if (of == NULL)
		return NULL;
	struct seqgraph *g = g_new0(struct seqgraph, 1);
	g->title = g_strdup(title ? title : "");
	g->seed = seed;
	g->sender = sender;
	g->format = format;
	g->of = of;
	g->syns = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
	for (int r = 0; r < NET_ROLES; r++)
		sg_dir_init(&g->dir[r]);
	return g;
}

void seqgraph_free(struct seqgraph *g)
{
	if (g == NULL)
		return;
	outfile_abandon(g->of);
	g_free(g->title);
	g_hash_table_unref(g->syns);
	for (int r = 0; r < NET_ROLES; r++)
		sg_dir_clear(&g->dir[r]);
	g_free(g);
}

bool seqgraph_write(struct seqgraph *g, GError **error)
{
	struct dg_list l;
	dg_list_init(&l);
	sg_draw(g, sg_pick(g), &l);
	struct outfile *of = g->of;
	g->of = NULL;
	return dg_list_write_out(&l, g->format == DIAGRAM_PNG, of, error);
}

/* --- the graph as a sink of the run (sink.h) --- */

struct seqgraph_sink {
	struct seqgraph *g;
	char *path;
	struct sink_report *report;
};

static void sink_packet(void *self, const struct net_packet_event *e)
{
	seqgraph_packet(((struct seqgraph_sink *)self)->g, e);
}

static void sink_ack(void *self, const struct net_ack_event *e)
{
	seqgraph_ack(((struct seqgraph_sink *)self)->g, e);
}

static void sink_flow_gone(void *self, uint64_t flow_id, const struct net_tuple *t)
{
	(void)t;
	seqgraph_flow_gone(((struct seqgraph_sink *)self)->g, flow_id);
}

static void sink_abandon(void *self)
{
	struct seqgraph_sink *s = self;
	seqgraph_free(s->g);
	g_free(s->path);
	g_free(s);
}

static bool sink_commit(void *self, const struct sink_end *end, GError **error)
{
	struct seqgraph_sink *s = self;
	(void)end;
	bool ok = seqgraph_write(s->g, error);
	if (ok)
		s->report->seqgraph_path = g_steal_pointer(&s->path);
	sink_abandon(s);
	return ok;
}

static const struct sink_ops seqgraph_sink = {
	.packet = sink_packet,
	.ack = sink_ack,
	.flow_gone = sink_flow_gone,
	.commit = sink_commit,
	.abandon = sink_abandon,
};

bool seqgraph_sink_open(const struct sink_args *a, struct sink *out, GError **error)
{
	out->ops = NULL;
	if (!a->seqgraph_path)
		return true;
	struct seqgraph *g = seqgraph_new(a->cfg->path, a->cfg->seed, a->seqgraph_sender,
	                                  a->seqgraph_path, error);
	if (!g)
		return false;
	struct seqgraph_sink *s = g_new0(struct seqgraph_sink, 1);
	s->g = g;
	s->path = g_strdup(a->seqgraph_path);
	s->report = a->report;
	out->ops = &seqgraph_sink;
	out->self = s;
	return true;
}
