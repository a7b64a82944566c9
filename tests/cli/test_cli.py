"""Every officer action through the real CLI, and bad input that changes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine

from cli.app import app as cli_app
from tests.database import Cli

TODAY = "2026-11-25"

REGISTER = ["register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "张三",
            "--applicant-type", "natural_person", "--subject", "2025年低保资金发放明细",
            "--phone", "13812345678", "--id-number", "11010519491231002X"]


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY + " 10:00 +0800", tick=False):
        yield


def registered(cli: Cli, *extra: str) -> str:
    return cli.json(*REGISTER, *extra)["ref"]  # type: ignore[index]


def test_register_prints_the_new_reference(cli: Cli) -> None:
    assert cli(*REGISTER).stdout.strip() == "2026-0001"
    assert registered(cli) == "2026-0002"


def test_register_accepts_chinese_labels(cli: Cli) -> None:
    ref = cli.json("register", "--received-on", "2026-03-02", "--channel", "邮寄", "--applicant", "某公司",
                   "--applicant-type", "商业企业", "--subject", "某批复")["ref"]  # type: ignore[index]
    shown = cli.json("show", ref)
    assert (shown["channel"], shown["applicant"]["type"]) == ("post", "commercial")  # type: ignore[index]


def test_show_json_has_the_stable_keys(cli: Cli) -> None:
    ref = registered(cli)
    shown = cli.json("show", ref)
    assert isinstance(shown, dict)
    assert {"ref", "state", "outcome", "received_on", "reply_due", "events"} <= set(shown)
    assert (shown["ref"], shown["state"], shown["outcome"]) == (ref, "received", None)
    assert (shown["received_on"], shown["reply_due"]) == ("2026-03-02", "2026-03-30")
    assert [e["action"] for e in shown["events"]] == ["register"]


def test_a_request_walks_through_every_action(cli: Cli) -> None:
    a = registered(cli)
    cli("advance", a, "request-correction", "--on", "2026-03-05", "--period", "10", "--items", "请写明文号")
    cli("advance", a, "receive-correction", "--on", "2026-03-12")
    cli("advance", a, "consult", "--on", "2026-03-13", "--party", "third-party", "--to", "某公司")
    cli("advance", a, "consult", "--on", "2026-03-16", "--party", "agency")
    cli("advance", a, "consult-reply", "--on", "2026-03-20", "--consultation", "2")
    cli("advance", a, "consult-reply", "--on", "2026-03-24")
    cli("advance", a, "extend", "--on", "2026-04-01", "--days", "20", "--approved-by", "张主任")
    cli("advance", a, "notify-fee", "--on", "2026-04-02", "--amount", "700", "--pages", "100")
    cli("advance", a, "fee-paid", "--on", "2026-04-09")
    cli("advance", a, "delay", "--on", "2026-04-10", "--until", "2026-07-31", "--reason", "数量明显超过合理范围")
    shown = cli.json("advance", a, "decide", "--on", "2026-05-06", "--outcome", "部分公开")
    assert isinstance(shown, dict)
    assert (shown["state"], shown["outcome"], shown["late"]) == ("concluded", "partially_disclosed", False)
    assert [e["action"] for e in shown["events"]][-1] == "decide"

    b = registered(cli)
    cli("advance", b, "request-correction", "--on", "2026-03-03", "--period", "5")
    cli("advance", b, "lapse-correction", "--on", "2026-03-11")
    c = registered(cli)
    cli("advance", c, "notify-fee", "--on", "2026-03-03", "--amount", "100")
    cli("advance", c, "fee-lapsed", "--on", "2026-04-01")
    d = registered(cli)
    cli("advance", d, "withdraw", "--on", "2026-03-04", "--reason", "申请人撤回")
    outcomes = {r["ref"]: r["outcome"] for r in cli.json("list", "--all")}  # type: ignore[union-attr]
    assert outcomes == {a: "partially_disclosed", b: "other.correction_lapsed", c: "other.fee_unpaid",
                        d: "other.other"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["advance", "{ref}", "decide", "--on", "2026-03-10", "--outcome", "approved"], "办理结果 'approved' 无法识别"),
        (["advance", "{ref}", "decide", "--on", "2026-02-27", "--outcome", "disclosed"], "早于收到申请之日 2026-03-02"),
        (["advance", "{ref}", "extend", "--on", "2026-03-10", "--days", "20"], "--approved-by: 延长答复期限须填写此项"),
        (["advance", "{ref}", "extend", "--on", "2026-03-10", "--days", "21", "--approved-by", "张"], "--days: 21 超出范围，应为 1 到 20"),
        (["advance", "{ref}", "receive-correction", "--on", "2026-03-10"], "状态为办理中，现在不能收到补正（receive-correction）"),
        (["advance", "{ref}", "fee-paid", "--on", "2026-03-10"], "现在可以：request-correction（告知补正）"),
        (["advance", "{ref}", "decide", "--on", "2026-03-10", "--outcome", "disclosed", "--days", "3"], "--days: 作出答复不用此选项"),
        (["advance", "{ref}", "decide", "--on", "2026-13-01", "--outcome", "disclosed"], "不是有效日期"),
        (["advance", "{ref}", "decide", "--on", "2026-12-01", "--outcome", "disclosed"], "晚于今天（2026-11-25）"),
        (["advance", "{ref}", "approve", "--on", "2026-03-10"], "ACTION: 事项 'approve' 无法识别"),
        (["advance", "2026-9999", "decide", "--outcome", "disclosed"], "没有编号为 '2026-9999' 的申请"),
        (["register", "--received-on", "2026-03-02", "--channel", "pigeon", "--applicant", "甲",
          "--applicant-type", "natural_person", "--subject", "x"], "--channel: 无法识别的渠道 'pigeon'"),
        (["register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "甲",
          "--applicant-type", "natural_person", "--subject", "x", "--id-number", "110105194912310021"],
         "--id-number: 校验码为 1，但按前 17 位应为 X"),
        (["register", "--channel", "online", "--applicant", "甲", "--applicant-type", "natural_person",
          "--subject", "x"], "--received-on: 必须填写"),
    ],
)
def test_bad_input_is_one_clear_line_and_changes_nothing(cli: Cli, args: list[str], message: str) -> None:
    ref = registered(cli)
    before = cli.dump()
    result = cli(*[a.replace("{ref}", ref) for a in args], ok=False)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert cli.dump() == before


def test_listing_masks_id_and_phone_numbers(cli: Cli) -> None:
    ref = registered(cli)
    wide = cli.runner.invoke(cli_app, ["--db", cli.db, "list"], env={"COLUMNS": "160"}).stdout
    assert "13812345678" not in wide and "138****5678" in wide
    narrow = cli.runner.invoke(cli_app, ["--db", cli.db, "list"], env={"COLUMNS": "80"}).stdout
    assert "13812345678" not in narrow and "2026-0001" in narrow
    shown = cli.json("show", ref)
    assert shown["applicant"]["id_number"] == "110105********002X"  # type: ignore[index]


def test_list_filters_and_due_view(cli: Cli) -> None:
    a = registered(cli)
    b = registered(cli)
    cli("advance", b, "decide", "--on", "2026-03-10", "--outcome", "disclosed")
    assert [r["ref"] for r in cli.json("list", "--state", "open")] == [a]  # type: ignore[union-attr]
    assert [r["ref"] for r in cli.json("list", "--overdue")] == [a]  # type: ignore[union-attr]
    # Due 03-30: three working days after 03-25, not two.
    assert [r["ref"] for r in cli.json("list", "--due-within", "3", "--on", "2026-03-25")] == [a]  # type: ignore[union-attr]
    assert cli.json("list", "--due-within", "2", "--on", "2026-03-25") == []
    due = cli.json("due", "--on", "2026-03-30")
    assert [(d["ref"], d["kind"], d["overdue"]) for d in due] == [(a, "reply", False)]  # type: ignore[union-attr]
    assert cli.json("due", "--on", "2026-03-27") == []


def test_usage_errors_exit_with_2(cli: Cli) -> None:
    result = cli("list", "--no-such-flag", ok=False)
    assert result.exit_code == 2


def test_every_command_has_help(cli: Cli) -> None:
    import typer.main

    from cli.app import app

    group = typer.main.get_command(app)
    for name in group.list_commands(None):  # type: ignore[attr-defined]
        assert group.get_command(None, name).help, name  # type: ignore[attr-defined]
        assert cli(name, "--help").exit_code == 0


def test_the_table_of_commands_is_what_each_module_installs() -> None:
    """``cli.app.COMMANDS`` names each command's module, so that a command line loads only that one."""
    import importlib

    import typer.main

    from cli.app import COMMANDS

    installed = {}
    for module in sorted(set(COMMANDS.values())):
        commands = typer.Typer()
        importlib.import_module(f"cli.{module}").install(commands)
        installed.update(dict.fromkeys(typer.main.get_group(commands).commands, module))
    assert installed == COMMANDS


def loaded_by(args: list[str], modules: list[str]) -> list[str]:
    """Which of ``modules`` a fresh interpreter has imported once ``gongkai ARGS`` ran."""
    code = ("import json, sys; from cli.app import app\n"
            f"sys.argv=['gongkai', *{args!r}]\n"
            "try:\n app()\nexcept SystemExit: pass\n"
            f"print(json.dumps(sorted(m for m in {modules!r} if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    return json.loads(out.splitlines()[-1])  # type: ignore[no-any-return]


def test_a_command_line_loads_only_its_commands_module() -> None:
    from cli.app import COMMANDS

    assert loaded_by(["work", "--help"], sorted({f"cli.{m}" for m in COMMANDS.values()})) == ["cli.workbench"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_the_real_command_registers_and_decides_in_a_subprocess(db_target: str) -> None:
    env = {"GONGKAI_DB": db_target}
    assert run("db", "upgrade", env=env).returncode == 0
    made = run(*REGISTER, env=env)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "2026-0001"
    decided = run("advance", "2026-0001", "decide", "--on", "2026-03-20", "--outcome", "disclosed", env=env)
    assert decided.returncode == 0, decided.stderr
    bad = run("advance", "2026-0001", "decide", "--on", "2026-03-21", "--outcome", "disclosed", env=env)
    assert bad.returncode == 1 and "状态为已办结" in bad.stderr and "Traceback" not in bad.stderr


def test_the_sqlite_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    env = {"GONGKAI_DB": str(tmp_path / "own.sqlite")}
    assert run("db", "upgrade", env=env).returncode == 0
    made = run(*REGISTER, env=env)
    assert made.returncode == 0, made.stderr
    assert oct((tmp_path / "own.sqlite").stat().st_mode & 0o777) == "0o600"


def test_help_does_not_import_the_database_layers() -> None:
    assert loaded_by(["--help"], ["sqlalchemy", "pydantic", "apscheduler", "sqlmodel", "openpyxl"]) == []


def test_the_due_list_fits_80_columns_without_breaking_a_date_or_a_reference(cli: Cli) -> None:
    from rich.cells import cell_len

    ref = registered(cli)
    # A correction asked on 03-03 for 5 working days: the applicant's period ends on 03-10.
    cli("advance", ref, "request-correction", "--period", "5", "--items", "请写明文号", "--on", "2026-03-03")
    out = cli.runner.invoke(cli_app, ["--db", cli.db, "due", "--on", "2026-03-10"], env={"COLUMNS": "80"}).stdout
    lines = out.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), out
    row = next(line for line in lines if ref in line)
    assert "2026-03-10" in row and "补正" in row and "今日到期" in row
