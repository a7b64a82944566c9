"""The lifecycle table: any history the officers can produce replays to what the database holds."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import select

from workflow.app import Gongkai
from workflow.domain.commands import Advance, Register
from workflow.domain.errors import IllegalAction
from workflow.settings import Settings
from workflow.store import db, history, models
from workflow.usecases import requests as services

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
