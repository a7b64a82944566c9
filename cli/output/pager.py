"""A listing longer than the screen goes through a pager when a person reads it at a terminal.

``list``, ``find`` and ``due`` draw as usual, onto a console the size and colours of the terminal that
writes into memory; if the listing is taller than the screen, it is handed to ``$PAGER`` (default
``less``, with ``LESS=-FRX`` unless set: colours kept, quit at the end of a short text, the listing left
on the screen), else written out. Never when stdout is not a terminal (a pipe, a file, a test) and
never with ``--json``, which does not come through here.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator

from cli.context import PAGING, console

FRAME = 6  # a table's title, header and borders, and a footnote


@contextlib.contextmanager
def paged(rows: int) -> Iterator[None]:
    """Draw what the block prints; page it if ``rows`` rows (and their frame) do not fit the terminal."""
    real = console()
    if not real.is_terminal or rows + FRAME <= real.height:
        yield
        return
    from rich.console import Console

    drawn = io.StringIO()
    PAGING.append(Console(file=drawn, force_terminal=True, width=real.width, height=real.height,
                          color_system=real.color_system, highlight=False))  # type: ignore[arg-type]
    try:
        yield
    finally:
        PAGING.pop()
    show(drawn.getvalue())


def show(text: str) -> None:
    """``text`` through ``$PAGER`` (or ``less``); written out as it is if there is no pager to run."""
    command = os.environ.get("PAGER") or "less"
    env = {**os.environ, "LESS": os.environ.get("LESS", "-FRX")}
    try:
        done = subprocess.run(command, shell=True, input=text.encode(), env=env, check=False)  # noqa: S602 - the user's $PAGER
    except OSError:
        done = None
    if done is None or done.returncode == 127:  # no such pager
        sys.stdout.write(text)
