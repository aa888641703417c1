/*
 * The config keys, as data: every key of every section with its type,
 * range, default and documentation, declared once (in keys.c).
 *
 * Public so that code other than the loader (the stress generator, the
 * --help-config text, a future packetdrill runner) can walk the keys
 * rather than copy them:
 *
 *     size_t n;
 *     const struct config_key *k = config_keys(&n);
 *     for (size_t i = 0; i < n; i++)
 *             printf("[%s] %s\n", config_key_section(&k[i]), k[i].name);
 *
 * A key belongs to a group of keys, and every section that takes the
 * group takes it: [network] and the two directions that override it,
 * [tcp] and [client.tcp] / [server.tcp].  config_key_section names the
 * section that owns the group ([network], [tcp]...).  Sections whose keys
 * are free names ([faults], [sweep]) have no rows here.
 */
#ifndef SIM_CONFIG_KEYS_H
#define SIM_CONFIG_KEYS_H

#include <stddef.h>
#include <stdint.h>

/* The groups of keys; each is taken by one section and those overriding it. */
enum config_group {
	CONFIG_GROUP_SIMULATION, CONFIG_GROUP_LINK, CONFIG_GROUP_TCP, CONFIG_GROUP_CLIENT,
	CONFIG_GROUP_SERVER, CONFIG_GROUP_FAULTS, CONFIG_GROUP_SWEEP, CONFIG_GROUP_EXPLORE,
};

enum config_key_type {
	CONFIG_KEY_UINT,        /* uint32_t, decimal, in [min, max] */
	CONFIG_KEY_UINT64,      /* uint64_t, decimal, in [min, max] */
	CONFIG_KEY_BYTES,       /* uint32_t, a byte count with units, in [min, max] */
	CONFIG_KEY_DURATION,    /* sim_time with units, in [min, max] ns */
	CONFIG_KEY_BOOL,        /* bool */
	CONFIG_KEY_PROBABILITY, /* double in [0, 1], or a percentage */
	CONFIG_KEY_POSITIVE,    /* double > 0 */
	CONFIG_KEY_BANDWIDTH,   /* uint64_t bits per second, 0 = unlimited */
	CONFIG_KEY_CHOICE,      /* an enum (int) or bool field: one word of `choices` */
	CONFIG_KEY_PROFILE,     /* char *: a name of tcp_profile_names */
	CONFIG_KEY_PATH,        /* char *: a non-empty path */
	CONFIG_KEY_ADDRESS,     /* the whole struct endpoint_config: addr and port */
	CONFIG_KEY_IPV4,        /* uint32_t: an IPv4 host address */
	CONFIG_KEY_PORTS,       /* uint16_t[2]: a port range LO-HI */
	CONFIG_KEY_SCRIPT,      /* struct script */
	CONFIG_KEY_REPEAT,      /* uint64_t: a count >= 1, or forever = 0 */
	CONFIG_KEY_NETEM,       /* the whole struct link_params: netem's words (sim/config/netem.h) */
	CONFIG_KEY_INT,         /* int32_t, decimal with an optional sign, in [-min, max] */
};

#define CONFIG_KEY_REQUIRED      1u /* the section must have it */
#define CONFIG_KEY_PORT_REQUIRED 2u /* CONFIG_KEY_ADDRESS: ADDRESS:PORT, not a bare address */
#define CONFIG_KEY_FROM_SEED     4u /* a negative default: the world draws it from the seed */

struct config_choice {
	const char *word; /* as written in the config */
	int value;        /* stored in the field */
};

struct config_key {
	enum config_group group; /* the sections that take this key */
	const char *name;     /* as written in the config */
	enum config_key_type type;
	size_t offset;        /* of the field in the section's target struct (the loader's) */
	size_t size;          /* of the field: checked against the type */
	uint64_t min, max;    /* range of the integer and duration types */
	const struct config_choice *choices; /* CONFIG_KEY_CHOICE: ends with a NULL word */
	const char *def;      /* default as a config value; NULL: set by the group */
	unsigned flags;       /* CONFIG_KEY_REQUIRED, CONFIG_KEY_PORT_REQUIRED */
	const char *doc;      /* one sentence for config_print_reference */
};

/* Every key, in the order of the reference; *n gets their number. */
const struct config_key *config_keys(size_t *n);

/* The section that owns k's group ("network" for delay, "tcp" for mss);
 * the sections overriding it take the key too. */
const char *config_key_section(const struct config_key *k);

/* Parses text into k's field of target (a struct tcp_params for a TCP
 * key), as the loader would: NULL, or what was expected (to free).  For a
 * setting changed while a run goes on (a packetdrill script's sysctl). */
char *config_key_parse(const struct config_key *k, const char *text, void *target);

#endif
