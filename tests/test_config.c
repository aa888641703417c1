/*
 * Tests of the configuration loader (sim/config/config.c), table-driven.
 *
 * /config/error/<case>: a broken config (file text and --set overrides),
 * the error code it must give and the exact message, where "$F" stands for
 * the file's path and a trailing "..." matches a prefix (for long lists of
 * known keys).  Each case also checks that the config is left cleared.
 * /config/load/<case>: a valid config and a function checking the values
 * that precedence, overrides and units must give.
 *
 * Every file is written into its own temporary folder (g_dir_make_tmp).
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include "sim/config/config.h"

/* A minimal valid pair of endpoints: four lines, so text after it starts
 * on line 5. */
#define BASE                                   \
	"[client]\n"                               \
	"script = connect; close\n"                \
	"[server]\n"                               \
	"script = listen; accept; close\n"

#define TCP_KEYS_PREFIX "(known keys: mss, rcvbuf, sndbuf, init_cwnd, ..."
#define SECTIONS "(known sections: simulation, network, network.client_to_server, " \
	"network.server_to_client, tcp, client.tcp, server.tcp, client, server, faults, sweep, explore)"
#define LINK_KEYS "(known keys: delay, jitter, distribution, pareto_shape, loss, reorder, " \
	"reorder_delay, reorder_at_once, reorder_gap, duplicate, loss_model, loss_correlation, " \
	"loss_burst, loss_model_start, ge_p, " \
	"ge_r, ge_1h, ge_1k, state_p13, state_p31, state_p32, state_p23, state_p14, delay_correlation, " \
	"reorder_correlation, duplicate_correlation, corrupt, corrupt_correlation, bandwidth, " \
	"rate_overhead, rate_cell_size, rate_cell_overhead, queue, unreachable, router, arp_probes, " \
	"arp_interval, netem)"

struct error_case {
	const char *name;        /* test path under /config/error/ */
	const char *ini;         /* file text; NULL: no file at all */
	size_t len;              /* bytes of ini when it holds a NUL, else 0 */
	const char *set[3];      /* --set overrides */
	enum config_error_code code;
	const char *expect;      /* message: "$F" = path; trailing "..." = prefix */
};

#define BIN(text) text, sizeof(text) - 1

static const struct error_case error_cases[] = {
	/* the file */
	{ "missing-file", NULL, 0, { NULL }, CONFIG_ERROR_FILE, "$F: cannot read: No such file or directory" },
	{ "nul-byte", BIN("[client]\nscript = x\0y\n"), { NULL }, CONFIG_ERROR_FILE,
	  "$F:2: a NUL byte: expected a text file" },
	{ "binary-garbage", BIN("\x7f" "ELF\x02\x01\x01\x00\x00"), { NULL }, CONFIG_ERROR_FILE,
	  "$F:1: a NUL byte: expected a text file" },
	{ "invalid-utf8", BASE "[network]\n# caf\xe9\n", 0, { NULL }, CONFIG_ERROR_FILE,
	  "$F:6: invalid UTF-8: expected a text file" },
	{ "empty-file", "", 0, { NULL }, CONFIG_ERROR_MISSING, "$F: [client] script: required key is missing" },
	{ "comments-only", "# nothing here\n\n   # still nothing\n", 0, { NULL }, CONFIG_ERROR_MISSING,
	  "$F: [client] script: required key is missing" },
	{ "no-server", "[client]\nscript = connect\n", 0, { NULL }, CONFIG_ERROR_MISSING,
	  "$F: [server] script: required key is missing" },
	{ "section-without-script", "[server]\nscript = listen\n\n[client]\nrepeat = 2\n", 0, { NULL },
	  CONFIG_ERROR_MISSING, "$F:4: [client] script: required key is missing" },
	/* INI syntax */
	{ "key-before-section", "seed = 1\n" BASE, 0, { NULL }, CONFIG_ERROR_FILE,
	  "$F:1: key = value before any [section] header" },
	{ "unclosed-header", BASE "[network\nloss = 0.1\n", 0, { NULL }, CONFIG_ERROR_FILE,
	  "$F:5: expected ']' at the end of the section header" },
	{ "text-after-header", BASE "[network] lossy\n", 0, { NULL }, CONFIG_ERROR_FILE,
	  "$F:5: unexpected text after the section header" },
	{ "text-after-header-before-comment", BASE "[network] lossy # comment\n", 0, { NULL },
	  CONFIG_ERROR_FILE, "$F:5: unexpected text after the section header" },
	{ "empty-section-name", BASE "[]\n", 0, { NULL }, CONFIG_ERROR_FILE, "$F:5: empty section name" },
	{ "line-without-equals", BASE "[network]\nloss 0.1\n", 0, { NULL }, CONFIG_ERROR_FILE,
	  "$F:6: expected a [section] header, a key = value line or a # comment" },
	{ "missing-key-name", BASE "[network]\n = 0.1\n", 0, { NULL }, CONFIG_ERROR_FILE,
	  "$F:6: missing key name before '='" },
	{ "duplicate-key", BASE "[network]\nloss = 0.1\n\nloss = 0.2\n", 0, { NULL }, CONFIG_ERROR_FILE,
	  "$F:8: [network] loss: duplicate key (first set on line 6)" },
	{ "duplicate-key-repeated-section", "[tcp]\nmss = 1000\n" BASE "[tcp]\nmss=900\n", 0, { NULL },
	  CONFIG_ERROR_FILE, "$F:8: [tcp] mss: duplicate key (first set on line 2)" },
	{ "congestion-control-unknown", BASE "[server.tcp]\ncongestion_control = vegas\n", 0, { NULL },
	  CONFIG_ERROR_VALUE, "$F:6: [server.tcp] congestion_control = vegas: expected cubic, reno or newreno" },
	/* unknown sections and keys */
	{ "fault-bad-action", BASE "[faults]\ndrop = 1\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] drop = 1: expected drop, delay, duplicate or kill, not '1'" },
	{ "fault-bad-sender", BASE "[faults]\nx = drop 1st clinet ack\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop 1st clinet ack: expected client or server (the sender), not 'clinet'" },
	{ "fault-bad-ordinal", BASE "[faults]\nx = drop 1th client ack\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop 1th client ack: expected 1st, 2nd, 3rd, Nth, 'first N' or 'all', not '1th'" },
	{ "fault-delay-without-by", BASE "[faults]\nx = delay 2nd client data\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = delay 2nd client data: delay needs 'by DURATION' at the end" },
	{ "fault-trailing-word", BASE "[faults]\nx = drop all server fin now\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop all server fin now: unexpected 'now' at the end" },
	{ "fault-range-backwards", BASE "[faults]\nx = drop 4th..2nd client ack\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop 4th..2nd client ack: the range '4th..2nd' runs backwards: expected the lower rank first" },
	{ "fault-zeroth", BASE "[faults]\nx = drop 0th client ack\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop 0th client ack: ranks start at 1st, not '0th'" },
	{ "fault-range-zeroth", BASE "[faults]\nx = drop 0th..2nd client ack\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop 0th..2nd client ack: ranks start at 1st: '0th..2nd' has a 0th" },
	{ "fault-range-open-end", BASE "[faults]\nx = drop 2nd.. client ack\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop 2nd.. client ack: expected a range of ranks such as 2nd..4th, not '2nd..'" },
	{ "fault-range-open-start", BASE "[faults]\nx = drop ..4th client ack\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop ..4th client ack: expected a range of ranks such as 2nd..4th, not '..4th'" },
	{ "fault-range-three-dots", BASE "[faults]\nx = drop 2nd...4th client ack\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop 2nd...4th client ack: expected a range of ranks such as 2nd..4th, not '2nd...4th'" },
	{ "fault-range-bare-number", BASE "[faults]\nx = drop 2nd..4 client ack\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop 2nd..4 client ack: expected a range of ranks such as 2nd..4th, not '2nd..4'" },
	{ "fault-window-backwards", BASE "[faults]\nx = drop all client ack from 2s to 1s\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop all client ack from 2s to 1s: the window from 2s to 1s is empty: 'to' must come after 'from'" },
	{ "fault-window-empty", BASE "[faults]\nx = drop all client ack from 1s to 1s\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop all client ack from 1s to 1s: the window from 1s to 1s is empty: 'to' must come after 'from'" },
	{ "fault-window-to-zero", BASE "[faults]\nx = drop all client ack to 0s\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop all client ack to 0s: the window from 0 to 0s is empty: 'to' must come after 'from'" },
	{ "fault-window-from-missing", BASE "[faults]\nx = drop all client ack from\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop all client ack from: expected a time such as 1.5s after 'from'" },
	{ "fault-window-from-bad", BASE "[faults]\nx = drop all client ack from soon\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop all client ack from soon: expected a time such as 1.5s after 'from', not 'soon'" },
	{ "fault-window-to-no-unit", BASE "[faults]\nx = drop all client ack to 2.35\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop all client ack to 2.35: expected a time such as 1.5s after 'to', not '2.35' (a duration needs a unit: ns, us, ms, s, min or h)" },
	{ "fault-window-order", BASE "[faults]\nx = drop all client ack to 2s from 1s\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop all client ack to 2s from 1s: 'from TIME' goes before 'to TIME'" },
	{ "fault-window-from-twice", BASE "[faults]\nx = drop all client ack from 1s from 2s\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop all client ack from 1s from 2s: 'from' twice" },
	{ "fault-window-to-twice", BASE "[faults]\nx = drop all client ack from 1s to 2s to 3s\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop all client ack from 1s to 2s to 3s: unexpected 'to' at the end" },
	{ "fault-by-without-delay", BASE "[faults]\nx = drop all client ack by 1s\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop all client ack by 1s: 'by DURATION' goes only with delay" },
	{ "fault-by-twice", BASE "[faults]\nx = delay 1st client ack by 1s by 2s\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = delay 1st client ack by 1s by 2s: 'by' twice" },
	{ "fault-delay-window-without-by", BASE "[faults]\nx = delay 2nd client data from 1s\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = delay 2nd client data from 1s: delay needs 'by DURATION' after the kind, not 'from'" },
	{ "fault-delay-window-empty", BASE "[faults]\nx = delay 2nd client data by 1s from 1s to 500ms\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = delay 2nd client data by 1s from 1s to 500ms: the window from 1s to 500ms is empty: 'to' must come after 'from'" },
	{ "fault-kill-alone", BASE "[faults]\nx = kill\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = kill: expected client or server (whose connections to kill), not '(end)'" },
	{ "fault-kill-bad-endpoint", BASE "[faults]\nx = kill clinet at 1s\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = kill clinet at 1s: expected client or server (whose connections to kill), not 'clinet'" },
	{ "fault-kill-without-at", BASE "[faults]\nx = kill client\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = kill client: kill needs 'at TIME' after the endpoint, not '(end)'" },
	{ "fault-kill-time-without-at", BASE "[faults]\nx = kill client 1s\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = kill client 1s: kill needs 'at TIME' after the endpoint, not '1s'" },
	{ "fault-kill-at-missing", BASE "[faults]\nx = kill client at\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = kill client at: expected a time such as 1.5s after 'at'" },
	{ "fault-kill-at-no-unit", BASE "[faults]\nx = kill client at 1\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = kill client at 1: expected a time such as 1.5s after 'at', not '1' (a duration needs a unit: ns, us, ms, s, min or h)" },
	{ "fault-kill-at-negative", BASE "[faults]\nx = kill client at -1s\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = kill client at -1s: expected a time such as 1.5s after 'at', not '-1s'" },
	{ "fault-kill-trailing", BASE "[faults]\nx = kill client at 1s now\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = kill client at 1s now: unexpected 'now' at the end" },
	{ "fault-kill-with-window", BASE "[faults]\nx = kill server at 1s from 2s\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = kill server at 1s from 2s: unexpected 'from' at the end" },
	{ "fault-set-range-backwards", BASE, 0, { "faults.x=drop 3rd..1st server data", NULL }, CONFIG_ERROR_VALUE,
	  "--set faults.x=drop 3rd..1st server data: [faults] x = drop 3rd..1st server data: the range '3rd..1st' runs backwards: expected the lower rank first" },
	{ "sweep-without-metrics", "[sweep]\n" BASE, 0, { NULL }, CONFIG_ERROR_MISSING,
	  "$F:1: [sweep] metrics: required key is missing (such as metrics = client.result, "
	  "client.connect_time)" },
	{ "unknown-section-case", BASE "[Network]\n", 0, { NULL }, CONFIG_ERROR_UNKNOWN,
	  "$F:5: [Network]: unknown section, did you mean [network]? " SECTIONS },
	{ "unknown-section-blanks", BASE "[ tcp ]\n", 0, { NULL }, CONFIG_ERROR_UNKNOWN,
	  "$F:5: [ tcp ]: unknown section, did you mean [tcp]? " SECTIONS },
	{ "unknown-key", BASE "[network]\nlatency = 10ms\n", 0, { NULL }, CONFIG_ERROR_UNKNOWN,
	  "$F:6: [network] latency: unknown key (known keys: delay, jitter, distribution, pareto_shape, "
	  "loss, reorder, reorder_delay, reorder_at_once, reorder_gap, duplicate, loss_model, "
	  "loss_correlation, loss_burst, loss_model_start, ge_p, ge_r, ge_1h, ge_1k, "
	  "state_p13, state_p31, state_p32, state_p23, state_p14, delay_correlation, reorder_correlation, "
	  "duplicate_correlation, corrupt, corrupt_correlation, bandwidth, rate_overhead, rate_cell_size, "
	  "rate_cell_overhead, queue, unreachable, router, arp_probes, arp_interval, netem)" },
	{ "unknown-key-simulation", "[simulation]\nloss = 0.1\n" BASE, 0, { NULL }, CONFIG_ERROR_UNKNOWN,
	  "$F:2: [simulation] loss: unknown key: loss is a key of [network] (known keys: seed, duration, omit, profile, pcap, capture, "
	  "framing, out)" },
	{ "unknown-key-client-tcp", BASE "[client.tcp]\nmsss = 536\n", 0, { NULL }, CONFIG_ERROR_UNKNOWN,
	  "$F:6: [client.tcp] msss: unknown key, did you mean mss? " TCP_KEYS_PREFIX },
	{ "unknown-key-locale", BASE "[tcp]\nmss[fr] = 536\n", 0, { NULL }, CONFIG_ERROR_UNKNOWN,
	  "$F:6: [tcp] mss[fr]: unknown key " TCP_KEYS_PREFIX },
	/* did you mean: a misspelt section or key, a key of another section */
	{ "unknown-section-misspelt", BASE "[netwrk]\nloss = 0.1\n", 0, { NULL }, CONFIG_ERROR_UNKNOWN,
	  "$F:5: [netwrk]: unknown section, did you mean [network]? " SECTIONS },
	{ "unknown-section-swapped", BASE "[tpc]\nmss = 536\n", 0, { NULL }, CONFIG_ERROR_UNKNOWN,
	  "$F:5: [tpc]: unknown section, did you mean [tcp]? " SECTIONS },
	{ "unknown-section-far", BASE "[routing]\n", 0, { NULL }, CONFIG_ERROR_UNKNOWN,
	  "$F:5: [routing]: unknown section " SECTIONS },
	{ "unknown-key-misspelt", BASE "[network]\ndelya = 10ms\n", 0, { NULL }, CONFIG_ERROR_UNKNOWN,
	  "$F:6: [network] delya: unknown key, did you mean delay? " LINK_KEYS },
	{ "unknown-key-other-section", BASE "[network]\ntime_wait = 1s\n", 0, { NULL }, CONFIG_ERROR_UNKNOWN,
	  "$F:6: [network] time_wait: unknown key: time_wait is a key of [tcp] " LINK_KEYS },
	{ "unknown-key-two-other-sections", BASE "[network]\nscript = close\n", 0, { NULL }, CONFIG_ERROR_UNKNOWN,
	  "$F:6: [network] script: unknown key: script is a key of [client] and [server] " LINK_KEYS },
	{ "unknown-key-misspelt-other-section", BASE "[network.client_to_server]\ntime_wiat = 1s\n", 0, { NULL },
	  CONFIG_ERROR_UNKNOWN, "$F:6: [network.client_to_server] time_wiat: unknown key, did you mean "
	  "time_wait, a key of [tcp]? " LINK_KEYS },
	{ "set-key-other-section", BASE, 0, { "simulation.loss=0.1", NULL }, CONFIG_ERROR_UNKNOWN,
	  "--set simulation.loss=0.1: [simulation] loss: unknown key: loss is a key of [network] (known keys: ..." },
	{ "set-section-misspelt", BASE, 0, { "netwrok.loss=0.1", NULL }, CONFIG_ERROR_UNKNOWN,
	  "--set netwrok.loss=0.1: [netwrok]: unknown section, did you mean [network]? " SECTIONS },
	{ "unknown-key-before-bad-value", BASE "[network]\nloss = 2\nlosss = 0.1\n", 0, { NULL },
	  CONFIG_ERROR_UNKNOWN, "$F:7: [network] losss: unknown key, did you mean loss? (known keys: ..." },
	/* --set */
	{ "set-unknown-section", BASE, 0, { "nosuch.drop=1", NULL }, CONFIG_ERROR_UNKNOWN,
	  "--set nosuch.drop=1: [nosuch]: unknown section " SECTIONS },
	{ "set-unknown-key", BASE, 0, { "server.tcp.msss=1", NULL }, CONFIG_ERROR_UNKNOWN,
	  "--set server.tcp.msss=1: [server.tcp] msss: unknown key, did you mean mss? " TCP_KEYS_PREFIX },
	{ "set-no-section", BASE, 0, { "seed=5", NULL }, CONFIG_ERROR_VALUE,
	  "--set seed=5: expected SECTION.KEY=VALUE, such as network.loss=0.01" },
	{ "set-no-equals", BASE, 0, { "simulation.seed", NULL }, CONFIG_ERROR_VALUE,
	  "--set simulation.seed: expected SECTION.KEY=VALUE, such as network.loss=0.01" },
	{ "set-empty-key", BASE, 0, { "simulation.=5", NULL }, CONFIG_ERROR_VALUE,
	  "--set simulation.=5: expected SECTION.KEY=VALUE, such as network.loss=0.01" },
	{ "set-bad-value", BASE, 0, { "network.client_to_server.loss=2", NULL }, CONFIG_ERROR_VALUE,
	  "--set network.client_to_server.loss=2: [network.client_to_server] loss = 2: "
	  "expected a probability between 0 and 1, or a percentage such as 1%" },
	{ "set-second-override-bad", BASE, 0, { "tcp.mss=536", "simulation.profile=vms", NULL },
	  CONFIG_ERROR_VALUE,
	  "--set simulation.profile=vms: [simulation] profile = vms: expected a profile: linux, bsd, windows or rfc" },
	{ "set-control-bytes-shown-escaped", BASE, 0, { "client.script=close\nx", NULL }, CONFIG_ERROR_VALUE,
	  "--set client.script=close\\nx: [client] script = close\\nx: line 2, column 1: unknown call 'x'" },
	/* values: [simulation] */
	{ "profile-unknown", "[simulation]\nprofile = macos\n" BASE, 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:2: [simulation] profile = macos: expected a profile: linux, bsd, windows or rfc" },
	{ "seed-negative", "[simulation]\nseed = -1\n" BASE, 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:2: [simulation] seed = -1: expected a whole number between 0 and 18446744073709551615" },
	{ "seed-overflow", "[simulation]\nseed = 18446744073709551616\n" BASE, 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:2: [simulation] seed = 18446744073709551616: expected a whole number between 0 and 18446744073709551615" },
	{ "duration-zero", "[simulation]\nduration = 0\n" BASE, 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:2: [simulation] duration = 0: expected a duration between 1ns and 31536000s" },
	{ "pcap-not-bool", "[simulation]\npcap = sometimes\n" BASE, 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:2: [simulation] pcap = sometimes: expected true/false, yes/no, on/off or 1/0" },
	{ "capture-both", "[simulation]\ncapture = both\n" BASE, 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:2: [simulation] capture = both: expected client or server" },
	{ "framing-ppp", "[simulation]\nframing = ppp\n" BASE, 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:2: [simulation] framing = ppp: expected ethernet or raw" },
	{ "out-empty", "[simulation]\nout =\n" BASE, 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:2: [simulation] out = : expected a folder path" },
	/* values: [network] */
	{ "loss-above-one", BASE "[network]\nloss = 1.5\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [network] loss = 1.5: expected a probability between 0 and 1, or a percentage such as 1%" },
	{ "loss-bad-before-comment", BASE "[network]\nloss = 1.5 # lossy\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [network] loss = 1.5: expected a probability between 0 and 1, or a percentage such as 1%" },
	{ "loss-bad-before-semicolon-comment", BASE "\n[network]\ndelay = 1ms ; ok\nloss = 150%\t; too much\n",
	  0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:8: [network] loss = 150%: expected a probability between 0 and 1, or a percentage such as 1%" },
	{ "hash-without-blank-is-value", BASE "[network]\nloss = 0.1#lossy\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [network] loss = 0.1#lossy: expected a probability between 0 and 1, or a percentage such as 1%" },
	{ "comment-only-value", BASE "[network]\nloss = # none\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [network] loss = : expected a probability between 0 and 1, or a percentage such as 1%" },
	{ "script-bad-before-comment", "[client]\nscript = connect; sned # typo\n[server]\nscript = listen\n",
	  0, { NULL }, CONFIG_ERROR_VALUE, "$F:2: [client] script = connect; sned: column 10: unknown call 'sned'" },
	{ "fault-bad-before-comment", BASE "[faults]\nx = drop 1th client ack ; the first\n", 0, { NULL },
	  CONFIG_ERROR_VALUE,
	  "$F:6: [faults] x = drop 1th client ack: expected 1st, 2nd, 3rd, Nth, 'first N' or 'all', not '1th'" },
	{ "set-keeps-hash", BASE, 0, { "network.loss=0.1 # not a comment", NULL }, CONFIG_ERROR_VALUE,
	  "--set network.loss=0.1 # not a comment: [network] loss = 0.1 # not a comment: "
	  "expected a probability between 0 and 1, or a percentage such as 1%" },
	{ "delay-without-unit", BASE "[network.server_to_client]\ndelay = 200\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [network.server_to_client] delay = 200: a duration needs a unit: ns, us, ms, s, min or h" },
	{ "delay-negative", BASE "[network]\ndelay = -5ms\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [network] delay = -5ms: expected a duration such as 200ms or 1.5s" },
	{ "delay-too-long", BASE "[network]\ndelay = 2h\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [network] delay = 2h: expected a duration between 0s and 3600s" },
	{ "distribution-unknown", BASE "[network]\ndistribution = gaussian\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [network] distribution = gaussian: expected constant, uniform, normal, exponential, "
	  "pareto, netem_pareto or netem_paretonormal" },
	{ "pareto-shape-zero", BASE "[network]\npareto_shape = 0\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [network] pareto_shape = 0: expected a number greater than 0" },
	{ "bandwidth-without-unit", BASE "[network]\nbandwidth = 10\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [network] bandwidth = 10: a bandwidth needs a unit: bit, kbit, Mbit or Gbit" },
	{ "queue-negative", BASE "[network]\nqueue = -1\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [network] queue = -1: expected a whole number between 0 and 1000000" },
	{ "jitter-with-constant", BASE "[network]\ndistribution = constant\njitter = 5ms\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:7: [network] jitter = 5ms: expected 0 with distribution constant (set distribution to "
	  "uniform, normal, exponential or pareto)" },
	{ "reorder-without-delay", BASE "[network]\nreorder = 10%\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [network] reorder = 10%: expected 0 when reorder_delay is 0 (a held-back packet needs a reorder_delay)" },
	/* netem's laws */
	{ "loss-correlation-one", BASE "[network]\nloss = 1%\nloss_correlation = 1\n", 0, { NULL },
	  CONFIG_ERROR_VALUE, "$F:7: [network] loss_correlation = 1: expected a correlation below 1 (0.25 or 25%)" },
	{ "ge-key-without-gemodel", BASE "[network.server_to_client]\nge_p = 1%\n", 0, { NULL },
	  CONFIG_ERROR_VALUE, "$F:6: [network.server_to_client] ge_p = 1%: expected loss_model = gemodel with ge_p" },
	{ "loss-with-gemodel", BASE "[network]\nloss_model = gemodel\nge_p = 1%\nge_r = 30%\nloss = 2%\n", 0,
	  { NULL }, CONFIG_ERROR_VALUE,
	  "$F:9: [network] loss = 2%: expected 0 with loss_model gemodel (its own keys give the loss)" },
	{ "state-row-over-one", BASE "[network]\nloss_model = state\nstate_p13 = 0.6\nstate_p14 = 0.5\n", 0,
	  { NULL }, CONFIG_ERROR_VALUE,
	  "$F:8: [network] state_p14 = 0.5: expected at most 1 - state_p13 (the chances out of state 1)" },
	{ "rate-overhead-without-bandwidth", BASE "[network]\nrate_overhead = -14\n", 0, { NULL },
	  CONFIG_ERROR_VALUE,
	  "$F:6: [network] rate_overhead = -14: expected 0 when bandwidth is 0 (no transmission time to change)" },
	{ "rate-overhead-range", BASE "[network]\nrate_overhead = -70000\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [network] rate_overhead = -70000: expected a whole number between -65535 and 65535" },
	{ "loss-burst-loss-too-high", BASE "[network]\nloss = 90%\nloss_burst = 4\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:7: [network] loss_burst = 4: expected a loss of at most 0.8 with loss_burst 4 (loss_burst / (loss_burst + 1))" },
	{ "loss-burst-below-one", BASE "[network]\nloss = 9%\nloss_burst = 0.5\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:7: [network] loss_burst = 0.5: expected at least 1 (a mean number of packets)" },
	{ "loss-burst-with-ge-key", BASE "[network]\nloss = 9%\nloss_burst = 2\nge_r = 1%\n", 0, { NULL },
	  CONFIG_ERROR_VALUE, "$F:8: [network] ge_r = 1%: expected no ge_r with loss_burst" },
	{ "corrupt-not-probability", BASE "[network]\ncorrupt = 2\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [network] corrupt = 2: ..." },
	/* values: [tcp] */
	{ "mss-too-small", BASE "[tcp]\nmss = 27\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [tcp] mss = 27: expected a byte count between 28 and 65495" },
	{ "mss-too-big-with-unit", BASE "[client.tcp]\nmss = 64KiB\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [client.tcp] mss = 64KiB: expected a byte count between 28 and 65495" },
	{ "rcvbuf-fraction", BASE "[tcp]\nrcvbuf = 1.5B\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [tcp] rcvbuf = 1.5B: expected a whole number of bytes" },
	{ "wscale-15", BASE "[server.tcp]\nwscale = 15\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [server.tcp] wscale = 15: expected a whole number between 0 and 14" },
	{ "ttl-zero", BASE "[tcp]\nttl = 0\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [tcp] ttl = 0: expected a whole number between 1 and 255" },
	{ "sack-not-bool", BASE "[tcp]\nsack = maybe\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [tcp] sack = maybe: expected true/false, yes/no, on/off or 1/0" },
	{ "rto-min-above-initial", BASE "[tcp]\nrto_min = 2s\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [tcp] rto_min = 2s: expected at most rto_initial (1s)" },
	{ "rto-initial-below-profile-min", BASE "[client.tcp]\nrto_initial = 100ms\n", 0, { NULL },
	  CONFIG_ERROR_VALUE, "$F:6: [client.tcp] rto_initial = 100ms: expected at least rto_min (200ms)" },
	{ "rto-max-below-initial", BASE "[tcp]\nrto_max = 500ms\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [tcp] rto_max = 500ms: expected at least rto_initial (1s)" },
	{ "rto-relation-blames-specific-section", BASE "[tcp]\nrto_initial = 3s\n[server.tcp]\nrto_max = 2s\n",
	  0, { NULL }, CONFIG_ERROR_VALUE, "$F:8: [server.tcp] rto_max = 2s: expected at least rto_initial (3s)" },
	{ "rto-relation-from-profile-override", BASE "[tcp]\nrto_min = 500ms\n", 0,
	  { "simulation.profile=bsd", "tcp.rto_initial=300ms", NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [tcp] rto_min = 500ms: expected at most rto_initial (300ms)" },
	/* values: [client], [server] */
	{ "script-unknown-call", "[client]\nscript = connect; sned \"x\"\n[server]\nscript = listen\n", 0, { NULL },
	  CONFIG_ERROR_VALUE, "$F:2: [client] script = connect; sned \"x\": column 10: unknown call 'sned'" },
	{ "script-unterminated-string", "[client]\nscript = connect; send \"abc\n[server]\nscript = listen\n", 0,
	  { NULL }, CONFIG_ERROR_VALUE, "$F:2: [client] script = connect; send \"abc: column 15: unterminated string" },
	{ "script-bad-escape", "[client]\nscript = send \"\\q\"\n[server]\nscript = listen\n", 0, { NULL },
	  CONFIG_ERROR_VALUE, "$F:2: [client] script = send \"\\q\": column 7: bad escape '\\q' (known: ..." },
	/* a script over indented lines: the file's line and column, that line alone */
	{ "script-lines-unknown-call",
	  "[client]\nscript =\n    fd = socket(AF_INET, SOCK_STREAM, 0)\n    connect(fd, 10.0.0.2:7777)   # a comment\n"
	  "    sned \"x\"\n    close(fd)\n[server]\nscript = listen\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:5: [client] script: column 5: unknown call 'sned' (in: sned \"x\")" },
	{ "script-lines-first-line",
	  "[client]\nscript = fd = sockt(AF_INET, SOCK_STREAM, 0)\n\tclose(fd)\n[server]\nscript = listen\n", 0,
	  { NULL }, CONFIG_ERROR_VALUE,
	  "$F:2: [client] script: column 15: unknown call 'sockt' (in: fd = sockt(AF_INET, SOCK_STREAM, 0))" },
	{ "script-lines-blank-and-comment-lines",
	  "[client]\nscript =\n  x = 1\n\n  # a note\n\ty = z # z?\n[server]\nscript = listen\n", 0, { NULL },
	  CONFIG_ERROR_VALUE, "$F:6: [client] script: column 6: 'z' is used before any value is given to it (in: y = z)" },
	{ "script-lines-unclosed-block",
	  "[client]\nscript =\n    if 1 {\n        close\n\n[server]\nscript = listen\n", 0, { NULL },
	  CONFIG_ERROR_VALUE, "$F:3: [client] script: column 10: '{' without a '}' to close it (in: if 1 {)" },
	{ "script-lines-server",
	  "[client]\nscript = connect\n[server]\nscript = listen\n  accept\n  echo 0\n", 0, { NULL },
	  CONFIG_ERROR_VALUE, "$F:6: [server] script: column 8: echo: '0': expected a number of reads (at least 1) "
	  "(in: echo 0)" },
	{ "indented-line-after-other-key",
	  "[client]\naddress = 10.0.0.1\n    connect\nscript = connect\n[server]\nscript = listen\n", 0, { NULL },
	  CONFIG_ERROR_FILE, "$F:3: expected a [section] header, a key = value line or a # comment" },
	{ "indented-key-after-script-is-script",
	  "[client]\nscript = connect\n  repeat = 2\n[server]\nscript = listen\n", 0, { NULL },
	  CONFIG_ERROR_VALUE, "$F:3: [client] script: column 10: expected a value, found '=' "
	  "(in: repeat = 2; indented, the line goes on the script)" },
	{ "script-port-out-of-range", "[client]\nscript = connect\n[server]\nscript = listen 70000\n", 0,
	  { NULL }, CONFIG_ERROR_VALUE, "$F:4: [server] script = listen 70000: column 8: listen: port 70000 out of range 1-65535" },
	{ "server-address-without-port", BASE "[server]\naddress = 10.0.0.2\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [server] address = 10.0.0.2: expected ADDRESS:PORT: the server needs the port it listens on" },
	{ "server-port-zero", BASE "[server]\naddress = 10.0.0.2:0\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [server] address = 10.0.0.2:0: expected a port between 1 and 65535 after ':'" },
	{ "client-address-hostname", BASE "[client]\naddress = client.example\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [client] address = client.example: expected an IPv4 address such as 10.0.0.1" },
	{ "client-address-broadcast", BASE "[client]\naddress = 255.255.255.255\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [client] address = 255.255.255.255: expected a host address (not 0.0.0.0, multicast or broadcast)" },
	{ "client-prefix-too-long", BASE "[client]\naddress = 10.0.0.1/33\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [client] address = 10.0.0.1/33: expected a prefix length between 0 and 32 after '/' (10.0.0.1/24)" },
	{ "client-prefix-empty", BASE "[client]\naddress = 10.0.0.1/:4000\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [client] address = 10.0.0.1/:4000: expected a prefix length between 0 and 32 after '/' (10.0.0.1/24)" },
	{ "client-prefix-not-a-number", BASE "[client]\naddress = 10.0.0.1/24.0\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [client] address = 10.0.0.1/24.0: expected a prefix length between 0 and 32 after '/' (10.0.0.1/24)" },
	{ "server-prefix-after-port", BASE "[server]\naddress = 10.0.0.2:8080/24\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [server] address = 10.0.0.2:8080/24: expected ADDRESS/PREFIX:PORT such as 10.0.0.2/24:8080: "
	  "the prefix goes with the address, before the port" },
	{ "server-prefix-without-port", BASE "[server]\naddress = 10.0.0.2/24\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [server] address = 10.0.0.2/24: expected ADDRESS:PORT: the server needs the port it listens on" },
	{ "same-addresses-other-prefixes", BASE "[client]\naddress = 10.0.0.2/16\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [client] address = 10.0.0.2/16: expected an address different from the server's (10.0.0.2:7777)" },
	{ "arp-probes-zero", BASE "[network]\narp_probes = 0\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [network] arp_probes = 0: expected a whole number between 1 and 255" },
	{ "arp-interval-below-10ms", BASE "[network.client_to_server]\narp_interval = 5ms\n", 0, { NULL },
	  CONFIG_ERROR_VALUE, "$F:6: [network.client_to_server] arp_interval = 5ms: expected a duration between 10ms and 3600s" },
	{ "same-addresses-blames-client", BASE "[client]\naddress = 10.0.0.2\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [client] address = 10.0.0.2: expected an address different from the server's (10.0.0.2:7777)" },
	{ "same-addresses-blames-server", BASE "[server]\naddress = 10.0.0.1:80\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [server] address = 10.0.0.1:80: expected an address different from the client's (10.0.0.1)" },
	{ "repeat-zero", BASE "[client]\nrepeat = 0\n", 0, { NULL }, CONFIG_ERROR_VALUE,
	  "$F:6: [client] repeat = 0: expected a number of connections (at least 1) or forever" },
	{ "first-error-in-precedence-order", "[server.tcp]\nttl = 0\n[simulation]\nseed = x\n" BASE, 0, { NULL },
	  CONFIG_ERROR_VALUE, "$F:4: [simulation] seed = x: expected a whole number between 0 and 18446744073709551615" },
};

struct load_case {
	const char *name;          /* test path under /config/load/ */
	const char *file;          /* file name; NULL: "<name>.ini" */
	const char *ini;           /* file text */
	const char *set[4];        /* --set overrides */
	void (*check)(const struct config *c);
};

/* ---- helpers ---- */

struct temp_file {
	char *dir;  /* the temporary folder */
	char *path; /* the file in it */
};

static void temp_file_write(struct temp_file *t, const char *file, const char *data, size_t len)
{
	GError *e = NULL;

	t->dir = g_dir_make_tmp("tcpsim-config-XXXXXX", &e);
	g_assert_no_error(e);
	t->path = g_build_filename(t->dir, file, NULL);
	if (data) {
		g_file_set_contents(t->path, data, (gssize)len, &e);
		g_assert_no_error(e);
	}
}

static void temp_file_remove(struct temp_file *t)
{
	g_remove(t->path);
	g_rmdir(t->dir);
	g_free(t->path);
	g_free(t->dir);
}

static bool is_cleared(const struct config *c)
{
	static const struct config zero;

	return memcmp(c, &zero, sizeof zero) == 0;
}

static void assert_message(const char *got, const char *expect, const char *path)
{
	GString *want = g_string_new(expect);
	size_t n;

	g_string_replace(want, "$F", path, 0);
	n = want->len;
	if (g_str_has_suffix(want->str, "...")) { /* a prefix is enough */
		n -= 3;
		if (strncmp(got, want->str, n) != 0)
			g_assert_cmpstr(got, ==, want->str);
	} else {
		g_assert_cmpstr(got, ==, want->str);
	}
	g_string_free(want, TRUE);
}

static void test_error(gconstpointer data)
{
	const struct error_case *tc = data;
	struct temp_file t;
	struct config c;
	GError *e = NULL;
	char *file = g_strdup_printf("%s.ini", tc->name);

	memset(&c, 0xa5, sizeof c); /* config_load must clear it */
	temp_file_write(&t, file, tc->ini, tc->len ? tc->len : (tc->ini ? strlen(tc->ini) : 0));
	g_assert_false(config_load(t.path, tc->set, &c, &e));
	g_assert_nonnull(e);
	if (e->domain != CONFIG_ERROR || e->code != (gint)tc->code)
		g_test_message("got code %d: %s", e->code, e->message);
	g_assert_error(e, CONFIG_ERROR, (gint)tc->code);
	assert_message(e->message, tc->expect, t.path);
	g_assert_true(is_cleared(&c));
	config_clear(&c); /* harmless on a cleared config */
	g_error_free(e);
	temp_file_remove(&t);
	g_free(file);
}

/* A folder given as the config. */
static void test_error_directory(void)
{
	struct temp_file t;
	struct config c;
	GError *e = NULL;

	temp_file_write(&t, "unused.ini", NULL, 0);
	g_assert_false(config_load(t.dir, NULL, &c, &e));
	g_assert_error(e, CONFIG_ERROR, CONFIG_ERROR_FILE);
	char *want = g_strdup_printf("%s: cannot read: Is a directory", t.dir);
	g_assert_cmpstr(e->message, ==, want);
	g_free(want);
	g_error_free(e);
	temp_file_remove(&t);
}

/* Loads random text; it must either load or fail with a config error that
 * names the file (never crash, never leave a half-filled config). */
static void load_garbage(const char *text, size_t len)
{
	struct temp_file t;
	struct config c;
	GError *e = NULL;

	temp_file_write(&t, "garbage.ini", text, len);
	if (config_load(t.path, NULL, &c, &e)) {
		config_clear(&c);
	} else {
		g_assert_true(e->domain == CONFIG_ERROR);
		g_assert_true(g_str_has_prefix(e->message, t.path));
		g_assert_true(g_utf8_validate(e->message, -1, NULL));
		g_assert_true(is_cleared(&c));
	}
	g_clear_error(&e);
	temp_file_remove(&t);
}

/* Random bytes, biased towards INI punctuation. */
static void test_error_random_bytes(void)
{
	static const char alphabet[] = "[]=#;\n .\"\\ax0\xff\x01\t";
	GRand *r = g_rand_new_with_seed(7);
	char buf[256];

	for (int run = 0; run < 300; run++) {
		size_t n = (size_t)g_rand_int_range(r, 1, sizeof buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = alphabet[g_rand_int_range(r, 0, sizeof alphabet - 1)];
		load_garbage(buf, n);
	}
	g_rand_free(r);
}

/* Random sequences of config words: they reach the value parsers. */
static void test_error_random_words(void)
{
	static const char *const words[] = {
		"[network]", "[tcp]", "[client]", "[server]", "[client.tcp]", "[simulation]", "\n", "\n",
		"\n", " ", "=", "=", "loss", "mss", "script", "address", "profile", "delay", "0.5", "10ms",
		"1460", "\"", "\\", "connect", "send", ";", "#", "10.0.0.2:80", "caf\xc3\xa9", "\r", "x",
	};
	GRand *r = g_rand_new_with_seed(11);

	for (int run = 0; run < 500; run++) {
		GString *text = g_string_new(NULL);
		int n = g_rand_int_range(r, 1, 60);
		for (int i = 0; i < n; i++)
			g_string_append(text, words[g_rand_int_range(r, 0, G_N_ELEMENTS(words))]);
		load_garbage(text->str, text->len);
		g_string_free(text, TRUE);
	}
	g_rand_free(r);
}

/* Well-formed files of real sections and keys with random values: they
 * reach every value parser and the relation checks. */
static void test_error_random_values(void)
{
	static const char *const sections[] = { "simulation", "network", "network.server_to_client",
	                                        "tcp", "client.tcp", "client", "server" };
	static const char *const keys[] = { "seed", "duration", "profile", "capture", "delay", "jitter",
	                                    "distribution", "loss", "reorder", "bandwidth", "queue", "mss",
	                                    "rto_min", "rto_initial", "wscale", "address", "script", "repeat" };
	static const char *const values[] = { "0", "-1", "1.5", "10ms", "2h", "200", "1%", "bsd", "",
	                                      "pareto", "10Mbit", "64KiB", "nan", "10.0.0.1", "10.0.0.2:80",
	                                      "forever", "connect; send \"a\\0\"", "listen 99999",
	                                      "send \"\\q", "18446744073709551616", " 5ms ", "\xc3\xa9" };
	GRand *r = g_rand_new_with_seed(13);

	for (int run = 0; run < 500; run++) {
		GString *text = g_string_new(BASE);
		for (int n = g_rand_int_range(r, 0, 4); n > 0; n--) {
			g_string_append_printf(text, "[%s]\n", sections[g_rand_int_range(r, 0, G_N_ELEMENTS(sections))]);
			for (int k = g_rand_int_range(r, 0, 3); k > 0; k--)
				g_string_append_printf(text, "%s = %s\n", keys[g_rand_int_range(r, 0, G_N_ELEMENTS(keys))],
				                       values[g_rand_int_range(r, 0, G_N_ELEMENTS(values))]);
		}
		load_garbage(text->str, text->len);
		g_string_free(text, TRUE);
	}
	g_rand_free(r);
}

static void test_load(gconstpointer data)
{
	const struct load_case *tc = data;
	struct temp_file t;
	struct config c;
	GError *e = NULL;
	char *file = tc->file ? g_strdup(tc->file) : g_strdup_printf("%s.ini", tc->name);

	temp_file_write(&t, file, tc->ini, strlen(tc->ini));
	config_load(t.path, tc->set, &c, &e);
	g_assert_no_error(e);
	g_assert_cmpstr(c.path, ==, t.path);
	tc->check(&c);
	config_clear(&c);
	g_assert_true(is_cleared(&c));
	temp_file_remove(&t);
	g_free(file);
}

static struct tcp_params profile(const char *name)
{
	struct tcp_params p;

	g_assert_true(tcp_profile_get(name, &p));
	return p;
}

static void assert_tcp_equal(const struct tcp_params *a, const struct tcp_params *b)
{
	g_assert_cmpmem(a, sizeof *a, b, sizeof *b);
}

/* ---- valid configs ---- */

static void check_defaults(const struct config *c)
{
	struct tcp_params linux_p = profile("linux");
	struct link_params link;

	link_params_default(&link);
	g_assert_cmpstr(c->name, ==, "defaults");
	g_assert_cmpuint(c->seed, ==, 1);
	g_assert_cmpint(c->duration, ==, 600 * SIM_SEC);
	g_assert_cmpstr(c->profile, ==, "linux");
	g_assert_true(c->pcap);
	g_assert_cmpint(c->capture, ==, CAPTURE_CLIENT);
	g_assert_true(c->ethernet);
	g_assert_null(c->out_dir);
	g_assert_cmpmem(&c->c2s, sizeof link, &link, sizeof link);
	g_assert_cmpmem(&c->s2c, sizeof link, &link, sizeof link);
	g_assert_cmpint(c->c2s.delay, ==, 10 * SIM_MS);
	g_assert_cmpuint(c->c2s.queue_limit, ==, 1000);
	g_assert_cmphex(c->client.addr, ==, 0x0a000001);
	g_assert_cmpuint(c->client.port, ==, 0);
	g_assert_cmphex(c->server.addr, ==, 0x0a000002);
	g_assert_cmpuint(c->server.port, ==, 7777);
	g_assert_cmpuint(c->client.repeat, ==, 1);
	g_assert_cmpuint(c->server.repeat, ==, 1);
	g_assert_cmpuint(c->client.script.n, ==, 2);
	g_assert_cmpint(c->client.script.calls[0].op, ==, SCRIPT_CONNECT);
	g_assert_cmpuint(c->server.script.n, ==, 3);
	assert_tcp_equal(&c->client.tcp, &linux_p);
	assert_tcp_equal(&c->server.tcp, &linux_p);
}

static void check_profile_bsd(const struct config *c)
{
	struct tcp_params bsd = profile("bsd");

	g_assert_cmpstr(c->profile, ==, "bsd");
	assert_tcp_equal(&c->client.tcp, &bsd);
	assert_tcp_equal(&c->server.tcp, &bsd);
}

/* profile rfc -> [tcp] -> [client.tcp] */
static void check_tcp_precedence(const struct config *c)
{
	g_assert_cmpuint(c->client.tcp.mss, ==, 536);
	g_assert_cmpuint(c->server.tcp.mss, ==, 1000);
	g_assert_cmpuint(c->client.tcp.ttl, ==, 100);
	g_assert_cmpuint(c->server.tcp.ttl, ==, 100);
	g_assert_cmpint(c->client.tcp.rto_min, ==, SIM_SEC); /* from rfc */
	g_assert_cmpint(c->server.tcp.time_wait, ==, 240 * SIM_SEC);
}

static void check_set_over_file(const struct config *c)
{
	g_assert_cmpuint(c->client.tcp.mss, ==, 1200);
	g_assert_cmpuint(c->server.tcp.mss, ==, 1200);
}

static void check_set_dotted_section(const struct config *c)
{
	g_assert_cmpuint(c->client.tcp.mss, ==, 536);
	g_assert_cmpuint(c->server.tcp.mss, ==, 1460);
	g_assert_cmpfloat(c->s2c.loss, ==, 0.05);
	g_assert_cmpfloat(c->c2s.loss, ==, 0);
}

/* --set tcp.mss replaces [tcp] mss; [client.tcp] still overrides [tcp]. */
static void check_set_keeps_section_order(const struct config *c)
{
	g_assert_cmpuint(c->client.tcp.mss, ==, 536);
	g_assert_cmpuint(c->server.tcp.mss, ==, 1200);
}

/* The profile named by --set applies before [tcp]. */
static void check_set_profile(const struct config *c)
{
	g_assert_cmpstr(c->profile, ==, "windows");
	g_assert_cmpint(c->client.tcp.rto_initial, ==, 3 * SIM_SEC);
	g_assert_cmpint(c->server.tcp.time_wait, ==, 120 * SIM_SEC);
	g_assert_cmpuint(c->client.tcp.ttl, ==, 100); /* [tcp] still wins */
}

static void check_set_repairs_file(const struct config *c)
{
	g_assert_cmpfloat(c->c2s.loss, ==, 0.1);
	g_assert_cmpfloat(c->s2c.loss, ==, 0.1);
}

static void check_network_precedence(const struct config *c)
{
	g_assert_cmpfloat(c->c2s.loss, ==, 0.01);
	g_assert_cmpfloat(c->s2c.loss, ==, 0.2);
	g_assert_cmpint(c->c2s.delay, ==, 50 * SIM_MS);
	g_assert_cmpint(c->s2c.delay, ==, 50 * SIM_MS);
	g_assert_cmpint(c->s2c.jitter, ==, 5 * SIM_MS);
	g_assert_cmpint(c->s2c.distribution, ==, LINK_DIST_NORMAL);
	g_assert_cmpint(c->c2s.distribution, ==, LINK_DIST_UNIFORM);
}

static void check_units(const struct config *c)
{
	g_assert_cmpint(c->c2s.delay, ==, 1500 * SIM_MS);
	g_assert_cmpint(c->c2s.jitter, ==, 75 * SIM_US);
	g_assert_cmpint(c->c2s.distribution, ==, LINK_DIST_PARETO);
	g_assert_cmpfloat(c->c2s.pareto_shape, ==, 2.5);
	g_assert_cmpuint(c->c2s.bandwidth, ==, 10000000);
	g_assert_cmpfloat(c->c2s.reorder, ==, 0.05);
	g_assert_cmpint(c->c2s.reorder_delay, ==, 2 * SIM_MS);
	g_assert_cmpfloat(c->c2s.duplicate, ==, 0.001);
	g_assert_cmpuint(c->c2s.queue_limit, ==, 50);
	g_assert_cmpuint(c->client.tcp.rcvbuf, ==, 65536);
	g_assert_cmpuint(c->client.tcp.sndbuf, ==, 1000000);
	g_assert_cmpint(c->client.tcp.time_wait, ==, 2 * SIM_MIN);
	g_assert_cmpint(c->client.tcp.keepalive_idle, ==, 7200 * SIM_SEC);
	g_assert_true(c->client.tcp.keepalive);
	g_assert_false(c->client.tcp.sack);
	g_assert_cmpint(c->client.tcp.delayed_ack, ==, 0);
}

static void check_simulation_keys(const struct config *c)
{
	g_assert_cmpuint(c->seed, ==, UINT64_MAX);
	g_assert_cmpint(c->duration, ==, 3600 * SIM_SEC);
	g_assert_false(c->pcap);
	g_assert_cmpint(c->capture, ==, CAPTURE_SERVER);
	g_assert_false(c->ethernet);
	g_assert_cmpstr(c->out_dir, ==, "/tmp/tcpsim out");
}

static void check_addresses(const struct config *c)
{
	g_assert_cmphex(c->client.addr, ==, 0xc0a80001);
	g_assert_cmpuint(c->client.port, ==, 40000);
	g_assert_cmpuint(c->client.prefix, ==, 24); /* the default */
	g_assert_cmphex(c->server.addr, ==, 0xc0a80002);
	g_assert_cmpuint(c->server.port, ==, 80);
	g_assert_cmpuint(c->server.prefix, ==, 24);
	g_assert_cmpuint(c->client.repeat, ==, 0); /* forever */
	g_assert_cmpuint(c->server.repeat, ==, 3);
}

/* Raw values: GKeyFile's own escapes are not applied to scripts. */
/* ADDRESS/PREFIX[:PORT]; 127/8 defaults to /8; the ARP keys per direction. */
static void check_prefixes(const struct config *c)
{
	g_assert_cmphex(c->client.addr, ==, 0xc0a80004);
	g_assert_cmpuint(c->client.prefix, ==, 16);
	g_assert_cmpuint(c->client.port, ==, 40000);
	g_assert_cmphex(c->server.addr, ==, 0x7f000002);
	g_assert_cmpuint(c->server.prefix, ==, 8);
	g_assert_cmpuint(c->server.port, ==, 80);
	g_assert_cmpuint(c->c2s.arp_probes, ==, 5);
	g_assert_cmpint(c->c2s.arp_interval, ==, 250 * SIM_MS);
	g_assert_cmpuint(c->s2c.arp_probes, ==, 3); /* Linux's mcast_solicit */
	g_assert_cmpint(c->s2c.arp_interval, ==, SIM_SEC); /* and retrans_time */
}

static void check_script_escapes(const struct config *c)
{
	const struct script_call *send = &c->client.script.calls[1];
	const struct script_call *reply = &c->server.script.calls[2];

	g_assert_cmpuint(c->client.script.n, ==, 4);
	g_assert_cmpint(send->op, ==, SCRIPT_SEND);
	g_assert_cmpmem(send->data, (int)send->count, "hello\0", 6);
	g_assert_cmpmem(reply->data, (int)reply->count, "a;b\\\n", 5);
}

/* Scripts over indented lines: a line of the file is a line of the
 * script (from the key's line on), columns included; blank and comment
 * lines are kept as empty lines; a key after the value is a key. */
static void check_script_lines(const struct config *c)
{
	const struct script *cl = &c->client.script, *sv = &c->server.script;
	static const uint32_t lines[] = { 1, 2, 2, 3 }, columns[] = { 10, 2, 10, 2 };

	g_assert_cmpuint(cl->n, ==, 0); /* the C form */
	g_assert_cmpuint(cl->top.n, ==, 3);
	g_assert_cmpuint(cl->top.v[0].line, ==, 2);
	g_assert_cmpuint(cl->top.v[0].column, ==, 5);
	g_assert_cmpuint(cl->top.v[1].line, ==, 3);
	g_assert_cmpuint(cl->top.v[2].line, ==, 6);
	g_assert_cmpuint(cl->n_vars, ==, 1);
	g_assert_cmpstr(cl->vars[0], ==, "fd");
	g_assert_cmpuint(c->client.repeat, ==, 2);
	g_assert_cmpuint(sv->n, ==, 4);
	for (uint32_t i = 0; i < sv->n; i++) {
		g_assert_cmpuint(sv->calls[i].line, ==, lines[i]);
		g_assert_cmpuint(sv->calls[i].column, ==, columns[i]);
	}
	g_assert_cmpmem(sv->calls[2].data, (int)sv->calls[2].count, "a # b", 5);
}

/* --set replaces a script of several lines with its one line. */
static void check_script_lines_set(const struct config *c)
{
	g_assert_cmpuint(c->client.script.n, ==, 2);
	g_assert_cmpint(c->client.script.calls[1].op, ==, SCRIPT_CLOSE);
}

static void check_empty_server_script(const struct config *c)
{
	g_assert_cmpuint(c->server.script.n, ==, 0);
	g_assert_null(c->server.script.calls);
}

static void check_layout(const struct config *c)
{
	g_assert_cmpuint(c->client.script.n, ==, 2);
	g_assert_cmpuint(c->server.script.n, ==, 3);
	g_assert_cmpuint(c->seed, ==, 9);
}

static void check_name_other_extension(const struct config *c)
{
	g_assert_cmpstr(c->name, ==, "scenario.conf");
}

static void check_name_strips_ini(const struct config *c)
{
	g_assert_cmpstr(c->name, ==, "lossy_close");
}

static void check_rto_relation_ok(const struct config *c)
{
	g_assert_cmpint(c->client.tcp.rto_min, ==, 50 * SIM_MS);
	g_assert_cmpint(c->client.tcp.rto_initial, ==, 100 * SIM_MS);
}

static void check_trailing_comments(const struct config *c)
{
	g_assert_cmpfloat(c->c2s.loss, ==, 0.05);
	g_assert_cmpfloat(c->s2c.loss, ==, 0.05);
	g_assert_cmpint(c->c2s.delay, ==, 10 * SIM_MS);
	g_assert_cmpint(c->client.tcp.mss, ==, 1000);
	g_assert_cmpint(c->seed, ==, 7);
	g_assert_cmpuint(c->n_faults, ==, 1);
	g_assert_cmpstr(c->faults[0].name, ==, "lost");
	/* connect; send "a # b"; send "c ; d"; close: ';' separates calls */
	g_assert_cmpuint(c->client.script.n, ==, 4);
	g_assert_cmpmem(c->client.script.calls[1].data, (int)c->client.script.calls[1].count, "a # b", 5);
	g_assert_cmpmem(c->client.script.calls[2].data, (int)c->client.script.calls[2].count, "c ; d", 5);
	g_assert_cmpint(c->client.script.calls[3].op, ==, SCRIPT_CLOSE);
	/* listen ; accept ; close: after a blank, ';' still separates calls */
	g_assert_cmpuint(c->server.script.n, ==, 3);
	g_assert_cmpint(c->server.script.calls[2].op, ==, SCRIPT_CLOSE);
}

/* One [faults] entry as the parser must leave it. */
static void assert_fault(const struct fault *f, const char *name, enum fault_action action, int sender,
                         enum fault_kind kind, uint64_t first, uint64_t last, sim_time from, sim_time to)
{
	g_assert_cmpstr(f->name, ==, name);
	g_assert_cmpint(f->action, ==, action);
	g_assert_cmpint(f->sender, ==, sender);
	g_assert_cmpint(f->kind, ==, kind);
	g_assert_cmpuint(f->first, ==, first);
	g_assert_cmpuint(f->last, ==, last);
	g_assert_cmpint(f->from, ==, from);
	g_assert_cmpint(f->to, ==, to);
}

/* Ranks, ranges, windows (half-open, either bound alone) and kills, in
 * the order of the file; the old forms keep the whole run as window. */
static void check_fault_forms(const struct config *c)
{
	g_assert_cmpuint(c->n_faults, ==, 9);
	const struct fault *f = c->faults;
	assert_fault(&f[0], "one", FAULT_DROP, 0, FAULT_ACK_OF_FIN, 1, 1, 0, SIM_NEVER);
	assert_fault(&f[1], "range", FAULT_DROP, 0, FAULT_ACK, 2, 4, 0, SIM_NEVER);
	assert_fault(&f[2], "range1", FAULT_DUPLICATE, 1, FAULT_DATA, 11, 11, 0, SIM_NEVER);
	assert_fault(&f[3], "window", FAULT_DROP, 0, FAULT_ACK, 1, UINT64_MAX, 1300 * SIM_MS, 2350 * SIM_MS);
	assert_fault(&f[4], "from", FAULT_DROP, 0, FAULT_FIN, 1, 1, 5 * SIM_SEC, SIM_NEVER);
	assert_fault(&f[5], "to", FAULT_DROP, 1, FAULT_SYN_ACK, 1, 3, 0, 2 * SIM_SEC);
	assert_fault(&f[6], "delayed", FAULT_DELAY, 0, FAULT_DATA, 2, 3, 0, 100 * SIM_MS);
	g_assert_cmpint(f[6].delay, ==, 30 * SIM_SEC);
	g_assert_cmpstr(f[7].name, ==, "ss_k");
	g_assert_cmpint(f[7].action, ==, FAULT_KILL);
	g_assert_cmpint(f[7].sender, ==, 0);
	g_assert_cmpint(f[7].at, ==, 61500 * SIM_MS);
	g_assert_cmpint(f[8].action, ==, FAULT_KILL);
	g_assert_cmpint(f[8].sender, ==, 1);
	g_assert_cmpint(f[8].at, ==, 0);
}

/* Linux SOCK_MIN_RCVBUF / SOCK_MIN_SNDBUF: smaller buffers are raised. */
static void check_buffer_floors(const struct config *c)
{
	g_assert_cmpuint(c->client.tcp.rcvbuf, ==, TCP_MIN_RCVBUF);
	g_assert_cmpuint(c->client.tcp.sndbuf, ==, 4608);
	g_assert_cmpuint(c->server.tcp.rcvbuf, ==, 4608);
	g_assert_cmpuint(c->server.tcp.sndbuf, ==, 4609); /* above the floor: as written */
}

static const struct load_case load_cases[] = {
	{ "buffer-floors", NULL, BASE "[tcp]\nrcvbuf = 100\nsndbuf = 1\n[server.tcp]\nsndbuf = 4609\n",
	  { "client.tcp.rcvbuf=4607", NULL }, check_buffer_floors },
	{ "trailing-comments", NULL,
	  "[simulation] # the run\nseed = 7 ; fixed\n; a whole-line ';' comment\n"
	  "[network]\t; both ways\nloss = 5%  # comment\ndelay = 10ms\t# tab before\n"
	  "[tcp]\nmss = 1000 ; mss\n[faults]\nlost = drop 1st client data # why\n"
	  "[client]\nscript = connect; send \"a # b\"; send \"c ; d\"; close # done\n"
	  "[server]\nscript = listen ; accept ; close\t# ';' separates calls here\n",
	  { NULL }, check_trailing_comments },
	{ "fault-forms", NULL,
	  BASE "[faults]\none = drop 1st client ack-of-fin\nrange = drop 2nd..4th client ack\n"
	  "range1 = duplicate 11th..11th server data\nwindow = drop all client ack from 1.3s to 2.35s\n"
	  "from = drop 1st client fin from 5s\nto = drop first 3 server syn-ack to 2s\n"
	  "delayed = delay 2nd..3rd client data by 30s to 100ms\nss_k = kill client at 61.5s\n",
	  { "faults.server_k=kill server at 0s", NULL }, check_fault_forms },
	{ "defaults", NULL, BASE, { NULL }, check_defaults },
	{ "profile-bsd", NULL, "[simulation]\nprofile = bsd\n" BASE, { NULL }, check_profile_bsd },
	{ "tcp-precedence", NULL,
	  "[client.tcp]\nmss = 536\n[tcp]\nmss = 1000\nttl = 100\n[simulation]\nprofile = rfc\n" BASE,
	  { NULL }, check_tcp_precedence },
	{ "set-over-file", NULL, BASE "[tcp]\nmss = 1000\n", { "tcp.mss=1200", NULL }, check_set_over_file },
	{ "set-dotted-section", NULL, BASE,
	  { "client.tcp.mss=536", "network.server_to_client.loss=5%", NULL }, check_set_dotted_section },
	{ "set-keeps-section-order", NULL, BASE "[client.tcp]\nmss = 536\n", { "tcp.mss=1200", NULL },
	  check_set_keeps_section_order },
	{ "set-profile", NULL, "[simulation]\nprofile = linux\n[tcp]\nttl = 100\n" BASE,
	  { "simulation.profile=windows", NULL }, check_set_profile },
	{ "set-repairs-file-value", NULL, BASE "[network]\nloss = 1.5\n", { "network.loss=0.1", NULL },
	  check_set_repairs_file },
	{ "set-last-wins", NULL, BASE, { "tcp.mss=1000", "tcp.mss=1200", NULL }, check_set_over_file },
	{ "network-precedence", NULL,
	  BASE "[network]\nloss = 1%\ndelay = 50ms\n[network.server_to_client]\nloss = 0.2\n"
	  "jitter = 5ms\ndistribution = normal\n", { NULL }, check_network_precedence },
	{ "units", NULL,
	  BASE "[network]\ndelay = 1.5s\njitter = 75us\ndistribution = pareto\npareto_shape = 2.5\n"
	  "bandwidth = 10Mbit\nreorder = 5%\nreorder_delay = 2ms\nduplicate = 0.001\nqueue = 50\n"
	  "[tcp]\nrcvbuf = 64KiB\nsndbuf = 1MB\ntime_wait = 2min\nkeepalive_idle = 2h\nkeepalive = yes\n"
	  "sack = off\ndelayed_ack = 0\n", { NULL }, check_units },
	{ "simulation-keys", NULL,
	  "[simulation]\nseed = 18446744073709551615\nduration = 1h\npcap = no\ncapture = server\n"
	  "framing = raw\nout = /tmp/tcpsim out\n" BASE, { NULL }, check_simulation_keys },
	{ "addresses", NULL,
	  "[client]\naddress = 192.168.0.1:40000\nscript = connect\nrepeat = forever\n"
	  "[server]\naddress = 192.168.0.2:80\nscript = listen\nrepeat = 3\n", { NULL }, check_addresses },
	{ "prefixes", NULL,
	  "[client]\naddress = 192.168.0.4/16:40000\nscript = connect\n"
	  "[server]\naddress = 127.0.0.2:80\nscript = listen\n"
	  "[network.client_to_server]\narp_probes = 5\narp_interval = 250ms\n", { NULL }, check_prefixes },
	{ "script-escapes", NULL,
	  "[client]\nscript = connect; send \"hello\\0\"; recv 6; close\n"
	  "[server]\nscript = listen; accept; send \"a;b\\\\\\n\"\n", { NULL }, check_script_escapes },
	{ "script-lines", NULL,
	  "[client]\nscript =\n    fd = socket(AF_INET, SOCK_STREAM, 0)\n    connect(fd, 10.0.0.2:7777)   # the server\n"
	  "\n    # a comment line\n    close(fd)\nrepeat = 2\n"
	  "[server]\nscript = listen\n\taccept; send \"a # b\"  # a comment\n\tclose\n", { NULL },
	  check_script_lines },
	{ "script-lines-set", NULL, "[client]\nscript =\n    sned\n    x = y\n[server]\nscript = listen\n",
	  { "client.script=connect; close", NULL }, check_script_lines_set },
	{ "empty-server-script", NULL, "[client]\nscript = connect\n[server]\nscript =\n", { NULL },
	  check_empty_server_script },
	{ "comments-blanks-crlf-bom", NULL,
	  "\xef\xbb\xbf# a scenario\r\n\r\n  [simulation]  \r\n\tseed=9\r\n# [faults] is not read\r\n"
	  "[client]\r\n   script   =   connect; close   \r\n[server]\r\nscript = listen; accept; close\r\n",
	  { NULL }, check_layout },
	{ "name-other-extension", "scenario.conf", BASE, { NULL }, check_name_other_extension },
	{ "name-strips-ini", "lossy_close.ini", BASE, { NULL }, check_name_strips_ini },
	{ "rto-relation-ok", NULL, BASE "[tcp]\nrto_min = 50ms\nrto_initial = 100ms\n", { NULL },
	  check_rto_relation_ok },
};

/* ---- the reference ---- */

static void test_reference(void)
{
	static const char *const expected[] = {
		"[simulation]\n", "[network]\n", "[network.client_to_server]\n", "[network.server_to_client]\n",
		"[tcp]\n", "[client.tcp]\n", "[server.tcp]\n", "[client]\n", "[server]\n",
		"\n  seed ", "\n  mss ", "\n  rto_min ", "\n  ttl ", "\n  pareto_shape ", "\n  queue ",
		"\n  address ", "\n  script ", "\n  repeat ", "default: 10ms", "default: 600s",
		"default: 10.0.0.2:7777", "from the profile (linux: 1460)", "required",
	};
	GString *out = g_string_new(NULL);

	config_print_reference(out);
	for (size_t i = 0; i < G_N_ELEMENTS(expected); i++)
		if (!strstr(out->str, expected[i]))
			g_error("reference lacks \"%s\":\n%s", expected[i], out->str);
	g_assert_nonnull(strstr(out->str, "[faults]\n  Targeted faults"));
	g_assert_nonnull(strstr(out->str, "[sweep]\n  A parameter sweep"));
	g_string_free(out, TRUE);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(error_cases); i++) {
		char *path = g_strdup_printf("/config/error/%s", error_cases[i].name);
		g_test_add_data_func(path, &error_cases[i], test_error);
		g_free(path);
	}
	g_test_add_func("/config/error/directory", test_error_directory);
	g_test_add_func("/config/error/random-bytes", test_error_random_bytes);
	g_test_add_func("/config/error/random-words", test_error_random_words);
	g_test_add_func("/config/error/random-values", test_error_random_values);
	for (size_t i = 0; i < G_N_ELEMENTS(load_cases); i++) {
		char *path = g_strdup_printf("/config/load/%s", load_cases[i].name);
		g_test_add_data_func(path, &load_cases[i], test_load);
		g_free(path);
	}
	g_test_add_func("/config/reference", test_reference);
	return g_test_run();
}
