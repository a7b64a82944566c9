"""``gongkai scheduler run``: a sweep at start-up, the daily job in the database, a clean stop on SIGTERM."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import text

from tests.integration.test_alerts import register
from workflow.alerts import scheduler
from workflow.alerts import sweep as alerts
from workflow.app import Gongkai

SHANGHAI = ZoneInfo("Asia/Shanghai")


def stored_jobs(app: Gongkai) -> dict[str, datetime]:
    with app.engine.connect() as c:
        rows = c.execute(text(f"SELECT id, next_run_time FROM {scheduler.JOBS_TABLE}")).all()
    return {i: datetime.fromtimestamp(t, SHANGHAI) for i, t in rows}


def run_in_thread(app: Gongkai) -> tuple[threading.Thread, threading.Event, queue.Queue[str]]:
    stop, lines = threading.Event(), queue.Queue[str]()
    thread = threading.Thread(target=scheduler.run, args=(app, stop, lines.put))
    thread.start()
    return thread, stop, lines


def wait_for(lines: queue.Queue[str], prefix: str, seen: list[str]) -> str:
    while True:
        line = lines.get(timeout=60)
        seen.append(line)
        if line.startswith(prefix):
            return line


def test_the_scheduler_sweeps_at_start_up_and_keeps_its_daily_job_in_the_database(
        make_app: Callable[..., Gongkai]) -> None:
    """Started Mon 2026-03-16 10:00 in Shanghai: the reply of a request received 02-10 is due today;
    the next daily sweep is Tue 03-17 07:30. A restart replaces the jobs and sends nothing twice."""
    app = make_app(today=date(2026, 3, 16))
    ref = register(app, date(2026, 2, 10))
    with time_machine.travel(datetime(2026, 3, 16, 10, 0, tzinfo=SHANGHAI), tick=False):
        thread, stop, lines = run_in_thread(app)
        seen: list[str] = []
        assert wait_for(lines, "sweep ", seen).startswith("sweep 2026-03-16: 1 new alert(s)")
        assert f"ALERT {ref} 答复期限今日（2026-03-16）届满 (李明)" in seen
        # The start-up sweep runs in the scheduler's thread: its lines and "scheduler started" come in either order.
        started = (next((line for line in seen if line.startswith("scheduler started")), None)
                   or wait_for(lines, "scheduler started", seen))
        assert started.startswith("scheduler started: daily sweep at 07:30 Asia/Shanghai (next 2026-03-17T07:30:00+08:00)")
        stop.set()
        thread.join(60)
        assert not thread.is_alive() and wait_for(lines, "scheduler stopped", seen)
        jobs = stored_jobs(app)
        assert set(jobs) == {scheduler.DAILY_JOB, scheduler.RETRY_JOB}
        assert jobs[scheduler.DAILY_JOB] == datetime(2026, 3, 17, 7, 30, tzinfo=SHANGHAI)

        thread, stop, lines = run_in_thread(app)  # a restart: same jobs, nothing sent twice
        assert wait_for(lines, "sweep ", []).startswith("sweep 2026-03-16: 0 new alert(s)")
        stop.set()
        thread.join(60)
    assert set(stored_jobs(app)) == {scheduler.DAILY_JOB, scheduler.RETRY_JOB}
    assert [a["threshold"] for a in alerts.list_alerts(app)] == ["due"]


def test_the_daily_job_catches_up_a_missed_day_on_the_day_it_runs(make_app: Callable[..., Gongkai]) -> None:
    """The machine was off over 03-17 and 03-18: on 03-19 the job reports overdue-3 only."""
    app = make_app(today=date(2026, 3, 16))
    register(app, date(2026, 2, 10))
    scheduler._running.update(app=app, say=(said := []).append)
    try:
        for day in (16, 19):
            with time_machine.travel(datetime(2026, 3, day, 7, 30, tzinfo=SHANGHAI), tick=False):
                scheduler.daily_sweep()
    finally:
        scheduler._running.clear()
    assert [line.split(" ")[1] for line in said if line.startswith("ALERT")] == ["2026-0001", "2026-0001"]
    assert [a["threshold"] for a in alerts.list_alerts(app)] == ["overdue-3", "due"]


def test_the_scheduler_process_sweeps_at_start_up_and_stops_on_sigterm(
        db_target: str, make_app: Callable[..., Gongkai], _isolated_config: Path) -> None:
    (_isolated_config / "gongkai.toml").write_text('[alerts]\nlog = "alerts.jsonl"\n', encoding="utf-8")
    received = date.today() - timedelta(days=60)  # the real clock: this process cannot travel in time
    register(make_app(today=date.today()), received)
    proc = subprocess.Popen([sys.executable, "-m", "cli", "--db", db_target, "scheduler", "run"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines: queue.Queue[str] = queue.Queue()
        reader = threading.Thread(target=lambda: [lines.put(line.rstrip("\n")) for line in proc.stdout],  # type: ignore[union-attr]
                                  daemon=True)
        reader.start()
        seen: list[str] = []
        assert wait_for(lines, "sweep ", seen).startswith(f"sweep {date.today().isoformat()}: ")
        assert any(line.startswith("ALERT ") and "答复期限" in line for line in seen), seen
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        reader.join(10)
        err = proc.stderr.read()  # type: ignore[union-attr]
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert wait_for(lines, "scheduler stopped", seen) and "Traceback" not in err
    logged = [json.loads(line) for line in (_isolated_config / "alerts.jsonl").read_text().splitlines()]
    assert [x["kind"] for x in logged] == ["reply"] and logged[0]["threshold"].startswith("overdue-")
