#!/bin/sh
# plots/plots.sh OUTDIR...  -- PNG figures of finished sweeps, with gnuplot.
#
# Each OUTDIR is the output folder of `tcpsim sweep` (or `tcpsim merge`):
# summary.csv, runs.csv, sweep.meta and metrics.csv.  When plots/<config
# name>.gp exists (the experiments of configs/sweeps/), it draws
# OUTDIR/<config name>.png; otherwise plots/sweep.gp draws one figure per
# metric against the first parameter, OUTDIR/<metric>.png: a number as its
# mean with the 95% Student t interval, its median and its p10-p90 band
# (left), and the CDF of its values at a few points, from runs.csv (right);
# a category as the share of each value with its 95% Wilson interval.
# Axes carry the metrics' readable titles and units and the first
# parameter's readable name (metrics.csv, written by the sweep from
# sim/sweep/metrics.c's table and the config keys' documentation; the
# key when the folder has none).  Prints the files it wrote.  Uses the pngcairo terminal
# when gnuplot has it, else png; PLOTS_FORMAT=svg draws SVG files instead
# (OUTDIR/<metric>.svg: text a test or a diff can read).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
command -v gnuplot >/dev/null || { echo "plots.sh: gnuplot is missing (apt-get install gnuplot-nox)" >&2; exit 2; }
[ $# -gt 0 ] || { echo "usage: plots/plots.sh OUTDIR..." >&2; exit 2; }
ext=${PLOTS_FORMAT:-png}
case $ext in
png) term=png; gnuplot -e 'set terminal' 2>&1 | grep -q pngcairo && term=pngcairo ;;
svg) term=svg ;;
*) echo "plots.sh: PLOTS_FORMAT=$ext: expected png or svg" >&2; exit 2 ;;
esac

# meta KEY DIR: a value of DIR/sweep.meta ("a;b;" lists become "a b").
meta() { sed -n "s/^$1=//p" "$2/sweep.meta" | tr ';' ' '; }

# curves DIR NPARAMS: gnuplot definitions of the curves of a figure, one
# per combination of the parameters after the first (the x axis): ncurves,
# and T[j], the title of curve j ("" with one parameter); xnumeric, 1 when
# every value of the first parameter is a number.  Then the points whose
# CDF the generic figure draws: every point when there are at most 8, else
# 6 spread evenly (the first and the last among them): ncdf, CP[k] (the
# point) and CT[k] (its parameters).  Parameter values never hold a comma
# (a list splits on commas), so splitting lines on commas is safe; a
# quoted value is unquoted.
curves() {
	awk -F, -v np="$2" '
		function unq(s) { if (s ~ /^".*"$/) { s = substr(s, 2, length(s) - 2); gsub(/""/, "\"", s) } return s }
		function gq(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
		NR == 1 { for (i = 2; i <= 1 + np; i++) name[i] = $i; next }
		NR == 2 { first = $2 }
		{
			p = NR - 2; pt = ""
			for (i = 2; i <= 1 + np; i++) pt = pt (pt == "" ? "" : ", ") name[i] "=" unq($i)
			ptitle[p] = pt; points = p + 1
		}
		unq($2) !~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/ { text = 1 }
		$2 == first {
			n++; t = ""
			for (i = 3; i <= 1 + np; i++) t = t (t == "" ? "" : ", ") name[i] "=" unq($i)
			title[n] = t
		}
		END {
			print "xnumeric = " (text ? 0 : 1); print "ncurves = " n; print "array T[" n "]"
			for (j = 1; j <= n; j++) print "T[" j "] = " gq(title[j])
			k = points <= 8 ? points : 6
			print "ncdf = " k; print "array CP[" k "]"; print "array CT[" k "]"
			for (j = 1; j <= k; j++) {
				p = k == points ? j - 1 : int((j - 1) * (points - 1) / (k - 1) + 0.5)
				print "CP[" j "] = " p; print "CT[" j "] = " gq(ptitle[p])
			}
		}' "$1/summary.csv"
}

# title DIR KEY: the readable title of a metric (with its unit) or of a
# parameter (with its key), from metrics.csv; the key itself when the
# folder has no such file or row (one written before parameters had).
title() {
	t=""
	[ -f "$1/metrics.csv" ] && t=$(awk -F, -v m="$2" 'NR > 1 && $1 == m { print $2; exit }' "$1/metrics.csv")
	echo "${t:-$2}"
}

# notes DIR NCURVES METRIC KIND VALUES: gnuplot definitions of the notes
# of a figure.  SAME[b] = a when curve b coincides with an earlier curve a
# (its means, or for a category its shares of every value, equal to a's at
# every point: drawn on top of a, it would be hidden), 0 otherwise.  heavy:
# how many points have the metric's max above 10 x its p90 (> 0), where a
# few runs make the mean and its interval (as the sweep's report warns).
notes() {
	awk -F, -v nc="$2" -v m="$3" -v kind="$4" -v values="$5" '
		function unq(s) { if (s ~ /^".*"$/) { s = substr(s, 2, length(s) - 2); gsub(/""/, "\"", s) } return s }
		NR == 1 {
			for (i = 1; i <= NF; i++) col[unq($i)] = i
			if (kind == "number") want[1] = col[m ".mean"]
			else { nv = split(values, v, " "); for (i = 1; i <= nv; i++) want[i] = col[m "=" v[i] ".share"] }
			p90 = col[m ".p90"]; max = col[m ".max"]
			next
		}
		{
			j = (NR - 2) % nc + 1
			for (i in want) seq[j] = seq[j] "|" $(want[i])
			if (p90 && $p90 + 0 > 0 && $max + 0 > 10 * ($p90 + 0)) heavy++
		}
		END {
			print "array SAME[" nc "]"
			for (b = 1; b <= nc; b++) {
				same = 0
				for (a = 1; a < b && !same; a++) if (seq[a] == seq[b]) same = a
				print "SAME[" b "] = " same
			}
			print "heavy = " (heavy + 0)
		}' "$1/summary.csv"
}

# cdf_notes DIR METRIC CP...: gnuplot definitions CSAME[k] = a when the
# CDF of point CP[k] coincides with that of an earlier CP[a] (the same
# values, each as many times: drawn on top of a, it would be hidden), 0
# otherwise; from runs.csv.  Compared without sorting (mawk has no asort):
# the same number of runs, and every value of one as often in the other.
cdf_notes() {
	f=$1 m=$2; shift 2
	awk -F, -v m="$m" -v cps="$*" '
		function unq(s) { if (s ~ /^".*"$/) { s = substr(s, 2, length(s) - 2); gsub(/""/, "\"", s) } return s }
		function same(a, b,   i, n, v) {
			if (runs[a] != runs[b]) return 0
			n = split(vals[a], v, SUBSEP)
			for (i = 2; i <= n; i++) if (cnt[a, v[i]] != cnt[b, v[i]]) return 0
			return 1
		}
		NR == 1 { for (i = 1; i <= NF; i++) col[unq($i)] = i; next }
		{
			p = $(col["point"]); v = unq($(col[m])); runs[p]++
			if (!((p, v) in cnt)) vals[p] = vals[p] SUBSEP v
			cnt[p, v]++
		}
		END {
			k = split(cps, cp, " ")
			print "array CSAME[" k "]"
			for (b = 1; b <= k; b++) {
				s = 0
				for (a = 1; a < b && !s; a++) if (same(cp[a], cp[b])) s = a
				print "CSAME[" b "] = " s
			}
		}' "$f/runs.csv"
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
		gnuplot -e "dir='$dir'; term='$term'; ext='$ext'" "$here/$name.gp"
		echo "$dir/$name.$ext"
		continue
	fi
	set -- $(meta params "$dir")
	[ $# -gt 0 ] || { echo "plots.sh: $dir: the sweep has no parameter to plot against" >&2; exit 2; }
	defs=$(mktemp)
	curves "$dir" $# >"$defs"
	nc=$(sed -n 's/^ncurves = //p' "$defs")
	for m in $(meta metrics "$dir"); do
		if head -n 1 "$dir/summary.csv" | tr ',' '\n' | grep -qx "$m.mean"; then
			kind=number values=""
		else
			kind=category values=$(category_values "$dir" "$m")
		fi
		mdefs=$(mktemp)
		notes "$dir" "$nc" "$m" "$kind" "$values" >"$mdefs"
		cdf_notes "$dir" "$m" $(sed -n 's/^CP\[[0-9]*\] = //p' "$defs") >>"$mdefs"
		mtitle=$(title "$dir" "$m" | sed "s/'/''/g")
		xtitle=$(title "$dir" "$1" | sed "s/'/''/g")
		# a CDF of one repeated value (every run alike) makes gnuplot warn
		# of an empty range it widens itself: not worth the reader's time
		if ! gnuplot -e "dir='$dir'; term='$term'; ext='$ext'; xcol='$1'; xtitle='$xtitle'; metric='$m'; mtitle='$mtitle'; kind='$kind'; values='$values'; title='$name'" \
		        "$defs" "$mdefs" "$here/sweep.gp" 2>"$mdefs.err"; then
			cat "$mdefs.err" >&2; rm -f "$mdefs" "$mdefs.err" "$defs"; exit 1
		fi
		grep -v '^Warning: empty x range' "$mdefs.err" >&2 || true
		rm -f "$mdefs" "$mdefs.err"
		echo "$dir/$m.$ext"
	done
	rm -f "$defs"
done
