"""Text gongkai accepts from outside: from the command line and from imported cells.

What is stored must be printable in every document gongkai writes. A control character (``张\\x01三``)
is stored fine but cannot be written into an XLSX sheet or a DOCX letter (XML forbids it), so it
would break every later export and letter of that request; invalid UTF-8 on the command line reaches
Python as lone surrogates, which no file can hold. Both are refused where they enter, naming where
(the option, or the sheet's row and column) and the character. Tab, line feed and carriage return
are text, and kept.

Example: ``--applicant $'张\\x01三'`` → ``--applicant: '张\\x01三' holds the control character U+0001
at position 2; expected printable text``.
"""

from __future__ import annotations

import unicodedata

from workflow.domain.errors import InvalidInput

ALLOWED_CONTROLS = frozenset("\t\n\r")


def problem(value: str) -> str | None:
    """What is wrong with ``value`` as stored text, or None."""
    for position, char in enumerate(value, start=1):
        if char in ALLOWED_CONTROLS:
            continue
        category = unicodedata.category(char)
        if category == "Cs":
            raw = ord(char) - 0xDC00 if 0xDC80 <= ord(char) <= 0xDCFF else None
            byte = f"（字节 0x{raw:02X}）" if raw is not None else ""
            return f"第 {position} 个字符不是有效的 UTF-8 文本{byte}；应为 UTF-8 文本"
        if category == "Cc" or char in "\ufffe\uffff":
            return f"第 {position} 个字符是控制字符 U+{ord(char):04X}；应为可打印的文字"
    return None


def check(field: str, value: str) -> str:
    """``value`` if it can be stored and printed, else InvalidInput naming ``field``."""
    found = problem(value)
    if found:
        raise InvalidInput(field, f"{shown(value)} {found}")
    return value


def shown(value: str, limit: int = 40) -> str:
    """The value quoted for an error line: escapes visible, never a raw control character or surrogate."""
    bad = next((i for i, c in enumerate(value) if c not in ALLOWED_CONTROLS
                and unicodedata.category(c) in ("Cc", "Cs")), 0)
    start = max(0, min(bad - limit // 2, len(value) - limit))  # the window shows the character refused
    text = ("…" if start else "") + value[start:start + limit] + ("…" if start + limit < len(value) else "")
    out = []
    for char in text:
        if 0xDC80 <= ord(char) <= 0xDCFF:  # an undecodable byte, as Python received it
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        elif unicodedata.category(char) in ("Cc", "Cs"):
            out.append(repr(char)[1:-1])
        else:
            out.append(char)
    return "'" + "".join(out) + "'"
