"""Races between officers on one database, each run a few times: an import numbering rows while
others register, ``close-year`` while an action dated in that year is recorded, read commands
starting together after the calendar changed, and commands starting together on a new database;
then what those fixes rest on: appeals and table 二 wait for close-year as actions do, the calendar
refresh covers every agency and starts again after an action committed meanwhile, a number taken
meanwhile refuses an import in words, and read commands write nothing.

Each officer is a thread with its own engine, so on PostgreSQL each holds its own server connection
and the database's locks decide who waits (SQLite's ``BEGIN IMMEDIATE`` serialises writers anyway)."""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from tests.conftest import complete_the_report
from tests.database import dump
from workflow.app import FINGERPRINT, Gongkai
from workflow.domain.commands import Advance, Register
from workflow.domain.errors import DatabaseError, FrozenYear
from workflow.io import imports
from workflow.io.imports import import_requests
from workflow.settings import Settings
from workflow.store import db, models
from workflow.store.repository import SqlRequests
from workflow.usecases import appeals, closing, views
from workflow.usecases import requests as services

TRIALS = 3
CELL = next(iter(closing.CELLS))  # a figure of table 二
TIMEOUT = 120


def together(*jobs: Callable[[], Any]) -> list[Any]:
    """Run the jobs at the same moment, each on its own thread; their results, or their exceptions."""
    start = threading.Barrier(len(jobs))

    def run(job: Callable[[], Any]) -> Any:
        start.wait(timeout=TIMEOUT)
        try:
            return job()
        except Exception as e:  # noqa: BLE001 - the test looks at what each one got
            return e

    with ThreadPoolExecutor(len(jobs)) as pool:
        return [f.result(timeout=TIMEOUT) for f in [pool.submit(run, job) for job in jobs]]


def opened(target: str, today: date) -> Gongkai:
    return Gongkai.open(target, officer="李明", today=today, settings=Settings.load())


def numbers(target: str, year: int) -> list[int]:
    with db.unit_of_work(opened(target, date(2026, 11, 25)).engine, write=False) as s:
        return sorted(s.execute(select(col(models.Request.seq)).where(models.Request.year == year)).scalars())


def sheet(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["received_on", "channel", "applicant_type", "applicant_name", "subject"])
        out.writerows([["2026-03-02", "online", "natural_person", f"导入{i}", "某信息"] for i in range(rows)])
    return path


def test_an_import_numbers_its_rows_while_officers_register(db_target: str, tmp_path: Path) -> None:
    today = date(2026, 11, 25)
    opened(target := db_target, today)
    file = sheet(tmp_path / "台账.csv", 40)

    def register() -> list[str]:
        app = opened(target, today)
        return [services.register(app, Register(date(2026, 3, 3), "online", f"登记{i}", "natural_person", "某信息"))
                for i in range(8)]

    for trial in range(1, TRIALS + 1):
        results = together(lambda: import_requests(opened(target, today), file), register, register)
        assert not [r for r in results if isinstance(r, Exception)], results
        assert numbers(target, 2026) == list(range(1, trial * 56 + 1))  # none lost, none twice, no gap


def test_close_year_and_an_action_dated_in_that_year_never_freeze_a_stale_report(db_target: str) -> None:
    today = date(2026, 1, 20)
    app = opened(db_target, today)
    refs = [services.register(app, Register(date(2025, 12, 1), "post", f"赵敏{i}", "natural_person", "某文件"))
            for i in range(TRIALS)]
    complete_the_report(app, 2025)  # the office's texts and table 二: close-year needs them
    for ref in refs:
        decide = Advance(ref, "decide", date(2025, 12, 10), {"outcome": "disclosed"})
        decided, closed = together(lambda d=decide: services.advance(opened(db_target, today), d),  # type: ignore[misc]
                                   lambda: closing.close_year(opened(db_target, today), 2025))
        assert isinstance(closed, closing.Closing) and closed.closed, closed
        assert isinstance(decided, dict | FrozenYear), decided  # recorded before the freeze, or refused after it
        again = closing.close_year(opened(db_target, today), 2025)
        assert again.already and again.findings == []  # the frozen report is what the requests give
        closing.reopen_year(opened(db_target, today), 2025, "下一轮")


def test_read_commands_starting_together_after_the_calendar_changed_all_succeed(db_target: str) -> None:
    today = date(2026, 11, 25)
    app = opened(db_target, today)
    for i in range(6):
        services.register(app, Register(date(2026, 3, 2), "online", f"申请人{i}", "natural_person", "某信息"))
    for _ in range(TRIALS):
        with db.unit_of_work(app.engine) as s:
            s.execute(text("UPDATE meta SET value = 'a calendar of before' WHERE key = :k"), {"k": FINGERPRINT})
        results = together(*[lambda: views.list_requests(opened(db_target, today)) for _ in range(4)])
        assert not [r for r in results if isinstance(r, Exception)], results
        with db.unit_of_work(app.engine, write=False) as s:
            assert s.get(models.Meta, FINGERPRINT).value == app.settings.calendar_fingerprint  # type: ignore[union-attr]


def test_commands_starting_together_on_a_new_database_all_succeed(tmp_path: Path, pg_server: Any) -> None:
    for trial in range(TRIALS):
        target = pg_server.create_database(f"fresh_{trial}") if pg_server else str(tmp_path / f"new{trial}.sqlite")
        results = together(*[lambda t=target: views.list_requests(opened(t, date(2026, 11, 25))) for _ in range(4)])
        assert not [r for r in results if isinstance(r, Exception)], results


def stale_calendar(app: Gongkai) -> None:
    """What a new holiday file does to every request's cached deadlines, seen from the database."""
    with db.unit_of_work(app.engine) as s:
        s.execute(text("UPDATE meta SET value = 'a calendar of before' WHERE key = :k"), {"k": FINGERPRINT})


def versions(app: Gongkai) -> dict[tuple[str, str], int]:
    with db.unit_of_work(app.engine, write=False) as s:
        return {(r.agency, r.ref): r.version for r in s.execute(select(models.Request)).scalars()}


def test_an_officer_of_one_agency_opening_after_the_calendar_changed_refreshes_every_agency(cli: Any) -> None:
    cli("agency", "add", "minzheng", "某区民政局")
    cli("agency", "add", "ziranziyuan", "某区自然资源局")
    cli("officer", "add", "省平台", "--agency", "minzheng", "--role", "platform")
    cli("--officer", "省平台", "officer", "add", "王芳", "--agency", "ziranziyuan")
    for agency in ("minzheng", "ziranziyuan"):
        cli("--officer", "省平台", "--agency", agency, "register", "--received-on", "2026-03-02", "--channel", "online",
            "--applicant", "张三", "--applicant-type", "natural_person", "--subject", "某信息")
    app = Gongkai.open(cli.db, officer="省平台", today=date(2026, 11, 25), settings=Settings.load())
    stale_calendar(app)
    before = versions(app)
    assert [r["agency"] for r in cli.json("--officer", "王芳", "list")] == ["ziranziyuan"]  # type: ignore[union-attr]
    assert versions(app) == {key: v + 1 for key, v in before.items()}  # the other agency's request too, once


def test_a_refresh_that_meets_an_action_committed_meanwhile_starts_again(db_target: str, monkeypatch: Any) -> None:
    """An officer whose command started before the new calendar advances a request while a command
    started after it recomputes every request: the recomputation finds that request moved on and
    starts again, instead of failing the command that opened (PostgreSQL; SQLite's writers queue)."""
    if "://" not in db_target:
        return
    today = date(2026, 11, 25)
    app = opened(db_target, today)
    ref = services.register(app, Register(date(2026, 3, 2), "online", "申请人", "natural_person", "某信息"))
    stale_calendar(app)
    stale = SqlRequests.stale
    met: list[int] = []

    def meanwhile(self: SqlRequests) -> Any:
        yield from stale(self)
        if not met:  # the first time only: the officer of before commits between the read and the write
            met.append(1)
            services.advance(app, Advance(ref, "consult", date(2026, 3, 5), {}))

    monkeypatch.setattr(SqlRequests, "stale", meanwhile)
    before = versions(app)
    views.list_requests(opened(db_target, today))  # opening refreshes: met the advance, then again
    assert met and {key: v - before[key] for key, v in versions(app).items()} == {key: 2 for key in before}


def test_close_year_and_an_appeal_or_table_2_dated_in_that_year_never_freeze_a_stale_report(db_target: str) -> None:
    """Table 四 counts appeals by the year they were filed, table 二 is the year's own figures: both
    wait for close-year, or it for them, as an action does."""
    today = date(2026, 1, 20)
    app = opened(db_target, today)
    ref = services.register(app, Register(date(2025, 11, 3), "post", "钱多", "natural_person", "某文件"))
    services.advance(app, Advance(ref, "decide", date(2025, 11, 10), {"outcome": "disclosed"}))
    complete_the_report(app, 2025)
    for trial in range(TRIALS):
        filed, entered, closed = together(
            lambda t=trial: appeals.file(opened(db_target, today), ref, "review", date(2025, 12, 1 + t)),  # type: ignore[misc]
            lambda t=trial: closing.enter_table2(opened(db_target, today), 2025, {CELL: t + 1}),  # type: ignore[misc]
            lambda: closing.close_year(opened(db_target, today), 2025))
        assert isinstance(closed, closing.Closing) and closed.closed, closed
        assert isinstance(filed, int | FrozenYear) and isinstance(entered, dict | FrozenYear), (filed, entered)
        again = closing.close_year(opened(db_target, today), 2025)
        assert again.already and again.findings == []  # the frozen report is what the data give
        closing.reopen_year(opened(db_target, today), 2025, "下一轮")


def test_an_import_that_meets_a_reference_taken_meanwhile_says_so_in_words(db_target: str, tmp_path: Path,
                                                                           monkeypatch: Any) -> None:
    """Should a reference still be taken between the import's check and its write, the import is
    refused whole with a sentence, not the database's unique-constraint message."""
    today = date(2026, 11, 25)
    app = opened(db_target, today)
    ref = services.register(app, Register(date(2026, 3, 2), "online", "先到", "natural_person", "某信息"))
    file = tmp_path / "台账.csv"
    file.write_text(f"ref,received_on,channel,applicant_type,applicant_name,subject\n"
                    f"{ref},2026-03-02,online,natural_person,后到,某信息\n", encoding="utf-8")
    monkeypatch.setattr(imports, "_existing", lambda *args: set())  # the check saw it free
    with pytest.raises(DatabaseError) as refused:
        import_requests(opened(db_target, today), file)
    assert str(refused.value) == "导入未写入任何内容：申请编号已被他人同时登记或导入占用；请核对后重新导入"
    assert numbers(db_target, 2026) == [1]


def test_read_commands_write_nothing(cli: Any) -> None:
    """Once the deadlines are current, show, list, due, report, find and audit change no row."""
    ref = cli.json("register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "张三",
                   "--applicant-type", "natural_person", "--subject", "某信息")["ref"]
    before = dump(cli.db)
    for read in (("show", ref), ("list", "--all"), ("due",), ("report", "2026"), ("find", "张三"), ("audit",)):
        cli(*read)
    assert dump(cli.db) == before
