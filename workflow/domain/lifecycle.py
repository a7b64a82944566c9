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
from datetime import date, datetime
from typing import Any

from transitions import EventData, Machine

from rules import actions as a
from rules import deadline_kinds as kinds
from rules import outcomes
from rules.actions import ACTIONS as ACTION_FACTS
from rules.calendar import WorkCalendar
from rules.deadlines import DatedEvent, Periods, Schedule, schedule
from workflow.domain import corrections
from workflow.domain.errors import IllegalAction, InvalidInput

RECEIVED = "received"
AWAITING_CORRECTION = "awaiting_correction"
IN_CONSULTATION = "in_consultation"
FEE_PENDING = "fee_pending"
CONCLUDED = "concluded"
VOIDED = "voided"  # registered by mistake: in no listing and no count, its number kept (corrections)

STATES: list[dict[str, str]] = [
    {"name": RECEIVED, "label": "办理中"},
    {"name": AWAITING_CORRECTION, "label": "待补正"},
    {"name": IN_CONSULTATION, "label": "征求意见中"},
    {"name": FEE_PENDING, "label": "待缴费"},
    {"name": CONCLUDED, "label": "已办结"},
    {"name": VOIDED, "label": "已作废"},
]
STATE_LABELS = {s["name"]: s["label"] for s in STATES}
OPEN_STATES = [RECEIVED, AWAITING_CORRECTION, IN_CONSULTATION, FEE_PENDING]
TERMINAL_STATES = [CONCLUDED, VOIDED]
CLOCK_RUNNING = [RECEIVED, IN_CONSULTATION, FEE_PENDING]


def _row(action: str, source: str | list[str], dest: str | None, *conditions: str) -> dict[str, Any]:
    """One transition of an action declared in ``rules.actions``; the trigger is its name with "_"."""
    row: dict[str, Any] = {"trigger": ACTION_FACTS[action].trigger, "source": source, "dest": dest}
    return row | {"conditions": list(conditions)} if conditions else row


# Conditions are pure predicates on the case and the event (the guards below). The rows keep their own
# order, not the declaration's: it orders what `show --json` says is allowed now, and the diagram.
TRANSITIONS: list[dict[str, Any]] = [
    _row(a.REQUEST_CORRECTION, RECEIVED, AWAITING_CORRECTION, "correction_not_yet_requested"),
    _row(a.RECEIVE_CORRECTION, AWAITING_CORRECTION, RECEIVED),
    _row(a.LAPSE_CORRECTION, AWAITING_CORRECTION, CONCLUDED, "correction_period_over"),
    _row(a.CONSULT, [RECEIVED, IN_CONSULTATION], IN_CONSULTATION),
    _row(a.CONSULT_REPLY, IN_CONSULTATION, IN_CONSULTATION, "others_still_consulted"),
    _row(a.CONSULT_REPLY, IN_CONSULTATION, RECEIVED),
    _row(a.NOTIFY_FEE, RECEIVED, FEE_PENDING, "fee_not_yet_notified"),
    _row(a.FEE_PAID, FEE_PENDING, RECEIVED),
    _row(a.FEE_LAPSED, FEE_PENDING, CONCLUDED, "fee_period_over"),
    _row(a.EXTEND, CLOCK_RUNNING, None, "not_yet_extended"),
    _row(a.DELAY, CLOCK_RUNNING, None, "delay_beyond_deadline"),
    _row(a.DECIDE, [RECEIVED, IN_CONSULTATION], CONCLUDED, "outcome_fits_history"),
    _row(a.WITHDRAW, OPEN_STATES, CONCLUDED),
    # Corrections (workflow.domain.corrections): an undo returns the state the history gives without
    # the undone action; a voided request accepts nothing more.
    _row(a.UNDO, [*OPEN_STATES, CONCLUDED], None, "something_to_undo"),
    _row(a.VOID, [*OPEN_STATES, CONCLUDED], VOIDED),
    # Records that change no state: a letter generated, personal data revealed on screen.
    *(_row(r, "*", None) for r in a.RECORDS),
]
_BY_TRIGGER = {f.trigger: f.name for f in ACTION_FACTS.values()}
RECORDS = list(a.RECORDS)
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
            raise ValueError(f"the history of {ref} must start with {a.REGISTER}, not {register.action}")
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
        probes = {a.DECIDE: {"outcome": "disclosed"}, a.DELAY: {"until": date.max.isoformat()}}
        return [x for x in self.allowed() if x not in a.CORRECTIONS
                and not refusal(self, Event(x, max(on, self.events[-1].on), probes.get(x, {})))]

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
            raise InvalidInput("action", f"unknown action {action!r}; expected one of {', '.join(ACTIONS)}")
        last = self.events[-1].on
        if event.on < last:
            what = "receipt" if len(self.events) == 1 else f"the last event ({self.events[-1].action})"
            raise InvalidInput("--on", f"{event.on.isoformat()} is before {what} on {last.isoformat()}; "
                                       f"events are recorded in the order they happened")
        if action not in self.allowed() and action not in RECORDS:
            raise IllegalAction(self.ref, self.state, action, self.possible(event.on))
        before = self.state
        # The shared machine's events take the model as an argument: no per-case binding needed. The
        # machine asks the guards; only an event it refuses has them asked again, for the reason.
        if not self.machine.events[ACTION_FACTS[action].trigger].trigger(self, event=event):
            self.state = before
            why = refusal(self, event) or "its conditions are not met"
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
        return "a correction may be requested only once (条例第三十条：一次性告知)"
    return ""


def correction_period_over(case: Case, event: Event) -> str:
    due = _due(case, kinds.CORRECTION_PERIOD, event.on)
    if due is not None and event.on <= due:
        return f"the correction period runs until {due.isoformat()}; {a.LAPSE_CORRECTION} is allowed from the next day"
    return ""


def others_still_consulted(case: Case, event: Event) -> str:
    return "" if case.open_consultations() > 1 else "this reply closes the last open consultation"


def fee_not_yet_notified(case: Case, event: Event) -> str:
    return "a fee notice has already been sent for this request" if case.has(a.NOTIFY_FEE) else ""


def fee_period_over(case: Case, event: Event) -> str:
    due = _due(case, kinds.FEE_PAYMENT, event.on)
    if due is not None and event.on <= due:
        return f"the fee may be paid until {due.isoformat()}; {a.FEE_LAPSED} is allowed from the next day"
    return ""


def not_yet_extended(case: Case, event: Event) -> str:
    return "the reply period may be extended only once (条例第三十三条)" if case.has(a.EXTEND) else ""


def outcome_fits_history(case: Case, event: Event) -> str:
    code = str(event.payload.get("outcome", ""))
    if code in outcomes.decidable(case.has(a.RECEIVE_CORRECTION)):
        return ""
    o = outcomes.OUTCOMES.get(code)
    if o is None:
        return f"unknown outcome {code!r}"
    if o.needs is outcomes.Needs.CORRECTION_RECEIVED:
        return f"{code} is possible only after a corrected application was received"
    action = next(x for x, c in OUTCOME_OF_ACTION.items() if c == code)
    return f"{code} is recorded by the action {action!r}, not by {a.DECIDE}"


def delay_beyond_deadline(case: Case, event: Event) -> str:
    until = date.fromisoformat(str(event.payload["until"]))
    reply = case.schedule(as_of=event.on).reply
    if reply is not None and until <= reply.due:
        return (f"a delayed reply date must be later than the present reply deadline "
                f"{reply.due.isoformat()} (条例第三十五条)")
    return ""


GUARDS = {f.__name__: f for f in (
    correction_not_yet_requested, correction_period_over, others_still_consulted, fee_not_yet_notified,
    fee_period_over, not_yet_extended, outcome_fits_history, delay_beyond_deadline,
    corrections.something_to_undo,
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


def diagram() -> str:
    """The lifecycle as a Mermaid state diagram, drawn from the table above (docs/lifecycle.md)."""
    lines = ["stateDiagram-v2", f"    [*] --> {RECEIVED}: {a.REGISTER}"]
    for t in TRANSITIONS:
        if t["dest"] is None:
            continue
        sources = t["source"] if isinstance(t["source"], list) else [t["source"]]
        guard = f" [{', '.join(t['conditions'])}]" if t.get("conditions") else ""
        for src in sources:
            lines.append(f"    {src} --> {t['dest']}: {_BY_TRIGGER[t['trigger']]}{guard}")
    lines += [f"    {s} --> [*]" for s in TERMINAL_STATES]
    return "\n".join(lines) + "\n"
