"""Platform administration: agencies, officers, and the database schema."""

from __future__ import annotations

import typer

from cli.context import handles_errors, print_json, state

agency_app = typer.Typer(help="Agencies on the platform (机关).", no_args_is_help=True)
officer_app = typer.Typer(help="Officers and their roles: officer, supervisor (负责人), platform.",
                          no_args_is_help=True)
db_app = typer.Typer(help="The database schema: status and migrations.", no_args_is_help=True)


def install(app: typer.Typer) -> None:
    app.add_typer(agency_app, name="agency")
    app.add_typer(officer_app, name="officer")
    app.add_typer(db_app, name="db")


def _actor(ctx: typer.Context):  # type: ignore[no-untyped-def]
    from workflow.usecases.agencies import Identity

    app = state(ctx).app()
    return app, Identity(app.officer, app.role, app.agency)


@agency_app.command("add")
@handles_errors
def agency_add(ctx: typer.Context, code: str = typer.Argument(..., help="Short code, e.g. minzheng."),
               name: str = typer.Argument(..., help="Full name, e.g. 某区民政局.")) -> None:
    """Add an agency (platform officers only, or anyone before officers are registered)."""
    from workflow.usecases import agencies

    app, actor = _actor(ctx)
    agencies.add_agency(app.engine, actor, code, name)
    typer.echo(f"agency {code} added")


@agency_app.command("list")
@handles_errors
def agency_list(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """List the agencies."""
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
    name: str = typer.Argument(..., help="The officer's name as they identify (--officer / GONGKAI_OFFICER)."),
    agency: str = typer.Option(..., "--agency", help="The agency code the officer belongs to."),
    role: str = typer.Option("officer", "--role", help="officer, supervisor or platform."),
    email: str = typer.Option(None, "--email", help="For deadline alerts."),
) -> None:
    """Register an officer. The first one registered must be a platform officer."""
    from workflow.usecases import agencies

    app, actor = _actor(ctx)
    agencies.add_officer(app.engine, actor, name, agency, role, email)
    typer.echo(f"officer {name} ({role}) registered in {agency}")


@officer_app.command("list")
@handles_errors
def officer_list(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """List the officers and their roles."""
    from workflow.usecases import agencies

    app, _ = _actor(ctx)
    data = agencies.listing(app.engine)["officers"]
    if as_json:
        print_json(data)
    else:
        for o in data:
            typer.echo(f"{o['name']}\t{o['agency']}\t{o['role']}\t{o['email'] or ''}")


@db_app.command("upgrade")
@handles_errors
def db_upgrade(ctx: typer.Context) -> None:
    """Apply the schema migrations (a new database is created at the current schema)."""
    from workflow.store import db, schema

    engine = db.make_engine(state(ctx).db)
    before, after = schema.upgrade(engine)
    typer.echo(f"schema {before or '(new database)'} → {after}")


@db_app.command("status")
@handles_errors
def db_status(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """Where the database is, and whether its schema is current."""
    from workflow.store import db, schema

    engine = db.make_engine(state(ctx).db)
    data = {"url": engine.url.render_as_string(), "schema": schema.current(engine), "head": schema.HEAD}
    if as_json:
        print_json(data)
    else:
        typer.echo(f"{data['url']}\nschema {data['schema'] or '(empty)'}, current is {data['head']}")
