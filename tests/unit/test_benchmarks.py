"""What the benchmarks' findings changed holds (a smoke test, never timed): the bulk reply deadlines
of a generated year agree with each request's own schedule; a long due list is printed one line a row.

The benchmark command itself is tested in tests/cli/test_benchmarks.py.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from benchmarks import data
from rules.calendar import WorkCalendar
from rules.deadlines import Periods, reply_dues, schedule


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
    from cli.output import render

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
