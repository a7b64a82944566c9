"""A listing taller than the screen goes through ``$PAGER`` when stdout is a terminal (here forced, as
``FORCE_COLOR`` forces it for rich); never when piped, never with ``--json``, never when it fits.

Six requests received on 2026-03-02 … 2026-03-09, all open: ``list`` draws six rows and a frame of about
six lines, taller than a screen of 10 lines and shorter than one of 40."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import time_machine

from cli.app import app as cli_app
from tests.database import Cli

DAYS = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-09"]


@pytest.fixture
def six(cli: Cli) -> Cli:
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        for day in DAYS:
            cli("register", "--received-on", day, "--channel", "当面", "--applicant", "张三",
                "--applicant-type", "个人", "--subject", "低保资金发放明细", "--phone", "13812345678")
    return cli


def run(cli: Cli, tmp_path: Path, *args: str, terminal: bool, lines: int) -> tuple[str, str | None]:
    """stdout, and what the pager was given (None if it never ran)."""
    paged = tmp_path / "paged.txt"
    env = {"PAGER": f"cat > '{paged}'", "LINES": str(lines), "COLUMNS": "80", "FORCE_COLOR": "1" if terminal else None,
           "NO_COLOR": None, "TTY_COMPATIBLE": None}
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        result = cli.runner.invoke(cli_app, ["--db", cli.db, *args], env=env)  # type: ignore[arg-type]
    assert result.exit_code == 0, result.output
    return result.stdout, paged.read_text(encoding="utf-8") if paged.exists() else None


@pytest.mark.parametrize("command", [["list"], ["find", "张三"], ["due", "--within", "25"]], ids=lambda c: c[0])
def test_a_listing_taller_than_the_terminal_goes_through_the_pager(six: Cli, tmp_path: Path, command: list[str]) -> None:
    out, paged = run(six, tmp_path, *command, terminal=True, lines=10)
    assert out == ""
    assert paged is not None and all(f"2026-000{n}" in paged for n in range(1, 7))
    assert "\x1b[" in paged  # its colours kept, for less -R


@pytest.mark.parametrize("command", [["list"], ["find", "张三"], ["due", "--within", "25"]], ids=lambda c: c[0])
def test_a_listing_that_fits_or_is_piped_is_written_out(six: Cli, tmp_path: Path, command: list[str]) -> None:
    for terminal, lines in ((True, 40), (False, 10)):
        out, paged = run(six, tmp_path, *command, terminal=terminal, lines=lines)
        assert paged is None
        assert all(f"2026-000{n}" in out for n in range(1, 7))


def test_json_never_goes_through_the_pager(six: Cli, tmp_path: Path) -> None:
    out, paged = run(six, tmp_path, "list", "--json", terminal=True, lines=10)
    assert paged is None and len(json.loads(out)) == 6
