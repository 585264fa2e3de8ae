"""Reading proposals: the compilation of a revision, and what became of each proposal."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from drafter.auth.models import Delegation
from drafter.auth.permissions import ProposalScope
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import ParagraphVersion, Revision, RevisionState
from drafter.drafting.present import ParagraphRow, paragraph_rows
from drafter.drafting.queries import load_versions, version_of
from drafter.proposals.diffs import diff_of, diffs_of
from drafter.proposals.models import Proposal, ProposalKind, ProposalPosition, ProposalState, Stance
from drafter.text import footnotes
from drafter.text.diff import WordDiff, word_diff
from drafter.text.numbering import insertion_labels
from drafter.text.structure import Kind
from drafter.word.compilation import without_outcome


@dataclass(frozen=True, slots=True)
class Position:
    """A delegation's position on a proposal, as plain data."""

    delegation_id: int
    name: str  #: the delegation's name
    stance: Stance


class Named(NamedTuple):
    """A delegation by id and name (the compilation's filter lists them)."""

    id: int
    name: str


@dataclass(frozen=True)
class ProposalView:
    """A proposal as the compilation prints it."""

    proposal: Shown
    #: "G77 and China, co-sponsored by Fiji; supported by Mexico; opposed by Norway"
    attribution: str
    diff: WordDiff
    #: for a new paragraph: its label in the compilation ("12 bis"); else the target's reference
    label: str
    by_stance: dict[Stance, list[str]]
    #: the other delegations' positions, oldest first
    positions: tuple[Position, ...] = ()

    def stance_of(self, delegation: Delegation | None) -> Stance | None:
        """Return the position a delegation took on the proposal, or None."""
        if delegation is None:
            return None
        return next((x.stance for x in self.positions if x.delegation_id == delegation.id), None)

    @property
    def decision(self) -> str:
        """Return the co-facilitators' note without a repeat of the outcome the page prints beside it."""
        return without_outcome(self.proposal.state.label, self.proposal.decision_note)


@dataclass
class Block:
    """A paragraph of the base revision, or a proposed new paragraph, with its proposals."""

    row: ParagraphRow | None  #: None for a proposed new paragraph
    ref: str
    proposals: list[ProposalView] = field(default_factory=list)
    is_new: bool = False
    new_kind: Kind | None = None
    #: the document's title, when the block holds the proposals on the title ("" otherwise)
    title: str = ""
    #: for a proposed new paragraph: the reference of the paragraph it follows ("" at the start)
    after: str = ""

    @property
    def is_title(self) -> bool:
        return bool(self.title)

    @property
    def current(self) -> list[ProposalView]:
        """Return the proposals still standing: all but the withdrawn ones."""
        return [pv for pv in self.proposals if pv.proposal.state is not ProposalState.WITHDRAWN]

    @property
    def withdrawn(self) -> list[ProposalView]:
        """Return the proposals their delegations withdrew (the compilation folds them away)."""
        return [pv for pv in self.proposals if pv.proposal.state is ProposalState.WITHDRAWN]


@dataclass
class Compilation:
    revision: Revision
    blocks: list[Block]
    total: int  #: proposals visible to the user, before filters
    shown: int  #: proposals shown after filters
    delegations: list[Named]  #: every delegation with a visible proposal or position, for the filter
    paragraphs: list[tuple[int, str]]  #: (lineage id, reference) of every paragraph in order, for the filter


#: the reference a proposal on the title is printed under
TITLE_REF = "Title"


def positions_of(proposal: Proposal) -> tuple[Position, ...]:
    """Return the positions taken on a proposal, from its loaded ``positions``."""
    return tuple(Position(x.delegation_id, x.delegation.name, x.stance) for x in proposal.positions)


def positions_on(session: Session, revision: Revision) -> dict[int, tuple[Position, ...]]:
    """Return the positions taken on a revision's proposals, by proposal id, oldest first (one query)."""
    rows = session.execute(
        sa.select(
            ProposalPosition.proposal_id, ProposalPosition.delegation_id, Delegation.name, ProposalPosition.stance
        )
        .join(Delegation, Delegation.id == ProposalPosition.delegation_id)
        .join(Proposal, Proposal.id == ProposalPosition.proposal_id)
        .where(Proposal.revision_id == revision.id)
        .order_by(ProposalPosition.created_at, ProposalPosition.id)
    )
    out: dict[int, list[Position]] = defaultdict(list)
    for proposal_id, delegation_id, name, stance in rows:
        out[proposal_id].append(Position(delegation_id, name, stance))
    return {k: tuple(v) for k, v in out.items()}


def attribution(proposal: Shown, positions: tuple[Position, ...] | None = None) -> tuple[str, dict[Stance, list[str]]]:
    """Return the attribution line of a proposal and the delegations by stance (``positions``: those
    taken on it, when they are at hand; else its loaded ones)."""
    by_stance: dict[Stance, list[str]] = {s: [] for s in Stance}
    for x in positions_of(proposal) if positions is None else positions:
        by_stance[x.stance].append(x.name)
    parts = [
        proposal.delegation.name
        + (
            f", {Stance.COSPONSOR.label} " + ", ".join(by_stance[Stance.COSPONSOR])
            if by_stance[Stance.COSPONSOR]
            else ""
        )
    ]
    for stance in (Stance.SUPPORT, Stance.OPPOSE):
        if by_stance[stance]:
            parts.append(f"{stance.label} " + ", ".join(by_stance[stance]))
    return "; ".join(parts), by_stance


def view_of(
    proposal: Shown,
    label: str = "",
    diff: WordDiff | None = None,
    positions: tuple[Position, ...] | None = None,
) -> ProposalView:
    """Return the proposal as printed: attribution, diff and label (``diff`` and ``positions``
    when they are at hand, else from the proposal)."""
    held = positions_of(proposal) if positions is None else positions
    text, by_stance = attribution(proposal, held)
    return ProposalView(proposal, text, diff or diff_of(proposal), label, by_stance, held)


def visible_to(user: object, proposals: list[Proposal]) -> list[Proposal]:
    """Return the proposals the user may see, each under its revision's visibility rules."""
    from drafter.auth.permissions import own_delegation, proposal_scope

    out = []
    for p in proposals:
        scope = proposal_scope(user, p.revision)  # type: ignore[arg-type]
        own = own_delegation(user, p.revision.negotiation)  # type: ignore[arg-type]
        out.extend(_visible([p], scope, own))
    return out


def proposals_on_paragraph(session: Session, paragraph_id: int) -> list[Proposal]:
    """Return the proposals made on any version of a paragraph, or that created it, oldest first."""
    q = (
        sa.select(Proposal)
        .outerjoin(ParagraphVersion, Proposal.target_version_id == ParagraphVersion.id)
        .where(
            sa.or_(
                sa.and_(ParagraphVersion.paragraph_id == paragraph_id, Proposal.kind != ProposalKind.INSERT),
                Proposal.result_paragraph_id == paragraph_id,
            )
        )
        # The history page prints each proposal's attribution: load who proposed and who took a
        # position with the proposals, not one query per proposal.
        .options(
            selectinload(Proposal.delegation),
            selectinload(Proposal.positions).selectinload(ProposalPosition.delegation),
        )
        .order_by(Proposal.created_at, Proposal.id)
    )
    return list(session.scalars(q))


def on_same_paragraph(session: Session, proposal: Proposal) -> list[Proposal]:
    """Return the other proposals of the revision on the proposal's paragraph, oldest first.

    For a new paragraph, those on the paragraph it follows and the other new paragraphs after it;
    for the title, the other proposals on the title.
    """
    q = sa.select(Proposal).where(Proposal.revision_id == proposal.revision_id, Proposal.id != proposal.id)
    if proposal.target_version_id is None:
        kind = ProposalKind.TITLE if proposal.kind.is_title else ProposalKind.INSERT
        q = q.where(Proposal.target_version_id.is_(None), Proposal.kind == kind)
    else:
        q = q.where(Proposal.target_version_id == proposal.target_version_id)
    q = q.options(
        selectinload(Proposal.delegation),
        selectinload(Proposal.positions).selectinload(ProposalPosition.delegation),
    ).order_by(Proposal.created_at, Proposal.id)
    return list(session.scalars(q))


def anchor_base(versions: list[ParagraphVersion], refs: dict[int, str], index: int) -> str:
    """Return the reference new paragraphs after ``versions[index]`` are labelled from.

    After a heading, the last paragraph before it: a heading's text is no anchor for "bis".
    """
    for v in reversed(versions[: index + 1]):
        if v.kind is not Kind.HEADING:
            return refs[v.id]
    return ""


def _visible(
    proposals: list[S],
    scope: ProposalScope,
    own: Delegation | None,
    positions: dict[int, tuple[Position, ...]] | None = None,
) -> list[S]:
    if scope is ProposalScope.ALL:
        return proposals
    if scope is ProposalScope.NONE or own is None:
        return []

    def held(p: S) -> Iterable[Position | ProposalPosition]:
        return p.positions if positions is None else positions.get(p.id, ())

    return [p for p in proposals if p.delegation_id == own.id or any(x.delegation_id == own.id for x in held(p))]


@dataclass(slots=True)
class Compiled:
    """A proposal as a compilation reads it: the values of one row, with its revision and the paragraph
    version it is on taken from those already loaded.

    A compilation holds some thousands of proposals; loading each as an ORM object (and its
    paragraph and revision through the relationships) was two fifths of the page. This is no
    object of the session: nothing written to it is saved, except its diff (``diffs.diffs_of``).
    """

    id: int
    revision: Revision
    delegation: Named
    kind: ProposalKind
    state: ProposalState
    #: the paragraph amended, deleted or retained; for a new paragraph, the one it follows
    target_version: ParagraphVersion | None
    new_kind: Kind | None
    proposed_text: str
    justification: str
    decision_note: str
    stored_diff: dict[str, Any] | None

    @property
    def delegation_id(self) -> int:
        return self.delegation.id

    @property
    def target_version_id(self) -> int | None:
        return self.target_version.id if self.target_version is not None else None


#: a proposal as the session holds it, or as a compilation reads it
Shown = Proposal | Compiled
S = TypeVar("S", Proposal, Compiled)


def compiled_proposals(session: Session, revision: Revision, versions: Iterable[ParagraphVersion]) -> list[Compiled]:
    """Return a revision's proposals as plain rows with their delegations' names, oldest first (one query;
    ``versions``: the revision's paragraph versions, already loaded).

    Only the columns a compilation prints or filters on: each further one costs about 2 ms per
    thousand proposals to read (a timestamp, a JSON column). The Word file asks for its dates and
    footnotes on its own (``dates_and_notes``).
    """
    on = {v.id: v for v in versions}
    rows = session.execute(
        sa.select(
            Proposal.id,
            Delegation.id,
            Delegation.name,
            Proposal.kind,
            Proposal.state,
            Proposal.target_version_id,
            Proposal.new_kind,
            Proposal.proposed_text,
            Proposal.justification,
            Proposal.decision_note,
            Proposal.stored_diff,
        )
        .join(Delegation, Delegation.id == Proposal.delegation_id)
        .where(Proposal.revision_id == revision.id)
        .order_by(Proposal.created_at, Proposal.id)
    )
    return [
        Compiled(pid, revision, Named(did, name), kind, state, on.get(tid) if tid is not None else None, *rest)
        for pid, did, name, kind, state, tid, *rest in rows
    ]


class DatesAndNotes(NamedTuple):
    """What the compilation's Word file prints of a proposal beyond the page: its dates and footnotes."""

    created_at: dt.datetime
    updated_at: dt.datetime
    decided_at: dt.datetime | None
    notes: footnotes.Notes


def dates_and_notes(session: Session, revision: Revision) -> dict[int, DatesAndNotes]:
    """Return the dates and footnotes of a revision's proposals, by proposal id (one query)."""
    rows = session.execute(
        sa.select(Proposal.id, Proposal.created_at, Proposal.updated_at, Proposal.decided_at, Proposal.footnotes).where(
            Proposal.revision_id == revision.id
        )
    )
    return {pid: DatesAndNotes(c, u, d, footnotes.loads(notes)) for pid, c, u, d, notes in rows}


def load_proposals(session: Session, revision: Revision) -> list[Proposal]:
    """Return a revision's proposals with delegations and positions loaded, oldest first."""
    q = (
        sa.select(Proposal)
        .where(Proposal.revision_id == revision.id)
        .options(
            selectinload(Proposal.delegation),
            selectinload(Proposal.target_version),
            selectinload(Proposal.positions).selectinload(ProposalPosition.delegation),
        )
        .order_by(Proposal.created_at, Proposal.id)
    )
    return list(session.scalars(q))


def _insertion_labels(
    versions: list[ParagraphVersion], refs: dict[int, str], inserts: Sequence[Shown]
) -> dict[int, str]:
    """Return the "12 bis" label of each proposed new paragraph, by proposal id.

    Labels are given in document order over all visible proposals (not only the filtered
    ones), so a paragraph keeps its label whatever the filters.
    """
    by_anchor: dict[int | None, list[Shown]] = defaultdict(list)
    for p in inserts:
        by_anchor[p.target_version_id].append(p)
    ordered: list[Shown] = list(by_anchor.get(None, []))
    bases: list[str] = [""] * len(ordered)
    for i, v in enumerate(versions):
        for p in by_anchor.get(v.id, []):
            ordered.append(p)
            bases.append(anchor_base(versions, refs, i))
    return {p.id: label for p, label in zip(ordered, insertion_labels(bases))}


@dataclass(frozen=True)
class Filters:
    delegation_id: int | None = None
    paragraph_id: int | None = None
    kind: ProposalKind | None = None
    state: ProposalState | None = None
    #: hide paragraphs that have no proposal
    with_proposals_only: bool = False
    #: words (lower case) a paragraph, its proposals or their delegations must all hold
    words: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return any((self.delegation_id, self.paragraph_id, self.kind, self.state, self.with_proposals_only, self.words))

    def holds_words(self, block: Block) -> bool:
        """Return True when every word searched for is in the block: its paragraph or title, its proposals' texts,
        justifications, notes and delegations (footnote markers left out, case ignored)."""
        if not self.words:
            return True
        parts = [block.title, block.ref]
        if block.row is not None:
            parts.append(footnotes.strip(block.row.version.text))
        for pv in block.proposals:
            p = pv.proposal
            parts += [
                footnotes.strip(p.proposed_text or ""),
                p.justification or "",
                p.decision_note or "",
                pv.attribution,
            ]
        text = "\n".join(parts).lower()
        return all(w in text for w in self.words)

    def keep(self, p: Shown, positions: Iterable[Position] | None = None) -> bool:
        """Return True when the proposal passes the filters (``positions``: those taken on it, else its loaded ones)."""
        if (
            self.delegation_id
            and p.delegation_id != self.delegation_id
            and not any(
                x.delegation_id == self.delegation_id for x in (p.positions if positions is None else positions)
            )
        ):
            return False
        if self.kind and p.kind is not self.kind:
            return False
        return not (self.state and p.state is not self.state)


def compile_revision(
    session: Session,
    revision: Revision,
    *,
    scope: ProposalScope,
    own: Delegation | None,
    filters: Filters = Filters(),
) -> Compilation:
    """Return the compilation of a revision: each paragraph, then the proposals on it (as ``Compiled`` rows)."""
    versions = load_versions(session, revision)
    refs = revision_refs(versions)
    rows = {r.version.id: r for r in paragraph_rows(versions, refs)}
    held = positions_on(session, revision)
    visible = _visible(compiled_proposals(session, revision, versions), scope, own, held)
    label_of = _insertion_labels(versions, refs, [p for p in visible if p.kind is ProposalKind.INSERT])
    on: dict[int | None, list[Compiled]] = defaultdict(list)
    after: dict[int | None, list[Compiled]] = defaultdict(list)
    kept = [p for p in visible if filters.keep(p, held.get(p.id, ()))]

    def view(p: Compiled, label: str) -> ProposalView:
        return view_of(p, label, diffs[p.id], held.get(p.id, ()))

    for p in kept:
        (after if p.kind is ProposalKind.INSERT else on)[p.target_version_id].append(p)
    diffs = diffs_of(session, kept)

    def new_blocks(anchor_id: int | None) -> list[Block]:
        return [
            Block(
                None,
                label_of[p.id],
                [view(p, label_of[p.id])],
                is_new=True,
                new_kind=p.new_kind,
                after=refs.get(anchor_id or 0, ""),
            )
            for p in after.get(anchor_id, [])
        ]

    titled = [view(p, TITLE_REF) for p in on.pop(None, [])]
    # the proposals on the title, above the text (the page offers a new title from its toolbar)
    blocks = (
        [Block(None, TITLE_REF, titled, title=revision.title or TITLE_REF)]
        if titled and not filters.paragraph_id
        else []
    )
    blocks += [] if filters.paragraph_id else new_blocks(None)
    for v in versions:
        if filters.paragraph_id and v.paragraph_id != filters.paragraph_id:
            continue
        blocks.append(Block(rows[v.id], refs[v.id], [view(p, refs[v.id]) for p in on.get(v.id, [])]))
        blocks.extend(new_blocks(v.id))
    if filters.with_proposals_only or filters.delegation_id or filters.kind or filters.state:
        # withdrawn proposals count here: the page shows them, folded (the Word file leaves them out)
        blocks = [b for b in blocks if b.proposals]
    blocks = [b for b in blocks if filters.holds_words(b)]
    names: dict[int, str] = {}
    for p in visible:
        names[p.delegation_id] = p.delegation.name
        for x in held.get(p.id, ()):
            names[x.delegation_id] = x.name
    delegations = sorted((Named(i, name) for i, name in names.items()), key=lambda d: d.name)
    return Compilation(
        revision,
        blocks,
        len(visible),
        sum(len(b.proposals) for b in blocks),
        delegations,
        [(v.paragraph_id, refs[v.id]) for v in versions],
    )


def new_paragraph_anchors(
    session: Session, revision: Revision, *, scope: ProposalScope, own: Delegation | None
) -> dict[str, str]:
    """Return where the compilation shows each proposed new paragraph the reader sees: the id of
    its first proposal's element, by its label ("12 bis" → "proposal-41")."""
    versions = load_versions(session, revision)
    inserts = [p for p in _visible(load_proposals(session, revision), scope, own) if p.kind is ProposalKind.INSERT]
    labels = _insertion_labels(versions, revision_refs(versions), inserts)
    anchors: dict[str, str] = {}
    for p in inserts:
        anchors.setdefault(labels[p.id], f"proposal-{p.id}")
    return anchors


@dataclass(frozen=True)
class Outcome:
    """What became of a proposal in the next circulated revision."""

    #: "pending" (no later revision yet), "taken up", "partly taken up", "not taken up",
    #: "withdrawn" (by its delegation: nothing to follow)
    verdict: str
    explanation: str
    next_revision: Revision | None = None
    #: the paragraph as circulated in the next revision, if it is there
    next_version: ParagraphVersion | None = None
    #: proposed text → text as circulated
    diff: WordDiff | None = None


#: a new paragraph typed in by hand (not through "incorporate") is recognised in the next
#: revision when it shares at least this share of words with the proposed one
NEW_PARAGRAPH_MATCH = 0.6


def next_public_revision(session: Session, revision: Revision) -> Revision | None:
    """Return the first revision circulated after this one, or None."""
    return session.scalar(
        sa.select(Revision)
        .where(
            Revision.negotiation_id == revision.negotiation_id,
            Revision.seq > revision.seq,
            Revision.state != RevisionState.WORKING,
        )
        .order_by(Revision.seq)
        .limit(1)
    )


def outcome(session: Session, proposal: Proposal, next_revision: Revision | None = None) -> Outcome:
    """Return what became of the proposal in the next circulated revision."""
    if proposal.state is ProposalState.WITHDRAWN:
        return Outcome("withdrawn", f"Withdrawn by {proposal.delegation.name}.")
    nxt = next_revision or next_public_revision(session, proposal.revision)
    if nxt is None:
        return Outcome("pending", "No later revision has been circulated yet.")
    if proposal.kind is ProposalKind.TITLE:
        return _title_verdict(proposal, nxt)
    version = None
    if proposal.kind is ProposalKind.INSERT:
        if proposal.result_paragraph_id is not None:
            version = version_of(session, nxt, proposal.result_paragraph_id)
        else:
            version = _new_paragraph_like(session, proposal, nxt)
    elif proposal.target_version is not None:
        version = version_of(session, nxt, proposal.target_version.paragraph_id)
    base = proposal.target_version.text if proposal.target_version else ""
    return _verdict(proposal, nxt, version, base)


def _title_verdict(proposal: Proposal, nxt: Revision) -> Outcome:
    label = nxt.label
    d = word_diff(proposal.proposed_text, nxt.title)
    if not d.changed:
        return Outcome("taken up", f"{label} has the title as proposed.", nxt, diff=d)
    if nxt.title == proposal.revision.title:
        return Outcome("not taken up", f"{label} keeps the title unchanged.", nxt, diff=d)
    if proposal.state.is_incorporated or d.similarity > word_diff(proposal.revision.title, nxt.title).similarity:
        return Outcome("partly taken up", f"{label} has a title closer to the proposal, with changes.", nxt, diff=d)
    return Outcome("not taken up", f"{label} does not follow the proposal.", nxt, diff=d)


def _new_paragraph_like(session: Session, proposal: Proposal, nxt: Revision) -> ParagraphVersion | None:
    """Return the paragraph new in ``nxt`` that is closest to a proposed new paragraph, if close enough."""
    old = sa.select(ParagraphVersion.paragraph_id).where(ParagraphVersion.revision_id == proposal.revision_id)
    new = session.scalars(
        sa.select(ParagraphVersion).where(
            ParagraphVersion.revision_id == nxt.id, ParagraphVersion.paragraph_id.not_in(old)
        )
    ).all()
    scored = [(word_diff(proposal.proposed_text, v.text).similarity, -v.position, v) for v in new]
    best = max(scored, key=lambda t: t[:2], default=None)
    return best[2] if best is not None and best[0] >= NEW_PARAGRAPH_MATCH else None


def _verdict(proposal: Proposal, nxt: Revision, version: ParagraphVersion | None, base: str) -> Outcome:
    label = nxt.label
    if proposal.kind is ProposalKind.DELETE:
        if version is None:
            return Outcome("taken up", f"The paragraph was deleted in {label}.", nxt)
        return Outcome(
            "not taken up", f"The paragraph is still in {label}.", nxt, version, word_diff(base, version.text)
        )
    if proposal.kind is ProposalKind.RETAIN:
        if version is not None and version.text == base:
            return Outcome(
                "taken up", f"The paragraph is unchanged in {label}.", nxt, version, word_diff(base, version.text)
            )
        if version is None:
            return Outcome("not taken up", f"The paragraph was deleted in {label}.", nxt)
        return Outcome(
            "not taken up", f"The paragraph was changed in {label}.", nxt, version, word_diff(base, version.text)
        )
    if version is None:
        what = "The new paragraph is not" if proposal.kind is ProposalKind.INSERT else "The paragraph is no longer"
        return Outcome("not taken up", f"{what} in {label}.", nxt)
    d = word_diff(proposal.proposed_text, version.text)
    if not d.changed:
        return Outcome("taken up", f"{label} has the text as proposed.", nxt, version, d)
    if proposal.state.is_incorporated:
        return Outcome(
            "partly taken up", f"The proposal was incorporated; {label} has it with changes.", nxt, version, d
        )
    if proposal.kind is ProposalKind.INSERT or d.similarity > word_diff(base, version.text).similarity:
        return Outcome(
            "partly taken up",
            f"{label} has a text closer to the proposal than to the base, with changes.",
            nxt,
            version,
            d,
        )
    return Outcome("not taken up", f"{label} does not follow the proposal.", nxt, version, d)


def delegation_proposals(
    session: Session,
    negotiation_id: int,
    delegation_id: int,
    *,
    revision_id: int | None = None,
    cosponsored: bool = True,
) -> list[Proposal]:
    """Return the proposals a delegation made (and, with ``cosponsored``, co-sponsors), newest revision first."""
    q = (
        sa.select(Proposal)
        .join(Revision, Proposal.revision_id == Revision.id)
        .where(Revision.negotiation_id == negotiation_id)
        .options(
            selectinload(Proposal.revision),
            selectinload(Proposal.delegation),
            selectinload(Proposal.target_version),
            selectinload(Proposal.positions).selectinload(ProposalPosition.delegation),
        )
        .order_by(Revision.seq.desc(), Proposal.created_at, Proposal.id)
    )
    if revision_id is not None:
        q = q.where(Proposal.revision_id == revision_id)
    mine = Proposal.delegation_id == delegation_id
    if cosponsored:
        mine = sa.or_(
            mine,
            Proposal.positions.any(
                sa.and_(ProposalPosition.delegation_id == delegation_id, ProposalPosition.stance == Stance.COSPONSOR)
            ),
        )
    return list(session.scalars(q.where(mine)))


def delegation_outcomes(session: Session, proposals: list[Proposal]) -> list[tuple[ProposalView, Outcome]]:
    """Return each proposal as printed (with its paragraph reference) and what became of it."""
    refs: dict[int, dict[int, str]] = {}
    rows = []
    for p in proposals:
        by_id = refs.setdefault(p.revision_id, revision_refs(load_versions(session, p.revision)))
        rows.append((view_of(p, by_id.get(p.target_version_id or 0, "")), outcome(session, p)))
    return rows


@dataclass(frozen=True)
class ProposalRecord:
    """One proposal as plain data, for scripts and audits (``drafter proposals list``)."""

    id: int
    revision: str
    delegation: str
    cosponsors: list[str]
    supporters: list[str]
    opponents: list[str]
    kind: str
    state: str
    #: the lineage id of the paragraph amended, deleted or retained (for a new paragraph: the one it follows)
    paragraph_id: int | None
    #: that paragraph's number as printed ("5", "(a)"; "" for preambular paragraphs and headings)
    number_label: str
    #: the short reference: "PP3", "OP5 (a)"; for a new paragraph its compilation label, "5 bis"
    ref: str
    #: for an incorporated new paragraph: the lineage id of the paragraph it created
    new_paragraph_id: int | None
    base_text: str
    proposed_text: str
    justification: str
    decision_note: str
    source: str
    created_at: str
    updated_at: str


def proposal_records(
    session: Session, revisions: list[Revision], *, delegation_id: int | None = None
) -> list[ProposalRecord]:
    """Return the proposals on the revisions, in compilation order, as plain records.

    With ``delegation_id``: only those the delegation made or co-sponsors.
    """
    out: list[ProposalRecord] = []
    for revision in revisions:
        versions = load_versions(session, revision)
        refs = revision_refs(versions)
        proposals = load_proposals(session, revision)
        new_labels = _insertion_labels(versions, refs, [p for p in proposals if p.kind is ProposalKind.INSERT])
        position = {v.id: v.position for v in versions}
        proposals.sort(key=lambda p: (position.get(p.target_version_id or 0, -1), p.kind is ProposalKind.INSERT))
        for p in proposals:
            _, by_stance = attribution(p)
            if (
                delegation_id is not None
                and p.delegation_id != delegation_id
                and not any(x.delegation_id == delegation_id and x.stance is Stance.COSPONSOR for x in p.positions)
            ):
                continue
            target = p.target_version
            out.append(
                ProposalRecord(
                    id=p.id,
                    revision=revision.label,
                    delegation=p.delegation.name,
                    cosponsors=by_stance[Stance.COSPONSOR],
                    supporters=by_stance[Stance.SUPPORT],
                    opponents=by_stance[Stance.OPPOSE],
                    kind=p.kind.value,
                    state=p.state.value,
                    paragraph_id=target.paragraph_id if target else None,
                    number_label=target.number_label if target else "",
                    ref=new_labels[p.id]
                    if p.kind is ProposalKind.INSERT
                    else (refs.get(target.id, "") if target else TITLE_REF if p.kind.is_title else ""),
                    new_paragraph_id=p.result_paragraph_id,
                    base_text=target.text
                    if target and p.kind is not ProposalKind.INSERT
                    else (revision.title if p.kind.is_title else ""),
                    proposed_text=p.proposed_text,
                    justification=p.justification,
                    decision_note=p.decision_note,
                    source=p.source.value,
                    created_at=p.created_at.isoformat(),
                    updated_at=p.updated_at.isoformat(),
                )
            )
    return out


def proposal_refs(versions: list[ParagraphVersion], proposals: list[Proposal]) -> dict[int, str]:
    """Return the reference each proposal of one revision is printed under, by proposal id.

    Its paragraph's ("OP5"), or for a new paragraph its label in the compilation ("5 bis"), given
    over ``proposals`` as the compilation gives it over the proposals the reader sees.
    """
    refs = revision_refs(versions)
    labels = _insertion_labels(versions, refs, [p for p in proposals if p.kind is ProposalKind.INSERT])
    return {
        p.id: labels[p.id]
        if p.kind is ProposalKind.INSERT
        else TITLE_REF
        if p.kind.is_title
        else refs.get(p.target_version_id or 0, "")
        for p in proposals
    }
