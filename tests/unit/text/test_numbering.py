"""Number labels, short references and the bis/ter labels of inserted paragraphs."""

from __future__ import annotations

import pytest

from drafter.text.numbering import (
    alpha,
    insertion_label,
    insertion_labels,
    latin_multiplier,
    number_labels,
    paragraph_refs,
    roman,
    shorten,
)
from drafter.text.structure import Kind

H, P, O, S = Kind.HEADING, Kind.PREAMBULAR, Kind.OPERATIVE, Kind.SUBPARAGRAPH


def test_operative_paragraphs_are_numbered_through_the_document() -> None:
    items = [(H, 0), (P, 0), (P, 0), (O, 0), (O, 0), (H, 0), (O, 0), (P, 0), (O, 0)]
    assert number_labels(items) == ["", "", "", "1", "2", "", "3", "", "4"]


def test_subparagraph_letters_restart_under_each_parent() -> None:
    items = [(O, 0), (S, 1), (S, 1), (S, 2), (S, 2), (S, 1), (S, 2), (O, 0), (S, 1), (S, 2), (P, 0), (S, 1)]
    assert number_labels(items) == ["1", "(a)", "(b)", "(i)", "(ii)", "(c)", "(i)", "2", "(a)", "(i)", "", "(a)"]


def test_lettering_restarts_after_a_heading() -> None:
    assert number_labels([(O, 0), (S, 1), (S, 1), (H, 0), (S, 1)]) == ["1", "(a)", "(b)", "", "(a)"]


def test_deeper_levels() -> None:
    items = [(O, 0), (S, 1), (S, 2), (S, 3), (S, 3), (S, 4), (S, 4), (S, 0)]
    assert number_labels(items) == ["1", "(a)", "(i)", "(A)", "(B)", "(1)", "(2)", "(b)"]


def test_after_z_letters_double() -> None:
    labels = number_labels([(O, 0)] + [(S, 1)] * 28)
    assert labels[26:] == ["(z)", "(aa)", "(bb)"]


def test_empty() -> None:
    assert number_labels([]) == []
    assert paragraph_refs([]) == []


def test_paragraph_refs() -> None:
    items = [
        (H, 0, "Follow-up and review of the implementation of the present resolution"),
        (P, 0, "Recalling ..."),
        (S, 1, "the first ..."),
        (P, 0, "Noting ..."),
        (O, 0, "Decides ..."),
        (S, 1, "to ..."),
        (S, 2, "in ..."),
        (S, 2, "in ..."),
        (S, 1, "to ..."),
        (O, 0, "Requests ..."),
    ]
    assert paragraph_refs(items) == [
        "Follow-up and review of the…", "PP1", "PP1 (a)", "PP2", "OP1", "OP1 (a)", "OP1 (a)(i)", "OP1 (a)(ii)",
        "OP1 (b)", "OP2",
    ]  # fmt: skip


def test_shorten_cuts_at_a_word() -> None:
    assert shorten("Short heading") == "Short heading"
    assert shorten("  spread\nover   lines ") == "spread over lines"
    cut = shorten("Means of implementation, follow-up and review of the outcome document")
    assert cut.endswith("…") and len(cut) <= 40
    assert cut[:-1] in "Means of implementation, follow-up and review of the outcome document"


@pytest.mark.parametrize(
    ("base", "n", "label"),
    [
        ("OP12", 1, "12 bis"),
        ("OP12", 2, "12 ter"),
        ("OP12", 3, "12 quater"),
        ("OP12", 4, "12 quinquies"),
        ("12", 1, "12 bis"),
        ("PP3", 1, "PP3 bis"),
        ("PP3", 2, "PP3 ter"),
        ("OP5 (a)", 1, "5 (a) bis"),
        # Before the first paragraph there is nothing to add "bis" to.
        ("", 1, "New"),
        ("", 2, "New 2"),
        ("  ", 3, "New 3"),
    ],
)
def test_insertion_label(base: str, n: int, label: str) -> None:
    assert insertion_label(base, n) == label


def test_insertion_label_needs_a_positive_count() -> None:
    with pytest.raises(ValueError):
        insertion_label("OP12", 0)


def test_insertion_labels_count_per_base() -> None:
    bases = ["OP12", "PP3", "12", "OP12", "", "", "OP5 (a)", "PP3"]
    assert insertion_labels(bases) == [
        "12 bis",
        "PP3 bis",
        "12 ter",
        "12 quater",
        "New",
        "New 2",
        "5 (a) bis",
        "PP3 ter",
    ]


@pytest.mark.parametrize(
    ("n", "word"),
    [(1, "bis"), (2, "ter"), (3, "quater"), (4, "quinquies"), (5, "sexies"), (9, "decies"), (10, "undecies"),
     (11, "duodecies"), (19, "vicies"), (20, "unvicies"), (29, "tricies"), (98, "novononagies"), (99, "(100)")],
)  # fmt: skip
def test_latin_multiplier(n: int, word: str) -> None:
    assert latin_multiplier(n) == word


def test_latin_multipliers_are_distinct() -> None:
    words = [latin_multiplier(n) for n in range(1, 120)]
    assert len(set(words)) == len(words)


@pytest.mark.parametrize(
    ("n", "numeral"), [(1, "i"), (4, "iv"), (9, "ix"), (14, "xiv"), (40, "xl"), (3999, "mmmcmxcix")]
)
def test_roman(n: int, numeral: str) -> None:
    assert roman(n) == numeral


@pytest.mark.parametrize(("n", "letter"), [(1, "a"), (26, "z"), (27, "aa"), (28, "bb"), (53, "aaa")])
def test_alpha(n: int, letter: str) -> None:
    assert alpha(n) == letter


@pytest.mark.parametrize("call", [lambda: roman(0), lambda: roman(4000), lambda: alpha(0), lambda: latin_multiplier(0)])
def test_out_of_range(call) -> None:
    with pytest.raises(ValueError):
        call()
