"""Backups: SQLite's online backup API (consistent while others write), ``pg_dump``/``pg_restore``
for PostgreSQL. A restored database is checked with ``verify`` by the command that restores it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from workflow.domain.errors import GongkaiError, InvalidInput


def _pg_tool(name: str) -> str:
    for candidate in (os.environ.get("GONGKAI_PG_BIN", ""), "/usr/lib/postgresql/15/bin"):
        path = Path(candidate) / name
        if candidate and path.exists():
            return str(path)
    found = shutil.which(name)
    if not found:
        raise GongkaiError(f"{name} is not installed; it is needed to back up or restore PostgreSQL")
    return found


def _libpq(engine: Engine) -> str:
    return make_url(engine.url).set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_path(engine: Engine) -> str:
    return str(engine.url.database)


def backup(engine: Engine, target: Path) -> Path:
    if target.exists():
        raise InvalidInput("FILE", f"{target} exists; choose a new file name (backups are never overwritten)")
    target.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        src = sqlite3.connect(_sqlite_path(engine))
        fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)  # personal data: owner only
        os.close(fd)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return target
    result = subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}",
                             _libpq(engine)], capture_output=True, text=True)
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise GongkaiError(f"pg_dump failed: {result.stderr.strip().splitlines()[-1] if result.stderr else result.returncode}")
    os.chmod(target, 0o600)
    return target


def restore(engine: Engine, source: Path) -> None:
    if not source.is_file():
        raise InvalidInput("FILE", f"no backup file {source}")
    if engine.dialect.name == "sqlite":
        try:
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            src.execute("SELECT count(*) FROM request").fetchone()
        except sqlite3.DatabaseError as e:
            raise InvalidInput("FILE", f"{source} is not a gongkai SQLite backup ({e})") from None
        engine.dispose()
        dst = sqlite3.connect(_sqlite_path(engine))
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return
    result = subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                             f"--dbname={_libpq(engine)}", str(source)], capture_output=True, text=True)
    if result.returncode != 0:
        raise GongkaiError(f"pg_restore failed: {result.stderr.strip().splitlines()[-1] if result.stderr else result.returncode}")
