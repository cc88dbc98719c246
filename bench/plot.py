#!/usr/bin/env python3
"""Draws convforge-bench's results as a PNG chart.

For every layer and network of a run: ConvForge and the faster oneDNN
variant as a percentage of the measured FMA peak, at each thread count
(grouped bars), with a line at 100 %.

    bench/plot.py build/bench-results.json [-o build/bench-results.png]

Reads the JSON that convforge-bench writes (or its CSV, which lacks the
run's date and CPU). Needs matplotlib (Debian: python3-matplotlib).
"""

import argparse
import csv
import json
import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(path):
    """The rows (dicts, numbers as floats, missing as None) and run info."""
    if path.endswith(".json"):
        with open(path) as f:
            data = json.load(f)
        return data["rows"], data.get("run", {})
    rows = []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            for key in ("threads", "percent_of_peak", "gflops", "peak_gflops"):
                text = row.get(key, "")
                row[key] = float(text) if text not in ("", None) else None
            rows.append(row)
    return rows, {}


def collect(rows):
    """Per workload, in order: {threads: (convforge %, best oneDNN %)}."""
    order, kinds, percent = [], {}, {}
    peaks = {}
    for row in rows:
        name, kind = row["layer"], row["kind"]
        if kind == "peak":
            peaks[int(row["threads"])] = row["peak_gflops"]
            continue
        if name not in kinds:
            order.append(name)
            kinds[name] = kind
        value = row.get("percent_of_peak")
        if value is None or row.get("check") in ("ERROR", "MISMATCH"):
            continue
        impl, threads = row["implementation"], int(row["threads"])
        if impl == "convforge":
            key = "convforge"
        elif impl.startswith("onednn-"):
            key = "onednn"
        else:
            continue  # the reference
        cell = percent.setdefault((name, threads), {})
        cell[key] = max(cell.get(key, 0.0), value)
    threads = sorted({t for (_, t) in percent})
    return order, kinds, percent, threads, peaks


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("results", help="bench-results.json (or .csv)")
    parser.add_argument("-o", "--output", default="bench-results.png")
    parser.add_argument("--title", help="the chart's title (default: from "
                        "the JSON's date and CPU)")
    args = parser.parse_args()

    rows, run = load(args.results)
    order, kinds, percent, threads, peaks = collect(rows)
    if not order:
        sys.exit("plot.py: no measurements in " + args.results)

    series = []  # (label, threads, key, colour, hatch)
    colours = {"convforge": ["#1f77b4", "#0b3c68"],
               "onednn": ["#ff7f0e", "#a04a00"]}
    for i, t in enumerate(threads):
        shade = min(i, 1)
        series.append((f"ConvForge {t}T", t, "convforge",
                       colours["convforge"][shade], "" if i == 0 else "//"))
        series.append((f"oneDNN (best variant) {t}T", t, "onednn",
                       colours["onednn"][shade], "" if i == 0 else "//"))

    width = 0.8 / len(series)
    fig, ax = plt.subplots(figsize=(max(10, 1.2 * len(order) + 2), 6.5))
    top = 100.0
    for s, (label, t, key, colour, hatch) in enumerate(series):
        xs, ys = [], []
        for x, name in enumerate(order):
            value = percent.get((name, t), {}).get(key)
            if value is not None:
                xs.append(x - 0.4 + width * (s + 0.5))
                ys.append(value)
        bars = ax.bar(xs, ys, width, label=label, color=colour, hatch=hatch,
                      edgecolor="white", linewidth=0.5)
        for bar, y in zip(bars, ys):
            top = max(top, y)
            ax.annotate(f"{y:.0f}", (bar.get_x() + bar.get_width() / 2, y),
                        ha="center", va="bottom", fontsize=6,
                        xytext=(0, 1), textcoords="offset points")
    ax.axhline(100, color="black", linewidth=1, linestyle="--")
    ax.text(len(order) - 0.5, 100, "FMA peak", ha="right", va="bottom",
            fontsize=8)
    # Networks after the layers, set apart.
    first_network = next((i for i, n in enumerate(order)
                          if kinds[n] == "network"), None)
    if first_network:
        ax.axvline(first_network - 0.5, color="grey", linewidth=0.8)
    labels = [("network: " if kinds[n] == "network" else "") + n
              for n in order]
    ax.set_xticks(range(len(order)))
    ax.set_xticklabels(labels, rotation=30, ha="right", fontsize=8)
    ax.set_xlim(-0.6, len(order) - 0.4)
    ax.set_ylim(0, math.ceil(top * 1.12 / 10) * 10)
    ax.set_ylabel("% of the measured FMA peak at the same thread count")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, ncol=len(threads), loc="upper left")

    if args.title:
        title = args.title
    else:
        machine = run.get("cpu", "unknown CPU")
        if run.get("cpu_id"):
            machine += f" ({run['cpu_id']})"
        if run.get("logical_cpus"):
            machine += f", {run['logical_cpus']} logical CPUs"
        peak_text = ", ".join(f"{t}T {peaks[t]:.0f}" for t in sorted(peaks))
        title = (f"convforge-bench, {run.get('date', 'date unknown')[:10]}: "
                 f"{machine}\nmeasured FMA peak (GFLOP/s): {peak_text}")
        if "maxpool" in kinds.values():
            title += ("; max pools are memory-bound, their % of peak is "
                      "not a target")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(args.output, dpi=120)
    print(f"wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
