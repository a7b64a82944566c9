"""The letters of a request, written from its history: notices on the way, and the reply.

Every date a letter prints is computed by the deadline rules from the recorded events, never typed:
the receipt date, the end of the applicant's correction period, the reply deadline before and after
an extension, the date a consulted party must answer by, the fee payment date. A letter is about the
latest event of its kind (``request-correction`` for the correction notice, ``consult`` for the
consultation letter …, the concluding event for the reply) and is computed from the history up to
that event, so printing it again later gives the same letter. What to cite and the remedies come
from ``rules.letters``; the wording from the office's templates (``config/notices/``, see its
README); rendering is DOCX (python-docx) or plain text.

Each rendering is recorded as a ``notice`` event (kind, file, format, sha256, the event it is
about) in the same unit of work; a file is written next to its destination and moved into place
only once the record is committed.

Example: a request received 2026-03-02 whose correction was asked on 2026-03-05 with a period of
10 working days gets a 补正告知书 dated 2026年3月5日 asking for the correction by 2026年3月19日.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from rules import letters
from rules.deadlines import Deadline, Schedule, schedule
from rules.fees import METHOD_LABELS
from workflow import db, history, models
from workflow.commands import Advance
from workflow.errors import ConcurrentChange, FrozenYear, InvalidInput
from workflow.letter_format import FORMATS, Letter, fill, to_docx, to_text
from workflow.lifecycle import Case, Event
from workflow.services import Gongkai, advance_in, guard_open_year

T = TypeVar("T")


def cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass
class Fields:
    """What a template may print (display strings), the dates among them (ISO), and warnings."""

    values: dict[str, str] = field(default_factory=dict)
    dates: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def date(self, name: str, d: date) -> None:
        self.values[name], self.dates[name] = cn(d), d.isoformat()

    def deadline(self, name: str, d: Deadline | None, what: str) -> None:
        if d is None:
            raise InvalidInput(name, f"no {what} deadline in the history")
        self.date(name, d.due)
        if d.provisional:
            self.warnings.append(f"{what} {d.due.isoformat()} runs into a year whose holiday notice is not "
                                 f"published yet (暂定): check it before sending")


def _target(case: Case, kind: letters.Kind, consultation: int | None) -> Event:
    found = [e for e in case.events if e.action in kind.actions]
    if consultation is not None:
        if not 1 <= consultation <= len(found):
            raise InvalidInput("--consultation", f"{case.ref} has {len(found)} consultation(s), not #{consultation}")
        return found[consultation - 1]
    if not found:
        raise InvalidInput("KIND", f"{case.ref} has no {' / '.join(kind.actions)} recorded, so there is no "
                                   f"{kind.aliases[-1]} to write; record it first (gongkai advance {case.ref} "
                                   f"{kind.actions[0]} … --notice FILE)")
    if kind.code == "reply" and not case.concluded:
        raise InvalidInput("KIND", f"{case.ref} is not concluded: the reply is written with decide, "
                                   f"lapse-correction, fee-lapsed or withdraw")
    return found[-1]


def _upto(app: Gongkai, case: Case, ev: Event, without: Event | None = None) -> Schedule:
    events = case.events[1:case.events.index(ev) + 1]
    return schedule(case.received_on, [e for e in events if e is not without], app.settings.calendar,
                    app.settings.periods, as_of=ev.on)


def _find(sched: Schedule, kind: str, key: str = "") -> Deadline | None:
    return next((d for d in sched.deadlines if d.kind == kind and (not key or d.key == key)), None)


def _last_on(case: Case, ev: Event, action: str) -> date | None:
    before = case.events[:case.events.index(ev) + 1]
    return next((e.on for e in reversed(before) if e.action == action), None)


def _common(app: Gongkai, row: models.Request, case: Case, kind: letters.Kind, ev: Event) -> Fields:
    s = app.settings
    f = Fields()
    f.values.update({
        "title": kind.title, "ref": row.ref, "year": str(ev.on.year), "office": str(s.get("office", "name")),
        "seal": str(s.get("letters", "seal")), "contact": str(s.get("letters", "contact")),
        "applicant": row.applicant_name, "subject": row.subject, "note": str(ev.payload.get("note", "")),
    })
    f.date("received_on", case.received_on)
    f.date("dated", ev.on)
    return f


def _correction(app: Gongkai, case: Case, ev: Event, f: Fields) -> None:
    items = str(ev.payload.get("items", "")).strip()
    if not items:
        f.warnings.append("no items to correct were recorded (request-correction --items): the notice "
                          "leaves a blank to fill in by hand (条例第三十条 requires them)")
    f.values.update({"items": items or "＿＿＿＿＿＿＿＿＿＿＿＿", "correction_days": str(ev.payload["period"]),
                     "basis": letters.CORRECTION_BASIS})
    f.deadline("correction_due", _find(_upto(app, case, ev), "correction_period"), "the correction period")


def _extension(app: Gongkai, case: Case, ev: Event, f: Fields) -> None:
    after = _upto(app, case, ev)
    f.deadline("reply_due", after.reply, "the extended reply")
    f.deadline("reply_due_before", _upto(app, case, ev, without=ev).reply, "the reply")
    note = f.values["note"]
    f.values.update({
        "extension_days": str(ev.payload["days"]), "approved_by": str(ev.payload["approved_by"]),
        "basis": letters.EXTENSION_BASIS, "reason": f"延期理由：{note}" if note else "",
        "pause_note": (f"征求第三方或者其他机关意见、等待缴费所需时间不计算在答复期限内（{letters.PAUSE_BASIS}），"
                       f"上述期限截至本告知书发出之日计算，此后不计入的时间将相应顺延。") if after.paused_now else "",
    })


def _consultation(app: Gongkai, case: Case, ev: Event, f: Fields) -> None:
    n = [e for e in case.events if e.action == "consult"].index(ev) + 1
    party = str(ev.payload.get("party", "third-party"))
    to = str(ev.payload.get("to", "")) or ("第三方" if party == "third-party" else "有关行政机关")
    f.values.update({"consultation": str(n), "to": to, "basis": letters.consultation_basis(party),
                     "why": letters.consultation_reason(party), "silence": letters.consultation_silence(party)})
    f.deadline("consultation_due", _find(_upto(app, case, ev), "consultation", str(n)), "the consultation reply")


def _fee(app: Gongkai, session: Session, row: models.Request, case: Case, ev: Event, f: Fields) -> None:
    from workflow import fees as fee_service

    amount = str(ev.payload["amount"])
    f.values.update({"amount": amount.removesuffix(".00"), "payment": str(app.settings.get("letters", "fee_payment"))})
    pages, items = ev.payload.get("pages"), fee_service.items_recorded(dict(ev.payload))
    if pages is None and items is None:
        f.warnings.append("the fee notice was recorded without --pages or --items: its standard cannot be "
                          "stated (the notice must give 依据、标准、数额)")
        f.values.update({"method": "", "quantity": "", "standard": "＿＿＿＿", "arithmetic": "",
                         "basis": letters.fee_basis("pages")})
    else:
        q = fee_service.quote_in(app, session, row, int(pages) if pages is not None else None, items)
        fee = q.fee
        if pages is not None:
            quantity = f"本申请提供的政府信息共{fee.units}页。"
        else:
            year, month = (int(x) for x in str(q.month).split("-"))
            quantity = (f"本申请按“一事一申请”原则计{fee.units}件，为您{year}年{month}月向本机关提出的申请"
                        f"累计第{fee.first}—{fee.last}件。")
        f.values.update({"method": METHOD_LABELS[fee.method], "quantity": quantity, "standard": fee.standard(),
                         "arithmetic": fee.arithmetic(), "basis": letters.fee_basis(fee.method)})
        if Decimal(amount) != fee.total:
            f.warnings.append(f"the recorded amount {amount} yuan differs from the tiers' {fee.total} yuan "
                              f"({fee.arithmetic()}): the notice prints the recorded amount")
    f.deadline("fee_due", _find(_upto(app, case, ev), "fee_payment"), "the fee payment")


def _reply(app: Gongkai, case: Case, ev: Event, f: Fields) -> str:
    assert case.outcome is not None
    sched = _upto(app, case, ev)
    for action, name in (("request-correction", "correction_sent"), ("receive-correction", "correction_received"),
                         ("notify-fee", "fee_sent")):
        if (on := _last_on(case, ev, action)) is not None:
            f.date(name, on)
    for kind, name in (("correction_period", "correction_due"), ("fee_payment", "fee_due")):
        if (d := _find(sched, kind)) is not None:
            f.date(name, d.due)
    f.date("concluded_on", ev.on)
    consulted = any(e.action == "consult" and e.payload.get("party", "third-party") == "third-party"
                    for e in case.events)
    r = letters.reply(case.outcome, third_party_consulted=consulted)
    terms = letters.RemedyTerms(
        review_body=str(app.settings.get("letters", "review_body")), court=str(app.settings.get("letters", "court")),
        review_days=int(app.settings.get("letters", "review_period_days")),
        litigation_months=int(app.settings.get("letters", "litigation_period_months")),
    )
    details = f.values["note"] or str(ev.payload.get("reason", ""))
    if case.outcome == "partially_disclosed" and not details:
        f.warnings.append("no reasons for the withheld parts were recorded (decide --note): 条例第三十七条 "
                          "requires them; the reply leaves them out")
    f.values.update({"outcome": case.outcome, "basis": r.basis, "finding": r.finding.format_map(f.values),
                     "details": details, "remedies": letters.remedies(case.outcome, terms)})
    return r.template


def compose(app: Gongkai, session: Session, row: models.Request, case: Case, kind_code: str,
            consultation: int | None = None) -> Letter:
    """The letter of ``kind_code`` for the request, as of the event it is about."""
    kind = letters.KINDS[kind_code]
    ev = _target(case, kind, consultation)
    f = _common(app, row, case, kind, ev)
    template = kind.code
    if kind.code == "correction":
        _correction(app, case, ev, f)
    elif kind.code == "extension":
        _extension(app, case, ev, f)
    elif kind.code == "consultation":
        _consultation(app, case, ev, f)
    elif kind.code == "fee":
        _fee(app, session, row, case, ev, f)
    else:
        template = _reply(app, case, ev, f)
    about = case.events.index(ev) + 1  # the event's seq (events applied in this unit of work carry none yet)
    return fill(template, f.values, kind.code, kind.title, row.ref, about, f.dates, f.warnings)


# -- writing and recording -----------------------------------------------------------------------

@dataclass
class Rendered:
    """A letter rendered and recorded; its file appears at ``out`` once the record is committed."""

    letter: Letter
    fmt: str
    data: bytes
    out: Path | None
    tmp: Path | None
    seq: int  # the notice event

    def publish(self) -> None:
        if self.tmp is not None and self.out is not None:
            os.replace(self.tmp, self.out)
            self.tmp = None

    def discard(self) -> None:
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)
            self.tmp = None

    def summary(self) -> dict[str, Any]:
        return {"ref": self.letter.ref, "kind": self.letter.kind, "title": self.letter.title,
                "template": self.letter.template, "format": self.fmt,
                "file": str(self.out) if self.out else None, "sha256": hashlib.sha256(self.data).hexdigest(),
                "about_event": self.letter.about, "notice_event": self.seq, "dates": self.letter.dates,
                "warnings": list(self.letter.warnings)}


def output_format(out: Path | None, fmt: str | None) -> str:
    chosen = (fmt or ("docx" if out is not None and out.suffix.lower() == ".docx" else "text")).lower()
    chosen = {"txt": "text"}.get(chosen, chosen)
    if chosen not in FORMATS:
        raise InvalidInput("--format", f"{fmt!r} is not a format; expected docx or text")
    if chosen == "docx" and out is None:
        raise InvalidInput("--format", "a DOCX letter needs --out FILE")
    return chosen


def _write_tmp(out: Path, data: bytes) -> Path:
    if not out.parent.is_dir():
        raise InvalidInput("--out", f"the directory {out.parent} does not exist")
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
    except OSError as e:
        raise InvalidInput("--out", f"cannot write {out}: {e.strerror}") from None
    return tmp


def _notice_date(app: Gongkai, session: Session, row: models.Request, case: Case, letter: Letter) -> date:
    """The letter's own date, or the last event's if later (histories are in date order); today only
    if that day lies in a closed year. The moment it was actually written is the event's recorded_at."""
    on = max(case.events[letter.about - 1].on, case.events[-1].on)
    try:
        guard_open_year(session, row.agency, on, "notice")
    except FrozenYear:
        guard_open_year(session, row.agency, app.today, "notice")
        return app.today
    return on


def record_in(app: Gongkai, session: Session, row: models.Request, case: Case, kind_code: str,
              out: Path | None, fmt: str | None, consultation: int | None = None) -> Rendered:
    """Compose, render and record one letter inside an open unit of work (the file comes later)."""
    chosen = output_format(out, fmt)
    letter = compose(app, session, row, case, kind_code, consultation)
    data = to_docx(letter) if chosen == "docx" else to_text(letter).encode()
    target = out.resolve() if out is not None else None
    payload = {"kind": kind_code, "format": chosen, "file": str(target) if target else "-",
               "sha256": hashlib.sha256(data).hexdigest(), "about": letter.about}
    if case.outcome is not None:
        # Case.apply re-reads the outcome from any event applied to a concluded case, records included.
        payload["outcome"] = case.outcome
    event = Event("notice", _notice_date(app, session, row, case, letter), payload, app.officer)
    case.apply(event)
    assert row.id is not None
    last_hash = history.append(session, row, [event], history.events_of(session, row.id)[-1])
    history.save_cache(session, row, case, row.version, last_hash)
    tmp = _write_tmp(target, data) if target is not None else None
    return Rendered(letter, chosen, data, target, tmp, len(case.events))


def in_one_unit(app: Gongkai, ref: str, work: Callable[[Session], tuple[T, Rendered | None]]) -> tuple[T, Rendered | None]:
    """Run ``work`` in one unit of work; move its letter into place only if everything committed."""
    done: tuple[T, Rendered | None] | None = None
    try:
        with db.unit_of_work(app.engine) as session:
            done = work(session)
    except BaseException as e:
        if done is not None and done[1] is not None:
            done[1].discard()
        if isinstance(e, IntegrityError):
            raise ConcurrentChange(ref) from None
        raise
    if done[1] is not None:
        done[1].publish()
    return done


def render(app: Gongkai, ref: str, kind: str, out: Path | None = None, fmt: str | None = None,
           consultation: int | None = None) -> Rendered:
    """``gongkai notice REF KIND``: write the letter and record that it was written."""
    try:
        code = letters.kind(kind).code
    except ValueError as e:
        raise InvalidInput("KIND", str(e)) from None

    def work(session: Session) -> tuple[None, Rendered]:
        row = history.find(session, app.agency, ref)
        case = history.load(session, row, app.context)
        return None, record_in(app, session, row, case, code, out, fmt, consultation)

    rendered = in_one_unit(app, ref, work)[1]
    assert rendered is not None
    return rendered


def advance_with_notice(app: Gongkai, cmd: Advance, out: Path, fmt: str | None = None) -> Rendered:
    """``advance REF ACTION --notice FILE``: the action and the letter it requires, together."""
    code = letters.LETTER_OF_ACTION.get(cmd.action)
    if code is None:
        needing = ", ".join(letters.LETTER_OF_ACTION)
        raise InvalidInput("--notice", f"{cmd.action} needs no letter; the actions that do: {needing}")

    def work(session: Session) -> tuple[None, Rendered]:
        case = advance_in(app, session, cmd)
        row = history.find(session, cmd.agency or app.agency, cmd.ref)
        return None, record_in(app, session, row, case, code, out, fmt)

    rendered = in_one_unit(app, cmd.ref, work)[1]
    assert rendered is not None
    return rendered
