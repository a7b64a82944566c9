"""The lifecycle table: what may happen when, and that history alone gives state and deadlines."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import select

from rules.calendar import WorkCalendar
from workflow.app import Gongkai
from workflow.domain.commands import Advance, Register
from workflow.domain.errors import IllegalAction, InvalidInput
from workflow.domain.lifecycle import Case, Context, Event, diagram
from workflow.settings import Settings
from workflow.store import db, history, models
from workflow.usecases import requests as services

DOCS = Path(__file__).resolve().parent.parent / "docs" / "lifecycle.md"


def new_case(calendar: WorkCalendar, received: date = date(2026, 3, 2)) -> Case:
    return Case("2026-0001", Event("register", received), Context(calendar))


def test_the_documented_diagram_is_the_table() -> None:
    assert diagram() in DOCS.read_text(encoding="utf-8")


def test_a_correction_may_be_requested_only_once(calendar: WorkCalendar) -> None:
    c = new_case(calendar)
    c.apply(Event("request-correction", date(2026, 3, 3), {"period": 10}))
    c.apply(Event("receive-correction", date(2026, 3, 9)))
    with pytest.raises(IllegalAction, match="only once"):
        c.apply(Event("request-correction", date(2026, 3, 10), {"period": 10}))


def test_lapse_correction_waits_for_the_end_of_the_correction_period(calendar: WorkCalendar) -> None:
    c = new_case(calendar)
    c.apply(Event("request-correction", date(2026, 3, 3), {"period": 10}))  # runs until 03-17
    with pytest.raises(IllegalAction, match="runs until 2026-03-17"):
        c.apply(Event("lapse-correction", date(2026, 3, 17)))
    c.apply(Event("lapse-correction", date(2026, 3, 18)))
    assert (c.state, c.outcome) == ("concluded", "other.correction_lapsed")


def test_unclear_after_correction_needs_a_received_correction(calendar: WorkCalendar) -> None:
    c = new_case(calendar)
    with pytest.raises(IllegalAction, match="only after a corrected application"):
        c.apply(Event("decide", date(2026, 3, 5), {"outcome": "unavailable.unclear_after_correction"}))
    c.apply(Event("request-correction", date(2026, 3, 3), {"period": 10}))
    c.apply(Event("receive-correction", date(2026, 3, 9)))
    c.apply(Event("decide", date(2026, 3, 20), {"outcome": "unavailable.unclear_after_correction"}))
    assert c.outcome == "unavailable.unclear_after_correction"


def test_the_lapse_outcomes_come_from_their_own_actions(calendar: WorkCalendar) -> None:
    c = new_case(calendar)
    with pytest.raises(IllegalAction, match="recorded by the action 'fee-lapsed'"):
        c.apply(Event("decide", date(2026, 3, 5), {"outcome": "other.fee_unpaid"}))


def test_an_extension_is_allowed_once(calendar: WorkCalendar) -> None:
    c = new_case(calendar)
    c.apply(Event("extend", date(2026, 3, 20), {"days": 10, "approved_by": "张主任"}))
    with pytest.raises(IllegalAction, match="extended only once") as e:
        c.apply(Event("extend", date(2026, 3, 23), {"days": 10, "approved_by": "张主任"}))
    assert "extend" not in e.value.allowed and "decide" in e.value.allowed


def test_a_concluded_request_allows_nothing(calendar: WorkCalendar) -> None:
    c = new_case(calendar)
    c.apply(Event("withdraw", date(2026, 3, 3)))
    with pytest.raises(IllegalAction, match=r"is concluded; 'decide' is not allowed now.*none"):
        c.apply(Event("decide", date(2026, 3, 4), {"outcome": "disclosed"}))


def test_events_cannot_be_dated_before_the_last_one(calendar: WorkCalendar) -> None:
    c = new_case(calendar)
    with pytest.raises(InvalidInput, match="before receipt on 2026-03-02"):
        c.apply(Event("decide", date(2026, 3, 1), {"outcome": "disclosed"}))


def test_fee_pending_waits_for_payment_or_lapse(calendar: WorkCalendar) -> None:
    c = new_case(calendar)
    c.apply(Event("notify-fee", date(2026, 3, 3), {"amount": "100.00"}))
    now = c.possible(date(2026, 3, 4))
    assert "fee-paid" in now and "withdraw" in now
    assert "fee-lapsed" not in now and "decide" not in now
    assert "fee-lapsed" in c.possible(date(2026, 4, 1))  # 20 working days after 03-03 is 03-31


# -- Any history the officers can produce replays to what the database holds ---------------------

PAYLOADS = {
    "request-correction": lambda r: {"period": r.randint(1, 20)},
    "consult": lambda r: {"party": r.choice(["third-party", "agency"])},
    "extend": lambda r: {"days": r.randint(1, 20), "approved_by": "张主任"},
    "notify-fee": lambda r: {"amount": f"{r.randint(1, 900)}.00"},
    "decide": lambda r: {"outcome": r.choice(["disclosed", "unavailable.not_held", "partially_disclosed"])},
    "withdraw": lambda r: {},
}


class Histories(RuleBasedStateMachine):
    """Random officers doing random allowed things, on a real SQLite file."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(__import__("tempfile").mkdtemp())

    @initialize(n=st.integers(1, 3), start=st.dates(date(2025, 1, 2), date(2026, 6, 30)))
    def register(self, n: int, start: date) -> None:
        self.today = date(2026, 11, 25)
        self.app = Gongkai.open(str(self.tmp / "h.sqlite"), officer="甲", today=self.today, settings=Settings.load())
        self.day = {}
        for i in range(n):
            ref = services.register(self.app, Register(start + timedelta(days=i), "online", f"申请人{i}",
                                                       "natural_person", "某信息"))
            self.day[ref] = start + timedelta(days=i)

    @rule(seed=st.integers(0, 10**6), gap=st.integers(0, 25))
    def act(self, seed: int, gap: int) -> None:
        r = random.Random(seed)
        ref = r.choice(sorted(self.day))
        on = min(self.day[ref] + timedelta(days=gap), self.today)
        with db.unit_of_work(self.app.engine, write=False) as s:
            case = history.load(s, history.find(s, None, ref), self.app.context)
        possible = case.possible(on)
        if not possible:
            return
        action = r.choice(possible)
        payload = PAYLOADS.get(action, lambda r: {})(r)
        if action == "delay":
            payload = {"until": (on + timedelta(days=90)).isoformat(), "reason": "数量大"}
        try:
            services.advance(self.app, Advance(ref, action, on, payload))
        except IllegalAction:
            return  # e.g. a delay date not later than the deadline: refused, nothing written
        self.day[ref] = on

    @invariant()
    def rows_equal_the_replay_of_their_events(self) -> None:
        if not getattr(self, "app", None):
            return
        with db.unit_of_work(self.app.engine, write=False) as s:
            for row in s.execute(select(models.Request)).scalars().all():
                case = history.load(s, row, self.app.context)
                cached = history.cached_columns(case)
                stored = {"_deadlines": sorted(
                    (d.kind, d.key, d.due_on) for d in s.execute(select(models.Deadline).where(models.Deadline.request_id == row.id)).scalars())}
                assert row.state == case.state and row.outcome == case.outcome
                for k, v in cached.items():
                    if k != "_deadlines":
                        assert getattr(row, k) == v, (row.ref, k)
                assert stored["_deadlines"] == sorted((d.kind, d.key, d.due) for d in cached["_deadlines"])

    def teardown(self) -> None:
        if getattr(self, "app", None):
            self.app.engine.dispose()


TestHistories = Histories.TestCase
TestHistories.settings = settings(max_examples=25, stateful_step_count=15, deadline=None,
                                  suppress_health_check=[HealthCheck.too_slow])
