"""Importing an office's request spreadsheet: real histories, all problems at once, nothing half-written."""

from __future__ import annotations

import csv
import gc
import time
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select

from tests.database import Cli
from workflow.app import Gongkai
from workflow.io import imports
from workflow.store import db, models
from workflow.usecases import views

HEADER = ["ref", "received_on", "channel", "applicant_type", "applicant_name", "subject", "outcome", "concluded_on",
          "correction_requested_on", "corrected_on", "consultation_sent_on", "consultation_replied_on",
          "fee_notified_on", "fee_amount", "fee_paid_on", "extended_days", "extension_approved_by"]


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


def write_csv(path: Path, rows: Iterable[Mapping[str, object]], header: list[str] = HEADER,
              encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        out = csv.DictWriter(f, header)
        out.writeheader()
        out.writerows(rows)
    return path


def row(ref: str, received_on: str, **more: object) -> dict[str, object]:
    return {"ref": ref, "received_on": received_on, "channel": "online", "applicant_type": "natural_person",
            "applicant_name": "张三", "subject": "2025年低保资金发放明细", **more}


def test_a_row_becomes_a_request_whose_history_is_real_events(cli: Cli, tmp_path: Path) -> None:
    # Received Mon 03-02; the third party is consulted 03-05 and replies 03-12: five working days
    # (03-06, 03-09 … 03-12) are not counted, so the reply due 03-30 moves to 04-07 (04-06 is 清明).
    sheet = write_csv(tmp_path / "2026台账.csv", [
        row("2026-0042", "2026-03-02", consultation_sent_on="2026-03-05", consultation_replied_on="2026-03-12",
            outcome="予以公开", concluded_on="2026-03-20")])
    assert cli.json("import", "requests", str(sheet)) == {
        "ok": True, "file": "2026台账.csv", "encoding": "utf-8", "rows": 1, "imported": 1, "dry_run": False,
        "ignored_columns": [], "open": 0, "concluded": 1, "recorded_late": []}
    shown = cli.json("show", "2026-0042")
    assert isinstance(shown, dict)
    assert [(e["action"], e["on"]) for e in shown["events"]] == [
        ("register", "2026-03-02"), ("consult", "2026-03-05"), ("consult-reply", "2026-03-12"),
        ("decide", "2026-03-20")]
    assert shown["events"][0]["payload"]["imported_from"] == "2026台账.csv:2"
    assert (shown["imported_from"], shown["outcome"], shown["reply_due"], shown["paused_days"]) == (
        "2026台账.csv:2", "disclosed", "2026-04-07", 5)
    assert cli.json("verify")["findings"] == []  # type: ignore[index]


@pytest.fixture(params=["in one batch", "in batches of two rows"])
def batches(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file read in one batch, or two rows at a time: each batch written while the next is read."""
    if request.param == "in batches of two rows":
        monkeypatch.setattr(imports, "CHUNK", 2)


def test_references_are_kept_and_register_continues_after_them(cli: Cli, tmp_path: Path, batches: None) -> None:
    sheet = write_csv(tmp_path / "a.csv", [row("2026-0007", "2026-03-02"), row("", "2026-03-03"),
                                           row("旧-15", "2026-03-04")])
    cli("import", "requests", str(sheet))
    refs = sorted(r["ref"] for r in cli.json("list"))  # type: ignore[union-attr]
    assert refs == ["2026-0007", "2026-0008", "旧-15"]  # the blank one is numbered after 0007
    assert cli("register", "--received-on", "2026-03-05", "--channel", "post", "--applicant", "李四",
               "--applicant-type", "自然人", "--subject", "某批复").stdout.strip() == "2026-0010"


def test_a_blank_reference_is_numbered_after_the_numbers_later_rows_give(cli: Cli, tmp_path: Path,
                                                                       batches: None) -> None:
    sheet = write_csv(tmp_path / "a.csv", [row("", "2026-03-02"), row("", "2026-03-02"), row("2026-0001", "2026-03-03"),
                                           row("2026-0003", "2026-03-04")])
    cli("import", "requests", str(sheet))
    assert {r["ref"]: r["received_on"] for r in cli.json("list")} == {  # type: ignore[union-attr]
        "2026-0001": "2026-03-03", "2026-0003": "2026-03-04", "2026-0004": "2026-03-02", "2026-0005": "2026-03-02"}


def test_every_problem_is_listed_by_row_and_column_and_nothing_is_written(cli: Cli, tmp_path: Path,
                                                                          batches: None) -> None:
    cli("register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "王五",
        "--applicant-type", "natural_person", "--subject", "某文件")  # 2026-0001 exists already
    before = cli.dump()
    sheet = write_csv(tmp_path / "bad.csv", [
        row("2026-0100", "2026-03-02"),                                                    # 2: fine
        row("2026-0101", "2026-03-02", channel="飞鸽传书"),                                # 3
        row("2026-0102", "2026-02-30"),                                                    # 4
        row("2026-0103", "2026-03-02", outcome="disclosed", concluded_on="2026-03-01"),    # 5
        row("2026-0104", "2026-03-02", outcome="部分公开"),                                # 6
        row("2026-0100", "2026-03-03"),                                                    # 7
        row("2026-0001", "2026-03-03"),                                                    # 8
        row("2026-0105", "2026-03-02", correction_requested_on="2026-03-10", corrected_on="2026-03-05"),  # 9
        row("2026-0106", "2026-03-02", correction_requested_on="2026-03-03", fee_notified_on="2026-03-04",
            fee_amount="100", corrected_on="2026-03-10"),                                  # 10
        row("2026-0107", "2026-03-02", applicant_type="外星人", concluded_on="2026-03-20"),  # 11
        row("2026-0108", "2027-01-04"),                                                    # 12
        row("2026-0109", "2026-03-02 14:30", channel="信鸽", fee_notified_on="2026-03-03", fee_amount="十元"),  # 13
    ])
    result = cli("import", "requests", str(sheet), "--json", ok=False)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    report = __import__("json").loads(result.stdout)  # type: ignore[attr-defined]
    assert report["ok"] is False
    assert [(p["row"], p["column"]) for p in report["problems"]] == [
        (3, "channel"), (4, "received_on"), (5, "concluded_on"), (6, "concluded_on"), (7, "ref"), (8, "ref"),
        (9, "corrected_on"), (10, "fee_notified_on"), (11, "applicant_type"), (11, "outcome"),
        (12, "received_on"), (13, "channel"), (13, "fee_amount")]
    messages = {(p["row"], p["column"]): p["message"] for p in report["problems"]}
    assert "无法识别的渠道 '飞鸽传书'" in messages[(3, "channel")]
    assert "'2026-02-30' 不是有效日期" in messages[(4, "received_on")]
    assert "早于收到申请之日" in messages[(5, "concluded_on")]
    assert messages[(7, "ref")] == "2026-0100 也是第 2 行的编号"
    assert messages[(8, "ref")] == "机关 '本机关' 已有编号 2026-0001"
    assert "早于 correction_requested_on" in messages[(9, "corrected_on")]
    assert "现在不能收费通知（notify-fee）" in messages[(10, "fee_notified_on")]
    assert "晚于今天" in messages[(12, "received_on")]
    assert messages[(13, "fee_amount")] == "'十元' 不是以元计的金额"
    assert cli.dump() == before

    on_screen = cli("import", "requests", str(sheet), ok=False)
    assert on_screen.exit_code == 1  # type: ignore[attr-defined]
    assert on_screen.stderr.startswith("gongkai: bad.csv 有 13 处问题，未导入任何内容：\n"  # type: ignore[attr-defined]
                                       "  第 3 行，channel：无法识别的渠道")
    assert cli.dump() == before


def test_a_problem_after_batches_were_written_leaves_nothing_of_them(cli: Cli, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "CHUNK", 2)
    cli("list")  # creates the database
    before = cli.dump()
    fine = [row(f"2026-{i:04d}", "2026-03-02", outcome="disclosed", concluded_on="2026-03-10") for i in range(1, 6)]
    sheet = write_csv(tmp_path / "late.csv", [*fine, row("2026-0006", "2026-03-02", channel="飞鸽传书"), *fine[:1]])
    result = cli("import", "requests", str(sheet), "--json", ok=False)
    problems = __import__("json").loads(result.stdout)["problems"]  # type: ignore[attr-defined]
    assert [(p["row"], p["column"]) for p in problems] == [(7, "channel"), (8, "ref")]
    assert cli.dump() == before


def test_more_than_twenty_problems_are_counted_on_screen_and_all_listed_in_json(cli: Cli, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "many.csv", [row(f"2026-{i:04d}", "2026-13-01") for i in range(1, 26)])
    on_screen = cli("import", "requests", str(sheet), ok=False).stderr  # type: ignore[attr-defined]
    assert on_screen.count("\n  第 ") == 20
    assert on_screen.rstrip().endswith("…… 另有 5 处（--json 列出全部）")
    listed = __import__("json").loads(cli("import", "requests", str(sheet), "--json", ok=False).stdout)  # type: ignore[attr-defined]
    assert len(listed["problems"]) == 25


def test_a_dry_run_checks_every_row_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    cli("list")  # creates the database
    before = cli.dump()
    sheet = write_csv(tmp_path / "ok.csv", [row("2026-0001", "2026-03-02"),
                                            row("2026-0002", "2026-03-02", outcome="disclosed",
                                                concluded_on="2026-03-10")])
    checked = cli.json("import", "requests", str(sheet), "--dry-run")
    assert checked == {"ok": True, "file": "ok.csv", "encoding": "utf-8", "rows": 2, "imported": 0,
                       "dry_run": True, "ignored_columns": [], "open": 1, "concluded": 1, "recorded_late": []}
    assert cli.dump() == before
    bad = write_csv(tmp_path / "bad.csv", [row("2026-0001", "2026-03-02", outcome="disclosed")])
    assert cli("import", "requests", str(bad), "--dry-run", ok=False).exit_code == 1  # type: ignore[attr-defined]
    assert cli.dump() == before


CHINESE = ["编号", "收到日期", "申请渠道", "申请人类型", "申请人", "申请内容", "办理结果", "办结日期", "备注"]


def test_a_gb18030_csv_with_chinese_headers_as_chinese_excel_saves_it(cli: Cli, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "台账.csv", [
        {"编号": "2025-0031", "收到日期": "2025/12/29", "申请渠道": "邮寄", "申请人类型": "法人或其他组织-商业企业",
         "申请人": "王䶮", "申请内容": "某项目环评批复", "办理结果": "", "办结日期": "", "备注": "结转"},
        {"编号": "2026-0002", "收到日期": "2026年1月5日", "申请渠道": "当面", "申请人类型": "自然人",
         "申请人": "李四", "申请内容": "低保名单", "办理结果": "本机关不掌握相关政府信息", "办结日期": "2026.1.20",
         "备注": ""}], header=CHINESE, encoding="gb18030")
    assert "王䶮".encode("gb18030") in sheet.read_bytes()  # a character GBK does not have
    summary = cli.json("import", "requests", str(sheet))
    assert isinstance(summary, dict)
    assert (summary["encoding"], summary["imported"], summary["ignored_columns"]) == ("gb18030", 2, ["备注"])
    first = cli.json("show", "2025-0031")
    assert isinstance(first, dict)
    assert (first["applicant"]["name"], first["applicant"]["type"], first["channel"], first["state"]) == (
        "王䶮", "commercial", "post", "received")
    second = cli.json("show", "2026-0002")
    assert (second["outcome"], second["concluded_on"]) == ("unavailable.not_held", "2026-01-20")  # type: ignore[index]


def test_a_utf8_csv_with_a_byte_order_mark(cli: Cli, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "bom.csv", [row("2026-0001", "2026-03-02")], encoding="utf-8-sig")
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbf")
    summary = cli.json("import", "requests", str(sheet))
    assert (summary["encoding"], summary["imported"]) == ("utf-8-sig", 1)  # type: ignore[index]
    assert cli.json("show", "2026-0001")["applicant"]["name"] == "张三"  # type: ignore[index]


def test_an_xlsx_with_date_cells_and_numbers(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["申请编号", "收到日期", "渠道", "申请人类型", "申请人名称", "申请事项", "结果说明", "收费通知日期",
                  "收费金额", "缴费日期", "延长天数", "延长批准人", "办理结果", "办结日期"])
    sheet.append(["2026-0005", datetime(2026, 4, 1), "网络", "legal_services", "某律师事务所", "某处罚决定书", None,
                  datetime(2026, 4, 8), 700.5, date(2026, 4, 15), 20, "张主任", "部分公开", datetime(2026, 5, 20)])
    sheet.append([None] * 14)  # blank rows at the end of a sheet are not requests
    book.save(tmp_path / "book.xlsx")
    summary = cli.json("import", "requests", str(tmp_path / "book.xlsx"))
    assert isinstance(summary, dict)
    assert (summary["encoding"], summary["rows"], summary["ignored_columns"]) == ("xlsx", 1, ["结果说明"])
    shown = cli.json("show", "2026-0005")
    assert isinstance(shown, dict)
    assert [(e["action"], e["on"]) for e in shown["events"]] == [
        ("register", "2026-04-01"), ("notify-fee", "2026-04-08"), ("fee-paid", "2026-04-15"),
        ("extend", "2026-05-11"), ("decide", "2026-05-20")]  # the extension dated its last lawful day
    assert shown["events"][1]["payload"] == {"amount": "700.50"}
    assert shown["events"][3]["payload"]["days"] == 20
    assert (shown["outcome"], shown["extension_days"]) == ("partially_disclosed", 20)


def test_lapses_and_withdrawals_are_recorded_by_their_own_actions(cli: Cli, tmp_path: Path) -> None:
    # A 10-working-day correction period asked on 03-03 runs until 03-17; the lapse comes the day after.
    # A fee notice of 03-04 may be paid for 20 working days, until 04-01.
    sheet = write_csv(tmp_path / "lapses.csv", [
        row("2026-0001", "2026-03-02", correction_requested_on="2026-03-03", correction_period="10",
            outcome="other.correction_lapsed", concluded_on="2026-03-18"),
        row("2026-0002", "2026-03-02", fee_notified_on="2026-03-04", fee_amount="100",
            outcome="申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", concluded_on="2026-04-02"),
        row("2026-0003", "2026-03-02", correction_requested_on="2026-03-03", outcome="其他",
            concluded_on="2026-03-05"),
        row("2026-0004", "2026-03-02", correction_requested_on="2026-03-03", correction_period="10",
            outcome="other.correction_lapsed", concluded_on="2026-03-17"),
    ], header=[*HEADER, "correction_period"])
    problems = __import__("json").loads(cli("import", "requests", str(sheet), "--json", ok=False).stdout)  # type: ignore[attr-defined]
    assert [(p["row"], p["column"]) for p in problems["problems"]] == [(5, "concluded_on")]
    assert "补正期限至 2026-03-17" in problems["problems"][0]["message"]

    sheet.write_text("\n".join(sheet.read_text(encoding="utf-8").splitlines()[:-1]) + "\n", encoding="utf-8")
    cli("import", "requests", str(sheet))
    actions = {r: [e["action"] for e in cli.json("show", r)["events"]]  # type: ignore[index]
               for r in ("2026-0001", "2026-0002", "2026-0003")}
    assert actions == {"2026-0001": ["register", "request-correction", "lapse-correction"],
                       "2026-0002": ["register", "notify-fee", "fee-lapsed"],
                       "2026-0003": ["register", "request-correction", "withdraw"]}
    outcomes = {r["ref"]: r["outcome"] for r in cli.json("list", "--all")}  # type: ignore[union-attr]
    assert outcomes == {"2026-0001": "other.correction_lapsed", "2026-0002": "other.fee_unpaid",
                        "2026-0003": "other.other"}


def test_events_of_one_day_are_put_in_the_order_the_lifecycle_allows(cli: Cli, tmp_path: Path) -> None:
    # Paid and consulted on the same day: the spreadsheet cannot say which came first; only
    # "paid, then consulted" is a possible history (no consultation while a fee is pending).
    sheet = write_csv(tmp_path / "same-day.csv", [
        row("2026-0001", "2026-03-02", fee_notified_on="2026-03-03", fee_amount="50", fee_paid_on="2026-03-06",
            consultation_sent_on="2026-03-06")])
    cli("import", "requests", str(sheet))
    shown = cli.json("show", "2026-0001")
    assert [e["action"] for e in shown["events"]] == ["register", "notify-fee", "fee-paid", "consult"]  # type: ignore[index]
    assert shown["state"] == "in_consultation"  # type: ignore[index]


def test_an_imported_open_request_is_due_like_one_entered_by_hand(cli: Cli, tmp_path: Path) -> None:
    # Received Mon 2026-11-02: 20 working days end on Mon 2026-11-30.
    sheet = write_csv(tmp_path / "open.csv", [row("2026-0300", "2026-11-02")])
    cli("import", "requests", str(sheet))
    due = cli.json("due", "--within", "3")
    assert [(d["ref"], d["kind"], d["due"]) for d in due] == [("2026-0300", "reply", "2026-11-30")]  # type: ignore[index, union-attr]


def test_a_date_in_a_closed_year_fails_the_import(app: Gongkai, tmp_path: Path) -> None:
    with db.unit_of_work(app.engine) as session:
        session.add(models.ClosedYear(agency="本机关", year=2025, closed_at=datetime(2026, 1, 20, 1, tzinfo=timezone.utc),
                                      closed_by="王芳", checksum="0" * 64, report="{}"))
    sheet = write_csv(tmp_path / "late.csv", [
        row("2025-0090", "2025-12-29", outcome="disclosed", concluded_on="2026-01-06"),
        row("2026-0001", "2025-12-31", consultation_sent_on="2026-01-05")])
    with pytest.raises(imports.ImportProblems) as raised:
        imports.import_requests(app, sheet)
    assert [(p.row, p.column) for p in raised.value.problems] == [(2, "received_on"), (3, "received_on")]
    assert "2025 年度已结转" in raised.value.problems[0].message


def test_missing_required_columns_are_named(cli: Cli, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "short.csv", [{"ref": "1", "subject": "x"}], header=["ref", "subject"])
    err = cli("import", "requests", str(sheet), ok=False).stderr  # type: ignore[attr-defined]
    for column in ("received_on", "channel", "applicant_type", "applicant_name"):
        assert f"第 1 行，{column}：缺少此列" in err


def test_a_file_that_is_not_a_spreadsheet_is_refused(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "fake.xlsx").write_text("not a zip", encoding="utf-8")
    assert "应为 .csv 或 .xlsx 文件" in cli("import", "requests", str(tmp_path / "notes.txt"),
                                                  ok=False).stderr  # type: ignore[attr-defined]
    assert "不是可读取的 .xlsx 工作簿" in cli("import", "requests", str(tmp_path / "fake.xlsx"),
                                                     ok=False).stderr  # type: ignore[attr-defined]


def generated(n: int) -> Iterable[dict[str, object]]:
    """n rows: a quarter open, the rest decided; every tenth consulted, every twentieth corrected."""
    start = date(2025, 1, 1)
    for i in range(n):
        received = start + timedelta(days=i % 600)
        r: dict[str, object] = row("", received.isoformat(), applicant_name=f"申请人{i}",
                                   channel=("online", "邮寄", "当面")[i % 3],
                                   applicant_type=("natural_person", "商业企业")[i % 2])
        if i % 10 == 1:
            r |= {"consultation_sent_on": received + timedelta(days=3),
                  "consultation_replied_on": received + timedelta(days=10)}
        elif i % 20 == 2:
            r |= {"correction_requested_on": received + timedelta(days=2),
                  "corrected_on": received + timedelta(days=6)}
        if i % 4:
            r |= {"outcome": ("disclosed", "unavailable.not_held", "部分公开")[i % 3],
                  "concluded_on": received + timedelta(days=18)}
        yield r


@pytest.mark.slow
def test_a_hundred_thousand_rows_are_imported_in_one_transaction(
        app: Gongkai, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = write_csv(tmp_path / "big.csv", generated(100_000))
    started = time.perf_counter()
    summary = imports.import_requests(app, sheet)
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n100,000-row import on {app.engine.dialect.name}: {seconds:.1f} s")
    assert (summary.imported, summary.counts) == (100_000, {"open": 25_000, "concluded": 75_000})
    with db.unit_of_work(app.engine, write=False) as session:
        events = session.execute(select(func.count()).select_from(models.Event)).scalar()
        years = dict(session.execute(select(models.Request.year, func.max(models.Request.seq))
                                     .group_by(models.Request.year)).all())
    assert events == 100_000 + 75_000 + 2 * 10_000 + 2 * 5_000
    assert sum(years.values()) == 100_000  # numbered 1… in each year, without gaps
    shown = views.show(app, "2025-0002")
    assert [e["action"] for e in shown["events"]] == ["register", "consult", "consult-reply", "decide"]


def test_an_import_leaves_no_cyclic_garbage_for_the_collector_it_pauses(app: Gongkai, tmp_path: Path) -> None:
    """The import switches the cyclic collector off while it runs (reference counting frees what it
    makes); that is sound only while nothing it makes is cyclic garbage, imported or refused."""
    good = write_csv(tmp_path / "good.csv", generated(3_000))
    bad = write_csv(tmp_path / "bad.csv", [*generated(500), row("", "2026-02-30"), row("", "2026-03-02", outcome="x")])
    gc.collect()
    assert gc.isenabled()
    imports.import_requests(app, good)
    with pytest.raises(imports.ImportProblems):
        imports.import_requests(app, bad)
    assert gc.isenabled()
    assert gc.collect() == 0


def test_on_a_platform_rows_stay_in_the_importing_officers_agency(cli: Cli, tmp_path: Path) -> None:
    cli("agency", "add", "minzheng", "某区民政局")
    cli("agency", "add", "ziranziyuan", "某区自然资源局")
    cli("officer", "add", "省平台", "--agency", "minzheng", "--role", "platform")
    cli("--officer", "省平台", "officer", "add", "李明", "--agency", "minzheng")
    cli("--officer", "省平台", "officer", "add", "张主任", "--agency", "minzheng", "--role", "supervisor")
    header = [*HEADER, "agency"]
    extended = {"extended_days": "10", "outcome": "disclosed", "concluded_on": "2026-04-20"}
    sheet = write_csv(tmp_path / "platform.csv", [
        row("2026-0001", "2026-03-02", **extended, extension_approved_by="张主任"),
        row("2026-0002", "2026-03-02", agency="ziranziyuan"),
        row("2026-0003", "2026-03-02", **extended, extension_approved_by="李明"),
    ], header=header)
    before = cli.dump()
    refused = __import__("json").loads(cli("--officer", "李明", "import", "requests", str(sheet), "--json",
                                           ok=False).stdout)  # type: ignore[attr-defined]
    assert [(p["row"], p["column"]) for p in refused["problems"]] == [(3, "agency"), (4, "extension_approved_by")]
    assert "不是机关 'minzheng' 的负责人" in refused["problems"][1]["message"]
    assert cli.dump() == before

    unknown = write_csv(tmp_path / "unknown.csv", [row("2026-0009", "2026-03-02", agency="jiaoyu")], header=header)
    problems = cli("--officer", "省平台", "import", "requests", str(unknown), ok=False).stderr  # type: ignore[attr-defined]
    assert "第 2 行，agency：平台上没有机关 'jiaoyu'" in problems

    ok = write_csv(tmp_path / "ok.csv", [row("2026-0001", "2026-03-02", **extended, extension_approved_by="张主任"),
                                         row("", "2026-03-03")])
    cli("--officer", "李明", "import", "requests", str(ok))
    assert sorted((r["agency"], r["ref"]) for r in cli.json("--officer", "省平台", "list", "--all")) == [  # type: ignore[union-attr]
        ("minzheng", "2026-0001"), ("minzheng", "2026-0002")]


def test_imported_histories_verify_in_a_chinese_time_zone(cli: Cli, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # recorded_at is hashed in UTC, the form the database gives back, not in the machine's local time.
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        sheet = write_csv(tmp_path / "tz.csv", [row("2026-0001", "2026-03-02", outcome="disclosed",
                                                    concluded_on="2026-03-10")])
        cli("import", "requests", str(sheet))
        assert cli.json("verify") == {"checked": 1, "findings": []}
    finally:
        monkeypatch.undo()
        time.tzset()


def test_an_extension_without_a_date_is_recorded_on_the_last_day_of_the_reply_period_and_said_so(
        cli: Cli, tmp_path: Path) -> None:
    # Received Monday 03-02: the 20 working days end on 03-30, the last day an extension may be approved
    # (条例第三十三条第二款); the request was concluded on 04-20, within the 15 extra days (04-21).
    sheet = write_csv(tmp_path / "ext.csv", [
        row("2026-0001", "2026-03-02", extended_days="15", extension_approved_by="张主任", outcome="disclosed",
            concluded_on="2026-04-20"),
        row("2026-0002", "2026-03-02", correction_requested_on="2026-03-03", correction_period="5",
            extended_days="15", extension_approved_by="张主任", outcome="other.correction_lapsed",
            concluded_on="2026-03-20")], header=[*HEADER, "correction_period"])
    refused = __import__("json").loads(cli("import", "requests", str(sheet), "--json", ok=False).stdout)  # type: ignore[attr-defined]
    assert [(p["row"], p["column"]) for p in refused["problems"]] == [(3, "extended_days")]
    assert "现在不能延长答复期限（extend）" in refused["problems"][0]["message"]  # still awaiting the correction

    sheet.write_text("\n".join(sheet.read_text(encoding="utf-8").splitlines()[:-1]) + "\n", encoding="utf-8")
    cli("import", "requests", str(sheet))
    extend = cli.json("show", "2026-0001")["events"][1]  # type: ignore[index]
    assert (extend["action"], extend["on"], extend["payload"]) == ("extend", "2026-03-30", {
        "days": 15, "approved_by": "张主任", "note": "导入：表格未载明延长日期，记为答复期限最后一日2026-03-30"})
