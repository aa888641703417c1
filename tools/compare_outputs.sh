#!/usr/bin/env bash
# Are the outputs of this tree byte-identical to those of another commit?
#
#   tools/compare_outputs.sh [REV]        (REV defaults to HEAD)
#
# Builds REV in a temporary worktree and this working tree, runs every
# shipped config (configs/*.ini) with every output on — the pcap, then the
# pcapng, the JSON summary, the tcpdump-style trace (absolute and
# relative), the JSON Lines event log and the SVG diagram — and every
# shipped sweep (configs/sweeps/*.ini, 40 runs a point, on 2 threads: the
# files do not depend on the thread count), and compares the files byte
# for byte.  A restructuring that claims "no change of behaviour" must
# print "identical" here.  Exit status 0 when identical, 1 when anything
# differs (each difference is listed), 2 on a usage or build error.
# When only generated payload bytes may differ:
#   KEEP=1 tools/compare_outputs.sh REV 2>&1 | tools/payload_only_diff.py
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:-HEAD}
git rev-parse --verify -q "$rev^{commit}" >/dev/null || { echo "compare_outputs: no commit $rev" >&2; exit 2; }
work=$(mktemp -d)
# KEEP=1 keeps the two output trees ($work/before, $work/after) for a
# closer look, e.g. tools/payload_only_diff.py on the listed differences.
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true
      if [ -n "${KEEP:-}" ]; then echo "outputs kept in $work"; else rm -rf "$work"; fi' EXIT

git worktree add -q --detach "$work/base" "$rev"
ln -s "$(cd .. && pwd)/shared" "$work/shared" 2>/dev/null || true
echo "building $rev and the working tree..."
make -s -C "$work/base" -j2 tcpsim >/dev/null || { echo "compare_outputs: $rev does not build" >&2; exit 2; }
make -s -j2 tcpsim >/dev/null || { echo "compare_outputs: the working tree does not build" >&2; exit 2; }

# run_all BIN DEST: every output of every config and sweep into DEST.
run_all() {
	local bin=$1 dest=$2 c n
	mkdir -p "$dest"
	for c in configs/*.ini; do
		n=$(basename "$c" .ini)
		"$bin" "$c" -q -o "$dest/$n" --events "$dest/$n/events.jsonl" \
			--diagram "$dest/$n/diagram.svg" >/dev/null
		"$bin" "$c" -q --format pcapng -o "$dest/$n" >/dev/null
		"$bin" "$c" --json -o "$dest/$n/json" >"$dest/$n/summary.json"
		"$bin" "$c" -q --trace -o "$dest/$n/trace" >"$dest/$n/trace.txt"
		"$bin" "$c" -q --trace --relative -o "$dest/$n/trace" >"$dest/$n/trace-relative.txt"
		"$bin" "$c" -o "$dest/$n/human" | sed "s|$dest|OUT|g" >"$dest/$n/summary.txt"
	done
	for c in configs/sweeps/*.ini; do
		n=$(basename "$c" .ini)
		"$bin" sweep "$c" -q -j 2 -s sweep.runs=40 -o "$dest/sweep-$n" >/dev/null
	done
}

(cd "$work/base" && run_all ./tcpsim "$work/before")
run_all ./tcpsim "$work/after"
# The folders' lock files hold the pid and command of their writer.
find "$work/before" "$work/after" -name .tcpsim.lock -delete
# The files name their own folder (JSON "files", pcapng comments do not):
# compare with the folder names made equal.
find "$work/before" "$work/after" -name summary.json -exec sed -i "s|$work/before|OUT|g; s|$work/after|OUT|g" {} +
if diff -r -q "$work/before" "$work/after"; then
	echo "identical: $(find "$work/after" -type f | wc -l) files of $(ls configs/*.ini | wc -l) configs and $(ls configs/sweeps/*.ini | wc -l) sweeps, $rev vs the working tree"
else
	echo "compare_outputs: outputs differ from $rev (listed above)" >&2
	exit 1
fi
