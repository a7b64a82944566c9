"""Table 三 and 四 from the database: New Year carry-over, the closing point, provenance, failed checks.

Dates are real 2025–2026 working days (spec §4.2–4.3): 2025-12-29 is a Monday, 2026-01-01…03 are
holidays and 2026-01-04 (Sunday) a make-up working day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import update
from sqlmodel import col

from tests.conftest import complete_the_report
from workflow.app import Gongkai
from workflow.domain.commands import Advance, Register
from workflow.domain.errors import FrozenYear, InvalidInput
from workflow.reports import compute as report
from workflow.store import models
from workflow.usecases import appeals, closing
from workflow.usecases import requests as services

MakeApp = Callable[..., Gongkai]


def register(app: Gongkai, on: date, kind: str = "natural_person", agency: str | None = None) -> str:
    return services.register(app, Register(received_on=on, channel="in_person", applicant_name="王芳",
                                           applicant_type=kind, subject="某政府信息", agency=agency))


def decide(app: Gongkai, ref: str, on: date, outcome: str = "disclosed") -> None:
    services.advance(app, Advance(ref, "decide", on, {"outcome": outcome}))


def tamper(app: Gongkai, ref: str, **values: object) -> None:
    """Change a request row behind gongkai's back, as a broken import or a hand edit would."""
    with app.engine.begin() as c:
        c.execute(update(models.Request).where(col(models.Request.ref) == ref).values(**values))


def test_a_request_open_across_new_year_is_in_4_of_its_first_year_and_2_of_the_next(make_app: MakeApp) -> None:
    app = make_app(today=date(2026, 1, 12))
    ref = register(app, date(2025, 12, 29))
    r2025 = report.build(app, 2025)
    assert (r2025.table3["new"]["natural_person"], r2025.table3["carried_out"]["natural_person"]) == (1, 1)
    assert r2025.table3["total"]["total"] == 0
    decide(app, ref, date(2026, 1, 5))
    r2026 = report.build(app, 2026)
    assert (r2026.table3["carried_in"]["natural_person"], r2026.table3["disclosed"]["natural_person"]) == (1, 1)
    assert (r2026.table3["new"]["total"], r2026.table3["carried_out"]["total"]) == (0, 0)
    assert report.build(app, 2025).table3["carried_out"]["total"] == 1  # still open on 31 December 2025
    assert [q["ref"] for q in report.cell(app, 2025, "carried_out:natural_person")["requests"]] == [ref]
    assert [q["ref"] for q in report.cell(app, 2026, "carried_in:total")["requests"]] == [ref]
    assert r2026.checks == [] and report.build(app, 2025).checks == []


def test_a_decision_dated_in_a_frozen_year_is_refused_and_accepted_after_reopening(make_app: MakeApp) -> None:
    app = make_app(today=date(2026, 1, 12))
    ref = register(app, date(2025, 12, 29))
    complete_the_report(app, 2025)
    assert closing.close_year(app, 2025).closed
    with pytest.raises(FrozenYear, match="2025 年度已结转.*2025 年的作出答复（decide）被拒绝.*reopen-year 2025"):
        decide(app, ref, date(2025, 12, 31))
    with pytest.raises(FrozenYear):
        register(app, date(2025, 12, 30))
    with pytest.raises(FrozenYear):
        appeals.file(app, ref, "review", date(2025, 12, 31))
    decide(app, ref, date(2026, 1, 5))  # the new year is open
    assert report.build(app, 2026).checks == []  # D4: 二 of 2026 = frozen 四 of 2025
    closing.reopen_year(app, 2025, "补录遗漏的申请")
    register(app, date(2025, 12, 30))
    log = closing.log(app, 2025)
    assert [(e["action"], e["officer"], e["reason"]) for e in log] == [
        ("close", "李明", None), ("reopen", "李明", "补录遗漏的申请")]


def test_an_appeal_counts_in_the_year_filed_with_the_result_known_at_closing(make_app: MakeApp) -> None:
    app = make_app(today=date(2026, 1, 20))
    ref = register(app, date(2025, 3, 3))
    decide(app, ref, date(2025, 3, 17), "withheld.process_information")
    early = appeals.file(app, ref, "行政复议", date(2025, 5, 6))
    late = appeals.file(app, ref, "复议后起诉", date(2025, 11, 3))
    appeals.conclude(app, early, "结果维持", date(2026, 1, 9))  # after 31 December, before closing
    complete_the_report(app, 2025)
    closing.close_year(app, 2025)
    later = make_app(today=date(2026, 3, 2))
    appeals.conclude(later, late, "corrected", date(2026, 2, 27))
    frozen = report.build(later, 2025)
    assert frozen.table4["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    assert frozen.table4["litigation_after_review"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1,
                                                        "total": 1}
    assert report.build(later, 2026).table4["litigation_after_review"]["total"] == 0  # counted where filed
    closing.reopen_year(later, 2025, "复议后起诉案件已审结")
    assert report.build(later, 2025).table4["litigation_after_review"]["corrected"] == 1
    cell = report.cell(later, 2025, "litigation_after_review:corrected")
    assert [(a["id"], a["ref"], a["result"]) for a in cell["appeals"]] == [(late, ref, "corrected")]


def test_a_concluded_request_without_an_outcome_fails_d2_and_is_named(make_app: MakeApp) -> None:
    app = make_app(today=date(2026, 1, 20))
    good, bad = register(app, date(2025, 6, 2)), register(app, date(2025, 6, 3), "commercial")
    decide(app, good, date(2025, 6, 10))
    decide(app, bad, date(2025, 6, 11))
    tamper(app, bad, outcome=None)
    checks = report.build(app, 2025).checks
    assert [(c["check"], c["cell"], c["expected"], c["actual"], c["requests"]) for c in checks] == [
        ("D2", "total:commercial", 0, 1, [bad]), ("D2", "total:total", 1, 2, [bad])]
    result = closing.close_year(app, 2025)
    assert not result.closed and result.findings == checks
    with pytest.raises(InvalidInput, match="2025 年度尚未结转"):
        closing.reopen_year(app, 2025, "x")


def test_an_unknown_applicant_type_fails_d1_in_every_row_it_is_counted_in(make_app: MakeApp) -> None:
    app = make_app(today=date(2026, 1, 20))
    ref = register(app, date(2025, 9, 1))
    tamper(app, ref, applicant_type="个体户")
    checks = report.build(app, 2025).checks
    assert [(c["check"], c["cell"], c["requests"]) for c in checks] == [
        ("D1", "new:total", [ref]), ("D1", "carried_out:total", [ref])]


def test_a_conclusion_dated_before_receipt_fails_c1_in_its_column(make_app: MakeApp) -> None:
    app = make_app(today=date(2026, 1, 20))
    ref = register(app, date(2025, 3, 3))
    decide(app, ref, date(2025, 3, 10))
    tamper(app, ref, concluded_on=date(2024, 12, 30))  # neither concluded in 2025 nor carried out
    checks = report.build(app, 2025).checks
    assert [(c["check"], c["cell"], c["expected"], c["actual"], c["requests"]) for c in checks] == [
        ("C1", "carried_out:natural_person", 1, 0, [ref]), ("C1", "carried_out:total", 1, 0, [ref])]


def test_an_appeal_with_an_unknown_result_fails_d3(make_app: MakeApp) -> None:
    app = make_app(today=date(2026, 1, 20))
    ref = register(app, date(2025, 3, 3))
    decide(app, ref, date(2025, 3, 10))
    appeal = appeals.file(app, ref, "litigation_direct", date(2025, 4, 1))
    with app.engine.begin() as c:
        c.execute(update(models.Appeal).where(col(models.Appeal.id) == appeal)
                  .values(result="驳回起诉", concluded_on=date(2025, 9, 1)))
    checks = report.build(app, 2025).checks
    assert [(c["check"], c["cell"], c["expected"], c["actual"], c["requests"]) for c in checks] == [
        ("D3", "litigation_direct:total", 0, 1, [ref])]


def test_carried_in_that_no_longer_matches_last_years_frozen_report_fails_d4(make_app: MakeApp) -> None:
    app = make_app(today=date(2026, 1, 12))
    ref = register(app, date(2025, 12, 29))
    complete_the_report(app, 2025)
    closing.close_year(app, 2025)
    tamper(app, ref, state="concluded", outcome="disclosed", concluded_on=date(2025, 12, 31))
    checks = report.build(app, 2026).checks
    assert [(c["check"], c["cell"], c["expected"], c["actual"]) for c in checks] == [
        ("D4", "carried_in:natural_person", 1, 0), ("D4", "carried_in:total", 1, 0)]
    again = closing.close_year(app, 2025)  # closing again recomputes: the freeze no longer holds
    assert again.already and [f["check"] for f in again.findings] == ["frozen"]


def test_every_cell_of_table_3_lists_exactly_the_requests_it_counts(make_app: MakeApp) -> None:
    app = make_app(today=date(2026, 1, 20))
    a = register(app, date(2024, 12, 30), "research")
    b = register(app, date(2025, 2, 10), "legal_services")
    c = register(app, date(2025, 12, 22))
    decide(app, a, date(2025, 1, 6), "unavailable.not_held")
    decide(app, b, date(2025, 3, 10), "partially_disclosed")
    expected = {("carried_in", "research"): [a], ("unavailable.not_held", "research"): [a],
                ("new", "legal_services"): [b], ("partially_disclosed", "legal_services"): [b],
                ("new", "natural_person"): [c], ("carried_out", "natural_person"): [c],
                ("total", "research"): [a], ("total", "legal_services"): [b]}
    r = report.build(app, 2025)
    for row, cells in r.table3.items():
        for column, value in cells.items():
            refs = [q["ref"] for q in report.cell(app, 2025, f"{row}:{column}")["requests"]]
            assert len(refs) == value, (row, column)
            if column != "total":
                assert refs == expected.get((row, column), []), (row, column)


@pytest.mark.parametrize(("text", "message"), [
    ("new", "不是 行:列 的形式"), ("novel:total", "'novel' 既不是表三的行"), ("new:citizen", "'citizen' 不是表三的列"),
    ("review:natural_person", "不是表四的列"),
])
def test_a_bad_cell_is_refused_with_the_codes_to_use(app: Gongkai, text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        report.cell(app, 2026, text)


def test_the_platform_report_adds_up_the_agencies_and_each_agency_sees_its_own(make_app: MakeApp) -> None:
    first, second = make_app(today=date(2026, 1, 20), agency="民政局"), make_app(today=date(2026, 1, 20), agency="财政局")
    register(first, date(2025, 4, 1))
    register(first, date(2025, 4, 2), "commercial")
    register(second, date(2025, 4, 3))
    assert report.build(first, 2025).table3["new"]["total"] == 2
    assert report.build(second, 2025).table3["new"]["total"] == 1
    platform = report.build(first, 2025, all_agencies=True)
    assert (platform.agency, platform.table3["new"]["natural_person"], platform.table3["new"]["total"]) == ("*", 2, 3)
    complete_the_report(first, 2025)
    closing.close_year(first, 2025, all_agencies=True)
    with pytest.raises(FrozenYear):  # a platform-wide closing freezes every agency's year
        register(second, date(2025, 12, 31))
    assert report.build(second, 2025).frozen is None  # but the agency's own report was not frozen


def test_fees_paid_in_the_year_are_stated_in_section_6(make_app: MakeApp) -> None:
    from workflow.reports import markdown as report_md

    app = make_app(today=date(2026, 1, 20))
    ref = register(app, date(2025, 11, 3))
    services.advance(app, Advance(ref, "notify-fee", date(2025, 11, 10), {"amount": "700", "pages": "100"}))
    services.advance(app, Advance(ref, "fee-paid", date(2025, 11, 17)))
    unpaid = register(app, date(2025, 11, 4))
    services.advance(app, Advance(unpaid, "notify-fee", date(2025, 11, 10), {"amount": "200"}))
    r = report.build(app, 2025)
    assert r.fees == {"requests": 1, "amount": "700.00"}
    assert "2025年，共对1件政府信息公开申请收取信息处理费，合计700.00元。" in report_md.markdown(r, "本机关")
    assert "2026年，无收取信息处理费情况。" in report_md.markdown(report.build(app, 2026), "本机关")


def test_an_agency_officer_sees_only_their_agencys_report_not_the_platforms(make_app: MakeApp) -> None:
    from workflow.usecases import agencies

    setup = make_app(today=date(2026, 1, 20))
    single = agencies.Identity("李明", "single", None)
    for code in ("民政局", "财政局"):
        agencies.add_agency(setup.engine, single, code, code)
    agencies.add_officer(setup.engine, single, "省平台", "民政局", "platform", None)
    agencies.add_officer(setup.engine, single, "王五", "财政局", "officer", None)
    platform = make_app(today=date(2026, 1, 20), officer="省平台")
    register(platform, date(2025, 5, 6), agency="民政局")
    register(platform, date(2025, 5, 7), agency="财政局")
    officer = make_app(today=date(2026, 1, 20), officer="王五")
    assert (report.build(officer, 2025).agency, report.build(officer, 2025).table3["new"]["total"]) == ("财政局", 1)
    with pytest.raises(InvalidInput, match="--all-agencies: 经办人 '王五' 只能查看机关 '财政局'"):
        report.build(officer, 2025, all_agencies=True)
    assert report.build(platform, 2025, all_agencies=True).table3["new"]["total"] == 2


def test_requests_per_month_are_counted_only_for_the_chart(make_app: MakeApp) -> None:
    app = make_app(today=date(2026, 1, 12))
    december = register(app, date(2025, 12, 29))
    decide(app, register(app, date(2025, 3, 3)), date(2025, 3, 20))
    decide(app, december, date(2026, 1, 5))  # received in the year, concluded in the next
    plain = report.build(app, 2025)
    assert (plain.received_by_month, plain.concluded_by_month) == (None, None)
    charted = report.build(app, 2025, months=True)
    assert charted.received_by_month == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert charted.concluded_by_month == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert charted.as_json() == plain.as_json()
