"""Officers as separate ``gongkai`` processes on one database, for the race and soak tests: each
command is the real command line, started with ``python -m cli``, and what it printed is kept so a
test can say that every refusal was a clear one-line message and never a traceback or a raw SQL
error."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

TIMEOUT = 180
# What only an unhandled error prints: Python's traceback, the database driver's or SQLAlchemy's own words.
RAW = ("Traceback", "psycopg", "sqlalchemy", "sqlite3.", "IntegrityError", "OperationalError", "duplicate key",
       "UNIQUE constraint", "violates", "deadlock", "could not serialize", "background on this error")


@dataclass
class Done:
    args: tuple[str, ...]
    code: int
    out: str
    err: str

    @property
    def clear(self) -> bool:
        """Succeeded, or refused with exit 1 and a short message in words (no traceback, no raw SQL)."""
        text = self.out + self.err
        if any(raw.lower() in text.lower() for raw in RAW):
            return False
        return self.code == 0 or (self.code == 1 and 0 < len(self.err.strip().splitlines()) <= 3)

    def __str__(self) -> str:
        return f"gongkai {' '.join(self.args)} → exit {self.code}\n{self.out}{self.err}"


def start(db: str, *args: str, officer: str = "李明") -> subprocess.Popen[str]:
    env = {**os.environ, "GONGKAI_DB": db, "GONGKAI_OFFICER": officer, "COLUMNS": "200"}
    return subprocess.Popen([sys.executable, "-m", "cli", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen[str]) -> Done:
    out, err = proc.communicate(timeout=TIMEOUT)
    return Done(tuple(str(a) for a in proc.args[3:]), proc.returncode, out, err)  # type: ignore[index]


def together(db: str, *commands: tuple[str, ...]) -> list[Done]:
    """Start every command at once, each in its own process; what each one did."""
    procs = [start(db, *command) for command in commands]
    return [finish(p) for p in procs]


def run(db: str, *args: str, officer: str = "李明") -> Done:
    return finish(start(db, *args, officer=officer))
