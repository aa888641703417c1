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
# replays it under `make check` from then on.  Ends with one line per
# target: executions, coverage, and the verdict.
set -u
cd "$(dirname "$0")/../.."
seconds=$1; shift
status=0
summary=""
for t in "$@"; do
  bin=build-fuzz/fuzz/fuzz_$t
  work=build-fuzz/corpus/$t
  art=build-fuzz/artifacts/$t
  log=build-fuzz/fuzz-$t.log
  dict=tests/fuzz/$t.dict
  [ -f "$dict" ] || dict=tests/fuzz/config.dict
  mkdir -p "$work" "$art"
  dirs=("$work" "tests/fuzz/corpus/$t")
  [ -d "tests/fuzz/regressions/$t" ] && dirs+=("tests/fuzz/regressions/$t")
  echo "fuzz_$t: ${seconds}s (log: $log)"
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="$dict" -artifact_prefix="$art/" "${dirs[@]}" >"$log" 2>&1
  rc=$?
  execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
  verdict=ok
  if [ "$rc" -ne 0 ]; then
    status=1
    verdict="FAILED (exit $rc)"
    mkdir -p "tests/fuzz/regressions/$t"
    for f in "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*; do
      [ -f "$f" ] || continue
      cp "$f" "tests/fuzz/regressions/$t/"
      verdict="$verdict; input saved as tests/fuzz/regressions/$t/$(basename "$f")"
      rm -f "$f"
    done
    grep -E 'ERROR|SUMMARY|guarantee broken|CRITICAL|WARNING' "$log" | head -5 | sed 's/^/    /'
    grep -E '^    #[0-9]+ ' "$log" | head -12
  fi
  summary="$summary
fuzz_$t: ${execs:-0} executions in ${seconds} s, ${cov:-cov: ?}: $verdict"
done
echo "$summary" | sed '/^$/d'
exit $status
