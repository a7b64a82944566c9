"""Year-end commands: report, close-year, reopen-year, appeal, table2.

The report's tables are drawn on the terminal by ``cli/output/report_view.py``; its documents are made
by ``workflow.reports`` (Markdown, XLSX, DOCX) and written by ``cli/output/report_files.py``.

Exit codes as everywhere: 0 ok, 1 error, 2 usage; ``close-year`` exits 3 when the year fails its
checks (the findings are printed, nothing is frozen).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from cli.context import handles_errors, parse_date, print_json, reference, state
from cli.output import report_files

FORMATS = ("table", "json", "md", "xlsx", "docx")
SUFFIXES = {"json": (".json",), "md": (".md", ".markdown"), "xlsx": (".xlsx",), "docx": (".docx",)}
APPEAL_HELP = (
    "有三种写法。\n\n"
    "登记对申请 REF 的复议或诉讼：gongkai appeal REF --kind review|litigation_direct|litigation_after_review "
    "--filed-on DATE [--note TEXT]（方式也可写 行政复议、未经复议直接起诉、复议后起诉）。\n\n"
    "审结：gongkai appeal conclude ID --result upheld|corrected|other --on DATE（结果也可写 结果维持、结果纠正、"
    "其他结果）。\n\n"
    "列出一件申请的复议诉讼：gongkai appeal list REF。"
)
# table2 option → (block, row, column) of table 二
TABLE2_OPTIONS = {
    "rules_issued": ("article20_1", "rules", "issued"),
    "rules_repealed": ("article20_1", "rules", "repealed"),
    "rules_in_force": ("article20_1", "rules", "in_force"),
    "normative_issued": ("article20_1", "normative_documents", "issued"),
    "normative_repealed": ("article20_1", "normative_documents", "repealed"),
    "normative_in_force": ("article20_1", "normative_documents", "in_force"),
    "licensing": ("article20_5", "licensing", "decisions"),
    "penalties": ("article20_6", "penalties", "decisions"),
    "coercive_measures": ("article20_6", "coercive_measures", "decisions"),
    "fees_10k_yuan": ("article20_8", "administrative_fees", "amount_10k_yuan"),
}


def install(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("close-year")(close_year)
    app.command("reopen-year")(reopen_year)
    app.command("appeal", help=f"登记、审结和列出针对申请办理的行政复议和行政诉讼（表四）。{APPEAL_HELP}")(appeal)
    app.command("table2")(table2)


# -- report ----------------------------------------------------------------------------------------

def _default_out(year: int, fmt: str) -> Path:
    return Path(f"gongkai-report-{year}.{fmt}")


@handles_errors
def report(
    ctx: typer.Context,
    year: int = typer.Argument(..., help="报告年度，如 2026。"),
    fmt: str = typer.Option("table", "--format", help="格式：table（在终端显示）、json、md（Markdown）、xlsx、docx。"),
    out: str = typer.Option(None, "--out", metavar="FILE", help="写入此文件（xlsx、docx 默认写入 gongkai-report-YEAR.xlsx 或 .docx）。"),
    cell: str = typer.Option(None, "--cell", help="列出某一单元格统计了哪些申请：行:列，代码或"
                                                  "中文名称均可（如 unavailable.not_held:natural_person、"
                                                  "本机关不掌握相关政府信息:自然人、review:pending）。"),
    all_agencies: bool = typer.Option(False, "--all-agencies", help="整个平台，所有机关合计。"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON，同 --format json。"),
    force: bool = typer.Option(False, "--force", help="--out 的文件已存在时替换它。"),
) -> None:
    """年度报告：由申请统计出表二、表三、表四并加以核对（年度封存前为预览）。"""
    from workflow.domain.errors import InvalidInput
    from workflow.reports import compute as reports

    fmt = "json" if as_json else fmt.strip().lower()
    if fmt not in FORMATS:
        raise InvalidInput("--format", f"{fmt!r} 不是可用的格式；可用：{'、'.join(FORMATS)}")
    if out is not None and (not out.strip() or "\x00" in out):
        raise InvalidInput("--out", f"{out!r} 不是文件名")
    if cell and out:
        raise InvalidInput("--out", "--cell 在终端列出一格（脚本用 --json），不写文件")
    if out and Path(out).suffix.lower() not in SUFFIXES.get(fmt, ()):
        raise InvalidInput("--out", f"{out!r} 不以 {' 或 '.join(SUFFIXES.get(fmt, ('（无）',)))} 结尾；"
                                    f"--format {fmt} 写的是这种文件" if fmt in SUFFIXES else
                                    "--format table 打印到终端；写文件请选 json、md、xlsx 或 docx")
    if out:  # refused before anything is computed or printed
        from workflow.reports.markdown import chart_path
        from workflow.store import files

        for target in (Path(out), chart_path(Path(out))) if fmt == "md" else (Path(out),):
            files.check_target(target, "--out", force)
    app = state(ctx).app()
    if cell:
        from workflow.domain import vocabulary

        data = reports.cell(app, year, vocabulary.cell(cell), all_agencies)  # 中文行列名也可
        if fmt == "json":
            print_json(data)
        else:
            from cli.output import report_view
            from cli.output.render import console

            report_view.render_cell(console, data)
        return
    chart = fmt == "docx" or (fmt == "md" and bool(out))  # only these draw the monthly chart
    r = reports.build(app, year, all_agencies, months=chart)
    office = reports.office_name(app, r.agency)
    if fmt == "table":
        from cli.output import report_view
        from cli.output.render import console
        from workflow.usecases import closing

        report_view.render_report(console, r, closing.log(app, year, all_agencies))
        return
    report_files.status_to_stderr(r)
    if fmt == "json":
        report_files.emit_text(r.json_text(), out, force)
    elif fmt == "md":
        report_files.write_md(r, office, out, force)
    else:
        path = Path(out) if out else _default_out(year, fmt)
        report_files.write_document(r, office, fmt, path, force)
        typer.echo(str(path))


# -- closing ---------------------------------------------------------------------------------------

@handles_errors
def close_year(
    ctx: typer.Context,
    year: int = typer.Argument(..., help="要封存的年度，如 2025。"),
    all_agencies: bool = typer.Option(False, "--all-agencies", help="封存整个平台的该年度。"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON。"),
) -> None:
    """核对该年度的报告并封存（核对不通过则退出码为 3，不封存）。"""
    from workflow.usecases import closing

    result = closing.close_year(state(ctx).app(), year, all_agencies)
    if as_json:
        print_json(result.as_json())
    else:
        _render_closing(result)
    if result.findings:
        raise typer.Exit(3)


@handles_errors
def reopen_year(
    ctx: typer.Context,
    year: int = typer.Argument(..., help="要重新打开的已封存年度。"),
    reason: str = typer.Option(None, "--reason", help="重新打开的原因（与你的姓名一并记录）。"),
    all_agencies: bool = typer.Option(False, "--all-agencies", help="重新打开整个平台的该年度。"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON。"),
) -> None:
    """重新打开已封存的年度，使日期在该年度内的办理事项可以再次记录（记录原因）。"""
    from workflow.usecases import closing

    result = closing.reopen_year(state(ctx).app(), year, reason or "", all_agencies)
    if as_json:
        print_json(result)
    else:
        from cli.output.render import console

        console.print(f"{year} 年度已重新打开（{result['reason']}）；原封存报告 sha256 {result['checksum'][:16]}… "
                      f"与重开原因已记录。", soft_wrap=True)


# -- appeals ---------------------------------------------------------------------------------------

@handles_errors
def appeal(
    ctx: typer.Context,
    args: list[str] = typer.Argument(..., help="REF（登记），或 conclude ID（审结），或 list REF（列出）。"),
    kind: str = typer.Option(None, "--kind", help="方式：review 行政复议、litigation_direct 未经复议直接起诉、litigation_after_review 复议后起诉。"),
    filed_on: str = typer.Option(None, "--filed-on", metavar="DATE", help="提起之日（默认今天）。"),
    result: str = typer.Option(None, "--result", help="审结时：结果 upheld 维持、corrected 纠正、other 其他。"),
    on: str = typer.Option(None, "--on", metavar="DATE", help="审结时：审结之日（默认今天）。"),
    note: str = typer.Option(None, "--note", help="备注（案号、复议机关或法院等）。"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON。"),
) -> None:
    """针对申请办理的行政复议和行政诉讼（表四）。"""
    from workflow.domain.errors import InvalidInput
    from workflow.usecases import appeals

    app = state(ctx).app()
    head, rest = args[0], args[1:]
    if head in ("conclude", "list") and len(rest) != 1:
        raise InvalidInput(head, f"应写 gongkai appeal {head} {'复议诉讼编号' if head == 'conclude' else '申请编号'}")
    if head == "list":
        rows = appeals.listing(app, reference(rest[0]) or "")
        print_json(rows) if as_json else _render_appeals(rows, rest[0])
        return
    if head == "conclude":
        for flag, value in (("--kind", kind), ("--filed-on", filed_on), ("--note", note)):
            if value is not None:
                raise InvalidInput(flag, "appeal conclude 不用此选项；可用的选项：--result、--on")
        if not result:
            raise InvalidInput("--result", "appeal conclude 须填写此项（维持 upheld、纠正 corrected 或其他 other）")
        try:
            appeal_id = int(rest[0])
        except ValueError:
            raise InvalidInput("ID", f"{rest[0]!r} 不是复议诉讼编号；gongkai appeal list 申请编号 列出该申请的复议诉讼") from None
        row = appeals.conclude_shown(app, appeal_id, result, parse_date("--on", on) or app.today)
    else:
        if rest:
            raise InvalidInput("REF", f"只能给出一个申请编号，而不是 {' '.join(args)!r}")
        for flag, value in (("--result", result), ("--on", on)):
            if value is not None:
                raise InvalidInput(flag, "只用于 appeal conclude 复议诉讼编号；登记复议诉讼用 --kind、--filed-on")
        if not kind:
            raise InvalidInput("--kind", "必须填写（行政复议 review、直接起诉 litigation_direct 或复议后起诉 litigation_after_review）")
        row = appeals.file_shown(app, reference(head) or "", kind, parse_date("--filed-on", filed_on) or app.today, note)
    if as_json:
        print_json(row)
    else:
        from cli.output.render import console

        verb = "已审结" if head == "conclude" else "已登记"
        console.print(f"复议诉讼 #{row['id']}（{row['ref']}，{row['kind_label']}）{verb}"
                      + (f"：{row['result_label']}（{row['concluded_on']}）" if row["result"] else
                         f"，提起日期 {row['filed_on']}"))


# -- table 二 --------------------------------------------------------------------------------------

@handles_errors
def table2(
    ctx: typer.Context,
    year: int = typer.Argument(..., help="报告年度。"),
    file: str = typer.Option(None, "--file", metavar="FILE", help="从 TOML 文件读入：[article20_1.rules] issued = 2 …（格式同 report --json）。"),
    rules_issued: str = typer.Option(None, "--rules-issued", help="规章 本年制发件数"),
    rules_repealed: str = typer.Option(None, "--rules-repealed", help="规章 本年废止件数"),
    rules_in_force: str = typer.Option(None, "--rules-in-force", help="规章 现行有效件数"),
    normative_issued: str = typer.Option(None, "--normative-issued", help="行政规范性文件 本年制发件数"),
    normative_repealed: str = typer.Option(None, "--normative-repealed", help="行政规范性文件 本年废止件数"),
    normative_in_force: str = typer.Option(None, "--normative-in-force", help="行政规范性文件 现行有效件数"),
    licensing: str = typer.Option(None, "--licensing", help="行政许可 本年处理决定数量"),
    penalties: str = typer.Option(None, "--penalties", help="行政处罚 本年处理决定数量"),
    coercive_measures: str = typer.Option(None, "--coercive-measures", help="行政强制 本年处理决定数量"),
    fees_10k_yuan: str = typer.Option(None, "--fees-10k-yuan", help="行政事业性收费 本年收费金额（万元）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON。"),
) -> None:
    """填写（或显示）该年度的表二，即主动公开情况的数字（不来自申请数据）。"""
    from workflow.usecases import closing

    given = {"rules_issued": rules_issued, "rules_repealed": rules_repealed, "rules_in_force": rules_in_force,
             "normative_issued": normative_issued, "normative_repealed": normative_repealed,
             "normative_in_force": normative_in_force, "licensing": licensing, "penalties": penalties,
             "coercive_measures": coercive_measures, "fees_10k_yuan": fees_10k_yuan}
    values: dict[tuple[str, str, str], Any] = closing.read_table2_file(Path(file)) if file else {}
    values.update({TABLE2_OPTIONS[k]: v for k, v in given.items() if v is not None})
    data = closing.enter_table2(state(ctx).app(), year, values)
    if as_json:
        print_json(data)
    else:
        from cli.output import report_view
        from cli.output.render import console

        report_view.render_table2(console, data, year)


# -- rendering (rich, Chinese) ------------------------------------------------------------------

def _render_closing(result: Any) -> None:
    from cli.output.render import console

    if result.findings:
        console.print(f"{result.year} 年度报告未通过勾稽关系校验，未封存：", style="bold red")
        for f in result.findings:
            refs = "、".join(f["requests"]) + (f" 等{f['requests_total']}件" if f["requests_total"] > len(f["requests"]) else "")
            console.print(f"  {f['check']} {f['cell']}：{f['message']}" + (f"；涉及申请 {refs}" if refs else ""),
                          markup=False)
        return
    when = result.closed_at.strftime("%Y-%m-%d %H:%M") if result.closed_at else ""
    if result.already:
        console.print(f"{result.year} 年度已于 {when} 由 {result.closed_by} 封存；重新计算结果一致，"
                      f"sha256 {result.checksum}", soft_wrap=True)
    else:
        console.print(f"{result.year} 年度报告已封存（复议诉讼结果截至 {result.as_of}），sha256 {result.checksum}",
                      soft_wrap=True)


def _render_appeals(rows: list[dict[str, Any]], ref: str) -> None:
    from rich.table import Table

    from cli.output.render import console

    if not rows:
        console.print(f"{ref} 没有行政复议或行政诉讼记录。")
        return
    t = Table(title=f"{ref} 的行政复议、行政诉讼", header_style="bold")
    for h in ("#", "类别", "提起日期", "结果", "审结日期", "经办人", "备注"):
        t.add_column(h, overflow="fold")
    for a in rows:
        t.add_row(str(a["id"]), a["kind_label"], a["filed_on"], a["result_label"], a["concluded_on"] or "",
                  a["officer"], a["note"] or "")
    console.print(t)
