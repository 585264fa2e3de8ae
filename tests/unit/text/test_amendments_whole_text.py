"""Edits of the whole text ("throughout", "wherever it appears"), and words found outside the paragraph named."""

from __future__ import annotations

import pytest

from drafter.text.amendments import ChangeKind, Problem, ProposedChange, apply_amendments, parse_amendments
from tests.unit.text.test_amendments import DRAFT, TEXT, amended, messages, parse_one


@pytest.mark.parametrize(
    "doc",
    [
        'Replace "coastal wetlands" with "coastal and inland wetlands" throughout the text.',
        'Throughout the text, replace "coastal wetlands" with "coastal and inland wetlands".',
        'Replace the words "coastal wetlands" with the words "coastal and inland wetlands" wherever they appear.',
        'In the whole draft resolution, replace "coastal wetlands" with "coastal and inland wetlands".',
    ],
)
def test_an_edit_throughout_the_text_changes_every_paragraph_that_holds_the_words(doc: str) -> None:
    ins = parse_one(doc)
    assert ins.target.everywhere and ins.target.describe() == "the text"
    changed = amended(doc)
    assert sorted(changed) == ["op1", "op2", "pp1"]  # not op5's "Coastal wetlands": words match as written
    assert changed["op2"] == TEXT["op2"].replace("coastal wetlands", "coastal and inland wetlands")


def test_the_title_named_with_the_text_is_changed_too() -> None:
    parsed = parse_amendments(
        'Replace "wetlands" with "wetland ecosystems" wherever it appears, including in the title.'
    )
    assert parsed.instructions[0].including_title
    outcomes = apply_amendments(parsed.instructions, DRAFT, title="Coastal wetlands and mangroves")
    changes = [o for o in outcomes if isinstance(o, ProposedChange)]
    assert [o.key for o in changes] == ["pp1", "pp3", "op1", "op2", "op4b", "op5", None]
    assert (changes[-1].kind, changes[-1].text) == (ChangeKind.TITLE, "Coastal wetland ecosystems and mangroves")
    assert not messages(outcomes)
    missing = apply_amendments(parsed.instructions, DRAFT, title="Mangroves")
    assert any("are not in the title" in m for m in messages(missing))


def test_an_edit_throughout_the_text_leaves_the_title_and_says_so() -> None:
    parsed = parse_amendments('Replace "wetlands" with "wetland ecosystems" throughout the text.')
    outcomes = apply_amendments(parsed.instructions, DRAFT, title="Coastal wetlands and mangroves")
    assert all(o.kind is not ChangeKind.TITLE for o in outcomes if isinstance(o, ProposedChange))
    assert any("the title also holds the words" in m and "including the title" in m for m in messages(outcomes))


def test_an_edit_throughout_the_text_whose_words_are_nowhere_is_a_problem() -> None:
    outcomes = apply_amendments(parse_amendments('Delete "peatlands" throughout the text.').instructions, DRAFT)
    assert (
        outcomes == [o for o in outcomes if isinstance(o, Problem)] and "are not in the text" in messages(outcomes)[0]
    )


def test_a_whole_text_edit_composes_with_an_edit_of_one_paragraph() -> None:
    doc = (
        'In operative paragraph 2, replace "protect" with "conserve".\n'
        'Replace "mangrove forests" with "mangroves" throughout the text.'
    )
    changed = amended(doc)
    assert changed["op2"] == "Encourages Member States to conserve coastal wetlands and to restore degraded mangroves;"
    assert changed["pp2"] == "Noting with concern the loss of mangroves in many regions,"


def test_words_quoted_from_another_paragraph_are_found_there_and_the_note_says_so() -> None:
    # the mangroves are in the second preambular paragraph, not the first
    outcomes = apply_amendments(
        parse_amendments(
            'In the first preambular paragraph, replace "loss of mangrove forests" with "loss and degradation of mangroves".'
        ).instructions,
        DRAFT,
    )
    assert len(outcomes) == 1 and isinstance(outcomes[0], ProposedChange) and outcomes[0].kind is ChangeKind.AMEND
    assert outcomes[0].key == "pp2" and "loss and degradation of mangroves" in outcomes[0].text
    assert "The first preambular paragraph does not hold the words" in outcomes[0].notes[0]
    assert "the second preambular paragraph" in outcomes[0].notes[0]


def test_words_found_in_several_other_paragraphs_are_not_guessed() -> None:
    outcomes = apply_amendments(
        parse_amendments('In operative paragraph 3, delete "Member States".').instructions, DRAFT
    )
    assert [type(o) for o in outcomes] == [Problem] and "were not found in operative paragraph 3" in messages(outcomes)[
        0
    ]
