"""The fee service: what a request costs, the fee notice recorded with it, and the fees paid in a year.

Per page (按量计收) a request is priced on its own. Per item (按件计收) it is priced after every item
the same applicant filed earlier in the same calendar month (国办函〔2020〕109号 Art. 4,
「同一申请人一个自然月内累计」): the month is the month of the request's receipt date, "earlier" is an
earlier receipt date (or the same date, registered before), and an earlier request counts as the
items recorded with its fee notice (``notify-fee --items N``), otherwise as one item. The same
applicant is the same name, with the same ID number where both requests have one. Whether requests to
other agencies count is the setting ``fees.item_count_scope`` (default: this agency only).

Example: 张三's requests of March 2026 were received on 03-02 (fee notice for 12 items), 03-05
and 03-09; a quote for the 03-09 request of 3 items places them at 14–16 (12 + 1 before it):
3 × 100 = 300 yuan.

The fees actually paid in a year (section 六 of the annual report) are the notify-fee amounts of
the requests whose ``fee-paid`` event is dated in that year: ``fees_paid(app, 2026)``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from rules import fees, letters
from workflow.app import Gongkai
from workflow.domain.errors import InvalidInput
from workflow.store import db, history, models


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


def _month(d: date) -> tuple[date, date]:
    start = d.replace(day=1)
    end = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return start, end


def counted_before(session: Session, row: models.Request, scope: str = "agency") -> int:
    """Items the same applicant filed earlier in the calendar month of ``row``'s receipt."""
    r = models.Request
    start, end = _month(row.received_on)
    query = select(r).where(r.applicant_name == row.applicant_name, col(r.received_on) >= start,
                            col(r.received_on) < end, col(r.id) != row.id)
    if scope == "agency":
        query = query.where(r.agency == row.agency)
    assert row.id is not None
    earlier = [
        other for other in session.execute(query).scalars()
        if (other.received_on, other.id or 0) < (row.received_on, row.id)
        and not (other.id_number and row.id_number and other.id_number != row.id_number)
    ]
    if not earlier:
        return 0
    notices = session.execute(
        select(models.Event).where(col(models.Event.request_id).in_([o.id for o in earlier]),
                                   models.Event.action == "notify-fee")
    ).scalars()
    recorded = {e.request_id: items_recorded(json.loads(e.payload)) for e in notices}
    return sum(recorded.get(o.id) or 1 for o in earlier)


def _checked(pages: int | None, items: int | None) -> tuple[int | None, int | None]:
    if (pages is None) == (items is None):
        raise InvalidInput("--pages/--items", "give one of --pages N or --items N: a request is charged by "
                                              "one method, never both (国办函〔2020〕109号第三条)")
    if pages is not None and not 1 <= pages <= 10_000_000:
        raise InvalidInput("--pages", f"{pages} is out of range; expected 1 to 10000000")
    if items is not None and not 1 <= items <= 10_000:
        raise InvalidInput("--items", f"{items} is out of range; expected 1 to 10000")
    return pages, items


def quote_in(app: Gongkai, session: Session, row: models.Request, pages: int | None = None,
             items: int | None = None) -> Quote:
    pages, items = _checked(pages, items)
    if pages is not None:
        return Quote(row.ref, row.applicant_name, fees.per_page(pages), None)
    assert items is not None
    scope = str(app.settings.get("fees", "item_count_scope"))
    if scope not in ("agency", "all"):
        raise InvalidInput("fees.item_count_scope", f"{scope!r} is not a scope; expected agency or all")
    before = counted_before(session, row, scope)
    fee = fees.per_item(items, before, bool(app.settings.get("fees", "item_first_band_raised")))
    return Quote(row.ref, row.applicant_name, fee, row.received_on.strftime("%Y-%m"))


def quote(app: Gongkai, ref: str, pages: int | None = None, items: int | None = None) -> dict[str, Any]:
    """``gongkai fee REF --pages N | --items N``: the fee by the official tiers (nothing is written)."""
    with db.unit_of_work(app.engine, write=False) as session:
        row = history.find(session, app.agency, ref)
        return quote_in(app, session, row, pages, items).as_dict()


def notify(app: Gongkai, ref: str, on: date, pages: int | None = None, items: int | None = None,
           out: Path | None = None, fmt: str | None = None) -> dict[str, Any]:
    """Record the fee notice (``notify-fee``) with the amount the tiers give, and write the letter to
    ``out`` if given: one unit of work, so the event and the letter carry the same amount."""
    from workflow.domain.commands import Advance
    from workflow.usecases import notices
    from workflow.usecases import requests as services

    def work(session: Session) -> tuple[Quote, notices.Rendered | None]:
        row = history.find(session, app.agency, ref)
        q = quote_in(app, session, row, pages, items)
        if q.fee.total == 0:
            raise InvalidInput("--notify", f"{ref} costs nothing ({q.fee.standard()}): there is no fee to notify")
        payload: dict[str, Any] = {"amount": str(q.fee.total)}
        payload.update({"pages": str(pages)} if pages is not None else {"items": str(items)})
        case = services.advance_in(app, session, Advance(ref=ref, action="notify-fee", on=on, payload=payload))
        rendered = notices.record_in(app, session, row, case, "fee", out, fmt) if out is not None else None
        return q, rendered

    q, rendered = notices.in_one_unit(app, ref, work)
    return {**q.as_dict(), "notified_on": on.isoformat(), "notice": rendered.summary() if rendered else None}


def fees_paid(app: Gongkai, year: int, agency: str | None = None) -> tuple[int, Decimal]:
    """How many requests paid a fee in ``year`` and the total in yuan (annual report, section 六).

    A fee counts in the year of its ``fee-paid`` event, with the amount of the request's fee notice;
    the report's own computation is the one definition. ``agency`` None means the app's agency, or
    every agency when the app is not confined to one.
    """
    from workflow.reports import compute as report

    scope = report.Scope(year, agency or app.agency or report.ALL, app.today)
    with db.unit_of_work(app.engine, write=False) as session:
        paid = report.fees(session, scope)
    return int(paid["requests"]), Decimal(paid["amount"])
