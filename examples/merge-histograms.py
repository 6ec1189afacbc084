#!/usr/bin/env python3
"""Merge kafka-emit histogram logs (--histogram-log) into exact cluster-wide latency figures.

N shards (`--shard K/N`) on N machines each write one HdrHistogram interval log. Adding their
histograms gives the histogram of every delivery in the whole run, so its percentiles are exact
(to the histogram's 2 significant digits), not an average of per-shard percentiles.

  merge-histograms.py shard-*.hlog                 # one line: records, mean, p50 … max (ms)
  merge-histograms.py --json shard-*.hlog          # the same as one JSON object
  merge-histograms.py --timeline 1 shard-*.hlog    # per-second rows across all logs (for plots)
  merge-histograms.py --stages shard-*.hlog        # also one line per --rate-profile stage

A run with --rate-profile also writes, per interval, one tagged histogram per stage that had
deliveries in it (`Tag=stage2:hold_2000_60s`): the totals count only the untagged intervals.

Needs the `hdrhistogram` package from PyPI (`pip install hdrhistogram==0.10.8`), HdrHistogram's
own Python implementation; logs are standard V2 interval logs, so HdrHistogram's Java
HistogramLogProcessor reads them too. Values in the logs are microseconds.
"""
import argparse
import json
import sys

from hdrh.histogram import HdrHistogram
from hdrh.log import HistogramLogReader

# kafka-emit's latency histograms: 1 µs .. 1 hour, 2 significant digits.
LOWEST, HIGHEST, DIGITS = 1, 3_600_000_000, 2
PERCENTILES = [("p50", 50.0), ("p95", 95.0), ("p99", 99.0), ("p99_9", 99.9)]


def new_histogram():
    return HdrHistogram(LOWEST, HIGHEST, DIGITS)


def intervals(path):
    """Every interval histogram of one log, with its absolute start time in ms."""
    reader = HistogramLogReader(path, new_histogram())
    try:
        while True:
            h = reader.get_next_interval_histogram()
            if h is None:
                return
            yield h
    finally:
        reader.close()


def figures(h):
    """Count, mean and percentiles in ms of one histogram."""
    out = {"records": h.get_total_count()}
    if out["records"] == 0:
        return out
    out["mean"] = round(h.get_mean_value() / 1000, 3)
    for name, p in PERCENTILES:
        out[name] = h.get_value_at_percentile(p) / 1000
    out["max"] = h.get_max_value() / 1000
    return out


def line(fig):
    if fig["records"] == 0:
        return "records=0"
    parts = ["records=%d" % fig["records"], "mean=%.3f" % fig["mean"]]
    parts += ["%s=%.3f" % (name, fig[name]) for name, _ in PERCENTILES + [("max", 0)]]
    return " ".join(parts) + " (latency ms)"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("logs", nargs="+", help="histogram logs written by kafka-emit --histogram-log")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--stages", action="store_true",
                    help="also report each --rate-profile stage (the logs' tagged intervals), merged across logs")
    ap.add_argument("--timeline", type=float, metavar="SECONDS",
                    help="print one row per SECONDS of wall time (all logs merged): "
                         "seconds-since-start records p50 p99 p99.9 max (ms)")
    args = ap.parse_args()

    total = new_histogram()
    buckets = {}  # timeline bucket → merged histogram
    all_intervals = []
    stages = {}  # tag → merged histogram
    for path in args.logs:
        try:
            for h in intervals(path):
                if h.get_tag():
                    stages.setdefault(h.get_tag(), new_histogram()).add(h)
                    continue
                total.add(h)
                all_intervals.append(h)
        except (OSError, ValueError, IndexError) as e:
            sys.exit("merge-histograms: %s: %s" % (path, e))

    if args.timeline:
        if not all_intervals:
            return
        start = min(h.get_start_time_stamp() for h in all_intervals)
        step = args.timeline * 1000
        for h in all_intervals:
            b = int((h.get_start_time_stamp() - start) // step)
            buckets.setdefault(b, new_histogram()).add(h)
        print("# seconds records p50_ms p99_ms p99_9_ms max_ms")
        for b in sorted(buckets):
            f = figures(buckets[b])
            if f["records"] == 0:
                continue
            print("%.3f %d %.3f %.3f %.3f %.3f" % (b * args.timeline, f["records"], f["p50"], f["p99"],
                                                   f["p99_9"], f["max"]))
        return

    fig = figures(total)
    fig["logs"] = len(args.logs)
    fig["intervals"] = len(all_intervals)
    # Stage tags start "stageN:": in stage order.
    order = sorted(stages, key=lambda t: (int(t[5:t.index(":")]) if t.startswith("stage") and ":" in t else 0, t))
    if args.json:
        if args.stages:
            fig["stages"] = [dict(figures(stages[t]), tag=t) for t in order]
        print(json.dumps(fig))
        return
    print(line(fig))
    if args.stages:
        for t in order:
            print("%s: %s" % (t, line(figures(stages[t]))))


if __name__ == "__main__":
    main()
