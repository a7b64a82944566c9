"""The labels ``report --cell`` prints for the codes of a cell and of what it counts.

A cell is named by its row and column codes (``unavailable.not_held:natural_person``); on the
terminal it reads as the report prints it: ``1.本机关不掌握相关政府信息 × 自然人``. A code without a
label is shown as it is."""

from __future__ import annotations

import functools


@functools.cache
def _labels() -> dict[str, str]:
    from rules import outcomes
    from rules.report.layout import APPLICANT_LABELS, TABLE3_ROWS
    from workflow.usecases.appeals import KIND_LABELS, RESULT_LABELS

    rows = {r.code: r.label for r in TABLE3_ROWS}
    return {**rows, **{o.code: o.label for o in outcomes.OUTCOMES.values()}, **APPLICANT_LABELS, **KIND_LABELS,
            **RESULT_LABELS}


def cell_title(cell: str) -> str:
    """``total:natural_person`` → ``（七）总计 × 自然人``: the row's label, then the column's."""
    from rules.report.layout import TABLE3_COLUMNS

    row, _, column = cell.partition(":")
    columns = {c.code: c.label for c in TABLE3_COLUMNS}
    return " × ".join(filter(None, (label("", row), columns.get(column) or label("", column))))


def label(field: str, code: str | None) -> str:
    """The label of a code of ``field`` (outcome, applicant_type, kind, result)."""
    return _labels().get(code or "", code or "")
