"""The cli tier: the command line itself (output, exit codes, help, start-up), in process and in
subprocesses, each test on a fresh SQLite file or PostgreSQL database."""

from tests.database import app, cli, db_path, db_target, make_app  # noqa: F401 - the fixtures of this tier
