"""The ``gongkai`` command: global options, error handling and the command groups.

Exit codes: 0 ok, 1 error (one line on stderr, nothing changed), 2 usage, 3 findings.
Heavy modules (SQLAlchemy, pydantic, apscheduler, openpyxl …) are imported inside the commands,
so ``gongkai --help`` starts fast.
"""

from __future__ import annotations

import gc

import typer

from cli import admin, alerts, closing, integrity, notices, requests, transfer, workbench
from cli.arguments import CheckedGroup
from cli.context import State

app = typer.Typer(
    name="gongkai",
    cls=CheckedGroup,
    help="政府信息公开申请办理：登记申请，按工作日计算法定期限，提醒，编制年度报告。",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def main_options(
    ctx: typer.Context,
    db: str = typer.Option(None, "--db", envvar="GONGKAI_DB",
                           help="SQLite 文件路径或 SQLAlchemy URL（默认在用户数据目录）；文件须已存在，新建用 db upgrade。"),
    officer: str = typer.Option(None, "--officer", envvar="GONGKAI_OFFICER",
                                help="经办人（默认为操作系统用户名）。"),
    agency: str = typer.Option(None, "--agency", envvar="GONGKAI_AGENCY",
                               help="在哪个机关办理（默认为配置中的 office.agency）。"),
) -> None:
    named = getattr(ctx.get_parameter_source("officer"), "name", None) != "ENVIRONMENT"  # not GONGKAI_OFFICER
    ctx.obj = State(db=db, officer=officer, agency=agency, named=named)


requests.install(app)
notices.install(app)
alerts.install(app)
closing.install(app)
transfer.install(app)
admin.install(app)
integrity.install(app)
workbench.install(app)


def main() -> None:
    # No cyclic garbage collection while the command's modules load (SQLAlchemy, pydantic …): importing
    # allocates hundreds of thousands of objects and the collector would walk them again and again,
    # a tenth of the start-up time (benchmarks/RESULTS.md). context.loaded() turns it back on.
    gc.disable()
    app()
