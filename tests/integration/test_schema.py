"""Schema migrations: the models and the migrations agree, and commands refuse an outdated schema."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from tests.database import Cli
from workflow.store import db, schema


def test_the_head_constant_is_the_migrations_head(db_target: str) -> None:
    cfg = schema.alembic_config(db.make_engine(db_target))
    assert ScriptDirectory.from_config(cfg).get_current_head() == schema.HEAD


def test_migrating_an_empty_database_gives_exactly_the_models(db_target: str) -> None:
    engine = db.make_engine(db_target)
    cfg = schema.alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.check(cfg)  # raises if autogenerate would find any difference (`alembic check`)
    assert schema.current(engine) == schema.HEAD


def test_a_new_database_is_created_at_head_and_agrees_with_the_migrations(cli: Cli, db_target: str) -> None:
    cli("list")  # creates the database from the models
    engine = db.make_engine(db_target)
    assert schema.current(engine) == schema.HEAD
    cfg = schema.alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.check(cfg)
    assert f"→ {schema.HEAD}" in cli("db", "upgrade").stdout
    assert cli.json("db", "status")["schema"] == schema.HEAD  # type: ignore[index]


def test_commands_refuse_a_database_at_another_schema(cli: Cli, db_target: str) -> None:
    cli("list")
    engine = db.make_engine(db_target)
    with engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    result = cli("list", ok=False)
    assert result.exit_code == 1 and "再运行 gongkai db upgrade" in result.stderr


@pytest.mark.parametrize("table", ["apscheduler_jobs"])
def test_the_schedulers_own_table_is_not_ours_to_migrate(db_target: str, table: str) -> None:
    engine = db.make_engine(db_target)
    schema.create(engine)
    with engine.begin() as c:
        c.execute(text(f"CREATE TABLE {table} (id VARCHAR(191) PRIMARY KEY, next_run_time FLOAT)"))
    cfg = schema.alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.check(cfg)


def test_a_database_at_the_first_revision_is_upgraded_by_the_command(cli: Cli, db_target: str) -> None:
    engine = db.make_engine(db_target)
    cfg = schema.alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0001")
    refused = cli("list", ok=False)
    assert "数据库的结构版本是 0001" in refused.stderr
    assert f"0001 → {schema.HEAD}" in cli("db", "upgrade").stdout
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.check(cfg)
    assert cli.json("list") == []
