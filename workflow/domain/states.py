"""The lifecycle table: a request's states, and the transitions each action makes between them.

Declared once, as data. ``workflow.domain.lifecycle`` runs it (one shared ``transitions`` machine and
the guards the conditions name); ``docs/lifecycle.md`` draws it (``diagram``, checked by a test). The
actions themselves, their options, clock effects and letters, are declared in ``rules.actions``.
"""

from __future__ import annotations

from typing import Any

from rules import actions as a
from rules.actions import ACTIONS as ACTION_FACTS

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
    _row(a.REQUEST_CORRECTION, RECEIVED, AWAITING_CORRECTION, "correction_not_yet_requested", "within_time_limit"),
    _row(a.RECEIVE_CORRECTION, AWAITING_CORRECTION, RECEIVED),
    _row(a.LAPSE_CORRECTION, AWAITING_CORRECTION, CONCLUDED, "correction_period_over"),
    _row(a.CONSULT, [RECEIVED, IN_CONSULTATION], IN_CONSULTATION),
    _row(a.CONSULT_REPLY, IN_CONSULTATION, IN_CONSULTATION, "others_still_consulted"),
    _row(a.CONSULT_REPLY, IN_CONSULTATION, RECEIVED),
    _row(a.NOTIFY_FEE, RECEIVED, FEE_PENDING, "fee_not_yet_notified", "within_time_limit"),
    _row(a.FEE_PAID, FEE_PENDING, RECEIVED),
    _row(a.FEE_LAPSED, FEE_PENDING, CONCLUDED, "fee_period_over"),
    _row(a.EXTEND, CLOCK_RUNNING, None, "not_yet_extended", "within_time_limit"),
    _row(a.DELAY, CLOCK_RUNNING, None, "delay_beyond_deadline", "within_time_limit"),
    _row(a.DECIDE, [RECEIVED, IN_CONSULTATION], CONCLUDED, "outcome_fits_history", "no_consultation_running"),
    _row(a.WITHDRAW, OPEN_STATES, CONCLUDED),
    _row(a.DELIVERED, [AWAITING_CORRECTION, IN_CONSULTATION, FEE_PENDING], None, "letter_awaiting_delivery"),
    # Corrections (rules.corrections): an undo returns the state the history gives without
    # the undone action; a voided request accepts nothing more.
    _row(a.UNDO, [*OPEN_STATES, CONCLUDED], None, "something_to_undo"),
    _row(a.VOID, [*OPEN_STATES, CONCLUDED], VOIDED),
    # Records that change no state: a letter generated, personal data revealed on screen.
    *(_row(r, "*", None) for r in a.RECORDS),
]
_BY_TRIGGER = {f.trigger: f.name for f in ACTION_FACTS.values()}
RECORDS = list(a.RECORDS)


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
