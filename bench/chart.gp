# bench/chart.gp: gnuplot -e "datafile='...'; outfile='...'; subtitle='...'" bench/chart.gp
# datafile columns: idx "label" kcat_msgs emit_msgs ratio kcat_rss_mb emit_rss_mb (report.py)
if (!exists("datafile")) datafile = 'bench/tmp/chart.dat'
if (!exists("outfile")) outfile = 'bench/results/latest.png'
if (!exists("subtitle")) subtitle = ''
set terminal pngcairo size 1200,1500 font "sans,10" noenhanced
set output outfile
set datafile commentschars "#"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set key top right
set xtics rotate by -25 left nomirror
set yrange [0:*]
set multiplot layout 3,1 title "kafka-emit vs kcat (medians), ".subtitle

set title "Throughput (records/s, wall clock of the whole process)"
set ylabel "thousand records/s"
plot datafile using ($3/1000):xtic(2) title "kcat -P -l" lc rgb "#7f7f7f", \
     ''       using ($4/1000) title "kafka-emit" lc rgb "#1f77b4"

set title "Throughput ratio kafka-emit / kcat (> 1: kafka-emit faster)"
set ylabel "ratio"
set style histogram clustered gap 1
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lc rgb "#d62728" lw 2 dt 2 front
plot datafile using 5:xtic(2) title "kafka-emit / kcat" lc rgb "#2ca02c", \
     ''       using 0:($5+0.03):(sprintf("%.2f", $5)) with labels notitle
unset arrow 1

set title "Peak RSS (MB)"
set ylabel "MB"
plot datafile using 6:xtic(2) title "kcat -P -l" lc rgb "#7f7f7f", \
     ''       using 7 title "kafka-emit" lc rgb "#1f77b4"
unset multiplot
