# configs/sweeps/connect_time_vs_loss.ini: connect() time against loss.
# Left: mean, median and p90 (values some run had: R's type-1 quantiles)
# with the mean's 95% confidence interval (summary.csv).
# Right: the distribution (CDF) of the connect time at a few loss rates
# (runs.csv): a staircase, one step per lost SYN or SYN-ACK, because Linux
# retransmits the SYN after 1, 2, 3, 4, 5 s, then 7, 11 s...
# Called by plots.sh with dir and term.
set datafile separator comma
set datafile columnheaders
set terminal @term size 1400,560 font ",11"
if (!exists("ext")) ext = "png"
set output dir."/connect_time_vs_loss.".ext
summary = dir."/summary.csv"
runs = dir."/runs.csv"
set multiplot layout 1,2 title "connect() time against packet loss  (20 ms each way, Linux SYN timers; 95% confidence intervals)" font ",13"
set grid
set key top left
set xlabel "loss probability (each direction)"
set ylabel "connect() time (s)"
set xrange [-0.01:0.31]
set yrange [0:*]
plot summary using "network.loss":"client.connect_time.mean":"client.connect_time.ci_low":"client.connect_time.ci_high" \
       with yerrorlines lw 2 pt 7 title "mean", \
     '' using "network.loss":"client.connect_time.median" with linespoints lw 2 dt 2 pt 6 title "median", \
     '' using "network.loss":"client.connect_time.p90" with linespoints lw 1 dt 4 pt 8 title "p90 (9 connects in 10 take at most this)", \
     '' using "network.loss":"client.retransmissions.syn.mean" with linespoints lw 1 dt 3 pt 4 title "SYN retransmissions per connect (mean, a count)"
set key bottom right
set xlabel "connect() time (s)"
set ylabel "fraction of connects done"
set xrange [0:8]
set yrange [0:1.02]
set xtics 1
losses = "0.05 0.1 0.2 0.3"
plot for [l in losses] runs using (column("network.loss") == real(l) ? column("client.connect_time") : NaN):(1) \
       smooth cnormal with steps lw 2 title "loss ".l
unset multiplot
