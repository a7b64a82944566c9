"""The ``gongkai`` command: global options, error handling and the command groups.

Exit codes: 0 ok, 1 error (one line on stderr, nothing changed), 2 usage, 3 findings.
Heavy modules (SQLAlchemy, pydantic, apscheduler, openpyxl …) are imported inside the commands,
so ``gongkai --help`` starts fast.
"""

from __future__ import annotations

import gc
import importlib
from typing import Any

import typer
import typer.main

from cli.arguments import CheckedGroup
from cli.context import State
from rules.actions import NOTICE, REGISTER, VOID  # commands named for the action they record

# Every command, in the order ``gongkai --help`` lists them, and the module of ``cli`` that installs it.
# A command line loads only its command's module: typer turning all 31 commands and their options into
# click's, and importing every module, cost ~20 ms of each start, ``gongkai work``'s first screen
# included (benchmarks figure 8). tests/cli/test_cli.py checks this table against the modules.
COMMANDS = {
    **dict.fromkeys((REGISTER, "list", "find", "show", "advance", VOID, "due", "demo"), "requests"),
    **dict.fromkeys((NOTICE, "fee"), "notices"),
    "scheduler": "alerts",
    **dict.fromkeys(("report", "close-year", "reopen-year", "appeal", "table2"), "closing"),
    **dict.fromkeys(("info", "approve"), "admin"),
    **dict.fromkeys(("verify", "backup", "restore", "audit"), "integrity"),
    "work": "workbench",
    "alerts": "alerts",
    **dict.fromkeys(("import", "export"), "transfer"),
    **dict.fromkeys(("agency", "officer", "db"), "admin"),
    "evidence": "integrity",
}


class Commands(CheckedGroup):
    """The ``gongkai`` group, its commands loaded from their module when first asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, name: str) -> Any:
        if name not in self.commands and name in COMMANDS:
            self.load(COMMANDS[name])
        return self.commands.get(name)

    def load(self, module: str) -> None:
        from cli.output.help_pages import localize

        commands = typer.Typer(rich_markup_mode=None)
        importlib.import_module(f"cli.{module}").install(commands)
        group = typer.main.get_group(commands)
        localize(group)
        self.commands.update(group.commands)


app = typer.Typer(
    name="gongkai",
    cls=Commands,
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


def main() -> None:
    # No cyclic garbage collection while the command's modules load (SQLAlchemy, pydantic …): importing
    # allocates hundreds of thousands of objects and the collector would walk them again and again,
    # a tenth of the start-up time (benchmarks/RESULTS.md). context.loaded() turns it back on.
    gc.disable()
    app()
