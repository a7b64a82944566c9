"""Steps the law gives a time limit, and the one limit on deciding: checks of a dated step against the
request's schedule as it stood before the step.

A step taken after its limit must not move a deadline after the fact, or an overdue request would
vanish from ``due``, the alerts and the late flag. So an officer recording such a step is refused,
with the limit and the day it passed; a past history brought in by an import keeps the step, marked
recorded-late (``rules.deadlines.RECORDED_LATE``), and it moves nothing.

=======================  ==============================================  ==========================
step                     limit                                           anchor
=======================  ==============================================  ==========================
extension                within the reply period                         条例第三十三条第二款
delay                    within the reply period, to a date after the    条例第三十五条 (the bound
                         deadline and at most ``delay_max`` working      is a setting: the law
                         days (default 60) after the Art. 33 deadline    names none)
correction notice        within 7 working days of receipt                条例第三十条
fee notice               within the reply period                         国办函〔2020〕109号
decision                 not while a consultation runs: the consultee    条例第三十二条、第三十四条
                         has its period to answer
=======================  ==============================================  ==========================

Example: received Monday 2026-03-02, the reply is due 2026-03-30. ``extend`` on 2026-04-02 is refused
("the reply deadline 2026-03-30 has passed"); imported, it stays in the history and the reply is
still due 2026-03-30, and late.

A correction notice after its 7 working days but within the reply period is refused too by default:
the reading that keeps the earlier deadline (``late_correction_restarts = false``). An office whose
superiors read Art. 30 as letting a late notice restart the clock sets it to true; a notice after
the reply deadline is refused either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from rules import actions as a
from rules import deadline_kinds as k
from rules.calendar import WorkCalendar
from rules.deadlines import Deadline, Periods, Schedule


def late_step(action: str, on: date, payload: Mapping[str, Any], sched: Schedule, received_on: date,
              cal: WorkCalendar, periods: Periods) -> str:
    """Why ``action`` on ``on`` comes after its limit ('' if it does not, or has no limit)."""
    reply = sched.reply
    passed = reply is not None and on > reply.due
    if action == a.EXTEND and passed:
        assert reply is not None
        return (f"延长答复期限须在答复期限内经批准（条例第三十三条第二款）；"
                f"答复期限 {reply.due.isoformat()} 已过")
    if action == a.DELAY:
        return _late_delay(on, payload, sched, cal, periods)
    if action == a.NOTIFY_FEE and passed:
        assert reply is not None
        return (f"收费通知须在答复期限内发出（国办函〔2020〕109号）；"
                f"答复期限 {reply.due.isoformat()} 已过")
    if action == a.REQUEST_CORRECTION:
        limit = cal.add(received_on, periods.correction_notice).date
        if on > limit and (passed or not periods.late_correction_restarts):
            return (f"补正须在收到申请之日起 {periods.correction_notice} 个工作日内一次性告知"
                    f"（条例第三十条）；该时限 {limit.isoformat()} 已过")
    return ""


def _late_delay(on: date, payload: Mapping[str, Any], sched: Schedule, cal: WorkCalendar,
                periods: Periods) -> str:
    reply = sched.reply
    if reply is None or sched.statutory_due is None:
        return ""
    if on > reply.due:
        return (f"延迟答复须在答复期限内决定（条例第三十五条）；答复期限 "
                f"{reply.due.isoformat()} 已过")
    until = payload.get("until")
    bound = delay_bound(sched, cal, periods)
    if until is not None and bound is not None and date.fromisoformat(str(until)) > bound:
        return (f"延迟后的答复日期最晚为条例第三十三条期限 {sched.statutory_due.isoformat()} 后 "
                f"{periods.delay_max} 个工作日，即 {bound.isoformat()}"
                f"（设置项 deadlines.delay_max）")
    return ""


def delay_bound(sched: Schedule, cal: WorkCalendar, periods: Periods) -> date | None:
    """The latest reply date a delay may set: ``delay_max`` working days after the Art. 33 deadline."""
    if sched.statutory_due is None:
        return None
    return cal.add(sched.statutory_due, periods.delay_max).date


def consultation_running(sched: Schedule, on: date) -> Deadline | None:
    """An open consultation whose period to answer has not ended on ``on``: no decision until its
    answer is recorded or its period ends (条例第三十二条: the third party may object; Art. 34 the same
    for another agency), so that a decision never forestalls an objection the law allows."""
    running = [d for d in sched.deadlines if d.kind == k.CONSULTATION and d.open and on <= d.due]
    return min(running, key=lambda d: d.due, default=None)
