#!/bin/sh
# plots/plots.sh OUTDIR...  -- PNG figures of finished sweeps, with gnuplot.
#
# Each OUTDIR is the output folder of `tcpsim sweep` (or `tcpsim merge`):
# summary.csv, runs.csv and sweep.meta.  When plots/<config name>.gp exists
# (the experiments of configs/sweeps/), it draws OUTDIR/<config name>.png;
# otherwise plots/sweep.gp draws one figure per metric against the first
# parameter, OUTDIR/<metric>.png: numbers as the mean with its 95% Student t
# interval, categories as the share of each value with its 95% Wilson
# interval.  Prints the files it wrote.  Uses the pngcairo terminal when
# gnuplot has it, else png.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
command -v gnuplot >/dev/null || { echo "plots.sh: gnuplot is missing (apt-get install gnuplot-nox)" >&2; exit 2; }
[ $# -gt 0 ] || { echo "usage: plots/plots.sh OUTDIR..." >&2; exit 2; }
term=png
gnuplot -e 'set terminal' 2>&1 | grep -q pngcairo && term=pngcairo

# meta KEY DIR: a value of DIR/sweep.meta ("a;b;" lists become "a b").
meta() { sed -n "s/^$1=//p" "$2/sweep.meta" | tr ';' ' '; }

# curves DIR NPARAMS: gnuplot definitions of the curves of a figure, one
# per combination of the parameters after the first (the x axis): ncurves,
# and T[j], the title of curve j ("" with one parameter); xnumeric, 1 when
# every value of the first parameter is a number.  Parameter values never
# hold a comma (a list splits on commas), so splitting lines on commas is
# safe; a quoted value is unquoted.
curves() {
	awk -F, -v np="$2" '
		function unq(s) { if (s ~ /^".*"$/) { s = substr(s, 2, length(s) - 2); gsub(/""/, "\"", s) } return s }
		function gq(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
		NR == 1 { for (i = 2; i <= 1 + np; i++) name[i] = $i; next }
		NR == 2 { first = $2 }
		unq($2) !~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/ { text = 1 }
		$2 == first {
			n++; t = ""
			for (i = 3; i <= 1 + np; i++) t = t (t == "" ? "" : ", ") name[i] "=" unq($i)
			title[n] = t
		}
		END {
			print "xnumeric = " (text ? 0 : 1); print "ncurves = " n; print "array T[" n "]"
			for (j = 1; j <= n; j++) print "T[" j "] = " gq(title[j])
		}' "$1/summary.csv"
}

# category_values DIR METRIC: the values V of the METRIC=V.share columns.
category_values() {
	head -n 1 "$1/summary.csv" | tr ',' '\n' | sed -n "s/^$2=\(.*\)\.share\$/\1/p" | tr '\n' ' '
}

for dir in "$@"; do
	for f in summary.csv sweep.meta; do
		[ -f "$dir/$f" ] || { echo "plots.sh: $dir/$f is missing: run the sweep first (a shard has no summary: merge the shards)" >&2; exit 2; }
	done
	name=$(basename "$(meta config "$dir")" .ini)
	if [ -f "$here/$name.gp" ]; then
		gnuplot -e "dir='$dir'; term='$term'" "$here/$name.gp"
		echo "$dir/$name.png"
		continue
	fi
	set -- $(meta params "$dir")
	[ $# -gt 0 ] || { echo "plots.sh: $dir: the sweep has no parameter to plot against" >&2; exit 2; }
	defs=$(mktemp)
	curves "$dir" $# >"$defs"
	for m in $(meta metrics "$dir"); do
		if head -n 1 "$dir/summary.csv" | tr ',' '\n' | grep -qx "$m.mean"; then
			kind=number values=""
		else
			kind=category values=$(category_values "$dir" "$m")
		fi
		gnuplot -e "dir='$dir'; term='$term'; xcol='$1'; metric='$m'; kind='$kind'; values='$values'; title='$name'" \
		        "$defs" "$here/sweep.gp"
		echo "$dir/$m.png"
	done
	rm -f "$defs"
done
