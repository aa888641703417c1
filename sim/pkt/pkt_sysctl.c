/*
 * The system under test's settings, both ways: a script's `sysctl`
 * command becomes a tcpsim setting of the endpoint ([client.tcp] KEY), and
 * an exported run writes its endpoint's settings that differ from the
 * profile's, as sysctl commands where Linux has one and as tcpsim --set
 * options for the replay where it has none.
 *
 * Linux's names (Documentation/networking/ip-sysctl.rst); the times are
 * in seconds there.
 */
#include <stdio.h>
#include <string.h>
#include "models/tcp_params.h"
#include "sim/config/keys.h"
#include "sim/pkt/pkt_runner.h"

enum unit { NUMBER, SECONDS, BOOLEAN };

static const struct {
	const char *sysctl;
	const char *key;     /* the tcpsim key ([tcp], [client.tcp]) */
	enum unit unit;
} sysctls[] = {
	{"net.ipv4.tcp_syn_retries", "syn_retries", NUMBER},
	{"net.ipv4.tcp_synack_retries", "synack_retries", NUMBER},
	{"net.ipv4.tcp_retries2", "retries2", NUMBER},
	{"net.ipv4.tcp_orphan_retries", "orphan_retries", NUMBER},
	{"net.ipv4.tcp_fin_timeout", "fin_timeout", SECONDS},
	{"net.ipv4.tcp_keepalive_time", "keepalive_idle", SECONDS},
	{"net.ipv4.tcp_keepalive_intvl", "keepalive_intvl", SECONDS},
	{"net.ipv4.tcp_keepalive_probes", "keepalive_probes", NUMBER},
	{"net.ipv4.tcp_timestamps", "timestamps", BOOLEAN},
	{"net.ipv4.tcp_window_scaling", "window_scaling", BOOLEAN},
	{"net.ipv4.tcp_sack", "sack", BOOLEAN},
	{"net.ipv4.tcp_rfc1337", "rfc1337", BOOLEAN},
	{"net.ipv4.ip_default_ttl", "ttl", NUMBER},
};

/* tcp_rmem and tcp_wmem: "MIN DEFAULT MAX" bytes.  The window scale a
 * Linux host offers follows from the largest receive buffer
 * (tcp_select_initial_window(): the shift that brings max(tcp_rmem[2],
 * rmem_max) under 65535), and a socket's send buffer starts at
 * tcp_wmem[1]. */
static char *buffer_setting(const char *name, const char *value)
{
	unsigned long long v[3];
	char **w = g_strsplit_set(value, " \t", -1);
	guint n = 0;
	bool ok = true;
	for (char **p = w; *p && ok; p++) {
		if (!**p)
			continue;
		char *end;
		unsigned long long x = g_ascii_strtoull(*p, &end, 10);
		ok = !*end && n < 3;
		if (ok)
			v[n++] = x;
	}
	g_strfreev(w);
	if (!ok || n != 3)
		return NULL;
	if (strstr(name, "tcp_wmem"))
		return g_strdup_printf("sndbuf=%llu", v[1]);
	unsigned shift = 0;
	for (unsigned long long space = v[2]; space > 65535 && shift < 14; space >>= 1)
		shift++;
	return g_strdup_printf("wscale=%u", shift);
}

/* "name=value" of a sysctl command as a tcpsim setting ("syn_retries=2"). */
static char *setting_of(const char *assignment)
{
	const char *eq = strchr(assignment, '=');
	if (!eq)
		return NULL;
	if (g_str_has_prefix(assignment, "net.ipv4.tcp_rmem=") || g_str_has_prefix(assignment, "net.ipv4.tcp_wmem="))
		return buffer_setting(assignment, eq + 1);
	char *name = g_strndup(assignment, (size_t)(eq - assignment));
	char *setting = NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(sysctls) && !setting; i++) {
		if (strcmp(name, sysctls[i].sysctl) != 0 && strcmp(name, sysctls[i].sysctl + 5) != 0)
			continue; /* "net.ipv4.x" or "ipv4.x" */
		char *end;
		long long v = g_ascii_strtoll(eq + 1, &end, 10);
		if (end == eq + 1 || *end || v < 0)
			break;
		setting = sysctls[i].unit == SECONDS   ? g_strdup_printf("%s=%llds", sysctls[i].key, v)
		          : sysctls[i].unit == BOOLEAN ? g_strdup_printf("%s=%s", sysctls[i].key, v ? "true" : "false")
		                                       : g_strdup_printf("%s=%lld", sysctls[i].key, v);
	}
	g_free(name);
	return setting;
}

bool pkt_sysctl_settings(const char *command, GPtrArray *settings, char **why)
{
	char **w = NULL;
	bool ok = g_shell_parse_argv(command, NULL, &w, NULL) && strcmp(w[0], "sysctl") == 0;
	bool any = false;
	for (char **a = w && ok ? w + 1 : NULL; a && *a && ok; a++) {
		if (strcmp(*a, "-q") == 0 || strcmp(*a, "-w") == 0 || strcmp(*a, "-e") == 0)
			continue;
		char *s = setting_of(*a);
		ok = s != NULL;
		if (s)
			g_ptr_array_add(settings, s);
		any = true;
	}
	if (!ok || !any)
		*why = g_strdup_printf("shell command `%s`", command);
	g_strfreev(w);
	return ok && any;
}

/* A key's value as the config writes it. */
static char *value_text(const struct config_key *k, const void *field)
{
	switch (k->type) {
	case CONFIG_KEY_UINT: case CONFIG_KEY_BYTES: return g_strdup_printf("%u", *(const uint32_t *)field);
	case CONFIG_KEY_UINT64: return g_strdup_printf("%llu", (unsigned long long)*(const uint64_t *)field);
	case CONFIG_KEY_DURATION: return g_strdup_printf("%lldns", (long long)*(const sim_time *)field);
	case CONFIG_KEY_BOOL: return g_strdup(*(const bool *)field ? "true" : "false");
	case CONFIG_KEY_CHOICE:
		for (const struct config_choice *c = k->choices; c && c->word; c++)
			if ((k->size == sizeof(bool) ? (int)*(const bool *)field : *(const int *)field) == c->value)
				return g_strdup(c->word);
		return NULL;
	case CONFIG_KEY_PROBABILITY: case CONFIG_KEY_POSITIVE: case CONFIG_KEY_BANDWIDTH:
	case CONFIG_KEY_PROFILE: case CONFIG_KEY_PATH: case CONFIG_KEY_ADDRESS: case CONFIG_KEY_IPV4:
	case CONFIG_KEY_PORTS: case CONFIG_KEY_SCRIPT: case CONFIG_KEY_REPEAT:
		return NULL;
	}
	return NULL;
}

static const char *sysctl_of(const char *key, enum unit *unit)
{
	for (size_t i = 0; i < G_N_ELEMENTS(sysctls); i++)
		if (strcmp(key, sysctls[i].key) == 0) {
			*unit = sysctls[i].unit;
			return sysctls[i].sysctl;
		}
	return NULL;
}

void pkt_settings_diff(const struct tcp_params *have, const char *profile, GPtrArray *sets,
                       GPtrArray *sysctl_lines)
{
	struct tcp_params base;
	if (!tcp_profile_get(profile, &base))
		return;
	tcp_params_apply_floors(&base);
	size_t n;
	const struct config_key *keys = config_keys(&n);
	for (size_t i = 0; i < n; i++) {
		const struct config_key *k = &keys[i];
		if (k->group != CONFIG_GROUP_TCP)
			continue;
		const char *a = (const char *)have + k->offset, *b = (const char *)&base + k->offset;
		if (memcmp(a, b, k->size) == 0)
			continue;
		char *v = value_text(k, a);
		if (!v)
			continue;
		enum unit unit;
		const char *name = sysctl_of(k->name, &unit);
		sim_time t = unit == SECONDS ? *(const sim_time *)a : 0;
		if (name && t % (1000 * SIM_MS) == 0) { /* what Linux can be told */
			long long x = unit == SECONDS ? (long long)(t / (1000 * SIM_MS))
			              : unit == BOOLEAN ? (long long)*(const bool *)a
			                                : (long long)*(const uint32_t *)a;
			g_ptr_array_add(sysctl_lines, g_strdup_printf("%s=%lld", name, x));
		} else {
			g_ptr_array_add(sets, g_strdup_printf("%s=%s", k->name, v));
		}
		g_free(v);
	}
}
