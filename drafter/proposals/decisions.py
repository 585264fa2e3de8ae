"""Co-facilitators' decisions on proposals, and folding accepted ones into the working revision.

"Incorporate" changes the working revision's paragraph of the same lineage: directly when
the paragraph is unchanged since the proposal's base, otherwise by merging the proposal's
changes into the current working text. When the two clash, nothing is changed and a
``MergeNeeded`` error carries both texts so the co-facilitator resolves it by hand.
A new paragraph goes after its anchor (after new paragraphs already taken in from earlier
proposals on the same anchor, so "12 bis" stays before "12 ter"); a deletion deletes the
paragraph; "retain" keeps (or restores) the text of the proposal's base.
Decisions are taken while the proposal's revision is the current circulated one: once the
next revision is circulated, the record of what happened to each proposal is closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from drafter import audit
from drafter.auth.models import User
from drafter.dbtypes import utcnow
from drafter.drafting import editing
from drafter.drafting import services as drafting
from drafter.drafting.editable import editable, note_numbers, read_typed
from drafter.drafting.models import ParagraphVersion, Revision, RevisionState
from drafter.drafting.queries import version_of, working_revision
from drafter.drafting.services import lock_revision
from drafter.errors import EditConflict, InvalidInput, StateError
from drafter.notifications import services as notify
from drafter.proposals import services
from drafter.proposals.models import Proposal, ProposalKind, ProposalState
from drafter.text import footnotes
from drafter.text.merge import merge
from drafter.text.structure import Kind

#: the outcomes a decision may choose, in the order the form offers them
DECISIONS = tuple(state for state in ProposalState if state.is_decided)


class MergeNeeded(EditConflict):
    """The proposal's changes clash with later edits of the working paragraph."""


@dataclass(frozen=True)
class Application:
    """What incorporating a proposal would do to the working revision."""

    working: Revision
    #: the working paragraph concerned (for a new paragraph: the one it will follow; None at the start)
    version: ParagraphVersion | None
    #: the text the working paragraph would get (amend), or the new paragraph's text (insert)
    text: str
    #: the working paragraph had been edited since the base, and the changes were merged
    merged: bool = False
    #: the footnotes ``text``'s markers may name: the working paragraph's and the proposal's own
    notes: Mapping[int, str] = field(default_factory=dict)


def _working_for(session: Session, proposal: Proposal) -> Revision:
    working = working_revision(session, proposal.revision.negotiation)
    if working is None:
        raise StateError("Start the next revision before incorporating proposals into it.")
    if working.seq < proposal.revision.seq:
        raise StateError("The working revision is older than the proposal's revision.")
    return working


def _working_version(session: Session, working: Revision, proposal: Proposal) -> ParagraphVersion | None:
    target = proposal.target_version
    if target is None:
        return None
    return version_of(session, working, target.paragraph_id)


def plan_application(session: Session, proposal: Proposal) -> Application:
    """Return what incorporating the proposal would do; raise MergeNeeded when it clashes."""
    working = _working_for(session, proposal)
    if proposal.kind is ProposalKind.TITLE:
        return _title_application(working, proposal)
    current = _working_version(session, working, proposal)
    target = proposal.target_version
    if proposal.kind is ProposalKind.INSERT:
        if target is not None and current is None:
            raise StateError(
                "The paragraph this new paragraph should follow has been deleted from the working revision."
            )
        return Application(working, current, proposal.proposed_text, notes=proposal.notes)
    if current is None:
        raise StateError(
            "The paragraph has been deleted from the working revision; the proposal cannot be applied to it."
        )
    assert target is not None
    if proposal.kind is ProposalKind.DELETE:
        return Application(working, current, "")
    if proposal.kind is ProposalKind.RETAIN:
        # Retaining means the text as circulated: later edits of the working paragraph are undone.
        changed = current.text != target.text or current.notes != target.notes
        return Application(working, current, target.text, merged=changed, notes=target.notes)
    # The proposal's new footnotes take ids the working paragraph does not use meanwhile.
    proposed, own = footnotes.rebase(proposal.proposed_text, proposal.notes, target.notes, current.notes)
    notes = {**current.notes, **own}
    if current.text == target.text:
        return Application(working, current, proposed, notes=notes)
    result = merge(target.text, current.text, proposed)
    if result.text is None:
        raise MergeNeeded(
            "The paragraph was edited in the working revision since the proposal was made, and the two changes overlap.",
            base_text=target.text,
            current_text=current.text,
            proposed_text=proposal.proposed_text,
            current_version=current.version,
        )
    return Application(working, current, result.text, merged=True, notes=notes)


def _title_application(working: Revision, proposal: Proposal) -> Application:
    """Return the working revision's title with the proposal's, merged with later changes of it."""
    base, current = proposal.revision.title, working.title
    if current == base:
        return Application(working, None, proposal.proposed_text)
    result = merge(base, current, proposal.proposed_text)
    if result.text is None:
        raise MergeNeeded(
            "The title was changed in the working revision since the proposal was made, and the two changes overlap.",
            base_text=base,
            current_text=current,
            proposed_text=proposal.proposed_text,
        )
    return Application(working, None, result.text, merged=True)


#: longest note to delegations on a decision
MAX_NOTE_CHARS = 5_000


def decide(
    session: Session,
    actor: User,
    proposal: Proposal,
    outcome: ProposalState,
    *,
    note: str = "",
    text: str | None = None,
    merged_into: Proposal | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Record the co-facilitators' decision; incorporate the proposal into the working revision.

    ``text`` is the wording to use when incorporating with changes or after resolving a clash
    by hand; without it the proposal (merged with later edits) is applied as it stands.
    """
    now = now or utcnow()
    if outcome not in DECISIONS:
        raise InvalidInput("Choose incorporated, incorporated with changes, not retained or merged.")
    if len(note.strip()) > MAX_NOTE_CHARS:
        raise InvalidInput(f"A note to delegations may have at most {MAX_NOTE_CHARS:,} characters.")
    # Two co-facilitators deciding at once, or a delegation editing meanwhile: the second waits
    # here, then meets the first one's decision or edit in the checks below. The working revision
    # is locked first (locks go revision before proposal), since incorporating changes it.
    lock_revision(session, proposal.revision)
    working = working_revision(session, proposal.revision.negotiation)
    if working is not None and working.seq > proposal.revision.seq:
        lock_revision(session, working, exclusive=True)
    services.lock(session, proposal)
    if not proposal.state.is_open_to_decision:
        raise StateError(f"This proposal is {proposal.state.label.lower()}; its decision cannot be changed.")
    if proposal.revision.state is RevisionState.SUPERSEDED:
        raise StateError(
            f"A later revision than {proposal.revision.label} has been circulated; "
            "decisions on its proposals are closed."
        )
    if expected_version is not None and proposal.version != expected_version:
        if proposal.state.is_decided:
            who = proposal.decided_by.name if proposal.decided_by else "Someone"
            raise EditConflict(
                f"{who} decided this proposal ({proposal.state.label.lower()}) after you opened it. "
                "Read the decision before changing it.",
                current_version=proposal.version,
            )
        raise EditConflict(
            "The proposal was changed by its delegation after you opened it. Read it again before deciding.",
            current_text=proposal.proposed_text,
            current_version=proposal.version,
        )
    if outcome is ProposalState.MERGED:
        if merged_into is None or merged_into.id == proposal.id or merged_into.revision_id != proposal.revision_id:
            raise InvalidInput("Choose the proposal on the same revision that this one is merged with.")
        if merged_into.state is ProposalState.WITHDRAWN or merged_into.merged_into_id == proposal.id:
            raise InvalidInput(
                f"Proposal #{merged_into.id} is {merged_into.state.label.lower()}: "
                "choose another proposal to merge this one with."
            )
    if outcome is ProposalState.INCORPORATED_WITH_CHANGES and not (text or "").strip() and proposal.kind.has_text:
        raise InvalidInput("Give the text as incorporated with the co-facilitators' changes.")
    if outcome in (ProposalState.INCORPORATED, ProposalState.INCORPORATED_WITH_CHANGES):
        _apply(session, actor, proposal, text, now)
    before = proposal.state.value
    proposal.state, proposal.decision_note = outcome, note.strip()
    proposal.decided_by_id, proposal.decided_at, proposal.updated_at = actor.id, now, now
    proposal.merged_into = merged_into if outcome is ProposalState.MERGED else None
    proposal_id = proposal.id  # a failed flush expires every object
    try:
        session.flush()
    except StaleDataError:
        raise EditConflict(
            "The proposal was changed by its delegation at the same moment. Read it again before deciding.",
            proposal_id=proposal_id,
        ) from None
    audit.record(
        session,
        actor,
        "proposal.decided",
        proposal,
        negotiation_id=proposal.revision.negotiation_id,
        summary=f"Proposal #{proposal.id} by {proposal.delegation.name}: {outcome.label.lower()}",
        before=before,
        after=outcome.value,
        note=proposal.decision_note,
    )
    notify.proposal_decided(session, proposal, now=now)


def _apply(session: Session, actor: User, proposal: Proposal, text: str | None, now: dt.datetime) -> None:
    """Fold the proposal (or the co-facilitators' own ``text`` for it) into the working revision."""
    by_hand = (text or "").strip() or None
    if proposal.kind is ProposalKind.TITLE:
        working = _working_for(session, proposal)
        title = " ".join(by_hand.split()) if by_hand is not None else plan_application(session, proposal).text
        drafting.set_masthead(session, actor, working, working.masthead.merged(title=title))
        return
    if proposal.kind is ProposalKind.INSERT:
        app = plan_application(session, proposal)
        if by_hand is not None:
            typed = read_typed(by_hand, proposal.notes, {})
            app = Application(app.working, app.version, typed.text, notes=typed.notes)
        _insert(session, actor, proposal, app, app.text, now)
        return
    working = _working_for(session, proposal)
    if by_hand is not None:
        # Incorporated with changes, or a clash resolved by hand: the paragraph gets that text,
        # typed with its footnotes as the forms write them ([^12], [new footnote: ...]).
        version = _working_version(session, working, proposal)
        if version is None:
            raise StateError(
                "The paragraph has been deleted from the working revision; the proposal cannot be applied to it."
            )
        pool = hand_notes(proposal, version)
        typed = read_typed(by_hand, pool, note_numbers(version))
        editing.edit_text(
            session, actor, version, typed.text, expected_version=version.version, notes=typed.notes, now=now
        )
        return
    app = plan_application(session, proposal)
    assert app.version is not None
    if proposal.kind is ProposalKind.DELETE:
        editing.delete_paragraph(session, actor, app.version, expected_version=app.version.version)
    else:
        editing.edit_text(
            session, actor, app.version, app.text, expected_version=app.version.version, notes=app.notes, now=now
        )


def hand_notes(proposal: Proposal, version: ParagraphVersion) -> footnotes.Notes:
    """Return the footnotes a text typed by hand for ``proposal`` may refer to: the working
    paragraph's, and the proposal's own new ones (with ids the working paragraph lacks)."""
    _, own = footnotes.rebase(proposal.proposed_text, proposal.notes, _base_notes(proposal), version.notes)
    return {**version.notes, **own}


def editable_for_hand(proposal: Proposal, version: ParagraphVersion | None, text: str) -> str:
    """Return ``text`` (with markers) as the decide form shows it for typing by hand."""
    if proposal.kind is ProposalKind.TITLE:
        return text
    if version is None:
        return editable(text, proposal.notes, {})
    rebased, own = footnotes.rebase(text, proposal.notes, _base_notes(proposal), version.notes)
    return editable(rebased, {**version.notes, **own}, note_numbers(version))


def _base_notes(proposal: Proposal) -> footnotes.Notes:
    return proposal.target_version.notes if proposal.target_version is not None else {}


def _insert(session: Session, actor: User, proposal: Proposal, app: Application, text: str, now: dt.datetime) -> None:
    """Insert the proposed paragraph after its anchor, after earlier proposals' new paragraphs there."""
    versions = sorted(app.working.versions, key=lambda v: v.position)
    if app.version is None:
        index = -1  # at the start of the text
    else:
        index = next(i for i, v in enumerate(versions) if v.id == app.version.id)
    # Paragraphs already created from proposals on the same anchor that come earlier in the
    # compilation ("12 bis" before "12 ter"): the new one goes after them.
    earlier = set(
        session.scalars(
            sa.select(Proposal.result_paragraph_id).where(
                Proposal.revision_id == proposal.revision_id,
                Proposal.kind == ProposalKind.INSERT,
                Proposal.target_version_id.is_(None)
                if proposal.target_version_id is None
                else Proposal.target_version_id == proposal.target_version_id,
                Proposal.result_paragraph_id.is_not(None),
                Proposal.id != proposal.id,
                sa.or_(
                    Proposal.created_at < proposal.created_at,
                    sa.and_(Proposal.created_at == proposal.created_at, Proposal.id < proposal.id),
                ),
            )
        )
    )
    while index + 1 < len(versions) and versions[index + 1].paragraph_id in earlier:
        index += 1
    if index >= 0:
        anchor, after = versions[index], True
    else:
        anchor, after = (versions[0] if versions else None), False
    new = editing.insert_paragraph(
        session,
        actor,
        app.working,
        anchor=anchor,
        after=after,
        kind=proposal.new_kind or Kind.OPERATIVE,
        level=proposal.new_level,
        text=text,
        notes=app.notes,
        now=now,
    )
    proposal.result_paragraph_id = new.paragraph_id
