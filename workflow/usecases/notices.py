"""Writing a request's letters to files and recording them, each in one unit of work.

``gongkai notice REF KIND`` writes a letter of the history as it stands; ``advance … --notice FILE``
records an action and writes the letter it requires together; ``fee … --notify --notice FILE`` does
the same for the fee notice. What a letter says is ``workflow.letters.content``; how it looks,
``workflow.letters.render``.

A letter written to a file is recorded as a ``notice`` event (kind, file, format, sha256, the event it
is about), once: a second file of the same letter is marked 副本 (copy) and records nothing, and so
is a letter printed to the screen (a preview) or a draft (``--draft``). The file is written next to
its destination inside the unit of work and moved into place only once the record is committed, so
a refused action leaves no letter behind and a letter always has its record. Letters are written
only to new files (no overwrite without ``force``, never through a symlink), readable by the owner
only, and only to names ending in ``.docx`` or ``.txt``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rules import actions as a
from rules import letters
from workflow.app import Gongkai
from workflow.domain import quotes
from workflow.domain.commands import Advance
from workflow.domain.errors import InvalidInput
from workflow.domain.lifecycle import Case, Event
from workflow.domain.quotes import Quote
from workflow.letters.content import compose, target_event
from workflow.letters.render import FORMATS, Letter, marked, to_docx, to_text
from workflow.store import models
from workflow.store.unit_of_work import UnitOfWork
from workflow.usecases.quoting import quote_in
from workflow.usecases.requests import advance_in

SUFFIXES = {".docx": "docx", ".txt": "text"}


@dataclass
class Rendered:
    """A letter rendered and recorded; its file appears at ``out`` once the record is committed."""

    letter: Letter
    fmt: str
    data: bytes
    out: Path | None
    tmp: Path | None
    seq: int | None  # the notice event; None if nothing was recorded (preview, draft, copy)
    copy_of: int | None = None  # the notice event of the original, for a copy
    force: bool = False

    def publish(self) -> None:
        if self.tmp is not None and self.out is not None:
            if self.force:
                os.replace(self.tmp, self.out)
            else:
                os.link(self.tmp, self.out)  # fails rather than replace a file that appeared meanwhile
                self.tmp.unlink()
            self.tmp = None

    def discard(self) -> None:
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)
            self.tmp = None

    def summary(self) -> dict[str, Any]:
        return {"ref": self.letter.ref, "kind": self.letter.kind, "title": self.letter.title,
                "template": self.letter.template, "format": self.fmt,
                "file": str(self.out) if self.out else None, "sha256": hashlib.sha256(self.data).hexdigest(),
                "about_event": self.letter.about, "notice_event": self.seq, "recorded": self.seq is not None,
                "copy_of": self.copy_of, "dates": self.letter.dates, "warnings": list(self.letter.warnings)}


def output_format(out: Path | None, fmt: str | None) -> str:
    """The format asked for: the --out suffix decides (.docx or .txt); without --out, text."""
    chosen = {"txt": "text"}.get((fmt or "").lower(), (fmt or "").lower()) or None
    if chosen is not None and chosen not in FORMATS:
        raise InvalidInput("--format", f"{fmt!r} 不是可用的格式；应为 docx 或 text")
    if out is None:
        if chosen == "docx":
            raise InvalidInput("--format", "DOCX 文书须用 --out 文件名.docx 指定输出文件")
        return "text"
    by_name = SUFFIXES.get(out.suffix.lower())
    if by_name is None:
        raise InvalidInput("--out", f"{str(out)[:80]!r} 不是文书的文件名；文件名应以 .docx 或 .txt 结尾")
    if chosen is not None and chosen != by_name:
        raise InvalidInput("--format", f"格式 {chosen} 与文件名 {out.name!r} 不符")
    return by_name


def _target_path(out: Path, force: bool) -> Path:
    try:
        if "\x00" in str(out):
            raise ValueError("embedded null byte")
        if out.is_symlink():
            raise InvalidInput("--out", f"{out} 是符号链接；文书不经链接写出，请给出实际文件名")
        target = out.parent.resolve() / out.name
        if not target.parent.is_dir():
            raise InvalidInput("--out", f"目录 {target.parent} 不存在")
        if target.exists() and not target.is_file():
            raise InvalidInput("--out", f"{target} 已存在且不是文件")
        if target.exists() and not force:
            raise InvalidInput("--out", f"{target} 已存在；请换一个文件名，或加 --force 覆盖")
    except (OSError, ValueError) as e:
        raise InvalidInput("--out", f"{str(out)[:80]!r} 不是可用的文件名（{e}）") from None
    return target


def _write_tmp(target: Path, data: bytes) -> Path:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except (OSError, ValueError) as e:
        raise InvalidInput("--out", f"无法写入 {target}：{getattr(e, 'strerror', None) or e}") from None
    return tmp


def _notice_date(app: Gongkai, uow: UnitOfWork, case: Case, letter: Letter) -> date:
    """The letter's own date, or the last event's if later (histories are in date order); today only
    if that day lies in a closed year. The moment it was actually written is the event's recorded_at."""
    on = max(case.events[letter.about - 1].on, case.events[-1].on)
    if uow.requests.year_closed(case.agency, on.year):
        uow.check_year(case.agency, app.today, a.NOTICE)
        return app.today
    return on


def _fee_quote(app: Gongkai, uow: UnitOfWork, row: models.Request, case: Case, kind_code: str,
               consultation: int | None, blanks: dict[str, str]) -> Quote | None:
    """The quote a fee notice states: by the pages or items its event recorded (or ``blanks`` gives)."""
    if kind_code != "fee":
        return None
    ev = target_event(case, letters.KINDS[kind_code], consultation)
    given = {**ev.payload, **{k: v for k, v in blanks.items() if k in ("pages", "items") and v}}
    for k in ("pages", "items"):
        if k in given and k not in ev.payload:
            try:
                given[k] = int(given[k])
            except ValueError:
                raise InvalidInput(f"--{k}", f"{given[k]!r} 不是整数") from None
    pages, items = given.get("pages"), quotes.items_recorded(given)
    if pages is None and items is None:
        return None
    return quote_in(app, uow, row, int(pages) if pages is not None else None, items)


def _original(case: Case, letter: Letter) -> int | None:
    """The notice event that recorded this letter written to a file, if one did."""
    live = {id(e) for e in case.live}
    return next((i + 1 for i, e in enumerate(case.events) if id(e) in live and e.action == a.NOTICE
                 and e.payload.get("kind") == letter.kind and e.payload.get("about") == letter.about
                 and e.payload.get("file", "-") != "-"), None)


@dataclass(frozen=True)
class Request:
    """What to write: a letter of the history, where, and how."""

    kind: str
    out: Path | None = None
    fmt: str | None = None
    consultation: int | None = None
    blanks: dict[str, str] = field(default_factory=dict)  # what the event did not record
    draft: bool = False
    force: bool = False


def record_in(app: Gongkai, uow: UnitOfWork, case: Case, kind_code: str, out: Path | None, fmt: str | None,
              consultation: int | None = None, *, blanks: dict[str, str] | None = None, draft: bool = False,
              force: bool = False) -> Rendered:
    """Compose and render one letter inside an open unit of work. Written to a file for the first time,
    it is recorded, and the file is moved into place when the unit of work commits (removed if it
    does not); a preview, a draft or a copy records nothing."""
    chosen = output_format(out, fmt)
    target = _target_path(out, force) if out is not None else None
    row = uow.requests.row(case)
    quote = _fee_quote(app, uow, row, case, kind_code, consultation, blanks or {})
    letter = compose(app, row, case, kind_code, consultation, quote, blanks, draft,
                     agency_name=uow.requests.agency_name(case.agency))
    original = _original(case, letter) if target is not None and not draft else None
    if original is not None:
        letter = marked(letter, f"副本（原件见第{original}号记录）")
    data = to_docx(letter) if chosen == "docx" else to_text(letter).encode()
    seq = None
    if target is not None and not draft and original is None:
        payload = {"kind": kind_code, "format": chosen, "file": str(target),
                   "sha256": hashlib.sha256(data).hexdigest(), "about": letter.about}
        if case.outcome is not None:
            payload["outcome"] = case.outcome
        case.apply(Event(a.NOTICE, _notice_date(app, uow, case, letter), payload, app.officer))
        seq = len(case.events)
    tmp = _write_tmp(target, data) if target is not None else None
    rendered = Rendered(letter, chosen, data, target, tmp, seq, original, force)
    uow.after(commit=rendered.publish, rollback=rendered.discard)
    return rendered


def render(app: Gongkai, ref: str, what: Request) -> Rendered:
    """``gongkai notice REF KIND``: write the letter; record it if it is written to a file."""
    try:
        code = letters.kind(what.kind).code
    except ValueError as e:
        raise InvalidInput("KIND", str(e)) from None
    with app.unit_of_work() as uow:
        case = uow.requests.get(ref, app.agency)
        uow.check_agency(case.agency)
        rendered = record_in(app, uow, case, code, what.out, what.fmt, what.consultation, blanks=what.blanks,
                             draft=what.draft, force=what.force)
        uow.commit()
        return rendered


def advance_with_notice(app: Gongkai, cmd: Advance, out: Path, fmt: str | None = None, force: bool = False) -> Rendered:
    """``advance REF ACTION --notice FILE``: the action and the letter it requires, together."""
    code = letters.LETTER_OF_ACTION.get(cmd.action)
    if code is None:
        needing = ", ".join(letters.LETTER_OF_ACTION)
        raise InvalidInput("--notice", f"{cmd.action} 不需要文书；需要文书的事项：{needing}")
    with app.unit_of_work() as uow:
        case = advance_in(app, uow, cmd)
        rendered = record_in(app, uow, case, code, out, fmt, force=force)
        uow.commit()
        return rendered
