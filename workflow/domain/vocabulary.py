"""The words an officer may type for each coded option: the code, its Chinese label, or a short form.

Codes stay the contract of ``--json`` and scripts; officers read and type labels. Each function
here reads one option and returns its code, or raises ``InvalidInput`` naming the option, with the
candidates when the word is ambiguous (``rules.spelling.lookup``)::

    action("撤回")                  → "withdraw"     (撤回申请)
    action("撤")                    → refused: 撤回申请 or 撤销上一步
    state("办理中")                 → "received"
    role("负责人")                  → "supervisor"
    cell("不掌握：个人")             → "unavailable.not_held:natural_person"

Outcomes and applicant types are read where they are checked (``rules.outcomes.outcome``,
``rules.report.layout.applicant_type``), so the importer accepts the same words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TypeVar

from rules import actions as a
from rules import spelling
from rules.report.layout import (
    APPLICANT_LABELS,
    APPLICANT_SHORT_FORMS,
    TABLE3_ROWS,
    TABLE4_BLOCKS,
    TABLE4_COLUMNS,
)
from workflow.domain.errors import InvalidInput
from workflow.domain.states import STATE_LABELS

T = TypeVar("T")

# What ``gongkai advance`` records, by the labels ``show`` prints.
ACTION_LABELS: dict[str, str] = {name: a.LABELS[name] for name in a.STEPS}
ACTION_SHORT_FORMS = {"延期": a.EXTEND, "撤销": a.UNDO}
OPEN = "open"
STATE_CHOICES: dict[str, str] = {OPEN: "未办结", **STATE_LABELS}
STATE_SHORT_FORMS = {"办结": "concluded", "作废": "voided", "在办": OPEN}
ROLE_LABELS: dict[str, str] = {"officer": "经办人", "supervisor": "负责人", "platform": "平台管理员"}
ROLE_SHORT_FORMS = {"领导": "supervisor", "管理员": "platform"}
_ROWS: dict[str, str] = {r.code: r.label for r in TABLE3_ROWS} | {b.code: b.label for b in TABLE4_BLOCKS}
_APPLICANT_COLUMNS: dict[str, str] = {**APPLICANT_LABELS, "total": "总计"}
_APPEAL_COLUMNS: dict[str, str] = {c.code: c.label for c in TABLE4_COLUMNS}
_BLOCKS = {b.code for b in TABLE4_BLOCKS}


def read(option: str, parse: Callable[[], T]) -> T:
    """``parse()``, its ``ValueError`` as the one-line error of ``option``."""
    try:
        return parse()
    except ValueError as e:
        raise InvalidInput(option, str(e)) from None


def _code(option: str, what: str, text: str, labels: Mapping[str, str], short: Mapping[str, str]) -> str:
    return read(option, lambda: spelling.lookup(text, what, labels, short))


def action(text: str, option: str = "ACTION") -> str:
    return _code(option, "事项", text, ACTION_LABELS, ACTION_SHORT_FORMS)


def state(text: str, option: str = "--state") -> str:
    return _code(option, "状态", text, STATE_CHOICES, STATE_SHORT_FORMS)


def role(text: str, option: str = "--role") -> str:
    return _code(option, "角色", text, ROLE_LABELS, ROLE_SHORT_FORMS)


def day(text: str, today: date, option: str) -> date:
    return read(option, lambda: spelling.parse_date(text, today))


def reference(text: str, year: int) -> str:
    return spelling.reference(text, year)


def cell(text: str, option: str = "--cell") -> str:
    """``ROW:COLUMN`` of the report in codes, from codes or labels (a full-width colon too)."""
    row, sep, column = spelling.normal(text).partition(":")
    if not sep:
        raise InvalidInput(option, f"{text!r} 不是 行:列（例如 本机关不掌握相关政府信息:自然人，"
                                   f"或 unavailable.not_held:natural_person）")
    row = _code(option, "报表行", row, _ROWS, {})
    if row in _BLOCKS:
        return f"{row}:{_code(option, '报表列', column, _APPEAL_COLUMNS, {})}"
    return f"{row}:{_code(option, '报表列', column, _APPLICANT_COLUMNS, APPLICANT_SHORT_FORMS)}"
