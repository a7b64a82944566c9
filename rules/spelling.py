"""What officers type, read as they type it: dates, references and labels in the spellings people use.

Officers type in a Chinese input method, so digits and punctuation often arrive full-width
(``２０２６－０００１``, ``２０２６／３／２``); every input is NFKC-normalised first, which turns them
into their ASCII forms. Then:

* a date may be written 2026-03-02, 2026/3/2, 2026.3.2, 20260302, 2026年3月2日, 3月2日 (this year),
  今天 or 昨天 — all of them 2 March 2026 when typed on 2 March 2026 (or 3 March, for 昨天);
* a reference may omit its year: ``17`` or ``0017`` typed in 2026 is ``2026-0017``, and ``2026-17`` is
  ``2026-0017`` too;
* a code may be given as its Chinese label, or as a part of the label that names one code only:
  ``撤回`` is ``withdraw`` (撤回申请), while ``撤`` could be 撤回申请 or 撤销上一步 and is refused with
  both listed.

Pure functions: ``today`` and the year are passed in; errors are ``ValueError`` with a Chinese message
that says what is accepted, for the caller to attach to the option it read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, timedelta

DATE_FORMS = "2026-03-02、2026/3/2、2026.3.2、20260302、2026年3月2日、3月2日、今天、昨天"
_DAYS_BACK = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}
_SEPARATED = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_CHINESE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]?")
_REFERENCE = re.compile(r"(?:(\d{4})-)?0*(\d{1,6})")
_NUMBERING = re.compile(r"^(?:\d+\.|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)")


def normal(text: str) -> str:
    """NFKC, then without the spaces around it: ``"２０２６－０００１ "`` is ``"2026-0001"``."""
    return unicodedata.normalize("NFKC", text).strip()


def parse_date(text: str, today: date) -> date:
    """A date as people write it (see the module's examples); ``today`` gives 今天 and the year of 3月2日."""
    value = normal(text).replace(" ", "")
    if value in _DAYS_BACK:
        return today - timedelta(days=_DAYS_BACK[value])
    parts: tuple[str | None, str, str] | None = None
    if m := _SEPARATED.fullmatch(value):
        parts = (m[1], m[3], m[4])
    elif (m := _COMPACT.fullmatch(value)) or (m := _CHINESE.fullmatch(value)):
        parts = (m[1], m[2], m[3])
    if parts is None:
        raise ValueError(f"{text!r} 不是日期；可写 {DATE_FORMS}")
    year = int(parts[0]) if parts[0] else today.year
    try:
        return date(year, int(parts[1]), int(parts[2]))
    except ValueError:
        raise ValueError(f"{text!r} 不是有效日期（{year}年没有{int(parts[1])}月{int(parts[2])}日）") from None


def reference(text: str, year: int) -> str:
    """A request's reference, its year ``year`` when omitted: ``17`` → ``2026-0017``.

    Anything else (an imported reference of another shape) is returned normalised, as typed."""
    value = normal(text)
    m = _REFERENCE.fullmatch(value)
    if m is None:
        return value
    return f"{m[1] or year}-{int(m[2]):04d}"


def lookup(text: str, what: str, labels: Mapping[str, str], aliases: Mapping[str, str] | None = None) -> str:
    """The code ``text`` names in ``labels`` (code → Chinese label).

    In this order: the code itself (any case), its label, an alias (a short form → code), then a part
    of exactly one label. A part of several labels is refused with them listed; anything else with
    every code and label."""
    value = normal(text)
    if value.lower() in labels:
        return value.lower()
    named = {code for code, label in labels.items() if value in (normal(label), normal(_NUMBERING.sub("", label)))}
    if not named and aliases and value in aliases:
        named = {aliases[value]}
    if len(named) == 1:
        return named.pop()
    part = [code for code, label in labels.items() if value and value in normal(label)] if not named else sorted(named)
    if len(part) == 1:
        return part[0]
    if part:
        raise ValueError(f"{what} {text!r} 有歧义，可指：{choices(labels, part)}")
    raise ValueError(f"{what} {text!r} 无法识别；可用：{choices(labels)}")


def choices(labels: Mapping[str, str], codes: list[str] | None = None) -> str:
    """``"withdraw（撤回申请）、undo（撤销上一步）"``: what an error lists as accepted."""
    return "、".join(f"{code}（{labels[code]}）" for code in (labels if codes is None else codes))
