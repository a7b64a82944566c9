"""Figure 6: the daily alert sweep over the year's database, against the due query it is built around.

gongkai: ``workflow.alerts.sweep`` (what ``gongkai alerts run`` and the scheduler call) as of
2026-11-25: every open deadline due within five working days given its threshold, the new alerts
and their deliveries inserted, and delivered to the JSON-lines log. Baseline: ``workflow.views.due``,
the query behind ``gongkai due`` (today's and overdue deadlines), in the same process.

A sweep records what it raised, so each run works on a fresh copy of the database (the copy is not
timed); officers are not registered in the benchmark database, so no identity is needed.
"""

from __future__ import annotations

from benchmarks import measure
from benchmarks.measure import Figure, Target, median
from benchmarks.workspace import Workspace, remove_database

TARGET = Target("≤ 3× its time", 3, "at_most")


def measure_sweep(ws: Workspace, runs: int) -> tuple[Figure, int]:
    """The figure, and how many deadlines the due view listed (figure 4 says so)."""
    ours: list[float] = []
    theirs: list[float] = []
    done: dict[str, float] = {}
    for _ in range(runs):
        copy = ws.copy_database("sweep.sqlite")
        done = measure.worker("sweep", database=str(copy))
        remove_database(copy)
        ours.append(float(done["sweep_seconds"]))
        theirs.append(float(done["due_seconds"]))
    g, b = median(ours), median(theirs)
    note = (f"{int(done['alerts']):,} alerts raised and logged; the due view lists {int(done['due_rows']):,} "
            f"deadlines; copy of the database per run")
    return (Figure("alerts", f"alert sweep over {ws.n:,} requests", g, b, g / b, "× the time", TARGET,
                   TARGET.met(g / b) and not done["failed"], note,
                   {"alerts": done["alerts"], "due_rows": done["due_rows"]}, {"gongkai": ours, "baseline": theirs}),
            int(done["due_rows"]))
