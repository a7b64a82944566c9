"""Alembic environment: the URL comes from GONGKAI_DB (or the caller's config), the models from workflow.store.models."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from workflow.store import models
from workflow.store.db import make_engine, resolve_url

config = context.config
target_metadata = models.metadata


def _ours(name: str | None, type_: str, parent_names: object) -> bool:
    """Only gongkai's tables: the scheduler keeps its jobs (apscheduler_jobs) in the same database."""
    return type_ != "table" or name in target_metadata.tables


def _configure(connection: Connection | None = None, url: str | None = None) -> None:
    is_sqlite = (url or str(connection.engine.url if connection is not None else "")).startswith("sqlite")
    context.configure(
        connection=connection, url=url, target_metadata=target_metadata,
        render_as_batch=is_sqlite,  # SQLite alters tables by copying them
        compare_type=True, literal_binds=connection is None, include_name=_ours,
    )


def run_offline() -> None:
    _configure(url=config.get_main_option("sqlalchemy.url") or resolve_url())
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or None)
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
