"""A tracked export sent back as a delegation's file gives, once every proposal is incorporated, the newer text.

The proposals are incorporated in submission order and in reverse: a new paragraph that the file
puts in place of a deleted one must not depend on the deletion waiting for it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.drafting import services as drafting
from drafter.drafting.queries import load_versions, working_revision
from drafter.exporting.services import tracked_export
from drafter.importing.proposals import plan_upload, submit_plan
from drafter.importing.services import read_draft
from drafter.lifecycle import services as lifecycle
from drafter.proposals import decisions
from drafter.proposals.models import ProposalKind, ProposalState
from drafter.text import footnotes
from drafter.text.structure import Kind, ParsedParagraph
from tests import factories as f


def _incorporated(session, older: list[ParsedParagraph], newer: list[ParsedParagraph], *, reverse: bool) -> list[str]:
    """Return the working text after a delegation's file made from older → newer is incorporated whole."""
    source = f.negotiation(session)
    a = drafting.import_revision(session, None, source, label="Old", paragraphs=older)
    lifecycle.circulate(session, None, a, deadline=None)
    b = drafting.import_revision(session, None, source, label="New", paragraphs=newer)
    session.flush()
    data = tracked_export(session, a, b).data

    n = f.negotiation(session)
    circulated = drafting.import_revision(session, None, n, label="Old", paragraphs=older)
    lifecycle.circulate(session, None, circulated, deadline=None)
    delegation = f.delegation(session, "Iraq")
    plan = plan_upload(session, circulated, delegation, "tracked.docx", data)
    assert plan.complete and not plan.mismatches, plan.mismatches
    proposals = submit_plan(session, None, circulated, delegation, plan)
    drafting.start_revision(session, None, n)
    session.flush()
    chair = f.user(session)
    for p in reversed(proposals) if reverse else proposals:
        decisions.decide(session, chair, p, ProposalState.INCORPORATED)
    return [footnotes.inline(v.text, v.notes) for v in load_versions(session, working_revision(session, n))]


def _read(paragraphs: list[ParsedParagraph]) -> list[str]:
    """Return the texts as a reader sees them: each footnote where its reference stands."""
    return [footnotes.inline(p.text, p.footnotes) for p in paragraphs]


@pytest.mark.parametrize("reverse", [False, True])
def test_a_paragraph_put_in_place_of_a_deleted_one_follows_the_nearest_kept_one(session, reverse: bool):
    older = [
        ParsedParagraph(Kind.OPERATIVE, t)
        for t in ("Decides to act;", "Requests a report;", "Decides to remain seized.")
    ]
    newer = [older[0], ParsedParagraph(Kind.OPERATIVE, "Invites Member States to contribute;"), older[2]]
    assert _incorporated(session, older, newer, reverse=reverse) == _read(newer)


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("old_name", "new_name", "reverse"),
    [
        ("ict4sd-g77-draft-A_C.2_80_L.17.txt", "ict4sd-facilitator-draft-A_C.2_80_L.58.txt", False),
        ("ict4sd-g77-draft-A_C.2_80_L.17.txt", "ict4sd-facilitator-draft-A_C.2_80_L.58.txt", True),
        ("sti4sd-g77-draft-A_C.2_80_L.18.txt", "sti4sd-facilitator-draft-A_C.2_80_L.47.txt", False),
    ],
)
def test_the_real_series_round_trips(session, corpus: Path, old_name: str, new_name: str, reverse: bool):
    older = read_draft(old_name, (corpus / old_name).read_bytes()).paragraphs
    newer = read_draft(new_name, (corpus / new_name).read_bytes()).paragraphs
    assert _incorporated(session, older, newer, reverse=reverse) == _read(newer)


def test_the_deletion_is_planned_on_its_paragraph_and_the_insertion_after_the_one_before(session):
    older = [
        ParsedParagraph(Kind.OPERATIVE, t)
        for t in ("Decides to act;", "Requests a report;", "Decides to remain seized.")
    ]
    newer = [older[0], ParsedParagraph(Kind.OPERATIVE, "Invites Member States to contribute;"), older[2]]
    source = f.negotiation(session)
    a = drafting.import_revision(session, None, source, label="Old", paragraphs=older)
    lifecycle.circulate(session, None, a, deadline=None)
    b = drafting.import_revision(session, None, source, label="New", paragraphs=newer)
    session.flush()
    plan = plan_upload(session, a, f.delegation(session, "Iraq"), "t.docx", tracked_export(session, a, b).data)
    assert [(q.kind, q.where) for q in plan.proposals] == [
        (ProposalKind.DELETE, "OP2"),
        (ProposalKind.INSERT, "after OP1"),
    ]
