"""The tables. Events are the record; the request row only caches what replaying them gives.

``request`` carries the applicant's particulars and the cached state, outcome and deadlines that
listings, the due view and the reports query; ``event`` is the append-only history, each row
chained to the previous one of its request by a hash; ``deadline`` holds the open deadlines of open
requests, indexed by date, for the due view and the alert sweep.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, MetaData, UniqueConstraint
from sqlmodel import Field, SQLModel

# Constraint names that Alembic can rely on, on SQLite and PostgreSQL alike.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


class Request(SQLModel, table=True):
    __tablename__ = "request"
    __table_args__ = (
        UniqueConstraint("agency", "ref"),
        UniqueConstraint("agency", "year", "seq"),
        Index("ix_request_agency_state", "agency", "state"),
        Index("ix_request_agency_concluded_on", "agency", "concluded_on"),
        Index("ix_request_agency_received_on", "agency", "received_on"),
        # The workbench's 我的 view: an officer's open requests, most urgent first (the first screen).
        Index("ix_request_officer_next_due", "officer", "next_due"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agency: str
    ref: str
    year: int
    seq: int
    received_on: date
    channel: str
    applicant_name: str
    applicant_type: str
    subject: str
    phone: str | None = None
    id_number: str | None = None
    address: str | None = None
    officer: str = ""
    state: str
    outcome: str | None = None
    concluded_on: date | None = None
    reply_due: date | None = None
    reply_due_provisional: bool = False
    reply_delayed: bool = False  # the reply date was set by an Art. 35 delay (条例第三十五条)
    late: bool = False
    next_due: date | None = Field(default=None, index=True)
    next_due_kind: str | None = None
    version: int = 1
    last_hash: str = ""  # hash of the latest event: deleting the newest events breaks the chain too
    imported_from: str | None = None
    created_at: datetime


class Event(SQLModel, table=True):
    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("request_id", "seq"),
        Index("ix_event_officer", "officer"),
        # Reports look events up by kind and date (section 六: fees paid in the year).
        Index("ix_event_action_occurred_on", "action", "occurred_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id")  # indexed as the first column of (request_id, seq)
    seq: int
    action: str
    occurred_on: date = Field(index=True)
    recorded_at: datetime
    officer: str
    payload: str  # canonical JSON
    prev_hash: str
    hash: str


class Deadline(SQLModel, table=True):
    __tablename__ = "deadline"
    __table_args__ = (Index("ix_deadline_due_on", "due_on"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    kind: str
    key: str = ""
    due_on: date
    provisional: bool = False


class Meta(SQLModel, table=True):
    __tablename__ = "meta"

    key: str = Field(primary_key=True)
    value: str


class Appeal(SQLModel, table=True):
    """An administrative review or lawsuit against the handling of a request (table 四)."""

    __tablename__ = "appeal"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    kind: str  # review | litigation_direct | litigation_after_review
    filed_on: date = Field(index=True)
    result: str | None = None  # upheld | corrected | other; None while pending
    concluded_on: date | None = None
    officer: str = ""
    note: str | None = None
    imported_from: str | None = None
    recorded_at: datetime


class ClosedYear(SQLModel, table=True):
    """A year whose annual report is frozen: actions dated in it are refused until it is reopened."""

    __tablename__ = "closed_year"
    __table_args__ = (UniqueConstraint("agency", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    agency: str  # "*" for a platform-wide closing
    year: int
    closed_at: datetime
    closed_by: str
    checksum: str  # sha256 of the stored report JSON
    report: str  # the frozen report, canonical JSON
    as_of: date | None = None  # the closing point: appeal results known by this day count (table 四)


class Agency(SQLModel, table=True):
    """An agency on the platform. Requests, officers and reports belong to one."""

    __tablename__ = "agency"

    code: str = Field(primary_key=True)
    name: str


class Officer(SQLModel, table=True):
    """Who may act, and where. With no officer registered, gongkai runs as one office (single-agency mode)."""

    __tablename__ = "officer"

    name: str = Field(primary_key=True)
    agency: str = Field(foreign_key="agency.code", index=True)
    role: str  # officer | supervisor | platform
    email: str | None = None
    # The account the officer signs in with (the operating-system user on SQLite, the database role on
    # PostgreSQL): once one officer has a login, the actor is whoever signed in (workflow.store.officers).
    login: str | None = Field(default=None, unique=True)


class Approval(SQLModel, table=True):
    """A head's (负责人) approval of an action that needs one (an extension), recorded by the head under
    their own sign-in (``gongkai approve REF extend``); the officer's action then uses it up."""

    __tablename__ = "approval"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    action: str
    approver: str
    approved_at: datetime
    used: bool = False


class Table2Entry(SQLModel, table=True):
    """One figure of table 二 (proactive disclosure), entered by hand: it is not request data."""

    __tablename__ = "table2_entry"
    __table_args__ = (UniqueConstraint("agency", "year", "block", "row_code", "column_code"),)

    id: int | None = Field(default=None, primary_key=True)
    agency: str
    year: int
    block: str  # article20_1 | article20_5 | article20_6 | article20_8
    row_code: str
    column_code: str
    value: str  # a whole number, or an amount in 万元 (decimal text)
    entered_by: str
    entered_at: datetime


class YearLog(SQLModel, table=True):
    """Every close-year and reopen-year, with who did it, why and which frozen report it concerned."""

    __tablename__ = "year_log"
    __table_args__ = (Index("ix_year_log_agency_year", "agency", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    agency: str  # "*" for the whole platform
    year: int
    action: str  # close | reopen
    officer: str
    at: datetime
    checksum: str
    reason: str | None = None


class Alert(SQLModel, table=True):
    """One deadline alert, stored once: the unique key is what makes a second sweep send nothing twice.

    ``scope`` names what the alert is about: ``request:<id>`` for a deadline of a request,
    ``carry-over:<agency>:<officer>`` and ``annual-report:<agency>`` for the year-level alerts. A moved
    deadline has a new ``due_on``, so its alerts are new ones.
    """

    __tablename__ = "alert"
    __table_args__ = (
        UniqueConstraint("scope", "kind", "key", "threshold", "due_on"),
        Index("ix_alert_created_on", "created_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    scope: str
    request_id: int | None = Field(default=None, foreign_key="request.id", index=True)
    agency: str
    ref: str | None = None
    officer: str = ""  # the responsible officer ("" when the alert is the agency's)
    kind: str  # a deadline kind, or carry_over / annual_report
    key: str = ""  # the deadline's key (consultations), or the year of a year-level alert
    threshold: str  # opens | before-N | due | overdue-N
    due_on: date
    provisional: bool = False
    to_supervisors: bool = False  # overdue and annual-report alerts go to the supervisors too
    action: str | None = None  # the action to record now (lapse-correction, fee-lapsed, consult-reply)
    message: str
    created_on: date  # the day of the sweep that raised it
    created_at: datetime


class AlertDelivery(SQLModel, table=True):
    """Where an alert must still go, or went: one row per channel and recipient, retried until sent.

    ``state`` is pending, sending (claimed by one sweep; a claim older than a few minutes is taken
    over) or sent. ``attempts`` and ``last_error`` say why an alert is still pending.
    """

    __tablename__ = "alert_delivery"
    __table_args__ = (
        UniqueConstraint("alert_id", "channel", "recipient"),
        Index("ix_alert_delivery_state", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alert.id")  # indexed as the first column of the unique key
    channel: str  # log | mail
    recipient: str = ""  # an e-mail address; "" for the log
    state: str = "pending"
    attempts: int = 0
    last_error: str | None = None
    claim: str | None = None
    claimed_at: datetime | None = None
    sent_at: datetime | None = None


class Ledger(SQLModel, table=True):
    """The hash-chained record of every fact outside the requests' own histories (agencies, officers,
    appeals, closed years, the year log, table 二): one entry per row written, with the row as written
    (``payload``, canonical JSON; ``null`` when it was deleted). Chained per ``chain`` as events are per
    request (``workflow.store.evidence.ledger``)."""

    __tablename__ = "ledger"
    __table_args__ = (UniqueConstraint("chain", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    chain: str  # "registry" (agencies, officers) or "agency:<code>" ("agency:*" for the platform's years)
    seq: int
    kind: str  # the table: agency | officer | appeal | closed_year | year_log | table2_entry
    key: str  # the row within its table
    payload: str  # canonical JSON of the row's columns, or "null" once deleted
    recorded_at: datetime
    prev_hash: str
    hash: str


class Checkpoint(SQLModel, table=True):
    """Every chain head and count at one moment, signed with the office's Ed25519 key when one is
    configured (``gongkai evidence init``); also appended to a file outside the database."""

    __tablename__ = "checkpoint"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    body: str  # canonical JSON: what is signed
    signature: str = ""  # hex; "" when no signing key was configured
    key_id: str = ""  # sha256 of the public key, first 16 hex digits
