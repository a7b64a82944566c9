"""The alert sweep: every deadline that reached a threshold today, recorded once, then delivered.

A sweep is idempotent, so cron, the scheduler, a restart or a second scheduler on the same database
may run it as often as they like:

1. One unit of work records today's alerts. ``rules.alerts`` gives the threshold that each kind of
   deadline reaches today on each day a deadline falls due within the horizon (today + 5 working
   days): a few hundred rows, put in a temporary table. One ``INSERT … SELECT`` joins the deadline
   rows to it and to their requests and inserts the alerts with ON CONFLICT DO NOTHING on their
   unique key (scope, kind, key, threshold, due date), so what any sweep recorded before is skipped
   and only the rows this sweep inserted come back. The database does the work per deadline (tens
   of thousands in a province); Python sees only the new alerts. Their deliveries (the JSON-lines
   log, one e-mail per recipient) are created in the same transaction, already claimed by this
   sweep, and the deliveries earlier sweeps left pending are claimed with them.
2. Everything claimed is sent outside any transaction and marked sent, or left pending with the
   error, to be retried (``workflow.alerts.delivery``).

What it reads from the configuration is ``workflow.alerts.settings``; who gets e-mail,
``workflow.alerts.recipients``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    MetaData,
    String,
    Table,
    and_,
    cast,
    exists,
    func,
    insert,
    literal,
    or_,
)
from sqlalchemy import select as select_columns
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from rules import alerts as rules
from rules import deadline_kinds as kinds
from rules.calendar import CalendarUnavailable
from workflow.alerts import delivery as alert_delivery
from workflow.alerts.delivery import ALERT_COLUMNS, PENDING, SENDING, SENT, Batch, Delivered, public
from workflow.alerts.recipients import directory
from workflow.alerts.settings import AlertSettings, alert_settings
from workflow.app import Gongkai
from workflow.domain.errors import CalendarMissing
from workflow.domain.states import OPEN_STATES, RECEIVED
from workflow.store import bulk, db, models

# -- what is due: the alerts of one day, recorded once ----------------------------------------------

# The columns an alert is recorded with.
INSERTED = ("scope", "request_id", "agency", "ref", "officer", "kind", "key", "threshold", "due_on", "provisional",
            "to_supervisors", "action", "message", "created_on", "created_at")
YEAR_KINDS = kinds.OF_THE_YEAR
DEADLINE_KINDS = kinds.OF_A_REQUEST

# The threshold each kind of deadline reaches today, per due date and provisional flag, for the
# day's INSERT … SELECT to join the deadline rows to. Temporary: each connection has its own, and
# the transaction that creates it drops it. Its key lets SQLite read the deadlines once, in due-date
# order, probing it for each; joined to a relation without a key, it reads a day's deadlines once
# per kind due that day.
CROSSING = Table(
    "alert_crossing", MetaData(),
    Column("kind", String, primary_key=True), Column("due_on", Date, primary_key=True),
    Column("provisional", Boolean, primary_key=True), Column("threshold", String, nullable=False),
    Column("message", String, nullable=False), Column("action", String),
    Column("to_supervisors", Boolean, nullable=False),
    prefixes=["TEMPORARY"],
)


def _crossings(session: Session, app: Gongkai, cfg: AlertSettings, horizon: date) -> list[dict[str, Any]]:
    """A row for each kind of deadline, provisional or not, on each day a deadline within the horizon
    falls due, if it reaches a threshold today: a few kinds too many cost less than asking the
    deadline rows which occur (their index holds only the due date)."""
    cal, today, th, d = app.settings.calendar, app.today, cfg.thresholds, models.Deadline
    days = session.execute(select_columns(col(d.due_on)).distinct().where(col(d.due_on) <= horizon)).scalars()
    rows = []
    for due in days:
        for kind in DEADLINE_KINDS:
            c = rules.crossing(due, today, cal, th, can_be_overdue=kind not in rules.NEVER_OVERDUE)
            if c is not None:
                rows += [{"kind": kind, "due_on": due, "provisional": provisional, "threshold": c.threshold,
                          "message": rules.message(kind, due, today, c, provisional),
                          "action": rules.suggestion(kind, c)[0], "to_supervisors": c.overdue}
                         for provisional in (False, True)]
    return rows


def _alerts_due(app: Gongkai, horizon: date) -> Any:
    """The alert (``INSERTED`` columns) of each deadline within the horizon that reached a threshold
    today, as joined to ``CROSSING``, unless recorded before."""
    d, r, c = models.Deadline.__table__, models.Request.__table__, CROSSING  # type: ignore[attr-defined]
    alert = models.Alert.__table__  # type: ignore[attr-defined]
    scope = literal("request:") + cast(d.c.request_id, String)
    # Recorded by an earlier sweep (half of the day's candidates): left out before their request is
    # read. The unique key, through ON CONFLICT, still decides for a sweep running alongside.
    recorded = alert.alias("recorded")
    known = (select_columns(recorded.c.id)  # the id, not *: the unique index alone answers
             .where(recorded.c.scope == scope, recorded.c.kind == d.c.kind, recorded.c.key == d.c.key,
                    recorded.c.threshold == c.c.threshold, recorded.c.due_on == d.c.due_on).exists())
    query = (
        select_columns(scope, d.c.request_id, r.c.agency, r.c.ref, r.c.officer, d.c.kind, d.c.key, c.c.threshold,
                       d.c.due_on, d.c.provisional, c.c.to_supervisors, c.c.action, c.c.message,
                       literal(app.today, alert.c.created_on.type),
                       literal(alert_delivery.utcnow(), alert.c.created_at.type))
        .select_from(d.join(c, and_(c.c.kind == d.c.kind, c.c.due_on == d.c.due_on,
                                    c.c.provisional == d.c.provisional))
                     .join(r, r.c.id == d.c.request_id))
        .where(d.c.due_on <= horizon, ~known,
               # a correction can be asked for only while the request is plainly received (条例第三十条)
               or_(d.c.kind != kinds.CORRECTION_NOTICE, r.c.state == RECEIVED))
    )
    return query.where(r.c.agency == app.agency) if app.agency else query


def _deadline_alerts(session: Session, app: Gongkai, cfg: AlertSettings) -> list[Any]:
    """Record the alert of each deadline within the horizon that reached a threshold; the new ones'
    ``ALERT_COLUMNS``."""
    today, th = app.today, cfg.thresholds
    horizon = app.settings.calendar.add(today, th.horizon).date if th.horizon else today
    crossings = _crossings(session, app, cfg, horizon)
    if not crossings:
        return []
    connection = session.connection()
    CROSSING.create(connection)
    session.execute(insert(CROSSING), crossings)
    alert = models.Alert.__table__  # type: ignore[attr-defined]  # Core, not the ORM: no per-row bookkeeping
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    new = list(session.execute(dialect.insert(alert).from_select(INSERTED, _alerts_due(app, horizon))
                               .on_conflict_do_nothing().returning(*[alert.c[n] for n in ALERT_COLUMNS])))
    CROSSING.drop(connection)
    return new


def _year_alert(scope: str, agency: str, kind: str, key: str, c: rules.Crossing, due: date, today: date,
                message: str, **extra: Any) -> dict[str, Any]:
    return {"scope": scope, "request_id": None, "agency": agency, "ref": None, "officer": "", "kind": kind,
            "key": key, "threshold": c.threshold, "due_on": due, "provisional": False, "to_supervisors": False,
            "action": None, "message": message, "created_on": today, "created_at": alert_delivery.utcnow(),
            **extra}


def _agencies_owing_report(session: Session, year: int, agency: str | None) -> list[str]:
    """The agencies whose annual report for ``year`` is due: they received a request by its end, and
    the year is not closed for them. A loose index scan finds the agencies, one probe of the index
    on (agency, received_on) each, where DISTINCT would read the whole index (a million requests)."""
    r, closed = models.Request.__table__, models.ClosedYear.__table__  # type: ignore[attr-defined]
    walk = select_columns(func.min(r.c.agency).label("agency")).cte("agencies", recursive=True)
    following = select_columns(func.min(r.c.agency)).where(r.c.agency > walk.c.agency).scalar_subquery()
    walk = walk.union_all(select_columns(following).where(walk.c.agency.is_not(None)))
    query = select_columns(walk.c.agency).where(
        walk.c.agency.is_not(None),
        exists().where(r.c.agency == walk.c.agency, r.c.received_on <= date(year, 12, 31)),
        ~exists().where(closed.c.year == year, closed.c.agency.in_([walk.c.agency, "*"])))
    if agency:
        query = query.where(walk.c.agency == agency)
    return list(session.execute(query).scalars())


def _rollup_alerts(session: Session, app: Gongkai, cfg: AlertSettings) -> list[dict[str, Any]]:
    """The roll-up report (汇总年度报告) of each agency configured as a county's, city's or province's
    competent department, due on its level's date, until the year is closed for the whole platform
    (``close-year --all-agencies``). It needs no request of its own: it sums up other offices'."""
    rows, closed = [], models.ClosedYear
    for agency, level in sorted(cfg.levels.items()):
        if app.agency not in (None, agency):
            continue
        ru = rules.annual_report(app.today, app.settings.calendar, cfg.thresholds, cfg.annual_report_from, level,
                                 cfg.report_due)
        if ru is None or session.execute(select(closed.id).where(closed.year == ru.year, closed.agency == "*")).first():
            continue
        text = rules.annual_report_message(ru.year, ru.due, app.today, ru.crossing, ru.kind)
        rows.append(_year_alert(f"annual-rollup:{agency}", agency, ru.kind, str(ru.year), ru.crossing, ru.due,
                                app.today, text, to_supervisors=True))
    return rows


def _year_alerts(session: Session, app: Gongkai, cfg: AlertSettings) -> list[Any]:
    """Record the carry-over and annual-report alerts (own and roll-up) reached today; the new ones."""
    cal, today, th, r = app.settings.calendar, app.today, cfg.thresholds, models.Request
    rows = []
    co = rules.carry_over(today, cal, th, cfg.carry_over_from)
    if co:
        query = (select(r.agency, r.officer, func.count()).where(col(r.state).in_(OPEN_STATES))  # not voided either
                 .group_by(r.agency, r.officer))
        if app.agency:
            query = query.where(r.agency == app.agency)
        for agency, officer, n in session.execute(query):
            text = rules.carry_over_message(co.year, co.due, today, co.crossing, n)
            rows.append(_year_alert(f"carry-over:{agency}:{officer}", agency, co.kind, str(co.year), co.crossing,
                                    co.due, today, text, officer=officer))
    ar = rules.annual_report(today, cal, th, cfg.annual_report_from, due_dates=cfg.report_due)
    if ar:
        text = rules.annual_report_message(ar.year, ar.due, today, ar.crossing)
        rows += [_year_alert(f"annual-report:{agency}", agency, ar.kind, str(ar.year), ar.crossing, ar.due, today,
                             text, to_supervisors=True)
                 for agency in _agencies_owing_report(session, ar.year, app.agency)]
    rows += _rollup_alerts(session, app, cfg)
    return bulk.insert_many(session, models.Alert.__table__, INSERTED,  # type: ignore[attr-defined]
                          [[row[n] for n in INSERTED] for row in rows], returning=ALERT_COLUMNS, skip_existing=True)


def _new_alerts(session: Session, app: Gongkai, cfg: AlertSettings) -> list[dict[str, Any]]:
    """Record today's alerts; those that are new, oldest first, as ``public`` gives them."""
    inserted = _deadline_alerts(session, app, cfg) + _year_alerts(session, app, cfg)
    return [public(row) for row in sorted(inserted, key=itemgetter(0))]  # RETURNING has no order


# -- where they go ----------------------------------------------------------------------------------

def _deliveries(session: Session, cfg: AlertSettings, new: list[dict[str, Any]]) -> tuple[Batch, list[str]]:
    """Each new alert to the log and by e-mail to each of its recipients; the officers with no address."""
    batch: Batch = {("log", ""): new} if cfg.log and new else {}
    unaddressed = set()
    if cfg.mail and new:
        book = directory(session, cfg)
        for alert in new:
            if alert["officer"] and alert["officer"] not in book.officers:
                unaddressed.add(alert["officer"])
            for to in book.addresses(alert["officer"], alert["agency"], alert["to_supervisors"]):
                batch.setdefault(("mail", to), []).append(alert)
    return batch, sorted(unaddressed)


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
    token = alert_delivery.new_token()
    try:
        with db.unit_of_work(app.engine) as session:
            # Claimed first: afterwards the token also holds the deliveries created below.
            retried = alert_delivery.claim_pending(session, token, app.agency)
            new = _new_alerts(session, app, cfg)
            created, unaddressed = _deliveries(session, cfg, new)
            alert_delivery.add_claimed(session, token, created)
    except CalendarUnavailable as e:
        raise CalendarMissing(str(e)) from None
    # What is retried was raised before: the log and the digests list the oldest alert first.
    delivered = alert_delivery.send_claimed(app, cfg, token, alert_delivery.merged(retried, created), retried)
    return SweepResult(app.today, new, delivered, unaddressed)


def deliver(app: Gongkai, cfg: AlertSettings | None = None) -> Delivered:
    """Send what earlier sweeps left pending (the scheduler retries between sweeps)."""
    return alert_delivery.deliver(app, cfg or alert_settings(app.settings))


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
        alerts = [public(row) for row in session.execute(query)]
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
