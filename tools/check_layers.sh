#!/usr/bin/env bash
# The layer rule of docs/ARCHITECTURE.md, checked (run by `make lint` and
# by tests/test_layers):
#
#   models/       pure: from sim/ it includes the engine's time type
#                 (sim/engine/time.h) and nothing else; it calls no I/O
#                 function (printf family, g_print*, g_error and the other
#                 GLib log calls, fopen, write...), reads no clock, and
#                 keeps no writable global or static variable;
#   sim/engine/   the bottom of sim/: it includes nothing of the project
#                 but sim/engine/ itself;
#   the mutants   TCPSIM_MUTANTS, which compiles the deliberately broken
#                 models of models/mutant.h in (for the test that uses them,
#                 tests/test_explore_mutants.c), is named in sim/, models/
#                 and tools/ by models/mutant.h and models/tcp_params.h
#                 alone: no source of the shipped program can turn it on.
#
#   tools/check_layers.sh [ROOT]     (ROOT: the tree to check, default .)
#
# Prints one line per violation, "FILE:LINE: what", and exits 1 if there
# is any, 0 otherwise.  Comments are left out of the call and variable
# checks (a comment may name printf); string literals too.
set -euo pipefail
root=${1:-.}
cd "$root"
found=$(mktemp)
trap 'rm -f "$found"' EXIT

# The code of a C file with its comments and string literals blanked, line
# numbers kept (awk: /* */ across lines, //, "..." and '...').
code_of() {
	awk '
	{
		out = ""; i = 1; n = length($0)
		while (i <= n) {
			c = substr($0, i, 1); c2 = substr($0, i, 2)
			if (incomment) {
				if (c2 == "*/") { incomment = 0; i += 2 } else i++
				continue
			}
			if (c2 == "/*") { incomment = 1; i += 2; continue }
			if (c2 == "//") break
			if (c == "\"" || c == "'\''") {
				q = c; out = out q; i++
				while (i <= n && substr($0, i, 1) != q) {
					if (substr($0, i, 1) == "\\") i++
					i++
				}
				out = out q; i++
				continue
			}
			out = out c; i++
		}
		print out
	}' "$1"
}

io_calls='(printf|fprintf|vprintf|vfprintf|dprintf|puts|fputs|putchar|fputc|putc|perror|fopen|fdopen|freopen|fwrite|fread|fclose|fflush|fgets|getline|open|openat|creat|write|read|close|unlink|g_print|g_printerr|g_error|g_warning|g_critical|g_message|g_debug|g_info|g_log|g_fopen|g_open|g_file_get_contents|g_file_set_contents|g_unlink|syslog)'
clock_calls='(time|clock|clock_gettime|gettimeofday|g_get_monotonic_time|g_get_real_time|g_date_time_new_now_local|g_date_time_new_now_utc)'

for f in $(find models -name '*.[ch]' | sort); do
	# includes from sim/: only the engine's time type
	grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"sim/' "$f" |
		grep -vE '"sim/engine/time\.h"' |
		while IFS=: read -r line rest; do
			echo "$f:$line: models/ includes ${rest#*include } (only sim/engine/time.h is allowed)"
		done >> "$found" || true
	code=$(code_of "$f")
	echo "$code" | grep -nE "(^|[^A-Za-z0-9_.>])$io_calls[[:space:]]*\(" |
		while IFS=: read -r line rest; do
			call=$(echo "$rest" | grep -oE "(^|[^A-Za-z0-9_.>])$io_calls[[:space:]]*\(" | head -1 |
			       sed -E 's/^[^A-Za-z_]//; s/[[:space:]]*\($//')
			echo "$f:$line: models/ calls $call() (I/O belongs to sim/)"
		done >> "$found" || true
	echo "$code" | grep -nE "(^|[^A-Za-z0-9_.>])$clock_calls[[:space:]]*\(" |
		while IFS=: read -r line rest; do
			echo "$f:$line: models/ reads a clock (time is an argument)"
		done >> "$found" || true
	# writable data: a static variable that is not const all the way down,
	# or a file-scope definition that is not const
	echo "$code" | grep -nE '^[[:space:]]*static[[:space:]]' |
		grep -vE '^[0-9]+:[[:space:]]*static[[:space:]]+(inline[[:space:]]+)?[^=;]*\(' |
		grep -vE '^[0-9]+:[[:space:]]*static[[:space:]]+const[[:space:]][^*=]*(\*[[:space:]]*const[^*=]*)*(=|;|\[)' |
		grep -vE '^[0-9]+:[[:space:]]*static[[:space:]]+const[[:space:]]+struct[[:space:]]*([A-Za-z_]+[[:space:]]*)?\{' |
		while IFS=: read -r line rest; do
			echo "$f:$line: models/ keeps a writable static variable (state belongs to the caller)"
		done >> "$found" || true
	echo "$code" | grep -nE '^[A-Za-z_][^(]*(=|;)[[:space:]]*(\{.*)?$' |
		grep -vE '^[0-9]+:(static|typedef|struct[[:space:]]+[A-Za-z_]+[[:space:]]*(;|\{)|enum|union|extern|const[[:space:]][^*=]*(\*[[:space:]]*const[^*=]*)*(=|\[))' |
		while IFS=: read -r line rest; do
			echo "$f:$line: models/ defines a writable global (state belongs to the caller)"
		done >> "$found" || true
done

for f in $(find sim/engine -name '*.[ch]' | sort); do
	grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
		grep -vE '"sim/engine/[^"/]+"' |
		while IFS=: read -r line rest; do
			echo "$f:$line: sim/engine/ includes ${rest#*include } (the engine is the bottom layer)"
		done >> "$found" || true
done
mutant_files='^models/(mutant|tcp_params)\.h$'
for f in $(find sim models tools -name '*.[ch]' 2>/dev/null | sort | grep -vE "$mutant_files"); do
	grep -n 'TCPSIM_MUTANTS' "$f" |
		while IFS=: read -r line rest; do
			echo "$f:$line: names TCPSIM_MUTANTS (the mutants are for tests/test_explore_mutants.c alone)"
		done >> "$found" || true
done
cat "$found"
[ ! -s "$found" ]
