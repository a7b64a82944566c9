"""Personal data on a request: checking resident ID numbers, and masking what listings show.

The 18-digit resident identity number (GB 11643-1999) ends in a check character: the weighted sum
of the first 17 digits with weights 2^(17-i) mod 11, mod 11, indexes ``10X98765432``.
Example: 11010519491231002X is valid (sum mod 11 = 2 → "X").

Masking keeps enough to tell two applicants apart on a screen and nothing to identify anyone:
``110105********002X``, ``138****5678``, ``北京市朝阳区***``.
"""

from __future__ import annotations

import re
from datetime import date
from operator import mul

_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
_CHECK = "10X98765432"
_ID = re.compile(r"^\d{17}[\dX]$")


def check_digit(first17: str) -> str:
    """The check character that completes 17 digits into a resident ID number."""
    if len(first17) != 17:
        raise ValueError(f"expected 17 digits, not {len(first17)}")
    return _CHECK[sum(map(mul, map(int, first17), _WEIGHTS)) % 11]


def id_number_problem(value: str) -> str:
    """Why ``value`` is not a valid 18-digit resident ID number ('' if it is)."""
    v = value.strip().upper()
    if not _ID.match(v):
        return "应为 18 位：17 位数字加 1 位校验码（数字或 X）"
    try:
        date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return f"其中的出生日期 {v[6:14]} 不是有效日期"
    expected = check_digit(v[:17])
    if v[17] != expected:
        return f"校验码为 {v[17]}，但按前 17 位应为 {expected}"
    return ""


def mask_id(value: str | None) -> str | None:
    if not value:
        return value
    v = value.strip()
    return v[:6] + "*" * (len(v) - 10) + v[-4:] if len(v) > 10 else "*" * len(v)


def mask_phone(value: str | None) -> str | None:
    if not value:
        return value
    digits = value.strip()
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:] if len(digits) >= 8 else "*" * len(digits)


def mask_address(value: str | None) -> str | None:
    if not value:
        return value
    return value[:6] + "***" if len(value) > 6 else "***"
