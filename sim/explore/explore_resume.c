/*
 * A killed exploration goes on where it stopped: each finished unit (the
 * subtree under one first fault) is kept in a file of the resume folder,
 * a GVariant of its counts, execution hashes and smallest placements, and
 * a later run of the same exploration (the same explored text and spec:
 * the folder's name is their fingerprint) reads it back instead of
 * running the unit again.  The files are written whole and renamed into
 * place (g_file_set_contents), so a unit is either kept or not at all.
 */
#include "sim/explore/explore_int.h"

#include <string.h>
#include <glib/gstdio.h>

#define UNIT_TYPE "(tata(bta(uuuu))a{s(ta(uuuu))})"

static GVariant *placement_variant(const struct explore_placement *p)
{
	GVariantBuilder b;
	g_variant_builder_init(&b, G_VARIANT_TYPE("a(uuuu)"));
	for (uint32_t i = 0; i < p->n; i++)
		g_variant_builder_add(&b, "(uuuu)", p->at[i].pos, p->at[i].action, (uint32_t)p->at[i].f.sender,
		                      (uint32_t)p->at[i].f.first);
	return g_variant_builder_end(&b);
}

static bool placement_read(const struct explore *x, GVariant *v, struct explore_placement *p)
{
	GVariantIter it;
	uint32_t pos, action, sender, rank;
	memset(p, 0, sizeof *p);
	g_variant_iter_init(&it, v);
	while (g_variant_iter_next(&it, "(uuuu)", &pos, &action, &sender, &rank)) {
		if (p->n == x->spec.faults || action >= x->n_actions || sender > 1)
			return false;
		explore_place_fault(x, p, pos, action, (int)sender, rank);
	}
	return true;
}

bool explore_unit_save(const struct explore *x, const struct explore_unit *u, const char *path)
{
	GVariantBuilder checks, outcomes;
	g_variant_builder_init(&checks, G_VARIANT_TYPE("a(bta(uuuu))"));
	for (uint32_t i = 0; i < x->n_checks; i++)
		g_variant_builder_add(&checks, "(bt@a(uuuu))", u->violation[i].found, u->violation[i].count,
		                      placement_variant(&u->violation[i].p));
	g_variant_builder_init(&outcomes, G_VARIANT_TYPE("a{s(ta(uuuu))}"));
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, u->outcomes);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const struct explore_best *b = v;
		g_variant_builder_add(&outcomes, "{s(t@a(uuuu))}", (const char *)k, b->count, placement_variant(&b->p));
	}
	GVariant *hashes = g_variant_new_fixed_array(G_VARIANT_TYPE_UINT64, u->hashes->data, u->hashes->len,
	                                              sizeof(uint64_t));
	GVariant *all = g_variant_ref_sink(g_variant_new("(t@ata(bta(uuuu))a{s(ta(uuuu))})", u->placements, hashes,
	                                                 &checks, &outcomes));
	bool ok = g_file_set_contents(path, g_variant_get_data(all), (gssize)g_variant_get_size(all), NULL);
	g_variant_unref(all);
	return ok;
}

static bool read_checks(const struct explore *x, GVariant *checks, struct explore_unit *u)
{
	if (g_variant_n_children(checks) != x->n_checks)
		return false;
	for (uint32_t i = 0; i < x->n_checks; i++) {
		gboolean found;
		guint64 count;
		GVariant *p;
		g_variant_get_child(checks, i, "(bt@a(uuuu))", &found, &count, &p);
		u->violation[i].found = found;
		u->violation[i].count = count;
		bool ok = placement_read(x, p, &u->violation[i].p);
		g_variant_unref(p);
		if (!ok)
			return false;
	}
	return true;
}

static bool read_outcomes(const struct explore *x, GVariant *outcomes, struct explore_unit *u)
{
	GVariantIter it;
	const char *text;
	guint64 count;
	GVariant *p;
	bool ok = true;
	g_variant_iter_init(&it, outcomes);
	while (ok && g_variant_iter_next(&it, "{&s(t@a(uuuu))}", &text, &count, &p)) {
		struct explore_best *b = g_new0(struct explore_best, 1);
		b->found = true;
		b->count = count;
		ok = placement_read(x, p, &b->p);
		g_hash_table_insert(u->outcomes, g_strdup(text), b);
		g_variant_unref(p);
	}
	return ok;
}

bool explore_unit_load(const struct explore *x, struct explore_unit *u, const char *path)
{
	char *data;
	gsize len;
	if (!g_file_get_contents(path, &data, &len, NULL))
		return false;
	GVariant *all = g_variant_new_from_data(G_VARIANT_TYPE(UNIT_TYPE), data, len, FALSE, g_free, data);
	g_variant_ref_sink(all);
	bool ok = g_variant_is_normal_form(all);
	if (ok) {
		guint64 placements;
		GVariant *hashes, *checks, *outcomes;
		gsize n;
		g_variant_get(all, "(t@at@a(bta(uuuu))@a{s(ta(uuuu))})", &placements, &hashes, &checks, &outcomes);
		const uint64_t *h = g_variant_get_fixed_array(hashes, &n, sizeof(uint64_t));
		u->placements = placements;
		g_array_append_vals(u->hashes, h, (guint)n);
		ok = n == placements && read_checks(x, checks, u) && read_outcomes(x, outcomes, u);
		g_variant_unref(hashes);
		g_variant_unref(checks);
		g_variant_unref(outcomes);
	}
	g_variant_unref(all);
	return ok;
}

char *explore_fingerprint(const struct explore *x)
{
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(sum, (const guchar *)x->text, (gssize)strlen(x->text));
	GString *spec = g_string_new(NULL);
	g_string_append_printf(spec, "\n%u %u %u", x->spec.faults, x->spec.segments, x->n_actions);
	for (uint32_t a = 0; a < x->n_actions; a++)
		g_string_append_printf(spec, " %d:%lld", x->actions[a].kind, (long long)x->actions[a].delay);
	for (int p = 0; p < EXPLORE_N_PROPERTIES; p++)
		g_string_append_printf(spec, " %d", x->spec.property[p]);
	for (uint32_t i = 0; i < x->spec.n_require; i++)
		g_string_append_printf(spec, "\n%s", x->spec.require[i].text);
	for (uint32_t i = 0; i < x->spec.n_outcomes; i++)
		g_string_append_printf(spec, "\n%s", x->spec.outcomes[i]);
	g_checksum_update(sum, (const guchar *)spec->str, (gssize)spec->len);
	char *hex = g_strndup(g_checksum_get_string(sum), 16);
	g_string_free(spec, TRUE);
	g_checksum_free(sum);
	return hex;
}

void explore_resume_remove(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;
	while (d && (name = g_dir_read_name(d)) != NULL) {
		char *path = g_build_filename(dir, name, NULL);
		g_remove(path);
		g_free(path);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(dir);
}
