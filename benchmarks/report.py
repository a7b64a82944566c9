"""Figure 2: the year-end report (tables 三 and 四) of every agency, against one hand-written GROUP BY.

gongkai: what ``gongkai report 2026 --all-agencies --format json`` computes, from opening gongkai
(engine, schema check, settings) to the JSON text: tables 二, 三 and 四, the checks and the fees
(``workflow.reports.compute.build``; the requests per month are counted only for the formats that draw the chart).

Baseline: table 三's GROUP BY (applicant type × outcome, a sum per row kind) written by hand for the
stdlib ``sqlite3``, plus the small GROUP BY of table 四, on the same file.

Each side runs in its own process, timed after its imports, and reports its peak memory
(its own high-water mark, ``VmHWM``); gongkai's must stay under 300 MB. Both sides' table 三 totals must be equal.
"""

from __future__ import annotations

from typing import Any

from benchmarks import measure
from benchmarks.measure import Figure, Target, median
from benchmarks.workspace import Workspace

TARGET = Target("≤ 1.5× its time, ≤ 300 MB", 1.5, "at_most")
MEMORY_MB = 300


def measure_report(ws: Workspace, runs: int) -> Figure:
    ours: list[float] = []
    theirs: list[float] = []
    peaks: list[float] = []
    mine: dict[str, Any] = {}
    base: dict[str, Any] = {}
    for _ in range(runs):
        mine = measure.worker("report-gongkai", database=str(ws.database))
        base = measure.worker("report-baseline", database=str(ws.database))
        ours.append(float(mine["seconds"]))
        theirs.append(float(base["seconds"]))
        peaks.append(float(mine["peak_mb"]))
    g, b = median(ours), median(theirs)
    table3 = {k: v for k, v in mine["table3_total"].items() if v}
    same = table3 == {k: v for k, v in base["table3_total"].items() if v}
    same = same and mine["table4_total"] == {k: base["table4_total"].get(k, 0) for k in mine["table4_total"]}
    peak = max(peaks)
    note = (f"peak memory {peak:,.0f} MB (baseline {float(base['peak_mb']):,.0f} MB); "
            f"{table3.get('new', 0):,} new, {table3.get('carried_out', 0):,} carried over; "
            f"totals {'equal' if same else 'DIFFER'}")
    return Figure("report", "year-end report, tables 三 and 四", g, b, g / b, "× the time", TARGET,
                  TARGET.met(g / b) and peak <= MEMORY_MB and same, note,
                  {"gongkai_peak_mb": peak, "baseline_peak_mb": base["peak_mb"], "totals_equal": same,
                   "table3_total": table3},
                  {"gongkai": ours, "baseline": theirs, "gongkai_peak_mb": peaks})
