"""Shared fixtures: a real SQLite file per test, the official calendar, the CLI as a user runs it."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app as cli_app
from rules.calendar import WorkCalendar, assemble, official_year, official_years
from workflow.services import Gongkai
from workflow.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT.parent / "shared" / "spec"


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads the developer's own configuration or database."""
    conf = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("GONGKAI_CONFIG_DIR", str(conf))
    monkeypatch.setenv("GONGKAI_OFFICER", "测试员")
    monkeypatch.delenv("GONGKAI_DB", raising=False)
    monkeypatch.delenv("GONGKAI_AGENCY", raising=False)
    return conf


@pytest.fixture(scope="session")
def calendar() -> WorkCalendar:
    return assemble({y: s for y in official_years() if (s := official_year(y))}, {}, 1)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "gongkai.sqlite"


@pytest.fixture
def make_app(db_path: Path) -> Callable[..., Gongkai]:
    def make(today: date = date(2026, 11, 25), officer: str = "李明", **kw: object) -> Gongkai:
        return Gongkai.open(str(db_path), officer=officer, today=today, settings=Settings.load(), **kw)  # type: ignore[arg-type]

    return make


@pytest.fixture
def app(make_app: Callable[..., Gongkai]) -> Gongkai:
    return make_app()


class Cli:
    """Runs ``gongkai`` in-process, against one database file, as a user would type it."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool = True) -> object:
        result = self.runner.invoke(cli_app, ["--db", str(self.db), *args], catch_exceptions=False)
        if ok and result.exit_code != 0:
            raise AssertionError(f"gongkai {' '.join(args)} exited {result.exit_code}:\n{result.output}")
        return result

    def json(self, *args: str) -> object:
        return json.loads(self(*args, "--json").stdout)

    def dump(self) -> list[tuple]:
        """Every row of every table: what 'nothing changed' is checked against."""
        if not self.db.exists():
            return []
        con = sqlite3.connect(self.db)
        try:
            tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
            return [(t, *row) for t in tables for row in con.execute(f'SELECT * FROM "{t}" ORDER BY 1')]
        finally:
            con.close()


@pytest.fixture
def cli(db_path: Path) -> Iterator[Cli]:
    yield Cli(db_path)


def pytest_report_header() -> list[str]:
    return [f"gongkai database backend: {os.environ.get('GONGKAI_TEST_DB', 'sqlite')}"]
