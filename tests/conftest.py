"""What every tier needs: no test reads the developer's own configuration; the official calendar; the
spec snapshots; the session's PostgreSQL server when the suite runs against PostgreSQL.

The tiers: ``unit/`` (rules, the domain and the renderers, no database), ``integration/`` (a real
SQLite file or PostgreSQL database per test: the use cases and the features built on them),
``cli/`` (the command line itself, in process and in subprocesses). The database fixtures are in
``tests/database.py``, which the integration and cli conftests bring in; the unit tier cannot ask for
them. ``-m "not slow"`` leaves out the long tests (100,000-row imports, many processes)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rules.calendar import WorkCalendar, assemble, official_year, official_years
from tests.pgserver import PgServer

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "data" / "spec"  # snapshots of ../shared/spec (see its README)
SHARED_SPEC = ROOT.parent / "shared" / "spec"


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads the developer's own configuration or database."""
    conf = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("GONGKAI_CONFIG_DIR", str(conf))
    monkeypatch.setenv("GONGKAI_OFFICER", "测试员")
    monkeypatch.delenv("GONGKAI_DB", raising=False)
    monkeypatch.delenv("GONGKAI_AGENCY", raising=False)
    return conf


# What an office configures before gongkai writes it a letter (the letters refuse the placeholders).
OFFICE_TOML = ('[office]\nname = "某市某局"\n[letters]\nabbr = "某局"\ncontact = "联系人：王五　联系电话：0591-12345678"\n'
               'review_body = "某市人民政府"\ncourt = "某区人民法院"\n'
               '[letters.abbreviations]\nminzheng = "某民"\n')  # the platform agency of the tests


@pytest.fixture
def office(_isolated_config: Path) -> Path:
    """An office configured to write letters (request it before ``app`` or ``cli``)."""
    (_isolated_config / "gongkai.toml").write_text(OFFICE_TOML, encoding="utf-8")
    return _isolated_config


@pytest.fixture(scope="session")
def calendar() -> WorkCalendar:
    return assemble({y: s for y in official_years() if (s := official_year(y))}, {}, 1)


BACKEND = os.environ.get("GONGKAI_TEST_DB", "sqlite")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer | None]:
    """The session's PostgreSQL server when the suite runs against PostgreSQL (GONGKAI_TEST_DB=postgresql),
    started when the first test asks for a database (each pytest-xdist worker starts its own)."""
    if BACKEND != "postgresql":
        yield None
        return
    server = PgServer().start()
    try:
        yield server
    finally:
        server.stop()


def pytest_report_header() -> list[str]:
    return [f"gongkai database backend: {BACKEND}"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """pytest-randomly shuffles the tests; ``-q`` hides its header, so say here how to repeat the order."""
    seed = getattr(config.option, "randomly_seed", None)
    if isinstance(seed, int):
        terminalreporter.write_line(f"tests ran in a random order: repeat it with --randomly-seed={seed} "
                                    "(or keep the file order with -p no:randomly)")


# -- what close-year needs besides the requests ------------------------------------------------------

REPORT_TEXTS = {1: "本年度，本机关在门户网站主动公开政府信息，依法办理依申请公开。",
                5: "存在的主要问题是答复文书说理不够充分；改进情况：已组织专题培训。",
                6: "无其他需要报告的事项。"}


def write_report_texts(year: int, texts: dict[int, str] | None = None) -> Path:
    """The office's own text of sections 一, 五 and 六 for the year, where ``close-year`` looks for it."""
    from workflow.settings import config_dir

    folder = config_dir() / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    for n, text in (texts or REPORT_TEXTS).items():
        (folder / f"report_section{n}-{year}.md").write_text(text + "\n", encoding="utf-8")
    return folder


def table2_zeros_toml(path: Path) -> Path:
    """A table 二 file with every figure 0 (``gongkai table2 YEAR --file``)."""
    from workflow.usecases.closing import CELLS

    blocks: dict[str, list[str]] = {}
    for block, row, column in CELLS:
        blocks.setdefault(f"{block}.{row}", []).append(f"{column} = 0")
    path.write_text("".join(f"[{k}]\n" + "\n".join(v) + "\n" for k, v in blocks.items()), encoding="utf-8")
    return path


def complete_the_report(app: Any, year: int) -> None:
    """Sections 一, 五 and 六 written and every table 二 figure entered (0), so that the year can be closed."""
    from workflow.usecases import closing

    write_report_texts(year)
    closing.enter_table2(app, year, dict.fromkeys(closing.CELLS, 0))
