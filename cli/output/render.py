"""Human output: rich tables in Chinese. ``--json`` never comes through here."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Any

from rich.table import Table

from cli.context import CommandConsole
from rules import actions as action_facts
from rules import deadline_kinds

if TYPE_CHECKING:
    from workflow.app import Gongkai

console = CommandConsole()  # the running command's console, read when it prints

# Labels are declared with the actions and the kinds of deadline (rules/ is pure and cheap to import).
ACTION_LABELS = action_facts.LABELS
SHORT_DEADLINE_LABELS = deadline_kinds.SHORT_LABELS


def _due_style(due: str | None, app: Gongkai) -> str:
    if not due:
        return ""
    from datetime import date

    d = date.fromisoformat(due)
    if d < app.today:
        return "bold red"
    soon = app.settings.calendar.add(app.today, 2).date
    return "yellow" if d <= soon else ""


def _provisional(flag: bool) -> str:
    return " (暂定)" if flag else ""


def request_table(rows: list[dict[str, Any]], app: Gongkai, nothing: str = "没有符合条件的申请。") -> None:
    if not rows:
        console.print(nothing)
        return
    # A narrow terminal keeps what an officer acts on; the rest is one `show` away.
    wide = console.width >= 110
    t = Table(title=f"依申请公开 · {len(rows)} 件", header_style="bold")
    t.add_column("编号", no_wrap=True)
    t.add_column("状态", no_wrap=True)
    t.add_column("收到日期", no_wrap=True)
    t.add_column("申请人", max_width=10, overflow="ellipsis", no_wrap=True)
    if wide:
        t.add_column("电话", no_wrap=True)
        t.add_column("申请内容", max_width=16, overflow="ellipsis", no_wrap=True)
    t.add_column("下一期限", no_wrap=True)
    if wide:
        t.add_column("答复期限", no_wrap=True)
    for r in rows:
        style = _due_style(r["next_due"], app) if r["state"] not in ("concluded", "voided") else "dim"
        nxt = f"{SHORT_DEADLINE_LABELS.get(r['next_due_kind'] or '', '')} {r['next_due'] or ''}".strip()
        reply = (r["reply_due"] or "") + _provisional(r["reply_due_provisional"]) + ("（延迟）" if r["reply_delayed"] else "")
        cells = [r["ref"], r["state_label"] + ("·逾期" if r["late"] else ""), r["received_on"], r["applicant"]]
        cells += [r["phone"] or "", r["subject"], nxt, reply] if wide else [nxt + _provisional(r["reply_due_provisional"])]
        t.add_row(*cells, style=style)
    console.print(t)
    if any(r["reply_due_provisional"] for r in rows):
        console.print("(暂定) 期限跨入国务院尚未公布节假日安排的年度，按法定节假日暂算；公布后自动重算。")


def request_detail(d: dict[str, Any], verbose: bool = False) -> None:
    from cli.output import detail

    detail.request_detail(d, verbose)


def advanced(d: dict[str, Any], action: str) -> None:
    if d["paused"]:
        due = "，答复期限暂停计算（征求意见/待缴费期间不计入）"
    elif d["reply_due"] and d["state"] not in ("concluded", "voided"):
        delayed = "（依条例第三十五条延迟）" if d["reply_delayed"] else ""
        due = f"，答复期限 {d['reply_due']}{_provisional(d['reply_due_provisional'])}{delayed}"
    else:
        due = ""
    console.print(f"{d['ref']}：{ACTION_LABELS.get(action, action)} 已记录 → {d['state_label']}"
                  + (f"（{d['outcome_label']}）" if d["outcome_label"] else "") + due)


# Longer listings are printed one line a row: rich draws a boxed table at about half a millisecond a
# row, and a province can have thousands of deadlines due on one day (benchmarks/RESULTS.md).
LINES_FROM = 100


def due_table(rows: list[dict[str, Any]], app: Gongkai) -> None:
    if not rows:
        console.print(f"{app.today}：没有到期或逾期的期限。")
        return
    from workflow.domain.states import STATE_LABELS

    header = ("编号", "期限", "到期日", "逾期工作日", "状态", "申请人", "申请内容")
    title = f"{app.today} 到期与逾期"
    cells = [(r["ref"], r["label"], r["due"] + _provisional(r["provisional"]),
              str(r["days_overdue"]) if r["overdue"] else "今日到期" if r["due"] == app.today.isoformat() else "",
              STATE_LABELS[r["state"]], r["applicant"], r["subject"][:24]) for r in rows]
    styles = ["bold red" if r["overdue"] else "yellow" for r in rows]
    if len(rows) >= LINES_FROM:
        _lines(f"{title} · {len(rows)} 项", header, cells, styles)
        return
    # Dates, references and counts are never wrapped; on a narrow terminal the deadline gets its short
    # label and the subject (one `show` away) is left out, so that a row stays one line.
    narrow = console.width < 100
    if narrow:
        header = header[:-1]
        cells = [(c[0], SHORT_DEADLINE_LABELS.get(r["kind"], c[1]) + ("（延迟）" if "延迟" in r["label"] else ""),
                  *c[2:-1]) for c, r in zip(cells, rows, strict=True)]
    t = Table(title=title, header_style="bold")
    for col in header:
        if col in ("申请人", "申请内容"):
            t.add_column(col, max_width=10 if narrow else 24, overflow="ellipsis", no_wrap=True)
        else:
            t.add_column(col, no_wrap=True)
    for row, style in zip(cells, styles, strict=True):
        t.add_row(*row, style=style)
    console.print(t)


def _lines(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]], styles: list[str]) -> None:
    """A long listing: a title, a header and one aligned line a row (never wrapped), each row's style kept.

    The styles are rendered line by line and written at once: ``console.print`` of one long text costs
    as much as the table it replaces."""
    from rich.cells import cell_len
    from rich.color import ColorSystem
    from rich.style import Style

    widths = [max(map(cell_len, column)) for column in zip(header, *rows, strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c + " " * (w - cell_len(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    lines = [(title, "bold"), (line(header), "bold"), *zip(map(line, rows), styles, strict=True)]
    systems = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT, "truecolor": ColorSystem.TRUECOLOR}
    system = systems.get(console.color_system or "")
    if console.legacy_windows or (console.color_system and system is None):
        from rich.text import Text

        for text, style in lines:
            console.print(Text(text, style=style), soft_wrap=True)
        return
    parsed = {style: Style.parse(style) for style in set(styles) | {"bold"}}
    console.file.write("".join((parsed[style].render(text, color_system=system) if system else text) + "\n"
                               for text, style in lines))


def demo(target: str, app: Gongkai) -> None:
    from workflow.usecases import views

    console.rule(f"演示数据库 {target}（{app.today}）")
    request_table(views.list_requests(app, state="open"), app)
    due_table(views.due(app, within=2), app)
    rows = views.list_requests(app, state="open", limit=1)
    if rows:
        request_detail(views.show(app, rows[0]["ref"]))
    from cli.output.report_view import render_report
    from workflow.reports import compute as report

    console.rule(f"{app.today.year} 年度报告（预览）")
    render_report(console, report.build(app, app.today.year))
    gk = _command_name()
    console.print("\n继续使用（可直接复制）：", soft_wrap=True)
    for line in (f"export GONGKAI_DB={shlex.quote(target)}", f"{gk} list", f"{gk} work",
                 f"{gk} report {app.today.year} --format md --out 年报.md"):
        console.print(f"  {line}", soft_wrap=True, highlight=False, markup=False)


def _command_name() -> str:
    """How to type gongkai here: ``gongkai`` when it is on the PATH, else the script beside this Python
    (``.venv/bin/gongkai`` after the README's set-up command, which does not activate the venv)."""
    import shutil
    import sys
    from pathlib import Path

    beside = Path(sys.executable).parent / "gongkai"
    found = shutil.which("gongkai")
    if (found and Path(found).resolve() == beside.resolve()) or not beside.exists():
        return "gongkai"
    try:
        return str(beside.relative_to(Path.cwd()))
    except ValueError:
        return str(beside)
