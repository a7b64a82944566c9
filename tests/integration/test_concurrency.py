"""Many officers at once: several processes register and advance the same requests in parallel."""

from __future__ import annotations

import multiprocessing as mp
import random
from datetime import date, timedelta

import pytest
from sqlmodel import func, select

from workflow.app import Gongkai
from workflow.domain.commands import Advance, Register
from workflow.domain.errors import ConcurrentChange, DatabaseError, IllegalAction, InvalidInput
from workflow.settings import Settings
from workflow.store import db, history, models
from workflow.usecases import requests as services

TODAY = date(2026, 11, 25)
WORKERS, OPERATIONS = 4, 30


def worker(target: str, seed: int, queue: mp.Queue) -> None:  # type: ignore[type-arg]
    app = Gongkai.open(target, officer=f"officer{seed}", today=TODAY, settings=Settings.load())
    rng = random.Random(seed)
    registered, advanced, refused = [], 0, 0
    for i in range(OPERATIONS):
        if i % 3 == 0:
            registered.append(services.register(app, Register(
                date(2026, 3, 2) + timedelta(days=rng.randrange(5)), "online", f"申请人{seed}-{i}",
                "natural_person", "某信息")))
            continue
        ref = f"2026-{rng.randint(1, 4):04d}"  # everyone fights over the first four requests
        action = rng.choice(["consult", "consult-reply", "extend", "decide"])
        payload = {"extend": {"days": 5, "approved_by": "张主任"}, "decide": {"outcome": "disclosed"}}.get(action, {})
        try:
            services.advance(app, Advance(ref, action, date(2026, 3, 10), payload))
            advanced += 1
        except (ConcurrentChange, IllegalAction, InvalidInput, DatabaseError):
            refused += 1
    queue.put((registered, advanced, refused))


@pytest.mark.slow
def test_parallel_officers_lose_nothing_and_never_share_a_reference(make_app, db_target: str) -> None:  # type: ignore[no-untyped-def]
    app = make_app(today=TODAY)
    for n in range(4):
        services.register(app, Register(date(2026, 3, 2), "online", f"先到{n}", "natural_person", "某信息"))
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=worker, args=(db_target, seed, queue)) for seed in range(WORKERS)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    refs = [ref for registered, _, _ in results for ref in registered]
    advanced = sum(a for _, a, _ in results)
    assert len(refs) == len(set(refs)) == WORKERS * (OPERATIONS // 3)
    with db.unit_of_work(app.engine, write=False) as s:
        rows = s.execute(select(models.Request)).scalars().all()
        events = s.execute(select(func.count()).select_from(models.Event)).scalar()
        assert len(rows) == 4 + len(refs)
        assert events == len(rows) + advanced  # one register each, plus every advance that succeeded
        assert sorted(r.ref for r in rows) == [f"2026-{n:04d}" for n in range(1, len(rows) + 1)]
        for row in rows:
            case = history.load(s, row, app.context)
            assert (row.state, row.outcome) == (case.state, case.outcome)
            assert row.version == 1 + len(case.events)  # created at 1, every write bumped it exactly once
