"""A fee quote: what one request costs by the official tiers, given what was counted before it.

The tiers are ``rules.fees``; what a quote adds is the request it is for and, per item, how many items
the same applicant filed earlier in the month (found by the repository, ``items_before``). The fee
service quotes and notifies with it; the fee notice letter states it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rules import fees, letters
from workflow.domain.errors import InvalidInput

SCOPES = ("agency", "all")


@dataclass(frozen=True)
class Quote:
    ref: str
    applicant: str
    fee: fees.Fee
    month: str | None  # per item: the calendar month counted, YYYY-MM

    @property
    def counted_before(self) -> int:
        return self.fee.first - 1

    def as_dict(self) -> dict[str, Any]:
        f = self.fee
        return {
            "ref": self.ref, "applicant": self.applicant, "method": f.method,
            "method_label": fees.METHOD_LABELS[f.method], "units": f.units, "first": f.first, "last": f.last,
            "month": self.month, "counted_before": self.counted_before if f.method == fees.ITEMS else None,
            "lines": [{"first": ln.first, "last": ln.last, "units": ln.units, "rate": ln.rate, "amount": ln.amount}
                      for ln in f.lines],
            "total": f.total, "standard": f.standard(), "arithmetic": f.arithmetic(),
            "basis": letters.fee_basis(f.method),
        }


def items_recorded(payload: dict[str, Any]) -> int | None:
    """The item count a notify-fee event recorded (``--items N``), if it is a number."""
    text = str(payload.get("items", "")).strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


def checked(pages: int | None, items: int | None) -> tuple[int | None, int | None]:
    if (pages is None) == (items is None):
        raise InvalidInput("--pages/--items", "须给出 --pages N 或 --items N 之一：一件申请只按一种方式"
                                              "收费，不能同时按页和按件（国办函〔2020〕109号第三条）")
    if pages is not None and not 1 <= pages <= 10_000_000:
        raise InvalidInput("--pages", f"{pages} 超出范围，应为 1 到 10000000")
    if items is not None and not 1 <= items <= 10_000:
        raise InvalidInput("--items", f"{items} 超出范围，应为 1 到 10000")
    return pages, items


def item_scope(value: object) -> str:
    """The setting ``fees.item_count_scope``: whether other agencies' requests count."""
    scope = str(value)
    if scope not in SCOPES:
        raise InvalidInput("fees.item_count_scope", f"{scope!r} 不是可用的范围；可用：agency 或 all")
    return scope


def quote(ref: str, applicant: str, received_on: date, pages: int | None, items: int | None,
          before: int, first_band_raised: bool) -> Quote:
    """The quote for ``pages`` (priced alone) or ``items`` (after ``before`` items of the month)."""
    pages, items = checked(pages, items)
    if pages is not None:
        return Quote(ref, applicant, fees.per_page(pages), None)
    assert items is not None
    return Quote(ref, applicant, fees.per_item(items, before, first_band_raised), received_on.strftime("%Y-%m"))
