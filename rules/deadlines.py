"""Every statutory deadline of a request, as a pure function of its dated history.

Counting (spec §4.1, 民法典 Art. 201): day 0 is the trigger date and is never counted; a period of
N working days ends on the N-th working day strictly after day 0.

=========================  ======================================  ==========================
deadline                   day 0 and length                        anchor
=========================  ======================================  ==========================
correction notice          receipt, 7 WD                           条例 Art. 30
applicant's correction     the correction notice, N WD (officer)   Art. 30 (default: setting)
reply                      receipt or corrected application, 20    Art. 33 ¶2, Art. 30
                           WD, + extension (≤ 20 WD, once), with
                           paused days not counted
consultation reply         the letter, 15 WD (Arts. 17 ¶3, 11 ¶2:  Art. 32, Art. 34
                           no period in law, the office's setting)
fee payment                the fee notice, 20 WD                   国办函〔2020〕109号
delayed reply              a date the office sets                  Art. 35
=========================  ======================================  ==========================

Pauses (Art. 33 ¶3): while a third party or another agency is consulted, the working days from the
day after the letter through the day the reply arrives are not counted; overlapping consultations
pause once. Whether an unpaid fee notice pauses the reply clock is a setting (the regulation and the
readable part of 109号 are silent). A pause still open is counted through ``as_of``.

Worked example: received 2026-09-21 (Mon), consultation letter 2026-09-24 (Thu), the third
party's reply received 2026-10-13. Unpaused, the reply fell due on 2026-10-26 (09-20 and 10-10 are
make-up days, 09-25 and 10-01 … 10-07 holidays). The paused working days are 09-28, 09-29, 09-30,
10-08, 10-09, 10-10, 10-12, 10-13 = 8, so the reply now falls due on 2026-11-05: three working days
before the pause (09-22 … 09-24) and seventeen after it (10-14 … 11-05).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rules import actions as a
from rules import deadline_kinds as k
from rules.calendar import Shifted, WorkCalendar
from rules.letters import PARTIES
from rules.pauses import Pause, count_with_pauses


@dataclass(frozen=True)
class Periods:
    """Lengths in working days, and the policy choices the regulation leaves open."""

    reply: int = 20
    correction_notice: int = 7
    correction_default: int = 15
    consultation: int = 15
    extension_max: int = 20
    fee_payment: int = 20
    fee_pauses_reply: bool = True
    delay_max: int = 60  # Art. 35: working days a delay may reach past the Art. 33 deadline (a setting)
    late_correction_restarts: bool = False  # see ``late_step``


@dataclass(frozen=True)
class DatedEvent:
    """What the deadline rules need of an event: its action, its date and its payload."""

    action: str
    on: date
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Deadline:
    kind: str
    due: date
    provisional: bool
    day0: date
    length: int | None  # working days, None for a date the office set
    explanation: str
    closed_on: date | None = None  # the day it was met (or stopped mattering)
    key: str = ""  # distinguishes several deadlines of one kind (consultations)

    @property
    def open(self) -> bool:
        return self.closed_on is None

    @property
    def late(self) -> bool:
        return self.closed_on is not None and self.closed_on > self.due

    def overdue(self, today: date) -> bool:
        return self.open and today > self.due


@dataclass(frozen=True)
class Schedule:
    """All deadlines of one request, with what the reply clock is made of."""

    deadlines: tuple[Deadline, ...]
    reply: Deadline | None
    clock_start: date | None
    paused_days: int
    pauses: tuple[Pause, ...]
    extension_days: int
    paused_now: bool
    concluded_on: date | None
    statutory_due: date | None = None  # the Art. 33 deadline, before any Art. 35 delay

    @property
    def provisional(self) -> bool:
        return any(d.provisional for d in self.deadlines if d.open or d.kind == k.REPLY)

    def open_deadlines(self) -> list[Deadline]:
        return [d for d in self.deadlines if d.open]

    @property
    def late(self) -> bool:
        return self.reply is not None and self.reply.late


def _wd(n: int) -> str:
    return f"{n}个工作日"


@dataclass
class _History:
    """What the dated events say, before any day is counted."""

    clock_start: date | None
    correction_notice_met: date | None = None
    correction: tuple[date, int, date | None] | None = None  # sent, period, closed
    consultations: dict[str, tuple[date, str, date | None]] = field(default_factory=dict)  # sent, party, replied
    fee: tuple[date, date | None] | None = None  # notified, settled
    # When each letter reached the other side ("correction", "fee", "consultation N"); absent: assumed
    # to be the day it was sent, and every explanation says so.
    delivered: dict[str, date] = field(default_factory=dict)
    extension: int = 0
    delayed: tuple[date, date, str] | None = None  # decided on, until, reason
    concluded_on: date | None = None


RECORDED_LATE = "recorded_late"  # payload flag of a step an import kept although taken after its limit


def _read(received_on: date, events: Sequence[DatedEvent], periods: Periods) -> _History:
    h = _History(received_on)
    for e in events:
        act = e.action
        if e.payload.get(RECORDED_LATE):
            continue  # kept in the history, but it moves no deadline (see ``late_step``)
        if act == a.REQUEST_CORRECTION:
            h.correction_notice_met = e.on
            h.correction = (e.on, int(e.payload.get("period", periods.correction_default)), None)
            h.clock_start = None
            _delivered(h, "correction", e)
        elif act == a.RECEIVE_CORRECTION and h.correction:
            h.correction = (h.correction[0], h.correction[1], e.on)
            # Art. 30: the corrected application starts a fresh period; what was extended or delayed
            # for the old one does not carry over (a new extension may be approved in the new one).
            h.clock_start, h.extension, h.delayed = e.on, 0, None
        elif act == a.LAPSE_CORRECTION and h.correction:
            h.correction = (h.correction[0], h.correction[1], e.on)
        elif act == a.CONSULT:
            key = str(e.payload.get("consultation", len(h.consultations) + 1))
            h.consultations[key] = (e.on, str(e.payload.get("party", "third-party")), None)
            _delivered(h, f"consultation {key}", e)
        elif act == a.CONSULT_REPLY:
            key = str(e.payload.get("consultation")
                      or next(k for k, v in h.consultations.items() if v[2] is None))
            sent, party, _ = h.consultations[key]
            h.consultations[key] = (sent, party, e.on)
        elif act == a.NOTIFY_FEE:
            h.fee = (e.on, None)
            _delivered(h, "fee", e)
        elif act == a.DELIVERED and (awaiting := _awaiting_delivery(h, e.payload.get("consultation"))):
            h.delivered[awaiting[1]] = e.on
        elif act in (a.FEE_PAID, a.FEE_LAPSED) and h.fee:
            h.fee = (h.fee[0], e.on)
        elif act == a.EXTEND:
            h.extension = int(e.payload["days"])
        elif act == a.DELAY:
            h.delayed = (e.on, date.fromisoformat(str(e.payload["until"])), str(e.payload.get("reason", "")))
        if act in a.CONCLUDING:
            h.concluded_on = e.on
    return h


def _delivered(h: _History, letter: str, e: DatedEvent) -> None:
    if e.payload.get("delivered_on"):
        h.delivered[letter] = date.fromisoformat(str(e.payload["delivered_on"]))


def letter_awaiting_delivery(received_on: date, events: Sequence[DatedEvent], periods: Periods,
                             consultation: Any = None) -> tuple[date, str] | None:
    """(sent, letter) of the letter a ``delivered`` event recorded now would be about, or None."""
    return _awaiting_delivery(_read(received_on, events, periods), consultation)


def _awaiting_delivery(h: _History, consultation: Any = None) -> tuple[date, str] | None:
    """The letter a ``delivered`` event is about: the given consultation, else the one letter the
    request waits on whose delivery is not recorded (the latest, if several)."""
    waiting: list[tuple[date, str]] = []
    if h.correction and h.correction[2] is None:
        waiting.append((h.correction[0], "correction"))
    if h.fee and h.fee[1] is None:
        waiting.append((h.fee[0], "fee"))
    for key, (sent, _, replied) in h.consultations.items():
        if replied is None and (consultation is None or str(consultation) == key):
            waiting.append((sent, f"consultation {key}"))
    waiting = [w for w in waiting if w[1] not in h.delivered]
    return max(waiting) if waiting else None


def _from_delivery(cal: WorkCalendar, h: _History, letter: str, sent: date, n: int) -> tuple[Shifted, date, str]:
    """A period the other side owes, counted from the day the letter reached them (or, not recorded,
    the day it was sent: then the explanation says the sending date was assumed)."""
    day0 = h.delivered.get(letter)
    if day0 is None:
        return cal.add(sent, n), sent, f"（送达日期未登记，按发出日{sent}计算）"
    return cal.add(day0, n), day0, f"（{day0}送达）"


def _pauses(cal: WorkCalendar, h: _History, end_of_open: date, periods: Periods) -> list[Pause]:
    """Consultations, and an unpaid fee notice if the settings say so, stop the reply clock: from the
    letter until the answer or the payment, but never past the end of the other side's own period
    (Art. 32: 15 working days to answer; 109号: 20 to pay), whenever the answer is recorded."""
    pauses = []
    for key, (sent, _, replied) in h.consultations.items():
        cap = _from_delivery(cal, h, f"consultation {key}", sent, periods.consultation)[0].date
        end = min(replied or end_of_open, cap)
        pauses.append(Pause(sent, end, "征求意见", replied is None and end_of_open <= cap))
    if h.fee and periods.fee_pauses_reply:
        sent, settled = h.fee
        cap = _from_delivery(cal, h, "fee", sent, periods.fee_payment)[0].date
        end = min(settled or end_of_open, cap)
        pauses.append(Pause(sent, end, "待缴费", settled is None and end_of_open <= cap))
    return pauses


def _reply_due(cal: WorkCalendar, h: _History, pauses: Sequence[Pause], periods: Periods
               ) -> tuple[date, int, bool, date]:
    """The reply deadline (due, paused working days, provisional, the Art. 33 deadline before a delay).
    A pause that begins after the deadline it would push out moves nothing (``count_with_pauses``):
    an expired deadline stays expired."""
    assert h.clock_start is not None
    due, paused_days, provisional = count_with_pauses(cal, h.clock_start, periods.reply + h.extension, pauses)
    if h.delayed and h.delayed[1] > due:
        return h.delayed[1], paused_days, False, due
    return due, paused_days, provisional, due


def schedule(
    received_on: date,
    events: Sequence[DatedEvent],
    cal: WorkCalendar,
    periods: Periods = Periods(),
    as_of: date | None = None,
) -> Schedule:
    """Replay the dated events and compute every deadline (see the module docstring)."""
    as_of = as_of or max([received_on, *(e.on for e in events)])
    h = _read(received_on, events, periods)
    deadlines: list[Deadline] = []
    concluded_on = h.concluded_on
    end_of_open = concluded_on or as_of
    notice_due = cal.add(received_on, periods.correction_notice)
    # The correction-notice day is a last chance to ask, not a duty: once passed unused it is dropped.
    if h.correction_notice_met or as_of <= notice_due.date:
        deadlines.append(Deadline(
            k.CORRECTION_NOTICE, notice_due.date, notice_due.provisional, received_on,
            periods.correction_notice,
            f"收到申请（{received_on}）后第{periods.correction_notice}个工作日（条例第三十条）",
            closed_on=h.correction_notice_met or concluded_on,
        ))
    if h.correction:
        sent, length, closed = h.correction
        due, day0, note = _from_delivery(cal, h, "correction", sent, length)
        deadlines.append(Deadline(
            k.CORRECTION_PERIOD, due.date, due.provisional, day0, length,
            f"补正告知（{sent}）送达后{_wd(length)}内补正（条例第三十条）{note}",
            closed_on=closed or concluded_on,
        ))
    for key, (sent, party, replied) in h.consultations.items():
        due, day0, note = _from_delivery(cal, h, f"consultation {key}", sent, periods.consultation)
        deadlines.append(Deadline(
            k.CONSULTATION, due.date, due.provisional, day0, periods.consultation,
            PARTIES.get(party, PARTIES["third-party"]).deadline_text(sent, periods.consultation) + note,
            closed_on=replied or concluded_on, key=key,
        ))
    if h.fee:
        sent, settled = h.fee
        due, day0, note = _from_delivery(cal, h, "fee", sent, periods.fee_payment)
        deadlines.append(Deadline(
            k.FEE_PAYMENT, due.date, due.provisional, day0, periods.fee_payment,
            f"收费通知（{sent}）送达次日起{_wd(periods.fee_payment)}内缴纳（国办函〔2020〕109号）{note}",
            closed_on=settled or concluded_on,
        ))
    pauses = _pauses(cal, h, end_of_open, periods)

    reply: Deadline | None = None
    paused_days = 0
    statutory: date | None = None
    if h.clock_start is not None:
        clock_start, extension = h.clock_start, h.extension
        due_date, paused_days, provisional, statutory = _reply_due(cal, h, pauses, periods)
        start_text = "收到申请" if clock_start == received_on else "收到补正后的申请"
        parts = [f"{start_text}（{clock_start}）后{_wd(periods.reply)}（条例第三十三条）"]
        if extension:
            parts.append(f"延长{_wd(extension)}（经负责人同意）")
        if paused_days:
            spans = "、".join(f"{p.reason}{p.start}至{p.end}" for p in pauses if p.end > p.start)
            parts.append(f"{spans}期间{_wd(paused_days)}不计算在内")
        if due_date != statutory and h.delayed:
            parts.append(f"延迟答复至{h.delayed[1]}（条例第三十五条：{h.delayed[2]}）")
        reply = Deadline(k.REPLY, due_date, provisional, clock_start, periods.reply + extension, "；".join(parts),
                         closed_on=concluded_on)
        deadlines.append(reply)
    paused_now = concluded_on is None and any(p.open for p in pauses)
    return Schedule(tuple(deadlines), reply, h.clock_start, paused_days, tuple(pauses), h.extension,
                    paused_now, concluded_on, statutory)


# Events that never move the reply deadline: the conclusion and state-less records (``rules.actions``).
_CLOCK_NEUTRAL = a.CLOCK_NEUTRAL


def reply_dues(
    requests: Sequence[tuple[date, Sequence[DatedEvent]]], cal: WorkCalendar, periods: Periods = Periods()
) -> list[Shifted | None]:
    """The reply deadline of many requests at once (None while awaiting a correction).

    Requests whose history cannot move the clock (most of them) are counted in one vectorised pass;
    the others go through the same steps as :func:`schedule` (``_read``, ``_pauses``, ``_reply_due``),
    so both give the same answer by construction.
    """
    out: list[Shifted | None] = [None] * len(requests)
    plain: list[int] = []
    others: list[int] = []
    for i, (_, events) in enumerate(requests):
        (plain if all(e.action in _CLOCK_NEUTRAL for e in events) else others).append(i)
    for i, shifted in zip(plain, cal.add_many([requests[i][0] for i in plain], periods.reply), strict=True):
        out[i] = shifted
    for i in others:
        received_on, events = requests[i]
        h = _read(received_on, events, periods)
        if h.clock_start is not None:  # the reply part of schedule(), without the other deadlines' texts
            end_of_open = h.concluded_on or max(received_on, *(e.on for e in events))
            due, _, provisional, _ = _reply_due(cal, h, _pauses(cal, h, end_of_open, periods), periods)
            out[i] = Shifted(due, provisional, ())
    return out
