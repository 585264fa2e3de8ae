"""Personal API tokens: a user's scripts call the JSON API as that user, and never as anyone more.

A token is shown once, when it is made; the database keeps only its sha256, the few characters
that start it (so that its owner can tell tokens apart) and when it was last used. A revoked
token, or the token of a deactivated account, no longer authenticates anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from drafter import audit
from drafter.auth.models import User
from drafter.dbtypes import UTCDateTime, utcnow
from drafter.errors import InvalidInput, NotAllowed, StateError
from drafter.extensions import db

#: what every token starts with, so that a leaked one is recognised in logs and by secret scanners
TOKEN_PREFIX = "drafter_"
#: characters of the token kept in clear to tell tokens apart ("drafter_Xy3k")
SHOWN_CHARS = len(TOKEN_PREFIX) + 6
MAX_NAME_CHARS = 80
#: how often a token's last use is written back
TOUCH_EVERY = dt.timedelta(minutes=1)


class ApiToken(db.Model):
    """A personal token for the JSON API: its owner's name for it, its hash, when it was used and revoked."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: what the owner calls it ("Capital's instruction tracker")
    name: Mapped[str] = mapped_column(sa.String(MAX_NAME_CHARS))
    #: sha256 of the token (the token itself is never stored)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: the token's first characters, shown on the account page
    prefix: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: updated at most once a minute
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def is_revoked(self) -> bool:
        """Return True once the token was revoked."""
        return self.revoked_at is not None


def token_hash(token: str) -> str:
    """Return the hash under which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def create(session: Session, actor: User | None, user: User, name: str, *, now: dt.datetime | None = None) -> str:
    """Make a token for ``user`` named ``name`` and return it: the only time it is known in full."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("Give the token a name, such as the program that will use it.")
    if len(name) > MAX_NAME_CHARS:
        raise InvalidInput(f"A token's name may have at most {MAX_NAME_CHARS} characters.")
    if actor is not None and actor.id != user.id:
        raise NotAllowed("You may make tokens for your own account only.")
    if not user.active:
        raise StateError(f"{user.email} is deactivated: a token of theirs would not work.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user=user, name=name, token_hash=token_hash(token), prefix=token[:SHOWN_CHARS], created_at=now or utcnow()
    )
    session.add(row)
    audit.record(
        session,
        actor,
        "token.created",
        row,
        negotiation_id=None,
        summary=f"Made the API token {row.prefix}… “{name}” for {user.email}",
        name=name,
        prefix=row.prefix,
    )
    return token


def revoke(session: Session, actor: User | None, row: ApiToken, *, now: dt.datetime | None = None) -> None:
    """Revoke a token: it authenticates nothing from now on (revoking it again changes nothing)."""
    if actor is not None and actor.id != row.user_id and not actor.is_admin:
        raise NotAllowed("You may revoke your own tokens only.")
    if row.is_revoked:
        return
    row.revoked_at = now or utcnow()
    audit.record(
        session,
        actor,
        "token.revoked",
        row,
        negotiation_id=None,
        summary=f"Revoked the API token {row.prefix}… “{row.name}” of {row.user.email}",
        prefix=row.prefix,
    )


def find(session: Session, token: str) -> ApiToken | None:
    """Return the live token row for this token (not revoked, its account active), or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == token_hash(token)))
    if row is None or row.is_revoked or not row.user.active:
        return None
    return row


def touch(row: ApiToken, *, now: dt.datetime | None = None) -> bool:
    """Record that the token was used now, if last recorded long enough ago; return True if it changed."""
    now = now or utcnow()
    if row.last_used_at is not None and now - row.last_used_at < TOUCH_EVERY:
        return False
    row.last_used_at = now
    return True


def of_user(session: Session, user: User) -> list[ApiToken]:
    """Return the user's tokens, live ones first, newest first."""
    return list(
        session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def by_prefix(session: Session, user: User, prefix: str) -> list[ApiToken]:
    """Return the user's live tokens whose shown characters start with ``prefix`` (the command line names them so)."""
    return [t for t in of_user(session, user) if not t.is_revoked and t.prefix.startswith(prefix)]
