"""Where a benchmark keeps its files, and the database of N requests it builds once and reuses.

``WORKDIR/n<N>-s<seed>-d<data version>-<schema>/`` holds the generated ``requests.csv`` and
``appeals.csv`` and ``gongkai.sqlite`` imported from them; ``ready`` is written last, so an
interrupted build is redone rather than used. A new data generator or schema revision gets a new
directory. Every gongkai the benchmark starts reads ``WORKDIR/gongkai-config`` (the defaults, plus a
JSON-lines alert log) and never the user's own configuration or database.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

DATA_VERSION = 1  # bump when benchmarks.data changes what it generates
OFFICER = "基准测试"
CONFIG = """# Written by the benchmarks: the defaults, and an alert log as a deployment would keep.
[alerts]
log = "alerts.jsonl"
"""


def default_workdir() -> Path:
    return Path(tempfile.gettempdir()) / "gongkai-benchmarks"


@dataclass(frozen=True)
class Workspace:
    root: Path
    n: int
    seed: int

    @property
    def config(self) -> Path:
        return self.root / "gongkai-config"

    @property
    def dir(self) -> Path:
        from workflow.store.schema import HEAD

        return self.root / f"n{self.n}-s{self.seed}-d{DATA_VERSION}-{HEAD}"

    @property
    def requests_csv(self) -> Path:
        return self.dir / "requests.csv"

    @property
    def appeals_csv(self) -> Path:
        return self.dir / "appeals.csv"

    @property
    def database(self) -> Path:
        return self.dir / "gongkai.sqlite"

    @property
    def ready(self) -> bool:
        return (self.dir / "ready").is_file() and self.database.is_file()

    def scratch(self, name: str) -> Path:
        """A path for a throw-away database (removed first, with its WAL files)."""
        path = self.dir / "scratch" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_database(path)
        return path

    def prepare(self) -> None:
        """Create the directories and the configuration, and set the environment every process started
        from here inherits: that configuration, and compiled bytecode kept in ``WORKDIR/pycache``, as an
        installed package has it (``PYTHONDONTWRITEBYTECODE`` would make every start compile gongkai's
        modules again, a cost no installed gongkai pays). The configuration directory is not named
        ``config``: a process started in the work directory would import it instead of gongkai's package."""
        self.dir.mkdir(parents=True, exist_ok=True)
        self.config.mkdir(parents=True, exist_ok=True)
        (self.config / "gongkai.toml").write_text(CONFIG, encoding="utf-8")
        os.environ["GONGKAI_CONFIG_DIR"] = str(self.config)
        os.environ["GONGKAI_OFFICER"] = OFFICER
        os.environ["PYTHONPYCACHEPREFIX"] = str(self.root / "pycache")
        for name in ("GONGKAI_DB", "GONGKAI_AGENCY", "PYTHONDONTWRITEBYTECODE"):
            os.environ.pop(name, None)

    def mark_ready(self) -> None:
        (self.dir / "ready").write_text(date.today().isoformat() + "\n", encoding="utf-8")

    def copy_database(self, name: str) -> Path:
        """A copy of the imported database to change (the alert sweep records alerts)."""
        target = self.scratch(name)
        shutil.copyfile(self.database, target)
        return target


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
