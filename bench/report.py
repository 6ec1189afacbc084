#!/usr/bin/env python3
"""Turns bench/run.sh's raw runs (one TSV row per timed run) into medians: a table on stdout,
the same as markdown (--markdown), and the data file for bench/chart.gp (--chart-data)."""
import argparse
import csv
import re
import statistics
import sys

SUMMARY = re.compile(
    r"kafka-emit: (?P<delivered>\d+) delivered, (?P<failed>\d+) failed(?:, \d+ never sent)? in (?P<elapsed>[\d.]+)s"
    r" \((?P<rate>[\d.]+) records/s, (?P<mbps>[\d.]+) MB/s\)"
    r"(?:; latency ms (?:mean=(?P<mean>[\d.]+) )?p50=(?P<p50>[\d.]+) p95=(?P<p95>[\d.]+) p99=(?P<p99>[\d.]+)"
    r"(?: p99\.9=(?P<p999>[\d.]+))? max=(?P<max>[\d.]+))?"
    r"(?:; send lateness us p50=(?P<late50>\d+) p99=(?P<late99>\d+) max=(?P<latemax>\d+),"
    r" behind schedule (?P<behind>[\d.]+)ms"
    r"(?:, drift (?P<drift>[+-]?[\d.]+)ms, send rate (?P<sendrate>[\d.]+)/s)?)?"
)

PAIRED = ["S0", "S1", "S2", "S3", "S4", "S5", "S8a", "S8b"]


def load(path):
    runs = []
    with open(path, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            r = dict(row)
            for k in ("records", "bytes", "round", "maxrss_kb"):
                r[k] = int(r[k])
            for k in ("wall_s", "user_s", "sys_s"):
                r[k] = float(r[k])
            r["cpu_s"] = r["user_s"] + r["sys_s"]
            r["msgs"] = r["records"] / r["wall_s"]
            r["mbps"] = r["bytes"] / r["wall_s"] / 1e6 if r["bytes"] else None
            r["rss_mb"] = r["maxrss_kb"] / 1024
            m = SUMMARY.search(r.get("summary") or "")
            r["s"] = {k: float(v) for k, v in m.groupdict().items() if v is not None} if m else {}
            asked = re.search(r"asked=(\d+)", r.get("extra") or "")
            r["asked"] = float(asked.group(1)) if asked else None
            runs.append(r)
    return runs


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=2, unit=""):
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    if abs(v) >= 100000:
        return f"{v:,.0f}{unit}"
    return f"{v:.{digits}f}{unit}"


class Table:
    def __init__(self, title, headers, note=None, left=(0, 1)):
        self.title, self.headers, self.rows, self.note, self.left = title, headers, [], note, set(left)

    def add(self, *cells):
        self.rows.append([str(c) for c in cells])

    def text(self):
        widths = [max(len(h), *(len(r[i]) for r in self.rows)) if self.rows else len(h)
                  for i, h in enumerate(self.headers)]
        line = lambda cells: "  ".join(c.ljust(w) if i in self.left else c.rjust(w)
                                       for i, (c, w) in enumerate(zip(cells, widths)))
        out = [self.title, line(self.headers), line(["-" * w for w in widths])]
        out += [line(r) for r in self.rows]
        if self.note:
            out.append(self.note)
        return "\n".join(out)

    def markdown(self):
        out = [f"### {self.title}", "", "| " + " | ".join(self.headers) + " |",
               "|" + "|".join(":---" if i in self.left else "---:" for i in range(len(self.headers))) + "|"]
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in self.rows]
        if self.note:
            out += ["", self.note]
        return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--markdown")
    ap.add_argument("--chart-data")
    ap.add_argument("--curve-data", help="the --max-in-flight curve, for bench/inflight.gp")
    ap.add_argument("--meta", action="append", default=[], help="key=value, shown in the header")
    a = ap.parse_args()

    runs = load(a.raw)
    groups = {}  # (scenario, tool) -> runs, in first-seen order
    labels = {}
    for r in runs:
        groups.setdefault((r["scenario"], r["tool"]), []).append(r)
        labels.setdefault(r["scenario"], r["label"])
    rounds = max(r["round"] for r in runs)

    def agg(scen, tool):
        g = groups.get((scen, tool))
        if not g:
            return None
        return {"n": len(g), "msgs": med(r["msgs"] for r in g), "mbps": med(r["mbps"] for r in g),
                "rss": med(r["rss_mb"] for r in g), "rss_max": max(r["rss_mb"] for r in g),
                "cpu": med(r["cpu_s"] for r in g), "wall": med(r["wall_s"] for r in g),
                "wall_min": min(r["wall_s"] for r in g), "wall_max": max(r["wall_s"] for r in g),
                "runs": g}

    tables = []

    # 1. everything, per scenario and tool
    t = Table(f"All runs: medians of {rounds} round(s)",
              ["Scenario", "Tool", "msg/s", "MB/s", "peak RSS MB", "CPU s", "wall s", "wall min–max s"],
              "msg/s and MB/s = records (payload bytes) / wall clock of the whole process, start-up included; "
              "CPU s = user + sys; peak RSS from /usr/bin/time (%M).")
    for (scen, tool) in groups:
        s = agg(scen, tool)
        t.add(f"{scen} {labels[scen]}", tool, fmt(s["msgs"], 0), fmt(s["mbps"], 1), fmt(s["rss"], 1),
              fmt(s["cpu"], 2), fmt(s["wall"], 3), f"{s['wall_min']:.3f}–{s['wall_max']:.3f}")
    tables.append(t)

    # 2. ratios kafka-emit / kcat, and / kcat with idempotence (kafka-emit's default)
    t = Table("kafka-emit / kcat (ratio of medians)",
              ["Scenario", "kcat msg/s", "kafka-emit msg/s", "throughput ×", "CPU ×", "RSS ×",
               "kcat wall ms", "kafka-emit wall ms", "throughput × idem", "CPU × idem", "RSS × idem"],
              "throughput × > 1: kafka-emit faster; CPU × and RSS × < 1: kafka-emit cheaper; "
              "× idem: against kcat -X enable.idempotence=true (kafka-emit's default; plain kcat is not idempotent). "
              "S0 sends one record: throughput × is kcat's wall / kafka-emit's. "
              "kcat has no per-record output, so in S2/S3 it does the same work as in S1; "
              "in S4 kcat sends the 100-byte lines file (reference only, different payload).")
    chart = []
    for scen in PAIRED:
        k, e, ki = agg(scen, "kcat"), agg(scen, "kafka-emit"), agg(scen, "kcat-idem")
        if not k or not e:
            continue
        ratio = e["msgs"] / k["msgs"]
        idem = [f"{e['msgs'] / ki['msgs']:.2f}", f"{e['cpu'] / ki['cpu']:.2f}" if ki["cpu"] else "–",
                f"{e['rss'] / ki['rss']:.2f}"] if ki else ["–", "–", "–"]
        t.add(f"{scen} {labels[scen]}", fmt(k["msgs"], 0), fmt(e["msgs"], 0), f"{ratio:.2f}",
              f"{e['cpu'] / k['cpu']:.2f}" if k["cpu"] else "–", f"{e['rss'] / k['rss']:.2f}",
              f"{k['wall'] * 1000:.0f}", f"{e['wall'] * 1000:.0f}", *idem)
        if scen != "S0":
            chart.append((scen, labels[scen], k["msgs"], e["msgs"], ratio, k["rss"], e["rss"]))
    tables.append(t)

    # 2e. result lines against kcat's quiet runs, pooled: kcat does the same work in S1, S2, S3
    # and S8a (it prints nothing per record), so all those runs estimate one baseline.
    pool = [r for scen in ("S1", "S2", "S3", "S8a") for r in groups.get((scen, "kcat"), [])]
    if pool:
        base = med(r["msgs"] for r in pool)
        t = Table(f"Against kcat quiet, pooled (median of its {len(pool)} runs of the 1M-line input in S1, S2, S3 and S8a)",
                  ["Scenario", "kafka-emit msg/s", "kcat quiet msg/s", "× kcat quiet", "target"],
                  "The same 1M lines, so kcat's runs in those four rows measure one thing; pooling them halves "
                  "the noise of a single row's median. Targets from the speed issue.")
        for scen, target in (("S1", "≥ 1.00"), ("S2", "≥ 0.85"), ("S3", "≥ 0.80")):
            e = agg(scen, "kafka-emit")
            if e:
                t.add(f"{scen} {labels[scen]}", fmt(e["msgs"], 0), fmt(base, 0), f"{e['msgs'] / base:.2f}", target)
        tables.append(t)

    # 2d. throughput against memory over --max-in-flight
    curve = sorted({int(re.search(r"inflight=(\d+)", r["extra"]).group(1))
                    for r in runs if r["scenario"] == "S10"})
    if curve:
        k1 = agg("S1", "kcat")
        t = Table("Throughput vs memory over --max-in-flight (kafka-emit, S1's input, -o none -q)",
                  ["--max-in-flight", "msg/s", "peak RSS MB", "CPU s", "throughput × kcat S1", "RSS × kcat S1"],
                  "Each point is the median of its runs; kcat S1 = the same input with kcat -P -l in the same rounds.")
        g10 = [r for r in runs if r["scenario"] == "S10"]
        rows = []
        for n in curve:
            rs = [r for r in g10 if f"inflight={n}" == r["extra"]]
            m, rss, cpu = med(r["msgs"] for r in rs), med(r["rss_mb"] for r in rs), med(r["cpu_s"] for r in rs)
            rows.append((n, m, rss))
            t.add(str(n), fmt(m, 0), fmt(rss, 1), fmt(cpu, 2),
                  f"{m / k1['msgs']:.2f}" if k1 else "–", f"{rss / k1['rss']:.2f}" if k1 else "–")
        tables.append(t)
        if a.curve_data:
            with open(a.curve_data, "w") as f:
                f.write("# max_in_flight msgs rss_mb kcat_msgs kcat_rss_mb\n")
                for n, m, rss in rows:
                    f.write(f"{n} {m:.1f} {rss:.2f} {k1['msgs'] if k1 else 0:.1f} {k1['rss'] if k1 else 0:.2f}\n")

    # 2b. this build against an earlier one (BASE=path/to/kafka-emit make bench), same rounds
    if any(tool == "base" for _, tool in groups):
        t = Table("kafka-emit / BASE binary (ratio of medians, same interleaved rounds)",
                  ["Scenario", "base msg/s", "kafka-emit msg/s", "throughput ×", "CPU ×", "RSS ×",
                   "base RSS MB", "kafka-emit RSS MB"],
                  "BASE is the binary given as BASE=...; throughput × ≥ 1: this build is at least as fast.")
        for scen in PAIRED:
            b, e = agg(scen, "base"), agg(scen, "kafka-emit")
            if not b or not e:
                continue
            t.add(f"{scen} {labels[scen]}", fmt(b["msgs"], 0), fmt(e["msgs"], 0), f"{e['msgs'] / b['msgs']:.2f}",
                  f"{e['cpu'] / b['cpu']:.2f}" if b["cpu"] else "–", f"{e['rss'] / b['rss']:.2f}",
                  fmt(b["rss"], 1), fmt(e["rss"], 1))
        tables.append(t)

    # 2c. the cost of transactions (kafka-emit only)
    off, on = agg("S9a", "kafka-emit"), agg("S9b", "kafka-emit")
    if off and on:
        t = Table("Transactions: the same records in transactions of 1000, or none (kafka-emit)",
                  ["Scenario", "msg/s", "CPU s", "RSS MB", "throughput × vs none"],
                  "Each transaction commits after 1000 records (a flush and an EndTxn round trip); "
                  "against the mock cluster a commit costs ~1 ms.")
        for scen, s in (("S9a", off), ("S9b", on)):
            t.add(f"{scen} {labels[scen]}", fmt(s["msgs"], 0), fmt(s["cpu"], 2), fmt(s["rss"], 1),
                  f"{s['msgs'] / off['msgs']:.2f}")
        tables.append(t)

    # 2f. generate mode against lines mode, and realistic fields against {i} (issue 22)
    rows = [(x, y, what, target) for x, y, what, target in (
        ("S11a", "S11b", "generate / lines, the same keys ({i})", "≥ 1.00"),
        ("S11a", "S1", "generate (key {i}) / lines (null key, sticky)", "–"),
        ("S11b", "S1", "lines, key {i} / lines, null key: the keys' cost alone", "–"),
        ("S11d", "S11c", "five realistic fields / {i} alone", "≥ 0.70"))
        if agg(x, "kafka-emit") and agg(y, "kafka-emit")]
    if rows:
        t = Table("Generate mode against lines mode (kafka-emit; ratio of medians, same rounds)",
                  ["Comparison", "msg/s", "against msg/s", "×", "target"],
                  "S11a generates 100-byte values (key {i}, generate's default); S11b sends S1's 100-byte lines "
                  "with -k '{i}', the same keys; S1 sends them with lines mode's default null key, which "
                  "librdkafka's sticky partitioner batches into one partition at a time, while {i} keys "
                  "spread each batch over every partition (more, smaller produce requests).")
        for sx, sy, what, target in rows:
            x, y = agg(sx, "kafka-emit"), agg(sy, "kafka-emit")
            t.add(f"{what} ({sx} / {sy})", fmt(x["msgs"], 0), fmt(y["msgs"], 0), f"{x['msgs'] / y['msgs']:.2f}", target)
        tables.append(t)

    # 3. pacing accuracy
    t = Table("Pacing accuracy (kafka-emit; elapsed, lateness and latency from its summary line)",
              ["Scenario", "asked rec/s", "send rate", "send rate error %", "drift ms (worst)",
               "achieved rec/s", "error %", "lateness p50 µs", "lateness p99 µs",
               "lateness max µs (worst)", "behind ms (worst)", "elapsed − ideal ms", "latency p99 ms", "CPU s"],
              "send rate and drift come from kafka-emit's summary: records sent between the first and the "
              "last send over that span, and that span minus the ideal (N−1)×interval; "
              "achieved = delivered / elapsed, elapsed from the summary line (start to the last delivery "
              "report, so it includes connecting and the last record's delivery latency); error % = "
              "(achieved − asked) / asked; elapsed − ideal = elapsed − (N−1)/asked, the fixed cost "
              "behind the error; lateness = how late each send was against its deadline; "
              "medians over rounds unless marked worst.")
    for scen in sorted({s for s, _ in groups if s.startswith("S6")}):
        g = groups[(scen, "kafka-emit")]
        ach = [r["s"]["delivered"] / r["s"]["elapsed"] for r in g if r["s"].get("elapsed")]
        asked = g[0]["asked"]
        a_med = med(ach)
        sr = med(r["s"].get("sendrate") for r in g)
        drifts = [r["s"]["drift"] for r in g if "drift" in r["s"]]
        worst_drift = max(drifts, key=abs) if drifts else None
        t.add(f"{scen} {labels[scen]}", fmt(asked, 0), fmt(sr, 1),
              f"{(sr - asked) / asked * 100:+.3f}" if sr and asked else "–",
              f"{worst_drift:+.3f}" if worst_drift is not None else "–",
              fmt(a_med, 1),
              f"{(a_med - asked) / asked * 100:+.2f}" if a_med and asked else "–",
              fmt(med(r["s"].get("late50") for r in g), 0), fmt(med(r["s"].get("late99") for r in g), 0),
              fmt(max((r["s"].get("latemax", 0) for r in g), default=None), 0),
              fmt(max((r["s"].get("behind", 0) for r in g), default=None), 2),
              fmt(med((r["s"]["elapsed"] - (r["records"] - 1) / asked) * 1000 for r in g
                      if asked and r["s"].get("elapsed")), 1),
              fmt(med(r["s"].get("p99") for r in g), 2), fmt(med(r["cpu_s"] for r in g), 2))
    tables.append(t)

    # 4. delivery latency at 1 kHz
    t = Table("Delivery latency at 1 kHz (kafka-emit --rate 1000; ms, medians over rounds)",
              ["Scenario", "Settings", "p50", "p95", "p99", "max", "max (worst)", "rate error %"],
              "low-latency preset: --linger 0ms -X socket.nagle.disable=true; defaults: librdkafka's "
              "linger.ms (5 ms in 2.x); rate error % includes the ~10 ms of connecting and the last delivery.")
    for scen in sorted({s for s, _ in groups if s.startswith("S7")}):
        g = groups[(scen, "kafka-emit")]
        ach = med(r["s"]["delivered"] / r["s"]["elapsed"] for r in g if r["s"].get("elapsed"))
        asked = g[0]["asked"]
        t.add(scen, labels[scen], fmt(med(r["s"].get("p50") for r in g), 2),
              fmt(med(r["s"].get("p95") for r in g), 2), fmt(med(r["s"].get("p99") for r in g), 2),
              fmt(med(r["s"].get("max") for r in g), 2),
              fmt(max((r["s"].get("max", 0) for r in g), default=None), 2),
              f"{(ach - asked) / asked * 100:+.2f}" if ach and asked else "–")
    tables.append(t)

    # 5. does peak RSS stay flat? Peak RSS varies run to run with how many records are queued at
    # once, so the per-round minimum (the baseline a leak would raise) is compared as well.
    sa, sb = [(labels.get(k, "?").split() or ["?"])[-1] for k in ("S8a", "S8b")]
    t = Table("Peak RSS vs input size (lines file; kafka-emit -o none -q, kcat -P -l)",
              ["Tool", "Rounds", f"RSS MB {sa} min/med/max", f"RSS MB {sb} min/med/max",
               "min growth", "median growth", "verdict"],
              "flat = the bigger input's peak RSS is within 25 % of the smaller one's; the per-round minimum "
              "shows the baseline (a leak raises every round), the median includes run-to-run queue depth.",
              left=(0, 6))
    for tool in ("kafka-emit", "kcat"):
        s, b = agg("S8a", tool), agg("S8b", tool)
        if not s or not b:
            continue
        smin, bmin = min(r["rss_mb"] for r in s["runs"]), min(r["rss_mb"] for r in b["runs"])
        gmin, gmed = bmin / smin, b["rss"] / s["rss"]
        if gmin <= 1.25 and gmed <= 1.25:
            verdict = "flat"
        elif gmin <= 1.25:
            verdict = f"flat baseline; median peak {b['rss'] - s['rss']:+.1f} MB (varies run to run)"
        else:
            verdict = f"grows with input ({bmin - smin:+.1f} MB minimum)"
        t.add(tool, str(s["n"]), f"{smin:.1f} / {s['rss']:.1f} / {s['rss_max']:.1f}",
              f"{bmin:.1f} / {b['rss']:.1f} / {b['rss_max']:.1f}", f"{gmin:.2f}×", f"{gmed:.2f}×", verdict)
    tables.append(t)

    meta = dict(m.split("=", 1) for m in a.meta)
    head = [f"{k}: {v}" for k, v in meta.items()]
    print("\n".join(head))
    for t in tables:
        print()
        print(t.text())

    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write("# kafka-emit vs kcat — bench/run.sh results\n\n")
            f.writelines(f"- **{k}**: {v}\n" for k, v in meta.items())
            f.write("- **settings**: kafka-emit defaults (acks=all, idempotent producer) vs kcat -P -l with "
                    "librdkafka defaults (acks=all, not idempotent) and with -X enable.idempotence=true (kcat-idem); "
                    "100-byte lines; fresh mock cluster per run; whole-process figures from bench/timeit.py\n")
            for t in tables:
                f.write("\n" + t.markdown() + "\n")
            f.write("\n![throughput chart](latest.png)\n\n![max-in-flight curve](inflight.png)\n\nRaw runs: `latest-raw.tsv`.\n")

    if a.chart_data:
        with open(a.chart_data, "w") as f:
            f.write("# idx label kcat_msgs emit_msgs ratio kcat_rss_mb emit_rss_mb\n")
            for i, (scen, label, k, e, ratio, krss, erss) in enumerate(chart):
                f.write(f'{i} "{scen} {label}" {k:.1f} {e:.1f} {ratio:.4f} {krss:.1f} {erss:.1f}\n')


if __name__ == "__main__":
    sys.exit(main())
