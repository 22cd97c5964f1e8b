"""`python -m assist ...`: thin commands over the core. Core errors become friendly messages."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import click
from sqlalchemy import Engine

from assist.config import get_settings
from assist.errors import AssistError

P = ParamSpec("P")
R = TypeVar("R")


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn an AssistError into a one-line message and exit status 1 instead of a traceback."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except AssistError as e:
            raise click.ClickException(str(e)) from e

    return wrapper


def _engine(url: str | None) -> Engine:
    from assist.store import make_engine, upgrade

    engine = make_engine(url or get_settings().database_url)
    upgrade(engine)
    return engine


@click.group()
def main() -> None:
    """Assist Console: agent-assist workspace for customer support teams."""


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--url", help="Database URL (default: DATABASE_URL).")
@friendly_errors
def db_upgrade(url: str | None) -> None:
    """Create the schema or upgrade it to the latest version, keeping data."""
    engine = _engine(url)
    click.echo(f"Schema is up to date at {engine.url.render_as_string(hide_password=True)}")


@main.command("seed-demo")
@click.option("--url", help="Database URL (default: DATABASE_URL).")
@click.option("--reset", is_flag=True, help="Delete everything in the database first.")
@click.option("--seed", default=7, show_default=True, help="Random seed; the same seed gives the same workspace.")
@friendly_errors
def seed_demo(url: str | None, reset: bool, seed: int) -> None:
    """Create the demo workspace (skipped when the database already holds tickets)."""
    from assist.demo import seed_demo as seed_workspace

    if reset:
        click.confirm("This deletes every ticket, customer and user in the database. Continue?", abort=True)
    summary = seed_workspace(_engine(url), seed=seed, reset=reset)
    verb = "Created" if summary.created else "Already present (use --reset to recreate):"
    click.echo(
        f"{verb} demo workspace: {summary.customers} customers, {summary.tickets} tickets, {summary.users} users"
    )


@main.command("bench")
@click.argument("names", nargs=-1)
@click.option("--tickets", type=int, help="Workspace size for inbox-style benchmarks.")
@friendly_errors
def bench(names: tuple[str, ...], tickets: int | None) -> None:
    """Run benchmarks (all when no NAME is given) and print one JSON object per line."""
    from assist.bench import BENCHMARKS

    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        raise click.BadParameter(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    for name in names or tuple(BENCHMARKS):
        options: dict[str, Any] = {"tickets": tickets} if tickets else {}
        click.echo(json.dumps({"bench": name, **BENCHMARKS[name](**options)}))
