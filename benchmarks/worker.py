"""One measured piece of work in a fresh interpreter: ``python -m benchmarks.worker TASK JSON-ARGS``.

Each task imports what it needs first, then times only the work, and prints one JSON line with the
seconds and the process's peak memory. Separate processes keep one side's memory, caches and
imported modules from helping or hurting the other.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.data import TODAY, YEAR
from benchmarks.measure import report, timed, timed_cpu
from benchmarks.workbench import work_action


def _open(database: str, today: date = TODAY) -> Any:
    from workflow.app import Gongkai

    return Gongkai.open(database, today=today)


def import_gongkai(csv_path: str, database: str) -> None:
    """``gongkai import requests``: every row checked and replayed, then written in one transaction."""
    from workflow.io import imports

    app = _open(database)
    seconds, summary = timed(lambda: imports.import_requests(app, Path(csv_path)))
    app.engine.dispose()
    report(seconds=seconds, rows=summary.imported, **summary.counts)


def import_baseline(csv_path: str, database: str) -> None:
    """The same file read with ``csv`` and written with one ``executemany`` into a plain table of text."""
    def run() -> int:
        with open(csv_path, encoding="utf-8-sig", newline="") as f:
            rows = csv.reader(f)
            header = next(rows)
            conn = sqlite3.connect(database)
            columns = ", ".join(f'"c{i}" TEXT' for i in range(len(header)))
            conn.execute(f"CREATE TABLE request ({columns})")
            marks = ", ".join("?" * len(header))
            cursor = conn.executemany(f"INSERT INTO request VALUES ({marks})", rows)
            conn.commit()
            count = cursor.rowcount
            conn.close()
            return count

    seconds, count = timed(run)
    report(seconds=seconds, rows=count)


def import_floor(source: str, database: str) -> None:
    """What SQLite alone needs to store an import's rows: the request, event and deadline rows of the
    imported database copied into an empty one of the same schema, row by row (``WHERE id > 0`` keeps
    SQLite from copying pages wholesale), with gongkai's settings, in one transaction."""
    def run() -> int:
        conn = sqlite3.connect(database, isolation_level=None)
        for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON", "cache_size = -262144"):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("ATTACH ? AS src", (source,))
        for (sql,) in conn.execute("SELECT sql FROM src.sqlite_master WHERE sql IS NOT NULL "
                                   "AND name NOT LIKE 'sqlite_%' ORDER BY type DESC").fetchall():
            conn.execute(sql)  # tables first ("table" > "index"), then their indexes
        conn.execute("BEGIN IMMEDIATE")
        for table in ("request", "event", "deadline"):
            conn.execute(f"INSERT INTO main.{table} SELECT * FROM src.{table} WHERE id > 0")
        conn.execute("COMMIT")
        count = conn.execute("SELECT COUNT(*) FROM main.request").fetchone()[0]
        conn.close()
        return int(count)

    seconds, count = timed(run)
    report(seconds=seconds, rows=count)


def import_appeals(csv_path: str, database: str) -> None:
    """Part of building the database, not a figure."""
    from workflow.io.import_appeals import import_appeals

    app = _open(database)
    seconds, summary = timed(lambda: import_appeals(app, Path(csv_path)))
    app.engine.dispose()
    with sqlite3.connect(database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    report(seconds=seconds, rows=summary.imported)


def report_gongkai(database: str) -> None:
    """What ``gongkai report 2026 --all-agencies --format json`` computes: opening gongkai, the report, its JSON."""
    from workflow.reports import compute as reports

    def run() -> Any:
        app = _open(database)
        r = reports.build(app, YEAR, all_agencies=True)
        r.json_text()
        return r

    seconds, r = timed(run)
    report(seconds=seconds, table3_total={row: cells["total"] for row, cells in r.table3.items()},
           table4_total={block: cells["total"] for block, cells in r.table4.items()},
           checks=len(r.checks))


TABLE3_SQL = """
SELECT applicant_type, outcome,
       TOTAL(received_on BETWEEN :first AND :last),
       TOTAL(received_on < :first AND (concluded_on IS NULL OR concluded_on >= :first)),
       TOTAL(concluded_on BETWEEN :first AND :last),
       TOTAL(received_on <= :last AND (concluded_on IS NULL OR concluded_on > :last))
FROM request GROUP BY applicant_type, outcome
"""
TABLE4_SQL = """
SELECT kind, result, SUM(result IS NULL OR concluded_on IS NULL OR concluded_on > :today), COUNT(*)
FROM appeal WHERE filed_on BETWEEN :first AND :last GROUP BY kind, result
"""


def report_baseline(database: str) -> None:
    """The hand-written GROUP BY of table 三 (and the small one of table 四) with the stdlib ``sqlite3``."""
    dates = {"first": f"{YEAR}-01-01", "last": f"{YEAR}-12-31", "today": TODAY.isoformat()}

    def run() -> tuple[dict[str, int], dict[str, int]]:
        conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        totals = dict.fromkeys(("new", "carried_in", "total", "carried_out"), 0)
        for _, outcome, *sums in conn.execute(TABLE3_SQL, dates):
            new, carried_in, concluded, carried_out = (int(x) for x in sums)
            totals["new"] += new
            totals["carried_in"] += carried_in
            totals["total"] += concluded
            totals["carried_out"] += carried_out
            if outcome:
                totals[outcome] = totals.get(outcome, 0) + concluded
        appeals: dict[str, int] = {}
        for kind, _, _, n in conn.execute(TABLE4_SQL, dates):
            appeals[kind] = appeals.get(kind, 0) + n
        conn.close()
        return totals, appeals

    seconds, (table3, table4) = timed(run)
    report(seconds=seconds, table3_total=table3, table4_total=table4)


def sweep(database: str) -> None:
    """The due query over the sweep's horizon and over today alone (in-process), then the day's alert sweep,
    on a copy of the database that was swept on the working day before, as a daily sweep finds it."""
    from workflow.alerts import sweep as alerts
    from workflow.alerts.settings import alert_settings
    from workflow.usecases import views

    app = _open(database)
    cal = app.settings.calendar
    horizon = alert_settings(app.settings).thresholds.horizon
    views.due(app, within=horizon)  # both sides then read a warm page cache
    due_seconds, rows = timed(lambda: views.due(app, within=horizon))
    today_seconds, today = timed(lambda: views.due(app))
    yesterday = TODAY - timedelta(days=1)
    while not cal.is_working_day(yesterday):
        yesterday -= timedelta(days=1)
    first_seconds, first = timed(lambda: alerts.sweep(_open(database, yesterday)))
    sweep_seconds, result = timed(lambda: alerts.sweep(app))
    app.engine.dispose()
    report(due_seconds=due_seconds, due_rows=len(rows), horizon=horizon, today_seconds=today_seconds,
           today_rows=len(today), first_on=yesterday.isoformat(), first_seconds=first_seconds,
           first_alerts=len(first.new), sweep_seconds=sweep_seconds, alerts=len(result.new),
           failed=len(result.delivered.failed) + len(first.delivered.failed))


EVENTS_SQL = """
SELECT id, request_id, seq, action, occurred_on, recorded_at, officer, payload, prev_hash, hash
FROM event WHERE request_id = :id ORDER BY seq
"""
# The requests decide may conclude today: received ones (one in consultation may still be waiting for its
# answer, and a decision is refused while the consultee's period runs: rules.time_limits).
DECIDABLE = ("received",)


def advance(database: str, count: int) -> None:
    """``count`` open requests, spread evenly over the year's decidable ones (in the order they were
    imported), each decided once (``decide --outcome disclosed`` on today) through
    ``workflow.usecases.requests.advance``, in-process; beside each, the bare SELECT of its events
    through the same engine. Both are timed on the wall clock and in the thread's CPU time. Per
    request: one untimed read of its events (both sides find them in the page cache), the timed
    SELECT, the timed advance. One more request is advanced first, untimed, so modules loaded and
    statements compiled on first use are not counted. Afterwards every chosen request must hold one
    event more, a decide, and be concluded."""
    from sqlalchemy import text

    from workflow.domain.commands import Advance
    from workflow.usecases import requests

    app = _open(database)
    engine, events_sql = app.engine, text(EVENTS_SQL)
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT id, agency, ref FROM request WHERE state IN ({', '.join(repr(s) for s in DECIDABLE)}) "
                                 "ORDER BY id")).all()
    step = len(rows) / (count + 1) if len(rows) > count + 1 else 1.0
    chosen = [rows[int(i * step)] for i in range(min(count + 1, len(rows)))]

    def events(request_id: int) -> Sequence[Any]:
        with engine.connect() as conn:
            return conn.execute(events_sql, {"id": request_id}).all()

    def decide(agency: str, ref: str) -> Any:
        return requests.advance(app, Advance(ref=ref, action="decide", on=TODAY,
                                             payload={"outcome": "disclosed"}, agency=agency))

    warm_id, warm_agency, warm_ref = chosen[0]
    events(warm_id)
    decide(warm_agency, warm_ref)
    ours: list[float] = []
    theirs: list[float] = []
    ours_cpu: list[float] = []
    theirs_cpu: list[float] = []
    before: list[int] = []
    concluded = 0
    for request_id, agency, ref in chosen[1:]:
        events(request_id)
        seconds, cpu, read = timed_cpu(lambda: events(request_id))  # noqa: B023 - called at once
        theirs.append(seconds)
        theirs_cpu.append(cpu)
        before.append(len(read))
        seconds, cpu, shown = timed_cpu(lambda: decide(agency, ref))  # noqa: B023 - called at once
        ours.append(seconds)
        ours_cpu.append(cpu)
        concluded += shown["state"] == "concluded"  # advance returns the request as show prints it
    after = [events(request_id) for request_id, _, _ in chosen[1:]]
    checked = sum(1 for n, evs in zip(before, after, strict=True) if len(evs) == n + 1
                  and evs[-1].action == "decide" and str(evs[-1].occurred_on) == TODAY.isoformat())
    engine.dispose()
    report(advance_seconds=ours, select_seconds=theirs, advance_cpu_seconds=ours_cpu,
           select_cpu_seconds=theirs_cpu, decidable=len(rows), requests=len(ours), events_read=sum(before),
           concluded=concluded, checked=checked)


TASKS: dict[str, Callable[..., None]] = {
    "import-gongkai": import_gongkai, "import-baseline": import_baseline, "import-floor": import_floor,
    "import-appeals": import_appeals,
    "report-gongkai": report_gongkai, "report-baseline": report_baseline, "sweep": sweep, "advance": advance,
    "work-action": work_action,
}


def main() -> None:
    task, args = sys.argv[1], json.loads(sys.argv[2])
    TASKS[task](**args)


if __name__ == "__main__":
    main()
