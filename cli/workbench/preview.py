"""What a form will do, shown before it is confirmed: the deadlines the action produces, its letter,
and the reply date of a request being registered.

Nothing here knows a rule. An action is tried by the same use case that confirming it runs
(``workflow.usecases.requests.advance_in``) inside a reading unit of work that is never committed, so
the preview sees every check the confirmation will make, and the deadlines are the lifecycle's own
(``Case.schedule``); the letter is composed by ``workflow.usecases.notices.record_in`` without a file,
which records nothing. A new request's reply date is the schedule of a case holding only its
registration. Example: 张三's request received Monday 2026-10-26 and sent for consultation on
2026-11-25 shows 征求意见答复期限 2026-12-16 (15 working days from the day after), marked 新, and
that the reply deadline is paused while the third party is consulted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rich.text import Text

from cli.workbench.fields import BLANKS, NOTICE
from cli.workbench.queue import scoped
from rules import actions as a
from rules import letters
from rules.deadline_kinds import KINDS as DEADLINES
from rules.deadlines import Deadline
from rules.intake import channels
from workflow.app import Gongkai
from workflow.domain.commands import Advance
from workflow.domain.errors import GongkaiError, InvalidInput
from workflow.domain.lifecycle import Case, Event
from workflow.usecases import requests


@dataclass(frozen=True)
class Preview:
    deadlines: Text
    letter: str | None = None  # the letter's text, as ``gongkai notice … `` prints it
    letter_refused: str | None = None  # why the letter cannot be written yet (a setting, a blank)

    def text(self) -> Text:
        parts = [self.deadlines]
        if self.letter_refused:
            parts.append(Text(f"文书：暂不能生成：{self.letter_refused}", style="bold red"))
        elif self.letter is not None:
            parts.append(Text("文书已拟好：Ctrl+L 预览全文；确认时写入上面的文书文件（留空则不写）", style="dim"))
        return Text("\n").join(parts)


def command(d: dict[str, Any], action: str, values: dict[str, str]) -> Advance:
    """The command the form confirms: the selected request as it was read (its version), the action
    and what was typed, the letter's file left out."""
    payload = {k: v for k, v in values.items() if k not in ("on", NOTICE, *BLANKS)}
    return Advance(d["ref"], action, date.fromisoformat(values["on"]), payload, d["agency"], d["version"])


def letter_file(d: dict[str, Any], action: str) -> str:
    """Where the letter goes unless the officer types another file: the working folder, named for
    the request and the letter (``2026-0001-征求意见书.docx``)."""
    kind = letters.KINDS[letters.LETTER_OF_ACTION[action]]
    return str(Path.cwd() / f"{d['ref']}-{kind.title}.docx")


def _line(dl: Deadline, before: set[tuple[str, str]]) -> Text:
    label = DEADLINES[dl.kind].label
    new = (label, dl.due.isoformat()) not in before
    out = Text(f"  {label} ", style="bold" if new else "")
    out.append(dl.due.isoformat() + ("（暂定）" if dl.provisional else ""), style="bold green" if new else "")
    out.append("  新" if new else "", style="green")
    return out


def deadlines_text(case: Case, on: date, today: date, before: list[dict[str, Any]]) -> Text:
    """The open deadlines once the action is recorded, those it creates or moves marked 新."""
    sched = case.schedule(as_of=max(today, on))
    was = {(dl["label"], dl["due"]) for dl in before if not dl["closed_on"]}
    lines = [_line(dl, was) for dl in sched.deadlines if dl.open]
    head = Text("办理后的期限", style="bold underline")
    if sched.paused_now:
        head.append("（答复期限暂停计算）", style="yellow")
    if not lines:
        return Text.assemble(head, "\n  办理后不再有进行中的期限")
    return Text("\n").join([head, *lines])


def action_preview(g: Gongkai, d: dict[str, Any], action: str, values: dict[str, str]) -> Preview:
    """The action tried on the request as stored, never committed; its refusal is raised as confirming
    would raise it."""
    cmd = command(d, action, values)
    with g.unit_of_work(write=False) as uow:
        from workflow.usecases import notices  # the letters' renderers load only when a form needs them

        case = requests.advance_in(g, uow, cmd)
        deadlines = deadlines_text(case, cmd.on, g.today, d["deadlines"])
        code = letters.LETTER_OF_ACTION.get(action)
        if code is None:
            return Preview(deadlines)
        try:
            rendered = notices.record_in(g, uow, case, code, None, "text", blanks=blanks(values))
        except GongkaiError as e:
            return Preview(deadlines, None, str(e))
        return Preview(deadlines, rendered.data.decode())


def blanks(values: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in values.items() if k in BLANKS}


def confirm(g: Gongkai, d: dict[str, Any], action: str, values: dict[str, str]) -> dict[str, Any]:
    """What confirming an action's form does: one unit of work, with its letter when a file is given;
    the request as ``show`` gives it afterwards (and the letter's file)."""
    cmd = command(d, action, values)
    if values.get(NOTICE):
        written = write_with_letter(g, action, cmd, values)
        from workflow.usecases import views

        return {**views.show(scoped(g, d["agency"]), d["ref"]), "file": str(written)}
    return requests.advance(g, cmd)


def write_with_letter(g: Gongkai, action: str, cmd: Advance, values: dict[str, str]) -> Path | None:
    """Confirm the action and write its letter to ``values[NOTICE]``, as ``advance … --notice FILE``
    does: one unit of work, the file moved into place only once both are recorded. A letter that needs
    a blank its action does not record (the consultation's description) is composed with it by the
    same two use cases ``notices.advance_with_notice`` chains (``advance_in``, then ``record_in``)."""
    from workflow.usecases import notices

    out = Path(values[NOTICE]).expanduser()
    if not blanks(values):
        return notices.advance_with_notice(g, cmd, out).out
    with g.unit_of_work() as uow:
        case = requests.advance_in(g, uow, cmd)
        written = notices.record_in(g, uow, case, letters.LETTER_OF_ACTION[action], out, None, blanks=blanks(values))
        uow.commit()
        return written.out


def register_preview(g: Gongkai, values: dict[str, str]) -> Preview:
    """The reply date of the request being registered: 20 working days from its receipt (Art. 33),
    the receipt being the confirmation day for the channels that need one (Art. 31)."""
    try:
        ch = channels.channel(values["channel"])
        confirmed = date.fromisoformat(values["confirmed_on"]) if "confirmed_on" in values else None
        received = channels.receipt_date(ch, date.fromisoformat(values["received_on"]), confirmed)
    except ValueError as e:
        raise InvalidInput("渠道", str(e)) from None
    case = Case("新申请", Event(a.REGISTER, received, {"channel": ch.code}, g.officer), g.context)
    reply = case.schedule(as_of=max(g.today, received)).reply
    text = Text.assemble(("答复期限 ", "bold"), (f"{reply.due.isoformat()}" if reply else "—", "bold green"),
                         ("（暂定）" if reply and reply.provisional else ""), f"  收到日期 {received.isoformat()}")
    return Preview(text)
