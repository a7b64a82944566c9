"""The case officer's commands: register, list, show, advance, void, due."""

from __future__ import annotations

import sys

import typer

from cli.action_options import ACTION_HELP, with_action_options
from cli.context import handles_errors, loaded, parse_date, print_json, state
from rules.actions import REGISTER, VOID


def _ask(value: str | None, flag: str, prompt: str) -> str | None:
    """Prompt for a missing value when a person is at the terminal; scripts get a clear error instead."""
    if value is not None or not sys.stdin.isatty():
        return value
    return typer.prompt(prompt)


def install(app: typer.Typer) -> None:
    app.command(REGISTER)(register)  # the command that records the register action is named for it
    app.command("list")(list_cmd)
    app.command("show")(show)
    app.command("advance", help=f"Record what happened to a request. {ACTION_HELP}")(advance)
    app.command(VOID)(void)  # named for the action it records, like register
    app.command("due")(due)
    app.command("demo")(demo)


@handles_errors
def register(
    ctx: typer.Context,
    received_on: str = typer.Option(None, "--received-on", help="Receipt date (条例第三十一条), YYYY-MM-DD."),
    channel: str = typer.Option(None, "--channel", help="in_person, post, mail, online, fax (或 当面/邮寄/平信/网络/传真)."),
    applicant: str = typer.Option(None, "--applicant", help="Applicant's name (申请人)."),
    applicant_type: str = typer.Option(None, "--applicant-type",
                                       help="natural_person, commercial, research, public_interest, legal_services, other_org (或中文)."),
    subject: str = typer.Option(None, "--subject", help="The information asked for."),
    confirmed_on: str = typer.Option(None, "--confirmed-on",
                                     help="For mail/online/fax: the day receipt was confirmed with the applicant."),
    phone: str = typer.Option(None, "--phone"),
    id_number: str = typer.Option(None, "--id-number", help="18-digit resident ID number (checked)."),
    address: str = typer.Option(None, "--address"),
    as_json: bool = typer.Option(False, "--json", help="Print {\"ref\": ...}."),
) -> None:
    """Register a new request (登记) and print its reference."""
    from workflow.domain.commands import Register
    from workflow.domain.errors import InvalidInput
    from workflow.usecases import requests as services

    received_on = _ask(received_on, "--received-on", "收到日期 (YYYY-MM-DD)")
    channel = _ask(channel, "--channel", "渠道 (当面/邮寄/平信/网络/传真)")
    applicant = _ask(applicant, "--applicant", "申请人")
    applicant_type = _ask(applicant_type, "--applicant-type", "申请人类型 (自然人/商业企业/…)")
    subject = _ask(subject, "--subject", "申请内容")
    for flag, value in (("--received-on", received_on), ("--channel", channel), ("--applicant", applicant),
                        ("--applicant-type", applicant_type), ("--subject", subject)):
        if value is None:
            raise InvalidInput(flag, "is required")
    app = state(ctx).app()
    day = parse_date("--received-on", received_on)
    assert day is not None and channel and applicant and applicant_type and subject
    ref = services.register(app, Register(
        received_on=day, channel=channel, applicant_name=applicant, applicant_type=applicant_type,
        subject=subject, confirmed_on=parse_date("--confirmed-on", confirmed_on), phone=phone,
        id_number=id_number, address=address,
    ))
    if as_json:
        print_json({"ref": ref})
    else:
        typer.echo(ref)


@handles_errors
def list_cmd(
    ctx: typer.Context,
    state_filter: str = typer.Option(None, "--state",
                                     help="open, received, awaiting_correction, in_consultation, fee_pending, concluded, "
                                          "voided (voided requests are listed only so)."),
    officer: str = typer.Option(None, "--by", help="Only requests registered by this officer."),
    due_within: int = typer.Option(None, "--due-within", help="Next deadline within N working days."),
    overdue: bool = typer.Option(False, "--overdue", help="Only requests past a deadline."),
    year: int = typer.Option(None, "--year", help="Only requests received in this year."),
    limit: int = typer.Option(None, "--limit"),
    on: str = typer.Option(None, "--on", help="Judge urgency as of this date (default today)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List requests, most urgent first (overdue in red, due within 2 working days in yellow)."""
    from cli.output import render
    from workflow.domain.errors import InvalidInput
    from workflow.domain.states import STATE_LABELS
    from workflow.usecases import views

    if state_filter and state_filter != "open" and state_filter not in STATE_LABELS:
        raise InvalidInput("--state", f"{state_filter!r} is not a state; expected open, {', '.join(STATE_LABELS)}")
    if due_within is not None and not 0 <= due_within <= 250:
        raise InvalidInput("--due-within", f"{due_within} is out of range; expected 0 to 250 working days")
    app = state(ctx).app(parse_date("--on", on))
    rows = views.list_requests(app, state_filter, officer, due_within, overdue, year, limit)
    if as_json:
        print_json(rows)
    else:
        render.request_table(rows, app)


@handles_errors
def show(
    ctx: typer.Context,
    ref: str = typer.Argument(..., help="Request reference, e.g. 2026-0001."),
    on: str = typer.Option(None, "--on", help="Show deadlines as of this date (default today)."),
    reveal: bool = typer.Option(False, "--reveal",
                                help="Show ID number, phone and address unmasked (recorded in the history)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Show a request: particulars, timeline, and every deadline with how it was computed."""
    from cli.output import render
    from workflow.usecases import views

    app = state(ctx).app(parse_date("--on", on))
    data = views.show(app, ref, reveal=reveal)
    if as_json:
        print_json(data)
    else:
        render.request_detail(data)


@handles_errors
def advance(
    ctx: typer.Context,
    ref: str = typer.Argument(..., help="Request reference."),
    action: str = typer.Argument(..., help="What happened (see above)."),
    on: str = typer.Option(None, "--on", help="When it happened, YYYY-MM-DD (default today)."),
    if_version: int = typer.Option(None, "--if-version",
                                   help="Apply only if the request is still at this version (from show --json)."),
    notice: str = typer.Option(None, "--notice", help="Also write the letter the action requires (补正告知书, "
                               "延期答复告知书, 征求意见书, 收费通知书, 答复告知书) to FILE (.docx or .txt), recorded."),
    as_json: bool = typer.Option(False, "--json", help="Print the request as `show --json` does."),
    **given: str | None,  # the actions' options, declared in rules/actions.py (cli/action_options.py)
) -> None:
    """Record what happened to a request (one event, one state change)."""
    from cli.output import render
    from workflow.domain.commands import Advance
    from workflow.usecases import requests as services
    from workflow.usecases import views

    app = state(ctx).app()
    day = parse_date("--on", on) or app.today
    cmd = Advance(ref=ref, action=action, on=day, payload=given, expected_version=if_version)
    if notice:
        from pathlib import Path

        from workflow.usecases import notices

        written = notices.advance_with_notice(app, cmd, Path(notice))
        data = views.show(app, ref)
    else:
        data = services.advance(app, cmd)  # the request as show prints it, from the same unit of work
    if as_json:
        print_json(data)
    else:
        from rules.letters import LETTER_OF_ACTION

        render.advanced(data, action)
        if notice:
            typer.echo(f"{written.letter.title} → {written.out}（已记录）")
        elif action in LETTER_OF_ACTION:  # offer the letter the action requires
            typer.echo(f"需发出的文书：gongkai notice {ref} {LETTER_OF_ACTION[action]} --out FILE.docx")


advance = with_action_options(advance, after="on")


@handles_errors
def void(
    ctx: typer.Context,
    ref: str = typer.Argument(..., help="Request reference."),
    reason: str = typer.Option(None, "--reason", help="Why it was registered by mistake (a duplicate, a test)."),
    on: str = typer.Option(None, "--on", help="When, YYYY-MM-DD (default today)."),
    as_json: bool = typer.Option(False, "--json", help="Print the request as `show --json` does."),
) -> None:
    """Void a request registered by mistake (作废): it leaves every listing, alert and count, its number
    stays taken, `show` and `audit` keep it. To revoke the last action instead: advance REF undo."""
    from cli.output import render
    from workflow.domain.errors import InvalidInput
    from workflow.usecases import requests as services

    if not (reason or "").strip():
        raise InvalidInput("--reason", f"{VOID} needs it (why the request was registered by mistake)")
    app = state(ctx).app()
    data = services.void(app, ref, reason, parse_date("--on", on))
    if as_json:
        print_json(data)
    else:
        render.advanced(data, VOID)


@handles_errors
def due(
    ctx: typer.Context,
    on: str = typer.Option(None, "--on", help="As of this date (default today)."),
    within: int = typer.Option(0, "--within", help="Also what falls due within N working days."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """What is due or overdue today: every open deadline, soonest first."""
    from cli.output import render
    from workflow.domain.errors import InvalidInput
    from workflow.usecases import views

    if not 0 <= within <= 250:
        raise InvalidInput("--within", f"{within} is out of range; expected 0 to 250 working days")
    app = state(ctx).app(parse_date("--on", on))
    rows = views.due(app, within)
    if as_json:
        print_json(rows)
    else:
        render.due_table(rows, app)


@handles_errors
def demo(
    ctx: typer.Context,
    path: str = typer.Option(None, "--path", help="Where to write the demo database (replaced if it exists)."),
    requests: int = typer.Option(160, "--requests", help="How many requests the demo year has."),
    seed: int = typer.Option(2026, "--seed"),
) -> None:
    """Build a realistic demo year in a fresh SQLite file and show the officer's views."""
    from cli.output import render
    from workflow import demo as demo_data

    loaded()
    target, app = demo_data.build(path, requests, seed)
    render.demo(target, app)
