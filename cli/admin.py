"""Platform administration: agencies, officers, and the database schema."""

from __future__ import annotations

import typer

from cli.context import handles_errors, print_json, state

agency_app = typer.Typer(help="平台上的机关。", no_args_is_help=True)
officer_app = typer.Typer(help="经办人及其角色：officer 经办人、supervisor 负责人、platform 平台管理员。",
                          no_args_is_help=True)
db_app = typer.Typer(help="数据库结构：状态与迁移。", no_args_is_help=True)


def install(app: typer.Typer) -> None:
    app.command("info")(info)
    app.command("approve")(approve)
    app.add_typer(agency_app, name="agency")
    app.add_typer(officer_app, name="officer")
    app.add_typer(db_app, name="db")


def _actor(ctx: typer.Context):  # type: ignore[no-untyped-def]
    from workflow.usecases.agencies import Identity

    app = state(ctx).app()
    return app, Identity(app.officer, app.role, app.agency)


@agency_app.command("add")
@handles_errors
def agency_add(ctx: typer.Context, code: str = typer.Argument(..., help="机关代码（简短的拼音或英文），如 minzheng。"),
               name: str = typer.Argument(..., help="机关全称，如 某区民政局。")) -> None:
    """新增机关（仅平台管理员可用；尚未登记经办人时任何人可用）。"""
    from workflow.usecases import agencies

    app, actor = _actor(ctx)
    agencies.add_agency(app.engine, actor, code, name)
    typer.echo(f"机关 {code}（{name}）已新增")


@agency_app.command("list")
@handles_errors
def agency_list(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="输出 JSON。")) -> None:
    """列出各机关。"""
    from workflow.usecases import agencies

    app, _ = _actor(ctx)
    data = agencies.listing(app.engine)["agencies"]
    if as_json:
        print_json(data)
    else:
        for a in data:
            typer.echo(f"{a['code']}\t{a['name']}")


@officer_app.command("add")
@handles_errors
def officer_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="经办人姓名，即其办理时所用的名字（--officer 或 GONGKAI_OFFICER）。"),
    agency: str = typer.Option(..., "--agency", help="经办人所属机关的代码。"),
    role: str = typer.Option("officer", "--role", help="角色：经办人（officer）、负责人（supervisor）、平台管理员（platform）。"),
    email: str = typer.Option(None, "--email", help="电子邮箱，用于期限提醒。"),
    login: str = typer.Option(None, "--login", help="登录账户：SQLite 上为操作系统账户名，PostgreSQL 上为该经办人的"
                                                  "数据库登录角色（不存在则创建，口令或认证方式由数据库管理员设置）。"
                                                  "登记了登录账户后，经办人即登录者本人，--officer 不能冒名。"),
) -> None:
    """登记经办人。第一个登记的须为平台管理员（platform）。"""
    from workflow.domain import vocabulary
    from workflow.usecases import agencies

    role = vocabulary.role(role)
    app, actor = _actor(ctx)
    agencies.add_officer(app.engine, actor, name, agency, role, email, login)
    typer.echo(f"经办人 {name}（{role}）已登记在机关 {agency}" + (f"，登录账户 {login}" if login else ""))


@officer_app.command("list")
@handles_errors
def officer_list(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="输出 JSON。")) -> None:
    """列出经办人及其角色。"""
    from workflow.usecases import agencies

    app, actor = _actor(ctx)
    data = agencies.listing(app.engine, actor)["officers"]
    if as_json:
        print_json(data)
    else:
        for o in data:
            typer.echo(f"{o['name']}\t{o['agency']}\t{o['role']}\t{o['email'] or ''}")


@handles_errors
def approve(ctx: typer.Context,
            ref: str = typer.Argument(..., help="申请编号，如 2026-0017。"),
            action: str = typer.Argument(..., help="要批准的办理事项：extend 延长答复期限，或 undo 撤销上一步。"),
            as_json: bool = typer.Option(False, "--json", help="输出 JSON。")) -> None:
    """负责人以本人登录批准一项需要批准的办理（延期答复）；经办人随后以 --approved-by 负责人 办理时使用这项批准。"""
    from cli.context import reference
    from workflow.domain import vocabulary
    from workflow.usecases import agencies

    data = agencies.approve(state(ctx).app(), reference(ref) or ref, vocabulary.action(action))
    if as_json:
        print_json(data)
    else:
        from rules.actions import LABELS

        typer.echo(f"{data['approver']} 已批准 {data['ref']}（{data['agency']}）的"
                   f"{LABELS.get(data['action'], data['action'])}")


@db_app.command("upgrade")
@handles_errors
def db_upgrade(ctx: typer.Context) -> None:
    """执行数据库结构迁移（新数据库直接按当前结构创建）。"""
    from workflow.app import current_officer
    from workflow.store import db, schema
    from workflow.usecases.agencies import require_migrator

    engine = db.make_engine(state(ctx).db)
    require_migrator(engine, state(ctx).officer or current_officer(), state(ctx).named and bool(state(ctx).officer))
    before, after = schema.upgrade(engine)
    typer.echo(f"数据库结构 {before or '（新数据库）'} → {after}")


@db_app.command("status")
@handles_errors
def db_status(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="输出 JSON。")) -> None:
    """数据库在哪里，其结构是否为最新。"""
    from cli.context import require_database
    from workflow.store import db, schema

    require_database(state(ctx).db)
    engine = db.make_engine(state(ctx).db)
    data = {"url": engine.url.render_as_string(), "schema": schema.current(engine), "head": schema.HEAD}
    if as_json:
        print_json(data)
    else:
        typer.echo(f"{data['url']}\n结构版本 {data['schema'] or '（空）'}，本版为 {data['head']}")


@handles_errors
def info(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="输出 JSON。")) -> None:
    """当前打开的数据库、经办人、机关、配置目录，以及已载入的工作日历年度。"""
    from workflow.settings import config_dir

    app = state(ctx).app()
    calendar = app.settings.calendar
    years = {str(y): str(calendar.status(y)) for y in sorted(calendar.specs)}
    data = {"database": app.engine.url.render_as_string(), "officer": app.officer, "role": app.role,
            "agency": app.home_agency, "config_dir": str(config_dir()), "calendar_years": years}
    if as_json:
        print_json(data)
        return
    official = [y for y, s in years.items() if s == "official"]
    provisional = [y for y, s in years.items() if s != "official"]
    spans = [f"{ys[0]}–{ys[-1]}{label}" for ys, label in ((official, "（已公布）"), (provisional, "（暂定）")) if ys]
    for name, value in (("数据库", data["database"]), ("经办人", f"{app.officer}（{app.role}）"),
                        ("机关", data["agency"]), ("配置目录", data["config_dir"]), ("日历年度", "，".join(spans))):
        typer.echo(f"{name}：{value}")
