#!/usr/bin/env bash
# make check-valgrind: valgrind memcheck over
#   1. tcpsim on every config of configs/ (text summary and pcap, then
#      --json --trace); the sweeps of configs/sweeps/ with 2 runs per point
#      of at most 3 s of simulated time,
#      and
#   2. every test program, following the tcpsim runs it spawns
#      (TCPSIM_BIN points them at the same build; tshark is not followed),
# with 0 errors and 0 definitely lost blocks allowed.  Suppressions: GLib's
# own file for its deliberate one-time allocations, when installed, and
# tests/valgrind.supp.  One log per process in build-valgrind/valgrind-logs/.
#
#   tests/valgrind.sh TCPSIM TEST_PROGRAM...
set -u
cd "$(dirname "$0")/.."
tcpsim=$1; shift
logs=build-valgrind/valgrind-logs
rm -rf "$logs"; mkdir -p "$logs"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpsim-valgrind-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

supp=(--suppressions=tests/valgrind.supp)
glib_supp=/usr/share/glib-2.0/valgrind/glib.supp
[ -f "$glib_supp" ] && supp+=(--suppressions="$glib_supp")
vg=(valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --num-callers=30 "${supp[@]}"
    --trace-children=yes "--trace-children-skip=*tshark*,*dumpcap*,*gnuplot*,*check_layers*,/bin/*,/usr/bin/*"
    "--log-file=$logs/%q{VG_NAME}.%p.log")
export TCPSIM_BIN=$tcpsim            # the tests spawn this build of tcpsim
export TCPSIM_STRESS_RUNS=${TCPSIM_STRESS_RUNS:-40} # test_stress: a shorter stress
status=0

# The work runs on every core (valgrind is single-threaded and the machine
# has two): each job writes its verdict into $tmp/verdicts/NNNN, printed in
# order at the end, so the output is the same whatever the timing.
jobs=${VALGRIND_JOBS:-$(nproc)}
mkdir -p "$tmp/verdicts"
seq_no=0
run_job() { # NAME-FOR-LOGS VERDICT-FILE COMMAND...
  local vgname=$1 verdict=$2; shift 2
  ( VG_NAME="$vgname" "${vg[@]}" "$@" ) >"$verdict.out" 2>&1
  echo $? >"$verdict.rc"
}
spawn() { # wait for a free core, then run_job in the background
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_job "$@" &
}

for cfg in $(find configs -name '*.ini' | sort); do
  name=$(echo "${cfg#configs/}" | tr / -); name=${name%.ini}
  modes="text json"; case $cfg in configs/sweeps/*) modes=sweep;; esac
  for mode in $modes; do
    case $mode in
      text) cmd=("$tcpsim" "$cfg" -o "$tmp/$name-$mode");;
      json) cmd=("$tcpsim" "$cfg" -o "$tmp/$name-$mode" --json --trace);;
      # 2 runs a point, each cut at 3 s of simulated time: a throughput
      # sweep's runs send for 90 s at up to 90 Mbit/s, minutes under
      # valgrind, while the paths they take show in their first seconds
      sweep) cmd=("$tcpsim" sweep "$cfg" -o "$tmp/$name-$mode" --set sweep.runs=2
                  --set simulation.duration=3s -q);;
    esac
    seq_no=$((seq_no + 1)); v=$(printf '%s/verdicts/%04d' "$tmp" "$seq_no")
    echo "tcpsim $cfg ($mode)" >"$v.what"
    spawn "tcpsim-$name-$mode" "$v" "${cmd[@]}"
  done
done

for prog in "$@"; do
  name=$(basename "$prog")
  seq_no=$((seq_no + 1)); v=$(printf '%s/verdicts/%04d' "$tmp" "$seq_no")
  echo "prog $name" >"$v.what"
  spawn "$name" "$v" "$prog" --tap
done
wait

for what in "$tmp"/verdicts/*.what; do
  v=${what%.what}; rc=$(cat "$v.rc"); read -r kind label <"$what"
  if [ "$kind" = prog ]; then
    cp "$v.out" "$logs/$label.tap"
    bad=$(grep -cE '^not ok' "$v.out"); ok=$(grep -cE '^ok' "$v.out")
    if [ "$rc" -ne 0 ] || [ "$bad" -ne 0 ]; then
      echo "FAIL $label ($ok passed, $bad failed; exit $rc) — $logs/$label.tap"; status=1
    else
      echo "ok   $label ($ok tests)"
    fi
  elif [ "$rc" -ne 0 ]; then
    echo "FAIL tcpsim $label: exit $rc"; status=1
  else
    echo "ok   tcpsim $label"
  fi
done

# Every process, spawned ones included, must end with no error.  A log
# without an ERROR SUMMARY is a child that went on to exec a program not
# followed (tshark): fine unless it shows an error or a fatal signal.  A
# crash is a signal the program raised itself (SIGILL 4, SIGTRAP 5, SIGABRT
# 6, SIGBUS 7, SIGFPE 8, SIGSEGV 11, SIGSYS 31); SIGTERM and SIGINT come
# from outside (test_output_rules stops runs on purpose) and are no error.
crash='Process terminating with default action of signal (4|5|6|7|8|11|31) '
# A process stopped from outside never reached its cleanup: what it still
# held is no leak of its own (where its pointers were at the instant of the
# signal decides what valgrind calls lost), so only its memory errors count.
stopped='Process terminating with default action of signal (2|15) '
memerr='^==[0-9]+== ([A-Z][a-z]+ (read|write|free)|Conditional|Use of|Syscall param|Mismatched|Source and)'
errors=0; leaks=0
for log in "$logs"/*.log; do
  if grep -qE "$stopped" "$log"; then
    if grep -qE "$memerr" "$log"; then
      errors=$((errors + 1))
      echo "valgrind: errors in $log ($(grep -m1 'Command:' "$log" | sed 's/.*Command: //'))"
      grep -E "$memerr" "$log" | head -5 | sed 's/^/    /'
    fi
    continue
  fi
  if grep -qE "ERROR SUMMARY: [1-9]|$crash" "$log"; then
    errors=$((errors + 1))
    echo "valgrind: errors in $log ($(grep -m1 'Command:' "$log" | sed 's/.*Command: //'))"
    grep -E '^==[0-9]+== ([A-Z][a-z]+ (read|write|free)|Conditional|Use of|Syscall|Mismatched|Source and|Process terminating|[0-9,]+ (\([0-9, a-z]+\) )?bytes in [0-9,]+ blocks are definitely)' "$log" \
      | head -5 | sed 's/^/    /'
  fi
  grep -qE 'definitely lost: [1-9]' "$log" && leaks=$((leaks + 1))
done
n=$(ls "$logs"/*.log | wc -l)
echo "valgrind: $n processes checked, $errors with errors, $leaks with definite leaks"
[ "$errors" -eq 0 ] && [ "$leaks" -eq 0 ] || status=1
exit $status
