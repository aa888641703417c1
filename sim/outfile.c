/*
 * Write to "<path>.tmp", rename onto <path> when complete.  See outfile.h.
 *
 * Invariant: <path> is only ever created by rename(2) of a file that was
 * flushed and closed without any error on its stream.
 */
#include "sim/outfile.h"

#include <errno.h>
#include <unistd.h>

enum { OUTFILE_BUFFER = 1 << 18 }; /* writes reach the kernel 256 KiB at a time */

struct outfile {
	FILE *file;       /* the stream on tmp_path */
	char *path;       /* final name */
	char *tmp_path;   /* "<path>.tmp" */
	char *buf;        /* OUTFILE_BUFFER bytes, the stream's buffer */
};

static void outfile_free(struct outfile *of)
{
	g_free(of->buf);
	g_free(of->path);
	g_free(of->tmp_path);
	g_free(of);
}

static void set_error(GError **error, int err, const char *what, const char *path)
{
	g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), "%s: %s: %s", path, what,
	            g_strerror(err));
}

struct outfile *outfile_open(const char *path, GError **error)
{
	struct outfile *of = g_new0(struct outfile, 1);

	of->path = g_strdup(path);
	of->tmp_path = g_strconcat(path, ".tmp", NULL);
	of->file = fopen(of->tmp_path, "wb");
	if (of->file == NULL) {
		set_error(error, errno, "cannot create", of->tmp_path);
		outfile_free(of);
		return NULL;
	}
	of->buf = g_malloc(OUTFILE_BUFFER);
	setvbuf(of->file, of->buf, _IOFBF, OUTFILE_BUFFER); /* before any I/O */
	return of;
}

FILE *outfile_stream(struct outfile *of)
{
	return of->file;
}

const char *outfile_path(const struct outfile *of)
{
	return of->path;
}

bool outfile_commit(struct outfile *of, GError **error)
{
	int err = 0;

	errno = 0;
	if (fflush(of->file) != 0 || ferror(of->file))
		err = errno != 0 ? errno : EIO;
	if (fclose(of->file) != 0 && err == 0)
		err = errno != 0 ? errno : EIO;
	if (err != 0)
		set_error(error, err, "cannot write", of->tmp_path);
	else if (rename(of->tmp_path, of->path) != 0) {
		err = errno;
		set_error(error, err, "cannot rename into place", of->path);
	}
	if (err != 0)
		unlink(of->tmp_path);
	outfile_free(of);
	return err == 0;
}

void outfile_abandon(struct outfile *of)
{
	if (of == NULL)
		return;
	fclose(of->file);
	unlink(of->tmp_path);
	outfile_free(of);
}
