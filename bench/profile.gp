# bench/profile.gp: gnuplot -e "datafile='...'; outfile='...'; subtitle='...'" bench/profile.gp
# datafile (examples/merge-histograms.py --timeline 0.5): window start (s) records p50_ms p99_ms p99_9_ms max_ms.
# The stages are bench/profile.sh's: ramp 0..20000 over 0-8 s, hold 20000 over 8-16 s, bursts over 16-24 s.
set terminal pngcairo size 1200,700 font "sans,10" noenhanced
set output outfile
set datafile commentschars "#"
set multiplot layout 2,1 title "kafka-emit --rate-profile 'ramp 0..20000 8s, hold 20000 8s, burst 50000 for 1s every 4s over 5000 for 8s' (".subtitle.")"
set grid
set xlabel "seconds since start"
set key top center
set xrange [0:24.5]
set object 1 rect from 0, graph 0 to 8, graph 1 back fc rgb "#e5f5e0" fs solid 0.6 noborder
set object 2 rect from 8, graph 0 to 16, graph 1 back fc rgb "#deebf7" fs solid 0.6 noborder
set object 3 rect from 16, graph 0 to 24, graph 1 back fc rgb "#fee6ce" fs solid 0.6 noborder
set label 1 "ramp 0..20000 8s" at 0.3, graph 0.06
set label 2 "hold 20000 8s" at 8.3, graph 0.06
set label 3 "burst 50000 for 1s every 4s over 5000" at 16.3, graph 0.06
set title "records delivered per second (500 ms windows)"
set ylabel "records/s"
set yrange [0:*]
plot datafile using 1:($2 * 2) with steps lw 2 title "records/s"
set title "delivery latency per 500 ms window (ms)"
set label 1 at 0.3, graph 0.85
set label 2 at 8.3, graph 0.85
set label 3 at 16.3, graph 0.85
set key top right
set ylabel "ms"
set yrange [0:*]
plot datafile using ($1 + 0.25):4 with linespoints lw 2 pt 7 ps 0.5 title "p99", \
     ''       using ($1 + 0.25):3 with linespoints lw 1 pt 7 ps 0.4 title "p50"
unset multiplot
