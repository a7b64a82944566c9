"""Year-end commands: report, close-year, reopen-year, appeal, table2.

The report's tables are drawn on the terminal by ``cli/report_view.py``, its documents by
``workflow.reports`` (Markdown, XLSX, DOCX).

Exit codes as everywhere: 0 ok, 1 error, 2 usage; ``close-year`` exits 3 when the year fails its
checks (the findings are printed, nothing is frozen).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from cli.context import handles_errors, parse_date, print_json, state

if TYPE_CHECKING:
    from workflow.reports.compute import Report

FORMATS = ("table", "json", "md", "xlsx", "docx")
SUFFIXES = {"json": (".json",), "md": (".md", ".markdown"), "xlsx": (".xlsx",), "docx": (".docx",)}
APPEAL_HELP = (
    "Three forms. Record an appeal against request REF: `gongkai appeal REF --kind review|litigation_direct|"
    "litigation_after_review --filed-on DATE [--note TEXT]` (或 行政复议/未经复议直接起诉/复议后起诉). "
    "Conclude it: `gongkai appeal conclude ID --result upheld|corrected|other --on DATE` (或 结果维持/结果纠正/其他结果). "
    "List a request's appeals: `gongkai appeal list REF`."
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
    app.command("appeal", help=f"Record, conclude and list administrative reviews and lawsuits (table 四). {APPEAL_HELP}")(appeal)
    app.command("table2")(table2)


# -- report ----------------------------------------------------------------------------------------

def _default_out(year: int, fmt: str) -> Path:
    return Path(f"gongkai-report-{year}.{fmt}")


@handles_errors
def report(
    ctx: typer.Context,
    year: int = typer.Argument(..., help="The report year, e.g. 2026."),
    fmt: str = typer.Option("table", "--format", help="table (terminal), json, md, xlsx, docx."),
    out: str = typer.Option(None, "--out", help="Write to this file (xlsx/docx default: gongkai-report-YEAR.xlsx/.docx)."),
    cell: str = typer.Option(None, "--cell", help="List what is counted in one cell, ROW:COLUMN "
                                                  "(e.g. unavailable.not_held:natural_person, review:pending)."),
    all_agencies: bool = typer.Option(False, "--all-agencies", help="The whole platform, every agency together."),
    as_json: bool = typer.Option(False, "--json", help="Same as --format json."),
) -> None:
    """The year's annual report: tables 二, 三, 四 from the requests, checked (a preview until the year is closed)."""
    from workflow.domain.errors import InvalidInput
    from workflow.reports import compute as reports

    fmt = "json" if as_json else fmt.strip().lower()
    if fmt not in FORMATS:
        raise InvalidInput("--format", f"{fmt!r} is not a format; expected one of {', '.join(FORMATS)}")
    if out is not None and (not out.strip() or "\x00" in out):
        raise InvalidInput("--out", f"{out!r} is not a file name")
    if cell and out:
        raise InvalidInput("--out", "--cell lists a cell on the terminal (with --json for scripts); it writes no file")
    if out and Path(out).suffix.lower() not in SUFFIXES.get(fmt, ()):
        raise InvalidInput("--out", f"{out!r} does not end in {' or '.join(SUFFIXES.get(fmt, ('(nothing)',)))}; "
                                    f"--format {fmt} writes such a file" if fmt in SUFFIXES else
                                    "--format table prints to the terminal; choose json, md, xlsx or docx to write a file")
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
    _status_to_stderr(r)
    if fmt == "json":
        _emit_text(r.json_text(), out)
    elif fmt == "md":
        _write_md(r, office, out)
    else:
        path = Path(out) if out else _default_out(year, fmt)
        _write_document(r, office, fmt, path)
        typer.echo(str(path))


def _status_to_stderr(r: Report) -> None:
    """Preview or frozen (by whom, checksum) and any failed check: on the terminal, never in the file or JSON."""
    from workflow.reports.sections import status_lines

    for line in status_lines(r):
        typer.echo(line.lstrip("> ").replace("**", ""), err=True)


def _warn(message: str) -> None:
    typer.echo(message, err=True)


def _emit_text(text: str, out: str | None) -> None:
    if out:
        Path(out).write_bytes(text.encode())
        typer.echo(out)
    else:
        typer.echo(text, nl=False)


def _write_md(r: Report, office: str, out: str | None) -> None:
    from workflow.reports import chart as report_chart
    from workflow.reports import markdown as report_md

    if not out:
        typer.echo(report_md.markdown(r, office), nl=False)
        return
    path, picture = Path(out), report_chart.png_or_none(r, _warn)
    chart = report_md.chart_path(path)
    if picture:  # none where no font draws Chinese: the report without it, and the officer told how to add one
        chart.write_bytes(picture)
    path.write_text(report_md.markdown(r, office, chart.name if picture else None), encoding="utf-8")
    typer.echo(str(path))


def _write_document(r: Report, office: str, fmt: str, path: Path) -> None:
    from workflow.domain.errors import InvalidInput

    try:
        if fmt == "xlsx":
            from workflow.reports import xlsx as report_xlsx

            report_xlsx.write(r, office, path)
        else:
            from workflow.reports import chart as report_chart
            from workflow.reports import docx as report_docx

            report_docx.write(r, office, path, report_chart.png_or_none(r, _warn))
    except OSError as e:
        raise InvalidInput("--out", f"cannot write {path}: {e.strerror or e}") from None


# -- closing ---------------------------------------------------------------------------------------

@handles_errors
def close_year(
    ctx: typer.Context,
    year: int = typer.Argument(..., help="The year to close, e.g. 2025."),
    all_agencies: bool = typer.Option(False, "--all-agencies", help="Close the whole platform's year."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Check the year's report and freeze it (exit 3 and nothing frozen if a check fails)."""
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
    year: int = typer.Argument(..., help="The closed year to reopen."),
    reason: str = typer.Option(None, "--reason", help="Why it is reopened (recorded with your name)."),
    all_agencies: bool = typer.Option(False, "--all-agencies", help="Reopen the whole platform's year."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Unfreeze a closed year so that actions dated in it are accepted again (logged with the reason)."""
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
    args: list[str] = typer.Argument(..., help="REF | conclude ID | list REF"),
    kind: str = typer.Option(None, "--kind", help="review, litigation_direct, litigation_after_review."),
    filed_on: str = typer.Option(None, "--filed-on", help="When it was filed, YYYY-MM-DD (default today)."),
    result: str = typer.Option(None, "--result", help="conclude: upheld, corrected, other."),
    on: str = typer.Option(None, "--on", help="conclude: when it was decided, YYYY-MM-DD (default today)."),
    note: str = typer.Option(None, "--note", help="Free text (case number, body)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Administrative reviews and lawsuits against a request's handling (table 四)."""
    from workflow.domain.errors import InvalidInput
    from workflow.usecases import appeals

    app = state(ctx).app()
    head, rest = args[0], args[1:]
    if head in ("conclude", "list") and len(rest) != 1:
        raise InvalidInput(head, f"expected `gongkai appeal {head} {'ID' if head == 'conclude' else 'REF'}`")
    if head == "list":
        rows = appeals.listing(app, rest[0])
        print_json(rows) if as_json else _render_appeals(rows, rest[0])
        return
    if head == "conclude":
        for flag, value in (("--kind", kind), ("--filed-on", filed_on), ("--note", note)):
            if value is not None:
                raise InvalidInput(flag, "not used by appeal conclude; its options: --result, --on")
        if not result:
            raise InvalidInput("--result", "appeal conclude needs it (upheld, corrected or other)")
        try:
            appeal_id = int(rest[0])
        except ValueError:
            raise InvalidInput("ID", f"{rest[0]!r} is not an appeal number; `gongkai appeal list REF` shows them") from None
        row = appeals.conclude_shown(app, appeal_id, result, parse_date("--on", on) or app.today)
    else:
        if rest:
            raise InvalidInput("REF", f"one reference expected, got {' '.join(args)!r}")
        for flag, value in (("--result", result), ("--on", on)):
            if value is not None:
                raise InvalidInput(flag, "is for `appeal conclude ID`; recording an appeal takes --kind, --filed-on")
        if not kind:
            raise InvalidInput("--kind", "is required (review, litigation_direct or litigation_after_review)")
        row = appeals.file_shown(app, head, kind, parse_date("--filed-on", filed_on) or app.today, note)
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
    year: int = typer.Argument(..., help="The report year."),
    file: str = typer.Option(None, "--file", help="A TOML file: [article20_1.rules] issued = 2 … (as in report --json)."),
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
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Enter (or show) table 二, the proactive-disclosure figures, for the year: not request data."""
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
