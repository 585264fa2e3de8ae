"""What a user is told: one row per recipient (the in-app list and the outbox), their choices, and the
proposals waiting to be summarised for the co-facilitators."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafter.auth.models import User
from drafter.dbtypes import UTCDateTime, enum_type, utcnow
from drafter.extensions import db


class NotificationKind(StrEnum):
    CIRCULATED = "circulated"  #: a revision was circulated for proposals, with its deadline
    DEADLINE_MOVED = "deadline_moved"  #: the proposal deadline of a circulated revision changed
    SILENCE_STARTED = "silence_started"  #: a text was put under silence
    SILENCE_BROKEN = "silence_broken"  #: a delegation broke the silence
    SILENCE_ENDED = "silence_ended"  #: the silence passed unbroken, or the text was adopted
    DECIDED = "decided"  #: the co-facilitators decided one of the delegation's proposals
    PROPOSALS = "proposals"  #: proposals arrived (one summary after a quiet period)

    @property
    def label(self) -> str:
        return {
            "circulated": "A revision is circulated",
            "deadline_moved": "A proposal deadline moves",
            "silence_started": "A text goes under silence",
            "silence_broken": "The silence is broken",
            "silence_ended": "The silence ends, or the text is adopted",
            "decided": "Your delegation's proposals are decided",
            "proposals": "Proposals arrive (one summary after a quiet period)",
        }[self.value]


class Delivery(StrEnum):
    EMAIL = "email"  #: in the list and by e-mail
    IN_APP = "in_app"  #: in the list only
    NONE = "none"  #: not at all

    @property
    def label(self) -> str:
        return {"email": "E-mail too", "in_app": "In the app only", "none": "None"}[self.value]


class MailState(StrEnum):
    NONE = "none"  #: not to be mailed (the user chose the list only, or no mail server is set)
    PENDING = "pending"  #: waiting for the sender (again, after a failed attempt)
    SENDING = "sending"  #: claimed by a sender
    SENT = "sent"  #: accepted by the mail server
    FAILED = "failed"  #: given up after the last attempt

    @property
    def note(self) -> str:
        """Return what the list says of the mail: "" when there is nothing to say."""
        return {
            "pending": "e-mail on its way",
            "sending": "e-mail on its way",
            "sent": "e-mailed",
            "failed": "the e-mail could not be delivered",
        }.get(self.value, "")


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        sa.Index("ix_notifications_user_created", "user_id", "created_at"),
        sa.Index("ix_notifications_mail_due", "mail_state", "next_attempt_at"),
        # what one user was told, not the negotiation's record (the audit log is): a backup leaves it out
        {"info": {"backup": "skip"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    negotiation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("negotiations.id", ondelete="CASCADE"))
    #: the revision it is about; no foreign key, so a discarded revision leaves the message as it was
    revision_id: Mapped[int | None]
    kind: Mapped[NotificationKind] = mapped_column(enum_type(NotificationKind))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    #: where to read more: an absolute address when the app's address is known, else a path
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    mail_state: Mapped[MailState] = mapped_column(enum_type(MailState), default=MailState.NONE)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: the sender that took the row, and when: a claim older than the sender's patience is taken again
    claim_token: Mapped[str] = mapped_column(sa.String(32), default="")
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(sa.String(500), default="")

    user: Mapped[User] = relationship()


class NotificationPreference(db.Model):
    """What a user receives of one kind; without a row, the kind comes by e-mail too."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[NotificationKind] = mapped_column(enum_type(NotificationKind), primary_key=True)
    delivery: Mapped[Delivery] = mapped_column(enum_type(Delivery))


class DigestEntry(db.Model):
    """A proposal waiting to be summarised to the co-facilitators once proposals stop arriving for a while."""

    __tablename__ = "notification_digest_entries"
    __table_args__ = (
        sa.Index("ix_notification_digest_entries_negotiation", "negotiation_id", "created_at"),
        {"info": {"backup": "skip"}},  # transient: gone once summarised
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(sa.ForeignKey("negotiations.id", ondelete="CASCADE"))
    revision_id: Mapped[int | None]
    delegation: Mapped[str] = mapped_column(sa.String(120))
    #: what is proposed, in words that take the paragraph's reference: "an amendment to", "a new paragraph after"
    what: Mapped[str] = mapped_column(sa.String(60))
    #: the paragraph it concerns (None: the start of the text); no foreign key, it only names it
    paragraph_id: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
