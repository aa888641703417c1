# configs/sweeps/throughput_vs_rtt.ini: a bulk transfer's goodput against
# the round-trip time at 0.1 % loss of the data packets, under CUBIC and
# Reno, beside the models.  Means with 95% Student t intervals, from
# summary.csv: rows 0-5 are CUBIC, rows 6-11 Reno, each over network.delay
# (one way, "2.5ms" in the CSV, read as milliseconds: RTT = 2 x delay).  Called by plots.sh
# with dir and term.
#
# Models, for MSS = 1448 bytes and p = 0.001 (windows in segments):
#  - Mathis et al. (1997), Reno: W = sqrt(3/(2p));
#  - RFC 9438 §5.1, CUBIC: the larger of (C*(3+beta)/(4*(1-beta)))^(1/4)
#    * RTT^(3/4) / p^(3/4) and sqrt(3/(2p)) (C = 0.4, beta = 0.7).
set datafile separator comma
set datafile columnheaders
set terminal @term size 1000,600 font ",11"
if (!exists("ext")) ext = "png"
set output dir."/throughput_vs_rtt.".ext
summary = dir."/summary.csv"
mss = 1448.0
p = 0.001
C = 0.4
beta = 0.7
reno_w = sqrt(3.0 / (2.0 * p))
cubic_w(rtt) = (C * (3.0 + beta) / (4.0 * (1.0 - beta)))**0.25 * rtt**0.75 / p**0.75
max(a, b) = a > b ? a : b
mbit(w, rtt) = w * mss * 8.0 / rtt / 1e6
set title "Bulk-transfer goodput against round-trip time at 0.1 % loss\n(1 Gbit/s path, MSS 1448; 90 s a run, the last 60 s measured, 50 runs a point; 95% confidence intervals)" font ",12"
set grid
set logscale xy
set xrange [4:250]
set xlabel "round-trip time (ms)"
set ylabel "goodput (Mbit/s)"
set key top right
cubic = 'lc rgb "#0072b2"'
reno = 'lc rgb "#d55e00"'
set samples 200
plot summary every ::0::5 using (2 * column("network.delay")):(column("client.goodput.mean")/1e6):(column("client.goodput.ci_low")/1e6):(column("client.goodput.ci_high")/1e6) \
       with yerrorlines @cubic lw 2 pt 7 title "measured, CUBIC", \
     '' every ::6::11 using (2 * column("network.delay")):(column("client.goodput.mean")/1e6):(column("client.goodput.ci_low")/1e6):(column("client.goodput.ci_high")/1e6) \
       with yerrorlines @reno lw 2 pt 5 title "measured, Reno", \
     mbit(max(cubic_w(x / 1000), reno_w), x / 1000) @cubic lw 1 dt 2 title "CUBIC response function (RFC 9438 §5.1)", \
     mbit(reno_w, x / 1000) @reno lw 1 dt 2 title "Mathis bound sqrt(3/2p) MSS/RTT (Reno)"
