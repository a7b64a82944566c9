"""Figure 6: the daily alert sweep over the year's database, against the due query it is built around.

gongkai: ``workflow.alerts.sweep.sweep`` (what ``gongkai alerts run`` and the scheduler call) as of
2026-11-25: every open deadline due within five working days given its threshold, the new alerts
and their deliveries inserted, and delivered to the JSON-lines log. Baseline: ``workflow.usecases.views.due``,
the query behind ``gongkai due``, in the same process, over the same horizon as the sweep (``--within
5``: the deadlines the sweep reads), so the ratio is what thresholds, recording and delivering add
to reading them. The time of the due query for today alone is reported too.

The sweep measured is a day's: the copy was swept on the working day before (2026-11-24), as the
daily job leaves it, so today's sweep raises what is new today (deadlines entering five and two
working days, falling due, a day more overdue). That first sweep of the freshly imported database,
which raises an alert for every deadline within reach at once, is timed and reported too. A sweep
records what it raised, so each run works on a fresh copy of the database (the copy is not timed);
officers are not registered in the benchmark database, so no identity is needed.
"""

from __future__ import annotations

from typing import Any

from benchmarks import measure
from benchmarks.measure import Figure, Target, median
from benchmarks.workspace import Workspace, remove_database

TARGET = Target("≤ 3× its time", 3, "at_most")


def measure_sweep(ws: Workspace, runs: int) -> tuple[Figure, int]:
    """The figure, and how many deadlines the due view lists for today (figure 4 says so)."""
    ours: list[float] = []
    theirs: list[float] = []
    today: list[float] = []
    first: list[float] = []
    done: dict[str, Any] = {}
    for _ in range(runs):
        copy = ws.copy_database("sweep.sqlite")
        (ws.config / "alerts.jsonl").unlink(missing_ok=True)  # each run appends its own lines from empty
        done = measure.worker("sweep", database=str(copy))
        remove_database(copy)
        (ws.config / "alerts.jsonl").unlink(missing_ok=True)  # 68,000 lines a run at full scale
        ours.append(float(done["sweep_seconds"]))
        theirs.append(float(done["due_seconds"]))
        today.append(float(done["today_seconds"]))
        first.append(float(done["first_seconds"]))
    g, b = median(ours), median(theirs)
    note = (f"{int(done['alerts']):,} new alerts raised and logged (the first sweep, on {done['first_on']}: "
            f"{int(done['first_alerts']):,} in {median(first):.3g} s); the due query over {int(done['horizon'])} "
            f"working days reads {int(done['due_rows']):,} deadlines (today alone: {int(done['today_rows']):,} in "
            f"{median(today) * 1000:.3g} ms); copy of the database per run")
    return (Figure("alerts", f"alert sweep over {ws.n:,} requests", g, b, g / b, "× the time", TARGET,
                   TARGET.met(g / b) and not done["failed"], note,
                   {"alerts": done["alerts"], "due_rows": done["due_rows"], "today_rows": done["today_rows"],
                    "today_seconds": median(today), "first_sweep_alerts": done["first_alerts"],
                    "first_sweep_seconds": median(first)},
                   {"gongkai": ours, "baseline": theirs, "today": today, "first_sweep": first}),
            int(done["today_rows"]))
