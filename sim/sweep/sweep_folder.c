/*
 * A sweep's output folder (see sweep.h): created and locked, the config
 * kept from being one of its outputs, runs.csv started or resumed (its
 * complete rows kept, a partial last line cut) and appended to,
 * summary.csv written through a temporary file.  Apart from the pool,
 * which only appends whole rows, so that what a folder may hold and how
 * a killed sweep picks up again are read in one place.
 *
 * Invariant: runs.csv holds the header then the rows of this shard's
 * indexes 0..done-1 (in shard order), each complete.
 */
#include "sim/sweep/sweep_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "sim/out/outfile.h"
#include "sim/sweep/sweep_csv.h"
#include "sim/sweep/sweep_summary.h"

/* ---- the folder ---- */

struct outdir *sweep_lock_dir(const char *dir, GError **error)
{
	GError *e = NULL;
	struct outdir *od = outdir_open(dir, &e);
	if (!od && e->domain == G_FILE_ERROR) {
		sweep_set_error(error, SWEEP_ERROR_USAGE, "%s", e->message);
		g_error_free(e);
	} else if (!od) {
		g_propagate_error(error, e);
	}
	return od;
}

/* metrics.csv beside summary.csv: the metrics' readable titles and units,
 * which plots/plots.sh puts on the axes. */
static bool save_titles(struct sweep_summary *summary, const char *summary_path, GError **error)
{
	char *dir = g_path_get_dirname(summary_path);
	char *path = g_build_filename(dir, "metrics.csv", NULL);
	struct outfile *of = outfile_open(path, error);
	bool ok = of != NULL;

	if (ok && !sweep_summary_print_titles(summary, outfile_stream(of))) {
		outfile_abandon(of);
		ok = false;
		sweep_set_error(error, SWEEP_ERROR_USAGE, "%s: no header to name the metrics of", summary_path);
	} else if (ok) {
		ok = outfile_commit(of, error);
	}
	g_free(path);
	g_free(dir);
	return ok;
}

bool sweep_save_summary(struct sweep_summary *summary, const char *path, GError **error)
{
	struct outfile *of = outfile_open(path, error);
	if (!of)
		return false;
	if (!sweep_summary_print(summary, outfile_stream(of), error)) {
		outfile_abandon(of);
		return false;
	}
	return outfile_commit(of, error) && save_titles(summary, path, error);
}

bool sweep_check_collisions(const struct sweep *sw, GError **error)
{
	char *titles = g_build_filename(sw->dir, "metrics.csv", NULL);
	const char *outputs[] = {sw->runs_path, sw->summary_path, sw->meta_path, titles};
	bool ok = true;
	for (size_t i = 0; ok && i < G_N_ELEMENTS(outputs); i++)
		if (outfile_same(sw->meta.config, outputs[i]))
			ok = sweep_set_error(error, SWEEP_ERROR_USAGE, "%s: the config file is the sweep's output %s",
			                     sw->meta.config, outputs[i]);
	g_free(titles);
	return ok;
}

/* ---- runs.csv ---- */

char *sweep_runs_header(char *const *params, char *const *metrics)
{
	GString *h = g_string_new("index,point,run,seed");

	for (size_t i = 0; params[i]; i++) {
		g_string_append_c(h, ',');
		csv_field(h, params[i]);
	}
	for (size_t i = 0; metrics[i]; i++) {
		g_string_append_c(h, ',');
		csv_field(h, metrics[i]);
	}
	g_string_append_c(h, '\n');
	return g_string_free(h, FALSE);
}

bool sweep_write_all(int fd, const char *data, size_t len, const char *path, GError **error)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return sweep_set_error(error, SWEEP_ERROR_IO, "%s: cannot write: %s", path,
			                 g_strerror(n < 0 ? errno : EIO));
		data += n;
		len -= (size_t)n;
	}
	return true;
}

/* Where the complete lines of runs.csv end, after the header. */
struct runs_scan {
	uint64_t rows;         /* complete lines after the header */
	off_t end;             /* just after the last '\n' */
	off_t last_row;        /* start of the last complete row */
	off_t size;            /* of the file */
};

static bool scan_rows(int fd, off_t from, struct runs_scan *sc, const char *path, GError **error)
{
	char buf[65536];
	off_t pos = from;
	ssize_t n;

	sc->rows = 0;
	sc->end = sc->last_row = from;
	off_t line_start = from;
	while ((n = pread(fd, buf, sizeof buf, pos)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] == '\n') {
				sc->rows++;
				sc->last_row = line_start;
				line_start = sc->end = pos + i + 1;
			}
		pos += n;
	}
	sc->size = pos;
	if (n < 0)
		return sweep_set_error(error, SWEEP_ERROR_IO, "%s: cannot read: %s", path, g_strerror(errno));
	return true;
}

/* runs.csv starts with the header?  A file cut inside its header counts
 * as empty (*empty). */
static bool check_header(int fd, const char *header, bool *empty, struct sweep *sw, GError **error)
{
	size_t len = strlen(header);
	char *buf = g_malloc(len);
	ssize_t n = pread(fd, buf, len, 0);
	bool same = n == (ssize_t)len && memcmp(buf, header, len) == 0;

	*empty = !same && n >= 0 && n < (ssize_t)len && memcmp(buf, header, (size_t)n) == 0;
	g_free(buf);
	if (n < 0)
		return sweep_set_error(error, SWEEP_ERROR_IO, "%s: cannot read: %s", sw->runs_path, g_strerror(errno));
	if (!same && !*empty)
		return sweep_set_error(error, SWEEP_ERROR_USAGE,
		                 "%s has other columns than this sweep (%.*s): remove it or choose another -o",
		                 sw->runs_path, (int)len - 1, header);
	return true;
}

/* runs.csv, emptied, with its header. */
static bool start_runs(struct sweep *sw, const char *header, GError **error)
{
	if (ftruncate(sw->fd, 0) != 0)
		return sweep_set_error(error, SWEEP_ERROR_IO, "%s: cannot truncate: %s", sw->runs_path, g_strerror(errno));
	return sweep_write_all(sw->fd, header, strlen(header), sw->runs_path, error);
}

/* Keeps the complete rows of an interrupted sweep, cuts a partial last line. */
static bool resume(struct sweep *sw, const char *header, GError **error)
{
	struct runs_scan sc;
	bool empty;
	char head[32] = "";
	uint64_t index;

	if (!check_header(sw->fd, header, &empty, sw, error))
		return false;
	if (empty) /* killed while writing the header: no row to keep */
		return meta_write(&sw->meta, sw->meta_path, error) && start_runs(sw, header, error);
	if (!sweep_check_meta(sw, error) || !scan_rows(sw->fd, (off_t)strlen(header), &sc, sw->runs_path, error))
		return false;
	if (sc.rows > sw->count)
		return sweep_set_error(error, SWEEP_ERROR_USAGE, "%s has %llu rows, more than the %llu of this sweep",
		                 sw->runs_path, (unsigned long long)sc.rows, (unsigned long long)sw->count);
	if (sc.rows > 0 && (pread(sw->fd, head, sizeof head - 1, sc.last_row) <= 0 ||
	                    !csv_row_index(head, &index) || index != shard_index(&sw->meta, sc.rows - 1)))
		return sweep_set_error(error, SWEEP_ERROR_USAGE,
		                 "%s: row %llu is not the run of index %llu: the file does not belong to this "
		                 "sweep; remove it or choose another -o", sw->runs_path,
		                 (unsigned long long)sc.rows, (unsigned long long)shard_index(&sw->meta, sc.rows - 1));
	if (sc.size > sc.end && ftruncate(sw->fd, sc.end) != 0)
		return sweep_set_error(error, SWEEP_ERROR_IO, "%s: cannot truncate: %s", sw->runs_path, g_strerror(errno));
	sw->done = sw->resumed = sc.rows;
	return true;
}

bool sweep_open_runs(struct sweep *sw, GError **error)
{
	char *header = sweep_runs_header(sw->meta.params, sw->meta.metrics);
	struct stat st;
	bool ok;

	/* created and locked only now that every point's config is checked;
	 * the lock keeps a second sweep from appending the same rows */
	sw->outdir = sweep_lock_dir(sw->dir, error);
	if (!sw->outdir) {
		g_free(header);
		return false;
	}
	bool exists = g_stat(sw->runs_path, &st) == 0 && st.st_size > 0;
	if (!exists && !meta_write(&sw->meta, sw->meta_path, error)) {
		g_free(header);
		return false;
	}
	sw->fd = open(sw->runs_path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (sw->fd < 0)
		ok = sweep_set_error(error, SWEEP_ERROR_IO, "%s: cannot open: %s", sw->runs_path, g_strerror(errno));
	else if (exists)
		ok = resume(sw, header, error);
	else
		ok = start_runs(sw, header, error);
	g_free(header);
	return ok;
}

bool sweep_start_summary(struct sweep *sw, GError **error)
{
	if (sw->meta.shard_n > 1)
		return true;
	FILE *in = fopen(sw->runs_path, "r");
	if (!in)
		return sweep_set_error(error, SWEEP_ERROR_IO, "%s: cannot read: %s", sw->runs_path, g_strerror(errno));
	sw->summary = sweep_summary_new(sw->runs_path, sw->spec->n_params);
	bool ok = sweep_summary_add_file(sw->summary, in, error);
	fclose(in);
	return ok;
}
