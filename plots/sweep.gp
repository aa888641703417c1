# One metric of a sweep against its first parameter, from summary.csv (and
# runs.csv for the CDF).  plots.sh sets dir, term, ext (png | svg), xcol
# (the first parameter), xtitle (its readable name, from metrics.csv),
# metric, mtitle (its readable title with its unit, from metrics.csv),
# kind (number | category), values (the category's values), title, and,
# from the data, xnumeric, ncurves and T[1..ncurves]: one curve per
# combination of the other parameters (summary.csv has the first
# parameter varying slowest, so curve j is every ncurves-th row from row
# j); ncdf, CP[] and CT[]: the points whose CDF is drawn; SAME[j]: the
# earlier curve that curve j coincides with, or 0; CSAME[k]: the earlier
# CDF that CDF k coincides with, or 0; heavy: the points with a heavy
# tail (max > 10 x p90).
# A number, left: its mean with the 95% Student t interval, its median
# (open marks) and the band from p10 to p90, where 80 % of the runs are
# (the median and quantiles are values some run had: R's type 1); right:
# the CDF of its values at a few points (runs.csv), on a log scale when
# the tail is heavy and every value positive.  A category: the share of
# runs with each value and its 95% Wilson interval.
# Curves that would hide one another are told apart: each has its own
# marks and dash pattern and is shifted a little along x, and the
# coinciding ones are named under the figure.  A parameter that is not a
# number ("100ms", "linux") is drawn as evenly spaced labels, in file order.
set datafile separator comma
set datafile columnheaders
number = kind eq "number"
W = number ? 1400 : 900
set terminal @term size W,600 font ",11"
# after `set terminal`, which resets the terminal's options: the titles
# are text ("TIME_WAIT"), not enhanced-text markup (a subscript W)
set termoption noenhanced
set output dir."/".metric.".".ext
summary = dir."/summary.csv"
runs = dir."/runs.csv"

# what would otherwise be hidden, said under the title
note = ""
do for [b=1:ncurves] {
	if (SAME[b] > 0) {
		note = note.(note eq "" ? "" : "; ").T[b]." coincides with ".T[SAME[b]]
	}
}
if (note ne "") { note = "curves that coincide (drawn on top of each other, told apart by marks and dashes): ".note }
tail = ""
if (number && heavy > 0) {
	tail = sprintf("heavy tail at %d point%s: the max exceeds 10 x p90, so a few runs make the mean and its 95%% interval; the median and the p10-p90 band show where most runs are", heavy, heavy == 1 ? "" : "s")
}
head = title.": ".mtitle
if (note ne "") { head = head."\n".note }
if (tail ne "") { head = head."\n".tail }

# curve j: its marks (filled; the open ones for its median), dashes, shift
PT = "7 5 9 11 13 15 3 1 2 12"
ptype(j) = int(word(PT, (j - 1) % 10 + 1))
popen(j) = j <= 6 ? ptype(j) - 1 : ptype(j)
if (xnumeric) {
	stats summary using (column(xcol)) nooutput
	dx = (STATS_max - STATS_min) * 0.006
} else {
	dx = 0.05
}
shift(j) = (j - (ncurves + 1) / 2.0) * dx
# the x position of a row of curve j: the value, or the rank of the value
X0(dummy) = xnumeric ? column(xcol) : int(column("point") / ncurves)
X(j) = X0(0) + shift(j)
# (a text parameter's labels come once, unshifted, from a curve of no marks)
label(j, what) = T[j] eq "" ? what : T[j].": ".what

set grid
set key below
if (!xnumeric) { set offsets 0.3, 0.3, 0, 0 }
set xlabel (exists("xtitle") ? xtitle : xcol)

if (number) {
	set multiplot layout 1,2 title head
	set ylabel mtitle
	set yrange [0:*]
	if (xnumeric) {
		plot for [j=1:ncurves] summary every ncurves::(j-1) using (X(j)):metric.".p10":metric.".p90" \
		       with filledcurves fs transparent solid 0.12 noborder lc j title label(j, "p10-p90"), \
		     for [j=1:ncurves] summary every ncurves::(j-1) \
		       using (X(j)):metric.".mean":metric.".ci_low":metric.".ci_high" \
		       with yerrorlines lw 2 lc j pt ptype(j) dt j title label(j, "mean, 95% CI"), \
		     for [j=1:ncurves] summary every ncurves::(j-1) using (X(j)):metric.".median" \
		       with points lc j pt popen(j) ps 1.6 title label(j, "median")
	} else {
		plot summary every ncurves using (X0(0)):(NaN):xtic(strcol(xcol)) notitle, \
		     for [j=1:ncurves] summary every ncurves::(j-1) using (X(j)):metric.".p10":metric.".p90" \
		       with filledcurves fs transparent solid 0.12 noborder lc j title label(j, "p10-p90"), \
		     for [j=1:ncurves] summary every ncurves::(j-1) \
		       using (X(j)):metric.".mean":metric.".ci_low":metric.".ci_high" \
		       with yerrorlines lw 2 lc j pt ptype(j) dt j title label(j, "mean, 95% CI"), \
		     for [j=1:ncurves] summary every ncurves::(j-1) using (X(j)):metric.".median" \
		       with points lc j pt popen(j) ps 1.6 title label(j, "median")
	}
	# the CDF: a staircase for stepped data, its long flat top for a tail
	unset offsets
	set xrange [*:*]
	# (stats of one column keeps only the values inside the y range)
	set yrange [*:*]
	stats runs using (column(metric)) nooutput
	set yrange [0:1.02]
	set xlabel mtitle
	set ylabel "fraction of runs with a value <= x"
	logx = heavy > 0 && STATS_min > 0
	if (logx) { set logscale x; set xlabel mtitle.", log scale" }
	# CDFs that coincide (every run alike at each point: one step for all)
	# are shifted a little along x, each with its marks on its steps (the
	# top of each jump), numbered in the key, which says which one each
	# repeats; a lone value gets a range around it
	span = STATS_max > STATS_min ? STATS_max - STATS_min : (STATS_max != 0 ? abs(STATS_max) : 1)
	if (STATS_max == STATS_min) { set xrange [STATS_min - span / 4:STATS_max + span / 4] }
	cshift(k) = (k - (ncdf + 1) / 2.0) * 0.01
	CX(k) = logx ? column(metric) * (1 + cshift(k)) : column(metric) + cshift(k) * span
	csame = 0
	do for [k=1:ncdf] { if (CSAME[k] > 0) { csame = csame + 1 } }
	if (csame > 0) { set title sprintf("%d CDFs repeat an earlier one (= in the key): " \
	                                   ."shifted a little, told apart by marks", csame) }
	ctitle(k) = csame == 0 ? CT[k] : sprintf("%d: %s%s", k, CT[k], CSAME[k] > 0 ? sprintf(" (= %d)", CSAME[k]) : "")
	plot for [k=1:ncdf] runs using (column("point") == CP[k] ? CX(k) : NaN):(1) \
	       smooth cnormal with steps lw 2 lc k dt k notitle, \
	     for [k=1:ncdf] runs using (column("point") == CP[k] ? CX(k) : NaN):(1) \
	       smooth cnormal with points lc k pt ptype(k) ps 1.3 notitle, \
	     for [k=1:ncdf] keyentry with linespoints lw 2 lc k dt k pt ptype(k) ps 1.3 title ctitle(k)
	unset multiplot
}
if (!number) {
	set title head
	set ylabel "share of runs: ".mtitle
	set yrange [0:1.05]
	if (xnumeric) {
		plot for [v in values] for [j=1:ncurves] summary every ncurves::(j-1) \
		       using (X(j)):metric."=".v.".share":metric."=".v.".ci_low":metric."=".v.".ci_high" \
		       with yerrorlines lw 2 pt ptype(j) dt j title label(j, v)
	} else {
		plot summary every ncurves using (X0(0)):(NaN):xtic(strcol(xcol)) notitle, \
		     for [v in values] for [j=1:ncurves] summary every ncurves::(j-1) \
		       using (X(j)):metric."=".v.".share":metric."=".v.".ci_low":metric."=".v.".ci_high" \
		       with yerrorlines lw 2 pt ptype(j) dt j title label(j, v)
	}
}
