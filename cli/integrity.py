"""Evidence-keeping commands: verify the history, back up and restore, and the audit trail."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.context import handles_errors, parse_date, print_json, reference, state


def install(app: typer.Typer) -> None:
    app.command("verify")(verify)
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("audit")(audit)
    evidence = typer.Typer(help="各哈希链的签名检查点。", no_args_is_help=True)
    evidence.command("init")(evidence_init)
    evidence.command("checkpoint")(evidence_checkpoint)
    app.add_typer(evidence, name="evidence")


@handles_errors
def verify(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="输出 JSON。")) -> None:
    """重算每条哈希链并重放每件申请；有任何不一致则退出码为 3。"""
    from workflow.usecases import integrity

    app = state(ctx).app()
    checked, findings = integrity.verify(app)
    if as_json:
        print_json({"checked": checked, "findings": [f.__dict__ for f in findings]})
    else:
        for f in findings:
            typer.echo(f"{f.ref}\t{f.check}\t{f.label}：{f.detail}")
        typer.echo(integrity.signing_note(app))
        typer.echo(f"已核验 {checked} 件申请，发现 {len(findings)} 项问题", err=bool(findings))
    if findings:
        raise typer.Exit(3)


@handles_errors
def evidence_init(ctx: typer.Context, directory: Path = typer.Option(
        None, "--dir", help="密钥对写到哪个目录（默认为 [evidence] 设置中的目录）。"),
        force: bool = typer.Option(False, "--force", help="替换已有的密钥对。")) -> None:
    """生成为检查点签名的 Ed25519 密钥对；私钥只有你本人可读（0600）。"""
    from workflow.usecases import integrity

    private, public = integrity.evidence_init(state(ctx).app(), directory, force)
    typer.echo(f"私钥（仅本账户可读，0600）：{private}\n公钥：{public}")
    if directory is not None:
        typer.echo(f"在 gongkai.toml 中设置：\n[evidence]\nprivate_key = \"{private}\"\npublic_key = \"{public}\"\n"
                   f"checkpoints = \"{private.parent / 'checkpoints.jsonl'}\"")


@handles_errors
def evidence_checkpoint(ctx: typer.Context) -> None:
    """立即为每条哈希链的链头签名并保存检查点（每日提醒和 close-year 也会各做一次）。"""
    from workflow.usecases import integrity

    row = integrity.checkpoint(state(ctx).app())
    typer.echo(f"检查点 {row.id}：{'已签名' if row.signature else '未签名（未配置私钥）'}")


@handles_errors
def backup(ctx: typer.Context, file: Path = typer.Argument(..., help="要写入的备份文件（权限 0600，不经符号链接写入）。"),
           force: bool = typer.Option(False, "--force", help="FILE 已存在时替换它。")) -> None:
    """备份数据库：SQLite 用在线备份，PostgreSQL 用 pg_dump；要么完整写出，要么什么也不写。"""
    from workflow.store import backup as bk
    from workflow.usecases.agencies import require_platform

    app = state(ctx).app()
    require_platform(app.identity, "备份数据库（backup）")
    bk.backup(app.engine, file, force)
    typer.echo(f"备份已写入 {file}")


@handles_errors
def restore(ctx: typer.Context, file: Path = typer.Argument(..., help="由 gongkai backup 写出的文件。"),
            yes: bool = typer.Option(False, "--yes", help="不再询问，直接替换当前数据库。")) -> None:
    """确认备份完好后，用它替换数据库；当前的数据库另存为注明日期的副本。"""
    from datetime import datetime

    from workflow.usecases import restoring

    app = state(ctx).app()  # who acts is checked first: an unknown officer restores nothing
    if not yes and not typer.confirm(f"用 {file} 替换当前数据库（当前的另存为副本）？"):
        raise typer.Abort()
    done = restoring.restore(app, file, datetime.now())
    typer.echo(f"已从 {file} 恢复：{done.checked} 件申请，0 项问题；恢复前的数据库保存在 {done.safety_copy}")


@handles_errors
def audit(
    ctx: typer.Context,
    officer: str = typer.Option(None, "--by", help="只列此经办人的办理事项。"),
    ref: str = typer.Option(None, "--ref", help="只列此申请；编号如 2026-0001，本年的可只写序号。", callback=reference),
    since: str = typer.Option(None, "--from", metavar="DATE", help="自此日起（按事项发生之日）。"),
    until: str = typer.Option(None, "--to", metavar="DATE", help="至此日止（含当日）。"),
    limit: int = typer.Option(None, "--limit", help="最多列出 N 条。"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON。"),
) -> None:
    """谁在何时做了什么：已记录的办理事项，可按经办人、申请或日期筛选。"""
    from rich.console import Console
    from rich.table import Table

    from cli.output.render import ACTION_LABELS
    from workflow.usecases import audit as au

    rows = au.actions(state(ctx).app(), officer, ref, parse_date("--from", since), parse_date("--to", until), limit)
    if as_json:
        print_json(rows)
        return
    t = Table(title=f"办理记录审计 · {len(rows)} 条", header_style="bold")
    for col in ("记录时间", "日期", "编号", "事项", "经办人"):
        t.add_column(col, no_wrap=True)
    for r in rows:
        t.add_row(r["recorded_at"][:19], r["on"], r["ref"], ACTION_LABELS.get(r["action"], r["action"]), r["officer"])
    Console(highlight=False).print(t)
