"""``gongkai work``: the officer's workbench, one long-lived process over the same use cases as the CLI.

The queue (views on 1–5, ``/`` to filter as you type) beside or below the selected request; each
action allowed now on its key opens a form, and confirming it is one unit of work
(``workflow.usecases.requests``). Reads and writes run off the UI thread (``@work``); a change another
officer made meanwhile is said plainly and the view reloads. The forms and the other screens are
imported when first opened: the first screen does not wait for them.
"""

from __future__ import annotations

import asyncio
import dataclasses
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input

from cli.workbench import preview, queue
from cli.workbench.fields import ALL_KEYS, NOTICE, REGISTER_FIELDS, action_fields, corrections_now
from cli.workbench.widgets import ActionBar, QueueTable, RequestPanel, ViewBar
from rules import actions as a
from rules.actions import LABELS
from workflow.app import Gongkai
from workflow.domain.commands import Register
from workflow.domain.errors import ConcurrentChange
from workflow.usecases import requests, views


class Workbench(App[None]):
    CSS_PATH = Path(__file__).with_name("workbench.tcss")  # also for a subclass elsewhere (the benchmark's)
    TITLE = "政府信息公开申请办理"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("q", "quit", "退出"), Binding("slash", "filter", "筛选"), Binding("escape", "clear", "清除", show=False),
        Binding("n", "register", "登记"), Binding("r", "reload", "刷新", show=False),
        Binding("a", "alerts", "提醒"), Binding("g", "report", "年度报告"), Binding("question_mark", "help", "按键"),
        *(Binding(v.key, f"view({i})", v.label, show=False) for i, v in enumerate(queue.VIEWS)),
        *(Binding(key, f"act('{name}')", LABELS[name], show=False) for name, key in ALL_KEYS.items()),
    ]

    def __init__(self, gongkai: Gongkai, first: Future[queue.First] | None = None) -> None:
        """``first``: the first view already being read (``queue.read_first``); else it is read on mount."""
        super().__init__()
        self.gongkai = gongkai
        self.first = first
        self.sub_title = f"{gongkai.officer} · {gongkai.today.isoformat()}"
        self.view = queue.MINE
        self.rows: list[dict[str, Any]] = []
        self.found: list[dict[str, Any]] = []  # what the database's filter found, when the view has more
        self.more = False  # the view holds more than queue.SHOWN requests
        self.loaded = False  # the queue has been read once (the first screen is complete)
        self.phones: set[tuple[str, str]] = set()
        self.selected: dict[str, Any] | None = None
        self.failed: BaseException | None = None  # why the first read failed: said once Textual has let go

    def compose(self) -> ComposeResult:
        yield Header()
        yield ViewBar(id="views")
        yield Input(placeholder="/ 筛选：编号、申请人、电话或申请内容", id="filter")
        with Horizontal(id="main"):
            yield QueueTable(id="queue")
            with VerticalScroll(id="detail"):
                yield RequestPanel(id="request")
        yield ActionBar(id="actions")
        yield Footer()

    def on_mount(self) -> None:
        # Textual sets the breakpoint's class on the first resize, after the first frame: set it now, so
        # that the first frame already has its layout (at 120 columns, not narrow first and wide next).
        width = self.size.width
        self.screen.set_class(True, [name for at, name in self.HORIZONTAL_BREAKPOINTS if width >= at][-1])
        self.query_one(QueueTable).focus()
        if self.first is not None:  # read while Textual started: the first frame shows what it found
            if (error := self.first.exception()) is not None:  # e.g. the database is locked or unreadable
                self.failed = error
                self.exit(return_code=1)
                return
            first = self.first.result()
            self.view = first.view
            self.show_selected(first.selected)
            self.queue_read(first.rows, first=True)
        else:
            self.load(first=True)

    @work(group="header")
    async def name_office(self) -> None:
        """The header names the office as its report and letters do (``office.name``, or the agency's
        own name on a platform), not by its code."""
        from workflow.reports.compute import office_name

        g = self.gongkai
        name = await asyncio.to_thread(office_name, g, g.home_agency)
        self.sub_title = f"{g.officer} · {name} · {g.today.isoformat()}"

    # The queue -------------------------------------------------------------------------------------------
    @work(exclusive=True, group="queue")
    async def load(self, first: bool = False) -> None:
        g, view = self.gongkai, self.view
        if first:  # the officer's own requests, or the office's when they have none
            read = await asyncio.to_thread(queue.first_view, g)
            self.view, rows = read.view, read.rows
            self.show_selected(read.selected)
        else:
            args = dict(view.query, officer=g.officer if view.mine else None, limit=queue.limit(view))
            rows = queue.in_view(view, await asyncio.to_thread(views.list_requests, g, **args), g.today)
        self.queue_read(rows, first)

    def queue_read(self, rows: list[dict[str, Any]], first: bool = False) -> None:
        self.more = len(rows) > queue.SHOWN
        if first:
            self.name_office()  # after the queue: the first screen waits for nothing else
        self.rows, self.found, self.loaded = rows[:queue.SHOWN], [], True
        if self.more and self.query_one("#filter", Input).value.strip():
            self.search(self.query_one("#filter", Input).value)
        self.refill()

    def refill(self) -> None:
        text = self.query_one("#filter", Input).value
        searched = self.more and bool(text.strip())
        shown = queue.filtered(self.found if searched else self.rows, text, self.phones)
        g = self.gongkai
        soon = g.settings.calendar.add(g.today, 2).date
        self.query_one(QueueTable).fill(shown, {r["ref"]: queue.urgency(r, g.today, soon) for r in shown})
        self.query_one(ViewBar).show_view(self.view, len(shown), len(self.rows), text, self.more and not searched)
        if not shown:
            self.selected = None
            self.query_one(RequestPanel).show_request(None)
            self.query_one(ActionBar).show_actions(None)

    @work(exclusive=True, group="search")
    async def search(self, text: str) -> None:
        """A view with more than it shows is filtered by the database, then by the view."""
        g, view = self.gongkai, self.view
        found = await asyncio.to_thread(views.find, g, text, queue.SHOWN)
        self.found = [r for r in found if queue.belongs(view, r, g.officer, g.today)]
        self.refill()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.phones = set()
        if self.more and event.value.strip():
            self.search(event.value)
        self.refill()
        if digits := queue.digits_of(event.value):
            self.find_phones(digits)

    @work(exclusive=True, group="phones")
    async def find_phones(self, digits: str) -> None:
        self.phones = await asyncio.to_thread(views.phone_matches, self.gongkai, digits)
        self.refill()

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.query_one(QueueTable).focus()

    @on(DataTable.RowHighlighted, "#queue")
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value:
            agency, ref = event.row_key.value.split("\t")
            d = self.selected
            if not (d and (d["agency"], d["ref"]) == (agency, ref)):  # the first request comes read already
                self.open_request(agency, ref)

    @work(exclusive=True, group="detail")
    async def open_request(self, agency: str, ref: str) -> None:
        self.show_selected(await asyncio.to_thread(views.show, queue.scoped(self.gongkai, agency), ref))

    def show_selected(self, d: dict[str, Any] | None) -> None:
        self.selected = d
        if not self.query(RequestPanel):  # the officer quit while the request was being read
            return
        self.query_one(RequestPanel).show_request(d)
        self.query_one(ActionBar).show_actions(d)

    # Keys -------------------------------------------------------------------------------------------------
    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one(QueueTable).focus()

    def action_view(self, index: int) -> None:
        self.view = queue.VIEWS[index]
        self.load()

    def action_reload(self) -> None:
        self.load()
        if self.selected:
            self.open_request(self.selected["agency"], self.selected["ref"])

    def action_help(self) -> None:
        from cli.workbench.screens import HelpScreen

        self.push_screen(HelpScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act":
            return bool(self.selected and parameters[0] in offered(self.selected))
        return True

    def action_alerts(self) -> None:
        from cli.workbench.panels import AlertsScreen

        self.push_screen(AlertsScreen(self.gongkai))

    def action_report(self) -> None:
        from cli.workbench.panels import ReportScreen

        self.push_screen(ReportScreen(self.gongkai, self.gongkai.today.year))

    def action_act(self, name: str) -> None:
        d = self.selected
        if not d or name not in offered(d):
            return
        g = self.gongkai
        fields = action_fields(name)
        if any(f.name == NOTICE for f in fields):
            fields = tuple(dataclasses.replace(f, default=preview.letter_file(d, name)) if f.name == NOTICE else f
                           for f in fields)

        def submit(values: dict[str, str]) -> dict[str, Any]:
            return preview.confirm(g, d, name, values)

        from cli.workbench.forms import FormScreen

        title = f"{d['ref']} {d['applicant']['name']}：{LABELS[name]}"
        self.push_screen(FormScreen(title, fields, submit, g.today, lambda v: preview.action_preview(g, d, name, v),
                                    WARNINGS.get(name, "")), self.done)

    def action_register(self) -> None:
        g = self.gongkai

        def submit(values: dict[str, str]) -> str:
            from datetime import date

            return requests.register(g, Register(
                received_on=date.fromisoformat(values["received_on"]), channel=values["channel"],
                applicant_name=values["applicant"], applicant_type=values["applicant_type"],
                subject=values["subject"],
                confirmed_on=date.fromisoformat(values["confirmed_on"]) if "confirmed_on" in values else None,
                phone=values.get("phone"), id_number=values.get("id_number"), address=values.get("address")))

        from cli.workbench.forms import FormScreen

        self.push_screen(FormScreen("登记新申请", REGISTER_FIELDS, submit, g.today,
                                    lambda v: preview.register_preview(g, v)), self.done)

    def done(self, result: Any) -> None:
        """After a form: say what happened and show the queue and the request as they are now."""
        if result is None:
            return
        if isinstance(result, ConcurrentChange):
            self.notify(f"另一位工作人员刚刚修改了这件申请，已重新载入，请核对后重新办理。（{result}）",
                        title="未保存", severity="error", timeout=10)
        elif isinstance(result, str):
            self.notify(f"已登记：{result}", title="登记")
        else:
            written = f"；文书已写入 {result['file']}" if result.get("file") else ""
            self.notify(f"{result['ref']}：{result['state_label']}{written}", title="已办理")
        self.action_reload()


# What a correction's form says before the reason is asked (rules.corrections; gongkai void, advance … undo).
WARNINGS = {
    a.VOID: "作废：仅用于误登记的申请（重复、测试）。作废后编号保留，不再计入任何清单、提醒和年度报告。须填写理由。",
    a.UNDO: "撤销上一步：撤销最近一项仍然有效的办理事项（记录保留并注明撤销）。须填写理由；撤销已答复的办结须有负责人批准。",
}


def offered(d: dict[str, Any]) -> list[str]:
    """The keys' actions on a request: the steps allowed now, then the corrections."""
    return [*d["allowed_now"], *corrections_now(d)]


def run(gongkai: Gongkai, first: Future[queue.First] | None = None) -> None:
    bench = Workbench(gongkai, first)
    bench.run()
    if bench.failed is not None:
        raise bench.failed  # one line on stderr (``cli.context.handles_errors``), after the screen is restored
