"""The information-processing fee (信息处理费) of 国办函〔2020〕109号, progressive on the excess.

条例 Art. 42 makes disclosure free unless an applicant's requests clearly exceed a reasonable
quantity or frequency; the 办法 then allows one of two methods per application, never both
(Art. 3), each charged only on the part above a free allowance (超额累进):

* **per item (按件计收, Art. 4)**, counted per applicant over one calendar month, cumulatively:
  items 1–10 free, 11–30 at 100 yuan, then bands of 10 items, "each further band 100 yuan dearer";
* **per page (按量计收)**, per application: pages 1–30 free, 31–100 at 10 yuan, 101–200 at 20,
  above 200 at 40 (spec §2.4; the article holding these tiers is unreadable, very probably Art. 5).

The 办法 does not enumerate the bands above 30 items (spec Appendix B.2). The default reading,
``first_band_raised=True``, prices items 31–40 at 200 yuan, 41–50 at 300 …: the first band above
30 is already "one band further" than 11–30. The other reading (31–40 still at 100, 41–50 at 200 …)
is the setting ``fees.item_first_band_raised = false``.

Worked examples (spec §2.4, two real fee notices):
1,500 pages = 70 × 10 + 100 × 20 + 1,300 × 40 = 700 + 2,000 + 52,000 = 54,700 yuan;
2,219 pages = 700 + 2,000 + 2,019 × 40 = 83,460 yuan.
An applicant with 27 items already counted in March 2026 who files 6 more pays for items 28–33:
3 × 100 + 3 × 200 = 900 yuan.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count

PAGES = "pages"
ITEMS = "items"
METHOD_LABELS = {PAGES: "按量计收", ITEMS: "按件计收"}


@dataclass(frozen=True)
class Tier:
    """Units ``first`` … ``last`` (1-based, inclusive; ``last`` None: no end) cost ``rate`` yuan each."""

    first: int
    last: int | None
    rate: int


@dataclass(frozen=True)
class Line:
    """The units of one application that fall in one tier."""

    first: int
    last: int
    rate: int

    @property
    def units(self) -> int:
        return self.last - self.first + 1

    @property
    def amount(self) -> int:
        return self.units * self.rate


@dataclass(frozen=True)
class Fee:
    """What one application costs: the units it adds, where they fall, and the total in yuan."""

    method: str  # PAGES or ITEMS
    first: int  # position of the application's first unit (pages: 1; items: after the month so far)
    units: int
    lines: tuple[Line, ...]

    @property
    def last(self) -> int:
        return self.first + self.units - 1

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    def standard(self) -> str:
        """The tiers applied, in the words of a fee notice (收费标准)."""
        unit = "页" if self.method == PAGES else "件"
        parts = [f"第{ln.first}—{ln.last}{unit}{'免费' if not ln.rate else f'{ln.rate}元/{unit}'}"
                 for ln in self.lines]
        return "；".join(parts)

    def arithmetic(self) -> str:
        """``70×10+100×20+1300×40=54700``: the sum a reviewer can check by hand."""
        charged = [ln for ln in self.lines if ln.rate]
        if not charged:
            return "0"
        return "+".join(f"{ln.units}×{ln.rate}" for ln in charged) + f"={self.total}"


PAGE_TIERS: tuple[Tier, ...] = (Tier(1, 30, 0), Tier(31, 100, 10), Tier(101, 200, 20), Tier(201, None, 40))


def item_tiers(first_band_raised: bool = True) -> Iterator[Tier]:
    """The per-item tiers of one month, without end: 1–10 free, 11–30 at 100, then bands of 10."""
    yield Tier(1, 10, 0)
    yield Tier(11, 30, 100)
    start_rate = 200 if first_band_raised else 100
    for band in count():
        first = 31 + 10 * band
        yield Tier(first, first + 9, start_rate + 100 * band)


def _spread(first: int, units: int, tiers: Iterator[Tier] | tuple[Tier, ...]) -> tuple[Line, ...]:
    last = first + units - 1
    lines: list[Line] = []
    for t in tiers:
        if t.first > last:
            break
        lo, hi = max(first, t.first), last if t.last is None else min(last, t.last)
        if lo <= hi:
            lines.append(Line(lo, hi, t.rate))
    return tuple(lines)


def per_page(pages: int) -> Fee:
    """The per-page fee of one application of ``pages`` pages (1–30 free, then 10, 20, 40 yuan)."""
    if pages < 1:
        raise ValueError(f"页数至少为 1，而不是 {pages}")
    return Fee(PAGES, 1, pages, _spread(1, pages, PAGE_TIERS))


def per_item(items: int, counted_before: int = 0, first_band_raised: bool = True) -> Fee:
    """The per-item fee of an application of ``items`` items, after ``counted_before`` items the
    same applicant already filed in the same calendar month (Art. 4: 一个自然月内累计)."""
    if items < 1:
        raise ValueError(f"件数至少为 1，而不是 {items}")
    if counted_before < 0:
        raise ValueError(f"此前累计件数不能为负（{counted_before}）")
    first = counted_before + 1
    return Fee(ITEMS, first, items, _spread(first, items, item_tiers(first_band_raised)))
