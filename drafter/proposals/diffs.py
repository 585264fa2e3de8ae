"""The word diff a proposal makes, kept with the proposal.

A proposal's diff is a pure function of two stored texts (its base and its proposed wording),
so the texts stay the source: the copy on the row (``Proposal.stored_diff``) only saves the
compilation from diffing some thousands of paragraphs on each view. It holds the run lengths
of the diff, not its text, and a hash of the two texts it was made from; a copy whose texts
have changed since (or that does not fit them) is never used, but made again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from drafter.proposals.models import Proposal, ProposalKind
from drafter.text.diff import DiffOp, Op, WordDiff, word_diff
from drafter.text.runs import decode, encode, texts_key

if TYPE_CHECKING:
    from drafter.proposals.queries import Shown

__all__ = ["decode", "diff_of", "diffs_of", "encode", "fresh_copy", "store", "texts_key", "texts_of"]


def texts_of(proposal: Shown) -> tuple[str, str] | None:
    """Return the two texts a proposal's word diff is made from, or None for kinds that need no word diff."""
    if proposal.kind is ProposalKind.TITLE:
        return proposal.revision.title, proposal.proposed_text
    if proposal.kind is ProposalKind.AMEND:
        return (proposal.target_version.text if proposal.target_version is not None else ""), proposal.proposed_text
    return None


def fresh_copy(proposal: Proposal) -> dict[str, Any] | None:
    """Return the diff to store with a proposal as its texts now stand (None for kinds that need none)."""
    texts = texts_of(proposal)
    return None if texts is None else encode(word_diff(*texts), *texts)


def store(proposal: Proposal) -> None:
    """Keep the proposal's diff with it (call whenever its texts are written)."""
    proposal.stored_diff = fresh_copy(proposal)


def diff_of(proposal: Shown) -> WordDiff:
    """Return the word diff a proposal makes to its base paragraph (or the title): the stored copy when
    it was made from the texts as they stand, else computed from them."""
    texts = texts_of(proposal)
    if texts is not None:
        return decode(proposal.stored_diff, *texts) or word_diff(*texts)
    base = proposal.target_version.text if proposal.target_version is not None else ""
    if proposal.kind is ProposalKind.INSERT:
        return WordDiff((DiffOp(Op.INSERT, proposal.proposed_text),), 0.0)
    if proposal.kind is ProposalKind.DELETE:
        return WordDiff((DiffOp(Op.DELETE, base),), 0.0)
    return WordDiff((DiffOp(Op.EQUAL, base),), 1.0)


def diffs_of(session: Session, proposals: Sequence[Shown]) -> dict[int, WordDiff]:
    """Return each proposal's word diff by id; store those whose copy was missing or stale.

    The copies are written without the ORM's version counter: a copy of a diff is no change of
    the proposal, and must not make a delegate's open edit form look outdated.
    """
    out: dict[int, WordDiff] = {}
    copies: list[tuple[Shown, dict[str, Any]]] = []
    for p in proposals:
        texts = texts_of(p)
        if texts is None:
            out[p.id] = diff_of(p)
            continue
        found = decode(p.stored_diff, *texts)
        if found is None:
            found = word_diff(*texts)
            copies.append((p, encode(found, *texts)))
        out[p.id] = found
    if copies:
        copies.sort(key=lambda pc: pc[0].id)  # one order for every writer: concurrent views wait, never deadlock
        table = Proposal.__table__
        session.execute(
            sa.update(table)
            .where(table.c.id == sa.bindparam("pid"))
            .values(stored_diff=sa.bindparam("copy", type_=table.c.stored_diff.type)),
            [{"pid": p.id, "copy": c} for p, c in copies],
        )
        for p, c in copies:
            if isinstance(p, Proposal):
                set_committed_value(p, "stored_diff", c)
            else:  # a compilation's plain row
                p.stored_diff = c
    return out
