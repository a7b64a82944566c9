"""The workbench's main screen at 80×24 (the request below the queue) and 120×40 (beside it), as SVG
snapshots committed under ``__snapshots__``; ``pytest --snapshot-update`` redraws them after a
deliberate change. The morning is the one of ``test_workbench``: 张三 overdue, 李四 due tomorrow. Also an
action's form with its preview, and the day's alerts (``a``). The report's page (``g``) is not
snapshotted: its tables are ``cli.output.report_view``'s, whose layout changes on its own."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input

from cli.workbench.app import Workbench
from tests.cli.test_workbench import morning  # noqa: F401 - the same three requests
from workflow.alerts import sweep
from workflow.app import Gongkai


async def _settled(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_the_main_screen(morning: Gongkai, snap_compare, size: tuple[int, int]) -> None:  # noqa: F811
    assert snap_compare(Workbench(morning), terminal_size=size, run_before=_settled)


async def _consulting(pilot) -> None:
    """张三's request, 征求意见 pressed and the party named: the form previews the deadline it creates."""
    await _settled(pilot)
    await pilot.press("z")
    await _settled(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False  # the focused date's cursor would be drawn on or off by the clock
    pilot.app.screen.query_one("#f-to").value = "某拆迁公司"
    pilot.app.screen.query_one("#f-notice").value = "/tmp/2026-0001-政府信息公开征求意见书.docx"
    await asyncio.sleep(0.2)
    await _settled(pilot)


async def _alerts(pilot) -> None:
    await _settled(pilot)
    await pilot.press("a")
    await _settled(pilot)


def test_an_action_form_previews_its_deadlines(morning: Gongkai, snap_compare) -> None:  # noqa: F811
    assert snap_compare(Workbench(morning), terminal_size=(80, 24), run_before=_consulting)


def test_the_days_alerts(morning: Gongkai, snap_compare) -> None:  # noqa: F811
    sweep.sweep(morning)
    assert snap_compare(Workbench(morning), terminal_size=(120, 40), run_before=_alerts)
