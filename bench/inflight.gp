# bench/inflight.gp: gnuplot -e "datafile='...'; outfile='...'; subtitle='...'" bench/inflight.gp
# datafile (report.py --curve-data): max_in_flight msgs rss_mb kcat_msgs kcat_rss_mb
set terminal pngcairo size 1000,500 font "sans,10" noenhanced
set output outfile
set datafile commentschars "#"
set title "kafka-emit: throughput and peak RSS over --max-in-flight (1M x 100 B lines, -o none -q; ".subtitle.")"
set logscale x
set xlabel "--max-in-flight (records sent and not yet reported)"
set ylabel "million records/s"
set y2label "peak RSS (MB)"
set ytics nomirror
set y2tics
set yrange [0:*]
set y2range [0:*]
set grid
set key bottom right
plot datafile using 1:($2/1e6) with linespoints lw 2 pt 7 lc rgb "#1f77b4" title "kafka-emit records/s", \
     ''       using 1:($4/1e6) with lines dt 2 lw 1 lc rgb "#1f77b4" title "kcat -P -l records/s", \
     ''       using 1:3 axes x1y2 with linespoints lw 2 pt 5 lc rgb "#d62728" title "kafka-emit peak RSS", \
     ''       using 1:5 axes x1y2 with lines dt 2 lw 1 lc rgb "#d62728" title "kcat peak RSS"
