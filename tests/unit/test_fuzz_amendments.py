"""Fuzzing the amendment grammar: any text parses, and applying what it finds never crashes.

Sentences are built from the grammar's own pieces (targets, verbs, quotes, occurrences, list
labels) shuffled and cut, with arbitrary Unicode between them, so that most cases come close to
a real instruction and fail in the interesting places.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from drafter.text.amendments import apply_amendments, parse_amendments
from drafter.text.amendments.model import Problem, ProposedChange, TargetParagraph
from drafter.text.structure import Kind
from tests.unit.fuzzing import fuzz

TARGETS = (
    "In operative paragraph 5,",
    "In the fourteenth preambular paragraph,",
    "In the last preambular paragraph,",
    "In operative paragraph 3 (b),",
    "In operative paragraphs 2 and 4,",
    "At the end of operative paragraph 7,",
    "After operative paragraph 3,",
    "Before the first preambular paragraph,",
    "In the 28th preambular paragraph,",
    "operative paragraphs 4 to 6",
    "the third preambular paragraph",
    "operative paragraph 0",
    "operative paragraph 99999999999",
)
VERBS = (
    "replace",
    "delete",
    "insert",
    "add",
    "Delete",
    "Replace",
    "Amend",
    "to read:",
    "with",
    "by",
    "after the words",
    "before",
    "insert a new paragraph reading:",
    "Insert the following new preambular paragraph after",
    "with the following:",
    "the second time it appears",
    "wherever it appears",
    "the words",
    "from",
    "and",
    ";",
    ":",
)
QUOTES = ('"', "“", "”", "‘", "’", "'", "«", "»")
WORDS = (
    "sustainable development",
    "Member States",
    "the",
    "and",
    "[",
    "]",
    "including",
    "Decides",
    "Recalling",
    "\n",
    "1.",
    "(a)",
    "(b)",
    "____",
    "* Reissued",
    "A/80/L.41/Amend.1",
    "\x00",
    "\ud800",
    "\ufeff",
    "  ",
)

token = st.one_of(
    st.sampled_from(TARGETS),
    st.sampled_from(VERBS),
    st.sampled_from(QUOTES),
    st.sampled_from(WORDS),
    st.text(max_size=5),
)
sentence = st.lists(token, max_size=14).map(" ".join)
document = st.lists(sentence, max_size=8).map(lambda ss: "\n".join(s + "." for s in ss))

draft_text = st.lists(st.sampled_from(WORDS[:8]), max_size=10).map(" ".join)


@st.composite
def draft(draw: st.DrawFn) -> list[TargetParagraph]:
    """Return a draft numbered as printed: preambular ordinals, operative numbers, subparagraphs."""
    paragraphs, operative = [], 0
    for key in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from([Kind.PREAMBULAR, Kind.OPERATIVE, Kind.SUBPARAGRAPH, Kind.HEADING]))
        if kind is Kind.OPERATIVE:
            operative += 1
        number = operative if kind is Kind.OPERATIVE else 0
        sub = draw(st.sampled_from(["(a)", "(b)", "(b)(ii)"])) if kind is Kind.SUBPARAGRAPH else ""
        paragraphs.append(TargetParagraph(key, kind, number, draw(draft_text), sub))
    return paragraphs


@fuzz()
@given(document)
def test_any_text_parses_into_instructions_and_reported_sentences(text):
    parsed = parse_amendments(text)
    assert all(isinstance(s, str) for s in parsed.unparsed)


@fuzz()
@given(document, draft())
def test_applying_parsed_instructions_gives_changes_or_problems(text, paragraphs):
    instructions = parse_amendments(text).instructions
    outcomes = apply_amendments(instructions, paragraphs)
    keys = {p.key for p in paragraphs}
    for outcome in outcomes:
        assert isinstance(outcome, ProposedChange | Problem)
        if isinstance(outcome, ProposedChange):
            assert outcome.key in keys
        else:
            assert outcome.message
