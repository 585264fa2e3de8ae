"""The one normalisation of incoming text: line endings, control characters, bidi controls."""

from __future__ import annotations

import pytest

from drafter.text.clean import normalise_text
from drafter.text.structure import parse_text


@pytest.mark.parametrize(("raw", "clean"), [
    ("Decides\r\nto act;\rand to meet;", "Decides\nto act;\nand to meet;"),
    ("Decides\x00 to act;", "Decides to act;"),
    ("De\x01ci\x08des\x1f to\x7f act;", "Decides to act;"),
    ("\ufeffDecides to act;", "Decides to act;"),
    ("Decides to act \u202ein 2030\u202c;", "Decides to act in 2030;"),  # an override that showed "0302 ni"
    ("\u2067يقرر\u2069 to act; \u202a\u202b\u202d", "يقرر to act; "),
])  # fmt: skip
def test_what_is_removed_or_replaced(raw: str, clean: str):
    assert normalise_text(raw) == clean


@pytest.mark.parametrize("kept", [
    "Decides\tto act;", "Decides\nto act;", "line\x0bbreak", "page\x0cbreak",
    "\u200fيقرر\u200e", "👩\u200d💻", "می\u200cخواهم", "e\u0301", "决定召开会议",
])  # fmt: skip
def test_what_is_kept(kept: str):
    assert normalise_text(kept) == kept


def test_it_is_idempotent():
    raw = "\ufeffA\r\n\r\nB\x00\u202e\r"
    assert normalise_text(normalise_text(raw)) == normalise_text(raw)


def test_a_pasted_draft_is_parsed_from_the_normalised_text():
    parsed = parse_text("Decides\x00 to act \u202ein 2030\u202c;\r\n\r\nRequests a report.\r\n")
    assert [p.text for p in parsed.paragraphs] == ["Decides to act in 2030;", "Requests a report."]
