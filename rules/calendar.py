"""The working-day calendar that every statutory period is counted on.

The 条例 counts every application period in 工作日 (Arts. 30, 32, 33, 34) without defining the word.
gongkai follows the State Council's annual holiday notice: a day is a working day when it is a Monday
to Friday that is not an official day off, or a weekend day the notice declares a make-up working
day (调休上班). Whether make-up days count for statutory deadlines is not settled in any legal text
(spec Appendix B.5), so it is a flag, on by default.

Where a year's notice is not yet published, the year is *provisional*: its days off are the
statutory holidays of 《全国年节及纪念日放假办法》 that fall on weekdays, without any make-up day.
Every date computed through a provisional year says so, and is recomputed when the official year
arrives.

Counting is O(1) per query after a per-year precomputation: each year keeps the ordinal numbers of
its working days and, for every day of the year, how many working days fall on or before it.

Example (2026, official): ``calendar.add(date(2026, 2, 10), 20)`` is 2026-03-16, because
02-14 and 02-28 are make-up Saturdays and 02-15 … 02-23 is the Spring Festival.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum


class YearStatus(StrEnum):
    OFFICIAL = "official"
    PROVISIONAL = "provisional"


@dataclass(frozen=True)
class YearSpec:
    """One year's arrangement: the weekday days off and the weekend make-up working days."""

    year: int
    status: YearStatus
    days_off: frozenset[date]
    makeup_workdays: frozenset[date]
    source: str

    def __post_init__(self) -> None:
        for d in self.days_off | self.makeup_workdays:
            if d.year != self.year:
                raise ValueError(f"{d.isoformat()} 不在 {self.year} 年内（{self.source}）")
        both = self.days_off & self.makeup_workdays
        if both:
            first = min(both).isoformat()
            raise ValueError(f"{first} 既是休息日又是调休上班日（{self.source}）")


class CalendarUnavailable(LookupError):
    """A date falls in a year for which neither an official nor a provisional calendar exists."""

    def __init__(self, year: int, known: tuple[int, int] | None) -> None:
        span = f"{known[0]}–{known[1]}" if known else "none"
        super().__init__(
            f"no working-day calendar for {year} (years available: {span}); add "
            f"config/holidays/{year}.toml with the days off and make-up working days of the "
            f"State Council's notice for {year}"
        )
        self.year = year


@dataclass(frozen=True)
class _Year:
    spec: YearSpec
    first_ordinal: int
    count_upto: tuple[int, ...]  # count_upto[i] = working days on or before day i of the year
    workdays: tuple[int, ...]  # ordinals of the working days, ascending


def _build_year(spec: YearSpec, makeup_days_count: bool) -> _Year:
    start = date(spec.year, 1, 1)
    n_days = (date(spec.year + 1, 1, 1) - start).days
    counts: list[int] = []
    workdays: list[int] = []
    for i in range(n_days):
        d = start + timedelta(days=i)
        if d in spec.makeup_workdays:
            working = makeup_days_count
        else:
            working = d.weekday() < 5 and d not in spec.days_off
        if working:
            workdays.append(d.toordinal())
        counts.append(len(workdays))
    return _Year(spec, start.toordinal(), tuple(counts), tuple(workdays))


@dataclass(frozen=True)
class Shifted:
    """A date reached by counting working days, and whether any provisional year was crossed."""

    date: date
    provisional: bool
    provisional_years: tuple[int, ...] = ()


@dataclass
class WorkCalendar:
    """Working days over a contiguous span of years, built lazily year by year."""

    specs: Mapping[int, YearSpec]
    makeup_days_count: bool = True
    _years: dict[int, _Year] = field(default_factory=dict, repr=False)
    # add() answers, kept: a year of requests asks about a few hundred days, millions of times
    _added: dict[tuple[date, int], Shifted] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        years = sorted(self.specs)
        if years and years != list(range(years[0], years[-1] + 1)):
            missing = sorted(set(range(years[0], years[-1] + 1)) - set(years))
            raise ValueError(f"日历的年份必须连续；缺少 {missing}")

    @property
    def span(self) -> tuple[int, int] | None:
        return (min(self.specs), max(self.specs)) if self.specs else None

    def status(self, year: int) -> YearStatus:
        return self._year(year).spec.status

    def _year(self, year: int) -> _Year:
        built = self._years.get(year)
        if built is None:
            spec = self.specs.get(year)
            if spec is None:
                raise CalendarUnavailable(year, self.span)
            built = self._years[year] = _build_year(spec, self.makeup_days_count)
        return built

    def is_working_day(self, d: date) -> bool:
        y = self._year(d.year)
        i = d.toordinal() - y.first_ordinal
        return y.count_upto[i] - (y.count_upto[i - 1] if i else 0) == 1

    def count_upto(self, d: date) -> int:
        """Working days from 1 January of ``d``'s year through ``d`` inclusive."""
        y = self._year(d.year)
        return y.count_upto[d.toordinal() - y.first_ordinal]

    def between(self, start: date, end: date) -> int:
        """Working days in the half-open interval (start, end]: day 0 is never counted."""
        if end <= start:
            return 0
        if start.year == end.year:
            return self.count_upto(end) - self.count_upto(start)
        total = len(self._year(start.year).workdays) - self.count_upto(start)
        for year in range(start.year + 1, end.year):
            total += len(self._year(year).workdays)
        return total + self.count_upto(end)

    def add(self, day0: date, n: int) -> Shifted:
        """The n-th working day strictly after day 0 (民法典 Art. 201: the first day is not counted)."""
        found = self._added.get((day0, n))
        if found is None:
            found = self._added[day0, n] = self._add(day0, n)
        return found

    def _add(self, day0: date, n: int) -> Shifted:
        if n < 1:
            raise ValueError(f"a period counts at least one working day, not {n}")
        year = day0.year
        y = self._year(year)
        index = self.count_upto(day0) + n - 1  # 0-based index into this year's working days
        while index >= len(y.workdays):
            index -= len(y.workdays)
            year += 1
            y = self._year(year)
        found = date.fromordinal(y.workdays[index])
        provisional = self.provisional_between(day0, found)
        return Shifted(found, bool(provisional), provisional)

    def add_many(self, days0: Sequence[date], n: int) -> list[Shifted]:
        """``add`` for many day-0s at once, vectorised over one table spanning all their years.

        The table is the concatenation of the same per-year arrays ``add`` uses, so year files,
        provisional years and make-up days count exactly as there. Provisional years only ever
        follow the official ones, so a result is provisional exactly when its own year is.
        """
        import numpy as np

        if not days0:
            return []
        if n < 1:
            raise ValueError(f"a period counts at least one working day, not {n}")
        last = max(days0).year
        years = [self._year(y) for y in range(min(days0).year, last + 1)]
        needed, year = n, last
        while needed > 0 and (year + 1) in self.specs:
            year += 1
            years.append(self._year(year))
            needed -= len(years[-1].workdays)
        sizes = [len(y.workdays) for y in years]
        offsets = np.cumsum([0, *sizes[:-1]])
        workdays = np.concatenate([np.asarray(y.workdays, dtype=np.int64) for y in years])
        counts = np.concatenate([np.asarray(y.count_upto, dtype=np.int64) + off
                                 for y, off in zip(years, offsets, strict=True)])
        ordinals = np.fromiter((d.toordinal() for d in days0), dtype=np.int64, count=len(days0))
        index = counts[ordinals - years[0].first_ordinal] + (n - 1)
        if int(index.max()) >= len(workdays):
            raise CalendarUnavailable(year + 1, self.span)
        provisional = {y.spec.year for y in years if y.spec.status is YearStatus.PROVISIONAL}
        # A few hundred distinct days for a million requests: one Shifted each, shared.
        days, which = np.unique(workdays[index], return_inverse=True)
        shifted = []
        for o in days.tolist():
            due = date.fromordinal(o)
            shifted.append(Shifted(due, True, (due.year,)) if due.year in provisional else Shifted(due, False))
        return [shifted[i] for i in which.tolist()]

    def next_working_day(self, d: date) -> date:
        return self.add(d, 1).date

    def working_days_in(self, year: int) -> int:
        return len(self._year(year).workdays)

    def provisional_between(self, start: date, end: date) -> tuple[int, ...]:
        """The provisional years that the interval (start, end] touches."""
        if end <= start:
            return ()
        if start.year == end.year:  # the common case, without building a range
            return (end.year,) if self.status(end.year) is YearStatus.PROVISIONAL else ()
        first = (start + timedelta(days=1)).year
        return tuple(y for y in range(first, end.year + 1) if self.status(y) is YearStatus.PROVISIONAL)


def days_in(year: int, dates: Iterable[date]) -> frozenset[date]:
    return frozenset(d for d in dates if d.year == year)


def official_year(year: int) -> YearSpec | None:
    """The State Council's arrangement for ``year`` as shipped by ``chinesecalendar``, if it has it."""
    from chinese_calendar import constants

    days_off = days_in(year, (d for d in constants.holidays if d.weekday() < 5))
    makeup = days_in(year, (d for d in constants.workdays if d.weekday() >= 5))
    if not days_off and not makeup:
        return None
    return YearSpec(year, YearStatus.OFFICIAL, days_off, makeup,
                    "国务院办公厅节假日安排通知 (chinesecalendar)")


def official_years() -> range:
    from chinese_calendar import constants

    years = sorted({d.year for d in constants.holidays})
    return range(years[0], years[-1] + 1)


def provisional_year(year: int) -> YearSpec:
    """Statutory holidays only (no 调休): a stand-in until the year's notice is published."""
    import holidays

    statutory = holidays.China(years=year, observed=False)
    days_off = frozenset(d for d in statutory if d.weekday() < 5)
    return YearSpec(year, YearStatus.PROVISIONAL, days_off, frozenset(),
                    "provisional: statutory holidays of 全国年节及纪念日放假办法 only, no 调休")


class _Deferred(Mapping[int, YearSpec]):
    """Year specs, some of them computed only when a date in that year is first counted.

    The provisional years come from ``holidays``, whose loading costs a command more than a tenth of a
    second; most commands never count a day in next year, so they never pay it.
    """

    def __init__(self, known: Mapping[int, YearSpec], later: Mapping[int, Callable[[int], YearSpec]]) -> None:
        self._known, self._later = dict(known), dict(later)

    def __getitem__(self, year: int) -> YearSpec:
        if year not in self._known:
            self._known[year] = self._later[year](year)  # KeyError for a year that is in neither
        return self._known[year]

    def __contains__(self, year: object) -> bool:  # without working the year out
        return year in self._known or year in self._later

    def __iter__(self) -> Iterator[int]:
        return iter(sorted(self._known.keys() | self._later.keys()))

    def __len__(self) -> int:
        return len(self._known.keys() | self._later.keys())


def assemble(
    official: Mapping[int, YearSpec],
    overrides: Mapping[int, YearSpec],
    provisional_ahead: int,
    makeup_days_count: bool = True,
) -> WorkCalendar:
    """Official years, overridden or extended by the office's year files, then provisional years.

    ``provisional_ahead`` is how many years past the last known one may be computed provisionally;
    beyond that a date raises :class:`CalendarUnavailable` instead of being guessed. A provisional
    year is worked out the first time a date in it is counted.
    """
    specs = dict(official)
    specs.update(overrides)
    last = max(specs)
    later = dict.fromkeys(range(last + 1, last + 1 + provisional_ahead), provisional_year)
    return WorkCalendar(_Deferred(specs, later), makeup_days_count)
