"""Importers under abuse: malformed files change nothing, and a killed import is all or nothing."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.database import Cli, dump
from tests.integration.test_import_requests import HEADER, generated, write_csv

TODAY = "2026-11-25 10:00 +0800"
CELLS = st.one_of(
    st.sampled_from(["2026-02-30", "2026-13-01", "0000-00-00", "2026/3/2", "3月2日", "", "自然人", "disclosed",
                     "=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "\x00\x01\x02", "\ufeff", "\r\n",
                     "a" * 200_000, "网络", "2026-03-02", "99999999999", "NaN", "2026-0001"]),
    st.text(max_size=20),
)


def _csv(rows: list[list[str]], encoding: str) -> bytes:
    import csv

    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(HEADER)
    w.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


MALFORMED = st.one_of(
    st.binary(max_size=2000).map(lambda b: ("csv", b)),
    st.lists(st.lists(CELLS, min_size=1, max_size=len(HEADER) + 2), min_size=1, max_size=5).flatmap(
        lambda rows: st.sampled_from(["utf-8", "gb18030", "utf-16", "latin-1"]).map(lambda enc: ("csv", _csv(rows, enc)))),
    st.integers(10, 3000).map(lambda cut: ("xlsx", cut)),
)


def _xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["", "", "2026-03-02", "online", "natural_person", "张三", "某信息"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("importfuzz") / "fuzz.sqlite"
    with time_machine.travel(TODAY, tick=False):
        Cli(str(path))("register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "张三",
                       "--applicant-type", "natural_person", "--subject", "某信息")
    return path


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("GONGKAI_FUZZ_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=MALFORMED, kind=st.sampled_from(["requests", "appeals"]))
def test_a_malformed_file_is_refused_with_a_message_and_nothing_is_written(seeded, tmp_path_factory, case, kind) -> None:  # type: ignore[no-untyped-def]
    fmt, content = case
    if fmt == "xlsx":
        content = _xlsx_bytes()[:content]  # a truncated workbook
    path = tmp_path_factory.mktemp("f") / f"bad.{fmt}"
    path.write_bytes(content)
    before = dump(str(seeded))
    cli = Cli(str(seeded))
    with time_machine.travel(TODAY, tick=False):
        result = cli.runner.invoke(__import__("cli.app").app.app, ["--db", str(seeded), "import", kind, str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert result.exit_code == 1 and result.stderr.startswith("gongkai: "), result.stderr[:300]
        assert dump(str(seeded)) == before


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    return write_csv(tmp_path_factory.mktemp("big") / "big.csv", generated(100_000))


def _import(db: str, sheet: Path) -> subprocess.Popen[str]:
    from tests.database import created

    env = {**os.environ, "GONGKAI_DB": created(db)}  # gongkai refuses a database that does not exist
    return subprocess.Popen([sys.executable, "-m", "cli", "import", "requests", str(sheet)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def full_import_seconds(big_csv: Path, tmp_path_factory) -> float:  # type: ignore[no-untyped-def]
    db = str(tmp_path_factory.mktemp("timing") / "t.sqlite")
    started = time.monotonic()
    proc = _import(db, big_csv)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    return time.monotonic() - started


@pytest.mark.slow
@pytest.mark.parametrize("fraction", [0.5, 0.8, 0.97])
def test_an_import_killed_midway_is_wholly_absent_or_wholly_present(
        db_target: str, big_csv: Path, full_import_seconds: float, fraction: float) -> None:
    proc = _import(db_target, big_csv)
    time.sleep(full_import_seconds * fraction)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    cli = Cli(db_target)
    with time_machine.travel(TODAY, tick=False):
        report = cli.json("verify")
    assert report["findings"] == []  # type: ignore[index]
    assert report["checked"] in (0, 100_000)  # type: ignore[index]
