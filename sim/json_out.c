/*
 * JSON text helpers; see json_out.h.
 */
#include "sim/json_out.h"

void json_out_string(GString *out, const char *s)
{
	g_string_append_c(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_printf(out, "\\%c", *p);
		else if (*p < 0x20)
			g_string_append_printf(out, "\\u%04x", *p);
		else
			g_string_append_c(out, (char)*p);
	}
	g_string_append_c(out, '"');
}

void json_out_time(GString *out, sim_time t)
{
	g_string_append_printf(out, "%lld.%09lld", (long long)(t / SIM_SEC), (long long)(t % SIM_SEC));
}
