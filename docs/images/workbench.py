"""Draws docs/images/workbench.svg, the README's picture of ``gongkai work``: the workbench at 120×40 on
the demo year (``gongkai demo``: 2026-11-25, seed 2026), the office's whole queue with its first request
open. Run it from the repository after a change the picture should show:

    python docs/images/workbench.py
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

OUT = Path(__file__).with_name("workbench.svg")


async def draw(database: str) -> None:
    from cli.workbench.app import Workbench
    from workflow import demo

    _, app = demo.build(database, 300, 2026, today=date(2026, 11, 25))
    bench = Workbench(app)
    async with bench.run_test(size=(120, 40)) as pilot:
        for _ in range(3):
            await pilot.pause()
            await bench.workers.wait_for_complete()
        bench.save_screenshot(OUT.name, str(OUT.parent))


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GONGKAI_CONFIG_DIR"] = tmp  # the defaults, not this machine's configuration
        asyncio.run(draw(str(Path(tmp) / "demo.sqlite")))
    sys.stdout.write(f"{OUT}\n")
