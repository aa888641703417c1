#!/bin/bash
# A suite's defaults file in tcpsim's own words, as tests/pkt/shell-*.pkt
# name it: tcpsim pkt reads it line by line, never runs it.

# No per-destination metrics to flush; the wire is already a FIFO.
ip tcp_metrics flush all > /dev/null 2>&1
tc qdisc add dev tun0 root pfifo

# A 15 MiB largest receive buffer: the window scale offered is 8.
sysctl -q net.ipv4.tcp_rmem="4096 131072 $((15*1024*1024))"

sysctl -q net.ipv4.tcp_synack_retries=$(( 4 / 2 ))   # two SYN-ACK resends

# Values the model already follows: no-ops.
sysctl -q net.ipv4.tcp_ecn=0 net.ipv4.tcp_reordering=3
sysctl -q net.ipv4.tcp_notsent_lowat=4294967295 2>/dev/null
