"""What figure 8's first screen holds, and the same start timed without a terminal (for profiling).

Figure 8 itself times the real ``gongkai work`` in a pseudo-terminal (``benchmarks.terminal``); this
runs its steps headless, for the note (``--count``) and for a profiler, which a terminal gets in the way of.

    python benchmarks/work_open.py DATABASE 2026-11-25 [--count] [--at]

What ``gongkai --db DATABASE work --on 2026-11-25`` runs, but for its terminal check (``cli.app``,
then ``cli.workbench``, in its order): gongkai opened, the first view read (the officer's own
requests, the most urgent ``queue.SHOWN``, and the request at the top; with none of their own, the
office's), the workbench started headless at 120×40. It stops at the first frame that shows the queue
filled and the selected request: what the officer sees first. Headless, Textual skips turning a frame
into the characters a terminal is sent; this does it, as a terminal costs it. Run as a file, not
``-m benchmarks…``, so that it imports nothing the command does not.

``--count`` prints the view's rows, whether it holds more, its label and the rows the first frame
drew; ``--at`` the moment (``time.time()``) of that frame, so that the wait for the first screen is
told from the process's whole life (its exit included).
"""

from __future__ import annotations

import gc
import sys
import time
from datetime import date
from typing import Any


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
    from cli.workbench.widgets import QueueTable
    from workflow.app import Gongkai

    gongkai = Gongkai.open(database, today=date.fromisoformat(today))
    loaded()
    first = queue.read_first(gongkai)

    class FirstScreen(Workbench):
        drawn = 0  # rows of the queue in the first screen
        first_screen_at = 0.0

        def _display(self, screen: Any, renderable: Any) -> None:
            super()._display(screen, renderable)
            if renderable is None or self.first_screen_at:
                return
            renderable.render_segments(self.console)  # what a terminal is sent
            drawn = self.query_one(QueueTable).row_count
            if self.loaded and drawn and self.selected is not None:
                self.first_screen_at, self.drawn = time.time(), drawn
                self.exit()

    bench = FirstScreen(gongkai, first)
    bench.run(headless=True, size=(120, 40))
    if bench.return_code or not bench.first_screen_at:
        sys.exit(f"the workbench did not reach its first screen (exit {bench.return_code})")
    if count:
        print(len(bench.rows), bench.more, bench.view.label, bench.drawn)
    if at:
        print(f"{bench.first_screen_at:.6f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], "--count" in sys.argv[3:], "--at" in sys.argv[3:])
