"""Where the data lives, and the unit of work every command runs in.

``GONGKAI_DB`` (or ``--db``) takes a file path or a SQLAlchemy URL; without it the embedded SQLite
file sits in the user's data directory. SQLite connections get WAL, foreign keys and a busy timeout;
writing units of work start with ``BEGIN IMMEDIATE`` so two writers queue instead of deadlocking
on a lock upgrade. ``insert_many`` writes a batch of rows the fastest way each database takes them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, create_engine, event, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from workflow.errors import DatabaseError

BUSY_TIMEOUT_MS = 30_000


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("gongkai")) / "gongkai.sqlite"


def resolve_url(target: str | None = None) -> str:
    target = target or os.environ.get("GONGKAI_DB") or str(default_path())
    if "://" in target:
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"


def _prepare_sqlite_file(url: str) -> None:
    """Create the file readable by its owner only: it holds citizens' identity numbers."""
    path = url.removeprefix("sqlite:///")
    if path in ("", ":memory:") or os.path.exists(path):
        return
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)


def _sqlite_listeners(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(target: str | None = None) -> Engine:
    url = resolve_url(target)
    if url.startswith("sqlite"):
        _prepare_sqlite_file(url)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _sqlite_listeners(engine)
    else:
        # A command is one unit of work in a short process: a pool would only hold idle server
        # connections (hundreds of officers' CLIs must not exhaust max_connections).
        engine = create_engine(url, poolclass=NullPool)
    return engine


def ensure_schema(engine: Engine) -> None:
    """A new database is created at the head schema; an older one must be upgraded first."""
    from workflow import schema

    try:
        at = schema.current(engine)
        if at is None:
            schema.create(engine)
        elif at != schema.HEAD:
            raise DatabaseError(f"the database is at schema {at}, this gongkai needs {schema.HEAD}: "
                                f"run `gongkai db upgrade` (after a backup)")
    except SQLAlchemyError as e:
        raise DatabaseError(f"cannot open the database {engine.url.render_as_string()}: {_first_line(e)}") from None


def _first_line(e: BaseException) -> str:
    text = str(getattr(e, "orig", None) or e)
    return text.strip().splitlines()[0] if text.strip() else type(e).__name__


@contextmanager
def unit_of_work(engine: Engine, write: bool = True) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any error."""
    bind = engine.execution_options(sqlite_begin="IMMEDIATE") if write else engine
    try:
        with Session(bind, expire_on_commit=False) as session, session.begin():
            yield session
    except OperationalError as e:
        raise DatabaseError(f"database error: {_first_line(e)}") from None


def insert_many(session: Session, table: Any, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                constants: Mapping[str, Any] | None = None, returning: Sequence[str] = (),
                skip_existing: bool = False) -> list[Any]:
    """Insert ``rows`` (values of ``columns``) and ``constants``, the same in each, in one statement;
    with ``skip_existing``, rows whose unique key exists are left out. The ``returning`` columns of
    the rows inserted.

    The rows travel as one parameter that an ``INSERT … SELECT`` reads as a table: arrays that
    PostgreSQL unnests (psycopg spends longer parsing a thousand-row VALUES list than the server
    spends inserting it), a JSON array that SQLite reads with ``json_each``, each value converted by
    its column type first so the stored text is what SQLAlchemy writes. Several times faster than an
    executemany of dicts.
    """
    if not rows:
        return []
    dialect = session.get_bind().dialect
    consts = dict(constants or {})
    quoted = [f'"{n}"' for n in columns]
    if dialect.name == "postgresql":
        arrays = ", ".join(f"CAST(:rows_{i} AS {table.c[n].type.compile(dialect=dialect)}[])"
                           for i, n in enumerate(columns))
        source, selected = f"unnest({arrays}) AS rows({', '.join(quoted)})", quoted
        params: dict[str, Any] = {f"rows_{i}": [row[i] for row in rows] for i in range(len(columns))}
    else:
        convert = [(i, f) for i, n in enumerate(columns)
                   if (f := table.c[n].type.dialect_impl(dialect).bind_processor(dialect))]
        if convert:
            rows = [_converted(row, convert) for row in rows]
        source, selected = "json_each(:rows)", [f"json_extract(value, '$[{i}]')" for i in range(len(columns))]
        params = {"rows": json.dumps(rows, ensure_ascii=False)}
    names = ", ".join([*quoted, *[f'"{n}"' for n in consts]])
    values = ", ".join([*selected, *[f":const_{n}" for n in consts]])
    # WHERE: SQLite would read ON CONFLICT as the join's ON clause without it
    sql = f'INSERT INTO "{table.name}" ({names}) SELECT {values} FROM {source} WHERE true'
    if skip_existing:
        sql += " ON CONFLICT DO NOTHING"
    if returning:
        sql += " RETURNING " + ", ".join(f'"{n}"' for n in returning)
    stmt = text(sql).bindparams(*[bindparam(f"const_{n}", v, type_=table.c[n].type) for n, v in consts.items()])
    if not returning:
        session.execute(stmt, params)
        return []
    return list(session.execute(stmt.columns(*[table.c[n] for n in returning]), params))


def _converted(row: Sequence[Any], convert: list[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    out = list(row)
    for i, f in convert:
        out[i] = f(out[i])
    return out
