/*
 * Fuzz target: script_parse() on arbitrary text (the bytes up to the first
 * NUL, as a config value would give them).
 *
 * Guarantees (sim/config/script.h): success leaves no error and calls with a
 * known op, a column inside the text and `data` exactly for send
 * "STRING"; failure gives "column N: ..." with N inside the text (or just
 * past it, for a call cut short) and leaves the script empty.
 */
#include "tests/fuzz/fuzz.h"

#include <string.h>
#include "sim/config/script.h"

static void check_success(const struct script *s, size_t len)
{
	FUZZ_CHECK(s->n == 0 || s->calls != NULL, "calls present");
	for (uint32_t i = 0; i < s->n; i++) {
		const struct script_call *c = &s->calls[i];
		FUZZ_CHECK(c->op < SCRIPT_OP_COUNT, "a known op");
		FUZZ_CHECK(c->column >= 1 && c->column <= len, "the call's column is in the text");
		FUZZ_CHECK(i == 0 || c->column > s->calls[i - 1].column, "calls in text order");
		FUZZ_CHECK(c->data == NULL || c->op == SCRIPT_SEND, "data only for send");
		FUZZ_CHECK(c->data == NULL || c->count >= 1, "send \"STRING\" has bytes");
		FUZZ_CHECK(c->op != SCRIPT_SEND || c->count >= 1, "send sends at least one byte");
		FUZZ_CHECK(c->duration >= 0, "durations are not negative");
		FUZZ_CHECK(script_op_name(c->op) != NULL, "every op has a name");
	}
}

static void check_failure(const struct script *s, const char *error, size_t len)
{
	unsigned long column;
	char *end;

	FUZZ_CHECK(error != NULL, "a failure sets the message");
	FUZZ_CHECK(s->n == 0 && s->calls == NULL, "a failed parse leaves the script empty");
	FUZZ_CHECK(g_str_has_prefix(error, "column "), "the message starts with the column");
	column = strtoul(error + 7, &end, 10);
	FUZZ_CHECK(end != error + 7 && *end == ':', "column N:");
	FUZZ_CHECK(column >= 1 && column <= len + 1, "the column is in the text");
	fuzz_check_message(error);
}

int fuzz_script_one(const uint8_t *data, size_t size)
{
	char *text = g_strndup((const char *)data, size); /* stops at a NUL, as a C string does */
	size_t len = strlen(text);
	struct script s;
	char *error = NULL;

	memset(&s, 0xa5, sizeof s); /* the parser must set every field itself */
	if (script_parse(text, &s, &error)) {
		FUZZ_CHECK(error == NULL, "success without a message");
		check_success(&s, len);
		script_clear(&s);
		FUZZ_CHECK(s.n == 0 && s.calls == NULL, "script_clear empties the script");
	} else {
		check_failure(&s, error, len);
		FUZZ_CHECK(!g_utf8_validate(text, -1, NULL) || g_utf8_validate(error, -1, NULL),
		           "the message is UTF-8 when the script was");
	}
	g_free(error);
	g_free(text);
	return 0;
}

FUZZ_ENTRY_POINTS(fuzz_script_one)
