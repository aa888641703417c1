/* placeholder, written below */
#include "sim/config/config.h"
void script_print_reference(GString *out) { g_string_append(out, ""); }
