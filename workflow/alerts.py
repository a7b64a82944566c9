"""The alert sweep: every deadline that reached a threshold today, recorded once, then delivered.

A sweep is idempotent, so cron, the scheduler, a restart or a second scheduler on the same database
may run it as often as they like:

1. One unit of work reads the deadline rows due within the horizon (today + 5 working days), joined
   to their request: one indexed query returning plain tuples, whatever the number of open requests.
   ``rules.alerts`` gives each row its threshold. The alerts are inserted with ON CONFLICT DO NOTHING
   on their unique key (scope, kind, key, threshold, due date): what any sweep recorded before is
   skipped, and only the rows this sweep inserted come back, with their deliveries (the JSON-lines
   log, one e-mail per recipient).
2. Every delivery still pending (this sweep's, and earlier ones that failed) is claimed by exactly
   one sweep (``UPDATE … WHERE state = 'pending'``), sent outside any transaction, and marked sent,
   or put back as pending with the error and the attempt counted. A failing mail server costs one
   connection timeout and loses nothing; the next sweep or retry tries again.

Delivery is at least once: a sweep killed between sending and marking leaves a claim that another
sweep takes over after ``CLAIM_EXPIRES``, and sends again.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_, text, update
from sqlalchemy import select as select_columns
from sqlalchemy.dialects import sqlite
from sqlmodel import Session, col, select

from rules import alerts as rules
from rules.calendar import CalendarUnavailable
from workflow import db, models
from workflow.errors import CalendarMissing, InvalidInput
from workflow.lifecycle import CONCLUDED, RECEIVED
from workflow.mailer import Digest, MailSettings, send_digests
from workflow.services import Gongkai
from workflow.settings import Settings, config_dir

CLAIM_EXPIRES = timedelta(minutes=10)
PENDING, SENDING, SENT = "pending", "sending", "sent"


@dataclass(frozen=True)
class AlertSettings:
    """The [alerts] section of the configuration, checked."""

    thresholds: rules.Thresholds = rules.Thresholds()
    carry_over_from: tuple[int, int] = (12, 15)
    annual_report_from: tuple[int, int] = (1, 1)
    log: Path | None = None
    officers: Mapping[str, str] = field(default_factory=dict)
    supervisors: Mapping[str, str] = field(default_factory=dict)
    mail: MailSettings | None = None
    daily_at: tuple[int, int] = (7, 30)
    timezone: str = "Asia/Shanghai"
    retry_minutes: int = 15


def _month_day(name: str, text: Any) -> tuple[int, int]:
    try:
        month, day = (int(p) for p in str(text).split("-"))
        date(2001, month, day)
    except ValueError:
        raise InvalidInput(f"alerts.{name}", f"{text!r} is not a day of the year; expected MM-DD, e.g. 12-15") from None
    return month, day


def _clock(text: Any) -> tuple[int, int]:
    try:
        hour, minute = (int(p) for p in str(text).split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise InvalidInput("alerts.daily_at", f"{text!r} is not a time of day; expected HH:MM, e.g. 07:30") from None
    return hour, minute


def _addresses(name: str, table: Any) -> dict[str, str]:
    if not isinstance(table, Mapping) or not all(isinstance(v, str) and "@" in v for v in table.values()):
        raise InvalidInput(f"alerts.{name}", 'expected lines like "李明" = "liming@example.gov.cn"')
    return {str(k): str(v) for k, v in table.items()}


def alert_settings(settings: Settings) -> AlertSettings:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    a = settings.data.get("alerts", {})
    try:
        before = tuple(sorted({int(n) for n in a.get("before", [5, 2])}, reverse=True))
        thresholds = rules.Thresholds(before, bool(a.get("on_the_day", True)), bool(a.get("overdue_daily", True)))
        retry = int(a.get("retry_minutes", 15))
    except (TypeError, ValueError) as e:
        raise InvalidInput("alerts.before", f"expected a list of working days like [5, 2] ({e})") from None
    if retry < 1:
        raise InvalidInput("alerts.retry_minutes", f"{retry} is too small; expected 1 minute or more")
    timezone = str(a.get("timezone", "Asia/Shanghai"))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("alerts.timezone", f"{timezone!r} is not a time zone; e.g. Asia/Shanghai") from None
    log = str(a.get("log", "")).strip()
    log_path = Path(log).expanduser() if log else None
    if log_path is not None and not log_path.is_absolute():
        log_path = config_dir() / log_path
    return AlertSettings(
        thresholds, _month_day("carry_over_from", a.get("carry_over_from", "12-15")),
        _month_day("annual_report_from", a.get("annual_report_from", "01-01")), log_path,
        _addresses("officers", a.get("officers", {})), _addresses("supervisors", a.get("supervisors", {})),
        MailSettings.from_config(a.get("smtp", {})), _clock(a.get("daily_at", "07:30")), timezone, retry,
    )


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


# -- what is due: the alerts of one day -------------------------------------------------------------

def _alert(scope: str, agency: str, kind: str, key: str, c: rules.Crossing, due: date, today: date,
           message: str, **extra: Any) -> dict[str, Any]:
    return {"scope": scope, "agency": agency, "kind": kind, "key": key, "threshold": c.threshold,
            "due_on": due, "message": message, "created_on": today, "request_id": None, "ref": None,
            "officer": "", "provisional": False, "to_supervisors": False, "action": None, **extra}


def _deadline_alerts(session: Session, app: Gongkai, cfg: AlertSettings) -> list[dict[str, Any]]:
    cal, today, th = app.settings.calendar, app.today, cfg.thresholds
    horizon = cal.add(today, th.horizon).date if th.horizon else today
    d, r = models.Deadline, models.Request
    columns = (d.request_id, d.kind, d.key, d.due_on, d.provisional, r.ref, r.agency, r.officer)
    query = (select_columns(*[col(c) for c in columns])
             .join(r, col(d.request_id) == col(r.id)).where(col(d.due_on) <= horizon)
             # a correction can be asked for only while the request is plainly received (条例第三十条)
             .where(or_(col(d.kind) != "correction_notice", col(r.state) == RECEIVED)))
    if app.agency:
        query = query.where(col(r.agency) == app.agency)
    memo: dict[tuple[str, date, bool], tuple[rules.Crossing, str] | None] = {}
    out = []
    for request_id, kind, key, due, provisional, ref, agency, officer in session.execute(query):
        if (kind, due, provisional) not in memo:
            c = rules.crossing(due, today, cal, th, can_be_overdue=kind not in rules.NEVER_OVERDUE)
            memo[kind, due, provisional] = (c, rules.message(kind, due, today, c, provisional)) if c else None
        found = memo[kind, due, provisional]
        if found is None:
            continue
        c, text = found
        out.append(_alert(f"request:{request_id}", agency, kind, key, c, due, today, text, request_id=request_id,
                          ref=ref, officer=officer, provisional=provisional, to_supervisors=c.overdue,
                          action=rules.suggestion(kind, c)[0]))
    return out


def _year_alerts(session: Session, app: Gongkai, cfg: AlertSettings) -> list[dict[str, Any]]:
    cal, today, th, r = app.settings.calendar, app.today, cfg.thresholds, models.Request
    out = []
    co = rules.carry_over(today, cal, th, cfg.carry_over_from)
    if co:
        query = select(r.agency, r.officer, func.count()).where(r.state != CONCLUDED).group_by(r.agency, r.officer)
        if app.agency:
            query = query.where(r.agency == app.agency)
        for agency, officer, n in session.execute(query):
            text = rules.carry_over_message(co.year, co.due, today, co.crossing, n)
            out.append(_alert(f"carry-over:{agency}:{officer}", agency, co.kind, str(co.year), co.crossing,
                              co.due, today, text, officer=officer))
    ar = rules.annual_report(today, cal, th, cfg.annual_report_from)
    if ar:
        agencies = select(r.agency).distinct().where(r.received_on <= date(ar.year, 12, 31))
        if app.agency:
            agencies = agencies.where(r.agency == app.agency)
        closed = set(session.execute(select(models.ClosedYear.agency).where(models.ClosedYear.year == ar.year))
                     .scalars())
        text = rules.annual_report_message(ar.year, ar.due, today, ar.crossing)
        for agency in session.execute(agencies).scalars():
            if "*" not in closed and agency not in closed:
                out.append(_alert(f"annual-report:{agency}", agency, ar.kind, str(ar.year), ar.crossing, ar.due,
                                  today, text, to_supervisors=True))
    return out


# -- recording them once ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Directory:
    """Who gets e-mail: the configured addresses, then the officers registered with one."""

    officers: Mapping[str, str]
    supervisors: Mapping[str, Sequence[str]]  # agency -> addresses; "*" for every agency

    def addresses(self, officer: str, agency: str, to_supervisors: bool) -> list[str]:
        found = [self.officers[officer]] if officer in self.officers else []
        if to_supervisors:
            found += [*self.supervisors.get("*", ()), *self.supervisors.get(agency, ())]
        return list(dict.fromkeys(found))


def directory(session: Session, cfg: AlertSettings) -> Directory:
    o = models.Officer
    officers: dict[str, str] = {}
    supervisors: dict[str, list[str]] = defaultdict(list)
    for name, agency, role, email in session.execute(select(o.name, o.agency, o.role, o.email)
                                                     .where(col(o.email).is_not(None))):
        officers[name] = email
        if role == "supervisor":
            supervisors[agency].append(email)
    officers.update(cfg.officers)
    supervisors["*"] = list(cfg.supervisors.values())
    return Directory(officers, supervisors)


def _bulk_insert(session: Session, table: Any, rows: list[dict[str, Any]], returning: Sequence[str] = (),
                 skip_existing: bool = True) -> list[Any]:
    """Insert many rows (skipping those whose unique key exists); the ``returning`` columns of those inserted.

    PostgreSQL gets one ``INSERT … SELECT FROM unnest(arrays)``: psycopg spends longer parsing a
    thousand-row VALUES list than the server spends inserting it. SQLite gets a batched executemany.
    """
    if not rows:
        return []
    dialect = session.get_bind().dialect
    if dialect.name != "postgresql":
        stmt = sqlite.insert(table).on_conflict_do_nothing() if skip_existing else sqlite.insert(table)
        if returning:
            return list(session.execute(stmt.returning(*[table.c[n] for n in returning]), rows))
        session.execute(stmt, rows)
        return []
    names = list(rows[0])
    arrays = ", ".join(f"CAST(:{n} AS {table.c[n].type.compile(dialect=dialect)}[])" for n in names)
    quoted = ", ".join(f'"{n}"' for n in names)
    sql = f"INSERT INTO {table.name} ({quoted}) SELECT * FROM unnest({arrays})"
    if skip_existing:
        sql += " ON CONFLICT DO NOTHING"
    if returning:
        sql += " RETURNING " + ", ".join(f'"{n}"' for n in returning)
    result = session.execute(text(sql), {n: [row[n] for row in rows] for n in names})
    return list(result) if returning else []


def _insert_new(session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert the alerts not recorded yet; the rows actually inserted, with their ids."""
    table = models.Alert.__table__  # type: ignore[attr-defined]  # Core, not the ORM: no per-row bookkeeping
    returned = _bulk_insert(session, table, rows, ("id", "scope", "kind", "key", "threshold", "due_on"))
    inserted = {tuple(k): i for i, *k in returned}
    out = []
    for row in rows:
        new_id = inserted.get((row["scope"], row["kind"], row["key"], row["threshold"], row["due_on"]))
        if new_id is not None:
            out.append({"id": new_id, **row})
    return out


def _delivery(alert_id: int, channel: str, recipient: str) -> dict[str, Any]:
    return {"alert_id": alert_id, "channel": channel, "recipient": recipient, "state": PENDING, "attempts": 0,
            "last_error": None, "claim": None, "claimed_at": None, "sent_at": None}


def _record(session: Session, cfg: AlertSettings, rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    now = _utcnow()
    new = _insert_new(session, [{**row, "created_at": now} for row in rows])
    deliveries, unaddressed = [], set()
    book = directory(session, cfg) if cfg.mail and new else None
    for alert in new:
        if cfg.log:
            deliveries.append(_delivery(alert["id"], "log", ""))
        if book is not None:
            to = book.addresses(alert["officer"], alert["agency"], alert["to_supervisors"])
            if alert["officer"] and alert["officer"] not in book.officers:
                unaddressed.add(alert["officer"])
            deliveries += [_delivery(alert["id"], "mail", r) for r in to]
    _bulk_insert(session, models.AlertDelivery.__table__, deliveries, skip_existing=False)  # type: ignore[attr-defined]
    return new, sorted(unaddressed)


# -- delivering them --------------------------------------------------------------------------------

@dataclass
class Delivered:
    sent: dict[str, int] = field(default_factory=lambda: {"log": 0, "mail": 0})
    failed: list[dict[str, Any]] = field(default_factory=list)  # channel, recipient, alerts, error
    pending: int = 0  # deliveries still waiting after this attempt


ALERT_COLUMNS = ("id", "created_on", "agency", "ref", "officer", "kind", "key", "threshold", "due_on",
                 "provisional", "to_supervisors", "action", "message")


def public(row: Mapping[str, Any]) -> dict[str, Any]:
    """An alert as ``--json`` prints it (stable keys, ISO dates)."""
    return {
        "id": row["id"], "created_on": row["created_on"].isoformat(), "agency": row["agency"], "ref": row["ref"],
        "officer": row["officer"], "kind": row["kind"], "label": rules.KIND_LABELS[row["kind"]], "key": row["key"],
        "threshold": row["threshold"], "due": row["due_on"].isoformat(), "provisional": row["provisional"],
        "overdue": row["threshold"].startswith("overdue-"), "to_supervisors": row["to_supervisors"],
        "action": row["action"], "message": row["message"],
    }


def _claim(app: Gongkai, token: str) -> list[tuple[str, str, dict[str, Any]]]:
    a, d = models.Alert, models.AlertDelivery
    now = _utcnow()
    claimable = or_(col(d.state) == PENDING, and_(col(d.state) == SENDING, col(d.claimed_at) < now - CLAIM_EXPIRES))
    claim = update(d).where(claimable).values(state=SENDING, claim=token, claimed_at=now)
    if app.agency:
        claim = claim.where(col(d.alert_id).in_(select(a.id).where(a.agency == app.agency)))
    columns = [col(getattr(a, c)) for c in ALERT_COLUMNS]
    with db.unit_of_work(app.engine) as session:
        session.execute(claim.execution_options(synchronize_session=False))
        rows = session.execute(select(d.channel, d.recipient, *columns).join(a, col(d.alert_id) == col(a.id))
                               .where(d.state == SENDING, d.claim == token).order_by(col(a.id))).all()
    return [(channel, recipient, dict(zip(ALERT_COLUMNS, rest, strict=True))) for channel, recipient, *rest in rows]


def _write_log(path: Path, alerts: list[dict[str, Any]]) -> str | None:
    """Append one JSON object a line, under a lock so two sweeps never interleave their lines."""
    lines = "".join(json.dumps(public(a), ensure_ascii=False) + "\n" for a in alerts)
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
    overdue = sum(1 for a in alerts if a["threshold"].startswith("overdue-"))
    subject = f"【政府信息公开】期限提醒{len(alerts)}条" + (f"（其中逾期{overdue}条）" if overdue else "")
    lines = [f"{a['ref'] or a['agency']}　{a['message']}" + (f"（承办人：{a['officer']}）" if a["officer"] else "")
             for a in alerts]
    return Digest(recipient, subject, lines, [a["id"] for a in alerts])


def _send(cfg: AlertSettings, claimed: list[tuple[str, str, dict[str, Any]]]) -> list[tuple[str, str, int, str | None]]:
    """Send what was claimed: (channel, recipient, how many alerts, error or None) per group."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for channel, recipient, alert in claimed:
        groups[channel, recipient].append(alert)
    outcomes: list[tuple[str, str, int, str | None]] = []
    for (channel, recipient), alerts in groups.items():
        if channel == "log":
            error = _write_log(cfg.log, alerts) if cfg.log else "no log file is configured any more (alerts.log)"
            outcomes.append((channel, recipient, len(alerts), error))
    mail = [_digest(r, alerts) for (channel, r), alerts in groups.items() if channel == "mail"]
    if mail:
        errors = send_digests(cfg.mail, mail) if cfg.mail else {
            d.recipient: "e-mail is off (alerts.smtp.host is empty)" for d in mail}
        outcomes += [("mail", d.recipient, len(d.alert_ids), errors.get(d.recipient)) for d in mail]
    return outcomes


def deliver(app: Gongkai, cfg: AlertSettings | None = None) -> Delivered:
    """Send every pending delivery once: claimed here, sent outside any transaction, then marked."""
    cfg = cfg or alert_settings(app.settings)
    token = uuid.uuid4().hex
    result = Delivered()
    outcomes = _send(cfg, _claim(app, token))
    d = models.AlertDelivery
    with db.unit_of_work(app.engine) as session:
        for channel, recipient, n, error in outcomes:
            mine = update(d).where(col(d.state) == SENDING, col(d.claim) == token, col(d.channel) == channel,
                                   col(d.recipient) == recipient)
            if error is None:
                values: dict[str, Any] = {"state": SENT, "sent_at": _utcnow(), "last_error": None}
                result.sent[channel] = result.sent.get(channel, 0) + n
            else:
                values = {"state": PENDING, "last_error": error[:1000], "claimed_at": None}
                result.failed.append({"channel": channel, "recipient": recipient, "alerts": n, "error": error})
            session.execute(mine.values(**values, claim=None, attempts=col(d.attempts) + 1)
                            .execution_options(synchronize_session=False))
        result.pending = session.execute(select(func.count()).select_from(d)
                                         .where(col(d.state).in_([PENDING, SENDING]))).scalar() or 0
    return result


# -- the sweep --------------------------------------------------------------------------------------

@dataclass
class SweepResult:
    on: date
    new: list[dict[str, Any]]  # the alerts this sweep raised, as ``public`` gives them
    delivered: Delivered
    unaddressed: list[str]  # officers with alerts but no e-mail address

    def as_json(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "new": self.new, "sent": self.delivered.sent,
                "failed": self.delivered.failed, "pending": self.delivered.pending, "unaddressed": self.unaddressed}


def sweep(app: Gongkai) -> SweepResult:
    """Raise today's alerts (each once, whoever else sweeps), then deliver everything pending."""
    cfg = alert_settings(app.settings)
    try:
        with db.unit_of_work(app.engine) as session:
            new, unaddressed = _record(session, cfg, _deadline_alerts(session, app, cfg)
                                       + _year_alerts(session, app, cfg))
    except CalendarUnavailable as e:
        raise CalendarMissing(str(e)) from None
    return SweepResult(app.today, [public(a) for a in new], deliver(app, cfg), unaddressed)


def list_alerts(app: Gongkai, pending: bool = False, since: date | None = None,
                limit: int = 200) -> list[dict[str, Any]]:
    """Alerts newest first, each with its deliveries; ``pending``: only those not yet delivered everywhere."""
    a, d = models.Alert, models.AlertDelivery
    query = select(*[col(getattr(a, c)) for c in ALERT_COLUMNS]).order_by(col(a.id).desc()).limit(limit)
    if pending:
        query = query.where(col(a.id).in_(select(d.alert_id).where(col(d.state).in_([PENDING, SENDING]))))
    if since:
        query = query.where(a.created_on >= since)
    if app.agency:
        query = query.where(a.agency == app.agency)
    with db.unit_of_work(app.engine, write=False) as session:
        alerts = [public(dict(zip(ALERT_COLUMNS, row, strict=True))) for row in session.execute(query)]
        ids = [x["id"] for x in alerts]
        by_alert: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in session.execute(select(d).where(col(d.alert_id).in_(ids)).order_by(col(d.id))).scalars():
            by_alert[row.alert_id].append({
                "channel": row.channel, "recipient": row.recipient, "state": row.state, "attempts": row.attempts,
                "last_error": row.last_error, "sent_at": row.sent_at.isoformat() if row.sent_at else None})
    for x in alerts:
        x["deliveries"] = by_alert[x["id"]]
        x["status"] = PENDING if any(dl["state"] != SENT for dl in x["deliveries"]) else SENT
    return alerts
