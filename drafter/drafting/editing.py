"""Editing the working revision paragraph by paragraph.

Each edit names the version of the paragraph the user started from. The update only happens
if the paragraph is still at that version (a compare-and-set in SQL, so two co-facilitators
saving at the same moment cannot both win); otherwise the user gets an ``EditConflict`` with
both texts. Renumbering after an insertion elsewhere does not count as a change, so edits
on different paragraphs never conflict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from drafter import audit
from drafter.auth.models import User
from drafter.dbtypes import utcnow
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import Paragraph, ParagraphVersion, Revision, RevisionState, Status
from drafter.drafting.services import MAX_PARAGRAPH_CHARS, lock_revision, relabel
from drafter.errors import EditConflict, InvalidInput, StateError
from drafter.text import brackets, footnotes
from drafter.text.clean import normalise_text
from drafter.text.emphasis import keep_emphasis, opening_emphasis
from drafter.text.structure import Kind

MAX_LEVEL = 3
MAX_STATUS_NOTE_CHARS = 500  #: the status note column's size


def _check_working(revision: Revision) -> None:
    if revision.state is not RevisionState.WORKING:
        raise StateError(
            f"{revision.label} has been circulated and can no longer be changed. Start a new revision to edit the text."
        )


def _hold_working(session: Session, revision: Revision) -> None:
    """Keep the revision working until this edit is saved (circulating it waits), or refuse."""
    _check_working(revision)
    lock_revision(session, revision)
    _check_working(revision)


def clean_text(text: str) -> str:
    """Return paragraph text as stored: trimmed, line endings normalised, within the size limit."""
    text = normalise_text(text).strip()
    if not text:
        raise InvalidInput("The paragraph text is empty. To remove a paragraph, delete it.")
    if len(text) > MAX_PARAGRAPH_CHARS:
        raise InvalidInput(f"A paragraph may have at most {MAX_PARAGRAPH_CHARS} characters.")
    return text


def checked_notes(text: str, notes: Mapping[int, str]) -> footnotes.Notes:
    """Return the notes ``text`` keeps: each of its markers must name one; the others go.

    This is the rule for every text stored with footnotes: a paragraph's, a proposal's.
    """
    kept = footnotes.used(text, notes)
    missing = [k for k in footnotes.ids_in(text) if k not in kept]
    if missing:
        raise InvalidInput("The text refers to a footnote it does not have. Reopen the paragraph and try again.")
    for note in kept.values():
        if len(note) > footnotes.MAX_NOTE_CHARS:
            raise InvalidInput(f"A footnote may have at most {footnotes.MAX_NOTE_CHARS:,} characters.")
    return {k: normalise_text(v).strip() for k, v in kept.items()}


def _ref(version: ParagraphVersion) -> str:
    return revision_refs(version.revision.versions).get(version.id, "paragraph")


def _reload(session: Session, version: ParagraphVersion, *, lock: bool = False) -> ParagraphVersion | None:
    """Return the paragraph version as now committed (locked for this transaction), or None if deleted."""
    query = sa.select(ParagraphVersion).where(ParagraphVersion.id == version.id)
    if lock:
        query = query.with_for_update(key_share=True)
    return session.scalar(query.execution_options(populate_existing=True))


def deleted_conflict(session: Session, revision: Revision, paragraph_id: int) -> EditConflict:
    """Return the conflict of a request about a paragraph that is no longer in the working revision."""
    from drafter.audit import AuditEvent

    events = session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.negotiation_id == revision.negotiation_id, AuditEvent.action == "paragraph.deleted")
        .order_by(AuditEvent.id.desc())
        .limit(200)
    )
    event = next((e for e in events if (e.data or {}).get("paragraph_id") == paragraph_id), None)
    who = event.actor.name if event is not None and event.actor is not None else "Someone"
    when = event.created_at if event is not None else None
    return EditConflict(
        f"{who} deleted this paragraph from {revision.label} after you opened it.",
        deleted=True,
        recorded=event is not None,
        updated_by=who,
        updated_at=when,
        paragraph_id=paragraph_id,
    )


def _changed_conflict(version: ParagraphVersion) -> EditConflict:
    who = version.updated_by.name if version.updated_by else "Someone"
    return EditConflict(
        f"{who} changed this paragraph after you opened it.",
        current_text=version.text,
        current_version=version.version,
        current_status=version.status.value,
        updated_by=who,
        updated_at=version.updated_at,
    )


def _compare_and_set(
    session: Session, actor: User, version: ParagraphVersion, expected: int, now: dt.datetime, **values: object
) -> None:
    """Apply ``values`` only if the paragraph is still at version ``expected``; else raise EditConflict."""
    revision_id, paragraph_id = version.revision_id, version.paragraph_id
    result = session.execute(
        sa.update(ParagraphVersion)
        .where(ParagraphVersion.id == version.id, ParagraphVersion.version == expected)
        .values(version=expected + 1, updated_at=now, updated_by_id=getattr(actor, "id", None), **values)
        .execution_options(synchronize_session=False)
    )
    if _reload(session, version) is None:
        raise deleted_conflict(session, session.get(Revision, revision_id), paragraph_id)
    if result.rowcount != 1:
        raise _changed_conflict(version)


def edit_text(
    session: Session,
    actor: User,
    version: ParagraphVersion,
    text: str,
    *,
    expected_version: int,
    notes: Mapping[int, str] | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Replace a paragraph's text in the working revision.

    ``notes`` are the footnotes its markers name (``text.footnotes``); without them, the
    paragraph's own footnotes, those whose markers the text keeps.
    """
    _hold_working(session, version.revision)
    text = clean_text(text)
    kept = checked_notes(text, version.notes if notes is None else notes)
    before = version.text
    if text == before and kept == version.notes and version.version == expected_version:
        return
    italic = keep_emphasis(before, version.italic_chars, text, version.kind)
    _compare_and_set(
        session,
        actor,
        version,
        expected_version,
        now or utcnow(),
        text=text,
        italic_chars=italic,
        footnotes=footnotes.dumps(kept),
        attributions=brackets.carry(before, version.attributions, text),
    )
    audit.record(
        session,
        actor,
        "paragraph.edited",
        version,
        negotiation_id=version.revision.negotiation_id,
        summary=f"Edited {_ref(version)} in {version.revision.label}",
        before=before,
        after=text,
    )


def set_status(
    session: Session,
    actor: User,
    version: ParagraphVersion,
    status: Status,
    note: str = "",
    *,
    expected_version: int,
    now: dt.datetime | None = None,
) -> None:
    """Set a paragraph's status (agreed ad ref, pending ...) and note in the working revision."""
    _hold_working(session, version.revision)
    note = note.strip()
    if len(note) > MAX_STATUS_NOTE_CHARS:
        raise InvalidInput(f"A status note may have at most {MAX_STATUS_NOTE_CHARS} characters.")
    before = {"status": version.status.value, "note": version.status_note}
    _compare_and_set(session, actor, version, expected_version, now or utcnow(), status=status, status_note=note)
    audit.record(
        session,
        actor,
        "paragraph.status_set",
        version,
        negotiation_id=version.revision.negotiation_id,
        summary=f"{_ref(version)}: {status.label or 'no status'}",
        before=before,
        after={"status": status.value, "note": note},
    )


def set_attributions(
    session: Session,
    actor: User,
    version: ParagraphVersion,
    attributions: list[dict],
    *,
    expected_version: int,
    now: dt.datetime | None = None,
) -> None:
    """Set who asked for and who opposed the bracketed passages of a paragraph in the working revision."""
    _hold_working(session, version.revision)
    _compare_and_set(session, actor, version, expected_version, now or utcnow(), attributions=attributions)


def set_statuses(
    session: Session,
    actor: User,
    changes: list[tuple[ParagraphVersion, int]],
    status: Status,
    note: str = "",
    *,
    now: dt.datetime | None = None,
) -> int:
    """Set one status and note on several paragraphs of the working revision, all or none.

    Each paragraph comes with the version the user saw; one changed meanwhile refuses the whole
    change (the caller rolls back), so a range is never half set. Paragraphs that already have
    that status and note are left alone. Return how many were changed.
    """
    if not changes:
        raise InvalidInput("Choose the paragraphs: give references such as PP1–PP20, or tick them.")
    now = now or utcnow()
    changed = 0
    for version, expected in changes:
        if version.status is status and version.status_note == note.strip() and version.version == expected:
            continue
        set_status(session, actor, version, status, note, expected_version=expected, now=now)
        changed += 1
    return changed


def change_kind(
    session: Session,
    actor: User,
    version: ParagraphVersion,
    kind: Kind,
    level: int = 0,
    *,
    expected_version: int,
    now: dt.datetime | None = None,
) -> None:
    """Make a paragraph a heading, preambular, operative paragraph or subparagraph."""
    _check_working(version.revision)
    level = _check_level(kind, level)
    # Numbering depends on every paragraph's kind: serialise with inserts, moves and deletions.
    _lock_structure(session, version.revision)
    before = {"kind": version.kind.value, "level": version.level}
    italic = opening_emphasis(version.text, kind)
    _compare_and_set(
        session, actor, version, expected_version, now or utcnow(), kind=kind, level=level, italic_chars=italic
    )
    relabel(version.revision)
    audit.record(
        session,
        actor,
        "paragraph.kind_changed",
        version,
        negotiation_id=version.revision.negotiation_id,
        summary=f"{_ref(version)} is now {kind.value}",
        before=before,
        after={"kind": kind.value, "level": level},
    )


def _check_level(kind: Kind, level: int) -> int:
    if kind is not Kind.SUBPARAGRAPH:
        return 0
    if not 1 <= level <= MAX_LEVEL:
        raise InvalidInput(f"Subparagraph levels go from 1 to {MAX_LEVEL}.")
    return level


def _lock_structure(session: Session, revision: Revision) -> None:
    """Serialise structural edits (insert, delete, move, kind) of one revision across processes."""
    lock_revision(session, revision, exclusive=True)
    _check_working(revision)  # it may have been circulated while this request waited
    # Positions loaded before the lock may be stale: read them again as committed now.
    session.scalars(
        sa.select(ParagraphVersion)
        .where(ParagraphVersion.revision_id == revision.id)
        .execution_options(populate_existing=True)
    ).all()
    session.refresh(revision, ["versions"])


def insert_paragraph(
    session: Session,
    actor: User,
    revision: Revision,
    *,
    anchor: ParagraphVersion | None,
    after: bool = True,
    kind: Kind,
    level: int = 0,
    text: str,
    notes: Mapping[int, str] | None = None,
    now: dt.datetime | None = None,
) -> ParagraphVersion:
    """Insert a new paragraph before or after ``anchor`` (or at the end when there is none)."""
    _check_working(revision)
    now = now or utcnow()
    text = clean_text(text)
    kept = checked_notes(text, notes or {})
    level = _check_level(kind, level)
    _lock_structure(session, revision)
    versions = sorted(revision.versions, key=lambda v: v.position)
    if anchor is None:
        index = len(versions)
    else:
        index = next((i for i, v in enumerate(versions) if v.id == anchor.id), None)
        if index is None:
            raise InvalidInput("That paragraph is not part of this revision.")
        index += 1 if after else 0
    for v in versions[index:]:
        v.position += 1
    new = ParagraphVersion(
        paragraph=Paragraph(negotiation_id=revision.negotiation_id, created_at=now),
        position=index,
        kind=kind,
        level=level,
        text=text,
        italic_chars=opening_emphasis(text, kind),
        footnotes=footnotes.dumps(kept),
        updated_at=now,
        updated_by_id=getattr(actor, "id", None),
    )
    revision.versions.append(new)
    relabel(revision)
    audit.record(
        session,
        actor,
        "paragraph.inserted",
        new,
        negotiation_id=revision.negotiation_id,
        summary=f"Inserted {_ref(new)} in {revision.label}",
        after=text,
    )
    return new


def delete_paragraph(session: Session, actor: User, version: ParagraphVersion, *, expected_version: int) -> None:
    """Remove a paragraph from the working revision (it stays in earlier revisions)."""
    revision = version.revision
    _check_working(revision)
    _lock_structure(session, revision)
    # The row lock waits for an edit being saved, so the check below sees it (a plain read
    # would see the text before that edit, and the deletion would then drop a confirmed edit).
    if _reload(session, version, lock=True) is None:
        raise deleted_conflict(session, revision, version.paragraph_id)
    if version.version != expected_version:
        conflict = _changed_conflict(version)
        conflict.message += " Check the new text before deleting it."
        raise conflict
    ref = _ref(version)
    audit.record(
        session,
        actor,
        "paragraph.deleted",
        version,
        negotiation_id=revision.negotiation_id,
        summary=f"Deleted {ref} from {revision.label}",
        before=version.text,
        paragraph_id=version.paragraph_id,
    )
    revision.versions.remove(version)
    session.delete(version)
    session.flush()
    relabel(revision)
    # A paragraph created in this revision and deleted again leaves no trace but the audit log.
    para = session.get(Paragraph, version.paragraph_id)
    if para is not None and not session.scalar(
        sa.select(sa.func.count()).where(ParagraphVersion.paragraph_id == para.id)
    ):
        session.delete(para)


def move_paragraph(
    session: Session,
    actor: User,
    version: ParagraphVersion,
    *,
    up: bool,
    expected_version: int,
    now: dt.datetime | None = None,
) -> None:
    """Move a paragraph one place up or down in the working revision."""
    revision = version.revision
    _check_working(revision)
    _lock_structure(session, revision)
    versions = sorted(revision.versions, key=lambda v: v.position)
    i = next((i for i, v in enumerate(versions) if v.id == version.id), None)
    if i is None:
        raise deleted_conflict(session, revision, version.paragraph_id)
    j = i - 1 if up else i + 1
    if not 0 <= j < len(versions):
        raise InvalidInput("The paragraph is already at the " + ("top." if up else "bottom."))
    # A move is a change of the paragraph like an edit: two people moving it at once, or
    # moving it while someone edits it, each act on the version they saw or get a conflict.
    _compare_and_set(session, actor, version, expected_version, now or utcnow())
    versions[i].position, versions[j].position = versions[j].position, versions[i].position
    relabel(revision)
    audit.record(
        session,
        actor,
        "paragraph.moved",
        version,
        negotiation_id=revision.negotiation_id,
        summary=f"Moved {_ref(version)} {'up' if up else 'down'} in {revision.label}",
    )
