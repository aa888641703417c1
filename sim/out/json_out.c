/*
 * JSON text helpers; see json_out.h.
 */
#include "sim/out/json_out.h"

#include <string.h>
#include "sim/escape.h"

/* RFC 8259 section 7: '"', '\\' and C0 controls must be escaped; DEL, the
 * C1 controls and the separators U+2028/U+2029 (which end a line for a
 * JavaScript reader) are escaped too, so that a summary printed on a
 * terminal shows nothing that a terminal interprets.  Section 8.1: JSON
 * text is UTF-8, so a byte that is not valid UTF-8 becomes U+FFFD, the
 * replacement character (\ufffd), one per bad byte. */
void json_out_string(GString *out, const char *s)
{
	const char *p = s;
	const char *end = s + strlen(s);

	g_string_append_c(out, '"');
	while (p < end) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '"' || ch == '\\') {
			g_string_append_printf(out, "\\%c", ch);
			p++;
		} else if (ch < 0x20 || ch == 0x7f) {
			g_string_append_printf(out, "\\u%04x", ch);
			p++;
		} else if (ch < 0x80) {
			g_string_append_c(out, (char)ch);
			p++;
		} else {
			gunichar c = g_utf8_get_char_validated(p, end - p);
			if (c == (gunichar)-1 || c == (gunichar)-2) {
				g_string_append(out, "\\ufffd");
				p++;
				continue;
			}
			const char *next = p + g_utf8_skip[ch];
			if (escape_unichar_is_hidden(c))
				g_string_append_printf(out, "\\u%04x", (unsigned)c);
			else
				g_string_append_len(out, p, next - p);
			p = next;
		}
	}
	g_string_append_c(out, '"');
}

void json_out_time(GString *out, sim_time t)
{
	g_string_append_printf(out, "%lld.%09lld", (long long)(t / SIM_SEC), (long long)(t % SIM_SEC));
}
