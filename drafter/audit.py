"""The audit log: who did what to which object, when. Append-only.

Append-only holds at three depths: the session refuses to flush a changed or deleted event, the
database refuses UPDATE and DELETE on ``audit_events`` (triggers created with the table, here
for ``create_all`` and in the migration for Alembic), and the foreign keys to users and
negotiations neither cascade nor set null, so deleting a user or a negotiation that is in the
record is refused instead of quietly erasing or blanking its evidence.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy import DDL, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from drafter.dbtypes import UTCDateTime, utcnow
from drafter.extensions import db

#: the message both databases give when something tries to change the record
APPEND_ONLY = "audit events are append-only"


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (
        sa.Index("ix_audit_events_negotiation_created", "negotiation_id", "created_at"),
        sa.Index("ix_audit_events_negotiation_revision", "negotiation_id", "revision_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: no ON DELETE action: an account that acted cannot be deleted out of the record
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: no ON DELETE action: a negotiation with a record cannot be deleted with it
    negotiation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("negotiations.id"))
    #: the revision the object belongs to; no foreign key, so a discarded revision's events keep it
    revision_id: Mapped[int | None]
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
        revision_id=revision_of(obj),
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
        summary=summary[:500],
        data=data,
    )
    session.add(ev)
    return ev


def revision_of(obj: Any) -> int | None:
    """Return the id of the revision ``obj`` is or belongs to, or None."""
    if getattr(obj, "__tablename__", None) == "revisions":
        return obj.id
    return getattr(obj, "revision_id", None)


@event.listens_for(Session, "before_flush")
def _append_only(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise RuntimeError(APPEND_ONLY)


# The same statements are in the migration that added them (migrations never import the app).
SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END",
)
POSTGRESQL_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{APPEND_ONLY}' USING ERRCODE = 'integrity_constraint_violation'; END $$",
    # row triggers only: TRUNCATE (which empties the test database) stays possible for the owner
    "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
)

for _statement in SQLITE_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
event.listen(
    AuditEvent.__table__,
    "after_drop",
    DDL("DROP FUNCTION IF EXISTS audit_events_append_only()").execute_if(dialect="postgresql"),
)
