"""Which alert a deadline calls for on a given day, counted in working days.

A missed reply deadline (条例第三十三条) is the commonest ground on which an office loses an
administrative review, so every open deadline warns its officer before it falls due and keeps
warning, to the supervisor as well, each working day after it passed. The year has deadlines of
its own: requests still open on 31 December are carried over (结转下年度继续办理, table 三 row
四), and last year's annual reports fall due (see ``REPORT_DUE``): every agency's own report by
31 January (条例第四十九条), and the roll-up that the competent department of a county, city or
province compiles, later (国办公开办函〔2021〕30号).

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

Worked example of the annual reports (2027, provisional calendar; 01-31 is a Sunday, 02-20 a
Saturday): a county's 民政局 (level ``agency``) hears from 01-04 that its own 2026 report is due
by 01-31, and from 02-01 that it is overdue (``overdue-1``). The county's competent department
(level ``county``) hears the same of its own report, and separately that the county's roll-up is
due by 02-20: on 02-01 that one is not overdue (12 working days remain); it is announced as due on
Friday 02-19 and overdue from Monday 02-22.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from rules import deadline_kinds as kinds
from rules.calendar import WorkCalendar

OPENS = "opens"
DUE = "due"


def threshold_label(threshold: str) -> str:
    """How an officer reads a threshold: ``before-3`` → 前3个工作日, ``overdue-1`` → 逾期1个工作日,
    ``due`` → 到期日, ``opens`` → 提示."""
    if threshold.startswith("before-"):
        return f"前{threshold.removeprefix('before-')}个工作日"
    if threshold.startswith("overdue-"):
        return f"逾期{threshold.removeprefix('overdue-')}个工作日"
    return {OPENS: "提示", DUE: "到期日"}.get(threshold, threshold)

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
            raise ValueError(f"期限前的提醒至少提前 1 个工作日，而不是 {self.before}")

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


# Who owes which annual report, by when (month, day of the year after the one reported on).
# 条例第四十九条第一款: 县级以上人民政府部门 submit their own report to the competent department of their
# government and publish it by 31 January; 30号 §二（一）: 乡镇人民政府 likewise, and a government's
# 办公厅（室） publishes the report of the government itself in the same way. 国办公开办函〔2021〕30号
# §二（二）: the competent department 「汇总所属部门和乡镇政府的年度报告，于2月20日前向上一级政府信息公开
# 工作主管部门提交并向社会公布」 (county); 地市级 by 3月10日; 省级 by 3月31日 (to the national competent
# department); 实行垂直领导的部门 roll up their whole system by 3月31日. 条例第四十九条第二款 gives every
# 县级以上地方人民政府 until 31 March to publish; for a county or a city the notice's earlier date is
# the one that must be met, so it is the default. Offices may be given earlier dates by their province:
# the dates are a setting (``[alerts.annual_report_due]``), these are its defaults.
AGENCY, COUNTY, CITY, PROVINCE, VERTICAL = "agency", "county", "city", "province", "vertical"
REPORT_DUE: dict[str, tuple[int, int]] = {AGENCY: (1, 31), COUNTY: (2, 20), CITY: (3, 10), PROVINCE: (3, 31),
                                          VERTICAL: (3, 31)}
LEVELS: tuple[str, ...] = tuple(REPORT_DUE)

# What each report is, to whom it goes, and the text that sets its date.
REPORTS: dict[str, tuple[str, str, str]] = {
    kinds.ANNUAL_REPORT: ("本机关政府信息公开工作年度报告", "报送本级政府信息公开工作主管部门并向社会公布",
                          "条例第四十九条"),
    kinds.ANNUAL_ROLLUP: ("汇总年度报告（汇总所属部门和下级政府的年度报告）",
                          "报送上一级政府信息公开工作主管部门并向社会公布", "国办公开办函〔2021〕30号"),
}


def annual_report(today: date, cal: WorkCalendar, thresholds: Thresholds, opens: tuple[int, int] = (1, 1),
                  level: str = AGENCY, due_dates: Mapping[str, tuple[int, int]] = REPORT_DUE
                  ) -> YearAlert | None:
    """From ``opens`` (1 January), last year's report of an office at ``level``: its own report when
    ``level`` is ``agency`` (due by ``due_dates["agency"]``, 31 January, 条例第四十九条), else the
    roll-up it compiles (due by ``due_dates[level]``, 国办公开办函〔2021〕30号). A roll-up office owes
    its own report too: ask for both.

    Overdue alerts start the working day after that date and continue through the year until the
    report is frozen; the caller stops asking once it is.
    """
    if level not in due_dates:
        raise ValueError(f"{level!r} is not a level; expected one of {', '.join(due_dates)}")
    start, due = date(today.year, *opens), date(today.year, *due_dates[level])
    if today < start:
        return None
    c = crossing(due, today, cal, thresholds, opens_on=start)
    kind = kinds.ANNUAL_REPORT if level == AGENCY else kinds.ANNUAL_ROLLUP
    return YearAlert(kind, today.year - 1, due, c) if c else None


def carry_over_message(year: int, due: date, today: date, c: Crossing, count: int) -> str:
    days = "今天是本年度最后一个工作日" if c.threshold == DUE else f"本年度还有{c.working_days}个工作日"
    return (f"您有{count}件申请尚未办结，{due.isoformat()}前未办结的将结转{year + 1}年度继续办理"
            f"（年度报告表三“四、结转下年度继续办理”）；{days}")


def annual_report_message(year: int, due: date, today: date, c: Crossing, kind: str = kinds.ANNUAL_REPORT) -> str:
    """What is due by when, and on whose authority; 已逾期 only once ``c`` says the date has passed."""
    what, how, basis = REPORTS[kind]
    head = f"{year}年度{what}应于{due.isoformat()}前{how}（{basis}）"
    if c.overdue:
        return f"{head}，已逾期{c.working_days}个工作日，尚未定稿。{kinds.KINDS[kind].advice}"
    if c.threshold == DUE:
        return f"{head}，今天是最后一个工作日"
    return f"{head}，还有{c.working_days}个工作日"
