"""The ``drafter`` command: Flask's CLI for this app, plus Drafter's own commands."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import FlaskGroup

from drafter.cliutil import transactional
from drafter.extensions import db


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Load the demo only when the database has no negotiation yet.")
@transactional
def demo_command(if_empty: bool) -> None:
    """Load the demo negotiation and its accounts (does nothing if it is there already)."""
    import sqlalchemy as sa

    from drafter.demo import ACCOUNTS, PASSWORD, SLUG, load_demo
    from drafter.drafting.models import Negotiation

    if if_empty and db.session.scalar(sa.select(Negotiation.id).limit(1)) is not None:
        click.echo("The database already holds a negotiation; the demo was not loaded.")
        return
    if load_demo(db.session):
        click.echo(f"Loaded the demo negotiation '{SLUG}'. Accounts (password: {PASSWORD}):")
    else:
        click.echo(f"The demo negotiation '{SLUG}' is already loaded. Accounts (password: {PASSWORD}):")
    for a in ACCOUNTS:
        click.echo(f"  {a.email:38} {a.description}")


def register_cli(app: Flask) -> None:
    """Add Drafter's commands to the app's CLI."""
    from drafter.auth.cli import delegations_cli, tokens_cli, users_cli
    from drafter.backup.cli import backup_command, restore_command
    from drafter.drafting.cli import negotiations_cli, revisions_cli
    from drafter.exporting.cli import export_cli
    from drafter.notifications.cli import notifications_cli
    from drafter.proposals.cli import proposals_cli
    from drafter.search.cli import search_command

    for command in (
        demo_command,
        users_cli,
        tokens_cli,
        delegations_cli,
        negotiations_cli,
        revisions_cli,
        proposals_cli,
        export_cli,
        notifications_cli,
        backup_command,
        restore_command,
        search_command,
    ):
        app.cli.add_command(command)


def _create_app() -> Flask:
    from drafter import create_app

    return create_app()


@click.group(
    cls=FlaskGroup, create_app=_create_app, help="Drafter: negotiate an outcome document from zero draft to adoption."
)
def main_group() -> None:
    pass


def main() -> None:
    """Entry point of the ``drafter`` console script."""
    main_group(prog_name="drafter", args=sys.argv[1:])
