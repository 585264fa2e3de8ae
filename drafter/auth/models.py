"""Users, delegations and their roles in negotiations."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafter.dbtypes import UTCDateTime, enum_type, utcnow
from drafter.extensions import db

if TYPE_CHECKING:
    from drafter.drafting.models import Negotiation


class DelegationKind(StrEnum):
    MEMBER_STATE = "member_state"  #: a member state of the organization
    OBSERVER = "observer"  #: an observer state or entity
    GROUP = "group"  #: a group that speaks for several states ("G77 and China", "European Union")

    @property
    def label(self) -> str:
        return {"member_state": "Member State", "observer": "Observer", "group": "Group"}[self.value]


class Role(StrEnum):
    COFACILITATOR = "cofacilitator"  #: owns the text: drafts, circulates, decides proposals
    SECRETARIAT = "secretariat"  #: produces the Word files, keeps the record, manages members
    DELEGATE = "delegate"  #: speaks for one delegation: proposes, co-sponsors, supports
    OBSERVER = "observer"  #: reads circulated revisions and released compilations

    @property
    def label(self) -> str:
        return {
            "cofacilitator": "Co-facilitator",
            "secretariat": "Secretariat",
            "delegate": "Delegate",
            "observer": "Observer",
        }[self.value]


class Delegation(db.Model):
    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[DelegationKind] = mapped_column(enum_type(DelegationKind))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Delegation {self.name!r}>"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    #: administers the whole instance: users, delegations, negotiations
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    #: the password was set by an administrator: the user must choose their own before anything else
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users at login
        return self.active

    def membership_in(self, negotiation_id: int) -> Membership | None:
        """Return this user's membership in a negotiation, or None."""
        for m in self.memberships:
            if m.negotiation_id == negotiation_id:
                return m
        return None

    def __repr__(self) -> str:
        return f"<User {self.email!r}>"


class UserSession(db.Model):
    """A signed-in browser: the session cookie carries its token, the database decides whether it still holds.

    Signing out, changing or resetting the password and deactivating the account delete the
    user's rows, which ends those sessions wherever their cookies are.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: sha256 of the random token in the cookie (the token itself is never stored)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: last request seen, updated at most once a minute; idle sessions expire from it
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the client's address and browser at sign-in, shown on the account page
    address: Mapped[str] = mapped_column(sa.String(64), default="")
    user_agent: Mapped[str] = mapped_column(sa.String(200), default="")


class Membership(db.Model):
    """A user's role in one negotiation (and, for a delegate, the delegation they speak for)."""

    __tablename__ = "memberships"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "negotiation_id"),
        sa.CheckConstraint("role <> 'delegate' OR delegation_id IS NOT NULL", name="delegate_has_delegation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    negotiation_id: Mapped[int] = mapped_column(sa.ForeignKey("negotiations.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_type(Role))
    delegation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("delegations.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    negotiation: Mapped[Negotiation] = relationship()
    delegation: Mapped[Delegation | None] = relationship()
