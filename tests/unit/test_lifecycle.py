"""The lifecycle table: what may happen when, and that history alone gives state and deadlines.

The replay of random histories against a real database is tests/integration/test_lifecycle.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rules.calendar import WorkCalendar
from workflow.domain.errors import IllegalAction, InvalidInput
from workflow.domain.lifecycle import Case, Context, Event
from workflow.domain.states import diagram

DOCS = Path(__file__).resolve().parents[2] / "docs" / "lifecycle.md"


def new_case(calendar: WorkCalendar, received: date = date(2026, 3, 2)) -> Case:
    return Case("2026-0001", Event("register", received), Context(calendar))


def test_the_documented_diagram_is_the_table() -> None:
    assert diagram() in DOCS.read_text(encoding="utf-8")


def test_a_correction_may_be_requested_only_once(calendar: WorkCalendar) -> None:
    c = new_case(calendar)
    c.apply(Event("request-correction", date(2026, 3, 3), {"period": 10}))
    c.apply(Event("receive-correction", date(2026, 3, 9)))
    with pytest.raises(IllegalAction, match="只能告知一次"):
        c.apply(Event("request-correction", date(2026, 3, 10), {"period": 10}))


def test_lapse_correction_waits_for_the_end_of_the_correction_period(calendar: WorkCalendar) -> None:
    c = new_case(calendar)
    c.apply(Event("request-correction", date(2026, 3, 3), {"period": 10}))  # runs until 03-17
    with pytest.raises(IllegalAction, match="补正期限至 2026-03-17，次日起"):
        c.apply(Event("lapse-correction", date(2026, 3, 17)))
    c.apply(Event("lapse-correction", date(2026, 3, 18)))
    assert (c.state, c.outcome) == ("concluded", "other.correction_lapsed")


def test_unclear_after_correction_needs_a_received_correction(calendar: WorkCalendar) -> None:
    c = new_case(calendar)
    with pytest.raises(IllegalAction, match="只能在收到补正后的申请之后作出"):
        c.apply(Event("decide", date(2026, 3, 5), {"outcome": "unavailable.unclear_after_correction"}))
    c.apply(Event("request-correction", date(2026, 3, 3), {"period": 10}))
    c.apply(Event("receive-correction", date(2026, 3, 9)))
    c.apply(Event("decide", date(2026, 3, 20), {"outcome": "unavailable.unclear_after_correction"}))
    assert c.outcome == "unavailable.unclear_after_correction"


def test_the_lapse_outcomes_come_from_their_own_actions(calendar: WorkCalendar) -> None:
    c = new_case(calendar)
    with pytest.raises(IllegalAction, match="由事项逾期未缴费（fee-lapsed）记录"):
        c.apply(Event("decide", date(2026, 3, 5), {"outcome": "other.fee_unpaid"}))


def test_an_extension_is_allowed_once(calendar: WorkCalendar) -> None:
    c = new_case(calendar)
    c.apply(Event("extend", date(2026, 3, 20), {"days": 10, "approved_by": "张主任"}))
    with pytest.raises(IllegalAction, match="答复期限只能延长一次") as e:
        c.apply(Event("extend", date(2026, 3, 23), {"days": 10, "approved_by": "张主任"}))
    assert "extend" not in e.value.allowed and "decide" in e.value.allowed


def test_a_concluded_request_allows_nothing(calendar: WorkCalendar) -> None:
    c = new_case(calendar)
    c.apply(Event("withdraw", date(2026, 3, 3)))
    with pytest.raises(IllegalAction, match=r"状态为已办结，现在不能作出答复（decide）。现在可以：无"):
        c.apply(Event("decide", date(2026, 3, 4), {"outcome": "disclosed"}))


def test_events_cannot_be_dated_before_the_last_one(calendar: WorkCalendar) -> None:
    c = new_case(calendar)
    with pytest.raises(InvalidInput, match="早于收到申请之日 2026-03-02"):
        c.apply(Event("decide", date(2026, 3, 1), {"outcome": "disclosed"}))


def test_fee_pending_waits_for_payment_or_lapse(calendar: WorkCalendar) -> None:
    c = new_case(calendar)
    c.apply(Event("notify-fee", date(2026, 3, 3), {"amount": "100.00"}))
    now = c.possible(date(2026, 3, 4))
    assert "fee-paid" in now and "withdraw" in now
    assert "fee-lapsed" not in now and "decide" not in now
    assert "fee-lapsed" in c.possible(date(2026, 4, 1))  # 20 working days after 03-03 is 03-31
