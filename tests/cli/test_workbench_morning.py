"""The workbench's previews, letters, corrections and screens, on the morning of ``test_workbench``.

Today is Wednesday 2026-11-25; 2026-0001 张三 (received Monday 2026-10-26, overdue), 2026-0002 李四
(due 2026-11-26) and 2026-0003 王五 (received Friday 2026-11-20, due 2026-12-18). A consultation of
a third party sent today has 15 working days for its answer (Art. 32): 26, 27 November, 30 November to
4 December, 7 to 11 December, 14, 15, 16 December, so it is due Wednesday 2026-12-16. A request
received today, in person, is due in 20 working days (Art. 33): Wednesday 2026-12-23.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from cli.workbench import queue
from cli.workbench.app import Workbench
from cli.workbench.forms import FormScreen
from cli.workbench.panels import AlertsScreen, Panel, ReportScreen
from cli.workbench.screens import LetterScreen
from cli.workbench.widgets import QueueTable
from tests.cli.test_workbench import TODAY, morning, pilot_test, settle, shown  # noqa: F401 - the same morning
from workflow.alerts import sweep
from workflow.app import Gongkai
from workflow.usecases import views


def text_of(screen: object, selector: str) -> str:
    return str(screen.query_one(selector).render())  # type: ignore[attr-defined]


def page(screen: Panel) -> str:
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(screen.body)
    return console.export_text()


@pytest.fixture
def letters_here(office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An office configured to write letters, working in a folder of its own (the letters' default)."""
    (tmp_path / "letters").mkdir()
    monkeypatch.chdir(tmp_path / "letters")
    return tmp_path / "letters"


@pilot_test
async def test_an_officers_morning(letters_here: Path, morning: Gongkai) -> None:  # noqa: F811
    bench = Workbench(morning)
    async with bench.run_test(size=(80, 24)) as pilot:
        await settle(bench, pilot)
        assert "某市某局" in bench.sub_title  # office.name, not the agency's code
        await pilot.press("slash", *"张三", "enter")  # filter by the applicant, open the request
        await settle(bench, pilot)
        assert shown(bench) == ["2026-0001"] and bench.selected and bench.selected["ref"] == "2026-0001"

        await pilot.press("z")  # 征求意见: the form previews its deadline and its letter
        await settle(bench, pilot)
        form = bench.screen
        assert isinstance(form, FormScreen)
        form.query_one("#f-to").value = "某拆迁公司"
        form.query_one("#f-describe").value = "某路段拆迁补偿方案中涉及贵公司的部分"
        await settle(bench, pilot)
        preview = text_of(form, "#form-preview")
        assert "征求意见答复期限 2026-12-16" in preview and "新" in preview
        assert form.query_one("#f-notice").value == str(letters_here / "2026-0001-政府信息公开征求意见书.docx")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(bench.screen, LetterScreen)
        letter = text_of(bench.screen, "#letter-text")
        assert "某拆迁公司" in letter and "涉及贵公司的部分" in letter and "张三" not in letter
        await pilot.press("escape")
        await pilot.pause()
        assert bench.screen is form
        await pilot.press("ctrl+s")
        await settle(bench, pilot)
        assert not isinstance(bench.screen, FormScreen), text_of(form, "#form-error")
        assert (letters_here / "2026-0001-政府信息公开征求意见书.docx").is_file()

        await pilot.press("n")  # register, with a date typed wrongly, then right
        await settle(bench, pilot)
        form = bench.screen
        for field, value in (("received_on", "2026-11-31"), ("applicant", "赵六"), ("subject", "某道路工程招标文件")):
            form.query_one(f"#f-{field}").value = value
        await pilot.press("ctrl+s")
        await settle(bench, pilot)
        assert bench.screen is form and "收到日期" in text_of(form, "#form-error")
        form.query_one("#f-received_on").value = "今天"
        await settle(bench, pilot)
        assert "答复期限 2026-12-23" in text_of(form, "#form-preview")
        await pilot.press("ctrl+s")
        await settle(bench, pilot)
        assert bench.screen is not form

        await pilot.press("escape", "slash", *"李四", "enter")  # a reply dated a day that has not come is refused
        await settle(bench, pilot)
        assert bench.selected and bench.selected["ref"] == "2026-0002"
        await pilot.press("d")
        await settle(bench, pilot)
        form = bench.screen
        form.query_one("#f-on").value = "2026-11-26"
        await settle(bench, pilot)
        assert "将被拒绝" in text_of(form, "#form-preview")
        await pilot.press("ctrl+s")
        await settle(bench, pilot)
        assert bench.screen is form and "未能办理" in text_of(form, "#form-error")
        await pilot.press("escape", "q")
        await pilot.pause()
    assert bench.return_code == 0
    first = views.show(morning, "2026-0001")
    assert first["state"] == "in_consultation"
    assert [e["action"] for e in first["events"]][-2:] == ["consult", "notice"]
    assert views.show(morning, "2026-0004")["received_on"] == "2026-11-25"
    assert views.show(morning, "2026-0002")["state"] == "received"


@pilot_test
async def test_a_letter_the_settings_cannot_sign_is_refused_in_the_form_and_nothing_is_lost(
        morning: Gongkai, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    (tmp_path / "letters").mkdir()
    monkeypatch.chdir(tmp_path / "letters")
    bench = Workbench(morning)
    async with bench.run_test(size=(80, 24)) as pilot:
        await settle(bench, pilot)
        await pilot.press("z")
        await settle(bench, pilot)
        form = bench.screen
        form.query_one("#f-to").value = "某拆迁公司"
        await settle(bench, pilot)
        assert "文书：暂不能生成：office.name" in text_of(form, "#form-preview")
        await pilot.press("ctrl+s")
        await settle(bench, pilot)
        assert bench.screen is form and "未能办理：office.name" in text_of(form, "#form-error")
        assert form.query_one("#f-to").value == "某拆迁公司"
        assert views.show(morning, "2026-0001")["state"] == "received" and not list((tmp_path / "letters").iterdir())
        form.query_one("#f-notice").value = ""  # the consultation now, its letter once the office is set up
        await pilot.press("ctrl+s")
        await settle(bench, pilot)
        assert bench.screen is not form
    assert views.show(morning, "2026-0001")["state"] == "in_consultation"


@pilot_test
async def test_a_request_registered_by_mistake_is_voided_with_its_reason(morning: Gongkai) -> None:  # noqa: F811
    bench = Workbench(morning)
    async with bench.run_test(size=(80, 24)) as pilot:
        await settle(bench, pilot)
        await pilot.press("v")  # 作废 2026-0001
        await settle(bench, pilot)
        form = bench.screen
        assert "编号保留" in text_of(form, "#form-warning")
        await pilot.press("ctrl+s")
        await settle(bench, pilot)
        assert bench.screen is form and "理由" in text_of(form, "#form-error")
        form.query_one("#f-reason").value = "与2026-0002重复登记"
        await pilot.press("ctrl+s")
        await settle(bench, pilot)
        assert bench.screen is not form
        assert shown(bench) == ["2026-0002", "2026-0003"]
    assert views.show(morning, "2026-0001")["voided"]["reason"] == "与2026-0002重复登记"


@pilot_test
async def test_the_last_step_is_undone_and_nothing_to_undo_is_said_before_confirming(morning: Gongkai) -> None:  # noqa: F811
    bench = Workbench(morning)
    async with bench.run_test(size=(120, 40)) as pilot:
        await settle(bench, pilot)
        await pilot.press("u")  # only the registration is in effect
        await settle(bench, pilot)
        form = bench.screen
        form.query_one("#f-reason").value = "误操作"
        await settle(bench, pilot)
        assert "将被拒绝" in text_of(form, "#form-preview") and "没有可撤销的事项" in text_of(form, "#form-preview")
        await pilot.press("escape", "z")  # a consultation, recorded (its letter later) …
        await settle(bench, pilot)
        bench.screen.query_one("#f-to").value = "某拆迁公司"
        bench.screen.query_one("#f-notice").value = ""
        await pilot.press("ctrl+s")
        await settle(bench, pilot)
        assert views.show(morning, "2026-0001")["state"] == "in_consultation"
        await pilot.press("slash", *"张三", "enter")  # in consultation, its next deadline is later: find it
        await settle(bench, pilot)
        await pilot.press("u")  # … and undone: its deadline goes, the reply deadline is as it was
        await settle(bench, pilot)
        bench.screen.query_one("#f-reason").value = "征求对象填错"
        await settle(bench, pilot)
        preview = text_of(bench.screen, "#form-preview")
        assert "答复期限 2026-11-23" in preview and "征求意见答复期限" not in preview
        await pilot.press("ctrl+s")
        await settle(bench, pilot)
    d = views.show(morning, "2026-0001")
    assert d["state"] == "received" and d["events"][-1]["payload"]["reason"] == "征求对象填错"


@pilot_test
async def test_the_days_alerts_are_on_a_and_the_years_report_on_g(morning: Gongkai) -> None:  # noqa: F811
    sweep.sweep(morning)  # what the daily job does at dawn
    bench = Workbench(morning)
    async with bench.run_test(size=(120, 40)) as pilot:
        await settle(bench, pilot)
        await pilot.press("a")
        await settle(bench, pilot)
        assert isinstance(bench.screen, AlertsScreen)
        body = page(bench.screen)
        assert "2026-0001" in body and "2026-0002" in body and "逾期" in body
        await pilot.press("escape", "g")
        await settle(bench, pilot)
        assert isinstance(bench.screen, ReportScreen)
        body = page(bench.screen)
        assert "2026 年度" in body and "三、收到和处理政府信息公开申请情况" in body
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(bench.screen, ReportScreen)


@pilot_test
async def test_the_state_column_holds_the_longest_state_label(morning: Gongkai) -> None:  # noqa: F811
    bench = Workbench(morning)
    async with bench.run_test(size=(80, 24)) as pilot:
        await settle(bench, pilot)
        column = bench.query_one(QueueTable).columns["状态"]  # type: ignore[index]
        assert column.width >= cell_len("征求意见中") == 10


@pilot_test
async def test_a_view_with_more_than_it_shows_is_filtered_by_the_database(
        morning: Gongkai, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(queue, "SHOWN", 2)  # a province's 100,000 open requests, in small
    bench = Workbench(morning)
    async with bench.run_test(size=(80, 24)) as pilot:
        await settle(bench, pilot)
        assert shown(bench) == ["2026-0001", "2026-0002"] and "最紧急的 2 件" in text_of(bench, "#views")
        await pilot.press("slash", *"王五")
        await settle(bench, pilot)
        assert shown(bench) == ["2026-0003"]
