"""What the templates print for paragraphs, computed once in Python."""

from __future__ import annotations

from dataclasses import dataclass

from drafter.drafting.models import ParagraphVersion
from drafter.text.direction import is_rtl
from drafter.text.numbering import printed_number


@dataclass(frozen=True)
class ParagraphRow:
    version: ParagraphVersion
    ref: str
    #: the italic opening words and the rest of the text
    opening: str
    rest: str
    #: the printed number with its punctuation: "5.", "(a)"; "" when unnumbered
    number: str
    #: writing direction of the text: "rtl" for Arabic or Hebrew, else "auto"
    direction: str


def split_opening(text: str, italic_chars: int) -> tuple[str, str]:
    """Return the italic opening of a text and the rest."""
    n = max(0, min(italic_chars, len(text)))
    return text[:n], text[n:]


def direction(text: str) -> str:
    """Return "rtl" when the first strong character of the text is right-to-left, else "auto"."""
    return "rtl" if is_rtl(text) else "auto"


def paragraph_rows(versions: list[ParagraphVersion], refs: dict[int, str]) -> list[ParagraphRow]:
    """Return the rows the revision page prints, one per paragraph version."""
    rows = []
    for v in versions:
        opening, rest = split_opening(v.text, v.italic_chars)
        rows.append(
            ParagraphRow(
                v, refs.get(v.id, ""), opening, rest, printed_number(v.kind, v.number_label), direction(v.text)
            )
        )
    return rows
