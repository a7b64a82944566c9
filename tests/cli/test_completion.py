"""Shell completion (``gongkai --install-completion``) of actions, states and outcomes, by code and by
Chinese label, and of the open references of the database, for bash, zsh and fish: the requests the
shells make, through the real entry point (the ``_GONGKAI_COMPLETE`` protocol)."""

from __future__ import annotations

import pytest
import time_machine

from cli.app import app as cli_app
from tests.database import Cli

REGISTER = ["register", "--received-on", "2026-03-02", "--channel", "网络", "--applicant", "张三",
            "--applicant-type", "个人", "--subject", "低保资金发放明细"]


def complete(cli: Cli, shell: str, line: str) -> str:
    words = line.split(" ")
    env = {"_GONGKAI_COMPLETE": f"complete_{shell}", "GONGKAI_DB": cli.db,
           "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1),  # bash
           "_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_WORD_TO_COMPLETE": words[-1],  # zsh, fish
           "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    result = cli.runner.invoke(cli_app, [], env=env, prog_name="gongkai")
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def two(cli: Cli) -> Cli:
    """2026-0001 open, 2026-0002 concluded."""
    with time_machine.travel("2026-03-25 10:00 +0800", tick=False):
        cli(*REGISTER)
        cli(*REGISTER)
        cli("advance", "2", "作出答复", "--on", "2026-03-20", "--outcome", "公开")
    return cli


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_actions_complete_by_code_and_by_chinese_label(two: Cli, shell: str) -> None:
    by_code = complete(two, shell, "gongkai advance 1 de")
    assert all(code in by_code for code in ("decide", "delay", "delivered")) and "withdraw" not in by_code
    by_label = complete(two, shell, "gongkai advance 1 征")
    assert "征求意见" in by_label and "作出答复" not in by_label


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_states_and_outcomes_complete(two: Cli, shell: str) -> None:
    states = complete(two, shell, "gongkai list --state 已")
    assert "已办结" in states and "已作废" in states and "办理中" not in states
    outcomes = complete(two, shell, "gongkai advance 1 decide --outcome 1.本机关")
    assert "1.本机关不掌握相关政府信息" in outcomes


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("command", ["show", "advance", "void", "notice", "fee"])
def test_references_complete_with_the_open_requests_only(two: Cli, shell: str, command: str) -> None:
    found = complete(two, shell, f"gongkai {command} 2026-")
    assert "2026-0001" in found and "2026-0002" not in found  # 0002 is concluded


def test_no_database_completes_nothing_and_creates_none(cli: Cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "none.sqlite"
    env = {"_GONGKAI_COMPLETE": "complete_bash", "GONGKAI_DB": str(missing), "COMP_WORDS": "gongkai show 2026-",
           "COMP_CWORD": "2"}
    result = cli.runner.invoke(cli_app, [], env=env, prog_name="gongkai")
    assert result.exit_code == 0 and result.stdout.strip() == "" and not missing.exists()
