"""Who signs a letter, and its number (发文字号): the request's own agency, never another's.

On a platform every request belongs to one agency (``gongkai agency add CODE NAME``), and a letter
about it is signed with that agency's registered name. ``office.name`` is used only for the office's
own agency (``office.agency``) when the agency table has no name for it; a letter for another
agency whose name is not registered is refused, naming what to set.

The number follows ``letters.number_format`` (GB/T 9704 发文字号: 机关代字、年份、发文顺序号), e.g.
``"{abbr}{kind}〔{year}〕{n}号"`` with ``letters.abbr = "某民"`` gives 某民补正〔2026〕7号 for the correction
notice of request 2026-0007. Its fields: ``{abbr}`` the agency's abbreviation (机关代字: ``letters.abbr``
for the office's own agency, ``[letters.abbreviations]`` by agency code for the others), ``{kind}`` the
letter's short name (补正, 延期, 征求意见, 收费, 答复), ``{year}`` and ``{n}`` the request's year and
number (``{n}`` is 7-2 for the second consultation letter of request 7), ``{ref}`` the reference.
An empty format prints no number.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from rules import letters
from rules.outcomes import OUTCOMES
from workflow.domain.errors import InvalidInput
from workflow.settings import Settings
from workflow.store import models

PLACEHOLDERS = frozenset({"", "本机关", "有管辖权的行政复议机关", "有管辖权的人民法院"})
NUMBER_FIELDS = ("abbr", "kind", "year", "n", "ref")


@dataclass(frozen=True)
class Missing:
    """A setting a letter needs that is not configured: its name and what to do."""

    setting: str
    what: str


def setting(settings: Settings, section: str, key: str) -> str | Missing:
    value = str(settings.data.get(section, {}).get(key) or "").strip()
    if value in PLACEHOLDERS:
        return Missing(f"{section}.{key}", f"未配置（{value or '空'}）：写文书前请在 gongkai.toml 的 "
                                           f"[{section}] 中填写，或加 --draft 生成草稿")
    return value


def office_name(settings: Settings, agency: str, registered: str | None) -> str | Missing:
    """The name that signs a letter of ``agency``: its registered name, else (its own agency only)
    ``office.name``."""
    if registered and registered.strip() not in PLACEHOLDERS:
        return registered.strip()
    if agency == settings.agency:
        return setting(settings, "office", "name")
    return Missing("agency", f"机关 {agency!r} 没有登记名称，而 office.name 只是本机关（{settings.agency!r}）"
                             f"的名称：请运行 gongkai agency add {agency} 名称，或加 --draft 生成草稿")


def abbreviation(settings: Settings, agency: str) -> str | Missing:
    if agency == settings.agency:
        return setting(settings, "letters", "abbr")
    table = settings.data.get("letters", {}).get("abbreviations", {})
    value = str(table.get(agency, "") if isinstance(table, dict) else "").strip()
    if not value:
        return Missing(f"letters.abbreviations.{agency}",
                       f"未配置：机关 {agency!r} 文书编号所用的机关代字，请在 [letters.abbreviations] 下"
                       f"写 {agency} = \"某民\"，或加 --draft 生成草稿")
    return value


def number_format(settings: Settings) -> str:
    """``letters.number_format``, checked: only the fields above, braces balanced."""
    fmt = str(settings.data.get("letters", {}).get("number_format") or "").strip()
    try:
        names = [n for _, n, _, _ in string.Formatter().parse(fmt) if n is not None]
    except ValueError as e:
        raise InvalidInput("letters.number_format", f"{fmt!r} 不是可用的编号格式（{e}）") from None
    unknown = [n for n in names if n not in NUMBER_FIELDS]
    if unknown:
        raise InvalidInput("letters.number_format", f"{fmt!r} 含有不认识的字段 {{{unknown[0]}}}；可用："
                                                    f"{', '.join('{' + n + '}' for n in NUMBER_FIELDS)}")
    return fmt


def number(fmt: str, abbr: str, kind: letters.Kind, row: models.Request, nth: int) -> str:
    """The letter's number; ``nth`` counts the letters of its kind about the request (consultations)."""
    n = f"{row.seq}-{nth}" if nth > 1 else str(row.seq)
    return fmt.format(abbr=abbr, kind=kind.aliases[0], year=row.year, n=n, ref=row.ref)


def no_lawsuit(settings: Settings) -> frozenset[str]:
    """``letters.no_lawsuit``: the outcomes whose reply offers review only (``rules.letters.NO_LAWSUIT``,
    UNCONFIRMED); absent, that default."""
    value = settings.data.get("letters", {}).get("no_lawsuit")
    if value is None:
        return letters.NO_LAWSUIT
    if not isinstance(value, list) or [v for v in value if v not in OUTCOMES]:
        raise InvalidInput("letters.no_lawsuit", f"{value!r} 不可用；应为办理结果代码的列表，如 "
                                                 f"[\"not_processed.repeated\"]，或写 [] 表示每种答复都告知可提起诉讼")
    return frozenset(value)
