"""What every import shares: a row's cells read with their problems noted, the dates offices write,
and how an import reports what it did or why it wrote nothing.

Problems are data (row, column, message); an import collects every one of them, and
:class:`ImportProblems` lists them when the file cannot be imported as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from workflow.domain.errors import GongkaiError, InvalidInput
from workflow.store import models

SHOWN = 20  # problems listed on screen; --json lists them all


@dataclass(frozen=True)
class Problem:
    row: int  # as the spreadsheet numbers it: 1 is the header
    column: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行，{self.column}：{self.message}"


class ImportProblems(GongkaiError):
    """The file cannot be imported as it is; nothing was written. Lists every problem."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        self.file, self.problems = name, sorted(problems, key=lambda p: p.row)
        lines = [f"{name} 有 {len(problems)} 处问题，未导入任何内容：",
                 *(f"  {p}" for p in self.problems[:SHOWN])]
        if len(problems) > SHOWN:
            lines.append(f"  …… 另有 {len(problems) - SHOWN} 处（--json 列出全部）")
        super().__init__("\n".join(lines))


@dataclass
class Summary:
    file: str
    encoding: str
    rows: int
    imported: int
    dry_run: bool
    ignored_columns: list[str]
    counts: dict[str, int] = field(default_factory=dict)  # e.g. {"open": 3, "concluded": 9}
    # Steps taken after their legal limit, kept in the history as recorded-late (they move no deadline).
    recorded_late: list[Problem] = field(default_factory=list)


def closed_years(session: Session) -> set[tuple[str, int]]:
    c = models.ClosedYear
    return {(agency, year) for agency, year in session.execute(select(col(c.agency), col(c.year)))}


def frozen_message(year: int) -> str:
    return f"{year} 年度已结转（年度报告已冻结）；请先重新开放该年度：gongkai reopen-year {year} --reason 原因"


def read_date(text: str) -> date:
    """A date as offices write it: 2026-03-02, 2026/3/2, 2026.3.2, 2026年3月2日, 20260302 (a time of
    day after it, as a date-time cell gives, is ignored)."""
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", text) or \
        re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if not m:
        raise ValueError(f"{text!r} 不是日期，应写作 YYYY-MM-DD")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"{text!r} 不是有效日期，应写作 YYYY-MM-DD") from None


class Row:
    """One spreadsheet row's cells, read with every problem noted against its column.

    ``seen`` remembers what each cell text parsed to (per column kind, for the whole import): a
    year's rows repeat a few hundred dates and a handful of codes."""

    def __init__(self, number: int, cells: Mapping[str, str], seen: dict[Any, Any]) -> None:
        self.number, self.cells, self.seen = number, cells, seen
        self.problems: list[Problem] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.number, column, message))

    def problems_in(self, column: str) -> bool:
        return any(p.column == column for p in self.problems)

    def text(self, column: str, required: bool = False) -> str:
        value = self.cells.get(column, "")
        if required and not value:
            self.problem(column, "不能为空")
        return value

    def date(self, column: str, today: date) -> date | None:
        value = self.text(column)
        if not value:
            return None
        key = ("date", value)
        if key not in self.seen:
            try:
                day = read_date(value)
                self.seen[key] = (day, f"{day.isoformat()} 晚于今天（{today.isoformat()}）"
                                  if day > today else "")
            except ValueError as e:
                self.seen[key] = (None, str(e))
        day, why = self.seen[key]
        if why:
            self.problem(column, why)
        return day

    def code(self, column: str, parse: Callable[[str], Any], required: bool = False) -> Any:
        value = self.text(column, required)
        if not value:
            return None
        key = (parse, value)
        if key not in self.seen:
            try:
                self.seen[key] = (parse(value), "")
            except (ValueError, InvalidInput) as e:
                self.seen[key] = (None, str(e).removeprefix(f"{getattr(e, 'field', '')}: "))
        found, why = self.seen[key]
        if why:
            self.problem(column, why)
        return found
