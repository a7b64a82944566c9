"""The integration tier: the use cases and the features built on them (imports, reports, closing, alerts, mail, the scheduler) on a real SQLite file or PostgreSQL database. A database per test (tests/database.py)."""

from tests.database import app, cli, db_path, db_target, make_app  # noqa: F401 - fixtures of this tier
