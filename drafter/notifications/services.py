"""Tell people what happened: one call from each service that changes what they must know.

Each verb below writes a ``Notification`` per recipient (the in-app list) and marks it for the
outbox when its recipient wants e-mail and a mail server is set; ``sender`` sends it later,
outside the request. Proposals are not told one by one: each becomes a ``DigestEntry``, and
``gathering.gather`` turns a negotiation's entries into one summary once none has arrived for a while.
Like every service these flush and never commit.

This package sits above ``auth`` and ``drafting`` and below ``proposals`` and ``lifecycle``,
which call it; proposals and silence breaks are only typed here, never imported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app, has_app_context, has_request_context, request
from sqlalchemy.orm import Session

from drafter.auth.models import Membership, Role, User
from drafter.dbtypes import utcnow
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import Negotiation, ParagraphVersion, Revision
from drafter.errors import InvalidInput
from drafter.notifications.models import (
    Delivery,
    DigestEntry,
    MailState,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from drafter.text.masthead import printed_date

if TYPE_CHECKING:
    from drafter.drafting.models import SilenceBreak
    from drafter.proposals.models import Proposal

#: most notifications kept on the list page
LIST_LIMIT = 200


# -- words -------------------------------------------------------------------------------------


def when(moment: dt.datetime) -> str:
    """Return a moment in UTC as the mails print it: "4 December 2026, 18:00 UTC"."""
    moment = moment.astimezone(dt.UTC)
    return f"{printed_date(moment.date())}, {moment:%H:%M} UTC"


def address(path: str) -> str:
    """Return the address of a page: the app's own address (``BASE_URL``, else the request's) before its path."""
    base = current_app.config.get("BASE_URL", "") if has_app_context() else ""
    if not base and has_request_context():
        base = request.url_root
    return base.rstrip("/") + path if base else path


def revision_path(revision: Revision, page: str = "") -> str:
    return f"/n/{revision.negotiation.slug}/r/{revision.seq}/{page}"


def mail_configured() -> bool:
    """Return True when a mail server is set (``DRAFTER_SMTP_HOST``)."""
    return has_app_context() and bool(str(current_app.config.get("SMTP_HOST") or "").strip())


# -- who wants what ----------------------------------------------------------------------------


def deliveries(session: Session, user: User) -> dict[NotificationKind, Delivery]:
    """Return what the user receives of each kind (e-mail too, unless they chose otherwise)."""
    chosen = {
        p.kind: p.delivery
        for p in session.scalars(sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    }
    return {kind: chosen.get(kind, Delivery.EMAIL) for kind in NotificationKind}


def set_deliveries(session: Session, user: User, choices: dict[NotificationKind, Delivery]) -> None:
    """Record what the user receives of each kind."""
    unknown = [k for k in choices if not isinstance(k, NotificationKind)]
    if unknown or not all(isinstance(d, Delivery) for d in choices.values()):
        raise InvalidInput("Choose e-mail too, in the app only or none for each kind of notification.")
    rows = {
        p.kind: p
        for p in session.scalars(sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    }
    for kind, delivery in choices.items():
        if kind in rows:
            rows[kind].delivery = delivery
        else:
            session.add(NotificationPreference(user_id=user.id, kind=kind, delivery=delivery))
    session.flush()


def members(
    session: Session, negotiation_id: int, roles: Sequence[Role], delegation_id: int | None = None
) -> list[User]:
    query = (
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.negotiation_id == negotiation_id, Membership.role.in_(roles), User.active.is_(True))
        .order_by(User.id)
        .distinct()
    )
    if delegation_id is not None:
        query = query.where(Membership.delegation_id == delegation_id)
    return list(session.scalars(query))


def tell(
    session: Session,
    recipients: Iterable[User],
    kind: NotificationKind,
    *,
    negotiation: Negotiation | None,
    subject: str,
    body: str,
    path: str = "",
    revision_id: int | None = None,
    now: dt.datetime | None = None,
) -> list[Notification]:
    """Write the notification for each recipient who wants this kind; mark for mail those who want mail too."""
    now = now or utcnow()
    people = {u.id: u for u in recipients}
    if not people:
        return []
    chosen = dict(
        session.execute(
            sa.select(NotificationPreference.user_id, NotificationPreference.delivery).where(
                NotificationPreference.user_id.in_(people), NotificationPreference.kind == kind
            )
        ).all()
    )
    mail = mail_configured()
    link = address(path) if path else ""
    made = []
    for uid in people:
        delivery = chosen.get(uid, Delivery.EMAIL)
        if delivery is Delivery.NONE:
            continue
        by_mail = mail and delivery is Delivery.EMAIL
        made.append(
            Notification(
                user_id=uid,
                negotiation_id=negotiation.id if negotiation else None,
                revision_id=revision_id,
                kind=kind,
                subject=subject[:200],
                body=body,
                link=link[:500],
                created_at=now,
                mail_state=MailState.PENDING if by_mail else MailState.NONE,
                next_attempt_at=now if by_mail else None,
            )
        )
    session.add_all(made)
    session.flush()
    return made


def _tell_revision(
    session: Session,
    revision: Revision,
    kind: NotificationKind,
    roles: Sequence[Role],
    subject: str,
    lines: Sequence[str],
    page: str = "",
    now: dt.datetime | None = None,
) -> list[Notification]:
    n = revision.negotiation
    path = revision_path(revision, page)
    body = "\n\n".join([*lines, f"Open it: {address(path)}"])
    return tell(
        session,
        members(session, n.id, roles),
        kind,
        negotiation=n,
        subject=f"{n.title}: {subject}",
        body=body,
        path=path,
        revision_id=revision.id,
        now=now,
    )


# -- what happened -----------------------------------------------------------------------------


def revision_circulated(session: Session, revision: Revision, *, now: dt.datetime | None = None) -> None:
    """Tell the delegates that a revision is circulated, and until when it takes proposals."""
    deadline = revision.proposal_deadline
    due = (
        f"Proposals are due by {when(deadline)}."
        if deadline
        else "There is no deadline for proposals yet; you will be told when one is set."
    )
    _tell_revision(
        session,
        revision,
        NotificationKind.CIRCULATED,
        [Role.DELEGATE],
        f"{revision.label} circulated",
        [f"The co-facilitators circulated {revision.label} of “{revision.negotiation.title}”.", due],
        now=now,
    )


def deadline_moved(
    session: Session, revision: Revision, before: dt.datetime | None, *, now: dt.datetime | None = None
) -> None:
    """Tell the delegates that the proposal deadline of a circulated revision moved."""
    after, now = revision.proposal_deadline, now or utcnow()
    if after == before:
        return
    if after is None:
        line = f"Proposals on {revision.label} no longer have a deadline."
    elif after <= now:
        line = f"Proposals on {revision.label} are closed as of {when(after)}."
    else:
        line = f"Proposals on {revision.label} are now due by {when(after)}."
    was = f"The deadline was {when(before)}." if before else "There was no deadline before."
    _tell_revision(
        session,
        revision,
        NotificationKind.DEADLINE_MOVED,
        [Role.DELEGATE],
        f"the deadline for proposals on {revision.label} moved",
        [line, was],
        now=now,
    )


def silence_started(session: Session, revision: Revision, *, now: dt.datetime | None = None) -> None:
    """Tell the delegates that a text is under silence, until when, and how to break it."""
    until = revision.silence_until
    assert until is not None
    _tell_revision(
        session,
        revision,
        NotificationKind.SILENCE_STARTED,
        [Role.DELEGATE],
        f"{revision.label} is under silence until {when(until)}",
        [
            f"{revision.label} of “{revision.negotiation.title}” is under a silence procedure until {when(until)}.",
            "If your delegation cannot join consensus, break the silence before then on the circulation page "
            "(your statement, and the paragraphs concerned). Without a break, the text can be adopted.",
        ],
        page="lifecycle#break",
        now=now,
    )


def silence_broken(session: Session, brk: SilenceBreak, *, now: dt.datetime | None = None) -> None:
    """Tell the delegates and the co-facilitators that a delegation broke the silence."""
    revision = brk.revision
    refs = {}
    if brk.paragraph_ids:
        versions = list(revision.versions)
        by_version = revision_refs(versions)
        refs = {v.paragraph_id: by_version[v.id] for v in versions}
    on = ", ".join(refs.get(pid, "") for pid in brk.paragraph_ids if pid in refs)
    _tell_revision(
        session,
        revision,
        NotificationKind.SILENCE_BROKEN,
        [Role.DELEGATE, Role.COFACILITATOR],
        f"{brk.delegation.name} broke the silence on {revision.label}",
        [
            f"{brk.delegation.name} broke the silence on {revision.label}" + (f", on {on}." if on else "."),
            f"Their statement:\n{brk.statement}",
        ],
        page="lifecycle",
        now=now,
    )


def revision_adopted(session: Session, revision: Revision, *, now: dt.datetime | None = None) -> None:
    """Tell the delegates that a text was adopted (which ends its silence procedure)."""
    _tell_revision(
        session,
        revision,
        NotificationKind.SILENCE_ENDED,
        [Role.DELEGATE],
        f"{revision.label} adopted",
        [f"{revision.label} of “{revision.negotiation.title}” has been adopted."],
        now=now,
    )


def silence_ended(session: Session, revision: Revision, now: dt.datetime) -> None:
    """Tell the delegates and co-facilitators that a silence passed unbroken (``gathering`` finds it)."""
    _tell_revision(
        session,
        revision,
        NotificationKind.SILENCE_ENDED,
        [Role.DELEGATE, Role.COFACILITATOR],
        f"the silence on {revision.label} ended unbroken",
        [
            f"The silence procedure on {revision.label} of “{revision.negotiation.title}” ended at "
            f"{when(revision.silence_until or now)} without a break.",
            "The co-facilitators can now mark the text adopted.",
        ],
        now=now,
    )


def proposal_decided(session: Session, proposal: Proposal, *, now: dt.datetime | None = None) -> None:
    """Tell the delegates of the proposal's delegation what the co-facilitators decided."""
    revision = proposal.revision
    n = revision.negotiation
    about = _what(proposal)
    ref = "" if proposal.kind.is_title else _ref_of(revision, proposal.target_version)
    lines = [
        f"The co-facilitators decided {proposal.delegation.name}'s proposal #{proposal.id} on {revision.label} "
        f"({f'{about} {ref}'.strip()}): {proposal.state.label.lower()}."
    ]
    if proposal.decision_note:
        lines.append(f"Their note:\n{proposal.decision_note}")
    path = f"/n/{n.slug}/proposals/{proposal.id}"
    lines.append(f"Open it: {address(path)}")
    tell(
        session,
        members(session, n.id, [Role.DELEGATE], proposal.delegation_id),
        NotificationKind.DECIDED,
        negotiation=n,
        subject=f"{n.title}: proposal #{proposal.id} {proposal.state.label.lower()}",
        body="\n\n".join(lines),
        path=path,
        revision_id=revision.id,
        now=now,
    )


def _what(proposal: Proposal) -> str:
    return {
        "amend": "an amendment to",
        "insert": "a new paragraph after",
        "delete": "the deletion of",
        "retain": "the retention of",
        "title": "a new wording of the title",
    }[proposal.kind.value]


def _ref_of(revision: Revision, version: ParagraphVersion | None) -> str:
    if version is None:
        return "the start of the text"
    return revision_refs(revision.versions).get(version.id, version.number_label or "a paragraph")


def proposal_arrived(session: Session, proposal: Proposal, *, now: dt.datetime | None = None) -> None:
    """Keep the proposal for the co-facilitators' next summary (written by ``gathering.gather`` after a quiet period)."""
    target = proposal.target_version
    session.add(
        DigestEntry(
            negotiation_id=proposal.revision.negotiation_id,
            revision_id=proposal.revision_id,
            delegation=proposal.delegation.name[:120],
            what=_what(proposal),
            paragraph_id=target.paragraph_id if target is not None else None,
            created_at=now or utcnow(),
        )
    )


# -- the list ----------------------------------------------------------------------------------


def listed(session: Session, user: User) -> list[Notification]:
    """Return the user's notifications, newest first."""
    return list(
        session.scalars(
            sa.select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(LIST_LIMIT)
        )
    )


def unread_count(session: Session, user: User) -> int:
    """Return how many of the user's notifications are unread."""
    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def mark_read(session: Session, user: User, notification: Notification, *, now: dt.datetime | None = None) -> None:
    """Mark one of the user's notifications read."""
    if notification.user_id != user.id:
        raise InvalidInput("That notification is not yours.")
    if notification.read_at is None:
        notification.read_at = now or utcnow()
    session.flush()


def mark_all_read(session: Session, user: User, *, now: dt.datetime | None = None) -> int:
    """Mark every notification of the user read; return how many were unread."""
    result = session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
    )
    return result.rowcount or 0
