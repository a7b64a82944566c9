"""The annual report's arithmetic (勾稽关系, 国办公开办函〔2021〕30号; spec §3.6), checked cell by cell.

Each check reads the computed tables and returns findings as data (never raises): the cell that does
not add up, what it should be, what it is. The caller attaches the requests behind the cell.

=====  ==================================================================  ==============
check  rule                                                                where
=====  ==================================================================  ==============
C1     一 + 二 = 三（七） + 四, in every column                             table 三 note
D1     总计 column = the six applicant columns, in every row               derived
D2     （七）总计 = the 23 outcome rows, in every column                    derived
D3     each block's 总计 = 维持 + 纠正 + 其他 + 尚未审结                   table 四
D4     this year's 二 = last year's frozen 四, in every column             derived
=====  ==================================================================  ==============

Worked example (Pingtan 2022, spec §5, column 自然人): 一 71 + 二 1 = 72 = 三（七） 72 + 四 0, so C1
holds. Had one request concluded in 2022 lost its outcome, （七） would still count it (72) while
the outcome rows summed to 71: D2 fails in cell ``total:natural_person`` (expected 71, found 72).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rules.report.layout import (
    APPLICANT_LABELS,
    APPLICANT_TYPES,
    OUTCOME_ROWS,
    TABLE3_ROWS,
    TABLE4_BLOCKS,
    TABLE4_COLUMNS,
)

Table = Mapping[str, Mapping[str, int]]
COLUMNS: tuple[str, ...] = (*APPLICANT_TYPES, "total")
ROW_LABELS = {r.code: r.label for r in TABLE3_ROWS}


@dataclass(frozen=True)
class Tables:
    """What the checks read: this year's tables 三 and 四, and last year's frozen 四 (if closed)."""

    table3: Table
    table4: Table
    previous_carried_out: Mapping[str, int] | None = None


@dataclass(frozen=True)
class Finding:
    check: str  # C1, D1 … D4
    cell: str  # ROW:COLUMN of the cell that does not add up, as `report --cell` takes it
    expected: int  # what the rule makes it
    actual: int  # what the requests give
    message: str


def _column_label(code: str) -> str:
    return APPLICANT_LABELS.get(code, "总计")


def balance(t: Tables) -> list[Finding]:
    """C1: what came in (一 new, 二 carried in) equals what went out (三（七） concluded, 四 carried out)."""
    out = []
    for c in COLUMNS:
        new, carried_in = t.table3["new"][c], t.table3["carried_in"][c]
        total, carried_out = t.table3["total"][c], t.table3["carried_out"][c]
        if new + carried_in != total + carried_out:
            out.append(Finding(
                "C1", f"carried_out:{c}", new + carried_in - total, carried_out,
                f"column {_column_label(c)}: 一+二 = {new}+{carried_in} = {new + carried_in}, "
                f"but 三（七）+四 = {total}+{carried_out} = {total + carried_out}"))
    return out


def row_totals(t: Tables) -> list[Finding]:
    """D1: the 总计 column of every row is the sum of the six applicant columns."""
    out = []
    for r in (row.code for row in TABLE3_ROWS):
        parts = sum(t.table3[r][c] for c in APPLICANT_TYPES)
        if parts != t.table3[r]["total"]:
            out.append(Finding("D1", f"{r}:total", parts, t.table3[r]["total"],
                               f"row {ROW_LABELS[r]}: 总计 is {t.table3[r]['total']}, "
                               f"the applicant columns add up to {parts}"))
    return out


def outcome_total(t: Tables) -> list[Finding]:
    """D2: （七）总计 is the sum of the outcome rows: each concluded request in exactly one of them."""
    out = []
    for c in COLUMNS:
        parts = sum(t.table3[r][c] for r in OUTCOME_ROWS)
        if parts != t.table3["total"][c]:
            out.append(Finding("D2", f"total:{c}", parts, t.table3["total"][c],
                               f"column {_column_label(c)}: （七）总计 is {t.table3['total'][c]}, "
                               f"the outcome rows add up to {parts}"))
    return out


def appeal_totals(t: Tables) -> list[Finding]:
    """D3: each table 四 block's 总计 is 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""
    out = []
    parts_of = [c.code for c in TABLE4_COLUMNS if c.code != "total"]
    for block in TABLE4_BLOCKS:
        cells = t.table4[block.code]
        parts = sum(cells[c] for c in parts_of)
        if parts != cells["total"]:
            out.append(Finding("D3", f"{block.code}:total", parts, cells["total"],
                               f"table 四 {block.label}: 总计 is {cells['total']}, its columns add up to {parts}"))
    return out


def carried_over(t: Tables) -> list[Finding]:
    """D4: this year's 二、上年结转 equals last year's frozen 四、结转下年度继续办理 (skipped if not frozen)."""
    if t.previous_carried_out is None:
        return []
    out = []
    for c in COLUMNS:
        before, now = t.previous_carried_out.get(c, 0), t.table3["carried_in"][c]
        if before != now:
            out.append(Finding("D4", f"carried_in:{c}", before, now,
                               f"column {_column_label(c)}: 二、上年结转 is {now}, but last year's frozen "
                               f"report carried {before} over (四、结转下年度继续办理)"))
    return out


CHECKS: list[Callable[[Tables], list[Finding]]] = [balance, row_totals, outcome_total, appeal_totals, carried_over]


def check(t: Tables) -> list[Finding]:
    """Every finding of every check, in the order of CHECKS."""
    return [f for c in CHECKS for f in c(t)]
