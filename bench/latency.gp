# bench/latency.gp: gnuplot -e "datafile='...'; outfile='...'; slow_from=S; slow_to=S; subtitle='...'" bench/latency.gp
# datafile (examples/merge-histograms.py --timeline 0.5): window start (s) records p50_ms p99_ms p99_9_ms max_ms;
# points are drawn at the middle of their 500 ms window
set terminal pngcairo size 1200,700 font "sans,10" noenhanced
set output outfile
set datafile commentschars "#"
set multiplot layout 2,1 title "kafka-emit: delivery latency over time, 4 shards merged from HdrHistogram logs (".subtitle.")"
set grid
set xlabel "seconds since start"
set key top left
set autoscale xfix
set object 1 rect from slow_from, graph 0 to slow_to, graph 1 back fc rgb "#fde0dd" fs solid 0.6 noborder
set label 1 "broker 1 slowed (mock rtt 25 ms)" at slow_from, graph 0.93 offset 0.5,0 tc rgb "#a50f15"
set title "latency per 500 ms window (ms, log scale)"
set ylabel "ms"
set logscale y
plot datafile using ($1 + 0.25):3 with linespoints lw 2 pt 7 ps 0.5 title "p50", \
     ''       using ($1 + 0.25):4 with linespoints lw 2 pt 7 ps 0.5 title "p99", \
     ''       using ($1 + 0.25):5 with linespoints lw 2 pt 7 ps 0.5 title "p99.9", \
     ''       using ($1 + 0.25):6 with lines lw 1 dt 2 title "max"
unset logscale y
unset label 1
set title "records delivered per second (all shards; the last window is partial)"
set ylabel "records/s"
set yrange [0:*]
plot datafile using 1:($2 * 2) with steps lw 2 title "records/s"
unset multiplot
