/*
 * Untrusted text (file names, config values, --set arguments) as it may be
 * shown in a message on a terminal: on one line, with nothing a terminal
 * would interpret.  Every message path of the config loader uses it, and
 * the SVG diagram shows its text through it.
 *
 * The rule, applied per character of the UTF-8 text:
 *   newline, tab, carriage return      \n  \t  \r
 *   other C0 controls and DEL          \xHH (\x1b, \x7f)
 *   a byte that is not valid UTF-8     \xHH (\xff), one per byte
 *   C1 controls U+0080-U+009F, the line and paragraph separators
 *   U+2028/U+2029, the bidirectional controls U+202A-U+202E and
 *   U+2066-U+2069 (which reorder what follows on the line), and the
 *   noncharacters U+FFFE/U+FFFF (not XML characters)       \uHHHH
 *   anything else, backslashes included, as is.
 * Backslashes are not doubled, so escaping is idempotent: text that was
 * escaped once (a script word quoted inside a message) is left alone when
 * the whole message is escaped again.  The price is that a name written
 * with a literal "\x1b" looks like one holding ESC; messages are for
 * people, and the JSON summary keeps the exact bytes.
 */
#ifndef SIM_ESCAPE_H
#define SIM_ESCAPE_H

#include <glib.h>

/* Appends text (len bytes, or up to its NUL when len < 0), escaped. */
void escape_append(GString *out, const char *text, gssize len);

/* text escaped, newly allocated; "" for NULL. */
char *escape_text(const char *text);

/* Whether the code point must be shown as \uHHHH (C1, separators, bidi,
 * U+FFFE/U+FFFF). */
gboolean escape_unichar_is_hidden(gunichar c);

#endif
