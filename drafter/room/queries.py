"""What the screens of a reading show, as plain data: the same for the pages and the stream.

``screen`` is computed once per event and process (``screen_at``) and sent to every screen
following the reading: a reading is readable as a whole or not at all, so one answer fits all
its screens.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from drafter.drafting.editable import editable
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import ParagraphVersion, Revision, Status
from drafter.drafting.queries import load_versions, zero_draft_refs
from drafter.errors import InvalidInput
from drafter.room.models import EventKind, FloorRequest, FloorState, Mark, Reading, ReadingEvent, ReadingMark
from drafter.text import brackets, footnotes
from drafter.text.numbering import printed_number
from drafter.text.structure import Kind

#: paragraphs longer than these are projected in smaller type, so that one fits the screen
LONG_CHARS, LONGER_CHARS = 450, 1000
#: paragraph statuses that count a paragraph as agreed
AGREED = (Status.AGREED, Status.AGREED_AD_REF)


def last_event_id(session: Session, reading: Reading) -> int:
    """Return the id of the reading's newest event (0 when it has none)."""
    return session.scalar(sa.select(sa.func.max(ReadingEvent.id)).where(ReadingEvent.reading_id == reading.id)) or 0


def events_after(session: Session, reading_id: int, after: int, limit: int = 500) -> list[ReadingEvent]:
    """Return the reading's events after the id ``after``, oldest first."""
    return list(
        session.scalars(
            sa.select(ReadingEvent)
            .where(ReadingEvent.reading_id == reading_id, ReadingEvent.id > after)
            .order_by(ReadingEvent.id)
            .limit(limit)
        )
    )


def marks_of(session: Session, reading: Reading) -> dict[int, ReadingMark]:
    """Return the reading's marks by paragraph (lineage) id."""
    rows = session.scalars(sa.select(ReadingMark).where(ReadingMark.reading_id == reading.id))
    return {m.paragraph_id: m for m in rows}


def _zero_refs(session: Session, revision: Revision) -> dict[int, str]:
    """Return the reference of each paragraph (by lineage id) in the negotiation's first revision."""
    return zero_draft_refs(session, revision)[0]


def _paragraph(
    v: ParagraphVersion | None,
    refs: dict[int, str],
    marks: dict[int, ReadingMark],
    zero: dict[int, str],
    numbers: dict[int, int] | None = None,
) -> dict[str, Any] | None:
    """Return one paragraph as the screens show it; its text as typed in the room, each footnote
    reference written ``[^N]`` (N its number in the revision), the notes beside it."""
    if v is None:
        return None
    m = marks.get(v.paragraph_id)
    ref = refs[v.id]
    was = zero.get(v.paragraph_id, "")
    return {
        "paragraph_id": v.paragraph_id,
        "ref": ref,
        "zero_ref": was if was and was != ref else "",
        "heading": v.kind is Kind.HEADING,
        "number": printed_number(v.kind, v.number_label),
        "text": editable(v.text, v.notes, numbers or {}),
        "notes": [[n, v.notes.get(k, "")] for k, n in (numbers or {}).items()],
        "italic_chars": v.italic_chars,
        "version": v.version,
        "status": v.status.label,
        "mark": m.mark.label if m else "",
        "note": (m.note if m else "") or v.status_note,
        "bracketed": "[" in v.text or v.status is Status.BRACKETED,
        **_brackets(v, numbers or {}),
        #: how large the projector may set it: "" (short), "long", "longer" (it must fit one screen)
        "length": "longer" if len(v.text) > LONGER_CHARS else "long" if len(v.text) > LONG_CHARS else "",
    }


def _brackets(v: ParagraphVersion, numbers: dict[int, int]) -> dict[str, Any]:
    """Return the paragraph's bracketed passages with who asked for them, and its text in pieces, each
    followed by the attribution of the passage it ends (``pieces`` is empty when nobody is named)."""
    try:
        pairs = brackets.attach(v.text, v.attributions)
    except InvalidInput:  # brackets that do not pair up: the typist mends the text first
        pairs = []
    passages = [
        {
            "index": i,
            "inner": s.inner,
            "label": s.label,
            "words": editable(s.inner, v.notes, numbers),
            "alternative": s.is_alternative,
            "for": list((e or {}).get("for") or []),
            "against": list((e or {}).get("against") or []),
            "attribution": brackets.line(e),
        }
        for i, (s, e) in enumerate(pairs)
    ]
    named = any(p["attribution"] for p in passages)
    return {
        "passages": passages,
        "alternatives": brackets.alternatives_line(pairs),
        "pieces": [
            [editable(words, v.notes, numbers), italic, after]
            for words, italic, after in brackets.pieces(v.text, v.attributions, v.italic_chars)
        ]
        if named
        else [],
    }


def screen(session: Session, reading: Reading) -> dict[str, Any]:
    """Return what every screen of the reading shows now, as JSON-ready data."""
    revision = reading.revision
    versions = load_versions(session, revision)
    refs = revision_refs(versions)
    marks = marks_of(session, reading)
    zero = _zero_refs(session, revision)
    i = next((i for i, v in enumerate(versions) if v.paragraph_id == reading.current_paragraph_id), None)

    numbering = footnotes.numbering(v.text for v in versions)

    def at(j: int | None) -> dict[str, Any] | None:
        if j is None or not 0 <= j < len(versions):
            return None
        return _paragraph(versions[j], refs, marks, zero, numbering[j])

    counted = [v for v in versions if v.kind is not Kind.HEADING]
    queue = session.scalars(
        sa.select(FloorRequest)
        .where(FloorRequest.reading_id == reading.id, FloorRequest.state.in_([FloorState.WAITING, FloorState.SPEAKING]))
        .order_by(FloorRequest.requested_at, FloorRequest.id)
    )
    return {
        "event_id": last_event_id(session, reading),
        "reading": {"id": reading.id, "name": reading.name, "open": reading.is_open, "revision": revision.label},
        "current": at(i),
        "previous": at(i - 1) if i is not None else None,
        "next": at(i + 1) if i is not None else None,
        "position": (i + 1) if i is not None else 0,
        "total": len(versions),
        "agreed": sum(
            1
            for v in counted
            if v.status in AGREED or (v.paragraph_id in marks and marks[v.paragraph_id].mark.is_agreed)
        ),
        "paragraphs": len(counted),
        "queue": [
            {
                "id": r.id,
                "delegation": r.delegation.name,
                "ref": r.ref,
                "speaking": r.state is FloorState.SPEAKING,
                "state": r.state.label,
                "here": r.paragraph_id == reading.current_paragraph_id,
            }
            for r in queue
        ],
    }


_cache: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
_cache_lock = threading.Lock()
_CACHE_SIZE = 64


def screen_at(session: Session, reading: Reading, event_id: int) -> dict[str, Any]:
    """Return ``screen`` as of the reading's event ``event_id``, computed once per process for all its streams.

    The key holds when the reading was opened as well as its id: two databases (tests) may give one id twice.
    """
    opened = reading.opened_at.isoformat()
    with _cache_lock:
        found = _cache.get((reading.id, opened, event_id))
    if found is not None:
        return found
    state = screen(session, reading)
    with _cache_lock:
        _cache[(reading.id, opened, state["event_id"])] = state
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return state


# -- The record of a reading ------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """Where a reading left the text."""

    paragraphs: int  #: paragraphs of the revision (headings left out)
    read: int  #: taken up or marked in the reading
    agreed: int  #: agreed ad ref (marked in the reading, or the paragraph's status)
    bracketed: int  #: still holding square brackets
    pending: int
    parked: int
    not_read: int


def summary(session: Session, reading: Reading) -> Summary:
    """Return the counts of the reading's end-of-reading summary."""
    versions = [v for v in load_versions(session, reading.revision) if v.kind is not Kind.HEADING]
    marks = marks_of(session, reading)
    taken = set(
        session.scalars(
            sa.select(ReadingEvent.paragraph_id).where(
                ReadingEvent.reading_id == reading.id,
                ReadingEvent.kind.in_([EventKind.OPENED, EventKind.TAKEN_UP, EventKind.MARKED]),
            )
        )
    )
    read = {v.paragraph_id for v in versions if v.paragraph_id in taken or v.paragraph_id in marks}

    def marked(mark: Mark) -> int:
        return sum(1 for v in versions if v.paragraph_id in marks and marks[v.paragraph_id].mark is mark)

    return Summary(
        paragraphs=len(versions),
        read=len(read),
        agreed=sum(
            1
            for v in versions
            if v.status in AGREED or (v.paragraph_id in marks and marks[v.paragraph_id].mark.is_agreed)
        ),
        bracketed=sum(1 for v in versions if "[" in v.text or v.status is Status.BRACKETED),
        pending=marked(Mark.PENDING),
        parked=marked(Mark.PARKED),
        not_read=len(versions) - len(read),
    )


def record(session: Session, reading: Reading) -> list[ReadingEvent]:
    """Return every event of the reading, oldest first."""
    return events_after(session, reading.id, 0, limit=100_000)


def readings_of(session: Session, revisions: list[Revision]) -> list[Reading]:
    """Return the readings of these revisions, newest first."""
    if not revisions:
        return []
    return list(
        session.scalars(
            sa.select(Reading)
            .where(Reading.revision_id.in_([r.id for r in revisions]))
            .order_by(Reading.opened_at.desc(), Reading.id.desc())
        )
    )
