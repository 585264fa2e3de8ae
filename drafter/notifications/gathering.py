"""What time brings, written by the sender outside any request: the co-facilitators' summaries of the
proposals that arrived, once none has come for a while, and the silences that ended unbroken."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from drafter.auth.models import Role
from drafter.dbtypes import utcnow
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import Negotiation, Revision, RevisionState
from drafter.notifications import services
from drafter.notifications.models import DigestEntry, Notification, NotificationKind

#: proposals are summarised once none has arrived for this long
DEFAULT_DIGEST_QUIET = dt.timedelta(minutes=15)
#: ... or once the oldest waiting one is this many quiet periods old, when they never stop arriving
DIGEST_LONGEST_WAIT = 4


def digest_quiet() -> dt.timedelta:
    """Return the quiet period after which proposals are summarised (``DRAFTER_NOTIFY_DIGEST_MINUTES``)."""
    minutes = current_app.config.get("NOTIFY_DIGEST_MINUTES") if has_app_context() else None
    return dt.timedelta(minutes=float(minutes)) if minutes is not None else DEFAULT_DIGEST_QUIET


def _skip_locked(session: Session, query: sa.Select) -> sa.Select:
    """Return the query locking its rows, passing over rows another sender holds (PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True)
    return query  # SQLite has one writer at a time: the delete below is the claim


def gather(session: Session, *, now: dt.datetime | None = None) -> int:
    """Write what time brings: the proposal summaries that are due, and the silences that ended unbroken.

    Return the number of summaries and silence ends told.
    """
    now = now or utcnow()
    quiet = digest_quiet()
    told = 0
    due = session.execute(
        sa.select(DigestEntry.negotiation_id)
        .group_by(DigestEntry.negotiation_id)
        .having(
            sa.or_(
                sa.func.max(DigestEntry.created_at) <= now - quiet,
                sa.func.min(DigestEntry.created_at) <= now - quiet * DIGEST_LONGEST_WAIT,
            )
        )
    ).scalars()
    for negotiation_id in list(due):
        told += _summarise(session, negotiation_id, now)
    ended = session.scalars(
        _skip_locked(
            session,
            sa.select(Revision).where(
                Revision.state == RevisionState.UNDER_SILENCE,
                Revision.silence_until <= now,
                ~Revision.silence_breaks.any(),
            ),
        )
    ).all()
    for revision in ended:
        already = session.scalar(
            sa.select(Notification.id)
            .where(Notification.revision_id == revision.id, Notification.kind == NotificationKind.SILENCE_ENDED)
            .limit(1)
        )
        if already is None:
            services.silence_ended(session, revision, now)
            told += 1
    session.flush()
    return told


def _summarise(session: Session, negotiation_id: int, now: dt.datetime) -> int:
    entries = session.scalars(
        _skip_locked(
            session,
            sa.select(DigestEntry).where(DigestEntry.negotiation_id == negotiation_id).order_by(DigestEntry.id),
        )
    ).all()
    if not entries:
        return 0  # another sender is summarising them
    n = session.get(Negotiation, negotiation_id)
    revisions = {r.id: r for r in n.revisions} if n else {}
    refs: dict[int, dict[int, str]] = {}
    for rid in {e.revision_id for e in entries}:
        if rid in revisions:
            by_version = revision_refs(revisions[rid].versions)
            refs[rid] = {v.paragraph_id: by_version[v.id] for v in revisions[rid].versions}
    lines = []
    for e in entries:
        ref = "the start of the text" if e.paragraph_id is None else refs.get(e.revision_id, {}).get(e.paragraph_id)
        lines.append(f"- {e.delegation}: {e.what} {ref or 'a paragraph'}")
    for e in entries:
        session.delete(e)
    if n is None:
        return 0
    latest = max((revisions[e.revision_id] for e in entries if e.revision_id in revisions), key=lambda r: r.seq)
    count = len(entries)
    path = services.revision_path(latest, "compilation")
    body = "\n".join(
        [
            f"{count} proposal{'s' if count != 1 else ''} arrived on “{n.title}” "
            f"between {services.when(entries[0].created_at)} and {services.when(entries[-1].created_at)}:",
            "",
            *lines,
            "",
            f"Read them in the compilation: {services.address(path)}",
        ]
    )
    services.tell(
        session,
        services.members(session, n.id, [Role.COFACILITATOR]),
        NotificationKind.PROPOSALS,
        negotiation=n,
        subject=f"{n.title}: {count} new proposal{'s' if count != 1 else ''}",
        body=body,
        path=path,
        revision_id=latest.id,
        now=now,
    )
    return 1
