/*
 * The configuration loader.
 *
 * Model.  Everything the loader knows is in two const tables.  `sections`
 * lists the INI sections: the group of keys each takes, the structs of
 * struct config it fills (its targets) and the section it overrides.
 * `keys` lists every key of every group: type, field, range, default and
 * documentation.  Parsing, validation, unknown-key detection and
 * config_print_reference all walk these tables, so a new section is one
 * row in `sections` (plus the rows of its keys).
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

enum group {
	GROUP_SIMULATION, GROUP_LINK, GROUP_TCP, GROUP_CLIENT, GROUP_SERVER, GROUP_FAULTS, GROUP_SWEEP,
};

enum key_type {
	KEY_UINT,        /* uint32_t, decimal, in [min, max] */
	KEY_UINT64,      /* uint64_t, decimal, in [min, max] */
	KEY_BYTES,       /* uint32_t, a byte count with units, in [min, max] */
	KEY_DURATION,    /* sim_time with units, in [min, max] ns */
	KEY_BOOL,        /* bool */
	KEY_PROBABILITY, /* double in [0, 1], or a percentage */
	KEY_POSITIVE,    /* double > 0 */
	KEY_BANDWIDTH,   /* uint64_t bits per second, 0 = unlimited */
	KEY_CHOICE,      /* an enum (int) or bool field: one word of `choices` */
	KEY_PROFILE,     /* char *: a name of tcp_profile_names */
	KEY_PATH,        /* char *: a non-empty path */
	KEY_ADDRESS,     /* the whole struct endpoint_config: addr and port */
	KEY_IPV4,        /* uint32_t: an IPv4 host address */
	KEY_PORTS,       /* uint16_t[2]: a port range LO-HI */
	KEY_SCRIPT,      /* struct script */
	KEY_REPEAT,      /* uint64_t: a count >= 1, or forever = 0 */
};

#define KEY_REQUIRED      1u /* the section must have it */
#define KEY_PORT_REQUIRED 2u /* KEY_ADDRESS: ADDRESS:PORT, not a bare address */

struct choice {
	const char *word; /* as written in the config */
	int value;        /* stored in the field */
};

struct key_def {
	enum group group;     /* the sections that take this key */
	const char *name;     /* as written in the config */
	enum key_type type;
	size_t offset;        /* of the field in the section's target struct */
	size_t size;          /* of the field: checked against the type */
	uint64_t min, max;    /* range of the integer and duration types */
	const struct choice *choices; /* KEY_CHOICE: ends with a NULL word */
	const char *def;      /* default as a config value; NULL: set by the group */
	unsigned flags;       /* KEY_REQUIRED, KEY_PORT_REQUIRED */
	const char *doc;      /* one sentence for config_print_reference */
};

struct loader;

struct section_def {
	const char *name;     /* the INI section */
	enum group group;     /* the keys it takes */
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

/* The scanner's position in the file. */
struct scan_state {
	unsigned line;                  /* 1-based number of the current line */
	char *section;                  /* the current section, NULL before any */
	const struct section_def *sd;   /* its definition */
	const char *cut;                /* the line ends here for GKeyFile (a comment
	                                   follows); NULL: the whole line */
};

#define SECOND ((uint64_t)SIM_SEC)
#define HOUR   (3600 * SECOND)
#define DAY    (24 * HOUR)
#define GiB    ((uint64_t)1 << 30)

#define FIELD(type, m) .offset = offsetof(type, m), .size = sizeof(((type *)0)->m)
#define SIM(m)  FIELD(struct config, m)
#define LINK(m) FIELD(struct link_params, m)
#define TCP(m)  FIELD(struct tcp_params, m)
#define EP(m)   FIELD(struct endpoint_config, m)
#define WHOLE_EP .offset = 0, .size = sizeof(struct endpoint_config)

/* Rows of the key table. */
#define KEY(g, n, t, field, lo, hi, d, text) \
	{ .group = g, .name = n, .type = t, field, .min = lo, .max = hi, .def = d, .doc = text }
#define CHOICE_KEY(g, n, field, list, d, text) \
	{ .group = g, .name = n, .type = KEY_CHOICE, field, .choices = list, .def = d, .doc = text }

static const struct choice capture_choices[] = {
	{ "client", CAPTURE_CLIENT }, { "server", CAPTURE_SERVER }, { NULL, 0 },
};
static const struct choice framing_choices[] = { { "ethernet", 1 }, { "raw", 0 }, { NULL, 0 } };
static const struct choice distribution_choices[] = {
	{ "constant", LINK_DIST_CONSTANT }, { "uniform", LINK_DIST_UNIFORM },
	{ "normal", LINK_DIST_NORMAL },     { "exponential", LINK_DIST_EXPONENTIAL },
	{ "pareto", LINK_DIST_PARETO },     { NULL, 0 },
};

static const struct choice unreachable_choices[] = {
	{ "none", LINK_REACHABLE }, { "net", LINK_NET_UNREACHABLE }, { "host", LINK_HOST_UNREACHABLE },
	{ NULL, 0 },
};
static const struct choice rto_formula_choices[] = {
	{ "rfc6298", TCP_RTO_RFC6298 }, { "linux", TCP_RTO_LINUX }, { NULL, 0 },
};
static const struct choice nagle_choices[] = {
	{ "off", TCP_NAGLE_OFF }, { "rfc896", TCP_NAGLE_RFC896 }, { "minshall", TCP_NAGLE_MINSHALL },
	{ NULL, 0 },
};

static const struct key_def keys[] = {
	/* [simulation] */
	KEY(GROUP_SIMULATION, "seed", KEY_UINT64, SIM(seed), 0, UINT64_MAX, "1",
	    "Master seed: every random stream is derived from it and the stream's name."),
	KEY(GROUP_SIMULATION, "duration", KEY_DURATION, SIM(duration), 1, 365 * DAY, "600s",
	    "The run stops at this simulated time."),
	{ .group = GROUP_SIMULATION, .name = "profile", .type = KEY_PROFILE, SIM(profile),
	  .def = "linux", .doc = "OS profile giving the TCP defaults that [tcp] overrides." },
	KEY(GROUP_SIMULATION, "pcap", KEY_BOOL, SIM(pcap), 0, 0, "true", "Write trace.pcap."),
	CHOICE_KEY(GROUP_SIMULATION, "capture", SIM(capture), capture_choices, "client",
	           "Whose interface the pcap shows: client or server."),
	CHOICE_KEY(GROUP_SIMULATION, "framing", SIM(ethernet), framing_choices, "ethernet",
	           "Link layer of the pcap: ethernet, or raw IPv4."),
	{ .group = GROUP_SIMULATION, .name = "out", .type = KEY_PATH, SIM(out_dir),
	  .doc = "Output folder; default out/<config name>/." },

	/* [network], [network.client_to_server], [network.server_to_client] */
	KEY(GROUP_LINK, "delay", KEY_DURATION, LINK(delay), 0, HOUR, NULL, "One-way propagation delay."),
	KEY(GROUP_LINK, "jitter", KEY_DURATION, LINK(jitter), 0, HOUR, NULL,
	    "Spread of the delay; its meaning depends on distribution."),
	CHOICE_KEY(GROUP_LINK, "distribution", LINK(distribution), distribution_choices, NULL,
	           "Law of the jitter: constant (none), uniform, normal, exponential or pareto."),
	{ .group = GROUP_LINK, .name = "pareto_shape", .type = KEY_POSITIVE, LINK(pareto_shape),
	  .doc = "Shape (alpha) of the Pareto tail." },
	KEY(GROUP_LINK, "loss", KEY_PROBABILITY, LINK(loss), 0, 0, NULL, "Probability a packet is lost."),
	KEY(GROUP_LINK, "reorder", KEY_PROBABILITY, LINK(reorder), 0, 0, NULL,
	    "Probability a packet is held back by reorder_delay, so later ones overtake it."),
	KEY(GROUP_LINK, "reorder_delay", KEY_DURATION, LINK(reorder_delay), 0, HOUR, NULL,
	    "Extra delay of a held-back packet."),
	KEY(GROUP_LINK, "duplicate", KEY_PROBABILITY, LINK(duplicate), 0, 0, NULL,
	    "Probability a packet is delivered twice."),
	KEY(GROUP_LINK, "bandwidth", KEY_BANDWIDTH, LINK(bandwidth), 0, 0, NULL,
	    "Link rate; 0 = unlimited (no queue, no transmission time)."),
	KEY(GROUP_LINK, "queue", KEY_UINT, LINK(queue_limit), 0, 1000000, NULL,
	    "Packets that may wait for a busy link before drop-tail."),
	CHOICE_KEY(GROUP_LINK, "unreachable", LINK(unreachable), unreachable_choices, NULL,
	           "A router answers every segment with ICMP destination unreachable: none, net or host."),
	{ .group = GROUP_LINK, .name = "router", .type = KEY_IPV4, LINK(router),
	  .doc = "Address of that router (the source of its ICMP messages); it sits `delay` away." },

	/* [tcp], [client.tcp], [server.tcp]: the fields of struct tcp_params */
	KEY(GROUP_TCP, "mss", KEY_BYTES, TCP(mss), 64, 65495, NULL, "The MSS we announce."),
	KEY(GROUP_TCP, "rcvbuf", KEY_BYTES, TCP(rcvbuf), 1, GiB, NULL,
	    "Receive buffer: half of it is offered as window.  Less than 4608 (Linux "
	    "SOCK_MIN_RCVBUF) is raised to 4608, silently, as setsockopt(SO_RCVBUF) does."),
	KEY(GROUP_TCP, "sndbuf", KEY_BYTES, TCP(sndbuf), 1, GiB, NULL,
	    "Send buffer: bounds unsent plus unacknowledged data.  Less than 4608 (Linux "
	    "SOCK_MIN_SNDBUF) is raised to 4608, as setsockopt(SO_SNDBUF) does."),
	KEY(GROUP_TCP, "init_cwnd", KEY_UINT, TCP(init_cwnd), 1, 1000, NULL,
	    "Initial congestion window, in segments."),
	CHOICE_KEY(GROUP_TCP, "nagle", TCP(nagle), nagle_choices, NULL,
	           "Nagle's algorithm: off (TCP_NODELAY), rfc896, or minshall (Linux, BSD)."),
	KEY(GROUP_TCP, "window_scaling", KEY_BOOL, TCP(window_scaling), 0, 0, NULL,
	    "Offer RFC 7323 window scaling."),
	KEY(GROUP_TCP, "wscale", KEY_UINT, TCP(wscale), 0, 14, NULL, "The window shift we offer."),
	KEY(GROUP_TCP, "sack", KEY_BOOL, TCP(sack), 0, 0, NULL, "Offer SACK-permitted (RFC 2018)."),
	KEY(GROUP_TCP, "timestamps", KEY_BOOL, TCP(timestamps), 0, 0, NULL, "Offer RFC 7323 timestamps."),
	KEY(GROUP_TCP, "rto_initial", KEY_DURATION, TCP(rto_initial), SIM_US, HOUR, NULL,
	    "RTO before any RTT sample (RFC 6298); between rto_min and rto_max."),
	KEY(GROUP_TCP, "rto_min", KEY_DURATION, TCP(rto_min), SIM_US, HOUR, NULL, "Floor of the RTO."),
	KEY(GROUP_TCP, "rto_max", KEY_DURATION, TCP(rto_max), SIM_US, HOUR, NULL,
	    "Ceiling of the backed-off RTO."),
	CHOICE_KEY(GROUP_TCP, "rto_formula", TCP(rto_formula), rto_formula_choices, NULL,
	           "Where rto_min applies: linux (SRTT + max(4*RTTVAR, rto_min)) or rfc6298."),
	KEY(GROUP_TCP, "tlp", KEY_BOOL, TCP(tlp), 0, 0, NULL, "RFC 8985 tail loss probe."),
	KEY(GROUP_TCP, "syn_retries", KEY_UINT, TCP(syn_retries), 0, 255, NULL, "SYN retransmissions."),
	KEY(GROUP_TCP, "syn_linear_timeouts", KEY_UINT, TCP(syn_linear_timeouts), 0, 255, NULL,
	    "First SYN retransmissions without backoff."),
	KEY(GROUP_TCP, "synack_retries", KEY_UINT, TCP(synack_retries), 0, 255, NULL,
	    "SYN-ACK retransmissions in SYN_RCVD."),
	KEY(GROUP_TCP, "retries2", KEY_UINT, TCP(retries2), 0, 255, NULL,
	    "Data retransmissions before ETIMEDOUT."),
	KEY(GROUP_TCP, "orphan_retries", KEY_UINT, TCP(orphan_retries), 0, 255, NULL,
	    "Retransmissions of a closed (orphaned) socket."),
	KEY(GROUP_TCP, "retries_by_time", KEY_BOOL, TCP(retries_by_time), 0, 0, NULL,
	    "Linux: a retry count means the time its backoff would take."),
	KEY(GROUP_TCP, "delayed_ack", KEY_DURATION, TCP(delayed_ack), 0, 10 * SECOND, NULL,
	    "Delayed-ACK timeout; 0 = ACK at once."),
	KEY(GROUP_TCP, "quickacks", KEY_UINT, TCP(quickacks), 0, 65535, NULL,
	    "Segments ACKed at once at the start of a connection."),
	KEY(GROUP_TCP, "time_wait", KEY_DURATION, TCP(time_wait), 0, HOUR, NULL,
	    "TIME_WAIT length (2*MSL); 0 = no TIME_WAIT."),
	KEY(GROUP_TCP, "fin_timeout", KEY_DURATION, TCP(fin_timeout), 0, HOUR, NULL,
	    "FIN_WAIT_2 timeout of an orphaned socket; 0 = wait for ever."),
	KEY(GROUP_TCP, "rst_on_unread", KEY_BOOL, TCP(rst_on_unread), 0, 0, NULL,
	    "close() with unread data sends RST."),
	KEY(GROUP_TCP, "rfc1337", KEY_BOOL, TCP(rfc1337), 0, 0, NULL,
	    "TIME_WAIT ignores a reset instead of dying of it (RFC 1337; Linux tcp_rfc1337)."),
	KEY(GROUP_TCP, "isn_tick", KEY_DURATION, TCP(isn_tick), 1, SIM_SEC, NULL,
	    "Period of the initial-sequence-number clock (RFC 6528): Linux 64ns, RFC 9293 4us."),
	KEY(GROUP_TCP, "keepalive", KEY_BOOL, TCP(keepalive), 0, 0, NULL, "SO_KEEPALIVE."),
	KEY(GROUP_TCP, "keepalive_idle", KEY_DURATION, TCP(keepalive_idle), 1, 30 * DAY, NULL,
	    "Idle time before the first keepalive probe."),
	KEY(GROUP_TCP, "keepalive_intvl", KEY_DURATION, TCP(keepalive_intvl), 1, DAY, NULL,
	    "Time between keepalive probes."),
	KEY(GROUP_TCP, "keepalive_probes", KEY_UINT, TCP(keepalive_probes), 1, 255, NULL,
	    "Unanswered probes before ETIMEDOUT."),
	KEY(GROUP_TCP, "connect_timeout", KEY_DURATION, TCP(connect_timeout), 0, DAY, NULL,
	    "The stack's own connect limit; 0 = none (syn_retries decides)."),
	KEY(GROUP_TCP, "ttl", KEY_UINT, TCP(ttl), 1, 255, NULL, "IPv4 TTL of our packets."),

	/* [client], [server] */
	{ .group = GROUP_CLIENT, .name = "address", .type = KEY_ADDRESS, WHOLE_EP, .def = "10.0.0.1",
	  .doc = "IPv4 address, with :port for a fixed source port (else ephemeral)." },
	{ .group = GROUP_CLIENT, .name = "script", .type = KEY_SCRIPT, EP(script), .flags = KEY_REQUIRED,
	  .doc = "The app's socket calls (see sim/config/script.h)." },
	KEY(GROUP_CLIENT, "repeat", KEY_REPEAT, EP(repeat), 1, UINT64_MAX, "1",
	    "Runs of the script, one connection after another; forever = no end."),
	{ .group = GROUP_CLIENT, .name = "ephemeral_ports", .type = KEY_PORTS, EP(ports), .def = "32768-60999",
	  .doc = "Ports connect() picks from (Linux ip_local_port_range); a TIME_WAIT holds its port." },
	{ .group = GROUP_SERVER, .name = "address", .type = KEY_ADDRESS, WHOLE_EP,
	  .def = "10.0.0.2:7777", .flags = KEY_PORT_REQUIRED,
	  .doc = "IPv4 address and the port it listens on." },
	{ .group = GROUP_SERVER, .name = "script", .type = KEY_SCRIPT, EP(script), .flags = KEY_REQUIRED,
	  .doc = "The app's socket calls; empty: no program runs, so connections are refused." },
	KEY(GROUP_SERVER, "repeat", KEY_REPEAT, EP(repeat), 1, UINT64_MAX, "1",
	    "Runs of the script, one connection after another; forever = no end."),
	{ .group = GROUP_SERVER, .name = "ephemeral_ports", .type = KEY_PORTS, EP(ports), .def = "32768-60999",
	  .doc = "Ports connect() picks from (Linux ip_local_port_range); a TIME_WAIT holds its port." },
};

static bool apply_profile(struct loader *ld);
static bool check_tcp(struct loader *ld, const struct section_def *sd);
static bool check_link(struct loader *ld, const struct section_def *sd);
static bool check_endpoints(struct loader *ld, const struct section_def *sd);

#define AT(m) offsetof(struct config, m)

/* In order of precedence: a section is applied after the one it overrides. */
static bool apply_fault(struct loader *ld, const char *section, const char *key,
                        const char *value);
static bool apply_sweep_key(struct loader *ld, const char *section, const char *key,
                            const char *value);
static bool check_sweep(struct loader *ld, const struct section_def *sd);

static const struct section_def sections[] = {
	{ "simulation", GROUP_SIMULATION, NULL, { 0 }, 1, apply_profile, NULL,
	  "The run as a whole and its outputs.", NULL },
	{ "network", GROUP_LINK, NULL, { AT(c2s), AT(s2c) }, 2, NULL, NULL,
	  "Both directions of the network.", NULL },
	{ "network.client_to_server", GROUP_LINK, "network", { AT(c2s) }, 1, NULL, check_link,
	  "The keys of [network], for the client-to-server direction only.", NULL },
	{ "network.server_to_client", GROUP_LINK, "network", { AT(s2c) }, 1, NULL, check_link,
	  "The keys of [network], for the server-to-client direction only.", NULL },
	{ "tcp", GROUP_TCP, NULL, { AT(client.tcp), AT(server.tcp) }, 2, NULL, NULL,
	  "Overrides of the profile's TCP parameters, for both endpoints.", NULL },
	{ "client.tcp", GROUP_TCP, "tcp", { AT(client.tcp) }, 1, NULL, check_tcp,
	  "The keys of [tcp], for the client only.", NULL },
	{ "server.tcp", GROUP_TCP, "tcp", { AT(server.tcp) }, 1, NULL, check_tcp,
	  "The keys of [tcp], for the server only.", NULL },
	{ "client", GROUP_CLIENT, NULL, { AT(client) }, 1, NULL, NULL,
	  "The connecting host and its program.", NULL },
	{ "server", GROUP_SERVER, NULL, { AT(server) }, 1, NULL, check_endpoints,
	  "The listening host and its program.", NULL },
	{ "faults", GROUP_FAULTS, NULL, { 0 }, 1, NULL, NULL,
	  "Targeted faults, one per key: NAME = ACTION WHICH SENDER KIND [by DURATION]\n"
	  "  ACTION: drop | delay (with 'by DURATION') | duplicate\n"
	  "  WHICH:  1st, 2nd, 3rd, Nth | first N | all   (counted over the whole run)\n"
	  "  SENDER: client | server\n"
	  "  KIND:   syn | syn-ack | ack | ack-of-fin | data | fin | rst | any\n"
	  "  e.g.    lost_last_ack = drop 1st client ack-of-fin\n"
	  "          old_segment = delay 2nd client data by 30s",
	  apply_fault },
	{ "sweep", GROUP_SWEEP, NULL, { 0 }, 1, NULL, check_sweep,
	  "A parameter sweep (tcpsim sweep): the grid of parameters, the runs per point, the metrics.\n"
	  "  SECTION.KEY = a list (0, 1s, 60s) or a range START:STOP:STEP, stop included\n"
	  "                (0:0.3:0.05, 0ms:100ms:20ms); the first parameter varies slowest\n"
	  "  runs        = seeded runs per point (default 100)\n"
	  "  metrics     = what each run records, comma-separated (required;\n"
	  "                tcpsim sweep --list-metrics lists them)\n"
	  "  e.g.    network.loss = 0:0.3:0.05\n"
	  "          metrics = client.connect_time, client.result",
	  apply_sweep_key },
};

/* ---- messages ---- */

/* Text from a config or the command line as it may be shown: on one line,
 * control bytes and invalid UTF-8 made visible (sim/escape.h). */
static char *printable(const char *text)
{
	return escape_text(text);
}

static bool fail(struct loader *ld, enum config_error_code code, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

static bool fail(struct loader *ld, enum config_error_code code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	/* Every message goes through here: the file name, sections, keys and
	 * values in it come out escaped (escaping is idempotent, so parts
	 * escaped already are left alone). */
	char *shown = printable(msg);
	g_set_error_literal(ld->error, CONFIG_ERROR, (gint)code, shown);
	g_free(shown);
	g_free(msg);
	return false;
}

static char *key_id(const char *section, const char *key)
{
	return key ? g_strconcat(section, "\n", key, NULL) : g_strdup(section);
}

static unsigned line_of(struct loader *ld, const char *section, const char *key)
{
	char *id = key_id(section, key);
	unsigned line = GPOINTER_TO_UINT(g_hash_table_lookup(ld->lines, id));

	g_free(id);
	return line;
}

/* Where a key's value comes from: "--set ...", "PATH:LINE", or PATH. */
static char *origin_of(struct loader *ld, const char *section, const char *key)
{
	char *id = key_id(section, key);
	const char *set = key ? g_hash_table_lookup(ld->set_origins, id) : NULL;
	unsigned line = line_of(ld, section, key);

	g_free(id);
	if (set)
		return g_strdup(set);
	return line ? g_strdup_printf("%s:%u", ld->path, line) : g_strdup(ld->path);
}

static bool value_error(struct loader *ld, const char *section, const char *key, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);

/* "ORIGIN: [SECTION] KEY = VALUE: WHY" */
static bool value_error(struct loader *ld, const char *section, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *origin = origin_of(ld, section, key);
	char *raw = g_key_file_get_value(ld->kf, section, key, NULL);
	char *shown = printable(g_strstrip(raw ? raw : g_strdup("")));

	va_start(ap, fmt);
	char *why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	fail(ld, CONFIG_ERROR_VALUE, "%s: [%s] %s = %s: %s", origin, section, key, shown, why);
	g_free(why);
	g_free(shown);
	g_free(raw);
	g_free(origin);
	return false;
}

/* "a, b or c" (last_sep " or "), "a | b | c" (both " | ") */
static char *join_words(const char *const *words, size_t n, const char *sep, const char *last_sep)
{
	GString *out = g_string_new(NULL);

	for (size_t i = 0; i < n; i++) {
		if (i)
			g_string_append(out, i + 1 == n ? last_sep : sep);
		g_string_append(out, words[i]);
	}
	return g_string_free(out, FALSE);
}

static char *choice_list(const struct key_def *k, const char *sep, const char *last_sep)
{
	const char *words[16];
	size_t n = 0;

	for (const struct choice *ch = k->choices; ch->word; ch++) {
		g_assert(n < G_N_ELEMENTS(words));
		words[n++] = ch->word;
	}
	return join_words(words, n, sep, last_sep);
}

/* ---- tables ---- */

static const struct section_def *find_section(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(sections); i++)
		if (strcmp(sections[i].name, name) == 0)
			return &sections[i];
	return NULL;
}

static const struct key_def *find_key(enum group group, const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
		if (keys[i].group == group && strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static char *known_keys(enum group group)
{
	const char *names[G_N_ELEMENTS(keys)];
	size_t n = 0;

	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
		if (keys[i].group == group)
			names[n++] = keys[i].name;
	return join_words(names, n, ", ", ", ");
}

static bool unknown_key(struct loader *ld, const char *origin, const char *section, const char *key)
{
	const struct section_def *sd = find_section(section);
	char *list = known_keys(sd->group);
	char *shown = printable(key);

	fail(ld, CONFIG_ERROR_UNKNOWN, "%s: [%s] %s: unknown key (known keys: %s)", origin, section,
	     shown, list);
	g_free(shown);
	g_free(list);
	return false;
}

static bool unknown_section(struct loader *ld, const char *origin, const char *section)
{
	char *shown = printable(section);

	fail(ld, CONFIG_ERROR_UNKNOWN, "%s: [%s]: unknown section", origin, shown);
	g_free(shown);
	return false;
}

static void *target_of(struct config *c, const struct section_def *sd, unsigned i)
{
	return (char *)c + sd->target[i];
}

/* ---- values ---- */

static size_t type_size(const struct key_def *k)
{
	switch (k->type) {
	case KEY_UINT:
	case KEY_BYTES:
		return sizeof(uint32_t);
	case KEY_UINT64:
	case KEY_BANDWIDTH:
	case KEY_REPEAT:
		return sizeof(uint64_t);
	case KEY_DURATION:
		return sizeof(sim_time);
	case KEY_BOOL:
		return sizeof(bool);
	case KEY_PROBABILITY:
	case KEY_POSITIVE:
		return sizeof(double);
	case KEY_CHOICE: /* an enum, or a bool for two-word choices */
		return k->size == sizeof(bool) ? sizeof(bool) : sizeof(int);
	case KEY_PROFILE:
	case KEY_PATH:
		return sizeof(char *);
	case KEY_ADDRESS:
		return sizeof(struct endpoint_config);
	case KEY_IPV4:
		return sizeof(uint32_t);
	case KEY_PORTS:
		return 2 * sizeof(uint16_t);
	case KEY_SCRIPT:
		return sizeof(struct script);
	}
	g_assert_not_reached();
}

static char *range_text(const struct key_def *k)
{
	char lo[40], hi[40];

	if (k->type == KEY_DURATION) {
		units_format_duration((sim_time)k->min, lo, sizeof lo);
		units_format_duration((sim_time)k->max, hi, sizeof hi);
	} else {
		g_snprintf(lo, sizeof lo, "%" G_GUINT64_FORMAT, k->min);
		g_snprintf(hi, sizeof hi, "%" G_GUINT64_FORMAT, k->max);
	}
	return g_strdup_printf("between %s and %s", lo, hi);
}

/* "WHAT between MIN and MAX" */
static char *with_range(const struct key_def *k, const char *what)
{
	char *range = range_text(k);
	char *text = g_strdup_printf("%s %s", what, range);

	g_free(range);
	return text;
}

static char *out_of_range(const struct key_def *k, const char *what)
{
	char *text = with_range(k, what);
	char *why = g_strconcat("expected ", text, NULL);

	g_free(text);
	return why;
}

/* Whole numbers: every failure gives the range, the clearest hint. */
static char *parse_uint(const struct key_def *k, const char *text, void *field)
{
	uint64_t v;

	if (!units_parse_uint(text, 0, UINT64_MAX, &v, NULL) || v < k->min || v > k->max)
		return out_of_range(k, "a whole number");
	if (k->type == KEY_UINT)
		*(uint32_t *)field = (uint32_t)v;
	else
		*(uint64_t *)field = v;
	return NULL;
}

static char *parse_bytes(const struct key_def *k, const char *text, uint32_t *field)
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

static char *parse_duration(const struct key_def *k, const char *text, sim_time *field)
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

static char *parse_choice(const struct key_def *k, const char *text, void *field)
{
	for (const struct choice *ch = k->choices; ch->word; ch++)
		if (strcmp(ch->word, text) == 0) {
			if (k->size == sizeof(bool))
				*(bool *)field = ch->value != 0;
			else
				*(int *)field = ch->value;
			return NULL;
		}
	char *list = choice_list(k, ", ", " or ");
	char *why = g_strdup_printf("expected %s", list);
	g_free(list);
	return why;
}

static char *profile_list(const char *sep, const char *last_sep)
{
	size_t n = 0;

	while (tcp_profile_names[n])
		n++;
	return join_words(tcp_profile_names, n, sep, last_sep);
}

static char *parse_profile(const char *text, char **field)
{
	struct tcp_params p;

	if (!tcp_profile_get(text, &p)) {
		char *list = profile_list(", ", " or ");
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

static char *parse_address(const struct key_def *k, const char *text, struct endpoint_config *ep)
{
	const char *colon = strchr(text, ':');
	char *host = colon ? g_strndup(text, (size_t)(colon - text)) : g_strdup(text);
	struct in_addr a;
	uint64_t port = 0;
	bool ok = inet_pton(AF_INET, host, &a) == 1;

	g_free(host);
	if (!ok)
		return g_strdup(k->flags & KEY_PORT_REQUIRED ? "expected ADDRESS:PORT such as 10.0.0.2:8080"
		                                             : "expected an IPv4 address such as 10.0.0.1");
	if (!is_unicast(ntohl(a.s_addr)))
		return g_strdup("expected a host address (not 0.0.0.0, multicast or broadcast)");
	if (colon && !units_parse_uint(colon + 1, 1, 65535, &port, NULL))
		return g_strdup("expected a port between 1 and 65535 after ':'");
	if (!colon && (k->flags & KEY_PORT_REQUIRED))
		return g_strdup("expected ADDRESS:PORT: the server needs the port it listens on");
	ep->addr = ntohl(a.s_addr);
	ep->port = (uint16_t)port;
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

static char *parse_repeat(const struct key_def *k, const char *text, uint64_t *field)
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
static char *parse_value(const struct key_def *k, const char *text, void *target)
{
	void *field = (char *)target + k->offset;
	const char *why = NULL;

	g_assert(k->size == type_size(k));
	switch (k->type) {
	case KEY_UINT:
	case KEY_UINT64:
		return parse_uint(k, text, field);
	case KEY_BYTES:
		return parse_bytes(k, text, field);
	case KEY_DURATION:
		return parse_duration(k, text, field);
	case KEY_BOOL:
		return units_parse_bool(text, field, &why) ? NULL : g_strdup(why);
	case KEY_PROBABILITY:
		return units_parse_probability(text, field, &why) ? NULL : g_strdup(why);
	case KEY_POSITIVE:
		return parse_positive(text, field);
	case KEY_BANDWIDTH:
		return units_parse_bandwidth(text, field, &why) ? NULL : g_strdup(why);
	case KEY_CHOICE:
		return parse_choice(k, text, field);
	case KEY_PROFILE:
		return parse_profile(text, field);
	case KEY_PATH:
		return parse_path(text, field);
	case KEY_ADDRESS:
		return parse_address(k, text, field);
	case KEY_IPV4:
		return parse_ipv4(text, field);
	case KEY_PORTS:
		return parse_ports(text, field);
	case KEY_SCRIPT:
		return parse_script(text, field);
	case KEY_REPEAT:
		return parse_repeat(k, text, field);
	}
	g_assert_not_reached();
}

/* ---- formatting values (reference, relation messages) ---- */

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

static void format_choice(GString *out, const struct key_def *k, const void *field)
{
	int v = k->size == sizeof(bool) ? *(const bool *)field : *(const int *)field;

	for (const struct choice *ch = k->choices; ch->word; ch++)
		if (ch->value == v) {
			g_string_append(out, ch->word);
			return;
		}
	g_string_append_printf(out, "%d", v);
}

static void format_address(GString *out, const struct endpoint_config *ep)
{
	g_string_append_printf(out, "%u.%u.%u.%u", ep->addr >> 24, (ep->addr >> 16) & 0xff,
	                       (ep->addr >> 8) & 0xff, ep->addr & 0xff);
	if (ep->port)
		g_string_append_printf(out, ":%u", ep->port);
}

/* Appends the value of the key's field in target, as a config would write it. */
static void format_value(GString *out, const struct key_def *k, const void *target)
{
	const void *field = (const char *)target + k->offset;
	char buf[40];

	g_assert(k->size == type_size(k));
	switch (k->type) {
	case KEY_UINT:
	case KEY_BYTES:
		g_string_append_printf(out, "%u", *(const uint32_t *)field);
		break;
	case KEY_UINT64:
		g_string_append_printf(out, "%" G_GUINT64_FORMAT, *(const uint64_t *)field);
		break;
	case KEY_DURATION:
		g_string_append(out, units_format_duration(*(const sim_time *)field, buf, sizeof buf));
		break;
	case KEY_BOOL:
		g_string_append(out, *(const bool *)field ? "true" : "false");
		break;
	case KEY_PROBABILITY:
	case KEY_POSITIVE:
		g_string_append_printf(out, "%g", *(const double *)field);
		break;
	case KEY_BANDWIDTH:
		format_bandwidth(out, *(const uint64_t *)field);
		break;
	case KEY_CHOICE:
		format_choice(out, k, field);
		break;
	case KEY_PROFILE:
	case KEY_PATH:
		g_string_append(out, *(char *const *)field ? *(char *const *)field : "");
		break;
	case KEY_ADDRESS:
		format_address(out, field);
		break;
	case KEY_IPV4: {
		struct endpoint_config ep = {.addr = *(const uint32_t *)field};
		format_address(out, &ep);
		break;
	}
	case KEY_PORTS:
		g_string_append_printf(out, "%u-%u", ((const uint16_t *)field)[0], ((const uint16_t *)field)[1]);
		break;
	case KEY_SCRIPT:
		break; /* no default: required */
	case KEY_REPEAT:
		if (*(const uint64_t *)field == 0)
			g_string_append(out, "forever");
		else
			g_string_append_printf(out, "%" G_GUINT64_FORMAT, *(const uint64_t *)field);
		break;
	}
}

/* ---- defaults ---- */

static bool is_owned(enum key_type t)
{
	return t == KEY_PROFILE || t == KEY_PATH || t == KEY_SCRIPT;
}

static void free_field(const struct key_def *k, void *target)
{
	void *field = (char *)target + k->offset;

	if (k->type == KEY_SCRIPT)
		script_clear(field);
	else
		g_clear_pointer((char **)field, g_free);
}

/* Frees what the keys of root sections own; sections with a parent fill
 * the same structs, so walking the roots reaches every field once. */
static void free_owned(struct config *c)
{
	for (size_t s = 0; s < G_N_ELEMENTS(sections); s++) {
		const struct section_def *sd = &sections[s];
		for (unsigned t = 0; sd->parent == NULL && t < sd->ntargets; t++)
			for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
				if (keys[i].group == sd->group && is_owned(keys[i].type))
					free_field(&keys[i], target_of(c, sd, t));
	}
}

/* The defaults of one root section's targets: the group's own, then the
 * keys' `def` values, which are written as in a config and parsed alike. */
static void section_defaults(struct config *c, const struct section_def *sd)
{
	for (unsigned t = 0; t < sd->ntargets; t++) {
		void *target = target_of(c, sd, t);
		if (sd->group == GROUP_LINK)
			link_params_default(target);
		for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
			if (keys[i].group != sd->group || !keys[i].def)
				continue;
			char *why = parse_value(&keys[i], keys[i].def, target);
			g_assert(why == NULL); /* the table's defaults are valid */
		}
	}
}

static void config_defaults(struct config *c)
{
	for (size_t s = 0; s < G_N_ELEMENTS(sections); s++)
		if (sections[s].parent == NULL)
			section_defaults(c, &sections[s]);
	bool ok = tcp_profile_get(c->profile, &c->client.tcp) && tcp_profile_get(c->profile, &c->server.tcp);
	g_assert(ok);
}

/* After [simulation]: the profile gives the TCP parameters [tcp] overrides. */
static bool apply_profile(struct loader *ld)
{
	bool ok = tcp_profile_get(ld->c->profile, &ld->c->client.tcp) &&
	          tcp_profile_get(ld->c->profile, &ld->c->server.tcp);

	g_assert(ok); /* parse_profile checked the name */
	return ok;
}

/* ---- reading and scanning the file ---- */

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
		return fail(ld, CONFIG_ERROR_FILE, "%s:%u: a NUL byte: expected a text file", ld->path,
		            line_at(text, (size_t)(bad - text)));
	if (!g_utf8_validate(text, (gssize)len, &bad))
		return fail(ld, CONFIG_ERROR_FILE, "%s:%u: invalid UTF-8: expected a text file", ld->path,
		            line_at(text, (size_t)(bad - text)));
	return true;
}

static bool syntax_error(struct loader *ld, const struct scan_state *st, const char *what)
{
	return fail(ld, CONFIG_ERROR_FILE, "%s:%u: %s", ld->path, st->line, what);
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
	if (sd->group == GROUP_SWEEP)
		return g_str_has_suffix(key, ".script");
	const struct key_def *k = sd->free_key ? NULL : find_key(sd->group, key);
	return k && k->type == KEY_SCRIPT;
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
	st->sd = find_section(st->section);
	if (!st->sd) {
		char *origin = g_strdup_printf("%s:%u", ld->path, st->line);
		unknown_section(ld, origin, st->section);
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
	unsigned first = line_of(ld, st->section, key);
	bool ok = true;
	if (!st->sd->free_key && !find_key(st->sd->group, key)) {
		char *origin = g_strdup_printf("%s:%u", ld->path, st->line);
		ok = unknown_key(ld, origin, st->section, key);
		g_free(origin);
	} else if (first) {
		ok = fail(ld, CONFIG_ERROR_FILE, "%s:%u: [%s] %s: duplicate key (first set on line %u)",
		          ld->path, st->line, st->section, key, first);
	}
	if (ok) {
		size_t n = (size_t)(end_of_line - eq - 1);
		st->cut = eq + 1 + comment_start(eq + 1, n, takes_script(st->sd, key));
		g_hash_table_insert(ld->lines, key_id(st->section, key), GUINT_TO_POINTER(st->line));
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

static bool load_text(struct loader *ld, const char *text, gsize len)
{
	GError *e = NULL;
	GString *clean = g_string_sized_new(len);
	bool ok = check_text(ld, text, len);

	/* A UTF-8 byte order mark (Windows editors) is not part of the text. */
	size_t skip = ok && len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	ok = ok && scan_text(ld, text + skip, len - skip, clean);
	if (ok && !g_key_file_load_from_data(ld->kf, clean->str, clean->len, G_KEY_FILE_NONE, &e)) {
		/* scan_text mirrors GKeyFile's syntax, so this should not happen */
		ok = fail(ld, CONFIG_ERROR_FILE, "%s: %s", ld->path, e->message);
		g_error_free(e);
	}
	g_string_free(clean, TRUE);
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

static bool apply_key(struct loader *ld, const struct section_def *sd, const struct key_def *k)
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
	if (sd->free_key)
		return apply_free_keys(ld, sd);
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
		if (keys[i].group == sd->group && g_key_file_has_key(ld->kf, sd->name, keys[i].name, NULL) &&
		    !apply_key(ld, sd, &keys[i]))
			return false;
	return true;
}

static bool fill_config(struct loader *ld)
{
	config_defaults(ld->c);
	for (size_t s = 0; s < G_N_ELEMENTS(sections); s++) {
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
	for (size_t s = 0; s < G_N_ELEMENTS(sections); s++)
		for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
			const struct key_def *k = &keys[i];
			const char *name = sections[s].name;
			if (k->group != sections[s].group || !(k->flags & KEY_REQUIRED) ||
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

static bool check_tcp(struct loader *ld, const struct section_def *sd)
{
	struct tcp_params *p = target_of(ld->c, sd, 0);

	tcp_params_apply_floors(p); /* a tiny rcvbuf or sndbuf, raised as Linux does */
	return check_order(ld, sd, "rto_min", p->rto_min, "rto_initial", p->rto_initial) &&
	       check_order(ld, sd, "rto_initial", p->rto_initial, "rto_max", p->rto_max);
}

/* Settings that would silently do nothing are errors. */
static bool check_link(struct loader *ld, const struct section_def *sd)
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
static bool check_endpoints(struct loader *ld, const struct section_def *sd)
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
	for (size_t s = 0; s < G_N_ELEMENTS(sections); s++)
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

bool config_source_read(const char *path, struct config_source *src, GError **error)
{
	char *text = NULL;
	gsize len = 0;
	GError *e = NULL;

	memset(src, 0, sizeof *src);
	if (!g_file_get_contents(path, &text, &len, &e)) {
		char *msg = g_strdup_printf("%s: cannot read: %s", path, file_error_text(e));
		char *shown = printable(msg);
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

static bool apply_fault(struct loader *ld, const char *section, const char *key,
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
	else if (sd->group == GROUP_SWEEP)
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

static bool apply_sweep_key(struct loader *ld, const char *section, const char *key,
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
static bool check_sweep(struct loader *ld, const struct section_def *sd)
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
static char *describe_type(const struct key_def *k)
{
	switch (k->type) {
	case KEY_UINT:
	case KEY_UINT64:
		return with_range(k, "whole number");
	case KEY_BYTES:
		return with_range(k, "bytes (1460, 64KiB),");
	case KEY_DURATION:
		return with_range(k, "duration (200ms, 1.5s),");
	case KEY_BOOL:
		return g_strdup("true or false");
	case KEY_PROBABILITY:
		return g_strdup("probability (0.01 or 1%)");
	case KEY_POSITIVE:
		return g_strdup("number > 0");
	case KEY_BANDWIDTH:
		return g_strdup("bandwidth (10Mbit, 1Gbit), 0 = unlimited");
	case KEY_CHOICE:
		return choice_list(k, " | ", " | ");
	case KEY_PROFILE:
		return profile_list(" | ", " | ");
	case KEY_PATH:
		return g_strdup("path");
	case KEY_ADDRESS:
		return g_strdup(k->flags & KEY_PORT_REQUIRED ? "ADDRESS:PORT" : "ADDRESS[:PORT]");
	case KEY_IPV4:
		return g_strdup("IPv4 address");
	case KEY_PORTS:
		return g_strdup("port range LO-HI");
	case KEY_SCRIPT:
		return g_strdup("socket calls separated by ';'");
	case KEY_REPEAT:
		return g_strdup("count >= 1, or forever");
	}
	g_assert_not_reached();
}

static void print_key(GString *out, const struct section_def *sd, const struct key_def *k,
                      struct config *defaults)
{
	char *type = describe_type(k);
	GString *value = g_string_new(NULL);

	format_value(value, k, target_of(defaults, sd, 0));
	g_string_append_printf(out, "  %-20s %s\n", k->name, type);
	if (k->flags & KEY_REQUIRED)
		g_string_append(out, "      required\n");
	else if (sd->group == GROUP_TCP)
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
	struct config defaults;

	memset(&defaults, 0, sizeof defaults);
	config_defaults(&defaults);
	g_string_append(out,
	                "Comments: a line starting with '#' or ';', or a trailing comment after a value\n"
	                "or a [section] header: a '#' that follows white space, outside a double-quoted\n"
	                "string (loss = 5%  # lossy).  A ';' after white space starts one too, except in\n"
	                "script values, where ';' separates calls (script = connect; send \"a # b\"; close\n"
	                "# only this is a comment).  --set values are taken whole.\n\n");
	for (size_t s = 0; s < G_N_ELEMENTS(sections); s++) {
		const struct section_def *sd = &sections[s];
		g_string_append_printf(out, "%s[%s]\n  %s\n", s ? "\n" : "", sd->name, sd->doc);
		if (sd->parent) /* same keys as the parent, printed there */
			continue;
		for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
			if (keys[i].group == sd->group)
				print_key(out, sd, &keys[i], &defaults);
	}
	config_clear(&defaults);
}
