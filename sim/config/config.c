/*
 * The configuration loader.
 *
 * Model.  Everything the loader knows is in two const tables, the
 * sections and the keys of sim/config/keys.c; the code here walks them.
 *
 * Loading runs in stages, each stopping at the first error:
 *  1. read the file; NUL bytes or invalid UTF-8 mean binary garbage;
 *  2. scan the lines ourselves, mirroring GKeyFile's syntax, because GKeyFile
 *     gives no line numbers: broken lines, unknown sections and keys and
 *     duplicate keys are reported in file order, and the line of every
 *     section and key is recorded;
 *  3. load the text into a GKeyFile and apply the --set overrides to it;
 *     an overridden key's origin becomes "--set SECTION.KEY=VALUE";
 *  4. fill struct config: defaults first, then the sections in table order,
 *     which is the order of precedence ([simulation] before the profile is
 *     applied, the profile before [tcp], [tcp] before [client.tcp]);
 *     values are read raw with g_key_file_get_value, because scripts hold C
 *     escapes such as "\0" that g_key_file_get_string would reject;
 *  5. required keys, then relations between keys (rto_min <= rto_initial).
 *
 * The first error wins, so value errors come in precedence order, after
 * every syntax and unknown-key error of the file.  Deviations from
 * GKeyFile: a key written twice in one section is an error (GKeyFile keeps
 * the last); a line starting with ';' is a comment, and a value or header
 * may end with a comment ('#', or ';' outside scripts, after white space
 * and outside a double-quoted string): the scanner hands GKeyFile each
 * line without it, so messages show the value without the comment.
 *
 * Invariants.  A value error always names where the value was written
 * ("PATH:LINE" or "--set ..."), its section, key and value, then what was
 * expected.  A relation error blames a key the user wrote, in the most
 * specific section that wrote it.  On failure the config is left cleared.
 * Nothing here is mutable global state: a load lives in a struct loader.
 */
#include "sim/config/config.h"
#include "sim/config/config_int.h"
#include "sim/config/fault_parse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "sim/escape.h"
#include "sim/sweep/metrics.h"
#include "sim/sweep/sweep_grid.h"
#include "sim/config/units.h"

G_DEFINE_QUARK(tcpsim-config-error-quark, config_error)

/* ---- defaults ---- */

static bool is_owned(enum config_key_type t)
{
	return t == CONFIG_KEY_PROFILE || t == CONFIG_KEY_PATH || t == CONFIG_KEY_SCRIPT;
}

static void free_field(const struct config_key *k, void *target)
{
	void *field = (char *)target + k->offset;

	if (k->type == CONFIG_KEY_SCRIPT)
		script_clear(field);
	else
		g_clear_pointer((char **)field, g_free);
}

/* Frees what the keys of root sections own; sections with a parent fill
 * the same structs, so walking the roots reaches every field once. */
static void free_owned(struct config *c)
{
	size_t n_sections;
	const struct section_def *sections = config_sections(&n_sections);
	size_t n_keys;
	const struct config_key *keys = config_keys(&n_keys);

	for (size_t s = 0; s < n_sections; s++) {
		const struct section_def *sd = &sections[s];
		for (unsigned t = 0; sd->parent == NULL && t < sd->ntargets; t++)
			for (size_t i = 0; i < n_keys; i++)
				if (keys[i].group == sd->group && is_owned(keys[i].type))
					free_field(&keys[i], target_of(c, sd, t));
	}
}

/* The defaults of one root section's targets: the group's own, then the
 * keys' `def` values, which are written as in a config and parsed alike. */
static void section_defaults(struct config *c, const struct section_def *sd)
{
	size_t n_keys;
	const struct config_key *keys = config_keys(&n_keys);

	for (unsigned t = 0; t < sd->ntargets; t++) {
		void *target = target_of(c, sd, t);
		if (sd->group == CONFIG_GROUP_LINK)
			link_params_default(target);
		for (size_t i = 0; i < n_keys; i++) {
			if (keys[i].group != sd->group || !keys[i].def)
				continue;
			char *why = parse_value(&keys[i], keys[i].def, target);
			g_assert(why == NULL); /* the table's defaults are valid */
		}
	}
}

static void config_defaults(struct config *c)
{
	size_t n_sections;
	const struct section_def *sections = config_sections(&n_sections);

	for (size_t s = 0; s < n_sections; s++)
		if (sections[s].parent == NULL)
			section_defaults(c, &sections[s]);
	bool ok = tcp_profile_get(c->profile, &c->client.tcp) && tcp_profile_get(c->profile, &c->server.tcp);
	g_assert(ok);
}

/* After [simulation]: the profile gives the TCP parameters [tcp] overrides. */
bool apply_profile(struct loader *ld)
{
	bool ok = tcp_profile_get(ld->c->profile, &ld->c->client.tcp) &&
	          tcp_profile_get(ld->c->profile, &ld->c->server.tcp);

	g_assert(ok); /* parse_profile checked the name */
	return ok;
}

/* ---- overrides ---- */

/* A free key (a fault's name, a swept parameter) as GKeyFile accepts it. */
static bool free_key_name_ok(const char *key)
{
	if (!*key)
		return false;
	for (const char *p = key; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-' && *p != '.')
			return false;
	return true;
}

/* "SECTION.KEY=VALUE"; the section may hold dots, so the key starts after
 * the last dot before the '=', except in [sweep], whose keys hold dots
 * (sweep.network.loss=0:0.1:0.05).  `origin` names where it comes from in
 * messages; NULL: "--set TEXT". */
static bool apply_override(struct loader *ld, const char *text, const char *origin_text)
{
	const char *eq = strchr(text, '=');
	const char *dot = eq ? g_strrstr_len(text, eq - text, ".") : NULL;
	char *shown = printable(text);
	char *origin = origin_text ? g_strdup(origin_text) : g_strdup_printf("--set %s", shown);

	if (eq && g_str_has_prefix(text, "sweep.") && text + 6 < eq)
		dot = text + 5;
	bool ok = dot && dot != text && dot + 1 != eq;
	g_free(shown);
	if (!ok) {
		fail(ld, CONFIG_ERROR_VALUE, "%s: expected SECTION.KEY=VALUE, such as network.loss=0.01", origin);
		g_free(origin);
		return false;
	}
	char *section = g_strndup(text, (size_t)(dot - text));
	char *key = g_strndup(dot + 1, (size_t)(eq - dot - 1));
	const struct section_def *sd = find_section(section);
	if (!sd)
		ok = unknown_section(ld, origin, section);
	else if (!sd->free_key && !find_key(sd->group, key))
		ok = unknown_key(ld, origin, section, key);
	else if (sd->free_key && !free_key_name_ok(key))
		ok = fail(ld, CONFIG_ERROR_VALUE, "%s: [%s] %s: expected a name of letters, digits, '_', '-' "
		          "or '.'", origin, section, key);
	if (ok) {
		g_key_file_set_value(ld->kf, section, key, eq + 1);
		g_hash_table_insert(ld->set_origins, key_id(section, key), g_steal_pointer(&origin));
	}
	g_free(origin);
	g_free(section);
	g_free(key);
	return ok;
}

static bool apply_overrides(struct loader *ld, const char *const *overrides)
{
	for (size_t i = 0; overrides && overrides[i]; i++)
		if (!apply_override(ld, overrides[i], NULL))
			return false;
	return true;
}

/* A sweep point's "SECTION.KEY=VALUE" settings; a message about one names
 * the [sweep] line that gave the value. */
static bool apply_point(struct loader *ld, const char *const *point)
{
	bool ok = true;

	for (size_t i = 0; ok && point && point[i]; i++) {
		const char *eq = strchr(point[i], '=');
		g_assert(eq);
		char *name = g_strndup(point[i], (size_t)(eq - point[i]));
		char *where = origin_of(ld, "sweep", name);
		char *origin = g_strdup_printf("%s: [sweep] %s = %s", where, name, eq + 1);
		ok = apply_override(ld, point[i], origin);
		g_free(origin);
		g_free(where);
		g_free(name);
	}
	return ok;
}

/* ---- filling the config ---- */

static bool apply_key(struct loader *ld, const struct section_def *sd, const struct config_key *k)
{
	char *raw = g_key_file_get_value(ld->kf, sd->name, k->name, NULL);
	char *text = g_strstrip(raw ? raw : g_strdup(""));
	char *why = NULL;

	/* Each target parses on its own: owned values are never shared. */
	for (unsigned t = 0; t < sd->ntargets && !why; t++)
		why = parse_value(k, text, target_of(ld->c, sd, t));
	g_free(text);
	if (!why)
		return true;
	value_error(ld, sd->name, k->name, "%s", why);
	g_free(why);
	return false;
}

static bool apply_free_keys(struct loader *ld, const struct section_def *sd)
{
	gsize n = 0;
	char **names = g_key_file_get_keys(ld->kf, sd->name, &n, NULL);
	bool ok = true;
	/* file order first (GKeyFile keeps it), overrides of new names after */
	for (gsize i = 0; ok && i < n; i++) {
		char *raw = g_key_file_get_value(ld->kf, sd->name, names[i], NULL);
		ok = sd->free_key(ld, sd->name, names[i], g_strstrip(raw));
		g_free(raw);
	}
	g_strfreev(names);
	return ok;
}

static bool apply_section(struct loader *ld, const struct section_def *sd)
{
	size_t n_keys;
	const struct config_key *keys = config_keys(&n_keys);

	if (sd->free_key)
		return apply_free_keys(ld, sd);
	for (size_t i = 0; i < n_keys; i++)
		if (keys[i].group == sd->group && g_key_file_has_key(ld->kf, sd->name, keys[i].name, NULL) &&
		    !apply_key(ld, sd, &keys[i]))
			return false;
	return true;
}

static bool fill_config(struct loader *ld)
{
	size_t n_sections;
	const struct section_def *sections = config_sections(&n_sections);

	config_defaults(ld->c);
	for (size_t s = 0; s < n_sections; s++) {
		const struct section_def *sd = &sections[s];
		if (g_key_file_has_group(ld->kf, sd->name) && !apply_section(ld, sd))
			return false;
		if (sd->after && !sd->after(ld))
			return false;
	}
	return true;
}

static bool check_required(struct loader *ld)
{
	size_t n_sections;
	const struct section_def *sections = config_sections(&n_sections);
	size_t n_keys;
	const struct config_key *keys = config_keys(&n_keys);

	for (size_t s = 0; s < n_sections; s++)
		for (size_t i = 0; i < n_keys; i++) {
			const struct config_key *k = &keys[i];
			const char *name = sections[s].name;
			if (k->group != sections[s].group || !(k->flags & CONFIG_KEY_REQUIRED) ||
			    g_key_file_has_key(ld->kf, name, k->name, NULL))
				continue;
			char *origin = origin_of(ld, name, NULL);
			fail(ld, CONFIG_ERROR_MISSING, "%s: [%s] %s: required key is missing", origin, name, k->name);
			g_free(origin);
			return false;
		}
	return true;
}

/* ---- relations ---- */

/* The section that set `key` for the leaf section sd: sd itself, else the
 * section it overrides; NULL when the value is a default. */
static const char *setter(struct loader *ld, const struct section_def *sd, const char *key)
{
	if (g_key_file_has_key(ld->kf, sd->name, key, NULL))
		return sd->name;
	if (sd->parent && g_key_file_has_key(ld->kf, sd->parent, key, NULL))
		return sd->parent;
	return NULL;
}

/* How specific the section that set `key` for sd is: 2 sd itself, 1 the
 * section it overrides, 0 none (a default or the profile). */
static int specificity(struct loader *ld, const struct section_def *sd, const char *key)
{
	const char *sec = setter(ld, sd, key);

	return !sec ? 0 : sec == sd->name ? 2 : 1;
}

/* lo <= hi, two durations.  Blames the one set in the more specific
 * section ([client.tcp] over [tcp] over the profile), lo on a tie. */
static bool check_order(struct loader *ld, const struct section_def *sd, const char *lo, sim_time lo_v,
                        const char *hi, sim_time hi_v)
{
	int lo_rank = specificity(ld, sd, lo), hi_rank = specificity(ld, sd, hi);
	char buf[40];

	if (lo_v <= hi_v)
		return true;
	g_assert(lo_rank || hi_rank); /* the profiles are consistent */
	if (lo_rank >= hi_rank)
		return value_error(ld, setter(ld, sd, lo), lo, "expected at most %s (%s)", hi,
		                   units_format_duration(hi_v, buf, sizeof buf));
	return value_error(ld, setter(ld, sd, hi), hi, "expected at least %s (%s)", lo,
	                   units_format_duration(lo_v, buf, sizeof buf));
}

bool check_tcp(struct loader *ld, const struct section_def *sd)
{
	struct tcp_params *p = target_of(ld->c, sd, 0);

	tcp_params_apply_floors(p); /* a tiny rcvbuf or sndbuf, raised as Linux does */
	return check_order(ld, sd, "rto_min", p->rto_min, "rto_initial", p->rto_initial) &&
	       check_order(ld, sd, "rto_initial", p->rto_initial, "rto_max", p->rto_max);
}

/* Settings that would silently do nothing are errors. */
bool check_link(struct loader *ld, const struct section_def *sd)
{
	const struct link_params *p = target_of(ld->c, sd, 0);
	const char *sec;

	if (p->jitter > 0 && p->distribution == LINK_DIST_CONSTANT && (sec = setter(ld, sd, "jitter")))
		return value_error(ld, sec, "jitter",
		                   "expected 0 with distribution constant (set distribution to uniform, "
		                   "normal, exponential or pareto)");
	if (p->reorder > 0 && p->reorder_delay == 0 && (sec = setter(ld, sd, "reorder")))
		return value_error(ld, sec, "reorder",
		                   "expected 0 when reorder_delay is 0 (a held-back packet needs a reorder_delay)");
	return true;
}

/* The two hosts need distinct addresses; blames [server] if it set one. */
bool check_endpoints(struct loader *ld, const struct section_def *sd)
{
	const struct config *c = ld->c;
	bool blame_server = setter(ld, sd, "address") != NULL;
	GString *other = g_string_new(NULL);

	if (c->client.addr == c->server.addr) {
		format_address(other, blame_server ? &c->client : &c->server);
		value_error(ld, blame_server ? "server" : "client", "address",
		            "expected an address different from the %s's (%s)",
		            blame_server ? "client" : "server", other->str);
	}
	g_string_free(other, TRUE);
	return c->client.addr != c->server.addr;
}

static bool check_relations(struct loader *ld)
{
	size_t n_sections;
	const struct section_def *sections = config_sections(&n_sections);

	for (size_t s = 0; s < n_sections; s++)
		if (sections[s].check && !sections[s].check(ld, &sections[s]))
			return false;
	return true;
}

/* ---- the interface ---- */

static char *config_name(const char *path)
{
	char *base = g_path_get_basename(path);

	if (g_str_has_suffix(base, ".ini") && strlen(base) > 4)
		base[strlen(base) - 4] = '\0';
	return base;
}

static bool load(const struct config_source *src, const char *const *overrides,
                 const char *const *point, bool is_point, struct config *out, GError **error)
{
	struct loader ld = {
		.path = src->path,
		.kf = g_key_file_new(),
		.lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
		.set_origins = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
		.c = out,
		.point = is_point,
		.error = error,
	};
	gsize len = 0;
	const char *text = g_bytes_get_data(src->text, &len);

	memset(out, 0, sizeof *out);
	bool ok = load_text(&ld, text, len) && apply_overrides(&ld, overrides) &&
	          apply_point(&ld, point) && fill_config(&ld) && check_required(&ld) &&
	          check_relations(&ld);
	if (ok) {
		out->path = g_strdup(src->path);
		out->name = config_name(src->path);
		config_source_copy(&out->source, src);
	} else {
		config_clear(out);
	}
	g_key_file_free(ld.kf);
	g_hash_table_destroy(ld.lines);
	g_hash_table_destroy(ld.set_origins);
	return ok;
}

bool config_load_source(const struct config_source *src, const char *const *overrides,
                        struct config *out, GError **error)
{
	return load(src, overrides, NULL, false, out, error);
}

bool config_load_point_source(const struct config_source *src, const char *const *overrides,
                              const char *const *point, struct config *out, GError **error)
{
	return load(src, overrides, point, true, out, error);
}

/* Reads path once, then loads from the text. */
static bool load_path(const char *path, const char *const *overrides, const char *const *point,
                      bool is_point, struct config *out, GError **error)
{
	struct config_source src;

	if (!config_source_read(path, &src, error)) {
		memset(out, 0, sizeof *out);
		return false;
	}
	bool ok = load(&src, overrides, point, is_point, out, error);
	config_source_clear(&src);
	return ok;
}

bool config_load(const char *path, const char *const *overrides, struct config *out, GError **error)
{
	return load_path(path, overrides, NULL, false, out, error);
}

bool config_load_point(const char *path, const char *const *overrides, const char *const *point,
                       struct config *out, GError **error)
{
	return load_path(path, overrides, point, true, out, error);
}

bool config_load_with(const struct config_source *src, const char *path,
                      const char *const *overrides, struct config *out, GError **error)
{
	if (src && src->text && src->path && strcmp(src->path, path) == 0)
		return config_load_source(src, overrides, out, error);
	return config_load(path, overrides, out, error);
}

/* "[sweep]" alone on its line, or with a trailing comment. */
static bool is_sweep_header(const char *line)
{
	if (!g_str_has_prefix(line, "[sweep]"))
		return false;
	const char *rest = line + strlen("[sweep]");
	const char *q = rest;
	while (*q == ' ' || *q == '\t')
		q++;
	return *q == '\0' || (q > rest && (*q == '#' || *q == ';'));
}

bool config_source_has_sweep(const struct config_source *src)
{
	gsize len = 0;
	const char *text = src->text ? g_bytes_get_data(src->text, &len) : NULL;
	bool found = false;

	if (!text)
		return false;
	char *copy = g_strndup(text, len);
	char **lines = g_strsplit(copy, "\n", -1);
	for (char **l = lines; *l && !found; l++)
		found = is_sweep_header(g_strstrip(*l));
	g_strfreev(lines);
	g_free(copy);
	return found;
}

bool config_has_sweep(const char *path)
{
	struct config_source src;

	if (!config_source_read(path, &src, NULL))
		return false;
	bool found = config_source_has_sweep(&src);
	config_source_clear(&src);
	return found;
}

bool apply_fault(struct loader *ld, const char *section, const char *key,
                        const char *value)
{
	struct fault f;
	char *why = NULL;
	if (!fault_parse(value, &f, &why)) {
		value_error(ld, section, key, "%s", why);
		g_free(why);
		return false;
	}
	f.name = g_strdup(key);
	struct config *c = ld->c;
	c->faults = g_renew(struct fault, c->faults, c->n_faults + 1);
	c->faults[c->n_faults++] = f;
	return true;
}

/* ---- [sweep] ---- */

static struct sweep_spec *sweep_of(struct loader *ld)
{
	if (!ld->c->sweep)
		ld->c->sweep = sweep_spec_new();
	return ld->c->sweep;
}

/* NULL if every value is a valid value of [section] key, else what was
 * expected of the first that is not.  They are parsed into a scratch
 * config, whose owned fields each parse replaces. */
static char *check_sweep_values(const struct section_def *sd, const char *key, GPtrArray *values)
{
	struct config scratch;
	char *why = NULL;
	const char *v = NULL;

	memset(&scratch, 0, sizeof scratch);
	config_defaults(&scratch);
	for (guint i = 0; i < values->len && !why; i++) {
		struct fault f;
		v = g_ptr_array_index(values, i);
		if (sd->free_key == apply_fault)
			fault_parse(v, &f, &why); /* sets why when it fails */
		else
			why = parse_value(find_key(sd->group, key), v, target_of(&scratch, sd, 0));
	}
	config_clear(&scratch);
	if (!why)
		return NULL;
	char *text = g_strdup_printf("value %s: %s", v, why);
	g_free(why);
	return text;
}

/* The section and key a parameter name sets; NULL with *why. */
static const struct section_def *sweep_target(const char *name, char **key, char **why)
{
	const char *dot = strrchr(name, '.');
	char *section = dot ? g_strndup(name, (size_t)(dot - name)) : NULL;
	const struct section_def *sd = section ? find_section(section) : NULL;

	*key = NULL;
	if (!dot || dot == name || !dot[1])
		*why = g_strdup("expected runs, metrics, or a parameter SECTION.KEY such as network.loss");
	else if (!sd)
		*why = g_strdup_printf("unknown section [%s]", section);
	else if (sd->group == CONFIG_GROUP_SWEEP)
		*why = g_strdup("a sweep cannot vary [sweep] itself");
	else if (!sd->free_key && !find_key(sd->group, dot + 1)) {
		char *list = known_keys(sd->group);
		*why = g_strdup_printf("unknown key (known keys of [%s]: %s)", section, list);
		g_free(list);
	} else
		*key = g_strdup(dot + 1);
	g_free(section);
	return *key ? sd : NULL;
}

/* SECTION.KEY = list or range: every value must be a valid value of the key. */
static bool sweep_param(struct loader *ld, const char *key, const char *value)
{
	char *why = NULL, *target_key = NULL;
	const struct section_def *sd = sweep_target(key, &target_key, &why);
	GPtrArray *values = g_ptr_array_new_with_free_func(g_free);

	if (sd && sweep_values_parse(value, values, &why))
		why = check_sweep_values(sd, target_key, values);
	if (!why)
		sweep_spec_add_param(sweep_of(ld), key, values, &why);
	g_ptr_array_free(values, TRUE);
	g_free(target_key);
	if (!why)
		return true;
	value_error(ld, "sweep", key, "%s", why);
	g_free(why);
	return false;
}

/* metrics = a, b, c: known names, each once. */
static bool sweep_metrics(struct loader *ld, const char *key, const char *value)
{
	char **names = g_strsplit(value, ",", -1);
	char *why = NULL;

	for (char **n = names; *n && !why; n++) {
		g_strstrip(*n);
		if (!**n)
			why = g_strdup("expected metric names separated by commas, with no empty item");
		else if (!metric_find(*n)) {
			char *list = metric_names();
			why = g_strdup_printf("unknown metric %s (known metrics: %s)", *n, list);
			g_free(list);
		}
		for (char **m = names; !why && m < n; m++)
			if (strcmp(*m, *n) == 0)
				why = g_strdup_printf("metric %s is listed twice", *n);
	}
	if (!why && !names[0])
		why = g_strdup("expected at least one metric");
	if (why) {
		value_error(ld, "sweep", key, "%s", why);
		g_free(why);
		g_strfreev(names);
		return false;
	}
	struct sweep_spec *s = sweep_of(ld);
	g_strfreev(s->metrics);
	s->metrics = names;
	s->n_metrics = g_strv_length(names);
	return true;
}

bool apply_sweep_key(struct loader *ld, const char *section, const char *key,
                            const char *value)
{
	uint64_t runs;

	(void)section;
	if (ld->point) /* the sweep's own load checked the section */
		return true;
	if (strcmp(key, "metrics") == 0)
		return sweep_metrics(ld, key, value);
	if (strcmp(key, "runs") != 0)
		return sweep_param(ld, key, value);
	if (!units_parse_uint(value, 1, SWEEP_MAX_RUNS, &runs, NULL))
		return value_error(ld, "sweep", key, "expected a number of runs between 1 and %u",
		                   SWEEP_MAX_RUNS);
	sweep_of(ld)->runs = runs;
	return true;
}

/* A [sweep] needs its metrics, and a grid of at most SWEEP_MAX_TOTAL runs. */
bool check_sweep(struct loader *ld, const struct section_def *sd)
{
	if (ld->point || !g_key_file_has_group(ld->kf, sd->name))
		return true;
	struct sweep_spec *s = sweep_of(ld);
	if (s->n_metrics == 0) {
		char *origin = origin_of(ld, sd->name, NULL);
		fail(ld, CONFIG_ERROR_MISSING, "%s: [sweep] metrics: required key is missing (such as "
		     "metrics = client.result, client.connect_time)", origin);
		g_free(origin);
		return false;
	}
	if (s->runs > SWEEP_MAX_TOTAL / s->n_points)
		return value_error(ld, "sweep", "runs", "expected at most %llu runs in all (%llu points)",
		                   (unsigned long long)SWEEP_MAX_TOTAL, (unsigned long long)s->n_points);
	return true;
}

void config_clear(struct config *c)
{
	for (uint32_t i = 0; i < c->n_faults; i++)
		g_free(c->faults[i].name);
	g_free(c->faults);
	sweep_spec_free(c->sweep);
	free_owned(c);
	config_source_clear(&c->source);
	g_free(c->path);
	g_free(c->name);
	memset(c, 0, sizeof *c);
}

/* ---- reference ---- */

/* What a value of the key looks like, for the reference. */
static char *describe_type(const struct config_key *k)
{
	switch (k->type) {
	case CONFIG_KEY_UINT:
	case CONFIG_KEY_UINT64:
		return with_range(k, "whole number");
	case CONFIG_KEY_BYTES:
		return with_range(k, "bytes (1460, 64KiB),");
	case CONFIG_KEY_DURATION:
		return with_range(k, "duration (200ms, 1.5s),");
	case CONFIG_KEY_BOOL:
		return g_strdup("true or false");
	case CONFIG_KEY_PROBABILITY:
		return g_strdup("probability (0.01 or 1%)");
	case CONFIG_KEY_POSITIVE:
		return g_strdup("number > 0");
	case CONFIG_KEY_BANDWIDTH:
		return g_strdup("bandwidth (10Mbit, 1Gbit), 0 = unlimited");
	case CONFIG_KEY_CHOICE:
		return choice_list(k, " | ", " | ");
	case CONFIG_KEY_PROFILE:
		return profile_list(" | ", " | ");
	case CONFIG_KEY_PATH:
		return g_strdup("path");
	case CONFIG_KEY_ADDRESS:
		return g_strdup(k->flags & CONFIG_KEY_PORT_REQUIRED ? "ADDRESS:PORT" : "ADDRESS[:PORT]");
	case CONFIG_KEY_IPV4:
		return g_strdup("IPv4 address");
	case CONFIG_KEY_PORTS:
		return g_strdup("port range LO-HI");
	case CONFIG_KEY_SCRIPT:
		return g_strdup("socket calls separated by ';'");
	case CONFIG_KEY_REPEAT:
		return g_strdup("count >= 1, or forever");
	}
	g_assert_not_reached();
}

static void print_key(GString *out, const struct section_def *sd, const struct config_key *k,
                      struct config *defaults)
{
	char *type = describe_type(k);
	GString *value = g_string_new(NULL);

	format_value(value, k, target_of(defaults, sd, 0));
	g_string_append_printf(out, "  %-20s %s\n", k->name, type);
	if (k->flags & CONFIG_KEY_REQUIRED)
		g_string_append(out, "      required\n");
	else if (sd->group == CONFIG_GROUP_TCP)
		g_string_append_printf(out, "      default: from the profile (%s: %s)\n", defaults->profile,
		                       value->str);
	else if (value->len)
		g_string_append_printf(out, "      default: %s\n", value->str);
	g_string_append_printf(out, "      %s\n", k->doc);
	g_free(type);
	g_string_free(value, TRUE);
}

void config_print_reference(GString *out)
{
	size_t n_sections;
	const struct section_def *sections = config_sections(&n_sections);
	size_t n_keys;
	const struct config_key *keys = config_keys(&n_keys);
	struct config defaults;

	memset(&defaults, 0, sizeof defaults);
	config_defaults(&defaults);
	g_string_append(out,
	                "Comments: a line starting with '#' or ';', or a trailing comment after a value\n"
	                "or a [section] header: a '#' that follows white space, outside a double-quoted\n"
	                "string (loss = 5%  # lossy).  A ';' after white space starts one too, except in\n"
	                "script values, where ';' separates calls (script = connect; send \"a # b\"; close\n"
	                "# only this is a comment).  --set values are taken whole.\n\n");
	for (size_t s = 0; s < n_sections; s++) {
		const struct section_def *sd = &sections[s];
		g_string_append_printf(out, "%s[%s]\n  %s\n", s ? "\n" : "", sd->name, sd->doc);
		if (sd->parent) /* same keys as the parent, printed there */
			continue;
		for (size_t i = 0; i < n_keys; i++)
			if (keys[i].group == sd->group)
				print_key(out, sd, &keys[i], &defaults);
	}
	config_clear(&defaults);
}
