"""The benchmark command works (a smoke test, never timed), and what its findings changed holds.

Figures are ratios measured by hand at full scale (benchmarks/RESULTS.md); nothing here asserts a
speed. What is checked: ``python -m benchmarks`` runs at a small scale and prints and saves every
figure, and the advance figure's decisions stay off the benchmark's database; the bulk reply
deadlines of a generated year agree with each request's own schedule; a long due list is printed one
line a row; a command's work runs with the garbage collector on.
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
from types import SimpleNamespace

import pytest

from benchmarks import data
from rules.calendar import WorkCalendar
from rules.deadlines import Periods, reply_dues, schedule

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ["due-dates", "report", "import", "due", "help", "alerts", "advance"]


@pytest.mark.slow
def test_the_benchmark_command_runs_at_a_small_scale_and_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--requests", "2000", "--runs", "1", "--workdir", str(tmp_path),
         "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    for title in ("reply deadline of 2,000 requests", "year-end report", "import of a 2,000-row CSV",
                  "`gongkai due` on 2,000 requests", "`gongkai --help`", "alert sweep over 2,000 requests",
                  "one advance on 2,000 requests"):
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
    assert results["machine"]["cpus"] >= 1


def test_bulk_reply_deadlines_of_a_generated_year_agree_with_each_request_s_own_schedule(
        calendar: WorkCalendar) -> None:
    stories = data.generate(3000, calendar, seed=11)
    pairs = [(s.received_on, s.events()) for s in stories]
    assert sum(1 for _, events in pairs if len(events) > 1) > 100  # corrections, consultations, fees, extensions
    for (received, events), due in zip(pairs, reply_dues(pairs, calendar), strict=True):
        reply = schedule(received, events, calendar, Periods()).reply
        ours = (due.date, due.provisional) if due else None
        assert ours == ((reply.due, reply.provisional) if reply else None)


def _due_row(i: int, due: str, overdue: int) -> dict[str, object]:
    return {"ref": f"2026-{i:04d}", "agency": "本机关", "kind": "reply", "label": "答复期限", "key": "", "due": due,
            "provisional": False, "overdue": overdue > 0, "days_overdue": overdue, "state": "received",
            "applicant": "张三" if i % 2 else "华信建设有限公司", "subject": "2025年度城乡低保资金发放明细",
            "officer": "李明"}


def test_a_due_list_of_a_hundred_deadlines_or_more_is_printed_one_aligned_line_a_row(
        capsys: pytest.CaptureFixture[str]) -> None:
    from cli import render

    rows = [_due_row(i, "2026-11-20", 3) for i in range(1, 4)] + [_due_row(i, "2026-11-25", 0) for i in range(4, 121)]
    render.due_table(rows, SimpleNamespace(today=date(2026, 11, 25)))  # type: ignore[arg-type]
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "2026-11-25 到期与逾期 · 120 项"
    assert lines[1].split() == ["编号", "期限", "到期日", "逾期工作日", "状态", "申请人", "申请内容"]
    assert len(lines) == 2 + 120 and not any("━" in line or "│" in line for line in lines)
    assert lines[2].split()[:4] == ["2026-0001", "答复期限", "2026-11-20", "3"]
    assert lines[-1].split()[:4] == ["2026-0120", "答复期限", "2026-11-25", "今日到期"]
    from rich.cells import cell_len

    # every row's subject starts where the header's does, whatever the width of the Chinese before it
    starts = {cell_len(line[:line.index(word)]) for line, word in
              [(lines[1], "申请内容"), *((line, "2025年度") for line in lines[2:])]}
    assert len(starts) == 1


def test_a_command_s_work_runs_with_the_garbage_collector_on_after_start_up_paused_it(db_target: str) -> None:
    from cli.context import State

    gc.disable()
    try:
        State(db=db_target, officer="李明").app(date(2026, 11, 25))
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
