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

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from transitions import EventData, Machine

from rules import outcomes
from rules.calendar import WorkCalendar
from rules.deadlines import DatedEvent, Periods, Schedule, schedule
from workflow.errors import IllegalAction, InvalidInput

RECEIVED = "received"
AWAITING_CORRECTION = "awaiting_correction"
IN_CONSULTATION = "in_consultation"
FEE_PENDING = "fee_pending"
CONCLUDED = "concluded"

STATES: list[dict[str, str]] = [
    {"name": RECEIVED, "label": "办理中"},
    {"name": AWAITING_CORRECTION, "label": "待补正"},
    {"name": IN_CONSULTATION, "label": "征求意见中"},
    {"name": FEE_PENDING, "label": "待缴费"},
    {"name": CONCLUDED, "label": "已办结"},
]
STATE_LABELS = {s["name"]: s["label"] for s in STATES}
OPEN_STATES = [RECEIVED, AWAITING_CORRECTION, IN_CONSULTATION, FEE_PENDING]
TERMINAL_STATES = [CONCLUDED]
CLOCK_RUNNING = [RECEIVED, IN_CONSULTATION, FEE_PENDING]

# trigger = the CLI action with "-" as "_". Conditions are pure predicates on the case and the event.
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "request_correction", "source": RECEIVED, "dest": AWAITING_CORRECTION,
     "conditions": ["correction_not_yet_requested"]},
    {"trigger": "receive_correction", "source": AWAITING_CORRECTION, "dest": RECEIVED},
    {"trigger": "lapse_correction", "source": AWAITING_CORRECTION, "dest": CONCLUDED,
     "conditions": ["correction_period_over"]},
    {"trigger": "consult", "source": [RECEIVED, IN_CONSULTATION], "dest": IN_CONSULTATION},
    {"trigger": "consult_reply", "source": IN_CONSULTATION, "dest": IN_CONSULTATION,
     "conditions": ["others_still_consulted"]},
    {"trigger": "consult_reply", "source": IN_CONSULTATION, "dest": RECEIVED},
    {"trigger": "notify_fee", "source": RECEIVED, "dest": FEE_PENDING, "conditions": ["fee_not_yet_notified"]},
    {"trigger": "fee_paid", "source": FEE_PENDING, "dest": RECEIVED},
    {"trigger": "fee_lapsed", "source": FEE_PENDING, "dest": CONCLUDED, "conditions": ["fee_period_over"]},
    {"trigger": "extend", "source": CLOCK_RUNNING, "dest": None, "conditions": ["not_yet_extended"]},
    {"trigger": "delay", "source": CLOCK_RUNNING, "dest": None},
    {"trigger": "decide", "source": [RECEIVED, IN_CONSULTATION], "dest": CONCLUDED,
     "conditions": ["outcome_fits_history"]},
    {"trigger": "withdraw", "source": OPEN_STATES, "dest": CONCLUDED},
    # Records that change no state: a letter generated, personal data revealed on screen.
    {"trigger": "notice", "source": "*", "dest": None},
    {"trigger": "reveal", "source": "*", "dest": None},
]
RECORDS = ["notice", "reveal"]
ALL_ACTIONS: list[str] = list(dict.fromkeys(t["trigger"].replace("_", "-") for t in TRANSITIONS))
ACTIONS: list[str] = [a for a in ALL_ACTIONS if a not in RECORDS]  # what officers do with `advance`

# The outcome each concluding action records; decide carries its own.
OUTCOME_OF_ACTION = {
    "lapse-correction": "other.correction_lapsed",
    "fee-lapsed": "other.fee_unpaid",
    "withdraw": outcomes.WITHDRAWN,
}


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
        if register.action != "register":
            raise ValueError(f"the history of {ref} must start with register, not {register.action}")
        self.ref = ref
        self.context = context
        self.events: list[Event] = [register]
        self.outcome: str | None = None
        self.state = RECEIVED

    # -- conditions: pure predicates on the history and the event being applied ------------------

    def _event(self, ev: EventData) -> Event:
        return ev.kwargs["event"]

    def _schedule_with(self, ev: EventData) -> Schedule:
        return self.schedule(as_of=self._event(ev).on)

    def correction_not_yet_requested(self, ev: EventData) -> bool:
        return not self.has("request-correction")

    def correction_period_over(self, ev: EventData) -> bool:
        due = self._due("correction_period", self._schedule_with(ev))
        return due is not None and self._event(ev).on > due

    def others_still_consulted(self, ev: EventData) -> bool:
        return self.open_consultations() > 1

    def fee_not_yet_notified(self, ev: EventData) -> bool:
        return not self.has("notify-fee")

    def fee_period_over(self, ev: EventData) -> bool:
        due = self._due("fee_payment", self._schedule_with(ev))
        return due is not None and self._event(ev).on > due

    def not_yet_extended(self, ev: EventData) -> bool:
        return not self.has("extend")

    def outcome_fits_history(self, ev: EventData) -> bool:
        code = self._event(ev).payload.get("outcome")
        return code in outcomes.decidable(self.has("receive-correction"))

    # -- queries -------------------------------------------------------------------------------

    @property
    def received_on(self) -> date:
        return self.events[0].on

    @property
    def register(self) -> Event:
        return self.events[0]

    def has(self, action: str) -> bool:
        return any(e.action == action for e in self.events)

    def open_consultations(self) -> int:
        sent = sum(1 for e in self.events if e.action == "consult")
        return sent - sum(1 for e in self.events if e.action == "consult-reply")

    def schedule(self, as_of: date | None = None) -> Schedule:
        return schedule(self.received_on, self.events[1:], self.context.calendar, self.context.periods,
                        as_of)

    @staticmethod
    def _due(kind: str, sched: Schedule) -> date | None:
        return next((d.due for d in sched.deadlines if d.kind == kind), None)

    def allowed(self) -> list[str]:
        """The officer actions whose transition exists from the current state (conditions aside)."""
        triggers = (t.replace("_", "-") for t in self.machine.get_triggers(self.state))
        return [a for a in triggers if a not in RECORDS]

    def possible(self, on: date) -> list[str]:
        """What may be done on ``on``: the allowed actions that the history does not rule out."""
        probes = {"decide": {"outcome": "disclosed"}, "delay": {"until": date.max.isoformat()}}
        return [a for a in self.allowed()
                if not refusal(self, Event(a, max(on, self.events[-1].on), probes.get(a, {})))]

    @property
    def concluded(self) -> bool:
        return self.state in TERMINAL_STATES

    # -- applying an event ---------------------------------------------------------------------

    def apply(self, event: Event) -> None:
        """Check the event against the table and the guards, then record it and move the state."""
        action = event.action
        if action not in ALL_ACTIONS:
            raise InvalidInput("action", f"unknown action {action!r}; expected one of {', '.join(ACTIONS)}")
        last = self.events[-1].on
        if event.on < last:
            what = "receipt" if len(self.events) == 1 else f"the last event ({self.events[-1].action})"
            raise InvalidInput("--on", f"{event.on.isoformat()} is before {what} on {last.isoformat()}; "
                                       f"events are recorded in the order they happened")
        if action not in self.allowed() and action not in RECORDS:
            raise IllegalAction(self.ref, self.state, action, self.possible(event.on))
        why = refusal(self, event)
        if why:
            raise IllegalAction(self.ref, self.state, action, self.possible(event.on), why)
        before = self.state
        # The shared machine's events take the model as an argument: no per-case binding needed.
        moved = self.machine.events[action.replace("-", "_")].trigger(self, event=event)
        if not moved:  # a condition the refusal check did not explain
            self.state = before
            raise IllegalAction(self.ref, self.state, action, self.possible(event.on),
                                "its conditions are not met")
        self.events.append(event)
        if before != CONCLUDED and self.state == CONCLUDED:
            self.outcome = OUTCOME_OF_ACTION.get(action) or str(event.payload["outcome"])

    @classmethod
    def replay(cls, ref: str, events: Iterable[Event], context: Context) -> Case:
        """The case as its history makes it: the state is never read from anywhere else."""
        it = iter(events)
        case = cls(ref, next(it), context)
        for e in it:
            case.apply(e)
        return case


def refusal(case: Case, event: Event) -> str:
    """Why the guards would refuse this event, in words an officer can act on ('' if they would not)."""
    a, on, sched = event.action, event.on, case.schedule(as_of=event.on)
    if a == "request-correction" and case.has("request-correction"):
        return "a correction may be requested only once (条例第三十条：一次性告知)"
    if a == "lapse-correction":
        due = Case._due("correction_period", sched)
        if due is not None and on <= due:
            return f"the correction period runs until {due.isoformat()}; lapse-correction is allowed from the next day"
    if a == "notify-fee" and case.has("notify-fee"):
        return "a fee notice has already been sent for this request"
    if a == "fee-lapsed":
        due = Case._due("fee_payment", sched)
        if due is not None and on <= due:
            return f"the fee may be paid until {due.isoformat()}; fee-lapsed is allowed from the next day"
    if a == "extend" and case.has("extend"):
        return "the reply period may be extended only once (条例第三十三条)"
    if a == "decide":
        code = str(event.payload.get("outcome", ""))
        allowed = outcomes.decidable(case.has("receive-correction"))
        if code not in allowed:
            o = outcomes.OUTCOMES.get(code)
            if o is not None and o.needs is outcomes.Needs.CORRECTION_RECEIVED:
                return f"{code} is possible only after a corrected application was received"
            if o is not None:
                action = {"other.correction_lapsed": "lapse-correction", "other.fee_unpaid": "fee-lapsed"}[code]
                return f"{code} is recorded by the action {action!r}, not by decide"
            return f"unknown outcome {code!r}"
    if a == "delay":
        until = date.fromisoformat(str(event.payload["until"]))
        reply = sched.reply
        if reply is not None and until <= reply.due:
            return (f"a delayed reply date must be later than the present reply deadline "
                    f"{reply.due.isoformat()} (条例第三十五条)")
    return ""


def diagram() -> str:
    """The lifecycle as a Mermaid state diagram, drawn from the table above (docs/lifecycle.md)."""
    lines = ["stateDiagram-v2", f"    [*] --> {RECEIVED}: register"]
    for t in TRANSITIONS:
        if t["dest"] is None:
            continue
        sources = t["source"] if isinstance(t["source"], list) else [t["source"]]
        guard = f" [{', '.join(t['conditions'])}]" if t.get("conditions") else ""
        for src in sources:
            lines.append(f"    {src} --> {t['dest']}: {t['trigger'].replace('_', '-')}{guard}")
    lines.append(f"    {CONCLUDED} --> [*]")
    return "\n".join(lines) + "\n"
