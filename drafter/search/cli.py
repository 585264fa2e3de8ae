"""``drafter search SLUG "QUERY"``: the search page's results in the terminal, or as JSON."""

from __future__ import annotations

import json

import click
import sqlalchemy as sa

from drafter.auth.models import User
from drafter.cliutil import find_delegation, find_negotiation, transactional
from drafter.drafting.queries import revision_by_label
from drafter.errors import InvalidInput
from drafter.extensions import db
from drafter.proposals.models import ProposalKind, ProposalState
from drafter.search import index
from drafter.search.services import Filters, Results, as_data, search


@click.command("search")
@click.argument("slug")
@click.argument("query", default="")
@click.option("--as", "email", default="", help="Find only what this account may read (default: everything).")
@click.option("--revision", "label", default="", help='Only in this revision, e.g. "Rev.1".')
@click.option("--delegation", default="", help="Only proposals by this delegation.")
@click.option("--kind", type=click.Choice([k.value for k in ProposalKind]), help="Only proposals of this kind.")
@click.option("--state", type=click.Choice([s.value for s in ProposalState]), help="Only proposals in this state.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--rebuild", is_flag=True, help="Build the negotiation's search index again from its texts.")
@transactional
def search_command(
    slug: str,
    query: str,
    email: str,
    label: str,
    delegation: str,
    kind: str | None,
    state: str | None,
    as_json: bool,
    rebuild: bool,
) -> None:
    """Search a negotiation's revisions, proposals, justifications and decision notes."""
    negotiation = find_negotiation(slug)
    if rebuild:
        click.echo(f"Indexed {index.rebuild(db.session, negotiation.id)} texts of {negotiation.slug}.")
        return
    who = None
    if email:
        who = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
        if who is None:
            raise InvalidInput(f"No account has the address {email!r}.")
    revision = None
    if label:
        revision = revision_by_label(db.session, negotiation, label)
        if revision is None:
            raise InvalidInput(f"{negotiation.slug} has no revision labelled {label!r}.")
    filters = Filters(
        revision=revision,
        delegation=find_delegation(delegation) if delegation else None,
        kind=ProposalKind(kind) if kind else None,
        state=ProposalState(state) if state else None,
    )
    results = search(db.session, who, negotiation, query, filters, everything=who is None)
    if as_json:
        click.echo(json.dumps({"negotiation": negotiation.slug, **as_data(results)}, ensure_ascii=False, indent=2))
        return
    _print(results)


def _print(results: Results) -> None:
    if results.message:
        click.echo(results.message)
        return
    if not results.hits:
        click.echo("Nothing holds these words.")
        return
    for hit in results.hits:
        places = ", ".join(
            f"{s.ref} of {s.first.label}" + (f" to {s.last.label}" if s.last is not s.first else "") for s in hit.spans
        )
        click.echo(places or hit.heading)
        for s in hit.snippets:
            where = s.revision.label
            if s.proposal is not None:
                p = s.proposal
                where = f"proposal #{p.id} by {p.delegation.name} ({p.kind.label}, {p.state.label}) on {where}"
            same = f" (the same in {', '.join(r.label for r in s.also)})" if s.also else ""
            click.echo(f"  {where} · {s.what}{same}: {s.text}")
        if hit.more:
            click.echo(f"  and {hit.more} more")
    shown = f"{len(results.hits)} place" + ("" if len(results.hits) == 1 else "s")
    click.echo(f"{shown}; more matched: add words or a filter." if results.truncated else f"{shown}.")
