"""English ordinals as amendments write them."""

from __future__ import annotations

import re

import pytest

from drafter.text.ordinals import ORDINAL_RE, ordinal_suffix, ordinal_word, parse_ordinal

ORDINAL = re.compile(ORDINAL_RE, re.I)


@pytest.mark.parametrize("n", range(1, 100))
def test_words_and_numerals_round_trip(n: int) -> None:
    word = ordinal_word(n)
    assert parse_ordinal(word) == n
    assert parse_ordinal(f"{n}{ordinal_suffix(n)}") == n
    assert ORDINAL.fullmatch(word)


@pytest.mark.parametrize(
    ("n", "word"),
    [
        (1, "first"),
        (12, "twelfth"),
        (20, "twentieth"),
        (28, "twenty-eighth"),
        (31, "thirty-first"),
        (99, "ninety-ninth"),
        (100, "one hundredth"),
        (101, "one hundred and first"),
    ],
)
def test_ordinal_word(n: int, word: str) -> None:
    assert ordinal_word(n) == word


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("Twenty-Eighth", 28),
        ("twenty eighth", 28),
        ("twenty\u2011eighth", 28),  # non-breaking hyphen, as PDFs and Word give it
        ("1st", 1),
        ("2nd", 2),
        ("3rd", 3),
        ("11th", 11),
        ("22nd", 22),
        ("28th", 28),
        ("one hundred first", 101),
    ],
)
def test_parse_ordinal_variants(text: str, n: int) -> None:
    assert parse_ordinal(text) == n


@pytest.mark.parametrize("text", ["", "twenty", "firsts", "22th", "1nd", "0th", "eighth-twenty", "one hundred"])
def test_parse_ordinal_rejects_what_is_not_one(text: str) -> None:
    assert parse_ordinal(text) is None


def test_ordinal_word_range() -> None:
    with pytest.raises(ValueError):
        ordinal_word(0)
