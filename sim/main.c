/*
 * tcpsim: main().  The command line itself is sim/cli.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <glib.h>
#include "sim/cli.h"
#include "sim/out/outfile.h"

/* A summary or a trace that could not be written is a failure (exit 1):
 * `tcpsim cfg --json > /dev/full` must not look like a success. */
static int finish_stdout(int status)
{
	errno = 0;
	bool failed = fflush(stdout) != 0 || ferror(stdout);
	int err = errno;
	if (fclose(stdout) != 0 && !failed && errno != EBADF) { /* EBADF: closed, nothing written */
		failed = true;
		err = errno;
	}
	if (!failed)
		return status;
	fprintf(stderr, "tcpsim: stdout: cannot write: %s\n", g_strerror(err != 0 ? err : EIO));
	return status == 0 ? 1 : status;
}

int main(int argc, char **argv)
{
	outfile_set_command(argc, argv);
	outfile_install_signal_handlers();
	return finish_stdout(tcpsim_command(argc, argv));
}
