/*
 * Typed values: one value of a config key parsed from its text, with the
 * message saying what was expected when it is not valid, and formatted
 * back as a config would write it (the defaults of --help-config, the
 * values named by relation messages).
 *
 * Apart from the loader's stages because they know nothing of where a
 * value was written: each function takes a key of sim/config/keys.h and a
 * text, or a field, and the caller adds the place to the message.  The
 * units themselves (durations, sizes, rates...) are sim/config/units.c's.
 */
#include "sim/config/config_int.h"

#include <arpa/inet.h>
#include <string.h>
#include "sim/config/netem.h"
#include "sim/config/units.h"

/* ---- words ---- */

/* "a, b or c" (last_sep " or "), "a | b | c" (both " | ") */
char *cfg_join_words(const char *const *words, size_t n, const char *sep, const char *last_sep)
{
	GString *out = g_string_new(NULL);

	for (size_t i = 0; i < n; i++) {
		if (i)
			g_string_append(out, i + 1 == n ? last_sep : sep);
		g_string_append(out, words[i]);
	}
	return g_string_free(out, FALSE);
}

char *cfg_choice_list(const struct config_key *k, const char *sep, const char *last_sep)
{
	const char *words[16];
	size_t n = 0;

	for (const struct config_choice *ch = k->choices; ch->word; ch++) {
		g_assert(n < G_N_ELEMENTS(words));
		words[n++] = ch->word;
	}
	return cfg_join_words(words, n, sep, last_sep);
}

/* ---- parsing ---- */

static size_t type_size(const struct config_key *k)
{
	switch (k->type) {
	case CONFIG_KEY_UINT:
	case CONFIG_KEY_BYTES:
		return sizeof(uint32_t);
	case CONFIG_KEY_INT:
		return sizeof(int32_t);
	case CONFIG_KEY_UINT64:
	case CONFIG_KEY_BANDWIDTH:
	case CONFIG_KEY_REPEAT:
		return sizeof(uint64_t);
	case CONFIG_KEY_DURATION:
		return sizeof(sim_time);
	case CONFIG_KEY_BOOL:
		return sizeof(bool);
	case CONFIG_KEY_PROBABILITY:
	case CONFIG_KEY_POSITIVE:
		return sizeof(double);
	case CONFIG_KEY_CHOICE: /* an enum, or a bool for two-word choices */
		return k->size == sizeof(bool) ? sizeof(bool) : sizeof(int);
	case CONFIG_KEY_PROFILE:
	case CONFIG_KEY_PATH:
		return sizeof(char *);
	case CONFIG_KEY_ADDRESS:
		return sizeof(struct endpoint_config);
	case CONFIG_KEY_IPV4:
		return sizeof(uint32_t);
	case CONFIG_KEY_PORTS:
		return 2 * sizeof(uint16_t);
	case CONFIG_KEY_SCRIPT:
		return sizeof(struct script);
	case CONFIG_KEY_NETEM:
		return sizeof(struct link_params);
	}
	g_assert_not_reached();
}

static char *range_text(const struct config_key *k)
{
	char lo[40], hi[40];

	if (k->type == CONFIG_KEY_DURATION) {
		units_format_duration((sim_time)k->min, lo, sizeof lo);
		units_format_duration((sim_time)k->max, hi, sizeof hi);
	} else if (k->type == CONFIG_KEY_INT) { /* min is the magnitude of the lowest */
		g_snprintf(lo, sizeof lo, "-%" G_GUINT64_FORMAT, k->min);
		g_snprintf(hi, sizeof hi, "%" G_GUINT64_FORMAT, k->max);
	} else {
		g_snprintf(lo, sizeof lo, "%" G_GUINT64_FORMAT, k->min);
		g_snprintf(hi, sizeof hi, "%" G_GUINT64_FORMAT, k->max);
	}
	return g_strdup_printf("between %s and %s", lo, hi);
}

/* "WHAT between MIN and MAX" */
char *cfg_with_range(const struct config_key *k, const char *what)
{
	char *range = range_text(k);
	char *text = g_strdup_printf("%s %s", what, range);

	g_free(range);
	return text;
}

static char *out_of_range(const struct config_key *k, const char *what)
{
	char *text = cfg_with_range(k, what);
	char *why = g_strconcat("expected ", text, NULL);

	g_free(text);
	return why;
}

/* Whole numbers: every failure gives the range, the clearest hint. */
static char *parse_uint(const struct config_key *k, const char *text, void *field)
{
	uint64_t v;

	if (!units_parse_uint(text, 0, UINT64_MAX, &v, NULL) || v < k->min || v > k->max)
		return out_of_range(k, "a whole number");
	if (k->type == CONFIG_KEY_UINT)
		*(uint32_t *)field = (uint32_t)v;
	else
		*(uint64_t *)field = v;
	return NULL;
}

/* A signed whole number: an optional '-' before a whole number. */
static char *parse_int(const struct config_key *k, const char *text, int32_t *field)
{
	bool negative = text[0] == '-';
	uint64_t v;

	if (!units_parse_uint(text + negative, 0, UINT64_MAX, &v, NULL) ||
	    v > (negative ? k->min : k->max))
		return out_of_range(k, "a whole number");
	*field = negative ? -(int32_t)v : (int32_t)v;
	return NULL;
}

static char *parse_bytes(const struct config_key *k, const char *text, uint32_t *field)
{
	const char *why = NULL;
	uint64_t v;

	if (!units_parse_bytes(text, &v, &why))
		return g_strdup(why);
	if (v < k->min || v > k->max)
		return out_of_range(k, "a byte count");
	*field = (uint32_t)v;
	return NULL;
}

static char *parse_duration(const struct config_key *k, const char *text, sim_time *field)
{
	const char *why = NULL;
	sim_time v;

	if (!units_parse_duration(text, &v, &why))
		return g_strdup(why);
	if ((uint64_t)v < k->min || (uint64_t)v > k->max)
		return out_of_range(k, "a duration");
	*field = v;
	return NULL;
}

static char *parse_positive(const char *text, double *field)
{
	double v;

	if (!units_parse_double(text, 0, 1e9, &v, NULL) || !(v > 0))
		return g_strdup("expected a number greater than 0");
	*field = v;
	return NULL;
}

static char *parse_choice(const struct config_key *k, const char *text, void *field)
{
	for (const struct config_choice *ch = k->choices; ch->word; ch++)
		if (strcmp(ch->word, text) == 0) {
			if (k->size == sizeof(bool))
				*(bool *)field = ch->value != 0;
			else
				*(int *)field = ch->value;
			return NULL;
		}
	char *list = cfg_choice_list(k, ", ", " or ");
	char *why = g_strdup_printf("expected %s", list);
	g_free(list);
	return why;
}

char *cfg_profile_list(const char *sep, const char *last_sep)
{
	size_t n = 0;

	while (tcp_profile_names[n])
		n++;
	return cfg_join_words(tcp_profile_names, n, sep, last_sep);
}

static char *parse_profile(const char *text, char **field)
{
	struct tcp_params p;

	if (!tcp_profile_get(text, &p)) {
		char *list = cfg_profile_list(", ", " or ");
		char *why = g_strdup_printf("expected a profile: %s", list);
		g_free(list);
		return why;
	}
	g_free(*field);
	*field = g_strdup(text);
	return NULL;
}

static char *parse_path(const char *text, char **field)
{
	if (!*text)
		return g_strdup("expected a folder path");
	g_free(*field);
	*field = g_strdup(text);
	return NULL;
}

/* A host address: not 0.0.0.0, multicast (224/4) or broadcast. */
static bool is_unicast(uint32_t addr)
{
	return addr != 0 && addr != 0xffffffffu && (addr >> 28) != 0xe;
}

static char *parse_ipv4(const char *text, uint32_t *field)
{
	struct in_addr a;
	if (inet_pton(AF_INET, text, &a) != 1)
		return g_strdup("expected an IPv4 address such as 10.0.0.254");
	if (!is_unicast(ntohl(a.s_addr)))
		return g_strdup("expected a host address (not 0.0.0.0, multicast or broadcast)");
	*field = ntohl(a.s_addr);
	return NULL;
}

static char *parse_ports(const char *text, uint16_t *range)
{
	const char *dash = strchr(text, '-');
	uint64_t lo, hi;
	char *first = dash ? g_strndup(text, (size_t)(dash - text)) : NULL;
	bool ok = first && units_parse_uint(first, 1, 65535, &lo, NULL) &&
	          units_parse_uint(dash + 1, 1, 65535, &hi, NULL) && lo <= hi;
	g_free(first);
	if (!ok)
		return g_strdup("expected a port range LO-HI such as 32768-60999 (1 to 65535, LO <= HI)");
	range[0] = (uint16_t)lo;
	range[1] = (uint16_t)hi;
	return NULL;
}

uint8_t cfg_default_prefix(uint32_t addr)
{
	return (addr >> 24) == 127 ? 8 : 24;
}

/* The prefix length after '/', up to the ':' of a port (or the end). */
static bool parse_prefix(const char *slash, const char *colon, uint8_t *prefix)
{
	char *digits = colon ? g_strndup(slash + 1, (size_t)(colon - slash - 1)) : g_strdup(slash + 1);
	uint64_t bits = 0;
	bool ok = *digits && units_parse_uint(digits, 0, 32, &bits, NULL);

	g_free(digits);
	*prefix = (uint8_t)bits;
	return ok;
}

/* ADDRESS[/PREFIX][:PORT]: the prefix belongs to the address (as in
 * `ip addr add 10.0.0.2/24`), the port comes last. */
static char *parse_address(const struct config_key *k, const char *text, struct endpoint_config *ep)
{
	const char *colon = strchr(text, ':');
	const char *slash = strchr(text, '/');
	const char *end = slash ? slash : colon;
	char *host = end ? g_strndup(text, (size_t)(end - text)) : g_strdup(text);
	struct in_addr a;
	uint64_t port = 0;
	uint8_t prefix = 0;
	bool ok = inet_pton(AF_INET, host, &a) == 1;

	g_free(host);
	if (slash && colon && slash > colon)
		return g_strdup("expected ADDRESS/PREFIX:PORT such as 10.0.0.2/24:8080: the prefix "
		                "goes with the address, before the port");
	if (!ok)
		return g_strdup(k->flags & CONFIG_KEY_PORT_REQUIRED ? "expected ADDRESS:PORT such as 10.0.0.2:8080"
		                                             : "expected an IPv4 address such as 10.0.0.1");
	if (!is_unicast(ntohl(a.s_addr)))
		return g_strdup("expected a host address (not 0.0.0.0, multicast or broadcast)");
	if (slash && !parse_prefix(slash, colon, &prefix))
		return g_strdup("expected a prefix length between 0 and 32 after '/' (10.0.0.1/24)");
	if (colon && !units_parse_uint(colon + 1, 1, 65535, &port, NULL))
		return g_strdup("expected a port between 1 and 65535 after ':'");
	if (!colon && (k->flags & CONFIG_KEY_PORT_REQUIRED))
		return g_strdup("expected ADDRESS:PORT: the server needs the port it listens on");
	ep->addr = ntohl(a.s_addr);
	ep->port = (uint16_t)port;
	ep->prefix = slash ? prefix : cfg_default_prefix(ep->addr);
	return NULL;
}

static char *parse_script(const char *text, struct script *field)
{
	struct script s;
	char *why = NULL;

	if (!script_parse(text, &s, &why))
		return why;
	script_clear(field);
	*field = s;
	return NULL;
}

char *cfg_parse_script_at(const struct config_key *k, const char *text, void *target, uint32_t *line,
                          uint32_t *column)
{
	struct script s;
	char *why = NULL;

	g_assert(k->type == CONFIG_KEY_SCRIPT);
	if (!script_parse_at(text, &s, line, column, &why))
		return why;
	struct script *field = (struct script *)((char *)target + k->offset);
	script_clear(field);
	*field = s;
	return NULL;
}

static char *parse_repeat(const struct config_key *k, const char *text, uint64_t *field)
{
	uint64_t v;

	if (strcmp(text, "forever") == 0) {
		*field = 0;
		return NULL;
	}
	if (!units_parse_uint(text, 0, UINT64_MAX, &v, NULL) || v < k->min)
		return g_strdup("expected a number of connections (at least 1) or forever");
	*field = v;
	return NULL;
}

/* Parses text (already stripped) into the key's field of target; returns
 * NULL or what was expected (to free). */
char *cfg_parse_value(const struct config_key *k, const char *text, void *target)
{
	void *field = (char *)target + k->offset;
	const char *why = NULL;

	g_assert(k->size == type_size(k));
	switch (k->type) {
	case CONFIG_KEY_UINT:
	case CONFIG_KEY_UINT64:
		return parse_uint(k, text, field);
	case CONFIG_KEY_INT:
		return parse_int(k, text, field);
	case CONFIG_KEY_BYTES:
		return parse_bytes(k, text, field);
	case CONFIG_KEY_DURATION:
		return parse_duration(k, text, field);
	case CONFIG_KEY_BOOL:
		return units_parse_bool(text, field, &why) ? NULL : g_strdup(why);
	case CONFIG_KEY_PROBABILITY:
		return units_parse_probability(text, field, &why) ? NULL : g_strdup(why);
	case CONFIG_KEY_POSITIVE:
		return parse_positive(text, field);
	case CONFIG_KEY_BANDWIDTH:
		return units_parse_bandwidth(text, field, &why) ? NULL : g_strdup(why);
	case CONFIG_KEY_CHOICE:
		return parse_choice(k, text, field);
	case CONFIG_KEY_PROFILE:
		return parse_profile(text, field);
	case CONFIG_KEY_PATH:
		return parse_path(text, field);
	case CONFIG_KEY_ADDRESS:
		return parse_address(k, text, field);
	case CONFIG_KEY_IPV4:
		return parse_ipv4(text, field);
	case CONFIG_KEY_PORTS:
		return parse_ports(text, field);
	case CONFIG_KEY_SCRIPT:
		return parse_script(text, field);
	case CONFIG_KEY_REPEAT:
		return parse_repeat(k, text, field);
	case CONFIG_KEY_NETEM: {
		char *err = NULL;
		return netem_parse(text, field, &err) ? NULL : err;
	}
	}
	g_assert_not_reached();
}

/* ---- formatting (the reference, relation messages) ---- */

static void format_bandwidth(GString *out, uint64_t bps)
{
	static const struct { const char *unit; uint64_t mult; } units[] = {
		{ "Gbit", 1000000000 }, { "Mbit", 1000000 }, { "kbit", 1000 }, { "bit", 1 },
	};
	size_t i = 0;

	if (bps == 0) {
		g_string_append(out, "0");
		return;
	}
	while (bps % units[i].mult)
		i++;
	g_string_append_printf(out, "%" G_GUINT64_FORMAT "%s", bps / units[i].mult, units[i].unit);
}

static void format_choice(GString *out, const struct config_key *k, const void *field)
{
	int v = k->size == sizeof(bool) ? *(const bool *)field : *(const int *)field;

	for (const struct config_choice *ch = k->choices; ch->word; ch++)
		if (ch->value == v) {
			g_string_append(out, ch->word);
			return;
		}
	g_string_append_printf(out, "%d", v);
}

void cfg_format_address(GString *out, const struct endpoint_config *ep)
{
	g_string_append_printf(out, "%u.%u.%u.%u", ep->addr >> 24, (ep->addr >> 16) & 0xff,
	                       (ep->addr >> 8) & 0xff, ep->addr & 0xff);
	if (ep->prefix != cfg_default_prefix(ep->addr))
		g_string_append_printf(out, "/%u", ep->prefix);
	if (ep->port)
		g_string_append_printf(out, ":%u", ep->port);
}

/* Appends the value of the key's field in target, as a config would write it. */
void cfg_format_value(GString *out, const struct config_key *k, const void *target)
{
	const void *field = (const char *)target + k->offset;
	char buf[40];

	g_assert(k->size == type_size(k));
	switch (k->type) {
	case CONFIG_KEY_UINT:
	case CONFIG_KEY_BYTES:
		g_string_append_printf(out, "%u", *(const uint32_t *)field);
		break;
	case CONFIG_KEY_INT:
		g_string_append_printf(out, "%d", *(const int32_t *)field);
		break;
	case CONFIG_KEY_UINT64:
		g_string_append_printf(out, "%" G_GUINT64_FORMAT, *(const uint64_t *)field);
		break;
	case CONFIG_KEY_DURATION:
		g_string_append(out, units_format_duration(*(const sim_time *)field, buf, sizeof buf));
		break;
	case CONFIG_KEY_BOOL:
		g_string_append(out, *(const bool *)field ? "true" : "false");
		break;
	case CONFIG_KEY_PROBABILITY:
	case CONFIG_KEY_POSITIVE:
		g_string_append_printf(out, "%g", *(const double *)field);
		break;
	case CONFIG_KEY_BANDWIDTH:
		format_bandwidth(out, *(const uint64_t *)field);
		break;
	case CONFIG_KEY_CHOICE:
		format_choice(out, k, field);
		break;
	case CONFIG_KEY_PROFILE:
	case CONFIG_KEY_PATH:
		g_string_append(out, *(char *const *)field ? *(char *const *)field : "");
		break;
	case CONFIG_KEY_ADDRESS:
		cfg_format_address(out, field);
		break;
	case CONFIG_KEY_IPV4: {
		uint32_t addr = *(const uint32_t *)field;
		struct endpoint_config ep = {.addr = addr, .prefix = cfg_default_prefix(addr)};
		cfg_format_address(out, &ep);
		break;
	}
	case CONFIG_KEY_PORTS:
		g_string_append_printf(out, "%u-%u", ((const uint16_t *)field)[0], ((const uint16_t *)field)[1]);
		break;
	case CONFIG_KEY_SCRIPT:
		break; /* no default: required */
	case CONFIG_KEY_REPEAT:
		if (*(const uint64_t *)field == 0)
			g_string_append(out, "forever");
		else
			g_string_append_printf(out, "%" G_GUINT64_FORMAT, *(const uint64_t *)field);
		break;
	case CONFIG_KEY_NETEM:
		netem_format(field, out, NULL);
		break;
	}
}
