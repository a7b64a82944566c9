"""A database per test and the CLI on it, for the integration and cli tiers (their conftests bring
these fixtures in): a fresh SQLite file, or a fresh database on the session's PostgreSQL server
when ``GONGKAI_TEST_DB=postgresql``; the app opened on it; ``gongkai`` run in process against it."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app as cli_app
from tests.pgserver import PgServer
from workflow.app import Gongkai
from workflow.settings import Settings


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A SQLite file, for the tests that are about SQLite itself (file permissions, WAL, tampering)."""
    return tmp_path / "gongkai.sqlite"


@pytest.fixture
def db_target(request: pytest.FixtureRequest, db_path: Path, pg_server: PgServer | None) -> str:
    """The database every other test uses: a fresh SQLite file, or a fresh PostgreSQL database."""
    if pg_server is None:
        return str(db_path)
    return pg_server.create_database(f"t{next(_COUNTER)}_{request.node.name[:40].lower()}".replace("[", "_")
                                     .replace("]", "_").replace("-", "_"))


_COUNTER = itertools.count()


@pytest.fixture
def make_app(db_target: str) -> Callable[..., Gongkai]:
    def make(today: date = date(2026, 11, 25), officer: str = "李明", **kw: object) -> Gongkai:
        return Gongkai.open(db_target, officer=officer, today=today, settings=Settings.load(), **kw)  # type: ignore[arg-type]

    return make


@pytest.fixture
def app(make_app: Callable[..., Gongkai]) -> Gongkai:
    return make_app()


class Cli:
    """Runs ``gongkai`` in-process, against one database, as a user would type it."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool = True) -> object:
        created(self.db)  # every command but demo and db upgrade refuses a database that does not exist
        result = self.runner.invoke(cli_app, ["--db", str(self.db), *args], catch_exceptions=False)
        if ok and result.exit_code != 0:
            raise AssertionError(f"gongkai {' '.join(args)} exited {result.exit_code}:\n{result.output}")
        return result

    def json(self, *args: str) -> object:
        return json.loads(self(*args, "--json").stdout)

    def dump(self) -> list[tuple]:
        return dump(self.db)


def created(target: str) -> str:
    """The database at ``target``, created at the head schema if it is a SQLite file not there yet (as
    ``gongkai db upgrade`` does; a PostgreSQL test database is made by the fixture)."""
    from workflow.store import db

    url = db.resolve_url(target)
    if not url.startswith("sqlite:///") or Path(url.removeprefix("sqlite:///")).exists():
        return target
    engine = db.make_engine(target)
    try:
        db.ensure_schema(engine)
    finally:
        engine.dispose()
    return target


def dump(target: str) -> list[tuple]:
    """Every row of every table, on either backend: what 'nothing changed' is checked against."""
    from sqlalchemy import MetaData, create_engine, select

    from workflow.store.db import resolve_url

    url = resolve_url(target)
    if url.startswith("sqlite") and not Path(url.removeprefix("sqlite:///")).exists():
        return []
    engine = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as c:
            return [(t.name, *row) for t in meta.sorted_tables
                    for row in c.execute(select(t).order_by(*t.primary_key.columns or t.columns))]
    finally:
        engine.dispose()


@pytest.fixture
def cli(db_target: str) -> Iterator[Cli]:
    yield Cli(db_target)
