"""``drafter backup`` and ``drafter restore``: one negotiation in one file, into any Drafter database."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from drafter.backup.service import Restored, create_backup, restore_backup
from drafter.cliutil import find_negotiation, transactional
from drafter.exporting.services import write_atomically
from drafter.extensions import db


def _export_dir() -> Path:
    return Path(current_app.config["EXPORT_DIR"])


def _counts(rows: dict[str, int]) -> str:
    return ", ".join(f"{table.replace('_', ' ')} {n}" for table, n in rows.items())


@click.command("backup")
@click.argument("slug")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The backup file to write."
)
@click.option(
    "--with-accounts",
    is_flag=True,
    help="Include the accounts' password hashes, so that people can sign in after a restore elsewhere.",
)
@transactional
def backup_command(slug: str, output: Path, with_accounts: bool) -> None:
    """Write one file holding a negotiation: its record, its members and its archived exports."""
    negotiation = find_negotiation(slug)
    backup = create_backup(db.session, negotiation, export_dir=_export_dir(), with_accounts=with_accounts)
    try:
        write_atomically(output, backup.data)  # a crash never leaves half a backup under the final name
    except OSError as e:
        raise click.ClickException(f"Cannot write {output}: {e.strerror or e}.") from None
    click.echo(f"Wrote {output} ({len(backup.data):,} bytes, sha256 {backup.sha256}).")
    click.echo(f"Rows: {_counts(backup.rows)}; {backup.files} export files.")
    if not with_accounts:
        click.echo(
            "Passwords are not included: accounts created by a restore elsewhere stay locked until an "
            "administrator resets them (use --with-accounts to include them)."
        )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--as",
    "new_slug",
    default=None,
    metavar="NEW_SLUG",
    help="Restore under another short name, beside a negotiation that has the original one.",
)
def restore_command(file: Path, new_slug: str | None) -> None:
    """Load a negotiation from a backup file into this database, in one transaction."""
    created: list[Path] = []

    @transactional
    def run() -> Restored:
        restored = restore_backup(db.session, None, file.read_bytes(), export_dir=_export_dir(), slug=new_slug)
        created.extend(restored.files_written)
        return restored

    try:
        restored = run()
    except BaseException:
        for path in created:  # the rows were rolled back: leave no file they would have pointed to
            path.unlink(missing_ok=True)
        raise
    click.echo(
        f"Restored {restored.negotiation.slug}. Rows: {_counts(restored.rows)}; "
        f"{len(restored.files_written)} export files written."
    )
    for table, (matched, new) in restored.shared.items():
        click.echo(f"{table.capitalize()}: {matched} matched with existing ones, {new} created.")
    if restored.locked_accounts:
        click.echo(
            f"The {len(restored.locked_accounts)} accounts created have no password and are inactive (the "
            "backup was made without --with-accounts); an administrator must set a password and activate each "
            "before its owner can sign in: " + ", ".join(restored.locked_accounts)
        )
