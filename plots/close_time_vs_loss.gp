# configs/sweeps/close_time_vs_loss.ini: how long the close takes on each
# side, and how often LAST_ACK retransmits its FIN, against loss.
# Means with 95% Student t intervals, medians and 90th percentiles (values
# some run had, R's type-1 quantiles), from summary.csv.  The close time
# has a heavy tail (a run whose FIN or last ACK is lost again and again
# takes 10, 22, even 62 s): a few runs make the mean and its interval, the
# median and p90 say where most runs are.
# Called by plots.sh with dir and term.
set datafile separator comma
set datafile columnheaders
set terminal @term size 1400,560 font ",11"
if (!exists("ext")) ext = "png"
set output dir."/close_time_vs_loss.".ext
summary = dir."/summary.csv"
set multiplot layout 1,2 title "Closing a connection against packet loss  (20 ms ± 5 ms each way; 95% confidence intervals)\na heavy tail: from 10 % loss a few closes take 4 to 128 s, and those few runs make the mean and its interval; the median and p90 show most runs" font ",13"
set grid
set key top left
set xlabel "loss probability (each direction)"
set xrange [-0.01:0.31]
set yrange [0:*]
set ylabel "close time (s)"
# one colour per side; the client's and the server's medians nearly
# coincide up to 25 % loss: big open circles around small open squares
client = 'lc rgb "#9400d3"'
server = 'lc rgb "#009e73"'
plot summary using "network.loss":"client.close_time.mean":"client.close_time.ci_low":"client.close_time.ci_high" \
       with yerrorlines @client lw 2 pt 7 title "client (active close): FIN\\_WAIT\\_1 → TIME\\_WAIT, mean", \
     '' using "network.loss":"server.close_time.mean":"server.close_time.ci_low":"server.close_time.ci_high" \
       with yerrorlines @server lw 2 pt 5 title "server (passive close): CLOSE\\_WAIT → CLOSED, mean", \
     '' using "network.loss":"client.close_time.median" with linespoints @client lw 1 dt 2 pt 6 ps 1.8 title "client, median", \
     '' using "network.loss":"server.close_time.median" with linespoints @server lw 1 dt 2 pt 4 ps 0.9 title "server, median", \
     '' using "network.loss":"client.close_time.p90" with linespoints @client lw 1 dt 3 pt 8 title "client, p90 (9 closes in 10 take at most this)", \
     '' using "network.loss":"server.close_time.p90" with linespoints @server lw 1 dt 3 pt 10 title "server, p90"
set ylabel "FIN retransmissions in LAST\\_ACK (per connection)"
plot summary using "network.loss":"server.retransmissions.fin.mean":"server.retransmissions.fin.ci_low":"server.retransmissions.fin.ci_high" \
       with yerrorlines lw 2 pt 7 title "server FIN retransmissions, mean"
unset multiplot
