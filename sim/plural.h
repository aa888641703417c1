/*
 * A count and its noun in the human outputs: "1 segment", "2 segments",
 * "0 runs".  The caller gives both forms (English only; no gettext).
 */
#ifndef TCPSIM_PLURAL_H
#define TCPSIM_PLURAL_H

#include <stdint.h>

static inline const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

#endif
