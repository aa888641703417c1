/*
 * Parsing a [faults] entry (the grammar is in models/fault.h).
 */
#ifndef SIM_CONFIG_FAULT_PARSE_H
#define SIM_CONFIG_FAULT_PARSE_H

#include <stdbool.h>
#include "models/fault.h"

/* Parses `text` into *out (name not set).  On error returns false and sets
 * *error to a message (g_free) that names the offending word. */
bool fault_parse(const char *text, struct fault *out, char **error);

#endif
