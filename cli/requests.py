"""The case officer's commands: register, list, find, show, advance, void, due."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date

import typer

from cli.action_options import ACTION_HELP, with_action_options
from cli.arguments import complete_action, complete_reference, complete_state
from cli.context import handles_errors, loaded, parse_date, print_json, reference, state
from rules.actions import ACTIONS, REGISTER, VOID

DATE_OPTIONS = {o.name for x in ACTIONS.values() for o in x.options if o.metavar == "DATE"}


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask(value: str | None, prompt: str, check: Callable[[str], object], default: str | None = None) -> str | None:
    """Prompt for a missing value when a person is at the terminal, asking again until ``check`` accepts
    it (only this field: what was entered before is kept); scripts get a clear error instead."""
    if value is not None or not _interactive():
        return value
    from workflow.domain.errors import GongkaiError

    while True:
        answer = typer.prompt(prompt, default=default)
        try:
            check(answer)
            return answer
        except (ValueError, GongkaiError) as e:  # the rules raise ValueError, the CLI's parsers InvalidInput
            typer.echo(f"  {e}，请重新输入", err=True)


def _filled(text: str) -> None:
    if not text.strip():
        raise ValueError("不能为空")


def install(app: typer.Typer) -> None:
    app.command(REGISTER)(register)  # the command that records the register action is named for it
    app.command("list")(list_cmd)
    app.command("find")(find)
    app.command("show")(show)
    app.command("advance", help=f"记录申请的办理事项（一个事件，一次状态变化）。{ACTION_HELP}")(advance)
    app.command(VOID)(void)  # named for the action it records, like register
    app.command("due")(due)
    app.command("demo")(demo)


REF_HELP = "申请编号，如 2026-0001；本年的可只写序号（17 即 2026-0017）。"
DATE_HELP = "日期，可写 2026-03-02、2026/3/2、2026年3月2日、3月2日、今天、昨天"


@handles_errors
def register(
    ctx: typer.Context,
    received_on: str = typer.Option(None, "--received-on", metavar="DATE", help=f"收到申请之日（条例第三十一条）；{DATE_HELP}。"),
    channel: str = typer.Option(None, "--channel", help="渠道：当面、邮寄、平信、网络、传真，或其代码 in_person、post、mail、"
                                                             "online、fax。"),
    applicant: str = typer.Option(None, "--applicant", help="申请人姓名或名称。"),
    applicant_type: str = typer.Option(None, "--applicant-type",
                                       help="申请人类型：自然人（个人）、商业企业（企业）、科研机构、社会公益组织、法律服务机构、其他（或代码）。"),
    subject: str = typer.Option(None, "--subject", help="申请内容。"),
    confirmed_on: str = typer.Option(None, "--confirmed-on", metavar="DATE", help="平信、网络、传真：与申请人确认收到之日。"),
    phone: str = typer.Option(None, "--phone", help="联系电话。"),
    id_number: str = typer.Option(None, "--id-number", help="18 位居民身份证号码（校验）。"),
    address: str = typer.Option(None, "--address", help="通讯地址。"),
    as_json: bool = typer.Option(False, "--json", help="输出 {\"ref\": ...}。"),
) -> None:
    """登记新的申请，打印其编号（在终端中未给出的项逐项询问，只重问填错的那一项）。"""
    from datetime import date

    from rules.intake import channels
    from rules.intake.personal_data import id_number_problem
    from rules.report import layout
    from workflow.domain.commands import Register
    from workflow.domain.errors import InvalidInput
    from workflow.usecases import requests as services

    def id_checked(text: str) -> None:
        if text and (problem := id_number_problem(text)):
            raise ValueError(problem)

    asked = _interactive() and received_on is None
    received_on = _ask(received_on, "收到日期", lambda t: parse_date("收到日期", t), date.today().isoformat())
    channel = _ask(channel, "渠道（当面/邮寄/平信/网络/传真）", channels.channel)
    applicant = _ask(applicant, "申请人", _filled)
    applicant_type = _ask(applicant_type, "申请人类型（个人/企业/科研机构/…）", layout.applicant_type)
    subject = _ask(subject, "申请内容", _filled)
    if asked:  # contact details are optional: Enter leaves one out
        phone = _ask(phone, "联系电话（可留空）", lambda t: None, "") or None
        id_number = _ask(id_number, "身份证号码（可留空）", id_checked, "") or None
        address = _ask(address, "通讯地址（可留空）", lambda t: None, "") or None
    for flag, value in (("--received-on", received_on), ("--channel", channel), ("--applicant", applicant),
                        ("--applicant-type", applicant_type), ("--subject", subject)):
        if value is None:
            raise InvalidInput(flag, "必须填写")
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
    state_filter: str = typer.Option(None, "--state", autocompletion=complete_state,
                                     help="状态：未办结（open，默认）、办理中、待补正、征求意见中、待缴费、已办结、已作废"
                                          "（或代码；已作废的只在此列出）。"),
    show_all: bool = typer.Option(False, "--all", help="列出全部申请（含已办结），而不只是未办结的。"),
    officer: str = typer.Option(None, "--by", help="只列此经办人登记的申请。"),
    due_within: int = typer.Option(None, "--due-within", help="下一期限在 N 个工作日内。"),
    overdue: bool = typer.Option(False, "--overdue", help="只列已逾期的。"),
    year: int = typer.Option(None, "--year", help="只列此年度收到的。"),
    limit: int = typer.Option(None, "--limit", help="最多列出 N 件。"),
    on: str = typer.Option(None, "--on", metavar="DATE", help=f"按此日判断缓急（默认今天）；{DATE_HELP}。"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON。"),
) -> None:
    """列出未办结的申请（--all 列出全部），最紧急的在前：逾期红色，两个工作日内到期黄色。"""
    from cli.output import render
    from workflow.domain import vocabulary
    from workflow.domain.errors import InvalidInput
    from workflow.usecases import views

    if state_filter is not None and show_all:
        raise InvalidInput("--all", "不能与 --state 同用（--all 即全部状态）")
    chosen = vocabulary.state(state_filter) if state_filter is not None else None if show_all else vocabulary.OPEN
    if due_within is not None and not 0 <= due_within <= 250:
        raise InvalidInput("--due-within", f"{due_within} 超出范围，应为 0 到 250 个工作日")
    app = state(ctx).app(parse_date("--on", on))
    rows = views.list_requests(app, chosen, officer, due_within, overdue, year, limit)
    if as_json:
        print_json(rows)
    else:
        from cli.output.pager import paged

        with paged(len(rows)):
            render.request_table(rows, app)


@handles_errors
def find(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="编号（或其一部分，17 可找到 2026-0017）、申请人、完整的电话号码或申请内容中的文字。"),
    limit: int = typer.Option(50, "--limit", help="最多列出 N 件。"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON。"),
) -> None:
    """查找申请：按编号、申请人、电话（须输入完整号码，显示时隐去中间四位）或申请内容。"""
    from cli.output import render
    from workflow.usecases import views

    app = state(ctx).app()
    rows = views.find(app, text, limit)
    if as_json:
        print_json(rows)
    else:
        from cli.output.pager import paged

        with paged(len(rows)):
            render.request_table(rows, app, nothing=f"没有找到与“{text.strip()}”相符的申请。")


@handles_errors
def show(
    ctx: typer.Context,
    ref: str = typer.Argument(..., help=REF_HELP, callback=reference, autocompletion=complete_reference),
    on: str = typer.Option(None, "--on", metavar="DATE", help=f"按此日显示期限（默认今天）；{DATE_HELP}。"),
    reveal: bool = typer.Option(False, "--reveal", help="显示完整的身份证号、电话和地址（记入办理记录）。"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="每行完整显示（不截断），并显示文书的文件和 SHA-256。"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON。"),
) -> None:
    """显示一件申请：期限（各附计算方法）、办理记录（一事一行）、已写的文书。"""
    from cli.output import render
    from workflow.usecases import views

    app = state(ctx).app(parse_date("--on", on))
    data = views.show(app, ref, reveal=reveal)
    if as_json:
        print_json(data)
    else:
        render.request_detail(data, verbose)


@handles_errors
def advance(
    ctx: typer.Context,
    ref: str = typer.Argument(..., help=REF_HELP, callback=reference, autocompletion=complete_reference),
    action: str = typer.Argument(..., autocompletion=complete_action, help="办理事项：代码或中文名称（如 征求意见、撤回申请，或简称 撤回）。"),
    on: str = typer.Option(None, "--on", metavar="DATE", help=f"事项发生之日（默认今天）；{DATE_HELP}。"),
    if_version: int = typer.Option(None, "--if-version", help="仅当申请仍为此版本时记录（版本见 show --json）。"),
    notice: str = typer.Option(None, "--notice", metavar="FILE", help="同时将该事项所需的文书（补正告知书、延期答复告知书、征求意见书、"
                               "收费通知书、答复告知书）写入 FILE（.docx 或 .txt），并记录。"),
    as_json: bool = typer.Option(False, "--json", help="按 show --json 的格式输出该申请。"),
    **given: str | None,  # the actions' options, declared in rules/actions.py (cli/action_options.py)
) -> None:
    """记录申请的办理事项（一个事件，一次状态变化）。"""
    from cli.output import render
    from workflow.domain import vocabulary
    from workflow.domain.commands import Advance
    from workflow.usecases import requests as services
    from workflow.usecases import views

    action = vocabulary.action(action)
    app = state(ctx).app()
    day = parse_date("--on", on, app.today) or app.today
    given = {k: _dated(k, v, app.today) for k, v in given.items()}
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


def _dated(option: str, value: str | None, today: date) -> str | None:
    """An action's date option (``metavar`` DATE) as the payload checks read it: ISO."""
    if value is None or option not in DATE_OPTIONS:
        return value
    day = parse_date(f"--{option.replace('_', '-')}", value, today)
    return day.isoformat() if day else None


@handles_errors
def void(
    ctx: typer.Context,
    ref: str = typer.Argument(..., help=REF_HELP, callback=reference, autocompletion=complete_reference),
    reason: str = typer.Option(None, "--reason", help="误登记的原因（重复登记、测试等）。"),
    on: str = typer.Option(None, "--on", metavar="DATE", help=f"作废之日（默认今天）；{DATE_HELP}。"),
    as_json: bool = typer.Option(False, "--json", help="按 show --json 的格式输出该申请。"),
) -> None:
    """作废误登记的申请：它从所有列表、提醒和统计中移除，编号保留，show 和 audit 仍可查看。
    撤销上一步办理事项请用：advance REF undo。"""
    from cli.output import render
    from workflow.domain.errors import InvalidInput
    from workflow.usecases import requests as services

    if not (reason or "").strip():
        raise InvalidInput("--reason", "作废须填写（为何属于误登记）")
    app = state(ctx).app()
    data = services.void(app, ref, reason, parse_date("--on", on, app.today))
    if as_json:
        print_json(data)
    else:
        render.advanced(data, VOID)


@handles_errors
def due(
    ctx: typer.Context,
    on: str = typer.Option(None, "--on", metavar="DATE", help=f"以此日为准（默认今天）；{DATE_HELP}。"),
    within: int = typer.Option(0, "--within", help="一并列出 N 个工作日内到期的。"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON。"),
) -> None:
    """今天到期或已逾期的期限，最早的在前。"""
    from cli.output import render
    from workflow.domain.errors import InvalidInput
    from workflow.usecases import views

    if not 0 <= within <= 250:
        raise InvalidInput("--within", f"{within} 超出范围，应为 0 到 250 个工作日")
    app = state(ctx).app(parse_date("--on", on))
    rows = views.due(app, within)
    if as_json:
        print_json(rows)
    else:
        from cli.output.pager import paged

        with paged(len(rows)):
            render.due_table(rows, app)


@handles_errors
def demo(
    ctx: typer.Context,
    path: str = typer.Option(None, "--path", metavar="FILE", help="演示数据库写到哪里（已存在则替换）。"),
    requests: int = typer.Option(160, "--requests", help="演示年度的申请件数。"),
    seed: int = typer.Option(2026, "--seed", help="随机种子。"),
) -> None:
    """在新的 SQLite 文件中生成一年的演示数据，并展示经办人的各个视图。"""
    from cli.output import render
    from workflow import demo as demo_data

    loaded()
    target, app = demo_data.build(path, requests, seed)
    render.demo(target, app)
