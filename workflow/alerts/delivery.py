"""Getting recorded alerts to people: claimed by one sweep, sent outside any transaction, then marked.

Each alert has a delivery per channel and recipient (the JSON-lines log; one e-mail per recipient).
A delivery is *pending* until a sweep claims it (*sending*, with the sweep's token), and *sent* once
the channel accepted it; a failure puts it back to pending with the error and the attempt counted,
so a failing mail server costs one connection timeout and loses nothing.

The deliveries a sweep creates are created already claimed by it, inside the transaction that
records their alerts: no other sweep can see them before that commits, so there is nothing to
claim. Earlier deliveries still pending (failed ones) are claimed with ``UPDATE … WHERE state =
'pending'``, which one sweep wins. A sweep killed between sending and marking leaves a claim that
another sweep takes over after ``CLAIM_EXPIRES``. What it sends again depends on the channel: the
log is exactly once (each line carries the alert's id, and an alert taken over is looked for in the
log before it is written); e-mail is at least once, the copy carrying the same Message-ID
(``io.mailer.message_id``) so that the recipient's server or client can drop it.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import and_, func, or_, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from rules import alerts as rules
from workflow.alerts.settings import AlertSettings
from workflow.app import Gongkai
from workflow.io.mailer import Digest, send_digests
from workflow.store import bulk, db, files, models

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

def _identity(alert: dict[str, Any]) -> tuple[Any, ...]:
    """What makes a log line the line of this alert: its id and what it is about (after a restore an
    id may be given again to another alert, which must still be logged)."""
    return alert.get("id"), alert.get("ref"), alert.get("kind"), alert.get("key"), alert.get("threshold"), alert.get("due")


def _logged_lines_backwards(f: BinaryIO, chunk: int = 1 << 16) -> Iterator[dict[str, Any]]:
    """The complete lines of the log, last first, parsed (a line cut short by a kill is skipped)."""
    end = f.seek(0, os.SEEK_END)
    rest = b""
    while end > 0:
        start = max(0, end - chunk)
        f.seek(start)
        lines = (f.read(end - start) + rest).split(b"\n")
        rest, end = lines[0], start
        for line in reversed(lines[1:]):
            with suppress(ValueError):
                if line:
                    yield json.loads(line)
    with suppress(ValueError):
        if rest:
            yield json.loads(rest)


def already_logged(f: BinaryIO, alerts: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    """Which of ``alerts`` have a line in the log already, reading back only as far as they could be:
    a line is never older than the day before its alert was raised (``created_on``)."""
    wanted = {_identity(a) for a in alerts}
    oldest = min(date.fromisoformat(str(a["created_on"])[:10]) for a in alerts)
    cutoff = (oldest - timedelta(days=1)).isoformat()
    found: set[tuple[Any, ...]] = set()
    for line in _logged_lines_backwards(f):
        if not isinstance(line, dict):
            continue
        if str(line.get("logged_at", "9999"))[:10] < cutoff:  # lines before gongkai logged the time are read
            break
        key = _identity(line)
        if key in wanted:
            found.add(key)
            if found == wanted:
                break
    return found


def _write_log(path: Path, alerts: list[dict[str, Any]], retried: list[dict[str, Any]] | None = None) -> str | None:
    """Append one JSON object a line, each alert once, under a lock so two sweeps never interleave.

    An alert taken over from a sweep killed after it wrote but before it recorded the delivery
    (``retried``) is looked for in the log first and not written again. A line cut short by a kill
    is ended before anything is appended, so every later line is whole."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), files.PRIVATE)
        files.make_private(path)  # a log created looser by hand or by an older gongkai
        with os.fdopen(fd, "r+b") as f:
            try:
                import fcntl

                fcntl.flock(f, fcntl.LOCK_EX)
            except ImportError:  # not POSIX: appends of one write are the best there is
                pass
            done = already_logged(f, retried) if retried else set()
            stamp = {"logged_at": utcnow().isoformat()}
            lines = "".join(_JSON.encode(a | stamp) + "\n" for a in alerts if _identity(a) not in done)
            end = f.seek(0, os.SEEK_END)
            if end and (f.seek(end - 1), f.read(1))[1] != b"\n":
                lines = "\n" + lines  # the rest of a line cut short: it stays unparsable, alone
            f.write(lines.encode())
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


def _send(cfg: AlertSettings, batch: Batch, retried: Batch | None = None) -> list[tuple[str, str, int, str | None]]:
    """Send what was claimed: (channel, recipient, how many alerts, error or None) per recipient.
    ``retried``: the part of ``batch`` taken over from earlier sweeps (all of it when None)."""
    outcomes: list[tuple[str, str, int, str | None]] = []
    for (channel, recipient), alerts in batch.items():
        if channel == "log":
            again = alerts if retried is None else retried.get((channel, recipient), [])
            error = _write_log(cfg.log, alerts, again) if cfg.log else "no log file is configured any more (alerts.log)"
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


def send_claimed(app: Gongkai, cfg: AlertSettings, token: str, batch: Batch, retried: Batch | None = None) -> Delivered:
    """Send the deliveries ``token`` holds (outside any transaction), then mark them sent or pending
    again. ``retried``: those taken over from earlier sweeps, which may have been logged already
    (None: all of them; the deliveries a sweep has just created cannot have been)."""
    outcomes = _send(cfg, batch, retried)
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
