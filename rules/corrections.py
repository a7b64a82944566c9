"""Corrections in the open: what ``void`` and ``undo`` leave of a history (issue 14).

The history is evidence, so a mistake is never erased: it is corrected by one more event, chained
like every other. ``void`` ends a request registered by mistake (a duplicate, a test) in the state
``voided``: its number stays taken, every listing, alert and count leaves it out. ``undo`` revokes the
last officer action; its payload names the event it revokes (``"undoes": seq``), and the replay reads
the history *without* the undone event and the undo, so the state and the deadlines return to what
they were before it.

Example (received Monday 2026-03-02, reply due 03-30)::

    1 register  2026-03-02
    2 extend    2026-03-20  days 15          reply due 04-20
    3 notice    2026-03-20  about 2          (the 延期答复告知书: a record, it stays)
    4 undo      2026-03-23  undoes 2         reply due 03-30 again

A second undo revokes the action before (here: nothing but ``register`` is left, so it is refused:
a request registered by mistake is voided, not undone). An undo is itself never undone: the action
is recorded again instead. Undoing a conclusion whose reply letter was written (a ``notice`` about
it exists) needs a head's (负责人) approval once officers are registered.

Pure functions of the events; an event's seq is its position in the history, counted from 1 (events
applied in the present unit of work carry no seq yet).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rules import actions as a
from rules.actions import ACTIONS, LABELS, Kind
from rules.deadlines import DatedEvent


def undone(events: Sequence[DatedEvent]) -> set[int]:
    """The seqs of the events some undo revoked."""
    return {int(e.payload["undoes"]) for e in events if e.action == a.UNDO}


def effective(events: Sequence[Any]) -> list[Any]:
    """The history as the replay reads it: without the undos and the events they revoked."""
    gone = undone(events)
    return [e for seq, e in enumerate(events, 1) if seq not in gone and e.action != a.UNDO]


def last_action(events: Sequence[DatedEvent]) -> int | None:
    """The seq of the last officer action still in effect (records skipped: they stay); None when
    only ``register`` is left."""
    gone = undone(events)
    for seq in range(len(events), 1, -1):
        facts = ACTIONS[events[seq - 1].action]
        if seq not in gone and facts.kind is Kind.STEP and not facts.corrects:
            return seq
    return None


def target(events: Sequence[DatedEvent], undo: DatedEvent) -> int | None:
    """The seq an undo revokes: the one its payload names once applied, else the last action."""
    given = undo.payload.get("undoes")
    return int(given) if given is not None else last_action(events)


def something_to_undo(case: Any, event: DatedEvent) -> str:
    """The lifecycle's guard of ``undo`` (a condition in its transition table)."""
    seq = last_action(case.events)
    if seq is None:
        return (f"没有可撤销的事项：只有登记（{a.REGISTER}）有效；误登记的申请请作废"
                f"（gongkai {a.VOID} 编号 --reason 原因）")
    if event.payload.get("undoes", seq) != seq:
        return f"撤销只能针对最后一个有效事项（#{seq}），不能针对 #{event.payload['undoes']}"
    return ""


def needs_head(events: Sequence[DatedEvent], event: DatedEvent) -> str:
    """What makes this event need a head's approval ('' when nothing does): undoing a conclusion
    whose reply letter was written (the letter went out; taking it back is the head's decision)."""
    if event.action != a.UNDO or (seq := target(events, event)) is None:
        return ""
    done = events[seq - 1]
    letter = any(e.action == a.NOTICE and e.payload.get("about") == seq for e in events)
    return f"撤销已写出答复书的{LABELS[done.action]}（#{seq}）" \
        if ACTIONS[done.action].concludes and letter else ""


def reaches_back(events: Sequence[DatedEvent], event: DatedEvent) -> list[tuple[int, str]]:
    """The years besides its own date whose figures a correction changes, with what it touches there.

    A frozen year's report counted what its history said then. Voiding takes the request out of every
    count from its receipt year on (new, carried over, concluded), so a void is refused if any of those
    years is closed: the published report and the next year's carried-in would disagree. Undoing
    changes what the undone event did in its own year (a conclusion counted in table 三, a deadline
    met or missed), so an undo is refused if that event's year is closed. Undoing a 2026 action of a
    request received in a closed 2025 is allowed: 2025's figures do not depend on it.
    """
    if event.action == a.VOID:
        first = events[0].on.year
        return [(year, f"作废 {first} 年收到的申请") for year in range(first, event.on.year)]
    if event.action == a.UNDO and (seq := target(events, event)) is not None:
        on: date = events[seq - 1].on
        return [(on.year, f"撤销 {on.year} 年的{LABELS[events[seq - 1].action]}（#{seq}）")]
    return []
