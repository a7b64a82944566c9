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
    evidence = typer.Typer(help="Signed checkpoints of every hash chain (签名检查点).", no_args_is_help=True)
    evidence.command("init")(evidence_init)
    evidence.command("checkpoint")(evidence_checkpoint)
    app.add_typer(evidence, name="evidence")


@handles_errors
def verify(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """Recompute every hash chain and replay every request; exit 3 if anything disagrees."""
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
        None, "--dir", help="Where to write the key pair (default: the [evidence] settings' folder)."),
        force: bool = typer.Option(False, "--force", help="Replace an existing key pair.")) -> None:
    """Write the Ed25519 key pair that signs checkpoints; the private key is readable only by you (0600)."""
    from workflow.usecases import integrity

    private, public = integrity.evidence_init(state(ctx).app(), directory, force)
    typer.echo(f"私钥（仅本账户可读，0600）：{private}\n公钥：{public}")
    if directory is not None:
        typer.echo(f"在 gongkai.toml 中设置：\n[evidence]\nprivate_key = \"{private}\"\npublic_key = \"{public}\"\n"
                   f"checkpoints = \"{private.parent / 'checkpoints.jsonl'}\"")


@handles_errors
def evidence_checkpoint(ctx: typer.Context) -> None:
    """Sign and store a checkpoint of every chain head now (the daily sweep and close-year take one too)."""
    from workflow.usecases import integrity

    row = integrity.checkpoint(state(ctx).app())
    typer.echo(f"检查点 {row.id}：{'已签名' if row.signature else '未签名（未配置私钥）'}")


@handles_errors
def backup(ctx: typer.Context, file: Path = typer.Argument(..., help="The backup file to write (0600, never through a link)."),
           force: bool = typer.Option(False, "--force", help="Replace FILE if it exists.")) -> None:
    """Back up the database: SQLite online backup, or pg_dump for PostgreSQL, written whole or not at all."""
    from workflow.store import backup as bk
    from workflow.usecases.agencies import require_platform

    app = state(ctx).app()
    require_platform(app.identity, "备份数据库（backup）")
    bk.backup(app.engine, file, force)
    typer.echo(f"备份已写入 {file}")


@handles_errors
def restore(ctx: typer.Context, file: Path = typer.Argument(..., help="A file written by `gongkai backup`."),
            yes: bool = typer.Option(False, "--yes", help="Replace the current database without asking.")) -> None:
    """Replace the database with a backup once it is known to be good; the live one is kept as a dated copy."""
    from datetime import datetime

    from workflow.usecases import restoring

    app = state(ctx).app()  # who acts is checked first: an unknown officer restores nothing
    if not yes and not typer.confirm(f"Replace the database with {file}?"):
        raise typer.Abort()
    done = restoring.restore(app, file, datetime.now())
    typer.echo(f"已从 {file} 恢复：{done.checked} 件申请，0 项问题；恢复前的数据库保存在 {done.safety_copy}")


@handles_errors
def audit(
    ctx: typer.Context,
    officer: str = typer.Option(None, "--by", help="Only this officer's actions."),
    ref: str = typer.Option(None, "--ref", help="Only this request.", callback=reference),
    since: str = typer.Option(None, "--from", help="From this date (the date the action happened)."),
    until: str = typer.Option(None, "--to", help="Through this date."),
    limit: int = typer.Option(None, "--limit"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Who did what, when: the actions recorded, filtered by officer, request or dates."""
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
