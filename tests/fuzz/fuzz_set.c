/*
 * Fuzz target: --set overrides on top of a valid config.
 *
 * The base config (below) writes every section, so that an override can
 * meet a value of the file, of a parent section or of the profile.  The
 * bytes are split at newlines into up to FUZZ_SET_MAX overrides, given to
 * config_load() in order, exactly as repeated `-s SECTION.KEY=VALUE`
 * options would be (a command-line argument cannot hold a NUL: each
 * override stops at its first one).  The guarantees are fuzz_check_load()'s;
 * an error may blame the file or an override.
 */
#include "tests/fuzz/fuzz.h"

#include <string.h>

#define FUZZ_SET_MAX 8 /* overrides taken from one input */

static const char base_ini[] =
	"[simulation]\n"
	"seed = 32\n"
	"duration = 300s\n"
	"profile = linux\n"
	"pcap = false\n"
	"[network]\n"
	"delay = 20ms\n"
	"jitter = 5ms\n"
	"distribution = normal\n"
	"loss = 0.15\n"
	"reorder = 0.05\n"
	"reorder_delay = 30ms\n"
	"[network.client_to_server]\n"
	"duplicate = 1%\n"
	"[network.server_to_client]\n"
	"bandwidth = 10Mbit\n"
	"queue = 100\n"
	"[tcp]\n"
	"rto_min = 200ms\n"
	"time_wait = 60s\n"
	"[client.tcp]\n"
	"rto_initial = 1s\n"
	"mss = 536\n"
	"[server.tcp]\n"
	"rto_max = 120s\n"
	"keepalive = true\n"
	"[client]\n"
	"address = 10.0.0.1\n"
	"script = connect; send \"hello, server\\n\"; recv; close\n"
	"repeat = 2\n"
	"[server]\n"
	"address = 10.0.0.2:8080\n"
	"script = listen; accept; echo; close\n"
	"repeat = forever\n";

int fuzz_set_one(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(1, (const uint8_t *)base_ini, sizeof base_ini - 1);
	char *text = g_malloc(size + 1);
	char *overrides[FUZZ_SET_MAX + 1];
	size_t n = 0;
	struct config c;
	GError *error = NULL;

	memcpy(text, data, size);
	text[size] = '\0';
	for (char *line = text, *next; line && n < FUZZ_SET_MAX; line = next) {
		next = memchr(line, '\n', (size_t)(text + size - line));
		if (next)
			*next++ = '\0';
		overrides[n++] = line; /* stops at a NUL inside the line */
	}
	overrides[n] = NULL;
	bool utf8 = true;
	for (size_t i = 0; i < n; i++)
		utf8 = utf8 && g_utf8_validate(overrides[i], -1, NULL);
	bool ok = config_load(path, (const char *const *)overrides, &c, &error);
	fuzz_check_load(ok, &c, error, path, true, utf8);
	if (ok)
		config_clear(&c);
	g_clear_error(&error);
	g_free(text);
	return 0;
}

FUZZ_ENTRY_POINTS(fuzz_set_one)
