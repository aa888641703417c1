/*
 * An output file that appears only complete: written through a buffered
 * stdio stream on "<path>.tmp" beside its final name and renamed onto
 * <path> by outfile_commit(), or removed by outfile_abandon().  An
 * interrupted or failed run never leaves a truncated file that looks valid.
 *
 * The writers of the optional outputs (pcapng, the event log, the
 * sequence diagram) all go through it; sim/pcap_out.c does the same by
 * hand because libpcap owns its stream.
 */
#ifndef SIM_OUTFILE_H
#define SIM_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>
#include <glib.h>

struct outfile;

/* Creates "<path>.tmp"; NULL with *error (G_FILE_ERROR) if it cannot. */
struct outfile *outfile_open(const char *path, GError **error);

/* The stream to write to.  Write errors need not be checked: the stream's
 * error flag is, by outfile_commit(). */
FILE *outfile_stream(struct outfile *of);

/* The final name. */
const char *outfile_path(const struct outfile *of);

/* Flushes, closes and renames into place; false (with *error) if any write,
 * the close or the rename failed, and then nothing is left behind.  Frees
 * of either way. */
bool outfile_commit(struct outfile *of, GError **error);

/* Closes and removes the temporary file; frees of.  NULL is allowed. */
void outfile_abandon(struct outfile *of);

#endif
