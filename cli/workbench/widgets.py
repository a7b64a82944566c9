"""The workbench's widgets: the line of views, the queue and the selected request.

The request is drawn from what ``workflow.usecases.views.show`` returns: particulars (personal data
masked), every deadline with its one-line explanation, a compact timeline of labels (no codes, no
hashes), the letters written and the actions allowed now, each with its key.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable, Static

from cli.workbench.fields import ACTION_KEYS, CORRECTION_KEYS, corrections_now
from cli.workbench.queue import VIEWS, View
from rules import actions as a
from rules.letters import KINDS as LETTERS
from workflow.domain.states import STATE_LABELS

STYLES = {"overdue": "bold red", "soon": "yellow", "": ""}
SUBJECT = "申请内容"  # the queue's last column, and its key
STATE_WIDTH = max(cell_len(label) for label in STATE_LABELS.values())  # 征求意见中, never cut to 征求意


class ViewBar(Static):
    """The five views on keys 1–5, the current one highlighted, and how many rows it shows."""

    def show_view(self, current: View, shown: int, total: int, text: str, more: bool = False) -> None:
        line = Text()
        for v in VIEWS:
            line.append(f" {v.key} {v.label} ", style="reverse bold" if v is current else "dim")
        if more:
            line.append(f"  最紧急的 {total} 件（/ 筛选查找其余）")
        else:
            line.append(f"  {shown}/{total} 件" if text else f"  {total} 件")
        self.update(line)


class QueueTable(DataTable[Text]):
    """The requests of the view, most urgent first: overdue in red, due within two working days in yellow.

    A screenful of rows is added first and the rest once that screen is drawn: the table measures
    every cell it is given before it draws (500 rows, 2,500 cells: ~40 ms of the wait for the first
    screen, benchmarks figure 8), and the officer reads the top rows first.
    """

    filling = 0  # which fill the rows being added belong to: a later fill drops an earlier one's rest

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = False
        for label, width in (("编号", 9), ("申请人", 8), ("下一期限", 10), ("状态", STATE_WIDTH), (SUBJECT, 0)):
            self.add_column(label, width=width, key=label)

    def fill(self, rows: list[dict[str, Any]], urgency: dict[str, str]) -> None:
        at = self.cursor_row
        self.clear()
        # The subject column is as wide as its widest subject, set here rather than measured by the table
        # when it is next idle: a frame drawn before that measuring would stay cut at the heading's width.
        subject = self.columns[SUBJECT]
        subject.width = max([cell_len(SUBJECT), *(cell_len(r["subject"] or "") for r in rows)])
        self.filling += 1
        screen = max(self.size.height, self.app.size.height)  # the rows one screen can show
        first = screen if at < screen else len(rows)  # a cursor further down keeps its row at once
        self._add(rows[:first], urgency)
        if rows:
            self.move_cursor(row=min(at, len(rows) - 1))
        if rows[first:]:
            self.call_after_refresh(self._add_rest, self.filling, rows[first:], urgency)

    def _add_rest(self, filling: int, rows: list[dict[str, Any]], urgency: dict[str, str]) -> None:
        if filling == self.filling:
            self._add(rows, urgency)

    def _add(self, rows: list[dict[str, Any]], urgency: dict[str, str]) -> None:
        for r in rows:
            style = STYLES[urgency.get(r["ref"], "")]
            due = r["concluded_on"] or r["next_due"] or "—"
            self.add_row(Text(r["ref"], style=style), Text(r["applicant"] or "", no_wrap=True),
                         Text(due, style=style), Text(r["state_label"]), Text(r["subject"] or "", no_wrap=True),
                         key=f"{r['agency']}\t{r['ref']}")


def _timeline(d: dict[str, Any]) -> Text:
    out = Text()
    for ev in d["events"]:
        if ev["action"] == a.NOTICE:
            continue
        label = a.LABELS.get(ev["action"], ev["action"])
        style = "dim strike" if ev["undone_by"] else ""
        out.append(f"  {ev['on'][5:]} {label}", style=style)
        out.append(f"  {ev['officer']}\n", style="dim")
    return out


def _letters(d: dict[str, Any]) -> Text:
    written = [ev for ev in d["events"] if ev["action"] == a.NOTICE]
    out = Text()
    for ev in written:
        kind = LETTERS.get(ev["payload"].get("kind", ""))
        out.append(f"  {ev['on']} {kind.title if kind else '文书'}\n")
    return out or Text("  （尚未生成）\n", style="dim")


def _deadlines(d: dict[str, Any]) -> Text:
    out = Text()
    for dl in d["deadlines"]:
        if dl["closed_on"]:
            status, style = f"{dl['closed_on']}完成" + ("（逾期）" if dl["late"] else ""), "dim"
        else:
            status, style = ("已逾期", "bold red") if dl["overdue"] else ("进行中", "")
        out.append(f"  {dl['label']} {dl['due']}{'（暂定）' if dl['provisional'] else ''} ", style="bold")
        out.append(status, style=style)
        out.append(f"\n    {dl['explanation']}\n", style="dim")
    return out


def request_text(d: dict[str, Any]) -> Text:
    """The selected request, compact enough to read beside or below the queue."""
    app = d["applicant"]
    head = Text.assemble((d["ref"], "bold"), "  ", d["state_label"],
                         (f" · {d['outcome_label']}" if d["outcome_label"] else ""),
                         (" · 逾期答复" if d["late"] else "", "red"), (" · 期限暂停" if d["paused"] else ""))
    parts = [_deadlines(d), _timeline(d), _letters(d)]
    for part in parts:
        part.rstrip()
    deadlines, timeline, letters = parts
    return Text("\n").join([
        head,
        Text(f"申请人：{app['name']}（{app['type_label']}） 电话：{app['phone'] or '—'}"),
        Text(f"收到：{d['received_on']}（{d['channel_label']}） 内容：{d['subject']}"),
        Text("期限", style="bold underline"), deadlines or Text("  —"),
        Text("办理记录", style="bold underline"), timeline,
        Text("已生成文书", style="bold underline"), letters,
    ])


def actions_text(allowed: list[str], corrections: list[str]) -> Text:
    out = Text("可办理：", style="bold")
    keyed = [name for name in allowed if name in ACTION_KEYS]
    for name in keyed:
        out.append(f" {ACTION_KEYS[name]}", style="bold reverse")
        out.append(f" {a.LABELS[name]} ")
    if not keyed:
        out.append(" 无（已办结）" if corrections else " 无（已作废）", style="dim")
    for name in corrections:
        out.append(f" {CORRECTION_KEYS[name]}", style="reverse")
        out.append(f" {a.LABELS[name]} ", style="dim")
    return out


class RequestPanel(Static):
    """The selected request; empty while none is selected."""

    def show_request(self, d: dict[str, Any] | None) -> None:
        self.update(request_text(d) if d else Text("（未选中申请）", style="dim"))


class ActionBar(Static):
    """The actions allowed now on the selected request, each with its key, always in sight above the keys."""

    def show_actions(self, d: dict[str, Any] | None) -> None:
        self.update(actions_text(d["allowed_now"], corrections_now(d)) if d else "")
