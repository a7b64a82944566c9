"""Quoting a request's fee inside a unit of work: the tiers, after the items counted before it.

Shared by the fee service (``gongkai fee``) and the fee notice letter, so both state the same amount.
"""

from __future__ import annotations

from workflow.app import Gongkai
from workflow.domain import quotes
from workflow.domain.quotes import Quote
from workflow.store import models
from workflow.store.unit_of_work import UnitOfWork


def quote_in(app: Gongkai, uow: UnitOfWork, row: models.Request, pages: int | None = None,
             items: int | None = None) -> Quote:
    pages, items = quotes.checked(pages, items)
    before = 0
    if items is not None:
        scope = quotes.item_scope(app.settings.get("fees", "item_count_scope"))
        before = uow.requests.items_before(row, scope)
    return quotes.quote(row.ref, row.applicant_name, row.received_on, pages, items, before,
                        bool(app.settings.get("fees", "item_first_band_raised")))
