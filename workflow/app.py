"""The composition root: what a command runs against.

``Gongkai`` holds the database engine, the settings and calendar, the officer at the keyboard and the
day it is. The CLI builds one at start-up and passes it to the use cases; tests build their own.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from sqlalchemy import Engine, or_
from sqlmodel import col, select

from rules.calendar import CalendarUnavailable
from workflow.domain.errors import CalendarMissing
from workflow.domain.lifecycle import Context
from workflow.settings import Settings
from workflow.store import db, history, models
from workflow.usecases import agencies


def current_officer() -> str:
    return os.environ.get("GONGKAI_OFFICER") or getpass.getuser()


@dataclass
class Gongkai:
    engine: Engine
    settings: Settings
    officer: str
    today: date
    agency: str | None = None  # the agency the actor is confined to; None: every agency
    role: str = "single"  # see workflow.usecases.agencies

    @classmethod
    def open(cls, target: str | None = None, officer: str | None = None, today: date | None = None,
             agency: str | None = None, settings: Settings | None = None) -> Gongkai:
        settings = settings or Settings.load()
        engine = db.make_engine(target)
        db.ensure_schema(engine)
        officer = officer or current_officer()
        with db.unit_of_work(engine, write=False) as session:
            identity = agencies.resolve(session, officer, agency)
        app = cls(engine, settings, officer, today or date.today(), identity.agency, identity.role)
        refresh_if_calendar_changed(app)
        return app

    @property
    def home_agency(self) -> str:
        return self.agency or self.settings.agency

    @cached_property
    def context(self) -> Context:
        return Context(self.settings.calendar, self.settings.periods)


FINGERPRINT = "calendar_fingerprint"


def refresh_if_calendar_changed(app: Gongkai) -> int:
    """Recompute every open request's cached deadlines when the calendar or periods changed.

    Adding ``config/holidays/2027.toml`` turns provisional deadlines into official ones this way,
    the next time any command opens the database. Returns how many requests were recomputed.
    """
    fingerprint = app.settings.calendar_fingerprint
    with db.unit_of_work(app.engine, write=False) as session:
        stored = session.get(models.Meta, FINGERPRINT)
        if stored is not None and stored.value == fingerprint:
            return 0
    app.settings.calendar  # noqa: B018 - read every year file now: a broken one is reported at once
    with db.unit_of_work(app.engine) as session:
        stored = session.get(models.Meta, FINGERPRINT)
        if stored is not None and stored.value == fingerprint:
            return 0
        rows = session.execute(
            select(models.Request).where(
                or_(col(models.Request.state) != "concluded", col(models.Request.reply_due_provisional))
            )
        ).scalars().all()
        for row in rows:
            case = history.load(session, row, app.context)
            try:
                case.schedule()
            except CalendarUnavailable as e:
                raise CalendarMissing(str(e)) from None
            history.save_cache(session, row, case, row.version)
        session.merge(models.Meta(key=FINGERPRINT, value=fingerprint))
        return len(rows)


