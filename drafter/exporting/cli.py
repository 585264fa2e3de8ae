"""``drafter export`` commands: write Word and Akoma Ntoso files and keep them in the archive."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from drafter.cliutil import find_negotiation, transactional
from drafter.drafting.models import Negotiation, Revision
from drafter.drafting.queries import revision_by_label
from drafter.errors import InvalidInput
from drafter.exporting import services
from drafter.extensions import db


def _revision(negotiation: Negotiation, label: str) -> Revision:
    revision = revision_by_label(db.session, negotiation, label)
    if revision is None:
        labels = ", ".join(r.label for r in negotiation.revisions) or "none"
        raise InvalidInput(f"{negotiation.slug} has no revision labelled {label!r} (it has: {labels}).")
    return revision


def _write(
    export: services.Export, output: Path, revision: Revision, from_revision: Revision | None, options: dict
) -> None:
    try:
        services.write_atomically(output, export.data)  # never half a file under the name asked for
        services.archive(
            db.session,
            None,
            export,
            export_dir=Path(current_app.config["EXPORT_DIR"]),
            revision=revision,
            from_revision=from_revision,
            options=options,
        )
    except OSError as e:
        raise click.ClickException(
            f"Could not write the file ({e.strerror or e}). Nothing was recorded in the archive."
        ) from None
    click.echo(f"Wrote {output} ({len(export.data):,} bytes, sha256 {export.sha256}).")


@click.group("export")
def export_cli() -> None:
    """Write Word files (clean, tracked, compilation) and Akoma Ntoso XML."""


@export_cli.command("clean")
@click.argument("slug")
@click.option("--revision", "label", required=True, help="The revision's label.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--status", is_flag=True, help="Show paragraph statuses.")
@transactional
def clean(slug: str, label: str, output: Path, status: bool) -> None:
    """Write the clean .docx of a revision."""
    revision = _revision(find_negotiation(slug), label)
    _write(
        services.clean_export(db.session, revision, show_status=status), output, revision, None, {"show_status": status}
    )


@export_cli.command("tracked")
@click.argument("slug")
@click.option("--from", "old_label", required=True, help="The older revision.")
@click.option("--to", "new_label", required=True, help="The newer revision.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--author", default=services.DEFAULT_AUTHOR, show_default=True, help="Author of the tracked changes.")
@transactional
def tracked(slug: str, old_label: str, new_label: str, output: Path, author: str) -> None:
    """Write the newer revision with Word track changes against the older one."""
    negotiation = find_negotiation(slug)
    old, new = _revision(negotiation, old_label), _revision(negotiation, new_label)
    _write(services.tracked_export(db.session, old, new, author=author), output, new, old, {"author": author})


@export_cli.command("compilation")
@click.argument("slug")
@click.option("--revision", "label", required=True, help="The circulated revision.")
@click.option("--style", type=click.Choice(["formatted", "tracked"]), default="formatted", show_default=True)
@click.option("--only-with-proposals", is_flag=True, help="Leave out the paragraphs that have no proposal.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@transactional
def compilation(slug: str, label: str, style: str, only_with_proposals: bool, output: Path) -> None:
    """Write the compilation of proposals on a revision (withdrawn proposals left out)."""
    revision = _revision(find_negotiation(slug), label)
    export = services.compilation_export(
        db.session,
        revision,
        style=style,  # type: ignore[arg-type]
        only_with_proposals=only_with_proposals,
    )
    _write(export, output, revision, None, {"style": style, "only_with_proposals": only_with_proposals})


@export_cli.command("akn")
@click.argument("slug")
@click.option("--revision", "label", required=True, help="The revision's label.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@transactional
def akn(slug: str, label: str, output: Path) -> None:
    """Write a revision as Akoma Ntoso 3.0 XML (AKN4UN for General Assembly resolutions)."""
    revision = _revision(find_negotiation(slug), label)
    _write(services.akn_export(db.session, revision), output, revision, None, {})
