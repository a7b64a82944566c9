"""The letters and the fee: ``gongkai notice REF KIND`` and ``gongkai fee REF --pages N | --items N``."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from cli.action_options import metavars
from cli.arguments import complete_reference
from cli.context import handles_errors, parse_date, print_json, reference, state
from cli.requests import DATE_HELP, REF_HELP
from rules import letters
from rules.actions import ACTIONS, COMMON, NOTICE

KIND_HELP = "、".join(f"{k.code} {k.title.removeprefix('政府信息公开').removeprefix('申请').removeprefix('信息处理费')}"
                     for k in letters.KINDS.values())
NOTICE_HELP = ("写出一件申请的文书并记录（文书中的日期均按期限规则算出）；写入文件的文书只记录一次，以后再写的文件"
               f"标为副本。该文书的事项未记下的空项，用下方对应的选项填写。\n\nKIND 为文书种类：{KIND_HELP}。")


def install(app: typer.Typer) -> None:
    # The command that writes a letter records the notice action, and is named for it.
    app.command(NOTICE, help=NOTICE_HELP)(notice)
    app.command("fee")(fee)


def _warn(warnings: list[str]) -> None:
    for w in warnings:
        typer.echo(f"gongkai: 注意：{w}", err=True)


def blank_help() -> dict[str, str]:
    """Each blank a letter may be given when it is written (``rules.letters.Kind.blanks``), with the help
    its action declares (``rules.actions``): ``--items`` reads "correction（补正告知书）：须补正的内容；
    fee（收费通知书）：计收的件数。" A blank declared with its letter appears here with nothing else to edit."""
    uses: dict[str, list[str]] = {}
    for k in letters.KINDS.values():
        for name in k.blanks:
            o = next(o for a in k.actions for o in (*ACTIONS[a].options, *COMMON) if o.name == name)
            title = k.title.removeprefix("政府信息公开").removeprefix("申请").removeprefix("信息处理费")
            uses.setdefault(name, []).append(f"{k.code}（{title}）：{(o.flag_help or o.help).rstrip('。')}")
    return {name: "；".join(helps) + "。" for name, helps in uses.items()}


def _with_blanks(command: Callable[..., Any], after: str) -> Callable[..., Any]:
    """Give ``command`` (which takes them as ``**blanks``) one ``--NAME TEXT`` option per blank, after
    its parameter ``after``: typer reads the signature and passes them by name."""
    own = [p for p in inspect.signature(command).parameters.values() if p.kind is not p.VAR_KEYWORD]
    at = next(i for i, p in enumerate(own) if p.name == after) + 1
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=str,
                               default=typer.Option(None, f"--{name.replace('_', '-')}", help=text,
                                                    metavar=metavars().get(name)))
             for name, text in blank_help().items()]
    keyword = [p.replace(kind=p.KEYWORD_ONLY) for p in own[at:]]
    command.__signature__ = inspect.Signature([*own[:at], *added, *keyword])  # type: ignore[attr-defined]
    return command


@handles_errors
def notice(
    ctx: typer.Context,
    ref: str = typer.Argument(..., help=REF_HELP, callback=reference,
                             autocompletion=complete_reference),
    kind: str = typer.Argument(..., help="哪一种文书（见上）。"),
    out: str = typer.Option(None, "--out", metavar="FILE", help="写入 FILE（.docx 或 .txt，须为新文件）并记录；不给则打印正文"
                                                "（预览，不记录）。"),
    fmt: str = typer.Option(None, "--format", help="docx 或 text，须与 --out 的扩展名一致。"),
    consultation: int = typer.Option(None, "--consultation", help="consultation（征求意见书）：哪一次征求意见"
                                                                  "（默认最近一次）。"),
    draft: bool = typer.Option(False, "--draft", help="明显标注的草稿：缺少的设置和空项都标出，不作记录。"),
    force: bool = typer.Option(False, "--force", help="替换已存在的 --out 文件。"),
    as_json: bool = typer.Option(False, "--json", help="输出所写的内容：文件、日期、sha256、提示。"),
    **blanks: str | None,
) -> None:
    """Write a letter of a request (every date from the deadline rules); a letter written to a file is
    recorded once, a later file of it is marked 副本 (copy). A blank the letter's event did not record is
    given with its option (the options below the letter's kind)."""
    from workflow.usecases import notices

    app = state(ctx).app()
    what = notices.Request(kind, Path(out) if out else None, fmt, consultation,
                           {k: v for k, v in blanks.items() if v}, draft, force)
    rendered = notices.render(app, ref, what)
    summary = rendered.summary()
    if as_json:
        print_json(summary if out else {**summary, "text": rendered.data.decode()})
    elif out:
        status = ("草稿，未记录" if draft else f"副本，未记录；原件见第{rendered.copy_of}号记录" if rendered.copy_of
                  else "已记录")
        typer.echo(f"{ref}：{rendered.letter.title} → {rendered.out}（{status}）")
    else:
        sys.stdout.write(rendered.data.decode())
    _warn(summary["warnings"])


_with_blanks(notice, after="fmt")


@handles_errors
def fee(
    ctx: typer.Context,
    ref: str = typer.Argument(..., help=REF_HELP, callback=reference,
                             autocompletion=complete_reference),
    pages: int = typer.Option(None, "--pages", help="按量计收：本申请提供的页数。"),
    items: int = typer.Option(None, "--items", help="按件计收：本申请计为几件（一事一申请）。"),
    notify: bool = typer.Option(False, "--notify", help="同时按此金额记录收费通知（notify-fee）。"),
    on: str = typer.Option(None, "--on", metavar="DATE", help=f"与 --notify 一起用：收费通知之日（默认今天）；{DATE_HELP}。"),
    notice_out: str = typer.Option(None, "--notice", metavar="FILE", help="与 --notify 一起用：同时将收费通知书写入 FILE。"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON。"),
) -> None:
    """按国办函〔2020〕109号的分档标准计算一件申请的信息处理费。"""
    from cli.output import render
    from workflow.domain.errors import InvalidInput
    from workflow.usecases import fees

    app = state(ctx).app()
    if not notify and (on or notice_out):
        raise InvalidInput("--on" if on else "--notice", "只能与 --notify 一起使用")
    if notify:
        day = parse_date("--on", on) or app.today
        data = fees.notify(app, ref, day, pages, items, Path(notice_out) if notice_out else None)
    else:
        data = fees.quote(app, ref, pages, items)
    if as_json:
        print_json(data)
        return
    lines = [f"{ref} · {data['applicant']} · {data['method_label']}"]
    if data["counted_before"] is not None:
        lines.append(f"{data['month']} 本月此前已累计 {data['counted_before']} 件，本申请为第 "
                     f"{data['first']}—{data['last']} 件")
    for ln in data["lines"]:
        unit = "页" if data["method"] == "pages" else "件"
        lines.append(f"  第{ln['first']}—{ln['last']}{unit}  {ln['units']} × {ln['rate']} 元 = {ln['amount']} 元")
    lines.append(f"合计 {data['total']} 元")
    lines.append(f"依据：{data['basis']}")
    if notify:
        lines.append(f"已记录收费通知（{data['notified_on']}）" +
                     (f"，收费通知书 → {data['notice']['file']}" if data["notice"] else ""))
    render.console.print("\n".join(lines))
    if data.get("notice"):
        _warn(data["notice"]["warnings"])
