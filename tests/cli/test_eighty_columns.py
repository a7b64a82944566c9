"""At 80 columns (``COLUMNS=80``) ``list``, ``due``, ``find``, ``show`` and ``report --cell`` never wrap
or cut a date, a reference or a number, and print labels, not codes: checked line by line on a demo
year (``gongkai demo``, 40 requests, on 2026-11-25)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import time_machine
from rich.cells import cell_len
from typer.testing import CliRunner

from cli.app import app as cli_app

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
REF = re.compile(r"\d{4}-\d{4}")
CODES = ("natural_person", "commercial", "unavailable.", "withheld.", "disclosed", "in_person", "online")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        result = CliRunner().invoke(cli_app, ["demo", "--path", str(path), "--requests", "40"])
    assert result.exit_code == 0, result.output
    return path


def run(demo: Path, *args: str) -> str:
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        result = CliRunner().invoke(cli_app, ["--db", str(demo), *args], env={"COLUMNS": "80", "LINES": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def refs_of(demo: Path, *args: str) -> set[str]:
    return {r["ref"] for r in json.loads(run(demo, *args, "--json"))}


@pytest.mark.parametrize("args", [["list", "--all"], ["due", "--within", "10"], ["find", "某"],
                                  ["report", "2026", "--cell", "总计:总计"], ["report", "2026", "--cell", "不掌握:自然人"]],
                         ids=lambda a: " ".join(a))
def test_listings_fit_80_columns_and_keep_every_reference_and_date_whole(demo: Path, args: list[str]) -> None:
    text = run(demo, *args)
    for line in text.splitlines():
        assert cell_len(line) <= 80, line
        assert not re.search(r"\d{4}-\d{0,3}…|\d{4}-\d{2}-\d?…|…\d", line), line  # no cut date or reference
        assert not any(code in line for code in CODES) and not re.search(r"[a-z]=", line), line
    data = json.loads(run(demo, *args, "--json"))
    rows = data.get("requests", data) if isinstance(data, dict) else data
    assert rows, "the demo year has something to list"
    shown_refs, shown_dates = set(REF.findall(text)), set(DATE.findall(text))
    assert {r["ref"] for r in rows} <= shown_refs
    dates = {r.get("received_on") or r.get("due") for r in rows}
    assert dates <= shown_dates


def test_show_fits_80_columns_for_every_demo_request(demo: Path) -> None:
    for ref in sorted(refs_of(demo, "list", "--all"))[:40]:
        lines = run(demo, "show", ref).splitlines()
        assert len(lines) <= 24, ref
        for line in lines:
            assert cell_len(line) <= 80 and "=" not in line, line
            assert not re.search(r"\d{4}-\d{0,2}-?\d?…", line), line
