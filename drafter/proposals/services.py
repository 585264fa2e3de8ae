"""Delegations' proposals: submit, edit, withdraw, take positions.

These functions check the rules of the negotiation: the acting user speaks for the
delegation (``permissions.can_act_for``: a delegate for their own delegation, the secretariat
for any; ``actor=None`` is a trusted script), the revision is circulated, the deadline has not
passed, the paragraph belongs to the revision, the text says something new. The views check
the role first as well; the check here keeps the rule true whatever the caller.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from drafter import audit
from drafter.auth.models import Delegation, User
from drafter.auth.permissions import can_act_for, own_delegation
from drafter.dbtypes import utcnow
from drafter.drafting.editing import checked_notes
from drafter.drafting.models import ParagraphVersion, Revision, RevisionState
from drafter.drafting.services import lock_revision
from drafter.errors import DeadlinePassed, EditConflict, InvalidInput, NotAllowed, StateError
from drafter.notifications import services as notify
from drafter.proposals import diffs
from drafter.proposals.models import (
    Proposal,
    ProposalKind,
    ProposalPosition,
    ProposalSource,
    ProposalState,
    Stance,
)
from drafter.text import footnotes
from drafter.text.clean import normalise_text
from drafter.text.masthead import LIMITS
from drafter.text.structure import Kind
from drafter.text.tokenize import tokenize

MAX_PROPOSAL_CHARS = 20_000
MAX_JUSTIFICATION_CHARS = 5_000
TITLE_LIMIT = LIMITS["title"]  #: the longest title a proposal may give (the revision's column)


def _normalise(text: str) -> str:
    """Return the text as compared for "nothing would change": NFC, runs of whitespace as one.

    Whitespace next to a wide (Chinese, Japanese) character is dropped: those languages do not
    separate words, so spaces typed between characters change nothing.
    """
    tokens = tokenize(unicodedata.normalize("NFC", text).strip())
    out = []
    for i, t in enumerate(tokens):
        if not t.isspace():
            out.append(t)
        elif not (_wide(tokens[i - 1][-1]) or (i + 1 < len(tokens) and _wide(tokens[i + 1][0]))):
            out.append(" ")
    return "".join(out)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _clean(text: str) -> str:
    text = normalise_text(text).strip()
    if len(text) > MAX_PROPOSAL_CHARS:
        raise InvalidInput(f"A proposed text may have at most {MAX_PROPOSAL_CHARS:,} characters.")
    return text


def check_open(revision: Revision, now: dt.datetime) -> None:
    """Refuse, in plain words, proposals on a revision that does not take them at this moment."""
    if revision.state is RevisionState.WORKING:
        raise StateError("Proposals are made on circulated revisions, not on a working draft.")
    if revision.state is not RevisionState.CIRCULATED:
        raise StateError(f"{revision.label} is {revision.state.label.lower()}: it no longer takes proposals.")
    if revision.proposal_deadline is not None and now >= revision.proposal_deadline:
        deadline = revision.proposal_deadline.astimezone(dt.UTC)
        raise DeadlinePassed(
            f"The deadline for proposals on {revision.label} has passed. "
            f"It passed at {deadline:%H:%M} UTC on {deadline.day} {deadline:%B %Y}."
        )


def _check_justification(justification: str) -> str:
    justification = normalise_text(justification).strip()
    if len(justification) > MAX_JUSTIFICATION_CHARS:
        raise InvalidInput(f"A justification may have at most {MAX_JUSTIFICATION_CHARS:,} characters.")
    return justification


def _check_actor(actor: User | None, revision: Revision, delegation: Delegation) -> None:
    """Refuse unless the actor may speak for the delegation (a script acting as None may)."""
    if actor is None or can_act_for(actor, revision.negotiation, delegation):
        return
    own = own_delegation(actor, revision.negotiation)
    if own is not None:
        raise NotAllowed(f"You speak for {own.name} in this negotiation, not for {delegation.name}.")
    raise NotAllowed(f"You may not propose or take positions for {delegation.name} in this negotiation.")


def lock(session: Session, proposal: Proposal) -> None:
    """Lock the proposal's row (and, shared, its revision's) until the transaction ends; read it again.

    A second request on the same proposal (a decision, an edit, a withdrawal) waits here for the
    first to finish, then checks its rules against what the first one saved.
    """
    lock_revision(session, proposal.revision)  # revisions before proposals: the order of every lock
    session.scalars(
        sa.select(Proposal)
        .where(Proposal.id == proposal.id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    ).all()


def _flush(session: Session, proposal: Proposal) -> None:
    """Flush; a proposal changed meanwhile by another request (version mismatch) is a conflict."""
    # A failed flush rolls the session back and expires every object: read the id before.
    proposal_id = proposal.id
    try:
        session.flush()
    except StaleDataError:
        raise EditConflict(
            "This proposal was changed by someone else at the same moment. Open it again and retry.",
            proposal_id=proposal_id,
        ) from None


def _check_text(
    kind: ProposalKind,
    target: ParagraphVersion | None,
    text: str,
    notes: Mapping[int, str] | None = None,
    *,
    title: str = "",
) -> tuple[str, footnotes.Notes]:
    """Return the proposed text and its footnotes as stored, or raise InvalidInput.

    Without ``notes``, the text's markers name the target paragraph's footnotes. ``title`` is
    the revision's title, which a title proposal changes.
    """
    if kind in (ProposalKind.DELETE, ProposalKind.RETAIN):
        if target is None:
            raise InvalidInput("Choose the paragraph the proposal is about.")
        return "", {}
    if kind is ProposalKind.TITLE:
        return _check_title(target, text, title), {}
    text = _clean(text)
    base_notes = target.notes if target is not None else {}
    kept = checked_notes(text, base_notes if notes is None else notes)
    if not text:
        raise InvalidInput(
            "The proposed text is empty."
            + (" To remove the paragraph, propose its deletion." if kind is ProposalKind.AMEND else "")
        )
    if kind is ProposalKind.AMEND:
        if target is None:
            raise InvalidInput("Choose the paragraph to amend.")
        if _normalise(text) == _normalise(target.text) and kept == footnotes.used(target.text, base_notes):
            raise InvalidInput(
                "The proposed text is the same as the paragraph: nothing would change. To keep the text as it is, ask to retain it."
            )
    return text, kept


def _check_title(target: ParagraphVersion | None, text: str, title: str) -> str:
    """Return a proposed title as stored, or raise InvalidInput."""
    if target is not None:
        raise InvalidInput("A proposal on the title is about no paragraph.")
    if footnotes.has_markers(text) or re.search(r"\[\s*(?:\^|new\s+footnote)", text, re.I):
        raise InvalidInput("The title cannot carry a footnote.")
    text = " ".join(normalise_text(text).split())
    if not text:
        raise InvalidInput("The proposed title is empty.")
    if len(text) > TITLE_LIMIT:
        raise InvalidInput(f"A title may have at most {TITLE_LIMIT} characters.")
    if _normalise(text) == _normalise(title):
        raise InvalidInput("The proposed title is the same as the title: nothing would change.")
    return text


def submit(
    session: Session,
    actor: User | None,
    revision: Revision,
    delegation: Delegation,
    *,
    kind: ProposalKind,
    target: ParagraphVersion | None,
    text: str = "",
    notes: Mapping[int, str] | None = None,
    justification: str = "",
    new_kind: Kind | None = None,
    new_level: int = 0,
    source: ProposalSource = ProposalSource.WEB,
    source_meta: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Proposal:
    """Submit a proposal for a delegation on a circulated revision, and return it."""
    _check_actor(actor, revision, delegation)
    # A new deadline or the next revision being circulated waits for this submission, or the
    # reverse; the time is read once the lock is held.
    lock_revision(session, revision)
    now = now or utcnow()
    check_open(revision, now)
    if target is not None and target.revision_id != revision.id:
        raise InvalidInput("That paragraph is not part of this revision.")
    text, kept = _check_text(kind, target, text, notes, title=revision.title)
    justification = _check_justification(justification)
    if kind is ProposalKind.INSERT:
        new_kind = new_kind or (
            target.kind if target is not None and target.kind is not Kind.HEADING else Kind.OPERATIVE
        )
        new_level = (
            max(1, min(new_level or (target.level if target is not None else 1), 3))
            if new_kind is Kind.SUBPARAGRAPH
            else 0
        )
    else:
        new_kind, new_level = None, 0
    proposal = Proposal(
        revision=revision,
        delegation=delegation,
        kind=kind,
        target_version=target,
        new_kind=new_kind,
        new_level=new_level,
        proposed_text=text,
        footnotes=footnotes.dumps(kept),
        justification=justification,
        source=source,
        source_meta=source_meta or {},
        created_by_id=getattr(actor, "id", None),
        created_at=now,
        updated_at=now,
    )
    diffs.store(proposal)
    session.add(proposal)
    audit.record(
        session,
        actor,
        "proposal.submitted",
        proposal,
        negotiation_id=revision.negotiation_id,
        summary=f"{delegation.name} proposed: {kind.label.lower()} on {revision.label}",
        kind=kind.value,
        text=text,
        target=target.paragraph_id if target else None,
    )
    notify.proposal_arrived(session, proposal, now=now)
    return proposal


def _check_editable(proposal: Proposal, expected_version: int | None, now: dt.datetime) -> None:
    if proposal.state is not ProposalState.SUBMITTED:
        raise StateError(f"This proposal is {proposal.state.label.lower()} and can no longer be changed.")
    check_open(proposal.revision, now)
    if expected_version is not None and proposal.version != expected_version:
        raise EditConflict(
            "This proposal was changed after you opened it.",
            current_text=proposal.proposed_text,
            current_version=proposal.version,
        )


def edit(
    session: Session,
    actor: User | None,
    proposal: Proposal,
    *,
    text: str,
    justification: str,
    notes: Mapping[int, str] | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Change a proposal's text (and the footnotes it names: its own unless ``notes`` are given)
    and justification before the deadline."""
    _check_actor(actor, proposal.revision, proposal.delegation)
    lock(session, proposal)
    now = now or utcnow()
    _check_editable(proposal, expected_version, now)
    own = {**(proposal.target_version.notes if proposal.target_version else {}), **proposal.notes}
    text, kept = _check_text(
        proposal.kind, proposal.target_version, text, own if notes is None else notes, title=proposal.revision.title
    )
    justification = _check_justification(justification)
    if text == proposal.proposed_text and justification == proposal.justification and kept == proposal.notes:
        return  # nothing changed: no new version, no audit event
    before = {"text": proposal.proposed_text, "justification": proposal.justification}
    proposal.proposed_text, proposal.justification, proposal.updated_at = text, justification, now
    proposal.footnotes = footnotes.dumps(kept)
    diffs.store(proposal)
    _flush(session, proposal)
    audit.record(
        session,
        actor,
        "proposal.edited",
        proposal,
        negotiation_id=proposal.revision.negotiation_id,
        summary=f"{proposal.delegation.name} edited proposal #{proposal.id}",
        before=before,
        after={"text": text, "justification": justification},
    )


def withdraw(
    session: Session,
    actor: User | None,
    proposal: Proposal,
    *,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Withdraw a proposal before the deadline."""
    _check_actor(actor, proposal.revision, proposal.delegation)
    lock(session, proposal)
    now = now or utcnow()
    _check_editable(proposal, expected_version, now)
    proposal.state, proposal.updated_at = ProposalState.WITHDRAWN, now
    _flush(session, proposal)
    audit.record(
        session,
        actor,
        "proposal.withdrawn",
        proposal,
        negotiation_id=proposal.revision.negotiation_id,
        summary=f"{proposal.delegation.name} withdrew proposal #{proposal.id}",
    )


def set_position(
    session: Session,
    actor: User | None,
    proposal: Proposal,
    delegation: Delegation,
    stance: Stance | None,
    *,
    now: dt.datetime | None = None,
) -> None:
    """Record (or with ``stance=None`` remove) a delegation's co-sponsorship, support or opposition."""
    now = now or utcnow()
    _check_actor(actor, proposal.revision, delegation)
    if proposal.delegation_id == delegation.id:
        raise InvalidInput("A delegation does not take a position on its own proposal.")
    lock(session, proposal)
    session.refresh(proposal, ["positions"])
    if proposal.state is not ProposalState.SUBMITTED:
        raise StateError(f"This proposal is {proposal.state.label.lower()}; positions on it are closed.")
    check_open(proposal.revision, now)
    existing = next((p for p in proposal.positions if p.delegation_id == delegation.id), None)
    before = existing.stance.value if existing else None
    if existing is not None and existing.stance is stance:
        return  # already so: no audit event
    if stance is None:
        if existing is None:
            return
        proposal.positions.remove(existing)
    elif existing is None:
        proposal.positions.append(
            ProposalPosition(
                delegation=delegation, stance=stance, created_by_id=getattr(actor, "id", None), created_at=now
            )
        )
    else:
        existing.stance = stance
    audit.record(
        session,
        actor,
        "proposal.position_set",
        proposal,
        negotiation_id=proposal.revision.negotiation_id,
        summary=f"{delegation.name}: {stance.label if stance else 'no position on'} proposal #{proposal.id}",
        delegation=delegation.name,
        before=before,
        after=stance.value if stance else None,
    )
