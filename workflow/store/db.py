"""Where the data lives, and the unit of work every command runs in.

``GONGKAI_DB`` (or ``--db``) takes a file path or a SQLAlchemy URL; without it the embedded SQLite
file sits in the user's data directory. SQLite connections get WAL, foreign keys and a busy timeout;
writing units of work start with ``BEGIN IMMEDIATE`` so two writers queue instead of deadlocking
on a lock upgrade.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from workflow.domain.errors import DatabaseError
from workflow.store import files
from workflow.store.evidence import ledger as _ledger  # noqa: F401 - records every fact a flush writes

BUSY_TIMEOUT_MS = 30_000
SAVED = [0]  # writing transactions this process committed: after a broken pipe the CLI says if one was


def note_saved() -> None:
    SAVED[0] += 1


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("gongkai")) / "gongkai.sqlite"


def resolve_url(target: str | None = None) -> str:
    target = target or os.environ.get("GONGKAI_DB") or str(default_path())
    if "://" in target:
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"


def _prepare_sqlite_file(url: str) -> None:
    """The file, its WAL and its SHM readable by their owner only, whether new or found with looser
    permissions: they hold citizens' identity numbers. (SQLite gives a new WAL or SHM the mode of
    the database file.)"""
    path = url.removeprefix("sqlite:///")
    if path in ("", ":memory:"):
        return
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    import sys

    for name in (path, f"{path}-wal", f"{path}-shm", f"{path}-journal"):
        if (was := files.make_private(name)) is not None:  # said once: the next opening finds it 0600
            print(f"gongkai: 提示：{name} 的权限为 {was:04o}（他人可读），已改为仅所有者可读写（0600）", file=sys.stderr)


def _wal(cur: Any) -> None:
    """Switch to WAL. On a new file, commands starting together race to switch it, and SQLite answers
    "database is locked" at once instead of waiting its busy timeout: wait here, as long as it would."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _sqlite_listeners(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _wal(cur)
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
    from workflow.store import schema

    try:
        at = schema.current(engine)
        if at is None:
            schema.create(engine)
        else:
            require_head(at)
    except SQLAlchemyError as e:
        raise DatabaseError(f"无法打开数据库 {engine.url.render_as_string()}：{first_line(e)}") from None


def require_head(at: str) -> None:
    """A newer gongkai never writes into an older schema: refuse until ``gongkai db upgrade`` has run."""
    from workflow.store import schema

    if at != schema.HEAD:
        raise DatabaseError(f"数据库的结构版本是 {at}，本版 gongkai 需要 {schema.HEAD}："
                            f"请先备份，再运行 gongkai db upgrade")


def first_line(e: BaseException) -> str:
    text = str(getattr(e, "orig", None) or e)
    return text.strip().splitlines()[0] if text.strip() else type(e).__name__


@contextmanager
def unit_of_work(engine: Engine, write: bool = True) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any error."""
    bind = engine.execution_options(sqlite_begin="IMMEDIATE") if write else engine
    try:
        with Session(bind, expire_on_commit=False) as session, session.begin():
            yield session
        if write:
            note_saved()
    except OperationalError as e:
        raise DatabaseError(f"数据库出错：{first_line(e)}") from None

