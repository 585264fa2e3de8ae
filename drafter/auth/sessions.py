"""Signed-in sessions kept in the database, so that they can be ended from the server.

The session cookie holds a random token; the database holds its hash, the user and when it
was last used. A session holds while its row exists and it has not been idle for longer than
the configured lifetime. Ending a user's sessions deletes their rows: a copied cookie stops
working on the next request, on every app process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy.orm import Session

from drafter.auth.models import User, UserSession
from drafter.dbtypes import utcnow

#: the key of the session cookie that holds the token of the user's session row
COOKIE_KEY = "sid"
#: how often a session's last use is written back (a write on every request would cost more than it tells)
TOUCH_EVERY = dt.timedelta(minutes=1)


def token_hash(token: str) -> str:
    """Return the hash under which a session token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    session: Session, user: User, *, address: str = "", user_agent: str = "", now: dt.datetime | None = None
) -> str:
    """Open a session for the user and return the token for their cookie."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            user_id=user.id,
            token_hash=token_hash(token),
            created_at=now,
            last_seen_at=now,
            address=(address or "")[:64],
            user_agent=(user_agent or "")[:200],
        )
    )
    session.flush()
    return token


def find(
    session: Session, user_id: int, token: str | None, *, idle: dt.timedelta, now: dt.datetime | None = None
) -> UserSession | None:
    """Return the user's live session for this token, or None when it was ended or has been idle too long."""
    if not token:
        return None
    now = now or utcnow()
    row = session.scalar(sa.select(UserSession).where(UserSession.token_hash == token_hash(token)))
    if row is None or row.user_id != user_id:
        return None
    if now - row.last_seen_at > idle:
        return None
    return row


def touch(row: UserSession, *, now: dt.datetime | None = None) -> bool:
    """Record that the session was used now, if it was last recorded long enough ago; return True if it changed."""
    now = now or utcnow()
    if now - row.last_seen_at < TOUCH_EVERY:
        return False
    row.last_seen_at = now
    return True


def end(session: Session, token: str | None) -> None:
    """End the session of this token (this browser only)."""
    if token:
        session.execute(sa.delete(UserSession).where(UserSession.token_hash == token_hash(token)))


def end_all(session: Session, user: User) -> int:
    """End every session of the user, wherever it is; return how many there were."""
    result = session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))
    return result.rowcount or 0


def of_user(session: Session, user: User) -> list[UserSession]:
    """Return the user's open sessions, most recently used first."""
    return list(
        session.scalars(
            sa.select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.last_seen_at.desc())
        )
    )


def user() -> User:
    """Return the signed-in user (views are behind login_required)."""
    return current_user._get_current_object()  # type: ignore[attr-defined]
