"""Backups: SQLite's online backup API (consistent while others write), ``pg_dump``/``pg_restore``
for PostgreSQL.

A backup is written to a private temporary name and renamed only when complete (``store.files``),
so a killed ``backup`` leaves nothing at the name asked for. What a file must be before it may
replace the live database is checked here (``candidate_revision``: a gongkai database at a schema
revision this gongkai knows); ``workflow.usecases.restoring`` decides the order of the steps.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from workflow.domain.errors import GongkaiError, InvalidInput
from workflow.store import files, schema

# Called after each step of SQLite's online backup (remaining, total pages): the fault tests kill the
# process here, midway through a backup.
PROGRESS: Callable[[int, int, int], object] | None = None
RESTORE_PROGRESS: Callable[[int, int, int], object] | None = None  # the same, while a restore writes
PAGES_PER_STEP = 256


def _pg_tool(name: str) -> str:
    for candidate in (os.environ.get("GONGKAI_PG_BIN", ""), "/usr/lib/postgresql/15/bin"):
        path = Path(candidate) / name
        if candidate and path.exists():
            return str(path)
    found = shutil.which(name)
    if not found:
        raise GongkaiError(f"没有安装 {name}；备份或恢复 PostgreSQL 需要它")
    return found


def _libpq(engine: Engine) -> str:
    return make_url(engine.url).set(drivername="postgresql").render_as_string(hide_password=False)


def sqlite_path(engine: Engine) -> Path:
    return Path(str(engine.url.database))


def known_revisions() -> list[str]:
    """The schema revisions of the migrations, oldest first ("0001" … HEAD)."""
    return sorted(p.name.split("_", 1)[0] for p in (schema.MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def _last_line(stderr: str, code: int) -> str:
    return stderr.strip().splitlines()[-1] if stderr.strip() else f"exit status {code}"


def copy_sqlite(source: Path | str, target: Path, live: bool = True) -> None:
    """SQLite's online backup of ``source`` into the (empty, private) file ``target``. A file that is
    not ``live`` (a backup being restored) is opened read-only, as immutable: nothing is written
    beside it, not even a WAL index."""
    src = sqlite3.connect(source) if live else _immutable(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst, pages=PAGES_PER_STEP, progress=PROGRESS)
    finally:
        dst.close()
        src.close()


def backup(engine: Engine, target: Path, force: bool = False) -> Path:
    """Write a complete backup at ``target`` (0600), or nothing there at all."""
    with files.private_output(target, "FILE", force) as tmp:
        if engine.dialect.name == "sqlite":
            copy_sqlite(sqlite_path(engine), tmp)
        else:
            result = subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={tmp}",
                                     _libpq(engine)], capture_output=True, text=True)
            if result.returncode != 0:
                raise GongkaiError(f"pg_dump 失败：{_last_line(result.stderr, result.returncode)}")
    return target


def _immutable(path: Path | str) -> sqlite3.Connection:
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def candidate_revision(engine: Engine, source: Path) -> str:
    """The schema revision of a backup file, refusing anything that is not a gongkai backup of a
    revision this gongkai knows. Reads the file only."""
    if source.is_symlink() or not source.is_file():
        raise InvalidInput("FILE", f"没有备份文件 {source}（应为 gongkai backup 写出的文件），当前数据库未作改动")
    revision = _sqlite_revision(source) if engine.dialect.name == "sqlite" else _pg_revision(source)
    if revision not in known_revisions():
        raise InvalidInput("FILE", f"{source} 是 gongkai 数据库，但其结构版本 {revision!r} 本版 gongkai 不认识（认识 "
                                   f"{', '.join(known_revisions())}），请用更新的 gongkai 恢复；当前数据库未作改动")
    return revision


def _sqlite_revision(source: Path) -> str:
    not_ours = f"{source} 不是 gongkai 的 SQLite 备份，当前数据库未作改动"
    try:
        con = _immutable(source)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"request", "event", "alembic_version"} <= tables:
                raise InvalidInput("FILE", f"{not_ours}（其中没有 gongkai 的数据表）")
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        raise InvalidInput("FILE", f"{not_ours}（{e}）") from None
    if row is None:
        raise InvalidInput("FILE", f"{not_ours}（其中没有记录结构版本）")
    return str(row[0])


def _pg_revision(source: Path) -> str:
    """A pg_dump archive's schema revision: the one row of its alembic_version table."""
    not_ours = f"{source} 不是 gongkai 的 PostgreSQL 备份（应为 gongkai backup 写出的文件），当前数据库未作改动"
    listing = subprocess.run([_pg_tool("pg_restore"), "--list", str(source)], capture_output=True, text=True)
    if listing.returncode != 0 or " TABLE public request " not in listing.stdout:
        raise InvalidInput("FILE", not_ours)
    data = subprocess.run([_pg_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", str(source)],
                          capture_output=True, text=True)
    lines = data.stdout.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("COPY ") and "alembic_version" in line]
    if data.returncode != 0 or not starts or starts[0] + 1 >= len(lines):
        raise InvalidInput("FILE", f"{not_ours}（其中没有记录结构版本）")
    return lines[starts[0] + 1].strip()


def restore_sqlite(engine: Engine, checked: Path) -> None:
    """Replace the live database's content with a checked copy, in one SQLite transaction (the
    online backup API writes the whole database or, killed midway, leaves the old one)."""
    engine.dispose()
    src = _immutable(checked)
    dst = sqlite3.connect(sqlite_path(engine))
    try:
        src.backup(dst, pages=PAGES_PER_STEP if RESTORE_PROGRESS else -1, progress=RESTORE_PROGRESS)
    finally:
        dst.close()
        src.close()
    files.make_private(sqlite_path(engine))


@contextmanager
def scratch_database(engine: Engine) -> Iterator[Engine | None]:
    """A new, empty PostgreSQL database on the live one's server, for checking an archive before the
    live database is touched; dropped afterwards. None when the account may not create databases
    (no CREATEDB): the caller then falls back to restoring, verifying and rolling back."""
    import secrets

    prefix = f"{(engine.url.database or 'gongkai')[:40]}_restore_check_"  # within PostgreSQL's 63 bytes
    name = f"{prefix}{secrets.token_hex(4)}"
    admin = engine.execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            for (stale,) in c.execute(text(  # left by a restore killed while it checked (no one connected)
                    "SELECT datname FROM pg_database d WHERE starts_with(datname, :prefix) AND NOT EXISTS "
                    "(SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)"), {"prefix": prefix}):
                c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{stale}"')
            c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except DBAPIError:
        yield None
        return
    scratch = create_engine(engine.url.set(database=name), poolclass=NullPool)
    try:
        yield scratch
    finally:
        scratch.dispose()
        with suppress(DBAPIError), admin.connect() as c:
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore_pg(engine: Engine, source: Path) -> None:
    result = subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                             f"--dbname={_libpq(engine)}", str(source)], capture_output=True, text=True)
    if result.returncode != 0:
        raise GongkaiError(f"pg_restore 失败：{_last_line(result.stderr, result.returncode)}；"
                           "数据库未作改动")
