"""The working-day calendar: the State Council's 2025 and 2026 arrangements, worked by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.calendar import CalendarUnavailable, WorkCalendar, YearSpec, YearStatus, assemble, official_year


def brute_force_add(cal: WorkCalendar, day0: date, n: int) -> date:
    d = day0
    while n:
        d += timedelta(days=1)
        n -= cal.is_working_day(d)
    return d


@pytest.mark.parametrize(
    ("day0", "n", "due"),
    [
        # spec §4.5, first row: 02-14 and 02-28 are make-up Saturdays, 02-15 … 02-23 the Spring Festival.
        (date(2026, 2, 10), 20, date(2026, 3, 16)),
        # spec §4.5: the 7-working-day correction notice from 2026-01-29.
        (date(2026, 1, 29), 7, date(2026, 2, 9)),
        # spec §4.5: received on the day this was written.
        (date(2026, 11, 25), 20, date(2026, 12, 23)),
        # 2025 Spring Festival: 01-26 (Sun) and 02-08 (Sat) are make-up days, 01-28 … 02-04 off.
        (date(2025, 1, 24), 7, date(2025, 2, 10)),
        # 2025 National Day: 09-28 (Sun) and 10-11 (Sat) make-up days, 10-01 … 10-08 off.
        (date(2025, 9, 26), 7, date(2025, 10, 13)),
        # 2026 Labour Day: 05-01 … 05-05 off, 05-09 (Sat) worked.
        (date(2026, 4, 20), 20, date(2026, 5, 20)),
        # 2026 Qingming (04-04 … 04-06) inside a restarted reply period.
        (date(2026, 3, 12), 20, date(2026, 4, 10)),
        # Day 0 on a holiday: counting starts on the next working day.
        (date(2026, 10, 1), 1, date(2026, 10, 8)),
    ],
)
def test_working_days_follow_the_state_council_notices(calendar: WorkCalendar, day0: date, n: int, due: date) -> None:
    assert calendar.add(day0, n).date == due
    assert calendar.add(day0, n).provisional is False


def test_each_year_has_the_working_days_the_notices_imply(calendar: WorkCalendar) -> None:
    assert calendar.working_days_in(2025) == 248
    assert calendar.working_days_in(2026) == 248


def test_a_make_up_saturday_is_a_working_day_and_a_holiday_weekday_is_not(calendar: WorkCalendar) -> None:
    assert calendar.is_working_day(date(2026, 2, 14))  # Saturday, 上班
    assert calendar.is_working_day(date(2025, 1, 26))  # Sunday, 上班
    assert not calendar.is_working_day(date(2026, 2, 16))  # Monday, 春节
    assert not calendar.is_working_day(date(2026, 2, 21))  # plain Saturday


def test_make_up_days_can_be_switched_off_as_the_law_is_unsettled() -> None:
    specs = {2026: official_year(2026)}
    without = WorkCalendar(specs, makeup_days_count=False)  # type: ignore[arg-type]
    # Without 02-14 and 02-28 the 20th working day after 02-10 moves two working days later.
    assert without.add(date(2026, 2, 10), 20).date == date(2026, 3, 18)


def test_between_counts_from_the_day_after(calendar: WorkCalendar) -> None:
    assert calendar.between(date(2026, 2, 10), date(2026, 3, 16)) == 20
    assert calendar.between(date(2026, 3, 16), date(2026, 3, 16)) == 0
    assert calendar.between(date(2025, 12, 30), date(2026, 1, 5)) == 3  # 12-31, 01-04 (Sun, 上班), 01-05


def test_a_deadline_running_into_an_unpublished_year_is_provisional(calendar: WorkCalendar) -> None:
    if calendar.status(2027) is YearStatus.OFFICIAL:
        pytest.skip("the installed chinesecalendar already has 2027")
    # 12-16 … 12-31 give 12 working days; 2027-01-01 (Fri) is 元旦; 01-04 … 01-13 give the other 8.
    shifted = calendar.add(date(2026, 12, 15), 20)
    assert shifted.date == date(2027, 1, 13)
    assert shifted.provisional and shifted.provisional_years == (2027,)
    assert calendar.add(date(2026, 12, 1), 5).provisional is False


def test_an_official_year_file_replaces_the_provisional_year() -> None:
    made_up = YearSpec(2027, YearStatus.OFFICIAL,
                       frozenset({date(2027, 1, 1), date(2027, 1, 4)}), frozenset(), "made-up notice")
    cal = assemble({2026: official_year(2026)}, {2027: made_up}, 1)  # type: ignore[dict-item]
    shifted = cal.add(date(2026, 12, 15), 20)
    assert shifted == type(shifted)(date(2027, 1, 14), False, ())
    assert cal.status(2028) is YearStatus.PROVISIONAL


def test_beyond_the_provisional_year_is_an_error_naming_the_year() -> None:
    cal = assemble({2026: official_year(2026)}, {}, 1)  # type: ignore[dict-item]
    with pytest.raises(CalendarUnavailable, match=r"2028.*config/holidays/2028\.toml"):
        cal.add(date(2027, 12, 1), 40)


def test_a_year_file_cannot_declare_a_day_both_off_and_worked() -> None:
    with pytest.raises(ValueError, match="既是休息日又是调休上班日"):
        YearSpec(2027, YearStatus.OFFICIAL, frozenset({date(2027, 2, 6)}), frozenset({date(2027, 2, 6)}), "x")


@settings(max_examples=300, deadline=None)
@given(day0=st.dates(date(2004, 1, 1), date(2026, 6, 30)), n=st.integers(1, 60))
def test_precomputed_counting_agrees_with_a_day_by_day_walk(calendar: WorkCalendar, day0: date, n: int) -> None:
    assert calendar.add(day0, n).date == brute_force_add(calendar, day0, n)


@settings(max_examples=100, deadline=None)
@given(days0=st.lists(st.dates(date(2004, 1, 1), date(2026, 12, 31)), min_size=1, max_size=40), n=st.integers(1, 45))
def test_counting_many_at_once_agrees_with_one_at_a_time(calendar: WorkCalendar, days0: list[date], n: int) -> None:
    assert calendar.add_many(days0, n) == [calendar.add(d, n) for d in days0]
