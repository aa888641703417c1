# configs/sweeps/time_wait_vs_corruption.ini: what TIME_WAIT prevents and
# what it costs, against its length.  Left: the share of runs where a
# straggler of an earlier connection corrupted the data of a later one, and
# where the graceful closer (the server) got a reset.  Right: the share of
# runs where connect() found the 4-tuple still held (EADDRNOTAVAIL), and the
# connections the client managed to make out of its 20 attempts.
# 95% Wilson intervals for shares, Student t for the mean.
# Called by plots.sh with dir and term.
set datafile separator comma
set datafile columnheaders
set terminal @term size 1400,560 font ",11"
if (!exists("ext")) ext = "png"
set output dir."/time_wait_vs_corruption.".ext
summary = dir."/summary.csv"
set multiplot layout 1,2 title "TIME_WAIT length: stragglers of a long-tailed network (Pareto delay tail) against reuse of the same 4-tuple" font ",13" noenhanced
set grid
set offsets 0.3, 0.3, 0, 0
set xlabel "client TIME\\_WAIT length (tcp.time\\_wait)"
set ylabel "share of runs (200 runs of 20 connections)"
set yrange [0:*]
set key top right
plot summary using ($0-0.03):"data_intact=false.share":"data_intact=false.ci_low":"data_intact=false.ci_high":xtic(strcol("client.tcp.time_wait")) \
       with yerrorlines lw 2 pt 7 title "data corrupted (an old segment accepted)", \
     '' using ($0+0.03):"server.result=ECONNRESET.share":"server.result=ECONNRESET.ci_low":"server.result=ECONNRESET.ci_high" \
       with yerrorlines lw 2 pt 5 title "reset to the graceful closer (server ECONNRESET)"
set yrange [0:1.05]
set y2range [0:21]
set y2tics 5
set ytics nomirror
set ylabel "share of runs"
set y2label "connections made (mean of 20 attempts)"
set key center right
plot summary using 0:"client.result=EADDRNOTAVAIL.share":"client.result=EADDRNOTAVAIL.ci_low":"client.result=EADDRNOTAVAIL.ci_high":xtic(strcol("client.tcp.time_wait")) \
       with yerrorlines lw 2 pt 7 title "connect() = EADDRNOTAVAIL (4-tuple still in TIME\\_WAIT)", \
     '' using 0:"client.connections.mean":"client.connections.ci_low":"client.connections.ci_high" axes x1y2 \
       with yerrorlines lw 2 dt 2 pt 6 title "connections made (right axis)"
unset multiplot
