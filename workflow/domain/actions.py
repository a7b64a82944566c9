"""The options each action takes, checked and normalised into the event's payload.

This is the contract scripts rely on (``gongkai advance REF ACTION [options]``): option names are
stable, and an option given to an action that does not use it is an error rather than ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from rules import actions as a
from rules import outcomes
from rules.actions import ACTIONS, COMMON, LABELS, Kind, Option
from rules.deadlines import Periods
from workflow.domain.errors import InvalidInput

# The options of each action are declared with the action (``rules.actions``); the checks are here.
ACTION_OPTIONS: dict[str, tuple[Option, ...]] = {x.name: x.options for x in ACTIONS.values() if x.kind is Kind.STEP}


def _int(field: str, value: Any, low: int, high: int) -> int:
    try:
        n = int(str(value))
    except ValueError:
        raise InvalidInput(field, f"{value!r} 不是整数") from None
    if not low <= n <= high:
        raise InvalidInput(field, f"{n} 超出范围，应为 {low} 到 {high}")
    return n


def _text(field: str, value: Any) -> str:
    text = str(value).strip()
    if not text:
        raise InvalidInput(field, "不能为空")
    if len(text) > 2000:
        raise InvalidInput(field, f"长 {len(text)} 字，最多 2000 字")
    return text


def _date(field: str, value: Any) -> str:
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise InvalidInput(field, f"{value!r} 不是日期，应写作 YYYY-MM-DD") from None


MAX_FEE_YUAN = Decimal("1000000")  # a 信息处理费 is tens or hundreds of yuan; beyond this is a typing slip


def _amount(field: str, value: Any) -> str:
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(field, f"{str(value)[:40]!r} 不是以元计的金额") from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_FEE_YUAN \
            or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(field, f"{str(value)[:40]} 应为大于零、最多两位小数的金额（元），"
                                  f"不超过 {MAX_FEE_YUAN:,}")
    return str(amount.quantize(Decimal("0.01")))


def _party(field: str, value: Any) -> str:
    v = str(value).strip()
    aliases = {"third-party": "third-party", "第三方": "third-party", "agency": "agency", "机关": "agency",
               "其他机关": "agency", "共同制作": "agency", "authority": "authority", "主管部门": "authority",
               "保密行政管理部门": "authority", "coordination": "coordination", "协商": "coordination"}
    if v not in aliases:
        raise InvalidInput(field, f"{v!r} 不是征求意见的对象；可用：第三方（third-party）、其他机关（agency）、"
                                  f"主管部门（authority）、协商（coordination）")
    return aliases[v]


def _outcome(field: str, value: Any) -> str:
    try:
        return outcomes.outcome(str(value)).code
    except ValueError as e:
        raise InvalidInput(field, str(e)) from None


def payload(action: str, given: Mapping[str, Any], periods: Periods) -> dict[str, Any]:
    """Check the options given for ``action`` and return the event payload."""
    if action not in ACTION_OPTIONS:
        raise InvalidInput("ACTION", f"无法识别的事项 {action!r}；可用：{', '.join(ACTION_OPTIONS)}")
    known = {o.name: o for o in (*ACTION_OPTIONS[action], *COMMON)}
    present = {k: v for k, v in given.items() if v is not None and v != ""}
    for k in present:
        if k not in known:
            usable = ", ".join(f"--{n.replace('_', '-')}" for n in known) or "无"
            raise InvalidInput(f"--{k.replace('_', '-')}", f"{LABELS.get(action, action)}不用此选项；可用的选项：{usable}")
    for o in known.values():
        if o.required and o.name not in present:
            what = f"（{o.help}）" if o.help else ""  # e.g. （延长的工作日数，最多20个）
            raise InvalidInput(f"--{o.name.replace('_', '-')}", f"{LABELS.get(action, action)}须填写此项{what}")
    checks: dict[str, Callable[[str, Any], Any]] = {
        "period": lambda f, v: _int(f, v, 1, 60),
        "days": lambda f, v: _int(f, v, 1, periods.extension_max),
        "pages": lambda f, v: _int(f, v, 1, 10_000_000),
        "items": lambda f, v: _text(f, v),
        "consultation": lambda f, v: str(_int(f, v, 1, 99)),
        "until": _date,
        "delivered_on": _date,
        "amount": _amount,
        "party": _party,
        "outcome": _outcome,
    }
    if action == a.NOTIFY_FEE:  # a count of items here, what to correct for request-correction
        checks["items"] = lambda f, v: _int(f, v, 1, 100_000)
    out: dict[str, Any] = {}
    for k, v in present.items():
        out[k] = checks.get(k, _text)(f"--{k.replace('_', '-')}", v)
    if action == a.REQUEST_CORRECTION:
        out.setdefault("period", periods.correction_default)
    if action == a.CONSULT:
        out.setdefault("party", "third-party")
    return out
