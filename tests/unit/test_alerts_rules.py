"""The alert thresholds as pure rules, on the official 2026 calendar.

2026 around the Spring Festival (1 = working day):

    02-10 Tu 1   02-13 Fr 1   02-14 Sa 1 (make-up)   02-15 … 02-23 off   02-24 Tu 1
    02-26 Th 1   02-28 Sa 1 (make-up)   03-16 Mo 1

January 2026: 01-01 … 01-03 off, 01-04 (Sunday) a make-up working day, 01-31 a Saturday.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

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
    with pytest.raises(ValueError, match="至少提前 1 个工作日"):
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


# -- whose annual report is due when (条例第四十九条; 国办公开办函〔2021〕30号 §二) ----------------------
# 2027 is provisional here (no holiday notice yet): 01-01 (Friday) off, 01-31 a Sunday, 02-05 and 02-08
# (除夕, 初三) off, 02-20 a Saturday. The assertions below hold whatever make-up days the notice adds.

def report(cal: WorkCalendar) -> Callable[..., alerts.YearAlert | None]:
    def at(day: date, level: str = alerts.AGENCY, **kw: Any) -> alerts.YearAlert | None:
        return alerts.annual_report(day, cal, TH, level=level, **kw)
    return at


def test_an_agency_s_own_report_is_asked_for_in_january_2027_and_overdue_from_1_february(
        calendar: WorkCalendar) -> None:
    report_at = report(calendar)
    assert report_at(date(2027, 1, 1)) is None  # New Year's Day: the window opens on the first working day
    opened = report_at(date(2027, 1, 4))
    assert opened is not None and (opened.kind, opened.year, opened.due, opened.crossing.threshold) == \
        ("annual_report", 2026, date(2027, 1, 31), "opens")
    late = report_at(date(2027, 2, 1))
    assert late is not None and late.crossing.threshold == "overdue-1"
    assert alerts.annual_report_message(late.year, late.due, date(2027, 2, 1), late.crossing) == (
        "2026年度本机关政府信息公开工作年度报告应于2027-01-31前报送本级政府信息公开工作主管部门并向社会公布"
        "（条例第四十九条），已逾期1个工作日，尚未定稿。已超过年度报告公布期限（条例第四十九条），请尽快完成年度报告")


def test_a_county_roll_up_is_not_overdue_on_1_february_2027_only_from_the_working_day_after_20_february(
        calendar: WorkCalendar) -> None:
    """The county's competent department rolls up its departments' and townships' reports by 2月20日."""
    report_at = report(calendar)
    early = report_at(date(2027, 2, 1), alerts.COUNTY)
    assert early is not None and (early.kind, early.year, early.due) == ("annual_rollup", 2026, date(2027, 2, 20))
    assert not early.crossing.overdue
    text = alerts.annual_report_message(early.year, early.due, date(2027, 2, 1), early.crossing, early.kind)
    assert text.startswith("2026年度汇总年度报告（汇总所属部门和下级政府的年度报告）应于2027-02-20前"
                           "报送上一级政府信息公开工作主管部门并向社会公布（国办公开办函〔2021〕30号），还有")
    assert "已逾期" not in text
    assert not report_at(date(2027, 2, 19), alerts.COUNTY).crossing.overdue  # type: ignore[union-attr]
    late = report_at(date(2027, 2, 22), alerts.COUNTY)  # Monday
    assert late is not None and late.crossing.threshold == "overdue-1"
    assert "已逾期1个工作日" in alerts.annual_report_message(late.year, late.due, date(2027, 2, 22), late.crossing,
                                                       late.kind)


@pytest.mark.parametrize(("level", "due", "last_day", "first_overdue"), [
    # 2026, official calendar. 02-20 falls in the Spring Festival (02-15 … 02-23): announced as due on
    # the make-up Saturday 02-14, overdue from 02-24. 03-10 and 03-31 are Tuesdays.
    (alerts.COUNTY, date(2026, 2, 20), date(2026, 2, 14), date(2026, 2, 24)),
    (alerts.CITY, date(2026, 3, 10), date(2026, 3, 10), date(2026, 3, 11)),
    (alerts.PROVINCE, date(2026, 3, 31), date(2026, 3, 31), date(2026, 4, 1)),
    (alerts.VERTICAL, date(2026, 3, 31), date(2026, 3, 31), date(2026, 4, 1)),
])
def test_each_level_s_roll_up_is_due_on_the_date_of_the_2021_notice(calendar: WorkCalendar, level: str, due: date,
                                                                     last_day: date, first_overdue: date) -> None:
    report_at = report(calendar)
    on_the_day = report_at(last_day, level)
    assert on_the_day is not None and (on_the_day.due, on_the_day.crossing.threshold) == (due, "due")
    assert report_at(first_overdue, level).crossing.threshold == "overdue-1"  # type: ignore[union-attr]


def test_the_due_dates_are_a_setting_and_an_unknown_level_is_refused(calendar: WorkCalendar) -> None:
    """A province that wants its departments' reports by 20 January."""
    report_at = report(calendar)
    earlier = {**alerts.REPORT_DUE, alerts.AGENCY: (1, 20)}
    found = report_at(date(2027, 1, 21), due_dates=earlier)
    assert found is not None and (found.due, found.crossing.threshold) == (date(2027, 1, 20), "overdue-1")
    with pytest.raises(ValueError, match="'town' is not a level; expected one of agency, county"):
        report_at(date(2027, 1, 4), "town")


def test_a_threshold_reads_as_an_officer_says_it() -> None:
    from rules.alerts import threshold_label

    assert [threshold_label(t) for t in ("opens", "before-5", "before-2", "due", "overdue-1", "overdue-12")] == [
        "提示", "前5个工作日", "前2个工作日", "到期日", "逾期1个工作日", "逾期12个工作日"]
