/*
 * The key table: every section of a config and every key of every
 * section, with its type, field, range, default and documentation.
 *
 * Everything the loader knows is in two const tables.  `sections` lists
 * the INI sections: the group of keys each takes, the structs of struct
 * config it fills (its targets) and the section it overrides.  `keys` lists
 * every key of every group.  Parsing, validation, unknown-key detection and
 * config_print_reference all walk these tables, so a new section is one
 * row in `sections` (plus the rows of its keys).  They live apart from the
 * code that walks them so that they read as the reference they are, and
 * so that other code can walk the keys through keys.h.
 */
#include "sim/config/keys.h"
#include "sim/config/config_int.h"

#include <stddef.h>
#include <string.h>

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
	{ .group = g, .name = n, .type = CONFIG_KEY_CHOICE, field, .choices = list, .def = d, .doc = text }

static const struct config_choice capture_choices[] = {
	{ "client", CAPTURE_CLIENT }, { "server", CAPTURE_SERVER }, { NULL, 0 },
};
static const struct config_choice framing_choices[] = { { "ethernet", 1 }, { "raw", 0 }, { NULL, 0 } };
static const struct config_choice distribution_choices[] = {
	{ "constant", LINK_DIST_CONSTANT }, { "uniform", LINK_DIST_UNIFORM },
	{ "normal", LINK_DIST_NORMAL },     { "exponential", LINK_DIST_EXPONENTIAL },
	{ "pareto", LINK_DIST_PARETO },     { "netem_pareto", LINK_DIST_NETEM_PARETO },
	{ "netem_paretonormal", LINK_DIST_NETEM_PARETONORMAL }, { NULL, 0 },
};

static const struct config_choice loss_model_choices[] = {
	{ "random", LINK_LOSS_RANDOM }, { "gemodel", LINK_LOSS_GEMODEL }, { "state", LINK_LOSS_STATE },
	{ NULL, 0 },
};
static const struct config_choice loss_start_choices[] = {
	{ "good", 0 }, { "stationary", 1 }, { NULL, 0 },
};
static const struct config_choice unreachable_choices[] = {
	{ "none", LINK_REACHABLE }, { "net", LINK_NET_UNREACHABLE }, { "host", LINK_HOST_UNREACHABLE },
	{ NULL, 0 },
};
static const struct config_choice rto_formula_choices[] = {
	{ "rfc6298", TCP_RTO_RFC6298 }, { "linux", TCP_RTO_LINUX }, { NULL, 0 },
};
static const struct config_choice timers_choices[] = {
	{ "kernel", TCP_TIMERS_KERNEL }, { "exact", TCP_TIMERS_EXACT }, { NULL, 0 },
};
static const struct config_choice hz_choices[] = {
	{ "100", 100 }, { "250", 250 }, { "300", 300 }, { "1000", 1000 }, { NULL, 0 },
};
static const struct config_choice nagle_choices[] = {
	{ "off", TCP_NAGLE_OFF }, { "rfc896", TCP_NAGLE_RFC896 }, { "minshall", TCP_NAGLE_MINSHALL },
	{ NULL, 0 },
};
static const struct config_choice cc_choices[] = {
	{ "cubic", TCP_CC_CUBIC }, { "reno", TCP_CC_RENO }, { "newreno", TCP_CC_NEWRENO }, { NULL, 0 },
};

static const struct config_key keys[] = {
	/* [simulation] */
	KEY(CONFIG_GROUP_SIMULATION, "seed", CONFIG_KEY_UINT64, SIM(seed), 0, UINT64_MAX, "1",
	    "Master seed: every random stream is derived from it and the stream's name."),
	KEY(CONFIG_GROUP_SIMULATION, "duration", CONFIG_KEY_DURATION, SIM(duration), 1, 365 * DAY, "600s",
	    "The run stops at this simulated time."),
	KEY(CONFIG_GROUP_SIMULATION, "omit", CONFIG_KEY_DURATION, SIM(omit), 0, 365 * DAY, "0s",
	    "The transfer metrics (goodput, transfer time) leave out the bytes read before "
	    "this simulated time, as iperf3 --omit skips TCP's slow start."),
	{ .group = CONFIG_GROUP_SIMULATION, .name = "profile", .type = CONFIG_KEY_PROFILE, SIM(profile),
	  .def = "linux", .doc = "OS profile giving the TCP defaults that [tcp] overrides." },
	KEY(CONFIG_GROUP_SIMULATION, "pcap", CONFIG_KEY_BOOL, SIM(pcap), 0, 0, "true", "Write trace.pcap."),
	CHOICE_KEY(CONFIG_GROUP_SIMULATION, "capture", SIM(capture), capture_choices, "client",
	           "Whose interface the pcap shows: client or server."),
	CHOICE_KEY(CONFIG_GROUP_SIMULATION, "framing", SIM(ethernet), framing_choices, "ethernet",
	           "Link layer of the pcap: ethernet, or raw IPv4."),
	{ .group = CONFIG_GROUP_SIMULATION, .name = "out", .type = CONFIG_KEY_PATH, SIM(out_dir),
	  .doc = "Output folder; default out/<config name>/." },

	/* [network], [network.client_to_server], [network.server_to_client] */
	KEY(CONFIG_GROUP_LINK, "delay", CONFIG_KEY_DURATION, LINK(delay), 0, HOUR, NULL,
	    "One-way propagation delay."),
	KEY(CONFIG_GROUP_LINK, "jitter", CONFIG_KEY_DURATION, LINK(jitter), 0, HOUR, NULL,
	    "Spread of the delay; its meaning depends on distribution."),
	CHOICE_KEY(CONFIG_GROUP_LINK, "distribution", LINK(distribution), distribution_choices, NULL,
	           "Law of the jitter: constant (none), uniform, normal, exponential, pareto (delay + a "
	           "Pareto of scale jitter and shape pareto_shape), or netem's tables netem_pareto and "
	           "netem_paretonormal (delay + jitter x the table's value, centred near 0: netem's "
	           "`distribution pareto` and `paretonormal`)."),
	{ .group = CONFIG_GROUP_LINK, .name = "pareto_shape", .type = CONFIG_KEY_POSITIVE, LINK(pareto_shape),
	  .doc = "Shape (alpha) of the Pareto tail." },
	KEY(CONFIG_GROUP_LINK, "loss", CONFIG_KEY_PROBABILITY, LINK(loss), 0, 0, NULL,
	    "Probability a packet is lost."),
	KEY(CONFIG_GROUP_LINK, "reorder", CONFIG_KEY_PROBABILITY, LINK(reorder), 0, 0, NULL,
	    "Probability a packet is held back by reorder_delay, so later ones overtake it."),
	KEY(CONFIG_GROUP_LINK, "reorder_delay", CONFIG_KEY_DURATION, LINK(reorder_delay), 0, HOUR, NULL,
	    "Extra delay of a held-back packet."),
	KEY(CONFIG_GROUP_LINK, "reorder_at_once", CONFIG_KEY_PROBABILITY, LINK(reorder_at_once), 0, 0, "0",
	    "netem's reorder: probability a packet is sent at once (no delay, no jitter) while the "
	    "others wait out delay + jitter, after reorder_gap - 1 packets that wait; not with reorder."),
	KEY(CONFIG_GROUP_LINK, "reorder_gap", CONFIG_KEY_UINT, LINK(reorder_gap), 1, UINT32_MAX, "1",
	    "netem's gap: after a packet sent at once, this many minus 1 wait before reorder_at_once "
	    "applies again (gap 5: at most every 5th packet goes at once)."),
	KEY(CONFIG_GROUP_LINK, "duplicate", CONFIG_KEY_PROBABILITY, LINK(duplicate), 0, 0, NULL,
	    "Probability a packet is delivered twice."),
	/* netem's laws (Linux net/sched/sch_netem.c): models/link.h */
	CHOICE_KEY(CONFIG_GROUP_LINK, "loss_model", LINK(loss_model), loss_model_choices, "random",
	           "Law of the losses: random (loss, loss_correlation), gemodel (Gilbert-Elliott: "
	           "ge_p, ge_r, ge_1h, ge_1k) or state (4-state Markov: state_p13 ... state_p14)."),
	KEY(CONFIG_GROUP_LINK, "loss_correlation", CONFIG_KEY_PROBABILITY, LINK(loss_correlation), 0, 0,
	    "0", "netem's loss correlation (below 1): each draw is (1-c) x fresh + c x the last one."),
	{ .group = CONFIG_GROUP_LINK, .name = "loss_burst", .type = CONFIG_KEY_POSITIVE, LINK(loss_burst),
	  .doc = "Losses at the rate `loss` in bursts of this mean length (>= 1): the simple Gilbert "
	         "model, gemodel with ge_r = 1/loss_burst, ge_p = ge_r x loss / (1 - loss), ge_1h = 1, "
	         "ge_1k = 0.  Unset: independent losses." },
	CHOICE_KEY(CONFIG_GROUP_LINK, "loss_model_start", LINK(loss_start_stationary), loss_start_choices,
	           "good", "gemodel and state: the chain starts in the good state (netem's qdisc, new) or "
	           "in one drawn from its stationary law (a link long in use): a short connection then "
	           "sees the long-run loss rate.  No effect on random losses (a sweep may set it beside "
	           "loss_burst)."),
	KEY(CONFIG_GROUP_LINK, "ge_p", CONFIG_KEY_PROBABILITY, LINK(ge_p), 0, 0, "0",
	    "gemodel: chance a packet moves the link from good to bad."),
	KEY(CONFIG_GROUP_LINK, "ge_r", CONFIG_KEY_PROBABILITY, LINK(ge_r), 0, 0, "0",
	    "gemodel: chance a packet moves it from bad to good (bad lasts 1/ge_r packets on average)."),
	KEY(CONFIG_GROUP_LINK, "ge_1h", CONFIG_KEY_PROBABILITY, LINK(ge_1h), 0, 0, NULL,
	    "gemodel: loss probability in the bad state (netem's 1-h)."),
	KEY(CONFIG_GROUP_LINK, "ge_1k", CONFIG_KEY_PROBABILITY, LINK(ge_1k), 0, 0, "0",
	    "gemodel: loss probability in the good state (netem's 1-k)."),
	KEY(CONFIG_GROUP_LINK, "state_p13", CONFIG_KEY_PROBABILITY, LINK(st_p13), 0, 0, "0",
	    "state: from 1 (received, gap) to 3 (lost, burst)."),
	KEY(CONFIG_GROUP_LINK, "state_p31", CONFIG_KEY_PROBABILITY, LINK(st_p31), 0, 0, "0",
	    "state: from 3 (lost, burst) to 1 (received, gap)."),
	KEY(CONFIG_GROUP_LINK, "state_p32", CONFIG_KEY_PROBABILITY, LINK(st_p32), 0, 0, "0",
	    "state: from 3 (lost, burst) to 2 (received, burst)."),
	KEY(CONFIG_GROUP_LINK, "state_p23", CONFIG_KEY_PROBABILITY, LINK(st_p23), 0, 0, "0",
	    "state: from 2 (received, burst) to 3 (lost, burst)."),
	KEY(CONFIG_GROUP_LINK, "state_p14", CONFIG_KEY_PROBABILITY, LINK(st_p14), 0, 0, "0",
	    "state: from 1 (received, gap) to 4 (isolated loss)."),
	KEY(CONFIG_GROUP_LINK, "delay_correlation", CONFIG_KEY_PROBABILITY, LINK(delay_correlation), 0, 0,
	    "0", "netem's jitter correlation (below 1), on the uniform the jitter is drawn from."),
	KEY(CONFIG_GROUP_LINK, "reorder_correlation", CONFIG_KEY_PROBABILITY, LINK(reorder_correlation),
	    0, 0, "0", "netem's reorder correlation (below 1), of reorder or reorder_at_once."),
	KEY(CONFIG_GROUP_LINK, "duplicate_correlation", CONFIG_KEY_PROBABILITY,
	    LINK(duplicate_correlation), 0, 0, "0", "netem's duplicate correlation (below 1)."),
	KEY(CONFIG_GROUP_LINK, "corrupt", CONFIG_KEY_PROBABILITY, LINK(corrupt), 0, 0, "0",
	    "Probability a packet arrives with one bit of its TCP header or payload flipped: the "
	    "receiver drops it on its checksum (counted as corrupted, not as lost)."),
	KEY(CONFIG_GROUP_LINK, "corrupt_correlation", CONFIG_KEY_PROBABILITY, LINK(corrupt_correlation),
	    0, 0, "0", "netem's corrupt correlation (below 1)."),
	KEY(CONFIG_GROUP_LINK, "bandwidth", CONFIG_KEY_BANDWIDTH, LINK(bandwidth), 0, 0, NULL,
	    "Link rate; 0 = unlimited (no queue, no transmission time)."),
	KEY(CONFIG_GROUP_LINK, "rate_overhead", CONFIG_KEY_INT, LINK(rate_overhead), 65535, 65535, "0",
	    "Bytes added to (or, negative, taken from) each packet's length for the transmission "
	    "time (netem's rate PACKETOVERHEAD); needs a bandwidth."),
	KEY(CONFIG_GROUP_LINK, "rate_cell_size", CONFIG_KEY_UINT, LINK(rate_cell_size), 0, 65535, "0",
	    "The link sends whole cells of this many bytes (netem's CELLSIZE, e.g. 48 for ATM); "
	    "0 = none; needs a bandwidth."),
	KEY(CONFIG_GROUP_LINK, "rate_cell_overhead", CONFIG_KEY_INT, LINK(rate_cell_overhead), 65535,
	    65535, "0", "Bytes added to each cell (netem's CELLOVERHEAD); needs rate_cell_size."),
	KEY(CONFIG_GROUP_LINK, "queue", CONFIG_KEY_UINT, LINK(queue_limit), 0, 1000000, NULL,
	    "Packets that may wait for a busy link before drop-tail."),
	CHOICE_KEY(CONFIG_GROUP_LINK, "unreachable", LINK(unreachable), unreachable_choices, NULL,
	           "A router answers with ICMP destination unreachable every segment it would forward "
	           "(to the other host, or beyond the sender's subnet): none, net or host.  With none, "
	           "a segment to an address beyond the subnet that no host owns vanishes (a black hole)."),
	{ .group = CONFIG_GROUP_LINK, .name = "router", .type = CONFIG_KEY_IPV4, LINK(router),
	  .doc = "Address of that router (the source of its ICMP messages); it sits `delay` away." },
	KEY(CONFIG_GROUP_LINK, "arp_probes", CONFIG_KEY_UINT, LINK(arp_probes), 1, 255, NULL,
	    "ARP requests the sender broadcasts for an address of its subnet that no host owns, "
	    "one every arp_interval, before the neighbour fails: the packets waiting for it are "
	    "dropped and connect() fails with EHOSTUNREACH (Linux's neigh/<dev>/mcast_solicit)."),
	KEY(CONFIG_GROUP_LINK, "arp_interval", CONFIG_KEY_DURATION, LINK(arp_interval), 10 * SIM_MS, HOUR,
	    NULL,
	    "Time between those ARP requests, and from the last one to the failure: arp_probes x "
	    "arp_interval in all (Linux's neigh/<dev>/retrans_time_ms; at least 10 ms, as Linux)."),
	{ .group = CONFIG_GROUP_LINK, .name = "netem", .type = CONFIG_KEY_NETEM, .offset = 0,
	  .size = sizeof(struct link_params),
	  .doc = "The link's whole law in netem's words, as after `tc qdisc add dev IF root netem` "
	         "(delay 50ms 5ms 25% loss 1% rate 10mbit): words left out take netem's defaults "
	         "(no delay, limit 1000).  Not with the keys of the law in the same section." },

	/* [tcp], [client.tcp], [server.tcp]: the fields of struct tcp_params */
	/* 28: IPv4's smallest MTU (68, RFC 791) less the headers, which
	 * FreeBSD's tcp_mssopt() announces on such a link */
	KEY(CONFIG_GROUP_TCP, "mss", CONFIG_KEY_BYTES, TCP(mss), 28, 65495, NULL, "The MSS we announce."),
	KEY(CONFIG_GROUP_TCP, "rcvbuf", CONFIG_KEY_BYTES, TCP(rcvbuf), 1, GiB, NULL,
	    "Receive buffer: half of it is offered as window (Linux: tcp_rmem[1], where "
	    "autotuning starts, rmem_max).  Less than 4608 is raised "
	    "to 4608, silently (setsockopt(SO_RCVBUF) in a script floors at Linux's "
	    "SOCK_MIN_RCVBUF, 2304)."),
	KEY(CONFIG_GROUP_TCP, "sndbuf", CONFIG_KEY_BYTES, TCP(sndbuf), 1, GiB, NULL,
	    "Send buffer: bounds unsent plus unacknowledged data.  Less than 4608 (Linux "
	    "SOCK_MIN_SNDBUF) is raised to 4608, as setsockopt(SO_SNDBUF) does.  Linux: "
	    "tcp_wmem[1], where the buffer starts before autotuning (wmem_max)."),
	KEY(CONFIG_GROUP_TCP, "init_cwnd", CONFIG_KEY_UINT, TCP(init_cwnd), 1, 1000, NULL,
	    "Initial congestion window, in segments."),
	CHOICE_KEY(CONFIG_GROUP_TCP, "congestion_control", TCP(congestion_control), cc_choices, NULL,
	           "Congestion control (net.ipv4.tcp_congestion_control): cubic (RFC 9438 with "
	           "HyStart, as Linux's tcp_cubic.c), reno (RFC 5681) or newreno (RFC 6582)."),
	KEY(CONFIG_GROUP_TCP, "slow_start_after_idle", CONFIG_KEY_BOOL, TCP(slow_start_after_idle), 0, 0,
	    NULL, "After more than an RTO without sending, the window halves for each RTO idle, "
	    "down to init_cwnd (net.ipv4.tcp_slow_start_after_idle, RFC 7661)."),
	KEY(CONFIG_GROUP_TCP, "wmem_max", CONFIG_KEY_BYTES, TCP(wmem_max), 0, GiB, NULL,
	    "Linux tcp_wmem[2]: the send buffer grows with the congestion window up to it "
	    "(tcp_sndbuf_expand()); 0 = it stays sndbuf.  setsockopt(SO_SNDBUF) stops the growth."),
	KEY(CONFIG_GROUP_TCP, "tso", CONFIG_KEY_BOOL, TCP(tso), 0, 0, NULL,
	    "The sender's device takes TSO packets (or GSO cuts them, as Linux does for TCP "
	    "on any device): sent data stays charged to the send buffer in skbs of about a "
	    "millisecond of the pacing rate (tcp_tso_autosize()), not one skb a segment.  "
	    "Off for packetdrill scripts (Linux's own tun-device tests read one skb a segment)."),
	KEY(CONFIG_GROUP_TCP, "limit_output_bytes", CONFIG_KEY_BYTES, TCP(limit_output_bytes), 0, GiB,
	    NULL, "TCP small queues (net.ipv4.tcp_limit_output_bytes): a sender keeps about 1 ms "
	    "of its pacing rate, at most this, in its host's interface queue and the rest in its "
	    "send buffer, so a window larger than the path does not overflow that queue; "
	    "0 = no TSQ."),
	KEY(CONFIG_GROUP_TCP, "rmem_max", CONFIG_KEY_BYTES, TCP(rmem_max), 0, GiB, NULL,
	    "Linux tcp_rmem[2]: receive-buffer autotuning grows the buffer, and the window with it, "
	    "up to it as the reader keeps up (tcp_rcv_space_adjust()); 0 = it stays rcvbuf.  "
	    "setsockopt(SO_RCVBUF) stops the growth."),
	CHOICE_KEY(CONFIG_GROUP_TCP, "nagle", TCP(nagle), nagle_choices, NULL,
	           "Nagle's algorithm: off (TCP_NODELAY), rfc896, or minshall (Linux, BSD)."),
	KEY(CONFIG_GROUP_TCP, "window_scaling", CONFIG_KEY_BOOL, TCP(window_scaling), 0, 0, NULL,
	    "Offer RFC 7323 window scaling."),
	KEY(CONFIG_GROUP_TCP, "wscale", CONFIG_KEY_UINT, TCP(wscale), 0, 14, NULL, "The window shift we offer."),
	KEY(CONFIG_GROUP_TCP, "sack", CONFIG_KEY_BOOL, TCP(sack), 0, 0, NULL, "Offer SACK-permitted (RFC 2018); when both ends do, SACK blocks are sent and loss recovery uses them (RFC 6675, PRR)."),
	KEY(CONFIG_GROUP_TCP, "dsack", CONFIG_KEY_BOOL, TCP(dsack), 0, 0, NULL,
	    "With SACK, report data received twice in a D-SACK block (RFC 2883; Linux "
	    "net.ipv4.tcp_dsack)."),
	KEY(CONFIG_GROUP_TCP, "timestamps", CONFIG_KEY_BOOL, TCP(timestamps), 0, 0, NULL,
	    "Offer RFC 7323 timestamps."),
	KEY(CONFIG_GROUP_TCP, "rto_initial", CONFIG_KEY_DURATION, TCP(rto_initial), SIM_US, HOUR, NULL,
	    "RTO before any RTT sample (RFC 6298); between rto_min and rto_max."),
	KEY(CONFIG_GROUP_TCP, "rto_min", CONFIG_KEY_DURATION, TCP(rto_min), SIM_US, HOUR, NULL, "Floor of the RTO."),
	KEY(CONFIG_GROUP_TCP, "rto_max", CONFIG_KEY_DURATION, TCP(rto_max), SIM_US, HOUR, NULL,
	    "Ceiling of the backed-off RTO."),
	CHOICE_KEY(CONFIG_GROUP_TCP, "rto_formula", TCP(rto_formula), rto_formula_choices, NULL,
	           "Where rto_min applies: linux (SRTT + max(4*RTTVAR, rto_min)) or rfc6298."),
	KEY(CONFIG_GROUP_TCP, "tlp", CONFIG_KEY_BOOL, TCP(tlp), 0, 0, NULL, "RFC 8985 tail loss probe."),
	KEY(CONFIG_GROUP_TCP, "rack", CONFIG_KEY_BOOL, TCP(rack), 0, 0, NULL,
	    "RFC 8985 RACK: time-based loss detection with SACK (Linux tcp_recovery = 1)."),
	KEY(CONFIG_GROUP_TCP, "syn_retries", CONFIG_KEY_UINT, TCP(syn_retries), 0, 255, NULL,
	    "SYN retransmissions."),
	KEY(CONFIG_GROUP_TCP, "syn_linear_timeouts", CONFIG_KEY_UINT, TCP(syn_linear_timeouts), 0, 255, NULL,
	    "First SYN retransmissions without backoff."),
	KEY(CONFIG_GROUP_TCP, "synack_retries", CONFIG_KEY_UINT, TCP(synack_retries), 0, 255, NULL,
	    "SYN-ACK retransmissions in SYN_RCVD."),
	KEY(CONFIG_GROUP_TCP, "retries2", CONFIG_KEY_UINT, TCP(retries2), 0, 255, NULL,
	    "Data retransmissions before ETIMEDOUT."),
	KEY(CONFIG_GROUP_TCP, "orphan_retries", CONFIG_KEY_UINT, TCP(orphan_retries), 0, 255, NULL,
	    "Retransmissions of a closed (orphaned) socket."),
	KEY(CONFIG_GROUP_TCP, "retries_by_time", CONFIG_KEY_BOOL, TCP(retries_by_time), 0, 0, NULL,
	    "Linux: a retry count means the time its backoff would take."),
	KEY(CONFIG_GROUP_TCP, "delayed_ack", CONFIG_KEY_DURATION, TCP(delayed_ack), 0, 10 * SECOND, NULL,
	    "Delayed-ACK timeout; 0 = ACK at once."),
	KEY(CONFIG_GROUP_TCP, "quickacks", CONFIG_KEY_UINT, TCP(quickacks), 0, 65535, NULL,
	    "Segments ACKed at once at the start of a connection."),
	KEY(CONFIG_GROUP_TCP, "time_wait", CONFIG_KEY_DURATION, TCP(time_wait), 0, HOUR, NULL,
	    "TIME_WAIT length (2*MSL); 0 = no TIME_WAIT."),
	KEY(CONFIG_GROUP_TCP, "fin_timeout", CONFIG_KEY_DURATION, TCP(fin_timeout), 0, HOUR, NULL,
	    "FIN_WAIT_2 timeout of an orphaned socket; 0 = wait for ever."),
	KEY(CONFIG_GROUP_TCP, "rst_on_unread", CONFIG_KEY_BOOL, TCP(rst_on_unread), 0, 0, NULL,
	    "close() with unread data sends RST."),
	KEY(CONFIG_GROUP_TCP, "drop_ack_unsent", CONFIG_KEY_BOOL, TCP(drop_ack_unsent), 0, 0, NULL,
	    "An ACK of data never sent is dropped silently (Linux); off: answered with an ACK (RFC 9293)."),
	KEY(CONFIG_GROUP_TCP, "tw_reuse", CONFIG_KEY_UINT, TCP(tw_reuse), 0, 2, NULL,
	    "connect() may take the 4-tuple of a TIME_WAIT connection that used timestamps: 0 no, 1 yes, "
	    "2 loopback only (Linux tcp_tw_reuse)."),
	KEY(CONFIG_GROUP_TCP, "tw_reuse_delay", CONFIG_KEY_DURATION, TCP(tw_reuse_delay), 0, HOUR, NULL,
	    "How long a TIME_WAIT connection waits before tw_reuse lets connect() take it."),
	KEY(CONFIG_GROUP_TCP, "rfc1337", CONFIG_KEY_BOOL, TCP(rfc1337), 0, 0, NULL,
	    "TIME_WAIT ignores a reset instead of dying of it (RFC 1337; Linux tcp_rfc1337)."),
	KEY(CONFIG_GROUP_TCP, "insecure_rst", CONFIG_KEY_BOOL, TCP(insecure_rst), 0, 0, NULL,
	    "A reset anywhere in the window kills the connection, without RFC 5961's challenge ACK "
	    "(FreeBSD net.inet.tcp.insecure_rst)."),
	KEY(CONFIG_GROUP_TCP, "insecure_syn", CONFIG_KEY_BOOL, TCP(insecure_syn), 0, 0, NULL,
	    "A SYN in the window of a synchronized connection resets it, without RFC 5961's "
	    "challenge ACK (FreeBSD net.inet.tcp.insecure_syn)."),
	KEY(CONFIG_GROUP_TCP, "drop_synfin", CONFIG_KEY_BOOL, TCP(drop_synfin), 0, 0, NULL,
	    "A listener drops a SYN that carries FIN; off: it is taken as a SYN "
	    "(FreeBSD net.inet.tcp.drop_synfin)."),
	KEY(CONFIG_GROUP_TCP, "ecn", CONFIG_KEY_UINT, TCP(ecn), 0, 2, NULL,
	    "ECN negotiation on the SYNs (RFC 3168 §6.1.1): 0 never, 1 ask and answer, 2 answer a peer "
	    "that asks (Linux tcp_ecn, FreeBSD net.inet.tcp.ecn.enable).  Only the handshake is "
	    "modelled: the link marks no packet, and data goes out as Not-ECT."),
	KEY(CONFIG_GROUP_TCP, "ecn_syn_retries", CONFIG_KEY_UINT, TCP(ecn_syn_retries), 0, 255, NULL,
	    "SYN retransmissions that still ask for ECN (FreeBSD net.inet.tcp.ecn.maxretries; Linux "
	    "asks on the first SYN only)."),
	KEY(CONFIG_GROUP_TCP, "icmp_may_rst", CONFIG_KEY_BOOL, TCP(icmp_may_rst), 0, 0, NULL,
	    "Under the bsd profile, an ICMP port, protocol or administratively prohibited unreachable "
	    "ends a connection in SYN_SENT (FreeBSD net.inet.tcp.icmp_may_rst)."),
	KEY(CONFIG_GROUP_TCP, "rexmit_drop_options", CONFIG_KEY_BOOL, TCP(rexmit_drop_options), 0, 0,
	    NULL, "From the third SYN retransmission on, the SYN carries the MSS option only, and the "
	    "connection uses no window scaling, timestamps or SACK (FreeBSD "
	    "net.inet.tcp.rexmit_drop_options)."),
	KEY(CONFIG_GROUP_TCP, "isn_tick", CONFIG_KEY_DURATION, TCP(isn_tick), 1, SIM_SEC, NULL,
	    "Period of the initial-sequence-number clock (RFC 6528): Linux 64ns, RFC 9293 4us."),
	CHOICE_KEY(CONFIG_GROUP_TCP, "timers", TCP(timers), timers_choices, NULL,
	           "The timers' clock: kernel (Linux's jiffies and timer wheel, the linux profile's) "
	           "or exact (each timer at the instant it asks for: the textbook times)."),
	CHOICE_KEY(CONFIG_GROUP_TCP, "hz", TCP(hz), hz_choices, NULL,
	           "CONFIG_HZ of the kernel clock, ticks a second: 100, 250 (Debian, Ubuntu), 300 or 1000."),
	{ .group = CONFIG_GROUP_TCP, .name = "uptime", .type = CONFIG_KEY_DURATION, TCP(uptime), .min = 0,
	  .max = 30 * DAY, .flags = CONFIG_KEY_FROM_SEED,
	  .doc = "The kernel clock at the run's start, which sets where the timer wheel's ticks fall; "
	         "drawn from the seed unless given." },
	KEY(CONFIG_GROUP_TCP, "keepalive", CONFIG_KEY_BOOL, TCP(keepalive), 0, 0, NULL, "SO_KEEPALIVE."),
	KEY(CONFIG_GROUP_TCP, "keepalive_idle", CONFIG_KEY_DURATION, TCP(keepalive_idle), 1, 30 * DAY, NULL,
	    "Idle time before the first keepalive probe."),
	KEY(CONFIG_GROUP_TCP, "keepalive_intvl", CONFIG_KEY_DURATION, TCP(keepalive_intvl), 1, DAY, NULL,
	    "Time between keepalive probes."),
	KEY(CONFIG_GROUP_TCP, "keepalive_probes", CONFIG_KEY_UINT, TCP(keepalive_probes), 1, 255, NULL,
	    "Unanswered probes before ETIMEDOUT."),
	KEY(CONFIG_GROUP_TCP, "connect_timeout", CONFIG_KEY_DURATION, TCP(connect_timeout), 0, DAY, NULL,
	    "The stack's own connect limit; 0 = none (syn_retries decides)."),
	KEY(CONFIG_GROUP_TCP, "ttl", CONFIG_KEY_UINT, TCP(ttl), 1, 255, NULL, "IPv4 TTL of our packets."),

	/* [client], [server] */
	{ .group = CONFIG_GROUP_CLIENT, .name = "address", .type = CONFIG_KEY_ADDRESS, WHOLE_EP, .def = "10.0.0.1",
	  .doc = "IPv4 address; /PREFIX its subnet (default /24, /8 in 127/8); :port a fixed source "
	         "port (else ephemeral): 192.168.0.4/24:40000." },
	{ .group = CONFIG_GROUP_CLIENT, .name = "script", .type = CONFIG_KEY_SCRIPT, EP(script),
	  .flags = CONFIG_KEY_REQUIRED,
	  .doc = "The app's program: socket calls, in C or the short form (tcpsim --help-scripts)." },
	KEY(CONFIG_GROUP_CLIENT, "repeat", CONFIG_KEY_REPEAT, EP(repeat), 1, UINT64_MAX, "1",
	    "Runs of the script, one connection after another; forever = no end."),
	{ .group = CONFIG_GROUP_CLIENT, .name = "ephemeral_ports", .type = CONFIG_KEY_PORTS, EP(ports),
	  .def = "32768-60999",
	  .doc = "Ports connect() picks from (Linux ip_local_port_range); a TIME_WAIT holds its port." },
	{ .group = CONFIG_GROUP_SERVER, .name = "address", .type = CONFIG_KEY_ADDRESS, WHOLE_EP,
	  .def = "10.0.0.2:7777", .flags = CONFIG_KEY_PORT_REQUIRED,
	  .doc = "IPv4 address, /PREFIX its subnet (default /24, /8 in 127/8), and the port it "
	         "listens on: 10.0.0.2/24:7777." },
	{ .group = CONFIG_GROUP_SERVER, .name = "script", .type = CONFIG_KEY_SCRIPT, EP(script),
	  .flags = CONFIG_KEY_REQUIRED,
	  .doc = "The app's program (tcpsim --help-scripts); empty: no program runs, so connections "
	         "are refused." },
	KEY(CONFIG_GROUP_SERVER, "repeat", CONFIG_KEY_REPEAT, EP(repeat), 1, UINT64_MAX, "1",
	    "Runs of the script, one connection after another; forever = no end."),
	{ .group = CONFIG_GROUP_SERVER, .name = "ephemeral_ports", .type = CONFIG_KEY_PORTS, EP(ports),
	  .def = "32768-60999",
	  .doc = "Ports connect() picks from (Linux ip_local_port_range); a TIME_WAIT holds its port." },
};

#define AT(m) offsetof(struct config, m)

/* In order of precedence: a section is applied after the one it overrides. */
static const struct section_def sections[] = {
	{ "simulation", CONFIG_GROUP_SIMULATION, NULL, { 0 }, 1, cfg_apply_profile, NULL,
	  "The run as a whole and its outputs.", NULL },
	{ "network", CONFIG_GROUP_LINK, NULL, { AT(c2s), AT(s2c) }, 2, NULL, NULL,
	  "Both directions of the network.", NULL },
	{ "network.client_to_server", CONFIG_GROUP_LINK, "network", { AT(c2s) }, 1, NULL, cfg_check_link,
	  "The keys of [network], for the client-to-server direction only.", NULL },
	{ "network.server_to_client", CONFIG_GROUP_LINK, "network", { AT(s2c) }, 1, NULL, cfg_check_link,
	  "The keys of [network], for the server-to-client direction only.", NULL },
	{ "tcp", CONFIG_GROUP_TCP, NULL, { AT(client.tcp), AT(server.tcp) }, 2, NULL, NULL,
	  "Overrides of the profile's TCP parameters, for both endpoints.", NULL },
	{ "client.tcp", CONFIG_GROUP_TCP, "tcp", { AT(client.tcp) }, 1, NULL, cfg_check_tcp,
	  "The keys of [tcp], for the client only.", NULL },
	{ "server.tcp", CONFIG_GROUP_TCP, "tcp", { AT(server.tcp) }, 1, NULL, cfg_check_tcp,
	  "The keys of [tcp], for the server only.", NULL },
	{ "client", CONFIG_GROUP_CLIENT, NULL, { AT(client) }, 1, NULL, NULL,
	  "The connecting host and its program.", NULL },
	{ "server", CONFIG_GROUP_SERVER, NULL, { AT(server) }, 1, NULL, cfg_check_endpoints,
	  "The listening host and its program.", NULL },
	{ "faults", CONFIG_GROUP_FAULTS, NULL, { 0 }, 1, NULL, NULL,
	  "Targeted faults, one per key:\n"
	  "  NAME = ACTION WHICH SENDER KIND [by DURATION] [from TIME] [to TIME]\n"
	  "  NAME = kill client|server at TIME   (ss -K: every connection of it aborted)\n"
	  "  ACTION: drop | delay (with 'by DURATION') | duplicate\n"
	  "  WHICH:  1st, 2nd, 3rd, Nth | Nth..Mth | first N | all   (counted over the whole run,\n"
	  "          among the segments sent in [from, to) only)\n"
	  "  SENDER: client | server\n"
	  "  KIND:   syn | syn-ack | ack | ack-of-fin | data | fin | rst | any\n"
	  "  e.g.    lost_last_ack = drop 1st client ack-of-fin\n"
	  "          old_segment = delay 2nd client data by 30s\n"
	  "          deaf = drop all client ack from 1.3s to 2.35s\n"
	  "          tw_killed = kill client at 61.5s",
	  cfg_apply_fault },
	{ "sweep", CONFIG_GROUP_SWEEP, NULL, { 0 }, 1, NULL, cfg_check_sweep,
	  "A parameter sweep (tcpsim sweep): the grid of parameters, the runs per point, the metrics.\n"
	  "  SECTION.KEY = a list (0, 1s, 60s) or a range START:STOP:STEP, stop included\n"
	  "                (0:0.3:0.05, 0ms:100ms:20ms); the first parameter varies slowest\n"
	  "  runs        = seeded runs per point (default 100)\n"
	  "  metrics     = what each run records, comma-separated (required;\n"
	  "                tcpsim sweep --list-metrics lists them)\n"
	  "  e.g.    network.loss = 0:0.3:0.05\n"
	  "          metrics = client.connect_time, client.result",
	  cfg_apply_sweep_key },
	{ "explore", CONFIG_GROUP_EXPLORE, NULL, { 0 }, 1, NULL, NULL,
	  "What tcpsim explore places and checks (a plain run ignores it):\n"
	  "  faults   = at most this many faults per execution (default 2, at most 6)\n"
	  "  segments = on the first N segments the endpoints send (default 24)\n"
	  "  kinds    = drop, duplicate, delay (default all three)\n"
	  "  delays   = what delay tries, each (default 300ms, 30s)\n"
	  "  budget   = refuse an exploration of more placements (default 20000000)\n"
	  "  closed, data_intact, no_reset_on_close, no_open_connection, results_ok\n"
	  "           = on | off: the built-in properties (all on but results_ok)\n"
	  "  require  = METRIC OP VALUE, ...: predicates on the run's metrics\n"
	  "  outcomes = METRIC, ...: tabulate the distinct values of these\n"
	  "  e.g.    faults = 3\n"
	  "          require = server.result == ok",
	  cfg_apply_explore_key },
};

const struct config_key *config_keys(size_t *n)
{
	*n = G_N_ELEMENTS(keys);
	return keys;
}

const char *config_key_section(const struct config_key *k)
{
	for (size_t i = 0; i < G_N_ELEMENTS(sections); i++)
		if (sections[i].group == k->group && sections[i].parent == NULL)
			return sections[i].name;
	g_assert_not_reached();
}

const struct section_def *config_sections(size_t *n)
{
	*n = G_N_ELEMENTS(sections);
	return sections;
}

const struct section_def *cfg_find_section(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(sections); i++)
		if (strcmp(sections[i].name, name) == 0)
			return &sections[i];
	return NULL;
}

const struct config_key *cfg_find_key(enum config_group group, const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
		if (keys[i].group == group && strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

char *cfg_known_keys(enum config_group group)
{
	const char *names[G_N_ELEMENTS(keys)];
	size_t n = 0;

	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
		if (keys[i].group == group)
			names[n++] = keys[i].name;
	return cfg_join_words(names, n, ", ", ", ");
}

void *cfg_target_of(struct config *c, const struct section_def *sd, unsigned i)
{
	return (char *)c + sd->target[i];
}


char *config_key_parse(const struct config_key *k, const char *text, void *target)
{
	return cfg_parse_value(k, text, target);
}
