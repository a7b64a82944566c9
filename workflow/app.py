"""The composition root: what a command runs against.

``Gongkai`` holds the database engine, the settings and calendar, the officer at the keyboard and the
day it is, and makes the unit of work every change goes through. The CLI builds one at start-up and
passes it to the use cases; tests build their own, with an in-memory unit of work where no database
is wanted (``uow_factory``).

Opening checks everything a command relies on in one read transaction: the schema is at the head
revision, the officer is who they say within the registry, and the cached deadlines were computed
with the calendar now configured. Only when that calendar changed (a new year's holiday file, a
changed period) does opening write: every open request's deadlines are recomputed, once.
"""

from __future__ import annotations

import dataclasses
import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from workflow.domain.errors import ConcurrentChange, DatabaseError
from workflow.domain.identity import Identity
from workflow.domain.lifecycle import Context
from workflow.settings import Settings
from workflow.store import db, models, officers, schema
from workflow.store.unit_of_work import SqlUnitOfWork, UnitOfWork

FINGERPRINT = "calendar_fingerprint"


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
    uow_factory: Callable[[Gongkai], UnitOfWork] | None = None  # tests' in-memory unit of work
    signed_in: bool = False  # the actor is whoever signed in (workflow.store.officers)

    @classmethod
    def open(cls, target: str | None = None, officer: str | None = None, today: date | None = None,
             agency: str | None = None, settings: Settings | None = None, named: bool = True) -> Gongkai:
        """``named``: ``officer`` was named on the command line; once officers sign in, a name that is
        not the signed-in officer's is refused, and one from the environment changes nothing."""
        settings = settings or Settings.load()
        engine = db.make_engine(target)
        named = named and officer is not None
        identity, stale = _start_up(engine, settings, officer or current_officer(), agency, named)
        app = cls(engine, settings, identity.officer, today or date.today(), identity.agency, identity.role,
                  signed_in=identity.signed_in)
        # Row-level security shows an officer's connection only their agency's requests: the refresh
        # waits for a command that sees every agency.
        if stale and not (identity.signed_in and identity.agency and engine.dialect.name == "postgresql"):
            refresh_deadlines(app)
        return app

    @property
    def home_agency(self) -> str:
        return self.agency or self.settings.agency

    @property
    def identity(self) -> Identity:
        return Identity(self.officer, self.role, self.agency, self.signed_in)

    @cached_property
    def context(self) -> Context:
        return Context(self.settings.calendar, self.settings.periods)

    def unit_of_work(self, write: bool = True) -> UnitOfWork:
        """Where a use case reads and changes requests; ``write=False`` for one that only reads."""
        if self.uow_factory is not None:
            return self.uow_factory(self)
        return SqlUnitOfWork(self.engine, self.identity, self.context, write)


def _start_up(engine: Engine, settings: Settings, officer: str, agency: str | None,
              named: bool = True) -> tuple[Identity, bool]:
    """The start-up checks in one read transaction: (who acts, whether the cached deadlines are stale)."""
    try:
        with db.unit_of_work(engine, write=False) as session:
            at = schema.current(session.connection())
            if at is not None:
                db.require_head(at)
                identity = officers.resolve(session, officer, agency, named)
                stored = session.get(models.Meta, FINGERPRINT)
                return identity, stored is None or stored.value != settings.calendar_fingerprint
    except SQLAlchemyError as e:
        raise DatabaseError(f"无法打开数据库 {engine.url.render_as_string()}：{db.first_line(e)}") from None
    db.ensure_schema(engine)  # a new database: created at the head revision, then opened as any other
    return _start_up(engine, settings, officer, agency, named)


def refresh_deadlines(app: Gongkai, attempts: int = 5) -> int:
    """Recompute every open request's cached deadlines after the calendar or periods changed.

    Adding ``config/holidays/2027.toml`` turns provisional deadlines into official ones this way,
    the next time any command opens the database. Returns how many requests were recomputed.

    It happens once: commands that start together take a lock and the later ones find it done. It is
    no officer's act (it records no event), so it covers every agency's requests whoever opens, and
    an action committed meanwhile by a command that started before the change (whose version the
    refresh then finds moved on) makes it start again instead of failing the command that opened.
    """
    fingerprint = app.settings.calendar_fingerprint
    app.settings.calendar  # noqa: B018 - read every year file now: a broken one is reported at once
    everyone = dataclasses.replace(app, agency=None)
    for _ in range(attempts - 1):
        try:
            return _refresh_once(everyone, fingerprint)
        except ConcurrentChange:
            continue
    return _refresh_once(everyone, fingerprint)


def _refresh_once(app: Gongkai, fingerprint: str) -> int:
    with app.unit_of_work() as uow:
        uow.lock("gongkai-refresh")  # commands that start together refresh once, one after the other
        if uow.meta(FINGERPRINT) == fingerprint:  # another command refreshed them meanwhile
            return 0
        count = sum(1 for _ in uow.requests.stale())
        uow.set_meta(FINGERPRINT, fingerprint)
        uow.commit()
        return count
