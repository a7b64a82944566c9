"""Deadlines as the regulation counts them, from short literal histories worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from rules.calendar import WorkCalendar
from rules.deadlines import DatedEvent as E
from rules.deadlines import Periods, reply_dues, schedule


def due(sched, kind: str, key: str = "") -> date:  # type: ignore[no-untyped-def]
    return next(d.due for d in sched.deadlines if d.kind == kind and (not key or d.key == key))


def test_reply_is_due_twenty_working_days_after_receipt(calendar: WorkCalendar) -> None:
    s = schedule(date(2026, 2, 10), [], calendar)
    assert s.reply is not None and s.reply.due == date(2026, 3, 16)
    assert due(s, "correction_notice") == date(2026, 2, 26)  # 02-11, 12, 13, 14 (Sat 上班), 24, 25, 26


def test_the_reply_clock_restarts_when_the_corrected_application_arrives(calendar: WorkCalendar) -> None:
    s = schedule(date(2026, 3, 2), [
        E("request-correction", date(2026, 3, 5), {"period": 15}),
        E("receive-correction", date(2026, 3, 12)),
    ], calendar)
    # 20 working days from 03-12; Qingming 04-04 … 04-06 is skipped.
    assert s.reply is not None and s.reply.due == date(2026, 4, 10)
    assert s.clock_start == date(2026, 3, 12)
    assert due(s, "correction_period") == date(2026, 3, 26)


def test_no_reply_is_due_while_the_office_waits_for_a_correction(calendar: WorkCalendar) -> None:
    s = schedule(date(2026, 3, 2), [E("request-correction", date(2026, 3, 5), {"period": 10})], calendar)
    assert s.reply is None
    assert due(s, "correction_period") == date(2026, 3, 19)


def test_clock_pauses_while_a_third_party_is_consulted_across_national_day(calendar: WorkCalendar) -> None:
    s = schedule(date(2026, 9, 21), [
        E("consult", date(2026, 9, 24), {"party": "third-party"}),
        E("consult-reply", date(2026, 10, 13)),
    ], calendar)
    # Paused: 09-28, 09-29, 09-30, 10-08, 10-09, 10-10 (Sat 上班), 10-12, 10-13.
    assert s.paused_days == 8
    assert s.reply is not None and s.reply.due == date(2026, 11, 5)
    assert due(s, "consultation") == date(2026, 10, 22)


def test_overlapping_consultations_pause_the_clock_once(calendar: WorkCalendar) -> None:
    s = schedule(date(2026, 3, 2), [
        E("consult", date(2026, 3, 3), {"party": "third-party"}),
        E("consult", date(2026, 3, 5), {"party": "agency"}),
        E("consult-reply", date(2026, 3, 10), {"consultation": "1"}),
        E("consult-reply", date(2026, 3, 13), {"consultation": "2"}),
    ], calendar)
    assert s.paused_days == 8  # (03-03, 03-13]: 03-04 … 03-06 and 03-09 … 03-13
    assert s.reply is not None and s.reply.due == date(2026, 4, 10)


@pytest.mark.parametrize(("party", "label"), [
    ("third-party", "15个工作日内第三方提出意见（条例第三十二条）"),
    ("agency", "15个工作日内共同制作机关提出意见（条例第三十四条）"),
    ("authority", "15个工作日内主管部门或者保密行政管理部门答复（条例第十七条第三款未规定期限，按本机关设定的期限 "
                  "deadlines.consultation）"),
    ("coordination", "15个工作日内有关机关答复（条例第十一条第二款未规定期限，按本机关设定的期限 deadlines.consultation）"),
])
def test_a_consultations_deadline_names_the_article_it_rests_on_or_says_the_law_sets_none(
        calendar: WorkCalendar, party: str, label: str) -> None:
    # Arts. 32 and 34: 「应当自收到征求意见书之日起15个工作日内提出意见」; Arts. 17 ¶3 and 11 ¶2 set no period.
    s = schedule(date(2026, 3, 2), [E("consult", date(2026, 3, 4), {"party": party})], calendar)
    consultation = next(d for d in s.deadlines if d.kind == "consultation")
    assert label in consultation.explanation and consultation.due == date(2026, 3, 25)


def test_an_open_consultation_pauses_the_clock_through_today(calendar: WorkCalendar) -> None:
    s = schedule(date(2026, 3, 2), [E("consult", date(2026, 3, 3))], calendar, as_of=date(2026, 3, 10))
    assert s.paused_now
    assert s.paused_days == 5  # 03-04 … 03-06, 03-09, 03-10
    assert s.reply is not None and s.reply.due == date(2026, 4, 7)  # 03-30 + 5 working days, Qingming skipped


def test_an_extension_adds_up_to_twenty_working_days(calendar: WorkCalendar) -> None:
    s = schedule(date(2026, 4, 20), [E("extend", date(2026, 5, 15), {"days": 20, "approved_by": "张主任"})], calendar)
    # 05-20 unextended (Labour Day off, 05-09 Saturday worked), then 20 more: 06-17.
    assert s.reply is not None and s.reply.due == date(2026, 6, 17)
    assert s.extension_days == 20 and "延长20个工作日" in s.reply.explanation


@pytest.mark.parametrize(("fee_pauses", "reply_due"), [(True, date(2026, 7, 7)), (False, date(2026, 6, 30))])
def test_an_unpaid_fee_pauses_the_clock_only_if_the_setting_says_so(
    calendar: WorkCalendar, fee_pauses: bool, reply_due: date
) -> None:
    s = schedule(date(2026, 6, 1), [
        E("notify-fee", date(2026, 6, 5), {"amount": "700.00"}),
        E("fee-paid", date(2026, 6, 12)),
    ], calendar, Periods(fee_pauses_reply=fee_pauses))
    assert s.reply is not None and s.reply.due == reply_due
    assert due(s, "fee_payment") == date(2026, 7, 6)  # 20 working days from the day after the notice


def test_a_delayed_reply_date_set_by_the_office_replaces_the_deadline(calendar: WorkCalendar) -> None:
    s = schedule(date(2026, 3, 2), [
        E("delay", date(2026, 3, 20), {"until": "2026-05-29", "reason": "申请数量明显超过合理范围"}),
    ], calendar)
    assert s.reply is not None and s.reply.due == date(2026, 5, 29)
    assert "条例第三十五条" in s.reply.explanation


def test_a_reply_after_its_deadline_is_recorded_and_marked_late(calendar: WorkCalendar) -> None:
    s = schedule(date(2026, 2, 10), [E("decide", date(2026, 3, 17), {"outcome": "disclosed"})], calendar)
    assert s.concluded_on == date(2026, 3, 17)
    assert s.late and s.reply is not None and s.reply.late


def test_a_deadline_into_2027_is_provisional(calendar: WorkCalendar) -> None:
    if calendar.status(2027) == "official":
        pytest.skip("the installed chinesecalendar already has 2027")
    s = schedule(date(2026, 12, 15), [], calendar)
    assert s.reply is not None and s.reply.provisional and s.reply.due == date(2027, 1, 13)


def test_many_reply_deadlines_at_once_agree_with_one_by_one(calendar: WorkCalendar) -> None:
    requests = [
        (date(2026, 2, 10), []),
        (date(2026, 2, 10), [E("decide", date(2026, 3, 1), {"outcome": "disclosed"})]),
        (date(2026, 9, 21), [E("consult", date(2026, 9, 24)), E("consult-reply", date(2026, 10, 13))]),
        (date(2026, 3, 2), [E("request-correction", date(2026, 3, 5), {"period": 10})]),
        (date(2026, 12, 15), []),
    ]
    dues = reply_dues(requests, calendar)
    assert [d.date if d else None for d in dues] == [
        date(2026, 3, 16), date(2026, 3, 16), date(2026, 11, 5), None, date(2027, 1, 13)]
    assert [d.provisional if d else None for d in dues] == [False, False, False, None,
                                                            calendar.status(2027) == "provisional"]
    for (received, events), due in zip(requests, dues, strict=True):
        reply = schedule(received, events, calendar).reply
        assert (reply.due if reply else None) == (due.date if due else None)
