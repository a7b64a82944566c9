"""The cli tier: the command line itself (output, exit codes, help, start-up), in process and in subprocesses. A database per test (tests/database.py)."""

from tests.database import app, cli, db_path, db_target, make_app  # noqa: F401 - fixtures of this tier
