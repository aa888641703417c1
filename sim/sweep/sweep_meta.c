/*
 * sweep.meta, what a sweep's output folder holds (see sweep.h and
 * sweep_meta.h): its reading, its writing, the fingerprint it records, and
 * the check that a resumed folder holds this very sweep.  Apart because
 * the sweep, its resumption, the merge and the fuzz targets all read it.
 */
#include "sim/sweep/sweep_meta.h"

#include <string.h>
#include "sim/config/config.h"
#include "sim/config/units.h"
#include "sim/out/outfile.h"
#include "sim/sweep/sweep_csv.h"
#include "sim/sweep/sweep_int.h"

#define MAX_SHARDS 1000000
#define META_GROUP "sweep"

void meta_clear(struct sweep_meta *m)
{
	g_free(m->config);
	g_free(m->fingerprint);
	g_strfreev(m->overrides);
	g_strfreev(m->params);
	g_strfreev(m->metrics);
	memset(m, 0, sizeof *m);
}

bool meta_write(const struct sweep_meta *m, const char *path, GError **error)
{
	GKeyFile *kf = g_key_file_new();
	char shard[48];
	GError *e = NULL;

	g_snprintf(shard, sizeof shard, "%llu/%llu", (unsigned long long)m->shard_k,
	           (unsigned long long)m->shard_n);
	g_key_file_set_string(kf, META_GROUP, "config", m->config);
	g_key_file_set_string(kf, META_GROUP, "fingerprint", m->fingerprint);
	g_key_file_set_string_list(kf, META_GROUP, "overrides", (const char *const *)m->overrides,
	                           g_strv_length(m->overrides));
	g_key_file_set_string_list(kf, META_GROUP, "params", (const char *const *)m->params,
	                           g_strv_length(m->params));
	g_key_file_set_string_list(kf, META_GROUP, "metrics", (const char *const *)m->metrics,
	                           g_strv_length(m->metrics));
	g_key_file_set_uint64(kf, META_GROUP, "points", m->points);
	g_key_file_set_uint64(kf, META_GROUP, "runs", m->runs);
	g_key_file_set_uint64(kf, META_GROUP, "total", m->total);
	g_key_file_set_string(kf, META_GROUP, "shard", shard);
	gsize len = 0;
	char *text = g_key_file_to_data(kf, &len, NULL);
	g_key_file_free(kf);
	struct outfile *of = outfile_open(path, &e);
	if (of)
		fwrite(text, 1, len, outfile_stream(of));
	g_free(text);
	bool ok = of && outfile_commit(of, &e);
	if (!ok) {
		sweep_set_error(error, SWEEP_ERROR_IO, "%s", e->message);
		g_error_free(e);
	}
	return ok;
}

bool sweep_parse_shard(const char *text, uint64_t *k, uint64_t *n)
{
	const char *slash = strchr(text, '/');
	char *first = slash ? g_strndup(text, (size_t)(slash - text)) : NULL;
	bool ok = first && units_parse_uint(first, 1, MAX_SHARDS, k, NULL) &&
	          units_parse_uint(slash + 1, 1, MAX_SHARDS, n, NULL) && *k <= *n;

	g_free(first);
	return ok;
}

bool meta_read(struct sweep_meta *m, const char *path, GError **error)
{
	GKeyFile *kf = g_key_file_new();
	GError *e = NULL;
	char *shard = NULL;

	memset(m, 0, sizeof *m);
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		char *dir = g_path_get_dirname(path);
		sweep_set_error(error, SWEEP_ERROR_USAGE, "%s is not the output folder of a sweep (it has no sweep.meta)",
		          dir);
		g_free(dir);
		g_key_file_free(kf);
		return false;
	}
	bool ok = g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &e);
	if (ok) {
		m->config = g_key_file_get_string(kf, META_GROUP, "config", &e);
		m->fingerprint = e ? NULL : g_key_file_get_string(kf, META_GROUP, "fingerprint", &e);
		m->overrides = e ? NULL : g_key_file_get_string_list(kf, META_GROUP, "overrides", NULL, &e);
		m->params = e ? NULL : g_key_file_get_string_list(kf, META_GROUP, "params", NULL, &e);
		m->metrics = e ? NULL : g_key_file_get_string_list(kf, META_GROUP, "metrics", NULL, &e);
		m->points = e ? 0 : g_key_file_get_uint64(kf, META_GROUP, "points", &e);
		m->runs = e ? 0 : g_key_file_get_uint64(kf, META_GROUP, "runs", &e);
		m->total = e ? 0 : g_key_file_get_uint64(kf, META_GROUP, "total", &e);
		shard = e ? NULL : g_key_file_get_string(kf, META_GROUP, "shard", &e);
		ok = !e && sweep_parse_shard(shard, &m->shard_k, &m->shard_n) && m->runs > 0 &&
		     m->total == m->points * m->runs;
	}
	/* an empty string list reads back as NULL */
	if (ok && !m->overrides)
		m->overrides = g_new0(char *, 1);
	if (ok && !m->params)
		m->params = g_new0(char *, 1);
	ok = ok && m->metrics && m->metrics[0];
	if (!ok) {
		sweep_set_error(error, SWEEP_ERROR_USAGE, "%s: not the sweep.meta of a sweep%s%s", path,
		          e ? ": " : "", e ? e->message : "");
		meta_clear(m);
	}
	g_clear_error(&e);
	g_free(shard);
	g_key_file_free(kf);
	return ok;
}

char *sweep_fingerprint(const struct config_source *src, const char *const *overrides)
{
	gsize len = 0;
	const void *text = g_bytes_get_data(src->text, &len); /* as loaded: read once */
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(sum, (const guchar *)text, (gssize)len);
	for (size_t i = 0; overrides && overrides[i]; i++)
		g_checksum_update(sum, (const guchar *)overrides[i], (gssize)strlen(overrides[i]) + 1);
	char *hex = g_strdup(g_checksum_get_string(sum));
	g_checksum_free(sum);
	return hex;
}

bool sweep_check_meta(struct sweep *sw, GError **error)
{
	struct sweep_meta old;
	const struct sweep_meta *m = &sw->meta;

	if (!meta_read(&old, sw->meta_path, error))
		return false;
	const char *what = strcmp(old.fingerprint, m->fingerprint) != 0 ? "the config file or the options differ"
	                   : old.total != m->total ? "the number of runs differs"
	                   : old.shard_k != m->shard_k || old.shard_n != m->shard_n ? "the shard differs"
	                                                                            : NULL;
	if (what)
		sweep_set_error(error, SWEEP_ERROR_USAGE,
		          "%s holds the runs of another sweep (%s): remove %s or choose another -o", sw->dir,
		          what, sw->runs_path);
	meta_clear(&old);
	return what == NULL;
}
