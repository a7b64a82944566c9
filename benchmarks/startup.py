"""Figures 4 and 5: what an officer waits for at the terminal, timed from outside the process.

4. ``gongkai --db FILE due --on 2026-11-25`` on the year's database (every agency's deadlines due
   today or overdue, rendered as the terminal table into a pipe), against ``python -c "import
   sqlmodel"``: the command may cost at most half as much again as importing the library it is
   built on.
5. ``gongkai --help`` against ``python -c "import typer"``.

A process start is a few tenths of a second and noisy, so each run is the median of ``REPEAT``
starts of each side, alternated, after one start of each that is not counted.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks.data import TODAY
from benchmarks.measure import Figure, Target, median, wall
from benchmarks.workspace import Workspace

REPEAT = 5
TARGET = Target("≤ 1.5× its time", 1.5, "at_most")


def gongkai() -> str:
    """The ``gongkai`` script installed next to this Python."""
    return str(Path(sys.executable).with_name("gongkai"))


def _compare(name: str, title: str, ours: Sequence[str], theirs: Sequence[str], runs: int, note: str) -> Figure:
    wall(ours), wall(theirs)
    mine: list[float] = []
    base: list[float] = []
    for _ in range(runs):
        pairs = [(wall(ours), wall(theirs)) for _ in range(REPEAT)]
        mine.append(median([p[0] for p in pairs]))
        base.append(median([p[1] for p in pairs]))
    g, b = median(mine), median(base)
    return Figure(name, title, g, b, g / b, "× the time", TARGET, TARGET.met(g / b),
                  f"{note}; each run the median of {REPEAT} starts", {"command": list(ours), "baseline": list(theirs)},
                  {"gongkai": mine, "baseline": base})


def measure_due(ws: Workspace, runs: int, due_rows: int | None = None) -> Figure:
    rows = f"{due_rows:,} deadlines listed" if due_rows is not None else "the terminal table"
    return _compare("due", f"`gongkai due` on {ws.n:,} requests",
                    [gongkai(), "--db", str(ws.database), "due", "--on", TODAY.isoformat()],
                    [sys.executable, "-c", "import sqlmodel"], runs, f"vs `python -c \"import sqlmodel\"`; {rows}")


def measure_help(runs: int) -> Figure:
    return _compare("help", "`gongkai --help`", [gongkai(), "--help"], [sys.executable, "-c", "import typer"],
                    runs, "vs `python -c \"import typer\"`")
