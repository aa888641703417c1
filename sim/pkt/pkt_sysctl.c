/*
 * The system under test's settings, both ways: a script's `sysctl`
 * command becomes a tcpsim setting of the endpoint ([client.tcp] KEY), and
 * an exported run writes its endpoint's settings that differ from the
 * profile's, as sysctl commands where Linux has one and as tcpsim --set
 * options for the replay where it has none.
 *
 * Linux's names (Documentation/networking/ip-sysctl.rst); the times are
 * in seconds there (tcp_tw_reuse_delay in milliseconds).  FreeBSD's
 * (tcp(4), sys/netinet/tcp_subr.c, tcp_timer.c), which the FreeBSD TCP
 * test suite sets before each script, are read too; their times are in
 * milliseconds.  An export writes Linux's names only.
 */
#include <stdio.h>
#include <string.h>
#include "models/tcp_params.h"
#include "sim/config/keys.h"
#include "sim/pkt/pkt_runner.h"

enum unit { NUMBER, SECONDS, MILLISECONDS, TWICE_MILLISECONDS, BOOLEAN, TLP_MODE, ECN_MODE, RACK_MODE,
            CC_NAME /* a congestion control's name (tcp_cc_names[]) */ };

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
	{"net.ipv4.tcp_dsack", "dsack", BOOLEAN},
	{"net.ipv4.tcp_rfc1337", "rfc1337", BOOLEAN},
	{"net.ipv4.ip_default_ttl", "ttl", NUMBER},
	/* 3 or 4 turn the tail loss probe on, 0-2 off (ip-sysctl.rst,
	 * tcp_schedule_loss_probe()) */
	{"net.ipv4.tcp_early_retrans", "tlp", TLP_MODE},
	/* a bit mask: 1 RACK (TCP_RACK_LOSS_DETECTION); its other bits
	 * (static reordering window, no duplicate threshold) are not
	 * modelled, so refused */
	{"net.ipv4.tcp_recovery", "rack", RACK_MODE},
	{"net.ipv4.tcp_tw_reuse", "tw_reuse", NUMBER},
	{"net.ipv4.tcp_tw_reuse_delay", "tw_reuse_delay", MILLISECONDS},
	{"net.ipv4.tcp_congestion_control", "congestion_control", CC_NAME},
	{"net.ipv4.tcp_slow_start_after_idle", "slow_start_after_idle", BOOLEAN},
	{"net.ipv4.tcp_ecn", "ecn", ECN_MODE},
	{"net.ipv4.tcp_limit_output_bytes", "limit_output_bytes", NUMBER},
};

/* FreeBSD's, read only (tcp(4)); net.inet.tcp.rfc1323 is rfc1323_setting()'s. */
static const struct {
	const char *sysctl;
	const char *key;
	enum unit unit;
} bsd_sysctls[] = {
	{"net.inet.tcp.sack.enable", "sack", BOOLEAN},
	{"net.inet.tcp.recvspace", "rcvbuf", NUMBER},   /* a new socket's so_rcv.sb_hiwat */
	{"net.inet.tcp.sendspace", "sndbuf", NUMBER},   /* and so_snd.sb_hiwat */
	{"net.inet.tcp.rexmit_initial", "rto_initial", MILLISECONDS}, /* the SYN's RTO and
	                                                  any before an RTT sample (tcp_timer.c) */
	{"net.inet.tcp.rexmit_min", "rto_min", MILLISECONDS},
	{"net.inet.tcp.keepinit", "connect_timeout", MILLISECONDS},
	{"net.inet.tcp.keepidle", "keepalive_idle", MILLISECONDS},
	{"net.inet.tcp.keepintvl", "keepalive_intvl", MILLISECONDS},
	{"net.inet.tcp.keepcnt", "keepalive_probes", NUMBER},
	{"net.inet.tcp.finwait2_timeout", "fin_timeout", MILLISECONDS},
	{"net.inet.tcp.delacktime", "delayed_ack", MILLISECONDS},
	{"net.inet.tcp.msl", "time_wait", TWICE_MILLISECONDS}, /* TIME_WAIT lasts 2 MSL */
	{"net.inet.tcp.initcwnd_segments", "init_cwnd", NUMBER},
	{"net.inet.tcp.syncache.rexmtlimit", "synack_retries", NUMBER},
	{"net.inet.ip.ttl", "ttl", NUMBER},
	{"net.inet.tcp.cc.algorithm", "congestion_control", CC_NAME},
	{"net.inet.tcp.insecure_rst", "insecure_rst", BOOLEAN},
	{"net.inet.tcp.insecure_syn", "insecure_syn", BOOLEAN},
	{"net.inet.tcp.drop_synfin", "drop_synfin", BOOLEAN},
	{"net.inet.tcp.rexmit_drop_options", "rexmit_drop_options", BOOLEAN},
	{"net.inet.tcp.icmp_may_rst", "icmp_may_rst", BOOLEAN},
	{"net.inet.tcp.ecn.enable", "ecn", ECN_MODE},
	{"net.inet.tcp.ecn.maxretries", "ecn_syn_retries", NUMBER},
};

/* Sysctls with no tcpsim setting whose value the model already follows:
 * accepted as no-ops, each with why.  A value the model does not follow
 * is refused (UNSUPPORTED), never ignored.  `default_of`: the value is
 * that profile's stack's default, which every script run under the
 * profile meets whether it says so or not; where the model falls short of
 * it (README "Limits"), it does so for all of them alike, so restating it
 * changes nothing.  Under another profile such a value is refused. */
#define LINUX_DEFAULT "linux"
#define BSD_DEFAULT "bsd"
static const struct noop {
	const char *sysctl;
	const char *values;      /* accepted values, space-separated; "*": any */
	const char *default_of;  /* NULL, or the profile whose stack's default it is */
	const char *why;
} noops[] = {
	{"net.ipv4.tcp_frto", "0", NULL, "no F-RTO: after an RTO the model resends from SND.UNA"},
	{"net.ipv4.tcp_frto", "2", LINUX_DEFAULT, "F-RTO (RFC 5682): Linux's default; the model has none"},
	{"net.ipv4.tcp_reordering", "3", NULL, "the model's duplicate-ACK threshold is 3 (RFC 5681)"},
	{"net.ipv4.tcp_fack", "0 1", NULL, "no effect since Linux 4.15 (ip-sysctl.rst: legacy)"},
	{"net.ipv4.tcp_tso_win_divisor", "3", LINUX_DEFAULT, "Linux's default; the model has no TSO to defer"},
	{"net.ipv4.tcp_min_tso_segs", "2", LINUX_DEFAULT, "Linux's default; the model sends one segment per packet"},
	{"net.ipv4.tcp_pacing_ss_ratio", "*", NULL,
	 "pacing needs the fq qdisc or BBR: the scripted wire is FIFO and the model never paces"},
	{"net.ipv4.tcp_pacing_ca_ratio", "*", NULL,
	 "pacing needs the fq qdisc or BBR: the scripted wire is FIFO and the model never paces"},
	{"net.ipv4.tcp_notsent_lowat", "4294967295 -1", NULL,
	 "no limit on unsent data, as the model (no TCP_NOTSENT_LOWAT)"},
	{"net.ipv4.tcp_fastopen_key", "*", NULL,
	 "Fast Open only: the runner refuses its options and calls (sendto, TCP_FASTOPEN*)"},
	{"net.ipv4.tcp_syncookies", "1", LINUX_DEFAULT,
	 "Linux's default: cookies only past a full SYN queue, which the model does not bound"},
	{"net.mptcp.enabled", "*", NULL, "MPTCP is only for IPPROTO_MPTCP sockets, which the runner refuses"},
	/* FreeBSD's (tcp(4)) */
	{"net.inet.tcp.hostcache.purgenow", "0 1", NULL,
	 "the model keeps no host cache: every connection starts from the profile (no cached "
	 "RTT, ssthresh or MTU)"},
	{"net.inet.tcp.blackhole", "0", NULL,
	 "a segment to a closed port is answered with a reset, as the model answers it"},
	{"net.inet.tcp.rexmit_slop", "200", BSD_DEFAULT,
	 "FreeBSD's default (TCPTV_CPU_VAR) added to each RTO (TCPT_RANGESET()); the model's "
	 "RTO has no slop"},
};

/* tcp_fastopen's bits (include/net/tcp.h): 0x1 client, 0x2 server, 0x4
 * client without a cookie, 0x400 every listener, others unknown upstream.
 * Without a Fast Open option, sendto(MSG_FASTOPEN) or TCP_FASTOPEN*,
 * which the runner refuses, none changes anything; but 0x200
 * (TFO_SERVER_COOKIE_NOT_REQD) makes any SYN carrying data a Fast Open
 * one, which the model has not. */
static bool fastopen_noop(const char *value, char **why)
{
	char *end;
	unsigned long long v = g_ascii_strtoull(value, &end, 0);
	if (end == value || *end) {
		*why = g_strdup_printf("net.ipv4.tcp_fastopen=%s: not a number", value);
		return false;
	}
	if (v & 0x200) {
		*why = g_strdup_printf("net.ipv4.tcp_fastopen=%s: 0x200 takes data in a SYN without a "
		                       "cookie (TCP Fast Open, which the model has not)", value);
		return false;
	}
	return true;
}

static bool same_value(const char *want, const char *have)
{
	char *e1, *e2;
	long long a = g_ascii_strtoll(want, &e1, 0), b = g_ascii_strtoll(have, &e2, 0);
	if (e1 != want && !*e1 && e2 != have && !*e2)
		return a == b;
	return strcmp(want, have) == 0;
}

/* Is `profile` (NULL: linux) the one named, or one of its variants? */
static bool profile_is(const char *profile, const char *name)
{
	return g_str_has_prefix(profile ? profile : "linux", name);
}

/* true when name=value is a no-op; false with *why when the name is one
 * of the table's and the value is not; false with *why NULL when the
 * table does not know the name. */
static bool noop_of(const char *name, const char *value, const char *profile, char **why)
{
	if (strcmp(name, "net.ipv4.tcp_fastopen") == 0)
		return fastopen_noop(value, why);
	GString *follows = NULL; /* what the model follows, for the message */
	for (size_t i = 0; i < G_N_ELEMENTS(noops); i++) {
		if (strcmp(noops[i].sysctl, name) != 0)
			continue;
		if (!follows)
			follows = g_string_new(NULL);
		else
			g_string_append(follows, "; ");
		g_string_append_printf(follows, "%s (%s", noops[i].values, noops[i].why);
		if (noops[i].default_of)
			g_string_append_printf(follows, ", under the %s profile", noops[i].default_of);
		g_string_append_c(follows, ')');
		if (noops[i].default_of && !profile_is(profile, noops[i].default_of))
			continue;
		char **v = g_strsplit(noops[i].values, " ", -1);
		bool hit = strcmp(noops[i].values, "*") == 0;
		for (char **p = v; *p && !hit; p++)
			hit = same_value(*p, value);
		g_strfreev(v);
		if (hit) {
			g_string_free(follows, TRUE);
			return true;
		}
	}
	if (follows)
		*why = g_strdup_printf("%s=%s: not a value the model follows (no such setting); it follows %s",
		                       name, value, follows->str);
	if (follows)
		g_string_free(follows, TRUE);
	return false;
}

/* tcp_rmem and tcp_wmem: "MIN DEFAULT MAX" bytes.  The window scale a
 * Linux host offers follows from the largest receive buffer
 * (tcp_select_initial_window(): the shift that brings max(tcp_rmem[2],
 * rmem_max) under 65535), and receive autotuning grows the buffer up to
 * tcp_rmem[2] (rmem_max); a socket's send buffer starts at tcp_wmem[1]
 * and grows up to tcp_wmem[2] (sndbuf, wmem_max).  tcp_rmem[1], the
 * receive buffer, is not applied: the profile's keeps the first window
 * nearest Linux's (README "Limits"). */
static bool buffer_settings(const char *name, const char *value, GPtrArray *settings)
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
		return false;
	if (strstr(name, "tcp_wmem")) {
		g_ptr_array_add(settings, g_strdup_printf("sndbuf=%llu", v[1]));
		g_ptr_array_add(settings, g_strdup_printf("wmem_max=%llu", v[2]));
		return true;
	}
	g_ptr_array_add(settings, g_strdup_printf("wscale=%u", tcp_wscale_for_space(v[2])));
	g_ptr_array_add(settings, g_strdup_printf("rmem_max=%llu", v[2]));
	return true;
}

/* `value` in `unit` as the setting of `key` ("syn_retries=2"); NULL when
 * it is no number of that unit. */
static char *setting_in(const char *key, enum unit unit, const char *value)
{
	enum tcp_cc_algo algo;
	if (unit == CC_NAME)
		return tcp_cc_from_name(value, &algo) ? g_strdup_printf("%s=%s", key, value) : NULL;
	char *end;
	long long v = g_ascii_strtoll(value, &end, 10);
	/* ECN: 0 off, 1 ask, 2 answer; 3 and up are Accurate ECN's, which the
	 * model has not.  tcp_recovery: bit 1 RACK; bits 2 and 4 are not modelled */
	if (end == value || *end || v < 0 || (unit == TLP_MODE && v > 4) || (unit == ECN_MODE && v > 2) ||
	    (unit == RACK_MODE && v > 1))
		return NULL;
	switch (unit) {
	case SECONDS: return g_strdup_printf("%s=%llds", key, v);
	case MILLISECONDS: return g_strdup_printf("%s=%lldms", key, v);
	case TWICE_MILLISECONDS: return g_strdup_printf("%s=%lldms", key, 2 * v);
	case BOOLEAN:
	case RACK_MODE: return g_strdup_printf("%s=%s", key, v ? "true" : "false");
	case TLP_MODE: return g_strdup_printf("%s=%s", key, v >= 3 ? "true" : "false");
	case NUMBER: case ECN_MODE: return g_strdup_printf("%s=%lld", key, v);
	case CC_NAME: break; /* above */
	}
	return NULL;
}

/* "name=value" of a sysctl command as a tcpsim setting ("syn_retries=2"). */
static char *setting_of(const char *assignment)
{
	const char *eq = strchr(assignment, '=');
	if (!eq)
		return NULL;
	char *name = g_strndup(assignment, (size_t)(eq - assignment));
	char *setting = NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(sysctls) && !setting; i++)
		if (strcmp(name, sysctls[i].sysctl) == 0 || strcmp(name, sysctls[i].sysctl + 5) == 0)
			setting = setting_in(sysctls[i].key, sysctls[i].unit, eq + 1); /* "net.ipv4.x" or "ipv4.x" */
	for (size_t i = 0; i < G_N_ELEMENTS(bsd_sysctls) && !setting; i++)
		if (strcmp(name, bsd_sysctls[i].sysctl) == 0)
			setting = setting_in(bsd_sysctls[i].key, bsd_sysctls[i].unit, eq + 1);
	g_free(name);
	return setting;
}

/* Does `assignment` name a congestion control (net.ipv4.tcp_congestion_control,
 * net.inet.tcp.cc.algorithm)? */
static bool names_cc(const char *assignment)
{
	size_t n = strcspn(assignment, "=");
	for (size_t i = 0; i < G_N_ELEMENTS(sysctls); i++)
		if (sysctls[i].unit == CC_NAME && strlen(sysctls[i].sysctl) == n &&
		    strncmp(assignment, sysctls[i].sysctl, n) == 0)
			return true;
	for (size_t i = 0; i < G_N_ELEMENTS(bsd_sysctls); i++)
		if (bsd_sysctls[i].unit == CC_NAME && strlen(bsd_sysctls[i].sysctl) == n &&
		    strncmp(assignment, bsd_sysctls[i].sysctl, n) == 0)
			return true;
	return false;
}

/* FreeBSD's net.inet.tcp.rfc1323 (tcp_subr.c V_tcp_do_rfc1323): 0 offers
 * neither RFC 7323 option, 1 both, 2 window scaling only, 3 timestamps
 * only.  Adds the two settings; false for another value. */
static bool rfc1323_settings(const char *value, GPtrArray *settings)
{
	char *end;
	long long v = g_ascii_strtoll(value, &end, 10);
	if (end == value || *end || v < 0 || v > 3)
		return false;
	g_ptr_array_add(settings, g_strdup_printf("window_scaling=%s", v == 1 || v == 2 ? "true" : "false"));
	g_ptr_array_add(settings, g_strdup_printf("timestamps=%s", v == 1 || v == 3 ? "true" : "false"));
	return true;
}

/* FreeBSD's kern.ipc.maxsockbuf (sb_max) sets the window scale a
 * connection asks for: the least shift that lets a window reach sb_max
 * (tcp_connect(), syncache_add(): while (TCP_MAXWIN << wscale < sb_max)
 * wscale++, at most 14).  Below the 64 KiB of a default buffer sbreserve()
 * would fail, which the model does not follow.  The model's cap of the
 * buffer rounded to whole segments stays 2 MiB (README). */
static bool maxsockbuf_setting(const char *value, GPtrArray *settings)
{
	char *end;
	unsigned long long v = g_ascii_strtoull(value, &end, 10);
	if (end == value || *end || v < 65536)
		return false;
	unsigned shift = 0;
	while (shift < 14 && (65535ull << shift) < v)
		shift++;
	g_ptr_array_add(settings, g_strdup_printf("wscale=%u", shift));
	return true;
}

/* A sysctl while the script runs changes the host's live defaults, as
 * FreeBSD's V_tcp_* and Linux's net->ipv4.sysctl_* are global: a socket
 * made afterwards copies them, and a connection or listener without
 * options of its own reads them when it next uses them (FreeBSD's
 * TP_KEEPIDLE(), TP_KEEPINIT() read the global unless the socket set its
 * own; its buffers and TF_SACK_PERMIT, fixed at socket creation, an
 * existing connection would keep: README says so); a socket that set an
 * option keeps its own copy. */
int pkt_settings_apply(struct tcp_params *p, GPtrArray *settings)
{
	size_t n;
	const struct config_key *keys = config_keys(&n);
	for (guint s = 0; s < settings->len; s++) {
		const char *set = settings->pdata[s];
		const char *eq = strchr(set, '=');
		const struct config_key *k = NULL;
		for (size_t i = 0; eq && i < n && !k; i++)
			if (keys[i].group == CONFIG_GROUP_TCP && strlen(keys[i].name) == (size_t)(eq - set) &&
			    strncmp(keys[i].name, set, (size_t)(eq - set)) == 0)
				k = &keys[i];
		char *err = k ? config_key_parse(k, eq + 1, p) : g_strdup("no such key");
		if (err) {
			g_free(err);
			return 1;
		}
	}
	tcp_params_apply_floors(p); /* as the loader does: a buffer below the floor is raised */
	return 0;
}

bool pkt_sysctl_assign(const char *assignment, const char *profile, GPtrArray *settings, char **why)
{
	*why = NULL;
	const char *eq = strchr(assignment, '=');
	if (!eq) {
		*why = g_strdup_printf("`%s`: a sysctl read, not set", assignment);
		return false;
	}
	if (g_str_has_prefix(assignment, "net.inet.tcp.rfc1323=")) {
		if (rfc1323_settings(eq + 1, settings))
			return true;
		*why = g_strdup_printf("%s: FreeBSD takes 0 (neither option), 1 (window scaling and "
		                       "timestamps), 2 (window scaling) or 3 (timestamps)", assignment);
		return false;
	}
	if (g_str_has_prefix(assignment, "kern.ipc.maxsockbuf=")) {
		if (maxsockbuf_setting(eq + 1, settings))
			return true;
		*why = g_strdup_printf("%s: below 65536 bytes, the default buffer FreeBSD could not "
		                       "reserve", assignment);
		return false;
	}
	bool buffers = g_str_has_prefix(assignment, "net.ipv4.tcp_rmem=") ||
	               g_str_has_prefix(assignment, "net.ipv4.tcp_wmem=");
	if (buffers && buffer_settings(assignment, eq + 1, settings))
		return true;
	char *s = setting_of(assignment);
	if (s) {
		g_ptr_array_add(settings, s);
		return true;
	}
	if (names_cc(assignment)) {
		*why = g_strdup_printf("%s: the model's congestion controls are cubic, reno and newreno",
		                       assignment);
		return false;
	}
	if (g_str_has_prefix(assignment, "net.ipv4.tcp_ecn=") || g_str_has_prefix(assignment, "net.inet.tcp.ecn.enable=")) {
		*why = g_strdup_printf("%s: the model takes 0 (no ECN), 1 (ask and answer) or 2 (answer); 3 "
		                       "and up are Accurate ECN's, which it has not", assignment);
		return false;
	}
	char *name = g_strndup(assignment, (size_t)(eq - assignment));
	if (!g_str_has_prefix(name, "net.") && !g_str_has_prefix(name, "kern.")) {
		/* "ipv4.x" as sysctl(8) also takes it */
		char *full = g_strconcat("net.", name, NULL);
		g_free(name);
		name = full;
	}
	bool ok = noop_of(name, eq + 1, profile, why);
	if (!ok && !*why)
		*why = g_strdup_printf("%s: no tcpsim setting for it", assignment);
	g_free(name);
	return ok;
}

/* A key's value as the config writes it. */
static char *value_text(const struct config_key *k, const void *field)
{
	switch (k->type) {
	case CONFIG_KEY_UINT: case CONFIG_KEY_BYTES: return g_strdup_printf("%u", *(const uint32_t *)field);
	case CONFIG_KEY_UINT64: return g_strdup_printf("%llu", (unsigned long long)*(const uint64_t *)field);
	case CONFIG_KEY_INT: return g_strdup_printf("%d", *(const int32_t *)field);
	case CONFIG_KEY_DURATION: return g_strdup_printf("%lldns", (long long)*(const sim_time *)field);
	case CONFIG_KEY_BOOL: return g_strdup(*(const bool *)field ? "true" : "false");
	case CONFIG_KEY_CHOICE:
		for (const struct config_choice *c = k->choices; c && c->word; c++)
			if ((k->size == sizeof(bool) ? (int)*(const bool *)field : *(const int *)field) == c->value)
				return g_strdup(c->word);
		return NULL;
	case CONFIG_KEY_PROBABILITY: case CONFIG_KEY_POSITIVE: case CONFIG_KEY_BANDWIDTH:
	case CONFIG_KEY_PROFILE: case CONFIG_KEY_PATH: case CONFIG_KEY_ADDRESS: case CONFIG_KEY_IPV4:
	case CONFIG_KEY_PORTS: case CONFIG_KEY_SCRIPT: case CONFIG_KEY_REPEAT: case CONFIG_KEY_NETEM:
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
	base.tso = false; /* what pkt runs with (pkt_run.c): a run's TSO is said */
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
		enum unit unit = NUMBER; /* sysctl_of() sets it only for a name it knows */
		const char *name = sysctl_of(k->name, &unit);
		sim_time t = unit == SECONDS || unit == MILLISECONDS ? *(const sim_time *)a : 0;
		sim_time grain = unit == MILLISECONDS ? SIM_MS : 1000 * SIM_MS;
		if (name && unit == CC_NAME) {
			g_ptr_array_add(sysctl_lines, g_strdup_printf("%s=%s", name, v));
		} else if (name && t % grain == 0) { /* what Linux can be told */
			long long x = unit == SECONDS || unit == MILLISECONDS ? (long long)(t / grain)
			              : unit == BOOLEAN || unit == RACK_MODE ? (long long)*(const bool *)a
			              : unit == TLP_MODE ? (*(const bool *)a ? 3 : 0) /* Linux's default, or off */
			                                 : (long long)*(const uint32_t *)a;
			g_ptr_array_add(sysctl_lines, g_strdup_printf("%s=%lld", name, x));
		} else {
			g_ptr_array_add(sets, g_strdup_printf("%s=%s", k->name, v));
		}
		g_free(v);
	}
}
