"""The law's guardrails: a step taken after its limit is refused, a pause ends when the other side's
own period ends, periods run from delivery, no decision while a consultee may still answer, and a
corrected application starts a fresh period.

Every request below was received on Monday 2026-03-02 unless said otherwise; its 20 working days
(03-03 … 03-30) end on 2026-03-30. Counted on the State Council's 2026 calendar: Qingming 04-04 … 04-06
off; Labour Day 05-01 … 05-05 off with Saturday 05-09 worked.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from rules.calendar import WorkCalendar
from rules.deadlines import Periods
from workflow.domain.errors import IllegalAction
from workflow.domain.lifecycle import Case, Context, Event

MARCH_2 = date(2026, 3, 2)


def case(calendar: WorkCalendar, *steps: tuple[str, date, dict[str, Any]], received: date = MARCH_2,
         periods: Periods | None = None) -> Case:
    c = Case("2026-0001", Event("register", received), Context(calendar, periods or Periods()))
    for action, on, payload in steps:
        c.apply(Event(action, on, payload))
    return c


def reply_due(c: Case) -> date:
    reply = c.schedule().reply
    assert reply is not None
    return reply.due


# -- steps with a time limit ------------------------------------------------------------------------

def test_an_extension_after_the_reply_deadline_is_refused_and_the_deadline_stays(calendar: WorkCalendar) -> None:
    c = case(calendar)
    with pytest.raises(IllegalAction, match=r"延长答复期限须在答复期限内经批准（条例第三十三条第二款）；"
                                            r"答复期限 2026-03-30 已过"):
        c.apply(Event("extend", date(2026, 4, 2), {"days": 20, "approved_by": "张主任"}))
    c.apply(Event("extend", date(2026, 3, 30), {"days": 20, "approved_by": "张主任"}))  # its last day is in time
    assert reply_due(c) == date(2026, 4, 28)  # 03-31 … 04-28: 20 working days, Qingming skipped


def test_a_delay_after_the_deadline_or_beyond_its_bound_is_refused(calendar: WorkCalendar) -> None:
    c = case(calendar)
    with pytest.raises(IllegalAction, match="答复期限 2026-03-30 已过"):
        c.apply(Event("delay", date(2026, 3, 31), {"until": "2026-05-29", "reason": "申请人原因"}))
    # 60 working days after the Art. 33 deadline 03-30 is 2026-06-26 (deadlines.delay_max).
    with pytest.raises(IllegalAction, match="最晚为条例第三十三条期限 2026-03-30 后 "
                                            "60 个工作日，即 2026-06-26"):
        c.apply(Event("delay", date(2026, 3, 20), {"until": "2026-06-29", "reason": "申请人原因"}))
    c.apply(Event("delay", date(2026, 3, 20), {"until": "2026-06-26", "reason": "申请人原因"}))
    assert reply_due(c) == date(2026, 6, 26)


def test_a_correction_notice_after_seven_working_days_is_refused(calendar: WorkCalendar) -> None:
    # 7 working days after 03-02: 03-03 … 03-11.
    c = case(calendar)
    with pytest.raises(IllegalAction, match=r"收到申请之日起 7 个工作日内一次性告知（条例第三十条）；该时限 "
                                            r"2026-03-11 已过"):
        c.apply(Event("request-correction", date(2026, 3, 12), {"period": 10}))
    c.apply(Event("request-correction", date(2026, 3, 11), {"period": 10}))


def test_the_other_reading_lets_a_late_correction_notice_restart_the_clock_within_the_reply_period(
        calendar: WorkCalendar) -> None:
    restarts = Periods(late_correction_restarts=True)
    c = case(calendar, ("request-correction", date(2026, 3, 12), {"period": 10}), periods=restarts)
    c.apply(Event("receive-correction", date(2026, 3, 16)))
    assert reply_due(c) == date(2026, 4, 14)  # 03-17 … 04-14, Qingming skipped
    late = case(calendar, periods=restarts)
    with pytest.raises(IllegalAction, match="该时限 2026-03-11 已过"):  # after the reply deadline: never
        late.apply(Event("request-correction", date(2026, 3, 31), {"period": 10}))


def test_a_fee_notice_after_the_reply_deadline_is_refused(calendar: WorkCalendar) -> None:
    c = case(calendar)
    with pytest.raises(IllegalAction, match=r"收费通知须在答复期限内发出.*答复期限 2026-03-30 已过"):
        c.apply(Event("notify-fee", date(2026, 3, 31), {"amount": "100.00", "pages": "30"}))


def test_a_step_kept_as_recorded_late_moves_no_deadline(calendar: WorkCalendar) -> None:
    c = case(calendar, ("extend", date(2026, 4, 2), {"days": 20, "approved_by": "张主任", "recorded_late": True}),
             ("decide", date(2026, 4, 20), {"outcome": "disclosed"}))
    schedule = c.schedule()
    assert (reply_due(c), schedule.late, schedule.extension_days) == (date(2026, 3, 30), True, 0)


# -- pauses end with the other side's period ----------------------------------------------------------

def test_a_consultation_pauses_the_clock_only_for_the_consultees_fifteen_days(calendar: WorkCalendar) -> None:
    # Letter 03-03; the third party's 15 working days run 03-04 … 03-24. The reply recorded on 05-20
    # pauses nothing more: one working day before the pause (03-03), nineteen after it (03-25 … 04-21).
    c = case(calendar, ("consult", date(2026, 3, 3), {"party": "third-party"}),
             ("consult-reply", date(2026, 5, 20), {}))
    assert reply_due(c) == date(2026, 4, 21)
    assert "征求意见2026-03-03至2026-03-24期间15个工作日不计算在内" in (c.schedule().reply or c).explanation  # type: ignore[union-attr]


def test_an_unpaid_fee_pauses_the_clock_only_for_its_twenty_days(calendar: WorkCalendar) -> None:
    # Notice 03-03; 20 working days to pay: 03-04 … 03-31. Paid 05-20: one working day before the pause,
    # nineteen after it: 04-01 … 04-28.
    c = case(calendar, ("notify-fee", date(2026, 3, 3), {"amount": "100.00", "pages": "30"}),
             ("fee-paid", date(2026, 5, 20), {}))
    assert reply_due(c) == date(2026, 4, 28)


def test_an_unanswered_consultation_stops_pausing_when_its_period_ends(calendar: WorkCalendar) -> None:
    c = case(calendar, ("consult", date(2026, 3, 3), {"party": "third-party"}))
    assert c.schedule(as_of=date(2026, 3, 20)).paused_now
    assert not c.schedule(as_of=date(2026, 3, 25)).paused_now
    assert c.schedule(as_of=date(2026, 5, 20)).reply.due == date(2026, 4, 21)  # type: ignore[union-attr]


# -- periods run from delivery ---------------------------------------------------------------------

def test_the_fee_lapses_twenty_working_days_after_the_notice_was_delivered(calendar: WorkCalendar) -> None:
    # Received 04-01; notice posted 04-08, signed for 04-13. 20 working days from 04-13: 04-14 … 04-30
    # (13), 05-06 … 05-09 (17, Saturday 05-09 worked), 05-11 … 05-13 (20).
    c = case(calendar, ("notify-fee", date(2026, 4, 8), {"amount": "700.00", "pages": "100"}),
             received=date(2026, 4, 1))
    c.apply(Event("delivered", date(2026, 4, 13), {}))
    for refused in (date(2026, 5, 11), date(2026, 5, 13)):
        with pytest.raises(IllegalAction, match="缴费期限至 2026-05-13"):
            c.apply(Event("fee-lapsed", refused))
    c.apply(Event("fee-lapsed", date(2026, 5, 14)))
    assert c.outcome == "other.fee_unpaid"


def test_a_delivery_date_given_with_the_letter_counts_the_same(calendar: WorkCalendar) -> None:
    c = case(calendar, ("notify-fee", date(2026, 4, 8), {"amount": "700.00", "pages": "100",
                                                         "delivered_on": "2026-04-13"}), received=date(2026, 4, 1))
    fee = next(d for d in c.schedule().deadlines if d.kind == "fee_payment")
    assert (fee.due, fee.day0) == (date(2026, 5, 13), date(2026, 4, 13))
    assert "（2026-04-13送达）" in fee.explanation


def test_without_a_delivery_date_the_sending_date_is_assumed_and_said(calendar: WorkCalendar) -> None:
    c = case(calendar, ("consult", date(2026, 3, 3), {"party": "third-party"}))
    consultation = next(d for d in c.schedule().deadlines if d.kind == "consultation")
    assert consultation.due == date(2026, 3, 24)
    assert "送达日期未登记，按发出日2026-03-03计算" in consultation.explanation


def test_a_delivery_cannot_precede_its_letter_nor_be_recorded_without_one(calendar: WorkCalendar) -> None:
    c = case(calendar, ("consult", date(2026, 3, 3), {"party": "third-party"}))
    with pytest.raises(IllegalAction, match="现在不能送达"):
        case(calendar).apply(Event("delivered", date(2026, 3, 3)))
    c.apply(Event("delivered", date(2026, 3, 5)))
    with pytest.raises(IllegalAction, match="没有等待送达的"):  # that letter's delivery is recorded
        c.apply(Event("delivered", date(2026, 3, 6)))


# -- no decision while a consultee may still answer ----------------------------------------------------

def test_a_decision_waits_for_the_consultees_answer_or_the_end_of_its_period(calendar: WorkCalendar) -> None:
    c = case(calendar, ("consult", date(2026, 3, 3), {"party": "third-party"}))
    with pytest.raises(IllegalAction, match=r"答复期限至 2026-03-24.*或自 2026-03-25 起作出答复"):
        c.apply(Event("decide", date(2026, 3, 5), {"outcome": "disclosed"}))
    answered = case(calendar, ("consult", date(2026, 3, 3), {"party": "third-party"}),
                    ("consult-reply", date(2026, 3, 5), {}))
    answered.apply(Event("decide", date(2026, 3, 5), {"outcome": "disclosed"}))
    c.apply(Event("decide", date(2026, 3, 25), {"outcome": "disclosed"}))


# -- a corrected application starts a fresh period -----------------------------------------------------

def test_a_restart_gives_a_fresh_period_without_the_old_extension(calendar: WorkCalendar) -> None:
    # Extension 03-05, correction 03-06, corrected 03-12: 20 working days from 03-12 end on 04-10
    # (03-13 … 04-03 is 16, Qingming skipped, 04-07 … 04-10).
    c = case(calendar, ("extend", date(2026, 3, 5), {"days": 20, "approved_by": "张主任"}),
             ("request-correction", date(2026, 3, 6), {"period": 10}), ("receive-correction", date(2026, 3, 12), {}))
    assert (reply_due(c), c.schedule().extension_days) == (date(2026, 4, 10), 0)
    c.apply(Event("extend", date(2026, 4, 10), {"days": 10, "approved_by": "张主任"}))  # a new one, in the new period
    assert reply_due(c) == date(2026, 4, 24)
