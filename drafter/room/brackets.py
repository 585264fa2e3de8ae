"""The bracketed passages of the paragraph under negotiation: who asks for each, who opposes it,
and the two ways out of brackets (removed when agreed, or the words deleted).

Like the room's other verbs these lock the reading, change the paragraph through the editor's
compare-and-set against the version the typist saw, and write one event of the reading.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from drafter.auth.models import Delegation, Membership, User
from drafter.dbtypes import utcnow
from drafter.drafting import editing
from drafter.drafting.models import Negotiation, ParagraphVersion
from drafter.errors import InvalidInput, StateError
from drafter.room.events import emit
from drafter.room.models import EventKind, Reading
from drafter.room.services import _held_open, _ref, _version
from drafter.text import brackets
from drafter.text.brackets import Span


def delegations_of(session: Session, negotiation: Negotiation) -> list[str]:
    """Return the names of the delegations taking part in the negotiation, in alphabetical order."""
    return list(
        session.scalars(
            sa.select(Delegation.name)
            .join(Membership, Membership.delegation_id == Delegation.id)
            .where(Membership.negotiation_id == negotiation.id)
            .distinct()
            .order_by(Delegation.name)
        )
    )


def _current(session: Session, reading: Reading, paragraph_id: int | None) -> tuple[Reading, ParagraphVersion]:
    reading = _held_open(session, reading)
    v = _version(reading.revision, reading.current_paragraph_id)
    if paragraph_id is not None and paragraph_id != v.paragraph_id:
        raise StateError(f"The chair has moved on to {_ref(v)}: nothing was changed.")
    if not reading.revision.state.is_working:
        raise StateError(f"{reading.revision.label} has been circulated: its text and brackets no longer change.")
    return reading, v


def _passage(span: Span) -> str:
    return span.label if span.is_alternative else f"[{span.inner}]"


def attribute(
    session: Session,
    actor: User | None,
    reading: Reading,
    index: int,
    inner: str,
    asked: Sequence[str],
    opposed: Sequence[str],
    *,
    expected_version: int,
    paragraph_id: int | None = None,
) -> ParagraphVersion:
    """Record which delegations ask for passage ``index`` (its words ``inner``) of the paragraph under
    negotiation and which oppose it."""
    reading, v = _current(session, reading, paragraph_id)
    known = set(delegations_of(session, reading.negotiation))
    unknown = [name for name in [*asked, *opposed] if name not in known]
    if unknown:
        raise InvalidInput(f"{unknown[0]} is not a delegation of this negotiation.")
    both = sorted(set(asked) & set(opposed))
    if both:
        raise InvalidInput(f"{both[0]} cannot both ask for the passage and oppose it.")
    span = brackets.find(v.text, index, inner)
    entry = brackets.attribution(span.inner, asked, opposed, utcnow().isoformat(timespec="seconds"))
    entries = []
    for i, (_, e) in enumerate(brackets.attach(v.text, v.attributions)):
        e = entry if i == index else e
        if brackets.line(e):  # a passage nobody is named for needs no attribution
            entries.append(e)
    editing.set_attributions(session, actor, v, entries, expected_version=expected_version)
    session.refresh(v)
    ref = _ref(v)
    said = brackets.line(entry) or "(no delegation named)"
    emit(
        session,
        actor,
        reading,
        EventKind.BRACKET_ATTRIBUTED,
        f"{ref}: {_passage(span)} {said}",
        paragraph_id=v.paragraph_id,
        ref=ref,
        passage=span.inner,
        asked=entry["for"],
        opposed=entry["against"],
        version=v.version,
    )
    return v


def _rewrite(
    session: Session,
    actor: User | None,
    reading: Reading,
    index: int,
    inner: str,
    *,
    delete: bool,
    expected_version: int,
    paragraph_id: int | None,
) -> ParagraphVersion:
    reading, v = _current(session, reading, paragraph_id)
    span = brackets.find(v.text, index, inner)
    whose = next((brackets.line(e) for s, e in brackets.attach(v.text, v.attributions) if s == span), "")
    text = brackets.without(v.text, span) if delete else brackets.unbracket(v.text, span)
    if not text.strip():
        raise InvalidInput("Deleting the passage would leave the paragraph empty: delete the paragraph instead.")
    editing.edit_text(session, actor, v, text, expected_version=expected_version)
    session.refresh(v)
    ref = _ref(v)
    done = "deleted" if delete else "agreed: brackets removed"
    emit(
        session,
        actor,
        reading,
        EventKind.BRACKET_DELETED if delete else EventKind.BRACKETS_REMOVED,
        " ".join(filter(None, (f"{ref}: {_passage(span)}", whose, done))),
        paragraph_id=v.paragraph_id,
        ref=ref,
        passage=span.inner,
        attribution=whose,
        version=v.version,
    )
    return v


def remove_brackets(
    session: Session,
    actor: User | None,
    reading: Reading,
    index: int,
    inner: str,
    *,
    expected_version: int,
    paragraph_id: int | None = None,
) -> ParagraphVersion:
    """Take the brackets off passage ``index``, keeping its words: the room agreed to them."""
    return _rewrite(
        session,
        actor,
        reading,
        index,
        inner,
        delete=False,
        expected_version=expected_version,
        paragraph_id=paragraph_id,
    )


def delete_passage(
    session: Session,
    actor: User | None,
    reading: Reading,
    index: int,
    inner: str,
    *,
    expected_version: int,
    paragraph_id: int | None = None,
) -> ParagraphVersion:
    """Delete passage ``index``, brackets and words."""
    return _rewrite(
        session,
        actor,
        reading,
        index,
        inner,
        delete=True,
        expected_version=expected_version,
        paragraph_id=paragraph_id,
    )
