"""Schema versions: Alembic migrations in ``workflow/store/migrations``, applied by ``gongkai db upgrade``.

A new database is created from the models and stamped at the head revision; an existing one must be
at the head before any command runs, so a newer gongkai never writes into an older schema. The head
revision is also kept here as a constant: commands check it with one query instead of loading
Alembic (a quarter of a second) at every start. ``tests/integration/test_schema.py`` keeps the constant equal to
the migrations' head, and the migrations equal to the models (``alembic check``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, inspect, text

HEAD = "0007"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def current(bind: Engine | Connection) -> str | None:
    """The revision the database is at; None for a database with no gongkai tables. Given a
    connection, it asks inside that connection's transaction (the start-up read)."""
    names = set(inspect(bind).get_table_names())
    if "request" not in names:
        return None
    if "alembic_version" not in names:
        return "unversioned"
    if isinstance(bind, Connection):
        return bind.execute(text("SELECT version_num FROM alembic_version")).scalar()
    with bind.connect() as c:
        return c.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(engine: Engine) -> Any:
    import sys

    from alembic.config import Config

    # Alembic's default output stream is bound when it is first imported; pass today's explicitly.
    cfg = Config(stdout=sys.stdout)
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def create(engine: Engine) -> bool:
    """Create the tables at the head revision; False if another command created them first."""
    from workflow.store.models import metadata
    from workflow.store.postgres import roles

    # One transaction (DDL is transactional on both databases) that commands starting together on
    # a new database take one after the other: the first creates, the others find it created.
    with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as c:
        if c.dialect.name == "postgresql":
            c.execute(text("SELECT pg_advisory_xact_lock(hashtext('gongkai-schema'))"))
        if current(c) is not None:
            return False
        metadata.create_all(c)
        c.execute(text("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL, "
                       "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"))
        c.execute(text("DELETE FROM alembic_version"))
        c.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": HEAD})
        roles.install(c)  # PostgreSQL: group roles, privileges, row-level security
        return True


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the database to the head revision; returns (before, after)."""
    from alembic import command

    before = current(engine)
    if before is None and create(engine):
        return None, HEAD
    before = before or current(engine)  # created by a command that started together with this one
    cfg = alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
    return before, HEAD
