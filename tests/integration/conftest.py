"""The integration tier: the use cases and the features built on them (imports, reports, closing,
alerts, mail, the scheduler), each test on a fresh SQLite file or PostgreSQL database."""

from tests.database import app, cli, db_path, db_target, make_app  # noqa: F401 - the fixtures of this tier
