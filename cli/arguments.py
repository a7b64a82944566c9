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
    return f"第 {index + 1} 个参数"


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
    """The ``gongkai`` group: refuses a command line holding unusable text, exit code 1 as any bad value;
    every command under it prints its ``--help`` in Chinese (``cli.output.help_pages``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from cli.output.help_pages import localize

        super().__init__(*args, **kwargs)
        localize(self)  # typer builds the subcommands first: the whole tree is here

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        message = refusal(args)
        if message:
            typer.echo(f"gongkai: {message}", err=True)
            raise typer.Exit(1)
        result: Any = super().parse_args(ctx, args)
        return result  # type: ignore[no-any-return]

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Run the command; a usage error is one Chinese line on stderr (exit code 2), not click's English."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        import sys

        from typer._click import exceptions

        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except exceptions.NoArgsIsHelpError as e:
            e.show()
            sys.exit(e.exit_code)
        except exceptions.ClickException as e:
            typer.echo(f"gongkai: {usage_message(e)}{help_of(e)}", err=True)
            sys.exit(e.exit_code)
        except typer.Abort:
            typer.echo("gongkai: 已中止，未作任何修改", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


# -- usage errors in Chinese --------------------------------------------------------------------------
# Typer (its bundled click) words its usage errors in English and frames them with a usage line. An
# officer gets one line instead, naming the option or argument and what it takes, and the help to read.

def _hint(e: Any) -> str:
    """How the user names the parameter of a usage error: its option, or its argument in capitals."""
    param = getattr(e, "param", None)
    if param is None:
        return ""
    opts = [o for o in getattr(param, "opts", []) if o.startswith("-")]
    return opts[0] if opts else (param.name or "").upper()


def _expected(message: str) -> str:
    """What a parameter takes, read from the English reason a type conversion gave."""
    import re

    lowered = message.lower()
    if re.search(r"[\u4e00-\u9fff]", message):
        return message  # the project's own callbacks already speak Chinese
    if "integer" in lowered:
        return "应为整数"
    if "float" in lowered or "number" in lowered:
        return "应为数字"
    if "bool" in lowered:
        return "应为 true 或 false"
    choices = re.findall(r"'([^']+)'", message.split("one of", 1)[-1]) if "one of" in lowered else []
    return "可用：" + "、".join(choices) if choices else "值无法识别"


def usage_message(e: Any) -> str:
    """The Chinese line for a usage error of Typer/click (``e`` is its exception)."""
    kind = type(e).__name__
    hint = _hint(e)
    message = str(getattr(e, "message", "") or "")
    if kind == "MissingParameter":
        what = "参数" if getattr(getattr(e, "param", None), "param_type_name", "") == "argument" else "选项"
        return f"{hint}: 缺少此{what}"
    if kind == "BadParameter":
        return f"{hint}: {_expected(message)}" if hint else _expected(message)
    if kind == "NoSuchOption":
        name = getattr(e, "option_name", "")
        near = sorted(getattr(e, "possibilities", None) or [])
        return f"{name}: 没有此选项" + (f"；是否要用：{'、'.join(near)}" if near else "")
    if kind == "BadOptionUsage":
        name = getattr(e, "option_name", "")
        if "does not take a value" in message:
            return f"{name}: 此选项不带值"
        return f"{name}: 此选项需要一个值"
    if message.startswith("No such command"):
        import re

        name = re.findall(r"'([^']*)'", message)
        return f"没有命令 {name[0] if name else ''!r}"
    if message.startswith("Got unexpected extra argument"):
        extra = message.rstrip(")").rpartition("(")[2]
        return f"多余的参数：{extra}"
    if message.startswith("Missing command"):
        return "缺少命令"
    return f"用法有误（{message}）"


def help_of(e: Any) -> str:
    ctx = getattr(e, "ctx", None)
    return f"（用法：{ctx.command_path} --help）" if ctx is not None else ""


# -- shell completion (bash, zsh, fish: ``gongkai --install-completion``) --------------------------------
# Each offers codes and Chinese labels (zsh and fish show the other as help); references are this
# agency's open requests, read with one query (``views.open_references``), the newest first.

Completion = list[tuple[str, str]]


def _matching(choices: dict[str, str], incomplete: str) -> Completion:
    """(code, label) and (label, code) pairs whose value starts with what is typed."""
    pairs = [*choices.items(), *((label, code) for code, label in choices.items())]
    return [(value, help_text) for value, help_text in pairs if value.startswith(incomplete)]


def complete_action(incomplete: str) -> Completion:
    from workflow.domain.vocabulary import ACTION_LABELS

    return _matching(ACTION_LABELS, incomplete)


def complete_state(incomplete: str) -> Completion:
    from workflow.domain.vocabulary import STATE_CHOICES

    return _matching(STATE_CHOICES, incomplete)


def complete_outcome(incomplete: str) -> Completion:
    from rules import outcomes

    return _matching({o.code: o.label for o in outcomes.OUTCOMES.values()}, incomplete)


def complete_reference(ctx: Any, incomplete: str) -> Completion:
    """Open references starting with what is typed (shells keep only those); nothing if the database
    cannot be read (completion never prints an error into the shell)."""
    import contextlib
    import os

    from rules import spelling

    root = ctx.find_root()
    target = root.params.get("db") or os.environ.get("GONGKAI_DB")
    typed = spelling.normal(incomplete)
    with contextlib.suppress(Exception):  # noqa: BLE001 - a shell completion must stay silent
        from cli.context import require_database
        from workflow.usecases import views

        require_database(target)  # never creates a database

        found = views.open_references(target, root.params.get("agency") or os.environ.get("GONGKAI_AGENCY"))
        return [(ref, state) for ref, state in found if ref.startswith(typed)]
    return []
