/*
 * The configuration loader: the stages that take a config's text to a
 * checked struct config, and the interface of config.h that runs them.
 *
 * Model.  Everything the loader knows is in two const tables, the
 * sections and the keys of sim/config/keys.c; the code here walks them.
 * The other files of the loader (config_int.h lists them): the source and
 * the line scanner (ini.c), the messages (messages.c), typed values
 * (values.c), [sweep] (sweep_section.c) and --help-config (help.c).
 *
 * Loading runs in stages, each stopping at the first error:
 *  1. read the file; NUL bytes or invalid UTF-8 mean binary garbage (ini.c);
 *  2. scan the lines ourselves, mirroring GKeyFile's syntax, because GKeyFile
 *     gives no line numbers: broken lines, unknown sections and keys and
 *     duplicate keys are reported in file order, and the line of every
 *     section and key is recorded (ini.c);
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

#include <string.h>
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
					free_field(&keys[i], cfg_target_of(c, sd, t));
	}
}

/* The defaults of one root section's targets: the group's own, then the
 * keys' `def` values, which are written as in a config and parsed alike. */
static void section_defaults(struct config *c, const struct section_def *sd)
{
	size_t n_keys;
	const struct config_key *keys = config_keys(&n_keys);

	for (unsigned t = 0; t < sd->ntargets; t++) {
		void *target = cfg_target_of(c, sd, t);
		if (sd->group == CONFIG_GROUP_LINK)
			link_params_default(target);
		for (size_t i = 0; i < n_keys; i++) {
			if (keys[i].group != sd->group || !keys[i].def)
				continue;
			char *why = cfg_parse_value(&keys[i], keys[i].def, target);
			g_assert(why == NULL); /* the table's defaults are valid */
		}
	}
}

void config_defaults(struct config *c)
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
bool cfg_apply_profile(struct loader *ld)
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
	char *shown = cfg_printable(text);
	char *origin = origin_text ? g_strdup(origin_text) : g_strdup_printf("--set %s", shown);

	if (eq && g_str_has_prefix(text, "sweep.") && text + 6 < eq)
		dot = text + 5;
	bool ok = dot && dot != text && dot + 1 != eq;
	g_free(shown);
	if (!ok) {
		cfg_fail(ld, CONFIG_ERROR_VALUE, "%s: expected SECTION.KEY=VALUE, such as network.loss=0.01", origin);
		g_free(origin);
		return false;
	}
	char *section = g_strndup(text, (size_t)(dot - text));
	char *key = g_strndup(dot + 1, (size_t)(eq - dot - 1));
	const struct section_def *sd = cfg_find_section(section);
	if (!sd)
		ok = cfg_unknown_section(ld, origin, section);
	else if (!sd->free_key && !cfg_find_key(sd->group, key))
		ok = cfg_unknown_key(ld, origin, section, key);
	else if (sd->free_key && !free_key_name_ok(key))
		ok = cfg_fail(ld, CONFIG_ERROR_VALUE, "%s: [%s] %s: expected a name of letters, digits, '_', '-' "
		          "or '.'", origin, section, key);
	if (ok) {
		g_key_file_set_value(ld->kf, section, key, eq + 1);
		g_hash_table_insert(ld->set_origins, cfg_key_id(section, key), g_steal_pointer(&origin));
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
		char *where = cfg_origin_of(ld, "sweep", name);
		char *origin = g_strdup_printf("%s: [sweep] %s = %s", where, name, eq + 1);
		ok = apply_override(ld, point[i], origin);
		g_free(origin);
		g_free(where);
		g_free(name);
	}
	return ok;
}

/* ---- filling the config ---- */

/* Whether the key's value is a script the file wrote over several lines
 * (ini.c), not one line nor a --set. */
static bool is_script_lines(struct loader *ld, const struct section_def *sd, const struct config_key *k,
                            const char *raw)
{
	char *id = cfg_key_id(sd->name, k->name);
	bool overridden = g_hash_table_contains(ld->set_origins, id);

	g_free(id);
	return k->type == CONFIG_KEY_SCRIPT && raw && strchr(raw, '\n') && !overridden;
}

/* A script of several lines: the line of the file and its column, and the
 * text of that line alone (the script's lines are the file's, from the
 * key's line on, with their indentation). */
static bool apply_script_lines(struct loader *ld, const struct section_def *sd, const struct config_key *k,
                               const char *text)
{
	uint32_t line = 0, column = 0;
	char *why = NULL;

	for (unsigned t = 0; t < sd->ntargets && !why; t++)
		why = cfg_parse_script_at(k, text, cfg_target_of(ld->c, sd, t), &line, &column);
	if (!why)
		return true;
	char **lines = g_strsplit(text, "\n", -1);
	char *shown = g_strstrip(g_strdup(line <= g_strv_length(lines) ? lines[line - 1] : ""));
	const char *eq = strchr(shown, '=');
	char *name = eq ? g_strstrip(g_strndup(shown, (size_t)(eq - shown))) : NULL;
	bool key = line > 1 && name && cfg_find_key(sd->group, name); /* an indented key meant as a key? */
	cfg_fail(ld, CONFIG_ERROR_VALUE, "%s:%u: [%s] %s: column %u: %s (in: %s%s)", ld->path,
	         cfg_line_of(ld, sd->name, k->name) + line - 1, sd->name, k->name, column, why, shown,
	         key ? "; indented, the line goes on the script" : "");
	g_free(name);
	g_free(shown);
	g_strfreev(lines);
	g_free(why);
	return false;
}

static bool apply_key(struct loader *ld, const struct section_def *sd, const struct config_key *k)
{
	char *raw = g_key_file_get_value(ld->kf, sd->name, k->name, NULL);
	if (is_script_lines(ld, sd, k, raw)) {
		bool ok = apply_script_lines(ld, sd, k, raw);
		g_free(raw);
		return ok;
	}
	char *text = g_strstrip(raw ? raw : g_strdup(""));
	char *why = NULL;

	/* Each target parses on its own: owned values are never shared. */
	for (unsigned t = 0; t < sd->ntargets && !why; t++)
		why = cfg_parse_value(k, text, cfg_target_of(ld->c, sd, t));
	g_free(text);
	if (!why)
		return true;
	cfg_value_error(ld, sd->name, k->name, "%s", why);
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

/* The keys of the link group that are not the link's law: netem's words
 * leave them as they are, so they may stand beside `netem =`. */
static bool beyond_netem(const char *key)
{
	static const char *const names[] = { "netem", "unreachable", "router", "arp_probes", "arp_interval" };

	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (strcmp(key, names[i]) == 0)
			return true;
	return false;
}

/* `netem =` gives the whole law of the link: with a key of the law in the
 * same section, which should win would be a guess, so it is an error. */
static bool check_netem_alone(struct loader *ld, const struct section_def *sd)
{
	size_t n_keys;
	const struct config_key *keys = config_keys(&n_keys);

	if (sd->group != CONFIG_GROUP_LINK || !g_key_file_has_key(ld->kf, sd->name, "netem", NULL))
		return true;
	for (size_t i = 0; i < n_keys; i++) {
		const char *name = keys[i].name;
		if (keys[i].group != CONFIG_GROUP_LINK || beyond_netem(name) ||
		    !g_key_file_has_key(ld->kf, sd->name, name, NULL))
			continue;
		char *where = cfg_origin_of(ld, sd->name, name);
		cfg_value_error(ld, sd->name, "netem",
		                "expected no other key of the link's law in [%s] (%s, %s): netem's words give "
		                "the whole law; write it in them, or drop netem", sd->name, name, where);
		g_free(where);
		return false;
	}
	return true;
}

static bool apply_section(struct loader *ld, const struct section_def *sd)
{
	size_t n_keys;
	const struct config_key *keys = config_keys(&n_keys);

	if (sd->free_key)
		return apply_free_keys(ld, sd);
	if (!check_netem_alone(ld, sd))
		return false;
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
			char *origin = cfg_origin_of(ld, name, NULL);
			cfg_fail(ld, CONFIG_ERROR_MISSING, "%s: [%s] %s: required key is missing", origin, name, k->name);
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
		return cfg_value_error(ld, setter(ld, sd, lo), lo, "expected at most %s (%s)", hi,
		                   units_format_duration(hi_v, buf, sizeof buf));
	return cfg_value_error(ld, setter(ld, sd, hi), hi, "expected at least %s (%s)", lo,
	                   units_format_duration(lo_v, buf, sizeof buf));
}

bool cfg_check_tcp(struct loader *ld, const struct section_def *sd)
{
	struct tcp_params *p = cfg_target_of(ld->c, sd, 0);

	tcp_params_apply_floors(p); /* a tiny rcvbuf or sndbuf, raised as Linux does */
	return check_order(ld, sd, "rto_min", p->rto_min, "rto_initial", p->rto_initial) &&
	       check_order(ld, sd, "rto_initial", p->rto_initial, "rto_max", p->rto_max);
}

/* Each key of `keys` that was set needs loss_model = `model`. */
static bool check_model_keys(struct loader *ld, const struct section_def *sd, const struct link_params *p,
                             enum link_loss_model model, const char *model_word,
                             const char *const *keys, size_t n)
{
	const char *sec;

	if (p->loss_model == model)
		return true;
	for (size_t i = 0; i < n; i++)
		if ((sec = setter(ld, sd, keys[i])))
			return cfg_value_error(ld, sec, keys[i], "expected loss_model = %s with %s", model_word,
			                       keys[i]);
	return true;
}

/* loss_burst: `loss` in bursts of mean length B, as the simple Gilbert
 * model (models/link.h: loss rate p / (p + r), bursts 1/r) with r = 1/B
 * and p = r L / (1 - L); p must be a probability, so L <= B / (B + 1). */
static const char *const ge_keys[] = {"ge_p", "ge_r", "ge_1h", "ge_1k"};

static bool apply_loss_burst(struct loader *ld, const struct section_def *sd)
{
	struct link_params *p = cfg_target_of(ld->c, sd, 0);
	const char *sec = setter(ld, sd, "loss_burst");
	double r, gp;

	if (p->loss_burst == 0 || !sec)
		return true;
	if (p->loss_burst < 1)
		return cfg_value_error(ld, sec, "loss_burst", "expected at least 1 (a mean number of packets)");
	if (setter(ld, sd, "loss_model"))
		return cfg_value_error(ld, sec, "loss_burst", "expected no loss_model with loss_burst "
		                       "(it makes the simple Gilbert model itself)");
	if (p->loss_correlation > 0)
		return cfg_value_error(ld, sec, "loss_burst", "expected no loss_correlation with loss_burst");
	r = 1.0 / p->loss_burst;
	gp = p->loss < 1 ? r * p->loss / (1 - p->loss) : 2;
	if (gp > 1)
		return cfg_value_error(ld, sec, "loss_burst", "expected a loss of at most %g with loss_burst %g "
		                       "(loss_burst / (loss_burst + 1))", p->loss_burst / (p->loss_burst + 1),
		                       p->loss_burst);
	for (size_t i = 0; i < G_N_ELEMENTS(ge_keys); i++)
		if ((sec = setter(ld, sd, ge_keys[i])))
			return cfg_value_error(ld, sec, ge_keys[i], "expected no %s with loss_burst", ge_keys[i]);
	/* `loss` stays as written (the link ignores it under gemodel): loading
	 * twice gives the same law */
	p->loss_model = LINK_LOSS_GEMODEL;
	p->ge_p = gp;
	p->ge_r = r;
	p->ge_1h = 1;
	p->ge_1k = 0;
	return true;
}

/* netem's laws: correlations below 1 (1 would repeat one value forever),
 * each model's keys with that model, the 4-state chain's rows summing to
 * at most 1, the rate's overheads with a bandwidth. */
static bool check_netem_link(struct loader *ld, const struct section_def *sd, const struct link_params *p)
{
	static const char *const st_keys[] = {"state_p13", "state_p31", "state_p32", "state_p23",
	                                      "state_p14"};
	const struct { const char *key; double v; } cors[] = {
		{"loss_correlation", p->loss_correlation}, {"delay_correlation", p->delay_correlation},
		{"reorder_correlation", p->reorder_correlation},
		{"duplicate_correlation", p->duplicate_correlation},
		{"corrupt_correlation", p->corrupt_correlation},
	};
	const char *sec;

	if (!apply_loss_burst(ld, sd))
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(cors); i++)
		if (cors[i].v >= 1.0 && (sec = setter(ld, sd, cors[i].key)))
			return cfg_value_error(ld, sec, cors[i].key, "expected a correlation below 1 (0.25 or 25%%)");
	if (p->loss_model != LINK_LOSS_RANDOM && p->loss > 0 && p->loss_burst == 0 &&
	    (sec = setter(ld, sd, "loss")))
		return cfg_value_error(ld, sec, "loss", "expected 0 with loss_model %s (its own keys give the loss)",
		                       p->loss_model == LINK_LOSS_GEMODEL ? "gemodel" : "state");
	if (p->loss_model != LINK_LOSS_RANDOM && p->loss_correlation > 0 &&
	    (sec = setter(ld, sd, "loss_correlation")))
		return cfg_value_error(ld, sec, "loss_correlation", "expected loss_model = random with loss_correlation");
	if (!check_model_keys(ld, sd, p, LINK_LOSS_GEMODEL, "gemodel", ge_keys, G_N_ELEMENTS(ge_keys)) ||
	    !check_model_keys(ld, sd, p, LINK_LOSS_STATE, "state", st_keys, G_N_ELEMENTS(st_keys)))
		return false;
	if (p->st_p13 + p->st_p14 > 1.0 && (sec = setter(ld, sd, "state_p14")))
		return cfg_value_error(ld, sec, "state_p14", "expected at most 1 - state_p13 (the chances out of state 1)");
	if (p->st_p31 + p->st_p32 > 1.0 && (sec = setter(ld, sd, "state_p32")))
		return cfg_value_error(ld, sec, "state_p32", "expected at most 1 - state_p31 (the chances out of state 3)");
	if (p->bandwidth == 0 && (p->rate_overhead || p->rate_cell_size)) {
		const char *key = p->rate_overhead ? "rate_overhead" : "rate_cell_size";
		if ((sec = setter(ld, sd, key)))
			return cfg_value_error(ld, sec, key, "expected 0 when bandwidth is 0 (no transmission time to change)");
	}
	if (p->rate_cell_size == 0 && p->rate_cell_overhead && (sec = setter(ld, sd, "rate_cell_overhead")))
		return cfg_value_error(ld, sec, "rate_cell_overhead", "expected 0 when rate_cell_size is 0");
	return true;
}

/* netem's reorder (reorder_at_once, reorder_gap) needs a delay and is not
 * tcpsim's held-back `reorder`.  Blames the key if a section sets it, else
 * the other key (the first may come from a `netem =` of [network]). */
static bool check_netem_reorder(struct loader *ld, const struct section_def *sd,
                                const struct link_params *p)
{
	const char *key, *sec;

	if (p->reorder_at_once > 0 && p->reorder > 0) {
		key = setter(ld, sd, "reorder_at_once") ? "reorder_at_once" : "reorder";
		if ((sec = setter(ld, sd, key)))
			return cfg_value_error(ld, sec, key, "expected 0 with %s (netem's reordering or "
			                       "tcpsim's held-back packets, not both)",
			                       strcmp(key, "reorder") ? "reorder" : "reorder_at_once");
	}
	if (p->reorder_at_once > 0 && p->delay == 0) {
		key = setter(ld, sd, "reorder_at_once") ? "reorder_at_once" : "delay";
		if ((sec = setter(ld, sd, key)))
			return cfg_value_error(ld, sec, key, "expected %s (a packet sent at once overtakes "
			                       "those that wait out the delay)",
			                       strcmp(key, "delay") ? "a delay with it" : "a delay with reorder_at_once");
	}
	if (p->reorder_at_once == 0 && p->reorder_gap != 1) {
		key = setter(ld, sd, "reorder_gap") ? "reorder_gap" : "reorder_at_once";
		if ((sec = setter(ld, sd, key)))
			return cfg_value_error(ld, sec, key, "expected %s", strcmp(key, "reorder_gap")
			                       ? "no reorder_gap without it" : "reorder_at_once with it");
	}
	return true;
}

/* Settings that would silently do nothing are errors. */
bool cfg_check_link(struct loader *ld, const struct section_def *sd)
{
	const struct link_params *p = cfg_target_of(ld->c, sd, 0);
	const char *sec;

	if (p->jitter > 0 && p->distribution == LINK_DIST_CONSTANT && (sec = setter(ld, sd, "jitter")))
		return cfg_value_error(ld, sec, "jitter",
		                   "expected 0 with distribution constant (set distribution to uniform, "
		                   "normal, exponential or pareto)");
	if (p->reorder > 0 && p->reorder_delay == 0 && (sec = setter(ld, sd, "reorder")))
		return cfg_value_error(ld, sec, "reorder",
		                   "expected 0 when reorder_delay is 0 (a held-back packet needs a reorder_delay)");
	if (!check_netem_reorder(ld, sd, p))
		return false;
	return check_netem_link(ld, sd, p);
}

/* The two hosts need distinct addresses; blames [server] if it set one. */
bool cfg_check_endpoints(struct loader *ld, const struct section_def *sd)
{
	const struct config *c = ld->c;
	bool blame_server = setter(ld, sd, "address") != NULL;
	GString *other = g_string_new(NULL);

	if (c->client.addr == c->server.addr) {
		cfg_format_address(other, blame_server ? &c->client : &c->server);
		cfg_value_error(ld, blame_server ? "server" : "client", "address",
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
	bool ok = cfg_load_text(&ld, text, len) && apply_overrides(&ld, overrides) &&
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

bool cfg_apply_fault(struct loader *ld, const char *section, const char *key,
                        const char *value)
{
	struct fault f;
	char *why = NULL;
	if (!fault_parse(value, &f, &why)) {
		cfg_value_error(ld, section, key, "%s", why);
		g_free(why);
		return false;
	}
	f.name = g_strdup(key);
	struct config *c = ld->c;
	c->faults = g_renew(struct fault, c->faults, c->n_faults + 1);
	c->faults[c->n_faults++] = f;
	return true;
}

void config_clear(struct config *c)
{
	for (uint32_t i = 0; i < c->n_faults; i++)
		g_free(c->faults[i].name);
	g_free(c->faults);
	sweep_spec_free(c->sweep);
	if (c->explore)
		explore_spec_clear(c->explore);
	g_free(c->explore);
	free_owned(c);
	config_source_clear(&c->source);
	g_free(c->path);
	g_free(c->name);
	memset(c, 0, sizeof *c);
}
