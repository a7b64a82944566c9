"""Importing reviews and lawsuits (table 四) against requests already in gongkai."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from tests.database import Cli
from workflow.app import Gongkai
from workflow.store import db, models

HEADER = ["编号", "类型", "提起日期", "结果", "审结日期", "备注"]


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


@pytest.fixture
def requests_in(cli: Cli, tmp_path: Path) -> None:
    """2026-0001 withheld on 03-16, 2026-0002 not held on 04-10 (both imported)."""
    sheet = tmp_path / "requests.csv"
    sheet.write_text("ref,received_on,channel,applicant_type,applicant_name,subject,outcome,concluded_on\n"
                     "2026-0001,2026-03-02,online,natural_person,张三,征收补偿方案,withheld.process_information,2026-03-16\n"
                     "2026-0002,2026-03-20,post,commercial,某公司,某批复,unavailable.not_held,2026-04-10\n",
                     encoding="utf-8")
    cli("import", "requests", str(sheet))


def write(path: Path, *rows: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        out.writerows(rows)
    return path


def test_appeals_are_attached_to_their_requests(cli: Cli, app: Gongkai, requests_in: None, tmp_path: Path) -> None:
    sheet = write(tmp_path / "复议诉讼.csv",
                  ["2026-0001", "行政复议", "2026-04-20", "纠正", "2026-06-15", "市政府复议"],
                  ["2026-0001", "复议后起诉", "2026-07-01", "", "", ""],
                  ["2026-0002", "litigation_direct", "2026-05-06", "upheld", "2026-09-30", ""])
    assert cli.json("import", "appeals", str(sheet)) == {
        "ok": True, "file": "复议诉讼.csv", "encoding": "utf-8", "rows": 3, "imported": 3, "dry_run": False,
        "ignored_columns": [], "pending": 1, "concluded": 2, "recorded_late": []}
    with db.unit_of_work(app.engine, write=False) as session:
        got = [(a.request_id, a.kind, a.filed_on.isoformat(), a.result, a.note, a.imported_from)
               for a in session.execute(select(models.Appeal).order_by(models.Appeal.id)).scalars()]  # type: ignore[arg-type]
    assert [g[1:] for g in got] == [
        ("review", "2026-04-20", "corrected", "市政府复议", "复议诉讼.csv:2"),
        ("litigation_after_review", "2026-07-01", None, None, "复议诉讼.csv:3"),
        ("litigation_direct", "2026-05-06", "upheld", None, "复议诉讼.csv:4")]
    assert got[0][0] == got[1][0] != got[2][0]
    listed = cli.json("appeal", "list", "2026-0001")
    assert [(a["kind"], a["result"]) for a in listed] == [("review", "corrected"),  # type: ignore[index, union-attr]
                                                          ("litigation_after_review", None)]
    assert cli.json("verify")["findings"] == []  # type: ignore[index]  # each imported appeal is in the ledger


def test_every_appeal_problem_is_listed_and_nothing_is_written(cli: Cli, requests_in: None, tmp_path: Path) -> None:
    cli("import", "appeals", str(write(tmp_path / "first.csv", ["2026-0001", "review", "2026-04-20", "", "", ""])))
    before = cli.dump()
    sheet = write(tmp_path / "bad.csv",
                  ["2026-0002", "review", "2026-05-06", "", "", ""],                 # 2: fine
                  ["2026-0099", "review", "2026-05-06", "", "", ""],                 # 3: no such request
                  ["2026-0002", "上访", "2026-05-06", "", "", ""],                   # 4: not a kind
                  ["2026-0002", "review", "2026-03-19", "", "", ""],                 # 5: before receipt
                  ["2026-0002", "litigation_direct", "2026-05-06", "维持", "", ""],  # 6: result without date
                  ["2026-0002", "litigation_direct", "2026-05-06", "", "2026-06-01", ""],  # 7: date without result
                  ["2026-0001", "review", "2026-04-20", "", "", ""],                 # 8: recorded already
                  ["2026-0002", "review", "2026-05-06", "", "", ""],                 # 9: twice in the file
                  ["2026-0002", "review", "2026-05-07", "败诉", "2026-05-01", ""])   # 10
    result = cli("import", "appeals", str(sheet), "--json", ok=False)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    problems = json.loads(result.stdout)["problems"]  # type: ignore[attr-defined]
    assert [(p["row"], p["column"]) for p in problems] == [
        (3, "ref"), (4, "kind"), (5, "filed_on"), (6, "concluded_on"), (7, "result"), (8, "filed_on"),
        (9, "filed_on"), (10, "result"), (10, "concluded_on")]
    messages = {(p["row"], p["column"]): p["message"] for p in problems}
    assert messages[(3, "ref")] == "没有编号为 '2026-0099' 的申请；请先导入申请"
    assert messages[(8, "filed_on")] == "2026-0001 于 2026-04-20 提起的行政复议已经登记"
    assert messages[(9, "filed_on")] == "2026-0002 于 2026-05-06 提起的行政复议已经登记（第 2 行）"
    assert "不是复议诉讼类型" in messages[(4, "kind")]
    assert "早于申请 2026-0002 的收到日期（2026-03-20）" in messages[(5, "filed_on")]
    assert cli.dump() == before
    assert cli("import", "appeals", str(sheet), "--dry-run", ok=False).exit_code == 1  # type: ignore[attr-defined]
    assert cli.dump() == before


def test_a_dry_run_of_appeals_writes_nothing(cli: Cli, requests_in: None, tmp_path: Path) -> None:
    before = cli.dump()
    sheet = write(tmp_path / "ok.csv", ["2026-0002", "直接起诉", "2026-05-06", "", "", ""])
    checked = cli.json("import", "appeals", str(sheet), "--dry-run")
    assert (checked["dry_run"], checked["imported"], checked["pending"]) == (True, 0, 1)  # type: ignore[index]
    assert cli.dump() == before
