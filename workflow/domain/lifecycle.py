"""The lifecycle of a request, declared once as a table of states and transitions.

Nothing else in gongkai assigns a request's state: the state is what replaying the events through
this table gives, and ``docs/lifecycle.md`` draws the same table (a test keeps the two in step).

State machine choice: ``transitions`` attaches a method per trigger to each model, and SQLModel
table classes are pydantic models that refuse unknown attributes. So the machine drives a plain
domain object, :class:`Case`, built from the stored events; one class-level ``Machine`` (``model=None``) serves every
case, its events triggered with the case as the model, so no case carries bound trigger methods:
the memory layout the transitions FAQ recommends, without even the per-model registration. The database row only caches what the replay gives.

"Extended" and "delayed" are not states but facts of the history (an extension is allowed once,
whatever the state of the clock); "carried over" is a view: open on 31 December.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from transitions import EventData, Machine

from rules import actions as a
from rules import corrections, deadlines, outcomes, time_limits
from rules import deadline_kinds as kinds
from rules.calendar import WorkCalendar
from rules.deadlines import RECORDED_LATE, DatedEvent, Periods, Schedule, schedule
from workflow.domain.errors import IllegalAction, InvalidInput
from workflow.domain.states import (
    _BY_TRIGGER,
    CONCLUDED,
    RECEIVED,
    RECORDS,
    STATES,
    TRANSITIONS,
)

ALL_ACTIONS: list[str] = list(dict.fromkeys(_BY_TRIGGER[t["trigger"]] for t in TRANSITIONS))
ACTIONS: list[str] = [x for x in ALL_ACTIONS if x not in RECORDS]  # what officers do with `advance`
assert set(ACTIONS) == set(a.STEPS), "every step an officer records has its transitions, and only those"

# The outcome each concluding action records; decide carries its own.
OUTCOME_OF_ACTION = a.OUTCOME_OF_ACTION


@dataclass(frozen=True)
class Event(DatedEvent):
    """One recorded fact of a request's history (the first is always ``register``)."""

    officer: str = ""
    recorded_at: datetime | None = None
    seq: int = 0


@dataclass
class Context:
    """What the guards need besides the history: the calendar and the statutory periods."""

    calendar: WorkCalendar
    periods: Periods = field(default_factory=Periods)


class Case:
    """A request as the lifecycle sees it: reference, receipt date, events and the current state."""

    machine = Machine(model=None, states=[s["name"] for s in STATES], transitions=TRANSITIONS,
                      initial=RECEIVED, auto_transitions=False, send_event=True)
    state: str

    def __init__(self, ref: str, register: Event, context: Context) -> None:
        if register.action != a.REGISTER:
            raise ValueError(f"申请 {ref} 的办理记录须以登记（{a.REGISTER}）开始，而不是 {register.action}")
        self.ref = ref
        self.agency = ""  # set by the repository that hands the case out
        self.version = 0  # the stored version the case was read at (optimistic locking)
        self.context = context
        self._schedules: dict[tuple[int, date], Schedule] = {}
        self.events: list[Event] = [register]
        self.outcome: str | None = None
        self.state = RECEIVED
        self._undos = 0  # while none, the history in effect is the whole history

    # -- queries -------------------------------------------------------------------------------

    @property
    def received_on(self) -> date:
        return self.events[0].on

    @property
    def register(self) -> Event:
        return self.events[0]

    @property
    def live(self) -> list[Event]:
        """The history in effect: without the undos and the events they revoked."""
        return corrections.effective(self.events) if self._undos else self.events

    def has(self, action: str) -> bool:
        return any(e.action == action for e in self.live)

    def open_consultations(self) -> int:
        sent = sum(1 for e in self.live if e.action == a.CONSULT)
        return sent - sum(1 for e in self.live if e.action == a.CONSULT_REPLY)

    def schedule(self, as_of: date | None = None) -> Schedule:
        """Every deadline as of ``as_of`` (default: the last event's day). Worked out once per history
        and day: the guards, the commit's cached columns and the view after it all ask."""
        key = (len(self.events), as_of or self.events[-1].on)
        if key not in self._schedules:
            self._schedules[key] = schedule(self.received_on, self.live[1:], self.context.calendar,
                                            self.context.periods, key[1])
        return self._schedules[key]

    def allowed(self) -> list[str]:
        """The officer actions whose transition exists from the current state (conditions aside)."""
        return list(_allowed_in(self.state))

    def possible(self, on: date) -> list[str]:
        """What may be done on ``on``: the allowed actions that the history does not rule out."""
        day = max(on, self.events[-1].on)
        reply = self.schedule(as_of=day).reply
        # A delay probed to the day after the present deadline: the nearest date a delay may set.
        until = (reply.due + timedelta(days=1)).isoformat() if reply else date.max.isoformat()
        probes = {a.DECIDE: {"outcome": "disclosed"}, a.DELAY: {"until": until}}
        return [x for x in self.allowed() if x not in a.CORRECTIONS
                and not refusal(self, Event(x, day, probes.get(x, {})))]

    @property
    def concluded(self) -> bool:
        return self.state == CONCLUDED  # a voided request was not concluded: it is in no count

    def fork(self) -> Case:
        """A copy to try events on (the import tries the events of one day in every order): its own
        history and its own remembered deadlines, the original untouched."""
        trial = copy.copy(self)
        trial.events, trial._schedules = list(self.events), dict(self._schedules)
        return trial

    # -- applying an event ---------------------------------------------------------------------

    def apply(self, event: Event) -> None:
        """Check the event against the table and the guards, then record it and move the state."""
        action = event.action
        if action not in ALL_ACTIONS:
            raise InvalidInput("ACTION", f"无法识别的事项 {action!r}；可用：{', '.join(ACTIONS)}")
        last = self.events[-1].on
        if event.on < last:
            what = "收到申请" if len(self.events) == 1 else f"上一事项（{a.LABELS[self.events[-1].action]}）"
            raise InvalidInput("--on", f"{event.on.isoformat()} 早于{what}之日 {last.isoformat()}；"
                                       f"事项须按发生的先后记录")
        if action not in self.allowed() and action not in RECORDS:
            raise IllegalAction(self.ref, self.state, action, self.possible(event.on))
        before = self.state
        # The shared machine's events take the model as an argument: no per-case binding needed. The
        # machine asks the guards; only an event it refuses has them asked again, for the reason.
        if not self.machine.events[a.ACTIONS[action].trigger].trigger(self, event=event):
            self.state = before
            why = refusal(self, event) or "条件不满足"
            raise IllegalAction(self.ref, self.state, action, self.possible(event.on), why)
        if action == a.UNDO and "undoes" not in event.payload:  # the event it revokes, named for good
            undoes = corrections.last_action(self.events)
            event = dataclasses.replace(event, payload={**event.payload, "undoes": undoes})
        self.events.append(event)
        if action == a.UNDO:
            self._undos += 1
            again = Case.replay(self.ref, self.live, self.context)
            self.state, self.outcome = again.state, again.outcome
        elif before != CONCLUDED and self.state == CONCLUDED:
            self.outcome = OUTCOME_OF_ACTION.get(action) or str(event.payload["outcome"])

    @classmethod
    def replay(cls, ref: str, events: Iterable[Event], context: Context) -> Case:
        """The case as its history makes it: the state is never read from anywhere else."""
        it = iter(events)
        case = cls(ref, next(it), context)
        for e in it:
            case.apply(e)
        return case


@functools.cache
def _allowed_in(state: str) -> tuple[str, ...]:
    """What the shared machine allows from a state; it never changes, and replays ask at every event."""
    triggers = (_BY_TRIGGER[t] for t in Case.machine.get_triggers(state))
    return tuple(x for x in triggers if x not in RECORDS)


# -- guards: each says why it refuses an event ('' when it does not) --------------------------------
# The transition table names them as conditions; Case answers each name with ``not guard(...)``, and
# ``refusal`` reports the first one that holds an action back, so a rule and its message are one thing.

def _due(case: Case, kind: str, on: date) -> date | None:
    return next((d.due for d in case.schedule(as_of=on).deadlines if d.kind == kind), None)


def correction_not_yet_requested(case: Case, event: Event) -> str:
    if case.has(a.REQUEST_CORRECTION):
        return "补正只能告知一次（条例第三十条：一次性告知）"
    return ""


def correction_period_over(case: Case, event: Event) -> str:
    due = _due(case, kinds.CORRECTION_PERIOD, event.on)
    if due is not None and event.on <= due:
        return f"补正期限至 {due.isoformat()}，次日起才能记录{a.LABELS[a.LAPSE_CORRECTION]}（{a.LAPSE_CORRECTION}）"
    return ""


def others_still_consulted(case: Case, event: Event) -> str:
    return "" if case.open_consultations() > 1 else "这是最后一个未答复的征求意见，请记录收到意见"


def fee_not_yet_notified(case: Case, event: Event) -> str:
    return "该申请已发出过收费通知" if case.has(a.NOTIFY_FEE) else ""


def fee_period_over(case: Case, event: Event) -> str:
    due = _due(case, kinds.FEE_PAYMENT, event.on)
    if due is not None and event.on <= due:
        return f"缴费期限至 {due.isoformat()}，次日起才能记录{a.LABELS[a.FEE_LAPSED]}（{a.FEE_LAPSED}）"
    return ""


def not_yet_extended(case: Case, event: Event) -> str:
    """Once per reply period: a corrected application starts a new one (条例第三十条)."""
    for e in reversed(case.live):
        if e.action == a.RECEIVE_CORRECTION:
            return ""
        if e.action == a.EXTEND and not e.payload.get(RECORDED_LATE):
            return "答复期限只能延长一次（条例第三十三条）"
    return ""


def within_time_limit(case: Case, event: Event) -> str:
    """A step the law gives a time limit, recorded after it, is refused (``rules.time_limits``); an
    import keeps it marked recorded-late instead, and then it moves no deadline."""
    if event.payload.get(RECORDED_LATE):
        return ""
    delivered = event.payload.get("delivered_on")
    if delivered and date.fromisoformat(str(delivered)) < event.on:
        return f"--delivered-on {delivered} 早于文书发出之日（{event.on.isoformat()}）"
    return late_step(case, event)


def late_step(case: Case, event: Event) -> str:
    """Why this step comes after its legal limit ('' if it does not): what an import marks recorded-late."""
    ctx = case.context
    return time_limits.late_step(event.action, event.on, event.payload, case.schedule(as_of=event.on),
                                 case.received_on, ctx.calendar, ctx.periods)


def no_consultation_running(case: Case, event: Event) -> str:
    running = time_limits.consultation_running(case.schedule(as_of=event.on), event.on)
    if running is None:
        return ""
    return (f"征求意见 #{running.key} 的答复期限至 {running.due.isoformat()}"
            f"（条例第三十二条、第三十四条）；请先记录{a.LABELS[a.CONSULT_REPLY]}（{a.CONSULT_REPLY}），或自 "
            f"{(running.due + timedelta(days=1)).isoformat()} 起作出答复")


_LETTER_NAMES = {"correction": "补正告知书", "fee": "收费通知书"}  # else "consultation N"


def letter_awaiting_delivery(case: Case, event: Event) -> str:
    awaiting = letter_awaiting_delivery_of(case, event.payload.get("consultation"))
    if awaiting is None:
        return "该申请没有等待送达的补正告知书、征求意见书或收费通知书"
    sent, letter = awaiting
    if event.on < sent:
        return f"{_LETTER_NAMES.get(letter) or '征求意见书 #' + letter.split()[-1]}于 {sent.isoformat()} 发出，不可能在此之前送达"
    return ""


def letter_awaiting_delivery_of(case: Case, consultation: Any = None) -> tuple[date, str] | None:
    return deadlines.letter_awaiting_delivery(case.received_on, case.live[1:], case.context.periods,
                                              consultation)


def outcome_fits_history(case: Case, event: Event) -> str:
    code = str(event.payload.get("outcome", ""))
    if code in outcomes.decidable(case.has(a.RECEIVE_CORRECTION)):
        return ""
    o = outcomes.OUTCOMES.get(code)
    if o is None:
        return f"无法识别的办理结果 {code!r}"
    if o.needs is outcomes.Needs.CORRECTION_RECEIVED:
        return f"{code} 只能在收到补正后的申请之后作出"
    action = next(x for x, c in OUTCOME_OF_ACTION.items() if c == code)
    return f"{code} 由事项{a.LABELS[action]}（{action}）记录，而不是{a.LABELS[a.DECIDE]}（{a.DECIDE}）"


def delay_beyond_deadline(case: Case, event: Event) -> str:
    until = date.fromisoformat(str(event.payload["until"]))
    reply = case.schedule(as_of=event.on).reply
    if reply is not None and until <= reply.due:
        return (f"延迟后的答复日期须晚于现在的答复期限 "
                f"{reply.due.isoformat()}（条例第三十五条）")
    return ""


GUARDS = {f.__name__: f for f in (
    correction_not_yet_requested, correction_period_over, others_still_consulted, fee_not_yet_notified,
    fee_period_over, not_yet_extended, outcome_fits_history, delay_beyond_deadline, within_time_limit,
    no_consultation_running, letter_awaiting_delivery, corrections.something_to_undo,
)}


def _condition(guard: Any) -> Any:
    def holds(case: Case, ev: EventData) -> bool:
        return not guard(case, ev.kwargs["event"])

    return holds


for _name, _guard in GUARDS.items():
    setattr(Case, _name, _condition(_guard))


def refusal(case: Case, event: Event) -> str:
    """Why the table refuses this event from the case's state, in words an officer can act on ('' if not)."""
    first = ""
    for t in TRANSITIONS:
        sources = t["source"] if isinstance(t["source"], list) else [t["source"]]
        if _BY_TRIGGER[t["trigger"]] != event.action or (case.state not in sources and "*" not in sources):
            continue
        reasons = [r for name in t.get("conditions", []) if (r := GUARDS[name](case, event))]
        if not reasons:
            return ""
        first = first or reasons[0]
    return first
