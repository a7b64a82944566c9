"""The workbench (``gongkai work``) through an officer's morning, driven by Textual's Pilot on a real database.

Today is Wednesday 2026-11-25. Three requests were handed in in person:

- 2026-0001 张三 on Monday 2026-10-26: 20 working days end on Monday 2026-11-23, so it is overdue (red);
- 2026-0002 李四 on Thursday 2026-10-29: due Thursday 2026-11-26, within two working days (yellow);
- 2026-0003 王五 on Friday 2026-11-20: due 2026-12-18.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from datetime import date

import pytest

from cli.workbench import queue
from cli.workbench.app import Workbench
from cli.workbench.forms import FormScreen
from cli.workbench.widgets import QueueTable
from rules import actions as a
from workflow.app import Gongkai
from workflow.domain.commands import Advance, Register
from workflow.usecases import requests, views

TODAY = date(2026, 11, 25)


@pytest.fixture
def morning(make_app: Callable[..., Gongkai]) -> Gongkai:
    app = make_app(today=TODAY)
    for day, name, phone, subject in ((date(2026, 10, 26), "张三", "13812345678", "某路段拆迁补偿方案"),
                                      (date(2026, 10, 29), "李四", "13900001111", "2025年财政预算执行情况"),
                                      (date(2026, 11, 20), "王五", None, "某小区规划许可")):
        requests.register(app, Register(day, "in_person", name, "natural_person", subject, phone=phone))
    return app


def pilot_test(test: Callable[..., object]) -> Callable[..., None]:
    """A Pilot scenario as a plain test (no asyncio plugin): one event loop per test."""

    @functools.wraps(test)
    def run(*args: object, **kwargs: object) -> None:
        asyncio.run(test(*args, **kwargs))  # type: ignore[arg-type]

    return run


def shown(bench: Workbench) -> list[str]:
    table = bench.query_one(QueueTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def settle(bench: Workbench, pilot) -> None:
    await pilot.pause()
    await bench.workers.wait_for_complete()
    await pilot.pause()


def test_the_queue_is_most_urgent_first(morning: Gongkai) -> None:
    assert views.show(morning, "2026-0001")["reply_due"] == "2026-11-23"
    assert views.show(morning, "2026-0002")["reply_due"] == "2026-11-26"


@pilot_test
async def test_an_officer_filters_by_applicant_and_opens_the_request(morning: Gongkai) -> None:
    bench = Workbench(morning)
    async with bench.run_test(size=(80, 24)) as pilot:
        await settle(bench, pilot)
        assert shown(bench) == ["2026-0001", "2026-0002", "2026-0003"]
        await pilot.press("slash", *"张三")
        await settle(bench, pilot)
        assert shown(bench) == ["2026-0001"]
        assert bench.selected and bench.selected["ref"] == "2026-0001"
        await pilot.press("escape")
        await settle(bench, pilot)
        assert len(shown(bench)) == 3


@pilot_test
async def test_the_filter_finds_a_phone_number_in_full_and_a_reference_by_any_part(morning: Gongkai) -> None:
    bench = Workbench(morning)
    async with bench.run_test(size=(80, 24)) as pilot:
        await settle(bench, pilot)
        await pilot.press("slash", *"13900001111")
        await settle(bench, pilot)
        assert shown(bench) == ["2026-0002"]
        bench.query_one("#filter").value = "0000111"  # a part of a number finds nothing, as `find` (views)
        await settle(bench, pilot)
        assert shown(bench) == []
        bench.query_one("#filter").value = "３"  # full-width, as the input method types it
        await settle(bench, pilot)
        assert shown(bench) == ["2026-0003"]


@pilot_test
async def test_an_officer_records_a_consultation(morning: Gongkai) -> None:
    bench = Workbench(morning)
    async with bench.run_test(size=(80, 24)) as pilot:
        await settle(bench, pilot)
        await pilot.press("z")  # 征求意见, allowed now on 2026-0001
        await settle(bench, pilot)
        assert isinstance(bench.screen, FormScreen)
        bench.screen.query_one("#f-to").value = "某拆迁公司"
        bench.screen.query_one("#f-notice").value = ""  # the letter later (gongkai notice)
        await pilot.press("enter")
        await settle(bench, pilot)
        assert not isinstance(bench.screen, FormScreen), bench.screen.query_one("#form-error").render()
    d = views.show(morning, "2026-0001")
    assert d["state"] == "in_consultation"
    assert d["events"][-1]["payload"]["to"] == "某拆迁公司" and d["events"][-1]["on"] == "2026-11-25"


@pilot_test
async def test_a_wrongly_typed_date_is_asked_again_and_the_rest_is_kept(morning: Gongkai) -> None:
    bench = Workbench(morning)
    async with bench.run_test(size=(80, 24)) as pilot:
        await settle(bench, pilot)
        await pilot.press("n")
        await settle(bench, pilot)
        form = bench.screen
        for field, value in (("received_on", "2026-13-01"), ("applicant", "赵六"), ("subject", "某道路工程招标文件")):
            form.query_one(f"#f-{field}").value = value
        await pilot.press("enter")
        await settle(bench, pilot)
        assert bench.screen is form and form.focused is form.query_one("#f-received_on")
        assert "收到日期" in str(form.query_one("#form-error").render())
        assert form.query_one("#f-applicant").value == "赵六"
        form.query_one("#f-received_on").value = "2026年11月24日"
        await pilot.press("enter")
        await settle(bench, pilot)
        assert bench.screen is not form
    d = views.show(morning, "2026-0004")
    assert (d["applicant"]["name"], d["received_on"]) == ("赵六", "2026-11-24")


@pilot_test
async def test_a_mistyped_date_is_pointed_out_when_the_cursor_leaves_it(morning: Gongkai) -> None:
    bench = Workbench(morning)
    async with bench.run_test(size=(80, 24)) as pilot:
        await settle(bench, pilot)
        await pilot.press("n")
        await settle(bench, pilot)
        form = bench.screen
        form.query_one("#f-received_on").value = "11月31日"
        await pilot.press("tab")
        await pilot.pause()
        assert form.query_one("#f-received_on").has_class("-invalid")
        assert "收到日期" in str(form.query_one("#form-error").render())


@pilot_test
async def test_a_refusal_is_shown_in_the_form_and_nothing_is_lost(morning: Gongkai) -> None:
    bench = Workbench(morning)
    async with bench.run_test(size=(80, 24)) as pilot:
        await settle(bench, pilot)
        await pilot.press("d")  # 作出答复
        await settle(bench, pilot)
        form = bench.screen
        form.query_one("#f-on").value = "2026-12-01"  # a day that has not come
        await pilot.press("enter")
        await settle(bench, pilot)
        assert bench.screen is form
        assert "未能办理" in str(form.query_one("#form-error").render())
        assert form.query_one("#f-on").value == "2026-12-01"
        await pilot.press("escape")
    assert views.show(morning, "2026-0001")["state"] == "received"


@pilot_test
async def test_another_officers_change_is_said_plainly_and_the_view_reloads(morning: Gongkai,
                                                                            make_app) -> None:
    bench, said = Workbench(morning), []
    bench.notify = lambda message, **kw: said.append(message)  # type: ignore[method-assign]
    async with bench.run_test(size=(80, 24)) as pilot:
        await settle(bench, pilot)
        other = make_app(today=TODAY, officer="王芳")
        requests.advance(other, Advance("2026-0001", a.WITHDRAW, TODAY, {}))
        await pilot.press("d")
        await settle(bench, pilot)
        await pilot.press("enter")
        await settle(bench, pilot)
        assert not isinstance(bench.screen, FormScreen)
        assert said and said[0].startswith("另一位工作人员刚刚修改了这件申请，已重新载入")
        assert shown(bench) == ["2026-0002", "2026-0003"]  # withdrawn by 王芳: no longer open
    assert [e["action"] for e in views.show(morning, "2026-0001")["events"]][-1] == a.WITHDRAW


@pilot_test
async def test_keys_are_listed_on_question_mark_and_q_quits(morning: Gongkai) -> None:
    bench = Workbench(morning)
    async with bench.run_test(size=(80, 24)) as pilot:
        await settle(bench, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(bench.screen).__name__ == "HelpScreen"
        await pilot.press("escape", "q")
        await pilot.pause()
    assert bench.return_code == 0


@pilot_test
async def test_the_first_view_read_before_textual_starts_is_the_officers_own_else_the_offices(
        morning: Gongkai, make_app) -> None:
    """``gongkai work`` starts reading the first view before Textual is imported (``queue.read_first``);
    the workbench shows what that read found. 王芳 holds none of the three requests: she sees the office's."""
    first = queue.read_first(morning).result()
    assert first.view is queue.MINE and [r["ref"] for r in first.rows] == ["2026-0001", "2026-0002", "2026-0003"]
    assert first.selected is not None and first.selected["ref"] == "2026-0001"  # the top row, read with them
    other = make_app(today=TODAY, officer="王芳")
    bench = Workbench(other, queue.read_first(other))
    async with bench.run_test(size=(80, 24)) as pilot:
        await settle(bench, pilot)
        assert bench.view is queue.ALL_OPEN and shown(bench) == ["2026-0001", "2026-0002", "2026-0003"]
        assert bench.selected is not None and bench.selected["ref"] == "2026-0001"


async def rows_drawn(pilot, table: QueueTable, count: int) -> None:
    """Wait (a loaded machine may take a while) until the table holds ``count`` rows."""
    for _ in range(250):
        if table.row_count == count:
            return
        await pilot.pause(0.02)
    raise AssertionError(f"{table.row_count} rows, not {count}")


@pilot_test
async def test_a_long_queue_is_drawn_a_screenful_first_and_the_rest_once_that_screen_is_up(
        make_app: Callable[..., Gongkai]) -> None:
    """The table measures every cell it is given before it draws: a view of 500 requests is added a
    screenful first (24 rows at 80×24), the rest after that frame. A fill that follows drops the rest
    of the one before (typing in the filter), and a cursor further down keeps its row at once."""
    app = make_app(today=TODAY)
    for i in range(40):
        requests.register(app, Register(date(2026, 11, 2 + i % 20), "online", f"申请人{i:02d}", "natural_person",
                                        f"事项{i:02d}"))
    bench = Workbench(app, queue.read_first(app))
    async with bench.run_test(size=(80, 24)) as pilot:
        await settle(bench, pilot)
        table = bench.query_one(QueueTable)
        assert table.row_count == 40
        refs = shown(bench)
        table.fill(bench.rows, {})
        assert table.row_count == 24 and shown(bench) == refs[:24]
        await rows_drawn(pilot, table, 40)
        assert shown(bench) == refs
        table.fill(bench.rows, {})
        table.fill(bench.rows[:30], {})  # the first fill's rest never lands
        await rows_drawn(pilot, table, 30)
        for _ in range(5):
            await pilot.pause(0.02)
        assert shown(bench) == refs[:30]
        table.move_cursor(row=27)
        table.fill(bench.rows, {})
        assert table.row_count == 40 and table.cursor_row == 27


@pilot_test
async def test_a_first_read_that_fails_closes_the_workbench_and_is_said_on_one_line(morning: Gongkai) -> None:
    """The first view is read while Textual starts; if that read fails (a locked or unreadable database),
    the workbench closes and the command says why in one line, as every command does: no traceback."""
    from concurrent.futures import Future

    from workflow.domain.errors import DatabaseError

    failed: Future[queue.First] = Future()
    failed.set_exception(DatabaseError("无法打开数据库 x.sqlite：database is locked"))
    bench = Workbench(morning, failed)
    async with bench.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert bench.return_code == 1 and isinstance(bench.failed, DatabaseError)
