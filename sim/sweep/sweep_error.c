/*
 * How `tcpsim sweep` and `tcpsim merge` report a failure: the usage
 * message, the error and its exit status (see sweep.h), and sweep_set_error(),
 * which every file of the sweep uses to build its errors.  Apart so that
 * both commands and all their files say things one way.
 */
#include "sim/sweep/sweep_int.h"

#include <stdarg.h>
#include <stdio.h>
#include "sim/config/config.h"
#include "sim/escape.h"
#include "sim/out/outfile.h"
#include "sim/sweep/sweep_csv.h"

int sweep_usage_error(const char *cmd, const char *msg)
{
	char *shown = escape_text(msg);
	fprintf(stderr, "tcpsim %s: %s\nTry \"tcpsim %s --help\" for more information.\n", cmd, shown,
	        cmd);
	g_free(shown);
	return 2;
}

int sweep_report_error(const char *cmd, GError *e)
{
	int status = (e->domain == SWEEP_ERROR && e->code == SWEEP_ERROR_USAGE) ||
	             e->domain == CONFIG_ERROR || e->domain == OUTFILE_ERROR ? 2 : 1;
	char *shown = escape_text(e->message); /* idempotent: escaped messages stay as they are */
	if (e->domain == CONFIG_ERROR)
		fprintf(stderr, "%s\n", shown);
	else
		fprintf(stderr, "tcpsim %s: %s\n", cmd, shown);
	g_free(shown);
	g_error_free(e);
	return status;
}

bool sweep_set_error(GError **error, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	char *shown = escape_text(msg); /* file names and GKeyFile's quotes of them */
	g_set_error_literal(error, SWEEP_ERROR, code, shown);
	g_free(shown);
	g_free(msg);
	return false;
}
