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

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from rules import actions as a
from workflow.app import Gongkai
from workflow.domain.commands import Advance
from workflow.domain.errors import InvalidInput
from workflow.store import db
from workflow.usecases import notices
from workflow.usecases.quoting import quote_in
from workflow.usecases.requests import advance_in


def quote(app: Gongkai, ref: str, pages: int | None = None, items: int | None = None) -> dict[str, Any]:
    """``gongkai fee REF --pages N | --items N``: the fee by the official tiers (nothing is written)."""
    with app.unit_of_work(write=False) as uow:
        case = uow.requests.get(ref, app.agency)
        return quote_in(app, uow, uow.requests.row(case), pages, items).as_dict()


def notify(app: Gongkai, ref: str, on: date, pages: int | None = None, items: int | None = None,
           out: Path | None = None, fmt: str | None = None) -> dict[str, Any]:
    """Record the fee notice (``notify-fee``) with the amount the tiers give, and write the letter to
    ``out`` if given: one unit of work, so the event and the letter carry the same amount."""
    with app.unit_of_work() as uow:
        case = uow.requests.get(ref, app.agency)
        q = quote_in(app, uow, uow.requests.row(case), pages, items)
        if q.fee.total == 0:
            raise InvalidInput("--notify", f"{ref} 不收费（{q.fee.standard()}），无需发出收费通知")
        payload: dict[str, Any] = {"amount": str(q.fee.total)}
        payload.update({"pages": str(pages)} if pages is not None else {"items": str(items)})
        case = advance_in(app, uow, Advance(ref=ref, action=a.NOTIFY_FEE, on=on, payload=payload))
        rendered = notices.record_in(app, uow, case, "fee", out, fmt) if out is not None else None
        uow.commit()
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
