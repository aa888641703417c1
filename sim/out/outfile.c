/*
 * How tcpsim writes a path, and its output folder.  See outfile.h.
 *
 * Invariant: a regular file is only ever created or replaced by rename(2)
 * of a file that was flushed and closed without any error on its stream;
 * a device, a FIFO or stdout is never renamed onto.
 */
#include "sim/out/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

enum {
	OUTFILE_BUFFER = 1 << 18, /* writes reach the kernel 256 KiB at a time */
	TMP_SLOTS = 32,           /* temporary files open at once (a run has at most 4) */
	MAX_LINKS = 40,           /* symlinks followed, as Linux's MAXSYMLINKS */
};

G_DEFINE_QUARK(tcpsim-outfile-error-quark, outfile_error)

/* The temporary files a signal must remove.  The handler reads only
 * `used` (sig_atomic_t) and the path bytes written before `used` was set;
 * it calls only unlink(2), signal(2) and raise(3), async-signal-safe by
 * POSIX (signal-safety(7)). */
static struct {
	volatile sig_atomic_t used;
	char path[PATH_MAX];
} tmp_slots[TMP_SLOTS];
static GMutex tmp_slots_lock; /* between threads that register */
static char *lock_command;   /* outfile_set_command() */

static int register_tmp(const char *path)
{
	int slot = -1;
	if (strlen(path) >= PATH_MAX)
		return -1; /* no such file can be created anyway */
	g_mutex_lock(&tmp_slots_lock);
	for (int i = 0; i < TMP_SLOTS && slot < 0; i++)
		if (!tmp_slots[i].used) {
			g_strlcpy(tmp_slots[i].path, path, sizeof tmp_slots[i].path);
			__atomic_thread_fence(__ATOMIC_SEQ_CST); /* the path before the flag */
			tmp_slots[i].used = 1;
			slot = i;
		}
	g_mutex_unlock(&tmp_slots_lock);
	return slot;
}

static void unregister_tmp(int slot)
{
	if (slot >= 0)
		tmp_slots[slot].used = 0;
}

static void on_fatal_signal(int sig)
{
	for (int i = 0; i < TMP_SLOTS; i++)
		if (tmp_slots[i].used)
			unlink(tmp_slots[i].path);
	/* The default action once the handler returns: the status says killed
	 * by sig (the signal is blocked while its handler runs). */
	signal(sig, SIG_DFL);
	raise(sig);
}

void outfile_install_signal_handlers(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void outfile_set_command(int argc, char **argv)
{
	GString *s = g_string_new(NULL);
	for (int i = 0; i < argc; i++)
		g_string_append_printf(s, "%s%s", i ? " " : "", argv[i]);
	g_free(lock_command);
	lock_command = g_string_free(s, FALSE);
}

struct outfile {
	FILE *file;       /* the stream on tmp_path, or on path in place */
	char *path;       /* final name, as given */
	char *tmp_path;   /* "<target>.tmp", or NULL: written in place */
	char *target;     /* what tmp_path is renamed onto: path, or its link's target */
	char *buf;        /* OUTFILE_BUFFER bytes, the stream's buffer */
	int slot;         /* of tmp_path in tmp_slots, or -1 */
};

static void outfile_free(struct outfile *of)
{
	unregister_tmp(of->slot);
	g_free(of->buf);
	g_free(of->path);
	g_free(of->tmp_path);
	g_free(of->target);
	g_free(of);
}

static void set_error(GError **error, int err, const char *what, const char *path)
{
	g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), "%s: %s: %s", path, what,
	            g_strerror(err));
}

/* The file a chain of symlinks ends at (which may not exist yet). */
static char *resolve_links(const char *path)
{
	char *p = g_strdup(path);
	for (int i = 0; i < MAX_LINKS; i++) {
		char *link = g_file_read_link(p, NULL);
		if (!link)
			break;
		char *next = link;
		if (!g_path_is_absolute(link)) { /* relative to the link's folder */
			char *dir = g_path_get_dirname(p);
			next = g_build_filename(dir, link, NULL);
			g_free(dir);
			g_free(link);
		}
		g_free(p);
		p = next;
	}
	return p;
}

/* A device or a FIFO: written where it is. */
static bool in_place(const char *target)
{
	struct stat st;
	return stat(target, &st) == 0 && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISFIFO(st.st_mode));
}

struct outfile *outfile_open(const char *path, GError **error)
{
	struct outfile *of = g_new0(struct outfile, 1);
	of->path = g_strdup(path);
	of->slot = -1;
	if (strcmp(path, "-") == 0) {
		of->file = stdout;
		return of;
	}
	of->target = resolve_links(path);
	const char *open_path = of->target;
	if (!in_place(of->target)) {
		of->tmp_path = g_strconcat(of->target, ".tmp", NULL);
		of->slot = register_tmp(of->tmp_path);
		open_path = of->tmp_path;
	}
	of->file = fopen(open_path, "wb"); /* a FIFO: blocks until there is a reader */
	if (of->file == NULL) {
		set_error(error, errno, "cannot create", open_path);
		outfile_free(of);
		return NULL;
	}
	of->buf = g_malloc(OUTFILE_BUFFER);
	setvbuf(of->file, of->buf, _IOFBF, OUTFILE_BUFFER); /* before any I/O */
	/* One thread writes a file at a time (a run's own outputs, or a
	 * sweep's in its merging thread): stdio's per-call stream lock, two
	 * atomic operations on every fwrite() and putc(), four on every
	 * pcap_dump(), is left out (__fsetlocking(3), glibc's "Streams and
	 * Threads"). */
	__fsetlocking(of->file, FSETLOCKING_BYCALLER);
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

/* Flushes and closes the stream (not stdout: main() closes it); 0 or the
 * errno of the first failure. */
static int close_stream(struct outfile *of)
{
	int err = 0;
	errno = 0;
	if (fflush(of->file) != 0 || ferror(of->file))
		err = errno != 0 ? errno : EIO;
	if (of->file != stdout && fclose(of->file) != 0 && err == 0)
		err = errno != 0 ? errno : EIO;
	of->file = NULL;
	return err;
}

bool outfile_commit(struct outfile *of, GError **error)
{
	const char *written = of->tmp_path ? of->tmp_path : of->file == stdout ? "stdout" : of->path;
	int err = close_stream(of);
	if (err != 0)
		set_error(error, err, "cannot write", written);
	else if (of->tmp_path && rename(of->tmp_path, of->target) != 0) {
		err = errno;
		set_error(error, err, "cannot rename into place", of->target);
	}
	if (err != 0 && of->tmp_path)
		unlink(of->tmp_path);
	outfile_free(of);
	return err == 0;
}

void outfile_abandon(struct outfile *of)
{
	if (of == NULL)
		return;
	if (of->file != NULL)
		close_stream(of);
	if (of->tmp_path)
		unlink(of->tmp_path);
	outfile_free(of);
}

void outfile_remove(const char *path)
{
	if (strcmp(path, "-") == 0)
		return;
	char *target = resolve_links(path);
	if (!in_place(target))
		g_unlink(target);
	g_free(target);
}

/* ---- comparing paths ---- */

/* The absolute path with symlinks resolved, as far as it exists. */
static char *canonical(const char *path)
{
	char *real = realpath(path, NULL);
	if (real) {
		char *copy = g_strdup(real);
		free(real);
		return copy;
	}
	char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path);
	char *real_dir = realpath(dir, NULL);
	char *out = real_dir ? g_build_filename(real_dir, base, NULL) : g_canonicalize_filename(path, NULL);
	free(real_dir);
	g_free(dir);
	g_free(base);
	return out;
}

bool outfile_same(const char *a, const char *b)
{
	struct stat sa, sb;
	if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return strcmp(a, b) == 0;
	if (stat(a, &sa) == 0 && stat(b, &sb) == 0) /* a character device takes any number of writers */
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino && !S_ISCHR(sa.st_mode);
	char *ca = canonical(a), *cb = canonical(b);
	bool same = strcmp(ca, cb) == 0;
	g_free(ca);
	g_free(cb);
	return same;
}

/* ---- the output folder ---- */

struct outdir {
	char *lock_path;
	int fd;            /* the lock file, flock(2)ed */
	GPtrArray *created; /* the folders outdir_open() made, outermost first */
};

/* "pid 1234: tcpsim sweep x.ini" from the lock file's "1234\ntcpsim sweep x.ini\n". */
static char *describe_holder(int fd)
{
	char buf[1024];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	char **lines = g_strsplit(buf, "\n", 3);
	char *who = lines[0] && lines[0][0] ? g_strdup_printf("pid %s: %s", lines[0], lines[1] ? lines[1] : "")
	                                    : g_strdup("pid unknown: it is starting");
	g_strfreev(lines);
	return who;
}

/* flock(2): the lock goes with the open file description, so it ends when
 * the holder exits however it exits; a second tcpsim fails at once. */
static bool take_lock(struct outdir *od, const char *dir, GError **error)
{
	od->fd = open(od->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (od->fd < 0) {
		set_error(error, errno, "cannot create the lock file", od->lock_path);
		return false;
	}
	if (flock(od->fd, LOCK_EX | LOCK_NB) != 0) {
		int err = errno;
		if (err != EWOULDBLOCK) {
			set_error(error, err, "cannot lock", od->lock_path);
			return false;
		}
		char *who = describe_holder(od->fd);
		g_set_error(error, OUTFILE_ERROR, OUTFILE_ERROR_BUSY,
		            "%s is in use by another tcpsim (%s); wait for it to end or choose another -o", dir,
		            who);
		g_free(who);
		return false;
	}
	char *text = g_strdup_printf("%ld\n%s\n", (long)getpid(), lock_command ? lock_command : "tcpsim");
	size_t len = strlen(text);
	bool ok = ftruncate(od->fd, 0) == 0 && pwrite(od->fd, text, len, 0) == (ssize_t)len;
	if (!ok)
		set_error(error, errno ? errno : EIO, "cannot write", od->lock_path);
	g_free(text);
	return ok;
}

struct outdir *outdir_open(const char *dir, GError **error)
{
	struct outdir *od = g_new0(struct outdir, 1);
	od->fd = -1;
	od->created = g_ptr_array_new_with_free_func(g_free);
	for (char *p = g_strdup(dir); p; ) { /* the missing folders, outermost first */
		if (g_file_test(p, G_FILE_TEST_EXISTS) || strcmp(p, ".") == 0 || strcmp(p, "/") == 0) {
			g_free(p);
			break;
		}
		g_ptr_array_insert(od->created, 0, p);
		p = g_path_get_dirname(p);
	}
	od->lock_path = g_build_filename(dir, OUTFILE_LOCK_NAME, NULL);
	if (g_mkdir_with_parents(dir, 0755) != 0) {
		set_error(error, errno, "cannot create the output folder", dir);
		outdir_close(od, true);
		return NULL;
	}
	GError *e = NULL;
	if (!take_lock(od, dir, &e)) {
		bool busy = g_error_matches(e, OUTFILE_ERROR, OUTFILE_ERROR_BUSY);
		g_propagate_error(error, e);
		if (busy) /* the lock file is the holder's, and so is the folder */
			g_ptr_array_set_size(od->created, 0);
		outdir_close(od, !busy);
		return NULL;
	}
	return od;
}

void outdir_close(struct outdir *od, bool remove_if_empty)
{
	if (od == NULL)
		return;
	if (remove_if_empty && od->created->len > 0 && od->fd >= 0)
		g_unlink(od->lock_path);
	if (od->fd >= 0)
		close(od->fd);
	/* rmdir(2) removes only an empty folder: anything else stays */
	for (guint i = od->created->len; remove_if_empty && i-- > 0; )
		g_rmdir(g_ptr_array_index(od->created, i));
	g_ptr_array_free(od->created, TRUE);
	g_free(od->lock_path);
	g_free(od);
}
