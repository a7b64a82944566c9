"""Deadline alerts: ``alerts run`` (one sweep, what cron calls), ``alerts list``, ``scheduler run``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from cli.context import handles_errors, parse_date, print_json, state

if TYPE_CHECKING:
    from workflow.alerts.sweep import SweepResult


def install(app: typer.Typer) -> None:
    group = typer.Typer(help="期限提醒：到期前、到期日和逾期后提醒承办人（逾期同时提醒负责人）。",
                        no_args_is_help=True, rich_markup_mode=None)
    group.command("run")(run)
    group.command("list")(list_cmd)
    app.add_typer(group, name="alerts")
    # One command taking RUN rather than a group: `gongkai scheduler run` reads the same, and a long-running
    # leaf named `scheduler` is what tests that invoke every command know to leave out.
    app.command("scheduler")(scheduler_run)


@handles_errors
def run(
    ctx: typer.Context,
    on: str = typer.Option(None, "--on", metavar="DATE", help="以此日为准检查（默认今天；不能是将来的日期）。"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON，含 on（日期）、new（新提醒）、sent（已发送）、failed（发送失败）、pending（待发送）、"
                                                         "unaddressed（无收件人）。"),
) -> None:
    """检查一次：生成今天应有的提醒（每条只生成一次），并发送尚未发送的提醒。"""
    from datetime import date

    from workflow.alerts import sweep as alerts
    from workflow.domain.errors import InvalidInput

    day = parse_date("--on", on)
    if day is not None and day > date.today():
        raise InvalidInput("--on", f"{day.isoformat()} 晚于今天（{date.today().isoformat()}）；"
                                   f"尚未到来之日的提醒会被现在发出")
    result = alerts.sweep(state(ctx).app(day))
    if as_json:
        print_json(result.as_json())
    else:
        _render_sweep(result)
    if result.delivered.failed:
        first = result.delivered.failed[0]
        typer.echo(f"gongkai: {len(result.delivered.failed)} 份提醒发送失败，将重试："
                   f"{first['error']}", err=True)


@handles_errors
def list_cmd(
    ctx: typer.Context,
    pending: bool = typer.Option(False, "--pending", help="只列尚未在所有渠道发出的提醒。"),
    since: str = typer.Option(None, "--since", metavar="DATE", help="只列此日及以后生成的提醒。"),
    limit: int = typer.Option(200, "--limit", help="最多列出 N 条，最新的在前。"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON。"),
) -> None:
    """列出已生成的提醒，最新的在前，并显示其记入日志和邮件发送的情况。"""
    from workflow.alerts import sweep as alerts
    from workflow.domain.errors import InvalidInput

    if not 1 <= limit <= 100_000:
        raise InvalidInput("--limit", f"{limit} 超出范围，应为 1 到 100000")
    rows = alerts.list_alerts(state(ctx).app(), pending, parse_date("--since", since), limit)
    if as_json:
        print_json(rows)
    else:
        _render_list(rows, pending)


@handles_errors
def scheduler_run(
    ctx: typer.Context,
    action: str = typer.Argument(..., metavar="run", help="run：在前台启动定时提醒。"),
) -> None:
    """每日定时提醒的常驻进程。scheduler run：立即检查一次，此后每天在 alerts.daily_at 设定的时刻检查，
    直到收到 SIGTERM 或按 Ctrl-C。"""
    from workflow.alerts import scheduler
    from workflow.domain.errors import InvalidInput

    if action != "run":
        raise InvalidInput("ACTION", f"{action!r} 不是定时任务的操作；应写 gongkai scheduler run")
    scheduler.run(state(ctx).app())


# -- rendering ----------------------------------------------------------------------------------------

def alerts_table(title: str, rows: list[dict[str, Any]], with_status: bool = False, expand: bool = False) -> Any:
    """The alerts as a table, the sweep's, ``alerts list``'s and the workbench's: overdue red, due or
    two working days before it yellow."""
    from rich.table import Table

    from rules.alerts import threshold_label

    t = Table(title=title, title_justify="left" if expand else "center", header_style="bold", expand=expand)
    from rich.cells import cell_len

    reminders = [threshold_label(a["threshold"]) for a in rows]
    widest = max((cell_len(r) for r in reminders), default=4)  # a count of days is never cut: others wrap
    advised = any(a["action"] for a in rows)  # a column left empty would squeeze the others at 80 columns
    for name in ("编号", "期限", "到期日", "提醒", "承办人", *(("建议操作",) if advised else ()),
                 *(("投递",) if with_status else ())):
        t.add_column(name, no_wrap=name in ("编号", "到期日", "提醒"), min_width=widest if name == "提醒" else None)
    for a, reminder in zip(rows, reminders, strict=True):
        style = "bold red" if a["overdue"] else ("yellow" if a["threshold"] in ("due", "before-2") else "")
        status = []
        if with_status:
            status = ["、".join(f"{d['channel']}:{'已发' if d['state'] == 'sent' else '待发'}" for d in a["deliveries"])
                      or "终端"]
        t.add_row(a["ref"] or a["agency"], a["label"], a["due"] + ("（暂定）" if a["provisional"] else ""),
                  reminder, a["officer"], *((a["action"] or "",) if advised else ()), *status, style=style)
    return t


def _render_sweep(result: SweepResult) -> None:
    from rich.console import Console

    console = Console(highlight=False)
    if result.new:
        console.print(alerts_table(f"{result.on.isoformat()} 新提醒 · {len(result.new)} 条", result.new))
        for a in result.new:
            console.print(f"  {a['ref'] or a['agency']}：{a['message']}")
    else:
        console.print(f"{result.on.isoformat()}：没有新的提醒。")
    d = result.delivered
    console.print(f"已写入日志 {d.sent['log']} 条，已发邮件 {d.sent['mail']} 条；待重试 {d.pending} 条。")
    for f in d.failed:
        console.print(f"[red]投递失败[/red] {f['channel']} {f['recipient']}（{f['alerts']} 条）：{f['error']}")
    if result.unaddressed:
        console.print(f"没有邮箱地址的承办人（在 alerts.officers 中配置）：{'、'.join(result.unaddressed)}")


def _render_list(rows: list[dict[str, Any]], pending: bool) -> None:
    from rich.console import Console

    console = Console(highlight=False)
    if not rows:
        console.print("没有待投递的提醒。" if pending else "还没有提醒。")
        return
    console.print(alerts_table(f"{'待投递' if pending else ''}提醒 · {len(rows)} 条", rows, with_status=True))
    for a in rows:
        for d in a["deliveries"]:
            if d["state"] != "sent" and d["last_error"]:
                console.print(f"  {a['ref'] or a['agency']} {d['channel']} {d['recipient']}：已尝试{d['attempts']}次，"
                              f"{d['last_error']}")
