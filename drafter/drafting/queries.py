"""Reading negotiations and revisions: lookups, comparisons and paragraph histories."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from drafter.drafting.known_diffs import paired_diffs
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import Negotiation, ParagraphVersion, Revision, RevisionState
from drafter.text.compare import Counts, Row, compare, counts
from drafter.text.diff import WordDiff, word_diff
from drafter.text.structure import Kind


def latest_revision(session: Session, negotiation: Negotiation, *, public_only: bool = False) -> Revision | None:
    """Return the negotiation's newest revision (or newest public one), or None."""
    q = sa.select(Revision).where(Revision.negotiation_id == negotiation.id)
    if public_only:
        q = q.where(Revision.state != RevisionState.WORKING)
    return session.scalar(q.order_by(Revision.seq.desc()).limit(1))


def working_revision(session: Session, negotiation: Negotiation) -> Revision | None:
    """Return the revision being drafted, or None."""
    return session.scalar(
        sa.select(Revision).where(Revision.negotiation_id == negotiation.id, Revision.state == RevisionState.WORKING)
    )


def revision_by_seq(session: Session, negotiation: Negotiation, seq: int) -> Revision | None:
    """Return the negotiation's revision with this sequence number, or None."""
    return session.scalar(sa.select(Revision).where(Revision.negotiation_id == negotiation.id, Revision.seq == seq))


def revision_by_label(session: Session, negotiation: Negotiation, label: str) -> Revision | None:
    """Return the negotiation's revision with this label (case-insensitive), or None."""
    return session.scalar(
        sa.select(Revision).where(
            Revision.negotiation_id == negotiation.id, sa.func.lower(Revision.label) == label.strip().lower()
        )
    )


def load_versions(session: Session, revision: Revision) -> list[ParagraphVersion]:
    """Return the revision's paragraph versions in order, in one query."""
    return list(
        session.scalars(
            sa.select(ParagraphVersion)
            .where(ParagraphVersion.revision_id == revision.id)
            .order_by(ParagraphVersion.position)
        )
    )


def zero_draft_refs(session: Session, revision: Revision) -> tuple[dict[int, str], str]:
    """Return each paragraph's reference in the negotiation's first revision, by lineage id, and that
    revision's label: what a moved paragraph was called in the zero draft. Empty for the first revision."""
    first = session.scalar(
        sa.select(Revision).where(Revision.negotiation_id == revision.negotiation_id).order_by(Revision.seq).limit(1)
    )
    if first is None or first.id == revision.id:
        return {}, ""
    versions = load_versions(session, first)
    refs = revision_refs(versions)
    return {v.paragraph_id: refs[v.id] for v in versions}, first.label


@dataclass(frozen=True)
class Comparison:
    """Two revisions compared paragraph by paragraph, ready for the page and the Word writer."""

    old: Revision
    new: Revision
    rows: list[Row[ParagraphVersion]]
    counts: Counts
    #: short references ("PP3", "OP5") of each version id, in both revisions
    refs: dict[int, str]
    #: old reference → new reference, for every paragraph whose reference changed
    concordance: list[tuple[str, str]]
    #: the frame of the text (title, chapeau), compared like paragraphs
    frame: tuple[FrameRow, ...] = ()


@dataclass(frozen=True)
class FrameRow:
    """The title or the chapeau of two revisions, word by word."""

    name: str  #: "Title", "Chapeau"
    diff: WordDiff


def frame_rows(old: Revision, new: Revision) -> tuple[FrameRow, ...]:
    """Return the title and chapeau of two revisions compared, leaving out a part neither has."""
    pairs = (("Title", old.title, new.title), ("Chapeau", old.chapeau, new.chapeau))
    return tuple(FrameRow(name, word_diff(a, b)) for name, a, b in pairs if a or b)


def version_of(session: Session, revision: Revision, paragraph_id: int) -> ParagraphVersion | None:
    """Return the version of paragraph ``paragraph_id`` (a lineage id) in ``revision``, or None."""
    return session.scalar(
        sa.select(ParagraphVersion).where(
            ParagraphVersion.revision_id == revision.id, ParagraphVersion.paragraph_id == paragraph_id
        )
    )


def compare_revisions(session: Session, old: Revision, new: Revision) -> Comparison:
    """Return the comparison of two revisions, paragraphs paired by lineage."""
    old_versions = load_versions(session, old)
    new_versions = load_versions(session, new)
    was = {v.paragraph_id: v.text for v in old_versions}
    diff = paired_diffs(session, ((was[v.paragraph_id], v.text) for v in new_versions if v.paragraph_id in was))
    rows = compare(
        old_versions,
        new_versions,
        key=lambda v: v.paragraph_id,
        text=lambda v: v.text,
        notes=lambda v: v.notes,
        diff=diff,
    )
    refs = {**revision_refs(old_versions), **revision_refs(new_versions)}
    concordance = [
        (refs[r.old.id], refs[r.new.id])
        for r in rows
        if r.old is not None and r.new is not None and refs[r.old.id] != refs[r.new.id]
    ]
    return Comparison(old, new, rows, counts(rows), refs, concordance, frame_rows(old, new))


@dataclass(frozen=True)
class HistoryEntry:
    revision: Revision
    version: ParagraphVersion
    ref: str
    #: the version in the previous revision where the paragraph appeared, if any
    previous: ParagraphVersion | None
    #: the changes from the previous version (None for the first)
    diff: WordDiff | None


def paragraph_history(
    session: Session, negotiation: Negotiation, paragraph_id: int, *, include_working: bool
) -> list[HistoryEntry]:
    """Return every version of one paragraph across the negotiation's revisions, oldest first."""
    q = (
        sa.select(ParagraphVersion)
        .join(Revision)
        .where(ParagraphVersion.paragraph_id == paragraph_id, Revision.negotiation_id == negotiation.id)
        .options(selectinload(ParagraphVersion.revision))
        .order_by(Revision.seq)
    )
    if not include_working:
        q = q.where(Revision.state != RevisionState.WORKING)
    versions = list(session.scalars(q))
    refs = _refs_by_revision(session, [v.revision_id for v in versions])
    entries: list[HistoryEntry] = []
    previous: ParagraphVersion | None = None
    for v in versions:
        diff = word_diff(previous.text, v.text) if previous is not None else None
        entries.append(HistoryEntry(v.revision, v, refs[v.revision_id][v.id], previous, diff))
        previous = v
    return entries


def _refs_by_revision(session: Session, revision_ids: list[int]) -> dict[int, dict[int, str]]:
    """Return the short references of every version of these revisions, by revision and version id.

    One query for the columns references need (text only for headings, whose reference is their
    text): loading every version of every revision as objects was 3/4 of the history page.
    """
    pv = ParagraphVersion
    text = sa.case((pv.kind == Kind.HEADING, pv.text), else_=sa.literal("")).label("text")
    rows = session.execute(
        sa.select(pv.revision_id, pv.id, pv.position, pv.kind, pv.level, text).where(
            pv.revision_id.in_(set(revision_ids))
        )
    )
    by_revision: dict[int, list[sa.Row]] = {}
    for row in rows:
        by_revision.setdefault(row.revision_id, []).append(row)
    return {rid: revision_refs(rows) for rid, rows in by_revision.items()}  # type: ignore[arg-type]
