"""Word tokens: what a diff may cut between."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafter.text.tokenize import is_word, tokenize, words


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Decides to act.", ["Decides", " ", "to", " ", "act", "."]),
        ("a  \t\n b", ["a", "  \t\n ", "b"]),
        ("high-level", ["high", "-", "level"]),
        ("A/RES/80/1", ["A", "/", "RES", "/", "80", "/", "1"]),
        ("2022–2025", ["2022", "–", "2025"]),
        # Combining marks stay in their word: decomposed accents, Arabic harakat.
        ("e\u0301te\u0301 x", ["e\u0301te\u0301", " ", "x"]),
        ("مَرْحَبًا بِكُمْ،", ["مَرْحَبًا", " ", "بِكُمْ", "،"]),
        ("Постановляет, что", ["Постановляет", ",", " ", "что"]),
        # Chinese and Japanese have no spaces: one token per character.
        ("我们决定召开会议。", ["我", "们", "决", "定", "召", "开", "会", "议", "。"]),
        ("こんにちは", ["こ", "ん", "に", "ち", "は"]),
        ("UN会议2026", ["UN", "会", "议", "2026"]),
        # The Devanagari full stop is punctuation, not part of the word before it.
        ("नमस्ते। दुनिया", ["नमस्ते", "।", " ", "दुनिया"]),
        # An emoji keeps its skin tone, variation selector and joined parts.
        ("👍🏽 👩\u200d💻 ❤\ufe0f!", ["👍🏽", " ", "👩\u200d💻", " ", "❤\ufe0f", "!"]),
        ("", []),
    ],
)
def test_tokens(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens


def test_words_leave_out_spaces_and_punctuation() -> None:
    assert words("Decides, inter alia, to act: 12 bis.") == ["Decides", "inter", "alia", "to", "act", "12", "bis"]
    assert words("决定。") == ["决", "定"]


@pytest.mark.parametrize(
    ("token", "word"),
    [("Decides", True), ("12", True), ("会", True), (" ", False), (",", False), ("", False), ("👍🏽", False)],
)
def test_is_word(token: str, word: bool) -> None:
    assert is_word(token) is word


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_tokens_join_back_to_the_text(text: str) -> None:
    tokens = tokenize(text)
    assert "".join(tokens) == text
    assert all(tokens)
