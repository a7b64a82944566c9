"""The screens over the workbench: the keys, listed on ``?``; a letter's text, previewed from its form."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from cli.workbench.fields import ACTION_KEYS, CORRECTION_KEYS
from cli.workbench.queue import VIEWS
from rules.actions import LABELS

GENERAL = (("/", "筛选：编号任意部分、申请人、电话、申请内容"), ("Esc", "清除筛选"), ("↑ ↓", "选择申请"),
           ("n", "登记新申请"), ("a", "今日提醒"), ("g", "本年度报告预览"), ("r", "重新载入"), ("?", "本帮助"),
           ("q", "退出"), ("Ctrl+L", "（表单中）预览文书"))


def keys_table() -> Table:
    t = Table(show_header=False, box=None, padding=(0, 1))
    t.add_column(style="bold reverse", no_wrap=True)
    t.add_column()
    for key, what in (*GENERAL, *((v.key, f"视图：{v.label}") for v in VIEWS)):
        t.add_row(key, what)
    for name, key in ACTION_KEYS.items():
        t.add_row(key, f"{LABELS[name]}（可办理时）")
    for name, key in CORRECTION_KEYS.items():
        t.add_row(key, f"{LABELS[name]}（须填写理由）")
    return t


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "app.pop_screen", "关闭")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static("按键一览（Esc 关闭）", id="help-title")
            yield Static(keys_table())


class LetterScreen(ModalScreen[None]):
    """The letter an action's form will write, as ``gongkai notice`` prints it (scrolled; Esc closes)."""

    BINDINGS = [Binding("escape,q,ctrl+l", "app.pop_screen", "关闭")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="letter"):
            yield Static("文书预览（Esc 关闭；确认后写入文件）", id="letter-title")
            yield Static(self.text, id="letter-text", markup=False)
