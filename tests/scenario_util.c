/*
 * Test helper: run ./tcpsim in a subprocess, temporary folders, and a small
 * strict JSON reader for its --json summary.  See tests/scenario_util.h.
 */
#include "tests/scenario_util.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#define SCN_TCPSIM "./tcpsim"

/* --- running the program --- */

/* $TCPSIM_BIN when set and not empty (`make check-asan` points it at the
 * sanitized build), else ./tcpsim. */
static const char *scn_tcpsim_path(void)
{
	const char *bin = g_getenv("TCPSIM_BIN");

	return bin != NULL && *bin != '\0' ? bin : SCN_TCPSIM;
}

gboolean scn_tcpsim(const char *const *args, struct scn_run *run, GError **error)
{
	GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
	const char *bin = scn_tcpsim_path();
	int wait_status = 0;
	gboolean ok;

	memset(run, 0, sizeof(*run));
	if (!g_file_test(bin, G_FILE_TEST_IS_EXECUTABLE) || g_file_test(bin, G_FILE_TEST_IS_DIR)) {
		char *cwd = g_get_current_dir();

		g_set_error(error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT,
			    "%s: no such program in %s: build it with `make tcpsim` and run "
			    "the tests from the repository root (tests/run.sh does)",
			    bin, cwd);
		g_free(cwd);
		g_ptr_array_free(argv, TRUE);
		return FALSE;
	}
	g_ptr_array_add(argv, g_strdup(bin));
	for (size_t i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, g_strdup(args[i]));
	g_ptr_array_add(argv, NULL);
	ok = g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
			  &run->out, &run->err, &wait_status, error);
	g_ptr_array_free(argv, TRUE);
	if (!ok)
		return FALSE;
	run->status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
	return TRUE;
}

void scn_run_clear(struct scn_run *run)
{
	g_free(run->out);
	g_free(run->err);
	memset(run, 0, sizeof(*run));
}

char *scn_tmpdir(void)
{
	GError *error = NULL;
	char *dir = g_dir_make_tmp("tcpsim-test-XXXXXX", &error);

	g_assert_no_error(error);
	return dir;
}

void scn_rmtree(const char *path)
{
	GDir *dir;
	const char *name;

	if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
		dir = g_dir_open(path, 0, NULL);
		while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
			char *child = g_build_filename(path, name, NULL);

			scn_rmtree(child);
			g_free(child);
		}
		if (dir != NULL)
			g_dir_close(dir);
		g_rmdir(path);
	} else {
		g_unlink(path);
	}
}

gboolean scn_absent_or_empty(const char *path)
{
	GDir *dir;
	gboolean empty;

	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return TRUE;
	dir = g_dir_open(path, 0, NULL);
	if (dir == NULL)
		return FALSE; /* a file, or a folder we cannot read */
	empty = g_dir_read_name(dir) == NULL;
	g_dir_close(dir);
	return empty;
}

gint64 scn_parse_ns(const char *s)
{
	gint64 sec = 0, frac = 0;
	int digits = 0;
	const char *p = s;

	if (s == NULL || !g_ascii_isdigit(*p))
		return -1;
	for (; g_ascii_isdigit(*p); p++) {
		if (sec > G_MAXINT64 / 10 / 1000000000)
			return -1; /* would overflow */
		sec = sec * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; g_ascii_isdigit(*p); p++, digits++) {
			if (digits == 9)
				return -1; /* finer than a nanosecond */
			frac = frac * 10 + (*p - '0');
		}
		if (digits == 0)
			return -1;
	}
	if (*p != '\0')
		return -1;
	for (; digits < 9; digits++)
		frac *= 10;
	return sec * 1000000000 + frac;
}

/* --- a small JSON reader --- */

struct scn_json_parser {
	const char *start; /* the document, for error offsets */
	const char *p;     /* the next character to read */
	int depth;         /* nesting of arrays and objects */
};

#define SCN_JSON_MAX_DEPTH 64

static GQuark scn_json_error_quark(void)
{
	return g_quark_from_static_string("scn-json-error");
}

static struct scn_json *scn_json_value(struct scn_json_parser *ps, GError **error);

static gboolean scn_json_fail(struct scn_json_parser *ps, GError **error, const char *what)
{
	g_set_error(error, scn_json_error_quark(), 1, "JSON offset %ld: %s (at \"%.20s\")",
		    (long)(ps->p - ps->start), what, ps->p);
	return FALSE;
}

static void scn_json_space(struct scn_json_parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
		ps->p++;
}

static struct scn_json *scn_json_new(enum scn_json_type type)
{
	struct scn_json *v = g_new0(struct scn_json, 1);

	v->type = type;
	if (type == SCN_JSON_ARRAY || type == SCN_JSON_OBJECT)
		v->items = g_ptr_array_new_with_free_func((GDestroyNotify)scn_json_free);
	if (type == SCN_JSON_OBJECT)
		v->keys = g_ptr_array_new_with_free_func(g_free);
	return v;
}

void scn_json_free(struct scn_json *v)
{
	if (v == NULL)
		return;
	g_free(v->text);
	if (v->items != NULL)
		g_ptr_array_free(v->items, TRUE);
	if (v->keys != NULL)
		g_ptr_array_free(v->keys, TRUE);
	g_free(v);
}

/* Four hex digits after "\u"; -1 if they are not. */
static int scn_json_hex4(const char *p)
{
	int u = 0;

	for (int i = 0; i < 4; i++) {
		if (!g_ascii_isxdigit(p[i]))
			return -1;
		u = u * 16 + g_ascii_xdigit_value(p[i]);
	}
	return u;
}

/* One escape after the backslash at ps->p; appends it to s. */
static gboolean scn_json_escape(struct scn_json_parser *ps, GString *s, GError **error)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e = strchr(from, ps->p[1]);
	int u;

	if (ps->p[1] != '\0' && e != NULL) {
		g_string_append_c(s, to[e - from]);
		ps->p += 2;
		return TRUE;
	}
	if (ps->p[1] != 'u' || (u = scn_json_hex4(ps->p + 2)) < 0)
		return scn_json_fail(ps, error, "bad escape in a string");
	if (u >= 0xd800 && u <= 0xdfff)
		return scn_json_fail(ps, error, "surrogate escapes are not supported here");
	g_string_append_unichar(s, (gunichar)u);
	ps->p += 6;
	return TRUE;
}

/* A string starting at the '"' at ps->p; the unescaped text. */
static char *scn_json_string(struct scn_json_parser *ps, GError **error)
{
	GString *s = g_string_new(NULL);

	for (ps->p++; *ps->p != '"'; ) {
		if ((unsigned char)*ps->p < 0x20) {
			scn_json_fail(ps, error, *ps->p ? "control character in a string"
							: "unterminated string");
			g_string_free(s, TRUE);
			return NULL;
		}
		if (*ps->p == '\\') {
			if (!scn_json_escape(ps, s, error)) {
				g_string_free(s, TRUE);
				return NULL;
			}
		} else {
			g_string_append_c(s, *ps->p++);
		}
	}
	ps->p++;
	if (!g_utf8_validate(s->str, (gssize)s->len, NULL)) {
		scn_json_fail(ps, error, "string is not UTF-8");
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
}

/* A number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static char *scn_json_number(struct scn_json_parser *ps, GError **error)
{
	const char *b = ps->p, *p = ps->p;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (g_ascii_isdigit(*p))
			p++;
	else
		return scn_json_fail(ps, error, "expected a value"), NULL;
	if (*p == '.') {
		if (!g_ascii_isdigit(*++p))
			return ps->p = p, scn_json_fail(ps, error, "digit expected"), NULL;
		while (g_ascii_isdigit(*p))
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!g_ascii_isdigit(*p))
			return ps->p = p, scn_json_fail(ps, error, "digit expected"), NULL;
		while (g_ascii_isdigit(*p))
			p++;
	}
	ps->p = p;
	return g_strndup(b, (gsize)(p - b));
}

/* The elements of an array or the members of an object, after its
 * opening bracket; ends after the closing one. */
static gboolean scn_json_members(struct scn_json_parser *ps, struct scn_json *v, GError **error)
{
	char close = v->type == SCN_JSON_OBJECT ? '}' : ']';

	ps->p++;
	scn_json_space(ps);
	if (*ps->p == close) {
		ps->p++;
		return TRUE;
	}
	for (;;) {
		struct scn_json *item;

		scn_json_space(ps);
		if (v->type == SCN_JSON_OBJECT) {
			char *key;

			if (*ps->p != '"')
				return scn_json_fail(ps, error, "member name expected");
			if ((key = scn_json_string(ps, error)) == NULL)
				return FALSE;
			g_ptr_array_add(v->keys, key);
			scn_json_space(ps);
			if (*ps->p != ':')
				return scn_json_fail(ps, error, "':' expected");
			ps->p++;
		}
		if ((item = scn_json_value(ps, error)) == NULL)
			return FALSE;
		g_ptr_array_add(v->items, item);
		scn_json_space(ps);
		if (*ps->p == close) {
			ps->p++;
			return TRUE;
		}
		if (*ps->p != ',')
			return scn_json_fail(ps, error, close == '}' ? "',' or '}' expected"
								    : "',' or ']' expected");
		ps->p++;
	}
}

/* A literal true, false or null. */
static struct scn_json *scn_json_literal(struct scn_json_parser *ps, GError **error)
{
	static const char *const words[] = {"true", "false", "null"};

	for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
		size_t n = strlen(words[i]);

		if (strncmp(ps->p, words[i], n) == 0) {
			struct scn_json *v = scn_json_new(i < 2 ? SCN_JSON_BOOL : SCN_JSON_NULL);

			if (i < 2)
				v->text = g_strdup(words[i]);
			ps->p += n;
			return v;
		}
	}
	scn_json_fail(ps, error, "expected a value");
	return NULL;
}

static struct scn_json *scn_json_value(struct scn_json_parser *ps, GError **error)
{
	struct scn_json *v = NULL;

	scn_json_space(ps);
	if (*ps->p == '{' || *ps->p == '[') {
		if (++ps->depth > SCN_JSON_MAX_DEPTH)
			return scn_json_fail(ps, error, "nested too deep"), NULL;
		v = scn_json_new(*ps->p == '{' ? SCN_JSON_OBJECT : SCN_JSON_ARRAY);
		if (!scn_json_members(ps, v, error)) {
			scn_json_free(v);
			return NULL;
		}
		ps->depth--;
	} else if (*ps->p == '"') {
		char *s = scn_json_string(ps, error);

		if (s == NULL)
			return NULL;
		v = scn_json_new(SCN_JSON_STRING);
		v->text = s;
	} else if (*ps->p == '-' || g_ascii_isdigit(*ps->p)) {
		char *n = scn_json_number(ps, error);

		if (n == NULL)
			return NULL;
		v = scn_json_new(SCN_JSON_NUMBER);
		v->text = n;
	} else {
		v = scn_json_literal(ps, error);
	}
	return v;
}

struct scn_json *scn_json_parse(const char *text, GError **error)
{
	struct scn_json_parser ps = {.start = text, .p = text, .depth = 0};
	struct scn_json *v = scn_json_value(&ps, error);

	if (v == NULL)
		return NULL;
	scn_json_space(&ps);
	if (*ps.p != '\0') {
		scn_json_fail(&ps, error, "text after the document");
		scn_json_free(v);
		return NULL;
	}
	return v;
}

guint scn_json_len(const struct scn_json *v)
{
	return v != NULL && v->items != NULL ? v->items->len : 0;
}

const struct scn_json *scn_json_at(const struct scn_json *v, guint i)
{
	return i < scn_json_len(v) ? g_ptr_array_index(v->items, i) : NULL;
}

/* The member named key of object v, or element number key of array v. */
static const struct scn_json *scn_json_step(const struct scn_json *v, const char *key)
{
	char *end = NULL;
	guint64 i;

	if (v == NULL)
		return NULL;
	if (v->type == SCN_JSON_OBJECT) {
		for (guint k = 0; k < v->keys->len; k++)
			if (strcmp(g_ptr_array_index(v->keys, k), key) == 0)
				return g_ptr_array_index(v->items, k);
		return NULL;
	}
	if (v->type != SCN_JSON_ARRAY || !g_ascii_isdigit(*key))
		return NULL;
	i = g_ascii_strtoull(key, &end, 10);
	return *end == '\0' && i < v->items->len ? scn_json_at(v, (guint)i) : NULL;
}

const struct scn_json *scn_json_get(const struct scn_json *v, const char *path)
{
	char **steps = g_strsplit(path, ".", -1);

	for (char **s = steps; *s != NULL && v != NULL; s++)
		v = scn_json_step(v, *s);
	g_strfreev(steps);
	return v;
}

const char *scn_json_str(const struct scn_json *v, const char *path)
{
	const struct scn_json *s = scn_json_get(v, path);

	return s != NULL && s->type == SCN_JSON_STRING ? s->text : NULL;
}

/* Fails the running test with a message on what path holds. */
static void scn_json_wrong(const char *path, const char *expected, const struct scn_json *n)
{
	char *msg = g_strdup_printf("JSON %s: expected %s, found %s", path, expected,
				    n == NULL ? "nothing" : n->text != NULL ? n->text : "another type");

	g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
	g_free(msg);
}

guint64 scn_json_uint(const struct scn_json *v, const char *path)
{
	const struct scn_json *n = scn_json_get(v, path);
	char *end = NULL;
	guint64 u;

	if (n == NULL || n->type != SCN_JSON_NUMBER || !g_ascii_isdigit(n->text[0])) {
		scn_json_wrong(path, "a whole number", n);
		return 0;
	}
	errno = 0;
	u = g_ascii_strtoull(n->text, &end, 10);
	if (*end != '\0' || errno != 0)
		scn_json_wrong(path, "a whole number", n);
	return u;
}

gint64 scn_json_ns(const struct scn_json *v, const char *path)
{
	const struct scn_json *n = scn_json_get(v, path);
	gint64 ns = n != NULL && n->type == SCN_JSON_NUMBER ? scn_parse_ns(n->text) : -1;

	if (ns < 0)
		scn_json_wrong(path, "a time in seconds", n);
	return ns;
}
