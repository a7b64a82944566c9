"""Exporting requests in the columns import reads: out and back in gives the same annual report."""

from __future__ import annotations

import csv
import itertools
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.database import Cli
from tests.pgserver import PgServer
from workflow.app import Gongkai
from workflow.domain.commands import Advance, Register
from workflow.io import exports, imports
from workflow.reports import compute as report
from workflow.settings import Settings
from workflow.store import db, models
from workflow.usecases import requests as services
from workflow.usecases import views

TODAY = date(2026, 11, 25)
_COUNTER = itertools.count()


@pytest.fixture
def empty_app(tmp_path: Path, pg_server: PgServer | None) -> Gongkai:
    """A second, empty database on the same backend: where the export is imported."""
    target = str(tmp_path / "other.sqlite") if pg_server is None else \
        pg_server.create_database(f"export_target_{next(_COUNTER)}")
    return Gongkai.open(target, officer="王芳", today=TODAY, settings=Settings.load())


def register(app: Gongkai, received: str, kind: str = "natural_person", subject: str = "某信息", **more: str) -> str:
    return services.register(app, Register(received_on=date.fromisoformat(received), channel="online",
                                           applicant_name="张三", applicant_type=kind, subject=subject,
                                           **more))  # type: ignore[arg-type]


def act(app: Gongkai, ref: str, *steps: tuple[str, str, dict[str, object]]) -> None:
    for action, on, payload in steps:
        services.advance(app, Advance(ref, action, date.fromisoformat(on), dict(payload)))


def a_year_of_requests(app: Gongkai) -> None:
    """Every kind of history the columns can carry, and one (a delay) they cannot."""
    act(app, register(app, "2025-12-15"), ("decide", "2026-01-08", {"outcome": "disclosed"}))
    act(app, register(app, "2025-12-22", "commercial"), ("consult", "2025-12-24", {"party": "third-party"}))
    act(app, register(app, "2026-03-02"),
        ("request-correction", "2026-03-05", {"period": "10", "items": "请写明文号"}),
        ("receive-correction", "2026-03-12", {}), ("consult", "2026-03-13", {"party": "third-party"}),
        ("consult", "2026-03-16", {"party": "agency"}), ("consult-reply", "2026-03-20", {"consultation": "2"}),
        ("consult-reply", "2026-03-24", {}), ("extend", "2026-04-01", {"days": "20", "approved_by": "张主任"}),
        ("notify-fee", "2026-04-02", {"amount": "700", "pages": "100"}), ("fee-paid", "2026-04-09", {}),
        ("decide", "2026-05-06", {"outcome": "partially_disclosed"}))
    act(app, register(app, "2026-03-02", "research"),
        ("request-correction", "2026-03-03", {"period": "5"}), ("lapse-correction", "2026-03-11", {}))
    act(app, register(app, "2026-03-02", "legal_services"),
        ("notify-fee", "2026-03-03", {"amount": "100"}), ("fee-lapsed", "2026-04-01", {}))
    act(app, register(app, "2026-03-02", "public_interest"), ("withdraw", "2026-03-04", {"reason": "撤回"}))
    act(app, register(app, "2026-03-02", "other_org"), ("request-correction", "2026-03-03", {}),
        ("receive-correction", "2026-03-09", {}),
        ("decide", "2026-03-20", {"outcome": "unavailable.unclear_after_correction"}))
    act(app, register(app, "2026-04-01", subject="=cmd|' /C calc'!A0", phone="13812345678",
                      id_number="11010519491231002X", address="北京市朝阳区某路1号"),
        ("decide", "2026-04-10", {"outcome": "withheld.state_secret"}))
    register(app, "2026-11-02", subject="+1-2@某")
    act(app, register(app, "2026-06-01", subject="-某文件"), ("request-correction", "2026-06-02", {}))
    act(app, register(app, "2026-05-06", "commercial", subject="@SUM(A1)"),
        ("consult", "2026-05-07", {}), ("consult-reply", "2026-05-15", {}), ("consult", "2026-05-18", {}),
        # decided once the second consultee's 15 working days (05-19 … 06-08) ran out unanswered
        ("decide", "2026-06-09", {"outcome": "disclosed"}))
    act(app, register(app, "2026-02-10"),
        ("delay", "2026-03-10", {"until": "2026-04-30", "reason": "数量明显超过合理范围"}),
        ("decide", "2026-04-20", {"outcome": "not_processed.repeated"}))


def grouped(app: Gongkai) -> list[tuple[object, ...]]:
    r = models.Request
    with db.unit_of_work(app.engine, write=False) as session:
        return [tuple(x) for x in session.execute(
            select(r.year, r.applicant_type, r.state, r.outcome, func.count())  # type: ignore[call-overload]
            .group_by(r.year, r.applicant_type, r.state, r.outcome)
            .order_by(r.year, r.applicant_type, r.state, r.outcome)).all()]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_into_an_empty_database_gives_the_same_report(
        app: Gongkai, empty_app: Gongkai, tmp_path: Path, suffix: str) -> None:
    a_year_of_requests(app)
    sheet = tmp_path / f"requests{suffix}"
    assert exports.export_requests(app, sheet).requests == 12
    summary = imports.import_requests(empty_app, sheet)
    assert (summary.imported, summary.counts) == (12, {"open": 3, "concluded": 9})

    assert grouped(empty_app) == grouped(app)
    for year in (2025, 2026):
        assert report.build(empty_app, year).table3 == report.build(app, year).table3
    before = {r["ref"]: (r["state"], r["outcome"], r["concluded_on"]) for r in views.list_requests(app)}
    after = {r["ref"]: (r["state"], r["outcome"], r["concluded_on"]) for r in views.list_requests(empty_app)}
    assert after == before
    # Exporting the imported copy gives the same sheet again: nothing the columns hold was lost.
    again = tmp_path / f"again{suffix}"
    exports.export_requests(empty_app, again)
    assert read(again) == read(sheet)


def read(path: Path) -> list[list[str]]:
    sheet = imports.tabular.read(path, imports.tabular.alias_table(imports.REQUEST_COLUMNS))
    return [[cells[c] for c in sheet.columns] for _, cells in sheet.rows]


def test_the_columns_are_read_off_the_history(app: Gongkai, tmp_path: Path) -> None:
    a_year_of_requests(app)
    exports.export_requests(app, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = {r["ref"]: r for r in csv.DictReader(f)}
    walked = rows["2026-0001"]
    assert {k: v for k, v in walked.items() if v} == {
        "ref": "2026-0001", "agency": "本机关", "received_on": "2026-03-02", "channel": "online",
        "applicant_type": "natural_person", "applicant_name": "张三", "subject": "某信息",
        "outcome": "partially_disclosed", "concluded_on": "2026-05-06", "correction_requested_on": "2026-03-05",
        "correction_period": "10", "corrected_on": "2026-03-12", "extended_days": "20",
        "extension_approved_by": "张主任", "extended_on": "2026-04-01", "consultation_sent_on": "2026-03-13",
        "consultation_replied_on": "2026-03-24", "fee_notified_on": "2026-04-02", "fee_amount": "700.00",
        "fee_paid_on": "2026-04-09"}
    assert (rows["2026-0009"]["consultation_sent_on"], rows["2026-0009"]["consultation_replied_on"]) == (
        "2026-05-07", "")  # a second consultation is still open
    assert (rows["2025-0002"]["outcome"], rows["2026-0004"]["outcome"]) == ("", "other.other")


def test_exported_cells_never_run_as_formulas_and_import_back_unchanged(
        app: Gongkai, empty_app: Gongkai, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    a_year_of_requests(app)
    exports.export_requests(app, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as f:
        subjects = sorted(r["subject"] for r in csv.DictReader(f) if r["subject"] != "某信息")
    assert subjects == ["'+1-2@某", "'-某文件", "'=cmd|' /C calc'!A0", "'@SUM(A1)"]
    exports.export_requests(app, tmp_path / "out.xlsx")
    cells = [c for r in load_workbook(tmp_path / "out.xlsx").active.iter_rows(min_row=2) for c in r  # type: ignore[union-attr]
             if isinstance(c.value, str) and c.value[:2] in ("'=", "'+", "'-", "'@")]
    assert sorted(c.value for c in cells) == ["'+1-2@某", "'-某文件", "'=cmd|' /C calc'!A0", "'@SUM(A1)"]
    assert {c.data_type for c in cells} == {"s"}
    imports.import_requests(empty_app, tmp_path / "out.xlsx")
    assert views.show(empty_app, "2026-0006")["subject"] == "=cmd|' /C calc'!A0"


def test_an_export_carries_no_personal_data(app: Gongkai, tmp_path: Path) -> None:
    a_year_of_requests(app)
    exports.export_requests(app, tmp_path / "out.csv")
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert not {"phone", "id_number", "address"} & set(header)
    for personal in ("13812345678", "11010519491231002X", "北京市朝阳区"):
        assert personal not in text


def test_the_export_command_writes_chinese_headers_that_import_back(
        cli: Cli, app: Gongkai, empty_app: Gongkai, tmp_path: Path) -> None:
    a_year_of_requests(app)
    target = tmp_path / "中文.xlsx"
    assert cli.json("export", "requests", str(target), "--chinese-headers") == {"file": str(target), "requests": 12}
    assert read_header(target)[:9] == ["编号", "办理机关", "收到日期", "申请渠道", "申请人类型", "申请人", "申请内容",
                                       "办理结果", "办结日期"]
    assert imports.import_requests(empty_app, target).imported == 12
    values = {v for row in read_rows(target) for v in row[3:8]}  # channel … outcome: labels, not codes
    assert "自然人" in values and values & {"网络", "当面", "邮寄", "平信", "传真"}
    assert not values & {"in_person", "online", "post", "mail", "natural_person", "disclosed"}
    assert cli.json("export", "requests", str(tmp_path / "codes.xlsx")) == {"file": str(tmp_path / "codes.xlsx"),
                                                                             "requests": 12}
    codes = {v for row in read_rows(tmp_path / "codes.xlsx") for v in row[3:8]}
    assert "natural_person" in codes and not codes & {"网络", "当面", "自然人"}  # the default export keeps the codes


def read_rows(path: Path) -> list[list[object]]:
    from openpyxl import load_workbook

    return [[c.value for c in row] for row in load_workbook(path, read_only=True).worksheets[0].iter_rows(min_row=2)]


def read_header(path: Path) -> list[str]:
    from openpyxl import load_workbook

    return [str(c.value) for c in next(load_workbook(path, read_only=True).worksheets[0].iter_rows(max_row=1))]
