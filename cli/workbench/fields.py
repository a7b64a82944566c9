"""The fields of the workbench's forms, read off the actions' declaration (``rules.actions``).

An action's form is its date (default today) and its declared options, in order, then the note every
action takes; codes (the consulted party, the outcome) are select lists of their Chinese labels, the
dates accept what people write (2026-03-02, 2026/3/2, 2026.3.2, 2026年3月2日, 今天, 昨天). A new option
declared with its action appears in the form with nothing else to edit; only its Chinese caption is
added here. ``n`` (register) has the same shape, with the intake's channels and applicant types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from rules import actions as a
from rules import outcomes, spelling
from rules.intake.channels import CHANNELS
from rules.letters import LETTER_OF_ACTION
from rules.letters import PARTIES as CONSULTED
from rules.report.layout import APPLICANT_LABELS
from workflow.domain.errors import InvalidInput
from workflow.domain.states import VOIDED

CAPTIONS: dict[str, str] = dict(  # keyed by the options' names
    on="日期", period="补正期限（工作日）", items="事项", delivered_on="送达日期", party="征求对象类型", to="征求对象",
    consultation="第几次征求意见", days="延长（工作日）", approved_by="批准的负责人", amount="金额（元）", pages="页数", until="延迟至",
    reason="理由", outcome="办理结果", note="备注", received_on="收到日期", channel="渠道", confirmed_on="确认日期",
    applicant="申请人", applicant_type="申请人类型", subject="申请内容", phone="电话", id_number="身份证号", address="地址",
    notice="文书文件", describe="致对方的信息描述",
)
# Whom a consultation goes to, as the letters declare them: Arts. 32, 34, 17 ¶3 and 11 ¶2.
PARTIES = tuple((f"{p.who}（条例{p.article}）", p.code) for p in CONSULTED.values())


def _outcome_label(o: outcomes.Outcome) -> str:
    label = re.sub(r"^(（.）|\d+\.)", "", o.label).split("（")[0]
    return label if o.group.startswith("三") else f"{o.group[3:]}：{label}"


OUTCOME_CHOICES = tuple((_outcome_label(o), o.code) for o in outcomes.OUTCOMES.values() if o.by_decision)
CHOICES: dict[str, tuple[tuple[str, str], ...]] = {
    "party": PARTIES, "outcome": OUTCOME_CHOICES,
    "channel": tuple((c.label, c.code) for c in CHANNELS.values()),
    "applicant_type": tuple((label, code) for code, label in APPLICANT_LABELS.items()),
}


@dataclass(frozen=True)
class Field:
    name: str
    required: bool = False
    is_date: bool = False
    default_today: bool = False
    default: str = ""  # what the field holds when the form opens (the letter's file)

    @property
    def caption(self) -> str:
        return CAPTIONS.get(self.name, self.name) + ("*" if self.required else "")

    @property
    def choices(self) -> tuple[tuple[str, str], ...] | None:
        return CHOICES.get(self.name)


def action_fields(action: str) -> tuple[Field, ...]:
    """The action's date, its declared options and the note; then, for an action that requires a
    letter (``rules.actions``' ``letter``), the file the letter is written to on confirm (blank: none)."""
    own = tuple(Field(o.name, o.required, o.metavar == "DATE", o.required and o.metavar == "DATE")
                for o in a.ACTIONS[action].options)
    kind = a.ACTIONS[action].letter
    letter = (*(Field(b) for b in LETTER_BLANKS.get(kind or "", ())), Field(NOTICE)) if kind else ()
    return (Field("on", True, True, True), *own, *(Field(o.name) for o in a.COMMON), *letter)


NOTICE = "notice"  # the form's field for the letter's file; not part of the action's payload
# What a letter needs that its action does not record (``gongkai notice``'s options of the same name):
# the consultation letter describes the information without the applicant's words (Art. 32).
LETTER_BLANKS: dict[str, tuple[str, ...]] = {LETTER_OF_ACTION[a.CONSULT]: ("describe",)}
BLANKS = frozenset(b for names in LETTER_BLANKS.values() for b in names)


REGISTER_FIELDS = (
    Field("received_on", True, True, True), Field("channel", True), Field("confirmed_on", is_date=True),
    Field("applicant", True), Field("applicant_type", True), Field("subject", True),
    Field("phone"), Field("id_number"), Field("address"),
)


def parse_day(caption: str, text: str, today: date) -> date:
    """A date as people write it (``rules.spelling``, the same as the command line's); a one-line
    error naming the field otherwise."""
    try:
        return spelling.parse_date(text, today)
    except ValueError as e:
        raise InvalidInput(caption, str(e)) from None


# The key of each step in the workbench, mnemonic where the pinyin allows (答复 d, 征求意见 z …).
ACTION_KEYS: dict[str, str] = {
    a.REQUEST_CORRECTION: "b", a.RECEIVE_CORRECTION: "s", a.LAPSE_CORRECTION: "l", a.CONSULT: "z",
    a.CONSULT_REPLY: "y", a.EXTEND: "e", a.NOTIFY_FEE: "f", a.FEE_PAID: "p", a.FEE_LAPSED: "x",
    a.DELIVERED: "t", a.DELAY: "c", a.DECIDE: "d", a.WITHDRAW: "w",
}
assert set(ACTION_KEYS) == set(a.STEPS) - a.CORRECTIONS, "every step of the procedure has a key"
# The corrections (a request registered by mistake, the last action recorded by mistake) on keys of their own.
CORRECTION_KEYS: dict[str, str] = {a.VOID: "v", a.UNDO: "u"}
assert set(CORRECTION_KEYS) == a.CORRECTIONS, "every correction has a key"
ALL_KEYS = {**ACTION_KEYS, **CORRECTION_KEYS}


def corrections_now(d: dict[str, Any]) -> list[str]:
    """The corrections offered on a request: both until it is voided. Whether there is anything to
    undo is the lifecycle's to say (``rules.corrections``); its reason shows in the form's preview."""
    return [] if d["state"] == VOIDED else [a.VOID, a.UNDO]
