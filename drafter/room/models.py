"""Readings, their events, the reading marks of paragraphs and the requests for the floor."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafter.dbtypes import UTCDateTime, enum_type, utcnow
from drafter.extensions import db

if TYPE_CHECKING:
    from drafter.auth.models import Delegation, User
    from drafter.drafting.models import Negotiation, Revision


class Mark(StrEnum):
    READ = "read"  #: taken up and read; nothing decided
    AGREED_AD_REF = "agreed_ad_ref"  #: agreed ad referendum, pending confirmation by capitals
    PENDING = "pending"  #: discussed, not agreed; to come back to
    PARKED = "parked"  #: set aside for informal consultations

    @property
    def label(self) -> str:
        return {"read": "read", "agreed_ad_ref": "agreed ad ref", "pending": "pending", "parked": "parked"}[self.value]

    @property
    def is_agreed(self) -> bool:
        """Return True for the mark that counts a paragraph as agreed in the reading."""
        return self is Mark.AGREED_AD_REF


class EventKind(StrEnum):
    OPENED = "opened"  #: the reading was opened
    TAKEN_UP = "taken_up"  #: the chair moved to a paragraph
    TEXT_CHANGED = "text_changed"  #: the paragraph under negotiation was edited in the room
    MARKED = "marked"  #: a paragraph was marked read, agreed ad ref, pending or parked
    FLOOR_REQUESTED = "floor_requested"  #: a delegation asked for the floor
    FLOOR_GIVEN = "floor_given"  #: the chair gave a delegation the floor
    FLOOR_CLEARED = "floor_cleared"  #: a request left the queue (spoken, or cleared without speaking)
    CLOSED = "closed"  #: the reading was closed
    BRACKET_ATTRIBUTED = "bracket_attributed"  #: who asks for a bracketed passage, and who opposes it, was set
    BRACKETS_REMOVED = "brackets_removed"  #: a bracketed passage was agreed: its brackets went, its words stayed
    BRACKET_DELETED = "bracket_deleted"  #: a bracketed passage was deleted, brackets and words
    EDITED = "edited"  #: the revision was changed in the co-facilitators' editor while the reading was open

    @property
    def label(self) -> str:
        return {
            "opened": "Reading opened",
            "taken_up": "Paragraph taken up",
            "text_changed": "Text changed",
            "marked": "Status set",
            "floor_requested": "Floor requested",
            "floor_given": "Floor given",
            "floor_cleared": "Floor cleared",
            "closed": "Reading closed",
            "bracket_attributed": "Brackets attributed",
            "brackets_removed": "Brackets removed",
            "bracket_deleted": "Bracketed words deleted",
            "edited": "Changed in the editor",
        }[self.value]


class FloorState(StrEnum):
    WAITING = "waiting"  #: in the queue
    SPEAKING = "speaking"  #: has the floor
    SPOKE = "spoke"  #: had the floor; kept as the record of who spoke on which paragraph
    CLEARED = "cleared"  #: left the queue without speaking

    @property
    def label(self) -> str:
        return {"waiting": "waiting", "speaking": "has the floor", "spoke": "spoke", "cleared": "cleared"}[self.value]

    @property
    def is_open(self) -> bool:
        """Return True while the request is in the queue or its delegation has the floor."""
        return self in (FloorState.WAITING, FloorState.SPEAKING)


class Reading(db.Model):
    """A session of negotiation on one revision: "First reading", "Informal consultations, 12 May"."""

    __tablename__ = "readings"

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(sa.ForeignKey("negotiations.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revisions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    #: the paragraph (lineage id) under negotiation; None before the first is taken up
    current_paragraph_id: Mapped[int | None] = mapped_column(sa.ForeignKey("paragraphs.id", ondelete="SET NULL"))
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    negotiation: Mapped[Negotiation] = relationship()
    revision: Mapped[Revision] = relationship()
    opened_by: Mapped[User | None] = relationship()

    @property
    def is_open(self) -> bool:
        """Return True until the reading is closed."""
        return self.closed_at is None

    def __repr__(self) -> str:
        return f"<Reading {self.name!r}>"


class ReadingEvent(db.Model):
    """One thing that happened in a reading; screens follow these in id order and resume from one."""

    __tablename__ = "reading_events"
    __table_args__ = (sa.Index("ix_reading_events_reading_id", "reading_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reading_id: Mapped[int] = mapped_column(sa.ForeignKey("readings.id", ondelete="CASCADE"))
    kind: Mapped[EventKind] = mapped_column(enum_type(EventKind))
    paragraph_id: Mapped[int | None] = mapped_column(sa.ForeignKey("paragraphs.id", ondelete="SET NULL"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    delegation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("delegations.id", ondelete="SET NULL"))
    #: what the screens show of it: the paragraph's reference, the mark, the text ...
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()
    delegation: Mapped[Delegation | None] = relationship()


class ReadingMark(db.Model):
    """Where a paragraph stands in a reading: read, agreed ad ref, pending or parked, with a note."""

    __tablename__ = "reading_marks"
    __table_args__ = (sa.UniqueConstraint("reading_id", "paragraph_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reading_id: Mapped[int] = mapped_column(sa.ForeignKey("readings.id", ondelete="CASCADE"))
    paragraph_id: Mapped[int] = mapped_column(sa.ForeignKey("paragraphs.id", ondelete="CASCADE"))
    mark: Mapped[Mark] = mapped_column(enum_type(Mark))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    marked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    marked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class FloorRequest(db.Model):
    """A delegation's request for the floor on one paragraph of a reading (a group is one speaker)."""

    __tablename__ = "floor_requests"
    __table_args__ = (sa.Index("ix_floor_requests_reading_state", "reading_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reading_id: Mapped[int] = mapped_column(sa.ForeignKey("readings.id", ondelete="CASCADE"))
    paragraph_id: Mapped[int | None] = mapped_column(sa.ForeignKey("paragraphs.id", ondelete="SET NULL"))
    #: the paragraph's reference when asked ("OP5"), kept if the paragraph goes
    ref: Mapped[str] = mapped_column(sa.String(120), default="")
    delegation_id: Mapped[int] = mapped_column(sa.ForeignKey("delegations.id"))
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    state: Mapped[FloorState] = mapped_column(enum_type(FloorState), default=FloorState.WAITING)
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    given_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    cleared_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    delegation: Mapped[Delegation] = relationship()
