"""``gongkai work`` in a real pseudo-terminal of 80×24: the officer types ``/`` and an applicant's name
and the screen shows the one request that matches (the morning of ``test_workbench``)."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import time

import pytest

from benchmarks import terminal
from tests.cli.test_workbench import morning  # noqa: F401 - the same three requests
from workflow.app import Gongkai

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def _read_until(fd: int, wanted: str, seconds: float) -> str:
    """Read the terminal until ``wanted`` (spaces left out) has been drawn; what it showed, or '' if it was not."""
    return terminal.read_until(fd, [wanted], seconds) or ""


def test_typing_a_name_after_slash_filters_the_screen(morning: Gongkai, db_target: str) -> None:  # noqa: F811
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    proc = subprocess.Popen([sys.executable, "-m", "cli", "--db", db_target, "--officer", "李明", "work",
                             "--on", "2026-11-25"], stdin=follower, stdout=follower, stderr=follower,
                            env=env, start_new_session=True)
    os.close(follower)
    try:
        first = _read_until(leader, "2025年财政预算执行情况", 30)
        assert "3件" in first and "2025年财政预算执行情况" in first  # the queue: 李四's request among 3
        os.write(leader, b"/")
        time.sleep(0.5)  # the filter takes the cursor, then the name is typed into it
        os.write(leader, "张三".encode())
        assert "1/3件" in _read_until(leader, "1/3件", 15)  # one of the three is shown
        os.write(leader, b"\x1b")
        time.sleep(0.5)
        os.write(leader, b"q")
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(leader)


def test_without_a_terminal_work_says_so_and_starts_nothing(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("work", ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("gongkai: work: 工作台需要在终端中运行")
