# configs/sweeps/close_vs_burstiness.ini: at one loss rate (10 % each way),
# how the close fares as the losses come in longer bursts (simple Gilbert
# model), with and without TIME_WAIT: the closes that end badly (left) and
# those that need the server's FIN sent again (right, with TIME_WAIT; the
# shares without it are the same within one run in 1000).  Shares with 95% Wilson intervals,
# means with 95% Student t intervals, from summary.csv.  Rows 0-4: no
# TIME_WAIT; rows 5-9: 60 s.  Called by plots.sh with dir and term.
set datafile separator comma
set datafile columnheaders
set terminal @term size 1400,560 font ",11"
if (!exists("ext")) ext = "png"
set output dir."/close_vs_burstiness.".ext
summary = dir."/summary.csv"
set multiplot layout 1,2 title "Closing at 10 % loss each way, in bursts  (20 ms each way; 1000 runs a point; 95% confidence intervals)" font ",13"
set grid
set logscale x 2
set xrange [0.8:20]
set xtics (1, 2, 4, 8, 16)
set xlabel "mean burst length (packets lost in a row), loss rate fixed at 10 %"
set key top right
set ylabel "share of runs"
set yrange [0:*]
plot summary every ::0::4 using "network.loss_burst":"server.result=ECONNRESET.share":"server.result=ECONNRESET.ci_low":"server.result=ECONNRESET.ci_high" \
       with yerrorlines lw 2 pt 7 title "server reset in LAST\\_ACK, no TIME\\_WAIT (time\\_wait = 0)", \
     '' every ::5::9 using "network.loss_burst":"server.result=ECONNRESET.share":"server.result=ECONNRESET.ci_low":"server.result=ECONNRESET.ci_high" \
       with yerrorlines lw 2 pt 5 title "server reset, TIME\\_WAIT 60 s", \
     '' every ::5::9 using "network.loss_burst":"client.result=ETIMEDOUT.share":"client.result=ETIMEDOUT.ci_low":"client.result=ETIMEDOUT.ci_high" \
       with yerrorlines lw 2 pt 9 dt 2 title "client gives up (ETIMEDOUT)"
set ylabel "share of runs"
set key top right
plot summary every ::5::9 using "network.loss_burst":"server.fin_retransmitted=several.share":"server.fin_retransmitted=several.ci_low":"server.fin_retransmitted=several.ci_high" \
       with yerrorlines lw 2 pt 7 title "server's FIN sent again 2 or more times in LAST\\_ACK", \
     '' every ::5::9 using "network.loss_burst":"server.fin_retransmitted=once.share":"server.fin_retransmitted=once.ci_low":"server.fin_retransmitted=once.ci_high" \
       with yerrorlines lw 2 pt 5 dt 2 title "server's FIN sent again once"
unset multiplot
