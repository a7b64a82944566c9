"""``python -m benchmarks``: build the year's data at a scale, run the figures, print and save the results.

    python -m benchmarks                          # the full run: 1,000,000 requests, 3 runs each
    python -m benchmarks --requests 2000 --runs 1 # the smoke test CI runs
    python -m benchmarks --only report --only due # some figures (the database is built if missing)

The table says, for each figure, gongkai's time, the baseline's time for the same work (both the
median of the runs), their ratio, the target and whether it is met; the notes under it say what
was counted. The same results, with every run's times and the machine, go to a JSON file. Exit
status 0 whatever the figures say: a missed target is a finding, not a failure of the command.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import data
from benchmarks.measure import Figure
from benchmarks.workspace import Workspace, default_workdir

FIGURES = ("due-dates", "report", "import", "due", "help", "alerts", "advance", "work-open", "work-action")


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--requests", type=int, default=1_000_000, help="requests in the year (default 1,000,000)")
    p.add_argument("--runs", type=int, default=3, help="runs per figure; the median is reported (default 3)")
    p.add_argument("--only", action="append", choices=FIGURES, help="run only this figure (repeatable)")
    p.add_argument("--workdir", type=Path, default=default_workdir(),
                   help=f"where the generated data and databases are kept between runs (default {default_workdir()})")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--out", type=Path, help="the JSON results (default WORKDIR/results-N.json)")
    args = p.parse_args(argv)
    if args.requests < 100:
        p.error("--requests must be at least 100")
    if args.runs < 1:
        p.error("--runs must be at least 1")
    return args


def say(text: str) -> None:
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {text}\n")
    sys.stderr.flush()


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 0
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=Path(__file__).parent, check=False).stdout.strip()
    except OSError:
        commit = ""
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gb": round(pages / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform(), "commit": commit}


def _stories(ws: Workspace, settings: Any) -> list[data.Story]:
    say(f"generating {ws.n:,} requests (seed {ws.seed})")
    return data.generate(ws.n, settings.calendar, ws.seed)


def _write_files(ws: Workspace, stories: list[data.Story]) -> None:
    for path, headers, rows in ((ws.requests_csv, data.HEADERS, [s.cells() for s in stories]),
                                (ws.appeals_csv, data.APPEAL_HEADERS, data.appeals(stories, ws.seed))):
        partial = path.with_suffix(".partial")
        data.write_csv(partial, headers, rows)
        partial.replace(path)


def run(args: argparse.Namespace) -> list[Figure]:
    from benchmarks import advance, alerts, due_dates, imports, report, startup, workbench
    from workflow.settings import Settings

    ws = Workspace(args.workdir, args.requests, args.seed)
    ws.prepare()
    settings = Settings.load()
    chosen = [f for f in FIGURES if not args.only or f in args.only]
    stories: list[data.Story] | None = None
    if "due-dates" in chosen or not (ws.requests_csv.is_file() and ws.appeals_csv.is_file()):
        stories = _stories(ws, settings)
        if not (ws.requests_csv.is_file() and ws.appeals_csv.is_file()):
            _write_files(ws, stories)
    figures: dict[str, Figure] = {}
    if "due-dates" in chosen and stories is not None:
        say("figure 1: reply deadlines")
        figures["due-dates"] = due_dates.measure(stories, lambda: Settings.load().calendar, settings.periods,
                                                 args.runs)
    stories = None
    if "import" in chosen:
        say(f"figure 3: importing {ws.n:,} rows, {args.runs} run(s)")
        figures["import"] = imports.measure_import(ws, args.runs)
    elif not ws.ready:
        say(f"building the database of {ws.n:,} requests (import, not measured)")
        imports.build(ws)
    if "report" in chosen:
        say("figure 2: year-end report")
        figures["report"] = report.measure_report(ws, args.runs)
    due_rows = None
    if "alerts" in chosen:
        say("figure 6: alert sweep")
        figures["alerts"], due_rows = alerts.measure_sweep(ws, args.runs)
    if "due" in chosen:
        say("figure 4: gongkai due")
        figures["due"] = startup.measure_due(ws, args.runs, due_rows)
    if "help" in chosen:
        say("figure 5: gongkai --help")
        figures["help"] = startup.measure_help(args.runs)
    if "advance" in chosen:
        say(f"figure 7: one advance, {advance.COUNT} requests a run")
        figures["advance"] = advance.measure_advance(ws, args.runs)
    if "work-open" in chosen:
        say("figure 8: the workbench opens")
        figures["work-open"] = workbench.measure_open(ws, args.runs)
    if "work-action" in chosen:
        say(f"figure 9: one action from the workbench, {workbench.COUNT} requests a run")
        figures["work-action"] = workbench.measure_action(ws, args.runs)
    return [figures[f] for f in FIGURES if f in figures]


def _seconds(s: float) -> str:
    return f"{s * 1000:.3g} ms" if s < 1 else f"{s:.3g} s"


def _ratio(f: Figure) -> str:
    return f"{f.ratio:,.0f}× faster" if f.ratio_text == "× faster" else \
        f"{f.ratio:.2f} of its rows/s" if f.ratio_text == "rows/s share" else f"{f.ratio:.2f}×"


def render(figures: Sequence[Figure], args: argparse.Namespace) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(Console().width, 120))
    table = Table(title=f"gongkai benchmarks: {args.requests:,} requests, median of {args.runs} run(s)")
    for column in ("figure", "gongkai", "baseline", "ratio", "target", "met?"):
        table.add_column(column, justify="right" if column in ("gongkai", "baseline", "ratio") else "left")
    for f in figures:
        table.add_row(f.title, _seconds(f.gongkai), _seconds(f.baseline), _ratio(f), f.target.text,
                      "[green]yes[/]" if f.met else "[red]NO[/]")
    console.print(table)
    for f in figures:
        console.print(f"[bold]{f.name}[/]: {f.note}", highlight=False)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    started, load_before = time.perf_counter(), os.getloadavg()
    figures = run(args)
    render(figures, args)
    out = args.out or args.workdir / f"results-{args.requests}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "requests": args.requests, "runs": args.runs, "seed": args.seed, "today": data.TODAY.isoformat(),
        "machine": {**machine(), "load_before": load_before, "load_after": os.getloadavg()},
        "seconds": round(time.perf_counter() - started, 1),
        "figures": [f.as_json() for f in figures]}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"results: {out}")
