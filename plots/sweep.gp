# One metric of a sweep against its first parameter, from summary.csv.
# plots.sh sets dir, term, xcol (the first parameter), metric, kind
# (number | category), values (the category's values), title, and, from
# the data, xnumeric, ncurves and T[1..ncurves]: one curve per combination
# of the other parameters (summary.csv has the first parameter varying
# slowest, so curve j is every ncurves-th row from row j).
# A number: its mean with the 95% Student t interval (and the median when
# there is one curve); a category: the share of runs with each value and
# its 95% Wilson interval.  A parameter that is not a number ("100ms",
# "linux") is drawn as evenly spaced labels, in file order.
set datafile separator comma
set datafile columnheaders
set terminal @term size 900,560 font ",11"
set termoption noenhanced
set output dir."/".metric.".png"
set grid
set key below
set title title.": ".metric
set xlabel xcol
unit = (strstrt(metric, "_time") > 0) ? " (s)" : ""
set ylabel (kind eq "number" ? metric.unit : "share of runs")
if (kind eq "category") { set yrange [0:1.05] } else { set yrange [0:*] }
if (!xnumeric) { set offsets 0.3, 0.3, 0, 0 }
summary = dir."/summary.csv"
# the x position of a row: the value, or the rank of the value
X(dummy) = xnumeric ? column(xcol) : int(column("point") / ncurves)
label(j, what) = T[j] eq "" ? what : T[j].": ".what
if (kind eq "number" && xnumeric) {
	plot for [j=1:ncurves] summary every ncurves::(j-1) \
	       using (X(0)):metric.".mean":metric.".ci_low":metric.".ci_high" \
	       with yerrorlines lw 2 title label(j, "mean, 95% CI"), \
	     for [j=1:(ncurves == 1)] summary using (X(0)):metric.".median" with linespoints dt 2 title "median"
}
if (kind eq "number" && !xnumeric) {
	plot for [j=1:ncurves] summary every ncurves::(j-1) \
	       using (X(0)):metric.".mean":metric.".ci_low":metric.".ci_high":xtic(strcol(xcol)) \
	       with yerrorlines lw 2 title label(j, "mean, 95% CI"), \
	     for [j=1:(ncurves == 1)] summary using (X(0)):metric.".median" with linespoints dt 2 title "median"
}
if (kind eq "category" && xnumeric) {
	plot for [v in values] for [j=1:ncurves] summary every ncurves::(j-1) \
	       using (X(0)):metric."=".v.".share":metric."=".v.".ci_low":metric."=".v.".ci_high" \
	       with yerrorlines lw 2 title label(j, v)
}
if (kind eq "category" && !xnumeric) {
	plot for [v in values] for [j=1:ncurves] summary every ncurves::(j-1) \
	       using (X(0)):metric."=".v.".share":metric."=".v.".ci_low":metric."=".v.".ci_high":xtic(strcol(xcol)) \
	       with yerrorlines lw 2 title label(j, v)
}
