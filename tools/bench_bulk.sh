#!/usr/bin/env bash
# The bulk-transfer rows of `make bench` (tools/bench.sh calls it; it runs
# alone as well):
#   tools/bench_bulk.sh TCPSIM_BINARY
# Scenario: configs/bench/bulk.ini (1 Gbit/s, 10 ms one-way, no loss, the
# capture off; the linux profile's buffers, autotuned), 100 MB and
# 1 GB sent by the client.  Simulated payload bytes per wall second,
# packets (sent on the wire, both ways) per wall second and per packet, and
# the peak RSS (getrusage, tools/measure), which must not grow with the
# transfer: generated payload is never stored (sim/world/payload.c).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-./tcpsim}
build=${BUILD:-build-bench}
runs=${RUNS:-5}
cfg=configs/bench/bulk.ini
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

printf "%-22s %9s %12s %13s %11s %10s\n" "bulk.ini (pcap off)" "wall (s)" "sim MB/s" "packets/s" "ns/packet" "peak RSS"
for bytes in 100000000 1000000000; do
	script="client.script=connect; send $bytes; close"
	pkts=$("$bin" "$cfg" --json -o "$out" -s "$script" | sed -nE 's/.*"network": \{"sent": ([0-9]+).*/\1/p')
	rm -rf "$out"/*
	stats=$(for i in $(seq "$runs"); do
		"$build/tools/measure" "$bin" "$cfg" -q -o "$out" -s "$script" 2>&1 >/dev/null |
			sed -nE 's/wall_s=([0-9.]+) maxrss_kib=([0-9]+)/\1 \2/p'
	done)
	rm -rf "$out"/*
	wall=$(echo "$stats" | awk '{print $1}' | median)
	rss=$(echo "$stats" | awk '{print $2}' | median)
	printf "%-22s %9.3f %12.1f %13.0f %11.0f %6.1f MiB\n" "$((bytes / 1000000)) MB" "$wall" \
		"$(echo "$bytes / $wall / 10^6" | bc -l)" "$(echo "$pkts / $wall" | bc -l)" \
		"$(echo "$wall / $pkts * 10^9" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
done
