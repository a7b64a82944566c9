"""Where the report goes when it is written: Markdown, XLSX or DOCX files (whole, private, never through a
link, over a file only with ``--force``: ``workflow.store.files``), and its status lines on stderr.

Status lines (preview, frozen by whom, checksum, failed checks) are for the officer at the terminal, never
for the published document or the JSON; a missing Chinese font leaves the chart out and says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from workflow.reports.compute import Report


def status_to_stderr(r: Report) -> None:
    """Preview or frozen (by whom, checksum) and any failed check: on the terminal, never in the file or JSON."""
    from workflow.reports.sections import status_lines

    for line in status_lines(r):
        typer.echo(line.lstrip("> ").replace("**", ""), err=True)


def warn(message: str) -> None:
    typer.echo(message, err=True)


def emit_text(text: str, out: str | None, force: bool) -> None:
    from workflow.store import files

    if out:
        files.write_whole(Path(out), "--out", force, lambda tmp: tmp.write_bytes(text.encode()))
        typer.echo(out)
    else:
        typer.echo(text, nl=False)


def write_md(r: Report, office: str, out: str | None, force: bool) -> None:
    from workflow.reports import chart as report_chart
    from workflow.reports import markdown as report_md

    if not out:
        typer.echo(report_md.markdown(r, office), nl=False)
        return
    from workflow.store import files

    path, picture = Path(out), report_chart.png_or_none(r, warn)
    chart = report_md.chart_path(path)
    if picture:  # none where no font draws Chinese: the report without it, and the officer told how to add one
        files.write_whole(chart, "--out", force, lambda tmp: tmp.write_bytes(picture))
    text = report_md.markdown(r, office, chart.name if picture else None)
    files.write_whole(path, "--out", force, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    typer.echo(str(path))


def write_document(r: Report, office: str, fmt: str, path: Path, force: bool) -> None:
    from workflow.store import files

    if fmt == "xlsx":
        from workflow.reports import xlsx as report_xlsx

        files.write_whole(path, "--out", force, lambda tmp: report_xlsx.write(r, office, tmp))
    else:
        from workflow.reports import chart as report_chart
        from workflow.reports import docx as report_docx

        png = report_chart.png_or_none(r, warn)
        files.write_whole(path, "--out", force, lambda tmp: report_docx.write(r, office, tmp, png))
