"""``gongkai work``: the officers' workbench, a full-screen terminal app (Textual).

``cli.workbench.app`` is the app; ``widgets`` and ``screens`` what it shows, ``forms`` the form an
action opens, ``fields`` the fields read off the actions' declaration, ``queue`` the views and the
filter (pure), ``workbench.tcss`` the layout. Textual is imported only when ``gongkai work`` runs, so
the other commands start as fast as before.
"""

from __future__ import annotations

import sys

import typer

from cli.context import fail, handles_errors, parse_date, state


def install(app: typer.Typer) -> None:
    app.command("work")(work)


@handles_errors
def work(
    ctx: typer.Context,
    on: str = typer.Option(None, "--on", metavar="DATE", help="以此日期判断期限（默认今天）。"),
) -> None:
    """办理工作台：全屏界面，队列、申请详情与办理。"""
    day = parse_date("--on", on)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail("work: 工作台需要在终端中运行（标准输入和输出都须是终端）；脚本请用 list、show、advance 等命令")
    # Textual is imported while the garbage collector is still paused (``cli.app.main``); opening gongkai
    # then sets every loaded module aside from it (``context.loaded``), Textual's with the rest.
    from cli.workbench import queue
    from cli.workbench.app import run

    gongkai = state(ctx).app(day)
    run(gongkai, queue.read_first(gongkai))  # the first view is read while Textual starts
