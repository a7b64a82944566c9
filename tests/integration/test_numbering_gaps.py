"""verify's numbering check: a gap is reported only where a number certainly existed, once per gap,
and in memory bounded by the number of requests (an imported 2026-999999999 is one request)."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import create_engine, text

from tests.database import Cli
from workflow.store.db import resolve_url

REGISTER = ["register", "--received-on", "2026-03-03", "--channel", "online", "--applicant", "张三",
            "--applicant-type", "natural_person", "--subject", "某信息"]


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


def imported(cli: Cli, tmp_path: Path, *refs: str) -> None:
    path = tmp_path / "旧台账.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["ref", "received_on", "channel", "applicant_type", "applicant_name", "subject"])
        out.writerows([[ref, "2026-03-02", "online", "natural_person", "李四", "某信息"] for ref in refs])
    cli("import", "requests", str(path))


def delete(cli: Cli, ref: str) -> None:
    engine = create_engine(resolve_url(cli.db))
    with engine.begin() as c:
        rid = c.execute(text("SELECT id FROM request WHERE ref = :r"), {"r": ref}).scalar_one()
        for table in ("deadline", "event"):
            c.execute(text(f"DELETE FROM {table} WHERE request_id = :i"), {"i": rid})
        c.execute(text("DELETE FROM request WHERE id = :i"), {"i": rid})
    engine.dispose()


def findings(cli: Cli) -> list[dict[str, str]]:
    result = cli("verify", "--json", ok=False)
    assert result.exit_code == 3  # type: ignore[attr-defined]
    return json.loads(result.stdout)["findings"]  # type: ignore[attr-defined,no-any-return]


def test_imported_references_leave_no_false_gaps(cli: Cli, tmp_path: Path) -> None:
    imported(cli, tmp_path, "2026-0042", "2026-0100")
    cli(*REGISTER)  # 2026-0101
    assert cli.json("verify") == {"checked": 3, "findings": []}


def test_a_huge_imported_reference_is_checked_at_once(cli: Cli, tmp_path: Path) -> None:
    imported(cli, tmp_path, "2026-999999999")
    cli(*REGISTER)
    started = time.monotonic()
    assert cli.json("verify") == {"checked": 2, "findings": []}
    assert time.monotonic() - started < 10


def test_a_registered_request_deleted_above_an_import_is_caught(cli: Cli, tmp_path: Path) -> None:
    imported(cli, tmp_path, "2026-0042")
    for _ in range(3):
        cli(*REGISTER)  # 2026-0043, -0044, -0045
    delete(cli, "2026-0044")
    found = findings(cli)
    assert [(f["ref"], f["check"]) for f in found] == [("2026-0044", "numbering")]


def test_deleted_requests_where_nothing_was_imported_are_one_finding_per_gap(cli: Cli) -> None:
    for _ in range(5):
        cli(*REGISTER)
    delete(cli, "2026-0002")
    delete(cli, "2026-0003")
    found = findings(cli)
    assert [(f["ref"], f["detail"]) for f in found] == [
        ("2026-0002", "requests 2026-0002 to 2026-0003 (2 numbers) of agency '本机关' are missing (deleted?)")]
