"""Search a negotiation: what the user may read, found by the database's own engine, grouped by paragraph.

The results are plain data (``drafter.search.results``); ``as_data`` is re-exported for the command line.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from drafter.auth.models import Delegation, User
from drafter.auth.permissions import ProposalScope, can_read_revision, own_delegation, proposal_scope
from drafter.drafting.models import Negotiation, ParagraphVersion, Revision
from drafter.proposals.models import Proposal, ProposalKind, ProposalPosition, ProposalState
from drafter.search.index import PG_CONFIGS
from drafter.search.models import FTS_TABLE, SearchEntry
from drafter.search.query import Term, parse, pieces
from drafter.search.results import Hit, Place, Results, Snippet, as_data
from drafter.text import footnotes
from drafter.text.numbering import paragraph_refs

MAX_MATCHES = 2_000  #: the most matching texts read for one search
MAX_HITS = 25  #: the most paragraphs (and proposals on no paragraph) shown
MAX_SNIPPETS = 6  #: the most matching texts shown for one paragraph


@dataclass(frozen=True)
class Filters:
    """What a search is narrowed to; None is every one. Delegation, kind and state concern proposals only."""

    revision: Revision | None = None
    delegation: Delegation | None = None
    kind: ProposalKind | None = None
    state: ProposalState | None = None

    @property
    def proposals_only(self) -> bool:
        """Return True when a filter leaves the revisions' own text out."""
        return self.delegation is not None or self.kind is not None or self.state is not None


# -- the engine


def _engine_match(session: Session, terms: tuple[Term, ...]) -> sa.ColumnElement[bool]:
    """Return the condition that a search entry holds every term, in the engine's own language."""
    if session.get_bind().dialect.name == "postgresql":
        parts = []
        for t in terms:
            if len(t.words) > 1:
                parts.append(sa.func.phraseto_tsquery(sa.literal_column("'simple'::regconfig"), " ".join(t.words)))
            elif t.prefix:
                parts.append(sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), t.words[0] + ":*"))
            else:
                alts = [sa.func.plainto_tsquery(sa.literal_column(f"'{c}'::regconfig"), t.words[0]) for c in PG_CONFIGS]
                alt = alts[0]
                for a in alts[1:]:
                    alt = alt.op("||")(a)
                parts.append(alt)
        query = parts[0]
        for p in parts[1:]:
            query = query.op("&&")(p)
        return SearchEntry.tsv.op("@@")(query)
    # FTS5: every term a quoted phrase (words hold no quote), so no typed operator reaches it
    expr = " ".join('"' + " ".join(t.words) + '"' + ("*" if t.prefix else "") for t in terms)
    fts_ids = (
        sa.select(sa.literal_column("rowid"))
        .select_from(sa.table(FTS_TABLE))
        .where(sa.literal_column(FTS_TABLE).op("MATCH")(expr))
    )
    return SearchEntry.id.in_(fts_ids)


def _visibility(
    user: User | None, negotiation: Negotiation, revisions: list[Revision], filters: Filters, everything: bool
) -> sa.ColumnElement[bool]:
    """Return the condition that the user may read a search entry under the negotiation's rules."""
    readable = [r.id for r in revisions]
    all_scope, own_scope = [], []
    for r in revisions:
        scope = ProposalScope.ALL if everything else proposal_scope(user, r)
        if scope is ProposalScope.ALL:
            all_scope.append(r.id)
        elif scope is ProposalScope.OWN:
            own_scope.append(r.id)
    e = SearchEntry
    proposal_ok: list[sa.ColumnElement[bool]] = [e.revision_id.in_(all_scope)] if all_scope else []
    own = own_delegation(user, negotiation)
    if own_scope and own is not None:
        positioned = sa.select(ProposalPosition.proposal_id).where(ProposalPosition.delegation_id == own.id)
        proposal_ok.append(
            sa.and_(e.revision_id.in_(own_scope), sa.or_(e.delegation_id == own.id, e.proposal_id.in_(positioned)))
        )
    of_proposals = sa.and_(e.proposal_id.is_not(None), sa.or_(*proposal_ok) if proposal_ok else sa.false())
    of_text = sa.and_(e.version_id.is_not(None), e.revision_id.in_(readable))
    parts = [of_proposals] if filters.proposals_only else [of_text, of_proposals]
    return sa.or_(*parts)


def _matching(
    session: Session,
    user: User | None,
    negotiation: Negotiation,
    revisions: list[Revision],
    terms: tuple[Term, ...],
    filters: Filters,
    everything: bool,
) -> list[Any]:
    e = SearchEntry
    q = sa.select(e.id, e.revision_id, e.paragraph_id, e.version_id, e.proposal_id, e.field).where(
        e.negotiation_id == negotiation.id,
        _engine_match(session, terms),
        _visibility(user, negotiation, revisions, filters, everything),
    )
    if filters.revision is not None:
        q = q.where(e.revision_id == filters.revision.id)
    if filters.delegation is not None:
        q = q.where(e.delegation_id == filters.delegation.id)
    if filters.kind is not None:
        q = q.where(e.proposal_kind == filters.kind.value)
    if filters.state is not None:
        q = q.where(e.proposal_state == filters.state.value)
    # the latest revisions first: beyond the limit, what is left out is the oldest
    return list(session.execute(q.order_by(e.revision_id.desc(), e.id).limit(MAX_MATCHES)))


# -- grouping and printing


#: the references of circulated revisions' versions, per database engine, by revision: a
#: circulated revision never changes (its state or circulation date changes the key), so a
#: search reads each one's 200 paragraphs once per process instead of once per query
_REFS: weakref.WeakKeyDictionary[Any, OrderedDict[tuple[Any, ...], dict[int, str]]] = weakref.WeakKeyDictionary()
_REFS_KEPT = 256  #: revisions kept per engine


def _refs(session: Session, revisions: list[Revision]) -> dict[int, str]:
    """Return the short reference of every version of these revisions, by version id."""
    cache = _REFS.setdefault(session.get_bind(), OrderedDict())
    refs: dict[int, str] = {}
    missing: dict[int, tuple[Any, ...] | None] = {}
    for r in revisions:
        key = None if r.state.is_working else (r.id, r.state.value, r.circulated_at)
        if key is not None and key in cache:
            cache.move_to_end(key)
            refs |= cache[key]
        else:
            missing[r.id] = key
    if not missing:
        return refs
    v = ParagraphVersion
    heading_text = sa.case((v.kind == "heading", v.text), else_="")
    q = (
        sa.select(v.id, v.revision_id, v.kind, v.level, heading_text)
        .where(v.revision_id.in_(missing))
        .order_by(v.revision_id, v.position)
    )
    by_revision: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(q):
        by_revision[row.revision_id].append(row)
    for revision_id, rows in by_revision.items():
        found = {row.id: ref for row, ref in zip(rows, paragraph_refs([(r.kind, r.level, r[4] or "") for r in rows]))}
        refs |= found
        key = missing[revision_id]
        if key is not None:
            cache[key] = found
            while len(cache) > _REFS_KEPT:
                cache.popitem(last=False)
    return refs


def search(
    session: Session,
    user: User | None,
    negotiation: Negotiation,
    typed: str,
    filters: Filters | None = None,
    *,
    everything: bool = False,
) -> Results:
    """Return what the user may read in the negotiation that holds every word and phrase of ``typed``.

    ``everything`` (the command line, run by whoever runs the server, with no user) reads every
    revision and proposal.

    Raise InvalidInput when the query is too long; a query with no word in it (only operators,
    quotes or punctuation) finds nothing and says why.
    """
    filters = filters or Filters()
    terms = parse(typed)
    if not terms:
        return Results(typed, terms, [], 0, False, "Type one or more words to search for.")
    revisions = [r for r in negotiation.revisions if everything or can_read_revision(user, r)]
    if not revisions:
        return Results(typed, terms, [], 0, False)
    rows = _matching(session, user, negotiation, revisions, terms, filters, everything)
    seq = {r.id: r.seq for r in revisions}
    groups: dict[tuple[str, int], list[Any]] = defaultdict(list)
    for row in rows:
        key = ("p", row.paragraph_id) if row.paragraph_id is not None else ("x", row.proposal_id)
        groups[key].append(row)
    ordered = sorted(groups.items(), key=lambda kv: (-max(seq[r.revision_id] for r in kv[1]), kv[0][0], kv[0][1]))
    shown = ordered[:MAX_HITS]
    hits = _build(session, revisions, terms, shown)
    return Results(typed, terms, hits, len(rows), len(ordered) > MAX_HITS or len(rows) >= MAX_MATCHES)


def _build(session: Session, revisions: list[Revision], terms: tuple[Term, ...], shown: list[Any]) -> list[Hit]:
    """Return the hits shown: each paragraph's places, its matching texts (each distinct text once)."""
    by_id = {r.id: r for r in revisions}
    paragraph_ids = {key[1] for key, _ in shown if key[0] == "p"}
    proposal_ids = {row.proposal_id for _, rows in shown for row in rows if row.proposal_id is not None}
    version_ids = {row.version_id for _, rows in shown for row in rows if row.version_id is not None}
    v = ParagraphVersion
    places = (
        list(
            session.execute(
                sa.select(v.id, v.paragraph_id, v.revision_id).where(
                    v.paragraph_id.in_(paragraph_ids), v.revision_id.in_(by_id)
                )
            )
        )
        if paragraph_ids
        else []
    )
    texts = (
        {r.id: r for r in session.execute(sa.select(v.id, v.text, v.footnotes).where(v.id.in_(version_ids)))}
        if version_ids
        else {}
    )
    proposals = (
        {
            p.id: p
            for p in session.scalars(
                sa.select(Proposal).where(Proposal.id.in_(proposal_ids)).options(selectinload(Proposal.delegation))
            )
        }
        if proposal_ids
        else {}
    )
    needed = {pl.revision_id for pl in places} | {p.revision_id for p in proposals.values()}
    refs = _refs(session, [by_id[i] for i in needed])
    of_paragraph: dict[int, list[Any]] = defaultdict(list)
    for pl in places:
        of_paragraph[pl.paragraph_id].append(pl)
    hits = []
    for (kind, key), rows in shown:
        hit = Hit(paragraph_id=key if kind == "p" else None)
        matched = {row.version_id for row in rows if row.version_id is not None}
        for pl in sorted(of_paragraph.get(key, []) if kind == "p" else [], key=lambda x: by_id[x.revision_id].seq):
            hit.history.append(Place(by_id[pl.revision_id], refs.get(pl.id, ""), pl.id in matched))
        _add_snippets(hit, rows, by_id, texts, proposals, terms)
        if kind == "x":
            hit.heading = _heading(proposals[key], refs)
        hits.append(hit)
    return hits


def _notes_text(stored: object) -> str:
    notes = footnotes.loads(stored)
    return " / ".join(notes[k] for k in sorted(notes))


def _add_snippets(hit: Hit, rows: list[Any], by_id: dict[int, Revision], texts, proposals, terms) -> None:
    """Add the hit's matching texts, latest revision first: a text the same in several revisions
    once, with the others named; proposals after the revisions' own text; at most MAX_SNIPPETS."""
    seen: dict[tuple[str, str], int] = {}
    snippets: list[Snippet] = []
    also: dict[int, list[Revision]] = defaultdict(list)
    ordered = sorted(rows, key=lambda r: (r.proposal_id is not None, -by_id[r.revision_id].seq, r.id))
    for row in ordered:
        revision = by_id[row.revision_id]
        if row.version_id is not None:
            stored = texts[row.version_id]
            text = stored.text if row.field == "text" else _notes_text(stored.footnotes)
            if (row.field, text) in seen:
                also[seen[(row.field, text)]].append(revision)
                continue
            seen[(row.field, text)] = len(snippets)
            proposal = None
        else:
            proposal = proposals[row.proposal_id]
            text = {
                "proposal": proposal.proposed_text,
                "proposal_footnotes": _notes_text(proposal.footnotes),
                "justification": proposal.justification,
                "decision": proposal.decision_note,
            }[row.field]
        if len(snippets) >= MAX_SNIPPETS:
            hit.more += 1
            continue
        snippets.append(Snippet(revision, row.field, pieces(text, terms), proposal=proposal))
    hit.snippets = [
        dataclasses.replace(sn, also=tuple(sorted(also[i], key=lambda r: r.seq))) if also.get(i) else sn
        for i, sn in enumerate(snippets)
    ]


def _heading(p: Proposal, refs: dict[int, str]) -> str:
    if p.kind is ProposalKind.TITLE:
        return "Title"
    if p.target_version_id is None:
        return "New paragraph at the start"
    return f"New paragraph after {refs.get(p.target_version_id, '')}".strip()


__all__ = ["Filters", "Results", "as_data", "search"]
