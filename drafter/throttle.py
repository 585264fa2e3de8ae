"""Rate limits shared by every app process: hits counted in the database, per key and window.

A key names who is limited and for what ("login-account:jane@example.org", "diff:42"). Hits
are rows of the request's own transaction: the request commits them (a refused sign-in commits
nothing else), and from then on every app process counts them. Concurrent hits may each pass a check that the other would have failed: a limit of N lets
through at most N plus one per app process at the same instant, which is what a throttle needs.
"""

from __future__ import annotations

import datetime as dt
import math

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from drafter.dbtypes import UTCDateTime, utcnow
from drafter.extensions import db


class ThrottleHit(db.Model):
    """One counted attempt under a key."""

    __tablename__ = "throttle_hits"
    __table_args__ = (sa.Index("ix_throttle_hits_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(300))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


def _key(key: str) -> str:
    return key[:300]


def wait(session: Session, key: str, *, limit: int, per: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Return 0 when ``key`` has had fewer than ``limit`` hits in the last ``per``, else the seconds to wait."""
    now = now or utcnow()
    times = session.scalars(
        sa.select(ThrottleHit.at)
        .where(ThrottleHit.key == _key(key), ThrottleHit.at > now - per)
        .order_by(ThrottleHit.at.desc())
        .limit(limit)
    ).all()
    if len(times) < limit:
        return 0
    # the oldest of the last `limit` hits leaves the window first
    return max(1, math.ceil((times[-1] + per - now).total_seconds()))


def hit(session: Session, key: str, *, per: dt.timedelta, now: dt.datetime | None = None) -> None:
    """Count one hit for ``key``, and forget its hits older than ``per``."""
    now = now or utcnow()
    session.execute(sa.delete(ThrottleHit).where(ThrottleHit.key == _key(key), ThrottleHit.at <= now - per))
    session.add(ThrottleHit(key=_key(key), at=now))
    session.flush()


def allow(session: Session, key: str, *, limit: int, per: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Count one hit for ``key``; return 0 when it is within ``limit`` per ``per``, else the seconds to wait.

    A refused attempt is not counted, so a client that keeps trying is let in again as soon as
    its earlier hits leave the window.
    """
    now = now or utcnow()
    seconds = wait(session, key, limit=limit, per=per, now=now)
    if seconds == 0:
        hit(session, key, per=per, now=now)
    return seconds


def clear(session: Session, key: str) -> None:
    """Forget every hit of ``key`` (a successful sign-in clears its account's failures)."""
    session.execute(sa.delete(ThrottleHit).where(ThrottleHit.key == _key(key)))
