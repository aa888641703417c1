/*
 * RFC 4180 fields: quoting on output, splitting on input (see sweep_csv.h).
 */
#include "sim/sweep/sweep_csv.h"

#include <math.h>
#include <string.h>

void csv_field(GString *row, const char *text)
{
	if (!strpbrk(text, ",\"\r\n")) {
		g_string_append(row, text);
		return;
	}
	g_string_append_c(row, '"');
	for (const char *p = text; *p; p++) {
		if (*p == '"')
			g_string_append_c(row, '"');
		g_string_append_c(row, *p);
	}
	g_string_append_c(row, '"');
}

void csv_number(GString *row, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	if (isnan(v))
		return;
	g_string_append(row, g_ascii_formatd(buf, sizeof buf, "%.9g", v == 0 ? 0 : v)); /* no -0 */
}

/* Unquotes the field whose opening quote is at *p, writing it from *p on
 * (it only gets shorter); returns the position after the closing quote,
 * or NULL. */
static char *unquote_field(char *p)
{
	char *out = p;
	for (p++;; p++) {
		if (!*p)
			return NULL;
		if (*p == '"') {
			if (p[1] != '"') {
				*out = '\0';
				return p + 1;
			}
			p++;
		}
		*out++ = *p;
	}
}

bool csv_split(char *line, GPtrArray *fields)
{
	char *p = line;

	for (;;) {
		char *start = p;
		if (*p == '"') {
			p = unquote_field(p);
			if (!p || (*p && *p != ','))
				return false;
		} else {
			p = strchrnul(p, ','); /* one byte to find: faster than strcspn */
		}
		g_ptr_array_add(fields, start);
		if (!*p)
			break;
		*p++ = '\0'; /* the comma */
	}
	return true;
}

GQuark sweep_error_quark(void)
{
	return g_quark_from_static_string("tcpsim-sweep-error-quark");
}

bool csv_row_index(const char *line, uint64_t *index)
{
	uint64_t v = 0;
	const char *p = line;

	if (!g_ascii_isdigit(*p))
		return false;
	for (; g_ascii_isdigit(*p); p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*index = v;
	return *p == ',' || *p == '\0' || *p == '\n';
}
