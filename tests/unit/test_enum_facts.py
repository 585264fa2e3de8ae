"""The facts pages print about states and kinds live on their enums."""

from __future__ import annotations

from drafter.auth.permissions import ProposalScope
from drafter.drafting.models import RevisionState, Status
from drafter.proposals.models import ProposalKind, ProposalSource, ProposalState, Stance
from drafter.text.compare import Change
from drafter.text.diff import Op
from drafter.text.structure import Kind


def test_revision_states_name_themselves():
    assert [s for s in RevisionState if s.is_working] == [RevisionState.WORKING]
    assert [s for s in RevisionState if s.is_circulated] == [RevisionState.CIRCULATED]
    assert [s for s in RevisionState if s.is_under_silence] == [RevisionState.UNDER_SILENCE]
    assert [s for s in RevisionState if s.is_adopted] == [RevisionState.ADOPTED]
    assert [s for s in Status if not s.is_set] == [Status.NONE]


def test_a_proposal_is_settled_when_decided_or_superseded_but_not_when_open_or_withdrawn():
    settled = {s for s in ProposalState if s.is_settled}
    assert settled == {s for s in ProposalState if s.is_decided} | {ProposalState.SUPERSEDED}
    assert not ProposalState.SUBMITTED.is_settled and not ProposalState.WITHDRAWN.is_settled
    assert [s for s in ProposalState if s.is_submitted] == [ProposalState.SUBMITTED]


def test_only_amendments_new_paragraphs_and_titles_carry_wording():
    assert {k for k in ProposalKind if k.has_text} == {ProposalKind.AMEND, ProposalKind.INSERT, ProposalKind.TITLE}
    assert [(k.is_amend, k.is_insert, k.is_delete, k.is_retain, k.is_title) for k in ProposalKind] == [
        (True, False, False, False, False),
        (False, True, False, False, False),
        (False, False, True, False, False),
        (False, False, False, True, False),
        (False, False, False, False, True),
    ]


def test_words_printed_for_stances_sources_and_changes():
    assert [(s.verb, s.past) for s in Stance] == [
        ("Co-sponsor", "co-sponsored"),
        ("Support", "supported"),
        ("Oppose", "opposed"),
    ]
    assert [s.origin for s in ProposalSource] == ["", "a Word file", "an amendment document"]
    assert [c.label for c in Change] == ["", "Changed", "New", "Deleted"]


def test_scopes_ops_and_kinds_answer_the_pages_questions():
    assert [s for s in ProposalScope if s.is_own_only] == [ProposalScope.OWN]
    assert [s for s in ProposalScope if s.is_none] == [ProposalScope.NONE]
    assert [(o.is_insert, o.is_delete) for o in Op] == [(False, False), (False, True), (True, False)]
    assert [k for k in Kind if k.is_heading] == [Kind.HEADING] and [k for k in Kind if k.has_levels] == [
        Kind.SUBPARAGRAPH
    ]
