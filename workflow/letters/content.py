"""What a letter says, computed from the request's history: its fields and dates, then its template.

Every date a letter prints comes from the deadline rules applied to the recorded events, never typed:
the receipt date, the end of the applicant's correction period, the reply deadline before and after
an extension, the date a consulted party must answer by, the fee payment date. A letter is about the
latest event of its kind (``request-correction`` for the correction notice, ``consult`` for the
consultation letter …, the concluding event for the reply) and is computed from the history up to
that event, so printing it again later gives the same letter. What to cite and the remedies come
from ``rules.letters``; the wording from the office's templates (``workflow.letters.render``).

Example: a request received 2026-03-02 whose correction was asked on 2026-03-05 with a period of
10 working days gets a 补正告知书 dated 2026年3月5日 asking for the correction by 2026年3月19日.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from rules import actions as a
from rules import deadline_kinds as kinds
from rules import letters
from rules.deadlines import Deadline, Schedule, schedule
from rules.fees import METHOD_LABELS
from workflow.app import Gongkai
from workflow.domain.errors import InvalidInput
from workflow.domain.lifecycle import Case, Event
from workflow.domain.quotes import Quote
from workflow.letters.render import Letter, fill
from workflow.store import models


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


def target_event(case: Case, kind: letters.Kind, consultation: int | None) -> Event:
    found = [e for e in case.live if e.action in kind.actions]  # an undone action has no letter
    if consultation is not None:
        if not 1 <= consultation <= len(found):
            raise InvalidInput("--consultation", f"{case.ref} has {len(found)} consultation(s), not #{consultation}")
        return found[consultation - 1]
    if not found:
        raise InvalidInput("KIND", f"{case.ref} has no {' / '.join(kind.actions)} recorded, so there is no "
                                   f"{kind.aliases[-1]} to write; record it first (gongkai advance {case.ref} "
                                   f"{kind.actions[0]} … --notice FILE)")
    if kind.code == "reply" and not case.concluded:
        raise InvalidInput("KIND", f"{case.ref} is not concluded: the reply is written with "
                                   f"{', '.join(kind.actions[:-1])} or {kind.actions[-1]}")
    return found[-1]


def _upto(app: Gongkai, case: Case, ev: Event, without: Event | None = None) -> Schedule:
    events = case.live[1:case.live.index(ev) + 1]
    return schedule(case.received_on, [e for e in events if e is not without], app.settings.calendar,
                    app.settings.periods, as_of=ev.on)


def _find(sched: Schedule, kind: str, key: str = "") -> Deadline | None:
    return next((d for d in sched.deadlines if d.kind == kind and (not key or d.key == key)), None)


def _last_on(case: Case, ev: Event, action: str) -> date | None:
    before = case.live[:case.live.index(ev) + 1]
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
        f.warnings.append(f"no items to correct were recorded ({a.REQUEST_CORRECTION} --items): the notice "
                          "leaves a blank to fill in by hand (条例第三十条 requires them)")
    f.values.update({"items": items or "＿＿＿＿＿＿＿＿＿＿＿＿", "correction_days": str(ev.payload["period"]),
                     "basis": letters.CORRECTION_BASIS})
    f.deadline("correction_due", _find(_upto(app, case, ev), kinds.CORRECTION_PERIOD), "the correction period")


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
    n = [e for e in case.events if e.action == a.CONSULT].index(ev) + 1
    party = str(ev.payload.get("party", "third-party"))
    to = str(ev.payload.get("to", "")) or ("第三方" if party == "third-party" else "有关行政机关")
    f.values.update({"consultation": str(n), "to": to, "basis": letters.consultation_basis(party),
                     "why": letters.consultation_reason(party), "silence": letters.consultation_silence(party)})
    f.deadline("consultation_due", _find(_upto(app, case, ev), kinds.CONSULTATION, str(n)), "the consultation reply")


def _fee(app: Gongkai, q: Quote | None, case: Case, ev: Event, f: Fields) -> None:
    amount = str(ev.payload["amount"])
    f.values.update({"amount": amount.removesuffix(".00"), "payment": str(app.settings.get("letters", "fee_payment"))})
    pages = ev.payload.get("pages")
    if q is None:
        f.warnings.append("the fee notice was recorded without --pages or --items: its standard cannot be "
                          "stated (the notice must give 依据、标准、数额)")
        f.values.update({"method": "", "quantity": "", "standard": "＿＿＿＿", "arithmetic": "",
                         "basis": letters.fee_basis("pages")})
    else:
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
    f.deadline("fee_due", _find(_upto(app, case, ev), kinds.FEE_PAYMENT), "the fee payment")


def _reply(app: Gongkai, case: Case, ev: Event, f: Fields) -> str:
    assert case.outcome is not None
    sched = _upto(app, case, ev)
    for action, name in ((a.REQUEST_CORRECTION, "correction_sent"), (a.RECEIVE_CORRECTION, "correction_received"),
                         (a.NOTIFY_FEE, "fee_sent")):
        if (on := _last_on(case, ev, action)) is not None:
            f.date(name, on)
    for kind, name in ((kinds.CORRECTION_PERIOD, "correction_due"), (kinds.FEE_PAYMENT, "fee_due")):
        if (d := _find(sched, kind)) is not None:
            f.date(name, d.due)
    f.date("concluded_on", ev.on)
    consulted = any(e.action == a.CONSULT and e.payload.get("party", "third-party") == "third-party"
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


def compose(app: Gongkai, row: models.Request, case: Case, kind_code: str, consultation: int | None = None,
            quote: Quote | None = None) -> Letter:
    """The letter of ``kind_code`` for the request, as of the event it is about; a fee notice states
    ``quote``, the fee by the pages or items its event recorded (None if it recorded neither)."""
    kind = letters.KINDS[kind_code]
    ev = target_event(case, kind, consultation)
    f = _common(app, row, case, kind, ev)
    template = kind.code
    if kind.code == "correction":
        _correction(app, case, ev, f)
    elif kind.code == "extension":
        _extension(app, case, ev, f)
    elif kind.code == "consultation":
        _consultation(app, case, ev, f)
    elif kind.code == "fee":
        _fee(app, quote, case, ev, f)
    else:
        template = _reply(app, case, ev, f)
    about = case.events.index(ev) + 1  # the event's seq (events applied in this unit of work carry none yet)
    return fill(template, f.values, kind.code, kind.title, row.ref, about, f.dates, f.warnings)
