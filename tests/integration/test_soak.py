"""A soak on PostgreSQL: fifty officers, each a ``gongkai`` process after another, registering and
advancing the same requests for two minutes. Nothing is lost (every register that printed its
reference is there, every advance that succeeded is in its request's history, ``verify`` is clean)
and the only refusals are clear ones: "changed by someone else", "not allowed while decided" …,
never a traceback or the database's own words.

``GONGKAI_SOAK_OFFICERS`` and ``GONGKAI_SOAK_SECONDS`` change its size (50 and 120 by default).
SQLite serialises its writers anyway (``test_races_processes`` and ``test_concurrency`` cover it).
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlmodel import select

from tests.processes import Done, run
from workflow.app import Gongkai
from workflow.domain.commands import Register
from workflow.store import db, models
from workflow.usecases import requests as services

OFFICERS = int(os.environ.get("GONGKAI_SOAK_OFFICERS", "50"))
SECONDS = float(os.environ.get("GONGKAI_SOAK_SECONDS", "120"))
SHARED = 8  # requests everyone fights over, registered before the soak
ACTIONS = {"consult": (), "consult-reply": (), "extend": ("--days", "5", "--approved-by", "张主任"),
           "decide": ("--outcome", "disclosed")}


def officer(target: str, n: int, until: float, lock: threading.Lock,
            log: list[tuple[str, str, Done]]) -> None:
    """One officer: a command after another until the time is up; every command and what it printed."""
    rng = random.Random(n)
    name = f"officer{n}"
    mine: list[str] = []
    i = 0
    while time.monotonic() < until:
        i += 1
        if rng.random() < 0.35:
            done = run(target, "register", "--received-on", "2026-03-02", "--channel", "online",
                       "--applicant-type", "natural_person", "--applicant", f"{name}-{i}", "--subject", "某信息",
                       "--json", officer=name)
            if done.code == 0:
                mine.append(json.loads(done.out)["ref"])
            kind = f"register {name}-{i}"
        else:
            ref = rng.choice([*(f"2026-{k:04d}" for k in range(1, SHARED + 1)), *mine[-3:]])
            action = rng.choice(list(ACTIONS))
            done = run(target, "advance", ref, action, "--on", "2026-03-10", *ACTIONS[action], officer=name)
            kind = f"{action} {ref}"
        with lock:
            log.append((name, kind, done))


@pytest.mark.slow
def test_fifty_officers_registering_and_advancing_for_two_minutes_lose_nothing(
        make_app: Callable[..., Gongkai], db_target: str, pg_server: object) -> None:
    if pg_server is None:
        pytest.skip("a soak of PostgreSQL's locking (GONGKAI_TEST_DB=postgresql)")
    app = make_app()
    for k in range(SHARED):
        services.register(app, Register(date(2026, 3, 2), "online", f"先到{k}", "natural_person", "某信息"))
    log: list[tuple[str, str, Done]] = []
    lock = threading.Lock()
    until = time.monotonic() + SECONDS
    with ThreadPoolExecutor(OFFICERS) as pool:
        for f in [pool.submit(officer, db_target, n, until, lock, log) for n in range(OFFICERS)]:
            f.result()

    refusals = Counter(done.err.strip().splitlines()[0].split(";")[0][:60] for _, _, done in log if done.code)
    print(f"soak: {OFFICERS} officers, {SECONDS:.0f} s: {len(log)} commands, {sum(refusals.values())} refused: "
          f"{refusals.most_common(6)}")  # shown with -s
    unclear = [str(done) for _, _, done in log if not done.clear]
    assert not unclear, "\n".join(unclear[:5])
    registered = {json.loads(done.out)["ref"]: kind.split()[1] for _, kind, done in log
                  if kind.startswith("register") and done.code == 0}
    advanced = Counter((kind.split()[1], name, kind.split()[0]) for name, kind, done in log
                       if not kind.startswith("register") and done.code == 0)
    assert registered and advanced, log  # it did run
    with db.unit_of_work(app.engine, write=False) as s:
        rows = {r.id: r for r in s.execute(select(models.Request)).scalars()}
        events = s.execute(select(models.Event)).scalars().all()
    names = {r.ref: r.applicant_name for r in rows.values()}
    assert {ref: names.get(ref) for ref in registered} == registered  # every reference printed is there, as given
    assert sorted(r.seq for r in rows.values()) == list(range(1, SHARED + len(registered) + 1))  # no gap, none twice
    recorded = Counter((rows[e.request_id].ref, e.officer, e.action) for e in events
                       if e.action in ACTIONS and e.officer.startswith("officer"))
    assert recorded == advanced  # every advance that said it succeeded, and no other
    verified = run(db_target, "verify")
    assert verified.code == 0, verified
