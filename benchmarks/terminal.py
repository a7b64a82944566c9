"""A command started in a pseudo-terminal, as an officer starts it: how long until the screen shows
what they wait for (figure 8's ``gongkai work``).

The command runs with a real terminal of the given size (Textual's own driver, the escape sequences
it writes, the terminal check of ``gongkai work``); the screen is read as it is written, its control
sequences and spaces left out, until every marker has been drawn. Then ``q`` is typed and the
process's exit is awaited, so its whole life is timed too.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Sequence

_CONTROL = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\s")


def screen_text(raw: bytes) -> str:
    """What the terminal was told to show, without its control sequences and spaces."""
    return _CONTROL.sub("", raw.decode("utf-8", "replace"))


def read_until(fd: int, markers: Sequence[str], seconds: float, alive: Callable[[], bool] = lambda: True) -> str | None:
    """Read the terminal at ``fd`` until every marker (spaces left out) is on it: what it showed, or
    None when ``seconds`` passed or ``alive()`` turned false first."""
    seen, end = b"", time.perf_counter() + seconds
    poll = select.poll()  # not select.select: a long test session has descriptors past 1024
    poll.register(fd, select.POLLIN)
    while time.perf_counter() < end and alive():
        if poll.poll(100):
            try:
                seen += os.read(fd, 1 << 16)
            except OSError:
                break
            if all(m in screen_text(seen) for m in markers):
                return screen_text(seen)
    return None


def first_screen(command: Sequence[str], markers: Sequence[str], size: tuple[int, int] = (120, 40),
                 timeout: float = 60.0) -> tuple[float, float]:
    """(seconds from starting ``command`` until every marker is on the screen, until it exited after ``q``)."""
    columns, lines = size
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(lines)}
    start = time.perf_counter()
    proc = subprocess.Popen(list(command), stdin=follower, stdout=follower, stderr=follower, env=env,
                            start_new_session=True)
    os.close(follower)
    try:
        if read_until(leader, markers, timeout, lambda: proc.poll() is None) is None:
            raise RuntimeError(f"{' '.join(command)}: {', '.join(markers)} not on the screen (exit {proc.poll()})")
        shown = time.perf_counter() - start
        os.write(leader, b"q")
        poll = select.poll()
        poll.register(leader, select.POLLIN)
        while proc.poll() is None and time.perf_counter() - start < timeout:  # a terminal reads what the
            try:                                                               # program writes as it quits
                if poll.poll(100):
                    os.read(leader, 1 << 16)
            except OSError:
                break
        code = proc.wait(timeout=max(1.0, timeout - (time.perf_counter() - start)))
        if code != 0:
            raise RuntimeError(f"{' '.join(command)} exited {code} after q")
        return shown, time.perf_counter() - start
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(leader)
