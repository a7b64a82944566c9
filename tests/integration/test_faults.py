"""The fault suite: ``gongkai backup`` and ``gongkai restore`` killed (SIGKILL, the whole process
group, as a power cut would) at random moments of real runs.

After every kill the live database verifies (``gongkai verify``: 0 findings) and is the database as
it was, or, for a restore, the backup; nothing incomplete is left at a name a user would open: a
backup or a safety copy at its final name is whole (it is the database it copied). What a killed
writer leaves is a hidden private temporary file (``.NAME.PID.partial``, 0600), never more.

Each test times an unkilled run first, then kills at moments drawn from it: anywhere in the run,
and just after the temporary file or the safety copy appears (the copy and the swap are the short
windows that matter). The seed is printed, so a failure can be replayed.
"""

from __future__ import annotations

import csv
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import suppress
from pathlib import Path

import pytest

from tests.conftest import BACKEND
from tests.database import Cli, dump
from tests.pgserver import PgServer

pytestmark = pytest.mark.slow
TRIALS = int(os.environ.get("GONGKAI_FAULT_TRIALS", "12"))  # per test; each ends in a full verify
REQUESTS = 400


def many_requests(cli: Cli, tmp_path: Path, n: int, first: int = 1) -> None:
    """``n`` concluded requests, imported in one go (received Mon 2026-03-02, disclosed 03-20)."""
    sheet = tmp_path / f"rows{first}.csv"
    with sheet.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["ref", "received_on", "channel", "applicant_type", "applicant_name", "subject",
                      "outcome", "concluded_on"])
        out.writerows([f"2026-{i:04d}", "2026-03-02", "online", "natural_person", f"张{i}",
                       "2025年城乡居民最低生活保障资金发放明细", "disclosed", "2026-03-20"]
                      for i in range(first, first + n))
    cli("import", "requests", str(sheet))


def started(cli: Cli, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "cli", "--db", cli.db, *args], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def timed(cli: Cli, *args: str) -> float:
    begin = time.monotonic()
    proc = started(cli, *args)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    return time.monotonic() - begin


def kill(proc: subprocess.Popen[bytes]) -> int:
    """SIGKILL to gongkai and anything it started (pg_dump, pg_restore): the machine stopped."""
    with suppress(ProcessLookupError):  # its own session: the group's id is its id, even once it exited
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    return proc.returncode


def kill_at(proc: subprocess.Popen[bytes], rng: random.Random, total: float, watch: Path,
            aim: str | None, window: float) -> str:
    """Kill ``proc`` at a random moment of its run, or (``aim``) a random moment within ``window``
    seconds after a file matching ``aim`` appears in ``watch``; says where the kill fell: "finished",
    "swapping" (a safety copy was there: only the restore's swap comes after it), "copying" (a
    temporary file was there: a backup, or a restore checking its file or copying the live one) or
    "starting"."""
    if aim is None:
        time.sleep(rng.uniform(0, total))
    else:
        deadline = time.monotonic() + total * 3
        while time.monotonic() < deadline and proc.poll() is None and not list(watch.glob(aim)):
            time.sleep(0.001)
        time.sleep(rng.uniform(0, window))
    names = [p.name for p in watch.iterdir()]
    fell = "finished" if proc.poll() is not None else \
        "swapping" if any(n.endswith((".bak", ".dump")) and "before-restore" in n for n in names) else \
        "copying" if any(n.startswith(".") and n.endswith(".partial") for n in names) else "starting"
    kill(proc)
    return fell


def verifies(cli: Cli) -> int:
    report = cli.json("verify")
    assert report["findings"] == [], report["findings"][:3]  # type: ignore[index]
    return int(report["checked"])  # type: ignore[index]


def leftovers_are_private_and_hidden(folder: Path, final: set[str]) -> list[Path]:
    left = [p for p in folder.iterdir() if p.name not in final]
    assert all(p.name.startswith(".") and ".partial" in p.name for p in left), left
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in left), left
    return left


def test_a_backup_killed_at_random_leaves_the_database_verifying_and_no_partial_file_at_its_name(
        cli: Cli, tmp_path: Path, pg_server: PgServer | None) -> None:
    seed = random.randrange(1 << 30)
    print(f"fault seed {seed}")
    rng = random.Random(seed)
    many_requests(cli, tmp_path, REQUESTS)
    before = cli.dump()
    out = tmp_path / "out"
    out.mkdir()
    total = timed(cli, "backup", str(out / "timing.bak"))
    (out / "timing.bak").unlink()
    fell: Counter[str] = Counter()
    for trial in range(TRIALS):
        target = out / f"b{trial}.bak"
        proc = started(cli, "backup", str(target))
        aim = f".{target.name}.*" if trial % 2 else None  # every other kill aimed at the copy itself
        fell[kill_at(proc, rng, total, out, aim, 0.05)] += 1
        fell["complete" if target.exists() else "absent"] += 1
        if target.exists():  # published only when whole: it is the database it copied
            assert content(target, pg_server) == before
        leftovers_are_private_and_hidden(out, {p.name for p in out.glob("b*.bak*")})
        assert cli.dump() == before and verifies(cli) == REQUESTS
    print(f"fault kills: {dict(fell)}")


_CHECKS = iter(range(1 << 30))


def content(copy: Path, server: PgServer | None) -> list[tuple]:
    """Every row of a backup: the SQLite file itself, or a pg_dump archive restored into a fresh
    database on the same server."""
    if server is None:
        return dump(str(copy))
    target = server.create_database(f"check_{next(_CHECKS)}")
    done = subprocess.run([_pg_tool("pg_restore"), "--no-owner", f"--dbname={_libpq(target)}", str(copy)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return dump(target)


def _pg_tool(name: str) -> str:
    from workflow.store import backup

    return backup._pg_tool(name)


def _libpq(target: str) -> str:
    from sqlalchemy.engine import make_url

    from workflow.store.db import resolve_url

    return make_url(resolve_url(target)).set(drivername="postgresql").render_as_string(hide_password=False)


def test_a_restore_killed_at_random_leaves_the_old_database_or_the_backup_and_either_verifies(
        cli: Cli, tmp_path: Path, pg_server: PgServer | None) -> None:
    seed = random.randrange(1 << 30)
    print(f"fault seed {seed}")
    rng = random.Random(seed)
    many_requests(cli, tmp_path, REQUESTS)
    backups = tmp_path / "backups"
    backups.mkdir()
    cli("backup", str(backups / "fewer.bak"))
    fewer = cli.dump()
    many_requests(cli, tmp_path, 30, first=REQUESTS + 1)
    cli("backup", str(backups / "more.bak"))
    more = cli.dump()
    live_folder = Path(cli.db).parent if BACKEND == "sqlite" else backups
    safety = "[!.]*before-restore-*[kp]"  # the copy itself (.bak, .dump), not its -wal or a temporary file
    total = timed(cli, "restore", str(backups / "fewer.bak"), "--yes")
    for copy in live_folder.glob("[!.]*before-restore-*"):
        copy.unlink()
    fell: Counter[str] = Counter()
    for trial in range(TRIALS):
        live = cli.dump()
        assert live in (fewer, more)
        other = "more.bak" if live == fewer else "fewer.bak"
        proc = started(cli, "restore", str(backups / other), "--yes")
        aim, window = ((None, 0.0), (".*before-restore-*", 0.2), (safety, 0.1))[trial % 3]
        fell[kill_at(proc, rng, total, live_folder, aim, window)] += 1
        after = cli.dump()
        assert after in (live, fewer if other == "fewer.bak" else more)
        fell["swapped" if after != live else "as it was"] += 1
        checked = verifies(cli)
        assert checked == (REQUESTS if after == fewer else REQUESTS + 30)
        for copy in live_folder.glob(safety):  # a safety copy at its final name is the whole live database
            assert content(copy, pg_server) == live
            for name in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
                name.unlink(missing_ok=True)
        final = {Path(cli.db).name, f"{Path(cli.db).name}-wal", f"{Path(cli.db).name}-shm"} \
            if BACKEND == "sqlite" else set()
        leftovers_are_private_and_hidden(live_folder, final | {"fewer.bak", "more.bak"} | {
            p.name for p in live_folder.glob("rows*.csv")} | {"backups"})
    print(f"fault kills: {dict(fell)}")
