/*
 * Escaping untrusted text for messages; see escape.h.
 */
#include "sim/escape.h"

#include <string.h>

gboolean escape_unichar_is_hidden(gunichar c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069) || c == 0xfffe || c == 0xffff;
}

static void append_control(GString *out, unsigned char ch)
{
	switch (ch) {
	case '\n': g_string_append(out, "\\n"); break;
	case '\t': g_string_append(out, "\\t"); break;
	case '\r': g_string_append(out, "\\r"); break;
	default: g_string_append_printf(out, "\\x%02x", ch); break;
	}
}

void escape_append(GString *out, const char *text, gssize len)
{
	const char *p = text;
	const char *end = text + (len < 0 ? (gssize)strlen(text) : len);

	while (p < end) {
		unsigned char ch = (unsigned char)*p;
		if (ch < 0x20 || ch == 0x7f) {
			append_control(out, ch);
			p++;
			continue;
		}
		if (ch < 0x80) {
			g_string_append_c(out, (char)ch);
			p++;
			continue;
		}
		/* g_utf8_get_char_validated: -1 or -2 for a bad or cut sequence */
		gunichar c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append_printf(out, "\\x%02x", ch);
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

char *escape_text(const char *text)
{
	GString *out = g_string_new(NULL);

	if (text)
		escape_append(out, text, -1);
	return g_string_free(out, FALSE);
}
