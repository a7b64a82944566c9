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
from workflow.letters import signer
from workflow.letters.render import Letter, fill, marked
from workflow.store import models


def cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# The settings a letter may not be written without besides the signer (``workflow.letters.signer``);
# a draft marks them instead.
REQUIRED_SETTINGS = (("letters", "contact"), ("letters", "review_body"), ("letters", "court"))
DRAFT_MARK = "草稿（未经核定，不得发出）"


@dataclass
class Fields:
    """What a template may print (display strings), the dates among them (ISO), and warnings.

    ``need`` refuses a blank the officer must fill, naming the option that fills it; a draft prints
    a visible mark in its place instead."""

    draft: bool = False
    values: dict[str, str] = field(default_factory=dict)
    dates: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def need(self, name: str, value: object, option: str, what: str) -> str:
        text = "" if value is None else str(value).strip()
        if not text:
            if not self.draft:
                raise InvalidInput(option, f"文书需要此项（{what}）；请用 {option} 给出内容，"
                                           f"或加 --draft 生成标明待填的草稿")
            text = f"【待填：{option}】"
            self.warnings.append(f"草稿：缺少 {option}（{what}）")
        self.values[name] = text
        return text

    def date(self, name: str, d: date) -> None:
        self.values[name], self.dates[name] = cn(d), d.isoformat()

    def period(self, name: str, d: Deadline | None, what: str, delivered: bool, letter: str) -> None:
        """The other side's period as the letter states it (``{name}_period``, ``name`` is correction,
        consultation or fee): the date it ends when the
        letter's delivery is recorded with its event (``--delivered-on``), else "自收到本函之日起N个工作日内",
        never a date computed as if the letter arrived the day it is dated. ``dates[{name}_due]`` keeps
        the deadline rules' date either way (they assume the sending day until a delivery is recorded)."""
        self.deadline(f"{name}_due", d, what)
        assert d is not None and d.length is not None
        due = self.values.pop(f"{name}_due")
        self.values[name + "_period"] = f"于{due}前（含当日）" if delivered else f"自收到{letter}之日起{d.length}个工作日内"

    def deadline(self, name: str, d: Deadline | None, what: str) -> None:
        if d is None:
            raise InvalidInput(name, f"办理记录中没有{what}的期限")
        self.date(name, d.due)
        if d.provisional:
            self.warnings.append(f"{what} {d.due.isoformat()} 落在节假日安排尚未公布的年度（暂定）："
                                 f"发出前请核对")


def target_event(case: Case, kind: letters.Kind, consultation: int | None) -> Event:
    found = [e for e in case.live if e.action in kind.actions]  # an undone action has no letter
    if consultation is not None:
        if not 1 <= consultation <= len(found):
            raise InvalidInput("--consultation", f"{case.ref} 只有 {len(found)} 次征求意见，没有第 {consultation} 次")
        return found[consultation - 1]
    if not found:
        raise InvalidInput("KIND", f"{case.ref} 没有记录 {' / '.join(kind.actions)}，无从写出{kind.aliases[-1]}；"
                                   f"请先记录（gongkai advance {case.ref} {kind.actions[0]} … --notice 文件）")
    if kind.code == "reply" and not case.concluded:
        raise InvalidInput("KIND", f"{case.ref} 尚未办结；答复书在记录 "
                                   f"{', '.join(kind.actions[:-1])} 或 {kind.actions[-1]} 后写出")
    return found[-1]


def _upto(app: Gongkai, case: Case, ev: Event, without: Event | None = None) -> Schedule:
    events = case.live[1:case.live.index(ev) + 1]
    return schedule(case.received_on, [e for e in events if e is not without], app.settings.calendar,
                    app.settings.periods, as_of=ev.on)


def _find(sched: Schedule, kind: str, key: str = "") -> Deadline | None:
    return next((d for d in sched.deadlines if d.kind == kind and (not key or d.key == key)), None)


def _delivered(ev: Event) -> bool:
    """Whether the letter's own event records the day it reached the other side (handed over)."""
    return bool(ev.payload.get("delivered_on"))


def _last_on(case: Case, ev: Event, action: str) -> date | None:
    before = case.live[:case.live.index(ev) + 1]
    return next((e.on for e in reversed(before) if e.action == action), None)


def _configured(f: Fields, value: str | signer.Missing) -> str:
    """A setting's value; one not configured is refused by its name (a draft marks it)."""
    if isinstance(value, signer.Missing):
        if not f.draft:
            raise InvalidInput(value.setting, value.what)
        f.warnings.append(f"草稿：未配置 {value.setting}")
        return f"【未配置 {value.setting}】"
    return value


def _common(app: Gongkai, row: models.Request, case: Case, kind: letters.Kind, ev: Event,
            payload: dict[str, object], draft: bool, agency_name: str | None) -> Fields:
    s = app.settings
    f = Fields(draft)
    office = _configured(f, signer.office_name(s, case.agency, agency_name))
    contact, review_body, court = (_configured(f, signer.setting(s, *k)) for k in REQUIRED_SETTINGS)
    number = ""
    if fmt := signer.number_format(s):
        abbr = _configured(f, signer.abbreviation(s, case.agency)) if "{abbr}" in fmt else ""
        nth = sum(1 for e in case.live[:case.live.index(ev) + 1] if e.action in kind.actions)
        number = signer.number(fmt, abbr, kind, row, nth if kind.code == "consultation" else 1)
    f.values.update({
        "title": kind.title, "ref": row.ref, "year": str(ev.on.year), "office": office, "number": number,
        "seal": str(s.get("letters", "seal") or ""), "contact": contact, "review_body": review_body, "court": court,
        "applicant": row.applicant_name, "subject": row.subject, "note": str(payload.get("note", "") or ""),
        "draft": DRAFT_MARK if draft else "",
    })
    f.date("received_on", case.received_on)
    f.date("dated", ev.on)
    return f


def _correction(app: Gongkai, case: Case, ev: Event, p: dict[str, object], f: Fields) -> None:
    f.need("items", p.get("items"), "--items", "需要补正的内容，条例第三十条：一次性告知")
    f.values.update({"correction_days": str(ev.payload["period"]), "basis": letters.CORRECTION_BASIS})
    f.period("correction", _find(_upto(app, case, ev), kinds.CORRECTION_PERIOD), "补正期限",
             _delivered(ev), "本通知")


def _open_pause(case: Case, ev: Event) -> str:
    """What the reply clock waits on when ``ev`` is recorded: a consultation, a fee, or nothing."""
    waiting = ""
    for e in case.live[:case.live.index(ev) + 1]:
        if e.action in (a.CONSULT, a.NOTIFY_FEE):
            waiting = e.action
        elif e.action in (a.CONSULT_REPLY, a.FEE_PAID):
            waiting = ""
    return waiting


def _extension(app: Gongkai, case: Case, ev: Event, p: dict[str, object], f: Fields) -> None:
    after = _upto(app, case, ev)
    f.deadline("reply_due", after.reply, "延期后的答复期限")
    f.deadline("reply_due_before", _upto(app, case, ev, without=ev).reply, "答复")
    f.need("reason", p.get("reason"), "--reason", "需要延长答复期限的理由，条例第三十三条第二款")
    pause = ""
    if after.paused_now:
        # Art. 33 ¶3 covers consultation only; the fee pause rests on a setting, not on an article.
        pause = (f"征求第三方和其他机关意见所需时间不计算在答复期限内（{letters.PAUSE_BASIS}）"
                 if _open_pause(case, ev) == a.CONSULT else "您缴纳信息处理费之前的时间不计算在答复期限内")
        pause += "，上述期限截至本告知书发出之日计算，此后不计入的时间将相应顺延。"
    f.values.update({
        "extension_days": str(ev.payload["days"]), "approved_by": str(ev.payload["approved_by"]),
        "basis": letters.EXTENSION_BASIS, "pause_note": pause,
    })


def _consultation(app: Gongkai, row: models.Request, case: Case, ev: Event, p: dict[str, object],
                  f: Fields) -> None:
    """To the consulted party: never the applicant's name or identity, nor the subject as the applicant
    wrote it; the officer describes the information (--describe) as the party may read it."""
    n = [e for e in case.events if e.action == a.CONSULT].index(ev) + 1
    party = letters.PARTIES[str(ev.payload.get("party", "third-party"))]
    f.need("to", p.get("to"), "--to", "收函的第三方")
    about = f.need("information", p.get("describe"), "--describe",
                   "向第三方描述所涉信息，不含申请人身份")
    for who in (row.applicant_name, row.phone, row.id_number, row.address):
        if who and who.strip() and who.strip() in about:
            raise InvalidInput("--describe", "写出了申请人的姓名或联系方式；不得让被征求意见的第三方"
                                             "知道申请人是谁：只描述所申请的信息")
    f.period(kinds.CONSULTATION, _find(_upto(app, case, ev), kinds.CONSULTATION, str(n)),
             "第三方答复", _delivered(ev), "本函")
    you, due = party.you, f.values["consultation_period"]
    f.values.update({"consultation": str(n), "basis": letters.consultation_basis(party.code), "you": you,
                     "why": party.why.format(you=you), "ask": party.ask.format(you=you, due=due),
                     "silence": party.silence.format(you=you), "applicant": "", "subject": ""})


def _fee(app: Gongkai, q: Quote | None, case: Case, ev: Event, f: Fields) -> None:
    amount = str(ev.payload["amount"])
    f.values.update({"amount": amount.removesuffix(".00"), "payment": str(app.settings.get("letters", "fee_payment"))})
    if q is None:  # the notice must give 依据、标准、数额 (国办函〔2020〕109号)
        f.need("method", None, "--pages", "或 --items：收费的计算方式和标准")
        f.values.update({"quantity": "", "standard": f.values["method"], "arithmetic": f.values["method"],
                         "basis": letters.fee_basis("pages")})
    else:
        fee = q.fee
        if q.month is None:  # by pages
            quantity = f"本申请提供的政府信息共{fee.units}页。"
        else:
            year, month = (int(x) for x in str(q.month).split("-"))
            quantity = (f"本申请按“一事一申请”原则计{fee.units}件，为您{year}年{month}月向本机关提出的申请"
                        f"累计第{fee.first}—{fee.last}件。")
        f.values.update({"method": METHOD_LABELS[fee.method], "quantity": quantity, "standard": fee.standard(),
                         "arithmetic": fee.arithmetic(), "basis": letters.fee_basis(fee.method)})
        if Decimal(amount) != fee.total:
            f.warnings.append(f"记录的金额 {amount} 元与按标准计算的 {fee.total} 元"
                              f"（{fee.arithmetic()}）不一致：通知按记录的金额写出")
    f.period("fee", _find(_upto(app, case, ev), kinds.FEE_PAYMENT), "缴费期限", _delivered(ev), "本通知")


def _reply(app: Gongkai, case: Case, ev: Event, p: dict[str, object], f: Fields) -> str:
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
    grounds = letters.GROUNDS.get(case.outcome, {})
    ground = f.need("ground", p.get("ground"), "--ground", f"依据哪一项认定：{' 或 '.join(grounds)}") if grounds else ""
    try:
        r = letters.reply(case.outcome, third_party_consulted=consulted, ground_code=ground)
    except ValueError as e:
        if not f.draft:
            raise InvalidInput("--ground", str(e)) from None
        r = letters.reply(case.outcome, consulted, next(iter(grounds)))
    if "{obtain}" in r.finding:
        f.need("obtain", p.get("obtain"), "--obtain", "申请人获取信息的方式、地点和时间")
    f.values["holder"] = ""
    if "{holder}" in r.finding:
        holder = f.need("holder", p.get("holder"), "--holder", "掌握该信息的机关及其联系方式，或写 无法确定")
        f.values["holder"] = letters.holder_text(holder) if not holder.startswith("【") else holder
    terms = letters.RemedyTerms(review_body=f.values["review_body"], court=f.values["court"],
        review_days=int(app.settings.get("letters", "review_period_days")),
        litigation_months=int(app.settings.get("letters", "litigation_period_months")),
        no_lawsuit=signer.no_lawsuit(app.settings),
    )
    details = f.values["note"] or str(ev.payload.get("reason", ""))
    if case.outcome == "partially_disclosed":  # 条例第三十七条: 对不予公开的内容说明理由
        details = f.need("details", details, "--note", "其余部分不予公开的理由，条例第三十七条")
    f.values.update({"outcome": case.outcome, "basis": r.basis, "finding": r.finding.format_map(f.values),
                     "details": details, "remedies": letters.remedies(case.outcome, terms)})
    return r.template


def compose(app: Gongkai, row: models.Request, case: Case, kind_code: str, consultation: int | None = None,
            quote: Quote | None = None, blanks: dict[str, str] | None = None, draft: bool = False,
            agency_name: str | None = None) -> Letter:
    """The letter of ``kind_code`` for the request, as of the event it is about; a fee notice states
    ``quote``, the fee by the pages or items its event recorded (None if it recorded neither).
    ``blanks`` fill what the event did not record (``gongkai notice … --items``); a ``draft`` marks
    missing settings and blanks instead of refusing. ``agency_name`` is the request's agency's registered
    name, which signs the letter (``workflow.letters.signer``)."""
    kind = letters.KINDS[kind_code]
    ev = target_event(case, kind, consultation)
    p = {**ev.payload, **{k: v for k, v in (blanks or {}).items() if v}}
    f = _common(app, row, case, kind, ev, p, draft, agency_name)
    template = kind.code
    if kind.code == "correction":
        _correction(app, case, ev, p, f)
    elif kind.code == "extension":
        _extension(app, case, ev, p, f)
    elif kind.code == "consultation":
        _consultation(app, row, case, ev, p, f)
    elif kind.code == "fee":
        _fee(app, quote, case, ev, f)
    else:
        template = _reply(app, case, ev, p, f)
    about = case.events.index(ev) + 1  # the event's seq (events applied in this unit of work carry none yet)
    letter = fill(template, f.values, kind.code, kind.title, row.ref, about, f.dates, f.warnings)
    return marked(letter, DRAFT_MARK) if draft else letter
