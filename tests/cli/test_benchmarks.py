"""The benchmark command works (a smoke test, never timed), and what its findings changed holds.

Figures are ratios measured by hand at full scale (benchmarks/RESULTS.md); nothing here asserts a
speed. What is checked: ``python -m benchmarks`` runs at a small scale and prints and saves every
figure, and the advance figure's decisions stay off the benchmark's database; a command's work runs with the garbage collector on. The bulk reply deadlines of a generated
year and the printing of a long due list are tested in tests/unit/test_benchmarks.py.
"""

from __future__ import annotations

import gc
import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ["due-dates", "report", "import", "due", "help", "alerts", "advance", "work-open", "work-action"]


@pytest.mark.slow
def test_the_benchmark_command_runs_at_a_small_scale_and_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--requests", "2000", "--runs", "1", "--workdir", str(tmp_path),
         "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    for title in ("reply deadline of 2,000 requests", "year-end report", "import of a 2,000-row CSV",
                  "`gongkai due` on 2,000 requests", "`gongkai --help`", "alert sweep over 2,000 requests",
                  "one advance on 2,000 requests", "`gongkai work` opens, 2,000 requests",
                  "workbench action, 2,000 requests"):
        assert title in done.stdout
    results = json.loads(out.read_text(encoding="utf-8"))
    figures = {f["name"]: f for f in results["figures"]}
    assert list(figures) == FIGURES
    for f in figures.values():
        assert f["gongkai_seconds"] > 0 and f["baseline_seconds"] > 0 and f["ratio"] > 0, f
    assert figures["report"]["totals_equal"]
    t3 = figures["report"]["table3_total"]
    assert t3["new"] + t3["carried_in"] == t3["total"] + t3["carried_out"] and t3["new"] > 1000
    assert figures["due-dates"]["plain_agree"] == figures["due-dates"]["plain_in_sample"] > 0
    assert figures["import"]["rows"] == 2000
    advance = figures["advance"]  # every chosen open request decided once, on a copy
    assert advance["checked"] == advance["requests"] > 100 and advance["events_read"] >= advance["requests"]
    assert advance["gongkai_median_seconds"] <= advance["gongkai_seconds"]  # the p95 is the figure
    assert advance["baseline_median_seconds"] <= advance["baseline_seconds"]
    assert [len(run["advance"]) for run in advance["samples"]] == [advance["requests"]]
    (kept,) = tmp_path.glob("n2000-*/gongkai.sqlite")  # the benchmark's database did not see the decisions
    with closing(sqlite3.connect(kept)) as conn:
        (still_open,) = conn.execute("SELECT COUNT(*) FROM request WHERE state != 'concluded'").fetchone()
    assert still_open == t3["carried_out"] >= advance["decidable"]
    assert not list(tmp_path.glob("n2000-*/scratch/advance.sqlite*"))
    opened = figures["work-open"]  # the first screen held the officer's queue, its top rows drawn
    assert opened["rows"] > 100 and opened["view"] == "我的" and 0 < opened["drawn"] <= opened["rows"]
    assert opened["whole_seconds"] > opened["gongkai_seconds"]  # the first screen comes before the exit
    acted = figures["work-action"]  # every chosen request consulted once, from the form's confirm, on a copy
    assert acted["checked"] == acted["requests"] > 100 and acted["preview_p95_seconds"] > 0
    assert not list(tmp_path.glob("n2000-*/scratch/work-action.sqlite*"))
    assert results["machine"]["cpus"] >= 1


def test_a_command_s_work_runs_with_the_garbage_collector_on_after_start_up_paused_it(db_target: str) -> None:
    from cli.context import State
    from tests.database import created

    gc.disable()
    try:
        State(db=created(db_target), officer="李明").app(date(2026, 11, 25))
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
