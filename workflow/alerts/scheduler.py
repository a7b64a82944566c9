"""``gongkai scheduler run``: the long-running process that sweeps every day, and at start-up.

APScheduler 3.x with its job store in gongkai's own database (table ``apscheduler_jobs``): the daily
sweep at ``alerts.daily_at`` and the retry of failed deliveries every ``alerts.retry_minutes`` have
stable ids and are replaced, not duplicated, at every start. A sweep also runs as soon as the
scheduler starts, so a day missed while the machine was off is caught up (a sweep reports where
each deadline stands now). Two schedulers on one database both run the jobs; the sweep is
idempotent and a delivery is claimed by one of them, so nothing is sent twice.

SIGTERM (``systemctl stop``) and SIGINT stop it cleanly: no new job starts, a running sweep
finishes, and the process exits 0.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from workflow.alerts import sweep as alerts
from workflow.alerts.settings import AlertSettings, alert_settings
from workflow.app import Gongkai
from workflow.usecases import integrity

DAILY_JOB = "gongkai-daily-sweep"
RETRY_JOB = "gongkai-retry-deliveries"
STARTUP_JOB = "gongkai-startup-sweep"
JOBS_TABLE = "apscheduler_jobs"

# The running scheduler's gongkai and its output. Persistent jobs name their function by reference
# (``workflow.alerts.scheduler:daily_sweep``) with no arguments, so no database URL is pickled into the store.
_running: dict[str, Any] = {}


def _say(line: str) -> None:
    _running.get("say", print)(line)


def _today_app() -> Gongkai:
    app: Gongkai = _running["app"]
    return replace(app, today=date.today())


def describe(result: alerts.SweepResult) -> list[str]:
    """The lines a sweep prints: each new alert, then what was delivered and what waits."""
    lines = [f"ALERT {a['ref'] or a['agency']} {a['message']}" + (f" ({a['officer']})" if a["officer"] else "")
             for a in result.new]
    d = result.delivered
    lines.append(f"sweep {result.on.isoformat()}: {len(result.new)} new alert(s); sent log {d.sent['log']}, "
                 f"mail {d.sent['mail']}; {d.pending} delivery(ies) pending")
    lines += [f"FAILED {f['channel']} {f['recipient']}: {f['error']}" for f in d.failed]
    return lines


def daily_sweep() -> None:
    """The job: one sweep for today. Errors are printed, never raised into the scheduler."""
    try:
        app = _today_app()
        for line in describe(alerts.sweep(app)):
            _say(line)
        if not integrity.checkpoint_after(app):  # every chain head, once a day, signed when a key is configured
            _say("checkpoint failed: see `gongkai evidence checkpoint`")
    except Exception as e:  # noqa: BLE001 - a failed sweep must not stop the scheduler; the next one retries
        _say(f"sweep failed: {type(e).__name__}: {e}")


def retry_deliveries() -> None:
    """The job: send the deliveries that failed earlier (a mail server that was down)."""
    try:
        d = alerts.deliver(_today_app())
    except Exception as e:  # noqa: BLE001
        _say(f"retry failed: {type(e).__name__}: {e}")
        return
    if d.sent["log"] or d.sent["mail"] or d.failed:
        _say(f"retry: sent log {d.sent['log']}, mail {d.sent['mail']}; {d.pending} pending")
        for f in d.failed:
            _say(f"FAILED {f['channel']} {f['recipient']}: {f['error']}")


def build(app: Gongkai, cfg: AlertSettings) -> Any:
    """A BackgroundScheduler with the jobs in the database, not yet started."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.memory import MemoryJobStore
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    tz = ZoneInfo(cfg.timezone)
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=app.engine, tablename=JOBS_TABLE), "memory": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(1)},  # one sweep at a time
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 6 * 3600},
        timezone=tz,
    )
    hour, minute = cfg.daily_at
    scheduler.add_job("workflow.alerts.scheduler:daily_sweep", CronTrigger(hour=hour, minute=minute, timezone=tz),
                      id=DAILY_JOB, name="daily deadline sweep", replace_existing=True)
    scheduler.add_job("workflow.alerts.scheduler:retry_deliveries", IntervalTrigger(minutes=cfg.retry_minutes, timezone=tz),
                      id=RETRY_JOB, name="retry failed deliveries", replace_existing=True)
    scheduler.add_job(daily_sweep, "date", run_date=datetime.now(tz), id=STARTUP_JOB, name="start-up sweep",
                      jobstore="memory", misfire_grace_time=None)
    return scheduler


def run(app: Gongkai, stop: threading.Event | None = None, say: Callable[[str], None] | None = None) -> None:
    """Run until SIGTERM or SIGINT (or ``stop`` is set): start-up sweep, then the daily one."""
    cfg = alert_settings(app.settings)
    stop = stop or threading.Event()
    _running.update(app=app, say=say or _print)
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    scheduler = build(app, cfg)
    scheduler.start()
    daily = scheduler.get_job(DAILY_JOB)
    _say(f"scheduler started: daily sweep at {cfg.daily_at[0]:02d}:{cfg.daily_at[1]:02d} {cfg.timezone} "
         f"(next {daily.next_run_time.isoformat()}), retries every {cfg.retry_minutes} min")
    try:
        while not stop.wait(1.0):
            pass
    finally:
        scheduler.shutdown(wait=True)
        _say("scheduler stopped")
        _running.clear()


def _print(line: str) -> None:
    print(line, flush=True)
    sys.stdout.flush()
