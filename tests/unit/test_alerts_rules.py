"""The alert thresholds as pure rules, on the official 2026 calendar.

2026 around the Spring Festival (1 = working day):

    02-10 Tu 1   02-13 Fr 1   02-14 Sa 1 (make-up)   02-15 … 02-23 off   02-24 Tu 1
    02-26 Th 1   02-28 Sa 1 (make-up)   03-16 Mo 1

January 2026: 01-01 … 01-03 off, 01-04 (Sunday) a make-up working day, 01-31 a Saturday.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from rules import alerts
from rules.calendar import WorkCalendar

TH = alerts.Thresholds()


def walk(due: date, first: date, last: date, cal: WorkCalendar, **kw: object) -> dict[str, str | None]:
    out = {}
    day = first
    while day <= last:
        c = alerts.crossing(due, day, cal, TH, **kw)  # type: ignore[arg-type]
        out[day.isoformat()[5:]] = c.threshold if c else None
        day += timedelta(days=1)
    return out


def test_correction_notice_warnings_skip_the_spring_festival(calendar: WorkCalendar) -> None:
    """Received 02-10: the notice is due 02-26; five working days before is 02-12, two is 02-24."""
    seen = walk(date(2026, 2, 26), date(2026, 2, 10), date(2026, 2, 27), calendar, can_be_overdue=False)
    assert seen == {
        "02-10": None, "02-11": None, "02-12": "before-5", "02-13": "before-5", "02-14": "before-5",
        **{f"02-{d}": "before-5" for d in range(15, 24)},  # three working days remain all holiday long
        "02-24": "before-2", "02-25": "before-2", "02-26": "due", "02-27": None,
    }


def test_overdue_counts_working_days_and_holds_over_the_weekend(calendar: WorkCalendar) -> None:
    due = date(2026, 3, 16)  # a Monday
    got = {d: alerts.crossing(due, date(2026, 3, d), calendar, TH) for d in (17, 20, 21, 22, 23)}
    assert {d: (c.threshold, c.working_days) for d, c in got.items() if c} == {
        17: ("overdue-1", 1), 20: ("overdue-4", 4), 21: ("overdue-4", 4), 22: ("overdue-4", 4), 23: ("overdue-5", 5)}


def test_a_friday_deadline_is_still_due_on_saturday_and_overdue_on_monday(calendar: WorkCalendar) -> None:
    due = date(2026, 3, 13)
    assert alerts.crossing(due, date(2026, 3, 14), calendar, TH) == alerts.Crossing("due", 0)
    assert alerts.crossing(due, date(2026, 3, 16), calendar, TH) == alerts.Crossing("overdue-1", 1)


def test_a_sweep_after_days_off_reports_only_where_the_deadline_stands_now(calendar: WorkCalendar) -> None:
    """Nothing swept between 03-05 and 03-13: on 03-13 the reply due 03-16 is at before-2, not before-5."""
    assert alerts.crossing(date(2026, 3, 16), date(2026, 3, 13), calendar, TH) == alerts.Crossing("before-2", 1)


def test_the_thresholds_are_configurable(calendar: WorkCalendar) -> None:
    quiet = alerts.Thresholds(before=(3,), on_the_day=False, overdue=False)
    due = date(2026, 3, 16)
    assert alerts.crossing(due, date(2026, 3, 10), calendar, quiet) is None
    assert alerts.crossing(due, date(2026, 3, 11), calendar, quiet) == alerts.Crossing("before-3", 3)
    assert alerts.crossing(due, date(2026, 3, 17), calendar, quiet) is None
    with pytest.raises(ValueError, match="at least 1 working day"):
        alerts.Thresholds(before=(5, 0))


def test_a_lapsed_correction_or_fee_period_suggests_the_action_to_record(calendar: WorkCalendar) -> None:
    late = alerts.Crossing("overdue-1", 1)
    assert alerts.suggestion("correction_period", late)[0] == "lapse-correction"
    assert alerts.suggestion("fee_payment", late)[0] == "fee-lapsed"
    assert alerts.suggestion("consultation", late)[0] == "consult-reply"
    assert alerts.suggestion("correction_period", alerts.Crossing("before-2", 2)) == (None, "")
    text = alerts.message("fee_payment", date(2026, 3, 16), date(2026, 3, 17), late)
    assert text.startswith("缴费期限已于2026-03-16届满，已逾期1个工作日。") and "fee-lapsed" in text


def test_messages_say_how_many_working_days_remain(calendar: WorkCalendar) -> None:
    due = date(2026, 3, 30)
    assert alerts.message("reply", due, date(2026, 3, 23), alerts.Crossing("before-5", 5), provisional=True) == \
        "答复期限于2026-03-30（暂定）届满，还有5个工作日"
    assert alerts.message("reply", due, due, alerts.Crossing("due", 0)) == "答复期限今日（2026-03-30）届满"


def test_carry_over_warnings_run_from_15_december_to_the_last_day_of_the_year(calendar: WorkCalendar) -> None:
    def at(month: int, day: int, year: int = 2026) -> str | None:
        found = alerts.carry_over(date(year, month, day), calendar, TH)
        return found.crossing.threshold if found else None

    # 12-15 (Tue) leaves 12 working days; 12-24 five (25, 28, 29, 30, 31); 12-29 two.
    assert [at(12, 14), at(12, 15), at(12, 23), at(12, 24), at(12, 28), at(12, 29), at(12, 31)] == \
        [None, "opens", "opens", "before-5", "before-5", "before-2", "due"]
    assert at(1, 1, 2027) is None
    assert alerts.carry_over(date(2026, 12, 15), calendar, TH).due == date(2026, 12, 31)  # type: ignore[union-attr]


def test_the_annual_report_warnings_open_on_the_first_working_day_of_january(calendar: WorkCalendar) -> None:
    """2026: 01-01 … 01-03 off, 01-04 a make-up Sunday; 01-31 a Saturday, so 01-30 is the day it is due."""
    def at(month: int, day: int) -> str | None:
        found = alerts.annual_report(date(2026, month, day), calendar, TH)
        return found.crossing.threshold if found else None

    assert [at(1, 1), at(1, 3), at(1, 4), at(1, 22), at(1, 23), at(1, 28), at(1, 30), at(1, 31), at(2, 1),
            at(2, 2), at(3, 2)] == \
        [None, None, "opens", "opens", "before-5", "before-2", "due", "due", "due", "overdue-1", "overdue-17"]
    # 17 = 02-02 … 02-06, 02-09 … 02-13, 02-14 (make-up), 02-24 … 02-27, 02-28 (make-up), 03-02
    found = alerts.annual_report(date(2026, 1, 4), calendar, TH)
    assert found is not None and (found.year, found.due) == (2025, date(2026, 1, 31))
