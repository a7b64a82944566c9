"""The races of ``test_races`` again, ten times each, as officers really meet: separate ``gongkai``
processes started at the same moment on one database (a server connection each on PostgreSQL).

- an import numbering its rows while officers register: every command succeeds, the numbers run
  1, 2, 3 … with no gap and none twice;
- ``close-year 2025`` while ``advance … decide --on 2025-12-10``: the decision is recorded before the
  freeze (and counted in the frozen report) or refused after it as "2025 is closed", never lost from
  a report frozen meanwhile;
- read commands (list, show, due, report, find) starting together after the calendar changed, with
  officers advancing other requests: every one succeeds, and the deadlines are recomputed once;
- six commands starting together on a new database (three times: a database each): it is created
  once, every command succeeds.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from tests.conftest import complete_the_report
from tests.integration.test_races import sheet  # the same import sheet of n rows
from tests.processes import Done, run, together
from workflow.app import FINGERPRINT, Gongkai
from workflow.domain.commands import Register
from workflow.store import db, models
from workflow.usecases import closing
from workflow.usecases import requests as services

pytestmark = pytest.mark.slow  # many processes at once
TRIALS = int(os.environ.get("GONGKAI_RACE_TRIALS", "10"))
REGISTER = ("register", "--received-on", "2026-03-03", "--channel", "online", "--applicant-type",
            "natural_person", "--subject", "某信息", "--json")


def refused_only_clearly(results: list[Done]) -> None:
    assert all(r.clear for r in results), "\n".join(str(r) for r in results if not r.clear)


def numbers(app: Gongkai, year: int) -> list[int]:
    with db.unit_of_work(app.engine, write=False) as s:
        return sorted(s.execute(select(col(models.Request.seq)).where(models.Request.year == year)).scalars())


def test_an_import_numbers_its_rows_while_officers_register_ten_times(make_app: Callable[..., Gongkai],
                                                                       db_target: str, tmp_path: Path) -> None:
    app = make_app()
    file = sheet(tmp_path / "台账.csv", 60)
    registered: set[str] = set()
    for trial in range(1, TRIALS + 1):
        results = together(db_target, ("import", "requests", str(file)),
                           *[(*REGISTER, "--applicant", f"登记{trial}-{i}") for i in range(4)])
        assert [r.code for r in results] == [0] * 5, "\n".join(map(str, results))
        registered |= {json.loads(r.out)["ref"] for r in results[1:]}
        assert numbers(app, 2026) == list(range(1, trial * 64 + 1))  # none lost, none twice, no gap
    with db.unit_of_work(app.engine, write=False) as s:
        refs = set(s.execute(select(col(models.Request.ref)).where(col(models.Request.applicant_name)
                                                                   .startswith("登记"))).scalars())
    assert refs == registered and len(registered) == 4 * TRIALS


def test_close_year_and_a_decision_dated_in_that_year_never_freeze_a_stale_report_ten_times(
        make_app: Callable[..., Gongkai], db_target: str) -> None:
    app = make_app(today=date(2026, 1, 20))
    refs = [services.register(app, Register(date(2025, 12, 1), "post", f"赵敏{i}", "natural_person", "某文件"))
            for i in range(TRIALS)]
    complete_the_report(app, 2025)  # the office's texts and table 二: close-year needs them
    recorded = 0
    for ref in refs:
        decided, closed = together(db_target, ("advance", ref, "decide", "--on", "2025-12-10", "--outcome", "disclosed"),
                                   ("close-year", "2025"))
        refused_only_clearly([decided, closed])
        assert closed.code == 0, closed
        assert decided.code == 0 or "2025" in decided.err, decided  # recorded before the freeze, or refused after it
        recorded += decided.code == 0
        again = closing.close_year(make_app(), 2025)
        assert again.already and again.findings == [], again.findings  # the frozen report is what the requests give
        closing.reopen_year(make_app(), 2025, "下一轮")
    with db.unit_of_work(app.engine, write=False) as s:
        decided_rows = s.execute(select(models.Request).where(models.Request.outcome == "disclosed")).scalars().all()
    assert len(decided_rows) == recorded
    print(f"close-year against a decision: {recorded} of {TRIALS} recorded before the freeze")  # shown with -s


def versions(app: Gongkai) -> dict[str, int]:
    with db.unit_of_work(app.engine, write=False) as s:
        return {r.ref: r.version for r in s.execute(select(models.Request)).scalars()}


def test_read_commands_starting_together_after_the_calendar_changed_all_succeed_ten_times(
        make_app: Callable[..., Gongkai], db_target: str) -> None:
    app = make_app()
    refs = [services.register(app, Register(date(2026, 3, 2), "online", f"申请人{i}", "natural_person", "某信息"))
            for i in range(2 + 2 * TRIALS)]
    reads = [("list", "--all"), ("show", refs[0]), ("due",), ("report", "2026"), ("find", "申请人"), ("list", "--json")]
    for trial in range(TRIALS):
        with db.unit_of_work(app.engine) as s:  # as after a new holiday file: the cached deadlines are stale
            s.execute(text("UPDATE meta SET value = 'a calendar of before' WHERE key = :k"), {"k": FINGERPRINT})
        before = versions(app)
        writing = refs[2 + 2 * trial: 4 + 2 * trial]
        results = together(db_target, *reads, *[("advance", ref, "consult", "--on", "2026-03-05") for ref in writing])
        assert [r.code for r in results] == [0] * len(results), "\n".join(map(str, results))
        after = versions(app)
        # Recomputed once: every request moved one version (the advanced ones one more), none twice.
        assert {ref: after[ref] - before[ref] for ref in refs} == {ref: 2 if ref in writing else 1 for ref in refs}
        with db.unit_of_work(app.engine, write=False) as s:
            assert s.get(models.Meta, FINGERPRINT).value == app.settings.calendar_fingerprint  # type: ignore[union-attr]


def test_commands_starting_together_on_a_new_database_all_succeed(tmp_path: Path, pg_server: Any) -> None:
    for trial in range(max(1, TRIALS // 3)):  # a database created per trial: fewer, six processes each
        if pg_server:  # an empty database: the first command creates the tables
            target = pg_server.create_database(f"first_start_{trial}")
            commands = [("list",), ("due",), ("info",), (*REGISTER, "--applicant", "甲"), (*REGISTER, "--applicant", "乙"),
                        ("db", "upgrade")]
        else:  # a SQLite file is made by `db upgrade` (other commands refuse a file that does not exist)
            target = str(tmp_path / f"new{trial}.sqlite")
            commands = [("db", "upgrade")] * 6
        results = together(target, *commands)
        assert [r.code for r in results] == [0] * len(results), "\n".join(map(str, results))
        if not pg_server:  # one created it, the others found it created
            assert sorted("（新数据库）" in r.out for r in results) == [False] * 5 + [True], results
        first = run(target, "list", "--all", "--json")
        assert first.code == 0 and len(json.loads(first.out)) == (2 if pg_server else 0), first
