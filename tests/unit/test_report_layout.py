"""rules/report/layout.py is the official format's data: the same codes and labels as the spec."""

from __future__ import annotations

import tomllib

import pytest

from rules.report import layout
from tests.conftest import SHARED_SPEC, SPEC


def spec() -> dict:  # type: ignore[type-arg]
    return tomllib.loads((SPEC / "report-format.toml").read_text(encoding="utf-8"))


def test_table_3_rows_and_columns_are_the_spec_s() -> None:
    t3 = spec()["table3"]
    assert [(r["code"], r["label"], r.get("group")) for r in t3["rows"]] == [
        (r.code, r.label, r.group) for r in layout.TABLE3_ROWS]
    assert [(c["code"], c["label"], c.get("group")) for c in t3["columns"]] == [
        (c.code, c.label, c.group) for c in layout.TABLE3_COLUMNS]
    assert (t3["title"], t3["note"]) == (layout.TABLE3_TITLE, layout.TABLE3_NOTE)


def test_table_4_blocks_and_columns_are_the_spec_s() -> None:
    t4 = spec()["table4"]
    assert [(b["code"], b["label"], b.get("group")) for b in t4["blocks"]] == [
        (b.code, b.label, b.group) for b in layout.TABLE4_BLOCKS]
    assert [(c["code"], c["label"]) for c in t4["columns"]] == [(c.code, c.label) for c in layout.TABLE4_COLUMNS]


def test_table_2_blocks_are_the_spec_s() -> None:
    t2 = spec()["table2"]
    assert t2["title"] == layout.TABLE2_TITLE
    assert [(b["code"], b["label"], [(c["code"], c["label"]) for c in b["columns"]],
             [(r["code"], r["label"]) for r in b["rows"]]) for b in t2["blocks"]] == [
        (b.code, b.label, [(c.code, c.label) for c in b.columns], [(r.code, r.label) for r in b.rows])
        for b in layout.TABLE2_BLOCKS]


def test_every_outcome_row_has_a_legal_basis() -> None:
    from rules.outcomes import OUTCOMES

    assert list(OUTCOMES) == list(layout.OUTCOME_ROWS)
    assert all(o.basis for o in OUTCOMES.values())


@pytest.mark.skipif(not SHARED_SPEC.is_dir(), reason="the shared spec is not beside this checkout")
@pytest.mark.parametrize("name", ["report-format.toml", "examples/pingtan-2022.json"])
def test_the_snapshots_equal_the_shared_spec(name: str) -> None:
    assert (SPEC / name).read_bytes() == (SHARED_SPEC / name).read_bytes()


def test_the_reasons_sit_in_their_outcome_and_the_outcomes_in_the_results() -> None:
    results, withheld = "三、本年度办理结果", "（三）不予公开"
    assert layout.TABLE3_NESTING["new"] == ()
    assert layout.TABLE3_NESTING["disclosed"] == (results,)
    assert layout.TABLE3_NESTING["withheld.state_secret"] == (results, withheld)
    assert layout.TABLE3_NESTING["total"] == (results,)
    assert layout.TABLE3_NESTING["carried_out"] == ()
    assert {row.group for row in layout.TABLE3_ROWS} - {None} == set(layout.TABLE3_GROUP_PARENTS)


def test_each_table_s_grid_covers_every_place_exactly_once() -> None:
    """Heads and figures tile each table: no gap a renderer would leave unbordered, no overlap it would
    merge twice; table 三's group heads run down exactly the rows their groups hold."""
    from datetime import date

    from workflow.reports import layout as grids
    from workflow.reports.compute import Report
    from workflow.reports.counts import empty_table2

    t3 = {r.code: dict.fromkeys(grids.TABLE3_FIGURES, 0) for r in layout.TABLE3_ROWS}
    t4 = {b.code: {c.code: 0 for c in layout.TABLE4_COLUMNS} for b in layout.TABLE4_BLOCKS}
    r = Report(2026, "A01", empty_table2(), t3, t4, [], date(2026, 12, 31))
    for grid in (grids.table2_grid(r), grids.table3_grid(r), grids.table4_grid(r)):
        places = [(i, j) for c in grid.cells
                  for i in range(c.row, c.last_row + 1) for j in range(c.col, c.last_col + 1)]
        assert sorted(places) == [(i, j) for i in range(grid.rows) for j in range(grid.cols)]
    withheld = next(c for c in grids.table3_grid(r).cells if c.value == "（三）不予公开")
    assert (withheld.row, withheld.col, withheld.rows) == (7, 1, 8)  # 1.属于国家秘密 … 8.属于行政查询事项
