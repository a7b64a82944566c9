"""A backup is whole or absent, and a restore replaces the live database only with a good one.

Each refusal is one line on stderr, and the live database afterwards is exactly what it was (and
still verifies)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine

from tests.conftest import BACKEND
from tests.database import Cli

REQUEST = ["register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "张三",
           "--applicant-type", "natural_person", "--subject", "某信息"]
sqlite_only = pytest.mark.skipif(BACKEND != "sqlite", reason="about the SQLite file itself")


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


def two_requests(cli: Cli) -> None:
    cli(*REQUEST)
    cli(*REQUEST)
    cli("advance", "2026-0002", "decide", "--on", "2026-03-10", "--outcome", "disclosed")


def refused(cli: Cli, *args: str, verifier: tuple[str, ...] = ()) -> str:
    """Runs a command that must fail with one line, and leave the database as it was."""
    before = cli.dump()
    result = cli(*args, ok=False)
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("gongkai: "), result.stderr  # type: ignore[attr-defined]
    assert cli.dump() == before
    assert "发现 0 项问题" in cli(*verifier, "verify").stdout  # type: ignore[attr-defined]
    return str(result.stderr)  # type: ignore[attr-defined]


def test_restoring_a_file_that_is_not_a_gongkai_database_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    two_requests(cli)
    (tmp_path / "notes.txt").write_text("会议纪要\n" * 100, encoding="utf-8")
    error = refused(cli, "restore", str(tmp_path / "notes.txt"), "--yes")
    assert "FILE" in error and "不是 gongkai 的" in error and "当前数据库未作改动" in error
    assert not list(tmp_path.glob("*before-restore*"))


@sqlite_only
def test_restoring_another_sqlite_database_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    two_requests(cli)
    other = sqlite3.connect(tmp_path / "other.sqlite")
    other.execute("CREATE TABLE request (id INTEGER)")
    other.commit()
    other.close()
    assert "没有 gongkai 的数据表" in refused(cli, "restore", str(tmp_path / "other.sqlite"), "--yes")


@sqlite_only
def test_a_backup_at_an_unknown_schema_revision_is_refused(cli: Cli, tmp_path: Path) -> None:
    two_requests(cli)
    cli("backup", str(tmp_path / "b.sqlite"))
    con = sqlite3.connect(tmp_path / "b.sqlite")
    con.execute("UPDATE alembic_version SET version_num = '0099'")
    con.commit()
    con.close()
    assert "结构版本 '0099' 本版 gongkai 不认识" in refused(cli, "restore", str(tmp_path / "b.sqlite"), "--yes")


@sqlite_only
def test_a_backup_that_does_not_verify_is_refused_before_the_live_database_is_touched(cli: Cli, tmp_path: Path) -> None:
    two_requests(cli)
    cli("backup", str(tmp_path / "b.sqlite"))
    con = sqlite3.connect(tmp_path / "b.sqlite")
    con.execute("UPDATE event SET payload = '{\"outcome\": \"refused\"}' WHERE action = 'decide'")
    con.commit()
    con.close()
    error = refused(cli, "restore", str(tmp_path / "b.sqlite"), "--yes")
    assert "未通过校验" in error and "2026-0002" in error
    assert not list(tmp_path.glob("*before-restore*"))


def test_an_unregistered_officer_restores_nothing_and_the_file_is_not_read(cli: Cli, tmp_path: Path) -> None:
    two_requests(cli)
    cli("backup", str(tmp_path / "b.dump"))
    cli("agency", "add", "minzheng", "某区民政局")
    cli("officer", "add", "省平台", "--agency", "minzheng", "--role", "platform")
    cli("--officer", "省平台", "officer", "add", "王科员", "--agency", "minzheng", "--role", "officer")
    assert "未在本平台登记" in refused(cli, "--officer", "陌生人", "restore", str(tmp_path / "b.dump"), "--yes",
                                         verifier=("--officer", "省平台"))
    assert "只有平台管理员（platform）可以" in refused(cli, "--officer", "王科员", "restore", str(tmp_path / "b.dump"), "--yes",
                                                verifier=("--officer", "省平台"))
    assert "恢复" in cli("--officer", "省平台", "restore", str(tmp_path / "b.dump"), "--yes").stdout  # type: ignore[attr-defined]


def test_restore_keeps_the_live_database_as_a_dated_safety_copy(cli: Cli, tmp_path: Path) -> None:
    two_requests(cli)
    cli("backup", str(tmp_path / "b.dump"))
    cli(*REQUEST)
    with_three = cli.json("list", "--all")
    restored = cli("restore", str(tmp_path / "b.dump"), "--yes")
    assert "2 件申请，0 项问题" in restored.stdout  # type: ignore[attr-defined]
    assert len(cli.json("list", "--all")) == 2  # type: ignore[arg-type]
    kept = restored.stdout.split("恢复前的数据库保存在 ")[1].strip()  # type: ignore[attr-defined]
    safety = Path(kept)
    assert "before-restore-20261125T" in safety.name and oct(safety.stat().st_mode & 0o777) == "0o600"
    with time_machine.travel("2026-11-25 10:05 +0800", tick=False):
        cli("restore", str(safety), "--yes")
    assert cli.json("list", "--all") == with_three


def test_backups_are_never_written_through_a_link_nor_over_a_file_without_force(cli: Cli, tmp_path: Path) -> None:
    two_requests(cli)
    unrelated = tmp_path / "unrelated.txt"
    unrelated.write_text("keep me", encoding="utf-8")
    (tmp_path / "link.bak").symlink_to(unrelated)
    assert "是符号链接" in refused(cli, "backup", str(tmp_path / "link.bak"))
    assert "是符号链接" in refused(cli, "backup", str(tmp_path / "link.bak"), "--force")
    assert "--force" in refused(cli, "backup", str(unrelated))
    assert unrelated.read_text(encoding="utf-8") == "keep me"
    cli("backup", str(unrelated), "--force")
    assert oct(unrelated.stat().st_mode & 0o777) == "0o600" and unrelated.read_bytes() != b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from workflow.store import backup, db
backup.PAGES_PER_STEP = 1
backup.PROGRESS = lambda status, remaining, total: remaining < total // 2 and os.kill(os.getpid(), signal.SIGKILL)
backup.backup(db.make_engine(sys.argv[1]), Path(sys.argv[2]))
"""


@sqlite_only
def test_a_backup_killed_midway_leaves_no_file_at_its_name(cli: Cli, tmp_path: Path) -> None:
    for _ in range(40):  # enough pages that the kill falls midway
        cli(*REQUEST)
    before = cli.dump()
    target = tmp_path / "out" / "b.sqlite"
    target.parent.mkdir()
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITER, cli.db, str(target)], timeout=60)
    assert killed.returncode == -9
    assert not target.exists()
    left = list(target.parent.iterdir())  # the private temporary file (and its journal), never the final name
    assert left and all(p.name.startswith(".b.sqlite.") for p in left)
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in left)
    assert cli.dump() == before and "发现 0 项问题" in cli("verify").stdout  # type: ignore[attr-defined]
    cli("backup", str(target))
    assert "40 件申请" in cli("restore", str(target), "--yes").stdout  # type: ignore[attr-defined]


@sqlite_only
def test_a_database_file_found_world_readable_is_made_private_with_its_wal(cli: Cli, db_path: Path) -> None:
    cli(*REQUEST)
    for name in (db_path, Path(f"{db_path}-wal")):
        if name.exists():
            os.chmod(name, 0o644)
    note = cli("list").stderr  # type: ignore[attr-defined]
    assert f"{db_path} 的权限为 0644（他人可读），已改为仅所有者可读写（0600）" in note
    assert "权限" not in cli("list").stderr  # type: ignore[attr-defined]
    for name in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        if name.exists():
            assert oct(name.stat().st_mode & 0o777) == "0o600", name


def test_a_backup_of_a_tampered_history_never_replaces_the_live_database(cli: Cli, tmp_path: Path) -> None:
    """On both databases: on SQLite it is refused before the swap; on PostgreSQL, where an archive
    can only be verified once restored, the restore is rolled back to the safety copy."""
    from sqlalchemy import create_engine, text

    from workflow.store.db import resolve_url

    two_requests(cli)
    engine = create_engine(resolve_url(cli.db))
    edit = "UPDATE event SET payload = :p WHERE action = 'decide'"
    with engine.begin() as c:
        original = c.execute(text("SELECT payload FROM event WHERE action = 'decide'")).scalar_one()
        c.execute(text(edit), {"p": '{"outcome": "refused"}'})
    cli("backup", str(tmp_path / "tampered.bak"))
    with engine.begin() as c:
        c.execute(text(edit), {"p": original})
    engine.dispose()
    error = refused(cli, "restore", str(tmp_path / "tampered.bak"), "--yes")
    assert "未通过校验" in error and "当前数据库未作改动" in error
    assert not list(tmp_path.glob("*before-restore*"))  # refused before the safety copy: checked apart first
    if BACKEND == "postgresql":  # in a database of its own, dropped afterwards, with any a killed restore left
        engine = create_engine(resolve_url(cli.db), isolation_level="AUTOCOMMIT")
        with engine.connect() as c:
            c.exec_driver_sql(f'CREATE DATABASE "{str(engine.url.database)[:40]}_restore_check_0badf00d"')
        refused(cli, "restore", str(tmp_path / "tampered.bak"), "--yes")
        with engine.connect() as c:
            assert c.execute(text("SELECT count(*) FROM pg_database WHERE datname LIKE '%restore_check%'")).scalar() == 0
        engine.dispose()


@pytest.mark.skipif(BACKEND != "postgresql", reason="pg_restore")
def test_an_account_that_may_not_create_a_database_still_never_keeps_a_tampered_restore(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without CREATEDB the archive cannot be checked apart: it is restored, found not to verify, and
    the live database is restored from the safety copy."""
    from contextlib import contextmanager

    from sqlalchemy import create_engine, text

    from workflow.store import backup
    from workflow.store.db import resolve_url

    @contextmanager
    def no_createdb(engine: object):  # type: ignore[no-untyped-def]
        yield None

    monkeypatch.setattr(backup, "scratch_database", no_createdb)
    two_requests(cli)
    engine = create_engine(resolve_url(cli.db))
    edit = "UPDATE event SET payload = :p WHERE action = 'decide'"
    with engine.begin() as c:
        original = c.execute(text("SELECT payload FROM event WHERE action = 'decide'")).scalar_one()
        c.execute(text(edit), {"p": '{"outcome": "refused"}'})
    cli("backup", str(tmp_path / "tampered.bak"))
    with engine.begin() as c:
        c.execute(text(edit), {"p": original})
    engine.dispose()
    error = refused(cli, "restore", str(tmp_path / "tampered.bak"), "--yes")
    assert "未通过校验" in error and list(tmp_path.glob("*before-restore*.dump"))


KILLED_PG_DUMP = """
import os, signal, subprocess, sys, time
from pathlib import Path
from workflow.store import backup, db

def run_then_die(args, **kw):  # pg_dump has started writing when gongkai is killed
    subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    os.kill(os.getpid(), signal.SIGKILL)

backup.subprocess.run = run_then_die
backup.backup(db.make_engine(sys.argv[1]), Path(sys.argv[2]))
"""


@pytest.mark.skipif(BACKEND != "postgresql", reason="pg_dump")
def test_a_pg_dump_killed_midway_leaves_no_file_at_its_name_and_none_readable_by_others(
        cli: Cli, tmp_path: Path) -> None:
    two_requests(cli)
    target = tmp_path / "out" / "b.dump"
    target.parent.mkdir()
    killed = subprocess.run([sys.executable, "-c", KILLED_PG_DUMP, cli.db, str(target)], timeout=60)
    assert killed.returncode == -9
    assert not target.exists()
    left = list(target.parent.iterdir())
    assert [p.name.startswith(".b.dump.") for p in left] == [True]
    assert oct(left[0].stat().st_mode & 0o777) == "0o600"
    assert "发现 0 项问题" in cli("verify").stdout  # type: ignore[attr-defined]


KILLED_RESTORE = """
import os, signal, sys
from datetime import datetime
from pathlib import Path
from workflow.app import Gongkai
from workflow.store import backup
from workflow.usecases import restoring
backup.PAGES_PER_STEP = 1
backup.RESTORE_PROGRESS = lambda status, remaining, total: remaining < total // 2 and os.kill(os.getpid(), signal.SIGKILL)
restoring.restore(Gongkai.open(sys.argv[1]), Path(sys.argv[2]), datetime.now())
"""


@sqlite_only
def test_a_restore_killed_while_it_swaps_leaves_the_live_database_as_it_was(cli: Cli, tmp_path: Path) -> None:
    for _ in range(5):
        cli(*REQUEST)
    cli("backup", str(tmp_path / "five.bak"))
    for _ in range(40):
        cli(*REQUEST)
    before = cli.dump()
    killed = subprocess.run([sys.executable, "-c", KILLED_RESTORE, cli.db, str(tmp_path / "five.bak")], timeout=60)
    assert killed.returncode == -9
    assert cli.dump() == before and "已核验 45 件申请，发现 0 项问题" in cli("verify").stdout  # type: ignore[attr-defined]
    assert list(tmp_path.glob("*before-restore-*.bak"))  # the safety copy was written before the swap began
