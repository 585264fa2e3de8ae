"""``drafter notifications`` commands: send the outbox from cron, beside or instead of the app's own sender."""

from __future__ import annotations

import click

from drafter.extensions import db
from drafter.notifications import sender


@click.group("notifications")
def notifications_cli() -> None:
    """Send notification mails."""


@notifications_cli.command("send")
def send_command() -> None:
    """Write the proposal summaries and silence ends that are due, then send every mail that is due.

    Safe to run while the app's own senders run, and from several machines at once.
    """
    try:
        outcome = sender.run_once(db.session)
    except BaseException:
        db.session.rollback()
        raise
    click.echo(
        f"{outcome.told} summar{'ies' if outcome.told != 1 else 'y'} or silence ends written; "
        f"{outcome.sent} sent, {outcome.retried} to retry, {outcome.failed} failed."
    )
