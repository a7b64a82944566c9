"""``gongkai restore``: a backup replaces the live database only once it is known to be good.

The order matters; each step refuses before anything is changed:

1. the actor may restore (a platform officer, or anyone while no officer is registered): an
   unregistered officer is refused before the file is even read;
2. the file is a gongkai database at a schema revision this gongkai knows (``store.backup``);
3. it verifies (``usecases.integrity``): on SQLite a private copy of it is upgraded to the head
   revision if older and verified before the live database is touched;
4. the live database is kept as a dated safety copy (``gongkai.sqlite.before-restore-20260316T093000.bak``
   beside it; on PostgreSQL ``NAME-before-restore-….dump`` beside the backup being restored);
5. only then is the content swapped, in one transaction.

On PostgreSQL an archive can only be verified once restored: it is restored into a new database
of its own first (``NAME_restore_check_…``, dropped afterwards) and verified there, so a bad one
is refused before the safety copy is made or the live database touched. That needs an account
that may create databases (CREATEDB); without it, the archive is restored into the live database,
verified there, and a restore that does not verify is rolled back to the safety copy.
"""

from __future__ import annotations

import os
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from workflow.app import Gongkai
from workflow.domain.errors import InvalidInput
from workflow.store import backup, db, files, schema
from workflow.usecases import integrity
from workflow.usecases.agencies import require_platform


@dataclass(frozen=True)
class Restored:
    checked: int  # requests verified in the restored database
    safety_copy: Path  # the live database as it was before


def restore(app: Gongkai, source: Path, now: datetime) -> Restored:
    require_platform(app.identity, "恢复备份（restore）")
    revision = backup.candidate_revision(app.engine, source)
    stamp = now.strftime("%Y%m%dT%H%M%S")
    if app.engine.dialect.name == "sqlite":
        live = backup.sqlite_path(app.engine)
        return _restore_sqlite(app, source, revision, live.with_name(f"{live.name}.before-restore-{stamp}.bak"))
    name = app.engine.url.database or "gongkai"
    return _restore_pg(app, source, revision, source.parent / f"{name}-before-restore-{stamp}.dump")


def _verify(app: Gongkai, engine: object, source: Path) -> int:
    """Every request of every agency in the database behind ``engine``, as a platform officer would."""
    as_platform = Gongkai(engine, app.settings, app.officer, app.today, None, "platform")  # type: ignore[arg-type]
    checked, findings = integrity.verify(as_platform, against_file=False)  # a backup predates later checkpoints
    if findings:
        first = findings[0]
        raise InvalidInput("FILE", f"{source} 未通过校验（{len(findings)} 项问题，第一项：{first.ref} "
                                   f"{first.check}: {first.detail}），当前数据库未作改动")
    return checked


def _restore_sqlite(app: Gongkai, source: Path, revision: str, safety: Path) -> Restored:
    checked_copy = files.temporary_beside(safety.with_name(f"{safety.name}.checking"))
    try:
        backup.copy_sqlite(source, checked_copy, live=False)
        engine = db.make_engine(str(checked_copy))
        try:
            if revision != schema.HEAD:
                schema.upgrade(engine)
            checked = _verify(app, engine, source)
        finally:
            engine.dispose()
        backup.backup(app.engine, safety)
        backup.restore_sqlite(app.engine, checked_copy)
    finally:
        for leftover in (checked_copy, Path(f"{checked_copy}-wal"), Path(f"{checked_copy}-shm")):
            with suppress(OSError):
                os.unlink(leftover)
    return Restored(checked, safety)


def _restore_pg(app: Gongkai, source: Path, revision: str, safety: Path) -> Restored:
    with backup.scratch_database(app.engine) as scratch:  # checked in a database of its own first
        if scratch is not None:
            backup.restore_pg(scratch, source)
            if revision != schema.HEAD:
                schema.upgrade(scratch)
            _verify(app, scratch, source)
    backup.backup(app.engine, safety)
    backup.restore_pg(app.engine, source)
    try:
        if revision != schema.HEAD:
            schema.upgrade(app.engine)
        checked = _verify(app, app.engine, source)
    except Exception:
        backup.restore_pg(app.engine, safety)
        raise
    return Restored(checked, safety)
