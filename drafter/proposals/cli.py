"""``drafter proposals`` commands.

Other domains add subcommands to this group (``proposals import`` lives with the importers):
keep the group's name and import it from here.
"""

from __future__ import annotations

import dataclasses
import json
import textwrap

import click

from drafter.cliutil import find_delegation, find_negotiation, transactional
from drafter.drafting.models import RevisionState
from drafter.drafting.queries import revision_by_label
from drafter.errors import InvalidInput
from drafter.extensions import db
from drafter.proposals.queries import ProposalRecord, proposal_records


@click.group("proposals")
def proposals_cli() -> None:
    """List and import delegations' proposals."""


@proposals_cli.command("list")
@click.argument("slug")
@click.option("--revision", "label", default="", help='Only the proposals on this revision, e.g. "Rev.1".')
@click.option("--delegation", default="", help="Only the proposals this delegation made or co-sponsors.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@transactional
def list_command(slug: str, label: str, delegation: str, as_json: bool) -> None:
    """List proposals with delegation, co-sponsors, paragraph, kind, state, base and proposed text."""
    negotiation = find_negotiation(slug)
    if label:
        revision = revision_by_label(db.session, negotiation, label)
        if revision is None:
            raise InvalidInput(f"{negotiation.slug} has no revision labelled {label!r}.")
        revisions = [revision]
    else:
        revisions = [r for r in negotiation.revisions if r.state is not RevisionState.WORKING]
    d = find_delegation(delegation) if delegation else None
    records = proposal_records(db.session, revisions, delegation_id=d.id if d else None)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "negotiation": negotiation.slug,
                    "revision": revisions[0].label if label else None,
                    "delegation": d.name if d else None,
                    "proposals": [dataclasses.asdict(r) for r in records],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not records:
        click.echo(
            "No proposals" + (f" by {d.name}" if d else "") + (f" on {revisions[0].label}" if label else "") + "."
        )
        return
    for r in records:
        click.echo(_human(r))
    click.echo(f"{len(records)} proposal{'s' if len(records) != 1 else ''}.")


def _human(r: ProposalRecord) -> str:
    """Return a proposal as a few lines for a terminal."""
    who = r.delegation + (f", co-sponsored by {', '.join(r.cosponsors)}" if r.cosponsors else "")
    if r.kind == "insert":
        where = f"{r.ref} (" + (f"after P{r.paragraph_id}" if r.paragraph_id else "at the start") + ")"
    else:
        where = f"{r.ref} (P{r.paragraph_id}" + (f", no. {r.number_label}" if r.number_label else "") + ")"
    lines = [f"#{r.id:<5} {r.revision:12} {where:24} {r.kind:7} {r.state:26} {who}"]
    for name, value in (("base", r.base_text), ("proposed", r.proposed_text)):
        if value:
            lines.append(
                textwrap.indent(
                    textwrap.fill(value, width=100, initial_indent=f"{name + ':':10}", subsequent_indent=" " * 10),
                    "       ",
                )
            )
    for name, people in (("supported", r.supporters), ("opposed", r.opponents)):
        if people:
            lines.append(f"       {name + ':':10}{', '.join(people)}")
    return "\n".join(lines) + "\n"


def _add_import_command() -> None:
    """Add ``proposals import``, which lives with the importers (drafter/importing/cli.py)."""
    from drafter.importing.cli import import_command

    proposals_cli.add_command(import_command)


_add_import_command()
