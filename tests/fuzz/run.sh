#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS seconds (make fuzz-run).
#
#   tests/fuzz/run.sh SECONDS TARGET...
#
# Each target starts from its seed corpus (tests/fuzz/corpus/<t>/) and its
# regression inputs, and keeps what it learns in build-fuzz/corpus/<t>/, so
# a second run goes on where the first stopped.  A crash, a leak, an input
# slower than 10 s or above 2 GiB of memory fails the run; its input is
# copied to tests/fuzz/regressions/<t>/, where tests/test_fuzz_regressions
# replays it under `make check` from then on, and printed in hex, so that a
# failure in a throw-away clone (CI) can still be reproduced from its log.
# Targets run FUZZ_JOBS at a time (default: the number of cores), each on
# one core for the whole of its SECONDS.  Ends with one line per target, in
# the order given: executions, coverage, and the verdict.
set -u
cd "$(dirname "$0")/../.."
seconds=$1; shift
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}

# fuzz_one TARGET: runs it, writes its summary line to build-fuzz/fuzz-T.result
# and returns non-zero when it failed.
fuzz_one() {
  local t=$1
  local bin=build-fuzz/fuzz/fuzz_$t work=build-fuzz/corpus/$t art=build-fuzz/artifacts/$t
  local log=build-fuzz/fuzz-$t.log result=build-fuzz/fuzz-$t.result
  local dict=tests/fuzz/$t.dict
  [ -f "$dict" ] || dict=tests/fuzz/config.dict
  mkdir -p "$work" "$art"
  local dirs=("$work" "tests/fuzz/corpus/$t")
  [ -d "tests/fuzz/regressions/$t" ] && dirs+=("tests/fuzz/regressions/$t")
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="$dict" -artifact_prefix="$art/" "${dirs[@]}" >"$log" 2>&1
  local rc=$?
  local execs cov verdict=ok
  execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
  {
    if [ "$rc" -ne 0 ]; then
      verdict="FAILED (exit $rc)"
      mkdir -p "tests/fuzz/regressions/$t"
      local f saved=""
      for f in "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*; do
        [ -f "$f" ] || continue
        cp "$f" "tests/fuzz/regressions/$t/"
        saved="$saved $f"
        verdict="$verdict; input saved as tests/fuzz/regressions/$t/$(basename "$f")"
      done
      echo "fuzz_$t: ${execs:-0} executions in ${seconds} s, ${cov:-cov: ?}: $verdict"
      grep -E 'ERROR|SUMMARY|guarantee broken|CRITICAL|WARNING' "$log" | head -5 | sed 's/^/    /'
      grep -E '^    #[0-9]+ ' "$log" | head -12
      for f in $saved; do
        echo "    input $(basename "$f") ($(wc -c <"$f") bytes) in hex (rebuild: xxd -r -p):"
        od -An -v -tx1 "$f" | head -256 | tr -d ' ' | sed 's/^/      /'
        rm -f "$f"
      done
    else
      echo "fuzz_$t: ${execs:-0} executions in ${seconds} s, ${cov:-cov: ?}: $verdict"
    fi
  } >"$result"
  return "$rc"
}

status=0
running=0
for t in "$@"; do
  echo "fuzz_$t: ${seconds}s (log: build-fuzz/fuzz-$t.log)"
  rm -f "build-fuzz/fuzz-$t.result"
  fuzz_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || status=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || status=1
  running=$((running - 1))
done
for t in "$@"; do
  if [ -f "build-fuzz/fuzz-$t.result" ]; then
    cat "build-fuzz/fuzz-$t.result"
  else
    echo "fuzz_$t: no result (the runner died)"
    status=1
  fi
done
exit $status
