#!/usr/bin/env bash
# Runs every test program in TAP mode and totals the results.
# A program that crashes counts each test it did not report as failed.
# Ends with the line "N passed, N failed" and exits non-zero on any failure.
# The programs run on every core (TEST_JOBS, default nproc); each writes its
# own log, and the verdicts are printed in the order given, whatever the
# timing.
set -u
cd "$(dirname "$0")/.."
passed=0; failed=0
log_dir=${TEST_LOG_DIR:-build/test-logs}; mkdir -p "$log_dir"  # TEST_LOG_DIR: check-asan keeps its own
jobs=${TEST_JOBS:-$(nproc)}

for prog in "$@"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  name=$(basename "$prog")
  ( "$prog" --tap >"$log_dir/$name.log" 2>&1; echo $? >"$log_dir/$name.status" ) &
done
wait

for prog in "$@"; do
  name=$(basename "$prog")
  log="$log_dir/$name.log"
  status=$(cat "$log_dir/$name.status")
  ok=$(grep -cE '^ok [0-9]+' "$log")
  bad=$(grep -cE '^not ok [0-9]+' "$log")
  plan=$(sed -nE 's/^1\.\.([0-9]+).*/\1/p' "$log" | head -1)
  missing=0
  if [ "$status" -ne 0 ] && [ -n "$plan" ]; then
    missing=$((plan - ok - bad)); [ "$missing" -lt 0 ] && missing=0
  fi
  if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ] && [ "$missing" -eq 0 ]; then missing=1; fi
  passed=$((passed + ok)); failed=$((failed + bad + missing))
  if [ $((bad + missing)) -gt 0 ]; then
    echo "FAIL $name ($ok passed, $((bad + missing)) failed; exit $status) — log: $log"
    grep -E '^not ok|ERROR|FAIL|Bail out|assertion' "$log" | head -20 | sed 's/^/    /'
  else
    echo "ok   $name ($ok tests)"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
