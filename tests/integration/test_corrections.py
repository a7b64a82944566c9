"""Corrections in the open (issue 14) through the real command line: ``gongkai void`` and
``gongkai advance REF undo``, on a real database.

Every request below was received on Monday 2026-03-02 (reply due 2026-03-30) unless it says otherwise.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
import time_machine

from tests.conftest import table2_zeros_toml, write_report_texts
from tests.database import Cli
from workflow.alerts import sweep as alerts
from workflow.app import Gongkai

REQUEST = ["register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "张三",
           "--applicant-type", "natural_person", "--subject", "2025年低保资金发放明细"]


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


def four_requests(cli: Cli) -> None:
    """0001 open · 0002 a duplicate of 0001, voided while open · 0003 disclosed 03-16 ·
    0004 a test entry, decided 03-10 and then voided."""
    for _ in range(4):
        cli(*REQUEST)
    cli("advance", "2026-0003", "decide", "--on", "2026-03-16", "--outcome", "disclosed")
    cli("advance", "2026-0004", "decide", "--on", "2026-03-10", "--outcome", "disclosed")
    voided = cli("void", "2026-0002", "--reason", "重复登记（同2026-0001）", "--on", "2026-03-03")
    assert voided.stdout.strip() == "2026-0002：作废 已记录 → 已作废"
    cli("--officer", "王芳", "void", "2026-0004", "--reason", "培训测试数据", "--on", "2026-03-11")


def refs(rows: object) -> list[str]:
    assert isinstance(rows, list)
    return sorted(r["ref"] for r in rows)


def test_a_voided_request_leaves_the_listings_but_keeps_its_number(cli: Cli) -> None:
    four_requests(cli)
    assert refs(cli.json("list", "--all")) == ["2026-0001", "2026-0003"]
    assert refs(cli.json("list", "--state", "open")) == ["2026-0001"]
    assert refs(cli.json("list", "--state", "concluded")) == ["2026-0003"]
    assert refs(cli.json("list", "--state", "voided")) == ["2026-0002", "2026-0004"]
    assert refs(cli.json("due", "--on", "2026-03-30")) == ["2026-0001"]
    assert cli.json(*REQUEST) == {"ref": "2026-0005"}  # the voided numbers stay taken


def test_a_voided_request_raises_no_alert(cli: Cli, make_app: Callable[..., Gongkai]) -> None:
    """03-23 is five working days before the reply deadline 03-30: only 0001 is warned of."""
    four_requests(cli)
    warned = alerts.sweep(make_app(today=date(2026, 3, 23))).new
    assert {(a["ref"], a["kind"], a["due"]) for a in warned} == {("2026-0001", "reply", "2026-03-30")}
    carry_over = [a for a in alerts.sweep(make_app(today=date(2026, 12, 15))).new if a["kind"] == "carry_over"]
    assert [a["message"][:10] for a in carry_over] == ["您有1件申请尚未办结"]


def test_a_voided_request_is_in_no_figure_of_table_3(cli: Cli) -> None:
    four_requests(cli)
    table3 = cli.json("report", "2026")["table3"]  # type: ignore[index]
    assert (table3["new"]["total"], table3["new"]["natural_person"]) == (2, 2)
    assert (table3["total"]["total"], table3["disclosed"]["total"], table3["carried_out"]["total"]) == (1, 1, 1)


def test_show_and_audit_keep_who_voided_it_and_why(cli: Cli) -> None:
    four_requests(cli)
    shown = cli.json("show", "2026-0004")
    assert isinstance(shown, dict)
    assert (shown["state"], shown["state_label"], shown["allowed_now"]) == ("voided", "已作废", [])
    assert shown["voided"] == {"on": "2026-03-11", "officer": "王芳", "reason": "培训测试数据"}
    assert "已作废：2026-03-11 王芳，原因：培训测试数据" in cli("show", "2026-0004").stdout
    audit = cli.json("audit", "--ref", "2026-0004")
    assert [(a["action"], a["officer"], a["payload"].get("reason")) for a in audit] == [  # type: ignore[union-attr]
        ("register", "测试员", None), ("decide", "测试员", None), ("void", "王芳", "培训测试数据")]
    refused = cli("advance", "2026-0004", "withdraw", "--on", "2026-03-12", ok=False)
    assert refused.exit_code == 1
    assert refused.stderr.strip() == ("gongkai: 申请 2026-0004 状态为已作废，现在不能撤回申请（withdraw）。"
                                      "现在可以：无（该申请已作废）")


def test_void_needs_a_reason(cli: Cli) -> None:
    cli(*REQUEST)
    refused = cli("void", "2026-0001", ok=False)
    assert refused.exit_code == 1
    assert refused.stderr.strip() == "gongkai: --reason: 作废须填写（为何属于误登记）"


def test_verify_tells_a_voided_number_from_a_deleted_one(db_path: Path) -> None:
    cli = Cli(str(db_path))
    four_requests(cli)
    assert cli.json("verify") == {"checked": 4, "findings": []}
    con = sqlite3.connect(db_path)
    con.executescript("PRAGMA foreign_keys = OFF; DELETE FROM deadline WHERE request_id = 1; "
                      "DELETE FROM event WHERE request_id = 1; DELETE FROM request WHERE id = 1;")
    con.close()
    result = cli("verify", "--json", ok=False)
    assert result.exit_code == 3
    findings = json.loads(result.stdout)["findings"]
    assert [(f["ref"], f["check"]) for f in findings] == [("2026-0001", "numbering")]


def test_undoing_an_extension_restores_the_reply_deadline_of_03_30(cli: Cli) -> None:
    cli(*REQUEST)
    cli("advance", "2026-0001", "extend", "--on", "2026-03-20", "--days", "15", "--approved-by", "张主任")
    undone = cli("advance", "2026-0001", "undo", "--on", "2026-03-23", "--reason", "误操作：尚未批准")
    assert undone.stdout.strip() == "2026-0001：撤销上一步 已记录 → 办理中，答复期限 2026-03-30"
    shown = cli.json("show", "2026-0001")
    assert isinstance(shown, dict)
    assert (shown["reply_due"], shown["extension_days"]) == ("2026-03-30", 0)
    assert [(e["action"], e["payload"].get("undoes"), e["undone_by"]) for e in shown["events"]] == [
        ("register", None, None), ("extend", None, 3), ("undo", 2, None)]
    assert "延长答复期限（已由 #3 撤销）" in cli("show", "2026-0001").stdout
    assert refs(cli.json("due", "--on", "2026-03-30")) == ["2026-0001"]
    assert cli.json("verify") == {"checked": 1, "findings": []}


def test_a_second_undo_revokes_the_action_before_until_only_register_is_left(cli: Cli) -> None:
    cli(*REQUEST)
    cli("advance", "2026-0001", "consult", "--on", "2026-03-05", "--to", "某公司")
    # decided once 某公司's 15 working days (03-06 … 03-26) ran out unanswered
    cli("advance", "2026-0001", "decide", "--on", "2026-03-27", "--outcome", "disclosed")
    assert cli.json("advance", "2026-0001", "undo", "--on", "2026-03-30", "--reason", "a")["state"] == "in_consultation"  # type: ignore[index]
    assert cli.json("advance", "2026-0001", "undo", "--on", "2026-03-30", "--reason", "b")["state"] == "received"  # type: ignore[index]
    refused = cli("advance", "2026-0001", "undo", "--on", "2026-03-30", "--reason", "c", ok=False)
    assert "没有可撤销的事项：只有登记（register）有效" in refused.stderr


@pytest.fixture
def platform(cli: Cli) -> Cli:
    cli("agency", "add", "minzheng", "某区民政局")
    cli("officer", "add", "省平台", "--agency", "minzheng", "--role", "platform")
    cli("--officer", "省平台", "officer", "add", "李明", "--agency", "minzheng")
    cli("--officer", "省平台", "officer", "add", "张主任", "--agency", "minzheng", "--role", "supervisor")
    return cli


def test_undoing_a_decision_whose_reply_was_written_needs_a_supervisor(
        office: Path, platform: Cli, tmp_path: Path) -> None:
    cli = platform
    ref = cli.json("--officer", "李明", *REQUEST)["ref"]  # type: ignore[index]
    cli("--officer", "李明", "advance", ref, "decide", "--on", "2026-03-16", "--outcome", "disclosed")
    cli("--officer", "李明", "notice", ref, "答复", "--ground", "published", "--obtain", "本机关门户网站",
        "--out", str(tmp_path / "答复.txt"))  # the reply letter is written, and recorded
    before = cli.dump()
    bare = cli("--officer", "李明", "advance", ref, "undo", "--on", "2026-03-17", "--reason", "答复录错", ok=False)
    assert bare.exit_code == 1
    assert bare.stderr.strip() == ("gongkai: --approved-by: 撤销已写出答复书的作出答复（#2）须经负责人批准；"
                                   "应写 --approved-by 姓名（机关 'minzheng' 的负责人）")
    wrong = cli("--officer", "李明", "advance", ref, "undo", "--on", "2026-03-17", "--reason", "答复录错",
                "--approved-by", "李明", ok=False)
    assert "'李明' 不是机关 'minzheng' 的负责人" in wrong.stderr
    assert cli.dump() == before
    reopened = cli.json("--officer", "李明", "advance", ref, "undo", "--on", "2026-03-17", "--reason", "答复录错",
                        "--approved-by", "张主任")
    assert isinstance(reopened, dict)
    assert (reopened["state"], reopened["outcome"], reopened["reply_due"]) == ("received", None, "2026-03-30")
    assert reopened["events"][-1]["payload"] == {"approved_by": "张主任", "reason": "答复录错", "undoes": 2}


def test_neither_void_nor_undo_reaches_into_a_closed_year(cli: Cli, tmp_path: Path) -> None:
    """Received 2025-12-01 and disclosed 2025-12-10; 2025 closed on 2026-01-20: its report counted it."""
    with time_machine.travel("2026-01-20 10:00 +0800", tick=False):
        cli(REQUEST[0], "--received-on", "2025-12-01", *REQUEST[3:])
        cli("advance", "2025-0001", "decide", "--on", "2025-12-10", "--outcome", "disclosed")
        write_report_texts(2025)
        cli("table2", "2025", "--file", str(table2_zeros_toml(tmp_path / "table2.toml")))
        cli("close-year", "2025")
        before = cli.dump()
        undo = cli("advance", "2025-0001", "undo", "--reason", "答复录错", ok=False)
        assert undo.stderr.strip() == ("gongkai: 2025 年度已结转（年度报告已冻结）；撤销 2025 年的作出答复（#2）被拒绝。"
                                       "请先重新开放该年度：gongkai reopen-year 2025 --reason 原因")
        void = cli("void", "2025-0001", "--reason", "重复登记", ok=False)
        assert "作废 2025 年收到的申请被拒绝" in void.stderr
        assert cli.dump() == before


def test_the_export_leaves_out_voided_requests_and_undone_actions(app: Gongkai, tmp_path: Path) -> None:
    """0001 extended then the extension undone; 0002 voided. Out and back in: the same table 三."""
    from workflow.domain.commands import Advance, Register
    from workflow.io import exports, imports
    from workflow.reports import compute as report
    from workflow.settings import Settings
    from workflow.usecases import requests as services
    from workflow.usecases import views

    for _ in range(2):
        services.register(app, Register(received_on=date(2026, 3, 2), channel="online", applicant_name="张三",
                                        applicant_type="natural_person", subject="某信息"))
    services.advance(app, Advance("2026-0001", "extend", date(2026, 3, 20), {"days": "15", "approved_by": "张主任"}))
    services.advance(app, Advance("2026-0001", "undo", date(2026, 3, 23), {"reason": "误操作"}))
    services.void(app, "2026-0002", "重复登记", date(2026, 3, 3))
    sheet = tmp_path / "requests.csv"
    assert exports.export_requests(app, sheet).requests == 1
    other = Gongkai.open(str(tmp_path / "other.sqlite"), officer="王芳", today=app.today, settings=Settings.load())
    assert imports.import_requests(other, sheet).imported == 1
    shown = views.show(other, "2026-0001")
    assert (shown["reply_due"], shown["extension_days"]) == ("2026-03-30", 0)
    assert report.build(other, 2026).table3 == report.build(app, 2026).table3
