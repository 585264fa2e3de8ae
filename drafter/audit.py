"""The audit log: who did what to which object, when. Append-only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from drafter.dbtypes import UTCDateTime, utcnow
from drafter.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_negotiation_created", "negotiation_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    negotiation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("negotiations.id", ondelete="CASCADE"))
    #: a verb in the past tense, dotted by domain: "revision.circulated", "proposal.submitted"
    action: Mapped[str] = mapped_column(sa.String(64))
    object_type: Mapped[str] = mapped_column(sa.String(32))
    object_id: Mapped[int | None]
    #: one human line: "Circulated Rev.1", "Edited OP5"
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    #: before/after values where they matter
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    actor = relationship("User")


def record(
    session: Session,
    actor: Any,
    action: str,
    obj: Any,
    *,
    negotiation_id: int | None,
    summary: str = "",
    **data: Any,
) -> AuditEvent:
    """Add an audit event for ``obj`` (flushed, so its id is known) and return it."""
    session.flush()
    ev = AuditEvent(
        actor_id=getattr(actor, "id", None),
        negotiation_id=negotiation_id,
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
        summary=summary[:500],
        data=data,
    )
    session.add(ev)
    return ev


@event.listens_for(Session, "before_flush")
def _append_only(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise RuntimeError("audit events are append-only")
