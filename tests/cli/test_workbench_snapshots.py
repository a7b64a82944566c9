"""The workbench's main screen at 80×24 (the request below the queue) and 120×40 (beside it), as SVG
snapshots committed under ``__snapshots__``; ``pytest --snapshot-update`` redraws them after a
deliberate change. The morning is the one of ``test_workbench``: 张三 overdue, 李四 due tomorrow."""

from __future__ import annotations

import pytest

from cli.workbench.app import Workbench
from tests.cli.test_workbench import morning  # noqa: F401 - the same three requests
from workflow.app import Gongkai


async def _settled(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_the_main_screen(morning: Gongkai, snap_compare, size: tuple[int, int]) -> None:  # noqa: F811
    assert snap_compare(Workbench(morning), terminal_size=size, run_before=_settled)
