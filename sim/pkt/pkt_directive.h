/*
 * How a script asks to be run: its `// tcpsim:` lines (pkt_directive.c).
 *
 * A corpus script that needs the bsd profile or exact timers says so in
 * itself, in a comment real packetdrill skips (its lexer drops `//` to the
 * end of the line), so `tcpsim pkt tests/pkt/NAME.pkt...` runs each one as it
 * must be run, with no rule on file names:
 *
 *   // tcpsim: --profile bsd --set timers=exact
 *
 * Only what packetdrill has no word for: --profile NAME, --set KEY=VALUE
 * (repeatable), -D/--define NAME (repeatable).  Tolerances, mss and ports
 * are packetdrill's own header options (`--tolerance_usecs=...` lines).
 */
#ifndef SIM_PKT_PKT_DIRECTIVE_H
#define SIM_PKT_PKT_DIRECTIVE_H

#include <glib.h>
#include <stdbool.h>

struct pkt_directive {
	char *profile;    /* NULL: not said */
	GPtrArray *sets;  /* char *, "KEY=VALUE", in the script's order */
	GPtrArray *defines; /* char *, names #ifdef sees */
};

/* Reads every `// tcpsim:` line of text (the script at path).  false with
 * *error (PKT_ERROR, "PATH:LINE: tcpsim: ...") for an option it does not
 * take or a missing value.  *d is the caller's to clear, whatever the
 * result. */
bool pkt_directive_read(const char *path, const char *text, struct pkt_directive *d, GError **error);
void pkt_directive_clear(struct pkt_directive *d);

/* The #ifdef names a script run under profile sees (NULL: linux): the
 * profile's system ("linux"/"Linux", "FreeBSD"/"freebsd"), then extra's
 * lists (each NULL-terminated, or NULL), as a NULL-terminated vector to
 * g_strfreev. */
char **pkt_defined_names(const char *profile, const char *const *extra1, const char *const *extra2);

#endif
