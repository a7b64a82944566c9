"""Every argument is checked before any command runs: no control character, no invalid UTF-8.

A name typed as ``$'张\\x01三'`` would be stored and then break every XLSX export and DOCX letter of
that request; an argument that is not UTF-8 (``$'\\xff'``) reaches Python as lone surrogates that
no file can hold. The root group checks the whole command line once, so no command, today's or a
later one, can forget to (``workflow.domain.text`` says what is refused and why).
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup


def field_of(args: list[str], index: int) -> str:
    """How the user would name the argument at ``index``: its option, or its position."""
    arg = args[index]
    if arg.startswith("--") and "=" in arg:
        return arg.split("=", 1)[0]
    if index > 0 and args[index - 1].startswith("-") and not arg.startswith("-"):
        return args[index - 1]
    return f"argument {index + 1}"


ENVIRONMENT = ("GONGKAI_OFFICER", "GONGKAI_AGENCY", "GONGKAI_DB")  # the options' environment variables


def refusal(args: list[str]) -> str | None:
    import os

    from workflow.domain import text

    for index, arg in enumerate(args):
        found = text.problem(arg)
        if found:
            return f"{field_of(args, index)}: {text.shown(arg)} {found}"
    for name in ENVIRONMENT:
        value = os.environ.get(name, "")
        if found := text.problem(value):
            return f"{name}: {text.shown(value)} {found}"
    return None


class CheckedGroup(TyperGroup):
    """The ``gongkai`` group: refuses a command line holding unusable text, exit code 1 as any bad value."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        message = refusal(args)
        if message:
            typer.echo(f"gongkai: {message}", err=True)
            raise typer.Exit(1)
        result: Any = super().parse_args(ctx, args)
        return result  # type: ignore[no-any-return]
