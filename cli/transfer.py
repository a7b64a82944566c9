"""Spreadsheets in and out: ``import requests``, ``import appeals``, ``export requests``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from cli.context import handles_errors, print_json, state

if TYPE_CHECKING:
    from workflow.io.import_cells import Summary

import_app = typer.Typer(help="导入本机关已有的电子表格（.csv，UTF-8 或 GB18030 编码；.xlsx）。",
                         no_args_is_help=True)
export_app = typer.Typer(help="将申请导出为电子表格（.csv 或 .xlsx），各列与导入所读的相同。",
                         no_args_is_help=True)

REQUEST_HELP = (
    "各列（首行为表头，英文或中文均可）：ref（编号）、agency（机关）、received_on（收到日期）、channel（申请渠道）、"
    "applicant_type（申请人类型）、applicant_name（申请人）、subject（申请内容）、outcome（办理结果，空白为尚未办结）、"
    "concluded_on（办结日期）；可选：correction_requested_on、correction_period、corrected_on、"
    "consultation_sent_on、consultation_replied_on、fee_notified_on、fee_amount、fee_paid_on、extended_days、"
    "extension_approved_by、extended_on、phone、id_number、address。\n\n"
    "编号空白的，依次编给下一个编号。有任何问题则整个导入不成立，逐行逐列列出问题，不写入任何数据。"
)


def install(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
    app.add_typer(export_app, name="export")


@import_app.command("requests", help=f"导入申请及其各自的办理经过。\n\n{REQUEST_HELP}")
@handles_errors
def import_requests(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help=".csv 或 .xlsx 文件。"),
    dry_run: bool = typer.Option(False, "--dry-run", help="逐行检查，不写入。"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出汇总，或全部问题。"),
) -> None:
    from workflow.io import imports

    app = state(ctx).app()
    with _progress() as progress, _problems_as_json(as_json):
        summary = imports.import_requests(app, file, dry_run, progress)
    _report(summary, as_json, "件申请", {"open": "办理中", "concluded": "已办结"})


@import_app.command("appeals")
@handles_errors
def import_appeals(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help=".csv 或 .xlsx 文件。"),
    dry_run: bool = typer.Option(False, "--dry-run", help="逐行检查，不写入。"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出汇总，或全部问题。"),
) -> None:
    """导入针对已在 gongkai 中的申请的行政复议和行政诉讼（表四）。

    各列：ref（编号）、agency（机关，可选）、kind（方式：review 行政复议、litigation_direct 未经复议直接起诉、
    litigation_after_review 复议后起诉）、filed_on（提起日期）、result（结果：upheld 维持、corrected 纠正、
    other 其他；空白为尚未审结）、concluded_on（审结日期）、note（备注）。
    """
    from workflow.io.import_appeals import import_appeals

    app = state(ctx).app()
    with _problems_as_json(as_json):
        summary = import_appeals(app, file, dry_run)
    _report(summary, as_json, "件复议、诉讼", {"pending": "尚未审结", "concluded": "已审结"})


@export_app.command("requests")
@handles_errors
def export_requests(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="要写入的 .csv（UTF-8 带 BOM，便于 Excel 打开）或 .xlsx 文件。"),
    chinese: bool = typer.Option(False, "--chinese-headers", help="表头和代码值写为中文。"),
    as_json: bool = typer.Option(False, "--json", help="输出 {\"file\", \"requests\"}（文件和件数）。"),
    force: bool = typer.Option(False, "--force", help="FILE 已存在时替换它。"),
) -> None:
    """按 import requests 所读的各列导出全部申请（不含电话、身份证号和地址）。"""
    from workflow.io import exports

    app = state(ctx).app()
    result = exports.export_requests(app, file, chinese, force)
    if as_json:
        print_json({"file": result.file, "requests": result.requests})
    else:
        typer.echo(f"已导出 {result.requests} 件申请到 {result.file}")


def _report(summary: Summary, as_json: bool, noun: str, labels: dict[str, str]) -> None:
    if as_json:
        print_json({"ok": True, "file": summary.file, "encoding": summary.encoding, "rows": summary.rows,
                    "imported": summary.imported, "dry_run": summary.dry_run,
                    "ignored_columns": summary.ignored_columns, **summary.counts,
                    "recorded_late": [{"row": p.row, "column": p.column, "message": p.message}
                                      for p in summary.recorded_late]})
        return
    parts = "，".join(f"{labels[k]} {v} 件" for k, v in summary.counts.items())
    verb = "检查通过（未写入，--dry-run）" if summary.dry_run else "已导入"
    count = summary.rows if summary.dry_run else summary.imported
    typer.echo(f"{summary.file}：{verb} {count} {noun}（{parts}）")
    if summary.ignored_columns:
        typer.echo(f"未识别而忽略的列：{'、'.join(summary.ignored_columns)}", err=True)
    if summary.recorded_late:
        typer.echo(f"{len(summary.recorded_late)} 个步骤晚于法定期限，按“逾期记录”保留，不改变任何期限：")
        for p in summary.recorded_late:
            typer.echo(f"  第 {p.row} 行 {p.column}：{p.message}")


@contextmanager
def _problems_as_json(as_json: bool) -> Iterator[None]:
    """With --json, every problem goes to stdout as data (exit 1); otherwise the error lists the first ones."""
    from workflow.io.import_cells import ImportProblems

    try:
        yield
    except ImportProblems as e:
        if not as_json:
            raise
        print_json({"ok": False, "file": e.file, "problems": [
            {"row": p.row, "column": p.column, "message": p.message} for p in e.problems]})
        raise typer.Exit(1) from None


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None] | None]:
    """A rich progress bar on stderr, only when a person is watching it."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    tasks: dict[str, Any] = {}
    with Progress(console=Console(stderr=True), transient=True) as bar:
        def advance(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task({"checking": "检查", "importing": "导入"}.get(phase, phase), total=total)
            bar.update(tasks[phase], completed=done)

        yield advance
