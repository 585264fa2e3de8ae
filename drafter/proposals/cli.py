"""``drafter proposals`` commands."""

from __future__ import annotations

import click


@click.group("proposals")
def proposals_cli() -> None:
    """List and import delegations' proposals."""
