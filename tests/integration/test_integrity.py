"""Nothing lost, nothing forged: verify catches tampering, backups restore, reveals are recorded."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC
from pathlib import Path

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import BACKEND
from tests.database import Cli
from workflow.store import history

REQUEST = ["register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "张三",
           "--applicant-type", "natural_person", "--subject", "某信息", "--phone", "13812345678",
           "--id-number", "11010519491231002X", "--address", "北京市朝阳区某路1号"]


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


def history_of_three(cli: Cli) -> None:
    for _ in range(3):
        cli(*REQUEST)
    cli("advance", "2026-0001", "consult", "--on", "2026-03-03")
    cli("advance", "2026-0001", "consult-reply", "--on", "2026-03-10")
    cli("advance", "2026-0002", "decide", "--on", "2026-03-10", "--outcome", "disclosed")


def test_an_untouched_database_verifies(cli: Cli) -> None:
    history_of_three(cli)
    assert cli.json("verify") == {"checked": 3, "findings": []}


def sql(db: Path, statement: str) -> None:
    con = sqlite3.connect(db)
    con.execute(statement)
    con.commit()
    con.close()


@pytest.mark.parametrize(
    ("statement", "ref", "check"),
    [
        ("UPDATE event SET payload = '{\"outcome\":\"unavailable.not_held\"}' WHERE action = 'decide'", "2026-0002", "chain"),
        ("UPDATE event SET occurred_on = '2026-03-04' WHERE action = 'consult'", "2026-0001", "chain"),
        ("DELETE FROM event WHERE action = 'consult-reply'", "2026-0001", "chain"),
        ("INSERT INTO event (request_id, seq, action, occurred_on, recorded_at, officer, payload, prev_hash, hash) "
         "SELECT request_id, 3, 'withdraw', '2026-03-11', recorded_at, officer, '{}', hash, 'x' FROM event "
         "WHERE request_id = 3 AND seq = 1", "2026-0003", "chain"),
        ("UPDATE request SET state = 'concluded', outcome = 'disclosed' WHERE ref = '2026-0003'", "2026-0003", "replay"),
        ("DELETE FROM deadline WHERE request_id = 1", "2026-0001", "replay"),
        ("DELETE FROM event WHERE request_id = 2", "2026-0002", "chain"),
    ],
)
def test_verify_catches_a_database_edited_behind_its_back(db_path: Path, statement: str, ref: str, check: str) -> None:
    cli = Cli(str(db_path))
    history_of_three(cli)
    sql(db_path, statement)
    result = cli("verify", "--json", ok=False)
    assert result.exit_code == 3
    import json

    findings = json.loads(result.stdout)["findings"]
    assert (ref, check) in {(f["ref"], f["check"]) for f in findings}


def test_a_deleted_request_leaves_a_gap_that_verify_reports(db_path: Path) -> None:
    cli = Cli(str(db_path))
    history_of_three(cli)
    sql(db_path, "PRAGMA foreign_keys = OFF")
    con = sqlite3.connect(db_path)
    con.executescript("DELETE FROM deadline WHERE request_id = 2; DELETE FROM event WHERE request_id = 2; "
                      "DELETE FROM request WHERE id = 2;")
    con.close()
    result = cli("verify", ok=False)
    assert result.exit_code == 3 and "2026-0002\tnumbering" in result.stdout


def test_backup_and_restore_give_back_the_same_history(cli: Cli, tmp_path: Path) -> None:
    history_of_three(cli)
    before = cli.json("list")
    cli("backup", str(tmp_path / "b.dump"))
    assert oct((tmp_path / "b.dump").stat().st_mode & 0o777) == "0o600"
    cli("advance", "2026-0003", "withdraw", "--on", "2026-03-12")
    assert cli.json("list") != before
    restored = cli("restore", str(tmp_path / "b.dump"), "--yes")
    assert "3 件申请，0 项问题" in restored.stdout
    assert cli.json("list") == before
    again = cli("backup", str(tmp_path / "b.dump"), ok=False)
    assert "已存在" in again.stderr


def test_revealing_personal_data_is_recorded_with_the_officer(cli: Cli) -> None:
    cli(*REQUEST)
    masked = cli.json("show", "2026-0001")["applicant"]  # type: ignore[index]
    assert (masked["phone"], masked["address"]) == ("138****5678", "北京市朝阳区***")
    shown = cli.json("--officer", "王主任", "show", "2026-0001", "--reveal")
    assert shown["applicant"]["id_number"] == "11010519491231002X"  # type: ignore[index]
    assert shown["events"][-1]["action"] == "reveal" and shown["events"][-1]["officer"] == "王主任"  # type: ignore[index]
    assert shown["state"] == "received"  # type: ignore[index]
    assert cli.json("verify")["findings"] == []  # type: ignore[index]


def test_audit_lists_actions_by_officer_and_request(cli: Cli) -> None:
    cli("--officer", "甲", *REQUEST)
    cli("--officer", "乙", *REQUEST)
    cli("--officer", "乙", "advance", "2026-0001", "decide", "--on", "2026-03-10", "--outcome", "disclosed")
    by_b = cli.json("audit", "--by", "乙")
    assert [(a["ref"], a["action"]) for a in by_b] == [("2026-0002", "register"), ("2026-0001", "decide")]  # type: ignore[union-attr]
    on_one = cli.json("audit", "--ref", "2026-0001", "--from", "2026-03-05")
    assert [a["action"] for a in on_one] == ["decide"]  # type: ignore[union-attr]


@pytest.mark.skipif(BACKEND != "sqlite", reason="about the SQLite file")
def test_sqlite_runs_in_wal_mode_with_foreign_keys(app) -> None:  # type: ignore[no-untyped-def]
    with app.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_history_recorded_in_one_time_zone_verifies_in_another(db_target: str) -> None:
    import os
    import subprocess
    import sys

    def gongkai(tz: str, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "TZ": tz, "GONGKAI_DB": db_target}
        return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, env=env, timeout=120)

    from tests.database import created

    created(db_target)
    made = gongkai("Asia/Shanghai", *REQUEST[:-6])
    assert made.returncode == 0, made.stderr
    assert gongkai("UTC", "advance", "2026-0001", "decide", "--on", "2026-03-05", "--outcome", "disclosed").returncode == 0
    checked = gongkai("America/New_York", "verify")
    assert checked.returncode == 0 and "已核验 1 件申请，发现 0 项问题" in checked.stdout + checked.stderr


def test_personal_data_can_be_revealed_on_a_concluded_request(cli: Cli) -> None:
    cli(*REQUEST)
    cli("advance", "2026-0001", "decide", "--on", "2026-03-10", "--outcome", "disclosed")
    shown = cli.json("show", "2026-0001", "--reveal")
    assert (shown["state"], shown["outcome"], shown["events"][-1]["action"]) == ("concluded", "disclosed", "reveal")  # type: ignore[index]
    assert cli.json("verify")["findings"] == []  # type: ignore[index]


def test_the_demo_year_verifies_and_its_report_adds_up(tmp_path: Path) -> None:
    from workflow import demo
    from workflow.reports import compute as report
    from workflow.usecases import integrity

    target, app = demo.build(str(tmp_path / "demo.sqlite"), 80, seed=7)
    checked, findings = integrity.verify(app)
    assert checked > 70 and findings == []
    assert report.build(app, app.today.year).checks == []  # every 勾稽关系 holds


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3), max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(payload=st.dictionaries(st.text(), JSON_VALUES, max_size=4), agency=st.text(), ref=st.text(),
       officer=st.text(), action=st.text(), seq=st.integers(1, 10**6), on=st.dates(),
       at=st.datetimes(timezones=st.none() | st.just(UTC)))
def test_the_event_hash_is_the_sha256_of_the_canonical_json_of_the_event(  # type: ignore[no-untyped-def]
        payload, agency, ref, officer, action, seq, on, at) -> None:
    """``event_hash`` writes the canonical JSON out by hand for speed; it must be byte for byte what
    ``canonical`` makes of the event, or every stored history would stop verifying."""
    stored = history.canonical(payload)
    content = history.canonical({"agency": agency, "ref": ref, "seq": seq, "action": action, "on": on.isoformat(),
                                 "recorded_at": history.utc(at).isoformat(), "officer": officer,
                                 "payload": json.loads(stored)})
    expected = hashlib.sha256(("f" * 64 + content).encode()).hexdigest()
    assert history.event_hash("f" * 64, agency, ref, seq, action, on, at, officer, stored) == expected
