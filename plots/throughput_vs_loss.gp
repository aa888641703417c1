# configs/sweeps/throughput_vs_loss.ini: a bulk transfer's goodput
# against the data direction's loss rate, at 20 ms and 100 ms of round
# trip, beside two models (left), and the measure over CUBIC's response
# function (right).  Means with 95% Student t intervals, from summary.csv:
# rows 0-8 are the 20 ms round trip (network.delay = 10ms each way), rows
# 9-17 the 100 ms one.  Called by plots.sh with dir and term.
#
# Models, for MSS = 1448 bytes and RTT in seconds (windows in segments):
#  - Mathis et al. (1997): W = sqrt(3/(2p)), Reno's average window;
#  - RFC 9438 §5.1, CUBIC's response function: the larger of its own
#    average window (C*(3+beta)/(4*(1-beta)))^(1/4) * RTT^(3/4) / p^(3/4)
#    and the Reno-friendly region's sqrt(3/(2p)) (C = 0.4, beta = 0.7).
# Throughput = W * MSS * 8 / RTT bit/s, and never above the link's 1 Gbit/s.
set datafile separator comma
set datafile columnheaders
set terminal @term size 1400,600 font ",11"
if (!exists("ext")) ext = "png"
set output dir."/throughput_vs_loss.".ext
summary = dir."/summary.csv"
mss = 1448.0
C = 0.4
beta = 0.7
link = 1000.0
reno_w(p) = sqrt(3.0 / (2.0 * p))
cubic_w(p, rtt) = (C * (3.0 + beta) / (4.0 * (1.0 - beta)))**0.25 * rtt**0.75 / p**0.75
max(a, b) = a > b ? a : b
min(a, b) = a < b ? a : b
mbit(w, rtt) = min(w * mss * 8.0 / rtt / 1e6, link)
mathis(p, rtt) = mbit(reno_w(p), rtt)
cubic(p, rtt) = mbit(max(cubic_w(p, rtt), reno_w(p)), rtt)
set multiplot layout 1,2 title "Bulk-transfer goodput against packet loss\n(1 Gbit/s path, MSS 1448, CUBIC with SACK; 90 s a run, the last 60 s measured, 50 runs a point; 95% confidence intervals)" font ",13"
set grid
set logscale xy
set xrange [0.00007:0.07]
set format x "%g"
set xlabel "loss probability of a data packet"
set ylabel "goodput (Mbit/s)"
set key bottom left
fast = 'lc rgb "#0072b2"'
slow = 'lc rgb "#d55e00"'
set samples 200
plot summary every ::0::8 using "network.client_to_server.loss":(column("client.goodput.mean")/1e6):(column("client.goodput.ci_low")/1e6):(column("client.goodput.ci_high")/1e6) \
       with yerrorlines @fast lw 2 pt 7 title "measured, RTT 20 ms", \
     '' every ::9::17 using "network.client_to_server.loss":(column("client.goodput.mean")/1e6):(column("client.goodput.ci_low")/1e6):(column("client.goodput.ci_high")/1e6) \
       with yerrorlines @slow lw 2 pt 5 title "measured, RTT 100 ms", \
     cubic(x, 0.02) @fast lw 1 dt 2 title "CUBIC response function (RFC 9438 §5.1), 20 ms", \
     cubic(x, 0.1) @slow lw 1 dt 2 title "CUBIC response function, 100 ms", \
     mathis(x, 0.02) @fast lw 1 dt 3 title "Mathis bound sqrt(3/2p) MSS/RTT, 20 ms", \
     mathis(x, 0.1) @slow lw 1 dt 3 title "Mathis bound, 100 ms"
unset logscale y
set yrange [0:2]
set ylabel "measured / CUBIC response function"
set key top right
set object 1 rect from graph 0, first 0.7 to graph 1, first 1.3 fc rgb "#eeeeee" behind
plot summary every ::0::8 using "network.client_to_server.loss":(column("client.goodput.mean")/1e6/cubic(column("network.client_to_server.loss"), 0.02)) \
       with linespoints @fast lw 2 pt 7 title "RTT 20 ms", \
     '' every ::9::17 using "network.client_to_server.loss":(column("client.goodput.mean")/1e6/cubic(column("network.client_to_server.loss"), 0.1)) \
       with linespoints @slow lw 2 pt 5 title "RTT 100 ms", \
     1 lc rgb "#888888" lw 1 title "the model (grey band: ±30 %)"
unset multiplot
