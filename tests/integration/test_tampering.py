"""Tampering with every table a report, a letter or a permission depends on is caught by ``verify``.

The office (agency 本机关, officers 测试员 platform and 王五 officer) has, on 2026-01-20:
2025-0001 received 2025-03-03 by post from 赵敏 (natural person), disclosed 2025-03-10, with a
review filed 2025-04-01 and upheld 2025-06-01; 2025-0002 received 2025-07-01 (commercial), not held,
decided 2025-07-08; 2025-0003 received 2025-12-29, open; 2026-0001 received 2026-01-05. Table 二 of
2025 is entered and 2025 is closed (a signed checkpoint is taken as it closes). Each case below edits
or deletes one row with SQL, on SQLite or PostgreSQL alike, and ``verify`` must exit 3 with the
finding named in Chinese; a history or ledger rewritten and re-hashed with the project's own hash
functions is caught by the signed checkpoint.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import Engine, text

from tests.conftest import complete_the_report
from tests.database import Cli
from workflow.app import Gongkai
from workflow.domain.commands import Advance, Register
from workflow.domain.identity import Identity
from workflow.store import history
from workflow.store.evidence import ledger
from workflow.usecases import agencies, appeals, closing
from workflow.usecases import requests as services

MakeApp = Callable[..., Gongkai]


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-01-20 10:00 +0800", tick=False):
        yield


@pytest.fixture
def office(make_app: MakeApp, cli: Cli) -> Gongkai:
    cli("evidence", "init")
    single = Identity("测试员", "single", None)
    engine = make_app(officer="测试员").engine
    agencies.add_agency(engine, single, "本机关", "某市某局")
    agencies.add_officer(engine, single, "测试员", "本机关", "platform", None)
    agencies.add_officer(engine, single, "王五", "本机关", "officer", "wangwu@example.cn")
    app = make_app(today=date(2026, 1, 20), officer="测试员")
    for day, kind, outcome in ((date(2025, 3, 3), "natural_person", "disclosed"),
                               (date(2025, 7, 1), "commercial", "unavailable.not_held"),
                               (date(2025, 12, 29), "natural_person", None),
                               (date(2026, 1, 5), "natural_person", None)):
        ref = services.register(app, Register(received_on=day, channel="post", applicant_name="赵敏",
                                              applicant_type=kind, subject="某文件", phone="13812345678",
                                              id_number="11010519491231002X", address="北京市朝阳区某路1号"))
        if outcome:
            services.advance(app, Advance(ref, "decide", date(day.year, day.month, day.day + 7), {"outcome": outcome}))
    review = appeals.file(app, "2025-0001", "review", date(2025, 4, 1))
    appeals.conclude(app, review, "upheld", date(2025, 6, 1))
    complete_the_report(app, 2025)
    assert closing.close_year(app, 2025).closed
    return app


def run(engine: Engine, *statements: str) -> None:
    with engine.begin() as c:
        for s in statements:
            c.execute(text(s))


def rehash_events(engine: Engine, ref: str) -> None:
    """What a forger with SQL does after editing an event: recompute the request's chain with
    ``history.event_hash`` so that every hash follows again."""
    with engine.begin() as c:
        request_id, agency = c.execute(text("SELECT id, agency FROM request WHERE ref = :r"), {"r": ref}).one()
        prev = history.GENESIS
        for row in c.execute(text("SELECT id, seq, action, occurred_on, recorded_at, officer, payload FROM event "
                                  "WHERE request_id = :i ORDER BY seq"), {"i": request_id}).all():
            on = row.occurred_on if isinstance(row.occurred_on, date) else date.fromisoformat(row.occurred_on)
            at = row.recorded_at if not isinstance(row.recorded_at, str) else _moment(row.recorded_at)
            h = history.event_hash(prev, agency, ref, row.seq, row.action, on, at, row.officer, row.payload)
            c.execute(text("UPDATE event SET prev_hash = :p, hash = :h WHERE id = :i"), {"p": prev, "h": h, "i": row.id})
            prev = h
        c.execute(text("UPDATE request SET last_hash = :h WHERE id = :i"), {"h": prev, "i": request_id})


def rehash_ledger(engine: Engine, chain: str) -> None:
    """The same forgery on a ledger chain, with ``ledger.entry_hash``."""
    with engine.begin() as c:
        prev = history.GENESIS
        for row in c.execute(text("SELECT id, seq, kind, key, payload, recorded_at FROM ledger WHERE chain = :c "
                                  "ORDER BY seq"), {"c": chain}).all():
            at = row.recorded_at if not isinstance(row.recorded_at, str) else _moment(row.recorded_at)
            h = ledger.entry_hash(prev, chain, row.seq, row.kind, row.key, row.payload, at)
            c.execute(text("UPDATE ledger SET prev_hash = :p, hash = :h WHERE id = :i"), {"p": prev, "h": h, "i": row.id})
            prev = h


def _moment(stored: str):  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime.fromisoformat(stored)


def findings(cli: Cli) -> tuple[int, str, list[dict[str, str]]]:
    human = cli("verify", ok=False)
    as_json = cli("verify", "--json", ok=False)
    return human.exit_code, human.stdout, json.loads(as_json.stdout)["findings"]


def test_the_untouched_office_verifies_with_its_signed_checkpoint(cli: Cli, office: Gongkai) -> None:
    result = cli("verify")
    assert "已核验 4 件申请，发现 0 项问题" in result.stdout + result.stderr
    assert "签名检查点：公钥" in result.stdout and "（1 个）" in result.stdout


DELETE_REQUEST = ("DELETE FROM deadline WHERE request_id = (SELECT id FROM request WHERE ref = '{ref}')",
                  "DELETE FROM event WHERE request_id = (SELECT id FROM request WHERE ref = '{ref}')",
                  "DELETE FROM request WHERE ref = '{ref}'")

CASES = {
    # the request's own columns
    "applicant type": (["UPDATE request SET applicant_type = 'legal_person' WHERE ref = '2025-0001'"],
                       "request", "申请登记项：applicant_type"),
    "channel": (["UPDATE request SET channel = 'online' WHERE ref = '2025-0002'"], "request", "申请登记项：channel"),
    "name": (["UPDATE request SET applicant_name = '钱七' WHERE ref = '2025-0001'"], "request", "申请人姓名"),
    "phone": (["UPDATE request SET phone = '13900000000' WHERE ref = '2026-0001'"], "request", "个人信息"),
    "id number": (["UPDATE request SET id_number = NULL WHERE ref = '2025-0003'"], "request", "个人信息"),
    "address": (["UPDATE request SET address = '某地' WHERE ref = '2025-0002'"], "request", "个人信息"),
    "registering officer": (["UPDATE request SET officer = '王五' WHERE ref = '2025-0001'"], "request",
                            "申请登记项：officer"),
    # the highest request deleted, with its events and deadlines
    "highest request deleted": ([s.format(ref="2026-0001") for s in DELETE_REQUEST], "checkpoint",
                                "2026 年的最大编号 2026-0001 已不存在"),
    # appeals
    "appeal result": (["UPDATE appeal SET result = 'corrected'"], "appeal", "复议诉讼 1 与记录链不符：result"),
    "appeal deleted": (["DELETE FROM appeal"], "appeal", "复议诉讼 1 已被删除"),
    # the year: closed, its log, table 二
    "closed year deleted": (["DELETE FROM closed_year"], "closed_year", "年度关闭（冻结报告） 本机关/2025 已被删除"),
    "year log deleted": (["DELETE FROM year_log"], "year_log", "年度关闭日志 1 已被删除"),
    "year log altered": (["UPDATE year_log SET officer = '王五'"], "year_log", "年度关闭日志 1 与记录链不符：officer"),
    "table 二 altered": (["UPDATE table2_entry SET value = '7' WHERE row_code = 'licensing'"], "table2_entry",
                        "表二数据 本机关/2025/article20_5/licensing"),
    "table 二 deleted": (["DELETE FROM table2_entry WHERE row_code = 'licensing'"], "table2_entry", "已被删除"),
    # who may act
    "officer raised to platform": (["UPDATE officer SET role = 'platform' WHERE name = '王五'"], "officer",
                                   "工作人员 王五 与记录链不符：role"),
    "officer slipped in": (["INSERT INTO officer (name, agency, role, email) VALUES ('赵六', '本机关', 'platform', NULL)"],
                           "officer", "工作人员 赵六 不在记录链中"),
    "agency renamed": (["UPDATE agency SET name = '别的局'"], "agency", "机关 本机关 与记录链不符：name"),
    # the frozen report edited in place
    "frozen report edited": (["UPDATE closed_year SET report = REPLACE(report, '\"table2\"', '\"table2\" ')"],
                             "report", "冻结报告：2025 年冻结的年度报告已被改动"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_tampering_with_a_table_is_caught(cli: Cli, office: Gongkai, case: str) -> None:
    statements, check, words = CASES[case]
    run(office.engine, *statements)
    exit_code, printed, found = findings(cli)
    assert exit_code == 3, printed
    assert check in {f["check"] for f in found}, found
    assert words in printed, printed


def test_a_frozen_report_edited_with_its_checksum_recomputed_is_refused_by_report_and_verify(
        cli: Cli, office: Gongkai) -> None:
    import hashlib

    with office.engine.begin() as c:
        report = c.execute(text("SELECT report FROM closed_year")).scalar_one()
        edited = report.replace('"received_total":', '"received_total": ', 1) if '"received_total":' in report \
            else report.replace("{", "{ ", 1)
        c.execute(text("UPDATE closed_year SET report = :r, checksum = :c"),
                  {"r": edited, "c": hashlib.sha256(edited.encode()).hexdigest()})
    printed = cli("report", "2025", "--format", "json", ok=False)
    assert printed.exit_code == 3 and "冻结的年度报告及其校验值已被替换" in printed.stderr
    assert edited not in printed.stdout
    exit_code, shown, found = findings(cli)
    assert exit_code == 3 and "closed_year" in {f["check"] for f in found}
    assert "年度关闭（冻结报告） 本机关/2025 与记录链不符：checksum" in shown


def test_an_untouched_frozen_report_prints(cli: Cli, office: Gongkai) -> None:
    assert cli("report", "2025", "--format", "json").exit_code == 0


def test_a_decide_outcome_edited_and_the_chain_recomputed_is_caught_by_the_signed_checkpoint(
        cli: Cli, office: Gongkai) -> None:
    run(office.engine, "UPDATE event SET payload = '{\"outcome\":\"unavailable.not_held\"}' WHERE action = 'decide' "
                       "AND request_id = (SELECT id FROM request WHERE ref = '2025-0001')",
        "UPDATE request SET outcome = 'unavailable.not_held' WHERE ref = '2025-0001'",
        "DELETE FROM checkpoint")  # the forger also removes the checkpoints the database holds
    rehash_events(office.engine, "2025-0001")
    exit_code, printed, found = findings(cli)
    assert exit_code == 3
    assert {f["check"] for f in found} == {"checkpoint"}, found  # the chain itself holds again
    assert "签名检查点：机关 '本机关' 在检查点之前记录的办理记录已被改动或删除" in printed


def test_an_appeal_result_edited_and_the_ledger_recomputed_is_caught_by_the_signed_checkpoint(
        cli: Cli, office: Gongkai) -> None:
    with office.engine.begin() as c:
        payload = json.loads(c.execute(text("SELECT payload FROM ledger WHERE kind = 'appeal' ORDER BY seq DESC")).first()[0])
        payload["result"] = "corrected"
        c.execute(text("UPDATE ledger SET payload = :p WHERE kind = 'appeal' AND seq = "
                       "(SELECT MAX(seq) FROM ledger WHERE kind = 'appeal')"), {"p": history.canonical(payload)})
        c.execute(text("UPDATE appeal SET result = 'corrected'"))
    rehash_ledger(office.engine, "agency:本机关")
    exit_code, printed, found = findings(cli)
    assert exit_code == 3
    assert {f["check"] for f in found} == {"checkpoint"}, found
    assert "记录链 agency:本机关 第" in printed and "与检查点不符" in printed


def test_a_forged_checkpoint_line_does_not_verify(cli: Cli, office: Gongkai, _isolated_config: Path) -> None:
    log = _isolated_config / "evidence" / "checkpoints.jsonl"
    line = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    line["body"] = line["body"].replace('"requests":4', '"requests":3')
    with log.open("a", encoding="utf-8") as f:
        f.write(json.dumps(line, ensure_ascii=False) + "\n")
    exit_code, printed, _ = findings(cli)
    assert exit_code == 3 and "检查点文件第 2 行的签名无效" in printed


def test_without_a_key_verify_says_so_plainly(cli: Cli) -> None:
    cli("register", "--received-on", "2026-01-05", "--channel", "post", "--applicant", "赵敏",
        "--applicant-type", "natural_person", "--subject", "某文件")
    result = cli("verify")
    assert "未配置签名密钥" in result.stdout and "gongkai evidence init" in result.stdout


def test_evidence_init_writes_a_private_key_only_its_owner_can_read(cli: Cli, _isolated_config: Path) -> None:
    printed = cli("evidence", "init").stdout
    private = _isolated_config / "evidence" / "evidence-key.pem"
    assert private.stat().st_mode & 0o777 == 0o600 and str(private) in printed
    again = cli("evidence", "init", ok=False)
    assert again.exit_code == 1 and "已存在；新的密钥对" in again.stderr


def test_the_daily_sweep_signs_a_checkpoint_beside_the_key(office: Gongkai, _isolated_config: Path) -> None:
    from workflow.alerts import scheduler

    scheduler._running.update(app=office, say=[].append)
    try:
        scheduler.daily_sweep()
    finally:
        scheduler._running.clear()
    lines = (_isolated_config / "evidence" / "checkpoints.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and json.loads(json.loads(lines[-1])["body"])["agencies"]["本机关"]["requests"] == 4
    with office.engine.begin() as c:
        assert c.execute(text("SELECT COUNT(*) FROM checkpoint WHERE signature <> ''")).scalar() == 2


def test_a_database_upgraded_to_the_ledger_records_its_rows_as_found_and_verifies(
        cli: Cli, office: Gongkai, _isolated_config: Path) -> None:
    """An office at schema 0004 had no ledger and no checkpoints: the upgrade records what it finds."""
    from alembic import command

    from workflow.store import schema

    cfg = schema.alembic_config(office.engine)
    with office.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0004")
    (_isolated_config / "evidence" / "checkpoints.jsonl").unlink()
    assert f"0004 → {schema.HEAD}" in cli("db", "upgrade").stdout
    with office.engine.begin() as c:
        kinds = dict(c.execute(text("SELECT kind, COUNT(*) FROM ledger GROUP BY kind")).all())
    assert kinds == {"agency": 1, "officer": 2, "appeal": 1, "closed_year": 1, "year_log": 1,
                     "table2_entry": len(closing.CELLS)}
    assert cli("verify").exit_code == 0


def test_a_backup_older_than_the_newest_checkpoint_can_still_be_restored(
        cli: Cli, office: Gongkai, tmp_path: Path) -> None:
    """The restored database verifies on its own; the file outside it then says what was lost since."""
    backup = tmp_path / "before.bak"
    cli("backup", str(backup))
    cli("register", "--received-on", "2026-01-19", "--channel", "post", "--applicant", "孙八",
        "--applicant-type", "natural_person", "--subject", "某文件")
    cli("evidence", "checkpoint")
    cli("restore", str(backup), "--yes")
    exit_code, printed, found = findings(cli)
    assert exit_code == 3 and {f["check"] for f in found} == {"checkpoint"}
    assert "机关 '本机关' 的申请数少于检查点（5 件，现为 4 件）" in printed


def test_report_refuses_to_print_a_frozen_report_edited_in_place(cli: Cli, office: Gongkai) -> None:
    run(office.engine, "UPDATE closed_year SET report = REPLACE(report, '\"table2\"', '\"table2\" ')")
    printed = cli("report", "2025", ok=False)
    assert printed.exit_code == 3 and "2025 年冻结的年度报告已被改动" in printed.stderr and "拒绝输出" in printed.stderr
