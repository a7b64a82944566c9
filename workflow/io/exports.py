"""Writing requests out in the columns ``import requests`` reads, so a sheet goes out and comes back.

The columns are read off each request's events, not its cached row: the first correction notice,
the corrected application, the first consultation letter and (once every consultation has replied)
the last reply, the fee notice and payment, the extension, and the conclusion with its outcome.
Exporting and importing into an empty database therefore gives the same table 三. What the columns
cannot hold is left out: delays (Art. 35), notes, and the order of several consultations. Corrections
are read as the replay reads them: an undone action is not exported, nor is a voided request (it is in
no figure of table 三, and a sheet has no column to say it was voided).

Personal data (phone, ID number, address) is never written: an export leaves the office by design.
Cells that a spreadsheet would evaluate as formulas are neutralised by :mod:`workflow.io.tabular`.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from rules import actions as a
from rules.corrections import effective
from workflow.app import Gongkai
from workflow.domain.lifecycle import Event
from workflow.domain.states import VOIDED
from workflow.io import tabular
from workflow.io.import_rows import REQUEST_COLUMNS
from workflow.store import db, files, models

PERSONAL = ("phone", "id_number", "address")
COLUMNS: tuple[str, ...] = tuple(c for c in REQUEST_COLUMNS if c not in PERSONAL)
CONCLUDING = a.CONCLUDING


@dataclass(frozen=True)
class Exported:
    file: str
    requests: int


def export_requests(app: Gongkai, path: Path, chinese_headers: bool = False, force: bool = False) -> Exported:
    """Every request of the agency in scope (all agencies when none is), oldest first, written whole
    (0600, never through a link, over an existing file only with ``force``: ``store.files``)."""
    tabular.check_format(path)
    with files.private_output(path, "FILE", force) as tmp:
        return Exported(str(path), _write(app, tmp, path, chinese_headers))


def _write(app: Gongkai, tmp: Path, path: Path, chinese_headers: bool) -> int:
    header = [REQUEST_COLUMNS[c][0] if chinese_headers else c for c in COLUMNS]
    with db.unit_of_work(app.engine, write=False) as session:
        r, e = models.Request, models.Event
        requests = select(col(r.id), col(r.ref), col(r.agency), col(r.received_on), col(r.channel),
                          col(r.applicant_type), col(r.applicant_name), col(r.subject)
                          ).where(col(r.state) != VOIDED).order_by(col(r.id))
        events = (select(col(e.request_id), col(e.action), col(e.occurred_on), col(e.payload))
                  .join(r, col(r.id) == col(e.request_id)).order_by(col(e.request_id), col(e.seq)))
        if app.agency:
            requests = requests.where(col(r.agency) == app.agency)
            events = events.where(col(r.agency) == app.agency)
        request_rows = session.execute(requests.execution_options(yield_per=5000))
        event_rows = session.execute(events.execution_options(yield_per=5000))
        rows = _rows(request_rows, event_rows)
        return tabular.write(tmp, header, map(labelled, rows) if chinese_headers else rows, sheet_name="requests",
                             like=path)


@functools.cache
def _labels() -> dict[str, dict[str, str]]:
    from rules import outcomes
    from rules.intake.channels import CHANNELS
    from rules.report.layout import APPLICANT_LABELS

    return {"channel": {c.code: c.label for c in CHANNELS.values()}, "applicant_type": dict(APPLICANT_LABELS),
            "outcome": {o.code: o.label for o in outcomes.OUTCOMES.values()}}


def labelled(row: list[tabular.Value]) -> list[tabular.Value]:
    """A row for a sheet with Chinese headers: its codes as their labels (网络, 自然人, 1.本机关不掌握…),
    which ``import requests`` reads back as the codes."""
    labels = _labels()
    return [labels[c].get(v, v) if c in labels and isinstance(v, str) else v for c, v in zip(COLUMNS, row, strict=True)]


def _rows(requests: Any, events: Any) -> Iterator[list[tabular.Value]]:
    """Merge the two id-ordered streams: each request with its own events."""
    grouped = itertools.groupby(events, key=lambda ev: ev[0])
    current = next(grouped, None)
    for request_id, ref, agency, received_on, channel, applicant_type, name, subject in requests:
        while current is not None and current[0] < request_id:
            current = next(grouped, None)
        history = list(current[1]) if current is not None and current[0] == request_id else []
        fields = {"ref": ref, "agency": agency, "received_on": received_on, "channel": channel,
                  "applicant_type": applicant_type, "applicant_name": name, "subject": subject,
                  **columns_of(_in_effect([(a, on, json.loads(p)) for _, a, on, p in history]))}
        yield [fields.get(c) for c in COLUMNS]


def _in_effect(events: list[tuple[str, date, dict[str, Any]]]) -> list[tuple[str, date, dict[str, Any]]]:
    """Without the undos and the actions they revoked (``rules.corrections``)."""
    if all(ev[0] != a.UNDO for ev in events):
        return events
    return [(e.action, e.on, dict(e.payload)) for e in effective([Event(*ev) for ev in events])]


def columns_of(events: Sequence[tuple[str, date, dict[str, Any]]]) -> dict[str, tabular.Value]:
    """The event columns of one request, from its history (action, date, payload) in order."""
    def first(action: str) -> tuple[str, date, dict[str, Any]] | None:
        return next((ev for ev in events if ev[0] == action), None)

    out: dict[str, tabular.Value] = {}
    if rc := first(a.REQUEST_CORRECTION):
        out["correction_requested_on"], out["correction_period"] = rc[1], int(rc[2].get("period", 0)) or None
    if got := first(a.RECEIVE_CORRECTION):
        out["corrected_on"] = got[1]
    consults = [ev for ev in events if ev[0] == a.CONSULT]
    replies = [ev for ev in events if ev[0] == a.CONSULT_REPLY]
    if consults:
        out["consultation_sent_on"] = consults[0][1]
        if len(replies) >= len(consults):
            out["consultation_replied_on"] = replies[-1][1]
    if fee := first(a.NOTIFY_FEE):
        out["fee_notified_on"], out["fee_amount"] = fee[1], str(fee[2].get("amount", ""))
    if paid := first(a.FEE_PAID):
        out["fee_paid_on"] = paid[1]
    if ext := first(a.EXTEND):
        out["extended_days"], out["extension_approved_by"] = int(ext[2]["days"]), str(ext[2].get("approved_by", ""))
        out["extended_on"] = ext[1]
    end = next((ev for ev in reversed(events) if ev[0] in CONCLUDING), None)
    if end is not None:
        out["outcome"] = a.OUTCOME_OF_ACTION.get(end[0]) or str(end[2]["outcome"])
        out["concluded_on"] = end[1]
    return out
