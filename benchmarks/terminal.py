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
from collections.abc import Sequence

_CONTROL = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\s")


def first_screen(command: Sequence[str], markers: Sequence[str], size: tuple[int, int] = (120, 40),
                 timeout: float = 60.0) -> tuple[float, float]:
    """(seconds from starting ``command`` until every marker is on the screen, until it exited after ``q``)."""
    columns, lines = size
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(lines)}
    wanted = [m.encode() for m in markers]
    start = time.perf_counter()
    proc = subprocess.Popen(list(command), stdin=follower, stdout=follower, stderr=follower, env=env,
                            start_new_session=True)
    os.close(follower)
    seen, shown = b"", None
    poll = select.poll()
    poll.register(leader, select.POLLIN)
    try:
        while shown is None and time.perf_counter() - start < timeout and proc.poll() is None:
            if poll.poll(100):
                seen += os.read(leader, 1 << 16)
                text = _CONTROL.sub(b"", seen)
                if all(m in text for m in wanted):
                    shown = time.perf_counter() - start
        if shown is None:
            tail = _CONTROL.sub(b"", seen)[-600:].decode("utf-8", "replace")
            raise RuntimeError(f"{' '.join(command)}: {', '.join(markers)} not on the screen (exit "
                               f"{proc.poll()}): {tail}")
        os.write(leader, b"q")
        while proc.poll() is None and time.perf_counter() - start < timeout:
            if poll.poll(100):
                try:
                    os.read(leader, 1 << 16)  # a terminal keeps reading what the program writes as it quits
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
