"""Two screens on a key, each read off the UI thread and scrolled: the day's alerts (``a``) and the
year's report preview (``g``).

The alerts are those the daily sweep (``gongkai alerts run``, ``workflow.alerts.sweep``) raised today,
as ``gongkai alerts list --since TODAY`` lists them: the officer's own first, then the rest of the
agency's (the supervisors are warned of overdue ones too). The workbench does not sweep: a sweep
sends e-mail, and it is the scheduler's to run once a day. The report is the one ``gongkai report
YEAR`` previews: the same computation (``workflow.reports.compute.build``) drawn by the same renderer
(``cli.output.report_view.render_report``), captured as text at the screen's width.
"""

from __future__ import annotations

import asyncio

from rich.console import Console, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from cli.alerts import alerts_table
from workflow.app import Gongkai
from workflow.domain.errors import GongkaiError


def todays_alerts(g: Gongkai) -> RenderableType:
    from workflow.alerts import sweep

    rows = sweep.list_alerts(g, since=g.today, limit=10_000)
    if not rows:
        return Text(f"{g.today.isoformat()} 尚无提醒。提醒由每日定时任务生成（gongkai alerts run 或 gongkai scheduler run）。",
                    style="dim")
    mine = [x for x in rows if x["officer"] == g.officer]
    others = [x for x in rows if x["officer"] != g.officer]
    parts: list[RenderableType] = [alerts_table(f"我的提醒（{g.officer}）：{len(mine)} 条", mine, expand=True)]
    if others:
        parts.append(alerts_table(f"本机关其他提醒：{len(others)} 条", others, expand=True))
    from rich.console import Group

    return Group(*parts)


def report_preview(g: Gongkai, year: int, width: int) -> Text:
    """``gongkai report YEAR`` as the terminal shows it, captured at ``width`` columns."""
    from cli.output import report_view
    from workflow.reports import compute
    from workflow.usecases import closing

    r = compute.build(g, year, False, months=False)
    console = Console(width=width, force_terminal=True, color_system="truecolor", record=False)
    with console.capture() as captured:
        report_view.render_report(console, r, closing.log(g, year, False))
    return Text.from_ansi(captured.get())


class Panel(Screen[None]):
    """A scrolled page over the workbench; Esc (or its key again) goes back to the queue."""

    BINDINGS = [Binding("escape,q", "app.pop_screen", "返回")]
    heading = ""

    def __init__(self, g: Gongkai) -> None:
        super().__init__()
        self.gongkai = g
        self.body: RenderableType = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="panel"):
            yield Static(self.heading, classes="panel-title")
            yield Static(Text("正在读取……", style="dim"), classes="panel-body")
        yield Footer()

    def on_mount(self) -> None:
        self.fill()

    @work(exclusive=True)
    async def fill(self) -> None:
        body = self.query_one(".panel-body", Static)
        try:
            self.body = await asyncio.to_thread(self.content)
        except GongkaiError as e:
            self.body = Text(f"未能读取：{e}", style="bold red")
        body.update(self.body)

    def content(self) -> RenderableType:
        raise NotImplementedError


class AlertsScreen(Panel):
    BINDINGS = [*Panel.BINDINGS, Binding("a", "app.pop_screen", "返回", show=False)]

    def __init__(self, g: Gongkai) -> None:
        super().__init__(g)
        self.heading = f"今日提醒 {g.today.isoformat()}（Esc 返回）"

    def content(self) -> RenderableType:
        return todays_alerts(self.gongkai)


class ReportScreen(Panel):
    BINDINGS = [*Panel.BINDINGS, Binding("g", "app.pop_screen", "返回", show=False)]

    def __init__(self, g: Gongkai, year: int) -> None:
        super().__init__(g)
        self.year = year
        self.heading = f"{year} 年度报告预览（与 gongkai report {year} 相同；Esc 返回，↑↓ PgUp PgDn 翻阅）"

    def content(self) -> RenderableType:
        return report_preview(self.gongkai, self.year, max(self.app.size.width - 4, 60))
