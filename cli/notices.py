"""The letters and the fee: ``gongkai notice REF KIND`` and ``gongkai fee REF --pages N | --items N``."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from cli.arguments import complete_reference
from cli.context import handles_errors, parse_date, print_json, reference, state
from rules import letters
from rules.actions import ACTIONS, COMMON, NOTICE

KIND_HELP = ("correction (补正告知书), extension (延期答复告知书), consultation (征求意见书), "
             "fee (收费通知书), reply (答复告知书).")


def install(app: typer.Typer) -> None:
    # The command that writes a letter records the notice action, and is named for it.
    app.command(NOTICE, help=f"Write a letter of a request and record it. KIND: {KIND_HELP}")(notice)
    app.command("fee")(fee)


def _warn(warnings: list[str]) -> None:
    for w in warnings:
        typer.echo(f"gongkai: 注意：{w}", err=True)


def blank_help() -> dict[str, str]:
    """Each blank a letter may be given when it is written (``rules.letters.Kind.blanks``), with the help
    its action declares (``rules.actions``): ``--items`` reads "correction: what to correct; fee: items
    counted." A blank declared with its letter appears here with nothing else to edit."""
    uses: dict[str, list[str]] = {}
    for k in letters.KINDS.values():
        for name in k.blanks:
            o = next(o for a in k.actions for o in (*ACTIONS[a].options, *COMMON) if o.name == name)
            uses.setdefault(name, []).append(f"{k.code}: {(o.flag_help or o.help).rstrip('.')}")
    return {name: "; ".join(helps) + "." for name, helps in uses.items()}


def _with_blanks(command: Callable[..., Any], after: str) -> Callable[..., Any]:
    """Give ``command`` (which takes them as ``**blanks``) one ``--NAME TEXT`` option per blank, after
    its parameter ``after``: typer reads the signature and passes them by name."""
    own = [p for p in inspect.signature(command).parameters.values() if p.kind is not p.VAR_KEYWORD]
    at = next(i for i, p in enumerate(own) if p.name == after) + 1
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=str,
                               default=typer.Option(None, f"--{name.replace('_', '-')}", help=text))
             for name, text in blank_help().items()]
    keyword = [p.replace(kind=p.KEYWORD_ONLY) for p in own[at:]]
    command.__signature__ = inspect.Signature([*own[:at], *added, *keyword])  # type: ignore[attr-defined]
    return command


@handles_errors
def notice(
    ctx: typer.Context,
    ref: str = typer.Argument(..., help="Request reference.", callback=reference,
                             autocompletion=complete_reference),
    kind: str = typer.Argument(..., help="Which letter (see above)."),
    out: str = typer.Option(None, "--out", help="Write to FILE (.docx or .txt), a new file, and record it; "
                                                "default: print the text (a preview, not recorded)."),
    fmt: str = typer.Option(None, "--format", help="docx or text; must agree with the --out suffix."),
    consultation: int = typer.Option(None, "--consultation", help="consultation: which one (default the latest)."),
    draft: bool = typer.Option(False, "--draft", help="A visibly marked draft: missing settings and blanks "
                                                      "are marked, nothing is recorded."),
    force: bool = typer.Option(False, "--force", help="Replace an existing --out file."),
    as_json: bool = typer.Option(False, "--json", help="Print what was written: file, dates, sha256, warnings."),
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
    ref: str = typer.Argument(..., help="Request reference.", callback=reference,
                             autocompletion=complete_reference),
    pages: int = typer.Option(None, "--pages", help="按量计收: pages supplied for this request."),
    items: int = typer.Option(None, "--items", help="按件计收: items this request counts as (一事一申请)."),
    notify: bool = typer.Option(False, "--notify", help="Also record notify-fee with this amount."),
    on: str = typer.Option(None, "--on", help="--notify: the date of the fee notice (default today)."),
    notice_out: str = typer.Option(None, "--notice", help="--notify: also write the 收费通知书 to FILE."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The information-processing fee of a request by the tiers of 国办函〔2020〕109号."""
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
