"""The life of a revision once drafted: circulate it, move its deadline, put it under silence,
record silence breaks, adopt it, release its compilation.

These verbs sit above drafting and proposals: circulating closes the proposals on the revision
it supersedes, and refuses a text identical to the one it follows while proposals are open.
Like every service they take the session and the actor, flush, audit and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from drafter import audit
from drafter.auth.models import Delegation, User
from drafter.auth.permissions import may_break_silence_for
from drafter.dbtypes import utcnow
from drafter.drafting.models import Revision, RevisionState, SilenceBreak
from drafter.drafting.services import lock_negotiation, lock_revision, relabel
from drafter.errors import InvalidInput, NotAllowed, StateError
from drafter.notifications import services as notify
from drafter.proposals.models import Proposal, ProposalState

MAX_STATEMENT_CHARS = 20_000  #: longest silence-break statement accepted
#: how long a revision is open for proposals, and a silence procedure runs, unless the co-facilitators say otherwise
DEFAULT_PROPOSAL_PERIOD = dt.timedelta(days=7)
DEFAULT_SILENCE = dt.timedelta(hours=72)
#: a silence this much shorter than the minimum still counts as long enough: the time taken to fill in the form
SILENCE_GRACE = dt.timedelta(minutes=5)
MAX_OVERRIDE_REASON_CHARS = 1_000  #: longest reason for a silence shorter than the minimum


class ShortSilence(StateError):
    """The silence asked for is shorter than the negotiation's minimum, and no reason was given to override it."""

    def __init__(self, message: str, *, minimum: dt.timedelta) -> None:
        super().__init__(message)
        self.minimum = minimum


class DeadlineInPast(StateError):
    """The new proposal deadline has already passed: it would close proposals at once."""


class IdenticalRevision(StateError):
    """The revision to circulate has, word for word, the text of the revision it follows."""

    def __init__(self, message: str, *, previous: str, open_proposals: int) -> None:
        super().__init__(message)
        self.previous, self.open_proposals = previous, open_proposals


def _same_text(a: Revision, b: Revision) -> bool:
    """Return True when two revisions have the same title and chapeau, and the same paragraphs,
    kinds, words and footnotes, in the same order."""

    def text(r: Revision) -> list[object]:
        paragraphs = [(v.kind, v.level, v.text, v.notes) for v in sorted(r.versions, key=lambda v: v.position)]
        return [r.title, r.chapeau, *paragraphs]

    return text(a) == text(b)


def _check_not_identical(session: Session, revision: Revision, superseded: Sequence[Revision]) -> None:
    """Refuse to circulate a revision identical to the one it follows (its open proposals would close)."""

    previous = revision.base_revision
    if previous is None or not _same_text(revision, previous):
        return
    open_count = (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Proposal)
            .where(
                Proposal.revision_id.in_([r.id for r in superseded] or [-1]), Proposal.state == ProposalState.SUBMITTED
            )
        )
        or 0
    )
    closes = (
        f" Circulating it closes the {open_count} open proposal{'s' if open_count != 1 else ''} on "
        f"{', '.join(r.label for r in superseded)} as superseded, without a decision."
        if open_count
        else ""
    )
    raise IdenticalRevision(
        f"{revision.label} has exactly the same text as {previous.label}.{closes}",
        previous=previous.label,
        open_proposals=open_count,
    )


def circulate(
    session: Session,
    actor: User | None,
    revision: Revision,
    *,
    deadline: dt.datetime | None,
    now: dt.datetime | None = None,
    confirm_identical: bool = False,
) -> None:
    """Circulate a working revision: it becomes immutable, public, and open for proposals.

    A revision with exactly the text of the one it follows is refused (``IdenticalRevision``)
    unless ``confirm_identical`` says the user saw the warning and means it.
    """

    now = now or utcnow()
    lock_negotiation(session, revision.negotiation)
    for r in sorted(revision.negotiation.revisions, key=lambda r: r.seq):
        if r is revision or r.state in (RevisionState.CIRCULATED, RevisionState.UNDER_SILENCE):
            lock_revision(session, r, exclusive=True)
    if revision.state is not RevisionState.WORKING:
        raise StateError(f"{revision.label} has already been circulated.")
    if not revision.versions:
        raise StateError(f"{revision.label} has no paragraphs; add some before circulating it.")
    if deadline is not None and deadline <= now:
        raise InvalidInput("The proposal deadline must be in the future.")
    superseded = [
        earlier
        for earlier in revision.negotiation.revisions
        if earlier is not revision and earlier.state in (RevisionState.CIRCULATED, RevisionState.UNDER_SILENCE)
    ]
    if not confirm_identical:
        _check_not_identical(session, revision, superseded)
    for earlier in superseded:
        earlier.state = RevisionState.SUPERSEDED
        session.execute(
            sa.update(Proposal)
            .where(Proposal.revision_id == earlier.id, Proposal.state == ProposalState.SUBMITTED)
            .values(state=ProposalState.SUPERSEDED, version=Proposal.version + 1, updated_at=now)
        )
    relabel(revision)
    revision.state = RevisionState.CIRCULATED
    revision.circulated_at, revision.circulated_by_id, revision.proposal_deadline = (
        now,
        getattr(actor, "id", None),
        deadline,
    )
    audit.record(
        session,
        actor,
        "revision.circulated",
        revision,
        negotiation_id=revision.negotiation_id,
        summary=f"Circulated {revision.label}"
        + (f" with proposals due {deadline:%d %B %Y %H:%M} UTC" if deadline else ""),
        deadline=deadline.isoformat() if deadline else None,
    )
    notify.revision_circulated(session, revision, now=now)


def set_deadline(
    session: Session,
    actor: User | None,
    revision: Revision,
    deadline: dt.datetime | None,
    *,
    confirm_past: bool = False,
    now: dt.datetime | None = None,
) -> None:
    """Change the proposal deadline of a circulated revision (extend it, or close proposals now).

    A deadline already passed closes proposals at once: it is refused (``DeadlineInPast``) unless
    ``confirm_past`` says the user saw the warning and means it.
    """
    lock_revision(session, revision, exclusive=True)  # proposals being submitted finish first
    now = now or utcnow()
    if revision.state is not RevisionState.CIRCULATED:
        raise StateError(
            f"Proposals are only taken on a circulated revision; {revision.label} is {revision.state.label.lower()}."
        )
    if deadline is not None and deadline <= now and not confirm_past:
        raise DeadlineInPast(
            f"{deadline:%d %B %Y %H:%M} UTC has already passed: this deadline closes proposals on "
            f"{revision.label} now. Tick the box to confirm, or choose a later time."
        )
    before = revision.proposal_deadline
    revision.proposal_deadline = deadline
    audit.record(
        session,
        actor,
        "revision.deadline_set",
        revision,
        negotiation_id=revision.negotiation_id,
        summary=f"Set the proposal deadline of {revision.label}",
        before=before.isoformat() if before else None,
        after=deadline.isoformat() if deadline else None,
    )
    notify.deadline_moved(session, revision, before, now=now)


def default_deadline(now: dt.datetime) -> dt.datetime:
    """Return the proposal deadline offered when circulating: a week from now, at 18:00."""
    return (now + DEFAULT_PROPOSAL_PERIOD).replace(hour=18, minute=0, second=0, microsecond=0)


def default_silence_until(now: dt.datetime, minimum: dt.timedelta = DEFAULT_SILENCE) -> dt.datetime:
    """Return the end of a silence procedure offered when starting one: the minimum from now, on the next hour."""
    end = now + max(minimum, dt.timedelta(0))
    rounded = end.replace(minute=0, second=0, microsecond=0)
    return rounded if rounded == end else rounded + dt.timedelta(hours=1)


def _hours(span: dt.timedelta) -> str:
    hours = round(span.total_seconds() / 3600, 1)
    return f"{hours:g} hour{'s' if hours != 1 else ''}"


def put_under_silence(
    session: Session,
    actor: User | None,
    revision: Revision,
    *,
    until: dt.datetime,
    now: dt.datetime | None = None,
    minimum: dt.timedelta = dt.timedelta(0),
    override_reason: str = "",
) -> None:
    """Put a circulated revision under a silence procedure until the given time.

    A silence shorter than ``minimum`` (the web passes ``DRAFTER_MIN_SILENCE_HOURS``) is refused
    (``ShortSilence``) unless ``override_reason`` says why; the reason is kept in the record.
    """
    now = now or utcnow()
    lock_revision(session, revision, exclusive=True)
    if revision.state is not RevisionState.CIRCULATED:
        raise StateError(
            f"Only the circulated text can be put under silence; {revision.label} is {revision.state.label.lower()}."
        )
    if until <= now:
        raise InvalidInput("The silence procedure must end in the future.")
    override_reason = " ".join(override_reason.split())
    if len(override_reason) > MAX_OVERRIDE_REASON_CHARS:
        raise InvalidInput(f"A reason may have at most {MAX_OVERRIDE_REASON_CHARS:,} characters.")
    short = until - now < minimum - SILENCE_GRACE
    if short and not override_reason:
        raise ShortSilence(
            f"This silence lasts {_hours(until - now)}, less than the minimum of {_hours(minimum)}. "
            "Give the reason for a shorter silence to confirm it, or choose a later end.",
            minimum=minimum,
        )
    revision.state, revision.silence_until = RevisionState.UNDER_SILENCE, until
    revision.proposal_deadline = min(revision.proposal_deadline or now, now)
    audit.record(
        session,
        actor,
        "revision.silence_started",
        revision,
        negotiation_id=revision.negotiation_id,
        summary=f"Put {revision.label} under silence until {until:%d %B %Y %H:%M} UTC"
        + (f", shorter than the minimum of {_hours(minimum)}: {override_reason}" if short else ""),
        until=until.isoformat(),
        **({"minimum_hours": minimum.total_seconds() / 3600, "override_reason": override_reason} if short else {}),
    )
    notify.silence_started(session, revision, now=now)


def record_silence_break(
    session: Session,
    actor: User | None,
    revision: Revision,
    *,
    delegation: Delegation,
    statement: str,
    paragraph_ids: Sequence[int] = (),
    now: dt.datetime | None = None,
) -> SilenceBreak:
    """Record that a delegation broke the silence on a revision, and on which paragraphs.

    Delegates record their own delegation's break; those who keep the record record anyone's.
    ``actor`` None is the command line.
    """
    if actor is not None and not may_break_silence_for(actor, revision.negotiation, delegation):
        raise NotAllowed(f"You may record a silence break only for your own delegation, not for {delegation.name}.")
    lock_revision(session, revision)  # an adoption being marked finishes first, or waits for this break
    now = now or utcnow()
    if revision.state is not RevisionState.UNDER_SILENCE:
        raise StateError(f"{revision.label} is not under silence.")
    if revision.silence_until and now >= revision.silence_until:
        raise StateError("The silence procedure has ended; a break can no longer be recorded.")
    statement = statement.strip()
    if not statement:
        raise InvalidInput("The delegation's statement is required.")
    if len(statement) > MAX_STATEMENT_CHARS:
        raise InvalidInput(f"The statement is too long (at most {MAX_STATEMENT_CHARS:,} characters).")
    known = {v.paragraph_id for v in revision.versions}
    unknown = [pid for pid in paragraph_ids if pid not in known]
    if unknown:
        raise InvalidInput("Some of the paragraphs named are not part of this revision.")
    brk = SilenceBreak(
        revision=revision,
        delegation=delegation,
        statement=statement,
        paragraph_ids=list(dict.fromkeys(paragraph_ids)),
        recorded_by_id=getattr(actor, "id", None),
        created_at=now,
    )
    session.add(brk)
    audit.record(
        session,
        actor,
        "revision.silence_broken",
        brk,
        negotiation_id=revision.negotiation_id,
        summary=f"{delegation.name} broke the silence on {revision.label}",
        paragraphs=list(paragraph_ids),
    )
    notify.silence_broken(session, brk, now=now)
    return brk


def adoption_refusal(revision: Revision, now: dt.datetime) -> str:
    """Return why the revision cannot be marked adopted now, in plain words ("" when it can)."""
    if revision.state is RevisionState.UNDER_SILENCE:
        if revision.silence_breaks:
            names = ", ".join(dict.fromkeys(b.delegation.name for b in revision.silence_breaks))
            return f"The silence was broken by {names}. Start a new revision to address it."
        if revision.silence_until and now < revision.silence_until:
            return (
                f"The silence procedure runs until {revision.silence_until:%d %B %Y %H:%M} UTC; "
                f"{revision.label} can be marked adopted once it has ended unbroken."
            )
        return ""
    if revision.state is not RevisionState.CIRCULATED:
        return f"Only the circulated text can be adopted; {revision.label} is {revision.state.label.lower()}."
    return ""


def adopt(session: Session, actor: User | None, revision: Revision, *, now: dt.datetime | None = None) -> None:
    """Mark a revision adopted: after its silence passed unbroken, or as adopted in a meeting."""
    now = now or utcnow()
    lock_revision(session, revision, exclusive=True)  # a silence break being recorded finishes first
    session.refresh(revision, ["silence_breaks"])
    refusal = adoption_refusal(revision, now)
    if refusal:
        raise StateError(refusal)
    revision.state, revision.adopted_at = RevisionState.ADOPTED, now
    audit.record(
        session,
        actor,
        "revision.adopted",
        revision,
        negotiation_id=revision.negotiation_id,
        summary=f"{revision.label} adopted",
    )
    notify.revision_adopted(session, revision, now=now)


def release_compilation(
    session: Session, actor: User | None, revision: Revision, *, now: dt.datetime | None = None
) -> None:
    """Let delegations and observers see all proposals on a revision."""
    if not revision.state.is_public:
        raise StateError("Proposals are only made on circulated revisions.")
    if revision.compilation_released_at is None:
        revision.compilation_released_at = now or utcnow()
        audit.record(
            session,
            actor,
            "revision.compilation_released",
            revision,
            negotiation_id=revision.negotiation_id,
            summary=f"Released the compilation of proposals on {revision.label}",
        )
