"""The form an action (or ``n``, register) opens: its fields, checked on confirm, and the refusal shown in place.

Enter confirms, Tab moves between fields, Escape cancels. A date that cannot be read is asked again
(the field is marked and focused, the others keep what was typed); the use case then runs off the
UI thread, and a refusal (``GongkaiError``) is shown in the form, nothing typed lost. The form closes
with what the use case returned, or with the ``ConcurrentChange`` another officer's change caused, so
the workbench can say so and reload.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from cli.workbench.fields import Field, parse_day
from cli.workbench.preview import Preview
from cli.workbench.screens import LetterScreen
from workflow.domain.errors import ConcurrentChange, GongkaiError, InvalidInput

Submit = Callable[[dict[str, str]], Any]
Previewer = Callable[[dict[str, str]], Preview]


class FormBody(VerticalScroll, can_focus=False):
    """The fields, scrolled when the terminal is short; the cursor goes to the fields, not here."""


class FormScreen(ModalScreen[Any]):
    BINDINGS = [Binding("escape", "cancel", "取消"), Binding("ctrl+s", "confirm", "确认"),
                Binding("ctrl+l", "letter", "预览文书")]

    def __init__(self, title: str, fields: tuple[Field, ...], submit: Submit, today: date,
                 preview: Previewer | None = None, warning: str = "") -> None:
        super().__init__()
        self.title_text, self.fields, self.submit, self.today = title, fields, submit, today
        self.previewer, self.warning = preview, warning
        self.shown: Preview | None = None
        self.error_from: str | None = None

    def compose(self) -> ComposeResult:
        with FormBody(id="form"):
            yield Static(self.title_text, id="form-title")
            if self.warning:
                yield Static(self.warning, id="form-warning")
            for f in self.fields:
                with Horizontal(classes="row"):
                    yield Label(f.caption, classes="caption")
                    yield self._input(f)
            yield Static("", id="form-preview")
            yield Static("", id="form-error")
            with Horizontal(id="form-buttons"):
                yield Button("确认 (Enter)", id="confirm", variant="primary")
                yield Button("取消 (Esc)", id="cancel")

    def _input(self, f: Field) -> Input | Select[str]:
        if f.choices:
            return Select(f.choices, id=f"f-{f.name}", prompt="请选择", allow_blank=not f.required,
                          value=f.choices[0][1] if f.required else Select.NULL)
        value = self.today.isoformat() if f.default_today else f.default
        return Input(value, id=f"f-{f.name}", placeholder="2026-03-02 / 今天" if f.is_date else "")

    def values(self) -> dict[str, str]:
        """What was typed, each date read as people write it; a field that cannot be read is asked again."""
        out: dict[str, str] = {}
        for f in self.fields:
            widget = self.query_one(f"#f-{f.name}")
            raw = widget.value if isinstance(widget, Input) else ("" if widget.value is Select.NULL else widget.value)
            text = str(raw).strip()
            if not text:
                if f.required:
                    raise InvalidInput(f.caption.rstrip("*"), "必须填写")
                continue
            out[f.name] = parse_day(f.caption.rstrip("*"), text, self.today).isoformat() if f.is_date else text
        return out

    # The preview: what confirming would do, worked out again as the fields change ----------------------
    def on_mount(self) -> None:
        self.refresh_preview()

    @on(Input.Changed)
    @on(Select.Changed)
    def refresh_preview(self) -> None:
        if self.previewer is not None:
            self.run_preview()

    @work(exclusive=True, group="preview")
    async def run_preview(self) -> None:
        await asyncio.sleep(0.1)  # typing goes on: work it out once the keys pause
        try:
            values = self.values()
        except InvalidInput as e:
            self.show_preview(None, Text(f"预览：填写完整后显示（{e}）", style="dim"))
            return
        assert self.previewer is not None
        try:
            shown = await asyncio.to_thread(self.previewer, values)
        except GongkaiError as e:
            self.show_preview(None, Text(f"将被拒绝：{e}", style="bold red"))
            return
        self.show_preview(shown, shown.text())

    def show_preview(self, shown: Preview | None, body: Text) -> None:
        self.shown = shown
        for area in self.query("#form-preview").results(Static):  # none once the form has closed
            area.update(body)

    def action_letter(self) -> None:
        if self.shown is not None and self.shown.letter is not None:
            self.app.push_screen(LetterScreen(self.shown.letter))

    @on(Input.Blurred)
    def check_date(self, event: Input.Blurred) -> None:
        """A date is read as soon as the cursor leaves it, so a mistyped one is pointed out at once."""
        f = next((f for f in self.fields if f"f-{f.name}" == event.input.id), None)
        if f is None or not f.is_date or not event.value.strip():
            return
        try:
            parse_day(f.caption.rstrip("*"), event.value, self.today)
        except InvalidInput as e:
            event.input.add_class("-invalid")
            self.say(f.name, Text(f"请改正：{e}"))
        else:
            event.input.remove_class("-invalid")
            if self.error_from == f.name:  # another field's refusal stays said
                self.say(None, Text(""))

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        try:
            values = self.values()
        except InvalidInput as e:
            self.refuse(e)
            return
        self.run_submit(values)

    @work(exclusive=True, group="submit")
    async def run_submit(self, values: dict[str, str]) -> None:
        self.query_one("#form-error", Static).update("正在办理……")
        try:
            result = await asyncio.to_thread(self.submit, values)
        except ConcurrentChange as e:
            self.dismiss(e)
        except GongkaiError as e:
            self.refuse(e)
        else:
            self.dismiss(result)

    def say(self, field: str | None, text: Text) -> None:
        """Show an error under the fields; ``field``: the date it is about, cleared once that date reads."""
        self.error_from = field
        self.query_one("#form-error", Static).update(text)

    def refuse(self, e: GongkaiError) -> None:
        """Say why, mark the field the error names (by caption or flag) and put the cursor there."""
        self.say(None, Text(f"未能办理：{e}"))
        named = getattr(e, "field", "")
        for f in self.fields:
            if named in (f.caption.rstrip("*"), f"--{f.name.replace('_', '-')}", f.name):
                widget = self.query_one(f"#f-{f.name}")
                widget.add_class("-invalid")
                widget.focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
