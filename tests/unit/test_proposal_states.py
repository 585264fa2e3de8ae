from drafter.proposals.decisions import DECISIONS
from drafter.proposals.models import ProposalState as S


def test_the_decided_states_are_the_decisions_offered() -> None:
    assert DECISIONS == (S.INCORPORATED, S.INCORPORATED_WITH_CHANGES, S.NOT_RETAINED, S.MERGED)
    assert {s for s in S if s.is_decided} == set(DECISIONS)


def test_only_states_with_nothing_applied_stay_open_to_a_decision() -> None:
    assert {s for s in S if s.is_open_to_decision} == {S.SUBMITTED, S.NOT_RETAINED, S.MERGED}
    assert {s for s in S if s.is_incorporated} == {S.INCORPORATED, S.INCORPORATED_WITH_CHANGES}
    assert not any(s.is_incorporated and s.is_open_to_decision for s in S)
