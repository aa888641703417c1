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
 */
#include "sim/config/config_int.h"

#include <errno.h>
#include <string.h>

/* The scanner's position in the file. */
struct scan_state {
	unsigned line;                  /* 1-based number of the current line */
	char *section;                  /* the current section, NULL before any */
	const struct section_def *sd;   /* its definition */
	const char *cut;                /* the line ends here for GKeyFile (a comment
	                                   follows); NULL: the whole line */
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

/* Scans the lines and appends each to *clean as GKeyFile is to see it:
 * without its trailing comment. */
static bool scan_text(struct loader *ld, const char *text, size_t len, GString *clean)
{
	struct scan_state st = { 0, NULL, NULL, NULL };
	size_t pos = 0;
	bool ok = true;

	while (ok && pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - text) - pos : len - pos;
		st.line++;
		st.cut = NULL;
		ok = scan_line(ld, &st, text + pos, n);
		g_string_append_len(clean, text + pos, st.cut ? st.cut - (text + pos) : (gssize)n);
		if (nl)
			g_string_append_c(clean, '\n');
		pos += n + 1;
	}
	g_free(st.section);
	return ok;
}

bool cfg_load_text(struct loader *ld, const char *text, gsize len)
{
	GError *e = NULL;
	GString *clean = g_string_sized_new(len);
	bool ok = check_text(ld, text, len);

	/* A UTF-8 byte order mark (Windows editors) is not part of the text. */
	size_t skip = ok && len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	ok = ok && scan_text(ld, text + skip, len - skip, clean);
	if (ok && !g_key_file_load_from_data(ld->kf, clean->str, clean->len, G_KEY_FILE_NONE, &e)) {
		/* scan_text mirrors GKeyFile's syntax, so this should not happen */
		ok = cfg_fail(ld, CONFIG_ERROR_FILE, "%s: %s", ld->path, e->message);
		g_error_free(e);
	}
	g_string_free(clean, TRUE);
	return ok;
}
