"""Counting working days around pauses of the reply clock (条例第三十三条第三款).

While a third party or another agency is consulted (and, if the settings say so, while a fee notice
is unpaid), the working days from the day after the letter through the day the answer arrives are
not counted; overlapping pauses pause once. A pause that begins after the day the count would reach
without it moves nothing: an expired deadline stays expired, whatever is recorded after it.

Example: 20 working days from Monday 2026-03-02 with a pause (03-03, 03-24] end on 2026-04-21: one
working day before the pause (03-03), fifteen inside it, nineteen after it (03-25 … 04-21, the
Qingming holiday 04-04 … 04-06 skipped).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rules.calendar import WorkCalendar


@dataclass(frozen=True)
class Pause:
    start: date  # the letter or notice; the pause covers (start, end]
    end: date
    reason: str
    open: bool



def _merge(pauses: Sequence[Pause]) -> list[tuple[date, date]]:
    merged: list[list[date]] = []
    for p in sorted(pauses, key=lambda p: (p.start, p.end)):
        if merged and p.start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], p.end)
        else:
            merged.append([p.start, p.end])
    return [(a, b) for a, b in merged]


def count_with_pauses(
    cal: WorkCalendar, day0: date, n: int, pauses: Sequence[Pause]
) -> tuple[date, int, bool]:
    """The n-th unpaused working day after day0, the paused working days skipped, and provisional."""
    cursor, remaining, skipped = day0, n, 0
    provisional = False
    for start, end in _merge(pauses):
        if end <= cursor:
            continue
        if start > cursor:
            available = cal.between(cursor, start)
            if available >= remaining:
                break
            remaining -= available
            provisional = provisional or bool(cal.provisional_between(cursor, start))
            cursor = start
        skipped += cal.between(cursor, end)
        provisional = provisional or bool(cal.provisional_between(cursor, end))
        cursor = end
    shifted = cal.add(cursor, remaining)
    return shifted.date, skipped, provisional or shifted.provisional
