/*
 * The config source and the line-numbered INI scanner.
 *
 * The source: a config file is read once into memory (struct
 * config_source), since a pipe or a process substitution can be read
 * only once, and every stage that needs the text takes it from there.
 *
 * The scanner: GKeyFile gives no line numbers, so the lines are scanned
 * here first, mirroring GKeyFile's syntax: broken lines, unknown sections
 * and keys and duplicate keys are reported in file order, and the line of
 * every section and key is recorded in the loader (for messages).  A line
 * starting with ';' is a comment, and a value or header may end with a
 * comment ('#', or ';' outside scripts, after white space and outside a
 * double-quoted string): the scanner hands GKeyFile each line without it,
 * so messages show the value without the comment.
 *
 * A script's value may go on over the lines that follow its key and start
 * with a blank or a tab (the configparser convention), each line a line
 * of the script; blank lines between them are kept, and '#' comments are
 * cut per line.  GKeyFile sees the key's own line only; the whole value is
 * set into it after loading, with the indentation kept and the first
 * line's value padded to its column, so that a script's line and column
 * are the file's (less the key's line).
 */
#include "sim/config/config_int.h"

#include <errno.h>
#include <string.h>

/* A script value that goes on over indented lines. */
struct script_value {
	char *section, *key;
	GString *text;                  /* its lines, joined by '\n' */
	unsigned lines;                 /* lines after the key's */
	unsigned blanks;                /* blank lines since the last one (kept if
	                                   another line follows) */
};

/* The scanner's position in the file. */
struct scan_state {
	unsigned line;                  /* 1-based number of the current line */
	const char *start;              /* the current line's first byte */
	char *section;                  /* the current section, NULL before any */
	const struct section_def *sd;   /* its definition */
	const char *cut;                /* the line ends here for GKeyFile (a comment
	                                   follows); NULL: the whole line */
	struct script_value *open;      /* the script value indented lines go on, NULL */
	GPtrArray *values;              /* struct script_value: those of several lines */
};

/* ---- the source, read once ---- */

/* strerror of a failed g_file_get_contents, which reports GFileError codes. */
static const char *file_error_text(const GError *e)
{
	static const struct { GFileError code; int err; } map[] = {
		{ G_FILE_ERROR_NOENT, ENOENT },   { G_FILE_ERROR_ACCES, EACCES },
		{ G_FILE_ERROR_PERM, EPERM },     { G_FILE_ERROR_ISDIR, EISDIR },
		{ G_FILE_ERROR_NOTDIR, ENOTDIR }, { G_FILE_ERROR_NAMETOOLONG, ENAMETOOLONG },
		{ G_FILE_ERROR_LOOP, ELOOP },     { G_FILE_ERROR_IO, EIO },
		{ G_FILE_ERROR_NXIO, ENXIO },     { G_FILE_ERROR_NODEV, ENODEV },
		{ G_FILE_ERROR_NOMEM, ENOMEM },   { G_FILE_ERROR_INVAL, EINVAL },
	};
	for (size_t i = 0; e->domain == G_FILE_ERROR && i < G_N_ELEMENTS(map); i++)
		if (e->code == (gint)map[i].code)
			return g_strerror(map[i].err);
	return e->message;
}

bool config_source_read(const char *path, struct config_source *src, GError **error)
{
	char *text = NULL;
	gsize len = 0;
	GError *e = NULL;

	memset(src, 0, sizeof *src);
	if (!g_file_get_contents(path, &text, &len, &e)) {
		char *msg = g_strdup_printf("%s: cannot read: %s", path, file_error_text(e));
		char *shown = cfg_printable(msg);
		g_set_error_literal(error, CONFIG_ERROR, CONFIG_ERROR_FILE, shown);
		g_free(shown);
		g_free(msg);
		g_error_free(e);
		return false;
	}
	/* g_file_get_contents NUL-terminates; the GBytes keeps that byte out
	 * of its size but in its memory, so the text stays a C string */
	src->path = g_strdup(path);
	src->text = g_bytes_new_with_free_func(text, len, g_free, text);
	return true;
}

void config_source_clear(struct config_source *src)
{
	g_free(src->path);
	src->path = NULL;
	if (src->text)
		g_bytes_unref(src->text);
	src->text = NULL;
}

void config_source_copy(struct config_source *dst, const struct config_source *src)
{
	dst->path = g_strdup(src->path);
	dst->text = src->text ? g_bytes_ref(src->text) : NULL;
}

/* ---- scanning the lines ---- */

static unsigned line_at(const char *text, size_t offset)
{
	unsigned line = 1;

	for (size_t i = 0; i < offset; i++)
		line += text[i] == '\n';
	return line;
}

/* Rejects what cannot be text: NUL bytes, invalid UTF-8. */
static bool check_text(struct loader *ld, const char *text, gsize len)
{
	const char *bad = memchr(text, '\0', len);

	if (bad)
		return cfg_fail(ld, CONFIG_ERROR_FILE, "%s:%u: a NUL byte: expected a text file", ld->path,
		            line_at(text, (size_t)(bad - text)));
	if (!g_utf8_validate(text, (gssize)len, &bad))
		return cfg_fail(ld, CONFIG_ERROR_FILE, "%s:%u: invalid UTF-8: expected a text file", ld->path,
		            line_at(text, (size_t)(bad - text)));
	return true;
}

static bool syntax_error(struct loader *ld, const struct scan_state *st, const char *what)
{
	return cfg_fail(ld, CONFIG_ERROR_FILE, "%s:%u: %s", ld->path, st->line, what);
}

static bool is_comment_char(char ch, bool script)
{
	return ch == '#' || (ch == ';' && !script);
}

/* Where a trailing comment starts in the n bytes of v (a value, or what
 * follows a section header), or n when there is none: a '#' that follows
 * white space, outside a double-quoted string, and so does a ';' except in
 * a script, where ';' separates calls.  In a string a backslash escapes the
 * next byte, as in a script's C escapes ("a \" # b" is one string). */
static size_t comment_start(const char *v, size_t n, bool script)
{
	bool quoted = false;

	for (size_t i = 0; i < n; i++) {
		if (quoted) {
			if (v[i] == '\\')
				i++;
			else if (v[i] == '"')
				quoted = false;
		} else if (v[i] == '"') {
			quoted = true;
		} else if (is_comment_char(v[i], script) && i > 0 && (v[i - 1] == ' ' || v[i - 1] == '\t')) {
			return i;
		}
	}
	return n;
}

/* Whether the key holds a script, in which ';' is not a comment: a script
 * key, or a [sweep] parameter that varies one. */
static bool takes_script(const struct section_def *sd, const char *key)
{
	if (sd->group == CONFIG_GROUP_SWEEP)
		return g_str_has_suffix(key, ".script");
	const struct config_key *k = sd->free_key ? NULL : cfg_find_key(sd->group, key);
	return k && k->type == CONFIG_KEY_SCRIPT;
}

/* Whether the key's value may go on over indented lines: a script key
 * of [client] or [server] (not a swept one: [sweep] keeps one line). */
static bool continues(const struct section_def *sd, const char *key)
{
	const struct config_key *k = sd->free_key ? NULL : cfg_find_key(sd->group, key);
	return sd->group != CONFIG_GROUP_SWEEP && k && k->type == CONFIG_KEY_SCRIPT;
}

static void script_value_free(gpointer data)
{
	struct script_value *v = data;

	g_free(v->section);
	g_free(v->key);
	g_string_free(v->text, TRUE);
	g_free(v);
}

/* Opens the value of the script key whose line is being scanned: its
 * first line, padded with blanks to its column in the file. */
static void open_value(struct scan_state *st, const char *key, const char *value, const char *end)
{
	struct script_value *v = g_new0(struct script_value, 1);

	while (value < end && (*value == ' ' || *value == '\t'))
		value++;
	v->section = g_strdup(st->section);
	v->key = g_strdup(key);
	v->text = g_string_new(NULL);
	for (const char *c = st->start; c < value; c++)
		g_string_append_c(v->text, ' ');
	g_string_append_len(v->text, value, end - value);
	st->open = v;
}

/* Closes the open script value: kept when it went on over lines. */
static void close_value(struct scan_state *st)
{
	if (st->open && st->open->lines)
		g_ptr_array_add(st->values, st->open);
	else if (st->open)
		script_value_free(st->open);
	st->open = NULL;
}

/* A line of the open script value: it starts with a blank and holds more. */
static bool goes_on(const struct scan_state *st, const char *p, size_t n)
{
	if (!st->open || n == 0 || (p[0] != ' ' && p[0] != '\t'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isspace(p[i]))
			return true;
	return false;
}

static bool is_blank_line(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isspace(p[i]))
			return false;
	return true;
}

/* Appends a line of the open script value, indentation kept, without its
 * comment; GKeyFile sees none of it. */
static void continue_value(struct scan_state *st, const char *p, size_t n)
{
	struct script_value *v = st->open;

	for (unsigned i = 0; i <= v->blanks; i++)
		g_string_append_c(v->text, '\n');
	v->lines += v->blanks + 1;
	v->blanks = 0;
	g_string_append_len(v->text, p, (gssize)comment_start(p, n, true));
	st->cut = p;
}

/* "[name]", with only blanks or a comment after the ']'. */
static bool scan_header(struct loader *ld, struct scan_state *st, const char *p, size_t n)
{
	const char *close = memchr(p, ']', n);

	if (!close)
		return syntax_error(ld, st, "expected ']' at the end of the section header");
	size_t comment = comment_start(close, (size_t)(p + n - close), false);
	if (close + comment < p + n)
		st->cut = close + comment; /* GKeyFile sees the header without it */
	for (const char *q = close + 1; q < (st->cut ? st->cut : p + n); q++)
		if (!g_ascii_isspace(*q))
			return syntax_error(ld, st, "unexpected text after the section header");
	g_free(st->section);
	st->section = g_strndup(p + 1, (size_t)(close - p - 1));
	if (!*st->section)
		return syntax_error(ld, st, "empty section name");
	st->sd = cfg_find_section(st->section);
	if (!st->sd) {
		char *origin = g_strdup_printf("%s:%u", ld->path, st->line);
		cfg_unknown_section(ld, origin, st->section);
		g_free(origin);
		return false;
	}
	if (!g_hash_table_contains(ld->lines, st->section))
		g_hash_table_insert(ld->lines, g_strdup(st->section), GUINT_TO_POINTER(st->line));
	return true;
}

/* "key = value": the key ends at the '=', less trailing blanks; the value
 * ends at a trailing comment, if any (GKeyFile sees the line without it). */
static bool scan_key(struct loader *ld, struct scan_state *st, const char *p, const char *eq,
                     const char *end_of_line)
{
	const char *end = eq;

	if (!st->section)
		return syntax_error(ld, st, "key = value before any [section] header");
	while (end > p && g_ascii_isspace(end[-1]))
		end--;
	if (end == p)
		return syntax_error(ld, st, "missing key name before '='");
	char *key = g_strndup(p, (size_t)(end - p));
	unsigned first = cfg_line_of(ld, st->section, key);
	bool ok = true;
	if (!st->sd->free_key && !cfg_find_key(st->sd->group, key)) {
		char *origin = g_strdup_printf("%s:%u", ld->path, st->line);
		ok = cfg_unknown_key(ld, origin, st->section, key);
		g_free(origin);
	} else if (first) {
		ok = cfg_fail(ld, CONFIG_ERROR_FILE, "%s:%u: [%s] %s: duplicate key (first set on line %u)",
		          ld->path, st->line, st->section, key, first);
	}
	if (ok) {
		size_t n = (size_t)(end_of_line - eq - 1);
		st->cut = eq + 1 + comment_start(eq + 1, n, takes_script(st->sd, key));
		g_hash_table_insert(ld->lines, cfg_key_id(st->section, key), GUINT_TO_POINTER(st->line));
		if (continues(st->sd, key))
			open_value(st, key, eq + 1, st->cut);
	}
	g_free(key);
	return ok;
}

/* One line, without its '\n'.  Leading blanks are skipped as GKeyFile does. */
static bool scan_line(struct loader *ld, struct scan_state *st, const char *p, size_t n)
{
	while (n > 0 && g_ascii_isspace(*p)) {
		p++;
		n--;
	}
	if (n == 0 || *p == '#')
		return true;
	if (*p == '[')
		return scan_header(ld, st, p, n);
	if (*p == ';') { /* a comment line as other INI dialects write it; GKeyFile has none */
		st->cut = p;
		return true;
	}
	const char *eq = memchr(p, '=', n);
	if (eq)
		return scan_key(ld, st, p, eq, p + n);
	return syntax_error(ld, st, "expected a [section] header, a key = value line or a # comment");
}

/* One line: of the open script value, blank, or for scan_line. */
static bool scan_one(struct loader *ld, struct scan_state *st, const char *p, size_t n)
{
	if (goes_on(st, p, n)) {
		continue_value(st, p, n);
		return true;
	}
	if (st->open && is_blank_line(p, n)) {
		st->open->blanks++;
		return true;
	}
	close_value(st);
	return scan_line(ld, st, p, n);
}

/* Scans the lines and appends each to *clean as GKeyFile is to see it:
 * without its trailing comment, nor the lines a script value goes on
 * over, which are added to *values. */
static bool scan_text(struct loader *ld, const char *text, size_t len, GString *clean, GPtrArray *values)
{
	struct scan_state st = { .values = values };
	size_t pos = 0;
	bool ok = true;

	while (ok && pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - text) - pos : len - pos;
		st.line++;
		st.start = text + pos;
		st.cut = NULL;
		ok = scan_one(ld, &st, text + pos, n);
		g_string_append_len(clean, text + pos, st.cut ? st.cut - (text + pos) : (gssize)n);
		if (nl)
			g_string_append_c(clean, '\n');
		pos += n + 1;
	}
	close_value(&st);
	g_free(st.section);
	return ok;
}

/* The values of several lines replace their first lines in GKeyFile. */
static void set_values(struct loader *ld, GPtrArray *values)
{
	for (guint i = 0; i < values->len; i++) {
		const struct script_value *v = g_ptr_array_index(values, i);
		g_key_file_set_value(ld->kf, v->section, v->key, v->text->str);
	}
}

bool cfg_load_text(struct loader *ld, const char *text, gsize len)
{
	GError *e = NULL;
	GString *clean = g_string_sized_new(len);
	GPtrArray *values = g_ptr_array_new_with_free_func(script_value_free);
	bool ok = check_text(ld, text, len);

	/* A UTF-8 byte order mark (Windows editors) is not part of the text. */
	size_t skip = ok && len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	ok = ok && scan_text(ld, text + skip, len - skip, clean, values);
	if (ok && !g_key_file_load_from_data(ld->kf, clean->str, clean->len, G_KEY_FILE_NONE, &e)) {
		/* scan_text mirrors GKeyFile's syntax, so this should not happen */
		ok = cfg_fail(ld, CONFIG_ERROR_FILE, "%s: %s", ld->path, e->message);
		g_error_free(e);
	}
	if (ok)
		set_values(ld, values);
	g_ptr_array_free(values, TRUE);
	g_string_free(clean, TRUE);
	return ok;
}
