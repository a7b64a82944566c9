"""The command line as officers type it: Chinese labels, dates as written, short and full-width references,
``find``, ``info``, and a database that does not exist. Rendered at 80 columns where output changed."""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine

from cli import requests as cli_requests
from cli.app import app as cli_app
from tests.database import Cli, created

TODAY = "2026-11-25"
REGISTER = ["register", "--received-on", "2026/3/2", "--channel", "网络", "--applicant", "张三",
            "--applicant-type", "个人", "--subject", "2025年低保资金发放明细", "--phone", "13812345678"]


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY + " 10:00 +0800", tick=False):
        yield


def narrow(cli: Cli, *args: str, paths: tuple[str, ...] = ()) -> str:
    """The output at 80 columns, every line checked to fit (but the lines naming a file: a path never wraps)."""
    from rich.cells import cell_len

    result = cli.runner.invoke(cli_app, ["--db", cli.db, *args], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    for line in result.stdout.splitlines():
        assert cell_len(line) <= 80 or line.startswith(paths), line
    return result.stdout


def test_register_reads_chinese_words_and_a_slashed_date(cli: Cli) -> None:
    ref = cli.json(*REGISTER)["ref"]  # type: ignore[index]
    shown = cli.json("show", ref)
    assert (shown["received_on"], shown["channel"], shown["applicant"]["type"]) == ("2026-03-02", "online",  # type: ignore[index]
                                                                                   "natural_person")


def test_advance_takes_a_short_full_width_reference_a_chinese_action_and_a_chinese_date(cli: Cli) -> None:
    cli(*REGISTER)
    shown = cli.json("advance", "１", "征求意见", "--on", "2026年3月4日", "--party", "第三方", "--to", "某公司")
    assert (shown["ref"], shown["state"]) == ("2026-0001", "in_consultation")  # type: ignore[index]
    cli("advance", "0001", "收到意见", "--on", "3月9日")
    shown = cli.json("advance", "２０２６－０００１", "作出答复", "--on", "2026.3.20", "--outcome", "不掌握")
    assert (shown["state"], shown["outcome"]) == ("concluded", "unavailable.not_held")  # type: ignore[index]
    assert [e["on"] for e in shown["events"]] == ["2026-03-02", "2026-03-04", "2026-03-09", "2026-03-20"]  # type: ignore[index]


def test_withdrawing_by_its_short_form_and_delaying_until_a_date_as_written(cli: Cli) -> None:
    cli(*REGISTER)
    shown = cli.json("advance", "1", "延迟答复", "--on", "20260327", "--until", "2026年4月30日", "--reason", "数量大")
    assert shown["reply_due"] == "2026-04-30"  # type: ignore[index]
    assert cli.json("advance", "1", "撤回", "--on", "2026/4/1")["outcome"] == "other.other"  # type: ignore[index]


def test_an_ambiguous_action_lists_its_candidates_and_changes_nothing(cli: Cli) -> None:
    cli(*REGISTER)
    before = cli.dump()
    result = cli("advance", "1", "撤", ok=False)
    assert result.exit_code == 1
    assert result.stderr == "gongkai: ACTION: 事项 '撤' 有歧义，可指：withdraw（撤回申请）、undo（撤销上一步）\n"
    assert cli.dump() == before


@pytest.mark.parametrize(("args", "message"), [
    (["advance", "1", "作出答复", "--on", "2026/2/30", "--outcome", "公开"], "--on: '2026/2/30' 不是有效日期（2026年没有2月30日）"),
    (["advance", "1", "作出答复", "--on", "下周", "--outcome", "公开"], "--on: '下周' 不是日期；可写 2026-03-02"),
    (["advance", "1", "作出答复", "--on", "今天", "--outcome", "属于"], "--outcome: 办理结果 '属于' 有歧义"),
    (["list", "--state", "中"], "--state: 状态 '中' 有歧义，可指：received（办理中）、in_consultation（征求意见中）"),
    (["list", "--state", "未知"], "--state: 状态 '未知' 无法识别；可用：open（未办结）"),
    (["list", "--all", "--state", "已办结"], "--all: 不能与 --state 同用"),
    (["register", "--received-on", "昨天", "--channel", "网络", "--applicant", "甲", "--applicant-type", "机构",
      "--subject", "x"], "--applicant-type: 申请人类型 '机构' 有歧义"),
])
def test_errors_are_one_chinese_line_naming_the_option(cli: Cli, args: list[str], message: str) -> None:
    cli(*REGISTER)
    before = cli.dump()
    result = cli(*args, ok=False)
    assert result.exit_code == 1 and message in result.stderr and result.stderr.count("\n") == 1
    assert cli.dump() == before


def test_list_shows_open_requests_unless_all_are_asked_for(cli: Cli) -> None:
    cli(*REGISTER)
    cli(*REGISTER)
    cli("advance", "2", "作出答复", "--on", "2026-03-10", "--outcome", "公开")
    assert [r["ref"] for r in cli.json("list")] == ["2026-0001"]  # type: ignore[union-attr]
    assert [r["ref"] for r in cli.json("list", "--all")] == ["2026-0001", "2026-0002"]  # type: ignore[union-attr]
    assert [r["ref"] for r in cli.json("list", "--state", "已办结")] == ["2026-0002"]  # type: ignore[union-attr]
    assert [r["ref"] for r in cli.json("list", "--state", "办理中")] == ["2026-0001"]  # type: ignore[union-attr]
    out = narrow(cli, "list")
    assert "依申请公开 · 1 件" in out and "2026-0001" in out and "2026-0002" not in out


def test_find_searches_references_applicants_subjects_and_whole_phone_numbers(cli: Cli) -> None:
    cli(*REGISTER)
    cli("register", "--received-on", "2026-03-03", "--channel", "当面", "--applicant", "某公司",
        "--applicant-type", "企业", "--subject", "某项目批复", "--phone", "01088886666")
    refs = {text: [r["ref"] for r in cli.json("find", text)] for text in  # type: ignore[union-attr]
            ("张三", "低保", "13812345678", "1381234", "2", "0002", "某公司", "批复", "李四")}
    assert refs == {"张三": ["2026-0001"], "低保": ["2026-0001"], "13812345678": ["2026-0001"], "1381234": [],
                    "2": ["2026-0001", "2026-0002"], "0002": ["2026-0002"], "某公司": ["2026-0002"],
                    "批复": ["2026-0002"], "李四": []}
    found = cli.json("find", "１３８１２３４５６７８")
    assert found[0]["phone"] == "138****5678"  # type: ignore[index]
    out = narrow(cli, "find", "13812345678")
    assert "2026-0001" in out and "13812345678" not in out
    assert narrow(cli, "find", "李四").strip() == "没有找到与“李四”相符的申请。"


def test_info_says_which_database_officer_agency_and_calendar_are_in_use(cli: Cli) -> None:
    data = cli.json("info")
    assert isinstance(data, dict)
    assert data["officer"] and data["agency"] and data["config_dir"]
    assert data["calendar_years"]["2026"] == "official"
    out = narrow(cli, "info", paths=("数据库", "配置目录"))
    assert [line.split("：")[0] for line in out.splitlines()] == ["数据库", "经办人", "机关", "配置目录", "日历年度"]
    assert "2026（已公布）" in out


def test_a_database_that_does_not_exist_is_refused_except_by_db_upgrade_and_demo(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    typo = tmp_path / "gongkia.sqlite"
    runner = CliRunner()
    for args in (["list"], ["info"], ["find", "张三"], ["db", "status"], ["show", "1"]):
        result = runner.invoke(cli_app, args, env={"GONGKAI_DB": str(typo)})
        assert result.exit_code == 1, args
        assert result.stderr == (f"gongkai: 数据库 {typo} 不存在（请检查 --db 或 GONGKAI_DB）；新建请运行 "
                                 f"gongkai --db {typo} db upgrade，或生成演示库 gongkai demo --path {typo}\n")
    assert not typo.exists()
    assert runner.invoke(cli_app, ["--db", str(typo), "db", "upgrade"]).exit_code == 0
    assert runner.invoke(cli_app, ["--db", str(typo), "list"]).stdout.strip() == "没有符合条件的申请。"


def test_a_report_cell_is_named_by_its_chinese_row_and_column(cli: Cli) -> None:
    cli(*REGISTER)
    cli("advance", "1", "作出答复", "--on", "2026-03-10", "--outcome", "不掌握")
    data = cli.json("report", "2026", "--cell", "本机关不掌握相关政府信息：个人")
    assert isinstance(data, dict) and [r["ref"] for r in data["requests"]] == ["2026-0001"]


def test_interactive_register_asks_again_only_for_the_field_that_is_wrong(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_requests, "_interactive", lambda: True)
    created(cli.db)
    answers = ["2026年2月30日", "3月2日", "飞鸽", "网络", "张三", "机构", "个人", "低保", "", "", ""]
    result = cli.runner.invoke(cli_app, ["--db", cli.db, "register"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("2026-0001")
    assert result.stdout.count("收到日期") == 2 and result.stdout.count("渠道") == 2
    assert result.stdout.count("申请人类型") == 2 and result.stdout.count("申请内容") == 1
    shown = cli.json("show", "1")
    assert (shown["received_on"], shown["channel"], shown["applicant"]["type"]) == ("2026-03-02", "online",  # type: ignore[index]
                                                                                   "natural_person")


def test_interactive_register_defaults_the_receipt_date_to_today(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_requests, "_interactive", lambda: True)
    created(cli.db)
    answers = ["", "当面", "张三", "自然人", "低保", "13812345678", "", "某市某路1号"]
    result = cli.runner.invoke(cli_app, ["--db", cli.db, "register"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert f"收到日期 [{TODAY}]" in result.stdout
    shown = cli.json("show", "1")
    assert (shown["received_on"], shown["applicant"]["phone"]) == (TODAY, "138****5678")  # type: ignore[index]


def test_shell_completion_is_offered() -> None:
    from typer.testing import CliRunner

    assert "--install-completion" in CliRunner().invoke(cli_app, ["--help"]).stdout
