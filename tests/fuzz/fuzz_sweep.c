/*
 * Fuzz target: sweep_values_parse() (sim/sweep/sweep_grid.h), the parser of a
 * [sweep] parameter's value: a list "0, 1s, 60s" or a range
 * "START:STOP:STEP" with an optional shared unit, on arbitrary text (the
 * bytes up to the first NUL, as a config value would give them).
 *
 * Guarantees: success gives between 1 and SWEEP_MAX_VALUES values, none
 * empty, no message; failure gives a one-line message and no value.
 */
#include "tests/fuzz/fuzz.h"

#include <string.h>
#include "sim/sweep/sweep_grid.h"

int fuzz_sweep_one(const uint8_t *data, size_t size)
{
	char *text = g_strndup((const char *)data, size); /* stops at a NUL, as a C string does */
	GPtrArray *values = g_ptr_array_new_with_free_func(g_free);
	char *why = NULL;

	if (sweep_values_parse(text, values, &why)) {
		FUZZ_CHECK(why == NULL, "success without a message");
		FUZZ_CHECK(values->len >= 1 && values->len <= SWEEP_MAX_VALUES, "1 to SWEEP_MAX_VALUES values");
		for (guint i = 0; i < values->len; i++) {
			const char *v = g_ptr_array_index(values, i);
			FUZZ_CHECK(v != NULL && *v != '\0', "no empty value");
		}
	} else {
		FUZZ_CHECK(why != NULL, "a failure sets the message");
		fuzz_check_message(why);
		FUZZ_CHECK(values->len == 0, "a failure gives no value");
	}
	g_free(why);
	g_ptr_array_free(values, TRUE);
	g_free(text);
	return 0;
}

FUZZ_ENTRY_POINTS(fuzz_sweep_one)
