"""Getting recorded alerts to people: claimed by one sweep, sent outside any transaction, then marked.

Each alert has a delivery per channel and recipient (the JSON-lines log; one e-mail per recipient).
A delivery is *pending* until a sweep claims it (*sending*, with the sweep's token), and *sent* once
the channel accepted it; a failure puts it back to pending with the error and the attempt counted,
so a failing mail server costs one connection timeout and loses nothing.

The deliveries a sweep creates are created already claimed by it, inside the transaction that
records their alerts: no other sweep can see them before that commits, so there is nothing to
claim. Earlier deliveries still pending (failed ones) are claimed with ``UPDATE … WHERE state =
'pending'``, which one sweep wins. Delivery is at least once: a sweep killed between sending and
marking leaves a claim that another sweep takes over after ``CLAIM_EXPIRES``, and sends again.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from rules import alerts as rules
from workflow.alerts.settings import AlertSettings
from workflow.app import Gongkai
from workflow.io.mailer import Digest, send_digests
from workflow.store import bulk, db, models

CLAIM_EXPIRES = timedelta(minutes=10)
PENDING, SENDING, SENT = "pending", "sending", "sent"

# The columns of an alert that ``public`` needs, in the order it takes them.
ALERT_COLUMNS = ("id", "created_on", "agency", "ref", "officer", "kind", "key", "threshold", "due_on",
                 "provisional", "to_supervisors", "action", "message")

# Deliveries as the sender takes them: the alerts (``public``, oldest first) per channel and recipient
# ("" for the log). One list per recipient, not a row per delivery: a day's sweep of a province logs
# 24,000 alerts, and every object made per alert is work for the garbage collector too.
Batch = dict[tuple[str, str], list[dict[str, Any]]]

# Made once: ``json.dumps`` with any option builds a new encoder per call (a log line per alert). An
# alert is a flat dict, so the check for circular references (a dict lookup per line) is not needed.
_JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def public(row: Sequence[Any]) -> dict[str, Any]:
    """An alert as ``--json`` prints it and the log stores it (stable keys, ISO dates), from its
    ``ALERT_COLUMNS`` values."""
    (alert_id, created_on, agency, ref, officer, kind, key, threshold, due_on, provisional, to_supervisors,
     action, message) = row
    return {
        "id": alert_id, "created_on": created_on.isoformat(), "agency": agency, "ref": ref, "officer": officer,
        "kind": kind, "label": rules.KIND_LABELS[kind], "key": key, "threshold": threshold,
        "due": due_on.isoformat(), "provisional": provisional, "overdue": threshold.startswith("overdue-"),
        "to_supervisors": to_supervisors, "action": action, "message": message,
    }


# -- claiming ---------------------------------------------------------------------------------------

def merged(first: Batch, then: Batch) -> Batch:
    """Both batches, per channel and recipient the alerts of ``first`` before those of ``then``."""
    out = {key: list(alerts) for key, alerts in first.items()}
    for key, alerts in then.items():
        out[key] = out.get(key, []) + alerts
    return out


def add_claimed(session: Session, token: str, batch: Batch) -> None:
    """Create the deliveries of alerts recorded in this same transaction, claimed by ``token`` already."""
    bulk.insert_many(session, models.AlertDelivery.__table__,  # type: ignore[attr-defined]
                   ("alert_id", "channel", "recipient"),
                   [(alert["id"], channel, recipient) for (channel, recipient), alerts in batch.items()
                    for alert in alerts],
                   {"state": SENDING, "attempts": 0, "claim": token, "claimed_at": utcnow()})


def claim_pending(session: Session, token: str, agency: str | None) -> Batch:
    """Claim the deliveries left pending (failed) or whose claim expired, with their alerts.

    Call it before ``add_claimed`` in a transaction: it returns every delivery ``token`` holds.
    """
    a, d = models.Alert, models.AlertDelivery
    now = utcnow()
    claimable = or_(col(d.state) == PENDING, and_(col(d.state) == SENDING, col(d.claimed_at) < now - CLAIM_EXPIRES))
    claim = update(d).where(claimable).values(state=SENDING, claim=token, claimed_at=now)
    if agency:
        claim = claim.where(col(d.alert_id).in_(select(a.id).where(a.agency == agency)))
    if not session.execute(claim.execution_options(synchronize_session=False)).rowcount:  # type: ignore[attr-defined]
        return {}  # the usual case: everything earlier went out
    columns = [col(getattr(a, c)) for c in ALERT_COLUMNS]
    batch: Batch = defaultdict(list)
    for channel, recipient, *alert in session.execute(
            select_columns(col(d.channel), col(d.recipient), *columns).join(a, col(d.alert_id) == col(a.id))
            .where(col(d.state) == SENDING, col(d.claim) == token).order_by(col(a.id))):
        batch[channel, recipient].append(public(alert))
    return dict(batch)


# -- sending ----------------------------------------------------------------------------------------

def _write_log(path: Path, alerts: list[dict[str, Any]]) -> str | None:
    """Append one JSON object a line, under a lock so two sweeps never interleave their lines."""
    lines = "".join(_JSON.encode(a) + "\n" for a in alerts)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            try:
                import fcntl

                fcntl.flock(f, fcntl.LOCK_EX)
            except ImportError:  # not POSIX: appends of one write are the best there is
                pass
            f.write(lines)
            f.flush()
            os.fsync(f.fileno())
    except OSError as e:
        return f"cannot append to {path}: {e.strerror or e}"
    return None


def _digest(recipient: str, alerts: list[dict[str, Any]]) -> Digest:
    overdue = sum(1 for a in alerts if a["overdue"])
    subject = f"【政府信息公开】期限提醒{len(alerts)}条" + (f"（其中逾期{overdue}条）" if overdue else "")
    lines = [f"{a['ref'] or a['agency']}　{a['message']}" + (f"（承办人：{a['officer']}）" if a["officer"] else "")
             for a in alerts]
    return Digest(recipient, subject, lines, [a["id"] for a in alerts])


def _send(cfg: AlertSettings, batch: Batch) -> list[tuple[str, str, int, str | None]]:
    """Send what was claimed: (channel, recipient, how many alerts, error or None) per recipient."""
    outcomes: list[tuple[str, str, int, str | None]] = []
    for (channel, recipient), alerts in batch.items():
        if channel == "log":
            error = _write_log(cfg.log, alerts) if cfg.log else "no log file is configured any more (alerts.log)"
            outcomes.append((channel, recipient, len(alerts), error))
    mail = [_digest(r, alerts) for (channel, r), alerts in batch.items() if channel == "mail"]
    if mail:
        errors = send_digests(cfg.mail, mail) if cfg.mail else {
            d.recipient: "e-mail is off (alerts.smtp.host is empty)" for d in mail}
        outcomes += [("mail", d.recipient, len(d.alert_ids), errors.get(d.recipient)) for d in mail]
    return outcomes


@dataclass
class Delivered:
    sent: dict[str, int] = field(default_factory=lambda: {"log": 0, "mail": 0})
    failed: list[dict[str, Any]] = field(default_factory=list)  # channel, recipient, alerts, error
    pending: int = 0  # deliveries still waiting after this attempt


def send_claimed(app: Gongkai, cfg: AlertSettings, token: str, batch: Batch) -> Delivered:
    """Send the deliveries ``token`` holds (outside any transaction), then mark them sent or pending again."""
    outcomes = _send(cfg, batch)
    result = Delivered()
    d = models.AlertDelivery
    mine = update(d).where(col(d.state) == SENDING, col(d.claim) == token).execution_options(
        synchronize_session=False)
    with db.unit_of_work(app.engine) as session:
        for channel, recipient, n, error in outcomes:
            if error is None:
                result.sent[channel] = result.sent.get(channel, 0) + n
                continue
            result.failed.append({"channel": channel, "recipient": recipient, "alerts": n, "error": error})
            session.execute(mine.where(col(d.channel) == channel, col(d.recipient) == recipient)
                            .values(state=PENDING, last_error=error[:1000], claim=None, claimed_at=None,
                                    attempts=col(d.attempts) + 1))
        # Failures are the exception: what this sweep still holds went out, all marked in one statement.
        session.execute(mine.values(state=SENT, sent_at=utcnow(), last_error=None, claim=None,
                                    attempts=col(d.attempts) + 1))
        result.pending = session.execute(select_columns(func.count()).select_from(d)
                                         .where(col(d.state).in_([PENDING, SENDING]))).scalar() or 0
    return result


def new_token() -> str:
    """What marks the deliveries one sweep holds."""
    return uuid.uuid4().hex


def deliver(app: Gongkai, cfg: AlertSettings) -> Delivered:
    """Send every delivery still pending, once: claimed here, sent outside any transaction, then marked."""
    token = new_token()
    with db.unit_of_work(app.engine) as session:
        claimed = claim_pending(session, token, app.agency)
    return send_claimed(app, cfg, token, claimed)
