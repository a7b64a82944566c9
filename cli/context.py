"""What every command shares: the global options, opening gongkai once, and turning errors into one line."""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from workflow.app import Gongkai

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class State:
    db: str | None = None
    officer: str | None = None
    agency: str | None = None
    named: bool = True  # --officer was typed (not GONGKAI_OFFICER): once officers sign in, it is checked
    _app: dict[date | None, Gongkai] = field(default_factory=dict)

    def app(self, today: date | None = None) -> Gongkai:
        if today not in self._app:
            from workflow.app import Gongkai

            require_database(self.db)
            self._app[today] = Gongkai.open(self.db, self.officer, today, self.agency, named=self.named)
            loaded()
        return self._app[today]


def loaded() -> None:
    """The command's modules are loaded and stay for the whole command: set them aside from the garbage
    collector, which main() paused while they loaded, and let it run for the work itself. Commands that
    open the database through ``State.app`` get this there; the others that may run long call it."""
    gc.freeze()
    gc.enable()


def console() -> Console:
    """A rich console made now, for what is printed now.

    Rich reads the terminal when a console is made: its width (``COLUMNS``), its colours (``NO_COLOR``,
    ``FORCE_COLOR``) and whether stdout is a terminal. A console made at import kept the terminal of the
    first command for every later command of the process (a test session, a workbench): ``list`` under
    160 columns printed 80 after a command had run under 80. Making one costs about 10 µs."""
    from rich.console import Console

    return Console(highlight=False)


PAGING: list[Console] = []  # while output goes to the pager (cli.output.pager): the console it is drawn on


class CommandConsole:
    """A module-level name to print with (``render.console.print(...)``) that is a console made when it
    is used (see ``console``), never one fixed at import; while paging, the pager's."""

    def __getattr__(self, name: str) -> Any:
        return getattr(PAGING[-1] if PAGING else console(), name)


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, State) else State()


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"gongkai: {message}", err=True)
    raise typer.Exit(code)


def handles_errors(fn: F) -> F:
    """One clear line on stderr and a non-zero exit for anything that goes wrong; never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from workflow.domain.errors import GongkaiError

        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            broken_pipe()
        except GongkaiError as e:
            fail(str(e), e.exit_code)
        except Exception as e:  # noqa: BLE001 - the last line of defence before the user
            from sqlalchemy.exc import SQLAlchemyError

            if isinstance(e, SQLAlchemyError):
                text = str(getattr(e, "orig", None) or e).strip().splitlines()
                fail(f"数据库错误：{text[0] if text else type(e).__name__}")
            fail(f"内部错误（{type(e).__name__}: {e}），未作任何修改，请报告此问题。")

    return wrapper  # type: ignore[return-value]


def broken_pipe() -> None:
    """The reader of the output went away (``gongkai advance … --json | true``): say whether the
    command's change had been saved before that, and exit without a second broken-pipe message."""
    import os

    from workflow.store import db

    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    saved = "修改此前已经保存" if db.SAVED[0] else "未作任何修改"
    with contextlib.suppress(OSError, ValueError):
        typer.echo(f"gongkai: 输出被截断（管道已关闭）；{saved}", err=True)
    raise typer.Exit(0 if db.SAVED[0] else 1)


def require_database(target: str | None) -> None:
    """Refuse a SQLite file that does not exist: a typo in ``--db`` or ``GONGKAI_DB`` must not quietly
    open a new, empty database. ``gongkai db upgrade`` and ``gongkai demo`` create one."""
    import os

    from workflow.domain.errors import DatabaseError
    from workflow.store.db import resolve_url

    url = resolve_url(target)
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else ""
    if path and path != ":memory:" and not os.path.exists(path):
        raise DatabaseError(f"数据库 {path} 不存在（请检查 --db 或 GONGKAI_DB）；新建请运行 "
                            f"gongkai --db {path} db upgrade，或生成演示库 gongkai demo --path {path}")


def parse_date(field_name: str, value: str | None, today: date | None = None) -> date | None:
    """A date as officers write it (2026-03-02, 2026/3/2, 2026年3月2日, 3月2日, 今天, 昨天 …:
    ``rules.spelling``); ``today`` (default: the real today) gives 今天 and the year of 3月2日."""
    if value is None:
        return None
    from workflow.domain import vocabulary

    return vocabulary.day(value, today or date.today(), field_name)


def reference(value: str | None) -> str | None:
    """A request reference as typed: full-width digits, or without its year (``17`` is this year's
    2026-0017). A typer callback of every REF."""
    if value is None:
        return None
    from rules import spelling

    return spelling.reference(value, date.today().year)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
