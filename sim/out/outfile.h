/*
 * Every output file of tcpsim, and the output folder, go through here: the
 * one place that decides how a path is written.
 *
 *  - A regular file (or a new name) appears only complete: written through
 *    a buffered stdio stream on "<path>.tmp" beside its final name, renamed
 *    onto <path> by outfile_commit(), removed by outfile_abandon() or by a
 *    SIGINT/SIGTERM (outfile_install_signal_handlers()).
 *  - A symlink to a regular file keeps the link: its target is replaced the
 *    same way ("<target>.tmp" beside the target, renamed over it).
 *  - "-" (stdout), a character or block device, a FIFO, or a symlink to
 *    one, is written in place: rename(2) would replace the device node
 *    with a regular file.
 *
 * The output folder (struct outdir) is created only when a run is about
 * to write, locked for the whole run (flock(2) on DIR/.tcpsim.lock, which
 * names the holder), and removed again by a run that fails as a usage
 * error if this run created it and left nothing in it.
 */
#ifndef SIM_OUT_OUTFILE_H
#define SIM_OUT_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>
#include <glib.h>

/* Errors of the output folder and of colliding outputs: exit status 2. */
#define OUTFILE_ERROR (outfile_error_quark())
GQuark outfile_error_quark(void);
enum outfile_error_code {
	OUTFILE_ERROR_BUSY,      /* another tcpsim holds the output folder */
	OUTFILE_ERROR_COLLISION, /* two outputs (or an output and an input) are one file */
};

#define OUTFILE_LOCK_NAME ".tcpsim.lock"

struct outfile;

/* Opens path for writing as described above; NULL with *error
 * (G_FILE_ERROR) if it cannot. */
struct outfile *outfile_open(const char *path, GError **error);

/* The stream to write to.  Write errors need not be checked: the stream's
 * error flag is, by outfile_commit(). */
FILE *outfile_stream(struct outfile *of);

/* The final name, as given. */
const char *outfile_path(const struct outfile *of);

/* Flushes, closes and renames into place (in place: flushes, and closes
 * unless stdout); false (with *error) if any write, the close or the
 * rename failed, and then no temporary file is left behind.  Frees of
 * either way. */
bool outfile_commit(struct outfile *of, GError **error);

/* Closes and removes the temporary file; frees of.  NULL is allowed. */
void outfile_abandon(struct outfile *of);

/* Removes an output an earlier outfile_commit() wrote, when a later one
 * failed: a regular file (a symlink's target) goes; "-", a device or a
 * FIFO is left alone. */
void outfile_remove(const char *path);

/* SIGINT and SIGTERM remove the temporary files of the outfiles still
 * open, then end the process by that signal (default action). */
void outfile_install_signal_handlers(void);

/* The command line written into the lock file (for the message of a
 * second tcpsim that finds the folder locked). */
void outfile_set_command(int argc, char **argv);

/* Are a and b the same file?  "-" is stdout and equals only "-"; existing
 * files compare by st_dev/st_ino (so "./x", "x" and a hard link are one),
 * others by their canonical absolute path (symlinks resolved). */
bool outfile_same(const char *a, const char *b);

struct outdir;

/* Creates dir (and its parents) if needed and locks it; NULL with *error:
 * OUTFILE_ERROR_BUSY naming the holder's pid and command, or G_FILE_ERROR
 * if it cannot be created (then nothing this call made is left). */
struct outdir *outdir_open(const char *dir, GError **error);

/* Releases the lock.  With remove_if_empty (a run that failed with a usage
 * error), the folders this call's outdir_open() created are removed again
 * if nothing but the lock file is in them.  NULL is allowed. */
void outdir_close(struct outdir *od, bool remove_if_empty);

#endif
