"""The verbs of a reading: open and close it, take up a paragraph, mark it, type it, give the floor.

Like every service they take the session and the actor, flush, write their event (which is
also an audit event) and never commit. Each first locks the reading's row, so that the events of
one reading are written one after the other and a stream resuming from an event id misses none.
Who may do what is asked of ``drafter.auth.permissions`` by the caller; a delegate asks for the
floor for the delegation they speak for, which is checked here.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import sqlalchemy as sa
from sqlalchemy.orm import Session

from drafter import throttle
from drafter.auth.models import Delegation, User
from drafter.auth.permissions import own_delegation
from drafter.dbtypes import utcnow
from drafter.drafting import editing
from drafter.drafting.editable import note_numbers, read_typed
from drafter.drafting.labels import find_paragraph, revision_refs
from drafter.drafting.models import ParagraphVersion, Revision, RevisionState, Status
from drafter.drafting.queries import load_versions
from drafter.errors import InvalidInput, NotAllowed, StateError
from drafter.room.events import emit
from drafter.room.models import EventKind, FloorRequest, FloorState, Mark, Reading, ReadingMark
from drafter.text import brackets
from drafter.text.structure import Kind

MAX_NAME_CHARS = 120  #: the reading name column's size
MAX_NOTE_CHARS = 500  #: the mark note column's size
#: requests for the floor one screen may send per window (a delegation asks once per paragraph)
FLOOR_REQUESTS_PER_SCREEN = 6
FLOOR_WINDOW = dt.timedelta(minutes=1)
#: the paragraph statuses a reading mark also sets on a paragraph of the working revision
STATUS_OF_MARK = {Mark.AGREED_AD_REF: Status.AGREED_AD_REF, Mark.PENDING: Status.PENDING}


def lock_reading(session: Session, reading: Reading) -> Reading:
    """Return the reading as now committed, its row locked until the transaction ends (PostgreSQL)."""
    return session.scalar(
        sa.select(Reading).where(Reading.id == reading.id).with_for_update().execution_options(populate_existing=True)
    )


def _held_open(session: Session, reading: Reading) -> Reading:
    reading = lock_reading(session, reading)
    if not reading.is_open:
        raise StateError(f"{reading.name} was closed at {reading.closed_at:%H:%M} UTC; nothing more can be done in it.")
    return reading


def _refs(revision: Revision) -> tuple[list[ParagraphVersion], dict[int, str]]:
    versions = sorted(revision.versions, key=lambda v: v.position)
    return versions, revision_refs(versions)


def _version(revision: Revision, paragraph_id: int | None) -> ParagraphVersion:
    v = next((v for v in revision.versions if v.paragraph_id == paragraph_id), None)
    if v is None:
        raise InvalidInput(f"That paragraph is not part of {revision.label}.")
    return v


def _ref(version: ParagraphVersion) -> str:
    return _refs(version.revision)[1][version.id]


# -- Opening and closing -------------------------------------------------------------------------


def open_reading(session: Session, actor: User | None, revision: Revision, name: str) -> Reading:
    """Open a reading of the revision, its first paragraph under negotiation, and return it."""
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput('Give the reading a name, such as "First reading" or "Informal consultations, 12 May".')
    if len(name) > MAX_NAME_CHARS:
        raise InvalidInput(f"A reading's name may have at most {MAX_NAME_CHARS} characters.")
    if revision.state not in (RevisionState.WORKING, RevisionState.CIRCULATED, RevisionState.UNDER_SILENCE):
        raise StateError(f"{revision.label} is {revision.state.label.lower()}: read the current revision instead.")
    versions, refs = _refs(revision)
    if not versions:
        raise StateError(f"{revision.label} has no paragraphs to read.")
    first = next((v for v in versions if v.kind is not Kind.HEADING), versions[0])
    reading = Reading(
        negotiation_id=revision.negotiation_id,
        revision=revision,
        name=name,
        current_paragraph_id=first.paragraph_id,
        opened_by_id=getattr(actor, "id", None),
        opened_at=utcnow(),
    )
    session.add(reading)
    session.flush()
    emit(
        session,
        actor,
        reading,
        EventKind.OPENED,
        f"{name} opened on {revision.label}, at {refs[first.id]}",
        paragraph_id=first.paragraph_id,
        ref=refs[first.id],
    )
    return reading


def close_reading(session: Session, actor: User | None, reading: Reading) -> None:
    """Close the reading; the screens following it are told so."""
    reading = _held_open(session, reading)
    reading.closed_at = utcnow()
    for request in _open_requests(session, reading):
        _leave_queue(request, reading.closed_at)
    emit(session, actor, reading, EventKind.CLOSED, f"{reading.name} closed")


# -- The paragraph under negotiation -------------------------------------------------------------


def take_up(session: Session, actor: User | None, reading: Reading, paragraph_id: int) -> ParagraphVersion:
    """Make a paragraph of the reading's revision the one under negotiation."""
    reading = _held_open(session, reading)
    v = _version(reading.revision, paragraph_id)
    reading.current_paragraph_id = v.paragraph_id
    ref = _ref(v)
    emit(session, actor, reading, EventKind.TAKEN_UP, f"{ref} taken up", paragraph_id=v.paragraph_id, ref=ref)
    return v


def step(session: Session, actor: User | None, reading: Reading, *, forward: bool) -> ParagraphVersion:
    """Take up the paragraph after (or before) the one under negotiation."""
    versions, refs = _refs(reading.revision)
    i = next((i for i, v in enumerate(versions) if v.paragraph_id == reading.current_paragraph_id), -1)
    j = i + 1 if forward else i - 1
    if i < 0:
        j = 0
    if not 0 <= j < len(versions):
        where = "last" if forward else "first"
        raise InvalidInput(f"{refs[versions[i].id]} is the {where} paragraph of {reading.revision.label}.")
    return take_up(session, actor, reading, versions[j].paragraph_id)


def jump(session: Session, actor: User | None, reading: Reading, label: str) -> ParagraphVersion:
    """Take up the paragraph a negotiator names: "OP12", "12", "PP3", "OP5 (a)", "12 bis"."""
    v = find_paragraph(reading.revision, label, empty="Give the paragraph to take up: OP12, PP3, OP5 (a) or 12 bis.")
    return take_up(session, actor, reading, v.paragraph_id)


# -- Marks and typing ------------------------------------------------------------------------------


def mark(
    session: Session,
    actor: User | None,
    reading: Reading,
    paragraph_id: int,
    mark: Mark,
    note: str = "",
    *,
    expected_version: int | None = None,
) -> ReadingMark:
    """Mark a paragraph read, agreed ad ref, pending or parked in the reading, with a note.

    On the working revision, agreed ad ref and pending are also the paragraph's own status, set
    by the editor's service against the version the chair saw (a changed paragraph is a conflict).
    """
    reading = _held_open(session, reading)
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidInput(f"A note may have at most {MAX_NOTE_CHARS} characters.")
    v = _version(reading.revision, paragraph_id)
    left = brackets.count(v.text) if mark.is_agreed else 0
    if left:
        passages = "bracketed passage" if left == 1 else "bracketed passages"
        raise StateError(f"{_ref(v)} still has {left} {passages}: remove or delete them before it is agreed.")
    status = STATUS_OF_MARK.get(mark)
    if status is not None and reading.revision.state.is_working:
        editing.set_status(
            session,
            actor,
            v,
            status,
            note,
            expected_version=v.version if expected_version is None else expected_version,
        )
    row = session.scalar(
        sa.select(ReadingMark).where(ReadingMark.reading_id == reading.id, ReadingMark.paragraph_id == paragraph_id)
    )
    if row is None:
        row = ReadingMark(reading_id=reading.id, paragraph_id=paragraph_id, mark=mark)
        session.add(row)
    row.mark, row.note, row.marked_by_id, row.marked_at = mark, note, getattr(actor, "id", None), utcnow()
    ref = _ref(v)
    line = f"{ref} marked {mark.label}" + (f" ({note})" if note else "")
    emit(
        session,
        actor,
        reading,
        EventKind.MARKED,
        line,
        paragraph_id=paragraph_id,
        ref=ref,
        mark=mark.value,
        note=note,
    )
    return row


def type_text(
    session: Session,
    actor: User | None,
    reading: Reading,
    text: str,
    *,
    expected_version: int,
    paragraph_id: int | None = None,
) -> ParagraphVersion:
    """Replace the text of the paragraph under negotiation, against the version the typist saw.

    The editor's compare-and-set decides: a paragraph changed meanwhile is an ``EditConflict``;
    text typed for a paragraph (``paragraph_id``) the chair has since moved away from is refused.
    """
    reading = _held_open(session, reading)
    v = _version(reading.revision, reading.current_paragraph_id)
    if paragraph_id is not None and paragraph_id != v.paragraph_id:
        raise StateError(
            f"The chair has moved on to {_ref(v)}: the text was typed for another paragraph and was not saved."
        )
    before = v.version
    # typed as the screens show it: footnote references as [^N], new ones as [new footnote: ...]
    typed = read_typed(text, v.notes, note_numbers(v))
    editing.edit_text(session, actor, v, typed.text, notes=typed.notes, expected_version=expected_version)
    session.refresh(v)
    if v.version == before:  # the same text sent again: nothing happened
        return v
    ref = _ref(v)
    emit(
        session,
        actor,
        reading,
        EventKind.TEXT_CHANGED,
        f"{ref} text changed",
        paragraph_id=v.paragraph_id,
        ref=ref,
        version=v.version,
    )
    return v


# -- The floor -------------------------------------------------------------------------------------


def _open_requests(session: Session, reading: Reading) -> list[FloorRequest]:
    return list(
        session.scalars(
            sa.select(FloorRequest)
            .where(
                FloorRequest.reading_id == reading.id, FloorRequest.state.in_([FloorState.WAITING, FloorState.SPEAKING])
            )
            .order_by(FloorRequest.requested_at, FloorRequest.id)
        )
    )


def _leave_queue(request: FloorRequest, now: dt.datetime) -> None:
    request.state = FloorState.SPOKE if request.state is FloorState.SPEAKING else FloorState.CLEARED
    request.cleared_at = now


class FloorThrottled(InvalidInput):
    """One screen asked for the floor too often."""

    status_code = 429


def count_refused_request(session: Session, screen: str) -> None:
    """Count a refused request for the floor against its screen (the refusal undid its hit)."""
    throttle.hit(session, screen, per=FLOOR_WINDOW)


def screen_key(token: str | None, user: User) -> str:
    """Return the throttle key of one screen: the signed-in session it is (its token's hash), else the user."""
    name = hashlib.sha256(token.encode()).hexdigest()[:24] if token else f"user-{user.id}"
    return f"floor:{name}"


def request_floor(session: Session, actor: User, reading: Reading, *, screen: str) -> FloorRequest:
    """Put the actor's delegation in the queue for the paragraph under negotiation (once: a group is one speaker)."""
    delegation: Delegation | None = own_delegation(actor, reading.negotiation)
    if delegation is None:
        raise NotAllowed("Only a delegation's delegates ask for the floor, for their own delegation.")
    wait = throttle.allow(session, screen, limit=FLOOR_REQUESTS_PER_SCREEN, per=FLOOR_WINDOW)
    if wait:
        raise FloorThrottled(f"Too many requests for the floor from this screen. Try again in {wait} seconds.")
    reading = _held_open(session, reading)
    pid = reading.current_paragraph_id
    already = next(
        (r for r in _open_requests(session, reading) if r.delegation_id == delegation.id and r.paragraph_id == pid),
        None,
    )
    if already is not None:
        raise StateError(
            f"{delegation.name} is already {'speaking' if already.state is FloorState.SPEAKING else 'in the queue'} on this paragraph."
        )
    v = _version(reading.revision, pid)
    ref = _ref(v)
    request = FloorRequest(
        reading_id=reading.id,
        paragraph_id=pid,
        ref=ref,
        delegation_id=delegation.id,
        requested_by_id=actor.id,
        requested_at=utcnow(),
    )
    session.add(request)
    session.flush()
    emit(
        session,
        actor,
        reading,
        EventKind.FLOOR_REQUESTED,
        f"{delegation.name} asks for the floor on {ref}",
        paragraph_id=pid,
        delegation_id=delegation.id,
        ref=ref,
        delegation=delegation.name,
        request_id=request.id,
    )
    return request


def _request(session: Session, reading: Reading, request_id: int) -> FloorRequest:
    request = session.scalar(
        sa.select(FloorRequest).where(FloorRequest.id == request_id, FloorRequest.reading_id == reading.id)
    )
    if request is None:
        raise InvalidInput("That request for the floor is not part of this reading.")
    return request


def give_floor(session: Session, actor: User | None, reading: Reading, request_id: int) -> FloorRequest:
    """Give the floor to a delegation in the queue; whoever had it is done speaking."""
    reading = _held_open(session, reading)
    request = _request(session, reading, request_id)
    if request.state is not FloorState.WAITING:
        raise StateError(f"{request.delegation.name} is no longer waiting for the floor ({request.state.label}).")
    now = utcnow()
    for other in _open_requests(session, reading):
        if other.state is FloorState.SPEAKING:
            _leave_queue(other, now)
    request.state, request.given_at = FloorState.SPEAKING, now
    name = request.delegation.name
    emit(
        session,
        actor,
        reading,
        EventKind.FLOOR_GIVEN,
        f"Floor given to {name} on {request.ref}",
        paragraph_id=request.paragraph_id,
        delegation_id=request.delegation_id,
        ref=request.ref,
        delegation=name,
        request_id=request.id,
    )
    return request


def clear_floor(session: Session, actor: User | None, reading: Reading, request_id: int) -> FloorRequest:
    """Take a request out of the queue: the delegation spoke, or will not."""
    reading = _held_open(session, reading)
    request = _request(session, reading, request_id)
    if not request.state.is_open:
        raise StateError(f"{request.delegation.name} is no longer in the queue.")
    spoke = request.state is FloorState.SPEAKING
    _leave_queue(request, utcnow())
    name = request.delegation.name
    emit(
        session,
        actor,
        reading,
        EventKind.FLOOR_CLEARED,
        f"{name} {'spoke' if spoke else 'left the queue'} on {request.ref}",
        paragraph_id=request.paragraph_id,
        delegation_id=request.delegation_id,
        ref=request.ref,
        delegation=name,
        request_id=request.id,
    )
    return request


def open_readings(session: Session, revision: Revision) -> list[Reading]:
    """Return the open readings of a revision."""
    return list(
        session.scalars(sa.select(Reading).where(Reading.revision_id == revision.id, Reading.closed_at.is_(None)))
    )


def follow_the_editor(
    session: Session, actor: User | None, revision: Revision, line: str, paragraph_id: int | None = None
) -> None:
    """Tell the screens of every open reading of ``revision`` that the editor changed it: they redraw."""
    for reading in open_readings(session, revision):
        emit(session, actor, reading, EventKind.EDITED, line, paragraph_id=paragraph_id)


def versions_of(session: Session, reading: Reading) -> list[ParagraphVersion]:
    """Return the paragraphs of the reading's revision in order."""
    return load_versions(session, reading.revision)
