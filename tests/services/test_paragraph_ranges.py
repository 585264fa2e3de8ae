"""Lists of paragraph references as negotiators type them: "PP1–PP20, OP3; OP5 to OP7"."""

from __future__ import annotations

import pytest

from drafter.drafting.labels import find_paragraphs, ranges, revision_refs
from drafter.errors import InvalidInput
from drafter.text.structure import Kind
from tests import factories

TEXT = [
    (Kind.PREAMBULAR, "Recalling,"),
    (Kind.PREAMBULAR, "Noting,"),
    (Kind.PREAMBULAR, "Welcoming,"),
    (Kind.HEADING, "Follow-up and review"),
    (Kind.OPERATIVE, "Decides;"),
    (Kind.OPERATIVE, "Calls upon:"),
    (Kind.SUBPARAGRAPH, "Acting;"),
    (Kind.OPERATIVE, "Requests;"),
]


@pytest.fixture
def rev(session):
    return factories.revision(session, factories.negotiation(session), TEXT)


def named(rev, typed: str) -> list[str]:
    refs = revision_refs(rev.versions)
    return [refs[v.id] for v in find_paragraphs(rev, typed)]


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("PP1–PP3", ["PP1", "PP2", "PP3"]),
        ("PP1-3", ["PP1", "PP2", "PP3"]),
        ("pp 2 to op1", ["PP2", "PP3", "Follow-up and review", "OP1"]),
        ("OP3, OP1; OP1", ["OP1", "OP3"]),
        ("OP2 (a)", ["OP2 (a)"]),
        ("OP3—OP2", ["OP2", "OP2 (a)", "OP3"]),
        ("Follow-up and review", ["Follow-up and review"]),
        ("3", ["OP3"]),
    ],
)
def test_references_and_ranges_name_paragraphs_in_the_texts_order(rev, typed, expected):
    assert named(rev, typed) == expected


def test_a_reference_that_names_no_paragraph_is_refused_naming_it(rev):
    with pytest.raises(InvalidInput, match="There is no paragraph OP9"):
        find_paragraphs(rev, "OP1, OP9")
    with pytest.raises(InvalidInput, match="There is no paragraph PP9 in"):
        find_paragraphs(rev, "PP1 – PP9")


def test_references_are_listed_back_with_runs_as_ranges():
    order = ["PP1", "PP2", "PP3", "PP4", "OP1", "OP2", "OP3"]
    assert ranges(["PP1", "PP2", "PP3", "PP4", "OP2"], order) == "PP1–PP4, OP2"
    assert ranges(["PP1", "PP2", "OP1", "OP3"], order) == "PP1, PP2, OP1, OP3"
    assert ranges([], order) == ""
