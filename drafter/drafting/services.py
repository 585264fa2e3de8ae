"""Negotiations and the life of their revisions: import, start, circulate, silence, adopt.

Services take the session and the acting user, check the rules of the negotiation, flush,
write the audit event and never commit: the request (or CLI command) commits once.
Permissions by role are checked by the caller through ``drafter.auth.permissions``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from drafter import audit
from drafter.auth.models import User
from drafter.dbtypes import utcnow
from drafter.drafting.models import (
    Negotiation,
    Paragraph,
    ParagraphVersion,
    ProposalVisibility,
    Revision,
    RevisionState,
    Status,
)
from drafter.drafting.queries import latest_revision, working_revision
from drafter.errors import InvalidInput, StateError
from drafter.text import footnotes
from drafter.text.align import Aligned, align, align_with_overrides
from drafter.text.masthead import FIELD_NAMES, Masthead, changes, normalised
from drafter.text.numbering import number_labels
from drafter.text.structure import Kind, ParsedParagraph

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")
MAX_PARAGRAPH_CHARS = 20_000
#: longest document symbol, negotiation title and revision label accepted (the columns' sizes)
MAX_SYMBOL_CHARS = 60
MAX_TITLE_CHARS = 300
MAX_LABEL_CHARS = 60
MAX_PARAGRAPHS = 5_000


def create_negotiation(
    session: Session,
    actor: User | None,
    *,
    slug: str,
    title: str,
    symbol: str = "",
    visibility: ProposalVisibility = ProposalVisibility.IMMEDIATE,
    is_demo: bool = False,
) -> Negotiation:
    """Create a negotiation and return it."""
    slug = slug.strip().lower()
    if not _SLUG.match(slug):
        raise InvalidInput(
            "A short name of 3 to 64 lower-case letters, digits and hyphens is required (e.g. wsis-review)."
        )
    title = " ".join(title.split())
    if not title or len(title) > MAX_TITLE_CHARS:
        raise InvalidInput(f"A title of 1 to {MAX_TITLE_CHARS} characters is required.")
    if session.scalar(sa.select(Negotiation.id).where(Negotiation.slug == slug)):
        raise InvalidInput(f"There is already a negotiation called {slug!r}.")
    negotiation = Negotiation(
        slug=slug, title=title, symbol=_symbol(symbol), proposal_visibility=visibility, is_demo=is_demo
    )
    session.add(negotiation)
    audit.record(session, actor, "negotiation.created", negotiation, negotiation_id=None, summary=f"Created {title}")
    session.flush()
    return negotiation


def _symbol(symbol: str) -> str:
    symbol = symbol.strip()
    if len(symbol) > MAX_SYMBOL_CHARS:
        raise InvalidInput(f"A document symbol has at most {MAX_SYMBOL_CHARS} characters (e.g. A/81/L.12).")
    return symbol


def update_settings(
    session: Session,
    actor: User | None,
    negotiation: Negotiation,
    *,
    title: str,
    symbol: str,
    visibility: ProposalVisibility,
) -> None:
    """Change a negotiation's title, symbol and proposal visibility."""
    title = " ".join(title.split())
    if not title or len(title) > MAX_TITLE_CHARS:
        raise InvalidInput(f"A title of 1 to {MAX_TITLE_CHARS} characters is required.")
    before = {
        "title": negotiation.title,
        "symbol": negotiation.symbol,
        "visibility": negotiation.proposal_visibility.value,
    }
    negotiation.title, negotiation.symbol, negotiation.proposal_visibility = title, _symbol(symbol), visibility
    audit.record(
        session,
        actor,
        "negotiation.updated",
        negotiation,
        negotiation_id=negotiation.id,
        summary="Changed the negotiation's settings",
        before=before,
        after={"title": title, "symbol": negotiation.symbol, "visibility": visibility.value},
    )


def _checked(masthead: Masthead) -> Masthead:
    checked, problems = normalised(masthead)
    if problems:
        raise InvalidInput(" ".join(problems))
    return checked


def inherited_masthead(session: Session, negotiation: Negotiation) -> Masthead:
    """Return the identity a new revision starts with: the latest revision's, else the negotiation's title and symbol."""
    previous = latest_revision(session, negotiation)
    if previous is not None:
        return previous.masthead
    return Masthead(symbol=negotiation.symbol, title=negotiation.title)


def set_masthead(session: Session, actor: User | None, revision: Revision, masthead: Masthead) -> None:
    """Change a revision's document identity (symbol, date, masthead, sponsor line, title, chapeau).

    The title and the chapeau are text of the revision: they change only while it is the working
    revision. The other fields describe the document and may be corrected at any time (an
    adopted text gets its A/RES symbol); every change is recorded with its before and after.
    """
    lock_revision(session, revision, exclusive=True)
    masthead = _checked(masthead)
    before = revision.masthead
    changed = changes(before, masthead)
    if not changed:
        return
    if not revision.state.is_working and ({"title", "chapeau"} & changed.keys()):
        raise StateError(
            f"{revision.label} has been circulated: its title and chapeau can change only in a new revision."
        )
    revision.set_masthead(masthead)
    audit.record(
        session,
        actor,
        "revision.masthead_changed",
        revision,
        negotiation_id=revision.negotiation_id,
        summary=f"Changed the {', '.join(FIELD_NAMES[k] for k in changed if k in FIELD_NAMES) or 'footnotes'} of {revision.label}",
        before={k: v[0] for k, v in changed.items()},
        after={k: v[1] for k, v in changed.items()},
    )


# Row locks across app processes (PostgreSQL; SQLite runs one writer at a time anyway). They
# are "FOR NO KEY UPDATE" rather than "FOR UPDATE" so rows that merely refer to the locked one
# (audit events, proposals, paragraphs) can still be added meanwhile. Every request takes them
# in one order: negotiation, then revisions oldest first, then proposals, then paragraphs;
# two requests never wait for each other in a circle.


def lock_negotiation(session: Session, negotiation: Negotiation) -> None:
    """Serialise the creation and circulation of a negotiation's revisions across processes."""
    session.execute(sa.select(Negotiation.id).where(Negotiation.id == negotiation.id).with_for_update(key_share=True))
    session.refresh(negotiation, ["revisions"])


def lock_revision(session: Session, revision: Revision, *, exclusive: bool = False) -> None:
    """Lock a revision's row until the transaction ends and read its state and deadline again.

    Shared for requests that rely on them (a proposal before the deadline, an edit of a working
    paragraph); exclusive for those that change them (circulate, a new deadline) or the order
    of the paragraphs. A shared request waits for an exclusive one, and the reverse.
    """
    lock = {"key_share": True} if exclusive else {"read": True}
    session.refresh(revision, ["state", "proposal_deadline", "silence_until"], with_for_update=lock)


def _check_label(session: Session, negotiation: Negotiation, label: str) -> str:
    label = " ".join(label.split())
    if not label or len(label) > MAX_LABEL_CHARS:
        raise InvalidInput(f"A revision label of 1 to {MAX_LABEL_CHARS} characters is required (e.g. Rev.1).")
    taken = session.scalar(
        sa.select(Revision.id).where(
            Revision.negotiation_id == negotiation.id, sa.func.lower(Revision.label) == label.lower()
        )
    )
    if taken:
        raise InvalidInput(f"There is already a revision labelled {label!r}.")
    return label


def _check_paragraphs(paragraphs: Sequence[ParsedParagraph]) -> None:
    if not paragraphs:
        raise InvalidInput("No paragraphs were found in the text.")
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise InvalidInput(f"A revision may have at most {MAX_PARAGRAPHS} paragraphs.")
    for i, p in enumerate(paragraphs, 1):
        if len(p.text) > MAX_PARAGRAPH_CHARS:
            raise InvalidInput(f"Paragraph {i} has more than {MAX_PARAGRAPH_CHARS} characters.")
        if any(len(note) > footnotes.MAX_NOTE_CHARS for note in p.footnotes.values()):
            raise InvalidInput(f"A footnote of paragraph {i} has more than {footnotes.MAX_NOTE_CHARS:,} characters.")


def next_label(session: Session, negotiation: Negotiation) -> str:
    """Return the label the next revision would get: "Zero draft", then "Rev.1", "Rev.2" ..."""
    labels = {r.label.lower() for r in negotiation.revisions}
    if not labels:
        return "Zero draft"
    n = len(labels)
    while f"rev.{n}" in labels:
        n += 1
    return f"Rev.{n}"


def relabel(revision: Revision) -> None:
    """Renumber the revision's paragraphs: positions 0..n-1, operative numbers consecutive."""
    versions = sorted(revision.versions, key=lambda v: (v.position, v.id or 0))
    labels = number_labels([(v.kind, v.level) for v in versions])
    for i, (v, label) in enumerate(zip(versions, labels)):
        if v.position != i:
            v.position = i
        if v.number_label != label:
            v.number_label = label
    revision.versions[:] = versions


def plan_alignment(
    previous: Sequence[ParagraphVersion],
    paragraphs: Sequence[ParsedParagraph],
    pairing: Mapping[int, int | None] | None = None,
) -> list[Aligned]:
    """Return the proposed lineage alignment of imported paragraphs with the previous revision's.

    A pairing that names a paragraph that does not exist, or pairs an earlier paragraph more
    than once, is refused.
    """
    old = [v.text for v in previous]
    new = [p.text for p in paragraphs]
    if pairing:
        try:
            return align_with_overrides(old, new, pairing)
        except ValueError as e:
            raise InvalidInput(str(e)) from None
    return align(old, new)


def import_revision(
    session: Session,
    actor: User | None,
    negotiation: Negotiation,
    *,
    label: str,
    paragraphs: Sequence[ParsedParagraph],
    pairing: Mapping[int, int | None] | None = None,
    symbol: str = "",
    masthead: Masthead | None = None,
    now: dt.datetime | None = None,
) -> Revision:
    """Create a working revision from imported paragraphs, keeping lineage with the latest revision.

    ``pairing`` holds the user's corrections of the alignment: new index → old index (or None
    for "this is a new paragraph"). Without ``masthead`` the revision inherits the document
    identity of the latest revision; ``symbol`` (when given) replaces its symbol.
    """
    now = now or utcnow()
    lock_negotiation(session, negotiation)
    if working_revision(session, negotiation) is not None:
        raise StateError(
            "A working revision is already being drafted. Circulate or discard it before importing another."
        )
    label = _check_label(session, negotiation, label)
    _check_paragraphs(paragraphs)
    identity = masthead or inherited_masthead(session, negotiation)
    identity = _checked(identity.merged(symbol=_symbol(symbol)) if symbol.strip() else identity)
    previous = latest_revision(session, negotiation)
    old_versions = list(previous.versions) if previous else []
    # Their lineages in one query: below, each ``version.paragraph`` is then found in the
    # session instead of being loaded one query per paragraph (kept in a variable because the
    # session holds loaded objects only weakly).
    _lineages = (
        session.scalars(sa.select(Paragraph).where(Paragraph.id.in_({v.paragraph_id for v in old_versions}))).all()
        if old_versions
        else []
    )
    alignment = plan_alignment(old_versions, paragraphs, pairing) if old_versions else []
    lineage: dict[int, Paragraph] = {}
    earlier: dict[int, ParagraphVersion] = {}
    split_from: dict[int, Paragraph] = {}
    for a in alignment:
        if a.new is None:
            continue
        if a.old is not None:
            lineage[a.new] = old_versions[a.old].paragraph
            earlier[a.new] = old_versions[a.old]
        elif a.split_from is not None:
            split_from[a.new] = old_versions[a.split_from].paragraph
    revision = Revision(
        negotiation=negotiation,
        seq=_next_seq(negotiation),
        label=label,
        state=RevisionState.WORKING,
        base_revision=previous,
        created_at=now,
        created_by_id=getattr(actor, "id", None),
    )
    revision.set_masthead(identity)
    session.add(revision)
    for i, p in enumerate(paragraphs):
        para = lineage.get(i) or Paragraph(negotiation=negotiation, origin=split_from.get(i), created_at=now)
        revision.versions.append(_version_from_parsed(para, p, i, actor, now, earlier.get(i)))
    relabel(revision)
    kept = len(lineage)
    statuses = sum(1 for v in revision.versions if v.status.is_set)
    audit.record(
        session,
        actor,
        "revision.imported",
        revision,
        negotiation_id=negotiation.id,
        summary=f"Imported {label}: {len(paragraphs)} paragraphs"
        + (f", {kept} matched with {previous.label}" if previous else "")
        + (f", {statuses} keeping their status" if statuses else ""),
        paragraphs=len(paragraphs),
        matched=kept,
        statuses_kept=statuses,
    )
    return revision


def keeps_status(earlier: ParagraphVersion, p: ParsedParagraph) -> bool:
    """Return True when an imported paragraph keeps the status of the earlier one it continues.

    Only a paragraph whose words are the same keeps it: a status (agreed ad ref, bracketed ...)
    was given to those words, and changed words are negotiated afresh.
    """
    return earlier.status.is_set and footnotes.strip(earlier.text).split() == footnotes.strip(p.text).split()


def _version_from_parsed(
    para: Paragraph, p: ParsedParagraph, i: int, actor: User | None, now: dt.datetime, earlier: ParagraphVersion | None
) -> ParagraphVersion:
    """Return the new version of an imported paragraph; its footnotes keep the ids they had in
    ``earlier`` (the paragraph in the revision before) where their text is the same, and it keeps
    ``earlier``'s status when its words are the same (``keeps_status``)."""
    text, notes = footnotes.renumber(p.text, p.footnotes)
    kept = earlier is not None and keeps_status(earlier, p)
    if earlier is not None:
        text, notes = footnotes.match_ids(notes, text, earlier.notes)
    return ParagraphVersion(
        status=earlier.status if kept else Status.NONE,
        status_note=earlier.status_note if kept else "",
        paragraph=para,
        position=i,
        kind=p.kind,
        level=p.level if p.kind is Kind.SUBPARAGRAPH else 0,
        text=text,
        italic_chars=p.italic_chars,
        footnotes=footnotes.dumps(notes),
        updated_at=now,
        updated_by_id=getattr(actor, "id", None),
    )


def _next_seq(negotiation: Negotiation) -> int:
    return max((r.seq for r in negotiation.revisions), default=0) + 1


def start_revision(
    session: Session, actor: User | None, negotiation: Negotiation, *, label: str = "", now: dt.datetime | None = None
) -> Revision:
    """Start the next working revision as a copy of the latest circulated one, and return it."""
    now = now or utcnow()
    lock_negotiation(session, negotiation)
    if working_revision(session, negotiation) is not None:
        raise StateError("A working revision already exists: continue drafting it.")
    base = latest_revision(session, negotiation)
    if base is None:
        raise StateError("There is no revision to start from yet: import the zero draft first.")
    if base.state is RevisionState.ADOPTED:
        raise StateError(f"{base.label} has been adopted; the text can no longer be revised.")
    label = _check_label(session, negotiation, label or next_label(session, negotiation))
    revision = Revision(
        negotiation=negotiation,
        seq=_next_seq(negotiation),
        label=label,
        state=RevisionState.WORKING,
        base_revision=base,
        created_at=now,
        created_by_id=getattr(actor, "id", None),
    )
    revision.set_masthead(base.masthead)  # the new revision's own copy, changed from here on
    session.add(revision)
    for v in base.versions:
        revision.versions.append(
            ParagraphVersion(
                paragraph_id=v.paragraph_id,
                position=v.position,
                kind=v.kind,
                level=v.level,
                number_label=v.number_label,
                text=v.text,
                italic_chars=v.italic_chars,
                footnotes=dict(v.footnotes or {}),
                attributions=list(v.attributions or []),
                status=v.status,
                status_note=v.status_note,
                updated_at=now,
                updated_by_id=getattr(actor, "id", None),
            )
        )
    audit.record(
        session,
        actor,
        "revision.started",
        revision,
        negotiation_id=negotiation.id,
        summary=f"Started {label} from {base.label}",
        base=base.label,
    )
    return revision


def discard_revision(session: Session, actor: User | None, revision: Revision) -> None:
    """Delete a working revision, and the paragraphs that existed only in it."""
    lock_revision(session, revision, exclusive=True)
    if revision.state is not RevisionState.WORKING:
        raise StateError(f"{revision.label} has been circulated and is part of the record; it cannot be discarded.")
    negotiation = revision.negotiation
    para_ids = [v.paragraph_id for v in revision.versions]
    audit.record(
        session,
        actor,
        "revision.discarded",
        revision,
        negotiation_id=negotiation.id,
        summary=f"Discarded working revision {revision.label}",
        paragraphs=len(para_ids),
    )
    paragraphs = {v.paragraph for v in revision.versions}
    for v in list(revision.versions):
        session.delete(v)
    session.flush()
    for para in paragraphs:
        session.expire(para, ["versions"])
    negotiation.revisions.remove(revision)  # delete-orphan: the revision row goes too
    session.flush()
    if para_ids:
        orphans = sa.select(Paragraph.id).where(
            Paragraph.id.in_(para_ids), ~sa.exists().where(ParagraphVersion.paragraph_id == Paragraph.id)
        )
        for pid in session.scalars(orphans).all():
            session.delete(session.get(Paragraph, pid))
