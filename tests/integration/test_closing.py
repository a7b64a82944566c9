"""close-year and reopen-year through the real command line, and table 二 entry.

The frozen report is the bytes ``report YEAR --format json`` prints; its sha256 is the checksum
stored and shown. Today is 2026-01-20 throughout, so 2025 has ended.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import delete, update
from sqlmodel import col

from tests.conftest import complete_the_report
from tests.database import Cli
from workflow.app import Gongkai
from workflow.domain.commands import Advance, Register
from workflow.store import models
from workflow.usecases import requests as services

MakeApp = Callable[..., Gongkai]


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-01-20 10:00 +0800", tick=False):
        yield


@pytest.fixture
def year_2025(make_app: MakeApp) -> Gongkai:
    app = make_app(today=date(2026, 1, 20))
    for day, kind, outcome in ((date(2025, 3, 3), "natural_person", "disclosed"),
                               (date(2025, 7, 1), "commercial", "unavailable.not_held"),
                               (date(2025, 12, 29), "natural_person", None)):
        ref = services.register(app, Register(received_on=day, channel="post", applicant_name="赵敏",
                                              applicant_type=kind, subject="某文件"))
        if outcome:
            services.advance(app, Advance(ref, "decide", date(day.year, day.month, day.day + 7), {"outcome": outcome}))
    complete_the_report(app, 2025)  # the office's text of sections 一, 五, 六 and every table 二 figure
    return app


def test_close_year_freezes_the_report_that_report_json_prints(cli: Cli, year_2025: Gongkai) -> None:
    preview = cli("report", "2025", "--format", "json").stdout
    closed = cli.json("close-year", "2025")
    assert isinstance(closed, dict)
    assert closed["closed"] and not closed["already_closed"] and closed["checks"] == []
    assert closed["checksum"] == hashlib.sha256(preview.encode()).hexdigest()
    assert cli("report", "2025", "--json").stdout == preview  # the frozen bytes, printed as stored
    assert json.loads(preview)["table3"]["carried_out"]["natural_person"] == 1


def test_closing_twice_gives_the_same_report_and_changes_nothing(cli: Cli, year_2025: Gongkai) -> None:
    first = cli.json("close-year", "2025")
    before = cli.dump()
    again = cli.json("close-year", "2025")
    assert isinstance(first, dict) and isinstance(again, dict)
    assert again["already_closed"] and again["checksum"] == first["checksum"]
    assert cli.dump() == before
    cli("reopen-year", "2025", "--reason", "核对复议案件")
    reclosed = cli.json("close-year", "2025")
    assert isinstance(reclosed, dict)
    assert reclosed["checksum"] == first["checksum"] and not reclosed["already_closed"]


def test_the_frozen_report_file_reproduces_byte_for_byte(cli: Cli, year_2025: Gongkai, tmp_path: Path) -> None:
    closed = cli.json("close-year", "2025")
    out = tmp_path / "2025.json"
    cli("report", "2025", "--format", "json", "--out", str(out))
    assert isinstance(closed, dict)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == closed["checksum"]


def test_an_action_dated_in_a_closed_year_is_refused_with_a_clear_message(cli: Cli, year_2025: Gongkai) -> None:
    cli("close-year", "2025")
    before = cli.dump()
    late = cli("advance", "2025-0003", "decide", "--on", "2025-12-31", "--outcome", "disclosed", ok=False)
    assert late.exit_code == 1
    assert late.stderr.strip() == ("gongkai: 2025 年度已结转（年度报告已冻结）；2025 年的作出答复（decide）被拒绝。"
                                   "请先重新开放该年度：gongkai reopen-year 2025 --reason 原因")
    assert cli.dump() == before
    cli("advance", "2025-0003", "decide", "--on", "2026-01-05", "--outcome", "disclosed")


def test_reopening_needs_a_reason_and_is_recorded_with_the_officer(cli: Cli, year_2025: Gongkai) -> None:
    cli("close-year", "2025")
    refused = cli("reopen-year", "2025", ok=False)
    assert refused.exit_code == 1 and "--reason: 重新开放已结转的年度须说明原因" in refused.stderr
    reopened = cli.json("reopen-year", "2025", "--reason", "补录2025年12月30日收到的申请")
    assert isinstance(reopened, dict)
    assert (reopened["reopened"], reopened["officer"]) == (True, "测试员")
    cli("advance", "2025-0003", "decide", "--on", "2025-12-31", "--outcome", "disclosed")
    assert "本年度尚未封存" in cli("report", "2025").stdout


def test_a_year_that_fails_its_checks_is_not_frozen_and_exits_3(cli: Cli, year_2025: Gongkai) -> None:
    with year_2025.engine.begin() as c:
        c.execute(update(models.Request).where(col(models.Request.ref) == "2025-0001").values(outcome="approved"))
    before = cli.dump()
    refused = cli("close-year", "2025", ok=False)
    assert refused.exit_code == 3
    assert "未通过勾稽关系校验，未封存" in refused.stdout
    assert "D2 total:natural_person" in refused.stdout and "2025-0001" in refused.stdout
    assert cli.dump() == before
    as_json = cli("close-year", "2025", "--json", ok=False)
    data = json.loads(as_json.stdout)
    assert as_json.exit_code == 3 and not data["closed"]
    assert [(c["check"], c["cell"], c["requests"]) for c in data["checks"]] == [
        ("D2", "total:natural_person", ["2025-0001"]), ("D2", "total:total", ["2025-0001"])]


def test_a_year_that_has_not_ended_cannot_be_closed(cli: Cli) -> None:
    refused = cli("close-year", "2026", ok=False)
    assert refused.exit_code == 1 and "2026 年尚未结束（今天是 2026-01-20）" in refused.stderr


def test_table_2_is_entered_from_options_and_from_a_file_and_printed_in_the_report(cli: Cli, tmp_path: Path) -> None:
    cli("table2", "2025", "--rules-issued", "1", "--normative-in-force", "57", "--licensing", "1320")
    figures = tmp_path / "table2.toml"
    figures.write_text('[article20_6.penalties]\ndecisions = 86\n[article20_8.administrative_fees]\n'
                       'amount_10k_yuan = 12.35\n[article20_1.rules]\nissued = 2\n', encoding="utf-8")
    shown = cli.json("table2", "2025", "--file", str(figures))
    assert isinstance(shown, dict)
    assert shown["article20_1"]["rules"] == {"issued": 2, "repealed": None, "in_force": None}
    assert shown["article20_1"]["normative_documents"]["in_force"] == 57
    assert shown["article20_5"]["licensing"]["decisions"] == 1320
    assert shown["article20_6"] == {"penalties": {"decisions": 86}, "coercive_measures": {"decisions": None}}
    assert shown["article20_8"]["administrative_fees"]["amount_10k_yuan"] == 12.35
    reported = cli.json("report", "2025")
    assert isinstance(reported, dict) and reported["table2"] == shown


@pytest.mark.parametrize(("args", "message"), [
    (["--licensing", "12.5"], "article20_5.licensing.decisions: 12.5 不是整数"),
    (["--penalties", "-3"], "article20_6.penalties.decisions: -3 不能为负数"),
    (["--fees-10k-yuan", "1.23456"], "小数超过四位"),
    (["--rules-issued", "三"], "'三' 不是数字"),
])
def test_bad_table_2_figures_are_refused_and_nothing_is_stored(cli: Cli, args: list[str], message: str) -> None:
    cli("table2", "2025", "--rules-issued", "1")
    before = cli.dump()
    refused = cli("table2", "2025", *args, ok=False)
    assert refused.exit_code == 1 and message in refused.stderr
    assert cli.dump() == before


def test_a_table_2_file_with_an_unknown_cell_is_refused(cli: Cli, tmp_path: Path) -> None:
    figures = tmp_path / "t2.toml"
    figures.write_text("[article20_9.procurement]\nprojects = 3\n", encoding="utf-8")
    refused = cli("table2", "2025", "--file", str(figures), ok=False)
    assert refused.exit_code == 1 and "article20_9.procurement.projects: 不是表二的格子" in refused.stderr


def test_table_2_of_a_closed_year_cannot_be_changed(cli: Cli, year_2025: Gongkai) -> None:
    cli("close-year", "2025")
    refused = cli("table2", "2025", "--licensing", "3", ok=False)
    assert refused.exit_code == 1 and "2025 年的表二（主动公开情况）的填报（table2）被拒绝" in refused.stderr


def test_the_report_shows_who_closed_and_reopened_the_year_and_why(cli: Cli, year_2025: Gongkai) -> None:
    cli("close-year", "2025")
    cli("reopen-year", "2025", "--reason", "补录遗漏的申请")
    shown = cli("report", "2025").stdout
    assert "测试员 封存" in shown and "测试员 重新打开（补录遗漏的申请）" in shown


def test_a_failed_check_in_the_preview_names_the_requests_behind_it_on_the_terminal_not_in_the_document(
        cli: Cli, year_2025: Gongkai) -> None:
    with year_2025.engine.begin() as c:
        c.execute(update(models.Request).where(col(models.Request.ref) == "2025-0002").values(outcome=None))
    shown = cli("report", "2025", "--format", "md")
    assert "勾稽关系校验未通过 D2 `total:commercial`" in shown.stderr and "涉及申请 2025-0002" in shown.stderr
    assert "勾稽关系" not in shown.stdout.split("## 二")[0] and "预览" not in shown.stdout


def test_close_year_refuses_and_names_each_missing_text_and_table_2_figure(cli: Cli, make_app: MakeApp,
                                                                           _isolated_config: Path) -> None:
    """2025 has one request; the office gave section 一 only and table 二 but for 行政处罚 (0 counts as given)."""
    app = make_app(today=date(2026, 1, 20))
    services.register(app, Register(received_on=date(2025, 3, 3), channel="post", applicant_name="赵敏",
                                    applicant_type="natural_person", subject="某文件"))
    complete_the_report(app, 2025)
    for n in (5, 6):
        (_isolated_config / "templates" / f"report_section{n}-2025.md").unlink()
    cli("table2", "2025", "--penalties", "0")
    with app.engine.begin() as c:
        c.execute(delete(models.Table2Entry).where(col(models.Table2Entry.row_code) == "licensing"))  # never entered
    refused = cli("close-year", "2025", ok=False)
    assert refused.exit_code == 1 and refused.stderr.count("\n") == 1
    assert "2025 年度报告尚不完整，不能结账" in refused.stderr
    assert "五、存在的主要问题及改进情况" in refused.stderr and "六、其他需要报告的事项" in refused.stderr
    assert "report_section5-2025.md" in refused.stderr and "一、总体情况" not in refused.stderr
    assert "article20_5.licensing.decisions" in refused.stderr and "penalties" not in refused.stderr
    assert cli("report", "2025", "--json").stdout and report_is_open(cli)


def report_is_open(cli: Cli) -> bool:
    return "本年度尚未封存" in cli("report", "2025", "--json").stderr


@pytest.mark.parametrize("args", [["report", "99999999999999999999"], ["close-year", "20"], ["reopen-year", "1900", "--reason", "x"],
                                  ["table2", "0", "--licensing", "1"]])
def test_a_year_out_of_range_is_refused_in_one_line(cli: Cli, args: list[str]) -> None:
    refused = cli(*args, ok=False)
    assert refused.exit_code == 1 and "YEAR: " in refused.stderr and "不是报告年度" in refused.stderr


@pytest.mark.parametrize("out", ["a\x00.json", " "])
def test_an_impossible_out_file_is_refused(cli: Cli, out: str) -> None:
    refused = cli("report", "2025", "--json", "--out", out, ok=False)
    assert refused.exit_code == 1 and "--out: " in refused.stderr
    assert "不是文件名" in refused.stderr or "控制字符" in refused.stderr
