/*
 * The configuration of one run, read from an INI file with GKeyFile and
 * checked completely before anything runs.
 *
 * Precedence, lowest first: the OS profile named by [simulation] profile,
 * then [tcp], then [client.tcp] / [server.tcp], then --set overrides; for
 * the network, [network] then [network.client_to_server] /
 * [network.server_to_client].  Every key is declared once, in the key table
 * of keys.c (walked through sim/config/keys.h), with its type, range and
 * documentation; `tcpsim --help-config` prints that table.
 *
 * Errors are compiler-style and name the file, the line, the section and
 * key, and what was expected:
 *     configs/x.ini:12: [network] loss = 1.5: expected a probability between 0 and 1
 *     --set network.loss=1.5: [network] loss = 1.5: expected ...
 * They are returned as GError (domain CONFIG_ERROR) and mean exit status 2.
 */
#ifndef SIM_CONFIG_CONFIG_H
#define SIM_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "sim/engine/time.h"
#include "sim/sweep/sweep_grid.h"
#include "sim/explore/explore_spec.h"
#include "models/fault.h"
#include "models/link.h"
#include "sim/config/script.h"
#include "models/tcp_params.h"

#define CONFIG_ERROR (config_error_quark())
GQuark config_error_quark(void);
enum config_error_code {
	CONFIG_ERROR_FILE,    /* missing, unreadable, not an INI file */
	CONFIG_ERROR_UNKNOWN, /* unknown section or key */
	CONFIG_ERROR_VALUE,   /* wrong type, bad unit, out of range */
	CONFIG_ERROR_MISSING, /* a required key is absent */
	CONFIG_ERROR_STALLED, /* the scenario stops simulated time (see sim/engine/queue.h) */
};

enum capture_point { CAPTURE_CLIENT, CAPTURE_SERVER };

struct endpoint_config {
	uint32_t addr;          /* IPv4, host byte order */
	uint8_t prefix;         /* its subnet: prefix length, 0-32 (default 24; 8 in 127/8) */
	uint16_t port;          /* 0 = ephemeral (client) */
	struct script script;   /* the app's calls */
	uint64_t repeat;        /* times the script runs, one connection after
	                           another; 0 = forever */
	uint16_t ports[2];      /* ephemeral port range, inclusive (Linux 32768-60999) */
	struct tcp_params tcp;  /* profile + overrides */
};

/* A config file read once into memory.  A pipe or a process substitution
 * (`tcpsim <(gen.sh)`, `tcpsim /dev/stdin < x.ini`) can be read only once,
 * so every stage that needs the text (the [sweep] check, the loader and
 * its line scanner, each point of a sweep, the sweep's fingerprint) takes
 * it from here rather than opening the path again. */
struct config_source {
	char *path;             /* as given: messages name it */
	GBytes *text;           /* the bytes as read; NUL-terminated beyond its size */
};

struct config {
	char *path;             /* the INI file as given */
	struct config_source source; /* the text it was loaded from (shared, not copied) */
	char *name;             /* its base name without .ini: default output folder */
	uint64_t seed;          /* master seed */
	sim_time duration;      /* the run stops at this simulated time */
	sim_time omit;          /* the transfer metrics leave out what came before */
	char *profile;          /* OS profile name */
	bool pcap;              /* write trace.pcap */
	enum capture_point capture;
	bool ethernet;          /* Ethernet framing (else raw IPv4) */
	char *out_dir;          /* output folder, NULL = out/<name>/ */
	struct link_params c2s; /* client -> server direction */
	struct link_params s2c; /* server -> client direction */
	struct endpoint_config client;
	struct endpoint_config server;
	struct fault *faults;   /* [faults], in the order of the file */
	uint32_t n_faults;
	struct sweep_spec *sweep; /* [sweep] (sim/sweep/sweep_grid.h), NULL when absent */
	struct explore_spec *explore; /* [explore] (sim/explore/explore_spec.h), NULL when absent */
};

/* Reads the whole file at path into *src (CONFIG_ERROR_FILE "PATH: cannot
 * read: WHY" on failure, *src then left cleared). */
bool config_source_read(const char *path, struct config_source *src, GError **error);
void config_source_clear(struct config_source *src);
/* *dst shares the text of src (a reference, not a copy). */
void config_source_copy(struct config_source *dst, const struct config_source *src);

/* config_load and config_load_point from text already read; out->source
 * shares it. */
bool config_load_source(const struct config_source *src, const char *const *overrides,
                        struct config *out, GError **error);
bool config_load_point_source(const struct config_source *src, const char *const *overrides,
                              const char *const *point, struct config *out, GError **error);
/* config_load_source of src when it holds path (src may be NULL or
 * empty), else config_load of path: for callers that read the file
 * ahead, only when they could. */
bool config_load_with(const struct config_source *src, const char *path,
                      const char *const *overrides, struct config *out, GError **error);
/* config_has_sweep of text already read. */
bool config_source_has_sweep(const struct config_source *src);

/* Reads path, applies the overrides ("section.key=value" strings, may be
 * NULL) and fills *out.  On failure *out is left cleared. */
bool config_load(const char *path, const char *const *overrides, struct config *out,
                 GError **error);
void config_clear(struct config *c);

/* Whether the file has a [sweep] section, read without checking anything
 * else (false when it cannot be read): `tcpsim CONFIG.ini` runs a config
 * with a [sweep] as a sweep, and can tell before parsing its options. */
bool config_has_sweep(const char *path);

/* One point of a sweep: config_load, then the point's "SECTION.KEY=VALUE"
 * settings (after the overrides); [sweep] itself is not read (the sweep's
 * own config_load checked it) and out->sweep stays NULL.  A message about
 * a point's value names the [sweep] line it comes from. */
bool config_load_point(const char *path, const char *const *overrides, const char *const *point,
                       struct config *out, GError **error);

/* Writes the documentation of every section and key (for --help-config and
 * the README). */
void config_print_reference(GString *out);
/* Every "SECTION.KEY" a config or --set takes (the overriding sections'
 * too), for the shell completion; a NULL-terminated vector to g_strfreev. */
char **config_key_paths(void);
/* A sweep parameter's readable name for a figure's axis, from its key's
 * documentation, the key after it: "Probability a packet is lost
 * (network.loss)", "The MSS we announce (tcp.mss; bytes)"; NULL if path
 * is no SECTION.KEY.  No comma in it (metrics.csv is split on commas). */
char *config_param_title(const char *path);
/* How far `typed` is from `name` when it is a likely typo of it (one
 * edit for a name of up to 4 letters, two for a longer one; letters
 * compared without case), else SIZE_MAX: the measure of every "did you
 * mean" (sim/config/messages.c). */
size_t config_typo_distance(const char *typed, const char *name);

/* Writes the reference of the script language, both forms, every call and
 * constant (for --help-scripts; sim/config/script_help.c). */
void script_print_reference(GString *out);

#endif
