"""平潭综合实验区 2022 (spec §5): the published tables 三 and 四, reproduced from requests and appeals.

The requests are built through the services an officer's commands use, with real 2021–2022 dates:
74 received in 2022 (71 from natural persons, 3 from companies) and one received on 2021-12-27 and
decided on 2022-01-10 (the 二、上年结转 of 2022 and the 四 of 2021). Every request is concluded by
the end of 2022, so 四、结转下年度继续办理 is 0. Two administrative reviews (one corrected, one other
result) and one lawsuit without review (upheld) were filed and decided in 2022.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest

from rules.calendar import WorkCalendar
from tests.conftest import SPEC, complete_the_report
from workflow.app import Gongkai
from workflow.domain.commands import Advance, Register
from workflow.reports import compute as report
from workflow.usecases import appeals, closing
from workflow.usecases import requests as services

AGENCY = "平潭综合实验区"
CLOSING_DAY = date(2023, 1, 20)

# (applicant type, how it ends, how many) for the 74 requests received in 2022.
NEW_2022 = [
    ("natural_person", "disclosed", 20),
    ("natural_person", "partially_disclosed", 8),
    ("natural_person", "withheld.internal_affairs", 1),
    ("natural_person", "withheld.process_information", 2),
    ("natural_person", "withheld.enforcement_file", 1),
    ("natural_person", "unavailable.not_held", 37),
    ("natural_person", "other.correction_lapsed", 2),
    ("commercial", "partially_disclosed", 1),
    ("commercial", "other.other", 2),
]


def _register(app: Gongkai, on: date, kind: str, n: int) -> str:
    return services.register(app, Register(
        received_on=on, channel="online", applicant_name="申请人" if kind == "natural_person" else "某公司",
        applicant_type=kind, subject=f"政府信息 {n}"))


def _conclude(app: Gongkai, cal: WorkCalendar, ref: str, received: date, outcome: str) -> None:
    def on(n: int) -> date:
        return cal.add(received, n).date

    if outcome == "other.correction_lapsed":
        services.advance(app, Advance(ref, "request-correction", on(2), {"period": "5"}))
        services.advance(app, Advance(ref, "lapse-correction", on(8)))
    elif outcome == "other.other":
        services.advance(app, Advance(ref, "withdraw", on(1), {"reason": "申请人撤回"}))
    else:
        services.advance(app, Advance(ref, "decide", on(5), {"outcome": outcome}))


def build_pingtan(app: Gongkai, cal: WorkCalendar) -> dict[str, str]:
    """The 2021–2022 history; returns a few references the tests look at."""
    carried = _register(app, date(2021, 12, 27), "natural_person", 0)
    services.advance(app, Advance(carried, "decide", date(2022, 1, 10), {"outcome": "disclosed"}))
    received = date(2022, 1, 4)
    refs = []
    n = 0
    for kind, outcome, count in NEW_2022:
        for _ in range(count):
            n += 1
            ref = _register(app, received, kind, n)
            _conclude(app, cal, ref, received, outcome)
            refs.append(ref)
            received = cal.add(received, 3).date
    assert received < date(2022, 12, 1)
    review_1 = appeals.file(app, refs[3], "review", date(2022, 4, 11))
    review_2 = appeals.file(app, refs[40], "行政复议", date(2022, 8, 1))
    lawsuit = appeals.file(app, refs[10], "litigation_direct", date(2022, 6, 6))
    appeals.conclude(app, review_1, "corrected", date(2022, 6, 2))
    appeals.conclude(app, review_2, "其他结果", date(2022, 9, 23))
    appeals.conclude(app, lawsuit, "upheld", date(2022, 11, 15))
    return {"carried": carried, "first": refs[0], "lapsed": refs[69]}


@pytest.fixture
def pingtan(make_app: Callable[..., Gongkai], calendar: WorkCalendar) -> tuple[Gongkai, dict[str, str]]:
    app = make_app(today=CLOSING_DAY, agency=AGENCY)
    return app, build_pingtan(app, calendar)


def test_the_2022_report_equals_the_published_pingtan_tables(pingtan: tuple[Gongkai, dict[str, str]]) -> None:
    app, _ = pingtan
    expected = json.loads((SPEC / "examples" / "pingtan-2022.json").read_text(encoding="utf-8"))
    got = report.build(app, 2022).as_json()
    assert (got["year"], got["agency"]) == (expected["year"], expected["agency"])
    assert got["table3"] == expected["table3"]
    assert got["table4"] == expected["table4"]
    assert got["checks"] == []


def test_every_pingtan_cell_lists_as_many_requests_or_appeals_as_it_counts(
        pingtan: tuple[Gongkai, dict[str, str]]) -> None:
    app, refs = pingtan
    r = report.build(app, 2022)
    for row, cells in r.table3.items():
        for column, value in cells.items():
            assert len(report.cell(app, 2022, f"{row}:{column}")["requests"]) == value, (row, column)
    for block, cells in r.table4.items():
        for column, value in cells.items():
            assert len(report.cell(app, 2022, f"{block}:{column}")["appeals"]) == value, (block, column)
    lapsed = report.cell(app, 2022, "other.correction_lapsed:natural_person")["requests"]
    assert refs["lapsed"] in [q["ref"] for q in lapsed]


def test_the_carried_in_request_is_2021s_carried_out_and_the_2022_closing_checks_it(
        pingtan: tuple[Gongkai, dict[str, str]]) -> None:
    app, refs = pingtan
    r2021 = report.build(app, 2021)
    assert (r2021.table3["new"]["total"], r2021.table3["carried_out"]["natural_person"]) == (1, 1)
    complete_the_report(app, 2021)
    complete_the_report(app, 2022)
    assert closing.close_year(app, 2021).closed
    closed = closing.close_year(app, 2022)
    assert closed.closed and closed.findings == []
    frozen = report.build(app, 2022)
    assert frozen.frozen is not None and closing.checksum(frozen.json_text()) == closed.checksum
    assert [q["ref"] for q in report.cell(app, 2022, "carried_in:total")["requests"]] == [refs["carried"]]
