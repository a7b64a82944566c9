"""The report's arithmetic (spec §3.6), rule by rule: Pingtan 2022 passes, and each rule fails on a broken cell.

The tables are the published ones (``spec/examples/pingtan-2022.json``); each failing case changes
one cell by hand, as a typo in a hand-counted spreadsheet would.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from rules.report import checks as report_checks
from rules.report.checks import Tables
from tests.conftest import SPEC


@pytest.fixture
def pingtan() -> dict[str, Any]:
    return json.loads((SPEC / "examples" / "pingtan-2022.json").read_text(encoding="utf-8"))


def tables(data: dict[str, Any], previous: dict[str, int] | None = None) -> Tables:
    return Tables(data["table3"], data["table4"], previous)


def test_the_published_pingtan_tables_pass_every_check(pingtan: dict[str, Any]) -> None:
    carried_2021 = dict(pingtan["table3"]["carried_in"])  # 2021's 四 is 2022's 二
    assert report_checks.check(tables(pingtan, carried_2021)) == []


def test_c1_fails_in_the_column_where_in_and_out_differ(pingtan: dict[str, Any]) -> None:
    broken = copy.deepcopy(pingtan)
    broken["table3"]["new"]["commercial"] = 4  # and the total row and column left as they were
    broken["table3"]["new"]["total"] = 75
    findings = report_checks.balance(tables(broken))
    assert [(f.check, f.cell, f.expected, f.actual) for f in findings] == [
        ("C1", "carried_out:commercial", 1, 0), ("C1", "carried_out:total", 1, 0)]
    assert "一+二 = 4+0 = 4, but 三（七）+四 = 3+0 = 3" in findings[0].message


def test_d1_fails_in_the_row_whose_total_is_not_the_sum_of_the_applicant_columns(pingtan: dict[str, Any]) -> None:
    broken = copy.deepcopy(pingtan)
    broken["table3"]["unavailable.not_held"]["total"] = 38
    findings = report_checks.row_totals(tables(broken))
    assert [(f.check, f.cell, f.expected, f.actual) for f in findings] == [
        ("D1", "unavailable.not_held:total", 37, 38)]
    assert "1.本机关不掌握相关政府信息" in findings[0].message


def test_d2_fails_when_the_outcome_rows_do_not_add_up_to_the_total_row(pingtan: dict[str, Any]) -> None:
    broken = copy.deepcopy(pingtan)
    broken["table3"]["disclosed"]["natural_person"] = 20
    broken["table3"]["disclosed"]["total"] = 20
    findings = report_checks.outcome_total(tables(broken))
    assert [(f.check, f.cell, f.expected, f.actual) for f in findings] == [
        ("D2", "total:natural_person", 71, 72), ("D2", "total:total", 74, 75)]


def test_d3_fails_when_a_table_4_block_total_is_not_the_sum_of_its_results(pingtan: dict[str, Any]) -> None:
    broken = copy.deepcopy(pingtan)
    broken["table4"]["litigation_direct"]["pending"] = 1
    findings = report_checks.appeal_totals(tables(broken))
    assert [(f.check, f.cell, f.expected, f.actual) for f in findings] == [("D3", "litigation_direct:total", 2, 1)]
    assert "未经复议直接起诉" in findings[0].message


def test_d4_fails_when_carried_in_differs_from_last_years_frozen_carried_out(pingtan: dict[str, Any]) -> None:
    last_year = {"natural_person": 2, "commercial": 0, "research": 0, "public_interest": 0, "legal_services": 0,
                 "other_org": 0, "total": 2}
    findings = report_checks.carried_over(tables(pingtan, last_year))
    assert [(f.check, f.cell, f.expected, f.actual) for f in findings] == [
        ("D4", "carried_in:natural_person", 2, 1), ("D4", "carried_in:total", 2, 1)]


def test_d4_is_skipped_when_last_year_was_not_frozen(pingtan: dict[str, Any]) -> None:
    assert report_checks.carried_over(tables(pingtan, None)) == []


def test_check_runs_every_rule_in_order(pingtan: dict[str, Any]) -> None:
    broken = copy.deepcopy(pingtan)
    broken["table3"]["carried_out"]["natural_person"] = 1  # breaks C1 and D1 for that row
    broken["table4"]["review"]["total"] = 3
    assert [f.check for f in report_checks.check(tables(broken))] == ["C1", "D1", "D3"]
    assert [c.__name__ for c in report_checks.CHECKS] == [
        "balance", "row_totals", "outcome_total", "appeal_totals", "carried_over"]
