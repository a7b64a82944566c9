"""Which alert a deadline calls for on a given day, counted in working days.

A missed reply deadline (条例第三十三条) is the commonest ground on which an office loses an
administrative review, so every open deadline warns its officer before it falls due and keeps
warning, to the supervisor as well, each working day after it passed. The year has two deadlines
of its own: requests still open on 31 December are carried over (结转下年度继续办理, table 三 row
四), and the annual report is due by 31 January (条例第四十九条).

A deadline's *threshold* on day T is the last mark it has reached, judged by working days:

==============  =====================================================================
threshold       reached when (D = due date, between = working days in (a, b])
==============  =====================================================================
``opens``       a year-level alert's window has opened (from its first working day)
``before-N``    between(T, D) ≤ N, for the smallest configured N that holds (5, 2)
``due``         between(T, D) = 0 and T ≤ D, or T > D with no working day since D
``overdue-K``   K = between(D, T) ≥ 1 working days have passed since D
==============  =====================================================================

Only the latest threshold is ever reported: a sweep that missed days (the machine was off) sends
where the deadline stands now, not every mark it skipped. A threshold holds on the days between
working days too, so a weekend sweep finds nothing new, and a deadline that falls on a day off is
announced as due on the last working day before it.

Worked example (2026, official calendar: 02-14 and 02-28 are make-up Saturdays, 02-15 … 02-23
the Spring Festival). A request received 2026-02-10 must be told of any correction by 02-26
(7 working days): ``before-5`` on 02-12 (02-13, 02-14, 02-24, 02-25, 02-26 remain), nothing
through the holiday (three working days remain from 02-14 to 02-23), ``before-2`` on 02-24,
``due`` on 02-26. Its reply falls due on 03-16: ``before-5`` on 03-09, ``before-2`` on 03-12,
``due`` on 03-16, ``overdue-1`` on 03-17, ``overdue-2`` on 03-18, and so on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rules import deadline_kinds as kinds
from rules.calendar import WorkCalendar

OPENS = "opens"
DUE = "due"

# The kinds of deadline, their labels and what to do once one has passed: ``rules.deadline_kinds``.
KIND_LABELS = kinds.LABELS
NEVER_OVERDUE = kinds.NEVER_OVERDUE
SUGGESTIONS: dict[str, tuple[str | None, str]] = {k.name: (k.action, k.advice) for k in kinds.KINDS.values()
                                                   if k.advice}


@dataclass(frozen=True)
class Thresholds:
    """When to warn: working days before a deadline, on its day, and each working day after."""

    before: tuple[int, ...] = (5, 2)
    on_the_day: bool = True
    overdue: bool = True

    def __post_init__(self) -> None:
        if any(n < 1 for n in self.before):
            raise ValueError(f"thresholds before a deadline are at least 1 working day, not {self.before}")

    @property
    def horizon(self) -> int:
        """How many working days ahead a sweep must look."""
        return max(self.before, default=0)


@dataclass(frozen=True)
class Crossing:
    """The threshold a deadline has reached, and how many working days are left (or have passed)."""

    threshold: str
    working_days: int  # remaining before the due date, or passed since it when overdue

    @property
    def overdue(self) -> bool:
        return self.threshold.startswith("overdue-")


def crossing(due: date, today: date, cal: WorkCalendar, thresholds: Thresholds,
             can_be_overdue: bool = True, opens_on: date | None = None) -> Crossing | None:
    """The threshold reached on ``today`` (see the module docstring), or None if none is."""
    if today > due:
        passed = cal.between(due, today)
        if passed == 0:
            return Crossing(DUE, 0) if thresholds.on_the_day else None
        if can_be_overdue and thresholds.overdue:
            return Crossing(f"overdue-{passed}", passed)
        return None
    left = cal.between(today, due)
    if left == 0 and thresholds.on_the_day:
        return Crossing(DUE, 0)
    reached = [n for n in thresholds.before if left <= n]
    if reached:
        return Crossing(f"before-{min(reached)}", left)
    if opens_on is not None and today >= first_working_day(opens_on, cal):
        return Crossing(OPENS, left)
    return None


def first_working_day(d: date, cal: WorkCalendar) -> date:
    """``d`` itself if it is a working day, else the next one."""
    return d if cal.is_working_day(d) else cal.next_working_day(d)


def suggestion(kind: str, c: Crossing) -> tuple[str | None, str]:
    """The action to record once a deadline has passed, and the sentence that says so."""
    if not c.overdue:
        return None, ""
    return SUGGESTIONS.get(kind, (None, ""))


def message(kind: str, due: date, today: date, c: Crossing, provisional: bool = False) -> str:
    """One sentence for the officer, in Chinese: what falls due when, and what to do."""
    label = KIND_LABELS[kind]
    when = f"{due.isoformat()}{'（暂定）' if provisional else ''}"
    if c.overdue:
        text = f"{label}已于{when}届满，已逾期{c.working_days}个工作日"
    elif c.threshold == DUE:
        if today == due:
            text = f"{label}今日（{when}）届满"
        elif today < due:
            text = f"{label}于{when}届满，今天是届满前最后一个工作日"
        else:
            text = f"{label}已于{when}届满"
    else:
        text = f"{label}于{when}届满，还有{c.working_days}个工作日"
    _, advice = suggestion(kind, c)
    return f"{text}。{advice}" if advice else text


@dataclass(frozen=True)
class YearAlert:
    """A year-level deadline that has reached a threshold: carry-over or the annual report."""

    kind: str
    year: int  # the year carried over from, or the year the report covers
    due: date
    crossing: Crossing


def carry_over(today: date, cal: WorkCalendar, thresholds: Thresholds, opens: tuple[int, int] = (12, 15)
               ) -> YearAlert | None:
    """From ``opens`` (15 December) to 31 December: open requests will be carried over (table 三 四)."""
    start, due = date(today.year, *opens), date(today.year, 12, 31)
    if not start <= today <= due:
        return None
    c = crossing(due, today, cal, thresholds, can_be_overdue=False, opens_on=start)
    return YearAlert(kinds.CARRY_OVER, today.year, due, c) if c else None


def annual_report(today: date, cal: WorkCalendar, thresholds: Thresholds, opens: tuple[int, int] = (1, 1)
                  ) -> YearAlert | None:
    """From ``opens`` (1 January) the last year's report is due by 31 January (条例第四十九条).

    Overdue alerts continue through the year until the report is frozen; the caller stops asking
    once it is.
    """
    start, due = date(today.year, *opens), date(today.year, 1, 31)
    if today < start:
        return None
    c = crossing(due, today, cal, thresholds, opens_on=start)
    return YearAlert(kinds.ANNUAL_REPORT, today.year - 1, due, c) if c else None


def carry_over_message(year: int, due: date, today: date, c: Crossing, count: int) -> str:
    days = "今天是本年度最后一个工作日" if c.threshold == DUE else f"本年度还有{c.working_days}个工作日"
    return (f"您有{count}件申请尚未办结，{due.isoformat()}前未办结的将结转{year + 1}年度继续办理"
            f"（年度报告表三“四、结转下年度继续办理”）；{days}")


def annual_report_message(year: int, due: date, today: date, c: Crossing) -> str:
    head = f"{year}年度政府信息公开工作年度报告应于{due.isoformat()}前公布（条例第四十九条）"
    if c.overdue:
        return f"{head}，已逾期{c.working_days}个工作日，尚未定稿。{kinds.KINDS[kinds.ANNUAL_REPORT].advice}"
    if c.threshold == DUE:
        return f"{head}，今天是最后一个工作日"
    return f"{head}，还有{c.working_days}个工作日"
