"""Tables drawn as plain lines that fit the terminal: labels and heads wrap, figures never do.

rich's tables cannot merge cells, and the report's tables are made of merged heads (申请人情况 over
seven columns, 行政诉讼 over ten). Here a table is drawn row by row: a row is a list of parts, each a
text, the width it may take and how it is aligned; a part may span several columns (its width is
theirs plus the gaps between them). A text wider than its part wraps between characters (Chinese has
no spaces), so every line is at most the widths' sum. Figures get columns at least as wide as the
widest figure, so they are never cut::

    fit([8, 8, 12], [1, 3, 1], 15)    → [4, 4, 4]   (heads of 8–12 cells wrap in two characters)
    row([("社会公益组织", 4, "right"), ("12", 4, "right")])  → ["社会   12", "公益", "组织"]

Widths are counted in terminal cells (a Chinese character takes two), as rich counts them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len

GAP = " "  # between two columns
CHARACTER = 2  # cells of one Chinese character: heads wrap in whole characters
NO_LINE_START = "，、。；：！？）》」』”’.,;:!?)"
Part = tuple["str | list[str]", int, str]  # text (or lines already wrapped), width in cells, left/right/center


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between characters; a line starts with no
    closing mark (，、）…): the character before it goes down with it."""
    lines, line = [], ""
    for ch in text:
        if line and cell_len(line + ch) > width:
            carried = line[-1] if ch in NO_LINE_START and len(line) > 1 else ""
            lines.append(line[:len(line) - len(carried)])
            line = carried + ch
        else:
            line += ch
    return [*lines, line]


def indented(text: str, width: int, indent: int) -> list[str]:
    """``text`` wrapped after ``indent`` spaces, every line indented alike (a hanging indent)."""
    return [" " * indent + line for line in wrap(text, max(width - indent, CHARACTER))]


def _pad(text: str, width: int, align: str) -> str:
    room = max(width - cell_len(text), 0)
    if align == "right":
        return " " * room + text
    if align == "center":
        return " " * (room // 2) + text + " " * (room - room // 2)
    return text + " " * room


def row(parts: Sequence[Part]) -> list[str]:
    """One row of a table: each part wrapped to its width, side by side, as many lines as the tallest."""
    cells = [text if isinstance(text, list) else wrap(text, width) for text, width, _ in parts]
    height = max(len(c) for c in cells)
    return [GAP.join(_pad(c[i] if i < len(c) else "", width, align)
                     for c, (_, width, align) in zip(cells, parts, strict=True)).rstrip()
            for i in range(height)]


def span(widths: Iterable[int]) -> int:
    """The width of a part spanning these columns: theirs and the gaps between them."""
    ws = list(widths)
    return sum(ws) + len(GAP) * (len(ws) - 1)


def fit(natural: Sequence[int], least: Sequence[int], room: int) -> list[int]:
    """Column widths for at most ``room`` cells: each column its natural width (its head's) if all fit;
    else every column cut to a common cap, in steps of two characters (the heads' words are two
    characters long: 商业/企业, 结果/维持), but never below its ``least`` (its widest figure); a head
    only one character longer than the cap keeps its width where the room allows."""
    cap = max(natural, default=0)
    while True:
        widths = [max(low, min(n, cap)) for n, low in zip(natural, least, strict=True)]
        if span(widths) <= room or cap <= 2 * CHARACTER:
            break
        cap = (cap - 1) // (2 * CHARACTER) * (2 * CHARACTER)
    for i, n in enumerate(natural):  # a head one character longer than the cap is not wrapped (自然人)
        if 0 < n - widths[i] <= CHARACTER and span(widths) + n - widths[i] <= room:
            widths[i] = n
    return widths
