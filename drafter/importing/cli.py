"""``drafter proposals import``: a delegation's tracked .docx or amendment document as proposals."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from drafter.cliutil import find_delegation, find_negotiation, transactional
from drafter.drafting.models import Revision
from drafter.drafting.queries import latest_revision, revision_by_label
from drafter.errors import InvalidInput
from drafter.extensions import db
from drafter.importing.docx import docx_limits
from drafter.importing.proposals import ProposalPlan, plan_upload, submit_plan
from drafter.text.clean import excerpt


def _revision(negotiation, label: str) -> Revision:
    if label:
        revision = revision_by_label(db.session, negotiation, label)
        if revision is None:
            raise InvalidInput(f"{negotiation.slug} has no revision labelled {label!r}.")
        return revision
    revision = latest_revision(db.session, negotiation, public_only=True)
    if revision is None:
        raise InvalidInput(f"{negotiation.slug} has no circulated revision to propose on.")
    return revision


def _short(text: str) -> str:
    return excerpt(" ".join(text.split()), 90)


def _print_plan(plan: ProposalPlan, revision: Revision, delegation_name: str) -> None:
    click.echo(f"{plan.filename}: {len(plan.proposals)} proposals for {delegation_name} on {revision.label}.")
    for planned in plan.proposals:
        authors = ", ".join(planned.meta.get("authors", []))
        by = (
            f"  [{authors}{', ' + planned.meta['last_date'][:10] if planned.meta.get('last_date') else ''}]"
            if authors
            else ""
        )
        words = f": {_short(planned.text)}" if planned.text else ""
        click.echo(f"  {planned.kind.label} {planned.where}{words}{by}")
        if planned.note:
            click.echo(f"    note: {planned.note}")
    for w in plan.warnings:
        click.echo(f"warning: {w}", err=True)
    for m in plan.mismatches:
        click.echo(
            f"does not match: {m.where}: {m.message}" + (f" File: {_short(m.found)}" if m.found else ""), err=True
        )
    for problem in plan.problems:
        click.echo(f"problem: {problem}", err=True)


@click.command("import")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--delegation", "delegation_name", required=True, help="The delegation the proposals are from.")
@click.option("--revision", "label", default="", help="The circulated revision they are on (default: the latest).")
@click.option(
    "--partial",
    is_flag=True,
    help="Submit what could be read even when some paragraphs do not match or some instructions were not applied.",
)
@click.option("--dry-run", is_flag=True, help="Print what would be submitted, and submit nothing.")
@transactional
def import_command(slug: str, file: Path, delegation_name: str, label: str, partial: bool, dry_run: bool) -> None:
    """Import a delegation's proposals from a tracked Word file (.docx) or an amendment document (.docx, .txt)."""
    negotiation = find_negotiation(slug)
    delegation = find_delegation(delegation_name)
    revision = _revision(negotiation, label)
    limits = docx_limits(current_app.config)
    if file.stat().st_size > limits.max_bytes:
        raise InvalidInput(f"{file.name} is larger than {limits.max_bytes // (1024 * 1024)} MB.")
    plan = plan_upload(db.session, revision, delegation, file.name, file.read_bytes(), limits=limits)
    _print_plan(plan, revision, delegation.name)
    if not plan.proposals:
        raise InvalidInput("Nothing was imported: the file holds no proposal that can be submitted.")
    if not plan.complete and not partial:
        raise InvalidInput(
            f"Nothing was imported: {len(plan.mismatches)} paragraphs do not match {revision.label} and "
            f"{len(plan.problems)} other problems were found (listed above). Run again with --partial to submit "
            f"the {len(plan.proposals)} proposals that could be read."
        )
    if dry_run:
        click.echo("Dry run: nothing was submitted.")
        return
    submitted = submit_plan(db.session, None, revision, delegation, plan)
    click.echo(f"Submitted {len(submitted)} proposals for {delegation.name} on {revision.label}.")
