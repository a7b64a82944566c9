"""Figure 8's gongkai side, a process of its own: ``gongkai work`` up to its first screen with the queue filled.

    python benchmarks/work_open.py DATABASE 2026-11-25 [--count]

What ``gongkai --db DATABASE work --on 2026-11-25`` runs, but for its terminal check (``cli.app``,
then ``cli.workbench``, in its order): gongkai opened on the database, the workbench drawn headless at 120×40, the first view's rows read
(the officer's own; with none, the office's open requests, the most urgent ``queue.SHOWN``) and put
in the queue; it exits there. Run as a file, not ``-m benchmarks…``, so that it imports nothing the
command does not. ``--count`` prints the rows shown and the view, for the figure's note; ``--at`` the
moment (``time.time()``) the queue was filled, so that the wait for the first screen can be told from
the process's whole life (its exit included).
"""

from __future__ import annotations

import gc
import sys
import time
from datetime import date


def main(database: str, today: str, count: bool, at: bool = False) -> None:
    # In the command's order (``cli.app.main``, then ``cli.workbench.work``): the garbage collector paused
    # while the modules load, Textual's too; gongkai opened, the loaded modules set aside from the
    # collector and it turned back on (``context.loaded``, which ``State.app`` calls); the first view's
    # read started, then Textual started while the read runs.
    gc.disable()
    import cli.app  # noqa: F401 - what the ``gongkai`` script loads before it runs ``work``
    from cli.context import loaded
    from cli.workbench import queue
    from cli.workbench.app import Workbench
    from workflow.app import Gongkai

    gongkai = Gongkai.open(database, today=date.fromisoformat(today))
    loaded()
    first = queue.read_first(gongkai)

    class FirstScreen(Workbench):
        def refill(self) -> None:
            super().refill()
            if self.loaded:
                self.first_screen_at = time.time()  # what the officer waits for; the exit after it is not
                self.exit()

    bench = FirstScreen(gongkai, first)
    bench.run(headless=True, size=(120, 40))
    if bench.return_code or not bench.loaded:
        sys.exit(f"the workbench did not reach its first screen (exit {bench.return_code})")
    if count:
        print(len(bench.rows), bench.more, bench.view.label)
    if at:
        print(f"{bench.first_screen_at:.6f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], "--count" in sys.argv[3:], "--at" in sys.argv[3:])
