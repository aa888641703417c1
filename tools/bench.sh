#!/usr/bin/env bash
# make bench: the benchmark of tcpsim, as medians of several runs.
#   tools/bench.sh TCPSIM_BINARY
# Scenario: configs/bench/lifecycles.ini (10 Mbit/s, 10 ms, 1 % loss each
# way; connect, 100 bytes each way, client closes first and keeps TIME_WAIT);
# then the bulk transfers of tools/bench_bulk.sh (configs/bench/bulk.ini).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-./tcpsim}
build=${BUILD:-build-bench}
runs=${RUNS:-5}
cfg=configs/bench/lifecycles.ini
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

declare -A loop_s events_n
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(uname -sr)"
echo "binary:  $bin (optimised build), medians of $runs runs"
echo

q=$(for i in $(seq "$runs"); do "$build/tools/bench_queue" 2>&1 | sed -nE 's/.*= ([0-9.]+) million events\/s.*/\1/p'; done | median)
echo "engine queue micro-benchmark (10,000 timers re-armed on every event, cancels, transient events):"
echo "  ${q} million events/s"
echo

# The fixed cost of a run (process start, config, set-up): a one-lifecycle
# run.  "events/s (loop)" leaves it out altogether: bench_loop times the
# event loop alone, in process, so that the cost per event can be compared
# across N while TIME_WAIT connections pile up.
startup=$(for i in $(seq "$runs"); do "$build/tools/measure" "$bin" "$cfg" -q -o "$out" \
	-s client.repeat=1 -s simulation.pcap=false 2>&1 >/dev/null | sed -nE 's/wall_s=([0-9.]+).*/\1/p'; done | median)
printf "start-up (a 1-lifecycle run): %.1f ms\n\n" "$(echo "$startup * 1000" | bc -l)"
printf "%-22s %9s %13s %13s %16s %10s\n" "lifecycles.ini" "wall (s)" "lifecycles/s" "events/s" "events/s (loop)" "peak RSS"
for n in 1000 10000 100000; do
	for pcap in false true; do
		events=$("$bin" "$cfg" --json -o "$out" -s client.repeat=$n -s simulation.pcap=$pcap |
		         sed -nE 's/.*"events": ([0-9]+).*/\1/p')
		rm -rf "$out"/*
		stats=$(for i in $(seq "$runs"); do
			"$build/tools/measure" "$bin" "$cfg" -q -o "$out" -s client.repeat=$n \
				-s simulation.pcap=$pcap 2>&1 >/dev/null | sed -nE 's/wall_s=([0-9.]+) maxrss_kib=([0-9]+)/\1 \2/p'
		done)
		wall=$(echo "$stats" | awk '{print $1}' | median)
		rss=$(echo "$stats" | awk '{print $2}' | median)
		loop=$(for i in $(seq "$runs"); do
			"$build/tools/bench_loop" "$cfg" "$out" client.repeat=$n simulation.pcap=$pcap |
				sed -nE 's/.*loop_s=([0-9.]+).*/\1/p'
		done | median)
		rm -rf "$out"/*
		loop_s[$n,$pcap]=$loop events_n[$n,$pcap]=$events
		printf "%-22s %9.3f %13.0f %13.0f %16.0f %6.1f MiB\n" "N=$n pcap=$pcap" "$wall" \
			"$(echo "$n / $wall" | bc -l)" "$(echo "$events / $wall" | bc -l)" \
			"$(echo "$events / $loop" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
	done
done
# The cost of one event in the loop, while the TIME_WAIT pile grows (the
# first 1,000 lifecycles: 60 s of TIME_WAIT hold about 660 connections)
# and once it is steady (lifecycles 10,001 to 100,000, the difference of
# the two runs).
echo
echo "cost per event in the event loop (pcap off / on):"
for pcap in false true; do
	first=$(echo "${loop_s[1000,$pcap]} / ${events_n[1000,$pcap]} * 10^9" | bc -l)
	steady=$(echo "(${loop_s[100000,$pcap]} - ${loop_s[10000,$pcap]}) /" \
	              "(${events_n[100000,$pcap]} - ${events_n[10000,$pcap]}) * 10^9" | bc -l)
	printf "  pcap=%-5s  lifecycles 1-1,000 (pile growing): %4.0f ns   10,001-100,000 (pile steady): %4.0f ns\n" \
		"$pcap" "$first" "$steady"
done
echo
# Bulk transfer: 100 MB and 1 GB over 1 Gbit/s, 10 ms (tools/bench_bulk.sh).
tools/bench_bulk.sh "$bin"
# ns-3's BulkSend over the same path, when Debian's libns3-dev is there
# (tools/ns3/bulk.cc; it says so and goes on when it is not)
echo
tools/ns3/bench_ns3.sh
echo
# Sweeps: configs/sweeps/close_time_vs_loss.ini (7 points), runs/s on one
# core and on all of them, and the peak RSS, which must not grow with the
# number of runs (rows are streamed to disk).  "One core" is -j 1 pinned to
# CPU 0 with taskset: unpinned, the main thread would sum up the rows on
# the other core while the one worker runs.
printf "%-26s %9s %10s %10s\n" "sweep close_time_vs_loss" "wall (s)" "runs/s" "peak RSS"
for total in 1000 10000 100000; do
	per=$(( (total + 6) / 7 ))
	one=""
	for j in 1 $(nproc); do
		stats=$(for i in $(seq "$runs"); do
			rm -rf "$out"/*
			pin=(); [ "$j" = 1 ] && pin=(taskset -c 0)
			"$build/tools/measure" "${pin[@]}" "$bin" sweep configs/sweeps/close_time_vs_loss.ini -q -j "$j" \
				-s sweep.runs=$per -o "$out" 2>&1 >/dev/null |
				sed -nE 's/wall_s=([0-9.]+) maxrss_kib=([0-9]+)/\1 \2/p'
		done)
		wall=$(echo "$stats" | awk '{print $1}' | median)
		rss=$(echo "$stats" | awk '{print $2}' | median)
		rate=$(echo "$per * 7 / $wall" | bc -l)
		[ -z "$one" ] && one=$rate
		label="$((per * 7)) runs, -j $j"; [ "$j" = 1 ] && label="$label, 1 core"
		printf "%-26s %9.3f %10.0f %6.1f MiB" "$label" "$wall" "$rate" \
			"$(echo "$rss / 1024" | bc -l)"
		[ "$j" != 1 ] && printf "   speed-up %.2fx" "$(echo "$rate / $one" | bc -l)"
		echo
	done
done
echo
lc=$(for i in $(seq "$runs"); do "$build/tools/measure" "$bin" configs/lossy_close.ini -q -o "$out" 2>&1 >/dev/null |
     sed -nE 's/wall_s=([0-9.]+).*/\1/p'; done | median)
printf "./tcpsim configs/lossy_close.ini: %.1f ms wall\n" "$(echo "$lc * 1000" | bc -l)"

# tcpsim explore: every placement of up to 3 faults on the first 24
# segments of the echo and close of close_with_time_wait.ini (no counterexample
# to write: the search alone; the target is under 10 s on 2 cores)
echo
for j in 1 2; do
	ex=$(for i in $(seq "$runs"); do "$build/tools/measure" "$bin" explore -q -j "$j" -o "$out/explore" \
	       configs/explore/close_with_time_wait.ini 2>&1 >/dev/null |
	     sed -nE 's/wall_s=([0-9.]+).*/\1/p'; done | median)
	n=$("$bin" explore -q -j "$j" -o "$out/explore" configs/explore/close_with_time_wait.ini 2>/dev/null |
	    sed -nE 's/^all ([0-9,]+) placements.*/\1/p')
	printf "tcpsim explore close_with_time_wait.ini (K=3, N=24), %d thread%s: %s placements in %.2f s wall\n" \
	       "$j" "$([ "$j" = 1 ] || echo s)" "$n" "$ex"
done
