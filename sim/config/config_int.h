/*
 * What the files of the config loader share, and nothing outside
 * sim/config/ includes: the section table's row, the state of one load
 * (struct loader), and the functions one file of the loader calls in
 * another.  The public interface stays sim/config/config.h (and the key
 * table's, sim/config/keys.h).
 *
 * The files:
 *   keys.c           the key and section tables
 *   messages.c       where a value comes from, and the compiler-style messages
 *   ini.c            the config source (read once) and the line-numbered INI scanner
 *   values.c         typed values: one value parsed, with its message, or formatted
 *   config.c         the load stages, from the text to a checked struct config
 *   sweep_section.c  the [sweep] section, into a struct sweep_spec
 *   help.c           --help-config, written from the tables
 *
 * Nothing here is mutable global state: a load lives in a struct loader.
 */
#ifndef SIM_CONFIG_CONFIG_INT_H
#define SIM_CONFIG_CONFIG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>
#include "sim/config/config.h"
#include "sim/config/keys.h"

struct loader;

struct section_def {
	const char *name;     /* the INI section */
	enum config_group group;     /* the keys it takes */
	const char *parent;   /* the section it overrides, NULL */
	size_t target[2];     /* offsets in struct config of the structs it fills */
	unsigned ntargets;
	bool (*after)(struct loader *ld); /* runs once the section is applied (present or not) */
	bool (*check)(struct loader *ld, const struct section_def *sd); /* relations */
	const char *doc;
	/* A section whose keys are free names (each one a fault, say): parses
	 * one key's value; NULL for a section with a fixed set of keys. */
	bool (*free_key)(struct loader *ld, const char *section, const char *key, const char *value);
};

struct loader {
	const char *path;          /* the file as given */
	GKeyFile *kf;              /* the file's keys, then the overrides */
	GHashTable *lines;         /* "SECTION" and "SECTION\nKEY" -> line in the file */
	GHashTable *set_origins;   /* "SECTION\nKEY" -> "--set ..." when overridden */
	struct config *c;          /* being filled */
	bool point;                /* a point of a sweep: [sweep] was checked by the sweep's load */
	GError **error;
};

/* ---- keys.c: the tables ---- */

/* Every section, in order of precedence: a section is applied after the
 * one it overrides. */
const struct section_def *config_sections(size_t *n);
const struct section_def *cfg_find_section(const char *name);
const struct config_key *cfg_find_key(enum config_group group, const char *name);
/* "a, b, c": the names of the group's keys (to free). */
char *cfg_known_keys(enum config_group group);
/* The i-th struct of c that section sd fills. */
void *cfg_target_of(struct config *c, const struct section_def *sd, unsigned i);

/* ---- messages.c: where a value comes from, and the messages ---- */

/* Text from a config or the command line as it may be shown: on one line,
 * control bytes and invalid UTF-8 made visible (sim/escape.h); to free. */
char *cfg_printable(const char *text);
/* Sets ld->error (escaped) and returns false. */
bool cfg_fail(struct loader *ld, enum config_error_code code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* "SECTION\nKEY", or "SECTION" when key is NULL: the id of the loader's tables. */
char *cfg_key_id(const char *section, const char *key);
/* The line of the file that set SECTION KEY (or opened SECTION); 0 if none. */
unsigned cfg_line_of(struct loader *ld, const char *section, const char *key);
/* Where a key's value comes from: "--set ...", "PATH:LINE", or PATH (to free). */
char *cfg_origin_of(struct loader *ld, const char *section, const char *key);
/* "ORIGIN: [SECTION] KEY = VALUE: WHY"; returns false. */
bool cfg_value_error(struct loader *ld, const char *section, const char *key, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);
bool cfg_unknown_key(struct loader *ld, const char *origin, const char *section, const char *key);
bool cfg_unknown_section(struct loader *ld, const char *origin, const char *section);
/* What an unknown key of sd or an unknown section may have meant: ", did
 * you mean loss?", ": time_wait is a key of [tcp]", or "" (to free). */
char *cfg_key_hint(const struct section_def *sd, const char *key, const char *shown);
char *cfg_section_hint(const char *section);

/* ---- ini.c: the source and the scanner ---- */

/* Checks that text is text, scans its lines (recording each section's and
 * key's line in ld->lines) and loads them into ld->kf without their
 * trailing comments. */
bool cfg_load_text(struct loader *ld, const char *text, gsize len);

/* ---- values.c: typed values ---- */

/* "a, b or c" (last_sep " or "), "a | b | c" (both " | "); to free. */
char *cfg_join_words(const char *const *words, size_t n, const char *sep, const char *last_sep);
/* The words of a choice key, or the profile names, joined so. */
char *cfg_choice_list(const struct config_key *k, const char *sep, const char *last_sep);
char *cfg_profile_list(const char *sep, const char *last_sep);
/* "WHAT between MIN and MAX" (to free). */
char *cfg_with_range(const struct config_key *k, const char *what);
/* Parses text (already stripped) into the key's field of target; returns
 * NULL or what was expected (to free). */
char *cfg_parse_value(const struct config_key *k, const char *text, void *target);
/* A script key's value, parsed into target: NULL, or the reason it is
 * not valid (to free) with its 1-based *line and *column in text. */
char *cfg_parse_script_at(const struct config_key *k, const char *text, void *target, uint32_t *line,
                          uint32_t *column);
/* Appends the value of the key's field in target, as a config would write it. */
void cfg_format_value(GString *out, const struct config_key *k, const void *target);
/* ADDRESS[/PREFIX][:PORT]; the prefix only when it is not the default. */
void cfg_format_address(GString *out, const struct endpoint_config *ep);
/* The prefix length of an address given without one: 8 in 127/8, else 24. */
uint8_t cfg_default_prefix(uint32_t addr);

/* ---- config.c: the load stages, and the sections' hooks of the table ---- */

/* Fills c with every key's default and the default profile's TCP. */
void config_defaults(struct config *c);
bool cfg_apply_profile(struct loader *ld);
bool cfg_check_tcp(struct loader *ld, const struct section_def *sd);
bool cfg_check_link(struct loader *ld, const struct section_def *sd);
bool cfg_check_endpoints(struct loader *ld, const struct section_def *sd);
bool cfg_apply_fault(struct loader *ld, const char *section, const char *key, const char *value);

/* ---- sweep_section.c: [sweep] ---- */

bool cfg_apply_sweep_key(struct loader *ld, const char *section, const char *key, const char *value);
bool cfg_check_sweep(struct loader *ld, const struct section_def *sd);

/* ---- explore_section.c: [explore] ---- */

bool cfg_apply_explore_key(struct loader *ld, const char *section, const char *key, const char *value);

#endif
