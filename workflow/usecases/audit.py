"""``gongkai audit``: who did what, when, to which request: the events, filtered."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import col, select

from workflow.app import Gongkai
from workflow.store import db, history, models
from workflow.store.evidence import facts


def actions(app: Gongkai, officer: str | None = None, ref: str | None = None, since: date | None = None,
            until: date | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    e, r = models.Event, models.Request
    query = select(e, r.ref, r.agency).join(r, col(e.request_id) == col(r.id))
    if app.agency:
        query = query.where(r.agency == app.agency)
    if officer:
        query = query.where(e.officer == officer)
    if ref:
        query = query.where(r.ref == ref)
    if since:
        query = query.where(e.occurred_on >= since)
    if until:
        query = query.where(e.occurred_on <= until)
    query = query.order_by(col(e.recorded_at), col(e.id))
    if limit:
        query = query.limit(limit)
    with db.unit_of_work(app.engine, write=False) as session:
        return [
            {"ref": ref_, "agency": agency, "seq": ev.seq, "action": ev.action, "on": ev.occurred_on.isoformat(),
             "recorded_at": ev.recorded_at.isoformat(), "officer": ev.officer,
             "payload": facts.shown(history.to_domain(ev).payload)}
            for ev, ref_, agency in session.execute(query).all()
        ]
