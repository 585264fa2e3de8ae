"""``drafter negotiations`` and ``drafter revisions`` commands: create negotiations; import, list, show and set revisions."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
import sqlalchemy as sa

from drafter.cliutil import find_negotiation, transactional
from drafter.drafting import services
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import Negotiation
from drafter.drafting.queries import latest_revision, load_versions, revision_by_label
from drafter.errors import InvalidInput
from drafter.extensions import db
from drafter.forms import parse_when
from drafter.text.masthead import FIELD_NAMES, Masthead, parse_date, printed_date


def parse_deadline(value: str) -> dt.datetime | None:
    """Return an ISO date-time as aware UTC (naive values are taken as UTC), or None."""
    return parse_when(value, "deadline (an ISO date-time such as 2026-12-01T18:00)")


#: the --options that set a revision's document identity, by Masthead field
_MASTHEAD_OPTIONS = (
    ("symbol", "--symbol", "Document symbol, e.g. A/C.2/80/L.58."),
    ("issued_on", "--date", 'Date of issue (2025-11-18 or "18 November 2025").'),
    ("distribution", "--distribution", "Distribution: Limited, General ..."),
    ("original_language", "--original", "Original language, e.g. English."),
    ("session_name", "--session", 'Session, e.g. "Eightieth session".'),
    ("committee", "--committee", 'Committee, e.g. "Second Committee"; "" for the plenary.'),
    ("agenda_item", "--agenda-item", 'Agenda item, e.g. "15" or "71 (b)".'),
    ("agenda_title", "--agenda-title", "The agenda item's title."),
    ("sponsor_line", "--sponsor-line", 'Sponsor line, e.g. "Iraq: draft resolution".'),
    ("title", "--title", "The document's title."),
    ("chapeau", "--chapeau", 'The chapeau, e.g. "The General Assembly,".'),
)


def masthead_options(command):
    """Add the document identity options to a command (each defaults to leaving the field as it is)."""
    for name, flag, text in reversed(_MASTHEAD_OPTIONS):
        command = click.option(flag, name, default=None, help=text)(command)
    return command


def masthead_changes(options: dict[str, str | None]) -> dict[str, object]:
    """Return the Masthead fields the options set, the date parsed as the web parses it."""
    changes: dict[str, object] = {}
    for name, flag, _ in _MASTHEAD_OPTIONS:
        value = options.get(name)
        if value is None:
            continue
        if name == "issued_on":
            day = parse_date(value) if value.strip() else None
            if value.strip() and day is None:
                raise InvalidInput(f"{flag} {value!r} is not a date (write 2025-11-18 or 18 November 2025).")
            changes[name] = day
        else:
            changes[name] = value
    return changes


def _echo_masthead(masthead: Masthead) -> None:
    for name, value in masthead.filled().items():
        shown = (
            printed_date(value)
            if isinstance(value, dt.date)
            else "; ".join(value)
            if isinstance(value, tuple)
            else value
        )
        click.echo(f"  {FIELD_NAMES.get(name, 'title-block footnotes')}: {shown}")


@click.group("negotiations")
def negotiations_cli() -> None:
    """Manage negotiations."""


@negotiations_cli.command("create")
@click.argument("slug")
@click.option("--title", required=True)
@click.option("--symbol", default="", help="Document symbol, e.g. A/81/L.12.")
@transactional
def create_negotiation(slug: str, title: str, symbol: str) -> None:
    """Create a negotiation."""
    n = services.create_negotiation(db.session, None, slug=slug, title=title, symbol=symbol)
    click.echo(f"Created negotiation {n.slug}: {n.title}")


@negotiations_cli.command("list")
@transactional
def list_negotiations() -> None:
    """List negotiations."""
    for n in db.session.scalars(sa.select(Negotiation).order_by(Negotiation.slug)):
        latest = n.revisions[-1] if n.revisions else None
        click.echo(
            f"{n.slug:30} {n.title[:60]:60} {latest.label + ' (' + latest.state.label + ')' if latest else 'no revision'}"
        )


@click.group("revisions")
def revisions_cli() -> None:
    """Import, list and show revisions, and set their document identity."""


@revisions_cli.command("import")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--label", required=True, help='The revision label, e.g. "Zero draft" or "Rev.1".')
@click.option("--circulate", is_flag=True, help="Circulate the revision at once.")
@click.option("--deadline", default="", help="Proposal deadline (ISO date-time, UTC unless a zone is given).")
@click.option(
    "--identical-ok",
    is_flag=True,
    help="Circulate even when the text is identical to the previous revision (its open proposals close).",
)
@masthead_options
@transactional
def import_command(
    slug: str, file: Path, label: str, circulate: bool, deadline: str, identical_ok: bool, **identity: str | None
) -> None:
    """Import a revision from a .txt file (blocks separated by blank lines) or a .docx file.

    Its document identity is read from its masthead, the rest inherited from the latest
    revision; the options replace what was read.
    """
    from drafter.importing.services import masthead_for, read_draft
    from drafter.lifecycle import services as lifecycle  # the command line sits above every layer

    negotiation = find_negotiation(slug)
    when = parse_deadline(deadline)
    changes = masthead_changes(identity)
    draft = read_draft(file.name, file.read_bytes())
    for w in draft.warnings:
        click.echo(f"warning: {w}", err=True)
    for s in draft.skipped:
        click.echo(f"skipped: {s}", err=True)
    masthead, unread = masthead_for(db.session, negotiation, draft)
    for line in unread:
        click.echo(f"masthead: {line}", err=True)
    previous = latest_revision(db.session, negotiation)
    revision = services.import_revision(
        db.session, None, negotiation, label=label, paragraphs=draft.paragraphs, masthead=masthead.merged(**changes)
    )
    kinds: dict[str, int] = {}
    for v in revision.versions:
        kinds[v.kind.value] = kinds.get(v.kind.value, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in kinds.items())
    click.echo(f"Imported {revision.label}: {len(revision.versions)} paragraphs ({summary}).")
    if previous is not None:
        kept = sum(1 for v in revision.versions if any(o.paragraph_id == v.paragraph_id for o in previous.versions))
        click.echo(f"Matched {kept} paragraphs with {previous.label}; {len(revision.versions) - kept} new.")
    _echo_masthead(revision.masthead)
    if circulate:
        lifecycle.circulate(db.session, None, revision, deadline=when, confirm_identical=identical_ok)
        click.echo(f"Circulated {revision.label}" + (f"; proposals due {when:%Y-%m-%d %H:%M} UTC." if when else "."))


@revisions_cli.command("set")
@click.argument("slug")
@click.argument("label")
@masthead_options
@transactional
def set_command(slug: str, label: str, **identity: str | None) -> None:
    """Change a revision's document identity: symbol, date, masthead, sponsor line, title, chapeau."""
    negotiation = find_negotiation(slug)
    revision = revision_by_label(db.session, negotiation, label)
    if revision is None:
        raise InvalidInput(f"{negotiation.slug} has no revision labelled {label!r}.")
    changes = masthead_changes(identity)
    if not changes:
        raise InvalidInput("Name at least one field to change, e.g. --symbol A/C.2/80/L.58 (see --help).")
    services.set_masthead(db.session, None, revision, revision.masthead.merged(**changes))
    click.echo(f"{revision.label}:")
    _echo_masthead(revision.masthead)


@revisions_cli.command("list")
@click.argument("slug")
@transactional
def list_command(slug: str) -> None:
    """List a negotiation's revisions."""
    negotiation = find_negotiation(slug)
    for r in negotiation.revisions:
        deadline = f"  proposals due {r.proposal_deadline:%Y-%m-%d %H:%M} UTC" if r.proposal_deadline else ""
        click.echo(f"{r.seq:3}  {r.label:20} {r.state.label:15} {len(r.versions):4} paragraphs{deadline}")


@revisions_cli.command("show")
@click.argument("slug")
@click.argument("label")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@transactional
def show_command(slug: str, label: str, as_json: bool) -> None:
    """Print a revision's paragraphs in order with lineage id, kind, number, status and text."""
    negotiation = find_negotiation(slug)
    revision = revision_by_label(db.session, negotiation, label)
    if revision is None:
        raise InvalidInput(f"{negotiation.slug} has no revision labelled {label!r}.")
    versions = load_versions(db.session, revision)
    refs = revision_refs(versions)
    rows = [
        {
            "lineage_id": v.paragraph_id,
            "ref": refs[v.id],
            "kind": v.kind.value,
            "level": v.level,
            "number_label": v.number_label,
            "status": v.status.value,
            "status_note": v.status_note,
            "text": v.text,
        }
        for v in versions
    ]
    if as_json:
        click.echo(
            json.dumps(
                {
                    "negotiation": negotiation.slug,
                    "label": revision.label,
                    "state": revision.state.value,
                    "paragraphs": rows,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(f"{negotiation.title}\n{revision.label} ({revision.state.label})\n")
    for r in rows:
        status = f" [{r['status'].replace('_', ' ')}]" if r["status"] != "none" else ""
        click.echo(f"P{r['lineage_id']:<5} {r['ref']:10} {r['text']}{status}")
