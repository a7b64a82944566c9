"""Figure 8's gongkai side, a process of its own: ``gongkai work`` up to its first screen with the queue filled.

    python benchmarks/work_open.py DATABASE 2026-11-25 [--count]

What ``gongkai --db DATABASE work --on 2026-11-25`` runs, but for its terminal check (``cli.app``,
then ``cli.workbench``, in its order): gongkai opened on the database, the workbench drawn headless at 120×40, the first view's rows read
(the officer's own; with none, the office's open requests, the most urgent ``queue.SHOWN``) and put
in the queue; it exits there. Run as a file, not ``-m benchmarks…``, so that it imports nothing the
command does not. ``--count`` prints the rows shown and the view, for the figure's note.
"""

from __future__ import annotations

import sys
from datetime import date


def main(database: str, today: str, count: bool) -> None:
    import cli.app  # noqa: F401 - what the ``gongkai`` script loads before it runs ``work``
    from cli.workbench import queue
    from workflow.app import Gongkai

    # In the command's order (``cli.workbench.work``): gongkai opened, the first view's read started,
    # then Textual imported and started while the read runs.
    gongkai = Gongkai.open(database, today=date.fromisoformat(today))
    first = queue.read_first(gongkai)
    from cli.workbench.app import Workbench

    class FirstScreen(Workbench):
        def refill(self) -> None:
            super().refill()
            if self.loaded:
                self.exit()

    bench = FirstScreen(gongkai, first)
    bench.run(headless=True, size=(120, 40))
    if bench.return_code or not bench.loaded:
        sys.exit(f"the workbench did not reach its first screen (exit {bench.return_code})")
    if count:
        print(len(bench.rows), bench.more, bench.view.label)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], "--count" in sys.argv[3:])
