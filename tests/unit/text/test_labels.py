"""Typed number labels: where a label ends, for every importer alike."""

from __future__ import annotations

import pytest

from drafter.text.labels import LIST_LABEL, leading_label, strip_label
from drafter.text.structure import Block, Kind, classify


@pytest.mark.parametrize(
    ("typed", "label", "rest"),
    [
        ("5.\tDecides to act;", "5.", "Decides to act;"),
        ("5. Decides to act;", "5.", "Decides to act;"),
        ("4\tDecides to act;", "4", "Decides to act;"),
        ("12 bis.\tUnderlines the role;", "12 bis.", "Underlines the role;"),
        ("12 ter) Underlines the role;", "12 ter)", "Underlines the role;"),
        ("(a)\tStrengthening systems;", "(a)", "Strengthening systems;"),
        ("(iv) Strengthening systems;", "(iv)", "Strengthening systems;"),
        ("b) Strengthening systems;", "b)", "Strengthening systems;"),
        ("\u00a05.\u00a0Decides to act;", "5.", "Decides to act;"),
    ],
)
def test_a_typed_label_ends_where_the_text_begins(typed, label, rest):
    assert leading_label(typed.strip()) == label
    assert strip_label(typed) == rest


@pytest.mark.parametrize(
    "text",
    [
        "2.5 million people are affected,",
        "5.Decides",  # no blank: may be a figure run into a word
        "2028 is the year of the review,",
        "Recalling its resolution 79/1,",
        "Bis repetita placent,",
    ],
)
def test_text_that_only_starts_with_a_figure_keeps_it(text):
    assert leading_label(text) == ""
    assert strip_label(text) == text


@pytest.mark.parametrize(
    ("label", "is_list_label"),
    [
        ("5", True),
        ("5.", True),
        ("5)", True),
        ("(a)", True),
        ("a)", True),
        ("(iv)", True),
        ("(12)", True),
        ("Article 1", False),
        ("1.2", False),
        ("•", False),
    ],
)
def test_word_list_labels(label, is_list_label):
    assert bool(LIST_LABEL.fullmatch(label)) is is_list_label


def test_a_tab_after_the_number_and_a_bis_paragraph_in_a_draft():
    blocks = [
        Block(t)
        for t in (
            "Recalling its earlier resolutions,",
            "1\tDecides to convene a meeting;",
            "2\tRequests a report;",
            "2 bis.\tUnderlines the role of science;",
            "3\tDecides to remain seized of the matter.",
        )
    ]
    result = classify(blocks)
    assert [(p.kind, p.number, p.text) for p in result.paragraphs] == [
        (Kind.PREAMBULAR, "", "Recalling its earlier resolutions,"),
        (Kind.OPERATIVE, "1", "Decides to convene a meeting;"),
        (Kind.OPERATIVE, "2", "Requests a report;"),
        (Kind.OPERATIVE, "2 bis", "Underlines the role of science;"),
        (Kind.OPERATIVE, "3", "Decides to remain seized of the matter."),
    ]
    assert result.warnings == []  # "2 bis" leaves the count as it is: 3 follows 2
