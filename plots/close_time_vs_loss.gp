# configs/sweeps/close_time_vs_loss.ini: how long the close takes on each
# side, and how often LAST_ACK retransmits its FIN, against loss.
# Means with 95% Student t intervals, and medians, from summary.csv.
# Called by plots.sh with dir and term.
set datafile separator comma
set datafile columnheaders
set terminal @term size 1400,560 font ",11"
set output dir."/close_time_vs_loss.png"
summary = dir."/summary.csv"
set multiplot layout 1,2 title "Closing a connection against packet loss  (20 ms ± 5 ms each way; 95% confidence intervals)" font ",13"
set grid
set key top left
set xlabel "loss probability (each direction)"
set xrange [-0.01:0.31]
set yrange [0:*]
set ylabel "close time (s)"
plot summary using "network.loss":"client.close_time.mean":"client.close_time.ci_low":"client.close_time.ci_high" \
       with yerrorlines lw 2 pt 7 title "client (active close): FIN\\_WAIT\\_1 → TIME\\_WAIT, mean", \
     '' using "network.loss":"server.close_time.mean":"server.close_time.ci_low":"server.close_time.ci_high" \
       with yerrorlines lw 2 pt 5 title "server (passive close): CLOSE\\_WAIT → CLOSED, mean", \
     '' using "network.loss":"client.close_time.median" with linespoints lw 1 dt 2 pt 6 title "client, median", \
     '' using "network.loss":"server.close_time.median" with linespoints lw 1 dt 2 pt 4 title "server, median"
set ylabel "FIN retransmissions in LAST\\_ACK (per connection)"
plot summary using "network.loss":"server.retransmissions.fin.mean":"server.retransmissions.fin.ci_low":"server.retransmissions.fin.ci_high" \
       with yerrorlines lw 2 pt 7 title "server FIN retransmissions, mean"
unset multiplot
