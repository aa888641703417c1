/*
 * OS profiles: the timer and option defaults of real stacks.  Each value
 * carries its source; the README's profile table is written from this file.
 *
 *   linux   — Linux 6.18 with its default sysctls (Documentation/networking/
 *             ip-sysctl.rst, net/ipv4/tcp_ipv4.c tcp_sk_init()), include/net/tcp.h.
 *   bsd     — FreeBSD 14: sys/netinet/tcp_timer.h, tcp_var.h.
 *   windows — Windows 10/11 documented registry defaults (TcpMaxConnectRetransmissions,
 *             TcpMaxDataRetransmissions, TcpTimedWaitDelay, KeepAliveTime).
 *   rfc     — the RFCs' own numbers: RFC 9293 (MSL 2 min), RFC 6298 (RTO 1 s,
 *             minimum 1 s), RFC 1122 (delayed ACK at most 500 ms, R2 >= 100 s).
 */
#include <string.h>
#include "models/tcp_params.h"

const char *const tcp_profile_names[] = {"linux", "bsd", "windows", "rfc", NULL};

static const struct tcp_params linux_profile = {
	.mss = 1460,                    /* Ethernet MTU 1500 - 40 */
	.rcvbuf = 131072,               /* tcp_rmem = 4096 131072 33554432: [1] */
	.sndbuf = 16384,                /* tcp_wmem = 4096 16384 4194304: [1] */
	.wmem_max = 4194304,            /* tcp_wmem[2] */
	.rmem_max = 33554432,           /* tcp_rmem[2] */
	.snd_truesize = true,           /* sk_wmem_queued: skb truesize (tcp_sendmsg_locked()) */
	.tso = true,                    /* TSO, or GSO (always on for TCP since 4.19) */
	.limit_output_bytes = 4194304,  /* tcp_limit_output_bytes (4 MiB since 6.16) */
	.init_cwnd = 10,                /* TCP_INIT_CWND */
	.congestion_control = TCP_CC_CUBIC, /* tcp_congestion_control = cubic (CONFIG_DEFAULT_TCP_CONG) */
	.slow_start_after_idle = true,  /* tcp_slow_start_after_idle = 1 */
	.nagle = TCP_NAGLE_MINSHALL,    /* tcp_nagle_check() + tcp_minshall_check() */
	.window_scaling = true,         /* tcp_window_scaling = 1 */
	.wscale = 10,                   /* tcp_select_initial_window(): ilog2(tcp_rmem[2] = 32 MiB) - 15 */
	.sack = true,                   /* tcp_sack = 1 */
	.dsack = true,                  /* tcp_dsack = 1 */
	.fin_clears_sack = true,        /* tcp_fin(): tcp_sack_reset() */
	.timestamps = true,             /* tcp_timestamps = 1 */
	.rwin_rule = TCP_RWIN_LINUX,    /* tcp_select_window(), tcp_adv_win_scale = 1 */
	.rcv_ssthresh = true,           /* __tcp_select_window(): min(free space, rcv_ssthresh) */
	.rto_initial = 1 * SIM_SEC,     /* TCP_TIMEOUT_INIT, RFC 6298 */
	.rto_min = 200 * SIM_MS,        /* tcp_rto_min_us = 200000 (TCP_RTO_MIN) */
	.rto_max = 120 * SIM_SEC,       /* tcp_rto_max_ms = 120000 (TCP_RTO_MAX; the sysctl since 6.15) */
	.rto_formula = TCP_RTO_LINUX,   /* the floor applies to the variance term */
	.tlp = true,                    /* tcp_early_retrans = 3 */
	.rack = true,                   /* tcp_recovery = 1 (TCP_RACK_LOSS_DETECTION) */
	.syn_retries = 6,               /* tcp_syn_retries (+ the linear ones: gives up at 131 s,
	                                   134-135 s on the kernel's clock) */
	.syn_linear_timeouts = 4,       /* tcp_syn_linear_timeouts (6.5+) */
	.synack_retries = 5,            /* tcp_synack_retries */
	.retries2 = 15,                 /* tcp_retries2 */
	.orphan_retries = 8,            /* tcp_orphan_retries = 0 means 8 */
	.retries_by_time = true,        /* retransmits_timed_out() */
	.delayed_ack = 40 * SIM_MS,     /* TCP_ATO_MIN */
	.quickacks = 16,                /* TCP_MAX_QUICKACKS */
	.ack_rule = TCP_ACK_LINUX,      /* __tcp_ack_snd_check() */
	.time_wait = 60 * SIM_SEC,      /* TCP_TIMEWAIT_LEN */
	.fin_timeout = 60 * SIM_SEC,    /* tcp_fin_timeout */
	.rst_on_unread = true,          /* tcp_close(): unread data -> RST */
	.drop_ack_unsent = true,        /* tcp_ack(): SKB_DROP_REASON_TCP_ACK_UNSENT_DATA */
	.err_rule = TCP_ERR_LINUX,      /* sock_error(), tcp_reset() */
	.shut_rd_discards = false,      /* tcp_recvmsg(): queued data stays readable */
	.ack_repeats_fin = false,       /* tcp_send_ack(): a bare ACK at snd_nxt */
	.dsack_fin = true,              /* tcp_data_queue(): tcp_dsack_set(seq, end_seq) */
	.fin_wait_2_shut_ends_read = false, /* only the peer's FIN ends reading */
	.keepalive = false,             /* SO_KEEPALIVE off by default */
	.keepalive_idle = 7200 * SIM_SEC, /* tcp_keepalive_time */
	.keepalive_intvl = 75 * SIM_SEC,  /* tcp_keepalive_intvl */
	.keepalive_probes = 9,          /* tcp_keepalive_probes */
	.connect_timeout = 0,           /* none: syn_retries decides */
	.ttl = 64,                      /* ip_default_ttl */
	.ctl_sock_id_zero = true,       /* ip_select_ident(), ip_build_and_send_pkt() */
	.rfc1337 = false,               /* tcp_rfc1337 = 0: a reset kills TIME_WAIT */
	.tw_reuse = 2,                  /* tcp_tw_reuse = 2: loopback only */
	.tw_reuse_delay = 1 * SIM_SEC,  /* tcp_tw_reuse_delay = 1000 ms (the sysctl since 6.14) */
	.ecn = 2,                       /* tcp_ecn = 2: ECN only when the peer's SYN asks */
	.ecn_syn_retries = 0,           /* tcp_ecn_fallback = 1: tcp_ecn_clear_syn() */
	.isn_tick = 64,                 /* secure_tcp_seq(): ktime_get_real_ns() >> 6 */
	.timers = TCP_TIMERS_KERNEL,    /* jiffies and the timer wheel (kernel/time/timer.c) */
	.hz = 250,                      /* CONFIG_HZ_250: Debian's and Ubuntu's kernels */
	.uptime = TCP_UPTIME_FROM_SEED,
};

static const struct tcp_params bsd_profile = {
	.mss = 1460,
	.rcvbuf = 65536,                /* net.inet.tcp.recvspace */
	.sndbuf = 32768,                /* net.inet.tcp.sendspace */
	.init_cwnd = 10,                /* net.inet.tcp.initcwnd_segments */
	.congestion_control = TCP_CC_CUBIC, /* net.inet.tcp.cc.algorithm: cubic since FreeBSD 14.0 */
	.slow_start_after_idle = true,  /* cc_after_idle() (FreeBSD resets to the restart
	                                   window at once, RFC 5681 §4.1; the model halves
	                                   per RTO as Linux does) */
	.nagle = TCP_NAGLE_MINSHALL,    /* tcp_output(): a whole write goes at once */
	.window_scaling = true,         /* net.inet.tcp.rfc1323 */
	.wscale = 6,
	.sack = true,                   /* net.inet.tcp.sack.enable */
	.dsack = true,                  /* tcp_input(): RFC 2883 since FreeBSD 13 */
	.timestamps = true,
	.ecn = 2,                       /* net.inet.tcp.ecn.enable = 2: answer, never ask */
	.ecn_syn_retries = 1,           /* net.inet.tcp.ecn.maxretries */
	.opt_layout = TCP_OPT_LAYOUT_BSD, /* tcp_addoptions(): mss,nop,wscale,sackOK,TS */
	.rwin_rule = TCP_RWIN_BSD,      /* tcp_output(), tcp_mss(), syncache_add() */
	.bound_socket_resets = true,    /* in_pcblookup() with INPLOOKUP_WILDCARD */
	.rto_initial = 1 * SIM_SEC,     /* TCPTV_RTOBASE */
	.rto_min = 30 * SIM_MS,         /* TCPTV_MIN (net.inet.tcp.rexmit_min) */
	.rto_max = 64 * SIM_SEC,        /* TCPTV_REXMTMAX */
	.rto_formula = TCP_RTO_RFC6298,
	.tlp = false,
	.rack = false,                  /* RACK is the alternate stack's (tcp_rack(4)), not the default's */
	.syn_retries = 12,              /* TCP_MAXRXTSHIFT; keepinit ends it first */
	.syn_linear_timeouts = 0,       /* tcp_timer_rexmt(): tcp_rexmit_initial *
	                                   tcp_backoff[] = {1,2,4,...} in SYN_SENT (FreeBSD
	                                   13+; tcp_syn_backoff[] before) */
	.synack_retries = 3,            /* net.inet.tcp.syncache.rexmtlimit */
	.retries2 = 12,                 /* TCP_MAXRXTSHIFT */
	.orphan_retries = 12,
	.retries_by_time = false,
	.delayed_ack = 40 * SIM_MS,     /* net.inet.tcp.delacktime (tcp_delacktime = hz/25) */
	.quickacks = 0,
	.ack_rule = TCP_ACK_BSD,        /* tcp_input() DELAY_ACK() */
	.time_wait = 60 * SIM_SEC,      /* 2 * net.inet.tcp.msl (30 s) */
	.fin_timeout = 60 * SIM_SEC,    /* net.inet.tcp.finwait2_timeout */
	.rst_on_unread = false,         /* tcp_usr_close() -> tcp_disconnect(): a FIN */
	.err_rule = TCP_ERR_BSD,        /* sosend_generic(), tcp_input()'s reset */
	.shut_rd_discards = true,       /* soshutdown() -> sorflush(), SBS_CANTRCVMORE */
	.ack_repeats_fin = true,        /* tcp_output(): "If resending a FIN, be sure not
	                                   to use a new sequence number" */
	.fin_wait_2_shut_ends_read = true, /* tcp_usrclosed() -> soisdisconnected() */
	.insecure_rst = false,          /* net.inet.tcp.insecure_rst = 0: RFC 5961 §3.2 */
	.insecure_syn = false,          /* net.inet.tcp.insecure_syn = 0: RFC 5961 §4 */
	.drop_synfin = false,           /* net.inet.tcp.drop_synfin = 0 */
	.rexmit_drop_options = false,   /* net.inet.tcp.rexmit_drop_options = 0 */
	.icmp_rule = TCP_ICMP_BSD,      /* tcp_ctlinput_with_port(), icmp_errmap() */
	.icmp_may_rst = true,           /* net.inet.tcp.icmp_may_rst = 1 */
	.keepalive = false,
	.keepalive_idle = 7200 * SIM_SEC, /* net.inet.tcp.keepidle */
	.keepalive_intvl = 75 * SIM_SEC,  /* net.inet.tcp.keepintvl */
	.keepalive_probes = 8,          /* net.inet.tcp.keepcnt */
	.connect_timeout = 75 * SIM_SEC, /* net.inet.tcp.keepinit (TCPTV_KEEP_INIT) */
	.ttl = 64,
	.bsd_sockopts = true,           /* TCP_NOOPT, TCP_KEEPINIT (netinet/tcp.h) */
	.rfc1337 = true,                /* tcp_twcheck(): a reset in TIME_WAIT is dropped
	                                   ("see Stevens, vol. 2, p. 964 and RFC 1337") */
	.tw_rule = TCP_TW_BSD,          /* tcp_twcheck() */
	.isn_tick = 4 * SIM_US,         /* RFC 6528's 4 us clock */
	.timers = TCP_TIMERS_EXACT,
	.hz = 1000,
	.uptime = TCP_UPTIME_FROM_SEED,
};

static const struct tcp_params windows_profile = {
	.mss = 1460,
	.rcvbuf = 65536,
	.sndbuf = 65536,
	.init_cwnd = 10,
	.congestion_control = TCP_CC_CUBIC, /* CUBIC by default since Windows 10 1709 / Server 2019 */
	.slow_start_after_idle = true,  /* RFC 7661 */
	.nagle = TCP_NAGLE_RFC896,
	.window_scaling = true,
	.wscale = 8,
	.sack = true,
	.dsack = true,                  /* RFC 2883 */
	.timestamps = false,            /* Tcp1323Opts: timestamps off by default */
	.rto_initial = 3 * SIM_SEC,     /* InitialRto 3000 ms */
	.rto_min = 300 * SIM_MS,        /* MinRto */
	.rto_max = 60 * SIM_SEC,
	.rto_formula = TCP_RTO_RFC6298,
	.tlp = true,
	.syn_retries = 2,               /* TcpMaxConnectRetransmissions */
	.syn_linear_timeouts = 0,
	.synack_retries = 2,            /* TcpMaxConnectResponseRetransmissions */
	.retries2 = 5,                  /* TcpMaxDataRetransmissions */
	.orphan_retries = 5,
	.retries_by_time = false,
	.delayed_ack = 200 * SIM_MS,    /* TcpDelAckTicks = 2 (200 ms) */
	.quickacks = 0,
	.time_wait = 120 * SIM_SEC,     /* TcpTimedWaitDelay */
	.fin_timeout = 120 * SIM_SEC,
	.rst_on_unread = true,
	.keepalive = false,
	.keepalive_idle = 7200 * SIM_SEC, /* KeepAliveTime */
	.keepalive_intvl = 1 * SIM_SEC,   /* KeepAliveInterval */
	.keepalive_probes = 10,         /* TcpMaxDataRetransmissions for probes (Vista+) */
	.connect_timeout = 0,
	.ttl = 128,                     /* DefaultTTL */
	.rfc1337 = false,
	.isn_tick = 4 * SIM_US,
	.timers = TCP_TIMERS_EXACT,
	.hz = 1000,
	.uptime = TCP_UPTIME_FROM_SEED,
};

static const struct tcp_params rfc_profile = {
	.mss = 536,                     /* RFC 9293 §3.7.1 default send MSS */
	.rcvbuf = 65535,
	.sndbuf = 65535,
	.init_cwnd = 4,                 /* RFC 3390 for MSS 536 */
	.congestion_control = TCP_CC_NEWRENO, /* RFC 5681 + RFC 6582: the standards track's
	                                   recovery without SACK (RFC 9438 CUBIC is too, but
	                                   a textbook trace shows Reno's sawtooth) */
	.slow_start_after_idle = true,  /* RFC 5681 §4.1, RFC 7661 */
	.nagle = TCP_NAGLE_RFC896,      /* RFC 1122 §4.2.3.4 */
	.window_scaling = false,
	.wscale = 0,
	.sack = false,
	.dsack = true,                  /* RFC 2883, should the sack key turn SACK on */
	.timestamps = false,
	.rto_initial = 1 * SIM_SEC,     /* RFC 6298 §2.1 */
	.rto_min = 1 * SIM_SEC,         /* RFC 6298 §2.4 */
	.rto_max = 60 * SIM_SEC,        /* RFC 6298 §2.5 allows a maximum >= 60 s */
	.rto_formula = TCP_RTO_RFC6298,
	.tlp = false,
	.rack = false,                  /* RFC 6675's duplicate threshold */
	.syn_retries = 7,               /* RFC 1122 §4.2.3.5: SYNs for at least 3 minutes */
	.syn_linear_timeouts = 0,
	.synack_retries = 5,
	.retries2 = 8,                  /* RFC 1122 §4.2.3.5: R2 at least 100 s */
	.orphan_retries = 8,
	.retries_by_time = false,
	.delayed_ack = 200 * SIM_MS,    /* RFC 1122 §4.2.3.2: below 500 ms */
	.quickacks = 0,
	.time_wait = 240 * SIM_SEC,     /* 2 * MSL, MSL = 2 min (RFC 9293 §3.4.2) */
	.fin_timeout = 0,               /* RFC: FIN_WAIT_2 waits for ever */
	.rst_on_unread = true,          /* RFC 2525 §2.17 */
	.keepalive = false,
	.keepalive_idle = 7200 * SIM_SEC, /* RFC 1122 §4.2.3.6: at least 2 h */
	.keepalive_intvl = 75 * SIM_SEC,
	.keepalive_probes = 9,
	.connect_timeout = 0,
	.ttl = 64,
	.rfc1337 = true,                /* RFC 1337: TIME_WAIT drops resets */
	.isn_tick = 4 * SIM_US,         /* RFC 9293 §3.4.1: the ISN clock ticks every 4 us */
	.timers = TCP_TIMERS_EXACT,
	.hz = 1000,
	.uptime = TCP_UPTIME_FROM_SEED,
};

uint32_t tcp_wscale_for_space(uint64_t space)
{
	uint32_t shift = 0;
	for (; space > 65535 && shift < 14; space >>= 1)
		shift++;
	return shift;
}

bool tcp_params_apply_floors(struct tcp_params *p)
{
	bool changed = p->rcvbuf < TCP_MIN_RCVBUF || p->sndbuf < TCP_MIN_SNDBUF;

	/* sock_setsockopt: max(val * 2, SOCK_MIN_RCVBUF); our rcvbuf is the
	 * doubled sk_rcvbuf already, so only the floor applies */
	if (p->rcvbuf < TCP_MIN_RCVBUF)
		p->rcvbuf = TCP_MIN_RCVBUF;
	if (p->sndbuf < TCP_MIN_SNDBUF)
		p->sndbuf = TCP_MIN_SNDBUF;
	return changed;
}

bool tcp_profile_get(const char *name, struct tcp_params *out)
{
	static const struct {
		const char *name;
		const struct tcp_params *p;
	} table[] = {
		{"linux", &linux_profile},
		{"bsd", &bsd_profile},
		{"windows", &windows_profile},
		{"rfc", &rfc_profile},
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strcmp(name, table[i].name) == 0) {
			*out = *table[i].p;
			return true;
		}
	return false;
}
