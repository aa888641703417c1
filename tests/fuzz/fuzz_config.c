/*
 * Fuzz target: config_load() on arbitrary bytes as the INI file.
 *
 * config_load() takes a path, so the bytes go to a memfd read back through
 * /proc/self/fd/N.  The guarantees checked are fuzz_check_load()'s, plus
 * one: whatever the bytes, a load either succeeds or fails cleanly, never
 * half-way (leaks are LeakSanitizer's part).
 */
#include "tests/fuzz/fuzz.h"

int fuzz_config_one(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(0, data, size);
	struct config c;
	GError *error = NULL;
	bool ok = config_load(path, NULL, &c, &error);

	fuzz_check_load(ok, &c, error, path, false, true);
	if (ok)
		config_clear(&c);
	g_clear_error(&error);
	return 0;
}

FUZZ_ENTRY_POINTS(fuzz_config_one)
