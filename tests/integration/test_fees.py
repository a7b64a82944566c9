"""The information-processing fee (国办函〔2020〕109号): the monthly count over the requests, the fee command.

The tiers themselves are tested in tests/unit/test_fees.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.database import Cli
from workflow.app import Gongkai
from workflow.domain.commands import Advance, Register
from workflow.usecases import fees as fee_service
from workflow.usecases.requests import advance, register


def _register(app: Gongkai, on: date, applicant: str = "张三", id_number: str | None = None) -> str:
    return register(app, Register(received_on=on, channel="online", applicant_name=applicant,
                                  applicant_type="natural_person", subject="某项目审批文件", id_number=id_number))


def test_items_accumulate_over_one_applicants_requests_of_the_calendar_month(app: Gongkai) -> None:
    first = _register(app, date(2026, 3, 2))
    # The first request was split into 12 items (一事一申请): items 1-12 of March, 2 × 100 yuan.
    advance(app, Advance(first, "notify-fee", date(2026, 3, 4), {"amount": "200", "items": "12"}))
    second = _register(app, date(2026, 3, 9))
    _register(app, date(2026, 3, 9), applicant="李四")  # someone else: not counted
    later = _register(app, date(2026, 3, 20))  # filed after the second: not counted for it
    april = _register(app, date(2026, 4, 1))  # a new month starts from 1

    quoted = fee_service.quote(app, second, items=3)
    assert (quoted["counted_before"], quoted["first"], quoted["last"], quoted["total"]) == (12, 13, 15, 300)
    assert quoted["month"] == "2026-03"
    assert fee_service.quote(app, later, items=1)["counted_before"] == 13  # 12 + the second, as one item
    assert fee_service.quote(app, april, items=10)["total"] == 0


def test_two_applicants_of_the_same_name_are_told_apart_by_id_number(app: Gongkai) -> None:
    _register(app, date(2026, 3, 2), id_number="11010519491231002X")
    other = _register(app, date(2026, 3, 3), id_number="110101199003070011")
    same_name_no_id = _register(app, date(2026, 3, 4))
    assert fee_service.quote(app, other, items=1)["counted_before"] == 0
    assert fee_service.quote(app, same_name_no_id, items=1)["counted_before"] == 2


def test_fees_paid_in_a_year_are_counted_for_the_annual_report(make_app: Callable[..., Gongkai]) -> None:
    app = make_app(today=date(2026, 11, 25))
    paid = _register(app, date(2026, 3, 2))
    advance(app, Advance(paid, "notify-fee", date(2026, 3, 3), {"amount": "700", "pages": "100"}))
    advance(app, Advance(paid, "fee-paid", date(2026, 3, 10)))
    unpaid = _register(app, date(2026, 3, 2))
    advance(app, Advance(unpaid, "notify-fee", date(2026, 3, 3), {"amount": "100", "items": "11"}))
    paid_too = _register(app, date(2026, 5, 6))
    advance(app, Advance(paid_too, "notify-fee", date(2026, 5, 7), {"amount": "54700"}))
    advance(app, Advance(paid_too, "fee-paid", date(2026, 5, 8)))
    assert fee_service.fees_paid(app, 2026) == (2, Decimal("55400"))
    assert fee_service.fees_paid(app, 2025) == (0, Decimal(0))


def registered(cli: Cli) -> str:
    return cli.json("register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "张三",
                    "--applicant-type", "natural_person", "--subject", "某项目审批文件")["ref"]  # type: ignore[index]


def test_the_fee_command_shows_the_tiers_and_changes_nothing(cli: Cli) -> None:
    ref = registered(cli)
    before = cli.dump()
    quoted = cli.json("fee", ref, "--pages", "2219")
    assert isinstance(quoted, dict)
    assert (quoted["method"], quoted["total"]) == ("pages", 83_460)
    assert [ln["rate"] for ln in quoted["lines"]] == [0, 10, 20, 40]
    assert "第五条" in quoted["basis"]
    assert "83460" in cli("fee", ref, "--pages", "2219").stdout
    assert cli.dump() == before


@pytest.mark.parametrize(("args", "message"), [
    (["--pages", "10", "--items", "2"], "须给出 --pages N 或 --items N 之一"),
    ([], "须给出 --pages N 或 --items N 之一"),
    (["--pages", "0"], "0 超出范围"),
    (["--pages", "10", "--on", "2026-03-03"], "--on: 只能与 --notify 一起使用"),
    (["--pages", "10", "--notify", "--on", "2026-03-03"], "不收费"),
])
def test_bad_fee_requests_are_one_line_and_change_nothing(cli: Cli, args: list[str], message: str) -> None:
    ref = registered(cli)
    before = cli.dump()
    result = cli("fee", ref, *args, ok=False)
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.output
    assert cli.dump() == before


def test_notify_records_the_computed_amount_and_writes_the_fee_notice(office: Path, cli: Cli, tmp_path: Path) -> None:
    ref = registered(cli)
    out = tmp_path / "收费通知书.docx"
    done = cli.json("fee", ref, "--pages", "1500", "--notify", "--on", "2026-03-03", "--notice", str(out))
    assert isinstance(done, dict) and done["notice"]["dates"]["fee_due"] == "2026-03-31"  # type: ignore[index]
    shown = cli.json("show", ref)
    assert isinstance(shown, dict)
    fee_event, notice_event = shown["events"][-2:]
    assert fee_event["action"] == "notify-fee" and fee_event["payload"]["amount"] == "54700.00"
    assert fee_event["payload"]["pages"] == 1500
    assert notice_event["action"] == "notice" and notice_event["payload"]["file"] == str(out)
    assert shown["state"] == "fee_pending" and out.exists()
