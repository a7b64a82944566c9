"""Figure 3: importing the year's N-row CSV, against writing the same rows raw with ``executemany``.

gongkai: ``workflow.io.imports.import_requests`` (what ``gongkai import requests FILE`` runs) into a
fresh SQLite database: every row read through the alias table, checked, replayed through the
lifecycle, its deadlines computed, its events hash-chained, then the request, event and deadline
rows written in one transaction, with their indexes.

Baseline: the same file read with the ``csv`` module and inserted by one ``sqlite3`` ``executemany``
into a plain table of text columns (no index, no check), committed once. Both sides start from the
file on disk and end with the rows committed, each in its own process.

Floor, reported beside the figure: the request, event and deadline rows of the imported database
copied row by row by SQLite itself into an empty database of the same schema, in one transaction
with gongkai's settings (``import-floor`` in ``benchmarks.worker``). No import that stores those rows
with their indexes can be faster, whatever it does in Python.

The first gongkai import at a scale becomes the benchmark's database (with the year's appeals
imported after it, not timed) and is kept for later runs, so the other figures measure exactly what
was imported.
"""

from __future__ import annotations

import shutil
from typing import Any

from benchmarks import measure
from benchmarks.measure import Figure, Target, median
from benchmarks.workspace import Workspace, remove_database

TARGET = Target("≥ ⅓ of its rows/s", 1 / 3, "at_least")


def _import(ws: Workspace) -> tuple[float, dict[str, Any]]:
    target = ws.scratch("import.sqlite")
    done = measure.worker("import-gongkai", csv_path=str(ws.requests_csv), database=str(target))
    return float(done["seconds"]), done


def _baseline(ws: Workspace) -> float:
    target = ws.scratch("baseline.sqlite")
    done = measure.worker("import-baseline", csv_path=str(ws.requests_csv), database=str(target))
    remove_database(target)
    return float(done["seconds"])


def _floor(ws: Workspace) -> float:
    target = ws.scratch("floor.sqlite")
    done = measure.worker("import-floor", source=str(ws.database), database=str(target))
    remove_database(target)
    return float(done["seconds"])


def keep(ws: Workspace) -> None:
    """The import just made becomes the benchmark's database, with the appeals added."""
    remove_database(ws.database)
    shutil.move(ws.dir / "scratch" / "import.sqlite", ws.database)
    remove_database(ws.dir / "scratch" / "import.sqlite")
    measure.worker("import-appeals", csv_path=str(ws.appeals_csv), database=str(ws.database))
    ws.mark_ready()


def build(ws: Workspace) -> None:
    """The database without measuring (when the import figure is not asked for)."""
    _import(ws)
    keep(ws)


def measure_import(ws: Workspace, runs: int) -> Figure:
    ours: list[float] = []
    theirs: list[float] = []
    last: dict[str, Any] = {}
    for _ in range(runs):
        seconds, last = _import(ws)
        ours.append(seconds)
        theirs.append(_baseline(ws))
    if not ws.ready:
        keep(ws)
    remove_database(ws.dir / "scratch" / "import.sqlite")  # 1.4 GB at full scale
    floors = [_floor(ws) for _ in range(runs)]
    g, b, f = median(ours), median(theirs), median(floors)
    rows = ws.n
    note = (f"{rows / g:,.0f} vs {rows / b:,.0f} rows/s; peak memory {last['peak_mb']:,.0f} MB; "
            f"{last['open']:,} open, {last['concluded']:,} concluded; SQLite alone needs {f:.3g} s to store "
            f"the same requests, events and deadlines ({b / f:.2f} of the baseline's rows/s: the most any "
            f"import that stores them can reach)")
    return Figure("import", f"import of a {rows:,}-row CSV", g, b, b / g, "rows/s share", TARGET,
                  TARGET.met(b / g), note,
                  {"rows": rows, "gongkai_rows_per_second": rows / g, "baseline_rows_per_second": rows / b,
                   "gongkai_peak_mb": last["peak_mb"], "floor_seconds": f, "floor_share": b / f},
                  {"gongkai": ours, "baseline": theirs, "floor": floors})
