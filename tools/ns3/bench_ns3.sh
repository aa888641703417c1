#!/bin/sh
# shellcheck disable=SC2086,SC2046
#   ($MODS and the pkg-config flags are split into words on purpose)
# bench_ns3.sh - time ns-3 3.37 (Debian's libns3-dev) on the bulk transfer
# of tools/ns3/bulk.cc, the counterpart of configs/bench/bulk.ini (issue 17).
#
#   tools/ns3/bench_ns3.sh [BYTES [RUNS]]     (default 100000000 bytes, 3 runs)
#
# Builds bulk.cc with g++ -O2 in a temporary directory, runs it RUNS times,
# and prints the median wall time, the packets that crossed the link (data
# and ACKs), the wall time per packet and the largest peak RSS. Optional:
# without ns-3 it says "ns-3 not installed" and exits 0, and `make bench`
# does not run it. Install ns-3 with: apt-get install libns3-dev
set -eu

BYTES=${1:-100000000}
RUNS=${2:-3}
MODS="ns3-core ns3-network ns3-internet ns3-point-to-point ns3-applications
ns3-traffic-control"
SRC=$(dirname "$0")/bulk.cc

if ! command -v g++ >/dev/null 2>&1 || ! command -v pkg-config >/dev/null 2>&1 ||
   ! pkg-config --exists $MODS 2>/dev/null; then
	echo "ns-3 not installed (apt-get install libns3-dev); skipping"
	exit 0
fi
[ -x /usr/bin/time ] || { echo "bench_ns3: /usr/bin/time is missing" >&2; exit 1; }

DIR=$(mktemp -d "${TMPDIR:-/tmp}/bench_ns3.XXXXXX")
trap 'rm -rf "$DIR"' EXIT INT TERM
# Debian's .pc files carry a stray "-I/usr\;": drop it.
CFLAGS=$(pkg-config --cflags $MODS | sed 's/-I\/usr\\;//g')
g++ -O2 -o "$DIR/bulk" "$SRC" $CFLAGS $(pkg-config --libs $MODS)

echo "ns-3 $(pkg-config --modversion ns3-core): bulk $BYTES bytes, $RUNS runs"
i=1
while [ "$i" -le "$RUNS" ]; do
	t0=$(date +%s%N)
	/usr/bin/time -f %M -o "$DIR/rss" "$DIR/bulk" "$BYTES" >"$DIR/out"
	t1=$(date +%s%N)
	[ "$i" -eq 1 ] && sed 's/^/  /' "$DIR/out"
	packets=$(awk '$1 == "packets" { print $2 }' "$DIR/out")
	echo "$(( (t1 - t0) / 1000 )) $packets $(cat "$DIR/rss")" >>"$DIR/runs"
	echo "  run $i: $(awk -v us=$(( (t1 - t0) / 1000 )) \
		'BEGIN { printf "%.3f s", us / 1e6 }')"
	i=$((i + 1))
done

sort -n "$DIR/runs" | awk -v n="$RUNS" '
	{ us[NR] = $1; pk[NR] = $2; if ($3 > rss) rss = $3 }
	END {
		m = int((n + 1) / 2)
		printf "median wall %.3f s   packets %d   %.1f us/packet   " \
		       "peak RSS %.1f MiB\n", us[m] / 1e6, pk[m], us[m] / pk[m],
		       rss / 1024
	}'
echo "load average:$(uptime | sed 's/.*load average[s]*://')"
