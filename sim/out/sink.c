/*
 * What the sinks share (see sink.h).
 */
#include "sim/out/sink.h"

char *sink_endpoint_text(const struct endpoint_config *ep)
{
	uint32_t a = ep->addr;
	if (ep->port)
		return g_strdup_printf("%u.%u.%u.%u:%u", a >> 24, (a >> 16) & 0xffu, (a >> 8) & 0xffu,
		                       a & 0xffu, ep->port);
	return g_strdup_printf("%u.%u.%u.%u", a >> 24, (a >> 16) & 0xffu, (a >> 8) & 0xffu, a & 0xffu);
}
