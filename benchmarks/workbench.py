"""Figures 8 and 9: the officers' workbench (``gongkai work``) on the year's database.

8. The workbench opens: ``gongkai work`` started in a 120×40 pseudo-terminal (``benchmarks.terminal``)
   until the screen shows the queue and the selected request, against the whole ``python -c "import
   sqlmodel"`` process as figures 4 and 5 time it; at most half as much again. The exit after ``q`` is
   given beside it; ``benchmarks/work_open.py`` says what that first screen holds.
9. One action confirmed from the workbench: what its form's confirm runs (``cli.workbench.preview.confirm``,
   the same call the Pilot tests drive), a consultation of a third party sent today, in-process, with
   gongkai opened and the request read as the workbench holds it (``views.show``) before timing. The
   target is absolute, p95 < 50 ms (an officer notices a pause beyond that); beside it, as figure 7,
   the bare SELECT of the request's events through the same engine, so the note can give the ratio.
   The form's preview (the same action tried in a reading unit of work, never committed, while the
   officer types) is timed too and given in the note. Each run works on a fresh copy of the
   database; every chosen request must end in consultation with one event more.
"""

from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks import measure, terminal
from benchmarks.advance import _settle
from benchmarks.data import TODAY
from benchmarks.measure import Figure, Target, median, percentile, timed, timed_cpu, wall
from benchmarks.startup import REPEAT, TARGET, gongkai
from benchmarks.workspace import Workspace, remove_database

COUNT = 200
ACTION_TARGET = Target("p95 < 50 ms", 0.050, "at_most")
SCRIPT = Path(__file__).with_name("work_open.py")  # what the first screen holds (figure 8's note)
# On the first screen: the view's line with its count, and the selected request's actions.
FIRST_SCREEN = ("件", "可办理")
EVENTS_SQL = "SELECT id, request_id, seq, action, occurred_on, recorded_at, officer, payload, prev_hash, hash " \
             "FROM event WHERE request_id = :id ORDER BY seq"


def measure_open(ws: Workspace, runs: int) -> Figure:
    shown = subprocess.run([sys.executable, str(SCRIPT), str(ws.database), TODAY.isoformat(), "--count"],
                           capture_output=True, text=True, check=True).stdout.split()
    rows, more, view, drawn = int(shown[-4]), shown[-3] == "True", shown[-2], int(shown[-1])
    command = [gongkai(), "--db", str(ws.database), "work", "--on", TODAY.isoformat()]
    baseline = [sys.executable, "-c", "import sqlmodel"]
    opened = functools.partial(terminal.first_screen, command, FIRST_SCREEN)
    opened(), wall(baseline)  # one start of each, not counted
    mine: list[float] = []
    whole: list[float] = []
    base: list[float] = []
    for _ in range(runs):
        starts = [(opened(), wall(baseline)) for _ in range(REPEAT)]
        mine.append(median([s[0][0] for s in starts]))
        whole.append(median([s[0][1] for s in starts]))
        base.append(median([s[1] for s in starts]))
    g, b, w = median(mine), median(base), median(whole)
    note = (f"`gongkai work` in a 120×40 pseudo-terminal until the queue and the selected request are on "
            f"the screen, vs `python -c \"import sqlmodel\"` (the whole process); view {view}: {rows:,} rows"
            + (" (the most urgent; more in the view)" if more else "")
            + f", {drawn} in the first screen; to the exit after `q` {w:.3g} s ({w / b:.2f}×); each run the "
              f"median of {REPEAT} starts")
    return Figure("work-open", f"`gongkai work` opens, {ws.n:,} requests", g, b, g / b, "× the time", TARGET,
                  TARGET.met(g / b), note,
                  {"rows": rows, "more": more, "view": view, "drawn": drawn, "whole_seconds": w,
                   "command": command, "baseline": baseline},
                  {"gongkai": mine, "baseline": base, "whole": whole})


def measure_action(ws: Workspace, runs: int) -> Figure:
    p95s: list[float] = []
    selects: list[float] = []
    previews: list[float] = []
    cpus: list[float] = []
    done: dict[str, Any] = {}
    ok = True
    for _ in range(runs):
        copy = ws.copy_database("work-action.sqlite")
        _settle(copy)
        done = measure.worker("work-action", database=str(copy), count=COUNT)
        remove_database(copy)
        p95s.append(percentile(done["confirm_seconds"], 95))
        selects.append(percentile(done["select_seconds"], 95))
        previews.append(percentile(done["preview_seconds"], 95))
        cpus.append(percentile(done["confirm_cpu_seconds"], 95))
        ok = ok and done["checked"] == done["requests"] == len(done["confirm_seconds"]) > 0
    g, b, pv = median(p95s), median(selects), median(previews)
    n = int(done["requests"])
    note = (f"p95 over {n:,} consultations each run (of {int(done['eligible']):,} requests received and open); "
            f"median {median(done['confirm_seconds']) * 1000:.3g} ms; the bare SELECT of the events p95 "
            f"{b * 1000:.3g} ms ({g / b:.1f}×); p95 of CPU time {median(cpus) * 1000:.3g} ms (what the machine's "
            f"other work does not add to); the form's preview p95 {pv * 1000:.3g} ms; slowest "
            f"{max(done['confirm_seconds']) * 1000:.3g} ms; {int(done['checked']):,}/{n:,} in consultation "
            f"with one more event; copy of the database per run")
    return Figure("work-action", f"workbench action, {ws.n:,} requests (p95)", g, b, g / b,
                  "× the time", ACTION_TARGET, ACTION_TARGET.met(g) and ok, note,
                  {"requests": n, "eligible": done["eligible"], "checked": done["checked"],
                   "gongkai_p95_seconds": g, "select_p95_seconds": b, "preview_p95_seconds": pv,
                   "cpu_p95_seconds": median(cpus),
                   "samples": {k: done[k] for k in ("confirm_seconds", "confirm_cpu_seconds", "select_seconds",
                                               "preview_seconds")}},
                  {"gongkai": p95s, "baseline": selects, "preview": previews})


def work_action(database: str, count: int) -> None:
    """The worker's side of figure 9 (``python -m benchmarks.worker work-action``)."""
    from sqlalchemy import text

    from cli.workbench import preview, queue
    from workflow.app import Gongkai
    from workflow.usecases import views

    app = Gongkai.open(database, today=TODAY)
    with app.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, agency, ref FROM request WHERE state = 'received' ORDER BY id")).all()
    step = len(rows) / (count + 1) if len(rows) > count + 1 else 1.0
    chosen = [rows[int(i * step)] for i in range(min(count + 1, len(rows)))]
    values = {"on": TODAY.isoformat(), "party": "third-party", "to": "某公司"}

    def events(request_id: int) -> list[Any]:
        with app.engine.connect() as conn:
            return list(conn.execute(text(EVENTS_SQL), {"id": request_id}).all())

    warm = views.show(queue.scoped(app, chosen[0][1]), chosen[0][2])
    preview.action_preview(app, warm, "consult", dict(values))
    preview.confirm(app, warm, "consult", dict(values))
    confirms: list[float] = []
    confirms_cpu: list[float] = []
    selects: list[float] = []
    previews: list[float] = []
    checked = 0
    for request_id, agency, ref in chosen[1:]:
        d = views.show(queue.scoped(app, agency), ref)  # what the workbench holds once the row is highlighted
        before = len(events(request_id))
        selects.append(timed(lambda: events(request_id))[0])  # noqa: B023 - called at once
        previews.append(timed(lambda: preview.action_preview(app, d, "consult", dict(values)))[0])  # noqa: B023
        seconds, cpu, after = timed_cpu(lambda: preview.confirm(app, d, "consult", dict(values)))  # noqa: B023
        confirms.append(seconds)
        confirms_cpu.append(cpu)
        checked += after["state"] == "in_consultation" and len(events(request_id)) == before + 1
    app.engine.dispose()
    measure.report(confirm_seconds=confirms, confirm_cpu_seconds=confirms_cpu, select_seconds=selects,
                   preview_seconds=previews,
                   eligible=len(rows), requests=len(confirms), checked=checked)
