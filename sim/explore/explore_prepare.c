/*
 * An exploration's config: read and checked whole (its [explore] section
 * too), then loaded again from an edited text with the network's random
 * faults off, so that every execution differs from the fault-free one by
 * the placed faults alone.  The edited text is also what a counterexample
 * config is written from (explore_write_config), so re-running one gives
 * the very execution the explorer saw.
 */
#include "sim/explore/explore.h"

#include <string.h>
#include "sim/escape.h"

/* The [network*] keys of random faults: commented out in the edited text. */
static const char *const random_keys[] = {
	"loss", "reorder", "duplicate", "corrupt", "loss_model", "loss_burst", "loss_model_start",
	"loss_correlation", "reorder_correlation", "duplicate_correlation", "corrupt_correlation",
	"ge_p", "ge_r", "ge_1h", "ge_1k", "state_p13", "state_p31", "state_p32", "state_p23", "state_p14",
};

static bool is_random_key(const char *line)
{
	const char *eq = strchr(line, '=');
	if (!eq)
		return false;
	char *key = g_strstrip(g_strndup(line, (size_t)(eq - line)));
	bool found = false;
	for (size_t i = 0; i < G_N_ELEMENTS(random_keys) && !found; i++)
		found = strcmp(key, random_keys[i]) == 0;
	g_free(key);
	return found;
}

/* "[network.client_to_server]" -> "network.client_to_server", else NULL. */
static char *section_of(const char *line)
{
	const char *p = line + strspn(line, " \t");
	const char *end = *p == '[' ? strchr(p, ']') : NULL;
	return end ? g_strndup(p + 1, (size_t)(end - p - 1)) : NULL;
}

/* The config's text without [explore] and [sweep], the random faults of
 * [network], [network.client_to_server] and [network.server_to_client]
 * commented out. */
static char *edited_text(const char *text)
{
	char **lines = g_strsplit(text, "\n", -1);
	GString *out = g_string_new(NULL);
	bool skip = false, network = false;
	guint n = g_strv_length(lines);

	for (guint i = 0; i < n; i++) {
		const char *l = lines[i];
		char *sec = section_of(l);
		if (sec) {
			skip = strcmp(sec, "explore") == 0 || strcmp(sec, "sweep") == 0;
			network = g_str_has_prefix(sec, "network");
			g_free(sec);
		}
		if (i + 1 == n && !*l)
			break; /* the text's last line end */
		if (skip)
			continue;
		if (network && is_random_key(l))
			g_string_append_printf(out, "# %s    (off: tcpsim explore places the faults)\n", l);
		else
			g_string_append_printf(out, "%s\n", l);
	}
	g_strfreev(lines);
	return g_string_free(out, FALSE);
}

static bool random_faults_off(const struct link_params *l)
{
	return l->loss == 0 && l->reorder == 0 && l->duplicate == 0 && l->corrupt == 0 &&
	       l->loss_model == LINK_LOSS_RANDOM;
}

void explore_commit_spec(struct explore *x)
{
	const struct explore_spec *s = &x->spec;
	x->n_actions = 0;
	if (s->kinds & 1u << EXPLORE_DROP)
		x->actions[x->n_actions++] = (struct explore_action){EXPLORE_DROP, 0};
	if (s->kinds & 1u << EXPLORE_DUPLICATE)
		x->actions[x->n_actions++] = (struct explore_action){EXPLORE_DUPLICATE, 0};
	if (s->kinds & 1u << EXPLORE_DELAY)
		for (uint32_t i = 0; i < s->n_delays; i++)
			x->actions[x->n_actions++] = (struct explore_action){EXPLORE_DELAY, s->delays[i]};
	x->n_checks = EXPLORE_N_PROPERTIES + s->n_require;
}

bool explore_prepare(struct explore *x, const char *path, GError **error)
{
	struct config_source src = {0}, edited = {0};
	struct config orig;

	memset(x, 0, sizeof *x);
	if (!config_source_read(path, &src, error))
		return false;
	if (!config_load_source(&src, NULL, &orig, error)) {
		config_source_clear(&src);
		return false;
	}
	if (orig.explore)
		explore_spec_copy(&x->spec, orig.explore);
	else
		explore_spec_defaults(&x->spec);
	config_clear(&orig);
	x->text = edited_text(g_bytes_get_data(src.text, NULL));
	edited.path = g_strdup(src.path);
	edited.text = g_bytes_new_take(g_strdup(x->text), strlen(x->text)); /* NUL beyond its size */
	config_source_clear(&src);
	bool ok = config_load_source(&edited, NULL, &x->cfg, error);
	config_source_clear(&edited);
	if (ok && !(random_faults_off(&x->cfg.c2s) && random_faults_off(&x->cfg.s2c))) {
		char *shown = escape_text(path);
		g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_VALUE,
		            "%s: [network] netem: tcpsim explore places the faults itself: take the random "
		            "loss, duplication, reordering and corruption out of netem", shown);
		g_free(shown);
		ok = false;
	}
	if (!ok) {
		explore_clear(x);
		return false;
	}
	for (int i = 0; i < EXPLORE_MAX_FAULTS; i++)
		x->fault_names[i] = g_strdup_printf("explore_%d", i + 1);
	explore_commit_spec(x);
	return true;
}

void explore_clear(struct explore *x)
{
	config_clear(&x->cfg);
	explore_spec_clear(&x->spec);
	g_free(x->text);
	g_free(x->resume_dir);
	for (int i = 0; i < EXPLORE_MAX_FAULTS; i++)
		g_free(x->fault_names[i]);
	memset(x, 0, sizeof *x);
}
