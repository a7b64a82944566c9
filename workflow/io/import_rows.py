"""What one spreadsheet row of requests says: its cells checked, its history built and replayed.

Each row becomes a request whose history is a sequence of real lifecycle events built from its dated
columns, replayed through :class:`workflow.domain.lifecycle.Case` exactly as an officer's actions are, so an
impossible history (a fee notice while waiting for a correction, a lapse before the correction period
ran out) is a problem of that row. Problems are data (row, column, message), every one of them noted.

Example row: ``2025-0042, 2025-11-03, 网络, 自然人, 张三, 低保名单, 予以公开, 2025-11-20,
consultation_sent_on=2025-11-05, consultation_replied_on=2025-11-12`` becomes register (11-03),
consult (11-05), consult-reply (11-12), decide disclosed (11-20).

A history is a pure function of the row's dated and history columns (with today, the calendar and
the periods, fixed for one import), and a province's year repeats the same histories many times: a
million rows hold about 160,000 different ones. :class:`RowReader` therefore replays each different
history once and reuses the result for every row that has the same cells; a row whose history has a
problem is always replayed afresh, so its message names its own reference.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rules import actions as a
from rules import outcomes
from rules.actions import ACTIONS, RECORDED_BY, Kind
from rules.calendar import CalendarUnavailable
from rules.deadlines import RECORDED_LATE, Deadline, Periods
from rules.intake import channels
from rules.intake.personal_data import id_number_problem
from rules.report import layout as report_layout
from workflow.app import Gongkai
from workflow.domain import actions
from workflow.domain.errors import GongkaiError, InvalidInput
from workflow.domain.lifecycle import Case, Event, late_step
from workflow.io.import_cells import Problem, Row
from workflow.store import history
from workflow.store.evidence import facts

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

# The dated event columns: (column, action, rank), as the actions declare them (rules/actions.py). Rank
# orders events that share a day. The conclusion's column is read as decide until the outcome says which
# concluding action it was (``_concluding_action``).
EVENT_COLUMNS: tuple[tuple[str, str, int], ...] = tuple(sorted(
    ((x.column.name, x.name, x.column.rank) for x in ACTIONS.values()
     if x.column and x.kind is Kind.STEP and x.outcome is None), key=lambda c: c[2]))
CONCLUDED_ON = next(c for c, x, _ in EVENT_COLUMNS if x == a.DECIDE)
# A closing date needs its opening date, on or before it.
PAIRS = (("corrected_on", "correction_requested_on"), ("consultation_replied_on", "consultation_sent_on"),
         ("fee_paid_on", "fee_notified_on"))
# Option errors of actions.payload, told by the spreadsheet column.
OPTION_COLUMNS = {o.flag: o.column for x in ACTIONS.values() for o in x.options if o.column}
# Everything a row's history depends on: the same cells give the same history.
HISTORY_COLUMNS = ("received_on", "outcome", *(c for c, _, _ in EVENT_COLUMNS), "correction_period",
                   "fee_amount", "extended_days", "extension_approved_by")
# The column each action of an imported history was read from (for problems found later).
ACTION_COLUMN = {x.name: x.column.name for x in ACTIONS.values() if x.column}
REMEMBERED = 250_000  # different histories kept at once (about 1 KB each)


@dataclass(frozen=True)
class History:
    """A row's events after register, replayed, and what the request row caches from the replay."""

    received_on: date
    events: tuple[Event, ...]
    payloads: tuple[str, ...]  # each event's canonical payload, as stored and hashed
    cached: dict[str, Any]  # history.cached_columns without "_deadlines"
    deadlines: tuple[Deadline, ...]
    concluded: bool
    late: tuple[tuple[str, str], ...] = ()  # (column, why) of each step kept as recorded-late


@dataclass
class Parsed:
    """A row that passed every check of its own: the request's particulars and its replayed history."""

    number: int
    agency: str
    ref: str  # '' until one is allocated
    values: dict[str, Any]  # columns of the request table
    register: Event
    history: History

    @property
    def events(self) -> list[Event]:
        return [self.register, *self.history.events]


@dataclass
class RowReader:
    """Reads the rows of one import: each row's own checks, and its history replayed (once per
    different history)."""

    app: Gongkai
    source: str  # the file's name, for imported_from
    seen: dict[Any, Any] = field(default_factory=dict)
    histories: dict[tuple[str | None, ...], History] = field(default_factory=dict)

    def request(self, number: int, cells: Mapping[str, str]) -> tuple[Parsed | None, list[Problem]]:
        app, row = self.app, Row(number, cells, self.seen)
        key = tuple(map(cells.get, HISTORY_COLUMNS))
        known = self.histories.get(key)  # a known history's cells have no problems
        received_on = known.received_on if known else row.date("received_on", app.today)
        if received_on is None and not row.problems_in("received_on"):
            row.problem("received_on", "不能为空")
        channel = row.code("channel", channels.channel, required=True)
        applicant_type = row.code("applicant_type", report_layout.applicant_type, required=True)
        outcome = row.code("outcome", outcomes.outcome) if known is None else None
        name, subject = row.text("applicant_name", True), row.text("subject", True)
        id_number = row.text("id_number").upper()
        if id_number and (why := id_number_problem(id_number)):
            row.problem("id_number", why)
        agency = row.text("agency") or app.home_agency
        if app.agency and agency != app.agency:
            row.problem("agency", f"{agency!r} 不是您所在的机关（{app.agency!r}）")
        ref = row.text("ref")
        if known is None:
            if received_on is None:
                _check_dates(row, None, {c: row.date(c, app.today) for c, _, _ in EVENT_COLUMNS}, outcome)
                return None, row.problems
            known = self._history(row, ref, received_on, outcome.code if outcome else None)
            if known is None:
                return None, row.problems
            if len(self.histories) >= REMEMBERED:
                self.histories.clear()
            self.histories[key] = known
        if row.problems:
            return None, row.problems
        received_on = known.received_on
        imported_from = f"{self.source}:{number}"
        values = {
            "agency": agency, "received_on": received_on, "year": received_on.year, "channel": channel.code,
            "applicant_name": name, "applicant_type": applicant_type, "subject": subject,
            "phone": row.text("phone") or None, "id_number": id_number or None,
            "address": row.text("address") or None, "officer": app.officer, "imported_from": imported_from,
        }
        register = Event(a.REGISTER, received_on, {"channel": channel.code, "applicant_type": applicant_type,
                                                   "imported_from": imported_from,
                                                   facts.PARTICULARS: facts.particulars(values)}, app.officer)
        return Parsed(number, agency, ref, values, register, known), []

    def _history(self, row: Row, ref: str, received_on: date, outcome: str | None) -> History | None:
        """The row's dated columns checked and replayed; None when they have a problem (noted on the row)."""
        app = self.app
        dates = {c: row.date(c, app.today) for c, _, _ in EVENT_COLUMNS}
        _check_dates(row, received_on, dates, outcome)
        dated = _events(app, row, received_on, dates, outcome)  # checks the amounts …
        if row.problems:
            return None
        late: list[tuple[str, str]] = []
        try:
            case = _replay(app, ref or "(new)", Event(a.REGISTER, received_on, {}, app.officer), dated, late)
            cached = history.cached_columns(case)  # every deadline: a year without a calendar fails here
        except _RowError as e:
            row.problem(e.column, e.message)
            return None
        except CalendarUnavailable as e:
            row.problem("received_on", str(e))
            return None
        events = tuple(case.events[1:])
        deadlines = tuple(cached.pop("_deadlines"))
        return History(received_on, events, tuple(history.canonical(dict(e.payload)) for e in events),
                       cached, deadlines, case.concluded, tuple(late))


def _check_dates(row: Row, received_on: date | None, dates: dict[str, date | None], outcome: Any) -> None:
    """The checks a person makes reading the row: nothing before receipt, closings after openings."""
    if received_on is not None:
        for column, day in dates.items():
            if day is not None and day < received_on:
                what = "办结日期" if column == "concluded_on" else "日期"
                row.problem(column, f"{what} {day.isoformat()} 早于收到申请之日"
                                    f"（{received_on.isoformat()}）")
    for closing, opening in PAIRS:
        if dates[closing] is not None and not row.text(opening):
            row.problem(closing, f"填了此项却没有填 {opening}")
        elif dates[closing] and dates[opening] and dates[closing] < dates[opening]:  # type: ignore[operator]
            row.problem(closing, f"{dates[closing]} 早于 {opening}（{dates[opening]}）")
    concluded = dates["concluded_on"]
    if (outcome is not None) != bool(row.text("concluded_on")):
        if outcome is not None:
            row.problem("concluded_on", "填了办理结果，须填办结日期")
        elif not row.text("outcome"):
            row.problem("outcome", "填了办结日期，须填办理结果（办理结果空白即尚未办结）")
    if concluded is not None:
        for column, day in dates.items():
            if day is not None and day > concluded:
                row.problem(column, f"{day.isoformat()} 晚于办结日期（{concluded.isoformat()}）")
    for given, needs in (("fee_amount", "fee_notified_on"), ("fee_notified_on", "fee_amount"),
                         ("extension_approved_by", "extended_days"), ("extended_on", "extended_days"),
                         ("correction_period", "correction_requested_on")):
        if row.text(given) and not row.text(needs):
            row.problem(needs, f"填了 {given} 时须填此项")


def _events(app: Gongkai, row: Row, received_on: date, dates: dict[str, date | None],
            outcome: str | None) -> list[tuple[str, Event, int]]:
    """The row's dated events after register, each with its column and its same-day rank."""
    given: dict[str, dict[str, Any]] = {x: {o.name: row.text(o.column) for o in ACTIONS[x].options if o.column}
                                        for _, x, _ in EVENT_COLUMNS if x != a.DECIDE}
    given[a.CONSULT] = {"party": "third-party"}
    days = dict(dates)
    if row.text("extended_days") and days["extended_on"] is None:
        # Without a date, the extension is recorded on the conclusion day (or, for an open request, the
        # last dated event): the latest day it can have been decided, which changes no deadline.
        assumed = days["concluded_on"] or max((d for d in days.values() if d), default=received_on)
        days["extended_on"] = assumed
        given[a.EXTEND]["note"] = f"导入：表格未载明延长日期，记为{assumed.isoformat()}"
    out: list[tuple[str, Event, int]] = []
    for column, action, rank in EVENT_COLUMNS:
        day = days[column]
        if day is None:
            continue
        if column == CONCLUDED_ON:
            if outcome is None:  # a problem of the row already
                continue
            action = _concluding_action(outcome, days)
            given[action] = {"outcome": outcome} if action == a.DECIDE else {}
        try:
            payload = _payload(action, given.get(action, {}), app)
        except InvalidInput as e:
            row.problem(OPTION_COLUMNS.get(e.field, column), str(e).removeprefix(f"{e.field}: "))
            continue
        if action == a.EXTEND and not row.text("extended_on"):
            column = "extended_days"  # the date was assumed: name the column the officer wrote
        out.append((column, Event(action, day, payload, app.officer), rank))
    return out


def _payload(action: str, given: Mapping[str, Any], app: Gongkai) -> dict[str, Any]:
    """``actions.payload``, remembered: a year's rows give the same few options again and again."""
    return dict(_checked_payload(action, tuple(sorted(given.items())), app.settings.periods))


@functools.lru_cache(maxsize=4096)
def _checked_payload(action: str, given: tuple[tuple[str, Any], ...], periods: Periods) -> dict[str, Any]:
    return actions.payload(action, dict(given), periods)


def _concluding_action(outcome: str, days: Mapping[str, date | None]) -> str:
    """The action that records the outcome: the lapses have their own; 三（六）3 while the applicant
    still owed a correction or a fee is a withdrawal; everything else is a decision."""
    if outcome in RECORDED_BY:
        return RECORDED_BY[outcome]
    waiting = (days["correction_requested_on"] and not days["corrected_on"]) or \
        (days["fee_notified_on"] and not days["fee_paid_on"])
    return a.WITHDRAW if outcome == outcomes.WITHDRAWN and waiting else a.DECIDE


class _RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def _replay(app: Gongkai, ref: str, register: Event, dated: list[tuple[str, Event, int]],
            late: list[tuple[str, str]]) -> Case:
    """Replay the events in date order. Events of one day are tried in every order (rank order
    first), since a spreadsheet cannot say whether the fee was paid before or after the letter."""
    case = Case(ref, register, app.context)
    ordered = sorted(dated, key=lambda d: (d[1].on, d[2]))
    for _, group in itertools.groupby(ordered, key=lambda d: d[1].on):
        items = list(group)
        if len(items) == 1:  # the common case: nothing to try
            _apply(case, items[0][0], items[0][1], late)
            continue
        orders = itertools.permutations(items) if len(items) <= 4 else iter([tuple(items)])
        first_error: _RowError | None = None
        for order in orders:
            trial, noted = case.fork(), len(late)
            try:
                for column, event, _ in order:
                    _apply(trial, column, event, late)
            except _RowError as e:
                first_error = first_error or e
                del late[noted:]
                continue
            case = trial
            break
        else:
            assert first_error is not None
            raise first_error
    return case


def _apply(case: Case, column: str, event: Event, late: list[tuple[str, str]]) -> None:
    """Apply one event of a past history. A step the law gives a time limit, taken after it, is kept
    but marked recorded-late, so that it moves no deadline (``rules.time_limits``); an extension whose
    date the sheet does not give is dated the last day it could lawfully have been approved."""
    if why := late_step(case, event):
        reply = case.schedule(as_of=event.on).reply
        if column == "extended_days" and reply is not None and reply.due >= case.events[-1].on:
            event = dataclasses.replace(event, on=reply.due, payload={
                **event.payload, "note": f"导入：表格未载明延长日期，记为答复期限最后一日{reply.due.isoformat()}"})
        else:
            event = dataclasses.replace(event, payload={**event.payload, RECORDED_LATE: True})
            late.append((column, why))
    try:
        case.apply(event)
    except GongkaiError as e:
        raise _RowError(column, str(e)) from None
    except CalendarUnavailable as e:
        raise _RowError(column, str(e)) from None
