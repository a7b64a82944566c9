"""Bringing in an office's existing spreadsheets: every row checked, then all written at once or nothing.

Offices adopting gongkai mid-year hold their earlier requests in Excel. Each row becomes a request
whose history is a sequence of real lifecycle events built from its dated columns, replayed through
:class:`workflow.lifecycle.Case` exactly as an officer's actions are, so an impossible history (a
fee notice while waiting for a correction, a lapse before the correction period ran out) is a
problem of that row. Stored with the same hash chain, cached columns and deadline rows as
``history.append`` and ``history.save_cache`` write, an imported request is shown, listed, counted
and verified like one entered by hand; ``imported_from`` ("FILE:ROW") says where it came from.

Example row: ``2025-0042, 2025-11-03, 网络, 自然人, 张三, 低保名单, 予以公开, 2025-11-20,
consultation_sent_on=2025-11-05, consultation_replied_on=2025-11-12`` becomes register (11-03),
consult (11-05), consult-reply (11-12), decide disclosed (11-20).

Problems are data (row, column, message) and all of them are collected before anything is
written: the import then fails as a whole (:class:`ImportProblems`), or writes every row in one
transaction with bulk inserts (100,000 rows in seconds, not one unit of work per row).
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlmodel import Session, col

from rules import channels, outcomes, report_layout
from rules.calendar import CalendarUnavailable
from rules.personal_data import id_number_problem
from workflow import actions, agencies, db, history, models, tabular
from workflow import appeals as appeal_rules
from workflow.errors import GongkaiError, InvalidInput
from workflow.lifecycle import Case, Event
from workflow.services import Gongkai

# canonical column → the headers offices write for it (the first is what a Chinese export writes)
REQUEST_COLUMNS: dict[str, tuple[str, ...]] = {
    "ref": ("编号", "申请编号", "受理编号", "登记编号"),
    "agency": ("办理机关", "机关", "单位"),
    "received_on": ("收到日期", "收到申请日期", "受理日期", "申请日期", "登记日期"),
    "channel": ("申请渠道", "渠道", "申请方式", "提交方式"),
    "applicant_type": ("申请人类型", "申请人类别"),
    "applicant_name": ("申请人", "申请人姓名", "申请人名称"),
    "subject": ("申请内容", "申请事项", "申请公开内容", "所需信息"),
    "outcome": ("办理结果", "答复结果", "处理结果"),
    "concluded_on": ("办结日期", "答复日期"),
    "correction_requested_on": ("补正告知日期", "告知补正日期"),
    "correction_period": ("补正期限", "补正期限(工作日)"),
    "corrected_on": ("收到补正日期", "补正日期"),
    "extended_days": ("延长工作日", "延长天数", "延期天数"),
    "extension_approved_by": ("延长批准人", "批准人"),
    "extended_on": ("延长日期", "延期日期"),
    "consultation_sent_on": ("征求意见日期", "征求意见发出日期"),
    "consultation_replied_on": ("征求意见答复日期", "收到意见日期", "意见答复日期"),
    "fee_notified_on": ("收费通知日期", "缴费通知日期"),
    "fee_amount": ("收费金额", "信息处理费"),
    "fee_paid_on": ("缴费日期",),
    "phone": ("联系电话", "电话", "手机"),
    "id_number": ("身份证号", "身份证号码", "证件号码"),
    "address": ("联系地址", "地址", "通讯地址"),
}
REQUIRED = ("received_on", "channel", "applicant_type", "applicant_name", "subject")
APPEAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "ref": ("编号", "申请编号"),
    "agency": ("办理机关", "机关"),
    "kind": ("类型", "案件类型", "复议诉讼类型"),
    "filed_on": ("提起日期", "立案日期", "申请复议日期", "起诉日期"),
    "result": ("结果", "审结结果"),
    "concluded_on": ("审结日期", "结案日期"),
    "note": ("备注",),
}
APPEAL_REQUIRED = ("ref", "kind", "filed_on")

# The dated event columns: (column, action, rank). Rank orders events that share a day.
EVENT_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("correction_requested_on", "request-correction", 1),
    ("corrected_on", "receive-correction", 2),
    ("consultation_sent_on", "consult", 3),
    ("consultation_replied_on", "consult-reply", 4),
    ("fee_notified_on", "notify-fee", 5),
    ("fee_paid_on", "fee-paid", 6),
    ("extended_on", "extend", 7),
    ("concluded_on", "decide", 8),
)
# A closing date needs its opening date, on or before it.
PAIRS = (("corrected_on", "correction_requested_on"), ("consultation_replied_on", "consultation_sent_on"),
         ("fee_paid_on", "fee_notified_on"))
# Option errors of actions.payload, told by the spreadsheet column.
OPTION_COLUMNS = {"--period": "correction_period", "--days": "extended_days",
                  "--approved-by": "extension_approved_by", "--amount": "fee_amount", "--outcome": "outcome"}
SHOWN = 20  # problems listed on screen; --json lists them all

Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass(frozen=True)
class Problem:
    row: int  # as the spreadsheet numbers it: 1 is the header
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.message}"


class ImportProblems(GongkaiError):
    """The file cannot be imported as it is; nothing was written. Lists every problem."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        self.file, self.problems = name, sorted(problems, key=lambda p: p.row)
        lines = [f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {name}; nothing was imported:",
                 *(f"  {p}" for p in self.problems[:SHOWN])]
        if len(problems) > SHOWN:
            lines.append(f"  … and {len(problems) - SHOWN} more (--json lists them all)")
        super().__init__("\n".join(lines))


@dataclass
class Summary:
    file: str
    encoding: str
    rows: int
    imported: int
    dry_run: bool
    ignored_columns: list[str]
    counts: dict[str, int] = field(default_factory=dict)  # e.g. {"open": 3, "concluded": 9}


def read_date(text: str) -> date:
    """A date as offices write it: 2026-03-02, 2026/3/2, 2026.3.2, 2026年3月2日, 20260302 (a time of
    day after it, as a date-time cell gives, is ignored)."""
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", text) or \
        re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if not m:
        raise ValueError(f"{text!r} is not a date; expected YYYY-MM-DD")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"{text!r} is not a date of the calendar; expected YYYY-MM-DD") from None


class _Row:
    """One spreadsheet row's cells, read with every problem noted against its column."""

    def __init__(self, number: int, cells: Mapping[str, str]) -> None:
        self.number, self.cells = number, cells
        self.problems: list[Problem] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.number, column, message))

    def problems_in(self, column: str) -> bool:
        return any(p.column == column for p in self.problems)

    def text(self, column: str, required: bool = False) -> str:
        value = self.cells.get(column, "")
        if required and not value:
            self.problem(column, "must not be empty")
        return value

    def date(self, column: str, today: date) -> date | None:
        value = self.text(column)
        if not value:
            return None
        try:
            day = read_date(value)
        except ValueError as e:
            self.problem(column, str(e))
            return None
        if day > today:
            self.problem(column, f"{day.isoformat()} is in the future (today is {today.isoformat()})")
        return day

    def code(self, column: str, parse: Callable[[str], Any], required: bool = False) -> Any:
        value = self.text(column, required)
        if not value:
            return None
        try:
            return parse(value)
        except (ValueError, InvalidInput) as e:
            self.problem(column, str(e).removeprefix(f"{getattr(e, 'field', '')}: "))
            return None


@dataclass
class _Parsed:
    """A row that passed every check of its own: the request's particulars and its replayed history."""

    number: int
    agency: str
    ref: str  # '' until one is allocated
    values: dict[str, Any]  # columns of the request table
    case: Case
    cached: dict[str, Any]  # what history.cached_columns gives, with "_deadlines"

    @property
    def events(self) -> list[Event]:
        return self.case.events


# -- requests ----------------------------------------------------------------------------------------


def import_requests(app: Gongkai, path: Path, dry_run: bool = False, progress: Progress | None = None) -> Summary:
    """Check every row of ``path``, then write them all in one transaction, or raise ImportProblems."""
    sheet = tabular.read(path, tabular.alias_table(REQUEST_COLUMNS))
    missing = [c for c in REQUIRED if c not in sheet.columns]
    if missing:
        raise ImportProblems(sheet.name, [Problem(1, c, "this column is missing (see `gongkai import requests "
                                                       "--help` for the headers)") for c in missing])
    recorded_at = history.now()
    parsed: list[_Parsed] = []
    problems: list[Problem] = []
    for i, (number, cells) in enumerate(sheet.rows, start=1):
        row = _Row(number, cells)
        result = _parse_request(app, row, sheet.name)
        problems.extend(row.problems)
        if result is not None:
            parsed.append(result)
        if progress and i % 1000 == 0:
            progress("checking", i, len(sheet.rows))
    with db.unit_of_work(app.engine, write=not dry_run) as session:
        problems.extend(_check_against_database(session, app, parsed))
        if problems:
            raise ImportProblems(sheet.name, problems)
        if not dry_run:
            _insert_requests(session, parsed, recorded_at, progress)
    counts = {"open": sum(1 for p in parsed if not p.case.concluded)}
    counts["concluded"] = len(parsed) - counts["open"]
    return Summary(sheet.name, sheet.encoding, len(sheet.rows), 0 if dry_run else len(parsed), dry_run,
                   list(sheet.ignored), counts)


def _parse_request(app: Gongkai, row: _Row, source: str) -> _Parsed | None:
    today = app.today
    received_on = row.date("received_on", today)
    if received_on is None and not row.problems_in("received_on"):
        row.problem("received_on", "must not be empty")
    channel = row.code("channel", channels.channel, required=True)
    applicant_type = row.code("applicant_type", report_layout.applicant_type, required=True)
    outcome = row.code("outcome", outcomes.outcome)
    name, subject = row.text("applicant_name", True), row.text("subject", True)
    id_number = row.text("id_number").upper()
    if id_number and (why := id_number_problem(id_number)):
        row.problem("id_number", why)
    agency = row.text("agency") or app.home_agency
    if app.agency and agency != app.agency:
        row.problem("agency", f"{agency!r} is not the agency you work in ({app.agency!r})")
    dates = {c: row.date(c, today) for c, _, _ in EVENT_COLUMNS}
    _check_dates(row, received_on, dates, outcome)
    if received_on is None:
        return None
    dated = _events(app, row, received_on, dates, outcome.code if outcome else None)  # checks the amounts …
    if row.problems:
        return None
    ref = row.text("ref")
    imported_from = f"{source}:{row.number}"
    register = Event("register", received_on, {"channel": channel.code, "applicant_type": applicant_type,
                                               "imported_from": imported_from}, app.officer)
    try:
        case = _replay(app, ref or "(new)", register, dated)
        cached = history.cached_columns(case)  # every deadline: a year without a calendar fails here
    except _RowError as e:
        row.problem(e.column, e.message)
        return None
    except CalendarUnavailable as e:
        row.problem("received_on", str(e))
        return None
    values = {
        "agency": agency, "received_on": received_on, "year": received_on.year, "channel": channel.code,
        "applicant_name": name, "applicant_type": applicant_type, "subject": subject,
        "phone": row.text("phone") or None, "id_number": id_number or None, "address": row.text("address") or None,
        "officer": app.officer, "imported_from": imported_from,
    }
    return _Parsed(row.number, agency, ref, values, case, cached)


def _check_dates(row: _Row, received_on: date | None, dates: dict[str, date | None], outcome: Any) -> None:
    """The checks a person makes reading the row: nothing before receipt, closings after openings."""
    if received_on is not None:
        for column, day in dates.items():
            if day is not None and day < received_on:
                what = "concluded" if column == "concluded_on" else "dated"
                row.problem(column, f"{what} {day.isoformat()}, before the request was received "
                                    f"({received_on.isoformat()})")
    for closing, opening in PAIRS:
        if dates[closing] is not None and not row.text(opening):
            row.problem(closing, f"given without {opening}")
        elif dates[closing] and dates[opening] and dates[closing] < dates[opening]:  # type: ignore[operator]
            row.problem(closing, f"{dates[closing]} is before {opening} ({dates[opening]})")
    concluded = dates["concluded_on"]
    if (outcome is not None) != bool(row.text("concluded_on")):
        if outcome is not None:
            row.problem("concluded_on", "an outcome needs the date it was concluded on")
        elif not row.text("outcome"):
            row.problem("outcome", "a conclusion date needs the outcome (blank outcome = still open)")
    if concluded is not None:
        for column, day in dates.items():
            if day is not None and day > concluded:
                row.problem(column, f"{day.isoformat()} is after the request was concluded ({concluded.isoformat()})")
    for given, needs in (("fee_amount", "fee_notified_on"), ("fee_notified_on", "fee_amount"),
                         ("extension_approved_by", "extended_days"), ("extended_on", "extended_days"),
                         ("correction_period", "correction_requested_on")):
        if row.text(given) and not row.text(needs):
            row.problem(needs, f"needed when {given} is given")


def _events(app: Gongkai, row: _Row, received_on: date, dates: dict[str, date | None],
            outcome: str | None) -> list[tuple[str, Event, int]]:
    """The row's dated events after register, each with its column and its same-day rank."""
    given: dict[str, dict[str, Any]] = {
        "request-correction": {"period": row.text("correction_period")},
        "consult": {"party": "third-party"},
        "notify-fee": {"amount": row.text("fee_amount")},
        "extend": {"days": row.text("extended_days"), "approved_by": row.text("extension_approved_by")},
    }
    days = dict(dates)
    if row.text("extended_days") and days["extended_on"] is None:
        # Without a date, the extension is recorded on the conclusion day (or, for an open request, the
        # last dated event): the latest day it can have been decided, which changes no deadline.
        assumed = days["concluded_on"] or max((d for d in days.values() if d), default=received_on)
        days["extended_on"] = assumed
        given["extend"]["note"] = f"导入：表格未载明延长日期，记为{assumed.isoformat()}"
    out: list[tuple[str, Event, int]] = []
    for column, action, rank in EVENT_COLUMNS:
        day = days[column]
        if day is None:
            continue
        if column == "concluded_on":
            if outcome is None:  # a problem of the row already
                continue
            action = _concluding_action(outcome, days)
            given[action] = {"outcome": outcome} if action == "decide" else {}
        try:
            payload = actions.payload(action, given.get(action, {}), app.settings.periods)
        except InvalidInput as e:
            row.problem(OPTION_COLUMNS.get(e.field, column), str(e).removeprefix(f"{e.field}: "))
            continue
        if action == "extend" and not row.text("extended_on"):
            column = "extended_days"  # the date was assumed: name the column the officer wrote
        out.append((column, Event(action, day, payload, app.officer), rank))
    return out


def _concluding_action(outcome: str, days: Mapping[str, date | None]) -> str:
    """The action that records the outcome: the lapses have their own; 三（六）3 while the applicant
    still owed a correction or a fee is a withdrawal; everything else is a decision."""
    if outcome == "other.correction_lapsed":
        return "lapse-correction"
    if outcome == "other.fee_unpaid":
        return "fee-lapsed"
    waiting = (days["correction_requested_on"] and not days["corrected_on"]) or \
        (days["fee_notified_on"] and not days["fee_paid_on"])
    return "withdraw" if outcome == outcomes.WITHDRAWN and waiting else "decide"


class _RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def _replay(app: Gongkai, ref: str, register: Event, dated: list[tuple[str, Event, int]]) -> Case:
    """Replay the events in date order. Events of one day are tried in every order (rank order
    first), since a spreadsheet cannot say whether the fee was paid before or after the letter."""
    case = Case(ref, register, app.context)
    ordered = sorted(dated, key=lambda d: (d[1].on, d[2]))
    for _, group in itertools.groupby(ordered, key=lambda d: d[1].on):
        items = list(group)
        if len(items) == 1:  # the common case: nothing to try
            _apply(case, items[0][0], items[0][1])
            continue
        orders = itertools.permutations(items) if len(items) <= 4 else iter([tuple(items)])
        first_error: _RowError | None = None
        for order in orders:
            trial = copy.copy(case)
            trial.events = list(case.events)
            try:
                for column, event, _ in order:
                    _apply(trial, column, event)
            except _RowError as e:
                first_error = first_error or e
                continue
            case = trial
            break
        else:
            assert first_error is not None
            raise first_error
    return case


def _apply(case: Case, column: str, event: Event) -> None:
    try:
        case.apply(event)
    except GongkaiError as e:
        raise _RowError(column, str(e)) from None
    except CalendarUnavailable as e:
        raise _RowError(column, str(e)) from None


# The column each action of an imported history was read from (for problems found later).
ACTION_COLUMN = {"register": "received_on", **{a: c for c, a, _ in EVENT_COLUMNS},
                 "lapse-correction": "concluded_on", "fee-lapsed": "concluded_on", "withdraw": "concluded_on"}
REF = re.compile(r"(\d{4})-0*(\d{1,9})")
CHUNK = 2000


def _check_against_database(session: Session, app: Gongkai, parsed: list[_Parsed]) -> list[Problem]:
    """Duplicate references, frozen years, and references allocated where the file gives none."""
    problems: list[Problem] = []
    agencies = sorted({p.agency for p in parsed})
    r = models.Request
    existing = session.execute(
        select(col(r.agency), col(r.ref), col(r.year), col(r.seq)).where(col(r.agency).in_(agencies))).all() if agencies else []
    refs = {(a, ref) for a, ref, _, _ in existing}
    seqs = {(a, y, s) for a, _, y, s in existing}
    seen: dict[tuple[str, str], int] = {}
    for p in parsed:
        if not p.ref:
            continue
        key = (p.agency, p.ref)
        if key in refs:
            problems.append(Problem(p.number, "ref", f"{p.ref} already exists in agency {p.agency!r}"))
        elif key in seen:
            problems.append(Problem(p.number, "ref", f"{p.ref} is also the reference of row {seen[key]}"))
        else:
            seen[key] = p.number
    problems.extend(_frozen(session, parsed))
    problems.extend(_permissions(session, app, parsed))
    if not problems:
        _allocate(parsed, refs | set(seen), seqs)
    return problems


def _permissions(session: Session, app: Gongkai, parsed: list[_Parsed]) -> list[Problem]:
    """Once officers are registered, as for hand entry: the agency must exist, and an extension's
    approver must be a supervisor (负责人) of it."""
    if not agencies.registry_in_use(session):
        return []
    problems = []
    known = set(session.execute(select(col(models.Agency.code))).scalars())
    for p in parsed:
        if p.agency not in known:
            problems.append(Problem(p.number, "agency", f"no agency {p.agency!r} on this platform; "
                                                        f"`gongkai agency list` shows them"))
            continue
        extension = next((e for e in p.events if e.action == "extend"), None)
        if extension is not None:
            try:
                agencies.check_approver(session, p.agency, str(extension.payload["approved_by"]))
            except InvalidInput as e:
                problems.append(Problem(p.number, "extension_approved_by", str(e).removeprefix(f"{e.field}: ")))
    return problems


def _frozen(session: Session, parsed: list[_Parsed]) -> list[Problem]:
    closed = _closed_years(session)
    if not closed:
        return []
    problems = []
    for p in parsed:
        for year in sorted({e.on.year for e in p.events}):
            if (p.agency, year) in closed or ("*", year) in closed:
                e = next(e for e in p.events if e.on.year == year)
                problems.append(Problem(p.number, ACTION_COLUMN[e.action], _frozen_message(year)))
    return problems


def _allocate(parsed: list[_Parsed], refs: set[tuple[str, str]], seqs: set[tuple[str, int, int]]) -> None:
    """Numbers within the agency's year: a reference like 2025-0042 received in 2025 keeps 42, so
    ``register`` continues after it; any other request takes the next free number (and, without a
    reference, the reference that number gives)."""
    last: dict[tuple[str, int], int] = {}
    for a, y, s in seqs:
        last[(a, y)] = max(last.get((a, y), 0), s)
    rest = []
    for p in parsed:
        year = p.values["year"]
        m = REF.fullmatch(p.ref)
        if m and int(m[1]) == year and int(m[2]) > 0 and (p.agency, year, int(m[2])) not in seqs:
            p.values["seq"] = int(m[2])
            seqs.add((p.agency, year, int(m[2])))
            last[(p.agency, year)] = max(last.get((p.agency, year), 0), int(m[2]))
        else:
            rest.append(p)
    for p in rest:
        year = p.values["year"]
        seq = last.get((p.agency, year), 0) + 1
        while not p.ref and (p.agency, f"{year}-{seq:04d}") in refs:
            seq += 1
        last[(p.agency, year)] = seq
        p.values["seq"] = seq
        if not p.ref:
            p.ref = f"{year}-{seq:04d}"
            refs.add((p.agency, p.ref))


def _insert_requests(session: Session, parsed: list[_Parsed], recorded_at: datetime,
                     progress: Progress | None) -> None:
    """Bulk inserts (executemany), a chunk at a time: the request rows, then their events and deadlines."""
    req, ev, dl = (models.metadata.tables[name] for name in ("request", "event", "deadline"))
    all_ids = _reserve_ids(session, len(parsed))
    for start in range(0, len(parsed), CHUNK):
        chunk = parsed[start:start + CHUNK]
        rows = []
        for p in chunk:
            cached = {k: v for k, v in p.cached.items() if k != "_deadlines"}
            rows.append({**p.values, **cached, "ref": p.ref, "version": 1, "created_at": recorded_at})
        chains = [list(_chained(p, recorded_at)) for p in chunk]
        for values, chain in zip(rows, chains, strict=True):
            values["last_hash"] = chain[-1]["hash"]
        ids = all_ids[start:start + CHUNK]
        for values, request_id in zip(rows, ids, strict=True):
            values["id"] = request_id
        _bulk_insert(session, req, rows)
        events: list[dict[str, Any]] = []
        deadlines: list[dict[str, Any]] = []
        for request_id, p, chain in zip(ids, chunk, chains, strict=True):
            events.extend({**e, "request_id": request_id} for e in chain)
            deadlines.extend({"request_id": request_id, "kind": d.kind, "key": d.key, "due_on": d.due,
                              "provisional": d.provisional} for d in p.cached["_deadlines"])
        _bulk_insert(session, ev, events)
        _bulk_insert(session, dl, deadlines)
        if progress:
            progress("writing", start + len(chunk), len(parsed))


def _bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """One executemany; on PostgreSQL a COPY, several times faster for a large import."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), rows)
        return
    columns = list(rows[0])
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor, cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for r in rows:
            copy.write_row([r[c] for c in columns])


def _reserve_ids(session: Session, n: int) -> list[int]:
    """Ids for ``n`` new requests, known before inserting so that their events can be inserted in
    bulk too (an INSERT … RETURNING per row would be the slow part of a large import)."""
    if session.get_bind().dialect.name == "postgresql":
        query = text("SELECT nextval(pg_get_serial_sequence('request', 'id')) FROM generate_series(1, :n)")
        return list(session.execute(query, {"n": n}).scalars())
    # SQLite: the writing transaction began IMMEDIATE, so no one else can take these ids meanwhile.
    last = session.execute(select(func.max(col(models.Request.id)))).scalar() or 0
    return list(range(last + 1, last + n + 1))


def _chained(p: _Parsed, recorded_at: datetime) -> Iterable[dict[str, Any]]:
    """The event rows (but their request id) exactly as ``history.append`` chains them."""
    prev = history.GENESIS
    for seq, e in enumerate(p.events, start=1):
        payload = history.canonical(dict(e.payload))
        at = e.recorded_at or recorded_at
        h = history.event_hash(prev, p.agency, p.ref, seq, e.action, e.on, at, e.officer, payload)
        yield {"seq": seq, "action": e.action, "occurred_on": e.on, "recorded_at": at,
               "officer": e.officer, "payload": payload, "prev_hash": prev, "hash": h}
        prev = h


# -- appeals -----------------------------------------------------------------------------------------


@dataclass
class _Appeal:
    number: int
    ref: str
    agency: str | None
    values: dict[str, Any]  # columns of the appeal table; request_id is added once the request is found


def import_appeals(app: Gongkai, path: Path, dry_run: bool = False) -> Summary:
    """Reviews and lawsuits (table 四) against requests already in gongkai, all or nothing."""
    sheet = tabular.read(path, tabular.alias_table(APPEAL_COLUMNS))
    missing = [c for c in APPEAL_REQUIRED if c not in sheet.columns]
    if missing:
        raise ImportProblems(sheet.name, [Problem(1, c, "this column is missing") for c in missing])
    recorded_at = history.now()
    parsed: list[_Appeal] = []
    problems: list[Problem] = []
    for number, cells in sheet.rows:
        row = _Row(number, cells)
        appeal = _parse_appeal(app, row, f"{sheet.name}:{number}", recorded_at)
        problems.extend(row.problems)
        if appeal is not None:
            parsed.append(appeal)
    with db.unit_of_work(app.engine, write=not dry_run) as session:
        problems.extend(_match_requests(session, parsed))
        if problems:
            raise ImportProblems(sheet.name, problems)
        if not dry_run and parsed:
            session.execute(insert(models.metadata.tables["appeal"]), [a.values for a in parsed])
    pending = sum(1 for a in parsed if a.values["result"] is None)
    return Summary(sheet.name, sheet.encoding, len(sheet.rows), 0 if dry_run else len(parsed), dry_run,
                   list(sheet.ignored), {"pending": pending, "concluded": len(parsed) - pending})


def _parse_appeal(app: Gongkai, row: _Row, source: str, recorded_at: datetime) -> _Appeal | None:
    ref = row.text("ref", required=True)
    kind = row.code("kind", appeal_rules._kind, required=True)
    filed_on = row.date("filed_on", app.today)
    if filed_on is None and not row.problems_in("filed_on"):
        row.problem("filed_on", "must not be empty")
    result = row.code("result", appeal_rules._result)
    concluded_on = row.date("concluded_on", app.today)
    if row.text("result") and not row.text("concluded_on"):
        row.problem("concluded_on", "a result needs the date the case was concluded on")
    if row.text("concluded_on") and not row.text("result"):
        row.problem("result", "a conclusion date needs the result (blank result = pending)")
    if filed_on and concluded_on and concluded_on < filed_on:
        row.problem("concluded_on", f"{concluded_on.isoformat()} is before the appeal was filed "
                                    f"({filed_on.isoformat()})")
    agency = row.text("agency") or app.agency
    if app.agency and agency != app.agency:
        row.problem("agency", f"{agency!r} is not the agency you work in ({app.agency!r})")
    if row.problems:
        return None
    values = {"kind": kind, "filed_on": filed_on, "result": result, "concluded_on": concluded_on,
              "officer": app.officer, "note": row.text("note") or None, "imported_from": source,
              "recorded_at": recorded_at}
    return _Appeal(row.number, ref, agency, values)


def _match_requests(session: Session, parsed: list[_Appeal]) -> list[Problem]:
    """Find each appeal's request; refuse unknown references, filing before receipt, frozen years, and
    an appeal already recorded (table 四 would count it twice)."""
    found = _requests_by_ref(session, sorted({a.ref for a in parsed}))
    closed = _closed_years(session)
    seen = _appeals_of(session, sorted({m[0] for rows in found.values() for m in rows}))
    problems = []
    for a in parsed:
        matches = [m for m in found.get(a.ref, []) if a.agency is None or m[1] == a.agency]
        if len(matches) != 1:
            where = f" in agency {a.agency!r}" if a.agency else ""
            problems.append(Problem(a.number, "ref", f"no request {a.ref!r}{where}; import the requests first"
                                    if not matches else f"{a.ref} is a reference in several agencies; "
                                                        f"give the agency column"))
            continue
        request_id, agency, received_on = matches[0]
        filed_on, concluded_on = a.values["filed_on"], a.values["concluded_on"]
        if filed_on < received_on:
            problems.append(Problem(a.number, "filed_on", f"{filed_on.isoformat()} is before request {a.ref} "
                                                          f"was received ({received_on.isoformat()})"))
        for column, day in (("filed_on", filed_on), ("concluded_on", concluded_on)):
            if day and ((agency, day.year) in closed or ("*", day.year) in closed):
                problems.append(Problem(a.number, column, _frozen_message(day.year)))
        key = (request_id, a.values["kind"], filed_on)
        if key in seen:
            again = f" (row {seen[key]})" if seen[key] else ""
            problems.append(Problem(a.number, "filed_on", f"the {a.values['kind']} of {a.ref} filed on "
                                                          f"{filed_on.isoformat()} is already recorded{again}"))
        seen[key] = a.number
        a.values["request_id"] = request_id
    return problems


def _requests_by_ref(session: Session, refs: list[str]) -> dict[str, list[tuple[int, str, date]]]:
    r = models.Request
    found: dict[str, list[tuple[int, str, date]]] = {}
    for start in range(0, len(refs), 500):
        query = select(col(r.id), col(r.ref), col(r.agency), col(r.received_on)).where(
            col(r.ref).in_(refs[start:start + 500]))
        for request_id, ref, agency, received_on in session.execute(query):
            found.setdefault(ref, []).append((request_id, agency, received_on))
    return found


def _appeals_of(session: Session, request_ids: list[int]) -> dict[tuple[int, str, date], int]:
    """The appeals already recorded, keyed as the file's are checked (0: from the database)."""
    a = models.Appeal
    seen: dict[tuple[int, str, date], int] = {}
    for start in range(0, len(request_ids), 500):
        query = select(col(a.request_id), col(a.kind), col(a.filed_on)).where(
            col(a.request_id).in_(request_ids[start:start + 500]))
        seen.update({(i, kind, filed_on): 0 for i, kind, filed_on in session.execute(query)})
    return seen


def _closed_years(session: Session) -> set[tuple[str, int]]:
    c = models.ClosedYear
    return {(agency, year) for agency, year in session.execute(select(col(c.agency), col(c.year)))}


def _frozen_message(year: int) -> str:
    return f"{year} is closed (its annual report is frozen); reopen it first: gongkai reopen-year {year} --reason TEXT"
